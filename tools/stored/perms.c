/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Permission strings and the access rule.
 *  R1. p[0] names the owner; its mode is the default for unnamed domains.
 *  R2. The owner, privileged callers and a caller targeting the owner have
 *      read, write and owner rights.
 *  R3. Otherwise the first later entry naming the caller (or the domain it
 *      targets) decides; a caller named nowhere gets p[0]'s mode.
 */
#include <errno.h>
#include <stdio.h>

#include "perms.h"
#include "wire.h"

int perm_parse(const char *s, struct perm *out)
{
    uint64_t id;

    switch (s[0]) {
    case 'n':
        out->mode = PERM_NONE;
        break;
    case 'r':
        out->mode = PERM_READ;
        break;
    case 'w':
        out->mode = PERM_WRITE;
        break;
    case 'b':
        out->mode = PERM_READ | PERM_WRITE;
        break;
    default:
        return EINVAL;
    }
    if (wire_parse_uint(s + 1, PERM_MAX_DOMID, &id))
        return EINVAL;
    out->id = (uint32_t)id;
    return 0;
}

size_t perm_format(const struct perm *p, char *buf)
{
    static const char ch[4] = { 'n', 'r', 'w', 'b' };
    int n = snprintf(buf, 16, "%c%u", ch[p->mode & 3], p->id);
    return n < 0 ? 0 : (size_t)n;
}

static bool names(const struct perm_caller *c, uint32_t id)
{
    return id == c->domid || (c->target >= 0 && id == (uint32_t)c->target);
}

unsigned perm_for(const struct perm_caller *c, const struct perm *p,
                  unsigned n)
{
    const unsigned all = PERM_READ | PERM_WRITE | PERM_OWNER;

    if (c->priv || n == 0 || names(c, p[0].id))
        return all;
    for (unsigned i = 1; i < n; i++)
        if (names(c, p[i].id))
            return p[i].mode & (PERM_READ | PERM_WRITE);
    return p[0].mode & (PERM_READ | PERM_WRITE);
}
