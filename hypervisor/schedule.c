/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduling: which vCPU each CPU runs. The policy is the credit
 * scheduler's (sched_credit.c, pure and host-tested); this file drives it:
 * the schedule softirq, time slices, the accounting tick, blocking and
 * waking, pausing, the per-CPU idle context and the switch between
 * contexts (arch: asm/context.h).
 *
 * Model. A vCPU may run iff its pause_flags are clear (not blocked, not
 * down), its domain is running and not paused (domain_pause: a count)
 * (vcpu_runnable()). Whenever that may have changed, vcpu_wake() or
 * vcpu_sleep_nosync() tells the policy, whose resched mask says which CPUs
 * must pick again; they get SCHEDULE_SOFTIRQ, and pick at their next
 * softirq point: the exit to a guest, a wait, or the idle loop. A CPU with
 * nothing to run switches to its idle context, which halts.
 *
 * Invariants:
 *  1. The policy is only called under sched_lock (interrupts off).
 *  2. A vCPU's context is live on at most one CPU: a CPU that picks v
 *     waits until v->is_running is clear before switching to it; the CPU
 *     that left v clears it after v's context is saved (schedule_tail()).
 *  3. A waiter publishes VPF_blocked before its last look at its wake-up
 *     condition, and a waker makes the condition true before clearing the
 *     flag (vcpu_unblock), so no wake-up is lost.
 *  4. The run state a guest sees (runstate area) changes only at context
 *     switches and is written while the vCPU's page tables are loaded.
 *  5. From the moment a CPU's pick returns v (under sched_lock, the
 *     policy's curr) until that CPU's next pick, and from then on until
 *     v's context is saved (is_running), v is on that CPU: the two
 *     overlap, so vcpu_descheduled() (which reads curr, then is_running)
 *     never misses a vCPU about to run or still being saved.
 *
 * Lock order: a domain's event_lock, then sched_lock; timer locks nest
 * inside both (set_timer under sched_lock is allowed).
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/sched.h>
#include <satori/sched_credit.h>
#include <satori/softirq.h>
#include <satori/spinlock.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/context.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/x86.h>

static DEFINE_SPINLOCK(sched_lock);   /* protects: policy and every v->sched */
static struct sched policy;
static struct timer acct_timer;       /* on CPU 0 */
static bool sched_ready;

static struct vcpu *entity_vcpu(struct sched_entity *e)
{
    return e ? container_of(e, struct vcpu, sched) : NULL;
}

static bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return !READ_ONCE(v->pause_flags) && READ_ONCE(d->state) == DOMAIN_RUNNING &&
           !__atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST);
}

/* Under sched_lock: tell the CPUs the policy wants to pick again. */
static void kick_resched(void)
{
    sched_cpumask_t mask = sched_take_resched(&policy);

    for (unsigned int cpu = 0; mask; cpu++, mask >>= 1)
        if (mask & 1)
            cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

static void acct_tick(void *unused)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);

    sched_account(&policy, NOW());
    kick_resched();
    spin_unlock_irqrestore(&sched_lock, flags);
    set_timer(&acct_timer, NOW() + SCHED_ACCT_PERIOD_NS);
}

static void slice_end(void *unused)
{
    raise_softirq(SCHEDULE_SOFTIRQ);
}

static void schedule_softirq(void);

/* Dying domains are reaped at softirq points too, not only by idle CPUs. */
static void reap_softirq(void)
{
    domain_reap();
}

void scheduler_init(void)
{
    sched_init(&policy, nr_cpus_online);
    open_softirq(SCHEDULE_SOFTIRQ, schedule_softirq);
    open_softirq(REAP_SOFTIRQ, reap_softirq);
    timer_init(&acct_timer, acct_tick, NULL);
    set_timer(&acct_timer, NOW() + SCHED_ACCT_PERIOD_NS);
    __atomic_store_n(&sched_ready, true, __ATOMIC_RELEASE);
    printk("Scheduler: credit, %u CPU(s), %lld ms slices, accounting every %lld ms\n",
           nr_cpus_online, SCHED_SLICE_NS / 1000000, SCHED_ACCT_PERIOD_NS / 1000000);
}

static sched_cpumask_t online_cpus(void)
{
    return nr_cpus_online >= 64 ? SCHED_CPU_ALL : ((sched_cpumask_t)1 << nr_cpus_online) - 1;
}

