/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One function per request type, behind one dispatch table.
 *
 * Every handler validates first (path, arguments, permissions, quotas)
 * and only then changes anything, so a refused request changes nothing.
 *
 *  O1. Dispatch refuses, in this order: unknown types (ENOSYS), privileged
 *      ops from unprivileged callers (EACCES), changes on the read-only
 *      socket (EROFS), unknown transaction ids (ENOENT; EAGAIN on a ring
 *      re-established after a restart, whose transactions were lost).
 *  O2. Access to a missing node, or a refused one, is reported as the
 *      closest existing ancestor allows: ENOENT (or EACCES from the node)
 *      only if the caller has the access it asked for on that ancestor,
 *      else EACCES, so errors do not leak what a caller may not see.
 *  O3. Creating a node creates its missing ancestors; each new node takes
 *      its parent's permissions, owned by the caller if unprivileged.
 *  O4. Quotas apply to unprivileged callers only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "domain.h"
#include "journal.h"
#include "path.h"
#include "store.h"
#include "watch.h"

#define DOMID_FIRST_RESERVED 0x7ff0u

struct req {
    struct conn *c;
    const struct wire_req *r;
    struct txn *t;
};

typedef int (*op_fn)(struct req *q);

static int reply(struct req *q, const void *p, uint32_t len)
{
    conn_reply(q->c, q->r->type, q->r, p, len);
    return 0;
}

static int reply_ok(struct req *q)
{
    return reply(q, "OK", 3);
}

static bool priv(const struct req *q)
{
    return q->c->who.priv;
}

static int canon(struct req *q, const char *in, bool special, char *out,
                 bool *rel)
{
    return path_canon(in, q->c->who.domid, special,
                      priv(q) ? 0 : quota.path_len, out, rel);
}

static unsigned access_to(const struct req *q, const struct vnode *v)
{
    return perm_for(&q->c->who, v->perms, v->nperms);
}

/* O2: what may the caller learn about a node it cannot use? */
static int from_parents(struct req *q, const char *path, int err,
                        unsigned need)
{
    char p[PATH_BUF];
    struct vnode v;

    if (path[0] != '/')
        return err;
    strcpy(p, path);
    while (strcmp(p, "/")) {
        path_parent(p, p);
        if (!view_get(q->t, p, &v))
            return (access_to(q, &v) & need) ? err : EACCES;
    }
    return EACCES;
}

static int get_checked(struct req *q, const char *path, unsigned need,
                       struct vnode *v)
{
    int err = view_get(q->t, path, v);

    if (!err && (access_to(q, v) & need) == need)
        return 0;
    if (err && err != ENOENT)
        return err;
    return from_parents(q, path, err ? err : EACCES, need);
}

static int parse_domid(const char *s, uint32_t *out)
{
    uint64_t v;

    if (wire_parse_uint(s, PERM_MAX_DOMID, &v))
        return EINVAL;
    *out = (uint32_t)v;
    return 0;
}

/* ---- reads ---- */

static int op_read(struct req *q)
{
    char path[PATH_BUF];
    struct vnode v;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)) ||
        (err = get_checked(q, path, PERM_READ, &v)))
        return err;
    return reply(q, v.value, v.vlen);
}

static int op_directory(struct req *q)
{
    char path[PATH_BUF], buf[XENSTORE_PAYLOAD_MAX];
    struct vnode v;
    size_t len;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)) ||
        (err = get_checked(q, path, PERM_READ, &v)))
        return err;
    len = view_children(&v, NULL, 0);
    if (len > sizeof(buf))
        return E2BIG;
    view_children(&v, buf, sizeof(buf));
    return reply(q, buf, (uint32_t)len);
}

static int part_reply(struct req *q, const struct vnode *v, const char *all,
                      uint32_t total, uint32_t off)
{
    char out[XENSTORE_PAYLOAD_MAX];
    uint32_t glen, len = 0, max;

    glen = (uint32_t)snprintf(out, sizeof(out), "%" PRIu64, v->gen) + 1;
    if (off >= total) {
        out[glen] = '\0';
        return reply(q, out, glen + 1);
    }
    max = XENSTORE_PAYLOAD_MAX - glen - 1;
    while (off + len < total) {
        uint32_t n = (uint32_t)strlen(all + off + len);
        if (len + n >= max)
            break;
        len += n + 1;
    }
    memcpy(out + glen, all + off, len);
    if (off + len == total)
        out[glen + len++] = '\0';
    return reply(q, out, glen + len);
}

