/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timers: each CPU keeps a heap of armed timers (timerq.c, pure and
 * host-tested) and programs its APIC timer for the earliest. The timer
 * interrupt only raises TIMER_SOFTIRQ; the softirq runs what has expired and
 * re-programs the hardware. A timer fires on the CPU that last armed it;
 * vCPUs move between CPUs, so any CPU may stop or re-arm any timer.
 *
 * Invariants:
 *  1. A timer is on at most one queue, pcpus[t->cpu].timers, while active;
 *     every change to a queue is made under that CPU's timer_lock.
 *  2. After any change to a CPU's queue made on that CPU, its hardware
 *     deadline is the queue's earliest expiry (or disarmed when empty); a
 *     change made from another CPU may leave the deadline early (a spurious
 *     softirq), never late: timers are only added on the arming CPU.
 *  3. Callbacks run without the lock, with pcpus[cpu].running_timer set,
 *     so kill_timer() can wait for a callback in flight.
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

/* Caller holds p's timer_lock, on CPU p. */
static void reprogram(struct pcpu *p)
{
    s_time_t next = timerq_next(&p->timers);

    apic_timer_set_deadline(next == STIME_MAX ? 0 : stime_to_tsc(next));
}

static void timer_softirq(void)
{
    struct pcpu *p = this_pcpu();
    uint64_t flags = spin_lock_irqsave(&p->timer_lock);
    uint64_t run_seq = p->timers.next_seq;
    s_time_t now = NOW();
    struct timer *t;

    while ((t = timerq_pop_expired(&p->timers, now, run_seq))) {
        WRITE_ONCE(p->running_timer, t);           /* invariant 3 */
        spin_unlock_irqrestore(&p->timer_lock, flags);
        t->fn(t->data);
        flags = spin_lock_irqsave(&p->timer_lock);
        WRITE_ONCE(p->running_timer, NULL);
    }
    reprogram(p);
    spin_unlock_irqrestore(&p->timer_lock, flags);
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

    spin_lock_init(&p->timer_lock);
    timerq_init(&p->timers, p->timer_storage, TIMERQ_CAP);
    if (p->id == 0) {
        open_softirq(TIMER_SOFTIRQ, timer_softirq);
        set_irq_handler(VECTOR_TIMER, timer_interrupt);
    }
    apic_timer_init_cpu();
}

/* Takes t off its queue if it is on one (invariant 1). */
static void timer_dequeue(struct timer *t)
{
    for (;;) {
        unsigned int cpu = READ_ONCE(t->cpu);
        struct pcpu *q = &pcpus[cpu];
        uint64_t flags = spin_lock_irqsave(&q->timer_lock);

        if (t->active && t->cpu != cpu) {           /* moved meanwhile: retry */
            spin_unlock_irqrestore(&q->timer_lock, flags);
            continue;
        }
        timerq_remove(&q->timers, t);
        if (q == this_pcpu())
            reprogram(q);
        spin_unlock_irqrestore(&q->timer_lock, flags);
        return;
    }
}

void set_timer(struct timer *t, s_time_t expires)
{
    struct pcpu *p = this_pcpu();
    uint64_t flags;

    if (t->active && READ_ONCE(t->cpu) != p->id)
        timer_dequeue(t);
    flags = spin_lock_irqsave(&p->timer_lock);
    t->cpu = p->id;
    if (timerq_add(&p->timers, t, expires))
        pr_err("CPU %u: timer queue full, timer %pS dropped\n", p->id, (void *)t->fn);
    reprogram(p);
    spin_unlock_irqrestore(&p->timer_lock, flags);
}

void stop_timer(struct timer *t)
{
    timer_dequeue(t);
}

void kill_timer(struct timer *t)
{
    if (!t->fn)
        return;                     /* never initialised: never armed */
    timer_dequeue(t);
    while (READ_ONCE(pcpus[READ_ONCE(t->cpu)].running_timer) == t)
        cpu_relax();
}
