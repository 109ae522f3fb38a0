/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parsing a boot-time domain's module command line (the syntax is in
 * include/satori/domu_config.h). Pure: no allocation, no hardware; the
 * result points into the parsed string for the guest's command line.
 *
 * Invariants:
 *  1. A successful parse yields a usable configuration: mem >= 4 MiB,
 *     1 <= vcpus <= 32, 1 <= weight <= 65535, cap <= 100 * vcpus,
 *     cpus non-empty.
 *  2. Anything unknown or malformed is refused with the offending word
 *     in the reason; nothing is guessed.
 */
#include <satori/cmdline.h>
#include <satori/domu_config.h>
#include <satori/errno.h>
#include <satori/lib.h>
#include <satori/string.h>

#define WORD_MAX 64

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Copies the next word of *s into w (at most WORD_MAX - 1 chars); its length or 0. */
static size_t next_word(const char **s, char *w)
{
    const char *p = skip_spaces(*s);
    size_t n = 0;

    while (p[n] && p[n] != ' ' && p[n] != '\t')
        n++;
    if (n >= WORD_MAX)
        n = WORD_MAX - 1;               /* too long: refused by its parser */
    memcpy(w, p, n);
    w[n] = '\0';
    while (*p && *p != ' ' && *p != '\t')
        p++;
    *s = p;
    return n;
}

bool domu_config_is_domu(const char *cmdline)
{
    const char *s = cmdline;
    char w[WORD_MAX];

    return next_word(&s, w) && !strcmp(w, "domU");
}

static int parse_action(const char *v, enum domu_action *out)
{
    if (!strcmp(v, "destroy"))
        *out = DOMU_DESTROY;
    else if (!strcmp(v, "restart"))
        *out = DOMU_RESTART;
    else if (!strcmp(v, "preserve"))
        *out = DOMU_PRESERVE;
    else
        return -EINVAL;
    return 0;
}

/* A whole number, nothing after it. */
static int parse_number(const char *v, uint64_t *out)
{
    const char *end;

    return parse_uint(v, &end, out) || *end ? -EINVAL : 0;
}

/* "0-1,3": CPU numbers and ranges below 64. */
static int parse_cpus(const char *v, uint64_t *mask)
{
    *mask = 0;
    while (*v) {
        uint64_t lo, hi;
        const char *end;

        if (parse_uint(v, &end, &lo))
            return -EINVAL;
        hi = lo;
        if (*end == '-' && parse_uint(end + 1, &end, &hi))
            return -EINVAL;
        if (lo > hi || hi >= 64)
            return -EINVAL;
        for (uint64_t c = lo; c <= hi; c++)
            *mask |= 1ULL << c;
        if (*end == ',')
            end++;
        else if (*end)
            return -EINVAL;
        v = end;
    }
    return *mask ? 0 : -EINVAL;
}

static int parse_option(struct domu_config *c, const char *key, const char *val)
{
    uint64_t n;
    const char *end;

    if (!strcmp(key, "name")) {
        if (!*val || strlen(val) >= sizeof(c->name))
            return -EINVAL;
        memcpy(c->name, val, strlen(val) + 1);
        return 0;
    }
    if (!strcmp(key, "mem"))
        return parse_size(val, &end, &c->mem) || *end || c->mem < DOMU_MIN_MEM ? -EINVAL : 0;
    if (!strcmp(key, "vcpus")) {
        if (parse_number(val, &n) || n < 1 || n > DOMU_MAX_VCPUS)
            return -EINVAL;
        c->vcpus = (unsigned int)n;
        return 0;
    }
    if (!strcmp(key, "weight")) {
        if (parse_number(val, &n) || n < 1 || n > 65535)
            return -EINVAL;
        c->weight = (unsigned int)n;
        return 0;
    }
    if (!strcmp(key, "cap")) {
        if (parse_number(val, &n) || n > 100)
            return -EINVAL;
        c->cap = (unsigned int)n;
        return 0;
    }
    if (!strcmp(key, "restarts")) {
        if (parse_number(val, &n))
            return -EINVAL;
        c->restarts = (unsigned long)n;
        return 0;
    }
    if (!strcmp(key, "cpus"))
        return parse_cpus(val, &c->cpus);
    if (!strcmp(key, "on_poweroff"))
        return parse_action(val, &c->on_poweroff);
    if (!strcmp(key, "on_crash"))
        return parse_action(val, &c->on_crash);
    return -ENOENT;
}

int domu_config_parse(const char *cmdline, struct domu_config *c, char *why, size_t why_len)
{
    const char *s = cmdline;
    char w[WORD_MAX];

    memset(c, 0, sizeof(*c));
    c->mem = DOMU_DEFAULT_MEM;
    c->vcpus = 1;
    c->weight = 256;
    c->cpus = ~0ULL;
    c->restarts = ~0UL;
    c->cmdline = "";
    if (!next_word(&s, w) || strcmp(w, "domU")) {
        snprintf(why, why_len, "a boot-time domain's module line starts with 'domU'");
        return -EINVAL;
    }
    while (next_word(&s, w)) {
        char *eq = strchr(w, '=');
        int rc;

        if (!strcmp(w, "--")) {
            c->cmdline = skip_spaces(s);
            break;
        }
        if (!eq) {
            snprintf(why, why_len, "'%s' is not an option (key=value, or -- before the "
                     "guest's command line)", w);
            return -EINVAL;
        }
        *eq = '\0';
        rc = parse_option(c, w, eq + 1);
        if (rc == -ENOENT) {
            snprintf(why, why_len, "unknown option '%s'", w);
            return -EINVAL;
        }
        if (rc) {
            snprintf(why, why_len, "bad value '%s' for %s", eq + 1, w);
            return -EINVAL;
        }
    }
    if (c->cap > 100 * c->vcpus) {
        snprintf(why, why_len, "cap=%u is more than %u vCPU(s) can use", c->cap, c->vcpus);
        return -EINVAL;
    }
    return 0;
}
