// SPDX-License-Identifier: GPL-2.0-only
/*
 * emul: privileged instructions a PV kernel executes and the hypervisor
 * emulates (arch/x86/pv/emulate.c): forced-emulation CPUID and the PV CPUID
 * policy, RDMSR/WRMSR, moves from control and debug registers, CLTS,
 * WBINVD, port I/O under the virtual IOPL, and the ones that stay #GP.
 * Host-dependent values (feature bits a CPU may lack) are checked only in
 * the direction that holds everywhere: hidden bits must be clear.
 */
#include "guest.h"
#include <public/physdev.h>

const char guest_name[] = "emul";

extern char ud2_site[], rdmsr_site[], wrmsr_site[], hlt_site[];

#define FORCED_CPUID ".byte 0x0f,0x0b,0x78,0x65,0x6e\n\tcpuid"

static void fcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile(FORCED_CPUID
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void plain_cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* rdmsr/wrmsr that may fault: returns the vector taken, or -1 for none. */
static __attribute__((noinline)) int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;

    trap_reset();
    asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                 ".globl rdmsr_site\nrdmsr_site: rdmsr\n9:\n\tmovq $0, trap_resume(%%rip)"
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "r8", "memory");
    *val = ((uint64_t)hi << 32) | lo;
    return last_trap.taken ? (int)last_trap.vector : -1;
}

static __attribute__((noinline)) int wrmsr_safe(uint32_t msr, uint64_t val)
{
    trap_reset();
    asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                 ".globl wrmsr_site\nwrmsr_site: wrmsr\n9:\n\tmovq $0, trap_resume(%%rip)"
                 :: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr)
                 : "r8", "memory");
    return last_trap.taken ? (int)last_trap.vector : -1;
}

/* `in` of size 1/2/4 from port with rax preset to `rax`; *vec = trap or -1. */
static uint64_t in_port(unsigned int size, uint16_t port, uint64_t rax, int *vec)
{
    trap_reset();
    if (size == 1)
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                     "inb %%dx, %%al\n9:\n\tmovq $0, trap_resume(%%rip)"
                     : "+a"(rax) : "d"(port) : "r8", "memory");
    else if (size == 2)
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                     "inw %%dx, %%ax\n9:\n\tmovq $0, trap_resume(%%rip)"
                     : "+a"(rax) : "d"(port) : "r8", "memory");
    else
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                     "inl %%dx, %%eax\n9:\n\tmovq $0, trap_resume(%%rip)"
                     : "+a"(rax) : "d"(port) : "r8", "memory");
    *vec = last_trap.taken ? (int)last_trap.vector : -1;
    return rax;
}

#define READ_REG(insn, out) do {                                              \
        uint64_t _v = 0;                                                      \
        trap_reset();                                                         \
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t" \
                     insn ", %0\n9:\n\tmovq $0, trap_resume(%%rip)"           \
                     : "+r"(_v) :: "r8", "memory");                           \
        (out) = _v;                                                           \
    } while (0)

static long set_iopl(unsigned int iopl)
{
    physdev_set_iopl_t arg = { .iopl = iopl };

    return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &arg);
}

static void expect_gp0(void)
{
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, 13);
    CHECK_EQ(last_trap.error_code, 0);
}

