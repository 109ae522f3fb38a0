/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the ELF64 kernel parser (hypervisor/elf.c): a Linux-like PV
 * kernel image assembled here byte by byte, its notes (strings, numbers of
 * each size, FEATURES), where notes are looked for, every rejection with its
 * reason, Xen's defaults and checks, every truncation and random corruption
 * of a valid image (each copied to a buffer of its exact size, so ASan sees
 * any read past it), and build/satori as a real ELF without Xen notes.
 * `test_elf --write-seed DIR` writes the valid images as a fuzzing corpus.
 */
#include <errno.h>

#include <satori/elf.h>

#include "check.h"

#define KBASE 0xffffffff80000000ULL     /* VIRT_BASE, as Linux's */
#define KPHYS 0x1000000ULL              /* 16 MiB */
#define KVIRT (KBASE + KPHYS)
#define TEXT_OFF 0x400
#define TEXT_FILESZ 0x200
#define TEXT_MEMSZ 0x2000
#define DATA_OFF 0x600
#define DATA_FILESZ 0x100
#define DATA_MEMSZ 0x3000
#define NOTES_OFF 0x100
#define IMG_MAX 0x2000

struct note {
    const char *name;           /* NULL ends a list */
    uint32_t type;
    const void *desc;
    uint32_t descsz;
};

/* Default image: Linux-like notes in a PT_NOTE; two PT_LOADs. */
struct spec {
    const struct note *notes;   /* NULL: linux_notes */
    bool no_pt_note;            /* no PT_NOTE program header */
    bool shdrs;                 /* section headers: [1] SHT_NOTE */
    const struct note *sect_notes;  /* notes of the section; NULL: same */
};

static const uint64_t v_base = KBASE, v_entry = KVIRT + 0x10,
                      v_hcall = KVIRT + 0x1000, v_p2m = 0x8000000000ULL,
                      v_zero = 0, v_l1[2] = { 1, 1 };
static const uint32_t v_one = 1, v_supported = 1U << XENFEAT_dom0;
#define S(s) s, sizeof(s)
#define U(v) &(v), sizeof(v)

