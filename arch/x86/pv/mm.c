/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV MMU hypercalls: mmu_update (1), update_va_mapping (14) and
 * mmuext_op (26). A PV guest's page tables are read-only to it; it changes
 * them here, and every change goes through the page-type state machine
 * (hypervisor/page_type.c), which validates the new entry and moves the
 * references. This file supplies that machine's environment (frame table,
 * direct map, TLB) and decodes the guest's requests.
 *
 * Invariants:
 *  1. Every request is copied in and checked before anything changes;
 *     a batch stops at the first failing request, with the ones before it
 *     done and counted in *success_count (Xen's semantics).
 *  2. All page-type transitions happen under mm_lock (start coarse).
 *  3. A vCPU's guest_cr3 / guest_user_cr3 (when non-zero) each hold one
 *     general and one L4 type reference; the CPU is switched to a new
 *     table before the old one's reference is dropped.
 *  4. Guest memory is touched only by copy_from_guest/copy_to_guest; the
 *     guest's frames only through the direct map, after get_page().
 *  5. update_va_mapping and the ptwr path change only L1 entries reached
 *     from the L4 loaded on this CPU, which must be a validated L4 of the
 *     caller; hypervisor addresses (L4 slots 256-271) are -EINVAL.
 *  6. A frame whose last reference goes (frame_released) leaves its
 *     owner at once (M2P_INVALID, off its page list) but returns to the
 *     heap only when the MMU lock is released, after one flush of every
 *     CPU on a guest's page tables: no stale guest mapping reaches its
 *     next owner, and a batch of frames costs one shootdown.
 *  7. TLB flushes reach every CPU that may hold the translation
 *     (context.c invariant 4): a frame leaving the writable type flushes
 *     every CPU on a guest's page tables (a foreign grant mapping may have
 *     held it: coarse, but never stale); the guest's own flush requests
 *     follow Xen 4.17 (below). Flushes are IPIs answered without locks
 *     (smp.c), so they may be sent under the MMU lock, whose waiters
 *     answer them while they spin.
 *
 * ABI corner cases (Xen 4.17): an L1 entry that cannot take its frame
 * (foreign, or a page table mapped writable) is -EBUSY; mmu_update into
 * a plain writable page of the caller stores the value verbatim; pinning
 * twice, unpinning an unpinned frame or pinning a writable-mapped frame is
 * -EINVAL; an unknown mmuext command is -ENOSYS. Foreign domains: only
 * DOMID_SELF (or the caller's id) for now; other reserved ids -EPERM, other
 * ids -ESRCH. No preemption: a batch runs to its end.
 *
 * Flushes (Xen 4.17): MMUEXT_TLB_FLUSH_LOCAL / INVLPG_LOCAL and UVMF_LOCAL
 * flush this CPU; *_ALL and UVMF_ALL every CPU in d->dirty_cpumask;
 * *_MULTI and any other UVMF bitmap value take a guest pointer to a bitmap
 * of d's vCPUs (one 64-bit word per 64 vCPUs, bits past max_vcpus
 * ignored) and flush the CPUs those vCPUs are on. An unreadable bitmap is
 * -EINVAL for mmuext_op and -EFAULT for update_va_mapping, which has
 * already updated the entry by then (and flushes nothing). An INVLPG of a
 * hypervisor address does nothing. update_va_mapping flushes nothing when
 * the update fails.
 */
#include <public/xen.h>
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/perfc.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <asm/context.h>
#include <asm/iomem.h>
#include <asm/layout.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include <asm/pv.h>
#include "pv_mm.h"

static DEFINE_SPINLOCK(mm_lock);   /* protects: every frame's type_info and
                                      count_info after boot, guest PT writes,
                                      released */
static struct list_head released = LIST_HEAD_INIT(released);   /* invariant 6 */

void pv_mm_lock(void)
{
    /* The #PF path spins here with interrupts off: answer the holder's flushes. */
    while (!spin_trylock(&mm_lock)) {
        flush_tlb_service();
        cpu_relax();
    }
}

