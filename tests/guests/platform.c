// SPDX-License-Identifier: GPL-2.0-only
/*
 * platform: what a Linux 6.1 dom0 asks of the hypervisor about firmware,
 * physical CPUs and time, and how it is answered or refused: platform_op
 * (XENPF_*), the x86 mca hypercall (XEN_MC_*) and xenpmu_op. Run with
 * -smp 1: physical CPU 0 is the only one, APIC and ACPI id 0 (QEMU).
 * Every expected value is Xen 4.17's; where Xen and Satori differ by
 * design (Satori has no cpufreq, no MTRR driver, no microcode loader)
 * the case checks only what both must agree on, and prints the rest.
 */
#include "guest.h"
#include <public/platform.h>
#include <public/arch-x86/xen-mca.h>

const char guest_name[] = "platform";

#define HYPERVISOR_mca(op) HC1(__HYPERVISOR_mca, op)
#define BAD_LOW ((void *)0x1000UL)          /* in no mapping of ours */

/* xenpmu_op sub-ops (Xen's public/pmu.h, not among our headers). */
#define XENPMU_mode_get 0
#define XENPMU_init     4

/* ACPI _PDC words (Linux's names): revision 1, one capability word. */
#define ACPI_PDC_REVISION_ID          1
#define ACPI_PDC_EST_CAPABILITY_SWSMP 0x0029
#define ACPI_PDC_C_CAPABILITY_SMP     0x031a

#define MSR_IA32_TSC      0x10
#define MSR_IA32_MCG_CAP  0x179
#define MSR_APIC_BASE     0x1b

static xen_platform_op_t op;
static struct xen_mc mc;

static long pf(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XENPF_INTERFACE_VERSION;
    return HYPERVISOR_platform_op(&op);
}

static long mca(uint32_t cmd)
{
    mc.cmd = cmd;
    mc.interface_version = XEN_MCA_INTERFACE_VERSION;
    return HYPERVISOR_mca(&mc);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* The family/model/stepping decoding Xen and Linux use for CPUID 1 EAX. */
static void cpu_signature(uint32_t *family, uint32_t *model, uint32_t *stepping)
{
    uint32_t r[4];

    cpuid(1, r);
    *family = (r[0] >> 8) & 0xf;
    *model = (r[0] >> 4) & 0xf;
    *stepping = r[0] & 0xf;
    if (*family == 0xf)
        *family += (r[0] >> 20) & 0xff;
    if (*family >= 6)
        *model |= ((r[0] >> 16) & 0xf) << 4;
}

static void cpu_vendor(char v[12])
{
    uint32_t r[4];

    cpuid(0, r);
    memcpy(v, &r[1], 4);
    memcpy(v + 4, &r[3], 4);
    memcpy(v + 8, &r[2], 4);
}

static void test_envelope(void)
{
    case_begin("bad_version");
    memset(&op, 0, sizeof(op));
    op.cmd = XENPF_get_cpuinfo;
    op.interface_version = XENPF_INTERFACE_VERSION + 1;
    CHECK_EQ(HYPERVISOR_platform_op(&op), -EACCES);
    case_end();

    CASE("bad_pointer", HYPERVISOR_platform_op(BAD_LOW) == -EFAULT);

    case_begin("unknown_cmd");
    memset(&op, 0, sizeof(op));
    CHECK_EQ(pf(9999), -ENOSYS);
    CHECK_EQ(pf(0), -ENOSYS);
    case_end();
}

static void test_cpuinfo(void)
{
    case_begin("get_cpuinfo");
    memset(&op, 0, sizeof(op));
    op.u.pcpu_info.xen_cpuid = 0;
    op.u.pcpu_info.flags = 0xff00;
    CHECK_EQ(pf(XENPF_get_cpuinfo), 0);
    CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
    CHECK_EQ(op.u.pcpu_info.apic_id, 0);
    CHECK_EQ(op.u.pcpu_info.acpi_id, 0);
    CHECK_EQ(op.u.pcpu_info.max_present, 0);
    CHECK_EQ(op.cmd, XENPF_get_cpuinfo);            /* the header is not rewritten */
    case_end();

    /* An absent CPU: INVALID, the ids left as they were. */
    case_begin("get_cpuinfo_absent");
    for (unsigned int i = 0; i < 3; i++) {
        static const uint32_t ids[3] = { 1, 4095, 0xffffffffu };
        memset(&op, 0, sizeof(op));
        op.u.pcpu_info.xen_cpuid = ids[i];
        op.u.pcpu_info.flags = XEN_PCPU_FLAGS_ONLINE;
        op.u.pcpu_info.apic_id = 0x5a5a;
        op.u.pcpu_info.acpi_id = 0xa5a5;
        op.u.pcpu_info.max_present = 77;
        CHECK_EQ(pf(XENPF_get_cpuinfo), 0);
        CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_INVALID);
        CHECK_EQ(op.u.pcpu_info.apic_id, 0x5a5a);
        CHECK_EQ(op.u.pcpu_info.acpi_id, 0xa5a5);
        CHECK_EQ(op.u.pcpu_info.max_present, 0);
    }
    case_end();

    case_begin("get_cpu_version");
    uint32_t family, model, stepping;
    char vendor[12];
    cpu_signature(&family, &model, &stepping);
    cpu_vendor(vendor);
    memset(&op, 0, sizeof(op));
    CHECK_EQ(pf(XENPF_get_cpu_version), 0);
    CHECK(!memcmp(op.u.pcpu_version.vendor_id, vendor, 12));
    CHECK_EQ(op.u.pcpu_version.family, family);
    CHECK_EQ(op.u.pcpu_version.model, model);
    CHECK_EQ(op.u.pcpu_version.stepping, stepping);
    CHECK_EQ(op.u.pcpu_version.max_present, 0);
    printf("cpu 0: %.12s family %u model %u stepping %u\n", op.u.pcpu_version.vendor_id,
           op.u.pcpu_version.family, op.u.pcpu_version.model, op.u.pcpu_version.stepping);
    case_end();

    case_begin("get_cpu_version_absent");
    memset(&op, 0x77, sizeof(op));
    op.u.pcpu_version.xen_cpuid = 1;
    CHECK_EQ(pf(XENPF_get_cpu_version), 0);
    for (unsigned int i = 0; i < 12; i++)
        CHECK_EQ(op.u.pcpu_version.vendor_id[i], 0);
    CHECK_EQ(op.u.pcpu_version.family, 0);
    CHECK_EQ(op.u.pcpu_version.model, 0);
    CHECK_EQ(op.u.pcpu_version.stepping, 0);
    CHECK_EQ(op.u.pcpu_version.max_present, 0);
    case_end();
}

