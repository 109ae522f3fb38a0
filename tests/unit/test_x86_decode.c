/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the page-table write decoder (hypervisor/x86_decode.c) on
 * hand-assembled encodings (checked against GNU as), with each buffer on
 * the heap at exactly its length, so ASan catches any read past it
 * (invariant 1).
 */
#include <satori/x86_decode.h>

#include "check.h"

static int decode(const uint8_t *bytes, unsigned int n, struct x86_dec_insn *in)
{
    uint8_t *buf = malloc(n ? n : 1);
    int rc;

    memcpy(buf, bytes, n);
    rc = x86_decode_mem_write(buf, n, in);
    free(buf);
    return rc;
}

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static const uint64_t regs[16] = { 0x1000, 0x11, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000,
                                   0x8000, 0x9000, 0xa000, 0xb000, 0xc000, 0xd000, 0xe000,
                                   0xf000 };

static void test_mov_forms(void)
{
    struct x86_dec_insn in;

    CHECK(decode(B(0x48, 0x89, 0x07), &in) == 0);           /* mov %rax,(%rdi) */
    CHECK(in.op == XD_MOV && in.size == 8 && !in.src_imm && in.src_reg == 0 && in.len == 3);
    CHECK(x86_dec_address(&in, regs, 0) == 0x7000);
    CHECK(decode(B(0x4c, 0x89, 0x44, 0x24, 0x08), &in) == 0);   /* mov %r8,8(%rsp) */
    CHECK(in.src_reg == 8 && in.len == 5 && x86_dec_address(&in, regs, 0) == 0x4008);
    CHECK(decode(B(0x48, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), &in) == 0);
    CHECK(in.src_imm && in.imm == 0x12345678 && in.len == 7 && in.size == 8);
    CHECK(decode(B(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), &in) == 0);
    CHECK(in.imm == ~0ULL);                                    /* sign-extended */
    CHECK(decode(B(0x66, 0x89, 0x07), &in) == 0 && in.size == 2 && in.len == 3);
    CHECK(decode(B(0x89, 0x07), &in) == 0 && in.size == 4 && in.len == 2);
    CHECK(decode(B(0x66, 0xc7, 0x07, 0x34, 0x12), &in) == 0 && in.imm == 0x1234 && in.len == 5);
    CHECK(decode(B(0x40, 0x88, 0x27), &in) == 0 && in.size == 1 && in.src_reg == 4);
    CHECK(decode(B(0xc6, 0x07, 0x80), &in) == 0 && in.imm == 0xffffffffffffff80ULL);
}

static void test_addressing(void)
{
    struct x86_dec_insn in;

    CHECK(decode(B(0x48, 0x89, 0x05, 0x10, 0x00, 0x00, 0x00), &in) == 0);   /* 0x10(%rip) */
    CHECK(in.rip_rel && x86_dec_address(&in, regs, 0x100) == 0x100 + 7 + 0x10);
    CHECK(decode(B(0x48, 0x89, 0x04, 0xc8), &in) == 0);      /* (%rax,%rcx,8) */
    CHECK(x86_dec_address(&in, regs, 0) == 0x1000 + 0x11 * 8);
    CHECK(decode(B(0x48, 0x89, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00), &in) == 0);
    CHECK(in.base == -1 && in.index == -1 && x86_dec_address(&in, regs, 0) == 0x1000);
    CHECK(decode(B(0x4a, 0x89, 0x04, 0xc8), &in) == 0);      /* (%rax,%r9,8) */
    CHECK(in.index == 9 && x86_dec_address(&in, regs, 0) == 0x1000 + 0x9000 * 8);
    CHECK(decode(B(0x41, 0x89, 0x45, 0x00), &in) == 0);      /* 0(%r13) */
    CHECK(in.base == 13 && in.len == 4 && x86_dec_address(&in, regs, 0) == 0xd000);
    CHECK(decode(B(0x48, 0x89, 0x87, 0xf8, 0xff, 0xff, 0xff), &in) == 0);   /* -8(%rdi) */
    CHECK(x86_dec_address(&in, regs, 0) == 0x7000 - 8 && in.len == 7);
    CHECK(decode(B(0x48, 0x89, 0x44, 0x24, 0xf8), &in) == 0);   /* -8(%rsp) */
    CHECK(x86_dec_address(&in, regs, 0) == 0x4000 - 8);
}

