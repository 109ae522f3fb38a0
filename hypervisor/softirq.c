/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Softirq dispatch. Each CPU has a pending bitmask (set atomically, from
 * any CPU); do_softirq() clears and runs the handlers of the calling CPU
 * until none is pending. Handlers run with interrupts enabled and must not
 * sleep (nothing in Satori sleeps).
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
    struct pcpu *p = this_pcpu();
    uint64_t pending;

    while ((pending = __atomic_exchange_n(&p->softirq_pending, 0, __ATOMIC_SEQ_CST))) {
        for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
            if ((pending & (1ULL << nr)) && handlers[nr])
                handlers[nr]();
    }
}
