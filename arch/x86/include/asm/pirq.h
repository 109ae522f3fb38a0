/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's IRQs as physdev_op sees them (arch/x86/pirq.c). Each call
 * acts for domain d, the caller's own, and returns Xen 4.17's codes; the
 * model is at the top of pirq.c.
 */
#ifndef ASM_PIRQ_H
#define ASM_PIRQ_H

#include <satori/types.h>

struct acpi_madt_info;
struct domain;

/* At boot, after the MADT is read: the I/O APICs, the IRQs' routes, Satori's own IRQs. */
void irq_init(const struct acpi_madt_info *madt);
/* Xen's nr_irqs_gsi: IRQs 0 .. irq_nr_gsis() - 1 can be mapped (at least 16). */
unsigned int irq_nr_gsis(void);
/* Xen's nr_irqs: GSIs and MSIs together (MSI IRQ numbers lie above the GSIs). */
unsigned int irq_nr_irqs(void);
/* d's number of pirqs (Xen's d->nr_pirqs). */
unsigned int pirq_nr_pirqs(struct domain *d);

/* map_pirq of GSI index (Xen's IRQ number) for d; *pirq in (-1: any) and out. */
int pirq_map_gsi(struct domain *d, int index, int *pirq);
/* unmap_pirq; a bound pirq is unbound by force first. */
int pirq_unmap_pirq(struct domain *d, int pirq);
int pirq_eoi(struct domain *d, uint32_t pirq);
/* PHYSDEVOP_get_free_pirq: takes one (-ENOSPC, -ENOMEM). */
int pirq_take_free(struct domain *d, int type);
/* PHYSDEVOP_pirq_eoi_gmfn_v1/v2: mfn becomes d's EOI bitmap. */
int pirq_set_eoi_map(struct domain *d, uint64_t mfn, bool auto_unmask);
/* PHYSDEVOP_IRQ_UNMASK_NOTIFY: EOIs every delivered pirq whose port is unmasked. */
void pirq_unmask_notify(struct domain *d);

/* PHYSDEVOP_setup_gsi (Xen's mp_register_gsi): trigger and polarity of IRQ gsi. */
int irq_setup_gsi(int gsi, bool level, bool active_low);
/* PHYSDEVOP_apic_read / apic_write: dom0 (d) reads and writes an I/O APIC. */
int ioapic_guest_read(uint64_t physbase, uint32_t reg, uint32_t *val);
int ioapic_guest_write(struct domain *d, uint64_t physbase, uint32_t reg, uint32_t val);

#endif
