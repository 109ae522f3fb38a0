/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the page-type state machine (hypervisor/page_type.c) against a
 * fake frame table of NR frames, each with its own 512-entry page. Test
 * names carry the number of the invariant they check.
 */
#include <satori/errno.h>
#include <stdio.h>

#include <satori/page_audit.h>
#include <satori/page_type.h>

#include "check.h"

#define NR 64
#define DOM 1
#define OTHER 2
#define HV_MARK 0xabcULL

static struct page_info frames[NR];
static uint64_t mem[NR][PT_ENTRIES];
static unsigned int nr_flush;
static bool io_allowed;
static unsigned int released[NR];      /* frame_released() calls per frame */

/* The hook page_type.c calls on a last put: unlink, and free like the heap. */
void frame_released(struct page_info *pg)
{
    released[pg - frames]++;
    list_del(&pg->list);
    pg->count_info = PGC_free;
    pg->type_info = 0;
    pg->owner = DOMID_INVALID;
}

static struct page_info *fake_frame(const struct pt_env *env, uint64_t mfn)
{
    (void)env;
    return mfn < NR ? &frames[mfn] : NULL;
}

static uint64_t *fake_table(const struct pt_env *env, struct page_info *pg)
{
    (void)env;
    return mem[pg - frames];
}

static bool fake_io_ok(const struct pt_env *env, domid_t d, uint64_t mfn, bool w)
{
    (void)env, (void)d, (void)mfn, (void)w;
    return io_allowed;
}

static void fake_init_l4(const struct pt_env *env, uint64_t *l4)
{
    (void)env;
    for (unsigned int i = PT_L4_HV_FIRST; i < PT_L4_HV_END; i++)
        l4[i] = HV_MARK;
}

static void fake_flush(const struct pt_env *env)
{
    (void)env;
    nr_flush++;
}

static const struct pt_env env = {
    .frame = fake_frame, .table = fake_table, .io_ok = fake_io_ok,
    .init_l4 = fake_init_l4, .flush_tlb = fake_flush,
};

/* Frames 0..NR-5 are DOM's (allocated, writable type count 0); then one
 * of OTHER's, one unallocated, one free, one reserved (I/O). */
#define F_OTHER (NR - 4)
#define F_UNALLOC (NR - 3)
#define F_FREE (NR - 2)
#define F_IO (NR - 1)

static void reset(void)
{
    memset(mem, 0, sizeof(mem));
    memset(released, 0, sizeof(released));
    nr_flush = 0;
    io_allowed = false;
    for (unsigned int i = 0; i < NR; i++) {
        frames[i] = (struct page_info){ .owner = DOM, .count_info = PGC_allocated | 1,
                                        .type_info = PGT_writable_page };
        list_init(&frames[i].list);
    }
    frames[F_OTHER].owner = OTHER;
    frames[F_UNALLOC].count_info = 0;
    frames[F_FREE].count_info = PGC_free;
    frames[F_FREE].owner = DOMID_INVALID;
    frames[F_IO].count_info = PGC_reserved;
    frames[F_IO].owner = DOMID_INVALID;
}

static uint64_t e(unsigned int mfn, uint64_t flags)
{
    return ((uint64_t)mfn << PAGE_SHIFT) | flags;
}

#define RW (PT_PRESENT | PT_RW)
#define RO (PT_PRESENT)

static uint64_t gcount(unsigned int mfn) { return page_get_count(&frames[mfn]); }
static uint64_t tcount(unsigned int mfn) { return page_type_count(&frames[mfn]); }

/* L4 (10) -> L3 (11) -> L2 (12) -> L1 (13) -> data 20 (RW), 21 (RO), 13 (RO). */
static void build_tree(void)
{
    mem[10][0] = e(11, RW);
    mem[11][0] = e(12, RW);
    mem[12][0] = e(13, RW);
    mem[13][0] = e(20, RW);
    mem[13][1] = e(21, RO);
    mem[13][2] = e(13, RO);
}

static unsigned long audit_reports;

