/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough ACPI to find the CPUs and route interrupts: the RSDP (from the
 * boot loader's copy, else the BIOS areas), the RSDT or XSDT it points to,
 * the MADT's local APICs, I/O APICs and interrupt source overrides, the
 * FADT's S5 control, and the MCFG's MMCONFIG regions (for PHYSDEVOP_
 * pci_mmcfg_reserved). Every table's length and checksum is checked before
 * its contents are believed; firmware bugs get a warning and the table is
 * skipped, never a wild read.
 */
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/string.h>
#include <asm/acpi.h>
#include <asm/mm.h>

#define ACPI_HDR_LEN 36
#define ACPI_TABLE_MAX (1u << 20)

struct __attribute__((packed)) acpi_rsdp {
    char signature[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
};

struct __attribute__((packed)) acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem[6];
    char oem_table[8];
    uint32_t oem_revision;
    uint32_t creator;
    uint32_t creator_revision;
};

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (len--)
        sum += *b++;
    return sum == 0;
}

static void add_cpu(struct acpi_madt_info *out, uint32_t apic_id, uint32_t acpi_id,
                    uint32_t flags)
{
    if (!(flags & 1)) {
        out->nr_disabled++;
        return;
    }
    if (out->nr_cpus < ACPI_MAX_CPUS) {
        out->acpi_ids[out->nr_cpus] = acpi_id;
        out->apic_ids[out->nr_cpus++] = apic_id;
    }
}

int acpi_parse_madt(const void *madt, size_t len, struct acpi_madt_info *out)
{
    const uint8_t *p = madt;
    size_t off = ACPI_HDR_LEN + 8;
    uint32_t v32;

    if (len < off)
        return -EINVAL;
    memcpy(&v32, p + ACPI_HDR_LEN, 4);
    out->lapic_paddr = v32;
    while (off + 2 <= len) {
        uint8_t type = p[off], elen = p[off + 1];
        uint32_t id, flags;

        if (elen < 2 || off + elen > len)
            return -EINVAL;
        if (type == 0 && elen >= 8) {            /* processor local APIC */
            memcpy(&flags, p + off + 4, 4);
            add_cpu(out, p[off + 3], p[off + 2], flags);
        } else if (type == 9 && elen >= 16) {    /* processor local x2APIC */
            memcpy(&id, p + off + 4, 4);
            memcpy(&flags, p + off + 8, 4);
            memcpy(&v32, p + off + 12, 4);
            add_cpu(out, id, v32, flags);
        } else if (type == 1 && elen >= 12) {    /* I/O APIC */
            memcpy(&v32, p + off + 4, 4);
            if (out->nr_ioapics < ACPI_MAX_IOAPICS) {
                out->ioapic_paddr[out->nr_ioapics] = v32;
                out->ioapic_id[out->nr_ioapics] = p[off + 2];
                memcpy(&out->ioapic_gsi_base[out->nr_ioapics], p + off + 8, 4);
            }
            out->nr_ioapics++;
        } else if (type == 2 && elen >= 10 && p[off + 2] == 0 &&
                   out->nr_overrides < ACPI_MAX_OVERRIDES) {   /* ISA source override */
            struct madt_override *o = &out->overrides[out->nr_overrides++];
            o->isa_irq = p[off + 3];
            memcpy(&o->gsi, p + off + 4, 4);
            memcpy(&o->flags, p + off + 8, 2);
        } else if (type == 5 && elen >= 12) {    /* local APIC address override */
            memcpy(&out->lapic_paddr, p + off + 4, 8);
        }
        off += elen;
    }
    return 0;
}

static const struct acpi_rsdp *scan_for_rsdp(uint64_t start, uint64_t len)
{
    for (uint64_t pa = start; pa + 20 <= start + len; pa += 16) {
        const struct acpi_rsdp *r = __va(pa);
        if (!memcmp(r->signature, "RSD PTR ", 8) && acpi_checksum_ok(r, 20))
            return r;
    }
    return NULL;
}

static const struct acpi_rsdp *find_rsdp(const struct boot_info *bi)
{
    uint64_t ebda = (uint64_t)*(const uint16_t *)__va(0x40e) << 4;
    const struct acpi_rsdp *r;

    if (bi->rsdp_len >= 20 && acpi_checksum_ok(bi->rsdp, 20))
        return (const struct acpi_rsdp *)bi->rsdp;
    if (ebda >= 0x80000 && ebda < 0xa0000 && (r = scan_for_rsdp(ebda, 1024)))
        return r;
    return scan_for_rsdp(0xe0000, 0x20000);
}