void pv_mm_unlock(void)
{
    if (!list_empty(&released)) {
        flush_tlb_mask(context_guest_cpus());          /* invariant 6 */
        while (!list_empty(&released)) {
            struct page_info *pg = list_first_entry(&released, struct page_info, list);
            list_del(&pg->list);
            domain_free_page(NULL, pg);
        }
    }
    spin_unlock(&mm_lock);
}

void pv_flush_domain_tlbs(const struct domain *d)
{
    flush_tlb_mask(__atomic_load_n(&d->dirty_cpumask, __ATOMIC_SEQ_CST));
}

static struct page_info *env_frame(const struct pt_env *env, uint64_t mfn)
{
    (void)env;
    return mfn < max_page ? mfn_to_page(_mfn(mfn)) : NULL;
}

static uint64_t *env_table(const struct pt_env *env, struct page_info *pg)
{
    (void)env;
    return page_to_virt(pg);
}

/*
 * A frame that is not RAM a domain owns: I/O memory, which only the
 * privileged domain maps, by arch/x86/iomem.c's rules. d is the domain
 * writing the page table, so it cannot go away under us.
 */
static bool env_io_ok(const struct pt_env *env, domid_t d, uint64_t mfn, bool writable)
{
    const struct domain *dom = domain_lookup(d);

    (void)env, (void)writable;
    return dom && dom->privileged && iomem_hwdom_may_map(mfn);
}

static void env_init_l4(const struct pt_env *env, uint64_t *l4)
{
    (void)env;
    mm_copy_hypervisor_slots(l4);
}

/* A frame leaves the writable type (invariant 7). */
static void env_flush_tlb(const struct pt_env *env)
{
    (void)env;
    perfc_incr(tlb_flush_local);
    flush_tlb_mask(context_guest_cpus());
}

const struct pt_env pv_pt_env = {
    .frame = env_frame,
    .table = env_table,
    .io_ok = env_io_ok,
    .init_l4 = env_init_l4,
    .flush_tlb = env_flush_tlb,
};

static struct page_info *frame_of(uint64_t mfn)
{
    return env_frame(&pv_pt_env, mfn);
}

int pv_get_writable_frame(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = frame_of(mfn);
    int rc;

    if (!pg)
        return -EINVAL;
    pv_mm_lock();
    rc = get_page_and_type(&pv_pt_env, pg, d->domain_id, PGT_writable_page);
    pv_mm_unlock();
    return rc ? -EINVAL : 0;
}

void pv_put_writable_frame(uint64_t mfn)
{
    pv_mm_lock();
    put_page_and_type(&pv_pt_env, frame_of(mfn));
    pv_mm_unlock();
}

/*
 * page_type.c's hook at a frame's last put (invariant 6): its M2P entry
 * goes, it leaves its owner's list, and it waits on released for the
 * flush at pv_mm_unlock(). The owner is looked up without a reference:
 * under the MMU lock, a domain that still owns frames is not torn down,
 * as domain_relinquish_memory() orphans them under this lock first (for
 * an orphan, domain_lookup() finds none).
 */
void frame_released(struct page_info *pg)
{
    struct domain *d = domain_lookup(pg->owner);

    set_m2p(page_to_mfn(pg), M2P_INVALID);
    if (d && page_listed(pg))
        domain_unlist_page(d, pg);
    list_add_tail(&pg->list, &released);
}

int pv_remove_page(struct domain *d, uint64_t mfn)
{
    struct page_info *pg = frame_of(mfn);
    int rc = 0;

    if (!pg)
        return -EINVAL;
    pv_mm_lock();
    if (!get_page(pg, d->domain_id)) {
        rc = -ENXIO;
    } else if (!page_listed(pg)) {
        put_page(pg);
        rc = -ENXIO;                     /* the hypervisor's (shared_info), though d's */
    } else {
        if (pg->count_info & PGC_allocated) {
            pg->count_info &= ~PGC_allocated;
            put_page(pg);                /* never the last: we hold one */
        }
        put_page(pg);
    }
    pv_mm_unlock();
    return rc;
}

