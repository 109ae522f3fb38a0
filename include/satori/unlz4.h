/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A decoder of the LZ4 legacy format (`lz4 -l`, what Linux's
 * CONFIG_KERNEL_LZ4 uses) for kernel images in memory. Pure logic;
 * hypervisor/unlz4.c explains it.
 */
#ifndef SATORI_UNLZ4_H
#define SATORI_UNLZ4_H

#include <satori/compiler.h>
#include <satori/types.h>

/*
 * Decodes in[0, in_len) into out[0, out_max), sets *out_len and returns 0.
 * A final 4 bytes equal to the output size (Linux's size trailer) are
 * accepted. -EINVAL: corrupt or truncated input; -ENOSPC: the output does
 * not fit; *why is set to a static message on failure. The format has no
 * checksum: corruption is caught only where it breaks the structure.
 */
int __must_check unlz4(const void *in, size_t in_len, void *out,
                       size_t out_max, size_t *out_len, const char **why);

#endif
