/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulation of privileged instructions for 64-bit PV guests. A PV kernel
 * runs at CPL 3, so CPUID after Xen's forced-emulation prefix (#UD), and
 * RDMSR/WRMSR, port I/O, moves to and from control and debug registers,
 * CLTS, WBINVD (#GP) trap to the hypervisor. pv_emulate_privop() fetches the
 * instruction with copy_from_guest, decodes it (hypervisor/x86_emul_decode.c),
 * performs it against the vCPU's virtual state and steps over it, or
 * declines and the guest gets the exception. What a guest sees is what
 * Xen 4.17 shows a PV guest, checked by tests/guests/emul.c on both.
 *
 * Invariants:
 *  1. Only 64-bit guest code (a long-mode CS: FLAT_RING3_CS64 or the
 *     guest's own, e.g. Linux's __KERNEL_CS on APs) is emulated; #GP only
 *     with error code 0; #UD only for the forced CPUID.
 *  2. Declining changes no guest or hardware state: every check runs before
 *     the first register, MSR or port is touched (validate, then commit).
 *  3. Guest-kernel mode only, except CPUID, RDTSC(P), and port I/O and
 *     CLI/STI when the virtual IOPL allows the mode (kernel counts as ring 1,
 *     user as ring 3; PHYSDEVOP_set_iopl sets it).
 *  4. The hypervisor executes RDMSR/WRMSR only on MSRs every x86-64 CPU has,
 *     with values it has checked (canonical bases), so nothing here can
 *     fault in the hypervisor.
 *  5. While a vCPU runs in kernel mode its FS base and kernel GS base are
 *     live in MSR_FS_BASE/MSR_GS_BASE and its user GS base is in
 *     arch.gs_base_user (the model of bounce.c and cpu_state.c); WRMSR keeps
 *     arch.* in step.
 *  6. Ports the hypervisor drives (PIC, PIT, 0x61, COM1) are never touched
 *     for a guest: reads give all ones, writes are dropped, as for every
 *     port of a domain other than dom0.
 *
 * ABI corner cases (all as Xen 4.17): HLT is #GP even with IOPL; CLI/STI
 * are no-ops when IOPL allows and #GP otherwise; an unknown MSR is #GP(0);
 * MSR_EFER may be written only with the value read; CR0 writes may change
 * TS only; CR4 writes are accepted and ignored.
 */
#include <public/xen.h>
#include <satori/domain.h>
#include <satori/hypercall.h>
#include <satori/perfc.h>
#include <satori/x86_emul_decode.h>
#include <asm/cpu.h>
#include <asm/pv.h>
#include <asm/pv_emulate.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/uaccess.h>
#include <asm/vmce.h>
#include <asm/x86.h>

#define EFER_LMA (1UL << 10)
#define APIC_BASE_BSP (1UL << 8)
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_DEFAULT_BASE 0xfee00000UL

#define MSR_TSC 0x00000010
#define MSR_PLATFORM_INFO 0x000000ce
#define MSR_MISC_FEATURES_ENABLES 0x00000140
#define MSR_MISC_ENABLE 0x000001a0
/* fast strings; BTS and PEBS unavailable; xTPR disabled: Xen's PV view */
#define MISC_ENABLE_PV ((1UL << 0) | (1UL << 11) | (1UL << 12) | (1UL << 23))

/* cpu_regs in the ModRM register order: rax, rcx, rdx, rbx, rsp, rbp, ... */
static uint64_t *gpr(struct cpu_regs *regs, unsigned int n)
{
    uint64_t *const map[16] = {
        &regs->rax, &regs->rcx, &regs->rdx, &regs->rbx, &regs->rsp, &regs->rbp,
        &regs->rsi, &regs->rdi, &regs->r8,  &regs->r9,  &regs->r10, &regs->r11,
        &regs->r12, &regs->r13, &regs->r14, &regs->r15,
    };

    return map[n & 15];
}

/* ---- CPUID policy ------------------------------------------------------ */

#define BIT(n) (1u << (n))
/*
 * What a PV guest may see of the host's features: Xen's 'A' (all guests)
 * annotations, less what Satori does not virtualise yet (XSAVE and the AVX
 * family, FSGSBASE, RDTSCP/RDPID, SEP, X2APIC, the speculation-control
 * MSRs); MCE and MCA are shown, with Xen's virtual MSRs behind (vmce.c).
 * Everything not listed is hidden, among it PSE, PGE, PSE36, 1 GiB pages,
 * SMEP/SMAP/UMIP, PKU, PCID/INVPCID, XSAVES, LA57, MTRR, MONITOR, VMX/SVM
 * (docs/linux-pv-boot.md 5.2).
 */
static const uint32_t allow_1_edx =
    BIT(0) | BIT(2) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(14) |
    BIT(15) | BIT(16) | BIT(19) | BIT(22) | BIT(23) | BIT(24) | BIT(25) | BIT(26) | BIT(27) |
    BIT(28);
static const uint32_t allow_1_ecx =
    BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(22) | BIT(23) | BIT(25) |
    BIT(30);
static const uint32_t allow_7_ebx =
    BIT(3) | BIT(6) | BIT(8) | BIT(9) | BIT(13) | BIT(18) | BIT(19) | BIT(23) | BIT(24) |
    BIT(29);
static const uint32_t allow_7_ecx = BIT(0) | BIT(8) | BIT(25);
static const uint32_t allow_7_edx = BIT(10);                  /* MD_CLEAR */
static const uint32_t allow_e1_ecx =
    BIT(0) | BIT(1) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(21);
/* the leaf-1 duplicates (FPU..PAT, MMX, FXSR) plus SYSCALL, NX, MMXEXT, FFXSR, LM, 3DNow */
static const uint32_t allow_e1_edx =
    BIT(0) | BIT(2) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(9) | BIT(15) | BIT(16) |
    BIT(23) | BIT(24) | BIT(11) | BIT(20) | BIT(22) | BIT(25) | BIT(29) | BIT(30) | BIT(31);
static const uint32_t allow_e8_ebx = BIT(0) | BIT(2) | BIT(26) | BIT(29);

#define CPUID_1_ECX_HYPERVISOR BIT(31)
#define CPUID_E1_EDX_NX BIT(20)
#define PV_MAX_STD_LEAF 0xd
#define PV_MAX_EXT_LEAF 0x80000008u

#define XEN_LEAF_BASE 0x40000000u
#define XEN_LEAF_MAX (XEN_LEAF_BASE + 5)
#define XEN_VERSION_LEAF ((4u << 16) | 17u)

static void xen_leaves(uint32_t idx, uint32_t sub, uint32_t r[4])
{
    uint32_t raw[4];

    switch (idx) {
    case 0:                 /* max leaf, "XenVMMXenVMM" */
        r[0] = XEN_LEAF_MAX;
        r[1] = 0x566e6558;
        r[2] = 0x65584d4d;
        r[3] = 0x4d4d566e;
        break;
    case 1:
        r[0] = XEN_VERSION_LEAF;
        break;
    case 2:                 /* one hypercall page; MSR base; PRESERVE_AD */
        r[0] = 1;
        r[1] = XEN_LEAF_BASE;
        r[2] = 1;
        break;
    case 3:                 /* time: features (safe TSC, RDTSCP), khz */
        if (sub == 0) {
            cpuid_count(0x80000007, 0, &raw[0], &raw[1], &raw[2], &raw[3]);
            r[0] = raw[3] & BIT(8) ? BIT(1) : 0;
        } else if (sub == 2) {
            r[0] = (uint32_t)(tsc_hz() / 1000);
        }
        break;
    default:                /* 4: HVM only; 5: machine address width unknown */
        break;
    }
}

static uint32_t raw_max(uint32_t base)
{
    uint32_t a, b, c, d;

    cpuid_count(base, 0, &a, &b, &c, &d);
    return a;
}

static void std_leaf(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    uint32_t max = raw_max(0);

    if (max > PV_MAX_STD_LEAF)
        max = PV_MAX_STD_LEAF;
    if (leaf > max)
        return;
    cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
    switch (leaf) {
    case 0:
        r[0] = max;
        break;
    case 1:
        r[1] &= 0x00ffffff;             /* no physical APIC ID */
        r[2] = (r[2] & allow_1_ecx) | CPUID_1_ECX_HYPERVISOR;
        r[3] &= allow_1_edx;
        break;
    case 2: case 4:
        break;
    case 7:
        if (sub != 0) {
            r[0] = r[1] = r[2] = r[3] = 0;
            break;
        }
        r[0] = 0;
        r[1] &= allow_7_ebx;
        r[2] &= allow_7_ecx;
        r[3] &= allow_7_edx;
        break;
    default:                /* 0xd (no XSAVE), topology, power, perfmon... */
        r[0] = r[1] = r[2] = r[3] = 0;
        break;
    }
}

static void ext_leaf(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    uint32_t max = raw_max(0x80000000);

    if (max > PV_MAX_EXT_LEAF)
        max = PV_MAX_EXT_LEAF;
    if (leaf > max)
        return;
    cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
    switch (leaf) {
    case 0x80000000:
        r[0] = max;
        break;
    case 0x80000001:
        r[2] &= allow_e1_ecx;
        r[3] &= allow_e1_edx;
        if (!(rdmsr(MSR_EFER) & EFER_NXE))
            r[3] &= ~CPUID_E1_EDX_NX;
        break;
    case 0x80000002: case 0x80000003: case 0x80000004:
    case 0x80000005: case 0x80000006:
        break;
    case 0x80000008:        /* physical bits as is, 48 linear bits (no LA57) */
        r[0] = (r[0] & 0xff) | (48u << 8);
        r[1] &= allow_e8_ebx;
        r[2] = r[3] = 0;
        break;
    default:
        r[0] = r[1] = r[2] = r[3] = 0;
        break;
    }
}

void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    (void)v;
    r[0] = r[1] = r[2] = r[3] = 0;
    if (leaf < 0x40000000u)
        std_leaf(leaf, sub, r);
    else if (leaf >= XEN_LEAF_BASE && leaf <= XEN_LEAF_MAX)
        xen_leaves(leaf - XEN_LEAF_BASE, sub, r);
    else if (leaf >= 0x80000000u)
        ext_leaf(leaf, sub, r);
}

