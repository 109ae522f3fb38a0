/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical interrupts for PV domains, the Xen way: the machine's IRQs
 * (I/O APIC pins, numbered as Xen numbers them), a domain's pirqs mapped
 * onto them (hypervisor/pirq_table.c), a pirq bound to an event channel
 * (EVTCHNOP_bind_pirq), and the interrupt handler that turns an IRQ into
 * that event. physdev_op (arch/x86/pv/physdev.c) is the guest's interface.
 *
 * Model. IRQ n < 16 is ISA IRQ n, on the GSI the MADT's overrides give it;
 * IRQ n >= 16 is GSI n. Each IRQ is free, the hypervisor's (IRQ 0, the
 * timer's, which no domain may map; IRQ 2, the 8259 cascade; IRQ 4, COM1,
 * the console's: these can be mapped but never bound, as on Xen), or bound
 * to one pirq of one domain. Binding gives the IRQ a vector (0x30-0xef,
 * kept once taken) and unmasks its pin, routed to the boot CPU. An
 * interrupt raises the pirq's port; an edge IRQ is acknowledged at once,
 * a level one is masked at its pin, acknowledged, and stays masked until
 * the domain's PHYSDEVOP_eoi (Xen's "unmask" acknowledgement). Whether a
 * pirq needs that EOI is in the domain's EOI bitmap (pirq_eoi_gmfn), set
 * at bind for level IRQs. Satori has no MSI: MSI pirqs are refused.
 *
 * Invariants:
 *  1. irqs[i].owner == IRQ_GUEST with (d, p) only if d's pirq p is mapped
 *     to IRQ i and bound (port != 0); its pin is then unmasked unless p is
 *     masked (delivered, level, EOI due). (The converse fails only for a
 *     pirq unmapped while bound and mapped again before its port closed:
 *     Xen allows that, and the new IRQ is not bound.)
 *  2. Every pin not bound to a domain is masked, except an edge pin dom0
 *     unmasked with PHYSDEVOP_apic_write (its interrupts are dropped).
 *  3. vector_irq[v] == i iff irqs[i].vector == v.
 *  4. A domain with an EOI bitmap holds its frame writable (released at
 *     relinquish).
 *
 * Locks: pirq_lock protects irqs[], vector_irq[] and every domain's pirq
 * table and EOI-bitmap fields. It is taken with interrupts off (the
 * handler takes it) and nests outside evtchn_lock (a pirq's event is
 * raised under it) and ioapic_lock. The MMU lock and xmalloc are used
 * outside it. event_channel.c calls in without its own lock held.
 */
#include <public/physdev.h>
#include <satori/bug.h>
#include <satori/compiler.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/mm.h>
#include <satori/nospec.h>
#include <satori/pirq.h>
#include <satori/spinlock.h>
#include <satori/string.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io_apic.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/pirq.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <asm/x86.h>

enum irq_owner { IRQ_FREE, IRQ_HYPERVISOR, IRQ_GUEST };

struct irq_desc {
    struct irq_route route;             /* pin (gsi, -1: none), trigger, polarity */
    uint8_t vector;                     /* 0: none yet */
    uint8_t owner;                      /* enum irq_owner */
    bool programmed;                    /* PHYSDEVOP_setup_gsi done (Xen's pin_programmed) */
    const char *name;                   /* IRQ_HYPERVISOR: its user */
    struct domain *d;                   /* IRQ_GUEST: the domain and its pirq */
    uint32_t pirq;
    uint64_t count;                     /* interrupts taken */
};

/* A domain's pirq state, allocated on first use. */
struct pirq_domain {
    uint64_t eoi_mfn;                   /* the EOI bitmap's frame; 0: none */
    uint8_t *eoi_map;                   /* its direct-map view */
    bool auto_unmask;                   /* pirq_eoi_gmfn_v1: EOI also unmasks the port */
    struct pirq_table t;                /* last: its pirqs follow */
};

#define NO_IRQ 0xffff

static DEFINE_SPINLOCK(pirq_lock);      /* protects: irqs, vector_irq, d->pirq contents */
static struct irq_desc irqs[PIRQ_MAX_IRQS];
static uint16_t vector_irq[256] = { [0 ... 255] = NO_IRQ };
static unsigned int nr_gsis = PIRQ_LEGACY_IRQS;   /* Xen's nr_irqs_gsi */

