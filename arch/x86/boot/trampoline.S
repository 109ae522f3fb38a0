/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The application processors' first instructions. The boot CPU copies this
 * blob to TRAMPOLINE_PADDR (below 1 MiB) and sends INIT-SIPI-SIPI; the AP
 * starts in real mode at that page, enters protected mode, turns on long
 * mode with the boot page tables (which identity-map this page) and jumps
 * to ap_start_high in the image, which loads its stack and calls C.
 */
#include <asm/asm_defs.h>

#define TRAMP(sym) (TRAMPOLINE_PADDR + ((sym) - trampoline_start))

        .section .trampoline, "a", @progbits
        .code16
GLOBAL(trampoline_start)
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   tramp_gdtr - trampoline_start
        mov     %cr0, %eax
        or      $1, %eax
        mov     %eax, %cr0
        ljmpl   $0x08, $TRAMP(tramp32)

        .code32
tramp32:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %cr4, %eax
        or      $0x20, %eax                     /* PAE */
        mov     %eax, %cr4
        mov     $sym_phys(boot_pml4), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      TRAMP(tramp_efer), %eax         /* LME, and NXE if the BSP has it */
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax               /* PG | WP | PE */
        mov     %eax, %cr0
        ljmp    $0x18, $TRAMP(tramp64)

        .code64
tramp64:
        movabs  $ap_start_high, %rax
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff              /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff              /* 0x10: data */
        .quad   0x00af9a000000ffff              /* 0x18: 64-bit code */
tramp_gdt_end:
        .short  0
tramp_gdtr:
        .short  tramp_gdt_end - tramp_gdt - 1
        .long   TRAMP(tramp_gdt)
GLOBAL(tramp_efer)
        .long   0
GLOBAL(trampoline_end)

        .section .text
        .code64
ENTRY(ap_start_high)
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %ss
        /* leave the boot tables before touching memory they may not map */
        mov     idle_cr3(%rip), %rax
        mov     %rax, %cr3
        mov     ap_boot_rsp(%rip), %rsp
        xor     %ebp, %ebp
        call    start_secondary
        ud2
END(ap_start_high)
