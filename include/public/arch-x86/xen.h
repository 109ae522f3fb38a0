/* SPDX-License-Identifier: MIT */
/*
 * The x86 part of the core ABI: guest handles, frame-number and word
 * types, the trap table, the vCPU context used to start a vCPU, the x86
 * half of shared_info, and the CPUID/MSR records. The register file and
 * the address-space layout, which are 64-bit specific, are in
 * xen-x86_64.h. Part of xen.h: including this header alone gives all of it.
 */

#include "../xen.h"

#ifndef __XEN_PUBLIC_ARCH_X86_XEN_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_H__

/*
 * A guest handle is a pointer into guest memory, wrapped in a struct so
 * that the compiler keeps it apart from an ordinary pointer. On x86-64 it
 * is 8 bytes in memory and as a hypercall argument alike.
 * DEFINE_XEN_GUEST_HANDLE(t) makes handles to t and to const t.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define __DEFINE_XEN_GUEST_HANDLE(name, type)              \
    ___DEFINE_XEN_GUEST_HANDLE(name, type);                \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
/* A handle passed in a register rather than in a structure: the same here. */
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val) do { (hnd).p = val; } while (0)
#define set_xen_guest_handle(hnd, val)  set_xen_guest_handle_raw(hnd, val)

#include "xen-x86_64.h"

#ifndef __ASSEMBLY__
/* A guest frame number: machine frame for PV, guest-physical otherwise. */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* What xen.h declares that only some architectures have. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * GDT frames from FIRST_RESERVED_GDT_PAGE up belong to the hypervisor
 * (they hold the FLAT_* selectors); a guest's own GDT must end before.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* vCPUs whose vcpu_info fits in shared_info. */
#define XEN_LEGACY_MAX_VCPUS 32

#ifndef __ASSEMBLY__

/* The guest's word, the unit of the event-channel bitmaps. */
typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"

/*
 * One entry of set_trap_table. flags bits 0-1 are the privilege level
 * allowed to raise the vector with INT n; bit 2 set means deliver with
 * events masked (like an interrupt gate). A zero address ends the table.
 */
#define TI_GET_DPL(_ti)      ((_ti)->flags & 3)
#define TI_GET_IF(_ti)       ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)  ((_ti)->flags |= ((!!(_if)) << 2))
struct trap_info {
    uint8_t       vector;
    uint8_t       flags;
    uint16_t      cs;       /* unused: 64-bit handlers run on FLAT_KERNEL_CS */
    unsigned long address;
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;

/*
 * A vCPU's full PV state, as VCPUOP_initialise takes it (and the
 * toolstack saves it). Addresses are guest-virtual; gdt_frames holds
 * frame numbers, ctrlreg[3] (and ctrlreg[1], the user page table) a frame
 * in CR3 form (xen_pfn_to_cr3).
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)
    unsigned long flags;
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    unsigned long ldt_base, ldt_ents;
    unsigned long gdt_frames[16], gdt_ents;
    unsigned long kernel_ss, kernel_sp;     /* stack_switch values */
    unsigned long ctrlreg[8];
    unsigned long debugreg[8];
    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long vm_assist;                /* VMASST_TYPE_* bitmap */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/*
 * The x86 tail of shared_info. max_pfn and the frame-list-list describe
 * the guest's P2M to the toolstack for save/restore; p2m_vaddr and
 * p2m_generation describe a virtually mapped P2M instead (p2m_cr3 is
 * reserved, zero). nmi_reason holds XEN_NMIREASON_* bits.
 */
struct arch_shared_info {
    unsigned long max_pfn;
    xen_pfn_t     pfn_to_mfn_frame_list_list;
    unsigned long nmi_reason;
    unsigned long p2m_cr3;
    unsigned long p2m_vaddr;
    unsigned long p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* The x86 part of a new domain's configuration (domctl createdomain). */
struct xen_arch_domainconfig {
#define _XEN_X86_EMU_LAPIC    0
#define XEN_X86_EMU_LAPIC     (1U << _XEN_X86_EMU_LAPIC)
#define _XEN_X86_EMU_HPET     1
#define XEN_X86_EMU_HPET      (1U << _XEN_X86_EMU_HPET)
#define _XEN_X86_EMU_PM       2
#define XEN_X86_EMU_PM        (1U << _XEN_X86_EMU_PM)
#define _XEN_X86_EMU_RTC      3
#define XEN_X86_EMU_RTC       (1U << _XEN_X86_EMU_RTC)
#define _XEN_X86_EMU_IOAPIC   4
#define XEN_X86_EMU_IOAPIC    (1U << _XEN_X86_EMU_IOAPIC)
#define _XEN_X86_EMU_PIC      5
#define XEN_X86_EMU_PIC       (1U << _XEN_X86_EMU_PIC)
#define _XEN_X86_EMU_VGA      6
#define XEN_X86_EMU_VGA       (1U << _XEN_X86_EMU_VGA)
#define _XEN_X86_EMU_IOMMU    7
#define XEN_X86_EMU_IOMMU     (1U << _XEN_X86_EMU_IOMMU)
#define _XEN_X86_EMU_PIT      8
#define XEN_X86_EMU_PIT       (1U << _XEN_X86_EMU_PIT)
#define _XEN_X86_EMU_USE_PIRQ 9
#define XEN_X86_EMU_USE_PIRQ  (1U << _XEN_X86_EMU_USE_PIRQ)
#define _XEN_X86_EMU_VPCI     10
#define XEN_X86_EMU_VPCI      (1U << _XEN_X86_EMU_VPCI)
#define XEN_X86_EMU_ALL       (XEN_X86_EMU_LAPIC | XEN_X86_EMU_HPET |     \
                               XEN_X86_EMU_PM | XEN_X86_EMU_RTC |         \
                               XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIC |     \
                               XEN_X86_EMU_VGA | XEN_X86_EMU_IOMMU |      \
                               XEN_X86_EMU_PIT | XEN_X86_EMU_USE_PIRQ |   \
                               XEN_X86_EMU_VPCI)
    uint32_t emulation_flags;   /* a PV domain emulates none of these */
/* Unknown MSRs read as zero and ignore writes instead of faulting. */
#define XEN_X86_MSR_RELAXED (1u << 0)
    uint32_t misc_flags;
};
#define XEN_X86_MISC_FLAGS_MAX XEN_X86_MSR_RELAXED
#endif /* __XEN__ || __XEN_TOOLS__ */

/* One CPUID leaf of a domain's policy. */
typedef struct xen_cpuid_leaf {
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;
DEFINE_XEN_GUEST_HANDLE(xen_cpuid_leaf_t);

/* One MSR of a domain's policy. */
typedef struct xen_msr_entry {
    uint32_t idx;
    uint32_t flags;     /* reserved, zero */
    uint64_t val;
} xen_msr_entry_t;
DEFINE_XEN_GUEST_HANDLE(xen_msr_entry_t);

#endif /* !__ASSEMBLY__ */

/*
 * Prefix that makes the hypervisor emulate the next instruction for a PV
 * guest: ud2 followed by "xen". "XEN_CPUID" is a CPUID that reports the
 * guest's view (the hypervisor leaves at 0x40000000 included).
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

/* Port a guest can write characters to for the hypervisor's debug log. */
#define XEN_HVM_DEBUGCONS_IOPORT 0xe9

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_H__ */
