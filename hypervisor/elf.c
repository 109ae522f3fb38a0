/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ELF64 reader of the PV domain builder: it validates a guest kernel
 * image held in memory, lists its loadable segments and reads its Xen ELF
 * notes. It owns nothing but the struct elf_image its caller passes; the
 * image itself is read-only input, possibly hostile (tests/fuzz/ fuzzes it).
 *
 * Model. elf_parse() checks the ELF header (ELF64, little-endian, x86-64,
 * EXEC or DYN), bounds-checks the program and section header tables, records
 * every loadable segment (PT_LOAD with any of R/W/X, as Xen's libelf counts
 * them) and reads the notes named "Xen": those in PT_NOTE segments, or, only
 * if these hold none, those in SHT_NOTE sections (libelf's order). Notes are
 * 12-byte headers with name and value each padded to 4 bytes. String notes
 * stay pointers into the image; numeric ones are 1, 2, 4 or 8 bytes. Unknown
 * note types are skipped; a repeated note overrides the earlier one.
 * elf_xen_check() then applies the rules of Xen 4.17's libelf-dominfo.c
 * (elf_xen_note_check, elf_xen_addr_calc_check) and its PV builder:
 *  - LOADER starts with "generic" or GUEST_OS with "linux";
 *  - XEN_VERSION starts with "xen-3.0";
 *  - PADDR_OFFSET needs VIRT_BASE; VIRT_BASE defaults to 0, PADDR_OFFSET to
 *    0 (notes, not the legacy __xen_guest section, which is unsupported);
 *  - the kernel occupies [lowest paddr, highest paddr + memsz) shifted by
 *    VIRT_BASE - PADDR_OFFSET (Xen loads by p_paddr, not p_vaddr); it must
 *    not start below VIRT_BASE, and the entry (ENTRY, else e_entry) lies in
 *    it, end included;
 *  - INIT_P2M, if given, lies outside the kernel.
 * FEATURES is '|'-separated; "!name" marks a required feature, which is also
 * supported. Only the names libelf knows count: an unknown required one
 * fails the parse, an unknown optional one is ignored. SUPPORTED_FEATURES
 * (a bitmap of 32-bit words) is or'd into the supported set.
 *
 * Deliberately stricter than Xen (a kernel that trips these is broken):
 * numeric notes of another size, string notes not NUL-terminated inside the
 * note or its padding to 4 bytes (Linux writes FEATURES without a NUL and
 * relies on the padding, as Xen's libelf reads it), and notes that overrun their segment or section are errors rather
 * than zero, a read past the note or a silent stop; HYPERCALL_PAGE must be
 * page-aligned and inside the kernel image; BSD_SYMTAB "yes" is refused
 * (not implemented); PAE_MODE is recorded but, as for Xen's 64-bit guests,
 * not checked. Which XENFEAT_* a dom0 may require is the builder's call.
 *
 * Invariants (tests/unit/test_elf.c checks each, by number):
 *  1. Nothing outside [data, data + size) is read, whatever the input; every
 *     offset + length from the file is checked, without overflow, first.
 *  2. On success, each segment's [file_offset, + file_size) lies in the
 *     image, file_size <= mem_size, and neither its vaddr nor its paddr
 *     range wraps or comes within a page of 2^64.
 *  3. On success, loadable segments overlap neither in vaddr nor in paddr,
 *     vstart <= every vaddr, every vaddr + mem_size <= vend, vend is page
 *     aligned, and 1 <= nr_seg <= ELF_MAX_SEGMENTS.
 *  4. Every non-NULL string note is NUL-terminated inside its note or the
 *     note's padding (which lies inside the segment or section).
 *  5. On failure the return value is negative and *why a one-line reason.
 *  6. elf_xen_check() is idempotent and fails on an image elf_parse() has
 *     not accepted.
 */
#include <satori/elf.h>
#include <satori/errno.h>
#include <satori/string.h>

#define EI_NIDENT 16
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PN_XNUM 0xffff
#define SHT_NOTE 7
#define PF_RWX 7

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64
#define NHDR_SIZE 12

/* The highest end address a range may have: its page round-up still fits. */
#define ADDR_END_MAX (UINT64_MAX & PAGE_MASK)

static uint64_t rd_le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)rd_le(p, 2); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd_le(p, 4); }
static uint64_t rd64(const uint8_t *p) { return rd_le(p, 8); }