static void audit_report(void *ctx, uint64_t mfn, const struct audit_count *want,
                         const struct audit_count *have)
{
    (void)ctx;
    audit_reports++;
    check_fail(__FILE__, __LINE__, "page_audit found a frame whose counts disagree");
    fprintf(stderr, "frame %lu: counts %u/%u, recount %u/%u\n", (unsigned long)mfn,
            have->general, have->type, want->general, want->type);
}

/*
 * Every count agrees with a recount from the tables, pins and allocations
 * (page_audit.c), and every validated entry obeys invariants 3, 4 and 8.
 */
static void check_consistent(void)
{
    static struct audit_count scratch[NR];

    CHECK(page_audit(&env, DOM, NR, NULL, 0, scratch, audit_report, NULL) == 0);
    for (unsigned int m = 0; m < NR; m++) {
        const struct page_info *pg = &frames[m];
        unsigned int level = pt_type_level(page_get_type(pg));
        if (!level || !(pg->type_info & PGT_validated))
            continue;
        for (unsigned int i = 0; i < PT_ENTRIES; i++) {
            uint64_t x = mem[m][i], to = (x & PT_ADDR_MASK) >> PAGE_SHIFT;
            if (!pt_guest_slot(level, i) || !(x & PT_PRESENT) || to >= NR ||
                page_is_reserved(&frames[to]))
                continue;
            CHECK((x & PT_USER) && !(x & PT_GLOBAL));            /* invariant 8 */
            if (level == 1 && (x & PT_RW))                        /* invariant 3 */
                CHECK(page_get_type(&frames[to]) == PGT_writable_page);
            if (level > 1)                                        /* invariant 4 */
                CHECK(page_get_type(&frames[to]) == pt_level_type(level - 1) &&
                      (frames[to].type_info & PGT_validated));
        }
    }
}

/* The audit finds a count that is off, and the frame it belongs to. */
static void test_audit_finds_corruption(void)
{
    static struct audit_count scratch[NR];
    uint64_t holder = 13;

    reset();
    build_tree();
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    CHECK(page_audit(&env, DOM, NR, NULL, 0, scratch, NULL, NULL) == 0);
    frames[20].count_info++;                       /* a leaked reference */
    CHECK(page_audit(&env, DOM, NR, NULL, 0, scratch, NULL, NULL) == 1);
    CHECK(scratch[20].general == 2 && page_get_count(&frames[20]) == 3);
    frames[20].count_info--;
    /* a holder outside the tables (a page-table base) must be declared */
    CHECK(get_page_and_type(&env, &frames[13], DOM, PGT_l1_page_table) == 0);
    CHECK(page_audit(&env, DOM, NR, NULL, 0, scratch, NULL, NULL) == 1);
    CHECK(page_audit(&env, DOM, NR, &holder, 1, scratch, NULL, NULL) == 0);
    /* a holder of a general reference only (a read-only device grant) */
    CHECK(get_page(&frames[14], DOM));
    holder = 14 | AUDIT_HOLD_GENERAL;
    CHECK(page_audit(&env, DOM, NR, &holder, 1, scratch, NULL, NULL) == 1);   /* 13's */
    uint64_t both[2] = { 13, 14 | AUDIT_HOLD_GENERAL };
    CHECK(page_audit(&env, DOM, NR, both, 2, scratch, NULL, NULL) == 0);
    both[1] = 14;                                  /* declared with a type: wrong */
    CHECK(page_audit(&env, DOM, NR, both, 2, scratch, NULL, NULL) == 1);
    CHECK(scratch[14].type == 1 && page_type_count(&frames[14]) == 0);
}

static void test_get_page_owner(void)
{
    reset();
    CHECK(get_page(&frames[5], DOM));
    CHECK(gcount(5) == 2);
    put_page(&frames[5]);
    CHECK(!get_page(&frames[5], OTHER));
    CHECK(!get_page(&frames[F_OTHER], DOM));
    CHECK(!get_page(&frames[F_UNALLOC], DOM));
    CHECK(!get_page(&frames[F_FREE], DOM));
    CHECK(!get_page(&frames[F_IO], DOM));
    CHECK(!get_page(NULL, DOM));
    CHECK(gcount(5) == 1 && gcount(F_UNALLOC) == 0);
}

