// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Internet message text for <esc/dsn.hpp> and <esc/mime.hpp>: lines with any
// of the three line ends, and header fields with folding (RFC 5322). Not API:
// dsn.hpp exposes what users need. Nothing here allocates.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.hpp"
#include "ascii.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

// --- lines ------------------------------------------------------------------

// One line: CRLF, a bare LF and a bare CR all end it (mail is stored and
// forwarded in all three conventions; a message may even mix them).
struct mail_line {
    std::string_view content; // without the line end
    std::size_t next;         // offset just past the line end
};

constexpr mail_line next_mail_line(std::string_view in, std::size_t pos) noexcept {
    std::size_t i = pos;
    while (i < in.size() && in[i] != '\n' && in[i] != '\r') ++i;
    const std::string_view content = in.substr(pos, i - pos);
    if (i == in.size()) return {content, i};
    if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') return {content, i + 2};
    return {content, i + 1};
}

constexpr bool is_line_break(char c) noexcept { return c == '\r' || c == '\n'; }
constexpr bool is_space(char c) noexcept { return is_blank(c) || is_line_break(c); }

constexpr bool is_blank_line(std::string_view line) noexcept {
    for (char c : line)
        if (!is_blank(c)) return false;
    return true;
}

constexpr std::string_view trim_space(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Substring search ignoring ASCII case.
constexpr std::size_t ifind(std::string_view text, std::string_view needle, std::size_t from = 0) noexcept {
    if (needle.empty()) return from <= text.size() ? from : std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= text.size(); ++i)
        if (to_lower(text[i]) == to_lower(needle[0]) && iequals(text.substr(i, needle.size()), needle)) return i;
    return std::string_view::npos;
}

constexpr bool icontains(std::string_view text, std::string_view needle) noexcept {
    return ifind(text, needle) != std::string_view::npos;
}

// --- header fields ------------------------------------------------------------

// RFC 5322 field-name: printable ASCII except ':'.
constexpr bool is_field_name_char(char c) noexcept { return c > ' ' && c < 127 && c != ':'; }

enum class field_scan : std::uint8_t {
    field,      // a field was read
    blank,      // a blank line: the end of the block (next is past it)
    end,        // the end of the input
    malformed,  // a line that is neither a field nor a continuation (next is past it)
};

struct scanned_field {
    field_scan kind = field_scan::end;
    std::string_view name;  // as written, blanks before the colon dropped
    std::string_view value; // from the first non-blank after the colon to the end of the last
                            // continuation line: folding line breaks are still inside
    std::string_view line;  // malformed: the offending line
    std::size_t begin = 0;  // offset of the first line
    std::size_t next = 0;   // offset past the last line
};

// The header field starting at `pos`. Continuation lines start with a blank;
// a line of blanks only counts as blank (the end of the block), which is what
// real DSN writers mean by it.
constexpr scanned_field scan_field(std::string_view in, std::size_t pos) noexcept {
    scanned_field f;
    f.begin = pos;
    if (pos >= in.size()) {
        f.next = in.size();
        return f;
    }
    const mail_line first = next_mail_line(in, pos);
    f.next = first.next;
    if (is_blank_line(first.content)) {
        f.kind = field_scan::blank;
        return f;
    }
    std::size_t n = 0;
    while (n < first.content.size() && is_field_name_char(first.content[n])) ++n;
    std::size_t colon = n;
    while (colon < first.content.size() && is_blank(first.content[colon])) ++colon; // obsolete "Name : value"
    if (n == 0 || colon >= first.content.size() || first.content[colon] != ':') {
        f.kind = field_scan::malformed;
        f.line = first.content;
        return f;
    }
    f.kind = field_scan::field;
    f.name = first.content.substr(0, n);
    std::size_t value_begin = pos + colon + 1;
    const std::size_t first_end = pos + first.content.size();
    while (value_begin < first_end && is_blank(in[value_begin])) ++value_begin;
    std::size_t value_end = first_end;
    std::size_t next = first.next;
    while (next < in.size() && is_blank(in[next])) {
        const mail_line cont = next_mail_line(in, next);
        if (is_blank_line(cont.content)) break;
        value_end = next + cont.content.size();
        next = cont.next;
    }
    // A value that is empty on its first line starts on the continuation.
    f.value = trim_space(in.substr(value_begin, value_end - value_begin));
    f.next = next;
    return f;
}

// Unfolds a field value into [first, last): every line break with the blanks
// around it becomes one space (RFC 5322 unfolding, then the run of blanks
// collapsed, which is how every bounce reader shows a folded diagnostic).
// Returns the written part, cut short if the buffer is; raw.size() bytes
// always suffice.
constexpr std::string_view unfold_into(std::string_view raw, char* first, char* last) noexcept {
    char* out = first;
    std::size_t i = 0;
    while (i < raw.size() && out != last) {
        if (is_line_break(raw[i])) {
            while (out != first && is_blank(out[-1])) --out;
            while (i < raw.size() && is_space(raw[i])) ++i;
            if (out != first && i < raw.size()) *out++ = ' ';
            continue;
        }
        *out++ = raw[i++];
    }
    return std::string_view(first, static_cast<std::size_t>(out - first));
}

constexpr bool has_line_break(std::string_view s) noexcept {
    for (char c : s)
        if (is_line_break(c)) return true;
    return false;
}

// Drops RFC 5322 comments "(...)" (nested, with quoted-pairs) from the end
// of a structured value: "5.0.0 (permanent failure)" -> "5.0.0". Only a
// trailing comment is dropped: a parenthesis inside text is text.
constexpr std::string_view strip_trailing_comments(std::string_view s) noexcept {
    s = trim_space(s);
    while (!s.empty() && s.back() == ')') {
        int depth = 0;
        std::size_t i = s.size();
        bool found = false;
        while (i-- > 0) {
            if (i > 0 && s[i - 1] == '\\') continue;
            if (s[i] == ')') ++depth;
            else if (s[i] == '(' && --depth == 0) {
                found = true;
                break;
            }
        }
        if (!found) break;
        s = trim_space(s.substr(0, i));
    }
    return s;
}

// The first token of a value: up to the first blank, line break, ';' or '('.
constexpr std::string_view first_token(std::string_view s) noexcept {
    s = trim_space(s);
    std::size_t n = 0;
    while (n < s.size() && !is_space(s[n]) && s[n] != ';' && s[n] != '(') ++n;
    return s.substr(0, n);
}

} // namespace detail
ESC_END_NAMESPACE
