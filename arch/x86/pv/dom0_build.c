/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV dom0 builder: turns module 0 (an ELF64 kernel with Xen notes) and
 * module 1 (its initrd) into a running domain, laying out what Xen's
 * builder lays out, in one linear mapping from the kernel's VIRT_BASE:
 *
 *   pfn 0 ... kernel ... initrd ... p2m list ... start_info ...
 *   page tables (L4, L3, L2, L1s) ... boot stack ... padding to 4 MiB
 *
 * All of it lies under one L2 (1 GiB) reached through L4 -> L3, mapped with
 * 4 KiB pages, user-accessible (the guest kernel runs in ring 3), writable
 * except the page-table pages themselves. Every frame is zeroed before the
 * guest sees it. The M2P gets every frame's pfn before entry.
 *
 * Invariants:
 *  1. Everything mapped is a frame dom0 owns; the page-table frames carry
 *     their level's type, validated, and the L4 is pinned.
 *  2. The guest L4 carries the hypervisor's slots (256-271) and nothing
 *     else of the hypervisor.
 */
#include <public/xen.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/elf.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/params.h>
#include <satori/rtc.h>
#include <satori/string.h>
#include <satori/time.h>
#include <asm/mm.h>
#include <asm/pv.h>
#include <asm/time.h>
#include <asm/x86.h>
#include "pv_mm.h"

#define GUEST_PTE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER)
#define GUEST_PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER)
#define GUEST_PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_USER)
#define L2_SPAN (1UL << 21)
#define MAX_MAPPING (1UL << 30)
/* Without dom0_mem, dom0 gets all free memory but this much. */
#define DOM0_RESERVE_PAGES (128UL << (20 - PAGE_SHIFT))

struct dom0_layout {
    uint64_t v_start, v_kern_end;
    uint64_t v_initrd, initrd_len;
    uint64_t v_p2m, v_start_info, v_pt, nr_pt_frames, v_stack, v_end;
};

static uint64_t *p2m;          /* pfn -> mfn, the builder's own copy */

static uint64_t pfn_of(const struct dom0_layout *l, uint64_t va)
{
    return (va - l->v_start) >> PAGE_SHIFT;
}

static void *guest_page(uint64_t pfn)
{
    return __va(p2m[pfn] << PAGE_SHIFT);
}

/* Copies into the guest's memory at guest virtual va (inside the mapping). */
static void copy_in(const struct dom0_layout *l, uint64_t va, const void *src, uint64_t len)
{
    const uint8_t *s = src;

    while (len) {
        uint64_t off = va & ~PAGE_MASK, n = MIN(len, PAGE_SIZE - off);
        memcpy((uint8_t *)guest_page(pfn_of(l, va)) + off, s, n);
        va += n;
        s += n;
        len -= n;
    }
}

static void compute_layout(struct dom0_layout *l, const struct elf_image *img,
                           uint64_t initrd_len, uint64_t nr_pages)
{
    uint64_t nr_l1 = 1, prev;

    l->v_start = img->notes.virt_base;
    l->v_kern_end = ALIGN_UP(img->vend, PAGE_SIZE);
    l->v_initrd = l->v_kern_end;
    l->initrd_len = initrd_len;
    l->v_p2m = ALIGN_UP(l->v_initrd + initrd_len, PAGE_SIZE);
    l->v_start_info = l->v_p2m + ALIGN_UP(nr_pages * 8, PAGE_SIZE);
    l->v_pt = l->v_start_info + PAGE_SIZE;
    do {   /* the page tables map themselves: iterate to a fixed point */
        prev = nr_l1;
        l->nr_pt_frames = 3 + nr_l1;
        l->v_stack = l->v_pt + l->nr_pt_frames * PAGE_SIZE;
        l->v_end = ALIGN_UP(l->v_stack + PAGE_SIZE + (512UL << 10), 4UL << 20);
        nr_l1 = (l->v_end - l->v_start) / L2_SPAN;
    } while (nr_l1 != prev);
}

