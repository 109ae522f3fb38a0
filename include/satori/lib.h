/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatting: vsnprintf and friends (hypervisor/lib/vsnprintf.c). */
#ifndef SATORI_LIB_H
#define SATORI_LIB_H

#include <stdarg.h>
#include <satori/compiler.h>
#include <satori/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
