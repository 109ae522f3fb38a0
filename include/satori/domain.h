/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs (hypervisor/domain.c). A domain owns machine frames
 * (frame table owner field, and its page list), a shared_info page and its
 * vCPUs; a vCPU holds the guest state the hypervisor tracks beside the
 * registers (which live on the CPU's stack while it runs).
 */
#ifndef SATORI_DOMAIN_H
#define SATORI_DOMAIN_H

#include <public/vcpu.h>
#include <public/xen.h>
#include <satori/domu_config.h>
#include <satori/frame.h>
#include <satori/list.h>
#include <satori/sched_credit.h>
#include <satori/spinlock.h>
#include <satori/timerq.h>
#include <satori/types.h>
#include <asm/domain.h>

#define MAX_VIRT_CPUS_PER_DOMAIN 32   /* vcpu_info slots in shared_info */
#define NR_DOMAIN_WATCHDOG_TIMERS 2   /* as Xen */

struct domain;
struct evtchn_table;
struct pirq_domain;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    bool kernel_mode;             /* guest kernel (true) or guest user mode */
    uint64_t guest_cr3;           /* kernel page table base (machine address) */
    uint64_t guest_user_cr3;      /* user page table base, 0 if none */
    unsigned int processor;       /* the physical CPU it runs on */
    vcpu_info_t *vcpu_info;       /* registered area; NULL: shared_info slot */
    mfn_t vcpu_info_mfn;          /* its frame (vcpu_info non-NULL) */
    /* vcpu_op.c: runstate area, vcpu-op timers. Touched only by v itself. */
    uint64_t runstate_guest;      /* guest VA of its vcpu_runstate_info, 0: none */
    struct vcpu_runstate_info runstate;   /* all zero: running since boot */
    struct timer singleshot_timer;  /* VCPUOP_set_singleshot_timer; fn NULL: never set */
    struct timer poll_timer;      /* SCHEDOP_poll's timeout; fn NULL: never set */
    struct timer periodic_timer;  /* VCPUOP_set_periodic_timer; fn NULL: never set */
    bool is_initialised;          /* its context is set (builder or VCPUOP_initialise) */
    uint64_t timer_fired;         /* count of singleshot expiries (wakes SCHEDOP_block) */
    s_time_t periodic_period;     /* VCPUOP_set_periodic_timer; 0: stopped */
    unsigned int iopl;            /* virtual IOPL 0-3 (PHYSDEVOP_set_iopl), for port I/O */
    uint64_t iobmp;               /* PHYSDEVOP_set_iobitmap: guest VA of its I/O bitmap */
    unsigned int iobmp_limit;     /* ports below this consult it; 0: none */
    /*
     * schedule.c. sched is under the scheduler lock; pause_flags change
     * atomically; is_running is set by the CPU that
     * switches to v and cleared once its context is saved.
     */
    struct sched_entity sched;
    unsigned long pause_flags;    /* VPF_*: reasons v may not run */
    volatile bool is_running;     /* its context is live on v->processor */
    /* context.c invariant 4: the CPU whose TLB may hold its translations. */
    volatile unsigned int dirty_cpu;   /* VCPU_CPU_CLEAN: none */
    struct arch_vcpu arch;
};

#define VPF_blocked 0             /* SCHEDOP_block/poll: waits for an event */
#define VPF_down    1             /* not up (VCPUOP_down, or never started) */
#define VCPU_CPU_CLEAN (~0u)

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_CRASHED, DOMAIN_DYING };