static void test_inv1_underflow_dies(void)
{
    reset();
    CHECK_DIES(put_page(&frames[F_UNALLOC]));
    CHECK_DIES(put_page_type(&env, &frames[5]));
    CHECK(get_page_and_type(&env, &frames[5], DOM, PGT_writable_page) == 0);
    CHECK(gcount(5) == 2 && tcount(5) == 1);
    put_page_and_type(&env, &frames[5]);
    CHECK(gcount(5) == 1 && tcount(5) == 0);
}

static void test_inv2_one_type_at_a_time(void)
{
    reset();
    CHECK(get_page_type(&env, &frames[5], PGT_writable_page) == 0);
    uint64_t before = frames[5].type_info;
    CHECK(get_page_type(&env, &frames[5], PGT_l1_page_table) == -EINVAL);
    CHECK(get_page_type(&env, &frames[5], PGT_seg_desc_page) == -EINVAL);
    CHECK(frames[5].type_info == before);
    put_page_type(&env, &frames[5]);
    CHECK(get_page_type(&env, &frames[5], PGT_l1_page_table) == 0);
    CHECK(get_page_type(&env, &frames[5], PGT_writable_page) == -EINVAL);
    CHECK(get_page_type(&env, &frames[5], PGT_l2_page_table) == -EINVAL);
    put_page_type(&env, &frames[5]);
}

static void test_inv3_page_table_never_writable(void)
{
    reset();
    build_tree();
    CHECK(page_pin(&env, &frames[13], DOM, 1) == 0);
    /* An L1 entry mapping the pinned L1 writable: -EBUSY, as Xen. */
    mem[30][0] = e(13, RW);
    CHECK(page_pin(&env, &frames[30], DOM, 1) == -EBUSY);
    mem[30][0] = e(13, RO);
    CHECK(page_pin(&env, &frames[30], DOM, 1) == 0);
    uint64_t old;
    CHECK(pt_update_entry(&env, DOM, &frames[30], 1, e(13, RW), false, &old) == -EBUSY);
    CHECK(pt_update_entry(&env, DOM, &frames[30], 1, e(30, RW), false, &old) == -EBUSY);
    CHECK(pt_update_entry(&env, DOM, &frames[30], 1, e(F_OTHER, RO), false, &old) == -EBUSY);
    CHECK(pt_update_entry(&env, DOM, &frames[30], 1, e(14, RW), false, &old) == 0);
    /* ...and a writable-mapped frame cannot become a table. */
    CHECK(page_pin(&env, &frames[14], DOM, 1) == -EINVAL);
    CHECK_CALL(check_consistent());
}

static void test_inv4_validation_takes_refs(void)
{
    reset();
    build_tree();
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    CHECK(frames[10].type_info == (PGT_l4_page_table | PGT_validated | PGT_pinned | 1));
    CHECK(frames[11].type_info == (PGT_l3_page_table | PGT_validated | 1));
    CHECK(frames[12].type_info == (PGT_l2_page_table | PGT_validated | 1));
    CHECK(frames[13].type_info == (PGT_l1_page_table | PGT_validated | 1));
    CHECK(frames[20].type_info == (PGT_writable_page | 1));
    CHECK(tcount(21) == 0 && gcount(21) == 2);
    CHECK(gcount(13) == 3);                 /* allocation, L2 entry, its own RO map */
    CHECK_CALL(check_consistent());
}

static void test_inv4_foreign_and_level_errors(void)
{
    reset();
    mem[13][0] = e(F_OTHER, RO);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == -EBUSY);
    mem[13][0] = e(F_FREE, RO);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == -EBUSY);
    mem[13][0] = e(NR + 100, RO);           /* beyond the frame table */
    CHECK(page_pin(&env, &frames[13], DOM, 1) == -EBUSY);
    /* An L2 entry to a writable-mapped frame: not an L1. */
    mem[13][0] = e(20, RW);
    mem[12][0] = e(20, RW);
    CHECK(get_page_type(&env, &frames[20], PGT_writable_page) == 0);
    CHECK(page_pin(&env, &frames[12], DOM, 2) == -EINVAL);
    put_page_type(&env, &frames[20]);
    CHECK(page_pin(&env, &frames[12], DOM, 2) == 0);
    CHECK(page_get_type(&frames[20]) == PGT_l1_page_table);
    CHECK_CALL(check_consistent());
}

