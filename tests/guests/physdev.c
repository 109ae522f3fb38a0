// SPDX-License-Identifier: GPL-2.0-only
/*
 * physdev: dom0's physical interrupts and devices, as Linux 6.1 uses them.
 * physdev_op's sub-ops and their error codes (apic_read/write,
 * alloc_irq_vector, map/unmap_pirq for GSIs, setup_gsi, irq_status_query,
 * eoi, pirq_eoi_gmfn, get_free_pirq, the PCI device reports, restore_msi,
 * pci_mmcfg_reserved, dbgp_op, set_iobitmap), EVTCHNOP_bind_pirq and the
 * pirq ports' close and status, and real interrupts: the CMOS RTC's update
 * interrupt (ISA IRQ 8) delivered as an event, edge-triggered and then
 * level-triggered (which needs PHYSDEVOP_eoi and shows in the EOI bitmap).
 *
 * The machine is run-guest.sh's QEMU q35, one CPU: one I/O APIC at
 * 0xfec00000 with 24 pins, ISA IRQ 0 routed to GSI 2, MCFG at 0xb0000000
 * for buses 0-255, PCI devices 00:00.0, 00:01.0, 00:02.0, 00:1f.{0,2,3}.
 * Satori and Xen 4.17 both keep IRQ 0 (the timer's) and IRQ 4 (COM1, their
 * console) for themselves. GSIs 3, 6 and 7 have nothing attached: the
 * mapping cases use them.
 */
#include <public/physdev.h>

#include "guest.h"

const char guest_name[] = "physdev";

#define IOAPIC_BASE 0xfec00000UL
#define NR_GSIS 24
#define NR_PIRQS 208            /* Xen's formula for 24 GSIs and one CPU */
#define MS 1000000UL

