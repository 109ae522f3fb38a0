/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Clamping guest-controlled indices against speculation: after a bounds
 * check, index a table only with array_index_nospec(idx, size), which is
 * idx when idx < size and 0 otherwise, computed without a branch the CPU
 * could mispredict.
 */
#ifndef SATORI_NOSPEC_H
#define SATORI_NOSPEC_H

#include <satori/types.h>

static inline uint64_t array_index_nospec(uint64_t idx, uint64_t size)
{
    uint64_t mask;

    __asm__("cmp %[size], %[idx]; sbb %[mask], %[mask]"
            : [mask] "=r"(mask) : [idx] "r"(idx), [size] "r"(size) : "cc");
    return idx & mask;
}

#endif