static void test_inv4_no_cycles(void)
{
    reset();
    mem[11][0] = e(11, RW);                 /* an L3 pointing at itself */
    CHECK(page_pin(&env, &frames[11], DOM, 3) == -EINVAL);
    mem[11][0] = e(12, RW);                 /* L3 -> L2 -> the L3 as L1 */
    mem[12][0] = e(11, RW);
    CHECK(page_pin(&env, &frames[11], DOM, 3) == -EINVAL);
    mem[12][0] = e(12, RW);                 /* L2 pointing at itself as L1 */
    CHECK(page_pin(&env, &frames[12], DOM, 2) == -EINVAL);
    CHECK_CALL(check_consistent());
    for (unsigned int m = 0; m < NR - 4; m++)
        CHECK(tcount(m) == 0 && gcount(m) == 1);
}

static void test_inv5_last_put_releases(void)
{
    reset();
    build_tree();
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    CHECK(page_unpin(&env, &frames[10], DOM) == 0);
    for (unsigned int m = 0; m < NR - 4; m++) {
        CHECK(tcount(m) == 0 && gcount(m) == 1);
        CHECK(!(frames[m].type_info & (PGT_validated | PGT_pinned)));   /* tables too */
    }
    CHECK(frames[20].type_info == PGT_writable_page);
    CHECK(page_get_type(&frames[13]) == PGT_l1_page_table);   /* type stays */
    /* Unvalidated at count 0: it can be mapped writable again. */
    CHECK(get_page_type(&env, &frames[13], PGT_writable_page) == 0);
    put_page_type(&env, &frames[13]);
}

static void test_inv6_failure_changes_nothing(void)
{
    static struct page_info f0[NR];
    static uint64_t m0[NR][PT_ENTRIES];
    uint64_t old;

    reset();
    build_tree();
    mem[13][300] = e(F_OTHER, RO);          /* the last entry fails */
    memcpy(f0, frames, sizeof(frames));
    memcpy(m0, mem, sizeof(mem));
    CHECK(page_pin(&env, &frames[10], DOM, 4) == -EBUSY);
    CHECK(memcmp(f0, frames, sizeof(frames)) == 0);
    CHECK(memcmp(m0, mem, sizeof(mem)) == 0);
    mem[13][300] = 0;
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    memcpy(f0, frames, sizeof(frames));
    memcpy(m0, mem, sizeof(mem));
    CHECK(pt_update_entry(&env, DOM, &frames[13], 5, e(10, RW), false, &old) == -EBUSY);
    CHECK(pt_update_entry(&env, DOM, &frames[12], 5, e(20, RW), false, &old) == -EINVAL);
    CHECK(pt_update_entry(&env, DOM, &frames[12], 5, e(30, RW | PT_PSE), false, &old) == -EINVAL);
    CHECK(memcmp(f0, frames, sizeof(frames)) == 0);
    CHECK(memcmp(m0, mem, sizeof(mem)) == 0);
}

static void test_inv7_pin_rules(void)
{
    reset();
    CHECK(page_pin(&env, &frames[13], DOM, 1) == 0);
    CHECK(gcount(13) == 2 && tcount(13) == 1);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == -EINVAL);
    CHECK(page_pin(&env, &frames[13], DOM, 2) == -EINVAL);
    CHECK(gcount(13) == 2 && tcount(13) == 1);
    CHECK(page_unpin(&env, &frames[13], DOM) == 0);
    CHECK(page_unpin(&env, &frames[13], DOM) == -EINVAL);
    CHECK(page_pin(&env, &frames[13], DOM, 0) == -EINVAL);
    CHECK(page_pin(&env, &frames[13], DOM, 5) == -EINVAL);
    CHECK(page_pin(&env, &frames[F_OTHER], DOM, 1) == -EINVAL);
    CHECK(page_unpin(&env, &frames[F_OTHER], DOM) == -EINVAL);
    CHECK(gcount(13) == 1 && tcount(13) == 0);
}

