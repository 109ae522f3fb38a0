/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor command line: a table-driven parser of Xen-style
 * `name=value` options and the value parsers that option handlers share
 * (integers, sizes, serial port specs, log levels, dom0_mem). See
 * hypervisor/cmdline.c for the syntax and its corner cases.
 */
#ifndef SATORI_CMDLINE_H
#define SATORI_CMDLINE_H

#include <satori/types.h>

#define CMDLINE_NAME_MAX    64      /* longest option name, with its NUL */
#define CMDLINE_VALUE_MAX   256     /* longest value, with its NUL */

enum param_type {
    PARAM_BOOL, PARAM_UINT, PARAM_SIZE, PARAM_STRING, PARAM_CUSTOM
};

/*
 * var points to: bool (PARAM_BOOL); an unsigned integer of len bytes, len 1,
 * 2, 4 or 8, 0 meaning 8 (PARAM_UINT, PARAM_SIZE); a char buffer of len
 * bytes (PARAM_STRING); anything parse() understands (PARAM_CUSTOM).
 */
struct param_def {
    const char *name;
    enum param_type type;
    void *var;
    size_t len;
    int (*parse)(const char *val, void *var);   /* PARAM_CUSTOM: 0 or -EINVAL */
};

#define PARAM_DEF_BOOL(n, v)    { (n), PARAM_BOOL, &(v), sizeof(v), NULL }
#define PARAM_DEF_UINT(n, v)    { (n), PARAM_UINT, &(v), sizeof(v), NULL }
#define PARAM_DEF_SIZE(n, v)    { (n), PARAM_SIZE, &(v), sizeof(v), NULL }
#define PARAM_DEF_STRING(n, v)  { (n), PARAM_STRING, (v), sizeof(v), NULL }
#define PARAM_DEF_CUSTOM(n, f, v) { (n), PARAM_CUSTOM, (v), 0, (f) }

/* option: the option's name as written (NUL-terminated, maybe truncated). */
typedef void (*cmdline_report_fn)(void *ctx, bool is_error, const char *msg,
                                  const char *option);

int cmdline_parse(const char *cmdline, const struct param_def *defs, size_t n,
                  cmdline_report_fn report, void *ctx);

int parse_bool(const char *s);
int parse_uint(const char *s, const char **end, uint64_t *out);
int parse_size(const char *s, const char **end, uint64_t *out);

struct com_spec {
    uint32_t baud;          /* 0: unset (keep what firmware programmed) */
    uint8_t data_bits;      /* 5..8, default 8 */
    char parity;            /* 'n', 'o', 'e', 'm' or 's', default 'n' */
    uint8_t stop_bits;      /* 1 or 2, default 1 */
    bool baud_auto;         /* "auto": keep the firmware's baud rate */
    uint32_t base_baud;     /* 0: unset */
    uint64_t io_base;       /* 0: unset (the port's usual base) */
    int irq;                /* -1: unset; 0: poll mode */
};
int parse_com_spec(const char *val, struct com_spec *out);

/* Xen's levels; "all" is the same as "debug". */
#define LOGLVL_NONE     0
#define LOGLVL_ERROR    1
#define LOGLVL_WARNING  2
#define LOGLVL_INFO     3
#define LOGLVL_DEBUG    4
#define LOGLVL_ALL      LOGLVL_DEBUG
/* For loglvl= and guest_loglvl= alike: <level>[/<rate-limited level>]. */
int parse_loglvl(const char *val, int *level, int *rl_level);

struct dom0_mem_spec {
    uint64_t min, max, amount;  /* bytes; 0: unset */
};
int parse_dom0_mem(const char *val, struct dom0_mem_spec *out);

#endif
