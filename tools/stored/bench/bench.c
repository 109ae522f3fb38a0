/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * satori-stored benchmark (not a pass/fail test): starts a daemon with a
 * durable data directory in a temporary folder, fills it with 10k and then
 * 100k nodes, and reports reads/s, writes/s and transactions/s from 1 and 8
 * concurrent socket clients, and the latency from a write to its watch
 * event.
 * Usage: bench --daemon PATH [--seconds S] [--store durable|memory]
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xsc.h"

enum op { OP_READ, OP_WRITE, OP_TX };

static const char *sock_path;
static bool in_memory;
static double run_seconds = 1.5;
static size_t nnodes;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void node_path(char *buf, size_t n, size_t i)
{
    snprintf(buf, n, "/bench/n/%zu/%zu", i / 100, i);
}

/* Fill up to `upto` nodes, pipelining 64 writes at a time. */
static int populate(struct xsc *x, size_t from, size_t upto)
{
    char buf[128];
    struct xsc_msg m;

    for (size_t i = from; i < upto; i += 64) {
        size_t n = upto - i < 64 ? upto - i : 64;
        for (size_t k = 0; k < n; k++) {
            int len;
            node_path(buf, sizeof(buf), i + k);
            len = (int)strlen(buf) + 1;
            len += snprintf(buf + len, sizeof(buf) - (size_t)len, "value-%zu",
                            i + k);
            if (xsc_send(x, XS_WRITE, 0, buf, (uint32_t)len, NULL))
                return -1;
        }
        for (size_t k = 0; k < n; k++) {
            if (xsc_recv(x, &m, 10000))
                return -1;
            xsc_msg_free(&m);
        }
    }
    return 0;
}

struct worker {
    pthread_t th;
    enum op op;
    unsigned seed;
    volatile int *go;
    long done;
};

static int one_op(struct xsc *x, enum op op, unsigned *seed)
{
    char path[64], *v;
    uint32_t tx;
    int r;

    node_path(path, sizeof(path), (size_t)rand_r(seed) % nnodes);
    switch (op) {
    case OP_READ:
        r = xsc_read(x, 0, path, &v, NULL);
        if (!r)
            free(v);
        return r;
    case OP_WRITE:
        return xsc_writes(x, 0, path, "overwritten");
    default:
        if ((r = xsc_tx_start(x, &tx)))
            return r;
        if (!xsc_read(x, tx, path, &v, NULL))
            free(v);
        xsc_writes(x, tx, path, "in-a-transaction");
        return xsc_tx_end(x, tx, true);
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct xsc *x = xsc_open(sock_path);

    while (x && !*w->go)
        ;
    while (x && *w->go == 1)
        if (!one_op(x, w->op, &w->seed))
            w->done++;
    xsc_close(x);
    return NULL;
}

static double measure(enum op op, int clients)
{
    struct worker w[16];
    volatile int go = 0;
    long total = 0;
    double t0;

    for (int i = 0; i < clients; i++) {
        w[i] = (struct worker){ .op = op, .seed = (unsigned)i * 7919u + 1,
                                .go = &go };
        pthread_create(&w[i].th, NULL, work, &w[i]);
    }
    usleep(100000);
    t0 = now();
    go = 1;
    usleep((useconds_t)(run_seconds * 1e6));
    go = 2;
    double t = now() - t0;
    for (int i = 0; i < clients; i++) {
        pthread_join(w[i].th, NULL);
        total += w[i].done;
    }
    return (double)total / t;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void watch_latency(void)
{
    struct xsc *w = xsc_open(sock_path), *c = xsc_open(sock_path);
    double lat[300];
    char *p, *t;
    int n = 0;

    if (!w || !c || xsc_watch(w, "/bench/lat", "lat") ||
        xsc_event(w, &p, &t, 2000))
        return;
    free(p);
    free(t);
    for (int i = 0; i < 300; i++) {
        double t0 = now();
        if (xsc_writes(c, 0, "/bench/lat/x", "v") ||
            xsc_event(w, &p, &t, 2000))
            break;
        lat[n++] = (now() - t0) * 1e6;
        free(p);
        free(t);
    }
    qsort(lat, (size_t)n, sizeof(double), cmp_d);
    if (n)
        printf("watch latency (write sent -> event received, %d samples): "
               "median %.0f us, p99 %.0f us\n",
               n, lat[n / 2], lat[n * 99 / 100]);
    xsc_close(w);
    xsc_close(c);
}

static pid_t start_daemon(const char *bin, const char *dir)
{
    char data[600], ro[600], log[600];
    pid_t pid;

    snprintf(data, sizeof(data), "%s/data", dir);
    snprintf(ro, sizeof(ro), "%s/sock_ro", dir);
    snprintf(log, sizeof(log), "%s/log", dir);
    pid = fork();
    if (pid == 0) {
        execl(bin, bin, "--foreground", "--socket", sock_path, "--ro-socket",
              ro, "--data-dir", data, "--log", log,
              in_memory ? "--no-persist" : NULL, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        struct xsc *x = xsc_open(sock_path);
        if (x) {
            xsc_close(x);
            return pid;
        }
        usleep(10000);
    }
    return -1;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = { 10000, 100000 };
    static const char *names[] = { "reads", "writes", "transactions" };
    const char *bin = NULL;
    char dir[] = "/tmp/stored-bench.XXXXXX", sock[600];
    struct xsc *x;
    pid_t pid;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--daemon"))
            bin = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds"))
            run_seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--store"))
            in_memory = !strcmp(argv[i + 1], "memory");
    }
    if (!bin || !mkdtemp(dir)) {
        fprintf(stderr, "usage: bench --daemon PATH [--seconds S]\n");
        return 2;
    }
    snprintf(sock, sizeof(sock), "%s/sock", dir);
    sock_path = sock;
    pid = start_daemon(bin, dir);
    x = pid > 0 ? xsc_open(sock) : NULL;
    if (!x) {
        fprintf(stderr, "bench: daemon did not start\n");
        return 1;
    }
    printf("satori-stored bench: %s, %.1f s per figure\n",
           in_memory ? "in-memory store (--no-persist)"
                     : "durable store (fdatasync before replies)",
           run_seconds);
    for (size_t s = 0; s < 2; s++) {
        double t0 = now();
        if (populate(x, nnodes, sizes[s]))
            return 1;
        printf("store filled to %zu nodes (%.0f writes/s pipelined)\n",
               sizes[s], (double)(sizes[s] - nnodes) / (now() - t0));
        nnodes = sizes[s];
        for (int op = 0; op < 3; op++)
            for (int clients = 1; clients <= 8; clients *= 8)
                printf("  %6zu nodes  %-12s %d client%s  %9.0f ops/s\n",
                       nnodes, names[op], clients, clients > 1 ? "s" : " ",
                       measure((enum op)op, clients));
    }
    watch_latency();
    xsc_close(x);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd))
        return 0;
    return 0;
}
