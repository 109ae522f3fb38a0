/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Resetting the machine: the keyboard controller's reset line, then the
 * PCI reset control register (0xcf9), then a deliberate triple fault, each
 * given a moment to take effect.
 */
#include <satori/panic.h>
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
