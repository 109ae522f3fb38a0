/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI devices dom0 reported and the MMCONFIG regions it confirmed: pure
 * logic, built unmodified by tests/unit/test_pci_record.c; physdev.c keeps
 * one record under its lock. Xen 4.17 without an IOMMU keeps the same
 * (it scans no bus at boot then): a device is known from its first add
 * (again: updated, 0) until its remove (again: -ENODEV). Nothing checks
 * that a device exists: Xen adds whatever dom0 names.
 */
#include <satori/errno.h>
#include <satori/pci_record.h>

#define XEN_PCI_MMCFG_RESERVED 1u       /* public/physdev.h */

const struct pci_dev_record *pci_record_find(const struct pci_records *r, uint16_t seg,
                                             uint8_t bus, uint8_t devfn)
{
    for (unsigned int i = 0; i < r->nr; i++) {
        const struct pci_dev_record *d = &r->dev[i];
        if (d->seg == seg && d->bus == bus && d->devfn == devfn)
            return d;
    }
    return NULL;
}

int pci_record_add(struct pci_records *r, const struct pci_dev_record *dev)
{
    struct pci_dev_record *d = (struct pci_dev_record *)pci_record_find(r, dev->seg, dev->bus,
                                                                        dev->devfn);

    if (!d) {
        if (r->nr == PCI_RECORD_MAX)
            return -ENOMEM;
        d = &r->dev[r->nr++];
    }
    *d = *dev;
    return 0;
}

int pci_record_remove(struct pci_records *r, uint16_t seg, uint8_t bus, uint8_t devfn)
{
    const struct pci_dev_record *d = pci_record_find(r, seg, bus, devfn);

    if (!d)
        return -ENODEV;
    r->dev[d - r->dev] = r->dev[--r->nr];   /* order does not matter */
    return 0;
}

int pci_mcfg_reserved(struct pci_mcfg_region *regions, unsigned int nr, uint64_t address,
                      uint16_t seg, uint8_t start_bus, uint8_t end_bus, uint32_t flags)
{
    if (flags & ~XEN_PCI_MMCFG_RESERVED)
        return -EINVAL;
    for (unsigned int i = 0; i < nr; i++) {
        struct pci_mcfg_region *m = &regions[i];
        if (m->seg != seg || m->start_bus != start_bus || m->end_bus != end_bus)
            continue;
        if (m->base != address)
            return -EIO;
        m->reserved = flags & XEN_PCI_MMCFG_RESERVED;
        return 0;
    }
    return -ENODEV;
}