static const struct note linux_notes[] = {
    { "Xen", XEN_ELFNOTE_GUEST_OS, S("linux") },
    { "Xen", XEN_ELFNOTE_GUEST_VERSION, S("2.6") },
    { "Xen", XEN_ELFNOTE_XEN_VERSION, S("xen-3.0") },
    { "Xen", XEN_ELFNOTE_VIRT_BASE, U(v_base) },
    { "Xen", XEN_ELFNOTE_INIT_P2M, U(v_p2m) },
    { "Xen", XEN_ELFNOTE_ENTRY, U(v_entry) },
    { "Xen", XEN_ELFNOTE_HYPERCALL_PAGE, U(v_hcall) },
    { "Xen", XEN_ELFNOTE_FEATURES, S("!writable_page_tables|pae_pgdir_above_4gb") },
    { "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, U(v_supported) },
    { "Xen", XEN_ELFNOTE_PAE_MODE, S("yes") },
    { "Xen", XEN_ELFNOTE_L1_MFN_VALID, v_l1, sizeof(v_l1) },
    { "Xen", XEN_ELFNOTE_LOADER, S("generic") },
    { "Xen", XEN_ELFNOTE_SUSPEND_CANCEL, U(v_one) },
    { "Xen", XEN_ELFNOTE_MOD_START_PFN, U(v_one) },
    { "Xen", XEN_ELFNOTE_PADDR_OFFSET, U(v_zero) },
    { "GNU", 3, S("build-id") },
    { NULL, 0, NULL, 0 },
};

static uint8_t img_buf[IMG_MAX];

static void put(uint8_t *b, size_t off, uint64_t v, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *b, size_t off, unsigned int n)
{
    uint64_t v = 0;

    for (unsigned int i = n; i--;)
        v = (v << 8) | b[off + i];
    return v;
}

static size_t put_notes(uint8_t *b, size_t off, const struct note *n)
{
    size_t start = off;

    for (; n->name; n++) {
        uint32_t namesz = (uint32_t)strlen(n->name) + 1;

        put(b, off, namesz, 4);
        put(b, off + 4, n->descsz, 4);
        put(b, off + 8, n->type, 4);
        memcpy(b + off + 12, n->name, namesz);
        off += 12 + ((namesz + 3) & ~3U);
        memcpy(b + off, n->desc, n->descsz);
        off += (n->descsz + 3) & ~3U;
    }
    return off - start;
}

static void put_phdr(uint8_t *b, unsigned int i, uint32_t type, uint32_t flags,
                     uint64_t off, uint64_t vaddr, uint64_t paddr,
                     uint64_t filesz, uint64_t memsz)
{
    size_t p = 64 + 56 * i;

    put(b, p, type, 4);
    put(b, p + 4, flags, 4);
    put(b, p + 8, off, 8);
    put(b, p + 16, vaddr, 8);
    put(b, p + 24, paddr, 8);
    put(b, p + 32, filesz, 8);
    put(b, p + 40, memsz, 8);
    put(b, p + 48, 0x1000, 8);
}

/* Assembles the image described by s into img_buf; returns its size. */
static size_t build(const struct spec *s)
{
    uint8_t *b = img_buf;
    const struct note *notes = s->notes ? s->notes : linux_notes;
    size_t notes_len, size = DATA_OFF + DATA_FILESZ;
    unsigned int phnum = 2;

    memset(b, 0, sizeof(img_buf));
    memcpy(b, "\177ELF\2\1\1", 7);
    put(b, 16, 2, 2);                           /* ET_EXEC */
    put(b, 18, 62, 2);                          /* EM_X86_64 */
    put(b, 20, 1, 4);
    put(b, 24, v_entry, 8);
    put(b, 32, 64, 8);                          /* e_phoff */
    put(b, 52, 64, 2);
    put(b, 54, 56, 2);
    notes_len = put_notes(b, NOTES_OFF, notes);
    if (notes_len > TEXT_OFF - NOTES_OFF)
        abort();
    put_phdr(b, 0, 1, 5, TEXT_OFF, KVIRT, KPHYS, TEXT_FILESZ, TEXT_MEMSZ);
    put_phdr(b, 1, 1, 6, DATA_OFF, KVIRT + TEXT_MEMSZ, KPHYS + TEXT_MEMSZ,
             DATA_FILESZ, DATA_MEMSZ);
    if (!s->no_pt_note)
        put_phdr(b, phnum++, 4, 4, NOTES_OFF, 0, 0, notes_len, notes_len);
    put(b, 56, phnum, 2);
    memset(b + TEXT_OFF, 0x90, TEXT_FILESZ);
    memset(b + DATA_OFF, 0xdd, DATA_FILESZ);
    if (s->shdrs) {
        size_t sn = size, sh = (sn + put_notes(b, sn, s->sect_notes ?
                                               s->sect_notes : notes) + 7) & ~7UL;

        put(b, 40, sh, 8);                      /* e_shoff */
        put(b, 58, 64, 2);
        put(b, 60, 2, 2);                       /* null + .notes */
        put(b, sh + 64 + 4, 7, 4);              /* SHT_NOTE */
        put(b, sh + 64 + 24, sn, 8);
        put(b, sh + 64 + 32, sh - sn, 8);
        size = sh + 128;
    }
    return size;
}

static size_t build_default(void)
{
    return build(&(struct spec){ 0 });
}

/* Invariants 2-4 and 5 on the result of elf_parse() of size bytes. */
static void check_result(int rc, const struct elf_image *img, size_t size,
                         const char *why)
{
    if (rc) {
        CHECK(rc < 0 && why && why[0] && !strchr(why, '\n'));    /* 5 */
        return;
    }
    CHECK(img->nr_seg >= 1 && img->nr_seg <= ELF_MAX_SEGMENTS);   /* 3 */
    CHECK(img->vend % PAGE_SIZE == 0);
    for (unsigned int i = 0; i < img->nr_seg; i++) {
        const struct elf_segment *s = &img->seg[i];

        CHECK(s->file_offset <= size && s->file_size <= size - s->file_offset);
        CHECK(s->file_size <= s->mem_size);                        /* 2 */
        CHECK(s->vaddr + s->mem_size >= s->vaddr);
        CHECK(s->paddr + s->mem_size >= s->paddr);
        CHECK(s->vaddr >= img->vstart && s->vaddr + s->mem_size <= img->vend);
        for (unsigned int j = 0; j < i; j++) {                     /* 3 */
            const struct elf_segment *o = &img->seg[j];

            if (!s->mem_size || !o->mem_size)
                continue;
            CHECK(s->vaddr + s->mem_size <= o->vaddr ||
                  o->vaddr + o->mem_size <= s->vaddr);
            CHECK(s->paddr + s->mem_size <= o->paddr ||
                  o->paddr + o->mem_size <= s->paddr);
        }
    }
    const char *strs[] = { img->notes.guest_os, img->notes.guest_version,
                           img->notes.xen_version, img->notes.loader,
                           img->notes.features, img->notes.pae_mode,
                           img->notes.bsd_symtab };
    for (unsigned int i = 0; i < ARRAY_SIZE(strs); i++) {          /* 4 */
        const uint8_t *p = (const uint8_t *)strs[i];

        if (!p)
            continue;
        CHECK(p >= img->data && p < img->data + size);
        CHECK(memchr(p, 0, (size_t)(img->data + size - p)));
    }
}

/* Parses a copy of [b, b + size) of exactly that size; checks invariants. */
static int parse_copy(const uint8_t *b, size_t size, int *xen_rc)
{
    uint8_t *copy = malloc(size ? size : 1);
    struct elf_image img;
    const char *why = NULL;
    int rc;

    memcpy(copy, b, size);
    rc = elf_parse(copy, size, &img, &why);
    check_result(rc, &img, size, why);
    if (xen_rc) {
        why = NULL;
        *xen_rc = elf_xen_check(&img, &why);
        if (*xen_rc && !(why && why[0]))
            check_fail(__FILE__, __LINE__, "elf_xen_check gave no reason");
    }
    free(copy);
    return rc;
}

/* Expects elf_parse of img_buf to fail with err and a reason containing s. */
static void expect_parse_fail(size_t size, int err, const char *s)
{
    struct elf_image img;
    const char *why = NULL;
    int rc = elf_parse(img_buf, size, &img, &why);

    if (rc != err || !why || !strstr(why, s))
        printf("# got %d \"%s\", expected %d \"%s\"\n", rc, why ? why : "",
               err, s);
    CHECK(rc == err);
    CHECK(why && strstr(why, s));
    CHECK(elf_xen_check(&img, &why) == -EINVAL);                   /* 6 */
}

static void expect_check_fail(size_t size, int err, const char *s)
{
    struct elf_image img;
    const char *why = NULL;

    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    int rc = elf_xen_check(&img, &why);
    if (rc != err || !why || !strstr(why, s))
        printf("# got %d \"%s\", expected %d \"%s\"\n", rc, why ? why : "",
               err, s);
    CHECK(rc == err);
    CHECK(why && strstr(why, s));
}

static void test_linux_like(void)
{
    size_t size = build_default();
    struct elf_image img;
    const struct xen_elfnotes *n = &img.notes;
    const char *why = NULL;

    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK_CALL(check_result(0, &img, size, NULL));
    CHECK(img.nr_seg == 2 && img.has_xen_notes);
    CHECK(img.seg[0].vaddr == KVIRT && img.seg[0].paddr == KPHYS);
    CHECK(img.seg[0].file_offset == TEXT_OFF && img.seg[0].file_size == TEXT_FILESZ);
    CHECK(img.seg[0].mem_size == TEXT_MEMSZ && img.seg[0].flags == 5);
    CHECK(img.seg[1].vaddr == KVIRT + TEXT_MEMSZ && img.seg[1].flags == 6);
    CHECK(img.vstart == KVIRT && img.vend == KVIRT + TEXT_MEMSZ + DATA_MEMSZ);
    CHECK(img.entry == v_entry);
    CHECK(!strcmp(n->guest_os, "linux") && !strcmp(n->guest_version, "2.6"));
    CHECK(!strcmp(n->xen_version, "xen-3.0") && !strcmp(n->loader, "generic"));
    CHECK(!strcmp(n->pae_mode, "yes") && n->bsd_symtab == NULL);
    CHECK(n->virt_base == KBASE && n->entry == v_entry);
    CHECK(n->hypercall_page == v_hcall && n->init_p2m == v_p2m);
    CHECK(n->suspend_cancel == 1 && n->mod_start_pfn == 1);
    CHECK(n->l1_mfn_valid[0] == 1 && n->l1_mfn_valid[1] == 1);
    CHECK(n->present[XEN_ELFNOTE_PADDR_OFFSET] && n->paddr_offset == 0);
    CHECK(!n->present[XEN_ELFNOTE_HV_START_LOW] && !n->present[0]);
    CHECK(elf_feature_required(&img, XENFEAT_writable_page_tables));
    CHECK(elf_feature_supported(&img, XENFEAT_writable_page_tables));
    CHECK(elf_feature_supported(&img, XENFEAT_pae_pgdir_above_4gb));
    CHECK(!elf_feature_required(&img, XENFEAT_pae_pgdir_above_4gb));
    CHECK(elf_feature_supported(&img, XENFEAT_dom0));     /* from the bitmap */
    CHECK(!elf_feature_supported(&img, XENFEAT_auto_translated_physmap));
    CHECK(!elf_feature_supported(&img, 1000));
    CHECK(elf_xen_check(&img, &why) == 0);
    CHECK(img.virt_offset == KBASE && img.entry == v_entry);
    CHECK(img.vstart == KVIRT && img.vend == KVIRT + TEXT_MEMSZ + DATA_MEMSZ);
    CHECK(elf_xen_check(&img, &why) == 0);                         /* 6 */
    CHECK(img.vstart == KVIRT && img.entry == v_entry);
}

/* Numeric notes of 1, 2, 4 and 8 bytes; other sizes are refused. */
static void test_numeric_sizes(void)
{
    static const uint8_t raw[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    static const uint64_t want[9] = { [1] = 0x11, [2] = 0x2211, [4] = 0x44332211,
                                      [8] = 0x8877665544332211ULL };

    for (uint32_t sz = 0; sz <= 8; sz++) {
        const struct note notes[] = {
            { "Xen", XEN_ELFNOTE_MOD_START_PFN, raw, sz },
            { NULL, 0, NULL, 0 },
        };
        size_t size = build(&(struct spec){ .notes = notes });
        struct elf_image img;
        const char *why = NULL;
        int rc = elf_parse(img_buf, size, &img, &why);

        if (want[sz] || sz == 0) {
            CHECK(sz == 0 ? rc == -EINVAL : rc == 0);
        } else {
            CHECK(rc == -EINVAL);
        }
        if (rc) {
            CHECK(!strcmp(why, "ELF note MOD_START_PFN is not a 1, 2, 4 or "
                               "8-byte number"));
            continue;
        }
        CHECK(img.notes.present[XEN_ELFNOTE_MOD_START_PFN]);
        CHECK(img.notes.mod_start_pfn == want[sz]);
    }
}

static void test_strings(void)
{
    const struct note bad[] = {
        { "Xen", XEN_ELFNOTE_GUEST_OS, "linu", 4 },     /* no NUL, no padding */
        { NULL, 0, NULL, 0 },
    };
    const struct note empty[] = {
        { "Xen", XEN_ELFNOTE_GUEST_OS, "", 0 },
        { NULL, 0, NULL, 0 },
    };
    const struct note padded[] = {  /* Linux's FEATURES: the NUL is padding */
        { "Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", 41 },
        { "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 5 },
        { NULL, 0, NULL, 0 },
    };
    const struct note twice[] = {   /* the last one wins; NUL mid-desc ok */
        { "Xen", XEN_ELFNOTE_GUEST_OS, S("first") },
        { "Xen", XEN_ELFNOTE_GUEST_OS, "second\0junk", 11 },
        { NULL, 0, NULL, 0 },
    };
    struct elf_image img;
    const char *why;

    CHECK_CALL(expect_parse_fail(build(&(struct spec){ .notes = bad }), -EINVAL,
                                 "ELF note GUEST_OS is not a NUL-terminated string"));
    CHECK_CALL(expect_parse_fail(build(&(struct spec){ .notes = empty }), -EINVAL,
                                 "GUEST_OS is not a NUL-terminated"));
    CHECK(elf_parse(img_buf, build(&(struct spec){ .notes = twice }), &img,
                    &why) == 0);
    CHECK(!strcmp(img.notes.guest_os, "second"));
    CHECK(elf_parse(img_buf, build(&(struct spec){ .notes = padded }), &img,
                    &why) == 0);
    CHECK(!strcmp(img.notes.guest_os, "linux"));
    CHECK(!strcmp(img.notes.features, "!writable_page_tables|pae_pgdir_above_4gb"));
}

struct feat_case {
    const char *s;
    int rc;
    uint32_t sup, req;
};

static void test_features(void)
{
    static const struct feat_case cases[] = {
        { "", 0, 0, 0 },
        { "writable_page_tables", 0, 1, 0 },
        { "!writable_page_tables|dom0", 0, 1 | 1U << 11, 1 },
        { "|!auto_translated_physmap||supervisor_mode_kernel|", 0, 0xc, 0x4 },
        { "foo|bar|hvm_callback_vector", 0, 1U << 8, 0 },
        { "writable_descriptor_tables|!pae_pgdir_above_4gb", 0, 0x12, 0x10 },
        { "dom0x|!dom", -EINVAL, 0, 0 },
        { "!", -EINVAL, 0, 0 },
        { "!!dom0", -EINVAL, 0, 0 },
        { "mmu_pt_update_preserve_ad", 0, 0, 0 },   /* unknown to libelf */
        { "Dom0", 0, 0, 0 },                        /* case matters */
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct feat_case *c = &cases[i];
        const struct note notes[] = {
            { "Xen", XEN_ELFNOTE_FEATURES, c->s, (uint32_t)strlen(c->s) + 1 },
            { NULL, 0, NULL, 0 },
        };
        size_t size = build(&(struct spec){ .notes = notes });
        struct elf_image img;
        const char *why = NULL;
        int rc = elf_parse(img_buf, size, &img, &why);

        if (rc != c->rc)
            printf("# FEATURES \"%s\": %d %s\n", c->s, rc, why ? why : "");
        CHECK(rc == c->rc);
        if (rc) {
            CHECK(strstr(why, "FEATURES requires an unknown feature: "));
            continue;
        }
        CHECK(img.notes.feat_supported[0] == c->sup);
        CHECK(img.notes.feat_required[0] == c->req);
        CHECK(!strcmp(img.notes.features, c->s));
    }
    /* The offending name is in the reason. */
    const struct note unk[] = {
        { "Xen", XEN_ELFNOTE_FEATURES, S("dom0|!frobnicate|x") },
        { NULL, 0, NULL, 0 },
    };
    CHECK_CALL(expect_parse_fail(build(&(struct spec){ .notes = unk }), -EINVAL,
                                 "unknown feature: frobnicate"));
    /* SUPPORTED_FEATURES must be 32-bit words. */
    const struct note bm[] = {
        { "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, "\1\0\0", 3 },
        { NULL, 0, NULL, 0 },
    };
    CHECK_CALL(expect_parse_fail(build(&(struct spec){ .notes = bm }), -EINVAL,
                                 "SUPPORTED_FEATURES is not an array"));
}

/* Notes in SHT_NOTE sections count only when no PT_NOTE holds Xen notes. */
static void test_note_sources(void)
{
    static const struct note other[] = {
        { "Xen", XEN_ELFNOTE_GUEST_OS, S("other") },
        { NULL, 0, NULL, 0 },
    };
    static const struct note gnu_only[] = {
        { "GNU", XEN_ELFNOTE_GUEST_OS, S("gnu") },
        { "Xe", XEN_ELFNOTE_GUEST_OS, S("xe") },
        { "Xenon", XEN_ELFNOTE_GUEST_OS, S("xenon") },
        { NULL, 0, NULL, 0 },
    };
    struct elf_image img;
    const char *why;
    size_t size;

    size = build(&(struct spec){ .shdrs = true, .sect_notes = other });
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(!strcmp(img.notes.guest_os, "linux"));           /* PT_NOTE wins */

    size = build(&(struct spec){ .shdrs = true, .no_pt_note = true });
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(img.has_xen_notes && !strcmp(img.notes.guest_os, "linux"));
    CHECK(elf_xen_check(&img, &why) == 0);

    /* A PT_NOTE without Xen notes: the sections are read. */
    size = build(&(struct spec){ .notes = gnu_only, .shdrs = true,
                                 .sect_notes = linux_notes });
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(img.has_xen_notes && !strcmp(img.notes.guest_os, "linux"));

    /* A PT_NOTE at offset 0 is skipped, as libelf does. */
    size = build_default();
    put(img_buf, 64 + 2 * 56 + 8, 0, 8);
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(!img.has_xen_notes);

    /* Only the name "Xen" counts; unknown note types are skipped. */
    size = build(&(struct spec){ .notes = gnu_only });
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(!img.has_xen_notes && img.notes.guest_os == NULL);
    static const struct note unknown[] = {
        { "Xen", 99, S("x") },
        { "Xen", XEN_ELFNOTE_INFO, "", 1 },
        { "Xen", XEN_ELFNOTE_CRASH_INFO, "ab", 3 },
        { NULL, 0, NULL, 0 },
    };
    size = build(&(struct spec){ .notes = unknown });
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(img.has_xen_notes);
    for (unsigned int i = 0; i <= XEN_ELFNOTE_MAX; i++)
        CHECK(!img.notes.present[i]);
}

/* Every header rejection, with its reason. */
static void test_bad_headers(void)
{
    size_t size = build_default();

    CHECK_CALL(expect_parse_fail(0, -ENOEXEC, "not an ELF file"));
    img_buf[3] = 'G';
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "not an ELF file"));
    size = build_default();
    CHECK_CALL(expect_parse_fail(10, -EINVAL, "ELF header truncated"));
    CHECK_CALL(expect_parse_fail(63, -EINVAL, "ELF header truncated"));
    img_buf[4] = 1;
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC,
                                 "32-bit ELF: Satori runs 64-bit PV guests only"));
    img_buf[4] = 3;
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "unknown ELF class"));
    size = build_default();
    img_buf[5] = 2;
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "not a little-endian ELF"));
    size = build_default();
    img_buf[6] = 0;
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "unknown ELF version"));
    size = build_default();
    put(img_buf, 20, 2, 4);
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "unknown ELF version"));
    size = build_default();
    put(img_buf, 18, 3, 2);                                  /* EM_386 */
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "not an x86-64 ELF (machine 3)"));
    size = build_default();
    put(img_buf, 16, 1, 2);                                  /* ET_REL */
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "ELF type 1 is not an executable"));
    put(img_buf, 16, 4, 2);                                  /* ET_CORE */
    CHECK_CALL(expect_parse_fail(size, -ENOEXEC, "ELF type 4 is not"));
    put(img_buf, 16, 3, 2);                                  /* ET_DYN: ok */
    CHECK(parse_copy(img_buf, size, NULL) == 0);
    size = build_default();
    put(img_buf, 56, 0, 2);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "no program headers"));
    put(img_buf, 56, 0xffff, 2);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "extended program header"));
    size = build_default();
    put(img_buf, 54, 55, 2);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "program header entries are too small"));
    size = build_default();
    put(img_buf, 56, 0xfffe, 2);                             /* huge count */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "program headers run past the end"));
    size = build_default();
    put(img_buf, 32, size - 56 * 3 + 1, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "program headers run past the end"));
    put(img_buf, 32, UINT64_MAX - 8, 8);                     /* wraps */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "program headers run past the end"));
    size = build(&(struct spec){ .shdrs = true });
    put(img_buf, 60, 3, 2);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "section headers run past the end"));
    put(img_buf, 60, 2, 2);
    put(img_buf, 40, UINT64_MAX - 64, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "section headers run past the end"));
    size = build(&(struct spec){ .shdrs = true });
    put(img_buf, 58, 40, 2);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "section header entries are too small"));
    put(img_buf, 60, 0, 2);                 /* no sections: not looked at */
    CHECK(parse_copy(img_buf, size, NULL) == 0);
}

