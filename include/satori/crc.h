/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CRC-32 (IEEE 802.3, as gzip and xz use it) and CRC-64 (ECMA-182, xz's),
 * reflected, table-driven. Pure logic: hypervisor/crc.c.
 */
#ifndef SATORI_CRC_H
#define SATORI_CRC_H

#include <satori/types.h>

/* Continues crc (0 to start) over buf[0, len), zlib's convention. */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);
/* The same for CRC-64/XZ. */
uint64_t crc64(uint64_t crc, const void *buf, size_t len);

#endif
