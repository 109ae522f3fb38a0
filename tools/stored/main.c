/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * satori-stored: options, start-up (replay, sockets, rings) and the event
 * loop.
 *
 * One round of the loop: wait for events; handle the requests of every
 * ready connection (a bounded number each); make the round's log batches
 * durable with one fdatasync; only then send replies and watch events;
 * maybe compact the log. Syncing once per round is the group commit that
 * lets many clients share one disk flush (journal.c, J1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "domain.h"
#include "journal.h"
#include "loop.h"
#include "ring.h"
#include "store.h"
#include "tree.h"
#include "watch.h"

#define BUDGET 64
#define TAG_RW 1
#define TAG_RO 2

/* Xen 4.17's defaults. */
struct quota quota = {
    .nodes = 1000, .node_size = 2048, .watches = 128, .transactions = 10,
    .outstanding = 20, .perms = 5, .path_len = XENSTORE_REL_PATH_MAX,
    .tx_nodes = 1024,
};

static struct {
    const char *socket, *ro_socket, *data_dir, *ring_dir, *pid_file, *log;
    bool foreground, persist;
    uint64_t compact_bytes;
} opt = {
    .socket = "/run/xenstored/socket",
    .ro_socket = "/run/xenstored/socket_ro",
    .data_dir = "/var/lib/satori-stored",
    .persist = true,
    .compact_bytes = 16u << 20,
};

static int epfd = -1;
static volatile sig_atomic_t stop;

void loop_add_conn(struct conn *c)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
    int fd = c->kind == CONN_SOCKET ? c->fd : c->ring->fd;

    c->ep_events = EPOLLIN;
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void loop_del_conn(struct conn *c)
{
    int fd = c->kind == CONN_SOCKET ? c->fd : (c->ring ? c->ring->fd : -1);

    if (fd >= 0)
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

void loop_update_conn(struct conn *c)
{
    struct epoll_event ev = { .data.ptr = c };

    if (c->dead || c->kind != CONN_SOCKET)
        return;
    ev.events = (conn_throttled(c) ? 0 : EPOLLIN) |
                (c->want_out ? EPOLLOUT : 0);
    if (ev.events == c->ep_events)
        return; /* no system call when nothing changed */
    c->ep_events = ev.events;
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static int listen_on(const char *path, uint32_t tag, mode_t mode)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };
    char dir[sizeof(sa.sun_path)];
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    strcpy(sa.sun_path, path);
    strcpy(dir, path);
    mkdir(dirname(dir), 0755);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
        chmod(path, mode) || listen(fd, 128) ||
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
        fprintf(stderr, "satori-stored: cannot listen on %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    return fd;
}

static void accept_on(int lfd, bool ro)
{
    struct conn *c;
    int fd;

    while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        /* O1 note: socket clients are the tools, i.e. dom0. */
        c = conn_new(CONN_SOCKET, 0, true, ro);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        loop_add_conn(c);
    }
}

static void reap(void)
{
    struct conn *c = conn_list, *next;

    for (; c; c = next) {
        next = c->next;
        if (c->dead)
            conn_free(c);
    }
}

static bool run_round(int lfd_rw, int lfd_ro, int timeout)
{
    struct epoll_event ev[64];
    bool again = false;
    int n = epoll_wait(epfd, ev, 64, timeout);

    for (int i = 0; i < n; i++) {
        if (ev[i].data.u64 == TAG_RW)
            accept_on(lfd_rw, false);
        else if (ev[i].data.u64 == TAG_RO)
            accept_on(lfd_ro, true);
        else
            ((struct conn *)ev[i].data.ptr)->pending = true;
    }
    for (struct conn *c = conn_list; c; c = c->next) {
        if (!c->pending || c->dead)
            continue;
        c->pending = false;
        if (c->kind == CONN_RING)
            ring_ack(c->ring);
        if (conn_process(c, BUDGET))
            c->pending = again = true;
    }
    journal_sync(); /* J1: durable before anything is said about it */
    for (struct conn *c = conn_list; c; c = c->next) {
        if (c->dead)
            continue;
        if (c->out_head)
            conn_flush(c);
        if (!c->pending && conn_has_input(c))
            c->pending = again = true;
        loop_update_conn(c);
    }
    journal_maybe_compact();
    reap();
    return again;
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: satori-stored [options]\n"
"  --socket PATH          read-write socket (/run/xenstored/socket)\n"
"  --ro-socket PATH       read-only socket (/run/xenstored/socket_ro)\n"
"  --data-dir DIR         log and snapshot (/var/lib/satori-stored)\n"
"  --no-persist           keep the store in memory only\n"
"  --ring-dir DIR         simulated domain rings (host testing)\n"
"  --compact-bytes N      compact the log past N bytes (16 MiB)\n"
"  --quota-nodes N        nodes per domain (1000)\n"
"  --quota-node-size N    bytes per node (2048)\n"
"  --quota-watches N      watches per domain (128)\n"
"  --quota-transactions N open transactions per domain (10)\n"
"  --quota-outstanding N  queued replies per domain (20)\n"
"  --quota-perms N        permission entries per node (5)\n"
"  --quota-path-len N     path bytes below a domain's home (2048)\n"
"  --quota-tx-nodes N     nodes one transaction may touch (1024)\n"
"  --foreground           do not detach\n"
"  --pid-file FILE        write the pid there\n"
"  --log FILE             log there (default stderr)\n"
"  --trace                log every request\n");
}

