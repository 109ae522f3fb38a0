/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mca (48, the first arch hypercall): machine-check reporting to dom0.
 * Linux's xen_mcelog asks for the physical CPUs (XEN_MC_physcpuinfo) when
 * it starts, binds VIRQ_MCA and, when that fires, fetches telemetry.
 *
 * Model. Satori keeps no machine-check telemetry (a #MC in the hypervisor
 * is fatal, and it polls no banks), so both queues are always empty:
 * XEN_MC_fetch answers XEN_MC_NODATA and VIRQ_MCA never fires. The CPU
 * descriptions are real: one mcinfo_logical_cpu per online physical CPU,
 * in CPU order, filled as Xen's do_mc_get_cpu_info fills them (topology
 * from CPUID leaf 0xb, identification and MCG_CAP from the CPU). With no
 * banks in its care, injection is -ENODEV, as Xen on a CPU without MCA.
 *
 * Invariants:
 *  1. Only dom0 gets here (the dispatch table refuses others -EPERM
 *     before the argument is read, as Xen's XSM check does).
 *  2. physcpuinfo writes at most ncpus entries, and returns in ncpus the
 *     number written (or, without a buffer, the number online).
 *
 * ABI corner cases (Xen 4.17): a bad info buffer still writes ncpus back
 * and returns -EFAULT; an acknowledging fetch writes nothing back; an
 * unknown command, notifydomain and a fetch of neither or both queues are
 * -EINVAL.
 */
#include <public/arch-x86/xen-mca.h>
#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/string.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

#define MSR_IA32_MCG_CAP 0x179
#define CPUID_1_EDX_MCA (1u << 14)

/* Xen's X86_VENDOR_* values, for mc_vendor. */
static uint32_t vendor_code(const char *v)
{
    static const char *const names[] = { "GenuineIntel", "AuthenticAMD", "CentaurHauls",
                                         "  Shanghai  ", "HygonGenuine" };

    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        if (!memcmp(v, names[i], 12))
            return 1u << i;
    return 0;
}

/* How APIC ids split into thread, core and package (CPUID leaf 0xb). */
struct topology {
    unsigned int smt_bits, core_bits;   /* core_bits counts from bit 0 */
    uint32_t threads, cores;            /* per core, per package */
    bool known;
};

static void read_topology(struct topology *t)
{
    uint32_t a, b, c, d;

    memset(t, 0, sizeof(*t));
    cpuid_count(0, 0, &a, &b, &c, &d);
    if (a < 0xb)
        return;
    cpuid_count(0xb, 0, &a, &b, &c, &d);
    if (!(b & 0xffff))
        return;
    t->smt_bits = a & 0x1f;
    t->threads = b & 0xffff;
    cpuid_count(0xb, 1, &a, &b, &c, &d);
    t->core_bits = MAX(a & 0x1f, t->smt_bits);
    t->cores = MAX((b & 0xffff) / t->threads, 1u);
    t->known = true;
}

static uint32_t chip_of(const struct topology *t, uint32_t apic)
{
    return apic >> t->core_bits;
}

/* Online cores of package chip: its online CPUs that are thread 0. */
static uint32_t cores_active(const struct topology *t, uint32_t chip)
{
    uint32_t n = 0;

    for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
        if (pcpus[i].online && chip_of(t, pcpus[i].apic_id) == chip &&
            !(pcpus[i].apic_id & ((1u << t->smt_bits) - 1)))
            n++;
    return MAX(n, 1u);
}

/* Size in KiB of the last-level cache, as Xen's x86_cache_size. */
static uint32_t cache_size(void)
{
    uint32_t a, b, c, d, best = 0;

    cpuid_count(0, 0, &a, &b, &c, &d);
    if (vendor_code(boot_cpu.vendor) == 1 && a >= 4) {     /* Intel: leaf 4 */
        for (uint32_t i = 0; i < 16; i++) {
            cpuid_count(4, i, &a, &b, &c, &d);
            if (!(a & 0x1f))
                break;
            best = ((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (c + 1) >> 10;
        }
        return best;
    }
    cpuid_count(0x80000000, 0, &a, &b, &c, &d);
    if (a < 0x80000006)
        return 0;
    cpuid_count(0x80000006, 0, &a, &b, &c, &d);
    return (d >> 18) ? (d >> 18) * 512 : c >> 16;          /* L3, else L2 */
}

static void describe_cpu(unsigned int cpu, const struct topology *t, xen_mc_logical_cpu_t *x)
{
    static const uint32_t cap_leaf[MC_NCAPS] = { 1, 1, 0x80000001, 0x80000001, 0xd, 7, 7 };
    static const uint8_t cap_reg[MC_NCAPS] = { 3, 2, 3, 2, 0, 1, 2 };     /* eax..edx */
    static const uint8_t cap_sub[MC_NCAPS] = { 0, 0, 0, 0, 1, 0, 0 };
    uint32_t apic = pcpus[cpu].apic_id, r[4], max_ext;

    memset(x, 0, sizeof(*x));
    x->mc_cpunr = cpu;
    x->mc_apicid = apic;
    x->mc_clusterid = apic & 0xff;      /* CPUID 1's initial APIC id */
    if (t->known) {
        x->mc_chipid = chip_of(t, apic);
        x->mc_coreid = (uint16_t)((apic >> t->smt_bits) & ((1u << (t->core_bits - t->smt_bits)) - 1));
        x->mc_threadid = (uint16_t)(apic & ((1u << t->smt_bits) - 1));
        x->mc_ncores = t->cores;
        x->mc_ncores_active = cores_active(t, x->mc_chipid);
        x->mc_nthreads = t->threads;
    } else {                            /* Xen without topology: a package per CPU */
        x->mc_chipid = cpu;
        x->mc_ncores = x->mc_ncores_active = x->mc_nthreads = 1;
    }
    cpuid_count(0, 0, &r[0], &r[1], &r[2], &r[3]);
    x->mc_cpuid_level = (int32_t)r[0];
    cpuid_count(0x80000000, 0, &max_ext, &r[1], &r[2], &r[3]);
    x->mc_family = boot_cpu.family;
    x->mc_vendor = vendor_code(boot_cpu.vendor);
    x->mc_model = boot_cpu.model;
    x->mc_step = boot_cpu.stepping;
    memcpy(x->mc_vendorid, boot_cpu.vendor, 12);
    for (uint32_t i = 0; max_ext >= 0x80000004 && i < 3; i++) {
        cpuid_count(0x80000002 + i, 0, &r[0], &r[1], &r[2], &r[3]);
        memcpy(x->mc_brandid + 16 * i, r, 16);
    }
    for (unsigned int i = 0; i < MC_NCAPS; i++) {
        bool ext = cap_leaf[i] >= 0x80000000;
        if ((ext && max_ext < cap_leaf[i]) || (!ext && (uint32_t)x->mc_cpuid_level < cap_leaf[i]))
            continue;
        cpuid_count(cap_leaf[i], cap_sub[i], &r[0], &r[1], &r[2], &r[3]);
        x->mc_cpu_caps[i] = r[cap_reg[i]];
    }
    x->mc_cache_size = cache_size();
    cpuid_count(1, 0, &r[0], &r[1], &r[2], &r[3]);
    x->mc_cache_alignment = ((r[1] >> 8) & 0xff) * 8;      /* CLFLUSH line */
    x->mc_nmsrvals = 1;
    x->mc_msrvalues[0].reg = MSR_IA32_MCG_CAP;
    x->mc_msrvalues[0].value = (r[3] & CPUID_1_EDX_MCA) ? rdmsr(MSR_IA32_MCG_CAP) : 0;
}

static long mc_physcpuinfo(struct xen_mc *op, uint64_t arg)
{
    struct xen_mc_physcpuinfo *pi = &op->u.mc_physcpuinfo;
    uint64_t info = (uint64_t)pi->info.p;
    uint32_t n = 0, limit = nr_cpus_online;
    xen_mc_logical_cpu_t x;
    struct topology t;
    long rc = 0;

    if (info) {
        if (pi->ncpus == 0)
            return -EINVAL;
        limit = MIN(limit, pi->ncpus);
        read_topology(&t);
        for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS && n < limit; cpu++) {
            if (!pcpus[cpu].online)
                continue;
            describe_cpu(cpu, &t, &x);
            if (!rc && copy_to_guest(info + n * sizeof(x), &x, sizeof(x)))
                rc = -EFAULT;
            n++;
        }
    }
    pi->ncpus = limit;                  /* invariant 2 */
    if (copy_to_guest(arg, op, sizeof(*op)))
        return -EFAULT;
    return rc;
}

/* No telemetry is ever queued: every fetch finds the queue empty. */
static long mc_fetch(struct xen_mc *op, uint64_t arg)
{
    struct xen_mc_fetch *f = &op->u.mc_fetch;
    uint32_t queue = f->flags & (XEN_MC_NONURGENT | XEN_MC_URGENT);

    if (queue != XEN_MC_NONURGENT && queue != XEN_MC_URGENT)
        return -EINVAL;
    if (f->flags & XEN_MC_ACK)
        return 0;                       /* nothing was handed out to release */
    if (!f->data.p)
        return -EINVAL;
    f->flags = XEN_MC_OK | XEN_MC_NODATA;
    f->fetch_id = 0;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

long do_mca(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct xen_mc op;

    if (copy_from_guest(&op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -EACCES;
    switch (op.cmd) {
    case XEN_MC_fetch:
        return mc_fetch(&op, arg);
    case XEN_MC_physcpuinfo:
        return mc_physcpuinfo(&op, arg);
    case XEN_MC_msrinject:
    case XEN_MC_mceinject:
    case XEN_MC_mceinject + 1:          /* XEN_MC_inject_v2 (a tools-only name) */
        return -ENODEV;                 /* no machine-check banks in Satori's care */
    default:                            /* notifydomain included */
        return -EINVAL;
    }
}
