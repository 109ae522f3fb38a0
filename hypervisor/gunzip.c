/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gzip (RFC 1952) and DEFLATE (RFC 1951), decoded in one call from a buffer
 * to a buffer; the output buffer is also the LZ77 window.
 *
 * gzip member: 1f 8b, method 8, flags (FHCRC 2, FEXTRA 4, FNAME 8,
 * FCOMMENT 16; bits 5-7 reserved, must be 0), mtime, xfl, os; then the
 * optional fields in that order, the DEFLATE stream, CRC-32 and ISIZE
 * (length mod 2^32), both little-endian and both checked.
 *
 * DEFLATE: blocks with a 3-bit header (BFINAL, BTYPE 0 stored, 1 fixed,
 * 2 dynamic Huffman), bits packed LSB first, Huffman codes MSB first.
 * Codes are canonical: a table holds, per length, how many symbols have it,
 * and the symbols sorted by (length, value); decoding walks the lengths
 * one bit at a time. Over-subscribed code sets are refused; incomplete ones
 * are accepted and a bit pattern with no symbol is an error.
 *
 * Hostile input: every input read goes through get_bits(), which fails past
 * the end; every output write and back-reference is checked against the
 * output written so far and out_max.
 */
#include <satori/errno.h>
#include <satori/crc.h>
#include <satori/gunzip.h>
#include <satori/string.h>

#define MAX_BITS 15
#define NR_LITLEN 288
#define NR_DIST 32

struct huff {
    uint16_t count[MAX_BITS + 1];
    uint16_t sym[NR_LITLEN];
};

struct inflate {
    const uint8_t *in;
    size_t in_len, pos;             /* next input byte */
    uint32_t bitbuf;
    unsigned int bitcnt;
    uint8_t *out;
    size_t out_max, out_pos;
    const char *why;
};

static int fail(struct inflate *s, const char *why)
{
    s->why = why;
    return -EINVAL;
}

/* n <= 16 bits, LSB first; -1 past the end of the input. */
static int get_bits(struct inflate *s, unsigned int n)
{
    uint32_t v;

    while (s->bitcnt < n) {
        if (s->pos >= s->in_len)
            return -1;
        s->bitbuf |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    v = s->bitbuf & ((1U << n) - 1);
    s->bitbuf >>= n;
    s->bitcnt -= n;
    return (int)v;
}

/* Builds h from lens[0, n); -1 if the lengths over-subscribe the code. */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned int n)
{
    uint16_t offs[MAX_BITS + 1];
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (unsigned int i = 0; i < n; i++)
        h->count[lens[i]]++;
    h->count[0] = 0;
    for (int len = 1; len <= MAX_BITS; len++) {
        left = left * 2 - h->count[len];
        if (left < 0)
            return -1;
    }
    offs[1] = 0;
    for (int len = 1; len < MAX_BITS; len++)
        offs[len + 1] = offs[len] + h->count[len];
    for (unsigned int i = 0; i < n; i++)
        if (lens[i])
            h->sym[offs[lens[i]]++] = (uint16_t)i;
    return 0;
}

/* The next symbol of code h; -1 on end of input or an unassigned code. */
static int huff_decode(struct inflate *s, const struct huff *h)
{
    int code = 0, first = 0, index = 0;

    for (int len = 1; len <= MAX_BITS; len++) {
        int bit = get_bits(s, 1);

        if (bit < 0)
            return -1;
        code |= bit;
        if (code - first < h->count[len])
            return h->sym[index + code - first];
        index += h->count[len];
        first = (first + h->count[len]) << 1;
        code <<= 1;
    }
    return -1;
}

