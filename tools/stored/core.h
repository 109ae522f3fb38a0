/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the daemon's subsystems share: a connection (one client, over a
 * socket or a domain's ring), the quota limits, and the few mutable
 * globals, all declared here. Single-threaded: the event loop in main.c
 * owns everything, so there are no locks.
 */
#ifndef STORED_CORE_H
#define STORED_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perms.h"
#include "wire.h"

struct watch;
struct txn;
struct ring_port;
struct domain;

/* Per-domain limits; privileged callers are exempt, as on Xen. */
struct quota {
    uint32_t nodes;        /* nodes a domain owns            (ENOSPC) */
    uint32_t node_size;    /* value + children + perms bytes (ENOSPC) */
    uint32_t watches;      /* watches per connection          (E2BIG) */
    uint32_t transactions; /* open transactions per connection (ENOSPC) */
    uint32_t outstanding;  /* replies queued before input is paused */
    uint32_t perms;        /* permission entries per node     (ENOSPC) */
    uint32_t path_len;     /* path bytes below the domain's home (EINVAL) */
    uint32_t tx_nodes;     /* nodes one transaction may touch (ENOSPC) */
};

enum conn_kind { CONN_SOCKET, CONN_RING };

struct outmsg {
    struct outmsg *next;
    uint32_t len, off;     /* bytes of hdr + payload, bytes already sent */
    bool is_reply;
    bool has_consume;      /* ring: advance req_cons to consume_to when sent */
    uint32_t consume_to;
    char buf[];
};

struct conn {
    enum conn_kind kind;
    struct perm_caller who;
    bool ro;               /* read-only socket */
    int fd;                /* socket; -1 for rings */
    struct ring_port *ring;
    struct domain *dom;    /* ring connections */
    struct wire_in in;
    char *ibuf;            /* socket bytes read, not yet framed */
    uint32_t ibuf_len, ibuf_off;
    uint32_t cur_consume;  /* ring index just past the request being handled */
    struct outmsg *out_head, *out_tail;
    uint32_t out_replies, out_events, dropped;
    struct watch *watches;
    uint32_t nwatches;
    struct txn *txns;
    uint32_t ntxns, next_txid;
    bool restored;         /* re-established after a daemon restart */
    bool dead, ignored, pending, want_out;
    uint32_t ep_events;    /* what epoll watches for (sockets) */
    struct conn *prev, *next;
};

extern struct quota quota;
extern struct conn *conn_list;
extern bool trace_on;

/* conn.c */
struct conn *conn_new(enum conn_kind kind, uint32_t domid, bool priv, bool ro);
void conn_kill(struct conn *c);
void conn_reply(struct conn *c, uint32_t type, const struct wire_req *r,
                const void *payload, uint32_t len);
void conn_error(struct conn *c, const struct wire_req *r, int err);
void conn_event(struct conn *c, const char *path, const char *token);
void conn_drop_state(struct conn *c);
/* Takes c off conn_list and frees it (its state must be dropped already). */
void conn_free(struct conn *c);
/* Handle buffered input; returns true if more remains for another round. */
bool conn_process(struct conn *c, unsigned budget);
bool conn_throttled(const struct conn *c);

/* ops.c */
void ops_dispatch(struct conn *c, const struct wire_req *r);

/* log.c */
void log_open(const char *file);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_trace_req(const struct conn *c, const struct wire_req *r);

#endif
