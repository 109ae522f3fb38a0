/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the credit scheduler's policy (hypervisor/sched_credit.c): a
 * simulator runs it over simulated time on N CPUs, as the hypervisor would
 * (slice ends, accounting every period, resched requests honoured at once,
 * vCPUs that compute, block and wake), and measures each entity's CPU time;
 * every step re-checks the structural invariants and work conservation.
 */
#include <errno.h>

#include <satori/sched_credit.h>

#include "check.h"

#define NE 16
#define NC 4
#define MS 1000000LL
#define PERIOD SCHED_ACCT_PERIOD_NS

struct sim_ent {
    s_time_t burst, sleep;      /* burst 0: CPU-bound, never blocks */
    s_time_t left;              /* of the current burst */
    s_time_t wake_at;           /* STIME_MAX: no wake pending */
    s_time_t woke;              /* when it last woke */
    bool waiting;               /* woke and has not run since */
    s_time_t run, period_run, max_period_run, max_latency;
    sched_cpumask_t ran_on;
};

static struct sched s;
static struct sched_entity ent[NE];
static struct sim_ent se[NE];
static s_time_t now, next_acct, start[NC], end[NC], idle_ns[NC];
static unsigned int nr_cpu, nr_ent;
static bool conserve_ok, credit_ok;
static unsigned long nr_idle_checks;   /* idle CPUs checked for 7 */

static unsigned int idx(const struct sched_entity *e)
{
    return (unsigned int)(e - ent);
}

static void sim_init(unsigned int cpus)
{
    memset(ent, 0, sizeof(ent));
    memset(se, 0, sizeof(se));
    memset(idle_ns, 0, sizeof(idle_ns));
    sched_init(&s, cpus);
    nr_cpu = cpus;
    nr_ent = 0;
    now = 0;
    next_acct = PERIOD;
    conserve_ok = credit_ok = true;
    for (unsigned int c = 0; c < NC; c++)
        start[c] = 0, end[c] = STIME_MAX;
}

/* Add an entity that is runnable from time 0. */
static unsigned int sim_add(unsigned int weight, unsigned int cap,
                            sched_cpumask_t aff, s_time_t burst,
                            s_time_t sleep)
{
    unsigned int i = nr_ent++;

    if (sched_add(&s, &ent[i], weight, cap, aff) != 0)
        abort();
    se[i].burst = burst;
    se[i].left = burst;
    se[i].sleep = sleep;
    se[i].wake_at = now;
    return i;
}

/* Charge the CPU's current entity (or idle) for the time since start. */
static void charge(unsigned int c)
{
    struct sched_entity *e = s.cpu[c].curr;
    s_time_t d = now - start[c];

    start[c] = now;
    if (!e) {
        idle_ns[c] += d;
        return;
    }
    sched_ran(&s, e, d);
    se[idx(e)].run += d;
    se[idx(e)].period_run += d;
    se[idx(e)].left -= d;
}

static void resched(unsigned int c)
{
    struct sched_entity *e = s.cpu[c].curr;
    s_time_t slice;

    charge(c);
    if (e && se[idx(e)].burst && se[idx(e)].left <= 0) {
        sched_block(&s, e);
        se[idx(e)].wake_at = now + se[idx(e)].sleep;
    }
    e = sched_pick(&s, c, now, &slice);
    end[c] = STIME_MAX;
    if (!e)
        return;
    struct sim_ent *x = &se[idx(e)];

    x->ran_on |= (sched_cpumask_t)1 << c;
    if (x->waiting && now - x->woke > x->max_latency)
        x->max_latency = now - x->woke;
    x->waiting = false;
    end[c] = now + (x->burst ? MIN(slice, x->left) : slice);
}