static bool emul_cpuid(struct vcpu *v, struct cpu_regs *regs)
{
    uint32_t r[4];

    pv_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, r);
    regs->rax = r[0];
    regs->rbx = r[1];
    regs->rcx = r[2];
    regs->rdx = r[3];
    return true;
}

/* ---- MSRs ------------------------------------------------------------- */

static uint64_t efer_view(void)
{
    return rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
}

static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_EFER:
        *val = efer_view();
        return true;
    case MSR_FS_BASE:
    case MSR_GS_BASE:                       /* invariant 5 */
        *val = rdmsr(msr);
        return true;
    case MSR_KERNEL_GS_BASE:
        *val = v->arch.gs_base_user;
        return true;
    case MSR_TSC:
        *val = rdtsc();
        return true;
    case MSR_APIC_BASE:
        *val = APIC_DEFAULT_BASE | APIC_BASE_ENABLE | (v->vcpu_id ? 0 : APIC_BASE_BSP);
        return true;
    case MSR_PAT:                           /* what the hardware really uses */
        *val = rdmsr(MSR_PAT);
        return true;
    case MSR_MISC_ENABLE:
        *val = MISC_ENABLE_PV;
        return true;
    case MSR_PLATFORM_INFO:                 /* no CPUID faulting offered */
    case MSR_MISC_FEATURES_ENABLES:
        *val = 0;
        return true;
    default:
        return vmce_rdmsr(v, msr, val) == VMCE_DONE;
    }
}