static void test_atomic_forms(void)
{
    struct x86_dec_insn in;

    CHECK(decode(B(0x48, 0x87, 0x07), &in) == 0 && in.op == XD_XCHG && in.len == 3);
    CHECK(decode(B(0xf0, 0x48, 0x0f, 0xb1, 0x17), &in) == 0);   /* lock cmpxchg %rdx,(%rdi) */
    CHECK(in.op == XD_CMPXCHG && in.lock && in.src_reg == 2 && in.len == 5 && in.size == 8);
    CHECK(decode(B(0xf0, 0x80, 0x27, 0xfd), &in) == 0);         /* lock andb $0xfd,(%rdi) */
    CHECK(in.op == XD_AND && in.size == 1 && in.src_imm && (in.imm & 0xff) == 0xfd);
    CHECK(decode(B(0xf0, 0x48, 0x0f, 0xba, 0x37, 0x01), &in) == 0);   /* lock btrq $1 */
    CHECK(in.op == XD_BTR && in.imm == 1 && in.len == 6);
    CHECK(decode(B(0xf0, 0x48, 0x0f, 0xba, 0x2f, 0x3f), &in) == 0 && in.op == XD_BTS);
    CHECK(decode(B(0xf0, 0x48, 0x0f, 0xb3, 0x07), &in) == 0 && in.op == XD_BTR && !in.src_imm);
    CHECK(decode(B(0xf0, 0x48, 0x0f, 0xab, 0x07), &in) == 0 && in.op == XD_BTS);
    CHECK(decode(B(0xf0, 0x48, 0x09, 0x07), &in) == 0 && in.op == XD_OR && in.len == 4);
    CHECK(decode(B(0x48, 0x21, 0x07), &in) == 0 && in.op == XD_AND);
    CHECK(decode(B(0x48, 0x83, 0x0f, 0x01), &in) == 0 && in.op == XD_OR && in.imm == 1);
    CHECK(decode(B(0x48, 0x81, 0x27, 0x00, 0xf0, 0xff, 0xff), &in) == 0);
    CHECK(in.op == XD_AND && in.imm == ~0xfffULL && in.len == 7);
    CHECK(decode(B(0x86, 0x07), &in) == 0 && in.size == 1);
    CHECK(decode(B(0x0f, 0xb0, 0x0f), &in) == 0 && in.size == 1 && in.src_reg == 1);
    /* Linux's ptep_set_wrprotect on a UP kernel: ds andb $0xfd,(%r12) */
    CHECK(decode(B(0x3e, 0x41, 0x80, 0x24, 0x24, 0xfd), &in) == 0);
    CHECK(in.op == XD_AND && in.size == 1 && in.base == 12 && in.len == 6);
    CHECK(decode(B(0x2e, 0x26, 0x36, 0x48, 0x89, 0x07), &in) == 0 && in.len == 6);
}

/* Invariants 2 and 3: what must be refused. */
static void test_refused(void)
{
    struct x86_dec_insn in;

    CHECK(decode(B(0x48, 0x89, 0xc7), &in) == -1);            /* register destination */
    CHECK(decode(B(0x88, 0x27), &in) == -1);                  /* %ah */
    CHECK(decode(B(0x64, 0x48, 0x89, 0x07), &in) == -1);      /* fs: */
    CHECK(decode(B(0x65, 0x48, 0x89, 0x07), &in) == -1);      /* gs: */
    CHECK(decode(B(0x67, 0x48, 0x89, 0x07), &in) == -1);      /* addr32 */
    CHECK(decode(B(0xf3, 0x48, 0x89, 0x07), &in) == -1);
    CHECK(decode(B(0x48, 0x66, 0x89, 0x07), &in) == -1);      /* REX not last */
    CHECK(decode(B(0x48, 0x3e, 0x89, 0x07), &in) == -1);
    CHECK(decode(B(0x48, 0x48, 0x89, 0x07), &in) == -1);
    CHECK(decode(B(0x48, 0x01, 0x07), &in) == -1);            /* add */
    CHECK(decode(B(0xc6, 0x0f, 0x01), &in) == -1);            /* c6 /1 */
    CHECK(decode(B(0x80, 0x07, 0x01), &in) == -1);            /* add imm */
    CHECK(decode(B(0x0f, 0xba, 0x27, 0x01), &in) == -1);      /* bt (no write) */
    CHECK(decode(B(0xaa), &in) == -1);                        /* stos */
    CHECK(decode(B(0x0f), &in) == -1);
}

static void test_truncated_and_overlong(void)
{
    static const uint8_t enc[][8] = {
        { 0x48, 0x89, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00 },
        { 0xf0, 0x48, 0x0f, 0xba, 0x37, 0x01 },
        { 0x48, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12 },
        { 0x4c, 0x89, 0x44, 0x24, 0x08 },
    };
    static const unsigned int lens[] = { 8, 6, 7, 5 };
    struct x86_dec_insn in;
    uint8_t longest[16];

    for (unsigned int i = 0; i < 4; i++) {
        CHECK(decode(enc[i], lens[i], &in) == 0 && in.len == lens[i]);
        for (unsigned int n = 0; n < lens[i]; n++)
            CHECK(decode(enc[i], n, &in) == -1);             /* invariant 1 */
    }
    memset(longest, 0x66, sizeof(longest));
    longest[13] = 0x89;
    longest[14] = 0x07;
    CHECK(decode(longest, 15, &in) == 0 && in.len == 15);
    longest[14] = 0x89;
    longest[15] = 0x07;
    CHECK(decode(longest, 16, &in) == -1);                    /* 16 bytes: too long */
}

static void test_random_bytes(void)
{
    uint64_t seed = 12345;
    struct x86_dec_insn in;
    uint8_t buf[X86_DECODE_MAX_LEN];
    unsigned int ok = 0;

    for (unsigned int i = 0; i < 200000; i++) {
        unsigned int n = (unsigned int)(check_rand(&seed) % (X86_DECODE_MAX_LEN + 1));
        for (unsigned int j = 0; j < n; j++)
            buf[j] = (uint8_t)check_rand(&seed);
        if (n && (check_rand(&seed) & 1))
            buf[0] = (uint8_t[]){ 0x48, 0xf0, 0x66, 0x0f }[check_rand(&seed) % 4];
        if (decode(buf, n, &in) == 0) {
            CHECK(in.len >= 2 && in.len <= n);
            CHECK(in.size == 1 || in.size == 2 || in.size == 4 || in.size == 8);
            ok++;
        }
    }
    CHECK(ok > 100);
}

int main(void)
{
    check_module = "x86_decode";
    RUN_TEST(test_mov_forms);
    RUN_TEST(test_addressing);
    RUN_TEST(test_atomic_forms);
    RUN_TEST(test_refused);
    RUN_TEST(test_truncated_and_overlong);
    RUN_TEST(test_random_bytes);
    return check_nr_failed ? 1 : 0;
}
