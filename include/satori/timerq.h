/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timer queues: a binary min-heap of software timers ordered by expiry, in
 * storage the caller provides (one queue per CPU, say). See
 * hypervisor/timerq.c for the model and its invariants.
 */
#ifndef SATORI_TIMERQ_H
#define SATORI_TIMERQ_H

#include <satori/types.h>

struct timer {
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int heap_index;    /* valid while active */
    bool active;                /* queued and not yet fired */
    uint64_t seq;               /* queue order among equal expiries */
    unsigned int cpu;           /* timer.c: the CPU whose queue holds it */
};

struct timerq {
    struct timer **heap;
    unsigned int n, cap;
    uint64_t next_seq;
};

void timerq_init(struct timerq *q, struct timer **storage, unsigned int cap);
void timer_init(struct timer *t, void (*fn)(void *), void *data);
int timerq_add(struct timerq *q, struct timer *t, s_time_t expires);
bool timerq_remove(struct timerq *q, struct timer *t);
s_time_t timerq_next(const struct timerq *q);
unsigned int timerq_run(struct timerq *q, s_time_t now);
/*
 * One step of timerq_run for callers that must not hold their lock over a
 * callback: removes and returns the earliest timer due at now that was
 * queued before run_seq (q->next_seq when the run began), or NULL.
 */
struct timer *timerq_pop_expired(struct timerq *q, s_time_t now, uint64_t run_seq);

#endif
