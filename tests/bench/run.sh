#!/usr/bin/env bash
# Benchmarks: figures and ratios, never verdicts. Boot time is wall time from
# QEMU's start to Satori's "Satori ready" line on the serial console (TCG,
# polled every 50 ms), median of 5, through -kernel and through GRUB.
set -u
cd "$(dirname "$0")/../.."
. tests/boot/lib.sh
BOOT_LOGS=build/bench-logs
mkdir -p $BOOT_LOGS build/test-fixtures
RUNS=${RUNS:-5}

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

time_boot() {   # label, qemu args...
    local label=$1 times=() i
    shift
    for i in $(seq $RUNS); do
        boot "bench-$i" 60 'Satori ready' "$@"
        grep -aq 'Satori ready' "$LOG" && times+=("$BOOT_SECS")
    done
    if [ ${#times[@]} -eq 0 ]; then
        echo "  $label: did not reach 'Satori ready'"
        return
    fi
    local med
    med=$(printf '%s\n' "${times[@]}" | median)
    printf '  %-34s median %5d ms   (runs: %s)\n' "$label" "$med" "${times[*]}"
    BENCH_LAST=$med
}

echo "Boot time, QEMU start to 'Satori ready' (TCG, -m 1024):"
time_boot "-kernel (multiboot1), -smp 1" -m 1024 -smp 1 -kernel build/satori -append noreboot
time_boot "-kernel (multiboot1), -smp 4" -m 1024 -smp 4 -kernel build/satori -append noreboot
scripts/mkiso.sh build/test-fixtures/bench.iso build/satori.gz "noreboot"
time_boot "GRUB ISO (multiboot2), -smp 2" -m 1024 -smp 2 -cdrom build/test-fixtures/bench.iso
echo "  reference: Xen 4.17 reaches its dom0 in about 1700 ms in the same set-up"
echo "  (docs/design figure, not measured here); Satori/Xen on the GRUB path: $(awk -v s="${BENCH_LAST:-0}" 'BEGIN{printf "%.2f", s/1700}')"

echo
echo "PV micro-benchmarks from test guests as dom0 (tests/guests/bench.c, user.c; TCG,"
echo "median of $RUNS runs per hypervisor, alternating):"
make -s -C tests/guests >/dev/null
have_xen=1
scripts/xen-fetch.sh >/dev/null 2>&1 || { have_xen=0; echo "  (Xen 4.17 could not be fetched: Satori only)"; }
pv_log=build/bench-logs/pv.txt
: > $pv_log
for i in $(seq $RUNS); do
    for g in bench user; do
        for hv in satori xen; do
            [ $hv = xen ] && [ $have_xen = 0 ] && continue
            img=build/satori; [ $hv = xen ] && img=build/xen/xen
            tests/guests/run-guest.sh --hv $img $g >/dev/null 2>&1
            grep -a '^BENCH ' build/test-logs/guests/$hv-$g.log | sed "s/^/$hv /" >> $pv_log
        done
    done
done
bench_of() { awk -v h=$1 -v op=$2 '$1 == h && $3 == op {print $4}' $pv_log | median_float; }
median_float() { sort -g | awk '{a[NR]=$1} END{ if (NR) print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2 }'; }
printf '  %-24s %12s %12s %12s\n' operation "Satori ns" "Xen ns" Satori/Xen
for op in null_hypercall int3_bounce_and_iret page_fault_bounce mmu_update_per_entry \
          pin_unpin_l1_pair user_syscall_round_trip; do
    s=$(bench_of satori $op) x=$(bench_of xen $op)
    ratio=$(awk -v s="${s:-0}" -v x="${x:-0}" 'BEGIN { if (s > 0 && x > 0) printf "%.2f", s / x; else print "-" }')
    printf '  %-24s %12s %12s %12s\n' $op "${s:--}" "${x:--}" "$ratio"
done

for b in tools/*/Makefile; do
    if grep -q '^bench:' "$b"; then
        echo
        echo "Benchmarks of $(dirname "$b"):"
        make -s -C "$(dirname "$b")" bench
    fi
done
echo; tests/bench/linux.sh   # Linux as dom0 on Satori and Xen, and natively
