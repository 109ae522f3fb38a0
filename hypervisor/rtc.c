/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CMOS RTC values to Unix time: BCD or binary, 12- or 24-hour, with or
 * without a century register. Pure; tests/unit/test_rtc.c runs it on the
 * host.
 *
 * Invariants:
 *  1. rtc_to_epoch() writes *out only when it returns 0, and returns 0
 *     only for a real calendar date and time (no Feb 30, no hour 24).
 *  2. rtc_days_from_civil() is exact for every year representable here
 *     (Howard Hinnant's days_from_civil).
 */
#include <satori/errno.h>
#include <satori/rtc.h>

static bool bcd_ok(uint8_t v)
{
    return (v & 0x0f) <= 9 && (v >> 4) <= 9;
}

static unsigned int bcd(uint8_t v)
{
    return (v >> 4) * 10u + (v & 0x0f);
}

int64_t rtc_days_from_civil(int64_t year, unsigned int mon, unsigned int mday)
{
    int64_t y = year - (mon <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + mday - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static unsigned int days_in_month(unsigned int year, unsigned int mon)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return days[mon - 1] + (mon == 2 && leap);
}

/* One register's value: BCD-decoded unless binary mode; false if malformed. */
static bool field(const struct rtc_raw *r, uint8_t raw, unsigned int *out)
{
    if (r->status_b & RTC_B_BINARY) {
        *out = raw;
        return true;
    }
    if (!bcd_ok(raw))
        return false;
    *out = bcd(raw);
    return true;
}

/* The hour in 0-23: 12-hour mode keeps PM in bit 7 and counts 12, 1 ... 11. */
static bool hour24(const struct rtc_raw *r, unsigned int *out)
{
    bool pm = !(r->status_b & RTC_B_24H) && (r->hour & 0x80);
    unsigned int h;

    if (!field(r, pm ? r->hour & 0x7f : r->hour, &h))
        return false;
    if (!(r->status_b & RTC_B_24H)) {
        if (h < 1 || h > 12)
            return false;
        h = (h % 12) + (pm ? 12 : 0);
    }
    *out = h;
    return h < 24;
}

int rtc_to_epoch(const struct rtc_raw *r, uint64_t *out)
{
    unsigned int sec, min, hour, mday, mon, yy, cent = 0, year;

    if (!field(r, r->sec, &sec) || !field(r, r->min, &min) || !hour24(r, &hour) ||
        !field(r, r->mday, &mday) || !field(r, r->mon, &mon) || !field(r, r->year, &yy) ||
        (r->century && !field(r, r->century, &cent)))
        return -EINVAL;
    if (sec > 59 || min > 59 || mon < 1 || mon > 12 || yy > 99)
        return -EINVAL;
    year = r->century ? cent * 100 + yy : yy < 70 ? 2000 + yy : 1900 + yy;
    if (year < 1970 || mday < 1 || mday > days_in_month(year, mon))
        return -EINVAL;
    *out = (uint64_t)rtc_days_from_civil(year, mon, mday) * 86400 + hour * 3600u + min * 60u +
           sec;
    return 0;
}
