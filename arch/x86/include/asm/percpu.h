/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU state. Each CPU runs on a STACK_SIZE-aligned stack whose top holds
 * struct cpu_info, so the current CPU is found from %rsp alone: no segment
 * base is needed, which matters once PV guests own %gs. The IST stacks for
 * #DF, NMI and #MC are the first pages of the same block, so the lookup works
 * on them too.
 *
 *   [base + 0K..4K) #DF IST   [4K..8K) NMI IST   [8K..12K) #MC IST
 *   [12K .. top - STACK_TOP_RESERVE) primary stack, then the guest frame,
 *   then [top - CPU_INFO_SIZE, top) cpu_info (asm/layout.h)
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <satori/types.h>
#include <satori/spinlock.h>
#include <satori/timerq.h>
#include <asm/layout.h>

struct vcpu;

#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

struct cpu_info {
    unsigned int cpu;
};
_Static_assert(sizeof(struct cpu_info) <= CPU_INFO_SIZE, "cpu_info");

static inline struct cpu_info *get_cpu_info(void)
{
    uint64_t sp;

    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - CPU_INFO_SIZE);
}

static inline unsigned int smp_processor_id(void)
{
    return get_cpu_info()->cpu;
}

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

#define TIMERQ_CAP 64

struct pcpu {
    unsigned int id;
    uint32_t apic_id;
    uint32_t acpi_id;             /* its MADT ACPI processor id, or ACPI_ID_INVALID */
    bool present;                 /* listed in the MADT */
    volatile bool online;
    void *stack;                  /* STACK_SIZE block, see above */
    uint64_t *gdt;                /* the page of hypervisor descriptors */
    uint64_t gdt_window;          /* its GDT window (desc.c), 0 before the heap */
    struct tss64 tss;
    /* timer.c: timer_lock protects timers and running_timer */
    spinlock_t timer_lock;
    struct timerq timers;
    struct timer *volatile running_timer;
    struct timer *timer_storage[TIMERQ_CAP];
    volatile uint64_t softirq_pending;
    uint64_t irq_count;
    uint64_t timer_irqs;
    s_time_t idle_ns;             /* time spent halted in the idle loop, past halts */
    s_time_t halted_since;        /* start of the halt in progress, 0: running */
    struct vcpu *curr_vcpu;       /* running vCPU, NULL when idle */
    /* context.c and schedule.c: touched only by this CPU */
    uint64_t idle_rsp;            /* the idle context's saved stack pointer */
    struct vcpu *switched_from;   /* the context just left (NULL: idle) */
    s_time_t run_start;           /* when curr_vcpu (or idle) last started */
    struct timer slice_timer;     /* ends curr_vcpu's time slice */
};

extern struct pcpu pcpus[CONFIG_NR_CPUS];
extern unsigned int nr_cpus_online;

static inline struct pcpu *this_pcpu(void)
{
    return &pcpus[smp_processor_id()];
}

#endif
