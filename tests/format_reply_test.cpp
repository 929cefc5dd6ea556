// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/format_reply.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace esc::literals;
using esc::reply_code;

namespace {

std::vector<std::string> wire_lines(const std::string& wire) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < wire.size()) {
        const auto end = wire.find("\r\n", pos);
        REQUIRE(end != std::string::npos); // every line ends in CRLF
        out.push_back(wire.substr(pos, end - pos));
        pos = end + 2;
    }
    return out;
}

std::string joined_text(const std::string& wire) {
    const auto p = esc::parse_reply(wire);
    REQUIRE(p);
    std::string buf(p.reply.text.size() + 1, '\0');
    return std::string(esc::join_text(p.reply, buf.data(), buf.data() + buf.size()));
}

// No CR or LF anywhere but in CRLF pairs closing a line.
bool only_crlf_line_ends(const std::string& wire) {
    for (std::size_t i = 0; i < wire.size(); ++i) {
        if (wire[i] == '\r' && (i + 1 >= wire.size() || wire[i + 1] != '\n')) return false;
        if (wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r')) return false;
    }
    return wire.size() >= 2 && wire.substr(wire.size() - 2) == "\r\n";
}

} // namespace

TEST_CASE("a one-line reply") {
    CHECK(esc::format_reply(reply_code{550}, "5.1.1"_esc, "<bob@example.com>: User unknown") ==
          "550 5.1.1 <bob@example.com>: User unknown\r\n");
    CHECK(esc::format_reply(reply_code{250}, "2.0.0"_esc, "") == "250 2.0.0\r\n");
    CHECK(esc::format_reply(reply_code{250}, std::nullopt, "") == "250\r\n");
    CHECK(esc::format_reply(reply_code{220}, std::nullopt, "mx.example.com ESMTP") == "220 mx.example.com ESMTP\r\n");
}

TEST_CASE("CR and LF in the text start new reply lines, never raw wire lines") {
    const std::string wire =
        esc::format_reply(reply_code{550}, "5.7.1"_esc, "first\r\n250 2.0.0 injected\nthird\rfourth");
    CHECK(wire == "550-5.7.1 first\r\n550-5.7.1 250 2.0.0 injected\r\n550-5.7.1 third\r\n550 5.7.1 fourth\r\n");
    CHECK(only_crlf_line_ends(wire));
    const auto p = esc::parse_reply(wire);
    REQUIRE(p);
    CHECK(p.offset == wire.size()); // one reply, not two
    CHECK(p.reply.code == reply_code{550});
}

TEST_CASE("control characters become '?', tab and UTF-8 pass") {
    CHECK(esc::format_reply(reply_code{550}, "5.1.1"_esc, std::string("a\0b\x1b" "c\td\x7f\xc3\xa9", 10)) ==
          "550 5.1.1 a?b?c\td?\xc3\xa9\r\n");
}

TEST_CASE("long text is wrapped at spaces within 512 octets, the code on every line") {
    std::string text;
    for (int i = 0; i < 300; ++i) text += "word" + std::to_string(i) + ' ';
    text.pop_back();
    const std::string wire = esc::format_reply(reply_code{554}, "5.7.1"_esc, text);
    const auto lines = wire_lines(wire);
    REQUIRE(lines.size() > 1);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i].size() + 2 <= esc::max_reply_line);
        CHECK(lines[i].substr(0, 10) == (i + 1 < lines.size() ? "554-5.7.1 " : "554 5.7.1 "));
    }
    CHECK(joined_text(wire) == text); // each break replaced exactly one space
    CHECK(esc::parse_reply(wire).reply.status == "5.7.1"_esc);
    CHECK_FALSE(esc::parse_reply(wire).reply.warnings.any());
}

TEST_CASE("a word longer than a line is cut") {
    const std::string word(1200, 'x');
    const std::string wire = esc::format_reply(reply_code{550}, "5.1.1"_esc, word);
    const auto lines = wire_lines(wire);
    CHECK(lines.size() == 3);
    for (const auto& l : lines) CHECK(l.size() + 2 <= esc::max_reply_line);
    std::string back = joined_text(wire);
    back.erase(std::remove(back.begin(), back.end(), ' '), back.end());
    CHECK(back == word);
}

TEST_CASE("a smaller line limit, and limits too small for the codes") {
    const std::string wire = esc::format_reply(reply_code{450}, "4.7.1"_esc, "greylisted, please try again in five minutes", 40);
    for (const auto& l : wire_lines(wire)) CHECK(l.size() + 2 <= 40);
    CHECK(joined_text(wire) == "greylisted, please try again in five minutes");
    CHECK(esc::format_reply(reply_code{450}, "4.7.1"_esc, "text", 12).empty());
    CHECK(esc::formatted_reply_size(reply_code{450}, "4.7.1"_esc, "text", 12) == 0);
}

