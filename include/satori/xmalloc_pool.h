/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small-object allocator's interface: size-classed slabs carved from
 * pages that a caller-supplied page source provides, and whole-page blocks
 * for large objects. See hypervisor/xmalloc_pool.c for the model.
 */
#ifndef SATORI_XMALLOC_POOL_H
#define SATORI_XMALLOC_POOL_H

#include <satori/list.h>
#include <satori/types.h>

#define XMALLOC_MIN_SHIFT   4                   /* smallest class: 16 bytes */
#define XMALLOC_MAX_SHIFT   10                  /* largest class: 1024 bytes */
#define XMALLOC_NR_CLASSES  (XMALLOC_MAX_SHIFT - XMALLOC_MIN_SHIFT + 1)
#define XMALLOC_MAX_ORDER   18                  /* largest block: 1 GiB */

struct xmalloc_page_source {
    /* 2^order pages, PAGE_SIZE-aligned, or NULL. */
    void *(*alloc_pages)(void *ctx, unsigned int order);
    void (*free_pages)(void *ctx, void *va, unsigned int order);
    void *ctx;
};

struct xmalloc_pool {
    struct xmalloc_page_source src;
    struct list_head partial[XMALLOC_NR_CLASSES]; /* slabs with a free slot */
    size_t bytes_in_use;    /* live objects, at class size or asked size */
    size_t pages_held;      /* pages currently taken from src */
};

void xmalloc_pool_init(struct xmalloc_pool *p,
                       const struct xmalloc_page_source *src);
void *xmalloc_pool_alloc(struct xmalloc_pool *p, size_t size, size_t align);
void xmalloc_pool_free(struct xmalloc_pool *p, void *ptr);

static inline size_t xmalloc_pool_bytes_in_use(const struct xmalloc_pool *p)
{
    return p->bytes_in_use;
}

static inline size_t xmalloc_pool_pages_held(const struct xmalloc_pool *p)
{
    return p->pages_held;
}

#endif
