/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers for assembly sources. */
#ifndef ASM_ASM_DEFS_H
#define ASM_ASM_DEFS_H

#include <asm/layout.h>

#ifdef __ASSEMBLY__
#define ENTRY(name) .globl name; .type name, @function; name:
#define GLOBAL(name) .globl name; name:
#define END(name) .size name, . - name
/* Physical address of an image symbol, for code running before paging. */
#define sym_phys(s) ((s) - SATORI_VIRT_START)
#endif

#endif
