// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlbflush: TLB shootdowns across CPUs, as a 2-vCPU boot-time domU (Satori
 * only; tests/suites/46-domctl boots it alone on -smp 2, so each vCPU has
 * a CPU of its own).
 *
 * vCPU 1 keeps reading one word through a window page W, so its CPU's TLB
 * holds W's translation. For each case vCPU 0 asks it to stop reading
 * (without leaving its CPU: it spins on a flag in guest mode), changes
 * what W maps, makes the flush under test, and then asks vCPU 1 for one
 * more read of W. The flush returned before that request, so vCPU 1 must
 * see the new frame's contents: a flush that stayed on vCPU 0's CPU leaves
 * vCPU 1 reading the old frame through its stale TLB entry. A control case
 * that changes W with no flush at all reports (without a verdict) whether
 * the stale entry is visible on this machine, which is what gives the
 * other cases their teeth (QEMU's TCG keeps stale entries, as hardware
 * may).
 *
 * Cases: the mmuext flushes (TLB_FLUSH_ALL, INVLPG_ALL, TLB_FLUSH_MULTI and
 * INVLPG_MULTI with a bitmap naming vCPU 1), update_va_mapping with
 * UVMF_ALL and with a vCPU bitmap, and the hypervisor's own flushes when a
 * grant mapping goes: unmap_and_replace, and unmap_grant_ref followed by a
 * new mapping of W made with no flush (the unmap must have removed the
 * grant's translation everywhere).
 */
#include <stdbool.h>
#include <public/grant_table.h>
#include <public/vcpu.h>
#include "domu.h"

const char guest_name[] = "tlbflush";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define SPIN_LIMIT 2000000000UL              /* ns to wait for the other vCPU */

static char window[4096] PG;                 /* W: the mapping under test */
static char frame_a[4096] PG, frame_b[4096] PG, frame_c[4096] PG;
static char spare[4096] PG;                  /* unmap_and_replace's new_addr */
static char gt_win[4096] PG;                 /* our grant table's frame */
static char v1_stack[8192] __attribute__((aligned(16)));

#define WORD(page) (*(volatile uint64_t *)(page))
#define A 0xaaaaaaaaaaaaaaaaUL
#define B 0xbbbbbbbbbbbbbbbbUL
#define C 0xccccccccccccccccUL
#define S 0x5555555555555555UL

/* The protocol between the two vCPUs (see the file comment). */
static volatile uint64_t reads;              /* vCPU 1: reads of W while warm */
static volatile uint64_t last_read;          /* vCPU 1: the value it last read */
static volatile bool hold, held;             /* vCPU 0 asks; vCPU 1 answers */
static volatile uint64_t request, answered;  /* one read of W per request */
static volatile uint64_t answer;
static volatile bool quit;

static uint64_t pte_for(const void *page)
{
    return (virt_to_mfn(page) << PAGE_SHIFT) | PTE_RW;
}

static void vcpu1_main(void)
{
    uint64_t done = 0;

    while (!quit) {
        if (!hold) {
            held = false;
            last_read = WORD(window);
            reads++;
            continue;
        }
        held = true;
        if (request != done) {
            done = request;
            answer = WORD(window);
            __atomic_store_n(&answered, done, __ATOMIC_RELEASE);
        }
    }
    HYPERVISOR_vcpu_op(VCPUOP_down, 1, 0);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
}

/* Spins until *flag == want, false after SPIN_LIMIT. Never blocks (keeps the CPU). */
static bool spin_until(volatile uint64_t *flag, uint64_t want)
{
    uint64_t end = system_time_ns() + SPIN_LIMIT;

    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != want)
        if (system_time_ns() > end)
            return false;
    return true;
}

/* vCPU 1 reads W until it has read `now` 1000 times in a row, then holds. */
static bool warm_then_hold(uint64_t now)
{
    uint64_t end = system_time_ns() + SPIN_LIMIT, from;

    hold = false;
    while (held)
        if (system_time_ns() > end)
            return false;
    do {
        from = reads;
        while (reads < from + 1000)
            if (system_time_ns() > end)
                return false;
    } while (last_read != now);
    hold = true;
    while (!held)
        if (system_time_ns() > end)
            return false;
    return true;
}

