/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the pure pirq table (hypervisor/pirq_table.c): Xen 4.17's
 * nr_pirqs formula, get_free_pirq's order, allocate_pirq and
 * map_domain_pirq's rules, unmap and the stale state of a bound pirq, the
 * IRQ access a mapping grants and an unmapping revokes, and the invariants
 * of include/satori/pirq.h over a randomized run.
 */
#include <errno.h>
#include <stdlib.h>

#include <satori/pirq.h>

#include "check.h"

#define NR_GSIS 24
#define NR_PIRQS 208

static struct pirq_table *t;

static void setup(unsigned int nr_pirqs, bool hwdom)
{
    free(t);
    t = malloc(pirq_table_size(nr_pirqs));
    memset(t, 0xa5, pirq_table_size(nr_pirqs));     /* init must clear it all */
    pirq_table_init(t, nr_pirqs, NR_GSIS, hwdom);
}

/* What physdev's map_pirq does: allocate_pirq, map_domain_pirq's checks, map. */
static int map(int pirq, int irq)
{
    int p = pirq_allocate(t, pirq, irq, PIRQ_TYPE_GSI), rc;

    if (p < 0)
        return p;
    rc = pirq_map_check(t, p, irq);
    if (rc < 0)
        return rc;
    if (rc == 0)
        pirq_map(t, (unsigned int)p, (unsigned int)irq);
    return p;
}

/* Invariants 1, 3, 4 (and 2's sign) over the whole table. */
static void check_invariants(void)
{
    for (unsigned int i = 0; i < t->nr_irqs; i++) {
        int p = t->irq_pirq[i];
        if (p > 0) {
            CHECK((unsigned int)p < t->nr_pirqs);
            CHECK(t->pirq[p].state == PIRQ_MAPPED);
            CHECK(t->pirq[p].irq == i);
        }
        if (p < 0)
            CHECK((unsigned int)-p < t->nr_pirqs);
    }
    for (unsigned int p = 1; p < t->nr_pirqs; p++) {
        const struct pirq_entry *e = &t->pirq[p];
        if (e->state == PIRQ_MAPPED)
            CHECK(t->irq_pirq[e->irq] == (int)p);
        if (e->state == PIRQ_STALE)
            CHECK(t->irq_pirq[e->irq] == -(int)p || t->irq_pirq[e->irq] > 0);
        if (e->port)
            CHECK(e->state == PIRQ_MAPPED || e->state == PIRQ_STALE);
        if (e->masked)
            CHECK(e->port != 0);
    }
}

static void test_nr_pirqs(void)
{
    CHECK(pirq_nr_for(true, 24, 1, 1) == 208);      /* Xen under QEMU: "d0 has maximum 208 PIRQs" */
    CHECK(pirq_nr_for(true, 24, 2, 2) == 400);      /* capped by nr_irqs = 16 + 2 * 192 */
    CHECK(pirq_nr_for(true, 24, 2, 1) == 216);      /* dom0_max_vcpus=1 */
    CHECK(pirq_nr_for(true, 24, 16, 8) == 24 + 5 * 192);
    CHECK(pirq_nr_for(false, 24, 1, 1) == 56);      /* a domU: GSIs + 32 */
    CHECK(pirq_nr_for(true, 16, 1, 1) == 208);
    CHECK(pirq_nr_for(true, 256, 1, 1) == 448);     /* nr_irqs = 8 * 256 = 2048: 256 + 192 */
}

static void test_init(void)
{
    setup(NR_PIRQS, true);
    CHECK(t->nr_pirqs == NR_PIRQS && t->nr_irqs == NR_GSIS);
    CHECK(!pirq_may_map(t, 0));                     /* the timer's */
    for (int i = 1; i < NR_GSIS; i++)
        CHECK(pirq_may_map(t, i));
    CHECK(!pirq_may_map(t, NR_GSIS));
    CHECK(!pirq_may_map(t, -1));
    for (int p = 0; p < NR_PIRQS; p++)
        CHECK(pirq_to_irq(t, p) == 0 && !pirq_in_use(t, (unsigned int)p));
    CHECK(pirq_to_irq(t, NR_PIRQS) == 0 && pirq_to_irq(t, -5) == 0);
    setup(56, false);
    for (int i = 0; i < NR_GSIS; i++)
        CHECK(!pirq_may_map(t, i));                 /* a domU maps nothing */
}

