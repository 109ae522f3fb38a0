/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A debug audit of the frame table (hypervisor/page_audit.c): recounts,
 * from first principles, the references every frame of a domain should
 * hold and compares them with its counts.
 */
#ifndef SATORI_PAGE_AUDIT_H
#define SATORI_PAGE_AUDIT_H

#include <satori/page_type.h>

struct audit_count {
    uint32_t general, type;
    bool mapped_writable;         /* some validated L1 maps it writable */
};

/* Called for each frame whose counts differ from the recount. */
typedef void (*audit_report_fn)(void *ctx, uint64_t mfn, const struct audit_count *want,
                                const struct audit_count *have);

/*
 * Audits every frame below nr_frames owned by d. holders[] lists frames
 * that hold one general and one type reference from outside any table
 * (a vCPU's page-table bases, installed GDT frames, grant-table frames),
 * or only a general one when tagged AUDIT_HOLD_GENERAL (a read-only grant
 * mapping for a device). scratch has nr_frames entries. Returns the
 * number of frames that disagree.
 */
#define AUDIT_HOLD_GENERAL (1ULL << 63)

unsigned long page_audit(const struct pt_env *env, domid_t d, uint64_t nr_frames,
                         const uint64_t *holders, unsigned int nr_holders,
                         struct audit_count *scratch, audit_report_fn report, void *ctx);

#endif
