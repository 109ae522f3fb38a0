/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * .xz (the .xz File Format 1.0.4) with LZMA2 and the x86 BCJ filter,
 * decoded in one call from a buffer to a buffer. Written from the format
 * descriptions, not from another decoder.
 *
 * Container. Stream header (magic, two flag bytes whose low nibble is the
 * check type, CRC32 of the flags); blocks, each a header ((first byte + 1)
 * * 4 bytes, CRC32-protected, listing optional sizes and up to 4 filters),
 * the compressed data, zero padding to a multiple of 4 and the check of the
 * uncompressed data; the index (0x00, record count, one (unpadded size,
 * uncompressed size) pair per block, zero padding, CRC32); the footer
 * (CRC32, index size, the header's flags, "YZ"). Every size is checked
 * against what was actually decoded, the index against the blocks.
 *
 * LZMA2 is a sequence of chunks: 0x00 ends; 0x01/0x02 are stored chunks
 * with/without a dictionary reset; 0x80-0xff are LZMA chunks whose bits
 * 5-6 say what to reset (nothing, state, state + new lc/lp/pb, all + the
 * dictionary) and whose bits 0-4 are the top of (unpacked size - 1), then
 * two big-endian 16-bit sizes, (unpacked - 1) low bits and (packed - 1).
 * Each LZMA chunk carries its own range coder, which must end exactly at
 * the chunk's last byte with code 0. The window is the output since the
 * last dictionary reset, so no dictionary buffer is needed.
 *
 * LZMA: an adaptive binary range coder (11-bit probabilities, shift 5)
 * drives a 12-state machine choosing literal, match, short rep or rep0-3
 * match; lengths come from a 3-level tree, distances from a 6-bit slot
 * plus reverse-tree or direct bits and a 4-bit aligned tail.
 *
 * x86 BCJ: the encoder turned the relative targets of E8/E9 (call/jmp
 * rel32) into absolute ones when the operand's top byte is 00 or ff;
 * decoding subtracts the position back, with the filter's rule for
 * opcodes that appear within the previous few bytes (see bcj_x86()).
 */
#include <satori/errno.h>
#include <satori/string.h>
#include <satori/crc.h>
#include <satori/unxz.h>

#define LZMA2_MAX_PROPS 225

struct rc {
    const uint8_t *p, *end;
    uint32_t range, code;
    bool overrun;
};

struct xz {
    const uint8_t *in;
    size_t in_len, pos;
    uint8_t *out;
    size_t out_max, out_pos, dict_start;
    bool dict_ok;
    struct unxz_work *w;
    struct rc rc;
    const char *why;
};

/* --- checks ------------------------------------------------------------ */

static uint64_t le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static int fail(struct xz *x, const char *why)
{
    x->why = why;
    return -EINVAL;
}

/* --- range coder ------------------------------------------------------- */

static void rc_normalize(struct rc *rc)
{
    if (rc->range >= 1U << 24)
        return;
    rc->range <<= 8;
    rc->code <<= 8;
    if (rc->p < rc->end)
        rc->code |= *rc->p++;
    else
        rc->overrun = true;
}

static unsigned int rc_bit(struct rc *rc, uint16_t *prob)
{
    uint32_t bound = (rc->range >> 11) * *prob;
    unsigned int bit;

    if (rc->code < bound) {
        rc->range = bound;
        *prob += (2048 - *prob) >> 5;
        bit = 0;
    } else {
        rc->range -= bound;
        rc->code -= bound;
        *prob -= *prob >> 5;
        bit = 1;
    }
    rc_normalize(rc);
    return bit;
}

static uint32_t rc_direct(struct rc *rc, unsigned int n)
{
    uint32_t v = 0;

    while (n--) {
        rc->range >>= 1;
        v <<= 1;
        if (rc->code >= rc->range) {
            rc->code -= rc->range;
            v |= 1;
        }
        rc_normalize(rc);
    }
    return v;
}

/* MSB-first bit tree of n bits over probs[1, 2^n). */
static uint32_t rc_tree(struct rc *rc, uint16_t *probs, unsigned int n)
{
    uint32_t m = 1;

    for (unsigned int i = 0; i < n; i++)
        m = (m << 1) | rc_bit(rc, &probs[m]);
    return m - (1U << n);
}

/* LSB-first bit tree of n bits over probs[1, 2^n). */
static uint32_t rc_tree_rev(struct rc *rc, uint16_t *probs, unsigned int n)
{
    uint32_t m = 1, v = 0;

    for (unsigned int i = 0; i < n; i++) {
        unsigned int bit = rc_bit(rc, &probs[m]);

        m = (m << 1) | bit;
        v |= bit << i;
    }
    return v;
}

/* --- LZMA -------------------------------------------------------------- */

static void lzma_reset(struct unxz_work *w)
{
    uint16_t *p = (uint16_t *)&w->p;

    for (size_t i = 0; i < sizeof(w->p) / sizeof(uint16_t); i++)
        p[i] = 1024;
    w->state = 0;
    memset(w->rep, 0, sizeof(w->rep));
}

static uint32_t lzma_len(struct rc *rc, struct unxz_len_probs *l,
                         unsigned int pos_state)
{
    if (!rc_bit(rc, &l->choice))
        return rc_tree(rc, l->low[pos_state], 3);
    if (!rc_bit(rc, &l->choice2))
        return 8 + rc_tree(rc, l->mid[pos_state], 3);
    return 16 + rc_tree(rc, l->high, 8);
}

/* Distance - 1 of a new match whose length - 2 is len. */
static uint32_t lzma_dist(struct rc *rc, struct unxz_probs *p, uint32_t len)
{
    uint32_t slot = rc_tree(rc, p->dist_slot[len < 3 ? len : 3], 6);
    unsigned int nbits;
    uint32_t dist;

    if (slot < 4)
        return slot;
    nbits = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << nbits;
    if (slot < 14)
        return dist + rc_tree_rev(rc, p->dist_special + dist - slot, nbits);
    dist += rc_direct(rc, nbits - 4) << 4;
    return dist + rc_tree_rev(rc, p->dist_align, 4);
}

static void lzma_literal(struct xz *x, struct rc *rc)
{
    struct unxz_work *w = x->w;
    unsigned int prev = x->out_pos > x->dict_start ? x->out[x->out_pos - 1] : 0;
    unsigned int ctx = ((x->out_pos & ((1U << w->lp) - 1)) << w->lc) +
                       (prev >> (8 - w->lc));
    uint16_t *probs = w->p.literal + 0x300 * ctx;
    unsigned int sym = 1;

    if (w->state >= 7) {                /* after a match: use its byte */
        unsigned int mbyte = x->out[x->out_pos - w->rep[0] - 1];

        while (sym < 0x100) {
            unsigned int mbit = (mbyte >> 7) & 1, bit;

            mbyte <<= 1;
            bit = rc_bit(rc, &probs[((1 + mbit) << 8) + sym]);
            sym = (sym << 1) | bit;
            if (bit != mbit)
                break;
        }
    }
    while (sym < 0x100)
        sym = (sym << 1) | rc_bit(rc, &probs[sym]);
    x->out[x->out_pos++] = (uint8_t)sym;
    w->state = w->state < 4 ? 0 : w->state < 10 ? w->state - 3 : w->state - 6;
}

/* Decodes a match or rep; sets *len (bytes) or returns an error. */
static int lzma_match(struct xz *x, struct rc *rc, unsigned int pos_state, uint32_t *len)
{
    struct unxz_work *w = x->w;
    struct unxz_probs *p = &w->p;
    unsigned int s = w->state;

    if (!rc_bit(rc, &p->is_rep[s])) {
        w->rep[3] = w->rep[2];
        w->rep[2] = w->rep[1];
        w->rep[1] = w->rep[0];
        *len = lzma_len(rc, &p->len, pos_state);
        w->state = s < 7 ? 7 : 10;
        w->rep[0] = lzma_dist(rc, p, *len);
        if (w->rep[0] == 0xffffffff)
            return fail(x, "xz: LZMA end marker inside LZMA2");
    } else if (!rc_bit(rc, &p->is_rep0[s])) {
        if (!rc_bit(rc, &p->is_rep0_long[s][pos_state])) {
            w->state = s < 7 ? 9 : 11;
            *len = 1;
            return 0;
        }
        *len = lzma_len(rc, &p->rep_len, pos_state);
        w->state = s < 7 ? 8 : 11;
    } else {
        uint32_t d;

        if (!rc_bit(rc, &p->is_rep1[s])) {
            d = w->rep[1];
        } else {
            if (!rc_bit(rc, &p->is_rep2[s])) {
                d = w->rep[2];
            } else {
                d = w->rep[3];
                w->rep[3] = w->rep[2];
            }
            w->rep[2] = w->rep[1];
        }
        w->rep[1] = w->rep[0];
        w->rep[0] = d;
        *len = lzma_len(rc, &p->rep_len, pos_state);
        w->state = s < 7 ? 8 : 11;
    }
    *len += 2;
    return 0;
}

/*
 * Decodes until the output reaches end with the range coder rc, a local
 * copy of the chunk's (the compiler keeps a local one in registers; one
 * reached through x may alias the output bytes).
 */
static int lzma_chunk_rc(struct xz *x, struct rc *rc, size_t end)
{
    struct unxz_work *w = x->w;

    while (x->out_pos < end) {
        unsigned int pos_state = x->out_pos & ((1U << w->pb) - 1);
        uint32_t len;
        size_t dist;
        int err;

        if (!rc_bit(rc, &w->p.is_match[w->state][pos_state])) {
            if (w->state >= 7 &&
                w->rep[0] >= x->out_pos - x->dict_start)
                return fail(x, "xz: match distance beyond the window");
            lzma_literal(x, rc);
            continue;
        }
        err = lzma_match(x, rc, pos_state, &len);
        if (err)
            return err;
        dist = (size_t)w->rep[0] + 1;
        if (dist > x->out_pos - x->dict_start)
            return fail(x, "xz: match distance beyond the window");
        if (len > end - x->out_pos)
            return fail(x, "xz: match runs past the LZMA2 chunk");
        for (uint32_t i = 0; i < len; i++, x->out_pos++)
            x->out[x->out_pos] = x->out[x->out_pos - dist];
        if (rc->overrun)
            return fail(x, "xz: LZMA chunk truncated");
    }
    return 0;
}

static int lzma_chunk(struct xz *x, size_t end)
{
    struct rc rc = x->rc;
    int err = lzma_chunk_rc(x, &rc, end);

    x->rc = rc;
    return err;
}

/* --- LZMA2 ------------------------------------------------------------- */

static int lzma2_props(struct xz *x, uint8_t b)
{
    struct unxz_work *w = x->w;

    if (b >= LZMA2_MAX_PROPS)
        return fail(x, "xz: invalid LZMA properties");
    w->lc = b % 9;
    b /= 9;
    w->lp = b % 5;
    w->pb = b / 5;
    if (w->lc + w->lp > 4)
        return fail(x, "xz: LZMA2 needs lc + lp <= 4");
    w->props_set = true;
    return 0;
}

static int need(struct xz *x, size_t n)
{
    if (x->in_len - x->pos < n)
        return fail(x, "xz: truncated input");
    return 0;
}

static int out_room(struct xz *x, size_t n)
{
    if (x->out_max - x->out_pos >= n)
        return 0;
    x->why = "xz: output buffer too small";
    return -ENOSPC;
}

static int lzma2_stored(struct xz *x)
{
    size_t n;
    int rc;

    if ((rc = need(x, 2)))
        return rc;
    n = ((size_t)x->in[x->pos] << 8 | x->in[x->pos + 1]) + 1;
    x->pos += 2;
    if ((rc = need(x, n)) || (rc = out_room(x, n)))
        return rc;
    memcpy(x->out + x->out_pos, x->in + x->pos, n);
    x->pos += n;
    x->out_pos += n;
    return 0;
}

static int lzma2_lzma(struct xz *x, uint8_t ctl)
{
    const uint8_t *h = x->in + x->pos;
    unsigned int reset = (ctl >> 5) & 3;
    size_t usize, psize;
    int rc;

    if ((rc = need(x, reset >= 2 ? 5 : 4)))
        return rc;
    usize = ((size_t)(ctl & 0x1f) << 16 | (size_t)h[0] << 8 | h[1]) + 1;
    psize = ((size_t)h[2] << 8 | h[3]) + 1;
    x->pos += 4;
    if (reset >= 2 && (rc = lzma2_props(x, x->in[x->pos++])))
        return rc;
    if (!x->w->props_set)
        return fail(x, "xz: LZMA chunk before any properties");
    if (reset >= 1)
        lzma_reset(x->w);
    if ((rc = need(x, psize)) || (rc = out_room(x, usize)))
        return rc;
    if (psize < 5 || x->in[x->pos] != 0)
        return fail(x, "xz: bad range coder start");
    x->rc = (struct rc){ .p = x->in + x->pos + 5,
                         .end = x->in + x->pos + psize,
                         .range = 0xffffffff,
                         .code = (uint32_t)(be16(x->in + x->pos + 1) << 16 |
                                            be16(x->in + x->pos + 3)) };
    rc = lzma_chunk(x, x->out_pos + usize);
    if (rc)
        return rc;
    if (x->rc.overrun || x->rc.p != x->rc.end || x->rc.code != 0)
        return fail(x, "xz: LZMA chunk size mismatch");
    x->pos += psize;
    return 0;
}

/* Decodes LZMA2 chunks from x->pos up to and including the end marker. */
static int lzma2_decode(struct xz *x)
{
    for (;;) {
        uint8_t ctl;
        int rc;

        if ((rc = need(x, 1)))
            return rc;
        ctl = x->in[x->pos++];
        if (ctl == 0)
            return 0;
        if (ctl == 1 || ctl >= 0xe0) {
            x->dict_start = x->out_pos;
            x->dict_ok = true;
        } else if (!x->dict_ok) {
            return fail(x, "xz: LZMA2 does not start with a dictionary reset");
        }
        if (ctl >= 0x80)
            rc = lzma2_lzma(x, ctl);
        else if (ctl <= 2)
            rc = lzma2_stored(x);
        else
            rc = fail(x, "xz: invalid LZMA2 control byte");
        if (rc)
            return rc;
    }
}

/* --- x86 BCJ ----------------------------------------------------------- */

static bool top_byte_ok(uint8_t b)        /* 00 or ff: a plausible rel32 */
{
    return b == 0x00 || b == 0xff;
}

/* For each history mask: may convert at all; which operand byte to test. */
static const bool bcj_mask_ok[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
static const uint8_t bcj_mask_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };

/* Converts the rel32 after the E8/E9 at op, stream offset pos. */
static void bcj_convert(uint8_t *op, uint32_t pos, uint32_t mask)
{
    uint32_t v = (uint32_t)le(op + 1, 4), d;

    for (;;) {
        unsigned int sh;

        d = v - (pos + 5);
        if (!mask)
            break;
        sh = bcj_mask_byte[mask] * 8;
        if (!top_byte_ok((uint8_t)(d >> (24 - sh))))
            break;
        v = d ^ ((1U << (32 - sh)) - 1);
    }
    d &= 0x01ffffff;
    d |= 0U - (d & 0x01000000);             /* sign-extend bit 24 */
    for (int k = 0; k < 4; k++)
        op[1 + k] = (uint8_t)(d >> (8 * k));
}

/*
 * Undoes the x86 BCJ filter on buf[0, len), which started at stream offset
 * start. The filter keeps a 3-bit history "mask" of E8/E9 bytes seen in the
 * 3 bytes before the current one that were not converted; a candidate whose
 * history makes it likely to be inside another instruction's operand is
 * skipped, and a converted value whose byte at the history's depth would
 * itself look like an opcode operand is folded again.
 */
static void bcj_x86(uint8_t *buf, size_t len, uint32_t start)
{
    size_t last = (size_t)-1;           /* position of the last E8/E9 seen */
    uint32_t mask = 0;

    for (size_t i = 0; len >= 5 && i < len - 4; i++) {
        size_t gap;

        if ((buf[i] & 0xfe) != 0xe8)
            continue;
        gap = i - last;
        last = i;
        if (gap > 3) {
            mask = 0;
        } else {
            mask = (mask << (gap - 1)) & 7;
            if (mask && (!bcj_mask_ok[mask] ||
                         top_byte_ok(buf[i + 4 - bcj_mask_byte[mask]]))) {
                mask = (mask << 1) | 1;
                continue;
            }
        }
        if (!top_byte_ok(buf[i + 4])) {
            mask = (mask << 1) | 1;
            continue;
        }
        bcj_convert(buf + i, start + (uint32_t)i, mask);
        i += 4;
    }
}

/* --- container --------------------------------------------------------- */

/* Multibyte integer: 7 bits a byte, LSB first, at most 9 bytes, minimal. */
static int vli(struct xz *x, size_t end, uint64_t *v)
{
    *v = 0;
    for (unsigned int i = 0; i < 9; i++) {
        uint8_t b;

        if (x->pos >= end)
            return fail(x, "xz: truncated integer");
        b = x->in[x->pos++];
        *v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
            return (i && !b) ? fail(x, "xz: non-minimal integer") : 0;
    }
    return fail(x, "xz: integer too long");
}

struct block {
    uint64_t csize, usize;              /* declared, or ~0 */
    bool bcj;
    uint32_t bcj_start;
};

static int filter(struct xz *x, size_t end, bool last, struct block *b)
{
    uint64_t id, size;
    int rc;

    if ((rc = vli(x, end, &id)) || (rc = vli(x, end, &size)))
        return rc;
    if (size > end - x->pos)
        return fail(x, "xz: filter properties overrun the block header");
    if (id == 0x21 && last && size == 1) {
        if (x->in[x->pos] > 40)
            return fail(x, "xz: invalid LZMA2 dictionary size");
    } else if (id == 0x04 && !last && !b->bcj && (size == 0 || size == 4)) {
        b->bcj = true;
        b->bcj_start = size ? (uint32_t)le(x->in + x->pos, 4) : 0;
    } else if (id == 0x21 || id == 0x04) {
        return fail(x, "xz: bad filter chain");
    } else {
        x->why = "xz: unsupported filter (only x86 BCJ and LZMA2)";
        return -EOPNOTSUPP;
    }
    x->pos += size;
    return 0;
}

static int block_header(struct xz *x, struct block *b, size_t *hsize)
{
    size_t start = x->pos, end;
    uint8_t flags;
    int rc;

    *hsize = ((size_t)x->in[x->pos] + 1) * 4;
    if ((rc = need(x, *hsize)))
        return rc;
    end = start + *hsize - 4;
    if (crc32(0, x->in + start, *hsize - 4) != le(x->in + end, 4))
        return fail(x, "xz: block header CRC32 mismatch");
    flags = x->in[start + 1];
    if (flags & 0x3c)
        return fail(x, "xz: reserved block flags set");
    x->pos += 2;
    b->csize = b->usize = ~0ULL;
    if ((flags & 0x40) && (rc = vli(x, end, &b->csize)))
        return rc;
    if ((flags & 0x80) && (rc = vli(x, end, &b->usize)))
        return rc;
    for (unsigned int i = 0; i <= (flags & 3u); i++)
        if ((rc = filter(x, end, i == (flags & 3u), b)))
            return rc;
    while (x->pos < end)
        if (x->in[x->pos++])
            return fail(x, "xz: non-zero block header padding");
    x->pos = end + 4;
    return 0;
}

static const uint8_t check_size[16] = {
    0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64 };

/* Running summary of the blocks, compared with the index. */
struct summary {
    uint64_t count, unpadded, usize;
    uint32_t crc;
};

static void summary_add(struct summary *s, uint64_t unpadded, uint64_t usize)
{
    uint8_t rec[16];

    for (int k = 0; k < 8; k++) {
        rec[k] = (uint8_t)(unpadded >> (8 * k));
        rec[8 + k] = (uint8_t)(usize >> (8 * k));
    }
    s->count++;
    s->unpadded += unpadded;
    s->usize += usize;
    s->crc = crc32(0, rec, 16) ^ (s->crc * 31);
}

static int block(struct xz *x, unsigned int check, struct summary *sum)
{
    struct block b = { 0 };
    size_t hsize, cstart, ustart = x->out_pos, csize, usize;
    unsigned int csz = check_size[check];
    int rc;

    if ((rc = block_header(x, &b, &hsize)))
        return rc;
    cstart = x->pos;
    x->dict_ok = false;
    x->w->props_set = false;
    if ((rc = lzma2_decode(x)))
        return rc;
    csize = x->pos - cstart;
    usize = x->out_pos - ustart;
    if ((b.csize != ~0ULL && b.csize != csize) ||
        (b.usize != ~0ULL && b.usize != usize))
        return fail(x, "xz: block sizes differ from its header");
    if (b.bcj)
        bcj_x86(x->out + ustart, usize, b.bcj_start);
    while (x->pos & 3) {
        if ((rc = need(x, 1)))
            return rc;
        if (x->in[x->pos++])
            return fail(x, "xz: non-zero block padding");
    }
    if ((rc = need(x, csz)))
        return rc;
    if ((check == 1 &&
         crc32(0, x->out + ustart, usize) != le(x->in + x->pos, 4)) ||
        (check == 4 &&
         crc64(0, x->out + ustart, usize) != le(x->in + x->pos, 8)))
        return fail(x, "xz: check of the uncompressed data failed");
    x->pos += csz;
    summary_add(sum, hsize + csize + csz, usize);
    return 0;
}

static int index_and_footer(struct xz *x, const struct summary *sum,
                            const uint8_t *flags)
{
    struct summary idx = { 0 };
    size_t start = x->pos;
    uint64_t n;
    int rc;

    x->pos++;                           /* the 0x00 indicator */
    if ((rc = vli(x, x->in_len, &n)))
        return rc;
    if (n != sum->count)
        return fail(x, "xz: index does not match the blocks");
    for (uint64_t i = 0; i < n; i++) {
        uint64_t unpadded, usize;

        if ((rc = vli(x, x->in_len, &unpadded)) ||
            (rc = vli(x, x->in_len, &usize)))
            return rc;
        summary_add(&idx, unpadded, usize);
    }
    if (idx.unpadded != sum->unpadded || idx.usize != sum->usize ||
        idx.crc != sum->crc)
        return fail(x, "xz: index does not match the blocks");
    while ((x->pos - start) & 3) {
        if ((rc = need(x, 1)))
            return rc;
        if (x->in[x->pos++])
            return fail(x, "xz: non-zero index padding");
    }
    if ((rc = need(x, 4 + 12)))
        return rc;
    if (crc32(0, x->in + start, x->pos - start) != le(x->in + x->pos, 4))
        return fail(x, "xz: index CRC32 mismatch");
    x->pos += 4;
    if (crc32(0, x->in + x->pos + 4, 6) != le(x->in + x->pos, 4) ||
        (le(x->in + x->pos + 4, 4) + 1) * 4 != x->pos - start ||
        memcmp(x->in + x->pos + 8, flags, 2) ||
        memcmp(x->in + x->pos + 10, "YZ", 2))
        return fail(x, "xz: bad stream footer");
    x->pos += 12;
    return 0;
}

int unxz(const void *in, size_t in_len, void *out, size_t out_max,
         size_t *out_len, struct unxz_work *w, const char **why)
{
    struct xz x = { .in = in, .in_len = in_len, .out = out,
                    .out_max = out_max, .w = w };
    struct summary sum = { 0 };
    unsigned int check;
    int rc = 0;

    *out_len = 0;
    if (in_len < 12 || memcmp(in, "\xfd" "7zXZ\0", 6)) {
        *why = "xz: bad magic";
        return -EINVAL;
    }
    if (x.in[6] || x.in[7] > 15 || crc32(0, x.in + 6, 2) != le(x.in + 8, 4)) {
        *why = "xz: bad stream header";
        return -EINVAL;
    }
    check = x.in[7];
    if (check != 0 && check != 1 && check != 4) {
        *why = "xz: unsupported check type (only none, CRC32, CRC64)";
        return -EOPNOTSUPP;
    }
    x.pos = 12;
    while (!rc) {
        if ((rc = need(&x, 1)))
            break;
        if (x.in[x.pos] == 0) {
            rc = index_and_footer(&x, &sum, x.in + 6);
            break;
        }
        rc = block(&x, check, &sum);
    }
    if (rc) {
        *why = x.why;
        return rc;
    }
    *out_len = x.out_pos;
    return 0;
}
