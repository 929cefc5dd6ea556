// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// parse_reply() on arbitrary bytes, walked reply by reply as a transcript.
// Checked: every view lies inside the input, offsets are within it, the
// result is deterministic and agrees with a plain re-reading of the lines it
// claims to have read; lines()/join_text() and classify() on each reply.
#include <esc/classify.hpp>
#include <esc/reply.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

using esc_fuzz::inside;

bool same(const esc::parsed_reply& a, const esc::parsed_reply& b) {
    const esc::reply &x = a.reply, &y = b.reply;
    return a.error == b.error && a.offset == b.offset && x.code == y.code && x.status == y.status &&
           esc_fuzz::same_view(x.text, y.text) && esc_fuzz::same_view(x.raw, y.raw) && x.line_count == y.line_count &&
           x.warnings.code_outside_grammar == y.warnings.code_outside_grammar &&
           x.warnings.line_too_long == y.warnings.line_too_long && x.warnings.bare_lf == y.warnings.bare_lf &&
           x.warnings.class_mismatch == y.warnings.class_mismatch &&
           x.warnings.status_differs == y.warnings.status_differs &&
           x.warnings.status_on_some_lines == y.warnings.status_on_some_lines &&
           x.warnings.nul_in_text == y.warnings.nul_in_text;
}

bool is_code_digits(std::string_view s, esc::reply_code code) {
    return s.size() >= 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
           s[2] <= '9' && unsigned(s[0] - '0') * 100 + unsigned(s[1] - '0') * 10 + unsigned(s[2] - '0') ==
                              esc::to_int(code);
}

// Re-reads a successfully parsed reply's raw text line by line.
void check_lines(const esc::reply& r) {
    std::size_t pos = 0, lines = 0, longest = 0;
    bool bare_lf = false, saw_last = false;
    while (pos < r.raw.size()) {
        ESC_FUZZ_CHECK(!saw_last); // nothing after the line with "code SP"
        std::size_t end = pos;
        while (end < r.raw.size() && r.raw[end] != '\r' && r.raw[end] != '\n') ++end;
        const std::string_view line = r.raw.substr(pos, end - pos);
        std::size_t next = end;
        if (end < r.raw.size()) {
            if (r.raw[end] == '\n') {
                bare_lf = true;
                next = end + 1;
            } else {
                ESC_FUZZ_CHECK(end + 1 < r.raw.size() && r.raw[end + 1] == '\n'); // no bare CR accepted
                next = end + 2;
            }
        }
        if (next - pos > longest) longest = next - pos;
        ESC_FUZZ_CHECK(is_code_digits(line, r.code));
        ESC_FUZZ_CHECK(line.size() == 3 || line[3] == ' ' || line[3] == '-');
        saw_last = line.size() == 3 || line[3] == ' ';
        ++lines;
        pos = next;
    }
    ESC_FUZZ_CHECK(saw_last);
    ESC_FUZZ_CHECK(lines == r.line_count);
    ESC_FUZZ_CHECK(r.warnings.bare_lf == bare_lf);
    ESC_FUZZ_CHECK(r.warnings.line_too_long == (longest > esc::max_reply_line));
}

void check_reply_views(const esc::reply& r, std::string_view in) {
    ESC_FUZZ_CHECK(inside(r.raw, in));
    ESC_FUZZ_CHECK(inside(r.text, in));
    ESC_FUZZ_CHECK(inside(r.text, r.raw));
    // lines() visits each line's text, each inside raw; join_text never needs
    // more than text.size() bytes and never writes past the buffer it is given.
    std::size_t n = 0, joined = 0;
    for (std::string_view t : esc::lines(r)) {
        ESC_FUZZ_CHECK(inside(t, r.raw));
        joined += t.size() + (n != 0 ? 1 : 0);
        ++n;
        ESC_FUZZ_CHECK(n <= r.raw.size() + 1);
    }
    const std::unique_ptr<char[]> buf(new char[r.text.size() + 1]);
    const std::string_view j = esc::join_text(r, buf.get(), buf.get() + r.text.size());
    ESC_FUZZ_CHECK(j.data() == buf.get() && j.size() <= r.text.size());
    if (r.line_count != 0 && r.raw.size() != 0 && n == r.line_count) ESC_FUZZ_CHECK(j.size() == joined);
    // A buffer of one byte, and none at all.
    char one[1];
    ESC_FUZZ_CHECK(esc::join_text(r, one, one + 1).size() <= 1);
    ESC_FUZZ_CHECK(esc::join_text(r, one, one).empty());
}

