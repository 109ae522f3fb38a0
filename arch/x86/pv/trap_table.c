/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * set_trap_table (0): the guest kernel's exception handlers. The argument
 * is an array of struct trap_info ending with an entry whose address is 0;
 * each entry replaces one vector's handler, flags (DPL, mask events) and
 * nothing else. A NULL argument clears the whole table. Entries are checked
 * as they are read: a non-canonical handler is -EINVAL (earlier entries
 * stay applied, as in Xen), an unreadable array -EFAULT.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/string.h>
#include <asm/uaccess.h>

long do_set_trap_table(uint64_t table, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct arch_vcpu *a = &current_vcpu()->arch;
    struct trap_info ti;

    if (!table) {
        memset(a->trap_address, 0, sizeof(a->trap_address));
        memset(a->trap_flags, 0, sizeof(a->trap_flags));
        return 0;
    }
    for (unsigned int i = 0; i < 256; i++, table += sizeof(ti)) {
        if (copy_from_guest(&ti, table, sizeof(ti)))
            return -EFAULT;
        if (!ti.address)
            return 0;
        if (!is_canonical(ti.address))
            return -EINVAL;
        a->trap_address[ti.vector] = ti.address;
        a->trap_flags[ti.vector] = ti.flags;
    }
    return 0;
}
