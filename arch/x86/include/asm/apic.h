/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC: EOI, IPIs, the timer (arch/x86/apic.c). */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <satori/types.h>

void apic_init_bsp(void);          /* map the APIC, record the BSP's id */
void apic_init_cpu(void);          /* enable this CPU's APIC, LVTs masked */
uint32_t apic_id(void);
void apic_eoi(void);
void apic_send_ipi(uint32_t dest_apic_id, unsigned int vector);
void apic_send_ipi_allbutself(unsigned int vector);
void apic_send_nmi_allbutself(void);
void apic_send_init(uint32_t dest_apic_id);
void apic_send_sipi(uint32_t dest_apic_id, unsigned int page);

/* Timer: fire VECTOR_TIMER once at TSC value 'deadline' (0: disarm). */
void apic_timer_init_cpu(void);
void apic_timer_set_deadline(uint64_t tsc_deadline);
bool apic_timer_uses_tsc_deadline(void);

bool arch_stopping_cpus(void);

#endif
