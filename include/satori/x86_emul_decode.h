/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A decoder for the few instructions a PV guest's kernel may execute that
 * fault at CPL 3 and that the hypervisor emulates (arch/x86/pv/emulate.c):
 * CPUID (plain and after the forced-emulation prefix), RDMSR/WRMSR,
 * RDTSC/RDTSCP, port I/O, HLT/CLI/STI, WBINVD/INVD, moves to and from
 * control and debug registers, CLTS, LMSW. 64-bit code only. Pure: no
 * hypervisor state, compiled unmodified by the host unit tests.
 */
#ifndef SATORI_X86_EMUL_DECODE_H
#define SATORI_X86_EMUL_DECODE_H

#include <satori/types.h>

#define X86_MAX_INSN_LEN 15

/* ud2; .ascii "xen": Xen's forced-emulation prefix (public/arch-x86/xen.h) */
#define X86_EMUL_FORCED_PREFIX_LEN 5

enum x86_emul_kind {
    EMUL_NONE,              /* not recognised */
    EMUL_CPUID,
    EMUL_RDMSR,
    EMUL_WRMSR,
    EMUL_RDTSC,
    EMUL_RDTSCP,
    EMUL_IN,                /* in al/ax/eax, imm8 | dx */
    EMUL_OUT,               /* out imm8 | dx, al/ax/eax */
    EMUL_INS,               /* ins[bwd] (rep optional) */
    EMUL_OUTS,              /* outs[bwd] (rep optional) */
    EMUL_HLT,
    EMUL_CLI,
    EMUL_STI,
    EMUL_WBINVD,
    EMUL_INVD,
    EMUL_MOV_FROM_CR,       /* mov %crN, gpr */
    EMUL_MOV_TO_CR,         /* mov gpr, %crN */
    EMUL_MOV_FROM_DR,
    EMUL_MOV_TO_DR,
    EMUL_CLTS,
    EMUL_LMSW,              /* register operand only */
};

/* Segment overrides, in the ModRM sreg order; SEG_NONE if absent. */
enum x86_emul_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE };

struct x86_emul_insn {
    enum x86_emul_kind kind;
    uint8_t len;            /* whole instruction, prefixes included */
    bool forced;            /* EMUL_CPUID after the forced-emulation prefix */
    /* port I/O */
    uint8_t size;           /* operand bytes: 1, 2 or 4 */
    bool port_imm;          /* port is `port` (else %dx) */
    uint8_t port;
    bool rep;               /* ins/outs: f3 prefix */
    bool addr32;            /* ins/outs: 67 prefix (esi/edi/ecx) */
    enum x86_emul_seg seg;  /* outs: source segment override */
    /* mov cr/dr, lmsw */
    uint8_t creg;           /* control or debug register number, 0-15 */
    uint8_t gpr;            /* general register, 0-15 in cpu_regs order rax=0.. */
};

/*
 * Decodes the instruction at the start of buf (n bytes available, at most
 * X86_MAX_INSN_LEN are looked at). Returns true and fills *insn if it is one
 * of the kinds above and complete; false for anything else, including a
 * truncated buffer, a LOCK prefix, or more than 15 bytes.
 */
bool x86_emul_decode(const uint8_t *buf, size_t n, struct x86_emul_insn *insn);

#endif
