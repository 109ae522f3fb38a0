/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target of request handling: framed messages from the input go
 * through the real dispatcher (ops.c, txn.c, watch.c, tree.c...) as if
 * sent by dom0 or by an unprivileged domain, alternately; the store is
 * rebuilt for each input. Catches crashes, leaks and UB behind the parser,
 * and checks the tree's invariants (T1-T3) after every input.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "loop.h"
#include "store.h"
#include "tree.h"
#include "watch.h"

struct quota quota = {
    .nodes = 50, .node_size = 512, .watches = 8, .transactions = 3,
    .outstanding = 20, .perms = 5, .path_len = 256, .tx_nodes = 64,
};

void loop_add_conn(struct conn *c) { (void)c; }
void loop_del_conn(struct conn *c) { (void)c; }
void loop_update_conn(struct conn *c) { (void)c; }

static void free_conn(struct conn *c)
{
    conn_drop_state(c);
    conn_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conn *c[2];
    struct wire_in w;
    struct wire_req r;
    size_t off = 0, used;
    unsigned n = 0;

    tree_init();
    watch_init();
    store_bootstrap();
    c[0] = conn_new(CONN_SOCKET, 0, true, false);
    c[1] = conn_new(CONN_SOCKET, 5, false, false);
    wire_in_reset(&w);
    while (off < size && n < 256) {
        enum wire_status st = wire_in_feed(&w, data + off, size - off, &used);
        off += used;
        if (st != WIRE_MSG)
            break;
        struct conn *who = c[w.hdr.req_id & 1];
        if (!wire_decode(&w.hdr, w.payload, &r))
            ops_dispatch(who, &r);
        wire_in_reset(&w);
        n++;
    }
    assert(tree_check() == 0);
    free_conn(c[0]);
    free_conn(c[1]);
    tree_destroy();
    return 0;
}
