/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small-object allocator behind xmalloc(). It owns the slab and
 * large-block headers it writes into pages taken from a page source, and the
 * per-class lists of partly used slabs.
 *
 * Model. A request (size, align) is served from class
 * c = max(16, next_pow2(size), align). If c <= 1024 it comes from a slab: one
 * page whose header (struct xmalloc_slab) sits at offset 0, followed by
 * objects of exactly c bytes starting at the first multiple of c past the
 * header, so every object is naturally aligned to c and hence to align. A
 * bitmap in the header records which slots are live; nothing is ever written
 * into a free slot. Larger requests get 2^order whole pages with a
 * struct xmalloc_big header at offset 0 and the object at the first multiple
 * of align past it. Either way the header of an object ptr lies at
 * (ptr - 1) rounded down to PAGE_SIZE: slab objects never start at a page
 * boundary, and a large object starts at most PAGE_SIZE into its block.
 * Caller serialises.
 *
 * Invariants (tests/unit/test_xmalloc_pool.c checks each, by number):
 *  1. Every pointer returned is aligned to align and to 16, and its
 *     [ptr, ptr + size) lies inside pages the pool holds, overlapping no
 *     other live object.
 *  2. A slab is on partial[class] iff it has at least one free slot; a slab
 *     with no live object is returned to the source at once.
 *  3. pages_held equals the pages taken from the source and not given back;
 *     it is 0 once every object has been freed.
 *  4. bytes_in_use is the sum over live objects of their class size (slab)
 *     or requested size (large).
 *  5. Freeing a pointer whose header lacks the pool's magic, that is not at a
 *     slot boundary, or whose slot is already free, is a hypervisor bug
 *     (BUG_ON); free(NULL) does nothing.
 *
 * Corner cases: size 0, align not a power of two, align > PAGE_SIZE, and
 * sizes needing more than 2^XMALLOC_MAX_ORDER pages all return NULL, as does
 * an exhausted page source. No object memory is zeroed.
 */
#include <satori/bug.h>
#include <satori/compiler.h>
#include <satori/xmalloc_pool.h>

#define XMALLOC_SLAB_MAGIC 0x51ab51abU
#define XMALLOC_BIG_MAGIC  0xb16b16b1U
#define XMALLOC_SLOTS_MAX  (PAGE_SIZE >> XMALLOC_MIN_SHIFT)
#define XMALLOC_MAP_WORDS  (XMALLOC_SLOTS_MAX / 64)

_Static_assert(XMALLOC_SLOTS_MAX % 64 == 0, "slot bitmap is whole words");

struct xmalloc_slab {
    uint32_t magic;
    uint16_t cls;           /* index into partial[] */
    uint16_t first;         /* offset of slot 0 */
    uint16_t nr_slots;
    uint16_t nr_live;
    struct list_head link;  /* on partial[cls] while a slot is free */
    uint64_t live[XMALLOC_MAP_WORDS];
};

struct xmalloc_big {
    uint32_t magic;
    uint16_t order;
    uint16_t off;           /* offset of the object: at most PAGE_SIZE */
    size_t size;
};

static size_t xmalloc_class_size(unsigned int cls)
{
    return (size_t)1 << (cls + XMALLOC_MIN_SHIFT);
}

static void *xmalloc_page_base(const void *ptr)
{
    return (void *)(((uintptr_t)ptr - 1) & PAGE_MASK);
}

void xmalloc_pool_init(struct xmalloc_pool *p,
                       const struct xmalloc_page_source *src)
{
    unsigned int i;

    p->src = *src;
    for (i = 0; i < XMALLOC_NR_CLASSES; i++)
        list_init(&p->partial[i]);
    p->bytes_in_use = 0;
    p->pages_held = 0;
}

static struct xmalloc_slab *xmalloc_slab_new(struct xmalloc_pool *p,
                                             unsigned int cls)
{
    size_t csize = xmalloc_class_size(cls);
    struct xmalloc_slab *s = p->src.alloc_pages(p->src.ctx, 0);
    unsigned int i;

    if (!s)
        return NULL;
    ASSERT(IS_ALIGNED((uintptr_t)s, PAGE_SIZE));
    s->magic = XMALLOC_SLAB_MAGIC;
    s->cls = (uint16_t)cls;
    s->first = (uint16_t)ALIGN_UP(sizeof(*s), csize);
    s->nr_slots = (uint16_t)((PAGE_SIZE - s->first) / csize);
    s->nr_live = 0;
    for (i = 0; i < XMALLOC_MAP_WORDS; i++)
        s->live[i] = 0;
    list_add(&s->link, &p->partial[cls]);
    p->pages_held++;
    return s;
}

