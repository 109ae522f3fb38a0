/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest descriptor tables: set_gdt (2) installs a guest's GDT frames in the
 * CPU's GDT window; update_descriptor (10) writes one descriptor, checked,
 * into a frame the guest owns; MMUEXT_SET_LDT (through mm.c) installs an
 * LDT from the guest's virtual address. All share the descriptor check.
 * Unlike Xen, which maps LDT pages lazily on first use, the LDT's frames
 * are taken and checked at MMUEXT_SET_LDT: a frame that cannot become a
 * descriptor page fails the call instead of a later segment load.
 *
 * Invariants:
 *  1. A GDT frame has type PGT_seg_desc_page while installed, so the guest
 *     cannot map it writable; its descriptors are checked after the type is
 *     taken, so they cannot change between check and use.
 *  2. Every present descriptor in a guest GDT frame is a code or data
 *     segment of DPL 3 (a lower DPL is raised to 3, as Xen does for 64-bit
 *     PV guests, whose kernels run in ring 3); present system descriptors
 *     (TSS, LDT, gates) are refused: the guest could otherwise reach ring 0.
 *  3. A guest GDT has at most FIRST_RESERVED_GDT_ENTRY (7168) entries: the
 *     hypervisor's own descriptors above that are never guest-visible.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/page_type.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include "pv_mm.h"

#define DESC_S (1ULL << 44)
#define DESC_P (1ULL << 47)
#define DESC_DPL_SHIFT 45
#define DESCS_PER_PAGE (PAGE_SIZE / 8)

/* Invariant 2: fixes *d up in place, or says it cannot be allowed. */
static bool check_descriptor(uint64_t *d)
{
    if (!(*d & DESC_P))
        return true;                       /* cannot be loaded: harmless */
    if (!(*d & DESC_S))
        return false;                      /* a present system descriptor */
    *d |= 3ULL << DESC_DPL_SHIFT;
    return true;
}

static bool check_descriptor_page(struct page_info *pg)
{
    uint64_t *descs = page_to_virt(pg);

    for (unsigned int i = 0; i < DESCS_PER_PAGE; i++)
        if (!check_descriptor(&descs[i]))
            return false;
    return true;
}

static void release_frames(const uint64_t *mfns, unsigned int nr)
{
    for (unsigned int i = 0; i < nr; i++)
        put_page_and_type(&pv_pt_env, pv_pt_env.frame(&pv_pt_env, mfns[i]));
}

/* Caller holds the MM lock. Takes the type of every frame (invariant 1). */
static long take_frames(struct domain *d, const uint64_t *mfns, unsigned int nr)
{
    for (unsigned int i = 0; i < nr; i++) {
        struct page_info *pg = pv_pt_env.frame(&pv_pt_env, mfns[i]);
        if (!pg || get_page_and_type(&pv_pt_env, pg, d->domain_id, PGT_seg_desc_page)) {
            release_frames(mfns, i);
            return -EINVAL;
        }
        if (!check_descriptor_page(pg)) {
            release_frames(mfns, i + 1);
            return -EINVAL;
        }
    }
    return 0;
}

long do_set_gdt(uint64_t frame_list, uint64_t entries, uint64_t a3, uint64_t a4, uint64_t a5)
{
    uint64_t mfns[14];
    unsigned int nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;

    if (entries > FIRST_RESERVED_GDT_ENTRY)          /* invariant 3 */
        return -EINVAL;
    if (copy_from_guest(mfns, frame_list, nr * sizeof(uint64_t)))
        return -EFAULT;
    return pv_set_gdt(current_vcpu(), mfns, entries);
}

long pv_set_gdt(struct vcpu *v, const uint64_t *mfns, uint64_t entries)
{
    struct arch_vcpu *a = &v->arch;
    unsigned int nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE;
    long rc;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -EINVAL;
    pv_mm_lock();
    rc = take_frames(v->domain, mfns, nr);
    if (!rc) {
        release_frames(a->gdt_frames, a->gdt_nr_frames);
        for (unsigned int i = 0; i < nr; i++)
            a->gdt_frames[i] = mfns[i];
        a->gdt_nr_frames = nr;
    }
    pv_mm_unlock();
    if (!rc && v == current_vcpu())
        desc_map_guest_gdt(this_pcpu(), a->gdt_frames, nr);
    return rc;
}

