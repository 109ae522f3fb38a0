// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest for Satori's boot-time domains: several copies run at once and
 * the command line gives each its role. Not for Xen 4.17, which has no
 * boot-time domains (tests/suites/45-domains runs it; docs/test-guests.md).
 *
 *   role=server peer=N n=K   offers port 1 to domain N, answers K pings
 *   role=client peer=N n=K   binds to N's port 1, sends K pings, each
 *                            answered before the next; prints the round trip
 *   role=spin secs=S         burns CPU for S seconds of system time, then
 *                            prints its share (running time / wall time)
 *   role=sleep secs=S        blocks S seconds on a timer, checks it woke on time;
 *                            first checks dom0's machine interfaces refuse it
 *   role=ipi                 two vCPUs: vCPU 1 started with VCPUOP_initialise,
 *                            IPI ping-pong between them, then VCPUOP_down
 *   role=timer n=K           K timers aimed at wall-clock instants shared by
 *                            all such domains, then periodic ticks; prints
 *                            its WALLCLOCK, which must be every domain's
 *   role=physdev             an unprivileged domain's physdev_op: what it may
 *                            do (status, EOI, free pirqs, its EOI bitmap) and
 *                            what is dom0's (-EPERM, Xen 4.17's codes)
 *   role=exit                shuts down at once (create/destroy cycles)
 *   role=crash               crashes (its peers must not notice but for events)
 *
 * Events stay masked: waits are SCHEDOP_poll on the port, and the guest
 * clears pending bits itself.
 */
#include <public/vcpu.h>
#include <public/platform.h>
#include <public/physdev.h>
#include <public/arch-x86/xen-mca.h>
#include "domu.h"

const char guest_name[] = "multi";

static void server(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
                                      .remote_dom = (domid_t)cmdline_num("peer", 0) };
    unsigned long n = cmdline_num("n", 1000), i;

    case_begin("server_offer");
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a), 0);
    CHECK_EQ(a.port, 1);
    case_end();
    case_begin("server_answers");
    for (i = 0; i < n && port_wait(a.port, 10000000000UL); i++)
        CHECK_EQ(port_send(a.port), 0);
    CHECK_EQ(i, n);
    case_end();
}

static void client(void)
{
    struct evtchn_bind_interdomain b = { .remote_dom = (domid_t)cmdline_num("peer", 0),
                                         .remote_port = 1 };
    struct evtchn_status st = { .dom = DOMID_SELF };
    unsigned long n = cmdline_num("n", 1000), i;
    uint64_t t0, dt;
    long rc;

    case_begin("client_bind");
    for (i = 0; i < 1000 && (rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b)); i++)
        sleep_ns(1000000);              /* the server has not offered it yet */
    CHECK_EQ(rc, 0);
    st.port = b.local_port;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, b.remote_dom);
    CHECK_EQ(st.u.interdomain.port, 1);
    port_take(b.local_port);            /* binding leaves the new port pending */
    case_end();
    case_begin("client_pingpong");
    t0 = system_time_ns();
    for (i = 0; i < n; i++) {
        if (port_send(b.local_port) || !port_wait(b.local_port, 10000000000UL))
            break;
    }
    dt = system_time_ns() - t0;
    CHECK_EQ(i, n);
    case_end();
    /* bench.c's format, for tests/bench/run.sh: name, ns per op, ops */
    printf("BENCH evtchn_interdomain_round_trip %lu.%02lu %lu\n", n ? dt / n : 0,
           n ? dt % n * 100 / n : 0, n);
    case_begin("peer_gone_unbinds");
    /* The server ends after its n answers; its end closes, ours becomes unbound. */
    for (i = 0; i < 2000; i++) {
        st.port = b.local_port;
        if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) || st.status != EVTCHNSTAT_interdomain)
            break;
        sleep_ns(1000000);
    }
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(port_send(b.local_port), 0);   /* send on an unbound port is dropped */
    case_end();
}

static void spin(void)
{
    uint64_t secs = cmdline_num("secs", 3), start = system_time_ns();
    uint64_t end = start + secs * 1000000000UL;
    struct vcpu_runstate_info r0, r1;
    volatile unsigned long work = 0;

    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r0);
    while (system_time_ns() < end)
        work++;
    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r1);
    printf("SHARE weight=%lu cap=%lu running_ms=%lu runnable_ms=%lu wall_ms=%lu\n",
           cmdline_num("weight", 0), cmdline_num("cap", 0),
           (r1.time[RUNSTATE_running] - r0.time[RUNSTATE_running]) / 1000000,
           (r1.time[RUNSTATE_runnable] - r0.time[RUNSTATE_runnable]) / 1000000,
           (system_time_ns() - start) / 1000000);
    CASE("spin_ran", work > 0);
}

