/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot1 and multiboot2 information parsing: turns what GRUB or QEMU
 * left in memory into a struct boot_info. Pure logic: every loader-supplied
 * address is read through a caller-supplied mapping function that refuses
 * what it cannot map, so a garbled structure yields an error, never a wild
 * read. Host-tested in tests/unit/test_bootinfo.c.
 *
 * Invariants:
 *  1. Nothing is read outside what map() accepted; tag and entry sizes are
 *     checked against their container before use.
 *  2. Every string copied out is NUL-terminated and bounded.
 *  3. A module with end < start, or past 4 GiB in multiboot1, is garbled.
 *  4. Command lines from loaders other than GRUB start with the image file
 *     name (QEMU does this); it is stripped, as Xen does.
 */
#include <satori/bootinfo.h>
#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/string.h>

#define MB1_FLAG_MEM (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS (1u << 3)
#define MB1_FLAG_MMAP (1u << 6)
#define MB1_FLAG_LOADER (1u << 9)

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_MAX_SIZE (1u << 20)

struct reader {
    bootinfo_map_fn map;
    void *ctx;
};

static bool read_u32(const struct reader *r, uint64_t pa, uint32_t *v)
{
    const uint8_t *p = r->map(r->ctx, pa, 4);

    if (!p)
        return false;
    memcpy(v, p, 4);
    return true;
}

static bool read_u64(const struct reader *r, uint64_t pa, uint64_t *v)
{
    const uint8_t *p = r->map(r->ctx, pa, 8);

    if (!p)
        return false;
    memcpy(v, p, 8);
    return true;
}

/* Copies a NUL-terminated string of unknown length; truncates to max-1. */
static bool read_string(const struct reader *r, uint64_t pa, char *dst, size_t max,
                        bool *truncated)
{
    size_t i;

    for (i = 0; i + 1 < max; i++) {
        const char *c = r->map(r->ctx, pa + i, 1);
        if (!c)
            return false;
        dst[i] = *c;
        if (!*c)
            return true;
    }
    dst[i] = '\0';
    if (truncated)
        *truncated = true;
    return true;
}

static bool loader_is_grub(const struct boot_info *bi)
{
    return strncmp(bi->loader, "GRUB", 4) == 0;
}

/* Removes a leading image name from a command line (invariant 4). */
static void strip_image_name(char *s)
{
    size_t i = 0, j = 0;

    while (s[i] == ' ')
        i++;
    while (s[i] && s[i] != ' ')
        i++;
    while (s[i] == ' ')
        i++;
    while ((s[j++] = s[i++]))
        ;
}

static int add_module(struct boot_info *bi, const struct reader *r, uint64_t start,
                      uint64_t end, uint64_t string_pa, const char **why)
{
    struct boot_module *m;

    if (end < start) {
        *why = "a module ends before it starts";
        return -EINVAL;
    }
    if (bi->nr_mods == BOOTINFO_MAX_MODULES) {
        bi->dropped_mods++;
        return 0;
    }
    m = &bi->mods[bi->nr_mods];
    m->start = start;
    m->end = end;
    m->cmdline[0] = '\0';
    if (string_pa && !read_string(r, string_pa, m->cmdline, sizeof(m->cmdline), NULL)) {
        *why = "a module's command line is outside memory";
        return -EINVAL;
    }
    bi->nr_mods++;
    return 0;
}

static int mb1_mmap(struct boot_info *bi, const struct reader *r, uint64_t addr,
                    uint32_t length, const char **why)
{
    uint64_t p = addr;

    while (p + 4 <= addr + length) {
        uint32_t size, type;
        uint64_t base, len;

        if (!read_u32(r, p, &size) || size < 20 || p + 4 + size > addr + length ||
            !read_u64(r, p + 4, &base) || !read_u64(r, p + 12, &len) ||
            !read_u32(r, p + 20, &type)) {
            *why = "the multiboot1 memory map is malformed";
            return -EINVAL;
        }
        if (memmap_add(&bi->map, base, len, type)) {
            *why = "a memory map entry wraps around or the map is too long";
            return -EINVAL;
        }
        p += 4 + size;
    }
    bi->have_map = bi->map.n > 0;
    return 0;
}