static void irq_interrupt(struct cpu_regs *regs);

static void reserve(unsigned int irq, const char *name)
{
    irqs[irq].owner = IRQ_HYPERVISOR;
    irqs[irq].name = name;
}

void irq_init(const struct acpi_madt_info *madt)
{
    static struct irq_route routes[PIRQ_MAX_IRQS];

    ioapic_init(madt);
    if (ioapic_nr_gsis() > nr_gsis)
        nr_gsis = ioapic_nr_gsis();
    irq_route_build(madt->overrides, MIN(madt->nr_overrides, ACPI_MAX_OVERRIDES), nr_gsis,
                    routes);
    for (unsigned int i = 0; i < nr_gsis; i++) {
        irqs[i].route = routes[i];
        if (!ioapic_count())
            irqs[i].route.gsi = -1;     /* no I/O APIC: nothing can be delivered */
    }
    reserve(0, "timer");                /* the PIT's: no domain may map it (as Xen) */
    reserve(2, "cascade");              /* the 8259s' */
    reserve(4, "console");              /* COM1, the console's UART */
    printk("IRQs: %u GSIs; IRQ 0 on GSI %d\n", nr_gsis, irqs[0].route.gsi);
}

unsigned int irq_nr_gsis(void)
{
    return nr_gsis;
}

unsigned int irq_nr_irqs(void)
{
    return MAX(16 + nr_cpus_online * PIRQ_DYNAMIC_VECTORS, 8 * nr_gsis);
}

/* ---- domains' pirq state ----------------------------------------------- */

static struct pirq_domain *pirq_domain(struct domain *d)
{
    struct pirq_domain *pd = __atomic_load_n(&d->pirq, __ATOMIC_ACQUIRE), *none = NULL;
    unsigned int n;

