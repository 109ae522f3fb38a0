/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watch registry and event matching.
 *
 * Model: watches are grouped in buckets keyed by the watched path. An event
 * at /a/b/c looks up the buckets of /a/b/c, /a/b, /a and / only: matching
 * costs O(depth + matches), never a scan of all watches or of the tree.
 *
 * Invariants (tests/unit_watch.c, tests/proto_test.c):
 *  V1. A watch fires for a change of its path or of anything below it,
 *      and for the removal of an ancestor (reported as the watch's path).
 *  V2. A connection sees matching events in the order the changes were
 *      made; several watches matching one change fire in the order they
 *      were registered.
 *  V3. An unprivileged watcher sees an event only if it may read the
 *      node (before the change) or its parent.
 *  V4. A relative watch reports paths relative to the domain's home.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "tree.h"
#include "watch.h"

struct wbucket {
    char *path;
    struct watch *head, *tail;
};

static struct strmap buckets;
static uint64_t watch_seq;
static size_t nwatches;

void watch_init(void)
{
    strmap_free(&buckets); /* no-op on the zeroed first call */
    watch_seq = 0;
    nwatches = 0;
}

size_t watch_count(void)
{
    return nwatches;
}

struct watch *watch_find(struct conn *c, const char *path, const char *token)
{
    struct wbucket *b = strmap_get(&buckets, path);

    if (!b)
        return NULL;
    for (struct watch *w = b->head; w; w = w->b_next)
        if (w->conn == c && !strcmp(w->token, token))
            return w;
    return NULL;
}

static struct wbucket *bucket_get(const char *path)
{
    struct wbucket *b = strmap_get(&buckets, path);

    if (b)
        return b;
    b = calloc(1, sizeof(*b));
    if (!b || !(b->path = strdup(path)) || strmap_put(&buckets, b->path, b)) {
        if (b)
            free(b->path);
        free(b);
        return NULL;
    }
    return b;
}

int watch_add(struct conn *c, const char *path, const char *token,
              size_t rel_off, struct watch **out)
{
    struct wbucket *b;
    struct watch *w;

    if (watch_find(c, path, token))
        return EEXIST;
    w = calloc(1, sizeof(*w));
    b = bucket_get(path);
    if (!w || !b || !(w->path = strdup(path)) ||
        !(w->token = strdup(token))) {
        if (w) {
            free(w->path);
            free(w);
        }
        return ENOMEM;
    }
    w->conn = c;
    w->rel_off = rel_off;
    w->seq = ++watch_seq;
    w->bucket = b;
    w->b_prev = b->tail;
    if (b->tail)
        b->tail->b_next = w;
    else
        b->head = w;
    b->tail = w;
    w->conn_next = c->watches;
    if (c->watches)
        c->watches->conn_prev = w;
    c->watches = w;
    c->nwatches++;
    nwatches++;
    if (out)
        *out = w;
    return 0;
}

static void watch_free(struct watch *w)
{
    struct wbucket *b = w->bucket;
    struct conn *c = w->conn;

    if (w->b_prev)
        w->b_prev->b_next = w->b_next;
    else
        b->head = w->b_next;
    if (w->b_next)
        w->b_next->b_prev = w->b_prev;
    else
        b->tail = w->b_prev;
    if (!b->head) {
        strmap_del(&buckets, b->path);
        free(b->path);
        free(b);
    }
    if (w->conn_prev)
        w->conn_prev->conn_next = w->conn_next;
    else
        c->watches = w->conn_next;
    if (w->conn_next)
        w->conn_next->conn_prev = w->conn_prev;
    c->nwatches--;
    nwatches--;
    free(w->path);
    free(w->token);
    free(w);
}

int watch_del(struct conn *c, const char *path, const char *token)
{
    struct watch *w = watch_find(c, path, token);

    if (!w)
        return ENOENT;
    watch_free(w);
    return 0;
}

void watch_del_all(struct conn *c)
{
    while (c->watches)
        watch_free(c->watches);
}

static bool may_read(const struct perm_caller *who, const struct perm *p,
                     uint32_t np)
{
    return p && (perm_for(who, p, np) & PERM_READ);
}

/* V3: the node (old perms or current) or its parent must be readable. */
static bool permitted(struct conn *c, const char *path, const struct perm *p,
                      uint32_t np)
{
    char parent[PATH_BUF];
    struct node *n;

    if (c->who.priv || may_read(&c->who, p, np))
        return true;
    n = tree_get(path);
    if (n && may_read(&c->who, n->perms, n->nperms))
        return true;
    if (path[0] == '@' || !strcmp(path, "/"))
        return false;
    path_parent(path, parent);
    n = tree_get(parent);
    return n && may_read(&c->who, n->perms, n->nperms);
}

static void deliver(struct watch *w, const char *path)
{
    const char *rep = path;

    if (w->rel_off) {
        rep = path + w->rel_off;
        if (*rep == '/')
            rep++;
    }
    conn_event(w->conn, rep, w->token);
}

void watch_fire_one(struct watch *w)
{
    deliver(w, w->path);
}

static int by_seq(const void *a, const void *b)
{
    const struct watch *x = *(struct watch *const *)a;
    const struct watch *y = *(struct watch *const *)b;

    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void collect(const char *key, struct watch ***v, size_t *n,
                    size_t *cap)
{
    struct wbucket *b = strmap_get(&buckets, key);

    for (struct watch *w = b ? b->head : NULL; w; w = w->b_next) {
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            struct watch **nv = realloc(*v, nc * sizeof(**v));
            if (!nv)
                return;
            *v = nv;
            *cap = nc;
        }
        (*v)[(*n)++] = w;
    }
}

void watch_fire(const char *path, bool exact, const struct perm *p,
                uint32_t np)
{
    char key[PATH_BUF];
    struct watch **v = NULL;
    size_t n = 0, cap = 0;

    if (!buckets.used)
        return;
    collect(path, &v, &n, &cap);
    if (!exact && path[0] == '/' && strcmp(path, "/")) {
        strcpy(key, path);
        do {
            path_parent(key, key);
            collect(key, &v, &n, &cap);
        } while (strcmp(key, "/"));
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), by_seq);
    for (size_t i = 0; i < n; i++)
        if (permitted(v[i]->conn, path, p, np))
            deliver(v[i], exact ? v[i]->path : path);
    free(v);
}
