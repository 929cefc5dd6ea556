// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Differential: parse_reply(format_reply(code, status, text)) gives back the
// code, the status and the text, modulo the wrapping format_reply.hpp
// documents; the wire text is well formed whatever the text holds (CR and LF
// never reach it except as the CRLF ending a line that starts with the code).
//
// Input layout: 6 parameter bytes, then the text.
//   [0..1] reply code: 150 + (value % 500), so invalid codes come up too
//   [2]    status: %4 == 0 none; 1 same class as the code; 2 any class byte;
//          3 same class with parts up to 1199 (often invalid)
//   [3..4] subject and detail seeds
//   [5]    max_line: 0 -> 512 (the default), else a small or large limit
#include <esc/format_reply.hpp>
#include <esc/reply.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

struct parameters {
    esc::reply_code code;
    std::optional<esc::status_code> status;
    std::size_t max_line;
};

parameters read_parameters(const std::uint8_t* p) {
    parameters out{};
    out.code = static_cast<esc::reply_code>(150 + (p[0] | p[1] << 8) % 500);
    const auto cls = static_cast<esc::status_class>(esc::to_int(out.code) / 100);
    switch (p[2] % 4) {
    case 0: break;
    case 1: out.status = esc::status_code{cls, static_cast<std::uint16_t>(p[3] % 10), static_cast<std::uint16_t>(p[4] * 4 % 1000)}; break;
    case 2: out.status = esc::status_code{static_cast<esc::status_class>(p[2] / 4 % 8), p[3], p[4]}; break;
    default: out.status = esc::status_code{cls, static_cast<std::uint16_t>(p[3] * 5), static_cast<std::uint16_t>(p[4] * 5)}; break;
    }
    out.max_line = p[5] == 0 ? esc::max_reply_line : p[5] < 128 ? std::size_t(p[5]) : std::size_t(p[5]) * 8;
    return out;
}

bool arguments_valid(const parameters& a) {
    if (!esc::is_valid(a.code)) return false;
    if (a.status && (!esc::is_valid(*a.status) || static_cast<int>(a.status->cls) != esc::to_int(a.code) / 100))
        return false;
    const std::size_t prefix = 4 + (a.status ? esc::to_string(*a.status).size() : 0);
    return a.max_line > prefix + 1 + 2;
}

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

// The text's lines as format_reply.hpp documents them: split at each CRLF,
// CR or LF (one ending the text ends the last line and adds none), other
// control characters (tab aside) shown as '?'.
std::vector<std::string> text_lines(std::string_view text) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (i + 1 < text.size()) out.emplace_back();
            continue;
        }
        out.back() += is_control(c) ? '?' : c;
    }
    return out;
}

struct wire_line {
    std::string_view piece; // the text of the line
    bool last;
};

// Splits the wire text and checks each line's shape; returns the lines.
std::vector<wire_line> check_wire(std::string_view wire, const parameters& a) {
    std::vector<wire_line> lines;
    const std::string code = std::to_string(esc::to_int(a.code));
    const std::string status = a.status ? std::string(esc::to_string(*a.status).view()) : std::string();
    ESC_FUZZ_CHECK(wire.size() >= 5 && wire.substr(wire.size() - 2) == "\r\n");
    std::size_t pos = 0;
    while (pos < wire.size()) {
        const std::size_t cr = wire.find('\r', pos);
        ESC_FUZZ_CHECK(cr != std::string_view::npos && cr + 1 < wire.size() && wire[cr + 1] == '\n');
        const std::string_view line = wire.substr(pos, cr - pos);
        ESC_FUZZ_CHECK(line.find('\n') == std::string_view::npos); // no LF but in CRLF
        ESC_FUZZ_CHECK(line.size() + 2 <= a.max_line);
        for (char c : line) ESC_FUZZ_CHECK(!is_control(c));
        ESC_FUZZ_CHECK(line.substr(0, 3) == code);
        const bool last = cr + 2 == wire.size();
        wire_line w{{}, last};
        if (line.size() == 3) {
            ESC_FUZZ_CHECK(last && status.empty()); // "250" alone: the last line, no code, no text
        } else {
            ESC_FUZZ_CHECK(line[3] == (last ? ' ' : '-'));
            std::string_view rest = line.substr(4);
            if (!status.empty()) {
                ESC_FUZZ_CHECK(rest.substr(0, status.size()) == status);
                rest.remove_prefix(status.size());
                if (!rest.empty()) {
                    ESC_FUZZ_CHECK(rest[0] == ' ' && rest.size() > 1); // no blank without text after it
                    rest.remove_prefix(1);
                }
            }
            w.piece = rest;
        }
        lines.push_back(w);
        pos = cr + 2;
    }
    return lines;
}

// A cut only where a line is full, or up to 3 octets earlier so as not to
// split a UTF-8 character: then the octets up to the full line's end are the
// rest of that character (continuation octets after a lead octet).
bool full_or_before_character(std::size_t piece, std::size_t room, std::string_view rest) {
    if (piece == room) return true;
    const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    if (piece > room || room - piece > 3 || rest.size() <= room - piece || continuation(rest[0])) return false;
    for (std::size_t k = 1; k <= room - piece; ++k)
        if (!continuation(rest[k])) return false;
    return true;
}

