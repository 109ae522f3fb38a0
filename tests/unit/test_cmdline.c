/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of the command-line parser and the value parsers
 * (hypervisor/cmdline.c), malformed input and overflow included.
 */
#include <errno.h>

#include <satori/cmdline.h>
#include <satori/compiler.h>

#include "check.h"

struct reports {
    int errors, warnings;
    char last_msg[128], last_opt[128];
};

static void record(void *ctx, bool is_error, const char *msg, const char *opt)
{
    struct reports *r = ctx;

    if (is_error)
        r->errors++;
    else
        r->warnings++;
    snprintf(r->last_msg, sizeof(r->last_msg), "%s", msg);
    snprintf(r->last_opt, sizeof(r->last_opt), "%s", opt);
}

static struct {
    bool noreboot, sync_console, x2apic;
    uint32_t maxcpus;
    uint8_t small;
    uint64_t conring, big;
    char console[16];
    struct dom0_mem_spec dom0;
    int custom_calls;
} v;

static int parse_dom0(const char *val, void *var)
{
    v.custom_calls++;
    return parse_dom0_mem(val, var);
}

static const struct param_def defs[] = {
    PARAM_DEF_BOOL("noreboot", v.noreboot),
    PARAM_DEF_BOOL("sync_console", v.sync_console),
    PARAM_DEF_BOOL("x2apic", v.x2apic),
    PARAM_DEF_UINT("maxcpus", v.maxcpus),
    PARAM_DEF_UINT("small", v.small),
    PARAM_DEF_UINT("big", v.big),
    PARAM_DEF_SIZE("conring_size", v.conring),
    PARAM_DEF_STRING("console", v.console),
    PARAM_DEF_CUSTOM("dom0_mem", parse_dom0, &v.dom0),
};

static int run(const char *cmdline, struct reports *r)
{
    memset(r, 0, sizeof(*r));
    return cmdline_parse(cmdline, defs, ARRAY_SIZE(defs), record, r);
}

static void reset(void)
{
    memset(&v, 0, sizeof(v));
    v.x2apic = true;
    v.maxcpus = 7;
}

static void test_basic(void)
{
    struct reports r;

    reset();
    CHECK(run("noreboot maxcpus=4 conring_size=64K console=com1,vga "
              "dom0_mem=512M,max:1G", &r) == 0);
    CHECK(r.errors == 0 && r.warnings == 0);
    CHECK(v.noreboot && v.maxcpus == 4 && v.conring == 65536);
    CHECK(!strcmp(v.console, "com1,vga"));
    CHECK(v.dom0.amount == 512ULL << 20 && v.dom0.max == 1ULL << 30);
    CHECK(run(NULL, &r) == 0 && run("", &r) == 0 && run(" \t\n ", &r) == 0);
}

static void test_bools(void)
{
    static const char *const on[] = { "1", "yes", "on", "true", "enable" };
    static const char *const off[] = { "0", "no", "off", "false", "disable" };
    char buf[64];
    struct reports r;

    reset();
    CHECK(run("no-x2apic sync-console", &r) == 0);
    CHECK(!v.x2apic && v.sync_console);
    for (unsigned int i = 0; i < 5; i++) {
        snprintf(buf, sizeof(buf), "x2apic=%s", on[i]);
        CHECK(run(buf, &r) == 0 && v.x2apic);
        snprintf(buf, sizeof(buf), "x2apic=%s", off[i]);
        CHECK(run(buf, &r) == 0 && !v.x2apic);
    }
    CHECK(run("x2apic=maybe", &r) == 1 && r.errors == 1 && !v.x2apic);  /* 1 */
    CHECK(run("x2apic=", &r) == 1 && !v.x2apic);
    CHECK(run("x2apic no-x2apic=1", &r) == 1 && v.x2apic);
    CHECK(!strcmp(r.last_opt, "no-x2apic"));
    CHECK(run("no-maxcpus", &r) == 1 && v.maxcpus == 7);
}

