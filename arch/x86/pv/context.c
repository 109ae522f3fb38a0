/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU contexts on x86: each vCPU's hypervisor stack, its first entry, and
 * context_switch(), which moves a CPU from one vCPU (or its idle context)
 * to another. A vCPU's stack is laid out as a CPU's (asm/percpu.h): the
 * cpu_info at its top names the CPU it runs on, the guest frame lies under
 * it, so guest_cpu_regs() and TSS.rsp0 work unchanged.
 *
 * What a CPU holds of a guest, and where it goes while the vCPU is off:
 *   general registers      the guest frame on the vCPU's stack (entry code)
 *   hypervisor registers   the vCPU's stack, rsp in arch.ctx_rsp
 *   CR3                    guest_cr3 / guest_user_cr3 (by kernel_mode)
 *   GDT and LDT frames     arch.gdt_frames / ldt_frames, mapped into the
 *                          CPU's windows on switch-in
 *   ds, es, fs, gs         arch.sel_*; FS and GS bases in arch.*_base
 *   FPU, SSE, AVX          arch.fpu (XSAVE area), CR0.TS from arch.fpu_ts
 *
 * Invariants:
 *  1. A vCPU's context is live on at most one CPU (v->is_running,
 *     schedule.c); context_switch() saves prev completely before the
 *     stack switch and loads next completely before it.
 *  2. An idle CPU runs on the idle page tables, never a guest's: a dead
 *     domain's L4 may be freed while a CPU idles.
 *  3. A selector the guest left that no longer loads (its descriptor
 *     changed) is loaded as null instead of faulting in the hypervisor.
 *  4. Dirty CPUs: a CPU's TLB holds translations of a domain's page tables
 *     only while its bit is set in d->dirty_cpumask (and v->dirty_cpu
 *     names it for the vCPU v it runs) and in guest_cpus. The bits are set
 *     before the CPU loads a guest CR3 and cleared only after it loaded
 *     another domain's or the idle page tables, which flushes every guest
 *     entry (guest entries are never global: page_type.c invariant 8).
 *     Both sides order with a full barrier, so a CPU that changed a page
 *     table and then reads the mask either sees the bit or knows that CPU
 *     loads its CR3 after the change.
 */
#include <satori/bug.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/mm.h>
#include <satori/perfc.h>
#include <satori/string.h>
#include <asm/context.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include <asm/x86.h>
#include "pv_mm.h"

extern uint64_t syscall_stack_top[];
void switch_stacks(uint64_t *save_rsp, uint64_t new_rsp);
__attribute__((visibility("hidden"))) void vcpu_start_trampoline(void);
void __noreturn enter_guest(struct cpu_regs *frame);
void schedule_tail(void);

#define FPU_AREA_SIZE PAGE_SIZE

static volatile uint64_t guest_cpus;   /* CPUs on a guest's page tables (invariant 4) */

uint64_t context_guest_cpus(void)
{
    return __atomic_load_n(&guest_cpus, __ATOMIC_SEQ_CST);
}

static struct cpu_info *stack_cpu_info(void *stack)
{
    return (struct cpu_info *)((char *)stack + STACK_SIZE - CPU_INFO_SIZE);
}

static struct cpu_regs *stack_guest_frame(void *stack)
{
    return (struct cpu_regs *)((char *)stack_cpu_info(stack) - sizeof(struct cpu_regs));
}

/* The init state: default x87 control word and MXCSR, nothing else in use. */
static void fpu_init_area(void *area)
{
    memset(area, 0, FPU_AREA_SIZE);
    *(uint16_t *)area = 0x37f;                    /* FCW */
    *(uint32_t *)((char *)area + 24) = 0x1f80;    /* MXCSR */
}

int arch_vcpu_create(struct vcpu *v)
{
    v->arch.stack = alloc_heap_pages(STACK_ORDER);
    v->arch.fpu = alloc_heap_pages(0);
    if (!v->arch.stack || !v->arch.fpu) {
        arch_vcpu_destroy(v);
        return -ENOMEM;
    }
    memset(stack_cpu_info(v->arch.stack), 0, CPU_INFO_SIZE);
    fpu_init_area(v->arch.fpu);
    return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
    if (v->arch.stack)
        free_heap_pages(v->arch.stack, STACK_ORDER);
    if (v->arch.fpu)
        free_heap_pages(v->arch.fpu, 0);
    v->arch.stack = v->arch.fpu = NULL;
}

void arch_vcpu_set_initial(struct vcpu *v, const struct cpu_regs *regs)
{
    struct cpu_regs *frame = stack_guest_frame(v->arch.stack);
    uint64_t *sp = (uint64_t *)frame;

    *frame = *regs;
    frame->cs |= 3;
    frame->ss |= 3;
    frame->rflags = (frame->rflags | X86_EFLAGS_IF | 0x2) & ~0x3000UL;
    /* What switch_stacks pops: six callee-saved registers, then its return. */
    *--sp = (uint64_t)vcpu_start_trampoline;
    for (unsigned int i = 0; i < 6; i++)
        *--sp = 0;
    v->arch.ctx_rsp = (uint64_t)sp;
    v->arch.sel_ds = v->arch.sel_es = v->arch.sel_fs = v->arch.sel_gs = 0;
}