static void check_layout(const struct dom0_layout *l, const struct elf_image *img,
                         uint64_t nr_pages)
{
    if (l->v_start & (MAX_MAPPING - 1))
        panic("dom0 kernel: VIRT_BASE %lx is not 1 GiB-aligned; Satori's builder maps one L2",
              l->v_start);
    if (img->vstart < l->v_start)
        panic("dom0 kernel: loads at %lx, below its VIRT_BASE %lx", img->vstart, l->v_start);
    if (l->v_end - l->v_start > MAX_MAPPING)
        panic("dom0 kernel and initrd need %lu MiB of initial mapping; at most 1024 fit",
              (l->v_end - l->v_start) >> 20);
    if (pfn_of(l, l->v_end) > nr_pages)
        panic("dom0_mem (%lu MiB) is too small for the kernel, initrd and boot structures "
              "(%lu MiB)", nr_pages >> (20 - PAGE_SHIFT), (l->v_end - l->v_start) >> 20);
}

static uint64_t dom0_nr_pages(void)
{
    uint64_t free = heap_free_pages(), want;

    want = opts.dom0_mem.amount ? opts.dom0_mem.amount >> PAGE_SHIFT
         : free > 2 * DOM0_RESERVE_PAGES ? free - DOM0_RESERVE_PAGES : free / 2;
    if (opts.dom0_mem.max && want > opts.dom0_mem.max >> PAGE_SHIFT)
        want = opts.dom0_mem.max >> PAGE_SHIFT;
    if (opts.dom0_mem.min && want < opts.dom0_mem.min >> PAGE_SHIFT)
        want = opts.dom0_mem.min >> PAGE_SHIFT;
    if (want + 64 > free)
        panic("dom0_mem asks for %lu MiB; only %lu MiB are free", want >> (20 - PAGE_SHIFT),
              free >> (20 - PAGE_SHIFT));
    return want;
}

static void allocate_memory(struct domain *d, uint64_t nr_pages)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < nr_pages * 8)
        order++;
    p2m = alloc_heap_pages(order);
    if (!p2m)
        panic("No memory for dom0's p2m");
    for (uint64_t pfn = 0; pfn < nr_pages; pfn++) {
        struct page_info *pg = domain_alloc_page(d);
        if (!pg)
            panic("Out of memory giving dom0 page %lu of %lu", pfn, nr_pages);
        p2m[pfn] = mfn_x(page_to_mfn(pg));
        memset(page_to_virt(pg), 0, PAGE_SIZE);
        set_m2p(page_to_mfn(pg), pfn);
    }
    d->max_pages = nr_pages;
}

static void load_kernel(const struct dom0_layout *l, const struct elf_image *img)
{
    for (unsigned int i = 0; i < img->nr_seg; i++) {
        const struct elf_segment *s = &img->seg[i];
        copy_in(l, s->paddr + img->virt_offset, img->data + s->file_offset, s->file_size);
        /* the rest (bss) is already zero */
    }
}

/*
 * Builds L4 -> L3 -> L2 -> L1s mapping [v_start, v_end) linearly, then has
 * the page-type state machine validate and pin them and make the L4 v's
 * kernel page table (invariants 1, 2): counts as if the guest had done it.
 */
