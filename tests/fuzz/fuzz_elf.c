/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target of the ELF kernel parser (hypervisor/elf.c): any input
 * must parse or fail with a reason, never read outside itself (ASan), and
 * what parses must keep the invariants elf.c states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <satori/elf.h>

#define MUST(c) do { if (!(c)) { fprintf(stderr, "broken: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    const char *why = NULL;
    uint64_t entry;

    if (elf_parse(data, size, &img, &why)) {
        MUST(why && why[0]);
        MUST(elf_xen_check(&img, &why) < 0);
        return 0;
    }
    MUST(img.nr_seg >= 1 && img.nr_seg <= ELF_MAX_SEGMENTS);
    for (unsigned int i = 0; i < img.nr_seg; i++) {
        const struct elf_segment *s = &img.seg[i];

        MUST(s->file_offset <= size && s->file_size <= size - s->file_offset);
        MUST(s->file_size <= s->mem_size);
        MUST(s->vaddr >= img.vstart && s->vaddr + s->mem_size <= img.vend);
    }
    why = NULL;
    if (elf_xen_check(&img, &why)) {
        MUST(why && why[0]);
        return 0;
    }
    MUST(img.entry >= img.vstart && img.entry <= img.vend);
    entry = img.entry;
    MUST(elf_xen_check(&img, &why) == 0 && img.entry == entry);
    return 0;
}
