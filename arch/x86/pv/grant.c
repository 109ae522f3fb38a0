/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV side of grant tables (the arch_gnttab_* hooks of
 * include/satori/grant_table.h): references on granted frames, grant PTEs
 * in a guest's L1 tables, and the table frames shared with a guest. Every
 * hook takes the MMU lock (pv_mm_lock), under which all count_info,
 * type_info and guest page-table writes happen.
 *
 * The choice (grant_table.c invariant 6). Xen 4.17 release builds take a
 * host mapping's references in map_grant_ref and write the PTE without
 * the L1 validation path, but from then on the PTE is an ordinary L1
 * entry: a guest that overwrites it by mmu_update has put_page_from_l1e()
 * drop exactly those references, and the later unmap, finding no grant
 * PTE there, fails without dropping them again. (Debug builds mark grant
 * PTEs with bit 62 and crash the guest instead.) Satori does the same, so
 * the page-type machine needs no exception at all: a grant PTE holds what
 * any present L1 entry holds (a general reference on its frame, and the
 * writable type if RW: page_type.c invariants 3 and 4), taken here rather
 * than by pte_get_ref() only because the frame belongs to the granter. Its
 * flags pass pte_check() unchanged, so an L1 holding it can be released
 * and re-validated like any other; re-validation of a foreign frame fails
 * (-EBUSY), as it does for any foreign entry.
 *
 * Invariants:
 *  1. A grant PTE is written only into a validated L1 of the mapping
 *     domain, after its references were taken; the entry it replaces is
 *     released with pte_put_ref(), as pt_update_entry() would.
 *  2. A PTE is removed for the grant code only if it still maps the
 *     grant's frame, present, RW exactly as the grant mapping was; the
 *     TLB of every CPU that may hold the mapping domain's translations
 *     (its dirty_cpumask, context.c invariant 4) is flushed before the
 *     references it held are dropped, as Xen flushes ld's dirty CPUs.
 *  3. A table frame is held by its table (one general and one writable
 *     type reference), so it is never a page table or descriptor page;
 *     freeing it waits until no guest mapping holds it.
 */
#include <public/grant_table.h>
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/grant_table.h>
#include <satori/mm.h>
#include <satori/string.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include "pv_mm.h"

#define INVALID_M2P_ENTRY (~0ULL)

static struct page_info *frame_of(uint64_t mfn)
{
    return pv_pt_env.frame(&pv_pt_env, mfn);
}