/*
 * platform_op and mca are dom0's (-EPERM), but platform_op reads and
 * checks its argument first (Xen's order); xenpmu_op is off for everyone.
 */
static void machine_ops_refused(void)
{
    static xen_platform_op_t op = { .cmd = XENPF_get_cpuinfo,
                                    .interface_version = XENPF_INTERFACE_VERSION };
    static struct xen_mc mc = { .cmd = XEN_MC_physcpuinfo,
                                .interface_version = XEN_MCA_INTERFACE_VERSION };

    case_begin("domU_machine_ops_refused");
    CHECK_EQ(HYPERVISOR_platform_op(&op), -EPERM);
    CHECK_EQ(HYPERVISOR_platform_op(0x1000UL), -EFAULT);
    op.interface_version++;
    CHECK_EQ(HYPERVISOR_platform_op(&op), -EACCES);
    CHECK_EQ(HYPERVISOR_arch(0, &mc, 0, 0, 0, 0), -EPERM);
    CHECK_EQ(HYPERVISOR_arch(0, 0x1000UL, 0, 0, 0, 0), -EPERM);
    CHECK_EQ(HYPERVISOR_xenpmu_op(4, 0), -EOPNOTSUPP);
    case_end();
}

static void sleep_role(void)
{
    uint64_t secs = cmdline_num("secs", 1), t0 = system_time_ns();
    struct vcpu_runstate_info r;
    uint64_t late;

    machine_ops_refused();
    case_begin("sleep_on_time");
    CHECK_EQ(HYPERVISOR_set_timer_op(t0 + secs * 1000000000UL), 0);
    /* Block with a timer: nothing else can wake us, events are masked but block unmasks. */
    shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    HYPERVISOR_sched_op(SCHEDOP_block, 0);
    late = system_time_ns() - t0 - secs * 1000000000UL;
    CHECK((int64_t)late >= 0);
    CHECK(late < 200000000UL);          /* woke within 200 ms of the deadline */
    HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r);
    CHECK(r.time[RUNSTATE_blocked] >= secs * 900000000UL);
    case_end();
}

/* The wall clock at system time 0 (shared_info's wc_*, read under wc_version), in ns. */
static uint64_t wallclock_base_ns(void)
{
    volatile shared_info_t *s = shared_info;
    uint32_t ver, nsec;
    uint64_t sec;

    do {
        ver = s->wc_version;
        __sync_synchronize();
        sec = s->wc_sec | (uint64_t)s->wc_sec_hi << 32;
        nsec = s->wc_nsec;
        __sync_synchronize();
    } while ((ver & 1) || ver != s->wc_version);
    return sec * 1000000000UL + nsec;
}

/* Polls VIRQ_TIMER's port t until it is pending or limit (system time) passes. */
static bool timer_wait(evtchn_port_t t, uint64_t limit)
{
    while (!port_take(t)) {
        struct sched_poll sp = { .nr_ports = 1, .timeout = limit };
        set_xen_guest_handle(sp.ports, &t);
        if (system_time_ns() >= limit)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
    }
    return true;
}

/*
 * Several of these run at once. Each aims its timers at the same instants
 * of wall-clock time (multiples of 50 ms since the epoch, through its own
 * shared_info), alternating set_timer_op and VCPUOP_set_singleshot_timer,
 * and checks that VIRQ_TIMER came each time, never early, at most 1 s late
 * and 100 ms on average (under TCG on a busy host). The suite checks that
 * every domain printed the same WALLCLOCK (one clock for all, as on Xen).
 * Then a periodic timer ticks against the wall clock.
 */