static uint8_t eoi_map[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static long pop(int cmd, void *arg)
{
    return HYPERVISOR_physdev_op(cmd, arg);
}

static long apic_read(unsigned long base, uint32_t reg, uint32_t *val)
{
    physdev_apic_t a = { .apic_physbase = base, .reg = reg };
    long rc = pop(PHYSDEVOP_apic_read, &a);

    *val = a.value;
    return rc;
}

static long apic_write(unsigned long base, uint32_t reg, uint32_t val)
{
    physdev_apic_t a = { .apic_physbase = base, .reg = reg, .value = val };

    return pop(PHYSDEVOP_apic_write, &a);
}

/* map_pirq of a GSI for dom0; *pirq in and out. */
static long map_gsi(int gsi, int *pirq)
{
    physdev_map_pirq_t m = { .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = gsi,
                             .pirq = *pirq };
    long rc = pop(PHYSDEVOP_map_pirq, &m);

    *pirq = m.pirq;
    return rc;
}

static long map1(int gsi, int pirq)
{
    return map_gsi(gsi, &pirq);
}

static long unmap(domid_t dom, int pirq)
{
    physdev_unmap_pirq_t u = { .domid = dom, .pirq = pirq };

    return pop(PHYSDEVOP_unmap_pirq, &u);
}

static long status_query(uint32_t pirq, uint32_t *flags)
{
    physdev_irq_status_query_t q = { .irq = pirq, .flags = 0xdead };
    long rc = pop(PHYSDEVOP_irq_status_query, &q);

    *flags = q.flags;
    return rc;
}

static long eoi(uint32_t pirq)
{
    physdev_eoi_t e = { .irq = pirq };

    return pop(PHYSDEVOP_eoi, &e);
}

static long setup_gsi(int gsi, int level, int low)
{
    physdev_setup_gsi_t s = { .gsi = gsi, .triggering = (uint8_t)level, .polarity = (uint8_t)low };

    return pop(PHYSDEVOP_setup_gsi, &s);
}

static long get_free_pirq(int type, uint32_t *pirq)
{
    physdev_get_free_pirq_t g = { .type = type, .pirq = 0xdead };
    long rc = pop(PHYSDEVOP_get_free_pirq, &g);

    *pirq = g.pirq;
    return rc;
}

static long bind_pirq(uint32_t pirq, uint32_t flags, evtchn_port_t *port)
{
    evtchn_bind_pirq_t b = { .pirq = pirq, .flags = flags };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

    *port = b.port;
    return rc;
}

static long evclose(evtchn_port_t p)
{
    evtchn_close_t c = { .port = p };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

static int pending(evtchn_port_t p)
{
    return (shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void clear_pending(evtchn_port_t p)
{
    __atomic_fetch_and(&shared_info->evtchn_pending[p / 64], ~(1UL << (p % 64)),
                       __ATOMIC_SEQ_CST);
}

static int eoi_bit(uint32_t pirq)
{
    return (eoi_map[pirq / 8] >> (pirq % 8)) & 1;
}

/* ---- the CMOS RTC (ports 0x70/0x71) ----------------------------------- */

static void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    outb(0x70, reg);
    outb(0x71, v);
}

#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_UIE 0x10

static void rtc_update_irq(int on)
{
    uint8_t b = cmos_read(RTC_REG_B);

    cmos_write(RTC_REG_B, on ? (b | RTC_UIE) : (b & ~RTC_UIE));
    (void)cmos_read(RTC_REG_C);         /* ack: the IRQ line drops */
}

/* Waits up to ms for port to become pending (events stay masked: we poll). */
static int wait_pending(evtchn_port_t p, unsigned long ms)
{
    uint64_t end = system_time_ns() + ms * MS;

    while (system_time_ns() < end)
        if (pending(p))
            return 1;
    return pending(p);
}

/* ---- cases ------------------------------------------------------------- */

static void case_apic(void)
{
    uint32_t v = 0;
    physdev_irq_t irq = { .irq = 5, .vector = 0 };

    case_begin("apic_read");
    CHECK_EQ(apic_read(IOAPIC_BASE, 1, &v), 0);
    CHECK_EQ(v & 0xff, 0x20);                       /* version */
    CHECK_EQ((v >> 16) & 0xff, NR_GSIS - 1);        /* max redirection entry */
    CHECK_EQ(apic_read(IOAPIC_BASE, 0, &v), 0);
    CHECK_EQ((v >> 24) & 0xf, 0);                   /* I/O APIC id 0 */
    CHECK_EQ(apic_read(IOAPIC_BASE + 0x1000, 1, &v), -EINVAL);
    CHECK_EQ(apic_read(0, 1, &v), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_apic_read, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("apic_write");
    CHECK_EQ(apic_write(IOAPIC_BASE, 0, 0x0f000000), 0);    /* id: ignored */
    CHECK_EQ(apic_read(IOAPIC_BASE, 0, &v), 0);
    CHECK_EQ((v >> 24) & 0xf, 0);
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x11 + 2 * 7, 0xff000000), 0);   /* high half: ignored */
    CHECK_EQ(apic_write(IOAPIC_BASE + 0x1000, 0x10, 0x10000), -EINVAL);
    /* ExtINT (7) and INIT (5) delivery: refused; the pin is untouched */
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x10 + 2 * 7, 0x10700 | 40), -EINVAL);
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x10 + 2 * 7, 0x10500 | 40), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_apic_write, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("apic_write_maps_vector_as_pirq");
    /* unmasked, edge, vector 40: Xen reads the vector as dom0's pirq */
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x10 + 2 * 13, 40), 0);
    CHECK_EQ(apic_read(IOAPIC_BASE, 0x10 + 2 * 13, &v), 0);
    CHECK((v & 0xff) != 0);                         /* the hypervisor's vector */
    CHECK_EQ(map1(13, 41), -EEXIST);                /* GSI 13 is pirq 40's now */
    CHECK_EQ(map1(13, 40), 0);
    CHECK_EQ(unmap(DOMID_SELF, 40), 0);
    /* masked: no pirq is taken */
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x10 + 2 * 14, 0x10000 | 42), 0);
    CHECK_EQ(unmap(DOMID_SELF, 42), -EINVAL);
    /* a vector past the domain's pirqs */
    CHECK_EQ(apic_write(IOAPIC_BASE, 0x10 + 2 * 14, NR_PIRQS), -EINVAL);
    case_end();

    case_begin("alloc_irq_vector");
    CHECK_EQ(pop(PHYSDEVOP_alloc_irq_vector, &irq), 0);
    CHECK_EQ(irq.vector, 5);                        /* the irq, echoed */
    irq.irq = 1000;
    CHECK_EQ(pop(PHYSDEVOP_alloc_irq_vector, &irq), 0);
    CHECK_EQ(irq.vector, 1000);
    CHECK_EQ(pop(PHYSDEVOP_alloc_irq_vector, (void *)0x1000), -EFAULT);
    case_end();
}

