/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page-type state machine: who may hold a frame, and as what.
 *
 * Model. Every frame has a general reference count (count_info) and a type
 * with its own count (type_info). Holding a frame at all (mapping it, using
 * it as a table, pinning it) takes a general reference; using it in a way
 * that excludes other uses takes a type reference as well. The types are
 * PGT_writable_page (mapped writable somewhere), PGT_l1..l4_page_table (in
 * use as a page table of that level) and PGT_seg_desc_page. A frame's type
 * may change only while its type count is 0. Page-table types are
 * *validated*: every present entry is checked and takes the references it
 * needs on what it points to. Frames, their contents and the TLB are
 * reached through struct pt_env, so this file compiles unmodified on the
 * host. Caller holds the MMU lock (one lock over every call).
 *
 * Invariants (tests/unit/test_page_type.c checks each, by number):
 *  1. Every type reference comes with a general reference, so a frame's
 *     general count is at least its type count; put_page below 0 or
 *     put_page_type below 0 is a hypervisor bug (BUG_ON).
 *  2. A frame's type is in use by one kind of holder at a time: while its
 *     type count is non-zero, get_page_type() of another type fails with
 *     -EINVAL and changes nothing.
 *  3. A frame is mapped writable by a guest L1 entry only while its type is
 *     PGT_writable_page (with a reference per such entry): a page table is
 *     never writable to a guest. Failing that, the L1 entry gets -EBUSY.
 *  4. A table type is entered from type count 0 only if every guest entry
 *     validates (pte_check) and gets its references: an L1 entry a general
 *     reference on its frame (plus a writable type reference if RW), an
 *     Ln entry (n > 1) a general and an L(n-1) type reference. Then the
 *     frame is PGT_validated. A table only points one level down, so there
 *     are no cycles and recursion is at most four deep.
 *  5. The last put of a table type releases exactly the references its
 *     entries hold and clears PGT_validated (the next get re-validates).
 *  6. Validate, then commit: a failed get_page_type(), pin or
 *     pt_update_entry() leaves every count, flag and entry as it was.
 *  7. A pinned table holds one general and one type reference of its own;
 *     pinning a pinned frame or unpinning an unpinned one is -EINVAL.
 *  8. Entry rules: present entries may not use bits 52-62; L2-L4 entries
 *     may not use PSE (no PV superpages), PWT or PCD. What is stored has
 *     _PAGE_USER set (the guest kernel runs in ring 3) and _PAGE_GLOBAL
 *     clear (it would survive the switch to the user L4). Entries that are
 *     not present are stored as given and hold nothing.
 *  9. L4 slots 256-271 are the hypervisor's: never validated, counted or
 *     updated by a guest; every newly validated L4 gets them (init_l4).
 * 10. A frame that leaves PGT_writable_page for another type is preceded
 *     by env->flush_tlb(), so no stale writable TLB entry outlives the type.
 * 11. The general count reaches 0 only on a frame that is no longer
 *     allocated (PGC_allocated clear) and has no type reference; that put
 *     hands it to frame_released() (defined by the hypervisor, recorded by
 *     the unit tests), which returns it to the allocator. Never earlier:
 *     a frame whose allocation reference is gone lives on while anything
 *     else still holds it (a mapping, a pin, a page-table base).
 * 12. There are no linear (recursive) page tables: an Ln entry (n > 1)
 *     takes an L(n-1) type reference, and a frame has one type at a time,
 *     so no table reaches itself, at its own level or any other. Type
 *     references therefore form a DAG rooted in pins and page-table bases,
 *     and page_relinquish() releases every frame of a dying domain that
 *     nothing outside it holds, with no forced invalidation (Xen needs one
 *     to break the cycles its linear page tables allow).
 */
#include <satori/bug.h>
#include <satori/errno.h>
#include <satori/page_type.h>

bool get_page(struct page_info *pg, domid_t d)
{
    uint64_t c;

    if (!pg)
        return false;
    c = pg->count_info;
    if (c & (PGC_free | PGC_reserved))
        return false;
    if (pg->owner != d)
        return false;
    /* Count 0 is a frame nobody holds (not allocated); never resurrect it. */
    if ((c & PGC_count_mask) == 0 || (c & PGC_count_mask) == PGC_count_mask)
        return false;
    pg->count_info = c + 1;
    return true;
}

