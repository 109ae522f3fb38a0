/* SPDX-License-Identifier: GPL-2.0-only */
/* The virtual machine-check MSRs of a PV vCPU (arch/x86/pv/vmce.c). */
#ifndef ASM_VMCE_H
#define ASM_VMCE_H

#include <satori/types.h>

struct vcpu;

enum vmce_result {
    VMCE_NOT_MINE,                /* not a machine-check MSR: the caller decides */
    VMCE_DONE,                    /* emulated (a read's value is in *val) */
    VMCE_FAULT,                   /* the guest gets #GP(0) */
};

/* rdmsr/wrmsr of msr by v, its current vCPU. */
enum vmce_result vmce_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
enum vmce_result vmce_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

#endif
