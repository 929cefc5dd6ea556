#!/usr/bin/env bash
# Linear time, by instruction counts: runs the driver under callgrind for
# every shape at N and 10 N bytes and fails when the instructions per byte
# grow by more than MAX_RATIO/10 (the default 12 allows 20% for fixed costs
# and the shapes' rounding). Instruction counts do not depend on the machine
# or its load, so the bound can be tight where a wall-clock one could not.
#
#   run.sh DRIVER [N] [MAX_RATIO]      (N defaults to 10000)
#
# Exits 77 (CTest: skipped) when valgrind is not installed.
set -euo pipefail
driver="$1"
n="${2:-10000}"
max_ratio="${3:-12}"

if [[ -n "${ESC_VALGRIND_SKIP:-}" ]]; then
    echo "SKIPPED: $ESC_VALGRIND_SKIP"
    exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIPPED: valgrind (callgrind) is not installed; the linear-time check needs it"
    exit 77
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/esc-linear.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Prints "<instructions> <bytes>" for one run.
measure() {
    local shape="$1" size="$2" out="$work/callgrind.out" bytes
    bytes="$(valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
        --toggle-collect=esc_linear_work "$driver" "$shape" "$size" 2>"$work/valgrind.log" | awk '{print $2}')" || {
        cat "$work/valgrind.log" >&2
        return 1
    }
    local instructions
    instructions="$(sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' "$out" | head -1)"
    [[ -n "$instructions" && "$instructions" -gt 0 ]] || { echo "no instruction count for $shape" >&2; return 1; }
    echo "$instructions $bytes"
}

status=0
printf '%-20s %10s %14s %10s %14s %8s %8s\n' shape bytes instructions bytes instructions ratio per-byte
while IFS= read -r shape; do
    read -r i1 b1 < <(measure "$shape" "$n")
    read -r i2 b2 < <(measure "$shape" "$((n * 10))")
    # ratio: instructions at 10 N over N; per-byte: the same scaled to exactly 10x the bytes.
    verdict="$(awk -v i1="$i1" -v i2="$i2" -v b1="$b1" -v b2="$b2" -v max="$max_ratio" 'BEGIN {
        r = i2 / i1; scaled = r * (10 * b1 / b2);
        printf "%.2f %.2f %s", r, scaled, (scaled <= max ? "ok" : "FAIL") }')"
    read -r ratio scaled result <<<"$verdict"
    printf '%-20s %10s %14s %10s %14s %8s %8s %s\n' "$shape" "$b1" "$i1" "$b2" "$i2" "$ratio" "$scaled" "$result"
    [[ "$result" == ok ]] || status=1
done < <("$driver" --list)
if [[ $status -ne 0 ]]; then
    echo "FAILED: some shape costs more than ${max_ratio}x the instructions for 10x the input (scaled to exact sizes)"
fi
exit $status
