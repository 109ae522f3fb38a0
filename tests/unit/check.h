/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny framework for host unit tests. Each test case is a function
 * `static void test_<case>(void)` run by RUN_TEST(); it prints exactly
 *     PASS: unit/<module>/<case>
 *     FAIL: unit/<module>/<case> <file>:<line> <expr>
 * where the FAIL line names the first CHECK that failed. CHECK returns from
 * the function it is in; a helper that uses CHECK is called through
 * CHECK_CALL() so that its failure ends the test case too. CHECK_DIES(stmt)
 * runs stmt in a child process and checks that it ends in assert_failed()
 * (an ASSERT or BUG_ON firing), not in a clean exit or another crash.
 */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *check_module = "unknown";
static bool check_failed;
static char check_where[512];
static int check_nr_failed;

static inline void check_fail(const char *file, int line, const char *expr)
{
    if (!check_failed)
        snprintf(check_where, sizeof(check_where), "%s:%d %s", file, line,
                 expr);
    check_failed = true;
}

#define CHECK(e)                                                              \
    do {                                                                      \
        if (!(e)) {                                                           \
            check_fail(__FILE__, __LINE__, #e);                               \
            return;                                                           \
        }                                                                     \
    } while (0)

#define CHECK_CALL(call)                                                      \
    do {                                                                      \
        call;                                                                 \
        if (check_failed)                                                     \
            return;                                                           \
    } while (0)

/* Child side returns false (and runs the statement); parent returns true. */
static inline bool check_dies_fork(int *fd, pid_t *pid)
{
    int p[2];

    fflush(stdout);
    fflush(stderr);
    if (pipe(p) != 0)
        abort();
    *pid = fork();
    if (*pid < 0)
        abort();
    if (*pid == 0) {
        close(p[0]);
        dup2(p[1], 2);
        return false;
    }
    close(p[1]);
    *fd = p[0];
    return true;
}

static inline bool check_dies_wait(int fd, pid_t pid)
{
    char buf[4096];
    size_t len = 0;
    ssize_t r;
    int st;

    while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(fd);
    if (waitpid(pid, &st, 0) != pid)
        return false;
    return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT &&
           strstr(buf, "assert_failed:") != NULL;
}

#define CHECK_DIES(stmt)                                                      \
    do {                                                                      \
        int check_fd_;                                                        \
        pid_t check_pid_;                                                     \
        if (!check_dies_fork(&check_fd_, &check_pid_)) {                      \
            stmt;                                                             \
            _exit(0);                                                         \
        }                                                                     \
        if (!check_dies_wait(check_fd_, check_pid_)) {                        \
            check_fail(__FILE__, __LINE__, "CHECK_DIES(" #stmt ")");          \
            return;                                                           \
        }                                                                     \
    } while (0)

static inline void check_run(const char *name, void (*fn)(void))
{
    if (!strncmp(name, "test_", 5))
        name += 5;
    check_failed = false;
    fn();
    if (check_failed) {
        printf("FAIL: unit/%s/%s %s\n", check_module, name, check_where);
        check_nr_failed++;
    } else {
        printf("PASS: unit/%s/%s\n", check_module, name);
    }
    fflush(stdout);
}

#define RUN_TEST(fn) check_run(#fn, fn)

/* Deterministic xorshift PRNG, so a failure reproduces. */
static inline uint64_t check_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
