/* SPDX-License-Identifier: GPL-2.0-only */
/* The I/O APICs: their registers and redirection entries (arch/x86/io_apic.c). */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

#include <satori/ioapic_rte.h>
#include <satori/types.h>

struct acpi_madt_info;

/* At boot, after the MADT: maps every I/O APIC, masks all their pins and the 8259s. */
void ioapic_init(const struct acpi_madt_info *madt);
/* 1 + the highest GSI of any I/O APIC (0 without one), at most PIRQ_MAX_IRQS. */
unsigned int ioapic_nr_gsis(void);
unsigned int ioapic_count(void);
/* Which I/O APIC and pin GSI gsi is; false if none has it. */
bool ioapic_gsi_pin(unsigned int gsi, unsigned int *apic, unsigned int *pin);
/* The I/O APIC at physical address physbase (dom0's name for it), or -EINVAL. */
int ioapic_find(uint64_t physbase);
unsigned int ioapic_pins(unsigned int apic);
uint32_t ioapic_gsi_base(unsigned int apic);
/* A raw register read through IOREGSEL/IOWIN (PHYSDEVOP_apic_read). */
uint32_t ioapic_reg_read(unsigned int apic, uint32_t reg);
/* GSI gsi's redirection entry. */
struct ioapic_rte ioapic_read_rte(unsigned int gsi);
void ioapic_write_rte(unsigned int gsi, const struct ioapic_rte *rte);
/* Sets or clears only the mask bit of GSI gsi's entry. */
void ioapic_set_masked(unsigned int gsi, bool masked);

#endif
