/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the timer queue (hypervisor/timerq.c): heap order, ties,
 * removal, callbacks that change the queue, and a randomized run against a
 * sorted reference.
 */
#include <errno.h>

#include <satori/timerq.h>

#include "check.h"

#define NT 512

static struct timer *store[NT];
static struct timer tm[NT];
static struct timerq q;
static int fired_order[4 * NT], nr_fired;

static void on_fire(void *data)
{
    struct timer *t = &tm[(intptr_t)data];

    /* 4: the timer is inactive when its callback runs. */
    fired_order[nr_fired++] = t->active ? -1 : (int)(intptr_t)data;
}

static void setup(unsigned int cap)
{
    timerq_init(&q, store, cap);
    for (intptr_t i = 0; i < NT; i++)
        timer_init(&tm[i], on_fire, (void *)i);
    nr_fired = 0;
}

/* Invariants 1, 2, 3 and 5. */
static void check_heap(void)
{
    s_time_t min = STIME_MAX;

    CHECK(q.n <= q.cap);
    for (unsigned int i = 0; i < q.n; i++) {
        const struct timer *t = q.heap[i], *p = i ? q.heap[(i - 1) / 2] : t;

        CHECK(t->active && t->heap_index == i);                     /* 2 */
        CHECK(i == 0 || p->expires < t->expires ||
              (p->expires == t->expires && p->seq < t->seq));       /* 1 */
        min = t->expires < min ? t->expires : min;
    }
    for (unsigned int i = 0; i < NT; i++)
        CHECK(!tm[i].active || (tm[i].heap_index < q.n &&
                                q.heap[tm[i].heap_index] == &tm[i])); /* 2 */
    CHECK(timerq_next(&q) == min);                                  /* 5 */
}

static void test_ordering(void)                            /* 4 */
{
    static const s_time_t when[] = { 50, 10, 40, -5, 30, 20, STIME_MAX };

    setup(NT);
    CHECK(timerq_next(&q) == STIME_MAX && timerq_run(&q, 1000) == 0);
    for (int i = 0; i < 7; i++)
        CHECK(timerq_add(&q, &tm[i], when[i]) == 0);
    CHECK_CALL(check_heap());
    CHECK(timerq_next(&q) == -5);
    CHECK(timerq_run(&q, 25) == 3);
    CHECK(fired_order[0] == 3 && fired_order[1] == 1 && fired_order[2] == 5);
    CHECK(timerq_next(&q) == 30);
    CHECK(timerq_run(&q, 29) == 0);
    CHECK(timerq_run(&q, 50) == 3);
    CHECK(fired_order[3] == 4 && fired_order[4] == 2 && fired_order[5] == 0);
    CHECK(timerq_run(&q, STIME_MAX) == 1 && fired_order[6] == 6);
    CHECK(q.n == 0 && timerq_next(&q) == STIME_MAX);
}

static void test_equal_expiries(void)                      /* 4 */
{
    setup(NT);
    for (int i = 0; i < 20; i++)
        timerq_add(&q, &tm[(i * 7) % 20], 100);
    CHECK(timerq_run(&q, 100) == 20);
    for (int i = 0; i < 20; i++)
        CHECK(fired_order[i] == (i * 7) % 20);      /* in order added */
}

static void test_remove_middle(void)
{
    setup(NT);
    for (int i = 0; i < 10; i++)
        timerq_add(&q, &tm[i], 10 * i);
    CHECK(timerq_remove(&q, &tm[5]) && !tm[5].active);
    CHECK(!timerq_remove(&q, &tm[5]));
    CHECK(!timerq_remove(&q, &tm[20]));
    CHECK(timerq_remove(&q, &tm[0]) && timerq_next(&q) == 10);
    CHECK(timerq_remove(&q, &tm[9]));
    CHECK_CALL(check_heap());
    CHECK(timerq_run(&q, 1000) == 7);
    static const int want[] = { 1, 2, 3, 4, 6, 7, 8 };

    for (int i = 0; i < 7; i++)
        CHECK(fired_order[i] == want[i]);
}

static void test_readd_moves(void)
{
    setup(NT);
    timerq_add(&q, &tm[0], 10);
    timerq_add(&q, &tm[1], 20);
    CHECK(timerq_add(&q, &tm[0], 30) == 0 && q.n == 2);
    CHECK(timerq_next(&q) == 20);
    CHECK(timerq_add(&q, &tm[0], 5) == 0 && timerq_next(&q) == 5);
    CHECK_CALL(check_heap());
    CHECK(timerq_run(&q, 100) == 2 && fired_order[0] == 0);
    timerq_add(&q, &tm[2], 50);
    timerq_add(&q, &tm[3], 50);
    timerq_add(&q, &tm[2], 50);         /* re-add: now queued after tm[3] */
    CHECK(timerq_run(&q, 100) == 2 && fired_order[2] == 3 && fired_order[3] == 2);
}

