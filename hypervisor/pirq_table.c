/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's pirq table: which of its pirqs is which machine IRQ, and Xen
 * 4.17's rules for choosing and changing that (xen/arch/x86/irq.c:
 * get_free_pirq, allocate_pirq, map_domain_pirq, unmap_domain_pirq). Pure
 * logic, built unmodified by tests/unit/test_pirq.c; the invariants are in
 * include/satori/pirq.h, the hardware and locking in arch/x86/pirq.c.
 *
 * ABI corner cases kept from Xen 4.17 (tests/guests/physdev.c shows each):
 * mapping an IRQ already mapped to another pirq, or a pirq mapped to
 * another IRQ, succeeds and changes nothing; map_pirq with pirq -1 of an
 * IRQ already mapped returns its pirq; unmapping takes the IRQ away from
 * the domain (a later map is -EPERM); unmapping a bound pirq leaves it
 * stale, bound to its port, its IRQ busy (-EBUSY) until the port closes.
 */
#include <satori/errno.h>
#include <satori/pirq.h>
#include <satori/string.h>

size_t pirq_table_size(unsigned int nr_pirqs)
{
    return sizeof(struct pirq_table) + nr_pirqs * sizeof(struct pirq_entry);
}

static void set_access(struct pirq_table *t, unsigned int irq, bool on)
{
    if (on)
        t->access[irq / 8] |= (uint8_t)(1u << (irq % 8));
    else
        t->access[irq / 8] &= (uint8_t)~(1u << (irq % 8));
}

void pirq_table_init(struct pirq_table *t, unsigned int nr_pirqs, unsigned int nr_irqs,
                     bool hwdom)
{
    memset(t, 0, pirq_table_size(nr_pirqs));
    t->nr_pirqs = nr_pirqs;
    t->nr_irqs = nr_irqs < PIRQ_MAX_IRQS ? nr_irqs : PIRQ_MAX_IRQS;
    /* Xen's dom0_setup_permissions: every GSI but IRQ 0, the timer's */
    for (unsigned int i = 1; hwdom && i < t->nr_irqs; i++)
        set_access(t, i, true);
}

static unsigned int fls_u(unsigned int x)
{
    return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

unsigned int pirq_nr_for(bool hwdom, unsigned int nr_irqs, unsigned int nr_cpus,
                         unsigned int max_vcpus)
{
    unsigned int total = 16 + nr_cpus * PIRQ_DYNAMIC_VECTORS, n;

    if (total < 8 * nr_irqs)
        total = 8 * nr_irqs;                /* Xen's nr_irqs with an APIC */
    if (!hwdom)
        n = nr_irqs + PIRQ_EXTRA_DOMU;
    else {
        n = fls_u(nr_cpus);
        if (n > max_vcpus)
            n = max_vcpus;
        n = nr_irqs + n * PIRQ_DYNAMIC_VECTORS;
    }
    if (n > total)
        n = total;
    return n < PIRQ_EOI_MAP_BITS ? n : PIRQ_EOI_MAP_BITS;
}

int pirq_to_irq(const struct pirq_table *t, int pirq)
{
    const struct pirq_entry *e;

    if (pirq < 0 || (unsigned int)pirq >= t->nr_pirqs)
        return 0;
    e = &t->pirq[pirq];
    switch (e->state) {
    case PIRQ_MAPPED:
        return e->irq;
    case PIRQ_STALE:
        return -(int)e->irq;
    case PIRQ_ALLOCATED:
        return -1;
    default:
        return 0;
    }
}

int pirq_of_irq(const struct pirq_table *t, int irq)
{
    if (irq < 0 || (unsigned int)irq >= t->nr_irqs)
        return 0;
    return t->irq_pirq[irq];
}

bool pirq_in_use(const struct pirq_table *t, unsigned int pirq)
{
    return pirq < t->nr_pirqs && (t->pirq[pirq].state != PIRQ_FREE || t->pirq[pirq].port);
}

bool pirq_may_map(const struct pirq_table *t, int irq)
{
    return irq >= 0 && (unsigned int)irq < t->nr_irqs &&
           (t->access[irq / 8] >> (irq % 8)) & 1;
}

int pirq_get_free(const struct pirq_table *t, int type)
{
    if (type == PIRQ_TYPE_GSI)
        for (unsigned int i = PIRQ_LEGACY_IRQS; i < t->nr_irqs && i < t->nr_pirqs; i++)
            if (!pirq_in_use(t, i))
                return (int)i;
    for (unsigned int i = t->nr_pirqs; i-- > t->nr_irqs;)
        if (!pirq_in_use(t, i))
            return (int)i;
    return -ENOSPC;
}

int pirq_allocate(const struct pirq_table *t, int pirq, int irq, int type)
{
    int current = pirq_of_irq(t, irq);

    if (pirq < 0) {
        if (current < 0)
            return -EBUSY;
        /* the IRQ's own pirq (Xen 4.17.7 carries the 4.19 fix that returns it) */
        return current ? current : pirq_get_free(t, type);
    }
    if (current && pirq != current)
        return -EEXIST;
    return pirq;
}

int pirq_map_check(const struct pirq_table *t, int pirq, int irq)
{
    int old_irq, old_pirq;

    if (!pirq_may_map(t, irq))
        return -EPERM;
    if (pirq < 0 || (unsigned int)pirq >= t->nr_pirqs || irq <= 0)
        return -EINVAL;
    old_irq = pirq_to_irq(t, pirq);
    old_pirq = pirq_of_irq(t, irq);
    if ((old_irq > 0 && old_irq != irq) || (old_pirq && old_pirq != pirq))
        return 1;
    return 0;
}

void pirq_map(struct pirq_table *t, unsigned int pirq, unsigned int irq)
{
    struct pirq_entry *e = &t->pirq[pirq];

    e->state = PIRQ_MAPPED;                 /* a stale one keeps its port */
    e->irq = (uint16_t)irq;
    t->irq_pirq[irq] = (int32_t)pirq;       /* invariant 1 */
    set_access(t, irq, true);
}

int pirq_unmap(struct pirq_table *t, int pirq)
{
    struct pirq_entry *e;

    if (pirq < 0 || (unsigned int)pirq >= t->nr_pirqs)
        return -EINVAL;
    e = &t->pirq[pirq];
    if (e->state != PIRQ_MAPPED)
        return -EINVAL;                     /* free, allocated, or stale */
    set_access(t, e->irq, false);
    if (e->port) {
        e->state = PIRQ_STALE;              /* invariant 2 */
        e->masked = false;
        if (t->irq_pirq[e->irq] == pirq)    /* pirq 0 is invisible there */
            t->irq_pirq[e->irq] = -pirq;
        return 0;
    }
    if (t->irq_pirq[e->irq] == pirq)
        t->irq_pirq[e->irq] = 0;
    e->state = PIRQ_FREE;
    e->irq = 0;
    return 0;
}

void pirq_unbind(struct pirq_table *t, unsigned int pirq)
{
    struct pirq_entry *e = &t->pirq[pirq];

    e->port = 0;                            /* invariants 3-4 */
    e->masked = false;
    if (e->state != PIRQ_STALE)
        return;
    if (t->irq_pirq[e->irq] == -(int32_t)pirq)
        t->irq_pirq[e->irq] = 0;
    e->state = PIRQ_FREE;
    e->irq = 0;
}
