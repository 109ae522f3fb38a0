/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's own address space: the idle page tables that every CPU
 * runs on when no guest is loaded, and whose hypervisor slots (256-271)
 * every guest page table will share.
 *
 * Built once at boot, in this order:
 *   1. a bump allocator takes page-table pages from RAM below 4 GiB (the
 *      boot page tables map only that), marking them MEM_HYPERVISOR;
 *   2. the image is mapped with section permissions: text RX, read-only
 *      data RO+NX, data and bss RW+NX;
 *   3. the direct map covers [0, max(4 GiB, top of memory)) with the largest
 *      pages the CPU has;
 *   4. the frame table gets backing for every frame up to the top of RAM;
 *   5. CR3 switches from the boot tables (head.S) to the idle tables.
 * After that the buddy allocator takes over (hypervisor/mm.c), and
 * map_pages() allocates any further page-table pages from it.
 *
 * Invariants:
 *  1. No hypervisor mapping has _PAGE_USER: guests and SMEP/SMAP rely on it.
 *  2. Nothing writable is executable.
 *  3. The idle tables map nothing below HYPERVISOR_VIRT_START.
 *  4. Every hypervisor PML4 slot (256-271) has its L3 table from boot on,
 *     so the slots each guest L4 copies (mm_copy_hypervisor_slots) never go
 *     stale.
 *
 * The exception to invariant 1 is the read-only M2P at RO_MPT_VIRT_START:
 * user-readable, never writable, so PV guest kernels (ring 3) can translate
 * machine frames to their own pseudo-physical ones. Satori writes the same
 * frames through a supervisor-only alias at RDWR_MPT_VIRT_START.
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/string.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/x86.h>

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_INDEX(va, shift) (((va) >> (shift)) & 511)

_Static_assert(RO_MPT_VIRT_START == HYPERVISOR_VIRT_START, "layout vs ABI");
_Static_assert(DIRECTMAP_VIRT_END <= HYPERVISOR_VIRT_END, "layout vs ABI");
_Static_assert(FIRST_RESERVED_GDT_ENTRY == (HYPERVISOR_CS >> 3) - 1, "layout vs ABI");

uint64_t max_page;
uint64_t directmap_end;
uint64_t idle_cr3;               /* read by the AP trampoline */
static pte_t *idle_pg_table;
static struct mem_map *boot_map;   /* source of page-table pages before the buddy */

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __image_end[];

/* Takes nr zeroed contiguous pages from the top of the highest RAM below 4 GiB. */
static uint64_t boot_alloc(uint64_t nr)
{
    uint64_t bytes = nr << PAGE_SHIFT;

    for (int i = (int)boot_map->n - 1; i >= 0; i--) {
        struct mem_region *r = &boot_map->r[i];
        uint64_t top = MIN(r->end, 1ULL << 32) & PAGE_MASK;

        if (r->type != MEM_RAM || top < r->start + bytes || top - bytes < (1 << 20))
            continue;
        if (memmap_reserve(boot_map, top - bytes, top, MEM_HYPERVISOR))
            continue;
        memset(__va(top - bytes), 0, bytes);
        return top - bytes;
    }
    return 0;
}

static uint64_t alloc_pt_page(void)
{
    if (boot_map)
        return boot_alloc(1);
    return alloc_zeroed_page_paddr();
}

/* Returns the entry for va at the level of 'shift', creating tables above. */
static pte_t *walk_create(uint64_t va, unsigned int shift, uint64_t user)
{
    pte_t *table = idle_pg_table;

    for (unsigned int s = L4_SHIFT; s > shift; s -= 9) {
        pte_t *e = &table[PT_INDEX(va, s)];
        if (!(*e & _PAGE_PRESENT)) {
            uint64_t pa = alloc_pt_page();
            if (!pa)
                return NULL;
            *e = pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
        }
        *e |= user;   /* guests reach the RO M2P through these tables */
        BUG_ON(*e & _PAGE_PSE);   /* never split a superpage: we do not need to */
        table = __va(*e & PTE_ADDR_MASK);
    }
    return &table[PT_INDEX(va, shift)];
}

static unsigned int best_shift(uint64_t va, uint64_t pa, uint64_t left)
{
    if (cpu_has(X86_FEATURE_PAGE1GB) && !((va | pa) & ((1ULL << L3_SHIFT) - 1)) &&
        left >= (1ULL << (L3_SHIFT - PAGE_SHIFT)))
        return L3_SHIFT;
    if (!((va | pa) & ((1ULL << L2_SHIFT) - 1)) && left >= (1ULL << (L2_SHIFT - PAGE_SHIFT)))
        return L2_SHIFT;
    return L1_SHIFT;
}

int map_pages(uint64_t va, uint64_t pa, uint64_t nr, uint64_t flags)
{
    /* invariant 1: only the read-only M2P is guest-visible */
    BUG_ON((flags & _PAGE_USER) && (va < RO_MPT_VIRT_START || va >= RO_MPT_VIRT_END ||
                                    (flags & _PAGE_RW)));
    while (nr) {
        unsigned int shift = best_shift(va, pa, nr);
        pte_t *e = walk_create(va, shift, flags & _PAGE_USER);
        uint64_t pages = 1ULL << (shift - PAGE_SHIFT);

        if (!e)
            return -ENOMEM;
        *e = pa | flags | (shift > L1_SHIFT ? _PAGE_PSE : 0);
        invlpg((void *)va);
        va += pages << PAGE_SHIFT;
        pa += pages << PAGE_SHIFT;
        nr -= pages;
    }
    return 0;
}

