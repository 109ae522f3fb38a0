/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test helper: compresses a buffer with a host tool (gzip, xz) through a
 * temporary file, so the decoders are checked against the reference
 * encoders. Needs the packages in scripts/deps/decompress.list.
 */
#ifndef TESTS_UNIT_HOST_COMPRESS_H
#define TESTS_UNIT_HOST_COMPRESS_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Runs "<cmd> < tmpfile" and returns its malloc'd stdout; NULL on error. */
static inline uint8_t *host_compress(const char *cmd, const void *data,
                                     size_t len, size_t *out_len)
{
    char path[] = "/tmp/satori-unit-XXXXXX", line[512];
    int fd = mkstemp(path);
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    FILE *p;

    if (fd < 0)
        return NULL;
    if (len && write(fd, data, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    snprintf(line, sizeof(line), "%s < %s", cmd, path);
    p = popen(line, "r");
    if (!p) {
        unlink(path);
        return NULL;
    }
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
        }
        got = fread(buf + n, 1, cap - n, p);
        n += got;
    } while (got);
    if (pclose(p) != 0) {
        free(buf);
        buf = NULL;
    }
    unlink(path);
    *out_len = n;
    return buf;
}

static inline bool host_has(const char *tool)
{
    char line[128];

    snprintf(line, sizeof(line), "command -v %s >/dev/null 2>&1", tool);
    return system(line) == 0;
}

/* Fills buf: kind 0 random bytes, 1 compressible text-like, 2 zeros. */
static inline void fill_data(uint8_t *buf, size_t len, int kind, uint64_t seed)
{
    static const char *words[] = { "satori ", "xen ", "domain ", "page ",
                                   "\n", "grant ", "event ", "0x1000 " };
    uint64_t s = seed | 1;
    size_t i = 0;

    while (i < len) {
        if (kind == 0) {
            buf[i++] = (uint8_t)check_rand(&s);
        } else if (kind == 2) {
            buf[i++] = 0;
        } else {
            const char *w = words[check_rand(&s) % 8];

            while (*w && i < len)
                buf[i++] = (uint8_t)*w++;
        }
    }
}

#endif
