/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The node tree.
 *
 * Model: every node is in one hash index by full path (O(1) lookup) and,
 * except "/" and the '@' specials, in its parent's doubly-linked child
 * list (insertion order, which DIRECTORY reports). Every node is also in
 * its owner's list, so a domain's nodes are found without a tree scan.
 *
 * Invariants (tests/unit_tree.c):
 *  T1. A node is in the index iff it is reachable from "/" or is a special.
 *  T2. n->parent->childlen == sum over its children of strlen(name) + 1,
 *      and nchildren is their count.
 *  T3. owned(d) == number of indexed nodes whose perms[0].id == d.
 *  T4. Adding or removing a child gives the parent a new generation; gens
 *      only grow, so a changed node never shows an old generation.
 */
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "tree.h"

struct owner {
    struct node *head;
    uint32_t count;
};

static struct strmap index_;
static struct owner owners[PERM_MAX_DOMID + 1];
static uint64_t gen_counter;

uint64_t tree_next_gen(void)
{
    return ++gen_counter;
}

void tree_gen_at_least(uint64_t g)
{
    if (gen_counter < g)
        gen_counter = g;
}

uint32_t tree_node_size(uint32_t vlen, uint32_t childlen, uint32_t nperms)
{
    return vlen + childlen + nperms * (uint32_t)sizeof(struct perm);
}

static void owner_link(struct node *n)
{
    struct owner *o = &owners[n->perms[0].id];

    n->own_prev = NULL;
    n->own_next = o->head;
    if (o->head)
        o->head->own_prev = n;
    o->head = n;
    o->count++;
}

static void owner_unlink(struct node *n)
{
    struct owner *o = &owners[n->perms[0].id];

    if (n->own_prev)
        n->own_prev->own_next = n->own_next;
    else
        o->head = n->own_next;
    if (n->own_next)
        n->own_next->own_prev = n->own_prev;
    o->count--;
}

static void node_free(struct node *n)
{
    free(n->path);
    free(n->value);
    free(n->perms);
    free(n);
}

static struct node *node_new(const char *path, const struct perm *p,
                             uint32_t np, const void *val, uint32_t vlen)
{
    struct node *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->path = strdup(path);
    n->perms = malloc(np * sizeof(*p));
    n->value = malloc(vlen ? vlen : 1);
    if (!n->path || !n->perms || !n->value) {
        node_free(n);
        return NULL;
    }
    memcpy(n->perms, p, np * sizeof(*p));
    n->nperms = np;
    if (vlen)
        memcpy(n->value, val, vlen);
    n->vlen = vlen;
    n->name = path[0] == '@' ? n->path : path_base(n->path);
    n->gen = tree_next_gen();
    return n;
}

void tree_init(void)
{
    static const struct perm root_perm = { 0, PERM_NONE };

    strmap_init(&index_);
    memset(owners, 0, sizeof(owners));
    gen_counter = 0;
    tree_add("/", &root_perm, 1, NULL, 0);
}

static void free_cb(struct node *n, void *ctx)
{
    (void)n;
    (void)ctx;
}

void tree_destroy(void)
{
    const char *k;
    void *v;
    size_t i;
    struct node *root = tree_get("/");

    if (root) {
        /* Children only: tree_remove refuses "/" itself. */
        while (root->child_head)
            tree_remove(root->child_head, free_cb, NULL);
        strmap_del(&index_, "/");
        node_free(root);
    }
    for (i = 0; (i = strmap_next(&index_, i, &k, &v));)
        node_free(v);
    strmap_free(&index_);
    memset(owners, 0, sizeof(owners));
}

struct node *tree_get(const char *path)
{
    return strmap_get(&index_, path);
}

static void link_child(struct node *parent, struct node *n)
{
    n->parent = parent;
    n->sib_prev = parent->child_tail;
    n->sib_next = NULL;
    if (parent->child_tail)
        parent->child_tail->sib_next = n;
    else
        parent->child_head = n;
    parent->child_tail = n;
    parent->nchildren++;
    parent->childlen += (uint32_t)strlen(n->name) + 1;
    parent->gen = tree_next_gen();
}

struct node *tree_add(const char *path, const struct perm *p, uint32_t np,
                      const void *val, uint32_t vlen)
{
    struct node *parent = NULL, *n;
    char pp[PATH_BUF];

    if (np == 0 || tree_get(path))
        return NULL;
    if (path[0] == '/' && path[1]) {
        path_parent(path, pp);
        parent = tree_get(pp);
        if (!parent)
            return NULL;
    }
    n = node_new(path, p, np, val, vlen);
    if (!n)
        return NULL;
    if (strmap_put(&index_, n->path, n)) {
        node_free(n);
        return NULL;
    }
    if (parent)
        link_child(parent, n);
    owner_link(n);
    return n;
}

