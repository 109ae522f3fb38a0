/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Segment descriptors: each CPU's GDT and TSS. As in Xen, the hypervisor's
 * descriptors sit in the GDT's last page, from entry 7168 (selector 0xe000)
 * on, leaving entries 0-7167 to the guest's own GDT frames; the selectors
 * PV guests use (0xe023, 0xe02b, 0xe033) are flat ring-3 descriptors there.
 *
 * Each CPU's GDT lives in its own 64 KiB window at GDT_VIRT_START: pages
 * 0-13 show the running guest's descriptor frames (set_gdt), or a shared
 * zero page where it has none, and page 14 the CPU's own descriptors. The
 * window needs the heap; until it exists (early boot of the boot CPU) the
 * GDTR base is set 7168 entries below the descriptor page instead, with
 * nothing in the guest range ever selected.
 */
#include <satori/bug.h>
#include <satori/mm.h>
#include <satori/string.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/x86.h>

#define GDT_IDX(sel) (((sel) >> 3) - FIRST_RESERVED_GDT_ENTRY)

/* Flat segment descriptor: base 0, limit 4 GiB. */
static uint64_t flat(unsigned int type, unsigned int dpl, bool long_mode, bool big)
{
    return 0x000f00000000ffffULL | ((uint64_t)type << 40) | (1ULL << 44) |
           ((uint64_t)dpl << 45) | (1ULL << 47) | ((uint64_t)long_mode << 53) |
           ((uint64_t)big << 54) | (1ULL << 55);
}

static void set_system_desc(uint64_t *gdt, unsigned int sel, uint64_t base, uint32_t limit,
                            unsigned int type)
{
    unsigned int i = GDT_IDX(sel);

    gdt[i] = (limit & 0xffff) | ((base & 0xffffff) << 16) | ((uint64_t)type << 40) |
             (1ULL << 47) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
             ((uint64_t)((base >> 24) & 0xff) << 56);
    gdt[i + 1] = base >> 32;
}

static void fill_gdt(uint64_t *gdt, const struct pcpu *p)
{
    memset(gdt, 0, PAGE_SIZE);
    gdt[GDT_IDX(HYPERVISOR_CS)] = flat(0xb, 0, true, false);
    gdt[GDT_IDX(HYPERVISOR_DS)] = flat(0x3, 0, false, true);
    gdt[GDT_IDX(RING3_CS32)] = flat(0xb, 3, false, true);
    gdt[GDT_IDX(RING3_DS)] = flat(0x3, 3, false, true);
    gdt[GDT_IDX(RING3_CS64)] = flat(0xb, 3, true, false);
    gdt[GDT_IDX(HYPERVISOR_CS32)] = flat(0xb, 0, false, true);
    set_system_desc(gdt, TSS_SEL, (uint64_t)&p->tss, sizeof(p->tss) - 1, 0x9);
    /* limit = CPU number: lets a CPU find itself with lsl, as Xen does */
    gdt[GDT_IDX(PER_CPU_SEL)] = (uint64_t)(p->id & 0xffff) | (0x1ULL << 40) | (1ULL << 44) |
                               (1ULL << 47);
}

static void fill_tss(struct pcpu *p)
{
    uint64_t base = (uint64_t)p->stack;

    memset(&p->tss, 0, sizeof(p->tss));
    p->tss.rsp[0] = base + STACK_SIZE - CPU_INFO_SIZE;
    p->tss.ist[IST_DF - 1] = base + 1 * PAGE_SIZE;
    p->tss.ist[IST_NMI - 1] = base + 2 * PAGE_SIZE;
    p->tss.ist[IST_MC - 1] = base + 3 * PAGE_SIZE;
    p->tss.iomap_base = sizeof(p->tss);   /* no I/O bitmap: ring 3 has no ports */
}

#define GUEST_GDT_PAGES 14
static uint64_t zero_page;        /* machine address of the shared zero page */

static uint64_t gdt_window(const struct pcpu *p)
{
    return GDT_VIRT_START + p->id * GDT_VIRT_STRIDE;
}

static void load_gdtr(const struct pcpu *p)
{
    struct desc_ptr gdtr;

    gdtr.base = p->gdt_window ? p->gdt_window : (uint64_t)p->gdt - FIRST_RESERVED_GDT_ENTRY * 8;
    gdtr.limit = (FIRST_RESERVED_GDT_ENTRY + 512) * 8 - 1;
    lgdt(&gdtr);
}

void desc_init_gdt_window(struct pcpu *p, bool load)
{
    uint64_t win = gdt_window(p);

    if (!zero_page)
        zero_page = alloc_zeroed_page_paddr();
    BUG_ON(!zero_page);
    for (unsigned int i = 0; i < GUEST_GDT_PAGES; i++)
        BUG_ON(map_pages(win + i * PAGE_SIZE, zero_page, 1, PAGE_HYPERVISOR_RO));
    BUG_ON(map_pages(win + GUEST_GDT_PAGES * PAGE_SIZE, __pa(p->gdt), 1, PAGE_HYPERVISOR_RW));
    p->gdt_window = win;
    if (load)
        load_gdtr(p);
}

void desc_map_guest_gdt(struct pcpu *p, const uint64_t *mfns, unsigned int nr)
{
    uint64_t win = gdt_window(p);

    for (unsigned int i = 0; i < GUEST_GDT_PAGES; i++) {
        uint64_t pa = i < nr ? mfns[i] << PAGE_SHIFT : zero_page;
        /* writable for the CPU's accessed-bit updates; guests map them read-only */
        BUG_ON(map_pages(win + i * PAGE_SIZE, pa, 1,
                         i < nr ? PAGE_HYPERVISOR_RW : PAGE_HYPERVISOR_RO));
    }
}

/* The CPU's LDT: nr guest frames in its LDT window, or none (ents 0). */
void desc_map_guest_ldt(struct pcpu *p, const uint64_t *mfns, unsigned int nr, uint64_t ents)
{
    uint64_t win = LDT_VIRT_START + p->id * GDT_VIRT_STRIDE;

    for (unsigned int i = 0; i < 16; i++) {
        uint64_t pa = i < nr ? mfns[i] << PAGE_SHIFT : zero_page;
        BUG_ON(map_pages(win + i * PAGE_SIZE, pa, 1,
                         i < nr ? PAGE_HYPERVISOR_RW : PAGE_HYPERVISOR_RO));
    }
    if (!ents) {
        lldt(0);
        return;
    }
    set_system_desc(p->gdt, LDT_SEL, win, (uint32_t)(ents * 8 - 1), 0x2);
    lldt(LDT_SEL);
}

void desc_init_cpu(struct pcpu *p)
{
    fill_tss(p);
    fill_gdt(p->gdt, p);
    load_gdtr(p);
    __asm__ volatile(
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %[ds], %%ss\n\t"
        "mov %[ds], %%ds\n\t"
        "mov %[ds], %%es\n\t"
        : : [cs] "i"(HYPERVISOR_CS), [ds] "r"(HYPERVISOR_DS) : "rax", "memory");
    ltr(TSS_SEL);
    lldt(0);
}
