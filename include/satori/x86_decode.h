/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoder of the memory-writing instructions a PV guest kernel uses on its
 * (read-only) page tables, for write emulation (arch/x86/pv/ptwr.c): mov,
 * xchg, cmpxchg, and, or, bts, btr, with a memory destination. 64-bit
 * code only. Pure: compiled unmodified by the host unit tests.
 */
#ifndef SATORI_X86_DECODE_H
#define SATORI_X86_DECODE_H

#include <satori/types.h>

#define X86_DECODE_MAX_LEN 15

enum x86_dec_op { XD_MOV, XD_XCHG, XD_CMPXCHG, XD_AND, XD_OR, XD_BTS, XD_BTR };

struct x86_dec_insn {
    enum x86_dec_op op;
    uint8_t len;            /* whole instruction, prefixes included */
    uint8_t size;           /* operand bytes: 1, 2, 4 or 8 */
    bool lock;
    bool src_imm;           /* source is imm (else general register src_reg) */
    uint8_t src_reg;        /* 0-15 in encoding order: rax rcx rdx rbx rsp rbp rsi rdi r8.. */
    uint64_t imm;           /* sign-extended to 64 bits (bt*: the bit number) */
    /* memory operand: base + index * scale + disp, or next rip + disp */
    bool rip_rel;
    int8_t base, index;     /* register numbers, -1 if none */
    uint8_t scale;
    int32_t disp;
};

/*
 * Decodes the instruction in buf[0..avail): 0, or -1 when it is not one of
 * the forms above (also: register destination, high-byte registers,
 * segment or address-size prefixes, truncated or over-long encodings).
 */
int x86_decode_mem_write(const uint8_t *buf, unsigned int avail, struct x86_dec_insn *out);

/* The memory operand's address, given the registers (encoding order) and rip. */
uint64_t x86_dec_address(const struct x86_dec_insn *in, const uint64_t gpr[16], uint64_t rip);

#endif
