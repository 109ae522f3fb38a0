// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmce: the virtual machine-check architecture a PV kernel sees. CPUID
 * shows MCE and MCA, and the MSRs behind them answer as Xen 4.17's vMCE:
 * two banks (MCG_CAP 2 on AMD; on Intel also SER, TES and CMCI), MCi_CTL
 * all ones and ignoring writes, STATUS/ADDR/MISC zero and refusing
 * non-zero writes, MCG_STATUS kept per vCPU, the rest of the bank range
 * reading zero and ignoring writes. Linux's MCE code initialises on this
 * (no "mce: Unable to init MCE device").
 */
#include <stdbool.h>
#include "guest.h"

const char guest_name[] = "vmce";

#define FORCED_CPUID ".byte 0x0f,0x0b,0x78,0x65,0x6e\n\tcpuid"

#define MSR_MCG_CAP     0x179
#define MSR_MCG_STATUS  0x17a
#define MSR_MCG_CTL     0x17b
#define MSR_MC0_CTL2    0x280
#define MSR_MC0_CTL     0x400
#define MSR_MCG_EXT_CTL 0x4d0
#define MC_CTL(b)    (MSR_MC0_CTL + 4 * (b))
#define MC_STATUS(b) (MSR_MC0_CTL + 4 * (b) + 1)
#define MC_ADDR(b)   (MSR_MC0_CTL + 4 * (b) + 2)
#define MC_MISC(b)   (MSR_MC0_CTL + 4 * (b) + 3)

#define GP 13
#define NONE (-1)

static void fcpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile(FORCED_CPUID : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                 : "a"(leaf), "c"(0));
}

static int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    trap_reset();
    asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                 "rdmsr\n9:\n\tmovq $0, trap_resume(%%rip)"
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "r8", "memory");
    *val = ((uint64_t)hi << 32) | lo;
    return last_trap.taken ? (int)last_trap.vector : NONE;
}

static int wrmsr_safe(uint32_t msr, uint64_t val)
{
    trap_reset();
    asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                 "wrmsr\n9:\n\tmovq $0, trap_resume(%%rip)"
                 :: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr)
                 : "r8", "memory");
    return last_trap.taken ? (int)last_trap.vector : NONE;
}

/* rdmsr that must not fault: its value, or a failed case and ~0. */
static uint64_t rd(uint32_t msr)
{
    uint64_t v;

    if (rdmsr_safe(msr, &v) != NONE) {
        case_fail("rdmsr %#x faulted", msr);
        return ~0UL;
    }
    return v;
}

static bool intel;

void guest_main(void)
{
    uint32_t r[4];
    uint64_t v;

    fcpuid(0, r);
    intel = r[1] == 0x756e6547;         /* "Genu" */

    case_begin("cpuid_mce_mca");
    fcpuid(1, r);
    CHECK(r[3] & (1u << 7));            /* MCE */
    CHECK(r[3] & (1u << 14));           /* MCA */
    case_end();

    /* Two banks; Intel adds software recovery, threshold status and CMCI. */
    case_begin("mcg_cap");
    v = rd(MSR_MCG_CAP);
    printf("MCG_CAP %#lx\n", v);
    CHECK_EQ(v, intel ? (1UL << 24) | (1UL << 11) | (1UL << 10) | 2 : 2);
    CHECK_EQ(wrmsr_safe(MSR_MCG_CAP, 0x1234), NONE);        /* ignored */
    CHECK_EQ(rd(MSR_MCG_CAP), v);
    case_end();

    case_begin("mcg_ctl_status");
    CHECK_EQ(rd(MSR_MCG_CTL), 0);       /* no MCG_CTL_P */
    CHECK_EQ(wrmsr_safe(MSR_MCG_CTL, ~0UL), NONE);
    CHECK_EQ(rd(MSR_MCG_CTL), 0);
    CHECK_EQ(rd(MSR_MCG_STATUS), 0);
    CHECK_EQ(wrmsr_safe(MSR_MCG_STATUS, 5), NONE);
    CHECK_EQ(rd(MSR_MCG_STATUS), 5);
    CHECK_EQ(wrmsr_safe(MSR_MCG_STATUS, 0), NONE);
    CHECK_EQ(rd(MSR_MCG_STATUS), 0);
    CHECK_EQ(rdmsr_safe(MSR_MCG_EXT_CTL, &v), GP);          /* no local MCE */
    CHECK_EQ(wrmsr_safe(MSR_MCG_EXT_CTL, 0), GP);
    case_end();

    case_begin("bank_ctl");
    for (unsigned int b = 0; b < 2; b++) {
        CHECK_EQ(rd(MC_CTL(b)), ~0UL);
        CHECK_EQ(wrmsr_safe(MC_CTL(b), 0), NONE);
        CHECK_EQ(rd(MC_CTL(b)), ~0UL);
    }
    case_end();

    /* Only zero may be written: dom0 clears what it logged. */
    case_begin("bank_status_addr_misc");
    for (unsigned int b = 0; b < 2; b++) {
        const uint32_t msrs[3] = { MC_STATUS(b), MC_ADDR(b), MC_MISC(b) };
        for (unsigned int i = 0; i < 3; i++) {
            CHECK_EQ(rd(msrs[i]), 0);
            CHECK_EQ(wrmsr_safe(msrs[i], 0), NONE);
            CHECK_EQ(wrmsr_safe(msrs[i], 1), GP);
            CHECK_EQ(last_trap.error_code, 0);
            CHECK_EQ(rd(msrs[i]), 0);
        }
    }
    case_end();

    /* Banks the guest was not given: zero, writes dropped, no fault. */
    case_begin("bank_range_beyond");
    CHECK_EQ(rd(MC_CTL(2)), 0);
    CHECK_EQ(wrmsr_safe(MC_CTL(2), 1), NONE);
    CHECK_EQ(rd(MC_STATUS(5)), 0);
    CHECK_EQ(wrmsr_safe(MC_STATUS(5), 7), NONE);
    CHECK_EQ(rd(MC_MISC(31)), 0);
    CHECK_EQ(rdmsr_safe(MC_MISC(31) + 1, &v), GP);         /* past the range */
    CHECK_EQ(rdmsr_safe(0xc0000408, &v), GP);   /* AMD's MC4_MISC1: not Xen 4.17's vMCE */
    case_end();

    /* MCi_CTL2 (Intel's CMCI control): the two banks keep what is written. */
    case_begin("bank_ctl2");
    CHECK_EQ(rd(MSR_MC0_CTL2), 0);
    CHECK_EQ(wrmsr_safe(MSR_MC0_CTL2 + 1, 0x40000001), NONE);
    CHECK_EQ(rd(MSR_MC0_CTL2 + 1), intel ? 0x40000001 : 0);
    CHECK_EQ(wrmsr_safe(MSR_MC0_CTL2 + 1, 0), NONE);
    CHECK_EQ(rd(MSR_MC0_CTL2 + 5), 0);
    CHECK_EQ(wrmsr_safe(MSR_MC0_CTL2 + 5, 1), NONE);
    CHECK_EQ(rd(MSR_MC0_CTL2 + 31), 0);
    case_end();
}
