/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command-line parser: splits the hypervisor's command line into
 * options, matches them against a caller's table of param_defs and stores
 * their values; plus the value parsers option handlers share. It owns no
 * state: every result goes to the caller's variables.
 *
 * Syntax (Xen's, docs/misc/xen-command-line.pandoc). Options are separated
 * by whitespace; each is `name` or `name=value`. Inside a value, a double
 * quote starts or ends a quoted stretch in which whitespace does not end the
 * option; the quotes themselves are dropped (`a="x y"` gives `x y`). In a
 * name, `-` and `_` are the same character. A boolean is set by its bare name,
 * by `name=<bool>` (1/yes/on/true/enable, 0/no/off/false/disable), and
 * cleared by `no-<name>`. A bare `--` ends the hypervisor's options (what
 * follows is the dom0 kernel's). Sizes default to KiB, as in Xen: `4096` is
 * 4 MiB, `4096B` is 4096 bytes; suffixes B, K, M, G, T in either case.
 * Integers are decimal or 0x-prefixed hex (no octal, no sign).
 *
 * Invariants (tests/unit/test_cmdline.c checks each, by number):
 *  1. An option is applied only if its whole value is valid: a malformed
 *     value leaves the variable untouched, is reported as an error, and
 *     counts in the return value.
 *  2. An unknown option is reported as a warning and never counts.
 *  3. Every value parser validates before it writes: on error *out is
 *     unchanged, and it returns -EINVAL (malformed), -ERANGE (overflow) or
 *     -EOPNOTSUPP (a valid Xen form Satori does not support).
 *  4. Parsing never reads past the terminating NUL and never writes past a
 *     buffer: names longer than CMDLINE_NAME_MAX - 1 are unknown options,
 *     values longer than CMDLINE_VALUE_MAX - 1 (or a PARAM_STRING buffer) are
 *     errors ("value too long").
 *  5. Options are applied left to right; a later one overrides an earlier.
 *
 * Corner cases: a string option's bare name stores "" and a custom option's
 * bare name calls parse(""); `no-<custom>` calls parse("no"); `no-` with a
 * value, or on a non-boolean option, is an error. The first word of a
 * multiboot command line (the image's path) is the caller's to skip.
 * dom0_mem's negative and percentage forms are -EOPNOTSUPP.
 */
#include <satori/cmdline.h>
#include <satori/compiler.h>
#include <satori/errno.h>
#include <satori/string.h>

struct cmdline_tok {
    char name[CMDLINE_NAME_MAX];
    char val[CMDLINE_VALUE_MAX];
    bool has_val, name_long, val_long, unterminated;
};

static bool cmdline_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* Reads the value after '=' into t->val, dropping quotes. */
static const char *cmdline_scan_value(const char *s, struct cmdline_tok *t)
{
    size_t n = 0;
    bool quoted = false;

    for (; *s && (quoted || !cmdline_is_space(*s)); s++) {
        if (*s == '"') {
            quoted = !quoted;
            continue;
        }
        if (n + 1 < sizeof(t->val))
            t->val[n++] = *s;
        else
            t->val_long = true;
    }
    t->val[n] = '\0';
    t->unterminated = quoted;
    return s;
}

/* Reads the next option into t; returns where to go on, or NULL at the end. */
static const char *cmdline_next(const char *s, struct cmdline_tok *t)
{
    size_t n = 0;

    while (cmdline_is_space(*s))
        s++;
    if (*s == '\0')
        return NULL;
    t->has_val = t->name_long = t->val_long = t->unterminated = false;
    t->val[0] = '\0';
    for (; *s && *s != '=' && !cmdline_is_space(*s); s++) {
        if (n + 1 < sizeof(t->name))
            t->name[n++] = *s;
        else
            t->name_long = true;
    }
    t->name[n] = '\0';
    if (*s == '=') {
        t->has_val = true;
        s = cmdline_scan_value(s + 1, t);
    }
    return s;
}

static bool cmdline_name_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char ca = *a == '-' ? '_' : *a, cb = *b == '-' ? '_' : *b;

        if (ca != cb)
            return false;
        if (ca == '\0')
            return true;
    }
}

