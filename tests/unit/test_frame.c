/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests of the frame table entry's layout and accessors (frame.h). */
#include <satori/frame.h>

#include "check.h"

static void test_size(void)
{
    CHECK(sizeof(struct page_info) <= 48);
    CHECK(DOMID_INVALID == 0x7FF4);
}

static void test_flags_disjoint(void)
{
    uint64_t pgc[] = { PGC_allocated, PGC_reserved, PGC_free };

    for (unsigned int i = 0; i < 3; i++) {
        CHECK((pgc[i] & PGC_count_mask) == 0);
        for (unsigned int j = 0; j < i; j++)
            CHECK((pgc[i] & pgc[j]) == 0);
    }
    CHECK((PGT_type_mask & (PGT_pinned | PGT_validated | PGT_count_mask)) == 0);
    CHECK((PGT_pinned & (PGT_validated | PGT_count_mask)) == 0);
    CHECK((PGT_validated & PGT_count_mask) == 0);
}

static void test_type_accessors(void)
{
    uint64_t types[] = { PGT_none, PGT_l1_page_table, PGT_l2_page_table,
                         PGT_l3_page_table, PGT_l4_page_table,
                         PGT_seg_desc_page, PGT_writable_page };
    struct page_info pg = { .owner = DOMID_INVALID };

    for (unsigned int i = 0; i < 7; i++) {
        CHECK((types[i] & ~PGT_type_mask) == 0);
        for (unsigned int j = 0; j < i; j++)
            CHECK(types[i] != types[j]);
        pg.type_info = types[i] | PGT_validated | PGT_pinned | 5;
        CHECK(page_get_type(&pg) == types[i]);
        CHECK(page_type_count(&pg) == 5);
    }
    pg.type_info = PGT_writable_page | PGT_count_mask;
    CHECK(page_type_count(&pg) == PGT_count_mask);
    CHECK(page_get_type(&pg) == PGT_writable_page);
}

static void test_count_accessors(void)
{
    struct page_info pg = { .count_info = PGC_allocated | PGC_free | 7 };

    CHECK(page_get_count(&pg) == 7);
    CHECK(page_is_free(&pg));
    CHECK(!page_is_reserved(&pg));
    pg.count_info = PGC_reserved;
    CHECK(page_is_reserved(&pg) && !page_is_free(&pg));
}

int main(void)
{
    check_module = "frame";
    RUN_TEST(test_size);
    RUN_TEST(test_flags_disjoint);
    RUN_TEST(test_type_accessors);
    RUN_TEST(test_count_accessors);
    return check_nr_failed != 0;
}
