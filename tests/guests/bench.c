// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: PV micro-benchmarks, printed as "BENCH <name> <ns per op> <ops>"
 * lines that tests/bench/run.sh collects from a run on Xen 4.17 and one on
 * Satori to print both and their ratio. Timing is the guest's own system
 * time (vcpu_time_info), so it is what the guest experiences. Not part of
 * the pass/fail suites: its cases only check that each loop ran. Event
 * channels and grants are measured within this one domain (sent to itself,
 * granted to itself), which Xen 4.17 can run too; between two domains only
 * Satori can (tests/guests/multi.c and multigrant.c, in tests/bench/run.sh).
 */
#include "domu.h"

const char guest_name[] = "bench";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char page_b[4096] PG, page_d[4096] PG, page_g[4096] PG, gt_win[4096] PG;
#define GNT_BATCH 16
static char page_m[GNT_BATCH][4096] PG;      /* where grants are mapped */

static void report(const char *name, uint64_t start, unsigned long ops)
{
    uint64_t ns = system_time_ns() - start;

    printf("BENCH %s %lu.%02lu %lu\n", name, ns / ops, (ns % ops) * 100 / ops, ops);
}


static void bench_null_hypercall(void)
{
    const unsigned long n = 20000;
    uint64_t t = system_time_ns();
    long bad = 0;

    for (unsigned long i = 0; i < n; i++)
        bad |= HYPERVISOR_xen_version(XENVER_version, 0) <= 0;
    report("null_hypercall", t, n);
    CASE("null_hypercall", !bad);
}

static void bench_trap_bounce(void)
{
    const unsigned long n = 5000;
    uint64_t t = system_time_ns();
    unsigned long taken = 0;

    for (unsigned long i = 0; i < n; i++) {
        EXPECT_TRAP("int3");
        taken += last_trap.taken;
    }
    report("int3_bounce_and_iret", t, n);
    CASE("int3_bounce", taken == n);
}

static void bench_page_fault(void)
{
    const unsigned long n = 3000;
    uint64_t t = system_time_ns();
    unsigned long taken = 0;

    for (unsigned long i = 0; i < n; i++) {
        EXPECT_TRAP("mov 0x1008, %%rax");
        taken += last_trap.vector == 14;
    }
    report("page_fault_bounce", t, n);
    CASE("page_fault_bounce", taken == n);
}

static void bench_mmu_update(void)
{
    enum { BATCH = 64, ROUNDS = 300 };
    static mmu_update_t req[BATCH];
    uint64_t ptr = pte_maddr(page_b), val = (virt_to_mfn(page_b) << PAGE_SHIFT) | PTE_RW;
    unsigned int done;
    long rc = 0;
    uint64_t t;

    for (unsigned int i = 0; i < BATCH; i++) {
        req[i].ptr = ptr | MMU_NORMAL_PT_UPDATE;
        req[i].val = val;
    }
    t = system_time_ns();
    for (unsigned int r = 0; r < ROUNDS; r++)
        rc |= HYPERVISOR_mmu_update(req, BATCH, &done, DOMID_SELF);
    report("mmu_update_per_entry", t, (unsigned long)BATCH * ROUNDS);
    CASE("mmu_update_batch", rc == 0);
}

static void bench_pin_unpin(void)
{
    const unsigned long n = 2000;
    uint64_t mfn = virt_to_mfn(page_d), t;
    long rc = 0;

    memset(page_d, 0, sizeof(page_d));
    rc |= HYPERVISOR_update_va_mapping(page_d, (mfn << PAGE_SHIFT) | PTE_RO, UVMF_INVLPG);
    t = system_time_ns();
    for (unsigned long i = 0; i < n; i++) {
        rc |= mmuext1(MMUEXT_PIN_L1_TABLE, mfn);
        rc |= mmuext1(MMUEXT_UNPIN_TABLE, mfn);
    }
    report("pin_unpin_l1_pair", t, n);
    CASE("pin_unpin", rc == 0);
}

static evtchn_port_t bind_loopback(evtchn_port_t *other)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };

    HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);
    b.remote_port = a.port;
    HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
    port_take(b.local_port);                /* a new local end starts pending */
    *other = a.port;
    return b.local_port;
}

/*
 * A round trip over a loopback channel (both ends ours): send on one end,
 * see the other pending and clear it, send back, see the first. The
 * single-domain counterpart of multi.c's interdomain ping-pong, minus the
 * waits and switches.
 */
