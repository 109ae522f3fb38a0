/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the pure grant-table layer (hypervisor/gnttab_state.c): pin
 * counters (invariant 1), the shared-entry protocol (2, 3) and the
 * maptrack free list (4), with its handle numbering checked against what
 * Xen 4.17 hands out, plus a randomized run of the free list against a
 * reference model.
 */
#include <satori/grant_table.h>

#include "check.h"

#define DOM 3
#define MAX_CHUNKS 4
#define PER GNTTAB_MAPTRACK_PER_FRAME

static struct gnttab_mapping chunks[MAX_CHUNKS][PER];
static struct gnttab_mapping *chunk_ptrs[MAX_CHUNKS];
static struct gnttab_maptrack mt;

static void mt_setup(void)
{
    memset(chunks, 0xa5, sizeof(chunks));      /* add_chunk must clear them */
    gnttab_maptrack_init(&mt, chunk_ptrs, MAX_CHUNKS);
}

/* Xen's get_maptrack_handle: the free list, else a new chunk if allowed. */
static uint32_t get_handle(void)
{
    uint32_t h = gnttab_maptrack_get(&mt);

    if (h == GNTTAB_NO_HANDLE && mt.nr_chunks < mt.max_chunks)
        h = gnttab_maptrack_add_chunk(&mt, chunks[mt.nr_chunks]);
    return h;
}

static grant_entry_v1_t entry(uint16_t flags, domid_t domid, uint32_t frame)
{
    return (grant_entry_v1_t){ .flags = flags, .domid = domid, .frame = frame };
}

/* Invariant 1: each kind counts to 128; only the counters incremented matter. */
static void test_pin_counters(void)
{
    uint32_t pin = 0;
    uint32_t devr = gnttab_map_pin_incr(GNTMAP_device_map | GNTMAP_readonly);
    uint32_t both = gnttab_map_pin_incr(GNTMAP_device_map | GNTMAP_host_map);

    CHECK(gnttab_map_pin_incr(GNTMAP_host_map) == GNTPIN_hstw_inc);
    CHECK(gnttab_map_pin_incr(GNTMAP_host_map | GNTMAP_readonly) == GNTPIN_hstr_inc);
    CHECK(devr == GNTPIN_devr_inc);
    CHECK(both == (GNTPIN_devw_inc | GNTPIN_hstw_inc));
    CHECK(gnttab_map_pin_incr(GNTMAP_readonly) == 0);
    for (int i = 0; i < 128; i++) {
        CHECK(!gnttab_pin_overflows(pin, devr));
        pin += devr;
    }
    CHECK(gnttab_pin_overflows(pin, devr));          /* the 129th reader */
    CHECK(!gnttab_pin_overflows(pin, GNTPIN_hstr_inc));   /* others still may */
    CHECK(!gnttab_pin_overflows(pin, both));
    pin += 128 * GNTPIN_hstw_inc;
    CHECK(gnttab_pin_overflows(pin, both));
    CHECK(!gnttab_pin_overflows(pin, GNTPIN_devw_inc));
}

/* Invariant 3: what a release clears. */
static void test_unpin_flags(void)
{
    CHECK(gnttab_unpin_flags(0, true) == (GTF_reading | GTF_writing));
    CHECK(gnttab_unpin_flags(0, false) == GTF_reading);
    CHECK(gnttab_unpin_flags(GNTPIN_hstr_inc, true) == GTF_writing);
    CHECK(gnttab_unpin_flags(GNTPIN_hstr_inc, false) == 0);
    CHECK(gnttab_unpin_flags(GNTPIN_devw_inc, true) == 0);
    CHECK(gnttab_unpin_flags(GNTPIN_hstw_inc | GNTPIN_devr_inc, true) == 0);
}

/* Invariant 2: the first pin checks the entry and sets the bits; nothing else changes. */
static void test_acquire_first_pin(void)
{
    grant_entry_v1_t e = entry(GTF_permit_access, DOM, 0x1234);

    CHECK(gnttab_entry_acquire(&e, DOM, false, true, true) == GNTST_okay);
    CHECK(e.flags == (GTF_permit_access | GTF_reading));
    CHECK(e.domid == DOM && e.frame == 0x1234);
    CHECK(gnttab_entry_acquire(&e, DOM, true, false, true) == GNTST_okay);
    CHECK(e.flags == (GTF_permit_access | GTF_reading | GTF_writing));
    gnttab_entry_clear(&e, GTF_reading | GTF_writing);
    CHECK(e.flags == GTF_permit_access && e.domid == DOM && e.frame == 0x1234);
    gnttab_entry_clear(&e, 0);
    CHECK(e.flags == GTF_permit_access);
}

/* Every refusal of an unpinned grant leaves the entry as it was. */
static void test_acquire_refusals(void)
{
    static const struct {
        uint16_t flags;
        domid_t domid;
        bool readonly, mapping;
    } bad[] = {
        { GTF_permit_access, DOM + 1, true, true },           /* not for us */
        { GTF_invalid, DOM, true, true },
        { GTF_accept_transfer, DOM, true, true },
        { GTF_transitive, DOM, true, false },
        { GTF_permit_access | GTF_readonly, DOM, false, true },   /* writer */
        { GTF_permit_access | GTF_sub_page, DOM, true, true },    /* mapping */
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        grant_entry_v1_t e = entry(bad[i].flags, bad[i].domid, 7);
        CHECK(gnttab_entry_acquire(&e, DOM, false, bad[i].readonly, bad[i].mapping) ==
              GNTST_general_error);
        CHECK(e.flags == bad[i].flags && e.domid == bad[i].domid && e.frame == 7);
    }
    /* A copy may use a sub-page entry; a reader a read-only one. */
    grant_entry_v1_t e = entry(GTF_permit_access | GTF_sub_page, DOM, 7);
    CHECK(gnttab_entry_acquire(&e, DOM, false, true, false) == GNTST_okay);
    e = entry(GTF_permit_access | GTF_readonly, DOM, 7);
    CHECK(gnttab_entry_acquire(&e, DOM, false, true, true) == GNTST_okay);
}

