// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of reply.hpp: included by it when esc is header-only, compiled
// once by <esc/src.hpp> otherwise (detail/config.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "../detail/config.hpp"
#include "../reply.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

// Where the line holding position i ends (its first CR or LF), or the end.
constexpr std::size_t line_end_from(std::string_view t, std::size_t i) noexcept { return find_line_stop(t, i).at; }

// An enhanced code at the start of `s`, followed by a blank or the end, into
// r.status, and the text after it into r.text (all of `s` without a code).
// Written into `r`, not returned: a small struct returned and then copied
// field by field is loaded back right after its fields were stored, which
// the processor does slowly.
constexpr void read_leading_status(std::string_view s, reply_line& r) noexcept {
    std::size_t i = 0;
    while (i < s.size() && is_blank(s[i])) ++i; // lenient: "550  5.1.1"
    if (i < s.size() && s[i] == '#') ++i;        // lenient: qmail-style "550 #5.1.0"
    status_code c{};
    const char* const first = s.data() + i;
    const char* const last = s.data() + s.size();
    const auto res = from_chars(first, last, c);
    if (res.ec != std::errc{} || (res.ptr != last && !is_blank(*res.ptr))) {
        r.text = s;
        return;
    }
    std::size_t after = static_cast<std::size_t>(res.ptr - s.data());
    if (after < s.size()) ++after; // RFC 2034: status-code SP text; exactly one blank is syntax
    // optional = T is constexpr only from C++20, and optional = optional (the
    // constant-expression path) makes a temporary the copy loads back: at run
    // time that costs 42 -> 39 M one-line and 13.5 -> 11.0 M four-line replies a second.
#if defined(__GNUC__) || defined(__clang__)
    if (!__builtin_is_constant_evaluated())
        r.status = c;
    else
#endif
        r.status = std::optional<status_code>(c);
    r.text = s.substr(after);
}

