/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of every test guest, its Xen ELF notes, the hypercall page, and the
 * exception stubs. Xen's 64-bit PV entry state: ring 3 on FLAT_RING3_CS64,
 * rsi = virtual address of start_info, rsp = the builder's boot stack,
 * events masked. We zero .bss, switch to our own stack and call
 * guest_entry(start_info).
 */
#include <public/xen.h>
#include <public/elfnote.h>
#include <public/features.h>

#define ELFNOTE(type, body)                         \
    .pushsection .note.Xen, "a";                    \
    .balign 4;                                      \
    .long 4f - 3f;  /* namesz */                    \
    .long 6f - 5f;  /* descsz */                    \
    .long type;                                     \
3:  .asciz "Xen";                                   \
4:  .balign 4;                                      \
5:  body;                                           \
6:  .balign 4;                                      \
    .popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "satori-test")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION,  .asciz "0.1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER,         .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE,      .quad 0xffffffff80000000)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET,   .quad 0)
ELFNOTE(XEN_ELFNOTE_ENTRY,          .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
ELFNOTE(XEN_ELFNOTE_HV_START_LOW,   .quad 0xffff800000000000)
ELFNOTE(XEN_ELFNOTE_FEATURES,       .asciz "!writable_page_tables|pae_pgdir_above_4gb")
ELFNOTE(XEN_ELFNOTE_PAE_MODE,       .asciz "yes")
/* Xen 4.17 builds dom0 only from a kernel that declares XENFEAT_dom0. */
ELFNOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0))

    .section .text.head, "ax"
    .code64
    .globl _start
_start:
    cld
    mov %rsi, %r12                  /* start_info survives the bss wipe */
    lea _bss_start(%rip), %rdi
    lea _bss_end(%rip), %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    lea boot_stack_top(%rip), %rsp
    mov %r12, %rdi
    call guest_entry
1:  ud2                             /* guest_entry never returns */
    jmp 1b

/* Filled by the hypervisor: 32 bytes per hypercall number. */
    .section .text.hypercall_page, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

/*
 * Exception stubs. Xen's bounce frame on the guest stack, from rsp up:
 * rcx, r11, [error code], rip, cs (RPL 0 = was in guest kernel mode),
 * rflags, rsp, ss. Each stub drops rcx/r11 into a struct trap_frame
 * (see guest.h) under an error code (0 when the CPU pushes none) and the
 * vector, and trap_common calls trap_dispatch(frame).
 */
    .text
.macro TRAP_NOERR vec
    .balign 16
trap_\vec:
    pop %rcx
    pop %r11
    push $0
    push $\vec
    jmp trap_common
.endm
.macro TRAP_ERR vec
    .balign 16
trap_\vec:
    pop %rcx
    pop %r11
    push $\vec
    jmp trap_common
.endm

TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR   21

    .section .rodata
    .globl trap_stubs
trap_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21
    .quad trap_\v
    .endr

    .text
trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    call trap_dispatch
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                   /* vector, error code */
    /* rsp -> rip, cs, rflags, rsp, ss: complete the iret hypercall frame. */
    push $0                         /* flags: not VGCF_in_syscall */
    cmpb $0, hypercall_use_page(%rip)
    jne 1f
    push %rcx
    push %r11
    push %rax
    mov $__HYPERVISOR_iret, %eax
    syscall
    ud2                             /* iret does not return here */
1:  jmp hypercall_page + __HYPERVISOR_iret * 32

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
boot_stack:
    .skip 16384
boot_stack_top:
