/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CONTROL commands. The set is ours, as the protocol allows (Xen's differs
 * between versions); `help` lists it:
 *   help                   the commands
 *   log on|off             trace every request to the log
 *   logfile <file>         log to <file>
 *   print <text>           write <text> to the log
 *   quota                  the quota limits, "name value" per line
 *   quota set <name> <n>   change a limit (names as --quota-<name>)
 *   quota <domid>          what the domain uses against its limits
 *   stats                  nodes, watches, connections, log bytes
 *   check                  check the tree's internal invariants
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "domain.h"
#include "journal.h"
#include "tree.h"
#include "watch.h"

static const struct {
    const char *name;
    uint32_t *val;
} quotas[] = {
    { "nodes", &quota.nodes },
    { "node-size", &quota.node_size },
    { "watches", &quota.watches },
    { "transactions", &quota.transactions },
    { "outstanding", &quota.outstanding },
    { "perms", &quota.perms },
    { "path-len", &quota.path_len },
    { "tx-nodes", &quota.tx_nodes },
};

#define NQUOTAS (sizeof(quotas) / sizeof(quotas[0]))

int control_set_quota(const char *name, const char *value)
{
    uint64_t v;

    if (wire_parse_uint(value, UINT32_MAX, &v))
        return EINVAL;
    for (size_t i = 0; i < NQUOTAS; i++) {
        if (!strcmp(quotas[i].name, name)) {
            *quotas[i].val = (uint32_t)v;
            return 0;
        }
    }
    return EINVAL;
}

struct out {
    char *p;
    size_t cap, len;
};

static void say(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len >= o->cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

static int cmd_quota(const struct wire_req *r, struct out *o)
{
    uint64_t domid;
    struct conn *c;

    if (r->argc == 1) {
        for (size_t i = 0; i < NQUOTAS; i++)
            say(o, "%s %u\n", quotas[i].name, *quotas[i].val);
        return 0;
    }
    if (!strcmp(r->argv[1], "set"))
        return r->argc == 4 ? control_set_quota(r->argv[2], r->argv[3])
                            : EINVAL;
    if (r->argc != 2 || wire_parse_uint(r->argv[1], PERM_MAX_DOMID, &domid))
        return EINVAL;
    say(o, "nodes %u\n", tree_owned((uint32_t)domid));
    struct domain *d = domain_find((uint32_t)domid);
    c = d ? d->conn : NULL;
    say(o, "watches %u\n", c ? c->nwatches : 0);
    say(o, "transactions %u\n", c ? c->ntxns : 0);
    say(o, "outstanding %u\n", c ? c->out_replies : 0);
    return 0;
}

static int cmd_stats(struct out *o)
{
    unsigned conns = 0, doms = 0;

    for (struct conn *c = conn_list; c; c = c->next)
        conns += !c->dead;
    for (struct domain *d = domain_next(NULL); d; d = domain_next(d))
        doms++;
    say(o, "nodes %zu\nwatches %zu\nconnections %u\ndomains %u\n",
        tree_count(), watch_count(), conns, doms);
    say(o, "log-bytes %llu\n", (unsigned long long)journal_bytes());
    return 0;
}

static int cmd_log(const struct wire_req *r, struct out *o)
{
    if (r->argc != 2 || (strcmp(r->argv[1], "on") && strcmp(r->argv[1], "off")))
        return EINVAL;
    trace_on = !strcmp(r->argv[1], "on");
    say(o, "OK");
    return 0;
}

int control_run(struct conn *c, const struct wire_req *r, char *buf,
                size_t cap, uint32_t *len)
{
    struct out o = { buf, cap, 0 };
    const char *cmd = r->argv[0];
    int err = 0;

    (void)c;
    buf[0] = '\0';
    if (!strcmp(cmd, "help"))
        say(&o, "help\nlog on|off\nlogfile <file>\nprint <text>\nquota\n"
                "quota set <name> <value>\nquota <domid>\nstats\ncheck\n");
    else if (!strcmp(cmd, "log"))
        err = cmd_log(r, &o);
    else if (!strcmp(cmd, "logfile") && r->argc == 2)
        log_open(r->argv[1]), say(&o, "OK");
    else if (!strcmp(cmd, "print") && r->argc == 2)
        log_msg("control: %s", r->argv[1]), say(&o, "OK");
    else if (!strcmp(cmd, "quota"))
        err = cmd_quota(r, &o);
    else if (!strcmp(cmd, "stats"))
        err = cmd_stats(&o);
    else if (!strcmp(cmd, "check"))
        say(&o, tree_check() ? "corrupt" : "OK");
    else
        err = EINVAL;
    *len = (uint32_t)o.len + 1;
    return err;
}
