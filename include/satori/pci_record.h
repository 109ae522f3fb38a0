/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What dom0 has told the hypervisor about PCI (hypervisor/pci_record.c,
 * pure, tested by tests/unit/test_pci_record.c): the devices it reported
 * with PHYSDEVOP_pci_device_add / manage_pci_add(_ext), and the MMCONFIG
 * regions of the ACPI MCFG table it confirms with pci_mmcfg_reserved.
 * Satori has no IOMMU and no passthrough: the record is all it keeps.
 */
#ifndef SATORI_PCI_RECORD_H
#define SATORI_PCI_RECORD_H

#include <satori/types.h>

#define PCI_RECORD_MAX 1024             /* devices; one more is -ENOMEM */
#define PCI_MCFG_MAX 16                 /* MCFG regions kept */

#define PCI_DEV_EXTFN 0x1               /* an ARI extended function */
#define PCI_DEV_VIRTFN 0x2              /* an SR-IOV virtual function */

struct pci_dev_record {
    uint16_t seg;
    uint8_t bus, devfn;
    uint8_t flags;                      /* PCI_DEV_* */
    uint8_t phys_bus, phys_devfn;       /* a virtual function's physical one */
    bool has_pxm;
    uint32_t pxm;                       /* ACPI proximity domain, if has_pxm */
};

struct pci_records {
    unsigned int nr;
    struct pci_dev_record dev[PCI_RECORD_MAX];
};

struct pci_mcfg_region {
    uint64_t base;
    uint16_t seg;
    uint8_t start_bus, end_bus;
    bool reserved;                      /* dom0 confirmed it is reserved */
};

/* Adds or updates a device (Xen's pci_add_device): 0, or -ENOMEM when full. */
int pci_record_add(struct pci_records *r, const struct pci_dev_record *dev);
/* 0, or -ENODEV if the device was never added (or removed already). */
int pci_record_remove(struct pci_records *r, uint16_t seg, uint8_t bus, uint8_t devfn);
const struct pci_dev_record *pci_record_find(const struct pci_records *r, uint16_t seg,
                                             uint8_t bus, uint8_t devfn);
/*
 * PHYSDEVOP_pci_mmcfg_reserved against the MCFG's regions (Xen's
 * pci_mmcfg_reserved): -EINVAL for unknown flags, -ENODEV for a region the
 * MCFG does not list, -EIO if its base differs, else 0 and it is recorded.
 */
int pci_mcfg_reserved(struct pci_mcfg_region *regions, unsigned int nr, uint64_t address,
                      uint16_t seg, uint8_t start_bus, uint8_t end_bus, uint32_t flags);

#endif
