// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant: grant_table_op, version 1, with this guest (dom0) granting its own
 * frames to itself. The table is set up and mapped like any PV guest maps
 * it (setup_table's frames through update_va_mapping); then map and unmap
 * (RW, RO, contains_pte, device maps, double mappings, unmap_and_replace),
 * the GTF_reading/GTF_writing bits the hypervisor keeps in our entries,
 * copy between grants and raw frames, the version ops, and every refusal
 * with its GNTST_* code. Also what Xen does when a granter ends a grant
 * that is still mapped, and when the guest overwrites a grant mapping's
 * PTE itself. Both hypervisors boot with tests/guests/grant.cmdline:
 * gnttab=max-ver:1 (version 2 refused, as Satori always does) and
 * gnttab_max_maptrack_frames=1 (256 handles, so a full maptrack is quick).
 * Every mapping is undone and every page restored before the next case.
 */
#include <public/grant_table.h>

#include "domu.h"

const char guest_name[] = "grant";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
#define NR_GT 4                              /* grant-table frames we set up */
static char gt_win[NR_GT][4096] PG;          /* where the table is mapped */
static char page_a[4096] PG, page_b[4096] PG, page_c[4096] PG;
static char page_m[4096] PG, page_n[4096] PG;   /* mapping targets */
static char page_l1[4096] PG;                    /* made an L1 table of our own */
/* Byte i of a page, read or written as the CPU sees it now (aliases!). */
#define AT(page, i) (((volatile char *)(page))[i])

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define GTF_RW GTF_permit_access
#define GTF_RO (GTF_permit_access | GTF_readonly)
#define DOM_NONE 7                           /* no such domain */

static volatile grant_entry_v1_t *const gt = (volatile grant_entry_v1_t *)gt_win;
static const domid_t self = 0;               /* dom0: SIF_INITDOMAIN */
static uint64_t gt_frames[NR_GT];

static uint64_t pte_for(const void *page, uint64_t flags)
{
    return (virt_to_mfn(page) << PAGE_SHIFT) | flags;
}

static void restore(void *page)
{
    if (HYPERVISOR_update_va_mapping(page, pte_for(page, PTE_RW), UVMF_INVLPG))
        case_fail("restoring %p", page);
}

static void grant(grant_ref_t ref, const void *page, domid_t dom, uint16_t flags)
{
    gt[ref].domid = dom;
    gt[ref].frame = (uint32_t)virt_to_mfn(page);
    __sync_synchronize();
    gt[ref].flags = flags;
}


static int16_t copy1(struct gnttab_copy *op)
{
    long rc;

    op->status = 99;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);
    if (rc)
        case_fail("copy returned %ld", rc);
    return op->status;
}

static void setup(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = NR_GT };

    case_begin("query_size_initial");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);                /* Xen starts every table at 1 */
    CHECK_EQ(q.max_nr_frames, 64);
    case_end();

    case_begin("setup_table");
    set_xen_guest_handle(st.frame_list, gt_frames);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    for (unsigned int i = 0; i < NR_GT; i++) {
        CHECK(gt_frames[i] != 0);
        for (unsigned int j = 0; j < i; j++)
            CHECK(gt_frames[i] != gt_frames[j]);
    }
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, NR_GT);
    /* Asking again for fewer frames lists the same ones and shrinks nothing. */
    uint64_t again[2] = { 0, 0 };
    st.nr_frames = 2;
    set_xen_guest_handle(st.frame_list, again);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(again[0], gt_frames[0]);
    CHECK_EQ(again[1], gt_frames[1]);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, NR_GT);
    case_end();

    case_begin("table_frames_map_rw");
    /* The frames are shared with us: mapped writable like our own pages. */
    for (unsigned int i = 0; i < NR_GT; i++)
        CHECK_EQ(HYPERVISOR_update_va_mapping(gt_win[i], (gt_frames[i] << PAGE_SHIFT) | PTE_RW,
                                              UVMF_INVLPG), 0);
    CHECK_EQ(gt[0].flags, 0);
    CHECK_EQ(gt[511].frame, 0);
    gt[5].frame = 0x1234;
    CHECK_EQ(gt[5].frame, 0x1234);
    gt[5].frame = 0;
    /* A frame mapped writable can never become a page table. */
    struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = gt_frames[0] };
    CHECK_EQ(HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF), -EINVAL);
    case_end();
}

