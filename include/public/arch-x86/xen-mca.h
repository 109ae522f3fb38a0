/* SPDX-License-Identifier: MIT */
/*
 * The x86 machine-check hypercall (mca, the first arch hypercall): dom0
 * fetches the hypervisor's machine-check telemetry (records of mcinfo_*
 * entries in an mc_info), learns the physical CPUs the records name, and
 * (test builds of the tools) injects MSR values or a #MC. Correctable
 * errors are announced to dom0 by VIRQ_MCA.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_MCA_H__
#define __XEN_PUBLIC_ARCH_X86_MCA_H__

#include "../xen.h"

#define __HYPERVISOR_mca __HYPERVISOR_arch_0

/* Every call carries this (xen_mc.interface_version). */
#define XEN_MCA_INTERFACE_VERSION 0x01ecc003

/* xen_mc_fetch.flags in: which queue, or an acknowledgement. */
#define XEN_MC_NONURGENT  0x0001
#define XEN_MC_URGENT     0x0002
#define XEN_MC_ACK        0x0004

/* xen_mc_fetch.flags and xen_mc_notifydomain.flags out. */
#define XEN_MC_OK           0x0
#define XEN_MC_FETCHFAILED  0x1
#define XEN_MC_NODATA       0x2     /* the queue was empty */
#define XEN_MC_NOMATCH      0x4
#define XEN_MC_CANNOTHANDLE 0x8
#define XEN_MC_NOTDELIVERED 0x10

/* No vCPU, in the mc_vcpuid fields below. */
#define XEN_MC_VCPUID_INVALID 0xffff

#ifndef __ASSEMBLY__

#define VIRQ_MCA VIRQ_ARCH_0        /* global, dom0: telemetry to fetch */

/* The entries of an mc_info record, each starting with mcinfo_common. */
#define MC_TYPE_GLOBAL          0
#define MC_TYPE_BANK            1
#define MC_TYPE_EXTENDED        2
#define MC_TYPE_RECOVERY        3

struct mcinfo_common {
    uint16_t type;                  /* MC_TYPE_* */
    uint16_t size;                  /* of the whole entry, bytes */
};
typedef struct mcinfo_common xen_mcinfo_common_t;

/* mcinfo_global.mc_flags */
#define MC_FLAG_CORRECTABLE     (1 << 0)
#define MC_FLAG_UNCORRECTABLE   (1 << 1)
#define MC_FLAG_RECOVERABLE     (1 << 2)
#define MC_FLAG_POLLED          (1 << 3)
#define MC_FLAG_RESET           (1 << 4)
#define MC_FLAG_CMCI            (1 << 5)
#define MC_FLAG_MCE             (1 << 6)

/* What was running, where, and MCG_STATUS. */
struct mcinfo_global {
    xen_mcinfo_common_t common;
    uint16_t mc_domid;
    uint16_t mc_vcpuid;
    uint32_t mc_socketid;
    uint16_t mc_coreid;
    uint16_t mc_core_threadid;
    uint32_t mc_apicid;
    uint32_t mc_flags;              /* MC_FLAG_* */
    uint64_t mc_gstatus;
};

/* One bank's registers. mc_domid: the owner of mc_addr's frame (dom0). */
struct mcinfo_bank {
    xen_mcinfo_common_t common;
    uint16_t mc_bank;
    uint16_t mc_domid;
    uint64_t mc_status;
    uint64_t mc_addr;               /* valid when mc_status says so */
    uint64_t mc_misc;
    uint64_t mc_ctrl2;
    uint64_t mc_tsc;
};

struct mcinfo_msr {
    uint64_t reg;
    uint64_t value;
};
typedef struct mcinfo_msr xen_mcinfo_msr_t;

/* Further MSRs of the error (up to 32). */
struct mcinfo_extended {
    xen_mcinfo_common_t common;
    uint32_t mc_msrs;               /* valid entries of mc_msr */
    xen_mcinfo_msr_t mc_msr[32];
};

/* mcinfo_recovery.action_flags: how the hypervisor's recovery went. */
#define REC_ACTION_RECOVERED (0x1 << 0)
#define REC_ACTION_NONE (0x1 << 1)
#define REC_ACTION_NEED_RESET (0x1 << 2)

/* mcinfo_recovery.action_types */
#define MC_ACTION_PAGE_OFFLINE (0x1 << 0)
#define MC_ACTION_CPU_OFFLINE (0x1 << 1)
#define MC_ACTION_CACHE_SHRINK (0x1 << 2)