bool pv_gdt_selector_ok(const struct vcpu *v, uint16_t sel, bool code)
{
    const struct arch_vcpu *a = &v->arch;
    unsigned int idx = sel >> 3;
    uint64_t d;

    if ((sel & 4) || !idx || idx >= a->gdt_nr_frames * DESCS_PER_PAGE)
        return false;                      /* LDT, null, or past the GDT */
    d = ((const uint64_t *)__va(a->gdt_frames[idx / DESCS_PER_PAGE] << PAGE_SHIFT))
            [idx % DESCS_PER_PAGE];
    return pv_segment_ar_ok((uint32_t)(d >> 32) & 0x00f0ff00, code);
}

long do_update_descriptor(uint64_t maddr, uint64_t desc, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;
    struct page_info *pg;
    uint64_t type;
    long rc;

    if (maddr & 7)
        return -EINVAL;
    if (!check_descriptor(&desc))
        return -EINVAL;
    pv_mm_lock();
    pg = pv_pt_env.frame(&pv_pt_env, maddr >> PAGE_SHIFT);
    /* a descriptor page stays one; any other frame must be plain memory */
    type = pg && page_get_type(pg) == PGT_seg_desc_page ? PGT_seg_desc_page : PGT_writable_page;
    rc = pg ? get_page_and_type(&pv_pt_env, pg, d->domain_id, type) : -EINVAL;
    if (!rc) {
        ((uint64_t *)page_to_virt(pg))[(maddr & ~PAGE_MASK) / 8] = desc;
        put_page_and_type(&pv_pt_env, pg);
    }
    pv_mm_unlock();
    return rc ? -EINVAL : 0;
}

/* Caller holds the MM lock. The frames backing guest virtual [base, +len). */
static long ldt_frames_of(struct domain *d, uint64_t base, unsigned int nr, uint64_t *mfns)
{
    for (unsigned int i = 0; i < nr; i++) {
        struct page_info *l1;
        unsigned int idx;
        uint64_t pte;
        if (pv_find_l1e(d, base + (uint64_t)i * PAGE_SIZE, &l1, &idx))
            return -EINVAL;
        pte = ((const uint64_t *)page_to_virt(l1))[idx];
        if (!(pte & _PAGE_PRESENT))
            return -EINVAL;
        mfns[i] = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    return 0;
}

/* MMUEXT_SET_LDT. Caller holds the MM lock. */
long pv_set_ldt(struct vcpu *v, uint64_t base, uint64_t ents)
{
    struct arch_vcpu *a = &v->arch;
    uint64_t mfns[16];
    unsigned int nr = (unsigned int)((ents * 8 + PAGE_SIZE - 1) / PAGE_SIZE);
    long rc;

    if ((base & ~PAGE_MASK) || ents > 8192 || (ents && !guest_range_ok(base, ents * 8)))
        return -EINVAL;
    rc = ldt_frames_of(v->domain, base, nr, mfns);
    if (!rc)
        rc = take_frames(v->domain, mfns, nr);
    if (rc)
        return rc;
    release_frames(a->ldt_frames, a->ldt_nr_frames);
    for (unsigned int i = 0; i < nr; i++)
        a->ldt_frames[i] = mfns[i];
    a->ldt_nr_frames = nr;
    a->ldt_ents = ents;
    desc_map_guest_ldt(this_pcpu(), a->ldt_frames, nr, ents);
    return 0;
}

/* Domain destroy: v's GDT and LDT frames go back. Caller holds the MM lock. */
void pv_release_descriptor_tables(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    release_frames(a->gdt_frames, a->gdt_nr_frames);
    release_frames(a->ldt_frames, a->ldt_nr_frames);
    a->gdt_nr_frames = 0;
    a->ldt_nr_frames = 0;
    a->ldt_ents = 0;
}