static void firmware(uint32_t type, uint32_t index, long want)
{
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.firmware_info.type = type;
    op.u.firmware_info.index = index;
    rc = pf(XENPF_firmware_info);
    if (rc != want)
        case_fail("firmware_info type %u index %u = %ld, want %ld", type, index, rc, want);
}

static void test_firmware(void)
{
    /* QEMU without disks: no EDD data, no MBR signatures. */
    case_begin("firmware_edd");
    static struct { uint16_t length; uint8_t rest[72]; } edd;
    edd.length = sizeof(edd);
    memset(&op, 0, sizeof(op));
    op.u.firmware_info.type = XEN_FW_DISK_INFO;
    set_xen_guest_handle(op.u.firmware_info.u.disk_info.edd_params, (void *)&edd);
    CHECK_EQ(pf(XENPF_firmware_info), -ESRCH);
    firmware(XEN_FW_DISK_MBR_SIGNATURE, 0, -ESRCH);
    case_end();

    /*
     * The boot display's EDID: Xen has it when its real-mode boot code
     * could ask the VGA BIOS (it can under QEMU); Satori runs no such code
     * and has none (-ESRCH). There is never a second display.
     */
    case_begin("firmware_edid");
    static uint8_t edid[128];
    long rc;
    memset(&op, 0, sizeof(op));
    op.u.firmware_info.type = XEN_FW_VBEDDC_INFO;
    set_xen_guest_handle(op.u.firmware_info.u.vbeddc_info.edid, edid);
    rc = pf(XENPF_firmware_info);
    CHECK(rc == 0 || rc == -ESRCH);
    printf("edid: %ld, header %02x %02x\n", rc, edid[0], edid[1]);
    firmware(XEN_FW_VBEDDC_INFO, 1, -ESRCH);
    case_end();

    /* Booted from BIOS, not EFI: no EFI information of any kind. */
    case_begin("firmware_efi");
    for (uint32_t i = 0; i <= XEN_FW_EFI_APPLE_PROPERTIES + 1; i++)
        firmware(XEN_FW_EFI_INFO, i, -ENOSYS);
    case_end();

    case_begin("firmware_kbd_shift_flags");
    memset(&op, 0, sizeof(op));
    op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
    op.u.firmware_info.u.kbd_shift_flags = 0xee;
    CHECK_EQ(pf(XENPF_firmware_info), 0);
    printf("kbd_shift_flags %#x\n", op.u.firmware_info.u.kbd_shift_flags);
    firmware(XEN_FW_KBD_SHIFT_FLAGS, 1, -ESRCH);
    case_end();

    case_begin("firmware_bad_type");
    firmware(0, 0, -EINVAL);
    firmware(XEN_FW_KBD_SHIFT_FLAGS + 1, 0, -EINVAL);
    case_end();
}

