// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: PV micro-benchmarks, printed as "BENCH <name> <ns per op> <ops>"
 * lines that tests/bench/run.sh collects from a run on Xen 4.17 and one on
 * Satori to print both and their ratio. Timing is the guest's own system
 * time (vcpu_time_info), so it is what the guest experiences. Not part of
 * the pass/fail suites: its cases only check that each loop ran.
 */
#include "guest.h"

const char guest_name[] = "bench";

#define PG __attribute__((aligned(4096), section(".bss.page_aligned")))
static char page_b[4096] PG, page_d[4096] PG;

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)

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

void guest_main(void)
{
    bench_null_hypercall();
    bench_trap_bounce();
    bench_page_fault();
    bench_mmu_update();
    bench_pin_unpin();
}
