/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time domains: unprivileged PV domains started at boot from
 * multiboot modules, without a toolstack (in the spirit of Xen's
 * dom0less / hyperlaunch). A module whose command line starts with the
 * word "domU" is such a domain's kernel; the rest of the line is its
 * configuration (include/satori/domu_config.h, docs/boot-domains.md).
 *
 * A configuration or kernel that does not work stops that domain only,
 * with its reason on the console; the others, and dom0, start anyway.
 * The configuration outlives the domain, so on_poweroff=restart or
 * on_crash=restart builds it again (the lowest free domain id) after it is
 * destroyed, at most restarts= times.
 */
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/domu_config.h>
#include <satori/errno.h>
#include <satori/lib.h>
#include <satori/mm.h>
#include <satori/sched.h>
#include <satori/string.h>
#include <asm/mm.h>
#include <asm/pv.h>

struct boot_domu {
    struct domu_config cfg;
    const struct boot_module *mod;
    unsigned int index;             /* module number, for messages */
    char line[BOOTINFO_MODCMD_MAX]; /* cfg points into it */
};

bool boot_module_is_domu(const struct boot_module *m)
{
    return domu_config_is_domu(m->cmdline);
}

/* Creates, builds and starts the domain b describes; false on failure (said why). */
static bool domu_start(struct boot_domu *b)
{
    const struct domu_config *c = &b->cfg;
    struct pv_build_args a = {
        .kernel = __va(b->mod->start), .kernel_len = b->mod->end - b->mod->start,
        .cmdline = c->cmdline, .nr_pages = c->mem >> PAGE_SHIFT,
    };
    int id = domain_alloc_id();
    struct domain *d;
    char why[160], desc[48];

    if (id < 0) {
        pr_err("domU module %u: no free domain id\n", b->index);
        return false;
    }
    if (a.nr_pages + 64 > heap_free_pages()) {
        pr_err("domU module %u: mem=%lu MiB, but only %lu MiB are free\n", b->index,
               c->mem >> 20, heap_free_pages() >> (20 - PAGE_SHIFT));
        return false;
    }
    d = domain_create((domid_t)id, false, c->vcpus);
    if (!d) {
        pr_err("domU module %u: no memory for the domain structure\n", b->index);
        return false;
    }
    if (c->name[0])
        snprintf(d->name, sizeof(d->name), "%s", c->name);
    d->on_poweroff = c->on_poweroff;
    d->on_crash = c->on_crash;
    d->boot_config = b;
    if (domain_set_sched(d, c->weight, c->cap, c->cpus)) {
        pr_err("domU module %u: cpus= names no online CPU\n", b->index);
        domain_kill(d);
        return false;
    }
    snprintf(desc, sizeof(desc), "d%u kernel (module %u)", d->domain_id, b->index);
    a.kernel_desc = desc;
    if (pv_domain_build(d, &a, why, sizeof(why))) {
        pr_err("%s: not started\n", why);
        d->on_poweroff = d->on_crash = DOMU_DESTROY;
        domain_kill(d);
        return false;
    }
    printk("Starting d%u (%s): %u vCPU(s), weight %u, cap %u%%\n", d->domain_id, d->name,
           c->vcpus, c->weight, c->cap);
    vcpu_start(d->vcpu[0]);
    return true;
}

void domain_restart(const void *boot_config)
{
    struct boot_domu *b = (struct boot_domu *)boot_config;

    if (b->cfg.restarts == 0) {
        printk("domU module %u (%s): no restarts left\n", b->index, b->cfg.name);
        return;
    }
    if (b->cfg.restarts != ~0UL)
        b->cfg.restarts--;
    domu_start(b);
}

void domus_build(const struct boot_info *bi)
{
    for (unsigned int i = 0; i < bi->nr_mods; i++) {
        struct boot_domu *b;
        char why[160];

        if (!boot_module_is_domu(&bi->mods[i]))
            continue;
        b = xzalloc(struct boot_domu);
        if (!b) {
            pr_err("domU module %u: out of memory\n", i);
            continue;
        }
        b->mod = &bi->mods[i];
        b->index = i;
        memcpy(b->line, bi->mods[i].cmdline, sizeof(b->line));
        if (domu_config_parse(b->line, &b->cfg, why, sizeof(why))) {
            pr_err("domU module %u: %s: not started\n", i, why);
            xfree(b);
            continue;
        }
        if (!domu_start(b))
            xfree(b);
    }
}
