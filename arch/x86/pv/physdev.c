/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op (33): a PV guest's view of physical devices. Today only the
 * virtual I/O privilege level (PHYSDEVOP_set_iopl, which every Linux PV
 * kernel sets first thing and which gates the port-I/O emulation in
 * emulate.c). Interrupt routing (PIRQs, MSI, the I/O APIC) and device
 * registration come with dom0's device work; they return -ENOSYS.
 */
#include <public/physdev.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/uaccess.h>

static long set_iopl(struct vcpu *v, uint64_t arg)
{
    struct physdev_set_iopl s;

    if (copy_from_guest(&s, arg, sizeof(s)))
        return -EFAULT;
    if (s.iopl > 3)
        return -EINVAL;
    v->iopl = s.iopl;
    return 0;
}

long do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        return set_iopl(current_vcpu(), arg);
    default:
        return -ENOSYS;
    }
}
