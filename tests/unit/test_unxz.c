/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the .xz decoder (hypervisor/unxz.c) against the host's xz: round
 * trips of random, compressible and x86-like data with LZMA2 alone and with
 * the x86 BCJ filter, several presets and checks, multi-block streams,
 * empty input, every truncation of a small stream, random corruption,
 * output overflow and Linux's size trailer.
 */
#include <errno.h>

#include <satori/unxz.h>

#include "check.h"
#include "host_compress.h"

static struct unxz_work work;

/* x86-ish: many E8/E9 with small rel32 operands, so BCJ converts some. */
static void fill_x86(uint8_t *buf, size_t len, uint64_t seed)
{
    uint64_t s = seed | 1;

    fill_data(buf, len, 1, seed);
    for (size_t i = 0; i + 5 < len; i += 3 + check_rand(&s) % 20) {
        int32_t rel = (int32_t)(check_rand(&s) % 200000) - 100000;

        buf[i] = (check_rand(&s) & 1) ? 0xe8 : 0xe9;
        memcpy(buf + i + 1, &rel, 4);
    }
}

static void round_trip(const char *cmd, size_t len, int kind, uint64_t seed)
{
    uint8_t *data = malloc(len + 1), *xz, *out = malloc(len + 1);
    size_t xz_len, out_len = 1234;
    const char *why = NULL;
    int rc;

    if (kind == 3)
        fill_x86(data, len, seed);
    else
        fill_data(data, len, kind, seed);
    xz = host_compress(cmd, data, len, &xz_len);
    CHECK(xz != NULL);
    rc = unxz(xz, xz_len, out, len, &out_len, &work, &why);
    if (rc)
        fprintf(stderr, "unxz '%s' len %zu kind %d: %s\n", cmd, len, kind, why);
    CHECK(rc == 0);
    CHECK(out_len == len);
    CHECK(len == 0 || memcmp(out, data, len) == 0);
    if (len) {
        rc = unxz(xz, xz_len, out, len - 1, &out_len, &work, &why);
        CHECK(rc == -ENOSPC && out_len == 0);
    }
    free(data);
    free(xz);
    free(out);
}

static const size_t sizes[] = { 0, 1, 5, 100, 4096, 70000, 300000 };

