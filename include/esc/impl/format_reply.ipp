// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of format_reply.hpp. Included by format_reply.hpp when esc is
// header-only, compiled once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../format_reply.hpp"

ESC_BEGIN_NAMESPACE

namespace detail {

// Writes into [first, last), or only counts.
class reply_writer {
public:
    constexpr reply_writer(char* first, char* last) noexcept : p_(first), last_(last), writes_(true) {}
    static constexpr reply_writer counter() noexcept { return reply_writer(); }
    constexpr void put(char c) noexcept {
        if (writes_) {
            if (p_ == last_) {
                overflow_ = true;
                return;
            }
            *p_++ = c;
        }
        ++count_;
    }
    constexpr void put(std::string_view s) noexcept {
        for (char c : s) put(c);
    }
    constexpr bool overflow() const noexcept { return overflow_; }
    constexpr std::size_t count() const noexcept { return count_; }
    constexpr char* position() const noexcept { return p_; }

private:
    constexpr reply_writer() noexcept : p_(nullptr), last_(nullptr), writes_(false) {}
    char* p_;
    char* last_;
    bool writes_;
    std::size_t count_ = 0;
    bool overflow_ = false;
};

constexpr char wire_safe(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f ? '?' : c;
}

// Length of the next chunk of `line` that fits in `room`, and how much of
// `line` it consumes (one more when the break eats a space).
struct chunk {
    std::size_t length;
    std::size_t consumed;
};

constexpr bool is_utf8_continuation(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

constexpr chunk next_chunk(std::string_view line, std::size_t room) noexcept {
    if (line.size() <= room) return {line.size(), line.size()};
    for (std::size_t k = room; k > 0; --k)
        if (line[k] == ' ') return {k, k + 1};
    // No space (a long word, or CJK text, which has none): cut before a
    // character, never inside one, so that each line is valid UTF-8 on its
    // own (RFC 6531 section 3.7.4.2). A UTF-8 character is at most 4 octets:
    // past 3 continuation octets the text is not UTF-8, and is cut where it fits.
    std::size_t cut = room;
    while (cut > 0 && room - cut < 3 && is_utf8_continuation(line[cut])) --cut;
    if (cut == 0 || is_utf8_continuation(line[cut])) cut = room;
    return {cut, cut};
}

constexpr bool write_reply(reply_writer& out, reply_code code, std::optional<status_code> status, std::string_view text,
                           std::size_t max_line) noexcept {
    char prefix_buf[3 + 1 + status_string::capacity + 1]{};
    std::size_t prefix_len = 0;
    const unsigned v = to_int(code);
    prefix_buf[prefix_len++] = static_cast<char>('0' + v / 100);
    prefix_buf[prefix_len++] = static_cast<char>('0' + v / 10 % 10);
    prefix_buf[prefix_len++] = static_cast<char>('0' + v % 10);
    const std::size_t separator_at = prefix_len++;
    std::size_t status_len = 0;
    if (status) {
        const status_string s = to_string(*status);
        for (char c : s.view()) prefix_buf[prefix_len++] = c;
        status_len = s.size();
    }
    const std::size_t overhead = prefix_len + 1 + 2; // prefix, the blank before the text, CRLF
    if (max_line <= overhead) return false;
    const std::size_t room = max_line - overhead;

    auto emit = [&](std::string_view piece, bool last) {
        prefix_buf[separator_at] = last ? ' ' : '-';
        // With no enhanced code and no text, "250" alone; with a code, "250 2.0.0".
        const std::size_t head = status_len != 0 || !piece.empty() ? prefix_len : separator_at + (last ? 0 : 1);
        out.put(std::string_view(prefix_buf, head));
        if (!piece.empty()) {
            if (status_len != 0) out.put(' ');
            for (char c : piece) out.put(wire_safe(c));
        }
        out.put("\r\n");
    };

    std::size_t pos = 0;
    bool pending = false; // a line is held back until we know whether it is the last
    std::string_view held;
    do {
        std::size_t end = pos;
        while (end < text.size() && text[end] != '\r' && text[end] != '\n') ++end;
        std::string_view line = text.substr(pos, end - pos);
        pos = end;
        if (pos < text.size()) pos += (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
        do {
            const chunk c = next_chunk(line, room);
            if (pending) emit(held, false);
            held = line.substr(0, c.length);
            pending = true;
            line.remove_prefix(c.consumed);
        } while (!line.empty());
    } while (pos < text.size());
    emit(held, true);
    return true;
}

} // namespace detail

ESC_DECL std::to_chars_result format_reply(char* first, char* last, reply_code code,
                                            std::optional<status_code> status, std::string_view text,
                                            std::size_t max_line) noexcept {
    if (!is_valid(code) || (status && (!is_valid(*status) ||
                                       static_cast<int>(status->cls) != static_cast<int>(class_of(code)))))
        return {first, std::errc::invalid_argument};
    detail::reply_writer out(first, last);
    if (!detail::write_reply(out, code, status, text, max_line)) return {first, std::errc::invalid_argument};
    if (out.overflow()) return {last, std::errc::value_too_large};
    return {out.position(), std::errc{}};
}

ESC_DECL std::size_t formatted_reply_size(reply_code code, std::optional<status_code> status, std::string_view text,
                                           std::size_t max_line) noexcept {
    if (!is_valid(code) || (status && (!is_valid(*status) ||
                                       static_cast<int>(status->cls) != static_cast<int>(class_of(code)))))
        return 0;
    detail::reply_writer counter = detail::reply_writer::counter();
    return detail::write_reply(counter, code, status, text, max_line) ? counter.count() : 0;
}

ESC_END_NAMESPACE
