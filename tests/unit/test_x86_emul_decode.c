/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the privileged-instruction decoder (hypervisor/x86_emul_decode.c):
 * every kind it recognises, operand fields, prefixes, the forced-emulation
 * prefix, truncation at every length, garbage, and its numbered invariants
 * over random input.
 */
#include <satori/x86_emul_decode.h>

#include "check.h"

#define DEC(insn, ...) dec(&(insn), (const uint8_t[]){ __VA_ARGS__ },              \
                           sizeof((const uint8_t[]){ __VA_ARGS__ }))

static bool dec(struct x86_emul_insn *insn, const uint8_t *b, size_t n)
{
    return x86_emul_decode(b, n, insn);
}

/* Recognised with the whole buffer, not recognised with any proper prefix. */
static bool exact(const uint8_t *b, size_t n, enum x86_emul_kind kind)
{
    struct x86_emul_insn insn;

    if (!x86_emul_decode(b, n, &insn) || insn.kind != kind || insn.len != n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (x86_emul_decode(b, k, &insn) || insn.kind != EMUL_NONE)
            return false;
    return true;
}
#define EXACT(kind, ...) exact((const uint8_t[]){ __VA_ARGS__ },                   \
                               sizeof((const uint8_t[]){ __VA_ARGS__ }), kind)

static void test_simple_kinds(void)
{
    CHECK(EXACT(EMUL_CPUID, 0x0f, 0xa2));
    CHECK(EXACT(EMUL_RDMSR, 0x0f, 0x32));
    CHECK(EXACT(EMUL_WRMSR, 0x0f, 0x30));
    CHECK(EXACT(EMUL_RDTSC, 0x0f, 0x31));
    CHECK(EXACT(EMUL_RDTSCP, 0x0f, 0x01, 0xf9));
    CHECK(EXACT(EMUL_HLT, 0xf4));
    CHECK(EXACT(EMUL_CLI, 0xfa));
    CHECK(EXACT(EMUL_STI, 0xfb));
    CHECK(EXACT(EMUL_WBINVD, 0x0f, 0x09));
    CHECK(EXACT(EMUL_INVD, 0x0f, 0x08));
    CHECK(EXACT(EMUL_CLTS, 0x0f, 0x06));
}

static void test_forced_cpuid(void)
{
    struct x86_emul_insn i;

    CHECK(EXACT(EMUL_CPUID, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2));
    CHECK(DEC(i, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2, 0x90));
    CHECK(i.forced && i.len == 7);
    CHECK(DEC(i, 0x0f, 0xa2) && !i.forced);
    /* invariant 3: only cpuid after the prefix */
    CHECK(!DEC(i, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0x32));
    CHECK(!DEC(i, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x90));
    CHECK(!DEC(i, 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x66, 0x0f, 0xa2));
    CHECK(i.kind == EMUL_NONE);
    /* plain ud2, or a near-miss signature */
    CHECK(!DEC(i, 0x0f, 0x0b));
    CHECK(!DEC(i, 0x0f, 0x0b, 0x78, 0x65, 0x6f, 0x0f, 0xa2));
}

static void test_io(void)
{
    struct x86_emul_insn i;

    CHECK(DEC(i, 0xe4, 0x80) && i.kind == EMUL_IN && i.size == 1 && i.port_imm &&
          i.port == 0x80 && i.len == 2);
    CHECK(DEC(i, 0xe5, 0x71) && i.kind == EMUL_IN && i.size == 4 && i.port == 0x71);
    CHECK(DEC(i, 0x66, 0xe5, 0x71) && i.size == 2 && i.len == 3);
    CHECK(DEC(i, 0xe6, 0x80) && i.kind == EMUL_OUT && i.size == 1);
    CHECK(DEC(i, 0x66, 0xe7, 0x80) && i.kind == EMUL_OUT && i.size == 2);
    CHECK(DEC(i, 0xec) && i.kind == EMUL_IN && i.size == 1 && !i.port_imm && i.len == 1);
    CHECK(DEC(i, 0xed) && i.size == 4);
    CHECK(DEC(i, 0x66, 0xed) && i.size == 2);
    CHECK(DEC(i, 0xee) && i.kind == EMUL_OUT && i.size == 1);
    CHECK(DEC(i, 0x66, 0xef) && i.kind == EMUL_OUT && i.size == 2);
    /* REX.W does not widen port I/O beyond 32 bits */
    CHECK(DEC(i, 0x48, 0xed) && i.size == 4 && i.len == 2);
    CHECK(!DEC(i, 0xe4));                       /* truncated imm8 */
    CHECK(!DEC(i, 0xf0, 0xec));                 /* lock */
}

