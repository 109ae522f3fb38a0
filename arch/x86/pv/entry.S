/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV guest's way in through `syscall`. A syscall keeps the guest's %rsp,
 * so each CPU's LSTAR points at its own stub here, which saves the guest
 * stack pointer in that CPU's slot, switches to that CPU's stack (no %gs
 * base needed: guests own it), pushes an interrupt-style frame and joins
 * syscall_common (entry.S). The compat (32-bit) entry gets the same stubs
 * with the 32-bit code selector in the frame, so C can tell them apart.
 */
#include <asm/asm_defs.h>
#include <asm/regs.h>

#define FLAT_KERNEL_CS64 0xe033
#define FLAT_KERNEL_CS32 0xe023
#define FLAT_KERNEL_SS   0xe02b
#define SYSCALL_VECTOR   0x100
#define SYSCALL_STUB_SIZE 64              /* pv/traps.c computes stub addresses */

        .section .bss
        .balign 8
GLOBAL(syscall_saved_rsp)
        .skip   8 * CONFIG_NR_CPUS
GLOBAL(syscall_stack_top)
        .skip   8 * CONFIG_NR_CPUS

.macro SYSCALL_STUBS name, cs
        .section .text
        .balign SYSCALL_STUB_SIZE
GLOBAL(\name)
        .set    cpu, 0
        .rept   CONFIG_NR_CPUS
        .balign SYSCALL_STUB_SIZE
        mov     %rsp, syscall_saved_rsp + 8 * cpu(%rip)
        mov     syscall_stack_top + 8 * cpu(%rip), %rsp
        pushq   $FLAT_KERNEL_SS
        pushq   syscall_saved_rsp + 8 * cpu(%rip)
        push    %r11                            /* guest rflags */
        pushq   $\cs
        push    %rcx                            /* guest rip */
        jmp     1f
        .set    cpu, cpu + 1
        .endr
1:      pushq   $0
        movl    $SYSCALL_VECTOR, 4(%rsp)
        jmp     syscall_common
.endm

        SYSCALL_STUBS lstar_stubs, FLAT_KERNEL_CS64
        SYSCALL_STUBS cstar_stubs, FLAT_KERNEL_CS32
