/* SPDX-License-Identifier: GPL-2.0-only */
/* dom0's I/O memory: which non-RAM frames it may map (arch/x86/iomem.c). */
#ifndef ASM_IOMEM_H
#define ASM_IOMEM_H

#include <satori/types.h>

struct acpi_madt_info;

/* Records the interrupt controllers' frames (never mappable); at boot. */
void iomem_init(const struct acpi_madt_info *madt);
/* May the hardware domain map machine frame mfn, which is not its RAM? */
bool iomem_hwdom_may_map(uint64_t mfn);

#endif