/* Every segment and note rejection, with its reason. */
static void test_bad_segments(void)
{
    size_t size = build_default(), p1 = 64 + 56, p2 = 64 + 112;

    put(img_buf, p1 + 32, DATA_FILESZ + 1, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 runs past the end of the file"));
    put(img_buf, p1 + 8, UINT64_MAX - 4, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 runs past the end of the file"));
    size = build_default();
    put(img_buf, p1 + 32, DATA_MEMSZ + 1, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1: file size exceeds memory size"));
    size = build_default();
    put(img_buf, p1 + 16, UINT64_MAX - 0x1000, 8);           /* vaddr wraps */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 runs past the top"));
    size = build_default();
    put(img_buf, p1 + 24, UINT64_MAX - 0x2000, 8);           /* paddr wraps */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 runs past the top"));
    size = build_default();
    put(img_buf, p1 + 16, KVIRT + TEXT_MEMSZ - 1, 8);        /* vaddr overlap */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 overlaps an earlier segment"));
    size = build_default();
    put(img_buf, p1 + 24, KPHYS - DATA_MEMSZ + 1, 8);        /* paddr overlap */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "segment 1 overlaps"));
    size = build_default();
    put(img_buf, 4 + p1, 0, 4);                              /* no R/W/X */
    put(img_buf, 4 + 64, 0, 4);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "no loadable segments"));
    put(img_buf, p1, 6, 4);                                  /* PT_PHDR */
    put(img_buf, 64, 0, 4);                                  /* PT_NULL */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "no loadable segments"));
    /* The PT_NOTE and the notes in it. */
    size = build_default();
    put(img_buf, p2 + 32, size, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "note segment 2 runs past the end"));
    size = build_default();
    put(img_buf, NOTES_OFF + 4, 0x1000, 4);                  /* descsz */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "an ELF note runs past the end"));
    put(img_buf, NOTES_OFF + 4, UINT32_MAX, 4);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "an ELF note runs past the end"));
    size = build_default();
    put(img_buf, NOTES_OFF, UINT32_MAX, 4);                  /* namesz */
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "an ELF note runs past the end"));
    size = build(&(struct spec){ .shdrs = true, .no_pt_note = true });
    put(img_buf, get(img_buf, 40, 8) + 64 + 32, size, 8);
    CHECK_CALL(expect_parse_fail(size, -EINVAL, "note section 1 runs past the end"));
}