int sched_add_vcpu(struct vcpu *v, sched_cpumask_t affinity)
{
    uint64_t flags;
    int rc;

    __atomic_fetch_or(&v->pause_flags, 1UL << VPF_down, __ATOMIC_SEQ_CST);
    affinity &= online_cpus();
    flags = spin_lock_irqsave(&sched_lock);
    rc = sched_add(&policy, &v->sched, v->domain->weight, v->domain->cap, affinity);
    spin_unlock_irqrestore(&sched_lock, flags);
    return rc;
}

int domain_set_sched(struct domain *d, unsigned int weight, unsigned int cap, uint64_t cpus)
{
    uint64_t flags;
    int rc = 0;

    cpus &= online_cpus();
    if (!cpus)
        return -EINVAL;
    d->weight = weight;
    d->cap = cap;
    flags = spin_lock_irqsave(&sched_lock);
    for (unsigned int i = 0; i < d->max_vcpus && !rc; i++) {
        struct vcpu *v = d->vcpu[i];
        BUG_ON(v->is_running);
        sched_remove(&policy, &v->sched);
        rc = sched_add(&policy, &v->sched, weight, cap, cpus);
    }
    spin_unlock_irqrestore(&sched_lock, flags);
    return rc;
}

void sched_remove_vcpu(struct vcpu *v)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);

    BUG_ON(v->is_running);
    sched_remove(&policy, &v->sched);
    spin_unlock_irqrestore(&sched_lock, flags);
}

int vcpu_set_affinity(struct vcpu *v, sched_cpumask_t hard)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);
    int rc = sched_set_affinity(&policy, &v->sched, hard & online_cpus(), SCHED_CPU_ALL);

    kick_resched();
    spin_unlock_irqrestore(&sched_lock, flags);
    return rc;
}

void vcpu_wake(struct vcpu *v)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);

    if (vcpu_runnable(v))
        sched_wake(&policy, &v->sched, NOW());
    kick_resched();
    spin_unlock_irqrestore(&sched_lock, flags);
}

void vcpu_sleep_nosync(struct vcpu *v)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);

    if (!vcpu_runnable(v))
        sched_block(&policy, &v->sched);
    kick_resched();
    spin_unlock_irqrestore(&sched_lock, flags);
}

void vcpu_unblock(struct vcpu *v)
{
    if (__atomic_fetch_and(&v->pause_flags, ~(1UL << VPF_blocked), __ATOMIC_SEQ_CST) &
        (1UL << VPF_blocked))
        vcpu_wake(v);                   /* invariant 3 */
}

bool vcpu_descheduled(struct vcpu *v)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);
    bool picked = policy.cpu[v->sched.cpu].curr == &v->sched;

    spin_unlock_irqrestore(&sched_lock, flags);
    /* Picked, then is_running until saved: one of the two covers it (invariant 5). */
    return !picked && !__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE);
}

void domain_pause(struct domain *d)
{
    struct vcpu *self = current_vcpu();

    BUG_ON(self && self->domain == d);  /* it would wait for itself */
    __atomic_fetch_add(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_sleep_nosync(d->vcpu[i]);
    /* Their CPUs pick again at their next softirq point (an IPI is on its way). */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        while (d->vcpu[i] && !vcpu_descheduled(d->vcpu[i]))
            cpu_relax();
}

void domain_unpause(struct domain *d)
{
    int left = __atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);

    BUG_ON(left < 0);
    if (left)
        return;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_wake(d->vcpu[i]);
}

/* The run state v enters as it leaves its CPU. */
static int leaving_runstate(const struct vcpu *v)
{
    if (vcpu_runnable(v))
        return RUNSTATE_runnable;
    return READ_ONCE(v->pause_flags) == (1UL << VPF_blocked) ? RUNSTATE_blocked
                                                              : RUNSTATE_offline;
}

/*
 * Runs in the context just switched to (after context_switch(), or first
 * thing in a new vCPU): releases the context left (invariant 2) and marks
 * the new one running (invariant 4).
 */
void schedule_tail(void);
void schedule_tail(void)
{
    struct vcpu *prev = context_switched_from(), *curr = current_vcpu();

    if (prev) {
        /* prev may be freed from here on: its dying domain may be reaped now. */
        __atomic_store_n(&prev->is_running, false, __ATOMIC_RELEASE);
        domain_reaper_kick();
    }
    if (curr) {
        vcpu_update_time(curr);
        vcpu_runstate_change(curr, RUNSTATE_running);
    }
}

