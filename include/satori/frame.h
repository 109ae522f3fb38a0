/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame table entry: one struct page_info per machine page, indexed by
 * MFN. This header owns the layout and the bit encodings of count_info and
 * type_info; the allocator (page_alloc.c) owns the PGC_free/PGC_reserved
 * states, and the page-type state machine (not here yet) owns type_info.
 *
 * count_info: PGC_* flags in the top 8 bits, a general reference count in the
 * low 56 bits (PGC_count_mask).
 * type_info:  the PGT_* type in bits 61..63, PGT_pinned and PGT_validated
 * below it, and a type reference count in the low 56 bits (PGT_count_mask).
 */
#ifndef SATORI_FRAME_H
#define SATORI_FRAME_H

#include <public/xen.h>
#include <satori/list.h>
#include <satori/types.h>

/* DOMID_INVALID (no owner) comes from the guest ABI, public/xen.h. */

/* count_info */
#define PGC_allocated   (1ULL << 63)  /* owner holds its allocation reference */
#define PGC_reserved    (1ULL << 62)  /* not RAM, or never allocatable */
#define PGC_free        (1ULL << 61)  /* in the buddy allocator's free pool */
#define PGC_count_width 56
#define PGC_count_mask  ((1ULL << PGC_count_width) - 1)
#define PGC_flags_mask  (~PGC_count_mask)

/* type_info */
#define PGT_type_shift      61
#define PGT_type_mask       (7ULL << PGT_type_shift)
#define PGT_none            (0ULL << PGT_type_shift)
#define PGT_l1_page_table   (1ULL << PGT_type_shift)
#define PGT_l2_page_table   (2ULL << PGT_type_shift)
#define PGT_l3_page_table   (3ULL << PGT_type_shift)
#define PGT_l4_page_table   (4ULL << PGT_type_shift)
#define PGT_seg_desc_page   (5ULL << PGT_type_shift)
#define PGT_writable_page   (6ULL << PGT_type_shift)
#define PGT_pinned          (1ULL << 60)
#define PGT_validated       (1ULL << 59)
#define PGT_count_width     56
#define PGT_count_mask      ((1ULL << PGT_count_width) - 1)

struct page_info {
    /*
     * Free: the buddy's list (block heads). A domain's frame: the domain's
     * page list; a hypervisor page the domain may map (shared_info) is on
     * no list and keeps the node self-linked.
     */
    struct list_head list;
    uint64_t count_info;    /* PGC_* flags | general reference count */
    uint64_t type_info;     /* PGT_* type | flags | type count */
    domid_t owner;          /* DOMID_INVALID when unowned */
    uint8_t order;          /* block order; meaningful on block heads only */
};

_Static_assert(sizeof(struct page_info) <= 48, "page_info must stay small");

static inline uint64_t page_get_type(const struct page_info *pg)
{
    return pg->type_info & PGT_type_mask;
}

static inline uint64_t page_type_count(const struct page_info *pg)
{
    return pg->type_info & PGT_count_mask;
}

static inline uint64_t page_get_count(const struct page_info *pg)
{
    return pg->count_info & PGC_count_mask;
}

static inline bool page_is_free(const struct page_info *pg)
{
    return (pg->count_info & PGC_free) != 0;
}

static inline bool page_is_reserved(const struct page_info *pg)
{
    return (pg->count_info & PGC_reserved) != 0;
}

/* On some list (for a domain's frame in use: its page list, so its own memory). */
static inline bool page_listed(const struct page_info *pg)
{
    return pg->list.next != &pg->list;
}

#endif
