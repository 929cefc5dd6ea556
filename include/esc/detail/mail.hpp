// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Internet message text for <esc/dsn.hpp>: lines with any of the three line
// ends, header fields with folding (RFC 5322), MIME media types and
// parameters (RFC 2045/2046), and the two transfer encodings a bounce may put
// on a part (base64, quoted-printable). Not API: dsn.hpp exposes what users
// need. Nothing here allocates; decoding writes into a caller's buffer.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ascii.hpp"

namespace esc::detail {

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

// --- MIME -------------------------------------------------------------------

struct media_type {
    std::string_view type;       // "multipart/report", as written; empty when absent
    std::string_view parameters; // after the first ';'
};

constexpr media_type parse_media_type(std::string_view value) noexcept {
    value = trim_space(value);
    std::size_t n = 0;
    while (n < value.size() && value[n] != ';' && !is_space(value[n]) && value[n] != '(') ++n;
    media_type m;
    m.type = value.substr(0, n);
    const std::size_t semi = value.find(';', n);
    if (semi != std::string_view::npos) m.parameters = value.substr(semi + 1);
    return m;
}

// A parameter's value ("boundary", "report-type"); quotes dropped, the
// quoted-pairs inside left as written (a boundary cannot need them). Empty
// when absent. Folding between parameters is fine.
constexpr std::string_view media_parameter(std::string_view params, std::string_view name) noexcept {
    std::size_t i = 0;
    while (i < params.size()) {
        while (i < params.size() && (is_space(params[i]) || params[i] == ';')) ++i;
        const std::size_t name_begin = i;
        while (i < params.size() && params[i] != '=' && params[i] != ';' && !is_space(params[i])) ++i;
        const std::string_view key = params.substr(name_begin, i - name_begin);
        while (i < params.size() && is_space(params[i])) ++i;
        if (i >= params.size() || params[i] != '=') {
            while (i < params.size() && params[i] != ';') ++i;
            continue;
        }
        ++i;
        while (i < params.size() && is_space(params[i])) ++i;
        std::string_view value;
        if (i < params.size() && params[i] == '"') {
            const std::size_t vb = ++i;
            while (i < params.size() && params[i] != '"') i += (params[i] == '\\' && i + 1 < params.size()) ? 2 : 1;
            value = params.substr(vb, (i < params.size() ? i : params.size()) - vb);
            if (i < params.size()) ++i;
        } else {
            const std::size_t vb = i;
            while (i < params.size() && params[i] != ';' && !is_space(params[i])) ++i;
            value = params.substr(vb, i - vb);
        }
        if (iequals(key, name)) return value;
        while (i < params.size() && params[i] != ';') ++i;
    }
    return {};
}

enum class transfer_encoding : std::uint8_t { identity, base64, quoted_printable };

constexpr transfer_encoding parse_transfer_encoding(std::string_view value) noexcept {
    const std::string_view token = first_token(value);
    if (iequals(token, "base64")) return transfer_encoding::base64;
    if (iequals(token, "quoted-printable")) return transfer_encoding::quoted_printable;
    return transfer_encoding::identity; // 7bit, 8bit, binary, and unknown tokens as RFC 2045 6.4 advises
}

// --- decoding -----------------------------------------------------------------

struct decoded {
    std::string_view text;  // the written part of the buffer
    bool complete = true;   // false: the buffer was too small; `text` is a prefix
    bool clean = true;      // false: characters outside the encoding were skipped
};

constexpr int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// RFC 2045 6.8: line breaks and blanks are ignored; other characters outside
// the alphabet are skipped (and flagged); the first '=' ends the data.
// Flagged too, as they say the text is damaged rather than sloppily wrapped:
// a quantum cut after one character (6 bits cannot make an octet) and
// anything but padding and blanks after the first '='.
constexpr decoded decode_base64(std::string_view in, char* first, char* last) noexcept {
    decoded d;
    char* out = first;
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t i = 0;
    for (; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '=') break;
        const int v = base64_value(c);
        if (v < 0) {
            if (!is_space(c)) d.clean = false;
            continue;
        }
        acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (out == last) {
                d.complete = false;
                break;
            }
            *out++ = static_cast<char>((acc >> bits) & 0xFFu);
        }
    }
    if (d.complete) {
        if (bits == 6) d.clean = false;
        for (; i < in.size(); ++i)
            if (in[i] != '=' && !is_space(in[i])) {
                d.clean = false;
                break;
            }
    }
    d.text = std::string_view(first, static_cast<std::size_t>(out - first));
    return d;
}

constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10; // RFC 2045 says upper case; readers accept both
    return -1;
}

// RFC 2045 6.7: "=XX" is an octet, "=" at a line end a soft break, blanks at
// a line end are padding. A stray "=" is kept as it is (and flagged).
constexpr decoded decode_quoted_printable(std::string_view in, char* first, char* last) noexcept {
    decoded d;
    char* out = first;
    std::size_t i = 0;
    auto put = [&](char c) {
        if (out == last) {
            d.complete = false;
            return false;
        }
        *out++ = c;
        return true;
    };
    while (i < in.size()) {
        const char c = in[i];
        if (c == '=') {
            std::size_t j = i + 1;
            while (j < in.size() && is_blank(in[j])) ++j;
            if (j >= in.size() || is_line_break(in[j])) { // soft line break
                i = j;
                if (i < in.size() && in[i] == '\r') ++i;
                if (i < in.size() && in[i] == '\n') ++i;
                continue;
            }
            if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
                if (!put(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])))) break;
                i += 3;
                continue;
            }
            d.clean = false;
            if (!put(c)) break;
            ++i;
            continue;
        }
        if (is_blank(c)) { // padding before a line end is dropped; other blanks are kept, run by run
            std::size_t j = i;
            while (j < in.size() && is_blank(in[j])) ++j;
            if (j < in.size() && !is_line_break(in[j]))
                for (std::size_t k = i; k < j; ++k)
                    if (!put(in[k])) break;
            if (!d.complete) break;
            i = j;
            continue;
        }
        if (!put(c)) break;
        ++i;
    }
    d.text = std::string_view(first, static_cast<std::size_t>(out - first));
    return d;
}

constexpr decoded decode_transfer(transfer_encoding e, std::string_view in, char* first, char* last) noexcept {
    switch (e) {
    case transfer_encoding::base64: return decode_base64(in, first, last);
    case transfer_encoding::quoted_printable: return decode_quoted_printable(in, first, last);
    case transfer_encoding::identity: break;
    }
    return decoded{in, true, true};
}

} // namespace esc::detail
