/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op (12): a domain's reservation (increase_reservation,
 * decrease_reservation, populate_physmap), the queries on it (current and
 * maximum reservation, maximum_gpfn, maximum_ram_page, machphys_mapping),
 * the memory maps (the caller's pseudo-physical one, the machine's for
 * dom0) and the physmap calls, which a PV guest cannot use.
 *
 * Model (Xen 4.17, PV: the guest is not translated, gmfn == mfn). A
 * reservation call works through extents of 2^extent_order frames:
 *  - increase_reservation allocates them to the domain and writes each
 *    extent's first MFN to extent_start[i] (a NULL list is allowed);
 *  - populate_physmap reads a gpfn from extent_start[i], allocates, sets
 *    the M2P of the extent's frames to gpfn, gpfn + 1, ... and writes the
 *    first MFN back over the gpfn;
 *  - decrease_reservation reads an MFN from extent_start[i] and gives back
 *    each frame of the extent (pv_remove_page: only the domain's own;
 *    the frame returns to the heap at its last reference, so one still
 *    pinned, mapped or used as a page table lives on, counted in
 *    tot_pages, until then).
 * The result is the index reached: extents are done in order from the
 * start extent (cmd bits 6 and up, Xen's MEMOP_EXTENT_SHIFT) and the call
 * stops at the first that fails. It is never an error code: a bad
 * argument, unknown or forbidden domain, bad order or flags, an extent list
 * outside guest space all return the start extent.
 *
 * Invariants:
 *  1. tot_pages never passes max_pages (domain_alloc_pages); frames given
 *     to a guest are zeroed.
 *  2. A frame goes back to the heap only when nothing references it
 *     (page_type.c invariant 11); decrease touches only the target's own
 *     frames (never its shared_info).
 *  3. Extent orders above the caller's limit do nothing: 9 for a domU, 18
 *     for a privileged domain, 12 for dom0 as the hardware domain (Xen's
 *     domu/ctldom/hwdom_max_order defaults; the largest applies).
 *  4. No call does more than MEMOP_PAGES_PER_CALL frames past its first
 *     extent: Satori has no continuations, so a longer request returns the
 *     extents done and the guest asks again (from that start extent, as
 *     Xen's continuation would). Linux's balloon asks for 512 at most.
 *
 * ABI corner cases (Xen 4.17): a frame whose MFN cannot be written back
 * to the list stays allocated but is not counted (Xen does the same); PV
 * M2P entries of frames freed here become invalid (Xen leaves them
 * stale); XENMEMF_address_bits is met by allocating and checking (one
 * zone), a width of 12 bits or less does nothing; XENMEMF_vnode is ignored
 * (no vNUMA); a node other than 0 with exact_node_request finds no memory;
 * populate-on-demand of one's own memory does nothing. A domain argument
 * may be DOMID_SELF or an id; for the queries an unknown id is -ESRCH and
 * another domain's, from an unprivileged caller, -EPERM. A PV domain has no
 * physmap: add_to_physmap(_batch) and remove_from_physmap are -EACCES
 * after their argument checks (-EDOM, -EFAULT, -ENOSYS for
 * gmfn_foreign, -EOPNOTSUPP for a gmfn_range batch, -ESRCH). A PV dom0 has
 * no pseudo-physical map (XENMEM_memory_map is -ENOSYS; Linux then uses
 * one RAM range of nr_pages). For machine_memory_map a NULL buffer asks
 * only for the count, a buffer with room for fewer than all entries + 1 is
 * -EINVAL.
 *
 * XENMEM_exchange trades frames nothing else holds (no mapping, pin or
 * other use: Xen's steal_page) for new ones, a chunk at a time; a chunk
 * that fails gives its input back, so nr_exchanged says exactly what
 * happened. Its errors are codes (-EFAULT, -EPERM for an order, -EINVAL,
 * -ESRCH, -ENOMEM), checked in Xen's order.
 */
#include <public/memory.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/memmap.h>
#include <satori/mm.h>
#include <satori/nospec.h>
#include <asm/layout.h>
#include <asm/mm.h>
#include <asm/pv.h>
#include <asm/uaccess.h>

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1u << MEMOP_EXTENT_SHIFT) - 1)

#define E820_RAM 1
#define E820_RESERVED 2

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

#define MEMOP_PAGES_PER_CALL (1u << 16)   /* invariant 4: 256 MiB */
#define MEMOP_DOMU_MAX_ORDER 9
#define MEMOP_HWDOM_MAX_ORDER 12
#define MEMOP_CTLDOM_MAX_ORDER 18
#define MEMOP_POD_MAX_ORDER 20             /* Xen's MAX_ORDER */
#define MEMOP_MAX_NUMNODES 64              /* Xen's default NR_NUMA_NODES */

/*
 * The domain an argument names, if the caller may act on it (Xen's
 * XSM_TARGET): the caller's own, or another, live one under a reference
 * that memop_put_domain() drops.
 */
static long memop_domain(domid_t id, struct domain **out)
{
    struct domain *self = current_vcpu()->domain;
    struct domain *d = id == DOMID_SELF || id == self->domain_id ? self : domain_get(id);

    if (!d)
        return -ESRCH;
    if (d != self && !self->privileged) {
        domain_put(d);
        return -EPERM;
    }
    *out = d;
    return 0;
}

static void memop_put_domain(struct domain *d)
{
    if (d != current_vcpu()->domain)
        domain_put(d);
}

/* XENMEM_{current,maximum}_reservation, maximum_gpfn: arg = &domid. */
static long memop_domain_query(unsigned int op, uint64_t arg)
{
    struct xen_memory_domain md;
    struct domain *d;
    long rc;

    if (copy_from_guest(&md.domid, arg, sizeof(md.domid)))
        return -EFAULT;
    rc = memop_domain(md.domid, &d);
    if (rc)
        return rc;
    switch (op) {
    case XENMEM_current_reservation:
        rc = (long)d->tot_pages;
        break;
    case XENMEM_maximum_reservation:
        rc = (long)d->max_pages;
        break;
    default: /* XENMEM_maximum_gpfn: the guest's own max_pfn, as Xen's PV */
        rc = (long)((d->shared_info->arch.max_pfn ?: 1) - 1);
        break;
    }
    memop_put_domain(d);
    return rc;
}

static long memop_machphys_mapping(uint64_t arg)
{
    struct xen_machphys_mapping m = {
        .v_start = RO_MPT_VIRT_START,
        .v_end = RO_MPT_VIRT_END,
        .max_mfn = max_page - 1,
    };

    return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* The e820 type of a Satori region: its own image and modules are RAM. */
static uint32_t e820_type(uint32_t type)
{
    return type == MEM_HYPERVISOR || type == MEM_MODULE ? E820_RAM : type;
}

/* Fills out[] (if non-NULL) with the merged map; returns the entry count. */
static unsigned int machine_e820(struct e820_entry *out, unsigned int max)
{
    const struct mem_map *m = boot_memory_map();
    struct e820_entry cur = { 0, 0, 0 };
    unsigned int n = 0;

    for (unsigned int i = 0; i < m->n && i < MEMMAP_MAX; i++) {
        const struct mem_region *r = &m->r[i];
        uint32_t t = e820_type(r->type);
        if (cur.size && cur.type == t && cur.addr + cur.size == r->start) {
            cur.size += r->end - r->start;
            continue;
        }
        if (cur.size && out && n < max)
            out[n] = cur;
        n += cur.size != 0;
        cur = (struct e820_entry){ r->start, r->end - r->start, t };
    }
    if (cur.size && out && n < max)
        out[n] = cur;
    return n + (cur.size != 0);
}

static long memop_machine_memory_map(uint64_t arg)
{
    struct e820_entry map[MEMMAP_MAX];          /* 2.5 KiB */
    struct xen_memory_map mm;
    unsigned int n;

    if (!current_vcpu()->domain->privileged)
        return -EPERM;
    if (copy_from_guest(&mm, arg, sizeof(mm)))
        return -EFAULT;
    n = machine_e820(map, MEMMAP_MAX);
    if (mm.buffer.p) {
        if (mm.nr_entries < n + 1)
            return -EINVAL;
        if (copy_to_guest((uint64_t)mm.buffer.p, map, n * sizeof(map[0])))
            return -EFAULT;
    }
    mm.nr_entries = n;
    return copy_to_guest(arg, &mm, sizeof(mm)) ? -EFAULT : 0;
}

/* A PV dom0 has no pseudo-physical e820 of its own (nor a domU yet). */
static long memop_memory_map(uint64_t arg)
{
    struct xen_memory_map mm;

    if (copy_from_guest(&mm, arg, sizeof(mm)))
        return -EFAULT;
    return -ENOSYS;
}

/* A reservation call in progress (Xen's memop_args). */
struct memop_args {
    struct domain *d;                  /* whose reservation */
    const struct domain *caller;
    uint64_t list;                     /* guest VA of the xen_pfn_t extents */
    uint64_t nr, order, done;          /* done: the next extent, from start */
    unsigned int address_bits;         /* frames below 2^bits bytes; 0: any */
    bool exact_node_elsewhere;         /* a node we do not have, exactly */
    bool pod;                          /* XENMEMF_populate_on_demand */
    uint64_t start, pages;             /* first extent, frames done since */
};

/* Invariant 3: Xen's max_order() of the caller. */
static unsigned int memop_max_order(const struct domain *caller)
{
    unsigned int order = MEMOP_DOMU_MAX_ORDER;

    if (caller->domain_id == 0)
        order = MAX(order, MEMOP_HWDOM_MAX_ORDER);
    if (caller->privileged)
        order = MAX(order, MEMOP_CTLDOM_MAX_ORDER);
    return order;
}

/* extent_start[a->done ... a->nr - 1] lies in guest space (Xen's subrange check). */
static bool memop_list_ok(const struct memop_args *a)
{
    return guest_range_ok(a->list + a->done * sizeof(xen_pfn_t),
                          (a->nr - a->done) * sizeof(xen_pfn_t));
}

/* Invariant 4: may the next extent start? */
static bool memop_more(const struct memop_args *a)
{
    return a->done < a->nr && (a->done == a->start || a->pages < MEMOP_PAGES_PER_CALL);
}

static int memop_get(const struct memop_args *a, xen_pfn_t *x)
{
    return copy_from_guest(x, a->list + a->done * sizeof(*x), sizeof(*x));
}

static int memop_put(const struct memop_args *a, xen_pfn_t x)
{
    return copy_to_guest(a->list + a->done * sizeof(x), &x, sizeof(x));
}

static struct page_info *memop_alloc(const struct memop_args *a)
{
    if (a->exact_node_elsewhere)
        return NULL;
    return domain_alloc_pages(a->d, (unsigned int)a->order, a->address_bits);
}

static void memop_increase(struct memop_args *a)
{
    if ((a->list && !memop_list_ok(a)) || a->order > memop_max_order(a->caller))
        return;
    for (; memop_more(a); a->done++, a->pages += 1ULL << a->order) {
        struct page_info *pg = memop_alloc(a);
        if (!pg)
            return;
        if (a->list && memop_put(a, mfn_x(page_to_mfn(pg))))
            return;                      /* allocated, not counted: as Xen */
    }
}

static void memop_populate(struct memop_args *a)
{
    unsigned int max = a->pod ? MEMOP_POD_MAX_ORDER : memop_max_order(a->caller);

    if (!memop_list_ok(a) || a->order > max)
        return;
    for (; memop_more(a); a->done++, a->pages += 1ULL << a->order) {
        struct page_info *pg;
        xen_pfn_t gpfn;
        if (memop_get(a, &gpfn))
            return;
        if (a->pod) {                    /* an HVM notion: nothing to do for PV */
            if (a->d == a->caller)
                return;
            continue;
        }
        pg = memop_alloc(a);
        if (!pg)
            return;
        for (uint64_t j = 0; j < (1ULL << a->order); j++)
            set_m2p(_mfn(mfn_x(page_to_mfn(pg)) + j), gpfn + j);
        if (memop_put(a, mfn_x(page_to_mfn(pg))))
            return;
    }
}

static void memop_decrease(struct memop_args *a)
{
    if (!memop_list_ok(a) || a->order > memop_max_order(a->caller))
        return;
    for (; memop_more(a); a->done++, a->pages += 1ULL << a->order) {
        xen_pfn_t gmfn;
        if (memop_get(a, &gmfn))
            return;
        /* A failure part-way leaves the frames before it given back (Xen too). */
        for (uint64_t j = 0; j < (1ULL << a->order); j++)
            if (pv_remove_page(a->d, gmfn + j))
                return;
    }
}

/* Smallest order whose 2^order frames cover n (Xen's get_order_from_pages). */
static unsigned int order_of_pages(uint64_t n)
{
    unsigned int order = 0;

    while ((1ULL << order) < n)
        order++;
    return order;
}

/*
 * The NUMA node in mem_flags (Xen's propagate_node): false if the caller
 * may not ask for it. Satori has node 0 only: exactly another finds nothing.
 */
static bool memop_node(const struct domain *caller, unsigned int flags, bool *elsewhere)
{
    unsigned int node = XENMEMF_get_node(flags);

    if (node == 0xff)
        return true;                     /* none asked for */
    if (caller->privileged || caller->domain_id == 0) {
        if (node >= MEMOP_MAX_NUMNODES)
            return false;
        *elsewhere = node != 0 && (flags & XENMEMF_exact_node_request);
        return true;
    }
    return !(flags & XENMEMF_exact_node_request);
}

/* mem_flags (Xen's construct_memop_from_reservation); false: do nothing. */
static bool memop_flags(struct memop_args *a, unsigned int flags)
{
    unsigned int bits = XENMEMF_get_address_bits(flags);

    if (bits && bits < order_of_pages(max_page) + PAGE_SHIFT) {
        if (bits <= PAGE_SHIFT)
            return false;
        a->address_bits = bits;
    }
    a->pod = (flags & XENMEMF_populate_on_demand) != 0;
    if (flags & XENMEMF_vnode)
        return true;                     /* no vNUMA: nothing to place */
    return memop_node(a->caller, flags, &a->exact_node_elsewhere);
}

/* increase_reservation, decrease_reservation, populate_physmap. */
static long memop_reservation(unsigned int op, uint64_t start, uint64_t arg)
{
    struct memop_args a = { .caller = current_vcpu()->domain, .start = start, .done = start };
    struct xen_memory_reservation r;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return (long)start;
    /* A count too large to continue, or nothing left: nothing done. */
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr_extents)
        return (long)start;
    if (memop_domain(r.domid, &a.d))
        return (long)start;
    a.list = (uint64_t)r.extent_start.p;
    a.nr = r.nr_extents;
    a.order = r.extent_order;
    if (!memop_flags(&a, r.mem_flags))
        a.done = start;
    else if (op == XENMEM_increase_reservation)
        memop_increase(&a);
    else if (op == XENMEM_decrease_reservation)
        memop_decrease(&a);
    else
        memop_populate(&a);
    memop_put_domain(a.d);
    return (long)a.done;
}

/* XENMEM_exchange in progress: what one chunk took and got. */
struct exchange {
    struct xen_memory_exchange x;
    struct domain *d;
    unsigned int in_chunk, out_chunk;  /* orders: input, output extents per chunk */
    unsigned int address_bits;
    bool exact_node_elsewhere;
    struct list_head taken, fresh;     /* stolen input frames; output blocks */
};

/* extent_start[first ... nr - 1] of r lies in guest space. */
static bool exchange_list_ok(const struct xen_memory_reservation *r, uint64_t first)
{
    return first < r->nr_extents &&
           guest_range_ok((uint64_t)r->extent_start.p + first * sizeof(xen_pfn_t),
                          (r->nr_extents - first) * sizeof(xen_pfn_t));
}

/* Xen's checks, in its order, before the domain; 1: nothing left to do. */
static long exchange_check(struct exchange *e, const struct domain *caller)
{
    const struct xen_memory_reservation *in = &e->x.in, *out = &e->x.out;
    uint64_t done = e->x.nr_exchanged;

    if (MAX(in->extent_order, out->extent_order) > memop_max_order(caller))
        return -EPERM;
    if (done > in->nr_extents || in->domid != out->domid ||
        (~0UL >> in->extent_order) < in->nr_extents ||
        (~0UL >> out->extent_order) < out->nr_extents ||
        in->nr_extents << in->extent_order != out->nr_extents << out->extent_order)
        return -EINVAL;
    if (done == in->nr_extents)
        return 1;
    if (in->extent_order <= out->extent_order)
        e->in_chunk = out->extent_order - in->extent_order;
    else
        e->out_chunk = in->extent_order - out->extent_order;
    if (!exchange_list_ok(in, done) ||
        !exchange_list_ok(out, (done >> e->in_chunk) << e->out_chunk))
        return -EFAULT;
    if (!memop_node(caller, out->mem_flags, &e->exact_node_elsewhere))
        return -EINVAL;
    e->address_bits = XENMEMF_get_address_bits(out->mem_flags);
    return 0;
}

/* Chunk i's input frames onto e->taken; -EFAULT or -EINVAL at the first that fails. */
static long exchange_take(struct exchange *e, uint64_t i)
{
    const struct xen_memory_reservation *in = &e->x.in;

    for (uint64_t j = 0; j < (1ULL << e->in_chunk); j++) {
        uint64_t at = (uint64_t)in->extent_start.p + ((i << e->in_chunk) + j) * sizeof(xen_pfn_t);
        xen_pfn_t gmfn;
        if (copy_from_guest(&gmfn, at, sizeof(gmfn)))
            return -EFAULT;
        for (uint64_t k = 0; k < (1ULL << in->extent_order); k++) {
            struct page_info *pg;
            if (pv_steal_page(e->d, gmfn + k, &pg))
                return -EINVAL;
            list_add_tail(&pg->list, &e->taken);
        }
    }
    return 0;
}

/* Chunk i's output blocks onto e->fresh; -ENOMEM if the heap has none. */
static long exchange_alloc(struct exchange *e)
{
    for (uint64_t j = 0; j < (1ULL << e->out_chunk); j++) {
        struct page_info *pg = NULL;
        if (!e->exact_node_elsewhere)
            pg = alloc_guest_pages(e->x.out.extent_order, e->address_bits);
        if (!pg)
            return -ENOMEM;
        list_add_tail(&pg->list, &e->fresh);
    }
    return 0;
}

/* A failed chunk: the input frames go back to the domain, the output to the heap. */
static void exchange_undo(struct exchange *e)
{
    while (!list_empty(&e->taken)) {
        struct page_info *pg = list_first_entry(&e->taken, struct page_info, list);
        list_del(&pg->list);
        if (!domain_assign_pages(e->d, pg, 0, false))
            pv_free_stolen_page(pg);     /* the domain is going */
    }
    while (!list_empty(&e->fresh)) {
        struct page_info *pg = list_first_entry(&e->fresh, struct page_info, list);
        list_del(&pg->list);
        free_pages(pg, e->x.out.extent_order);
    }
}

/*
 * Chunk i done: the output blocks become the domain's, at the gpfns of the
 * output list (M2P set, MFNs written back), the input frames are freed.
 * 0, -EFAULT (a list entry; the chunk is done but, as on Xen, not counted)
 * or 1 (the domain is going: nothing is given).
 */
static long exchange_commit(struct exchange *e, uint64_t i)
{
    const struct xen_memory_reservation *out = &e->x.out;
    uint64_t list = (uint64_t)out->extent_start.p, n = 1ULL << out->extent_order;
    long rc = 0;

    for (uint64_t j = 0; !list_empty(&e->fresh); j++) {
        struct page_info *pg = list_first_entry(&e->fresh, struct page_info, list);
        uint64_t at = list + ((i << e->out_chunk) + j) * sizeof(xen_pfn_t);
        xen_pfn_t gpfn, mfn = mfn_x(page_to_mfn(pg));
        list_del(&pg->list);
        if (!domain_assign_pages(e->d, pg, out->extent_order, false)) {
            free_pages(pg, out->extent_order);
            rc = 1;
            continue;
        }
        if (copy_from_guest(&gpfn, at, sizeof(gpfn))) {
            rc = rc ?: -EFAULT;
            continue;
        }
        for (uint64_t k = 0; k < n; k++)
            set_m2p(_mfn(mfn + k), gpfn + k);
        if (copy_to_guest(at, &mfn, sizeof(mfn)))
            rc = rc ?: -EFAULT;
    }
    while (!list_empty(&e->taken)) {
        struct page_info *pg = list_first_entry(&e->taken, struct page_info, list);
        list_del(&pg->list);
        pv_free_stolen_page(pg);
    }
    return rc;
}

/* The chunks from nr_exchanged on (invariant 4: MEMOP_PAGES_PER_CALL at most). */
static long exchange_chunks(struct exchange *e)
{
    uint64_t i = e->x.nr_exchanged >> e->in_chunk, end = e->x.in.nr_extents >> e->in_chunk;
    uint64_t per_chunk = 1ULL << (e->in_chunk + e->x.in.extent_order), pages = 0;
    long rc = 0;

    for (; i < end && pages < MEMOP_PAGES_PER_CALL; i++, pages += per_chunk) {
        rc = exchange_take(e, i);
        if (!rc)
            rc = exchange_alloc(e);
        if (rc) {
            exchange_undo(e);
            break;
        }
        rc = exchange_commit(e, i);
        if (rc)
            break;
    }
    e->x.nr_exchanged = i << e->in_chunk;
    return rc == 1 ? 0 : rc;
}

/*
 * XENMEM_exchange: trades the input extents for new output extents of
 * another order or address width, a chunk at a time (a chunk: the input
 * frames of one output extent, or the output frames of one input extent).
 * nr_exchanged counts input extents done and is written back; the result
 * is 0 or the error that stopped it. A call that stops short with 0 (the
 * domain going, or invariant 4) leaves the rest to the next call, as Xen's
 * continuation would.
 */
static long memop_exchange(uint64_t start, uint64_t arg)
{
    struct exchange e = { .in_chunk = 0 };
    long rc;

    if (start)
        return -EINVAL;
    if (copy_from_guest(&e.x, arg, sizeof(e.x)))
        return -EFAULT;
    list_init(&e.taken);
    list_init(&e.fresh);
    rc = exchange_check(&e, current_vcpu()->domain);
    if (rc == 1)
        return 0;                        /* nothing left: nothing written */
    if (!rc)
        rc = memop_domain(e.x.in.domid, &e.d);
    if (!rc) {
        rc = exchange_chunks(&e);
        memop_put_domain(e.d);
    }
    if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged),
                      &e.x.nr_exchanged, sizeof(e.x.nr_exchanged)))
        return -EFAULT;
    return rc;
}

