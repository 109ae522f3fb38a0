/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cross-CPU calls over IPIs. One call is in flight at a time.
 *
 * Lock: call_lock protects call_data, and is taken with interrupts enabled
 * so a CPU waiting for it still answers other CPUs' calls.
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

static DEFINE_SPINLOCK(call_lock);   /* protects: call_data */
static struct {
    void (*fn)(void *);
    void *data;
    volatile unsigned int pending;
} call_data;

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
