/* SPDX-License-Identifier: GPL-2.0-only */
/* The image's built-in symbol table, for backtraces (hypervisor/symbols.c). */
#ifndef SATORI_SYMBOLS_H
#define SATORI_SYMBOLS_H

#include <satori/types.h>

/* Writes "name+0xoff/0xsize" (or the bare hex address) for a text address. */
size_t symbols_describe(uint64_t addr, char *buf, size_t size);
/* Start address of the function containing addr, 0 if none. */
uint64_t symbols_lookup(uint64_t addr, const char **name, uint64_t *size);
/* Symbol n in address order (name, address, nm type letter); false past the end. */
bool symbols_nth(uint64_t n, const char **name, uint64_t *addr, char *type);
/* How many symbols the table holds. */
uint64_t symbols_total(void);

#endif
