/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op (7): what dom0 tells the hypervisor about the machine, or
 * asks of it, that needs firmware or whole-machine knowledge: the wall
 * clock, the physical CPUs, firmware tables, power management, hot-plug,
 * microcode, MTRRs, EFI runtime services. docs/dom0-hardware.md lists
 * every sub-op with its answer.
 *
 * Model. Satori answers what it knows (its physical CPUs, the wall clock,
 * its symbol table, the BIOS keyboard flags) and otherwise presents
 * itself as Xen 4.17 does on a machine, or in a build, without the
 * feature: no EDD, MBR or EDID data (Satori runs no real-mode BIOS calls)
 * is -ESRCH; no EFI is -ENOSYS; no cpufreq or ACPI C-state driver makes
 * PX/CX/TX data -ENOSYS and leaves every _PDC bit to dom0; no microcode
 * driver is -EINVAL; no MTRR driver: nothing to read (-EINVAL), adding
 * one -ENXIO. Satori cannot suspend (S3 is -EOPNOTSUPP, as Xen without a
 * usable wakeup vector), hot-add CPUs or memory, or take CPUs on- and
 * offline after boot (-EOPNOTSUPP); ACPI S5 (soft off) is dom0's
 * poweroff.
 *
 * The physical CPUs are those Satori started (arch/x86/smpboot.c): CPU n
 * is pcpus[n]; a CPU past maxcpus= is not present.
 *
 * Invariants:
 *  1. The argument is read whole before anything else; a bad pointer is
 *     -EFAULT, a wrong interface_version -EACCES, and only then does an
 *     unprivileged caller get -EPERM (Xen's order).
 *  2. A sub-op's result (its member of op->u) is written back only when
 *     it succeeds and only for sub-ops with results; header fields are
 *     never rewritten.
 *  3. Every guest-chosen CPU number is checked against CONFIG_NR_CPUS
 *     before it indexes pcpus[].
 *
 * ABI corner cases (Xen 4.17): an absent CPU in XENPF_get_cpuinfo is
 * success with flags XEN_PCPU_FLAGS_INVALID and the ids left as the
 * caller sent them; XENPF_get_cpu_version zeroes them instead.
 * XENPF_resource_op refusing its first entry returns 0 with the error in
 * that entry; a refused MSR is -EPERM. XENPF_get_symbol past the end is
 * -ERANGE, at the end an empty name.
 */
#include <public/platform.h>
#include <public/sched.h>
#include <satori/domain.h>
#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/hypercall.h>
#include <satori/nospec.h>
#include <satori/string.h>
#include <satori/symbols.h>
#include <satori/time.h>
#include <asm/acpi.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/uaccess.h>
#include <asm/x86.h>

/* ACPI _PDC capability bits (ACPI's processor-vendor-specific interface). */
#define PDC_REVISION_ID   1
#define PDC_P_FFH         0x0001
#define PDC_C_C1_HALT     0x0002
#define PDC_T_FFH         0x0004
#define PDC_SMP_C1PT      0x0008
#define PDC_SMP_C2C3      0x0010
#define PDC_SMP_P_SWCOORD 0x0020
#define PDC_SMP_C_SWCOORD 0x0040
#define PDC_SMP_T_SWCOORD 0x0080
#define PDC_C_C1_FFH      0x0100
#define PDC_C_C2C3_FFH    0x0200
#define PDC_SMP_P_HWCOORD 0x0800
#define PDC_C_MASK (PDC_C_C1_HALT | PDC_C_C1_FFH | PDC_SMP_C2C3 | PDC_SMP_C_SWCOORD | PDC_C_C2C3_FFH)
#define PDC_P_MASK (PDC_P_FFH | PDC_SMP_P_SWCOORD | PDC_SMP_P_HWCOORD)
#define PDC_T_MASK (PDC_T_FFH | PDC_SMP_T_SWCOORD)

#define CPUID_1_ECX_MONITOR   (1u << 3)
#define CPUID5_ECX_EXTENSIONS (1u << 0)
#define CPUID5_ECX_INT_BREAK  (1u << 1)

#define ACPI_STATE_S3 3
#define ACPI_STATE_S5 5
#define PM1_SLEEP_ENABLE 0x2000

#define MSR_IA32_TSC 0x10
#define RESOURCE_MAX_ENTRIES 3          /* Xen's RESOURCE_ACCESS_MAX_ENTRIES */
#define BIOS_KBD_FLAGS 0x417            /* BIOS data area: keyboard shift flags */

static bool cpu_present(uint32_t cpu)
{
    return cpu < CONFIG_NR_CPUS && pcpus[array_index_nospec(cpu, CONFIG_NR_CPUS)].present;
}

static bool cpu_online(uint32_t cpu)
{
    return cpu_present(cpu) && pcpus[array_index_nospec(cpu, CONFIG_NR_CPUS)].online;
}

static uint32_t max_present(void)
{
    uint32_t last = 0;

    for (uint32_t i = 0; i < CONFIG_NR_CPUS; i++)
        if (pcpus[i].present)
            last = i;
    return last;
}

static long pf_settime32(struct xen_platform_op *op)
{
    const struct xenpf_settime32 *t = &op->u.settime32;

    wallclock_set(t->secs, t->nsecs, t->system_time);
    return 0;
}

static long pf_settime64(struct xen_platform_op *op)
{
    const struct xenpf_settime64 *t = &op->u.settime64;

    if (t->mbz)
        return -EINVAL;
    wallclock_set(t->secs, t->nsecs, t->system_time);
    return 0;
}

/* Satori has no MTRR driver: nothing to add, no register to read or free. */
static long pf_add_memtype(struct xen_platform_op *op)
{
    return -ENXIO;
}

static long pf_del_memtype(struct xen_platform_op *op)
{
    const struct xenpf_del_memtype *m = &op->u.del_memtype;

    return m->handle == 0 && (int32_t)m->reg >= 0 ? -ENXIO : -EINVAL;
}

static long pf_read_memtype(struct xen_platform_op *op)
{
    return -EINVAL;                     /* reg >= the 0 variable ranges */
}

/* Xen on a CPU it has no microcode driver for. */
static long pf_microcode(struct xen_platform_op *op)
{
    return -EINVAL;
}

/* Satori never moves IRQs between CPUs and reads no I/O APIC by REGSEL quirks. */
static long pf_platform_quirk(struct xen_platform_op *op)
{
    switch (op->u.platform_quirk.quirk_id) {
    case QUIRK_NOIRQBALANCING:
    case QUIRK_IOAPIC_BAD_REGSEL:
    case QUIRK_IOAPIC_GOOD_REGSEL:
        return 0;
    default:
        return -EINVAL;
    }
}

static long pf_efi_runtime_call(struct xen_platform_op *op)
{
    return -ENOSYS;                     /* not booted from EFI */
}

static long pf_firmware_info(struct xen_platform_op *op)
{
    struct xenpf_firmware_info *fw = &op->u.firmware_info;

    switch (fw->type) {
    case XEN_FW_DISK_INFO:
    case XEN_FW_DISK_MBR_SIGNATURE:
    case XEN_FW_VBEDDC_INFO:
        return -ESRCH;                  /* no entry index (there are none) */
    case XEN_FW_EFI_INFO:
        return -ENOSYS;
    case XEN_FW_KBD_SHIFT_FLAGS:
        if (fw->index != 0)
            return -ESRCH;
        fw->u.kbd_shift_flags = *(const volatile uint8_t *)__va(BIOS_KBD_FLAGS);
        return 0;
    default:
        return -EINVAL;
    }
}

/* Xen's checks in its order; S5 is dom0's poweroff, other states refused. */
static long pf_enter_acpi_sleep(struct xen_platform_op *op)
{
    const struct xenpf_enter_acpi_sleep *s = &op->u.enter_acpi_sleep;

    if (s->flags & XENPF_ACPI_SLEEP_EXTENDED)
        return -EPERM;                  /* no sleep control/status registers */
    if (!acpi_s5.valid)
        return -EPERM;                  /* no PM1a control block known */
    if (s->val_b && ((s->val_a ^ s->val_b) & PM1_SLEEP_ENABLE))
        return -EINVAL;
    if (s->flags)
        return -EINVAL;
    if (s->sleep_state == ACPI_STATE_S5) {
        domain_shutdown(current_vcpu()->domain, SHUTDOWN_poweroff);
        return 0;
    }
    return s->sleep_state == ACPI_STATE_S3 ? -EOPNOTSUPP : -EINVAL;
}

/* Frequency control belongs to the hypervisor's cpufreq, which Satori lacks. */
static long pf_cpufreq(struct xen_platform_op *op)
{
    return -ENOSYS;
}

/* The online CPU with this ACPI processor id, or -1. */
static int cpu_of_acpi_id(uint32_t acpi_id)
{
    for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
        if (pcpus[i].online && pcpus[i].acpi_id == acpi_id)
            return (int)i;
    return -1;
}

/*
 * _PDC: the capability bits dom0 will pass to the firmware. Satori runs no
 * P-, C- or T-state driver, so none is taken from dom0 (Xen's mask is 0)
 * and none added; FFH C-states stay only if MONITOR/MWAIT can break on
 * interrupts. acpi_id ~0 means any CPU.
 */
static long pminfo_pdc(const struct xenpf_set_processor_pminfo *pm)
{
    uint64_t words = (uint64_t)pm->u.pdc.p;
    uint32_t bits[3], a, b, c, d;

    if (copy_from_guest(bits, words, 2 * sizeof(uint32_t)))
        return -EFAULT;
    if (bits[0] != PDC_REVISION_ID || !bits[1])
        return -EINVAL;
    if (copy_from_guest(&bits[2], words + 2 * sizeof(uint32_t), sizeof(uint32_t)))
        return -EFAULT;
    bits[2] &= PDC_C_MASK | PDC_P_MASK | PDC_T_MASK | PDC_SMP_C1PT;
    if (pm->id != ACPI_ID_INVALID && cpu_of_acpi_id(pm->id) < 0)
        return -EINVAL;
    c = 0;
    if ((boot_cpu.words[CPUID_1_ECX] & CPUID_1_ECX_MONITOR)) {
        cpuid_count(0, 0, &a, &b, &c, &d);
        if (a >= 5)
            cpuid_count(5, 0, &a, &b, &c, &d);
        else
            c = 0;
    }
    if (!(c & CPUID5_ECX_EXTENSIONS) || !(c & CPUID5_ECX_INT_BREAK))
        bits[2] &= ~(PDC_C_C1_FFH | PDC_C_C2C3_FFH);
    return copy_to_guest(words + 2 * sizeof(uint32_t), &bits[2], sizeof(uint32_t));
}

static long pf_set_processor_pminfo(struct xen_platform_op *op)
{
    switch (op->u.set_pminfo.type) {
    case XEN_PM_PX:
    case XEN_PM_CX:
    case XEN_PM_TX:
        return -ENOSYS;                 /* no such driver to give the data to */
    case XEN_PM_PDC:
        return pminfo_pdc(&op->u.set_pminfo);
    default:
        return -EINVAL;
    }
}

static long pf_get_cpuinfo(struct xen_platform_op *op)
{
    struct xenpf_pcpuinfo *g = &op->u.pcpu_info;

    if (!cpu_present(g->xen_cpuid)) {
        g->flags = XEN_PCPU_FLAGS_INVALID;
    } else {
        const struct pcpu *p = &pcpus[array_index_nospec(g->xen_cpuid, CONFIG_NR_CPUS)];

        g->apic_id = p->apic_id;
        g->acpi_id = p->acpi_id;
        g->flags = p->online ? XEN_PCPU_FLAGS_ONLINE : 0;
    }
    g->max_present = max_present();
    return 0;
}

/* Satori's CPUs are alike: the boot CPU's identification stands for each. */
static long pf_get_cpu_version(struct xen_platform_op *op)
{
    struct xenpf_pcpu_version *v = &op->u.pcpu_version;

    if (!cpu_online(v->xen_cpuid)) {
        memset(v->vendor_id, 0, sizeof(v->vendor_id));
        v->family = v->model = v->stepping = 0;
    } else {
        memcpy(v->vendor_id, boot_cpu.vendor, sizeof(v->vendor_id));
        v->family = boot_cpu.family;
        v->model = boot_cpu.model;
        v->stepping = boot_cpu.stepping;
    }
    v->max_present = max_present();
    return 0;
}

static long pf_cpu_online(struct xen_platform_op *op)
{
    uint32_t cpu = op->u.cpu_ol.cpuid;

    if (!cpu_present(cpu))
        return -EINVAL;
    return cpu_online(cpu) ? 0 : -EOPNOTSUPP;
}

static long pf_cpu_offline(struct xen_platform_op *op)
{
    uint32_t cpu = op->u.cpu_ol.cpuid;

    if (cpu == 0)
        return -EOPNOTSUPP;
    if (!cpu_present(cpu))
        return -EINVAL;
    return cpu_online(cpu) ? -EOPNOTSUPP : 0;
}

static long pf_cpu_hotadd(struct xen_platform_op *op)
{
    const struct xenpf_cpu_hotadd *c = &op->u.cpu_add;

    if (c->pxm >= 256)
        return -EINVAL;
    for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++) {
        if (!pcpus[i].present)
            continue;
        if (pcpus[i].acpi_id == c->acpi_id)
            return pcpus[i].apic_id == c->apic_id ? -EEXIST : -EINVAL;
        if (pcpus[i].apic_id == c->apic_id)
            return -EEXIST;
    }
    return -EOPNOTSUPP;
}

