// SPDX-License-Identifier: GPL-2.0-only
/*
 * desc: set_gdt and update_descriptor. A page of our own becomes our GDT
 * once it is mapped read-only; its flat DPL-3 segments then load; a
 * present system descriptor, a writable frame, too many entries or a bad
 * frame list are refused; update_descriptor raises DPL 0 to 3 (our kernel
 * runs in ring 3) and refuses system descriptors and misaligned addresses;
 * MMUEXT_SET_LDT installs a read-only page of ours as the LDT, whose
 * selectors (TI = 1) then load, and 0 entries removes it.
 */
#include "guest.h"

const char guest_name[] = "desc";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static uint64_t gdt[512] PG, other[512] PG, ldt[512] PG;

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define DATA_DPL3 0x00cff2000000ffffULL
#define DATA_DPL0 0x00cf92000000ffffULL
#define CODE64_DPL3 0x00affa000000ffffULL
#define TSS_AVAIL 0x0000890000000067ULL

static long map(void *page, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping(page, (virt_to_mfn(page) << PAGE_SHIFT) | flags,
                                        UVMF_INVLPG);
}

static long set_gdt_of(void *page, unsigned long entries)
{
    unsigned long frame = virt_to_mfn(page);

    return HYPERVISOR_set_gdt(&frame, entries);
}

static long set_ldt(unsigned long base, unsigned long ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    unsigned int done;

    op.arg1.linear_addr = base;
    op.arg2.nr_ents = ents;
    return HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF);
}

void guest_main(void)
{
    unsigned long gdt_mfn = virt_to_mfn(gdt);
    uint16_t sel = 0;

    gdt[1] = DATA_DPL3;
    gdt[2] = CODE64_DPL3;
    other[3] = TSS_AVAIL;

    CASE("writable_frame_refused", set_gdt_of(gdt, 3) == -EINVAL);
    CASE("map_read_only", map(gdt, PTE_RO) == 0 && map(other, PTE_RO) == 0);
    CASE("set_gdt", set_gdt_of(gdt, 3) == 0);

    case_begin("load_own_selector");
    asm volatile("mov %1, %%ds\n\tmov %%ds, %0\n\tmov %2, %%ds"
                 : "=r"(sel) : "r"((uint16_t)0x0b), "r"((uint16_t)0));
    CHECK_EQ(sel, 0x0b);
    case_end();

    CASE("tss_descriptor_refused", set_gdt_of(other, 8) == -EINVAL);
    CASE("too_many_entries", set_gdt_of(gdt, 7169) == -EINVAL);
    CASE("bad_frame_list", HYPERVISOR_set_gdt((void *)0x1000, 3) == -EFAULT);

    case_begin("update_descriptor_raises_dpl");
    CHECK_EQ(HYPERVISOR_update_descriptor((gdt_mfn << PAGE_SHIFT) + 3 * 8, DATA_DPL0), 0);
    CHECK_EQ(gdt[3], DATA_DPL3);
    case_end();

    CASE("update_descriptor_system_refused",
         HYPERVISOR_update_descriptor((gdt_mfn << PAGE_SHIFT) + 4 * 8, TSS_AVAIL) == -EINVAL);
    CASE("update_descriptor_misaligned",
         HYPERVISOR_update_descriptor((gdt_mfn << PAGE_SHIFT) + 4, DATA_DPL3) == -EINVAL);
    CASE("update_descriptor_foreign_frame",
         HYPERVISOR_update_descriptor(0x1000, DATA_DPL3) == -EINVAL);

    case_begin("set_ldt_and_load");
    ldt[1] = DATA_DPL3;
    CHECK_EQ(map(ldt, PTE_RO), 0);
    CHECK_EQ(set_ldt((unsigned long)ldt, 2), 0);
    sel = 0;
    asm volatile("mov %1, %%es\n\tmov %%es, %0\n\tmov %2, %%es"
                 : "=r"(sel) : "r"((uint16_t)0x0f), "r"((uint16_t)0));
    CHECK_EQ(sel, 0x0f);
    CHECK_EQ(set_ldt(0, 0), 0);
    case_end();

    CASE("set_ldt_misaligned", set_ldt((unsigned long)ldt + 8, 2) == -EINVAL);
    CASE("set_ldt_too_many_entries", set_ldt((unsigned long)ldt, 8193) == -EINVAL);
}
