/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Protocol tests: drive a running satori-stored through libxs-satori over
 * its socket (as dom0) and over simulated rings (as guests), checking the
 * semantics Xen documents and the invariants named in the sources.
 * Usage: proto_test <satori-stored> <work-dir>
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "unit.h"
#include "xsc.h"

static struct xsc *d0; /* the toolstack's connection */

/* ---- helpers ---- */

static char *rd(struct xsc *x, const char *path)
{
    static char buf[4200];
    char *v;
    uint32_t len;
    int r = xsc_read(x, 0, path, &v, &len);

    if (r)
        snprintf(buf, sizeof(buf), "<%s>", xsc_errname(r));
    else {
        snprintf(buf, sizeof(buf), "%s", v);
        free(v);
    }
    return buf;
}

static char *ls(struct xsc *x, const char *path)
{
    static char buf[8192];
    char *v;
    int r = xsc_dir(x, 0, path, &v);

    if (r)
        snprintf(buf, sizeof(buf), "<%s>", xsc_errname(r));
    else {
        snprintf(buf, sizeof(buf), "%s", v);
        free(v);
    }
    return buf;
}

static char *perms(struct xsc *x, const char *path)
{
    static char buf[512];
    char *v;
    int r = xsc_get_perms(x, 0, path, &v);

    if (r)
        snprintf(buf, sizeof(buf), "<%s>", xsc_errname(r));
    else {
        snprintf(buf, sizeof(buf), "%s", v);
        free(v);
    }
    return buf;
}

/* Next event as "path token", or "<timeout>". */
static char *ev(struct xsc *x, int ms)
{
    static char buf[8300];
    char *p, *t;

    if (xsc_event(x, &p, &t, ms))
        return strcpy(buf, "<timeout>");
    snprintf(buf, sizeof(buf), "%s %s", p, t);
    free(p);
    free(t);
    return buf;
}

/* A guest: its home made and given to it as a toolstack would, then its
 * simulated ring introduced. */
static struct xsc *guest(uint32_t domid)
{
    char home[64], p[32];
    struct xsc *g;

    snprintf(home, sizeof(home), "/local/domain/%u", domid);
    snprintf(p, sizeof(p), "n%u", domid);
    if (xsc_mkdir(d0, 0, home) || xsc_set_perms(d0, 0, home, p))
        return NULL;
    g = xsc_open_ring(H.rings, 1000 + domid, domid);
    if (g && xsc_introduce(d0, domid, 1000 + domid, domid)) {
        xsc_close(g);
        return NULL;
    }
    if (g)
        xsc_set_timeout(g, 3000);
    return g;
}

static void quota_set(const char *name, unsigned v)
{
    char cmd[96], *out;

    snprintf(cmd, sizeof(cmd), "quota set %s %u", name, v);
    if (!xsc_control(d0, cmd, &out))
        free(out);
}

/* ---- basic operations ---- */

static void write_read_implicit_parents(void)
{
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t1/a/b/c", "v"), 0);
    CHECK_STR(rd(d0, "/t1/a/b/c"), "v");
    CHECK_STR(rd(d0, "/t1/a/b"), "");
    CHECK_STR(ls(d0, "/t1/a"), "b");
    CHECK_STR(perms(d0, "/t1/a/b"), "n0");
    CHECK_STR(rd(d0, "/t1/nope"), "<ENOENT>");
    CHECK_STR(ls(d0, "/t1/nope"), "<ENOENT>");
}

static void binary_and_empty_values(void)
{
    char *v;
    uint32_t len;

    CHECK_EQ_INT(xsc_write(d0, 0, "/t2/bin", "a\0b\0", 4), 0);
    CHECK_EQ_INT(xsc_read(d0, 0, "/t2/bin", &v, &len), 0);
    CHECK_EQ_INT(len, 4);
    CHECK(!memcmp(v, "a\0b\0", 4));
    free(v);
    CHECK_EQ_INT(xsc_write(d0, 0, "/t2/empty", "", 0), 0);
    CHECK_STR(rd(d0, "/t2/empty"), "");
}

static void mkdir_keeps_value(void)
{
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t3/x", "keep"), 0);
    CHECK_EQ_INT(xsc_mkdir(d0, 0, "/t3/x"), 0);
    CHECK_STR(rd(d0, "/t3/x"), "keep");
    CHECK_EQ_INT(xsc_mkdir(d0, 0, "/t3/y/z"), 0);
    CHECK_STR(ls(d0, "/t3"), "x,y");
}

static void rm_semantics(void)
{
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t4/a/b", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t4/a/c", "2"), 0);
    CHECK_EQ_INT(xsc_rm(d0, 0, "/t4/a"), 0);
    CHECK_STR(rd(d0, "/t4/a/b"), "<ENOENT>");
    CHECK_STR(ls(d0, "/t4"), "");
    CHECK_EQ_INT(xsc_rm(d0, 0, "/t4/gone"), 0);      /* parent exists */
    CHECK_EQ_INT(xsc_rm(d0, 0, "/t4/no/gone"), ENOENT); /* parent does not */
    CHECK_EQ_INT(xsc_rm(d0, 0, "/"), EINVAL);
}

