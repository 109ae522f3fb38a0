/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reader of the x86 bzImage container (Documentation/arch/x86/boot.rst).
 * The file starts with a real-mode part of (setup_sects + 1) sectors of 512
 * bytes (setup_sects 0 means 4), holding the setup header: "HdrS" at 0x202,
 * the protocol version (u16) at 0x206, and since 2.08 payload_offset and
 * payload_length (u32) at 0x248/0x24c, the offset being counted from the
 * start of the protected-mode part that follows. The payload is a compressed
 * vmlinux, its format told by its magic: gzip, xz and the LZ4 legacy
 * format have decoders (the LZ4 frame format, which Linux never uses, and
 * the others do not). Linux appends the uncompressed size as a u32 after
 * it, inside payload_length. The image is hostile input:
 * every field is bounds-checked before use, with 64-bit sums so that no
 * addition wraps.
 */
#include <satori/bzimage.h>
#include <satori/errno.h>
#include <satori/string.h>

#define BZ_SETUP_SECTS 0x1f1
#define BZ_HDRS 0x202
#define BZ_VERSION 0x206
#define BZ_PAYLOAD_OFFSET 0x248
#define BZ_PAYLOAD_LENGTH 0x24c
#define BZ_HDR_END 0x250            /* header bytes read, exclusive */

static uint32_t get_le(const uint8_t *p, unsigned int n)
{
    uint32_t v = 0;

    for (unsigned int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

struct comp_magic {
    const char *name;
    uint8_t len;
    uint8_t magic[6];
    int comp;                       /* 0: recognised, unsupported */
};

static const struct comp_magic comp_magics[] = {
    { "gzip", 2, { 0x1f, 0x8b }, BZ_COMP_GZIP },
    { "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, BZ_COMP_XZ },
    { "unsupported compression: bzip2", 3, { 'B', 'Z', 'h' }, 0 },
    { "unsupported compression: lzma", 3, { 0x5d, 0x00, 0x00 }, 0 },
    { "unsupported compression: lzo", 4, { 0x89, 'L', 'Z', 'O' }, 0 },
    { "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 }, BZ_COMP_LZ4 },  /* legacy */
    { "unsupported compression: lz4", 4, { 0x04, 0x22, 0x4d, 0x18 }, 0 },
    { "unsupported compression: zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd }, 0 },
};

static int detect(const uint8_t *p, size_t len, struct bzimage_info *out,
                  const char **why)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(comp_magics); i++) {
        const struct comp_magic *m = &comp_magics[i];

        if (len < m->len || memcmp(p, m->magic, m->len))
            continue;
        if (!m->comp) {
            *why = m->name;
            return -EOPNOTSUPP;
        }
        out->comp = m->comp;
        return 0;
    }
    *why = "payload: unknown compression format";
    return -EINVAL;
}

int bzimage_parse(const void *img, size_t len, struct bzimage_info *out,
                  const char **why)
{
    const uint8_t *p = img;
    uint64_t pm, off, plen;

    memset(out, 0, sizeof(*out));
    if (len < BZ_HDR_END) {
        *why = "bzImage: too short for a setup header";
        return -EINVAL;
    }
    if (memcmp(p + BZ_HDRS, "HdrS", 4)) {
        *why = "bzImage: no \"HdrS\" setup header";
        return -EINVAL;
    }
    out->version = (uint16_t)get_le(p + BZ_VERSION, 2);
    if (out->version < 0x0208) {
        *why = "bzImage: boot protocol older than 2.08";
        return -EINVAL;
    }
    out->setup_sects = p[BZ_SETUP_SECTS] ? p[BZ_SETUP_SECTS] : 4;
    pm = ((uint64_t)out->setup_sects + 1) * 512;
    off = pm + get_le(p + BZ_PAYLOAD_OFFSET, 4);
    plen = get_le(p + BZ_PAYLOAD_LENGTH, 4);
    if (pm > len || off > len || plen > len - off) {
        *why = "bzImage: payload lies outside the image";
        return -EINVAL;
    }
    if (plen == 0) {
        *why = "bzImage: empty payload";
        return -EINVAL;
    }
    out->pm_offset = pm;
    out->payload_offset = off;
    out->payload_len = plen;
    if (plen >= 4)
        out->uncompressed_size = get_le(p + off + plen - 4, 4);
    return detect(p + off, plen, out, why);
}