/* Whether [off, off + len) lies within [0, size). */
static bool in_file(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static int fail(const char **why, const char *reason, int err)
{
    if (why)
        *why = reason;
    return err;
}

/* Reasons with numbers or names are composed in img->why_buf. */
static size_t why_str(struct elf_image *img, size_t len, const char *s)
{
    while (*s && len < sizeof(img->why_buf) - 1)
        img->why_buf[len++] = *s++;
    img->why_buf[len] = '\0';
    return len;
}

static size_t why_num(struct elf_image *img, size_t len, uint64_t n, bool hex)
{
    char digits[24];
    unsigned int i = sizeof(digits) - 1, base = hex ? 16 : 10;

    digits[i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[n % base];
        n /= base;
    } while (n);
    if (hex) {
        digits[--i] = 'x';
        digits[--i] = '0';
    }
    return why_str(img, len, digits + i);
}

/* "<a><n><b>" in img->why_buf. */
static const char *why_fmt(struct elf_image *img, const char *a, uint64_t n,
                           const char *b)
{
    why_str(img, why_num(img, why_str(img, 0, a), n, false), b);
    return img->why_buf;
}

static int check_ident(const uint8_t *d, size_t size, const char **why)
{
    if (size < 4 || memcmp(d, "\177ELF", 4))
        return fail(why, "not an ELF file", -ENOEXEC);
    if (size < EI_NIDENT)
        return fail(why, "ELF header truncated", -EINVAL);
    if (d[4] == ELFCLASS32)
        return fail(why, "32-bit ELF: Satori runs 64-bit PV guests only",
                    -ENOEXEC);
    if (d[4] != ELFCLASS64)
        return fail(why, "unknown ELF class", -ENOEXEC);
    if (d[5] != ELFDATA2LSB)
        return fail(why, "not a little-endian ELF", -ENOEXEC);
    if (d[6] != EV_CURRENT)
        return fail(why, "unknown ELF version", -ENOEXEC);
    if (size < EHDR_SIZE)
        return fail(why, "ELF header truncated", -EINVAL);
    return 0;
}

static int check_header(struct elf_image *img, const char **why)
{
    const uint8_t *d = img->data;
    uint16_t type = rd16(d + 16), machine = rd16(d + 18);
    uint64_t phoff = rd64(d + 32), shoff = rd64(d + 40);
    uint16_t phentsize = rd16(d + 54), phnum = rd16(d + 56);
    uint16_t shentsize = rd16(d + 58), shnum = rd16(d + 60);

    if (machine != EM_X86_64)
        return fail(why, why_fmt(img, "not an x86-64 ELF (machine ", machine,
                                 ")"), -ENOEXEC);
    if (type != ET_EXEC && type != ET_DYN)
        return fail(why, why_fmt(img, "ELF type ", type,
                                 " is not an executable"), -ENOEXEC);
    if (rd32(d + 20) != EV_CURRENT)
        return fail(why, "unknown ELF version", -ENOEXEC);
    if (phnum == 0)
        return fail(why, "no program headers", -EINVAL);
    if (phnum == PN_XNUM)
        return fail(why, "extended program header numbering is not supported",
                    -EINVAL);
    if (phentsize < PHDR_SIZE)
        return fail(why, "program header entries are too small", -EINVAL);
    if (!in_file(img->size, phoff, (uint64_t)phnum * phentsize))
        return fail(why, "program headers run past the end of the file",
                    -EINVAL);
    /* e_shnum 0 means none, or extended numbering: either way, unused. */
    if (shnum && shentsize < SHDR_SIZE)
        return fail(why, "section header entries are too small", -EINVAL);
    if (shnum && !in_file(img->size, shoff, (uint64_t)shnum * shentsize))
        return fail(why, "section headers run past the end of the file",
                    -EINVAL);
    img->entry = rd64(d + 24);
    return 0;
}

static const uint8_t *phdr(const struct elf_image *img, unsigned int i)
{
    uint64_t phoff = rd64(img->data + 32);

    return img->data + phoff + (uint64_t)i * rd16(img->data + 54);
}

static const uint8_t *shdr(const struct elf_image *img, unsigned int i)
{
    uint64_t shoff = rd64(img->data + 40);

    return img->data + shoff + (uint64_t)i * rd16(img->data + 58);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* Invariants 2 and 3 for segment s, program header number i. */
static int check_segment(struct elf_image *img, const struct elf_segment *s,
                         unsigned int i, const char **why)
{
    if (s->file_size > s->mem_size)
        return fail(why, why_fmt(img, "segment ", i,
                                 ": file size exceeds memory size"), -EINVAL);
    if (!in_file(img->size, s->file_offset, s->file_size))
        return fail(why, why_fmt(img, "segment ", i,
                                 " runs past the end of the file"), -EINVAL);
    if (s->vaddr > ADDR_END_MAX || s->mem_size > ADDR_END_MAX - s->vaddr ||
        s->paddr > ADDR_END_MAX || s->mem_size > ADDR_END_MAX - s->paddr)
        return fail(why, why_fmt(img, "segment ", i,
                                 " runs past the top of the address space"),
                    -EINVAL);
    for (unsigned int j = 0; j < img->nr_seg; j++) {
        const struct elf_segment *o = &img->seg[j];

        if (overlaps(s->vaddr, s->mem_size, o->vaddr, o->mem_size) ||
            overlaps(s->paddr, s->mem_size, o->paddr, o->mem_size))
            return fail(why, why_fmt(img, "segment ", i,
                                     " overlaps an earlier segment"), -EINVAL);
    }
    return 0;
}

static int parse_segments(struct elf_image *img, const char **why)
{
    unsigned int phnum = rd16(img->data + 56);
    uint64_t lo = UINT64_MAX, hi = 0;

    for (unsigned int i = 0; i < phnum; i++) {
        const uint8_t *p = phdr(img, i);
        struct elf_segment s = {
            .flags = rd32(p + 4), .file_offset = rd64(p + 8),
            .vaddr = rd64(p + 16), .paddr = rd64(p + 24),
            .file_size = rd64(p + 32), .mem_size = rd64(p + 40),
        };
        int rc;

        if (rd32(p) == PT_NOTE && s.file_offset &&
            !in_file(img->size, s.file_offset, s.file_size))
            return fail(why, why_fmt(img, "note segment ", i,
                                     " runs past the end of the file"),
                        -EINVAL);
        if (rd32(p) != PT_LOAD || !(s.flags & PF_RWX))
            continue;
        if (img->nr_seg == ELF_MAX_SEGMENTS)
            return fail(why, why_fmt(img, "more than ", ELF_MAX_SEGMENTS,
                                     " loadable segments"), -EINVAL);
        rc = check_segment(img, &s, i, why);
        if (rc)
            return rc;
        img->seg[img->nr_seg++] = s;
        lo = MIN(lo, s.vaddr);
        hi = MAX(hi, s.vaddr + s.mem_size);
    }
    if (img->nr_seg == 0)
        return fail(why, "no loadable segments", -EINVAL);
    img->vstart = lo;
    img->vend = ALIGN_UP(hi, PAGE_SIZE);
    return 0;
}

enum note_kind { NOTE_IGNORED, NOTE_STR, NOTE_NUM, NOTE_PAIR, NOTE_BITMAP };

#define STR(field) NOTE_STR, __builtin_offsetof(struct xen_elfnotes, field)
#define NUM(field) NOTE_NUM, __builtin_offsetof(struct xen_elfnotes, field)

static const struct {
    const char *name;
    enum note_kind kind;
    size_t offset;                  /* of the field in struct xen_elfnotes */
} note_desc[XEN_ELFNOTE_MAX + 1] = {
    [XEN_ELFNOTE_ENTRY] = { "ENTRY", NUM(entry) },
    [XEN_ELFNOTE_HYPERCALL_PAGE] = { "HYPERCALL_PAGE", NUM(hypercall_page) },
    [XEN_ELFNOTE_VIRT_BASE] = { "VIRT_BASE", NUM(virt_base) },
    [XEN_ELFNOTE_PADDR_OFFSET] = { "PADDR_OFFSET", NUM(paddr_offset) },
    [XEN_ELFNOTE_XEN_VERSION] = { "XEN_VERSION", STR(xen_version) },
    [XEN_ELFNOTE_GUEST_OS] = { "GUEST_OS", STR(guest_os) },
    [XEN_ELFNOTE_GUEST_VERSION] = { "GUEST_VERSION", STR(guest_version) },
    [XEN_ELFNOTE_LOADER] = { "LOADER", STR(loader) },
    [XEN_ELFNOTE_PAE_MODE] = { "PAE_MODE", STR(pae_mode) },
    [XEN_ELFNOTE_FEATURES] = { "FEATURES", STR(features) },
    [XEN_ELFNOTE_BSD_SYMTAB] = { "BSD_SYMTAB", STR(bsd_symtab) },
    [XEN_ELFNOTE_HV_START_LOW] = { "HV_START_LOW", NUM(hv_start_low) },
    [XEN_ELFNOTE_L1_MFN_VALID] = { "L1_MFN_VALID", NOTE_PAIR, 0 },
    [XEN_ELFNOTE_SUSPEND_CANCEL] = { "SUSPEND_CANCEL", NUM(suspend_cancel) },
    [XEN_ELFNOTE_INIT_P2M] = { "INIT_P2M", NUM(init_p2m) },
    [XEN_ELFNOTE_MOD_START_PFN] = { "MOD_START_PFN", NUM(mod_start_pfn) },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_BITMAP, 0 },
    [XEN_ELFNOTE_PHYS32_ENTRY] = { "PHYS32_ENTRY", NUM(phys32_entry) },
};

#undef STR
#undef NUM

/* The FEATURES names libelf knows, by XENFEAT_* number. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

_Static_assert(ARRAY_SIZE(feature_names) <= 32 * XENFEAT_NR_SUBMAPS,
               "feature bits fit the submaps");

static int bad_note(struct elf_image *img, unsigned int type, const char *what,
                    const char **why)
{
    why_str(img, why_str(img, why_str(img, 0, "ELF note "),
                         note_desc[type].name), what);
    return fail(why, img->why_buf, -EINVAL);
}

/* One FEATURES token [tok, tok + len); "!" marks it required. */
static int parse_feature(struct elf_image *img, const char *tok, size_t len,
                         const char **why)
{
    bool required = len && tok[0] == '!';
    struct xen_elfnotes *n = &img->notes;
    size_t l;

    if (required) {
        tok++;
        len--;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(feature_names); i++) {
        if (!feature_names[i] || strlen(feature_names[i]) != len ||
            memcmp(feature_names[i], tok, len))
            continue;
        n->feat_supported[i / 32] |= 1U << (i % 32);
        if (required)
            n->feat_required[i / 32] |= 1U << (i % 32);
        return 0;
    }
    if (!required)
        return 0;                   /* an unknown optional feature: ignored */
    l = why_str(img, 0, "FEATURES requires an unknown feature: ");
    for (size_t i = 0; i < len && l < sizeof(img->why_buf) - 1; i++)
        img->why_buf[l++] = tok[i];
    img->why_buf[l] = '\0';
    return fail(why, img->why_buf, -EINVAL);
}

static int parse_features(struct elf_image *img, const char *s,
                          const char **why)
{
    while (*s) {
        size_t len = 0;
        int rc;

        while (s[len] && s[len] != '|')
            len++;
        rc = parse_feature(img, s, len, why);
        if (rc)
            return rc;
        s += len + (s[len] == '|');
    }
    return 0;
}

/* strsz: descsz plus the note's padding, where a string's NUL may lie. */
static int parse_xen_note(struct elf_image *img, unsigned int type,
                          const uint8_t *desc, uint32_t descsz, uint64_t strsz,
                          const char **why)
{
    struct xen_elfnotes *n = &img->notes;
    char *field;

    if (type > XEN_ELFNOTE_MAX || note_desc[type].kind == NOTE_IGNORED)
        return 0;
    field = (char *)n + note_desc[type].offset;
    switch (note_desc[type].kind) {
    case NOTE_STR:
        if (strnlen((const char *)desc, strsz) == strsz)
            return bad_note(img, type, " is not a NUL-terminated string", why);
        *(const char **)field = (const char *)desc;
        if (type == XEN_ELFNOTE_FEATURES) {
            int rc = parse_features(img, (const char *)desc, why);

            if (rc)
                return rc;
        }
        break;
    case NOTE_NUM:
        if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8)
            return bad_note(img, type, " is not a 1, 2, 4 or 8-byte number",
                            why);
        *(uint64_t *)field = rd_le(desc, descsz);
        break;
    case NOTE_PAIR:                 /* mask and value, two words */
        if (descsz != 8 && descsz != 16)
            return 0;               /* unused by any builder: tolerated */
        n->l1_mfn_valid[0] = rd_le(desc, descsz / 2);
        n->l1_mfn_valid[1] = rd_le(desc + descsz / 2, descsz / 2);
        break;
    case NOTE_BITMAP:
        if (descsz == 0 || descsz % 4)
            return bad_note(img, type, " is not an array of 32-bit words", why);
        for (unsigned int i = 0; i < XENFEAT_NR_SUBMAPS && i < descsz / 4; i++)
            n->feat_supported[i] |= rd32(desc + 4 * i);
        break;
    default:
        return 0;
    }
    n->present[type] = true;
    return 0;
}

