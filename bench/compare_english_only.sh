#!/usr/bin/env bash
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#
# classify() of this tree against the English-only classifier of commit
# 7950d1e (before the provider and language rules), the same driver
# (bench/classify_stream.cpp) built against each, on two kinds of input:
#
#  - the corpus texts, 389 of them, cycled 200 times: what esc_bench's
#    corpus row measures. A set that small, repeated, lets the branch
#    predictor learn it, the more so the fewer branches a classifier has;
#  - distinct texts: the status texts of a generated Postfix log
#    (tools/make_postfix_log.py, fixed seed; 89 k texts, 75 k distinct),
#    read once per timing, as a mail server or a log reader sees them.
#
#   bench/compare_english_only.sh [ROUNDS_OF_ALTERNATION]     default 5
#
# Run from anywhere inside a clone with its history (the old commit is
# checked out in a temporary worktree) and ../shared beside it (the corpus).
# Prints nanoseconds a text, the best of each build's timings, the builds
# alternated; both with g++ -O2 (CXX to change).
set -euo pipefail

rounds=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
labels=${ESC_SISIMAI_LABELS:-$root/../shared/corpus/sisimai/sisimai-labels.jsonl}
cxx=${CXX:-g++}
old=7950d1e

[ -f "$labels" ] || { echo "no corpus at $labels" >&2; exit 2; }
git -C "$root" cat-file -e "$old^{commit}" 2>/dev/null || { echo "commit $old is not in this clone" >&2; exit 2; }

work=$(mktemp -d)
cleanup() {
    git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" worktree add --detach -q "$work/old" "$old"

"$cxx" -std=c++17 -O2 -I"$root/include" "$root/bench/classify_stream.cpp" -o "$work/now"
"$cxx" -std=c++17 -O2 -I"$work/old/include" "$root/bench/classify_stream.cpp" -o "$work/english_only"

python3 - "$labels" > "$work/corpus.txt" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line).get("diagnosticcode", "")
    t = t.replace("\r", " ").replace("\n", " ")
    if t:
        print(t)
EOF
python3 "$root/tools/make_postfix_log.py" --messages 60000 --seed 7 -o "$work/postfix.log" > /dev/null 2>&1
sed -n 's/.* status=[a-z]* (\(.*\))$/\1/p' "$work/postfix.log" > "$work/distinct.txt"
echo "corpus: $(wc -l < "$work/corpus.txt") texts; generated log: $(wc -l < "$work/distinct.txt") texts," \
     "$(sort -u "$work/distinct.txt" | wc -l) distinct"

# best_of SET ROUNDS BUILD: the best of `rounds` alternations, each the best of 3 tries.
declare -A best
for r in $(seq "$rounds"); do
    for set in corpus distinct; do
        cycles=1
        [ "$set" = corpus ] && cycles=200
        for build in now english_only; do
            ns=$("$work/$build" "$work/$set.txt" "$cycles" 3 | cut -d' ' -f1)
            key="$set/$build"
            if [ -z "${best[$key]:-}" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$ns" "${best[$key]}"; then
                best[$key]=$ns
            fi
        done
    done
done
printf '%-34s %12s %14s %8s\n' "input" "this tree" "English-only" "ratio"
for set in corpus distinct; do
    label="corpus texts x200"
    [ "$set" = distinct ] && label="generated log texts, once"
    python3 -c "import sys; a,b=float(sys.argv[2]),float(sys.argv[3]); print('%-34s %9.0f ns %11.0f ns %8.2f' % (sys.argv[1], a, b, b/a))" \
        "$label" "${best[$set/now]}" "${best[$set/english_only]}"
done
echo "(ratio: English-only time / this tree's; above 1, this tree is faster)"