static void setup_errors(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 65 };
    struct gnttab_query_size q = { .dom = DOM_NONE };
    uint64_t frames[2];

    case_begin("setup_table_errors");
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_general_error);            /* over max_nr_frames */
    st.nr_frames = 1;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2), -EINVAL);
    st.dom = DOM_NONE;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_bad_domain);
    st.dom = DOMID_SELF;
    set_xen_guest_handle(st.frame_list, (uint64_t *)0x1000);   /* not mapped */
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_bad_virt_addr);
    set_xen_guest_handle(st.frame_list, (uint64_t *)0xffff830000000000UL);  /* Xen's */
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), -EFAULT);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, (void *)0x1000, 1), -EFAULT);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_bad_domain);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 0), -EINVAL);
    case_end();

    case_begin("bad_commands");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, -1), -EINVAL);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_query_size | (1 << 12), &q, 1), -EINVAL);
    CHECK_EQ(HYPERVISOR_grant_table_op(13, &q, 1), -ENOSYS);
    /* A batch that reaches into Xen's half of the address space. */
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, 0x00007ffffffff000UL, 1000),
             -EFAULT);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, (void *)0x1000, 0), 0);
    case_end();
}

static void map_rw_ro(void)
{
    struct gnttab_map_grant_ref op;
    grant_handle_t h;

    memset(page_a, 'a', 4096);
    memset(page_b, 'b', 4096);

    case_begin("map_rw");
    grant(10, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, self), GNTST_okay);
    h = op.handle;
    CHECK_EQ(op.dev_bus_addr, virt_to_mfn(page_a) << PAGE_SHIFT);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(pte_read(page_m) & (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW),
             (virt_to_mfn(page_a) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW);
    CHECK_EQ(peek(page_m + 7), 'a');
    AT(page_m, 7) = 'W';                         /* written through the grant */
    CHECK_EQ(AT(page_a, 7), 'W');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, h), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);          /* both bits cleared on last unmap */
    CHECK_EQ(peek(page_m), -1);              /* gone, and flushed from the TLB */
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.cr2, (uint64_t)page_m);
    CHECK_EQ(pte_read(page_m) & _PAGE_PRESENT, 0);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, h), GNTST_bad_handle);     /* twice */
    restore(page_m);
    case_end();

    case_begin("map_ro");
    grant(11, page_b, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 11, self),
             GNTST_okay);
    CHECK_EQ(gt[11].flags, GTF_RW | GTF_reading);
    CHECK_EQ(peek(page_m + 100), 'b');
    EXPECT_TRAP_IN("movb $1, (%0)", page_m, 0);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3);       /* present, write; kernel mode */
    CHECK_EQ(AT(page_b, 0), 'b');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[11].flags, GTF_RW);
    restore(page_m);
    case_end();

    case_begin("readonly_grant_mapped_rw");
    grant(12, page_b, self, GTF_RO);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 12, self), GNTST_general_error);
    CHECK_EQ(gt[12].flags, GTF_RO);          /* nothing left behind */
    CHECK_EQ(peek(page_m), 0);               /* our own page still there */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 12, self),
             GNTST_okay);
    CHECK_EQ(gt[12].flags, GTF_RO | GTF_reading);
    CHECK_EQ(peek(page_m), 'b');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[12].flags, GTF_RO);
    restore(page_m);
    case_end();

    case_begin("map_twice_one_grant");
    grant(10, page_a, self, GTF_RW);
    struct gnttab_map_grant_ref op2;
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, self), GNTST_okay);
    CHECK_EQ(gnttab_map1(&op2, (uint64_t)page_n, GNTMAP_host_map | GNTMAP_readonly, 10, self),
             GNTST_okay);
    CHECK(op.handle != op2.handle);
    AT(page_m, 1) = 'X';
    CHECK_EQ(peek(page_n + 1), 'X');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading);   /* the reader is still there */
    CHECK_EQ(peek(page_n + 1), 'X');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_n, 0, op2.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    restore(page_m);
    restore(page_n);
    case_end();
}

