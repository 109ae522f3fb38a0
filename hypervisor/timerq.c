/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Software timers: the heap that orders them and the loop that fires them.
 * It owns the heap array the caller lends to timerq_init() and the
 * heap_index/active/seq fields of each queued struct timer.
 *
 * Model. A timerq is a binary min-heap of timer pointers keyed by
 * (expires, seq); seq is a per-queue counter stamped at each add, so timers
 * with equal expiry fire in the order they were added. timerq_run(now) pops
 * and calls due timers (expires <= now) in key order until it meets one that
 * was (re-)added during this run: that one, and any due timer behind it,
 * wait for the next run. A callback may add, re-add or remove any timer,
 * itself included; a callback that re-arms itself in the past therefore
 * cannot spin the loop, and each run fires at most the timers queued when it
 * began (it may still starve later timers, as any expiry order must). After
 * a run, timerq_next() <= now says such a timer is waiting: the caller
 * reprograms the hardware timer to timerq_next(), which then fires at once.
 * Caller serialises (the CPU's timer lock, held across callbacks or not, as
 * the caller chooses; callbacks run with whatever it holds).
 *
 * Invariants (tests/unit/test_timerq.c checks each, by number):
 *  1. Heap order: each timer's key is >= its parent's key.
 *  2. t->active iff t is in the heap, and then heap[t->heap_index] == t.
 *  3. n <= cap; timerq_add() of an inactive timer into a full queue is
 *     -ENOSPC and changes nothing.
 *  4. Timers fire in key order, each at most once per add, and a timer is
 *     inactive when its callback runs.
 *  5. timerq_next() is the smallest expiry queued, STIME_MAX when empty.
 *
 * Corner cases: re-adding an active timer moves it (never -ENOSPC) and
 * restamps its seq; removing an inactive timer returns false; expiries may
 * be negative or STIME_MAX (which still fires at now == STIME_MAX).
 */
#include <satori/bug.h>
#include <satori/errno.h>
#include <satori/timerq.h>

#define TIMER_NO_INDEX (~0U)

static bool timer_before(const struct timer *a, const struct timer *b)
{
    return a->expires < b->expires ||
           (a->expires == b->expires && a->seq < b->seq);
}

static void timerq_place(struct timerq *q, unsigned int i, struct timer *t)
{
    q->heap[i] = t;
    t->heap_index = i;
}

static void timerq_sift_up(struct timerq *q, unsigned int i)
{
    struct timer *t = q->heap[i];

    while (i > 0 && timer_before(t, q->heap[(i - 1) / 2])) {
        timerq_place(q, i, q->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    timerq_place(q, i, t);
}

static void timerq_sift_down(struct timerq *q, unsigned int i)
{
    struct timer *t = q->heap[i];
    unsigned int c;

    while ((c = 2 * i + 1) < q->n) {
        if (c + 1 < q->n && timer_before(q->heap[c + 1], q->heap[c]))
            c++;
        if (!timer_before(q->heap[c], t))
            break;
        timerq_place(q, i, q->heap[c]);
        i = c;
    }
    timerq_place(q, i, t);
}

/* Restores heap order around slot i after its timer's key changed. */
static void timerq_fix(struct timerq *q, unsigned int i)
{
    if (i > 0 && timer_before(q->heap[i], q->heap[(i - 1) / 2]))
        timerq_sift_up(q, i);
    else
        timerq_sift_down(q, i);
}

void timerq_init(struct timerq *q, struct timer **storage, unsigned int cap)
{
    q->heap = storage;
    q->n = 0;
    q->cap = cap;
    q->next_seq = 0;
}

void timer_init(struct timer *t, void (*fn)(void *), void *data)
{
    t->expires = 0;
    t->fn = fn;
    t->data = data;
    t->heap_index = TIMER_NO_INDEX;
    t->active = false;
    t->seq = 0;
}

int timerq_add(struct timerq *q, struct timer *t, s_time_t expires)
{
    ASSERT(t->fn != NULL);
    if (t->active) {
        ASSERT(t->heap_index < q->n && q->heap[t->heap_index] == t);
        t->expires = expires;
        t->seq = q->next_seq++;
        timerq_fix(q, t->heap_index);
        return 0;
    }
    if (q->n >= q->cap)
        return -ENOSPC;
    t->expires = expires;
    t->seq = q->next_seq++;
    t->active = true;
    timerq_place(q, q->n++, t);
    timerq_sift_up(q, q->n - 1);
    return 0;
}

bool timerq_remove(struct timerq *q, struct timer *t)
{
    unsigned int i = t->heap_index;

    if (!t->active)
        return false;
    ASSERT(i < q->n && q->heap[i] == t);
    t->active = false;
    t->heap_index = TIMER_NO_INDEX;
    if (i != --q->n) {
        timerq_place(q, i, q->heap[q->n]);
        timerq_fix(q, i);
    }
    return true;
}

s_time_t timerq_next(const struct timerq *q)
{
    return q->n ? q->heap[0]->expires : STIME_MAX;
}

struct timer *timerq_pop_expired(struct timerq *q, s_time_t now, uint64_t run_seq)
{
    struct timer *t;

    if (!q->n || q->heap[0]->expires > now || q->heap[0]->seq >= run_seq)
        return NULL;
    t = q->heap[0];
    timerq_remove(q, t);
    return t;
}

unsigned int timerq_run(struct timerq *q, s_time_t now)
{
    uint64_t run_seq = q->next_seq;
    unsigned int fired = 0;
    struct timer *t;

    while ((t = timerq_pop_expired(q, now, run_seq))) {
        fired++;
        t->fn(t->data);
    }
    return fired;
}