enum { O_SOCKET = 256, O_RO, O_DATA, O_NOPERSIST, O_RING, O_COMPACT, O_FG,
       O_PID, O_LOG, O_TRACE, O_HELP, O_QUOTA };

static const struct option longopts[] = {
    { "socket", 1, NULL, O_SOCKET }, { "ro-socket", 1, NULL, O_RO },
    { "data-dir", 1, NULL, O_DATA }, { "no-persist", 0, NULL, O_NOPERSIST },
    { "ring-dir", 1, NULL, O_RING }, { "compact-bytes", 1, NULL, O_COMPACT },
    { "foreground", 0, NULL, O_FG }, { "pid-file", 1, NULL, O_PID },
    { "log", 1, NULL, O_LOG },       { "trace", 0, NULL, O_TRACE },
    { "help", 0, NULL, O_HELP },
    { "quota-nodes", 1, NULL, O_QUOTA },
    { "quota-node-size", 1, NULL, O_QUOTA },
    { "quota-watches", 1, NULL, O_QUOTA },
    { "quota-transactions", 1, NULL, O_QUOTA },
    { "quota-outstanding", 1, NULL, O_QUOTA },
    { "quota-perms", 1, NULL, O_QUOTA },
    { "quota-path-len", 1, NULL, O_QUOTA },
    { "quota-tx-nodes", 1, NULL, O_QUOTA },
    { NULL, 0, NULL, 0 },
};

static int parse_one(int o, int idx)
{
    uint64_t v;

    switch (o) {
    case O_SOCKET: opt.socket = optarg; break;
    case O_RO: opt.ro_socket = optarg; break;
    case O_DATA: opt.data_dir = optarg; break;
    case O_NOPERSIST: opt.persist = false; break;
    case O_RING: opt.ring_dir = optarg; break;
    case O_FG: opt.foreground = true; break;
    case O_PID: opt.pid_file = optarg; break;
    case O_LOG: opt.log = optarg; break;
    case O_TRACE: trace_on = true; break;
    case O_COMPACT:
        if (wire_parse_uint(optarg, UINT64_MAX, &v))
            return -1;
        opt.compact_bytes = v;
        break;
    case O_QUOTA:
        return control_set_quota(longopts[idx].name + 6, optarg) ? -1 : 0;
    case O_HELP: usage(stdout); exit(0);
    default: return -1;
    }
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int setup_store(void)
{
    int r = 1;

    tree_init();
    watch_init();
    if (opt.ring_dir)
        ring_sim_set_dir(opt.ring_dir);
    if (opt.persist) {
        r = journal_open(opt.data_dir, opt.compact_bytes);
        if (r < 0) {
            fprintf(stderr, "satori-stored: data dir %s: %s\n", opt.data_dir,
                    strerror(-r));
            return -1;
        }
    }
    if (r == 1)
        store_bootstrap();
    journal_end_request();
    journal_sync();
    return 0;
}

/* Detach; the parent exits once the child is serving (or has failed). */
static int daemonize(int *ready)
{
    int p[2];
    char c = 1;
    pid_t pid;

    if (pipe(p))
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        close(p[1]);
        exit(read(p[0], &c, 1) == 1 && c == 0 ? 0 : 1);
    }
    close(p[0]);
    setsid();
    *ready = p[1];
    return 0;
}

static void ready_ok(int fd, bool ok)
{
    char c = ok ? 0 : 1;
    int devnull;

    if (fd < 0)
        return;
    if (write(fd, &c, 1) != 1)
        return;
    close(fd);
    devnull = open("/dev/null", O_RDWR);
    if (ok && devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        if (opt.log)
            dup2(devnull, 2);
    }
    if (devnull > 2)
        close(devnull);
}

static void write_pid(void)
{
    FILE *f = opt.pid_file ? fopen(opt.pid_file, "w") : NULL;

    if (f) {
        fprintf(f, "%d\n", (int)getpid());
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    int o, idx = 0, ready = -1, lrw, lro;

    while ((o = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        if (parse_one(o, idx)) {
            usage(stderr);
            return 2;
        }
    }
    if (!opt.foreground && daemonize(&ready))
        return 1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    if (opt.log)
        log_open(opt.log);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0 || setup_store()) {
        ready_ok(ready, false);
        return 1;
    }
    lrw = listen_on(opt.socket, TAG_RW, 0600);
    lro = listen_on(opt.ro_socket, TAG_RO, 0660);
    if (lrw < 0 || lro < 0) {
        ready_ok(ready, false);
        return 1;
    }
    domain_restore_all();
    write_pid();
    log_msg("satori-stored: serving %s (%zu nodes)", opt.socket,
            tree_count());
    ready_ok(ready, true);
    for (bool again = true; !stop;)
        again = run_round(lrw, lro, again ? 0 : -1);
    journal_sync();
    unlink(opt.socket);
    unlink(opt.ro_socket);
    log_msg("satori-stored: stopped");
    return 0;
}