/* Invariants 1-4 on the whole structure, and 7 for idle CPUs. */
static void check_structure(void)
{
    unsigned int queued = 0;

    for (unsigned int c = 0; c < nr_cpu; c++) {
        struct list_head *pos;
        struct sched_entity *prev = NULL;
        struct sched_entity *cur = s.cpu[c].curr;

        list_for_each(pos, &s.cpu[c].runq) {
            struct sched_entity *e =
                list_entry(pos, struct sched_entity, runq_elem);

            CHECK(e->queued && e->cpu == c);                        /* 1 */
            CHECK(e->state == SCHED_RUNNABLE && !e->parked);        /* 1 */
            CHECK(!prev || prev->pri > e->pri ||
                  (prev->pri == e->pri && prev->credit >= e->credit)); /* 2 */
            CHECK(e->hard_affinity & (1ULL << c));                  /* 3 */
            prev = e;
            queued++;
            if (!cur)
                conserve_ok = false;                                /* 7 */
        }
        nr_idle_checks += !cur;
        if (cur)
            CHECK(cur->state == SCHED_RUNNING && cur->cpu == c &&
                  (cur->hard_affinity & (1ULL << c)));              /* 1, 3 */
    }
    for (unsigned int i = 0; i < nr_ent; i++) {
        struct sched_entity *e = &ent[i];

        CHECK(e->queued == (e->state == SCHED_RUNNABLE && !e->parked)); /* 1 */
        CHECK((e->state == SCHED_RUNNING) == (s.cpu[e->cpu].curr == e));
        CHECK(e->pri == SCHED_PRI_BOOST ? e->credit >= 0 :
              e->pri == (e->credit >= 0 ? SCHED_PRI_UNDER :
                         SCHED_PRI_OVER));                          /* 4 */
        if (e->queued) {
            /* 7: no idle CPU it may run on */
            for (unsigned int c = 0; c < nr_cpu; c++)
                if (!s.cpu[c].curr && (e->hard_affinity & (1ULL << c)))
                    conserve_ok = false;
        }
        queued -= e->queued;
    }
    CHECK(queued == 0);
}

static void drain(void)
{
    sched_cpumask_t m;

    while ((m = sched_take_resched(&s)))
        for (unsigned int c = 0; c < nr_cpu; c++)
            if (m & (1ULL << c))
                resched(c);
}

static void account(void)
{
    for (unsigned int c = 0; c < nr_cpu; c++)
        charge(c);
    sched_account(&s, now);
    for (unsigned int i = 0; i < nr_ent; i++) {
        struct sim_ent *x = &se[i];

        x->max_period_run = MAX(x->max_period_run, x->period_run);
        x->period_run = 0;
        if (ent[i].credit > SCHED_CREDIT_MAX ||
            ent[i].credit < -SCHED_CREDIT_MAX)
            credit_ok = false;                                      /* 4 */
    }
    next_acct += PERIOD;
}

static void sim_run(s_time_t until)
{
    while (now < until) {
        s_time_t t = MIN(until, next_acct);

        for (unsigned int c = 0; c < nr_cpu; c++)
            t = MIN(t, end[c]);
        for (unsigned int i = 0; i < nr_ent; i++)
            t = MIN(t, se[i].wake_at);
        now = t;
        for (unsigned int c = 0; c < nr_cpu; c++)
            if (s.cpu[c].curr && end[c] <= now)
                resched(c);
        for (unsigned int i = 0; i < nr_ent; i++) {
            if (se[i].wake_at > now)
                continue;
            se[i].wake_at = STIME_MAX;
            se[i].left = se[i].burst;
            se[i].woke = now;
            se[i].waiting = true;
            sched_wake(&s, &ent[i], now);
        }
        if (now >= next_acct)
            account();
        drain();
        CHECK_CALL(check_structure());
    }
    for (unsigned int c = 0; c < nr_cpu; c++)
        charge(c);
}

static s_time_t total_run(void)
{
    s_time_t t = 0;

    for (unsigned int i = 0; i < nr_ent; i++)
        t += se[i].run;
    return t;
}

/* |share of entity i - want| within 10% of want. */
static bool share_ok(unsigned int i, double want)
{
    double got = (double)se[i].run / (double)total_run();

    fprintf(stderr, "sched_credit: entity %u share %.4f want %.4f\n", i, got,
            want);
    return got > want * 0.9 && got < want * 1.1;
}

