#!/usr/bin/env bash
# Source coverage of the library's headers reached by a fuzz corpus: builds
# each target's checks with clang's coverage instrumentation (into a scratch
# directory; the project's builds are untouched), replays the corpus through
# them and prints llvm-cov's per-header report for include/esc/.
#
#   fuzz/coverage.sh CORPUS_ROOT [TARGET...]
#
# CORPUS_ROOT holds one directory per target, as ESC_FUZZ_CORPUS leaves them
# (ESC_FUZZ_CORPUS=/tmp/corpus fuzz/run.sh build/fuzz 600); a target without
# one is measured over its committed seeds. Ends with all targets together. Needs clang++, llvm-profdata and
# llvm-cov (LLVM_SUFFIX=-14 picks llvm-cov-14 and friends).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
[[ $# -ge 1 ]] || { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
corpora="$1"
shift
suffix="${LLVM_SUFFIX:-}"
cxx="${CXX_FOR_COVERAGE:-clang++$suffix}"
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(sed -n 's/^esc_add_fuzzer(\([a-z_0-9]*\).*/\1/p' "$here/CMakeLists.txt")
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/esc-coverage.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for t in "${targets[@]}"; do
    "$cxx" -std=c++17 -O1 -fprofile-instr-generate -fcoverage-mapping -I"$root/include" -I"$here" \
        "$here/$t.cpp" "$here/replay_main.cpp" -o "$work/$t"
    dir="$corpora/$t"
    [[ -d "$dir" ]] || dir="$here/seeds/$t"
    LLVM_PROFILE_FILE="$work/$t.profraw" "$work/$t" "$dir" 2>/dev/null | tail -1
    "llvm-profdata$suffix" merge -sparse "$work/$t.profraw" -o "$work/$t.profdata"
    echo "== $t ($(find "$dir" -type f | wc -l) inputs from $dir)"
    "llvm-cov$suffix" report "$work/$t" -instr-profile="$work/$t.profdata" \
        -ignore-filename-regex='(/usr/|/fuzz/)' | sed "s|$root/||"
done

# All targets together: what the fuzzers reach of the library between them.
objects=()
for t in "${targets[@]}"; do objects+=(-object "$work/$t"); done
"llvm-profdata$suffix" merge -sparse "$work"/*.profraw -o "$work/all.profdata"
echo "== all targets"
"llvm-cov$suffix" report "${objects[@]}" -instr-profile="$work/all.profdata" \
    -ignore-filename-regex='(/usr/|/fuzz/)' | sed "s|$root/||"
