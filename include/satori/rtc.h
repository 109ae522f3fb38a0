/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The wall clock from the CMOS real-time clock: raw register values in
 * (hypervisor/rtc.c, pure and host-tested), seconds since the Unix epoch
 * out. arch/x86/rtc.c reads the registers.
 */
#ifndef SATORI_RTC_H
#define SATORI_RTC_H

#include <satori/types.h>

/* CMOS status register B bits that change how the others read. */
#define RTC_B_24H    (1u << 1)   /* 24-hour mode (else 12-hour, bit 7 of hour = PM) */
#define RTC_B_BINARY (1u << 2)   /* binary values (else BCD) */

/* The registers as read, before BCD or 12-hour decoding. */
struct rtc_raw {
    uint8_t sec, min, hour, mday, mon, year, century;   /* century 0: none */
    uint8_t status_b;
};

/* Days from 1970-01-01 to year-mon-mday (proleptic Gregorian). */
int64_t rtc_days_from_civil(int64_t year, unsigned int mon, unsigned int mday);
/*
 * Decodes r into seconds since the epoch (UTC, as the RTC is assumed to
 * hold): 0, or -EINVAL when a field is out of range. Without a century
 * register, years 70-99 are 19xx and 00-69 20xx.
 */
int rtc_to_epoch(const struct rtc_raw *r, uint64_t *out);
/* Reads the CMOS clock now (arch/x86/rtc.c): 0, or -EIO if it never settles. */
int rtc_read_epoch(uint64_t *out);

#endif
