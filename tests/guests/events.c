// SPDX-License-Identifier: GPL-2.0-only
/*
 * events: event_channel_op on one domain (2-level ABI) and event upcalls.
 * Ports: alloc_unbound/close/status round trips, loopback interdomain
 * pairs, IPIs, VIRQs, bind_vcpu, reset and every bad input's error; the
 * 2-level bits a send leaves in shared_info (pending, selector,
 * upcall_pending) with the port masked and unmasked; the upcall itself,
 * delivered through the event callback when events are unmasked (on a
 * hypercall's return, on xen_version(0) after unmasking, on
 * EVTCHNOP_unmask); VIRQ_TIMER from set_timer_op; SCHEDOP_block and
 * SCHEDOP_poll woken by events. Events are masked again after each case.
 */
#include <public/callback.h>
#include <public/vcpu.h>

#include "guest.h"

const char guest_name[] = "events";

#define NPORTS 4096
#define MS 1000000UL

static volatile unsigned int port_hits[NPORTS];
static volatile unsigned long nr_upcalls, bad_entry_mask;

/* The event callback: save everything, scan, return with the iret hypercall. */
void evt_entry(void);
void evt_upcall(void);
asm(".text\n"
    ".globl evt_entry\n"
    "evt_entry:\n\t"
    "pop %rcx\n\t"
    "pop %r11\n\t"
    "push %rax\n\t push %rbx\n\t push %rcx\n\t push %rdx\n\t push %rsi\n\t push %rdi\n\t"
    "push %rbp\n\t push %r8\n\t push %r9\n\t push %r10\n\t push %r11\n\t push %r12\n\t"
    "push %r13\n\t push %r14\n\t push %r15\n\t"
    "mov %rsp, %rbx\n\t"
    "and $-16, %rsp\n\t"
    "call evt_upcall\n\t"
    "mov %rbx, %rsp\n\t"
    "pop %r15\n\t pop %r14\n\t pop %r13\n\t pop %r12\n\t pop %r11\n\t pop %r10\n\t"
    "pop %r9\n\t pop %r8\n\t pop %rbp\n\t pop %rdi\n\t pop %rsi\n\t pop %rdx\n\t"
    "pop %rcx\n\t pop %rbx\n\t pop %rax\n\t"
    "push $0\n\t"                       /* iret flags */
    "push %rcx\n\t push %r11\n\t push %rax\n\t"
    "mov $23, %eax\n\t"                 /* __HYPERVISOR_iret */
    "syscall\n\t"
    "ud2\n");

static vcpu_info_t *vi0(void)
{
    return &shared_info->vcpu_info[0];
}

