#!/usr/bin/env bash
# Compile cost of esc's headers (g++ -O2, C++17, median of 5 runs, user CPU time):
#  1. a unit that includes what parsing and classifying need (not the
#     umbrella) and calls classify(), against the same unit with only
#     <string_view> <optional> <cstdint> <charconv> <array>;
#  2. a unit that includes <esc/esc.hpp>, against one that includes just the
#     standard headers the umbrella itself includes.
# Usage: bench/compile_cost.sh [compiler]   (default g++)
set -euo pipefail
cxx=${1:-g++}
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
# The standard headers the umbrella pulls in: follow its own includes.
declare -A seen=()
queue=("$root/include/esc/esc.hpp")
std_headers=""
while ((${#queue[@]})); do
    f=${queue[0]}; queue=("${queue[@]:1}")
    [[ -n ${seen[$f]:-} ]] && continue
    seen[$f]=1
    std_headers+=$(grep -ho '#include <[a-z_]*>' "$f" || true)$'\n'
    for inc in $(grep -o '#include "[^"]*"' "$f" | cut -d'"' -f2); do queue+=("$(cd "$(dirname "$f")" && realpath "$inc")"); done
done
std_headers=$(echo "$std_headers" | sed '/^$/d' | sort -u)
{ echo "#include <esc/esc.hpp>"; echo "int use() { return 0; }"; } > "$work/umbrella.cpp"
{ echo "$std_headers"; echo "int use() { return 0; }"; } > "$work/umbrella_base.cpp"

median() { # file -> median user seconds of 5 compilations
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f %U "$cxx" -std=c++17 -O2 -I"$root/include" -c "$1" -o /dev/null 2>&1 >/dev/null | tail -1
    done | sort -n | sed -n 3p
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

c=$(median "$work/classify.cpp"); cb=$(median "$work/classify_base.cpp")
u=$(median "$work/umbrella.cpp"); ub=$(median "$work/umbrella_base.cpp")
echo "compiler: $($cxx --version | head -1)"
echo "standard headers of the umbrella: $(echo $std_headers | sed 's/#include //g')"
printf '%-58s %6ss  vs %6ss  ratio %s (target <= 1.5)\n' "parse+classify headers, calling classify()" "$c" "$cb" "$(ratio "$c" "$cb")"
printf '%-58s %6ss  vs %6ss  ratio %s (target <= 1.2)\n' "<esc/esc.hpp>, including only" "$u" "$ub" "$(ratio "$u" "$ub")"
