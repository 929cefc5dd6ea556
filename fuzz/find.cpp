// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// find_reply() and find_status() on arbitrary text: what they return lies
// inside the text, is deterministic, is a code by the rules reply.hpp states
// (boundaries, subjects 0..7 outside a reply, codes outside the grammar only
// with an enhanced code of their class), and can be walked with lines().
#include <esc/reply.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

using esc_fuzz::inside;

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool same(const std::optional<esc::reply>& a, const std::optional<esc::reply>& b) {
    if (a.has_value() != b.has_value()) return false;
    if (!a) return true;
    return a->code == b->code && a->status == b->status && esc_fuzz::same_view(a->text, b->text) &&
           esc_fuzz::same_view(a->raw, b->raw) && a->line_count == b->line_count &&
           a->warnings.code_outside_grammar == b->warnings.code_outside_grammar &&
           a->warnings.class_mismatch == b->warnings.class_mismatch &&
           a->warnings.line_too_long == b->warnings.line_too_long;
}

void check_found_reply(const esc::reply& r, std::string_view in) {
    ESC_FUZZ_CHECK(inside(r.raw, in));
    ESC_FUZZ_CHECK(inside(r.text, in));
    ESC_FUZZ_CHECK(inside(r.text, r.raw));
    ESC_FUZZ_CHECK(r.line_count >= 1);
    ESC_FUZZ_CHECK(esc::has_reply_class(r.code));
    // The reply starts at its code, which is not glued to what precedes it.
    const std::string_view raw = r.raw;
    ESC_FUZZ_CHECK(raw.size() >= 3);
    ESC_FUZZ_CHECK(unsigned(raw[0] - '0') * 100 + unsigned(raw[1] - '0') * 10 + unsigned(raw[2] - '0') ==
                   esc::to_int(r.code));
    const std::size_t at = esc_fuzz::offset_in(raw, in);
    if (at > 0) ESC_FUZZ_CHECK(!is_alnum(in[at - 1]) && in[at - 1] != '.');
    ESC_FUZZ_CHECK(r.warnings.code_outside_grammar == !esc::is_valid(r.code));
    if (r.status) {
        ESC_FUZZ_CHECK(esc::is_valid(*r.status));
        ESC_FUZZ_CHECK(r.warnings.class_mismatch == (static_cast<int>(r.status->cls) != esc::to_int(r.code) / 100));
    }
    // 571 and the like count only with an enhanced code of their class.
    if (!esc::is_valid(r.code)) ESC_FUZZ_CHECK(r.status && !r.warnings.class_mismatch);

    std::size_t n = 0;
    for (std::string_view t : esc::lines(r)) {
        ESC_FUZZ_CHECK(inside(t, r.raw));
        ESC_FUZZ_CHECK(++n <= r.raw.size() + 1);
    }
    const std::unique_ptr<char[]> buf(new char[r.text.size() + 1]);
    const std::string_view j = esc::join_text(r, buf.get(), buf.get() + r.text.size());
    ESC_FUZZ_CHECK(j.size() <= r.text.size());
}

bool is_detail_range(const esc::status_match& m, std::string_view in, std::size_t dash) {
    const std::size_t detail_digits = m.text.size() - m.text.rfind('.') - 1;
    std::size_t j = dash + 1;
    unsigned value = 0;
    while (j < in.size() && in[j] >= '0' && in[j] <= '9' && j - dash <= 4) value = value * 10 + unsigned(in[j++] - '0');
    return detail_digits >= 2 && j - dash - 1 == detail_digits && value > m.status.detail;
}

void check_found_status(const esc::status_match& m, std::string_view in) {
    ESC_FUZZ_CHECK(inside(m.text, in));
    ESC_FUZZ_CHECK(esc::parse_status(m.text) == m.status); // exactly the code's characters
    ESC_FUZZ_CHECK(m.status.subject <= 7);                  // outside a reply, a registered subject only
    const std::size_t at = esc_fuzz::offset_in(m.text, in), end = at + m.text.size();
    if (at > 0) ESC_FUZZ_CHECK(!is_alnum(in[at - 1]) && in[at - 1] != '.' && in[at - 1] != '_');
    if (end < in.size()) {
        ESC_FUZZ_CHECK(!is_alnum(in[end]) && in[end] != '_');
        // "5.1.1.1" is an address: no number goes on after the code, except
        // the end of a range of details as Microsoft documents them
        // ("5.7.606-649": as many digits as the detail, two or more, and larger).
        if (in[end] == '.' || in[end] == ',' || in[end] == ':' || (in[end] == '-' && !is_detail_range(m, in, end)))
            ESC_FUZZ_CHECK(end + 1 == in.size() || !(in[end + 1] >= '0' && in[end + 1] <= '9'));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view in(copy.get(), size);

    const std::optional<esc::reply> r = esc::find_reply(in);
    ESC_FUZZ_CHECK(same(r, esc::find_reply(in)));
    const std::optional<esc::status_match> m = esc::find_status(in);
    const std::optional<esc::status_match> again = esc::find_status(in);
    ESC_FUZZ_CHECK(m.has_value() == again.has_value());
    if (m) ESC_FUZZ_CHECK(m->status == again->status && esc_fuzz::same_view(m->text, again->text));

    if (r) check_found_reply(*r, in);
    if (m) check_found_status(*m, in);
    // The enhanced code right after the reply's code (past blanks and a '#'),
    // when find_status() reports one there, is the reply's enhanced code;
    // unless the reply starts a line, where the wire grammar wants a blank
    // after that code ("550 5.1.1, x" has none).
    const std::size_t r_at = r ? esc_fuzz::offset_in(r->raw, in) : 0;
    if (r && m && r->line_count == 1 && r->raw.size() > 3 && (r->raw[3] == ' ' || r->raw[3] == '-') && r_at > 0 &&
        in[r_at - 1] != '\n' && in[r_at - 1] != '\r') {
        std::size_t s = r_at + 4;
        while (s < in.size() && (in[s] == ' ' || in[s] == '\t')) ++s;
        if (s < in.size() && in[s] == '#') ++s;
        if (esc_fuzz::offset_in(m->text, in) == s) ESC_FUZZ_CHECK(r->status == m->status);
    }
    // An enhanced code find_reply read after a reply code is one find_status
    // sees too (find_status reads registered subjects only).
    if (r && r->status && r->status->subject <= 7) ESC_FUZZ_CHECK(m.has_value());

    // The text after the reply found, as a caller looking for the next one would.
    if (r) {
        const std::size_t end = esc_fuzz::offset_in(r->raw, in) + r->raw.size();
        const std::string_view rest = in.substr(end);
        if (const auto next = esc::find_reply(rest)) check_found_reply(*next, rest);
    }
    return 0;
}
