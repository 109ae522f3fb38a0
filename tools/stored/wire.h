/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The protocol message parser: framing of the byte stream into messages,
 * and decoding of each request's payload into its arguments, with the
 * checks the wire protocol demands (known type, NUL-terminated strings,
 * argument counts, payload limit). Pure: no I/O, no allocation, no globals
 * that change; it is what the fuzzer drives.
 */
#ifndef STORED_WIRE_H
#define STORED_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/xs_wire.h"

#define WIRE_HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))
#define WIRE_MAX_ARGS 8

/* Op flags, from the dispatch table. */
#define WIRE_F_PRIV 0x1  /* privileged (dom0) callers only */
#define WIRE_F_NOTID 0x2 /* tx_id is ignored */
#define WIRE_F_WRITE 0x4 /* refused on the read-only socket */

/* Incremental framer: feed it bytes, it yields whole messages. */
struct wire_in {
    struct xsd_sockmsg hdr;
    uint32_t have; /* bytes of header + payload received */
    char payload[XENSTORE_PAYLOAD_MAX + 1]; /* +1: always NUL-terminated */
};

enum wire_status { WIRE_NEED_MORE, WIRE_MSG, WIRE_BAD_LEN };

/* A decoded request. argv[] point into the payload. */
struct wire_req {
    uint32_t type, req_id, tx_id;
    unsigned argc;         /* NUL-terminated strings found (<= MAX_ARGS) */
    const char *argv[WIRE_MAX_ARGS];
    const char *data;      /* WRITE: the value after the path */
    uint32_t dlen;
    const char *payload;   /* all of it, NUL-terminated at [len] */
    uint32_t len;
};

void wire_in_reset(struct wire_in *w);
/* Consume up to n bytes; *used says how many. WIRE_MSG: w holds one. */
enum wire_status wire_in_feed(struct wire_in *w, const void *buf, size_t n,
                              size_t *used);
/* How many bytes the framer still wants before the current message ends. */
uint32_t wire_in_want(const struct wire_in *w);

/* Decode a complete message: 0, or ENOSYS / EINVAL. */
int wire_decode(const struct xsd_sockmsg *hdr, const char *payload,
                struct wire_req *r);

unsigned wire_op_flags(uint32_t type);
const char *wire_type_name(uint32_t type);
const char *wire_errno_name(int err);   /* unknown: "EINVAL", as Xen does */
int wire_errno_from_name(const char *name); /* unknown: EINVAL */

/* Count NUL-terminated strings in buf[0..len); *tail: bytes after the last NUL. */
unsigned wire_count_strings(const char *buf, uint32_t len, uint32_t *tail);

/* Parse a decimal without sign, junk or overflow past max: 0 or EINVAL. */
int wire_parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif
