/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of what the hypervisor provides to pure modules: only
 * assert_failed(), which in the hypervisor stops the machine and here prints
 * the failed invariant and aborts (CHECK_DIES in check.h looks for both).
 */
#include <stdio.h>
#include <stdlib.h>

#include <satori/bug.h>

void assert_failed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "assert_failed: %s at %s:%d\n", expr, file, line);
    fflush(stderr);
    abort();
}
