/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The durability log.
 *
 * Files in the data directory:
 *   store.snap  "SATSNAP1", u64 seq, then batches: the whole state as of
 *               the end of log number seq. Written to a temporary, synced,
 *               renamed into place, directory synced.
 *   store.log   "SATJRNL1", u64 seq, then batches appended as requests
 *               commit.
 * A batch is u32 magic, u32 length, u32 crc32 of the payload, payload: the
 * records of one request (node put/delete, domain introduce/release/
 * target, domain watch add/remove), so a request is replayed whole or not
 * at all.
 *
 * Invariants (tests/crash_test.c):
 *  J1. A reply, or a watch event, leaves the daemon only after the batch
 *      of the request that caused it has been fdatasync'ed (main.c syncs
 *      once per event-loop round, before flushing output: group commit).
 *  J2. Replay applies the snapshot, then the log if its seq is newer than
 *      the snapshot's; it stops at the first torn or corrupt batch and
 *      truncates the log there. A stale log (seq <= snapshot's) is ignored.
 *  J3. Compaction never leaves a moment where neither the old pair nor the
 *      new pair of files describes the full state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "domain.h"
#include "watch.h"
#include "journal.h"
#include "path.h"

#define BATCH_MAGIC 0x4a535453u
#define LOG_MAGIC "SATJRNL1"
#define SNAP_MAGIC "SATSNAP1"
#define FILE_HDR 16

enum rec { R_PUT = 'P', R_DEL = 'D', R_INTRO = 'I', R_RELEASE = 'R',
           R_TARGET = 'T', R_WATCH = 'W', R_UNWATCH = 'U' };

struct buf {
    char *p;
    size_t len, cap;
    bool oom;
};

static struct {
    bool on;
    int fd, dirfd;
    char *dir;
    uint64_t seq;          /* of the open log */
    uint64_t log_bytes, snap_bytes, compact_bytes;
    bool dirty;            /* written since the last sync */
    struct buf batch;      /* the request being handled */
} J = { .fd = -1, .dirfd = -1 };

/* ---- encoding ---- */

static void put_bytes(struct buf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->len + n)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void put_u8(struct buf *b, uint8_t v) { put_bytes(b, &v, 1); }
static void put_u32(struct buf *b, uint32_t v) { put_bytes(b, &v, 4); }
static void put_u64(struct buf *b, uint64_t v) { put_bytes(b, &v, 8); }

static void put_str(struct buf *b, const char *s, size_t n)
{
    put_u32(b, (uint32_t)n);
    put_bytes(b, s, n);
}

static void enc_put(struct buf *b, const struct node *n)
{
    put_u8(b, R_PUT);
    put_str(b, n->path, strlen(n->path));
    put_u32(b, n->nperms);
    for (uint32_t i = 0; i < n->nperms; i++) {
        put_u32(b, n->perms[i].id);
        put_u32(b, n->perms[i].mode);
    }
    put_str(b, n->value, n->vlen);
}

static void enc_watch(struct buf *b, uint32_t domid, const char *path,
                      const char *token, uint32_t rel_off, bool add)
{
    put_u8(b, add ? R_WATCH : R_UNWATCH);
    put_u32(b, domid);
    put_u32(b, rel_off);
    put_str(b, path, strlen(path));
    put_str(b, token, strlen(token));
}

static uint32_t crc32(const void *data, size_t n)
{
    static uint32_t table[256];
    const uint8_t *p = data;
    uint32_t c = 0xffffffffu;

    if (!table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t v = i;
            for (int k = 0; k < 8; k++)
                v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
            table[i] = v;
        }
    }
    while (n--)
        c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

bool journal_enabled(void) { return J.on; }
bool journal_dirty(void) { return J.dirty; }
uint64_t journal_bytes(void) { return J.log_bytes; }

void journal_put(const struct node *n)
{
    if (J.on)
        enc_put(&J.batch, n);
}

void journal_del(const char *path)
{
    if (!J.on)
        return;
    put_u8(&J.batch, R_DEL);
    put_str(&J.batch, path, strlen(path));
}

void journal_intro(uint32_t domid, uint64_t mfn, uint32_t port)
{
    if (!J.on)
        return;
    put_u8(&J.batch, R_INTRO);
    put_u32(&J.batch, domid);
    put_u64(&J.batch, mfn);
    put_u32(&J.batch, port);
}

void journal_release(uint32_t domid)
{
    if (!J.on)
        return;
    put_u8(&J.batch, R_RELEASE);
    put_u32(&J.batch, domid);
}

void journal_target(uint32_t domid, uint32_t target)
{
    if (!J.on)
        return;
    put_u8(&J.batch, R_TARGET);
    put_u32(&J.batch, domid);
    put_u32(&J.batch, target);
}

void journal_watch(uint32_t domid, const char *path, const char *token,
                   uint32_t rel_off, bool add)
{
    if (J.on)
        enc_watch(&J.batch, domid, path, token, rel_off, add);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int write_batch(int fd, const struct buf *b)
{
    uint32_t hdr[3] = { BATCH_MAGIC, (uint32_t)b->len, crc32(b->p, b->len) };

    if (write_all(fd, hdr, sizeof(hdr)) || write_all(fd, b->p, b->len))
        return -1;
    return 0;
}

void journal_end_request(void)
{
    if (!J.on || (!J.batch.len && !J.batch.oom))
        return;
    if (J.batch.oom || write_batch(J.fd, &J.batch)) {
        /* Nothing acknowledged may be lost: better stop than lie. */
        log_msg("journal: cannot append to the log: %s; exiting",
                strerror(errno));
        fprintf(stderr, "satori-stored: journal write failed\n");
        _exit(3);
    }
    J.log_bytes += 12 + J.batch.len;
    J.batch.len = 0;
    J.dirty = true;
}

int journal_sync(void)
{
    if (!J.on || !J.dirty)
        return 0;
    if (fdatasync(J.fd)) {
        log_msg("journal: fdatasync failed: %s; exiting", strerror(errno));
        _exit(3);
    }
    J.dirty = false;
    return 0;
}

/* ---- replay ---- */

struct cur {
    const char *p;
    size_t len, off;
    bool bad;
};

static const void *get_bytes(struct cur *c, size_t n)
{
    const void *r;

    if (c->bad || c->len - c->off < n) {
        c->bad = true;
        return NULL;
    }
    r = c->p + c->off;
    c->off += n;
    return r;
}

static uint32_t get_u32(struct cur *c)
{
    uint32_t v = 0;
    const void *p = get_bytes(c, 4);

    if (p)
        memcpy(&v, p, 4);
    return v;
}

static uint64_t get_u64(struct cur *c)
{
    uint64_t v = 0;
    const void *p = get_bytes(c, 8);

    if (p)
        memcpy(&v, p, 8);
    return v;
}

/* A string field as a NUL-terminated copy in out[cap]; false if bad. */
static bool get_str(struct cur *c, char *out, size_t cap, uint32_t *lenp)
{
    uint32_t n = get_u32(c);
    const void *p = n < cap ? get_bytes(c, n) : NULL;

    if (!p) {
        c->bad = true;
        return false;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    if (lenp)
        *lenp = n;
    return true;
}

static void replay_put(struct cur *c)
{
    static char path[PATH_BUF], val[XENSTORE_PAYLOAD_MAX + 1];
    struct perm p[256];
    uint32_t np, vlen;
    struct node *n;

    if (!get_str(c, path, sizeof(path), NULL))
        return;
    np = get_u32(c);
    if (np == 0 || np > 256) {
        c->bad = true;
        return;
    }
    for (uint32_t i = 0; i < np; i++) {
        p[i].id = get_u32(c) & PERM_MAX_DOMID;
        p[i].mode = get_u32(c) & (PERM_READ | PERM_WRITE);
    }
    if (!get_str(c, val, sizeof(val), &vlen))
        return;
    n = tree_get(path);
    if (!n) {
        if (!tree_add(path, p, np, val, vlen))
            log_msg("journal: cannot replay %s", path);
        return;
    }
    tree_set_value(n, val, vlen);
    if (n->nperms != np || memcmp(n->perms, p, np * sizeof(*p)))
        tree_set_perms(n, p, np);
}

static void noop_cb(struct node *n, void *ctx)
{
    (void)n;
    (void)ctx;
}

static void replay_watch(struct cur *c, bool add)
{
    static char path[PATH_BUF], token[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t domid = get_u32(c), rel_off = get_u32(c);

    if (get_str(c, path, sizeof(path), NULL) &&
        get_str(c, token, sizeof(token), NULL))
        domain_restore_watch(domid, path, token, rel_off, add);
}

static void replay_record(struct cur *c, uint8_t op)
{
    static char path[PATH_BUF];
    struct node *n;
    uint32_t a, b;
    uint64_t m;

    switch (op) {
    case R_PUT:
        replay_put(c);
        break;
    case R_DEL:
        if (get_str(c, path, sizeof(path), NULL) && (n = tree_get(path)))
            tree_remove(n, noop_cb, NULL);
        break;
    case R_INTRO:
        a = get_u32(c);
        m = get_u64(c);
        b = get_u32(c);
        if (!c->bad)
            domain_restore_intro(a, m, b);
        break;
    case R_RELEASE:
        a = get_u32(c);
        if (!c->bad)
            domain_restore_release(a);
        break;
    case R_TARGET:
        a = get_u32(c);
        b = get_u32(c);
        if (!c->bad)
            domain_restore_target(a, b);
        break;
    case R_WATCH:
    case R_UNWATCH:
        replay_watch(c, op == R_WATCH);
        break;
    default:
        c->bad = true;
    }
}

static void replay_payload(const char *p, size_t len)
{
    struct cur c = { p, len, 0, false };

    while (c.off < c.len && !c.bad) {
        const uint8_t *op = get_bytes(&c, 1);
        if (op)
            replay_record(&c, *op);
    }
    if (c.bad)
        log_msg("journal: malformed record skipped");
}

/* Apply the batches of buf[FILE_HDR..len); returns the valid length. */
static size_t replay_batches(const char *buf, size_t len)
{
    size_t off = FILE_HDR;
    uint32_t hdr[3];

    while (len - off >= sizeof(hdr)) {
        memcpy(hdr, buf + off, sizeof(hdr));
        if (hdr[0] != BATCH_MAGIC || hdr[1] > len - off - sizeof(hdr) ||
            crc32(buf + off + sizeof(hdr), hdr[1]) != hdr[2])
            break;
        replay_payload(buf + off + sizeof(hdr), hdr[1]);
        off += sizeof(hdr) + hdr[1];
    }
    return off;
}

static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    size_t got = 0;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1))) {
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
    }
    close(fd);
    *len = got;
    return buf;
}

