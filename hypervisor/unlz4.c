/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LZ4 legacy format, decoded in one call from a buffer to a buffer.
 *
 * Frame: the magic 02 21 4c 18, then blocks, each a little-endian u32
 * compressed size and that many bytes of an LZ4 block decoding to at most
 * 8 MiB, independently of the other blocks. The magic may recur between
 * blocks (concatenated frames). Linux appends the uncompressed size as a
 * u32; 4 final bytes equal to the output size end the input.
 *
 * Block: sequences of a token (high nibble: literal count, low nibble:
 * match length - 4; 15 in either means "add the following bytes up to and
 * including the first that is not 255"), the literals, then a u16 LE
 * offset (1 .. bytes of this block so far) and the match. The last
 * sequence is literals only and ends the block exactly.
 */
#include <satori/errno.h>
#include <satori/string.h>
#include <satori/unlz4.h>

#define LZ4_LEGACY_MAGIC 0x184c2102U
#define LZ4_LEGACY_BLOCK (8U << 20)

struct lz4 {
    const uint8_t *p, *end;             /* the current block's input */
    uint8_t *out;
    size_t out_max, out_pos, block_start;
    const char *why;
};

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int fail(struct lz4 *z, const char *why)
{
    z->why = why;
    return -EINVAL;
}

/* Adds the extension bytes of a 15 nibble to *n. */
static int ext_len(struct lz4 *z, size_t *n)
{
    uint8_t b;

    do {
        if (z->p >= z->end)
            return fail(z, "lz4: truncated length");
        b = *z->p++;
        *n += b;
    } while (b == 255);
    return 0;
}

static int put_literals(struct lz4 *z, size_t n)
{
    if ((size_t)(z->end - z->p) < n)
        return fail(z, "lz4: literals run past the block");
    if (z->out_max - z->out_pos < n) {
        z->why = "lz4: output buffer too small";
        return -ENOSPC;
    }
    memcpy(z->out + z->out_pos, z->p, n);
    z->p += n;
    z->out_pos += n;
    return 0;
}

static int block(struct lz4 *z)
{
    while (z->p < z->end) {
        uint8_t token = *z->p++;
        size_t lit = token >> 4, len = (token & 15) + 4, off;
        int rc;

        if (lit == 15 && (rc = ext_len(z, &lit)))
            return rc;
        if ((rc = put_literals(z, lit)))
            return rc;
        if (z->p == z->end)
            break;                      /* the last sequence */
        if (z->end - z->p < 2)
            return fail(z, "lz4: truncated offset");
        off = z->p[0] | z->p[1] << 8;
        z->p += 2;
        if ((token & 15) == 15 && (rc = ext_len(z, &len)))
            return rc;
        if (off == 0 || off > z->out_pos - z->block_start)
            return fail(z, "lz4: match offset outside the block");
        if (z->out_max - z->out_pos < len) {
            z->why = "lz4: output buffer too small";
            return -ENOSPC;
        }
        for (size_t i = 0; i < len; i++, z->out_pos++)
            z->out[z->out_pos] = z->out[z->out_pos - off];
    }
    if (z->out_pos - z->block_start > LZ4_LEGACY_BLOCK)
        return fail(z, "lz4: block decodes to more than 8 MiB");
    return 0;
}

int unlz4(const void *in, size_t in_len, void *out, size_t out_max,
          size_t *out_len, const char **why)
{
    const uint8_t *p = in, *end = p + in_len;
    struct lz4 z = { .out = out, .out_max = out_max };
    int rc;

    *out_len = 0;
    if (in_len < 4 || le32(p) != LZ4_LEGACY_MAGIC) {
        *why = "lz4: not the legacy format";
        return -EINVAL;
    }
    p += 4;
    while (p != end) {
        uint32_t n;

        if (end - p < 4) {
            *why = "lz4: truncated block size";
            return -EINVAL;
        }
        n = le32(p);
        p += 4;
        if (n == LZ4_LEGACY_MAGIC)
            continue;
        if (p == end && n == (uint32_t)z.out_pos && z.out_pos)
            break;                      /* Linux's size trailer */
        if (n == 0 || n > (size_t)(end - p)) {
            *why = "lz4: block size past the end of the input";
            return -EINVAL;
        }
        z.p = p;
        z.end = p + n;
        z.block_start = z.out_pos;
        rc = block(&z);
        if (rc) {
            *why = z.why;
            return rc;
        }
        p += n;
    }
    *out_len = z.out_pos;
    return 0;
}
