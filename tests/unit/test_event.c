/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the pure event-channel layer (hypervisor/evtchn_port.c): the
 * port table and its buckets (invariants 1, 2) and the 2-level bit logic
 * over a fake shared_info (invariants 3, 4), plus a randomized run of
 * sends, unmasks and guest-side scans against a reference model.
 */
#include <errno.h>

#include <satori/event.h>

#include "check.h"

static struct evtchn buckets[EVTCHN_NR_BUCKETS][EVTCHN_PORTS_PER_BUCKET];
static struct evtchn_table t;
static shared_info_t si;

static void setup(void)
{
    memset(buckets, 0xa5, sizeof(buckets));     /* add_bucket must clear them */
    evtchn_table_init(&t, buckets[0]);
    memset(&si, 0, sizeof(si));
}

/* Allocates the lowest free port as the hypervisor does, adding buckets. */
static int alloc_port(void)
{
    int p = evtchn_table_free_port(&t);

    if (p >= 0 && (uint32_t)p == t.valid)
        evtchn_table_add_bucket(&t, buckets[t.valid / EVTCHN_PORTS_PER_BUCKET]);
    if (p >= 0)
        evtchn_table_port(&t, (evtchn_port_t)p)->state = ECS_UNBOUND;
    return p;
}

/* Invariant 2 and the first bucket. */
static void test_init(void)
{
    setup();
    CHECK(t.valid == EVTCHN_PORTS_PER_BUCKET);
    CHECK(evtchn_table_port(&t, 0)->state == ECS_RESERVED);
    CHECK(evtchn_table_port(&t, 1)->state == ECS_FREE);
    CHECK(evtchn_table_port(&t, 1)->notify_vcpu == 0);
    CHECK(evtchn_table_port(&t, EVTCHN_PORTS_PER_BUCKET - 1) != NULL);
    CHECK(evtchn_table_port(&t, EVTCHN_PORTS_PER_BUCKET) == NULL);
    CHECK(evtchn_table_port(&t, 0xffffffffu) == NULL);
    CHECK(evtchn_table_free_port(&t) == 1);
}

/* Invariant 1: lowest free first, buckets one at a time, up to 4096, then -ENOSPC. */
static void test_fill_and_reuse(void)
{
    setup();
    for (int want = 1; want < EVTCHN_NR_PORTS; want++) {
        CHECK(alloc_port() == want);
        CHECK(t.valid % EVTCHN_PORTS_PER_BUCKET == 0);
        CHECK(t.valid <= EVTCHN_NR_PORTS);
        CHECK((uint32_t)want < t.valid);
    }
    CHECK(t.valid == EVTCHN_NR_PORTS);
    CHECK(evtchn_table_free_port(&t) == -ENOSPC);
    evtchn_table_port(&t, 700)->state = ECS_FREE;
    evtchn_table_port(&t, 9)->state = ECS_FREE;
    CHECK(alloc_port() == 9);
    CHECK(alloc_port() == 700);
    CHECK(alloc_port() == -ENOSPC);
    CHECK(evtchn_table_port(&t, EVTCHN_NR_PORTS) == NULL);
}

static void test_virq_scope(void)
{
    CHECK(!evtchn_virq_is_global(VIRQ_TIMER));
    CHECK(!evtchn_virq_is_global(VIRQ_DEBUG));
    CHECK(!evtchn_virq_is_global(VIRQ_XENOPROF));
    CHECK(!evtchn_virq_is_global(VIRQ_XENPMU));
    CHECK(evtchn_virq_is_global(VIRQ_CONSOLE));
    CHECK(evtchn_virq_is_global(VIRQ_DOM_EXC));
    CHECK(evtchn_virq_is_global(VIRQ_PCPU_STATE));
    CHECK(evtchn_virq_is_global(VIRQ_ARCH_0));
}

/* Invariant 3. */
static void test_set_pending(void)
{
    vcpu_info_t *vi = &si.vcpu_info[0];

    setup();
    CHECK(evtchn_2l_set_pending(&si, vi, 130));
    CHECK(evtchn_2l_is_pending(&si, 130));
    CHECK(si.evtchn_pending[2] == 1UL << 2);
    CHECK(vi->evtchn_pending_sel == 1UL << 2);
    CHECK(vi->evtchn_upcall_pending == 1);
    /* already pending: no kick, nothing re-set */
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
    CHECK(!evtchn_2l_set_pending(&si, vi, 130));
    CHECK(vi->evtchn_pending_sel == 0 && vi->evtchn_upcall_pending == 0);
    /* masked: pending only, but a kick still (a poller may wait on it) */
    si.evtchn_mask[0] = 1UL << 5;
    CHECK(evtchn_2l_set_pending(&si, vi, 5));
    CHECK(evtchn_2l_is_pending(&si, 5));
    CHECK(vi->evtchn_pending_sel == 0 && vi->evtchn_upcall_pending == 0);
    /* selector bit already set: the guest is scanning that word */
    vi->evtchn_pending_sel = 1UL << 1;
    CHECK(evtchn_2l_set_pending(&si, vi, 64));
    CHECK(vi->evtchn_upcall_pending == 0);
    /* out of range: ignored */
    CHECK(!evtchn_2l_set_pending(&si, vi, EVTCHN_NR_PORTS));
    CHECK(!evtchn_2l_is_pending(&si, EVTCHN_NR_PORTS));
    evtchn_2l_clear_pending(&si, 130);
    CHECK(!evtchn_2l_is_pending(&si, 130));
    evtchn_2l_clear_pending(&si, EVTCHN_NR_PORTS);      /* no-op, no overflow */
}

