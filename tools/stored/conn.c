/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connections: one per socket client or introduced domain. This file frames
 * input into requests (through wire.c), hands them to ops.c, and queues
 * replies and watch events for output.
 *
 *  C1. Requests of one connection are handled in order, one at a time;
 *      replies leave in the same order.
 *  C2. A connection with `quota.outstanding` replies (sockets: 1024)
 *      waiting to be sent is not read from until they drain, so a client
 *      that floods without reading costs bounded memory and cannot starve
 *      the others (each is also limited to a budget of requests per round).
 *  C3. A header announcing more than XENSTORE_PAYLOAD_MAX bytes ends a
 *      socket connection; on a ring it sets XENSTORE_ERROR_PROTO and the
 *      store stops talking to the domain (as Xen does).
 *  C4. A killed connection loses its watches and transactions at once; its
 *      memory is freed only by main.c at the end of the round.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "domain.h"
#include "journal.h"
#include "loop.h"
#include "ring.h"
#include "store.h"
#include "watch.h"

#define IBUF_SIZE 65536
#define SOCKET_OUTSTANDING 1024
#define EVENT_CAP 65536

struct conn *conn_list;

struct conn *conn_new(enum conn_kind kind, uint32_t domid, bool priv, bool ro)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->kind = kind;
    c->who.domid = domid;
    c->who.priv = priv;
    c->who.target = -1;
    c->ro = ro;
    c->fd = -1;
    wire_in_reset(&c->in);
    c->next = conn_list;
    if (conn_list)
        conn_list->prev = c;
    conn_list = c;
    return c;
}

static void free_output(struct conn *c)
{
    while (c->out_head) {
        struct outmsg *m = c->out_head;
        c->out_head = m->next;
        free(m);
    }
    c->out_tail = NULL;
    c->out_replies = c->out_events = 0;
}

void conn_free(struct conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        conn_list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
}

void conn_drop_state(struct conn *c)
{
    watch_del_all(c);
    txn_free_all(c);
    free_output(c);
    wire_in_reset(&c->in);
    c->ibuf_len = c->ibuf_off = 0;
}

void conn_kill(struct conn *c)
{
    if (c->dead)
        return;
    c->dead = true;
    loop_del_conn(c);
    conn_drop_state(c);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    if (c->ring)
        ring_detach(c->ring);
    c->ring = NULL;
    domain_conn_gone(c);
    free(c->ibuf);
    c->ibuf = NULL;
}

static void enqueue(struct conn *c, struct outmsg *m)
{
    m->next = NULL;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
}

static struct outmsg *make_msg(uint32_t type, uint32_t req_id, uint32_t tx_id,
                               const void *p1, uint32_t l1, const void *p2,
                               uint32_t l2)
{
    struct xsd_sockmsg h = { type, req_id, tx_id, l1 + l2 };
    struct outmsg *m = malloc(sizeof(*m) + sizeof(h) + l1 + l2);

    if (!m)
        return NULL;
    memset(m, 0, sizeof(*m));
    m->len = (uint32_t)sizeof(h) + l1 + l2;
    memcpy(m->buf, &h, sizeof(h));
    if (l1)
        memcpy(m->buf + sizeof(h), p1, l1);
    if (l2)
        memcpy(m->buf + sizeof(h) + l1, p2, l2);
    return m;
}

void conn_reply(struct conn *c, uint32_t type, const struct wire_req *r,
                const void *payload, uint32_t len)
{
    struct outmsg *m;

    if (c->dead)
        return;
    if (len > XENSTORE_PAYLOAD_MAX) {
        conn_error(c, r, E2BIG);
        return;
    }
    m = make_msg(type, r->req_id, r->tx_id, payload, len, NULL, 0);
    if (!m) {
        log_msg("out of memory replying to domain %u", c->who.domid);
        return;
    }
    m->is_reply = true;
    if (c->kind == CONN_RING) {
        m->has_consume = true;
        m->consume_to = c->cur_consume;
    }
    enqueue(c, m);
    c->out_replies++;
}

void conn_error(struct conn *c, const struct wire_req *r, int err)
{
    const char *name = wire_errno_name(err);

    conn_reply(c, XS_ERROR, r, name, (uint32_t)strlen(name) + 1);
}

void conn_event(struct conn *c, const char *path, const char *token)
{
    uint32_t lp = (uint32_t)strlen(path) + 1, lt = (uint32_t)strlen(token) + 1;
    struct outmsg *m;

    if (c->dead || c->ignored || lp + lt > XENSTORE_PAYLOAD_MAX)
        return;
    if (c->out_events >= EVENT_CAP) {
        if (c->dropped++ == 0)
            log_msg("domain %u: not reading its events; dropping some",
                    c->who.domid);
        return;
    }
    m = make_msg(XS_WATCH_EVENT, 0, 0, path, lp, token, lt);
    if (!m)
        return;
    enqueue(c, m);
    c->out_events++;
}

bool conn_throttled(const struct conn *c)
{
    uint32_t limit = c->kind == CONN_SOCKET ? SOCKET_OUTSTANDING
                                            : quota.outstanding;

    return c->out_replies >= (limit ? limit : 1);
}

/* ---- input ---- */

