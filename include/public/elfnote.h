/* SPDX-License-Identifier: MIT */
/*
 * Types of the ELF notes (owner "Xen") by which a PV kernel image tells
 * the domain builder how to load it: entry point, hypercall page,
 * virtual base, required features, and so on. Also the note types of a
 * domain's core dump.
 */
#ifndef __XEN_PUBLIC_ELFNOTE_H__
#define __XEN_PUBLIC_ELFNOTE_H__

#define XEN_ELFNOTE_INFO               0  /* unused */
#define XEN_ELFNOTE_ENTRY              1  /* virtual entry address */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2  /* where to put the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE          3  /* virtual address of the image */
#define XEN_ELFNOTE_PADDR_OFFSET       4  /* image paddr = vaddr - offset */
#define XEN_ELFNOTE_XEN_VERSION        5  /* string: expected ABI version */
#define XEN_ELFNOTE_GUEST_OS           6  /* string: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION      7  /* string */
#define XEN_ELFNOTE_LOADER             8  /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE           9  /* string: 32-bit PAE guests only */
#define XEN_ELFNOTE_FEATURES          10  /* string: '|'-separated XENFEAT names */
#define XEN_ELFNOTE_BSD_SYMTAB        11  /* string "yes": load the symtab */
#define XEN_ELFNOTE_HV_START_LOW      12  /* 32-bit guests only */
#define XEN_ELFNOTE_L1_MFN_VALID      13  /* mask and value for valid L1 PTEs */
#define XEN_ELFNOTE_SUSPEND_CANCEL    14  /* suspend may return 1 (cancelled) */
#define XEN_ELFNOTE_INIT_P2M          15  /* virtual address for the P2M list */
#define XEN_ELFNOTE_MOD_START_PFN     16  /* may pass the initrd by pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* bitmap of XENFEAT_* supported */
#define XEN_ELFNOTE_PHYS32_ENTRY      18  /* PVH 32-bit physical entry point */

/* The highest note number above; a loader may ignore unknown ones. */
#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

/* Notes of a kexec crash image. */
#define XEN_ELFNOTE_CRASH_INFO 0x1000001
#define XEN_ELFNOTE_CRASH_REGS 0x1000002

/* Notes of a domain core dump (owner "Xen"). */
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* __XEN_PUBLIC_ELFNOTE_H__ */
