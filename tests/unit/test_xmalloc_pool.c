/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the small-object allocator (hypervisor/xmalloc_pool.c) over a
 * page source backed by aligned_alloc(), which counts the pages it has out.
 */
#include <satori/xmalloc_pool.h>

#include "check.h"

struct test_src {
    long pages_out;
    long fail_after;        /* allocations left before failing; -1: never */
};

static void *src_alloc(void *ctx, unsigned int order)
{
    struct test_src *s = ctx;
    void *va;

    if (s->fail_after == 0)
        return NULL;
    if (s->fail_after > 0)
        s->fail_after--;
    va = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    if (va) {
        memset(va, 0xa5, PAGE_SIZE << order);
        s->pages_out += 1L << order;
    }
    return va;
}

static void src_free(void *ctx, void *va, unsigned int order)
{
    struct test_src *s = ctx;

    s->pages_out -= 1L << order;
    free(va);
}

static struct test_src tsrc;

static void pool_init(struct xmalloc_pool *p)
{
    struct xmalloc_page_source src = { src_alloc, src_free, &tsrc };

    tsrc.pages_out = 0;
    tsrc.fail_after = -1;
    xmalloc_pool_init(p, &src);
}

/* What invariant 4 says an object of (size, align) counts for. */
static size_t charged(size_t size, size_t align)
{
    size_t c = 16;

    while (c < size || c < align)
        c <<= 1;
    return c <= 1024 ? c : size;
}

static void test_bad_args(void)
{
    struct xmalloc_pool p;

    pool_init(&p);
    CHECK(xmalloc_pool_alloc(&p, 0, 8) == NULL);
    CHECK(xmalloc_pool_alloc(&p, 8, 0) == NULL);
    CHECK(xmalloc_pool_alloc(&p, 8, 3) == NULL);
    CHECK(xmalloc_pool_alloc(&p, 8, 2 * PAGE_SIZE) == NULL);
    CHECK(xmalloc_pool_alloc(&p, SIZE_MAX, 8) == NULL);
    CHECK(xmalloc_pool_alloc(&p, PAGE_SIZE << XMALLOC_MAX_ORDER, 8) == NULL);
    CHECK(p.pages_held == 0 && p.bytes_in_use == 0 && tsrc.pages_out == 0);
    xmalloc_pool_free(&p, NULL);
    tsrc.fail_after = 0;
    CHECK(xmalloc_pool_alloc(&p, 8, 8) == NULL);
    CHECK(xmalloc_pool_alloc(&p, 8000, 8) == NULL);
    CHECK(p.pages_held == 0 && p.bytes_in_use == 0);
}

static void test_alignment(void)                           /* 1 */
{
    struct xmalloc_pool p;
    void *ptrs[13 * 40];
    unsigned int n = 0;

    pool_init(&p);
    for (size_t align = 1; align <= PAGE_SIZE; align <<= 1) {
        for (size_t size = 1; size < 6000; size += 151) {
            char *q = xmalloc_pool_alloc(&p, size, align);

            CHECK(q != NULL);
            CHECK((uintptr_t)q % align == 0 && (uintptr_t)q % 16 == 0);
            memset(q, 0x5a, size);          /* ASan: inside the pages */
            ptrs[n++] = q;
        }
    }
    while (n)
        xmalloc_pool_free(&p, ptrs[--n]);
    CHECK(p.pages_held == 0 && tsrc.pages_out == 0);
}

static void test_reuse(void)
{
    struct xmalloc_pool p;
    void *a, *b, *c;

    pool_init(&p);
    a = xmalloc_pool_alloc(&p, 24, 8);
    b = xmalloc_pool_alloc(&p, 24, 8);
    CHECK(a && b && a != b);
    CHECK(p.pages_held == 1 && p.bytes_in_use == 64);
    xmalloc_pool_free(&p, a);
    c = xmalloc_pool_alloc(&p, 30, 1);      /* same class: the freed slot */
    CHECK(c == a);
    xmalloc_pool_free(&p, b);
    xmalloc_pool_free(&p, c);
    CHECK(p.pages_held == 0 && p.bytes_in_use == 0 && tsrc.pages_out == 0);
}

static void test_partial_lists(void)                       /* 2 */
{
    struct xmalloc_pool p;
    void *o[4];
    unsigned int cls = XMALLOC_NR_CLASSES - 1;  /* 1024: 3 slots per slab */

    pool_init(&p);
    for (int i = 0; i < 3; i++)
        o[i] = xmalloc_pool_alloc(&p, 1024, 1);
    CHECK(p.pages_held == 1 && list_empty(&p.partial[cls]));
    o[3] = xmalloc_pool_alloc(&p, 1000, 1);
    CHECK(p.pages_held == 2 && !list_empty(&p.partial[cls]));
    xmalloc_pool_free(&p, o[0]);            /* first slab has a slot again */
    CHECK(p.partial[cls].next->next->next == &p.partial[cls]);
    xmalloc_pool_free(&p, o[3]);            /* second slab empty: returned */
    CHECK(p.pages_held == 1 && tsrc.pages_out == 1);
    CHECK(p.partial[cls].next->next == &p.partial[cls]);
    xmalloc_pool_free(&p, o[1]);
    xmalloc_pool_free(&p, o[2]);
    CHECK(p.pages_held == 0 && list_empty(&p.partial[cls]));
}

