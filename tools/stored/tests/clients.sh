#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Drives satori-stored with Debian's own xenstore-utils clients (libxenstore
# 4.17), which find the daemon through XENSTORED_PATH. One verdict line per
# check. Usage: clients.sh <satori-stored> <work-dir>
set -u
bin=$1
dir=$2
mkdir -p "$dir"
sock=$dir/sock
ro=$dir/sock_ro
"$bin" --foreground --socket "$sock" --ro-socket "$ro" --data-dir "$dir/data" \
    --log "$dir/daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
export XENSTORED_PATH=$sock
T="timeout 10"

pass() { echo "PASS: stored/clients/$1"; }
fail() { echo "FAIL: stored/clients/$1 $2"; }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "want [$2] got [$3]"; fi; }

$T xenstore-write /c/a 1 /c/b "two words" /c/d/e deep
check write-read "1|two words|deep" \
    "$($T xenstore-read /c/a)|$($T xenstore-read /c/b)|$($T xenstore-read /c/d/e)"

out=$($T xenstore-read /c/missing 2>&1); rc=$?
check read-missing-fails "1" "$([ $rc -ne 0 ] && echo 1)"

$T xenstore-exists /c/a; e1=$?
$T xenstore-exists /c/zz; e2=$?
check exists "0 1" "$e1 $e2"

check list "a b d" "$($T xenstore-list /c | tr '\n' ' ' | sed 's/ $//')"

check ls "$(printf 'a = "1"\nb = "two words"\nd = ""\n e = "deep"')" "$($T xenstore-ls /c)"

$T xenstore-chmod /c/a n0 r5
check chmod-ls-p 'a = "1"  . . . . . . . . . . . . . . . . . . . . . . . . . .  (n0,r5)' \
    "$($T xenstore-ls -p /c | head -1)"

$T xenstore-chmod -r /c/d b7
perm=$($T xenstore-ls -p /c/d | grep -o '(.*)')
check chmod-recursive "(b7)" "$perm"

$T xenstore-rm /c/d
check rm "a b" "$($T xenstore-list /c | tr '\n' ' ' | sed 's/ $//')"

$T xenstore-write /c/t/u/v x
$T xenstore-rm -t /c/t/u/v
check rm-t-empty-parents "a b" "$($T xenstore-list /c | tr '\n' ' ' | sed 's/ $//')"

# xenstore-watch: the initial event, then one per change, with the path.
$T xenstore-watch -n 4 /cw >"$dir/watch.out" 2>&1 &
wpid=$!
sleep 0.4
$T xenstore-write /cw/x 1
$T xenstore-write /cw/y 2
$T xenstore-rm /cw/x
wait $wpid
check watch "/cw /cw/x /cw/y /cw/x" "$(tr '\n' ' ' <"$dir/watch.out" | sed 's/ $//')"

# 400 children do not fit one DIRECTORY reply: libxenstore falls back to
# DIRECTORY_PART on E2BIG.
args=()
for i in $(seq -w 1 400); do args+=("/big/a-fairly-long-child-name-$i" "$i"); done
$T xenstore-write "${args[@]}"
check directory-part "400" "$($T xenstore-list /big | wc -l)"
check directory-part-ls "400" "$($T xenstore-ls /big | wc -l)"

# Binary-ish and empty values; relative path = /local/domain/0.
$T xenstore-write /c/empty ""
check empty-value "" "$($T xenstore-read /c/empty)"
$T xenstore-write rel-key relval
check relative-dom0 "relval" "$($T xenstore-read /local/domain/0/rel-key)"

# Bad paths are refused by the daemon (EINVAL).
$T xenstore-write '/c/bad path' x 2>/dev/null; r1=$?
$T xenstore-write '/c//x' x 2>/dev/null; r2=$?
check bad-path-refused "1 1" "$([ $r1 -ne 0 ] && echo 1) $([ $r2 -ne 0 ] && echo 1)"

# The read-only socket reads but does not write.
check ro-read "1" "$(XENSTORED_PATH=$ro $T xenstore-read /c/a)"
XENSTORED_PATH=$ro $T xenstore-write /c/ro x 2>/dev/null; r=$?
check ro-write-refused "1 ENOENT" "$([ $r -ne 0 ] && echo 1) $($T xenstore-read /c/ro 2>/dev/null || echo ENOENT)"

# Restart with kill -9: what the clients were told is there.
kill -9 $pid; wait $pid 2>/dev/null
"$bin" --foreground --socket "$sock" --ro-socket "$ro" --data-dir "$dir/data" \
    --log "$dir/daemon.log" &
pid=$!
for _ in $(seq 100); do $T xenstore-exists / 2>/dev/null && break; sleep 0.05; done
check restart-kill9 "1|two words|400|(n0,r5)" \
    "$($T xenstore-read /c/a)|$($T xenstore-read /c/b)|$($T xenstore-list /big | wc -l)|$($T xenstore-ls -p /c | head -1 | grep -o '(.*)')"
