/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor heap (hypervisor/mm.c): machine pages from the buddy
 * allocator and small objects from xmalloc, each behind one lock.
 */
#ifndef SATORI_MM_H
#define SATORI_MM_H

#include <satori/frame.h>
#include <satori/memmap.h>
#include <satori/types.h>

/* Hands every RAM page of the map (above 1 MiB) to the page allocator. */
void heap_init(const struct mem_map *map);

struct page_info *alloc_pages(unsigned int order);
void free_pages(struct page_info *pg, unsigned int order);
/* Hypervisor-owned pages, returned as direct-map pointers. */
void *alloc_heap_pages(unsigned int order);
void free_heap_pages(void *va, unsigned int order);
/* A zeroed page's machine address, 0 if none (for page tables). */
uint64_t alloc_zeroed_page_paddr(void);
uint64_t heap_free_pages(void);
uint64_t heap_total_pages(void);

void *xmalloc_bytes(size_t size, size_t align);
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xmalloc(type) ((type *)xmalloc_bytes(sizeof(type), _Alignof(type)))
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type)))

#endif