static void test_full(void)                                /* 3 */
{
    setup(4);
    for (int i = 0; i < 4; i++)
        CHECK(timerq_add(&q, &tm[i], i) == 0);
    CHECK(timerq_add(&q, &tm[4], 0) == -ENOSPC && !tm[4].active && q.n == 4);
    CHECK(timerq_add(&q, &tm[2], -1) == 0 && timerq_next(&q) == -1); /* move */
    CHECK_CALL(check_heap());
}

/* Callbacks that change the queue while it runs. */
static s_time_t now_cb;
static int periodic_left;

static void periodic(void *data)
{
    struct timer *t = data;

    fired_order[nr_fired++] = 100;
    if (--periodic_left > 0)
        timerq_add(&q, t, t->expires + 10);
}

static void remover(void *data)
{
    (void)data;
    fired_order[nr_fired++] = 200;
    timerq_remove(&q, &tm[7]);          /* due, but never fires */
    timerq_add(&q, &tm[8], now_cb - 1); /* due, but added during the run */
}

static void rearm_past(void *data)
{
    fired_order[nr_fired++] = 300;
    timerq_add(&q, data, 0);            /* would spin if run refired it */
}

static void test_callbacks(void)                           /* 4 */
{
    struct timer p, r, spin;

    setup(NT);
    timer_init(&p, periodic, &p);
    periodic_left = 3;
    timerq_add(&q, &p, 0);
    CHECK(timerq_run(&q, 5) == 1 && p.active && p.expires == 10);
    CHECK(timerq_run(&q, 100) == 1 && timerq_run(&q, 100) == 1);
    CHECK(!p.active && nr_fired == 3);

    setup(NT);
    now_cb = 50;
    timer_init(&r, remover, NULL);
    timerq_add(&q, &r, 10);
    timerq_add(&q, &tm[7], 20);
    CHECK(timerq_run(&q, 50) == 1 && fired_order[0] == 200 && !tm[7].active);
    CHECK(timerq_next(&q) == 49);       /* waiting for the next run */
    CHECK(timerq_run(&q, 50) == 1 && fired_order[1] == 8);

    setup(NT);
    timer_init(&spin, rearm_past, &spin);
    timerq_add(&q, &spin, 0);
    timerq_add(&q, &tm[3], 5);
    CHECK(timerq_run(&q, 10) == 1 && spin.active);   /* bounded */
    CHECK(timerq_run(&q, 10) == 1);     /* the re-armed one, first again */
    CHECK(fired_order[1] == 300);
    CHECK(timerq_remove(&q, &spin) && timerq_run(&q, 10) == 1);
    CHECK(fired_order[2] == 3);
}

static int cmp_key(const void *a, const void *b)
{
    const struct timer *x = *(struct timer *const *)a;
    const struct timer *y = *(struct timer *const *)b;

    if (x->expires != y->expires)
        return x->expires < y->expires ? -1 : 1;
    return x->seq < y->seq ? -1 : 1;
}

static void test_random_vs_sorted(void)                    /* 1, 2, 4, 5 */
{
    static struct timer *ref[NT];
    uint64_t seed = 4242;

    for (int round = 0; round < 50; round++) {
        unsigned int nref = 0, nexp = 0;
        s_time_t now = (s_time_t)(check_rand(&seed) % 1000);

        setup(NT);
        for (int op = 0; op < 2000; op++) {
            unsigned int i = check_rand(&seed) % NT;

            if (check_rand(&seed) % 3 == 0)
                timerq_remove(&q, &tm[i]);
            else
                timerq_add(&q, &tm[i], (s_time_t)(check_rand(&seed) % 1000) - 100);
        }
        CHECK_CALL(check_heap());
        for (unsigned int i = 0; i < NT; i++)
            if (tm[i].active)
                ref[nref++] = &tm[i];
        qsort(ref, nref, sizeof(ref[0]), cmp_key);
        while (nexp < nref && ref[nexp]->expires <= now)
            nexp++;
        CHECK(timerq_run(&q, now) == nexp && (unsigned int)nr_fired == nexp);
        for (unsigned int i = 0; i < nexp; i++)
            CHECK(fired_order[i] == (int)(ref[i] - tm));
        CHECK(q.n == nref - nexp);
        CHECK_CALL(check_heap());
    }
}

static void test_bad_use_dies(void)
{
    struct timer t;

    setup(NT);
    timer_init(&t, NULL, NULL);
    CHECK_DIES(timerq_add(&q, &t, 1));                  /* no callback */
    timerq_add(&q, &tm[0], 1);
    CHECK_DIES(tm[0].heap_index = 5; timerq_remove(&q, &tm[0]));
}

int main(void)
{
    check_module = "timerq";
    RUN_TEST(test_ordering);
    RUN_TEST(test_equal_expiries);
    RUN_TEST(test_remove_middle);
    RUN_TEST(test_readd_moves);
    RUN_TEST(test_full);
    RUN_TEST(test_callbacks);
    RUN_TEST(test_random_vs_sorted);
    RUN_TEST(test_bad_use_dies);
    return check_nr_failed != 0;
}
