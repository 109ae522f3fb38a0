#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Prints the ABI listing of one public header: what a translation unit
# that includes it sees, measured by the compiler rather than read from the
# source, so that Satori's headers and Xen's can be compared as two sorted
# text files.
#
#   gen-listing.sh INCLUDE_ROOT HEADERS WORKDIR [compiler flags...]
#
# HEADERS is one header or several, separated by spaces, all included.
# With HEADERS "-" it only leaves in WORKDIR what the compiler and stdint.h
# define alone, for later runs with the same flags to reuse (ABI_BASE=dir).
# With ABI_NAMES_ONLY=1 it prints just the names the headers make visible,
# one a line, as the listing's second word spells them (no "/arity"):
# a cheap way to cut one header's listing out of that of many.
#
# The names come from the header itself, mechanically: clang's AST gives
# every struct, union, member, typedef and enumerator (ast-items.awk), and
# `gcc -dM` every macro. What stdint.h and the compiler define on their own
# (the same TU without the header) is left out. A C program built from those
# names then prints, one line each:
#
#   record <rec> size= align=             field <rec>.<path> off= size= <type>
#   typedef <name> size= align= <type>    enum <name> size=
#   const <name> = <value> <s|u><bytes>   (integer macros and enumerators)
#   fmacro <name>/<arity> [= value]       (function-like; value of NAME(3,5,..)
#                                          when that is an integer constant)
#   smacro <name> = "<string>"            omacro <name> -> <expansion>
#
# Exit status is non-zero, with the reason on stderr, if any step fails.
set -eu

root=$1 hdr=$2 work=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cd "$work"

printf '#include <stdint.h>\n' > base.c
for h in $hdr; do
    [ "$h" = - ] || printf '#include "%s"\n' "$h"
done > tu.inc
cat base.c tu.inc > tu.c

