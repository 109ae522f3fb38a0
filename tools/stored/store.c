/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Committed changes. Each one is applied to the tree, appended to the
 * current log batch (journal.c writes the batch when the request ends and
 * syncs it before any reply leaves) and reported to watches.
 *
 *  S1. Every change to the tree outside replay goes through this file, so
 *      the log replays to exactly the tree that clients were told about.
 */
#include <string.h>

#include "journal.h"
#include "path.h"
#include "store.h"
#include "watch.h"

struct node *store_create(const char *path, const struct perm *p, uint32_t np,
                          const void *v, uint32_t vlen)
{
    struct node *n = tree_add(path, p, np, v, vlen);

    if (n)
        journal_put(n);
    return n;
}

int store_set_value(struct node *n, const void *v, uint32_t vlen)
{
    if (tree_set_value(n, v, vlen))
        return -1;
    journal_put(n);
    return 0;
}

int store_set_perms(struct node *n, const struct perm *p, uint32_t np)
{
    if (tree_set_perms(n, p, np))
        return -1;
    journal_put(n);
    return 0;
}

struct rm_ctx {
    const char *root;
    bool fire;
};

static void removed(struct node *n, void *arg)
{
    struct rm_ctx *rc = arg;

    if (rc->fire)
        watch_fire(n->path, strcmp(n->path, rc->root) != 0, n->perms,
                   n->nperms);
}

void store_remove(struct node *n, bool fire)
{
    char root[PATH_BUF];
    struct rm_ctx rc = { root, fire };

    strcpy(root, n->path);
    journal_del(root);
    tree_remove(n, removed, &rc);
}

void store_bootstrap(void)
{
    static const struct perm p0 = { 0, PERM_NONE };

    if (!tree_get("/tool"))
        store_create("/tool", &p0, 1, NULL, 0);
    if (!tree_get("/tool/xenstored"))
        store_create("/tool/xenstored", &p0, 1, NULL, 0);
    if (!tree_get("@introduceDomain"))
        store_create("@introduceDomain", &p0, 1, NULL, 0);
    if (!tree_get("@releaseDomain"))
        store_create("@releaseDomain", &p0, 1, NULL, 0);
}
