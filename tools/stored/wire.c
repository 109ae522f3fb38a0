/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Framing and request decoding for the xenstore wire protocol.
 *
 * Model: a connection's byte stream is a sequence of 16-byte headers, each
 * followed by exactly hdr.len payload bytes. The framer accumulates one
 * message at a time in a fixed buffer.
 *
 * Invariants (checked by tests/unit_wire.c and the fuzzer):
 *  W1. No message with len > XENSTORE_PAYLOAD_MAX is ever yielded; the
 *      framer reports WIRE_BAD_LEN as soon as such a header is complete,
 *      and the caller must drop the connection.
 *  W2. A yielded payload is always followed by a NUL at payload[len], so
 *      string scans never run past the buffer.
 *  W3. wire_decode accepts a request only if its type is known and its
 *      strings are NUL-terminated as the op's syntax requires; otherwise it
 *      returns ENOSYS (type) or EINVAL (payload), never reads past len.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

/* Argument syntax of each request. */
enum arg_syntax {
    ARGS_NONE = 0, /* not a request */
    ARGS_ONE,      /* exactly one string filling the payload */
    ARGS_TWO,      /* exactly two strings */
    ARGS_MIN2,     /* two or more strings, all terminated */
    ARGS_MIN3,     /* three or more strings, all terminated */
    ARGS_ANY,      /* zero or more strings, all terminated */
    ARGS_MIN1,     /* one or more strings, all terminated */
    ARGS_WRITE,    /* one string, then binary data */
};

struct op_desc {
    const char *name;
    enum arg_syntax syntax;
    unsigned flags;
};

static const struct op_desc ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { "CONTROL", ARGS_MIN1, WIRE_F_PRIV | WIRE_F_WRITE },
    [XS_DIRECTORY] = { "DIRECTORY", ARGS_ONE, 0 },
    [XS_READ] = { "READ", ARGS_ONE, 0 },
    [XS_GET_PERMS] = { "GET_PERMS", ARGS_ONE, 0 },
    [XS_WATCH] = { "WATCH", ARGS_MIN2, WIRE_F_NOTID },
    [XS_UNWATCH] = { "UNWATCH", ARGS_MIN2, WIRE_F_NOTID },
    [XS_TRANSACTION_START] = { "TRANSACTION_START", ARGS_ANY, 0 },
    [XS_TRANSACTION_END] = { "TRANSACTION_END", ARGS_ONE, 0 },
    [XS_INTRODUCE] = { "INTRODUCE", ARGS_MIN3, WIRE_F_PRIV | WIRE_F_WRITE },
    [XS_RELEASE] = { "RELEASE", ARGS_ONE, WIRE_F_PRIV | WIRE_F_WRITE },
    [XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", ARGS_ONE, 0 },
    [XS_WRITE] = { "WRITE", ARGS_WRITE, WIRE_F_WRITE },
    [XS_MKDIR] = { "MKDIR", ARGS_ONE, WIRE_F_WRITE },
    [XS_RM] = { "RM", ARGS_ONE, WIRE_F_WRITE },
    [XS_SET_PERMS] = { "SET_PERMS", ARGS_MIN2, WIRE_F_WRITE },
    [XS_WATCH_EVENT] = { "WATCH_EVENT", ARGS_NONE, 0 },
    [XS_ERROR] = { "ERROR", ARGS_NONE, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", ARGS_ONE,
                                  WIRE_F_PRIV },
    [XS_RESUME] = { "RESUME", ARGS_ONE, WIRE_F_PRIV | WIRE_F_WRITE },
    [XS_SET_TARGET] = { "SET_TARGET", ARGS_TWO, WIRE_F_PRIV | WIRE_F_WRITE },
    [XS_RESET_WATCHES] = { "RESET_WATCHES", ARGS_ANY, WIRE_F_NOTID },
    [XS_DIRECTORY_PART] = { "DIRECTORY_PART", ARGS_TWO, 0 },
};

