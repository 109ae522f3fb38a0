// SPDX-License-Identifier: GPL-2.0-only
/*
 * The framework's C side: guest_entry (called from head.S with start_info),
 * the case bookkeeping and result lines, the trap table and trap_dispatch,
 * and the final shutdown. A guest only provides guest_name and guest_main.
 */
#include "guest.h"

start_info_t *start_info;
shared_info_t *shared_info;
unsigned char hypercall_use_page;   /* 0: raw syscall (the default) */

static const char *cur_case;
static int cur_failed;
static unsigned int n_passed, n_failed;

volatile struct trap_record last_trap;
volatile uint64_t trap_resume;

/* Page of .bss whose mapping is replaced by shared_info at boot. */
static char shared_info_page[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));

void case_begin(const char *name)
{
    if (cur_case)
        case_end();
    cur_case = name;
    cur_failed = 0;
}

void case_fail(const char *fmt, ...)
{
    char buf[384];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    /* Only the first failure of a case makes its FAIL line. */
    if (!cur_failed)
        printf("FAIL: %s/%s %s\n", guest_name, cur_case ? cur_case : "?", buf);
    cur_failed = 1;
}

void case_end(void)
{
    if (!cur_case)
        return;
    if (cur_failed)
        n_failed++;
    else {
        n_passed++;
        printf("PASS: %s/%s\n", guest_name, cur_case);
    }
    cur_case = NULL;
}

static void power_off(void) __attribute__((noreturn));
static void power_off(void)
{
    struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
}

void guest_finish(void)
{
    case_end();
    printf("SUMMARY %s: %u passed, %u failed\n", guest_name, n_passed, n_failed);
    power_off();
}

void guest_panic(const char *why)
{
    if (cur_case)
        case_fail("panic: %s", why);
    else
        printf("FAIL: %s/boot %s\n", guest_name, why);
    n_failed++;
    cur_case = NULL;
    guest_finish();
}

void trap_reset(void)
{
    last_trap.taken = 0;
    last_trap.vector = TRAP_NONE;
    last_trap.error_code = 0;
    last_trap.rip = last_trap.cs = last_trap.rflags = last_trap.cr2 = 0;
}

/* Called by trap_common (head.S) for every exception. */
void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    last_trap.taken++;
    last_trap.vector = (unsigned int)f->vector;
    last_trap.error_code = f->error_code;
    last_trap.rip = f->rip;
    last_trap.cs = f->cs;
    last_trap.rflags = f->rflags;
    if (f->vector == 14)
        last_trap.cr2 = shared_info->vcpu_info[0].arch.cr2;
    if (trap_resume) {
        f->rip = trap_resume;
        trap_resume = 0;
        return;
    }
    /* int3 resumes after itself; an unexpected one is only noted. */
    if (f->vector == 3)
        return;
    printf("FAIL: %s/%s unexpected trap %lu err %#lx at rip %#lx (cr2 %#lx)\n",
           guest_name, cur_case ? cur_case : "boot", f->vector, f->error_code,
           f->rip, (unsigned long)last_trap.cr2);
    if (cur_case)
        cur_failed = 1;
    n_failed += cur_case ? 0 : 1;
    guest_finish();
}

extern const uint64_t trap_stubs[22];
static trap_info_t trap_table[23];

long traps_install(void)
{
    for (unsigned int v = 0; v < 22; v++) {
        trap_table[v].vector = (uint8_t)v;
        /* int3/into may be raised from ring 3 (our kernel runs there). */
        trap_table[v].flags = (v == 3 || v == 4) ? 3 : 0;
        trap_table[v].cs = FLAT_RING3_CS64;
        trap_table[v].address = trap_stubs[v];
    }
    trap_table[22].address = 0;     /* terminator */
    return HYPERVISOR_set_trap_table(trap_table);
}

void guest_entry(start_info_t *si);
void guest_entry(start_info_t *si)
{
    long rc;

    start_info = si;
    rc = traps_install();
    if (rc)
        printf("guest %s: set_trap_table failed: %ld\n", guest_name, rc);
    rc = HYPERVISOR_update_va_mapping(shared_info_page,
                                      (si->shared_info & PTE_ADDR_MASK) |
                                      _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                                      _PAGE_DIRTY, UVMF_INVLPG);
    if (rc) {
        printf("FAIL: %s/boot cannot map shared_info: %ld\n", guest_name, rc);
        n_failed++;
        guest_finish();
    }
    shared_info = (shared_info_t *)shared_info_page;
    printf("guest %s: start_info %p, %lu pages, flags %#x\n", guest_name,
           (void *)si, si->nr_pages, si->flags);
    trap_reset();
    guest_main();
    guest_finish();
}

uint64_t system_time_ns(void)
{
    volatile vcpu_time_info_t *t = &shared_info->vcpu_info[0].time;
    uint32_t ver;
    uint64_t tsc_ts, sys, delta;
    uint32_t mul;
    int8_t shift;
    uint32_t lo, hi;

    do {
        ver = t->version;
        asm volatile("" ::: "memory");
        tsc_ts = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
        asm volatile("" ::: "memory");
    } while ((ver & 1) || ver != t->version);
    delta = (((uint64_t)hi << 32) | lo) - tsc_ts;
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}
