// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpu: the small CPU-state hypercalls. fpu_taskswitch(1) makes the next
 * x87 instruction raise #NM to our handler (lazy FPU switching) and (0)
 * lets it run; debug registers read back what was set and refuse bad
 * ones; set_segment_base(SEGBASE_FS) moves %fs; vm_assist accepts the
 * assists a 64-bit PV guest may use and refuses others; nmi_op registers
 * and unregisters an NMI callback.
 */
#include <public/nmi.h>

#include "guest.h"

const char guest_name[] = "cpu";

static uint64_t fs_target = 0x1122334455667788ULL;

void guest_main(void)
{
    struct xennmi_callback nmi = { .handler_address = (unsigned long)guest_main };
    uint64_t through_fs = 0;

    case_begin("fpu_taskswitch_traps_nm");
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0);
    EXPECT_TRAP("fld1\n\tfstp %%st(0)");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, 7);
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(0), 0);
    EXPECT_TRAP("fld1\n\tfstp %%st(0)");
    CHECK_EQ(last_trap.taken, 0);
    case_end();

    case_begin("debugreg_round_trip");
    CHECK_EQ(HYPERVISOR_set_debugreg(0, (unsigned long)&fs_target), 0);
    CHECK_EQ(HYPERVISOR_get_debugreg(0), (long)&fs_target);
    CHECK_EQ(HYPERVISOR_set_debugreg(0, 0), 0);
    case_end();

    case_begin("debugreg_hypervisor_address_refused");
    CHECK(HYPERVISOR_set_debugreg(1, 0xffff82d080200000UL) < 0);
    case_end();

    case_begin("fs_base");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)&fs_target), 0);
    asm volatile("mov %%fs:0, %0" : "=r"(through_fs));
    CHECK_EQ(through_fs, fs_target);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, 0), 0);
    case_end();

    case_begin("fs_base_noncanonical");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, 0x0000800000000000UL), -EINVAL);
    case_end();

    case_begin("vm_assist");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag), 0);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_runstate_update_flag), 0);
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -EINVAL);
    case_end();

    case_begin("nmi_callback");
    CHECK_EQ(HYPERVISOR_nmi_op(XENNMI_register_callback, &nmi), 0);
    CHECK_EQ(HYPERVISOR_nmi_op(XENNMI_unregister_callback, 0), 0);
    case_end();
}