static const struct acpi_header *map_table(uint64_t pa)
{
    const struct acpi_header *h;

    if (!pa || pa + ACPI_HDR_LEN > directmap_end)
        return NULL;
    h = __va(pa);
    if (h->length < ACPI_HDR_LEN || h->length > ACPI_TABLE_MAX || pa + h->length > directmap_end ||
        !acpi_checksum_ok(h, h->length)) {
        pr_warn("ACPI: table at %lx (%.4s) has a bad length or checksum: ignored\n", pa,
                h->signature);
        return NULL;
    }
    return h;
}

/* Finds a table by signature in the RSDT (4-byte entries) or XSDT (8). */
static const struct acpi_header *find_table(const struct acpi_header *root, unsigned int esize,
                                            const char *sig)
{
    const uint8_t *entries = (const uint8_t *)root + ACPI_HDR_LEN;
    unsigned int n = (root->length - ACPI_HDR_LEN) / esize;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t pa = 0;
        const struct acpi_header *h;
        memcpy(&pa, entries + i * esize, esize);
        h = map_table(pa);
        if (h && !memcmp(h->signature, sig, 4))
            return h;
    }
    return NULL;
}

struct acpi_sleep acpi_s5;

/* The S5 sleep type: the first element of the DSDT's \_S5 package. */
static int s5_sleep_type(const uint8_t *aml, size_t len)
{
    for (size_t i = 0; i + 8 < len; i++) {
        const uint8_t *p = aml + i;
        if (memcmp(p, "_S5_", 4) || p[4] != 0x12)   /* PackageOp */
            continue;
        p += 5 + ((p[5] >> 6) + 1) + 1;             /* PkgLength, NumElements */
        if (p >= aml + len)
            return -1;
        if (*p == 0x0a && p + 1 < aml + len)          /* BytePrefix */
            return p[1];
        if (*p <= 1)                                  /* Zero, One */
            return *p;
        return -1;
    }
    return -1;
}

static void find_sleep_control(const struct acpi_header *root, unsigned int esize)
{
    const struct acpi_header *fadt = find_table(root, esize, "FACP"), *dsdt;
    uint32_t pm1a = 0, dsdt_pa = 0;
    int typ;

    if (!fadt || fadt->length < 72)
        return;
    memcpy(&dsdt_pa, (const uint8_t *)fadt + 40, 4);
    memcpy(&pm1a, (const uint8_t *)fadt + 64, 4);
    dsdt = map_table(dsdt_pa);
    typ = dsdt ? s5_sleep_type((const uint8_t *)dsdt + ACPI_HDR_LEN, dsdt->length - ACPI_HDR_LEN)
               : -1;
    if (!pm1a || pm1a > 0xffff || typ < 0)
        return;
    acpi_s5.pm1a_cnt = (uint16_t)pm1a;
    acpi_s5.slp_typ = (uint8_t)typ;
    acpi_s5.valid = true;
}

struct acpi_mcfg acpi_mcfg;

int acpi_parse_mcfg(const void *mcfg, size_t len, struct acpi_mcfg *out)
{
    const uint8_t *p = mcfg;

    if (len < ACPI_HDR_LEN + 8)
        return -EINVAL;
    for (size_t off = ACPI_HDR_LEN + 8; off + 16 <= len && out->nr < PCI_MCFG_MAX; off += 16) {
        struct pci_mcfg_region *r = &out->region[out->nr++];
        memcpy(&r->base, p + off, 8);
        memcpy(&r->seg, p + off + 8, 2);
        r->start_bus = p[off + 10];
        r->end_bus = p[off + 11];
    }
    return 0;
}

int acpi_find_madt(const struct boot_info *bi, struct acpi_madt_info *out, const char **why)
{
    const struct acpi_rsdp *rsdp = find_rsdp(bi);
    const struct acpi_header *root = NULL, *madt, *mcfg;
    unsigned int esize = 4;

    memset(out, 0, sizeof(*out));
    if (!rsdp) {
        *why = "no ACPI RSDP found";
        return -ENOENT;
    }
    if (rsdp->revision >= 2 && rsdp->xsdt && (root = map_table(rsdp->xsdt)))
        esize = 8;
    else
        root = map_table(rsdp->rsdt);
    if (!root) {
        *why = "the ACPI RSDT/XSDT is missing or corrupt";
        return -ENOENT;
    }
    printk("ACPI: RSDP rev %u, %s at %lx, OEM '%.6s'\n", rsdp->revision,
           esize == 8 ? "XSDT" : "RSDT", __pa(root), rsdp->oem);
    find_sleep_control(root, esize);
    mcfg = find_table(root, esize, "MCFG");
    if (mcfg)
        (void)acpi_parse_mcfg(mcfg, mcfg->length, &acpi_mcfg);
    madt = find_table(root, esize, "APIC");
    if (!madt || acpi_parse_madt(madt, madt->length, out)) {
        *why = "no valid ACPI MADT";
        return -ENOENT;
    }
    return 0;
}
