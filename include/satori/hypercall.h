/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall handlers, one family per file, dispatched by hypercall.c. */
#ifndef SATORI_HYPERCALL_H
#define SATORI_HYPERCALL_H

#include <satori/types.h>

typedef long (*hypercall_fn_t)(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                               uint64_t a5);

long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5);
long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);

/* The hypervisor command line, for XENVER_commandline (setup.c). */
const char *hypervisor_cmdline(void);

#endif
