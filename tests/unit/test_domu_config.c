/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests of boot-time domain configurations (hypervisor/domu_config.c): the
 * defaults, every option, the guest's command line after "--", and each
 * malformed or out-of-range value refused with its word in the reason
 * (invariants 1 and 2).
 */
#include <stdio.h>
#include <string.h>

#include <satori/domu_config.h>

#include "check.h"

static struct domu_config c;
static char why[160];

static int parse(const char *line)
{
    static char buf[512];

    why[0] = '\0';
    snprintf(buf, sizeof(buf), "%s", line);
    return domu_config_parse(buf, &c, why, sizeof(why));
}

static void test_defaults(void)
{
    CHECK(parse("domU") == 0);
    CHECK(c.mem == DOMU_DEFAULT_MEM && c.vcpus == 1 && c.weight == 256 && c.cap == 0);
    CHECK(c.cpus == ~0ULL && c.restarts == ~0UL && !strcmp(c.cmdline, ""));
    CHECK(c.on_poweroff == DOMU_DESTROY && c.on_crash == DOMU_DESTROY && !c.name[0]);
}

static void test_every_option(void)
{
    CHECK(parse("domU name=web mem=64M vcpus=2 weight=512 cap=50 cpus=0-1,3 "
                "on_poweroff=restart on_crash=preserve restarts=7 -- console=hvc0 x=1") == 0);
    CHECK(!strcmp(c.name, "web") && c.mem == 64ULL << 20 && c.vcpus == 2 && c.weight == 512);
    CHECK(c.cap == 50 && c.cpus == 0xb && c.restarts == 7);
    CHECK(c.on_poweroff == DOMU_RESTART && c.on_crash == DOMU_PRESERVE);
    CHECK(!strcmp(c.cmdline, "console=hvc0 x=1"));
}

static void test_is_domu(void)
{
    CHECK(domu_config_is_domu("domU"));
    CHECK(domu_config_is_domu("  domU mem=8M"));
    CHECK(!domu_config_is_domu("domUx"));
    CHECK(!domu_config_is_domu("console=hvc0 domU"));
    CHECK(!domu_config_is_domu(""));
}

static void test_refused(void)
{
    static const struct { const char *line, *why; } bad[] = {
        { "dom0", "starts with 'domU'" },
        { "domU mem=1M", "bad value '1M' for mem" },
        { "domU mem=8Q", "bad value '8Q' for mem" },
        { "domU vcpus=0", "bad value '0' for vcpus" },
        { "domU vcpus=33", "bad value '33' for vcpus" },
        { "domU weight=0", "bad value '0' for weight" },
        { "domU weight=65536", "bad value '65536' for weight" },
        { "domU cap=101", "bad value '101' for cap" },
        { "domU cpus=9-2", "bad value '9-2' for cpus" },
        { "domU cpus=64", "bad value '64' for cpus" },
        { "domU cpus=", "bad value '' for cpus" },
        { "domU cpus=1,x", "bad value '1,x' for cpus" },
        { "domU on_crash=explode", "bad value 'explode' for on_crash" },
        { "domU restarts=-1", "bad value '-1' for restarts" },
        { "domU name=", "bad value '' for name" },
        { "domU name=0123456789012345678901234567890123", "for name" },
        { "domU color=blue", "unknown option 'color'" },
        { "domU mem", "'mem' is not an option" },
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse(bad[i].line);
        CHECK(rc != 0);
        if (!strstr(why, bad[i].why))
            fprintf(stderr, "  '%s': reason '%s', want '%s'\n", bad[i].line, why, bad[i].why);
        CHECK(strstr(why, bad[i].why) != NULL);
    }
}

int main(void)
{
    check_module = "domu_config";
    RUN_TEST(test_defaults);
    RUN_TEST(test_every_option);
    RUN_TEST(test_is_domu);
    RUN_TEST(test_refused);
    return check_nr_failed ? 1 : 0;
}
