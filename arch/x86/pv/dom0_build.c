/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV dom0 builder: turns module 0 (an ELF64 kernel with Xen notes, or a
 * bzImage holding one) and module 1 (its initrd) into a running domain, laying out what Xen's
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
#include <satori/errno.h>
#include <satori/lib.h>
#include <satori/spinlock.h>
#include <satori/domain.h>
#include <satori/elf.h>
#include <satori/kernel_image.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/params.h>
#include <satori/rtc.h>
#include <satori/string.h>
#include <satori/time.h>
#include <asm/context.h>
#include <asm/mm.h>
#include <asm/percpu.h>
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

static uint64_t *p2m;          /* pfn -> mfn, the builder's own copy (under build_lock) */
static DEFINE_SPINLOCK(build_lock);   /* protects: p2m, one build at a time */
static char why_buf[160];             /* the reason a build failed (under build_lock) */

#define FAIL(...) ({ snprintf(why_buf, sizeof(why_buf), __VA_ARGS__); -EINVAL; })

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

static int check_layout(const struct dom0_layout *l, const struct elf_image *img,
                        uint64_t nr_pages, const char *who)
{
    if (l->v_start & (MAX_MAPPING - 1))
        return FAIL("%s: VIRT_BASE %lx is not 1 GiB-aligned; Satori's builder maps one "
                    "L2", who, l->v_start);
    if (img->vstart < l->v_start)
        return FAIL("%s: loads at %lx, below its VIRT_BASE %lx", who, img->vstart,
                    l->v_start);
    if (l->v_end - l->v_start > MAX_MAPPING)
        return FAIL("%s and initrd need %lu MiB of initial mapping; at most 1024 fit",
                    who, (l->v_end - l->v_start) >> 20);
    if (pfn_of(l, l->v_end) > nr_pages)
        return FAIL("%s: memory (%lu MiB) is too small for the kernel, initrd and boot "
                    "structures (%lu MiB)", who, nr_pages >> (20 - PAGE_SHIFT),
                    (l->v_end - l->v_start) >> 20);
    return 0;
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

/* dom0_max_vcpus=, else one vCPU per online CPU, as Xen. */
static unsigned int dom0_nr_vcpus(void)
{
    uint64_t want = opts.dom0_max_vcpus ? opts.dom0_max_vcpus : nr_cpus_online;

    if (want > MAX_VIRT_CPUS_PER_DOMAIN) {
        pr_warn("dom0_max_vcpus=%lu: at most %u\n", want, MAX_VIRT_CPUS_PER_DOMAIN);
        want = MAX_VIRT_CPUS_PER_DOMAIN;
    }
    return (unsigned int)want;
}

static unsigned int p2m_order(uint64_t nr_pages)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < nr_pages * 8)
        order++;
    return order;
}

static int allocate_memory(struct domain *d, uint64_t nr_pages)
{
    p2m = alloc_heap_pages(p2m_order(nr_pages));
    if (!p2m)
        return FAIL("no memory for d%u's p2m", d->domain_id);
    d->max_pages = nr_pages;
    for (uint64_t pfn = 0; pfn < nr_pages; pfn++) {
        struct page_info *pg = domain_alloc_page(d);
        if (!pg)
            return FAIL("out of memory giving d%u page %lu of %lu", d->domain_id, pfn,
                        nr_pages);
        p2m[pfn] = mfn_x(page_to_mfn(pg));
        memset(page_to_virt(pg), 0, PAGE_SIZE);
        set_m2p(page_to_mfn(pg), pfn);
    }
    return 0;
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
static int build_page_tables(const struct dom0_layout *l, struct vcpu *v)
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
        return FAIL("d%u's initial page tables do not validate: %d", v->domain->domain_id, rc);
    return 0;
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
    si->flags = d->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN | ((3u << 8) & SIF_PM_MASK) : 0;
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

static void report(const struct domain *d, const struct dom0_layout *l,
                   const struct elf_image *img, uint64_t nr_pages)
{
    printk("%s: %lu MiB, kernel '%s', entry %lx\n", d->name, nr_pages >> (20 - PAGE_SHIFT),
           img->notes.guest_os ? img->notes.guest_os : "?", img->entry);
    printk("%s virtual layout:\n", d->name);
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

/* Does the kernel command line name a root device (a word "root=...")? */
static bool cmdline_has_root(const char *cmdline)
{
    for (const char *p = cmdline; p; p = strchr(p, ' ')) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, "root=", 5))
            return true;
    }
    return false;
}