static void test_weights_1_1_2_4_on_2_cpus(void)                 /* 5 */
{
    static const unsigned int w[] = { 256, 256, 512, 1024 };
    bool ok[4];

    sim_init(2);
    for (unsigned int i = 0; i < 4; i++)
        sim_add(w[i], 0, SCHED_CPU_ALL, 0, 0);
    CHECK_CALL(sim_run(10000 * MS));
    for (unsigned int i = 0; i < 4; i++)
        ok[i] = share_ok(i, w[i] / 2048.0);
    CHECK(ok[0] && ok[1] && ok[2] && ok[3]);
    CHECK(idle_ns[0] == 0 && idle_ns[1] == 0);
    CHECK(conserve_ok && credit_ok);
}

static void test_equal_weights_on_4_cpus(void)                   /* 5 */
{
    for (unsigned int n = 4; n <= 7; n += 3) {
        sim_init(4);
        for (unsigned int i = 0; i < n; i++)
            sim_add(0, 0, SCHED_CPU_ALL, 0, 0);
        CHECK_CALL(sim_run(6000 * MS));
        for (unsigned int i = 0; i < n; i++)
            CHECK(share_ok(i, 1.0 / n));
        CHECK(conserve_ok && credit_ok);
    }
}

static void test_cap_when_otherwise_idle(void)                   /* 6 */
{
    sim_init(2);
    sim_add(0, 25, SCHED_CPU_ALL, 0, 0);
    CHECK_CALL(sim_run(3000 * MS));
    fprintf(stderr, "sched_credit: cap 25 alone: %.4f of one CPU\n",
            (double)se[0].run / (3000.0 * MS));
    CHECK(se[0].run <= 3000 * MS / 4 + MS);
    CHECK(se[0].run >= 3000 * MS / 4 - PERIOD);
    CHECK(se[0].max_period_run <= PERIOD / 4);
    CHECK(conserve_ok && credit_ok);
}

static void test_cap_with_competitor(void)                       /* 6, 7 */
{
    sim_init(1);
    sim_add(1024, 25, SCHED_CPU_ALL, 0, 0);  /* heavy weight, small cap */
    sim_add(256, 0, SCHED_CPU_ALL, 0, 0);
    CHECK_CALL(sim_run(3000 * MS));
    CHECK(se[0].max_period_run <= PERIOD / 4);
    CHECK(se[0].run <= 3000 * MS / 4 + MS);
    CHECK(se[0].run + se[1].run == 3000 * MS && idle_ns[0] == 0);
    CHECK(conserve_ok && credit_ok);
}

static void test_hard_affinity(void)                             /* 3 */
{
    sim_init(4);
    sim_add(0, 0, 1ULL << 1, 0, 0);
    sim_add(0, 0, 1ULL << 1, 2 * MS, 3 * MS);
    for (unsigned int i = 0; i < 5; i++)
        sim_add(0, 0, SCHED_CPU_ALL, i ? 0 : MS, 5 * MS);
    CHECK_CALL(sim_run(2000 * MS));
    CHECK(se[0].ran_on == 1ULL << 1 && se[1].ran_on == 1ULL << 1);
    CHECK(se[0].run > 0 && se[1].run > 0);
    CHECK(conserve_ok);
    CHECK(sched_add(&s, &ent[nr_ent], 0, 0, 1ULL << 4) == -EINVAL);

    /* Re-pinned while running or queued: from then on only CPU 2. */
    CHECK(sched_set_affinity(&s, &ent[0], 1ULL << 4, 0) == -EINVAL);
    CHECK(ent[0].hard_affinity == 1ULL << 1);
    for (unsigned int i = 0; i < 2; i++) {
        CHECK(sched_set_affinity(&s, &ent[i], 1ULL << 2, 1ULL << 2) == 0);
        se[i].ran_on = 0;
    }
    drain();
    CHECK_CALL(check_structure());
    CHECK_CALL(sim_run(4000 * MS));
    CHECK(se[0].ran_on == 1ULL << 2 && se[1].ran_on == 1ULL << 2);
    CHECK(conserve_ok);
}