static void map_errors(void)
{
    struct gnttab_map_grant_ref op;

    case_begin("bad_gref");
    grant(10, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, NR_GT * 512, self), GNTST_bad_gntref);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 0xffffffffu, self), GNTST_bad_gntref);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, 0, 10, self), GNTST_bad_gntref);   /* no map flags */
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(peek(page_m), 0);
    case_end();

    case_begin("bad_domain");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, DOM_NONE), GNTST_bad_domain);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, DOMID_SELF), GNTST_bad_domain);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, DOMID_IO), GNTST_bad_domain);
    case_end();

    case_begin("grant_for_another_domain");
    grant(13, page_a, 5, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 13, self),
             GNTST_general_error);
    CHECK_EQ(gt[13].flags, GTF_RW);
    grant(14, page_a, self, GTF_invalid);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 14, self), GNTST_general_error);
    grant(14, page_a, self, GTF_accept_transfer);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 14, self), GNTST_general_error);
    CHECK_EQ(gt[14].flags, GTF_accept_transfer);
    CHECK_EQ(peek(page_m), 0);
    case_end();

    case_begin("grant_of_a_frame_not_ours");
    /* L4 slot 262 holds one of the hypervisor's L3s: a frame we do not own. */
    uint64_t xen_l3 = (((uint64_t *)start_info->pt_base)[262] & PTE_ADDR_MASK) >> PAGE_SHIFT;
    gt[15].domid = self;
    gt[15].frame = (uint32_t)xen_l3;
    gt[15].flags = GTF_RW;
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 15, self),
             GNTST_bad_page);
    CHECK_EQ(gt[15].flags, GTF_RW);
    gt[15].frame = 0xfffffff;                /* beyond RAM */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 15, self),
             GNTST_bad_page);
    /* One of our page tables: readable, never writable. */
    gt[15].frame = (uint32_t)(pte_maddr(page_a) >> PAGE_SHIFT);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 15, self), GNTST_general_error);
    CHECK_EQ(gt[15].flags, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_readonly, 15, self),
             GNTST_okay);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    restore(page_m);
    case_end();

    case_begin("bad_host_addr");
    /* No L1 maps 0x1000 (nothing below our kernel is mapped). */
    CHECK_EQ(gnttab_map1(&op, 0x1000, GNTMAP_host_map, 10, self), GNTST_general_error);
    CHECK_EQ(gnttab_map1(&op, 0xffff830000000000UL, GNTMAP_host_map, 10, self), GNTST_general_error);
    CHECK_EQ(gt[10].flags, GTF_RW);
    /* contains_pte: a misaligned PTE address, or one not in an L1 of ours. */
    CHECK_EQ(gnttab_map1(&op, pte_maddr(page_m) + 1, GNTMAP_host_map | GNTMAP_contains_pte, 10, self),
             GNTST_general_error);
    CHECK_EQ(gnttab_map1(&op, virt_to_mfn(page_b) << PAGE_SHIFT, GNTMAP_host_map | GNTMAP_contains_pte,
                 10, self), GNTST_general_error);
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(peek(page_m), 0);
    case_end();

    case_begin("bad_handle");
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, 100000), GNTST_bad_handle);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, 200), GNTST_bad_handle);   /* never handed out */
    case_end();

    case_begin("unmap_wrong_address");
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, self), GNTST_okay);
    /* page_n maps our own page_n, not the grant. */
    CHECK_EQ(gnttab_unmap1((uint64_t)page_n, 0, op.handle), GNTST_general_error);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(peek(page_n), 0);
    CHECK_EQ(peek(page_m + 7), 'W');
    /* host_addr 0: nothing to undo, which is no error; the mapping stays. */
    CHECK_EQ(gnttab_unmap1(0, 0, op.handle), GNTST_okay);
    CHECK_EQ(peek(page_m + 7), 'W');
    /* A host-only mapping has no bus address to check: any is ignored. */
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0x5000, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    restore(page_m);
    case_end();
}