/* Load one file; returns its seq or -1 if absent or not ours. */
static int64_t load(const char *name, const char *magic, size_t *valid,
                    size_t *total, bool apply_it, uint64_t min_seq)
{
    char path[4096];
    size_t len;
    uint64_t seq;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", J.dir, name);
    buf = slurp(path, &len);
    if (!buf)
        return -1;
    if (len < FILE_HDR || memcmp(buf, magic, 8)) {
        free(buf);
        return -1;
    }
    memcpy(&seq, buf + 8, 8);
    *total = len;
    *valid = FILE_HDR;
    if (apply_it && seq >= min_seq)
        *valid = replay_batches(buf, len);
    free(buf);
    return (int64_t)seq;
}

/* ---- files ---- */

static int create_file(const char *name, const char *magic, uint64_t seq)
{
    char hdr[FILE_HDR];
    int fd = openat(J.dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                    0600);

    if (fd < 0)
        return -1;
    memcpy(hdr, magic, 8);
    memcpy(hdr + 8, &seq, 8);
    if (write_all(fd, hdr, sizeof(hdr))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* fsync fd, rename tmp to name, fsync the directory. */
static int install(int fd, const char *tmp, const char *name)
{
    if (fsync(fd) || renameat(J.dirfd, tmp, J.dirfd, name) ||
        fsync(J.dirfd))
        return -1;
    return 0;
}

static int start_log(uint64_t seq)
{
    int fd = create_file("store.log.tmp", LOG_MAGIC, seq);

    if (fd < 0 || install(fd, "store.log.tmp", "store.log")) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    fd = openat(J.dirfd, "store.log", O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (J.fd >= 0)
        close(J.fd);
    J.fd = fd;
    J.seq = seq;
    J.log_bytes = FILE_HDR;
    return 0;
}

static int reopen_log(size_t valid)
{
    int fd = openat(J.dirfd, "store.log", O_WRONLY | O_APPEND | O_CLOEXEC);

    if (fd < 0 || ftruncate(fd, (off_t)valid) || fdatasync(fd)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    J.fd = fd;
    J.log_bytes = valid;
    return 0;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
    char p[4096];

    snprintf(p, sizeof(p), "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0700) && errno != EEXIST ? -1 : 0;
}

int journal_open(const char *dir, uint64_t compact_bytes)
{
    size_t svalid = 0, stotal = 0, lvalid = 0, ltotal = 0;
    int64_t sseq, lseq;

    if (make_dirs(dir))
        return -errno;
    J.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (J.dirfd < 0)
        return -errno;
    J.dir = strdup(dir);
    J.compact_bytes = compact_bytes;
    sseq = load("store.snap", SNAP_MAGIC, &svalid, &stotal, true, 0);
    if (sseq >= 0 && svalid != stotal)
        log_msg("journal: snapshot damaged after %zu bytes", svalid);
    J.snap_bytes = sseq >= 0 ? stotal : 0;
    lseq = load("store.log", LOG_MAGIC, &lvalid, &ltotal, true,
                sseq >= 0 ? (uint64_t)sseq + 1 : 0);
    J.on = true;
    if (lseq >= 0 && lseq > sseq) {
        if (lvalid != ltotal)
            log_msg("journal: dropping %zu torn bytes at the log's end",
                    ltotal - lvalid);
        J.seq = (uint64_t)lseq;
        if (reopen_log(lvalid))
            return -errno;
    } else if (start_log(sseq >= 0 ? (uint64_t)sseq + 1 : 1)) {
        return -errno;
    }
    return (sseq >= 0 || lvalid > FILE_HDR) ? 0 : 1;
}

void journal_close(void)
{
    if (J.fd >= 0)
        close(J.fd);
    if (J.dirfd >= 0)
        close(J.dirfd);
    free(J.dir);
    free(J.batch.p);
    memset(&J, 0, sizeof(J));
    J.fd = J.dirfd = -1;
}

struct snap {
    int fd;
    struct buf b;
    bool err;
};

static void snap_flush(struct snap *s)
{
    if (s->b.oom || (s->b.len && write_batch(s->fd, &s->b)))
        s->err = true;
    s->b.len = 0;
}

static void snap_node(struct node *n, void *ctx)
{
    struct snap *s = ctx;

    enc_put(&s->b, n);
    if (s->b.len > (1u << 20))
        snap_flush(s);
}

static void snap_domains(struct snap *s)
{
    for (struct domain *d = domain_next(NULL); d; d = domain_next(d)) {
        put_u8(&s->b, R_INTRO);
        put_u32(&s->b, d->domid);
        put_u64(&s->b, d->mfn);
        put_u32(&s->b, d->port);
        if (d->target >= 0) {
            put_u8(&s->b, R_TARGET);
            put_u32(&s->b, d->domid);
            put_u32(&s->b, (uint32_t)d->target);
        }
        for (struct watch *w = d->conn ? d->conn->watches : NULL; w;
             w = w->conn_next)
            enc_watch(&s->b, d->domid, w->path, w->token,
                      (uint32_t)w->rel_off, true);
        if (s->b.len > (1u << 20))
            snap_flush(s);
    }
}

static int write_snapshot(void)
{
    struct snap s = { -1, { 0 }, false };
    struct stat st;

    s.fd = create_file("store.snap.tmp", SNAP_MAGIC, J.seq);
    if (s.fd < 0)
        return -1;
    tree_walk(snap_node, &s);
    snap_domains(&s);
    snap_flush(&s);
    free(s.b.p);
    if (s.err || install(s.fd, "store.snap.tmp", "store.snap")) {
        close(s.fd);
        return -1;
    }
    J.snap_bytes = fstat(s.fd, &st) ? 0 : (uint64_t)st.st_size;
    close(s.fd);
    return 0;
}

void journal_maybe_compact(void)
{
    if (!J.on || J.dirty || J.log_bytes < J.compact_bytes ||
        J.log_bytes < 2 * J.snap_bytes)
        return;
    /* J3: the new snapshot covers log J.seq; only then start J.seq + 1. */
    if (write_snapshot()) {
        log_msg("journal: compaction failed: %s", strerror(errno));
        return;
    }
    if (start_log(J.seq + 1)) {
        /* The old log is now stale: appending to it would lose data. */
        log_msg("journal: cannot start a new log: %s; exiting",
                strerror(errno));
        _exit(3);
    }
        log_msg("journal: compacted into a %llu-byte snapshot",
                (unsigned long long)J.snap_bytes);
}