static long pdc(uint32_t id, uint32_t *buf)
{
    memset(&op, 0, sizeof(op));
    op.u.set_pminfo.id = id;
    op.u.set_pminfo.type = XEN_PM_PDC;
    set_xen_guest_handle(op.u.set_pminfo.u.pdc, buf);
    return pf(XENPF_set_processor_pminfo);
}

static void test_pminfo(void)
{
    static uint32_t buf[3];

    /* What Linux's xen_check_mwait asks: accepted; the answer is the
     * capability bits the hypervisor leaves to dom0. */
    case_begin("pminfo_pdc");
    const uint32_t asked = ACPI_PDC_C_CAPABILITY_SMP | ACPI_PDC_EST_CAPABILITY_SWSMP;
    buf[0] = ACPI_PDC_REVISION_ID;
    buf[1] = 1;
    buf[2] = asked;
    CHECK_EQ(pdc(0xffffffffu, buf), 0);
    CHECK_EQ(buf[2] & ~asked, 0);     /* what dom0 may claim; the hypervisor's are gone */
    printf("pdc any cpu: %#x -> %#x\n", asked, buf[2]);
    buf[2] = asked;
    CHECK_EQ(pdc(0, buf), 0);
    CHECK_EQ(buf[2] & ~asked, 0);
    case_end();

    case_begin("pminfo_pdc_errors");
    buf[0] = ACPI_PDC_REVISION_ID + 1;
    buf[1] = 1;
    CHECK_EQ(pdc(0xffffffffu, buf), -EINVAL);
    buf[0] = ACPI_PDC_REVISION_ID;
    buf[1] = 0;
    CHECK_EQ(pdc(0xffffffffu, buf), -EINVAL);
    buf[1] = 1;
    CHECK_EQ(pdc(7, buf), -EINVAL);                 /* no processor with ACPI id 7 */
    CHECK_EQ(pdc(0xffffffffu, BAD_LOW), -EFAULT);
    case_end();

    case_begin("pminfo_other");
    memset(&op, 0, sizeof(op));
    op.u.set_pminfo.type = XEN_PM_TX;
    CHECK_EQ(pf(XENPF_set_processor_pminfo), -ENOSYS);
    op.u.set_pminfo.type = 9;
    CHECK_EQ(pf(XENPF_set_processor_pminfo), -EINVAL);
    case_end();
}

/* The wall clock at system time 0, as shared_info holds it. */
static void wallclock(uint64_t *sec, uint32_t *nsec)
{
    uint32_t v;

    do {
        v = shared_info->wc_version;
        asm volatile("" ::: "memory");
        *sec = shared_info->wc_sec | (uint64_t)shared_info->wc_sec_hi << 32;
        *nsec = shared_info->wc_nsec;
        asm volatile("" ::: "memory");
    } while ((v & 1) || v != shared_info->wc_version);
}