static void test_inv8_entry_rules(void)
{
    uint64_t x;

    x = e(3, RW | PT_GLOBAL);
    CHECK(pte_check(1, &x) == 0 && x == e(3, RW | PT_USER));
    x = e(3, RW | PT_PSE | PT_PCD | PT_PWT | PT_NX);   /* PAT/cache bits: L1 only */
    CHECK(pte_check(1, &x) == 0 && (x & PT_NX) && (x & PT_USER));
    for (unsigned int level = 2; level <= 4; level++) {
        uint64_t bad[] = { PT_PSE, PT_PCD, PT_PWT };
        for (unsigned int i = 0; i < 3; i++) {
            x = e(3, RW | bad[i]);
            CHECK(pte_check(level, &x) == -EINVAL);
        }
        x = e(3, RW | PT_NX | PT_GLOBAL);
        CHECK(pte_check(level, &x) == 0 && x == e(3, RW | PT_NX | PT_USER));
    }
    for (unsigned int bit = 52; bit <= 62; bit++)
        for (unsigned int level = 1; level <= 4; level++) {
            x = e(3, RO) | (1ULL << bit);
            CHECK(pte_check(level, &x) == -EINVAL);
        }
    x = 0xfff0000000000ffeULL;              /* not present: stored as given */
    CHECK(pte_check(1, &x) == 0 && x == 0xfff0000000000ffeULL);
}

static void test_inv8_not_present_holds_nothing(void)
{
    uint64_t old;

    reset();
    mem[13][0] = e(F_OTHER, RW & ~PT_PRESENT);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == 0);
    CHECK(mem[13][0] == e(F_OTHER, PT_RW));
    CHECK(pt_update_entry(&env, DOM, &frames[13], 1, 0x1234ULL << 1, false, &old) == 0);
    CHECK(mem[13][1] == 0x1234ULL << 1);
    CHECK(gcount(F_OTHER) == 1);
    CHECK_CALL(check_consistent());
}

static void test_inv9_hypervisor_slots(void)
{
    uint64_t old;

    reset();
    mem[10][256] = e(F_OTHER, RW);          /* would fail if it were validated */
    mem[10][271] = 0xdeadULL;
    mem[10][272] = e(11, RW);
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    for (unsigned int i = PT_L4_HV_FIRST; i < PT_L4_HV_END; i++)
        CHECK(mem[10][i] == HV_MARK);
    CHECK(page_get_type(&frames[11]) == PGT_l3_page_table);
    CHECK(pt_update_entry(&env, DOM, &frames[10], 260, 0, false, &old) == -EINVAL);
    CHECK(pt_update_entry(&env, DOM, &frames[10], 512, 0, false, &old) == -EINVAL);
    CHECK(mem[10][260] == HV_MARK);
    CHECK(pt_update_entry(&env, DOM, &frames[10], 255, e(12, RW), false, &old) == 0);
    CHECK_CALL(check_consistent());
}

static void test_inv10_flush_on_leaving_writable(void)
{
    reset();
    frames[5].type_info = PGT_none;
    CHECK(page_pin(&env, &frames[5], DOM, 1) == 0);
    CHECK(nr_flush == 0);                   /* never writable: nothing stale */
    CHECK(page_pin(&env, &frames[6], DOM, 1) == 0);
    CHECK(nr_flush == 1);
    CHECK(get_page_type(&env, &frames[7], PGT_writable_page) == 0);
    CHECK(nr_flush == 1);
}

static void test_update_entry_moves_refs(void)
{
    uint64_t old;

    reset();
    build_tree();
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    CHECK(pt_update_entry(&env, DOM, &frames[13], 0, e(22, RW), false, &old) == 0);
    CHECK(old == e(20, RW | PT_USER));
    CHECK(tcount(20) == 0 && gcount(20) == 1 && tcount(22) == 1);
    /* preserve_ad: the stored entry keeps the old A/D bits. */
    mem[13][0] |= PT_ACCESSED | PT_DIRTY;
    CHECK(pt_update_entry(&env, DOM, &frames[13], 0, e(23, RW), true, &old) == 0);
    CHECK(mem[13][0] == e(23, RW | PT_USER | PT_ACCESSED | PT_DIRTY));
    /* Replacing an L2 entry drops the old L1 and everything under it. */
    CHECK(pt_update_entry(&env, DOM, &frames[12], 0, e(30, RW), false, &old) == 0);
    CHECK(tcount(13) == 0 && tcount(23) == 0 && gcount(21) == 1);
    CHECK_CALL(check_consistent());
}

