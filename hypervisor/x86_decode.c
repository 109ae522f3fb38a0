/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A decoder for the handful of memory-writing instructions that guest
 * kernels use on page-table entries (page-table write emulation, "ptwr"):
 *
 *   88/89 mov r/m,r   C6/C7 /0 mov r/m,imm   86/87 xchg r/m,r
 *   0F B0/B1 cmpxchg  08/09 or r/m,r  20/21 and r/m,r
 *   80/81/83 /1 or, /4 and r/m,imm   0F AB bts, 0F B3 btr r/m,r
 *   0F BA /5 bts, /6 btr r/m,imm8
 *
 * with the prefixes 66 (16-bit operand), F0 (lock), the CS/DS/ES/SS
 * overrides (no-ops in 64-bit mode; Linux's LOCK_PREFIX becomes DS (3E)
 * when alternatives patch a uniprocessor kernel) and a REX byte right
 * before the opcode. Everything else is refused: the caller then treats the
 * fault as a plain guest fault.
 *
 * Invariants (tests/unit/test_x86_decode.c checks each):
 *  1. Never reads buf beyond avail bytes, nor beyond X86_DECODE_MAX_LEN.
 *  2. On success len is the exact encoded length and the destination is
 *     memory (mod != 3); register-destination forms are refused.
 *  3. Refused: FS/GS overrides (their base is not the PTE address),
 *     67 address-size, F2/F3, a REX not adjacent to the opcode, and the
 *     high-byte registers ah/ch/dh/bh (byte operand, no REX, reg 4-7).
 */
#include <satori/x86_decode.h>

struct cursor {
    const uint8_t *buf;
    unsigned int avail, pos;
    bool bad;
};

static uint8_t next(struct cursor *c)
{
    if (c->pos >= c->avail || c->pos >= X86_DECODE_MAX_LEN) {   /* invariant 1 */
        c->bad = true;
        return 0;
    }
    return c->buf[c->pos++];
}

static uint64_t next_imm(struct cursor *c, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < bytes; i++)
        v |= (uint64_t)next(c) << (8 * i);
    if (bytes < 8 && (v >> (8 * bytes - 1)) & 1)
        v |= ~0ULL << (8 * bytes);                  /* sign-extend */
    return v;
}

/* ModRM (+SIB, disp): returns the reg field, or -1 for a register operand. */
static int decode_modrm(struct cursor *c, uint8_t rex, struct x86_dec_insn *in)
{
    uint8_t modrm = next(c), mod = modrm >> 6, rm = modrm & 7;

    if (mod == 3)
        return -1;                                  /* invariant 2 */
    in->base = -1;
    in->index = -1;
    in->scale = 1;
    if (rm == 4) {
        uint8_t sib = next(c), idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
        uint8_t base = sib & 7;
        in->scale = (uint8_t)(1 << (sib >> 6));
        if (idx != 4)
            in->index = (int8_t)idx;
        if (base == 5 && mod == 0)
            in->disp = (int32_t)next_imm(c, 4);
        else
            in->base = (int8_t)(base | ((rex & 1) << 3));
    } else if (rm == 5 && mod == 0) {
        in->rip_rel = true;
        in->disp = (int32_t)next_imm(c, 4);
    } else {
        in->base = (int8_t)(rm | ((rex & 1) << 3));
    }
    if (mod == 1)
        in->disp = (int32_t)next_imm(c, 1);
    else if (mod == 2)
        in->disp = (int32_t)next_imm(c, 4);
    return ((modrm >> 3) & 7) | ((rex & 4) << 1);
}

