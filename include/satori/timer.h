/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor timers (hypervisor/timer.c): a callback at a system time, on
 * the CPU that last armed it. Callbacks run from the timer softirq; any CPU
 * may stop or re-arm a timer.
 */
#ifndef SATORI_TIMER_H
#define SATORI_TIMER_H

#include <satori/timerq.h>

void timers_init_cpu(void);
/* Arms (or re-arms) t on the calling CPU to fire at 'expires'. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/* Stops t and waits until its callback is not running anywhere (before freeing it). */
void kill_timer(struct timer *t);

#endif
