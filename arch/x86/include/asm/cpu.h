/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU identification and per-CPU control-register setup (arch/x86/cpu.c). */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <satori/types.h>

/* A feature is (word << 5) | bit; words are the CPUID registers below. */
enum cpuid_word {
    CPUID_1_ECX, CPUID_1_EDX, CPUID_7_EBX, CPUID_7_ECX, CPUID_7_EDX,
    CPUID_80000001_ECX, CPUID_80000001_EDX, CPUID_80000007_EDX, NCPUID_WORDS
};
#define FEAT(w, b) (((w) << 5) | (b))
#define X86_FEATURE_XMM3         FEAT(CPUID_1_ECX, 0)
#define X86_FEATURE_PCID         FEAT(CPUID_1_ECX, 17)
#define X86_FEATURE_X2APIC       FEAT(CPUID_1_ECX, 21)
#define X86_FEATURE_TSC_DEADLINE FEAT(CPUID_1_ECX, 24)
#define X86_FEATURE_XSAVE        FEAT(CPUID_1_ECX, 26)
#define X86_FEATURE_HYPERVISOR   FEAT(CPUID_1_ECX, 31)
#define X86_FEATURE_FPU          FEAT(CPUID_1_EDX, 0)
#define X86_FEATURE_PSE          FEAT(CPUID_1_EDX, 3)
#define X86_FEATURE_TSC          FEAT(CPUID_1_EDX, 4)
#define X86_FEATURE_APIC         FEAT(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE          FEAT(CPUID_1_EDX, 13)
#define X86_FEATURE_FXSR         FEAT(CPUID_1_EDX, 24)
#define X86_FEATURE_XMM          FEAT(CPUID_1_EDX, 25)
#define X86_FEATURE_XMM2         FEAT(CPUID_1_EDX, 26)
#define X86_FEATURE_FSGSBASE     FEAT(CPUID_7_EBX, 0)
#define X86_FEATURE_SMEP         FEAT(CPUID_7_EBX, 7)
#define X86_FEATURE_INVPCID      FEAT(CPUID_7_EBX, 10)
#define X86_FEATURE_SMAP         FEAT(CPUID_7_EBX, 20)
#define X86_FEATURE_UMIP         FEAT(CPUID_7_ECX, 2)
#define X86_FEATURE_PKU          FEAT(CPUID_7_ECX, 3)
#define X86_FEATURE_SYSCALL      FEAT(CPUID_80000001_EDX, 11)
#define X86_FEATURE_NX           FEAT(CPUID_80000001_EDX, 20)
#define X86_FEATURE_PAGE1GB      FEAT(CPUID_80000001_EDX, 26)
#define X86_FEATURE_LM           FEAT(CPUID_80000001_EDX, 29)
#define X86_FEATURE_INVARIANT_TSC FEAT(CPUID_80000007_EDX, 8)

struct cpuinfo_x86 {
    uint32_t words[NCPUID_WORDS];
    char vendor[13];
    char brand[49];
    unsigned int family, model, stepping;
    uint64_t xcr0;                  /* XSAVE features enabled, 0 without XSAVE */
    uint32_t xsave_size;
};

extern struct cpuinfo_x86 boot_cpu;

static inline bool cpu_has(unsigned int feature)
{
    return boot_cpu.words[feature >> 5] & (1u << (feature & 31));
}

void cpu_identify_bsp(void);
/* Control registers, EFER, FPU/SSE/XSAVE for the calling CPU. */
void cpu_init_local(void);

#endif
