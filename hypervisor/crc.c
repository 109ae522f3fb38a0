/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CRC-32 and CRC-64/XZ for the decompressors (gunzip.c, unxz.c), which check
 * every byte they write: a kernel is tens of MiB, and a bit-at-a-time CRC
 * costs eight rounds a byte where a table costs one. The tables are built
 * at first use from the polynomials; a second builder racing the first
 * writes the same values.
 */
#include <satori/crc.h>

#define CRC32_POLY 0xedb88320U
#define CRC64_POLY 0xc96c5795d7870f42ULL

static uint32_t crc32_table[256];
static uint64_t crc64_table[256];
static bool crc32_ready, crc64_ready;

static void build_tables(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint32_t c32 = i;
        uint64_t c64 = i;

        for (int k = 0; k < 8; k++) {
            c32 = (c32 >> 1) ^ (CRC32_POLY & -(c32 & 1));
            c64 = (c64 >> 1) ^ (CRC64_POLY & -(c64 & 1));
        }
        crc32_table[i] = c32;
        crc64_table[i] = c64;
    }
    crc32_ready = crc64_ready = true;
}

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (!crc32_ready)
        build_tables();
    crc = ~crc;
    while (len--)
        crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint64_t crc64(uint64_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (!crc64_ready)
        build_tables();
    crc = ~crc;
    while (len--)
        crc = crc64_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
