/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated ring backend, for testing domains on the host. A "domain"
 * is a test process that shares with the daemon, in the ring directory:
 *   page-<mfn>         a file of at least 4096 bytes: the shared page,
 *   evtchn-<port>.up   a FIFO: a byte written means "guest signalled",
 *   evtchn-<port>.down a FIFO: a byte written means "store signalled".
 * INTRODUCE <domid> <mfn> <port> maps those; a missing file is EINVAL, as
 * a bad MFN or port would be on Xen. FIFOs are opened read-write so that
 * neither side ever sees end-of-file or blocks in open().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring.h"

struct sim {
    int up, down;
};

static char sim_dir[PATH_MAX] = "";

void ring_sim_set_dir(const char *dir)
{
    snprintf(sim_dir, sizeof(sim_dir), "%s", dir);
}

static void *map_page(uint64_t mfn)
{
    char path[PATH_MAX + 64];
    struct stat st;
    void *p;
    int fd;

    snprintf(path, sizeof(path), "%s/page-%llu", sim_dir,
             (unsigned long long)mfn);
    fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 4096) {
        close(fd);
        return NULL;
    }
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static int open_fifo(uint32_t port, const char *dir)
{
    char path[PATH_MAX + 64];
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "%s/evtchn-%u.%s", sim_dir, port, dir);
    fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &st) || !S_ISFIFO(st.st_mode))) {
        close(fd);
        return -1;
    }
    return fd;
}

static int sim_attach(struct ring_port *rp, uint32_t domid, uint64_t mfn,
                      uint32_t port)
{
    struct sim *s;

    (void)domid;
    if (!sim_dir[0])
        return EINVAL;
    s = calloc(1, sizeof(*s));
    if (!s)
        return ENOMEM;
    rp->intf = map_page(mfn);
    s->up = open_fifo(port, "up");
    s->down = open_fifo(port, "down");
    if (!rp->intf || s->up < 0 || s->down < 0) {
        if (rp->intf)
            munmap(rp->intf, 4096);
        if (s->up >= 0)
            close(s->up);
        if (s->down >= 0)
            close(s->down);
        free(s);
        rp->intf = NULL;
        return EINVAL;
    }
    rp->priv = s;
    rp->fd = s->up;
    return 0;
}

static void sim_detach(struct ring_port *rp)
{
    struct sim *s = rp->priv;

    munmap(rp->intf, 4096);
    close(s->up);
    close(s->down);
    free(s);
}

static void sim_notify(struct ring_port *rp)
{
    struct sim *s = rp->priv;
    char c = 1;

    /* A full FIFO already holds a pending signal: nothing is lost. */
    if (write(s->down, &c, 1) < 0 && errno != EAGAIN)
        return;
}

static void sim_ack(struct ring_port *rp)
{
    struct sim *s = rp->priv;
    char buf[256];

    while (read(s->up, buf, sizeof(buf)) > 0)
        ;
}

const struct ring_backend ring_sim_backend = {
    .name = "sim",
    .attach = sim_attach,
    .detach = sim_detach,
    .notify = sim_notify,
    .ack = sim_ack,
};
