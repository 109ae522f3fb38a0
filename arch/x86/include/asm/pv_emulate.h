/* SPDX-License-Identifier: GPL-2.0-only */
/* Emulation of privileged instructions for PV guests (arch/x86/pv/emulate.c). */
#ifndef ASM_PV_EMULATE_H
#define ASM_PV_EMULATE_H

#include <satori/types.h>
#include <asm/regs.h>

struct vcpu;

/*
 * Called for #GP and #UD raised in guest context. If the instruction at
 * regs->rip is one the hypervisor emulates for this guest, performs it,
 * advances rip and returns true; otherwise changes nothing and returns false
 * (the exception then goes to the guest, or crashes it).
 */
bool pv_emulate_privop(struct cpu_regs *regs, unsigned int vector);

/* The CPUID values a PV guest sees (forced-emulation and faulting CPUID). */
void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t res[4]);

#endif
