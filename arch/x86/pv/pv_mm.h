/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private interface of the PV MMU (arch/x86/pv/mm.c) to the rest of
 * arch/x86/pv: the frame-table environment of the page-type state machine,
 * the MMU lock, guest page-table walks, and the dom0 builder's hooks.
 */
#ifndef PV_PV_MM_H
#define PV_PV_MM_H

#include <satori/domain.h>
#include <satori/page_type.h>
#include <asm/regs.h>

/* The hypervisor's frame table, direct map and TLB, for page_type.c. */
extern const struct pt_env pv_pt_env;

/*
 * One lock over every page-type transition and guest page-table write.
 * Unlocking first frees the frames released meanwhile, after one flush.
 */
void pv_mm_lock(void);
void pv_mm_unlock(void);
/* Flushes the TLB of every CPU that may hold d's translations, and waits. */
void pv_flush_domain_tlbs(const struct domain *d);

/*
 * Finds the L1 entry that maps va in the page tables loaded on this CPU
 * (which must be a validated L4 of d): the L1 frame and the entry index.
 * 0, or -EINVAL when va is outside guest space or not mapped by 4 KiB
 * pages. Caller holds the MMU lock.
 */
/* set_gdt on v (descriptor.c): mfns of (entries + 511) / 512 frames. */
long pv_set_gdt(struct vcpu *v, const uint64_t *mfns, uint64_t entries);
/* Makes mfn's L4 v's kernel (user: false) or user base pointer; 0 or -errno. */
int pv_set_baseptr(struct vcpu *v, bool kernel, uint64_t mfn);

/* MMUEXT_SET_LDT (descriptor.c). Caller holds the MMU lock. */
long pv_set_ldt(struct vcpu *v, uint64_t base, uint64_t ents);
/* Drops v's GDT and LDT frames (descriptor.c). Caller holds the MMU lock. */
void pv_release_descriptor_tables(struct vcpu *v);

int pv_find_l1e(struct domain *d, uint64_t va, struct page_info **l1, unsigned int *idx);

/*
 * dom0 builder: validates the tree under l4, pins it, and makes it v's
 * kernel page table (with its own type reference). 0 or an error code.
 */
int __must_check pv_mm_install_initial_tables(struct vcpu *v, mfn_t l4);

/*
 * A #PF from the guest: if it is a kernel-mode write to one of its own L1
 * page tables, emulate it (ptwr.c) and return true; else false.
 */
bool pv_ptwr_fault(struct cpu_regs *regs);

#endif
