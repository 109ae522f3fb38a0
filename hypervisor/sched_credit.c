/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The credit scheduler's policy: which vCPU each physical CPU runs next and
 * for how long. It owns the run queues, each entity's credit, priority,
 * state and cap budget, and the resched mask; it knows nothing of locks,
 * timers, IPIs or contexts, so it compiles unmodified on the host.
 *
 * Model (after Xen's credit scheduler). Every accounting period
 * (SCHED_ACCT_PERIOD_NS, the caller's periodic timer calls sched_account())
 * the machine's CPU time for the period, nr_cpus * period, is handed out as
 * credit (in ns) to the active entities (not blocked, or ran during the
 * period, so that a vCPU that blocks often still earns), in proportion to
 * their weight, at most one CPU's worth each and at most their cap. Running
 * burns credit ns for ns (sched_ran()). An entity with credit >= 0 is UNDER,
 * below 0 OVER; UNDER work always runs before OVER work, so over a few
 * periods each busy entity gets CPU time in proportion to its weight, and
 * time nobody is owed goes round-robin to OVER work instead of idling. A
 * vCPU woken from block while UNDER is BOOSTed above UNDER until it next
 * burns credit, so interactive vCPUs run at once. A capped entity that has
 * run cap% of the period is parked (off every queue) until the next
 * accounting; its slices are cut so that it stops exactly at its cap.
 *
 * Each CPU has a run queue. sched_pick() puts the CPU's current entity back
 * (unless it blocked or was parked), takes the best of its own queue and,
 * if that is not UNDER, steals the best better-priority entity it may run
 * from another CPU's queue (soft affinity breaks ties). It returns NULL when
 * nothing runnable may run there: the CPU idles (halts) until told.
 * Operations that make work available or take it away set bits in
 * s->resched; the caller drains them with sched_take_resched() and makes
 * each named CPU call sched_pick() soon (an IPI, or a softirq when local).
 *
 * Invariants (tests/unit/test_sched_credit.c checks each, by number):
 *  1. State: an entity is queued (on exactly one run queue, cpu[e->cpu])
 *     iff it is RUNNABLE and not parked; it is RUNNING iff it is
 *     cpu[e->cpu].curr; BLOCKED and parked entities are never picked.
 *  2. Each run queue is ordered by priority, BOOST > UNDER > OVER, then
 *     by credit, most first, then FIFO: the most-owed entity runs first.
 *  3. Affinity: an entity is queued on and runs on only CPUs in its hard
 *     affinity.
 *  4. Priority: BOOST implies credit >= 0 and is dropped at the first
 *     sched_ran(); otherwise pri is UNDER iff credit >= 0. Accounting keeps
 *     credit within [-SCHED_CREDIT_MAX, SCHED_CREDIT_MAX].
 *  5. Share: accounting grants each active entity credit in
 *     proportion to its weight, at most one period (one CPU) and at most
 *     cap% of one period; CPU-bound entities so receive CPU time in
 *     proportion to weight.
 *  6. Cap: a capped entity runs at most cap% of each accounting period
 *     (plus nothing: its slice ends at its remaining budget), then is
 *     parked until the next accounting.
 *  7. Work conservation: sched_pick() returns NULL only if no entity that
 *     may run on that CPU is queued anywhere; a queued entity left waiting
 *     while a CPU in its hard affinity idles gets that CPU in s->resched.
 *     A returned slice is in (0, SCHED_SLICE_NS]; idle gets 0.
 *  8. Wake-up: a waking entity is queued on an idle CPU of its affinity if
 *     there is one, else on a CPU running lower-priority work, and that
 *     CPU is put in s->resched, so it runs within one slice at worst.
 *
 * The caller serialises every call on one struct sched (one scheduler
 * lock) and calls sched_ran() for the time an entity ran before the CPU's
 * next sched_pick() and before sched_account(). Corner cases: waking a
 * runnable entity or blocking a blocked one changes nothing; blocking a
 * running entity leaves it curr until its CPU picks again, as does
 * re-pinning it away from its CPU; waking it again before that pick makes it
 * RUNNING again, still curr, never queued (so no other CPU can take it
 * while its context is live); removing a running entity is a BUG.
 * The now arguments are for callers' symmetry and tracing: the policy's
 * only clocks are sched_ran() and sched_account().
 */
#include <satori/bug.h>
#include <satori/errno.h>
#include <satori/sched_credit.h>

static sched_cpumask_t cpu_bit(unsigned int cpu)
{
    return (sched_cpumask_t)1 << cpu;
}

static sched_cpumask_t online_mask(const struct sched *s)
{
    return s->nr_cpus == SCHED_MAX_CPUS ? SCHED_CPU_ALL
                                        : cpu_bit(s->nr_cpus) - 1;
}

static unsigned int first_cpu(sched_cpumask_t m)
{
    return (unsigned int)__builtin_ctzll(m);
}

static s_time_t cap_budget(const struct sched_entity *e)
{
    return SCHED_ACCT_PERIOD_NS * e->cap / 100;
}

static enum sched_pri credit_pri(const struct sched_entity *e)
{
    return e->credit >= 0 ? SCHED_PRI_UNDER : SCHED_PRI_OVER;
}

static enum sched_pri cpu_pri(const struct sched *s, unsigned int cpu)
{
    return s->cpu[cpu].curr ? s->cpu[cpu].curr->pri : SCHED_PRI_IDLE;
}

/* Does a run before b: higher priority, then more credit (invariant 2). */
static bool runs_before(const struct sched_entity *a,
                        const struct sched_entity *b)
{
    return a->pri > b->pri || (a->pri == b->pri && a->credit > b->credit);
}

/* Insert after every entity that does not run after e (invariant 2). */
static void runq_insert(struct sched *s, struct sched_entity *e,
                        unsigned int cpu)
{
    struct list_head *pos, *q = &s->cpu[cpu].runq;

    ASSERT(!e->queued && !e->parked && e->state == SCHED_RUNNABLE);
    ASSERT(e->hard_affinity & cpu_bit(cpu));
    list_for_each(pos, q) {
        if (runs_before(e, list_entry(pos, struct sched_entity, runq_elem)))
            break;
    }
    list_insert_between(&e->runq_elem, pos->prev, pos);
    e->queued = true;
    e->cpu = cpu;
}

static void runq_remove(struct sched_entity *e)
{
    ASSERT(e->queued);
    list_del(&e->runq_elem);
    e->queued = false;
}

/* Set e's priority from its credit, moving it in its queue (2, 4). */
static void update_pri(struct sched *s, struct sched_entity *e)
{
    bool was_queued = e->queued;

    if (was_queued)
        runq_remove(e);
    e->pri = credit_pri(e);
    if (was_queued)
        runq_insert(s, e, e->cpu);
}

/* An idle CPU that may run e and is not yet told to pick, soft first. */
static int idle_cpu_for(const struct sched *s, const struct sched_entity *e)
{
    sched_cpumask_t m = e->hard_affinity & online_mask(s) & ~s->resched;
    sched_cpumask_t idle = 0;

    for (sched_cpumask_t t = m; t; t &= t - 1) {
        if (!s->cpu[first_cpu(t)].curr)
            idle |= cpu_bit(first_cpu(t));
    }
    if (idle & e->soft_affinity)
        return (int)first_cpu(idle & e->soft_affinity);
    return idle ? (int)first_cpu(idle) : -1;
}

/* The CPU of e's affinity running the lowest priority below e's, or -1. */
static int preemptible_cpu_for(const struct sched *s,
                               const struct sched_entity *e)
{
    sched_cpumask_t m = e->hard_affinity & online_mask(s);
    int best = -1;

    if ((m & cpu_bit(e->cpu)) && cpu_pri(s, e->cpu) < e->pri)
        return (int)e->cpu;
    for (; m; m &= m - 1) {
        unsigned int c = first_cpu(m);

        if (cpu_pri(s, c) < e->pri &&
            (best < 0 || cpu_pri(s, c) < cpu_pri(s, (unsigned int)best)))
            best = (int)c;
    }
    return best;
}

/* Tell an idle CPU that e waits (invariant 7). */
static void tickle_idle(struct sched *s, const struct sched_entity *e)
{
    int c = idle_cpu_for(s, e);

    if (c >= 0)
        s->resched |= cpu_bit((unsigned int)c);
}

/* Queue a runnable e where it will run soonest and tell that CPU (8). */
static void place(struct sched *s, struct sched_entity *e)
{
    sched_cpumask_t m = e->hard_affinity & online_mask(s);
    int c = idle_cpu_for(s, e);

    if (c < 0)
        c = preemptible_cpu_for(s, e);
    if (c >= 0) {
        runq_insert(s, e, (unsigned int)c);
        s->resched |= cpu_bit((unsigned int)c);
        return;
    }
    if (!(m & cpu_bit(e->cpu)))
        e->cpu = first_cpu(m & e->soft_affinity ? m & e->soft_affinity : m);
    runq_insert(s, e, e->cpu);
}

void sched_init(struct sched *s, unsigned int nr_cpus)
{
    BUG_ON(nr_cpus == 0 || nr_cpus > SCHED_MAX_CPUS);
    s->nr_cpus = nr_cpus;
    s->nr_entities = 0;
    s->resched = 0;
    list_init(&s->all);
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
        list_init(&s->cpu[c].runq);
        s->cpu[c].curr = NULL;
    }
}

/*
 * Add e, blocked, with weight (0: SCHED_DEFAULT_WEIGHT), cap (percent of
 * one CPU, 0: none) and hard affinity; soft affinity starts as all CPUs.
 * Returns 0, or -EINVAL (nothing changed) for a bad weight, cap or mask.
 */
int sched_add(struct sched *s, struct sched_entity *e, unsigned int weight,
              unsigned int cap, sched_cpumask_t affinity)
{
    if (weight == 0)
        weight = SCHED_DEFAULT_WEIGHT;
    if (weight > SCHED_MAX_WEIGHT || cap > 100 ||
        !(affinity & online_mask(s)))
        return -EINVAL;
    list_init(&e->runq_elem);
    list_add_tail(&e->all_elem, &s->all);
    e->state = SCHED_BLOCKED;
    e->pri = SCHED_PRI_UNDER;
    e->queued = e->parked = e->ran = false;
    e->weight = weight;
    e->cap = cap;
    e->hard_affinity = affinity;
    e->soft_affinity = SCHED_CPU_ALL;
    e->cpu = first_cpu(affinity & online_mask(s));
    e->credit = e->cap_used = 0;
    s->nr_entities++;
    return 0;
}

/* Remove a blocked or runnable e. Removing a running one is a BUG. */
void sched_remove(struct sched *s, struct sched_entity *e)
{
    BUG_ON(e->state == SCHED_RUNNING);
    ASSERT(s->nr_entities > 0);
    if (e->queued)
        runq_remove(e);
    list_del(&e->all_elem);
    s->nr_entities--;
}

/*
 * Set e's hard and soft affinity. Returns 0, or -EINVAL (nothing changed)
 * when hard names no online CPU. A queued e moves to a CPU it may use; a
 * running e that may no longer stay gets its CPU in s->resched.
 */
int sched_set_affinity(struct sched *s, struct sched_entity *e,
                       sched_cpumask_t hard, sched_cpumask_t soft)
{
    if (!(hard & online_mask(s)))
        return -EINVAL;
    e->hard_affinity = hard;
    e->soft_affinity = soft;
    if (e->queued && !(hard & cpu_bit(e->cpu))) {
        runq_remove(e);
        place(s, e);
    }
    if (e->state == SCHED_RUNNING && !(hard & cpu_bit(e->cpu)))
        s->resched |= cpu_bit(e->cpu);
    return 0;
}

void sched_wake(struct sched *s, struct sched_entity *e, s_time_t now)
{
    (void)now;  /* the credit model needs no wake time; the API keeps it */
    if (e->state != SCHED_BLOCKED)
        return;
    if (s->cpu[e->cpu].curr == e) {
        /* Blocked and woken before its CPU picked again: it never left. */
        e->state = SCHED_RUNNING;
        return;
    }
    e->state = SCHED_RUNNABLE;
    e->pri = e->credit >= 0 ? SCHED_PRI_BOOST : SCHED_PRI_OVER;
    if (!e->parked)
        place(s, e);
}

void sched_block(struct sched *s, struct sched_entity *e)
{
    if (e->state == SCHED_BLOCKED)
        return;
    if (e->queued)
        runq_remove(e);
    if (e->state == SCHED_RUNNING)
        s->resched |= cpu_bit(e->cpu);
    e->state = SCHED_BLOCKED;
}

/* The best entity on another CPU's queue that cpu may run, above floor. */
static struct sched_entity *steal(struct sched *s, unsigned int cpu,
                                  enum sched_pri floor)
{
    struct sched_entity *best = NULL;
    int best_rank = -1;

    for (unsigned int i = 1; i < s->nr_cpus; i++) {
        unsigned int peer = (cpu + i) % s->nr_cpus;
        struct list_head *pos;

        list_for_each(pos, &s->cpu[peer].runq) {
            struct sched_entity *e =
                list_entry(pos, struct sched_entity, runq_elem);
            int rank = 2 * e->pri + !!(e->soft_affinity & cpu_bit(cpu));

            if (e->pri <= floor)
                break;          /* the rest of this queue is no better */
            if (!(e->hard_affinity & cpu_bit(cpu)) || rank < best_rank ||
                (rank == best_rank && e->credit <= best->credit))
                continue;
            best = e;
            best_rank = rank;
        }
    }
    return best;
}

/*
 * Choose what cpu runs next, putting its current entity back first.
 * Returns the entity (now RUNNING, *slice its time slice), or NULL and
 * *slice 0: the CPU idles until it is named in s->resched.
 */
struct sched_entity *sched_pick(struct sched *s, unsigned int cpu,
                                s_time_t now, s_time_t *slice)
{
    struct sched_cpu *pc = &s->cpu[cpu];
    struct sched_entity *prev = pc->curr, *next = NULL;

    (void)now;
    BUG_ON(cpu >= s->nr_cpus);
    s->resched &= ~cpu_bit(cpu);
    pc->curr = NULL;
    if (prev && prev->state == SCHED_RUNNING) {
        prev->state = SCHED_RUNNABLE;
        if (!prev->parked && (prev->hard_affinity & cpu_bit(cpu)))
            runq_insert(s, prev, cpu);
        else if (!prev->parked)
            place(s, prev);     /* its affinity changed while it ran */
    }
    if (!list_empty(&pc->runq))
        next = list_first_entry(&pc->runq, struct sched_entity, runq_elem);
    if (!next || next->pri < SCHED_PRI_UNDER) {
        struct sched_entity *e =
            steal(s, cpu, next ? next->pri : SCHED_PRI_IDLE);

        next = e ? e : next;
    }
    *slice = 0;
    if (next) {
        runq_remove(next);
        next->state = SCHED_RUNNING;
        next->cpu = cpu;
        pc->curr = next;
        *slice = SCHED_SLICE_NS;
        if (next->cap)
            *slice = MIN(*slice, cap_budget(next) - next->cap_used);
        ASSERT(*slice > 0);
    }
    if (prev && prev->queued)
        tickle_idle(s, prev);
    return next;
}

/* Charge e for ns of CPU time: burn credit and cap budget (4, 6). */
void sched_ran(struct sched *s, struct sched_entity *e, s_time_t ns)
{
    ASSERT(ns >= 0);
    e->credit -= ns;
    e->cap_used += ns;
    e->ran |= ns > 0;
    update_pri(s, e);
    if (e->cap && e->cap_used >= cap_budget(e) && !e->parked) {
        e->parked = true;
        if (e->queued)
            runq_remove(e);
        if (e->state == SCHED_RUNNING)
            s->resched |= cpu_bit(e->cpu);
    }
}

static unsigned long active_weight(const struct sched *s)
{
    unsigned long w = 0;
    struct list_head *pos;

    list_for_each(pos, &s->all) {
        const struct sched_entity *e =
            list_entry(pos, struct sched_entity, all_elem);

        if (e->state != SCHED_BLOCKED || e->ran)
            w += e->weight;
    }
    return w;
}

/* Grant one entity its share of the period (invariants 4 and 5). */
static void account_one(struct sched_entity *e, s_time_t pool,
                        unsigned long total_weight)
{
    s_time_t grant = 0;

    if (e->state != SCHED_BLOCKED || e->ran) {
        grant = MIN(pool * (s_time_t)e->weight / (s_time_t)total_weight,
                    SCHED_ACCT_PERIOD_NS);
        if (e->cap)
            grant = MIN(grant, cap_budget(e));
    }
    e->credit = MAX(MIN(e->credit + grant, SCHED_CREDIT_MAX),
                    -SCHED_CREDIT_MAX);
    if (e->pri != SCHED_PRI_BOOST || e->credit < 0)
        e->pri = credit_pri(e);
    e->ran = false;
    e->cap_used = e->cap ? MAX(e->cap_used - cap_budget(e), 0) : 0;
}

/* Re-sort cpu's queue after credits changed, stably (invariant 2). */
static void runq_resort(struct sched *s, unsigned int cpu)
{
    struct list_head tmp, *q = &s->cpu[cpu].runq;

    list_init(&tmp);
    while (!list_empty(q)) {
        struct list_head *n = q->next;

        list_del(n);
        list_add_tail(n, &tmp);
    }
    while (!list_empty(&tmp)) {
        struct sched_entity *e =
            list_first_entry(&tmp, struct sched_entity, runq_elem);

        list_del(&e->runq_elem);
        e->queued = false;
        runq_insert(s, e, cpu);
    }
}

/* Hand out the period's credit, refill cap budgets, unpark (4, 5, 6). */
void sched_account(struct sched *s, s_time_t now)
{
    s_time_t pool = SCHED_ACCT_PERIOD_NS * (s_time_t)s->nr_cpus;
    unsigned long total_weight = active_weight(s);
    struct list_head *pos;

    (void)now;
    list_for_each(pos, &s->all)
        account_one(list_entry(pos, struct sched_entity, all_elem), pool,
                    total_weight);
    for (unsigned int c = 0; c < s->nr_cpus; c++)
        runq_resort(s, c);
    list_for_each(pos, &s->all) {
        struct sched_entity *e =
            list_entry(pos, struct sched_entity, all_elem);

        if (e->parked && e->cap_used < cap_budget(e)) {
            e->parked = false;
            if (e->state == SCHED_RUNNABLE)
                place(s, e);
        }
    }
}

/* The CPUs that must call sched_pick() soon; clears the mask. */
sched_cpumask_t sched_take_resched(struct sched *s)
{
    sched_cpumask_t m = s->resched;

    s->resched = 0;
    return m;
}
