/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the buddy allocator (hypervisor/page_alloc.c): each numbered
 * invariant of its header comment, split/merge, exhaustion, odd ranges and a
 * random alloc/free stress against a shadow bitmap.
 */
#include <satori/page_alloc.h>

#include "check.h"

static struct buddy *pool_new(uint64_t nr)
{
    struct buddy *b = calloc(1, sizeof(*b));
    struct page_info *frames = calloc(nr ? nr : 1, sizeof(*frames));

    if (!b || !frames)
        abort();
    buddy_init(b, frames, nr);
    return b;
}

static void pool_del(struct buddy *b)
{
    free(b->frames);
    free(b);
}

static uint64_t nr_blocks(const struct buddy *b, unsigned int k)
{
    struct list_head *pos;
    uint64_t n = 0;

    list_for_each(pos, &b->free[k])
        n++;
    return n;
}

/* Checks invariants 1-4 over the whole frame table. */
static void buddy_check(const struct buddy *b)
{
    uint8_t *seen = calloc(b->nr_frames + 1, 1);    /* 1 in block, 2 head */
    uint64_t sum = 0, nfree = 0, mfn, i;
    struct list_head *pos;

    CHECK(seen != NULL);
    for (unsigned int k = 0; k <= MAX_ORDER; k++) {
        list_for_each(pos, &b->free[k]) {
            const struct page_info *pg = list_entry(pos, struct page_info, list);

            mfn = buddy_page_to_mfn(b, pg);
            CHECK(mfn % (1ULL << k) == 0);                  /* 2 */
            CHECK(mfn + (1ULL << k) <= b->nr_frames);       /* 2 */
            CHECK(pg->order == k);                          /* 2 */
            for (i = 0; i < (1ULL << k); i++) {
                CHECK(page_is_free(&b->frames[mfn + i]));   /* 2 */
                CHECK(!seen[mfn + i]);                      /* blocks disjoint */
                seen[mfn + i] = i ? 1 : 2;
            }
            sum += 1ULL << k;
        }
    }
    for (mfn = 0; mfn < b->nr_frames; mfn++) {
        uint64_t c = b->frames[mfn].count_info;

        CHECK(!((c & PGC_free) && (c & PGC_reserved)));    /* 1 */
        if (c & PGC_free) {
            nfree++;
            CHECK(seen[mfn]);                               /* 2 */
        }
    }
    CHECK(sum == b->free_pages && nfree == b->free_pages);  /* 3 */
    CHECK(buddy_free_pages(b) == b->free_pages);
    for (unsigned int k = 0; k < MAX_ORDER; k++) {
        list_for_each(pos, &b->free[k]) {
            mfn = buddy_page_to_mfn(b, list_entry(pos, struct page_info, list));
            i = mfn ^ (1ULL << k);
            CHECK(i >= b->nr_frames || seen[i] != 2 ||
                  b->frames[i].order != k);                 /* 4 */
        }
    }
    free(seen);
}

