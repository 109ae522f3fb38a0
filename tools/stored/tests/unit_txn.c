/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of transactions and the view through them (txn.c, X1-X4),
 * and of watch matching (watch.c, V1-V4), on the daemon's own modules.
 */
#include <errno.h>
#include <stdlib.h>

#include "store.h"
#include "tree.h"
#include "unit.h"
#include "watch.h"

static const struct perm p0 = { 0, PERM_NONE };

static void reset(void)
{
    while (conn_list) {
        struct conn *c = conn_list;
        conn_drop_state(c);
        conn_list = c->next;
        free(c);
    }
    tree_destroy();
    tree_init();
    watch_init();
    store_bootstrap();
}

static int events(struct conn *c)
{
    return (int)c->out_events;
}

/* The payload of the n-th queued message, as "path token". */
static const char *event_at(struct conn *c, int n)
{
    static char buf[256];
    struct outmsg *m = c->out_head;

    while (m && n--)
        m = m->next;
    if (!m)
        return "(none)";
    const char *p = m->buf + sizeof(struct xsd_sockmsg);
    snprintf(buf, sizeof(buf), "%s %s", p, p + strlen(p) + 1);
    return buf;
}

static void x1_read_own_writes_invisible_outside(void)
{
    struct conn *c;
    struct txn *t;
    struct vnode v;

    reset();
    c = conn_new(CONN_SOCKET, 0, true, false);
    t = txn_new(c);
    CHECK_EQ_INT(view_create(t, "/a", &p0, 1, "v", 1), 0);
    CHECK_EQ_INT(view_get(t, "/a", &v), 0);
    CHECK_EQ_INT(v.vlen, 1);
    CHECK_EQ_INT(view_get(NULL, "/a", &v), ENOENT);
    CHECK_EQ_INT(txn_commit(t), 0);
    txn_free(t);
    CHECK_EQ_INT(view_get(NULL, "/a", &v), 0);
}

static void x2_x3_conflict_applies_nothing(void)
{
    struct conn *c;
    struct txn *t;
    struct vnode v;

    reset();
    c = conn_new(CONN_SOCKET, 0, true, false);
    store_create("/r", &p0, 1, "0", 1);
    t = txn_new(c);
    CHECK_EQ_INT(view_get(t, "/r", &v), 0);
    CHECK_EQ_INT(view_create(t, "/w", &p0, 1, "1", 1), 0);
    store_set_value(tree_get("/r"), "changed", 7);
    CHECK_EQ_INT(txn_commit(t), EAGAIN);
    txn_free(t);
    CHECK(tree_get("/w") == NULL);
    /* A change the transaction never looked at does not conflict. */
    t = txn_new(c);
    CHECK_EQ_INT(view_get(t, "/r", &v), 0);
    CHECK_EQ_INT(view_create(t, "/w", &p0, 1, "1", 1), 0);
    store_create("/unrelated", &p0, 1, NULL, 0);
    CHECK_EQ_INT(txn_commit(t), EAGAIN); /* "/" changed: /w's parent */
    txn_free(t);
    store_create("/dir", &p0, 1, NULL, 0);
    t = txn_new(c);
    CHECK_EQ_INT(view_create(t, "/dir/w", &p0, 1, "1", 1), 0);
    store_create("/unrelated2", &p0, 1, NULL, 0);
    CHECK_EQ_INT(txn_commit(t), 0);
    txn_free(t);
    CHECK(tree_get("/dir/w") != NULL);
    CHECK_EQ_INT(tree_check(), 0);
}

static void x4_events_on_commit_in_order(void)
{
    struct conn *c, *w;
    struct txn *t;

    reset();
    c = conn_new(CONN_SOCKET, 0, true, false);
    w = conn_new(CONN_SOCKET, 0, true, false);
    store_create("/e", &p0, 1, NULL, 0);
    CHECK_EQ_INT(watch_add(w, "/e", "tok", 0, NULL), 0);
    t = txn_new(c);
    view_create(t, "/e/1", &p0, 1, NULL, 0);
    view_event(t, "/e/1", false, NULL, 0);
    view_create(t, "/e/2", &p0, 1, NULL, 0);
    view_event(t, "/e/2", false, NULL, 0);
    CHECK_EQ_INT(events(w), 0);
    CHECK_EQ_INT(txn_commit(t), 0);
    txn_free(t);
    CHECK_EQ_INT(events(w), 2);
    CHECK_STR(event_at(w, 0), "/e/1 tok");
    CHECK_STR(event_at(w, 1), "/e/2 tok");
}

