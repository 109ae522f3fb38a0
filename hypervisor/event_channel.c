/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * event_channel_op (32) and its compat form event_channel_op_compat (16):
 * every EVTCHNOP_*, for the 2-level ABI, and raising ports and VIRQs from
 * inside the hypervisor (timers).
 *
 * Model: a domain has up to 4096 ports (d->evtchn, evtchn_port.c), each
 * free, reserved (port 0), unbound (waiting for remote_dom to bind it),
 * interdomain (bound to a peer port; loopback when the peer is the same
 * domain), virq, ipi or pirq (a physical IRQ the domain mapped, raised by
 * its interrupt: arch/x86/pirq.c owns the IRQ side, binding and unbinding
 * it outside evtchn_lock, which nests inside its pirq lock).
 * Raising a port sets its pending bit in shared_info; if it is unmasked,
 * its word's selector bit and upcall_pending of the port's notify vCPU;
 * then the vCPU is kicked (arch_vcpu_kick): on the way back to the guest,
 * pv_deliver_events() bounces it to its event callback, and a vCPU waiting
 * in SCHEDOP_block/poll is woken (vcpu_unblock) and re-checks its
 * condition (sched_op.c). Ops naming another domain (alloc_unbound,
 * status, reset) need a privileged caller (-EPERM), an unknown id is
 * -ESRCH; bind_interdomain may name any domain that offered the caller a
 * port. A dying domain's ports are all closed first (evtchn_close_all),
 * so its peers' ends become unbound, as in Xen.
 *
 * Invariants (1-4: evtchn_port.c):
 *  5. Every port's notify_vcpu names an existing vCPU of its domain.
 *  6. virq_port[v][virq] == p != 0 iff port p is ECS_VIRQ for virq and, for
 *     a per-vCPU VIRQ, notify_vcpu == v; a global VIRQ is kept under vCPU 0.
 *  7. Interdomain ports come in pairs: p bound to (rd, rp) iff rp is bound
 *     to (d, p). Closing one end makes the other unbound, for d.
 *  8. A freed port is not pending, and notifies vCPU 0.
 *
 * Locks: evtchn_lock, one for all domains, protects every d->evtchn (port
 * states, bindings, VIRQ map) and is held while a port is raised, so a
 * port cannot be closed under a sender, and an interdomain pair changes
 * as one. One lock keeps pairs simple; per-domain locks can come when
 * contention shows. Taken with interrupts off: VIRQs are raised from
 * softirqs and timers. It nests outside the scheduler lock (a raise wakes
 * a vCPU) and xmalloc_lock. Another domain is used under a reference
 * (domain_get), so the reaper cannot free it meanwhile.
 *
 * ABI corner cases (Xen 4.17, pinned by tests/guests/events.c): the
 * argument is copied in whole before anything (-EFAULT); a result is
 * copied out only on success, and a failing copy-out returns -EFAULT with
 * the operation done. A port past the valid range is -EINVAL for every op;
 * a free or reserved port: close and send -EINVAL, status "closed", unmask
 * 0. Send on an unbound port is dropped (0); on a virq port -EINVAL.
 * bind_interdomain leaves the new local port pending (Xen's conservative
 * fixup for notifications lost while unbound). alloc_unbound accepts any
 * remote_dom. bind_virq: bad virq, or a global one on a vCPU other than 0,
 * -EINVAL; bad vCPU -ENOENT; bound already -EEXIST. bind_vcpu moves only
 * unbound, interdomain, pirq and global-virq ports (-EINVAL otherwise).
 * bind_pirq: no such pirq -EINVAL, not mapped -EPERM, bound -EEXIST, an
 * IRQ the hypervisor uses -EBUSY; its port notifies vCPU 0. Closing a
 * pirq port unbinds the IRQ; a port whose pirq was unmapped meanwhile
 * stays a pirq port until closed.
 * init_control (the FIFO ABI) is -ENOSYS, so guests fall back to 2-level;
 * expand_array is -EOPNOTSUPP (no FIFO set up), set_priority -ENOSYS for
 * a valid port, as on a 2-level domain of Xen's.
 */
#include <public/event_channel.h>
#include <satori/bug.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/event.h>
#include <satori/hypercall.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/nospec.h>
#include <satori/pirq.h>
#include <satori/spinlock.h>
#include <asm/uaccess.h>

_Static_assert(EVTCHN_MAX_VCPUS == MAX_VIRT_CPUS_PER_DOMAIN, "virq_port rows");

