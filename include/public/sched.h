/* SPDX-License-Identifier: MIT */
/*
 * The sched_op hypercall: yield, block until an event, poll a set of
 * ports, shut down (or have a remote domain shut down), and the domain
 * watchdog. The SHUTDOWN_* reasons are also what the toolstack reports.
 */
#ifndef __XEN_PUBLIC_SCHED_H__
#define __XEN_PUBLIC_SCHED_H__

#include "event_channel.h"

/* Give up the CPU; stay runnable. No argument. */
#define SCHEDOP_yield           0
/* Sleep until an event is pending (unmasks events first). No argument. */
#define SCHEDOP_block           1
/* Stop this domain for a reason; argument: sched_shutdown. */
#define SCHEDOP_shutdown        2
/* Block until one of ports is pending or timeout; argument: sched_poll. */
#define SCHEDOP_poll            3
/* Shut another domain down (privileged); sched_remote_shutdown. */
#define SCHEDOP_remote_shutdown 4
/* Record the reason without stopping (before a suspend); sched_shutdown. */
#define SCHEDOP_shutdown_code   5
/* Arm, re-arm or destroy a watchdog; sched_watchdog. */
#define SCHEDOP_watchdog        6
/* Keep vCPU on one physical CPU (debugging, dom0); sched_pin_override. */
#define SCHEDOP_pin_override    7

struct sched_shutdown {
    unsigned int reason;                /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    unsigned int nr_ports;
    uint64_t timeout;                   /* absolute system time, 0: none */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;
    unsigned int reason;                /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

/*
 * id 0 with a timeout makes a new watchdog and returns its id; a known
 * id with a timeout re-arms it, with timeout 0 destroys it. Seconds.
 */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;                       /* negative: remove the override */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

/* Why a domain stopped. */
#define SHUTDOWN_poweroff   0   /* clean halt */
#define SHUTDOWN_reboot     1   /* clean restart */
#define SHUTDOWN_suspend    2   /* saved state follows; may be resumed */
#define SHUTDOWN_crash      3   /* the domain crashed */
#define SHUTDOWN_watchdog   4   /* a watchdog expired */
#define SHUTDOWN_soft_reset 5   /* restart keeping memory (kexec) */
#define SHUTDOWN_MAX        5

#endif /* __XEN_PUBLIC_SCHED_H__ */