ESC_DECL reply_line split_reply_line(std::string_view line) noexcept {
    reply_line r;
    if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
        r.error = reply_error::no_code;
        return r;
    }
    r.code = static_cast<reply_code>((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
    if (!has_reply_class(r.code)) {
        r.error = reply_error::bad_code;
        return r;
    }
    if (line.size() == 3) { // RFC 5321: the text is optional on the last line
        r.text = line.substr(3);
        return r;
    }
    if (line[3] != ' ' && line[3] != '-') {
        r.error = reply_error::bad_code;
        r.error_at = 3;
        return r;
    }
    r.last = line[3] == ' ';
    read_leading_status(line.substr(4), r);
    return r;
}

// qmail ends its texts with the enhanced code in parentheses,
// "... allowed rcpthosts (#5.7.1)": for a reply that carries no code after
// the basic one, that is the reply's enhanced code.
constexpr std::optional<status_code> trailing_qmail_status(std::string_view text) noexcept {
    std::size_t end = text.size();
    while (end > 0 && is_blank(text[end - 1])) --end;
    if (end < 8 || text[end - 1] != ')') return std::nullopt; // "(#2.0.0)" is the shortest
    // The longest code is 9 characters (5.999.999): look no further back.
    const std::size_t floor = end > 12 ? end - 12 : 0;
    std::size_t hash = end - 1;
    while (hash > floor && text[hash] != '#') --hash;
    if (text[hash] != '#' || hash == 0 || text[hash - 1] != '(') return std::nullopt;
    status_code c{};
    const char* const last = text.data() + end - 1;
    const auto r = from_chars(text.data() + hash + 1, last, c);
    if (r.ec != std::errc{} || r.ptr != last) return std::nullopt;
    return c;
}

// check_unfinished_line(): see reply.hpp.
ESC_DECL reply_line check_unfinished_line(std::string_view line) noexcept {
    reply_line r;
    const std::size_t digits = line.size() < 3 ? line.size() : 3;
    for (std::size_t k = 0; k < digits; ++k) {
        if (!is_digit(line[k])) {
            r.error = reply_error::no_code;
            return r;
        }
    }
    if (line.size() < 3) return r;
    r.code = static_cast<reply_code>((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
    if (!has_reply_class(r.code)) {
        r.error = reply_error::bad_code;
    } else if (line.size() > 3 && line[3] != ' ' && line[3] != '-') {
        r.error = reply_error::bad_code;
        r.error_at = 3;
    }
    return r;
}

// wire: the input is a byte stream that may go on (parse_reply); otherwise
// its end is the end of the reply (parse_reply_text).
constexpr parsed_reply parse_reply_in(std::string_view in, bool wire) noexcept {
    // Every return is `return out;`, so that `out` is built where the caller
    // wants it (named return value optimisation): a copy of it, made from its
    // fields just stored, would cost more than the parse (the copy's wide
    // loads wait for those stores).
    parsed_reply out;
    reply& r = out.reply;
    auto fail = [&](reply_error e, std::size_t at) {
        out.error = e;
        out.offset = at;
        r.raw = in.substr(0, at);
    };
    if (in.empty()) {
        fail(wire ? reply_error::incomplete : reply_error::no_code, 0);
        return out;
    }

    std::size_t pos = 0;
    std::uint32_t with_status = 0;
    std::size_t text_begin = 0; // offsets, not pointers: see registry_position()
    while (true) {
        const line_view line = next_line(in, pos);
        // On the wire a line is unfinished until its LF: a CR as the last
        // byte may be the first half of CRLF.
        const bool unfinished =
            wire && (line.end == line_end::none || (line.end == line_end::bare_cr && line.next + 1 == in.size()));
        if (unfinished || line.end == line_end::bare_cr) {
            // What is before the end (or the CR) already decides some errors;
            // they come first, so that an error found while the line is still
            // arriving is the one the whole line gets.
            const reply_line early = check_unfinished_line(line.content);
            if (early.error != reply_error::none) {
                fail(early.error, pos + early.error_at);
                return out;
            }
            // Only with the octet after the code: "500" may yet become "500x" (bad_code).
            if (r.line_count > 0 && line.content.size() >= 4 && early.code != r.code) {
                fail(reply_error::mixed_codes, pos);
                return out;
            }
            if (unfinished) {
                fail(reply_error::incomplete, in.size());
                return out;
            }
            fail(reply_error::bare_cr, pos + line.content.size());
            return out;
        }
        const reply_line parts = split_reply_line(line.content);
        if (parts.error != reply_error::none) {
            fail(parts.error, pos + parts.error_at);
            return out;
        }
        if (r.line_count == 0) {
            r.code = parts.code;
        } else if (parts.code != r.code) {
            fail(reply_error::mixed_codes, pos);
            return out;
        }
        ++r.line_count;
        if (line.end == line_end::lf) r.warnings.bare_lf = true;
        if (line.next - pos > max_reply_line) r.warnings.line_too_long = true;
        if (line.nul) r.warnings.nul_in_text = true;
        // A reference to the line's code where it has one, not a new optional
        // built from it: that one would be stored byte by byte and read back whole.
        std::optional<status_code> qmail;
        if (!parts.status) qmail = trailing_qmail_status(parts.text);
        const std::optional<status_code>& status = parts.status ? parts.status : qmail;
        if (status) {
            ++with_status;
            if (!r.status)
                r.status = status;
            else if (*r.status != *status)
                r.warnings.status_differs = true;
        }
        const auto text_at = static_cast<std::size_t>(parts.text.data() - in.data());
        if (r.line_count == 1) text_begin = text_at;
        r.text = in.substr(text_begin, text_at + parts.text.size() - text_begin);
        pos = line.next;
        if (parts.last) break;
        if (pos >= in.size()) {
            fail(wire ? reply_error::incomplete : reply_error::truncated, in.size());
            return out;
        }
    }
    r.warnings.status_on_some_lines = with_status != 0 && with_status != r.line_count;
    r.warnings.code_outside_grammar = !is_valid(r.code);
    r.warnings.class_mismatch = r.status && static_cast<int>(r.status->cls) != static_cast<int>(class_of(r.code));
    r.raw = in.substr(0, pos);
    out.offset = pos;
    return out;
}

} // namespace detail

ESC_DECL parsed_reply parse_reply(std::string_view in) noexcept { return detail::parse_reply_in(in, true); }

ESC_DECL parsed_reply parse_reply_text(std::string_view in) noexcept { return detail::parse_reply_in(in, false); }


namespace detail {

// Characters that may stand right before a code quoted in prose:
// "smtp; 550", "said: 550", "'550", "(550", "<550", "=550".
constexpr bool opens_quoted_code(char c) noexcept {
    switch (c) {
    case ' ': case '\t': case '\r': case '\n': case ';': case ':': case '(': case '[': case '<': case '>':
    case '"': case '\'': case '=': case '{': case '|': case '`':
        return true;
    default:
        return false;
    }
}

// Before an enhanced code anything but a letter, digit or dot: a dot or digit
// would make it the tail of an IP address or version ("10.5.1.1", "2.5.1.1").
constexpr bool status_may_start_after(char c) noexcept { return !is_alnum(c) && c != '.' && c != '_'; }

// After an enhanced code: the end, or a character that cannot continue a
// number ("5.1.1." ending a sentence is fine, "5.1.1.1" is an IP address).
constexpr bool status_may_end_at(std::string_view t, std::size_t i) noexcept {
    if (i >= t.size()) return true;
    const char c = t[i];
    if (is_alnum(c) || c == '_') return false;
    if ((c == '.' || c == '-' || c == ',' || c == ':') && i + 1 < t.size() && is_digit(t[i + 1])) return false;
    return true;
}

// "version 5.1.2", "release 2.0.0", "v 4.2.1": a version, not a status.
constexpr bool follows_version_word(std::string_view t, std::size_t i) noexcept {
    std::size_t end = i;
    while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == ':')) --end;
    std::size_t begin = end;
    while (begin > 0 && is_alpha(t[begin - 1])) --begin;
    if (begin == end) return false; // most codes: after a number or a blank, no word to compare
    const std::string_view word = t.substr(begin, end - begin);
    return iequals(word, "version") || iequals(word, "ver") || iequals(word, "v") || iequals(word, "release") ||
           iequals(word, "rel") || iequals(word, "build") || iequals(word, "revision") || iequals(word, "rev");
}

// The word "RFC" (and blanks) right before the number at `number`.
constexpr bool follows_rfc_word(std::string_view t, std::size_t number) noexcept {
    std::size_t prev_end = number;
    while (prev_end > 0 && (t[prev_end - 1] == ' ' || t[prev_end - 1] == '\t')) --prev_end;
    return prev_end >= 3 && iequals(t.substr(prev_end - 3, 3), "rfc") &&
           (prev_end == 3 || !is_alnum(t[prev_end - 4]));
}

// "section 4.2.1", "sec. 4.2.1", "§ 4.2.1", "RFC 5321 4.2.1", "RFC5321 4.2.1":
// a section of a document, not a status.
constexpr bool follows_section_reference(std::string_view t, std::size_t i) noexcept {
    std::size_t end = i;
    while (end > 0 && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '.')) --end;
    if (end >= 2 && t[end - 2] == '\xC2' && t[end - 1] == '\xA7') return true; // U+00A7 in UTF-8
    std::size_t begin = end;
    while (begin > 0 && is_alnum(t[begin - 1])) --begin;
    const std::string_view word = t.substr(begin, end - begin);
    if (!word.empty() && is_alpha(word[0]) && // most codes follow a number or nothing: no word to compare
        (iequals(word, "section") || iequals(word, "sect") || iequals(word, "sec") || iequals(word, "chapter") ||
         iequals(word, "paragraph") || iequals(word, "para") || iequals(word, "clause")))
        return true;
    std::size_t digits = 0;
    while (digits < word.size() && !is_digit(word[digits])) ++digits;
    const std::string_view number = word.substr(digits);
    if (number.empty() || number.size() > 5) return false;
    for (char c : number)
        if (!is_digit(c)) return false;
    if (digits > 0) return iequals(word.substr(0, digits), "rfc"); // "RFC5321"
    return follows_rfc_word(t, begin);                                // "RFC 5321"
}

