/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch: one table, indexed by hypercall number, of the
 * handler and who may call it. An empty or out-of-range slot is -ENOSYS.
 * Arguments come in rdi, rsi, rdx, r10, r8 (Xen's 64-bit ABI); the result
 * goes back in rax.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <asm/pv.h>

struct hypercall_entry {
    hypercall_fn_t fn;
    bool privileged_only;
};

static const struct hypercall_entry hypercall_table[] = {
    [__HYPERVISOR_xen_version] = { do_xen_version, false },
    [__HYPERVISOR_console_io] = { do_console_io, false },
    [__HYPERVISOR_sched_op] = { do_sched_op, false },
};

/* Clamps a guest-controlled index after the bounds check, against speculation. */
static inline uint64_t array_index_nospec(uint64_t idx, uint64_t size)
{
    uint64_t mask;

    __asm__("cmp %[size], %[idx]; sbb %[mask], %[mask]"
            : [mask] "=r"(mask) : [idx] "r"(idx), [size] "r"(size) : "cc");
    return idx & mask;
}

void hypercall_dispatch(struct cpu_regs *regs)
{
    uint64_t nr = regs->rax;
    const struct hypercall_entry *e;
    struct vcpu *v = current_vcpu();

    if (nr >= ARRAY_SIZE(hypercall_table)) {
        regs->rax = (uint64_t)-ENOSYS;
        return;
    }
    e = &hypercall_table[array_index_nospec(nr, ARRAY_SIZE(hypercall_table))];
    if (!e->fn) {
        regs->rax = (uint64_t)-ENOSYS;
        return;
    }
    if (e->privileged_only && !v->domain->privileged) {
        regs->rax = (uint64_t)-EPERM;
        return;
    }
    regs->rax = (uint64_t)e->fn(regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8);
}
