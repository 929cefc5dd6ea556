// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The log-line parser behind `esc scan` (examples/esc/log_parser.hpp) on
// arbitrary bytes, split into lines as the tool splits them. Checked: every
// view lies inside its line; the result is deterministic; the recipient list
// walks to an end, each address and domain inside the line; classify() on the
// text, as the tool calls it, sees the same text twice the same way; the
// timestamp, queue ID and relay of the printed records (context_of) lie inside the line.
// parse_log_event() on the same line: deterministic, every view inside the line, a
// delivery exactly parse_log_line()'s attempt; its timestamp and the whole line through
// parse_log_time() and parse_time_argument() (log_time.hpp), which must not read past them.
#include <esc/classify.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../examples/esc/log_parser.hpp"
#include "../examples/esc/log_time.hpp"
#include "fuzz_check.hpp"

namespace {

using esc_fuzz::inside;

bool known_disposition(std::string_view d) {
    using k = esc_cli::disposition_kind;
    for (k kind : {k::sent, k::deferred, k::bounced, k::expired, k::other, k::not_attempted, k::probe, k::malformed})
        if (d == esc_cli::to_string(kind)) return true;
    return d == "suppressed";
}

void check_event(std::string_view line) {
    const auto e = esc_cli::parse_log_event(line);
    const auto again = esc_cli::parse_log_event(line);
    ESC_FUZZ_CHECK(e.has_value() == again.has_value());
    // A time stamp or a --since argument may be any text: neither may fail but by nullopt.
    const esc_cli::year_context years = esc_cli::year_context_for(1795860001);
    ESC_FUZZ_CHECK(esc_cli::parse_log_time(line, years) == esc_cli::parse_log_time(line, years));
    (void)esc_cli::parse_time_argument(line, 1795860001);
    if (!e) return;
    const std::string_view views[] = {e->timestamp, e->queue_id, e->sender,           e->message_id,
                                      e->relay,     e->client,   e->text,             e->program,
                                      e->attempt.recipients,     e->attempt.dsn,      e->attempt.text};
    const std::string_view views_again[] = {again->timestamp, again->queue_id, again->sender,
                                            again->message_id, again->relay,   again->client,
                                            again->text,       again->program, again->attempt.recipients,
                                            again->attempt.dsn, again->attempt.text};
    for (std::size_t i = 0; i < sizeof views / sizeof views[0]; ++i) {
        ESC_FUZZ_CHECK(inside(views[i], line));
        ESC_FUZZ_CHECK(esc_fuzz::same_view(views[i], views_again[i]));
    }
    ESC_FUZZ_CHECK(e->kind == again->kind && e->size == again->size);
    const auto a = esc_cli::parse_log_line(line);
    ESC_FUZZ_CHECK((e->kind == esc_cli::event_kind::delivery) == a.has_value());
    if (a) {
        ESC_FUZZ_CHECK(e->attempt.kind == a->kind);
        ESC_FUZZ_CHECK(esc_fuzz::same_view(e->attempt.recipients, a->recipients));
        ESC_FUZZ_CHECK(esc_fuzz::same_view(e->attempt.text, a->text));
    }
    if (!e->timestamp.empty()) (void)esc_cli::parse_log_time(e->timestamp, years);
}

void check_line(std::string_view line) {
    check_event(line);
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
