/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame-table audit: after a domain stops (debug builds) or in a test,
 * recount what every one of its frames should hold and compare. The rules
 * are page_type.c's invariants, restated as a count:
 *
 *   general = 1 if allocated + 1 if pinned + 1 per holder
 *             + 1 per present entry pointing at it from a validated table
 *   type    = 1 if pinned + 1 per holder not tagged AUDIT_HOLD_GENERAL
 *             + 1 per such entry from an L2-L4 table
 *             + 1 per such *writable* entry from an L1 table
 *
 * A frame of d counts while it is allocated or still held (a frame given
 * back by decrease_reservation lives on while mapped or pinned). L4 slots
 * 256-271 are the hypervisor's and count for nothing. Entries that
 * point at frames without a descriptor (I/O) are skipped. Pure logic over
 * struct pt_env, host-tested in tests/unit/test_page_audit.c.
 *
 * Invariants checked besides the counts:
 *  1. general >= type for every frame (page_type.c invariant 1);
 *  2. a frame with a table type is never also referenced writable.
 */
#include <satori/page_audit.h>
#include <satori/string.h>

/* d's and in use: allocated, or unallocated but still referenced. */
static bool owned_by(const struct page_info *pg, domid_t d)
{
    return pg && pg->owner == d && !(pg->count_info & (PGC_free | PGC_reserved)) &&
           ((pg->count_info & PGC_allocated) || page_get_count(pg));
}

static unsigned int table_level(const struct page_info *pg)
{
    uint64_t t = page_get_type(pg);

    if (!(pg->type_info & PGT_validated))
        return 0;
    return t >= PGT_l1_page_table && t <= PGT_l4_page_table ? pt_type_level(t) : 0;
}

static void count_entries(const struct pt_env *env, struct page_info *tbl, unsigned int level,
                          uint64_t nr_frames, struct audit_count *c)
{
    const uint64_t *e = env->table(env, tbl);

    for (unsigned int i = 0; i < PT_ENTRIES; i++) {
        uint64_t mfn = (e[i] & PT_ADDR_MASK) >> PAGE_SHIFT;
        if (!(e[i] & PT_PRESENT) || (level == 4 && i >= PT_L4_HV_FIRST && i < PT_L4_HV_END))
            continue;
        if (mfn >= nr_frames || !env->frame(env, mfn))
            continue;
        c[mfn].general++;
        if (level > 1 || (e[i] & PT_RW))
            c[mfn].type++;
        if (level == 1 && (e[i] & PT_RW))
            c[mfn].mapped_writable = true;
    }
}

unsigned long page_audit(const struct pt_env *env, domid_t d, uint64_t nr_frames,
                         const uint64_t *holders, unsigned int nr_holders,
                         struct audit_count *c, audit_report_fn report, void *ctx)
{
    unsigned long bad = 0;

    memset(c, 0, nr_frames * sizeof(*c));
    for (uint64_t mfn = 0; mfn < nr_frames; mfn++) {
        struct page_info *pg = env->frame(env, mfn);
        unsigned int level;
        if (!owned_by(pg, d))
            continue;
        c[mfn].general += (pg->count_info & PGC_allocated) != 0;
        if (pg->type_info & PGT_pinned) {
            c[mfn].general++;
            c[mfn].type++;
        }
        if ((level = table_level(pg)))
            count_entries(env, pg, level, nr_frames, c);
    }
    for (unsigned int i = 0; i < nr_holders; i++) {
        uint64_t mfn = holders[i] & ~AUDIT_HOLD_GENERAL;
        if (mfn < nr_frames) {
            c[mfn].general++;
            if (!(holders[i] & AUDIT_HOLD_GENERAL))
                c[mfn].type++;
        }
    }
    for (uint64_t mfn = 0; mfn < nr_frames; mfn++) {
        struct page_info *pg = env->frame(env, mfn);
        struct audit_count have;
        bool table_and_writable;
        if (!owned_by(pg, d))
            continue;
        have.general = (uint32_t)(pg->count_info & PGC_count_mask);
        have.type = (uint32_t)(pg->type_info & PGT_count_mask);
        table_and_writable = table_level(pg) && c[mfn].mapped_writable;
        if (have.general != c[mfn].general || have.type != c[mfn].type ||
            have.general < have.type || table_and_writable) {
            bad++;
            if (report)
                report(ctx, mfn, &c[mfn], &have);
        }
    }
    return bad;
}