static void test_get_free(void)
{
    setup(NR_PIRQS, true);
    CHECK(pirq_get_free(t, PIRQ_TYPE_GSI) == 16);   /* GSIs: from 16 up */
    CHECK(pirq_get_free(t, 0) == NR_PIRQS - 1);     /* MSI: from the top */
    CHECK(pirq_get_free(t, 99) == NR_PIRQS - 1);
    t->pirq[16].state = PIRQ_ALLOCATED;
    CHECK(pirq_get_free(t, PIRQ_TYPE_GSI) == 17);
    for (unsigned int p = 16; p < NR_GSIS; p++)
        t->pirq[p].state = PIRQ_ALLOCATED;
    CHECK(pirq_get_free(t, PIRQ_TYPE_GSI) == NR_PIRQS - 1);   /* then MSI's range */
    for (unsigned int p = NR_GSIS; p < NR_PIRQS; p++)
        t->pirq[p].state = PIRQ_ALLOCATED;
    CHECK(pirq_get_free(t, PIRQ_TYPE_GSI) == -ENOSPC);
    CHECK(pirq_get_free(t, 0) == -ENOSPC);          /* 0-15 are never handed out */
}

static void test_map_rules(void)
{
    setup(NR_PIRQS, true);
    CHECK(map(0, 0) == -EPERM);                     /* IRQ 0: access first */
    CHECK(map(-1, 0) == -EPERM);
    CHECK(map(NR_PIRQS, 6) == -EINVAL);
    CHECK(map(6, 6) == 6);
    CHECK(pirq_to_irq(t, 6) == 6 && pirq_of_irq(t, 6) == 6);
    CHECK(map(6, 6) == 6);                          /* again: unchanged */
    CHECK(map(9, 6) == -EEXIST);                    /* IRQ 6 has pirq 6 */
    CHECK(map(-1, 6) == 6);                         /* any: its own */
    CHECK(map(-1, 3) == 16);                        /* any: a free one */
    CHECK(map(6, 15) == 6);                         /* pirq 6 is IRQ 6's: nothing */
    CHECK(pirq_of_irq(t, 15) == 0 && pirq_to_irq(t, 6) == 6);
    CHECK(pirq_map_check(t, 6, 15) == 1);
    CHECK(pirq_map_check(t, 7, 6) == 1);            /* IRQ 6 has another pirq */
    CHECK(pirq_map_check(t, 7, 7) == 0);
    CHECK_CALL(check_invariants());
}

static void test_unmap(void)
{
    setup(NR_PIRQS, true);
    CHECK(map(6, 6) == 6);
    CHECK(pirq_unmap(t, 7) == -EINVAL);             /* not mapped */
    CHECK(pirq_unmap(t, -1) == -EINVAL);
    CHECK(pirq_unmap(t, NR_PIRQS) == -EINVAL);
    CHECK(pirq_unmap(t, 6) == 0);
    CHECK(pirq_to_irq(t, 6) == 0 && pirq_of_irq(t, 6) == 0 && !pirq_in_use(t, 6));
    CHECK(pirq_unmap(t, 6) == -EINVAL);
    CHECK(!pirq_may_map(t, 6));                     /* Xen revokes the IRQ */
    CHECK(map(6, 6) == -EPERM);
    t->pirq[20].state = PIRQ_ALLOCATED;             /* get_free_pirq's */
    CHECK(pirq_to_irq(t, 20) == -1 && pirq_in_use(t, 20));
    CHECK(pirq_unmap(t, 20) == -EINVAL);
    CHECK(map(20, 5) == 20);                        /* an allocated pirq can be mapped */
    CHECK_CALL(check_invariants());
}

