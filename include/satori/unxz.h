/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An .xz decoder (one stream; filters LZMA2, optionally preceded by x86
 * BCJ; checks none, CRC32, CRC64) for kernel images in memory, decoding in
 * one call with the output buffer as the LZ window. Pure logic;
 * hypervisor/unxz.c explains it.
 */
#ifndef SATORI_UNXZ_H
#define SATORI_UNXZ_H

#include <satori/compiler.h>
#include <satori/types.h>

#define UNXZ_LIT_PROBS (0x300 << 4)     /* lc + lp <= 4 in LZMA2 */

struct unxz_len_probs {
    uint16_t choice, choice2, low[16][8], mid[16][8], high[256];
};

/* The LZMA model (about 28 KiB): the caller provides it, uninitialised. */
struct unxz_work {
    struct unxz_probs {                 /* all uint16_t, reset as one */
        uint16_t is_match[12][16], is_rep[12], is_rep0[12], is_rep1[12],
            is_rep2[12], is_rep0_long[12][16];
        uint16_t dist_slot[4][64], dist_special[115], dist_align[16];
        struct unxz_len_probs len, rep_len;
        uint16_t literal[UNXZ_LIT_PROBS];
    } p;
    uint32_t rep[4];
    unsigned int state, lc, lp, pb;
    bool props_set;
};

/*
 * Decodes the first .xz stream of in[0, in_len) into out[0, out_max), sets
 * *out_len and returns 0; bytes after the stream (Linux's 4-byte size
 * trailer) are ignored. -EINVAL: corrupt or truncated input or a failed
 * check; -ENOSPC: the output does not fit; -EOPNOTSUPP: a filter or check
 * type not implemented. *why is set to a static message on failure.
 */
int __must_check unxz(const void *in, size_t in_len, void *out,
                      size_t out_max, size_t *out_len, struct unxz_work *w,
                      const char **why);

#endif
