/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the node tree (tree.c, T1-T4) and the string map under it
 * (strmap.c, M1-M2).
 */
#include <stdlib.h>

#include "strmap.h"
#include "tree.h"
#include "unit.h"

static const struct perm p0 = { 0, PERM_NONE }, p7 = { 7, PERM_READ };

static void count_cb(struct node *n, void *ctx)
{
    (void)n;
    (*(int *)ctx)++;
}

static void t1_t2_add_lookup_children(void)
{
    char buf[64];
    struct node *a, *b;

    tree_init();
    CHECK((a = tree_add("/a", &p0, 1, "x", 1)) != NULL);
    CHECK(tree_add("/a/b", &p0, 1, NULL, 0) != NULL);
    CHECK(tree_add("/a/c", &p7, 1, NULL, 0) != NULL);
    CHECK(tree_add("/missing/x", &p0, 1, NULL, 0) == NULL); /* no parent */
    CHECK(tree_add("/a/b", &p0, 1, NULL, 0) == NULL);       /* exists */
    b = tree_get("/a/b");
    CHECK(b && b->parent == a);
    CHECK_EQ_INT(tree_children(a, buf, sizeof(buf)), 4);
    CHECK(!memcmp(buf, "b\0c\0", 4));
    CHECK_EQ_INT(a->childlen, 4);
    CHECK_EQ_INT(tree_owned(7), 1);
    CHECK_EQ_INT(tree_check(), 0);
    tree_destroy();
}

static void t3_owner_lists_follow_perms(void)
{
    struct node *n;
    int gone = 0;

    tree_init();
    n = tree_add("/o", &p7, 1, NULL, 0);
    tree_add("/o/1", &p7, 1, NULL, 0);
    tree_add("/o/2", &p0, 1, NULL, 0);
    CHECK_EQ_INT(tree_owned(7), 2);
    tree_set_perms(tree_get("/o/2"), &p7, 1);
    CHECK_EQ_INT(tree_owned(7), 3);
    tree_remove(n, count_cb, &gone);
    CHECK_EQ_INT(gone, 3);
    CHECK_EQ_INT(tree_owned(7), 0);
    CHECK(tree_owned_first(7) == NULL);
    CHECK_EQ_INT(tree_check(), 0);
    tree_destroy();
}

static void t4_generations_grow(void)
{
    struct node *a;
    uint64_t g;

    tree_init();
    a = tree_add("/g", &p0, 1, NULL, 0);
    g = a->gen;
    tree_add("/g/c", &p0, 1, NULL, 0);
    CHECK(a->gen > g);
    g = a->gen;
    tree_set_value(tree_get("/g/c"), "v", 1);
    CHECK_EQ_INT(a->gen, g); /* a child's value is not the parent's */
    tree_remove(tree_get("/g/c"), count_cb, &(int){ 0 });
    CHECK(a->gen > g);
    tree_remove(tree_get("/"), count_cb, &(int){ 0 }); /* refused */
    CHECK(tree_get("/") != NULL);
    tree_destroy();
}

static void many_nodes_stay_consistent(void)
{
    char path[64];
    int i;

    tree_init();
    tree_add("/m", &p0, 1, NULL, 0);
    for (i = 0; i < 20000; i++) {
        snprintf(path, sizeof(path), "/m/%d", i);
        CHECK(tree_add(path, &p0, 1, "v", 1) != NULL);
    }
    for (i = 0; i < 20000; i += 2) {
        snprintf(path, sizeof(path), "/m/%d", i);
        tree_remove(tree_get(path), count_cb, &(int){ 0 });
    }
    CHECK_EQ_INT(tree_get("/m")->nchildren, 10000);
    CHECK(tree_get("/m/1") && !tree_get("/m/2"));
    CHECK_EQ_INT(tree_check(), 0);
    tree_destroy();
}

static void m2_strmap_delete_keeps_probe_runs(void)
{
    struct strmap m;
    static char keys[5000][16];
    int i, ok = 1;

    strmap_init(&m);
    for (i = 0; i < 5000; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        strmap_put(&m, keys[i], keys[i]);
    }
    for (i = 0; i < 5000; i += 3)
        ok &= strmap_del(&m, keys[i]) == keys[i];
    for (i = 0; i < 5000; i++)
        ok &= (strmap_get(&m, keys[i]) != NULL) == (i % 3 != 0);
    CHECK(ok);
    CHECK(m.used * 2 <= m.cap); /* M1 */
    strmap_free(&m);
}

int main(void)
{
    unit_suite = "stored/unit-tree";
    RUN(t1_t2_add_lookup_children);
    RUN(t3_owner_lists_follow_perms);
    RUN(t4_generations_grow);
    RUN(many_nodes_stay_consistent);
    RUN(m2_strmap_delete_keeps_probe_runs);
    return 0;
}
