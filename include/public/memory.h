/* SPDX-License-Identifier: MIT */
/*
 * The memory_op hypercall: growing and shrinking a domain's reservation,
 * exchanging frames, the machine-to-physical table, the memory map,
 * adding frames (shared_info, grant table, foreign frames) to a translated
 * guest's physmap, and acquiring resources such as grant-table frames.
 * The paging, sharing and access operations are the toolstack's.
 */
#ifndef __XEN_PUBLIC_MEMORY_H__
#define __XEN_PUBLIC_MEMORY_H__

#include "xen.h"
#include "physdev.h"

/*
 * Reservation changes, argument xen_memory_reservation; the result is
 * the number of extents done. increase allocates extents to domid and
 * returns their frames in extent_start; decrease frees the frames listed
 * there; populate_physmap allocates and maps them at the listed gpfns.
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* mem_flags: address width limit, NUMA node, and allocation hints. */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
/* The node in XENMEMF_node is a virtual (vNUMA) one. */
#define XENMEMF_vnode               (1 << 18)

struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* frames in or out */
    xen_ulong_t  nr_extents;
    unsigned int extent_order;                  /* 2^order pages each */
    unsigned int mem_flags;                     /* XENMEMF_* */
    domid_t      domid;
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);

/*
 * Trade the extents in "in" for newly allocated ones described by "out"
 * (e.g. to get frames below 4 GiB); nr_exchanged counts input extents done
 * and lets the call resume.
 */
#define XENMEM_exchange 11
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);

/* Highest machine frame in use. No argument. */
#define XENMEM_maximum_ram_page 2

/* Queries on a domain's page counts; argument: xen_memory_domain. */
struct xen_memory_domain {
    domid_t domid;
};
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_maximum_gpfn        14

/*
 * The frames backing the read-only M2P table, so a guest can map it
 * elsewhere (2 MiB each on x86-64).
 */
#define XENMEM_machphys_mfn_list 5
struct xen_machphys_mfn_list {
    unsigned int max_extents;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    unsigned int nr_extents;                    /* out */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);

/* The same for the 32-bit compat M2P. */
#define XENMEM_machphys_compat_mfn_list 25

/* Where the M2P is mapped, and the largest frame it covers. */
#define XENMEM_machphys_mapping 12
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);

/* What add_to_physmap maps. */
#define XENMAPSPACE_shared_info  0  /* the shared_info page */
#define XENMAPSPACE_grant_table  1  /* grant-table frame idx */
#define XENMAPSPACE_gmfn         2  /* move frame idx to gpfn */
#define XENMAPSPACE_gmfn_range   3  /* the same for size frames */
#define XENMAPSPACE_gmfn_foreign 4  /* frame idx of another domain */
#define XENMAPSPACE_dev_mmio     5  /* device MMIO (Arm) */