static long pf_mem_hotadd(struct xen_platform_op *op)
{
    const struct xenpf_mem_hotadd *m = &op->u.mem_add;

    if (m->spfn >= m->epfn || ((m->spfn | m->epfn) & 511))
        return -EINVAL;                 /* empty, or not in whole L1 tables */
    return -EOPNOTSUPP;
}

/* No CPU is ever parked; a request to park none is granted. */
static long pf_core_parking(struct xen_platform_op *op)
{
    struct xenpf_core_parking *cp = &op->u.core_parking;

    switch (cp->type) {
    case XEN_CORE_PARKING_SET:
        return MIN(cp->idle_nums, nr_cpus_online - 1) ? -EOPNOTSUPP : 0;
    case XEN_CORE_PARKING_GET:
        cp->idle_nums = 0;
        return 0;
    default:
        return -EINVAL;
    }
}

/*
 * One entry's check (Xen's check_resource_access): only the TSC may be
 * read; Satori exposes no cache-monitoring MSRs.
 */
static int resource_check(const xenpf_resource_entry_t *e)
{
    if (e->rsvd)
        return -EINVAL;
    if (e->u.cmd != XEN_RESOURCE_OP_MSR_READ && e->u.cmd != XEN_RESOURCE_OP_MSR_WRITE)
        return -EOPNOTSUPP;
    if (e->idx >> 32)
        return -EINVAL;
    return e->idx == MSR_IA32_TSC ? 0 : -EPERM;
}

