/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's own page tables and address translation
 * (arch/x86/mm.c): the idle page tables, the direct map, the frame table
 * and the fixmap of uncached device pages.
 */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <satori/frame.h>
#include <satori/memmap.h>
#include <satori/types.h>
#include <asm/layout.h>

typedef uint64_t pte_t;

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2)
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7)
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

#define PAGE_HYPERVISOR_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
                            _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_HYPERVISOR_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_HYPERVISOR_RX (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_HYPERVISOR_UC (PAGE_HYPERVISOR_RW | _PAGE_PCD | _PAGE_PWT)

static inline void *__va(uint64_t pa) { return (void *)(DIRECTMAP_VIRT_START + pa); }
static inline uint64_t __pa(const void *va)
{
    uint64_t v = (uint64_t)va;

    if (v >= SATORI_VIRT_START && v < SATORI_VIRT_START + SATORI_VIRT_SIZE)
        return v - SATORI_VIRT_START;
    return v - DIRECTMAP_VIRT_START;
}

#define frame_table ((struct page_info *)FRAMETABLE_VIRT_START)
extern uint64_t max_page;       /* frames covered by the frame table */
extern uint64_t directmap_end;  /* machine addresses below this are mapped */

static inline struct page_info *mfn_to_page(mfn_t m) { return frame_table + mfn_x(m); }
static inline mfn_t page_to_mfn(const struct page_info *pg) { return _mfn(pg - frame_table); }
static inline void *page_to_virt(const struct page_info *pg)
{
    return __va(mfn_x(page_to_mfn(pg)) << PAGE_SHIFT);
}

/* Uncached fixmap pages: the local APIC, then one per I/O APIC (io_apic.c, at most 8). */
enum fixmap_idx { FIX_APIC, FIX_IOAPIC_0, FIX_COUNT = FIX_IOAPIC_0 + 8 };

/*
 * Builds the idle page tables from the memory map (RAM of which is carved
 * for page tables and the frame table, recorded as MEM_HYPERVISOR) and
 * switches this CPU to them.
 */
void mm_init_paging(struct mem_map *map);
extern uint64_t idle_cr3;
/* Maps nr pages of physical memory at va; 0 or -ENOMEM. */
int map_pages(uint64_t va, uint64_t pa, uint64_t nr, uint64_t flags);
void *fixmap_map_uc(enum fixmap_idx idx, uint64_t pa);
/* Back to the idle page tables (e.g. when a guest stops). */
void mm_load_idle_page_tables(void);
/* Copies the hypervisor's PML4 slots (256-271) into a guest L4. */
void mm_copy_hypervisor_slots(pte_t *l4);

/* The machine-to-phys table (guest pseudo-physical frame of each frame). */
#define machine_to_phys ((uint64_t *)RDWR_MPT_VIRT_START)
#define M2P_INVALID (~0ULL)      /* a frame no guest owns (Xen's INVALID_M2P_ENTRY) */
static inline void set_m2p(mfn_t m, uint64_t pfn) { machine_to_phys[mfn_x(m)] = pfn; }

#endif