static void build_page_tables(const struct dom0_layout *l, struct vcpu *v)
{
    uint64_t pt = pfn_of(l, l->v_pt), nr_l1 = l->nr_pt_frames - 3;
    pte_t *l4 = guest_page(pt), *l3 = guest_page(pt + 1), *l2 = guest_page(pt + 2);
    uint64_t nr_mapped = pfn_of(l, l->v_end);
    int rc;

    mm_copy_hypervisor_slots(l4);
    l4[(l->v_start >> 39) & 511] = (p2m[pt + 1] << PAGE_SHIFT) | GUEST_PTE_TABLE;
    l3[(l->v_start >> 30) & 511] = (p2m[pt + 2] << PAGE_SHIFT) | GUEST_PTE_TABLE;
    for (uint64_t i = 0; i < nr_l1; i++)
        l2[i] = (p2m[pt + 3 + i] << PAGE_SHIFT) | GUEST_PTE_TABLE;
    for (uint64_t pfn = 0; pfn < nr_mapped; pfn++) {
        pte_t *l1 = guest_page(pt + 3 + pfn / 512);
        bool is_pt = pfn >= pt && pfn < pt + l->nr_pt_frames;
        l1[pfn % 512] = (p2m[pfn] << PAGE_SHIFT) | (is_pt ? GUEST_PTE_RO : GUEST_PTE_RW);
    }
    rc = pv_mm_install_initial_tables(v, _mfn(p2m[pt]));
    if (rc)
        panic("dom0's initial page tables do not validate: %d", rc);
}

static void write_p2m_list(const struct dom0_layout *l, uint64_t nr_pages)
{
    copy_in(l, l->v_p2m, p2m, nr_pages * 8);
}

/*
 * What Xen 4.17 writes for dom0: magic "xen-3.0-x86_64" plus "p" when the
 * image has a PAE_MODE note; flags privileged | initdomain | the power
 * management bits (Px and Cx handled by dom0: SIF_PM_MASK 0x3, as Xen).
 */
static void write_start_info(struct domain *d, const struct dom0_layout *l, uint64_t nr_pages,
                             const char *cmdline, bool pae_note)
{
    start_info_t *si = guest_page(pfn_of(l, l->v_start_info));
    static const char magic[] = "xen-3.0-x86_64p";

    memcpy(si->magic, magic, pae_note ? sizeof(magic) : sizeof(magic) - 2);
    si->nr_pages = nr_pages;
    si->shared_info = mfn_x(d->shared_info_mfn) << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN | ((3u << 8) & SIF_PM_MASK);
    si->pt_base = l->v_pt;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->v_p2m;
    si->mod_start = l->initrd_len ? l->v_initrd : 0;
    si->mod_len = l->initrd_len;
    memcpy(si->cmd_line, cmdline, strnlen(cmdline, sizeof(si->cmd_line) - 1));
}

/* The 64-bit hypercall page: a 32-byte `syscall` stub per hypercall. */
static void write_hypercall_page(const struct dom0_layout *l, uint64_t va)
{
    uint8_t *p = guest_page(pfn_of(l, va));

    for (unsigned int nr = 0; nr < PAGE_SIZE / 32; nr++) {
        uint8_t *s = p + nr * 32;
        static const uint8_t call[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05,
                                        0x41, 0x5b, 0x59, 0xc3 };
        static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0, 0, 0, 0, 0x0f, 0x05 };
        if (nr == __HYPERVISOR_iret) {
            memcpy(s, iret, sizeof(iret));
            s[5] = (uint8_t)nr;
        } else {
            memcpy(s, call, sizeof(call));
            s[4] = (uint8_t)nr;
        }
    }
}

/*
 * vcpu_time_info for vCPU 0, ns = ((tsc - stamp) << shift) * mul >> 32
 * with mul in [2^31, 2^32) as Xen's set_time_scale() makes it, stamped
 * with one TSC reading and the system time of that reading; and the wall
 * clock at system time 0 from the CMOS RTC. Both version words end even.
 */
