# SPDX-License-Identifier: GPL-2.0-only
# Helpers for boot tests: boot Satori under QEMU (TCG) with the serial log in
# a file, wait (bounded) for a line, and check the log. Sourced by suites.
#
#   boot NAME SECONDS UNTIL_REGEX QEMU_ARGS...   boots; sets LOG, QEMU_RC, BOOT_SECS
#        (with BOOT_STDIN=FILE the serial console's input is that file)
#        and T_<n> (host time in ms when the n-th WATCH regex first appeared)
#   pass NAME | fail NAME WHY                     print a verdict line
#   expect NAME REGEX / expect_not NAME REGEX     check the current LOG

QEMU=${QEMU:-qemu-system-x86_64}
BOOT_LOGS=${BOOT_LOGS:-build/test-logs/boot}
mkdir -p "$BOOT_LOGS"
WATCH=()

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1 ${2:-}"; }

now_ms() { date +%s%3N; }

# Boots and waits until UNTIL_REGEX appears in the log, QEMU exits, or
# SECONDS pass. QEMU is always gone when this returns.
boot() {
    local name=$1 secs=$2 until=$3
    shift 3
    LOG=$BOOT_LOGS/$name.log
    : > "$LOG"
    local start pid deadline i
    start=$(now_ms)
    deadline=$((start + secs * 1000))
    if [ -n "${BOOT_STDIN:-}" ]; then
        "$QEMU" -machine q35 -cpu max -display none -monitor none -no-reboot \
            -serial stdio "$@" <"$BOOT_STDIN" >"$LOG" 2>"$LOG.qemu" &
    else
        "$QEMU" -machine q35 -cpu max -display none -monitor none -no-reboot \
            -serial "file:$LOG" "$@" </dev/null >"$LOG.qemu" 2>&1 &
    fi
    pid=$!
    for i in "${!WATCH[@]}"; do unset "T_$i"; done
    QEMU_RC=
    while :; do
        # look for the end first, then stamp watched lines, so a line that
        # ends the wait is always stamped before the loop stops
        local done=0
        grep -aqE "$until" "$LOG" && done=1
        for i in "${!WATCH[@]}"; do
            local var="T_$i"
            [ -z "${!var:-}" ] && grep -aqE "${WATCH[$i]}" "$LOG" && printf -v "$var" '%s' "$(now_ms)"
        done
        if [ $done = 1 ]; then
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid"; QEMU_RC=$?
            break
        fi
        if [ "$(now_ms)" -ge "$deadline" ]; then
            echo "  (boot $name: timed out after ${secs}s)"
            break
        fi
        sleep 0.05
    done
    BOOT_SECS=$(( ($(now_ms) - start) ))
    if [ -z "$QEMU_RC" ]; then
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        QEMU_RC=killed
    fi
    tr -d '\r' < "$LOG" > "$LOG.txt" && mv "$LOG.txt" "$LOG"
}

expect() {
    if grep -aqE "$2" "$LOG"; then pass "$1"; else fail "$1" "no line matching /$2/ in $LOG"; fi
}

expect_not() {
    if grep -aqE "$2" "$LOG"; then
        fail "$1" "unexpected: $(grep -aE "$2" "$LOG" | head -1)"
    else
        pass "$1"
    fi
}

# The number captured by the first parenthesised group of REGEX (sed -E).
capture() {
    grep -aE "$1" "$LOG" | head -1 | sed -E "s/.*$1.*/\\1/"
}
