/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transactions, and the view of the store through one.
 *
 * Model (optimistic, as Xen's store since 4.9): a transaction keeps a
 * private copy of each node it changes (the overlay) and remembers the
 * generation of every committed node it looked at or copied (the access
 * set; generation 0 for "did not exist"). Reads see the overlay first,
 * then the committed tree. Commit succeeds only if every accessed node
 * still has the generation it had: then the overlay is applied as one log
 * batch and the queued watch events fire.
 *
 * Invariants (tests/unit_txn.c):
 *  X1. A transaction reads its own writes, and nothing it did is visible
 *      to anyone else before commit.
 *  X2. Commit returns EAGAIN iff some node in the access set changed,
 *      appeared or vanished since it was first accessed. The check costs
 *      O(|access set|), never a walk of the tree.
 *  X3. A commit applies all of the overlay or nothing.
 *  X4. Watch events of a transaction fire only on commit, in the order of
 *      the changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "store.h"
#include "strmap.h"
#include "watch.h"

struct tnode {
    char *path;
    bool exists;
    char *value;
    uint32_t vlen;
    struct perm *perms;
    uint32_t nperms;
    char *children; /* NUL-separated names, in order */
    uint32_t childlen;
    uint64_t gen;
    uint32_t seq;
    struct tnode *next;
};

struct tacc {
    char *path;
    uint64_t gen;
};

struct tevent {
    struct tevent *next;
    bool exact;
    struct perm *perms;
    uint32_t nperms;
    char path[];
};

struct txn {
    uint32_t id;
    struct conn *conn;
    struct strmap acc;  /* path -> struct tacc */
    struct strmap over; /* path -> struct tnode */
    struct tnode *head, *tail;
    uint32_t nover;
    struct tevent *ev_head, *ev_tail;
    int32_t own_delta;
    bool failed;
    struct txn *next;
};

static void *dup_mem(const void *p, size_t n)
{
    void *c = malloc(n ? n : 1);

    if (c && n)
        memcpy(c, p, n);
    return c;
}

/* ---- access set and overlay ---- */

static int record_access(struct txn *t, const char *path, uint64_t gen)
{
    struct tacc *a;

    if (strmap_get(&t->acc, path))
        return 0;
    if (!t->conn->who.priv && t->acc.used >= quota.tx_nodes)
        return ENOSPC;
    a = malloc(sizeof(*a));
    if (!a || !(a->path = strdup(path))) {
        free(a);
        t->failed = true;
        return ENOMEM;
    }
    a->gen = gen;
    if (strmap_put(&t->acc, a->path, a)) {
        free(a->path);
        free(a);
        t->failed = true;
        return ENOMEM;
    }
    return 0;
}

static void tnode_free(struct tnode *tn)
{
    free(tn->path);
    free(tn->value);
    free(tn->perms);
    free(tn->children);
    free(tn);
}

static int tnode_fill(struct tnode *tn, const struct node *n)
{
    size_t cl;

    if (!n)
        return 0;
    tn->exists = true;
    tn->value = dup_mem(n->value, n->vlen);
    tn->vlen = n->vlen;
    tn->perms = dup_mem(n->perms, n->nperms * sizeof(*n->perms));
    tn->nperms = n->nperms;
    cl = tree_children(n, NULL, 0);
    tn->children = malloc(cl ? cl : 1);
    if (!tn->value || !tn->perms || !tn->children)
        return ENOMEM;
    tree_children(n, tn->children, cl);
    tn->childlen = (uint32_t)cl;
    tn->gen = n->gen;
    return 0;
}

/* The transaction's own copy of path, made on first change. */
static struct tnode *overlay(struct txn *t, const char *path, int *err)
{
    struct tnode *tn = strmap_get(&t->over, path);
    struct node *n;

    if (tn)
        return tn;
    n = tree_get(path);
    *err = record_access(t, path, n ? n->gen : 0);
    if (*err)
        return NULL;
    tn = calloc(1, sizeof(*tn));
    if (!tn || !(tn->path = strdup(path)) || tnode_fill(tn, n) ||
        strmap_put(&t->over, tn->path, tn)) {
        if (tn)
            tnode_free(tn);
        *err = ENOMEM;
        t->failed = true;
        return NULL;
    }
    tn->seq = t->nover++;
    if (t->tail)
        t->tail->next = tn;
    else
        t->head = tn;
    t->tail = tn;
    return tn;
}

/* ---- the view ---- */

static void fill_from_node(struct vnode *v, struct node *n)
{
    v->value = n->value;
    v->vlen = n->vlen;
    v->perms = n->perms;
    v->nperms = n->nperms;
    v->gen = n->gen;
    v->childlen = n->childlen;
    v->m = n;
    v->t = NULL;
}

int view_get(struct txn *t, const char *path, struct vnode *v)
{
    struct tnode *tn;
    struct node *n;
    int err;

    memset(v, 0, sizeof(*v));
    tn = t ? strmap_get(&t->over, path) : NULL;
    if (tn) {
        if (!tn->exists)
            return ENOENT;
        v->value = tn->value;
        v->vlen = tn->vlen;
        v->perms = tn->perms;
        v->nperms = tn->nperms;
        v->gen = tn->gen;
        v->childlen = tn->childlen;
        v->t = tn;
        return 0;
    }
    n = tree_get(path);
    if (t && (err = record_access(t, path, n ? n->gen : 0)))
        return err;
    if (!n)
        return ENOENT;
    fill_from_node(v, n);
    return 0;
}

size_t view_children(const struct vnode *v, char *buf, size_t cap)
{
    if (v->m)
        return tree_children(v->m, buf, cap);
    if (buf && v->t->childlen <= cap)
        memcpy(buf, v->t->children, v->t->childlen);
    return v->t->childlen;
}

static int add_child_name(struct tnode *p, const char *name)
{
    size_t len = strlen(name) + 1;
    char *c = realloc(p->children, p->childlen + len);

    if (!c)
        return ENOMEM;
    memcpy(c + p->childlen, name, len);
    p->children = c;
    p->childlen += (uint32_t)len;
    p->gen = tree_next_gen();
    return 0;
}

static void del_child_name(struct tnode *p, const char *name)
{
    uint32_t off = 0, len;

    while (off < p->childlen) {
        len = (uint32_t)strlen(p->children + off) + 1;
        if (!strcmp(p->children + off, name)) {
            memmove(p->children + off, p->children + off + len,
                    p->childlen - off - len);
            p->childlen -= len;
            p->gen = tree_next_gen();
            return;
        }
        off += len;
    }
}

static bool is_own(const struct txn *t, const struct perm *p, uint32_t np)
{
    return np && p[0].id == t->conn->who.domid;
}

int view_create(struct txn *t, const char *path, const struct perm *p,
                uint32_t np, const void *val, uint32_t vlen)
{
    char parent[PATH_BUF];
    struct tnode *tn, *pn;
    int err = 0;

    if (!t)
        return store_create(path, p, np, val, vlen) ? 0 : ENOMEM;
    path_parent(path, parent);
    pn = overlay(t, parent, &err);
    if (!pn)
        return err;
    tn = overlay(t, path, &err);
    if (!tn)
        return err;
    free(tn->value);
    free(tn->perms);
    free(tn->children);
    tn->value = dup_mem(val, vlen);
    tn->perms = dup_mem(p, np * sizeof(*p));
    tn->children = NULL;
    tn->childlen = 0;
    if (!tn->value || !tn->perms || add_child_name(pn, path_base(path))) {
        t->failed = true;
        return ENOMEM;
    }
    tn->vlen = vlen;
    tn->nperms = np;
    tn->exists = true;
    tn->gen = tree_next_gen();
    if (is_own(t, p, np))
        t->own_delta++;
    return 0;
}

int view_set_value(struct txn *t, const char *path, const void *val,
                   uint32_t vlen)
{
    struct tnode *tn;
    char *nv;
    int err = 0;

    if (!t)
        return store_set_value(tree_get(path), val, vlen) ? ENOMEM : 0;
    tn = overlay(t, path, &err);
    if (!tn)
        return err;
    nv = dup_mem(val, vlen);
    if (!nv)
        return ENOMEM;
    free(tn->value);
    tn->value = nv;
    tn->vlen = vlen;
    tn->gen = tree_next_gen();
    return 0;
}

int view_set_perms(struct txn *t, const char *path, const struct perm *p,
                   uint32_t np)
{
    struct tnode *tn;
    struct perm *c;
    int err = 0;

    if (!t)
        return store_set_perms(tree_get(path), p, np) ? ENOMEM : 0;
    tn = overlay(t, path, &err);
    if (!tn)
        return err;
    c = dup_mem(p, np * sizeof(*p));
    if (!c)
        return ENOMEM;
    t->own_delta += (int32_t)is_own(t, p, np) -
                    (int32_t)is_own(t, tn->perms, tn->nperms);
    free(tn->perms);
    tn->perms = c;
    tn->nperms = np;
    tn->gen = tree_next_gen();
    return 0;
}

/* Remove path and below inside t; children first, as committed rm does. */
static int remove_rec(struct txn *t, const char *path, bool root)
{
    char child[PATH_BUF];
    struct vnode v;
    struct tnode *tn;
    char *names;
    size_t len, off;
    int err = view_get(t, path, &v);

    if (err)
        return err;
    len = view_children(&v, NULL, 0);
    names = malloc(len ? len : 1);
    if (!names)
        return ENOMEM;
    view_children(&v, names, len);
    for (off = 0; off < len && !err; off += strlen(names + off) + 1) {
        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
                 names + off);
        err = remove_rec(t, child, false);
    }
    free(names);
    tn = err ? NULL : overlay(t, path, &err);
    if (!tn)
        return err;
    view_event(t, path, !root, tn->perms, tn->nperms);
    if (is_own(t, tn->perms, tn->nperms))
        t->own_delta--;
    tn->exists = false;
    tn->childlen = 0;
    return 0;
}

