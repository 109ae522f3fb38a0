/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The buddy allocator's interface: a pool of machine frames described by a
 * frame table, handed out as naturally aligned blocks of 2^order frames. See
 * hypervisor/page_alloc.c for the model and its invariants.
 */
#ifndef SATORI_PAGE_ALLOC_H
#define SATORI_PAGE_ALLOC_H

#include <satori/frame.h>
#include <satori/list.h>
#include <satori/types.h>

#define MAX_ORDER 18

struct buddy {
    struct page_info *frames;           /* frame table, indexed by MFN */
    uint64_t nr_frames;
    struct list_head free[MAX_ORDER + 1]; /* free block heads, per order */
    uint64_t free_pages;
};

void buddy_init(struct buddy *b, struct page_info *frames, uint64_t nr_frames);
void buddy_add_range(struct buddy *b, uint64_t first_mfn, uint64_t count);
struct page_info *buddy_alloc(struct buddy *b, unsigned int order);
void buddy_free(struct buddy *b, struct page_info *pg, unsigned int order);
uint64_t buddy_page_to_mfn(const struct buddy *b, const struct page_info *pg);
struct page_info *buddy_mfn_to_page(const struct buddy *b, uint64_t mfn);
uint64_t buddy_free_pages(const struct buddy *b);
unsigned int buddy_largest_free_order(const struct buddy *b);

#endif
