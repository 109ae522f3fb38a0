// SPDX-License-Identifier: GPL-2.0-only
/*
 * traps: set_trap_table and exception bounces. Each case runs a faulting
 * instruction under EXPECT_TRAP and checks the vector, error code, rip and
 * cs of the bounce frame (cs RPL 0 = "was in guest kernel mode"), cr2 for
 * #PF, and that the iret hypercall brought us back with registers intact.
 */
#include "guest.h"

const char guest_name[] = "traps";

extern char ud2_site[], hlt_site[], int3_after[], pf_read_site[], pf_write_site[];

static void expect(unsigned int vec, uint64_t err)
{
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, vec);
    CHECK_EQ(last_trap.error_code, err);
    CHECK_EQ(last_trap.cs & 0xffff, FLAT_RING3_CS64 & ~3);
}

void guest_main(void)
{
    CASE("set_trap_table", traps_install() == 0);

    case_begin("int3");
    EXPECT_TRAP(".globl int3_after\n\tint3\n\tint3_after:");
    expect(3, 0);
    CHECK_EQ(last_trap.rip, (uint64_t)int3_after);
    /* Events are masked since boot: the frame's IF says so. */
    CHECK_EQ(last_trap.rflags & 0x200, 0);
    case_end();

    case_begin("ud2");
    EXPECT_TRAP(".globl ud2_site\n\tud2_site: ud2");
    expect(6, 0);
    CHECK_EQ(last_trap.rip, (uint64_t)ud2_site);
    case_end();

    case_begin("hlt_gp");
    EXPECT_TRAP(".globl hlt_site\n\thlt_site: hlt");
    expect(13, 0);
    CHECK_EQ(last_trap.rip, (uint64_t)hlt_site);
    case_end();

    case_begin("cli_gp");
    /* Xen does not emulate cli for a PV kernel without virtual IOPL. */
    EXPECT_TRAP("cli");
    expect(13, 0);
    case_end();

    case_begin("divide_error");
    EXPECT_TRAP("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\txor %%edx, %%edx\n\tdiv %%ecx", , "rcx", "rdx");
    expect(0, 0);
    case_end();

    case_begin("int80_no_gate_gp");
    /* No trap-table entry for 0x80: #GP with the IDT error code. */
    EXPECT_TRAP("int $0x80");
    expect(13, (0x80 << 3) | 2);
    case_end();

    case_begin("pf_not_present_read");
    EXPECT_TRAP(".globl pf_read_site\n\tpf_read_site: mov 0x1008, %%rax");
    expect(14, 0);          /* Xen clears the U bit for kernel mode */
    CHECK_EQ(last_trap.cr2, 0x1008);
    CHECK_EQ(last_trap.rip, (uint64_t)pf_read_site);
    case_end();

    case_begin("pf_not_present_write");
    EXPECT_TRAP("movq $1, 0x2010");
    expect(14, 2);
    CHECK_EQ(last_trap.cr2, 0x2010);
    case_end();

    case_begin("pf_readonly_write");
    /* The M2P is mapped read-only into every PV guest. */
    EXPECT_TRAP("movabs $0xffff800000000040, %%rcx\n\t"
                ".globl pf_write_site\n\tpf_write_site: movq $0, (%%rcx)", , "rcx");
    expect(14, 3);
    CHECK_EQ(last_trap.cr2, 0xffff800000000040UL);
    CHECK_EQ(last_trap.rip, (uint64_t)pf_write_site);
    case_end();

    case_begin("pf_hypervisor_area");
    EXPECT_TRAP("movabs $0xffff830000000000, %%rcx\n\tmov (%%rcx), %%rax", , "rcx");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, 14);
    CHECK_EQ(last_trap.cr2, 0xffff830000000000UL);
    /* Xen 4.17 maps its direct map there (supervisor): err 1 (P). An
     * unmapped hole would give 0; either is a kernel-mode read fault. */
    CHECK((last_trap.error_code & ~1UL) == 0);
    case_end();

    case_begin("iret_preserves_regs");
    uint64_t out[6];
    trap_reset();
    asm volatile("mov $0x1111, %%rbx\n\t"
                 "mov $0x1212, %%r12\n\t"
                 "mov $0x1313, %%r13\n\t"
                 "mov $0x1414, %%r14\n\t"
                 "mov $0x1515, %%r15\n\t"
                 "mov $0x1616, %%rax\n\t"
                 "int3\n\t"
                 "mov %%rbx, 0(%0)\n\t"
                 "mov %%r12, 8(%0)\n\t"
                 "mov %%r13, 16(%0)\n\t"
                 "mov %%r14, 24(%0)\n\t"
                 "mov %%r15, 32(%0)\n\t"
                 "mov %%rax, 40(%0)"
                 :: "r"(out) : "rax", "rbx", "r12", "r13", "r14", "r15", "memory");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(out[0], 0x1111);
    CHECK_EQ(out[1], 0x1212);
    CHECK_EQ(out[2], 0x1313);
    CHECK_EQ(out[3], 0x1414);
    CHECK_EQ(out[4], 0x1515);
    CHECK_EQ(out[5], 0x1616);
    case_end();

    case_begin("iret_via_hypercall_page");
    hypercall_use_page = 1;
    EXPECT_TRAP("ud2");
    hypercall_use_page = 0;
    expect(6, 0);
    case_end();

    case_begin("trap_table_efault");
    CHECK_EQ(HYPERVISOR_set_trap_table(0x1000), -EFAULT);
    CHECK_EQ(traps_install(), 0);
    case_end();

    case_begin("trap_table_noncanonical");
    trap_info_t bad[2] = {
        { .vector = 6, .flags = 0, .cs = FLAT_RING3_CS64,
          .address = 0x0000800000000000UL },
        { 0 },
    };
    CHECK_EQ(HYPERVISOR_set_trap_table(bad), -EINVAL);
    CHECK_EQ(traps_install(), 0);
    EXPECT_TRAP("ud2");
    expect(6, 0);
    case_end();

    case_begin("trap_table_replace_entry");
    /* A later table updates only the vectors it names: int3 now at a new
     * stub... we use the #DE stub for vector 3 and see vector 0 reported. */
    extern const uint64_t trap_stubs[22];
    trap_info_t one[2] = {
        { .vector = 3, .flags = 3, .cs = FLAT_RING3_CS64, .address = trap_stubs[0] },
        { 0 },
    };
    CHECK_EQ(HYPERVISOR_set_trap_table(one), 0);
    EXPECT_TRAP("int3");
    CHECK_EQ(last_trap.vector, 0);          /* the stub we installed */
    EXPECT_TRAP("ud2");
    CHECK_EQ(last_trap.vector, 6);          /* others unchanged */
    CHECK_EQ(traps_install(), 0);
    case_end();
}