static void handle_message(struct conn *c)
{
    struct wire_req r;
    int err = wire_decode(&c->in.hdr, c->in.payload, &r);

    if (trace_on)
        log_trace_req(c, &r);
    if (err)
        conn_error(c, &r, err);
    else
        ops_dispatch(c, &r);
    journal_end_request();
}

static void bad_client(struct conn *c, uint32_t ring_err)
{
    log_msg("domain %u: protocol violation (%s); dropping the connection",
            c->who.domid, ring_err == XENSTORE_ERROR_PROTO ? "length"
                                                           : "ring index");
    if (c->kind == CONN_SOCKET) {
        conn_kill(c);
        return;
    }
    ring_set_error(c->ring, ring_err);
    conn_drop_state(c);
    c->ignored = true;
}

/* Socket: frame what is buffered, reading more when empty. 1/0/-1. */
static int socket_next(struct conn *c)
{
    enum wire_status st;
    size_t used;
    ssize_t r;

    for (;;) {
        if (c->ibuf_off == c->ibuf_len) {
            if (!c->ibuf && !(c->ibuf = malloc(IBUF_SIZE)))
                return 0;
            r = read(c->fd, c->ibuf, IBUF_SIZE);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                conn_kill(c); /* gone, possibly mid-message */
                return 0;
            }
            if (r < 0)
                return 0;
            c->ibuf_off = 0;
            c->ibuf_len = (uint32_t)r;
        }
        st = wire_in_feed(&c->in, c->ibuf + c->ibuf_off,
                          c->ibuf_len - c->ibuf_off, &used);
        c->ibuf_off += (uint32_t)used;
        if (st == WIRE_BAD_LEN)
            return -1;
        if (st == WIRE_MSG)
            return 1;
    }
}

/* Ring: frame what the guest has produced. 1/0/-1. */
static int ring_next(struct conn *c)
{
    char buf[XENSTORE_RING_SIZE];
    enum wire_status st;
    uint32_t want;
    size_t used;
    int n;

    for (;;) {
        want = wire_in_want(&c->in);
        n = ring_read(c->ring, buf, want < sizeof(buf) ? want : sizeof(buf));
        if (n < 0)
            return -2;
        if (n == 0) {
            /* G3: a partial message may need the space we hold. */
            if (c->in.have && ring_unconsumed(c->ring))
                ring_consume_to(c->ring, c->ring->rd);
            return 0;
        }
        st = wire_in_feed(&c->in, buf, (size_t)n, &used);
        if (st == WIRE_BAD_LEN)
            return -1;
        if (st == WIRE_MSG) {
            c->cur_consume = c->ring->rd;
            return 1;
        }
    }
}

bool conn_process(struct conn *c, unsigned budget)
{
    int st;

    if (c->kind == CONN_RING && !c->dead && ring_reconnect_requested(c->ring)) {
        for (struct watch *w = c->watches; w; w = w->conn_next)
            journal_watch(c->who.domid, w->path, w->token, 0, false);
        journal_end_request();
        conn_drop_state(c);
        c->ignored = false;
        ring_reset(c->ring);
    }
    while (budget && !c->dead && !c->ignored && !conn_throttled(c)) {
        st = c->kind == CONN_SOCKET ? socket_next(c) : ring_next(c);
        if (st < 0) {
            bad_client(c, st == -1 ? XENSTORE_ERROR_PROTO
                                   : XENSTORE_ERROR_RINGIDX);
            return false;
        }
        if (st == 0)
            return false;
        handle_message(c);
        wire_in_reset(&c->in);
        budget--;
    }
    return !budget && !c->dead && !c->ignored;
}

/* Anything left to frame without waiting for a new signal? */
bool conn_has_input(struct conn *c)
{
    if (c->dead || c->ignored || conn_throttled(c))
        return false;
    if (c->kind == CONN_SOCKET)
        return c->ibuf_off < c->ibuf_len;
    return ring_avail(c->ring) != 0;
}

/* ---- output ---- */

static void sent(struct conn *c, struct outmsg *m)
{
    c->out_head = m->next;
    if (!c->out_head)
        c->out_tail = NULL;
    if (m->is_reply)
        c->out_replies--;
    else
        c->out_events--;
    if (m->has_consume && c->ring)
        ring_consume_to(c->ring, m->consume_to);
    free(m);
}

static int write_some(struct conn *c, struct outmsg *m)
{
    ssize_t w;

    if (c->kind == CONN_RING)
        return ring_write(c->ring, m->buf + m->off, m->len - m->off);
    w = write(c->fd, m->buf + m->off, m->len - m->off);
    if (w < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return w < 0 ? -1 : (int)w;
}

void conn_flush(struct conn *c)
{
    struct outmsg *m;
    int w;

    c->want_out = false;
    while (!c->dead && !c->ignored && (m = c->out_head)) {
        w = write_some(c, m);
        if (w < 0) {
            if (c->kind == CONN_SOCKET)
                conn_kill(c);
            else
                bad_client(c, XENSTORE_ERROR_RINGIDX);
            return;
        }
        m->off += (uint32_t)w;
        if (m->off < m->len) {
            c->want_out = true;
            return;
        }
        sent(c, m);
    }
}
