/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register frame every trap and interrupt entry builds on the stack
 * (arch/x86/entry.S). Its order is the one Xen's cpu_user_regs uses, so the
 * PV code can later hand guests the same layout. Offsets used by assembly are
 * pinned with _Static_assert in traps.c.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#define REGS_R15 0
#define REGS_ERROR_CODE 120
#define REGS_RIP 128
#define REGS_SIZE 168

#ifndef __ASSEMBLY__
#include <satori/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    /* pushed by the CPU: */
    uint64_t rip, cs, rflags, rsp, ss;
};
#endif

#endif
