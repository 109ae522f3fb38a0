#!/bin/sh
# The symbol table is linked after all code, so the final image must place
# every text symbol exactly where the first pass did; otherwise backtraces
# would name the wrong functions.
set -e
a=$(nm -n "$1" | awk '$2 ~ /^[tT]$/')
b=$(nm -n "$2" | awk '$2 ~ /^[tT]$/')
if [ "$a" != "$b" ]; then
    echo "check-symbols: text moved between link passes of $2" >&2
    exit 1
fi
