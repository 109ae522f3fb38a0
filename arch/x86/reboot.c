/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Resetting the machine: the keyboard controller's reset line, then the
 * PCI reset control register (0xcf9), then a deliberate triple fault, each
 * given a moment to take effect. Power-off enters ACPI S5 through the
 * FADT's PM1a control register where the firmware describes it.
 */
#include <satori/console.h>
#include <satori/panic.h>
#include <asm/acpi.h>
#include <asm/time.h>
#include <asm/x86.h>

void __noreturn arch_reset(void)
{
    struct desc_ptr no_idt = { 0, 0 };

    for (int i = 0; i < 10000 && (inb(0x64) & 0x02); i++)
        udelay(10);
    outb(0x64, 0xfe);
    udelay(50000);
    outb(0xcf9, 0x02);
    outb(0xcf9, 0x06);
    udelay(50000);
    lidt(&no_idt);
    __asm__ volatile("int3");
    for (;;)
        halt();
}

void __noreturn machine_power_off(void)
{
    local_irq_disable();
    arch_stop_other_cpus();
    if (acpi_s5.valid) {
        outw(acpi_s5.pm1a_cnt, (uint16_t)((acpi_s5.slp_typ << 10) | (1u << 13)));
        udelay(100000);
    }
    pr_always("Power-off did not take effect: halted\n");
    for (;;)
        halt();
}
