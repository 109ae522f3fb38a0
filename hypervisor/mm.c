/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor heap: one buddy allocator over the frame table for machine
 * pages, and one small-object pool built on it for xmalloc. The allocators
 * themselves are pure logic (page_alloc.c, xmalloc_pool.c, host-tested);
 * this file gives them their locks and their memory.
 *
 * Locks: heap_lock protects the buddy allocator; xmalloc_lock protects the
 * pool. Lock order: xmalloc_lock, then heap_lock (the pool takes pages while
 * holding its own lock). Both are taken with interrupts off so that
 * interrupt-time code may allocate.
 *
 * Memory below 1 MiB is never handed out: firmware structures and the AP
 * trampoline live there.
 */
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/mm.h>
#include <satori/page_alloc.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <satori/xmalloc_pool.h>
#include <asm/mm.h>

static DEFINE_SPINLOCK(heap_lock);      /* protects: heap */
static struct buddy heap;
static uint64_t total_pages;
static DEFINE_SPINLOCK(xmalloc_lock);   /* protects: pool */
static struct xmalloc_pool pool;

struct page_info *alloc_pages(unsigned int order)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);
    struct page_info *pg = buddy_alloc(&heap, order);

    spin_unlock_irqrestore(&heap_lock, flags);
    return pg;
}

void free_pages(struct page_info *pg, unsigned int order)
{
    uint64_t flags = spin_lock_irqsave(&heap_lock);

    buddy_free(&heap, pg, order);
    spin_unlock_irqrestore(&heap_lock, flags);
}

void *alloc_heap_pages(unsigned int order)
{
    struct page_info *pg = alloc_pages(order);

    return pg ? page_to_virt(pg) : NULL;
}

void free_heap_pages(void *va, unsigned int order)
{
    if (va)
        free_pages(mfn_to_page(_mfn(__pa(va) >> PAGE_SHIFT)), order);
}

uint64_t alloc_zeroed_page_paddr(void)
{
    void *va = alloc_heap_pages(0);

    if (!va)
        return 0;
    memset(va, 0, PAGE_SIZE);
    return __pa(va);
}

uint64_t heap_free_pages(void)
{
    return buddy_free_pages(&heap);
}

uint64_t heap_total_pages(void)
{
    return total_pages;
}

static void *pool_get_pages(void *ctx, unsigned int order)
{
    return alloc_heap_pages(order);
}

static void pool_put_pages(void *ctx, void *va, unsigned int order)
{
    free_heap_pages(va, order);
}

void heap_init(const struct mem_map *map)
{
    static const struct xmalloc_page_source src = { pool_get_pages, pool_put_pages, NULL };

    buddy_init(&heap, frame_table, max_page);
    for (unsigned int i = 0; i < map->n; i++) {
        const struct mem_region *r = &map->r[i];
        uint64_t start = MAX(r->start, 1ULL << 20) >> PAGE_SHIFT;
        uint64_t end = MIN(r->end >> PAGE_SHIFT, max_page);

        if (r->type != MEM_RAM || end <= start)
            continue;
        buddy_add_range(&heap, start, end - start);
        total_pages += end - start;
    }
    xmalloc_pool_init(&pool, &src);
    printk("Heap: %lu MiB in the page allocator\n", heap_free_pages() >> (20 - PAGE_SHIFT));
}

void *xmalloc_bytes(size_t size, size_t align)
{
    uint64_t flags = spin_lock_irqsave(&xmalloc_lock);
    void *p = xmalloc_pool_alloc(&pool, size, align ? align : 8);

    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return p;
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size, 16);

    if (p)
        memset(p, 0, size);
    return p;
}

void xfree(void *p)
{
    uint64_t flags;

    if (!p)
        return;
    flags = spin_lock_irqsave(&xmalloc_lock);
    xmalloc_pool_free(&pool, p);
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}
