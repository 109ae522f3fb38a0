/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The credit scheduler's policy: proportional share by weight, caps,
 * affinity, wake-up boost and per-CPU run queues, as pure logic with no
 * locks or hardware. See hypervisor/sched_credit.c for the model and its
 * invariants.
 */
#ifndef SATORI_SCHED_CREDIT_H
#define SATORI_SCHED_CREDIT_H

#include <satori/list.h>
#include <satori/types.h>

#define SCHED_MAX_CPUS 64
#define SCHED_DEFAULT_WEIGHT 256
#define SCHED_MAX_WEIGHT 65535
#define SCHED_SLICE_NS 10000000LL           /* 10 ms time slice */
#define SCHED_ACCT_PERIOD_NS 30000000LL     /* accounting every 30 ms */
#define SCHED_CREDIT_MAX SCHED_ACCT_PERIOD_NS

typedef uint64_t sched_cpumask_t;           /* bit n: CPU n */
#define SCHED_CPU_ALL (~(sched_cpumask_t)0)

enum sched_state { SCHED_BLOCKED, SCHED_RUNNABLE, SCHED_RUNNING };

/* Higher runs first. A CPU with nothing to run is at SCHED_PRI_IDLE. */
enum sched_pri {
    SCHED_PRI_IDLE = -1,
    SCHED_PRI_OVER = 0,     /* credit < 0: runs only when no UNDER work */
    SCHED_PRI_UNDER = 1,    /* credit >= 0 */
    SCHED_PRI_BOOST = 2,    /* just woke from block with credit >= 0 */
};

/* One per vCPU. Fields are the scheduler's; read them, don't write them. */
struct sched_entity {
    struct list_head runq_elem;     /* on cpu[cpu].runq while queued */
    struct list_head all_elem;      /* on sched.all while added */
    enum sched_state state;
    enum sched_pri pri;
    bool queued;                    /* on a run queue */
    bool parked;                    /* capped and over its cap */
    bool ran;                       /* ran in this accounting period */
    unsigned int cpu;               /* queue it is on, or CPU it runs on */
    unsigned int weight;            /* 1..SCHED_MAX_WEIGHT */
    unsigned int cap;               /* percent of one CPU, 0 = none */
    sched_cpumask_t hard_affinity;  /* may only run here */
    sched_cpumask_t soft_affinity;  /* prefers to run here */
    s_time_t credit;                /* ns of CPU time it is owed */
    s_time_t cap_used;              /* ns run in this accounting period */
};

struct sched_cpu {
    struct list_head runq;          /* by pri, FIFO within a pri */
    struct sched_entity *curr;      /* NULL: idle */
};

/* One per machine; the caller serialises every call on it. */
struct sched {
    unsigned int nr_cpus;
    unsigned int nr_entities;
    sched_cpumask_t resched;        /* CPUs that must call sched_pick() */
    struct list_head all;           /* every added entity */
    struct sched_cpu cpu[SCHED_MAX_CPUS];
};

void sched_init(struct sched *s, unsigned int nr_cpus);
int __must_check sched_add(struct sched *s, struct sched_entity *e,
                           unsigned int weight, unsigned int cap,
                           sched_cpumask_t affinity);
void sched_remove(struct sched *s, struct sched_entity *e);
int __must_check sched_set_affinity(struct sched *s, struct sched_entity *e,
                                    sched_cpumask_t hard,
                                    sched_cpumask_t soft);
void sched_wake(struct sched *s, struct sched_entity *e, s_time_t now);
void sched_block(struct sched *s, struct sched_entity *e);
struct sched_entity *sched_pick(struct sched *s, unsigned int cpu,
                                s_time_t now, s_time_t *slice);
void sched_ran(struct sched *s, struct sched_entity *e, s_time_t ns);
void sched_account(struct sched *s, s_time_t now);
sched_cpumask_t sched_take_resched(struct sched *s);

#endif