static DEFINE_SPINLOCK(evtchn_lock);   /* protects: every domain's evtchn table */
_Static_assert(EVTCHN_NR_PORTS <= sizeof(((shared_info_t *)0)->evtchn_pending) * 8,
               "2-level bitmaps");

int evtchn_init(struct domain *d)
{
    struct evtchn_table *t = xzalloc(struct evtchn_table);
    struct evtchn *b = xzalloc_bytes(EVTCHN_PORTS_PER_BUCKET * sizeof(struct evtchn));

    if (!t || !b) {
        xfree(t);
        xfree(b);
        return -ENOMEM;
    }
    evtchn_table_init(t, b);
    d->evtchn = t;
    return 0;
}

/*
 * The domain an op names: the caller's (DOMID_SELF or its id, no
 * reference), or another one the caller must be privileged to act on
 * (a reference: evtchn_put_domain()). NULL with *rc -ESRCH or -EPERM.
 */
static struct domain *evtchn_get_domain(struct vcpu *cur, domid_t id, long *rc)
{
    struct domain *d = cur->domain;

    if (id == DOMID_SELF || id == d->domain_id)
        return d;
    d = domain_get(id);
    *rc = !d ? -ESRCH : !cur->domain->privileged ? -EPERM : 0;
    if (*rc && d)
        domain_put(d);
    return *rc ? NULL : d;
}

static void evtchn_put_domain(struct vcpu *cur, struct domain *d)
{
    if (d != cur->domain)
        domain_put(d);
}

/*
 * Caller holds evtchn_lock. The peer of an interdomain port of d: found
 * without a reference, because a domain is unlisted only after
 * evtchn_close_all(), which unbinds every port bound to it.
 */
static struct domain *evtchn_peer(struct domain *d, domid_t id)
{
    return id == d->domain_id ? d : domain_lookup(id);
}

bool evtchn_port_valid(const struct domain *d, evtchn_port_t port)
{
    return d->evtchn && evtchn_table_port(d->evtchn, port);
}

/* Caller holds d->event_lock. Raises port on its notify vCPU (invariant 5). */
static void evtchn_raise(struct domain *d, evtchn_port_t port, const struct evtchn *chn)
{
    struct vcpu *v = d->vcpu[chn->notify_vcpu];

    if (evtchn_2l_set_pending(d->shared_info, vcpu_info(v), port))
        arch_vcpu_kick(v);
}

/* Caller holds d->event_lock. The lowest free port, adding a bucket if needed. */
static int get_free_port(struct domain *d)
{
    int port = evtchn_table_free_port(d->evtchn);
    struct evtchn *b;

    if (port < 0 || (uint32_t)port < d->evtchn->valid)
        return port;
    b = xzalloc_bytes(EVTCHN_PORTS_PER_BUCKET * sizeof(*b));
    if (!b)
        return -ENOMEM;
    evtchn_table_add_bucket(d->evtchn, b);
    return port;
}

/* A vCPU index from the guest: v's index, or -1 if d has no such vCPU. */
static int vcpu_index(const struct domain *d, uint32_t vcpu)
{
    if (vcpu >= d->max_vcpus)
        return -1;
    vcpu = (uint32_t)array_index_nospec(vcpu, d->max_vcpus);
    return d->vcpu[vcpu] ? (int)vcpu : -1;
}

