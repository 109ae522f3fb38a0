/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of hypervisor/ioapic_rte.c: the I/O APIC redirection-entry layout
 * (every field at its bit, read-only bits decoded, round trips), the pin
 * count from the version register, and IRQ routing from MADT overrides:
 * QEMU's q35 table, an ISA IRQ moved to a high GSI, conforming flags, and
 * overrides out of range.
 */
#include <satori/ioapic_rte.h>

#include "check.h"

#define NR 24

/* QEMU q35's MADT: IRQ 0 -> GSI 2; 5, 9, 10, 11 level, active high. */
static const struct madt_override qemu[] = {
    { 0, 2, 0x0 }, { 5, 5, 0xd }, { 9, 9, 0xd }, { 10, 10, 0xd }, { 11, 11, 0xd },
};

static void test_encode_fields(void)
{
    struct ioapic_rte r = { .vector = 0x31 };

    CHECK(ioapic_rte_encode(&r) == 0x31);
    r = (struct ioapic_rte){ .delivery = IOAPIC_DM_LOWEST };
    CHECK(ioapic_rte_encode(&r) == 0x100);
    r = (struct ioapic_rte){ .delivery = IOAPIC_DM_EXTINT };
    CHECK(ioapic_rte_encode(&r) == 0x700);
    r = (struct ioapic_rte){ .logical = true };
    CHECK(ioapic_rte_encode(&r) == 0x800);
    r = (struct ioapic_rte){ .active_low = true };
    CHECK(ioapic_rte_encode(&r) == 0x2000);
    r = (struct ioapic_rte){ .level = true };
    CHECK(ioapic_rte_encode(&r) == 0x8000);
    r = (struct ioapic_rte){ .masked = true };
    CHECK(ioapic_rte_encode(&r) == IOAPIC_RTE_MASKED);
    r = (struct ioapic_rte){ .dest = 0xab };
    CHECK(ioapic_rte_encode(&r) == 0xab00000000000000ULL);
    /* read-only bits are never written */
    r = (struct ioapic_rte){ .delivery_status = true, .remote_irr = true };
    CHECK(ioapic_rte_encode(&r) == 0);
    r = (struct ioapic_rte){ .vector = 0x31, .level = true, .active_low = true, .masked = true,
                             .dest = 5 };
    CHECK(ioapic_rte_encode(&r) == 0x050000000001a031ULL);
}

static void test_decode(void)
{
    /* Xen's RTE of a level, active-low GSI, read back by dom0 under QEMU */
    struct ioapic_rte r = ioapic_rte_decode(0x010000000001a9c8ULL);

    CHECK(r.vector == 0xc8 && r.delivery == IOAPIC_DM_LOWEST && r.logical);
    CHECK(r.active_low && r.level && r.masked && r.dest == 1);
    CHECK(!r.delivery_status && !r.remote_irr);
    r = ioapic_rte_decode((1u << 12) | (1u << 14));
    CHECK(r.delivery_status && r.remote_irr && !r.masked && !r.level);
    r = ioapic_rte_decode(0x10728);                 /* ExtINT, masked */
    CHECK(r.delivery == IOAPIC_DM_EXTINT && r.masked && r.vector == 0x28);
}

static void test_round_trip(void)
{
    uint64_t seed = 12345;

    for (int i = 0; i < 100000; i++) {
        /* every writable bit: 0-11, 13, 15, 16, 56-63 */
        uint64_t raw = check_rand(&seed) & 0xff0000000001afffULL;
        struct ioapic_rte r = ioapic_rte_decode(raw);
        CHECK(ioapic_rte_encode(&r) == raw);
    }
}

static void test_version_pins(void)
{
    CHECK(ioapic_version_pins(0x00170020) == 24);   /* QEMU, 82093AA */
    CHECK(ioapic_version_pins(0x00770020) == 120);
    CHECK(ioapic_version_pins(0) == 1);
}

static void test_route_qemu(void)
{
    struct irq_route r[NR];

    irq_route_build(qemu, 5, NR, r);
    CHECK(r[0].gsi == 2 && !r[0].level && !r[0].active_low);   /* "dfl dfl": ISA's edge, high */
    CHECK(r[2].gsi == -1);                          /* GSI 2 is IRQ 0's */
    CHECK(r[1].gsi == 1 && !r[1].level && !r[1].active_low);
    CHECK(r[4].gsi == 4 && !r[4].level);
    for (int i = 5; i <= 11; i++)
        if (i == 5 || i >= 9)
            CHECK(r[i].gsi == i && r[i].level && !r[i].active_low);
    CHECK(r[8].gsi == 8 && !r[8].level);
    for (int i = 16; i < NR; i++)
        CHECK(r[i].gsi == i && r[i].level && r[i].active_low);     /* PCI */
    CHECK(irq_route_irq_of_gsi(r, NR, 2) == 0);
    CHECK(irq_route_irq_of_gsi(r, NR, 0) == -1);    /* the 8259's pin: nobody's */
    CHECK(irq_route_irq_of_gsi(r, NR, 9) == 9);
    CHECK(irq_route_irq_of_gsi(r, NR, 23) == 23);
    CHECK(irq_route_irq_of_gsi(r, NR, 24) == -1);
}

static void test_route_moved(void)
{
    /* ISA 9 (the SCI) on GSI 20, active low, level; a conforming IRQ 3 */
    static const struct madt_override o[] = { { 9, 20, 0xf }, { 3, 3, 0x0 } };
    struct irq_route r[NR];

    irq_route_build(o, 2, NR, r);
    CHECK(r[9].gsi == 20 && r[9].level && r[9].active_low);
    CHECK(r[20].gsi == -1);                         /* its GSI is IRQ 9's */
    CHECK(r[3].gsi == 3 && !r[3].level && !r[3].active_low);
    CHECK(irq_route_irq_of_gsi(r, NR, 20) == 9);
    CHECK(irq_route_irq_of_gsi(r, NR, 9) == -1);
    CHECK(r[0].gsi == 0);                           /* no override: identity */
}

static void test_route_out_of_range(void)
{
    static const struct madt_override o[] = { { 16, 3, 0xf }, { 4, 40, 0xf }, { 1, 23, 0xd } };
    struct irq_route r[16];

    irq_route_build(o, 3, 16, r);                   /* no I/O APIC: 16 IRQs */
    CHECK(r[4].gsi == 4 && !r[4].level);            /* GSI 40 does not exist */
    CHECK(r[3].gsi == 3 && !r[3].level);            /* "ISA IRQ 16": ignored */
    CHECK(r[1].gsi == 1 && !r[1].level);            /* GSI 23 is past 16 */
}

int main(void)
{
    check_module = "ioapic_rte";
    RUN_TEST(test_encode_fields);
    RUN_TEST(test_decode);
    RUN_TEST(test_round_trip);
    RUN_TEST(test_version_pins);
    RUN_TEST(test_route_qemu);
    RUN_TEST(test_route_moved);
    RUN_TEST(test_route_out_of_range);
    return check_nr_failed != 0;
}