static void directory_order_is_creation_order(void)
{
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t5/zz", ""), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t5/aa", ""), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t5/mm", ""), 0);
    CHECK_STR(ls(d0, "/t5"), "zz,aa,mm");
}

static void directory_part_for_long_lists(void)
{
    char path[128], arg[160], *all = calloc(1, 65536), *r;
    uint32_t len, off = 0, n;
    size_t have = 0;
    char gen[32] = "";
    int i;

    for (i = 0; i < 300; i++) {
        snprintf(path, sizeof(path),
                 "/t6/child-with-a-rather-long-name-%04d", i);
        CHECK_EQ_INT(xsc_writes(d0, 0, path, ""), 0);
    }
    CHECK_STR(ls(d0, "/t6"), "<E2BIG>");
    for (i = 0; i < 20; i++) {
        n = (uint32_t)snprintf(arg, sizeof(arg), "/t6%c%u", 0, off) + 1;
        CHECK_EQ_INT(xsc_req(d0, XS_DIRECTORY_PART, 0, arg, n, &r, &len), 0);
        if (unit_why[0])
            break;
        if (!gen[0])
            snprintf(gen, sizeof(gen), "%s", r);
        CHECK_STR(r, gen); /* generation stable while unchanged */
        uint32_t glen = (uint32_t)strlen(r) + 1;
        memcpy(all + have, r + glen, len - glen);
        have += len - glen;
        off += len - glen;
        bool last = len >= 2 && r[len - 1] == 0 && r[len - 2] == 0;
        free(r);
        if (last) {
            off--; /* the terminating extra NUL */
            break;
        }
    }
    CHECK_EQ_INT(off, 300 * (strlen("child-with-a-rather-long-name-0000") + 1));
    CHECK(!strcmp(all, "child-with-a-rather-long-name-0000"));
    free(all);
    CHECK_EQ_INT(xsc_rm(d0, 0, "/t6"), 0);
}

static void permissions_strings(void)
{
    CHECK_EQ_INT(xsc_writes(d0, 0, "/t7/p", "x"), 0);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/p", "r5,w6,b7,n8"), 0);
    CHECK_STR(perms(d0, "/t7/p"), "r5,w6,b7,n8");
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/p", "x5"), EINVAL);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/p", "r"), EINVAL);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/p", "r5x"), EINVAL);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/p", "b99999"), EINVAL);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/t7/missing", "n0"), ENOENT);
    CHECK_STR(perms(d0, "/t7/p"), "r5,w6,b7,n8");
    CHECK_STR(perms(d0, "@releaseDomain"), "n0");
}

static void bad_paths_are_einval(void)
{
    static char big[3200];

    CHECK_EQ_INT(xsc_writes(d0, 0, "//a", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/a/", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/a//b", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/a b", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/a\xff", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(d0, 0, "@foo", "x"), EINVAL);
    CHECK_STR(rd(d0, "/a/"), "<EINVAL>");
    memset(big, 'a', sizeof(big) - 1);
    big[0] = '/';
    CHECK_EQ_INT(xsc_writes(d0, 0, big, "x"), EINVAL);
}

static void domain_paths_and_introduction(void)
{
    char *p;
    bool yes = true;

    CHECK_EQ_INT(xsc_domain_path(d0, 42, &p), 0);
    CHECK_STR(p, "/local/domain/42");
    free(p);
    CHECK_EQ_INT(xsc_is_introduced(d0, 42, &yes), 0);
    CHECK(!yes);
    CHECK_EQ_INT(xsc_release(d0, 42), ENOENT);
    CHECK_EQ_INT(xsc_resume(d0, 42), ENOENT);
    CHECK_EQ_INT(xsc_set_target(d0, 42, 1), ENOENT);
    /* No such page in the ring directory: as a bad MFN on Xen. */
    CHECK_EQ_INT(xsc_introduce(d0, 42, 999999, 42), EINVAL);
    CHECK_EQ_INT(xsc_introduce(d0, 70000, 1, 1), EINVAL);
}

/* ---- watches ---- */

static void watch_initial_event_and_children(void)
{
    struct xsc *w = xsc_open(H.sock);

    CHECK(w != NULL);
    if (!w)
        return;
    CHECK_EQ_INT(xsc_watch(w, "/w1", "tok1"), 0);
    CHECK_STR(ev(w, 2000), "/w1 tok1"); /* fired once when set */
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w1/a", "1"), 0);
    CHECK_STR(ev(w, 2000), "/w1/a tok1");
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w1x", "1"), 0); /* not a child */
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w1/a/b", "2"), 0);
    CHECK_STR(ev(w, 2000), "/w1/a/b tok1");
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/w1/a", "n0,r3"), 0);
    CHECK_STR(ev(w, 2000), "/w1/a tok1");
    CHECK_STR(ev(w, 200), "<timeout>");
    xsc_close(w);
}

static void watch_order_and_tokens(void)
{
    struct xsc *w = xsc_open(H.sock);
    char path[64], want[80];

    if (!w)
        return;
    CHECK_EQ_INT(xsc_watch(w, "/w2", "outer"), 0);
    CHECK_EQ_INT(xsc_watch(w, "/w2/in", "inner"), 0);
    CHECK_STR(ev(w, 2000), "/w2 outer");
    CHECK_STR(ev(w, 2000), "/w2/in inner");
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "/w2/k%d", i);
        CHECK_EQ_INT(xsc_writes(d0, 0, path, "v"), 0);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(want, sizeof(want), "/w2/k%d outer", i);
        CHECK_STR(ev(w, 2000), want);
    }
    /* One change, two watches: registration order. */
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w2/in/x", "v"), 0);
    CHECK_STR(ev(w, 2000), "/w2/in/x outer");
    CHECK_STR(ev(w, 2000), "/w2/in/x inner");
    CHECK_EQ_INT(xsc_watch(w, "/w2", "outer"), EEXIST);
    CHECK_EQ_INT(xsc_watch(w, "/w2", "other"), 0);
    CHECK_STR(ev(w, 2000), "/w2 other");
    CHECK_EQ_INT(xsc_unwatch(w, "/w2", "nope"), ENOENT);
    CHECK_EQ_INT(xsc_unwatch(w, "/w2", "outer"), 0);
    CHECK_EQ_INT(xsc_unwatch(w, "/w2", "other"), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w2/after", "v"), 0);
    CHECK_STR(ev(w, 300), "<timeout>");
    xsc_close(w);
}

