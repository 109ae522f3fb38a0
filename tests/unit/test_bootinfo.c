/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of multiboot information parsing (hypervisor/bootinfo.c): synthetic
 * multiboot1 and multiboot2 structures laid out in a buffer that stands for
 * physical memory, well-formed and garbled, read only through a bounded map
 * function (invariant 1 of bootinfo.c).
 */
#include <errno.h>
#include <string.h>

#include <satori/bootinfo.h>

#include "check.h"

#define BASE 0x10000u
#define MEM_SIZE 0x4000u
static uint8_t mem[MEM_SIZE];
static uint64_t mapped_max;   /* highest byte any read touched */

static const void *map_fn(void *ctx, uint64_t pa, size_t len)
{
    (void)ctx;
    if (pa < BASE || pa + len > BASE + MEM_SIZE || pa + len < pa)
        return NULL;
    if (pa + len > mapped_max)
        mapped_max = pa + len;
    return mem + (pa - BASE);
}

static void put32(uint64_t pa, uint32_t v) { memcpy(mem + (pa - BASE), &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(mem + (pa - BASE), &v, 8); }
static void putstr(uint64_t pa, const char *s) { memcpy(mem + (pa - BASE), s, strlen(s) + 1); }

static struct boot_info bi;
static const char *why;

/* multiboot1: info at BASE, strings at +0x800, modules at +0x900, mmap at +0xa00 */
static void build_mb1(void)
{
    memset(mem, 0, sizeof(mem));
    put32(BASE, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
    put32(BASE + 4, 639);
    put32(BASE + 8, 523264);
    put32(BASE + 16, BASE + 0x800);
    putstr(BASE + 0x800, "/boot/satori console=com1 noreboot");
    put32(BASE + 20, 2);
    put32(BASE + 24, BASE + 0x900);
    put32(BASE + 0x900, 0x100000);
    put32(BASE + 0x904, 0x180000);
    put32(BASE + 0x908, BASE + 0x840);
    putstr(BASE + 0x840, "vmlinuz console=hvc0");
    put32(BASE + 0x910, 0x180000);
    put32(BASE + 0x914, 0x190000);
    put32(BASE + 0x918, BASE + 0x880);
    putstr(BASE + 0x880, "initrd.img");
    put32(BASE + 44, 2 * 24);
    put32(BASE + 48, BASE + 0xa00);
    put32(BASE + 0xa00, 20);
    put64(BASE + 0xa04, 0);
    put64(BASE + 0xa0c, 0x9fc00);
    put32(BASE + 0xa14, 1);
    put32(BASE + 0xa18, 20);
    put64(BASE + 0xa1c, 0x100000);
    put64(BASE + 0xa24, 0x1ff00000);
    put32(BASE + 0xa2c, 1);
    put32(BASE + 64, BASE + 0x8c0);
    putstr(BASE + 0x8c0, "qemu");
}

static void test_mb1_full(void)
{
    build_mb1();
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(bi.protocol == 1);
    CHECK(!strcmp(bi.loader, "qemu"));
    CHECK(!strcmp(bi.cmdline, "console=com1 noreboot"));          /* invariant 4 */
    CHECK(bi.nr_mods == 2);
    CHECK(bi.mods[0].start == 0x100000 && bi.mods[0].end == 0x180000);
    CHECK(!strcmp(bi.mods[0].cmdline, "console=hvc0"));
    CHECK(!strcmp(bi.mods[1].cmdline, ""));
    CHECK(bi.have_map && bi.map.n == 2);
    CHECK(bi.map.r[1].start == 0x100000 && bi.map.r[1].end == 0x20000000);
    CHECK(bi.have_basic_mem && bi.mem_lower_kb == 639 && bi.mem_upper_kb == 523264);
}

static void test_mb1_garbled(void)
{
    build_mb1();
    put32(BASE + 0x904, 0xff000);                                 /* end < start */
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(strstr(why, "module") != NULL);                         /* invariant 3 */
    build_mb1();
    put32(BASE + 24, 0x7000000);                                  /* modules unmapped */
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    build_mb1();
    put32(BASE + 0xa00, 8);                                       /* mmap entry too small */
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(strstr(why, "memory map") != NULL);
    build_mb1();
    put64(BASE + 0xa24, ~0ULL);                                   /* wraps around */
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, 0, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(bootinfo_parse(0x12345678, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
}

static uint64_t tag_at;

static void mb2_tag(uint32_t type, uint32_t size)
{
    put32(tag_at, type);
    put32(tag_at + 4, size);
}

static void mb2_next(uint32_t size)
{
    tag_at += (size + 7) & ~7u;
}

static void build_mb2(void)
{
    memset(mem, 0, sizeof(mem));
    tag_at = BASE + 8;
    mb2_tag(1, 8 + 24);
    putstr(tag_at + 8, "console=com1 loglvl=all");
    mb2_next(8 + 24);
    mb2_tag(2, 8 + 17);
    putstr(tag_at + 8, "GRUB 2.06-13+deb1");
    mb2_next(8 + 17);
    mb2_tag(3, 16 + 13);
    put32(tag_at + 8, 0x200000);
    put32(tag_at + 12, 0x280000);
    putstr(tag_at + 16, "console=hvc0");
    mb2_next(16 + 13);
    mb2_tag(6, 16 + 2 * 24);
    put32(tag_at + 8, 24);
    put64(tag_at + 16, 0);
    put64(tag_at + 24, 0x9fc00);
    put32(tag_at + 32, 1);
    put64(tag_at + 40, 0x100000);
    put64(tag_at + 48, 0x3ff00000);
    put32(tag_at + 56, 1);
    mb2_next(16 + 2 * 24);
    mb2_tag(14, 8 + 20);
    memcpy(mem + (tag_at + 8 - BASE), "RSD PTR ", 8);
    mb2_next(8 + 20);
    mb2_tag(0, 8);
    put32(BASE, (uint32_t)(tag_at + 8 - BASE));
}

static void test_mb2_full(void)
{
    build_mb2();
    mapped_max = 0;
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(bi.protocol == 2);
    CHECK(!strcmp(bi.cmdline, "console=com1 loglvl=all"));       /* GRUB: not stripped */
    CHECK(!strncmp(bi.loader, "GRUB", 4));
    CHECK(bi.nr_mods == 1 && !strcmp(bi.mods[0].cmdline, "console=hvc0"));
    CHECK(bi.mods[0].start == 0x200000 && bi.mods[0].end == 0x280000);
    CHECK(bi.have_map && bi.map.n == 2 && bi.map.r[1].end == 0x40000000);
    CHECK(bi.rsdp_len == 20 && !memcmp(bi.rsdp, "RSD PTR ", 8));
    CHECK(mapped_max <= tag_at + 8);                              /* invariant 1 */
}

static void test_mb2_garbled(void)
{
    build_mb2();
    put32(BASE, 8);                                               /* too small */
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    build_mb2();
    put32(BASE + 8 + 4, 0x1000);                                  /* tag past the end */
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(strstr(why, "past") != NULL);
    build_mb2();
    put32(BASE + 8 + 4, 4);                                       /* tag smaller than header */
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    build_mb2();
    put32(tag_at, 99);                                            /* no end tag */
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
    CHECK(strstr(why, "end tag") != NULL);
    build_mb2();
    put32(tag_at, 99);                                            /* no end tag, and a */
    put32(BASE, MEM_SIZE * 4);                                    /* size past memory */
    CHECK(bootinfo_parse(MB2_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == -EINVAL);
}

static void test_long_cmdline_truncated(void)
{
    char longline[2000];

    build_mb1();
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    longline[0] = '/';
    longline[1] = ' ';
    putstr(BASE + 0x1000, longline);
    put32(BASE + 16, BASE + 0x1000);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(bi.truncated_cmdline);                                  /* invariant 2 */
    CHECK(strlen(bi.cmdline) < BOOTINFO_CMDLINE_MAX);
}

static void test_too_many_modules(void)
{
    build_mb1();
    put32(BASE + 20, 20);
    put32(BASE + 24, BASE + 0x2000);
    for (unsigned int i = 0; i < 20; i++) {
        put32(BASE + 0x2000 + 16 * i, 0x100000 + 0x1000 * i);
        put32(BASE + 0x2004 + 16 * i, 0x100800 + 0x1000 * i);
        put32(BASE + 0x2008 + 16 * i, 0);
    }
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(bi.nr_mods == BOOTINFO_MAX_MODULES && bi.dropped_mods == 4);
}

static void test_basic_memory_fallback(void)
{
    build_mb1();
    put32(BASE, (1u << 0));                                       /* only mem_lower/upper */
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(!bi.have_map);
    CHECK(bootinfo_map_from_basic(&bi) == 0);
    CHECK(bi.have_map && memmap_total(&bi.map, MEM_RAM) == (639ull + 523264ull) << 10);
    put32(BASE, 0);
    CHECK(bootinfo_parse(MB1_BOOT_MAGIC, BASE, map_fn, NULL, &bi, &why) == 0);
    CHECK(bootinfo_map_from_basic(&bi) == -EINVAL);
}

int main(void)
{
    check_module = "bootinfo";
    RUN_TEST(test_mb1_full);
    RUN_TEST(test_mb1_garbled);
    RUN_TEST(test_mb2_full);
    RUN_TEST(test_mb2_garbled);
    RUN_TEST(test_long_cmdline_truncated);
    RUN_TEST(test_too_many_modules);
    RUN_TEST(test_basic_memory_fallback);
    return check_nr_failed ? 1 : 0;
}