static void test_blocked_get_nothing_waker_runs_promptly(void)   /* 1, 8 */
{
    sim_init(2);
    for (unsigned int i = 0; i < 4; i++)
        sim_add(0, 0, SCHED_CPU_ALL, 0, 0);
    sim_add(0, 0, SCHED_CPU_ALL, MS, 9 * MS);       /* interactive */
    sim_add(0, 0, SCHED_CPU_ALL, 0, 0);
    se[5].wake_at = STIME_MAX;                      /* never woken */
    CHECK_CALL(sim_run(100 * MS));      /* at 0 all are boosted: warm up */
    se[4].max_latency = 0;
    CHECK_CALL(sim_run(3000 * MS));
    fprintf(stderr, "sched_credit: interactive max wake latency %lld ns, "
            "got %.4f of a CPU\n", (long long)se[4].max_latency,
            (double)se[4].run / (3000.0 * MS));
    CHECK(se[5].run == 0 && ent[5].state == SCHED_BLOCKED);
    CHECK(se[4].max_latency <= SCHED_SLICE_NS);
    CHECK(se[4].run >= 3000 * MS / 10 * 9 / 10);    /* got its 10% duty */
    CHECK(conserve_ok);

    /* Block a CPU-bound one mid-run: from then on it gets nothing. */
    s_time_t before = se[0].run;

    sched_block(&s, &ent[0]);
    drain();
    CHECK_CALL(sim_run(4000 * MS));
    CHECK(se[0].run == before && !ent[0].queued);
}

static void test_idle_when_nothing_runnable(void)                /* 7 */
{
    s_time_t slice = 1;

    sim_init(4);
    for (unsigned int i = 0; i < 3; i++) {
        sim_add(0, 0, SCHED_CPU_ALL, 0, 0);
        se[i].wake_at = STIME_MAX;
    }
    CHECK_CALL(sim_run(1000 * MS));
    for (unsigned int c = 0; c < 4; c++) {
        CHECK(idle_ns[c] == 1000 * MS && !s.cpu[c].curr);
        CHECK(sched_pick(&s, c, now, &slice) == NULL && slice == 0);
    }
    CHECK(total_run() == 0 && sched_take_resched(&s) == 0);

    /* Work, then all of it blocks: every CPU goes back to idle. */
    for (unsigned int i = 0; i < 3; i++)
        se[i].wake_at = now;
    CHECK_CALL(sim_run(1100 * MS));
    for (unsigned int i = 0; i < 3; i++)
        sched_block(&s, &ent[i]), se[i].wake_at = STIME_MAX;
    drain();
    for (unsigned int c = 0; c < 4; c++)
        CHECK(!s.cpu[c].curr);
}

static void test_work_conservation_random(void)                  /* 1-4, 7 */
{
    uint64_t seed = 0x5eed5a70;

    nr_idle_checks = 0;

    for (int round = 0; round < 8; round++) {
        sim_init(1 + round % NC);
        for (unsigned int i = 0; i < 3 + check_rand(&seed) % 12; i++) {
            sched_cpumask_t aff = check_rand(&seed) & ((1ULL << nr_cpu) - 1);
            bool bursty = check_rand(&seed) % 2;

            sim_add((unsigned int)(1 + check_rand(&seed) % 1024),
                    (unsigned int)(check_rand(&seed) % 3 ? 0 :
                                   5 + check_rand(&seed) % 90),
                    aff ? aff : SCHED_CPU_ALL,
                    bursty ? (s_time_t)(check_rand(&seed) % (20 * MS)) + 1 : 0,
                    (s_time_t)(check_rand(&seed) % (40 * MS)));
        }
        CHECK_CALL(sim_run(1000 * MS));
        for (unsigned int i = 0; i < nr_ent; i++) {     /* re-pin some */
            sched_cpumask_t aff = check_rand(&seed) & ((1ULL << nr_cpu) - 1);

            if (aff && check_rand(&seed) % 3 == 0)
                CHECK(sched_set_affinity(&s, &ent[i], aff,
                                         check_rand(&seed)) == 0);
        }
        drain();
        CHECK_CALL(sim_run(2000 * MS));
        CHECK(conserve_ok && credit_ok);
        for (unsigned int i = 0; i < nr_ent; i++)
            CHECK(ent[i].cap == 0 || se[i].max_period_run <=
                  PERIOD * ent[i].cap / 100);                       /* 6 */
    }
    CHECK(nr_idle_checks > 1000);       /* the check of 7 had idle CPUs */
}

