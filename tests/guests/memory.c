// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory: a PV guest growing and shrinking its reservation with memory_op:
 * decrease_reservation (frames named by MFN), populate_physmap (frames
 * placed at pseudo-physical frames, M2P set, MFNs returned) and
 * increase_reservation (MFNs returned, no M2P), with Xen 4.17's results:
 * the count of extents done, never an error code; a frame still mapped or
 * pinned stays alive (and counted) until its last reference goes; the
 * domain's maximum reservation caps it. Then the physmap calls a PV guest
 * cannot use.
 *
 * The guest runs with dom0_mem=64M,max:64M, so that its maximum
 * reservation is its size on Xen too (dom0 is unlimited by default):
 * run-guest-append: dom0_mem=64M,max:64M
 *
 * Frames come from the top of our pseudo-physical space, which neither
 * builder maps. Every case but the last two gives back what it took; those
 * leave an unnamed frame and two given back but still held, for Satori's
 * frame-table audit and relinquish check that run after SUMMARY.
 */
#include <stdbool.h>

#include "guest.h"

const char guest_name[] = "memory";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char scratch[4096] PG;                 /* a VA to map frames at */
static xen_pfn_t lists[2][512] PG;            /* the second page can be unmapped */

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static uint64_t *p2m(void)
{
    return (uint64_t *)start_info->mfn_list;
}

/* The i-th frame from the top of our pseudo-physical space. */
static uint64_t spare(unsigned int i)
{
    return start_info->nr_pages - 1 - i;
}

static long reservation(unsigned int cmd, xen_pfn_t *list, uint64_t n, unsigned int order,
                        domid_t dom)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order, .domid = dom };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(cmd, &r);
}

static long decrease1(uint64_t mfn)
{
    xen_pfn_t x = mfn;

    return reservation(XENMEM_decrease_reservation, &x, 1, 0, DOMID_SELF);
}

static long count(unsigned int op)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(op, &self);
}

/* A fresh frame for pfn through populate_physmap, recorded in our P2M. */
static bool repopulate(uint64_t pfn)
{
    xen_pfn_t x = pfn;

    if (reservation(XENMEM_populate_physmap, &x, 1, 0, DOMID_SELF) != 1)
        return false;
    p2m()[pfn] = x;
    return m2p[x] == pfn;
}

static long map_scratch(uint64_t mfn)
{
    return HYPERVISOR_update_va_mapping(scratch, (mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG);
}

static bool unmap_scratch(void)
{
    return map_scratch(virt_to_mfn(scratch)) == 0;
}


/* A frame of the hypervisor's: the L3 behind L4 slot 262 (its direct map). */
static uint64_t hypervisor_frame(void)
{
    return (((uint64_t *)start_info->pt_base)[262] & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

static void test_counts(void)
{
    long cur = count(XENMEM_current_reservation), max = count(XENMEM_maximum_reservation);

    case_begin("counts");
    CHECK(cur >= (long)start_info->nr_pages);
    CHECK(max >= cur && max - cur < 64);      /* max:64M */
    case_end();
}

static void test_decrease_populate(void)
{
    uint64_t pfn = spare(0), old = p2m()[pfn];
    long cur = count(XENMEM_current_reservation);
    xen_pfn_t x;

    case_begin("decrease_then_populate_same_pfn");
    CHECK_EQ(m2p[old], pfn);
    CHECK_EQ(decrease1(old), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 1);
    /* The frame is gone: it no longer maps (Xen: not ours, -EBUSY). */
    CHECK_EQ(map_scratch(old), -EBUSY);
    x = pfn;
    CHECK_EQ(reservation(XENMEM_populate_physmap, &x, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(m2p[x], pfn);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    p2m()[pfn] = x;
    CHECK_EQ(map_scratch(x), 0);
    memset(scratch, 0x5a, sizeof(scratch));
    CHECK_EQ(((volatile char *)scratch)[4095], 0x5a);
    CHECK(unmap_scratch());
    case_end();
}

static void test_decrease_mapped(void)
{
    uint64_t pfn = spare(1), mfn = p2m()[pfn];
    long cur = count(XENMEM_current_reservation);

    case_begin("decrease_mapped_frame_lives_until_unmapped");
    CHECK_EQ(map_scratch(mfn), 0);
    scratch[0] = 'M';
    CHECK_EQ(decrease1(mfn), 1);
    /* Our mapping holds it: still counted, still readable. */
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    CHECK_EQ(((volatile char *)scratch)[0], 'M');
    CHECK(unmap_scratch());
    CHECK_EQ(count(XENMEM_current_reservation), cur - 1);
    CHECK(repopulate(pfn));
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_decrease_pinned(void)
{
    uint64_t pfn = spare(2), mfn = p2m()[pfn];
    long cur = count(XENMEM_current_reservation);

    case_begin("decrease_pinned_page_table");
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, mfn), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), 0);
    /* Xen 4.17: done, but the pin keeps the frame (and the count). */
    CHECK_EQ(decrease1(mfn), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, mfn), 0);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 1);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, mfn), -EINVAL);   /* gone */
    CHECK(repopulate(pfn));
    case_end();
}