/* Up to 16 loadable segments; a 17th is refused; empty ones are kept. */
static void test_many_segments(void)
{
    uint8_t *b = img_buf;
    size_t size = 64 + 56 * 20;

    for (unsigned int n = 1; n <= 17; n++) {
        struct elf_image img;
        const char *why = NULL;
        int rc;

        memset(b, 0, sizeof(img_buf));
        memcpy(b, "\177ELF\2\1\1", 7);
        put(b, 16, 2, 2);
        put(b, 18, 62, 2);
        put(b, 20, 1, 4);
        put(b, 32, 64, 8);
        put(b, 54, 56, 2);
        put(b, 56, n, 2);
        for (unsigned int i = 0; i < n; i++)
            put_phdr(b, i, 1, 4, 0, 0x100000 + 0x1000 * i, 0x100000 + 0x1000 * i,
                     0, i % 3 ? 0x1000 : 0);
        rc = elf_parse(b, size, &img, &why);
        if (n <= ELF_MAX_SEGMENTS) {
            CHECK(rc == 0 && img.nr_seg == n);
            CHECK_CALL(check_result(rc, &img, size, why));
        } else {
            CHECK(rc == -EINVAL && !strcmp(why, "more than 16 loadable segments"));
        }
    }
}

/* Xen's defaults: VIRT_BASE 0, PADDR_OFFSET 0, entry from e_entry. */
static void test_xen_defaults(void)
{
    static const uint64_t legacy_off = KBASE;
    static const struct note minimal[] = {
        { "Xen", XEN_ELFNOTE_LOADER, S("generic") },
        { "Xen", XEN_ELFNOTE_XEN_VERSION, S("xen-3.0.4") },
        { NULL, 0, NULL, 0 },
    };
    static const struct note legacy[] = {   /* paddr == vaddr, offset given */
        { "Xen", XEN_ELFNOTE_GUEST_OS, S("linux-2.6") },
        { "Xen", XEN_ELFNOTE_XEN_VERSION, S("xen-3.0") },
        { "Xen", XEN_ELFNOTE_VIRT_BASE, U(v_base) },
        { "Xen", XEN_ELFNOTE_PADDR_OFFSET, U(legacy_off) },
        { NULL, 0, NULL, 0 },
    };
    struct elf_image img;
    const char *why;
    size_t size;

    size = build(&(struct spec){ .notes = minimal });
    put(img_buf, 24, KPHYS + 0x40, 8);                       /* e_entry */
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(elf_xen_check(&img, &why) == 0);
    CHECK(img.notes.virt_base == 0 && img.notes.paddr_offset == 0);
    CHECK(img.virt_offset == 0 && img.entry == KPHYS + 0x40);
    CHECK(img.vstart == KPHYS && img.vend == KPHYS + TEXT_MEMSZ + DATA_MEMSZ);
    CHECK(!img.notes.present[XEN_ELFNOTE_VIRT_BASE]);
    CHECK(elf_xen_check(&img, &why) == 0 && img.entry == KPHYS + 0x40);  /* 6 */

    size = build(&(struct spec){ .notes = legacy });
    for (unsigned int i = 0; i < 2; i++)                     /* paddr = vaddr */
        put(img_buf, 64 + 56 * i + 24, get(img_buf, 64 + 56 * i + 16, 8), 8);
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(elf_xen_check(&img, &why) == 0);
    CHECK(img.virt_offset == 0 && img.vstart == KVIRT && img.entry == v_entry);
    /* The percpu-style segment at vaddr 0: Xen places it by paddr. */
    size = build_default();
    put(img_buf, 64 + 56 + 16, 0, 8);
    CHECK(elf_parse(img_buf, size, &img, &why) == 0);
    CHECK(img.vstart == 0);
    CHECK(elf_xen_check(&img, &why) == 0);
    CHECK(img.vstart == KVIRT && img.vend == KVIRT + TEXT_MEMSZ + DATA_MEMSZ);
}