/* The first time a vCPU runs: finish the switch, then enter the guest. */
void __noreturn vcpu_first_run(void);
void __noreturn vcpu_first_run(void)
{
    schedule_tail();
    local_irq_disable();
    pv_exit_to_guest(guest_cpu_regs());
    enter_guest(guest_cpu_regs());
}

static inline void xsave_area(void *area)
{
    if (boot_cpu.xcr0)
        __asm__ volatile("xsave64 %0" : "+m"(*(char (*)[FPU_AREA_SIZE])area)
                         : "a"(0xffffffffU), "d"(0xffffffffU));
    else
        __asm__ volatile("fxsave64 %0" : "+m"(*(char (*)[FPU_AREA_SIZE])area));
}

static inline void xrstor_area(const void *area)
{
    if (boot_cpu.xcr0)
        __asm__ volatile("xrstor64 %0" : : "m"(*(const char (*)[FPU_AREA_SIZE])area),
                         "a"(0xffffffffU), "d"(0xffffffffU));
    else
        __asm__ volatile("fxrstor64 %0" : : "m"(*(const char (*)[FPU_AREA_SIZE])area));
}

static void save_guest_state(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    __asm__ volatile("clts");
    xsave_area(a->fpu);
    a->sel_ds = READ_SEG(ds);
    a->sel_es = READ_SEG(es);
    a->sel_fs = READ_SEG(fs);
    a->sel_gs = READ_SEG(gs);
    a->fs_base = rdmsr(MSR_FS_BASE);
    if (v->kernel_mode)
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
    else
        a->gs_base_user = rdmsr(MSR_GS_BASE);
}