static int op_directory_part(struct req *q)
{
    char path[PATH_BUF], *all;
    uint64_t off;
    struct vnode v;
    size_t total;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)) ||
        wire_parse_uint(q->r->argv[1], UINT32_MAX, &off) ||
        (err = get_checked(q, path, PERM_READ, &v)))
        return err ? err : EINVAL;
    total = view_children(&v, NULL, 0);
    all = malloc(total + 1);
    if (!all)
        return ENOMEM;
    view_children(&v, all, total);
    err = part_reply(q, &v, all, (uint32_t)total, (uint32_t)off);
    free(all);
    return err;
}

static int op_get_perms(struct req *q)
{
    char path[PATH_BUF], out[XENSTORE_PAYLOAD_MAX + 16];
    struct vnode v;
    uint32_t len = 0;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], true, path, &rel)) ||
        (err = get_checked(q, path, PERM_READ, &v)))
        return err;
    for (uint32_t i = 0; i < v.nperms && len < XENSTORE_PAYLOAD_MAX; i++)
        len += (uint32_t)perm_format(&v.perms[i], out + len) + 1;
    return reply(q, out, len);
}

/* ---- changes ---- */

static bool node_too_big(const struct req *q, uint32_t vlen, uint32_t cl,
                         uint32_t np)
{
    return !priv(q) && tree_node_size(vlen, cl, np) > quota.node_size;
}

/* The existing ancestor closest to path, and how many nodes are missing. */
static int find_base(struct req *q, const char *path, char *base,
                     struct vnode *v, uint32_t *missing)
{
    int err;

    strcpy(base, path);
    *missing = 1;
    for (;;) {
        path_parent(base, base);
        err = view_get(q->t, base, v);
        if (err != ENOENT)
            return err;
        (*missing)++;
    }
}

/* O3: create path and its missing ancestors, all validated first. */
static int create_path(struct req *q, const char *path, const char *val,
                       uint32_t vlen)
{
    char base[PATH_BUF], pre[PATH_BUF];
    struct perm *p;
    struct vnode v;
    uint32_t missing, np;
    size_t at;
    int err = find_base(q, path, base, &v, &missing);

    if (err)
        return err;
    if (!priv(q) && (int64_t)tree_owned(q->c->who.domid) +
                            (q->t ? txn_own_delta(q->t) : 0) + missing >
                        quota.nodes)
        return ENOSPC;
    if (node_too_big(q, vlen, 0, v.nperms))
        return ENOSPC;
    np = v.nperms;
    p = malloc(np * sizeof(*p));
    if (!p)
        return ENOMEM;
    memcpy(p, v.perms, np * sizeof(*p));
    if (!priv(q))
        p[0].id = q->c->who.domid;
    at = strcmp(base, "/") ? strlen(base) : 0;
    while (!err && path[at]) {
        const char *slash = strchr(path + at + 1, '/');
        at = slash ? (size_t)(slash - path) : strlen(path);
        memcpy(pre, path, at);
        pre[at] = '\0';
        err = path[at] ? view_create(q->t, pre, p, np, NULL, 0)
                       : view_create(q->t, pre, p, np, val, vlen);
    }
    free(p);
    return err;
}

static int op_write(struct req *q)
{
    char path[PATH_BUF];
    struct vnode v;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)))
        return err;
    err = get_checked(q, path, PERM_WRITE, &v);
    if (err == ENOENT)
        err = create_path(q, path, q->r->data, q->r->dlen);
    else if (!err && node_too_big(q, q->r->dlen, v.childlen, v.nperms))
        err = ENOSPC;
    else if (!err)
        err = view_set_value(q->t, path, q->r->data, q->r->dlen);
    if (err)
        return err;
    view_event(q->t, path, false, NULL, 0);
    return reply_ok(q);
}

static int op_mkdir(struct req *q)
{
    char path[PATH_BUF];
    struct vnode v;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)))
        return err;
    err = get_checked(q, path, PERM_WRITE, &v);
    if (err == ENOENT) {
        err = create_path(q, path, NULL, 0);
        if (!err)
            view_event(q->t, path, false, NULL, 0);
    }
    return err ? err : reply_ok(q);
}

static int op_rm(struct req *q)
{
    char path[PATH_BUF], parent[PATH_BUF];
    struct vnode v;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], false, path, &rel)))
        return err;
    err = get_checked(q, path, PERM_WRITE, &v);
    if (err == ENOENT) {
        /* Not there is fine, if its parent is. */
        path_parent(path, parent);
        return view_get(q->t, parent, &v) ? ENOENT : reply_ok(q);
    }
    if (!err && !strcmp(path, "/"))
        err = EINVAL;
    if (!err)
        err = view_remove(q->t, path);
    return err ? err : reply_ok(q);
}