/* Reads the notes in [off, off + len), already checked to lie in the file. */
static int parse_notes(struct elf_image *img, uint64_t off, uint64_t len,
                       unsigned int *nr_xen, const char **why)
{
    const uint8_t *d = img->data;
    uint64_t end = off + len;

    while (end - off >= NHDR_SIZE) {
        uint32_t namesz = rd32(d + off), descsz = rd32(d + off + 4);
        uint64_t name = off + NHDR_SIZE;
        uint64_t desc = name + ALIGN_UP((uint64_t)namesz, 4);
        int rc;

        /* No wrap: off <= size, far below 2^64 - 2^34 for any object. */
        if (desc > end || descsz > end - desc)
            return fail(why, "an ELF note runs past the end of its segment "
                             "or section", -EINVAL);
        if (namesz >= 4 && !memcmp(d + name, "Xen", 4)) {
            rc = parse_xen_note(img, rd32(d + off + 8), d + desc, descsz,
                                MIN(ALIGN_UP((uint64_t)descsz, 4), end - desc), why);
            if (rc)
                return rc;
            ++*nr_xen;
        }
        off = desc + ALIGN_UP((uint64_t)descsz, 4);
        if (off > end)
            break;
    }
    return 0;
}

static int find_notes(struct elf_image *img, const char **why)
{
    unsigned int phnum = rd16(img->data + 56), shnum = rd16(img->data + 60);
    unsigned int nr_xen = 0;
    int rc;

    for (unsigned int i = 0; i < phnum; i++) {
        const uint8_t *p = phdr(img, i);

        /* libelf skips these: some binutils leave p_offset 0 on notes. */
        if (rd32(p) != PT_NOTE || rd64(p + 8) == 0)
            continue;
        rc = parse_notes(img, rd64(p + 8), rd64(p + 32), &nr_xen, why);
        if (rc)
            return rc;
    }
    for (unsigned int i = 1; i < shnum && nr_xen == 0; i++) {
        const uint8_t *s = shdr(img, i);
        uint64_t off = rd64(s + 24), len = rd64(s + 32);

        if (rd32(s + 4) != SHT_NOTE)
            continue;
        if (!in_file(img->size, off, len))
            return fail(why, why_fmt(img, "note section ", i,
                                     " runs past the end of the file"),
                        -EINVAL);
        rc = parse_notes(img, off, len, &nr_xen, why);
        if (rc)
            return rc;
    }
    img->has_xen_notes = nr_xen > 0;
    return 0;
}

