/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF64 parser the PV domain builder uses on a guest kernel image held
 * in memory: it validates the headers, lists the loadable segments and reads
 * the Xen ELF notes (include/public/elfnote.h). Pure logic; hypervisor/elf.c
 * explains the rules.
 */
#ifndef SATORI_ELF_H
#define SATORI_ELF_H

#include <satori/compiler.h>
#include <satori/types.h>
#include <public/elfnote.h>
#include <public/features.h>

/* One loadable (PT_LOAD with any of R/W/X) program header. */
struct elf_segment {
    uint64_t vaddr, paddr, file_offset, file_size, mem_size;
    uint32_t flags;                         /* PF_X 1, PF_W 2, PF_R 4 */
};
#define ELF_MAX_SEGMENTS 16

struct xen_elfnotes {
    /* String notes: NUL-terminated inside the note, in the image; or NULL. */
    const char *guest_os, *guest_version, *xen_version, *loader, *features,
        *pae_mode, *bsd_symtab;
    /* Numeric notes (1, 2, 4 or 8 bytes, little-endian), valid if present[]. */
    uint64_t entry, hypercall_page, virt_base, paddr_offset, hv_start_low,
        init_p2m, suspend_cancel, mod_start_pfn, phys32_entry;
    uint64_t l1_mfn_valid[2];               /* mask, value */
    bool present[XEN_ELFNOTE_MAX + 1];      /* indexed by XEN_ELFNOTE_* */
    /* FEATURES ("!name" = required) or'd with SUPPORTED_FEATURES. */
    uint32_t feat_supported[XENFEAT_NR_SUBMAPS];
    uint32_t feat_required[XENFEAT_NR_SUBMAPS];
};

struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;                         /* e_entry; after elf_xen_check,
                                               the resolved entry */
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    unsigned int nr_seg;
    /*
     * Lowest and highest (exclusive, page-rounded up) virtual address of the
     * loadable segments. elf_xen_check() recomputes them as Xen does, from
     * the physical addresses: segment i then loads at virtual address
     * seg[i].paddr + virt_offset.
     */
    uint64_t vstart, vend;
    uint64_t virt_offset;                   /* virt_base - paddr_offset */
    struct xen_elfnotes notes;
    bool has_xen_notes;
    char why_buf[80];                       /* backs *why with numbers */
};

/*
 * Parses the ELF64 x86-64 image [data, data + size) into *img; reads nothing
 * outside it. Returns 0, or -ENOEXEC / -EINVAL with *why set to a one-line
 * reason (which may point into img, so keep img while using it). Succeeds
 * on a plain ELF without Xen notes (has_xen_notes false).
 */
int __must_check elf_parse(const void *data, size_t size, struct elf_image *img,
                           const char **why);

/*
 * Checks a parsed image is a PV kernel Xen's builder would load and resolves
 * the defaults (virt_base, paddr_offset, entry) into img->notes and img.
 * Returns 0 or -ENOEXEC / -EINVAL with *why set.
 */
int __must_check elf_xen_check(struct elf_image *img, const char **why);

/* Whether the image declares (or requires) XENFEAT_* number nr. */
static inline bool elf_feature_supported(const struct elf_image *img,
                                         unsigned int nr)
{
    return nr < 32 * XENFEAT_NR_SUBMAPS &&
           (img->notes.feat_supported[nr / 32] >> (nr % 32)) & 1;
}

static inline bool elf_feature_required(const struct elf_image *img,
                                        unsigned int nr)
{
    return nr < 32 * XENFEAT_NR_SUBMAPS &&
           (img->notes.feat_required[nr / 32] >> (nr % 32)) & 1;
}

#endif