static void timer_role(void)
{
    const uint64_t step = 50 * MS;
    uint64_t wc = wallclock_base_ns(), late, max_late = 0, sum_late = 0;
    unsigned long n = cmdline_num("n", 20), fired = 0, ticks = 0;
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    printf("WALLCLOCK %lu.%09lu\n", wc / 1000000000UL, wc % 1000000000UL);
    case_begin("timers_on_wallclock");
    CHECK(wc > 1577836800UL * 1000000000UL);            /* after 2020 */
    CHECK_EQ(wallclock_base_ns(), wc);                  /* it does not drift */
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv), 0);
    for (unsigned long i = 0; i < n; i++) {
        uint64_t wall = wc + system_time_ns() + 20 * MS;
        uint64_t at = (wall + step - 1) / step * step - wc;   /* in system time */
        struct vcpu_set_singleshot_timer ss = { .timeout_abs_ns = at,
                                                .flags = VCPU_SSHOTTMR_future };

        if (i % 2)
            CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &ss), 0);
        else
            CHECK_EQ(HYPERVISOR_set_timer_op(at), 0);
        if (!timer_wait(bv.port, at + 2000 * MS))
            break;
        late = system_time_ns() - at;
        CHECK((int64_t)late >= 0);
        max_late = late > max_late ? late : max_late;
        sum_late += late;
        fired++;
    }
    CHECK_EQ(fired, n);
    /*
     * A lost timer would show at the poll's 2 s; lateness itself is mostly
     * the host's (QEMU's threads on a shared machine): bounds for that.
     */
    CHECK(max_late < 1000 * MS);
    CHECK(sum_late / n < 100 * MS);
    printf("TIMER %lu fired on the wall clock, lateness mean %lu us, max %lu us\n", fired,
           fired ? sum_late / fired / 1000 : 0, max_late / 1000);
    case_end();

    case_begin("periodic_on_wallclock");
    /* 20 ms ticks for 10 ticks: 200 ms of wall-clock time, give or take. */
    struct vcpu_set_periodic_timer pt = { .period_ns = 20 * MS };
    uint64_t w0 = wc + system_time_ns(), dw;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt), 0);
    /* Running, not in poll: Xen ticks only a running vCPU (docs/scheduler.md). */
    while (ticks < 10 && wc + system_time_ns() - w0 < 3000 * MS)
        ticks += port_take(bv.port);
    dw = wc + system_time_ns() - w0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0);
    CHECK_EQ(ticks, 10);                                /* within 3 s */
    CHECK(dw >= 180 * MS);
    port_take(bv.port);
    CHECK(!timer_wait(bv.port, system_time_ns() + 60 * MS));    /* stopped */
    printf("TIMER 10 periodic ticks of 20 ms in %lu ms of wall-clock time\n", dw / MS);
    case_end();
}

/* vCPU 1's life: answer IPIs until told to stop, then go down. */
static volatile evtchn_port_t ipi_to_v0, ipi_to_v1;
static volatile unsigned long v1_answered;
static volatile bool v1_stop;
static char v1_stack[8192] __attribute__((aligned(16)));

static void vcpu1_main(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 1 };

    if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b) == 0)
        __atomic_store_n(&ipi_to_v1, b.port, __ATOMIC_SEQ_CST);
    while (port_wait(ipi_to_v1, 5000000000UL) && !v1_stop) {
        v1_answered++;
        port_send(ipi_to_v0);
    }
    HYPERVISOR_vcpu_op(VCPUOP_down, 1, 0);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
}

static void ipi_role(void)
{
    static struct vcpu_guest_context ctx;
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    unsigned long n = cmdline_num("n", 200), i;

    case_begin("vcpu1_initialise");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, 0), -EINVAL);   /* never initialised */
    flat_vcpu_context(&ctx, vcpu1_main, v1_stack + sizeof(v1_stack));
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), -EEXIST);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 2, &ctx), -ENOENT);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b), 0);
    ipi_to_v0 = b.port;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, 0), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0), 1);
    case_end();
    case_begin("ipi_pingpong");
    for (i = 0; i < 1000 && !__atomic_load_n(&ipi_to_v1, __ATOMIC_SEQ_CST); i++)
        sleep_ns(1000000);
    CHECK(ipi_to_v1 != 0);
    for (i = 0; i < n && ipi_to_v1; i++)
        if (port_send(ipi_to_v1) || !port_wait(ipi_to_v0, 5000000000UL))
            break;
    CHECK_EQ(i, n);
    CHECK_EQ(v1_answered, n);
    case_end();
    case_begin("vcpu1_down");
    v1_stop = true;
    CHECK_EQ(port_send(ipi_to_v1), 0);       /* v1 sees the flag and goes down */
    for (i = 0; i < 100 && HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0) == 1; i++)
        sleep_ns(100000000);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0), 0);
    case_end();
}