static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case MSR_EFER:
        return val == efer_view();
    case MSR_FS_BASE:
        if (!is_canonical(val))
            return false;
        v->arch.fs_base = val;
        wrmsr(MSR_FS_BASE, val);
        return true;
    case MSR_GS_BASE:
        if (!is_canonical(val))
            return false;
        v->arch.gs_base_kernel = val;
        wrmsr(MSR_GS_BASE, val);
        return true;
    case MSR_KERNEL_GS_BASE:
        if (!is_canonical(val))
            return false;
        v->arch.gs_base_user = val;
        return true;
    default:
        return vmce_wrmsr(v, msr, val) == VMCE_DONE;
    }
}

static bool emul_rdmsr(struct vcpu *v, struct cpu_regs *regs)
{
    uint64_t val;

    if (!msr_read(v, (uint32_t)regs->rcx, &val))
        return false;
    regs->rax = (uint32_t)val;
    regs->rdx = val >> 32;
    return true;
}

static bool emul_wrmsr(struct vcpu *v, struct cpu_regs *regs)
{
    uint64_t val = (regs->rdx << 32) | (uint32_t)regs->rax;

    return msr_write(v, (uint32_t)regs->rcx, val);
}

/* ---- Port I/O --------------------------------------------------------- */

/* Ports the hypervisor itself drives (invariant 6). */
static const struct { uint16_t first, last; } hv_ports[] = {
    { 0x20, 0x21 }, { 0x40, 0x43 }, { 0x61, 0x61 }, { 0xa0, 0xa1 }, { 0x3f8, 0x3ff },
};

