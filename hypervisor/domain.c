/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain and vCPU lifecycle, as far as it goes today: creating dom0 with
 * its vCPUs and shared_info, handing it frames, and stopping it (shutdown
 * or crash). With only dom0, stopping it stops the machine; destroying a
 * domain and returning its frames comes with the multi-domain work.
 *
 * Invariants:
 *  1. Every frame on d->pages has owner == d->domain_id and is in use:
 *     allocated (PGC_allocated), or given back but still referenced.
 *  2. d->tot_pages == the length of d->pages.
 *  3. A frame leaves d->pages only at its last put (domain_free_page), when
 *     XENMEM_exchange takes it, or when domain_relinquish_memory() orphans
 *     it; none joins once d->pages_closed is set.
 *  4. A hypervisor page d may map (its shared_info) has owner d but is on
 *     no list (page_listed() is false) and is not counted in tot_pages;
 *     d cannot give it back.
 */
#include <stdarg.h>
#include <public/sched.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/event.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/string.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/x86.h>

static struct domain *domains[MAX_DOMAINS];   /* by id; written once at creation */

struct domain *domain_lookup(domid_t id)
{
    return id < MAX_DOMAINS ? READ_ONCE(domains[id]) : NULL;
}

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus)
{
    struct domain *d;
    struct page_info *pg;

    if (!max_vcpus || max_vcpus > MAX_VIRT_CPUS_PER_DOMAIN || id >= MAX_DOMAINS || domains[id])
        return NULL;
    d = xzalloc(struct domain);
    if (!d)
        return NULL;
    d->domain_id = id;
    d->privileged = privileged;
    d->max_vcpus = max_vcpus;
    spin_lock_init(&d->page_lock);
    list_init(&d->pages);
    pg = alloc_pages(0);
    if (!pg)
        return NULL;
    pg->owner = id;
    pg->count_info = PGC_allocated | 1;
    pg->type_info = PGT_writable_page;
    d->shared_info_mfn = page_to_mfn(pg);
    d->shared_info = page_to_virt(pg);
    memset(d->shared_info, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < MAX_VIRT_CPUS_PER_DOMAIN; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;   /* events off at start */
    for (unsigned int i = 0; i < max_vcpus; i++) {
        struct vcpu *v = xzalloc(struct vcpu);
        if (!v)
            return NULL;
        v->vcpu_id = i;
        v->domain = d;
        v->kernel_mode = true;
        d->vcpu[i] = v;
    }
    if (evtchn_init(d))
        return NULL;
    WRITE_ONCE(domains[id], d);
    return d;
}

bool domain_assign_pages(struct domain *d, struct page_info *pg, unsigned int order, bool limit)
{
    uint64_t n = 1ULL << order, flags = spin_lock_irqsave(&d->page_lock);
    bool ok = !d->pages_closed && (!limit || d->tot_pages + n <= d->max_pages);

    for (uint64_t i = 0; ok && i < n; i++) {
        pg[i].owner = d->domain_id;
        pg[i].count_info = PGC_allocated | 1;
        pg[i].type_info = PGT_writable_page;
        list_add_tail(&pg[i].list, &d->pages);
    }
    if (ok)
        d->tot_pages += n;
    spin_unlock_irqrestore(&d->page_lock, flags);
    return ok;
}

struct page_info *domain_alloc_page(struct domain *d)
{
    struct page_info *pg = alloc_pages(0);

    if (pg && !domain_assign_pages(d, pg, 0, false)) {
        free_pages(pg, 0);
        pg = NULL;
    }
    return pg;
}

struct page_info *alloc_guest_pages(unsigned int order, unsigned int address_bits)
{
    struct page_info *pg = alloc_pages(order);

    if (!pg)
        return NULL;
    /* One zone: a block above the limit is simply not good enough. */
    if (address_bits && address_bits < 64 &&
        mfn_x(page_to_mfn(pg)) + (1ULL << order) > (1ULL << address_bits) >> PAGE_SHIFT) {
        free_pages(pg, order);
        return NULL;
    }
    /* The heap also holds pages the hypervisor freed without scrubbing. */
    for (uint64_t i = 0; i < (1ULL << order); i++)
        clear_page(page_to_virt(&pg[i]));
    return pg;
}

struct page_info *domain_alloc_pages(struct domain *d, unsigned int order,
                                     unsigned int address_bits)
{
    struct page_info *pg;

    if (READ_ONCE(d->tot_pages) + (1ULL << order) > READ_ONCE(d->max_pages))
        return NULL;                     /* rechecked under the lock */
    pg = alloc_guest_pages(order, address_bits);
    if (pg && !domain_assign_pages(d, pg, order, true)) {
        free_pages(pg, order);
        pg = NULL;
    }
    return pg;
}

void domain_unlist_page(struct domain *d, struct page_info *pg)
{
    uint64_t flags = spin_lock_irqsave(&d->page_lock);

    list_del(&pg->list);
    d->tot_pages--;
    spin_unlock_irqrestore(&d->page_lock, flags);
}

void domain_free_page(struct domain *d, struct page_info *pg)
{
    /* A hypervisor page d could map (shared_info) was never on d->pages. */
    if (d && page_listed(pg))
        domain_unlist_page(d, pg);
    pg->type_info = 0;
    pg->owner = DOMID_INVALID;
    clear_page(page_to_virt(pg));        /* no guest data lingers in the heap */
    free_pages(pg, 0);
}

struct vcpu *current_vcpu(void)
{
    return this_pcpu()->curr_vcpu;
}

void set_current_vcpu(struct vcpu *v)
{
    this_pcpu()->curr_vcpu = v;
}

/* Nothing else runs on a CPU whose domain stopped: idle it for good. */
static void __noreturn stop_this_domain(struct domain *d)
{
    if (d->domain_id == 0) {
        if (d->state == DOMAIN_SHUTDOWN && d->shutdown_reason == SHUTDOWN_reboot) {
            pr_always("dom0 asked for a reboot: restarting the machine\n");
            machine_restart();
        }
        if (d->state == DOMAIN_CRASHED)
            panic_after_dump("dom0 crashed");
        pr_always("dom0 shut down (%s): halting the machine\n",
                  d->shutdown_reason == SHUTDOWN_poweroff ? "poweroff" : "other reason");
        machine_power_off();
    }
    set_current_vcpu(NULL);
    mm_load_idle_page_tables();
    local_irq_enable();
    for (;;)
        halt();
}

void __noreturn domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    d->state = DOMAIN_CRASHED;
    d->shutdown_reason = SHUTDOWN_crash;
    pr_always("d%u crashed: %s\n", d->domain_id, why);
    stop_this_domain(d);
}

void __noreturn domain_shutdown(struct domain *d, unsigned int reason)
{
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_reason = reason;
    printk("d%u shut down, reason %u\n", d->domain_id, reason);
    arch_domain_audit(d);
    stop_this_domain(d);
}
