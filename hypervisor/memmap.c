/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine memory map: what firmware (multiboot/e820) says about physical
 * memory, cleaned up, and the hypervisor's claims on it (its image, boot
 * modules). It owns only the struct mem_map the caller passes.
 *
 * Model. Firmware maps may be unsorted, overlapping and redundant.
 * memmap_add() records regions as given; memmap_sanitize() rebuilds the map
 * by sweeping the boundaries left to right and giving each stretch the type
 * of highest priority among the regions covering it: any non-RAM type beats
 * RAM (never hand out memory that firmware also calls reserved), and among
 * non-RAM types the higher number wins. memmap_reserve() then carves the
 * hypervisor's own ranges out of RAM. Caller serialises (boot only).
 *
 * Invariants after memmap_sanitize() (tests/unit/test_memmap.c checks each,
 * by number), kept by memmap_reserve() and memmap_page_align_ram():
 *  1. Regions are sorted by start and do not overlap.
 *  2. No region is empty (start < end).
 *  3. Two regions that touch have different types.
 *  4. Every address has the type of the highest-priority input region
 *     covering it, and addresses no input region covers are absent.
 *  5. n <= MEMMAP_MAX. If the cleaned map would not fit, the regions of
 *     lowest priority (RAM first), smallest first, are dropped: memory the
 *     map does not list is never used, so dropping loses RAM, never safety.
 *  6. memmap_reserve() changes nothing unless all of [start, end) lies in
 *     one RAM region; memmap_page_align_ram() only ever shrinks RAM.
 *
 * Corner cases: len 0 is ignored; start + len beyond 2^64 - 1 is -EINVAL (a
 * region cannot end at 2^64); a full map is -ENOSPC. memmap_reserve() needs a
 * sanitized map and up to two free slots (-ENOSPC), and an empty range is a
 * no-op. memmap_sanitize() uses MEMMAP_MAX regions (3 KiB) of stack.
 */
#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/memmap.h>
#include <satori/string.h>

int memmap_add(struct mem_map *m, uint64_t start, uint64_t len, uint32_t type)
{
    if (len == 0)
        return 0;
    if (start + len < start)     /* wraps, or ends at 2^64 */
        return -EINVAL;
    if (m->n >= MEMMAP_MAX)
        return -ENOSPC;
    m->r[m->n].start = start;
    m->r[m->n].end = start + len;
    m->r[m->n].type = type;
    m->n++;
    return 0;
}

static uint64_t memmap_prio(uint32_t type)
{
    return type == MEM_RAM ? 0 : (uint64_t)type + 1;
}

/* True if a is a better region to drop than b (invariant 5). */
static bool memmap_worse(const struct mem_region *a, const struct mem_region *b)
{
    if (memmap_prio(a->type) != memmap_prio(b->type))
        return memmap_prio(a->type) < memmap_prio(b->type);
    return a->end - a->start < b->end - b->start;
}

/* Appends [s, e) of type to out[], merging or dropping as needed. */
static void memmap_emit(struct mem_region *out, unsigned int *n, uint64_t s,
                        uint64_t e, uint32_t type)
{
    struct mem_region cand = { s, e, type };
    unsigned int i, victim = 0;

    if (*n && out[*n - 1].end == s && out[*n - 1].type == type) {
        out[*n - 1].end = e;
        return;
    }
    if (*n < MEMMAP_MAX) {
        out[(*n)++] = cand;
        return;
    }
    for (i = 1; i < *n; i++)
        if (memmap_worse(&out[i], &out[victim]))
            victim = i;
    if (!memmap_worse(&out[victim], &cand))
        return;
    memmove(&out[victim], &out[victim + 1], (*n - victim - 1) * sizeof(*out));
    out[*n - 1] = cand;
}

/* The first boundary above pos; false if there is none. */
static bool memmap_next_boundary(const struct mem_map *m, uint64_t pos,
                                 uint64_t *next)
{
    bool found = false;
    unsigned int i;

    for (i = 0; i < m->n; i++) {
        const struct mem_region *r = &m->r[i];

        if (r->start >= r->end || r->end <= pos)
            continue;
        if (r->start > pos && (!found || r->start < *next))
            *next = r->start, found = true;
        else if (r->start <= pos && (!found || r->end < *next))
            *next = r->end, found = true;
    }
    return found;
}