static void watch_fires_on_removal(void)
{
    struct xsc *w = xsc_open(H.sock);

    if (!w)
        return;
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w3/a/b/c", "v"), 0);
    CHECK_EQ_INT(xsc_watch(w, "/w3/a/b/c", "deep"), 0);
    CHECK_EQ_INT(xsc_watch(w, "/w3", "top"), 0);
    CHECK_STR(ev(w, 2000), "/w3/a/b/c deep");
    CHECK_STR(ev(w, 2000), "/w3 top");
    CHECK_EQ_INT(xsc_rm(d0, 0, "/w3/a"), 0);
    /* Children first; a removed ancestor reports the watch's own path. */
    CHECK_STR(ev(w, 2000), "/w3/a/b/c deep");
    CHECK_STR(ev(w, 2000), "/w3/a top");
    CHECK_STR(ev(w, 300), "<timeout>");
    xsc_close(w);
}

static void reset_watches(void)
{
    struct xsc *w = xsc_open(H.sock);

    if (!w)
        return;
    CHECK_EQ_INT(xsc_watch(w, "/w4", "a"), 0);
    CHECK_STR(ev(w, 2000), "/w4 a");
    CHECK_EQ_INT(xsc_reset_watches(w), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/w4/x", "v"), 0);
    CHECK_STR(ev(w, 300), "<timeout>");
    CHECK_EQ_INT(xsc_unwatch(w, "/w4", "a"), ENOENT);
    xsc_close(w);
}

/* ---- transactions ---- */

static void transaction_isolation_and_commit(void)
{
    uint32_t tx;
    char *v;
    uint32_t len;

    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK(tx != 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x1/a", "in-tx"), 0);
    CHECK_EQ_INT(xsc_read(d0, tx, "/x1/a", &v, &len), 0); /* X1 */
    if (!unit_why[0]) {
        CHECK_EQ_INT(len, 5);
        free(v);
    }
    CHECK_STR(rd(d0, "/x1/a"), "<ENOENT>");
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), 0);
    CHECK_STR(rd(d0, "/x1/a"), "in-tx");
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), ENOENT); /* gone */
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x1/b", "dropped"), 0);
    CHECK_EQ_INT(xsc_rm(d0, tx, "/x1/a"), 0);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, false), 0);
    CHECK_STR(rd(d0, "/x1/b"), "<ENOENT>");
    CHECK_STR(rd(d0, "/x1/a"), "in-tx");
}

static void transaction_conflict_eagain(void)
{
    struct xsc *other = xsc_open(H.sock);
    uint32_t tx;
    char *v;

    if (!other)
        return;
    CHECK_EQ_INT(xsc_writes(d0, 0, "/x2/read", "0"), 0);
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_read(d0, tx, "/x2/read", &v, NULL), 0);
    free(v);
    CHECK_EQ_INT(xsc_writes(other, 0, "/x2/read", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x2/written", "x"), 0);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), EAGAIN);
    CHECK_STR(rd(d0, "/x2/written"), "<ENOENT>"); /* X3 */
    /* Unrelated concurrent change: no conflict. */
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_read(d0, tx, "/x2/read", &v, NULL), 0);
    free(v);
    CHECK_EQ_INT(xsc_writes(other, 0, "/x2-elsewhere", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x2/written", "y"), 0);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), 0);
    CHECK_STR(rd(d0, "/x2/written"), "y");
    /* A node that appears after we saw it missing conflicts too. */
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_read(d0, tx, "/x2/later", &v, NULL), ENOENT);
    CHECK_EQ_INT(xsc_writes(other, 0, "/x2/later", "1"), 0);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), EAGAIN);
    xsc_close(other);
}