static void test_unknown_is_warning(void)                  /* 2 */
{
    struct reports r;

    reset();
    CHECK(run("frobnicate=3 noreboot no-such-thing =x", &r) == 0);
    CHECK(r.warnings == 3 && r.errors == 0 && v.noreboot);
    CHECK(!strcmp(r.last_msg, "unknown option") && !strcmp(r.last_opt, ""));
}

static void test_malformed_values(void)                    /* 1 */
{
    struct reports r;

    reset();
    CHECK(run("maxcpus=4x", &r) == 1 && v.maxcpus == 7);
    CHECK(strstr(r.last_msg, "number") && !strcmp(r.last_opt, "maxcpus"));
    CHECK(run("maxcpus=-1 maxcpus= maxcpus", &r) == 3 && v.maxcpus == 7);
    CHECK(run("maxcpus=4294967296", &r) == 1 && v.maxcpus == 7);
    CHECK(strstr(r.last_msg, "too large") != NULL);
    CHECK(run("small=256 small=255", &r) == 1 && v.small == 255);
    CHECK(run("big=18446744073709551615", &r) == 0 && v.big == UINT64_MAX);
    CHECK(run("big=18446744073709551616", &r) == 1 && v.big == UINT64_MAX);
    CHECK(run("conring_size=12Q", &r) == 1 && v.conring == 0);
    CHECK(strstr(r.last_msg, "size like") != NULL);
    CHECK(run("dom0_mem=lots", &r) == 1 && !strcmp(r.last_msg, "invalid value"));
    CHECK(run("maxcpus=0x10 maxcpus=0xZ", &r) == 1 && v.maxcpus == 16);
}

static void test_quotes_and_strings(void)
{
    struct reports r;

    reset();
    CHECK(run("console=\"a b\" noreboot", &r) == 0);
    CHECK(!strcmp(v.console, "a b") && v.noreboot);
    CHECK(run("console=x\"y z\"w", &r) == 0 && !strcmp(v.console, "xy zw"));
    CHECK(run("console=", &r) == 0 && !strcmp(v.console, ""));
    CHECK(run("console=\"unterminated noreboot", &r) == 1);
    CHECK(!strcmp(r.last_msg, "unterminated quote") && !strcmp(v.console, ""));
    CHECK(run("console=123456789012345", &r) == 0);         /* 15 + NUL */
    CHECK(run("console=1234567890123456", &r) == 1);        /* 4 */
    CHECK(!strcmp(r.last_msg, "value too long"));
    CHECK(!strcmp(v.console, "123456789012345"));
}

static void test_long_tokens(void)                         /* 4 */
{
    static char buf[4096];
    struct reports r;

    reset();
    memset(buf, 'a', sizeof(buf) - 1);
    CHECK(run(buf, &r) == 0 && r.warnings == 1);            /* long name */
    CHECK(strlen(r.last_opt) == CMDLINE_NAME_MAX - 1);
    memcpy(buf, "console=", 8);
    CHECK(run(buf, &r) == 1 && !strcmp(r.last_msg, "value too long"));
    memcpy(buf, "maxcpus=", 8);
    memset(buf + 8, '1', 300);
    CHECK(run(buf, &r) == 1 && v.maxcpus == 7);
}

static void test_order_and_separator(void)                 /* 5 */
{
    struct reports r;

    reset();
    CHECK(run("maxcpus=1 maxcpus=2\tmaxcpus=3", &r) == 0 && v.maxcpus == 3);
    CHECK(run("maxcpus=5 -- maxcpus=6 bogus", &r) == 0 && v.maxcpus == 5);
    CHECK(r.warnings == 0);
    CHECK(run("dom0_mem", &r) == 1 && v.custom_calls == 1);
    CHECK(cmdline_parse("maxcpus=x", defs, ARRAY_SIZE(defs), NULL, NULL) == 1);
}

