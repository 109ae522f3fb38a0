/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 bzImage container of a Linux kernel (Documentation/arch/x86/
 * boot.rst): where its compressed payload lies and in which format. Pure
 * logic; hypervisor/bzimage.c explains the rules.
 */
#ifndef SATORI_BZIMAGE_H
#define SATORI_BZIMAGE_H

#include <satori/compiler.h>
#include <satori/types.h>

enum bzimage_comp {
    BZ_COMP_GZIP = 1,
    BZ_COMP_XZ,
    BZ_COMP_LZ4,                    /* legacy format, satori/unlz4.h */
};

struct bzimage_info {
    uint16_t version;               /* boot protocol, e.g. 0x020f */
    unsigned int setup_sects;       /* 0 in the header reads as 4 */
    size_t pm_offset;               /* protected-mode part: (sects+1)*512 */
    size_t payload_offset;          /* from the start of the file */
    size_t payload_len;             /* bytes, trailer included */
    enum bzimage_comp comp;
    /*
     * Linux appends the uncompressed size (u32 LE) as the payload's last 4
     * bytes; 0 if the payload is shorter than that.
     */
    uint32_t uncompressed_size;
};

/*
 * Fills *out and returns 0 if img[0, len) is a bzImage (protocol >= 2.08)
 * whose payload is gzip, XZ or LZ4 (legacy); else -EINVAL (not a usable
 * bzImage) or -EOPNOTSUPP (another compression), with *why set to a static
 * message.
 */
int __must_check bzimage_parse(const void *img, size_t len,
                               struct bzimage_info *out, const char **why);

#endif
