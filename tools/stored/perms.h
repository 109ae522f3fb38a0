/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Node permissions: the "<r|w|b|n><domid>" strings of the wire protocol and
 * the access each gives a caller. Pure.
 */
#ifndef STORED_PERMS_H
#define STORED_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERM_NONE 0u
#define PERM_READ 1u
#define PERM_WRITE 2u
#define PERM_OWNER 4u
#define PERM_MAX_DOMID 65535u

struct perm {
    uint32_t id;
    uint32_t mode; /* PERM_READ | PERM_WRITE */
};

/* Who asks: privileged callers (dom0, the tools) get everything. */
struct perm_caller {
    uint32_t domid;
    bool priv;
    int32_t target; /* SET_TARGET: acts for this domain too; -1 none */
};

/* Parse one "b3"-style string: 0 or EINVAL. */
int perm_parse(const char *s, struct perm *out);
/* Format into buf (>= 16 bytes); returns its length without NUL. */
size_t perm_format(const struct perm *p, char *buf);

/*
 * Access a caller has to a node with these permissions: the owner (p[0])
 * has all; else the first entry naming the caller (or its target); else
 * p[0]'s mode is the default. Returns PERM_* bits, PERM_OWNER included.
 */
unsigned perm_for(const struct perm_caller *c, const struct perm *p,
                  unsigned n);

#endif
