/* SPDX-License-Identifier: MIT */
/*
 * Grant tables: how a domain lets another map or copy one of its pages.
 * The granting domain fills an entry of its grant table (a shared array,
 * version 1 or 2 entries); the grantee names the entry by (domid, ref) in
 * grant_table_op calls to map, unmap, copy or transfer. Split drivers
 * share their rings and data pages this way.
 */
#ifndef __XEN_PUBLIC_GRANT_TABLE_H__
#define __XEN_PUBLIC_GRANT_TABLE_H__

#include "xen.h"

/* An index into a domain's grant table. */
typedef uint32_t grant_ref_t;

/*
 * A version 1 entry. The granting guest writes domid and frame, then
 * flags (with a write barrier between); the hypervisor sets the
 * reading/writing bits while the grant is mapped. For an accepted
 * transfer the hypervisor writes the new frame back.
 */
struct grant_entry_v1 {
    uint16_t flags;             /* GTF_* */
    domid_t  domid;             /* who may use the grant */
    uint32_t frame;
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/*
 * Entries kept across a grant-table version change, which the toolstack
 * may fill when it builds a domain (console and xenstore rings).
 */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type, in the low two bits of flags. */
#define GTF_invalid         (0U << 0)   /* grants nothing */
#define GTF_permit_access   (1U << 0)   /* domid may map or copy frame */
#define GTF_accept_transfer (2U << 0)   /* domid may give us a page */
#define GTF_transitive      (3U << 0)   /* v2: copy-only, via another grant */
#define GTF_type_mask       (3U << 0)

/* Sub-flags of permit_access (and transitive for the first three). */
#define _GTF_readonly       (2)
#define GTF_readonly        (1U << _GTF_readonly)   /* set by the granter */
#define _GTF_reading        (3)
#define GTF_reading         (1U << _GTF_reading)    /* mapped for reading */
#define _GTF_writing        (4)
#define GTF_writing         (1U << _GTF_writing)    /* mapped for writing */
#define _GTF_PWT            (5)
#define GTF_PWT             (1U << _GTF_PWT)        /* cache attributes */
#define _GTF_PCD            (6)
#define GTF_PCD             (1U << _GTF_PCD)        /* of the mapping */
#define _GTF_PAT            (7)
#define GTF_PAT             (1U << _GTF_PAT)
#define _GTF_sub_page       (8)
#define GTF_sub_page        (1U << _GTF_sub_page)   /* v2: copy a range only */

/*
 * Sub-flags of accept_transfer: committed means the hypervisor is moving
 * a page in (do not reuse the entry), completed that frame is valid.
 */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* Version 2: the common header, then a 16-byte entry per grant. */
struct grant_entry_header {
    uint16_t flags;
    domid_t  domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
    grant_entry_header_t hdr;

    /* permit_access / accept_transfer of a whole page. */
    struct {
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;

    /* permit_access with GTF_sub_page: length bytes from page_off. */
    struct {
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;

    /* GTF_transitive: copy access to grant gref of trans_domid. */
    struct {
        grant_entry_header_t hdr;
        domid_t  trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;

    uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;

/* Version 2 keeps the reading/writing state apart, in status frames. */
typedef uint16_t grant_status_t;

/* grant_table_op commands. */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref       11
#define GNTTABOP_cache_flush          12

/* What map_grant_ref returns for unmapping later. */
typedef uint32_t grant_handle_t;

/*
 * Map grant ref of dom at host_addr (a virtual address, or with
 * GNTMAP_contains_pte the machine address of the PTE to fill), and/or
 * for device DMA (dev_bus_addr out). status is a GNTST_* code.
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;             /* GNTMAP_* */
    grant_ref_t ref;
    domid_t  dom;
    int16_t  status;            /* out */
    grant_handle_t handle;      /* out */
    uint64_t dev_bus_addr;      /* out */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/* Undo a mapping; host_addr 0 or dev_bus_addr 0 skips that half. */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t  status;            /* out */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/* Grow dom's table to nr_frames and list its frames in frame_list. */
struct gnttab_setup_table {
    domid_t  dom;
    uint32_t nr_frames;
    int16_t  status;            /* out */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* Print dom's table on the hypervisor console (debugging). */
struct gnttab_dump_table {
    domid_t dom;
    int16_t status;             /* out */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* Give page mfn to domid, into its accept_transfer entry ref. */
struct gnttab_transfer {
    xen_pfn_t   mfn;
    domid_t     domid;
    grant_ref_t ref;
    int16_t     status;         /* out */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/*
 * Copy len bytes between two (domid, frame or grant, offset) places
 * without mapping; the GNTCOPY_*_gref flags say which sides are grants.
 * Neither side may cross a page boundary.
 */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;
            xen_pfn_t   gmfn;
        } u;
        domid_t  domid;
        uint16_t offset;
    } source, dest;
    uint16_t len;
    uint16_t flags;             /* GNTCOPY_* */
    int16_t  status;            /* out */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/* dom's current and maximum table size in frames. */
struct gnttab_query_size {
    domid_t  dom;
    uint32_t nr_frames;         /* out */
    uint32_t max_nr_frames;     /* out */
    int16_t  status;            /* out */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/*
 * Unmap the grant at host_addr and put the mapping of new_addr there
 * instead (new_addr's own PTE is cleared).
 */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t  status;            /* out */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/* Switch the caller's table to version 1 or 2; the old version comes back. */
struct gnttab_set_version {
    uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* Version 2: the frames holding dom's status array. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t  dom;
    int16_t  status;            /* out */
    XEN_GUEST_HANDLE(uint64_t) frame_list;
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

struct gnttab_get_version {
    domid_t  dom;
    uint16_t pad;
    uint32_t version;           /* out */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/* Swap two of the caller's entries (neither may be in use). */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;             /* out */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* Clean and/or invalidate the cache over part of a granted page (Arm). */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)  /* a holds a grant ref */
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

/* map_grant_ref flags. */
#define _GNTMAP_device_map      (0)     /* map for device DMA */
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        (1)     /* map into the CPU's view */
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)     /* a user (not kernel) mapping */
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    (4)     /* host_addr is a PTE's address */
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/* Bits from 16 up are copied into the PTE's available bits. */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation results in the status fields. */
#define GNTST_okay              (0)
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)
#define GNTST_no_space          (-13)

/* Messages for -GNTST_* as an array initializer, as guests print them. */
#define GNTTABOP_error_msgs {                   \
    "okay",                                     \
    "undefined error",                          \
    "unrecognised domain id",                   \
    "invalid grant reference",                  \
    "invalid mapping handle",                   \
    "invalid virtual address",                  \
    "invalid device address",                   \
    "no spare translation slot in the I/O MMU", \
    "permission denied",                        \
    "bad page",                                 \
    "copy arguments cross page boundary",       \
    "page address size too large",              \
    "operation not done; try again",            \
    "out of space",                             \
}

#endif /* __XEN_PUBLIC_GRANT_TABLE_H__ */
