#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots one test guest as dom0 under QEMU and prints its result lines.
#
#   tests/guests/run-guest.sh [--hv IMAGE] [--timeout S] [--log FILE] GUEST
#
# IMAGE is the hypervisor QEMU's -kernel boots (multiboot): build/xen/xen by
# default (scripts/xen-fetch.sh), or build/satori. The guest
# build/guests/GUEST.elf is the first -initrd module, i.e. dom0's kernel.
# tests/guests/GUEST.cmdline, if present, holds boot options that guest
# needs on both hypervisors ('#' starts a comment); they are appended.
# Output: the guest's PASS/FAIL lines and its SUMMARY line, prefixed with
# "xen:" or "satori:" (the hypervisor image's basename), then a verdict:
# exit 0 when a SUMMARY line came and said 0 failed; 1 otherwise (no SUMMARY
# within the timeout, a hypervisor panic, or failures). The full serial log
# stays in build/test-logs/guests/<hv>-<guest>.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

hv=build/xen/xen
secs=60
log=
while [ $# -gt 0 ]; do
    case $1 in
    --hv) hv=$2; shift 2 ;;
    --timeout) secs=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    -h|--help) sed -n '3,16p' "$0"; exit 0 ;;
    -*) echo "run-guest: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--hv IMAGE] [--timeout S] GUEST" >&2; exit 2; }
guest=$1
elf=build/guests/$guest.elf
[ -f "$hv" ] || { echo "run-guest: no hypervisor image $hv (scripts/xen-fetch.sh?)" >&2; exit 2; }
[ -f "$elf" ] || { echo "run-guest: no guest $elf (make -C tests/guests)" >&2; exit 2; }

tag=$(basename "$hv"); tag=${tag%%.*}
mkdir -p build/test-logs/guests
log=${log:-build/test-logs/guests/$tag-$guest.log}
: > "$log"

append="console=com1 dom0_mem=64M noreboot loglvl=all guest_loglvl=all"
if [ -f "tests/guests/$guest.cmdline" ]; then
    append="$append $(sed -e 's/#.*//' "tests/guests/$guest.cmdline" | tr -s ' \n' ' ')"
fi
# A guest may add options (later ones win) with a line in its source:
#   run-guest-append: OPTIONS
extra=$(sed -n 's/^.*run-guest-append: *//p' "tests/guests/$guest.c" 2>/dev/null | head -n1)
[ -n "$extra" ] && append="$append $extra"
# Xen 4.17 crashes PV guests under QEMU's SMAP emulation: hide SMAP from it.
# Satori runs with SMAP on, as it must.
cpu=max
[ "$tag" = xen ] && cpu=max,-smap
timeout "$secs" qemu-system-x86_64 -machine q35 -cpu $cpu -m 512 -smp 1 \
    -display none -monitor none -serial "file:$log" -no-reboot \
    -kernel "$hv" -append "$append" -initrd "$elf" </dev/null >"$log.qemu" 2>&1 &
qpid=$!

# A line that ends the run: the summary, or the hypervisor giving up.
end_re='SUMMARY [a-z0-9_-]+:|d0 crashed|dom0 shut down|Panic on CPU|FATAL|Domain 0 crashed|domain_crash|Hardware Dom0 (shutdown|halted)|Guest crashed|Satori panic|PANIC'
while kill -0 "$qpid" 2>/dev/null; do
    grep -aqE "$end_re" "$log" && { sleep 0.3; break; }
    sleep 0.1
done
kill "$qpid" 2>/dev/null || true
wait "$qpid" 2>/dev/null || true

# Result lines may carry a console prefix ("(XEN) ", "(d0) ", a timestamp):
# keep what starts at PASS:/FAIL:/SUMMARY.
results=$(tr -d '\r' < "$log" | grep -aoE '(PASS: |FAIL: |SUMMARY ).*' || true)
[ -n "$results" ] && sed "s/^/$tag: /" <<<"$results"
summary=$(grep -aE '^SUMMARY ' <<<"$results" | tail -n1 || true)
if [ -z "$summary" ]; then
    echo "$tag: FAIL: $guest/boot no SUMMARY line (log: $log)"
    tr -d '\r' < "$log" | grep -aE 'Panic|FATAL|crash|rip|RIP|Domain 0|d0v0' | head -n 20 | sed "s/^/$tag:   | /"
    exit 1
fi
grep -qE ': [0-9]+ passed, 0 failed' <<<"$summary"
