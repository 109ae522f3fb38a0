/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the memory map (hypervisor/memmap.c): a QEMU-like firmware map,
 * overlaps, unsorted and degenerate input, carving and page alignment, and
 * random maps checked against a brute-force reference.
 */
#include <errno.h>

#include <satori/memmap.h>

#include "check.h"

/* Invariants 1-3 and 5. */
static void check_clean(const struct mem_map *m)
{
    CHECK(m->n <= MEMMAP_MAX);
    for (unsigned int i = 0; i < m->n; i++) {
        CHECK(m->r[i].start < m->r[i].end);                         /* 2 */
        if (i == 0)
            continue;
        CHECK(m->r[i - 1].end <= m->r[i].start);                    /* 1 */
        CHECK(m->r[i - 1].end != m->r[i].start ||
              m->r[i - 1].type != m->r[i].type);                    /* 3 */
    }
}

/* The type at addr in a clean map, 0 if absent. */
static uint32_t type_at(const struct mem_map *m, uint64_t addr)
{
    for (unsigned int i = 0; i < m->n; i++)
        if (m->r[i].start <= addr && addr < m->r[i].end)
            return m->r[i].type;
    return 0;
}

/* The reference: highest-priority type among the raw regions at addr. */
static uint32_t ref_type_at(const struct mem_map *raw, uint64_t addr)
{
    uint32_t best = 0;

    for (unsigned int i = 0; i < raw->n; i++) {
        uint32_t t = raw->r[i].type;

        if (raw->r[i].start > addr || addr >= raw->r[i].end)
            continue;
        if (!best || (best == MEM_RAM && t != MEM_RAM) ||
            (t != MEM_RAM && t > best))
            best = t;
    }
    return best;
}

static struct mem_map qemu_map(void)
{
    struct mem_map m = { .n = 0 };

    memmap_add(&m, 0, 0x9fc00, MEM_RAM);
    memmap_add(&m, 0x9fc00, 0x400, MEM_RESERVED);
    memmap_add(&m, 0xf0000, 0x10000, MEM_RESERVED);
    memmap_add(&m, 0x100000, 0x7fee0000 - 0x100000, MEM_RAM);
    memmap_add(&m, 0x7fee0000, 0x20000, MEM_ACPI);
    memmap_add(&m, 0xfffc0000, 0x40000, MEM_RESERVED);
    return m;
}

static void test_add(void)
{
    struct mem_map m = { .n = 0 };

    CHECK(memmap_add(&m, 5, 0, MEM_RAM) == 0 && m.n == 0);
    CHECK(memmap_add(&m, UINT64_MAX, 1, MEM_RAM) == -EINVAL);
    CHECK(memmap_add(&m, 1, UINT64_MAX, MEM_RAM) == -EINVAL);
    CHECK(memmap_add(&m, 0, UINT64_MAX, MEM_RAM) == 0);
    CHECK(m.n == 1 && m.r[0].end == UINT64_MAX);
    for (unsigned int i = 1; i < MEMMAP_MAX; i++)
        CHECK(memmap_add(&m, i * 10, 5, MEM_RESERVED) == 0);
    CHECK(memmap_add(&m, 7, 1, MEM_RAM) == -ENOSPC && m.n == MEMMAP_MAX);
}

static void test_qemu_map(void)
{
    struct mem_map m = qemu_map();

    memmap_sanitize(&m);
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == 6);
    CHECK(m.r[0].start == 0 && m.r[0].end == 0x9fc00 && m.r[0].type == MEM_RAM);
    CHECK(m.r[5].start == 0xfffc0000 && m.r[5].end == 0x100000000ULL);
    CHECK(memmap_total(&m, MEM_RAM) == 0x9fc00 + 0x7fee0000 - 0x100000);
    CHECK(memmap_total(&m, MEM_ACPI) == 0x20000);
    CHECK(memmap_total(&m, MEM_NVS) == 0);
}