static long evtchn_alloc_unbound(struct vcpu *cur, void *arg)
{
    evtchn_alloc_unbound_t *a = arg;
    long rc = 0;
    struct domain *d = evtchn_get_domain(cur, a->dom, &rc);
    struct evtchn *chn;
    uint64_t flags;
    int port;

    if (!d)
        return rc;
    flags = spin_lock_irqsave(&evtchn_lock);
    port = get_free_port(d);
    if (port >= 0) {
        chn = evtchn_table_port(d->evtchn, (evtchn_port_t)port);
        chn->state = ECS_UNBOUND;
        chn->remote_dom = a->remote_dom == DOMID_SELF ? cur->domain->domain_id : a->remote_dom;
        a->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    evtchn_put_domain(cur, d);
    return port < 0 ? port : 0;
}

static long evtchn_bind_interdomain(struct vcpu *cur, void *arg)
{
    evtchn_bind_interdomain_t *b = arg;
    struct domain *ld = cur->domain, *rd;
    struct evtchn *lchn, *rchn;
    uint64_t flags;
    int lport;
    long rc = 0;

    /* Any domain may bind to a port offered to it: no privilege needed. */
    rd = b->remote_dom == DOMID_SELF || b->remote_dom == ld->domain_id ? ld
                                                                      : domain_get(b->remote_dom);
    if (!rd)
        return -ESRCH;
    /* rd is referenced: the reaper cannot close its ports meanwhile. */
    flags = spin_lock_irqsave(&evtchn_lock);
    lport = get_free_port(ld);
    if (lport < 0) {
        rc = lport;
        goto out;
    }
    rchn = evtchn_table_port(rd->evtchn, b->remote_port);
    if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->domain_id) {
        rc = -EINVAL;
        goto out;
    }
    lchn = evtchn_table_port(ld->evtchn, (evtchn_port_t)lport);
    lchn->state = ECS_INTERDOMAIN;                          /* invariant 7 */
    lchn->remote_dom = rd->domain_id;
    lchn->remote_port = b->remote_port;
    rchn->state = ECS_INTERDOMAIN;
    rchn->remote_dom = ld->domain_id;
    rchn->remote_port = (evtchn_port_t)lport;
    evtchn_raise(ld, (evtchn_port_t)lport, lchn);
    b->local_port = (evtchn_port_t)lport;
out:
    spin_unlock_irqrestore(&evtchn_lock, flags);
    evtchn_put_domain(cur, rd);
    return rc;
}

static long evtchn_bind_virq(struct vcpu *cur, void *arg)
{
    evtchn_bind_virq_t *b = arg;
    struct domain *d = cur->domain;
    struct evtchn *chn;
    unsigned int virq;
    uint64_t flags;
    int vcpu, port;

    if (b->virq >= NR_VIRQS)
        return -EINVAL;
    virq = (unsigned int)array_index_nospec(b->virq, NR_VIRQS);
    if (evtchn_virq_is_global(virq) && b->vcpu != 0)
        return -EINVAL;
    vcpu = vcpu_index(d, b->vcpu);
    if (vcpu < 0)
        return -ENOENT;
    flags = spin_lock_irqsave(&evtchn_lock);
    if (d->evtchn->virq_port[vcpu][virq]) {
        port = -EEXIST;
    } else if ((port = get_free_port(d)) >= 0) {
        chn = evtchn_table_port(d->evtchn, (evtchn_port_t)port);
        chn->state = ECS_VIRQ;                              /* invariant 6 */
        chn->virq = (uint8_t)virq;
        chn->notify_vcpu = (uint32_t)vcpu;
        d->evtchn->virq_port[vcpu][virq] = (evtchn_port_t)port;
        b->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    return port < 0 ? port : 0;
}

static long evtchn_bind_ipi(struct vcpu *cur, void *arg)
{
    evtchn_bind_ipi_t *b = arg;
    struct domain *d = cur->domain;
    struct evtchn *chn;
    uint64_t flags;
    int vcpu = vcpu_index(d, b->vcpu), port;

    if (vcpu < 0)
        return -ENOENT;
    flags = spin_lock_irqsave(&evtchn_lock);
    port = get_free_port(d);
    if (port >= 0) {
        chn = evtchn_table_port(d->evtchn, (evtchn_port_t)port);
        chn->state = ECS_IPI;
        chn->notify_vcpu = (uint32_t)vcpu;
        b->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    return port < 0 ? port : 0;
}

/*
 * The IRQ side checks and binds (pirq.c, outside evtchn_lock); the port is
 * made ECS_PIRQ first, so an interrupt finds it, and freed again on failure.
 */
static long evtchn_bind_pirq(struct vcpu *cur, void *arg)
{
    evtchn_bind_pirq_t *b = arg;
    struct domain *d = cur->domain;
    struct evtchn *chn;
    uint64_t flags;
    int port;
    long rc = pirq_bind_check(d, b->pirq);

    if (rc)
        return rc;
    flags = spin_lock_irqsave(&evtchn_lock);
    port = get_free_port(d);
    if (port >= 0) {
        chn = evtchn_table_port(d->evtchn, (evtchn_port_t)port);
        chn->state = ECS_PIRQ;
        chn->pirq = b->pirq;
        chn->notify_vcpu = 0;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    if (port < 0)
        return port;
    rc = pirq_guest_bind(d, b->pirq, (evtchn_port_t)port, b->flags & BIND_PIRQ__WILL_SHARE);
    if (rc) {
        flags = spin_lock_irqsave(&evtchn_lock);
        chn = evtchn_table_port(d->evtchn, (evtchn_port_t)port);
        if (chn->state == ECS_PIRQ && chn->pirq == b->pirq)
            *chn = (struct evtchn){ .state = ECS_FREE };
        spin_unlock_irqrestore(&evtchn_lock, flags);
        return rc;
    }
    b->port = (evtchn_port_t)port;
    return 0;
}

/* Caller holds d->event_lock. Closes one port of d. */
static long evtchn_close_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_table_port(d->evtchn, port), *rchn;
    struct domain *rd;

    if (!chn)
        return -EINVAL;
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        return -EINVAL;
    case ECS_VIRQ:                                          /* invariant 6 */
        for (unsigned int i = 0; i < EVTCHN_MAX_VCPUS; i++)
            if (d->evtchn->virq_port[i][chn->virq] == port)
                d->evtchn->virq_port[i][chn->virq] = 0;
        break;
    case ECS_INTERDOMAIN:                                   /* invariant 7 */
        rd = evtchn_peer(d, chn->remote_dom);
        rchn = rd ? evtchn_table_port(rd->evtchn, chn->remote_port) : NULL;
        BUG_ON(!rchn || rchn->state != ECS_INTERDOMAIN);
        rchn->state = ECS_UNBOUND;
        rchn->remote_dom = d->domain_id;
        rchn->remote_port = 0;
        break;
    default:                                                /* unbound, ipi, pirq */
        break;
    }
    evtchn_2l_clear_pending(d->shared_info, port);          /* invariant 8 */
    *chn = (struct evtchn){ .state = ECS_FREE };
    return 0;
}

static long evtchn_close(struct vcpu *cur, void *arg)
{
    evtchn_close_t *c = arg;
    struct domain *d = cur->domain;
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);
    const struct evtchn *chn = evtchn_table_port(d->evtchn, c->port);
    uint32_t pirq = chn && chn->state == ECS_PIRQ ? chn->pirq : UINT32_MAX;
    long rc = evtchn_close_port(d, c->port);

    spin_unlock_irqrestore(&evtchn_lock, flags);
    if (!rc && pirq != UINT32_MAX)
        pirq_guest_unbind(d, pirq, c->port);
    return rc;
}