static void case_map(void)
{
    physdev_map_pirq_t m;
    int pirq;

    case_begin("map_bad_args");
    CHECK_EQ(map1(-1, -1), -EINVAL);
    CHECK_EQ(map1(NR_GSIS, -1), -EINVAL);
    CHECK_EQ(map1(0, 0), -EPERM);                   /* IRQ 0: the hypervisor's timer */
    CHECK_EQ(map1(0, -1), -EPERM);
    CHECK_EQ(map1(6, NR_PIRQS), -EINVAL);
    memset(&m, 0, sizeof(m));
    m.domid = DOMID_SELF;
    m.type = MAP_PIRQ_TYPE_UNKNOWN;
    m.index = 6;
    m.pirq = 6;
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -EINVAL);
    m.type = MAP_PIRQ_TYPE_GSI;
    m.domid = 0x1234;
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -ESRCH);
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("map_identity");
    pirq = 6;
    CHECK_EQ(map_gsi(6, &pirq), 0);
    CHECK_EQ(pirq, 6);
    CHECK_EQ(map1(6, 6), 0);                        /* again: no change */
    CHECK_EQ(map1(6, 9), -EEXIST);                  /* GSI 6 has pirq 6 */
    pirq = -1;
    CHECK_EQ(map_gsi(6, &pirq), 0);                 /* any pirq: the one it has */
    CHECK_EQ(pirq, 6);
    case_end();

    case_begin("map_free_pirq");
    pirq = -1;
    CHECK_EQ(map_gsi(3, &pirq), 0);
    CHECK_EQ(pirq, 16);                             /* the first free from 16 up */
    pirq = -1;
    CHECK_EQ(map_gsi(5, &pirq), 0);
    CHECK_EQ(pirq, 17);
    CHECK_EQ(unmap(DOMID_SELF, 17), 0);
    CHECK_EQ(unmap(DOMID_SELF, 16), 0);
    case_end();

    case_begin("map_pirq_taken_is_quietly_ignored");
    /* pirq 6 is GSI 6's: mapping GSI 15 to it "succeeds" and changes nothing */
    CHECK_EQ(map1(15, 6), 0);
    CHECK_EQ(unmap(DOMID_SELF, 6), 0);
    CHECK_EQ(unmap(DOMID_SELF, 6), -EINVAL);
    case_end();

    case_begin("unmap_bad_args");
    CHECK_EQ(unmap(DOMID_SELF, 50), -EINVAL);       /* not mapped */
    CHECK_EQ(unmap(DOMID_SELF, -1), -EINVAL);
    CHECK_EQ(unmap(DOMID_SELF, NR_PIRQS), -EINVAL);
    CHECK_EQ(unmap(0x1234, 6), -ESRCH);
    CHECK_EQ(pop(PHYSDEVOP_unmap_pirq, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("remap_after_unmap");
    /* unmapping takes the IRQ away from the domain, as Xen does */
    CHECK_EQ(map1(6, 6), -EPERM);
    CHECK_EQ(map1(3, 30), -EPERM);
    case_end();
}

static void case_status_eoi(void)
{
    uint32_t flags = 0;

    case_begin("irq_status_query");
    CHECK_EQ(map1(7, 7), 0);
    CHECK_EQ(status_query(7, &flags), 0);
    CHECK_EQ(flags, XENIRQSTAT_needs_eoi);          /* always, for a PV guest */
    CHECK_EQ(status_query(100, &flags), 0);         /* not mapped: the same */
    CHECK_EQ(flags, XENIRQSTAT_needs_eoi);
    CHECK_EQ(status_query(NR_PIRQS - 1, &flags), 0);
    CHECK_EQ(status_query(NR_PIRQS, &flags), -EINVAL);
    CHECK_EQ(status_query(0xffffffffu, &flags), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_irq_status_query, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("eoi");
    CHECK_EQ(eoi(7), 0);                            /* mapped, not bound */
    CHECK_EQ(eoi(100), -EINVAL);                    /* never used */
    CHECK_EQ(eoi(NR_PIRQS), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_eoi, (void *)0x1000), -EFAULT);
    CHECK_EQ(pop(PHYSDEVOP_IRQ_UNMASK_NOTIFY, NULL), 0);
    case_end();
}

static void case_free_pirq(void)
{
    uint32_t p = 0, q = 0;

    case_begin("get_free_pirq");
    CHECK_EQ(get_free_pirq(MAP_PIRQ_TYPE_GSI, &p), 0);
    CHECK_EQ(p, 16);
    CHECK_EQ(get_free_pirq(MAP_PIRQ_TYPE_GSI, &q), 0);
    CHECK_EQ(q, 17);                                /* 16 is taken now */
    CHECK_EQ(get_free_pirq(MAP_PIRQ_TYPE_MSI, &p), 0);
    CHECK_EQ(p, NR_PIRQS - 1);                      /* MSI: from the top */
    CHECK_EQ(get_free_pirq(99, &q), 0);             /* any other type: MSI's way */
    CHECK_EQ(q, NR_PIRQS - 2);
    CHECK_EQ(pop(PHYSDEVOP_get_free_pirq, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("allocated_pirq");
    /* allocated, not mapped: unmap and bind refuse it, eoi finds it */
    CHECK_EQ(unmap(DOMID_SELF, 16), -EINVAL);
    CHECK_EQ(eoi(16), 0);
    CHECK_EQ(bind_pirq(16, 0, &(evtchn_port_t){0}), -EPERM);
    case_end();
}

static void case_bind(void)
{
    evtchn_port_t port = 0, p2 = 0;
    evtchn_status_t st;
    int pirq;

    case_begin("bind_pirq");
    CHECK_EQ(bind_pirq(NR_PIRQS, 0, &port), -EINVAL);
    CHECK_EQ(bind_pirq(50, 0, &port), -EPERM);      /* not mapped */
    CHECK_EQ(bind_pirq(7, 0, &port), 0);
    CHECK(port > 0);
    CHECK_EQ(bind_pirq(7, 0, &p2), -EEXIST);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = port;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_pirq);
    CHECK_EQ(st.u.pirq, 7);
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("bound_pirq_state");
    CHECK_EQ(setup_gsi(7, 0, 0), -EEXIST);          /* bound: in use */
    CHECK_EQ(eoi(7), 0);
    CHECK_EQ(evclose(port), 0);
    CHECK_EQ(evclose(port), -EINVAL);
    CHECK_EQ(bind_pirq(7, 0, &port), 0);            /* again after the close */
    case_end();

    case_begin("unmap_bound_pirq");
    /* unmap unbinds it by force; the port stays a pirq port until closed */
    CHECK_EQ(unmap(DOMID_SELF, 7), 0);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.port = port;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_pirq);
    CHECK_EQ(bind_pirq(7, 0, &p2), -EPERM);         /* no longer mapped */
    CHECK_EQ(map1(7, -1), -EBUSY);
    CHECK_EQ(map1(7, 8), -EEXIST);
    CHECK_EQ(unmap(DOMID_SELF, 7), -EINVAL);
    CHECK_EQ(evclose(port), 0);
    CHECK_EQ(eoi(7), -EINVAL);                      /* gone for good */
    case_end();

    case_begin("hypervisor_irqs");
    /* IRQ 4 is COM1, the hypervisor console's: mappable, never bindable */
    pirq = 4;
    CHECK_EQ(map_gsi(4, &pirq), 0);
    CHECK_EQ(setup_gsi(4, 0, 0), -EEXIST);
    CHECK_EQ(bind_pirq(4, 0, &port), -EBUSY);
    CHECK_EQ(bind_pirq(4, BIND_PIRQ__WILL_SHARE, &port), -EBUSY);
    CHECK_EQ(setup_gsi(0, 0, 0), -EEXIST);          /* IRQ 0: the timer's */
    case_end();
}

static void case_setup_gsi(void)
{
    case_begin("setup_gsi");
    CHECK_EQ(setup_gsi(-1, 0, 0), -EINVAL);
    CHECK_EQ(setup_gsi(NR_GSIS, 0, 0), -EINVAL);
    CHECK_EQ(setup_gsi(3, 1, 1), 0);
    CHECK_EQ(setup_gsi(3, 0, 0), -EEXIST);          /* programmed once */
    CHECK_EQ(pop(PHYSDEVOP_setup_gsi, (void *)0x1000), -EFAULT);
    case_end();
}

static void case_eoi_gmfn(void)
{
    physdev_pirq_eoi_gmfn_t g = { .gmfn = 0xfffffffffUL };

    case_begin("pirq_eoi_gmfn");
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL);
    g.gmfn = virt_to_mfn((void *)start_info->pt_base);     /* a page table */
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL);
    memset(eoi_map, 0xff, sizeof(eoi_map));
    g.gmfn = virt_to_mfn(eoi_map);
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0);
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EBUSY);
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v1, &g), -EBUSY);
    CHECK_EQ(eoi_map[0], 0xff);                     /* the hypervisor leaves it as it is */
    memset(eoi_map, 0, sizeof(eoi_map));
    CHECK_EQ(pop(PHYSDEVOP_pirq_eoi_gmfn_v2, (void *)0x1000), -EFAULT);
    case_end();
}