int pv_steal_page(struct domain *d, uint64_t mfn, struct page_info **out)
{
    struct page_info *pg = frame_of(mfn);
    int rc = -EINVAL;

    if (!pg)
        return -EINVAL;
    pv_mm_lock();
    if (get_page(pg, d->domain_id)) {
        /* Ours and the allocation's, nothing else's, and d's own memory. */
        if ((pg->count_info & (PGC_count_mask | PGC_allocated)) == (PGC_allocated | 2) &&
            page_listed(pg)) {
            BUG_ON(page_type_count(pg) || (pg->type_info & PGT_pinned));
            pg->count_info = 0;          /* no one can take a reference now */
            pg->type_info = 0;
            domain_unlist_page(d, pg);
            pg->owner = DOMID_INVALID;
            *out = pg;
            rc = 0;
        } else {
            put_page(pg);
        }
    }
    pv_mm_unlock();
    return rc;
}

void pv_free_stolen_page(struct page_info *pg)
{
    pv_mm_lock();
    frame_released(pg);
    pv_mm_unlock();
}

int pv_find_l1e(struct domain *d, uint64_t va, struct page_info **l1, unsigned int *idx)
{
    struct page_info *pg = frame_of(read_cr3() >> PAGE_SHIFT);

    if (!guest_range_ok(va, 1) || !pg || pg->owner != d->domain_id ||
        page_get_type(pg) != PGT_l4_page_table || !(pg->type_info & PGT_validated))
        return -EINVAL;
    /* Invariant 4 of page_type.c: below a validated L4 all is validated. */
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = ((uint64_t *)page_to_virt(pg))[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & _PAGE_PRESENT))
            return -EINVAL;
        pg = frame_of((e & PTE_ADDR_MASK) >> PAGE_SHIFT);
        if (!pg)
            return -EINVAL;
    }
    *l1 = pg;
    *idx = (va >> PAGE_SHIFT) & 511;
    return 0;
}

/* Owner of the frames a request maps: the caller only, for now. */
static int check_foreign(const struct domain *d, uint64_t domid)
{
    if (domid == DOMID_SELF || domid == d->domain_id)
        return 0;
    return domid >= DOMID_FIRST_RESERVED ? -EPERM : -ESRCH;
}

/*
 * A *_MULTI bitmap of d's vCPUs at guest address ptr: the CPUs they are on
 * (Xen's vcpumask_to_pcpumask). 0, or -EFAULT with *cpus 0.
 */
static int vcpumask_to_cpus(const struct domain *d, uint64_t ptr, uint64_t *cpus)
{
    uint64_t words[(MAX_VIRT_CPUS_PER_DOMAIN + 63) / 64];

    *cpus = 0;
    if (copy_from_guest(words, ptr, ((d->max_vcpus + 63) / 64) * 8))
        return -EFAULT;
    for (unsigned int id = 0; id < d->max_vcpus; id++) {
        unsigned int cpu;
        if (!(words[id / 64] & (1ULL << (id % 64))) || !d->vcpu[id])
            continue;
        cpu = READ_ONCE(d->vcpu[id]->dirty_cpu);
        if (cpu != VCPU_CPU_CLEAN)
            *cpus |= 1ULL << cpu;
    }
    return 0;
}

