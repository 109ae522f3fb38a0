/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O APIC's redirection-entry format and the ISA IRQ routing that the
 * MADT's interrupt source overrides describe: pure logic, built unmodified
 * by tests/unit/test_ioapic_rte.c. arch/x86/io_apic.c programs what this
 * encodes; arch/x86/pirq.c routes IRQs with irq_route_build().
 *
 * An entry is 64 bits: vector (0-7), delivery mode (8-10), destination
 * mode (11), delivery status (12, read-only), polarity (13), remote IRR
 * (14, read-only), trigger mode (15), mask (16), destination (56-63).
 */
#include <satori/ioapic_rte.h>

#define RTE_DELIVERY_SHIFT 8
#define RTE_LOGICAL (1ull << 11)
#define RTE_DELIVERY_STATUS (1ull << 12)
#define RTE_ACTIVE_LOW (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST_SHIFT 56

/* MPS INTI flags: 0 conforms to the bus (ISA: high, edge), 1 high/edge, 3 low/level. */
#define INTI_POLARITY(f) ((f) & 3u)
#define INTI_TRIGGER(f) (((f) >> 2) & 3u)

uint64_t ioapic_rte_encode(const struct ioapic_rte *r)
{
    uint64_t raw = r->vector | ((uint64_t)(r->delivery & 7) << RTE_DELIVERY_SHIFT);

    raw |= r->logical ? RTE_LOGICAL : 0;
    raw |= r->active_low ? RTE_ACTIVE_LOW : 0;
    raw |= r->level ? RTE_LEVEL : 0;
    raw |= r->masked ? RTE_MASKED : 0;
    return raw | ((uint64_t)r->dest << RTE_DEST_SHIFT);
}

struct ioapic_rte ioapic_rte_decode(uint64_t raw)
{
    return (struct ioapic_rte){
        .vector = (uint8_t)raw,
        .delivery = (uint8_t)((raw >> RTE_DELIVERY_SHIFT) & 7),
        .logical = raw & RTE_LOGICAL,
        .delivery_status = raw & RTE_DELIVERY_STATUS,
        .active_low = raw & RTE_ACTIVE_LOW,
        .remote_irr = raw & RTE_REMOTE_IRR,
        .level = raw & RTE_LEVEL,
        .masked = raw & RTE_MASKED,
        .dest = (uint8_t)(raw >> RTE_DEST_SHIFT),
    };
}

unsigned int ioapic_version_pins(uint32_t version)
{
    return ((version >> 16) & 0xff) + 1;
}

void irq_route_build(const struct madt_override *ovr, unsigned int nr_ovr,
                     unsigned int nr_irqs, struct irq_route *route)
{
    for (unsigned int i = 0; i < nr_irqs; i++)
        route[i] = (struct irq_route){ .gsi = (int32_t)i, .level = i >= 16, .active_low = i >= 16 };
    for (unsigned int k = 0; k < nr_ovr; k++) {
        const struct madt_override *o = &ovr[k];
        struct irq_route *r;

        if (o->isa_irq >= 16 || o->isa_irq >= nr_irqs || o->gsi >= nr_irqs)
            continue;
        r = &route[o->isa_irq];
        r->gsi = (int32_t)o->gsi;
        r->active_low = INTI_POLARITY(o->flags) == 3;
        r->level = INTI_TRIGGER(o->flags) == 3;
    }
    /* a GSI an override took for another ISA IRQ is no longer its own IRQ's */
    for (unsigned int k = 0; k < nr_ovr; k++) {
        const struct madt_override *o = &ovr[k];

        if (o->isa_irq >= 16 || o->isa_irq >= nr_irqs || o->gsi >= nr_irqs ||
            o->gsi == o->isa_irq || route[o->isa_irq].gsi != (int32_t)o->gsi)
            continue;
        for (unsigned int i = 0; i < nr_irqs; i++)
            if (i != o->isa_irq && route[i].gsi == (int32_t)o->gsi)
                route[i].gsi = -1;
    }
}

int irq_route_irq_of_gsi(const struct irq_route *route, unsigned int nr_irqs, unsigned int gsi)
{
    for (unsigned int i = 0; i < nr_irqs; i++)
        if (route[i].gsi == (int32_t)gsi)
            return (int)i;
    return -1;
}