int elf_parse(const void *data, size_t size, struct elf_image *img,
              const char **why)
{
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->size = size;
    rc = check_ident(img->data, size, why);
    if (!rc)
        rc = check_header(img, why);
    if (!rc)
        rc = parse_segments(img, why);
    if (!rc)
        rc = find_notes(img, why);
    if (rc)
        img->nr_seg = 0;            /* elf_xen_check() refuses it (inv. 6) */
    return rc;
}

static int check_strings(struct elf_image *img, const char **why)
{
    const struct xen_elfnotes *n = &img->notes;

    if ((!n->loader || strncmp(n->loader, "generic", 7)) &&
        (!n->guest_os || strncmp(n->guest_os, "linux", 5)))
        return fail(why, "neither LOADER \"generic\" nor GUEST_OS \"linux\": "
                         "not a kernel for Xen's loader", -ENOEXEC);
    if (!n->xen_version || strncmp(n->xen_version, "xen-3.0", 7))
        return fail(why, "XEN_VERSION is not \"xen-3.0\"", -ENOEXEC);
    if (n->bsd_symtab && !strcmp(n->bsd_symtab, "yes"))
        return fail(why, "BSD_SYMTAB is not supported", -ENOEXEC);
    return 0;
}

/* "<what> 0x<addr><rest>" */
static const char *why_addr(struct elf_image *img, const char *what,
                            uint64_t addr, const char *rest)
{
    size_t len = why_str(img, why_str(img, 0, what), " ");

    why_str(img, why_num(img, len, addr, true), rest);
    return img->why_buf;
}

