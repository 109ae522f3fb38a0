/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine memory map (e820-like): a small array of typed [start, end)
 * regions, cleaned up into a sorted, non-overlapping map and then carved up
 * as the hypervisor claims memory. See hypervisor/memmap.c for the rules.
 */
#ifndef SATORI_MEMMAP_H
#define SATORI_MEMMAP_H

#include <satori/types.h>

enum {
    MEM_RAM = 1,
    MEM_RESERVED = 2,
    MEM_ACPI = 3,
    MEM_NVS = 4,
    MEM_UNUSABLE = 5,
    MEM_HYPERVISOR = 100,   /* the hypervisor's image */
    MEM_MODULE = 101,       /* boot modules (dom0 kernel, initrd) */
};

struct mem_region {
    uint64_t start, end;    /* [start, end) */
    uint32_t type;
};

#define MEMMAP_MAX 128

struct mem_map {
    struct mem_region r[MEMMAP_MAX];
    unsigned int n;
};

int memmap_add(struct mem_map *m, uint64_t start, uint64_t len, uint32_t type);
void memmap_sanitize(struct mem_map *m);
int memmap_reserve(struct mem_map *m, uint64_t start, uint64_t end,
                   uint32_t type);
/* The type of the region holding addr; 0 in a hole. */
uint32_t memmap_type_of(const struct mem_map *m, uint64_t addr);
uint64_t memmap_total(const struct mem_map *m, uint32_t type);
void memmap_page_align_ram(struct mem_map *m);

#endif