static void *xmalloc_slab_alloc(struct xmalloc_pool *p, unsigned int cls)
{
    struct xmalloc_slab *s;
    unsigned int w, slot;

    if (list_empty(&p->partial[cls]) && !xmalloc_slab_new(p, cls))
        return NULL;
    s = list_entry(p->partial[cls].next, struct xmalloc_slab, link);
    for (w = 0; ~s->live[w] == 0; w++)
        ASSERT(w + 1 < XMALLOC_MAP_WORDS);
    slot = w * 64 + (unsigned int)__builtin_ctzll(~s->live[w]);
    ASSERT(slot < s->nr_slots);
    s->live[w] |= 1ULL << (slot % 64);
    if (++s->nr_live == s->nr_slots)
        list_del(&s->link);
    p->bytes_in_use += xmalloc_class_size(cls);
    return (char *)s + s->first + slot * xmalloc_class_size(cls);
}

static void xmalloc_slab_free(struct xmalloc_pool *p, struct xmalloc_slab *s,
                              void *ptr)
{
    size_t csize, off = (size_t)((char *)ptr - (char *)s);
    unsigned int slot;

    BUG_ON(s->cls >= XMALLOC_NR_CLASSES);
    csize = xmalloc_class_size(s->cls);
    BUG_ON(off < s->first || (off - s->first) % csize != 0);
    slot = (unsigned int)((off - s->first) / csize);
    BUG_ON(slot >= s->nr_slots);
    BUG_ON(!(s->live[slot / 64] & (1ULL << (slot % 64))));  /* double free */
    s->live[slot / 64] &= ~(1ULL << (slot % 64));
    if (s->nr_live-- == s->nr_slots)
        list_add(&s->link, &p->partial[s->cls]);
    p->bytes_in_use -= csize;
    if (s->nr_live == 0) {
        list_del(&s->link);
        s->magic = 0;
        p->pages_held--;
        p->src.free_pages(p->src.ctx, s, 0);
    }
}

static void *xmalloc_big_alloc(struct xmalloc_pool *p, size_t size,
                               size_t align)
{
    size_t off = ALIGN_UP(sizeof(struct xmalloc_big), align);
    unsigned int order = 0;
    struct xmalloc_big *h;

    if (size > (PAGE_SIZE << XMALLOC_MAX_ORDER) - off)
        return NULL;
    while ((PAGE_SIZE << order) < off + size)
        order++;
    h = p->src.alloc_pages(p->src.ctx, order);
    if (!h)
        return NULL;
    ASSERT(IS_ALIGNED((uintptr_t)h, PAGE_SIZE));
    h->magic = XMALLOC_BIG_MAGIC;
    h->order = (uint16_t)order;
    h->off = (uint16_t)off;
    h->size = size;
    p->pages_held += (size_t)1 << order;
    p->bytes_in_use += size;
    return (char *)h + off;
}

static void xmalloc_big_free(struct xmalloc_pool *p, struct xmalloc_big *h,
                             void *ptr)
{
    unsigned int order = h->order;

    BUG_ON(order > XMALLOC_MAX_ORDER || (char *)h + h->off != (char *)ptr);
    p->pages_held -= (size_t)1 << order;
    p->bytes_in_use -= h->size;
    h->magic = 0;
    p->src.free_pages(p->src.ctx, h, order);
}

void *xmalloc_pool_alloc(struct xmalloc_pool *p, size_t size, size_t align)
{
    unsigned int cls = 0;

    if (size == 0 || align == 0 || (align & (align - 1)) || align > PAGE_SIZE)
        return NULL;
    while (cls < XMALLOC_NR_CLASSES &&
           (xmalloc_class_size(cls) < size || xmalloc_class_size(cls) < align))
        cls++;
    if (cls < XMALLOC_NR_CLASSES)
        return xmalloc_slab_alloc(p, cls);
    return xmalloc_big_alloc(p, size, MAX(align, (size_t)16));
}

void xmalloc_pool_free(struct xmalloc_pool *p, void *ptr)
{
    uint32_t magic;

    if (!ptr)
        return;
    magic = *(const uint32_t *)xmalloc_page_base(ptr);
    if (magic == XMALLOC_SLAB_MAGIC) {
        BUG_ON(IS_ALIGNED((uintptr_t)ptr, PAGE_SIZE));
        xmalloc_slab_free(p, xmalloc_page_base(ptr), ptr);
        return;
    }
    BUG_ON(magic != XMALLOC_BIG_MAGIC);
    xmalloc_big_free(p, xmalloc_page_base(ptr), ptr);
}
