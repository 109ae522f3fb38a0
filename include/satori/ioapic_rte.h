/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * I/O APIC redirection entries and the routing of IRQs to GSIs, pure
 * (hypervisor/ioapic_rte.c, tested by tests/unit/test_ioapic_rte.c). The
 * driver that uses them is arch/x86/io_apic.c.
 */
#ifndef SATORI_IOAPIC_RTE_H
#define SATORI_IOAPIC_RTE_H

#include <satori/types.h>

/* Delivery modes (bits 8-10 of an entry). */
#define IOAPIC_DM_FIXED 0
#define IOAPIC_DM_LOWEST 1
#define IOAPIC_DM_SMI 2
#define IOAPIC_DM_NMI 4
#define IOAPIC_DM_INIT 5
#define IOAPIC_DM_EXTINT 7

/* Register indices (through IOREGSEL) and an entry's bits. */
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_RTE0 0x10            /* entry n: low 0x10 + 2n, high 0x11 + 2n */
#define IOAPIC_RTE_MASKED (1u << 16)

/* One redirection entry, decoded. delivery_status and remote_irr are read-only. */
struct ioapic_rte {
    uint8_t vector;
    uint8_t delivery;                   /* IOAPIC_DM_* */
    bool logical;                       /* destination mode */
    bool delivery_status;
    bool active_low;                    /* polarity */
    bool remote_irr;
    bool level;                         /* trigger mode */
    bool masked;
    uint8_t dest;                       /* APIC id (physical mode) */
};

uint64_t ioapic_rte_encode(const struct ioapic_rte *r);
struct ioapic_rte ioapic_rte_decode(uint64_t raw);
/* Pins an I/O APIC has, from its version register. */
unsigned int ioapic_version_pins(uint32_t version);

/* A MADT interrupt source override (entry type 2), ISA bus. */
struct madt_override {
    uint8_t isa_irq;
    uint32_t gsi;
    uint16_t flags;                     /* MPS INTI: polarity bits 0-1, trigger 2-3 */
};

/* Where an IRQ arrives: its GSI (-1: none) and how it signals. */
struct irq_route {
    int32_t gsi;
    bool level;
    bool active_low;
};

/*
 * Routes IRQs 0 .. nr_irqs - 1 as Xen does: ISA IRQs 0-15 identity-mapped,
 * edge and active high, unless an override moves or re-signals one; a GSI
 * an override gives to another ISA IRQ leaves its own IRQ without a pin
 * (IRQ 2, when IRQ 0 is GSI 2); IRQs from 16 are their GSI, level and
 * active low (PCI's default until dom0's PHYSDEVOP_setup_gsi says).
 */
void irq_route_build(const struct madt_override *ovr, unsigned int nr_ovr,
                     unsigned int nr_irqs, struct irq_route *route);
/* The IRQ whose pin is GSI gsi, or -1. */
int irq_route_irq_of_gsi(const struct irq_route *route, unsigned int nr_irqs, unsigned int gsi);

#endif
