/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's log: one timestamped line per message, to the --log file
 * or stderr; with tracing on (--trace, CONTROL log on), one per request.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "core.h"

bool trace_on;
static FILE *log_file;

void log_open(const char *file)
{
    FILE *f = fopen(file, "a");

    if (!f)
        return;
    if (log_file && log_file != stderr)
        fclose(log_file);
    log_file = f;
}

static void stamp(FILE *f)
{
    struct timespec ts;
    struct tm tm;
    char buf[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s.%03ld ", buf, ts.tv_nsec / 1000000);
}

void log_msg(const char *fmt, ...)
{
    FILE *f = log_file ? log_file : stderr;
    va_list ap;

    stamp(f);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
}

void log_trace_req(const struct conn *c, const struct wire_req *r)
{
    log_msg("dom%u %s req %u tx %u: %.*s", c->who.domid,
            wire_type_name(r->type), r->req_id, r->tx_id,
            r->argc ? 200 : 0, r->argc ? r->argv[0] : "");
}
