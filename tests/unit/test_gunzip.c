/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the gzip/DEFLATE decoder (hypervisor/gunzip.c) against the host's
 * gzip: round trips at every level and several sizes, stored blocks, empty
 * input, header options, every truncation of a small stream, random
 * corruption, output overflow, and CRC/ISIZE checks.
 */
#include <errno.h>

#include <satori/crc.h>
#include <satori/gunzip.h>

#include "check.h"
#include "host_compress.h"

/* Compresses with cmd, decodes, compares. */
static void round_trip(const char *cmd, size_t len, int kind, uint64_t seed)
{
    uint8_t *data = malloc(len + 1), *gz, *out = malloc(len + 1);
    size_t gz_len, out_len = 1234;
    const char *why = NULL;
    int rc;

    fill_data(data, len, kind, seed);
    gz = host_compress(cmd, data, len, &gz_len);
    CHECK(gz != NULL);
    rc = gunzip(gz, gz_len, out, len, &out_len, &why);
    if (rc)
        fprintf(stderr, "gunzip %s len %zu kind %d: %s\n", cmd, len, kind, why);
    CHECK(rc == 0);
    CHECK(out_len == len);
    CHECK(len == 0 || memcmp(out, data, len) == 0);
    if (len) {                      /* one byte short: -ENOSPC */
        rc = gunzip(gz, gz_len, out, len - 1, &out_len, &why);
        CHECK(rc == -ENOSPC && out_len == 0);
    }
    free(data);
    free(gz);
    free(out);
}

static void test_round_trip(void)
{
    static const size_t sizes[] = { 0, 1, 2, 100, 4096, 33000, 100000,
                                    1 << 20 };
    static const char *cmds[] = { "gzip -c -n -1", "gzip -c -n -6",
                                  "gzip -c -n -9" };

    for (unsigned int c = 0; c < 3; c++)
        for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            for (int kind = 0; kind < 3; kind++)
                CHECK_CALL(round_trip(cmds[c], sizes[i], kind, i * 7 + kind));
}

/* With a file name (FNAME) in the header, as gzip without -n writes. */
static void test_header_name(void)
{
    CHECK_CALL(round_trip("gzip -c", 5000, 1, 42));
}

/* A hand-made member: FEXTRA, FNAME, FCOMMENT, FHCRC and a stored block. */
static void test_hand_made(void)
{
    uint8_t gz[64], out[16];
    size_t n = 0, out_len;
    const char *why;
    uint32_t crc;

    memcpy(gz, "\x1f\x8b\x08\x1e\0\0\0\0\0\x03", 10);
    n = 10;
    memcpy(gz + n, "\x02\0AB", 4), n += 4;            /* FEXTRA */
    memcpy(gz + n, "f\0", 2), n += 2;                 /* FNAME */
    memcpy(gz + n, "c\0", 2), n += 2;                 /* FCOMMENT */
    crc = crc32(0, gz, n);
    gz[n++] = (uint8_t)crc;                           /* FHCRC */
    gz[n++] = (uint8_t)(crc >> 8);
    memcpy(gz + n, "\x01\x05\x00\xfa\xff" "hello", 10), n += 10;
    crc = crc32(0, "hello", 5);
    memcpy(gz + n, &crc, 4), n += 4;
    memcpy(gz + n, "\x05\0\0\0", 4), n += 4;
    CHECK(gunzip(gz, n, out, sizeof(out), &out_len, &why) == 0);
    CHECK(out_len == 5 && !memcmp(out, "hello", 5));
    gz[18]++;                                         /* header CRC */
    CHECK(gunzip(gz, n, out, sizeof(out), &out_len, &why) == -EINVAL);
    gz[18]--;
    gz[n - 8]++;                                      /* CRC-32 */
    CHECK(gunzip(gz, n, out, sizeof(out), &out_len, &why) == -EINVAL);
    CHECK(strstr(why, "CRC") != NULL);
    gz[n - 8]--;
    gz[n - 4]++;                                      /* ISIZE */
    CHECK(gunzip(gz, n, out, sizeof(out), &out_len, &why) == -EINVAL);
    CHECK(strstr(why, "ISIZE") != NULL);
    gz[n - 4]--;
    gz[3] |= 0x20;                                    /* reserved flag */
    CHECK(gunzip(gz, n, out, sizeof(out), &out_len, &why) == -EINVAL);
}

