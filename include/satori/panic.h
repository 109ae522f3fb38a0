/* SPDX-License-Identifier: GPL-2.0-only */
/* Stopping the machine: panic, halt, reboot (hypervisor/panic.c). */
#ifndef SATORI_PANIC_H
#define SATORI_PANIC_H

#include <satori/compiler.h>
#include <satori/types.h>

struct cpu_regs;

/* Boot-time failures and hypervisor bugs: print why, then halt or reboot. */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);
/* The same after a fatal trap, whose registers and stack were already dumped. */
void __noreturn panic_after_dump(const char *cause);
/* noreboot= on the command line: halt instead of rebooting after a panic. */
extern bool opt_noreboot;

void __noreturn machine_halt(void);
void __noreturn machine_restart(void);
/* ACPI S5 where the firmware describes it, else halt. */
void __noreturn machine_power_off(void);

/* Architecture hooks (arch/x86/reboot.c, arch/x86/traps.c). */
void arch_stop_other_cpus(void);
void __noreturn arch_reset(void);
void show_backtrace(uint64_t rbp, uint64_t rip);
bool in_panic(void);

#endif
