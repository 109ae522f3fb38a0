/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Performance counters: how often the hypervisor does what costs (each
 * hypercall by number, each guest exception by vector, emulations, TLB
 * flushes, context switches). Debug key 'p' prints and clears them
 * (hypervisor/perfc.c). Counting is a relaxed atomic add; the figures are
 * for finding where time goes, not exact accounting. Without
 * CONFIG_PERF_COUNTERS (release builds) every count compiles to nothing.
 */
#ifndef SATORI_PERFC_H
#define SATORI_PERFC_H

#include <satori/console.h>
#include <satori/types.h>

#define PERFC_NAMED(X)                                                       \
    X(ptwr_emulated, "page-table writes emulated")                          \
    X(privop_emulated, "privileged instructions emulated")                  \
    X(iretq_completed, "guest iretq completed (QEMU TCG + SMAP)")           \
    X(tlb_flush_local, "local TLB flushes for page-table changes")          \
    X(guest_mode_switch, "guest kernel/user switches (CR3 reload)")         \
    X(context_switch, "context switches")                                   \
    X(event_upcall, "event upcalls delivered")                              \
    X(exception_bounce, "exceptions bounced to a guest")

enum perfc_id {
#define PERFC_ENUM(name, what) PERFC_##name,
    PERFC_NAMED(PERFC_ENUM)
#undef PERFC_ENUM
    PERFC_NR_NAMED,
};

#define PERFC_HYPERCALLS 64
#define PERFC_VECTORS 32

#ifdef CONFIG_PERF_COUNTERS

struct perfc {
    uint64_t named[PERFC_NR_NAMED];
    uint64_t hypercall[PERFC_HYPERCALLS];
    uint64_t exception[PERFC_VECTORS];   /* guest exceptions, by vector */
};

extern struct perfc perfc;

static inline void perfc_add(uint64_t *c)
{
    __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

#define perfc_incr(name) perfc_add(&perfc.named[PERFC_##name])

static inline void perfc_hypercall(uint64_t nr)
{
    if (nr < PERFC_HYPERCALLS)
        perfc_add(&perfc.hypercall[nr]);
}

static inline void perfc_exception(unsigned int vec)
{
    if (vec < PERFC_VECTORS)
        perfc_add(&perfc.exception[vec]);
}

/* Prints every non-zero counter, then clears them all (debug key 'p'). */
void perfc_dump_and_reset(void);

#else

#define perfc_incr(name) do { } while (0)
static inline void perfc_hypercall(uint64_t nr) { (void)nr; }
static inline void perfc_exception(unsigned int vec) { (void)vec; }
static inline void perfc_dump_and_reset(void)
{
    printk("Performance counters are not built in (CONFIG_PERF_COUNTERS)\n");
}

#endif

#endif