/* Caller holds d->event_lock. What send on port (channel chn) of d does. */
static long evtchn_send_port(struct domain *d, evtchn_port_t port, const struct evtchn *chn)
{
    struct domain *rd;

    switch (chn->state) {
    case ECS_INTERDOMAIN:
        rd = evtchn_peer(d, chn->remote_dom);
        BUG_ON(!rd);
        evtchn_raise(rd, chn->remote_port, evtchn_table_port(rd->evtchn, chn->remote_port));
        return 0;
    case ECS_IPI:
        evtchn_raise(d, port, chn);
        return 0;
    case ECS_UNBOUND:
        return 0;                                           /* dropped, as in Xen */
    default:
        return -EINVAL;
    }
}

static long evtchn_send(struct vcpu *cur, void *arg)
{
    evtchn_send_t *s = arg;
    struct domain *d = cur->domain;
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);
    const struct evtchn *chn = evtchn_table_port(d->evtchn, s->port);
    long rc = chn ? evtchn_send_port(d, s->port, chn) : -EINVAL;

    spin_unlock_irqrestore(&evtchn_lock, flags);
    return rc;
}

static const uint32_t evtchn_stat[] = {
    [ECS_FREE] = EVTCHNSTAT_closed,       [ECS_RESERVED] = EVTCHNSTAT_closed,
    [ECS_UNBOUND] = EVTCHNSTAT_unbound,   [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
    [ECS_PIRQ] = EVTCHNSTAT_pirq,         [ECS_VIRQ] = EVTCHNSTAT_virq,
    [ECS_IPI] = EVTCHNSTAT_ipi,
};

static long evtchn_status(struct vcpu *cur, void *arg)
{
    evtchn_status_t *s = arg;
    long rc = 0;
    struct domain *d = evtchn_get_domain(cur, s->dom, &rc);
    const struct evtchn *chn;
    uint64_t flags;

    if (!d)
        return rc;
    flags = spin_lock_irqsave(&evtchn_lock);
    chn = evtchn_table_port(d->evtchn, s->port);
    if (chn) {
        s->status = evtchn_stat[chn->state];
        s->vcpu = chn->notify_vcpu;
        if (chn->state == ECS_UNBOUND)
            s->u.unbound.dom = chn->remote_dom;
        if (chn->state == ECS_INTERDOMAIN) {
            s->u.interdomain.dom = chn->remote_dom;
            s->u.interdomain.port = chn->remote_port;
        }
        if (chn->state == ECS_VIRQ)
            s->u.virq = chn->virq;
        if (chn->state == ECS_PIRQ)
            s->u.pirq = chn->pirq;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    evtchn_put_domain(cur, d);
    return chn ? 0 : -EINVAL;
}

static long evtchn_bind_vcpu(struct vcpu *cur, void *arg)
{
    evtchn_bind_vcpu_t *b = arg;
    struct domain *d = cur->domain;
    struct evtchn *chn;
    int vcpu = vcpu_index(d, b->vcpu);
    uint64_t flags;
    long rc = -EINVAL;

    if (vcpu < 0)
        return -ENOENT;
    flags = spin_lock_irqsave(&evtchn_lock);
    chn = evtchn_table_port(d->evtchn, b->port);
    if (chn && (chn->state == ECS_UNBOUND || chn->state == ECS_INTERDOMAIN ||
                chn->state == ECS_PIRQ ||
                (chn->state == ECS_VIRQ && evtchn_virq_is_global(chn->virq)))) {
        chn->notify_vcpu = (uint32_t)vcpu;                  /* invariant 5 */
        rc = 0;
    }
    spin_unlock_irqrestore(&evtchn_lock, flags);
    return rc;
}

static long evtchn_unmask(struct vcpu *cur, void *arg)
{
    evtchn_unmask_t *u = arg;
    struct domain *d = cur->domain;
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);
    const struct evtchn *chn = evtchn_table_port(d->evtchn, u->port);
    struct vcpu *v = chn ? d->vcpu[chn->notify_vcpu] : NULL;

    if (v && evtchn_2l_unmask(d->shared_info, vcpu_info(v), u->port))
        arch_vcpu_kick(v);
    spin_unlock_irqrestore(&evtchn_lock, flags);
    return chn ? 0 : -EINVAL;
}

/* Caller holds evtchn_lock. */
static void close_every_port(struct domain *d)
{
    for (evtchn_port_t p = 1; p < d->evtchn->valid; p++)
        (void)evtchn_close_port(d, p);                      /* free ones: -EINVAL */
}

void evtchn_close_all(struct domain *d)
{
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);

    close_every_port(d);
    spin_unlock_irqrestore(&evtchn_lock, flags);
    pirq_guest_unbind_all(d);
}

