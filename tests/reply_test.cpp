// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/reply.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace esc::literals;
using esc::reply_code;
using esc::reply_error;

namespace {

std::vector<std::string> line_texts(const esc::reply& r) {
    std::vector<std::string> out;
    for (std::string_view t : esc::lines(r)) out.emplace_back(t);
    return out;
}

std::string joined(const esc::reply& r) {
    std::string buf(r.text.size() + 1, '\0');
    return std::string(esc::join_text(r, buf.data(), buf.data() + buf.size()));
}

bool inside(std::string_view part, std::string_view whole) {
    return part.data() == nullptr || part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

} // namespace

// parse_reply works in constant expressions.
#if ESC_HEADER_ONLY
static_assert(esc::parse_reply("250 2.0.0 Ok\r\n").reply.code == reply_code{250});
static_assert(esc::parse_reply("250-a\r\n250 2.0.0 b\r\n").reply.line_count == 2);
static_assert(esc::parse_reply("250-a\r\n").error == reply_error::incomplete);
static_assert(esc::parse_reply_text("250-a\r\n").error == reply_error::truncated);
static_assert(esc::parse_reply_text("250 ok").reply.code == reply_code{250});
static_assert(esc::find_reply("smtp; 550 5.1.1 x")->status == "5.1.1"_esc);
static_assert(!esc::find_reply("220 192.168.1.1 ESMTP")->status.has_value());
static_assert(!esc::find_status("from 10.5.1.1 to 4.2.2.1"));
#endif

TEST_CASE("a one-line reply") {
    const auto p = esc::parse_reply("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n");
    REQUIRE(p);
    CHECK(p.reply.code == reply_code{550});
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.text == "<bob@example.com>: Recipient address rejected: User unknown");
    CHECK(p.reply.line_count == 1);
    CHECK(p.offset == p.reply.raw.size());
    CHECK_FALSE(p.reply.warnings.any());
}

TEST_CASE("line ends: CRLF, bare LF (flagged), none at the end of typed text") {
    auto p = esc::parse_reply("250 2.0.0 Ok\n");
    REQUIRE(p);
    CHECK(p.reply.warnings.bare_lf);
    CHECK(p.reply.text == "Ok");
    CHECK(esc::parse_reply("250 2.0.0 Ok").error == reply_error::incomplete);
    p = esc::parse_reply_text("250 2.0.0 Ok");
    REQUIRE(p);
    CHECK_FALSE(p.reply.warnings.bare_lf);
    CHECK(p.offset == 12);
    p = esc::parse_reply("250-a\n250 b\n");
    REQUIRE(p);
    CHECK(p.reply.line_count == 2);
    CHECK(p.reply.warnings.bare_lf);
}

TEST_CASE("a multi-line reply with the enhanced code on every line (RFC 2034)") {
    const std::string in = "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                           "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                           "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser\r\n";
    const auto p = esc::parse_reply(in);
    REQUIRE(p);
    CHECK(p.reply.code == reply_code{550});
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.line_count == 3);
    CHECK(p.offset == in.size());
    CHECK(p.reply.raw == in);
    CHECK_FALSE(p.reply.warnings.any());
    CHECK(line_texts(p.reply) ==
          std::vector<std::string>{"The email account that you tried to reach does not exist. Please try",
                                   "double-checking the recipient's email address for typos or",
                                   "unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"});
    CHECK(joined(p.reply) == "The email account that you tried to reach does not exist. Please try double-checking the "
                             "recipient's email address for typos or unnecessary spaces. "
                             "https://support.google.com/mail/?p=NoSuchUser");
    CHECK(p.reply.text.substr(0, 9) == "The email");
    CHECK(p.reply.text.substr(p.reply.text.size() - 10) == "NoSuchUser");
}

TEST_CASE("an EHLO reply without enhanced codes") {
    const auto p = esc::parse_reply("250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
                                    "250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n");
    REQUIRE(p);
    CHECK(p.reply.line_count == 5);
    CHECK_FALSE(p.reply.status.has_value());
    CHECK_FALSE(p.reply.warnings.status_on_some_lines);
    CHECK(line_texts(p.reply)[3] == "ENHANCEDSTATUSCODES");
}

