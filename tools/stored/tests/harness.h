/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Starting, killing and talking to a satori-stored under test, in a private
 * directory: its sockets, data directory and simulated rings live there.
 */
#ifndef STORED_TEST_HARNESS_H
#define STORED_TEST_HARNESS_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xsc.h"

static struct {
    const char *bin;
    char dir[512], sock[600], ro[600], data[600], rings[600], log[600];
    pid_t pid;
} H;

static inline void h_sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static inline void h_setup(const char *bin, const char *dir)
{
    H.bin = bin;
    snprintf(H.dir, sizeof(H.dir), "%s", dir);
    mkdir(dir, 0700);
    snprintf(H.sock, sizeof(H.sock), "%s/sock", dir);
    snprintf(H.ro, sizeof(H.ro), "%s/sock_ro", dir);
    snprintf(H.data, sizeof(H.data), "%s/data", dir);
    snprintf(H.rings, sizeof(H.rings), "%s/rings", dir);
    snprintf(H.log, sizeof(H.log), "%s/daemon.log", dir);
    mkdir(H.rings, 0700);
}

/* Start the daemon with extra options (NULL-terminated); 0 once it answers. */
static inline int h_start(const char *const *extra)
{
    const char *argv[32] = { H.bin, "--foreground", "--socket", H.sock,
                             "--ro-socket", H.ro, "--data-dir", H.data,
                             "--ring-dir", H.rings, "--log", H.log };
    int n = 12;

    for (; extra && *extra && n < 31; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    H.pid = fork();
    if (H.pid == 0) {
        execv(H.bin, (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        struct xsc *x = xsc_open(H.sock);
        if (x) {
            xsc_close(x);
            return 0;
        }
        h_sleep_ms(10);
    }
    return -1;
}

/* Is the daemon still running (not crashed)? */
static inline int h_alive(void)
{
    int st;

    return H.pid > 0 && waitpid(H.pid, &st, WNOHANG) == 0;
}

static inline void h_kill(int sig)
{
    int st;

    if (H.pid <= 0)
        return;
    kill(H.pid, sig);
    waitpid(H.pid, &st, 0);
    H.pid = 0;
}

#endif