static const struct param_def *cmdline_find(const char *name,
                                            const struct param_def *defs,
                                            size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (cmdline_name_eq(name, defs[i].name))
            return &defs[i];
    return NULL;
}

int parse_bool(const char *s)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i]))
            return 1;
        if (!strcmp(s, no[i]))
            return 0;
    }
    return -EINVAL;
}

static int cmdline_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

/*
 * With end == NULL the whole string must be the number; otherwise *end is
 * set to the first unused character (to s when there is no digit).
 */
int parse_uint(const char *s, const char **end, uint64_t *out)
{
    const char *p = s;
    unsigned int base = 10;
    uint64_t v = 0;
    bool overflow = false;
    int d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        cmdline_digit(p[2]) < 16) {
        base = 16;
        p += 2;
    }
    for (; (d = cmdline_digit(*p)) < (int)base; p++) {
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            overflow = true;
        else
            v = v * base + (uint64_t)d;
    }
    if (end)
        *end = p;
    if (p == s || (!end && *p))
        return -EINVAL;
    if (overflow)
        return -ERANGE;
    *out = v;
    return 0;
}

/* Xen's parse_size_and_unit(), with overflow checks: bare numbers are KiB. */
int parse_size(const char *s, const char **end, uint64_t *out)
{
    const char *p;
    unsigned int shift = 10;
    uint64_t v;
    int rc = parse_uint(s, &p, &v);

    if (rc == -EINVAL) {
        if (end)
            *end = s;
        return rc;
    }
    switch (*p) {
    case 'T': case 't': shift = 40; p++; break;
    case 'G': case 'g': shift = 30; p++; break;
    case 'M': case 'm': shift = 20; p++; break;
    case 'K': case 'k': shift = 10; p++; break;
    case 'B': case 'b': shift = 0; p++; break;
    }
    if (end)
        *end = p;
    if (!end && *p)
        return -EINVAL;
    if (rc)
        return rc;
    if (v > (UINT64_MAX >> shift))
        return -ERANGE;
    *out = v << shift;
    return 0;
}

static void cmdline_report(cmdline_report_fn report, void *ctx, bool is_error,
                           const char *msg, const char *option)
{
    if (report)
        report(ctx, is_error, msg, option);
}

/* Stores v in an unsigned integer of len bytes; false if it does not fit. */
static bool cmdline_store_uint(void *var, size_t len, uint64_t v)
{
    switch (len) {
    case 1:
        if (v > UINT8_MAX)
            return false;
        *(uint8_t *)var = (uint8_t)v;
        return true;
    case 2:
        if (v > UINT16_MAX)
            return false;
        *(uint16_t *)var = (uint16_t)v;
        return true;
    case 4:
        if (v > UINT32_MAX)
            return false;
        *(uint32_t *)var = (uint32_t)v;
        return true;
    default:
        *(uint64_t *)var = v;
        return true;
    }
}

/* Applies a number or size value; returns an error message or NULL. */
static const char *cmdline_apply_number(const struct param_def *d,
                                        const struct cmdline_tok *t)
{
    bool is_size = d->type == PARAM_SIZE;
    uint64_t v;
    int rc;

    if (!t->has_val)
        return "missing value";
    rc = is_size ? parse_size(t->val, NULL, &v) : parse_uint(t->val, NULL, &v);
    if (rc == -ERANGE)
        return "number too large";
    if (rc)
        return is_size ? "expected a size like 512M" : "expected a number";
    if (!cmdline_store_uint(d->var, d->len, v))
        return "number too large";
    return NULL;
}

static const char *cmdline_apply_bool(const struct param_def *d,
                                      const struct cmdline_tok *t, bool negated)
{
    int v = 1;

    if (negated && t->has_val)
        return "no- prefix takes no value";
    if (negated)
        v = 0;
    else if (t->has_val)
        v = parse_bool(t->val);
    if (v < 0)
        return "expected a boolean (0/1, no/yes, off/on, false/true)";
    *(bool *)d->var = v;
    return NULL;
}