static void cpuid_cases(void)
{
    uint32_t r[4], p[4];

    case_begin("fcpuid_signature");
    fcpuid(0x40000000, 0, r);
    CHECK_EQ(r[0], 0x40000005);             /* Xen 4.17: leaves up to base+5 */
    CHECK_EQ(r[1], 0x566e6558);             /* "XenV" */
    CHECK_EQ(r[2], 0x65584d4d);             /* "MMXe" */
    CHECK_EQ(r[3], 0x4d4d566e);             /* "nVMM" */
    case_end();

    case_begin("fcpuid_version");
    fcpuid(0x40000001, 0, r);
    CHECK_EQ(r[0], (4 << 16) | 17);
    case_end();

    case_begin("fcpuid_hypercall_leaf");
    fcpuid(0x40000002, 0, r);
    CHECK_EQ(r[0], 1);                      /* hypercall pages */
    CHECK_EQ(r[1], 0x40000000);             /* MSR base */
    CHECK_EQ(r[2], 1);                      /* MMU_PT_UPDATE_PRESERVE_AD */
    case_end();

    case_begin("fcpuid_hvm_leaf_zero");
    fcpuid(0x40000004, 0, r);
    CHECK_EQ(r[0] | r[1] | r[2] | r[3], 0);
    fcpuid(0x40000100, 0, r);               /* no second hypervisor signature */
    CHECK_EQ(r[0] | r[1] | r[2] | r[3], 0);
    case_end();

    case_begin("fcpuid_vendor");
    fcpuid(0, 0, r);
    plain_cpuid(0, p);
    CHECK_EQ(r[1], p[1]);
    CHECK_EQ(r[2], p[2]);
    CHECK_EQ(r[3], p[3]);
    CHECK(r[0] >= 7);
    case_end();

    case_begin("fcpuid_leaf1");
    fcpuid(1, 0, r);
    CHECK(r[2] & (1u << 31));               /* hypervisor */
    CHECK_EQ(r[3] & (1u << 3), 0);          /* PSE */
    CHECK_EQ(r[3] & (1u << 13), 0);         /* PGE */
    CHECK_EQ(r[3] & (1u << 17), 0);         /* PSE36 */
    CHECK_EQ(r[2] & (1u << 3), 0);          /* MONITOR */
    CHECK_EQ(r[2] & (1u << 5), 0);          /* VMX */
    CHECK_EQ(r[2] & (1u << 17), 0);         /* PCID */
    CHECK_EQ(r[1] >> 24, 0);                /* no physical APIC ID */
    CHECK(r[3] & (1u << 0));                /* FPU */
    CHECK(r[3] & (1u << 26));               /* SSE2 */
    case_end();

    case_begin("fcpuid_leaf7");
    fcpuid(7, 0, r);
    CHECK_EQ(r[1] & (1u << 7), 0);          /* SMEP */
    CHECK_EQ(r[1] & (1u << 10), 0);         /* INVPCID */
    CHECK_EQ(r[1] & (1u << 20), 0);         /* SMAP */
    CHECK_EQ(r[2] & (1u << 2), 0);          /* UMIP */
    CHECK_EQ(r[2] & (1u << 3), 0);          /* PKU */
    CHECK_EQ(r[2] & (1u << 16), 0);         /* LA57 */
    case_end();

    case_begin("fcpuid_xsaves_hidden");
    fcpuid(0xd, 1, r);
    CHECK_EQ(r[0] & (1u << 3), 0);
    case_end();

    case_begin("fcpuid_extended");
    fcpuid(0x80000000, 0, r);
    CHECK(r[0] >= 0x80000008);
    fcpuid(0x80000001, 0, r);
    CHECK_EQ(r[3] & (1u << 26), 0);         /* 1 GiB pages */
    CHECK_EQ(r[3] & (1u << 3), 0);          /* PSE */
    CHECK_EQ(r[3] & (1u << 13), 0);         /* PGE */
    CHECK_EQ(r[2] & (1u << 2), 0);          /* SVM */
    CHECK(r[3] & (1u << 29));               /* LM */
    fcpuid(0x80000008, 0, r);
    CHECK_EQ((r[0] >> 8) & 0xff, 48);       /* linear address bits */
    case_end();

    case_begin("fcpuid_steps_over");
    /* The 7 bytes are skipped with no trap; the next instruction runs. */
    {
        uint64_t marker = 0, keep = 0x1122334455667788UL;
        trap_reset();
        asm volatile("mov $0x40000000, %%eax\n\t" FORCED_CPUID "\n\tmov $1, %0"
                     : "+r"(marker), "+S"(keep) :: "rax", "rbx", "rcx", "rdx");
        CHECK_EQ(last_trap.taken, 0);
        CHECK_EQ(marker, 1);
        CHECK_EQ(keep, 0x1122334455667788UL);
    }
    case_end();

    case_begin("ud2_xen_not_cpuid");
    EXPECT_TRAP(".globl ud2_site\n\tud2_site: .byte 0x0f,0x0b,0x78,0x65,0x6e\n\tnop");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, 6);
    CHECK_EQ(last_trap.rip, (uint64_t)ud2_site);
    case_end();
}