static void test_io_hook(void)
{
    reset();
    mem[13][0] = e(F_IO, RW);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == -EBUSY);
    io_allowed = true;
    CHECK(page_pin(&env, &frames[13], DOM, 1) == 0);
    CHECK(gcount(F_IO) == 0 && tcount(F_IO) == 0);
    mem[12][0] = e(F_IO, RW);               /* never as a table */
    CHECK(page_pin(&env, &frames[12], DOM, 2) == -EINVAL);
    CHECK(page_unpin(&env, &frames[13], DOM) == 0);
    CHECK(gcount(F_IO) == 0);
}

/* Random pins, unpins and entry updates; every count recomputed each step. */
static void test_random_consistency(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL, old;
    unsigned int pins = 0, updates = 0;

    reset();
    for (unsigned int step = 0; step < 20000; step++) {
        uint64_t r = check_rand(&seed);
        unsigned int m = (unsigned int)(r % NR), to = (unsigned int)((r >> 8) % NR);
        unsigned int level = 1 + (unsigned int)((r >> 16) % 4), idx = (r >> 20) % 8;
        uint64_t flags = (r >> 24) & 1 ? RW : RO;
        struct page_info *pg = &frames[m];

        if ((r >> 28) % 8 == 7)
            flags = 0;
        if ((r >> 32) % 4 == 0) {
            pins += page_pin(&env, pg, DOM, level) == 0;
        } else if ((r >> 32) % 4 == 1) {
            (void)!page_unpin(&env, pg, DOM);
        } else if (pt_type_level(page_get_type(pg)) && page_type_count(pg) &&
                   (pg->type_info & PGT_validated)) {
            updates += pt_update_entry(&env, DOM, pg, idx, e(to, flags), false, &old) == 0;
        } else if (page_get_type(pg) != PGT_seg_desc_page) {
            mem[m][idx] = e(to, flags);     /* a plain store while not a table */
            if (get_page_type(&env, pg, PGT_writable_page) == 0)
                put_page_type(&env, pg);
        }
        CHECK_CALL(check_consistent());
    }
    CHECK(pins > 200 && updates > 400);     /* tables really were exercised */
    for (unsigned int m = 0; m < NR; m++)
        CHECK(released[m] == 0);            /* invariant 11: allocated frames stay */
}


static void drop_allocation(unsigned int mfn)
{
    frames[mfn].count_info &= ~PGC_allocated;
    put_page(&frames[mfn]);
}

/* Invariant 11: the frame goes back at its last put, never before. */
static void test_inv11_last_put_releases_frame(void)
{
    uint64_t old;

    reset();
    CHECK(get_page(&frames[5], DOM));
    drop_allocation(5);
    CHECK(released[5] == 0 && gcount(5) == 1);
    CHECK(get_page(&frames[5], DOM));       /* still ours while held */
    put_page(&frames[5]);
    CHECK(released[5] == 0);
    put_page(&frames[5]);
    CHECK(released[5] == 1 && page_is_free(&frames[5]));
    CHECK(!get_page(&frames[5], DOM));

    /* A pinned table and a frame it maps writable outlive their allocation. */
    mem[13][0] = e(20, RW);
    CHECK(page_pin(&env, &frames[13], DOM, 1) == 0);
    drop_allocation(13);
    drop_allocation(20);
    CHECK(released[13] == 0 && released[20] == 0);
    CHECK_CALL(check_consistent());
    CHECK(pt_update_entry(&env, DOM, &frames[13], 0, 0, false, &old) == 0);
    CHECK(released[20] == 1 && released[13] == 0);
    CHECK(page_unpin(&env, &frames[13], DOM) == 0);
    CHECK(released[13] == 1);
    for (unsigned int m = 0; m < NR; m++)
        CHECK(released[m] == (m == 5 || m == 13 || m == 20));
    CHECK_CALL(check_consistent());

    /* The allocation reference is never the last to go by a plain put. */
    CHECK_DIES(put_page(&frames[6]));
}