static void test_not_owned(void)
{
    long cur = count(XENMEM_current_reservation);
    xen_pfn_t l[3];

    case_begin("decrease_not_owned");
    CHECK_EQ(decrease1(hypervisor_frame()), 0);
    CHECK_EQ(decrease1(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, 0) + 5), 0);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();

    case_begin("decrease_partial");
    l[0] = p2m()[spare(3)];
    l[1] = hypervisor_frame();
    l[2] = p2m()[spare(4)];
    CHECK_EQ(reservation(XENMEM_decrease_reservation, l, 3, 0, DOMID_SELF), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 1);
    CHECK_EQ(map_scratch(l[2]), 0);          /* the third is still ours */
    CHECK(unmap_scratch());
    CHECK(repopulate(spare(3)));
    case_end();
}

/* Two pfns in the spare range whose frames are consecutive machine frames. */
static uint64_t find_pair(void)
{
    for (unsigned int i = 32; i < 60; i++)
        if (p2m()[spare(i)] == p2m()[spare(i + 1)] + 1)
            return spare(i + 1);
    return 0;
}

static void test_orders(void)
{
    long cur = count(XENMEM_current_reservation);
    uint64_t pfn = find_pair();
    xen_pfn_t x;

    case_begin("bad_order");
    x = spare(5);
    CHECK_EQ(reservation(XENMEM_populate_physmap, &x, 1, 19, DOMID_SELF), 0);
    x = p2m()[spare(5)];
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 19, DOMID_SELF), 0);
    CHECK_EQ(reservation(XENMEM_increase_reservation, &x, 1, 19, DOMID_SELF), 0);
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 0x80000000u, DOMID_SELF), 0);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    CHECK_EQ(x, p2m()[spare(5)]);
    case_end();

    case_begin("order_1_extents");
    CHECK(pfn != 0);
    x = p2m()[pfn];
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 1, DOMID_SELF), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 2);
    x = pfn;
    CHECK_EQ(reservation(XENMEM_populate_physmap, &x, 1, 1, DOMID_SELF), 1);
    CHECK_EQ(x & 1, 0);                      /* an aligned pair */
    CHECK_EQ(m2p[x], pfn);
    CHECK_EQ(m2p[x + 1], pfn + 1);
    p2m()[pfn] = x;
    p2m()[pfn + 1] = x + 1;
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_max_pages(void)
{
    long cur = count(XENMEM_current_reservation), max = count(XENMEM_maximum_reservation);
    long room = max - cur, got;
    xen_pfn_t *l = lists[0];

    case_begin("max_pages_limit");
    CHECK(room >= 0 && room < 64);
    for (unsigned int i = 0; i < 3; i++)
        l[i] = p2m()[spare(6 + i)];
    CHECK_EQ(reservation(XENMEM_decrease_reservation, l, 3, 0, DOMID_SELF), 3);
    CHECK_EQ(reservation(XENMEM_increase_reservation, l, 0, 0, DOMID_SELF), 0);   /* none */
    got = reservation(XENMEM_increase_reservation, l, room + 5, 0, DOMID_SELF);
    CHECK_EQ(got, room + 3);                 /* stops at the maximum */
    CHECK_EQ(count(XENMEM_current_reservation), max);
    for (long i = 0; i < got; i++)
        CHECK(l[i] != 0 && l[i] < (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, 0));
    CHECK_EQ(map_scratch(l[0]), 0);          /* ours: it maps */
    CHECK(unmap_scratch());
    l[got] = spare(6);
    CHECK_EQ(reservation(XENMEM_populate_physmap, &l[got], 1, 0, DOMID_SELF), 0);
    CHECK_EQ(reservation(XENMEM_decrease_reservation, l, got, 0, DOMID_SELF), got);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 3);
    l[0] = 0;
    CHECK_EQ(reservation(XENMEM_increase_reservation, l, 1, 2, DOMID_SELF), 0);   /* 4 > 3 */
    for (unsigned int i = 0; i < 3; i++)
        CHECK(repopulate(spare(6 + i)));
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_bad_lists(void)
{
    long cur = count(XENMEM_current_reservation);
    xen_pfn_t *edge = &lists[0][510];
    static const unsigned int ops[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
    };

    case_begin("bad_reservation_pointer");
    /* Xen returns the extents done (0), not -EFAULT. */
    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(HYPERVISOR_memory_op(ops[i], (void *)0x1000), 0);
        CHECK_EQ(HYPERVISOR_memory_op(ops[i], (void *)0xffff830000000000UL), 0);
    }
    case_end();

    case_begin("bad_extent_list");
    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(reservation(ops[i], (xen_pfn_t *)0xffff830000000000UL, 1, 0, DOMID_SELF), 0);
        if (ops[i] != XENMEM_increase_reservation)   /* NULL is fine there */
            CHECK_EQ(reservation(ops[i], (xen_pfn_t *)0, 1, 0, DOMID_SELF), 0);
        CHECK_EQ(reservation(ops[i], (xen_pfn_t *)0x1000, 1, 0, DOMID_SELF), 0);
    }
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();

    case_begin("partial_list_fault");
    edge[0] = p2m()[spare(9)];
    edge[1] = p2m()[spare(10)];
    CHECK_EQ(reservation(XENMEM_decrease_reservation, edge, 2, 0, DOMID_SELF), 2);
    CHECK_EQ(HYPERVISOR_update_va_mapping(lists[1], 0, UVMF_INVLPG), 0);
    edge[0] = spare(9);
    edge[1] = spare(10);
    /* The third gpfn is on the page we just unmapped: two done. */
    CHECK_EQ(reservation(XENMEM_populate_physmap, edge, 3, 0, DOMID_SELF), 2);
    CHECK_EQ(HYPERVISOR_update_va_mapping(lists[1], (virt_to_mfn(lists[1]) << PAGE_SHIFT) |
                                          PTE_RW, UVMF_INVLPG), 0);
    CHECK_EQ(m2p[edge[0]], spare(9));
    CHECK_EQ(m2p[edge[1]], spare(10));
    p2m()[spare(9)] = edge[0];
    p2m()[spare(10)] = edge[1];
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

