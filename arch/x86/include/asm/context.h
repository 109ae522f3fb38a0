/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU contexts (arch/x86/pv/context.c): each vCPU has a hypervisor stack
 * of its own, so a vCPU that waits (SCHEDOP_block) or is preempted keeps its
 * hypervisor frames there, and switching CPUs between vCPUs is a switch of
 * stacks plus the guest state the CPU holds (page tables, descriptor
 * tables, segment bases and selectors, FPU).
 */
#ifndef ASM_CONTEXT_H
#define ASM_CONTEXT_H

#include <satori/domain.h>
#include <asm/regs.h>

/* Stack and FPU area for v; 0 or -ENOMEM. */
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/* Makes v's first run enter the guest at *regs (RPL 3 forced, IF set). */
void arch_vcpu_set_initial(struct vcpu *v, const struct cpu_regs *regs);
/*
 * Switches this CPU from prev to next (either NULL: the CPU's idle
 * context). Interrupts off. Returns when prev is switched back to;
 * schedule_tail() then runs in the context switched to.
 */
void context_switch(struct vcpu *prev, struct vcpu *next);
/* VCPUOP_initialise: v's starting state (v down, never run). 0 or -errno. */
struct vcpu_guest_context;
int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c);
/*
 * The CPUs whose TLBs may hold some guest's translations: those on a
 * guest's page tables now (context.c invariant 4). Bit n: CPU n.
 */
uint64_t context_guest_cpus(void);
/* The vCPU whose context was just left on this CPU (for schedule_tail). */
struct vcpu *context_switched_from(void);

#endif