/* Every rejection of elf_xen_check(), with its reason. */
static void test_xen_rejects(void)
{
    static const uint64_t low_off = KPHYS + 0x1000, bad_entry = KVIRT - 1,
                          end_entry = KVIRT + TEXT_MEMSZ + DATA_MEMSZ,
                          p2m_in = KVIRT + 0x3000, hc_unaligned = KVIRT + 0x800,
                          hc_out = KVIRT + TEXT_MEMSZ + DATA_MEMSZ,
                          big_off = KBASE + KPHYS + 0x2001;   /* kernel at 2^64 - 0x2001 */
    struct note n[4] = {
        { "Xen", XEN_ELFNOTE_LOADER, S("generic") },
        { "Xen", XEN_ELFNOTE_XEN_VERSION, S("xen-3.0") },
        { "Xen", XEN_ELFNOTE_VIRT_BASE, U(v_base) },
        { NULL, 0, NULL, 0 },
    };
    struct note m[6];
    struct spec s = { .notes = m };
    struct elf_image img;
    const char *why;

    CHECK(elf_parse(img_buf, build(&(struct spec){ .notes = n }), &img, &why) == 0);
    CHECK(elf_xen_check(&img, &why) == 0);
    /* Variants: n with one note replaced or added. */
#define VARIANT(i, ...) (memcpy(m, n, sizeof(n)), m[i] = (struct note){ __VA_ARGS__ }, \
                          m[4] = m[5] = n[3], build(&s))
    CHECK_CALL(expect_check_fail(VARIANT(0, "Xen", XEN_ELFNOTE_LOADER, S("gen")),
                                 -ENOEXEC, "neither LOADER \"generic\" nor GUEST_OS \"linux\""));
    CHECK_CALL(expect_check_fail(VARIANT(0, "Xen", XEN_ELFNOTE_GUEST_OS, S("netbsd")),
                                 -ENOEXEC, "neither LOADER"));
    CHECK_CALL(expect_check_fail(VARIANT(1, "Xen", XEN_ELFNOTE_XEN_VERSION, S("xen-4.0")),
                                 -ENOEXEC, "XEN_VERSION is not \"xen-3.0\""));
    CHECK_CALL(expect_check_fail(VARIANT(1, "Xen", XEN_ELFNOTE_GUEST_VERSION, S("x")),
                                 -ENOEXEC, "XEN_VERSION is not"));
    CHECK_CALL(expect_check_fail(VARIANT(2, "Xen", XEN_ELFNOTE_PADDR_OFFSET, U(v_zero)),
                                 -EINVAL, "PADDR_OFFSET set but VIRT_BASE unset"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_PADDR_OFFSET, U(low_off)),
                                 -EINVAL, "lies below VIRT_BASE"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_ENTRY, U(bad_entry)),
                                 -EINVAL, "entry point 0xffffffff80ffffff lies outside the kernel"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_INIT_P2M, U(p2m_in)),
                                 -EINVAL, "INIT_P2M 0xffffffff81003000 lies inside the kernel"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_HYPERCALL_PAGE, U(hc_unaligned)),
                                 -EINVAL, "is not a page of the kernel"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_HYPERCALL_PAGE, U(hc_out)),
                                 -EINVAL, "HYPERCALL_PAGE 0xffffffff81005000 is not a page"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_BSD_SYMTAB, S("yes")),
                                 -ENOEXEC, "BSD_SYMTAB is not supported"));
    CHECK_CALL(expect_check_fail(VARIANT(3, "Xen", XEN_ELFNOTE_PADDR_OFFSET, U(big_off)),
                                 -EINVAL, "runs past the top of the address space"));
    /* Entry at the very end of the kernel is allowed, as in Xen. */
    CHECK(elf_parse(img_buf, VARIANT(3, "Xen", XEN_ELFNOTE_ENTRY, U(end_entry)),
                    &img, &why) == 0);
    CHECK(elf_xen_check(&img, &why) == 0 && img.entry == end_entry);
