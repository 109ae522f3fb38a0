/* SPDX-License-Identifier: MIT */
/*
 * The vcpu_op hypercall, vcpu_op(cmd, vcpuid, arg): start and stop vCPUs,
 * read their run-state accounting, run the per-vCPU timers, and move the
 * vcpu_info, runstate and time records to memory the guest chooses.
 */
#ifndef __XEN_PUBLIC_VCPU_H__
#define __XEN_PUBLIC_VCPU_H__

#include "xen.h"

/* Set a vCPU's first context (vcpu_guest_context); once per vCPU. */
#define VCPUOP_initialise 0
/* Make an initialised vCPU runnable. */
#define VCPUOP_up         1
/* Stop a vCPU; asynchronous unless a vCPU downs itself. */
#define VCPUOP_down       2
/* Returns 1 if the vCPU is up. */
#define VCPUOP_is_up      3

/* Copy the vCPU's vcpu_runstate_info to the argument. */
#define VCPUOP_get_runstate_info 4
struct vcpu_runstate_info {
    int      state;             /* RUNSTATE_* now */
    uint64_t state_entry_time;  /* system time (ns) it was entered */
/*
 * Set in state_entry_time while the hypervisor rewrites a registered
 * runstate area (with VMASST_TYPE_runstate_update_flag on).
 */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)
    uint64_t time[4];           /* ns spent in each RUNSTATE_*, in total */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

#define RUNSTATE_running  0     /* on a physical CPU */
#define RUNSTATE_runnable 1     /* waiting for one */
#define RUNSTATE_blocked  2     /* waiting for an event */
#define RUNSTATE_offline  3     /* neither: down, paused, preempted */

/*
 * Have the hypervisor keep a vcpu_runstate_info up to date at a guest
 * virtual address (PV) until it is replaced or the address is 0.
 */
#define VCPUOP_register_runstate_memory_area 5
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);

/* A periodic VIRQ_TIMER every period_ns (at least 1 ms), or none. */
#define VCPUOP_set_periodic_timer  6
#define VCPUOP_stop_periodic_timer 7
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

/* One VIRQ_TIMER at absolute system time timeout_abs_ns, or none. */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;             /* VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

/* Fail with -ETIME if the timeout is already in the past. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/*
 * Move this vCPU's vcpu_info to offset bytes into frame mfn (it must not
 * cross the page). Needed for vCPUs beyond XEN_LEGACY_MAX_VCPUS.
 */
#define VCPUOP_register_vcpu_info 10
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;              /* zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);

/* Send an NMI to the vCPU. */
#define VCPUOP_send_nmi 11

/* The physical CPU's APIC and ACPI ids (dom0 only, pinned vCPUs). */
#define VCPUOP_get_physid 12
struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/*
 * Have the hypervisor keep a copy of vcpu_time_info at a guest address
 * too (for a user-mode clock such as a vDSO).
 */
#define VCPUOP_register_vcpu_time_memory_area 13
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);

#endif /* __XEN_PUBLIC_VCPU_H__ */