void put_page(struct page_info *pg)
{
    BUG_ON((pg->count_info & PGC_count_mask) == 0);   /* invariant 1 */
    if (--pg->count_info & PGC_count_mask)
        return;
    /* invariant 11: the allocation holds a reference, every type one too */
    BUG_ON(pg->count_info & PGC_allocated);
    BUG_ON(page_type_count(pg) || (pg->type_info & PGT_pinned));
    frame_released(pg);
}

static uint64_t pte_mfn(uint64_t pte)
{
    return (pte & PT_ADDR_MASK) >> PAGE_SHIFT;
}

int pte_check(unsigned int level, uint64_t *pte)
{
    uint64_t e = *pte;

    if (!(e & PT_PRESENT))
        return 0;
    if (e & PT_AVAIL_HI)
        return -EINVAL;
    if (level > 1 && (e & (PT_PSE | PT_PWT | PT_PCD)))
        return -EINVAL;
    *pte = (e | PT_USER) & ~PT_GLOBAL;
    return 0;
}

int pte_get_ref(const struct pt_env *env, domid_t d, unsigned int level, uint64_t pte)
{
    uint64_t mfn = pte_mfn(pte);
    struct page_info *pg = env->frame(env, mfn);
    int rc;

    if (!(pte & PT_PRESENT))
        return 0;
    if (!pg || page_is_reserved(pg)) {
        if (level == 1 && env->io_ok && env->io_ok(env, d, mfn, pte & PT_RW))
            return 0;
        return level == 1 ? -EBUSY : -EINVAL;
    }
    if (level > 1)
        return get_page_and_type(env, pg, d, pt_level_type(level - 1));
    if (!get_page(pg, d))
        return -EBUSY;
    if (pte & PT_RW) {
        rc = get_page_type(env, pg, PGT_writable_page);
        if (rc) {
            put_page(pg);
            return -EBUSY;   /* invariant 3; Xen's code for it */
        }
    }
    return 0;
}

void pte_put_ref(const struct pt_env *env, unsigned int level, uint64_t pte)
{
    struct page_info *pg;

    if (!(pte & PT_PRESENT))
        return;
    pg = env->frame(env, pte_mfn(pte));
    if (!pg || page_is_reserved(pg))
        return;                          /* I/O: nothing was taken */
    if (level > 1 || (pte & PT_RW))
        put_page_type(env, pg);
    put_page(pg);
}

/* Drops the references of entries [0, end) of a validated level-n table. */
static void pt_release(const struct pt_env *env, const uint64_t *t, unsigned int level,
                       unsigned int end)
{
    for (unsigned int i = 0; i < end; i++) {
        uint64_t e = t[i];
        if (pt_guest_slot(level, i) && !pte_check(level, &e))
            pte_put_ref(env, level, e);
    }
}

/* Checks every guest entry and takes its references; rewrites on success. */
static int pt_validate(const struct pt_env *env, struct page_info *pg, unsigned int level)
{
    uint64_t *t = env->table(env, pg);
    domid_t d = pg->owner;
    unsigned int i;
    int rc = 0;

    for (i = 0; i < PT_ENTRIES; i++) {
        uint64_t e = t[i];
        if (!pt_guest_slot(level, i))
            continue;
        rc = pte_check(level, &e);
        if (!rc)
            rc = pte_get_ref(env, d, level, e);
        if (rc)
            break;
    }
    if (rc) {
        pt_release(env, t, level, i);    /* invariant 6 */
        return rc;
    }
    for (i = 0; i < PT_ENTRIES; i++)
        BUG_ON(pt_guest_slot(level, i) && pte_check(level, &t[i]));   /* passed above */
    if (level == 4 && env->init_l4)
        env->init_l4(env, t);            /* invariant 9 */
    return 0;
}

int get_page_type(const struct pt_env *env, struct page_info *pg, uint64_t type)
{
    uint64_t x = pg->type_info, count = x & PGT_count_mask;
    unsigned int level = pt_type_level(type);
    int rc;

    BUG_ON(type & ~PGT_type_mask);
    if (count == PGT_count_mask)
        return -EINVAL;
    if (count) {
        /* In use: same type only, and never a table still being validated. */
        if ((x & PGT_type_mask) != type || (level && !(x & PGT_validated)))
            return -EINVAL;              /* invariant 2 */
        pg->type_info = x + 1;
        return 0;
    }
    if ((x & PGT_type_mask) == PGT_writable_page && type != PGT_writable_page &&
        env->flush_tlb)
        env->flush_tlb(env);             /* invariant 10 */
    if (!level) {
        pg->type_info = type | 1;        /* only tables are ever validated */
        return 0;
    }
    pg->type_info = type | 1;            /* not validated: refuses re-entry */
    rc = pt_validate(env, pg, level);
    if (rc) {
        pg->type_info = x;
        return rc;
    }
    pg->type_info = type | PGT_validated | 1;
    return 0;
}

