#!/usr/bin/env bash
# Runs every libFuzzer target of a build for a bounded time; builds nothing.
#
#   fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
#
# BUILD_DIR is a build of the `fuzz` preset (cmake --preset fuzz &&
# cmake --build build/fuzz); SECONDS defaults to 60; TARGETs are names such as
# parse_reply (default: every esc_fuzz_* executable in BUILD_DIR).
#
# Each target starts from a temporary corpus: its committed seeds
# (fuzz/seeds/<target>/), any files in tests/data/, and, when the shared
# corpus is present, one file per `diagnosticcode` of
# ../shared/corpus/sisimai/sisimai-labels.jsonl. Those real texts are copied
# at run time only; neither they nor what libFuzzer derives from them (the
# working corpus, reproducers under BUILD_DIR) may be committed.
#
# Environment:
#   ESC_FUZZ_CORPUS   keep the working corpora in $ESC_FUZZ_CORPUS/<target>
#                     instead of a temporary directory (for long runs: they
#                     grow across runs; never commit them)
#   ESC_FUZZ_ARTIFACTS where crash/leak/timeout inputs go
#                     (default BUILD_DIR/fuzz-artifacts/<date-time>)
#   ESC_FUZZ_TIMEOUT  seconds one input may take (default 5)
#   ESC_FUZZ_MAX_LEN  longest input libFuzzer generates (default 16384)
#   ESC_FUZZ_JOBS     targets fuzzed at the same time (default 1)
#   ESC_SISIMAI_LABELS the labels file (default ../shared/corpus/sisimai/...)
#
# Exit status: 0 when every target ran its time without a finding; 1 when
# any target crashed, leaked, timed out or violated a property (its log tail
# and reproducer are printed); 2 on a usage error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
    sed -n '2,/^set -e/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 2
fi
build="$(cd "$1" && pwd)"
seconds="${2:-60}"
shift $(($# >= 2 ? 2 : 1))
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "run.sh: SECONDS must be a positive integer" >&2; exit 2; }

timeout_s="${ESC_FUZZ_TIMEOUT:-5}"
max_len="${ESC_FUZZ_MAX_LEN:-16384}"
jobs="${ESC_FUZZ_JOBS:-1}"
artifacts="${ESC_FUZZ_ARTIFACTS:-$build/fuzz-artifacts/$(date -u +%Y%m%dT%H%M%SZ)}"
labels="${ESC_SISIMAI_LABELS:-$root/../shared/corpus/sisimai/sisimai-labels.jsonl}"

# --- which targets ---------------------------------------------------------------
declare -A binary=()
while IFS= read -r -d '' exe; do
    name="$(basename "$exe")"
    binary["${name#esc_fuzz_}"]="$exe"
done < <(find "$build" -type f -name 'esc_fuzz_*' -perm -u+x ! -name 'esc_fuzz_replay_*' -print0)
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(printf '%s\n' "${!binary[@]}" | sort)
fi
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "run.sh: no esc_fuzz_* executables under $build (configure with --preset fuzz and build first)" >&2
    exit 2
fi
for t in "${targets[@]}"; do
    [[ -n "${binary[$t]:-}" ]] || { echo "run.sh: no executable esc_fuzz_$t under $build" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/esc-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

# --- real texts, extracted once --------------------------------------------------------
real="$work/sisimai"
mkdir -p "$real"
if [[ -f "$labels" ]]; then
    if command -v python3 >/dev/null; then
        python3 - "$labels" "$real" <<'PY'
import hashlib, json, os, sys
labels, out = sys.argv[1], sys.argv[2]
with open(labels, encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        text = json.loads(line).get("diagnosticcode") or ""
        if text:
            data = text.encode("utf-8")
            with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as o:
                o.write(data)
PY
        echo "seeds: $(find "$real" -type f | wc -l) texts from $labels (run time only)"
    else
        echo "seeds: python3 not found; the sisimai texts are not used"
    fi
else
    echo "seeds: $labels absent; committed seeds only"
fi

# format_reply reads 6 parameter bytes before its text: give the real texts
# one (reply 550, an enhanced code of its class, the default line length).
format_header=$'\x90\x01\x01\x01\x01\x00'

prepare_corpus() { # target -> corpus dir on stdout
    local t="$1" dir
    if [[ -n "${ESC_FUZZ_CORPUS:-}" ]]; then dir="$ESC_FUZZ_CORPUS/$t"; else dir="$work/corpus-$t"; fi
    mkdir -p "$dir"
    if [[ -d "$here/seeds/$t" ]]; then cp -R "$here/seeds/$t"/. "$dir"/; fi
    if [[ -d "$root/tests/data" ]]; then
        find "$root/tests/data" -maxdepth 1 -type f -size -64k -exec cp {} "$dir"/ \;
    fi
    local f
    for f in "$real"/*; do
        [[ -f "$f" ]] || continue
        if [[ "$t" == format_reply ]]; then
            { printf '%s' "$format_header"; cat "$f"; } > "$dir/sisimai-$(basename "$f")"
        else
            cp "$f" "$dir/sisimai-$(basename "$f")"
        fi
    done
    printf '%s\n' "$dir"
}

run_target() { # target -> writes $work/<target>.log and .rc
    local t="$1" corpus log="$work/$1.log"
    corpus="$(prepare_corpus "$t")"
    local rc=0
    "${binary[$t]}" \
        -max_total_time="$seconds" -timeout="$timeout_s" -max_len="$max_len" -rss_limit_mb=2048 \
        -print_final_stats=1 -dict="$here/esc.dict" -artifact_prefix="$artifacts/$t-" \
        "$corpus" >"$log" 2>&1 || rc=$?
    echo "$rc" >"$work/$t.rc"
}

echo "fuzzing ${#targets[@]} target(s), ${seconds}s each, timeout ${timeout_s}s, max_len ${max_len}, jobs ${jobs}"
running=0
for t in "${targets[@]}"; do
    run_target "$t" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

# --- report ----------------------------------------------------------------------------
failed=0
printf '\n%-14s %8s %12s %10s %7s %7s %7s  %s\n' target result executions exec/s cov ft corpus "seconds"
for t in "${targets[@]}"; do
    log="$work/$t.log"
    rc="$(cat "$work/$t.rc" 2>/dev/null || echo 99)"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    last="$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
    corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")"
    result=ok
    if [[ "$rc" != 0 ]]; then result="FAIL($rc)"; failed=1; fi
    printf '%-14s %8s %12s %10s %7s %7s %7s  %s\n' "$t" "$result" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
        "${corp:-?}" "$seconds"
done
for t in "${targets[@]}"; do
    rc="$(cat "$work/$t.rc" 2>/dev/null || echo 99)"
    [[ "$rc" == 0 ]] && continue
    printf '\n=== %s failed (exit %s); the end of its log:\n' "$t" "$rc"
    grep -vE '^#[0-9]+ ' "$work/$t.log" | tail -40
    echo "reproducers: $(ls "$artifacts/$t-"* 2>/dev/null | tr '\n' ' ')"
    echo "replay one with: ${binary[$t]} <file>"
    echo "then add a seed to fuzz/seeds/$t/ and a test to tests/findings_test.cpp, written in your own words:"
    echo "the reproducer may derive from the shared corpus, which must not be committed"
done
exit "$failed"
