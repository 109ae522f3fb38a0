// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the smallest guest. Prints a line and checks what the builder
 * left in start_info for dom0, and that both ways of making a hypercall
 * (raw syscall, hypercall page) work.
 */
#include "guest.h"

const char guest_name[] = "hello";

static int in_mapping(unsigned long va)
{
    return va >= VIRT_BASE && va < VIRT_BASE + (start_info->nr_pages << PAGE_SHIFT);
}

void guest_main(void)
{
    start_info_t *si = start_info;
    extern char _image_start[], _image_end[], _start[];

    printf("Hello from a Satori test guest\n");
    CASE("console_write", HYPERVISOR_console_io(CONSOLEIO_write, 6, "hello\n") == 0);

    case_begin("magic");
    /*
     * Xen 4.17's builder writes "xen-3.0-x86_64" plus "p" when the image
     * has a PAE_MODE note (ours says "yes", as Linux's does).
     */
    if (strcmp(si->magic, "xen-3.0-x86_64p"))
        case_fail("magic \"%.32s\"", si->magic);
    case_end();

    case_begin("nr_pages");
    /* dom0_mem=64M on the runner's command line. */
    CHECK(si->nr_pages > 0);
    CHECK(si->nr_pages <= (64UL << 20) >> PAGE_SHIFT);
    CHECK(si->nr_pages >= (48UL << 20) >> PAGE_SHIFT);
    case_end();

    case_begin("flags_dom0");
    CHECK_EQ(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN), SIF_PRIVILEGED | SIF_INITDOMAIN);
    case_end();

    case_begin("start_info_in_mapping");
    CHECK(in_mapping((unsigned long)si));
    CHECK(((unsigned long)si & 4095) == 0);
    CHECK((unsigned long)si >= (unsigned long)_image_end);
    case_end();

    case_begin("shared_info");
    CHECK(si->shared_info != 0);
    CHECK((si->shared_info & 4095) == 0);
    /* The framework mapped it; the version words of vcpu 0's time are even. */
    CHECK(shared_info != NULL);
    CHECK(system_time_ns() > 0);
    case_end();

    case_begin("mfn_list");
    CHECK(in_mapping(si->mfn_list));
    CHECK(pfn_to_mfn(virt_to_pfn(_start)) != 0);
    /* M2P and P2M agree on our own frames. */
    for (unsigned long pfn = 0; pfn < si->nr_pages; pfn += 97)
        CHECK_EQ(m2p[pfn_to_mfn(pfn)], pfn);
    case_end();

    case_begin("pt_base");
    CHECK(in_mapping(si->pt_base));
    CHECK((si->pt_base & 4095) == 0);
    CHECK(si->nr_pt_frames >= 4);   /* at least L4, L3, L2 and one L1 */
    CHECK(si->nr_pt_frames < 64);
    /* The image is mapped through the tables at pt_base. */
    CHECK_EQ(pte_read(_start) & PTE_ADDR_MASK, virt_to_mfn(_start) << PAGE_SHIFT);
    case_end();

    case_begin("no_initrd");
    CHECK_EQ(si->mod_start, 0);
    CHECK_EQ(si->mod_len, 0);
    case_end();

    case_begin("image_mapped_linear");
    CHECK(in_mapping((unsigned long)_image_start));
    CHECK_EQ((unsigned long)_image_start - VIRT_BASE, 0x100000);
    case_end();

    case_begin("hypercall_page");
    long v1 = HYPERVISOR_xen_version(XENVER_version, 0);
    hypercall_use_page = 1;
    long v2 = HYPERVISOR_xen_version(XENVER_version, 0);
    long pg = HYPERVISOR_xen_version(XENVER_pagesize, 0);
    hypercall_use_page = 0;
    CHECK(v1 > 0);
    CHECK_EQ(v2, v1);
    CHECK_EQ(pg, 4096);
    case_end();
}
