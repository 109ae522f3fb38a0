/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The image's first bytes and first instructions: the multiboot1 and
 * multiboot2 headers, the 32-bit entry both loaders jump to, the switch to
 * long mode on boot page tables, and the jump to C (start_satori).
 *
 * Both headers use the "address" form (load/bss/entry addresses given
 * explicitly), so GRUB and QEMU's -kernel load the file as a flat image at
 * SATORI_LOAD_ADDR without interpreting the 64-bit ELF. The boot page
 * tables map the first 4 GiB three times: identity (for this code and the AP
 * trampoline), at SATORI_VIRT_START (the image) and at DIRECTMAP_VIRT_START;
 * C code replaces them with the real idle page tables.
 */
#include <asm/asm_defs.h>

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003        /* align modules, memory info, addresses */
#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289

#define COM1 0x3f8

        .section .text.head, "ax", @progbits
        .code32

        .balign 8
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long sym_phys(mb1_header)
        .long sym_phys(__image_start)
        .long sym_phys(__load_end)
        .long sym_phys(__bss_end)
        .long sym_phys(start32)

        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long 0                                 /* i386 protected mode */
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
        /* information request: cmdline, modules, meminfo, mmap, ACPI */
        .balign 8
1:      .short 1, 0
        .long 2f - 1b
        .long 1, 3, 4, 6, 14, 15
2:      .balign 8
1:      .short 2, 0                             /* address tag */
        .long 2f - 1b
        .long sym_phys(mb2_header)
        .long sym_phys(__image_start)
        .long sym_phys(__load_end)
        .long sym_phys(__bss_end)
2:      .balign 8
1:      .short 3, 0                             /* entry address tag */
        .long 2f - 1b
        .long sym_phys(start32)
2:      .balign 8
        .short 6, 0                             /* page-align modules */
        .long 8
        .balign 8
        .short 0, 0                             /* end tag */
        .long 8
mb2_header_end:

/* Print the NUL-terminated string at %esi on COM1, then halt forever. */
early_fatal:
        mov     $COM1 + 5, %dx
1:      in      %dx, %al
        test    $0x20, %al
        jz      1b
        lodsb
        test    %al, %al
        jz      2f
        mov     $COM1, %dx
        out     %al, %dx
        mov     $COM1 + 5, %dx
        jmp     1b
2:      cli
        hlt
        jmp     2b

ENTRY(start32)
        cld
        cli
        mov     %eax, %edi                      /* loader magic */
        mov     %ebx, %ebp                      /* loader info (physical) */

        mov     $sym_phys(msg_not_multiboot), %esi
        cmp     $MB1_BOOT_MAGIC, %edi
        je      1f
        cmp     $MB2_BOOT_MAGIC, %edi
        jne     early_fatal
1:
        /* Long mode is the one thing we cannot run without. */
        mov     $sym_phys(msg_no_long_mode), %esi
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      early_fatal
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     early_fatal
        mov     %edx, %ebx                      /* keep NX support (bit 20) */

        /* Zero .bss: the loaders are asked to, but do not rely on it. */
        push    %edi
        mov     $sym_phys(__bss_start), %edi
        mov     $sym_phys(__bss_end), %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        rep stosb
        pop     %edi

        mov     $sym_phys(boot_stack_top), %esp

        /* PAE, boot page tables, EFER.LME (+NXE), paging. */
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        mov     $sym_phys(boot_pml4), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x100, %eax                    /* LME */
        bt      $20, %ebx
        jnc     1f
        or      $0x800, %eax                    /* NXE */
1:      wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax               /* PG | WP | PE */
        mov     %eax, %cr0

        lgdt    sym_phys(boot_gdtr)
        ljmp    $0x08, $sym_phys(start64_low)

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

start64_high:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        lea     boot_stack_top - STACK_TOP_RESERVE(%rip), %rsp
        mov     %edi, %edi                      /* arg 1: loader magic */
        mov     %ebp, %esi                      /* arg 2: loader info paddr */
        xor     %ebp, %ebp                      /* end of the frame chain */
        call    start_satori
        ud2
END(start32)

        .section .rodata.head, "a", @progbits
msg_not_multiboot:
        .asciz  "Satori: not started by a multiboot loader; boot it with GRUB's multiboot2 or QEMU -kernel\r\n"
msg_no_long_mode:
        .asciz  "Satori: this CPU has no 64-bit long mode; Satori needs an x86-64 CPU\r\n"

        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff              /* 0x08: 64-bit code, ring 0 */
        .quad   0x00cf92000000ffff              /* 0x10: data, ring 0 */
boot_gdt_end:
        .balign 8
        .short  0
boot_gdtr:
        .short  boot_gdt_end - boot_gdt - 1
        .long   sym_phys(boot_gdt)

/*
 * Boot page tables: 4 GiB of 2 MiB pages, reachable at VA 0 (identity),
 * at SATORI_VIRT_START (first GiB only: the image) and at the direct map.
 */
        .section .data.page_aligned, "aw", @progbits
        .balign 4096
GLOBAL(boot_pml4)
        .quad   sym_phys(boot_pdpt_low) + 3
        .fill   L4_SLOT(SATORI_VIRT_START) - 1, 8, 0
        .quad   sym_phys(boot_pdpt_image) + 3
        .quad   sym_phys(boot_pdpt_low) + 3
        .fill   511 - L4_SLOT(DIRECTMAP_VIRT_START), 8, 0

        .balign 4096
boot_pdpt_low:
        .quad   sym_phys(boot_pd) + 0x0003
        .quad   sym_phys(boot_pd) + 0x1003
        .quad   sym_phys(boot_pd) + 0x2003
        .quad   sym_phys(boot_pd) + 0x3003
        .fill   508, 8, 0

        .balign 4096
boot_pdpt_image:
        .fill   L3_SLOT(SATORI_VIRT_START), 8, 0
        .quad   sym_phys(boot_pd) + 3
        .fill   511 - L3_SLOT(SATORI_VIRT_START), 8, 0

        .balign 4096
GLOBAL(boot_pd)
        .set    i, 0
        .rept   2048
        .quad   (i << 21) | 0x83
        .set    i, i + 1
        .endr

        /* satori.lds.S aligns this section to STACK_SIZE */
        .section .bss.stack_aligned, "aw", @nobits
        .balign 4096
GLOBAL(boot_stack)
        .skip   STACK_SIZE
GLOBAL(boot_stack_top)
