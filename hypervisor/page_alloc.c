/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buddy allocator for machine frames. It owns the PGC_free and
 * PGC_reserved states of the frame table and the per-order free lists.
 *
 * Model. The caller gives buddy_init() a frame table covering MFNs
 * 0..nr_frames-1; every frame starts reserved. buddy_add_range() hands RAM
 * to the pool; buddy_alloc() returns the head of a block of 2^order frames,
 * splitting a larger free block if need be; buddy_free() returns a block and
 * merges it with its buddy (the block at mfn ^ 2^order) for as long as that
 * buddy is a whole free block of the same order. Only the frame table is
 * touched, never the pages themselves. Caller serialises (one lock around
 * every call on a struct buddy).
 *
 * Invariants (tests/unit/test_page_alloc.c checks each, by number):
 *  1. Every frame is in exactly one state: reserved (PGC_reserved), free
 *     (PGC_free) or in use (neither flag).
 *  2. Free frames form blocks. A block of order k starts at an MFN that is a
 *     multiple of 2^k, lies below nr_frames, and its head alone is on
 *     free[k] with order == k; every frame of it is PGC_free.
 *  3. free_pages equals both the number of PGC_free frames and the sum of
 *     2^k over the blocks on the free lists.
 *  4. Free blocks are fully merged: no two free blocks of order k < MAX_ORDER
 *     are buddies of each other.
 *  5. buddy_alloc(order) returns a block aligned to 2^order, entirely
 *     in use afterwards, with head->order == order, owner DOMID_INVALID and
 *     count_info/type_info zero; NULL (and no change) when no block is big
 *     enough.
 *  6. A reserved frame only becomes free through buddy_add_range(): freeing
 *     a reserved, already free or misaligned block is a hypervisor bug
 *     (BUG_ON), as is adding a frame that is not reserved.
 *
 * Corner cases: order > MAX_ORDER is never satisfiable (NULL). MFN 0 can be
 * handed to the pool like any other frame; the caller decides what is RAM.
 * buddy_largest_free_order() returns 0 for an empty pool too, so check
 * buddy_free_pages() first. Alloc and free cost O(2^order) frame-table
 * writes, like Xen's, in exchange for exact double-free detection.
 */
#include <satori/bug.h>
#include <satori/page_alloc.h>

static uint64_t buddy_mfn(const struct buddy *b, const struct page_info *pg)
{
    return (uint64_t)(pg - b->frames);
}

/* Sets 2^order frames from mfn to one state; head gets the order. */
static void buddy_mark(struct buddy *b, uint64_t mfn, unsigned int order,
                       uint64_t count_info)
{
    uint64_t i, n = 1ULL << order;

    for (i = 0; i < n; i++) {
        struct page_info *pg = &b->frames[mfn + i];

        list_init(&pg->list);
        pg->count_info = count_info;
        pg->type_info = 0;
        pg->owner = DOMID_INVALID;
        pg->order = 0;
    }
    b->frames[mfn].order = (uint8_t)order;
}

/* Puts the free block [mfn, mfn + 2^order) on a list, merging buddies. */
static void buddy_insert(struct buddy *b, uint64_t mfn, unsigned int order)
{
    while (order < MAX_ORDER) {
        uint64_t bmfn = mfn ^ (1ULL << order);
        struct page_info *bpg;

        if (bmfn >= b->nr_frames)
            break;
        bpg = &b->frames[bmfn];
        if (!page_is_free(bpg) || bpg->order != order)
            break;
        /* A free frame at a 2^order boundary is a head (invariant 2). */
        list_del(&bpg->list);
        bpg->order = 0;
        b->frames[mfn].order = 0;
        mfn &= ~(1ULL << order);
        order++;
    }
    b->frames[mfn].order = (uint8_t)order;
    list_add(&b->frames[mfn].list, &b->free[order]);
}

