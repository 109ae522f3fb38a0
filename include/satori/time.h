/* SPDX-License-Identifier: GPL-2.0-only */
/* System time: nanoseconds since boot, monotonic on every CPU. */
#ifndef SATORI_TIME_H
#define SATORI_TIME_H

#include <satori/types.h>

#define MICROSECS(us) ((s_time_t)(us) * 1000L)
#define MILLISECS(ms) ((s_time_t)(ms) * 1000000L)
#define SECONDS(s) ((s_time_t)(s) * 1000000000L)

/* 0 until the TSC is calibrated. */
s_time_t NOW(void);

#endif
