/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0's micro-benchmarks (make bench, tests/bench/linux.sh): a static
 * program in the initramfs that /init runs when the kernel command line has
 * satori.bench=1. The same binary runs in a PV dom0 on Satori, on Xen 4.17,
 * and on bare (emulated) hardware, so the ratios show the hypervisor's cost
 * on the paths a PV kernel takes through it: process creation (page-table
 * pinning, mmu_update batches), page faults (PTE writes), system calls (the
 * syscall bounce through the hypervisor) and context switches (stack switch,
 * new CR3, FPU).
 *
 * Each benchmark runs WARMUP operations, then OPS timed ones, and prints
 *
 *     dom0-bench: NAME OPS ops NS ns/op
 *
 * (CLOCK_MONOTONIC, integer nanoseconds per operation). A benchmark that
 * fails prints "dom0-bench: NAME failed: REASON" and the next one runs;
 * the last line is "dom0-bench: done in S s". Figures only, no verdicts.
 *
 * The counts are fixed and sized for QEMU under TCG, where a PV dom0's
 * fork+exec costs ~40 ms: the whole run stays under a minute there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAULT_AREA (64UL << 20) /* bytes mapped and touched per round */
#define PAGE 4096UL

/* One operation; returns 0, or -1 with errno set. */
typedef int (*op_fn)(void);

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Waits for child PID and checks it exited with status 0. */
static int reap(pid_t pid)
{
    int status;

    if (waitpid(pid, &status, 0) != pid)
        return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        return -1;
    }
    return 0;
}

static int fork_exit(void)
{
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(0);
    return reap(pid);
}

static int fork_exec(void)
{
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    return reap(pid);
}

/* One round of page faults: map FAULT_AREA, write each page, unmap. */
static int fault_round(void)
{
    volatile char *p = mmap(NULL, FAULT_AREA, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return -1;
    for (unsigned long off = 0; off < FAULT_AREA; off += PAGE)
        p[off] = 1;
    return munmap((void *)p, FAULT_AREA);
}

static int null_syscall(void)
{
    syscall(SYS_getppid); /* syscall(): glibc never answers it itself */
    return 0;
}

/* Pipe ping-pong: the parent writes a byte, the child echoes it back. */
static int ping[2], pong[2];

static int round_trip(void)
{
    char c = 'x';

    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
        return -1;
    return 0;
}

static void echo_child(void)
{
    char c;

    close(ping[1]);
    close(pong[0]);
    while (read(ping[0], &c, 1) == 1)
        if (write(pong[1], &c, 1) != 1)
            break;
    _exit(0);
}

/*
 * Runs FN WARMUP times, then OPS times under the clock, and prints the cost
 * of one of UNITS_PER_OP units (pages for the fault benchmark) per unit.
 */
static void bench(const char *name, op_fn fn, long warmup, long ops, long units_per_op)
{
    for (long i = 0; i < warmup; i++) {
        if (fn() < 0)
            goto failed;
    }
    uint64_t t0 = now_ns();
    for (long i = 0; i < ops; i++) {
        if (fn() < 0)
            goto failed;
    }
    uint64_t ns = now_ns() - t0;
    long units = ops * units_per_op;
    printf("dom0-bench: %s %ld ops %llu ns/op\n", name, units,
           (unsigned long long)((ns + units / 2) / units));
    return;
failed:
    printf("dom0-bench: %s failed: %s\n", name, strerror(errno));
}

static void bench_pipe(long warmup, long ops)
{
    if (pipe(ping) < 0 || pipe(pong) < 0) {
        printf("dom0-bench: pipe_round_trip failed: %s\n", strerror(errno));
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        printf("dom0-bench: pipe_round_trip failed: %s\n", strerror(errno));
        return;
    }
    if (pid == 0)
        echo_child();
    close(ping[0]);
    close(pong[1]);
    bench("pipe_round_trip", round_trip, warmup, ops, 1);
    close(ping[1]); /* the child sees EOF and exits */
    close(pong[0]);
    reap(pid);
}

int main(void)
{
    uint64_t start = now_ns();

    setvbuf(stdout, NULL, _IOLBF, 0);
    bench("fork_exit", fork_exit, 20, 200, 1);
    bench("fork_exec", fork_exec, 20, 200, 1);
    bench("page_fault", fault_round, 1, 4, FAULT_AREA / PAGE);
    bench("getppid", null_syscall, 10000, 200000, 1);
    bench_pipe(1000, 10000);
    printf("dom0-bench: done in %.1f s\n", (double)(now_ns() - start) / 1e9);
    return 0;
}
