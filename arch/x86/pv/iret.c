/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iret (23): how a PV guest returns from every exception, event and
 * syscall bounce, to kernel or to user code. The guest's stub pushed
 * rax, r11, rcx, flags, rip, cs, rflags, rsp, ss (struct iret_context) and
 * made the hypercall; we load that state into the guest frame.
 *
 * Invariants:
 *  1. Only ring-3 flat selectors are accepted for CS and SS, and RIP/RSP
 *     must be canonical guest addresses: the final iretq can then not
 *     fault in the hypervisor.
 *  2. A return with RPL 3 in CS goes to guest user mode, which needs a user
 *     page table (MMUEXT_NEW_USER_BASEPTR); a return with RPL 0 stays in
 *     guest kernel mode.
 *  3. The event mask becomes !RFLAGS.IF of the frame; real IF stays set and
 *     IOPL 0.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

/* CF PF AF ZF SF TF DF OF RF AC ID: never IF (forced), IOPL, NT, VM, VIF, VIP */
#define IRET_RFLAGS_KEEP 0x250dd5UL

bool pv_frame_selectors_ok(uint64_t cs, uint64_t ss)
{
    return ((cs | 3) == FLAT_RING3_CS64 || (cs | 3) == FLAT_RING3_CS32) &&
           (ss | 3) == FLAT_RING3_SS64;
}

long do_iret(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct cpu_regs *regs = guest_cpu_regs();
    struct vcpu *v = current_vcpu();
    struct iret_context ic;
    bool to_user;

    if (copy_from_guest(&ic, regs->rsp, sizeof(ic)))
        domain_crash(v->domain, "v%u: iret with an unreadable frame at %016lx", v->vcpu_id,
                     regs->rsp);
    /* selectors are 16 bits; the bounce frame's CS carries the mask above them */
    ic.cs &= 0xffff;
    ic.ss &= 0xffff;
    if (!pv_frame_selectors_ok(ic.cs, ic.ss) || !is_canonical(ic.rip) ||
        !is_canonical(ic.rsp))                            /* invariant 1 */
        domain_crash(v->domain, "v%u: iret to a bad context: cs %04lx ss %04lx rip %016lx "
                     "rsp %016lx", v->vcpu_id, ic.cs, ic.ss, ic.rip, ic.rsp);
    to_user = (ic.cs & 3) == 3;
    if (to_user && v->kernel_mode) {                  /* invariant 2 */
        if (!v->guest_user_cr3)
            domain_crash(v->domain, "v%u: iret to user mode with no user page table",
                         v->vcpu_id);
        pv_toggle_guest_mode(v);
    }
    regs->rip = ic.rip;
    regs->cs = ic.cs | 3;
    regs->rsp = ic.rsp;
    regs->ss = ic.ss | 3;
    regs->rflags = (ic.rflags & IRET_RFLAGS_KEEP) | X86_EFLAGS_IF | 0x2;   /* invariant 3 */
    if (ic.flags & VGCF_in_syscall) {
        regs->rcx = ic.rip;
        regs->r11 = regs->rflags;
    } else {
        regs->rcx = ic.rcx;
        regs->r11 = ic.r11;
    }
    vcpu_info(v)->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    return (long)ic.rax;
}
