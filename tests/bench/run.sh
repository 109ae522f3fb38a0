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
printf '  %-34s %12s %12s %12s\n' operation "Satori ns" "Xen ns" Satori/Xen
ratio_of() { awk -v s="${1:-0}" -v x="${2:-0}" 'BEGIN { if (s > 0 && x > 0) printf "%.2f", s / x; else print "-" }'; }
for op in null_hypercall int3_bounce_and_iret page_fault_bounce mmu_update_per_entry \
          pin_unpin_l1_pair user_syscall_round_trip evtchn_loopback_round_trip \
          evtchn_ipi_send_and_poll grant_map_unmap_page grant_map_unmap_batch16_per_page; do
    s=$(bench_of satori $op) x=$(bench_of xen $op)
    printf '  %-34s %12s %12s %12s\n' $op "${s:--}" "${x:--}" "$(ratio_of "$s" "$x")"
done

# Between two boot-time domUs (tests/guests/multi.c, multigrant.c): Satori
# only, Xen 4.17 has no boot-time domains; beside each, the single-domain
# figure of the same operation on both hypervisors, from the table above.
echo
echo "Between two boot-time domUs on Satori (no dom0; Xen 4.17 has none: its column is the"
echo "single-domain figure, sent or granted to itself), TCG, median of $RUNS boots:"
G=build/guests/multi.elf GG=build/guests/multigrant.elf
APPEND="console=com1 noreboot loglvl=all"
dom_log=build/bench-logs/domains.txt
: > $dom_log
for i in $(seq $RUNS); do
    for smp in 1 2; do
        boot "bench-pingpong$smp-$i" 120 "No domain left" -smp $smp -m 512 -kernel build/satori \
            -append "$APPEND" -initrd "$G domU mem=8M -- role=server peer=2 n=5000,$G domU mem=8M -- role=client peer=1 n=5000"
        grep -a 'BENCH ' "$LOG" | sed -E "s/^\(d[0-9]+\) BENCH ([a-z_0-9]+)/smp$smp BENCH \1/" >> $dom_log
    done
    boot "bench-grants-$i" 120 "No domain left" -smp 2 -m 512 -kernel build/satori -append "$APPEND" \
        -initrd "$GG domU mem=8M -- role=granter peer=2 third=3,$GG domU mem=8M -- role=mapper peer=1 n=2000,$GG domU mem=8M -- role=third peer=1"
    grep -a 'BENCH ' "$LOG" | sed -E "s/^\(d[0-9]+\) BENCH ([a-z_0-9]+)/smp2 BENCH \1/" >> $dom_log
done
printf '  %-40s %12s %12s %12s\n' operation "two domUs" "Satori self" "Xen self"
dom_row() {   # label, smp, op, single-domain op
    local v s x
    v=$(awk -v h=smp$2 -v op=$3 '$1 == h && $3 == op {print $4}' $dom_log | median_float)
    s=$(bench_of satori $4) x=$(bench_of xen $4)
    printf '  %-40s %12s %12s %12s\n' "$1" "${v:--}" "${s:--}" "${x:--}"
}
dom_row "event round trip, -smp 1" 1 evtchn_interdomain_round_trip evtchn_loopback_round_trip
dom_row "event round trip, -smp 2" 2 evtchn_interdomain_round_trip evtchn_loopback_round_trip
dom_row "grant map+unmap, one page" 2 grant_map_unmap_interdomain grant_map_unmap_page
dom_row "ring request+response (bursts of 10)" 2 grant_ring_request -

for b in tools/*/Makefile; do
    if grep -q '^bench:' "$b"; then
        echo
        echo "Benchmarks of $(dirname "$b"):"
        make -s -C "$(dirname "$b")" bench
    fi
done
echo; tests/bench/linux.sh   # Linux as dom0 on Satori and Xen, and natively