static void transaction_events_on_commit_only(void)
{
    struct xsc *w = xsc_open(H.sock);
    uint32_t tx;

    if (!w)
        return;
    CHECK_EQ_INT(xsc_watch(w, "/x3", "t"), 0);
    CHECK_STR(ev(w, 2000), "/x3 t");
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x3/a", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x3/b", "2"), 0);
    CHECK_STR(ev(w, 300), "<timeout>"); /* X4 */
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), 0);
    CHECK_STR(ev(w, 2000), "/x3/a t");
    CHECK_STR(ev(w, 2000), "/x3/b t");
    xsc_close(w);
}

static void transaction_bad_ids(void)
{
    uint32_t tx;

    CHECK_EQ_INT(xsc_writes(d0, 12345, "/x4", "v"), ENOENT);
    CHECK_EQ_INT(xsc_tx_end(d0, 0, true), ENOENT);
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_req(d0, XS_TRANSACTION_START, tx, "", 1, NULL, NULL),
                 EBUSY);
    CHECK_EQ_INT(xsc_req(d0, XS_TRANSACTION_END, tx, "X", 2, NULL, NULL),
                 EINVAL);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, false), 0);
}

static void transaction_remove_and_recreate(void)
{
    uint32_t tx;

    CHECK_EQ_INT(xsc_writes(d0, 0, "/x5/a/old", "1"), 0);
    CHECK_EQ_INT(xsc_tx_start(d0, &tx), 0);
    CHECK_EQ_INT(xsc_rm(d0, tx, "/x5/a"), 0);
    CHECK_EQ_INT(xsc_writes(d0, tx, "/x5/a/new", "2"), 0);
    CHECK_EQ_INT(xsc_tx_end(d0, tx, true), 0);
    CHECK_STR(ls(d0, "/x5/a"), "new");
    CHECK_STR(rd(d0, "/x5/a/old"), "<ENOENT>");
    CHECK_STR(rd(d0, "/x5/a/new"), "2");
    char *out;
    CHECK_EQ_INT(xsc_control(d0, "check", &out), 0);
    if (!unit_why[0]) {
        CHECK_STR(out, "OK");
        free(out);
    }
}

/* ---- guests over simulated rings ---- */

static void guest_relative_paths_and_home(void)
{
    struct xsc *g = guest(5);
    char *p;

    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_EQ_INT(xsc_writes(g, 0, "device/vbd/768/state", "1"), 0);
    CHECK_STR(rd(d0, "/local/domain/5/device/vbd/768/state"), "1");
    CHECK_STR(rd(g, "device/vbd/768/state"), "1");
    CHECK_STR(perms(d0, "/local/domain/5/device/vbd"), "n5"); /* O3 */
    CHECK_EQ_INT(xsc_domain_path(g, 5, &p), 0);
    if (!unit_why[0]) {
        CHECK_STR(p, "/local/domain/5");
        free(p);
    }
    xsc_close(g);
}

static void guest_permission_denials(void)
{
    struct xsc *g = xsc_open_ring(H.rings, 1005, 5);

    if (!g)
        return;
    xsc_set_timeout(g, 3000);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/secret/x", "s"), 0);
    CHECK_STR(rd(g, "/secret/x"), "<EACCES>");
    CHECK_STR(rd(g, "/secret/none"), "<EACCES>"); /* O2: no leak */
    CHECK_STR(rd(g, "/local/domain/5/none"), "<ENOENT>");
    CHECK_EQ_INT(xsc_writes(g, 0, "/secret/y", "x"), EACCES);
    CHECK_EQ_INT(xsc_rm(g, 0, "/secret/x"), EACCES);
    CHECK_EQ_INT(xsc_set_perms(g, 0, "/secret/x", "b5"), EACCES);
    CHECK_STR(ls(g, "/secret"), "<EACCES>");
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/secret/x", "n0,r5"), 0);
    CHECK_STR(rd(g, "/secret/x"), "s");
    CHECK_EQ_INT(xsc_writes(g, 0, "/secret/x", "no"), EACCES);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/secret/x", "n0,w5"), 0);
    CHECK_EQ_INT(xsc_writes(g, 0, "/secret/x", "yes"), 0);
    CHECK_STR(rd(g, "/secret/x"), "<EACCES>"); /* write-only */
    /* Owners may change the ACL but not give the node away. */
    CHECK_EQ_INT(xsc_writes(g, 0, "mine", "m"), 0);
    CHECK_EQ_INT(xsc_set_perms(g, 0, "mine", "n5,r7"), 0);
    CHECK_EQ_INT(xsc_set_perms(g, 0, "mine", "n7"), EPERM);
    /* Privileged operations. */
    CHECK_EQ_INT(xsc_introduce(g, 9, 1, 1), EACCES);
    CHECK_EQ_INT(xsc_release(g, 5), EACCES);
    char *out;
    CHECK_EQ_INT(xsc_control(g, "quota", &out), EACCES);
    bool yes;
    CHECK_EQ_INT(xsc_is_introduced(g, 5, &yes), EACCES);
    xsc_close(g);
}

