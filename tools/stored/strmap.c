/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Open-addressing string map.
 *  M1. Load factor stays at or below 1/2 (grow doubles the table).
 *  M2. Every key sits in the probe run that starts at its hash's slot;
 *      deletion shifts later entries back to keep M2 without tombstones.
 */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

uint64_t strmap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

void strmap_init(struct strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->used = 0;
}

void strmap_free(struct strmap *m)
{
    free(m->slots);
    strmap_init(m);
}

static size_t find(const struct strmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = h & mask;

    while (m->slots[i].key) {
        if (m->slots[i].hash == h && !strcmp(m->slots[i].key, key))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static int grow(struct strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    struct strmap_slot *old = m->slots, *ns;
    size_t ocap = m->cap;

    ns = calloc(ncap, sizeof(*ns));
    if (!ns)
        return -1;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        size_t j = old[i].hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = old[i];
    }
    free(old);
    return 0;
}

void *strmap_get(const struct strmap *m, const char *key)
{
    size_t i;

    if (!m->cap)
        return NULL;
    i = find(m, key, strmap_hash(key));
    return m->slots[i].key ? m->slots[i].val : NULL;
}

int strmap_put(struct strmap *m, const char *key, void *val)
{
    uint64_t h = strmap_hash(key);
    size_t i;

    if ((m->used + 1) * 2 > m->cap && grow(m))
        return -1;
    i = find(m, key, h);
    if (!m->slots[i].key)
        m->used++;
    m->slots[i].key = key;
    m->slots[i].val = val;
    m->slots[i].hash = h;
    return 0;
}

void *strmap_del(struct strmap *m, const char *key)
{
    size_t mask, i, j, home;
    void *val;

    if (!m->cap)
        return NULL;
    mask = m->cap - 1;
    i = find(m, key, strmap_hash(key));
    if (!m->slots[i].key)
        return NULL;
    val = m->slots[i].val;
    m->slots[i].key = NULL;
    m->used--;
    /* Backward shift: pull later run members into the hole if allowed. */
    for (j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        home = m->slots[j].hash & mask;
        /* Entry j may move to i only if i lies in [home, j) cyclically. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            m->slots[j].key = NULL;
            i = j;
        }
    }
    return val;
}

size_t strmap_next(const struct strmap *m, size_t i, const char **key,
                   void **val)
{
    for (; i < m->cap; i++) {
        if (m->slots[i].key) {
            *key = m->slots[i].key;
            *val = m->slots[i].val;
            return i + 1;
        }
    }
    return 0;
}