static void test_empty_and_garbage(void)
{
    uint8_t out[16];
    size_t out_len;
    const char *why = NULL;

    CHECK(gunzip("", 0, out, sizeof(out), &out_len, &why) == -EINVAL);
    CHECK(why != NULL);
    CHECK(gunzip("not gzip at all", 15, out, 16, &out_len, &why) == -EINVAL);
    /* Block type 3. */
    CHECK(gunzip("\x1f\x8b\x08\0\0\0\0\0\0\x03\x07\0\0\0\0\0\0\0\0", 19,
                 out, 16, &out_len, &why) == -EINVAL);
}

/* Every strict prefix of a small member fails cleanly. */
static void test_truncation(void)
{
    uint8_t data[3000], out[3000], *gz;
    size_t gz_len, out_len;
    const char *why;

    fill_data(data, sizeof(data), 1, 5);
    gz = host_compress("gzip -c -n -9", data, sizeof(data), &gz_len);
    CHECK(gz != NULL);
    for (size_t n = 0; n < gz_len; n++) {
        uint8_t *cut = malloc(n ? n : 1);       /* exact size, for ASan */

        memcpy(cut, gz, n);
        CHECK(gunzip(cut, n, out, sizeof(out), &out_len, &why) == -EINVAL);
        free(cut);
    }
    CHECK(gunzip(gz, gz_len, out, sizeof(out), &out_len, &why) == 0);
    free(gz);
}

/* Random byte flips: fail, or decode within bounds (ASan watches). */
static void test_corruption(void)
{
    uint8_t data[20000], *gz, *bad, *out = malloc(sizeof(data));
    size_t gz_len, out_len;
    const char *why;
    uint64_t s = 99;
    int failed = 0;

    fill_data(data, sizeof(data), 1, 6);
    gz = host_compress("gzip -c -n -6", data, sizeof(data), &gz_len);
    CHECK(gz != NULL);
    bad = malloc(gz_len);
    for (int i = 0; i < 3000; i++) {
        int rc;

        memcpy(bad, gz, gz_len);
        for (int k = 1 + (int)(check_rand(&s) % 3); k > 0; k--)
            bad[10 + check_rand(&s) % (gz_len - 10)] ^=
                (uint8_t)(1 + check_rand(&s) % 255);
        rc = gunzip(bad, gz_len, out, sizeof(data), &out_len, &why);
        CHECK(rc == 0 || rc == -EINVAL || rc == -ENOSPC);
        CHECK(rc != 0 || out_len <= sizeof(data));
        failed += rc != 0;
    }
    CHECK(failed > 2900);           /* CRC-32 catches nearly all */
    free(gz);
    free(bad);
    free(out);
}

/* Trailing bytes after the member (Linux's size trailer) are ignored. */
static void test_trailing(void)
{
    uint8_t data[500], out[500], *gz;
    size_t gz_len, out_len;
    const char *why;

    fill_data(data, sizeof(data), 0, 8);
    gz = host_compress("gzip -c -n", data, sizeof(data), &gz_len);
    CHECK(gz != NULL);
    gz = realloc(gz, gz_len + 4);
    memcpy(gz + gz_len, "\xf4\x01\0\0", 4);
    CHECK(gunzip(gz, gz_len + 4, out, sizeof(out), &out_len, &why) == 0);
    CHECK(out_len == sizeof(data) && !memcmp(out, data, sizeof(data)));
    free(gz);
}

static void test_crc32(void)
{
    CHECK(crc32(0, "123456789", 9) == 0xcbf43926);
    CHECK(crc32(crc32(0, "1234", 4), "56789", 5) == 0xcbf43926);
    CHECK(crc32(0, "", 0) == 0);
    /* CRC-64/XZ's check value */
    CHECK(crc64(0, "123456789", 9) == 0x995dc9bbdf1939faULL);
    CHECK(crc64(crc64(0, "12345", 5), "6789", 4) == 0x995dc9bbdf1939faULL);
}

int main(void)
{
    check_module = "gunzip";
    if (!host_has("gzip")) {
        printf("SKIP: unit/gunzip host gzip missing (scripts/deps/decompress.list)\n");
        return 0;
    }
    RUN_TEST(test_crc32);
    RUN_TEST(test_round_trip);
    RUN_TEST(test_header_name);
    RUN_TEST(test_hand_made);
    RUN_TEST(test_empty_and_garbage);
    RUN_TEST(test_truncation);
    RUN_TEST(test_corruption);
    RUN_TEST(test_trailing);
    return check_nr_failed != 0;
}
