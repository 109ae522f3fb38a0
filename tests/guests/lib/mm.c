// SPDX-License-Identifier: GPL-2.0-only
/*
 * Address translation for tests: the builder's linear mapping (pfn =
 * (va - VIRT_BASE) >> 12), the P2M list (start_info.mfn_list), the
 * read-only M2P every PV guest sees at 0xffff800000000000, and a walk of
 * the guest's own page tables (read-only to it) from start_info.pt_base.
 */
#include "guest.h"

uint64_t *const m2p = (uint64_t *)0xffff800000000000UL;

uint64_t virt_to_pfn(const void *va)
{
    return ((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT;
}

uint64_t pfn_to_mfn(uint64_t pfn)
{
    return ((const uint64_t *)start_info->mfn_list)[pfn];
}

uint64_t virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

void *mfn_to_virt(uint64_t mfn)
{
    return (void *)(VIRT_BASE + (m2p[mfn] << PAGE_SHIFT));
}

uint64_t pte_maddr(const void *va)
{
    uint64_t a = (uint64_t)va;
    const uint64_t *table = (const uint64_t *)start_info->pt_base;

    for (int level = 4; level > 1; level--) {
        uint64_t e = table[(a >> (12 + 9 * (level - 1))) & 511];
        if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
            return 0;
        table = mfn_to_virt((e & PTE_ADDR_MASK) >> PAGE_SHIFT);
    }
    return (virt_to_mfn(table) << PAGE_SHIFT) + ((a >> 12) & 511) * 8;
}

uint64_t pte_read(const void *va)
{
    uint64_t ma = pte_maddr(va);

    if (!ma)
        return 0;
    return *(const uint64_t *)((uint64_t)mfn_to_virt(ma >> PAGE_SHIFT) + (ma & 4095));
}

long mmuext1(unsigned int cmd, uint64_t arg1)
{
    struct mmuext_op op = { .cmd = cmd };
    unsigned int done = 0;
    long rc;

    op.arg1.mfn = arg1;
    rc = HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF);
    if (rc == 0 && done != 1)
        case_fail("mmuext_op %u: done = %u", cmd, done);
    return rc;
}
