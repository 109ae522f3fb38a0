/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared-memory transport of a domain's connection: the two byte rings
 * of a struct xenstore_domain_interface and its event channel. How the page
 * is mapped and the channel signalled is a backend's business (ring_sim.c
 * on the host, grant mapping and event channels on a real hypervisor);
 * the ring discipline is here.
 */
#ifndef STORED_RING_H
#define STORED_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "io/xs_wire.h"

struct ring_port;

struct ring_backend {
    const char *name;
    /* Map domid's page and bind its channel; sets intf and fd. 0 or errno. */
    int (*attach)(struct ring_port *rp, uint32_t domid, uint64_t mfn,
                  uint32_t port);
    void (*detach)(struct ring_port *rp);
    void (*notify)(struct ring_port *rp);
    /* Clear the pending notification (fd readable). */
    void (*ack)(struct ring_port *rp);
};

struct ring_port {
    const struct ring_backend *be;
    struct xenstore_domain_interface *intf;
    int fd;                  /* pollable: readable when the guest signals */
    void *priv;
    uint32_t domid;
    XENSTORE_RING_IDX rd;    /* next request byte to read (>= req_cons) */
};

extern const struct ring_backend ring_sim_backend;
void ring_sim_set_dir(const char *dir);

/* Choose how pages are mapped and channels signalled (default: sim). */
void ring_use_backend(const struct ring_backend *be);
int ring_attach(struct ring_port **out, uint32_t domid, uint64_t mfn,
                uint32_t port);
void ring_detach(struct ring_port *rp);
void ring_notify(struct ring_port *rp);
void ring_ack(struct ring_port *rp);

/* Request bytes past rd: how many are there (or -1: bad indexes). */
int ring_avail(struct ring_port *rp);
/* Copy up to n request bytes from rd on; returns bytes or -1. */
int ring_read(struct ring_port *rp, void *buf, uint32_t n);
/* Mark requests up to index idx consumed (never backwards). */
void ring_consume_to(struct ring_port *rp, XENSTORE_RING_IDX idx);
/* Bytes read but not yet consumed. */
uint32_t ring_unconsumed(const struct ring_port *rp);
/* Append up to n response bytes; returns bytes written or -1. */
int ring_write(struct ring_port *rp, const void *buf, uint32_t n);
/* Ring reconnection: empty both rings, mark connected, signal. */
bool ring_reconnect_requested(const struct ring_port *rp);
void ring_reset(struct ring_port *rp);
void ring_set_error(struct ring_port *rp, uint32_t err);

#endif