static bool iopl_ok(const struct vcpu *v)
{
    return v->kernel_mode ? v->iopl >= 1 : v->iopl == 3;
}

/* May d touch ports [port, port + size) on the hardware? */
static bool ioports_permitted(const struct domain *d, unsigned int port, unsigned int size)
{
    unsigned int last = port + size - 1;

    if (!d->privileged || last > 0xffff)
        return false;
    for (size_t i = 0; i < sizeof(hv_ports) / sizeof(hv_ports[0]); i++)
        if (port <= hv_ports[i].last && last >= hv_ports[i].first)
            return false;
    return true;
}

static uint32_t port_read(unsigned int port, unsigned int size)
{
    if (size == 1)
        return inb((uint16_t)port);
    if (size == 2)
        return inw((uint16_t)port);
    return inl((uint16_t)port);
}

static void port_write(unsigned int port, unsigned int size, uint32_t val)
{
    if (size == 1)
        outb((uint16_t)port, (uint8_t)val);
    else if (size == 2)
        outw((uint16_t)port, (uint16_t)val);
    else
        outl((uint16_t)port, val);
}

static bool emul_io(struct vcpu *v, struct cpu_regs *regs, const struct x86_emul_insn *insn)
{
    unsigned int port = insn->port_imm ? insn->port : (uint16_t)regs->rdx;
    unsigned int size = insn->size;
    bool hw = ioports_permitted(v->domain, port, size);
    uint64_t mask = size == 4 ? 0xffffffffUL : (1UL << (size * 8)) - 1;
    uint32_t val;

    if (!iopl_ok(v) && !pv_iobmp_permits(v, port, size))
        return false;
    if (insn->kind == EMUL_OUT) {
        if (hw)
            port_write(port, size, (uint32_t)regs->rax);
        return true;
    }
    val = hw ? port_read(port, size) : 0xffffffffu;
    if (size == 4)
        regs->rax = val;                    /* 32-bit results zero-extend */
    else
        regs->rax = (regs->rax & ~mask) | (val & mask);
    return true;
}

/* ---- Control and debug registers --------------------------------------- */

static uint64_t cr0_view(const struct vcpu *v)
{
    return (read_cr0() & ~X86_CR0_TS) | (v->arch.fpu_ts ? X86_CR0_TS : 0);
}

static bool emul_read_cr(const struct vcpu *v, unsigned int cr, uint64_t *dst)
{
    switch (cr) {
    case 0:
        *dst = cr0_view(v);
        return true;
    case 2:
        *dst = v->arch.cr2;
        return true;
    case 3:
        *dst = v->kernel_mode ? v->guest_cr3 : v->guest_user_cr3;
        return true;
    case 4:
        *dst = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
        return true;
    default:
        return false;
    }
}

static bool emul_write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:                 /* only the virtual TS may change */
        if ((val ^ cr0_view(v)) & ~X86_CR0_TS)
            return false;
        pv_set_fpu_ts(v, val & X86_CR0_TS);
        return true;
    case 4:                 /* accepted and ignored, as Xen does */
        return true;
    default:
        return false;
    }
}

static bool emul_read_dr(const struct vcpu *v, unsigned int dr, uint64_t *dst)
{
    if (dr > 7 || dr == 4 || dr == 5)
        return false;
    *dst = v->arch.debugreg[dr];
    if (dr == 6)
        *dst |= 0xffff0ff0;     /* the bits that read as one */
    else if (dr == 7)
        *dst |= 0x400;
    return true;
}

