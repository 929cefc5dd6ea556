// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Hostile input: what mail servers and logs really send, and worse. Each
// class of input has one documented result, asserted here; CI runs this
// suite under AddressSanitizer + UndefinedBehaviorSanitizer (asan preset) and
// under valgrind memcheck (the hostile_memcheck test), so "does not crash,
// does not read outside the input" is checked as well as the results.
//
// "parse_reply" below is what the table says of text that ends where the
// input ends (parse_reply_text(), which the suite calls): on a byte stream,
// parse_reply() itself answers `incomplete` wherever the input stops inside a
// reply (an empty input, a lone CR at the end, a reply that never ends) and
// is otherwise the same; the reply suite and "a stream that stops" below
// check that.
//
// Input class                       Documented result
// --------------------------------- ---------------------------------------------------------------
// empty input                       parse_reply: no_code at 0; find_*: nothing; classify: unknown/other
// lone CR                           parse_reply: bare_cr at 0; find_*: nothing
// CR without LF                     parse_reply: bare_cr at the CR, the lines before it kept; in prose a
//                                   CR ends the reply's line; format_reply: a new reply line
// NUL bytes                         ordinary bytes: kept inside views (sizes, not terminators), a
//                                   word separator for phrases, a boundary for codes; '?' on the wire
// 1 MB line                         parsed whole, flagged line_too_long; format_reply wraps it into
//                                   lines of at most 512 octets that read back to the same text
// 100k continuation lines           one reply of 100001 lines, in one pass
// multi-line reply that never ends  parse_reply: truncated at the end of input, raw = all of it;
//                                   find_reply: the first line alone, as prose
// mixed codes across lines          parse_reply: mixed_codes at the line that changes, the lines
//                                   before kept; find_reply: the first reply line
// codes with 4+ digit parts         not a code anywhere; from_chars: result_out_of_range past them
// leading zeros                     not a code anywhere (5.01.1, 5.1.01); a lone 0 is fine (5.0.0)
// IPv4 addresses                    never a code (10.5.1.1, [5.1.1.1], 4.2.2.1)
// dates                             never a code (2024-05-01, 12.05.2024, 5.12.24); the documented
//                                   limit: day.month.yy with a 2/4/5 day and a month <= 7 (4.3.21) is
// version strings                   never a code after a version word or in a 4+ part or 2-part
//                                   version (Exim 4.96, Postfix 2.11.3, version 5.1.2); the documented
//                                   limit: a bare three-part version (MyMTA 5.1.2) reads as a code
// invalid UTF-8                     bytes >= 0x80 pass through untouched, are word characters for
//                                   phrases, and never break parsing
// a code split across lines         never joined: neither half is read as (part of) a code
#include <esc/classify.hpp>
#include <esc/format_reply.hpp>
#include <esc/reply.hpp>
#include <esc/status.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

using namespace esc::literals;
using esc::reply_code;
using esc::reply_error;