/* Linux's events_2l.c scan, simplified: clear, take the selector, each port. */
void evt_upcall(void)
{
    vcpu_info_t *vi = vi0();

    if (vi->evtchn_upcall_mask != 1)
        bad_entry_mask++;
    nr_upcalls++;
    do {
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        unsigned long sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);
            sel &= sel - 1;
            unsigned long pend = __atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                                 ~shared_info->evtchn_mask[w];
            while (pend) {
                unsigned int b = (unsigned int)__builtin_ctzl(pend);
                pend &= pend - 1;
                __atomic_fetch_and(&shared_info->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
                port_hits[w * 64 + b]++;
            }
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

static void events_on(void)
{
    __atomic_store_n(&vi0()->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&vi0()->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        HYPERVISOR_xen_version(0, 0);   /* "deliver now", as Linux does */
}

static void events_off(void)
{
    __atomic_store_n(&vi0()->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
}

static int pending(evtchn_port_t p)
{
    return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void set_pending(evtchn_port_t p, int on)
{
    if (on)
        __atomic_fetch_or(&shared_info->evtchn_pending[p / 64], 1UL << (p % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1UL << (p % 64)),
                           __ATOMIC_SEQ_CST);
}

static void set_mask(evtchn_port_t p, int on)
{
    if (on)
        __atomic_fetch_or(&shared_info->evtchn_mask[p / 64], 1UL << (p % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&shared_info->evtchn_mask[p / 64], ~(1UL << (p % 64)), __ATOMIC_SEQ_CST);
}

/* No upcall pending, no selector bits: a clean 2-level state to observe. */
static void clear_upcall(void)
{
    vi0()->evtchn_upcall_pending = 0;
    vi0()->evtchn_pending_sel = 0;
}

static long op(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

static long alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    evtchn_alloc_unbound_t a = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = op(EVTCHNOP_alloc_unbound, &a);

    *port = a.port;
    return rc;
}

static long evclose(evtchn_port_t p)
{
    evtchn_close_t c = { .port = p };

    return op(EVTCHNOP_close, &c);
}

static long send(evtchn_port_t p)
{
    evtchn_send_t s = { .port = p };

    return op(EVTCHNOP_send, &s);
}

static long unmask(evtchn_port_t p)
{
    evtchn_unmask_t u = { .port = p };

    return op(EVTCHNOP_unmask, &u);
}

static long status(domid_t dom, evtchn_port_t p, evtchn_status_t *s)
{
    memset(s, 0, sizeof(*s));
    s->dom = dom;
    s->port = p;
    return op(EVTCHNOP_status, s);
}

static long bind_vcpu(evtchn_port_t p, uint32_t vcpu)
{
    evtchn_bind_vcpu_t b = { .port = p, .vcpu = vcpu };

    return op(EVTCHNOP_bind_vcpu, &b);
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    evtchn_bind_virq_t b = { .virq = virq, .vcpu = vcpu };
    long rc = op(EVTCHNOP_bind_virq, &b);

    *port = b.port;
    return rc;
}

static long bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
    evtchn_bind_ipi_t b = { .vcpu = vcpu };
    long rc = op(EVTCHNOP_bind_ipi, &b);

    *port = b.port;
    return rc;
}

static void case_ports(void)
{
    evtchn_status_t st;
    evtchn_port_t p, q;

    case_begin("alloc_close_status");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    CHECK(p > 0 && p < 64);
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);          /* DOMID_SELF is resolved: dom0 */
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(status(0, p, &st), 0);         /* own id works as DOMID_SELF */
    CHECK_EQ(evclose(p), 0);
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(evclose(p), -EINVAL);
    CHECK_EQ(alloc_unbound(77, &q), 0);     /* any remote domain id is accepted */
    CHECK_EQ(q, p);                         /* the lowest free port again */
    CHECK_EQ(status(DOMID_SELF, q, &st), 0);
    CHECK_EQ(st.u.unbound.dom, 77);
    CHECK_EQ(evclose(q), 0);
    evtchn_alloc_unbound_t a = { .dom = 77, .remote_dom = DOMID_SELF };
    CHECK_EQ(op(EVTCHNOP_alloc_unbound, &a), -ESRCH);
    a.dom = 0;
    CHECK_EQ(op(EVTCHNOP_alloc_unbound, &a), 0);
    CHECK_EQ(evclose(a.port), 0);
    case_end();

    case_begin("reserved_port0");
    CHECK_EQ(status(DOMID_SELF, 0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(evclose(0), -EINVAL);
    CHECK_EQ(send(0), -EINVAL);
    CHECK_EQ(unmask(0), 0);
    CHECK_EQ(bind_vcpu(0, 0), -EINVAL);
    case_end();

    case_begin("bad_ports");
    /* One bucket of 64 ports is valid until more are needed. */
    CHECK_EQ(status(DOMID_SELF, 63, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(status(DOMID_SELF, 64, &st), -EINVAL);
    CHECK_EQ(status(DOMID_SELF, 5000, &st), -EINVAL);
    CHECK_EQ(status(77, 1, &st), -ESRCH);
    CHECK_EQ(evclose(4095), -EINVAL);
    CHECK_EQ(evclose(63), -EINVAL);         /* free */
    CHECK_EQ(send(5000), -EINVAL);
    CHECK_EQ(send(63), -EINVAL);
    CHECK_EQ(unmask(5000), -EINVAL);
    CHECK_EQ(unmask(63), 0);
    CHECK_EQ(bind_vcpu(5000, 0), -EINVAL);
    CHECK_EQ(bind_vcpu(63, 0), -EINVAL);
    CHECK_EQ(bind_vcpu(63, 1), -ENOENT);
    CHECK_EQ(op(EVTCHNOP_send, (void *)0x1000), -EFAULT);
    CHECK_EQ(op(EVTCHNOP_status, (void *)0x1000), -EFAULT);
    CHECK_EQ(op(EVTCHNOP_bind_virq, (void *)0x1000), -EFAULT);
    CHECK_EQ(op(EVTCHNOP_unmask, (void *)0x1000), -EFAULT);
    CHECK_EQ(op(14 + 1000, &st), -ENOSYS);
    case_end();

    case_begin("buckets_grow");
    /* Filling the first bucket makes the next one valid. */
    static evtchn_port_t many[80];
    unsigned int n = 0;
    for (; n < 80; n++)
        if (alloc_unbound(DOMID_SELF, &many[n]))
            break;
    CHECK_EQ(n, 80);
    CHECK_EQ(status(DOMID_SELF, 127, &st), 0);
    CHECK_EQ(status(DOMID_SELF, 128, &st), -EINVAL);
    for (unsigned int i = 0; i < n; i++)
        CHECK_EQ(evclose(many[i]), 0);
    CHECK_EQ(status(DOMID_SELF, 127, &st), 0);   /* valid stays valid */
    case_end();
}

static void case_send_bits(void)
{
    evtchn_status_t st;
    evtchn_port_t p, lp, ipi;

    case_begin("send_unbound_dropped");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    set_pending(p, 0);
    CHECK_EQ(send(p), 0);
    CHECK_EQ(pending(p), 0);
    CHECK_EQ(evclose(p), 0);
    case_end();

    case_begin("loopback");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    set_mask(p, 1);
    evtchn_bind_interdomain_t bi = { .remote_dom = DOMID_SELF, .remote_port = p };
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), 0);
    lp = bi.local_port;
    CHECK(lp != p && lp > 0);
    CHECK_EQ(pending(lp), 1);       /* Xen marks the new local end pending */
    CHECK_EQ(status(DOMID_SELF, lp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, p);
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.port, lp);
    set_pending(lp, 0);
    set_mask(lp, 1);
    CHECK_EQ(send(lp), 0);          /* raises the other end */
    CHECK_EQ(pending(p), 1);
    CHECK_EQ(pending(lp), 0);
    set_pending(p, 0);
    CHECK_EQ(send(p), 0);
    CHECK_EQ(pending(lp), 1);
    CHECK_EQ(pending(p), 0);
    /* closing one end leaves the other unbound, for us */
    CHECK_EQ(evclose(lp), 0);
    CHECK_EQ(pending(lp), 0);       /* close clears pending */
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    bi.remote_port = p;
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), 0);
    CHECK_EQ(evclose(p), 0);
    CHECK_EQ(status(DOMID_SELF, bi.local_port, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(evclose(bi.local_port), 0);
    set_mask(p, 0);
    set_mask(lp, 0);
    case_end();

    case_begin("bind_interdomain_errors");
    CHECK_EQ(alloc_unbound(77, &p), 0);
    bi.remote_dom = DOMID_SELF;
    bi.remote_port = p;             /* offered to d77, not to us */
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 0;
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_port = 5000;
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    bi.remote_dom = 77;
    bi.remote_port = p;
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), -ESRCH);
    CHECK_EQ(bind_ipi(0, &ipi), 0);
    bi.remote_dom = DOMID_SELF;
    bi.remote_port = ipi;
    CHECK_EQ(op(EVTCHNOP_bind_interdomain, &bi), -EINVAL);
    CHECK_EQ(evclose(ipi), 0);
    CHECK_EQ(evclose(p), 0);
    case_end();

    case_begin("ipi");
    CHECK_EQ(bind_ipi(0, &ipi), 0);
    CHECK_EQ(status(DOMID_SELF, ipi, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_ipi);
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(bind_ipi(1, &p), -ENOENT);
    CHECK_EQ(bind_vcpu(ipi, 0), -EINVAL);
    set_pending(ipi, 0);
    CHECK_EQ(send(ipi), 0);
    CHECK_EQ(pending(ipi), 1);
    CHECK_EQ(evclose(ipi), 0);
    case_end();

    case_begin("masked_no_upcall");
    CHECK_EQ(bind_ipi(0, &ipi), 0);
    set_mask(ipi, 1);
    set_pending(ipi, 0);
    clear_upcall();
    CHECK_EQ(send(ipi), 0);
    CHECK_EQ(pending(ipi), 1);
    CHECK_EQ(vi0()->evtchn_upcall_pending, 0);
    CHECK_EQ(vi0()->evtchn_pending_sel, 0);
    /* unmask of a pending port raises the upcall it missed */
    CHECK_EQ(unmask(ipi), 0);
    CHECK_EQ((shared_info->evtchn_mask[ipi / 64] >> (ipi % 64)) & 1, 0);
    CHECK_EQ(vi0()->evtchn_upcall_pending, 1);
    CHECK_EQ(vi0()->evtchn_pending_sel, 1UL << (ipi / 64));
    case_end();

    case_begin("unmasked_sets_upcall");
    set_pending(ipi, 0);
    clear_upcall();
    CHECK_EQ(send(ipi), 0);
    CHECK_EQ(pending(ipi), 1);
    CHECK_EQ(vi0()->evtchn_upcall_pending, 1);
    CHECK_EQ(vi0()->evtchn_pending_sel, 1UL << (ipi / 64));
    /* already pending: nothing more (the selector is not set again) */
    vi0()->evtchn_pending_sel = 0;
    CHECK_EQ(send(ipi), 0);
    CHECK_EQ(vi0()->evtchn_pending_sel, 0);
    set_pending(ipi, 0);
    clear_upcall();
    CHECK_EQ(evclose(ipi), 0);
    case_end();
}

static void case_upcalls(void)
{
    callback_register_t cb = { .type = CALLBACKTYPE_event, .address = (uint64_t)evt_entry };
    evtchn_port_t ipi;
    unsigned long before;

    case_begin("upcall_on_send");
    CHECK_EQ(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    CHECK_EQ(bind_ipi(0, &ipi), 0);
    set_mask(ipi, 0);
    set_pending(ipi, 0);
    clear_upcall();
    events_on();
    before = nr_upcalls;
    port_hits[ipi] = 0;
    CHECK_EQ(send(ipi), 0);         /* delivered on the hypercall's return */
    CHECK_EQ(nr_upcalls, before + 1);
    CHECK_EQ(port_hits[ipi], 1);
    CHECK_EQ(pending(ipi), 0);
    CHECK_EQ(vi0()->evtchn_upcall_mask, 0);   /* the iret restored it */
    CHECK_EQ(bad_entry_mask, 0);
    events_off();
    case_end();

    case_begin("upcall_on_unmask_events");
    before = nr_upcalls;
    CHECK_EQ(send(ipi), 0);         /* events masked: only pending */
    CHECK_EQ(nr_upcalls, before);
    CHECK_EQ(vi0()->evtchn_upcall_pending, 1);
    events_on();                    /* xen_version(0) delivers */
    CHECK_EQ(nr_upcalls, before + 1);
    CHECK_EQ(port_hits[ipi], 2);
    events_off();
    case_end();

    case_begin("upcall_on_evtchnop_unmask");
    events_on();
    set_mask(ipi, 1);
    before = nr_upcalls;
    CHECK_EQ(send(ipi), 0);
    CHECK_EQ(nr_upcalls, before);   /* port masked */
    CHECK_EQ(pending(ipi), 1);
    CHECK_EQ(unmask(ipi), 0);
    CHECK_EQ(nr_upcalls, before + 1);
    CHECK_EQ(port_hits[ipi], 3);
    events_off();
    case_end();

    case_begin("block_returns_when_pending");
    /* A pending event ends the block at once; the upcall comes on the way out. */
    before = nr_upcalls;
    CHECK_EQ(send(ipi), 0);
    uint64_t t0 = system_time_ns();
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_block, 0), 0);
    CHECK(system_time_ns() - t0 < 1000 * MS);
    CHECK_EQ(nr_upcalls, before + 1);
    CHECK_EQ(port_hits[ipi], 4);
    CHECK_EQ(vi0()->evtchn_upcall_mask, 0);   /* block unmasked events */
    events_off();
    CHECK_EQ(evclose(ipi), 0);
    case_end();
}

/* Polls VIRQ_TIMER's port t (events masked) until pending or timeout ns pass. */
static int poll_timer(evtchn_port_t t, uint64_t timeout)
{
    evtchn_port_t ports[1] = { t };
    struct sched_poll sp = { .nr_ports = 1, .timeout = system_time_ns() + timeout };

    set_xen_guest_handle(sp.ports, ports);
    while (!pending(t) && system_time_ns() < sp.timeout)
        HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
    return pending(t);
}

/* The vcpu_op timers on VIRQ_TIMER's port t: single-shot and periodic. */
static void case_vcpu_timers(evtchn_port_t t)
{
    struct vcpu_set_singleshot_timer ss = { .flags = 0 };
    struct vcpu_set_periodic_timer pt = { .period_ns = 10 * MS };
    uint64_t t0, t1;
    unsigned int ticks = 0;

    case_begin("singleshot_timer");
    set_pending(t, 0);
    t0 = system_time_ns();
    ss.timeout_abs_ns = t0 + 30 * MS;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    CHECK(poll_timer(t, 2000 * MS));
    t1 = system_time_ns();
    CHECK(t1 >= ss.timeout_abs_ns);
    CHECK(t1 - t0 < 1000 * MS);
    set_pending(t, 0);
    /* A deadline in the past fires at once, with or without VCPU_SSHOTTMR_future. */
    ss.timeout_abs_ns = t1 - MS;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    CHECK(poll_timer(t, 1000 * MS));
    set_pending(t, 0);
    /*
     * Xen 4.17.7 ignores VCPU_SSHOTTMR_future (older Xens said -ETIME):
     * a past deadline with the flag fires at once too.
     */
    ss.flags = VCPU_SSHOTTMR_future;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    CHECK(poll_timer(t, 1000 * MS));
    set_pending(t, 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &ss), -ENOENT);  /* no vCPU 1 */
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("singleshot_stopped");
    set_pending(t, 0);
    ss.timeout_abs_ns = system_time_ns() + 20 * MS;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
    CHECK(!poll_timer(t, 60 * MS));
    /* set_timer_op drives the same timer: stopping one stops the other. */
    CHECK_EQ(HYPERVISOR_set_timer_op(system_time_ns() + 20 * MS), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
    CHECK(!poll_timer(t, 60 * MS));
    case_end();

    case_begin("periodic_timer");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, (void *)0x1000), -EFAULT);
    pt.period_ns = MS - 1;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), -EINVAL);
    pt.period_ns = 10 * MS;
    set_pending(t, 0);
    /*
     * Xen ticks only while the vCPU runs (it stops the periodic timer when
     * the vCPU is switched out and sends a tick that fell due when it is
     * switched back in), so wait for the ticks running, not in poll.
     */
    t0 = system_time_ns();
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), 0);
    while (ticks < 10 && system_time_ns() - t0 < 2000 * MS) {
        if (pending(t)) {
            set_pending(t, 0);
            ticks++;
        }
    }
    t1 = system_time_ns();
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0);
    CHECK_EQ(ticks, 10);
    CHECK(t1 - t0 >= 90 * MS);                  /* 10 periods, give or take one */
    CHECK(t1 - t0 < 2000 * MS);
    printf("10 periodic ticks of 10 ms in %lu us\n", (unsigned long)(t1 - t0) / 1000);
    set_pending(t, 0);
    t0 = system_time_ns();
    while (system_time_ns() - t0 < 40 * MS)
        ;
    CHECK_EQ(pending(t), 0);                    /* stopped */
    case_end();
}