static void guest_relative_watch_and_special_watches(void)
{
    struct xsc *g = xsc_open_ring(H.rings, 1005, 5);
    struct xsc *w = xsc_open(H.sock);

    if (!g || !w)
        goto out;
    xsc_set_timeout(g, 3000);
    CHECK_EQ_INT(xsc_watch(g, "device", "rel"), 0);
    CHECK_STR(ev(g, 2000), "device rel"); /* V4 */
    CHECK_EQ_INT(xsc_writes(d0, 0, "/local/domain/5/device/vif/0", "x"), 0);
    CHECK_STR(ev(g, 2000), "device/vif/0 rel");
    /* V3: the guest does not see changes it may not read. */
    CHECK_EQ_INT(xsc_watch(g, "/secret", "s"), 0);
    CHECK_STR(ev(g, 2000), "/secret s");
    CHECK_EQ_INT(xsc_writes(d0, 0, "/secret/hidden/deep", "x"), 0);
    CHECK_STR(ev(g, 300), "<timeout>");
    CHECK_EQ_INT(xsc_unwatch(g, "/secret", "s"), 0);
    CHECK_EQ_INT(xsc_unwatch(g, "device", "rel"), 0);
    CHECK_EQ_INT(xsc_watch(w, "@introduceDomain", "intro"), 0);
    CHECK_STR(ev(w, 2000), "@introduceDomain intro");
    CHECK_EQ_INT(xsc_watch(w, "@releaseDomain", "rel"), 0);
    CHECK_STR(ev(w, 2000), "@releaseDomain rel");
    struct xsc *g6 = guest(6);
    CHECK(g6 != NULL);
    CHECK_STR(ev(w, 2000), "@introduceDomain intro");
    CHECK_EQ_INT(xsc_release(d0, 6), 0);
    CHECK_STR(ev(w, 2000), "@releaseDomain rel");
    xsc_close(g6);
out:
    xsc_close(g);
    xsc_close(w);
}

static void set_target_grants_access(void)
{
    struct xsc *g7 = guest(7);
    bool yes = false;

    CHECK(g7 != NULL);
    if (!g7)
        return;
    CHECK_EQ_INT(xsc_writes(d0, 0, "/local/domain/5/tgt", "t"), 0);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/local/domain/5/tgt", "n5"), 0);
    CHECK_STR(rd(g7, "/local/domain/5/tgt"), "<EACCES>");
    CHECK_EQ_INT(xsc_set_target(d0, 7, 5), 0);
    CHECK_STR(rd(g7, "/local/domain/5/tgt"), "t");
    CHECK_EQ_INT(xsc_writes(g7, 0, "/local/domain/5/tgt", "t2"), 0);
    CHECK_EQ_INT(xsc_is_introduced(d0, 7, &yes), 0);
    CHECK(yes);
    CHECK_EQ_INT(xsc_resume(d0, 7), 0);
    xsc_close(g7);
}

static void quotas_hit_with_xen_errnos(void)
{
    struct xsc *g = guest(8);
    char path[64], big[3000];
    uint32_t tx[4];
    int i, r = 0;

    CHECK(g != NULL);
    if (!g)
        return;
    quota_set("nodes", 20);
    for (i = 0; i < 40 && !r; i++) {
        snprintf(path, sizeof(path), "n%d", i);
        r = xsc_writes(g, 0, path, "x");
    }
    CHECK_EQ_INT(r, ENOSPC);
    CHECK(i > 10 && i <= 21);
    quota_set("nodes", 1000);
    quota_set("node-size", 100);
    memset(big, 'v', sizeof(big));
    CHECK_EQ_INT(xsc_write(g, 0, "big", big, 200), ENOSPC);
    CHECK_EQ_INT(xsc_write(g, 0, "big", big, 50), 0);
    CHECK_EQ_INT(xsc_write(d0, 0, "/local/domain/8/big", big, 2000), 0);
    quota_set("node-size", 2048);
    quota_set("watches", 2);
    CHECK_EQ_INT(xsc_watch(g, "w1", "a"), 0);
    CHECK_EQ_INT(xsc_watch(g, "w2", "a"), 0);
    CHECK_EQ_INT(xsc_watch(g, "w3", "a"), E2BIG);
    quota_set("watches", 128);
    quota_set("transactions", 2);
    CHECK_EQ_INT(xsc_tx_start(g, &tx[0]), 0);
    CHECK_EQ_INT(xsc_tx_start(g, &tx[1]), 0);
    CHECK_EQ_INT(xsc_tx_start(g, &tx[2]), ENOSPC);
    xsc_tx_end(g, tx[0], false);
    xsc_tx_end(g, tx[1], false);
    quota_set("transactions", 10);
    quota_set("perms", 2);
    CHECK_EQ_INT(xsc_set_perms(g, 0, "big", "n8,r1,r2"), ENOSPC);
    CHECK_EQ_INT(xsc_set_perms(g, 0, "big", "n8,r1"), 0);
    quota_set("perms", 5);
    quota_set("path-len", 10);
    CHECK_EQ_INT(xsc_writes(g, 0, "abcdefghijk", "x"), EINVAL);
    CHECK_EQ_INT(xsc_writes(g, 0, "abcdefghij", "x"), 0);
    quota_set("path-len", 2048);
    char *out;
    CHECK_EQ_INT(xsc_control(d0, "quota 8", &out), 0);
    if (!unit_why[0]) {
        CHECK(strstr(out, "watches 2") != NULL);
        free(out);
    }
    xsc_close(g);
}

