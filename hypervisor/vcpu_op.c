/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vcpu_op (24): vcpu_op(cmd, vcpuid, arg) on one vCPU of the caller's
 * domain: whether it is up, its run-state accounting and the guest area
 * that mirrors it, moving its vcpu_info into a frame of the guest's, and
 * the vcpu-op timers (single-shot and periodic), and set_timer_op (15),
 * which drives the same single-shot timer.
 *
 * Model: a vCPU is up once started (vCPU 0 by the domain builder, others
 * by VCPUOP_initialise then VCPUOP_up) until VCPUOP_down; the scheduler
 * (schedule.c) records its run state at every switch: running, runnable
 * (waiting for a CPU), blocked (SCHEDOP_block/poll) or offline (down).
 *
 * Invariants:
 *  1. v->vcpu_info, once set, points into a frame owned by v's domain, in
 *     the direct map, wholly inside that frame, on which it holds a
 *     writable-type reference (so the frame never becomes a page table or
 *     descriptor page, nor is freed, while Satori writes into it); it is
 *     never moved again.
 *  2. v->runstate.time[] sums to state_entry_time; the guest area, when
 *     registered, is written only through copy_to_guest while v runs.
 *  3. The vcpu-op timers are set only by v itself (v == current), on the
 *     CPU it runs on; any CPU may stop them (timer.c).
 *
 * ABI corner cases (Xen 4.17): a vcpuid beyond the domain's vCPUs is
 * -ENOENT for every command, known or not; an unknown command on a valid
 * vCPU is -ENOSYS; register_vcpu_info twice, a bad offset or a frame the
 * domain may not write is -EINVAL; register_runstate_memory_area checks
 * only that the address is guest space (-EFAULT) and ignores a failing
 * first copy; a single-shot deadline already passed fires at once, and
 * VCPU_SSHOTTMR_future is ignored (Xen 4.17.7; older Xens said -ETIME;
 * tests/guests/events.c, singleshot_timer).
 *
 * A single-shot or periodic expiry raises VIRQ_TIMER on v (and ends a
 * SCHEDOP_block). The periodic timer runs only once set: Xen's default
 * 100 Hz tick for a new vCPU is not armed (Linux stops it at once).
 *
 * VCPUOP_initialise (Xen 4.17): a vCPU already initialised is -EEXIST, a
 * bad context -EINVAL, an unreadable one -EFAULT; VCPUOP_up of a vCPU
 * never initialised is -EINVAL; VCPUOP_down of oneself deschedules at
 * the return; is_up says whether it is up.
 */
#include <public/vcpu.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/event.h>
#include <satori/hypercall.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/nospec.h>
#include <satori/sched.h>
#include <satori/string.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/context.h>
#include <asm/mm.h>
#include <asm/pv.h>
#include <asm/uaccess.h>

/* The guest's copy: with the update-flag assist, bit 63 marks "changing". */
static void runstate_publish(struct vcpu *v)
{
    uint64_t at = v->runstate_guest;
    uint64_t entry = v->runstate.state_entry_time;
    bool flag = v->arch.vm_assist & (1UL << VMASST_TYPE_runstate_update_flag);
    uint64_t entry_va = at + __builtin_offsetof(struct vcpu_runstate_info, state_entry_time);

    if (!at || v != current_vcpu())
        return;
    if (flag) {
        uint64_t busy = entry | XEN_RUNSTATE_UPDATE;
        if (copy_to_guest(entry_va, &busy, sizeof(busy)))
            return;
        __atomic_thread_fence(__ATOMIC_RELEASE);
    }
    if (copy_to_guest(at, &v->runstate, sizeof(v->runstate)))
        return;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    if (flag && copy_to_guest(entry_va, &entry, sizeof(entry)))
        return;
}

void vcpu_runstate_change(struct vcpu *v, int state)
{
    s_time_t now = NOW();
    struct vcpu_runstate_info *r = &v->runstate;

    if ((uint64_t)now > r->state_entry_time)
        r->time[r->state & 3] += (uint64_t)now - r->state_entry_time;
    r->state = state;
    r->state_entry_time = (uint64_t)now;
    runstate_publish(v);
}

