/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ring discipline, from the store's side.
 *
 * The guest produces requests (req_prod) and we consume them (req_cons);
 * we produce responses (rsp_prod) and the guest consumes them. Indexes are
 * free-running u32s; byte x lives at x mod XENSTORE_RING_SIZE.
 *
 * Invariants (tests/unit_ring.c):
 *  G1. Indexes the guest controls are read once per operation and checked:
 *      req_prod - req_cons and rsp_prod - rsp_cons never exceed the ring
 *      size, or the ring is declared broken (-1, XENSTORE_ERROR_RINGIDX).
 *  G2. Data is read after reading the producer index, and the producer
 *      index is published after the data is written (acquire/release).
 *  G3. A request is consumed (req_cons advanced past it) only once its
 *      reply has been written to the response ring — or when the guest
 *      needs the space to finish a message longer than the ring. A daemon
 *      restarted in between therefore re-reads, and re-executes, requests
 *      whose replies were never delivered.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* The host has only simulated domains; a real backend replaces this. */
static const struct ring_backend *backend = &ring_sim_backend;

void ring_use_backend(const struct ring_backend *be)
{
    backend = be;
}

int ring_attach(struct ring_port **out, uint32_t domid, uint64_t mfn,
                uint32_t port)
{
    struct ring_port *rp = calloc(1, sizeof(*rp));
    int err;

    if (!rp)
        return ENOMEM;
    rp->be = backend;
    rp->domid = domid;
    rp->fd = -1;
    err = rp->be->attach(rp, domid, mfn, port);
    if (err) {
        free(rp);
        return err;
    }
    STORE(rp->intf->server_features, XENSTORE_SERVER_FEATURE_RECONNECTION |
                                          XENSTORE_SERVER_FEATURE_ERROR);
    rp->rd = LOAD(rp->intf->req_cons);
    *out = rp;
    return 0;
}

void ring_detach(struct ring_port *rp)
{
    if (!rp)
        return;
    rp->be->detach(rp);
    free(rp);
}

void ring_notify(struct ring_port *rp)
{
    rp->be->notify(rp);
}

void ring_ack(struct ring_port *rp)
{
    rp->be->ack(rp);
}

int ring_avail(struct ring_port *rp)
{
    XENSTORE_RING_IDX cons = LOAD(rp->intf->req_cons);
    XENSTORE_RING_IDX prod = LOAD(rp->intf->req_prod);

    if (prod - cons > XENSTORE_RING_SIZE || rp->rd - cons > prod - cons)
        return -1;
    return (int)(prod - rp->rd);
}

int ring_read(struct ring_port *rp, void *buf, uint32_t n)
{
    int avail = ring_avail(rp);
    uint32_t off, chunk, done = 0;

    if (avail < 0)
        return -1;
    if (n > (uint32_t)avail)
        n = (uint32_t)avail;
    while (done < n) {
        off = MASK_XENSTORE_IDX(rp->rd);
        chunk = XENSTORE_RING_SIZE - off;
        if (chunk > n - done)
            chunk = n - done;
        memcpy((char *)buf + done, rp->intf->req + off, chunk);
        rp->rd += chunk;
        done += chunk;
    }
    return (int)done;
}

uint32_t ring_unconsumed(const struct ring_port *rp)
{
    return rp->rd - LOAD(rp->intf->req_cons);
}

void ring_consume_to(struct ring_port *rp, XENSTORE_RING_IDX idx)
{
    XENSTORE_RING_IDX cons = LOAD(rp->intf->req_cons);

    /* Only forward, and never past what we have read. */
    if ((int32_t)(idx - cons) <= 0 || (int32_t)(idx - rp->rd) > 0)
        return;
    STORE(rp->intf->req_cons, idx);
    ring_notify(rp);
}

int ring_write(struct ring_port *rp, const void *buf, uint32_t n)
{
    XENSTORE_RING_IDX cons = LOAD(rp->intf->rsp_cons);
    XENSTORE_RING_IDX prod = rp->intf->rsp_prod;
    uint32_t space, off, chunk, done = 0;

    if (prod - cons > XENSTORE_RING_SIZE)
        return -1;
    space = XENSTORE_RING_SIZE - (prod - cons);
    if (n > space)
        n = space;
    while (done < n) {
        off = MASK_XENSTORE_IDX(prod + done);
        chunk = XENSTORE_RING_SIZE - off;
        if (chunk > n - done)
            chunk = n - done;
        memcpy(rp->intf->rsp + off, (const char *)buf + done, chunk);
        done += chunk;
    }
    if (done) {
        STORE(rp->intf->rsp_prod, prod + done);
        ring_notify(rp);
    }
    return (int)done;
}

bool ring_reconnect_requested(const struct ring_port *rp)
{
    return LOAD(rp->intf->connection) == XENSTORE_RECONNECT;
}

void ring_reset(struct ring_port *rp)
{
    STORE(rp->intf->req_cons, 0);
    STORE(rp->intf->req_prod, 0);
    STORE(rp->intf->rsp_cons, 0);
    STORE(rp->intf->rsp_prod, 0);
    STORE(rp->intf->error, XENSTORE_ERROR_NONE);
    rp->rd = 0;
    STORE(rp->intf->connection, XENSTORE_CONNECTED);
    ring_notify(rp);
}

void ring_set_error(struct ring_port *rp, uint32_t err)
{
    STORE(rp->intf->error, err);
    ring_notify(rp);
}
