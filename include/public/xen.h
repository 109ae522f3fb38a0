/* SPDX-License-Identifier: MIT */
/*
 * The core of the guest ABI: hypercall numbers, virtual IRQ numbers, the
 * page-table update and MMU extension operations, reserved domain ids, and
 * the three structures every PV guest starts from (start_info, shared_info
 * and the per-vCPU vcpu_info inside it). Values and layouts are those of
 * Xen 4.17's x86-64 PV interface; see docs/abi-headers.md.
 */
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

#include "xen-compat.h"

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

#if !defined(__x86_64__)
#error "Satori's public headers describe the x86-64 PV ABI only."
#endif
#include "arch-x86/xen.h"

#ifndef __ASSEMBLY__
/* Handles for the primitive types that hypercall arguments point at. */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Size of a trailing variable-length array: C99 has a syntax for it. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define XEN_FLEX_ARRAY_DIM
#elif defined(__GNUC__)
#define XEN_FLEX_ARRAY_DIM  0
#else
#define XEN_FLEX_ARRAY_DIM  1
#endif

/*
 * Constants shared with assembly carry a C type suffix only in C, where
 * the type matters (a domid compared against an unsigned field, say).
 */
#define __xen_mk_uint(x)    x ## U
#define __xen_mk_ulong(x)   x ## UL
#ifndef __xen_mk_ullong
#define __xen_mk_ullong(x)  x ## ULL
#endif
#define xen_mk_uint(x)      __xen_mk_uint(x)
#define xen_mk_ulong(x)     __xen_mk_ulong(x)
#define xen_mk_ullong(x)    __xen_mk_ullong(x)
#else
#define xen_mk_uint(x)      x
#define xen_mk_ulong(x)     x
#define xen_mk_ullong(x)    x
#endif

/*
 * Hypercall numbers: the index into the hypercall page, 32 bytes a slot.
 * Arguments go in rdi, rsi, rdx, r10, r8; the result comes back in rax.
 * The *_compat numbers are the pre-3.0 multiplexed forms, kept reserved.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
/* 11 was never assigned. */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42

/* Left to each architecture. */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55

/*
 * Virtual IRQs, bound to event channels with EVTCHNOP_bind_virq. Some are
 * per vCPU (TIMER, DEBUG, XENOPROF, XENPMU), the rest global to a domain
 * and bound once.
 */
#define VIRQ_TIMER      0   /* per vCPU: the singleshot timer fired */
#define VIRQ_DEBUG      1   /* per vCPU: debug key pressed on the console */
#define VIRQ_CONSOLE    2   /* dom0: input on the hypervisor's console */
#define VIRQ_DOM_EXC    3   /* dom0: a domain crashed or shut down */
#define VIRQ_TBUF       4   /* dom0: trace buffers need draining */
#define VIRQ_DEBUGGER   6   /* dom0: a domain paused for the debugger */
#define VIRQ_XENOPROF   7   /* per vCPU: profiling samples ready */
#define VIRQ_CON_RING   8   /* dom0: the hypervisor's log ring has data */
#define VIRQ_PCPU_STATE 9   /* dom0: a physical CPU came or went */
#define VIRQ_MEM_EVENT  10  /* dom0: memory access event ring has work */
#define VIRQ_ARGO       11  /* Argo message ring activity */
#define VIRQ_ENOMEM     12  /* dom0: the hypervisor's heap ran low */
#define VIRQ_XENPMU     13  /* per vCPU: PMU interrupt */

#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23

#define NR_VIRQS        24

/*
 * mmu_update: the low bits of mmu_update.ptr select the command, the rest
 * is the (8-byte aligned) address the command works on.
 *   NORMAL_PT_UPDATE: ptr is the machine address of a PTE, val its new
 *     value, checked like any page-table write.
 *   MACHPHYS_UPDATE: ptr is a machine address whose frame's M2P entry
 *     becomes val.
 *   PT_UPDATE_PRESERVE_AD: as NORMAL, but keeps the Accessed and Dirty
 *     bits the hardware may have set meanwhile.
 *   PT_UPDATE_NO_TRANSLATE: ptr is a machine address even for a
 *     translated guest.
 */
#define MMU_NORMAL_PT_UPDATE       0
#define MMU_MACHPHYS_UPDATE        1
#define MMU_PT_UPDATE_PRESERVE_AD  2
#define MMU_PT_UPDATE_NO_TRANSLATE 3

