/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest kernel as the builder loads it: the ELF inside whatever the loader
 * gave (an ELF as is, or a bzImage unpacked into a heap buffer).
 * hypervisor/kernel_image.c explains the rules.
 */
#ifndef SATORI_KERNEL_IMAGE_H
#define SATORI_KERNEL_IMAGE_H

#include <satori/compiler.h>
#include <satori/types.h>

struct kernel_image {
    const void *elf;                /* the ELF image to load */
    size_t len;
    void *buf;                      /* heap buffer holding it, or NULL */
    unsigned int order;             /* of buf */
};

/* "an ELF64 image", "an ELF32 image", "a bzImage", or NULL: for messages. */
const char *kernel_image_kind(const void *img, size_t len);

/*
 * Finds the ELF in img[0, len): 0, or -errno with one line naming `who` in
 * why. Pair every success with kernel_image_close().
 */
int __must_check kernel_image_open(struct kernel_image *k, const void *img, size_t len,
                                   const char *who, char *why, size_t why_len);
void kernel_image_close(struct kernel_image *k);

#endif
