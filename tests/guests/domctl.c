// SPDX-License-Identifier: GPL-2.0-only
/*
 * domctl: the control domain's domctl (36), as far as Satori implements it
 * (pausedomain, unpausedomain, getdomaininfo, destroydomain). Booted as
 * dom0 alone (run-guest.sh, on Xen 4.17 and Satori) it checks what needs
 * no other domain: the interface version, ids that name no domain, what a
 * domain may not do to itself, its own getdomaininfo.
 *
 * tests/suites/46-domctl boots it as dom0 with boot-time domUs (Satori
 * only) and these words on dom0's command line:
 *   spin=N     domain N spins (this guest, role=spin): pause it, check its
 *              cpu_time stands still while paused and moves after unpause,
 *              pause it twice, show the debug console it is paused, then
 *              destroy it
 *   unpriv=N   domain N is this guest with role=unpriv and
 *              on_poweroff=preserve: wait until it has shut down, check the
 *              shutdown flag and code, then destroy it
 * As a domU (role= on its command line):
 *   role=spin    burns CPU until destroyed (at most 60 s)
 *   role=unpriv  calls domctl without privilege: -EPERM for a domain that
 *                exists, -ESRCH for one that does not, -EACCES for a wrong
 *                version, as Xen's checks come in that order
 */
#define __XEN_TOOLS__ 1
#include <stdbool.h>
#include <public/domctl.h>
#include <public/vcpu.h>
#include "domu.h"

const char guest_name[] = "domctl";

#define EOVERFLOW 75
#define NO_DOMAIN 0x7fefu                    /* below DOMID_FIRST_RESERVED, never used */
#define CODE_NONE 0xffffu                    /* flags >> shutdownshift with no code */


static struct xen_domctl dc;

/* One domctl on domain dom; dc holds the result. */
static long domctl(uint32_t cmd, uint32_t dom)
{
    memset(&dc, 0, sizeof(dc));
    dc.cmd = cmd;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc.domain = (domid_t)dom;
    return HYPERVISOR_domctl(&dc);
}

/* dom0 has a vCPU per CPU by default (Xen and Satori): the last that exists. */
static unsigned int highest_vcpu_id(void)
{
    unsigned int id = 0;

    while (id + 1 < 128 && HYPERVISOR_vcpu_op(VCPUOP_is_up, id + 1, 0) >= 0)
        id++;
    return id;
}

static long info(uint32_t dom)
{
    return domctl(XEN_DOMCTL_getdomaininfo, dom);
}

#define INFO (dc.u.getdomaininfo)

static void spin_ns(uint64_t ns)
{
    uint64_t end = system_time_ns() + ns;

    while (system_time_ns() < end)
        ;
}

