/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch: one table, indexed by hypercall number, of the
 * handler and who may call it. An empty or out-of-range slot is -ENOSYS.
 * Arguments come in rdi, rsi, rdx, r10, r8 (Xen's 64-bit ABI); the result
 * goes back in rax.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/nospec.h>
#include <satori/perfc.h>
#include <asm/pv.h>

struct hypercall_entry {
    hypercall_fn_t fn;
    bool privileged_only;
};

static const struct hypercall_entry hypercall_table[] = {
    [__HYPERVISOR_set_trap_table] = { do_set_trap_table, false },
    [__HYPERVISOR_set_gdt] = { do_set_gdt, false },
    [__HYPERVISOR_update_descriptor] = { do_update_descriptor, false },
    [__HYPERVISOR_stack_switch] = { do_stack_switch, false },
    [__HYPERVISOR_set_callbacks] = { do_set_callbacks, false },
    [__HYPERVISOR_fpu_taskswitch] = { do_fpu_taskswitch, false },
    [__HYPERVISOR_set_debugreg] = { do_set_debugreg, false },
    [__HYPERVISOR_get_debugreg] = { do_get_debugreg, false },
    [__HYPERVISOR_vm_assist] = { do_vm_assist, false },
    [__HYPERVISOR_iret] = { do_iret, false },
    [__HYPERVISOR_set_segment_base] = { do_set_segment_base, false },
    [__HYPERVISOR_nmi_op] = { do_nmi_op, false },
    [__HYPERVISOR_callback_op] = { do_callback_op, false },
    [__HYPERVISOR_physdev_op] = { do_physdev_op, false },
    [__HYPERVISOR_physdev_op_compat] = { do_physdev_op_compat, false },
    [__HYPERVISOR_event_channel_op] = { do_event_channel_op, false },
    [__HYPERVISOR_event_channel_op_compat] = { do_event_channel_op_compat, false },
    [__HYPERVISOR_grant_table_op] = { do_grant_table_op, false },
    [__HYPERVISOR_xen_version] = { do_xen_version, false },
    [__HYPERVISOR_console_io] = { do_console_io, false },
    [__HYPERVISOR_sched_op] = { do_sched_op, false },
    [__HYPERVISOR_sched_op_compat] = { do_sched_op_compat, false },
    [__HYPERVISOR_vcpu_op] = { do_vcpu_op, false },
    [__HYPERVISOR_set_timer_op] = { do_set_timer_op, false },
    [__HYPERVISOR_memory_op] = { do_memory_op, false },
    [__HYPERVISOR_mmu_update] = { do_mmu_update, false },
    [__HYPERVISOR_multicall] = { do_multicall, false },
    [__HYPERVISOR_update_va_mapping] = { do_update_va_mapping, false },
    [__HYPERVISOR_mmuext_op] = { do_mmuext_op, false },
    [__HYPERVISOR_platform_op] = { do_platform_op, false },   /* checks privilege itself */
    [__HYPERVISOR_xenpmu_op] = { do_xenpmu_op, false },
    [__HYPERVISOR_arch_0] = { do_mca, true },                 /* mca */
    /* Any domain may call it; it says -EPERM itself, after Xen's earlier checks. */
    [__HYPERVISOR_domctl] = { do_domctl, false },
};

long hypercall_call(uint64_t nr, const uint64_t args[5])
{
    const struct hypercall_entry *e;
    struct vcpu *v = current_vcpu();

    perfc_hypercall(nr);
    if (nr >= ARRAY_SIZE(hypercall_table))
        return -ENOSYS;
    e = &hypercall_table[array_index_nospec(nr, ARRAY_SIZE(hypercall_table))];
    if (!e->fn)
        return -ENOSYS;
    if (e->privileged_only && !v->domain->privileged)
        return -EPERM;
    return e->fn(args[0], args[1], args[2], args[3], args[4]);
}

void hypercall_dispatch(struct cpu_regs *regs)
{
    const uint64_t args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8 };

    regs->rax = (uint64_t)hypercall_call(regs->rax, args);
}
