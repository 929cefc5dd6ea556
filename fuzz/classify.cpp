// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// classify(text) on arbitrary text, for every command: deterministic, and
// consistent (a reason exactly for failures; a status that is valid whenever
// it was read; an outcome that follows the reply or status found). And for a
// text that parses as a reply: classifying the parsed reply, the same reply
// found again by find_reply(), and its text, all agree.
#include <esc/classify.hpp>
#include <esc/reply.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

bool is_failure(esc::outcome o) { return o == esc::outcome::transient || o == esc::outcome::permanent; }

void check_consistent(const esc::classification& c) {
    ESC_FUZZ_CHECK(static_cast<int>(c.outcome) <= static_cast<int>(esc::outcome::unknown));
    ESC_FUZZ_CHECK(static_cast<std::size_t>(c.reason) < esc::reason_count);
    ESC_FUZZ_CHECK((c.reason == esc::reason::none) == !(is_failure(c.outcome) || c.outcome == esc::outcome::unknown));
    if (!c.inferred) ESC_FUZZ_CHECK(esc::is_valid(c.status));
    if (c.outcome == esc::outcome::unknown) ESC_FUZZ_CHECK(c.inferred && !esc::is_valid(c.status));
    else ESC_FUZZ_CHECK(esc::is_valid(c.status));
}

// The evidence classify() reports is a view into the text it was given.
void check_evidence(const esc::classification& c, std::string_view in) {
    if (!c.why.text.empty()) {
        ESC_FUZZ_CHECK(c.why.text.data() >= in.data());
        ESC_FUZZ_CHECK(c.why.text.data() + c.why.text.size() <= in.data() + in.size());
    }
    ESC_FUZZ_CHECK((c.verdict == esc::verdict::none) == (c.reason == esc::reason::none));
    if (c.why.by == esc::decided_by::nothing) ESC_FUZZ_CHECK(c.reason == esc::reason::other && c.why.text.empty());
}

void check_text(std::string_view in) {
    const esc::classification c = esc::classify(in);
    ESC_FUZZ_CHECK(c == esc::classify(in));
    check_consistent(c);
    check_evidence(c, in);
    const std::optional<esc::reply> r = esc::find_reply(in);
    const std::optional<esc::status_match> m = esc::find_status(in);
    if (r) {
        ESC_FUZZ_CHECK(c.outcome != esc::outcome::unknown);
        if (r->status && esc::is_valid(*r->status)) ESC_FUZZ_CHECK(!c.inferred && c.status == *r->status);
    } else if (m) {
        ESC_FUZZ_CHECK(!c.inferred && c.status == m->status);
    } else {
        ESC_FUZZ_CHECK(c.outcome == esc::outcome::unknown);
    }
    if (in.size() > 2048) return;
    for (int cmd = 1; cmd <= static_cast<int>(esc::command::etrn); ++cmd) {
        const esc::classification k = esc::classify(in, static_cast<esc::command>(cmd));
        check_consistent(k);
        ESC_FUZZ_CHECK((k.outcome == esc::outcome::unknown) == (c.outcome == esc::outcome::unknown));
    }
}

std::string_view without_line_end(std::string_view s) {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

// A reply as parse_reply() read it, and as the text of a log line carrying
// exactly that reply, found again by find_reply(): one classification.
//  - When the first line carries an enhanced code of a registered subject
//    (RFC 2034 style), find_reply() finds this reply at the start, with the
//    same code and enhanced code; a multi-line reply comes back whole.
//  - Whenever find_reply() gives back the reply itself (all of it, the last
//    line end aside), classify() of the parsed reply, of the found reply and
//    of the text agree.
// Out of scope, by find_reply()'s documented preferences: a reply whose
// first line has no enhanced code but whose text quotes one with a code
// ("354 ... 451 4.3.0 Error"): in prose the quoted one wins; and a one-line
// reply whose text quotes a reply with another code, where prose is cut.
void check_reply_round(std::string_view in) {
    const esc::parsed_reply p = esc::parse_reply(in);
    if (!p) return;
    const esc::reply& r = p.reply;
    const esc::classification direct = esc::classify(r);
    const std::optional<esc::reply> found = esc::find_reply(r.raw);

    std::string_view first_line = r.raw.substr(0, r.raw.find('\n') == std::string_view::npos ? r.raw.size() : r.raw.find('\n'));
    first_line = without_line_end(first_line);
    const esc_fuzz::leading_code lead =
        first_line.size() > 4 ? esc_fuzz::read_leading_code(first_line.substr(4)) : esc_fuzz::leading_code{};
    const bool registered = lead.status && lead.status->subject <= 7 &&
                            (esc::is_valid(r.code) || static_cast<int>(lead.status->cls) == esc::to_int(r.code) / 100);
    if (registered) {
        ESC_FUZZ_CHECK(found.has_value());
        ESC_FUZZ_CHECK(found->raw.data() == r.raw.data());
        ESC_FUZZ_CHECK(found->code == r.code);
        ESC_FUZZ_CHECK(found->status == lead.status);
        if (r.line_count > 1) ESC_FUZZ_CHECK(esc_fuzz::same_view(found->raw, r.raw) && found->line_count == r.line_count);
    }
    if (found && found->raw.data() == r.raw.data() &&
        (esc_fuzz::same_view(found->raw, r.raw) || esc_fuzz::same_view(found->raw, without_line_end(r.raw)))) {
        ESC_FUZZ_CHECK(esc::classify(*found) == direct);
        ESC_FUZZ_CHECK(esc::classify(r.raw) == direct);
        for (esc::command cmd : {esc::command::connect, esc::command::mail, esc::command::rcpt, esc::command::end_of_data}) {
            const esc::classification given = esc::classify(r, cmd);
            ESC_FUZZ_CHECK(esc::classify(*found, cmd) == given);
            ESC_FUZZ_CHECK(esc::classify(r.raw, cmd) == given);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view in(copy.get(), size);
    check_text(in);
    check_reply_round(in);
    return 0;
}