/* populate_physmap of spare(14) with mem_flags; 1 if it was done (and undone). */
static long populate_flags(unsigned int flags)
{
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF,
                                        .mem_flags = flags };
    xen_pfn_t x = spare(14);
    long rc;

    set_xen_guest_handle(r.extent_start, &x);
    rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
    if (rc == 1 && (m2p[x] != spare(14) || decrease1(x) != 1))
        return -1;
    return rc;
}

static void test_mem_flags(void)
{
    long cur = count(XENMEM_current_reservation);

    case_begin("mem_flags");
    CHECK_EQ(decrease1(p2m()[spare(14)]), 1);
    CHECK_EQ(populate_flags(0), 1);
    CHECK_EQ(populate_flags(XENMEMF_address_bits(12)), 0);     /* 12 bits or less */
    CHECK_EQ(populate_flags(XENMEMF_address_bits(13)), 0);     /* no frame that low */
    CHECK_EQ(populate_flags(XENMEMF_address_bits(63)), 1);     /* no limit at all */
    CHECK_EQ(populate_flags(XENMEMF_node(0)), 1);
    CHECK_EQ(populate_flags(XENMEMF_exact_node(0)), 1);
    CHECK_EQ(populate_flags(XENMEMF_node(1)), 1);              /* a hint */
    CHECK_EQ(populate_flags(XENMEMF_exact_node(1)), 0);        /* one node here */
    CHECK_EQ(populate_flags(XENMEMF_node(64)), 0);             /* beyond MAX_NUMNODES */
    CHECK_EQ(populate_flags(XENMEMF_vnode | XENMEMF_exact_node(7)), 1);   /* no vNUMA */
    CHECK_EQ(populate_flags(XENMEMF_populate_on_demand), 0);   /* not for oneself */
    CHECK(repopulate(spare(14)));
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_start_extent(void)
{
    long cur = count(XENMEM_current_reservation);
    xen_pfn_t l[2] = { hypervisor_frame(), p2m()[spare(12)] };

    case_begin("start_extent");
    /* cmd bits 6 and up: the extent to start from; the result counts from 0. */
    CHECK_EQ(reservation(XENMEM_decrease_reservation | (1 << 6), l, 2, 0, DOMID_SELF), 2);
    CHECK_EQ(count(XENMEM_current_reservation), cur - 1);
    CHECK_EQ(reservation(XENMEM_decrease_reservation | (5 << 6), l, 2, 0, DOMID_SELF), 5);
    CHECK(repopulate(spare(12)));
    case_end();
}

static void test_domains(void)
{
    long cur = count(XENMEM_current_reservation);
    xen_pfn_t x = p2m()[spare(13)];

    case_begin("foreign_domid");
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 0, 77), 0);
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 0, DOMID_XEN), 0);
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 0, DOMID_IO), 0);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    /* Our own id is as good as DOMID_SELF. */
    CHECK_EQ(reservation(XENMEM_decrease_reservation, &x, 1, 0, 0), 1);
    x = spare(13);
    CHECK_EQ(reservation(XENMEM_populate_physmap, &x, 1, 0, 0), 1);
    p2m()[spare(13)] = x;
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_physmap(void)
{
    struct xen_add_to_physmap a = { .domid = DOMID_SELF, .idx = 0, .gpfn = spare(20) };
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .size = 1 };
    struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = spare(20) };

    case_begin("add_to_physmap_pv");
    /* A PV guest is not translated: Xen refuses every space with -EACCES. */
    a.space = XENMAPSPACE_shared_info;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EACCES);
    a.space = XENMAPSPACE_grant_table;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EACCES);
    a.space = XENMAPSPACE_gmfn;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EACCES);
    a.space = XENMAPSPACE_gmfn_range;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EACCES);
    a.space = XENMAPSPACE_gmfn_foreign;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -ENOSYS);
    a.space = XENMAPSPACE_shared_info;
    a.domid = 77;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -ESRCH);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap, (void *)0x1000), -EFAULT);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap | (0x10000 << 6), &a), -EDOM);
    case_end();

    case_begin("add_to_physmap_batch_pv");
    b.space = XENMAPSPACE_gmfn;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -EACCES);
    b.space = XENMAPSPACE_gmfn_foreign;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -EACCES);
    b.space = XENMAPSPACE_gmfn_range;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -EOPNOTSUPP);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("remove_from_physmap_pv");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &r), -EACCES);
    r.domid = 77;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &r), -ESRCH);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_remove_from_physmap | (1 << 6), &r), -EINVAL);
    case_end();
}