namespace {

bool inside(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    const std::less_equal<const char*> le;
    return le(whole.data(), part.data()) && le(part.data() + part.size(), whole.data() + whole.size());
}

// Everything a reader does with outside text, with the promises that hold
// for any input: views inside it, offsets within it, results deterministic
// (checked again on inputs up to 64 KiB; the big ones would only be slow).
void survives(std::string_view in) {
    const bool again = in.size() <= 65536;
    const esc::parsed_reply wire = esc::parse_reply(in);
    CHECK(wire.offset <= in.size());
    CHECK(inside(wire.reply.raw, in));
    CHECK(inside(wire.reply.text, in));
    const esc::parsed_reply p = esc::parse_reply_text(in);
    if (wire) CHECK(p.offset == wire.offset);
    CHECK(p.offset <= in.size());
    CHECK(inside(p.reply.raw, in));
    CHECK(inside(p.reply.text, in));
    if (again) CHECK(esc::parse_reply_text(in).offset == p.offset);
    std::size_t lines = 0;
    bool all_inside = true;
    for (std::string_view t : esc::lines(p.reply)) {
        all_inside = all_inside && inside(t, in);
        ++lines;
    }
    CHECK(all_inside);
    if (p) CHECK(lines == p.reply.line_count);
    std::string buf(p.reply.text.size(), '\0');
    CHECK(esc::join_text(p.reply, buf.data(), buf.data() + buf.size()).size() <= p.reply.text.size());
    if (const auto r = esc::find_reply(in)) {
        CHECK(inside(r->raw, in));
        CHECK(inside(r->text, in));
    }
    if (const auto m = esc::find_status(in)) {
        CHECK(inside(m->text, in));
        CHECK(esc::parse_status(m->text) == m->status);
    }
    const esc::classification c = esc::classify(in);
    if (again) CHECK(c == esc::classify(in));
    if (p && again) CHECK(esc::classify(p.reply) == esc::classify(p.reply));
    esc::status_code s{};
    const auto fc = esc::from_chars(in.data(), in.data() + in.size(), s);
    CHECK(fc.ptr >= in.data());
    CHECK(fc.ptr <= in.data() + in.size());
}

// The texts of a formatted reply's lines, read back, joined by spaces.
std::string read_back(const std::string& wire) {
    const auto p = esc::parse_reply_text(wire);
    REQUIRE(p);
    CHECK(p.offset == wire.size());
    std::string buf(p.reply.text.size(), '\0');
    return std::string(esc::join_text(p.reply, buf.data(), buf.data() + buf.size()));
}

bool only_crlf(const std::string& wire) {
    for (std::size_t i = 0; i < wire.size(); ++i) {
        if (wire[i] == '\r' && (i + 1 == wire.size() || wire[i + 1] != '\n')) return false;
        if (wire[i] == '\n' && (i == 0 || wire[i - 1] != '\r')) return false;
    }
    return true;
}

} // namespace

TEST_CASE("empty input") {
    const std::string_view in;
    survives(in);
    const auto p = esc::parse_reply_text(in);
    CHECK(p.error == reply_error::no_code);
    CHECK(p.offset == 0);
    CHECK_FALSE(esc::find_reply(in).has_value());
    CHECK_FALSE(esc::find_status(in).has_value());
    CHECK_FALSE(esc::parse_status(in).has_value());
    const esc::classification c = esc::classify(in);
    CHECK(c.outcome == esc::outcome::unknown);
    CHECK(c.reason == esc::reason::other);
    CHECK(c.inferred);
    CHECK_FALSE(esc::is_valid(c.status));
    esc::status_code s = "5.1.1"_esc;
    const auto r = esc::from_chars(in.data(), in.data(), s);
    CHECK(r.ec == std::errc::invalid_argument);
    CHECK(s == "5.1.1"_esc); // untouched
    CHECK(esc::format_reply(reply_code{250}, std::nullopt, "") == "250\r\n");
    CHECK(esc::format_reply(reply_code{250}, "2.0.0"_esc, "") == "250 2.0.0\r\n");
}

TEST_CASE("a lone CR") {
    const std::string_view in = "\r";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    CHECK(p.error == reply_error::bare_cr);
    CHECK(p.offset == 0);
    CHECK_FALSE(esc::find_reply(in).has_value());
    CHECK(esc::classify(in).outcome == esc::outcome::unknown);
    for (std::string_view s : {std::string_view("\r\r\r"), std::string_view("\n"), std::string_view("\r\n\r\n")}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::parse_reply_text(s));
    }
}

