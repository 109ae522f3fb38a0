/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vsnprintf for the console: %d %i %u %x %X %o %c %s %p %% with the l, ll,
 * z and h length modifiers, field width, '-' and '0' flags and precision for
 * strings; %pS prints a text address as symbol+offset/size. The output is
 * always NUL-terminated when size > 0; the return value is the length the
 * full output would have had, as in C99.
 */
#include <satori/lib.h>
#include <satori/string.h>
#include <satori/symbols.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    int width;
    int precision;
    bool left;
    bool zero;
};

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    if (!sp->left)
        while (pad-- > 0)
            put(o, sp->zero ? '0' : ' ');
    while (n--)
        put(o, *s++);
    if (sp->left)
        while (pad-- > 0)
            put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned int base,
                       bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int i = sizeof(tmp);

    do {
        tmp[--i] = digits[v % base];
        v /= base;
    } while (v);
    if (negative) {
        if (sp->zero && sp->width > 0) {
            /* the sign goes before the zero padding */
            struct spec rest = *sp;
            put(o, '-');
            rest.width--;
            put_padded(o, tmp + i, sizeof(tmp) - i, &rest);
            return;
        }
        tmp[--i] = '-';
    }
    put_padded(o, tmp + i, sizeof(tmp) - i, sp);
}

static void put_symbol(struct out *o, uint64_t addr, const struct spec *sp)
{
    char sym[128];
    size_t n = symbols_describe(addr, sym, sizeof(sym));

    put_padded(o, sym, n, sp);
}

static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    sp->width = 0;
    sp->precision = -1;
    sp->left = sp->zero = false;
    for (;; fmt++) {
        if (*fmt == '-')
            sp->left = true;
        else if (*fmt == '0')
            sp->zero = true;
        else
            break;
    }
    if (*fmt == '*') {
        sp->width = va_arg(*ap, int);
        fmt++;
    }
    while (*fmt >= '0' && *fmt <= '9')
        sp->width = sp->width * 10 + (*fmt++ - '0');
    if (*fmt == '.') {
        sp->precision = 0;
        fmt++;
        if (*fmt == '*') {
            sp->precision = va_arg(*ap, int);
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp->precision = sp->precision * 10 + (*fmt++ - '0');
    }
    return fmt;
}

/* Reads an integer argument of the size given by the length modifier. */
static uint64_t fetch_int(va_list *ap, int lmod, bool is_signed, bool *negative)
{
    int64_t s;

    *negative = false;
    if (!is_signed) {
        if (lmod >= 1)
            return va_arg(*ap, uint64_t);
        return lmod == -1 ? (uint16_t)va_arg(*ap, unsigned int) : va_arg(*ap, unsigned int);
    }
    s = lmod >= 1 ? va_arg(*ap, int64_t) : va_arg(*ap, int);
    if (lmod == -1)
        s = (int16_t)s;
    if (s < 0) {
        *negative = true;
        return -(uint64_t)s;
    }
    return s;
}

static void format_one(struct out *o, char conv, int lmod, const struct spec *sp,
                       va_list *ap, const char **fmtp)
{
    bool neg;
    uint64_t v;
    const char *s;

    switch (conv) {
    case 'd':
    case 'i':
        v = fetch_int(ap, lmod, true, &neg);
        put_number(o, v, neg, 10, false, sp);
        break;
    case 'u': case 'x': case 'X': case 'o':
        v = fetch_int(ap, lmod, false, &neg);
        put_number(o, v, false, conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X', sp);
        break;
    case 'c':
        put(o, (char)va_arg(*ap, int));
        break;
    case 's':
        s = va_arg(*ap, const char *);
        if (!s)
            s = "(null)";
        put_padded(o, s, sp->precision >= 0 ? strnlen(s, sp->precision) : strlen(s), sp);
        break;
    case 'p':
        v = (uint64_t)va_arg(*ap, void *);
        if ((*fmtp)[1] == 'S') {
            (*fmtp)++;
            put_symbol(o, v, sp);
        } else {
            struct spec hex = { 16, -1, false, true };
            put_number(o, v, false, 16, false, &hex);
        }
        break;
    case '%':
        put(o, '%');
        break;
    default:
        put(o, '%');
        put(o, conv);
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list args;
    int lmod;

    va_copy(args, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        lmod = 0;
        while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
            lmod = *fmt == 'h' ? -1 : 1;
            fmt++;
        }
        if (!*fmt)
            break;
        format_one(&o, *fmt, lmod, &sp, &args, &fmt);
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