/* What Xen writes for a grant: present, accessed, dirty, NX, guest avail bits. */
static uint64_t grant_pte(uint64_t mfn, uint32_t flags)
{
    uint64_t pte = (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER;

    if (!(flags & GNTMAP_readonly))
        pte |= _PAGE_RW;
    if (cpu_has(X86_FEATURE_NX))
        pte |= _PAGE_NX;
    return pte | (uint64_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9;
}

static bool grant_pte_matches(uint64_t pte, uint64_t mfn, uint32_t flags)
{
    bool rw = !(flags & GNTMAP_readonly);

    return (pte & _PAGE_PRESENT) && ((pte & PTE_ADDR_MASK) >> PAGE_SHIFT) == mfn &&
           !!(pte & _PAGE_RW) == rw;
}

/*
 * Caller holds the MMU lock. The L1 slot at machine address maddr, which
 * must be 8-aligned in a validated L1 of domain d; NULL if it is not.
 */
static uint64_t *pte_slot(domid_t d, uint64_t maddr)
{
    struct page_info *l1 = frame_of(maddr >> PAGE_SHIFT);

    if ((maddr & 7) || !l1 || l1->owner != d || page_get_type(l1) != PGT_l1_page_table ||
        !(l1->type_info & PGT_validated) || !page_type_count(l1))
        return NULL;
    return (uint64_t *)page_to_virt(l1) + (maddr & ~PAGE_MASK) / 8;
}

/*
 * Caller holds the MMU lock. The L1 slot a grant op's address names: with
 * GNTMAP_contains_pte a machine address (pte_slot), else a virtual address
 * in d's page tables loaded now. NULL if none; *maddr: the slot's address.
 */
static uint64_t *grant_slot(struct domain *d, uint64_t addr, bool is_pte, uint64_t *maddr)
{
    struct page_info *l1;
    unsigned int idx;

    if (is_pte) {
        *maddr = addr;
        return pte_slot(d->domain_id, addr);
    }
    if (pv_find_l1e(d, addr, &l1, &idx))
        return NULL;
    *maddr = (mfn_x(page_to_mfn(l1)) << PAGE_SHIFT) + idx * 8;
    return (uint64_t *)page_to_virt(l1) + idx;
}

/* Caller holds the MMU lock: replaces *slot of ld's, flushes, releases the old entry. */
static void grant_slot_write(struct domain *ld, uint64_t *slot, uint64_t val)
{
    uint64_t old = __atomic_exchange_n(slot, val, __ATOMIC_SEQ_CST);

    pv_flush_domain_tlbs(ld);                         /* invariant 2 */
    pte_put_ref(&pv_pt_env, 1, old);
}

int16_t arch_gnttab_map(struct domain *ld, domid_t rd, uint64_t mfn, uint32_t flags,
                        uint64_t host_addr, bool first_pin, uint64_t *pte_maddr)
{
    struct page_info *pg = frame_of(mfn);
    bool ro = flags & GNTMAP_readonly, dev = flags & GNTMAP_device_map;
    unsigned int gen = 0, type = 0;
    int16_t rc = GNTST_general_error;
    uint64_t *slot, pte = grant_pte(mfn, flags), checked = pte;

    BUG_ON(pte_check(1, &checked) || checked != pte);   /* an ordinary L1 entry */
    pv_mm_lock();
    if (!get_page(pg, rd)) {
        rc = first_pin ? GNTST_bad_page : GNTST_general_error;
        goto out;
    }
    gen++;
    if (dev && !ro) {
        if (get_page_type(&pv_pt_env, pg, PGT_writable_page))
            goto undo;
        type++;
    }
    if (flags & GNTMAP_host_map) {
        if (dev) {
            if (!get_page(pg, rd))
                goto undo;
            gen++;
        }
        if (!ro) {
            if (get_page_type(&pv_pt_env, pg, PGT_writable_page))
                goto undo;
            type++;
        }
        slot = grant_slot(ld, host_addr, flags & GNTMAP_contains_pte, pte_maddr);
        if (!slot)
            goto undo;
        /* Invariant 1; as on Xen, no flush: the guest flushes what it maps. */
        pte_put_ref(&pv_pt_env, 1, __atomic_exchange_n(slot, pte, __ATOMIC_SEQ_CST));
    }
    pv_mm_unlock();
    return GNTST_okay;
undo:
    while (type--)
        put_page_type(&pv_pt_env, pg);
    while (gen--)
        put_page(pg);
out:
    pv_mm_unlock();
    return rc;
}

int16_t arch_gnttab_unmap_host(struct domain *ld, uint64_t mfn, uint32_t flags,
                               uint64_t host_addr, uint64_t new_addr)
{
    bool is_pte = flags & GNTMAP_contains_pte;
    uint64_t *slot, *from, repl = 0, maddr;
    int16_t rc = GNTST_general_error;

    pv_mm_lock();
    if (new_addr) {
        /* unmap_and_replace: new_addr's entry moves here, its references with it. */
        from = is_pte ? NULL : grant_slot(ld, new_addr, false, &maddr);
        if (!from)
            goto out;
        repl = __atomic_exchange_n(from, 0, __ATOMIC_SEQ_CST);
    }
    slot = grant_slot(ld, host_addr, is_pte, &maddr);
    if (!slot || !grant_pte_matches(*slot, mfn, flags)) {
        if (new_addr) {                               /* Xen drops the taken entry */
            pv_flush_domain_tlbs(ld);
            pte_put_ref(&pv_pt_env, 1, repl);
        }
        goto out;
    }
    grant_slot_write(ld, slot, repl);
    rc = GNTST_okay;
out:
    pv_mm_unlock();
    return rc;
}

void arch_gnttab_release_host(struct domain *ld, uint64_t mfn, uint32_t flags,
                              uint64_t pte_maddr)
{
    uint64_t *slot;

    pv_mm_lock();
    slot = pte_slot(ld->domain_id, pte_maddr);
    if (slot && grant_pte_matches(*slot, mfn, flags))
        grant_slot_write(ld, slot, 0);
    pv_mm_unlock();
}

bool arch_gnttab_pte_present(domid_t ld, uint64_t mfn, uint32_t flags, uint64_t pte_maddr)
{
    uint64_t *slot;
    bool there;

    pv_mm_lock();
    slot = pte_slot(ld, pte_maddr);
    there = slot && grant_pte_matches(*slot, mfn, flags);
    pv_mm_unlock();
    return there;
}

void arch_gnttab_put_device(uint64_t mfn, bool readonly)
{
    struct page_info *pg = frame_of(mfn);

    pv_mm_lock();
    if (!readonly)
        put_page_type(&pv_pt_env, pg);
    put_page(pg);
    pv_mm_unlock();
}

void *arch_gnttab_copy_get(domid_t owner, uint64_t mfn, bool writable, int16_t not_owner_status,
                           int16_t *status)
{
    struct page_info *pg = frame_of(mfn);
    void *va = NULL;

    pv_mm_lock();
    if (!get_page(pg, owner)) {
        *status = not_owner_status;
    } else if (writable && get_page_type(&pv_pt_env, pg, PGT_writable_page)) {
        put_page(pg);
        *status = GNTST_general_error;
    } else {
        va = page_to_virt(pg);
    }
    pv_mm_unlock();
    return va;
}

void arch_gnttab_copy_put(uint64_t mfn, bool writable)
{
    arch_gnttab_put_device(mfn, !writable);
}

struct page_info *arch_gnttab_alloc_frame(domid_t d)
{
    struct page_info *pg = alloc_pages(0);

    if (!pg)
        return NULL;
    memset(page_to_virt(pg), 0, PAGE_SIZE);
    set_m2p(page_to_mfn(pg), INVALID_M2P_ENTRY);
    pv_mm_lock();
    pg->owner = d;
    pg->count_info = PGC_allocated | 2;               /* invariant 3 */
    pg->type_info = PGT_writable_page | 1;
    pv_mm_unlock();
    return pg;
}

void arch_gnttab_free_frame(struct page_info *pg)
{
    bool busy;

    pv_mm_lock();
    /*
     * Never on its domain's page list: as an orphan, its last put (now, or
     * when the last mapping goes) returns it to the heap (frame_released).
     */
    pg->owner = DOMID_INVALID;
    busy = page_get_count(pg) > 2;
    put_page_and_type(&pv_pt_env, pg);                /* the table's hold */
    pg->count_info &= ~PGC_allocated;
    put_page(pg);                                     /* the allocation */
    pv_mm_unlock();
    if (busy)
        printk("grant table frame %lx still mapped: freed at its last unmap\n",
               mfn_x(page_to_mfn(pg)));
}