TEST_CASE("a CR without LF") {
    survives("550 5.1.1 a\rb\r\n");
    auto p = esc::parse_reply_text("550 5.1.1 a\rb\r\n");
    CHECK(p.error == reply_error::bare_cr);
    CHECK(p.offset == 11);
    CHECK(p.reply.line_count == 0); // the line holding it is not read
    CHECK(p.reply.raw == "550 5.1.1 a");
    p = esc::parse_reply_text("550-first\r\n550 second\r");
    CHECK(p.error == reply_error::bare_cr);
    CHECK(p.offset == 21);
    CHECK(p.reply.code == reply_code{550}); // the lines before it are kept
    CHECK(p.reply.line_count == 1);
    // In prose a CR ends the quoted reply's line.
    const std::string_view prose = "said: 550 5.1.1 user unknown\rX-Injected: 250 2.0.0 ok";
    survives(prose);
    const auto r = esc::find_reply(prose);
    REQUIRE(r.has_value());
    CHECK(r->status == "5.1.1"_esc);
    CHECK(r->text == "user unknown");
    // On the wire a CR in the text starts a new reply line, never a raw one.
    const std::string wire = esc::format_reply(reply_code{550}, "5.1.1"_esc, "a\rb\r\rc");
    CHECK(wire == "550-5.1.1 a\r\n550-5.1.1 b\r\n550-5.1.1\r\n550 5.1.1 c\r\n");
    CHECK(only_crlf(wire));
}

TEST_CASE("NUL bytes") {
    const std::string in("550 5.1.1 user\0unknown\0\r\n", 25);
    survives(in);
    const auto p = esc::parse_reply_text(in);
    REQUIRE(p);
    CHECK(p.offset == in.size());
    CHECK(p.reply.text.size() == 13); // "user\0unknown\0": sizes, not terminators
    CHECK(p.reply.text == std::string_view("user\0unknown\0", 13));
    // A word separator for phrases, like any other non-alphanumeric byte.
    CHECK(esc::classify(std::string_view("550 user\0unknown", 16)).reason == esc::reason::mailbox_unknown);
    // A boundary for codes.
    const std::string quoted("said: 550 5.2.2\0mailbox full\0", 29);
    survives(quoted);
    const auto r = esc::find_reply(quoted);
    REQUIRE(r.has_value());
    CHECK(r->status == "5.2.2"_esc);
    CHECK_FALSE(esc::parse_status(std::string_view("5.1.1\0", 6)).has_value());
    const std::string nuls(1000, '\0');
    survives(nuls);
    CHECK(esc::parse_reply_text(nuls).error == reply_error::no_code);
    // '?' on the wire.
    CHECK(esc::format_reply(reply_code{550}, "5.1.1"_esc, std::string_view("a\0b", 3)) == "550 5.1.1 a?b\r\n");
}

TEST_CASE("a 1 MB line") {
    const std::string text(1 << 20, 'x');
    const std::string in = "550 5.1.1 " + text + "\r\n";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    REQUIRE(p);
    CHECK(p.reply.warnings.line_too_long);
    CHECK(p.reply.text.size() == text.size());
    const std::string prose = std::string(1 << 19, ' ') + "said: 550 5.2.2 mailbox full " + std::string(1 << 19, 'y');
    survives(prose);
    const esc::classification c = esc::classify(prose);
    CHECK(c.status == "5.2.2"_esc);
    CHECK(c.reason == esc::reason::mailbox_full);
    // format_reply cuts it into lines of at most 512 octets that read back.
    std::string words;
    while (words.size() < (1u << 20)) words += "lorem ipsum dolor ";
    words.pop_back();
    const std::string wire = esc::format_reply(reply_code{550}, "5.1.1"_esc, words);
    CHECK(only_crlf(wire));
    std::size_t longest = 0;
    for (std::size_t pos = 0; pos < wire.size();) {
        const std::size_t next = wire.find("\r\n", pos) + 2;
        longest = std::max(longest, next - pos);
        pos = next;
    }
    CHECK(longest <= esc::max_reply_line);
    CHECK(read_back(wire) == words); // wrapped at blanks, which the line breaks replace
    const std::string cut = esc::format_reply(reply_code{550}, std::nullopt, text);
    std::string rejoined;
    for (char ch : read_back(cut))
        if (ch != ' ') rejoined += ch; // a word longer than a line is cut, joined back with spaces
    CHECK(rejoined == text);
}

