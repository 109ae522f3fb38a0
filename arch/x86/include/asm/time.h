/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC calibration and conversions (arch/x86/time.c). */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <satori/types.h>

void time_calibrate(void);       /* measures the TSC against the PIT */
uint64_t tsc_hz(void);
uint64_t ns_to_tsc(s_time_t ns);
uint64_t tsc_to_ns(uint64_t ticks);
uint64_t stime_to_tsc(s_time_t t);
void udelay(unsigned int us);

#endif
