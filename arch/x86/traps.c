/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IDT and what happens on every exception and interrupt that reaches
 * the hypervisor: interrupts go to their registered handler, a fault at an
 * instruction listed in the exception table resumes at its fixup, and
 * anything else in hypervisor context is fatal: a full register dump, a
 * symbolised backtrace, the cause, then halt or reboot.
 *
 * Invariants:
 *  1. #DF, NMI and #MC run on their own IST stacks, so a corrupt or
 *     overflowed primary stack still gets a report.
 *  2. Every vector has a stub; a vector with no handler is reported, never
 *     silently ignored.
 */
#include <satori/console.h>
#include <satori/lib.h>
#include <satori/panic.h>
#include <satori/string.h>
#include <satori/symbols.h>
#include <asm/apic.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/x86.h>

_Static_assert(__builtin_offsetof(struct cpu_regs, r15) == REGS_R15, "regs");
_Static_assert(__builtin_offsetof(struct cpu_regs, error_code) == REGS_ERROR_CODE, "regs");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "regs");
_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "regs");

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

static struct idt_gate idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];
extern const char idt_stubs[];
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
    "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection",
};

static void set_gate(unsigned int vec, uint64_t handler, unsigned int ist)
{
    struct idt_gate *g = &idt[vec];

    g->offset_lo = handler & 0xffff;
    g->offset_mid = (handler >> 16) & 0xffff;
    g->offset_hi = handler >> 32;
    g->selector = HYPERVISOR_CS;
    g->ist = ist;
    g->type_attr = 0x8e;   /* present, DPL 0, 64-bit interrupt gate */
    g->reserved = 0;
}

void traps_init_bsp(void)
{
    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, (uint64_t)idt_stubs + 16 * v, 0);
    set_gate(X86_EXC_DF, (uint64_t)idt_stubs + 16 * X86_EXC_DF, IST_DF);
    set_gate(X86_EXC_NMI, (uint64_t)idt_stubs + 16 * X86_EXC_NMI, IST_NMI);
    set_gate(X86_EXC_MC, (uint64_t)idt_stubs + 16 * X86_EXC_MC, IST_MC);
    /* int3 and into are allowed from ring 3, where PV guest kernels run */
    idt[X86_EXC_BP].type_attr = idt[X86_EXC_OF].type_attr = 0xee;
    traps_load();
}

void traps_load(void)
{
    struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

    lidt(&p);
}

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
    irq_handlers[vector & 0xff] = fn;
}

static bool fixup_exception(struct cpu_regs *regs)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
        uint64_t insn = (uint64_t)&e->insn + e->insn;
        if (insn == regs->rip) {
            regs->rip = (uint64_t)&e->fixup + e->fixup;
            return true;
        }
    }
    return false;
}

static void describe_page_fault(uint32_t ec)
{
    pr_always("Page fault at %016lx: %s, %s, %s%s%s\n", read_cr2(),
              ec & 1 ? "protection violation" : "page not present",
              ec & 2 ? "write" : "read", ec & 4 ? "user" : "supervisor",
              ec & 16 ? ", instruction fetch" : "", ec & 8 ? ", reserved bit set" : "");
}

void show_registers(const struct cpu_regs *r)
{
    pr_always("CPU:    %u   RIP: %04lx:[<%016lx>] %pS\n", smp_processor_id(), r->cs, r->rip,
              (void *)r->rip);
    pr_always("RFLAGS: %016lx   error code: %04x\n", r->rflags, r->error_code);
    pr_always("rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    pr_always("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    pr_always("rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    pr_always("r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    pr_always("r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    pr_always("r15: %016lx   cr0: %016lx   cr4: %016lx\n", r->r15, read_cr0(), read_cr4());
    pr_always("cr3: %016lx   cr2: %016lx   ss: %04lx\n", read_cr3(), read_cr2(), r->ss);
}

/* A frame pointer is plausible if it lies on this CPU's stack block. */
static bool frame_on_stack(uint64_t rbp, uint64_t stack_top)
{
    return rbp >= stack_top - STACK_SIZE && rbp + 16 <= stack_top && !(rbp & 7);
}

void show_backtrace(uint64_t rbp, uint64_t rip)
{
    uint64_t top = (uint64_t)get_cpu_info() + CPU_INFO_SIZE;

    pr_always("Backtrace:\n");
    if (rip)
        pr_always("   [<%016lx>] %pS\n", rip, (void *)rip);
    for (int depth = 0; depth < 32 && frame_on_stack(rbp, top); depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        uint64_t ret = frame[1];
        if (!ret)
            break;
        pr_always("   [<%016lx>] %pS\n", ret, (void *)ret);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

static void __noreturn fatal_trap(struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;
    const char *name = vec < 32 && exception_names[vec] ? exception_names[vec] : "interrupt";
    char cause[160];

    if (in_panic())
        for (;;)
            halt();
    console_force_unlock();
    pr_always("****************************************\n");
    pr_always("FATAL TRAP: vector %u (%s) in hypervisor context\n", vec, name);
    if (vec == X86_EXC_PF)
        describe_page_fault(regs->error_code);
    show_registers(regs);
    show_backtrace(regs->rbp, regs->rip);
    snprintf(cause, sizeof(cause), "FATAL TRAP: vector %u (%s) at %pS", vec, name,
             (void *)regs->rip);
    panic_after_dump(cause);
}

static void do_nmi(struct cpu_regs *regs)
{
    /* The only NMIs we send stop a CPU for a halt, reboot or panic. */
    if (in_panic() || arch_stopping_cpus()) {
        for (;;)
            halt();
    }
    pr_warn("NMI on CPU %u at %pS: ignored\n", smp_processor_id(), (void *)regs->rip);
}

static void do_irq(struct cpu_regs *regs, unsigned int vec)
{
    this_pcpu()->irq_count++;
    if (irq_handlers[vec]) {
        irq_handlers[vec](regs);
        return;
    }
    if (vec == VECTOR_SPURIOUS)
        return;
    pr_warn("CPU %u: interrupt on unused vector 0x%x\n", smp_processor_id(), vec);
    apic_eoi();
}

void do_trap(struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    if (vec >= VECTOR_FIRST_IRQ)
        do_irq(regs, vec);
    else if (vec == X86_EXC_NMI)
        do_nmi(regs);
    else if (guest_mode(regs))
        pv_guest_exception(regs);
    else if (!fixup_exception(regs))
        fatal_trap(regs);
    if (guest_mode(regs))
        pv_exit_to_guest(regs);
}
