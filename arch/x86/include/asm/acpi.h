/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI table discovery: the RSDP, RSDT/XSDT and the MADT (arch/x86/acpi.c). */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <satori/bootinfo.h>
#include <satori/ioapic_rte.h>
#include <satori/pci_record.h>
#include <satori/types.h>

#define ACPI_MAX_CPUS 256

#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 32

/* A CPU's ACPI processor id when the MADT did not name it (Xen's INVALID_ACPIID). */
#define ACPI_ID_INVALID 0xffffffffu

struct acpi_madt_info {
    uint64_t lapic_paddr;
    unsigned int nr_cpus;                 /* enabled processors, in MADT order */
    uint32_t apic_ids[ACPI_MAX_CPUS];
    uint32_t acpi_ids[ACPI_MAX_CPUS];     /* their ACPI processor UIDs */
    unsigned int nr_disabled;
    unsigned int nr_ioapics;
    uint64_t ioapic_paddr[ACPI_MAX_IOAPICS];  /* the first ACPI_MAX_IOAPICS */
    uint8_t ioapic_id[ACPI_MAX_IOAPICS];
    uint32_t ioapic_gsi_base[ACPI_MAX_IOAPICS];
    unsigned int nr_overrides;                /* interrupt source overrides (ISA) */
    struct madt_override overrides[ACPI_MAX_OVERRIDES];
};

/* The MCFG's MMCONFIG regions (PCI segments' configuration space), if any. */
struct acpi_mcfg {
    unsigned int nr;
    struct pci_mcfg_region region[PCI_MCFG_MAX];
};
extern struct acpi_mcfg acpi_mcfg;

/* How to enter S5 (soft off): PM1a control port and the \_S5 sleep type. */
struct acpi_sleep {
    bool valid;
    uint16_t pm1a_cnt;
    uint8_t slp_typ;
};
extern struct acpi_sleep acpi_s5;

/* Tables are read through the direct map. 0, or -ENOENT with *why set. */
int acpi_find_madt(const struct boot_info *bi, struct acpi_madt_info *out, const char **why);

/* Pure helpers (host-testable): checksum and MADT entry walk. */
bool acpi_checksum_ok(const void *p, size_t len);
int acpi_parse_madt(const void *madt, size_t len, struct acpi_madt_info *out);
int acpi_parse_mcfg(const void *mcfg, size_t len, struct acpi_mcfg *out);

#endif