TEST_CASE("100k continuation lines") {
    std::string in;
    for (int i = 0; i < 100000; ++i) in += "550-5.1.1 no such user\n";
    in += "550 5.1.1 end\n";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    REQUIRE(p);
    CHECK(p.reply.line_count == 100001);
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.warnings.bare_lf); // the only departure from the RFCs
    CHECK_FALSE(p.reply.warnings.status_on_some_lines);
    const esc::classification c = esc::classify(p.reply);
    CHECK(c.reason == esc::reason::mailbox_unknown);
    CHECK(esc::classify(std::string_view(in)) == c);
    const auto r = esc::find_reply(in);
    REQUIRE(r.has_value());
    CHECK(r->line_count == 100001);
}

TEST_CASE("a multi-line reply that never ends") {
    std::string in;
    for (int i = 0; i < 100000; ++i) in += "250-go\r\n";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    CHECK(p.error == reply_error::truncated);
    CHECK(p.offset == in.size());
    CHECK(p.reply.raw.size() == in.size());
    CHECK(p.reply.line_count == 100000);
    const auto r = esc::find_reply(in);
    REQUIRE(r.has_value());
    CHECK(r->line_count == 1); // the first line, as prose
    CHECK(r->text == "go");
    CHECK(esc::classify(std::string_view(in)).outcome == esc::outcome::success);
    // Without any line end at all.
    const std::string open = "550-" + std::string(100000, 'z');
    survives(open);
    CHECK(esc::parse_reply_text(open).error == reply_error::truncated);
}

TEST_CASE("a stream that stops inside a reply is incomplete, at any length") {
    std::string in;
    for (int i = 0; i < 100000; ++i) in += "250-go\r\n";
    const auto p = esc::parse_reply(in);
    CHECK(p.error == reply_error::incomplete);
    CHECK(p.offset == in.size());
    CHECK(p.reply.line_count == 100000);
    CHECK(esc::parse_reply("550-" + std::string(100000, 'z')).error == reply_error::incomplete);
    CHECK(esc::parse_reply("").error == reply_error::incomplete);
    CHECK(esc::parse_reply("\r").error == reply_error::incomplete);
    CHECK(esc::parse_reply("550 x\r").error == reply_error::incomplete);
}

TEST_CASE("mixed codes across lines") {
    const std::string_view in = "250-mx.example.com\r\n550-5.7.1 go away\r\n550 5.7.1 now\r\n";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    CHECK(p.error == reply_error::mixed_codes);
    CHECK(p.offset == 20);
    CHECK(p.reply.code == reply_code{250});
    CHECK(p.reply.line_count == 1);
    // In prose the first code with an enhanced code is the reply.
    const auto r = esc::find_reply(in);
    REQUIRE(r.has_value());
    CHECK(r->code == reply_code{550});
    CHECK(r->line_count == 2);
    CHECK(esc::parse_reply_text(in.substr(p.offset))); // a transcript reader resumes there
    survives("250-a\n251-b\n252 c\n");
    CHECK(esc::parse_reply_text("250-a\n251-b\n252 c\n").offset == 6);
}

TEST_CASE("codes with 4+ digit parts") {
    for (std::string_view s : {"5.1.1000", "5.1000.1", "5.0001.1", "5.1.12345678901234567890"}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::parse_status(s).has_value());
        CHECK_FALSE(esc::find_status(s).has_value());
    }
    esc::status_code c = "2.0.0"_esc;
    const std::string_view big = "5.1.1000 rest";
    auto r = esc::from_chars(big.data(), big.data() + big.size(), c);
    CHECK(r.ec == std::errc::result_out_of_range);
    CHECK(r.ptr == big.data() + 8); // past the whole pattern
    CHECK(c == "2.0.0"_esc);
    const std::string huge = "5." + std::string(100000, '9') + ".1";
    survives(huge);
    r = esc::from_chars(huge.data(), huge.data() + huge.size(), c);
    CHECK(r.ec == std::errc::result_out_of_range);
    CHECK(r.ptr == huge.data() + huge.size());
    // Reply codes with four digits are no codes either.
    CHECK(esc::parse_reply_text("5500 x\r\n").error == reply_error::bad_code);
    CHECK_FALSE(esc::find_reply("said: 5500 x").has_value());
    const auto p = esc::parse_reply_text("550 5.1.1000 x\r\n");
    REQUIRE(p);
    CHECK_FALSE(p.reply.status.has_value());
    CHECK(p.reply.text == "5.1.1000 x");
}

