/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the boot loader told us, in one loader-independent structure:
 * command line, memory map, modules, RSDP copy. hypervisor/bootinfo.c
 * fills it from multiboot1 (QEMU -kernel) or multiboot2 (GRUB) information.
 */
#ifndef SATORI_BOOTINFO_H
#define SATORI_BOOTINFO_H

#include <satori/memmap.h>
#include <satori/types.h>

#define BOOTINFO_MAX_MODULES 16
#define BOOTINFO_CMDLINE_MAX 1024
#define BOOTINFO_MODCMD_MAX 512

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

struct boot_module {
    uint64_t start, end;                  /* machine addresses, [start, end) */
    char cmdline[BOOTINFO_MODCMD_MAX];
};

struct boot_info {
    unsigned int protocol;                /* 1 or 2 */
    char loader[64];
    char cmdline[BOOTINFO_CMDLINE_MAX];
    struct mem_map map;
    bool have_map;
    bool have_basic_mem;
    uint32_t mem_lower_kb, mem_upper_kb;
    struct boot_module mods[BOOTINFO_MAX_MODULES];
    unsigned int nr_mods;
    unsigned int dropped_mods;            /* past BOOTINFO_MAX_MODULES */
    uint8_t rsdp[36];                     /* copy of the ACPI RSDP, if given */
    unsigned int rsdp_len;
    bool truncated_cmdline;
};

/* Returns a pointer through which [paddr, paddr+len) may be read, or NULL. */
typedef const void *(*bootinfo_map_fn)(void *ctx, uint64_t paddr, size_t len);

/*
 * Fills bi from the loader's information at info_paddr. Returns 0, or
 * -EINVAL with *why set to a description of what is garbled.
 */
int bootinfo_parse(uint32_t magic, uint64_t info_paddr, bootinfo_map_fn map, void *ctx,
                   struct boot_info *bi, const char **why);

/* Falls back to the basic lower/upper memory sizes when there is no map. */
int bootinfo_map_from_basic(struct boot_info *bi);

#endif