/* The winning type at address pos; false if no region covers it. */
static bool memmap_type_at(const struct mem_map *m, uint64_t pos,
                           uint32_t *type)
{
    bool found = false;
    unsigned int i;

    for (i = 0; i < m->n; i++) {
        const struct mem_region *r = &m->r[i];

        if (r->start > pos || r->end <= pos)
            continue;
        if (!found || memmap_prio(r->type) > memmap_prio(*type))
            *type = r->type, found = true;
    }
    return found;
}

void memmap_sanitize(struct mem_map *m)
{
    struct mem_region out[MEMMAP_MAX];
    unsigned int n = 0;
    uint64_t pos = 0, next;
    uint32_t type;

    /* pos = 0 is a boundary only if a region covers it. */
    if (!memmap_type_at(m, 0, &type) && !memmap_next_boundary(m, 0, &pos))
        pos = UINT64_MAX;
    while (pos != UINT64_MAX && memmap_next_boundary(m, pos, &next)) {
        if (memmap_type_at(m, pos, &type))
            memmap_emit(out, &n, pos, next, type);
        pos = next;
    }
    memcpy(m->r, out, n * sizeof(*out));
    m->n = n;
}

/* Merges touching regions of equal type (invariant 3). */
static void memmap_merge(struct mem_map *m)
{
    unsigned int i, j = 0;

    for (i = 1; i < m->n; i++) {
        if (m->r[j].end == m->r[i].start && m->r[j].type == m->r[i].type)
            m->r[j].end = m->r[i].end;
        else
            m->r[++j] = m->r[i];
    }
    if (m->n)
        m->n = j + 1;
}

int memmap_reserve(struct mem_map *m, uint64_t start, uint64_t end,
                   uint32_t type)
{
    struct mem_region piece[3], *r = NULL;
    unsigned int i, k = 0;

    if (start > end || type == MEM_RAM)
        return -EINVAL;
    if (start == end)
        return 0;
    for (i = 0; i < m->n && !r; i++)
        if (m->r[i].type == MEM_RAM && m->r[i].start <= start &&
            end <= m->r[i].end)
            r = &m->r[i];
    if (!r)
        return -EINVAL;
    if (r->start < start)
        piece[k++] = (struct mem_region){ r->start, start, MEM_RAM };
    piece[k++] = (struct mem_region){ start, end, type };
    if (end < r->end)
        piece[k++] = (struct mem_region){ end, r->end, MEM_RAM };
    if (m->n - 1 + k > MEMMAP_MAX)
        return -ENOSPC;

    i = (unsigned int)(r - m->r);
    memmove(&m->r[i + k], &m->r[i + 1], (m->n - i - 1) * sizeof(*r));
    memcpy(&m->r[i], piece, k * sizeof(*r));
    m->n += k - 1;
    memmap_merge(m);
    return 0;
}

uint32_t memmap_type_of(const struct mem_map *m, uint64_t addr)
{
    for (unsigned int i = 0; i < m->n; i++)
        if (addr >= m->r[i].start && addr < m->r[i].end)
            return m->r[i].type;
    return 0;
}

uint64_t memmap_total(const struct mem_map *m, uint32_t type)
{
    uint64_t sum = 0;
    unsigned int i;

    for (i = 0; i < m->n; i++)
        if (m->r[i].type == type && m->r[i].end > m->r[i].start)
            sum += m->r[i].end - m->r[i].start;
    return sum;
}

void memmap_page_align_ram(struct mem_map *m)
{
    unsigned int i, j = 0;

    for (i = 0; i < m->n; i++) {
        struct mem_region r = m->r[i];

        if (r.type == MEM_RAM) {
            r.start = r.start > UINT64_MAX - (PAGE_SIZE - 1) ?
                      UINT64_MAX : ALIGN_UP(r.start, PAGE_SIZE);
            r.end = ALIGN_DOWN(r.end, PAGE_SIZE);
            if (r.start >= r.end)
                continue;
        }
        m->r[j++] = r;
    }
    m->n = j;
}
