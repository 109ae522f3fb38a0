/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Debug builds: when a PV domain shuts down, recount every reference its
 * frames should hold (hypervisor/page_audit.c) and report any frame whose
 * counts disagree. The references held outside page tables are the
 * vCPUs' page-table bases, installed GDT and LDT frames, registered
 * vcpu_info frames and what grant tables hold (grant_table_audit_holders:
 * table frames, device mappings, other domains' grant PTEs). The boot and guest
 * tests look for the "consistent" line, in particular after the fuzzing
 * guest's 100,000 random hypercalls.
 *
 * dom0's shutdown stops the machine, so its memory is then relinquished as
 * at a domain's destroy (relinquish.c): every frame on its page list must
 * come back to the heap, which relinquish.c's "relinquish d0" line shows
 * (the guest tests check it). Its shared_info stays: timers may still
 * raise events until the machine stops.
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/grant_table.h>
#include <satori/mm.h>
#include <satori/page_audit.h>
#include <satori/pirq.h>
#include <asm/mm.h>
#include "pv_mm.h"

#define MAX_HOLDERS (MAX_VIRT_CPUS_PER_DOMAIN * 32 + 1)   /* + the pirq EOI bitmap */

static void report(void *ctx, uint64_t mfn, const struct audit_count *want,
                   const struct audit_count *have)
{
    unsigned long *shown = ctx;

    if ((*shown)++ < 8)
        pr_always("  frame %lx: general %u type %u, recount says %u and %u%s\n", mfn,
                  have->general, have->type, want->general, want->type,
                  want->mapped_writable ? " (mapped writable)" : "");
}

static unsigned int collect_holders(const struct domain *d, uint64_t *h)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        if (v->guest_cr3)
            h[n++] = v->guest_cr3 >> PAGE_SHIFT;
        if (v->guest_user_cr3)
            h[n++] = v->guest_user_cr3 >> PAGE_SHIFT;
        for (unsigned int f = 0; f < v->arch.gdt_nr_frames; f++)
            h[n++] = v->arch.gdt_frames[f];
        for (unsigned int f = 0; f < v->arch.ldt_nr_frames; f++)
            h[n++] = v->arch.ldt_frames[f];
        if (v->vcpu_info)
            h[n++] = mfn_x(v->vcpu_info_mfn);
    }
    if (pirq_eoi_map_mfn(d))
        h[n++] = pirq_eoi_map_mfn(d);
    return n;
}

static unsigned int order_for(uint64_t bytes)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    return order;
}

void arch_domain_audit(struct domain *d)
{
    /* Grant holds first: grant locks nest outside the MMU lock. */
    unsigned int max = MAX_HOLDERS + grant_table_audit_holders(d, NULL, 0) + 64;
    unsigned int order = order_for(max_page * sizeof(struct audit_count));
    unsigned int h_order = order_for(max * sizeof(uint64_t)), nr_holders;
    uint64_t *holders = alloc_heap_pages(h_order);
    struct audit_count *scratch = alloc_heap_pages(order);
    unsigned long bad, shown = 0;

    if (!scratch || !holders) {
        pr_warn("frame table audit d%u: no memory for the recount\n", d->domain_id);
        free_heap_pages(scratch, order);
        free_heap_pages(holders, h_order);
        return;
    }
    nr_holders = collect_holders(d, holders);
    nr_holders += grant_table_audit_holders(d, holders + nr_holders, max - nr_holders);
    pv_mm_lock();
    bad = page_audit(&pv_pt_env, d->domain_id, max_page, holders, MIN(nr_holders, max),
                     scratch, report, &shown);
    pv_mm_unlock();
    free_heap_pages(scratch, order);
    free_heap_pages(holders, h_order);
    if (bad)
        pr_always("frame table audit d%u: %lu frame(s) inconsistent\n", d->domain_id, bad);
    else
        printk("frame table audit d%u: %lu frames, consistent\n", d->domain_id, d->tot_pages);
    if (d->domain_id == 0) {
        mm_load_idle_page_tables();      /* its L4 is about to go */
        grant_table_release_mappings(d); /* as at a destroy: its grant maps first */
        domain_relinquish_memory(d);
    }
}