/* The CPUs a UVMF_* bitmap field names (not UVMF_LOCAL). 0 or -EFAULT. */
static int uvmf_cpus(const struct domain *d, uint64_t bmap, uint64_t *cpus)
{
    if (bmap == UVMF_ALL) {
        *cpus = __atomic_load_n(&d->dirty_cpumask, __ATOMIC_SEQ_CST);
        return 0;
    }
    return vcpumask_to_cpus(d, bmap, cpus);
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;
    uint64_t bmap = flags & ~UVMF_FLUSHTYPE_MASK, type = flags & UVMF_FLUSHTYPE_MASK, old, cpus;
    struct page_info *l1;
    unsigned int idx;
    int rc;

    (void)a4, (void)a5;
    pv_mm_lock();
    rc = pv_find_l1e(d, va, &l1, &idx);
    if (!rc)
        rc = pt_update_entry(&pv_pt_env, d->domain_id, l1, idx, val, false, &old);
    pv_mm_unlock();
    if (rc || !type)
        return rc;
    if (bmap == UVMF_LOCAL) {
        if (type == UVMF_TLB_FLUSH)
            flush_tlb_local();
        else
            invlpg((const void *)va);
        return 0;
    }
    /* The update stays even when the bitmap cannot be read (Xen's order). */
    rc = uvmf_cpus(d, bmap, &cpus);
    if (type == UVMF_TLB_FLUSH)
        flush_tlb_mask(cpus);
    else
        flush_tlb_one_mask(cpus, va);
    return rc;
}

/* MMU_NORMAL_PT_UPDATE / PRESERVE_AD: ptr is the entry's machine address. */
static int mmu_pt_update(struct domain *d, uint64_t ptr, uint64_t val, bool preserve_ad)
{
    struct page_info *pg = frame_of(ptr >> PAGE_SHIFT);
    unsigned int idx = (ptr & ~PAGE_MASK) / 8;
    uint64_t old;
    int rc;

    if (ptr & 7)
        return -EINVAL;
    if (!get_page(pg, d->domain_id))
        return -EINVAL;
    if (pt_type_level(page_get_type(pg)) && page_type_count(pg) &&
        (pg->type_info & PGT_validated)) {
        rc = pt_update_entry(&pv_pt_env, d->domain_id, pg, idx, val, preserve_ad, &old);
    } else if (!get_page_type(&pv_pt_env, pg, PGT_writable_page)) {
        /* Not a page table: a plain store, as Xen does. */
        __atomic_store_n((uint64_t *)page_to_virt(pg) + idx, val, __ATOMIC_RELAXED);
        put_page_type(&pv_pt_env, pg);
        rc = 0;
    } else {
        rc = -EINVAL;
    }
    put_page(pg);
    return rc;
}

static int mmu_machphys_update(struct domain *d, uint64_t ptr, uint64_t pfn)
{
    struct page_info *pg = frame_of(ptr >> PAGE_SHIFT);

    if (!get_page(pg, d->domain_id))
        return -EINVAL;
    set_m2p(page_to_mfn(pg), pfn);
    put_page(pg);
    return 0;
}

static int mmu_update_one(struct domain *d, const struct mmu_update *req)
{
    uint64_t cmd = req->ptr & 3, ptr = req->ptr & ~3ULL;
    int rc;

    pv_mm_lock();
    switch (cmd) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
        rc = mmu_pt_update(d, ptr, req->val, cmd == MMU_PT_UPDATE_PRESERVE_AD);
        break;
    case MMU_MACHPHYS_UPDATE:
        rc = mmu_machphys_update(d, ptr, req->val);
        break;
    default:
        rc = -ENOSYS;   /* NO_TRANSLATE: translated guests only */
        break;
    }
    pv_mm_unlock();
    return rc;
}

static void report_done(uint64_t pdone, unsigned int done)
{
    /* Xen ignores a failure to write the count back; so does Satori. */
    if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
        return;
}

long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t domid, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;
    unsigned int done = 0;
    struct mmu_update req;
    int rc;

    (void)a5;
    rc = check_foreign(d, domid);
    for (uint32_t i = 0; !rc && i < (uint32_t)count; i++) {
        rc = copy_from_guest(&req, ureqs + (uint64_t)i * sizeof(req), sizeof(req));
        if (!rc)
            rc = mmu_update_one(d, &req);
        if (!rc)
            done++;
    }
    report_done(pdone, done);
    return rc;
}