static void map_or_die(uint64_t va, uint64_t pa, uint64_t nr, uint64_t flags, const char *what)
{
    if (map_pages(va, pa, nr, flags))
        panic("Out of memory while mapping %s", what);
}

static void map_image_section(const char *start, const char *end, uint64_t flags,
                              const char *what)
{
    uint64_t va = (uint64_t)start & PAGE_MASK;
    uint64_t nr = (ALIGN_UP((uint64_t)end, PAGE_SIZE) - va) >> PAGE_SHIFT;

    map_or_die(va, __pa((void *)va), nr, flags, what);
}

/* End of the highest region of memory (ram_only) or of anything but holes. */
static uint64_t top_of(const struct mem_map *map, bool ram_only)
{
    uint64_t top = 0;

    for (unsigned int i = 0; i < map->n; i++) {
        uint32_t t = map->r[i].type;
        bool ram = t == MEM_RAM || t == MEM_HYPERVISOR || t == MEM_MODULE;
        /* reserved ranges above RAM are device windows (e.g. q35's 1 TiB one) */
        if (ram || (!ram_only && t != MEM_RESERVED))
            top = MAX(top, map->r[i].end);
    }
    return top;
}

/* Frame table backing: one contiguous block, mapped at FRAMETABLE_VIRT_START. */
static void map_frame_table(void)
{
    uint64_t pages = ALIGN_UP(max_page * sizeof(struct page_info), PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t pa = boot_alloc(pages);

    if (!pa)
        panic("Not enough memory below 4 GiB for the frame table (%lu KiB)",
              pages << (PAGE_SHIFT - 10));
    map_or_die(FRAMETABLE_VIRT_START, pa, pages, PAGE_HYPERVISOR_RW, "the frame table");
    printk("Frame table: %lu frames, %lu KiB at %016lx\n", max_page,
           pages << (PAGE_SHIFT - 10), FRAMETABLE_VIRT_START);
}

/* The machine-to-phys table: one 8-byte entry per frame, all invalid. */
static void map_m2p(void)
{
    uint64_t pages = ALIGN_UP(max_page * 8, PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t pa = boot_alloc(pages);

    if (!pa)
        panic("Not enough memory below 4 GiB for the M2P table (%lu KiB)",
              pages << (PAGE_SHIFT - 10));
    memset(__va(pa), 0xff, pages << PAGE_SHIFT);
    map_or_die(RDWR_MPT_VIRT_START, pa, pages, PAGE_HYPERVISOR_RW, "the M2P table");
    map_or_die(RO_MPT_VIRT_START, pa, pages,
               _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX, "the guest M2P view");
}

/* Invariant 4. */
static void populate_hypervisor_slots(void)
{
    for (unsigned int slot = L4_SLOT(HYPERVISOR_VIRT_START);
         slot < L4_SLOT(HYPERVISOR_VIRT_START) + 16; slot++) {
        uint64_t pa;
        if (idle_pg_table[slot] & _PAGE_PRESENT)
            continue;
        pa = boot_alloc(1);
        if (!pa)
            panic("No memory for the hypervisor's page tables");
        idle_pg_table[slot] = pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
    }
}

void mm_load_idle_page_tables(void)
{
    write_cr3(idle_cr3);
}

void mm_copy_hypervisor_slots(pte_t *l4)
{
    unsigned int first = L4_SLOT(HYPERVISOR_VIRT_START);

    memcpy(&l4[first], &idle_pg_table[first], 16 * sizeof(pte_t));
}

void mm_init_paging(struct mem_map *map)
{
    uint64_t top_all;

    boot_map = map;
    max_page = top_of(map, true) >> PAGE_SHIFT;
    top_all = MAX(top_of(map, false), 1ULL << 32);
    uint64_t pml4 = boot_alloc(1);
    if (!pml4 || !max_page)
        panic("No memory for the hypervisor's page tables");
    idle_pg_table = __va(pml4);
    map_image_section(__text_start, __text_end, PAGE_HYPERVISOR_RX, "the image text");
    map_image_section(__rodata_start, __rodata_end, PAGE_HYPERVISOR_RO, "the image rodata");
    map_image_section(__data_start, __image_end, PAGE_HYPERVISOR_RW, "the image data");
    directmap_end = top_all;
    map_or_die(DIRECTMAP_VIRT_START, 0, top_all >> PAGE_SHIFT, PAGE_HYPERVISOR_RW,
               "the direct map");
    map_frame_table();
    map_m2p();
    populate_hypervisor_slots();
    idle_cr3 = __pa(idle_pg_table);
    write_cr3(idle_cr3);
    boot_map = NULL;
    printk("Paging: idle page tables at %016lx, direct map of %lu MiB\n",
           __pa(idle_pg_table), top_all >> 20);
}

void *fixmap_map_uc(enum fixmap_idx idx, uint64_t pa)
{
    uint64_t va = FIXMAP_VIRT_START + ((uint64_t)idx << PAGE_SHIFT);

    map_or_die(va, pa & PAGE_MASK, 1, PAGE_HYPERVISOR_UC, "a fixmap page");
    return (void *)(va + (pa & ~PAGE_MASK));
}