/*
 * mmuext_op commands. PIN_Ln_TABLE validates a frame as a level-n page
 * table and holds that type until UNPIN; NEW_BASEPTR and
 * NEW_USER_BASEPTR load the kernel and user top-level tables; the flush
 * commands take vcpumask (a guest bitmap of vCPUs) for the *_MULTI forms.
 */
#define MMUEXT_PIN_L1_TABLE        0
#define MMUEXT_PIN_L2_TABLE        1
#define MMUEXT_PIN_L3_TABLE        2
#define MMUEXT_PIN_L4_TABLE        3
#define MMUEXT_UNPIN_TABLE         4
#define MMUEXT_NEW_BASEPTR         5
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7
#define MMUEXT_TLB_FLUSH_MULTI     8
#define MMUEXT_INVLPG_MULTI        9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

#ifndef __ASSEMBLY__
struct mmuext_op {
    unsigned int cmd;
    union {
        xen_pfn_t     mfn;          /* PIN_*, UNPIN, NEW_*BASEPTR, CLEAR/COPY_PAGE */
        unsigned long linear_addr;  /* INVLPG_*, SET_LDT */
    } arg1;
    union {
        unsigned int nr_ents;                  /* SET_LDT */
        XEN_GUEST_HANDLE(const_void) vcpumask; /* *_MULTI */
        xen_pfn_t src_mfn;                     /* COPY_PAGE */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
#endif

/*
 * update_va_mapping flags: which TLB flush follows the update (low two
 * bits), and whether it covers the local vCPU, all of them, or (when the
 * flag word is a pointer with bit 2 clear) a vCPU bitmap.
 */
#define UVMF_NONE           (xen_mk_ulong(0) << 0)
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0)
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0)
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)
#define UVMF_ALL            (xen_mk_ulong(1) << 2)

/* console_io commands. */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* vm_assist: commands, then the optional behaviours a guest may turn on. */
#define VMASST_CMD_enable  0
#define VMASST_CMD_disable 1

#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
#define VMASST_TYPE_writable_pagetables  2
#define VMASST_TYPE_pae_extended_cr3     3
#define VMASST_TYPE_architectural_iopl   4
/* Set XEN_RUNSTATE_UPDATE in the runstate area while it is rewritten. */
#define VMASST_TYPE_runstate_update_flag 5
/* Keep the M2P out of user page tables (slot zapped when used as user). */
#define VMASST_TYPE_m2p_strict           32

/*
 * Domain ids from DOMID_FIRST_RESERVED up are never real domains; they
 * name the caller, I/O memory, the hypervisor's own pages, and so on.
 */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0)
#define DOMID_IO             xen_mk_uint(0x7FF1)
#define DOMID_XEN            xen_mk_uint(0x7FF2)
#define DOMID_COW            xen_mk_uint(0x7FF3)
#define DOMID_INVALID        xen_mk_uint(0x7FF4)
#define DOMID_IDLE           xen_mk_uint(0x7FFF)
#define DOMID_MASK           xen_mk_uint(0x7FFF)

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;

/* One request of the mmu_update hypercall (see MMU_* above). */
struct mmu_update {
    uint64_t ptr;
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/* One entry of a multicall batch: op and args in, result out. */
struct multicall_entry {
    xen_ulong_t op, result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * Per-vCPU time base, 32 bytes. The hypervisor makes version odd while
 * it writes and even again after, so a reader retries until it sees the
 * same even version before and after reading. Time now, in ns since boot:
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift)
 *                  * tsc_to_system_mul >> 32)
 * (a negative tsc_shift shifts right).
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;             /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)

/*
 * Per-vCPU event state, 64 bytes. evtchn_upcall_pending is set when an
 * event arrives for this vCPU; while evtchn_upcall_mask is non-zero no
 * upcall is delivered (a PV guest's "interrupts off"). Each set bit of
 * evtchn_pending_sel names a word of shared_info.evtchn_pending to scan.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    vcpu_time_info_t time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * The page shared between the hypervisor and a domain; its frame is
 * start_info.shared_info. The first XEN_LEGACY_MAX_VCPUS vCPUs find their
 * vcpu_info here unless they registered another place for it. Event
 * channel port p is pending when bit p of evtchn_pending is set and is
 * masked when bit p of evtchn_mask is (the 2-level ABI). Wall-clock time
 * is wc_sec_hi:wc_sec seconds plus wc_nsec, guarded by wc_version as for
 * vcpu_time_info.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
/* Where the top half of wall-clock seconds lives (arch-specific in Xen). */
#define xen_wc_sec_hi wc_sec_hi
typedef struct shared_info shared_info_t;