static void msr_cases(void)
{
    uint64_t v, w;
    static volatile uint64_t target = 0x5a5a5a5a12345678UL;

    case_begin("rdmsr_unknown_gp");
    CHECK_EQ(rdmsr_safe(0x12345678, &v), 13);
    CHECK_EQ(last_trap.error_code, 0);
    CHECK_EQ(last_trap.rip, (uint64_t)rdmsr_site);
    CHECK_EQ(rdmsr_safe(0xc0000082, &v), 13);   /* LSTAR is Xen's */
    case_end();

    case_begin("wrmsr_unknown_gp");
    CHECK_EQ(wrmsr_safe(0x12345678, 0), 13);
    CHECK_EQ(last_trap.error_code, 0);
    CHECK_EQ(last_trap.rip, (uint64_t)wrmsr_site);
    case_end();

    case_begin("rdmsr_efer");
    CHECK_EQ(rdmsr_safe(0xc0000080, &v), -1);
    CHECK_EQ(v & 0x501, 0x501);             /* SCE, LME, LMA */
    CHECK_EQ(wrmsr_safe(0xc0000080, v), -1); /* the same value: accepted */
    case_end();

    case_begin("gs_base");
    CHECK_EQ(wrmsr_safe(0xc0000101, (uint64_t)&target), -1);
    CHECK_EQ(rdmsr_safe(0xc0000101, &v), -1);
    CHECK_EQ(v, (uint64_t)&target);
    asm volatile("mov %%gs:0, %0" : "=r"(w));
    CHECK_EQ(w, target);
    CHECK_EQ(wrmsr_safe(0xc0000101, 0), -1);
    case_end();

    case_begin("fs_base");
    CHECK_EQ(wrmsr_safe(0xc0000100, (uint64_t)&target), -1);
    CHECK_EQ(rdmsr_safe(0xc0000100, &v), -1);
    CHECK_EQ(v, (uint64_t)&target);
    asm volatile("mov %%fs:0, %0" : "=r"(w));
    CHECK_EQ(w, target);
    CHECK_EQ(wrmsr_safe(0xc0000100, 0), -1);
    case_end();

    case_begin("shadow_gs_base");
    CHECK_EQ(wrmsr_safe(0xc0000102, 0x7f0000001000UL), -1);
    CHECK_EQ(rdmsr_safe(0xc0000102, &v), -1);
    CHECK_EQ(v, 0x7f0000001000UL);
    CHECK_EQ(wrmsr_safe(0xc0000102, 0), -1);
    case_end();

    case_begin("gs_base_noncanonical_gp");
    CHECK_EQ(wrmsr_safe(0xc0000101, 0x0000800000000000UL), 13);
    CHECK_EQ(last_trap.error_code, 0);
    CHECK_EQ(rdmsr_safe(0xc0000101, &v), -1);
    CHECK_EQ(v, 0);
    case_end();

    case_begin("rdmsr_apic_base");
    CHECK_EQ(rdmsr_safe(0x1b, &v), -1);
    CHECK_EQ(v & ~0xfffUL, 0xfee00000);
    CHECK(v & 0x800);                       /* enabled */
    CHECK(v & 0x100);                       /* vCPU 0 is the BSP */
    case_end();

    case_begin("rdmsr_pat_misc");
    CHECK_EQ(rdmsr_safe(0x277, &v), -1);
    CHECK_EQ(rdmsr_safe(0x1a0, &v), -1);
    CHECK_EQ(v & 0x1800, 0x1800);           /* BTS and PEBS unavailable */
    CHECK_EQ(rdmsr_safe(0xce, &v), -1);     /* PLATFORM_INFO: no CPUID faulting */
    CHECK_EQ(v & 0x80000000UL, 0);
    CHECK_EQ(rdmsr_safe(0x10, &v), -1);     /* TSC */
    CHECK(v != 0);
    case_end();
}

static void cr_cases(void)
{
    uint64_t v = 0;

    case_begin("mov_from_cr0");
    READ_REG("mov %%cr0", v);
    CHECK_EQ(last_trap.taken, 0);
    CHECK_EQ(v & 0x80000001UL, 0x80000001UL);   /* PG, PE */
    CHECK_EQ(v & 8, 0);                         /* TS */
    case_end();

    case_begin("mov_from_cr4");
    READ_REG("mov %%cr4", v);
    CHECK_EQ(last_trap.taken, 0);
    CHECK(v & 0x20);                            /* PAE */
    CHECK_EQ(v & (0x80 | 0x10 | 0x100000 | 0x200000), 0);  /* PGE PSE SMEP SMAP */
    case_end();

    case_begin("mov_from_cr3");
    READ_REG("mov %%cr3", v);
    CHECK_EQ(last_trap.taken, 0);
    CHECK_EQ(v, virt_to_mfn((void *)start_info->pt_base) << PAGE_SHIFT);
    case_end();

    case_begin("mov_from_dr");
    READ_REG("mov %%dr7", v);
    CHECK_EQ(last_trap.taken, 0);
    CHECK_EQ(v, 0x400);
    READ_REG("mov %%dr6", v);
    CHECK_EQ(v, 0xffff0ff0);
    case_end();

    case_begin("cr0_ts_and_clts");
    READ_REG("mov %%cr0", v);
    EXPECT_TRAP_IN("mov %0, %%cr0", v | 8, 0);
    CHECK_EQ(last_trap.taken, 0);
    READ_REG("mov %%cr0", v);
    CHECK(v & 8);
    EXPECT_TRAP("clts");
    CHECK_EQ(last_trap.taken, 0);
    READ_REG("mov %%cr0", v);
    CHECK_EQ(v & 8, 0);
    case_end();

    case_begin("cr0_other_bits_gp");
    READ_REG("mov %%cr0", v);
    EXPECT_TRAP_IN("mov %0, %%cr0", v & ~0x10000UL, 0);    /* clear WP */
    expect_gp0();
    case_end();

    case_begin("wbinvd");
    EXPECT_TRAP("wbinvd");
    CHECK_EQ(last_trap.taken, 0);
    case_end();
}