void check_classification(const esc::reply& r) {
    const esc::classification c = esc::classify(r);
    ESC_FUZZ_CHECK(c == esc::classify(r));
    const int cls = esc::to_int(r.code) / 100;
    switch (cls) {
    case 2: ESC_FUZZ_CHECK(c.outcome == esc::outcome::success); break;
    case 3: ESC_FUZZ_CHECK(c.outcome == esc::outcome::intermediate); break;
    case 4: ESC_FUZZ_CHECK(c.outcome == esc::outcome::transient); break;
    case 5:
        // 552 to RCPT is "too many recipients": transient (RFC 5321 4.5.3.1.10).
        ESC_FUZZ_CHECK(c.outcome == esc::outcome::permanent ||
                       (esc::to_int(r.code) == 552 && c.outcome == esc::outcome::transient));
        break;
    default: ESC_FUZZ_CHECK(false);
    }
    ESC_FUZZ_CHECK((c.reason == esc::reason::none) ==
                   (c.outcome == esc::outcome::success || c.outcome == esc::outcome::intermediate));
    ESC_FUZZ_CHECK(esc::is_valid(c.status));
    ESC_FUZZ_CHECK(c.inferred == !r.status.has_value());
    if (r.status) ESC_FUZZ_CHECK(c.status == *r.status);
    if (r.raw.size() > 2048) return; // every command, on replies of a reasonable size
    for (int cmd = 0; cmd <= static_cast<int>(esc::command::etrn); ++cmd) {
        const esc::classification k = esc::classify(r, static_cast<esc::command>(cmd));
        ESC_FUZZ_CHECK(esc::is_valid(k.status));
        ESC_FUZZ_CHECK((k.reason == esc::reason::none) ==
                       (k.outcome == esc::outcome::success || k.outcome == esc::outcome::intermediate));
    }
}

struct progress {
    std::size_t offset;
    bool parsed;
};

// One reply at the start of `in`; says how far it got.
progress check_one(std::string_view in) {
    const esc::parsed_reply p = esc::parse_reply(in);
    ESC_FUZZ_CHECK(same(p, esc::parse_reply(in)));
    ESC_FUZZ_CHECK(p.offset <= in.size());
    ESC_FUZZ_CHECK(esc_fuzz::same_view(p.reply.raw, in.substr(0, p.offset)));
    ESC_FUZZ_CHECK(inside(p.reply.text, in));
    // The reading of typed text differs only where the input stops inside a
    // reply: the wire says incomplete (and nothing else), the text reads the
    // last line as ended, or says truncated; everything else is the same.
    const esc::parsed_reply t = esc::parse_reply_text(in);
    ESC_FUZZ_CHECK(t.error != esc::reply_error::incomplete);
    if (p.error != esc::reply_error::incomplete) ESC_FUZZ_CHECK(same(p, t));
    if (p.error == esc::reply_error::incomplete) {
        ESC_FUZZ_CHECK(p.offset == in.size());
        ESC_FUZZ_CHECK(in.empty() || in.back() != '\n' || !t);
    }
    if (t.error == esc::reply_error::truncated) ESC_FUZZ_CHECK(t.offset == in.size());
    ESC_FUZZ_CHECK(p.error != esc::reply_error::truncated);
    if (!p) {
        ESC_FUZZ_CHECK(p.error != esc::reply_error::none);
        ESC_FUZZ_CHECK(!esc::to_string(p.error).empty());
        if (p.error == esc::reply_error::bare_cr)
            ESC_FUZZ_CHECK(p.offset < in.size() && in[p.offset] == '\r' &&
                           (p.offset + 1 == in.size() || in[p.offset + 1] != '\n'));
        if (p.error == esc::reply_error::mixed_codes) ESC_FUZZ_CHECK(!is_code_digits(in.substr(p.offset), p.reply.code));
        // What was read before the error is still safe to walk.
        check_reply_views(p.reply, in);
        return {p.offset, false};
    }
    const esc::reply& r = p.reply;
    ESC_FUZZ_CHECK(p.offset > 0);
    ESC_FUZZ_CHECK(r.line_count >= 1);
    ESC_FUZZ_CHECK(esc::has_reply_class(r.code));
    ESC_FUZZ_CHECK(is_code_digits(in, r.code));
    ESC_FUZZ_CHECK(r.warnings.code_outside_grammar == !esc::is_valid(r.code));
    if (r.status) {
        ESC_FUZZ_CHECK(esc::is_valid(*r.status));
        ESC_FUZZ_CHECK(r.warnings.class_mismatch == (static_cast<int>(r.status->cls) != esc::to_int(r.code) / 100));
    } else {
        ESC_FUZZ_CHECK(!r.warnings.class_mismatch && !r.warnings.status_differs && !r.warnings.status_on_some_lines);
    }
    check_lines(r);
    check_reply_views(r, in);
    // text runs from the first line's text to the end of the last line's.
    std::string_view first_text, last_text;
    std::size_t n = 0;
    for (std::string_view t : esc::lines(r)) {
        if (n++ == 0) first_text = t;
        last_text = t;
    }
    ESC_FUZZ_CHECK(n == r.line_count);
    ESC_FUZZ_CHECK(r.text.data() == first_text.data());
    ESC_FUZZ_CHECK(r.text.data() + r.text.size() == last_text.data() + last_text.size());
    if (n == 1) ESC_FUZZ_CHECK(esc_fuzz::same_view(r.text, first_text));
    check_classification(r);
    return {p.offset, true};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view in(copy.get(), size);
    // A transcript: reply after reply while they parse; after an error, on
    // from the next line start, as a reader resynchronising would.
    std::size_t pos = 0;
    while (pos < in.size()) {
        const progress step = check_one(in.substr(pos));
        pos += step.offset;
        if (step.parsed) continue;
        while (pos < in.size() && in[pos] != '\n') ++pos;
        if (pos < in.size()) ++pos;
    }
    return 0;
}