/* Invariant 12: no table reaches itself, directly or through others. */
static void test_inv12_no_linear_page_tables(void)
{
    uint64_t old;

    reset();
    mem[10][0] = e(10, RW);                 /* L4 -> itself (Xen's linear PT) */
    CHECK(page_pin(&env, &frames[10], DOM, 4) == -EINVAL);
    mem[10][0] = e(11, RW);                 /* L4 -> L3 -> the L4 as L2 */
    mem[11][0] = e(10, RW);
    CHECK(page_pin(&env, &frames[10], DOM, 4) == -EINVAL);
    mem[11][0] = e(12, RW);                 /* L4 -> L3 -> L2 -> the L3 as L1 */
    mem[12][0] = e(11, RW);
    CHECK(page_pin(&env, &frames[10], DOM, 4) == -EINVAL);
    mem[12][0] = e(13, RW);
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    /* The same through updates of validated tables. */
    CHECK(pt_update_entry(&env, DOM, &frames[10], 1, e(10, RW), false, &old) == -EINVAL);
    CHECK(pt_update_entry(&env, DOM, &frames[11], 1, e(10, RW), false, &old) == -EINVAL);
    CHECK(pt_update_entry(&env, DOM, &frames[12], 1, e(11, RW), false, &old) == -EINVAL);
    CHECK(pt_update_entry(&env, DOM, &frames[12], 1, e(12, RW), false, &old) == -EINVAL);
    /* An L1 may map any table read-only: a general reference, not a type. */
    CHECK(pt_update_entry(&env, DOM, &frames[13], 1, e(10, RO), false, &old) == 0);
    CHECK(tcount(10) == 1 && gcount(10) == 3);
    CHECK_CALL(check_consistent());
}

/* Puts DOM's frames in use on a list, as a domain's page list. */
static void list_domain_frames(struct list_head *pages)
{
    list_init(pages);
    for (unsigned int m = 0; m < NR - 4; m++)
        if (!page_is_free(&frames[m]))
            list_add_tail(&frames[m].list, pages);
}

static unsigned int list_length(const struct list_head *h)
{
    const struct list_head *p;
    unsigned int n = 0;

    list_for_each(p, h)
        n++;
    return n;
}

/*
 * Two L4s sharing an L3, L1s mapping data, each other and the L4 itself
 * (read-only), a standalone pinned L1, a frame already given back but
 * pinned, a page-table base and a frame another domain maps: everything
 * is freed exactly once except what the other domain holds, which goes at
 * its last put.
 */
static void test_relinquish_frees_each_frame_once(void)
{
    struct list_head pages, kept;

    reset();
    build_tree();                           /* 10 -> 11 -> 12 -> 13 -> 20, 21, 13 */
    mem[13][3] = e(10, RO);                 /* the L1 maps its own L4 */
    mem[13][4] = e(30, RW);                 /* 30: also mapped by "another domain" */
    mem[14][0] = e(11, RW);                 /* a second L4 sharing the L3 */
    mem[12][1] = e(15, RW);                 /* a second L1 */
    mem[15][0] = e(22, RW);
    mem[15][1] = e(14, RO);
    mem[16][0] = e(23, RW);                 /* a standalone pinned L1 */
    CHECK(page_pin(&env, &frames[10], DOM, 4) == 0);
    CHECK(page_pin(&env, &frames[14], DOM, 4) == 0);
    CHECK(page_pin(&env, &frames[16], DOM, 1) == 0);
    CHECK(page_pin(&env, &frames[17], DOM, 1) == 0);
    drop_allocation(17);                    /* decreased while pinned */
    CHECK_CALL(check_consistent());
    CHECK(get_page_and_type(&env, &frames[14], DOM, PGT_l4_page_table) == 0);   /* a cr3 */
    CHECK(get_page(&frames[30], DOM));      /* the other domain's mapping */
    put_page_and_type(&env, &frames[14]);   /* holders go first (the vCPU's cr3) */

    list_domain_frames(&pages);
    list_del(&frames[17].list);
    list_add_tail(&frames[17].list, &pages);
    list_init(&kept);
    page_relinquish(&env, &pages, &kept);
    CHECK(list_empty(&pages));
    CHECK(list_length(&kept) == 1 && kept.next == &frames[30].list);
    for (unsigned int m = 0; m < NR; m++)
        CHECK(released[m] == (m < NR - 4 && m != 30));
    CHECK(gcount(30) == 1 && tcount(30) == 0 && !(frames[30].count_info & PGC_allocated));
    put_page(&frames[30]);                  /* the other domain unmaps it */
    CHECK(released[30] == 1 && list_empty(&kept));
    CHECK(gcount(F_OTHER) == 1 && released[F_OTHER] == 0);
}

