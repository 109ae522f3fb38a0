// SPDX-License-Identifier: GPL-2.0-only
/*
 * version: every XENVER_* sub-op of xen_version, with the values Xen 4.17
 * gives a PV dom0, and its errors (bad buffers, unknown sub-ops).
 */
#include "guest.h"

const char guest_name[] = "version";

/* An address in no mapping of ours (the low half is unmapped), and one in
 * the hypervisor's hole. */
#define BAD_LOW  ((void *)0x1000UL)
#define BAD_HV   ((void *)0xffff830000000000UL)

static char buf[1024];

void guest_main(void)
{
    long rc;

    case_begin("version");
    rc = HYPERVISOR_xen_version(XENVER_version, 0);
    printf("version: %ld.%ld\n", rc >> 16, rc & 0xffff);
    CHECK_EQ(rc, (4 << 16) | 17);
    case_end();

    case_begin("extraversion");
    memset(buf, 0x55, sizeof(buf));
    rc = HYPERVISOR_xen_version(XENVER_extraversion, buf);
    CHECK_EQ(rc, 0);
    CHECK(strnlen(buf, XEN_EXTRAVERSION_LEN) < XEN_EXTRAVERSION_LEN);
    CHECK(buf[0] == '.' || buf[0] == '-');
    CHECK_EQ((unsigned char)buf[XEN_EXTRAVERSION_LEN], 0x55);   /* no overrun */
    printf("extraversion: \"%s\"\n", buf);
    case_end();

    case_begin("compile_info");
    xen_compile_info_t ci;
    memset(&ci, 0, sizeof(ci));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_compile_info, &ci), 0);
    CHECK(strnlen(ci.compiler, sizeof(ci.compiler)) > 0);
    CHECK(strnlen(ci.compile_date, sizeof(ci.compile_date)) > 0);
    CHECK(strnlen(ci.compiler, sizeof(ci.compiler)) < sizeof(ci.compiler));
    case_end();

    case_begin("capabilities");
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, buf), 0);
    CHECK(strstr(buf, "xen-3.0-x86_64") != NULL);
    CHECK(strnlen(buf, sizeof(buf)) < sizeof(buf));
    printf("capabilities: \"%s\"\n", buf);
    case_end();

    case_begin("changeset");
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_changeset, buf), 0);
    /* Debian's build reports an empty changeset: only check termination. */
    CHECK(strnlen(buf, XEN_CHANGESET_INFO_LEN) < XEN_CHANGESET_INFO_LEN);
    case_end();

    case_begin("platform_parameters");
    xen_platform_parameters_t pp = { 0 };
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0);
    CHECK_EQ(pp.virt_start, 0xffff800000000000UL);
    case_end();

    case_begin("get_features");
    xen_feature_info_t fi = { .submap_idx = 0, .submap = 0 };
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0);
    printf("features[0]: %#x\n", fi.submap);
    /* Linux 6.1 panics without these two. */
    CHECK(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad));
    CHECK(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits));
    /*
     * The whole word as Xen 4.17 gives a PV dom0 (0x228f0): bits 4
     * pae_pgdir_above_4gb, 5, 6 highmem_assist, 7, 11 dom0, 13
     * memory_op_vnode_supported, 17 direct_mapped; not 0-3
     * (writable page/descriptor tables, translated, supervisor mode).
     */
    CHECK_EQ(fi.submap, (1u << XENFEAT_pae_pgdir_above_4gb) |
             (1u << XENFEAT_mmu_pt_update_preserve_ad) |
             (1u << XENFEAT_highmem_assist) |
             (1u << XENFEAT_gnttab_map_avail_bits) | (1u << XENFEAT_dom0) |
             (1u << XENFEAT_memory_op_vnode_supported) |
             (1u << XENFEAT_direct_mapped));
    case_end();

    case_begin("get_features_bad_submap");
    fi.submap_idx = 1;
    fi.submap = 0x12345678;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL);
    case_end();

    CASE("pagesize", HYPERVISOR_xen_version(XENVER_pagesize, 0) == 4096);

    case_begin("guest_handle");
    uint8_t h[16];
    memset(h, 0xaa, sizeof(h));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_guest_handle, h), 0);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(h[i], 0);      /* dom0's handle is all zeroes */
    case_end();

    case_begin("commandline");
    memset(buf, 0, sizeof(buf));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_commandline, buf), 0);
    CHECK(strstr(buf, "dom0_mem=64M") != NULL);
    case_end();

    case_begin("build_id");
    rc = HYPERVISOR_xen_version(XENVER_build_id, 0);
    printf("build_id size: %ld\n", rc);
    CHECK(rc > 0 && rc <= 64);
    struct { xen_build_id_t h; unsigned char b[64]; } bid;
    bid.h.len = 0;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, &bid), -EINVAL);
    bid.h.len = 1;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, &bid), -ENOBUFS);
    bid.h.len = 64;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, &bid), rc);
    case_end();

    CASE("unknown_subop", HYPERVISOR_xen_version(11, buf) == -ENOSYS);
    CASE("unknown_subop_big", HYPERVISOR_xen_version(0x7fffffff, buf) == -ENOSYS);

    case_begin("efault_low");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_compile_info, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_changeset, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_guest_handle, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_commandline, BAD_LOW), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, BAD_LOW), -EFAULT);
    case_end();

    case_begin("efault_hypervisor");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, BAD_HV), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, BAD_HV), -EFAULT);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, BAD_HV), -EFAULT);
    case_end();

    case_begin("efault_readonly");
    /* The read-only M2P is mapped but not writable: output must fault. */
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, m2p), -EFAULT);
    case_end();

    case_begin("pointer_args");
    /* version ignores its argument; pagesize wants NULL (Xen: -EINVAL). */
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_version, BAD_LOW), (4 << 16) | 17);
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, BAD_LOW), -EINVAL);
    case_end();
}
