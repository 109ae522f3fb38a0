/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op (33) and physdev_op_compat (19): a PV guest's view of the
 * machine's devices, as Xen 4.17 gives it. The virtual I/O privilege
 * (set_iopl, set_iobitmap: they gate the port I/O emulation in emulate.c);
 * dom0's physical interrupts (apic_read/write, alloc_irq_vector,
 * map/unmap_pirq, setup_gsi, irq_status_query, eoi, pirq_eoi_gmfn,
 * get_free_pirq: arch/x86/pirq.c does the work); and the PCI devices dom0
 * reports (pci_device_add/remove, manage_pci_*, restore_msi,
 * pci_mmcfg_reserved), which Satori records and otherwise ignores: it has
 * no IOMMU, no passthrough and no MSI.
 *
 * Model: one table of sub-ops, each with its argument's size, when the
 * caller must be privileged (before the copy-in or after it, as Xen's XSM
 * checks fall), and whether the argument goes back (on success, or
 * always). Workers see the copied argument; the privileged domain is dom0.
 *
 * Invariants:
 *  1. A sub-op a domain may not use changes nothing: privilege is checked
 *     before any state is touched, with Xen's code (-EPERM).
 *  2. The PCI record is changed only under pci_lock; it is a leaf.
 *
 * ABI corner cases (Xen 4.17, pinned by tests/guests/physdev.c): a bad
 * argument pointer is -EFAULT before anything else, except that
 * pci_mmcfg_reserved and dbgp_op check privilege first; map_pirq and
 * apic_read copy the argument back even on failure; irq_status_query
 * always says XENIRQSTAT_needs_eoi; alloc_irq_vector echoes the IRQ as the
 * "vector" (apic_write then reads the vector field as dom0's pirq);
 * map_pirq of another domain is -EPERM here (no passthrough: Xen would
 * map it); MSI is refused with -EPERM for a reported device (Xen's code
 * with MSI off), -ENODEV for an unknown one; restore_msi of a reported
 * device is 0 (no MSI state to restore); set_iobitmap checks only that the
 * bitmap starts in guest space.
 */
#include <public/physdev.h>
#include <satori/console.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/nospec.h>
#include <satori/pci_record.h>
#include <satori/pirq.h>
#include <satori/spinlock.h>
#include <asm/acpi.h>
#include <asm/layout.h>
#include <asm/pirq.h>
#include <asm/pv.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

enum { ANYONE, PRIV_FIRST, PRIV_AFTER_COPY };     /* who may call, checked when */
enum { OUT_NONE, OUT_ON_SUCCESS, OUT_ALWAYS };    /* does the argument go back */

static DEFINE_SPINLOCK(pci_lock);       /* protects: pci_devs, acpi_mcfg's reserved flags */
static struct pci_records pci_devs;

/* ---- I/O privilege ----------------------------------------------------- */

static long set_iopl(struct vcpu *v, void *arg)
{
    const struct physdev_set_iopl *s = arg;

    if (s->iopl > 3)
        return -EINVAL;
    v->iopl = s->iopl;
    return 0;
}

/* Xen's access_ok: only the bitmap's start must be guest space. */
static long set_iobitmap(struct vcpu *v, void *arg)
{
    const struct physdev_set_iobitmap *s = arg;
    uint64_t va = (uint64_t)s->bitmap.p;

    if (!(va < 0x0000800000000000UL || va >= HYPERVISOR_VIRT_END) || s->nr_ports > 65536)
        return -EINVAL;
    v->iobmp = va;
    v->iobmp_limit = s->nr_ports;
    return 0;
}

bool pv_iobmp_permits(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    uint8_t b[2] = { 0xff, 0xff };
    bool user = !v->kernel_mode && v->guest_user_cr3;

    if (port + bytes > v->iobmp_limit)
        return false;
    if (user)
        write_cr3(v->guest_cr3);        /* the bitmap is the kernel's */
    /* bytes out of reach read as all ones (no access), as in Xen */
    if (copy_from_guest(&b[0], v->iobmp + port / 8, 1) == 0)
        (void)!copy_from_guest(&b[1], v->iobmp + port / 8 + 1, 1);
    if (user)
        write_cr3(v->guest_user_cr3);
    return !(((unsigned int)b[0] | (unsigned int)b[1] << 8) & (((1u << bytes) - 1) << (port & 7)));
}

/* ---- interrupts ---------------------------------------------------------- */

static long eoi(struct vcpu *v, void *arg)
{
    return pirq_eoi(v->domain, ((struct physdev_eoi *)arg)->irq);
}

static long eoi_gmfn(struct vcpu *v, void *arg, bool v1)
{
    return pirq_set_eoi_map(v->domain, ((struct physdev_pirq_eoi_gmfn *)arg)->gmfn, v1);
}

static long eoi_gmfn_v1(struct vcpu *v, void *arg)
{
    return eoi_gmfn(v, arg, true);
}

static long eoi_gmfn_v2(struct vcpu *v, void *arg)
{
    return eoi_gmfn(v, arg, false);
}

static long unmask_notify(struct vcpu *v, void *arg)
{
    pirq_unmask_notify(v->domain);
    return 0;
}

static long irq_status_query(struct vcpu *v, void *arg)
{
    struct physdev_irq_status_query *q = arg;

    if (q->irq >= pirq_nr_pirqs(v->domain))
        return -EINVAL;
    /* Xen: a PV guest must always EOI unless its EOI bitmap says otherwise */
    q->flags = XENIRQSTAT_needs_eoi;
    return 0;
}

/* The domain a map/unmap names: the caller's own, else -ESRCH or -EPERM. */
static long target_domain(struct vcpu *v, domid_t id)
{
    struct domain *d;

    if (id == DOMID_SELF || id == v->domain->domain_id)
        return v->domain->privileged ? 0 : -EPERM;
    d = domain_get(id);
    if (!d)
        return -ESRCH;
    domain_put(d);
    return -EPERM;                      /* no passthrough: pirqs for others are refused */
}

static long map_msi(struct vcpu *v, const struct physdev_map_pirq *m, uint16_t seg)
{
    const struct pci_dev_record *dev;
    uint64_t flags;

    if (m->index != -1 && (m->index < (int)irq_nr_gsis() || m->index >= (int)irq_nr_irqs()))
        return -EINVAL;                 /* Xen: "can't create irq for msi" */
    flags = spin_lock_irqsave(&pci_lock);
    dev = pci_record_find(&pci_devs, seg, (uint8_t)m->bus, (uint8_t)m->devfn);
    spin_unlock_irqrestore(&pci_lock, flags);
    return dev ? -EPERM : -ENODEV;      /* no MSI: Xen's code with MSI off */
}

static long map_pirq(struct vcpu *v, void *arg)
{
    struct physdev_map_pirq *m = arg;
    uint16_t seg = 0;
    long rc;

    if (m->type == MAP_PIRQ_TYPE_MULTI_MSI && m->table_base)
        return -EINVAL;
    if (m->type == MAP_PIRQ_TYPE_MSI_SEG || m->type == MAP_PIRQ_TYPE_MULTI_MSI)
        seg = (uint16_t)((uint32_t)m->bus >> 16);
    rc = target_domain(v, m->domid);
    if (rc)
        return rc;
    switch (m->type) {
    case MAP_PIRQ_TYPE_GSI:
        return pirq_map_gsi(v->domain, m->index, &m->pirq);
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        return map_msi(v, m, seg);
    default:
        return -EINVAL;
    }
}

static long unmap_pirq(struct vcpu *v, void *arg)
{
    const struct physdev_unmap_pirq *u = arg;
    long rc = target_domain(v, u->domid);

    return rc ? rc : pirq_unmap_pirq(v->domain, u->pirq);
}

static long apic_read(struct vcpu *v, void *arg)
{
    struct physdev_apic *a = arg;

    return ioapic_guest_read(a->apic_physbase, a->reg, &a->value);
}

static long apic_write(struct vcpu *v, void *arg)
{
    const struct physdev_apic *a = arg;

    return ioapic_guest_write(v->domain, a->apic_physbase, a->reg, a->value);
}

/* Xen's is a dummy: the "vector" is the IRQ, which apic_write reads back as the pirq. */
static long alloc_irq_vector(struct vcpu *v, void *arg)
{
    struct physdev_irq *i = arg;

    i->vector = i->irq;
    return 0;
}

static long setup_gsi(struct vcpu *v, void *arg)
{
    const struct physdev_setup_gsi *s = arg;

    if (s->gsi < 0 || (unsigned int)s->gsi >= irq_nr_gsis())
        return -EINVAL;
    if (!v->domain->privileged)
        return -EPERM;
    return irq_setup_gsi(s->gsi, s->triggering, s->polarity);
}

static long get_free_pirq(struct vcpu *v, void *arg)
{
    struct physdev_get_free_pirq *g = arg;
    int pirq = pirq_take_free(v->domain, g->type);

    if (pirq < 0)
        return pirq;
    g->pirq = (uint32_t)pirq;
    return 0;
}

/* ---- PCI ------------------------------------------------------------------ */

static long pci_add(struct vcpu *v, const struct pci_dev_record *dev)
{
    uint64_t flags;
    long rc;

    if (!v->domain->privileged)
        return -EPERM;
    flags = spin_lock_irqsave(&pci_lock);
    rc = pci_record_add(&pci_devs, dev);
    spin_unlock_irqrestore(&pci_lock, flags);
    if (!rc)
        printk("PCI add device %04x:%02x:%02x.%u\n", dev->seg, dev->bus, dev->devfn >> 3,
               dev->devfn & 7);
    return rc;
}

static long pci_remove(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    uint64_t flags = spin_lock_irqsave(&pci_lock);
    long rc = pci_record_remove(&pci_devs, seg, bus, devfn);

    spin_unlock_irqrestore(&pci_lock, flags);
    if (!rc)
        printk("PCI remove device %04x:%02x:%02x.%u\n", seg, bus, devfn >> 3, devfn & 7);
    return rc;
}

static long manage_pci_add(struct vcpu *v, void *arg)
{
    const struct physdev_manage_pci *m = arg;

    return pci_add(v, &(struct pci_dev_record){ .bus = m->bus, .devfn = m->devfn });
}

static long manage_pci_remove(struct vcpu *v, void *arg)
{
    const struct physdev_manage_pci *m = arg;

    return pci_remove(0, m->bus, m->devfn);
}

static long manage_pci_add_ext(struct vcpu *v, void *arg)
{
    const struct physdev_manage_pci_ext *m = arg;
    struct pci_dev_record dev = { .bus = m->bus, .devfn = m->devfn };

    if (m->is_extfn > 1 || m->is_virtfn > 1)
        return -EINVAL;
    dev.flags = (m->is_extfn ? PCI_DEV_EXTFN : 0) | (m->is_virtfn ? PCI_DEV_VIRTFN : 0);
    dev.phys_bus = m->physfn.bus;
    dev.phys_devfn = m->physfn.devfn;
    return pci_add(v, &dev);
}

/* The proximity domain follows the structure (optarr[0]) when flags say so. */
static long pci_device_add(struct vcpu *v, void *arg, uint64_t guest_arg)
{
    const struct physdev_pci_device_add *a = arg;
    struct pci_dev_record dev = { .seg = a->seg, .bus = a->bus, .devfn = a->devfn };

    dev.flags = a->flags & XEN_PCI_DEV_EXTFN ? PCI_DEV_EXTFN : 0;
    if (a->flags & XEN_PCI_DEV_VIRTFN) {
        dev.flags |= PCI_DEV_VIRTFN;
        dev.phys_bus = a->physfn.bus;
        dev.phys_devfn = a->physfn.devfn;
    }
    if (a->flags & XEN_PCI_DEV_PXM) {
        if (copy_from_guest(&dev.pxm, guest_arg + sizeof(*a), sizeof(dev.pxm)))
            return -EFAULT;
        dev.has_pxm = true;
    }
    return pci_add(v, &dev);
}

static long pci_device_remove(struct vcpu *v, void *arg)
{
    const struct physdev_pci_device *p = arg;

    return pci_remove(p->seg, p->bus, p->devfn);
}

/* Nothing to restore (no MSI), but only for a device dom0 reported. */
static long restore_msi_of(struct vcpu *v, uint16_t seg, uint8_t bus, uint8_t devfn)
{
    uint64_t flags = spin_lock_irqsave(&pci_lock);
    bool known = pci_record_find(&pci_devs, seg, bus, devfn);

    spin_unlock_irqrestore(&pci_lock, flags);
    if (!known)
        return -ENODEV;
    return v->domain->privileged ? 0 : -EPERM;
}

static long restore_msi(struct vcpu *v, void *arg)
{
    const struct physdev_restore_msi *r = arg;

    return restore_msi_of(v, 0, r->bus, r->devfn);
}

static long restore_msi_ext(struct vcpu *v, void *arg)
{
    const struct physdev_pci_device *p = arg;

    return restore_msi_of(v, p->seg, p->bus, p->devfn);
}

/* prepare_msix, release_msix, dbgp_op: nothing to do without MSI or an EHCI debug port. */
static long nothing(struct vcpu *v, void *arg)
{
    return 0;
}

static long pci_mmcfg_reserved(struct vcpu *v, void *arg)
{
    const struct physdev_pci_mmcfg_reserved *m = arg;
    uint64_t flags = spin_lock_irqsave(&pci_lock);
    long rc = pci_mcfg_reserved(acpi_mcfg.region, acpi_mcfg.nr, m->address, m->segment,
                                m->start_bus, m->end_bus, m->flags);

    spin_unlock_irqrestore(&pci_lock, flags);
    return rc;
}

/* ---- dispatch -------------------------------------------------------------- */

struct physdev_subop {
    long (*fn)(struct vcpu *v, void *arg);
    uint8_t size;                       /* of the argument, copied in whole */
    uint8_t who;                        /* ANYONE, PRIV_FIRST, PRIV_AFTER_COPY */
    uint8_t out;                        /* OUT_* */
};

#define OP(cmd, f, type, w, o) [PHYSDEVOP_##cmd] = { f, sizeof(type), w, o }
static const struct physdev_subop physdev_ops[] = {
    OP(eoi, eoi, struct physdev_eoi, ANYONE, OUT_NONE),
    OP(pirq_eoi_gmfn_v1, eoi_gmfn_v1, struct physdev_pirq_eoi_gmfn, ANYONE, OUT_NONE),
    OP(pirq_eoi_gmfn_v2, eoi_gmfn_v2, struct physdev_pirq_eoi_gmfn, ANYONE, OUT_NONE),
    [PHYSDEVOP_IRQ_UNMASK_NOTIFY] = { unmask_notify, 0, ANYONE, OUT_NONE },
    OP(irq_status_query, irq_status_query, struct physdev_irq_status_query, ANYONE,
       OUT_ON_SUCCESS),
    OP(set_iopl, set_iopl, struct physdev_set_iopl, ANYONE, OUT_NONE),
    OP(set_iobitmap, set_iobitmap, struct physdev_set_iobitmap, ANYONE, OUT_NONE),
    OP(apic_read, apic_read, struct physdev_apic, PRIV_AFTER_COPY, OUT_ALWAYS),
    OP(apic_write, apic_write, struct physdev_apic, PRIV_AFTER_COPY, OUT_NONE),
    OP(alloc_irq_vector, alloc_irq_vector, struct physdev_irq, PRIV_AFTER_COPY, OUT_ALWAYS),
    OP(map_pirq, map_pirq, struct physdev_map_pirq, ANYONE, OUT_ALWAYS),
    OP(unmap_pirq, unmap_pirq, struct physdev_unmap_pirq, ANYONE, OUT_NONE),
    OP(manage_pci_add, manage_pci_add, struct physdev_manage_pci, ANYONE, OUT_NONE),
    OP(manage_pci_remove, manage_pci_remove, struct physdev_manage_pci, PRIV_AFTER_COPY,
       OUT_NONE),
    OP(manage_pci_add_ext, manage_pci_add_ext, struct physdev_manage_pci_ext, ANYONE, OUT_NONE),
    OP(pci_device_remove, pci_device_remove, struct physdev_pci_device, PRIV_AFTER_COPY,
       OUT_NONE),
    OP(restore_msi, restore_msi, struct physdev_restore_msi, ANYONE, OUT_NONE),
    OP(restore_msi_ext, restore_msi_ext, struct physdev_pci_device, ANYONE, OUT_NONE),
    OP(prepare_msix, nothing, struct physdev_pci_device, PRIV_AFTER_COPY, OUT_NONE),
    OP(release_msix, nothing, struct physdev_pci_device, PRIV_AFTER_COPY, OUT_NONE),
    OP(pci_mmcfg_reserved, pci_mmcfg_reserved, struct physdev_pci_mmcfg_reserved, PRIV_FIRST,
       OUT_NONE),
    OP(setup_gsi, setup_gsi, struct physdev_setup_gsi, ANYONE, OUT_NONE),
    OP(get_free_pirq, get_free_pirq, struct physdev_get_free_pirq, ANYONE, OUT_ON_SUCCESS),
    OP(dbgp_op, nothing, struct physdev_dbgp_op, PRIV_FIRST, OUT_NONE),
};
#undef OP

long do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    union {
        struct physdev_map_pirq map;
        struct physdev_apic apic;
        uint64_t align;
    } buf;
    struct vcpu *v = current_vcpu();
    const struct physdev_subop *op;
    long rc;

    _Static_assert(sizeof(struct physdev_pci_device_add) <= sizeof(buf), "buf too small");
    cmd = (uint32_t)cmd;                /* Xen's int cmd */
    if (cmd == PHYSDEVOP_pci_device_add) {      /* its argument has a tail */
        if (copy_from_guest(&buf, arg, sizeof(struct physdev_pci_device_add)))
            return -EFAULT;
        return pci_device_add(v, &buf, arg);
    }
    if (cmd >= ARRAY_SIZE(physdev_ops) || !physdev_ops[cmd].fn)
        return -ENOSYS;
    op = &physdev_ops[array_index_nospec(cmd, ARRAY_SIZE(physdev_ops))];
    if (op->who == PRIV_FIRST && !v->domain->privileged)
        return -EPERM;
    if (op->size > sizeof(buf) || copy_from_guest(&buf, arg, op->size))
        return -EFAULT;
    if (op->who == PRIV_AFTER_COPY && !v->domain->privileged)
        return -EPERM;
    rc = op->fn(v, &buf);
    if ((op->out == OUT_ALWAYS || (op->out == OUT_ON_SUCCESS && !rc)) &&
        copy_to_guest(arg, &buf, op->size))
        rc = -EFAULT;
    return rc;
}

/* The pre-3.2 form: { cmd, union of arguments }; every sub-op, as Xen 4.17. */
long do_physdev_op_compat(uint64_t uop, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct physdev_op op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    return do_physdev_op(op.cmd, uop + __builtin_offsetof(struct physdev_op, u), 0, 0, 0);
}