/* One read of W by vCPU 1, after everything vCPU 0 did so far. */
static uint64_t v1_reads_window(void)
{
    uint64_t r = request + 1;

    request = r;
    if (!spin_until(&answered, r))
        case_fail("vCPU 1 did not answer");
    return answer;
}

/* W maps page now, without any flush (the change under test). */
static long remap(const void *page)
{
    return HYPERVISOR_update_va_mapping(window, pte_for(page), UVMF_NONE);
}

static long mmuext_multi(unsigned int cmd, uint64_t va, const uint64_t *vcpus)
{
    struct mmuext_op op = { .cmd = cmd };
    unsigned int done = 0;
    long rc;

    op.arg1.linear_addr = va;
    set_xen_guest_handle(op.arg2.vcpumask, (void *)vcpus);
    rc = HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF);
    return rc ? rc : done == 1 ? 0 : -1;
}

static void start_vcpu1(void)
{
    static struct vcpu_guest_context ctx;

    case_begin("vcpu1_up");
    flat_vcpu_context(&ctx, vcpu1_main, v1_stack + sizeof(v1_stack));
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, 1, 0), 0);
    CHECK(warm_then_hold(A));
    case_end();
}

/* The control: no flush. Reports whether vCPU 1 still sees the old frame. */
static void control_no_flush(void)
{
    uint64_t seen;

    case_begin("control_no_flush");
    CHECK(warm_then_hold(A));
    CHECK_EQ(remap(frame_b), 0);
    seen = v1_reads_window();
    printf("tlbflush: without a flush vCPU 1 read %s\n",
           seen == A ? "the old frame (its TLB was stale)" :
           seen == B ? "the new frame (no stale TLB entry seen)" : "something else");
    CHECK(seen == A || seen == B);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(v1_reads_window(), B);
    CHECK_EQ(remap(frame_a), 0);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(v1_reads_window(), A);
    case_end();
}

/*
 * One case: W moves from frame_a to frame_b, flush(), and vCPU 1 must read
 * B; then back to frame_a the same way.
 */
static void flush_case(const char *name, long (*flush)(const void *to))
{
    case_begin(name);
    CHECK(warm_then_hold(A));
    CHECK_EQ(flush(frame_b), 0);
    CHECK_EQ(v1_reads_window(), B);
    CHECK(warm_then_hold(B));
    CHECK_EQ(flush(frame_a), 0);
    CHECK_EQ(v1_reads_window(), A);
    case_end();
}

static const uint64_t vcpu1_only = 1UL << 1;

static long via_flush_all(const void *to)
{
    return remap(to) ?: mmuext1(MMUEXT_TLB_FLUSH_ALL, 0);
}

static long via_invlpg_all(const void *to)
{
    return remap(to) ?: mmuext1(MMUEXT_INVLPG_ALL, (uint64_t)window);
}

static long via_flush_multi(const void *to)
{
    return remap(to) ?: mmuext_multi(MMUEXT_TLB_FLUSH_MULTI, 0, &vcpu1_only);
}

static long via_invlpg_multi(const void *to)
{
    return remap(to) ?: mmuext_multi(MMUEXT_INVLPG_MULTI, (uint64_t)window, &vcpu1_only);
}

static long via_uvmf_invlpg_all(const void *to)
{
    return HYPERVISOR_update_va_mapping(window, pte_for(to), UVMF_INVLPG | UVMF_ALL);
}

static long via_uvmf_flush_all(const void *to)
{
    return HYPERVISOR_update_va_mapping(window, pte_for(to), UVMF_TLB_FLUSH | UVMF_ALL);
}

static long via_uvmf_invlpg_multi(const void *to)
{
    return HYPERVISOR_update_va_mapping(window, pte_for(to), UVMF_INVLPG | (uint64_t)&vcpu1_only);
}

/* Our own domain id: what alloc_unbound records for DOMID_SELF. */
static domid_t own_domid(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_close c;

    if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a))
        return DOMID_INVALID;
    st.port = c.port = a.port;
    HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
    HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
    return st.u.unbound.dom;
}

