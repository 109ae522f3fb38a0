/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoder of the privileged instructions a PV guest kernel may run (see
 * include/satori/x86_emul_decode.h for the list). It reads only the bytes
 * it is given and recognises a closed set; everything else, and every
 * encoding it is unsure of, is "not recognised" and the caller lets the
 * guest take its exception.
 *
 * Invariants:
 *  1. At most min(n, 15) bytes are read; a recognised instruction's len is
 *     at most that.
 *  2. LOCK, and the F2/F3 prefixes on two-byte opcodes (which select other
 *     instructions), are never recognised. REX counts only directly before
 *     the opcode, as in hardware.
 *  3. The forced-emulation prefix (ud2; "xen") is recognised only when
 *     followed directly by cpuid (0f a2): that is all Xen accepts there.
 *  4. mov to/from CR/DR use the ModRM register form whatever the mod bits;
 *     LMSW only with a register operand.
 */
#include <satori/x86_emul_decode.h>

static const uint8_t forced_prefix[X86_EMUL_FORCED_PREFIX_LEN] = {
    0x0f, 0x0b, 0x78, 0x65, 0x6e,
};

struct prefixes {
    bool opsize;            /* 66 */
    bool addr32;            /* 67 */
    bool rep;               /* f3 */
    bool repne;             /* f2 */
    bool lock;              /* f0 */
    enum x86_emul_seg seg;
    uint8_t rex;            /* 0 if none */
};

static enum x86_emul_seg seg_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: return SEG_ES;
    case 0x2e: return SEG_CS;
    case 0x36: return SEG_SS;
    case 0x3e: return SEG_DS;
    case 0x64: return SEG_FS;
    case 0x65: return SEG_GS;
    default: return SEG_NONE;
    }
}

/* Consumes legacy prefixes and one REX; returns the opcode's offset. */
static size_t read_prefixes(const uint8_t *buf, size_t n, struct prefixes *p)
{
    size_t i = 0;

    *p = (struct prefixes){ .seg = SEG_NONE };
    for (; i < n; i++) {
        uint8_t b = buf[i];

        if ((b & 0xf0) == 0x40) {
            p->rex = b;
            continue;
        }
        if (b == 0x66)
            p->opsize = true;
        else if (b == 0x67)
            p->addr32 = true;
        else if (b == 0xf3 || b == 0xf2)
            p->rep = b == 0xf3, p->repne = b == 0xf2;   /* the last one counts */
        else if (b == 0xf0)
            p->lock = true;
        else if (seg_prefix(b) != SEG_NONE)
            p->seg = seg_prefix(b);
        else
            break;
        p->rex = 0;         /* a REX before a legacy prefix is ignored */
    }
    return i;
}

static bool decode_io(uint8_t op, const uint8_t *buf, size_t i, size_t n,
                      const struct prefixes *p, struct x86_emul_insn *insn)
{
    bool wide = op & 1;

    insn->size = wide ? (p->opsize ? 2 : 4) : 1;
    switch (op) {
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
        if (i >= n)
            return false;
        insn->port_imm = true;
        insn->port = buf[i++];
        insn->kind = op & 2 ? EMUL_OUT : EMUL_IN;
        break;
    case 0xec: case 0xed:
        insn->kind = EMUL_IN;
        break;
    case 0xee: case 0xef:
        insn->kind = EMUL_OUT;
        break;
    case 0x6c: case 0x6d:
        insn->kind = EMUL_INS;
        break;
    default:                /* 0x6e, 0x6f */
        insn->kind = EMUL_OUTS;
        break;
    }
    if (insn->kind == EMUL_INS || insn->kind == EMUL_OUTS) {
        if (p->repne)
            return false;
        insn->rep = p->rep;
        insn->addr32 = p->addr32;
        insn->seg = p->seg;
    }
    insn->len = (uint8_t)i;
    return true;
}