/* The RTC's update interrupt, once a second, on pirq 8. */
static void case_rtc(void)
{
    physdev_set_iopl_t iopl = { .iopl = 1 };
    evtchn_port_t port = 0;

    CASE("set_iopl", pop(PHYSDEVOP_set_iopl, &iopl) == 0);
    rtc_update_irq(0);

    case_begin("rtc_edge");
    CHECK_EQ(map1(8, 8), 0);
    CHECK_EQ(bind_pirq(8, 0, &port), 0);
    CHECK_EQ(eoi_bit(8), 0);                        /* edge: no EOI needed */
    clear_pending(port);
    rtc_update_irq(1);
    CHECK(wait_pending(port, 1500));
    clear_pending(port);
    (void)cmos_read(RTC_REG_C);
    CHECK(wait_pending(port, 1500));                /* the next second's, no EOI */
    rtc_update_irq(0);
    CHECK_EQ(evclose(port), 0);
    case_end();

    case_begin("rtc_level");
    /* the RTC holds its line until register C is read: it can be level */
    CHECK_EQ(setup_gsi(8, 1, 0), 0);
    CHECK_EQ(bind_pirq(8, BIND_PIRQ__WILL_SHARE, &port), 0);
    CHECK_EQ(eoi_bit(8), 1);                        /* level: EOI needed */
    clear_pending(port);
    rtc_update_irq(1);
    CHECK(wait_pending(port, 1500));
    clear_pending(port);
    (void)cmos_read(RTC_REG_C);
    CHECK_EQ(eoi(8), 0);
    CHECK(wait_pending(port, 1500));
    rtc_update_irq(0);
    CHECK_EQ(eoi(8), 0);
    CHECK_EQ(evclose(port), 0);
    CHECK_EQ(unmap(DOMID_SELF, 8), 0);
    case_end();
}

