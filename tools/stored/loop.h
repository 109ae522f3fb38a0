/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event loop's interface to connections (main.c implements it).
 */
#ifndef STORED_LOOP_H
#define STORED_LOOP_H

#include "core.h"

void loop_add_conn(struct conn *c);
void loop_del_conn(struct conn *c);
void loop_update_conn(struct conn *c);

/* conn.c, for the loop */
void conn_flush(struct conn *c);
bool conn_has_input(struct conn *c);

#endif
