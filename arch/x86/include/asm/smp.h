/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing up the other CPUs and running work on them (arch/x86/smpboot.c, smp.c). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <satori/types.h>

struct acpi_madt_info;

/* Sets up pcpus[0] on the boot stack, with its descriptor tables. */
void smp_prepare_boot_cpu(void);
/* Starts every enabled CPU in the MADT, at most maxcpus in all. */
void smp_boot_cpus(const struct acpi_madt_info *madt, unsigned int maxcpus);
void smp_init_ipis(void);

/* Runs fn(data) on every other online CPU (in interrupt context) and waits. */
int on_other_cpus(void (*fn)(void *), void *data);

#endif