/* Where the kernel lies, as Xen has it: [pstart, pend) + virt_offset. */
static int kernel_range(struct elf_image *img, uint64_t *kstart,
                        uint64_t *kend, const char **why)
{
    struct xen_elfnotes *n = &img->notes;
    uint64_t pstart = UINT64_MAX, pend = 0, off;

    for (unsigned int i = 0; i < img->nr_seg; i++) {
        pstart = MIN(pstart, img->seg[i].paddr);
        pend = MAX(pend, img->seg[i].paddr + img->seg[i].mem_size);
    }
    if (n->present[XEN_ELFNOTE_PADDR_OFFSET] &&
        !n->present[XEN_ELFNOTE_VIRT_BASE])
        return fail(why, "PADDR_OFFSET set but VIRT_BASE unset", -EINVAL);
    if (!n->present[XEN_ELFNOTE_VIRT_BASE])
        n->virt_base = 0;
    if (!n->present[XEN_ELFNOTE_PADDR_OFFSET])
        n->paddr_offset = 0;
    off = n->virt_base - n->paddr_offset;         /* wraps, as in Xen */
    *kstart = pstart + off;
    *kend = *kstart + (pend - pstart);
    if (*kstart > ADDR_END_MAX || pend - pstart > ADDR_END_MAX - *kstart)
        return fail(why, why_addr(img, "the kernel at", *kstart,
                                  " runs past the top of the address space"),
                    -EINVAL);
    if (n->virt_base > *kstart)
        return fail(why, why_addr(img, "the kernel at", *kstart,
                                  " lies below VIRT_BASE"), -EINVAL);
    img->virt_offset = off;
    return 0;
}