/* Reading the TSC gives system time (ns), the same on every CPU. */
static int resource_do(xenpf_resource_entry_t *e)
{
    if (e->u.cmd == XEN_RESOURCE_OP_MSR_WRITE)
        return -EPERM;                  /* the TSC is never written */
    e->val = (uint64_t)NOW();
    return 0;
}

/*
 * Entries are checked up to the first refused one, whose ret says why;
 * those before it run, up to the first that fails. Back go the entries
 * done and the one that stopped them; the result is the number done.
 */
static long pf_resource_op(struct xen_platform_op *op)
{
    const struct xenpf_resource_op *r = &op->u.resource_op;
    uint64_t guest = (uint64_t)r->entries.p;
    xenpf_resource_entry_t e[RESOURCE_MAX_ENTRIES];
    uint32_t n = r->nr_entries, checked = 0, done;
    int rc = 0;

    if (n == 0)
        return 0;
    if (n > RESOURCE_MAX_ENTRIES)
        return -EINVAL;
    if (copy_from_guest(e, guest, n * sizeof(e[0])))
        return -EFAULT;
    while (checked < n && !(rc = resource_check(&e[checked])))
        checked++;
    if (checked < n)
        e[checked].u.ret = rc;
    if (checked == 0)
        return copy_to_guest(guest, e, sizeof(e[0])) ? -EFAULT : 0;
    if (!cpu_online(r->cpu))
        return -ENODEV;
    for (done = 0; done < checked; done++)
        if ((rc = resource_do(&e[done]))) {
            e[done].u.ret = rc;
            break;
        }
    if (copy_to_guest(guest, e, MIN(done + 1, n) * sizeof(e[0])))
        return -EFAULT;
    return done;
}