TEST_CASE("invalid arguments are refused, not written") {
    CHECK(esc::format_reply(reply_code{600}, std::nullopt, "x").empty());
    CHECK(esc::format_reply(reply_code{571}, "5.7.1"_esc, "x").empty()); // servers must send RFC 5321 codes
    CHECK(esc::format_reply(reply_code{550}, "4.1.1"_esc, "x").empty()); // RFC 2034: classes agree
    CHECK(esc::format_reply(reply_code{550}, esc::status_code{}, "x").empty());
    char buf[64];
    const auto r = esc::format_reply(buf, buf + sizeof buf, reply_code{550}, "4.1.1"_esc, "x");
    CHECK(r.ec == std::errc::invalid_argument);
    CHECK(r.ptr == buf);
}

TEST_CASE("buffer interface: exact size, and value_too_large when short") {
    const std::string text = "Requested action not taken: mailbox unavailable";
    const std::size_t need = esc::formatted_reply_size(reply_code{550}, "5.1.1"_esc, text);
    CHECK(need == std::string("550 5.1.1 ").size() + text.size() + 2);
    std::string buf(need, '#');
    auto r = esc::format_reply(buf.data(), buf.data() + buf.size(), reply_code{550}, "5.1.1"_esc, text);
    CHECK(r.ec == std::errc{});
    CHECK(r.ptr == buf.data() + buf.size());
    CHECK(buf == "550 5.1.1 " + text + "\r\n");
    std::string small(need - 1, '#');
    r = esc::format_reply(small.data(), small.data() + small.size(), reply_code{550}, "5.1.1"_esc, text);
    CHECK(r.ec == std::errc::value_too_large);
    CHECK(r.ptr == small.data() + small.size());
}

TEST_CASE("round trip through parse_reply for ordinary texts") {
    for (const char* text : {"Ok", "<bob@example.com>: Recipient address rejected: User unknown", " leading space",
                             "two  spaces", "trailing space ", ""}) {
        CAPTURE(text);
        for (const auto& [code, status] : {std::pair{reply_code{250}, "2.0.0"_esc}, std::pair{reply_code{451}, "4.3.0"_esc},
                                           std::pair{reply_code{550}, "5.7.606"_esc}}) {
            const std::string wire = esc::format_reply(code, status, text);
            const auto p = esc::parse_reply(wire);
            REQUIRE(p);
            CHECK(p.reply.code == code);
            CHECK(p.reply.status == status);
            CHECK(p.reply.text == text);
        }
    }
}

namespace {

// Whether s is well-formed UTF-8 as a whole (structure only: lead octet,
// continuation count; enough to see a sequence split between lines).
bool whole_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

} // namespace

TEST_CASE("UTF-8 is never split between lines; text without spaces (CJK) wraps within the limit") {
    std::string cjk; // 3-octet characters, no spaces: 'mailbox full' in Chinese, many times
    for (int i = 0; i < 200; ++i) cjk += "\xE9\x82\xAE\xE7\xAE\xB1\xE5\xB7\xB2\xE6\xBB\xA1";
    std::string emoji; // 4-octet characters
    for (int i = 0; i < 300; ++i) emoji += "\xF0\x9F\x93\xAE";
    std::string latin; // 2-octet characters and ASCII, no spaces
    for (int i = 0; i < 400; ++i) latin += "\xC3\xA9x";
    for (const std::string* text : {&cjk, &emoji, &latin}) {
        for (std::size_t max_line : {std::size_t{512}, std::size_t{40}, std::size_t{41}, std::size_t{42},
                                     std::size_t{43}, std::size_t{100}}) {
            CAPTURE(max_line);
            const std::string wire = esc::format_reply(reply_code{550}, "5.2.2"_esc, *text, max_line);
            REQUIRE_FALSE(wire.empty());
            std::string back;
            for (const auto& l : wire_lines(wire)) {
                CHECK(l.size() + 2 <= max_line);
                CHECK(whole_utf8(l));
                back += l.substr(std::string("550-5.2.2 ").size());
            }
            CHECK(back == *text); // cut only between characters: nothing lost, nothing added
            CHECK(esc::parse_reply(wire).reply.status == "5.2.2"_esc);
        }
    }
    // Not UTF-8 at all (continuation octets only): still cut where it fits.
    const std::string junk(700, '\x80');
    for (const auto& l : wire_lines(esc::format_reply(reply_code{550}, "5.2.2"_esc, junk))) CHECK(l.size() + 2 <= 512);
}