int view_remove(struct txn *t, const char *path)
{
    char parent[PATH_BUF];
    struct tnode *pn;
    int err = 0;

    if (!t) {
        store_remove(tree_get(path), true);
        return 0;
    }
    path_parent(path, parent);
    pn = overlay(t, parent, &err);
    if (!pn)
        return err;
    err = remove_rec(t, path, true);
    if (err) {
        t->failed = true;
        return err;
    }
    del_child_name(pn, path_base(path));
    return 0;
}

void view_event(struct txn *t, const char *path, bool exact,
                const struct perm *p, uint32_t np)
{
    size_t n = strlen(path) + 1;
    struct tevent *e;

    if (!t) {
        watch_fire(path, exact, p, np);
        return;
    }
    e = malloc(sizeof(*e) + n);
    if (!e) {
        t->failed = true;
        return;
    }
    memcpy(e->path, path, n);
    e->exact = exact;
    e->nperms = p ? np : 0;
    e->perms = p ? dup_mem(p, np * sizeof(*p)) : NULL;
    e->next = NULL;
    if (t->ev_tail)
        t->ev_tail->next = e;
    else
        t->ev_head = e;
    t->ev_tail = e;
}

/* ---- lifecycle ---- */

struct txn *txn_new(struct conn *c)
{
    struct txn *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    strmap_init(&t->acc);
    strmap_init(&t->over);
    t->conn = c;
    /* Ids are per connection, never 0, and not reused while open. */
    do {
        t->id = ++c->next_txid;
    } while (!t->id || txn_lookup(c, t->id));
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    return t;
}

