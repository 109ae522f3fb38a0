/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV time: what a guest reads to tell the time without a hypercall. Each
 * vCPU's vcpu_time_info (in its vcpu_info) maps the TSC to system time:
 * ns = ((tsc - tsc_timestamp) << shift) * mul >> 32, with mul in
 * [2^31, 2^32) as Xen's set_time_scale() makes it, stamped with one TSC
 * reading and the system time of that same reading. shared_info holds the
 * wall clock at system time 0: one value for every domain (Xen's wc_sec,
 * wc_nsec), read from the CMOS RTC when the first domain is built and
 * replaced by dom0's XENPF_settime (platform_op.c), which also rewrites it
 * in every existing domain's shared_info.
 *
 * Invariants:
 *  1. A record is written under the version protocol: version odd while
 *     it changes, even (and larger) after; fences between.
 *  2. vcpu_update_time() runs whenever a vCPU is switched onto a CPU, so
 *     the stamp is never older than the vCPU's last switch and holds for
 *     the CPU it runs on (all CPUs share one TSC scale here, so the record
 *     is exact on every CPU).
 *  3. Every domain's wc_* fields hold wc_base, written under wallclock_lock
 *     with the version protocol, so a settime racing a domain's creation
 *     leaves no domain with the old base. wc_base comes from the RTC once,
 *     at first use (Xen keeps one wall clock for all domains): reading it
 *     per domain made domains built at different times disagree by up to a
 *     second, the RTC's resolution (tests/suites/45-domains, "timers").
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/lib.h>
#include <satori/rtc.h>
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

/* wallclock_lock protects wc_base, wc_known and every domain's wc_* fields. */
static DEFINE_SPINLOCK(wallclock_lock);
static uint64_t wc_base;        /* ns since the epoch at system time 0 */
static bool wc_known;

/* The wall clock at system time 0; the RTC's on first use. Caller holds wallclock_lock. */
static uint64_t wallclock_base(void)
{
    uint64_t wall, now = (uint64_t)NOW();

    if (wc_known)
        return wc_base;
    if (rtc_read_epoch(&wall)) {
        pr_warn("time: the CMOS clock is unreadable: wall clock starts at 1970\n");
        wall = 0;
    }
    wall *= 1000000000ULL;
    wc_base = wall - MIN(wall, now);
    wc_known = true;
    return wc_base;
}

/* Caller holds wallclock_lock (invariant 3). */
static void write_wallclock(shared_info_t *s, uint64_t base)
{
    uint64_t sec = base / 1000000000ULL;

    s->wc_version = (s->wc_version + 1) | 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = (uint32_t)(base % 1000000000ULL);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    s->wc_version++;
}

void domain_init_wallclock(struct domain *d)
{
    uint64_t flags = spin_lock_irqsave(&wallclock_lock);

    write_wallclock(d->shared_info, wallclock_base());
    spin_unlock_irqrestore(&wallclock_lock, flags);
}

/*
 * Xen's do_settime: the arithmetic is modulo 2^64, so a system_time past
 * secs.nsecs wraps as it does in Xen; nsecs is not range-checked either.
 */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    uint64_t flags = spin_lock_irqsave(&wallclock_lock);

    wc_base = secs * 1000000000ULL + nsecs - system_time;
    wc_known = true;
    for (unsigned int id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_get((domid_t)id);

        if (!d)
            continue;
        write_wallclock(d->shared_info, wc_base);
        domain_put(d);
    }
    spin_unlock_irqrestore(&wallclock_lock, flags);
}