static void test_unsorted_overlapping(void)                /* 4 */
{
    struct mem_map m = { .n = 0 }, raw;

    memmap_add(&m, 0x100000, 0x1000000, MEM_RAM);   /* 1M..17M */
    memmap_add(&m, 0, 0x100000, MEM_RAM);
    memmap_add(&m, 0x800000, 0x10000, MEM_NVS);     /* inside RAM */
    memmap_add(&m, 0x808000, 0x10000, MEM_ACPI);    /* NVS beats ACPI */
    memmap_add(&m, 0x1000000, 0x200000, MEM_RAM);   /* overlaps, extends */
    memmap_add(&m, 0x50000, 0x10, MEM_RAM);         /* redundant */
    memmap_add(&m, 0x2000000, 0x1000, MEM_UNUSABLE);/* after a hole */
    memmap_add(&m, 0x40000, 0x1000, 0);             /* unknown type beats RAM */
    raw = m;
    memmap_sanitize(&m);
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == 7 && type_at(&m, 0x40fff) == 0 && m.r[1].end == 0x41000);
    m.r[1].type = MEM_RAM;                          /* drop it again */
    memmap_sanitize(&m);
    CHECK(m.n == 5);
    CHECK(m.r[0].start == 0 && m.r[0].end == 0x800000 && m.r[0].type == MEM_RAM);
    CHECK(m.r[1].end == 0x810000 && m.r[1].type == MEM_NVS);
    CHECK(m.r[2].end == 0x818000 && m.r[2].type == MEM_ACPI);
    CHECK(m.r[3].end == 0x1200000 && m.r[3].type == MEM_RAM);
    CHECK(type_at(&m, 0x1800000) == 0);
    for (uint64_t a = 0; a < 0x2002000; a += 0x800)
        CHECK(type_at(&m, a) == ref_type_at(&raw, a) ||
              (a >= 0x40000 && a < 0x41000));
    memmap_sanitize(&m);                             /* idempotent */
    CHECK(m.n == 5);
}

static void test_degenerate(void)
{
    struct mem_map m = { .n = 0 };

    memmap_sanitize(&m);
    CHECK(m.n == 0);
    memmap_add(&m, 0, 0x1000, MEM_RAM);
    memmap_add(&m, 0x1000, 0x1000, MEM_RAM);         /* adjacent: merged */
    memmap_add(&m, 0, 0x2000, MEM_RAM);              /* duplicate */
    m.r[m.n++] = (struct mem_region){ 0x5000, 0x5000, MEM_RESERVED };
    m.r[m.n++] = (struct mem_region){ 0x9000, 0x8000, MEM_RESERVED };
    CHECK(memmap_total(&m, MEM_RESERVED) == 0);     /* empty and inverted */
    memmap_add(&m, UINT64_MAX - 0x1000, 0x1000, MEM_RESERVED);
    memmap_sanitize(&m);
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == 2 && m.r[0].end == 0x2000);
    CHECK(m.r[1].start == UINT64_MAX - 0x1000 && m.r[1].end == UINT64_MAX);
}

static void test_random_vs_reference(void)                 /* 4 */
{
    static const uint32_t types[] = { MEM_RAM, MEM_RAM, MEM_RAM, MEM_RESERVED,
                                      MEM_ACPI, MEM_NVS, MEM_UNUSABLE, 7 };
    uint64_t seed = 777;

    for (int round = 0; round < 300; round++) {
        struct mem_map m = { .n = 0 }, raw;
        unsigned int nr = 1 + check_rand(&seed) % 40;

        for (unsigned int i = 0; i < nr; i++)
            memmap_add(&m, check_rand(&seed) % 200, check_rand(&seed) % 40,
                       types[check_rand(&seed) % 8]);
        raw = m;
        memmap_sanitize(&m);
        CHECK_CALL(check_clean(&m));
        for (uint64_t a = 0; a < 260; a++)
            CHECK(type_at(&m, a) == ref_type_at(&raw, a));
    }
}

static void test_overflow_drops_ram_first(void)            /* 5 */
{
    struct mem_map m = { .n = 0 };

    memmap_add(&m, 0, 1ULL << 40, MEM_RAM);
    for (unsigned int i = 1; i < MEMMAP_MAX; i++)   /* 127 holes in RAM */
        memmap_add(&m, i * 0x10000ULL, 0x1000 + i, MEM_RESERVED);
    memmap_sanitize(&m);
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == MEMMAP_MAX);
    CHECK(memmap_total(&m, MEM_RESERVED) == 127 * 0x1000ULL + 127 * 128 / 2);
    CHECK(type_at(&m, (1ULL << 40) - 1) == MEM_RAM);   /* biggest RAM kept */
}

