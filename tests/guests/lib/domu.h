/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for test guests that talk to other domains, or to themselves,
 * through event channels and grant tables with events masked (lib/domu.c):
 * the command line's key=value words (a boot-time domain's role), waiting
 * on a port with SCHEDOP_poll, and the guest's own grant table.
 */
#ifndef DOMU_H
#define DOMU_H

#include <stdbool.h>
#include <public/grant_table.h>
#include <public/vcpu.h>
#include "guest.h"

/* start_info's command line: the value after "key=" (a whole word), or NULL. */
const char *cmdline_arg(const char *key);
/* The decimal number after "key=", or dflt without one. */
unsigned long cmdline_num(const char *key, unsigned long dflt);
/* Whether "key=val" is on the command line, val a whole word. */
bool cmdline_is(const char *key, const char *val);

/* Clears p's pending bit; whether it was set. */
bool port_take(evtchn_port_t p);
/* Waits (SCHEDOP_poll) until p is pending, then clears it; false on timeout. */
bool port_wait(evtchn_port_t p, uint64_t timeout_ns);
long port_send(evtchn_port_t p);
/* Blocks ns nanoseconds (SCHEDOP_poll on no port). */
void sleep_ns(uint64_t ns);

/* Reads byte va; -1 if that faults (#PF, recorded in last_trap). */
int peek(const void *va);

/*
 * Sets up nr frames of our grant table (GNTTABOP_setup_table) and maps
 * them writable at win (nr pages of ours); 0, a negative error or a
 * GNTST_* status. The entries are then gnttab[ref].
 */
int gnttab_map_own(void *win, unsigned int nr);
/* Writes entry ref of the table at win: page granted to dom with flags. */
void gnttab_grant(void *win, grant_ref_t ref, const void *page, domid_t dom, uint16_t flags);
/*
 * One GNTTABOP_map_grant_ref of dom's ref at host (an address of ours,
 * mapped by a 4 KiB PTE, or 0 for a device map); invlpg follows (no
 * hypercall flushes a new grant mapping). Returns the status.
 */
int16_t gnttab_map1(struct gnttab_map_grant_ref *op, uint64_t host, uint32_t flags,
                    grant_ref_t ref, domid_t dom);
int16_t gnttab_unmap1(uint64_t host, uint64_t dev, grant_handle_t handle);
int16_t gnttab_copy1(struct gnttab_copy *op);
/* Maps page (of ours) at its own address again, writable, after an unmap. */
void page_restore(void *page);

#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define GTF_RW GTF_permit_access
#define GTF_RO (GTF_permit_access | GTF_readonly)
#define MS 1000000UL

/*
 * VCPUOP_initialise's context for another vCPU of this domain: guest-kernel
 * mode on the flat selectors and this domain's page tables, starting at
 * entry on the stack ending at stack_top.
 */
void flat_vcpu_context(struct vcpu_guest_context *ctx, void (*entry)(void), void *stack_top);

#endif
