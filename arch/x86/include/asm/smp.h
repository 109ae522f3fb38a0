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

/*
 * TLB shootdown (smp.c): flushes the TLB of every online CPU in mask (bit
 * n: CPU n), this one included, and returns once each has; what the
 * caller changed in page tables before the call is then seen everywhere.
 * Any context; locks held across it: see docs/locking.md.
 */
void flush_tlb_mask(uint64_t mask);
/* The same for one page at va: this CPU invalidates va, the others flush all. */
void flush_tlb_one_mask(uint64_t mask, uint64_t va);
/* Answers the flush requests made of this CPU (a spinning CPU calls it). */
void flush_tlb_service(void);

#endif
