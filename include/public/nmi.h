/* SPDX-License-Identifier: MIT */
/*
 * The nmi_op hypercall, and why dom0 got an NMI: the reason bits the
 * hypervisor sets in shared_info.arch.nmi_reason before the NMI callback.
 */
#ifndef __XEN_PUBLIC_NMI_H__
#define __XEN_PUBLIC_NMI_H__

#include "xen.h"

/* I/O check error reported by the chipset. */
#define _XEN_NMIREASON_io_error 0
#define XEN_NMIREASON_io_error  (1UL << _XEN_NMIREASON_io_error)
/* PCI SERR reported by the chipset. */
#define _XEN_NMIREASON_pci_serr 1
#define XEN_NMIREASON_pci_serr  (1UL << _XEN_NMIREASON_pci_serr)
/* Neither: some other NMI source. */
#define _XEN_NMIREASON_unknown  2
#define XEN_NMIREASON_unknown   (1UL << _XEN_NMIREASON_unknown)

/* Register the NMI handler (dom0). Argument: xennmi_callback. */
#define XENNMI_register_callback 0
struct xennmi_callback {
    unsigned long handler_address;
    unsigned long pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);

/* Remove it again. No argument. */
#define XENNMI_unregister_callback 1

#endif /* __XEN_PUBLIC_NMI_H__ */
