#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `make conformance`: every test guest on Xen 4.17 and on Satori, side by
# side, one row per case. What passes on Xen must pass on Satori; a case
# Xen fails is a wrong expectation. Prints a summary per hypervisor.
set -u
cd "$(dirname "$0")/../.."
scripts/xen-fetch.sh >/dev/null || { echo "conformance: cannot fetch Xen 4.17" >&2; exit 1; }
make -s -C tests/guests >/dev/null || exit 1
out=build/conformance
mkdir -p $out
declare -A res
cases=()
for g in $(ls tests/guests/*.c | xargs -n1 basename | sed 's/\.c$//'); do
    for hv in xen satori; do
        img=build/xen/xen
        [ $hv = satori ] && img=build/satori
        tests/guests/run-guest.sh --hv $img "$g" > $out/$hv-$g.txt 2>&1
        while read -r verdict name _; do
            name=${name%:}
            [ -n "${res[x:$name]:-}${res[s:$name]:-}" ] || cases+=("$name")
            res[${hv:0:1}:$name]=${verdict%:}
        done < <(sed -E 's/^(xen|satori): //' $out/$hv-$g.txt | grep -E '^(PASS|FAIL):')
    done
done
printf '%-44s %-6s %-6s\n' case xen satori
xp=0 sp=0 bad=0
for c in "${cases[@]}"; do
    x=${res[x:$c]:-none} s=${res[s:$c]:-none}
    printf '%-44s %-6s %-6s\n' "$c" "$x" "$s"
    [ "$x" = PASS ] && xp=$((xp + 1))
    [ "$s" = PASS ] && sp=$((sp + 1))
    [ "$x" = PASS ] && [ "$s" != PASS ] && bad=$((bad + 1))
done
echo "Xen 4.17: $xp of ${#cases[@]} cases pass; Satori: $sp of ${#cases[@]}; $bad pass on Xen but not on Satori"