static long exchange(struct xen_memory_exchange *x, xen_pfn_t *in, uint64_t nr_in,
                     unsigned int in_order, xen_pfn_t *out, uint64_t nr_out,
                     unsigned int out_order)
{
    x->in.domid = x->out.domid = DOMID_SELF;
    set_xen_guest_handle(x->in.extent_start, in);
    set_xen_guest_handle(x->out.extent_start, out);
    x->in.nr_extents = nr_in;
    x->in.extent_order = in_order;
    x->out.nr_extents = nr_out;
    x->out.extent_order = out_order;
    return HYPERVISOR_memory_op(XENMEM_exchange, x);
}

/* Four scattered frames for one contiguous extent, as Linux's swiotlb asks. */
static void test_exchange(void)
{
    long cur = count(XENMEM_current_reservation);
    struct xen_memory_exchange x = { .nr_exchanged = 0 };
    uint64_t pfn = spare(43);                /* spare(43) .. spare(40) ascending */
    xen_pfn_t in[4], out[4] = { pfn };

    case_begin("exchange_for_contiguous");
    for (unsigned int i = 0; i < 4; i++)
        in[i] = p2m()[pfn + i];
    x.out.mem_flags = XENMEMF_address_bits(32);
    CHECK_EQ(exchange(&x, in, 4, 0, out, 1, 2), 0);
    CHECK_EQ(x.nr_exchanged, 4);
    CHECK_EQ(out[0] & 3, 0);
    for (unsigned int i = 0; i < 4; i++) {
        CHECK_EQ(m2p[out[0] + i], pfn + i);
        p2m()[pfn + i] = out[0] + i;
        CHECK(in[i] < out[0] || in[i] > out[0] + 3);
    }
    CHECK_EQ(map_scratch(in[0]), -EBUSY);   /* the old frames are gone */
    CHECK_EQ(map_scratch(out[0] + 3), 0);
    CHECK(unmap_scratch());
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    /* And back: one order-2 extent for four order-0 ones. */
    in[0] = out[0];
    for (unsigned int i = 0; i < 4; i++)
        out[i] = pfn + i;
    x.nr_exchanged = 0;
    x.out.mem_flags = 0;
    CHECK_EQ(exchange(&x, in, 1, 2, out, 4, 0), 0);
    CHECK_EQ(x.nr_exchanged, 1);
    for (unsigned int i = 0; i < 4; i++) {
        CHECK_EQ(m2p[out[i]], pfn + i);
        p2m()[pfn + i] = out[i];
    }
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

static void test_exchange_errors(void)
{
    long cur = count(XENMEM_current_reservation);
    struct xen_memory_exchange x = { .nr_exchanged = 0 };
    uint64_t a = spare(44), b = spare(45);
    xen_pfn_t in[2] = { p2m()[a], p2m()[b] }, out[2] = { a, b };

    case_begin("exchange_errors");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, (void *)0x1000), -EFAULT);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange | (1 << 6), &x), -EINVAL);
    CHECK_EQ(exchange(&x, in, 1, 19, out, 1, 19), -EPERM);
    CHECK_EQ(exchange(&x, in, 1, 0, out, 2, 0), -EINVAL);    /* sizes differ */
    x.nr_exchanged = 3;
    CHECK_EQ(exchange(&x, in, 2, 0, out, 2, 0), -EINVAL);    /* past the end */
    x.nr_exchanged = 2;
    CHECK_EQ(exchange(&x, in, 2, 0, out, 2, 0), 0);          /* nothing left */
    CHECK_EQ(x.nr_exchanged, 2);
    x.nr_exchanged = 0;
    CHECK_EQ(exchange(&x, in, 0, 0, out, 0, 0), 0);
    CHECK_EQ(exchange(&x, (xen_pfn_t *)0xffff830000000000UL, 1, 0, out, 1, 0), -EFAULT);
    CHECK_EQ(exchange(&x, in, 1, 0, (xen_pfn_t *)0xffff830000000000UL, 1, 0), -EFAULT);
    x.out.mem_flags = XENMEMF_node(64);
    CHECK_EQ(exchange(&x, in, 1, 0, out, 1, 0), -EINVAL);
    x.out.mem_flags = XENMEMF_address_bits(13);              /* nothing that low */
    CHECK_EQ(exchange(&x, in, 1, 0, out, 1, 0), -ENOMEM);
    CHECK_EQ(x.nr_exchanged, 0);
    x.out.mem_flags = 0;
    x.in.domid = 77;
    set_xen_guest_handle(x.in.extent_start, in);
    x.out = x.in;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, &x), -ESRCH);
    x.out.domid = DOMID_SELF;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_exchange, &x), -EINVAL);   /* domids differ */
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    CHECK_EQ(m2p[in[0]], a);                 /* nothing was taken */
    CHECK_EQ(m2p[in[1]], b);
    case_end();

    case_begin("exchange_stops_at_a_frame_in_use");
    /* Only frames nothing else holds can go: not one we map, not one not ours. */
    CHECK_EQ(map_scratch(in[1]), 0);
    CHECK_EQ(exchange(&x, in, 2, 0, out, 2, 0), -EINVAL);
    CHECK_EQ(x.nr_exchanged, 1);             /* the first went */
    CHECK_EQ(m2p[out[0]], a);
    p2m()[a] = out[0];
    CHECK_EQ(out[1], b);                     /* untouched */
    CHECK(unmap_scratch());
    in[0] = in[1];
    in[1] = hypervisor_frame();
    out[0] = b;
    x.nr_exchanged = 0;
    CHECK_EQ(exchange(&x, in, 2, 0, out, 2, 0), -EINVAL);
    CHECK_EQ(x.nr_exchanged, 1);
    p2m()[b] = out[0];
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

