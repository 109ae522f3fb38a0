/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1 (docs/grant-tables.md). Three layers:
 *  - hypervisor/gnttab_state.c: the pure part, built unmodified on the host
 *    (tests/unit/test_gnttab.c): pin counters, the GTF_reading/GTF_writing
 *    protocol on a shared entry, the maptrack free list;
 *  - hypervisor/grant_table.c: GNTTABOP_* (grant_table_op), per-domain
 *    tables, their locks and lifetimes; the model and its numbered
 *    invariants are at its top;
 *  - arch/x86/pv/grant.c: the arch_gnttab_* hooks below: frame references
 *    and grant PTEs in a PV guest's page tables, under the MMU lock.
 */
#ifndef SATORI_GRANT_TABLE_H
#define SATORI_GRANT_TABLE_H

#include <public/grant_table.h>
#include <satori/compiler.h>
#include <satori/types.h>

struct domain;
struct grant_table;
struct page_info;

/* --- Domain lifecycle (hypervisor/grant_table.c) ------------------------ */

/* At domain creation: a version 1 table of one frame. 0 or -ENOMEM. */
int __must_check grant_table_init(struct domain *d);
/*
 * At destroy, with d's vCPUs stopped: undoes every mapping d holds (of
 * others' grants and of its own): each grant PTE still in place is cleared,
 * device mappings drop their frame references, pins and GTF_* bits are
 * released in the granters' tables. Idempotent.
 */
void grant_table_release_mappings(struct domain *d);
/*
 * Frees d's table once nobody uses it: at once, or when the last other
 * domain unmaps one of d's grants (the table outlives d until then, so the
 * granted frames and entries stay valid). Calls release_mappings first.
 * Call it after d's page tables are torn down: a shared frame still
 * referenced when the table is freed is left allocated (and reported).
 */
void grant_table_destroy(struct domain *d);
/*
 * Debug audit (arch/x86/pv/audit.c): appends to h (room for max) the
 * frames of d that grant code holds outside page tables: d's table frames
 * (a general and a writable type reference each) and device mappings of
 * d's frames (see page_audit.h's AUDIT_HOLD_GENERAL). Returns the count.
 */
unsigned int grant_table_audit_holders(struct domain *d, uint64_t *h, unsigned int max);

/* --- Arch hooks (arch/x86/pv/grant.c); each takes the MMU lock ---------- */

/*
 * The frame side of a map_grant_ref by ld of frame mfn of domain rd:
 * references (a general one per GNTMAP_device_map and GNTMAP_host_map, a
 * writable type one per such half that is not GNTMAP_readonly), then the
 * grant PTE at host_addr (a virtual address in ld's current page tables,
 * or with GNTMAP_contains_pte the machine address of an L1 entry of ld's),
 * whose previous entry is released. All or nothing. GNTST_okay with
 * *pte_maddr (host maps) set to where the PTE went; GNTST_bad_page if
 * first_pin and mfn is not rd's; GNTST_general_error otherwise.
 */
int16_t __must_check arch_gnttab_map(struct domain *ld, domid_t rd, uint64_t mfn,
                                     uint32_t flags, uint64_t host_addr, bool first_pin,
                                     uint64_t *pte_maddr);
/*
 * The host half of an unmap: the L1 entry at host_addr (as for map) must map
 * mfn, present, writable iff the mapping is; it is cleared, or with
 * new_addr replaced by the entry taken from new_addr's L1 slot
 * (unmap_and_replace), the TLB flushed and the entry's references dropped.
 * GNTST_okay or GNTST_general_error (nothing changed, but a taken
 * new_addr entry stays taken, as on Xen).
 */
int16_t __must_check arch_gnttab_unmap_host(struct domain *ld, uint64_t mfn, uint32_t flags,
                                            uint64_t host_addr, uint64_t new_addr);
/*
 * Domain teardown: clears the PTE a host mapping wrote at pte_maddr if it
 * is still there (an L1 of ld's mapping mfn as the mapping did) and drops
 * its references; else the PTE was replaced or its table torn down, which
 * dropped them already. Nothing to report either way.
 */
void arch_gnttab_release_host(struct domain *ld, uint64_t mfn, uint32_t flags,
                              uint64_t pte_maddr);
/* Debug audit: would arch_gnttab_release_host() find that PTE in place? */
bool arch_gnttab_pte_present(domid_t ld, uint64_t mfn, uint32_t flags, uint64_t pte_maddr);
/* Drops the references of a device mapping (general, + writable type if RW). */
void arch_gnttab_put_device(uint64_t mfn, bool readonly);
/*
 * A frame to copy from (readonly) or into: owner's frame mfn, with a
 * general reference and if writable the writable type. Its direct-map
 * address, or NULL with *status: not_owner_status if mfn is not owner's,
 * GNTST_general_error if it cannot be written (a page table).
 */
void *arch_gnttab_copy_get(domid_t owner, uint64_t mfn, bool writable, int16_t not_owner_status,
                           int16_t *status);