static void test_init_all_reserved(void)
{
    struct buddy *b = pool_new(100);

    for (uint64_t m = 0; m < 100; m++)
        CHECK(b->frames[m].count_info == PGC_reserved &&
              b->frames[m].owner == DOMID_INVALID);
    CHECK(buddy_free_pages(b) == 0);
    CHECK(buddy_alloc(b, 0) == NULL);
    CHECK(buddy_largest_free_order(b) == 0);
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_add_range_aligned(void)
{
    struct buddy *b = pool_new(2048);

    buddy_add_range(b, 1024, 1024);
    CHECK(buddy_free_pages(b) == 1024);
    CHECK(nr_blocks(b, 10) == 1);
    CHECK(buddy_largest_free_order(b) == 10);
    CHECK(page_is_reserved(&b->frames[1023]));
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_add_range_odd(void)
{
    struct buddy *b = pool_new(1030);

    buddy_add_range(b, 3, 1000);
    CHECK(buddy_free_pages(b) == 1000);
    CHECK(page_is_reserved(&b->frames[2]) && page_is_reserved(&b->frames[1003]));
    /* 3 | 4..7 | 8..15 ... 256..511 | 512..767 | 768..895 ... 992..999 | 1000..1001 | 1002 */
    CHECK(nr_blocks(b, 0) == 2 && nr_blocks(b, 1) == 1 && nr_blocks(b, 2) == 1);
    CHECK(nr_blocks(b, 3) == 2 && nr_blocks(b, 8) == 2 && nr_blocks(b, 9) == 0);
    CHECK(b->frames[3].order == 0 && b->frames[4].order == 2);
    CHECK_CALL(buddy_check(b));
    buddy_add_range(b, 0, 3);           /* merges up with 3 and 4..7 */
    buddy_add_range(b, 1003, 21);       /* up to 1024 */
    CHECK_CALL(buddy_check(b));         /* 4: fully merged */
    CHECK(nr_blocks(b, 10) == 1 && buddy_free_pages(b) == 1024);
    buddy_add_range(b, 1024, 6);        /* 1024..1029: no buddy for these */
    CHECK(nr_blocks(b, 10) == 1 && nr_blocks(b, 2) == 1 && nr_blocks(b, 1) == 1);
    buddy_add_range(b, 0, 0);
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_max_order(void)
{
    uint64_t nr = (2ULL << MAX_ORDER) + 5;
    struct buddy *b = pool_new(nr);
    struct page_info *pg;

    buddy_add_range(b, 0, nr);
    CHECK(nr_blocks(b, MAX_ORDER) == 2);        /* never merged above MAX */
    CHECK(buddy_largest_free_order(b) == MAX_ORDER);
    CHECK_CALL(buddy_check(b));
    CHECK(buddy_alloc(b, MAX_ORDER + 1) == NULL);
    pg = buddy_alloc(b, MAX_ORDER);
    CHECK(pg && buddy_page_to_mfn(b, pg) % (1ULL << MAX_ORDER) == 0);
    CHECK(buddy_free_pages(b) == nr - (1ULL << MAX_ORDER));
    buddy_free(b, pg, MAX_ORDER);
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_split_coalesce(void)
{
    struct buddy *b = pool_new(16);
    struct page_info *pg, *pg2;

    buddy_add_range(b, 0, 16);
    pg = buddy_alloc(b, 0);
    CHECK(pg == &b->frames[0]);
    for (unsigned int k = 0; k < 4; k++)
        CHECK(nr_blocks(b, k) == 1);
    CHECK(nr_blocks(b, 4) == 0);
    CHECK_CALL(buddy_check(b));
    pg2 = buddy_alloc(b, 2);
    CHECK(pg2 && buddy_page_to_mfn(b, pg2) == 4);
    buddy_free(b, pg, 0);
    /* 0 merges with 1, then with 2..3; 4..7 is in use. */
    CHECK(nr_blocks(b, 0) == 0 && nr_blocks(b, 1) == 0);
    CHECK(nr_blocks(b, 2) == 1 && nr_blocks(b, 3) == 1);
    CHECK_CALL(buddy_check(b));
    buddy_free(b, pg2, 2);
    CHECK(nr_blocks(b, 4) == 1 && buddy_free_pages(b) == 16);
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_alloc_state(void)
{
    struct buddy *b = pool_new(64);
    struct page_info *pg;
    uint64_t mfn;

    buddy_add_range(b, 0, 64);
    pg = buddy_alloc(b, 3);
    CHECK(pg != NULL);
    mfn = buddy_page_to_mfn(b, pg);
    CHECK(mfn % 8 == 0 && pg->order == 3);
    for (uint64_t i = mfn; i < mfn + 8; i++) {
        CHECK(b->frames[i].count_info == 0 && b->frames[i].type_info == 0);
        CHECK(b->frames[i].owner == DOMID_INVALID);
    }
    CHECK(buddy_free_pages(b) == 56);
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

static void test_exhaustion(void)
{
    struct buddy *b = pool_new(300);
    struct page_info *got[300];
    unsigned int n = 0;

    buddy_add_range(b, 7, 290);
    while (n < 300 && (got[n] = buddy_alloc(b, 0)) != NULL)
        n++;
    CHECK(n == 290 && buddy_free_pages(b) == 0);
    for (unsigned int k = 0; k <= MAX_ORDER; k++)
        CHECK(buddy_alloc(b, k) == NULL);
    CHECK_CALL(buddy_check(b));
    while (n)
        buddy_free(b, got[--n], 0);
    CHECK(buddy_free_pages(b) == 290);
    CHECK_CALL(buddy_check(b));
    CHECK(buddy_alloc(b, 7) == &b->frames[128]);   /* merged back */
    CHECK(buddy_alloc(b, 7) == NULL);
    pool_del(b);
}

static void test_mfn_conversion(void)
{
    struct buddy *b = pool_new(10);

    CHECK(buddy_mfn_to_page(b, 9) == &b->frames[9]);
    CHECK(buddy_page_to_mfn(b, &b->frames[9]) == 9);
    CHECK(buddy_mfn_to_page(b, 10) == NULL);
    CHECK(buddy_mfn_to_page(b, UINT64_MAX) == NULL);
    pool_del(b);
}

/* Random alloc/free; a shadow bitmap catches any overlap or lost page. */
static void test_stress(void)
{
    enum { NR = 5000, SLOTS = 256 };
    struct buddy *b = pool_new(NR);
    struct { struct page_info *pg; unsigned int order; } live[SLOTS] = { 0 };
    uint8_t *used = calloc(NR, 1);
    uint64_t seed = 0x9e3779b97f4a7c15ULL, in_use = 0;

    buddy_add_range(b, 1, 4000);
    buddy_add_range(b, 4321, 600);
    for (unsigned int it = 0; it < 40000; it++) {
        unsigned int s = check_rand(&seed) % SLOTS;
        uint64_t mfn;

        if (live[s].pg) {
            mfn = buddy_page_to_mfn(b, live[s].pg);
            for (uint64_t i = 0; i < (1ULL << live[s].order); i++)
                used[mfn + i] = 0;
            buddy_free(b, live[s].pg, live[s].order);
            in_use -= 1ULL << live[s].order;
            live[s].pg = NULL;
        } else {
            unsigned int order = check_rand(&seed) % 7;
            struct page_info *pg = buddy_alloc(b, order);

            if (!pg)
                continue;
            mfn = buddy_page_to_mfn(b, pg);
            CHECK(mfn % (1ULL << order) == 0);              /* 5 */
            for (uint64_t i = 0; i < (1ULL << order); i++) {
                CHECK(!used[mfn + i]);                       /* no overlap */
                CHECK(!page_is_free(&b->frames[mfn + i]));
                used[mfn + i] = 1;
            }
            live[s].pg = pg;
            live[s].order = order;
            in_use += 1ULL << order;
        }
        CHECK(buddy_free_pages(b) + in_use == 4600);        /* 3 */
        if (it % 4000 == 0)
            CHECK_CALL(buddy_check(b));
    }
    for (unsigned int s = 0; s < SLOTS; s++)
        if (live[s].pg)
            buddy_free(b, live[s].pg, live[s].order);
    CHECK(buddy_free_pages(b) == 4600);
    CHECK_CALL(buddy_check(b));
    free(used);
    pool_del(b);
}

static void test_bad_frees_die(void)                       /* 6 */
{
    struct buddy *b = pool_new(64);
    struct page_info *pg;

    buddy_add_range(b, 0, 32);
    pg = buddy_alloc(b, 1);
    CHECK(pg != NULL);
    CHECK_DIES(buddy_free(b, &b->frames[40], 0));      /* reserved */
    CHECK_DIES(buddy_free(b, &b->frames[2], 0));       /* already free */
    CHECK_DIES(buddy_free(b, pg + 1, 1));              /* misaligned */
    CHECK_DIES(buddy_free(b, pg, MAX_ORDER + 1));
    CHECK_DIES(buddy_free(b, &b->frames[32], 6));      /* past the end */
    CHECK_DIES(buddy_add_range(b, 30, 4));             /* 30, 31 not reserved */
    CHECK_DIES(buddy_add_range(b, 60, 5));             /* past the end */
    buddy_free(b, pg, 1);
    CHECK_DIES(buddy_free(b, pg, 1));                  /* double free */
    CHECK_CALL(buddy_check(b));
    pool_del(b);
}

int main(void)
{
    check_module = "page_alloc";
    RUN_TEST(test_init_all_reserved);
    RUN_TEST(test_add_range_aligned);
    RUN_TEST(test_add_range_odd);
    RUN_TEST(test_max_order);
    RUN_TEST(test_split_coalesce);
    RUN_TEST(test_alloc_state);
    RUN_TEST(test_exhaustion);
    RUN_TEST(test_mfn_conversion);
    RUN_TEST(test_stress);
    RUN_TEST(test_bad_frees_die);
    return check_nr_failed != 0;
}