static void test_fifo_and_boost(void)                            /* 2, 4, 8 */
{
    struct sched_entity *order[6];
    s_time_t slice;

    sim_init(1);
    for (unsigned int i = 0; i < 3; i++)
        CHECK(sched_add(&s, &ent[i], 0, 0, SCHED_CPU_ALL) == 0);
    nr_ent = 3;
    for (unsigned int i = 0; i < 3; i++) {
        sched_wake(&s, &ent[i], 0);
        CHECK(ent[i].pri == SCHED_PRI_BOOST);                      /* 4, 8 */
    }
    CHECK(sched_take_resched(&s) == 1);
    for (unsigned int k = 0; k < 6; k++) {
        order[k] = sched_pick(&s, 0, 0, &slice);
        CHECK(order[k] && slice == SCHED_SLICE_NS);
        sched_ran(&s, order[k], MS);
        CHECK(order[k]->pri == SCHED_PRI_OVER);                    /* 4 */
        CHECK_CALL(check_structure());
    }
    CHECK(order[0] == &ent[0] && order[1] == &ent[1] &&
          order[2] == &ent[2] && order[3] == &ent[0] &&
          order[4] == &ent[1] && order[5] == &ent[2]);             /* 2 */

    /* A woken UNDER entity preempts a CPU running OVER work. */
    CHECK(sched_add(&s, &ent[3], 0, 0, SCHED_CPU_ALL) == 0);
    nr_ent = 4;
    sched_wake(&s, &ent[3], MS);
    CHECK(ent[3].pri == SCHED_PRI_BOOST && sched_take_resched(&s) == 1);
    CHECK(sched_pick(&s, 0, MS, &slice) == &ent[3]);
    sched_ran(&s, &ent[3], 0);
    CHECK(ent[3].pri == SCHED_PRI_UNDER);                          /* 4 */
    /* Woken with debt: OVER, no boost, no preemption of UNDER work. */
    sched_block(&s, &ent[0]);
    sched_wake(&s, &ent[0], MS);
    CHECK(ent[0].pri == SCHED_PRI_OVER && sched_take_resched(&s) == 0);
    CHECK_CALL(check_structure());
}

static void test_account_grants(void)                            /* 4, 5 */
{
    s_time_t slice;

    sim_init(1);
    static const unsigned int w[] = { 100, 100, 200 };
    for (unsigned int i = 0; i < 3; i++) {
        CHECK(sched_add(&s, &ent[i], w[i], 0, SCHED_CPU_ALL) == 0);
        sched_wake(&s, &ent[i], 0);
    }
    nr_ent = 3;
    sched_account(&s, PERIOD);
    CHECK(ent[0].credit == PERIOD / 4 && ent[1].credit == PERIOD / 4 &&
          ent[2].credit == PERIOD / 2);
    for (int k = 0; k < 10; k++)
        sched_account(&s, PERIOD);
    CHECK(ent[2].credit == SCHED_CREDIT_MAX);                      /* 4 */
    struct sched_entity *e = sched_pick(&s, 0, 0, &slice);

    CHECK(e == &ent[2]);                /* most credit runs first (2) */
    sched_ran(&s, e, 100 * PERIOD);
    sched_account(&s, PERIOD);
    CHECK(e->credit == -SCHED_CREDIT_MAX && e->pri == SCHED_PRI_OVER);

    /* Alone on 2 CPUs: at most one CPU's worth; capped: at most the cap. */
    sim_init(2);
    CHECK(sched_add(&s, &ent[0], 0, 0, SCHED_CPU_ALL) == 0);
    CHECK(sched_add(&s, &ent[1], 0, 10, SCHED_CPU_ALL) == 0);
    CHECK(sched_add(&s, &ent[2], 0, 0, SCHED_CPU_ALL) == 0);
    sched_wake(&s, &ent[0], 0);
    sched_wake(&s, &ent[1], 0);
    sched_account(&s, PERIOD);
    CHECK(ent[0].credit == PERIOD && ent[1].credit == PERIOD / 10);
    CHECK(ent[2].credit == 0);          /* blocked: no grant */
}

