/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pure part of event channels: a domain's port table (buckets of
 * ports added as they fill) and the 2-level ABI's bit logic over a
 * shared_info and a vcpu_info. No locks, no allocation, no domains: the
 * caller (event_channel.c) holds the domain's event lock, allocates
 * buckets and kicks vCPUs. Built unmodified on the host by
 * tests/unit/test_event.c.
 *
 * Invariants (numbers shared with event_channel.c):
 *  1. Ports [0, t->valid) have a bucket; t->valid is a multiple of
 *     EVTCHN_PORTS_PER_BUCKET, at most EVTCHN_NR_PORTS, and never shrinks.
 *  2. Port 0 is ECS_RESERVED for ever: 0 means "no port" to guests.
 *  3. set_pending raises an upcall (selector bit, then upcall_pending) only
 *     for a port that was not pending and is not masked, and only if the
 *     selector bit was clear (the guest is not already scanning that word):
 *     Xen's order, which Linux's events_2l.c scan relies on.
 *  4. unmask of a pending port raises an upcall as set_pending would.
 * The guest writes the same words concurrently: every access is atomic.
 */
#include <satori/event.h>
#include <satori/errno.h>
#include <satori/nospec.h>
#include <satori/string.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

_Static_assert(EVTCHN_NR_PORTS == BITS_PER_WORD * BITS_PER_WORD, "2-level port count");
_Static_assert(EVTCHN_NR_PORTS % EVTCHN_PORTS_PER_BUCKET == 0, "whole buckets");

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, 1UL << bit, __ATOMIC_SEQ_CST) & (1UL << bit);
}

static bool test_and_clear(xen_ulong_t *w, unsigned int bit)
{
    return __atomic_fetch_and(w, ~(1UL << bit), __ATOMIC_SEQ_CST) & (1UL << bit);
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & (1UL << bit);
}

void evtchn_table_init(struct evtchn_table *t, struct evtchn *bucket0)
{
    memset(t, 0, sizeof(*t));
    evtchn_table_add_bucket(t, bucket0);
    bucket0[0].state = ECS_RESERVED;                        /* invariant 2 */
}

struct evtchn *evtchn_table_port(const struct evtchn_table *t, evtchn_port_t port)
{
    uint32_t valid = __atomic_load_n(&t->valid, __ATOMIC_ACQUIRE);

    if (port >= valid)
        return NULL;
    port = (evtchn_port_t)array_index_nospec(port, valid);
    return &t->bucket[port / EVTCHN_PORTS_PER_BUCKET][port % EVTCHN_PORTS_PER_BUCKET];
}

int evtchn_table_free_port(const struct evtchn_table *t)
{
    for (evtchn_port_t p = 0; p < t->valid; p++)
        if (evtchn_table_port(t, p)->state == ECS_FREE)
            return (int)p;
    return t->valid < EVTCHN_NR_PORTS ? (int)t->valid : -ENOSPC;
}

void evtchn_table_add_bucket(struct evtchn_table *t, struct evtchn *bucket)
{
    memset(bucket, 0, EVTCHN_PORTS_PER_BUCKET * sizeof(*bucket));
    t->bucket[t->valid / EVTCHN_PORTS_PER_BUCKET] = bucket;
    /* publish the bucket before the ports it makes valid (invariant 1) */
    __atomic_store_n(&t->valid, t->valid + EVTCHN_PORTS_PER_BUCKET, __ATOMIC_RELEASE);
}

bool evtchn_virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

/* Marks vi's upcall pending; true if it was not. */
static bool mark_upcall(vcpu_info_t *vi)
{
    return !__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
}

bool evtchn_2l_set_pending(shared_info_t *s, vcpu_info_t *vi, evtchn_port_t port)
{
    unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

    if (port >= EVTCHN_NR_PORTS || test_and_set(&s->evtchn_pending[w], b))
        return false;
    if (!test(&s->evtchn_mask[w], b) && !test_and_set(&vi->evtchn_pending_sel, w))
        mark_upcall(vi);                                    /* invariant 3 */
    return true;
}

bool evtchn_2l_unmask(shared_info_t *s, vcpu_info_t *vi, evtchn_port_t port)
{
    unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

    if (port >= EVTCHN_NR_PORTS)
        return false;
    if (test_and_clear(&s->evtchn_mask[w], b) && test(&s->evtchn_pending[w], b) &&
        !test_and_set(&vi->evtchn_pending_sel, w))
        return mark_upcall(vi);                             /* invariant 4 */
    return false;
}

void evtchn_2l_clear_pending(shared_info_t *s, evtchn_port_t port)
{
    if (port < EVTCHN_NR_PORTS)
        test_and_clear(&s->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
}

bool evtchn_2l_is_pending(const shared_info_t *s, evtchn_port_t port)
{
    return port < EVTCHN_NR_PORTS &&
           test(&s->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
}