/* Invariant 4. */
static void test_unmask(void)
{
    vcpu_info_t *vi = &si.vcpu_info[1];

    setup();
    si.evtchn_mask[63] = 1UL << 63;
    CHECK(evtchn_2l_set_pending(&si, vi, 4095));
    CHECK(vi->evtchn_upcall_pending == 0);
    CHECK(evtchn_2l_unmask(&si, vi, 4095));
    CHECK(si.evtchn_mask[63] == 0);
    CHECK(vi->evtchn_pending_sel == 1UL << 63);
    CHECK(vi->evtchn_upcall_pending == 1);
    CHECK(!evtchn_2l_unmask(&si, vi, 4095));            /* not masked any more */
    si.evtchn_mask[0] = 1UL << 7;
    CHECK(!evtchn_2l_unmask(&si, vi, 7));               /* not pending */
    CHECK(si.evtchn_mask[0] == 0);
    CHECK(!evtchn_2l_unmask(&si, vi, EVTCHN_NR_PORTS));
    CHECK(si.vcpu_info[0].evtchn_upcall_pending == 0);  /* other vCPUs untouched */
}

/* The guest's scan (Linux events_2l.c) against a model: no event is lost. */
static void guest_scan(vcpu_info_t *vi, unsigned int *hits)
{
    vi->evtchn_upcall_pending = 0;
    uint64_t sel = vi->evtchn_pending_sel;
    vi->evtchn_pending_sel = 0;
    for (unsigned int w = 0; w < 64; w++) {
        if (!(sel & (1UL << w)))
            continue;
        uint64_t pend = si.evtchn_pending[w] & ~si.evtchn_mask[w];
        for (unsigned int b = 0; b < 64; b++)
            if (pend & (1UL << b)) {
                si.evtchn_pending[w] &= ~(1UL << b);
                hits[w * 64 + b]++;
            }
    }
}

static void test_random_no_lost_event(void)
{
    static unsigned int hits[EVTCHN_NR_PORTS], sent[EVTCHN_NR_PORTS];
    vcpu_info_t *vi = &si.vcpu_info[0];
    uint64_t rng = 0x9e3779b97f4a7c15ULL;

    setup();
    memset(hits, 0, sizeof(hits));
    memset(sent, 0, sizeof(sent));
    for (int i = 0; i < 200000; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        evtchn_port_t p = (evtchn_port_t)(rng >> 20) % 256;
        unsigned int w = p / 64, b = p % 64;
        switch (rng % 5) {
        case 0: case 1:
            if (!evtchn_2l_is_pending(&si, p))
                sent[p]++;
            evtchn_2l_set_pending(&si, vi, p);
            break;
        case 2:
            si.evtchn_mask[w] |= 1UL << b;
            break;
        case 3:
            evtchn_2l_unmask(&si, vi, p);
            break;
        default:
            if (vi->evtchn_upcall_pending)
                guest_scan(vi, hits);
        }
        /* an unmasked pending port always has an upcall on its way */
        for (unsigned int x = 0; x < 4; x++)
            if (si.evtchn_pending[x] & ~si.evtchn_mask[x])
                CHECK(vi->evtchn_upcall_pending && (vi->evtchn_pending_sel & (1UL << x)));
    }
    for (evtchn_port_t p = 0; p < 256; p++)
        evtchn_2l_unmask(&si, vi, p);
    guest_scan(vi, hits);
    for (evtchn_port_t p = 0; p < 256; p++)
        CHECK(hits[p] == sent[p]);
}

int main(void)
{
    check_module = "event";
    RUN_TEST(test_init);
    RUN_TEST(test_fill_and_reuse);
    RUN_TEST(test_virq_scope);
    RUN_TEST(test_set_pending);
    RUN_TEST(test_unmask);
    RUN_TEST(test_random_no_lost_event);
    return check_nr_failed != 0;
}
