/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC of each CPU: enabling it, end-of-interrupt, inter-processor
 * interrupts (fixed, NMI, INIT, SIPI) and the one-shot timer. The timer uses
 * TSC-deadline mode where the CPU has it; otherwise the APIC's own counter,
 * whose rate is measured against the TSC once at boot.
 *
 * xAPIC registers are reached through an uncached fixmap page; if the
 * firmware left the APIC in x2APIC mode, through MSRs instead.
 */
#include <satori/compiler.h>
#include <satori/console.h>
#include <satori/panic.h>
#include <satori/time.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/x86.h>

enum {
    APIC_ID = 0x20, APIC_EOI = 0xb0, APIC_SVR = 0xf0, APIC_ESR = 0x280,
    APIC_ICR = 0x300, APIC_ICR2 = 0x310, APIC_LVT_TIMER = 0x320, APIC_LVT_LINT0 = 0x350,
    APIC_LVT_LINT1 = 0x360, APIC_LVT_ERROR = 0x370, APIC_TMICT = 0x380, APIC_TMCCT = 0x390,
    APIC_TDCR = 0x3e0,
};

#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)
#define ICR_DELIVERY_BUSY (1u << 12)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_ALL_BUT_SELF (3u << 18)

static volatile uint32_t *apic_mmio;
static bool x2apic_mode;
static bool use_tsc_deadline;
static uint64_t apic_timer_hz;     /* with divide-by-16, when not TSC-deadline */
static volatile bool stopping;

static uint32_t apic_read(unsigned int reg)
{
    if (x2apic_mode)
        return (uint32_t)rdmsr(0x800 + (reg >> 4));
    return apic_mmio[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    if (x2apic_mode)
        wrmsr(0x800 + (reg >> 4), v);
    else
        apic_mmio[reg / 4] = v;
}

static void apic_write_icr(uint32_t dest, uint32_t low)
{
    if (x2apic_mode) {
        wrmsr(0x830, ((uint64_t)dest << 32) | low);
        return;
    }
    while (apic_read(APIC_ICR) & ICR_DELIVERY_BUSY)
        cpu_relax();
    apic_write(APIC_ICR2, dest << 24);
    apic_write(APIC_ICR, low);
}

void apic_init_bsp(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    x2apic_mode = base & APIC_BASE_X2APIC;
    if (!x2apic_mode)
        apic_mmio = fixmap_map_uc(FIX_APIC, base & ~0xfffUL);
    use_tsc_deadline = cpu_has(X86_FEATURE_TSC_DEADLINE);
    printk("APIC: %s mode, timer: %s\n", x2apic_mode ? "x2APIC" : "xAPIC",
           use_tsc_deadline ? "TSC-deadline" : "one-shot (calibrated)");
}

uint32_t apic_id(void)
{
    uint32_t id = apic_read(APIC_ID);

    return x2apic_mode ? id : id >> 24;
}

void apic_init_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, LVT_MASKED);
    apic_write(APIC_LVT_ERROR, LVT_MASKED);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);   /* software enable */
    apic_eoi();
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

void apic_send_ipi(uint32_t dest, unsigned int vector)
{
    apic_write_icr(dest, vector & 0xff);
}

void apic_send_ipi_allbutself(unsigned int vector)
{
    apic_write_icr(0, ICR_ALL_BUT_SELF | (vector & 0xff));
}

void apic_send_nmi_allbutself(void)
{
    apic_write_icr(0, ICR_ALL_BUT_SELF | ICR_NMI);
}

void apic_send_init(uint32_t dest)
{
    apic_write_icr(dest, ICR_INIT | ICR_LEVEL_ASSERT);
}

void apic_send_sipi(uint32_t dest, unsigned int page)
{
    apic_write_icr(dest, ICR_STARTUP | (page & 0xff));
}

/* Measures the APIC counter (divide by 16) against the TSC over 10 ms. */
static void calibrate_apic_timer(void)
{
    uint32_t left;

    apic_write(APIC_TDCR, 0x3);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_TMICT, 0xffffffff);
    udelay(10000);
    left = apic_read(APIC_TMCCT);
    apic_timer_hz = (uint64_t)(0xffffffffu - left) * 100;
    printk("APIC timer: %lu kHz (divide by 16)\n", apic_timer_hz / 1000);
    if (!apic_timer_hz)
        panic("APIC timer calibration failed: the counter did not move");
}

void apic_timer_init_cpu(void)
{
    if (use_tsc_deadline) {
        apic_write(APIC_LVT_TIMER, LVT_TSC_DEADLINE | VECTOR_TIMER);
        return;
    }
    if (!apic_timer_hz)
        calibrate_apic_timer();
    apic_write(APIC_TDCR, 0x3);
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER);   /* one-shot */
}

bool apic_timer_uses_tsc_deadline(void)
{
    return use_tsc_deadline;
}

void apic_timer_set_deadline(uint64_t deadline)
{
    uint64_t now, ns, ticks;

    if (use_tsc_deadline) {
        /* a deadline in the past fires at once; 0 disarms */
        wrmsr(MSR_TSC_DEADLINE, deadline);
        return;
    }
    if (!deadline) {
        apic_write(APIC_TMICT, 0);
        return;
    }
    now = rdtsc();
    /* at most 10 s ahead: a later deadline just fires early and re-arms */
    ns = deadline > now ? MIN(tsc_to_ns(deadline - now), 10000000000ULL) : 0;
    ticks = ns * apic_timer_hz / 1000000000ULL;
    apic_write(APIC_TMICT, ticks ? (uint32_t)MIN(ticks, 0xffffffffULL) : 1);
}

bool arch_stopping_cpus(void)
{
    return stopping;
}

void arch_stop_other_cpus(void)
{
    stopping = true;
    if (apic_mmio || x2apic_mode)
        apic_send_nmi_allbutself();
}
