/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Store paths: validation, canonicalisation of relative paths against a
 * domain's home (/local/domain/<id>), parent and base names. Pure.
 */
#ifndef STORED_PATH_H
#define STORED_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/xs_wire.h"

#define PATH_BUF (XENSTORE_ABS_PATH_MAX + 64)

/*
 * Turn a request's path into the absolute one in out[PATH_BUF].
 * Relative paths are taken against /local/domain/<domid>. '@' names are
 * accepted only when allow_special. rel_max bounds the length past the
 * domain's home (0: no bound). Returns 0 or EINVAL.
 */
int path_canon(const char *in, uint32_t domid, bool allow_special,
               size_t rel_max, char *out, bool *relative);

/* Syntax of an absolute path: 0 or EINVAL. */
int path_check(const char *p);

/* Parent of an absolute path other than "/", into out[PATH_BUF]. */
void path_parent(const char *p, char *out);
const char *path_base(const char *p);

/* Is child equal to or below parent? ("/" is above everything.) */
bool path_is_child(const char *child, const char *parent);

/* Length of "/local/domain/<domid>" for this domid. */
size_t path_home(uint32_t domid, char *out, size_t n);

#endif