static void test_string_io(void)
{
    struct x86_emul_insn i;

    CHECK(DEC(i, 0x6c) && i.kind == EMUL_INS && i.size == 1 && !i.rep);
    CHECK(DEC(i, 0xf3, 0x6d) && i.kind == EMUL_INS && i.size == 4 && i.rep && i.len == 2);
    CHECK(DEC(i, 0x66, 0xf3, 0x6f) && i.kind == EMUL_OUTS && i.size == 2 && i.rep);
    CHECK(DEC(i, 0xf3, 0x6e) && i.kind == EMUL_OUTS && i.seg == SEG_NONE);
    CHECK(DEC(i, 0x64, 0x6e) && i.seg == SEG_FS);
    CHECK(DEC(i, 0x67, 0x6e) && i.addr32);
    CHECK(!DEC(i, 0xf2, 0x6e));                 /* repne: not a string I/O form */
}

static void test_mov_cr_dr(void)
{
    struct x86_emul_insn i;

    CHECK(DEC(i, 0x0f, 0x20, 0xc0) && i.kind == EMUL_MOV_FROM_CR && i.creg == 0 &&
          i.gpr == 0 && i.len == 3);
    CHECK(DEC(i, 0x0f, 0x20, 0xe3) && i.creg == 4 && i.gpr == 3);       /* cr4 -> rbx */
    CHECK(DEC(i, 0x0f, 0x22, 0xd9) && i.kind == EMUL_MOV_TO_CR && i.creg == 3 &&
          i.gpr == 1);                                                  /* rcx -> cr3 */
    CHECK(DEC(i, 0x44, 0x0f, 0x20, 0xc0) && i.creg == 8 && i.gpr == 0); /* REX.R: cr8 */
    CHECK(DEC(i, 0x41, 0x0f, 0x20, 0xd7) && i.creg == 2 && i.gpr == 15);/* REX.B: r15 */
    CHECK(DEC(i, 0x0f, 0x21, 0xf8) && i.kind == EMUL_MOV_FROM_DR && i.creg == 7);
    CHECK(DEC(i, 0x0f, 0x23, 0xf0) && i.kind == EMUL_MOV_TO_DR && i.creg == 6);
    /* invariant 4: the mod bits are ignored */
    CHECK(DEC(i, 0x0f, 0x20, 0x00) && i.creg == 0 && i.gpr == 0 && i.len == 3);
    /* a REX before a legacy prefix does not count (invariant 2) */
    CHECK(DEC(i, 0x44, 0x66, 0x0f, 0x20, 0xc0) && i.creg == 0 && i.len == 5);
    CHECK(!DEC(i, 0x0f, 0x20));
    CHECK(!DEC(i, 0xf0, 0x0f, 0x20, 0xc0));     /* AMD's lock-mov-cr8 alias */
}

static void test_lmsw(void)
{
    struct x86_emul_insn i;

    CHECK(DEC(i, 0x0f, 0x01, 0xf0) && i.kind == EMUL_LMSW && i.gpr == 0 && i.len == 3);
    CHECK(DEC(i, 0x41, 0x0f, 0x01, 0xf3) && i.gpr == 11);
    CHECK(!DEC(i, 0x0f, 0x01, 0x30));           /* memory operand */
    CHECK(!DEC(i, 0x0f, 0x01, 0xf8));           /* swapgs */
    CHECK(!DEC(i, 0x0f, 0x01, 0xca));           /* clac */
}