void check(const parameters& a, std::string_view text) {
    const std::size_t size = esc::formatted_reply_size(a.code, a.status, text, a.max_line);
    const std::string wire = esc::format_reply(a.code, a.status, text, a.max_line);
    ESC_FUZZ_CHECK(wire.size() == size);
    ESC_FUZZ_CHECK(wire == esc::format_reply(a.code, a.status, text, a.max_line));
    if (!arguments_valid(a)) {
        ESC_FUZZ_CHECK(size == 0);
        char one[1];
        const std::to_chars_result r = esc::format_reply(one, one + 1, a.code, a.status, text, a.max_line);
        ESC_FUZZ_CHECK(r.ec == std::errc::invalid_argument && r.ptr == one);
        return;
    }
    ESC_FUZZ_CHECK(size > 0);

    // The buffer overload: exact size succeeds with the same bytes, one byte
    // less is value_too_large; neither writes past its buffer.
    {
        const std::unique_ptr<char[]> buf(new char[size]);
        const std::to_chars_result r = esc::format_reply(buf.get(), buf.get() + size, a.code, a.status, text, a.max_line);
        ESC_FUZZ_CHECK(r.ec == std::errc{} && r.ptr == buf.get() + size);
        ESC_FUZZ_CHECK(std::string_view(buf.get(), size) == wire);
        const std::unique_ptr<char[]> short_buf(new char[size - 1 == 0 ? 1 : size - 1]);
        const std::to_chars_result s =
            esc::format_reply(short_buf.get(), short_buf.get() + (size - 1), a.code, a.status, text, a.max_line);
        ESC_FUZZ_CHECK(s.ec == std::errc::value_too_large && s.ptr == short_buf.get() + (size - 1));
    }

    const std::vector<wire_line> lines = check_wire(wire, a);
    // Each text line is its wire lines' texts end to end, where a break ate
    // one space (wrapping at a space) or none (a word longer than a line cut).
    // A break eats the space exactly when one follows the piece: the rule
    // format_reply.hpp's wrapping implies, checked here piece by piece.
    const std::size_t room = a.max_line - (4 + (a.status ? esc::to_string(*a.status).size() : 0)) - 1 - 2;
    std::size_t next = 0;
    for (const std::string& line : text_lines(text)) {
        std::string_view rest = line;
        do {
            ESC_FUZZ_CHECK(next < lines.size());
            const std::string_view piece = lines[next++].piece;
            ESC_FUZZ_CHECK(piece.size() <= room);
            ESC_FUZZ_CHECK(!piece.empty() || line.empty());
            ESC_FUZZ_CHECK(rest.substr(0, piece.size()) == piece);
            rest.remove_prefix(piece.size());
            if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
            else if (!rest.empty()) ESC_FUZZ_CHECK(full_or_before_character(piece.size(), room, rest));
        } while (!rest.empty());
    }
    ESC_FUZZ_CHECK(next == lines.size());

    // Read back: one reply, all of the wire, the same code and status.
    const esc::parsed_reply p = esc::parse_reply(wire);
    ESC_FUZZ_CHECK(p);
    ESC_FUZZ_CHECK(p.offset == wire.size());
    ESC_FUZZ_CHECK(p.reply.code == a.code);
    ESC_FUZZ_CHECK(p.reply.line_count == lines.size());
    ESC_FUZZ_CHECK(!p.reply.warnings.bare_lf);
    std::size_t longest = 0; // octets, CRLF included
    for (std::size_t pos = 0; pos < wire.size();) {
        const std::size_t next = wire.find('\n', pos) + 1;
        if (next - pos > longest) longest = next - pos;
        pos = next;
    }
    ESC_FUZZ_CHECK(longest <= a.max_line);
    ESC_FUZZ_CHECK(p.reply.warnings.line_too_long == (longest > esc::max_reply_line));
    if (a.status) {
        ESC_FUZZ_CHECK(p.reply.status == a.status);
        ESC_FUZZ_CHECK(!p.reply.warnings.status_differs && !p.reply.warnings.status_on_some_lines &&
                       !p.reply.warnings.class_mismatch);
    } else {
        // Documented: with no enhanced code given, a line whose text starts
        // with one ("5.1.1 ...", "#5.1.0 ...") or ends with qmail's
        // "(#5.1.1)" is read back as carrying it.
        std::optional<esc::status_code> first;
        for (const wire_line& l : lines) {
            if (first) break;
            const esc_fuzz::leading_code c = esc_fuzz::read_leading_code(l.piece);
            first = c.status ? c.status : esc::detail::trailing_qmail_status(l.piece);
        }
        ESC_FUZZ_CHECK(p.reply.status == first);
    }
    std::size_t i = 0;
    for (std::string_view t : esc::lines(p.reply)) {
        ESC_FUZZ_CHECK(i < lines.size());
        const esc_fuzz::leading_code c = a.status ? esc_fuzz::leading_code{std::nullopt, lines[i].piece} : esc_fuzz::read_leading_code(lines[i].piece);
        ESC_FUZZ_CHECK(t == c.rest);
        ++i;
    }
    ESC_FUZZ_CHECK(i == lines.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint8_t head[6] = {};
    const std::size_t n = size < 6 ? size : 6;
    if (n != 0) std::memcpy(head, data, n);
    const parameters a = read_parameters(head);
    const std::unique_ptr<char[]> copy(new char[size - n == 0 ? 1 : size - n]);
    if (size - n != 0) std::memcpy(copy.get(), data + n, size - n);
    check(a, std::string_view(copy.get(), size - n));
    return 0;
}
