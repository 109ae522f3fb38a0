/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor timers (hypervisor/timer.c): a callback at a system time, on
 * the CPU that armed it. Callbacks run from the timer softirq.
 */
#ifndef SATORI_TIMER_H
#define SATORI_TIMER_H

#include <satori/timerq.h>

void timers_init_cpu(void);
/* Arms (or re-arms) t on the calling CPU to fire at 'expires'. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);

#endif