#undef VARIANT
    /* A plain ELF, and an image elf_parse() refused. */
    CHECK_CALL(expect_check_fail(build(&(struct spec){ .notes = &n[3] }), -ENOEXEC,
                                 "no Xen ELF notes: not a PV kernel"));
    memset(&img, 0, sizeof(img));
    CHECK(elf_xen_check(&img, &why) == -EINVAL);
}

/* Invariant 1: every prefix of valid images parses or fails cleanly. */
static void test_truncation(void)
{
    static const struct spec specs[] = {
        { 0 }, { .shdrs = true }, { .shdrs = true, .no_pt_note = true },
    };

    for (unsigned int k = 0; k < ARRAY_SIZE(specs); k++) {
        size_t full = build(&specs[k]);
        unsigned int ok = 0;
        int xrc;

        for (size_t len = 0; len <= full; len++) {
            if (parse_copy(img_buf, len, &xrc) == 0)
                ok++;
            if (check_failed)
                return;
        }
        CHECK(parse_copy(img_buf, full, &xrc) == 0 && xrc == 0);
        CHECK(ok >= 1);
    }
}

/* Invariants 1-6 under random corruption of valid images. */
static void test_random_corruption(void)
{
    uint64_t seed = 0x5a7051e1f;
    unsigned int parsed = 0, checked = 0;

    for (unsigned int iter = 0; iter < 30000; iter++) {
        size_t size = build(&(struct spec){ .shdrs = iter & 1 });
        unsigned int flips = 1 + check_rand(&seed) % 8;
        int xrc;

        for (unsigned int f = 0; f < flips; f++) {
            uint64_t r = check_rand(&seed);
            size_t at = (r >> 8) % (r & 0x80 ? 256 : size);   /* headers often */

            img_buf[at] = (r & 0x40) ? (uint8_t)(r >> 32) : img_buf[at] ^ (1U << (r & 7));
        }
        if (check_rand(&seed) % 4 == 0)
            size = check_rand(&seed) % (size + 1);
        if (parse_copy(img_buf, size, &xrc) == 0) {
            parsed++;
            checked += xrc == 0;
        }
        if (check_failed)
            return;
    }
    printf("# random corruption: %u parsed, %u passed elf_xen_check\n", parsed,
           checked);
    CHECK(parsed > 0 && checked > 0);
}

