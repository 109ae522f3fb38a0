// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched: sched_op (and its compat form) short of shutting down, which the
 * framework does last (SHUTDOWN_poweroff), set_timer_op, and SCHEDOP_poll
 * with a timeout as the way to sleep without an event callback.
 */
#include "guest.h"

const char guest_name[] = "sched";

void guest_main(void)
{
    long rc;

    CASE("yield", HYPERVISOR_sched_op(SCHEDOP_yield, 0) == 0);
    CASE("yield_ignores_arg", HYPERVISOR_sched_op(SCHEDOP_yield, 0x1000) == 0);
    CASE("compat_yield", HYPERVISOR_sched_op_compat(SCHEDOP_yield, 0) == 0);
    CASE("unknown_op", HYPERVISOR_sched_op(100, 0) == -ENOSYS);

    case_begin("shutdown_efault");
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown, 0x1000), -EFAULT);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, 0x1000), -EFAULT);
    case_end();

    case_begin("shutdown_code");
    /* Records the reason for a later crash; the domain keeps running. */
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &sd), 0);
    case_end();

    case_begin("remote_shutdown_no_domain");
    struct sched_remote_shutdown rs = { .domain_id = 77, .reason = SHUTDOWN_poweroff };
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, 0x1000), -EFAULT);
    case_end();

    case_begin("set_timer");
    uint64_t now = system_time_ns();
    CHECK_EQ(HYPERVISOR_set_timer_op(now + 1000000000UL), 0);
    CHECK_EQ(HYPERVISOR_set_timer_op(0), 0);     /* cancel */
    case_end();

    case_begin("time_advances");
    uint64_t t0 = system_time_ns();
    for (int i = 0; i < 100; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    uint64_t t1 = system_time_ns();
    CHECK(t1 > t0);
    CHECK(t1 - t0 < 10000000000UL);
    case_end();

    case_begin("poll_no_ports_timeout");
    /* No ports: only the timeout ends it (no event channel needed). */
    struct sched_poll sp0 = { .nr_ports = 0 };
    t0 = system_time_ns();
    sp0.timeout = t0 + 20000000UL;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &sp0), 0);
    t1 = system_time_ns();
    CHECK(t1 >= t0 + 20000000UL);
    CHECK(t1 - t0 < 2000000000UL);
    sp0.nr_ports = 129;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &sp0), -EINVAL);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, 0x1000), -EFAULT);
    case_end();

    case_begin("poll_timeout");
    evtchn_alloc_unbound_t au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0);
    evtchn_port_t port = au.port;
    CHECK(port > 0);
    /* Upcalls are masked from boot (poll requires it). */
    CHECK_EQ(shared_info->vcpu_info[0].evtchn_upcall_mask, 1);
    struct sched_poll sp = { .nr_ports = 1 };
    set_xen_guest_handle(sp.ports, &port);
    t0 = system_time_ns();
    sp.timeout = t0 + 20000000UL;   /* 20 ms */
    rc = HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
    t1 = system_time_ns();
    CHECK_EQ(rc, 0);
    CHECK(t1 >= t0 + 20000000UL);
    printf("poll slept %lu us\n", (unsigned long)(t1 - t0) / 1000);
    case_end();

    case_begin("poll_pending_returns");
    /* A pending port ends the poll at once. */
    shared_info->evtchn_pending[port / 64] |= 1UL << (port % 64);
    t0 = system_time_ns();
    sp.timeout = t0 + 5000000000UL;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &sp), 0);
    CHECK(system_time_ns() - t0 < 2000000000UL);
    shared_info->evtchn_pending[port / 64] &= ~(1UL << (port % 64));
    case_end();

    case_begin("poll_bad_port");
    evtchn_port_t bad = 4000;
    set_xen_guest_handle(sp.ports, &bad);
    sp.timeout = system_time_ns() + 1000000UL;
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_poll, &sp), -EINVAL);
    case_end();

    case_begin("watchdog");
    struct sched_watchdog wd = { .id = 0, .timeout = 30 };
    rc = HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd);
    CHECK(rc >= 1);
    wd.id = (uint32_t)rc;
    wd.timeout = 0;             /* destroy it */
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd), 0);
    CHECK_EQ(HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd), -EINVAL);
    case_end();
}