/* The operation of a one-byte or 0F opcode and its /digit, or -1. */
static int classify(uint16_t opc, int digit, bool *byte, unsigned int *imm_kind)
{
    *byte = false;
    *imm_kind = 0;                                  /* 0 none, 1 imm8, 2 imm16/32, 3 bt imm8 */
    switch (opc) {
    case 0x88: *byte = true; /* fall through */
    case 0x89: return XD_MOV;
    case 0x86: *byte = true; /* fall through */
    case 0x87: return XD_XCHG;
    case 0x08: *byte = true; /* fall through */
    case 0x09: return XD_OR;
    case 0x20: *byte = true; /* fall through */
    case 0x21: return XD_AND;
    case 0x0fb0: *byte = true; /* fall through */
    case 0x0fb1: return XD_CMPXCHG;
    case 0x0fab: return XD_BTS;
    case 0x0fb3: return XD_BTR;
    case 0xc6: *byte = true; *imm_kind = 1; return digit == 0 ? XD_MOV : -1;
    case 0xc7: *imm_kind = 2; return digit == 0 ? XD_MOV : -1;
    case 0x80: *byte = true; *imm_kind = 1; break;
    case 0x81: *imm_kind = 2; break;
    case 0x83: *imm_kind = 1; break;
    case 0x0fba: *imm_kind = 3; return digit == 5 ? XD_BTS : digit == 6 ? XD_BTR : -1;
    default: return -1;
    }
    return digit == 1 ? XD_OR : digit == 4 ? XD_AND : -1;
}

static bool uses_digit(uint16_t opc)
{
    return opc == 0xc6 || opc == 0xc7 || opc == 0x80 || opc == 0x81 || opc == 0x83 ||
           opc == 0x0fba;
}

/* Prefixes and REX; returns the opcode (0F xx as 0x0fxx) or -1. */
static int decode_prefixes(struct cursor *c, bool *opsize16, bool *lock, uint8_t *rex)
{
    uint8_t b = next(c);

    for (;;) {
        if (b == 0x66)
            *opsize16 = true;
        else if (b == 0xf0)
            *lock = true;
        else if (b != 0x26 && b != 0x2e && b != 0x36 && b != 0x3e)
            break;
        b = next(c);
    }
    if ((b & 0xf0) == 0x40) {
        *rex = b;
        b = next(c);
    }
    if (b == 0x0f)
        return 0x0f00 | next(c);
    if ((b & 0xf0) == 0x40 || b == 0x66 || b == 0xf0 || b == 0x26 || b == 0x2e ||
        b == 0x36 || b == 0x3e)
        return -1;                                  /* invariant 3 */
    return b;
}

int x86_decode_mem_write(const uint8_t *buf, unsigned int avail, struct x86_dec_insn *out)
{
    struct cursor c = { .buf = buf, .avail = avail };
    struct x86_dec_insn in = { 0 };
    bool opsize16 = false, byte;
    unsigned int imm_kind;
    uint8_t rex = 0;
    int opc, reg, op;

    opc = decode_prefixes(&c, &opsize16, &in.lock, &rex);
    if (opc < 0 || c.bad)
        return -1;
    /* The /digit is in the ModRM, which decode_modrm reads: peek it first. */
    if (c.pos >= c.avail)
        return -1;
    op = classify((uint16_t)opc, (c.buf[c.pos] >> 3) & 7, &byte, &imm_kind);
    if (op < 0)
        return -1;
    reg = decode_modrm(&c, rex, &in);
    if (reg < 0)
        return -1;
    in.op = (enum x86_dec_op)op;
    in.size = byte ? 1 : (rex & 8) ? 8 : opsize16 ? 2 : 4;
    if (uses_digit((uint16_t)opc)) {
        in.src_imm = true;
        in.imm = imm_kind == 2 ? next_imm(&c, in.size == 2 ? 2 : 4) : next_imm(&c, 1);
        if (imm_kind == 3)
            in.imm &= 0xff;
    } else {
        if (byte && !rex && reg >= 4)
            return -1;                              /* ah/ch/dh/bh: invariant 3 */
        in.src_reg = (uint8_t)reg;
    }
    if (c.bad)
        return -1;
    in.len = (uint8_t)c.pos;
    *out = in;
    return 0;
}

uint64_t x86_dec_address(const struct x86_dec_insn *in, const uint64_t gpr[16], uint64_t rip)
{
    uint64_t a = (uint64_t)(int64_t)in->disp;

    if (in->rip_rel)
        return rip + in->len + a;
    if (in->base >= 0)
        a += gpr[in->base & 15];
    if (in->index >= 0)
        a += gpr[in->index & 15] * in->scale;
    return a;
}
