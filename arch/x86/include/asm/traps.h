/* SPDX-License-Identifier: GPL-2.0-only */
/* Exceptions, interrupt vectors and their handlers (arch/x86/traps.c). */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <satori/types.h>
#include <asm/regs.h>

enum {
    X86_EXC_DE = 0, X86_EXC_DB = 1, X86_EXC_NMI = 2, X86_EXC_BP = 3, X86_EXC_OF = 4,
    X86_EXC_BR = 5, X86_EXC_UD = 6, X86_EXC_NM = 7, X86_EXC_DF = 8, X86_EXC_TS = 10,
    X86_EXC_NP = 11, X86_EXC_SS = 12, X86_EXC_GP = 13, X86_EXC_PF = 14, X86_EXC_MF = 16,
    X86_EXC_AC = 17, X86_EXC_MC = 18, X86_EXC_XM = 19, X86_EXC_VE = 20, X86_EXC_CP = 21,
};

/* Interrupt vectors Satori uses (all above the 32 exceptions). */
#define VECTOR_FIRST_IRQ 0x20
#define VECTOR_DEVICE_FIRST 0x30   /* device IRQs (arch/x86/pirq.c) take 0x30-0xef */
#define VECTOR_DEVICE_LAST 0xef
#define VECTOR_TIMER 0xf0
#define VECTOR_CALL_FUNCTION 0xf1
#define VECTOR_EVENT_CHECK 0xf2
#define VECTOR_FLUSH_TLB 0xf3
#define VECTOR_SPURIOUS 0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

void traps_init_bsp(void);
void traps_load(void);                   /* load the IDT on this CPU */
void set_irq_handler(unsigned int vector, irq_handler_t fn);
void do_trap(struct cpu_regs *regs);
void show_registers(const struct cpu_regs *regs);

/*
 * Exception table: a faulting instruction listed here resumes at its fixup
 * instead of being fatal. Fault-safe guest accessors are built on it.
 */
struct extable_entry {
    int32_t insn;   /* offsets relative to the entry's own fields */
    int32_t fixup;
};

#endif
