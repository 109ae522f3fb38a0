/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxs-satori. Two transports behind one byte-stream interface (send
 * bytes, receive bytes with a timeout); messages and events on top.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"
#include "xsc.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

struct evq {
    struct evq *next;
    struct xsc_msg m;
};

struct xsc {
    int fd;                                  /* socket, or -1 */
    struct xenstore_domain_interface *intf;  /* ring, or NULL */
    int up, down;                            /* ring FIFOs */
    int timeout_ms;
    uint32_t next_req;
    char ibuf[XENSTORE_PAYLOAD_MAX + 64];
    size_t ilen;
    struct evq *ev_head, *ev_tail;
};

int xsc_errno(const char *name)
{
    return wire_errno_from_name(name);
}

const char *xsc_errname(int err)
{
    return err < 0 ? "transport" : err ? wire_errno_name(err) : "OK";
}

static struct xsc *alloc_x(void)
{
    struct xsc *x = calloc(1, sizeof(*x));

    if (x) {
        x->fd = x->up = x->down = -1;
        x->timeout_ms = 10000;
        x->next_req = 1;
    }
    return x;
}

struct xsc *xsc_open(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct xsc *x = alloc_x();

    if (!x || strlen(path) >= sizeof(sa.sun_path))
        goto fail;
    strcpy(sa.sun_path, path);
    x->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (x->fd < 0 || connect(x->fd, (struct sockaddr *)&sa, sizeof(sa)))
        goto fail;
    return x;
fail:
    xsc_close(x);
    return NULL;
}