static void case_virqs(void)
{
    evtchn_status_t st;
    evtchn_port_t t, p, q;

    /* Xen gives PV vCPUs a 100 Hz tick on VIRQ_TIMER; stop it, as Linux does. */
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);

    case_begin("bind_virq");
    CHECK_EQ(bind_virq(VIRQ_TIMER, 0, &t), 0);
    CHECK_EQ(bind_virq(VIRQ_TIMER, 0, &p), -EEXIST);
    CHECK_EQ(status(DOMID_SELF, t, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.u.virq, VIRQ_TIMER);
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(send(t), -EINVAL);
    CHECK_EQ(bind_vcpu(t, 0), -EINVAL);     /* per-vCPU VIRQs stay put */
    CHECK_EQ(bind_virq(NR_VIRQS, 0, &p), -EINVAL);
    CHECK_EQ(bind_virq(VIRQ_CONSOLE, 1, &p), -EINVAL);   /* global: vCPU 0 only */
    CHECK_EQ(bind_virq(VIRQ_DEBUG, 1, &p), -ENOENT);
    CHECK_EQ(bind_virq(VIRQ_DEBUG, 0, &p), 0);
    CHECK_EQ(bind_virq(VIRQ_CONSOLE, 0, &q), 0);
    CHECK_EQ(bind_vcpu(q, 0), 0);           /* global VIRQs may move */
    evtchn_port_t dummy;
    CHECK_EQ(bind_virq(VIRQ_CONSOLE, 0, &dummy), -EEXIST);
    CHECK_EQ(evclose(p), 0);
    CHECK_EQ(evclose(q), 0);
    CHECK_EQ(bind_virq(VIRQ_CONSOLE, 0, &q), 0);   /* closing unbinds */
    CHECK_EQ(evclose(q), 0);
    CHECK_EQ(bind_virq(VIRQ_DOM_EXC, 0, &q), 0);
    CHECK_EQ(evclose(q), 0);
    case_end();

    case_begin("virq_timer");
    set_mask(t, 0);
    set_pending(t, 0);
    port_hits[t] = 0;
    events_on();
    uint64_t t0 = system_time_ns(), deadline = t0 + 20 * MS;
    CHECK_EQ(HYPERVISOR_set_timer_op(deadline), 0);
    while (!port_hits[t] && system_time_ns() - t0 < 2000 * MS)
        HYPERVISOR_sched_op(SCHEDOP_block, 0);
    uint64_t t1 = system_time_ns();
    events_off();
    CHECK_EQ(port_hits[t], 1);
    CHECK(t1 >= deadline - MS);
    CHECK(t1 - t0 < 1000 * MS);
    printf("VIRQ_TIMER after %lu us\n", (unsigned long)(t1 - t0) / 1000);
    case_end();

    case_begin("poll_wakes_on_virq");
    /* poll with events masked: the timer's port ends it, well before the timeout */
    evtchn_port_t ports[1] = { t };
    struct sched_poll sp = { .nr_ports = 1 };
    set_xen_guest_handle(sp.ports, ports);
    set_pending(t, 0);
    t0 = system_time_ns();
    sp.timeout = t0 + 5000 * MS;
    CHECK_EQ(HYPERVISOR_set_timer_op(t0 + 20 * MS), 0);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &sp), 0);
    t1 = system_time_ns();
    CHECK_EQ(pending(t), 1);
    CHECK(t1 - t0 >= 19 * MS);
    CHECK(t1 - t0 < 2000 * MS);
    set_pending(t, 0);
    clear_upcall();
    case_end();

    case_vcpu_timers(t);

    case_begin("timer_port_closed");
    CHECK_EQ(evclose(t), 0);
    CHECK_EQ(HYPERVISOR_set_timer_op(system_time_ns() + 5 * MS), 0);
    for (int i = 0; i < 1000; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    t0 = system_time_ns();
    while (system_time_ns() - t0 < 20 * MS)
        ;
    CHECK_EQ(pending(t), 0);        /* an unbound VIRQ raises nothing */
    case_end();
}

