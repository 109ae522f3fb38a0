/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The store as requests see it: committed changes (logged, watched) and
 * the view through an open transaction, behind one interface.
 */
#ifndef STORED_STORE_H
#define STORED_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"
#include "tree.h"

struct tnode;

/* What a request sees of one node, inside a transaction or not. */
struct vnode {
    const char *value;
    uint32_t vlen;
    const struct perm *perms;
    uint32_t nperms;
    uint64_t gen;
    uint32_t childlen;
    struct node *m;   /* committed node, or NULL */
    struct tnode *t;  /* transaction's copy, or NULL */
};

/* Committed changes: applied, logged and (fire) watched. */
struct node *store_create(const char *path, const struct perm *p, uint32_t np,
                          const void *v, uint32_t vlen);
int store_set_value(struct node *n, const void *v, uint32_t vlen);
int store_set_perms(struct node *n, const struct perm *p, uint32_t np);
void store_remove(struct node *n, bool fire);
/* Create /, /tool, /tool/xenstored and the '@' specials on a fresh store. */
void store_bootstrap(void);

/* The view through transaction t (NULL: committed state). */
int view_get(struct txn *t, const char *path, struct vnode *v);
size_t view_children(const struct vnode *v, char *buf, size_t cap);
int view_create(struct txn *t, const char *path, const struct perm *p,
                uint32_t np, const void *val, uint32_t vlen);
int view_set_value(struct txn *t, const char *path, const void *val,
                   uint32_t vlen);
int view_set_perms(struct txn *t, const char *path, const struct perm *p,
                   uint32_t np);
int view_remove(struct txn *t, const char *path);
/* A change to report: now, or when t commits. */
void view_event(struct txn *t, const char *path, bool exact,
                const struct perm *p, uint32_t np);

/* Transactions (txn.c). */
struct txn *txn_new(struct conn *c);
struct txn *txn_lookup(struct conn *c, uint32_t id);
uint32_t txn_id(const struct txn *t);
void txn_free(struct txn *t);
void txn_free_all(struct conn *c);
/* Nodes owned by the connection's domain this transaction adds (or, < 0,
 * removes): for the node quota. */
int32_t txn_own_delta(const struct txn *t);
/* 0, EAGAIN (something read or written changed since), ENOSPC, ENOMEM. */
int txn_commit(struct txn *t);

#endif
