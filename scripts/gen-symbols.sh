#!/bin/sh
# Reads `nm -n` output (or nothing, from /dev/null) and writes the assembly
# for the image's built-in symbol table: text symbols sorted by address, used
# by the panic path to print "function+offset/size" in backtraces, and each
# one's nm type letter (t local, T global) for XENPF_get_symbol.
set -e
awk 'BEGIN { n = 0 }
$2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; type[n] = $2; name[n] = $3; n++ }
END {
    print "\t.section .symbols, \"a\", @progbits"
    print "\t.balign 8"
    print "\t.globl symbols_count\nsymbols_count:\n\t.quad " n
    print "\t.globl symbols_addrs\nsymbols_addrs:"
    for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
    print "\t.globl symbols_name_offs\nsymbols_name_offs:"
    off = 0
    for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
    print "\t.globl symbols_names\nsymbols_names:"
    for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
    print "\t.globl symbols_types\nsymbols_types:"
    for (i = 0; i < n; i++) print "\t.byte \x27" type[i]
}' "$1"
