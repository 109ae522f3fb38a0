/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * String and memory functions. The prototypes are the C library's, so a
 * module that uses them compiles unchanged on the host against glibc; in the
 * hypervisor they come from hypervisor/lib/string.c.
 */
#ifndef SATORI_STRING_H
#define SATORI_STRING_H

#include <satori/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
