/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering a PV guest kernel at one of its handlers: exceptions (from
 * set_trap_table), the syscall callback for guest user code, and (with
 * events) the event callback. Each builds Xen's 64-bit bounce frame on the
 * guest kernel stack and points the guest frame at the handler; the guest
 * returns with the iret hypercall (iret.c).
 *
 * The frame, lowest address first (the handler's %rsp points at RCX):
 *   RCX, R11, [error code], RIP, CS | saved_mask << 32, RFLAGS, RSP, SS
 * CS has its RPL cleared when the interrupted context was the guest kernel,
 * which is how guests tell kernel from user. RFLAGS.IF shows the event mask
 * that was in force (IF = !mask).
 *
 * Invariants:
 *  1. A bounce from guest user mode first switches to guest kernel mode
 *     (kernel page tables, kernel GS base) and uses the stack_switch stack.
 *  2. The frame is written only through copy_to_guest; if that faults the
 *     guest cannot be entered and is crashed.
 *  3. The guest resumes on FLAT_KERNEL_CS64/SS with TF, NT, RF, AC cleared.
 */
#include <public/xen.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/perfc.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

#define EFLAGS_BOUNCE_CLEAR (0x100UL | 0x4000UL | 0x10000UL | 0x40000UL | 0x20000UL)

/* Switches between guest kernel and guest user mode (page tables, GS base). */
void pv_toggle_guest_mode(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    if (v->kernel_mode) {
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, a->gs_base_user);
    } else {
        a->gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, a->gs_base_kernel);
    }
    v->kernel_mode = !v->kernel_mode;
    perfc_incr(guest_mode_switch);
    write_cr3(v->kernel_mode ? v->guest_cr3 : v->guest_user_cr3);
}

static bool has_error_code(unsigned int vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21;
}

void pv_bounce(struct cpu_regs *regs, uint64_t handler, bool mask_events, const uint32_t *err)
{
    struct vcpu *v = current_vcpu();
    vcpu_info_t *vi = vcpu_info(v);
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    bool from_user = !v->kernel_mode;
    uint64_t words[8], rsp, cs;
    unsigned int n = 0;

    if (from_user)
        pv_toggle_guest_mode(v);                    /* invariant 1 */
    rsp = (from_user ? v->arch.kernel_sp : regs->rsp) & ~15UL;
    cs = regs->cs & 0xffff;
    if (!from_user)
        cs &= ~3UL;
    words[n++] = regs->rcx;
    words[n++] = regs->r11;
    if (err)
        words[n++] = *err;
    words[n++] = regs->rip;
    words[n++] = cs | ((uint64_t)saved_mask << 32);
    words[n++] = (regs->rflags & ~X86_EFLAGS_IF) | (saved_mask ? 0 : X86_EFLAGS_IF);
    words[n++] = regs->rsp;
    words[n++] = regs->ss;
    rsp -= n * 8;
    if (copy_to_guest(rsp, words, n * 8))       /* invariant 2 */
        domain_crash(v->domain, "v%u: cannot write a bounce frame at %016lx (handler %016lx)",
                     v->vcpu_id, rsp, handler);
    regs->rip = handler;                             /* invariant 3 */
    regs->cs = FLAT_KERNEL_CS64;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = rsp;
    regs->rflags &= ~EFLAGS_BOUNCE_CLEAR;
    if (mask_events)
        vi->evtchn_upcall_mask = 1;
}

/* Delivers exception vec to the guest's handler; false if it has none. */
bool pv_inject_exception(struct cpu_regs *regs, unsigned int vec, uint32_t error_code)
{
    struct vcpu *v = current_vcpu();
    uint64_t handler = v->arch.trap_address[vec & 0xff];

    if (!handler)
        return false;
    if (vec == X86_EXC_PF) {
        v->arch.cr2 = read_cr2();
        vcpu_info(v)->arch.cr2 = v->arch.cr2;
        /* the guest kernel runs in ring 3: report its faults as supervisor */
        if (v->kernel_mode)
            error_code &= ~4u;
        else
            error_code |= 4u;
    }
    pv_bounce(regs, handler, v->arch.trap_flags[vec & 0xff] & TRAP_FLAG_MASK_EVENTS,
              has_error_code(vec) ? &error_code : NULL);
    perfc_incr(exception_bounce);
    return true;
}

/*
 * `int n` from the guest reaches us as #GP with an IDT error code (our
 * gates are DPL 0). The vector is read from the instruction itself (QEMU
 * reports n*16+2 where hardware reports n*8+2). If the guest's trap table
 * allows it, vector n is delivered past the instruction as the software
 * interrupt it asked for; otherwise the guest gets #GP with the
 * architectural error code.
 */
bool pv_software_interrupt(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    uint8_t insn[2];
    unsigned int vec, dpl;

    if ((regs->error_code & 3) != 2 || copy_from_guest(insn, regs->rip, 2) || insn[0] != 0xcd)
        return false;
    vec = insn[1];
    dpl = v->arch.trap_flags[vec] & TRAP_FLAG_DPL_MASK;
    if (!v->arch.trap_address[vec] || (!v->kernel_mode && dpl < 3)) {
        uint32_t err = (vec << 3) | 2;
        return pv_inject_exception(regs, X86_EXC_GP, err);
    }
    regs->rip += 2;
    pv_bounce(regs, v->arch.trap_address[vec],
              v->arch.trap_flags[vec] & TRAP_FLAG_MASK_EVENTS, NULL);
    return true;
}
