/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time self tests for the QEMU boot tests (tests/boot/): each prints
 * lines the test checks on the serial log.
 *
 *   selftest=fault   read an unmapped hypervisor address: the #PF dump and
 *                    the halt (or reboot) must follow
 *   selftest=ud      execute ud2: the #UD dump must follow
 *   selftest=timer   a 100 ms periodic timer for 3 s of system time; the
 *                    test compares its start and end lines with host time
 *   selftest=ipi     every other CPU runs a function and answers
 *   selftest=alloc   allocate and free pages and objects; free memory must
 *                    return to its starting value
 *   selftest=grant   grant-table lifecycle across two test domains
 *                    (gnttab_selftest.c)
 *   selftest=panic   an assertion failure
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/mm.h>
#include <satori/params.h>
#include <satori/selftest.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/x86.h>
#include "grant_table_priv.h"

#define TIMER_PERIOD_MS 100
#define TIMER_TICKS 30

static struct timer tick_timer;
static unsigned int ticks;
static s_time_t tick_start;

static void tick(void *data)
{
    s_time_t now = NOW();

    if (++ticks < TIMER_TICKS) {
        set_timer(&tick_timer, tick_start + MILLISECS((s_time_t)TIMER_PERIOD_MS * (ticks + 1)));
        return;
    }
    printk("selftest timer: end: %u ticks, %ld ms of system time, late by %ld us\n", ticks,
           (now - tick_start) / 1000000,
           (now - tick_start - MILLISECS(TIMER_PERIOD_MS * TIMER_TICKS)) / 1000);
}

static void test_timer(void)
{
    timer_init(&tick_timer, tick, NULL);
    tick_start = NOW();
    printk("selftest timer: start: %u ticks of %u ms\n", TIMER_TICKS, TIMER_PERIOD_MS);
    set_timer(&tick_timer, tick_start + MILLISECS(TIMER_PERIOD_MS));
}

static unsigned int ipi_mask_bits;

static void ipi_answer(void *data)
{
    __atomic_fetch_or(&ipi_mask_bits, 1u << (smp_processor_id() & 31), __ATOMIC_SEQ_CST);
}

static void test_ipi(void)
{
    unsigned int answered;
    int rc = on_other_cpus(ipi_answer, NULL);

    answered = 0;
    for (unsigned int bits = ipi_mask_bits; bits; bits &= bits - 1)
        answered++;
    printk("selftest ipi: %u of %u other CPUs answered (rc %d)\n", answered,
           nr_cpus_online - 1, rc);
}

static void test_alloc(void)
{
    uint64_t before = heap_free_pages();
    void *pages[8], *objs[64];
    bool ok = true;

    for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
        ok &= (pages[i] = alloc_heap_pages(i)) != NULL;
    for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
        ok &= (objs[i] = xmalloc_bytes(8 + 37 * i, 8)) != NULL;
    for (unsigned int i = 0; i < ARRAY_SIZE(objs); i++)
        xfree(objs[i]);
    for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
        free_heap_pages(pages[i], i);
    printk("selftest alloc: %s (free pages %lu before, %lu after)\n",
           ok && heap_free_pages() == before ? "ok" : "FAILED", before, heap_free_pages());
}

void selftests_run(void)
{
    if (selftest_requested("alloc"))
        test_alloc();
    if (selftest_requested("ipi"))
        test_ipi();
    if (selftest_requested("timer"))
        test_timer();
    if (selftest_requested("grant"))
        gnttab_selftest();
    if (selftest_requested("panic"))
        BUG();
    if (selftest_requested("ud")) {
        printk("selftest ud: executing ud2\n");
        __asm__ volatile("ud2");
    }
    if (selftest_requested("fault")) {
        printk("selftest fault: reading unmapped address 0xffff87fffffff000\n");
        (void)*(volatile uint64_t *)0xffff87fffffff000UL;
    }
}