/* The frame taken out of use. */
struct page_offline_action {
    uint64_t mfn;
    uint64_t status;
};
typedef struct page_offline_action xen_page_offline_action_t;

/* The CPU taken offline. */
struct cpu_offline_action {
    uint32_t mc_socketid;
    uint16_t mc_coreid;
    uint16_t mc_core_threadid;
};
typedef struct cpu_offline_action xen_cpu_offline_action_t;

#define MAX_UNION_SIZE 16
struct mcinfo_recovery {
    xen_mcinfo_common_t common;
    uint16_t mc_bank;
    uint8_t action_flags;           /* REC_ACTION_* */
    uint8_t action_types;           /* MC_ACTION_* */
    union {
        xen_page_offline_action_t page_retire;
        xen_cpu_offline_action_t cpu_offline;
        uint8_t pad[MAX_UNION_SIZE];
    } action_info;
};

#define MCINFO_HYPERCALLSIZE 1024
#define MCINFO_MAXSIZE       768

/* One telemetry record: mi_nentries mcinfo_* entries packed in mi_data. */
#define MCINFO_FLAGS_UNCOMPLETE 0x1
struct mc_info {
    uint32_t mi_nentries;
    uint32_t flags;                 /* MCINFO_FLAGS_* */
    uint64_t mi_data[(MCINFO_MAXSIZE - 1) / 8];
};
typedef struct mc_info mc_info_t;
DEFINE_XEN_GUEST_HANDLE(mc_info_t);

#define __MC_MSR_ARRAYSIZE 8
/* mc_cpu_caps words (the CPU's feature words as Linux once numbered them). */
#define MC_NCAPS        7
#define MC_CAPS_STD_EDX 0           /* CPUID 1 EDX */
#define MC_CAPS_AMD_EDX 1           /* CPUID 0x80000001 EDX */
#define MC_CAPS_TM      2           /* CPUID 0x80860001 */
#define MC_CAPS_LINUX   3
#define MC_CAPS_STD_ECX 4           /* CPUID 1 ECX */
#define MC_CAPS_VIA     5           /* CPUID 0xc0000001 */
#define MC_CAPS_AMD_ECX 6           /* CPUID 0x80000001 ECX */

/* A physical CPU, as XEN_MC_physcpuinfo describes it. */
struct mcinfo_logical_cpu {
    uint32_t mc_cpunr;              /* the hypervisor's CPU number */
    uint32_t mc_chipid;             /* package */
    uint16_t mc_coreid;
    uint16_t mc_threadid;
    uint32_t mc_apicid;
    uint32_t mc_clusterid;
    uint32_t mc_ncores;
    uint32_t mc_ncores_active;
    uint32_t mc_nthreads;
    int32_t mc_cpuid_level;         /* highest basic CPUID leaf */
    uint32_t mc_family;
    uint32_t mc_vendor;
    uint32_t mc_model;
    uint32_t mc_step;
    char mc_vendorid[16];
    char mc_brandid[64];
    uint32_t mc_cpu_caps[MC_NCAPS];
    uint32_t mc_cache_size;         /* KiB */
    uint32_t mc_cache_alignment;    /* bytes */
    int32_t mc_nmsrvals;            /* valid entries of mc_msrvalues */
    xen_mcinfo_msr_t mc_msrvalues[__MC_MSR_ARRAYSIZE];
};
typedef struct mcinfo_logical_cpu xen_mc_logical_cpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_logical_cpu_t);

/* Walking an mc_info's entries (macros, so that assembly may include this). */
#define x86_mcinfo_nentries(_mi) \
    (_mi)->mi_nentries
#define x86_mcinfo_first(_mi) \
    ((struct mcinfo_common *)(_mi)->mi_data)
#define x86_mcinfo_next(_mic) \
    ((struct mcinfo_common *)((uint8_t *)(_mic) + (_mic)->size))
/* _ret: the first entry of _mi of type _type, or NULL (also for _mi NULL). */
#define x86_mcinfo_lookup(_ret, _mi, _type)                                  \
    do {                                                                     \
        struct mcinfo_common *_mic = NULL;                                   \
        uint32_t _left = 0;                                                  \
                                                                             \
        if ((_mi) != NULL) {                                                 \
            _mic = x86_mcinfo_first(_mi);                                    \
            _left = x86_mcinfo_nentries(_mi);                                \
        }                                                                    \
        while (_left && _mic->type != (_type)) {                             \
            _mic = x86_mcinfo_next(_mic);                                    \
            _left--;                                                         \
        }                                                                    \
        (_ret) = _left ? _mic : NULL;                                        \
    } while (0)