static bool emul_crdr(struct vcpu *v, struct cpu_regs *regs, const struct x86_emul_insn *insn)
{
    uint64_t *reg = gpr(regs, insn->gpr);
    uint64_t val;

    switch (insn->kind) {
    case EMUL_MOV_FROM_CR:
        if (!emul_read_cr(v, insn->creg, &val))
            return false;
        *reg = val;
        return true;
    case EMUL_MOV_TO_CR:
        return emul_write_cr(v, insn->creg, *reg);
    case EMUL_MOV_FROM_DR:
        if (!emul_read_dr(v, insn->creg, &val))
            return false;
        *reg = val;
        return true;
    case EMUL_MOV_TO_DR:
        if (insn->creg == 4 || insn->creg == 5)
            return false;
        return do_set_debugreg(insn->creg, *reg, 0, 0, 0) == 0;
    case EMUL_CLTS:
        pv_set_fpu_ts(v, false);
        return true;
    default:                /* lmsw: the low four bits of CR0; PE cannot clear */
        val = (cr0_view(v) & ~0xeUL) | (*reg & 0xf);
        return emul_write_cr(v, 0, val);
    }
}

/* ---- Dispatch --------------------------------------------------------- */

/* Reads up to 15 bytes at rip; stops at the first page that will not read. */
static size_t fetch_insn(uint64_t rip, uint8_t *buf)
{
    size_t first = PAGE_SIZE - (rip & (PAGE_SIZE - 1));

    if (first > X86_MAX_INSN_LEN)
        first = X86_MAX_INSN_LEN;
    if (copy_from_guest(buf, rip, first))
        return 0;
    if (first == X86_MAX_INSN_LEN ||
        copy_from_guest(buf + first, rip + first, X86_MAX_INSN_LEN - first))
        return first;
    return X86_MAX_INSN_LEN;
}

static bool emulate(struct vcpu *v, struct cpu_regs *regs, const struct x86_emul_insn *insn)
{
    uint64_t tsc;

    switch (insn->kind) {
    case EMUL_CPUID:
        return emul_cpuid(v, regs);
    case EMUL_RDTSC:
    case EMUL_RDTSCP:       /* fault only under CR4.TSD, which Satori never sets */
        tsc = rdtsc();
        regs->rax = (uint32_t)tsc;
        regs->rdx = tsc >> 32;
        if (insn->kind == EMUL_RDTSCP)
            regs->rcx = 0;
        return true;
    case EMUL_IN:
    case EMUL_OUT:
        return emul_io(v, regs, insn);
    case EMUL_CLI:
    case EMUL_STI:          /* virtual IF is the event mask: a no-op, as on Xen */
        return iopl_ok(v);
    default:
        break;
    }
    if (!v->kernel_mode)    /* invariant 3 */
        return false;
    switch (insn->kind) {
    case EMUL_RDMSR:
        return emul_rdmsr(v, regs);
    case EMUL_WRMSR:
        return emul_wrmsr(v, regs);
    case EMUL_WBINVD:
    case EMUL_INVD:         /* no-op until guests drive non-coherent DMA */
        return true;
    case EMUL_MOV_FROM_CR: case EMUL_MOV_TO_CR: case EMUL_MOV_FROM_DR:
    case EMUL_MOV_TO_DR: case EMUL_CLTS: case EMUL_LMSW:
        return emul_crdr(v, regs, insn);
    default:                /* hlt, ins/outs */
        return false;
    }
}

bool pv_emulate_privop(struct cpu_regs *regs, unsigned int vector)
{
    struct vcpu *v = current_vcpu();
    uint8_t buf[X86_MAX_INSN_LEN];
    struct x86_emul_insn insn;
    size_t n;

    /* invariant 1 */
    if (!v || !pv_cs_is_64bit(regs->cs))
        return false;
    if (vector == X86_EXC_GP ? regs->error_code != 0 : vector != X86_EXC_UD)
        return false;
    n = fetch_insn(regs->rip, buf);
    if (!x86_emul_decode(buf, n, &insn))
        return false;
    if (insn.forced != (vector == X86_EXC_UD))
        return false;
    if (!emulate(v, regs, &insn))
        return false;
    regs->rip += insn.len;
    perfc_incr(privop_emulated);
    return true;
}
