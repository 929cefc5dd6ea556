// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The log-line parser behind `esc scan` (examples/esc/log_parser.hpp) on
// arbitrary bytes, split into lines as the tool splits them. Checked: every
// view lies inside its line; the result is deterministic; the recipient list
// walks to an end, each address and domain inside the line; classify() on the
// text, as the tool calls it, sees the same text twice the same way; the
// timestamp, queue ID and relay of the printed records (context_of) lie inside the line.
#include <esc/classify.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../examples/esc/log_parser.hpp"
#include "fuzz_check.hpp"

namespace {

using esc_fuzz::inside;

bool known_disposition(std::string_view d) {
    using k = esc_cli::disposition_kind;
    for (k kind : {k::sent, k::deferred, k::bounced, k::expired, k::other, k::malformed})
        if (d == esc_cli::to_string(kind)) return true;
    return d == "suppressed";
}

void check_line(std::string_view line) {
    const auto a = esc_cli::parse_log_line(line);
    const auto again = esc_cli::parse_log_line(line);
    ESC_FUZZ_CHECK(a.has_value() == again.has_value());
    if (!a) return;
    ESC_FUZZ_CHECK(a->format == again->format && a->kind == again->kind);
    ESC_FUZZ_CHECK(esc_fuzz::same_view(a->disposition, again->disposition));
    ESC_FUZZ_CHECK(esc_fuzz::same_view(a->recipients, again->recipients));
    ESC_FUZZ_CHECK(esc_fuzz::same_view(a->dsn, again->dsn) && esc_fuzz::same_view(a->text, again->text));
    for (std::string_view v : {a->recipients, a->dsn, a->text}) ESC_FUZZ_CHECK(inside(v, line));
    // Postfix's status= word comes from the line; Exim and sendmail log a
    // marker or free text, so it is a fixed name (that of the marker's kind,
    // even when the rest of the line turns out malformed).
    ESC_FUZZ_CHECK(inside(a->disposition, line) || known_disposition(a->disposition));
    ESC_FUZZ_CHECK(!esc_cli::to_string(a->kind).empty());
    std::string_view list = a->recipients;
    std::size_t steps = 0;
    for (std::string_view address = esc_cli::next_recipient(list); !address.empty();
         address = esc_cli::next_recipient(list)) {
        ESC_FUZZ_CHECK(inside(address, line));
        ESC_FUZZ_CHECK(inside(esc_cli::domain_of(address), line));
        ESC_FUZZ_CHECK(++steps <= line.size()); // each address consumes input
    }
    ESC_FUZZ_CHECK(esc::classify(a->text) == esc::classify(a->text));
    const esc_cli::log_context c = esc_cli::context_of(line, *a);
    for (std::string_view v : {c.timestamp, c.queue_id, c.relay}) ESC_FUZZ_CHECK(inside(v, line));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t pos = 0;
    while (pos <= input.size()) {
        const std::size_t nl = input.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? input.size() : nl;
        check_line(input.substr(pos, end - pos));
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return 0;
}
