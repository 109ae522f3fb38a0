/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small hypercalls that set a PV vCPU's CPU state, each a family of one
 * call: stack_switch (3, the guest kernel stack for user-to-kernel
 * bounces), fpu_taskswitch (5, a virtual CR0.TS), set_debugreg (8) and
 * get_debugreg (9), set_segment_base (25: FS base, kernel and user GS base,
 * user GS selector), vm_assist (21) and nmi_op (28: the NMI callback, which
 * is also reachable through callback_op).
 *
 * Debug registers are recorded, not loaded into hardware: Satori does not
 * yet switch DR0-7 per vCPU, and guests read back what they wrote. DR0-3
 * must be guest addresses; DR4/5 are aliases Xen refuses.
 */
#include <public/nmi.h>
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

/* The assists a 64-bit PV guest may turn on (Xen's list for PV). */
#define VM_ASSIST_VALID ((1UL << VMASST_TYPE_4gb_segments) |                                 \
                         (1UL << VMASST_TYPE_4gb_segments_notify) |                          \
                         (1UL << VMASST_TYPE_writable_pagetables) |                          \
                         (1UL << VMASST_TYPE_pae_extended_cr3) |                             \
                         (1UL << VMASST_TYPE_architectural_iopl) |                           \
                         (1UL << VMASST_TYPE_runstate_update_flag) |                         \
                         (1UL << VMASST_TYPE_m2p_strict))

long do_stack_switch(uint64_t ss, uint64_t sp, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;

    a->kernel_ss = ss;
    a->kernel_sp = sp;
    return 0;
}

/*
 * The guest's CR0.TS is also the hardware's while it runs (one vCPU per
 * CPU, and Satori itself never touches the FPU), so its next FPU
 * instruction raises #NM, which goes to the guest's handler: lazy FPU
 * switching as guests expect it.
 */
void pv_set_fpu_ts(struct vcpu *v, bool set)
{
    v->arch.fpu_ts = set;
    if (set)
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        __asm__ volatile("clts");
}

long do_fpu_taskswitch(uint64_t set, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    pv_set_fpu_ts(current_vcpu(), set != 0);
    return 0;
}

long do_set_debugreg(uint64_t reg, uint64_t value, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;

    if (reg > 7 || reg == 4 || reg == 5)
        return -EINVAL;
    if (reg < 4 && !guest_range_ok(value, 1))
        return -EPERM;
    a->debugreg[reg] = value;
    return 0;
}

long do_get_debugreg(uint64_t reg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    if (reg > 7 || reg == 4 || reg == 5)
        return -EINVAL;
    return (long)current_vcpu()->arch.debugreg[reg];
}

/*
 * SEGBASE_GS_USER_SEL: user mode's %gs selector, from the GDT or LDT, as
 * Xen: RPL forced to 3, a selector that does not load becomes null (Linux
 * BUGs if the call fails, so it never does), and the user GS base becomes
 * the descriptor's (0 for null, whatever the CPU vendor). The one %gs
 * register serves both guest modes here; only the bases are swapped.
 */
static void load_user_gs(struct vcpu *v, uint16_t sel)
{
    if (sel > 3)
        sel |= 3;
    LOAD_SEG_SAFE(gs, sel);
    v->arch.gs_base_user = READ_SEG(gs) ? rdmsr(MSR_GS_BASE) : 0;
    wrmsr(MSR_GS_BASE, v->kernel_mode ? v->arch.gs_base_kernel : v->arch.gs_base_user);
}

long do_set_segment_base(uint64_t which, uint64_t base, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct vcpu *v = current_vcpu();
    struct arch_vcpu *a = &v->arch;

    if (which != SEGBASE_GS_USER_SEL && !is_canonical(base))
        return -EINVAL;
    switch (which) {
    case SEGBASE_FS:
        a->fs_base = base;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        a->gs_base_user = base;
        if (!v->kernel_mode)
            wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        a->gs_base_kernel = base;
        if (v->kernel_mode)
            wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL:
        load_user_gs(v, (uint16_t)base);
        return 0;
    default:
        return -EINVAL;   /* as Xen, for an unknown segment */
    }
}

long do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;

    if (type >= 64 || !((1UL << type) & VM_ASSIST_VALID))
        return -EINVAL;
    if (cmd == VMASST_CMD_enable)
        a->vm_assist |= 1UL << type;
    else if (cmd == VMASST_CMD_disable)
        a->vm_assist &= ~(1UL << type);
    else
        return -ENOSYS;
    return 0;
}

long do_nmi_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;
    struct xennmi_callback cb;

    switch (cmd) {
    case XENNMI_register_callback:
        if (copy_from_guest(&cb, arg, sizeof(cb)))
            return -EFAULT;
        if (!is_canonical(cb.handler_address) || cb.pad)
            return -EINVAL;
        a->nmi = (struct pv_callback){ cb.handler_address, true };
        return 0;
    case XENNMI_unregister_callback:
        a->nmi.address = 0;
        return 0;
    default:
        return -ENOSYS;
    }
}
