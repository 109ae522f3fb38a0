/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical IRQs of a PV domain ("pirqs"), the Xen way. Three layers:
 *  - hypervisor/pirq_table.c: the pure part, built unmodified on the host
 *    (tests/unit/test_pirq.c): a domain's pirq <-> IRQ table and Xen 4.17's
 *    rules for picking, mapping and unmapping pirqs;
 *  - arch/x86/pirq.c: the machine's IRQs (I/O APIC pins), binding one to a
 *    domain's event channel, the interrupt handler, EOI;
 *  - arch/x86/pv/physdev.c: physdev_op, the hypercall family.
 * IRQs are numbered as Xen numbers them: 0-15 are the ISA IRQs (routed to
 * whichever GSI the MADT's overrides say), from 16 up IRQ n is GSI n.
 */
#ifndef SATORI_PIRQ_H
#define SATORI_PIRQ_H

#include <public/event_channel.h>
#include <satori/types.h>

#define PIRQ_MAX_IRQS 256           /* IRQs (GSIs) Satori routes: 0-255 */
#define PIRQ_LEGACY_IRQS 16         /* ISA IRQs 0-15 */
#define PIRQ_DYNAMIC_VECTORS 192    /* Xen 4.17's NR_DYNAMIC_VECTORS: sizes nr_pirqs */
#define PIRQ_EXTRA_DOMU 32          /* Xen's extra_domU_irqs */
#define PIRQ_EOI_MAP_BITS (PAGE_SIZE * 8)   /* the pirq_eoi_gmfn bitmap's reach */

/* MAP_PIRQ_TYPE_GSI; any other type allocates MSI's way (from the top). */
#define PIRQ_TYPE_GSI 1

enum pirq_state {
    PIRQ_FREE,                      /* no IRQ */
    PIRQ_ALLOCATED,                 /* PHYSDEVOP_get_free_pirq took it; no IRQ yet */
    PIRQ_MAPPED,                    /* map_pirq: it is IRQ irq */
    PIRQ_STALE,                     /* unmapped while bound: keeps irq until its port closes */
};

struct pirq_entry {
    uint8_t state;                  /* enum pirq_state */
    bool masked;                    /* delivered, the guest's EOI is due (level IRQs) */
    uint16_t irq;                   /* PIRQ_MAPPED, PIRQ_STALE */
    evtchn_port_t port;             /* the event channel it is bound to; 0: none */
};

/*
 * A domain's pirqs. Invariants (tests/unit/test_pirq.c checks each):
 *  1. irq_pirq[i] == p > 0 iff pirq p is PIRQ_MAPPED to IRQ i (p == 0 can
 *     be mapped, as in Xen, and is then invisible from the IRQ side).
 *  2. irq_pirq[i] == -p < 0 only while pirq p is PIRQ_STALE on IRQ i, or
 *     was remapped from there (Xen keeps that IRQ busy until then).
 *  3. A bound pirq (port != 0) is PIRQ_MAPPED or PIRQ_STALE.
 *  4. masked implies bound.
 */
struct pirq_table {
    unsigned int nr_pirqs;          /* pirqs 0 .. nr_pirqs - 1 */
    unsigned int nr_irqs;           /* IRQs 0 .. nr_irqs - 1 (the machine's GSIs) */
    int32_t irq_pirq[PIRQ_MAX_IRQS];
    uint8_t access[PIRQ_MAX_IRQS / 8];  /* IRQs the domain may map (Xen's irq caps) */
    struct pirq_entry pirq[];       /* nr_pirqs entries */
};

/* Pure part (pirq_table.c). Callers hold the pirq lock (arch/x86/pirq.c). */
size_t pirq_table_size(unsigned int nr_pirqs);
/* Every pirq free; the hardware domain may map IRQs 1 .. nr_irqs - 1, others none. */
void pirq_table_init(struct pirq_table *t, unsigned int nr_pirqs, unsigned int nr_irqs,
                     bool hwdom);
/*
 * Xen 4.17's d->nr_pirqs for a machine with nr_irqs GSIs and nr_cpus CPUs:
 * the hardware domain's (at most max_vcpus vCPUs' worth of MSI), or a
 * domU's (its GSIs plus 32).
 */
unsigned int pirq_nr_for(bool hwdom, unsigned int nr_irqs, unsigned int nr_cpus,
                         unsigned int max_vcpus);
/* Xen's domain_pirq_to_irq: > 0 mapped, -irq stale, -1 allocated, 0 free or out of range. */
int pirq_to_irq(const struct pirq_table *t, int pirq);
/* Xen's domain_irq_to_pirq: the pirq IRQ irq is mapped to (invariants 1-2), 0 none. */
int pirq_of_irq(const struct pirq_table *t, int irq);
/* Whether pirq has Xen's "struct pirq": in use in any way (PHYSDEVOP_eoi's test). */
bool pirq_in_use(const struct pirq_table *t, unsigned int pirq);
bool pirq_may_map(const struct pirq_table *t, int irq);
/* Xen's get_free_pirq: GSI type from 16 up among the GSIs, else from the top down. */
int pirq_get_free(const struct pirq_table *t, int type);
/*
 * Xen's allocate_pirq for map_pirq(index, pirq) of IRQ irq: the pirq to map
 * (pirq < 0: irq's current one, else a free one), or -EBUSY (irq is stale),
 * -EEXIST (irq has another pirq), -ENOSPC.
 */
int pirq_allocate(const struct pirq_table *t, int pirq, int irq, int type);
/*
 * Xen's map_domain_pirq checks: -EPERM (IRQ not the domain's to map),
 * -EINVAL (out of range), 1 when pirq or irq is mapped elsewhere already
 * (Xen then succeeds without changing anything), 0 to map.
 */
int pirq_map_check(const struct pirq_table *t, int pirq, int irq);
/* Maps pirq to irq (after pirq_map_check returned 0). */
void pirq_map(struct pirq_table *t, unsigned int pirq, unsigned int irq);
/*
 * Unmaps pirq: -EINVAL if it is not mapped. A bound pirq becomes stale (it
 * keeps its port); the IRQ stops being the domain's to map (Xen revokes it).
 */
int pirq_unmap(struct pirq_table *t, int pirq);
/* pirq's port closed: unbound, and a stale pirq is free at last. */
void pirq_unbind(struct pirq_table *t, unsigned int pirq);

/* Hypervisor part (arch/x86/pirq.c), for event_channel.c. */
struct domain;

/*
 * EVTCHNOP_bind_pirq's checks before a port is taken: -EINVAL (no such
 * pirq), -EPERM (not mapped), -EEXIST (bound already).
 */
int pirq_bind_check(struct domain *d, uint32_t pirq);
/*
 * Binds d's pirq to port, which event_channel.c has made ECS_PIRQ for it,
 * and unmasks the IRQ. The same errors, -EBUSY if the hypervisor uses the
 * IRQ, -ENOSPC if it gets no vector, -EINVAL if port stopped being pirq's.
 * Called without the event lock (the pirq lock nests outside it).
 */
int pirq_guest_bind(struct domain *d, uint32_t pirq, evtchn_port_t port, bool will_share);
/* port (pirq's) was closed: unbinds and masks the IRQ. Without the event lock. */
void pirq_guest_unbind(struct domain *d, uint32_t pirq, evtchn_port_t port);
/* All of d's ports were closed (reset, destruction). Without the event lock. */
void pirq_guest_unbind_all(struct domain *d);
/* The domain's last pirq state goes: its IRQs, its EOI bitmap frame (relinquish). */
void pirq_domain_relinquish(struct domain *d);
void pirq_domain_free(struct domain *d);
/* The debug console's 'i': every IRQ in use, its pin, vector and owner. */
void irq_dump(void);
/* The frame d's EOI bitmap holds, or 0 (the frame-table audit counts it). */
uint64_t pirq_eoi_map_mfn(const struct domain *d);

/* event_channel.c, for arch/x86/pirq.c (the pirq lock held). */
/* Raises port if it is still d's port for pirq (a closed one is skipped). */
void evtchn_send_pirq(struct domain *d, evtchn_port_t port, uint32_t pirq);
/* Whether port is d's ECS_PIRQ port for pirq. */
bool evtchn_is_pirq_port(struct domain *d, evtchn_port_t port, uint32_t pirq);
/* EVTCHNOP_unmask on d's port (PHYSDEVOP_eoi after pirq_eoi_gmfn_v1). */
void evtchn_unmask_port(struct domain *d, evtchn_port_t port);

#endif
