/* SPDX-License-Identifier: GPL-2.0-only */
/* GDT and TSS setup for each CPU (arch/x86/desc.c). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

struct pcpu;

#include <satori/types.h>

/* Builds the CPU's GDT page and TSS and loads GDT, segments and TR. */
void desc_init_cpu(struct pcpu *p);
/* Maps the CPU's GDT window (needs the heap); load: switch GDTR to it now. */
void desc_init_gdt_window(struct pcpu *p, bool load);
/* Shows a guest's descriptor frames in pages 0..nr-1 of p's window. */
void desc_map_guest_gdt(struct pcpu *p, const uint64_t *mfns, unsigned int nr);
/* Loads an LDT of ents descriptors in nr guest frames (ents 0: none). */
void desc_map_guest_ldt(struct pcpu *p, const uint64_t *mfns, unsigned int nr, uint64_t ents);

#endif