void evtchn_destroy(struct domain *d)
{
    struct evtchn_table *t = d->evtchn;

    if (!t)
        return;
    for (unsigned int i = 0; i < EVTCHN_NR_BUCKETS; i++)
        xfree(t->bucket[i]);
    xfree(t);
    d->evtchn = NULL;
}

static long evtchn_reset(struct vcpu *cur, void *arg)
{
    evtchn_reset_t *r = arg;
    long rc = 0;
    struct domain *d = evtchn_get_domain(cur, r->dom, &rc);
    uint64_t flags;

    if (!d)
        return rc;
    flags = spin_lock_irqsave(&evtchn_lock);
    close_every_port(d);
    spin_unlock_irqrestore(&evtchn_lock, flags);
    pirq_guest_unbind_all(d);
    evtchn_put_domain(cur, d);
    return 0;
}

static long evtchn_no_fifo(struct vcpu *cur, void *arg)
{
    return -ENOSYS;
}

static long evtchn_expand_array(struct vcpu *cur, void *arg)
{
    return -EOPNOTSUPP;
}

static long evtchn_set_priority(struct vcpu *cur, void *arg)
{
    evtchn_set_priority_t *s = arg;

    return evtchn_port_valid(cur->domain, s->port) ? -ENOSYS : -EINVAL;
}

struct evtchn_subop {
    long (*fn)(struct vcpu *cur, void *arg);
    uint32_t size;                      /* of the argument, copied in whole */
    bool copy_out;                      /* the result goes back on success */
};

