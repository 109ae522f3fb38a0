/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual machine-check architecture of a PV vCPU: the MCG_* and
 * bank MSRs its kernel reads when CPUID shows MCE and MCA (as Xen's
 * policy does), so that Linux's MCE code initialises as on Xen. Satori
 * never injects a machine check, so the banks only ever hold zeros.
 *
 * Model (Xen 4.17's vmce.c): two banks. MCG_CAP is 2 on AMD; on Intel it
 * adds MCG_SER_P, MCG_TES_P and MCG_CMCI_P. MCG_CTL reads 0 (no MCG_CTL_P)
 * and ignores writes; MCG_STATUS keeps what is written; MCG_CAP ignores
 * writes; MCG_EXT_CTL faults (no local machine checks). In the two banks
 * MCi_CTL reads all ones and ignores writes, MCi_STATUS/ADDR/MISC take
 * only zero (anything else is #GP), and on Intel MCi_CTL2 keeps what is
 * written. The rest of the bank MSR ranges (MCi_* up to bank 31, MCi_CTL2
 * of other banks or vendors) reads zero and drops writes.
 *
 * Invariants:
 *  1. Only the vCPU itself reads or writes v->arch.vmce (from its own
 *     MSR emulation), so no lock guards it.
 *  2. A bank index from a guest MSR number is below VMCE_BANKS before it
 *     indexes v->arch.vmce.bank[].
 */
#include <satori/domain.h>
#include <satori/string.h>
#include <asm/cpu.h>
#include <asm/vmce.h>

#define MSR_MCG_CAP      0x179
#define MSR_MCG_STATUS   0x17a
#define MSR_MCG_CTL      0x17b
#define MSR_MC0_CTL2     0x280
#define MSR_MC31_CTL2    0x29f
#define MSR_MC0_CTL      0x400
#define MSR_MC31_MISC    0x47f
#define MSR_MCG_EXT_CTL  0x4d0

#define MCG_CMCI_P (1UL << 10)
#define MCG_TES_P  (1UL << 11)
#define MCG_SER_P  (1UL << 24)

static bool vendor_intel(void)
{
    return !memcmp(boot_cpu.vendor, "GenuineIntel", 12);
}

static uint64_t mcg_cap(void)
{
    return vendor_intel() ? MCG_SER_P | MCG_TES_P | MCG_CMCI_P | VMCE_BANKS : VMCE_BANKS;
}

/* The bank register an MSR of 0x400..0x47f names: 0 CTL, 1 STATUS, 2 ADDR, 3 MISC. */
static uint64_t *bank_reg(struct vcpu *v, uint32_t msr)
{
    unsigned int bank = (msr - MSR_MC0_CTL) / 4;

    if (bank >= VMCE_BANKS)                                 /* invariant 2 */
        return NULL;
    switch (msr & 3) {
    case 1:
        return &v->arch.vmce.bank[bank].status;
    case 2:
        return &v->arch.vmce.bank[bank].addr;
    case 3:
        return &v->arch.vmce.bank[bank].misc;
    default:
        return NULL;                                        /* CTL: not stored */
    }
}

static uint64_t *ctl2_reg(struct vcpu *v, uint32_t msr)
{
    unsigned int bank = msr - MSR_MC0_CTL2;

    return vendor_intel() && bank < VMCE_BANKS ? &v->arch.vmce.bank[bank].ctl2 : NULL;
}

enum vmce_result vmce_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    uint64_t *reg;

    *val = 0;
    switch (msr) {
    case MSR_MCG_CAP:
        *val = mcg_cap();
        return VMCE_DONE;
    case MSR_MCG_STATUS:
        *val = v->arch.vmce.mcg_status;
        return VMCE_DONE;
    case MSR_MCG_CTL:
        return VMCE_DONE;
    case MSR_MCG_EXT_CTL:
        return VMCE_FAULT;
    case MSR_MC0_CTL2 ... MSR_MC31_CTL2:
        if ((reg = ctl2_reg(v, msr)))
            *val = *reg;
        return VMCE_DONE;
    case MSR_MC0_CTL ... MSR_MC31_MISC:
        if ((msr & 3) == 0 && (msr - MSR_MC0_CTL) / 4 < VMCE_BANKS)
            *val = ~0UL;
        else if ((reg = bank_reg(v, msr)))
            *val = *reg;
        return VMCE_DONE;
    default:
        return VMCE_NOT_MINE;
    }
}

enum vmce_result vmce_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    uint64_t *reg;

    switch (msr) {
    case MSR_MCG_CAP:
    case MSR_MCG_CTL:
        return VMCE_DONE;                                   /* read-only, ignored */
    case MSR_MCG_STATUS:
        v->arch.vmce.mcg_status = val;
        return VMCE_DONE;
    case MSR_MCG_EXT_CTL:
        return VMCE_FAULT;
    case MSR_MC0_CTL2 ... MSR_MC31_CTL2:
        if ((reg = ctl2_reg(v, msr)))
            *reg = val;
        return VMCE_DONE;
    case MSR_MC0_CTL ... MSR_MC31_MISC:
        if ((msr - MSR_MC0_CTL) / 4 >= VMCE_BANKS || (msr & 3) == 0)
            return VMCE_DONE;                               /* dropped */
        if (val)
            return VMCE_FAULT;                              /* only clearing is allowed */
        *bank_reg(v, msr) = 0;
        return VMCE_DONE;
    default:
        return VMCE_NOT_MINE;
    }
}