/* Last: the frame increase gives us is ours but not in our P2M. */
static void test_increase_null_list(void)
{
    long cur = count(XENMEM_current_reservation);

    case_begin("increase_without_list");
    CHECK_EQ(decrease1(p2m()[spare(63)]), 1);
    CHECK_EQ(reservation(XENMEM_increase_reservation, NULL, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

/*
 * Left for the end of the domain: a frame given back while mapped, one
 * while pinned. Satori's relinquish check (after SUMMARY) must still find
 * every frame back in the heap.
 */
static void test_left_for_destroy(void)
{
    long cur = count(XENMEM_current_reservation);
    uint64_t mapped = p2m()[spare(50)], pinned = p2m()[spare(51)];

    case_begin("given_back_but_held_at_exit");
    CHECK_EQ(map_scratch(mapped), 0);
    CHECK_EQ(mmuext1(MMUEXT_CLEAR_PAGE, pinned), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, pinned), 0);
    CHECK_EQ(decrease1(mapped), 1);
    CHECK_EQ(decrease1(pinned), 1);
    CHECK_EQ(count(XENMEM_current_reservation), cur);
    case_end();
}

void guest_main(void)
{
    test_counts();
    test_decrease_populate();
    test_decrease_mapped();
    test_decrease_pinned();
    test_not_owned();
    test_orders();
    test_max_pages();
    test_bad_lists();
    test_mem_flags();
    test_start_extent();
    test_domains();
    test_physmap();
    test_exchange();
    test_exchange_errors();
    test_increase_null_list();
    test_left_for_destroy();
}
