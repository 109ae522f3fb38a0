/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests of the ring discipline (ring.c, G1-G3) on a page in memory,
 * with a backend that only counts notifications.
 */
#include <stdlib.h>

#include "ring.h"
#include "unit.h"

static int notified;

static void count_notify(struct ring_port *rp)
{
    (void)rp;
    notified++;
}

static const struct ring_backend mem_be = { .name = "mem",
                                            .notify = count_notify };

static struct ring_port *make(XENSTORE_RING_IDX start)
{
    struct ring_port *rp = calloc(1, sizeof(*rp));

    rp->intf = calloc(1, sizeof(*rp->intf));
    rp->be = &mem_be;
    rp->intf->req_cons = rp->intf->req_prod = start;
    rp->intf->rsp_cons = rp->intf->rsp_prod = start;
    rp->rd = start;
    return rp;
}

static void drop(struct ring_port *rp)
{
    free(rp->intf);
    free(rp);
}

/* Guest side: put n bytes in the request ring. */
static void guest_put(struct ring_port *rp, const char *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        rp->intf->req[MASK_XENSTORE_IDX(rp->intf->req_prod + i)] = p[i];
    rp->intf->req_prod += n;
}

static void g2_wraparound_read_write(void)
{
    struct ring_port *rp = make(0xfffffff0u); /* indexes about to wrap */
    char msg[700], got[700];

    for (int i = 0; i < 700; i++)
        msg[i] = (char)i;
    guest_put(rp, msg, 700);
    CHECK_EQ_INT(ring_avail(rp), 700);
    CHECK_EQ_INT(ring_read(rp, got, 300), 300);
    CHECK_EQ_INT(ring_read(rp, got + 300, 1000), 400);
    CHECK(!memcmp(msg, got, 700));
    CHECK_EQ_INT(ring_write(rp, msg, 700), 700);
    CHECK_EQ_INT(ring_write(rp, msg, 700), 324); /* only what fits */
    for (int i = 0; i < 700; i++)
        got[i] = rp->intf->rsp[MASK_XENSTORE_IDX(0xfffffff0u + (uint32_t)i)];
    CHECK(!memcmp(msg, got, 700));
    drop(rp);
}

static void g1_bad_indexes(void)
{
    struct ring_port *rp = make(100);
    char b[16];

    rp->intf->req_prod = 100 + XENSTORE_RING_SIZE + 1;
    CHECK_EQ_INT(ring_avail(rp), -1);
    CHECK_EQ_INT(ring_read(rp, b, sizeof(b)), -1);
    rp->intf->req_prod = 100;
    rp->intf->rsp_cons = 100 + 5000; /* guest consumed more than produced */
    CHECK_EQ_INT(ring_write(rp, b, 1), -1);
    rp->intf->rsp_cons = 100;
    rp->intf->req_prod = 90; /* producer behind our read position */
    CHECK_EQ_INT(ring_avail(rp), -1);
    drop(rp);
}

static void g3_consume_only_forward_and_read(void)
{
    struct ring_port *rp = make(0);
    char b[64];

    guest_put(rp, "0123456789", 10);
    ring_read(rp, b, 6);
    CHECK_EQ_INT(ring_unconsumed(rp), 6);
    ring_consume_to(rp, 8); /* past what was read: refused */
    CHECK_EQ_INT(rp->intf->req_cons, 0);
    notified = 0;
    ring_consume_to(rp, 4);
    CHECK_EQ_INT(rp->intf->req_cons, 4);
    CHECK_EQ_INT(notified, 1);
    ring_consume_to(rp, 2); /* backwards: refused */
    CHECK_EQ_INT(rp->intf->req_cons, 4);
    drop(rp);
}

static void reconnect_resets(void)
{
    struct ring_port *rp = make(77);

    guest_put(rp, "abc", 3);
    rp->intf->connection = XENSTORE_RECONNECT;
    CHECK(ring_reconnect_requested(rp));
    ring_reset(rp);
    CHECK_EQ_INT(rp->intf->connection, XENSTORE_CONNECTED);
    CHECK_EQ_INT(rp->intf->req_prod - rp->intf->req_cons, 0);
    CHECK_EQ_INT(ring_avail(rp), 0);
    drop(rp);
}

int main(void)
{
    unit_suite = "stored/unit-ring";
    RUN(g2_wraparound_read_write);
    RUN(g1_bad_indexes);
    RUN(g3_consume_only_forward_and_read);
    RUN(reconnect_resets);
    return 0;
}