static void release_removes_domain_nodes(void)
{
    struct xsc *g = guest(9);
    bool yes = true;

    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_EQ_INT(xsc_writes(g, 0, "data/x", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/local/domain/9/tools-owned", "1"), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/elsewhere/n", "1"), 0);
    CHECK_EQ_INT(xsc_set_perms(d0, 0, "/elsewhere/n", "n9"), 0);
    CHECK_EQ_INT(xsc_release(d0, 9), 0);
    CHECK_STR(rd(d0, "/local/domain/9"), "<ENOENT>");
    CHECK_STR(rd(d0, "/elsewhere/n"), "<ENOENT>");
    CHECK_EQ_INT(xsc_is_introduced(d0, 9, &yes), 0);
    CHECK(!yes);
    xsc_set_timeout(g, 300);
    CHECK(xsc_writes(g, 0, "data/y", "1") < 0); /* nobody answers */
    xsc_close(g);
}

static void read_only_socket(void)
{
    struct xsc *r = xsc_open(H.ro);

    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_STR(rd(r, "/t1/a/b/c"), "v");
    CHECK_EQ_INT(xsc_writes(r, 0, "/ro", "x"), EROFS);
    CHECK_EQ_INT(xsc_rm(r, 0, "/t1"), EROFS);
    CHECK_EQ_INT(xsc_set_perms(r, 0, "/t1", "n0"), EROFS);
    xsc_close(r);
}

static void control_commands(void)
{
    char *out;

    CHECK_EQ_INT(xsc_control(d0, "help", &out), 0);
    if (!unit_why[0]) {
        CHECK(strstr(out, "quota") != NULL);
        free(out);
    }
    CHECK_EQ_INT(xsc_control(d0, "quota", &out), 0);
    if (!unit_why[0]) {
        CHECK(strstr(out, "nodes 1000") != NULL);
        free(out);
    }
    CHECK_EQ_INT(xsc_control(d0, "log on", &out), 0);
    free(out);
    CHECK_EQ_INT(xsc_control(d0, "log off", &out), 0);
    free(out);
    CHECK_EQ_INT(xsc_control(d0, "quota set bogus 1", &out), EINVAL);
    CHECK_EQ_INT(xsc_control(d0, "frobnicate", &out), EINVAL);
}

/* ---- bad input ---- */

/* Does the daemon still serve others? */
static bool serving(void)
{
    struct xsc *x = xsc_open(H.sock);
    char *v;
    int r = x ? xsc_read(x, 0, "/tool/xenstored", &v, NULL) : -1;

    if (!r)
        free(v);
    xsc_close(x);
    return r == 0 && h_alive();
}

static int raw_reply(struct xsc *x, uint32_t type, const void *p,
                     uint32_t len, char *err, size_t cap)
{
    struct xsc_msg m;
    int r = xsc_send(x, type, 0, p, len, NULL);

    if (!r)
        r = xsc_recv(x, &m, 3000);
    if (r)
        return r;
    snprintf(err, cap, "%s", m.hdr.type == XS_ERROR ? m.data : "OK");
    xsc_msg_free(&m);
    return 0;
}

