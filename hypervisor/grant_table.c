/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * grant_table_op (20): grant tables, version 1, for PV guests: every
 * GNTTABOP_* but transfer and cache_flush, and the tables' lifecycle.
 *
 * Model. A domain's grant table is an array of 8-byte entries (flags,
 * domid, frame) in frames shared with it, which it fills to let domid map
 * or copy one of its frames. Beside it the hypervisor keeps one active
 * entry per grant (the pin: how many mappings and copies hold it, by kind;
 * who holds it; which frame) and, per domain, a maptrack: the handles of
 * the mappings that domain holds (gnttab_state.c). Mapping pins the grant
 * and marks the shared entry GTF_reading (and GTF_writing), takes frame
 * references and writes a PTE (arch/x86/pv/grant.c); unmapping undoes it.
 * The table starts with one frame and grows on GNTTABOP_setup_table up to
 * gnttab_max_frames (64); the maptrack grows by 256 handles up to
 * gnttab_max_maptrack_frames (1024) chunks.
 *
 * Invariants (1-4: gnttab_state.c; tests/guests/grant.c checks the rest):
 *  5. A grant is pinned iff a mapping or a copy in progress holds it; while
 *     pinned, its holder domain and frame are fixed and only that domain
 *     may add pins. Its shared entry has GTF_reading while pinned and
 *     GTF_writing while pinned writable, unless the guest cleared them.
 *  6. A host mapping's references (one general, and the writable type if
 *     RW) belong to the PTE it wrote, exactly as if mmu_update had
 *     validated that PTE (Xen's model in a release build): whoever removes
 *     the PTE drops them. That is unmap, unmap_and_replace or teardown
 *     here, each only after checking the PTE still maps the grant's frame
 *     with the grant's RW; or the guest itself, overwriting the PTE with
 *     mmu_update/update_va_mapping/a trapped write, or unpinning the L1.
 *     Either way the page-type machine's counts stay exact: no reference
 *     is dropped twice and none outlives its PTE. A guest that overwrote
 *     a grant PTE keeps the handle and the pin (unmap: general_error)
 *     until it dies, as on Xen.
 *  7. A device mapping holds its references (general, + writable type if
 *     RW) in the maptrack until its unmap or the holder's teardown.
 *  8. Each maptrack entry in use holds a reference on its granter's table.
 *     A table is freed when its owner was destroyed and no entry refers to
 *     it, so a granter's frames and entries outlive it while mapped.
 *  9. Validate, then commit: a failed map, unmap or copy leaves pins,
 *     GTF_* bits, references, PTEs and the maptrack as they were (except
 *     unmap_and_replace's taken new_addr entry, as on Xen).
 *
 * Another domain is used under a reference (domain_get, which refuses a
 * dying one) only as long as it takes to find its table, which has its
 * own reference count (invariant 8).
 *
 * Locks. gnttab_lifetime_lock protects every d->grant_table pointer: held
 * only to read one and take a reference. gt->lock protects gt's frames,
 * active entries and maptrack, and the GTF_* bits set in its shared
 * entries; two tables' locks are taken lower domain id first (ties: lower
 * address). Grant locks nest outside the MMU lock (the arch_gnttab_* hooks
 * take it) and the allocators'. Only hypercalls use grant tables, so no
 * lock here is taken with interrupts off.
 *
 * ABI corner cases (Xen 4.17, pinned by tests/guests/grant.c): cmd bits
 * above 11 or a negative count are -EINVAL, an unknown cmd -ENOSYS, a
 * batch reaching outside guest space -EFAULT before anything is done.
 * map_grant_ref: no host/device flag is GNTST_bad_gntref; dom is looked up
 * by id only (DOMID_SELF: bad_domain), and a dying domain's grants are
 * bad_domain too; a full maptrack is GNTST_no_space,
 * checked before the ref; a grant not for the caller, or read-only mapped
 * writable, is general_error; a frame not the granter's bad_page; no TLB
 * flush follows. dev_bus_addr comes back for every map. A pin counter
 * full at 128 is general_error. An ended grant still pinned admits more
 * mappings of the kinds pinned. unmap: a host-only mapping ignores
 * dev_bus_addr, a device mapping's wrong one is bad_dev_addr; host_addr
 * or dev_bus_addr 0 skips that half (GNTST_okay even if nothing is done).
 * copy: raw frames only of DOMID_SELF (permission_denied), the bounds
 * check (bad_copy_arg) after both sides are claimed. set_version: 2 is
 * -ENOSYS (Xen with gnttab=max-ver:1), others but 1 -EINVAL, the current
 * version written back either way. get_version of no domain: -ESRCH.
 * Satori has no continuations: a batch runs to its end.
 */
#include <public/xen.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/grant_table.h>
#include <satori/hypercall.h>
#include <satori/mm.h>
#include <satori/nospec.h>
#include <satori/page_audit.h>
#include <satori/params.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <asm/mm.h>
#include <asm/uaccess.h>
#include "grant_table_priv.h"

#define GNTTAB_CMD_MASK 0xfffU               /* higher bits: continuation state */
#define SHGNT_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GNTTAB_MAX_FRAMES_LIMIT 1024U        /* cap on gnttab_max_frames */
#define GNTMAP_halves (GNTMAP_device_map | GNTMAP_host_map)

struct gnttab_active {
    uint32_t pin;                /* GNTPIN_* counts; 0: not in use */
    domid_t domid;               /* the pin's holder */
    uint64_t mfn;                /* the frame pinned */
};

struct grant_table {
    spinlock_t lock;             /* see the file comment */
    uint32_t refs;               /* atomic: owner's + one per maptrack entry naming it */
    domid_t domain_id;
    bool dead;                   /* the owner was destroyed */
    uint32_t nr_frames, max_frames;
    struct page_info **frame;    /* [max_frames]: the shared frames */
    struct gnttab_active **active;   /* [max_frames]: SHGNT_PER_FRAME each */
    struct gnttab_maptrack maptrack; /* the mappings this domain holds */
};

static DEFINE_SPINLOCK(gnttab_lifetime_lock);   /* protects: every d->grant_table */

static void gnttab_free(struct grant_table *gt);

static void gnttab_get(struct grant_table *gt)
{
    __atomic_add_fetch(&gt->refs, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; the last frees gt. Caller holds no grant lock. */
static void gnttab_put(struct grant_table *gt)
{
    if (!__atomic_sub_fetch(&gt->refs, 1, __ATOMIC_ACQ_REL))
        gnttab_free(gt);
}

/* d's table, with a reference; NULL if there is no d or it is going. */
static struct grant_table *gnttab_of(struct domain *d)
{
    struct grant_table *gt;

    if (!d)
        return NULL;
    spin_lock(&gnttab_lifetime_lock);
    gt = d->grant_table;
    if (gt)
        gnttab_get(gt);
    spin_unlock(&gnttab_lifetime_lock);
    return gt;
}

static bool lock_before(const struct grant_table *a, const struct grant_table *b)
{
    return a->domain_id != b->domain_id ? a->domain_id < b->domain_id : a < b;
}

static void lock_pair(struct grant_table *a, struct grant_table *b)
{
    if (a != b && lock_before(b, a))
        spin_lock(&b->lock);
    spin_lock(&a->lock);
    if (a != b && lock_before(a, b))
        spin_lock(&b->lock);
}

static void unlock_pair(struct grant_table *a, struct grant_table *b)
{
    if (a != b)
        spin_unlock(&b->lock);
    spin_unlock(&a->lock);
}

/*
 * The domain an op names by DOMID_SELF or id: the caller's own (no
 * reference), or another one with a reference (gnttab_put_domain). NULL
 * if there is none or it is dying (Xen: GNTST_bad_domain / -ESRCH).
 */
static struct domain *gnttab_get_domain(struct domain *cur, domid_t id)
{
    return id == DOMID_SELF || id == cur->domain_id ? cur : domain_get(id);
}

static void gnttab_put_domain(struct domain *cur, struct domain *d)
{
    if (d && d != cur)
        domain_put(d);
}

/* The table of the domain an op names (a reference on it), or NULL. */
static struct grant_table *gnttab_of_id(struct domain *cur, domid_t id)
{
    struct domain *d = gnttab_get_domain(cur, id);
    struct grant_table *gt = gnttab_of(d);

    gnttab_put_domain(cur, d);
    return gt;
}

/* Xen's XSM_TARGET: a domain itself, or a privileged one. */
static bool may_target(const struct domain *cur, const struct domain *d)
{
    return cur == d || cur->privileged;
}

/* The table of the domain id names (a reference on it), and whether cur may act on it. */
static bool gnttab_target(struct domain *cur, domid_t id, struct grant_table **gt, bool *allowed)
{
    struct domain *d = gnttab_get_domain(cur, id);

    *gt = gnttab_of(d);
    *allowed = d && may_target(cur, d);
    gnttab_put_domain(cur, d);
    return *gt != NULL;
}

/* Entries: caller holds gt->lock and checked ref < nr_entries(gt). */
static uint32_t nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * SHGNT_PER_FRAME;
}

static grant_entry_v1_t *shared_entry(const struct grant_table *gt, grant_ref_t ref)
{
    ref = (grant_ref_t)array_index_nospec(ref, nr_entries(gt));
    return (grant_entry_v1_t *)page_to_virt(gt->frame[ref / SHGNT_PER_FRAME]) +
           ref % SHGNT_PER_FRAME;
}

static struct gnttab_active *active_entry(const struct grant_table *gt, grant_ref_t ref)
{
    ref = (grant_ref_t)array_index_nospec(ref, nr_entries(gt));
    return &gt->active[ref / SHGNT_PER_FRAME][ref % SHGNT_PER_FRAME];
}

/* Caller holds gt->lock. Grows gt to n frames, all or nothing: 0 or -ENOMEM. */
static int gnttab_grow(struct grant_table *gt, uint32_t n)
{
    uint32_t was = gt->nr_frames;

    for (uint32_t i = was; i < n; i++) {
        gt->active[i] = xzalloc_bytes(SHGNT_PER_FRAME * sizeof(struct gnttab_active));
        gt->frame[i] = gt->active[i] ? arch_gnttab_alloc_frame(gt->domain_id) : NULL;
        if (!gt->frame[i]) {
            xfree(gt->active[i]);
            while (i-- > was) {
                arch_gnttab_free_frame(gt->frame[i]);
                xfree(gt->active[i]);
            }
            return -ENOMEM;
        }
    }
    gt->nr_frames = MAX(was, n);
    return 0;
}

static void gnttab_free(struct grant_table *gt)
{
    for (uint32_t i = 0; i < gt->nr_frames; i++) {
        arch_gnttab_free_frame(gt->frame[i]);
        xfree(gt->active[i]);
    }
    for (uint32_t i = 0; i < gt->maptrack.nr_chunks; i++)
        xfree(gt->maptrack.chunk[i]);
    xfree(gt->maptrack.chunk);
    xfree(gt->frame);
    xfree(gt->active);
    xfree(gt);
}

int grant_table_init(struct domain *d)
{
    uint32_t max = (uint32_t)MIN(MAX(opts.gnttab_max_frames, 1), GNTTAB_MAX_FRAMES_LIMIT);
    uint32_t max_mt = (uint32_t)MIN(opts.gnttab_max_maptrack_frames, 1U << 16);
    struct grant_table *gt = xzalloc(struct grant_table);

    if (!gt)
        return -ENOMEM;
    spin_lock_init(&gt->lock);
    gt->refs = 1;
    gt->domain_id = d->domain_id;
    gt->max_frames = max;
    gt->frame = xzalloc_bytes(max * sizeof(*gt->frame));
    gt->active = xzalloc_bytes(max * sizeof(*gt->active));
    gnttab_maptrack_init(&gt->maptrack, xzalloc_bytes((max_mt + 1) * sizeof(void *)), max_mt);
    if (!gt->frame || !gt->active || !gt->maptrack.chunk || gnttab_grow(gt, 1)) {
        gnttab_free(gt);
        return -ENOMEM;
    }
    spin_lock(&gnttab_lifetime_lock);
    d->grant_table = gt;
    spin_unlock(&gnttab_lifetime_lock);
    return 0;
}

grant_entry_v1_t *gnttab_entry_of(struct domain *d, grant_ref_t ref)
{
    struct grant_table *gt = d->grant_table;
    grant_entry_v1_t *e = NULL;

    spin_lock(&gt->lock);
    if (ref < nr_entries(gt))
        e = shared_entry(gt, ref);
    spin_unlock(&gt->lock);
    return e;
}

/* Caller holds lgt->lock. A free handle of lgt, growing its maptrack. */
static uint32_t maptrack_get(struct grant_table *lgt)
{
    struct gnttab_maptrack *mt = &lgt->maptrack;
    uint32_t h = gnttab_maptrack_get(mt);
    struct gnttab_mapping *chunk;

    if (h != GNTTAB_NO_HANDLE || mt->nr_chunks >= mt->max_chunks)
        return h;
    chunk = xmalloc_bytes(GNTTAB_MAPTRACK_PER_FRAME * sizeof(*chunk), 16);
    return chunk ? gnttab_maptrack_add_chunk(mt, chunk) : GNTTAB_NO_HANDLE;
}

/* Caller holds both locks; map_grant_ref from ld of rgt's grant (handle h). */
static int16_t map_locked(struct domain *ld, struct grant_table *lgt, struct grant_table *rgt,
                          struct gnttab_map_grant_ref *op, uint32_t h)
{
    bool ro = op->flags & GNTMAP_readonly, first;
    uint32_t incr = gnttab_map_pin_incr(op->flags);
    struct gnttab_mapping *m = gnttab_maptrack_entry(&lgt->maptrack, h);
    struct gnttab_active *act;
    grant_entry_v1_t *e;
    uint64_t mfn, pte = 0;
    int16_t rc;

    if (rgt->dead)
        return GNTST_bad_domain;
    if (op->ref >= nr_entries(rgt))
        return GNTST_bad_gntref;
    act = active_entry(rgt, op->ref);
    e = shared_entry(rgt, op->ref);
    if (act->pin && (act->domid != ld->domain_id || gnttab_pin_overflows(act->pin, incr)))
        return GNTST_general_error;                   /* invariants 1, 5 */
    first = !act->pin;
    if (first || (!ro && !(act->pin & GNTPIN_w_mask))) {
        rc = gnttab_entry_acquire(e, ld->domain_id, !first, ro, true);
        if (rc)
            return rc;
    }
    mfn = first ? READ_ONCE(e->frame) : act->mfn;
    rc = arch_gnttab_map(ld, rgt->domain_id, mfn, op->flags, op->host_addr, first, &pte);
    if (rc) {
        gnttab_entry_clear(e, gnttab_unpin_flags(act->pin, !ro));   /* invariant 9 */
        return rc;
    }
    act->domid = ld->domain_id;
    act->mfn = mfn;
    act->pin += incr;
    gnttab_get(rgt);                                  /* invariant 8 */
    m->rgt = rgt;
    m->ref = op->ref;
    m->domid = rgt->domain_id;
    m->pte_maddr = pte;
    m->flags = (uint16_t)op->flags;
    op->handle = h;
    op->dev_bus_addr = mfn << PAGE_SHIFT;
    return GNTST_okay;
}

int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt = ld->grant_table, *rgt;
    uint32_t h;
    int16_t rc;

    if (!(op->flags & GNTMAP_halves))
        return GNTST_bad_gntref;
    /* By id only: DOMID_SELF names no domain here (Xen). A dying one is refused. */
    rgt = op->dom == DOMID_SELF ? NULL : gnttab_of_id(ld, op->dom);
    if (!rgt)
        return GNTST_bad_domain;
    lock_pair(lgt, rgt);
    h = maptrack_get(lgt);
    rc = h == GNTTAB_NO_HANDLE ? GNTST_no_space : map_locked(ld, lgt, rgt, op, h);
    if (rc && h != GNTTAB_NO_HANDLE)
        gnttab_maptrack_put(&lgt->maptrack, h);
    unlock_pair(lgt, rgt);
    gnttab_put(rgt);
    return rc;
}

static long gnttab_map(struct domain *ld, void *arg)
{
    struct gnttab_map_grant_ref *op = arg;

    op->status = gnttab_map_one(ld, op);
    return 0;
}

/*
 * Caller holds both locks. The halves done of mapping m (handle h) were
 * undone by the caller: unpins them, clears GTF_* bits, and frees the
 * handle once no half is left; true if it did (the caller then drops the
 * entry's reference on rgt, with no lock held).
 */
static bool unmap_done(struct grant_table *lgt, struct grant_table *rgt,
                       struct gnttab_mapping *m, uint32_t h, uint16_t done)
{
    bool ro = m->flags & GNTMAP_readonly;
    struct gnttab_active *act = active_entry(rgt, m->ref);

    act->pin -= gnttab_map_pin_incr(done | (ro ? GNTMAP_readonly : 0));
    gnttab_entry_clear(shared_entry(rgt, m->ref), gnttab_unpin_flags(act->pin, !ro));
    m->flags &= ~done;
    if (m->flags & GNTMAP_halves)
        return false;
    m->flags = 0;
    gnttab_maptrack_put(&lgt->maptrack, h);
    return true;
}

struct unmap_req {
    uint64_t host_addr, dev_bus_addr, new_addr;
    uint32_t handle;
};

/* Caller holds both locks; m is in use. *freed: see unmap_done(). */
static int16_t unmap_locked(struct domain *ld, struct grant_table *lgt,
                            struct grant_table *rgt, struct gnttab_mapping *m,
                            const struct unmap_req *u, bool *freed)
{
    uint64_t mfn = active_entry(rgt, m->ref)->mfn;
    uint16_t done = 0;
    int16_t rc;

    if (u->dev_bus_addr && (m->flags & GNTMAP_device_map) &&
        u->dev_bus_addr != mfn << PAGE_SHIFT)
        return GNTST_bad_dev_addr;
    if (u->host_addr && (m->flags & GNTMAP_host_map)) {
        rc = arch_gnttab_unmap_host(ld, mfn, m->flags, u->host_addr, u->new_addr);
        if (rc)
            return rc;
        done |= GNTMAP_host_map;
    }
    if (u->dev_bus_addr && (m->flags & GNTMAP_device_map)) {
        arch_gnttab_put_device(mfn, m->flags & GNTMAP_readonly);
        done |= GNTMAP_device_map;
    }
    if (done)
        *freed = unmap_done(lgt, rgt, m, u->handle, done);
    return GNTST_okay;
}

/* Domain teardown: caller holds both locks; undoes all of m. */
static int16_t release_locked(struct domain *ld, struct grant_table *lgt,
                              struct grant_table *rgt, struct gnttab_mapping *m,
                              const struct unmap_req *u, bool *freed)
{
    uint64_t mfn = active_entry(rgt, m->ref)->mfn;

    if (m->flags & GNTMAP_host_map)
        arch_gnttab_release_host(ld, mfn, m->flags, m->pte_maddr);
    if (m->flags & GNTMAP_device_map)
        arch_gnttab_put_device(mfn, m->flags & GNTMAP_readonly);
    *freed = unmap_done(lgt, rgt, m, u->handle, m->flags & GNTMAP_halves);
    return GNTST_okay;
}

typedef int16_t (*undo_fn_t)(struct domain *ld, struct grant_table *lgt,
                             struct grant_table *rgt, struct gnttab_mapping *m,
                             const struct unmap_req *u, bool *freed);

/* Looks handle u->handle up in ld's maptrack and runs fn on it with both locks. */
static int16_t with_mapping(struct domain *ld, const struct unmap_req *u, undo_fn_t fn)
{
    struct grant_table *lgt = ld->grant_table, *rgt;
    struct gnttab_mapping *m;
    bool freed = false;
    int16_t rc;

    spin_lock(&lgt->lock);
    m = gnttab_maptrack_entry(&lgt->maptrack, u->handle);
    if (!m || !m->flags) {
        spin_unlock(&lgt->lock);
        return GNTST_bad_handle;
    }
    rgt = m->rgt;
    gnttab_get(rgt);              /* m's own reference keeps it alive till here */
    spin_unlock(&lgt->lock);
    lock_pair(lgt, rgt);
    /* Chunks are never freed: m is valid; another vCPU may have unmapped it. */
    rc = m->flags && m->rgt == rgt ? fn(ld, lgt, rgt, m, u, &freed) : GNTST_bad_handle;
    unlock_pair(lgt, rgt);
    if (freed)
        gnttab_put(rgt);
    gnttab_put(rgt);
    return rc;
}

int16_t gnttab_unmap_one(struct domain *ld, const struct gnttab_unmap_grant_ref *op)
{
    struct unmap_req u = { op->host_addr, op->dev_bus_addr, 0, op->handle };

    return with_mapping(ld, &u, unmap_locked);
}

static long gnttab_unmap(struct domain *ld, void *arg)
{
    struct gnttab_unmap_grant_ref *op = arg;

    op->status = gnttab_unmap_one(ld, op);
    return 0;
}

static long gnttab_unmap_and_replace(struct domain *ld, void *arg)
{
    struct gnttab_unmap_and_replace *op = arg;
    struct unmap_req u = { op->host_addr, 0, op->new_addr, op->handle };

    op->status = with_mapping(ld, &u, unmap_locked);
    return 0;
}

void grant_table_release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    uint32_t limit;

    if (!gt)
        return;
    spin_lock(&gt->lock);
    limit = gnttab_maptrack_limit(&gt->maptrack);
    spin_unlock(&gt->lock);
    for (uint32_t h = 0; h < limit; h++) {
        struct unmap_req u = { .handle = h };
        (void)with_mapping(d, &u, release_locked);
    }
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (!gt)
        return;
    grant_table_release_mappings(d);
    spin_lock(&gnttab_lifetime_lock);
    d->grant_table = NULL;
    spin_unlock(&gnttab_lifetime_lock);
    spin_lock(&gt->lock);
    gt->dead = true;
    spin_unlock(&gt->lock);
    gnttab_put(gt);                                   /* invariant 8 */
}