static void test_parse_uint(void)                          /* 3 */
{
    const char *end;
    uint64_t x = 42;

    CHECK(parse_uint("0", NULL, &x) == 0 && x == 0);
    CHECK(parse_uint("123", NULL, &x) == 0 && x == 123);
    CHECK(parse_uint("0x1fF", NULL, &x) == 0 && x == 0x1ff);
    CHECK(parse_uint("010", NULL, &x) == 0 && x == 10);      /* no octal */
    CHECK(parse_uint("18446744073709551615", NULL, &x) == 0 && x == UINT64_MAX);
    x = 42;
    CHECK(parse_uint("18446744073709551616", NULL, &x) == -ERANGE && x == 42);
    CHECK(parse_uint("0x10000000000000000", NULL, &x) == -ERANGE && x == 42);
    CHECK(parse_uint("", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_uint("-1", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_uint(" 1", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_uint("12a", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_uint("12a", &end, &x) == 0 && x == 12 && *end == 'a');
    CHECK(parse_uint("0x", &end, &x) == 0 && x == 0 && *end == 'x');
    CHECK(parse_uint("z", &end, &x) == -EINVAL && *end == 'z');
}

static void test_parse_size(void)                          /* 3 */
{
    const char *end;
    uint64_t x = 42;

    CHECK(parse_size("4096", NULL, &x) == 0 && x == 4096ULL << 10);  /* KiB */
    CHECK(parse_size("4096b", NULL, &x) == 0 && x == 4096);
    CHECK(parse_size("4096B", NULL, &x) == 0 && x == 4096);
    CHECK(parse_size("3k", NULL, &x) == 0 && x == 3072);
    CHECK(parse_size("512M", NULL, &x) == 0 && x == 512ULL << 20);
    CHECK(parse_size("2g", NULL, &x) == 0 && x == 2ULL << 30);
    CHECK(parse_size("1T", NULL, &x) == 0 && x == 1ULL << 40);
    CHECK(parse_size("0x10M", NULL, &x) == 0 && x == 16ULL << 20);
    CHECK(parse_size("16777215T", NULL, &x) == 0 && x == 16777215ULL << 40);
    x = 42;
    CHECK(parse_size("16777216T", NULL, &x) == -ERANGE && x == 42);
    CHECK(parse_size("18014398509481984", NULL, &x) == -ERANGE && x == 42);
    CHECK(parse_size("99999999999999999999M", NULL, &x) == -ERANGE);
    CHECK(parse_size("", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_size("M", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_size("1MB", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_size("1Q", NULL, &x) == -EINVAL && x == 42);
    CHECK(parse_size("1G,max", &end, &x) == 0 && *end == ',' && x == 1ULL << 30);
}

static void test_com_spec(void)                            /* 3 */
{
    struct com_spec c;

    CHECK(parse_com_spec("115200,8n1", &c) == 0);
    CHECK(c.baud == 115200 && c.data_bits == 8 && c.parity == 'n' &&
          c.stop_bits == 1 && !c.baud_auto && c.irq == -1 && c.io_base == 0);
    CHECK(parse_com_spec("auto", &c) == 0 && c.baud_auto && c.baud == 0);
    CHECK(parse_com_spec("9600/1843200,7e2,0x2f8,3", &c) == 0);
    CHECK(c.baud == 9600 && c.base_baud == 1843200 && c.data_bits == 7 &&
          c.parity == 'e' && c.stop_bits == 2 && c.io_base == 0x2f8 && c.irq == 3);
    CHECK(parse_com_spec("38400,,0x3e8,0", &c) == 0);
    CHECK(c.data_bits == 8 && c.io_base == 0x3e8 && c.irq == 0);
    CHECK(parse_com_spec(",5s1", &c) == 0 && c.baud == 0 && c.data_bits == 5);
    CHECK(parse_com_spec("115200,", &c) == 0);

    c.baud = 1234;
    CHECK(parse_com_spec("", &c) == -EINVAL && c.baud == 1234);
    CHECK(parse_com_spec("fast", &c) == -EINVAL);
    CHECK(parse_com_spec("0", &c) == -EINVAL);
    CHECK(parse_com_spec("4294967296", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,9n1", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8x1", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8n3", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8n", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8n1x", &c) == -EINVAL);
    CHECK(parse_com_spec("115200/", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8n1,0x3f8,2147483648", &c) == -EINVAL);
    CHECK(parse_com_spec("115200 8n1", &c) == -EINVAL);
    CHECK(parse_com_spec("115200,8n1,pci", &c) == -EOPNOTSUPP);
    CHECK(parse_com_spec("115200,8n1,0x3f8,msi", &c) == -EOPNOTSUPP);
    CHECK(parse_com_spec("115200,8n1,0x3f8,4,00:1f.0", &c) == -EOPNOTSUPP);
    CHECK(parse_com_spec("baud=115200,parity=n", &c) == -EOPNOTSUPP);
    CHECK(c.baud == 1234);
}

static void test_loglvl(void)                              /* 3 */
{
    int lo = -9, hi = -9;

    CHECK(parse_loglvl("none", &lo, &hi) == 0 && lo == 0 && hi == 0);
    CHECK(parse_loglvl("error", &lo, &hi) == 0 && lo == LOGLVL_ERROR && hi == 1);
    CHECK(parse_loglvl("warning/info", &lo, &hi) == 0 && lo == 2 && hi == 3);
    CHECK(parse_loglvl("all", &lo, &hi) == 0 && lo == 4 && hi == 4);
    CHECK(parse_loglvl("debug/none", &lo, &hi) == 0 && lo == 4 && hi == 4);
    CHECK(parse_loglvl("none/all", &lo, &hi) == 0 && lo == 0 && hi == LOGLVL_ALL);
    lo = hi = -9;
    CHECK(parse_loglvl("", &lo, &hi) == -EINVAL);
    CHECK(parse_loglvl("verbose", &lo, &hi) == -EINVAL);
    CHECK(parse_loglvl("infos", &lo, &hi) == -EINVAL);
    CHECK(parse_loglvl("info/", &lo, &hi) == -EINVAL);
    CHECK(parse_loglvl("info/debug/all", &lo, &hi) == -EINVAL);
    CHECK(parse_loglvl("3", &lo, &hi) == -EINVAL);
    CHECK(lo == -9 && hi == -9);
}

static void test_dom0_mem(void)                            /* 3 */
{
    struct dom0_mem_spec s;

    CHECK(parse_dom0_mem("512M", &s) == 0);
    CHECK(s.amount == 512ULL << 20 && s.min == 0 && s.max == 0);
    CHECK(parse_dom0_mem("min:128M,max:2G,1G", &s) == 0);
    CHECK(s.min == 128ULL << 20 && s.max == 2ULL << 30 && s.amount == 1ULL << 30);
    CHECK(parse_dom0_mem("max:4G", &s) == 0 && s.max == 4ULL << 30 && !s.amount);
    CHECK(parse_dom0_mem("1024", &s) == 0 && s.amount == 1ULL << 20);   /* KiB */

    s.amount = 77;
    CHECK(parse_dom0_mem("", &s) == -EINVAL && s.amount == 77);
    CHECK(parse_dom0_mem("512M,", &s) == -EINVAL);
    CHECK(parse_dom0_mem("0", &s) == -EINVAL);
    CHECK(parse_dom0_mem("mid:1G", &s) == -EINVAL);
    CHECK(parse_dom0_mem("1G;max:2G", &s) == -EINVAL);
    CHECK(parse_dom0_mem("max:", &s) == -EINVAL);
    CHECK(parse_dom0_mem("99999999999T", &s) == -ERANGE);
    CHECK(parse_dom0_mem("-1G", &s) == -EOPNOTSUPP);
    CHECK(parse_dom0_mem("25%", &s) == -EOPNOTSUPP);
    CHECK(parse_dom0_mem("1G+25%", &s) == -EOPNOTSUPP);
    CHECK(s.amount == 77);
}

int main(void)
{
    check_module = "cmdline";
    RUN_TEST(test_basic);
    RUN_TEST(test_bools);
    RUN_TEST(test_unknown_is_warning);
    RUN_TEST(test_malformed_values);
    RUN_TEST(test_quotes_and_strings);
    RUN_TEST(test_long_tokens);
    RUN_TEST(test_order_and_separator);
    RUN_TEST(test_parse_uint);
    RUN_TEST(test_parse_size);
    RUN_TEST(test_com_spec);
    RUN_TEST(test_loglvl);
    RUN_TEST(test_dom0_mem);
    return check_nr_failed != 0;
}