static long pf_get_symbol(struct xen_platform_op *op)
{
    struct xenpf_symdata *s = &op->u.symdata;
    const char *name = "";
    uint64_t addr = 0;
    uint32_t len;

    if (s->symnum > symbols_total())
        return -ERANGE;
    if (symbols_nth(s->symnum, &name, &addr, &s->type))
        s->symnum++;
    len = (uint32_t)strlen(name) + 1;
    if (copy_to_guest((uint64_t)s->name.p, name, MIN(len, s->namelen)))
        return -EFAULT;
    s->namelen = len;
    s->address = addr;
    return 0;
}

struct platform_subop {
    long (*fn)(struct xen_platform_op *op);
    uint32_t out_size;                  /* of op->u written back on success; 0: none */
};

#define OUT(member) sizeof(((struct xen_platform_op *)0)->u.member)
static const struct platform_subop platform_ops[] = {
    [XENPF_settime32] = { pf_settime32, 0 },
    [XENPF_settime64] = { pf_settime64, 0 },
    [XENPF_add_memtype] = { pf_add_memtype, 0 },
    [XENPF_del_memtype] = { pf_del_memtype, 0 },
    [XENPF_read_memtype] = { pf_read_memtype, 0 },
    [XENPF_microcode_update] = { pf_microcode, 0 },
    [XENPF_platform_quirk] = { pf_platform_quirk, 0 },
    [XENPF_efi_runtime_call] = { pf_efi_runtime_call, 0 },
    [XENPF_firmware_info] = { pf_firmware_info, OUT(firmware_info) },
    [XENPF_enter_acpi_sleep] = { pf_enter_acpi_sleep, 0 },
    [XENPF_change_freq] = { pf_cpufreq, 0 },
    [XENPF_getidletime] = { pf_cpufreq, 0 },
    [XENPF_set_processor_pminfo] = { pf_set_processor_pminfo, 0 },
    [XENPF_get_cpuinfo] = { pf_get_cpuinfo, OUT(pcpu_info) },
    [XENPF_get_cpu_version] = { pf_get_cpu_version, OUT(pcpu_version) },
    [XENPF_cpu_online] = { pf_cpu_online, 0 },
    [XENPF_cpu_offline] = { pf_cpu_offline, 0 },
    [XENPF_cpu_hotadd] = { pf_cpu_hotadd, 0 },
    [XENPF_mem_hotadd] = { pf_mem_hotadd, 0 },
    [XENPF_core_parking] = { pf_core_parking, OUT(core_parking) },
    [XENPF_resource_op] = { pf_resource_op, 0 },
    [XENPF_get_symbol] = { pf_get_symbol, OUT(symdata) },
};
#undef OUT

long do_platform_op(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct xen_platform_op op;
    const struct platform_subop *sub;
    long rc;

    if (copy_from_guest(&op, arg, sizeof(op)))              /* invariant 1 */
        return -EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -EACCES;
    if (!current_vcpu()->domain->privileged)
        return -EPERM;
    if (op.cmd >= ARRAY_SIZE(platform_ops) || !platform_ops[op.cmd].fn)
        return -ENOSYS;
    sub = &platform_ops[array_index_nospec(op.cmd, ARRAY_SIZE(platform_ops))];
    rc = sub->fn(&op);
    if (rc >= 0 && sub->out_size &&                         /* invariant 2 */
        copy_to_guest(arg + __builtin_offsetof(struct xen_platform_op, u), &op.u,
                      sub->out_size))
        rc = -EFAULT;
    return rc;
}