/* One side of a copy: a grant (gt set) or a raw frame of the caller's. */
struct copy_side {
    struct grant_table *gt;      /* NULL: raw frame */
    grant_ref_t ref;
    uint64_t mfn;
    char *va;                    /* claimed: its direct-map address */
    bool writable;
};

/* Caller holds s->gt's lock. Pins grant s->ref for copying (Xen's acquire). */
static int16_t copy_pin_locked(struct domain *ld, struct copy_side *s)
{
    struct grant_table *gt = s->gt;
    bool ro = !s->writable, first;
    uint32_t incr = ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    struct gnttab_active *act;
    grant_entry_v1_t *e;
    int16_t rc;

    if (gt->dead)
        return GNTST_bad_domain;
    if (s->ref >= nr_entries(gt))
        return GNTST_bad_gntref;
    act = active_entry(gt, s->ref);
    e = shared_entry(gt, s->ref);
    if (act->pin && (act->domid != ld->domain_id || gnttab_pin_overflows(act->pin, incr)))
        return GNTST_general_error;
    first = !act->pin;
    if (first || (!ro && !(act->pin & GNTPIN_w_mask))) {
        rc = gnttab_entry_acquire(e, ld->domain_id, !first, ro, false);
        if (rc)
            return rc;
        s->mfn = first ? READ_ONCE(e->frame) : act->mfn;
        s->va = arch_gnttab_copy_get(gt->domain_id, s->mfn, s->writable, GNTST_bad_page, &rc);
    } else {
        s->mfn = act->mfn;
        s->va = arch_gnttab_copy_get(gt->domain_id, s->mfn, s->writable, GNTST_bad_domain, &rc);
    }
    if (!s->va) {
        gnttab_entry_clear(e, gnttab_unpin_flags(act->pin, !ro));
        return rc;
    }
    act->domid = ld->domain_id;
    act->mfn = s->mfn;
    act->pin += incr;
    return GNTST_okay;
}