/* mmuext_op sub-ops: one function each (caller holds mm_lock). */
typedef int (*mmuext_fn_t)(struct vcpu *v, const struct mmuext_op *op);

static int mmuext_pin(struct vcpu *v, const struct mmuext_op *op)
{
    struct page_info *pg = frame_of(op->arg1.mfn);

    if (!pg)
        return -EINVAL;
    return page_pin(&pv_pt_env, pg, v->domain->domain_id, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
}

static int mmuext_unpin(struct vcpu *v, const struct mmuext_op *op)
{
    struct page_info *pg = frame_of(op->arg1.mfn);

    if (!pg)
        return -EINVAL;
    return page_unpin(&pv_pt_env, pg, v->domain->domain_id);
}

/* Replaces *slot (a base pointer, 0 = none) by mfn's L4 (invariant 3). */
static int switch_baseptr(struct vcpu *v, uint64_t *slot, uint64_t mfn, bool load)
{
    struct page_info *pg = mfn ? frame_of(mfn) : NULL;
    struct page_info *old = *slot ? frame_of(*slot >> PAGE_SHIFT) : NULL;
    int rc;

    if (mfn) {
        if (!pg)
            return -EINVAL;
        rc = get_page_and_type(&pv_pt_env, pg, v->domain->domain_id, PGT_l4_page_table);
        if (rc)
            return rc;
    }
    *slot = mfn << PAGE_SHIFT;
    if (load && mfn)
        write_cr3(*slot);
    if (old)
        put_page_and_type(&pv_pt_env, old);
    return 0;
}

int pv_set_baseptr(struct vcpu *v, bool kernel, uint64_t mfn)
{
    int rc;

    pv_mm_lock();
    rc = switch_baseptr(v, kernel ? &v->guest_cr3 : &v->guest_user_cr3, mfn,
                        v == current_vcpu() && v->kernel_mode == kernel);
    pv_mm_unlock();
    return rc;
}

static int mmuext_new_baseptr(struct vcpu *v, const struct mmuext_op *op)
{
    if (!op->arg1.mfn)
        return -EINVAL;
    return switch_baseptr(v, &v->guest_cr3, op->arg1.mfn, v->kernel_mode);
}

static int mmuext_new_user_baseptr(struct vcpu *v, const struct mmuext_op *op)
{
    return switch_baseptr(v, &v->guest_user_cr3, op->arg1.mfn, !v->kernel_mode);
}

/* The CPUs a flush sub-op names: this one, all of d's, or a vCPU bitmap's. */
static int mmuext_flush_cpus(struct vcpu *v, const struct mmuext_op *op, uint64_t *cpus)
{
    switch (op->cmd) {
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
        *cpus = 1ULL << smp_processor_id();
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        *cpus = __atomic_load_n(&v->domain->dirty_cpumask, __ATOMIC_SEQ_CST);
        return 0;
    default:                            /* *_MULTI */
        return vcpumask_to_cpus(v->domain, (uint64_t)op->arg2.vcpumask.p, cpus) ? -EINVAL : 0;
    }
}

static int mmuext_tlb_flush(struct vcpu *v, const struct mmuext_op *op)
{
    uint64_t cpus;
    int rc = mmuext_flush_cpus(v, op, &cpus);

    if (!rc)
        flush_tlb_mask(cpus);
    return rc;
}

static int mmuext_invlpg(struct vcpu *v, const struct mmuext_op *op)
{
    uint64_t cpus;
    int rc = mmuext_flush_cpus(v, op, &cpus);

    if (!rc && guest_range_ok(op->arg1.linear_addr, 1))
        flush_tlb_one_mask(cpus, op->arg1.linear_addr);
    return rc;
}

/* The LDT lives with the other descriptor tables (descriptor.c). */
static int mmuext_set_ldt(struct vcpu *v, const struct mmuext_op *op)
{
    return (int)pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
}

static int mmuext_clear_page(struct vcpu *v, const struct mmuext_op *op)
{
    struct page_info *pg = frame_of(op->arg1.mfn);
    int rc;

    if (!pg)
        return -EINVAL;
    rc = get_page_and_type(&pv_pt_env, pg, v->domain->domain_id, PGT_writable_page);
    if (rc)
        return rc;
    memset(page_to_virt(pg), 0, PAGE_SIZE);
    put_page_and_type(&pv_pt_env, pg);
    return 0;
}

static int mmuext_copy_page(struct vcpu *v, const struct mmuext_op *op)
{
    struct page_info *dst = frame_of(op->arg1.mfn), *src = frame_of(op->arg2.src_mfn);
    domid_t d = v->domain->domain_id;
    int rc;

    if (!dst || !get_page(src, d))
        return -EINVAL;
    rc = get_page_and_type(&pv_pt_env, dst, d, PGT_writable_page);
    if (!rc) {
        memcpy(page_to_virt(dst), page_to_virt(src), PAGE_SIZE);
        put_page_and_type(&pv_pt_env, dst);
    }
    put_page(src);
    return rc;
}

static const mmuext_fn_t mmuext_fns[] = {
    [MMUEXT_PIN_L1_TABLE] = mmuext_pin,
    [MMUEXT_PIN_L2_TABLE] = mmuext_pin,
    [MMUEXT_PIN_L3_TABLE] = mmuext_pin,
    [MMUEXT_PIN_L4_TABLE] = mmuext_pin,
    [MMUEXT_UNPIN_TABLE] = mmuext_unpin,
    [MMUEXT_NEW_BASEPTR] = mmuext_new_baseptr,
    [MMUEXT_TLB_FLUSH_LOCAL] = mmuext_tlb_flush,
    [MMUEXT_INVLPG_LOCAL] = mmuext_invlpg,
    [MMUEXT_TLB_FLUSH_MULTI] = mmuext_tlb_flush,
    [MMUEXT_INVLPG_MULTI] = mmuext_invlpg,
    [MMUEXT_TLB_FLUSH_ALL] = mmuext_tlb_flush,
    [MMUEXT_INVLPG_ALL] = mmuext_invlpg,
    [MMUEXT_SET_LDT] = mmuext_set_ldt,
    [MMUEXT_NEW_USER_BASEPTR] = mmuext_new_user_baseptr,
    [MMUEXT_CLEAR_PAGE] = mmuext_clear_page,
    [MMUEXT_COPY_PAGE] = mmuext_copy_page,
};

long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t domid, uint64_t a5)
{
    struct vcpu *v = current_vcpu();
    unsigned int done = 0;
    struct mmuext_op op;
    int rc;

    (void)a5;
    rc = check_foreign(v->domain, domid);
    for (uint32_t i = 0; !rc && i < (uint32_t)count; i++) {
        rc = copy_from_guest(&op, uops + (uint64_t)i * sizeof(op), sizeof(op));
        if (rc)
            break;
        if (op.cmd >= ARRAY_SIZE(mmuext_fns) || !mmuext_fns[op.cmd]) {
            rc = -ENOSYS;
            break;
        }
        pv_mm_lock();
        rc = mmuext_fns[op.cmd](v, &op);
        pv_mm_unlock();
        if (!rc)
            done++;
    }
    report_done(pdone, done);
    return rc;
}

/* dom0 builder hooks (before the domain runs; the lock is taken anyway). */
int pv_mm_install_initial_tables(struct vcpu *v, mfn_t l4)
{
    struct page_info *pg = frame_of(mfn_x(l4));
    int rc;

    if (!pg)
        return -EINVAL;
    pv_mm_lock();
    rc = page_pin(&pv_pt_env, pg, v->domain->domain_id, 4);
    if (!rc) {
        v->guest_cr3 = 0;
        rc = switch_baseptr(v, &v->guest_cr3, mfn_x(l4), false);
    }
    pv_mm_unlock();
    return rc;
}