static void txn_remove_subtree_then_commit(void)
{
    struct conn *c;
    struct txn *t;
    struct vnode v;

    reset();
    c = conn_new(CONN_SOCKET, 0, true, false);
    store_create("/s", &p0, 1, NULL, 0);
    store_create("/s/a", &p0, 1, NULL, 0);
    store_create("/s/a/b", &p0, 1, NULL, 0);
    t = txn_new(c);
    CHECK_EQ_INT(view_remove(t, "/s/a"), 0);
    CHECK_EQ_INT(view_get(t, "/s/a/b", &v), ENOENT);
    CHECK_EQ_INT(view_get(NULL, "/s/a/b", &v), 0);
    CHECK_EQ_INT(txn_commit(t), 0);
    txn_free(t);
    CHECK(tree_get("/s/a") == NULL && tree_get("/s/a/b") == NULL);
    CHECK_EQ_INT(tree_get("/s")->nchildren, 0);
    CHECK_EQ_INT(tree_check(), 0);
}

static void v1_v2_matching_and_order(void)
{
    struct conn *w;

    reset();
    w = conn_new(CONN_SOCKET, 0, true, false);
    watch_add(w, "/v/a", "second", 0, NULL);
    watch_add(w, "/v", "first", 0, NULL);
    watch_add(w, "/", "root", 0, NULL);
    watch_fire("/v/a/b", false, NULL, 0);
    CHECK_EQ_INT(events(w), 3);
    CHECK_STR(event_at(w, 0), "/v/a/b second"); /* registration order */
    CHECK_STR(event_at(w, 1), "/v/a/b first");
    CHECK_STR(event_at(w, 2), "/v/a/b root");
    watch_fire("/va", false, NULL, 0);           /* not below /v */
    CHECK_EQ_INT(events(w), 4);
    CHECK_STR(event_at(w, 3), "/va root");
    watch_fire("/v", true, NULL, 0);             /* exact: /v only */
    CHECK_EQ_INT(events(w), 5);
    CHECK_STR(event_at(w, 4), "/v first");
    CHECK_EQ_INT(watch_add(w, "/v", "first", 0, NULL), EEXIST);
    CHECK_EQ_INT(watch_del(w, "/v", "nope"), ENOENT);
}

static void v3_v4_permissions_and_relative(void)
{
    struct conn *g;
    const struct perm ro5[2] = { { 0, PERM_NONE }, { 5, PERM_READ } };

    reset();
    g = conn_new(CONN_RING, 5, false, false);
    store_create("/hidden", &p0, 1, NULL, 0);
    store_create("/shown", ro5, 2, NULL, 0);
    watch_add(g, "/", "all", 0, NULL);
    watch_fire("/hidden", false, NULL, 0);
    CHECK_EQ_INT(events(g), 0);
    watch_fire("/shown", false, NULL, 0);
    CHECK_EQ_INT(events(g), 1);
    /* A node that was readable before it was removed: old perms count. */
    watch_fire("/gone", false, ro5, 2);
    CHECK_EQ_INT(events(g), 2);
    watch_add(g, "/local/domain/5/dev", "rel", strlen("/local/domain/5"),
              NULL);
    store_create("/local", ro5, 2, NULL, 0);
    watch_fire("/local/domain/5/dev/x", false, ro5, 2);
    CHECK_STR(event_at(g, 3), "dev/x rel");
}

int main(void)
{
    unit_suite = "stored/unit-txn";
    tree_init();
    RUN(x1_read_own_writes_invisible_outside);
    RUN(x2_x3_conflict_applies_nothing);
    RUN(x4_events_on_commit_in_order);
    RUN(txn_remove_subtree_then_commit);
    RUN(v1_v2_matching_and_order);
    RUN(v3_v4_permissions_and_relative);
    reset();
    tree_destroy();
    watch_init();
    return 0;
}
