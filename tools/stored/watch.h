/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watches: registration per connection and the firing of WATCH_EVENTs.
 */
#ifndef STORED_WATCH_H
#define STORED_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

struct wbucket;

struct watch {
    struct watch *conn_prev, *conn_next; /* the connection's watches */
    struct watch *b_prev, *b_next;       /* watches on the same path */
    struct wbucket *bucket;
    struct conn *conn;
    char *path;      /* absolute path or '@' special */
    char *token;
    size_t rel_off;  /* relative watch: strip this much when reporting */
    uint64_t seq;    /* registration order */
    bool restored;   /* re-created from the log after a restart */
};

void watch_init(void);
/* 0, EEXIST (same path and token on this connection) or ENOMEM. */
int watch_add(struct conn *c, const char *path, const char *token,
              size_t rel_off, struct watch **out);
int watch_del(struct conn *c, const char *path, const char *token);
struct watch *watch_find(struct conn *c, const char *path, const char *token);
void watch_del_all(struct conn *c);

/*
 * A change at path. exact: only watches on path itself (the children of a
 * removed subtree); else watches on path and every ancestor. perms: the
 * node's permissions before the change, for who may see it (NULL: look
 * the node up now).
 */
void watch_fire(const char *path, bool exact, const struct perm *p,
                uint32_t np);
void watch_fire_one(struct watch *w);
size_t watch_count(void);

#endif
