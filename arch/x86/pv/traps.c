/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV guest entry and exit on x86: the syscall MSRs, what a `syscall` from a
 * guest means (a hypercall from guest-kernel mode), exceptions raised in
 * guest context, and the first entry into a vCPU.
 *
 * Invariants:
 *  1. The guest frame of the running vCPU sits at a fixed place at the top
 *     of the CPU's stack (guest_cpu_regs()); every entry path builds it there.
 *  2. A frame returned to a guest has RPL 3 selectors, IF set and IOPL 0.
 *  3. An exception the guest cannot handle crashes that guest only.
 *
 * A vCPU's first entry is a context switch to it (context.c); this file
 * only prepares it (vcpu_start).
 *
 * Exceptions go to the guest's own handlers (set_trap_table, bounce.c);
 * one with no handler crashes the domain with a dump.
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/event.h>
#include <satori/panic.h>
#include <satori/perfc.h>
#include <satori/sched.h>
#include <satori/softirq.h>
#include <asm/context.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/pv_emulate.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include "pv_mm.h"

#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
/* cleared on syscall entry: TF, IF, DF, NT, AC */
#define SYSCALL_RFLAGS_MASK 0x44700UL

extern char lstar_stubs[], cstar_stubs[];
extern uint64_t syscall_stack_top[];

_Static_assert(sizeof(struct cpu_regs) <= GUEST_FRAME_SIZE, "guest frame");

struct cpu_regs *guest_cpu_regs(void)
{
    return (struct cpu_regs *)((char *)get_cpu_info() - sizeof(struct cpu_regs));
}

void pv_init_cpu(unsigned int cpu, void *stack)
{
    syscall_stack_top[cpu] = (uint64_t)stack + STACK_SIZE - CPU_INFO_SIZE;
    /* syscall: CS 0xe008, SS 0xe010; sysret: CS 0xe023 + 16, SS + 8 */
    wrmsr(MSR_STAR, ((uint64_t)RING3_CS32 << 48) | ((uint64_t)HYPERVISOR_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)lstar_stubs + cpu * SYSCALL_STUB_SIZE);
    wrmsr(MSR_CSTAR, (uint64_t)cstar_stubs + cpu * SYSCALL_STUB_SIZE);
    wrmsr(MSR_SYSCALL_MASK, SYSCALL_RFLAGS_MASK);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

void pv_guest_exception(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    unsigned int vec = regs->entry_vector;
    const char *name = vec < 32 && exc_names[vec] ? exc_names[vec] : "exception";

    if (!v)
        panic("Guest-mode exception with no vCPU running");
    perfc_exception(vec);
    /* Faults the hypervisor resolves itself (emulation hooks) come first. */
    if (vec == X86_EXC_GP && pv_software_interrupt(regs))
        return;
    if ((vec == X86_EXC_GP || vec == X86_EXC_UD) && pv_emulate_privop(regs, vec))
        return;
    if (vec == X86_EXC_PF && (pv_ptwr_fault(regs) || pv_emulate_iretq(regs)))
        return;
    if (pv_inject_exception(regs, vec, regs->error_code))
        return;
    show_registers(regs);
    if (vec == X86_EXC_PF)
        domain_crash(v->domain, "v%u: %s error 0x%x at %016lx, address %016lx: no guest handler",
                     v->vcpu_id, name, regs->error_code, regs->rip, read_cr2());
    domain_crash(v->domain, "v%u: %s error 0x%x at %016lx: no guest handler", v->vcpu_id,
                 name, regs->error_code, regs->rip);
}

void pv_exit_to_guest(struct cpu_regs *regs)
{
    /* Hypervisor work deferred by interrupts runs before the guest does. */
    while (softirq_pending(smp_processor_id())) {
        local_irq_enable();
        do_softirq();
        local_irq_disable();
    }
    pv_deliver_events(regs);
}

/*
 * May this frame go back with sysretq instead of iretq (much cheaper under
 * TCG, and on hardware)? sysretq takes RIP from RCX and RFLAGS from R11 and
 * loads the flat 64-bit ring-3 selectors, so: the frame must be exactly
 * that (what a plain hypercall return is), with a canonical RIP (sysretq
 * to a non-canonical one faults in ring 0 on Intel).
 */
static bool sysret_ok(const struct cpu_regs *r)
{
    return r->cs == FLAT_KERNEL_CS64 && r->ss == FLAT_KERNEL_SS && r->rcx == r->rip &&
           r->r11 == r->rflags && (r->rflags & X86_EFLAGS_IF) && !(r->rflags & 0x3000) &&
           is_canonical(r->rip);
}

/* Returns true when the frame may return with sysretq (entry.S). */
bool do_guest_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();

    if (regs->cs == FLAT_KERNEL_CS32)
        domain_crash(v->domain, "v%u: syscall from 32-bit code at %016lx", v->vcpu_id,
                     regs->rip);
    if (!v->kernel_mode) {
        /* a system call of the guest's own user code: to its kernel */
        if (!v->arch.syscall.address)
            domain_crash(v->domain, "v%u: syscall from guest user mode at %016lx with no "
                         "syscall callback", v->vcpu_id, regs->rip);
        pv_bounce(regs, v->arch.syscall.address, v->arch.syscall.mask_events, NULL);
        pv_exit_to_guest(regs);
        return false;
    }
    local_irq_enable();
    hypercall_dispatch(regs);
    local_irq_disable();
    pv_exit_to_guest(regs);
    return sysret_ok(regs);
}

void vcpu_start(struct vcpu *v)
{
    v->is_initialised = true;
    __atomic_fetch_and(&v->pause_flags, ~(1UL << VPF_down), __ATOMIC_SEQ_CST);
    vcpu_wake(v);
}
