// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"
#include <public/physdev.h>
const char guest_name[] = "emul";

static void fcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile(".byte 0x0f,0x0b,0x78,0x65,0x6e\n\tcpuid"
                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static void pcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo = 0, hi = 0;
    trap_reset();
    asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                 "rdmsr\n9:\n\tmovq $0, trap_resume(%%rip)"
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "r8", "memory");
    *val = ((uint64_t)hi << 32) | lo;
    return last_trap.taken ? -(int)last_trap.vector : 0;
}
void guest_main(void)
{
    uint32_t r[4];
    static const uint32_t leaves[][2] = {{0,0},{1,0},{7,0},{7,1},{0xd,0},{0xd,1},{0x80000000,0},{0x80000001,0},
        {0x80000007,0},{0x80000008,0},{0x40000000,0},{0x40000001,0},{0x40000002,0},{0x40000003,0},{0x40000003,1},{0x40000003,2},{0x40000004,0},{0x40000005,0},{0x40000100,0},{6,0},{0xa,0},{5,0},{0xb,0},{0x16,0}};
    for (unsigned i = 0; i < sizeof(leaves)/sizeof(leaves[0]); i++) {
        fcpuid(leaves[i][0], leaves[i][1], r);
        printf("INFO: fcpuid %x.%x = %08x %08x %08x %08x\n", leaves[i][0], leaves[i][1], r[0], r[1], r[2], r[3]);
        pcpuid(leaves[i][0], leaves[i][1], r);
        printf("INFO: pcpuid %x.%x = %08x %08x %08x %08x\n", leaves[i][0], leaves[i][1], r[0], r[1], r[2], r[3]);
    }
    static const uint32_t msrs[] = {0x10, 0x17, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0xce, 0xfe, 0x10a, 0x140, 0x179, 0x17a, 0x1a0, 0x277, 0x2ff, 0x200, 0x250, 0x400,
        0xc0000080, 0xc0000081, 0xc0000082, 0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0xc0010015, 0x12345678, 0x40000000, 0xc0011029, 0x6e0, 0x1d9, 0x34};
    for (unsigned i = 0; i < sizeof(msrs)/sizeof(msrs[0]); i++) {
        uint64_t v;
        int rc = rdmsr_safe(msrs[i], &v);
        printf("INFO: rdmsr %x rc %d err %lx val %lx\n", msrs[i], rc, (unsigned long)last_trap.error_code, (unsigned long)v);
    }
    uint64_t cr;
    EXPECT_TRAP("mov %%cr0, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: cr0 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("mov %%cr4, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: cr4 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("mov %%cr2, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: cr2 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("mov %%cr3, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: cr3 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("mov %%dr7, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: dr7 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("mov %%dr6, %%rax\n\tmov %%rax, %%r9", , "r9");
    asm volatile("mov %%r9, %0" : "=r"(cr));
    printf("INFO: dr6 trap %d vec %u val %lx\n", last_trap.taken, last_trap.vector, (unsigned long)cr);
    EXPECT_TRAP("wbinvd");
    printf("INFO: wbinvd trap %d vec %u\n", last_trap.taken, last_trap.vector);
    EXPECT_TRAP("clts");
    printf("INFO: clts trap %d vec %u\n", last_trap.taken, last_trap.vector);
    EXPECT_TRAP("sti");
    printf("INFO: sti trap %d vec %u err %lx\n", last_trap.taken, last_trap.vector, (unsigned long)last_trap.error_code);
    EXPECT_TRAP("mov $0x80, %%dx\n\tinb %%dx, %%al", , "rdx");
    printf("INFO: inb80 iopl0 trap %d vec %u err %lx\n", last_trap.taken, last_trap.vector, (unsigned long)last_trap.error_code);
    EXPECT_TRAP(".byte 0x0f,0x0b,0x78,0x65,0x6e\n\tnop");
    printf("INFO: ud2xen-nop trap %d vec %u\n", last_trap.taken, last_trap.vector);
    physdev_set_iopl_t iopl = { .iopl = 1 };
    printf("INFO: set_iopl %ld\n", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl));
    uint32_t val;
    static const uint16_t ports[] = {0x80, 0x21, 0xa1, 0x40, 0x43, 0x61, 0x3fd, 0x3f8, 0x2fd, 0x70, 0x71, 0xcf8, 0x64, 0x92, 0x510};
    for (unsigned i = 0; i < sizeof(ports)/sizeof(ports[0]); i++) {
        val = 0x12345678;
        trap_reset();
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                     "inb %%dx, %%al\n9:\n\tmovq $0, trap_resume(%%rip)"
                     : "+a"(val) : "d"(ports[i]) : "r8", "memory");
        printf("INFO: inb %x trap %d vec %u val %x\n", ports[i], last_trap.taken, last_trap.vector, val);
        val = 0x12345678;
        trap_reset();
        asm volatile("lea 9f(%%rip), %%r8\n\tmov %%r8, trap_resume(%%rip)\n\t"
                     "inl %%dx, %%eax\n9:\n\tmovq $0, trap_resume(%%rip)"
                     : "+a"(val) : "d"(ports[i]) : "r8", "memory");
        printf("INFO: inl %x trap %d vec %u val %x\n", ports[i], last_trap.taken, last_trap.vector, val);
    }
    EXPECT_TRAP("mov $0x55, %%al\n\toutb %%al, $0x80");
    printf("INFO: outb80 trap %d vec %u\n", last_trap.taken, last_trap.vector);
    EXPECT_TRAP("cli");
    printf("INFO: cli iopl1 trap %d vec %u\n", last_trap.taken, last_trap.vector);
    EXPECT_TRAP("hlt");
    printf("INFO: hlt iopl1 trap %d vec %u\n", last_trap.taken, last_trap.vector);
    CASE("done", 1);
}