#define OP(name, fn, type, out) [EVTCHNOP_##name] = { fn, sizeof(type), out }
static const struct evtchn_subop evtchn_ops[] = {
    OP(bind_interdomain, evtchn_bind_interdomain, evtchn_bind_interdomain_t, true),
    OP(bind_virq, evtchn_bind_virq, evtchn_bind_virq_t, true),
    OP(bind_pirq, evtchn_bind_pirq, evtchn_bind_pirq_t, true),
    OP(close, evtchn_close, evtchn_close_t, false),
    OP(send, evtchn_send, evtchn_send_t, false),
    OP(status, evtchn_status, evtchn_status_t, true),
    OP(alloc_unbound, evtchn_alloc_unbound, evtchn_alloc_unbound_t, true),
    OP(bind_ipi, evtchn_bind_ipi, evtchn_bind_ipi_t, true),
    OP(bind_vcpu, evtchn_bind_vcpu, evtchn_bind_vcpu_t, false),
    OP(unmask, evtchn_unmask, evtchn_unmask_t, false),
    OP(reset, evtchn_reset, evtchn_reset_t, false),
    OP(init_control, evtchn_no_fifo, evtchn_init_control_t, false),
    OP(expand_array, evtchn_expand_array, evtchn_expand_array_t, false),
    OP(set_priority, evtchn_set_priority, evtchn_set_priority_t, false),
};
#undef OP

long do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    union {
        evtchn_status_t status;
        evtchn_init_control_t init_control;
        uint64_t align;
    } buf;
    const struct evtchn_subop *op;
    long rc;

    cmd = (uint32_t)cmd;                /* Xen's int cmd */
    if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
        return -ENOSYS;
    op = &evtchn_ops[array_index_nospec(cmd, ARRAY_SIZE(evtchn_ops))];
    if (op->size > sizeof(buf) || copy_from_guest(&buf, arg, op->size))
        return -EFAULT;
    rc = op->fn(current_vcpu(), &buf);
    if (!rc && op->copy_out && copy_to_guest(arg, &buf, op->size))
        rc = -EFAULT;
    return rc;
}

/* The pre-3.2 form: { cmd, union of arguments }; only the original ten ops. */
long do_event_channel_op_compat(uint64_t uop, uint64_t a2, uint64_t a3, uint64_t a4,
                                uint64_t a5)
{
    uint32_t cmd;

    if (copy_from_guest(&cmd, uop, sizeof(cmd)))
        return -EFAULT;
    if (cmd > EVTCHNOP_unmask)
        return -ENOSYS;
    return do_event_channel_op(cmd, uop + __builtin_offsetof(struct evtchn_op, u),
                               0, 0, 0);
}

void evtchn_send_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    evtchn_port_t port;
    uint64_t flags;

    if (virq >= NR_VIRQS || !d->evtchn)
        return;
    ASSERT(!evtchn_virq_is_global(virq));
    flags = spin_lock_irqsave(&evtchn_lock);
    port = d->evtchn->virq_port[v->vcpu_id][virq];
    if (port)
        evtchn_raise(d, port, evtchn_table_port(d->evtchn, port));
    spin_unlock_irqrestore(&evtchn_lock, flags);
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
    evtchn_port_t port;
    uint64_t flags;

    if (virq >= NR_VIRQS || !d->evtchn)
        return;
    ASSERT(evtchn_virq_is_global(virq));
    flags = spin_lock_irqsave(&evtchn_lock);
    port = d->evtchn->virq_port[0][virq];
    if (port)
        evtchn_raise(d, port, evtchn_table_port(d->evtchn, port));
    spin_unlock_irqrestore(&evtchn_lock, flags);
}

void evtchn_send_pirq(struct domain *d, evtchn_port_t port, uint32_t pirq)
{
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);
    const struct evtchn *chn = d->evtchn ? evtchn_table_port(d->evtchn, port) : NULL;

    if (chn && chn->state == ECS_PIRQ && chn->pirq == pirq)
        evtchn_raise(d, port, chn);
    spin_unlock_irqrestore(&evtchn_lock, flags);
}

bool evtchn_is_pirq_port(struct domain *d, evtchn_port_t port, uint32_t pirq)
{
    uint64_t flags = spin_lock_irqsave(&evtchn_lock);
    const struct evtchn *chn = evtchn_table_port(d->evtchn, port);
    bool is = chn && chn->state == ECS_PIRQ && chn->pirq == pirq;

    spin_unlock_irqrestore(&evtchn_lock, flags);
    return is;
}

void evtchn_unmask_port(struct domain *d, evtchn_port_t port)
{
    evtchn_unmask_t u = { .port = port };

    (void)evtchn_unmask(d->vcpu[0], &u);
}
