/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multicall (13): a batch of hypercalls in one trap. Each 64-byte entry
 * (op, result, args[6]) is read from the guest, dispatched through the one
 * hypercall table (hypercall_call), and its result written back.
 *
 * Invariants:
 *  1. Entries run in order; each result is stored before the next runs.
 *  2. A multicall inside a multicall is refused (-EINVAL as that entry's
 *     result), so the batch cannot recurse.
 *  3. An entry or result the guest cannot read or write ends the batch
 *     with -EFAULT; entries before it have run. Entry failures are only
 *     their results: the multicall itself returns 0.
 *
 * No preemption yet: a batch runs to its end (Linux's are short).
 */
#include <public/xen.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/uaccess.h>

_Static_assert(sizeof(struct multicall_entry) == 64, "multicall entry ABI");

long do_multicall(uint64_t list, uint64_t nr, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct multicall_entry e;

    (void)a3, (void)a4, (void)a5;
    for (uint32_t i = 0; i < (uint32_t)nr; i++) {
        uint64_t at = list + (uint64_t)i * sizeof(e);
        long result;

        if (copy_from_guest(&e, at, sizeof(e)))
            return -EFAULT;
        if (e.op == __HYPERVISOR_multicall)
            result = -EINVAL;                        /* invariant 2 */
        else
            result = hypercall_call(e.op, e.args);
        if (copy_to_guest(at + offsetof(struct multicall_entry, result), &result,
                          sizeof(result)))
            return -EFAULT;
    }
    return 0;
}