static void test_prefix_rules(void)
{
    struct x86_emul_insn i;
    uint8_t many[16];

    CHECK(!DEC(i, 0xf3, 0x0f, 0xa2));           /* invariant 2 */
    CHECK(!DEC(i, 0xf2, 0x0f, 0x32));
    CHECK(!DEC(i, 0xf0, 0x0f, 0x30));
    CHECK(DEC(i, 0x66, 0x0f, 0xa2) && i.kind == EMUL_CPUID && i.len == 3);
    CHECK(DEC(i, 0x2e, 0x0f, 0x09) && i.kind == EMUL_WBINVD && i.len == 3);
    /* 14 prefixes + a 1-byte opcode = 15 bytes: fine; 15 + 1: too long */
    memset(many, 0x66, sizeof(many));
    many[14] = 0xf4;
    CHECK(x86_emul_decode(many, 15, &i) && i.kind == EMUL_HLT && i.len == 15);
    many[14] = 0x66;
    many[15] = 0xf4;
    CHECK(!x86_emul_decode(many, 16, &i) && i.kind == EMUL_NONE);
}

static void test_garbage(void)
{
    struct x86_emul_insn i;

    CHECK(!x86_emul_decode(NULL, 0, &i) && i.kind == EMUL_NONE);
    CHECK(!DEC(i, 0x90));
    CHECK(!DEC(i, 0x0f, 0x05));                 /* syscall */
    CHECK(!DEC(i, 0x0f, 0x01, 0xd1));           /* xsetbv: not in the set */
    CHECK(!DEC(i, 0xcd, 0x80));
    CHECK(!DEC(i, 0x48));                       /* REX alone */
    CHECK(!DEC(i, 0x66, 0x66));
}

static bool same(const struct x86_emul_insn *a, const struct x86_emul_insn *b)
{
    return a->kind == b->kind && a->len == b->len && a->forced == b->forced &&
           a->size == b->size && a->port_imm == b->port_imm && a->port == b->port &&
           a->rep == b->rep && a->addr32 == b->addr32 && a->seg == b->seg &&
           a->creg == b->creg && a->gpr == b->gpr;
}

/* Invariant 1 and decode stability over random bytes. */
static void test_random(void)
{
    uint64_t seed = 0x5a7051ULL;
    uint8_t buf[X86_MAX_INSN_LEN + 4];
    struct x86_emul_insn a, b;
    unsigned int hits = 0;

    for (int iter = 0; iter < 200000; iter++) {
        size_t n = check_rand(&seed) % sizeof(buf);
        for (size_t k = 0; k < n; k++) {
            uint64_t r = check_rand(&seed);
            /* bias towards the interesting bytes */
            static const uint8_t pick[] = { 0x0f, 0x66, 0x67, 0xf3, 0x44, 0x41, 0xe4,
                                            0xec, 0x6c, 0x20, 0x22, 0x01, 0xa2, 0x32 };
            buf[k] = r & 1 ? pick[(r >> 8) % sizeof(pick)] : (uint8_t)(r >> 16);
        }
        if (!x86_emul_decode(buf, n, &a)) {
            CHECK(a.kind == EMUL_NONE);
            continue;
        }
        hits++;
        CHECK(a.kind != EMUL_NONE && a.len >= 1 && a.len <= n && a.len <= X86_MAX_INSN_LEN);
        CHECK(x86_emul_decode(buf, a.len, &b) && same(&a, &b));
        CHECK(!x86_emul_decode(buf, a.len - 1u, &b));
        CHECK(a.creg < 16 && a.gpr < 16);
        CHECK(a.size == 0 || a.size == 1 || a.size == 2 || a.size == 4);
    }
    CHECK(hits > 1000);
}

int main(void)
{
    check_module = "x86_emul_decode";
    RUN_TEST(test_simple_kinds);
    RUN_TEST(test_forced_cpuid);
    RUN_TEST(test_io);
    RUN_TEST(test_string_io);
    RUN_TEST(test_mov_cr_dr);
    RUN_TEST(test_lmsw);
    RUN_TEST(test_prefix_rules);
    RUN_TEST(test_garbage);
    RUN_TEST(test_random);
    return check_nr_failed != 0;
}
