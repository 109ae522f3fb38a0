/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A hash map from NUL-terminated strings to pointers: open addressing with
 * linear probing and backward-shift deletion, so lookups stay O(1) with no
 * tombstones. Keys are not copied: each key must live as long as its entry
 * (callers key entries by a string inside the value).
 */
#ifndef STORED_STRMAP_H
#define STORED_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
    const char *key;
    void *val;
    uint64_t hash;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t used;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
void *strmap_get(const struct strmap *m, const char *key);
/* Insert or replace: 0, or -1 when out of memory. */
int strmap_put(struct strmap *m, const char *key, void *val);
/* Remove; returns the value that was there, or NULL. */
void *strmap_del(struct strmap *m, const char *key);

/* Iterate: for (i = 0; (i = strmap_next(m, i, &k, &v)); ) ... */
size_t strmap_next(const struct strmap *m, size_t i, const char **key,
                   void **val);

uint64_t strmap_hash(const char *s);

#endif