static void test_settime(void)
{
    uint64_t sec0, sec;
    uint32_t nsec0, nsec, ver;

    wallclock(&sec0, &nsec0);
    printf("wallclock base %lu.%09u\n", sec0, nsec0);

    /* 10.5 s of system time later it was 2,000,000,000.25 s. */
    case_begin("settime64");
    memset(&op, 0, sizeof(op));
    op.u.settime64.secs = 2000000000;
    op.u.settime64.nsecs = 250000000;
    op.u.settime64.system_time = 10500000000;
    ver = shared_info->wc_version;
    CHECK_EQ(pf(XENPF_settime64), 0);
    wallclock(&sec, &nsec);
    CHECK_EQ(sec, 1999999989);
    CHECK_EQ(nsec, 750000000);
    CHECK(shared_info->wc_version != ver);
    CHECK_EQ(shared_info->wc_version & 1, 0);
    case_end();

    /* Beyond 2^32 s: wc_sec_hi. */
    case_begin("settime64_high");
    memset(&op, 0, sizeof(op));
    op.u.settime64.secs = 0x123456789ULL;
    op.u.settime64.nsecs = 5;
    op.u.settime64.system_time = 0;
    CHECK_EQ(pf(XENPF_settime64), 0);
    CHECK_EQ(shared_info->wc_sec, 0x23456789);
    CHECK_EQ(shared_info->wc_sec_hi, 1);
    CHECK_EQ(shared_info->wc_nsec, 5);
    case_end();

    case_begin("settime64_mbz");
    memset(&op, 0, sizeof(op));
    op.u.settime64.secs = 5;
    op.u.settime64.mbz = 1;
    CHECK_EQ(pf(XENPF_settime64), -EINVAL);
    CHECK_EQ(shared_info->wc_sec, 0x23456789);      /* unchanged */
    case_end();

    case_begin("settime32");
    memset(&op, 0, sizeof(op));
    op.u.settime32.secs = 1000;
    op.u.settime32.nsecs = 999999999;
    op.u.settime32.system_time = 1;
    CHECK_EQ(pf(XENPF_settime32), 0);
    wallclock(&sec, &nsec);
    CHECK_EQ(sec, 1000);
    CHECK_EQ(nsec, 999999998);
    CHECK_EQ(shared_info->wc_sec_hi, 0);
    case_end();

    /* Put the clock back where it was (as of system time 0). */
    case_begin("settime_restore");
    memset(&op, 0, sizeof(op));
    op.u.settime64.secs = sec0;
    op.u.settime64.nsecs = nsec0;
    CHECK_EQ(pf(XENPF_settime64), 0);
    wallclock(&sec, &nsec);
    CHECK_EQ(sec, sec0);
    CHECK_EQ(nsec, nsec0);
    case_end();
}

static void test_cpu_hotplug(void)
{
    case_begin("cpu_online");
    memset(&op, 0, sizeof(op));
    op.u.cpu_ol.cpuid = 0;
    CHECK_EQ(pf(XENPF_cpu_online), 0);              /* already online */
    op.u.cpu_ol.cpuid = 1;
    CHECK_EQ(pf(XENPF_cpu_online), -EINVAL);        /* not present */
    op.u.cpu_ol.cpuid = 0x80000000u;
    CHECK_EQ(pf(XENPF_cpu_online), -EINVAL);
    case_end();

    case_begin("cpu_offline");
    memset(&op, 0, sizeof(op));
    op.u.cpu_ol.cpuid = 0;
    CHECK_EQ(pf(XENPF_cpu_offline), -EOPNOTSUPP);   /* never the boot CPU */
    op.u.cpu_ol.cpuid = 1;
    CHECK_EQ(pf(XENPF_cpu_offline), -EINVAL);
    case_end();

    case_begin("cpu_hotadd");
    memset(&op, 0, sizeof(op));
    op.u.cpu_add.apic_id = 0;                       /* CPU 0's ids: already there */
    op.u.cpu_add.acpi_id = 0;
    CHECK_EQ(pf(XENPF_cpu_hotadd), -EEXIST);
    op.u.cpu_add.pxm = 256;
    CHECK_EQ(pf(XENPF_cpu_hotadd), -EINVAL);
    case_end();

    case_begin("mem_hotadd");
    memset(&op, 0, sizeof(op));
    op.u.mem_add.spfn = 0x100000;
    op.u.mem_add.epfn = 0x100000;                   /* empty range */
    CHECK_EQ(pf(XENPF_mem_hotadd), -EINVAL);
    case_end();

    case_begin("core_parking");
    memset(&op, 0, sizeof(op));
    op.u.core_parking.type = XEN_CORE_PARKING_GET;
    op.u.core_parking.idle_nums = 99;
    CHECK_EQ(pf(XENPF_core_parking), 0);
    CHECK_EQ(op.u.core_parking.idle_nums, 0);       /* none parked */
    op.u.core_parking.type = XEN_CORE_PARKING_SET;
    op.u.core_parking.idle_nums = 5;                /* at most all CPUs but one: none */
    CHECK_EQ(pf(XENPF_core_parking), 0);
    op.u.core_parking.type = 0;
    CHECK_EQ(pf(XENPF_core_parking), -EINVAL);
    case_end();
}