/* Once pinned, type and domid are not looked at again (an ended grant). */
static void test_acquire_pinned(void)
{
    grant_entry_v1_t e = entry(GTF_invalid, 0, 0);

    CHECK(gnttab_entry_acquire(&e, DOM, true, true, true) == GNTST_okay);
    CHECK(e.flags == GTF_reading);
    CHECK(gnttab_entry_acquire(&e, DOM, true, false, true) == GNTST_okay);
    CHECK(e.flags == (GTF_reading | GTF_writing));
    e = entry(GTF_readonly, 0, 0);
    CHECK(gnttab_entry_acquire(&e, DOM, true, false, true) == GNTST_general_error);
    CHECK(e.flags == GTF_readonly);
}

/* Invariant 4 with Xen's numbering: one chunk gives handles 0..254. */
static void test_maptrack_one_chunk(void)
{
    mt_setup();
    mt.max_chunks = 1;
    CHECK(gnttab_maptrack_limit(&mt) == 0);
    CHECK(gnttab_maptrack_entry(&mt, 0) == NULL);
    for (uint32_t want = 0; want < PER - 1; want++)
        CHECK(get_handle() == want);
    CHECK(gnttab_maptrack_limit(&mt) == PER);
    CHECK(get_handle() == GNTTAB_NO_HANDLE);        /* 255 stays as the sentinel */
    CHECK(gnttab_maptrack_entry(&mt, PER - 1)->flags == 0);
    CHECK(gnttab_maptrack_entry(&mt, PER) == NULL);
    CHECK(gnttab_maptrack_entry(&mt, 0xffffffffu) == NULL);
    /* Returned handles queue behind the sentinel, first in first out. */
    gnttab_maptrack_put(&mt, 7);
    gnttab_maptrack_put(&mt, 3);
    CHECK(get_handle() == PER - 1);
    CHECK(get_handle() == 7);
    CHECK(get_handle() == GNTTAB_NO_HANDLE);
    gnttab_maptrack_put(&mt, 0);
    CHECK(get_handle() == 3);
}

/* A second chunk's handles come first, then the old list. */
static void test_maptrack_growth(void)
{
    mt_setup();
    for (uint32_t want = 0; want < PER - 1; want++)
        CHECK(get_handle() == want);
    CHECK(get_handle() == PER);                     /* the new chunk's first */
    CHECK(mt.nr_chunks == 2);
    for (uint32_t want = PER + 1; want < 2 * PER; want++)
        CHECK(get_handle() == want);
    CHECK(get_handle() == 2 * PER);                 /* a third: 255 stays the sentinel */
    CHECK(mt.head == 2 * PER + 1 && mt.tail == PER - 1);
    for (unsigned int i = 0; i < MAX_CHUNKS; i++)
        for (unsigned int j = 0; j < (i < mt.nr_chunks ? PER : 0); j++)
            CHECK(chunks[i][j].flags == 0 && chunks[i][j].rgt == NULL);
}

/* Randomized: the list never hands out a handle in use, and loses none. */
static void test_maptrack_random(void)
{
    static bool used[MAX_CHUNKS * PER];
    uint32_t held[MAX_CHUNKS * PER], n = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;

    mt_setup();
    memset(used, 0, sizeof(used));
    for (int step = 0; step < 200000; step++) {
        bool take = n == 0 || (check_rand(&seed) % 100) < 55;
        if (take) {
            uint32_t h = get_handle();
            if (h == GNTTAB_NO_HANDLE) {
                CHECK(n == MAX_CHUNKS * PER - 1);   /* full: all but the sentinel */
                continue;
            }
            CHECK(h < gnttab_maptrack_limit(&mt) && !used[h]);
            used[h] = true;
            held[n++] = h;
        } else {
            uint32_t i = (uint32_t)(check_rand(&seed) % n);
            used[held[i]] = false;
            gnttab_maptrack_put(&mt, held[i]);
            held[i] = held[--n];
        }
    }
    /* Give everything back: the whole space can be taken again. */
    while (n)
        gnttab_maptrack_put(&mt, held[--n]);
    while (get_handle() != GNTTAB_NO_HANDLE)
        n++;
    CHECK(n == MAX_CHUNKS * PER - 1);
}

int main(void)
{
    check_module = "gnttab";
    RUN_TEST(test_pin_counters);
    RUN_TEST(test_unpin_flags);
    RUN_TEST(test_acquire_first_pin);
    RUN_TEST(test_acquire_refusals);
    RUN_TEST(test_acquire_pinned);
    RUN_TEST(test_maptrack_one_chunk);
    RUN_TEST(test_maptrack_growth);
    RUN_TEST(test_maptrack_random);
    return check_nr_failed != 0;
}