TEST_CASE("leading zeros") {
    for (std::string_view s : {"5.01.1", "5.1.01", "5.00.0", "05.1.1", "5.1.001"}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::parse_status(s).has_value());
        CHECK_FALSE(esc::find_status(s).has_value());
        esc::status_code c{};
        CHECK(esc::from_chars(s.data(), s.data() + s.size(), c).ec == std::errc::invalid_argument);
    }
    CHECK(esc::parse_status("5.0.0") == "5.0.0"_esc);
    CHECK(esc::parse_reply_text("055 x\r\n").error == reply_error::bad_code);
    const auto p = esc::parse_reply_text("550 5.01.1 x\r\n");
    REQUIRE(p);
    CHECK_FALSE(p.reply.status.has_value());
}

TEST_CASE("IPv4 addresses") {
    for (std::string_view s :
         {"from 10.5.1.1", "[5.1.1.1]", "dns 4.2.2.1 failed", "host 2.5.5.255 said", "5.5.5.5", "::ffff:5.1.1.1",
          "192.168.1.1", "0.0.0.0", "255.255.255.255"}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::find_status(s).has_value());
        CHECK_FALSE(esc::find_reply(s).has_value());
    }
    const auto p = esc::parse_reply_text("250 4.5.6.7 accepted\r\n");
    REQUIRE(p);
    CHECK_FALSE(p.reply.status.has_value());
    const esc::classification c = esc::classify("host mx.example.com[5.1.1.1] said: 550 User unknown");
    CHECK(c.reason == esc::reason::mailbox_unknown);
    CHECK(c.inferred);
    CHECK(c.status == "5.0.0"_esc);
}

TEST_CASE("dates") {
    for (std::string_view s : {"2024-05-01 12:30:45", "12.05.2024", "on 5.12.24", "2.1.2024", "Mon, 5 Feb 2024",
                               "2024-05-01T05:01:01Z", "at 5:01:01"}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::find_status(s).has_value());
        CHECK_FALSE(esc::find_reply(s).has_value());
    }
    // The documented limit: a day.month.yy date with a 2/4/5 day and a month
    // up to 7 is indistinguishable from a code.
    const auto m = esc::find_status("on 4.3.21");
    REQUIRE(m.has_value());
    CHECK(m->status == "4.3.21"_esc);
}

TEST_CASE("version strings") {
    for (std::string_view s : {"ESMTP Exim 4.96 Mon, 01 Jan 2024", "Postfix 2.11.3", "sendmail 8.14.4/8.14.4",
                               "version 5.1.2", "Version: 4.0.1", "v5.1.2", "release 2.0.0", "build 5.1.1", "4.96",
                               "Exim 4.96 #2", "qmail 1.03", "Microsoft ESMTP MAIL Service, Version: 10.0.17763.1697"}) {
        CAPTURE(s);
        survives(s);
        CHECK_FALSE(esc::find_status(s).has_value());
        CHECK_FALSE(esc::find_reply(s).has_value());
    }
    const auto r = esc::find_reply("220 mx.example.com ESMTP Exim 4.96 ready");
    REQUIRE(r.has_value());
    CHECK(r->code == reply_code{220});
    CHECK_FALSE(r->status.has_value());
    // The documented limit: a bare three-part version reads as a code.
    CHECK(esc::find_status("MyMTA 5.1.2 ready")->status == "5.1.2"_esc);
}

