/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_op (29) and its compat form sched_op_compat (6): yield, block,
 * poll, shutdown (own, recorded in advance, or remote), the domain
 * watchdogs and pin_override, with Xen 4.17's semantics and errors.
 *
 * Model: yield lets the scheduler pick again; block and poll wait in
 * sched_wait() (schedule.c), where the CPU runs other vCPUs or idles until
 * an event, a timer or a timeout wakes the waiter (vcpu_unblock).
 *
 * Invariants:
 *  1. A vCPU waits only inside sched_wait(); everything that ends a wait
 *     first makes its condition true, then calls vcpu_unblock().
 *  2. Poll and block return 0 whatever woke them (timeout, port, event);
 *     the guest re-checks its ports (Xen does the same).
 *  3. d->watchdog[i] is armed iff bit i of d->watchdog_inuse is set, and a
 *     fired watchdog shuts the domain down with SHUTDOWN_watchdog.
 *
 * ABI corner cases pinned by tests/guests/sched.c on Xen 4.17: yield
 * ignores its argument; a shutdown reason is taken modulo 256, unchecked;
 * poll takes at most 128 ports, a port beyond the domain's valid range is
 * -EINVAL, a pending one returns at once even with events masked; the
 * watchdog ids are 1 and 2, timeout 0 destroys one, an unknown id is
 * -EINVAL and no free slot -ENOSPC; remote_shutdown of an unknown domain
 * is -ESRCH.
 */
#include <public/event_channel.h>
#include <public/sched.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/event.h>
#include <satori/hypercall.h>
#include <satori/nospec.h>
#include <satori/sched.h>
#include <satori/softirq.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/percpu.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

#define POLL_MAX_PORTS 128              /* Xen's "fairly arbitrary limit" */

static long schedop_yield(struct vcpu *v, uint64_t arg)
{
    sched_yield_cpu();
    return 0;
}

/* Unmask events and sleep until one is pending (or the vcpu-op timer fires). */
struct block_wait {
    struct vcpu *v;
    uint64_t timer_fired;
};

static bool block_done(void *arg)
{
    struct block_wait *w = arg;
    volatile vcpu_info_t *vi = vcpu_info(w->v);

    return vi->evtchn_upcall_pending || w->v->timer_fired != w->timer_fired;
}

static long schedop_block(struct vcpu *v, uint64_t arg)
{
    struct block_wait w = { v, v->timer_fired };

    vcpu_info(v)->evtchn_upcall_mask = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    sched_wait(block_done, &w);
    return 0;
}

static long schedop_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_shutdown s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -EFAULT;
    if ((uint8_t)s.reason == SHUTDOWN_crash)
        domain_crash(v->domain, "the guest reported a crash (SCHEDOP_shutdown)");
    domain_shutdown(v->domain, (uint8_t)s.reason);
    return 0;                           /* the exit to the guest deschedules v */
}

static long schedop_shutdown_code(struct vcpu *v, uint64_t arg)
{
    struct sched_shutdown s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -EFAULT;
    v->domain->shutdown_code = (uint8_t)s.reason;
    v->domain->has_shutdown_code = true;
    return 0;
}

static long schedop_remote_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown rs;
    struct domain *d;

    if (copy_from_guest(&rs, arg, sizeof(rs)))
        return -EFAULT;
    d = domain_get(rs.domain_id);
    if (!d)
        return -ESRCH;
    if (!v->domain->privileged) {
        domain_put(d);
        return -EPERM;
    }
    if ((uint8_t)rs.reason == SHUTDOWN_crash && d != v->domain)
        printk("d%u: shut down as crashed by d%u\n", d->domain_id, v->domain->domain_id);
    domain_shutdown(d, (uint8_t)rs.reason);
    domain_put(d);
    return 0;
}

struct poll_wait {
    struct vcpu *v;
    evtchn_port_t ports[POLL_MAX_PORTS];
    unsigned int nr_ports;
    bool timed_out;
};

static bool poll_done(void *arg)
{
    struct poll_wait *w = arg;
    const volatile shared_info_t *s = w->v->domain->shared_info;
    volatile vcpu_info_t *vi = vcpu_info(w->v);

    if (w->timed_out || (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask))
        return true;
    for (unsigned int i = 0; i < w->nr_ports; i++) {
        evtchn_port_t p = w->ports[i];
        if (s->evtchn_pending[p / 64] & (1UL << (p % 64)))
            return true;
    }
    return false;
}

static void poll_timeout_fn(void *arg)
{
    struct poll_wait *w = arg;

    w->timed_out = true;
    vcpu_unblock(w->v);
}