/*
 * What the domain builder leaves for a PV kernel at start of day (rsi
 * points at it): memory size, where the shared page, the store and console
 * rings and the initial page tables are, the initrd and the command line.
 * The initial virtual mapping holds, in order, the kernel, the initrd
 * (unless passed by pfn), the phys-to-machine list (unless placed by
 * XEN_ELFNOTE_INIT_P2M), start_info, the store and console pages, the page
 * tables and a boot stack; at least 512 KiB are mapped beyond them, up to
 * a 4 MiB boundary.
 */
struct start_info {
    char magic[32];             /* "xen-<version>-<platform>" */
    unsigned long nr_pages;     /* pages of memory the domain has */
    unsigned long shared_info;  /* machine address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* xenstore ring page */
    uint32_t store_evtchn;
    union {
        struct {
            xen_pfn_t mfn;      /* console ring page */
            uint32_t evtchn;
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info */
            uint32_t info_size;
        } dom0;
    } console;
    unsigned long pt_base;      /* virtual address of the top page table */
    unsigned long nr_pt_frames;
    unsigned long mfn_list;     /* virtual address of the P2M list */
    unsigned long mod_start;    /* initrd: virtual address (or pfn, see */
    unsigned long mod_len;      /* SIF_MOD_START_PFN) and length in bytes */
#define MAX_GUEST_CMDLINE 1024
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    unsigned long first_p2m_pfn;  /* P2M placed by XEN_ELFNOTE_INIT_P2M */
    unsigned long nr_p2m_frames;
};
typedef struct start_info start_info_t;

/* start_info.flags. */
#define SIF_PRIVILEGED      (1 << 0)  /* may use privileged operations */
#define SIF_INITDOMAIN      (1 << 1)  /* this is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)  /* mod_start is a module list */
#define SIF_MOD_START_PFN   (1 << 3)  /* mod_start is a pfn, not an address */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)  /* P2M list is for the tools only */
#define SIF_PM_MASK         (0xFF << 8)  /* reserved for power management */

/* With SIF_MULTIBOOT_MOD: one of these per module, addresses pfn-relative. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;
    uint32_t mod_end;
    uint32_t cmdline;
    uint32_t pad;
};

/* The boot console dom0 inherits, at start_info.console.dom0.info_off. */
typedef struct dom0_vga_console_info {
    uint8_t video_type;
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;      /* low 32 bits; high in ext_lfb_base */
            uint32_t lfb_size;      /* in 64 KiB units */
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

typedef uint8_t xen_domain_handle_t[16];

__DEFINE_XEN_GUEST_HANDLE(uint8,  uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

/* A UUID as 16 bytes in RFC 4122 (big-endian field) order. */
typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/* Initializer for a xen_uuid_t from the five fields of its text form. */
#define XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6)            \
    {{ ((a) >> 24) & 0xFF, ((a) >> 16) & 0xFF,                          \
       ((a) >> 8) & 0xFF, (a) & 0xFF,                                   \
       ((b) >> 8) & 0xFF, (b) & 0xFF,                                   \
       ((c) >> 8) & 0xFF, (c) & 0xFF,                                   \
       ((d) >> 8) & 0xFF, (d) & 0xFF,                                   \
       e1, e2, e3, e4, e5, e6 }}

/* A compound literal where the language has them (C99, GNU C/C++). */
#if defined(__STDC_VERSION__) ? __STDC_VERSION__ >= 199901L : defined(__GNUC__)
#define XEN_DEFINE_UUID(a, b, c, d, e1, e2, e3, e4, e5, e6)             \
    ((xen_uuid_t)XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6))
#else
#define XEN_DEFINE_UUID(a, b, c, d, e1, e2, e3, e4, e5, e6)             \
    XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6)
#endif

#endif /* !__ASSEMBLY__ */

/*
 * For the hypervisor and the toolstack only: the types of the interfaces
 * that are not part of the stable guest ABI (domctl, sysctl, ...).
 */
#if defined(__XEN__) || defined(__XEN_TOOLS__)

/* A toolstack built for 32-bit userspace may pass 8-byte-aligned types. */
#ifndef int64_aligned_t
#define int64_aligned_t int64_t
#endif
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif
#ifndef XEN_GUEST_HANDLE_64
#define XEN_GUEST_HANDLE_64(name) XEN_GUEST_HANDLE(name)
#endif

#ifndef __ASSEMBLY__
/* A bitmap of nr_bits bits (CPUs, nodes) in caller memory. */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;
    uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;
#endif

#endif /* __XEN__ || __XEN_TOOLS__ */

#endif /* __XEN_PUBLIC_XEN_H__ */
