/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Path rules of the store, as Xen documents them:
 *  P1. A path is "/" or "/"-separated components of [A-Za-z0-9_@-]; no
 *      empty component, so no "//" and no trailing "/".
 *  P2. An absolute path is at most XENSTORE_ABS_PATH_MAX bytes.
 *  P3. A relative path ("x/y") means /local/domain/<caller>/x/y.
 *  P4. Names starting with '@' are special watch/permission names, valid
 *      only where the caller allows them, with any syntax of allowed chars.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "path.h"

static bool valid_chars(const char *p)
{
    for (; *p; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
            c == '@')
            continue;
        return false;
    }
    return true;
}

int path_check(const char *p)
{
    size_t n = strlen(p);

    if (n == 0 || p[0] != '/' || n > XENSTORE_ABS_PATH_MAX)
        return EINVAL;
    if (!valid_chars(p) || strstr(p, "//"))
        return EINVAL;
    if (n > 1 && p[n - 1] == '/')
        return EINVAL;
    return 0;
}

size_t path_home(uint32_t domid, char *out, size_t n)
{
    int r = snprintf(out, n, "/local/domain/%u", domid);
    return r < 0 ? 0 : (size_t)r;
}

static int special_check(const char *in, char *out)
{
    size_t n = strlen(in);

    if (n > XENSTORE_REL_PATH_MAX || !valid_chars(in))
        return EINVAL;
    memcpy(out, in, n + 1);
    return 0;
}

int path_canon(const char *in, uint32_t domid, bool allow_special,
               size_t rel_max, char *out, bool *relative)
{
    size_t home, n = strlen(in);

    *relative = false;
    if (in[0] == '@')
        return allow_special ? special_check(in, out) : EINVAL;
    if (n == 0 || n > XENSTORE_ABS_PATH_MAX)
        return EINVAL;
    home = path_home(domid, out, PATH_BUF);
    if (in[0] == '/') {
        memcpy(out, in, n + 1);
    } else {
        *relative = true;
        if (home + 1 + n >= PATH_BUF)
            return EINVAL;
        out[home] = '/';
        memcpy(out + home + 1, in, n + 1);
    }
    if (path_check(out))
        return EINVAL;
    if (rel_max) {
        /* The quota counts only what lies below the domain's own home. */
        size_t len = strlen(out);
        if (!strncmp(out, "/local/domain/", 14)) {
            const char *q = out + 14;
            while (*q >= '0' && *q <= '9')
                q++;
            if (*q == '/')
                len -= (size_t)(q + 1 - out);
        }
        if (len > rel_max)
            return EINVAL;
    }
    return 0;
}

void path_parent(const char *p, char *out)
{
    const char *slash = strrchr(p, '/');
    size_t n;

    if (!slash || slash == p) {
        strcpy(out, "/");
        return;
    }
    n = (size_t)(slash - p);
    memmove(out, p, n);
    out[n] = '\0';
}

const char *path_base(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

bool path_is_child(const char *child, const char *parent)
{
    size_t n = strlen(parent);

    if (!strcmp(parent, "/"))
        return child[0] == '/';
    if (strncmp(child, parent, n))
        return false;
    return child[n] == '/' || child[n] == '\0';
}
