/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turns a kernel module as the loader gave it into the ELF image the PV
 * builder loads: an ELF is used in place; a bzImage has its payload found
 * (bzimage.c) and decompressed (gunzip.c, unxz.c, unlz4.c) into a buffer
 * from the heap, freed again by kernel_image_close() once the domain is
 * built. Pure decoding lives in those files; this one owns only the buffer
 * and the messages.
 *
 * The buffer is sized from the size Linux appends to the payload (the last
 * 4 bytes), which is what Xen's loader trusts too; a payload claiming more
 * than KERNEL_MAX_UNPACKED or less than an ELF header is refused before any
 * allocation. The decoders never write past the buffer whatever the input,
 * so a lying trailer can only make decompression fail.
 */
#include <satori/bzimage.h>
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/gunzip.h>
#include <satori/kernel_image.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <satori/unlz4.h>
#include <satori/unxz.h>

#define KERNEL_MAX_UNPACKED (512UL << 20)
#define ELF_MAGIC "\x7f" "ELF"

static struct unxz_work xz_work;        /* LZMA2 state: too big for a stack */
static DEFINE_SPINLOCK(xz_work_lock);   /* protects: xz_work */

static const char *const comp_names[] = {
    [BZ_COMP_GZIP] = "gzip", [BZ_COMP_XZ] = "xz", [BZ_COMP_LZ4] = "lz4",
};

static unsigned int order_for(size_t bytes)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    return order;
}

static int decompress(const struct bzimage_info *bz, const uint8_t *payload, void *out,
                      size_t out_max, size_t *out_len, const char **why)
{
    uint64_t flags;
    int rc;

    switch (bz->comp) {
    case BZ_COMP_GZIP:
        return gunzip(payload, bz->payload_len, out, out_max, out_len, why);
    case BZ_COMP_LZ4:
        return unlz4(payload, bz->payload_len, out, out_max, out_len, why);
    case BZ_COMP_XZ:
        flags = spin_lock_irqsave(&xz_work_lock);
        rc = unxz(payload, bz->payload_len, out, out_max, out_len, &xz_work, why);
        spin_unlock_irqrestore(&xz_work_lock, flags);
        return rc;
    }
    *why = "unknown compression";
    return -EINVAL;
}

static int unpack_bzimage(struct kernel_image *k, const uint8_t *img, size_t len,
                          const char *who, char *why, size_t why_len)
{
    struct bzimage_info bz;
    const char *reason = "";
    size_t out_len = 0;
    int rc;

    rc = bzimage_parse(img, len, &bz, &reason);
    if (rc) {
        snprintf(why, why_len, "%s: %s", who, reason);
        return rc;
    }
    if (bz.uncompressed_size < 64 || bz.uncompressed_size > KERNEL_MAX_UNPACKED) {
        snprintf(why, why_len, "%s: bzImage claims %u bytes unpacked; want 64 B to %lu MiB",
                 who, bz.uncompressed_size, KERNEL_MAX_UNPACKED >> 20);
        return -EINVAL;
    }
    k->order = order_for(bz.uncompressed_size);
    k->buf = alloc_heap_pages(k->order);
    if (!k->buf) {
        snprintf(why, why_len, "%s: no contiguous %lu MiB to unpack the bzImage into", who,
                 (PAGE_SIZE << k->order) >> 20);
        return -ENOMEM;
    }
    rc = decompress(&bz, img + bz.payload_offset, k->buf, bz.uncompressed_size, &out_len,
                    &reason);
    if (rc) {
        snprintf(why, why_len, "%s: bzImage's %s payload is corrupt or truncated: %s", who,
                 comp_names[bz.comp], reason);
        return rc;
    }
    if (out_len < 64 || memcmp(k->buf, ELF_MAGIC, 4)) {
        snprintf(why, why_len, "%s: bzImage's payload does not unpack to an ELF image", who);
        return -EINVAL;
    }
    k->elf = k->buf;
    k->len = out_len;
    printk("%s: bzImage (boot protocol %u.%02u), %s payload of %zu KiB unpacked to %zu KiB\n",
           who, bz.version >> 8, bz.version & 0xff, comp_names[bz.comp],
           bz.payload_len >> 10, out_len >> 10);
    return 0;
}

const char *kernel_image_kind(const void *img, size_t len)
{
    const uint8_t *p = img;

    if (len >= 64 && !memcmp(p, ELF_MAGIC, 4))
        return p[4] == 2 ? "an ELF64 image" : "an ELF32 image";
    if (len >= 0x206 && !memcmp(p + 0x202, "HdrS", 4))
        return "a bzImage";
    return NULL;
}

int kernel_image_open(struct kernel_image *k, const void *img, size_t len, const char *who,
                      char *why, size_t why_len)
{
    int rc;

    memset(k, 0, sizeof(*k));
    if (len >= 4 && !memcmp(img, ELF_MAGIC, 4)) {
        k->elf = img;
        k->len = len;
        return 0;
    }
    rc = unpack_bzimage(k, img, len, who, why, why_len);
    if (rc)
        kernel_image_close(k);
    return rc;
}

void kernel_image_close(struct kernel_image *k)
{
    if (k->buf)
        free_heap_pages(k->buf, k->order);
    memset(k, 0, sizeof(*k));
}