static int parse_perms(struct req *q, struct perm **out, uint32_t *n)
{
    const char *s = q->r->payload + strlen(q->r->payload) + 1;
    const char *end = q->r->payload + q->r->len;
    uint32_t count = 0;

    for (const char *p = s; p < end; p += strlen(p) + 1)
        count++;
    if (!count)
        return EINVAL;
    if (!priv(q) && count > quota.perms)
        return ENOSPC;
    *out = malloc(count * sizeof(**out));
    if (!*out)
        return ENOMEM;
    *n = 0;
    for (const char *p = s; p < end; p += strlen(p) + 1) {
        if (perm_parse(p, &(*out)[(*n)++])) {
            free(*out);
            return EINVAL;
        }
    }
    return 0;
}

static int op_set_perms(struct req *q)
{
    char path[PATH_BUF];
    struct perm *p, *old = NULL;
    struct vnode v;
    uint32_t np, oldn = 0;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], true, path, &rel)) ||
        (err = parse_perms(q, &p, &np)))
        return err;
    err = get_checked(q, path, PERM_WRITE | PERM_OWNER, &v);
    if (!err && !priv(q) && p[0].id != v.perms[0].id)
        err = EPERM; /* only the tools may give a node away */
    if (!err && node_too_big(q, v.vlen, v.childlen, np))
        err = ENOSPC;
    if (!err && (old = malloc(v.nperms * sizeof(*old)))) {
        oldn = v.nperms;
        memcpy(old, v.perms, oldn * sizeof(*old));
        err = view_set_perms(q->t, path, p, np);
    } else if (!err) {
        err = ENOMEM;
    }
    if (!err)
        view_event(q->t, path, false, old, oldn);
    free(old);
    free(p);
    return err ? err : reply_ok(q);
}

/* ---- watches ---- */

static void log_watch(struct req *q, const struct watch *w, bool add)
{
    if (q->c->kind == CONN_RING)
        journal_watch(q->c->who.domid, w->path, w->token,
                      (uint32_t)w->rel_off, add);
}

static int op_watch(struct req *q)
{
    char path[PATH_BUF], home[64];
    struct watch *w;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], true, path, &rel)))
        return err;
    w = watch_find(q->c, path, q->r->argv[1]);
    if (w && w->restored) {
        /* A guest re-sending a request it sent before our restart. */
        w->restored = false;
        return reply_ok(q);
    }
    if (w)
        return EEXIST;
    if (!priv(q) && q->c->nwatches >= quota.watches)
        return E2BIG;
    err = watch_add(q->c, path, q->r->argv[1],
                    rel ? path_home(q->c->who.domid, home, sizeof(home)) : 0,
                    &w);
    if (err)
        return err;
    log_watch(q, w, true);
    reply_ok(q);
    watch_fire_one(w); /* the initial event, after the reply */
    return 0;
}

static int op_unwatch(struct req *q)
{
    char path[PATH_BUF];
    struct watch *w;
    bool rel;
    int err;

    if ((err = canon(q, q->r->argv[0], true, path, &rel)))
        return err;
    w = watch_find(q->c, path, q->r->argv[1]);
    if (!w)
        return ENOENT;
    log_watch(q, w, false);
    watch_del(q->c, path, q->r->argv[1]);
    return reply_ok(q);
}

static int op_reset_watches(struct req *q)
{
    for (struct watch *w = q->c->watches; w; w = w->conn_next)
        log_watch(q, w, false);
    watch_del_all(q->c);
    txn_free_all(q->c);
    return reply_ok(q);
}

/* ---- transactions ---- */

static int op_tx_start(struct req *q)
{
    char id[16];
    struct txn *t;

    if (q->t)
        return EBUSY; /* no nesting */
    if (!priv(q) && q->c->ntxns >= quota.transactions)
        return ENOSPC;
    t = txn_new(q->c);
    if (!t)
        return ENOMEM;
    return reply(q, id, (uint32_t)snprintf(id, sizeof(id), "%u", txn_id(t)) + 1);
}