static void load_guest_state(struct vcpu *v, struct pcpu *p)
{
    struct arch_vcpu *a = &v->arch;
    uint64_t top = (uint64_t)a->stack + STACK_SIZE - CPU_INFO_SIZE;

    stack_cpu_info(a->stack)->cpu = p->id;
    p->tss.rsp[0] = top;
    syscall_stack_top[p->id] = top;
    write_cr3(v->kernel_mode || !v->guest_user_cr3 ? v->guest_cr3 : v->guest_user_cr3);
    desc_map_guest_gdt(p, a->gdt_frames, a->gdt_nr_frames);
    desc_map_guest_ldt(p, a->ldt_frames, a->ldt_nr_frames, a->ldt_ents);
    LOAD_SEG_SAFE(ds, a->sel_ds);
    LOAD_SEG_SAFE(es, a->sel_es);
    LOAD_SEG_SAFE(fs, a->sel_fs);
    LOAD_SEG_SAFE(gs, a->sel_gs);
    wrmsr(MSR_FS_BASE, a->fs_base);
    wrmsr(MSR_GS_BASE, v->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
    __asm__ volatile("clts");
    xrstor_area(a->fpu);
    if (a->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    v->processor = p->id;
}

/* The idle context: the CPU's own stack and the idle page tables (invariant 2). */
static void load_idle_state(struct pcpu *p)
{
    uint64_t top = (uint64_t)p->stack + STACK_SIZE - CPU_INFO_SIZE;

    p->tss.rsp[0] = top;
    syscall_stack_top[p->id] = top;
    mm_load_idle_page_tables();
    desc_map_guest_ldt(p, NULL, 0, 0);
    LOAD_SEG_SAFE(ds, 0);
    LOAD_SEG_SAFE(es, 0);
    LOAD_SEG_SAFE(fs, 0);
    LOAD_SEG_SAFE(gs, 0);
}

/* Invariant 4, before next's CR3 is loaded here. */
static void mark_dirty(struct vcpu *next, unsigned int cpu)
{
    uint64_t bit = 1ULL << cpu;

    __atomic_store_n(&next->dirty_cpu, cpu, __ATOMIC_SEQ_CST);
    __atomic_fetch_or(&next->domain->dirty_cpumask, bit, __ATOMIC_SEQ_CST);
    __atomic_fetch_or(&guest_cpus, bit, __ATOMIC_SEQ_CST);
}

/* Invariant 4, once this CPU has left prev's page tables for next's (or idle). */
static void mark_clean(struct vcpu *prev, struct vcpu *next, unsigned int cpu)
{
    uint64_t bit = 1ULL << cpu;

    __atomic_store_n(&prev->dirty_cpu, VCPU_CPU_CLEAN, __ATOMIC_SEQ_CST);
    if (!next || next->domain != prev->domain)
        __atomic_fetch_and(&prev->domain->dirty_cpumask, ~bit, __ATOMIC_SEQ_CST);
    if (!next)
        __atomic_fetch_and(&guest_cpus, ~bit, __ATOMIC_SEQ_CST);
}

void context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct pcpu *p = this_pcpu();
    uint64_t *save = prev ? &prev->arch.ctx_rsp : &p->idle_rsp;

    BUG_ON(prev == next);
    perfc_incr(context_switch);
    if (prev)
        save_guest_state(prev);
    if (next) {
        mark_dirty(next, p->id);
        load_guest_state(next, p);
    } else {
        load_idle_state(p);
    }
    if (prev)
        mark_clean(prev, next, p->id);
    p->switched_from = prev;
    p->curr_vcpu = next;
    switch_stacks(save, next ? next->arch.ctx_rsp : p->idle_rsp);
}

struct vcpu *context_switched_from(void)
{
    return this_pcpu()->switched_from;
}

/* Every address of c a vCPU may start with (guest input). */
static bool guest_context_ok(const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;

    for (unsigned int i = 0; i < 256; i++)
        if (!is_canonical(c->trap_ctxt[i].address))
            return false;                   /* as set_trap_table: -EINVAL */
    return !c->ldt_ents && c->gdt_ents <= FIRST_RESERVED_GDT_ENTRY && c->ctrlreg[3] &&
           is_canonical(u->rip) && is_canonical(u->rsp) &&
           is_canonical(c->event_callback_eip) && is_canonical(c->failsafe_callback_eip) &&
           is_canonical(c->syscall_callback_eip) && is_canonical(c->fs_base) &&
           is_canonical(c->gs_base_kernel) && is_canonical(c->gs_base_user);
}

/*
 * VCPUOP_initialise: v's whole starting state from the guest's
 * vcpu_guest_context, as Xen's arch_set_info_guest() takes it for a 64-bit
 * PV vCPU. v is down and has never run. The LDT must be empty (Linux
 * passes none; a guest sets one with MMUEXT_SET_LDT once running).
 */
int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;
    bool kernel = !!(c->flags & VGCF_in_kernel);
    uint16_t cs = u->cs ? u->cs : kernel ? FLAT_KERNEL_CS64 : FLAT_USER_CS64;
    uint16_t ss = u->ss ? u->ss : FLAT_KERNEL_SS;
    struct arch_vcpu *a = &v->arch;
    struct cpu_regs r;
    int rc;

    if (!guest_context_ok(c))
        return -EINVAL;
    rc = pv_set_baseptr(v, true, c->ctrlreg[3] >> PAGE_SHIFT);
    if (!rc && c->ctrlreg[1])
        rc = pv_set_baseptr(v, false, c->ctrlreg[1] >> PAGE_SHIFT);
    if (!rc && c->gdt_ents) {
        uint64_t mfns[14];
        for (unsigned int i = 0; i < 14; i++)
            mfns[i] = c->gdt_frames[i];
        rc = (int)pv_set_gdt(v, mfns, c->gdt_ents);
    }
    /* Selectors are the flat ones or (Linux: __KERNEL_CS/DS) v's own GDT's, RPL forced to 3. */
    if (!rc && !pv_frame_selectors_ok(cs, ss) &&
        !(pv_gdt_selector_ok(v, cs | 3, true) && pv_gdt_selector_ok(v, ss | 3, false)))
        rc = -EINVAL;
    if (rc) {
        (void)pv_set_baseptr(v, true, 0);
        (void)pv_set_baseptr(v, false, 0);
        return rc;
    }
    for (unsigned int i = 0; i < 256; i++) {
        a->trap_address[i] = c->trap_ctxt[i].address;
        a->trap_flags[i] = c->trap_ctxt[i].flags;
    }
    a->kernel_ss = c->kernel_ss;
    a->kernel_sp = c->kernel_sp;
    a->event = (struct pv_callback){ c->event_callback_eip, true };
    a->failsafe = (struct pv_callback){ c->failsafe_callback_eip,
                                        !!(c->flags & VGCF_failsafe_disables_events) };
    a->syscall = (struct pv_callback){ c->syscall_callback_eip,
                                       !!(c->flags & VGCF_syscall_disables_events) };
    a->vm_assist = c->vm_assist;
    a->fs_base = c->fs_base;
    a->gs_base_kernel = c->gs_base_kernel;
    a->gs_base_user = c->gs_base_user;
    for (unsigned int i = 0; i < 8; i++)
        a->debugreg[i] = c->debugreg[i];
    v->kernel_mode = kernel;
    v->iopl = (u->rflags >> 12) & 3;   /* virtual IOPL, as Xen (Linux: 1 on APs) */
    memset(&r, 0, sizeof(r));
    r.r15 = u->r15; r.r14 = u->r14; r.r13 = u->r13; r.r12 = u->r12;
    r.rbp = u->rbp; r.rbx = u->rbx; r.r11 = u->r11; r.r10 = u->r10;
    r.r9 = u->r9; r.r8 = u->r8; r.rax = u->rax; r.rcx = u->rcx;
    r.rdx = u->rdx; r.rsi = u->rsi; r.rdi = u->rdi;
    r.rip = u->rip;
    r.cs = cs;
    r.rflags = u->rflags;
    r.rsp = u->rsp;
    r.ss = ss;
    arch_vcpu_set_initial(v, &r);
    v->arch.sel_ds = u->ds;
    v->arch.sel_es = u->es;
    v->arch.sel_fs = u->fs;
    v->arch.sel_gs = u->gs;
    return 0;
}