struct txn *txn_lookup(struct conn *c, uint32_t id)
{
    for (struct txn *t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

uint32_t txn_id(const struct txn *t)
{
    return t->id;
}

int32_t txn_own_delta(const struct txn *t)
{
    return t->own_delta;
}

void txn_free(struct txn *t)
{
    struct txn **pp = &t->conn->txns;
    const char *k;
    void *v;
    size_t i;

    while (*pp != t)
        pp = &(*pp)->next;
    *pp = t->next;
    t->conn->ntxns--;
    for (i = 0; (i = strmap_next(&t->acc, i, &k, &v));) {
        free(((struct tacc *)v)->path);
        free(v);
    }
    strmap_free(&t->acc);
    strmap_free(&t->over);
    while (t->head) {
        struct tnode *tn = t->head;
        t->head = tn->next;
        tnode_free(tn);
    }
    while (t->ev_head) {
        struct tevent *e = t->ev_head;
        t->ev_head = e->next;
        free(e->perms);
        free(e);
    }
    free(t);
}

void txn_free_all(struct conn *c)
{
    while (c->txns)
        txn_free(c->txns);
}

static bool conflicts(struct txn *t)
{
    const char *k;
    void *v;
    size_t i;

    for (i = 0; (i = strmap_next(&t->acc, i, &k, &v));) {
        struct node *n = tree_get(k);
        if ((n ? n->gen : 0) != ((struct tacc *)v)->gen)
            return true;
    }
    return false;
}

static size_t depth(const char *p)
{
    size_t d = 0;

    for (; *p; p++)
        d += *p == '/';
    return d;
}

static int by_depth(const void *a, const void *b)
{
    const struct tnode *x = *(struct tnode *const *)a;
    const struct tnode *y = *(struct tnode *const *)b;
    size_t dx = depth(x->path), dy = depth(y->path);

    if (dx != dy)
        return dx < dy ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void apply_one(const struct tnode *tn)
{
    struct node *n = tree_get(tn->path);

    if (!n) {
        store_create(tn->path, tn->perms, tn->nperms, tn->value, tn->vlen);
        return;
    }
    if (n->vlen != tn->vlen || memcmp(n->value, tn->value, tn->vlen))
        store_set_value(n, tn->value, tn->vlen);
    if (n->nperms != tn->nperms ||
        memcmp(n->perms, tn->perms, tn->nperms * sizeof(*tn->perms)))
        store_set_perms(n, tn->perms, tn->nperms);
}

static int apply(struct txn *t)
{
    struct tnode **up = malloc((t->nover ? t->nover : 1) * sizeof(*up));
    struct tnode *tn;
    size_t n = 0;

    if (!up)
        return ENOMEM;
    for (tn = t->head; tn; tn = tn->next) {
        struct node *m = tree_get(tn->path);
        if (!tn->exists && m)
            store_remove(m, false);
        else if (tn->exists)
            up[n++] = tn;
    }
    qsort(up, n, sizeof(*up), by_depth);
    for (size_t i = 0; i < n; i++)
        apply_one(up[i]);
    free(up);
    return 0;
}

int txn_commit(struct txn *t)
{
    int err;

    if (t->failed)
        return ENOMEM;
    if (conflicts(t))
        return EAGAIN;
    err = apply(t);
    if (err)
        return err;
    for (struct tevent *e = t->ev_head; e; e = e->next)
        watch_fire(e->path, e->exact, e->perms, e->nperms);
    return 0;
}