static void case_pci(void)
{
    struct {
        physdev_pci_device_add_t add;
        uint32_t pxm;
    } a;
    physdev_pci_device_t dev;
    physdev_manage_pci_t mp;
    physdev_manage_pci_ext_t mx;
    physdev_restore_msi_t rm;
    physdev_pci_mmcfg_reserved_t mc;
    physdev_dbgp_op_t dbgp;

    case_begin("pci_device_add_remove");
    memset(&a, 0, sizeof(a));
    a.add.devfn = 0x08;                             /* 00:01.0 */
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, &a), 0);
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, &a), 0); /* again: fine */
    a.add.flags = XEN_PCI_DEV_PXM;
    a.pxm = 0;
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, &a), 0);
    dev = (physdev_pci_device_t){ .seg = 0, .bus = 0, .devfn = 0x08 };
    CHECK_EQ(pop(PHYSDEVOP_pci_device_remove, &dev), 0);
    CHECK_EQ(pop(PHYSDEVOP_pci_device_remove, &dev), -ENODEV);
    dev.bus = 0x42;                                 /* never there */
    CHECK_EQ(pop(PHYSDEVOP_pci_device_remove, &dev), -ENODEV);
    a.add.flags = 0;
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, &a), 0); /* back */
    CHECK_EQ(pop(PHYSDEVOP_pci_device_add, (void *)0x1000), -EFAULT);
    CHECK_EQ(pop(PHYSDEVOP_pci_device_remove, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("manage_pci");
    mp = (physdev_manage_pci_t){ .bus = 0, .devfn = 0x10 };  /* 00:02.0 */
    /* without an IOMMU Xen knows only what dom0 reports: nothing at first */
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_remove, &mp), -ENODEV);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add, &mp), 0);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_remove, &mp), 0);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_remove, &mp), -ENODEV);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add, &mp), 0);
    memset(&mx, 0, sizeof(mx));
    mx.devfn = 0x10;
    mx.is_extfn = 2;
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add_ext, &mx), -EINVAL);
    mx.is_extfn = 0;
    mx.is_virtfn = 2;
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add_ext, &mx), -EINVAL);
    mx.is_virtfn = 0;
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add_ext, &mx), 0);
    CHECK_EQ(pop(PHYSDEVOP_manage_pci_add, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("restore_msi");
    rm = (physdev_restore_msi_t){ .bus = 0, .devfn = 0x08 };     /* reported above */
    CHECK_EQ(pop(PHYSDEVOP_restore_msi, &rm), 0);   /* no MSI in use: nothing to do */
    rm.devfn = 0;                                   /* 00:00.0: never reported */
    CHECK_EQ(pop(PHYSDEVOP_restore_msi, &rm), -ENODEV);
    dev = (physdev_pci_device_t){ .seg = 0, .bus = 0, .devfn = 0x10 };
    CHECK_EQ(pop(PHYSDEVOP_restore_msi_ext, &dev), 0);
    dev.seg = 7;
    CHECK_EQ(pop(PHYSDEVOP_restore_msi_ext, &dev), -ENODEV);
    CHECK_EQ(pop(PHYSDEVOP_restore_msi, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("pci_mmcfg_reserved");
    mc = (physdev_pci_mmcfg_reserved_t){ .address = 0xb0000000UL, .segment = 0, .start_bus = 0,
                                         .end_bus = 0xff, .flags = XEN_PCI_MMCFG_RESERVED };
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, &mc), 0);
    mc.address = 0xc0000000UL;
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, &mc), -EIO);
    mc.address = 0xb0000000UL;
    mc.end_bus = 0x7f;
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, &mc), -ENODEV);
    mc.end_bus = 0xff;
    mc.flags = 2;
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, &mc), -EINVAL);
    CHECK_EQ(pop(PHYSDEVOP_pci_mmcfg_reserved, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("dbgp_op");
    memset(&dbgp, 0, sizeof(dbgp));
    dbgp.op = PHYSDEVOP_DBGP_RESET_PREPARE;
    CHECK_EQ(pop(PHYSDEVOP_dbgp_op, &dbgp), 0);     /* no EHCI debug port in use */
    CHECK_EQ(pop(PHYSDEVOP_dbgp_op, (void *)0x1000), -EFAULT);
    case_end();
}

static void case_msi(void)
{
    physdev_map_pirq_t m;

    case_begin("map_msi");
    memset(&m, 0, sizeof(m));
    m.domid = DOMID_SELF;
    m.type = MAP_PIRQ_TYPE_MSI;
    m.index = -1;
    m.pirq = -1;
    m.bus = 0x42;                                   /* no such device */
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -ENODEV);
    m.type = MAP_PIRQ_TYPE_MSI_SEG;
    m.bus = 0x10000;                                /* segment 1 */
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -ENODEV);
    m.type = MAP_PIRQ_TYPE_MSI;
    m.bus = 0;
    m.index = 5;                                    /* a GSI's IRQ cannot be an MSI's */
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -EINVAL);
    m.type = MAP_PIRQ_TYPE_MULTI_MSI;
    m.index = -1;
    m.entry_nr = 2;
    m.table_base = 0x1000;                          /* MSI-X has no multi-vector form */
    CHECK_EQ(pop(PHYSDEVOP_map_pirq, &m), -EINVAL);
    case_end();
}

