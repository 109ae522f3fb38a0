// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console output and a tiny printf: %d %i %u %x %lx %ld %lu %llx %s %.Ns %c %p %%,
 * with '#', '0', '-', a width, and the l/ll/z length modifiers. Output goes
 * through console_io(CONSOLEIO_write), which Xen puts on its serial console
 * for dom0.
 */
#include "guest.h"

void putstr(const char *s)
{
    size_t n = strlen(s);

    while (n > 0) {
        long rc = HYPERVISOR_console_io(CONSOLEIO_write, n, s);
        if (rc <= 0)
            return;
        /* Xen 4.17 returns 0 on success; take that as "all written". */
        if (rc == 0 || (size_t)rc >= n)
            return;
        s += rc;
        n -= rc;
    }
}

struct out {
    char *buf;
    size_t n, len;
};

static void emit(struct out *o, char c)
{
    if (o->len + 1 < o->n)
        o->buf[o->len] = c;
    o->len++;
}

static void emit_num(struct out *o, unsigned long v, unsigned base, int neg,
                     int width, char pad, int left, const char *prefix)
{
    char tmp[24];
    int i = 0, len;

    do {
        tmp[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    len = i + (neg ? 1 : 0) + (int)strlen(prefix);
    if (pad == '0' || left) {
        if (neg)
            emit(o, '-');
        for (const char *p = prefix; *p; p++)
            emit(o, *p);
    }
    for (; !left && width > len; width--)
        emit(o, pad);
    if (pad != '0' && !left) {
        if (neg)
            emit(o, '-');
        for (const char *p = prefix; *p; p++)
            emit(o, *p);
    }
    while (i)
        emit(o, tmp[--i]);
    for (; left && width > len; width--)
        emit(o, ' ');
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(&o, *fmt);
            continue;
        }
        int alt = 0, left = 0, width = 0, lng = 0;
        char pad = ' ';
        for (fmt++;; fmt++) {
            if (*fmt == '#') alt = 1;
            else if (*fmt == '-') left = 1;
            else if (*fmt == '0') pad = '0';
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int prec = -1;
        if (*fmt == '.') {
            prec = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
                prec = prec * 10 + (*fmt - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd': case 'i': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            emit_num(&o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10,
                     v < 0, width, pad, left, "");
            break;
        }
        case 'u':
            emit_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
                     10, 0, width, pad, left, "");
            break;
        case 'x':
            emit_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
                     16, 0, width, pad, left, alt ? "0x" : "");
            break;
        case 'p':
            emit_num(&o, (unsigned long)va_arg(ap, void *), 16, 0, width, pad,
                     left, "0x");
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);
            for (; !left && width > len; width--)
                emit(&o, ' ');
            for (int i = 0; i < len; i++)
                emit(&o, s[i]);
            for (; left && width > len; width--)
                emit(&o, ' ');
            break;
        }
        case 'c':
            emit(&o, (char)va_arg(ap, int));
            break;
        case '%':
            emit(&o, '%');
            break;
        default:
            emit(&o, '%');
            if (!*fmt)
                fmt--;
            else
                emit(&o, *fmt);
        }
    }
    if (n)
        buf[o.len < n ? o.len : n - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    putstr(buf);
    return r;
}
