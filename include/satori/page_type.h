/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page-type state machine (hypervisor/page_type.c): general and type
 * references on frames, page-table validation, pinning. Pure logic: the
 * frame table, the frames' contents and the TLB are reached through a
 * struct pt_env, so the same file runs on the host against a fake frame
 * table (tests/unit/test_page_type.c). Caller holds the MMU lock.
 */
#ifndef SATORI_PAGE_TYPE_H
#define SATORI_PAGE_TYPE_H

#include <satori/compiler.h>
#include <satori/frame.h>
#include <satori/list.h>
#include <satori/types.h>

/* Page-table entry bits the rules look at (x86-64 4-level paging). */
#define PT_PRESENT  (1ULL << 0)
#define PT_RW       (1ULL << 1)
#define PT_USER     (1ULL << 2)
#define PT_PWT      (1ULL << 3)
#define PT_PCD      (1ULL << 4)
#define PT_ACCESSED (1ULL << 5)
#define PT_DIRTY    (1ULL << 6)
#define PT_PSE      (1ULL << 7)
#define PT_GLOBAL   (1ULL << 8)
#define PT_NX       (1ULL << 63)
#define PT_ADDR_MASK 0x000ffffffffff000ULL
#define PT_AVAIL_HI  0x7ff0000000000000ULL   /* bits 52-62: refused (Xen's own) */
#define PT_ENTRIES   512

/* L4 slots reserved for the hypervisor in every guest L4 (ABI). */
#define PT_L4_HV_FIRST 256
#define PT_L4_HV_END   272

struct pt_env {
    /* The descriptor of frame mfn, or NULL if it has none (I/O, beyond RAM). */
    struct page_info *(*frame)(const struct pt_env *env, uint64_t mfn);
    /* The 512 entries of frame pg, as the hypervisor reads and writes them. */
    uint64_t *(*table)(const struct pt_env *env, struct page_info *pg);
    /* May domain d map mfn, which has no RAM descriptor, as I/O memory? */
    bool (*io_ok)(const struct pt_env *env, domid_t d, uint64_t mfn, bool writable);
    /* A newly validated L4: write the hypervisor's slots into it. */
    void (*init_l4)(const struct pt_env *env, uint64_t *l4);
    /* A frame loses the writable type: no stale writable TLB entry may stay. */
    void (*flush_tlb)(const struct pt_env *env);
    void *priv;
};

/* The type of a level-n table (n = 1..4) and back. */
static inline uint64_t pt_level_type(unsigned int level)
{
    return (uint64_t)level << PGT_type_shift;
}

static inline unsigned int pt_type_level(uint64_t type)
{
    return type >= PGT_l1_page_table && type <= PGT_l4_page_table
           ? (unsigned int)(type >> PGT_type_shift) : 0;
}

static inline bool pt_guest_slot(unsigned int level, unsigned int idx)
{
    return level != 4 || idx < PT_L4_HV_FIRST || idx >= PT_L4_HV_END;
}

/* General references: true and a reference taken iff pg is d's, in use. */
bool __must_check get_page(struct page_info *pg, domid_t d);
/* Drops one; the last (invariant 11) hands pg to frame_released(). */
void put_page(struct page_info *pg);

/*
 * Defined outside this file (the hypervisor; the unit tests record it):
 * pg's last general reference went. It is unallocated, its type count is
 * 0 and it may still be on its owner's page list. Called by put_page(),
 * so with the MMU lock held.
 */
void frame_released(struct page_info *pg);

/*
 * A dying domain's frames, linked through pg->list on pages: drops each
 * frame's pin and its allocation reference. Frames whose last reference
 * goes reach frame_released() (which must unlink them from whatever list
 * they are on); those that something else still holds end up on kept.
 * pages ends empty. Caller has already dropped the references held
 * outside page tables (page-table bases, descriptor frames, vcpu_info).
 */
void page_relinquish(const struct pt_env *env, struct list_head *pages, struct list_head *kept);

/*
 * Type references: 0, or -EINVAL when pg has another type in use, or a
 * table's contents do not validate (then pg is left as it was).
 */
int __must_check get_page_type(const struct pt_env *env, struct page_info *pg, uint64_t type);
void put_page_type(const struct pt_env *env, struct page_info *pg);
int __must_check get_page_and_type(const struct pt_env *env, struct page_info *pg, domid_t d,
                                   uint64_t type);
void put_page_and_type(const struct pt_env *env, struct page_info *pg);

/*
 * MMUEXT_PIN_Ln_TABLE / UNPIN_TABLE: 0; -EINVAL for a frame not the
 * caller's, pinned twice, unpinned twice or of another type in use; or the
 * error of the entry that failed to validate (-EBUSY for an L1's frame).
 */
int __must_check page_pin(const struct pt_env *env, struct page_info *pg, domid_t d,
                          unsigned int level);
int __must_check page_unpin(const struct pt_env *env, struct page_info *pg, domid_t d);

/*
 * One entry of a level-n table: checks the flags and rewrites them as
 * Satori stores them (user forced, global stripped); 0 or -EINVAL.
 */
int __must_check pte_check(unsigned int level, uint64_t *pte);
/* Takes what a checked, present entry needs; 0, -EBUSY (L1), -EINVAL, -EPERM. */
int __must_check pte_get_ref(const struct pt_env *env, domid_t d, unsigned int level,
                             uint64_t pte);
void pte_put_ref(const struct pt_env *env, unsigned int level, uint64_t pte);

/*
 * Replaces entry idx of table pg (a validated level-n table of d) by val:
 * check and reference the new entry, store it, release the old one.
 * preserve_ad keeps the old entry's Accessed/Dirty bits. On success *old
 * holds the previous entry. Nothing changes on failure.
 */
int __must_check pt_update_entry(const struct pt_env *env, domid_t d, struct page_info *pg,
                                 unsigned int idx, uint64_t val, bool preserve_ad,
                                 uint64_t *old);

#endif