/*
 * Take the oldest record of a queue (NONURGENT or URGENT), or with
 * XEN_MC_ACK release the one fetch_id names. flags out: XEN_MC_NODATA
 * when the queue is empty.
 */
#define XEN_MC_fetch 1
struct xen_mc_fetch {
    uint32_t flags;
    uint32_t _pad0;
    uint64_t fetch_id;              /* out: for the ack; in with XEN_MC_ACK */
    XEN_GUEST_HANDLE(mc_info_t) data;
};
typedef struct xen_mc_fetch xen_mc_fetch_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_fetch_t);

/* Pass an error on to another domain's vCPU. */
#define XEN_MC_notifydomain 2
struct xen_mc_notifydomain {
    uint16_t mc_domid;
    uint16_t mc_vcpuid;
    uint32_t flags;                 /* in and out */
};
typedef struct xen_mc_notifydomain xen_mc_notifydomain_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_notifydomain_t);

/*
 * The online physical CPUs. With info NULL only ncpus is returned; else
 * info receives min(ncpus, online) entries and ncpus that count.
 */
#define XEN_MC_physcpuinfo 3
struct xen_mc_physcpuinfo {
    uint32_t ncpus;                 /* in and out */
    uint32_t _pad0;
    XEN_GUEST_HANDLE(xen_mc_logical_cpu_t) info;
};
typedef struct xen_mc_physcpuinfo xen_mc_physcpuinfo_t;

/* Write machine-check MSRs of one CPU (testing). */
#define XEN_MC_msrinject 4
#define MC_MSRINJ_MAXMSRS 8
struct xen_mc_msrinject {
    uint32_t mcinj_cpunr;
    uint32_t mcinj_flags;           /* MC_MSRINJ_F_* */
    uint32_t mcinj_count;           /* valid entries of mcinj_msr */
    domid_t  mcinj_domid;           /* with MC_MSRINJ_F_GPADDR */
    uint16_t _pad0;
    xen_mcinfo_msr_t mcinj_msr[MC_MSRINJ_MAXMSRS];
};
typedef struct xen_mc_msrinject xen_mc_msrinject_t;

/* mcinj_flags; bits 16-31 reserved. */
#define MC_MSRINJ_F_INTERPOSE   0x1 /* seen by the hypervisor's reads only */
#define MC_MSRINJ_F_GPADDR      0x2 /* values are mcinj_domid's addresses */

/* Raise a #MC on one CPU (testing). */
#define XEN_MC_mceinject 5
struct xen_mc_mceinject {
    unsigned int mceinj_cpunr;
};
typedef struct xen_mc_mceinject xen_mc_mceinject_t;

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* Inject on a set of CPUs: a #MC, a CMCI or a local #MC. */
#define XEN_MC_inject_v2            6
#define XEN_MC_INJECT_TYPE_MASK     0x7
#define XEN_MC_INJECT_TYPE_MCE      0x0
#define XEN_MC_INJECT_TYPE_CMCI     0x1
#define XEN_MC_INJECT_TYPE_LMCE     0x2
#define XEN_MC_INJECT_CPU_BROADCAST 0x8

struct xen_mc_inject_v2 {
    uint32_t flags;
    xenctl_bitmap_t cpumap;
};
typedef struct xen_mc_inject_v2 xen_mc_inject_v2_t;
#endif

/* The hypercall's argument. */
struct xen_mc {
    uint32_t cmd;                   /* XEN_MC_* */
    uint32_t interface_version;     /* XEN_MCA_INTERFACE_VERSION */
    union {
        xen_mc_fetch_t             mc_fetch;
        xen_mc_notifydomain_t      mc_notifydomain;
        xen_mc_physcpuinfo_t       mc_physcpuinfo;
        xen_mc_msrinject_t         mc_msrinject;
        xen_mc_mceinject_t         mc_mceinject;
#if defined(__XEN__) || defined(__XEN_TOOLS__)
        xen_mc_inject_v2_t         mc_inject_v2;
#endif
    } u;
};
typedef struct xen_mc xen_mc_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_t);

#endif /* __ASSEMBLY__ */

#endif /* __XEN_PUBLIC_ARCH_X86_MCA_H__ */