// A URL's query ("?code=550", "&status=5.7.1") holds parameters, not a
// reply: true when the '=' at `eq` is inside a token that has a '?', '&' or
// "://" before it. The look back is bounded, so a scan stays linear.
constexpr bool in_url_parameter(std::string_view t, std::size_t eq) noexcept {
    const std::size_t floor = eq > 512 ? eq - 512 : 0;
    for (std::size_t j = eq; j > floor; --j) {
        const char c = t[j - 1];
        if (c == '?' || c == '&' || c == '/') return true;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' || c == '(')
            return false;
    }
    return false;
}

// "5.7.606-649": Microsoft documents families of codes as ranges; the first
// code of the range is a code. The part after the dash has as many digits as
// the detail (two or more: "2.5.1-3" is a package version) and is larger.
constexpr bool detail_range_at(std::string_view t, std::size_t end, std::uint16_t detail) noexcept {
    if (end >= t.size() || t[end] != '-') return false;
    std::size_t detail_digits = 0;
    while (detail_digits < end && is_digit(t[end - 1 - detail_digits])) ++detail_digits;
    std::size_t j = end + 1;
    unsigned value = 0;
    while (j < t.size() && is_digit(t[j]) && j - end <= 3) value = value * 10 + static_cast<unsigned>(t[j++] - '0');
    return detail_digits >= 2 && j - end - 1 == detail_digits && value > detail && status_may_end_at(t, j);
}

// How long a status read by from_chars() is as text ("5.7.606": 7): what
// to_string() would write, without writing it.
constexpr std::size_t written_length(status_code c) noexcept {
    return 3 + decimal_width(c.subject) + decimal_width(c.detail);
}

// A strict enhanced code at i in free text, with the boundary checks above.
// Subjects are limited to the registry's 0..7 here: outside a reply, "2.11.3"
// is a version and "5.12.24" a date far more often than a status.
// `code_end`: where the reply code it follows ends, when code_at() asks
// (npos otherwise). Between the two stand only the code's blank or dash,
// blanks and a '#', so the word before the status is the code's digits, or
// none: no version word, and a section reference only after "RFC" ("RFC 554
// 5.7.1"), which is all follows_section_reference() would find there.
constexpr std::optional<status_code> status_at(std::string_view t, std::size_t i,
                                               std::size_t code_end = std::string_view::npos) noexcept {
    if (i > 0 && !status_may_start_after(t[i - 1])) return std::nullopt;
    if (i > 0 && t[i - 1] == '=' && in_url_parameter(t, i - 1)) return std::nullopt;
    status_code c{};
    const auto r = from_chars(t.data() + i, t.data() + t.size(), c);
    if (r.ec != std::errc{} || c.subject > 7) return std::nullopt;
    const auto end = static_cast<std::size_t>(r.ptr - t.data());
    if (!status_may_end_at(t, end) && !detail_range_at(t, end, c.detail)) return std::nullopt;
    if (code_end == std::string_view::npos) {
        if (follows_version_word(t, i) || follows_section_reference(t, i)) return std::nullopt;
    } else {
        std::size_t word_end = i;
        while (word_end > code_end && is_blank(t[word_end - 1])) --word_end;
        if (word_end == code_end && follows_rfc_word(t, code_end - 3)) return std::nullopt;
    }
    return c;
}

// A reply code at i in free text: exactly three digits forming a valid code,
// not glued to a preceding word, number or dot, and followed by the end, a
// blank, a line end, or "-" + enhanced code / text. A code outside RFC 5321's
// grammar (571) counts only with an enhanced code of its class after it:
// alone, "host:587" is a port.
struct code_candidate {
    reply_code code{};
    std::optional<status_code> status; // an enhanced code right after it
    bool introduced = false;           // at the start, or after "smtp;", "said:", a quote, a bracket
    std::size_t status_end = 0;        // just past that enhanced code
};

constexpr std::optional<code_candidate> code_at(std::string_view t, std::size_t i) noexcept {
    if (i + 3 > t.size() || !is_digit(t[i]) || !is_digit(t[i + 1]) || !is_digit(t[i + 2])) return std::nullopt;
    if (i > 0 && !opens_quoted_code(t[i - 1])) return std::nullopt;
    if (i > 0 && t[i - 1] == '=' && in_url_parameter(t, i - 1)) return std::nullopt;
    const auto code = static_cast<reply_code>((t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0'));
    if (!has_reply_class(code)) return std::nullopt;
    code_candidate c{code, std::nullopt, false};
    const std::size_t after = i + 3;
    if (after < t.size()) {
        const char sep = t[after];
        if (sep != ' ' && sep != '-' && sep != '\r' && sep != '\n') return std::nullopt;
        std::size_t s = after + 1;
        while (s < t.size() && is_blank(t[s])) ++s;
        if (s < t.size() && t[s] == '#') ++s; // qmail-style "550 #5.1.0 Address rejected"
        if (sep != '\r' && sep != '\n' && s < t.size()) c.status = status_at(t, s, after);
        if (c.status) c.status_end = s + written_length(*c.status);
        // "555-1212" is a phone number: a dash must lead to an enhanced code or to text.
        if (sep == '-' && !c.status && s < t.size() && is_digit(t[s])) return std::nullopt;
        // Punctuation after the enhanced code is for prose ("(550 5.1.1)"); a
        // reply starting a line is read as parse_reply() reads it (RFC 2034: a
        // blank after the code), so that a reply and its text classify alike.
        const bool line_start = i == 0 || t[i - 1] == '\n' || t[i - 1] == '\r';
        if (c.status && line_start && c.status_end < t.size() && !is_blank(t[c.status_end]) &&
            t[c.status_end] != '\r' && t[c.status_end] != '\n')
            c.status = std::optional<status_code>{};
    }
    if (!is_valid(code) && !(c.status && static_cast<int>(c.status->cls) == static_cast<int>(class_of(code))))
        return std::nullopt;
    std::size_t p = i;
    while (p > 0 && is_blank(t[p - 1])) --p;
    c.introduced = p == 0 || (t[p - 1] != ' ' && t[p - 1] != '\t' && opens_quoted_code(t[p - 1]));
    return c;
}

// The first position from i on that holds '2', '3', '4' or '5' (the first
// digit of a reply code, the class of an enhanced code), or t.size(). Eight
// bytes are tested at a time (the "has a byte between" test of Bit Twiddling
// Hacks), sixteen at run time on x86-64 (detail/byte_blocks.hpp): most of a
// text is prose and ids without those digits.
constexpr std::size_t next_code_digit(std::string_view t, std::size_t i) noexcept {
#if ESC_DETAIL_SSE2_BLOCKS
    if (!__builtin_is_constant_evaluated()) {
        for (; i + 16 <= t.size(); i += 16) {
            const detail::byte_block x = detail::load_block(t.data() + i);
            if (const unsigned bits = detail::block_marks((x > '1') & (x < '6')); bits != 0) // bytes >= 0x80: never
                return i + detail::lowest_mark(bits);
        }
    }
#endif
    constexpr std::uint64_t ones = 0x0101010101010101u, low7 = ones * 127, highs = ones * 128;
    for (; i + 8 <= t.size(); i += 8) {
        const std::uint64_t x = load_bytes_le(t, i);
        const std::uint64_t x7 = x & low7; // bytes '1' < c < '6'; a byte >= 0x80 never counts
        if (const std::uint64_t m = (ones * (127 + '6') - x7) & ~x & (x7 + ones * (127 - '1')) & highs; m != 0)
            return i + lowest_marked_byte(m);
    }
    while (i < t.size() && (t[i] < '2' || t[i] > '5')) ++i;
    return i;
}

// The first i' >= i where three digits, the first 2..5, stand with no digit
// after them (the digits may_start_code() asks for), or t.size(). Most
// digits of a log line (times, ids, addresses, delays) are not such a run:
// at run time on x86-64 sixteen positions are tested at a time, each with
// the three bytes after it, from four overlapping loads (SSE2).
constexpr std::size_t next_code_candidate(std::string_view t, std::size_t i) noexcept {
#if ESC_DETAIL_SSE2_BLOCKS
    if (!__builtin_is_constant_evaluated()) {
        using detail::block_marks;
        using detail::byte_block;
        auto at = [&](std::size_t k) { return detail::load_block(t.data() + k); };
        auto digits = [](byte_block x) { return (x >= '0') & (x <= '9'); }; // bytes >= 0x80 are negative: never digits
        for (; i + 19 <= t.size(); i += 16) {
            const byte_block first = at(i);
            byte_block m = (first > '1') & (first < '6');
            if (block_marks(m) == 0) continue; // prose: no digit 2..5 here, the bytes after need no look
            m &= digits(at(i + 1)) & digits(at(i + 2)) & ~digits(at(i + 3));
            if (const unsigned bits = block_marks(m); bits != 0) return i + detail::lowest_mark(bits);
        }
    }
#endif
    for (; i + 3 <= t.size(); ++i)
        if (t[i] >= '2' && t[i] <= '5' && is_digit(t[i + 1]) && is_digit(t[i + 2]) &&
            (i + 3 == t.size() || !is_digit(t[i + 3])))
            return i;
    return t.size();
}

// A cheap first test for code_at(): three digits, the first 2..5, standing
// after the start or a character that may open a quoted code. Most digits of
// prose (addresses, dates, ids) fail it without the full check.
constexpr bool may_start_code(std::string_view t, std::size_t i) noexcept {
    const char c = t[i];
    return c >= '2' && c <= '5' && is_digit(t[i + 1]) && is_digit(t[i + 2]) &&
           (i == 0 || opens_quoted_code(t[i - 1])) && (i + 3 == t.size() || !is_digit(t[i + 3]));
}

// The reply starting at i: a well-formed multi-line reply when one starts
// there, at the start of a line; otherwise one line of prose, up to `end`
// (quoted_reply_end(): no line end comes before it).
ESC_CONSTEXPR reply reply_at(std::string_view t, std::size_t i, std::size_t end) noexcept {
    if ((i == 0 || t[i - 1] == '\n') && i + 3 < t.size() && t[i + 3] == '-') {
        const parsed_reply p = parse_reply_text(t.substr(i));
        if (p && p.reply.line_count > 1) return p.reply;
    }
    const std::string_view content = t.substr(i, end - i);
    reply r;
    const reply_line parts = split_reply_line(content);
    r.code = parts.code;
    r.status = parts.status;
    r.text = parts.text;
    // Prose may follow the enhanced code with punctuation where RFC 2034 puts
    // a blank: "(550 5.1.1)", "said: 550 5.1.1, user unknown". code_at() took
    // the code so; split_reply_line() did not.
    if (!r.status) {
        if (const std::optional<code_candidate> c = code_at(t, i); c && c->status) {
            r.status = c->status;
            const std::size_t after = c->status_end - i;
            r.text = content.substr(after < content.size() ? after : content.size());
        }
    }
    if (!r.status) r.status = trailing_qmail_status(r.text);
    r.raw = content;
    r.line_count = 1;
    r.warnings.line_too_long = content.size() + 2 > max_reply_line;
    r.warnings.code_outside_grammar = !is_valid(r.code);
    r.warnings.class_mismatch = r.status && static_cast<int>(r.status->cls) != static_cast<int>(class_of(r.code));
    return r;
}

} // namespace detail

namespace detail {

// A reply quoted in prose ends at the end of its line, or earlier where the
// prose goes on to quote a reply with another code: sendmail and qmail
// transcripts run "550 5.1.1 ... User unknown 503 5.0.0 Need RCPT ..." together.
constexpr reply_code code_of(std::string_view t, std::size_t i) noexcept {
    return static_cast<reply_code>((t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0'));
}

constexpr std::size_t quoted_reply_end(std::string_view t, std::size_t start, reply_code code) noexcept {
    const std::size_t end = line_end_from(t, start);
    const std::string_view line = t.substr(0, end);
    for (std::size_t j = next_code_candidate(line, start + 3); j + 3 <= end; j = next_code_candidate(line, j + 1)) {
        if (!may_start_code(t, j)) continue;
        const auto cand = code_at(t, j);
        if (cand && cand->status && cand->code != code) return j;
    }
    return end;
}

} // namespace detail

ESC_DECL std::optional<reply> find_reply(std::string_view text) noexcept {
    std::size_t introduced = std::string_view::npos;
    std::size_t at = std::string_view::npos;
    for (std::size_t i = detail::next_code_candidate(text, 0); i + 3 <= text.size();
         i = detail::next_code_candidate(text, i + 1)) {
        if (!detail::may_start_code(text, i)) continue;
        const auto cand = detail::code_at(text, i);
        if (!cand) continue;
        if (cand->status) {
            at = i;
            break;
        }
        if (cand->introduced && introduced == std::string_view::npos) introduced = i;
        i += 2; // the digits of a candidate cannot start another one
    }
    if (at == std::string_view::npos) at = introduced;
    if (at == std::string_view::npos) return std::nullopt;
    return detail::reply_at(text, at, detail::quoted_reply_end(text, at, detail::code_of(text, at)));
}

ESC_DECL std::optional<status_match> find_status(std::string_view text) noexcept {
    std::optional<status_match> first;
    for (std::size_t i = detail::next_code_digit(text, 0); i + 5 <= text.size();
         i = detail::next_code_digit(text, i + 1)) {
        const char c = text[i];
        if ((c != '2' && c != '4' && c != '5') || text[i + 1] != '.') continue;
        const auto s = detail::status_at(text, i);
        if (!s) continue;
        const std::size_t len = detail::written_length(*s);
        const status_match m{*s, text.substr(i, len)};
        const bool after_code = i >= 4 && (text[i - 1] == ' ' || text[i - 1] == '-') &&
                                detail::code_at(text, i - 4).has_value() && text[i - 4] == c;
        if (after_code) return m;
        if (!first) first = std::optional<status_match>(m); // not "= m": not constexpr before C++20
        i += len - 1;
    }
    return first;
}

ESC_END_NAMESPACE
