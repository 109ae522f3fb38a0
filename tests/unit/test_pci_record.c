/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of hypervisor/pci_record.c: adding, updating and removing reported
 * PCI devices as Xen 4.17 without an IOMMU does (remove of an unknown one
 * -ENODEV, the table full -ENOMEM), and pci_mmcfg_reserved's codes.
 */
#include <errno.h>

#include <satori/pci_record.h>

#include "check.h"

static struct pci_records r;

static struct pci_dev_record dev(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    return (struct pci_dev_record){ .seg = seg, .bus = bus, .devfn = devfn };
}

static void test_add_remove(void)
{
    struct pci_dev_record d = dev(0, 0, 0x08);

    memset(&r, 0, sizeof(r));
    CHECK(pci_record_remove(&r, 0, 0, 0x08) == -ENODEV);
    CHECK(pci_record_add(&r, &d) == 0);
    CHECK(pci_record_find(&r, 0, 0, 0x08) != NULL);
    CHECK(pci_record_find(&r, 1, 0, 0x08) == NULL);
    d.flags = PCI_DEV_EXTFN;
    d.has_pxm = true;
    d.pxm = 3;
    CHECK(pci_record_add(&r, &d) == 0);             /* again: updated, not duplicated */
    CHECK(r.nr == 1);
    CHECK(pci_record_find(&r, 0, 0, 0x08)->flags == PCI_DEV_EXTFN);
    CHECK(pci_record_find(&r, 0, 0, 0x08)->pxm == 3);
    CHECK(pci_record_remove(&r, 0, 0, 0x08) == 0);
    CHECK(pci_record_remove(&r, 0, 0, 0x08) == -ENODEV);
    CHECK(r.nr == 0);
}

static void test_remove_keeps_others(void)
{
    memset(&r, 0, sizeof(r));
    for (unsigned int i = 0; i < 10; i++) {
        struct pci_dev_record d = dev((uint16_t)(i % 2), (uint8_t)i, (uint8_t)(i * 8));
        CHECK(pci_record_add(&r, &d) == 0);
    }
    CHECK(pci_record_remove(&r, 1, 3, 24) == 0);
    CHECK(pci_record_remove(&r, 0, 0, 0) == 0);
    CHECK(r.nr == 8);
    for (unsigned int i = 0; i < 10; i++) {
        bool there = pci_record_find(&r, (uint16_t)(i % 2), (uint8_t)i, (uint8_t)(i * 8));
        CHECK(there == (i != 3 && i != 0));
    }
}

static void test_full(void)
{
    memset(&r, 0, sizeof(r));
    for (unsigned int i = 0; i < PCI_RECORD_MAX; i++) {
        struct pci_dev_record d = dev((uint16_t)(i >> 8), (uint8_t)i, 0);
        CHECK(pci_record_add(&r, &d) == 0);
    }
    struct pci_dev_record more = dev(0xffff, 0, 0), old = dev(0, 5, 0);
    CHECK(pci_record_add(&r, &more) == -ENOMEM);
    CHECK(pci_record_add(&r, &old) == 0);           /* an update needs no room */
    CHECK(pci_record_remove(&r, 0, 5, 0) == 0);
    CHECK(pci_record_add(&r, &more) == 0);
}

static void test_mcfg(void)
{
    struct pci_mcfg_region m[2] = {
        { .base = 0xb0000000, .seg = 0, .start_bus = 0, .end_bus = 0xff },
        { .base = 0xe0000000, .seg = 1, .start_bus = 0, .end_bus = 0x3f },
    };

    CHECK(pci_mcfg_reserved(m, 2, 0xb0000000, 0, 0, 0xff, 1) == 0);
    CHECK(m[0].reserved && !m[1].reserved);
    CHECK(pci_mcfg_reserved(m, 2, 0xb0000000, 0, 0, 0xff, 0) == 0);
    CHECK(!m[0].reserved);
    CHECK(pci_mcfg_reserved(m, 2, 0xc0000000, 0, 0, 0xff, 1) == -EIO);
    CHECK(pci_mcfg_reserved(m, 2, 0xb0000000, 0, 0, 0x7f, 1) == -ENODEV);
    CHECK(pci_mcfg_reserved(m, 2, 0xb0000000, 2, 0, 0xff, 1) == -ENODEV);
    CHECK(pci_mcfg_reserved(m, 2, 0xb0000000, 0, 0, 0xff, 2) == -EINVAL);
    CHECK(pci_mcfg_reserved(m, 2, 0xe0000000, 1, 0, 0x3f, 1) == 0);
    CHECK(pci_mcfg_reserved(m, 0, 0xb0000000, 0, 0, 0xff, 1) == -ENODEV);   /* no MCFG */
}

int main(void)
{
    check_module = "pci_record";
    RUN_TEST(test_add_remove);
    RUN_TEST(test_remove_keeps_others);
    RUN_TEST(test_full);
    RUN_TEST(test_mcfg);
    return check_nr_failed != 0;
}
