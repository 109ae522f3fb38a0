/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The smallest PV kernel: Xen ELF notes, then at entry it prints a line
 * through console_io, checks start_info's magic and xen_version's answer,
 * and powers off through sched_op. It proves the dom0 builder, ring-3
 * entry, the syscall hypercall path and shutdown end to end; the test-guest
 * framework in tests/guests/ does the thorough ABI checking.
 */
#define XEN_ELFNOTE_ENTRY 1
#define XEN_ELFNOTE_VIRT_BASE 3
#define XEN_ELFNOTE_PADDR_OFFSET 4
#define XEN_ELFNOTE_XEN_VERSION 5
#define XEN_ELFNOTE_GUEST_OS 6
#define XEN_ELFNOTE_LOADER 8
#define XEN_ELFNOTE_PAE_MODE 9

.macro NOTE_HEAD type
        .balign 4
        .long   4
        .long   2f - 1f
        .long   \type
        .asciz  "Xen"
        .balign 4
1:
.endm
.macro NOTE_STR type, str
        NOTE_HEAD \type
        .asciz  "\str"
2:      .balign 4
.endm
.macro NOTE_QUAD type, value
        NOTE_HEAD \type
        .quad   \value
2:      .balign 4
.endm

        .section .note.Xen, "a", @note
        NOTE_STR XEN_ELFNOTE_GUEST_OS, "minipv"
        NOTE_STR XEN_ELFNOTE_XEN_VERSION, "xen-3.0"
        NOTE_STR XEN_ELFNOTE_LOADER, "generic"
        NOTE_STR XEN_ELFNOTE_PAE_MODE, "yes"
        NOTE_QUAD XEN_ELFNOTE_VIRT_BASE, 0xffffffff80000000
        NOTE_QUAD XEN_ELFNOTE_PADDR_OFFSET, 0xffffffff80000000
        NOTE_QUAD XEN_ELFNOTE_ENTRY, _start

        .text
        .globl _start
_start:
        mov     %rsi, %r12                      /* start_info */
        lea     msg_hello(%rip), %rdx
        mov     $msg_hello_len, %esi
        call    console_write
        /* start_info magic: "xen-3.0-x86_64" */
        lea     msg_magic_bad(%rip), %rdx
        mov     $msg_magic_bad_len, %esi
        movabs  $0x2d302e332d6e6578, %rax       /* "xen-3.0-" */
        cmp     %rax, (%r12)
        jne     1f
        lea     msg_magic_ok(%rip), %rdx
        mov     $msg_magic_ok_len, %esi
1:      call    console_write
        /* xen_version(XENVER_version) must say 4.17 */
        mov     $17, %eax
        xor     %edi, %edi
        xor     %esi, %esi
        syscall
        lea     msg_version_bad(%rip), %rdx
        mov     $msg_version_bad_len, %esi
        cmp     $0x40011, %eax
        jne     1f
        lea     msg_version_ok(%rip), %rdx
        mov     $msg_version_ok_len, %esi
1:      call    console_write
        /* an unknown hypercall must be -ENOSYS (-38) */
        mov     $63, %eax
        syscall
        lea     msg_enosys_bad(%rip), %rdx
        mov     $msg_enosys_bad_len, %esi
        cmp     $-38, %rax
        jne     1f
        lea     msg_enosys_ok(%rip), %rdx
        mov     $msg_enosys_ok_len, %esi
1:      call    console_write
        /* sched_op(SCHEDOP_shutdown, {SHUTDOWN_poweroff}) */
        mov     $29, %eax
        mov     $2, %edi
        lea     shutdown_reason(%rip), %rsi
        syscall
        lea     msg_still_here(%rip), %rdx
        mov     $msg_still_here_len, %esi
        call    console_write
        ud2

/* console_io(CONSOLEIO_write, %esi bytes, %rdx) */
console_write:
        mov     $18, %eax
        xor     %edi, %edi
        syscall
        ret

.macro MSG name, text
\name:  .ascii  "\text"
        .set    \name\()_len, . - \name
.endm
        .section .rodata
        MSG msg_hello, "minipv: hello from a PV guest\n"
        MSG msg_magic_ok, "minipv: start_info magic ok\n"
        MSG msg_magic_bad, "minipv: start_info magic BAD\n"
        MSG msg_version_ok, "minipv: xen_version 4.17 ok\n"
        MSG msg_version_bad, "minipv: xen_version BAD\n"
        MSG msg_enosys_ok, "minipv: unknown hypercall -ENOSYS ok\n"
        MSG msg_enosys_bad, "minipv: unknown hypercall BAD\n"
        MSG msg_still_here, "minipv: shutdown returned\n"
        .balign 4
shutdown_reason:
        .long   0
