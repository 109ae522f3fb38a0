// SPDX-License-Identifier: GPL-2.0-only
/*
 * negative: hypercalls that must fail cleanly, with Xen 4.17's error codes:
 * numbers with no handler (-ENOSYS), unknown sub-ops, bad guest pointers
 * (-EFAULT), out-of-range ids. The guest must survive every one.
 */
#include "guest.h"
#include <public/vcpu.h>
#include <public/physdev.h>
#include <public/grant_table.h>
#include <public/callback.h>

const char guest_name[] = "negative";

#define BAD ((void *)0x1000UL)

void guest_main(void)
{
    long rc;
    char buf[64];

    case_begin("hypercall_out_of_range");
    CHECK_EQ(HC0(64), -ENOSYS);
    CHECK_EQ(HC0(1000), -ENOSYS);
    CHECK_EQ(HC0(0xffffffffu), -ENOSYS);
    case_end();

    case_begin("hypercall_unused_numbers");
    /* 11 is unused; 43-47 are not allocated; arch 56+ out of the table. */
    CHECK_EQ(HC0(11), -ENOSYS);
    for (unsigned int nr = 43; nr < 48; nr++)
        CHECK_EQ(HC0(nr), -ENOSYS);
    CHECK_EQ(HC0(56), -ENOSYS);
    CHECK_EQ(HC0(63), -ENOSYS);
    case_end();

    case_begin("hypercall_removed");
    /* tmem was removed from Xen; the compat evtchn/physdev forms remain. */
    CHECK_EQ(HYPERVISOR_tmem_op(0), -ENOSYS);
    case_end();

    case_begin("console_io");
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 4, BAD), -EFAULT);
    CHECK_EQ(HYPERVISOR_console_io(CONSOLEIO_write, 0, BAD), 0);
    CHECK_EQ(HYPERVISOR_console_io(99, 4, buf), -ENOSYS);
    case_end();

    case_begin("memory_op");
    CHECK_EQ(HYPERVISOR_memory_op(1000, buf), -ENOSYS);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, BAD), -EFAULT);
    case_end();

    case_begin("event_channel_op");
    CHECK_EQ(HYPERVISOR_event_channel_op(1000, buf), -ENOSYS);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, BAD), -EFAULT);
    evtchn_close_t cl = { .port = 5000 };
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl), -EINVAL);
    case_end();

    case_begin("grant_table_op");
    CHECK_EQ(HYPERVISOR_grant_table_op(1000, buf, 1), -ENOSYS);
    case_end();

    case_begin("vcpu_op");
    rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, 0);
    CHECK_EQ(rc, 1);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1000, 0), -ENOENT);
    CHECK_EQ(HYPERVISOR_vcpu_op(1000, 0, 0), -ENOSYS);
    case_end();

    case_begin("physdev_op");
    CHECK_EQ(HYPERVISOR_physdev_op(1000, buf), -ENOSYS);
    case_end();

    case_begin("mmuext_op_bad_cmd");
    struct mmuext_op op = { .cmd = 1000 };
    unsigned int done = 0;
    CHECK_EQ(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), -ENOSYS);
    CHECK_EQ(done, 0);
    case_end();

    case_begin("vm_assist");
    CHECK_EQ(HYPERVISOR_vm_assist(VMASST_CMD_enable, 31), -EINVAL);
    CHECK_EQ(HYPERVISOR_vm_assist(7, VMASST_TYPE_writable_pagetables), -ENOSYS);
    case_end();

    case_begin("set_segment_base");
    CHECK_EQ(HYPERVISOR_set_segment_base(100, 0), -EINVAL);
    case_end();

    case_begin("callback_op");
    CHECK_EQ(HYPERVISOR_callback_op(1000, buf), -ENOSYS);
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, BAD), -EFAULT);
    case_end();

    case_begin("update_va_mapping_bad_va");
    /* Non-canonical and hypervisor-hole addresses. */
    CHECK_EQ(HYPERVISOR_update_va_mapping(0x0000800000000000UL, 0, UVMF_INVLPG), -EINVAL);
    CHECK_EQ(HYPERVISOR_update_va_mapping(0xffff800000000000UL, 0, UVMF_INVLPG), -EINVAL);
    case_end();

    case_begin("multicall_efault");
    CHECK_EQ(HYPERVISOR_multicall(BAD, 1), -EFAULT);
    CHECK_EQ(HYPERVISOR_multicall(BAD, 0), 0);
    case_end();

    case_begin("still_alive");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, 0), (4 << 16) | 17);
    case_end();
}