static uint8_t iobmp[2 * PAGE_SIZE];

static long set_iobitmap(void *bitmap, uint32_t nr_ports)
{
    physdev_set_iobitmap_t io = { .nr_ports = nr_ports };

    set_xen_guest_handle(io.bitmap, bitmap);
    return pop(PHYSDEVOP_set_iobitmap, &io);
}

static void case_iobitmap(void)
{
    physdev_set_iopl_t iopl = { .iopl = 0 };

    case_begin("set_iobitmap");
    CHECK_EQ(set_iobitmap(iobmp, 65537), -EINVAL);
    CHECK_EQ(set_iobitmap((void *)0xffff800000000000UL, 16), -EINVAL);
    CHECK_EQ(set_iobitmap((void *)0x00007ffffffff000UL, 16), 0);   /* only its start counts */
    CHECK_EQ(set_iobitmap(NULL, 16), 0);
    CHECK_EQ(set_iobitmap(iobmp, 0), 0);            /* no ports through the bitmap */
    CHECK_EQ(pop(PHYSDEVOP_set_iobitmap, (void *)0x1000), -EFAULT);
    case_end();

    case_begin("iobitmap_grants_ports");
    CHECK_EQ(pop(PHYSDEVOP_set_iopl, &iopl), 0);
    memset(iobmp, 0xff, sizeof(iobmp));
    iobmp[0x80 / 8] = (uint8_t)~1u;                 /* port 0x80 only */
    CHECK_EQ(set_iobitmap(iobmp, 0x100), 0);
    EXPECT_TRAP("inb $0x80, %%al");
    CHECK_EQ(last_trap.taken, 0);
    EXPECT_TRAP("outb %%al, $0x80");
    CHECK_EQ(last_trap.taken, 0);
    EXPECT_TRAP("inb $0x81, %%al");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(last_trap.vector, 13);
    EXPECT_TRAP("inw $0x80, %%ax");                 /* 0x81 is not granted */
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(set_iobitmap(iobmp, 0x80), 0);         /* 0x80 is past the limit now */
    EXPECT_TRAP("inb $0x80, %%al");
    CHECK_EQ(last_trap.taken, 1);
    CHECK_EQ(set_iobitmap(iobmp, 0), 0);
    case_end();
}