void put_page_type(const struct pt_env *env, struct page_info *pg)
{
    uint64_t x = pg->type_info, count = x & PGT_count_mask;
    unsigned int level = pt_type_level(x & PGT_type_mask);

    BUG_ON(count == 0);                  /* invariant 1 */
    BUG_ON(count == 1 && (x & PGT_pinned));
    if (count == 1 && level) {
        pg->type_info = x & PGT_type_mask;   /* count 0, unvalidated */
        pt_release(env, env->table(env, pg), level, PT_ENTRIES);   /* invariant 5 */
        return;
    }
    pg->type_info = x - 1;
}

int get_page_and_type(const struct pt_env *env, struct page_info *pg, domid_t d, uint64_t type)
{
    int rc;

    if (!get_page(pg, d))
        return -EINVAL;
    rc = get_page_type(env, pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(const struct pt_env *env, struct page_info *pg)
{
    put_page_type(env, pg);
    put_page(pg);
}

int page_pin(const struct pt_env *env, struct page_info *pg, domid_t d, unsigned int level)
{
    int rc;

    if (level < 1 || level > 4)
        return -EINVAL;
    rc = get_page_and_type(env, pg, d, pt_level_type(level));
    if (rc)
        return rc;
    if (pg->type_info & PGT_pinned) {    /* invariant 7 */
        put_page_and_type(env, pg);
        return -EINVAL;
    }
    pg->type_info |= PGT_pinned;
    return 0;
}

int page_unpin(const struct pt_env *env, struct page_info *pg, domid_t d)
{
    if (!get_page(pg, d))
        return -EINVAL;
    if (!(pg->type_info & PGT_pinned)) {
        put_page(pg);
        return -EINVAL;
    }
    pg->type_info &= ~PGT_pinned;
    put_page_and_type(env, pg);          /* the pin's references */
    put_page(pg);
    return 0;
}

int pt_update_entry(const struct pt_env *env, domid_t d, struct page_info *pg,
                    unsigned int idx, uint64_t val, bool preserve_ad, uint64_t *old)
{
    unsigned int level = pt_type_level(page_get_type(pg));
    uint64_t *t, o;
    int rc;

    BUG_ON(!level || !(pg->type_info & PGT_validated) || !page_type_count(pg));
    if (idx >= PT_ENTRIES || !pt_guest_slot(level, idx))
        return -EINVAL;                  /* invariant 9 */
    t = env->table(env, pg);
    if (preserve_ad)
        val |= t[idx] & (PT_ACCESSED | PT_DIRTY);
    rc = pte_check(level, &val);
    if (!rc)
        rc = pte_get_ref(env, d, level, val);
    if (rc)
        return rc;
    o = __atomic_exchange_n(&t[idx], val, __ATOMIC_SEQ_CST);
    /* What was stored was checked when it was stored: same rewrite, same refs. */
    pte_put_ref(env, level, o);
    *old = o;
    return 0;
}

void page_relinquish(const struct pt_env *env, struct list_head *pages, struct list_head *kept)
{
    while (!list_empty(pages)) {
        struct page_info *pg = list_first_entry(pages, struct page_info, list);

        /* Our own reference keeps pg (and its place on a list) until the end. */
        BUG_ON(!page_get_count(pg) || page_get_count(pg) == PGC_count_mask);
        pg->count_info++;
        list_del(&pg->list);
        list_add_tail(&pg->list, kept);
        if (pg->type_info & PGT_pinned) {
            pg->type_info &= ~PGT_pinned;
            put_page_and_type(env, pg);
        }
        if (pg->count_info & PGC_allocated) {
            pg->count_info &= ~PGC_allocated;
            put_page(pg);
        }
        put_page(pg);   /* the last one unlinks it (frame_released) */
    }
}