static int op_tx_end(struct req *q)
{
    const char *a = q->r->argv[0];
    int err = 0;

    if (!q->t)
        return ENOENT;
    if (strcmp(a, "T") && strcmp(a, "F"))
        return EINVAL;
    if (!strcmp(a, "T")) {
        int64_t owned = (int64_t)tree_owned(q->c->who.domid) +
                        txn_own_delta(q->t);
        if (!priv(q) && txn_own_delta(q->t) > 0 && owned > quota.nodes)
            err = ENOSPC;
        else
            err = txn_commit(q->t);
    }
    txn_free(q->t);
    q->t = NULL;
    return err ? err : reply_ok(q);
}

/* ---- domains ---- */

static int op_introduce(struct req *q)
{
    uint64_t mfn, port;
    uint32_t domid;

    if (parse_domid(q->r->argv[0], &domid) || domid >= DOMID_FIRST_RESERVED ||
        wire_parse_uint(q->r->argv[1], UINT64_MAX, &mfn) ||
        wire_parse_uint(q->r->argv[2], UINT32_MAX, &port))
        return EINVAL;
    int err = domain_introduce(domid, mfn, (uint32_t)port);
    return err ? err : reply_ok(q);
}

static int op_release(struct req *q)
{
    uint32_t domid;
    struct conn *c = q->c;
    const struct wire_req *r = q->r;

    if (parse_domid(q->r->argv[0], &domid))
        return EINVAL;
    if (domain_release(domid))
        return ENOENT;
    conn_reply(c, r->type, r, "OK", 3);
    return 0;
}

static int op_is_introduced(struct req *q)
{
    uint32_t domid;

    if (parse_domid(q->r->argv[0], &domid))
        return EINVAL;
    return reply(q, domain_find(domid) ? "T" : "F", 2);
}

static int op_get_domain_path(struct req *q)
{
    char home[64];
    uint32_t domid;

    if (parse_domid(q->r->argv[0], &domid))
        return EINVAL;
    return reply(q, home, (uint32_t)path_home(domid, home, sizeof(home)) + 1);
}

static int op_resume(struct req *q)
{
    uint32_t domid;

    if (parse_domid(q->r->argv[0], &domid))
        return EINVAL;
    return domain_find(domid) ? reply_ok(q) : ENOENT;
}

static int op_set_target(struct req *q)
{
    uint32_t domid, target;

    if (parse_domid(q->r->argv[0], &domid) ||
        parse_domid(q->r->argv[1], &target))
        return EINVAL;
    return domain_set_target(domid, target) ? ENOENT : reply_ok(q);
}

static int op_control(struct req *q)
{
    char out[XENSTORE_PAYLOAD_MAX];
    uint32_t len = 0;
    int err = control_run(q->c, q->r, out, sizeof(out), &len);

    return err ? err : reply(q, out, len);
}

static const op_fn handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = op_control,
    [XS_DIRECTORY] = op_directory,
    [XS_READ] = op_read,
    [XS_GET_PERMS] = op_get_perms,
    [XS_WATCH] = op_watch,
    [XS_UNWATCH] = op_unwatch,
    [XS_TRANSACTION_START] = op_tx_start,
    [XS_TRANSACTION_END] = op_tx_end,
    [XS_INTRODUCE] = op_introduce,
    [XS_RELEASE] = op_release,
    [XS_GET_DOMAIN_PATH] = op_get_domain_path,
    [XS_WRITE] = op_write,
    [XS_MKDIR] = op_mkdir,
    [XS_RM] = op_rm,
    [XS_SET_PERMS] = op_set_perms,
    [XS_IS_DOMAIN_INTRODUCED] = op_is_introduced,
    [XS_RESUME] = op_resume,
    [XS_SET_TARGET] = op_set_target,
    [XS_RESET_WATCHES] = op_reset_watches,
    [XS_DIRECTORY_PART] = op_directory_part,
};

void ops_dispatch(struct conn *c, const struct wire_req *r)
{
    unsigned flags = wire_op_flags(r->type);
    struct req q = { c, r, NULL };
    int err;

    if (r->type >= XS_TYPE_COUNT || !handlers[r->type])
        err = ENOSYS;
    else if ((flags & WIRE_F_PRIV) && !c->who.priv)
        err = EACCES;
    else if ((flags & WIRE_F_WRITE) && c->ro)
        err = EROFS;
    else if (!(flags & WIRE_F_NOTID) && r->tx_id &&
             !(q.t = txn_lookup(c, r->tx_id)))
        err = c->restored ? EAGAIN : ENOENT;
    else
        err = handlers[r->type](&q);
    if (err)
        conn_error(c, r, err);
}
