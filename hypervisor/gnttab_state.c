/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pure part of grant tables: pin counters, the protocol by which the
 * hypervisor marks a guest's shared grant entry in use, and the maptrack
 * free list. No locks, no allocation, no domains: grant_table.c holds the
 * tables' locks and allocates maptrack chunks. Built unmodified on the
 * host by tests/unit/test_gnttab.c.
 *
 * Invariants (numbers shared with grant_table.c):
 *  1. A pin counter never passes 128: gnttab_pin_overflows() refuses the
 *     increment that would set a counter's top bit (Xen 4.17 checks only
 *     the counters a request increments).
 *  2. The hypervisor only ever sets GTF_reading/GTF_writing in a shared
 *     entry by one compare-and-swap of its {flags, domid} word, after
 *     checking the word it swaps, and only ever clears them by an atomic
 *     AND: a guest's concurrent writes are never lost or half-seen.
 *  3. GTF_writing is cleared when no writable pin remains (of a holder that
 *     was writable); GTF_reading when no pin at all remains.
 *  4. The maptrack free list holds each free handle once, is taken at the
 *     head and refilled at the tail, and keeps its last entry (Xen's tail
 *     sentinel): of n chunks' handles, n * 256 - 1 can be in use at once.
 */
#include <satori/grant_table.h>
#include <satori/nospec.h>
#include <satori/string.h>

/* The shared entry's first word: flags in bits 0-15, domid in 16-31. */
#define COMBO(flags, domid) ((uint32_t)(flags) | ((uint32_t)(domid) << 16))
#define COMBO_FLAGS(c) ((uint16_t)(c))
#define COMBO_DOMID(c) ((domid_t)((c) >> 16))
#define ACQUIRE_TRIES 5

_Static_assert(sizeof(grant_entry_v1_t) == 8 && __builtin_offsetof(grant_entry_v1_t, domid) == 2,
               "flags and domid share the entry's first word");

uint32_t gnttab_map_pin_incr(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t incr = 0;

    if (flags & GNTMAP_device_map)
        incr += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    if (flags & GNTMAP_host_map)
        incr += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    return incr;
}

bool gnttab_pin_overflows(uint32_t pin, uint32_t incr)
{
    return (pin & (incr << 7)) != 0;                 /* invariant 1 */
}

uint16_t gnttab_unpin_flags(uint32_t pin, bool was_writable)
{
    uint16_t clear = 0;

    if (was_writable && !(pin & GNTPIN_w_mask))
        clear |= GTF_writing;                         /* invariant 3 */
    if (!pin)
        clear |= GTF_reading;
    return clear;
}

int16_t gnttab_entry_acquire(grant_entry_v1_t *e, domid_t ldomid, bool pinned, bool readonly,
                             bool mapping)
{
    uint32_t *word = (uint32_t *)e;
    uint16_t type_mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(word, __ATOMIC_ACQUIRE);

    for (unsigned int tries = 1;; tries++) {
        uint16_t flags = COMBO_FLAGS(cur);
        uint32_t want;

        if (!pinned && ((flags & type_mask) != GTF_permit_access || COMBO_DOMID(cur) != ldomid))
            return GNTST_general_error;
        if (!readonly && (flags & GTF_readonly))
            return GNTST_general_error;
        want = COMBO(flags | GTF_reading | (readonly ? 0 : GTF_writing), COMBO_DOMID(cur));
        /* Invariant 2: on failure cur becomes what the guest wrote meanwhile. */
        if (__atomic_compare_exchange_n(word, &cur, want, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_ACQUIRE))
            return GNTST_okay;
        if (tries == ACQUIRE_TRIES)
            return GNTST_general_error;
    }
}

void gnttab_entry_clear(grant_entry_v1_t *e, uint16_t bits)
{
    if (bits)
        __atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_SEQ_CST);
}

void gnttab_maptrack_init(struct gnttab_maptrack *mt, struct gnttab_mapping **chunks,
                          uint32_t max_chunks)
{
    mt->chunk = chunks;
    mt->max_chunks = max_chunks;
    mt->nr_chunks = 0;
    mt->head = mt->tail = GNTTAB_NO_HANDLE;
}

struct gnttab_mapping *gnttab_maptrack_entry(const struct gnttab_maptrack *mt, uint32_t h)
{
    uint32_t limit = gnttab_maptrack_limit(mt);

    if (h >= limit)
        return NULL;
    h = (uint32_t)array_index_nospec(h, limit);
    return &mt->chunk[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

uint32_t gnttab_maptrack_get(struct gnttab_maptrack *mt)
{
    uint32_t h = mt->head, next;

    if (h == GNTTAB_NO_HANDLE)
        return GNTTAB_NO_HANDLE;
    next = gnttab_maptrack_entry(mt, h)->ref;
    if (next == GNTTAB_NO_HANDLE)
        return GNTTAB_NO_HANDLE;                      /* invariant 4: keep the last */
    mt->head = next;
    return h;
}

uint32_t gnttab_maptrack_add_chunk(struct gnttab_maptrack *mt, struct gnttab_mapping *chunk)
{
    uint32_t first = gnttab_maptrack_limit(mt);

    memset(chunk, 0, GNTTAB_MAPTRACK_PER_FRAME * sizeof(*chunk));
    for (uint32_t i = 1; i < GNTTAB_MAPTRACK_PER_FRAME; i++)
        chunk[i].ref = first + i + 1;
    chunk[GNTTAB_MAPTRACK_PER_FRAME - 1].ref = mt->head;  /* the old list follows */
    if (mt->tail == GNTTAB_NO_HANDLE)
        mt->tail = first + GNTTAB_MAPTRACK_PER_FRAME - 1;
    mt->chunk[mt->nr_chunks++] = chunk;
    mt->head = first + 1;
    return first;
}

void gnttab_maptrack_put(struct gnttab_maptrack *mt, uint32_t h)
{
    gnttab_maptrack_entry(mt, h)->ref = GNTTAB_NO_HANDLE;
    if (mt->tail == GNTTAB_NO_HANDLE)
        mt->head = h;
    else
        gnttab_maptrack_entry(mt, mt->tail)->ref = h;
    mt->tail = h;
}
