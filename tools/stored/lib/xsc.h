/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxs-satori: a small synchronous client of the xenstore protocol, over
 * the daemon's Unix socket or, playing a guest, over a simulated domain
 * ring (the ring_sim layout: page-<mfn>, evtchn-<port>.up/.down). Used by
 * the tests and the benchmark.
 *
 * Calls return 0, a positive errno from the store's ERROR reply, or a
 * negative errno for a transport failure (-ETIMEDOUT, -EPIPE, -EPROTO).
 * Returned buffers are malloc'ed, NUL-terminated, and the caller's.
 */
#ifndef XSC_H
#define XSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/xs_wire.h"

struct xsc;

struct xsc_msg {
    struct xsd_sockmsg hdr;
    char *data; /* hdr.len bytes + NUL */
};

struct xsc *xsc_open(const char *socket_path);
/* Be a guest: create (or reuse) the page and FIFOs of mfn and port.
 * The daemon still has to be told with xsc_introduce(). */
struct xsc *xsc_open_ring(const char *dir, uint64_t mfn, uint32_t port);
void xsc_close(struct xsc *x);
void xsc_set_timeout(struct xsc *x, int ms);

/* Raw access, for protocol tests. */
int xsc_send(struct xsc *x, uint32_t type, uint32_t tx, const void *p,
             uint32_t len, uint32_t *req_id);
int xsc_send_bytes(struct xsc *x, const void *p, size_t n);
int xsc_recv(struct xsc *x, struct xsc_msg *m, int timeout_ms);
void xsc_msg_free(struct xsc_msg *m);
/* Send a request and wait for its reply (events that arrive meanwhile are
 * queued for xsc_event). */
int xsc_req(struct xsc *x, uint32_t type, uint32_t tx, const void *p,
            uint32_t len, char **reply, uint32_t *rlen);

int xsc_read(struct xsc *x, uint32_t tx, const char *path, char **val,
             uint32_t *len);
int xsc_write(struct xsc *x, uint32_t tx, const char *path, const void *val,
              uint32_t len);
int xsc_writes(struct xsc *x, uint32_t tx, const char *path, const char *s);
int xsc_mkdir(struct xsc *x, uint32_t tx, const char *path);
int xsc_rm(struct xsc *x, uint32_t tx, const char *path);
/* Children as one string "a,b,c" (comma-joined) for easy comparison. */
int xsc_dir(struct xsc *x, uint32_t tx, const char *path, char **list);
/* Permissions as "n0,r3". */
int xsc_get_perms(struct xsc *x, uint32_t tx, const char *path, char **out);
/* perms: "n0,r3" */
int xsc_set_perms(struct xsc *x, uint32_t tx, const char *path,
                  const char *perms);
int xsc_watch(struct xsc *x, const char *path, const char *token);
int xsc_unwatch(struct xsc *x, const char *path, const char *token);
/* Next watch event: 0, or -ETIMEDOUT. */
int xsc_event(struct xsc *x, char **path, char **token, int timeout_ms);
int xsc_tx_start(struct xsc *x, uint32_t *tx);
int xsc_tx_end(struct xsc *x, uint32_t tx, bool commit);
int xsc_introduce(struct xsc *x, uint32_t domid, uint64_t mfn, uint32_t port);
int xsc_release(struct xsc *x, uint32_t domid);
int xsc_is_introduced(struct xsc *x, uint32_t domid, bool *yes);
int xsc_domain_path(struct xsc *x, uint32_t domid, char **path);
int xsc_resume(struct xsc *x, uint32_t domid);
int xsc_set_target(struct xsc *x, uint32_t domid, uint32_t target);
int xsc_reset_watches(struct xsc *x);
/* args: space-separated words, sent as separate strings. */
int xsc_control(struct xsc *x, const char *args, char **out);

/* Ring only: ask for a reconnection and wait for it; read the error field. */
int xsc_ring_reconnect(struct xsc *x);
uint32_t xsc_ring_error(struct xsc *x);
struct xenstore_domain_interface *xsc_ring_intf(struct xsc *x);
void xsc_ring_kick(struct xsc *x);

int xsc_errno(const char *name);
const char *xsc_errname(int err);

#endif