static void test_refused(void)
{
    case_begin("memtype");
    memset(&op, 0, sizeof(op));
    op.u.read_memtype.reg = 1000;
    CHECK_EQ(pf(XENPF_read_memtype), -EINVAL);
    op.u.del_memtype.handle = 1;
    CHECK_EQ(pf(XENPF_del_memtype), -EINVAL);
    case_end();

    case_begin("platform_quirk");
    memset(&op, 0, sizeof(op));
    op.u.platform_quirk.quirk_id = QUIRK_IOAPIC_GOOD_REGSEL;
    CHECK_EQ(pf(XENPF_platform_quirk), 0);
    op.u.platform_quirk.quirk_id = 99;
    CHECK_EQ(pf(XENPF_platform_quirk), -EINVAL);
    case_end();

    case_begin("cpufreq");
    memset(&op, 0, sizeof(op));
    CHECK_EQ(pf(XENPF_change_freq), -ENOSYS);
    CHECK_EQ(pf(XENPF_getidletime), -ENOSYS);
    case_end();

    /* Not booted from EFI: no runtime services. */
    case_begin("efi_runtime_call");
    memset(&op, 0, sizeof(op));
    op.u.efi_runtime_call.function = XEN_EFI_get_time;
    CHECK_EQ(pf(XENPF_efi_runtime_call), -ENOSYS);
    case_end();

    /* No microcode driver for this CPU (QEMU's family 15 on Xen). */
    case_begin("microcode");
    memset(&op, 0, sizeof(op));
    CHECK_EQ(pf(XENPF_microcode_update), -EINVAL);
    case_end();

    /* Only the argument checks made before anything would sleep. */
    case_begin("enter_acpi_sleep");
    memset(&op, 0, sizeof(op));
    op.u.enter_acpi_sleep.sleep_state = 3;
    op.u.enter_acpi_sleep.flags = 2;
    CHECK_EQ(pf(XENPF_enter_acpi_sleep), -EINVAL);
    op.u.enter_acpi_sleep.flags = XENPF_ACPI_SLEEP_EXTENDED;   /* no such registers */
    CHECK_EQ(pf(XENPF_enter_acpi_sleep), -EPERM);
    op.u.enter_acpi_sleep.flags = 0;
    op.u.enter_acpi_sleep.val_a = 0x2000;           /* SLP_EN in PM1a, not in PM1b */
    op.u.enter_acpi_sleep.val_b = 0x0001;
    CHECK_EQ(pf(XENPF_enter_acpi_sleep), -EINVAL);
    case_end();
}

static xenpf_resource_entry_t ent[4];

static long resource(uint32_t cpu, uint32_t n)
{
    memset(&op, 0, sizeof(op));
    op.u.resource_op.cpu = cpu;
    op.u.resource_op.nr_entries = n;
    set_xen_guest_handle(op.u.resource_op.entries, ent);
    return pf(XENPF_resource_op);
}

static void test_resource_op(void)
{
    uint64_t t0 = system_time_ns();

    case_begin("resource_op_tsc");
    memset(ent, 0, sizeof(ent));
    ent[0].u.cmd = XEN_RESOURCE_OP_MSR_READ;
    ent[0].idx = MSR_IA32_TSC;
    CHECK_EQ(resource(0, 1), 1);
    CHECK_EQ(ent[0].u.ret, 0);
    CHECK(ent[0].val >= t0);          /* system time (Xen adds a boot-random offset) */
    ent[1] = ent[0];
    ent[2] = ent[0];
    ent[2].idx = MSR_APIC_BASE;                     /* refused: stops the batch */
    CHECK_EQ(resource(0, 3), 2);
    CHECK_EQ(ent[1].u.ret, 0);
    CHECK_EQ(ent[2].u.ret, -EPERM);
    case_end();

    case_begin("resource_op_errors");
    memset(ent, 0, sizeof(ent));
    CHECK_EQ(resource(0, 0), 0);
    CHECK_EQ(resource(0, 4), -EINVAL);
    ent[0].u.cmd = XEN_RESOURCE_OP_MSR_READ;
    ent[0].idx = MSR_APIC_BASE;                     /* not an MSR dom0 may read */
    CHECK_EQ(resource(0, 1), 0);
    CHECK_EQ(ent[0].u.ret, -EPERM);
    ent[0].u.cmd = 7;
    CHECK_EQ(resource(0, 1), 0);
    CHECK_EQ(ent[0].u.ret, -EOPNOTSUPP);
    ent[0].u.cmd = XEN_RESOURCE_OP_MSR_READ;
    ent[0].idx = 1ULL << 32;
    CHECK_EQ(resource(0, 1), 0);
    CHECK_EQ(ent[0].u.ret, -EINVAL);
    ent[0].idx = MSR_IA32_TSC;
    ent[0].rsvd = 1;
    CHECK_EQ(resource(0, 1), 0);
    CHECK_EQ(ent[0].u.ret, -EINVAL);
    ent[0].rsvd = 0;
    ent[0].u.cmd = XEN_RESOURCE_OP_MSR_READ;        /* ret overwrote it */
    CHECK_EQ(resource(1, 1), -ENODEV);
    ent[0].u.cmd = XEN_RESOURCE_OP_MSR_WRITE;       /* the TSC is never written */
    CHECK_EQ(resource(0, 1), 0);
    CHECK_EQ(ent[0].u.ret, -EPERM);
    case_end();
}

