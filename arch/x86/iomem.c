/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which machine frames outside RAM the hardware domain (dom0) may map, by
 * Xen's rule for its hardware domain: all I/O memory, that is
 *  - the first MiB (BIOS data, EBDA, ISA hole, option ROMs; the allocator
 *    never hands it out, as Xen gives it to dom_io),
 *  - firmware regions (e820 reserved, ACPI, NVS) and holes (PCI BARs, MMIO),
 * but never
 *  - RAM above 1 MiB (owned by the allocator, the hypervisor or a domain,
 *    and mapped through the frame table's ownership rules instead),
 *  - the hypervisor's image and the boot modules,
 *  - the interrupt controllers Satori drives: the local APIC page and the
 *    I/O APICs (dom0 reaches an I/O APIC through physdev_op, as on Xen).
 * Other domains map no I/O memory (there is no device passthrough yet).
 * Mappings are read-write as on Xen: dom0 is trusted with its firmware.
 */
#include <satori/hypercall.h>
#include <satori/memmap.h>
#include <asm/acpi.h>
#include <asm/iomem.h>
#include <asm/mm.h>

#define LOW_MEMORY_END (1UL << 20)
#define DEFAULT_LAPIC 0xfee00000UL
#define DEFAULT_IOAPIC 0xfec00000UL

static uint64_t denied[1 + ACPI_MAX_IOAPICS];     /* frames; written once at boot */
static unsigned int nr_denied;

void iomem_init(const struct acpi_madt_info *madt)
{
    unsigned int n = madt->nr_ioapics < ACPI_MAX_IOAPICS ? madt->nr_ioapics : ACPI_MAX_IOAPICS;

    denied[nr_denied++] = (madt->lapic_paddr ? madt->lapic_paddr : DEFAULT_LAPIC) >> PAGE_SHIFT;
    if (!n)
        denied[nr_denied++] = DEFAULT_IOAPIC >> PAGE_SHIFT;
    for (unsigned int i = 0; i < n; i++)
        denied[nr_denied++] = madt->ioapic_paddr[i] >> PAGE_SHIFT;
}

bool iomem_hwdom_may_map(uint64_t mfn)
{
    uint64_t pa = mfn << PAGE_SHIFT;
    uint32_t type;

    if (mfn >= (1UL << (52 - PAGE_SHIFT)))
        return false;
    for (unsigned int i = 0; i < nr_denied; i++)
        if (denied[i] == mfn)
            return false;
    if (pa < LOW_MEMORY_END)
        return true;
    type = memmap_type_of(boot_memory_map(), pa);
    return type != MEM_RAM && type != MEM_HYPERVISOR && type != MEM_MODULE;
}