void buddy_init(struct buddy *b, struct page_info *frames, uint64_t nr_frames)
{
    unsigned int k;

    b->frames = frames;
    b->nr_frames = nr_frames;
    b->free_pages = 0;
    for (k = 0; k <= MAX_ORDER; k++)
        list_init(&b->free[k]);
    for (uint64_t mfn = 0; mfn < nr_frames; mfn++) {
        list_init(&frames[mfn].list);
        frames[mfn].count_info = PGC_reserved;
        frames[mfn].type_info = 0;
        frames[mfn].owner = DOMID_INVALID;
        frames[mfn].order = 0;
    }
}

/* Largest order a block starting at mfn may have within count frames. */
static unsigned int buddy_fit_order(uint64_t mfn, uint64_t count)
{
    unsigned int k = 0;

    while (k < MAX_ORDER && !(mfn & (1ULL << k)) &&
            (2ULL << k) <= count)
        k++;
    return k;
}

void buddy_add_range(struct buddy *b, uint64_t first_mfn, uint64_t count)
{
    uint64_t mfn = first_mfn, i;

    BUG_ON(first_mfn > b->nr_frames || count > b->nr_frames - first_mfn);
    for (i = 0; i < count; i++)
        BUG_ON(b->frames[first_mfn + i].count_info != PGC_reserved);

    while (count) {
        unsigned int k = buddy_fit_order(mfn, count);

        buddy_mark(b, mfn, k, PGC_free);
        buddy_insert(b, mfn, k);
        b->free_pages += 1ULL << k;
        mfn += 1ULL << k;
        count -= 1ULL << k;
    }
}

struct page_info *buddy_alloc(struct buddy *b, unsigned int order)
{
    unsigned int k = order;
    struct page_info *pg;
    uint64_t mfn;

    if (order > MAX_ORDER)
        return NULL;
    while (k <= MAX_ORDER && list_empty(&b->free[k]))
        k++;
    if (k > MAX_ORDER)
        return NULL;

    pg = list_first_entry(&b->free[k], struct page_info, list);
    list_del(&pg->list);
    mfn = buddy_mfn(b, pg);
    ASSERT(IS_ALIGNED(mfn, 1ULL << k) && pg->order == k);
    /* Give back the upper halves until the block is the size asked for. */
    while (k > order) {
        k--;
        b->frames[mfn + (1ULL << k)].order = (uint8_t)k;
        list_add(&b->frames[mfn + (1ULL << k)].list, &b->free[k]);
    }
    buddy_mark(b, mfn, order, 0);
    b->free_pages -= 1ULL << order;
    return pg;
}

void buddy_free(struct buddy *b, struct page_info *pg, unsigned int order)
{
    uint64_t mfn, i;

    BUG_ON(pg < b->frames || order > MAX_ORDER);
    mfn = buddy_mfn(b, pg);
    BUG_ON(mfn >= b->nr_frames || (1ULL << order) > b->nr_frames - mfn);
    BUG_ON(!IS_ALIGNED(mfn, 1ULL << order));
    for (i = 0; i < (1ULL << order); i++)
        BUG_ON(b->frames[mfn + i].count_info & (PGC_free | PGC_reserved));

    buddy_mark(b, mfn, order, PGC_free);
    buddy_insert(b, mfn, order);
    b->free_pages += 1ULL << order;
}

uint64_t buddy_page_to_mfn(const struct buddy *b, const struct page_info *pg)
{
    ASSERT(pg >= b->frames && buddy_mfn(b, pg) < b->nr_frames);
    return buddy_mfn(b, pg);
}

/* NULL for an MFN outside the frame table. */
struct page_info *buddy_mfn_to_page(const struct buddy *b, uint64_t mfn)
{
    return mfn < b->nr_frames ? &b->frames[mfn] : NULL;
}

uint64_t buddy_free_pages(const struct buddy *b)
{
    return b->free_pages;
}

unsigned int buddy_largest_free_order(const struct buddy *b)
{
    unsigned int k = MAX_ORDER;

    while (k > 0 && list_empty(&b->free[k]))
        k--;
    return k;
}