/* Map one frame (translated guests). */
#define XENMEM_add_to_physmap 7
struct xen_add_to_physmap {
    domid_t  domid;
    uint16_t size;                  /* XENMAPSPACE_gmfn_range only */
    unsigned int space;             /* XENMAPSPACE_* */
/* In idx of XENMAPSPACE_grant_table: a status frame, not a grant frame. */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;
    xen_pfn_t   gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

/* Map size frames at once; errs gets a result per frame. */
#define XENMEM_add_to_physmap_batch 23
struct xen_add_to_physmap_batch {
    domid_t  domid;
    uint16_t space;                 /* XENMAPSPACE_* */
    uint16_t size;
    union xen_add_to_physmap_batch_extra {
        domid_t  foreign_domid;     /* XENMAPSPACE_gmfn_foreign */
        uint16_t res0;              /* other spaces: zero */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t)   gpfns;
    XEN_GUEST_HANDLE(int)         errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

/* Unmap whatever is at gpfn (translated guests). */
#define XENMEM_remove_from_physmap 15
struct xen_remove_from_physmap {
    domid_t   domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

/*
 * The caller's pseudo-physical E820 map (memory_map), the machine's
 * (machine_memory_map, dom0), or set a domain's (set_memory_map, tools).
 * nr_entries is the buffer's capacity in, the entries written out.
 */
#define XENMEM_memory_map 9
struct xen_memory_map {
    unsigned int nr_entries;
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);

#define XENMEM_machine_memory_map 10

#define XENMEM_set_memory_map 13
struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);

/* Populate-on-demand target of an HVM domain. */
#define XENMEM_set_pod_target 16
#define XENMEM_get_pod_target 17
struct xen_pod_target {
    uint64_t target_pages;
    uint64_t tot_pages;             /* out */
    uint64_t pod_cache_pages;       /* out */
    uint64_t pod_entries;           /* out */
    domid_t  domid;
};
typedef struct xen_pod_target xen_pod_target_t;

#if defined(__XEN__) || defined(__XEN_TOOLS__)

#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif

/* Pages freed and pages shared by memory sharing; no argument. */
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19

/* Paging a domain's memory out to the toolstack and back. */
#define XENMEM_paging_op           20
#define XENMEM_paging_op_nominate  0
#define XENMEM_paging_op_evict     1
#define XENMEM_paging_op_prep      2

struct xen_mem_paging_op {
    uint8_t op;                     /* XENMEM_paging_op_* */
    domid_t domain;
    XEN_GUEST_HANDLE_64(const_uint8) buffer;    /* page contents (prep) */
    uint64_aligned_t gfn;
};
typedef struct xen_mem_paging_op xen_mem_paging_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_paging_op_t);

/* Restricting a domain's access to its own memory (introspection). */
#define XENMEM_access_op                  21
#define XENMEM_access_op_set_access       0
#define XENMEM_access_op_get_access       1
/* 2 and 3 were used by earlier versions. */
#define XENMEM_access_op_set_access_multi 4

typedef enum {
    XENMEM_access_n,
    XENMEM_access_r,
    XENMEM_access_w,
    XENMEM_access_rw,
    XENMEM_access_x,
    XENMEM_access_rx,
    XENMEM_access_wx,
    XENMEM_access_rwx,
    XENMEM_access_rx2rw,            /* rx; becomes rw on the first write */
    XENMEM_access_n2rwx,            /* none; becomes rwx on first access */
    XENMEM_access_default           /* the domain's default */
} xenmem_access_t;

struct xen_mem_access_op {
    uint8_t  op;                    /* XENMEM_access_op_* */
    uint8_t  access;                /* xenmem_access_t */
    domid_t  domid;
    uint32_t nr;                    /* pages from pfn; resume point */
    uint64_aligned_t pfn;           /* ~0: the domain's default */
    XEN_GUEST_HANDLE(const_uint64) pfn_list;    /* set_access_multi */
    XEN_GUEST_HANDLE(const_uint8)  access_list;
};
typedef struct xen_mem_access_op xen_mem_access_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_access_op_t);

/* Sharing identical pages between domains, and forking domains. */
#define XENMEM_sharing_op               22
#define XENMEM_sharing_op_nominate_gfn  0
#define XENMEM_sharing_op_nominate_gref 1
#define XENMEM_sharing_op_share         2
#define XENMEM_sharing_op_debug_gfn     3
#define XENMEM_sharing_op_debug_mfn     4
#define XENMEM_sharing_op_debug_gref    5
#define XENMEM_sharing_op_add_physmap   6
#define XENMEM_sharing_op_audit         7
#define XENMEM_sharing_op_range_share   8
#define XENMEM_sharing_op_fork          9
#define XENMEM_sharing_op_fork_reset    10

#define XENMEM_SHARING_OP_S_HANDLE_INVALID (-10)
#define XENMEM_SHARING_OP_C_HANDLE_INVALID (-9)

/* A gfn field may hold a grant reference instead, flagged by bit 62. */
#define XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG (xen_mk_ullong(1) << 62)
#define XENMEM_SHARING_OP_FIELD_MAKE_GREF(field, val) \
    (field) = (XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG | val)
#define XENMEM_SHARING_OP_FIELD_IS_GREF(field) \
    ((field) & XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG)
#define XENMEM_SHARING_OP_FIELD_GET_GREF(field) \
    ((field) & (~XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG))