static void standalone(void)
{
    static const uint8_t zero[16];

    case_begin("interface_version");
    memset(&dc, 0, sizeof(dc));
    dc.cmd = XEN_DOMCTL_getdomaininfo;
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
    CHECK_EQ(HYPERVISOR_domctl(&dc), -EACCES);
    dc.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
    dc.cmd = XEN_DOMCTL_pausedomain;
    dc.domain = NO_DOMAIN;
    CHECK_EQ(HYPERVISOR_domctl(&dc), -EACCES);   /* before the domain lookup */
    case_end();

    CASE("bad_pointer", HYPERVISOR_domctl((void *)0x1000) == -EFAULT);

    case_begin("getdomaininfo_self");
    CHECK_EQ(info(0), 0);
    CHECK_EQ(dc.domain, 0);
    CHECK_EQ(INFO.domain, 0);
    CHECK(INFO.flags & XEN_DOMINF_running);       /* we are */
    CHECK(!(INFO.flags & (XEN_DOMINF_blocked | XEN_DOMINF_paused | XEN_DOMINF_dying |
                          XEN_DOMINF_shutdown | XEN_DOMINF_hvm_guest)));
    CHECK_EQ(INFO.flags >> XEN_DOMINF_shutdownshift, CODE_NONE);
    CHECK_EQ(INFO.nr_online_vcpus, 1);
    CHECK_EQ(INFO.max_vcpu_id, highest_vcpu_id());
    CHECK_EQ(INFO.tot_pages, start_info->nr_pages);
    CHECK(INFO.cpu_time > 0);
    CHECK_EQ(INFO.shared_info_frame, start_info->shared_info >> PAGE_SHIFT);
    CHECK_EQ(INFO.ssidref, 0);
    CHECK_EQ(INFO.cpupool, 0);
    CHECK(!memcmp(INFO.handle, zero, sizeof(zero)));
    printf("domctl: dom0 max_pages %lu, gpaddr_bits %u, emulation_flags %#x\n",
           (unsigned long)INFO.max_pages, INFO.gpaddr_bits, INFO.arch_config.emulation_flags);
    case_end();

    case_begin("getdomaininfo_cpu_time_moves");
    CHECK_EQ(info(0), 0);
    uint64_t t0 = INFO.cpu_time;
    spin_ns(20000000);
    CHECK_EQ(info(0), 0);
    CHECK(INFO.cpu_time >= t0 + 10000000);
    case_end();

    case_begin("getdomaininfo_no_domain");
    CHECK_EQ(info(NO_DOMAIN), -ESRCH);               /* none from there up */
    CHECK_EQ(info(DOMID_FIRST_RESERVED), -EINVAL);   /* DOMID_SELF is no id here */
    CHECK_EQ(info(DOMID_INVALID), -EINVAL);
    CHECK_EQ(info(0xffff), -EINVAL);
    case_end();

    case_begin("unknown_command");
    CHECK_EQ(domctl(9999, 0), -ENOSYS);
    CHECK_EQ(domctl(200, 0), -ENOSYS);
    CHECK_EQ(domctl(9999, NO_DOMAIN), -ESRCH);     /* the lookup comes first */
    case_end();

    case_begin("own_domain_refused");
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, 0), -EINVAL);
    CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, 0), -EINVAL);   /* not paused */
    CHECK_EQ(domctl(XEN_DOMCTL_destroydomain, 0), -EINVAL);
    case_end();

    case_begin("no_such_domain");
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, NO_DOMAIN), -ESRCH);
    CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, NO_DOMAIN), -ESRCH);
    CHECK_EQ(domctl(XEN_DOMCTL_destroydomain, NO_DOMAIN), -ESRCH);
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, DOMID_SELF), -ESRCH);   /* by id only */
    CHECK_EQ(domctl(XEN_DOMCTL_max_mem, NO_DOMAIN), -ESRCH);        /* any command */
    case_end();
}

/* cpu_time of dom after a 200 ms wait, with its flags checked on the way. */
static uint64_t cpu_time_of(uint32_t dom)
{
    if (info(dom)) {
        case_fail("getdomaininfo(%u) failed", dom);
        return 0;
    }
    return INFO.cpu_time;
}

static void spin_peer(uint32_t dom)
{
    uint64_t t1, t2, t3;

    case_begin("peer_info");
    CHECK_EQ(info(dom), 0);
    CHECK_EQ(INFO.domain, dom);
    CHECK(!(INFO.flags & (XEN_DOMINF_paused | XEN_DOMINF_shutdown | XEN_DOMINF_dying |
                          XEN_DOMINF_blocked)));
    CHECK_EQ(INFO.flags >> XEN_DOMINF_shutdownshift, CODE_NONE);
    CHECK_EQ(INFO.nr_online_vcpus, 1);
    CHECK_EQ(INFO.tot_pages, 2048);               /* mem=8M */
    t1 = cpu_time_of(dom);
    spin_ns(200000000);
    CHECK(cpu_time_of(dom) > t1);                 /* it spins */
    case_end();

    case_begin("pause_stops_cpu_time");
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, dom), 0);
    CHECK_EQ(info(dom), 0);
    CHECK(INFO.flags & XEN_DOMINF_paused);
    CHECK(!(INFO.flags & XEN_DOMINF_running));    /* pause returns once it is off its CPU */
    t1 = INFO.cpu_time;
    spin_ns(300000000);
    t2 = cpu_time_of(dom);
    CHECK_EQ(t2, t1);
    case_end();

    case_begin("pause_is_counted");
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, dom), 0);
    CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, dom), 0);
    CHECK_EQ(info(dom), 0);
    CHECK(INFO.flags & XEN_DOMINF_paused);        /* one pause left */
    printf("domctl: d%u paused for the debug console\n", dom);
    spin_ns(2000000000);                          /* 46-domctl presses 'd' now */
    CHECK_EQ(cpu_time_of(dom), t2);
    case_end();

    case_begin("unpause_resumes");
    CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, dom), 0);
    CHECK_EQ(info(dom), 0);
    CHECK(!(INFO.flags & XEN_DOMINF_paused));
    spin_ns(300000000);
    t3 = cpu_time_of(dom);
    CHECK(t3 > t2);
    CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, dom), -EINVAL);   /* not paused any more */
    case_end();

    case_begin("pause_limit");
    long rc = 0;
    int n;
    for (n = 0; n < 300 && !(rc = domctl(XEN_DOMCTL_pausedomain, dom)); n++)
        ;
    CHECK_EQ(n, 255);
    CHECK_EQ(rc, -EOVERFLOW);
    while (n-- > 0)
        CHECK_EQ(domctl(XEN_DOMCTL_unpausedomain, dom), 0);
    CHECK_EQ(info(dom), 0);
    CHECK(!(INFO.flags & XEN_DOMINF_paused));
    case_end();
}