TEST_CASE("enhanced codes on some lines only, or differing, are read and flagged") {
    auto p = esc::parse_reply("550-Mailbox unavailable\r\n550 5.1.1 User unknown\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.1"_esc); // only on the last line (anchor bug: codes only on the last line)
    CHECK(p.reply.warnings.status_on_some_lines);
    p = esc::parse_reply("550-5.1.1 first\r\n550 5.7.1 second\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.warnings.status_differs);
}

TEST_CASE("a class mismatch is kept and flagged, never dropped") {
    const auto p = esc::parse_reply("550 4.1.1 <bob@example.com>: temporarily unknown\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "4.1.1"_esc);
    CHECK(p.reply.warnings.class_mismatch);
}

TEST_CASE("three-digit details are kept exactly") {
    auto p = esc::parse_reply("550 5.7.606 Access denied, banned sending IP [203.0.113.1]\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.7.606"_esc);
    p = esc::parse_reply("451 4.7.500 Server busy. Please try again later from [203.0.113.1]\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "4.7.500"_esc);
}

TEST_CASE("an IP address in a greeting is text, not a code") {
    const auto p = esc::parse_reply("220 192.168.1.1 ESMTP Postfix\r\n");
    REQUIRE(p);
    CHECK(p.reply.code == reply_code{220});
    CHECK_FALSE(p.reply.status.has_value());
    CHECK(p.reply.text == "192.168.1.1 ESMTP Postfix");
    const auto q = esc::parse_reply("250 4.5.6.7 accepted\r\n");
    REQUIRE(q);
    CHECK_FALSE(q.reply.status.has_value());
}

TEST_CASE("lenient forms: text-less lines, extra blanks, qmail's #, codes outside the grammar") {
    auto p = esc::parse_reply("250\r\n");
    REQUIRE(p);
    CHECK(p.reply.text.empty());
    p = esc::parse_reply("250-\r\n250 ok\r\n");
    REQUIRE(p);
    CHECK(line_texts(p.reply) == std::vector<std::string>{"", "ok"});
    p = esc::parse_reply("550  5.1.1 double blank\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.reply.text == "double blank");
    p = esc::parse_reply("550 #5.1.0 Address rejected\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.0"_esc);
    p = esc::parse_reply("571 5.7.1 Delivery not authorized\r\n");
    REQUIRE(p);
    CHECK(p.reply.code == reply_code{571});
    CHECK(p.reply.warnings.code_outside_grammar);
    p = esc::parse_reply("550 5.1.1  two spaces kept\r\n");
    REQUIRE(p);
    CHECK(p.reply.text == " two spaces kept");
}

TEST_CASE("typed text: errors carry their kind and the offset where parsing stopped") {
    struct error_case {
        std::string input;
        reply_error error;
        std::size_t offset;
    };
    const error_case cases[] = {
        {"", reply_error::no_code, 0},
        {"hello", reply_error::no_code, 0},
        {"55", reply_error::no_code, 0},
        {"5a0 x", reply_error::no_code, 0},
        {"600 out of range\r\n", reply_error::bad_code, 0},
        {"199 below\r\n", reply_error::bad_code, 0},
        {"5500 four digits\r\n", reply_error::bad_code, 3},
        {"550x glued\r\n", reply_error::bad_code, 3},
        {"550\tTab\r\n", reply_error::bad_code, 3},
        {"250-first\r\n550 second\r\n", reply_error::mixed_codes, 11},
        {"250-first\r\n", reply_error::truncated, 11},
        {"250-first\r\n250-second", reply_error::truncated, 21},
        {"250-first\r\nno code here\r\n", reply_error::no_code, 11},
        {"550 bare\rcr\r\n", reply_error::bare_cr, 8},
        {"550 ends in CR\r", reply_error::bare_cr, 14},
        {"550-a\r\n550 b\rc", reply_error::bare_cr, 12},
    };
    for (const error_case& c : cases) {
        CAPTURE(c.input);
        const auto p = esc::parse_reply_text(c.input);
        CHECK_FALSE(p);
        CHECK(p.error == c.error);
        CHECK(p.offset == c.offset);
        CHECK(p.offset <= c.input.size());
        CHECK(inside(p.reply.raw, c.input));
        CHECK(inside(p.reply.text, c.input));
    }
}

TEST_CASE("mixed codes across lines: what was read so far is kept") {
    const auto p = esc::parse_reply("250-mx.example.com\r\n550 5.7.1 no\r\n");
    CHECK(p.error == reply_error::mixed_codes);
    CHECK(p.reply.code == reply_code{250});
    CHECK(p.reply.line_count == 1);
    CHECK(p.reply.raw == "250-mx.example.com\r\n");
}

TEST_CASE("an over-long line is reported and still parsed") {
    const std::string text(600, 'x');
    const std::string input = "550 5.1.1 " + text + "\r\n"; // the views point into it: keep it alive
    const auto p = esc::parse_reply(input);
    REQUIRE(p);
    CHECK(p.reply.warnings.line_too_long);
    CHECK(p.reply.text == text);
    const std::string fits = "550 5.1.1 " + std::string(512 - 12, 'y') + "\r\n"; // exactly 512 octets
    const auto q = esc::parse_reply(fits);
    REQUIRE(q);
    CHECK_FALSE(q.reply.warnings.line_too_long);
}

TEST_CASE("a transcript is walked reply by reply through offset") {
    const std::string transcript = "220 mx.example.com ESMTP\r\n"
                                   "250-mx.example.com\r\n250 8BITMIME\r\n"
                                   "250 2.1.0 Ok\r\n"
                                   "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown\r\n";
    std::vector<int> codes;
    std::string_view rest = transcript;
    while (!rest.empty()) {
        const auto p = esc::parse_reply(rest);
        REQUIRE(p);
        codes.push_back(esc::to_int(p.reply.code));
        rest.remove_prefix(p.offset);
    }
    CHECK(codes == std::vector<int>{220, 250, 250, 550});
}

TEST_CASE("100k continuation lines parse, in one pass") {
    std::string in;
    for (int i = 0; i < 100000; ++i) in += "250-line\r\n";
    in += "250 end\r\n";
    const auto p = esc::parse_reply(in);
    REQUIRE(p);
    CHECK(p.reply.line_count == 100001);
    std::size_t n = 0;
    for (std::string_view t : esc::lines(p.reply)) n += t == "line";
    CHECK(n == 100000);
}

TEST_CASE("find_reply: the forms replies take inside prose") {
    struct found_case {
        const char* text;
        int code;
        const char* status; // "" when none
        const char* reply_text;
    };
    const found_case cases[] = {
        {"smtp; 550 5.1.1 <bob@example.com>... User unknown", 550, "5.1.1", "<bob@example.com>... User unknown"},
        {"smtp;550 5.1.1 no space after the semicolon", 550, "5.1.1", "no space after the semicolon"},
        {"host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User "
         "unknown (in reply to RCPT TO command)",
         550, "5.1.1", "<bob@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)"},
        {"SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 Unrouteable address", 550, "",
         "Unrouteable address"},
        {"did not like our RCPT TO:552 5.2.3 <x@example.net>: too big", 552, "5.2.3", "<x@example.net>: too big"},
        {"Remote Server returned '550 5.7.606 Access denied, banned sending IP [203.0.113.1]'", 550, "5.7.606",
         "Access denied, banned sending IP [203.0.113.1]'"},
        {"550 #5.1.0 Address rejected bob@example.com", 550, "5.1.0", "Address rejected bob@example.com"},
        {"554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>", 554,
         "4.4.7", "Message expired: unable to deliver in 840 minutes.<"},
        {"220 192.168.1.1 ESMTP", 220, "", "192.168.1.1 ESMTP"},
        {"550 5.1.1 <a@example.com>... User unknown 503 5.0.0 Need RCPT (recipient)", 550, "5.1.1",
         "<a@example.com>... User unknown "},
        {"550-5.7.1 [203.0.113.9] Our system has detected 550-5.7.1 unsolicited mail 550 5.7.1 more", 550, "5.7.1",
         "[203.0.113.9] Our system has detected 550-5.7.1 unsolicited mail 550 5.7.1 more"},
        {"571 5.7.1 Delivery not authorized", 571, "5.7.1", "Delivery not authorized"},
    };
    for (const found_case& c : cases) {
        CAPTURE(c.text);
        const auto r = esc::find_reply(c.text);
        REQUIRE(r.has_value());
        CHECK(esc::to_int(r->code) == c.code);
        CHECK(std::string(r->status ? esc::to_string(*r->status).view() : "") == c.status);
        CHECK(r->text == c.reply_text);
        CHECK(inside(r->raw, c.text));
        CHECK(inside(r->text, c.text));
    }
}

TEST_CASE("find_reply: numbers that are not replies") {
    for (const char* text :
         {"Greylisted for 300 seconds", "retry in 450 seconds", "connect to mx.example.com[192.0.2.1]:587: Connection refused",
          "from 192.168.250.1", "Exim 4.96 running", "Postfix 2.11.3", "2024-05-01 12:30:45",
          "call 1-800-555-1212", "version 550", "size=550000", "550MB", "code550", "no digits at all", "",
          "5.1.1 alone is a status, not a reply", "571 alone is not a code"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::find_reply(text).has_value());
    }
}

TEST_CASE("find_status: enhanced codes inside prose") {
    struct status_case {
        const char* text;
        const char* status;
    };
    const status_case cases[] = {
        {"sorry, no mailbox here by that name (#5.1.1 - chkusr)", "5.1.1"},
        {"Sorry, I couldn't find any host named example.invalid. (#5.1.2)", "5.1.2"},
        {"delivery failed #5.1.0", "5.1.0"},
        {"dsn=5.1.1, status=bounced", "5.1.1"},
        {"Status: 5.0.0 (permanent failure)", "5.0.0"},
        {"see 4.4.1 first, then 550 5.1.1 wins because it follows a reply code", "5.1.1"},
        {"Status: 4.7.500.", "4.7.500"},
        {"code 5.4.310, DNS domain does not exist", "5.4.310"},
    };
    for (const status_case& c : cases) {
        CAPTURE(c.text);
        const auto m = esc::find_status(c.text);
        REQUIRE(m.has_value());
        CHECK(esc::to_string(m->status) == c.status);
        CHECK(m->text == c.status);
        CHECK(inside(m->text, c.text));
    }
    for (const char* text : {"from 10.5.1.1", "dns 4.2.2.1", "Postfix 2.11.3", "sendmail 8.14.4", "version 5.1.2",
                             "Version: 4.0.1", "v5.1.2", "release 2.0.0", "on 5.12.24", "2.1.2024", "12.05.2024",
                             "ratio 5.5", "5.1.1000", "x5.1.1", "5.1.1x", "5.1.1.1", "4.96"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::find_status(text).has_value());
    }
}

// Under -fsanitize, g++ will not compare pointers with nullptr in constant
// expressions; parsing must not need to.
#if ESC_HEADER_ONLY
static_assert(esc::parse_reply("250\r\n").reply.text.empty());
static_assert(esc::parse_reply("250-a\r\n250 2.0.0 b\r\n").reply.text == "a\r\n250 2.0.0 b");
#endif

// --- parse_reply on a byte stream: a reply is complete only with its last line end

TEST_CASE("every proper prefix of a reply is incomplete, never a shorter reply") {
    const std::string replies[] = {
        "250-mx.example.com\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
        "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 Please check.\r\n",
        "250 2.0.0 Ok\r\n",
        "250\r\n",
        "220 mx ESMTP\n",
        "250-a\n250 b\n",
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n",
    };
    for (const std::string& whole : replies) {
        CAPTURE(whole);
        const auto full = esc::parse_reply(whole);
        REQUIRE(full);
        CHECK(full.offset == whole.size());
        for (std::size_t k = 0; k < whole.size(); ++k) {
            const std::string prefix = whole.substr(0, k);
            CAPTURE(prefix);
            const auto p = esc::parse_reply(prefix);
            CHECK(p.error == reply_error::incomplete);
            CHECK(p.offset == prefix.size());
        }
    }
}

TEST_CASE("the prefixes named in issue 12 are incomplete") {
    for (const char* in : {"250", "550 5.1", "250-a\r\n25", "550-5.1.1 a\r", "250-mx\r\n250", "", "2", "55",
                           "250-a\r\n500"}) {
        CAPTURE(in);
        CHECK(esc::parse_reply(in).error == reply_error::incomplete);
    }
}

TEST_CASE("an unfinished line that can never become a reply is malformed at once") {
    struct error_case {
        std::string input;
        reply_error error;
        std::size_t offset;
    };
    const error_case cases[] = {
        {"hello", reply_error::no_code, 0},
        {"5a", reply_error::no_code, 0},
        {"600", reply_error::bad_code, 0},
        {"550x", reply_error::bad_code, 3},
        {"250-a\r\n550 ", reply_error::mixed_codes, 7},
        {"250-a\r\nEHLO", reply_error::no_code, 7},
        {"550 a\rb", reply_error::bare_cr, 5},
        // Found by fuzz/reply_reader.cpp: a CR later in a line that is already
        // not a reply must not change the verdict its first octets gave.
        {"0 2=.\r\xf3" "5 Ok", reply_error::no_code, 0},
        {"55\rx", reply_error::bare_cr, 2},
        // Also found so: "500" after a 250- line may still become "500," (bad_code).
        {"250-a\n500,", reply_error::bad_code, 9},
    };
    for (const error_case& c : cases) {
        CAPTURE(c.input);
        const auto p = esc::parse_reply(c.input);
        CHECK(p.error == c.error);
        CHECK(p.offset == c.offset);
        // The same error as any completion of the line would get.
        const std::string completed = c.input + " more\r\n";
        const auto q = esc::parse_reply(completed);
        CHECK(q.error == c.error);
        CHECK(q.offset == c.offset);
    }
}

TEST_CASE("incomplete is distinct from every malformed kind") {
    for (reply_error e : {reply_error::no_code, reply_error::bad_code, reply_error::mixed_codes,
                          reply_error::truncated, reply_error::bare_cr})
        CHECK(e != reply_error::incomplete);
    CHECK(esc::to_string(reply_error::incomplete) == "incomplete");
}

TEST_CASE("parse_reply_text reads typed text as parse_reply did: the end of the input ends the reply") {
    auto p = esc::parse_reply_text("550 5.1.1 User unknown");
    REQUIRE(p);
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK(p.offset == 22);
    CHECK(esc::parse_reply_text("250-a\r\n250-b").error == reply_error::truncated);
    CHECK(esc::parse_reply_text("550-first\r\n550 second\r").error == reply_error::bare_cr);
    CHECK(esc::parse_reply_text("").error == reply_error::no_code);
    // A complete reply reads the same either way.
    const std::string whole = "250-mx\r\n250 SIZE 100\r\n";
    CHECK(esc::parse_reply_text(whole).offset == esc::parse_reply(whole).offset);
}

namespace {

// next_line() as three finds read it, for the test below.
esc::detail::line_view next_line_by_finds(std::string_view in, std::size_t pos) {
    using esc::detail::line_end;
    const std::size_t lf = in.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? in.size() : lf;
    const std::size_t cr = in.substr(0, end).find('\r', pos);
    esc::detail::line_view v{};
    if (cr == std::string_view::npos)
        v = {in.substr(pos, end - pos), lf == std::string_view::npos ? end : end + 1,
             lf == std::string_view::npos ? line_end::none : line_end::lf};
    else if (cr + 1 == lf)
        v = {in.substr(pos, cr - pos), lf + 1, line_end::crlf};
    else
        v = {in.substr(pos, cr - pos), cr, line_end::bare_cr};
    v.nul = v.content.find('\0') != std::string_view::npos;
    return v;
}

} // namespace

TEST_CASE("next_line: one pass finds what three finds would, at every length and offset") {
    // Lines of 0 to 40 bytes with up to two of CR, LF and NUL anywhere, read
    // from several offsets: the sixteen-byte steps, the last overlapping
    // load and the short inputs read byte by byte all meet these.
    const char specials[] = {'\r', '\n', '\0'};
    long checked = 0;
    for (std::size_t n = 0; n <= 40; ++n)
        for (std::size_t p = 0; p <= n; ++p)
            for (std::size_t q = p; q <= n; ++q)
                for (char a : specials)
                    for (char b : specials) {
                        std::string s(n, 'x');
                        if (p < n) s[p] = a;
                        if (q < n && q != p) s[q] = b;
                        for (std::size_t pos : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{17}}) {
                            if (pos > n) continue;
                            const auto got = esc::detail::next_line(s, pos);
                            const auto want = next_line_by_finds(s, pos);
                            CAPTURE(n);
                            CAPTURE(p);
                            CAPTURE(q);
                            CAPTURE(pos);
                            REQUIRE(got.content.data() == want.content.data());
                            REQUIRE(got.content.size() == want.content.size());
                            REQUIRE(got.next == want.next);
                            REQUIRE(got.end == want.end);
                            REQUIRE(got.nul == want.nul);
                            ++checked;
                        }
                    }
    CHECK(checked > 100000);
}

#if ESC_HEADER_ONLY // next_code_candidate() is in reply.ipp, compiled apart otherwise
namespace {

// next_code_candidate() by its definition, a byte at a time.
std::size_t next_code_candidate_by_bytes(std::string_view t, std::size_t i) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    for (; i + 3 <= t.size(); ++i)
        if (t[i] >= '2' && t[i] <= '5' && digit(t[i + 1]) && digit(t[i + 2]) && (i + 3 == t.size() || !digit(t[i + 3])))
            return i;
    return t.size();
}

} // namespace

TEST_CASE("next_code_candidate: sixteen positions at a time find what a byte-by-byte scan finds") {
    // Texts of 0 to 70 bytes from digits, the bytes around them in replies and
    // bytes >= 0x80 whose low seven bits are digits, from every start: runs
    // of digits cross the sixteen-byte steps and the end in every way.
    const char alphabet[] = {'2', '5', '1', '9', '0', '6', ' ', '.', 'a', '\xb2', '\xb5', '\xb0'};
    std::uint32_t seed = 12345;
    auto next = [&] {
        seed = seed * 1103515245u + 12345u;
        return seed >> 16;
    };
    long checked = 0;
    for (int round = 0; round < 3000; ++round) {
        const std::size_t n = next() % 71;
        std::string s(n, ' ');
        const std::size_t kinds = 1 + next() % sizeof alphabet; // some texts from a few bytes only
        for (char& c : s) c = alphabet[next() % kinds];
        for (std::size_t from = 0; from <= n; ++from) {
            CAPTURE(s);
            CAPTURE(from);
            REQUIRE(esc::detail::next_code_candidate(s, from) == next_code_candidate_by_bytes(s, from));
            ++checked;
        }
    }
    CHECK(checked > 50000);
}
#endif

TEST_CASE("a NUL inside a reply's text is flagged") {
    const std::string in("550 5.1.1 user\0hidden\r\n", 23);
    const auto p = esc::parse_reply(in);
    REQUIRE(p);
    CHECK(p.reply.warnings.nul_in_text);
    CHECK(p.reply.warnings.any());
    CHECK_FALSE(esc::parse_reply("550 5.1.1 user\r\n").reply.warnings.nul_in_text);
}

// --- issue 11 items that live in reply.hpp

TEST_CASE("qmail's trailing (#5.1.1) is the reply's enhanced code") {
    auto p = esc::parse_reply("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "5.7.1"_esc);
    CHECK(p.reply.text == "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)");
    p = esc::parse_reply("451 qq temporary problem (#4.3.0)\r\n");
    REQUIRE(p);
    CHECK(p.reply.status == "4.3.0"_esc);
    p = esc::parse_reply("550 sorry, no mailbox here by that name. (#5.1.1)  \r\n"); // trailing blanks
    CHECK(p.reply.status == "5.1.1"_esc);
    // A code after the basic one wins; a "(#...)" not at the end is text.
    p = esc::parse_reply("550 5.1.1 no such user (#5.7.1)\r\n");
    CHECK(p.reply.status == "5.1.1"_esc);
    CHECK_FALSE(esc::parse_reply("550 see (#5.1.1) above\r\n").reply.status.has_value());
    CHECK_FALSE(esc::parse_reply("550 (#5.1)\r\n").reply.status.has_value());
    CHECK_FALSE(esc::parse_reply("550 (5.1.1)\r\n").reply.status.has_value());

    auto r = esc::find_reply("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)");
    REQUIRE(r);
    CHECK(r->code == reply_code{553});
    CHECK(r->status == "5.7.1"_esc);
    r = esc::find_reply("Remote host said: 451 qq temporary problem (#4.3.0)");
    REQUIRE(r);
    CHECK(r->status == "4.3.0"_esc);
}

TEST_CASE("a 5.7.606-649 range keeps its first code") {
    auto m = esc::find_status("Microsoft documents 5.7.606-649 as banned sending IP");
    REQUIRE(m);
    CHECK(m->status == "5.7.606"_esc);
    CHECK(m->text == "5.7.606");
    m = esc::find_status("errors 4.7.500-699 mean try again later");
    REQUIRE(m);
    CHECK(m->status == "4.7.500"_esc);
    const auto r = esc::find_reply("the server said: 550 5.7.606-649 Access denied, banned sending IP");
    REQUIRE(r);
    CHECK(r->status == "5.7.606"_esc);
    // Not ranges: a smaller second number, other widths, a one-digit detail, a date.
    for (const char* text : {"5.7.606-600", "5.7.606-6490", "2.5.1-3", "4.3.21-05", "5.7.60-6"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::find_status(text).has_value());
    }
}

TEST_CASE("parameters in a URL and sections of an RFC are neither replies nor codes") {
    for (const char* text : {"see https://postmaster.example.com/help?code=550 for details",
                             "https://example.com/bounce?id=1&code=550",
                             "?code=550", "http://example.com/x?a=1&status=5.7.1"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::find_reply(text).has_value());
        CHECK_FALSE(esc::find_status(text).has_value());
    }
    for (const char* text : {"as section 4.2.1 of RFC 5321 says", "see RFC 5321 4.2.1", "RFC5321 4.2.1",
                             "RFC 5321, section 4.5.3.1.5", "sec. 4.2.1", "\xC2\xA7 4.2.1", "chapter 2.3.4"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::find_status(text).has_value());
        CHECK_FALSE(esc::find_reply(text).has_value());
    }
    // "=" outside a URL still opens a code or a status, as in a Postfix log line.
    CHECK(esc::find_status("dsn=5.1.1, status=bounced")->status == "5.1.1"_esc);
    CHECK(esc::find_reply("reply=550 5.1.1 unknown")->code == reply_code{550});
    // A reply that cites a section still has its own code.
    const auto r = esc::find_reply("550 5.5.2 syntax error, see RFC 5321 section 4.1.1");
    REQUIRE(r);
    CHECK(r->status == "5.5.2"_esc);
    CHECK(esc::find_status("550 5.5.2 syntax error, see RFC 5321 section 4.1.1")->status == "5.5.2"_esc);
}
