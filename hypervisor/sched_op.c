/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_op (29): yield, block and shutdown. With one vCPU per physical CPU
 * and no event channels yet, yield and block return at once; shutdown ends
 * the domain with the guest's reason (for dom0: power off, reboot, or the
 * crash report).
 */
#include <public/sched.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/uaccess.h>

static long sched_shutdown(struct domain *d, uint64_t arg)
{
    struct sched_shutdown s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -EFAULT;
    if (s.reason > SHUTDOWN_MAX)
        return -EINVAL;
    if (s.reason == SHUTDOWN_crash)
        domain_crash(d, "the guest reported a crash (SCHEDOP_shutdown)");
    domain_shutdown(d, s.reason);
}

long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_vcpu()->domain;

    switch (cmd) {
    case SCHEDOP_yield:
    case SCHEDOP_block:
        return 0;
    case SCHEDOP_shutdown:
        return sched_shutdown(d, arg);
    default:
        return -ENOSYS;
    }
}