# Object-like macros as "o NAME", function-like ones as "f NAME ARITY".
macros() {
    gcc -E -dM "$@" -iquote "$root" | awk '
        $1 != "#define" { next }
        { name = $2 }
        name !~ /\(/ { print "o", name; next }
        {   # "#define NAME(a,b) body": take the text up to ")".
            s = $0; sub(/^#define /, "", s); sub(/\).*/, "", s)
            n = s; sub(/\(.*/, "", n); a = s; sub(/^[^(]*\(/, "", a)
            print "f", n, (a == "" ? 0 : gsub(/,/, ",", a) + 1)
        }'
}

# What stdint.h and the compiler define alone; the caller may pass it in
# (ABI_BASE, a directory from an earlier run with the same flags).
if [ -n "${ABI_BASE:-}" ] && [ -s "$ABI_BASE/base.items" ] &&
   [ -s "$ABI_BASE/base.macros" ]; then
    cp "$ABI_BASE/base.items" "$ABI_BASE/base.macros" .
else
    clang -fsyntax-only -Xclang -ast-dump -fno-color-diagnostics \
        -Wno-everything "$@" -iquote "$root" base.c |
        awk -f "$here/ast-items.awk" > base.items
    macros "$@" base.c > base.macros
fi
[ "$hdr" = - ] && exit 0
clang -fsyntax-only -Xclang -ast-dump -fno-color-diagnostics -Wno-everything \
    "$@" -iquote "$root" tu.c > tu.ast
awk -f "$here/ast-items.awk" tu.ast > tu.items.all
awk 'FILENAME == "base.items" { seen[$1 " " $2] = 1; next } !(($1 " " $2) in seen)' \
    base.items tu.items.all > tu.items
macros "$@" tu.c > tu.macros.all
awk 'FILENAME == "base.macros" { seen[$2] = 1; next } !($2 in seen)' \
    base.macros tu.macros.all > tu.macros

if [ "${ABI_NAMES_ONLY:-}" = 1 ]; then
    awk '$1 == "field" { print $2 "." $3; next } { print $2 }' \
        tu.items tu.macros | LC_ALL=C sort -u
    exit 0
fi

# Which macros are integer constant expressions, which are string literals:
# one probe line each, inside its own function so that a macro which expands
# to declarations cannot disturb the next line; a line without an error
# proves its macro is an integer constant (or string literal).
awk -v pre=$(($(wc -l < tu.inc) + 2)) '
    BEGIN {
        line = pre              # the prefix lines of probe.c below
        ints = "_Bool: 1, char: 1, signed char: 1, unsigned char: 1, " \
               "short: 1, unsigned short: 1, int: 1, unsigned int: 1, " \
               "long: 1, unsigned long: 1, long long: 1, unsigned long long"
    }
    function call(name, n,    s, i) {
        if ($1 == "o") return name
        s = name "("
        for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") (2 * i + 1)
        return s ")"
    }
    {
        e = call($2, $3)
        # gcc folds "str" || 1 too, so insist on an integer type as well.
        printf "static void p%d(void) { _Static_assert(_Generic((%s), %s: 1) && ((%s) || 1), \"\"); }\n", NR, e, ints, e
        print ++line, "int", $0 > "probe.map"
        printf "static void s%d(void) { _Static_assert(sizeof(%s) == sizeof(%s \"\"), \"\"); }\n", NR, e, e
        print ++line, "str", $0 > "probe.map"
    }' tu.macros > probe.body
# (glibc makes _Static_assert a macro before C11; the keyword is wanted.)
{ printf '#include <stdint.h>\n'; cat tu.inc; printf '#undef _Static_assert\n'
  cat probe.body; } > probe.c
gcc -E "$@" -iquote "$root" probe.c > probe.i
gcc -fsyntax-only -w -fmax-errors=0 "$@" -x cpp-output probe.i > probe.err 2>&1 || true
grep -o 'probe\.c:[0-9]*:' probe.err | sed 's/probe\.c:\([0-9]*\):/\1/' |
    sort -un > probe.bad

# Line N of probe.c, as the preprocessor left it (to read an expansion).
awk '
    /^# [0-9]+ "/ { f = $3; cur = ($3 ~ /probe\.c"$/) ? $2 + 0 : -1; next }
    cur > 0 { print cur, $0; cur++ }' probe.i > probe.lines

awk '
    FILENAME == "tu.inc"      { inc = inc $0 "\n"; next }
    FILENAME == "probe.bad"   { bad[$1] = 1; next }
    FILENAME == "probe.lines" { ln = $1; sub(/^[0-9]+ /, ""); text[ln] = $0; next }
    FILENAME == "probe.map"   {
        if ($2 == "int" && !bad[$1]) kind[$4] = "int"
        if ($2 == "str" && !bad[$1] && !(kind[$4])) kind[$4] = "str"
        if ($2 == "int") { iline[$4] = $1; form[$4] = $3; arity[$4] = $5 }
        next
    }
    FILENAME == "tu.items" { item[++ni] = $0; next }
    END {
        print "#include <stdint.h>"
        printf "%s", inc
        print "#include <stddef.h>\n#include <stdio.h>\n#include <string.h>"
        print "static void pc(const char *k, int neg, unsigned long long u,"
        print "               size_t sz, int sgn)"
        print "{"
        print "    if (neg) printf(\"%s = -%llu %c%zu\\n\", k, -u, sgn ? 0x73 : 0x75, sz);"
        print "    else printf(\"%s = %llu %c%zu\\n\", k, u, sgn ? 0x73 : 0x75, sz);"
        print "}"
        print "static void ps(const char *k, const char *s)"
        print "{"
        print "    printf(\"smacro %s = \\\"\", k);"
        print "    for (; *s; s++)"
        print "        if (*s < 32 || *s > 126 || *s == 92) printf(\"\\\\x%02x\", (unsigned char)*s);"
        print "        else putchar(*s);"
        print "    printf(\"\\\"\\n\");"
        print "}"
        print "static void pb(const char *k, const unsigned char *p, size_t n, const char *t)"
        print "{"
        print "    size_t i, first = 0, w = 0;"
        print "    for (i = 0; i < 8 * n; i++)"
        print "        if (p[i / 8] >> (i % 8) & 1) { if (!w) first = i; w++; }"
        print "    printf(\"field %s bits=%zu+%zu %s\\n\", k, first, w, t);"
        print "}"
        print "#define C(k, e) pc(k, (e) < 0, (unsigned long long)(e), sizeof(e), (0 ? (e) : -1) < 0)"
        print "int main(void)"
        print "{"
        for (i = 1; i <= ni; i++) emit_item(item[i])
        for (m in form) emit_macro(m)
        print "    return 0;\n}"
    }
    function qs(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
    function q(s) { s = qs(s); gsub(/%/, "%%", s); return s }
    function ctype(rec) { sub(/:/, " ", rec); return rec }
    function emit_item(s,    w, n, t, i, T, key) {
        n = split(s, w, " ")
        t = ""
        if (w[1] == "record") {
            T = ctype(w[2])
            printf "    printf(\"record %s size=%%zu align=%%zu\\n\", sizeof(%s), _Alignof(%s));\n", w[2], T, T
        } else if (w[1] == "field") {
            for (i = 5; i <= n; i++) t = t (i > 5 ? " " : "") w[i]
            T = ctype(w[2]); key = w[2] "." w[3]
            if (w[4] == "bit") {
                printf "    { %s v; memset(&v, 0, sizeof(v)); v.%s = -1; pb(\"%s\", (const unsigned char *)&v, sizeof(v), \"%s\"); }\n", T, w[3], key, q(t)
            } else if (t ~ /\[\]$/) {
                printf "    printf(\"field %s off=%%zu flex elem=%%zu %s\\n\", offsetof(%s, %s), sizeof(((%s *)0)->%s[0]));\n", key, q(t), T, w[3], T, w[3]
            } else {
                printf "    printf(\"field %s off=%%zu size=%%zu %s\\n\", offsetof(%s, %s), sizeof(((%s *)0)->%s));\n", key, q(t), T, w[3], T, w[3]
            }
        } else if (w[1] == "typedef") {
            for (i = 3; i <= n; i++) t = t (i > 3 ? " " : "") w[i]
            printf "    printf(\"typedef %s size=%%zu align=%%zu %s\\n\", sizeof(%s), _Alignof(%s));\n", w[2], q(t), w[2], w[2]
        } else if (w[1] == "enum") {
            printf "    printf(\"enum %s size=%%zu\\n\", sizeof(enum %s));\n", w[2], w[2]
        } else if (w[1] == "econst") {
            printf "    C(\"const %s\", %s);\n", w[2], w[2]
        }
    }
    function emit_macro(m,    e, ln) {
        ln = iline[m]
        e = text[ln]
        sub(/^static void p[0-9]+\(void\) { _Static_assert\(_Generic\(\(/, "", e); sub(/\), _Bool.*$/, "", e)
        gsub(/[ \t]+/, "", e)
        if (form[m] == "f") {
            if (kind[m] == "int")
                printf "    C(\"fmacro %s/%d\", %s);\n", m, arity[m], call(m, arity[m])
            else
                printf "    puts(\"fmacro %s/%d\");\n", m, arity[m]
        } else if (kind[m] == "int") {
            printf "    C(\"const %s\", %s);\n", m, m
        } else if (kind[m] == "str") {
            printf "    ps(\"%s\", %s);\n", m, m
        } else {
            printf "    puts(\"omacro %s -> %s\");\n", m, qs(e)
        }
    }
    function call(name, n,    s, i) {
        s = name "("
        for (i = 1; i <= n; i++) s = s (i > 1 ? "," : "") (2 * i + 1)
        return s ")"
    }
' tu.inc probe.bad probe.lines probe.map tu.items > prog.c

if ! gcc -w "$@" -iquote "$root" -o prog prog.c 2> prog.err; then
    echo "gen-listing: the measuring program for $hdr does not build:" >&2
    head -n 5 prog.err >&2
    exit 1
fi
./prog | LC_ALL=C sort
