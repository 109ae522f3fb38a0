/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iret (23): how a PV guest returns from every exception, event and
 * syscall bounce, to kernel or to user code. The guest's stub pushed
 * rax, r11, rcx, flags, rip, cs, rflags, rsp, ss (struct iret_context) and
 * made the hypercall; we load that state into the guest frame.
 *
 * It also completes a guest's own iretq when QEMU's TCG refuses it: QEMU
 * (7.2) pops an iret frame with supervisor rights even at CPL 3, so under
 * CR4.SMAP the pop from a user page faults with a supervisor-mode error
 * code, which hardware never gives for a CPL-3 iretq. Linux runs one in
 * sync_core() (iret_to_self), early and often.
 *
 * Invariants:
 *  1. CS and SS must be RPL-3 selectors that load: a 64-bit or 32-bit DPL-3
 *     code segment and a writable DPL-3 data segment of the current GDT or
 *     LDT (the flat FLAT_RING3_* ones or the guest's own, e.g. Linux's
 *     __USER_CS 0x33), and RIP/RSP canonical guest addresses. The final
 *     iretq can then fault only if another vCPU rewrites the descriptor in
 *     between; entry.S's fixup crashes the domain then.
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
#include <satori/panic.h>
#include <satori/perfc.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

/* CF PF AF ZF SF TF DF OF RF AC ID: never IF (forced), IOPL, NT, VM, VIF, VIP */
#define IRET_RFLAGS_KEEP 0x250dd5UL

#define AR_TYPE_CODE (1u << 11)
#define AR_TYPE_WRITABLE (1u << 9)      /* data segments */
#define AR_S (1u << 12)
#define AR_DPL3 (3u << 13)
#define AR_P (1u << 15)
#define AR_L (1u << 21)

bool pv_frame_selectors_ok(uint64_t cs, uint64_t ss)
{
    return ((cs | 3) == FLAT_RING3_CS64 || (cs | 3) == FLAT_RING3_CS32) &&
           (ss | 3) == FLAT_RING3_SS64;
}

bool pv_segment_ar_ok(uint32_t ar, bool code)
{
    uint32_t want = AR_P | AR_S | AR_DPL3 | (code ? AR_TYPE_CODE : AR_TYPE_WRITABLE);

    return (ar & (AR_P | AR_S | AR_DPL3 | AR_TYPE_CODE | (code ? 0 : AR_TYPE_WRITABLE))) == want;
}

bool pv_cs_is_64bit(uint64_t cs)
{
    uint32_t ar;

    return (cs & 0xffff) == FLAT_RING3_CS64 ||
           (lar((uint16_t)cs, &ar) && (ar & (AR_TYPE_CODE | AR_L)) == (AR_TYPE_CODE | AR_L));
}

/*
 * Invariant 1, asked of the descriptor tables this CPU has loaded now; the
 * flat selectors (Satori's own, every bounce's) need no lookup.
 */
static bool selectors_load(uint64_t cs, uint64_t ss)
{
    uint32_t cs_ar, ss_ar;

    if ((cs & 3) != 3 || (ss & 3) != 3)
        return false;
    if (pv_frame_selectors_ok(cs, ss))
        return true;
    return lar((uint16_t)cs, &cs_ar) && pv_segment_ar_ok(cs_ar, true) &&
           lar((uint16_t)ss, &ss_ar) && pv_segment_ar_ok(ss_ar, false);
}

/* What a CPL-3 iret may change in RFLAGS: not IF or IOPL (nor VM, VIF, VIP). */
static uint64_t cpl3_iret_rflags(uint64_t now, uint64_t popped)
{
    return (popped & IRET_RFLAGS_KEEP) | (now & ~IRET_RFLAGS_KEEP & 0x3fffffUL) | 0x2;
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
    to_user = (ic.cs & 3) == 3;
    ic.cs |= 3;                       /* a kernel frame's RPL 0 is the guest's ring 3 */
    ic.ss |= 3;
    if (!selectors_load(ic.cs, ic.ss) || !is_canonical(ic.rip) ||
        !is_canonical(ic.rsp))                            /* invariant 1 */
        domain_crash(v->domain, "v%u: iret to a bad context: cs %04lx ss %04lx rip %016lx "
                     "rsp %016lx", v->vcpu_id, ic.cs, ic.ss, ic.rip, ic.rsp);
    if (to_user && v->kernel_mode) {                  /* invariant 2 */
        if (!v->guest_user_cr3)
            domain_crash(v->domain, "v%u: iret to user mode (cs %04lx rip %016lx) with no "
                         "user page table", v->vcpu_id, ic.cs, ic.rip);
        pv_toggle_guest_mode(v);
    }
    regs->rip = ic.rip;
    regs->cs = ic.cs;
    regs->rsp = ic.rsp;
    regs->ss = ic.ss;
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

/*
 * entry.S's final iretq faulted on frame (rip, cs, rflags, rsp, ss): the
 * selectors were checked, so another vCPU changed a descriptor since.
 */
void __noreturn pv_bad_iret(const uint64_t *frame);
void __noreturn pv_bad_iret(const uint64_t *frame)
{
    struct vcpu *v = current_vcpu();

    if (!v || (frame[1] & 3) != 3)
        panic("iretq to rip %016lx cs %04lx faulted in the hypervisor", frame[0], frame[1]);
    domain_crash(v->domain, "v%u: return to cs %04lx ss %04lx rip %016lx faulted: a "
                 "descriptor changed under it", v->vcpu_id, frame[1], frame[4], frame[0]);
}

/*
 * The QEMU quirk above: a #PF with a supervisor-mode error code taken at a
 * guest iretq (48 cf). Does what the hardware iretq would have done from
 * CPL 3 to CPL 3, with the same checks as the hypercall (invariant 1).
 */
bool pv_emulate_iretq(struct cpu_regs *regs)
{
    struct { uint64_t rip, cs, rflags, rsp, ss; } f;
    uint8_t insn[2];

    if (regs->error_code & (PFEC_USER | PFEC_RSVD | PFEC_INSN))
        return false;
    if (copy_from_guest(insn, regs->rip, sizeof(insn)) || insn[0] != 0x48 || insn[1] != 0xcf)
        return false;
    if (copy_from_guest(&f, regs->rsp, sizeof(f)))
        return false;
    f.cs &= 0xffff;
    f.ss &= 0xffff;
    if (!selectors_load(f.cs, f.ss) || !is_canonical(f.rip) || !is_canonical(f.rsp))
        return false;           /* the guest gets its #PF, as it is */
    regs->rip = f.rip;
    regs->cs = f.cs;
    regs->rsp = f.rsp;
    regs->ss = f.ss;
    regs->rflags = cpl3_iret_rflags(regs->rflags, f.rflags);
    perfc_incr(iretq_completed);
    return true;
}
