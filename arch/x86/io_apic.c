/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O APICs the MADT lists: each one's registers through an uncached
 * fixmap page (IOREGSEL at +0x00, IOWIN at +0x10), its pin count from the
 * version register, its GSI base. At boot every pin is masked (firmware
 * may leave some enabled) and so are both 8259 PICs, whose ports dom0
 * never reaches (emulate.c): device interrupts come only through pins
 * arch/x86/pirq.c programs. The entry format is hypervisor/ioapic_rte.c's.
 *
 * Invariants:
 *  1. Every IOREGSEL/IOWIN pair runs under ioapic_lock, so a register
 *     select is never separated from its access.
 *  2. An entry is written high half first, low half (with the mask) last,
 *     so a pin never fires with a half-written destination.
 *
 * ioapic_lock is a leaf, taken with interrupts off (pirq.c calls in from
 * the interrupt handler).
 */
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/pirq.h>
#include <satori/spinlock.h>
#include <asm/acpi.h>
#include <asm/io_apic.h>
#include <asm/mm.h>
#include <asm/x86.h>

#define IOREGSEL 0
#define IOWIN (0x10 / 4)

struct ioapic {
    volatile uint32_t *mmio;
    uint64_t paddr;
    uint32_t gsi_base;
    unsigned int pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];   /* written once at boot */
static unsigned int nr_ioapics, nr_gsis;
static DEFINE_SPINLOCK(ioapic_lock);   /* protects: every IOREGSEL/IOWIN access */

/* Caller holds ioapic_lock. */
static uint32_t reg_read(const struct ioapic *a, uint32_t reg)
{
    a->mmio[IOREGSEL] = reg;
    return a->mmio[IOWIN];
}

/* Caller holds ioapic_lock. */
static void reg_write(const struct ioapic *a, uint32_t reg, uint32_t v)
{
    a->mmio[IOREGSEL] = reg;
    a->mmio[IOWIN] = v;
}

static void mask_8259s(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

static bool add_ioapic(const struct acpi_madt_info *madt, unsigned int i)
{
    struct ioapic *a = &ioapics[nr_ioapics];
    uint32_t version;

    a->paddr = madt->ioapic_paddr[i];
    a->gsi_base = madt->ioapic_gsi_base[i];
    a->mmio = fixmap_map_uc(FIX_IOAPIC_0 + nr_ioapics, a->paddr);
    version = reg_read(a, IOAPIC_REG_VERSION);
    if (version == 0xffffffffu) {
        pr_warn("I/O APIC at %lx reads all ones: ignored\n", a->paddr);
        return false;
    }
    a->pins = ioapic_version_pins(version);
    for (unsigned int pin = 0; pin < a->pins; pin++)
        reg_write(a, IOAPIC_REG_RTE0 + 2 * pin, IOAPIC_RTE_MASKED);
    printk("I/O APIC %u: id %u at %lx, version 0x%x, GSIs %u-%u\n", nr_ioapics,
           madt->ioapic_id[i], a->paddr, version & 0xff, a->gsi_base, a->gsi_base + a->pins - 1);
    return true;
}

void ioapic_init(const struct acpi_madt_info *madt)
{
    unsigned int n = madt->nr_ioapics < ACPI_MAX_IOAPICS ? madt->nr_ioapics : ACPI_MAX_IOAPICS;
    uint64_t flags = spin_lock_irqsave(&ioapic_lock);

    mask_8259s();
    for (unsigned int i = 0; i < n; i++) {
        if (!add_ioapic(madt, i))
            continue;
        if (ioapics[nr_ioapics].gsi_base + ioapics[nr_ioapics].pins > nr_gsis)
            nr_gsis = ioapics[nr_ioapics].gsi_base + ioapics[nr_ioapics].pins;
        nr_ioapics++;
    }
    spin_unlock_irqrestore(&ioapic_lock, flags);
    if (nr_gsis > PIRQ_MAX_IRQS) {
        pr_warn("I/O APICs: GSIs from %u up are not routed (Satori routes %u)\n",
                PIRQ_MAX_IRQS, PIRQ_MAX_IRQS);
        nr_gsis = PIRQ_MAX_IRQS;
    }
}

unsigned int ioapic_nr_gsis(void)
{
    return nr_gsis;
}

unsigned int ioapic_count(void)
{
    return nr_ioapics;
}

unsigned int ioapic_pins(unsigned int apic)
{
    return apic < nr_ioapics ? ioapics[apic].pins : 0;
}

uint32_t ioapic_gsi_base(unsigned int apic)
{
    return apic < nr_ioapics ? ioapics[apic].gsi_base : 0;
}

bool ioapic_gsi_pin(unsigned int gsi, unsigned int *apic, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        const struct ioapic *a = &ioapics[i];
        if (gsi >= a->gsi_base && gsi - a->gsi_base < a->pins) {
            *apic = i;
            *pin = gsi - a->gsi_base;
            return true;
        }
    }
    return false;
}

int ioapic_find(uint64_t physbase)
{
    for (unsigned int i = 0; i < nr_ioapics; i++)
        if (ioapics[i].paddr == physbase)
            return (int)i;
    return -EINVAL;
}

uint32_t ioapic_reg_read(unsigned int apic, uint32_t reg)
{
    uint64_t flags = spin_lock_irqsave(&ioapic_lock);
    uint32_t v = reg_read(&ioapics[apic], reg);

    spin_unlock_irqrestore(&ioapic_lock, flags);
    return v;
}

struct ioapic_rte ioapic_read_rte(unsigned int gsi)
{
    unsigned int apic, pin;
    uint64_t raw = IOAPIC_RTE_MASKED, flags;

    if (ioapic_gsi_pin(gsi, &apic, &pin)) {
        flags = spin_lock_irqsave(&ioapic_lock);
        raw = reg_read(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin) |
              (uint64_t)reg_read(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin + 1) << 32;
        spin_unlock_irqrestore(&ioapic_lock, flags);
    }
    return ioapic_rte_decode(raw);
}

void ioapic_write_rte(unsigned int gsi, const struct ioapic_rte *rte)
{
    uint64_t raw = ioapic_rte_encode(rte), flags;
    unsigned int apic, pin;

    if (!ioapic_gsi_pin(gsi, &apic, &pin))
        return;
    flags = spin_lock_irqsave(&ioapic_lock);
    reg_write(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin, IOAPIC_RTE_MASKED);  /* invariant 2 */
    reg_write(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin + 1, (uint32_t)(raw >> 32));
    reg_write(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin, (uint32_t)raw);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_set_masked(unsigned int gsi, bool masked)
{
    unsigned int apic, pin;
    uint64_t flags;
    uint32_t lo;

    if (!ioapic_gsi_pin(gsi, &apic, &pin))
        return;
    flags = spin_lock_irqsave(&ioapic_lock);
    lo = reg_read(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin);
    lo = masked ? lo | IOAPIC_RTE_MASKED : lo & ~IOAPIC_RTE_MASKED;
    reg_write(&ioapics[apic], IOAPIC_REG_RTE0 + 2 * pin, lo);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}
