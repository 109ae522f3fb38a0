/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The performance counters (include/satori/perfc.h): storage and the dump.
 * A dump races with counting on other CPUs; each counter is read and
 * cleared atomically, so no increment is lost or counted twice.
 */
#include <satori/console.h>
#include <satori/perfc.h>
#include <satori/time.h>

struct perfc perfc;
static int64_t since;           /* NOW() of the last reset */

static const char *const named_what[] = {
#define PERFC_WHAT(name, what) what,
    PERFC_NAMED(PERFC_WHAT)
#undef PERFC_WHAT
};

static uint64_t take(uint64_t *c)
{
    return __atomic_exchange_n(c, 0, __ATOMIC_RELAXED);
}

void perfc_dump_and_reset(void)
{
    int64_t now = NOW();
    uint64_t n;

    printk("Performance counters over the last %ld ms:\n", (now - since) / 1000000);
    for (unsigned int i = 0; i < PERFC_NR_NAMED; i++)
        if ((n = take(&perfc.named[i])))
            printk("  %10lu  %s\n", n, named_what[i]);
    for (unsigned int i = 0; i < PERFC_HYPERCALLS; i++)
        if ((n = take(&perfc.hypercall[i])))
            printk("  %10lu  hypercall %u\n", n, i);
    for (unsigned int i = 0; i < PERFC_VECTORS; i++)
        if ((n = take(&perfc.exception[i])))
            printk("  %10lu  guest exception vector %u\n", n, i);
    since = now;
}