static void case_misc(void)
{
    struct physdev_op op;

    case_begin("unknown_ops");
    CHECK_EQ(pop(PHYSDEVOP_free_irq_vector, &(physdev_irq_t){ 0 }), -ENOSYS);
    CHECK_EQ(pop(3, NULL), -ENOSYS);
    CHECK_EQ(pop(18, NULL), -ENOSYS);
    CHECK_EQ(pop(22, NULL), -ENOSYS);
    CHECK_EQ(pop(32, NULL), -ENOSYS);
    case_end();

    case_begin("physdev_op_compat");
    /* the pre-3.2 form: { cmd, argument }, every sub-op forwarded */
    CHECK_EQ(HYPERVISOR_physdev_op_compat(NULL), -EFAULT);
    memset(&op, 0, sizeof(op));
    op.cmd = 1000;
    CHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -ENOSYS);
    op.cmd = PHYSDEVOP_map_pirq;                    /* MSI, index 0: not an MSI IRQ */
    CHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -EINVAL);
    memset(&op, 0, sizeof(op));
    op.cmd = PHYSDEVOP_irq_status_query;
    op.u.irq_status_query.irq = NR_PIRQS;
    CHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -EINVAL);
    op.u.irq_status_query.irq = 5;
    CHECK_EQ(HYPERVISOR_physdev_op_compat(&op), 0);
    op.cmd = PHYSDEVOP_set_iopl;
    op.u.set_iopl.iopl = 4;
    CHECK_EQ(HYPERVISOR_physdev_op_compat(&op), -EINVAL);
    case_end();
}

void guest_main(void)
{
    case_apic();
    case_map();
    case_status_eoi();
    case_free_pirq();
    case_eoi_gmfn();
    case_bind();
    case_setup_gsi();
    case_iobitmap();
    case_rtc();
    case_pci();
    case_msi();
    case_misc();
}