    if (pd)
        return pd;
    n = pirq_nr_for(d->privileged, nr_gsis, nr_cpus_online, d->max_vcpus);
    pd = xzalloc_bytes(__builtin_offsetof(struct pirq_domain, t) + pirq_table_size(n));
    if (!pd)
        return NULL;
    pirq_table_init(&pd->t, n, nr_gsis, d->privileged);
    if (!__atomic_compare_exchange_n(&d->pirq, &none, pd, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        xfree(pd);
        pd = none;                      /* another vCPU's came first */
    }
    return pd;
}

unsigned int pirq_nr_pirqs(struct domain *d)
{
    struct pirq_domain *pd = pirq_domain(d);

    return pd ? pd->t.nr_pirqs : pirq_nr_for(d->privileged, nr_gsis, nr_cpus_online,
                                             d->max_vcpus);
}

uint64_t pirq_eoi_map_mfn(const struct domain *d)
{
    return d->pirq ? d->pirq->eoi_mfn : 0;
}

/* Caller holds pirq_lock. Invariant 4: bit pirq of the EOI bitmap, if any. */
static void set_eoi_bit(struct pirq_domain *pd, unsigned int pirq, bool on)
{
    uint8_t *b;

    if (!pd->eoi_map || pirq >= PIRQ_EOI_MAP_BITS)
        return;
    b = &pd->eoi_map[pirq / 8];
    if (on)
        __atomic_fetch_or(b, (uint8_t)(1u << (pirq % 8)), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(b, (uint8_t)~(1u << (pirq % 8)), __ATOMIC_SEQ_CST);
}

/* ---- the hardware side --------------------------------------------------- */

/* Caller holds pirq_lock. Invariant 3: irq's vector, taken on first need. */
static int irq_vector(unsigned int irq)
{
    if (irqs[irq].vector)
        return irqs[irq].vector;
    for (unsigned int v = VECTOR_DEVICE_FIRST; v <= VECTOR_DEVICE_LAST; v++) {
        if (vector_irq[v] != NO_IRQ)
            continue;
        vector_irq[v] = (uint16_t)irq;
        irqs[irq].vector = (uint8_t)v;
        set_irq_handler(v, irq_interrupt);
        return (int)v;
    }
    return -ENOSPC;
}

/* Caller holds pirq_lock. Programs irq's pin from its route, to the boot CPU. */
static void program_pin(unsigned int irq, bool masked)
{
    const struct irq_desc *desc = &irqs[irq];
    struct ioapic_rte rte = {
        .vector = desc->vector, .delivery = IOAPIC_DM_FIXED, .active_low = desc->route.active_low,
        .level = desc->route.level, .masked = masked, .dest = (uint8_t)pcpus[0].apic_id,
    };

    if (desc->route.gsi >= 0)
        ioapic_write_rte((unsigned int)desc->route.gsi, &rte);
}

static void mask_pin(unsigned int irq, bool masked)
{
    if (irqs[irq].route.gsi >= 0)
        ioapic_set_masked((unsigned int)irqs[irq].route.gsi, masked);
}

/* Caller holds pirq_lock. Invariant 1: irq is no longer bound; its pin is masked. */
static void irq_release(unsigned int irq)
{
    struct irq_desc *desc = &irqs[irq];

    desc->owner = IRQ_FREE;
    desc->d = NULL;
    desc->pirq = 0;
    mask_pin(irq, true);
}

/*
 * An interrupt of a routed IRQ, interrupts off. The bound domain's port is
 * raised under pirq_lock, so the domain cannot go meanwhile (it unbinds
 * under the same lock before it is freed).
 */
static void irq_interrupt(struct cpu_regs *regs)
{
    unsigned int irq = vector_irq[regs->entry_vector & 0xff];
    struct irq_desc *desc;
    struct pirq_entry *e;

    spin_lock(&pirq_lock);
    if (irq == NO_IRQ) {
        apic_eoi();
        spin_unlock(&pirq_lock);
        return;
    }
    desc = &irqs[irq];
    desc->count++;
    if (desc->route.level)
        mask_pin(irq, true);            /* until the EOI (or for good if unbound) */
    apic_eoi();
    if (desc->owner == IRQ_GUEST) {
        e = &desc->d->pirq->t.pirq[desc->pirq];
        e->masked = desc->route.level;
        evtchn_send_pirq(desc->d, e->port, desc->pirq);
    }
    spin_unlock(&pirq_lock);
}

void irq_dump(void)
{
    uint64_t flags = spin_lock_irqsave(&pirq_lock);

    for (unsigned int i = 0; i < nr_gsis; i++) {
        const struct irq_desc *desc = &irqs[i];
        if (desc->owner == IRQ_FREE && !desc->vector)
            continue;
        printk("IRQ %u: GSI %d, vector 0x%x, %s %s, %lu interrupt(s), ", i, desc->route.gsi,
               desc->vector, desc->route.level ? "level" : "edge",
               desc->route.active_low ? "low" : "high", desc->count);
        if (desc->owner == IRQ_GUEST)
            printk("d%u pirq %u%s\n", desc->d->domain_id, desc->pirq,
                   desc->d->pirq->t.pirq[desc->pirq].masked ? " (EOI due)" : "");
        else
            printk("%s\n", desc->owner == IRQ_HYPERVISOR ? desc->name : "unbound");
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* ---- map, unmap, bind, EOI ------------------------------------------------ */

int pirq_map_gsi(struct domain *d, int index, int *pirq)
{
    struct pirq_domain *pd = pirq_domain(d);
    int irq, p, rc;
    uint64_t flags;

    if (index < 0 || (unsigned int)index >= nr_gsis)
        return -EINVAL;
    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    /* Xen reads index as a pirq of the caller first, then as the IRQ itself */
    irq = pirq_to_irq(&pd->t, index);
    if (irq <= 0)
        irq = index;
    p = pirq_allocate(&pd->t, *pirq, irq, PIRQ_TYPE_GSI);
    rc = p < 0 ? p : pirq_map_check(&pd->t, p, irq);
    if (rc == 0)
        pirq_map(&pd->t, (unsigned int)p, (unsigned int)irq);
    if (rc >= 0) {                      /* 1: mapped elsewhere, quietly nothing */
        *pirq = p;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Caller holds pirq_lock. Unbinds d's bound pirq p from its IRQ (invariant 1). */
static void unbind_hw(struct domain *d, unsigned int p)
{
    const struct pirq_entry *e = &d->pirq->t.pirq[p];

    if (e->state == PIRQ_MAPPED && irqs[e->irq].owner == IRQ_GUEST && irqs[e->irq].d == d &&
        irqs[e->irq].pirq == p)
        irq_release(e->irq);
}

int pirq_unmap_pirq(struct domain *d, int pirq)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;
    int rc;

    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    if (pirq >= 0 && (unsigned int)pirq < pd->t.nr_pirqs)
        unbind_hw(d, (unsigned int)array_index_nospec((unsigned int)pirq, pd->t.nr_pirqs));
    rc = pirq_unmap(&pd->t, pirq);      /* a bound one stays bound, stale */
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Caller holds pirq_lock. EVTCHNOP_bind_pirq's own checks, in Xen's order. */
static int bind_check(struct pirq_domain *pd, uint32_t pirq)
{
    int irq;

    if (pirq >= pd->t.nr_pirqs)
        return -EINVAL;
    irq = pirq_to_irq(&pd->t, (int)pirq);
    if (irq <= 0 || !pirq_may_map(&pd->t, irq))
        return -EPERM;
    return pd->t.pirq[pirq].port ? -EEXIST : 0;
}

int pirq_bind_check(struct domain *d, uint32_t pirq)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;
    int rc;

    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    rc = bind_check(pd, pirq);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int pirq_guest_bind(struct domain *d, uint32_t pirq, evtchn_port_t port, bool will_share)
{
    struct pirq_domain *pd = pirq_domain(d);
    struct pirq_entry *e;
    struct irq_desc *desc;
    uint64_t flags;
    int rc;

    (void)will_share;                   /* one domain per IRQ: nothing is shared */
    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    rc = bind_check(pd, pirq);
    if (rc)
        goto out;
    pirq = (uint32_t)array_index_nospec(pirq, pd->t.nr_pirqs);
    e = &pd->t.pirq[pirq];
    desc = &irqs[e->irq];
    rc = -EINVAL;
    if (!evtchn_is_pirq_port(d, port, pirq))
        goto out;                       /* closed under us */
    rc = -EBUSY;
    if (desc->owner != IRQ_FREE) {
        printk("d%u: cannot bind IRQ%u: in use by %s\n", d->domain_id, e->irq,
               desc->owner == IRQ_HYPERVISOR ? desc->name : "a domain");
        goto out;
    }
    rc = irq_vector(e->irq);
    if (rc < 0)
        goto out;
    e->port = port;                     /* invariant 1 */
    desc->owner = IRQ_GUEST;
    desc->d = d;
    desc->pirq = pirq;
    set_eoi_bit(pd, pirq, desc->route.level && desc->route.gsi >= 0);
    program_pin(e->irq, false);
    rc = 0;
out:
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Caller holds pirq_lock. */
static void guest_unbind(struct domain *d, uint32_t pirq)
{
    unbind_hw(d, pirq);
    pirq_unbind(&d->pirq->t, pirq);
}

void pirq_guest_unbind(struct domain *d, uint32_t pirq, evtchn_port_t port)
{
    uint64_t flags;

    if (!d->pirq)
        return;
    flags = spin_lock_irqsave(&pirq_lock);
    if (pirq < d->pirq->t.nr_pirqs && d->pirq->t.pirq[pirq].port == port)
        guest_unbind(d, pirq);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

void pirq_guest_unbind_all(struct domain *d)
{
    uint64_t flags;

    if (!d->pirq)
        return;
    flags = spin_lock_irqsave(&pirq_lock);
    for (unsigned int p = 0; p < d->pirq->t.nr_pirqs; p++)
        if (d->pirq->t.pirq[p].port)
            guest_unbind(d, p);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* Caller holds pirq_lock. Xen's pirq_guest_eoi: a delivered level IRQ's pin opens. */
static void guest_eoi(struct domain *d, unsigned int p)
{
    struct pirq_entry *e = &d->pirq->t.pirq[p];

    if (!e->masked)
        return;
    e->masked = false;
    if (e->state == PIRQ_MAPPED && irqs[e->irq].owner == IRQ_GUEST && irqs[e->irq].d == d)
        mask_pin(e->irq, false);        /* still asserted: it fires again at once */
}

int pirq_eoi(struct domain *d, uint32_t pirq)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;

    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    if (pirq >= pd->t.nr_pirqs || !pirq_in_use(&pd->t, pirq)) {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return -EINVAL;
    }
    pirq = (uint32_t)array_index_nospec(pirq, pd->t.nr_pirqs);
    if (pd->auto_unmask && pd->t.pirq[pirq].port)
        evtchn_unmask_port(d, pd->t.pirq[pirq].port);
    guest_eoi(d, pirq);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return 0;
}

static bool port_masked(const struct domain *d, evtchn_port_t port)
{
    const unsigned long *w = &d->shared_info->evtchn_mask[port / 64 % ARRAY_SIZE(
                                 d->shared_info->evtchn_mask)];

    return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> (port % 64)) & 1;
}

void pirq_unmask_notify(struct domain *d)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;

    if (!pd)
        return;
    flags = spin_lock_irqsave(&pirq_lock);
    for (unsigned int p = 0; p < pd->t.nr_pirqs; p++) {
        const struct pirq_entry *e = &pd->t.pirq[p];
        if (e->masked && !port_masked(d, e->port))
            guest_eoi(d, p);
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
}

int pirq_take_free(struct domain *d, int type)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;
    int p;

    if (!pd)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    p = pirq_get_free(&pd->t, type);
    if (p >= 0)
        pd->t.pirq[p].state = PIRQ_ALLOCATED;
    spin_unlock_irqrestore(&pirq_lock, flags);
    return p;
}

int pirq_set_eoi_map(struct domain *d, uint64_t mfn, bool auto_unmask)
{
    struct pirq_domain *pd = pirq_domain(d);
    uint64_t flags;
    bool busy;

    if (!pd)
        return -ENOMEM;
    if (mfn >= max_page || pv_get_writable_frame(d, mfn))
        return -EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    busy = pd->eoi_mfn;
    if (!busy) {
        pd->eoi_mfn = mfn;              /* invariant 4 */
        pd->eoi_map = __va(mfn << PAGE_SHIFT);
        pd->auto_unmask = auto_unmask;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    if (busy)
        pv_put_writable_frame(mfn);
    return busy ? -EBUSY : 0;
}

void pirq_domain_relinquish(struct domain *d)
{
    struct pirq_domain *pd = d->pirq;
    uint64_t flags, mfn;

    if (!pd)
        return;
    flags = spin_lock_irqsave(&pirq_lock);
    for (unsigned int p = 0; p < pd->t.nr_pirqs; p++)
        if (pd->t.pirq[p].port)
            guest_unbind(d, p);
    mfn = pd->eoi_mfn;
    pd->eoi_mfn = 0;
    pd->eoi_map = NULL;
    spin_unlock_irqrestore(&pirq_lock, flags);
    if (mfn)
        pv_put_writable_frame(mfn);
}

void pirq_domain_free(struct domain *d)
{
    ASSERT(!d->pirq || !d->pirq->eoi_mfn);
    xfree(d->pirq);
    d->pirq = NULL;
}

/* ---- GSI set-up and dom0's I/O APIC access ------------------------------ */

/* No I/O APIC: the trigger mode goes to the ELCR (ports 0x4d0-0x4d1), as Xen does. */
static int elcr_setup(unsigned int gsi, bool level)
{
    uint16_t port = (uint16_t)(0x4d0 + (gsi >> 3));
    uint8_t v;

    if (gsi >= PIRQ_LEGACY_IRQS)
        return -EINVAL;
    v = inb(port);
    v = level ? (uint8_t)(v | (1u << (gsi & 7))) : (uint8_t)(v & ~(1u << (gsi & 7)));
    outb(port, v);
    return 0;
}

int irq_setup_gsi(int gsi, bool level, bool active_low)
{
    unsigned int apic, pin;
    struct irq_desc *desc;
    uint64_t flags;
    int rc = 0;

    if (gsi < 0 || (unsigned int)gsi >= nr_gsis)
        return -EINVAL;
    if (!ioapic_count())
        return elcr_setup((unsigned int)gsi, level);
    if (!ioapic_gsi_pin((unsigned int)gsi, &apic, &pin))
        return -EINVAL;                 /* Xen: "No IOAPIC for GSI" */
    flags = spin_lock_irqsave(&pirq_lock);
    desc = &irqs[array_index_nospec((unsigned int)gsi, nr_gsis)];
    rc = -EEXIST;
    if (desc->owner == IRQ_GUEST || (desc->owner == IRQ_HYPERVISOR && desc->route.gsi >= 0))
        goto out;                       /* in use */
    if (desc->programmed)
        goto out;                       /* Xen programs a pin once */
    desc->programmed = true;
    rc = 0;
    if (desc->route.gsi < 0)
        goto out;                       /* no pin of its own (IRQ 2 under IRQ 0): nothing to do */
    rc = irq_vector((unsigned int)gsi);
    if (rc < 0)
        goto out;
    desc->route.level = level;
    desc->route.active_low = active_low;
    program_pin((unsigned int)gsi, true);
    rc = 0;
out:
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int ioapic_guest_read(uint64_t physbase, uint32_t reg, uint32_t *val)
{
    int apic = ioapic_find(physbase);

    if (apic < 0)
        return apic;
    *val = ioapic_reg_read((unsigned int)apic, reg);
    return 0;
}

/* The IRQ whose pin is GSI gsi, or -1. */
static int irq_of_gsi(unsigned int gsi)
{
    for (unsigned int i = 0; i < nr_gsis; i++)
        if (irqs[i].route.gsi == (int32_t)gsi)
            return (int)i;
    return -1;
}

/* Caller holds pirq_lock. Xen's ioapic_guest_write once the IRQ is known free. */
static int guest_program(struct pirq_domain *pd, unsigned int irq, int pirq,
                         const struct ioapic_rte *rte)
{
    int rc = irq_vector(irq);

    if (rc < 0)
        return rc;
    if (pirq >= 0) {
        rc = pirq_map_check(&pd->t, pirq, (int)irq);
        if (rc < 0)
            return rc;
        if (rc == 0)
            pirq_map(&pd->t, (unsigned int)pirq, irq);
    }
    irqs[irq].route.level = rte->level;
    irqs[irq].route.active_low = rte->active_low;
    program_pin(irq, rte->level);       /* Xen: masked iff level (until bound) */
    return 0;
}

/*
 * dom0 writes an I/O APIC register (Xen's ioapic_guest_write): only the
 * low half of a pin's entry means anything. Its vector field is dom0's
 * pirq for the pin's IRQ (PHYSDEVOP_alloc_irq_vector gave dom0 the IRQ as
 * its "vector"); the hypervisor picks the real vector and destination, and
 * leaves a pin it or a domain uses alone.
 */
int ioapic_guest_write(struct domain *d, uint64_t physbase, uint32_t reg, uint32_t val)
{
    struct pirq_domain *pd = pirq_domain(d);
    int apic = ioapic_find(physbase), irq, pirq = -1, rc = 0;
    struct ioapic_rte rte = ioapic_rte_decode(val);
    unsigned int pin;
    uint64_t flags;

    if (apic < 0)
        return apic;
    if (reg < IOAPIC_REG_RTE0 || (reg & 1))
        return 0;                       /* ids, version, destinations: ignored */
    pin = (reg - IOAPIC_REG_RTE0) >> 1;
    if (rte.delivery > IOAPIC_DM_LOWEST) {
        printk("d%u: I/O APIC %d pin %u: delivery mode %u refused\n", d->domain_id, apic, pin,
               rte.delivery);
        return -EINVAL;
    }
    if (pin >= ioapic_pins((unsigned int)apic))
        return 0;
    irq = irq_of_gsi(ioapic_gsi_base((unsigned int)apic) + pin);
    if (irq < 0)
        return 0;                       /* a pin no IRQ uses */
    if (!pd)
        return -ENOMEM;
    if (!rte.masked) {
        pirq = irq >= 256 ? irq : rte.vector;
        if ((unsigned int)pirq >= pd->t.nr_pirqs)
            return -EINVAL;
    }
    flags = spin_lock_irqsave(&pirq_lock);
    if (irqs[irq].owner == IRQ_FREE)
        rc = guest_program(pd, (unsigned int)irq, pirq, &rte);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}
