/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal test harness: each test prints "PASS: <suite>/<name>" or
 * "FAIL: <suite>/<name> <file:line: condition>", the suite's contract.
 */
#ifndef STORED_TEST_UNIT_H
#define STORED_TEST_UNIT_H

#include <stdio.h>
#include <string.h>

static const char *unit_suite = "unit";
static char unit_why[512];
static int unit_failures;

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond) && !unit_why[0])                                        \
            snprintf(unit_why, sizeof(unit_why), "%s:%d: %s", __FILE__,     \
                     __LINE__, #cond);                                      \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                  \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_ && !unit_why[0])                                       \
            snprintf(unit_why, sizeof(unit_why), "%s:%d: %s == %lld, want %lld", \
                     __FILE__, __LINE__, #a, a_, b_);                       \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if ((!a_ || strcmp(a_, b_)) && !unit_why[0])                        \
            snprintf(unit_why, sizeof(unit_why), "%s:%d: %s is \"%.80s\", want \"%.80s\"", \
                     __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_);      \
    } while (0)

#define RUN(fn)                                                             \
    do {                                                                    \
        unit_why[0] = '\0';                                                 \
        fn();                                                               \
        if (unit_why[0]) {                                                  \
            printf("FAIL: %s/%s %s\n", unit_suite, #fn, unit_why);          \
            unit_failures++;                                                \
        } else {                                                            \
            printf("PASS: %s/%s\n", unit_suite, #fn);                       \
        }                                                                   \
        fflush(stdout);                                                     \
    } while (0)

#endif