/* The steps of a build from the ELF in k that can fail; under build_lock. */
static int build_from_elf(struct domain *d, const struct pv_build_args *a,
                          const struct kernel_image *k)
{
    static struct elf_image img;
    struct dom0_layout l;
    struct cpu_regs regs;
    const char *why = "";
    const char *who = a->kernel_desc;
    int rc;

    if (elf_parse(k->elf, k->len, &img, &why) || elf_xen_check(&img, &why))
        return FAIL("%s: %s", who, why);
    if (!a->initrd_len && img.notes.guest_os && !strcmp(img.notes.guest_os, "linux") &&
        !cmdline_has_root(a->cmdline))
        return FAIL("%s: Linux with no initrd (module 1) and no root= on its command line "
                    "would have no root file system", who);
    compute_layout(&l, &img, a->initrd_len, a->nr_pages);
    rc = check_layout(&l, &img, a->nr_pages, who);
    if (rc)
        return rc;
    memcpy(d->cmdline, a->cmdline, strnlen(a->cmdline, sizeof(d->cmdline) - 1));
    rc = allocate_memory(d, a->nr_pages);
    if (rc)
        return rc;
    load_kernel(&l, &img);
    if (a->initrd_len)
        copy_in(&l, l.v_initrd, a->initrd, l.initrd_len);
    write_p2m_list(&l, a->nr_pages);
    write_start_info(d, &l, a->nr_pages, a->cmdline, img.notes.present[XEN_ELFNOTE_PAE_MODE]);
    rc = build_page_tables(&l, d->vcpu[0]);
    if (rc)
        return rc;
    if (img.notes.present[XEN_ELFNOTE_HYPERCALL_PAGE])
        write_hypercall_page(&l, img.notes.hypercall_page);
    domain_init_wallclock(d);
    vcpu_update_time(d->vcpu[0]);
    report(d, &l, &img, a->nr_pages);

    memset(&regs, 0, sizeof(regs));
    regs.rip = img.entry;
    regs.rsp = l.v_stack + PAGE_SIZE;
    regs.rsi = l.v_start_info;
    regs.cs = FLAT_KERNEL_CS64;
    regs.ss = FLAT_KERNEL_SS;
    regs.rflags = X86_EFLAGS_IF | 0x2;
    arch_vcpu_set_initial(d->vcpu[0], &regs);
    return 0;
}

/* Unpacks the kernel if it is a bzImage, then builds; under build_lock. */
static int build_locked(struct domain *d, const struct pv_build_args *a)
{
    struct kernel_image k;
    int rc;

    rc = kernel_image_open(&k, a->kernel, a->kernel_len, a->kernel_desc, why_buf,
                           sizeof(why_buf));
    if (rc)
        return rc;
    rc = build_from_elf(d, a, &k);
    kernel_image_close(&k);
    return rc;
}

int pv_domain_build(struct domain *d, const struct pv_build_args *a, char *why, size_t why_len)
{
    uint64_t flags = spin_lock_irqsave(&build_lock);
    int rc;

    why_buf[0] = '\0';
    p2m = NULL;
    rc = build_locked(d, a);
    if (p2m)
        free_heap_pages(p2m, p2m_order(a->nr_pages));
    p2m = NULL;
    snprintf(why, why_len, "%s", why_buf);
    spin_unlock_irqrestore(&build_lock, flags);
    return rc;
}

void dom0_build(const struct boot_info *bi)
{
    const struct boot_module *km = &bi->mods[0];
    const struct boot_module *rd = bi->nr_mods > 1 && !boot_module_is_domu(&bi->mods[1])
                                   ? &bi->mods[1] : NULL;
    struct pv_build_args a = {
        .kernel = __va(km->start), .kernel_len = km->end - km->start,
        .initrd = rd ? __va(rd->start) : NULL, .initrd_len = rd ? rd->end - rd->start : 0,
        .cmdline = km->cmdline, .nr_pages = dom0_nr_pages(),
        .kernel_desc = "dom0 kernel (module 0)",
    };
    struct domain *d = domain_create(0, true, dom0_nr_vcpus());
    char why[160];

    if (!d)
        panic("No memory for dom0's domain structure");
    if (pv_domain_build(d, &a, why, sizeof(why)))
        panic("%s", why);
    printk("Starting dom0\n");
    vcpu_start(d->vcpu[0]);
}