static const char *cmdline_apply(const struct param_def *d,
                                 const struct cmdline_tok *t, bool negated)
{
    if (t->unterminated)
        return "unterminated quote";
    if (t->val_long)
        return "value too long";
    if (d->type == PARAM_BOOL)
        return cmdline_apply_bool(d, t, negated);
    if (negated && (d->type != PARAM_CUSTOM || t->has_val))
        return "no- prefix needs a boolean option and no value";
    switch (d->type) {
    case PARAM_UINT:
    case PARAM_SIZE:
        return cmdline_apply_number(d, t);
    case PARAM_STRING:
        if (strlen(t->val) >= d->len)
            return "value too long";
        memcpy(d->var, t->val, strlen(t->val) + 1);
        return NULL;
    case PARAM_CUSTOM:
        if (!d->parse)
            return "option has no parser";
        if (d->parse(negated ? "no" : t->val, d->var))
            return "invalid value";
        return NULL;
    default:
        return "option has a bad type";
    }
}

/* Returns the number of malformed values (errors); warnings do not count. */
int cmdline_parse(const char *cmdline, const struct param_def *defs, size_t n,
                  cmdline_report_fn report, void *ctx)
{
    struct cmdline_tok t;
    const struct param_def *d;
    const char *err;
    bool negated;
    int errors = 0;

    if (!cmdline)
        return 0;
    while ((cmdline = cmdline_next(cmdline, &t)) != NULL) {
        if (!t.has_val && !strcmp(t.name, "--"))
            break;
        negated = false;
        d = t.name_long ? NULL : cmdline_find(t.name, defs, n);
        if (!d && !t.name_long && !strncmp(t.name, "no-", 3)) {
            d = cmdline_find(t.name + 3, defs, n);
            negated = d != NULL;
        }
        if (!d) {
            cmdline_report(report, ctx, false, "unknown option", t.name);
            continue;
        }
        err = cmdline_apply(d, &t, negated);
        if (err) {
            cmdline_report(report, ctx, true, err, t.name);
            errors++;
        }
    }
    return errors;
}

/* <baud>[/<base-baud>] or auto, or nothing; advances *pp. */
static int com_parse_baud(const char **pp, struct com_spec *c)
{
    uint64_t v;

    if (!strncmp(*pp, "auto", 4)) {
        c->baud_auto = true;
        *pp += 4;
    } else if (**pp != ',' && **pp != '\0') {
        if (parse_uint(*pp, pp, &v) || v == 0 || v > UINT32_MAX)
            return -EINVAL;
        c->baud = (uint32_t)v;
    }
    if (**pp != '/')
        return 0;
    if (parse_uint(*pp + 1, pp, &v) || v == 0 || v > UINT32_MAX)
        return -EINVAL;
    c->base_baud = (uint32_t)v;
    return 0;
}

/* DPS: data bits 5..8, parity n/o/e/m/s, stop bits 1..2; or nothing. */
static int com_parse_dps(const char **pp, struct com_spec *c)
{
    const char *p = *pp;

    if (*p == ',' || *p == '\0')
        return 0;
    if (p[0] < '5' || p[0] > '8' || !p[1] || !strchr("noems", p[1]) ||
        (p[2] != '1' && p[2] != '2'))
        return -EINVAL;
    c->data_bits = (uint8_t)(p[0] - '0');
    c->parity = p[1];
    c->stop_bits = (uint8_t)(p[2] - '0');
    *pp = p + 3;
    return 0;
}

/* An optional number field: nothing, or a number no larger than max. */
static int com_parse_field(const char **pp, uint64_t max, uint64_t *out)
{
    if (**pp == ',' || **pp == '\0')
        return 0;
    if (!strncmp(*pp, "pci", 3) || !strncmp(*pp, "amt", 3) ||
        !strncmp(*pp, "msi", 3))
        return -EOPNOTSUPP;
    if (parse_uint(*pp, pp, out) || *out > max)
        return -EINVAL;
    return 0;
}

