/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timers: each CPU keeps a heap of armed timers (timerq.c, pure and
 * host-tested) and programs its APIC timer for the earliest. The timer
 * interrupt only raises TIMER_SOFTIRQ; the softirq runs what has expired and
 * re-programs the hardware.
 *
 * Invariants:
 *  1. A CPU's queue is touched only by that CPU, with interrupts off, so it
 *     needs no lock.
 *  2. After any change to the queue the hardware deadline is the queue's
 *     earliest expiry (or disarmed when empty).
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/softirq.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/x86.h>

/* Caller has interrupts off. */
static void reprogram(struct pcpu *p)
{
    s_time_t next = timerq_next(&p->timers);

    apic_timer_set_deadline(next == STIME_MAX ? 0 : stime_to_tsc(next));
}

static void timer_softirq(void)
{
    struct pcpu *p = this_pcpu();
    uint64_t flags = local_irq_save();

    timerq_run(&p->timers, NOW());
    reprogram(p);
    local_irq_restore(flags);
}

static void timer_interrupt(struct cpu_regs *regs)
{
    this_pcpu()->timer_irqs++;
    apic_eoi();
    raise_softirq(TIMER_SOFTIRQ);
}

void timers_init_cpu(void)
{
    struct pcpu *p = this_pcpu();

    timerq_init(&p->timers, p->timer_storage, TIMERQ_CAP);
    if (p->id == 0) {
        open_softirq(TIMER_SOFTIRQ, timer_softirq);
        set_irq_handler(VECTOR_TIMER, timer_interrupt);
    }
    apic_timer_init_cpu();
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct pcpu *p = this_pcpu();
    uint64_t flags = local_irq_save();

    if (timerq_add(&p->timers, t, expires))
        pr_err("CPU %u: timer queue full, timer %pS dropped\n", p->id, (void *)t->fn);
    reprogram(p);
    local_irq_restore(flags);
}

void stop_timer(struct timer *t)
{
    struct pcpu *p = this_pcpu();
    uint64_t flags = local_irq_save();

    timerq_remove(&p->timers, t);
    reprogram(p);
    local_irq_restore(flags);
}