static long pop(int cmd, void *arg)
{
    return HYPERVISOR_physdev_op(cmd, arg);
}

static uint8_t eoi_map[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* nr_pirqs of a domU is Xen's GSIs + 32: 56 under QEMU q35 (24 GSIs). */
static void physdev_role(void)
{
    physdev_apic_t apic = { .apic_physbase = 0xfec00000, .reg = 1 };
    physdev_irq_t irq = { .irq = 5 };
    physdev_map_pirq_t map = { .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = 5,
                               .pirq = 5 };
    physdev_unmap_pirq_t unmap = { .domid = DOMID_SELF, .pirq = 5 };
    physdev_setup_gsi_t gsi = { .gsi = 5 };
    physdev_manage_pci_t mp = { 0 };
    physdev_manage_pci_ext_t mx = { .is_extfn = 2 };
    struct { physdev_pci_device_add_t add; uint32_t pxm; } add = { 0 };
    physdev_pci_device_t dev = { 0 };
    physdev_restore_msi_t rm = { 0 };
    physdev_irq_status_query_t q = { .irq = 5 };
    physdev_get_free_pirq_t g = { .type = MAP_PIRQ_TYPE_GSI };
    physdev_eoi_t eoi = { .irq = 5 };
    physdev_pirq_eoi_gmfn_t gmfn = { .gmfn = virt_to_mfn(eoi_map) };
    evtchn_bind_pirq_t bind = { .pirq = 5 };

    case_begin("physdev_dom0_only");
    CHECK_EQ(pop(PHYSDEVOP_apic_read, &apic), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_apic_write, &apic), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_apic_read, (void *)0x1000), -EFAULT);   /* the copy first */
    CHECK_EQ(pop(PHYSDEVOP_alloc_irq_vector, &irq), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &map), -EPERM);
    map.domid = 0;                                  /* no dom0 here */
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &map), -ESRCH);
    CHECK_EQ(pop(PHYSDEVOP_unmap_pirq, &unmap), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_setup_gsi, &gsi), -EPERM);
    gsi.gsi = 999;
    CHECK_EQ(pop(PHYSDEVOP_setup_gsi, &gsi), -EINVAL);              /* the range first */
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add, &mp), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_remove, &mp), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add_ext, &mx), -EINVAL);     /* flags first */
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, &add), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_pci_device_remove, &dev), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_prepare_msix, &dev), -EPERM);
    CHECK_EQ(pop(PHYSDEVOP_restore_msi, &rm), -ENODEV);            /* the device first */
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, (void *)0x1000), -EPERM);   /* before the copy */
    CHECK_EQ(pop(PHYSDEVOP_dbgp_op, (void *)0x1000), -EPERM);
    case_end();

    case_begin("physdev_any_domain");
    CHECK_EQ(pop(PHYSDEVOP_irq_status_query, &q), 0);
    CHECK_EQ(q.flags, XENIRQSTAT_needs_eoi);
    q.irq = 56;
    CHECK_EQ(pop(PHYSDEVOP_irq_status_query, &q), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_eoi, &eoi), -EINVAL);    /* never used */
    CHECK_EQ(pop(PHYSDEVOP_get_free_pirq, &g), 0);
    CHECK_EQ(g.pirq, 16);
    eoi.irq = 16;
    CHECK_EQ(pop(PHYSDEVOP_eoi, &eoi), 0);          /* allocated: known */
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &bind), -EPERM);
    bind.pirq = 56;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &bind), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &gmfn), 0);   /* held until the domain goes */
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &gmfn), -EBUSY);
    case_end();
}

void guest_main(void)
{
    printf("multi: domain command line '%s'\n", (const char *)start_info->cmd_line);
    if (cmdline_is("role", "server"))
        server();
    else if (cmdline_is("role", "client"))
        client();
    else if (cmdline_is("role", "spin"))
        spin();
    else if (cmdline_is("role", "sleep"))
        sleep_role();
    else if (cmdline_is("role", "ipi"))
        ipi_role();
    else if (cmdline_is("role", "timer"))
        timer_role();
    else if (cmdline_is("role", "physdev"))
        physdev_role();
    else if (cmdline_is("role", "crash")) {
        struct sched_shutdown sd = { .reason = SHUTDOWN_crash };
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
    } else if (!cmdline_is("role", "exit"))
        CASE("known_role", false);
}