/* Random trees, pins and updates, then relinquish: each frame freed once. */
static void test_relinquish_random(void)
{
    uint64_t seed = 0x2545f4914f6cdd1dULL, old;
    unsigned int drops = 0, tables = 0;
    struct list_head pages, kept;

    for (unsigned int round = 0; round < 200; round++) {
        reset();
        for (unsigned int step = 0; step < 300; step++) {
            uint64_t r = check_rand(&seed);
            unsigned int m = (unsigned int)(r % (NR - 4)), to = (unsigned int)((r >> 8) % NR);
            unsigned int level = 1 + (unsigned int)((r >> 16) % 4), idx = (r >> 20) % 8;
            uint64_t flags = (r >> 24) & 1 ? RW : RO;
            struct page_info *pg = &frames[m];
            if ((r >> 32) % 4 == 0)
                (void)!page_pin(&env, pg, DOM, level);
            else if ((r >> 32) % 16 == 1 && (pg->count_info & PGC_allocated) &&
                     page_get_count(pg) > 1)
                drops++, drop_allocation(m);   /* given back while still held */
            else if (pt_type_level(page_get_type(pg)) && page_type_count(pg) &&
                     (pg->type_info & PGT_validated))
                (void)!pt_update_entry(&env, DOM, pg, idx, e(to, flags), false, &old);
            else if (page_get_type(pg) != PGT_seg_desc_page && !page_type_count(pg))
                mem[m][idx] = e(to, flags);
        }
        CHECK_CALL(check_consistent());
        for (unsigned int m = 0; m < NR - 4; m++)
            tables += (frames[m].type_info & PGT_validated) != 0;
        list_domain_frames(&pages);
        list_init(&kept);
        page_relinquish(&env, &pages, &kept);
        CHECK(list_empty(&pages) && list_empty(&kept));
        for (unsigned int m = 0; m < NR; m++)   /* during the round or at the end */
            CHECK(released[m] == (m < NR - 4));
    }
    CHECK(drops > 1000 && tables > 4000);    /* both really happened */
}

int main(void)
{
    check_module = "page_type";
    RUN_TEST(test_get_page_owner);
    RUN_TEST(test_inv1_underflow_dies);
    RUN_TEST(test_inv2_one_type_at_a_time);
    RUN_TEST(test_inv3_page_table_never_writable);
    RUN_TEST(test_inv4_validation_takes_refs);
    RUN_TEST(test_inv4_foreign_and_level_errors);
    RUN_TEST(test_inv4_no_cycles);
    RUN_TEST(test_inv5_last_put_releases);
    RUN_TEST(test_inv6_failure_changes_nothing);
    RUN_TEST(test_inv7_pin_rules);
    RUN_TEST(test_inv8_entry_rules);
    RUN_TEST(test_inv8_not_present_holds_nothing);
    RUN_TEST(test_inv9_hypervisor_slots);
    RUN_TEST(test_inv10_flush_on_leaving_writable);
    RUN_TEST(test_update_entry_moves_refs);
    RUN_TEST(test_io_hook);
    RUN_TEST(test_random_consistency);
    RUN_TEST(test_audit_finds_corruption);
    RUN_TEST(test_inv11_last_put_releases_frame);
    RUN_TEST(test_inv12_no_linear_page_tables);
    RUN_TEST(test_relinquish_frees_each_frame_once);
    RUN_TEST(test_relinquish_random);
    return check_nr_failed ? 1 : 0;
}