/* The hypervisor's own image: a real ELF64 x86-64 executable, no Xen notes. */
static void test_real_image(void)
{
    FILE *f = fopen("build/satori", "rb");
    struct elf_image img;
    const char *why = NULL;
    uint8_t *buf;
    long len;

    if (!f) {
        printf("# build/satori absent: skipped\n");
        return;
    }
    CHECK(fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0);
    rewind(f);
    buf = malloc((size_t)len);
    CHECK(buf && fread(buf, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    int rc = elf_parse(buf, (size_t)len, &img, &why);
    if (rc)
        printf("# build/satori: %s\n", why);
    CHECK(rc == 0);
    CHECK_CALL(check_result(rc, &img, (size_t)len, why));
    CHECK(img.nr_seg >= 1 && !img.has_xen_notes);
    CHECK(img.entry >= img.vstart && img.entry < img.vend);
    CHECK(elf_xen_check(&img, &why) == -ENOEXEC);
    CHECK(!strcmp(why, "no Xen ELF notes: not a PV kernel"));
    free(buf);
}

static int write_seeds(const char *dir)
{
    static const struct spec specs[] = {
        { 0 }, { .shdrs = true, .no_pt_note = true },
    };
    char path[4096];

    for (unsigned int k = 0; k < ARRAY_SIZE(specs); k++) {
        size_t size = build(&specs[k]);
        FILE *f;

        snprintf(path, sizeof(path), "%s/seed-%u.elf", dir, k);
        f = fopen(path, "wb");
        if (!f || fwrite(img_buf, 1, size, f) != size || fclose(f)) {
            perror(path);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--write-seed"))
        return write_seeds(argv[2]);
    check_module = "elf";
    RUN_TEST(test_linux_like);
    RUN_TEST(test_numeric_sizes);
    RUN_TEST(test_strings);
    RUN_TEST(test_features);
    RUN_TEST(test_note_sources);
    RUN_TEST(test_bad_headers);
    RUN_TEST(test_bad_segments);
    RUN_TEST(test_many_segments);
    RUN_TEST(test_xen_defaults);
    RUN_TEST(test_xen_rejects);
    RUN_TEST(test_truncation);
    RUN_TEST(test_random_corruption);
    RUN_TEST(test_real_image);
    return check_nr_failed != 0;
}
