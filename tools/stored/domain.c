/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains.
 *
 *  D1. A domain is introduced at most once at a time; introducing it again
 *      rebinds its ring (as Xen does after a guest's resume).
 *  D2. RELEASE removes every node the domain owns (found through the
 *      tree's owner lists, not a scan), drops its connection with its
 *      watches and transactions, and fires @releaseDomain.
 *  D3. Introductions, releases, targets and the watches of domain
 *      connections are logged, so a restarted daemon maps the same rings
 *      again and re-creates those watches (firing each once, which the
 *      protocol allows), without the guests doing anything.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "journal.h"
#include "loop.h"
#include "ring.h"
#include "store.h"
#include "tree.h"
#include "watch.h"

struct rwatch {
    struct rwatch *next;
    uint32_t rel_off;
    char *path, *token;
};

static struct domain *domains;

struct domain *domain_find(uint32_t domid)
{
    for (struct domain *d = domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

struct domain *domain_next(struct domain *d)
{
    return d ? d->next : domains;
}

static struct conn *connect_ring(struct domain *d)
{
    struct ring_port *rp;
    struct conn *c;

    if (ring_attach(&rp, d->domid, d->mfn, d->port))
        return NULL;
    c = conn_new(CONN_RING, d->domid, d->domid == 0, false);
    if (!c) {
        ring_detach(rp);
        return NULL;
    }
    c->ring = rp;
    c->dom = d;
    c->who.target = d->target;
    c->pending = true;
    loop_add_conn(c);
    return c;
}

static struct domain *domain_add(uint32_t domid, uint64_t mfn, uint32_t port)
{
    struct domain *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->domid = domid;
    d->mfn = mfn;
    d->port = port;
    d->target = -1;
    d->next = domains;
    domains = d;
    return d;
}

static void domain_unlink(struct domain *d)
{
    struct domain **pp = &domains;

    while (*pp != d)
        pp = &(*pp)->next;
    *pp = d->next;
    while (d->rwatches) {
        struct rwatch *r = d->rwatches;
        d->rwatches = r->next;
        free(r->path);
        free(r->token);
        free(r);
    }
    free(d);
}

static void fire_special(const char *name)
{
    struct node *n = tree_get(name);

    watch_fire(name, false, n ? n->perms : NULL, n ? n->nperms : 0);
}

int domain_introduce(uint32_t domid, uint64_t mfn, uint32_t port)
{
    struct domain *d = domain_find(domid);
    bool fresh = !d;
    struct conn *c;

    if (d && d->conn && d->mfn == mfn && d->port == port)
        return 0; /* D1: nothing changed */
    if (d && d->conn) {
        conn_kill(d->conn);
        d->conn = NULL;
    }
    if (!d && !(d = domain_add(domid, mfn, port)))
        return ENOMEM;
    d->mfn = mfn;
    d->port = port;
    c = connect_ring(d);
    if (!c) {
        if (fresh)
            domain_unlink(d);
        return EINVAL;
    }
    d->conn = c;
    journal_intro(domid, mfn, port);
    if (fresh)
        fire_special("@introduceDomain");
    return 0;
}

void domain_conn_gone(struct conn *c)
{
    if (c->dom && c->dom->conn == c)
        c->dom->conn = NULL;
}

static void remove_owned(uint32_t domid)
{
    struct node *n;

    /* Each removal may take others of this owner along (subtrees). */
    while ((n = tree_owned_first(domid)) != NULL) {
        if (n->path[0] == '@' || !strcmp(n->path, "/")) {
            struct perm p = n->perms[0];
            p.id = 0;
            store_set_perms(n, &p, 1);
            continue;
        }
        store_remove(n, true);
    }
}

int domain_release(uint32_t domid)
{
    struct domain *d = domain_find(domid);

    if (!d)
        return ENOENT;
    if (d->conn)
        conn_kill(d->conn);
    journal_release(domid);
    domain_unlink(d);
    if (domid != 0)
        remove_owned(domid);
    fire_special("@releaseDomain");
    return 0;
}

int domain_set_target(uint32_t domid, uint32_t target)
{
    struct domain *d = domain_find(domid);

    if (!d)
        return ENOENT;
    d->target = (int32_t)target;
    if (d->conn)
        d->conn->who.target = (int32_t)target;
    journal_target(domid, target);
    return 0;
}

void domain_restore_intro(uint32_t domid, uint64_t mfn, uint32_t port)
{
    struct domain *d = domain_find(domid);

    if (!d)
        d = domain_add(domid, mfn, port);
    if (d) {
        d->mfn = mfn;
        d->port = port;
    }
}

void domain_restore_release(uint32_t domid)
{
    struct domain *d = domain_find(domid);

    if (d)
        domain_unlink(d);
}

void domain_restore_target(uint32_t domid, uint32_t target)
{
    struct domain *d = domain_find(domid);

    if (d)
        d->target = (int32_t)target;
}

void domain_restore_watch(uint32_t domid, const char *path,
                          const char *token, uint32_t rel_off, bool add)
{
    struct domain *d = domain_find(domid);
    struct rwatch **pp, *r;

    if (!d)
        return;
    for (pp = &d->rwatches; *pp; pp = &(*pp)->next) {
        r = *pp;
        if (!strcmp(r->path, path) && !strcmp(r->token, token)) {
            if (!add) {
                *pp = r->next;
                free(r->path);
                free(r->token);
                free(r);
            }
            return;
        }
    }
    if (!add || !(r = calloc(1, sizeof(*r))))
        return;
    r->path = strdup(path);
    r->token = strdup(token);
    r->rel_off = rel_off;
    r->next = d->rwatches;
    d->rwatches = r;
}

static void restore_watches(struct domain *d)
{
    struct watch *w;

    while (d->rwatches) {
        struct rwatch *r = d->rwatches;
        d->rwatches = r->next;
        if (d->conn && !watch_add(d->conn, r->path, r->token, r->rel_off,
                                  &w)) {
            w->restored = true;
            /* Events may have been lost in the crash: fire once. */
            watch_fire_one(w);
        }
        free(r->path);
        free(r->token);
        free(r);
    }
}

void domain_restore_all(void)
{
    for (struct domain *d = domains; d; d = d->next) {
        d->conn = connect_ring(d);
        if (!d->conn)
            log_msg("domain %u: cannot map its ring again", d->domid);
        else
            d->conn->restored = true;
        restore_watches(d);
    }
}