/* Grant frame_c to ourselves and map the grant at W (flushed by us, as Xen wants). */
static grant_handle_t map_grant_at_window(domid_t self)
{
    volatile grant_entry_v1_t *gt = (volatile grant_entry_v1_t *)gt_win;
    struct gnttab_map_grant_ref op = { .host_addr = (uint64_t)window, .flags = GNTMAP_host_map,
                                       .ref = 8, .dom = self };

    gt[8].domid = self;
    gt[8].frame = (uint32_t)virt_to_mfn(frame_c);
    __sync_synchronize();
    gt[8].flags = GTF_permit_access;
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_okay);
    CHECK_EQ(mmuext1(MMUEXT_TLB_FLUSH_ALL, 0), 0);
    CHECK_EQ(v1_reads_window(), C);
    return op.handle;
}

static void end_grant(void)
{
    volatile grant_entry_v1_t *gt = (volatile grant_entry_v1_t *)gt_win;

    gt[8].flags = 0;
}

static void grant_cases(void)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    domid_t self = own_domid();
    uint64_t gt_frame = 0, spare_pte = pte_for(spare);
    grant_handle_t h;

    case_begin("grant_setup");
    CHECK(self != DOMID_INVALID);
    set_xen_guest_handle(st.frame_list, &gt_frame);
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(HYPERVISOR_update_va_mapping(gt_win, (gt_frame << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG),
             0);
    case_end();

    /* unmap_and_replace: W gets spare's entry; the hypervisor flushes, not us. */
    case_begin("grant_unmap_and_replace");
    CHECK(warm_then_hold(A));
    h = map_grant_at_window(self);
    CHECK(warm_then_hold(C));
    struct gnttab_unmap_and_replace ur = { .host_addr = (uint64_t)window,
                                           .new_addr = (uint64_t)spare, .handle = h };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &ur, 1), 0);
    CHECK_EQ(ur.status, GNTST_okay);
    CHECK_EQ(v1_reads_window(), S);
    end_grant();
    CHECK_EQ(HYPERVISOR_update_va_mapping(spare, spare_pte, UVMF_INVLPG), 0);
    CHECK_EQ(HYPERVISOR_update_va_mapping(window, pte_for(frame_a), UVMF_INVLPG | UVMF_ALL), 0);
    CHECK_EQ(v1_reads_window(), A);
    case_end();

    /*
     * unmap_grant_ref leaves W not present; mapping frame_a there again
     * needs no flush (no TLB holds a not-present entry), so vCPU 1 reads
     * A only if the unmap flushed its CPU; a stale entry would read C.
     */
    case_begin("grant_unmap");
    CHECK(warm_then_hold(A));
    h = map_grant_at_window(self);
    CHECK(warm_then_hold(C));
    struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)window, .handle = h };
    CHECK_EQ(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
    CHECK_EQ(u.status, GNTST_okay);
    CHECK_EQ(remap(frame_a), 0);
    CHECK_EQ(v1_reads_window(), A);
    end_grant();
    case_end();
}

void guest_main(void)
{
    uint64_t original = pte_read(window);

    WORD(window) = A;
    WORD(frame_a) = A;
    WORD(frame_b) = B;
    WORD(frame_c) = C;
    WORD(spare) = S;
    /* W starts on frame_a, so "A" is what W shows and frame_a's own page. */
    CASE("window_on_a", remap(frame_a) == 0 && !mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0));
    start_vcpu1();
    control_no_flush();
    flush_case("mmuext_tlb_flush_all", via_flush_all);
    flush_case("mmuext_invlpg_all", via_invlpg_all);
    flush_case("mmuext_tlb_flush_multi", via_flush_multi);
    flush_case("mmuext_invlpg_multi", via_invlpg_multi);
    flush_case("uvmf_invlpg_all", via_uvmf_invlpg_all);
    flush_case("uvmf_tlb_flush_all", via_uvmf_flush_all);
    flush_case("uvmf_invlpg_vcpumask", via_uvmf_invlpg_multi);
    grant_cases();
    case_begin("vcpu1_down");
    quit = true;
    uint64_t end = system_time_ns() + 5 * SPIN_LIMIT;
    while (HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0) == 1 && system_time_ns() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, 0), 0);
    CHECK_EQ(HYPERVISOR_update_va_mapping(window, original, UVMF_INVLPG), 0);
    case_end();
}
