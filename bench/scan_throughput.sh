#!/usr/bin/env bash
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#
# Throughput of `esc scan` in summary mode on a generated Postfix log.
#
#   bench/scan_throughput.sh [SIZE [ESC]]       defaults: 1G, build/release/esc
#   bench/scan_throughput.sh half [ESC]         the failure-heavy log of the target
#
# Run from the source directory after `cmake --workflow --preset release`. The
# log (tools/make_postfix_log.py, fixed seed) goes to /tmp, never into the
# repository, and is kept for later runs. `half` is the log of the README's
# "half the lines are failures" target: 59 MB from tests/cli/make_mail_log.py
# (36,000 messages, some deferred and bounced, and 108,000 inbound rejects;
# 50 % of its lines are failures), fixed seed. The file is read once before timing
# so that the page cache holds it: this measures esc, not the disk. Single
# thread; the best of three runs and each run are printed.
set -euo pipefail

size=${1:-1G}
esc=${2:-build/release/esc}
log=${ESC_BENCH_LOG:-/tmp/esc-bench-postfix-$size.log}

[ -x "$esc" ] || { echo "no $esc: run 'cmake --workflow --preset release' first" >&2; exit 2; }
if [ ! -f "$log" ]; then
    echo "generating $log ($size) ..." >&2
    if [ "$size" = half ]; then
        python3 tests/cli/make_mail_log.py --messages 36000 --rejects 108000 --seed 7 > "$log"
    else
        python3 tools/make_postfix_log.py --size "$size" -o "$log"
    fi
fi
bytes=$(stat -c %s "$log")
cat "$log" > /dev/null

best=
for run in 1 2 3; do
    start=$(date +%s.%N)
    "$esc" scan --no-progress -j 1 "$log" > /dev/null
    end=$(date +%s.%N)
    secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    mbps=$(awk -v b="$bytes" -v t="$secs" 'BEGIN { printf "%.0f", b / 1e6 / t }')
    echo "run $run: $bytes bytes in $secs s = $mbps MB/s"
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs; fi
done
awk -v b="$bytes" -v t="$best" 'BEGIN { printf "best: %.1f MB (%.2f GiB) in %.3f s = %.0f MB/s\n", b / 1e6, b / 1073741824, t, b / 1e6 / t }'
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
