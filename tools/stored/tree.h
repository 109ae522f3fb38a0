/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The committed store: a tree of nodes, each with a value, permissions, a
 * generation and ordered children, indexed by full path. No permissions
 * are checked and nothing is logged here: this is the data model that the
 * store layer (store.c) and transactions (txn.c) build on.
 */
#ifndef STORED_TREE_H
#define STORED_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perms.h"

struct node {
    char *path;          /* full path; the index key */
    const char *name;    /* last component, inside path */
    struct node *parent; /* NULL for "/" and '@' specials */
    struct node *child_head, *child_tail;
    struct node *sib_prev, *sib_next;
    uint32_t nchildren;
    uint32_t childlen;   /* sum of (strlen(child name) + 1) */
    struct node *own_prev, *own_next; /* nodes of the same owner */
    char *value;
    uint32_t vlen;
    struct perm *perms;  /* perms[0] is the owner */
    uint32_t nperms;
    uint64_t gen;        /* changes whenever this node or its child list does */
};

typedef void (*tree_cb)(struct node *n, void *ctx);

void tree_init(void);
void tree_destroy(void);

struct node *tree_get(const char *path);
/* Add a node whose parent exists (or "/" or an '@' special); NULL: ENOMEM
 * or no parent. Copies path, perms and value. */
struct node *tree_add(const char *path, const struct perm *p, uint32_t n,
                      const void *val, uint32_t vlen);
int tree_set_value(struct node *n, const void *val, uint32_t vlen);
int tree_set_perms(struct node *n, const struct perm *p, uint32_t np);
/* Remove n and its subtree, children first; cb sees each node before it
 * is freed. Removing "/" is refused (returns without doing anything). */
void tree_remove(struct node *n, tree_cb cb, void *ctx);

/* Child names, NUL-terminated each, into buf; returns the bytes needed. */
size_t tree_children(const struct node *n, char *buf, size_t cap);
/* Pre-order walk of "/" and then the specials. */
void tree_walk(tree_cb cb, void *ctx);

uint32_t tree_owned(uint32_t domid);
struct node *tree_owned_first(uint32_t domid);
size_t tree_count(void);
/* Bump the generation counter: every change gets a new, larger value. */
uint64_t tree_next_gen(void);
void tree_gen_at_least(uint64_t g);
/* Size a node counts against the node-size quota. */
uint32_t tree_node_size(uint32_t vlen, uint32_t childlen, uint32_t nperms);
/* Check T1-T3 over the whole tree (for CONTROL check and tests): 0 if ok. */
int tree_check(void);

#endif