/* add_to_physmap(_batch), remove_from_physmap: for translated guests only. */
static long memop_physmap(unsigned int op, uint64_t start, uint64_t arg)
{
    union {
        struct xen_add_to_physmap one;
        struct xen_add_to_physmap_batch batch;
        struct xen_remove_from_physmap remove;
    } u;
    size_t size = op == XENMEM_add_to_physmap ? sizeof(u.one)
                : op == XENMEM_add_to_physmap_batch ? sizeof(u.batch) : sizeof(u.remove);
    domid_t id;

    if (op == XENMEM_remove_from_physmap ? start != 0 : start > UINT16_MAX)
        return op == XENMEM_remove_from_physmap ? -EINVAL : -EDOM;
    if (copy_from_guest(&u, arg, size))
        return -EFAULT;
    if (op == XENMEM_add_to_physmap && u.one.space == XENMAPSPACE_gmfn_foreign)
        return -ENOSYS;                  /* only the batch maps foreign frames */
    if (op == XENMEM_add_to_physmap_batch && u.batch.space == XENMAPSPACE_gmfn_range)
        return -EOPNOTSUPP;
    id = op == XENMEM_add_to_physmap ? u.one.domid
       : op == XENMEM_add_to_physmap_batch ? u.batch.domid : u.remove.domid;
    if (id != DOMID_SELF && !domain_lookup(id))
        return -ESRCH;
    return -EACCES;                      /* every Satori domain is PV */
}

long do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    unsigned int op = (unsigned int)cmd & MEMOP_CMD_MASK;
    uint64_t start_extent = (uint32_t)cmd >> MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return memop_reservation(op, start_extent, arg);
    case XENMEM_exchange:
        return memop_exchange(start_extent, arg);
    case XENMEM_add_to_physmap:
    case XENMEM_add_to_physmap_batch:
    case XENMEM_remove_from_physmap:
        return memop_physmap(op, start_extent, arg);
    case XENMEM_maximum_ram_page:
        return start_extent ? -EINVAL : (long)max_page;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return start_extent ? -EINVAL : memop_domain_query(op, arg);
    case XENMEM_machphys_mapping:
        return memop_machphys_mapping(arg);
    case XENMEM_machine_memory_map:
        return memop_machine_memory_map(arg);
    case XENMEM_memory_map:
        return memop_memory_map(arg);
    default:
        return -ENOSYS;
    }
}