static void test_lzma2(void)
{
    static const char *cmds[] = { "xz -c -0", "xz -c -6 --check=crc32",
                                  "xz -c -9e --check=none",
                                  "xz -c --lzma2=lc=4,lp=0,pb=0",
                                  "xz -c --lzma2=lc=0,lp=4,pb=4",
                                  "xz -c --lzma2=lc=1,lp=3,pb=1" };

    for (unsigned int c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
        for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            for (int kind = 0; kind < 4; kind++)
                CHECK_CALL(round_trip(cmds[c], sizes[i], kind, i * 5 + kind));
}

static void test_bcj_x86(void)
{
    static const char *cmds[] = { "xz -c --check=crc32 --x86 --lzma2",
                                  "xz -c --x86=start=4096 --lzma2=preset=1",
                                  "xz -c --check=crc64 --x86 --lzma2=dict=32MiB" };

    for (unsigned int c = 0; c < 3; c++)
        for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            for (int kind = 0; kind < 4; kind++)
                CHECK_CALL(round_trip(cmds[c], sizes[i], kind, i * 3 + kind));
}

/* Several blocks, one stream. */
static void test_blocks(void)
{
    CHECK_CALL(round_trip("xz -c --block-size=10000", 100000, 1, 1));
    CHECK_CALL(round_trip("xz -c --x86 --lzma2 --block-size=65536", 300000, 3, 2));
    CHECK_CALL(round_trip("xz -c -T2 --block-size=100000", 500000, 0, 3));
    /* Past one LZMA2 chunk's 2 MiB, as a kernel is. */
    CHECK_CALL(round_trip("xz -c --check=crc32 --x86 --lzma2=dict=32MiB",
                          5 << 20, 3, 4));
    CHECK_CALL(round_trip("xz -c -0", 3 << 20, 1, 5));
}

static void test_unsupported(void)
{
    uint8_t data[1000], out[1000], *xz;
    size_t xz_len, out_len;
    const char *why;

    fill_data(data, sizeof(data), 1, 9);
    xz = host_compress("xz -c --check=sha256", data, sizeof(data), &xz_len);
    CHECK(xz != NULL);
    CHECK(unxz(xz, xz_len, out, sizeof(out), &out_len, &work, &why) == -EOPNOTSUPP);
    free(xz);
    xz = host_compress("xz -c --delta --lzma2", data, sizeof(data), &xz_len);
    CHECK(xz != NULL);
    CHECK(unxz(xz, xz_len, out, sizeof(out), &out_len, &work, &why) == -EOPNOTSUPP);
    free(xz);
    CHECK(unxz("", 0, out, sizeof(out), &out_len, &work, &why) == -EINVAL);
    CHECK(unxz("\x1f\x8b", 2, out, sizeof(out), &out_len, &work, &why) == -EINVAL);
}

/* Every strict prefix fails; Linux's 4-byte size trailer is ignored. */
static void test_truncation_and_trailer(void)
{
    uint8_t data[3000], out[3000], *xz;
    size_t xz_len, out_len;
    const char *why;

    fill_x86(data, sizeof(data), 5);
    xz = host_compress("xz -c --check=crc32 --x86 --lzma2", data,
                       sizeof(data), &xz_len);
    CHECK(xz != NULL);
    for (size_t n = 0; n < xz_len; n++) {
        uint8_t *cut = malloc(n ? n : 1);

        memcpy(cut, xz, n);
        CHECK(unxz(cut, n, out, sizeof(out), &out_len, &work, &why) == -EINVAL);
        free(cut);
    }
    xz = realloc(xz, xz_len + 4);
    memcpy(xz + xz_len, "\xb8\x0b\0\0", 4);
    CHECK(unxz(xz, xz_len + 4, out, sizeof(out), &out_len, &work, &why) == 0);
    CHECK(out_len == sizeof(data) && !memcmp(out, data, sizeof(data)));
    free(xz);
}

/* Random byte flips: fail, or decode within bounds (ASan watches). */
static void test_corruption(void)
{
    static uint8_t data[20000], out[20000];
    uint8_t *xz, *bad;
    size_t xz_len, out_len;
    const char *why;
    uint64_t s = 123;
    int failed = 0;

    fill_x86(data, sizeof(data), 6);
    xz = host_compress("xz -c --check=crc32 --x86 --lzma2", data,
                       sizeof(data), &xz_len);
    CHECK(xz != NULL);
    bad = malloc(xz_len);
    for (int i = 0; i < 3000; i++) {
        int rc;

        memcpy(bad, xz, xz_len);
        for (int k = 1 + (int)(check_rand(&s) % 3); k > 0; k--)
            bad[check_rand(&s) % xz_len] ^= (uint8_t)(1 + check_rand(&s) % 255);
        rc = unxz(bad, xz_len, out, sizeof(out), &out_len, &work, &why);
        CHECK(rc == -EINVAL || rc == -ENOSPC || rc == -EOPNOTSUPP);
        failed++;
    }
    CHECK(failed == 3000);
    free(xz);
    free(bad);
}

int main(void)
{
    check_module = "unxz";
    if (!host_has("xz")) {
        printf("SKIP: unit/unxz host xz missing (scripts/deps/decompress.list)\n");
        return 0;
    }
    RUN_TEST(test_lzma2);
    RUN_TEST(test_bcj_x86);
    RUN_TEST(test_blocks);
    RUN_TEST(test_unsupported);
    RUN_TEST(test_truncation_and_trailer);
    RUN_TEST(test_corruption);
    return check_nr_failed != 0;
}
