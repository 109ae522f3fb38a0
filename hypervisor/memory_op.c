/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op (12), the queries: page counts of a domain, the highest RAM
 * frame, where the M2P is mapped, and the memory maps (the caller's
 * pseudo-physical one, the machine's for dom0). Growing and shrinking a
 * domain (increase/decrease_reservation, populate_physmap, exchange) is
 * not here yet: -ENOSYS, which Linux survives at boot.
 *
 * cmd carries a sub-op in its low 6 bits and a continuation's start extent
 * above them (Xen's MEMOP_CMD_MASK / MEMOP_EXTENT_SHIFT); none of these
 * sub-ops continues, so a non-zero start extent is -EINVAL where Xen
 * checks it.
 *
 * ABI corner cases (Xen 4.17): a domain argument may be DOMID_SELF or an
 * id; an unknown id is -ESRCH, another domain's from an unprivileged
 * caller -EPERM. A PV dom0 has no pseudo-physical map (XENMEM_memory_map
 * is -ENOSYS; Linux then uses one RAM range of nr_pages). For
 * machine_memory_map a NULL buffer asks only for the count, a buffer
 * with room for fewer than all entries + 1 is -EINVAL.
 */
#include <public/memory.h>
#include <satori/domain.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/memmap.h>
#include <satori/nospec.h>
#include <asm/layout.h>
#include <asm/mm.h>
#include <asm/uaccess.h>

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1u << MEMOP_EXTENT_SHIFT) - 1)

#define E820_RAM 1
#define E820_RESERVED 2

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

/* Only the running domain can be found until domains are kept in a table. */
static long memop_domain(domid_t id, struct domain **out)
{
    struct domain *self = current_vcpu()->domain;

    if (id == DOMID_SELF || id == self->domain_id) {
        *out = self;
        return 0;
    }
    return -ESRCH;
}

/* XENMEM_{current,maximum}_reservation, maximum_gpfn: arg = &domid. */
static long memop_domain_query(unsigned int op, uint64_t arg)
{
    struct xen_memory_domain md;
    struct domain *d;
    long rc;

    if (copy_from_guest(&md.domid, arg, sizeof(md.domid)))
        return -EFAULT;
    rc = memop_domain(md.domid, &d);
    if (rc)
        return rc;
    switch (op) {
    case XENMEM_current_reservation:
        return (long)d->tot_pages;
    case XENMEM_maximum_reservation:
        return (long)d->max_pages;
    default: /* XENMEM_maximum_gpfn: the guest's own max_pfn, as Xen's PV */
        return (long)((d->shared_info->arch.max_pfn ?: 1) - 1);
    }
}

static long memop_machphys_mapping(uint64_t arg)
{
    struct xen_machphys_mapping m = {
        .v_start = RO_MPT_VIRT_START,
        .v_end = RO_MPT_VIRT_END,
        .max_mfn = max_page - 1,
    };

    return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* The e820 type of a Satori region: its own image and modules are RAM. */
static uint32_t e820_type(uint32_t type)
{
    return type == MEM_HYPERVISOR || type == MEM_MODULE ? E820_RAM : type;
}

/* Fills out[] (if non-NULL) with the merged map; returns the entry count. */
static unsigned int machine_e820(struct e820_entry *out, unsigned int max)
{
    const struct mem_map *m = boot_memory_map();
    struct e820_entry cur = { 0, 0, 0 };
    unsigned int n = 0;

    for (unsigned int i = 0; i < m->n && i < MEMMAP_MAX; i++) {
        const struct mem_region *r = &m->r[i];
        uint32_t t = e820_type(r->type);
        if (cur.size && cur.type == t && cur.addr + cur.size == r->start) {
            cur.size += r->end - r->start;
            continue;
        }
        if (cur.size && out && n < max)
            out[n] = cur;
        n += cur.size != 0;
        cur = (struct e820_entry){ r->start, r->end - r->start, t };
    }
    if (cur.size && out && n < max)
        out[n] = cur;
    return n + (cur.size != 0);
}

static long memop_machine_memory_map(uint64_t arg)
{
    struct e820_entry map[MEMMAP_MAX];          /* 2.5 KiB */
    struct xen_memory_map mm;
    unsigned int n;

    if (!current_vcpu()->domain->privileged)
        return -EPERM;
    if (copy_from_guest(&mm, arg, sizeof(mm)))
        return -EFAULT;
    n = machine_e820(map, MEMMAP_MAX);
    if (mm.buffer.p) {
        if (mm.nr_entries < n + 1)
            return -EINVAL;
        if (copy_to_guest((uint64_t)mm.buffer.p, map, n * sizeof(map[0])))
            return -EFAULT;
    }
    mm.nr_entries = n;
    return copy_to_guest(arg, &mm, sizeof(mm)) ? -EFAULT : 0;
}

/* A PV dom0 has no pseudo-physical e820 of its own (nor a domU yet). */
static long memop_memory_map(uint64_t arg)
{
    struct xen_memory_map mm;

    if (copy_from_guest(&mm, arg, sizeof(mm)))
        return -EFAULT;
    return -ENOSYS;
}

long do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    unsigned int op = (unsigned int)cmd & MEMOP_CMD_MASK;
    uint64_t start_extent = (uint32_t)cmd >> MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_maximum_ram_page:
        return start_extent ? -EINVAL : (long)max_page;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return start_extent ? -EINVAL : memop_domain_query(op, arg);
    case XENMEM_machphys_mapping:
        return memop_machphys_mapping(arg);
    case XENMEM_machine_memory_map:
        return memop_machine_memory_map(arg);
    case XENMEM_memory_map:
        return memop_memory_map(arg);
    default:
        return -ENOSYS;
    }
}
