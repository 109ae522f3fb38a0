/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and their lifecycle: creating one with its vCPUs and shared_info,
 * handing it frames, stopping it (shutdown or crash), and destroying it
 * with every frame returned to the allocator.
 *
 * Model. A domain is RUNNING until it shuts down or crashes; its vCPUs
 * then stop (schedule.c: only a running domain's vCPUs may run), dom0 is
 * told (VIRQ_DOM_EXC), and its on_poweroff / on_crash action is applied:
 * destroy (the default), restart (the builder makes it again) or preserve
 * (kept, stopped, for the debug console). Destroying marks it DYING and
 * hands it to the reaper, which tears it down once no CPU runs any of its
 * vCPUs any more, because a vCPU's hypervisor stack is freed with it. The
 * reaper runs at softirq points (REAP_SOFTIRQ, raised by domain_kill()
 * and by a CPU leaving a dying domain's vCPU) and in the idle loop, so on
 * whatever stack the CPU is on then, never one of the domain's own. dom0
 * cannot be replaced: its shutdown or crash ends the machine.
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
 *  5. domains[id] is d from creation until the reaper has torn it down
 *     (its frames find their owner until then). Code that uses another
 *     domain than its own holds a reference (domain_get/domain_put), which
 *     a dying domain no longer gives (domain_get_any still does, until the
 *     reaper takes it: d->reaping); the reaper tears d down only once it
 *     is dying, taken, and unreferenced.
 *  6. The reaper frees d only when every vCPU of d is descheduled
 *     (vcpu_descheduled: no CPU runs it, has picked it to run next, or is
 *     still saving it), and after every timer of d is killed, so no
 *     callback and no CPU runs on freed memory. While a domain is dying,
 *     every CPU that leaves a vCPU (it may be that domain's last), and
 *     domain_kill(), raise REAP_SOFTIRQ on themselves, so the reaper looks
 *     again soon even when no CPU idles.
 *
 * Locks: domlist_lock protects domains[] writes and reap_list; readers of
 * domains[] use READ_ONCE (a domain is freed only by the reaper, after it
 * is unlisted and nothing can reach it by id).
 */
#include <stdarg.h>
#include <public/sched.h>
#include <satori/bug.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/event.h>
#include <satori/grant_table.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/panic.h>
#include <satori/pirq.h>
#include <satori/sched.h>
#include <satori/softirq.h>
#include <satori/string.h>
#include <satori/time.h>
#include <satori/timer.h>
#include <asm/context.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/x86.h>

static struct domain *domains[MAX_DOMAINS];
static DEFINE_SPINLOCK(domlist_lock);   /* protects: domains[] updates, reap_list */
static struct list_head reap_list = LIST_HEAD_INIT(reap_list);
static unsigned int nr_domains;
static unsigned int nr_dying;           /* on reap_list (atomic reads: domain_reaper_kick) */

struct domain *domain_lookup(domid_t id)
{
    return id < MAX_DOMAINS ? READ_ONCE(domains[id]) : NULL;
}

/* A reference on domain id; a dying one only if dying_too (invariant 5). */
static struct domain *get_reference(domid_t id, bool dying_too)
{
    uint64_t flags = spin_lock_irqsave(&domlist_lock);
    struct domain *d = id < MAX_DOMAINS ? domains[id] : NULL;

    if (d && (d->reaping || (d->state == DOMAIN_DYING && !dying_too)))
        d = NULL;
    if (d)
        __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_SEQ_CST);
    spin_unlock_irqrestore(&domlist_lock, flags);
    return d;
}

struct domain *domain_get(domid_t id)
{
    return get_reference(id, false);
}

struct domain *domain_get_any(domid_t id)
{
    return get_reference(id, true);
}

int domain_inspect_from(domid_t first, void (*fn)(struct domain *d, void *arg), void *arg)
{
    uint64_t flags = spin_lock_irqsave(&domlist_lock);
    int found = -ESRCH;

    /* Listed means not freed (invariant 5): no reference is needed under the lock. */
    for (unsigned int id = first; id < MAX_DOMAINS && found < 0; id++) {
        if (domains[id]) {
            fn(domains[id], arg);
            found = (int)id;
        }
    }
    spin_unlock_irqrestore(&domlist_lock, flags);
    return found;
}

void domain_put(struct domain *d)
{
    __atomic_fetch_sub(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

unsigned int domains_alive(void)
{
    return READ_ONCE(nr_domains);
}

int domain_alloc_id(void)
{
    for (unsigned int id = 1; id < MAX_DOMAINS; id++)
        if (!READ_ONCE(domains[id]))
            return (int)id;
    return -ENOSPC;
}

static void vcpu_free(struct vcpu *v)
{
    kill_timer(&v->singleshot_timer);
    kill_timer(&v->poll_timer);
    kill_timer(&v->periodic_timer);
    arch_vcpu_destroy(v);
    xfree(v);
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(struct vcpu);

    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->kernel_mode = true;
    v->runstate.state = RUNSTATE_offline;
    v->dirty_cpu = VCPU_CPU_CLEAN;
    if (arch_vcpu_create(v) || sched_add_vcpu(v, SCHED_CPU_ALL)) {
        arch_vcpu_destroy(v);
        xfree(v);
        return NULL;
    }
    return v;
}

/* Everything domain_create() made, in reverse; d's vCPUs are not running. */
static void domain_free(struct domain *d)
{
    BUG_ON(d->dirty_cpumask);            /* context.c invariant 4: on no CPU */
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        if (!d->vcpu[i])
            continue;
        sched_remove_vcpu(d->vcpu[i]);
        vcpu_free(d->vcpu[i]);
    }
    for (unsigned int i = 0; i < NR_DOMAIN_WATCHDOG_TIMERS; i++)
        kill_timer(&d->watchdog[i]);
    grant_table_destroy(d);
    evtchn_destroy(d);
    pirq_domain_free(d);
    if (d->shared_info)
        domain_relinquish_shared_info(d);
    xfree(d);
}

struct domain *domain_create(domid_t id, bool privileged, unsigned int max_vcpus)
{
    struct domain *d;
    struct page_info *pg;
    uint64_t flags;

    if (!max_vcpus || max_vcpus > MAX_VIRT_CPUS_PER_DOMAIN || id >= MAX_DOMAINS)
        return NULL;
    d = xzalloc(struct domain);
    if (!d)
        return NULL;
    d->domain_id = id;
    d->privileged = privileged;
    d->max_vcpus = max_vcpus;
    d->weight = SCHED_DEFAULT_WEIGHT;
    snprintf(d->name, sizeof(d->name), id ? "d%u" : "dom0", id);
    spin_lock_init(&d->page_lock);
    spin_lock_init(&d->console_lock);
    list_init(&d->pages);
    pg = alloc_pages(0);
    if (!pg)
        goto fail;
    pg->owner = id;
    pg->count_info = PGC_allocated | 1;
    pg->type_info = PGT_writable_page;
    d->shared_info_mfn = page_to_mfn(pg);
    d->shared_info = page_to_virt(pg);
    memset(d->shared_info, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < MAX_VIRT_CPUS_PER_DOMAIN; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;   /* events off at start */
    if (evtchn_init(d))
        goto fail;
    if (grant_table_init(d))
        goto fail;
    for (unsigned int i = 0; i < max_vcpus; i++)
        if (!(d->vcpu[i] = vcpu_create(d, i)))
            goto fail;
    flags = spin_lock_irqsave(&domlist_lock);
    if (domains[id]) {
        spin_unlock_irqrestore(&domlist_lock, flags);
        goto fail;
    }
    WRITE_ONCE(domains[id], d);
    nr_domains++;
    spin_unlock_irqrestore(&domlist_lock, flags);
    return d;
fail:
    domain_free(d);
    return NULL;
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

/* Every vCPU of d leaves its CPU at its next scheduling point. */
static void domain_stop_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_sleep_nosync(d->vcpu[i]);
}

void domain_kill(struct domain *d)
{
    uint64_t flags = spin_lock_irqsave(&domlist_lock);

    if (d->state == DOMAIN_DYING) {
        spin_unlock_irqrestore(&domlist_lock, flags);
        return;
    }
    WRITE_ONCE(d->state, DOMAIN_DYING);
    list_add_tail(&d->reap_elem, &reap_list);
    __atomic_add_fetch(&nr_dying, 1, __ATOMIC_SEQ_CST);
    spin_unlock_irqrestore(&domlist_lock, flags);
    domain_stop_vcpus(d);
    domain_reaper_kick();
}

void domain_reaper_kick(void)
{
    if (__atomic_load_n(&nr_dying, __ATOMIC_SEQ_CST))
        raise_softirq(REAP_SOFTIRQ);    /* this CPU, at its next softirq point */
}

/* Invariant 6: no CPU runs a vCPU of d, is about to, or still saves one. */
static bool domain_on_cpus(const struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i] && !vcpu_descheduled(d->vcpu[i]))
            return true;
    return false;
}

/* Tears d down (invariant 6) and, for a restart, builds it again. */
static void domain_destroy(struct domain *d)
{
    domid_t id = d->domain_id;
    const void *restart = d->stop_action == DOMU_RESTART ? d->boot_config : NULL;
    struct domain *dom0;
    uint64_t flags;

    while (__atomic_load_n(&d->refcnt, __ATOMIC_SEQ_CST))
        cpu_relax();                    /* invariant 5: hypercalls elsewhere still use it */
    arch_domain_audit(d);
    evtchn_close_all(d);
    grant_table_release_mappings(d);
    domain_relinquish_memory(d);        /* frames find d as their owner until here */
    flags = spin_lock_irqsave(&domlist_lock);
    WRITE_ONCE(domains[id], NULL);
    nr_domains--;
    spin_unlock_irqrestore(&domlist_lock, flags);
    domain_free(d);
    printk("d%u: destroyed; %lu pages free\n", id, heap_free_pages());
    dom0 = domain_lookup(0);            /* never torn down: no reference needed */
    if (dom0 && id != 0)
        evtchn_send_global_virq(dom0, VIRQ_DOM_EXC);   /* as Xen, when a domain is gone */
    if (restart)
        domain_restart(restart);
    if (!domains_alive()) {
        for (unsigned int cpu = 0; cpu < nr_cpus_online; cpu++)
            printk("CPU %u: halted %ld ms of %ld ms\n", cpu, cpu_halted_ns(cpu) / 1000000,
                   NOW() / 1000000);
        pr_always("No domain left: powering off\n");
        machine_power_off();
    }
}

/*
 * Takes the first dying domain that no CPU runs, true if there was one.
 * The list is emptied under the lock and checked outside it (the check
 * takes the scheduler lock, which nests outside domlist_lock); domains
 * still on a CPU go back.
 */
static bool reap_one(void)
{
    struct list_head waiting;
    struct domain *d = NULL;
    uint64_t flags;

    list_init(&waiting);
    flags = spin_lock_irqsave(&domlist_lock);
    list_move_all(&reap_list, &waiting);
    spin_unlock_irqrestore(&domlist_lock, flags);
    while (!list_empty(&waiting)) {
        struct domain *c = list_first_entry(&waiting, struct domain, reap_elem);
        bool take = !d && !domain_on_cpus(c);

        list_del(&c->reap_elem);
        flags = spin_lock_irqsave(&domlist_lock);
        if (take) {
            d = c;
            d->reaping = true;           /* invariant 5: no reference from now on */
            __atomic_sub_fetch(&nr_dying, 1, __ATOMIC_SEQ_CST);
        } else {
            list_add_tail(&c->reap_elem, &reap_list);
        }
        spin_unlock_irqrestore(&domlist_lock, flags);
    }
    if (d)
        domain_destroy(d);
    return d != NULL;
}

void domain_reap(void)
{
    while (reap_one())
        ;
}

/* What happens to a stopped domain (module comment): dom0 ends the machine. */
static void domain_stopped(struct domain *d)
{
    struct domain *dom0;

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
    domain_stop_vcpus(d);
    dom0 = domain_lookup(0);            /* never torn down: no reference needed */
    if (dom0)
        evtchn_send_global_virq(dom0, VIRQ_DOM_EXC);
    d->stop_action = d->state == DOMAIN_CRASHED ? d->on_crash : d->on_poweroff;
    if (d->stop_action != DOMU_PRESERVE)
        domain_kill(d);
}

void __noreturn domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    BUG_ON(!current_vcpu() || current_vcpu()->domain != d);
    pr_always("d%u crashed: %s\n", d->domain_id, why);
    /* Only a running domain changes state: a dying one stays dying (one reap). */
    if (__atomic_compare_exchange_n(&d->state, &(enum domain_state){ DOMAIN_RUNNING },
                                    DOMAIN_CRASHED, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        d->shutdown_reason = SHUTDOWN_crash;
        d->is_shut_down = true;
        domain_stopped(d);
    }
    sched_exit_vcpu();
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    enum domain_state running = DOMAIN_RUNNING;

    if (!__atomic_compare_exchange_n(&d->state, &running, DOMAIN_SHUTDOWN, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return;                         /* stopped already */
    d->shutdown_reason = reason;
    d->is_shut_down = true;
    printk("d%u shut down, reason %u\n", d->domain_id, reason);
    if (d->domain_id == 0)
        arch_domain_audit(d);           /* others: when destroyed */
    domain_stopped(d);
}