/* The runstate as of now (Xen's vcpu_runstate_get). */
static void runstate_now(const struct vcpu *v, struct vcpu_runstate_info *out)
{
    s_time_t now = NOW();

    *out = v->runstate;
    if ((uint64_t)now > out->state_entry_time)
        out->time[out->state & 3] += (uint64_t)now - out->state_entry_time;
}

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out)
{
    const volatile struct vcpu_runstate_info *r = &v->runstate;
    struct vcpu_runstate_info a, b;
    s_time_t now;

    /* v's CPU may be switching it meanwhile: two equal copies are one state. */
    do {
        memcpy(&a, (const void *)r, sizeof(a));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        memcpy(&b, (const void *)r, sizeof(b));
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while (memcmp(&a, &b, sizeof(a)));
    now = NOW();
    *out = a;
    if ((uint64_t)now > out->state_entry_time)
        out->time[out->state & 3] += (uint64_t)now - out->state_entry_time;
}

static long vcpu_is_up(struct vcpu *v, uint64_t arg)
{
    return !(READ_ONCE(v->pause_flags) & (1UL << VPF_down));
}

static long vcpu_initialise(struct vcpu *v, uint64_t arg)
{
    struct vcpu_guest_context *c;
    long rc;

    if (v->is_initialised)
        return -EEXIST;
    c = xmalloc(struct vcpu_guest_context);
    if (!c)
        return -ENOMEM;
    rc = copy_from_guest(c, arg, sizeof(*c)) ? -EFAULT : 0;
    if (!rc && __atomic_exchange_n(&v->is_initialised, true, __ATOMIC_SEQ_CST))
        rc = -EEXIST;                   /* another vCPU raced us */
    if (!rc) {
        rc = arch_set_info_guest(v, c);
        if (rc)
            v->is_initialised = false;
    }
    xfree(c);
    return rc;
}

static long vcpu_up(struct vcpu *v, uint64_t arg)
{
    if (!v->is_initialised)
        return -EINVAL;
    if (__atomic_fetch_and(&v->pause_flags, ~(1UL << VPF_down), __ATOMIC_SEQ_CST) &
        (1UL << VPF_down))
        vcpu_wake(v);
    return 0;
}

static long vcpu_down(struct vcpu *v, uint64_t arg)
{
    if (!(__atomic_fetch_or(&v->pause_flags, 1UL << VPF_down, __ATOMIC_SEQ_CST) &
          (1UL << VPF_down)))
        vcpu_sleep_nosync(v);
    return 0;
}

static long vcpu_get_runstate_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info r;

    runstate_now(v, &r);
    return copy_to_guest(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

static long vcpu_register_runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;
    struct vcpu_runstate_info r;

    if (copy_from_guest(&area, arg, sizeof(area)))
        return -EFAULT;
    if (!guest_range_ok(area.addr.p, sizeof(r)))
        return -EFAULT;
    v->runstate_guest = area.addr.p;
    if (!area.addr.p)
        return 0;
    runstate_now(v, &r);
    if (v == current_vcpu())
        (void)!copy_to_guest(area.addr.p, &r, sizeof(r));   /* Xen ignores a fault here */
    return 0;
}

static long vcpu_register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    vcpu_info_t *old = vcpu_info(v), *new;

    if (copy_from_guest(&info, arg, sizeof(info)))
        return -EFAULT;
    if (info.offset > PAGE_SIZE - sizeof(vcpu_info_t))
        return -EINVAL;
    if (v->vcpu_info)
        return -EINVAL;                 /* once per vCPU, as in Xen */
    if (v != current_vcpu() && v->guest_cr3)
        return -EINVAL;                 /* only itself, or a vCPU not yet up */
    if (info.mfn >= max_page || pv_get_writable_frame(v->domain, info.mfn))
        return -EINVAL;                 /* invariant 1: held for as long as it is used */
    new = (vcpu_info_t *)((char *)__va(info.mfn << PAGE_SHIFT) + info.offset);
    memcpy(new, old, sizeof(*new));
    v->vcpu_info_mfn = _mfn(info.mfn);
    __atomic_store_n(&v->vcpu_info, new, __ATOMIC_RELEASE);
    /* Xen marks everything pending so that nothing sent meanwhile is lost. */
    new->evtchn_upcall_pending = 1;
    new->evtchn_pending_sel = ~0UL;
    return 0;
}

static void singleshot_fired(void *arg)
{
    struct vcpu *v = arg;

    v->timer_fired++;
    evtchn_send_vcpu_virq(v, VIRQ_TIMER);
    vcpu_unblock(v);                    /* SCHEDOP_block ends on a fired timer */
}

static void periodic_fired(void *arg)
{
    struct vcpu *v = arg;

    if (!v->periodic_period)
        return;
    set_timer(&v->periodic_timer, v->periodic_timer.expires + v->periodic_period);
    singleshot_fired(v);
}

static long vcpu_set_singleshot_timer(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer set;

    if (v != current_vcpu())
        return -EINVAL;                 /* invariant 3 */
    if (copy_from_guest(&set, arg, sizeof(set)))
        return -EFAULT;
    if (!v->singleshot_timer.fn)
        timer_init(&v->singleshot_timer, singleshot_fired, v);
    if ((s_time_t)set.timeout_abs_ns < NOW()) {
        stop_timer(&v->singleshot_timer);   /* passed already: fires now, flags or not */
        singleshot_fired(v);
        return 0;
    }
    set_timer(&v->singleshot_timer, (s_time_t)set.timeout_abs_ns);
    return 0;
}

/*
 * set_timer_op (15), the older interface to the same single-shot timer:
 * 0 stops it; a negative time or one more than 2^50 ns ahead (Linux's
 * wrapped jiffies) fires in 100 ms instead, as in Xen. Always 0.
 */
long do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct vcpu *v = current_vcpu();
    s_time_t when = (s_time_t)timeout, offset = when - NOW();

    if (!v->singleshot_timer.fn)
        timer_init(&v->singleshot_timer, singleshot_fired, v);
    if (!timeout)
        stop_timer(&v->singleshot_timer);
    else if (when < 0 || (offset > 0 && (uint32_t)(offset >> 50) != 0))
        set_timer(&v->singleshot_timer, NOW() + MILLISECS(100));
    else
        set_timer(&v->singleshot_timer, when);
    return 0;
}

static long vcpu_stop_singleshot_timer(struct vcpu *v, uint64_t arg)
{
    if (v != current_vcpu())
        return -EINVAL;
    if (v->singleshot_timer.fn)
        stop_timer(&v->singleshot_timer);
    return 0;
}

static long vcpu_set_periodic_timer(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer set;

    if (copy_from_guest(&set, arg, sizeof(set)))
        return -EFAULT;
    if (set.period_ns < (uint64_t)MILLISECS(1) || set.period_ns > (uint64_t)SECONDS(3600))
        return -EINVAL;
    if (v != current_vcpu())
        return -EINVAL;                 /* invariant 3 */
    v->periodic_period = (s_time_t)set.period_ns;
    if (!v->periodic_timer.fn)
        timer_init(&v->periodic_timer, periodic_fired, v);
    set_timer(&v->periodic_timer, NOW() + v->periodic_period);
    return 0;
}

static long vcpu_stop_periodic_timer(struct vcpu *v, uint64_t arg)
{
    v->periodic_period = 0;
    if (v->periodic_timer.fn)
        stop_timer(&v->periodic_timer);
    return 0;
}

static long (*const vcpu_ops[])(struct vcpu *v, uint64_t arg) = {
    [VCPUOP_initialise] = vcpu_initialise,
    [VCPUOP_up] = vcpu_up,
    [VCPUOP_down] = vcpu_down,
    [VCPUOP_is_up] = vcpu_is_up,
    [VCPUOP_get_runstate_info] = vcpu_get_runstate_info,
    [VCPUOP_register_runstate_memory_area] = vcpu_register_runstate,
    [VCPUOP_set_periodic_timer] = vcpu_set_periodic_timer,
    [VCPUOP_stop_periodic_timer] = vcpu_stop_periodic_timer,
    [VCPUOP_set_singleshot_timer] = vcpu_set_singleshot_timer,
    [VCPUOP_stop_singleshot_timer] = vcpu_stop_singleshot_timer,
    [VCPUOP_register_vcpu_info] = vcpu_register_vcpu_info,
};

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;
    struct vcpu *v;

    cmd = (uint32_t)cmd;                /* Xen's int cmd, unsigned int vcpuid */
    vcpuid = (uint32_t)vcpuid;
    if (vcpuid >= d->max_vcpus)
        return -ENOENT;
    v = d->vcpu[array_index_nospec(vcpuid, d->max_vcpus)];
    if (!v)
        return -ENOENT;
    if (cmd >= ARRAY_SIZE(vcpu_ops) || !vcpu_ops[cmd])
        return -ENOSYS;
    return vcpu_ops[array_index_nospec(cmd, ARRAY_SIZE(vcpu_ops))](v, arg);
}