static void io_cases(void)
{
    int vec;
    uint64_t v;

    case_begin("in_without_iopl_gp");
    in_port(1, 0x80, 0, &vec);
    expect_gp0();
    EXPECT_TRAP("outb %%al, $0x80");
    expect_gp0();
    EXPECT_TRAP("sti");
    expect_gp0();
    case_end();

    CASE("set_iopl_1", set_iopl(1) == 0);

    case_begin("out_port80");
    EXPECT_TRAP("mov $0x55, %%al\n\toutb %%al, $0x80");
    CHECK_EQ(last_trap.taken, 0);
    EXPECT_TRAP("mov $0x80, %%dx\n\tmov $0x55, %%al\n\toutb %%al, %%dx", , "rdx");
    CHECK_EQ(last_trap.taken, 0);
    case_end();

    case_begin("in_reserved_ports_all_ones");
    /* PIC and the hypervisor's serial port: all ones, no trap. */
    v = in_port(1, 0x21, 0x1234567812345678UL, &vec);
    CHECK_EQ(vec, -1);
    CHECK_EQ(v, 0x12345678123456ffUL);      /* byte: the rest is kept */
    v = in_port(2, 0xa0, 0x1234567812345678UL, &vec);
    CHECK_EQ(v, 0x123456781234ffffUL);      /* word: the rest is kept */
    v = in_port(4, 0x3f8, 0x1234567812345678UL, &vec);
    CHECK_EQ(v, 0xffffffffUL);              /* dword: zero-extended */
    case_end();

    case_begin("cli_sti_with_iopl");
    EXPECT_TRAP("cli\n\tsti");
    CHECK_EQ(last_trap.taken, 0);
    case_end();

    case_begin("hlt_with_iopl_gp");
    EXPECT_TRAP(".globl hlt_site\n\thlt_site: hlt");
    expect_gp0();
    CHECK_EQ(last_trap.rip, (uint64_t)hlt_site);
    case_end();

    case_begin("iopl_0_again");
    CHECK_EQ(set_iopl(0), 0);
    in_port(1, 0x80, 0, &vec);
    expect_gp0();
    case_end();
}

/*
 * A guest kernel's own iretq to itself (Linux's sync_core(): CPL 3 to CPL 3,
 * no privilege change) works as on hardware. Under QEMU's TCG with SMAP on,
 * the pop faults with a supervisor error code and Satori completes it.
 */
static void iret_cases(void)
{
    uint64_t out, drsp;

    case_begin("native_iretq_to_self");
    EXPECT_TRAP("mov %%ss, %%eax\n\t"
                "pushq %%rax\n\t"
                "pushq %%rsp\n\t"
                "addq $8, (%%rsp)\n\t"
                "pushfq\n\t"
                "mov %%cs, %%eax\n\t"
                "pushq %%rax\n\t"
                "lea 1f(%%rip), %%rax\n\t"
                "pushq %%rax\n\t"
                "iretq\n"
                "1:");
    CHECK_EQ(last_trap.taken, 0);
    case_end();

    case_begin("native_iretq_keeps_rsp_and_flags");
    asm volatile("pushfq\n\t"
                 "mov %%rsp, %%rdx\n\t"
                 "mov %%ss, %%eax\n\t"
                 "pushq %%rax\n\t"
                 "pushq %%rdx\n\t"
                 "pushq $0xc3\n\t"                 /* CF ZF SF; IF clear: ignored at CPL 3 */
                 "mov %%cs, %%eax\n\t"
                 "pushq %%rax\n\t"
                 "lea 1f(%%rip), %%rax\n\t"
                 "pushq %%rax\n\t"
                 "iretq\n"
                 "1:\tpushfq\n\t"
                 "popq %%rax\n\t"
                 "sub %%rsp, %%rdx\n\t"
                 "popfq"
                 : "=a"(out), "=d"(drsp) : : "memory", "cc");
    CHECK_EQ(drsp, 0);
    CHECK_EQ(out & 0x2c1, 0x2c1);                   /* CF ZF SF, and IF still set */
    case_end();
}

void guest_main(void)
{
    cpuid_cases();
    msr_cases();
    cr_cases();
    io_cases();
    iret_cases();
}
