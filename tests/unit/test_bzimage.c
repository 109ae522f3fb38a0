/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the bzImage reader (hypervisor/bzimage.c): a fake image built
 * here around a real gzip or xz payload, each compression magic, every
 * header bound, every truncation, and the host's /boot/vmlinuz-* if any.
 */
#include <dirent.h>
#include <errno.h>

#include <satori/bzimage.h>
#include <satori/gunzip.h>
#include <satori/unlz4.h>
#include <satori/unxz.h>

#include "check.h"
#include "host_compress.h"

static void put_le(uint8_t *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A bzImage with setup_sects sects, payload at pm + 0x2cc; malloc'd. */
static uint8_t *make_image(unsigned int sects, const void *payload,
                           size_t plen, size_t *len)
{
    size_t pm = ((sects ? sects : 4) + 1) * 512, off = pm + 0x2cc;
    uint8_t *img = calloc(1, off + plen + 100);

    img[0x1f1] = (uint8_t)sects;
    put_le(img + 0x1fe, 0xaa55, 2);
    memcpy(img + 0x202, "HdrS", 4);
    put_le(img + 0x206, 0x020f, 2);
    put_le(img + 0x248, 0x2cc, 4);
    put_le(img + 0x24c, (uint32_t)plen, 4);
    memcpy(img + off, payload, plen);
    *len = off + plen + 100;
    return img;
}

static void test_gzip_payload(void)
{
    uint8_t data[10000], out[10000], *gz, *img;
    size_t gz_len, len, out_len;
    struct bzimage_info bi;
    const char *why = NULL;

    fill_data(data, sizeof(data), 1, 3);
    gz = host_compress("gzip -c -n -9", data, sizeof(data), &gz_len);
    CHECK(gz != NULL);
    img = make_image(39, gz, gz_len, &len);
    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    CHECK(bi.version == 0x020f && bi.setup_sects == 39);
    CHECK(bi.pm_offset == 0x5000 && bi.payload_offset == 0x52cc);
    CHECK(bi.payload_len == gz_len && bi.comp == BZ_COMP_GZIP);
    CHECK(bi.uncompressed_size == sizeof(data));          /* gzip ISIZE */
    CHECK(gunzip(img + bi.payload_offset, bi.payload_len, out, sizeof(out),
                 &out_len, &why) == 0);
    CHECK(out_len == sizeof(data) && !memcmp(out, data, sizeof(data)));
    free(img);
    /* setup_sects 0 reads as 4. */
    img = make_image(0, gz, gz_len, &len);
    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    CHECK(bi.setup_sects == 4 && bi.payload_offset == 5 * 512 + 0x2cc);
    free(img);
    free(gz);
}

static struct unxz_work work;

static void test_xz_payload(void)
{
    uint8_t data[5000], out[5000], *xz, *img;
    size_t xz_len, len, out_len;
    struct bzimage_info bi;
    const char *why = NULL;

    if (!host_has("xz")) {
        printf("SKIP: unit/bzimage/xz_payload host xz missing\n");
        return;
    }
    fill_data(data, sizeof(data), 1, 4);
    xz = host_compress("xz -c --check=crc32 --x86 --lzma2", data,
                       sizeof(data), &xz_len);
    CHECK(xz != NULL);
    xz = realloc(xz, xz_len + 4);                 /* Linux's size trailer */
    put_le(xz + xz_len, sizeof(data), 4);
    img = make_image(30, xz, xz_len + 4, &len);
    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    CHECK(bi.comp == BZ_COMP_XZ && bi.payload_len == xz_len + 4);
    CHECK(bi.uncompressed_size == sizeof(data));
    CHECK(unxz(img + bi.payload_offset, bi.payload_len, out,
               bi.uncompressed_size, &out_len, &work, &why) == 0);
    CHECK(out_len == sizeof(data) && !memcmp(out, data, sizeof(data)));
    free(img);
    free(xz);
}

/* Linux's CONFIG_KERNEL_LZ4 payload: lz4 -l plus the size trailer. */
static void test_lz4_payload(void)
{
    uint8_t data[9000], out[9000], *lz, *img;
    size_t lz_len, len, out_len;
    struct bzimage_info bi;
    const char *why = NULL;

    if (!host_has("lz4")) {
        printf("SKIP: unit/bzimage/lz4_payload host lz4 missing\n");
        return;
    }
    fill_data(data, sizeof(data), 1, 11);
    lz = host_compress("lz4 -l -c -12", data, sizeof(data), &lz_len);
    CHECK(lz != NULL);
    lz = realloc(lz, lz_len + 4);
    put_le(lz + lz_len, sizeof(data), 4);
    img = make_image(39, lz, lz_len + 4, &len);
    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    CHECK(bi.comp == BZ_COMP_LZ4 && bi.uncompressed_size == sizeof(data));
    CHECK(unlz4(img + bi.payload_offset, bi.payload_len, out,
                bi.uncompressed_size, &out_len, &why) == 0);
    CHECK(out_len == sizeof(data) && !memcmp(out, data, sizeof(data)));
    free(img);
    free(lz);
}

static void test_unsupported(void)
{
    static const struct { const char *magic; size_t n; const char *name; } m[] = {
        { "BZh91AY", 7, "bzip2" },
        { "\x5d\0\0\x80\0", 5, "lzma" },
        { "\x89LZO\0", 5, "lzo" },
        { "\x04\x22\x4d\x18", 4, "lz4" },          /* frame format */
        { "\x28\xb5\x2f\xfd", 4, "zstd" },
    };
    const char *why;
    struct bzimage_info bi;
    char expect[64];

    for (unsigned int i = 0; i < 5; i++) {
        size_t len;
        uint8_t *img = make_image(10, m[i].magic, m[i].n, &len);

        CHECK(bzimage_parse(img, len, &bi, &why) == -EOPNOTSUPP);
        snprintf(expect, sizeof(expect), "unsupported compression: %s",
                 m[i].name);
        CHECK(!strcmp(why, expect));
        free(img);
    }
    {
        size_t len;
        uint8_t *img = make_image(10, "\0\0\0\0", 4, &len);

        CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
        free(img);
    }
}

static void test_bad_headers(void)
{
    size_t len;
    uint8_t *img = make_image(39, "\x1f\x8b\x08\0", 4, &len);
    struct bzimage_info bi;
    const char *why;

    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    img[0x204] = 'x';                                   /* "HdxS" */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    img[0x204] = 'r';
    put_le(img + 0x206, 0x0207, 2);                     /* too old */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    put_le(img + 0x206, 0x020f, 2);
    put_le(img + 0x24c, 0, 4);                          /* empty payload */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    put_le(img + 0x24c, 0xffffffff, 4);                 /* past the end */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    put_le(img + 0x24c, 4, 4);
    put_le(img + 0x248, 0xfffffffe, 4);                 /* offset huge */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    put_le(img + 0x248, 0x2cc, 4);
    img[0x1f1] = 0xff;                                  /* setup past end */
    CHECK(bzimage_parse(img, len, &bi, &why) == -EINVAL);
    img[0x1f1] = 39;
    CHECK(bzimage_parse(img, len, &bi, &why) == 0);
    /* Every truncation: fails cleanly until the payload is whole. */
    for (size_t n = 0; n < len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        int rc;

        memcpy(cut, img, n);
        rc = bzimage_parse(cut, n, &bi, &why);
        CHECK(n >= 0x52cc + 4 ? rc == 0 : rc == -EINVAL);
        free(cut);
    }
    free(img);
}

/* Random headers: never read out of bounds (ASan), accepted ones in range. */
static void test_random(void)
{
    uint64_t s = 77;
    struct bzimage_info bi;
    const char *why;

    for (int i = 0; i < 20000; i++) {
        size_t len = 0x250 + check_rand(&s) % 0x8000;
        uint8_t *img = malloc(len);

        for (size_t k = 0; k < len; k++)
            img[k] = (uint8_t)check_rand(&s);
        memcpy(img + 0x202, "HdrS", 4);
        img[0x207] = 2;
        img[0x24a] = img[0x24b] = img[0x24e] = img[0x24f] = 0;
        img[0x249] &= 0x7f;
        if (bzimage_parse(img, len, &bi, &why) == 0)
            CHECK(bi.payload_offset + bi.payload_len <= len);
        free(img);
    }
}

/* Decodes a parsed payload and checks that it is an ELF vmlinux. */
static void decode_payload(const uint8_t *img, const struct bzimage_info *bi)
{
    const uint8_t *p = img + bi->payload_offset;
    size_t out_len = 0, max = bi->uncompressed_size;
    uint8_t *out = malloc(max ? max : 1);
    const char *why = "";
    int rc;

    if (bi->comp == BZ_COMP_GZIP)
        rc = gunzip(p, bi->payload_len, out, max, &out_len, &why);
    else if (bi->comp == BZ_COMP_XZ)
        rc = unxz(p, bi->payload_len, out, max, &out_len, &work, &why);
    else
        rc = unlz4(p, bi->payload_len, out, max, &out_len, &why);
    printf("  decoded: rc %d %s, %zu bytes\n", rc, rc ? why : "", out_len);
    CHECK(rc == 0 && out_len == max);
    CHECK(out_len >= 4 && !memcmp(out, "\x7f" "ELF", 4));
    free(out);
}

/* The host's own kernels, if it has any. */
static void test_host_kernel(int *nr)
{
    DIR *d = opendir("/boot");
    struct dirent *e;
    int seen = 0;

    while (d && (e = readdir(d))) {
        char path[512];
        struct bzimage_info bi;
        const char *why = "";
        FILE *f;
        uint8_t *img;
        long len;
        int rc;

        if (strncmp(e->d_name, "vmlinuz-", 8))
            continue;
        snprintf(path, sizeof(path), "/boot/%s", e->d_name);
        f = fopen(path, "rb");
        if (!f)
            continue;               /* unreadable: not ours to judge */
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        img = malloc(len > 0 ? (size_t)len : 1);
        CHECK(fread(img, 1, (size_t)len, f) == (size_t)len);
        fclose(f);
        rc = bzimage_parse(img, (size_t)len, &bi, &why);
        printf("  %s: rc %d, %s, payload %zu bytes, %u uncompressed\n",
               path, rc,
               rc ? why : bi.comp == BZ_COMP_XZ ? "xz"
                        : bi.comp == BZ_COMP_LZ4 ? "lz4" : "gzip",
               bi.payload_len, bi.uncompressed_size);
        CHECK(rc == 0 || rc == -EOPNOTSUPP);
        if (rc == 0)
            CHECK_CALL(decode_payload(img, &bi));
        free(img);
        seen++;
    }
    if (d)
        closedir(d);
    *nr = seen;
}

int main(void)
{
    int nr = 0;

    check_module = "bzimage";
    if (!host_has("gzip")) {
        printf("SKIP: unit/bzimage host gzip missing (scripts/deps/decompress.list)\n");
        return 0;
    }
    RUN_TEST(test_gzip_payload);
    RUN_TEST(test_xz_payload);
    RUN_TEST(test_lz4_payload);
    RUN_TEST(test_unsupported);
    RUN_TEST(test_bad_headers);
    RUN_TEST(test_random);
    /* Not RUN_TEST: without a host kernel this is a SKIP, not a PASS. */
    check_failed = false;
    test_host_kernel(&nr);
    if (check_failed) {
        printf("FAIL: unit/bzimage/host_kernel %s\n", check_where);
        check_nr_failed++;
    } else if (nr) {
        printf("PASS: unit/bzimage/host_kernel\n");
    } else {
        printf("SKIP: unit/bzimage/host_kernel no readable /boot/vmlinuz-*\n");
    }
    return check_nr_failed != 0;
}