/* Waits (polling, 20 s at most) until getdomaininfo(dom) no longer reports dom. */
static bool wait_gone(uint32_t dom)
{
    for (int i = 0; i < 2000; i++) {
        long rc = info(dom);
        if (rc == -ESRCH || (!rc && INFO.domain != dom))
            return true;
        spin_ns(10000000);
    }
    return false;
}

static void destroy(uint32_t dom, const char *name)
{
    case_begin(name);
    CHECK_EQ(domctl(XEN_DOMCTL_destroydomain, dom), 0);
    if (!info(dom) && INFO.domain == dom)
        CHECK(INFO.flags & XEN_DOMINF_dying);     /* unless the reaper was quicker */
    CHECK(wait_gone(dom));
    case_end();
}

static void unpriv_peer(uint32_t dom)
{
    int i;

    case_begin("preserved_peer_shut_down");
    for (i = 0; i < 2000; i++) {
        if (info(dom) || (INFO.flags & XEN_DOMINF_shutdown))
            break;
        spin_ns(10000000);
    }
    CHECK_EQ(info(dom), 0);
    CHECK(INFO.flags & XEN_DOMINF_shutdown);
    CHECK(!(INFO.flags & (XEN_DOMINF_dying | XEN_DOMINF_running)));
    CHECK_EQ((INFO.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask,
             SHUTDOWN_poweroff);
    case_end();
    destroy(dom, "destroy_preserved");
}

static void control(void)
{
    long spin = (long)cmdline_num("spin", -1), unpriv = (long)cmdline_num("unpriv", -1);

    standalone();
    if (spin >= 0)
        spin_peer((uint32_t)spin);
    if (unpriv >= 0)
        unpriv_peer((uint32_t)unpriv);
    if (spin >= 0)
        destroy((uint32_t)spin, "destroy_running");
    if (spin >= 0 || unpriv >= 0)
        CASE("no_domain_left", info(1) == -ESRCH);
}

static void role_unpriv(void)
{
    case_begin("unprivileged_refused");
    CHECK_EQ(info(0), -EPERM);
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, 0), -EPERM);
    CHECK_EQ(domctl(XEN_DOMCTL_destroydomain, 0), -EPERM);
    CHECK_EQ(domctl(XEN_DOMCTL_max_mem, 0), -EPERM);
    CHECK_EQ(info(NO_DOMAIN), -EPERM);          /* getdomaininfo looks up nothing first */
    case_end();

    case_begin("unprivileged_lookup_first");
    CHECK_EQ(domctl(XEN_DOMCTL_pausedomain, NO_DOMAIN), -ESRCH);
    CHECK_EQ(domctl(XEN_DOMCTL_destroydomain, NO_DOMAIN), -ESRCH);
    dc.interface_version = 0;
    CHECK_EQ(HYPERVISOR_domctl(&dc), -EACCES);
    case_end();
}

static void role_spin(void)
{
    volatile unsigned long work = 0;

    printf("domctl: spinning until destroyed\n");
    spin_ns(60000000000UL);
    work++;
    CASE("spin_destroyed_in_time", false);       /* dom0 should have destroyed us */
}

void guest_main(void)
{
    const char *role = cmdline_arg("role");

    if (!role)
        control();
    else if (!strncmp(role, "spin", 4))
        role_spin();
    else if (!strncmp(role, "unpriv", 6))
        role_unpriv();
    else
        CASE("known_role", false);
}