static void map_variants(void)
{
    struct gnttab_map_grant_ref op;

    case_begin("contains_pte");
    grant(10, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, pte_maddr(page_m), GNTMAP_host_map | GNTMAP_contains_pte, 10, self),
             GNTST_okay);
    struct mmuext_op flush = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uint64_t)page_m };
    CHECK_EQ(HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF), 0);
    CHECK_EQ(peek(page_m + 7), 'W');
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(gnttab_unmap1(pte_maddr(page_m), 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(peek(page_m), -1);
    restore(page_m);
    case_end();

    case_begin("device_map");
    CHECK_EQ(gnttab_map1(&op, 0, GNTMAP_device_map, 10, self), GNTST_okay);
    CHECK_EQ(op.dev_bus_addr, virt_to_mfn(page_a) << PAGE_SHIFT);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(gnttab_unmap1(0, 0x5000, op.handle), GNTST_bad_dev_addr);
    CHECK_EQ(gnttab_unmap1(0, 0, op.handle), GNTST_okay);                 /* nothing undone */
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(gnttab_unmap1(0, op.dev_bus_addr, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(gnttab_unmap1(0, op.dev_bus_addr, op.handle), GNTST_bad_handle);
    /* Host and device at once; each half undone on its own. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map | GNTMAP_device_map |
                 GNTMAP_readonly, 10, self), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading);
    CHECK_EQ(peek(page_m), -1);
    CHECK_EQ(gnttab_unmap1(0, op.dev_bus_addr, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    restore(page_m);
    case_end();

    case_begin("unmap_and_replace");
    memset(page_n, 'n', 4096);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 10, self), GNTST_okay);
    struct gnttab_unmap_and_replace ur = { .host_addr = (uint64_t)page_m,
                                           .new_addr = (uint64_t)page_n,
                                           .handle = op.handle, .status = 99 };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &ur, 1), 0);
    CHECK_EQ(ur.status, GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(peek(page_m + 3), 'n');         /* page_n's frame, moved here */
    CHECK_EQ(peek(page_n), -1);              /* and taken from there */
    restore(page_n);
    restore(page_m);
    CHECK_EQ(peek(page_m), 0);
    case_end();
}

static void pin_limits(void)
{
    static struct gnttab_map_grant_ref ops[256];
    static struct gnttab_unmap_grant_ref uops[256];
    unsigned int n = 0;

    case_begin("pin_count_limit");
    grant(20, page_a, self, GTF_RO);
    for (unsigned int i = 0; i < 129; i++) {
        ops[i] = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map | GNTMAP_readonly,
                                                .ref = 20, .dom = self, .status = 99 };
    }
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, 129), 0);
    for (unsigned int i = 0; i < 128; i++)
        if (ops[i].status != GNTST_okay)
            case_fail("map %u: status %d", i, ops[i].status);
    CHECK_EQ(ops[128].status, GNTST_general_error);   /* 128 readers: counter full */
    for (unsigned int i = 0; i < 128; i++)
        uops[i] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = ops[i].dev_bus_addr,
                                                   .handle = ops[i].handle, .status = 99 };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, 128), 0);
    for (unsigned int i = 0; i < 128; i++)
        if (uops[i].status != GNTST_okay)
            case_fail("unmap %u: status %d", i, uops[i].status);
    CHECK_EQ(gt[20].flags, GTF_RO);
    case_end();

    case_begin("maptrack_full");
    /* gnttab_max_maptrack_frames=1: 256 handles, one kept back as a sentinel. */
    grant(21, page_a, self, GTF_RO);
    for (unsigned int i = 0; i < 256; i++)
        ops[i] = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map | GNTMAP_readonly,
                                                .ref = 20 + i % 2, .dom = self, .status = 99 };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, 256), 0);
    while (n < 256 && ops[n].status == GNTST_okay)
        n++;
    CHECK_EQ(n, 255);
    CHECK_EQ(ops[255].status, GNTST_no_space);   /* Xen 4.17: not no_device_space */
    for (unsigned int i = 0; i < n; i++)
        uops[i] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = ops[i].dev_bus_addr,
                                                   .handle = ops[i].handle, .status = 99 };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, n), 0);
    for (unsigned int i = 0; i < n; i++)
        if (uops[i].status != GNTST_okay)
            case_fail("unmap %u: status %d", i, uops[i].status);
    CHECK_EQ(gt[20].flags, GTF_RO);
    CHECK_EQ(gt[21].flags, GTF_RO);
    /* The handles are free again. */
    CHECK_EQ(gnttab_map1(&ops[0], 0, GNTMAP_device_map | GNTMAP_readonly, 20, self), GNTST_okay);
    CHECK_EQ(gnttab_unmap1(0, ops[0].dev_bus_addr, ops[0].handle), GNTST_okay);
    case_end();
}

