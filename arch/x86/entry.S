/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trap and interrupt entry: one 16-byte stub per IDT vector pushes a zero
 * error code where the CPU does not, records the vector, and jumps to the
 * common path, which saves the registers as a struct cpu_regs and calls
 * do_trap() in C. Everything after that is C.
 */
#include <asm/asm_defs.h>
#include <asm/regs.h>

/* Pushes the general registers in struct cpu_regs order (r15 lowest). */
.macro SAVE_ALL
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
.endm

/* Pops what SAVE_ALL pushed. */
.macro RESTORE_ALL
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
.endm

/* Vectors whose exceptions push an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

        .section .text
        .balign 16
GLOBAL(idt_stubs)
        .set    vec, 0
        .rept   256
        .balign 16
        .if     !HAS_ERRCODE(vec)
        pushq   $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_entry
        .set    vec, vec + 1
        .endr

common_entry:
        cld
        /*
         * A guest may enter with EFLAGS.AC set, which would switch SMAP off
         * for the hypervisor: clear it (syscall entries clear it by SFMASK).
         * Without SMAP, AC means nothing in ring 0 (and clac is #UD).
         */
        testb   $3, 16(%rsp)
        jz      1f
        cmpb    $0, smap_active(%rip)
        je      1f
        clac
1:
        SAVE_ALL
        mov     %rsp, %rdi
        /* the CPU 16-byte aligned the stack before its 40-byte frame */
        sub     $8, %rsp
        call    do_trap
        add     $8, %rsp
/* Returns to whatever the frame at %rsp describes: hypervisor or guest. */
GLOBAL(restore_all)
        RESTORE_ALL
        add     $8, %rsp                        /* error code and vector */
.Lfinal_iret:
        iretq
        /* It faults only if a guest rewrote a descriptor under us (pv/iret.c). */
        .pushsection .ex_table, "a"
        .balign 4
        .long   .Lfinal_iret - .
        .long   .Lbad_iret - .
        .popsection
.Lbad_iret:
        mov     %rsp, %rdi                      /* the frame iretq refused */
        and     $-16, %rsp
        call    pv_bad_iret                     /* does not return */
        ud2
END(common_entry)

/*
 * The same frame building for the PV syscall entry (arch/x86/pv/entry.S),
 * which arrives with the CPU's frame (ss, rsp, rflags, cs, rip, vector)
 * already pushed.
 */
GLOBAL(syscall_common)
        SAVE_ALL
        mov     %rsp, %rdi
        sub     $8, %rsp
        call    do_guest_syscall
        add     $8, %rsp
        test    %al, %al
        jz      restore_all
        /*
         * sysretq fast path: the frame is a flat ring-3 64-bit context with
         * RCX = RIP and R11 = RFLAGS (checked in C), interrupts are off.
         */
        RESTORE_ALL
        mov     32(%rsp), %rsp                  /* vector, rip, cs, rflags, rsp */
        sysretq
END(syscall_common)

/* enter_guest(frame): load a prepared guest frame and iretq to it. */
ENTRY(enter_guest)
        mov     %rdi, %rsp
        jmp     restore_all
END(enter_guest)

/*
 * switch_stacks(save_rsp, new_rsp): saves the callee-saved registers on
 * this stack and its pointer in *save_rsp, then resumes the context saved
 * on new_rsp the same way (pv/context.c). A new vCPU's stack is prepared
 * to "return" into vcpu_start_trampoline.
 */
ENTRY(switch_stacks)
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret
END(switch_stacks)

ENTRY(vcpu_start_trampoline)
        and     $-16, %rsp
        xor     %ebp, %ebp
        call    vcpu_first_run
        ud2
END(vcpu_start_trampoline)

/*
 * switch_stack_and_jump(new_rsp, fn): continue on another stack, never to
 * return. Used to leave the boot stack for a CPU's own stack.
 */
ENTRY(switch_stack_and_jump)
        mov     %rdi, %rsp
        xor     %ebp, %ebp
        call    *%rsi
        ud2
END(switch_stack_and_jump)
