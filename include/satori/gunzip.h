/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A gzip (RFC 1952) decoder with its own DEFLATE (RFC 1951) inflater, for
 * kernel images in memory. Pure logic; hypervisor/gunzip.c explains it.
 */
#ifndef SATORI_GUNZIP_H
#define SATORI_GUNZIP_H

#include <satori/compiler.h>
#include <satori/types.h>

/*
 * Decodes the first gzip member of in[0, in_len) into out[0, out_max), sets
 * *out_len and returns 0; bytes after the member are ignored. Fails with
 * -EINVAL (corrupt or truncated input, bad CRC32 or ISIZE) or -ENOSPC (the
 * output does not fit), *why set to a static message. Never reads or
 * writes outside the two buffers; out is clobbered on failure. Uses about
 * 2 KiB of stack.
 */
int __must_check gunzip(const void *in, size_t in_len, void *out,
                        size_t out_max, size_t *out_len, const char **why);

#endif