static const struct { int err; const char *name; } errnames[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" },       { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" },   { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

void wire_in_reset(struct wire_in *w)
{
    w->have = 0;
    memset(&w->hdr, 0, sizeof(w->hdr));
}

uint32_t wire_in_want(const struct wire_in *w)
{
    if (w->have < WIRE_HDR_SIZE)
        return WIRE_HDR_SIZE - w->have;
    return WIRE_HDR_SIZE + w->hdr.len - w->have;
}

enum wire_status wire_in_feed(struct wire_in *w, const void *buf, size_t n,
                              size_t *used)
{
    const char *p = buf;
    size_t take;

    *used = 0;
    if (w->have < WIRE_HDR_SIZE) {
        take = WIRE_HDR_SIZE - w->have;
        take = take < n ? take : n;
        memcpy((char *)&w->hdr + w->have, p, take);
        w->have += take;
        *used += take;
        if (w->have < WIRE_HDR_SIZE)
            return WIRE_NEED_MORE;
        if (w->hdr.len > XENSTORE_PAYLOAD_MAX)
            return WIRE_BAD_LEN;
    }
    take = wire_in_want(w);
    take = take < n - *used ? take : n - *used;
    memcpy(w->payload + (w->have - WIRE_HDR_SIZE), p + *used, take);
    w->have += take;
    *used += take;
    if (wire_in_want(w))
        return WIRE_NEED_MORE;
    w->payload[w->hdr.len] = '\0';
    return WIRE_MSG;
}

unsigned wire_count_strings(const char *buf, uint32_t len, uint32_t *tail)
{
    unsigned n = 0;
    uint32_t start = 0;
    const char *nul;

    while (start < len) {
        nul = memchr(buf + start, 0, len - start);
        if (!nul)
            break;
        n++;
        start = (uint32_t)(nul - buf) + 1;
    }
    if (tail)
        *tail = len - start;
    return n;
}

static void split_args(const char *p, uint32_t len, struct wire_req *r)
{
    uint32_t off = 0;
    const char *nul;

    r->argc = 0;
    while (off < len && r->argc < WIRE_MAX_ARGS) {
        nul = memchr(p + off, 0, len - off);
        if (!nul)
            break;
        r->argv[r->argc++] = p + off;
        off = (uint32_t)(nul - p) + 1;
    }
}

static bool syntax_ok(enum arg_syntax s, unsigned n, uint32_t tail)
{
    switch (s) {
    case ARGS_ONE:
        return n == 1 && tail == 0;
    case ARGS_TWO:
        return n == 2 && tail == 0;
    case ARGS_MIN1:
        return n >= 1 && tail == 0;
    case ARGS_MIN2:
        return n >= 2 && tail == 0;
    case ARGS_MIN3:
        return n >= 3 && tail == 0;
    case ARGS_ANY:
        return tail == 0;
    case ARGS_WRITE:
        return n >= 1;
    default:
        return false;
    }
}

int wire_decode(const struct xsd_sockmsg *hdr, const char *payload,
                struct wire_req *r)
{
    const struct op_desc *d;
    uint32_t tail;
    unsigned n;

    memset(r, 0, sizeof(*r));
    r->type = hdr->type;
    r->req_id = hdr->req_id;
    r->tx_id = hdr->tx_id;
    if (hdr->type >= XS_TYPE_COUNT || ops[hdr->type].syntax == ARGS_NONE)
        return ENOSYS;
    if (hdr->len > XENSTORE_PAYLOAD_MAX)
        return EINVAL;
    d = &ops[hdr->type];
    n = wire_count_strings(payload, hdr->len, &tail);
    if (!syntax_ok(d->syntax, n, tail))
        return EINVAL;
    split_args(payload, hdr->len, r);
    r->payload = payload;
    r->len = hdr->len;
    if (d->syntax == ARGS_WRITE) {
        r->argc = 1;
        r->data = payload + strlen(payload) + 1;
        r->dlen = hdr->len - (uint32_t)(r->data - payload);
    }
    return 0;
}

unsigned wire_op_flags(uint32_t type)
{
    return type < XS_TYPE_COUNT ? ops[type].flags : 0;
}

const char *wire_type_name(uint32_t type)
{
    if (type < XS_TYPE_COUNT && ops[type].name)
        return ops[type].name;
    return "UNKNOWN";
}

const char *wire_errno_name(int err)
{
    for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    return "EINVAL";
}

int wire_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (!strcmp(errnames[i].name, name))
            return errnames[i].err;
    return EINVAL;
}

int wire_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s || strlen(s) > 20)
        return EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return EINVAL;
        if ((uint64_t)(*s - '0') > max ||
            v > (max - (uint64_t)(*s - '0')) / 10)
            return EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}