static long schedop_poll(struct vcpu *v, uint64_t arg)
{
    struct poll_wait wait, *w = &wait;
    struct sched_poll sp;

    if (copy_from_guest(&sp, arg, sizeof(sp)))
        return -EFAULT;
    if (sp.nr_ports > POLL_MAX_PORTS)
        return -EINVAL;
    w->v = v;
    w->timed_out = false;
    if (copy_from_guest(w->ports, (uint64_t)sp.ports.p, sp.nr_ports * sizeof(evtchn_port_t)))
        return -EFAULT;
    /* Xen's order: a deliverable event, then each port: invalid, pending. */
    w->nr_ports = 0;
    if (poll_done(w))
        return 0;
    for (unsigned int i = 0; i < sp.nr_ports; i++) {
        if (!evtchn_port_valid(v->domain, w->ports[i]) ||
            w->ports[i] >= sizeof(v->domain->shared_info->evtchn_pending) * 8)
            return -EINVAL;
        w->nr_ports = i + 1;
        if (poll_done(w))
            return 0;
    }
    /* In the vCPU, not on its stack: the reaper kills it if the domain dies. */
    timer_init(&v->poll_timer, poll_timeout_fn, w);
    if (sp.timeout)
        set_timer(&v->poll_timer, (s_time_t)sp.timeout);
    sched_wait(poll_done, w);
    kill_timer(&v->poll_timer);
    return 0;
}

static void watchdog_fired(void *arg)
{
    struct domain *d = arg;

    pr_always("Watchdog timer fired for domain %u\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_watchdog);
}

/* Invariant 3. id 0 makes one (returns its id), else re-arm or destroy. */
static long schedop_watchdog(struct vcpu *v, uint64_t arg)
{
    struct domain *d = v->domain;
    struct sched_watchdog wd;
    unsigned int i;

    if (copy_from_guest(&wd, arg, sizeof(wd)))
        return -EFAULT;
    if (wd.id == 0) {
        for (i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
            if (!(d->watchdog_inuse & (1u << i)))
                break;
        if (i == NR_DOMAIN_WATCHDOG_TIMERS)
            return -ENOSPC;
        d->watchdog_inuse |= 1u << i;
        timer_init(&d->watchdog[i], watchdog_fired, d);
        set_timer(&d->watchdog[i], NOW() + SECONDS(wd.timeout));
        return i + 1;
    }
    i = wd.id - 1;
    if (i >= NR_DOMAIN_WATCHDOG_TIMERS || !(d->watchdog_inuse & (1u << i)))
        return -EINVAL;
    if (wd.timeout == 0) {
        stop_timer(&d->watchdog[i]);
        d->watchdog_inuse &= ~(1u << i);
    } else {
        set_timer(&d->watchdog[i], NOW() + SECONDS(wd.timeout));
    }
    return 0;
}

/*
 * dom0 only: pins the caller to one CPU (for firmware calls), or (-1)
 * back to every CPU. A CPU that is not online is -EINVAL.
 */
static long schedop_pin_override(struct vcpu *v, uint64_t arg)
{
    struct sched_pin_override po;

    if (!v->domain->privileged)
        return -EPERM;
    if (copy_from_guest(&po, arg, sizeof(po)))
        return -EFAULT;
    if (po.pcpu >= 0 && (unsigned int)po.pcpu >= nr_cpus_online)
        return -EINVAL;
    if (vcpu_set_affinity(v, po.pcpu >= 0 ? 1UL << po.pcpu : SCHED_CPU_ALL))
        return -EINVAL;
    sched_yield_cpu();                  /* move now if it must */
    return 0;
}

static long (*const sched_ops[])(struct vcpu *v, uint64_t arg) = {
    [SCHEDOP_yield] = schedop_yield,
    [SCHEDOP_block] = schedop_block,
    [SCHEDOP_shutdown] = schedop_shutdown,
    [SCHEDOP_poll] = schedop_poll,
    [SCHEDOP_remote_shutdown] = schedop_remote_shutdown,
    [SCHEDOP_shutdown_code] = schedop_shutdown_code,
    [SCHEDOP_watchdog] = schedop_watchdog,
    [SCHEDOP_pin_override] = schedop_pin_override,
};

long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    cmd = (uint32_t)cmd;                /* Xen's int cmd */
    if (cmd >= ARRAY_SIZE(sched_ops))
        return -ENOSYS;
    cmd = array_index_nospec(cmd, ARRAY_SIZE(sched_ops));
    return sched_ops[cmd](current_vcpu(), arg);
}

/* The old form: yield and block alike, shutdown takes the reason itself. */
long do_sched_op_compat(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct vcpu *v = current_vcpu();

    switch (cmd) {
    case SCHEDOP_yield:
        return schedop_yield(v, arg);
    case SCHEDOP_block:
        return schedop_block(v, arg);
    case SCHEDOP_shutdown:
        if ((uint8_t)arg == SHUTDOWN_crash)
            domain_crash(v->domain, "the guest reported a crash (sched_op_compat)");
        domain_shutdown(v->domain, (uint8_t)arg);
        return 0;
    default:
        return -ENOSYS;
    }
}
