/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Satori's virtual address layout. The PV ABI gives the hypervisor PML4
 * slots 256-271 (0xffff800000000000-0xffff87ffffffffff) and nothing else:
 * every guest owns the rest of the canonical space, so all of Satori lives
 * here. docs/architecture.md draws the same map.
 *
 *   0xffff800000000000  256 GiB  read-only M2P table (guest-readable)
 *   0xffff804000000000  256 GiB  the same M2P, writable, hypervisor only
 *   0xffff808000000000  per-CPU GDT windows, 64 KiB each (slot 257)
 *   0xffff808800000000  per-CPU LDT windows, 64 KiB each
 *   0xffff82d080000000    1 GiB  the hypervisor image (text, data, bss)
 *   0xffff82d0c0000000    2 MiB  fixmap: uncached device windows (APIC)
 *   0xffff82e000000000  128 GiB  frame table: one page_info per machine page
 *   0xffff830000000000    5 TiB  direct map of all machine memory
 *
 * The image is linked at SATORI_VIRT_START + its physical load address, so
 * boot code converts between the two by subtracting SATORI_VIRT_START.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#ifdef __ASSEMBLY__
#define _AC(x, s) x
#else
#define _AC(x, s) x##s
#endif

/*
 * HYPERVISOR_VIRT_START/END and FIRST_RESERVED_GDT_ENTRY are the guest
 * ABI's (public/arch-x86/xen-x86_64.h, public/arch-x86/xen.h); C code gets
 * them from there, and _Static_asserts in mm.c tie this map to them.
 */
#ifndef __ASSEMBLY__
#include <public/xen.h>
#endif
#define RO_MPT_VIRT_START     _AC(0xffff800000000000, UL)
#define RO_MPT_VIRT_END       _AC(0xffff804000000000, UL)
#define RDWR_MPT_VIRT_START   _AC(0xffff804000000000, UL)
#define RDWR_MPT_VIRT_END     _AC(0xffff808000000000, UL)
#define GDT_VIRT_START        _AC(0xffff808000000000, UL)
#define GDT_VIRT_STRIDE       _AC(0x10000, UL)
#define LDT_VIRT_START        _AC(0xffff808800000000, UL)   /* same stride */
#define SATORI_VIRT_START     _AC(0xffff82d080000000, UL)
#define SATORI_VIRT_SIZE      _AC(0x40000000, UL)
#define FIXMAP_VIRT_START     _AC(0xffff82d0c0000000, UL)
#define FRAMETABLE_VIRT_START _AC(0xffff82e000000000, UL)
#define FRAMETABLE_VIRT_END   _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_START  _AC(0xffff830000000000, UL)
#define DIRECTMAP_VIRT_END    _AC(0xffff880000000000, UL)

/* Where GRUB and QEMU load the image (physical). */
#define SATORI_LOAD_ADDR      _AC(0x200000, UL)
/* Real-mode entry page for application processors (below 1 MiB). */
#define TRAMPOLINE_PADDR      _AC(0x8000, UL)

/* Per-CPU stacks: STACK_SIZE-aligned, struct cpu_info at the top. */
#define STACK_ORDER 3
#define STACK_SIZE (_AC(4096, UL) << STACK_ORDER)
/*
 * The top of every stack: struct cpu_info in the last CPU_INFO_SIZE bytes;
 * under it, the running guest's register frame (where the CPU pushes on
 * entry from ring 3: TSS.rsp0 = top - CPU_INFO_SIZE); the hypervisor's own
 * stack starts below both.
 */
#define CPU_INFO_SIZE 64
#define GUEST_FRAME_SIZE 176
#define STACK_TOP_RESERVE (CPU_INFO_SIZE + GUEST_FRAME_SIZE)

/* PML4 slots and PDPT index used by the boot page tables (head.S). */
#define L4_SLOT(va) (((va) >> 39) & 511)
#define L3_SLOT(va) (((va) >> 30) & 511)

/* Hypervisor selectors: the last page of a 16-page GDT, as in Xen. */
#define HYPERVISOR_CS   0xe008
#define HYPERVISOR_DS   0xe010
#define RING3_CS32      0xe023
#define RING3_DS        0xe02b
#define RING3_CS64      0xe033
#define HYPERVISOR_CS32 0xe038
#define TSS_SEL         0xe040
#define LDT_SEL         0xe050
#define PER_CPU_SEL     0xe060

#endif
