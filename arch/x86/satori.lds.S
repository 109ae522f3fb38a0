/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linker script for the hypervisor image: one contiguous loadable range
 * starting at SATORI_LOAD_ADDR (what the multiboot headers announce), text,
 * read-only data and data each page-aligned so the idle page tables can map
 * them with the right permissions, the symbol table last before .bss.
 */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS
{
    image PT_LOAD FLAGS(7);
}

SECTIONS
{
    . = SATORI_VIRT_START + SATORI_LOAD_ADDR;
    __image_start = .;

    .text : AT(ADDR(.text) - SATORI_VIRT_START) {
        __text_start = .;
        *(.text.head)
        *(.text .text.*)
        . = ALIGN(4096);
        __text_end = .;
    } :image

    .rodata : AT(ADDR(.rodata) - SATORI_VIRT_START) {
        __rodata_start = .;
        *(.rodata.head)
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __ex_table_start = .;
        *(.ex_table)
        __ex_table_end = .;
        . = ALIGN(8);
        __param_start = .;
        *(.init.param)
        __param_end = .;
        . = ALIGN(8);
        __trampoline_start = .;
        *(.trampoline)
        __trampoline_end = .;
    } :image

    .data : AT(ADDR(.data) - SATORI_VIRT_START) {
        . = ALIGN(4096);
        __rodata_end = .;
        __data_start = .;
        *(.data.page_aligned)
        *(.data .data.*)
        . = ALIGN(8);
    } :image

    /* Kept last among the loaded sections: see scripts/gen-symbols.sh. */
    .symbols : AT(ADDR(.symbols) - SATORI_VIRT_START) {
        *(.symbols)
        . = ALIGN(4096);
        __load_end = .;
    } :image

    .bss : AT(ADDR(.bss) - SATORI_VIRT_START) {
        __bss_start = .;
        /* aligned here, not in the object, to keep the segment 4K-aligned */
        . = ALIGN(STACK_SIZE);
        *(.bss.stack_aligned)
        *(.bss.page_aligned)
        *(.bss .bss.* COMMON)
        . = ALIGN(4096);
        __bss_end = .;
    } :image
    __image_end = .;

    /DISCARD/ : {
        *(.note .note.* .comment .eh_frame .interp .dynamic .dynsym .dynstr .hash .gnu.hash)
    }
}
