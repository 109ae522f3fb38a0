/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs (hypervisor/domain.c). A domain owns machine frames
 * (frame table owner field, and its page list), a shared_info page and its
 * vCPUs; a vCPU holds the guest state the hypervisor tracks beside the
 * registers (which live on the CPU's stack while it runs).
 */
#ifndef SATORI_DOMAIN_H
#define SATORI_DOMAIN_H

#include <public/xen.h>
#include <satori/frame.h>
#include <satori/list.h>
#include <satori/spinlock.h>
#include <satori/types.h>

#define MAX_VIRT_CPUS_PER_DOMAIN 32   /* vcpu_info slots in shared_info */

struct domain;

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    bool kernel_mode;             /* guest kernel (true) or guest user mode */
    uint64_t guest_cr3;           /* kernel page table base (machine address) */
    uint64_t guest_user_cr3;      /* user page table base, 0 if none */
    unsigned int processor;       /* the physical CPU it runs on */
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_CRASHED };

struct domain {
    domid_t domain_id;
    bool privileged;
    enum domain_state state;
    unsigned int shutdown_reason;
    spinlock_t page_lock;         /* protects: pages, tot_pages */
    struct list_head pages;       /* frames the domain owns */
    uint64_t tot_pages;
    uint64_t max_pages;
    shared_info_t *shared_info;   /* hypervisor mapping (direct map) */
    mfn_t shared_info_mfn;
    struct vcpu *vcpu[MAX_VIRT_CPUS_PER_DOMAIN];
    unsigned int max_vcpus;
    char cmdline[1024];
};

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus);
/* Allocates one frame owned by d (PGC_allocated, count 1); NULL if none. */
struct page_info *domain_alloc_page(struct domain *d);
/* The running vCPU of this CPU (NULL in the idle loop). */
struct vcpu *current_vcpu(void);
void set_current_vcpu(struct vcpu *v);

/*
 * The guest broke its contract: stop it with a one-line reason and a dump.
 * dom0 cannot be replaced, so its crash stops the machine.
 */
void __noreturn domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
/* SCHEDOP_shutdown: the guest stopped itself. */
void __noreturn domain_shutdown(struct domain *d, unsigned int reason);

#endif
