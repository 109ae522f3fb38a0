/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TSC is Satori's clock. At boot its rate is measured against the PIT
 * (channel 2, gated through port 0x61: no interrupts needed; readings
 * bracketed by the TSC so that a slow one, as under QEMU on a loaded host,
 * is not trusted), and system
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
#define CALIBRATE_SAMPLES 8

static uint64_t tsc_at_boot;
static uint64_t tsc_freq;        /* Hz */
static uint64_t ns_per_tsc_32;   /* ns per tick, 32.32 fixed point */
static uint64_t tsc_per_ns_32;   /* ticks per ns, 32.32 fixed point */

static uint64_t mul_shift32(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

/*
 * A reading of PIT channel 2's count, bracketed by two TSC reads: the count
 * belongs somewhere between them, so their distance bounds the reading's
 * error. Under a hypervisor (QEMU on a busy host) a reading can take
 * milliseconds; only tight ones are used.
 */
struct pit_sample {
    uint64_t tsc;                 /* midpoint of the bracket */
    uint64_t width;               /* bracket width, TSC ticks */
    uint32_t count;
};

static struct pit_sample pit_sample(void)
{
    uint64_t t1 = rdtsc_ordered(), t2;
    uint32_t lo, hi;

    outb(0x43, 0x80);                         /* latch channel 2's count */
    lo = inb(0x42);
    hi = inb(0x42);
    t2 = rdtsc_ordered();
    return (struct pit_sample){ t1 + (t2 - t1) / 2, t2 - t1, lo | hi << 8 };
}

/* The tightest of n consecutive samples. */
static struct pit_sample best_sample(unsigned int n)
{
    struct pit_sample best = pit_sample();

    while (--n) {
        struct pit_sample s = pit_sample();
        if (s.width < best.width)
            best = s;
    }
    return best;
}

/*
 * TSC ticks per second against PIT channel 2 counting down from 0xffff in
 * mode 0 (no interrupts): the tightest of the first samples, the tightest
 * of samples once CALIBRATE_MS have passed, and the PIT counts between.
 */
static uint64_t measure_tsc_against_pit(void)
{
    const uint32_t span = PIT_HZ * CALIBRATE_MS / 1000;
    struct pit_sample a, b;
    unsigned long spins = 0;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(0x43, 0xb0);                         /* ch2, lo/hi byte, mode 0 */
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    a = best_sample(CALIBRATE_SAMPLES);
    do {
        b = pit_sample();
        if (++spins > 100000000UL || b.count > a.count)
            return 0;                         /* not counting, or wrapped */
    } while (a.count - b.count < span);
    b = best_sample(CALIBRATE_SAMPLES);
    /* OUT (0x61 bit 5) rises at the terminal count: then the count wrapped */
    if ((inb(0x61) & 0x20) || b.count >= a.count)
        return 0;
    return (b.tsc - a.tsc) * PIT_HZ / (a.count - b.count);
}

void time_calibrate(void)
{
    uint64_t hz = 0;

    /* a try fails only if this CPU stalled past the PIT's 55 ms */
    for (unsigned int try = 0; try < 5 && hz < 1000000; try++)
        hz = measure_tsc_against_pit();
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