static int mb1_modules(struct boot_info *bi, const struct reader *r, uint64_t addr,
                       uint32_t count, const char **why)
{
    for (uint32_t i = 0; i < count; i++) {
        uint32_t start, end, string;
        uint64_t e = addr + 16ull * i;
        int rc;

        if (!read_u32(r, e, &start) || !read_u32(r, e + 4, &end) ||
            !read_u32(r, e + 8, &string)) {
            *why = "the multiboot1 module list is outside memory";
            return -EINVAL;
        }
        rc = add_module(bi, r, start, end, string, why);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_mb1(struct boot_info *bi, const struct reader *r, uint64_t mbi,
                     const char **why)
{
    uint32_t flags, a, b;

    bi->protocol = 1;
    if (!read_u32(r, mbi, &flags)) {
        *why = "the multiboot1 information is outside memory";
        return -EINVAL;
    }
    if ((flags & MB1_FLAG_LOADER) && read_u32(r, mbi + 64, &a) && a)
        read_string(r, a, bi->loader, sizeof(bi->loader), NULL);
    if ((flags & MB1_FLAG_MEM) && read_u32(r, mbi + 4, &a) && read_u32(r, mbi + 8, &b)) {
        bi->have_basic_mem = true;
        bi->mem_lower_kb = a;
        bi->mem_upper_kb = b;
    }
    if ((flags & MB1_FLAG_CMDLINE) && read_u32(r, mbi + 16, &a) && a &&
        !read_string(r, a, bi->cmdline, sizeof(bi->cmdline), &bi->truncated_cmdline)) {
        *why = "the command line is outside memory";
        return -EINVAL;
    }
    if ((flags & MB1_FLAG_MMAP) && read_u32(r, mbi + 44, &a) && read_u32(r, mbi + 48, &b) &&
        mb1_mmap(bi, r, b, a, why))
        return -EINVAL;
    if ((flags & MB1_FLAG_MODS) && read_u32(r, mbi + 20, &a) && read_u32(r, mbi + 24, &b) &&
        mb1_modules(bi, r, b, a, why))
        return -EINVAL;
    return 0;
}

static int mb2_mmap(struct boot_info *bi, const struct reader *r, uint64_t tag,
                    uint32_t size, const char **why)
{
    uint32_t esize;

    if (size < 16 || !read_u32(r, tag + 8, &esize) || esize < 24) {
        *why = "the multiboot2 memory map tag is malformed";
        return -EINVAL;
    }
    for (uint64_t e = tag + 16; e + esize <= tag + size; e += esize) {
        uint64_t base, len;
        uint32_t type;

        if (!read_u64(r, e, &base) || !read_u64(r, e + 8, &len) || !read_u32(r, e + 16, &type)) {
            *why = "the multiboot2 memory map is outside memory";
            return -EINVAL;
        }
        if (memmap_add(&bi->map, base, len, type)) {
            *why = "a memory map entry wraps around or the map is too long";
            return -EINVAL;
        }
    }
    bi->have_map = bi->map.n > 0;
    return 0;
}

static void mb2_rsdp(struct boot_info *bi, const struct reader *r, uint64_t tag, uint32_t size)
{
    uint32_t len = size - 8;
    const uint8_t *p;

    if (len > sizeof(bi->rsdp))
        len = sizeof(bi->rsdp);
    p = r->map(r->ctx, tag + 8, len);
    if (p && len >= 20 && len >= bi->rsdp_len) {
        memcpy(bi->rsdp, p, len);
        bi->rsdp_len = len;
    }
}

static int mb2_tag(struct boot_info *bi, const struct reader *r, uint64_t tag, uint32_t type,
                   uint32_t size, const char **why)
{
    uint32_t a, b;

    switch (type) {
    case MB2_TAG_CMDLINE:
        if (!read_string(r, tag + 8, bi->cmdline, MIN(sizeof(bi->cmdline), size - 8 + 1),
                         &bi->truncated_cmdline))
            goto bad;
        return 0;
    case MB2_TAG_LOADER:
        if (!read_string(r, tag + 8, bi->loader, MIN(sizeof(bi->loader), size - 8 + 1), NULL))
            goto bad;
        return 0;
    case MB2_TAG_MODULE:
        if (size < 16 || !read_u32(r, tag + 8, &a) || !read_u32(r, tag + 12, &b))
            goto bad;
        return add_module(bi, r, a, b, size > 16 ? tag + 16 : 0, why);
    case MB2_TAG_MEMINFO:
        if (size < 16 || !read_u32(r, tag + 8, &a) || !read_u32(r, tag + 12, &b))
            goto bad;
        bi->have_basic_mem = true;
        bi->mem_lower_kb = a;
        bi->mem_upper_kb = b;
        return 0;
    case MB2_TAG_MMAP:
        return mb2_mmap(bi, r, tag, size, why);
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        mb2_rsdp(bi, r, tag, size);
        return 0;
    default:
        return 0;   /* tags we did not ask for are allowed */
    }
bad:
    *why = "a multiboot2 tag is malformed";
    return -EINVAL;
}

static int parse_mb2(struct boot_info *bi, const struct reader *r, uint64_t mbi,
                     const char **why)
{
    uint32_t total, type, size;
    uint64_t tag;

    bi->protocol = 2;
    if (!read_u32(r, mbi, &total) || total < 16 || total > MB2_MAX_SIZE) {
        *why = "the multiboot2 information has a bad size";
        return -EINVAL;
    }
    for (tag = mbi + 8; tag + 8 <= mbi + total; tag += ALIGN_UP(size, 8)) {
        if (!read_u32(r, tag, &type) || !read_u32(r, tag + 4, &size) || size < 8 ||
            tag + size > mbi + total) {
            *why = "a multiboot2 tag runs past the information's end";
            return -EINVAL;
        }
        if (type == MB2_TAG_END)
            return 0;
        if (mb2_tag(bi, r, tag, type, size, why))
            return -EINVAL;
    }
    *why = "the multiboot2 information has no end tag";
    return -EINVAL;
}

int bootinfo_parse(uint32_t magic, uint64_t info_paddr, bootinfo_map_fn map, void *ctx,
                   struct boot_info *bi, const char **why)
{
    struct reader r = { map, ctx };
    int rc;

    memset(bi, 0, sizeof(*bi));
    if (!info_paddr) {
        *why = "the loader passed no information structure";
        return -EINVAL;
    }
    if (magic == MB1_BOOT_MAGIC)
        rc = parse_mb1(bi, &r, info_paddr, why);
    else if (magic == MB2_BOOT_MAGIC)
        rc = parse_mb2(bi, &r, info_paddr, why);
    else {
        *why = "unknown boot loader magic";
        return -EINVAL;
    }
    if (rc)
        return rc;
    if (!loader_is_grub(bi)) {
        strip_image_name(bi->cmdline);
        for (unsigned int i = 0; i < bi->nr_mods; i++)
            strip_image_name(bi->mods[i].cmdline);
    }
    return 0;
}

int bootinfo_map_from_basic(struct boot_info *bi)
{
    if (!bi->have_basic_mem)
        return -EINVAL;
    memmap_add(&bi->map, 0, (uint64_t)bi->mem_lower_kb << 10, MEM_RAM);
    memmap_add(&bi->map, 1ull << 20, (uint64_t)bi->mem_upper_kb << 10, MEM_RAM);
    bi->have_map = true;
    return 0;
}
