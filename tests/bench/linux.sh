#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench, Linux part: Debian's kernel (make linux) booted three ways in
# the same QEMU set-up (TCG, q35, -cpu max,-smap, -m 1024, -smp 1):
#   satori  PV dom0 on build/satori, or $SATORI_IMAGE (dom0_mem=512M)
#   xen     PV dom0 on Xen 4.17, build/xen/xen (dom0_mem=512M,max:512M)
#   native  no hypervisor, QEMU -kernel vmlinuz (mem=512M, as dom0 has)
# each with satori.bench=1, so the initramfs's /init runs /bin/dom0-bench
# (tests/linux/bench.c) and powers off. Per boot it takes: the wall time from
# QEMU's start to "reached /init" (host clock, polled every 50 ms), the
# kernel's uptime at /init, their difference (everything before the
# kernel's clock starts: firmware, hypervisor boot, dom0 build), and each
# micro-benchmark's ns/op. RUNS boots of each (default 3), alternating;
# the table shows medians and Satori/Xen, Satori/native ratios. Figures,
# never verdicts. Raw figures: build/bench-logs/linux.txt; console logs:
# build/bench-logs/linux-<way>-<run>.log.
#
# -smap: QEMU 7.2's TCG faults a CPL-3 iretq under SMAP. Satori completes
# that iretq itself, Xen 4.17 crashes its PV guest (tests/guests/run-guest.sh),
# so all three ways run without SMAP.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
BOOT_LOGS=build/bench-logs
mkdir -p $BOOT_LOGS
RUNS=${RUNS:-3}
SECS=${LINUX_BENCH_SECS:-300}   # per boot: boot to /init plus the benchmarks
satori=${SATORI_IMAGE:-build/satori}   # e.g. build/cfg-release/satori (make test T=05-build)

kernel=build/linux/vmlinuz initrd=build/linux/initramfs.cpio.gz
for f in $satori $kernel $initrd; do
    [ -f $f ] || { echo "  (no $f: run make all linux)"; exit 0; }
done
ways="satori xen native"
scripts/xen-fetch.sh >/dev/null 2>&1 || { ways="satori native"; echo "  (Xen 4.17 could not be fetched: no Xen column)"; }

common=(-cpu max,-smap -m 1024 -smp 1)
args_satori=(-kernel $satori -append "console=com1 noreboot dom0_mem=512M"
             -initrd "$kernel console=hvc0 satori.bench=1,$initrd")
args_xen=(-kernel build/xen/xen -append "console=com1 noreboot dom0_mem=512M,max:512M"
          -initrd "$kernel console=hvc0 satori.bench=1,$initrd")
args_native=(-kernel $kernel -initrd $initrd -append "console=ttyS0 mem=512M satori.bench=1")
# The end of a run: the benchmarks' last line, or the kernel or the
# hypervisor giving up.
end_re='dom0-bench: done|Kernel panic|Panic on CPU|Satori panic|PANIC|d0 crashed|Domain 0 crashed|domain_crash'

raw=$BOOT_LOGS/linux.txt
: > $raw
# One boot of WAY (run I): appends "WAY METRIC VALUE" lines to $raw.
bench_boot() {
    local way=$1 i=$2 t0 up
    local -n args=args_$way
    WATCH=('reached /init')
    t0=$(now_ms)
    boot "linux-$way-$i" "$SECS" "$end_re" "${common[@]}" "${args[@]}"
    if [ -n "${T_0:-}" ]; then
        up=$(grep -aoE 'reached /init, uptime [0-9.]+' "$LOG" | head -n 1 | awk '{print $NF}')
        echo "$way boot_to_init_ms $((T_0 - t0))" >> $raw
        echo "$way uptime_at_init_ms $(awk -v u="$up" 'BEGIN{printf "%d", u * 1000}')" >> $raw
        echo "$way before_kernel_ms $(awk -v w=$((T_0 - t0)) -v u="$up" 'BEGIN{printf "%d", w - u * 1000}')" >> $raw
    fi
    grep -aoE 'dom0-bench: [a-z_]+ [0-9]+ ops [0-9]+ ns/op' "$LOG" | awk -v w=$way '{print w, $2, $5}' >> $raw
    if ! grep -aq 'dom0-bench: done' "$LOG"; then
        echo "  $way run $i: no 'dom0-bench: done' within ${SECS}s (log: $LOG):"
        grep -aE "$end_re|failed" "$LOG" | head -n 5 | sed 's/^/    | /'
    fi
}

echo "Linux dom0 (Debian $(cat build/linux/version)) on Satori, on Xen 4.17 and natively:"
echo "  Satori: $satori ($(grep -aqF '(debug)' $satori && echo debug || echo release) build)"
echo "  TCG, -cpu max,-smap -m 1024 -smp 1, dom0/kernel memory 512 MiB; median of $RUNS runs, alternating"
for i in $(seq $RUNS); do
    for way in $ways; do
        bench_boot $way $i
    done
done

median_of() {   # WAY METRIC
    awk -v w=$1 -v m=$2 '$1 == w && $2 == m {print $3}' $raw | sort -g |
        awk '{a[NR]=$1} END{ if (NR) print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2) }'
}
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'; }

row() {   # LABEL METRIC
    local s x n
    s=$(median_of satori $2) x=$(median_of xen $2) n=$(median_of native $2)
    printf '  %-30s %10s %10s %10s %10s %13s\n' "$1" "${s:--}" "${x:--}" "${n:--}" \
        "$(ratio "$s" "$x")" "$(ratio "$s" "$n")"
}
printf '  %-30s %10s %10s %10s %10s %13s\n' metric Satori Xen native Satori/Xen Satori/native
row "QEMU start to /init, ms" boot_to_init_ms
row "kernel uptime at /init, ms" uptime_at_init_ms
row "before the kernel's clock, ms" before_kernel_ms
row "fork+exit, ns" fork_exit
row "fork+exec /bin/true, ns" fork_exec
row "page fault (fresh anon), ns" page_fault
row "getppid syscall, ns" getppid
row "pipe round trip (1 byte), ns" pipe_round_trip
echo "  (raw figures per run: $raw)"