int tree_set_value(struct node *n, const void *val, uint32_t vlen)
{
    char *v = malloc(vlen ? vlen : 1);

    if (!v)
        return -1;
    if (vlen)
        memcpy(v, val, vlen);
    free(n->value);
    n->value = v;
    n->vlen = vlen;
    n->gen = tree_next_gen();
    return 0;
}

int tree_set_perms(struct node *n, const struct perm *p, uint32_t np)
{
    struct perm *c = malloc(np * sizeof(*p));

    if (!c || np == 0) {
        free(c);
        return -1;
    }
    memcpy(c, p, np * sizeof(*p));
    owner_unlink(n);
    free(n->perms);
    n->perms = c;
    n->nperms = np;
    owner_link(n);
    n->gen = tree_next_gen();
    return 0;
}

static void unlink_child(struct node *n)
{
    struct node *parent = n->parent;

    if (n->sib_prev)
        n->sib_prev->sib_next = n->sib_next;
    else
        parent->child_head = n->sib_next;
    if (n->sib_next)
        n->sib_next->sib_prev = n->sib_prev;
    else
        parent->child_tail = n->sib_prev;
    parent->nchildren--;
    parent->childlen -= (uint32_t)strlen(n->name) + 1;
    parent->gen = tree_next_gen();
}

static void remove_rec(struct node *n, tree_cb cb, void *ctx)
{
    while (n->child_head) {
        struct node *c = n->child_head;
        n->child_head = c->sib_next;
        remove_rec(c, cb, ctx);
    }
    cb(n, ctx);
    strmap_del(&index_, n->path);
    owner_unlink(n);
    node_free(n);
}

void tree_remove(struct node *n, tree_cb cb, void *ctx)
{
    if (!strcmp(n->path, "/"))
        return;
    if (n->parent)
        unlink_child(n);
    remove_rec(n, cb, ctx);
}

size_t tree_children(const struct node *n, char *buf, size_t cap)
{
    size_t off = 0, len;

    for (const struct node *c = n->child_head; c; c = c->sib_next) {
        len = strlen(c->name) + 1;
        if (off + len <= cap)
            memcpy(buf + off, c->name, len);
        off += len;
    }
    return off;
}

static void walk_rec(struct node *n, tree_cb cb, void *ctx)
{
    cb(n, ctx);
    for (struct node *c = n->child_head; c; c = c->sib_next)
        walk_rec(c, cb, ctx);
}

void tree_walk(tree_cb cb, void *ctx)
{
    const char *k;
    void *v;
    size_t i;

    walk_rec(tree_get("/"), cb, ctx);
    for (i = 0; (i = strmap_next(&index_, i, &k, &v));)
        if (k[0] == '@')
            cb(v, ctx);
}

uint32_t tree_owned(uint32_t domid)
{
    return domid <= PERM_MAX_DOMID ? owners[domid].count : 0;
}

struct node *tree_owned_first(uint32_t domid)
{
    return domid <= PERM_MAX_DOMID ? owners[domid].head : NULL;
}

size_t tree_count(void)
{
    return index_.used;
}

struct check {
    size_t nodes;
    int bad;
    uint32_t *owned;
};

static void check_node(struct node *n, void *ctx)
{
    struct check *ck = ctx;
    uint32_t cl = 0, nc = 0;

    ck->nodes++;
    if (tree_get(n->path) != n || !n->nperms)
        ck->bad = 1;
    for (struct node *c = n->child_head; c; c = c->sib_next) {
        cl += (uint32_t)strlen(c->name) + 1;
        nc++;
        if (c->parent != n)
            ck->bad = 1;
    }
    if (cl != n->childlen || nc != n->nchildren)
        ck->bad = 1;
    if (n->nperms)
        ck->owned[n->perms[0].id]++;
}

int tree_check(void)
{
    struct check ck = { 0, 0, calloc(PERM_MAX_DOMID + 1, sizeof(uint32_t)) };

    if (!ck.owned)
        return -1;
    tree_walk(check_node, &ck);
    if (ck.nodes != index_.used)
        ck.bad = 1;
    for (uint32_t d = 0; d <= PERM_MAX_DOMID; d++)
        if (ck.owned[d] != owners[d].count)
            ck.bad = 1;
    free(ck.owned);
    return ck.bad;
}
