#!/usr/bin/env bash
# Compile cost of esc's headers (g++ -O2, C++17, median of 5 runs, user CPU time),
# header-only and in compiled mode (-DESC_SEPARATE_COMPILATION, detail/config.hpp):
#  1. a unit that includes what parsing and classifying need (not the
#     umbrella) and calls classify(), against the same unit with only
#     <string_view> <optional> <cstdint> <charconv> <array>;
#  2. a unit that includes <esc/esc.hpp>, against one that includes just the
#     standard headers the umbrella itself includes;
#  3. each light header (status, registry, reply_code) against the standard
#     headers it includes itself.
# Usage: bench/compile_cost.sh [compiler] [--instructions]   (default g++)
# With --instructions, each figure is the instructions the compiler and its
# child processes execute (valgrind's callgrind, one run each, in millions)
# instead of user time: the same on a loaded machine, where the timings of
# these 50-200 ms compilations wander by a fifth.
set -euo pipefail
cxx=${1:-g++}
mode=${2:-time}
[[ $mode == --instructions ]] && mode=instructions
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/classify.cpp" <<'EOF'
#include <esc/classify.hpp>
#include <esc/reply.hpp>
int use(std::string_view text) { return static_cast<int>(esc::classify(text).reason) + static_cast<int>(esc::parse_reply(text).offset); }
EOF
cat > "$work/classify_base.cpp" <<'EOF'
#include <string_view>
#include <optional>
#include <cstdint>
#include <charconv>
#include <array>
int use(std::string_view text) { return static_cast<int>(text.size()); }
EOF
# The standard headers a header pulls in: follow its own includes.
std_headers_of() {
    local -A seen=()
    local queue=("$1") f inc out=""
    while ((${#queue[@]})); do
        f=${queue[0]}; queue=("${queue[@]:1}")
        [[ -n ${seen[$f]:-} ]] && continue
        seen[$f]=1
        out+=$(grep -ho '#include <[a-z_]*>' "$f" || true)$'\n'
        for inc in $(grep -o '#include "[^"]*"' "$f" | cut -d'"' -f2); do queue+=("$(cd "$(dirname "$f")" && realpath "$inc")"); done
    done
    echo "$out" | sed '/^$/d' | sort -u
}
std_headers=$(std_headers_of "$root/include/esc/esc.hpp")
{ echo "#include <esc/esc.hpp>"; echo "int use() { return 0; }"; } > "$work/umbrella.cpp"
{ echo "$std_headers"; echo "int use() { return 0; }"; } > "$work/umbrella_base.cpp"

median() { # file [flags...] -> median user seconds of 5 compilations (or instructions, in millions)
    local f=$1; shift
    if [[ $mode == instructions ]]; then
        rm -f "$work"/cg.*
        valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$work/cg.%p" \
            "$cxx" -std=c++17 -O2 "$@" -I"$root/include" -c "$f" -o /dev/null >/dev/null 2>&1
        cat "$work"/cg.* | awk '/^summary:/ { n += $2 } END { printf "%.1f", n / 1e6 }'
        return
    fi
    local TIMEFORMAT=%3U
    for _ in 1 2 3 4 5; do
        { time "$cxx" -std=c++17 -O2 "$@" -I"$root/include" -c "$f" -o /dev/null >/dev/null 2>&1; } 2>&1 | tail -1
    done | sort -n | sed -n 3p
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
unit=s; [[ $mode == instructions ]] && unit=M
row() { printf '%-58s %6s%s  vs %6s%s  ratio %s (target <= %s)\n' "$1" "$2" "$unit" "$3" "$unit" "$(ratio "$2" "$3")" "$4"; }

compiled=-DESC_SEPARATE_COMPILATION
cb=$(median "$work/classify_base.cpp"); ub=$(median "$work/umbrella_base.cpp")
echo "compiler: $($cxx --version | head -1)"
[[ $mode == instructions ]] && echo "figures: millions of instructions (callgrind), not seconds"
echo "standard headers of the umbrella: $(echo $std_headers | sed 's/#include //g')"
row "parse+classify headers, calling classify(), header-only" "$(median "$work/classify.cpp")" "$cb" "-"
row "parse+classify headers, calling classify(), compiled mode" "$(median "$work/classify.cpp" $compiled)" "$cb" 1.5
row "<esc/esc.hpp>, including only, header-only" "$(median "$work/umbrella.cpp")" "$ub" "-"
row "<esc/esc.hpp>, including only, compiled mode" "$(median "$work/umbrella.cpp" $compiled)" "$ub" 1.5
for h in status registry reply_code; do
    { echo "#include <esc/$h.hpp>"; echo "int use() { return 0; }"; } > "$work/$h.cpp"
    { std_headers_of "$root/include/esc/$h.hpp"; echo "int use() { return 0; }"; } > "$work/${h}_base.cpp"
    row "<esc/$h.hpp>, including only" "$(median "$work/$h.cpp")" "$(median "$work/${h}_base.cpp")" 1.3
done
