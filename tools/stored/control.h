/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CONTROL requests: the daemon's own commands (log, quota, check...).
 */
#ifndef STORED_CONTROL_H
#define STORED_CONTROL_H

#include "core.h"

/* Run the command in r; text reply (NUL-terminated) in out. 0 or errno. */
int control_run(struct conn *c, const struct wire_req *r, char *out,
                size_t cap, uint32_t *len);
/* Set a quota by name ("nodes", "node-size", ...): 0 or EINVAL. */
int control_set_quota(const char *name, const char *value);

#endif
