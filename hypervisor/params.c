/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The table of boot options and their parsers. Generic parsing (tokens,
 * quoting, booleans, numbers, sizes) is cmdline.c's; this file only says
 * which options exist and where their values go.
 */
#include <satori/cmdline.h>
#include <satori/console.h>
#include <satori/errno.h>
#include <satori/panic.h>
#include <satori/params.h>
#include <satori/string.h>

struct boot_params opts = {
    .console = "com1",
    .loglvl = CONFIG_LOG_LEVEL,
    .loglvl_rate_limited = CONFIG_LOG_LEVEL,
    .gnttab_max_frames = 64,
    .gnttab_max_maptrack_frames = 1024,
};

static int parse_com1(const char *val, void *var)
{
    opts.com1_given = true;
    return parse_com_spec(val, var);
}

static int parse_loglvl_opt(const char *val, void *var)
{
    opts.loglvl_given = true;
    return parse_loglvl(val, &opts.loglvl, &opts.loglvl_rate_limited);
}

static int parse_dom0_mem_opt(const char *val, void *var)
{
    return parse_dom0_mem(val, var);
}

static int parse_console(const char *val, void *var)
{
    if (strcmp(val, "com1") && strcmp(val, "none"))
        return -EINVAL;   /* Satori's only console is COM1 */
    memcpy(opts.console, val, strlen(val) + 1);
    return 0;
}

/* One item of gnttab=: max-ver:<n> or [no-]transitive[=<bool>]. */
static int parse_gnttab_item(const char *item)
{
    if (!strcmp(item, "max-ver:1") || !strcmp(item, "max_ver:1"))
        return 0;
    if (!strcmp(item, "max-ver:2") || !strcmp(item, "max_ver:2")) {
        pr_warn("Command line: gnttab=max-ver:2: Satori has grant tables v1 only\n");
        return 0;
    }
    if (!strcmp(item, "transitive") || !strcmp(item, "no-transitive"))
        return 0;
    if (!strncmp(item, "transitive=", 11))
        return parse_bool(item + 11) < 0 ? -EINVAL : 0;
    return -EINVAL;
}

/*
 * gnttab=<item>[,<item>...] as Xen takes it. Satori has version 1 only (as
 * Xen with max-ver:1), so no transitive grants: those settings change nothing.
 */
static int parse_gnttab(const char *val, void *var)
{
    char item[32];

    (void)var;
    for (;;) {
        const char *comma = strchr(val, ',');
        size_t n = comma ? (size_t)(comma - val) : strlen(val);
        if (n >= sizeof(item))
            return -EINVAL;
        memcpy(item, val, n);
        item[n] = 0;
        if (parse_gnttab_item(item))
            return -EINVAL;
        if (!comma)
            return 0;
        val = comma + 1;
    }
}

static const struct param_def params[] = {
    { "console", PARAM_CUSTOM, opts.console, 0, parse_console },
    { "com1", PARAM_CUSTOM, &opts.com1, 0, parse_com1 },
    { "loglvl", PARAM_CUSTOM, NULL, 0, parse_loglvl_opt },
    { "dom0_mem", PARAM_CUSTOM, &opts.dom0_mem, 0, parse_dom0_mem_opt },
    { "dom0_max_vcpus", PARAM_UINT, &opts.dom0_max_vcpus, 0, NULL },
    { "maxcpus", PARAM_UINT, &opts.maxcpus, 0, NULL },
    { "noreboot", PARAM_BOOL, &opt_noreboot, 0, NULL },
    { "selftest", PARAM_STRING, opts.selftest, sizeof(opts.selftest), NULL },
    { "gnttab", PARAM_CUSTOM, NULL, 0, parse_gnttab },
    { "gnttab_max_frames", PARAM_UINT, &opts.gnttab_max_frames, 0, NULL },
    { "gnttab_max_maptrack_frames", PARAM_UINT, &opts.gnttab_max_maptrack_frames, 0, NULL },
};

static void report(void *ctx, bool is_error, const char *msg, const char *option)
{
    if (is_error)
        pr_err("Command line: bad value in '%s': %s\n", option, msg);
    else
        pr_warn("Command line: '%s': %s (ignored)\n", option, msg);
}

int params_parse(const char *cmdline)
{
    return cmdline_parse(cmdline, params, ARRAY_SIZE(params), report, NULL);
}

bool selftest_requested(const char *word)
{
    size_t n = strlen(word);

    for (const char *p = opts.selftest; *p;) {
        if (!strncmp(p, word, n) && (p[n] == ',' || !p[n]))
            return true;
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    return false;
}
