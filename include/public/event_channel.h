/* SPDX-License-Identifier: MIT */
/*
 * The event_channel_op hypercall. An event channel is a port number in a
 * domain; it may be bound to another domain's port (interdomain), a
 * virtual IRQ, a physical IRQ (pirq) or another vCPU of the same domain
 * (IPI). Sending on a port sets it pending in the receiver. Two delivery
 * ABIs exist: the 2-level bitmaps in shared_info, and the FIFO queues set
 * up with EVTCHNOP_init_control.
 */
#ifndef __XEN_PUBLIC_EVENT_CHANNEL_H__
#define __XEN_PUBLIC_EVENT_CHANNEL_H__

#include "xen.h"

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * alloc_unbound: make a port in dom that remote_dom may bind to later.
 * dom may be DOMID_SELF; the new port comes back in port.
 */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/* bind_interdomain: connect a new local port to remote_dom's unbound one. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;           /* out */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* bind_virq: a new port for VIRQ virq, delivered to vCPU vcpu. */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* bind_pirq: a new port for physical IRQ pirq (privileged domains). */
struct evtchn_bind_pirq {
    uint32_t pirq;
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* bind_ipi: a new port that signals vCPU vcpu of the caller. */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/* close: unbind port; an interdomain peer's end goes back to unbound. */
struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

/* send: raise the event at the other end of port. */
struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

/* status: what port of dom is bound to (dom other than self: privileged). */
struct evtchn_status {
    domid_t dom;
    evtchn_port_t port;
#define EVTCHNSTAT_closed      0    /* free */
#define EVTCHNSTAT_unbound     1    /* waiting for u.unbound.dom */
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5
    uint32_t status;                    /* out: EVTCHNSTAT_* */
    uint32_t vcpu;                      /* out: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/* bind_vcpu: deliver port's events to vCPU vcpu from now on. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* unmask: clear port's mask and deliver an upcall if it is pending. */
struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* reset: close every port of dom (and return to the 2-level ABI). */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/*
 * init_control: switch to the FIFO ABI, giving vCPU vcpu its control
 * block at offset bytes into frame control_gfn. link_bits comes back.
 */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t  link_bits;                 /* out */
    uint8_t  _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/* expand_array: add one page of FIFO event words. */
struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/* set_priority: the FIFO queue of port (EVTCHN_FIFO_PRIORITY_*). */
struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* The pre-3.2 multiplexed form (event_channel_op_compat). */
struct evtchn_op {
    uint32_t cmd;                       /* EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

/* Ports of the 2-level ABI: one bit per port in a word of words. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: priorities (0 is highest), one queue each. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* One FIFO event word: state bits on top, the next port in the queue below. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)

#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

/* Per-vCPU FIFO control block: ready bitmap of queues, and their heads. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

#endif /* __XEN_PUBLIC_EVENT_CHANNEL_H__ */
