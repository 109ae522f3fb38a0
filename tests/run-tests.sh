#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (executables, in name order) and
# counts their verdict lines. A suite prints one line per check:
#   PASS: <name>        or        FAIL: <name> [why]
# and may print anything else. A suite that exits non-zero without printing a
# FAIL line is counted as one failure of its own, so a crash is never silent.
# Ends with the line "N passed, M failed" and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
filter=${1:-}
passed=0
failed=0
logdir=build/test-logs
mkdir -p "$logdir"
for suite in tests/suites/*; do
    [ -x "$suite" ] || continue
    name=$(basename "$suite")
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
    echo "=== suite $name"
    log="$logdir/$name.log"
    start=$(date +%s)
    "$suite" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    p=$(grep -c '^PASS' "$log")
    f=$(grep -c '^FAIL' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL: suite $name exited $rc without a verdict"
        f=1
    fi
    echo "=== suite $name: $p passed, $f failed ($(( $(date +%s) - start ))s)"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