static void test_symbols(void)
{
    static char name[128];

    case_begin("get_symbol");
    memset(&op, 0, sizeof(op));
    op.u.symdata.namelen = sizeof(name);
    set_xen_guest_handle(op.u.symdata.name, name);
    CHECK_EQ(pf(XENPF_get_symbol), 0);
    CHECK_EQ(op.u.symdata.symnum, 1);
    CHECK(op.u.symdata.namelen > 1 && op.u.symdata.namelen <= sizeof(name));
    CHECK_EQ(strlen(name) + 1, op.u.symdata.namelen);
    CHECK(op.u.symdata.address >= 0xffff800000000000UL);
    printf("symbol 0: %c %s at %#lx\n", op.u.symdata.type, name, op.u.symdata.address);
    case_end();

    case_begin("get_symbol_end");
    memset(&op, 0, sizeof(op));
    op.u.symdata.namelen = sizeof(name);
    op.u.symdata.symnum = 0xffffffffu;
    set_xen_guest_handle(op.u.symdata.name, name);
    CHECK_EQ(pf(XENPF_get_symbol), -ERANGE);
    case_end();
}

static struct mcinfo_logical_cpu cpus[4];

static void test_mca(void)
{
    case_begin("mca_physcpuinfo_count");
    memset(&mc, 0, sizeof(mc));
    mc.u.mc_physcpuinfo.ncpus = 77;
    CHECK_EQ(mca(XEN_MC_physcpuinfo), 0);
    CHECK_EQ(mc.u.mc_physcpuinfo.ncpus, 1);
    case_end();

    case_begin("mca_physcpuinfo");
    uint32_t family, model, stepping;
    char vendor[12];
    cpu_signature(&family, &model, &stepping);
    cpu_vendor(vendor);
    memset(cpus, 0x5a, sizeof(cpus));
    memset(&mc, 0, sizeof(mc));
    mc.u.mc_physcpuinfo.ncpus = 4;
    set_xen_guest_handle(mc.u.mc_physcpuinfo.info, cpus);
    CHECK_EQ(mca(XEN_MC_physcpuinfo), 0);
    CHECK_EQ(mc.u.mc_physcpuinfo.ncpus, 1);
    CHECK_EQ(cpus[0].mc_cpunr, 0);
    CHECK_EQ(cpus[0].mc_apicid, 0);
    CHECK_EQ(cpus[0].mc_chipid, 0);
    CHECK_EQ(cpus[0].mc_coreid, 0);
    CHECK_EQ(cpus[0].mc_threadid, 0);
    CHECK_EQ(cpus[0].mc_clusterid, 0);
    CHECK_EQ(cpus[0].mc_family, family);
    CHECK_EQ(cpus[0].mc_model, model);
    CHECK_EQ(cpus[0].mc_step, stepping);
    CHECK(!memcmp(cpus[0].mc_vendorid, vendor, 12));
    CHECK_EQ(cpus[0].mc_nmsrvals, 1);
    CHECK_EQ(cpus[0].mc_msrvalues[0].reg, MSR_IA32_MCG_CAP);
    CHECK_EQ(cpus[0].mc_cache_alignment, 64);
    CHECK_EQ((unsigned char)cpus[1].mc_vendorid[0], 0x5a);     /* one entry only */
    printf("cpu0: vendor %u level %d ncores %u/%u nthreads %u cache %u KiB caps %#x %#x "
           "brand \"%.64s\" MCG_CAP %#lx\n",
           cpus[0].mc_vendor, cpus[0].mc_cpuid_level, cpus[0].mc_ncores,
           cpus[0].mc_ncores_active, cpus[0].mc_nthreads, cpus[0].mc_cache_size,
           cpus[0].mc_cpu_caps[0], cpus[0].mc_cpu_caps[1], cpus[0].mc_brandid,
           cpus[0].mc_msrvalues[0].value);
    case_end();

    case_begin("mca_physcpuinfo_errors");
    memset(&mc, 0, sizeof(mc));
    set_xen_guest_handle(mc.u.mc_physcpuinfo.info, cpus);
    CHECK_EQ(mca(XEN_MC_physcpuinfo), -EINVAL);     /* room for no CPU */
    mc.u.mc_physcpuinfo.ncpus = 1;
    set_xen_guest_handle(mc.u.mc_physcpuinfo.info, BAD_LOW);
    CHECK_EQ(mca(XEN_MC_physcpuinfo), -EFAULT);
    CHECK_EQ(mc.u.mc_physcpuinfo.ncpus, 1);
    case_end();

    case_begin("mca_fetch");
    static struct mc_info info;
    memset(&mc, 0, sizeof(mc));
    mc.u.mc_fetch.flags = XEN_MC_URGENT;
    mc.u.mc_fetch.fetch_id = 5;
    set_xen_guest_handle(mc.u.mc_fetch.data, &info);
    CHECK_EQ(mca(XEN_MC_fetch), 0);
    CHECK_EQ(mc.u.mc_fetch.flags, XEN_MC_NODATA);
    CHECK_EQ(mc.u.mc_fetch.fetch_id, 0);
    mc.u.mc_fetch.flags = XEN_MC_NONURGENT;
    CHECK_EQ(mca(XEN_MC_fetch), 0);
    CHECK_EQ(mc.u.mc_fetch.flags, XEN_MC_NODATA);
    mc.u.mc_fetch.flags = XEN_MC_NONURGENT | XEN_MC_ACK;
    CHECK_EQ(mca(XEN_MC_fetch), 0);
    CHECK_EQ(mc.u.mc_fetch.flags, XEN_MC_NONURGENT | XEN_MC_ACK);  /* not written */
    case_end();

    case_begin("mca_fetch_errors");
    memset(&mc, 0, sizeof(mc));
    mc.u.mc_fetch.flags = XEN_MC_URGENT;
    CHECK_EQ(mca(XEN_MC_fetch), -EINVAL);           /* no buffer */
    mc.u.mc_fetch.flags = 0;
    set_xen_guest_handle(mc.u.mc_fetch.data, &info);
    CHECK_EQ(mca(XEN_MC_fetch), -EINVAL);
    mc.u.mc_fetch.flags = XEN_MC_URGENT | XEN_MC_NONURGENT;
    CHECK_EQ(mca(XEN_MC_fetch), -EINVAL);
    case_end();

    case_begin("mca_other");
    memset(&mc, 0, sizeof(mc));
    CHECK_EQ(mca(XEN_MC_notifydomain), -EINVAL);
    CHECK_EQ(mca(0), -EINVAL);
    CHECK_EQ(mca(99), -EINVAL);
    mc.cmd = XEN_MC_physcpuinfo;
    mc.interface_version = XEN_MCA_INTERFACE_VERSION - 1;
    CHECK_EQ(HYPERVISOR_mca(&mc), -EACCES);
    CHECK_EQ(HYPERVISOR_mca(BAD_LOW), -EFAULT);
    case_end();
}

static void test_pmu(void)
{
    static uint8_t params[32];

    case_begin("xenpmu_off");
    CHECK_EQ(HYPERVISOR_xenpmu_op(XENPMU_init, params), -EOPNOTSUPP);
    CHECK_EQ(HYPERVISOR_xenpmu_op(XENPMU_mode_get, params), -EOPNOTSUPP);
    CHECK_EQ(HYPERVISOR_xenpmu_op(99, 0), -EOPNOTSUPP);
    case_end();
}

void guest_main(void)
{
    test_envelope();
    test_cpuinfo();
    test_firmware();
    test_pminfo();
    test_settime();
    test_cpu_hotplug();
    test_refused();
    test_resource_op();
    test_symbols();
    test_mca();
    test_pmu();
}