static void copies(void)
{
    struct gnttab_copy op;

    for (unsigned int i = 0; i < 4096; i++)
        page_a[i] = (char)i;
    memset(page_b, 'b', 4096);
    memset(page_c, 'c', 4096);
    grant(20, page_a, self, GTF_RO);
    grant(21, page_c, self, GTF_RW);

    case_begin("copy_gref_to_frame");
    op = (struct gnttab_copy){ .source = { .u.ref = 20, .domid = self, .offset = 100 },
                               .dest = { .u.gmfn = virt_to_mfn(page_b), .domid = DOMID_SELF,
                                         .offset = 200 },
                               .len = 50, .flags = GNTCOPY_source_gref };
    CHECK_EQ(copy1(&op), GNTST_okay);
    CHECK_EQ(memcmp(page_b + 200, page_a + 100, 50), 0);
    CHECK_EQ(AT(page_b, 199), 'b');
    CHECK_EQ(AT(page_b, 250), 'b');
    CHECK_EQ(gt[20].flags, GTF_RO);          /* held only during the copy */
    case_end();

    case_begin("copy_frame_to_gref");
    op = (struct gnttab_copy){ .source = { .u.gmfn = virt_to_mfn(page_a), .domid = DOMID_SELF },
                               .dest = { .u.ref = 21, .domid = self, .offset = 4000 },
                               .len = 96, .flags = GNTCOPY_dest_gref };
    CHECK_EQ(copy1(&op), GNTST_okay);
    CHECK_EQ(memcmp(page_c + 4000, page_a, 96), 0);
    CHECK_EQ(AT(page_c, 3999), 'c');
    CHECK_EQ(gt[21].flags, GTF_RW);
    case_end();

    case_begin("copy_gref_to_gref");
    op = (struct gnttab_copy){ .source = { .u.ref = 20, .domid = self },
                               .dest = { .u.ref = 21, .domid = self },
                               .len = 4096, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    CHECK_EQ(copy1(&op), GNTST_okay);
    CHECK_EQ(memcmp(page_c, page_a, 4096), 0);
    op.len = 0;
    CHECK_EQ(copy1(&op), GNTST_okay);
    case_end();

    case_begin("copy_errors");
    memset(page_c, 'c', 4096);
    /* Beyond the page, on either side. */
    op = (struct gnttab_copy){ .source = { .u.ref = 20, .domid = self, .offset = 4000 },
                               .dest = { .u.ref = 21, .domid = self },
                               .len = 97, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    CHECK_EQ(copy1(&op), GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.dest.offset = 4095;
    op.len = 2;
    CHECK_EQ(copy1(&op), GNTST_bad_copy_arg);
    op.dest.offset = 0;
    op.len = 4097;
    CHECK_EQ(copy1(&op), GNTST_bad_copy_arg);
    /* Writing into a read-only grant. */
    op.len = 8;
    op.dest.u.ref = 20;
    CHECK_EQ(copy1(&op), GNTST_general_error);
    CHECK_EQ(gt[20].flags, GTF_RO);
    /* A raw frame only of our own, named DOMID_SELF. */
    op = (struct gnttab_copy){ .source = { .u.gmfn = virt_to_mfn(page_a), .domid = self },
                               .dest = { .u.ref = 21, .domid = self },
                               .len = 8, .flags = GNTCOPY_dest_gref };
    CHECK_EQ(copy1(&op), GNTST_permission_denied);
    uint64_t xen_l3 = (((uint64_t *)start_info->pt_base)[262] & PTE_ADDR_MASK) >> PAGE_SHIFT;
    op.source.domid = DOMID_SELF;
    op.source.u.gmfn = xen_l3;
    CHECK_EQ(copy1(&op), GNTST_bad_page);
    op.source.u.gmfn = 0xfffffffffUL;
    CHECK_EQ(copy1(&op), GNTST_bad_page);
    /* Writing into one of our page tables through a raw frame. */
    op = (struct gnttab_copy){ .source = { .u.ref = 20, .domid = self },
                               .dest = { .u.gmfn = pte_maddr(page_a) >> PAGE_SHIFT,
                                         .domid = DOMID_SELF },
                               .len = 8, .flags = GNTCOPY_source_gref };
    CHECK_EQ(copy1(&op), GNTST_general_error);
    /* Bad grant, bad domain, a grant for someone else. */
    op = (struct gnttab_copy){ .source = { .u.ref = 5000, .domid = self },
                               .dest = { .u.ref = 21, .domid = self },
                               .len = 8, .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    CHECK_EQ(copy1(&op), GNTST_bad_gntref);
    op.source.u.ref = 20;
    op.source.domid = DOM_NONE;
    CHECK_EQ(copy1(&op), GNTST_bad_domain);
    grant(22, page_a, 5, GTF_RW);
    op.source.domid = self;
    op.source.u.ref = 22;
    CHECK_EQ(copy1(&op), GNTST_general_error);
    CHECK_EQ(gt[22].flags, GTF_RW);
    CHECK_EQ(gt[21].flags, GTF_RW);
    CHECK_EQ(AT(page_c, 0), 'c');
    case_end();

    case_begin("copy_batch_statuses");
    struct gnttab_copy ops[3];
    for (unsigned int i = 0; i < 3; i++)
        ops[i] = (struct gnttab_copy){ .source = { .u.ref = 20, .domid = self, .offset = 8 },
                                       .dest = { .u.ref = 21, .domid = self, .offset = 16 * i },
                                       .len = 16, .status = 99,
                                       .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref };
    ops[1].len = 4090;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, 3), 0);
    CHECK_EQ(ops[0].status, GNTST_okay);
    CHECK_EQ(ops[1].status, GNTST_bad_copy_arg);
    CHECK_EQ(ops[2].status, GNTST_okay);
    CHECK_EQ(memcmp(page_c + 32, page_a + 8, 16), 0);
    CHECK_EQ(AT(page_c, 16), 'c');
    case_end();
}

static void versions(void)
{
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF, .version = 99 };
    struct gnttab_get_status_frames gs = { .nr_frames = 0, .dom = DOMID_SELF };
    uint64_t frame;

    case_begin("set_version");
    /* gnttab=max-ver:1 on Xen: version 2 is as if set_version did not exist. */
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), -ENOSYS);
    CHECK_EQ(sv.version, 1);                 /* the current version comes back */
    sv.version = 3;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
    CHECK_EQ(sv.version, 1);
    sv.version = 1;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(sv.version, 1);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_set_version, (void *)0x1000, 1), -EFAULT);
    case_end();

    case_begin("get_version");
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 1);
    gv.dom = self;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 1);
    gv.dom = DOM_NONE;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), -ESRCH);
    case_end();

    case_begin("get_status_frames_v1");
    set_xen_guest_handle(gs.frame_list, &frame);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_okay);         /* none asked, none there */
    gs.nr_frames = 1;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);
    gs.dom = DOM_NONE;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_bad_domain);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &gs, 2), -EINVAL);
    case_end();
}

static void revoking(void)
{
    struct gnttab_map_grant_ref op, op2;
    struct gnttab_swap_grant_ref sw;

    memset(page_a, 'a', 4096);

    case_begin("end_grant_while_mapped");
    grant(30, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 30, self), GNTST_okay);
    /*
     * A granter that ends access the careful way (cmpxchg of flags to 0
     * only while neither GTF_reading nor GTF_writing is set) sees it is in
     * use and must wait.
     */
    uint16_t flags = gt[30].flags;
    CHECK_EQ(flags & (GTF_reading | GTF_writing), GTF_reading | GTF_writing);
    CHECK(!__sync_bool_compare_and_swap(&gt[30].flags, GTF_RW, 0));
    /* One that just clears the entry changes nothing for the mapper... */
    gt[30].flags = 0;
    AT(page_m, 0) = 'R';
    CHECK_EQ(AT(page_a, 0), 'R');
    /* ...whose pin still admits more mappings of the same kind. */
    CHECK_EQ(gnttab_map1(&op2, (uint64_t)page_n, GNTMAP_host_map | GNTMAP_readonly, 30, self),
             GNTST_okay);
    CHECK_EQ(peek(page_n), 'R');
    CHECK_EQ(gnttab_unmap1((uint64_t)page_n, 0, op2.handle), GNTST_okay);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[30].flags, 0);               /* the bits are only ever cleared */
    /* With no pin left, the ended grant admits nothing. */
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 30, self), GNTST_general_error);
    restore(page_m);
    restore(page_n);
    case_end();

    case_begin("swap_grant_ref");
    grant(31, page_a, self, GTF_RW);
    grant(32, page_b, 5, GTF_RO);
    sw = (struct gnttab_swap_grant_ref){ .ref_a = 31, .ref_b = 32, .status = 99 };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_swap_grant_ref, &sw, 1), 0);
    CHECK_EQ(sw.status, GNTST_okay);
    CHECK_EQ(gt[31].flags, GTF_RO);
    CHECK_EQ(gt[31].domid, 5);
    CHECK_EQ(gt[32].frame, (uint32_t)virt_to_mfn(page_a));
    CHECK_EQ(gnttab_map1(&op, 0, GNTMAP_device_map | GNTMAP_readonly, 32, self), GNTST_okay);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_swap_grant_ref, &sw, 1), 0);
    CHECK_EQ(sw.status, GNTST_eagain);       /* in use */
    CHECK_EQ(gnttab_unmap1(0, op.dev_bus_addr, op.handle), GNTST_okay);
    sw.ref_b = NR_GT * 512;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_swap_grant_ref, &sw, 1), 0);
    CHECK_EQ(sw.status, GNTST_bad_gntref);
    case_end();

    case_begin("pte_overwritten_by_guest");
    grant(33, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_m, GNTMAP_host_map, 33, self), GNTST_okay);
    /*
     * The guest replaces the grant's PTE by one of its own. Xen (a release
     * build) lets it, dropping the references that PTE held; the grant's
     * unmap then finds no grant PTE there, and the handle and the pin stay
     * until the domain dies.
     */
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_m, pte_for(page_m, PTE_RW), UVMF_INVLPG), 0);
    CHECK_EQ(peek(page_m), 0);
    CHECK_EQ(gnttab_unmap1((uint64_t)page_m, 0, op.handle), GNTST_general_error);
    CHECK_EQ(gt[33].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(gnttab_unmap1(0, 0, op.handle), GNTST_okay);   /* nothing to undo */
    CHECK_EQ(gt[33].flags, GTF_RW | GTF_reading | GTF_writing);
    case_end();
}


