/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains the store talks to: INTRODUCE / RELEASE / SET_TARGET / RESUME,
 * their ring connections, and their state across a daemon restart.
 */
#ifndef STORED_DOMAIN_H
#define STORED_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"

struct rwatch;

struct domain {
    uint32_t domid;
    uint64_t mfn;
    uint32_t port;
    int32_t target;        /* SET_TARGET, or -1 */
    struct conn *conn;     /* NULL while its ring cannot be mapped */
    struct rwatch *rwatches; /* watches to re-create after a restart */
    struct domain *next;
};

struct domain *domain_find(uint32_t domid);
/* Iterate over introduced domains: d = domain_next(NULL) ... */
struct domain *domain_next(struct domain *d);

/* 0 or errno (EINVAL: ring cannot be mapped). Fires @introduceDomain. */
int domain_introduce(uint32_t domid, uint64_t mfn, uint32_t port);
/* 0 or ENOENT. Removes the domain's nodes, fires @releaseDomain. */
int domain_release(uint32_t domid);
int domain_set_target(uint32_t domid, uint32_t target);

/* Replay hooks (journal.c), then domain_restore_all() to reconnect. */
void domain_restore_intro(uint32_t domid, uint64_t mfn, uint32_t port);
void domain_restore_release(uint32_t domid);
void domain_restore_target(uint32_t domid, uint32_t target);
void domain_restore_watch(uint32_t domid, const char *path,
                          const char *token, uint32_t rel_off, bool add);
void domain_restore_all(void);
void domain_conn_gone(struct conn *c);

#endif