static int stored_block(struct inflate *s)
{
    size_t len;

    s->bitbuf = 0;                  /* skip to the byte boundary */
    s->bitcnt = 0;
    if (s->in_len - s->pos < 4)
        return fail(s, "gzip: truncated stored block");
    len = s->in[s->pos] | s->in[s->pos + 1] << 8;
    if ((len ^ (s->in[s->pos + 2] | s->in[s->pos + 3] << 8)) != 0xffff)
        return fail(s, "gzip: stored block LEN/NLEN mismatch");
    s->pos += 4;
    if (s->in_len - s->pos < len)
        return fail(s, "gzip: truncated stored block");
    if (s->out_max - s->out_pos < len) {
        s->why = "gzip: output buffer too small";
        return -ENOSPC;
    }
    memcpy(s->out + s->out_pos, s->in + s->pos, len);
    s->pos += len;
    s->out_pos += len;
    return 0;
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* One back-reference: symbol sym (257..285) of the literal/length code. */
static int copy_match(struct inflate *s, int sym, const struct huff *dist)
{
    int e, d, len, dst;

    sym -= 257;
    if (sym >= 29)
        return fail(s, "gzip: invalid length symbol");
    e = get_bits(s, len_extra[sym]);
    d = huff_decode(s, dist);
    if (e < 0 || d < 0)
        return fail(s, "gzip: truncated or invalid code");
    if (d >= 30)
        return fail(s, "gzip: invalid distance symbol");
    len = len_base[sym] + e;
    e = get_bits(s, dist_extra[d]);
    if (e < 0)
        return fail(s, "gzip: truncated input");
    dst = dist_base[d] + e;
    if ((size_t)dst > s->out_pos)
        return fail(s, "gzip: distance before the start of the output");
    if (s->out_max - s->out_pos < (size_t)len) {
        s->why = "gzip: output buffer too small";
        return -ENOSPC;
    }
    for (int i = 0; i < len; i++, s->out_pos++)
        s->out[s->out_pos] = s->out[s->out_pos - dst];
    return 0;
}

static int huff_block(struct inflate *s, const struct huff *lit,
                      const struct huff *dist)
{
    for (;;) {
        int sym = huff_decode(s, lit), rc;

        if (sym < 0)
            return fail(s, "gzip: truncated or invalid code");
        if (sym == 256)
            return 0;
        if (sym < 256) {
            if (s->out_pos == s->out_max) {
                s->why = "gzip: output buffer too small";
                return -ENOSPC;
            }
            s->out[s->out_pos++] = (uint8_t)sym;
            continue;
        }
        rc = copy_match(s, sym, dist);
        if (rc)
            return rc;
    }
}

static int fixed_block(struct inflate *s)
{
    struct huff lit, dist;
    uint8_t lens[NR_LITLEN];

    for (int i = 0; i < NR_LITLEN; i++)
        lens[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    (void)huff_build(&lit, lens, NR_LITLEN);
    memset(lens, 5, NR_DIST);
    (void)huff_build(&dist, lens, NR_DIST);
    return huff_block(s, &lit, &dist);
}

/* Reads hlit + hdist code lengths into lens with the code-length code cl. */
static int read_lengths(struct inflate *s, const struct huff *cl,
                        uint8_t *lens, int n)
{
    for (int i = 0; i < n;) {
        int sym = huff_decode(s, cl), rep, val = 0;

        if (sym < 0)
            return fail(s, "gzip: truncated or invalid code-length code");
        if (sym < 16) {
            lens[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (i == 0)
                return fail(s, "gzip: repeat with no previous length");
            val = lens[i - 1];
            rep = get_bits(s, 2) + 3;
        } else if (sym == 17) {
            rep = get_bits(s, 3) + 3;
        } else {
            rep = get_bits(s, 7) + 11;
        }
        if (rep < 3)
            return fail(s, "gzip: truncated input");
        if (rep > n - i)
            return fail(s, "gzip: code lengths overrun their count");
        memset(lens + i, val, (size_t)rep);
        i += rep;
    }
    return 0;
}

static int dynamic_block(struct inflate *s)
{
    static const uint8_t order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    struct huff lit, dist;
    uint8_t lens[NR_LITLEN + NR_DIST];
    int hlit = get_bits(s, 5), hdist = get_bits(s, 5), hclen = get_bits(s, 4);
    int rc;

    if (hclen < 0)
        return fail(s, "gzip: truncated input");
    hlit += 257;
    hdist += 1;
    if (hlit > 286 || hdist > 30)
        return fail(s, "gzip: too many length or distance codes");
    memset(lens, 0, 19);
    for (int i = 0; i < hclen + 4; i++) {
        int v = get_bits(s, 3);

        if (v < 0)
            return fail(s, "gzip: truncated input");
        lens[order[i]] = (uint8_t)v;
    }
    if (huff_build(&lit, lens, 19))
        return fail(s, "gzip: over-subscribed code-length code");
    rc = read_lengths(s, &lit, lens, hlit + hdist);
    if (rc)
        return rc;
    if (!lens[256])
        return fail(s, "gzip: no end-of-block code");
    if (huff_build(&lit, lens, (unsigned int)hlit) ||
        huff_build(&dist, lens + hlit, (unsigned int)hdist))
        return fail(s, "gzip: over-subscribed Huffman code");
    return huff_block(s, &lit, &dist);
}

static int inflate_blocks(struct inflate *s)
{
    int last, type, rc;

    do {
        last = get_bits(s, 1);
        type = get_bits(s, 2);
        if (type < 0)
            return fail(s, "gzip: truncated input");
        if (type == 0)
            rc = stored_block(s);
        else if (type == 1)
            rc = fixed_block(s);
        else if (type == 2)
            rc = dynamic_block(s);
        else
            rc = fail(s, "gzip: invalid block type 3");
        if (rc)
            return rc;
    } while (!last);
    return 0;
}

/* Skips a NUL-terminated header field. */
static int skip_string(struct inflate *s)
{
    while (s->pos < s->in_len)
        if (s->in[s->pos++] == 0)
            return 0;
    return fail(s, "gzip: truncated header");
}

static int gz_header(struct inflate *s)
{
    const uint8_t *p = s->in;
    uint8_t flg;

    if (s->in_len < 10 || p[0] != 0x1f || p[1] != 0x8b)
        return fail(s, "gzip: bad magic");
    if (p[2] != 8)
        return fail(s, "gzip: compression method is not deflate");
    flg = p[3];
    if (flg & 0xe0)
        return fail(s, "gzip: reserved flag bits set");
    s->pos = 10;
    if (flg & 4) {
        size_t xlen;

        if (s->in_len - s->pos < 2)
            return fail(s, "gzip: truncated header");
        xlen = p[s->pos] | p[s->pos + 1] << 8;
        s->pos += 2;
        if (s->in_len - s->pos < xlen)
            return fail(s, "gzip: truncated header");
        s->pos += xlen;
    }
    if ((flg & 8) && skip_string(s))
        return -EINVAL;
    if ((flg & 16) && skip_string(s))
        return -EINVAL;
    if (flg & 2) {
        if (s->in_len - s->pos < 2)
            return fail(s, "gzip: truncated header");
        if ((crc32(0, p, s->pos) & 0xffff) !=
            (uint32_t)(p[s->pos] | p[s->pos + 1] << 8))
            return fail(s, "gzip: header CRC mismatch");
        s->pos += 2;
    }
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int gunzip(const void *in, size_t in_len, void *out, size_t out_max,
           size_t *out_len, const char **why)
{
    struct inflate s = { .in = in, .in_len = in_len, .out = out,
                         .out_max = out_max };
    int rc;

    *out_len = 0;
    rc = gz_header(&s);
    if (!rc)
        rc = inflate_blocks(&s);
    if (rc) {
        *why = s.why;
        return rc;
    }
    if (s.in_len - s.pos < 8) {
        *why = "gzip: truncated trailer";
        return -EINVAL;
    }
    if (le32(s.in + s.pos) != crc32(0, s.out, s.out_pos)) {
        *why = "gzip: CRC-32 mismatch";
        return -EINVAL;
    }
    if (le32(s.in + s.pos + 4) != (uint32_t)s.out_pos) {
        *why = "gzip: ISIZE mismatch";
        return -EINVAL;
    }
    *out_len = s.out_pos;
    return 0;
}