/* 0f 20-23: mov to/from CR/DR (invariant 4). */
static bool decode_mov_crdr(uint8_t op, uint8_t modrm, const struct prefixes *p,
                            struct x86_emul_insn *insn)
{
    static const enum x86_emul_kind kinds[4] = {
        EMUL_MOV_FROM_CR, EMUL_MOV_FROM_DR, EMUL_MOV_TO_CR, EMUL_MOV_TO_DR,
    };

    insn->kind = kinds[op & 3];
    insn->creg = ((modrm >> 3) & 7) | (p->rex & 4 ? 8 : 0);
    insn->gpr = (modrm & 7) | (p->rex & 1 ? 8 : 0);
    return true;
}

static bool decode_0f(const uint8_t *buf, size_t i, size_t n, const struct prefixes *p,
                      struct x86_emul_insn *insn)
{
    uint8_t op, modrm;

    if (i >= n || p->rep || p->repne)
        return false;
    op = buf[i++];
    switch (op) {
    case 0xa2: insn->kind = EMUL_CPUID; break;
    case 0x30: insn->kind = EMUL_WRMSR; break;
    case 0x31: insn->kind = EMUL_RDTSC; break;
    case 0x32: insn->kind = EMUL_RDMSR; break;
    case 0x06: insn->kind = EMUL_CLTS; break;
    case 0x08: insn->kind = EMUL_INVD; break;
    case 0x09: insn->kind = EMUL_WBINVD; break;
    case 0x01: case 0x20: case 0x21: case 0x22: case 0x23:
        if (i >= n)
            return false;
        modrm = buf[i++];
        if (op != 0x01) {
            decode_mov_crdr(op, modrm, p, insn);
        } else if (modrm == 0xf9) {
            insn->kind = EMUL_RDTSCP;
        } else if ((modrm & 0xf8) == 0xf0) {   /* lmsw, mod 3, reg 6 */
            insn->kind = EMUL_LMSW;
            insn->gpr = (modrm & 7) | (p->rex & 1 ? 8 : 0);
        } else {
            return false;
        }
        break;
    default:
        return false;
    }
    insn->len = (uint8_t)i;
    return true;
}

static bool decode_one(const uint8_t *buf, size_t n, struct x86_emul_insn *insn)
{
    struct prefixes p;
    size_t i = read_prefixes(buf, n, &p);
    uint8_t op;

    if (i >= n || p.lock)
        return false;
    op = buf[i++];
    switch (op) {
    case 0x0f:
        return decode_0f(buf, i, n, &p, insn);
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
    case 0xec: case 0xed: case 0xee: case 0xef:
    case 0x6c: case 0x6d: case 0x6e: case 0x6f:
        return decode_io(op, buf, i, n, &p, insn);
    case 0xf4: insn->kind = EMUL_HLT; break;
    case 0xfa: insn->kind = EMUL_CLI; break;
    case 0xfb: insn->kind = EMUL_STI; break;
    default:
        return false;
    }
    insn->len = (uint8_t)i;
    return true;
}

bool x86_emul_decode(const uint8_t *buf, size_t n, struct x86_emul_insn *insn)
{
    size_t k;

    *insn = (struct x86_emul_insn){ .kind = EMUL_NONE, .seg = SEG_NONE };
    if (n > X86_MAX_INSN_LEN)
        n = X86_MAX_INSN_LEN;
    for (k = 0; k < X86_EMUL_FORCED_PREFIX_LEN && k < n; k++)
        if (buf[k] != forced_prefix[k])
            break;
    if (k == X86_EMUL_FORCED_PREFIX_LEN) {      /* invariant 3 */
        if (n < k + 2 || buf[k] != 0x0f || buf[k + 1] != 0xa2)
            return false;
        insn->kind = EMUL_CPUID;
        insn->forced = true;
        insn->len = X86_EMUL_FORCED_PREFIX_LEN + 2;
        return true;
    }
    if (!decode_one(buf, n, insn)) {
        *insn = (struct x86_emul_insn){ .kind = EMUL_NONE, .seg = SEG_NONE };
        return false;
    }
    return true;
}
