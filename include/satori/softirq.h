/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Softirqs: work an interrupt handler defers to a safe point (the idle loop
 * now; the return to a guest later), run with interrupts enabled.
 */
#ifndef SATORI_SOFTIRQ_H
#define SATORI_SOFTIRQ_H

#include <satori/types.h>

enum softirq_nr {
    TIMER_SOFTIRQ,
    CALL_FUNCTION_SOFTIRQ,
    SCHEDULE_SOFTIRQ,
    REAP_SOFTIRQ,           /* domain_reap(): after a schedule, on any stack */
    NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);

void open_softirq(enum softirq_nr nr, softirq_handler_t fn);
void raise_softirq(enum softirq_nr nr);
/* Marks nr pending on another CPU and kicks it with an IPI. */
void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr);
bool softirq_pending(unsigned int cpu);
void do_softirq(void);

#endif
