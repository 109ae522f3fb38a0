/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall wrappers of the test guests. Number in rax, arguments in rdi,
 * rsi, rdx, r10, r8; rcx and r11 are clobbered and the hypervisor may
 * clobber the argument registers too; the result comes back in rax.
 * Two ways in, chosen at run time by hypercall_use_page:
 *   0 (default): a raw `syscall` from guest-kernel mode, as Linux 6.1 does;
 *   1: a call into the hypercall page the builder filled (HYPERCALL_PAGE
 *      note), 32 bytes a hypercall number.
 * HYPERVISOR_xxx(...) exists for every hypercall number of xen.h; its
 * arguments are cast to unsigned long, so pointers and integers both go.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <public/xen.h>

extern char hypercall_page[4096];
extern unsigned char hypercall_use_page;

static inline long hypercall5(unsigned int nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    /* The page has 128 slots; a larger number can only go by syscall. */
    if (hypercall_use_page && nr < 4096 / 32) {
        asm volatile("call *%[slot]"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [slot] "r"(hypercall_page + nr * 32)
                     : "rcx", "r11", "memory");
    } else {
        asm volatile("syscall"
                     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : "0"((unsigned long)nr)
                     : "rcx", "r11", "memory");
    }
    return ret;
}

#define HC_(nr, a1, a2, a3, a4, a5)                                        \
    hypercall5((nr), (unsigned long)(a1), (unsigned long)(a2),             \
               (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5))
#define HC0(nr)                     HC_(nr, 0, 0, 0, 0, 0)
#define HC1(nr, a)                  HC_(nr, a, 0, 0, 0, 0)
#define HC2(nr, a, b)               HC_(nr, a, b, 0, 0, 0)
#define HC3(nr, a, b, c)            HC_(nr, a, b, c, 0, 0)
#define HC4(nr, a, b, c, d)         HC_(nr, a, b, c, d, 0)
#define HC5(nr, a, b, c, d, e)      HC_(nr, a, b, c, d, e)

#define HYPERVISOR_set_trap_table(t)              HC1(__HYPERVISOR_set_trap_table, t)
#define HYPERVISOR_mmu_update(r, n, done, dom)    HC4(__HYPERVISOR_mmu_update, r, n, done, dom)
#define HYPERVISOR_set_gdt(frames, ents)          HC2(__HYPERVISOR_set_gdt, frames, ents)
#define HYPERVISOR_stack_switch(ss, sp)           HC2(__HYPERVISOR_stack_switch, ss, sp)
#define HYPERVISOR_set_callbacks(ev, fs, sc)      HC3(__HYPERVISOR_set_callbacks, ev, fs, sc)
#define HYPERVISOR_fpu_taskswitch(set)            HC1(__HYPERVISOR_fpu_taskswitch, set)
#define HYPERVISOR_sched_op_compat(cmd, arg)      HC2(__HYPERVISOR_sched_op_compat, cmd, arg)
#define HYPERVISOR_platform_op(op)                HC1(__HYPERVISOR_platform_op, op)
#define HYPERVISOR_set_debugreg(reg, val)         HC2(__HYPERVISOR_set_debugreg, reg, val)
#define HYPERVISOR_get_debugreg(reg)              HC1(__HYPERVISOR_get_debugreg, reg)
#define HYPERVISOR_update_descriptor(ma, desc)    HC2(__HYPERVISOR_update_descriptor, ma, desc)
#define HYPERVISOR_memory_op(cmd, arg)            HC2(__HYPERVISOR_memory_op, cmd, arg)
#define HYPERVISOR_multicall(calls, n)            HC2(__HYPERVISOR_multicall, calls, n)
#define HYPERVISOR_update_va_mapping(va, pte, fl) HC3(__HYPERVISOR_update_va_mapping, va, pte, fl)
#define HYPERVISOR_set_timer_op(deadline)         HC1(__HYPERVISOR_set_timer_op, deadline)
#define HYPERVISOR_event_channel_op_compat(op)    HC1(__HYPERVISOR_event_channel_op_compat, op)
#define HYPERVISOR_xen_version(cmd, arg)          HC2(__HYPERVISOR_xen_version, cmd, arg)
#define HYPERVISOR_console_io(cmd, n, buf)        HC3(__HYPERVISOR_console_io, cmd, n, buf)
#define HYPERVISOR_physdev_op_compat(op)          HC1(__HYPERVISOR_physdev_op_compat, op)
#define HYPERVISOR_grant_table_op(cmd, op, n)     HC3(__HYPERVISOR_grant_table_op, cmd, op, n)
#define HYPERVISOR_vm_assist(cmd, type)           HC2(__HYPERVISOR_vm_assist, cmd, type)
#define HYPERVISOR_update_va_mapping_otherdomain(va, pte, fl, dom) \
    HC4(__HYPERVISOR_update_va_mapping_otherdomain, va, pte, fl, dom)
/* iret takes its frame from the stack: see trap_common in head.S. */
#define HYPERVISOR_vcpu_op(cmd, vcpu, arg)        HC3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg)
#define HYPERVISOR_set_segment_base(which, base)  HC2(__HYPERVISOR_set_segment_base, which, base)
#define HYPERVISOR_mmuext_op(op, n, done, dom)    HC4(__HYPERVISOR_mmuext_op, op, n, done, dom)
#define HYPERVISOR_xsm_op(op)                     HC1(__HYPERVISOR_xsm_op, op)
#define HYPERVISOR_nmi_op(cmd, arg)               HC2(__HYPERVISOR_nmi_op, cmd, arg)
#define HYPERVISOR_sched_op(cmd, arg)             HC2(__HYPERVISOR_sched_op, cmd, arg)
#define HYPERVISOR_callback_op(cmd, arg)          HC2(__HYPERVISOR_callback_op, cmd, arg)
#define HYPERVISOR_xenoprof_op(op, arg)           HC2(__HYPERVISOR_xenoprof_op, op, arg)
#define HYPERVISOR_event_channel_op(cmd, arg)     HC2(__HYPERVISOR_event_channel_op, cmd, arg)
#define HYPERVISOR_physdev_op(cmd, arg)           HC2(__HYPERVISOR_physdev_op, cmd, arg)
#define HYPERVISOR_hvm_op(op, arg)                HC2(__HYPERVISOR_hvm_op, op, arg)
#define HYPERVISOR_sysctl(op)                     HC1(__HYPERVISOR_sysctl, op)
#define HYPERVISOR_domctl(op)                     HC1(__HYPERVISOR_domctl, op)
#define HYPERVISOR_kexec_op(op, arg)              HC2(__HYPERVISOR_kexec_op, op, arg)
#define HYPERVISOR_tmem_op(op)                    HC1(__HYPERVISOR_tmem_op, op)
#define HYPERVISOR_argo_op(cmd, a1, a2, a3, a4)   HC5(__HYPERVISOR_argo_op, cmd, a1, a2, a3, a4)
#define HYPERVISOR_xenpmu_op(op, arg)             HC2(__HYPERVISOR_xenpmu_op, op, arg)
#define HYPERVISOR_dm_op(dom, n, bufs)            HC3(__HYPERVISOR_dm_op, dom, n, bufs)
#define HYPERVISOR_hypfs_op(cmd, a1, a2, a3, a4)  HC5(__HYPERVISOR_hypfs_op, cmd, a1, a2, a3, a4)
/* __HYPERVISOR_arch_1 is the mca hypercall on x86. */
#define HYPERVISOR_arch(n, a1, a2, a3, a4, a5)    HC5(__HYPERVISOR_arch_0 + (n), a1, a2, a3, a4, a5)

#endif
