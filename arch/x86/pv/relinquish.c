/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Relinquishing a PV domain's memory at destroy (Xen's
 * domain_relinquish_resources for a PV guest): every reference the domain
 * holds on frames goes, so each of its frames returns to the heap at its
 * last put (page_type.c invariant 11, frame_released in mm.c).
 *
 * Model. A domain's frames are held by (a) its vCPUs, outside any table:
 * guest_cr3 and guest_user_cr3 (general + L4 type), the registered
 * vcpu_info frame (general + writable type), installed GDT and LDT frames
 * (general + descriptor type), and the domain's pirq EOI bitmap (general +
 * writable type, arch/x86/pirq.c); (b) its pins; (c) its allocation references
 * (PGC_allocated); (d) entries of validated page tables, released when a
 * table's type count reaches 0; (e) other domains (a grant mapping). Type
 * references form a DAG rooted in (a) and (b) (page_type.c invariant 12:
 * no linear page tables), so dropping (a), (b) and (c) releases every
 * table and with it all of (d): no forced invalidation, no cycles.
 *
 * Invariants (checked in debug builds when the call ends):
 *  1. Afterwards d->pages is empty and d->tot_pages is 0; no frame in the
 *     frame table has owner d except hypervisor pages it could map, which
 *     are on no list (its shared_info, see below).
 *  2. A frame still held by another domain is orphaned, not freed: off
 *     d->pages, owner DOMID_INVALID (no one can take a new reference), and
 *     freed by its last put_page like any other frame.
 *  3. d gets no frames once this starts (d->pages_closed, under
 *     d->page_lock): domain_alloc_pages() refuses them.
 *
 * Locks: the MMU lock (pv_mm_lock) over all of it, as over every
 * reference change; d->page_lock around the moves of d->pages. After
 * pages_closed is set, every change to d's page list happens under the MMU
 * lock (frames only leave it, through frame_released). The caller
 * guarantees d runs nowhere: no CPU has its page tables loaded.
 *
 * shared_info is d's frame too (owner d, PGC_allocated) but allocated by
 * the hypervisor and never on d->pages; it stays until
 * domain_relinquish_shared_info(), the last step before d is freed, since
 * the hypervisor may still read it until then.
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/list.h>
#include <satori/mm.h>
#include <satori/pirq.h>
#include <asm/mm.h>
#include <asm/pv.h>
#include "pv_mm.h"

static void put_base(uint64_t *cr3)
{
    if (*cr3)
        put_page_and_type(&pv_pt_env, pv_pt_env.frame(&pv_pt_env, *cr3 >> PAGE_SHIFT));
    *cr3 = 0;
}

/* (a): what v holds outside page tables. Caller holds the MMU lock. */
static void vcpu_release_frames(struct vcpu *v)
{
    put_base(&v->guest_cr3);
    put_base(&v->guest_user_cr3);
    pv_release_descriptor_tables(v);
}

/* Invariant 2. Caller holds the MMU lock. */
static unsigned long orphan_frames(struct domain *d, struct list_head *kept)
{
    unsigned long n = 0;

    for (; !list_empty(kept); n++) {
        struct page_info *pg = list_first_entry(kept, struct page_info, list);

        domain_unlist_page(d, pg);
        pg->owner = DOMID_INVALID;
    }
    return n;
}

#ifdef CONFIG_DEBUG
/* Invariant 1, and every frame d held is accounted for. */
static void check_relinquished(struct domain *d, uint64_t held, uint64_t kept,
                               uint64_t free_before)
{
    uint64_t left = 0;

    for (uint64_t mfn = 0; mfn < max_page; mfn++) {
        const struct page_info *pg = mfn_to_page(_mfn(mfn));
        if (pg->owner == d->domain_id && !page_is_free(pg) && !page_is_reserved(pg) &&
            page_listed(pg))
            left++;
    }
    /* left: frames of d on no page list (its grant-table frames, freed next) */
    printk("relinquish d%u: %lu frames: %lu back to the heap, %lu held by other domains; "
           "heap free pages %lu -> %lu\n", d->domain_id, held, held - kept, kept,
           free_before, heap_free_pages());
    if (left)
        printk("d%u: %lu frame(s) outside its page list (grant table), freed with it\n",
               d->domain_id, left);
    BUG_ON(d->tot_pages || !list_empty(&d->pages));
}
#else
static void check_relinquished(struct domain *d, uint64_t held, uint64_t kept,
                               uint64_t free_before)
{
    (void)d, (void)held, (void)kept, (void)free_before;
}
#endif

void domain_relinquish_memory(struct domain *d)
{
    uint64_t free_before = heap_free_pages(), held = READ_ONCE(d->tot_pages), flags;
    struct list_head pages, kept;
    unsigned long nr_kept;

    pirq_domain_relinquish(d);           /* its IRQs, and the EOI bitmap's frame */

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (v && v->vcpu_info) {
            pv_put_writable_frame(mfn_x(v->vcpu_info_mfn));
            v->vcpu_info = NULL;         /* back to the shared_info slot */
        }
    }
    pv_mm_lock();
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_release_frames(d->vcpu[i]);
    list_init(&pages);
    list_init(&kept);
    flags = spin_lock_irqsave(&d->page_lock);
    d->pages_closed = true;              /* invariant 3 */
    list_move_all(&d->pages, &pages);
    spin_unlock_irqrestore(&d->page_lock, flags);
    page_relinquish(&pv_pt_env, &pages, &kept);
    nr_kept = orphan_frames(d, &kept);
    pv_mm_unlock();
    check_relinquished(d, held, nr_kept, free_before);
}

void domain_relinquish_shared_info(struct domain *d)
{
    struct page_info *pg = mfn_to_page(d->shared_info_mfn);

    pv_mm_lock();
    if (pg->count_info & PGC_allocated) {
        pg->count_info &= ~PGC_allocated;
        put_page(pg);                    /* the last, unless another domain maps it */
    }
    if (pg->owner == d->domain_id && page_get_count(pg))
        pg->owner = DOMID_INVALID;       /* an orphan, as in invariant 2 */
    pv_mm_unlock();
    d->shared_info = NULL;
}
