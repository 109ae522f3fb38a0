/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV time: what a guest reads to tell the time without a hypercall. Each
 * vCPU's vcpu_time_info (in its vcpu_info) maps the TSC to system time:
 * ns = ((tsc - tsc_timestamp) << shift) * mul >> 32, with mul in
 * [2^31, 2^32) as Xen's set_time_scale() makes it, stamped with one TSC
 * reading and the system time of that same reading. shared_info holds the
 * wall clock at system time 0, from the CMOS RTC.
 *
 * Invariants:
 *  1. A record is written under the version protocol: version odd while
 *     it changes, even (and larger) after; fences between.
 *  2. vcpu_update_time() runs whenever a vCPU is switched onto a CPU, so
 *     the stamp is never older than the vCPU's last switch and holds for
 *     the CPU it runs on (all CPUs share one TSC scale here, so the record
 *     is exact on every CPU).
 *  3. Every domain sees the same wall clock: the RTC is read once, at the
 *     first domain's build, and each shared_info gets that value (Xen
 *     keeps one wall clock for all domains). Reading it per domain made
 *     domains built at different times disagree by up to a second, the
 *     RTC's resolution (tests/suites/45-domains, "timers").
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/lib.h>
#include <satori/rtc.h>
#include <satori/spinlock.h>
#include <satori/time.h>
#include <asm/time.h>

static void time_scale(uint32_t *mul, int8_t *shift_out)
{
    uint64_t hz = tsc_hz();
    uint32_t hz32;
    int shift = 0;

    while (hz > 2000000000ULL) {
        hz >>= 1;
        shift--;
    }
    hz32 = (uint32_t)hz;
    while (hz32 && hz32 <= 1000000000U) {   /* hz32 0: uncalibrated, never */
        hz32 <<= 1;
        shift++;
    }
    *mul = hz32 ? (uint32_t)((1000000000ULL << 32) / hz32) : 0;
    *shift_out = (int8_t)shift;
}

void vcpu_update_time(struct vcpu *v)
{
    struct vcpu_time_info *t = &vcpu_info(v)->time;
    uint32_t mul;
    int8_t shift;
    s_time_t now;

    time_scale(&mul, &shift);
    t->version = (t->version + 1) | 1;          /* invariant 1 */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    now = NOW();
    t->system_time = (uint64_t)now;
    t->tsc_timestamp = stime_to_tsc(now);       /* the TSC reading of that instant */
    t->tsc_to_system_mul = mul;
    t->tsc_shift = shift;
    t->flags = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version++;
}

static DEFINE_SPINLOCK(wallclock_lock);   /* protects: boot_wall, boot_wall_read */
static uint64_t boot_wall;                  /* ns since the epoch at system time 0 */
static bool boot_wall_read;

/* The wall clock at system time 0, from the RTC the first time (invariant 3). */
static uint64_t wallclock_at_boot(void)
{
    uint64_t wall, now, flags = spin_lock_irqsave(&wallclock_lock);

    if (!boot_wall_read) {
        now = (uint64_t)NOW();
        if (rtc_read_epoch(&wall)) {
            pr_warn("The CMOS clock is unreadable: the wall clock starts at 1970\n");
            wall = 0;
        }
        boot_wall = wall * 1000000000ULL - MIN(wall * 1000000000ULL, now);
        boot_wall_read = true;
    }
    wall = boot_wall;
    spin_unlock_irqrestore(&wallclock_lock, flags);
    return wall;
}

void domain_init_wallclock(struct domain *d)
{
    shared_info_t *s = d->shared_info;
    uint64_t wall = wallclock_at_boot();

    s->wc_version = (s->wc_version + 1) | 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)(wall / 1000000000ULL);
    s->wc_sec_hi = (uint32_t)((wall / 1000000000ULL) >> 32);
    s->wc_nsec = (uint32_t)(wall % 1000000000ULL);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version++;
}