/* Picks what this CPU runs next and switches to it. Interrupts off. */
static void schedule(void)
{
    struct pcpu *p = this_pcpu();
    struct vcpu *prev = p->curr_vcpu, *next;
    s_time_t now = NOW(), slice;

    if (!__atomic_load_n(&sched_ready, __ATOMIC_ACQUIRE))
        return;
    spin_lock(&sched_lock);
    if (prev)
        sched_ran(&policy, &prev->sched, now - p->run_start);
    next = entity_vcpu(sched_pick(&policy, p->id, now, &slice));
    kick_resched();
    spin_unlock(&sched_lock);
    p->run_start = now;
    if (slice)
        set_timer(&p->slice_timer, now + slice);
    else
        stop_timer(&p->slice_timer);
    if (next == prev)
        return;
    if (next) {
        while (__atomic_load_n(&next->is_running, __ATOMIC_ACQUIRE))
            cpu_relax();                /* invariant 2: its old CPU is saving it */
        next->is_running = true;
    }
    if (prev)
        vcpu_runstate_change(prev, leaving_runstate(prev));
    context_switch(prev, next);
    schedule_tail();
}

static void schedule_softirq(void)
{
    uint64_t flags = local_irq_save();

    schedule();
    local_irq_restore(flags);
}

void sched_wait(bool (*done)(void *arg), void *arg)
{
    struct vcpu *v = current_vcpu();

    for (;;) {
        local_irq_disable();
        if (softirq_pending(smp_processor_id())) {
            local_irq_enable();
            do_softirq();
            continue;
        }
        if (done(arg))
            break;
        __atomic_fetch_or(&v->pause_flags, 1UL << VPF_blocked, __ATOMIC_SEQ_CST);
        vcpu_sleep_nosync(v);
        if (done(arg))                  /* invariant 3 */
            vcpu_unblock(v);
        schedule();
    }
    __atomic_fetch_and(&v->pause_flags, ~(1UL << VPF_blocked), __ATOMIC_SEQ_CST);
    local_irq_enable();
}

void sched_yield_cpu(void)
{
    uint64_t flags = local_irq_save();

    schedule();
    local_irq_restore(flags);
}

void __noreturn sched_exit_vcpu(void)
{
    struct vcpu *v = current_vcpu();

    local_irq_disable();
    vcpu_sleep_nosync(v);
    BUG_ON(vcpu_runnable(v));
    schedule();
    BUG();
}

s_time_t cpu_halted_ns(unsigned int cpu)
{
    s_time_t since = READ_ONCE(pcpus[cpu].halted_since);

    return pcpus[cpu].idle_ns + (since ? NOW() - since : 0);
}

void __noreturn idle_loop(void)
{
    struct pcpu *p = this_pcpu();

    timer_init(&p->slice_timer, slice_end, NULL);   /* before its first schedule() */
    for (;;) {
        do_softirq();
        domain_reap();
        local_irq_disable();
        if (softirq_pending(p->id)) {
            local_irq_enable();
            continue;
        }
        WRITE_ONCE(p->halted_since, NOW());
        safe_halt();
        p->idle_ns += NOW() - p->halted_since;
        WRITE_ONCE(p->halted_since, 0);
    }
}

static const char *const pri_names[] = { "over", "under", "boost" };

void sched_dump(void)
{
    uint64_t flags = spin_lock_irqsave(&sched_lock);

    printk("Scheduler: credit, %u CPU(s)\n", policy.nr_cpus);
    for (unsigned int cpu = 0; cpu < policy.nr_cpus; cpu++) {
        struct vcpu *c = entity_vcpu(policy.cpu[cpu].curr);
        struct list_head *pos;

        if (c)
            printk("  CPU %u: running d%uv%u; queue:", cpu, c->domain->domain_id, c->vcpu_id);
        else
            printk("  CPU %u: idle (%ld ms halted); queue:", cpu,
                   cpu_halted_ns(cpu) / 1000000);
        list_for_each(pos, &policy.cpu[cpu].runq) {
            struct vcpu *v = entity_vcpu(list_entry(pos, struct sched_entity, runq_elem));
            printk(" d%uv%u(%s %ld us)", v->domain->domain_id, v->vcpu_id,
                   v->sched.pri >= 0 && v->sched.pri <= 2 ? pri_names[v->sched.pri] : "?",
                   v->sched.credit / 1000);
        }
        printk("\n");
    }
    spin_unlock_irqrestore(&sched_lock, flags);
}
