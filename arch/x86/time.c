/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TSC is Satori's clock. At boot its rate is measured against the PIT
 * (channel 2, gated through port 0x61: no interrupts needed), and system
 * time is the TSC since boot scaled to nanoseconds with a 32.32 fixed-point
 * multiplier, the same scheme PV guests will get in vcpu_time_info.
 *
 * Invariants:
 *  1. NOW() is 0 before calibration and monotonic after it on each CPU
 *     (QEMU and modern CPUs give a constant, synchronised TSC).
 *  2. ns_to_tsc(tsc_to_ns(x)) is within one tick per second of x.
 */
#include <satori/console.h>
#include <satori/panic.h>
#include <satori/time.h>
#include <asm/time.h>
#include <asm/x86.h>

#define PIT_HZ 1193182
#define CALIBRATE_MS 50

static uint64_t tsc_at_boot;
static uint64_t tsc_freq;        /* Hz */
static uint64_t ns_per_tsc_32;   /* ns per tick, 32.32 fixed point */
static uint64_t tsc_per_ns_32;   /* ticks per ns, 32.32 fixed point */

static uint64_t mul_shift32(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

/* Counts TSC ticks while PIT channel 2 counts down CALIBRATE_MS. */
static uint64_t measure_tsc_against_pit(void)
{
    uint32_t latch = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t start, end;
    unsigned long spins = 0;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(0x43, 0xb0);                         /* ch2, lo/hi byte, mode 0 */
    outb(0x42, latch & 0xff);
    outb(0x42, latch >> 8);
    start = rdtsc_ordered();
    while (!(inb(0x61) & 0x20))
        if (++spins > 100000000UL)
            return 0;
    end = rdtsc_ordered();
    return (end - start) * 1000 / CALIBRATE_MS;
}

void time_calibrate(void)
{
    uint64_t hz = measure_tsc_against_pit();

    if (hz < 1000000)
        panic("TSC calibration failed: the PIT did not count (measured %lu Hz)", hz);
    tsc_freq = hz;
    ns_per_tsc_32 = (1000000000ULL << 32) / hz;
    tsc_per_ns_32 = ((hz / 1000000000ULL) << 32) + ((hz % 1000000000ULL) << 32) / 1000000000ULL;
    tsc_at_boot = rdtsc();
    printk("TSC: %lu.%03lu MHz (calibrated against the PIT over %u ms)\n", hz / 1000000,
           (hz / 1000) % 1000, CALIBRATE_MS);
}

uint64_t tsc_hz(void)
{
    return tsc_freq;
}

s_time_t NOW(void)
{
    if (!tsc_freq)
        return 0;
    return (s_time_t)mul_shift32(rdtsc() - tsc_at_boot, ns_per_tsc_32);
}

uint64_t tsc_to_ns(uint64_t ticks)
{
    return mul_shift32(ticks, ns_per_tsc_32);
}

uint64_t ns_to_tsc(s_time_t ns)
{
    return ns <= 0 ? 0 : mul_shift32((uint64_t)ns, tsc_per_ns_32);
}

uint64_t stime_to_tsc(s_time_t t)
{
    return tsc_at_boot + ns_to_tsc(t);
}

void udelay(unsigned int us)
{
    uint64_t end;

    if (!tsc_freq) {
        /* before calibration: ~1 µs per port read, a known PC idiom */
        while (us--)
            inb(0x80);
        return;
    }
    end = rdtsc() + ns_to_tsc(MICROSECS(us));
    while (rdtsc() < end)
        cpu_relax();
}