void arch_gnttab_copy_put(uint64_t mfn, bool writable);
/*
 * A new table frame for d, shared with it as Xen's share_xen_page_with_guest
 * does: owned by d, allocated, held writable by the table (a general and a
 * writable type reference), zeroed, out of the M2P. NULL if no memory.
 */
struct page_info *arch_gnttab_alloc_frame(domid_t d);
/* Undoes that; frees the frame unless a guest mapping still holds it. */
void arch_gnttab_free_frame(struct page_info *pg);

/* --- Pure logic (hypervisor/gnttab_state.c) ----------------------------- */

/*
 * An active entry's pin: how many mappings (and copies in progress) hold
 * the grant, by kind, 8 bits each, as Xen keeps it. A counter may not pass
 * 128: a request that would is refused (GNTST_general_error).
 */
#define GNTPIN_hstw_inc  (1U << 0)       /* host mapping, writable */
#define GNTPIN_hstr_inc  (1U << 8)       /* host mapping, read-only */
#define GNTPIN_devw_inc  (1U << 16)      /* device mapping, writable */
#define GNTPIN_devr_inc  (1U << 24)      /* device mapping, read-only */
#define GNTPIN_hstw_mask (0xffU << 0)
#define GNTPIN_hstr_mask (0xffU << 8)
#define GNTPIN_devw_mask (0xffU << 16)
#define GNTPIN_devr_mask (0xffU << 24)
#define GNTPIN_w_mask    (GNTPIN_hstw_mask | GNTPIN_devw_mask)

/* What a map_grant_ref with these GNTMAP_* flags adds to the pin. */
uint32_t gnttab_map_pin_incr(uint32_t flags);
/* Would adding incr to pin take one of its counters to 128 or more? */
bool gnttab_pin_overflows(uint32_t pin, uint32_t incr);
/* The GTF_* bits to clear once a holder left, pin being what remains. */
uint16_t gnttab_unpin_flags(uint32_t pin, bool was_writable);

/*
 * Marks shared v1 entry e in use by ldomid: GTF_reading, and GTF_writing
 * unless readonly, set by compare-and-swap on the entry's flags and domid
 * (the guest writes them concurrently; five tries, then it is "unstable").
 * Unless the grant is pinned already, the entry must be GTF_permit_access
 * (without GTF_sub_page for a mapping) for ldomid. A writer needs the entry
 * without GTF_readonly. GNTST_okay or GNTST_general_error (e unchanged).
 */
int16_t gnttab_entry_acquire(grant_entry_v1_t *e, domid_t ldomid, bool pinned, bool readonly,
                             bool mapping);
/* Clears GTF_* bits of shared entry e (atomically: the guest writes it too). */
void gnttab_entry_clear(grant_entry_v1_t *e, uint16_t bits);

/*
 * The maptrack: the handles of the mappings a domain holds. Entries come in
 * chunks of GNTTAB_MAPTRACK_PER_FRAME (one page of Xen's 16-byte entries,
 * so handle numbers and limits match Xen's). Free handles form one list,
 * taken at the head and returned at the tail, which always keeps its last
 * entry: of n chunks' handles, at most n * 256 - 1 are in use at once.
 */
#define GNTTAB_MAPTRACK_PER_FRAME 256
#define GNTTAB_NO_HANDLE 0xffffffffU

struct gnttab_mapping {
    struct grant_table *rgt;     /* the granter's table (holds a reference) */
    uint64_t pte_maddr;          /* GNTMAP_host_map: where its PTE was written */
    grant_ref_t ref;             /* in use: the grant; free: the next free handle */
    uint16_t flags;              /* GNTMAP_* halves still mapped; 0: free */
    domid_t domid;               /* the granter */
};

struct gnttab_maptrack {
    struct gnttab_mapping **chunk;   /* [max_chunks]; [0, nr_chunks) present */
    uint32_t max_chunks, nr_chunks;
    uint32_t head, tail;             /* free list; GNTTAB_NO_HANDLE: empty */
};

void gnttab_maptrack_init(struct gnttab_maptrack *mt, struct gnttab_mapping **chunks,
                          uint32_t max_chunks);
/* Handles [0, limit) exist. */
static inline uint32_t gnttab_maptrack_limit(const struct gnttab_maptrack *mt)
{
    return mt->nr_chunks * GNTTAB_MAPTRACK_PER_FRAME;
}
/* Entry h, or NULL past the limit (clamped against speculation). */
struct gnttab_mapping *gnttab_maptrack_entry(const struct gnttab_maptrack *mt, uint32_t h);
/* A free handle, or GNTTAB_NO_HANDLE (then add a chunk, if any is left). */
uint32_t gnttab_maptrack_get(struct gnttab_maptrack *mt);
/*
 * Adds chunk (GNTTAB_MAPTRACK_PER_FRAME entries; nr_chunks < max_chunks):
 * its first handle is returned, taken; the others join the free list.
 */
uint32_t gnttab_maptrack_add_chunk(struct gnttab_maptrack *mt, struct gnttab_mapping *chunk);
/* Returns handle h (its entry's flags already 0) to the free list. */
void gnttab_maptrack_put(struct gnttab_maptrack *mt, uint32_t h);

#endif
