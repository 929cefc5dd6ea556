#!/usr/bin/env bash
# What esc adds to a program: a stripped g++ -O2 binary that calls everything
# (lookups over the whole registry and reply code table, describe, parse,
# find, classify, format) against one that includes the same headers and
# calls nothing. The difference is esc's tables plus its code.
# Usage: bench/table_size.sh [compiler]
set -euo pipefail
cxx=${1:-g++}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/all.cpp" <<'EOF'
#include <esc/esc.hpp>
#include <cstdio>
int main(int argc, char** argv) {
    std::size_t n = 0;
    for (const auto& e : esc::registry()) n += esc::describe(e.code(esc::status_class::permanent)).size() + e.description.size();
    for (const auto& r : esc::reply_codes()) n += esc::describe(esc::reply_code{r.code}).size();
    for (int i = 1; i < argc; ++i) {
        const auto c = esc::classify(argv[i]);
        n += static_cast<std::size_t>(c.reason) + esc::parse_reply(argv[i]).offset + esc::advice(c.outcome, c.reason).size();
        if (auto s = esc::find_status(argv[i])) n += esc::lookup(s->status) != nullptr;
        n += esc::check_consistency(esc::reply_code{550}, c.status).ok();
        n += esc::format_reply(esc::reply_code{550}, c.status, argv[i]).size();
        n += esc::make_error_code(c.status).message().size();
    }
    std::printf("%zu\n", n);
}
EOF
cat > "$work/none.cpp" <<'EOF'
#include <esc/esc.hpp>
#include <cstdio>
int main() { std::printf("%d\n", 0); }
EOF
for f in all none; do "$cxx" -std=c++17 -O2 -I"$root/include" "$work/$f.cpp" -o "$work/$f" && strip "$work/$f"; done
a=$(stat -c %s "$work/all"); b=$(stat -c %s "$work/none")
# File sizes move in page-aligned steps; the loaded sections' sum is exact.
sa=$(size "$work/all" | awk 'NR == 2 { print $4 }'); sb=$(size "$work/none" | awk 'NR == 2 { print $4 }')
echo "stripped -O2 binaries: calls everything $a bytes, calls nothing $b bytes: file grows by $((a - b)) bytes"
echo "loaded sections (text + data + bss): $sa vs $sb bytes: esc adds $((sa - sb)) bytes" \
     "($(( (sa - sb + 1023) / 1024 )) KiB; target <= 64 KiB)"
size -A "$work/all" | awk '/^\./ && $2 > 1024 { printf "  %-16s %7d bytes\n", $1, $2 }'
tables=$(size -A "$work/all" | awk '$1 == ".rodata" || $1 == ".data.rel.ro" || $1 == ".rela.dyn" { s += $2 } END { print s }')
echo "of which tables (.rodata, .data.rel.ro and their relocations .rela.dyn): $tables bytes" \
     "($(( (tables + 1023) / 1024 )) KiB)"
