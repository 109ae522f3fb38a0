/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 PV state of a vCPU beyond its registers: where to deliver exceptions
 * and callbacks, the guest kernel stack for user-to-kernel transitions,
 * segment bases, the virtual CR0.TS, debug registers and the last CR2.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <satori/types.h>

#define TRAP_FLAG_DPL_MASK 3
#define TRAP_FLAG_MASK_EVENTS 4   /* trap_info.flags bit 2 */

struct pv_callback {
    uint64_t address;             /* 0: none registered */
    bool mask_events;
};

#define VMCE_BANKS 2              /* as Xen's GUEST_MC_BANK_NUM */

/* The virtual machine-check MSRs (arch/x86/pv/vmce.c); only the vCPU touches them. */
struct vmce_state {
    uint64_t mcg_status;
    struct {
        uint64_t status, addr, misc, ctl2;
    } bank[VMCE_BANKS];
};

struct arch_vcpu {
    uint64_t trap_address[256];   /* set_trap_table: handler per vector */
    uint8_t trap_flags[256];      /* DPL and mask-events per vector */
    struct pv_callback event, failsafe, syscall, nmi;
    uint64_t kernel_sp, kernel_ss;  /* stack_switch */
    uint64_t fs_base;
    uint64_t gs_base_kernel, gs_base_user;
    bool fpu_ts;                  /* virtual CR0.TS (fpu_taskswitch) */
    uint64_t debugreg[8];
    uint64_t cr2;                 /* last page-fault address bounced */
    uint64_t vm_assist;
    uint64_t gdt_frames[14];      /* set_gdt: the guest's descriptor frames */
    unsigned int gdt_nr_frames;
    uint64_t ldt_frames[16];      /* MMUEXT_SET_LDT: the guest's LDT frames */
    unsigned int ldt_nr_frames;
    uint64_t ldt_ents;
    /* context.c: where the vCPU's hypervisor context lives while it is off a CPU. */
    void *stack;                  /* STACK_SIZE block; its top holds cpu_info and the guest frame */
    uint64_t ctx_rsp;             /* saved stack pointer (switch_stacks) */
    void *fpu;                    /* XSAVE (or FXSAVE) area, 64-byte aligned */
    uint16_t sel_ds, sel_es, sel_fs, sel_gs;   /* guest data selectors, saved */
    struct vmce_state vmce;
};

#endif