int elf_xen_check(struct elf_image *img, const char **why)
{
    struct xen_elfnotes *n = &img->notes;
    uint64_t kstart, kend, entry, hc = n->hypercall_page;
    int rc;

    if (img->nr_seg == 0)
        return fail(why, "not a parsed ELF image", -EINVAL);
    if (!img->has_xen_notes)
        return fail(why, "no Xen ELF notes: not a PV kernel", -ENOEXEC);
    rc = check_strings(img, why);
    if (!rc)
        rc = kernel_range(img, &kstart, &kend, why);
    if (rc)
        return rc;
    entry = n->present[XEN_ELFNOTE_ENTRY] ? n->entry : rd64(img->data + 24);
    if (entry < kstart || entry > kend)
        return fail(why, why_addr(img, "entry point", entry,
                                  " lies outside the kernel"), -EINVAL);
    if (n->present[XEN_ELFNOTE_INIT_P2M] && n->init_p2m >= kstart &&
        n->init_p2m < kend)
        return fail(why, why_addr(img, "INIT_P2M", n->init_p2m,
                                  " lies inside the kernel"), -EINVAL);
    if (n->present[XEN_ELFNOTE_HYPERCALL_PAGE] &&
        (!IS_ALIGNED(hc, PAGE_SIZE) || hc < kstart || hc >= kend))
        return fail(why, why_addr(img, "HYPERCALL_PAGE", hc,
                                  " is not a page of the kernel"), -EINVAL);
    n->entry = entry;
    img->entry = entry;
    img->vstart = kstart;
    img->vend = ALIGN_UP(kend, PAGE_SIZE);
    return 0;
}
