/* SPDX-License-Identifier: GPL-2.0-only */
/* Hypercall handlers, one family per file, dispatched by hypercall.c. */
#ifndef SATORI_HYPERCALL_H
#define SATORI_HYPERCALL_H

#include <satori/types.h>

struct mem_map;

typedef long (*hypercall_fn_t)(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                               uint64_t a5);

long do_xen_version(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5);
long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_sched_op_compat(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg, uint64_t a4, uint64_t a5);
long do_set_timer_op(uint64_t timeout, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_memory_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
/* Event channels (hypervisor/event_channel.c). */
long do_event_channel_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_event_channel_op_compat(uint64_t uop, uint64_t a2, uint64_t a3, uint64_t a4,
                                uint64_t a5);
/* domctl: the control domain's operations on other domains (hypervisor/domctl.c). */
long do_domctl(uint64_t op, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
/* Grant tables (hypervisor/grant_table.c). */
long do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count, uint64_t a4, uint64_t a5);

/* x86 PV CPU state (arch/x86/pv/): traps, callbacks, iret, segments. */
long do_set_trap_table(uint64_t table, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_set_gdt(uint64_t frame_list, uint64_t entries, uint64_t a3, uint64_t a4, uint64_t a5);
long do_update_descriptor(uint64_t maddr, uint64_t desc, uint64_t a3, uint64_t a4, uint64_t a5);
long do_stack_switch(uint64_t ss, uint64_t sp, uint64_t a3, uint64_t a4, uint64_t a5);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall, uint64_t a4,
                      uint64_t a5);
long do_fpu_taskswitch(uint64_t set, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_set_debugreg(uint64_t reg, uint64_t value, uint64_t a3, uint64_t a4, uint64_t a5);
long do_get_debugreg(uint64_t reg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_vm_assist(uint64_t cmd, uint64_t type, uint64_t a3, uint64_t a4, uint64_t a5);
long do_iret(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_set_segment_base(uint64_t which, uint64_t base, uint64_t a3, uint64_t a4, uint64_t a5);
long do_physdev_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_physdev_op_compat(uint64_t uop, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_nmi_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);
long do_callback_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);

/* dom0's machine interfaces (arch/x86/): platform_op.c, mca.c, pmu.c. */
long do_platform_op(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_mca(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long do_xenpmu_op(uint64_t op, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5);

/* PV MMU (arch/x86/pv/mm.c) and multicall (hypervisor/multicall.c). */
long do_mmu_update(uint64_t reqs, uint64_t count, uint64_t done, uint64_t domid, uint64_t a5);
long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags, uint64_t a4, uint64_t a5);
long do_mmuext_op(uint64_t ops, uint64_t count, uint64_t done, uint64_t domid, uint64_t a5);
long do_multicall(uint64_t list, uint64_t nr, uint64_t a3, uint64_t a4, uint64_t a5);
/* Calls hypercall nr as the running vCPU (dispatch and multicall share it). */
long hypercall_call(uint64_t nr, const uint64_t args[5]);

/* The hypervisor command line, for XENVER_commandline (setup.c). */
const char *hypervisor_cmdline(void);
/* The machine's memory map as boot left it, for XENMEM_machine_memory_map (setup.c). */
const struct mem_map *boot_memory_map(void);

#endif