/* Invariant 2: unmapping a bound pirq leaves it stale until its port closes. */
static void test_stale(void)
{
    setup(NR_PIRQS, true);
    CHECK(map(7, 7) == 7);
    t->pirq[7].port = 5;                            /* bound */
    t->pirq[7].masked = true;
    CHECK(pirq_unmap(t, 7) == 0);
    CHECK(t->pirq[7].state == PIRQ_STALE && t->pirq[7].port == 5 && !t->pirq[7].masked);
    CHECK(pirq_to_irq(t, 7) == -7 && pirq_of_irq(t, 7) == -7);
    CHECK(pirq_unmap(t, 7) == -EINVAL);
    CHECK(pirq_allocate(t, -1, 7, PIRQ_TYPE_GSI) == -EBUSY);
    CHECK(pirq_allocate(t, 8, 7, PIRQ_TYPE_GSI) == -EEXIST);
    CHECK(pirq_in_use(t, 7));
    CHECK_CALL(check_invariants());
    pirq_unbind(t, 7);                              /* the port closes */
    CHECK(t->pirq[7].state == PIRQ_FREE && !pirq_in_use(t, 7) && pirq_of_irq(t, 7) == 0);
    CHECK_CALL(check_invariants());
    /* unbinding a mapped pirq keeps the mapping */
    CHECK(map(8, 8) == 8);
    t->pirq[8].port = 9;
    pirq_unbind(t, 8);
    CHECK(t->pirq[8].state == PIRQ_MAPPED && t->pirq[8].port == 0 && pirq_of_irq(t, 8) == 8);
}

/* A stale pirq mapped again (as Xen allows): its old IRQ stays busy. */
static void test_stale_remapped(void)
{
    setup(NR_PIRQS, true);
    CHECK(map(7, 7) == 7);
    t->pirq[7].port = 5;
    CHECK(pirq_unmap(t, 7) == 0);
    CHECK(map(7, 9) == 7);
    CHECK(pirq_to_irq(t, 7) == 9 && pirq_of_irq(t, 9) == 7 && pirq_of_irq(t, 7) == -7);
    CHECK(t->pirq[7].port == 5);
    CHECK_CALL(check_invariants());
    pirq_unbind(t, 7);
    CHECK(t->pirq[7].state == PIRQ_MAPPED && pirq_of_irq(t, 7) == -7);
    CHECK(map(-1, 7) == -EBUSY);
}

static void test_random(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL;

    setup(40, true);
    for (int step = 0; step < 200000; step++) {
        uint64_t r = check_rand(&seed);
        int pirq = (int)(r % 42) - 1, irq = (int)((r >> 8) % 26);
        unsigned int p = (unsigned int)((r >> 16) % 40);

        switch ((r >> 32) % 5) {
        case 0:
        case 1:
            (void)map(pirq, irq);
            break;
        case 2:
            (void)pirq_unmap(t, pirq);
            break;
        case 3:
            if (!t->pirq[p].port && t->pirq[p].state == PIRQ_MAPPED)
                t->pirq[p].port = (evtchn_port_t)(p + 1);
            else if (t->pirq[p].port)
                t->pirq[p].masked = !t->pirq[p].masked;
            break;
        default:
            if (t->pirq[p].port)
                pirq_unbind(t, p);
            break;
        }
        CHECK_CALL(check_invariants());
        if ((r >> 40) % 300 == 0)
            setup(40, true);                        /* access is revoked by unmaps: renew */
    }
}

int main(void)
{
    check_module = "pirq";
    RUN_TEST(test_nr_pirqs);
    RUN_TEST(test_init);
    RUN_TEST(test_get_free);
    RUN_TEST(test_map_rules);
    RUN_TEST(test_unmap);
    RUN_TEST(test_stale);
    RUN_TEST(test_stale_remapped);
    RUN_TEST(test_random);
    free(t);
    return check_nr_failed != 0;
}