struct domain {
    domid_t domain_id;
    bool privileged;
    enum domain_state state;
    unsigned int shutdown_reason;
    /* sched_op.c: SCHEDOP_shutdown_code and SCHEDOP_watchdog. */
    unsigned int shutdown_code;   /* reason recorded in advance; valid if has_shutdown_code */
    bool has_shutdown_code;
    unsigned int watchdog_inuse;  /* bitmap of armed watchdog[] slots */
    struct timer watchdog[NR_DOMAIN_WATCHDOG_TIMERS];
    spinlock_t page_lock;         /* protects: pages, tot_pages */
    struct list_head pages;       /* frames the domain owns */
    uint64_t tot_pages;
    uint64_t max_pages;
    /* context.c invariant 4: CPUs whose TLBs may hold its translations (bit n: CPU n). */
    volatile uint64_t dirty_cpumask;
    shared_info_t *shared_info;   /* hypervisor mapping (direct map) */
    mfn_t shared_info_mfn;
    struct vcpu *vcpu[MAX_VIRT_CPUS_PER_DOMAIN];
    unsigned int max_vcpus;
    struct evtchn_table *evtchn;  /* event_channel.c, under its evtchn_lock */
    struct pirq_domain *pirq;     /* arch/x86/pirq.c: pirqs, EOI bitmap; NULL until first used */
    char cmdline[1024];
    /* console_io.c: console_lock protects the line buffer and rate budget. */
    spinlock_t console_lock;
    char console_line[256];
    unsigned int console_len;
    int64_t console_budget;       /* bytes it may still write */
    s_time_t console_refill_at;
    uint64_t console_dropped;
    /* domain.c: lifecycle. */
    int refcnt;                   /* domain_get() references (atomic) */
    bool is_shut_down;            /* it shut down or crashed (stays set once dying) */
    /* schedule.c: domain_pause() count (atomic); its vCPUs run only at 0. */
    int pause_count;
    /* domctl.c: pauses made by the control domain (XEN_DOMCTL_pausedomain), 0-255. */
    int controller_pause_count;
    struct list_head reap_elem;   /* on the reaper's list while dying */
    bool reaping;                 /* the reaper took it: no reference any more (domlist_lock) */
    unsigned int weight, cap;     /* scheduler share: weight, cap % of a CPU (0: none) */
    char name[32];
    /* What it does when it stops (xl's on_poweroff/on_crash), and what it did. */
    enum domu_action on_poweroff, on_crash, stop_action;
    const void *boot_config;      /* dom_build.c: what built it, for a restart */
    /* grant_table.c: set at creation, cleared at destroy (gnttab_lifetime_lock). */
    struct grant_table *grant_table;
    /* Frame lifetime (mem branch). page_lock also protects pages_closed. */
    bool pages_closed;            /* relinquishing: no frame may join pages */
};

/* PV time (arch/x86/pv/time.c): v's vcpu_time_info, d's wall clock. */
void vcpu_update_time(struct vcpu *v);
void domain_init_wallclock(struct domain *d);
/*
 * XENPF_settime: the wall clock read secs.nsecs at system time
 * system_time; every domain's shared_info gets the new base.
 */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time);

/* Accounts v's move to RUNSTATE_* state and updates its runstate area (vcpu_op.c). */
void vcpu_runstate_change(struct vcpu *v, int state);
/* v's run-state times as of now, any CPU (vcpu_op.c). */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out);

/* The vCPU's vcpu_info: the registered one, else its shared_info slot. */
static inline vcpu_info_t *vcpu_info(struct vcpu *v)
{
    return v->vcpu_info ? v->vcpu_info : &v->domain->shared_info->vcpu_info[v->vcpu_id];
}

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus);
/* The lowest unused domain id above 0, or -ENOSPC. */
int domain_alloc_id(void);
/*
 * Stops d for good: its vCPUs stop running, and once none runs anywhere the
 * reaper (on an idle CPU) returns its memory and frees it. Any context.
 */
void domain_kill(struct domain *d);
/*
 * The reaper's work, from the idle loop and REAP_SOFTIRQ: destroys dying
 * domains no CPU runs. Caller holds no lock.
 */
void domain_reap(void);
/* If a domain is dying, this CPU runs the reaper at its next softirq point. */
void domain_reaper_kick(void);
/*
 * Counted pause (schedule.c): d's vCPUs leave their CPUs and are not
 * picked again until as many domain_unpause() calls. domain_pause()
 * returns once no CPU runs any of them (Xen's domain_pause with
 * vcpu_sleep_sync); d must not be the caller's own domain.
 */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/*
 * Calls fn(d, arg) for the domain with the lowest id >= first, whatever
 * its state (one being torn down too, until it is unlisted), under
 * domlist_lock, interrupts off: fn only reads d and takes no lock.
 * Returns that id, or -ESRCH if there is none (domctl's getdomaininfo).
 */
