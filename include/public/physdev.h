/* SPDX-License-Identifier: MIT */
/*
 * The physdev_op hypercall: what a privileged domain (and a PV guest with
 * passed-through devices) uses to handle physical interrupts and PCI
 * devices: PIRQ end-of-interrupt, IRQ status, I/O privilege, mapping GSIs
 * and MSIs to PIRQs, and telling the hypervisor about PCI devices and
 * MMCONFIG regions.
 */
#ifndef __XEN_PUBLIC_PHYSDEV_H__
#define __XEN_PUBLIC_PHYSDEV_H__

#include "xen.h"

/* Signal end-of-interrupt for a PIRQ. */
#define PHYSDEVOP_eoi 12
struct physdev_eoi {
    uint32_t irq;
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);

/*
 * Share a page of "needs EOI" bits (one per PIRQ) with the hypervisor,
 * so the guest only issues PHYSDEVOP_eoi when it has to. v2 also unmasks
 * the event channel on EOI.
 */
#define PHYSDEVOP_pirq_eoi_gmfn_v1 17
#define PHYSDEVOP_pirq_eoi_gmfn_v2 28
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);

/* Whether an IRQ needs PHYSDEVOP_eoi, and whether it is shared. */
#define PHYSDEVOP_irq_status_query 5
struct physdev_irq_status_query {
    uint32_t irq;
    uint32_t flags;                 /* out: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);

#define _XENIRQSTAT_needs_eoi (0)
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared    (1)
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared)

/* The guest kernel's I/O privilege level (0-3) for IN/OUT. */
#define PHYSDEVOP_set_iopl 6
struct physdev_set_iopl {
    uint32_t iopl;
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);

/* An I/O permission bitmap for the guest kernel, as in the TSS. */
#define PHYSDEVOP_set_iobitmap 7
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap;
    uint32_t nr_ports;
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);

/* Read or write an IO-APIC register (dom0). */
#define PHYSDEVOP_apic_read  8
#define PHYSDEVOP_apic_write 9
struct physdev_apic {
    unsigned long apic_physbase;
    uint32_t reg;
    uint32_t value;
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);

/* Allocate or free an interrupt vector for an IRQ (dom0). */
#define PHYSDEVOP_alloc_irq_vector 10
#define PHYSDEVOP_free_irq_vector  11
struct physdev_irq {
    uint32_t irq;
    uint32_t vector;
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);

/* What physdev_map_pirq.type maps. */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3     /* bus holds segment << 16 | bus */
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4     /* entry_nr vectors at once */

/* Give domid a PIRQ for a GSI or an MSI (pirq -1: pick one). */
#define PHYSDEVOP_map_pirq 13
struct physdev_map_pirq {
    domid_t domid;
    int type;                       /* MAP_PIRQ_TYPE_* */
    int index;                      /* GSI */
    int pirq;                       /* in and out */
    int bus;                        /* MSI: the device */
    int devfn;
    int entry_nr;                   /* MSI-X entry, or vector count */
    uint64_t table_base;            /* MSI-X table address */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);

#define PHYSDEVOP_unmap_pirq 14
struct physdev_unmap_pirq {
    domid_t domid;
    int pirq;
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);

/* Tell the hypervisor a PCI device (segment 0) appeared or went. */
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);

/* Reprogram a device's MSI after a reset. */
#define PHYSDEVOP_restore_msi 19
struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_restore_msi physdev_restore_msi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_restore_msi_t);

/* manage_pci_add, for SR-IOV functions too. */
#define PHYSDEVOP_manage_pci_add_ext 20
struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                       /* the physical function of a VF */
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);

/* The pre-3.2 multiplexed form (physdev_op_compat). */
struct physdev_op {
    uint32_t cmd;
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_op_t);

/* Set a GSI's trigger mode and polarity from the ACPI tables (dom0). */
#define PHYSDEVOP_setup_gsi 21
struct physdev_setup_gsi {
    int gsi;
    uint8_t triggering;             /* 0 edge, 1 level */
    uint8_t polarity;               /* 0 high, 1 low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);

/* A free PIRQ number of the caller's. */
#define PHYSDEVOP_get_free_pirq 23
struct physdev_get_free_pirq {
    int type;                       /* MAP_PIRQ_TYPE_* */
    uint32_t pirq;                  /* out */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);

/* An MMCONFIG region firmware reserved (dom0 reports it from ACPI). */
#define XEN_PCI_MMCFG_RESERVED 0x1

#define PHYSDEVOP_pci_mmcfg_reserved 24
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t  start_bus;
    uint8_t  end_bus;
    uint32_t flags;
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);

/* physdev_pci_device_add.flags; PXM adds the proximity domain in optarr. */
#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4

#define PHYSDEVOP_pci_device_add 25
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t flags;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[XEN_FLEX_ARRAY_DIM];
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);

/* These take a physdev_pci_device. */
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31
struct physdev_pci_device {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);

/* Around a USB debug port's controller reset, so its console survives. */
#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2

#define PHYSDEVOP_DBGP_BUS_UNKNOWN 0
#define PHYSDEVOP_DBGP_BUS_PCI     1

#define PHYSDEVOP_dbgp_op 29
struct physdev_dbgp_op {
    uint8_t op;                     /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                    /* PHYSDEVOP_DBGP_BUS_* */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_dbgp_op_t);

/* The oldest interface's "PIRQ channels were unmasked" call; unsupported. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4

/* The variant of pirq_eoi_gmfn current guests mean. */
#define PHYSDEVOP_pirq_eoi_gmfn PHYSDEVOP_pirq_eoi_gmfn_v2

#endif /* __XEN_PUBLIC_PHYSDEV_H__ */
