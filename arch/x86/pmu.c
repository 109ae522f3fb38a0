/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenpmu_op (40): the virtual performance-monitoring unit. Satori offers
 * none, which is Xen 4.17's default (vpmu off): every sub-op, from every
 * domain, is -EOPNOTSUPP before its argument is read. Linux then prints
 * "VPMU disabled by hypervisor." and perf uses software events only;
 * /sys/hypervisor/pmu/pmu_mode and pmu_features read as errors, as on Xen.
 */
#include <satori/errno.h>
#include <satori/hypercall.h>

long do_xenpmu_op(uint64_t op, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    return -EOPNOTSUPP;
}
