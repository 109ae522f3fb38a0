/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the CMOS real-time clock (ports 0x70/0x71): wait for no update
 * in progress, read every register, and read again until two passes
 * agree, so no value straddles an update. The century is taken from
 * register 0x32 when it holds BCD 19-20 (the ACPI FADT names it; Satori
 * does not look yet); decoding is hypervisor/rtc.c's.
 */
#include <satori/errno.h>
#include <satori/rtc.h>
#include <asm/x86.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_MDAY 0x07
#define RTC_MON 0x08
#define RTC_YEAR 0x09
#define RTC_A 0x0a
#define RTC_B 0x0b
#define RTC_CENTURY 0x32
#define RTC_A_UIP 0x80

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);      /* bit 7 clear: NMIs stay enabled */
    return inb(CMOS_DATA);
}

static bool rtc_sample(struct rtc_raw *r)
{
    unsigned int spins = 0;

    while (cmos_read(RTC_A) & RTC_A_UIP)
        if (++spins > 1000000)
            return false;
    r->sec = cmos_read(RTC_SEC);
    r->min = cmos_read(RTC_MIN);
    r->hour = cmos_read(RTC_HOUR);
    r->mday = cmos_read(RTC_MDAY);
    r->mon = cmos_read(RTC_MON);
    r->year = cmos_read(RTC_YEAR);
    r->century = cmos_read(RTC_CENTURY);
    r->status_b = cmos_read(RTC_B);
    if (r->status_b & RTC_B_BINARY ? r->century != 19 && r->century != 20
                                   : r->century != 0x19 && r->century != 0x20)
        r->century = 0;         /* not a century register on this machine */
    return true;
}

int rtc_read_epoch(uint64_t *out)
{
    struct rtc_raw a, b;

    for (unsigned int tries = 0; tries < 10; tries++) {
        if (!rtc_sample(&a) || !rtc_sample(&b))
            return -EIO;
        if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.mday == b.mday &&
            a.mon == b.mon && a.year == b.year && a.century == b.century)
            return rtc_to_epoch(&a, out);
    }
    return -EIO;
}