static int fifo(const char *dir, uint32_t port, const char *end)
{
    char p[4096];

    snprintf(p, sizeof(p), "%s/evtchn-%u.%s", dir, port, end);
    if (mkfifo(p, 0600) && errno != EEXIST)
        return -1;
    return open(p, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

struct xsc *xsc_open_ring(const char *dir, uint64_t mfn, uint32_t port)
{
    struct xsc *x = alloc_x();
    char p[4096];
    int fd;
    void *m;

    if (!x)
        return NULL;
    snprintf(p, sizeof(p), "%s/page-%llu", dir, (unsigned long long)mfn);
    fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, 4096)) {
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        goto fail;
    x->intf = m;
    x->up = fifo(dir, port, "up");
    x->down = fifo(dir, port, "down");
    if (x->up < 0 || x->down < 0)
        goto fail;
    return x;
fail:
    xsc_close(x);
    return NULL;
}

void xsc_close(struct xsc *x)
{
    if (!x)
        return;
    if (x->fd >= 0)
        close(x->fd);
    if (x->intf)
        munmap(x->intf, 4096);
    if (x->up >= 0)
        close(x->up);
    if (x->down >= 0)
        close(x->down);
    while (x->ev_head) {
        struct evq *e = x->ev_head;
        x->ev_head = e->next;
        xsc_msg_free(&e->m);
        free(e);
    }
    free(x);
}

void xsc_set_timeout(struct xsc *x, int ms)
{
    x->timeout_ms = ms;
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for fd readable (or writable); 0, or -ETIMEDOUT. */
static int wait_fd(int fd, short what, long deadline)
{
    struct pollfd p = { .fd = fd, .events = what };
    long left = deadline - now_ms();

    if (left < 0)
        left = 0;
    return poll(&p, 1, (int)left) > 0 ? 0 : -ETIMEDOUT;
}

static void kick(struct xsc *x)
{
    char c = 1;

    if (write(x->up, &c, 1) < 0 && errno != EAGAIN)
        return;
}

static void drain(int fd)
{
    char buf[256];

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

static int ring_send(struct xsc *x, const char *p, size_t n, long deadline)
{
    struct xenstore_domain_interface *in = x->intf;

    while (n) {
        XENSTORE_RING_IDX cons = LOAD(in->req_cons), prod = in->req_prod;
        uint32_t space = XENSTORE_RING_SIZE - (prod - cons), chunk;

        if (space == 0) {
            if (wait_fd(x->down, POLLIN, deadline))
                return -ETIMEDOUT;
            drain(x->down);
            continue;
        }
        chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
        if (chunk > space)
            chunk = space;
        if (chunk > n)
            chunk = (uint32_t)n;
        memcpy(in->req + MASK_XENSTORE_IDX(prod), p, chunk);
        STORE(in->req_prod, prod + chunk);
        kick(x);
        p += chunk;
        n -= chunk;
    }
    return 0;
}

static int ring_recv(struct xsc *x, char *buf, size_t cap, long deadline)
{
    struct xenstore_domain_interface *in = x->intf;

    for (;;) {
        XENSTORE_RING_IDX cons = in->rsp_cons, prod = LOAD(in->rsp_prod);
        uint32_t avail = prod - cons, chunk;

        if (avail) {
            chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
            if (chunk > avail)
                chunk = avail;
            if (chunk > cap)
                chunk = (uint32_t)cap;
            memcpy(buf, in->rsp + MASK_XENSTORE_IDX(cons), chunk);
            STORE(in->rsp_cons, cons + chunk);
            kick(x);
            return (int)chunk;
        }
        if (wait_fd(x->down, POLLIN, deadline))
            return -ETIMEDOUT;
        drain(x->down);
    }
}

static int sock_send(struct xsc *x, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(x->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -EPIPE;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int sock_recv(struct xsc *x, char *buf, size_t cap, long deadline)
{
    ssize_t r;

    if (wait_fd(x->fd, POLLIN, deadline))
        return -ETIMEDOUT;
    r = read(x->fd, buf, cap);
    return r > 0 ? (int)r : -EPIPE;
}

int xsc_send_bytes(struct xsc *x, const void *p, size_t n)
{
    if (x->intf)
        return ring_send(x, p, n, now_ms() + x->timeout_ms);
    return sock_send(x, p, n);
}

int xsc_send(struct xsc *x, uint32_t type, uint32_t tx, const void *p,
             uint32_t len, uint32_t *req_id)
{
    char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg h = { type, x->next_req++, tx, len };

    if (len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    memcpy(buf, &h, sizeof(h));
    if (len)
        memcpy(buf + sizeof(h), p, len);
    if (req_id)
        *req_id = h.req_id;
    return xsc_send_bytes(x, buf, sizeof(h) + len);
}

void xsc_msg_free(struct xsc_msg *m)
{
    free(m->data);
    m->data = NULL;
}

/* A whole message from ibuf, if there is one. */
static int take_msg(struct xsc *x, struct xsc_msg *m)
{
    size_t need;

    if (x->ilen < sizeof(m->hdr))
        return 0;
    memcpy(&m->hdr, x->ibuf, sizeof(m->hdr));
    if (m->hdr.len > XENSTORE_PAYLOAD_MAX)
        return -EPROTO;
    need = sizeof(m->hdr) + m->hdr.len;
    if (x->ilen < need)
        return 0;
    m->data = malloc(m->hdr.len + 1);
    if (!m->data)
        return -ENOMEM;
    memcpy(m->data, x->ibuf + sizeof(m->hdr), m->hdr.len);
    m->data[m->hdr.len] = '\0';
    memmove(x->ibuf, x->ibuf + need, x->ilen - need);
    x->ilen -= need;
    return 1;
}

int xsc_recv(struct xsc *x, struct xsc_msg *m, int timeout_ms)
{
    long deadline = now_ms() + timeout_ms;
    int r;

    for (;;) {
        r = take_msg(x, m);
        if (r)
            return r < 0 ? r : 0;
        r = x->intf ? ring_recv(x, x->ibuf + x->ilen,
                                sizeof(x->ibuf) - x->ilen, deadline)
                    : sock_recv(x, x->ibuf + x->ilen,
                                sizeof(x->ibuf) - x->ilen, deadline);
        if (r < 0)
            return r;
        x->ilen += (size_t)r;
    }
}

static void queue_event(struct xsc *x, struct xsc_msg *m)
{
    struct evq *e = malloc(sizeof(*e));

    if (!e) {
        xsc_msg_free(m);
        return;
    }
    e->m = *m;
    e->next = NULL;
    if (x->ev_tail)
        x->ev_tail->next = e;
    else
        x->ev_head = e;
    x->ev_tail = e;
}

int xsc_req(struct xsc *x, uint32_t type, uint32_t tx, const void *p,
            uint32_t len, char **reply, uint32_t *rlen)
{
    struct xsc_msg m;
    uint32_t id;
    int r = xsc_send(x, type, tx, p, len, &id);

    while (!r) {
        r = xsc_recv(x, &m, x->timeout_ms);
        if (r)
            break;
        if (m.hdr.type == XS_WATCH_EVENT) {
            queue_event(x, &m);
            continue;
        }
        if (m.hdr.req_id != id) {
            xsc_msg_free(&m);
            continue;
        }
        if (m.hdr.type == XS_ERROR) {
            r = xsc_errno(m.data);
            xsc_msg_free(&m);
            return r;
        }
        if (rlen)
            *rlen = m.hdr.len;
        if (reply)
            *reply = m.data;
        else
            xsc_msg_free(&m);
        return 0;
    }
    return r;
}

/* ---- operations ---- */

static int req_str(struct xsc *x, uint32_t type, uint32_t tx, const char *s,
                   char **out, uint32_t *olen)
{
    return xsc_req(x, type, tx, s, (uint32_t)strlen(s) + 1, out, olen);
}

/* Join NUL-separated strings with commas. */
static void join(char *s, uint32_t len)
{
    while (len && s[len - 1] == '\0')
        len--;
    for (uint32_t i = 0; i < len; i++)
        if (s[i] == '\0')
            s[i] = ',';
}

int xsc_read(struct xsc *x, uint32_t tx, const char *path, char **val,
             uint32_t *len)
{
    return req_str(x, XS_READ, tx, path, val, len);
}

int xsc_write(struct xsc *x, uint32_t tx, const char *path, const void *val,
              uint32_t len)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t pl = strlen(path) + 1;

    if (pl + len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    memcpy(buf, path, pl);
    memcpy(buf + pl, val, len);
    return xsc_req(x, XS_WRITE, tx, buf, (uint32_t)(pl + len), NULL, NULL);
}

int xsc_writes(struct xsc *x, uint32_t tx, const char *path, const char *s)
{
    return xsc_write(x, tx, path, s, (uint32_t)strlen(s));
}

int xsc_mkdir(struct xsc *x, uint32_t tx, const char *path)
{
    return req_str(x, XS_MKDIR, tx, path, NULL, NULL);
}

int xsc_rm(struct xsc *x, uint32_t tx, const char *path)
{
    return req_str(x, XS_RM, tx, path, NULL, NULL);
}

int xsc_dir(struct xsc *x, uint32_t tx, const char *path, char **list)
{
    uint32_t len;
    int r = req_str(x, XS_DIRECTORY, tx, path, list, &len);

    if (!r)
        join(*list, len);
    return r;
}

int xsc_get_perms(struct xsc *x, uint32_t tx, const char *path, char **out)
{
    uint32_t len;
    int r = req_str(x, XS_GET_PERMS, tx, path, out, &len);

    if (!r)
        join(*out, len);
    return r;
}

/* "a b c" or "a,b,c" -> "a\0b\0c\0" appended at buf+off. */
static uint32_t split_words(char *buf, uint32_t off, uint32_t cap,
                            const char *s, char sep)
{
    for (; *s && off + 1 < cap; s++)
        buf[off++] = *s == sep ? '\0' : *s;
    buf[off++] = '\0';
    return off;
}

int xsc_set_perms(struct xsc *x, uint32_t tx, const char *path,
                  const char *perms)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t len = split_words(buf, 0, sizeof(buf), path, '\0');

    len = split_words(buf, len, sizeof(buf), perms, ',');
    return xsc_req(x, XS_SET_PERMS, tx, buf, len, NULL, NULL);
}

static int two(struct xsc *x, uint32_t type, const char *a, const char *b)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t la = strlen(a) + 1, lb = strlen(b) + 1;

    if (la + lb > sizeof(buf))
        return -E2BIG;
    memcpy(buf, a, la);
    memcpy(buf + la, b, lb);
    return xsc_req(x, type, 0, buf, (uint32_t)(la + lb), NULL, NULL);
}

int xsc_watch(struct xsc *x, const char *path, const char *token)
{
    return two(x, XS_WATCH, path, token);
}

int xsc_unwatch(struct xsc *x, const char *path, const char *token)
{
    return two(x, XS_UNWATCH, path, token);
}

int xsc_event(struct xsc *x, char **path, char **token, int timeout_ms)
{
    struct xsc_msg m;
    struct evq *e;
    int r;

    while (!x->ev_head) {
        r = xsc_recv(x, &m, timeout_ms);
        if (r)
            return r;
        if (m.hdr.type == XS_WATCH_EVENT)
            queue_event(x, &m);
        else
            xsc_msg_free(&m);
    }
    e = x->ev_head;
    x->ev_head = e->next;
    if (!x->ev_head)
        x->ev_tail = NULL;
    *path = e->m.data;
    *token = strdup(e->m.data + strlen(e->m.data) + 1);
    free(e);
    return 0;
}

int xsc_tx_start(struct xsc *x, uint32_t *tx)
{
    char *id;
    int r = xsc_req(x, XS_TRANSACTION_START, 0, "", 1, &id, NULL);

    if (!r) {
        *tx = (uint32_t)strtoul(id, NULL, 10);
        free(id);
    }
    return r;
}

int xsc_tx_end(struct xsc *x, uint32_t tx, bool commit)
{
    return req_str(x, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, NULL);
}

int xsc_introduce(struct xsc *x, uint32_t domid, uint64_t mfn, uint32_t port)
{
    char buf[96];
    int n = snprintf(buf, sizeof(buf), "%u%c%llu%c%u%c", domid, 0,
                     (unsigned long long)mfn, 0, port, 0);

    return xsc_req(x, XS_INTRODUCE, 0, buf, (uint32_t)n, NULL, NULL);
}

static int dom_op(struct xsc *x, uint32_t type, uint32_t domid, char **out)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return req_str(x, type, 0, buf, out, NULL);
}

int xsc_release(struct xsc *x, uint32_t domid)
{
    return dom_op(x, XS_RELEASE, domid, NULL);
}

int xsc_is_introduced(struct xsc *x, uint32_t domid, bool *yes)
{
    char *out;
    int r = dom_op(x, XS_IS_DOMAIN_INTRODUCED, domid, &out);

    if (!r) {
        *yes = out[0] == 'T';
        free(out);
    }
    return r;
}

int xsc_domain_path(struct xsc *x, uint32_t domid, char **path)
{
    return dom_op(x, XS_GET_DOMAIN_PATH, domid, path);
}

int xsc_resume(struct xsc *x, uint32_t domid)
{
    return dom_op(x, XS_RESUME, domid, NULL);
}

int xsc_set_target(struct xsc *x, uint32_t domid, uint32_t target)
{
    char a[16], b[16];

    snprintf(a, sizeof(a), "%u", domid);
    snprintf(b, sizeof(b), "%u", target);
    return two(x, XS_SET_TARGET, a, b);
}

int xsc_reset_watches(struct xsc *x)
{
    return xsc_req(x, XS_RESET_WATCHES, 0, "", 1, NULL, NULL);
}

int xsc_control(struct xsc *x, const char *args, char **out)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    uint32_t len = split_words(buf, 0, sizeof(buf), args, ' ');

    return xsc_req(x, XS_CONTROL, 0, buf, len, out, NULL);
}

int xsc_ring_reconnect(struct xsc *x)
{
    long deadline = now_ms() + x->timeout_ms;

    if (!x->intf)
        return -EINVAL;
    STORE(x->intf->connection, XENSTORE_RECONNECT);
    kick(x);
    while (LOAD(x->intf->connection) != XENSTORE_CONNECTED) {
        if (wait_fd(x->down, POLLIN, deadline))
            return -ETIMEDOUT;
        drain(x->down);
    }
    x->ilen = 0;
    return 0;
}

uint32_t xsc_ring_error(struct xsc *x)
{
    return x->intf ? LOAD(x->intf->error) : 0;
}

struct xenstore_domain_interface *xsc_ring_intf(struct xsc *x)
{
    return x->intf;
}

void xsc_ring_kick(struct xsc *x)
{
    if (x->intf)
        kick(x);
}