static void grant_pte_lifecycle(void)
{
    struct gnttab_map_grant_ref op;
    volatile uint64_t *l1 = (volatile uint64_t *)page_l1;
    uint64_t l1_mfn = virt_to_mfn(page_l1), slot = (l1_mfn << PAGE_SHIFT) + 5 * 8;

    case_begin("grant_pte_in_unpinned_l1");
    /*
     * A grant PTE is an L1 entry like any other: unpinning its table
     * releases it (the grant's unmap then finds no L1 there), pinning the
     * table again validates it as an ordinary mapping of the frame, which
     * the grant's unmap then removes. No reference is lost or dropped twice
     * (Satori's frame-table audit at shutdown recounts them).
     */
    memset(page_l1, 0, 4096);
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_l1, pte_for(page_l1, PTE_RO), UVMF_INVLPG), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1_mfn), 0);
    grant(10, page_a, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, slot, GNTMAP_host_map | GNTMAP_contains_pte, 10, self), GNTST_okay);
    CHECK_EQ(l1[5] & (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW),
             (virt_to_mfn(page_a) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1_mfn), 0);
    CHECK_EQ(gnttab_unmap1(slot, 0, op.handle), GNTST_general_error);
    CHECK_EQ(gt[10].flags, GTF_RW | GTF_reading | GTF_writing);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, l1_mfn), 0);
    CHECK_EQ(gnttab_unmap1(slot, 0, op.handle), GNTST_okay);
    CHECK_EQ(gt[10].flags, GTF_RW);
    CHECK_EQ(l1[5], 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, l1_mfn), 0);
    restore(page_l1);
    case_end();

    case_begin("left_mapped_at_shutdown");
    /* For the audit after power-off: a host and a device mapping stay. */
    grant(40, page_b, self, GTF_RW);
    CHECK_EQ(gnttab_map1(&op, (uint64_t)page_n, GNTMAP_host_map | GNTMAP_device_map, 40, self),
             GNTST_okay);
    CHECK_EQ(gnttab_map1(&op, 0, GNTMAP_device_map | GNTMAP_readonly, 40, self), GNTST_okay);
    CHECK_EQ(peek(page_n), 'b');
    case_end();
}

void guest_main(void)
{
    setup();
    setup_errors();
    map_rw_ro();
    map_errors();
    map_variants();
    pin_limits();
    copies();
    versions();
    revoking();

    grant_pte_lifecycle();

    case_begin("unmap_table_frames");
    for (unsigned int i = 0; i < NR_GT; i++)
        restore(gt_win[i]);
    case_end();
}
