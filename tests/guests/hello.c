// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the smallest guest. Prints a line and checks what the builder
 * left in start_info for dom0, and that both ways of making a hypercall
 * (raw syscall, hypercall page) work.
 */
#include "guest.h"
#include <public/vcpu.h>

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

    case_begin("flags_exact");
    /* Xen 4.17 also sets the power-management bits (Px, Cx) for dom0. */
    CHECK_EQ(si->flags, 0x303);
    case_end();

    case_begin("wallclock");
    /* wc_* is the time of day at system time 0, from the RTC: after 2020. */
    CHECK_EQ(shared_info->wc_version & 1, 0);
    CHECK(shared_info->wc_sec > 1577836800u);
    CHECK(shared_info->wc_nsec < 1000000000u);
    CHECK_EQ(shared_info->vcpu_info[0].time.version & 1, 0);
    CHECK(shared_info->vcpu_info[0].time.tsc_to_system_mul >= 0x80000000u);
    case_end();

    case_begin("memory_op_queries");
    domid_t self = DOMID_SELF, none = 77;
    /*
     * Xen: dom0 without dom0_mem=max: is unlimited (0xffffffff). Satori's
     * dom0 builder sets its maximum to its size, nr_pages (a known
     * difference; the memory guest runs with max: to compare the two).
     */
    long maxres = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
    CHECK(maxres == 0xffffffffL || maxres == (long)si->nr_pages);
    CHECK(HYPERVISOR_memory_op(XENMEM_current_reservation, &self) >= (long)si->nr_pages);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &none), -ESRCH);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, (void *)0x1000), -EFAULT);
    CHECK(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, 0) > (long)si->nr_pages);
    xen_machphys_mapping_t mp = { 0 };
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp), 0);
    CHECK_EQ(mp.v_start, 0xffff800000000000UL);
    CHECK_EQ(mp.v_end, 0xffff804000000000UL);
    CHECK(mp.max_mfn >= pfn_to_mfn(0));
    case_end();

    case_begin("memory_maps");
    struct xen_memory_map mm = { .nr_entries = 0 };
    /* A PV dom0 has no pseudo-physical map of its own. */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_memory_map, &mm), -ENOSYS);
    set_xen_guest_handle(mm.buffer, NULL);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), 0);
    printf("machine e820: %u entries\n", mm.nr_entries);
    CHECK(mm.nr_entries > 1 && mm.nr_entries < 64);
    static struct { uint64_t addr, size; uint32_t type; } __attribute__((packed)) e820[64];
    unsigned int n = mm.nr_entries;
    set_xen_guest_handle(mm.buffer, e820);
    mm.nr_entries = n;              /* room for all but the "+ 1" Xen wants */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), -EINVAL);
    mm.nr_entries = 64;
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm), 0);
    CHECK_EQ(mm.nr_entries, n);
    uint64_t ram = 0;
    for (unsigned int i = 0; i < n; i++)
        if (e820[i].type == 1)
            ram += e820[i].size;
    CHECK(ram >= (400UL << 20));    /* the runner gives QEMU 512 MiB */
    case_end();

    case_begin("vcpu_runstate");
    struct vcpu_runstate_info rs;
    memset(&rs, 0xff, sizeof(rs));
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0);
    CHECK_EQ(rs.state, RUNSTATE_running);
    CHECK(rs.time[RUNSTATE_running] > 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)0x1000), -EFAULT);
    static struct vcpu_runstate_info area;
    struct vcpu_register_runstate_memory_area ra = { .addr.v = &area };
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0);
    CHECK_EQ(area.state, RUNSTATE_running);
    CHECK(area.state_entry_time != 0 || area.time[0] != 0);
    ra.addr.p = 0xffff830000000000UL;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), -EFAULT);
    ra.addr.p = 0;
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
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
