/* SPDX-License-Identifier: MIT */
/*
 * Feature bits a guest reads with XENVER_get_features (submap 0), telling
 * it what the hypervisor offers. A kernel also names the ones it needs or
 * supports in its XEN_ELFNOTE_FEATURES note ('!' marks a required one).
 */
#ifndef __XEN_PUBLIC_FEATURES_H__
#define __XEN_PUBLIC_FEATURES_H__

/* Page tables may be written directly; the writes are trapped and checked. */
#define XENFEAT_writable_page_tables        0
/* Descriptor tables (GDT/LDT pages) may be written directly. */
#define XENFEAT_writable_descriptor_tables  1
/* The guest sees pseudo-physical frames; the hypervisor translates. */
#define XENFEAT_auto_translated_physmap     2
/* The guest kernel runs in ring 0 (never for a 64-bit PV guest). */
#define XENFEAT_supervisor_mode_kernel      3
/* Page directories may live above 4 GiB (PAE guests). */
#define XENFEAT_pae_pgdir_above_4gb         4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad   5
/* MMUEXT_CLEAR_PAGE and MMUEXT_COPY_PAGE are available. */
#define XENFEAT_highmem_assist              6
/* Grant mappings honour GNTMAP_guest_avail_mask bits in the PTE. */
#define XENFEAT_gnttab_map_avail_bits       7
/* HVM: event upcalls can be a plain interrupt vector. */
#define XENFEAT_hvm_callback_vector         8
/* HVM: the PV clock is safe to use. */
#define XENFEAT_hvm_safe_pvclock            9
/* HVM: interrupts may be routed as PIRQs over event channels. */
#define XENFEAT_hvm_pirqs                   10
/* This domain is the hardware domain. */
#define XENFEAT_dom0                        11
/* 12 was grant_map_identity, withdrawn. */
/* XENMEMF_vnode may name a virtual NUMA node in memory ops. */
#define XENFEAT_memory_op_vnode_supported   13
/* Arm: SMCCC calls are handled. */
#define XENFEAT_ARM_SMCCC_supported         14
/* PVH Linux: the ACPI RSDP may lie above 1 MiB. */
#define XENFEAT_linux_rsdp_unrestricted     15
/*
 * Whether the domain's frames are mapped 1:1 (gfn == mfn). A PV domain
 * is; an old hypervisor sets neither bit.
 */
#define XENFEAT_not_direct_mapped           16
#define XENFEAT_direct_mapped               17

/* How many 32-bit submaps XENVER_get_features answers for. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* __XEN_PUBLIC_FEATURES_H__ */
