/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU identification (CPUID read once on the boot CPU: all CPUs are assumed
 * alike, as QEMU and real SMP systems make them) and the control-register
 * state every CPU runs with: NX, write-protect, global pages, SMEP and SMAP
 * when present, FPU/SSE enabled for guests, XSAVE with every user state the
 * CPU offers. Satori itself is built without FPU/SSE code.
 *
 * SMAP discipline: hypervisor code touches guest (user) pages only between
 * stac() and clac(), in the fault-safe guest accessors. With PV guests in
 * ring 3, all their pages are user pages, so any other access faults.
 */
#include <satori/console.h>
#include <satori/string.h>
#include <asm/cpu.h>
#include <asm/x86.h>

struct cpuinfo_x86 boot_cpu;
bool smap_active;

static void read_brand(struct cpuinfo_x86 *c)
{
    uint32_t r[12], max, unused;

    memcpy(c->brand, "unknown", 8);
    cpuid_count(0x80000000, 0, &max, &unused, &unused, &unused);
    if (max < 0x80000004)
        return;
    for (unsigned int i = 0; i < 3; i++)
        cpuid_count(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
    if (!(r[0] & 0xff))
        return;
    memcpy(c->brand, r, 48);
    c->brand[48] = '\0';
}

void cpu_identify_bsp(void)
{
    struct cpuinfo_x86 *c = &boot_cpu;
    uint32_t a, b, cx, d, max, maxext;

    cpuid_count(0, 0, &max, &b, &cx, &d);
    memcpy(c->vendor, &b, 4);
    memcpy(c->vendor + 4, &d, 4);
    memcpy(c->vendor + 8, &cx, 4);
    cpuid_count(1, 0, &a, &b, &c->words[CPUID_1_ECX], &c->words[CPUID_1_EDX]);
    c->family = (a >> 8) & 0xf;
    c->model = (a >> 4) & 0xf;
    c->stepping = a & 0xf;
    if (c->family == 0xf)
        c->family += (a >> 20) & 0xff;
    if (c->family >= 6)
        c->model |= ((a >> 16) & 0xf) << 4;
    if (max >= 7)
        cpuid_count(7, 0, &a, &c->words[CPUID_7_EBX], &c->words[CPUID_7_ECX],
                    &c->words[CPUID_7_EDX]);
    cpuid_count(0x80000000, 0, &maxext, &b, &cx, &d);
    if (maxext >= 0x80000001)
        cpuid_count(0x80000001, 0, &a, &b, &c->words[CPUID_80000001_ECX],
                    &c->words[CPUID_80000001_EDX]);
    if (maxext >= 0x80000007)
        cpuid_count(0x80000007, 0, &a, &b, &cx, &c->words[CPUID_80000007_EDX]);
    read_brand(c);
    printk("CPU: %s, %s (family %u model %u stepping %u)\n", c->vendor, c->brand,
           c->family, c->model, c->stepping);
    printk("CPU features: %s%s%s%s%s%s%s%s\n", cpu_has(X86_FEATURE_NX) ? "nx " : "",
           cpu_has(X86_FEATURE_SMEP) ? "smep " : "", cpu_has(X86_FEATURE_SMAP) ? "smap " : "",
           cpu_has(X86_FEATURE_PGE) ? "pge " : "", cpu_has(X86_FEATURE_PAGE1GB) ? "pdpe1gb " : "",
           cpu_has(X86_FEATURE_XSAVE) ? "xsave " : "",
           cpu_has(X86_FEATURE_TSC_DEADLINE) ? "tsc-deadline " : "",
           cpu_has(X86_FEATURE_X2APIC) ? "x2apic" : "");
}

/* Enables XSAVE for every x87/SSE/AVX-family state the CPU supports. */
static void init_xsave(void)
{
    uint32_t lo, hi, size, unused;
    /* x87, SSE, AVX, MPX bnd/csr, AVX-512 opmask/hi256/hi16 */
    const uint64_t wanted = 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80;

    cpuid_count(0xd, 0, &lo, &size, &unused, &hi);
    boot_cpu.xcr0 = (((uint64_t)hi << 32) | lo) & wanted;
    if ((boot_cpu.xcr0 & 0xe0) != 0xe0)   /* AVX-512 is all or nothing */
        boot_cpu.xcr0 &= ~0xe0ULL;
    write_xcr0(boot_cpu.xcr0);
    cpuid_count(0xd, 0, &lo, &size, &unused, &hi);
    boot_cpu.xsave_size = size;
}

void cpu_init_local(void)
{
    uint64_t cr4 = read_cr4() | X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    uint64_t cr0 = read_cr0();

    if (cpu_has(X86_FEATURE_PGE))
        cr4 |= X86_CR4_PGE;
    if (cpu_has(X86_FEATURE_SMEP))
        cr4 |= X86_CR4_SMEP;
    if (cpu_has(X86_FEATURE_SMAP)) {
        cr4 |= X86_CR4_SMAP;
        smap_active = true;
    }
    if (cpu_has(X86_FEATURE_XSAVE))
        cr4 |= X86_CR4_OSXSAVE;
    write_cr4(cr4);
    cr0 = (cr0 | X86_CR0_NE | X86_CR0_MP | X86_CR0_WP) & ~(X86_CR0_EM | X86_CR0_TS);
    write_cr0(cr0);
    if (cpu_has(X86_FEATURE_NX))
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    if (cpu_has(X86_FEATURE_XSAVE))
        init_xsave();
    __asm__ volatile("fninit");
}