/* Random sizes; each object holds its own byte pattern while live. */
static void test_no_overlap(void)                          /* 1, 3, 4 */
{
    enum { SLOTS = 400 };
    static struct { unsigned char *q; size_t size, align; } o[SLOTS];
    struct xmalloc_pool p;
    uint64_t seed = 12345;
    size_t bytes = 0;

    pool_init(&p);
    for (unsigned int it = 0; it < 20000; it++) {
        unsigned int s = check_rand(&seed) % SLOTS;

        if (o[s].q) {
            for (size_t i = 0; i < o[s].size; i++)
                CHECK(o[s].q[i] == (unsigned char)s);
            xmalloc_pool_free(&p, o[s].q);
            bytes -= charged(o[s].size, o[s].align);
            o[s].q = NULL;
            continue;
        }
        o[s].size = 1 + check_rand(&seed) % (check_rand(&seed) % 8 ? 300 : 9000);
        o[s].align = 1ULL << (check_rand(&seed) % 8);
        o[s].q = xmalloc_pool_alloc(&p, o[s].size, o[s].align);
        CHECK(o[s].q && (uintptr_t)o[s].q % o[s].align == 0);
        memset(o[s].q, s, o[s].size);
        bytes += charged(o[s].size, o[s].align);
        CHECK(p.bytes_in_use == bytes);
        CHECK(p.pages_held == (size_t)tsrc.pages_out);
    }
    for (unsigned int s = 0; s < SLOTS; s++) {
        if (!o[s].q)
            continue;
        for (size_t i = 0; i < o[s].size; i++)
            CHECK(o[s].q[i] == (unsigned char)s);
        xmalloc_pool_free(&p, o[s].q);
        o[s].q = NULL;
    }
    CHECK(p.pages_held == 0 && p.bytes_in_use == 0 && tsrc.pages_out == 0);
}

static void test_big(void)
{
    struct xmalloc_pool p;
    char *a, *b, *c;

    pool_init(&p);
    a = xmalloc_pool_alloc(&p, 5000, 16);
    CHECK(a && p.pages_held == 2 && p.bytes_in_use == 5000);
    b = xmalloc_pool_alloc(&p, PAGE_SIZE, PAGE_SIZE);   /* header page + 1 */
    CHECK(b && (uintptr_t)b % PAGE_SIZE == 0 && p.pages_held == 4);
    c = xmalloc_pool_alloc(&p, 1 << 20, 64);
    CHECK(c && p.pages_held == 4 + 512);
    memset(a, 1, 5000);
    memset(b, 2, PAGE_SIZE);
    memset(c, 3, 1 << 20);
    xmalloc_pool_free(&p, b);
    xmalloc_pool_free(&p, a);
    xmalloc_pool_free(&p, c);
    CHECK(p.pages_held == 0 && p.bytes_in_use == 0 && tsrc.pages_out == 0);
}

static void test_bad_free_dies(void)                       /* 5 */
{
    struct xmalloc_pool p;
    char *a, *b, *big, *foreign;

    pool_init(&p);
    a = xmalloc_pool_alloc(&p, 64, 8);
    b = xmalloc_pool_alloc(&p, 64, 8);
    big = xmalloc_pool_alloc(&p, 3000, 8);
    foreign = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    CHECK(a && b && big && foreign);
    memset(foreign, 0, PAGE_SIZE);
    CHECK_DIES(xmalloc_pool_free(&p, a + 8));           /* inside a slot */
    CHECK_DIES(xmalloc_pool_free(&p, b + 64));          /* slot never given */
    CHECK_DIES(xmalloc_pool_free(&p, big + 16));        /* inside big block */
    CHECK_DIES(xmalloc_pool_free(&p, foreign + 64));    /* not ours */
    xmalloc_pool_free(&p, a);
    CHECK_DIES(xmalloc_pool_free(&p, a));               /* double free */
    xmalloc_pool_free(&p, b);
    xmalloc_pool_free(&p, big);
    free(foreign);
    CHECK(p.pages_held == 0 && tsrc.pages_out == 0);
}

int main(void)
{
    check_module = "xmalloc_pool";
    RUN_TEST(test_bad_args);
    RUN_TEST(test_alignment);
    RUN_TEST(test_reuse);
    RUN_TEST(test_partial_lists);
    RUN_TEST(test_no_overlap);
    RUN_TEST(test_big);
    RUN_TEST(test_bad_free_dies);
    return check_nr_failed != 0;
}
