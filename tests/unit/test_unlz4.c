/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the LZ4 legacy decoder (hypervisor/unlz4.c) against the host's
 * `lz4 -l` (what Linux's CONFIG_KERNEL_LZ4 runs): round trips of several
 * kinds and sizes, multi-block (> 8 MiB) input, Linux's size trailer,
 * hand-made blocks, every truncation, random corruption, output overflow.
 */
#include <errno.h>

#include <satori/unlz4.h>

#include "check.h"
#include "host_compress.h"

static void round_trip(const char *cmd, size_t len, int kind, uint64_t seed)
{
    uint8_t *data = malloc(len + 1), *lz, *out = malloc(len + 1);
    size_t lz_len, out_len = 1234;
    const char *why = NULL;
    int rc;

    fill_data(data, len, kind, seed);
    lz = host_compress(cmd, data, len, &lz_len);
    CHECK(lz != NULL);
    rc = unlz4(lz, lz_len, out, len, &out_len, &why);
    if (rc)
        fprintf(stderr, "unlz4 '%s' len %zu kind %d: %s\n", cmd, len, kind, why);
    CHECK(rc == 0);
    CHECK(out_len == len);
    CHECK(len == 0 || memcmp(out, data, len) == 0);
    if (len) {
        rc = unlz4(lz, lz_len, out, len - 1, &out_len, &why);
        CHECK(rc == -ENOSPC && out_len == 0);
        /* With Linux's trailer. */
        lz = realloc(lz, lz_len + 4);
        memcpy(lz + lz_len, &(uint32_t){ (uint32_t)len }, 4);
        CHECK(unlz4(lz, lz_len + 4, out, len, &out_len, &why) == 0);
        CHECK(out_len == len && !memcmp(out, data, len));
    }
    free(data);
    free(lz);
    free(out);
}

static void test_round_trip(void)
{
    static const size_t sizes[] = { 0, 1, 15, 16, 300, 4096, 70000, 1 << 20 };
    static const char *cmds[] = { "lz4 -l -c -1", "lz4 -l -c -9",
                                  "lz4 -l -c -12" };

    for (unsigned int c = 0; c < 3; c++)
        for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            for (int kind = 0; kind < 3; kind++)
                CHECK_CALL(round_trip(cmds[c], sizes[i], kind, i * 7 + kind));
}

/* More than one 8 MiB legacy block. */
static void test_blocks(void)
{
    CHECK_CALL(round_trip("lz4 -l -c -1", (17 << 20) + 5, 1, 3));
}

static void test_hand_made(void)
{
    /* "abc" then a match of 9 at offset 3 (overlapping), then "Z". */
    static const uint8_t lz[16] = { 0x02, 0x21, 0x4c, 0x18, 8, 0, 0, 0,
                                    0x35, 'a', 'b', 'c', 3, 0, 0x10, 'Z' };
    uint8_t out[32], bad[16];
    size_t out_len;
    const char *why;

    CHECK(unlz4(lz, 16, out, sizeof(out), &out_len, &why) == 0);
    CHECK(out_len == 13 && !memcmp(out, "abcabcabcabcZ", 13));
    /* Offset 0, and offset past the block's output. */
    memcpy(bad, lz, 16);
    bad[12] = 0;
    CHECK(unlz4(bad, 16, out, sizeof(out), &out_len, &why) == -EINVAL);
    bad[12] = 4;
    CHECK(unlz4(bad, 16, out, sizeof(out), &out_len, &why) == -EINVAL);
    /* Block size past the end; zero block size; bad magic; empty. */
    memcpy(bad, lz, 16);
    bad[4] = 9;
    CHECK(unlz4(bad, 16, out, sizeof(out), &out_len, &why) == -EINVAL);
    bad[4] = 0;
    CHECK(unlz4(bad, 16, out, sizeof(out), &out_len, &why) == -EINVAL);
    CHECK(unlz4("\x04\x22\x4d\x18", 4, out, sizeof(out), &out_len, &why) == -EINVAL);
    CHECK(unlz4("", 0, out, sizeof(out), &out_len, &why) == -EINVAL);
    /* The magic alone is an empty stream. */
    CHECK(unlz4(lz, 4, out, sizeof(out), &out_len, &why) == 0 && out_len == 0);
}

/* Every prefix ending inside a block fails cleanly. */
static void test_truncation(void)
{
    uint8_t data[3000], out[3000], *lz;
    size_t lz_len, out_len;
    const char *why;

    fill_data(data, sizeof(data), 1, 5);
    lz = host_compress("lz4 -l -c -9", data, sizeof(data), &lz_len);
    CHECK(lz != NULL);
    for (size_t n = 0; n < lz_len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        int rc;

        memcpy(cut, lz, n);
        rc = unlz4(cut, n, out, sizeof(out), &out_len, &why);
        CHECK(n == 4 ? rc == 0 && out_len == 0 : rc == -EINVAL);
        free(cut);
    }
    free(lz);
}

/* Random byte flips: no checksum, so only "no overrun" (ASan) is checked. */
static void test_corruption(void)
{
    static uint8_t data[20000], out[20000];
    uint8_t *lz, *bad;
    size_t lz_len, out_len;
    const char *why;
    uint64_t s = 321;

    fill_data(data, sizeof(data), 1, 6);
    lz = host_compress("lz4 -l -c -9", data, sizeof(data), &lz_len);
    CHECK(lz != NULL);
    bad = malloc(lz_len);
    for (int i = 0; i < 5000; i++) {
        int rc;

        memcpy(bad, lz, lz_len);
        for (int k = 1 + (int)(check_rand(&s) % 3); k > 0; k--)
            bad[check_rand(&s) % lz_len] ^= (uint8_t)(1 + check_rand(&s) % 255);
        rc = unlz4(bad, lz_len, out, sizeof(out), &out_len, &why);
        CHECK(rc == 0 || rc == -EINVAL || rc == -ENOSPC);
        CHECK(rc != 0 || out_len <= sizeof(out));
    }
    free(lz);
    free(bad);
}

int main(void)
{
    check_module = "unlz4";
    if (!host_has("lz4")) {
        printf("SKIP: unit/unlz4 host lz4 missing (scripts/deps/decompress.list)\n");
        return 0;
    }
    RUN_TEST(test_round_trip);
    RUN_TEST(test_blocks);
    RUN_TEST(test_hand_made);
    RUN_TEST(test_truncation);
    RUN_TEST(test_corruption);
    return check_nr_failed != 0;
}
