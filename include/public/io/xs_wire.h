/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol, as spoken between the configuration store
 * daemon and its clients (toolstack sockets and guests' shared-memory rings).
 * Every message is a struct xsd_sockmsg header followed by `len` bytes of
 * payload, mostly NUL-terminated strings; errors travel as the errno's name.
 * Numbers and layouts match Xen 4.17's public io/xs_wire.h so that stock
 * guests and tools cannot tell the difference. Standalone: C99 and C++.
 */
#ifndef _XS_WIRE_H
#define _XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type {
    XS_CONTROL = 0,
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_GET_PERMS = 3,
    XS_WATCH = 4,
    XS_UNWATCH = 5,
    XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7,
    XS_INTRODUCE = 8,
    XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10,
    XS_WRITE = 11,
    XS_MKDIR = 12,
    XS_RM = 13,
    XS_SET_PERMS = 14,
    XS_WATCH_EVENT = 15,
    XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17,
    XS_RESUME = 18,
    XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, withdrawn: never reuse it. */
    XS_RESET_WATCHES = 21,
    XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,
    XS_INVALID = 0xffff
};

#define XS_WRITE_NONE "NONE"
#define XS_WRITE_CREATE "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* Errors are sent as the errno's name, e.g. "ENOENT" with its NUL. */
struct xsd_errors {
    int errnum;
    const char *errstring;
};

/* Only where the includer has <errno.h>; the order is part of the ABI. */
#ifdef EINVAL
static const struct xsd_errors xsd_errors[]
#if defined(__GNUC__)
    __attribute__((unused))
#endif
    = {
        { EINVAL, "EINVAL" },   { EACCES, "EACCES" },
        { EEXIST, "EEXIST" },   { EISDIR, "EISDIR" },
        { ENOENT, "ENOENT" },   { ENOMEM, "ENOMEM" },
        { ENOSPC, "ENOSPC" },   { EIO, "EIO" },
        { ENOTEMPTY, "ENOTEMPTY" }, { ENOSYS, "ENOSYS" },
        { EROFS, "EROFS" },     { EBUSY, "EBUSY" },
        { EAGAIN, "EAGAIN" },   { EISCONN, "EISCONN" },
        { E2BIG, "E2BIG" },     { EPERM, "EPERM" },
    };
#endif

struct xsd_sockmsg {
    uint32_t type;   /* enum xsd_sockmsg_type */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction, 0 for none */
    uint32_t len;    /* payload bytes that follow */
};

/* Field order of a WATCH_EVENT payload. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN = 1
};

/* The shared page between a guest and the store: two byte rings. */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE]; /* guest -> store */
    char rsp[XENSTORE_RING_SIZE]; /* store -> guest: replies, watch events */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* offered */
    uint32_t connection;      /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* */
};

/* A payload longer than this in either direction kills the connection. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longer paths are refused with an error. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR 2

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE 0
#define XENSTORE_ERROR_COMM 1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO 3

#endif /* _XS_WIRE_H */
