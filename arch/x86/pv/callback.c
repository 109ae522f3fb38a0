/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * callback_op (30) and its older form set_callbacks (4): where the guest
 * kernel wants events, failsafe returns, syscalls from its user mode and
 * NMIs delivered. 64-bit guests only: the 32-bit syscall/sysenter
 * callbacks are refused (-EINVAL, as Xen does without compat support).
 * Only the NMI callback can be unregistered.
 */
#include <public/callback.h>
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/uaccess.h>

static struct pv_callback *callback_slot(struct arch_vcpu *a, unsigned int type)
{
    switch (type) {
    case CALLBACKTYPE_event:
        return &a->event;
    case CALLBACKTYPE_failsafe:
        return &a->failsafe;
    case CALLBACKTYPE_syscall:
        return &a->syscall;
    case CALLBACKTYPE_nmi:
        return &a->nmi;
    default:
        return NULL;
    }
}

static long register_callback(struct arch_vcpu *a, unsigned int type, uint64_t address,
                              unsigned int flags)
{
    struct pv_callback *cb = callback_slot(a, type);

    if (!cb || !is_canonical(address))
        return -EINVAL;
    cb->address = address;
    cb->mask_events = flags & CALLBACKF_mask_events;
    return 0;
}

long do_callback_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;

    if (cmd == CALLBACKOP_register) {
        struct callback_register r;
        if (copy_from_guest(&r, arg, sizeof(r)))
            return -EFAULT;
        return register_callback(a, r.type, r.address, r.flags);
    }
    if (cmd == CALLBACKOP_unregister) {
        struct callback_unregister u;
        if (copy_from_guest(&u, arg, sizeof(u)))
            return -EFAULT;
        if (u.type != CALLBACKTYPE_nmi)
            return -EINVAL;
        a->nmi.address = 0;
        return 0;
    }
    return -ENOSYS;
}

/* set_callbacks(event, failsafe, syscall): all three, events masked for the first two. */
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall, uint64_t a4,
                      uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;

    if (!is_canonical(event) || !is_canonical(failsafe) || !is_canonical(syscall))
        return -EINVAL;
    a->event = (struct pv_callback){ event, true };
    a->failsafe = (struct pv_callback){ failsafe, true };
    a->syscall = (struct pv_callback){ syscall, false };
    return 0;
}