static void bench_evtchn_loopback(void)
{
    const unsigned long n = 5000;
    evtchn_port_t p, lp = bind_loopback(&p);
    unsigned long seen = 0;
    uint64_t t = system_time_ns();

    for (unsigned long i = 0; i < n; i++) {
        port_send(lp);
        seen += port_take(p);
        port_send(p);
        seen += port_take(lp);
    }
    report("evtchn_loopback_round_trip", t, n);
    CASE("evtchn_loopback", seen == 2 * n);
}

/* One side's share of a ping-pong, without the wait: send, then SCHEDOP_poll finds it pending. */
static void bench_evtchn_send_poll(void)
{
    const unsigned long n = 5000;
    struct evtchn_bind_ipi b = { .vcpu = 0 };
    unsigned long seen = 0;
    uint64_t t;

    HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);
    t = system_time_ns();
    for (unsigned long i = 0; i < n; i++) {
        struct sched_poll sp = { .nr_ports = 1, .timeout = 0 };
        set_xen_guest_handle(sp.ports, &b.port);
        port_send(b.port);
        HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
        seen += port_take(b.port);
    }
    report("evtchn_ipi_send_and_poll", t, n);
    CASE("evtchn_send_poll", seen == n);
}

/*
 * Grant map+unmap of one page granted to ourselves: one page per
 * hypercall, then GNT_BATCH pages per hypercall (per page). Each mapping is
 * touched once.
 */
static void bench_grant_map_unmap(void)
{
    static struct gnttab_map_grant_ref map[GNT_BATCH];
    static struct gnttab_unmap_grant_ref unmap[GNT_BATCH];
    const domid_t self = 0;                     /* bench runs as dom0 */
    const unsigned long n = 2000, rounds = 200;
    struct gnttab_map_grant_ref op;
    volatile char sum = 0;
    long bad = 0;
    uint64_t t;

    bad |= gnttab_map_own(gt_win, 1);
    gnttab_grant(gt_win, 1, page_g, self, GTF_RW);
    /* Replace our own mappings once, with invlpg: the loops then map over nothing. */
    for (unsigned int i = 0; i < GNT_BATCH; i++) {
        bad |= gnttab_map1(&op, (uint64_t)page_m[i], GNTMAP_host_map, 1, self);
        bad |= gnttab_unmap1((uint64_t)page_m[i], 0, op.handle);
    }
    t = system_time_ns();
    for (unsigned long i = 0; i < n; i++) {
        op = (struct gnttab_map_grant_ref){ .host_addr = (uint64_t)page_m[0], .ref = 1,
                                            .flags = GNTMAP_host_map, .dom = self };
        HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
        bad |= op.status;
        sum += page_m[0][i % 4096];
        bad |= gnttab_unmap1((uint64_t)page_m[0], 0, op.handle);
    }
    report("grant_map_unmap_page", t, n);
    t = system_time_ns();
    for (unsigned long r = 0; r < rounds; r++) {
        for (unsigned int i = 0; i < GNT_BATCH; i++)
            map[i] = (struct gnttab_map_grant_ref){ .host_addr = (uint64_t)page_m[i], .ref = 1,
                                                    .flags = GNTMAP_host_map, .dom = self };
        bad |= HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, map, GNT_BATCH);
        for (unsigned int i = 0; i < GNT_BATCH; i++) {
            bad |= map[i].status;
            sum += page_m[i][r];
            unmap[i] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)page_m[i],
                                                        .handle = map[i].handle };
        }
        bad |= HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, unmap, GNT_BATCH);
        for (unsigned int i = 0; i < GNT_BATCH; i++)
            bad |= unmap[i].status;
    }
    report("grant_map_unmap_batch16_per_page", t, rounds * GNT_BATCH);
    for (unsigned int i = 0; i < GNT_BATCH; i++)
        page_restore(page_m[i]);
    page_restore(gt_win);
    CASE("grant_map_unmap", bad == 0);
}

void guest_main(void)
{
    bench_null_hypercall();
    bench_trap_bounce();
    bench_page_fault();
    bench_mmu_update();
    bench_pin_unpin();
    bench_evtchn_loopback();
    bench_evtchn_send_poll();
    bench_grant_map_unmap();
}