/*
 * com1=<baud>[/<base-baud>][,[DPS][,[<io-base>][,[<irq>]]]], e.g. 115200,8n1
 * or auto. Xen's later fields (PCI BDFs), pci/amt/msi and name=value pairs
 * are -EOPNOTSUPP.
 */
int parse_com_spec(const char *val, struct com_spec *out)
{
    struct com_spec c = { .data_bits = 8, .parity = 'n', .stop_bits = 1,
                          .irq = -1 };
    const char *p = val;
    uint64_t io = 0, irq = UINT64_MAX;
    int rc;

    if (*val == '\0')
        return -EINVAL;
    if (strchr(val, '='))
        return -EOPNOTSUPP;
    rc = com_parse_baud(&p, &c);
    if (!rc && *p == ',' && *++p)
        rc = com_parse_dps(&p, &c);
    if (!rc && *p == ',' && *++p)
        rc = com_parse_field(&p, UINT64_MAX, &io);
    if (!rc && *p == ',' && *++p)
        rc = com_parse_field(&p, INT32_MAX, &irq);
    if (!rc && *p == ',')
        rc = -EOPNOTSUPP;
    if (!rc && *p != '\0')
        rc = -EINVAL;
    if (rc)
        return rc;
    c.io_base = io;
    if (irq != UINT64_MAX)
        c.irq = (int)irq;
    *out = c;
    return 0;
}

static int loglvl_word(const char **pp)
{
    static const struct { const char *word; int level; } words[] = {
        { "none", LOGLVL_NONE }, { "error", LOGLVL_ERROR },
        { "warning", LOGLVL_WARNING }, { "info", LOGLVL_INFO },
        { "debug", LOGLVL_DEBUG }, { "all", LOGLVL_ALL },
    };
    size_t i, len;

    for (i = 0; i < ARRAY_SIZE(words); i++) {
        len = strlen(words[i].word);
        if (!strncmp(*pp, words[i].word, len) &&
            ((*pp)[len] == '/' || (*pp)[len] == '\0')) {
            *pp += len;
            return words[i].level;
        }
    }
    return -EINVAL;
}

/*
 * <level>[/<rate-limited level>]: messages up to level print always, those
 * up to rl_level print rate-limited. rl_level is raised to level if lower
 * and defaults to it, as in Xen.
 */
int parse_loglvl(const char *val, int *level, int *rl_level)
{
    const char *p = val;
    int lo, hi;

    lo = hi = loglvl_word(&p);
    if (lo < 0)
        return -EINVAL;
    if (*p == '/') {
        p++;
        hi = loglvl_word(&p);
        if (hi < 0)
            return -EINVAL;
    }
    if (*p != '\0')
        return -EINVAL;
    *level = lo;
    *rl_level = MAX(lo, hi);
    return 0;
}

/* dom0_mem=[min:<size>,][max:<size>,][<size>], items in any order. */
int parse_dom0_mem(const char *val, struct dom0_mem_spec *out)
{
    struct dom0_mem_spec spec = { 0, 0, 0 };
    const char *p = val;
    uint64_t *dst, v;
    int rc;

    for (;;) {
        dst = &spec.amount;
        if (!strncmp(p, "min:", 4))
            dst = &spec.min;
        else if (!strncmp(p, "max:", 4))
            dst = &spec.max;
        p += dst == &spec.amount ? 0 : 4;
        if (*p == '-')
            return -EOPNOTSUPP;
        rc = parse_size(p, &p, &v);
        if (!rc && (*p == '%' || *p == '+'))
            rc = -EOPNOTSUPP;
        if (!rc && v == 0)
            rc = -EINVAL;
        if (rc)
            return rc;
        *dst = v;
        if (*p != ',')
            break;
        p++;
    }
    if (*p != '\0')
        return -EINVAL;
    *out = spec;
    return 0;
}
