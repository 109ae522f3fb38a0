/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What unit tests link instead of main.c: the quota table, the event-loop
 * hooks (no loop), and an ops dispatcher stand-in is not needed since
 * ops.c is linked; only main.c's definitions are replaced here.
 */
#include "core.h"
#include "loop.h"

struct quota quota = {
    .nodes = 1000, .node_size = 2048, .watches = 128, .transactions = 10,
    .outstanding = 20, .perms = 5, .path_len = 2048, .tx_nodes = 1024,
};

void loop_add_conn(struct conn *c) { (void)c; }
void loop_del_conn(struct conn *c) { (void)c; }
void loop_update_conn(struct conn *c) { (void)c; }
