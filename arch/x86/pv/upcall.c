/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event upcalls on x86 PV: entering the guest's event callback when an
 * event is due, and kicking a vCPU that must notice a new one.
 *
 * Invariants:
 *  1. On every exit to a guest (pv_exit_to_guest, interrupts off), a vCPU
 *     with upcall_pending set, upcall_mask clear and an event callback is
 *     bounced to that callback with events masked, so the guest sees the
 *     upcall before running another instruction of the interrupted code.
 *     The guest's xen_version(0) after unmasking ("deliver now") is such an
 *     exit; the iret hypercall, which restores the mask, is another.
 *  2. A kick wakes a blocked vCPU (vcpu_unblock), and reaches one running
 *     on another CPU as an event-check IPI: it leaves guest mode, and so
 *     passes invariant 1.
 */
#include <satori/domain.h>
#include <satori/event.h>
#include <satori/perfc.h>
#include <satori/sched.h>
#include <asm/apic.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/traps.h>

void pv_deliver_events(struct cpu_regs *regs)
{
    struct vcpu *v = current_vcpu();
    vcpu_info_t *vi;

    if (!v || !v->arch.event.address)
        return;
    vi = vcpu_info(v);
    if (!__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_RELAXED))
        return;
    pv_bounce(regs, v->arch.event.address, true, NULL);    /* invariant 1 */
    perfc_incr(event_upcall);
}

void arch_vcpu_kick(struct vcpu *v)
{
    unsigned int cpu = READ_ONCE(v->processor);

    vcpu_unblock(v);
    if (READ_ONCE(v->is_running) && cpu != smp_processor_id() && pcpus[cpu].online)
        apic_send_ipi(pcpus[cpu].apic_id, VECTOR_EVENT_CHECK);   /* invariant 2 */
}