/* Claims one side: the grant pinned, or the raw frame, with its references. */
static int16_t copy_claim(struct domain *ld, struct copy_side *s)
{
    int16_t rc;

    if (!s->gt) {
        s->va = arch_gnttab_copy_get(ld->domain_id, s->mfn, s->writable, GNTST_bad_page, &rc);
        return s->va ? GNTST_okay : rc;
    }
    spin_lock(&s->gt->lock);
    rc = copy_pin_locked(ld, s);
    spin_unlock(&s->gt->lock);
    return rc;
}

static void copy_release(struct copy_side *s)
{
    if (s->gt && s->va) {
        struct gnttab_active *act;

        spin_lock(&s->gt->lock);
        act = active_entry(s->gt, s->ref);
        act->pin -= s->writable ? GNTPIN_hstw_inc : GNTPIN_hstr_inc;
        gnttab_entry_clear(shared_entry(s->gt, s->ref), gnttab_unpin_flags(act->pin, s->writable));
        spin_unlock(&s->gt->lock);
    }
    if (s->va)
        arch_gnttab_copy_put(s->mfn, s->writable);
    if (s->gt)
        gnttab_put(s->gt);
}

/* Names one side: a grant of domid (which must exist), or a raw frame of DOMID_SELF. */
static int16_t copy_side_init(struct domain *ld, const struct gnttab_copy_ptr *p, bool is_gref,
                              bool writable, struct copy_side *s)
{
    s->writable = writable;
    if (!is_gref) {
        s->mfn = p->u.gmfn;
        if (p->domid != DOMID_SELF)
            return GNTST_permission_denied;
        return GNTST_okay;
    }
    s->ref = p->u.ref;
    s->gt = gnttab_of_id(ld, p->domid);
    return s->gt ? GNTST_okay : GNTST_bad_domain;
}