static void case_misc(void)
{
    evtchn_status_t st;
    evtchn_port_t p, q, t;

    case_begin("bind_vcpu");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    CHECK_EQ(bind_vcpu(p, 0), 0);
    CHECK_EQ(bind_vcpu(p, 1), -ENOENT);
    CHECK_EQ(bind_vcpu(p, ~0u), -ENOENT);
    CHECK_EQ(op(EVTCHNOP_bind_vcpu, (void *)0x1000), -EFAULT);
    CHECK_EQ(evclose(p), 0);
    case_end();

    case_begin("fifo_not_set_up");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    evtchn_set_priority_t pr = { .port = p, .priority = 3 };
    CHECK_EQ(op(EVTCHNOP_set_priority, &pr), -ENOSYS);
    pr.port = 5000;
    CHECK_EQ(op(EVTCHNOP_set_priority, &pr), -EINVAL);
    evtchn_expand_array_t ea = { .array_gfn = 0 };
    CHECK_EQ(op(EVTCHNOP_expand_array, &ea), -EOPNOTSUPP);
    CHECK_EQ(evclose(p), 0);
    case_end();

    case_begin("compat_op");
    struct evtchn_op c = { .cmd = EVTCHNOP_alloc_unbound };
    c.u.alloc_unbound.dom = DOMID_SELF;
    c.u.alloc_unbound.remote_dom = DOMID_SELF;
    CHECK_EQ(HYPERVISOR_event_channel_op_compat(&c), 0);
    p = c.u.alloc_unbound.port;
    CHECK(p > 0);
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    c.cmd = EVTCHNOP_close;
    c.u.close.port = p;
    CHECK_EQ(HYPERVISOR_event_channel_op_compat(&c), 0);
    CHECK_EQ(HYPERVISOR_event_channel_op_compat(&c), -EINVAL);
    c.cmd = EVTCHNOP_set_priority;
    CHECK_EQ(HYPERVISOR_event_channel_op_compat(&c), -ENOSYS);
    CHECK_EQ(HYPERVISOR_event_channel_op_compat((void *)0x1000), -EFAULT);
    case_end();

    case_begin("reset");
    CHECK_EQ(alloc_unbound(DOMID_SELF, &p), 0);
    CHECK_EQ(bind_virq(VIRQ_TIMER, 0, &t), 0);
    CHECK_EQ(bind_ipi(0, &q), 0);
    set_mask(q, 1);
    CHECK_EQ(send(q), 0);
    evtchn_reset_t r = { .dom = 77 };
    CHECK_EQ(op(EVTCHNOP_reset, &r), -ESRCH);
    r.dom = DOMID_SELF;
    CHECK_EQ(op(EVTCHNOP_reset, &r), 0);
    CHECK_EQ(status(DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(status(DOMID_SELF, t, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(pending(q), 0);
    CHECK_EQ(status(DOMID_SELF, 0, &st), 0);   /* port 0 stays reserved */
    CHECK_EQ(bind_virq(VIRQ_TIMER, 0, &t), 0); /* the VIRQ is free again */
    CHECK_EQ(evclose(t), 0);
    set_mask(q, 0);
    case_end();
}

void guest_main(void)
{
    case_ports();
    case_send_bits();
    case_upcalls();
    case_virqs();
    case_misc();
}
