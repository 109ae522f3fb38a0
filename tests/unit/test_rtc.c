/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of CMOS RTC decoding (hypervisor/rtc.c): BCD and binary, 12- and
 * 24-hour, century register or the 70/30 split, leap years, and every
 * malformed field refused without touching the output (invariant 1).
 */
#include <errno.h>
#include <time.h>

#include <satori/rtc.h>

#include "check.h"

#define BCD_24 RTC_B_24H
#define BIN_24 (RTC_B_24H | RTC_B_BINARY)

static uint64_t epoch(struct rtc_raw r)
{
    uint64_t out = 12345;

    return rtc_to_epoch(&r, &out) ? 0 : out;
}

static void test_known_dates(void)
{
    /* 2024-02-29 13:45:07 UTC = 1709214307 */
    CHECK(epoch((struct rtc_raw){ 0x07, 0x45, 0x13, 0x29, 0x02, 0x24, 0x20, BCD_24 }) ==
          1709214307);
    CHECK(epoch((struct rtc_raw){ 7, 45, 13, 29, 2, 24, 20, BIN_24 }) == 1709214307);
    /* no century register: 24 is 2024, 99 is 1999 */
    CHECK(epoch((struct rtc_raw){ 0x07, 0x45, 0x13, 0x29, 0x02, 0x24, 0, BCD_24 }) ==
          1709214307);
    CHECK(epoch((struct rtc_raw){ 0x59, 0x59, 0x23, 0x31, 0x12, 0x99, 0, BCD_24 }) ==
          946684799);
    /* the epoch itself, and the 32-bit rollover */
    CHECK(epoch((struct rtc_raw){ 0, 0, 0, 1, 1, 70, 19, BIN_24 }) == 0);
    CHECK(epoch((struct rtc_raw){ 0x07, 0x14, 0x03, 0x19, 0x01, 0x38, 0x20, BCD_24 }) ==
          2147483647);
}

static void test_twelve_hour(void)
{
    /* 12 AM is 0h, 12 PM is 12h, 1 PM is 13h (PM in bit 7) */
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x12, 0x01, 0x01, 0x00, 0x20, 0 }) == 946684800);
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x92, 0x01, 0x01, 0x00, 0x20, 0 }) ==
          946684800 + 12 * 3600);
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x81, 0x01, 0x01, 0x00, 0x20, 0 }) ==
          946684800 + 13 * 3600);
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x8b, 1, 1, 0, 20, RTC_B_BINARY }) ==
          946684800 + 23 * 3600);
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x00, 0x01, 0x01, 0x00, 0x20, 0 }) == 0);   /* hour 0 */
    CHECK(epoch((struct rtc_raw){ 0, 0, 0x13, 0x01, 0x01, 0x00, 0x20, 0 }) == 0);   /* 13 */
}

static void test_bad_fields_refused(void)
{
    static const struct rtc_raw bad[] = {
        { 0x60, 0, 0, 1, 1, 0x24, 0x20, BCD_24 },      /* second 60 */
        { 0, 0x5a, 0, 1, 1, 0x24, 0x20, BCD_24 },      /* not BCD */
        { 0, 0, 0x24, 1, 1, 0x24, 0x20, BCD_24 },      /* hour 24 */
        { 0, 0, 0, 0, 1, 0x24, 0x20, BCD_24 },         /* day 0 */
        { 0, 0, 0, 0x30, 2, 0x24, 0x20, BCD_24 },      /* Feb 30 */
        { 0, 0, 0, 0x29, 2, 0x23, 0x20, BCD_24 },      /* Feb 29, 2023 */
        { 0, 0, 0, 0x29, 2, 0x00, 0x21, BCD_24 },      /* Feb 29, 2100 */
        { 0, 0, 0, 1, 0x13, 0x24, 0x20, BCD_24 },      /* month 13 */
        { 0, 0, 0, 1, 1, 100, 20, BIN_24 },            /* year 100 */
        { 0, 0, 0, 1, 1, 0x69, 0x19, BCD_24 },         /* 1969 */
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t out = 12345;
        CHECK(rtc_to_epoch(&bad[i], &out) == -EINVAL);
        CHECK(out == 12345);
    }
    CHECK(epoch((struct rtc_raw){ 0, 0, 0, 0x29, 2, 0x00, 0x20, BCD_24 }) == 951782400);
}

/* Every day from 1970 to 2199 against the C library's timegm(). */
static void test_days_vs_libc(void)
{
    for (int y = 1970; y < 2200; y++)
        for (unsigned int m = 1; m <= 12; m++) {
            struct tm tm = { .tm_year = y - 1900, .tm_mon = (int)m - 1, .tm_mday = 1 };
            CHECK(rtc_days_from_civil(y, m, 1) * 86400 == (int64_t)timegm(&tm));
        }
}

int main(void)
{
    check_module = "rtc";
    RUN_TEST(test_known_dates);
    RUN_TEST(test_twelve_hour);
    RUN_TEST(test_bad_fields_refused);
    RUN_TEST(test_days_vs_libc);
    return check_nr_failed != 0;
}