static int16_t copy_one(struct domain *ld, const struct gnttab_copy *op)
{
    struct copy_side src = { 0 }, dst = { 0 };
    int16_t rc;

    rc = copy_side_init(ld, &op->source, op->flags & GNTCOPY_source_gref, false, &src);
    if (!rc)
        rc = copy_side_init(ld, &op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
    if (!rc)
        rc = copy_claim(ld, &src);
    if (!rc)
        rc = copy_claim(ld, &dst);
    if (!rc && (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;
    if (!rc)
        memmove(dst.va + op->dest.offset, src.va + op->source.offset, op->len);
    copy_release(&dst);
    copy_release(&src);
    return rc;
}

static long gnttab_copy(struct domain *ld, void *arg)
{
    struct gnttab_copy *op = arg;

    op->status = copy_one(ld, op);
    return 0;
}

static long gnttab_setup_table(struct domain *ld, void *arg)
{
    struct gnttab_setup_table *op = arg;
    uint64_t list = (uint64_t)op->frame_list.p;
    struct grant_table *gt;
    bool allowed;

    if (!guest_range_ok(list, (uint64_t)op->nr_frames * sizeof(xen_pfn_t)))
        return -EFAULT;
    if (!gnttab_target(ld, op->dom, &gt, &allowed)) {
        op->status = GNTST_bad_domain;
        return 0;
    }
    spin_lock(&gt->lock);
    if (!allowed)
        op->status = GNTST_permission_denied;
    else if (op->nr_frames > gt->max_frames || gnttab_grow(gt, op->nr_frames))
        op->status = GNTST_general_error;
    else
        op->status = GNTST_okay;
    for (uint32_t i = 0; op->status == GNTST_okay && i < op->nr_frames; i++) {
        xen_pfn_t mfn = mfn_x(page_to_mfn(gt->frame[i]));
        if (copy_to_guest(list + i * sizeof(mfn), &mfn, sizeof(mfn)))
            op->status = GNTST_bad_virt_addr;
    }
    spin_unlock(&gt->lock);
    gnttab_put(gt);
    return 0;
}

static long gnttab_query_size(struct domain *ld, void *arg)
{
    struct gnttab_query_size *op = arg;
    struct grant_table *gt;
    bool allowed;

    if (!gnttab_target(ld, op->dom, &gt, &allowed)) {
        op->status = GNTST_bad_domain;
        return 0;
    }
    if (allowed) {
        spin_lock(&gt->lock);
        op->nr_frames = gt->nr_frames;
        op->max_nr_frames = gt->max_frames;
        spin_unlock(&gt->lock);
        op->status = GNTST_okay;
    } else {
        op->status = GNTST_permission_denied;
    }
    gnttab_put(gt);
    return 0;
}

/* Version 1 only: as Xen booted with gnttab=max-ver:1. */
static long gnttab_set_version(struct domain *ld, void *arg)
{
    struct gnttab_set_version *op = arg;
    long rc = op->version == 1 ? 0 : op->version == 2 ? -ENOSYS : -EINVAL;

    op->version = 1;
    return rc;
}

static long gnttab_get_version(struct domain *ld, void *arg)
{
    struct gnttab_get_version *op = arg;
    struct domain *d = gnttab_get_domain(ld, op->dom);
    bool allowed = d && may_target(ld, d);

    gnttab_put_domain(ld, d);
    if (!d)
        return -ESRCH;
    if (!allowed)
        return -EPERM;
    op->version = 1;
    return 0;
}

/* Version 1 has no status frames: asking for none is all that succeeds. */
static long gnttab_get_status_frames(struct domain *ld, void *arg)
{
    struct gnttab_get_status_frames *op = arg;
    struct domain *d = gnttab_get_domain(ld, op->dom);

    if (!d)
        op->status = GNTST_bad_domain;
    else if (!may_target(ld, d))
        op->status = GNTST_permission_denied;
    else
        op->status = op->nr_frames ? GNTST_general_error : GNTST_okay;
    gnttab_put_domain(ld, d);
    return 0;
}

static int16_t swap_one(struct grant_table *gt, grant_ref_t a, grant_ref_t b)
{
    uint64_t *ea, *eb, t;

    if (a >= nr_entries(gt) || b >= nr_entries(gt))
        return GNTST_bad_gntref;
    if (a == b)
        return GNTST_okay;
    if (active_entry(gt, a)->pin || active_entry(gt, b)->pin)
        return GNTST_eagain;
    ea = (uint64_t *)shared_entry(gt, a);
    eb = (uint64_t *)shared_entry(gt, b);
    t = READ_ONCE(*ea);
    WRITE_ONCE(*ea, READ_ONCE(*eb));
    WRITE_ONCE(*eb, t);
    return GNTST_okay;
}

static long gnttab_swap_grant_ref(struct domain *ld, void *arg)
{
    struct gnttab_swap_grant_ref *op = arg;
    struct grant_table *gt = ld->grant_table;

    spin_lock(&gt->lock);
    op->status = swap_one(gt, op->ref_a, op->ref_b);
    spin_unlock(&gt->lock);
    return 0;
}

/*
 * The sub-ops: argument size, and what goes back (the whole argument or
 * one field). BATCH ops take count arguments, each copied in, done and
 * copied back in turn; ONE ops require count == 1; ANY ops ignore count.
 * The result goes back when the worker returns >= 0, or always (set_version).
 */
enum { BATCH, ONE, ANY };

struct gnttab_subop {
    long (*fn)(struct domain *ld, void *arg);
    uint16_t size, out_off, out_len;
    uint8_t count_rule;
    bool out_on_error;
};

#define FIELD(t, f) __builtin_offsetof(t, f), sizeof(((t *)0)->f)
#define WHOLE(t) 0, sizeof(t)
#define OP(name, fn, t, out, rule, err) \
    [GNTTABOP_##name] = { fn, sizeof(t), out, rule, err }
static const struct gnttab_subop gnttab_ops[] = {
    OP(map_grant_ref, gnttab_map, struct gnttab_map_grant_ref,
       WHOLE(struct gnttab_map_grant_ref), BATCH, false),
    OP(unmap_grant_ref, gnttab_unmap, struct gnttab_unmap_grant_ref,
       FIELD(struct gnttab_unmap_grant_ref, status), BATCH, false),
    OP(setup_table, gnttab_setup_table, struct gnttab_setup_table,
       FIELD(struct gnttab_setup_table, status), ONE, false),
    OP(copy, gnttab_copy, struct gnttab_copy, FIELD(struct gnttab_copy, status), BATCH, false),
    OP(query_size, gnttab_query_size, struct gnttab_query_size,
       WHOLE(struct gnttab_query_size), ONE, false),
    OP(unmap_and_replace, gnttab_unmap_and_replace, struct gnttab_unmap_and_replace,
       FIELD(struct gnttab_unmap_and_replace, status), BATCH, false),
    OP(set_version, gnttab_set_version, struct gnttab_set_version,
       WHOLE(struct gnttab_set_version), ANY, true),
    OP(get_status_frames, gnttab_get_status_frames, struct gnttab_get_status_frames,
       FIELD(struct gnttab_get_status_frames, status), ONE, false),
    OP(get_version, gnttab_get_version, struct gnttab_get_version,
       FIELD(struct gnttab_get_version, version), ANY, false),
    OP(swap_grant_ref, gnttab_swap_grant_ref, struct gnttab_swap_grant_ref,
       FIELD(struct gnttab_swap_grant_ref, status), BATCH, false),
};
#undef OP
#undef WHOLE
#undef FIELD

/* Copies one argument in, runs the worker, copies the result out. */
static long gnttab_call(const struct gnttab_subop *op, struct domain *ld, uint64_t uop)
{
    union {
        struct gnttab_map_grant_ref map;
        struct gnttab_setup_table setup;
        struct gnttab_copy copy;
        struct gnttab_get_status_frames status;
        uint64_t align;
    } buf;
    long rc;

    _Static_assert(sizeof(buf) >= sizeof(struct gnttab_unmap_and_replace), "buffer size");
    if (copy_from_guest(&buf, uop, op->size))
        return -EFAULT;
    rc = op->fn(ld, &buf);
    if ((rc >= 0 || op->out_on_error) &&
        copy_to_guest(uop + op->out_off, (char *)&buf + op->out_off, op->out_len))
        rc = -EFAULT;
    return rc;
}

long do_grant_table_op(uint64_t cmd64, uint64_t uop, uint64_t count64, uint64_t a4, uint64_t a5)
{
    uint32_t cmd = (uint32_t)cmd64, count = (uint32_t)count64;
    struct domain *ld = current_vcpu()->domain;
    const struct gnttab_subop *op;
    long rc = 0;

    (void)a4, (void)a5;
    if ((int32_t)count < 0 || (cmd & ~GNTTAB_CMD_MASK))
        return -EINVAL;
    if (cmd >= ARRAY_SIZE(gnttab_ops) || !gnttab_ops[cmd].fn || !ld->grant_table)
        return -ENOSYS;
    op = &gnttab_ops[array_index_nospec(cmd, ARRAY_SIZE(gnttab_ops))];
    if (op->count_rule == ONE && count != 1)
        return -EINVAL;
    if (op->count_rule != BATCH)
        return gnttab_call(op, ld, uop);
    if (!guest_range_ok(uop, (uint64_t)count * op->size))
        return -EFAULT;
    for (uint32_t i = 0; !rc && i < count; i++)
        rc = gnttab_call(op, ld, uop + (uint64_t)i * op->size);
    return rc;
}

/* Debug audit: holds on d's frames outside page tables (grant_table.h). */
static unsigned int audit_add(uint64_t *h, unsigned int n, unsigned int max, uint64_t v)
{
    if (n < max)
        h[n] = v;
    return n + 1;
}

/* Caller holds lgt's and rgt's locks: lgt's mappings of rgt's grants. */
static unsigned int audit_mappings(struct grant_table *lgt, struct grant_table *rgt,
                                   uint64_t *h, unsigned int n, unsigned int max)
{
    for (uint32_t i = 0; i < gnttab_maptrack_limit(&lgt->maptrack); i++) {
        struct gnttab_mapping *m = gnttab_maptrack_entry(&lgt->maptrack, i);
        bool ro = m->flags & GNTMAP_readonly;
        uint64_t mfn, general = ro ? AUDIT_HOLD_GENERAL : 0;

        if (!m->flags || m->rgt != rgt)
            continue;
        mfn = active_entry(rgt, m->ref)->mfn;
        if (m->flags & GNTMAP_device_map)
            n = audit_add(h, n, max, mfn | general);
        /* d's own PTEs are in d's page tables, which the audit counts. */
        if ((m->flags & GNTMAP_host_map) && lgt != rgt &&
            arch_gnttab_pte_present(lgt->domain_id, mfn, m->flags, m->pte_maddr))
            n = audit_add(h, n, max, mfn | general);
    }
    return n;
}

unsigned int grant_table_audit_holders(struct domain *d, uint64_t *h, unsigned int max)
{
    struct grant_table *gt = gnttab_of(d), *lgt;
    unsigned int n = 0;

    if (!gt)
        return 0;
    spin_lock(&gt->lock);
    for (uint32_t i = 0; i < gt->nr_frames; i++)
        n = audit_add(h, n, max, mfn_x(page_to_mfn(gt->frame[i])));
    spin_unlock(&gt->lock);
    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *ld = id == d->domain_id ? d : domain_get_any(id);

        lgt = gnttab_of(ld);
        if (ld != d && ld)
            domain_put(ld);
        if (!lgt)
            continue;
        lock_pair(lgt, gt);
        n = audit_mappings(lgt, gt, h, n, max);
        unlock_pair(lgt, gt);
        gnttab_put(lgt);
    }
    gnttab_put(gt);
    return n;
}