TEST_CASE("invalid UTF-8") {
    const std::string in = "550 5.1.1 \xff\xfe\xc3\x28 \xe2\x82 \xc0\xaf user unknown \x80\r\n";
    survives(in);
    const auto p = esc::parse_reply_text(in);
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.text.size() == in.size() - 12);
    CHECK(esc::classify(p.reply).reason == esc::reason::mailbox_unknown);
    // A byte >= 0x80 is a word character: it does not separate words.
    CHECK(esc::classify("550 user\xffunknown").reason == esc::reason::other);
    CHECK(esc::classify("550 user\xff unknown").reason == esc::reason::other);
    CHECK(esc::classify("550 \xffuser unknown").reason == esc::reason::other);
    // Bytes >= 0x80 pass to the wire untouched.
    CHECK(esc::format_reply(reply_code{550}, "5.1.1"_esc, "\xff\xc3\xa9") == "550 5.1.1 \xff\xc3\xa9\r\n");
    std::string noise;
    for (int i = 0; i < 256; ++i) noise += static_cast<char>(255 - i);
    survives(noise);
    survives("\xef\xbc\x95.1.1 550\xe2\x80\x8b" "5.1.1");
    CHECK_FALSE(esc::find_status("\xef\xbc\x95.1.1").has_value()); // a fullwidth 5 is not a digit
}

TEST_CASE("a code split across lines") {
    for (std::string_view s : {"55\r\n0 5.1.1 x", "550 5.\r\n1.1 x", "550 5.1\n.1 x", "5.1\r\n.1", "5\n.1.1"}) {
        CAPTURE(s);
        survives(s);
    }
    CHECK(esc::parse_reply_text("55\r\n0 5.1.1 x").error == reply_error::no_code);
    CHECK_FALSE(esc::find_reply("55\r\n0 5.1.1 x").has_value());
    CHECK(esc::find_status("55\r\n0 5.1.1 x")->status == "5.1.1"_esc); // the whole code on line two
    const auto p = esc::parse_reply_text("550 5.\r\n1.1 x");
    REQUIRE(p);
    CHECK_FALSE(p.reply.status.has_value());
    CHECK(p.reply.text == "5.");
    CHECK(p.offset == 8); // the reply ends with its line
    CHECK_FALSE(esc::find_status("550 5.\r\n1.1 x").has_value());
    CHECK_FALSE(esc::find_status("5.1\r\n.1").has_value());
    CHECK_FALSE(esc::find_status("5\n.1.1").has_value());
    const auto r = esc::find_reply("said: 550 5.1\n.1 x");
    REQUIRE(r.has_value());
    CHECK_FALSE(r->status.has_value());
}

TEST_CASE("many code prefixes") {
    std::string fives;
    for (int i = 0; i < 100000; ++i) fives += "5.";
    survives(fives);
    CHECK_FALSE(esc::find_status(fives).has_value());
    std::string codes;
    for (int i = 0; i < 100000; ++i) codes += "; 550 ";
    survives(codes);
    const auto r = esc::find_reply(codes);
    REQUIRE(r.has_value());
    CHECK(r->code == reply_code{550});
}

TEST_CASE("format_reply: text that tries to inject replies") {
    const std::string wire =
        esc::format_reply(reply_code{550}, "5.1.1"_esc, "no such user\r\n250 2.0.0 Ok: queued\r\n.\r\nQUIT");
    CHECK(only_crlf(wire));
    const auto p = esc::parse_reply_text(wire);
    REQUIRE(p);
    CHECK(p.offset == wire.size()); // one reply, all of it
    CHECK(p.reply.code == reply_code{550});
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.line_count == 4);
    CHECK_FALSE(p.reply.warnings.any());
    // Without an enhanced code the text is the caller's: one that starts with
    // a code is read back as carrying it (flagged when the class differs).
    const auto q = esc::parse_reply_text(esc::format_reply(reply_code{550}, std::nullopt, "2.0.0 all is well"));
    REQUIRE(q);
    CHECK(q.reply.status == "2.0.0"_esc);
    CHECK(q.reply.warnings.class_mismatch);
}
