/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI. Two layers:
 *  - hypervisor/evtchn_port.c: the pure part, built unmodified on the host
 *    (tests/unit/test_event.c): a domain's port table and the 2-level
 *    pending/mask/selector bit logic over a shared_info and a vcpu_info;
 *  - hypervisor/event_channel.c: EVTCHNOP_* (event_channel_op), the
 *    domain lock, raising ports and VIRQs, and kicking vCPUs.
 * The model and its numbered invariants are at the top of event_channel.c.
 */
#ifndef SATORI_EVENT_H
#define SATORI_EVENT_H

#include <public/event_channel.h>
#include <public/xen.h>
#include <satori/types.h>

#define EVTCHN_NR_PORTS 4096            /* EVTCHN_2L_NR_CHANNELS on x86-64 */
#define EVTCHN_PORTS_PER_BUCKET 64      /* as Xen: the first bucket is valid at start */
#define EVTCHN_NR_BUCKETS (EVTCHN_NR_PORTS / EVTCHN_PORTS_PER_BUCKET)
#define EVTCHN_MAX_VCPUS 32             /* == MAX_VIRT_CPUS_PER_DOMAIN (asserted) */

enum evtchn_state {
    ECS_FREE,                           /* closed; may be allocated */
    ECS_RESERVED,                       /* port 0: never allocated */
    ECS_UNBOUND,                        /* alloc_unbound: waits for remote_dom */
    ECS_INTERDOMAIN,                    /* bound to remote_dom:remote_port */
    ECS_PIRQ,                           /* a physical IRQ (bind_pirq; arch/x86/pirq.c) */
    ECS_VIRQ,                           /* virq */
    ECS_IPI,                            /* send raises it on notify_vcpu */
};

struct evtchn {
    uint8_t state;                      /* enum evtchn_state */
    uint8_t virq;                       /* ECS_VIRQ */
    domid_t remote_dom;                 /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: peer */
    evtchn_port_t remote_port;          /* ECS_INTERDOMAIN */
    uint32_t notify_vcpu;               /* the vCPU it raises on (< the domain's max_vcpus) */
    uint32_t pirq;                      /* ECS_PIRQ */
};

/*
 * A domain's ports. Ports [0, valid) have a bucket; valid only grows, one
 * bucket at a time, and is read without the lock (sched_op's poll).
 */
struct evtchn_table {
    struct evtchn *bucket[EVTCHN_NR_BUCKETS];
    uint32_t valid;
    evtchn_port_t virq_port[EVTCHN_MAX_VCPUS][NR_VIRQS];   /* 0: not bound */
};

/* Pure part (evtchn_port.c). Callers hold the domain's event lock. */
void evtchn_table_init(struct evtchn_table *t, struct evtchn *bucket0);
/* The port's channel, NULL if port >= t->valid (index clamped for speculation). */
struct evtchn *evtchn_table_port(const struct evtchn_table *t, evtchn_port_t port);
/* The lowest free port; t->valid if a bucket must be added first; -ENOSPC if full. */
int evtchn_table_free_port(const struct evtchn_table *t);
void evtchn_table_add_bucket(struct evtchn_table *t, struct evtchn *bucket);
/* Xen's rule: TIMER, DEBUG, XENOPROF, XENPMU are per vCPU, the rest global (vCPU 0). */
bool evtchn_virq_is_global(unsigned int virq);
/* Sets port pending; true if it was not (the vCPU must be kicked). */
bool evtchn_2l_set_pending(shared_info_t *s, vcpu_info_t *vi, evtchn_port_t port);
/* Clears port's mask; true if that raised an upcall (kick the vCPU). */
bool evtchn_2l_unmask(shared_info_t *s, vcpu_info_t *vi, evtchn_port_t port);
void evtchn_2l_clear_pending(shared_info_t *s, evtchn_port_t port);
bool evtchn_2l_is_pending(const shared_info_t *s, evtchn_port_t port);

/* Hypervisor part (event_channel.c). */
struct domain;
struct vcpu;
struct cpu_regs;

int __attribute__((warn_unused_result)) evtchn_init(struct domain *d);
/* A dying, unreferenced domain: closes every port (peers' ends become unbound). */
void evtchn_close_all(struct domain *d);
/* Frees d's port table (after evtchn_close_all, or on a failed creation). */
void evtchn_destroy(struct domain *d);
/* Whether port names a slot of d's table (sched_op's poll). */
bool evtchn_port_valid(const struct domain *d, evtchn_port_t port);
/* Raises a per-vCPU VIRQ (TIMER, DEBUG...) on v, if v has it bound. */
void evtchn_send_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raises a global VIRQ (CONSOLE, DOM_EXC...) of d, if d has it bound. */
void evtchn_send_global_virq(struct domain *d, unsigned int virq);

/* x86 hooks (arch/x86/pv/upcall.c). */
/* Makes v notice a new event: an IPI if it runs on another CPU. */
void arch_vcpu_kick(struct vcpu *v);
/* On every exit to the guest: bounce to its event callback if an upcall is due. */
void pv_deliver_events(struct cpu_regs *regs);

#endif