static void test_api_corners(void)                               /* 1 */
{
    s_time_t slice;

    sim_init(2);
    CHECK(sched_add(&s, &ent[0], SCHED_MAX_WEIGHT + 1, 0, 1) == -EINVAL);
    CHECK(sched_add(&s, &ent[0], 0, 101, 1) == -EINVAL);
    CHECK(sched_add(&s, &ent[0], 0, 0, 0) == -EINVAL);
    CHECK(s.nr_entities == 0);
    CHECK(sched_add(&s, &ent[0], 0, 0, SCHED_CPU_ALL) == 0);
    CHECK(ent[0].weight == SCHED_DEFAULT_WEIGHT &&
          ent[0].state == SCHED_BLOCKED);
    nr_ent = 1;
    sched_block(&s, &ent[0]);                       /* no-op */
    sched_wake(&s, &ent[0], 0);
    sched_wake(&s, &ent[0], 0);                     /* no-op */
    CHECK_CALL(check_structure());
    CHECK(sched_pick(&s, 0, 0, &slice) == &ent[0]);
    CHECK_DIES(sched_remove(&s, &ent[0]));
    sched_wake(&s, &ent[0], 0);                     /* running: no-op */
    sched_block(&s, &ent[0]);
    CHECK(sched_take_resched(&s) == 1 && s.cpu[0].curr == &ent[0]);
    CHECK(sched_pick(&s, 0, 0, &slice) == NULL && slice == 0);
    sched_wake(&s, &ent[0], 0);
    sched_remove(&s, &ent[0]);                      /* queued: fine */
    nr_ent = 0;
    CHECK(s.nr_entities == 0 && list_empty(&s.cpu[0].runq));
    CHECK(sched_pick(&s, 0, 0, &slice) == NULL);
}

/* Blocked while curr, woken before its CPU picks: running, never queued. */
static void test_wake_before_pick(void)                          /* 1 */
{
    s_time_t slice;

    sim_init(2);
    CHECK(sched_add(&s, &ent[0], 0, 0, SCHED_CPU_ALL) == 0);
    nr_ent = 1;
    sched_wake(&s, &ent[0], 0);
    CHECK(sched_pick(&s, 0, 0, &slice) == &ent[0]);
    sched_block(&s, &ent[0]);
    sched_wake(&s, &ent[0], 0);
    CHECK(ent[0].state == SCHED_RUNNING && !ent[0].queued && s.cpu[0].curr == &ent[0]);
    CHECK(sched_pick(&s, 1, 0, &slice) == NULL);    /* CPU 1 cannot take it */
    CHECK_CALL(check_structure());
    CHECK(sched_pick(&s, 0, 0, &slice) == &ent[0]);
    nr_ent = 0;
}

int main(void)
{
    check_module = "sched_credit";
    RUN_TEST(test_weights_1_1_2_4_on_2_cpus);
    RUN_TEST(test_equal_weights_on_4_cpus);
    RUN_TEST(test_cap_when_otherwise_idle);
    RUN_TEST(test_cap_with_competitor);
    RUN_TEST(test_hard_affinity);
    RUN_TEST(test_blocked_get_nothing_waker_runs_promptly);
    RUN_TEST(test_idle_when_nothing_runnable);
    RUN_TEST(test_work_conservation_random);
    RUN_TEST(test_fifo_and_boost);
    RUN_TEST(test_account_grants);
    RUN_TEST(test_api_corners);
    RUN_TEST(test_wake_before_pick);
    return check_nr_failed ? 1 : 0;
}