static void test_reserve(void)                             /* 6 */
{
    struct mem_map m = qemu_map(), before;

    memmap_sanitize(&m);
    CHECK(memmap_reserve(&m, 0x200000, 0x400000, MEM_HYPERVISOR) == 0);
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == 8 && type_at(&m, 0x200000) == MEM_HYPERVISOR);
    CHECK(type_at(&m, 0x1fffff) == MEM_RAM && type_at(&m, 0x400000) == MEM_RAM);
    CHECK(memmap_reserve(&m, 0x400000, 0x500000, MEM_MODULE) == 0);
    CHECK(memmap_reserve(&m, 0x500000, 0x600000, MEM_MODULE) == 0);   /* merge */
    CHECK_CALL(check_clean(&m));
    CHECK(m.n == 9 && memmap_total(&m, MEM_MODULE) == 0x200000);
    CHECK(memmap_reserve(&m, 0, 0x1000, MEM_MODULE) == 0);            /* at start */
    CHECK(memmap_reserve(&m, 0x9f000, 0x9fc00, MEM_MODULE) == 0);     /* at end */
    CHECK_CALL(check_clean(&m));
    before = m;
    CHECK(memmap_reserve(&m, 0x9f000, 0xa0000, MEM_MODULE) == -EINVAL);
    CHECK(memmap_reserve(&m, 0x300000, 0x310000, MEM_MODULE) == -EINVAL);
    CHECK(memmap_reserve(&m, 0x7fed0000, 0x7fef0000, MEM_MODULE) == -EINVAL);
    CHECK(memmap_reserve(&m, 0x800000, 0x700000, MEM_MODULE) == -EINVAL);
    CHECK(memmap_reserve(&m, 0x800000, 0x900000, MEM_RAM) == -EINVAL);
    CHECK(memmap_reserve(&m, 0x800000, 0x800000, MEM_MODULE) == 0);
    CHECK(memcmp(&m, &before, sizeof(m)) == 0);
    CHECK(memmap_total(&m, MEM_RAM) + memmap_total(&m, MEM_MODULE) +
          memmap_total(&m, MEM_HYPERVISOR) == 0x9fc00 + 0x7fee0000 - 0x100000);
}

static void test_reserve_full(void)
{
    struct mem_map m = { .n = 0 }, before;

    for (unsigned int i = 0; i < MEMMAP_MAX; i++)
        memmap_add(&m, i * 0x10000ULL, 0x8000, i % 2 ? MEM_RAM : MEM_ACPI);
    memmap_sanitize(&m);
    before = m;
    CHECK(memmap_reserve(&m, 0x11000, 0x12000, MEM_MODULE) == -ENOSPC);
    CHECK(memmap_reserve(&m, 0x10000, 0x11000, MEM_MODULE) == -ENOSPC);
    CHECK(memmap_reserve(&m, 0x10000, 0x18000, MEM_MODULE) == 0);   /* in place */
    CHECK(m.n == MEMMAP_MAX && m.r[1].type == MEM_MODULE);
    m = before;
    CHECK(memcmp(&m, &before, sizeof(m)) == 0);
}

static void test_page_align_ram(void)                      /* 6 */
{
    struct mem_map m = qemu_map();

    memmap_add(&m, 0x100000000ULL, 0x800, MEM_RAM);          /* < 1 page */
    memmap_add(&m, 0x200000800ULL, 0x2000, MEM_RAM);         /* odd both ends */
    memmap_add(&m, UINT64_MAX - 0x100, 0x80, MEM_RAM);       /* near the top */
    memmap_sanitize(&m);
    memmap_page_align_ram(&m);
    CHECK_CALL(check_clean(&m));
    CHECK(m.r[0].end == 0x9f000);                            /* 0x9fc00 down */
    CHECK(type_at(&m, 0x9fc00) == MEM_RESERVED);             /* untouched */
    CHECK(type_at(&m, 0x100000000ULL) == 0);
    CHECK(type_at(&m, 0x200001000ULL) == MEM_RAM && type_at(&m, 0x200000fffULL) == 0);
    CHECK(type_at(&m, 0x200002000ULL) == 0);
    CHECK(type_at(&m, UINT64_MAX - 0xc0) == 0);
    for (unsigned int i = 0; i < m.n; i++)
        if (m.r[i].type == MEM_RAM)
            CHECK(m.r[i].start % PAGE_SIZE == 0 && m.r[i].end % PAGE_SIZE == 0);
}

int main(void)
{
    check_module = "memmap";
    RUN_TEST(test_add);
    RUN_TEST(test_qemu_map);
    RUN_TEST(test_unsorted_overlapping);
    RUN_TEST(test_degenerate);
    RUN_TEST(test_random_vs_reference);
    RUN_TEST(test_overflow_drops_ram_first);
    RUN_TEST(test_reserve);
    RUN_TEST(test_reserve_full);
    RUN_TEST(test_page_align_ram);
    return check_nr_failed != 0;
}
