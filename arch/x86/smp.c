/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cross-CPU work over IPIs: calls (one in flight at a time) and TLB
 * shootdowns (flush_tlb_mask).
 *
 * Lock: call_lock protects call_data, and is taken with interrupts enabled
 * so a CPU waiting for it still answers other CPUs' calls.
 *
 * TLB shootdown. Each CPU has a request counter, which any CPU bumps to
 * ask it for a flush, and a done counter, which only that CPU writes: the
 * request value it read just before its last flush. A request r is
 * answered once done >= r, and the flush that answered it began after r
 * was made, so after the change the requester made before asking.
 * Invariants:
 *  1. Answering needs no lock and no memory but the two counters: the IPI
 *     handler and flush_tlb_service() do the same thing, and either may
 *     run anywhere, interrupts off included.
 *  2. A CPU waiting for others' answers answers its own requests while it
 *     waits, so two CPUs flushing each other with interrupts off both
 *     finish. A CPU spinning with interrupts off for a lock that a
 *     flusher may hold must do the same (pv_mm_lock does); no other lock
 *     may be held across flush_tlb_mask() unless its waiters spin with
 *     interrupts on (docs/locking.md).
 */
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/spinlock.h>
#include <satori/time.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/smp.h>
#include <asm/traps.h>

#define CALL_TIMEOUT_MS 2000
#define FLUSH_WARN_MS 2000

static DEFINE_SPINLOCK(call_lock);   /* protects: call_data */
static struct {
    void (*fn)(void *);
    void *data;
    volatile unsigned int pending;
} call_data;

static struct {
    volatile uint64_t req;       /* bumped by requesters */
    volatile uint64_t done;      /* written by the CPU itself, interrupts off */
} __attribute__((aligned(64))) tlb_flush[CONFIG_NR_CPUS];

void flush_tlb_service(void)
{
    uint64_t flags = local_irq_save();
    unsigned int cpu = smp_processor_id();
    uint64_t req = __atomic_load_n(&tlb_flush[cpu].req, __ATOMIC_ACQUIRE);

    if (req != tlb_flush[cpu].done) {
        flush_tlb_local();
        __atomic_store_n(&tlb_flush[cpu].done, req, __ATOMIC_RELEASE);
    }
    local_irq_restore(flags);
}

static void flush_tlb_interrupt(struct cpu_regs *regs)
{
    apic_eoi();
    flush_tlb_service();
}

static uint64_t online_mask(void)
{
    return nr_cpus_online >= 64 ? ~0ULL : (1ULL << nr_cpus_online) - 1;
}

/* Waits until cpu answered request want, answering ours meanwhile (invariant 2). */
static void flush_wait(unsigned int cpu, uint64_t want)
{
    s_time_t warn = NOW() + MILLISECS(FLUSH_WARN_MS);

    while (__atomic_load_n(&tlb_flush[cpu].done, __ATOMIC_ACQUIRE) < want) {
        flush_tlb_service();
        cpu_relax();
        if (warn && NOW() > warn) {
            pr_err("TLB flush: CPU %u has not answered for %u ms\n", cpu, FLUSH_WARN_MS);
            warn = 0;
        }
    }
}

/* This CPU: all of its TLB, or only va's entry (va non-NULL); the others: all. */
static void flush_mask(uint64_t mask, const void *va)
{
    uint64_t want[CONFIG_NR_CPUS], self_bit, flags = local_irq_save();
    unsigned int self = smp_processor_id();

    self_bit = 1ULL << self;
    mask &= online_mask();
    if (mask & self_bit) {
        if (va)
            invlpg(va);
        else
            flush_tlb_local();
    }
    local_irq_restore(flags);
    mask &= ~self_bit;
    for (uint64_t m = mask; m; m &= m - 1) {
        unsigned int cpu = (unsigned int)__builtin_ctzll(m);
        want[cpu] = __atomic_add_fetch(&tlb_flush[cpu].req, 1, __ATOMIC_SEQ_CST);
        apic_send_ipi(pcpus[cpu].apic_id, VECTOR_FLUSH_TLB);
    }
    for (uint64_t m = mask; m; m &= m - 1) {
        unsigned int cpu = (unsigned int)__builtin_ctzll(m);
        flush_wait(cpu, want[cpu]);
    }
}

void flush_tlb_mask(uint64_t mask)
{
    /* The caller's page-table change is visible before anyone reads a request. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    flush_mask(mask, NULL);
}

void flush_tlb_one_mask(uint64_t mask, uint64_t va)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    flush_mask(mask, (const void *)va);
}

static void call_function_interrupt(struct cpu_regs *regs)
{
    apic_eoi();
    call_data.fn(call_data.data);
    __atomic_fetch_sub(&call_data.pending, 1, __ATOMIC_SEQ_CST);
}

static void event_check_interrupt(struct cpu_regs *regs)
{
    /* Nothing to do: waking from hlt makes the idle loop look at softirqs. */
    apic_eoi();
}

void smp_init_ipis(void)
{
    set_irq_handler(VECTOR_CALL_FUNCTION, call_function_interrupt);
    set_irq_handler(VECTOR_EVENT_CHECK, event_check_interrupt);
    set_irq_handler(VECTOR_FLUSH_TLB, flush_tlb_interrupt);
}

int on_other_cpus(void (*fn)(void *), void *data)
{
    s_time_t end;
    int rc = 0;

    if (nr_cpus_online < 2)
        return 0;
    spin_lock(&call_lock);
    call_data.fn = fn;
    call_data.data = data;
    call_data.pending = nr_cpus_online - 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_send_ipi_allbutself(VECTOR_CALL_FUNCTION);
    end = NOW() + MILLISECS(CALL_TIMEOUT_MS);
    while (call_data.pending && NOW() < end)
        cpu_relax();
    if (call_data.pending) {
        pr_err("IPI: %u CPU(s) did not answer a call within %u ms\n", call_data.pending,
               CALL_TIMEOUT_MS);
        rc = -ETIMEDOUT;
    }
    spin_unlock(&call_lock);
    return rc;
}
