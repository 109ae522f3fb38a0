/* SPDX-License-Identifier: GPL-2.0-only */
/* The 16550 UART driver behind the console (arch/x86/ns16550.c). */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <satori/types.h>

struct com_spec;

/* Programs COM1 from a com1= spec (NULL: 115200 8n1). */
void serial_init(const struct com_spec *spec);
void serial_putc(char c);
void serial_puts(const char *s);
/* A received byte, or -1 when none is waiting. */
int serial_getc(void);

#endif
