/* SPDX-License-Identifier: GPL-2.0-only */
/* GDT and TSS setup for each CPU (arch/x86/desc.c). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

struct pcpu;

/* Builds the CPU's GDT page and TSS and loads GDT, segments and TR. */
void desc_init_cpu(struct pcpu *p);

#endif
