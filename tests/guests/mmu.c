// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu: page-table updates of a PV guest through mmu_update,
 * update_va_mapping, mmuext_op and trapped direct writes, the rules Xen
 * enforces on them (page tables never writable, no foreign frames), and
 * the M2P the guest reads at XENMEM_machphys_mapping's address.
 */
#include "guest.h"

const char guest_name[] = "mmu";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char page_a[4096] PG, page_b[4096] PG, page_c[4096] PG, page_d[4096] PG;

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)

static uint64_t pte_for(const void *page, uint64_t flags)
{
    return (virt_to_mfn(page) << PAGE_SHIFT) | flags;
}


static long mmu_update1(uint64_t ptr, uint64_t val)
{
    mmu_update_t u = { .ptr = ptr, .val = val };
    unsigned int done = 0;
    long rc = HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF);

    if (rc == 0 && done != 1)
        case_fail("mmu_update: done = %u", done);
    return rc;
}

static int restore_a(void)
{
    return HYPERVISOR_update_va_mapping(page_a, pte_for(page_a, PTE_RW), UVMF_INVLPG) == 0;
}

void guest_main(void)
{
    volatile char *a = page_a;
    long rc;

    memset(page_a, 'A', 4096);
    memset(page_b, 'B', 4096);
    memset(page_c, 'C', 4096);

    case_begin("machphys_mapping");
    xen_machphys_mapping_t mm = { 0 };
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mm), 0);
    CHECK_EQ(mm.v_start, 0xffff800000000000UL);
    CHECK(mm.v_end > mm.v_start && mm.v_end <= 0xffff804000000000UL);
    CHECK(mm.max_mfn >= virt_to_mfn(page_a));
    case_end();

    case_begin("m2p_read");
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (m2p[pfn_to_mfn(pfn)] != pfn) {
            case_fail("m2p[%#lx] = %#lx, want pfn %#lx", pfn_to_mfn(pfn),
                      m2p[pfn_to_mfn(pfn)], pfn);
            break;
        }
    case_end();

    case_begin("mmu_update_normal");
    CHECK_EQ(mmu_update1(pte_maddr(page_a) | MMU_NORMAL_PT_UPDATE, pte_for(page_b, PTE_RW)), 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (uint64_t)page_a), 0);
    CHECK_EQ(a[100], 'B');
    CHECK_EQ(pte_read(page_a) & PTE_ADDR_MASK, virt_to_mfn(page_b) << PAGE_SHIFT);
    CHECK_EQ(mmu_update1(pte_maddr(page_a) | MMU_NORMAL_PT_UPDATE, pte_for(page_a, PTE_RW)), 0);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    CHECK_EQ(a[100], 'A');
    case_end();

    case_begin("mmu_update_preserve_ad");
    CHECK_EQ(mmu_update1(pte_maddr(page_a) | MMU_PT_UPDATE_PRESERVE_AD, pte_for(page_c, PTE_RW)), 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (uint64_t)page_a), 0);
    CHECK_EQ(a[7], 'C');
    CHECK(restore_a());
    CHECK_EQ(a[7], 'A');
    case_end();

    case_begin("update_va_mapping_invlpg");
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_c, PTE_RW), UVMF_INVLPG), 0);
    CHECK_EQ(a[5], 'C');
    CHECK(restore_a());
    CHECK_EQ(a[5], 'A');
    case_end();

    case_begin("update_va_mapping_readonly");
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_a, PTE_RO), UVMF_INVLPG), 0);
    EXPECT_TRAP_IN("movb $1, (%0)", page_a, 0);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3);
    CHECK(restore_a());
    a[0] = 'A';
    case_end();

    uint64_t l1_mfn = pte_maddr(page_a) >> PAGE_SHIFT;

    case_begin("pt_page_writable_fails");
    rc = HYPERVISOR_update_va_mapping(page_a, (l1_mfn << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG);
    /* Xen 4.17: -EBUSY (the frame cannot take the writable type). */
    CHECK_EQ(rc, -EBUSY);
    CHECK_EQ(a[9], 'A');
    if (rc == 0)
        restore_a();
    case_end();

    case_begin("pt_page_readonly_ok");
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, (l1_mfn << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG), 0);
    /* Entry of page_a itself, seen through the L1 mapped at page_a. */
    CHECK_EQ(((volatile uint64_t *)page_a)[((uint64_t)page_a >> 12) & 511] & PTE_ADDR_MASK,
             l1_mfn << PAGE_SHIFT);
    CHECK(restore_a());
    case_end();

    case_begin("foreign_frame_fails");
    /* L4 slot 262 holds an L3 of the hypervisor's own (not ours). */
    uint64_t xen_l3 = (((uint64_t *)start_info->pt_base)[262] & PTE_ADDR_MASK) >> PAGE_SHIFT;
    CHECK(xen_l3 != 0);
    rc = HYPERVISOR_update_va_mapping(page_a, (xen_l3 << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG);
    /* Xen 4.17: -EBUSY (owner is not us, and we named no foreign domain). */
    CHECK_EQ(rc, -EBUSY);
    if (rc == 0)
        restore_a();
    CHECK_EQ(a[9], 'A');
    case_end();

    case_begin("ptwr_emulated_write");
    /* A plain store to our (read-only) L1 is trapped and emulated. */
    volatile uint64_t *pte_va = (volatile uint64_t *)((uint64_t)mfn_to_virt(l1_mfn) +
                                                      (pte_maddr(page_a) & 4095));
    EXPECT_TRAP_IN("movq %0, (%1)", pte_for(page_b, PTE_RW), pte_va);
    CHECK_EQ(last_trap.taken, 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (uint64_t)page_a), 0);
    CHECK_EQ(a[11], 'B');
    CHECK(restore_a());
    CHECK_EQ(a[11], 'A');
    case_end();

    case_begin("ptwr_bad_write_faults");
    /* The same store mapping a page table writable is refused: #PF. */
    EXPECT_TRAP_IN("movq %0, (%1)", (l1_mfn << PAGE_SHIFT) | PTE_RW, pte_va);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.error_code, 3);
    CHECK_EQ(a[1], 'A');
    case_end();

    case_begin("pin_unpin_l1");
    memset(page_d, 0, 4096);
    uint64_t d_mfn = virt_to_mfn(page_d);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, d_mfn), -EINVAL);  /* mapped writable */
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_d, pte_for(page_d, PTE_RO), UVMF_INVLPG), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, d_mfn), 0);
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, d_mfn), -EINVAL);  /* pinned already */
    /* Its entries are validated now: one of ours read-only is fine... */
    CHECK_EQ(mmu_update1((d_mfn << PAGE_SHIFT) + 8, pte_for(page_b, PTE_RO)), 0);
    /*
     * Xen rewrites what it stores: a 64-bit PV guest's L1 entries get
     * _PAGE_USER (the kernel runs in ring 3) and Xen's own bit 52 marking
     * a guest-kernel page. Frame, present and read-only are ours.
     */
    uint64_t e = ((volatile uint64_t *)page_d)[1];
    CHECK_EQ(e & PTE_ADDR_MASK, virt_to_mfn(page_b) << PAGE_SHIFT);
    CHECK_EQ(e & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT);
    /* ...and it cannot be mapped writable while it is an L1. */
    rc = HYPERVISOR_update_va_mapping(page_d, pte_for(page_d, PTE_RW), UVMF_INVLPG);
    CHECK_EQ(rc, -EBUSY);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, d_mfn), 0);
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, d_mfn), -EINVAL);   /* not pinned */
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_d, pte_for(page_d, PTE_RW), UVMF_INVLPG), 0);
    page_d[8] = 0;
    case_end();

    case_begin("tlb_flush_local");
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (uint64_t)page_a), 0);
    case_end();

    case_begin("tlb_flush_all_and_multi");
    static const uint64_t vcpu0 = 1;             /* a vCPU bitmap: vCPU 0 */
    struct mmuext_op op;
    unsigned int done;
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_ALL, (uint64_t)page_a), 0);
    for (unsigned int cmd = MMUEXT_TLB_FLUSH_MULTI; cmd <= MMUEXT_INVLPG_MULTI; cmd++) {
        memset(&op, 0, sizeof(op));
        op.cmd = cmd;
        op.arg1.linear_addr = (uint64_t)page_a;
        set_xen_guest_handle(op.arg2.vcpumask, (void *)&vcpu0);
        done = 0;
        CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), 0);
        CHECK_EQ(done, 1);
        /* An unreadable bitmap: Xen 4.17 says -EINVAL, not -EFAULT. */
        set_xen_guest_handle(op.arg2.vcpumask, (void *)0x1000);
        done = 0;
        CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), -EINVAL);
        CHECK_EQ(done, 0);
    }
    case_end();

    case_begin("update_va_mapping_flush_bitmaps");
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_a, PTE_RW), UVMF_TLB_FLUSH | UVMF_ALL), 0);
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_a, PTE_RW),
                                          UVMF_INVLPG | (uint64_t)&vcpu0), 0);
    /* No flush type: the bitmap field is not even read. */
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_a, PTE_RW), UVMF_NONE | 0x1000), 0);
    /* An unreadable bitmap is -EFAULT, but only after the entry changed. */
    CHECK_EQ(HYPERVISOR_update_va_mapping(page_a, pte_for(page_c, PTE_RW), UVMF_INVLPG | 0x1000),
             -EFAULT);
    CHECK_EQ(pte_read(page_a) & PTE_ADDR_MASK, virt_to_mfn(page_c) << PAGE_SHIFT);
    CHECK_EQ(mmuext1(MMUEXT_INVLPG_LOCAL, (uint64_t)page_a), 0);
    CHECK_EQ(a[3], 'C');
    CHECK(restore_a());
    case_end();

    case_begin("multicall");
    multicall_entry_t mc[3];
    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_version;
    mc[1].op = __HYPERVISOR_update_va_mapping;
    mc[1].args[0] = (uint64_t)page_a;
    mc[1].args[1] = pte_for(page_c, PTE_RW);
    mc[1].args[2] = UVMF_INVLPG;
    mc[2].op = 99;                      /* no such hypercall */
    CHECK_EQ(HYPERVISOR_multicall(mc, 3), 0);
    CHECK_EQ(mc[0].result, (4 << 16) | 17);
    CHECK_EQ(mc[1].result, 0);
    CHECK_EQ((long)mc[2].result, -ENOSYS);
    CHECK_EQ(a[3], 'C');
    CHECK(restore_a());
    case_end();

    case_begin("mmu_update_writable_page");
    /*
     * ptr into an ordinary (writable-type) page of ours: Xen 4.17 accepts
     * it and stores val there verbatim, as a plain write.
     */
    CHECK_EQ(mmu_update1((virt_to_mfn(page_b) << PAGE_SHIFT) + 16, 0x1122334455667788UL), 0);
    CHECK_EQ(*(volatile uint64_t *)(page_b + 16), 0x1122334455667788UL);
    CHECK_EQ(page_b[8], 'B');
    CHECK_EQ(page_b[24], 'B');
    memset(page_b, 'B', 4096);
    case_end();

    case_begin("machphys_update");
    uint64_t b_mfn = virt_to_mfn(page_b), b_pfn = virt_to_pfn(page_b);
    CHECK_EQ(mmu_update1((b_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, b_pfn + 1), 0);
    CHECK_EQ(m2p[b_mfn], b_pfn + 1);
    CHECK_EQ(mmu_update1((b_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, b_pfn), 0);
    CHECK_EQ(m2p[b_mfn], b_pfn);
    case_end();

    case_begin("update_va_mapping_hypervisor_va");
    rc = HYPERVISOR_update_va_mapping(0xffff830000000000UL, pte_for(page_c, PTE_RO), UVMF_INVLPG);
    CHECK_EQ(rc, -EINVAL);
    case_end();

    case_begin("mmu_update_efault");
    CHECK_EQ(HYPERVISOR_mmu_update(0x1000, 1, 0, DOMID_SELF), -EFAULT);
    CHECK_EQ(HYPERVISOR_mmuext_op(0x1000, 1, 0, DOMID_SELF), -EFAULT);
    case_end();
}