static void malformed_requests_get_errors(void)
{
    struct xsc *x = xsc_open(H.sock);
    char e[64];

    if (!x)
        return;
    CHECK_EQ_INT(raw_reply(x, 99, "", 0, e, sizeof(e)), 0);
    CHECK_STR(e, "ENOSYS");
    CHECK_EQ_INT(raw_reply(x, 20, "", 0, e, sizeof(e)), 0);
    CHECK_STR(e, "ENOSYS");
    CHECK_EQ_INT(raw_reply(x, XS_WATCH_EVENT, "a\0b", 4, e, sizeof(e)), 0);
    CHECK_STR(e, "ENOSYS");
    CHECK_EQ_INT(raw_reply(x, XS_READ, "/tool", 5, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL"); /* not NUL-terminated */
    CHECK_EQ_INT(raw_reply(x, XS_READ, "/tool\0/x", 9, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL");
    CHECK_EQ_INT(raw_reply(x, XS_WATCH, "/a", 3, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL");
    CHECK_EQ_INT(raw_reply(x, XS_INTRODUCE, "1\0x\0", 4, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL");
    CHECK_EQ_INT(raw_reply(x, XS_DIRECTORY_PART, "/\0zz", 5, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL");
    CHECK_EQ_INT(raw_reply(x, XS_GET_DOMAIN_PATH, "5x", 3, e, sizeof(e)), 0);
    CHECK_STR(e, "EINVAL");
    CHECK_EQ_INT(raw_reply(x, XS_READ, "/tool", 6, e, sizeof(e)), 0);
    CHECK_STR(e, "OK"); /* the connection is still in step */
    xsc_close(x);
    CHECK(serving());
}

static void oversized_length_closes_connection(void)
{
    struct xsc *x = xsc_open(H.sock);
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    struct xsc_msg m;

    if (!x)
        return;
    CHECK_EQ_INT(xsc_send_bytes(x, &h, sizeof(h)), 0);
    CHECK_EQ_INT(xsc_recv(x, &m, 3000), -EPIPE);
    xsc_close(x);
    CHECK(serving());
}

static void disconnect_mid_message(void)
{
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, 100 };
    struct xsc *x = xsc_open(H.sock);

    if (!x)
        return;
    CHECK_EQ_INT(xsc_send_bytes(x, &h, 7), 0); /* half a header */
    xsc_close(x);
    x = xsc_open(H.sock);
    if (!x)
        return;
    CHECK_EQ_INT(xsc_send_bytes(x, &h, sizeof(h)), 0);
    CHECK_EQ_INT(xsc_send_bytes(x, "/half", 5), 0); /* half a payload */
    xsc_close(x);
    CHECK(serving());
    CHECK_STR(rd(d0, "/half"), "<ENOENT>");
}

static void garbage_stream(void)
{
    unsigned seed = 12345;
    char buf[4096];

    for (int c = 0; c < 20; c++) {
        struct xsc *x = xsc_open(H.sock);
        if (!x)
            break;
        for (int i = 0; i < 8; i++) {
            for (size_t j = 0; j < sizeof(buf); j++)
                buf[j] = (char)(rand_r(&seed) & 0xff);
            /* Keep lengths plausible half of the time, to reach decoding. */
            if (i & 1) {
                struct xsd_sockmsg h = { (uint32_t)rand_r(&seed) % 24, 1, 0,
                                         (uint32_t)rand_r(&seed) % 200 };
                memcpy(buf, &h, sizeof(h));
            }
            if (xsc_send_bytes(x, buf, 256 + (size_t)(rand_r(&seed) % 2048)))
                break;
        }
        xsc_close(x);
    }
    CHECK(serving());
}

static void flooding_client_does_not_starve_others(void)
{
    char req[64];
    struct xsd_sockmsg h = { XS_READ, 1, 0, 16 };
    long t0;
    pid_t pid;
    int st;

    memcpy(req, &h, sizeof(h));
    memcpy(req + sizeof(h), "/tool/xenstored", 16);
    pid = fork();
    if (pid == 0) {
        /* Never read the replies: the daemon must stop reading (C2), so
         * this blocks in send() once the socket buffers fill. */
        struct xsc *flood = xsc_open(H.sock);
        for (int i = 0; flood && i < 200000; i++)
            if (xsc_send_bytes(flood, req, sizeof(h) + 16))
                break;
        _exit(0);
    }
    h_sleep_ms(700);
    t0 = time(NULL);
    CHECK(serving());
    CHECK(time(NULL) - t0 < 3);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    CHECK(serving());
}

/* ---- rings: protocol errors, reconnection, restart ---- */

static void ring_oversized_length_sets_error(void)
{
    struct xsc *g = guest(11);
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };

    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_EQ_INT(xsc_send_bytes(g, &h, sizeof(h)), 0);
    for (int i = 0; i < 100 && !xsc_ring_error(g); i++)
        h_sleep_ms(10);
    CHECK_EQ_INT(xsc_ring_error(g), XENSTORE_ERROR_PROTO);
    CHECK(serving());
    /* The reconnection feature recovers the ring. */
    CHECK_EQ_INT(xsc_ring_reconnect(g), 0);
    CHECK_EQ_INT(xsc_ring_error(g), XENSTORE_ERROR_NONE);
    CHECK_EQ_INT(xsc_writes(g, 0, "after", "ok"), 0);
    CHECK_STR(rd(d0, "/local/domain/11/after"), "ok");
    xsc_close(g);
}

static void ring_bad_index_sets_error(void)
{
    struct xsc *g = guest(12);
    struct xenstore_domain_interface *in;

    CHECK(g != NULL);
    if (!g)
        return;
    in = xsc_ring_intf(g);
    __atomic_store_n(&in->req_prod, in->req_cons + 5000, __ATOMIC_RELEASE);
    xsc_ring_kick(g);
    for (int i = 0; i < 100 && !xsc_ring_error(g); i++)
        h_sleep_ms(10);
    CHECK_EQ_INT(xsc_ring_error(g), XENSTORE_ERROR_RINGIDX);
    CHECK(serving());
    xsc_close(g);
}

static void ring_reconnect_drops_watches(void)
{
    struct xsc *g = guest(13);

    CHECK(g != NULL);
    if (!g)
        return;
    CHECK_EQ_INT(xsc_watch(g, "w", "t"), 0);
    CHECK_STR(ev(g, 2000), "w t");
    CHECK_EQ_INT(xsc_ring_reconnect(g), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/local/domain/13/w/x", "1"), 0);
    CHECK_STR(ev(g, 300), "<timeout>");
    CHECK_EQ_INT(xsc_unwatch(g, "w", "t"), ENOENT);
    xsc_close(g);
}

static void restart_keeps_state_and_rings(void)
{
    struct xsc *g = xsc_open_ring(H.rings, 1005, 5);
    uint32_t tx;

    if (!g)
        return;
    xsc_set_timeout(g, 5000);
    CHECK_EQ_INT(xsc_watch(g, "restart", "r"), 0);
    CHECK_STR(ev(g, 2000), "restart r");
    CHECK_EQ_INT(xsc_tx_start(g, &tx), 0);
    CHECK_EQ_INT(xsc_writes(d0, 0, "/persist/a", "before"), 0);
    xsc_close(d0);
    h_kill(SIGKILL);
    CHECK_EQ_INT(h_start(NULL), 0);
    d0 = xsc_open(H.sock);
    CHECK(d0 != NULL);
    if (!d0)
        return;
    CHECK_STR(rd(d0, "/persist/a"), "before");
    bool yes = false;
    CHECK_EQ_INT(xsc_is_introduced(d0, 5, &yes), 0);
    CHECK(yes);
    /* D3: the guest's ring works without a new INTRODUCE ... */
    CHECK_STR(rd(g, "device/vbd/768/state"), "1");
    /* ... its watch was re-created and fired once ... */
    CHECK_STR(ev(g, 2000), "restart r");
    CHECK_EQ_INT(xsc_writes(d0, 0, "/local/domain/5/restart/x", "1"), 0);
    CHECK_STR(ev(g, 2000), "restart/x r");
    /* ... and its lost transaction asks for a retry. */
    CHECK_EQ_INT(xsc_tx_end(g, tx, true), EAGAIN);
    CHECK_EQ_INT(xsc_watch(g, "restart", "r"), 0); /* a re-sent request */
    xsc_close(g);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: proto_test <satori-stored> <work-dir>\n");
        return 2;
    }
    unit_suite = "stored/proto";
    h_setup(argv[1], argv[2]);
    if (h_start(NULL) || !(d0 = xsc_open(H.sock))) {
        printf("FAIL: stored/proto/start the daemon did not come up\n");
        return 1;
    }
    RUN(write_read_implicit_parents);
    RUN(binary_and_empty_values);
    RUN(mkdir_keeps_value);
    RUN(rm_semantics);
    RUN(directory_order_is_creation_order);
    RUN(directory_part_for_long_lists);
    RUN(permissions_strings);
    RUN(bad_paths_are_einval);
    RUN(domain_paths_and_introduction);
    RUN(watch_initial_event_and_children);
    RUN(watch_order_and_tokens);
    RUN(watch_fires_on_removal);
    RUN(reset_watches);
    RUN(transaction_isolation_and_commit);
    RUN(transaction_conflict_eagain);
    RUN(transaction_events_on_commit_only);
    RUN(transaction_bad_ids);
    RUN(transaction_remove_and_recreate);
    RUN(guest_relative_paths_and_home);
    RUN(guest_permission_denials);
    RUN(guest_relative_watch_and_special_watches);
    RUN(set_target_grants_access);
    RUN(quotas_hit_with_xen_errnos);
    RUN(release_removes_domain_nodes);
    RUN(read_only_socket);
    RUN(control_commands);
    RUN(malformed_requests_get_errors);
    RUN(oversized_length_closes_connection);
    RUN(disconnect_mid_message);
    RUN(garbage_stream);
    RUN(flooding_client_does_not_starve_others);
    RUN(ring_oversized_length_sets_error);
    RUN(ring_bad_index_sets_error);
    RUN(ring_reconnect_drops_watches);
    RUN(restart_keeps_state_and_rings);
    xsc_close(d0);
    h_kill(SIGTERM);
    return 0;
}