int domain_inspect_from(domid_t first, void (*fn)(struct domain *d, void *arg), void *arg);
/* Builds again the boot-time domain whose config this is (dom_build.c). */
void domain_restart(const void *boot_config);
/* Number of domains that exist (not yet reaped). */
unsigned int domains_alive(void);
/*
 * The domain with this id, or NULL (ids below MAX_DOMAINS). Without a
 * reference: only for the caller's own domain, or where the reaper cannot
 * run meanwhile. domain_get() takes a reference that keeps d from being
 * torn down until domain_put().
 */
struct domain *domain_lookup(domid_t id);
/* The live (not dying) domain with this id, referenced; NULL if none. */
struct domain *domain_get(domid_t id);
/* The same, dying ones included until the reaper takes them (debug, domctl). */
struct domain *domain_get_any(domid_t id);
void domain_put(struct domain *d);
#define MAX_DOMAINS 256
/* Allocates one frame owned by d (PGC_allocated, count 1); NULL if none. */
struct page_info *domain_alloc_page(struct domain *d);
/* The running vCPU of this CPU (NULL in the idle loop). */
struct vcpu *current_vcpu(void);
void set_current_vcpu(struct vcpu *v);

/*
 * The running guest broke its contract (d is the caller's domain): stop it
 * with a one-line reason, and never run this vCPU again. dom0 cannot be
 * replaced, so its crash stops the machine.
 */
void __noreturn domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
/* Debug builds: recount the domain's frame references (arch/x86/pv/audit.c). */
#ifdef CONFIG_DEBUG
void arch_domain_audit(struct domain *d);
#else
static inline void arch_domain_audit(struct domain *d) { (void)d; }
#endif

/*
 * SCHEDOP_shutdown and remote shutdown: d stopped, for reason. Returns
 * only when d is not the caller's domain (the caller's vCPU never runs
 * again otherwise).
 */
void domain_shutdown(struct domain *d, unsigned int reason);

/*
 * Frame lifetime (mem branch; docs/architecture.md, "Frame lifetime").
 *
 * domain_assign_pages: gives d the 2^order frames from pg, each allocated
 * (count 1, writable type unused) and on d->pages. false, and nothing
 * changes, once d's memory is being relinquished or, with limit, if d
 * would pass max_pages.
 */
bool domain_assign_pages(struct domain *d, struct page_info *pg, unsigned int order, bool limit);
/*
 * 2^order zeroed frames, no one's yet, all below 2^address_bits bytes
 * unless address_bits is 0; NULL if the heap has no such block.
 */
struct page_info *alloc_guest_pages(unsigned int order, unsigned int address_bits);
/*
 * domain_alloc_pages: alloc_guest_pages() given to d (populate_physmap,
 * increase_reservation) within max_pages; NULL if the heap has no such
 * block, d would pass max_pages, or d's memory is being relinquished.
 */
struct page_info *domain_alloc_pages(struct domain *d, unsigned int order,
                                     unsigned int address_bits);
/* pg leaves d->pages and d->tot_pages (its last put, or XENMEM_exchange). */
void domain_unlist_page(struct domain *d, struct page_info *pg);
/*
 * The last reference to pg went (frame_released, under the MMU lock): it
 * leaves d's page list and tot_pages (d NULL: its owner is gone), is
 * zeroed and goes back to the heap.
 */
void domain_free_page(struct domain *d, struct page_info *pg);
/*
 * Domain destroy, once d runs nowhere and its event channels and timers
 * are gone: drops every reference d's vCPUs hold (page-table bases,
 * vcpu_info, GDT and LDT frames), unpins d's page tables and drops each
 * frame's allocation reference (arch/x86/pv/relinquish.c). Every frame on
 * d->pages is then free, or (held by another domain, e.g. a grant mapping)
 * orphaned: off d->pages, owner DOMID_INVALID, freed at its last put. d
 * gets no frames afterwards; d->tot_pages is 0. shared_info is left to
 * domain_relinquish_shared_info(), the last step before freeing d.
 */
void domain_relinquish_memory(struct domain *d);
/* Drops shared_info's allocation reference; d->shared_info is gone after. */
void domain_relinquish_shared_info(struct domain *d);

#endif
