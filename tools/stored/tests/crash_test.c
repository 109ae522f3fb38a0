/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Durability under kill -9 (journal.c, J1-J3): writers hammer the daemon
 * with plain writes and two-key transactions, the daemon is killed with
 * SIGKILL at a random moment, restarted on the same data directory, and
 * every acknowledged write must be there, every acknowledged transaction
 * whole, and no transaction half-applied. A small compaction threshold
 * makes snapshots and log rotation happen during the run.
 * Usage: crash_test <satori-stored> <work-dir>
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"
#include "unit.h"

#define WRITERS 4
#define ROUNDS 3

static volatile int *acked; /* [WRITERS]: last acknowledged index, -1 none */

static void writer(int round, int w)
{
    struct xsc *x = xsc_open(H.sock);
    char path[128], val[64];
    uint32_t tx;

    if (!x)
        _exit(0);
    xsc_set_timeout(x, 2000);
    for (int i = 0;; i++) {
        snprintf(path, sizeof(path), "/crash/r%d/w%d/k%d", round, w, i);
        snprintf(val, sizeof(val), "value-%d-%d-%d", round, w, i);
        if (i % 10 == 9) {
            if (xsc_tx_start(x, &tx))
                break;
            xsc_writes(x, tx, path, val);
            strcat(path, "-pair");
            xsc_writes(x, tx, path, val);
            int r = xsc_tx_end(x, tx, true);
            if (r < 0 || (r && r != EAGAIN))
                break;
            if (r == EAGAIN) { /* retry the same index */
                i--;
                continue;
            }
        } else if (xsc_writes(x, 0, path, val)) {
            break;
        }
        acked[w] = i;
    }
    _exit(0);
}

static int verify(int round, int w, int upto, char *why, size_t cap)
{
    struct xsc *x = xsc_open(H.sock);
    char path[128], val[64], *v;
    int bad = 0;

    for (int i = 0; x && i <= upto + 1 && !bad; i++) {
        snprintf(path, sizeof(path), "/crash/r%d/w%d/k%d", round, w, i);
        snprintf(val, sizeof(val), "value-%d-%d-%d", round, w, i);
        int r1 = xsc_read(x, 0, path, &v, NULL);
        if (!r1) {
            bad = strcmp(v, val) != 0;
            free(v);
        }
        if (i <= upto && r1) {
            snprintf(why, cap, "acknowledged %s lost (%s)", path,
                     xsc_errname(r1));
            bad = 1;
        }
        if (i % 10 == 9) {
            strcat(path, "-pair");
            int r2 = xsc_read(x, 0, path, &v, NULL);
            if (!r2)
                free(v);
            if (!r1 != !r2) {
                snprintf(why, cap, "transaction %s half applied", path);
                bad = 1;
            }
        }
    }
    xsc_close(x);
    return x ? bad : 1;
}

static void crash_round(int round)
{
    pid_t pids[WRITERS];
    char why[256] = "";
    unsigned seed = (unsigned)time(NULL) + (unsigned)round;
    int total = 0, st;

    for (int w = 0; w < WRITERS; w++) {
        acked[w] = -1;
        pids[w] = fork();
        if (pids[w] == 0)
            writer(round, w);
    }
    h_sleep_ms(400 + (int)(rand_r(&seed) % 600));
    h_kill(SIGKILL);
    for (int w = 0; w < WRITERS; w++)
        waitpid(pids[w], &st, 0);
    CHECK_EQ_INT(h_start((const char *const[]){ "--compact-bytes", "65536",
                                                NULL }), 0);
    for (int w = 0; w < WRITERS && !unit_why[0]; w++) {
        if (verify(round, w, acked[w], why, sizeof(why)))
            CHECK(!why[0] && "verification failed");
        total += acked[w] + 1;
    }
    if (why[0] && !unit_why[0])
        snprintf(unit_why, sizeof(unit_why), "%s", why);
    CHECK(total > 20); /* the writers really wrote */
    printf("# crash round %d: %d acknowledged writes verified\n", round,
           total);
}

static void kill9_round_1(void) { crash_round(1); }
static void kill9_round_2(void) { crash_round(2); }
static void kill9_round_3(void) { crash_round(3); }

static void earlier_rounds_survive_later_crashes(void)
{
    char why[256] = "";

    /* Round 1's acknowledged writes survived two more crashes (and
     * compactions): check its first writer's first keys again. */
    CHECK(!verify(1, 0, 5, why, sizeof(why)));
}

static void compaction_happened(void)
{
    char p[700];
    struct stat st;

    snprintf(p, sizeof(p), "%s/store.snap", H.data);
    CHECK(stat(p, &st) == 0 && st.st_size > 0);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    unit_suite = "stored/crash";
    acked = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    h_setup(argv[1], argv[2]);
    if (h_start((const char *const[]){ "--compact-bytes", "65536", NULL })) {
        printf("FAIL: stored/crash/start the daemon did not come up\n");
        return 1;
    }
    RUN(kill9_round_1);
    RUN(kill9_round_2);
    RUN(kill9_round_3);
    RUN(earlier_rounds_survive_later_crashes);
    RUN(compaction_happened);
    h_kill(SIGTERM);
    return 0;
}
