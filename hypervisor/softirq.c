/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Softirq dispatch. Each CPU has a pending bitmask (set atomically, from
 * any CPU); do_softirq() clears and runs the handlers of the calling CPU
 * until none is pending. Handlers run with interrupts enabled and must not
 * sleep (nothing in Satori sleeps).
 *
 * Invariant: a bit is taken from the CPU that runs its handler. The
 * schedule softirq may switch this vCPU's stack away and resume it later
 * on another CPU, so do_softirq() names the CPU afresh for every bit it
 * takes, and takes one bit at a time (regression: the reaper stall, where
 * a vCPU resumed on CPU 0 went on clearing CPU 1's bits, so CPU 1 lost
 * its timer and schedule softirqs and ran a stopped vCPU forever).
 */
#include <satori/bug.h>
#include <satori/softirq.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/x86.h>

static softirq_handler_t handlers[NR_SOFTIRQS];

void open_softirq(enum softirq_nr nr, softirq_handler_t fn)
{
    BUG_ON(nr >= NR_SOFTIRQS);
    handlers[nr] = fn;
}

void raise_softirq(enum softirq_nr nr)
{
    __atomic_fetch_or(&this_pcpu()->softirq_pending, 1ULL << nr, __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr)
{
    struct pcpu *p = &pcpus[cpu];
    uint64_t old = __atomic_fetch_or(&p->softirq_pending, 1ULL << nr, __ATOMIC_SEQ_CST);

    if (cpu != smp_processor_id() && !(old & (1ULL << nr)))
        apic_send_ipi(p->apic_id, VECTOR_EVENT_CHECK);
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&pcpus[cpu].softirq_pending, __ATOMIC_SEQ_CST) != 0;
}

void do_softirq(void)
{
    for (;;) {
        struct pcpu *p = this_pcpu();    /* again after every handler (invariant) */
        uint64_t pending = __atomic_load_n(&p->softirq_pending, __ATOMIC_SEQ_CST);
        unsigned int nr;

        if (!pending)
            return;
        nr = (unsigned int)__builtin_ctzll(pending);
        __atomic_fetch_and(&p->softirq_pending, ~(1ULL << nr), __ATOMIC_SEQ_CST);
        if (nr < NR_SOFTIRQS && handlers[nr])
            handlers[nr]();
    }
}
