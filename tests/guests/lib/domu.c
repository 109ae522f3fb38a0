// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers for guests that use event channels and grant tables with events
 * masked (declared in lib/domu.h): command-line words, port waits by
 * SCHEDOP_poll, and the guest's own grant table.
 */
#include "domu.h"

const char *cmdline_arg(const char *key)
{
    const char *c = (const char *)start_info->cmd_line, *p = c;
    size_t n = strlen(key);

    while ((p = strstr(p, key))) {
        if ((p == c || p[-1] == ' ') && p[n] == '=')
            return p + n + 1;
        p += n;
    }
    return NULL;
}

unsigned long cmdline_num(const char *key, unsigned long dflt)
{
    const char *v = cmdline_arg(key);
    unsigned long n = 0;

    if (!v)
        return dflt;
    while (*v >= '0' && *v <= '9')
        n = n * 10 + (unsigned long)(*v++ - '0');
    return n;
}

bool cmdline_is(const char *key, const char *val)
{
    const char *v = cmdline_arg(key);
    size_t n = strlen(val);

    return v && !strncmp(v, val, n) && (v[n] == ' ' || !v[n]);
}

bool port_take(evtchn_port_t p)
{
    unsigned long bit = 1UL << (p % 64);

    return __atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~bit, __ATOMIC_SEQ_CST) & bit;
}

bool port_wait(evtchn_port_t p, uint64_t timeout_ns)
{
    uint64_t deadline = system_time_ns() + timeout_ns;

    while (!port_take(p)) {
        struct sched_poll sp = { .nr_ports = 1, .timeout = deadline };
        set_xen_guest_handle(sp.ports, &p);
        if (system_time_ns() >= deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
    }
    return true;
}

long port_send(evtchn_port_t p)
{
    struct evtchn_send s = { .port = p };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

void sleep_ns(uint64_t ns)
{
    struct sched_poll sp = { .nr_ports = 0, .timeout = system_time_ns() + ns };

    HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

int peek(const void *va)
{
    unsigned long v = 0;

    trap_reset();
    asm volatile("lea 9f(%%rip), %%rax\n\t"
                 "mov %%rax, trap_resume(%%rip)\n\t"
                 "movzbq (%1), %0\n"
                 "9:\n\t"
                 "movq $0, trap_resume(%%rip)"
                 : "+r"(v) : "r"(va) : "rax", "memory");
    return last_trap.taken ? -1 : (int)v;
}

int gnttab_map_own(void *win, unsigned int nr)
{
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = nr };
    uint64_t frames[16];
    long rc;

    if (nr > 16)
        return -EINVAL;
    set_xen_guest_handle(st.frame_list, frames);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (rc || st.status)
        return rc ? (int)rc : st.status;
    for (unsigned int i = 0; i < nr; i++) {
        rc = HYPERVISOR_update_va_mapping((char *)win + i * PAGE_SIZE,
                                          (frames[i] << PAGE_SHIFT) | PTE_RW, UVMF_INVLPG);
        if (rc)
            return (int)rc;
    }
    return 0;
}

void gnttab_grant(void *win, grant_ref_t ref, const void *page, domid_t dom, uint16_t flags)
{
    volatile grant_entry_v1_t *e = (volatile grant_entry_v1_t *)win + ref;

    e->domid = dom;
    e->frame = (uint32_t)virt_to_mfn(page);
    __sync_synchronize();                   /* the entry before its flags */
    e->flags = flags;
}

int16_t gnttab_map1(struct gnttab_map_grant_ref *op, uint64_t host, uint32_t flags,
                    grant_ref_t ref, domid_t dom)
{
    struct mmuext_op flush = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = host };
    long rc;

    memset(op, 0, sizeof(*op));
    op->host_addr = host;
    op->flags = flags;
    op->ref = ref;
    op->dom = dom;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, op, 1);
    if (rc)
        case_fail("map_grant_ref returned %ld", rc);
    if (op->status == GNTST_okay && (flags & GNTMAP_host_map) && !(flags & GNTMAP_contains_pte))
        HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF);
    return op->status;
}

int16_t gnttab_unmap1(uint64_t host, uint64_t dev, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = host, .dev_bus_addr = dev,
                                         .handle = handle, .status = 99 };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc)
        case_fail("unmap_grant_ref returned %ld", rc);
    return op.status;
}

int16_t gnttab_copy1(struct gnttab_copy *op)
{
    long rc;

    op->status = 99;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);
    if (rc)
        case_fail("copy returned %ld", rc);
    return op->status;
}

void page_restore(void *page)
{
    if (HYPERVISOR_update_va_mapping(page, (virt_to_mfn(page) << PAGE_SHIFT) | PTE_RW,
                                     UVMF_INVLPG))
        case_fail("restoring %p", page);
}

void flat_vcpu_context(struct vcpu_guest_context *ctx, void (*entry)(void), void *stack_top)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel;
    ctx->user_regs.rip = (unsigned long)entry;
    ctx->user_regs.rsp = (unsigned long)stack_top - 8;
    ctx->user_regs.cs = FLAT_KERNEL_CS64;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.rflags = 0x202;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = ctx->user_regs.rsp;
    ctx->ctrlreg[3] = virt_to_mfn((void *)start_info->pt_base) << PAGE_SHIFT;
}