static void init_time_info(struct domain *d)
{
    struct vcpu_time_info *t = &d->shared_info->vcpu_info[0].time;
    shared_info_t *s = d->shared_info;
    uint64_t hz = tsc_hz(), wall;
    s_time_t now;
    uint32_t hz32;
    int shift = 0;

    while (hz > 2000000000ULL) {
        hz >>= 1;
        shift--;
    }
    hz32 = (uint32_t)hz;
    while (hz32 && hz32 <= 1000000000U) {   /* hz32 0: uncalibrated, never */
        hz32 <<= 1;
        shift++;
    }
    t->version = 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    now = NOW();
    t->system_time = (uint64_t)now;
    t->tsc_timestamp = stime_to_tsc(now);   /* the TSC reading of that instant */
    t->tsc_to_system_mul = hz32 ? (uint32_t)((1000000000ULL << 32) / hz32) : 0;
    t->tsc_shift = (int8_t)shift;
    t->flags = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version = 2;

    if (rtc_read_epoch(&wall)) {
        pr_warn("dom0: the CMOS clock is unreadable: wall clock starts at 1970\n");
        wall = 0;
    }
    wall = wall * 1000000000ULL - MIN(wall * 1000000000ULL, t->system_time);
    s->wc_version = 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)(wall / 1000000000ULL);
    s->wc_sec_hi = (uint32_t)((wall / 1000000000ULL) >> 32);
    s->wc_nsec = (uint32_t)(wall % 1000000000ULL);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version = 2;
}

static void report(const struct dom0_layout *l, const struct elf_image *img, uint64_t nr_pages)
{
    printk("dom0: %lu MiB, kernel '%s', entry %lx\n", nr_pages >> (20 - PAGE_SHIFT),
           img->notes.guest_os ? img->notes.guest_os : "?", img->entry);
    printk("dom0 virtual layout:\n");
    printk("  kernel      %016lx - %016lx\n", img->vstart, l->v_kern_end);
    if (l->initrd_len)
        printk("  initrd      %016lx - %016lx\n", l->v_initrd, l->v_initrd + l->initrd_len);
    printk("  p2m list    %016lx - %016lx\n", l->v_p2m, l->v_start_info);
    printk("  start_info  %016lx\n", l->v_start_info);
    printk("  page tables %016lx - %016lx (%lu frames)\n", l->v_pt, l->v_stack,
           l->nr_pt_frames);
    printk("  boot stack  %016lx\n", l->v_stack);
    printk("  end         %016lx\n", l->v_end);
}

void __noreturn dom0_build_and_run(const struct boot_info *bi)
{
    const struct boot_module *km = &bi->mods[0];
    const struct boot_module *rd = bi->nr_mods > 1 ? &bi->mods[1] : NULL;
    static struct elf_image img;
    struct dom0_layout l;
    struct cpu_regs regs;
    struct domain *d;
    const char *why = "";
    uint64_t nr_pages;

    if (elf_parse(__va(km->start), km->end - km->start, &img, &why) ||
        elf_xen_check(&img, &why))
        panic("dom0 kernel (module 0): %s", why);
    nr_pages = dom0_nr_pages();
    compute_layout(&l, &img, rd ? rd->end - rd->start : 0, nr_pages);
    check_layout(&l, &img, nr_pages);
    d = domain_create(0, true, 1);
    if (!d)
        panic("No memory for dom0's domain structure");
    memcpy(d->cmdline, km->cmdline, sizeof(d->cmdline));
    allocate_memory(d, nr_pages);
    load_kernel(&l, &img);
    if (rd)
        copy_in(&l, l.v_initrd, __va(rd->start), l.initrd_len);
    write_p2m_list(&l, nr_pages);
    write_start_info(d, &l, nr_pages, km->cmdline, img.notes.present[XEN_ELFNOTE_PAE_MODE]);
    build_page_tables(&l, d->vcpu[0]);
    if (img.notes.present[XEN_ELFNOTE_HYPERCALL_PAGE])
        write_hypercall_page(&l, img.notes.hypercall_page);
    init_time_info(d);
    report(&l, &img, nr_pages);

    memset(&regs, 0, sizeof(regs));
    regs.rip = img.entry;
    regs.rsp = l.v_stack + PAGE_SIZE;
    regs.rsi = l.v_start_info;
    regs.cs = FLAT_KERNEL_CS64;
    regs.ss = FLAT_KERNEL_SS;
    regs.rflags = X86_EFLAGS_IF | 0x2;
    printk("Starting dom0\n");
    pv_run_vcpu(d->vcpu[0], &regs);
}