struct xen_mem_sharing_op {
    uint8_t op;                     /* XENMEM_sharing_op_* */
    domid_t domain;
    union {
        struct mem_sharing_op_nominate {
            union {
                uint64_aligned_t gfn;
                uint32_t grant_ref;
            } u;
            uint64_aligned_t handle;        /* out */
        } nominate;
        struct mem_sharing_op_share {
            uint64_aligned_t source_gfn;
            uint64_aligned_t source_handle;
            uint64_aligned_t client_gfn;
            uint64_aligned_t client_handle;
            domid_t client_domain;
        } share;
        struct mem_sharing_op_range {
            uint64_aligned_t first_gfn;
            uint64_aligned_t last_gfn;
            uint64_aligned_t opaque;        /* resume point, zero first */
            domid_t client_domain;
            uint16_t _pad[3];
        } range;
        struct mem_sharing_op_debug {
            union {
                uint64_aligned_t gfn;
                uint64_aligned_t mfn;
                uint32_t gref;
            } u;
        } debug;
        struct mem_sharing_op_fork {
            domid_t parent_domain;
#define XENMEM_FORK_WITH_IOMMU_ALLOWED (1u << 0)
#define XENMEM_FORK_BLOCK_INTERRUPTS   (1u << 1)
#define XENMEM_FORK_RESET_STATE        (1u << 2)
#define XENMEM_FORK_RESET_MEMORY       (1u << 3)
            uint16_t flags;
            uint32_t pad;
        } fork;
    } u;
};
typedef struct xen_mem_sharing_op xen_mem_sharing_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_sharing_op_t);

/*
 * Claim pages for a domain being built so that a later allocation cannot
 * fail for lack of memory; argument: xen_memory_reservation (nr_extents).
 */
#define XENMEM_claim_pages 24

/* Memory regions firmware reserves for devices (RMRRs). */
#define XENMEM_reserved_device_memory_map 27
struct xen_reserved_device_memory {
    xen_pfn_t   start_pfn;
    xen_ulong_t nr_pages;
};
typedef struct xen_reserved_device_memory xen_reserved_device_memory_t;
DEFINE_XEN_GUEST_HANDLE(xen_reserved_device_memory_t);

struct xen_reserved_device_memory_map {
#define XENMEM_RDM_ALL 1            /* every region, not one device's */
    uint32_t flags;
    unsigned int nr_entries;        /* capacity in, count out */
    XEN_GUEST_HANDLE(xen_reserved_device_memory_t) buffer;
    union {
        physdev_pci_device_t pci;
    } dev;
};
typedef struct xen_reserved_device_memory_map xen_reserved_device_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_reserved_device_memory_map_t);

#endif /* __XEN__ || __XEN_TOOLS__ */

/*
 * Get the frames of a resource of domain domid: nr_frames starting at
 * frame, returned (or, for a translated caller, mapped) via frame_list.
 * With nr_frames 0 the call reports the resource's size instead.
 */
#define XENMEM_acquire_resource 28
struct xen_mem_acquire_resource {
    domid_t  domid;
    uint16_t type;
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
    uint32_t id;
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
    uint32_t nr_frames;
    uint32_t pad;                   /* zero */
    uint64_t frame;
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);

/*
 * The guest's virtual NUMA topology: counts in, counts and arrays out
 * (-ENOBUFS with the counts needed if they are too small).
 */
#define XENMEM_get_vnumainfo 26

struct xen_vmemrange {
    uint64_t start, end;
    unsigned int flags;
    unsigned int nid;
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);

struct xen_vnuma_topology_info {
    domid_t  domid;
    uint16_t pad;
    unsigned int nr_vnodes;
    unsigned int nr_vcpus;
    unsigned int nr_vmemranges;
    /* The unions keep each handle 8 bytes for 32-bit callers too. */
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vdistance;
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vcpu_to_vnode;
    union {
        XEN_GUEST_HANDLE(xen_vmemrange_t) h;
        uint64_t pad;
    } vmemrange;
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);

#endif /* __XEN_PUBLIC_MEMORY_H__ */
