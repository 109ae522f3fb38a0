/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * domctl (36): the control domain's operations on other domains, the
 * toolstack's interface (include/public/domctl.h, versioned apart from the
 * guest ABI). Satori implements four commands: pausedomain,
 * unpausedomain, getdomaininfo and destroydomain; every other command is
 * -ENOSYS once the checks below have passed.
 *
 * Model. A call is copied in whole, checked in Xen 4.17's order, run, and
 * copied back whole when the command has a result:
 *   1. interface_version other than XEN_DOMCTL_INTERFACE_VERSION: -EACCES;
 *   2. the target domain, by id (DOMID_SELF is no id here): none is
 *      -ESRCH, before any privilege check, so an unprivileged caller learns
 *      which ids exist, as on Xen. createdomain names none; getdomaininfo
 *      may name none (it then reports the next domain, step 4);
 *   3. the caller must be the control domain (Xen's dummy XSM policy):
 *      -EPERM;
 *   4. the command.
 *
 * Invariants:
 *  1. The target is held by a reference (domain_get_any: a dying domain
 *     is still found, as Xen's rcu_lock_domain_by_id finds it, until the
 *     reaper takes it) from step 2 until the call returns. getdomaininfo
 *     reads its domain under domlist_lock instead, so it reports one
 *     being torn down (dying) until the reaper unlists it.
 *  2. d->controller_pause_count counts this interface's pauses (0-255),
 *     each one also a domain_pause(), so an unpause can never undo a pause
 *     it did not make.
 *
 * ABI corner cases (Xen 4.17, pinned by tests/guests/domctl.c):
 * pausedomain of the caller's own domain is -EINVAL, a 256th pause
 * -EOVERFLOW, unpausedomain of a domain this interface did not pause
 * -EINVAL; destroydomain of the caller's own domain is -EINVAL and of a
 * dying one 0. getdomaininfo of an id no domain has reports the domain
 * with the next higher id (xen_domctl.domain says which), -ESRCH if there
 * is none, -EINVAL for an id of DOMID_FIRST_RESERVED or more. Its flags
 * carry the shutdown code in bits 16-31, all ones (0xffff) while there is
 * none; blocked only if every online vCPU is, running if any is on a CPU;
 * neither with no vCPU online. ssidref 0, handle all zeros, cpupool 0.
 */
#define __XEN_TOOLS__ 1                 /* domctl.h is the toolstack's */
#include <public/domctl.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/nospec.h>
#include <satori/string.h>
#include <asm/mm.h>
#include <asm/uaccess.h>

#define CONTROLLER_PAUSE_MAX 255        /* Xen's limit: no overflow by repeated calls */
#define SHUTDOWN_CODE_NONE 0xffffffffu  /* Xen's SHUTDOWN_CODE_INVALID */

typedef long (*domctl_fn_t)(struct domain *cur, struct domain *d, struct xen_domctl *op);

static long domctl_pausedomain(struct domain *cur, struct domain *d, struct xen_domctl *op)
{
    int old = __atomic_load_n(&d->controller_pause_count, __ATOMIC_SEQ_CST);

    (void)op;
    if (d == cur)
        return -EINVAL;                 /* it would wait for itself */
    do {
        if (old >= CONTROLLER_PAUSE_MAX)
            return -EOVERFLOW;
    } while (!__atomic_compare_exchange_n(&d->controller_pause_count, &old, old + 1, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    domain_pause(d);                    /* invariant 2 */
    return 0;
}

static long domctl_unpausedomain(struct domain *cur, struct domain *d, struct xen_domctl *op)
{
    int old = __atomic_load_n(&d->controller_pause_count, __ATOMIC_SEQ_CST);

    (void)cur, (void)op;
    do {
        if (old <= 0)
            return -EINVAL;             /* invariant 2 */
    } while (!__atomic_compare_exchange_n(&d->controller_pause_count, &old, old - 1, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    domain_unpause(d);
    return 0;
}

static long domctl_destroydomain(struct domain *cur, struct domain *d, struct xen_domctl *op)
{
    (void)op;
    if (d == cur)
        return -EINVAL;
    if (READ_ONCE(d->state) != DOMAIN_DYING)
        d->stop_action = DOMU_DESTROY;  /* the toolstack's choice: no restart */
    domain_kill(d);                     /* the reaper frees it; a dying one: nothing */
    return 0;
}

/* The physical address width the CPU reports (what Xen gives a PV guest). */
static uint8_t paddr_bits(void)
{
    uint32_t eax = 0, ebx, ecx, edx;

    __asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000000));
    if (eax < 0x80000008)
        return 36;
    __asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000008));
    return (uint8_t)eax;
}

/* Xen's getdomaininfo(): the vCPU-derived flags, cpu_time and counts. */
static void fill_vcpu_info(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;

    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        struct vcpu_runstate_info r;
        unsigned long pf;

        if (!v)
            continue;
        vcpu_runstate_get(v, &r);
        info->cpu_time += r.time[RUNSTATE_running];
        info->max_vcpu_id = v->vcpu_id;
        pf = READ_ONCE(v->pause_flags);
        if (pf & (1UL << VPF_down))
            continue;
        if (!(pf & (1UL << VPF_blocked)))
            flags &= ~XEN_DOMINF_blocked;
        if (READ_ONCE(v->is_running))
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->flags = info->nr_online_vcpus ? flags : 0;
}

/* Under domlist_lock (domain_inspect_from): reads only. */
static void fill_domaininfo(struct domain *d, void *arg)
{
    struct xen_domctl_getdomaininfo *info = arg;
    uint32_t code = d->has_shutdown_code ? d->shutdown_code
                    : d->is_shut_down ? d->shutdown_reason : SHUTDOWN_CODE_NONE;

    memset(info, 0, sizeof(*info));     /* ssidref, handle, cpupool, arch_config: 0 */
    info->domain = d->domain_id;
    fill_vcpu_info(d, info);
    if (READ_ONCE(d->state) == DOMAIN_DYING)
        info->flags |= XEN_DOMINF_dying;
    if (READ_ONCE(d->is_shut_down))
        info->flags |= XEN_DOMINF_shutdown;
    if (__atomic_load_n(&d->controller_pause_count, __ATOMIC_SEQ_CST))
        info->flags |= XEN_DOMINF_paused;
    info->flags |= code << XEN_DOMINF_shutdownshift;
    info->tot_pages = READ_ONCE(d->tot_pages);
    info->max_pages = READ_ONCE(d->max_pages);
    info->shared_info_frame = mfn_x(d->shared_info_mfn);
    info->gpaddr_bits = paddr_bits();
}

/*
 * The named domain, or (d NULL: no domain has that id) the next one up.
 * A domain the reaper is tearing down is still reported, dying, until it
 * is unlisted, so a domain that is gone here has given its memory back.
 */
static long domctl_getdomaininfo(struct domain *cur, struct domain *d, struct xen_domctl *op)
{
    int id;

    (void)cur;
    if (!d && op->domain >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    id = domain_inspect_from(op->domain, fill_domaininfo, &op->u.getdomaininfo);
    if (id < 0)
        return id;
    op->domain = (domid_t)id;
    return 0;
}

struct domctl_subop {
    domctl_fn_t fn;
    bool copy_back;                     /* the whole xen_domctl goes back on success */
};

static const struct domctl_subop domctl_ops[] = {
    [XEN_DOMCTL_destroydomain] = { domctl_destroydomain, false },
    [XEN_DOMCTL_pausedomain] = { domctl_pausedomain, false },
    [XEN_DOMCTL_unpausedomain] = { domctl_unpausedomain, false },
    [XEN_DOMCTL_getdomaininfo] = { domctl_getdomaininfo, true },
};

/* Step 2: whether cmd names its target by op->domain (Xen 4.17's do_domctl). */
static bool names_a_domain(const struct xen_domctl *op)
{
    switch (op->cmd) {
    case XEN_DOMCTL_createdomain:
        return false;
    case XEN_DOMCTL_assign_device:
    case XEN_DOMCTL_deassign_device:
        return op->domain != DOMID_IO;
    case XEN_DOMCTL_test_assign_device:
    case XEN_DOMCTL_vm_event_op:
        return op->domain != DOMID_INVALID;
    default:
        return true;
    }
}

long do_domctl(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct domain *cur = current_vcpu()->domain, *d = NULL;
    const struct domctl_subop *sub = NULL;
    struct xen_domctl op;
    long rc;

    (void)a2, (void)a3, (void)a4, (void)a5;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;
    if (names_a_domain(&op)) {
        d = op.domain == cur->domain_id ? cur : domain_get_any(op.domain);   /* invariant 1 */
        if (!d && op.cmd != XEN_DOMCTL_getdomaininfo)
            return -ESRCH;
    }
    if (!cur->privileged)
        rc = -EPERM;
    else if (op.cmd >= ARRAY_SIZE(domctl_ops) || !domctl_ops[op.cmd].fn)
        rc = -ENOSYS;
    else {
        sub = &domctl_ops[array_index_nospec(op.cmd, ARRAY_SIZE(domctl_ops))];
        rc = sub->fn(cur, d, &op);
    }
    if (d && d != cur)
        domain_put(d);
    if (!rc && sub && sub->copy_back && copy_to_guest(arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
