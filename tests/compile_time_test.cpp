// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Compile-time checks: every parser runs over a table of tricky inputs in a
// constant expression. Undefined behaviour there (a read outside the input,
// an overflow, a dangling view) is a compile error, not a silent result, so
// building this file is the check; the test cases run the same table at run
// time, where the sanitizer and valgrind builds watch it too.
#include <esc/classify.hpp>
#include <esc/format_reply.hpp>
#include <esc/reply.hpp>
#include <esc/status.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string_view>
#include <system_error>
#include <utility>

using namespace esc::literals;
using esc::reply_code;
using esc::reply_error;

namespace {

// Inputs that have broken parsers before, or could: boundaries, truncations,
// line ends in every position, digits where a code might start, bytes >= 0x80.
constexpr std::string_view tricky[] = {
    "",
    "\r",
    "\n",
    "\r\n",
    std::string_view("\0", 1),
    std::string_view("550 5.1.1\0x\r\n", 13),
    "2",
    "55",
    "550",
    "550-",
    "550 ",
    "5.",
    "5.1",
    "5.1.",
    "5.1.1",
    "5.5.5.5.5.5.5.5.5",
    "5.1.1000",
    "5.1000.1",
    "5.01.1",
    "5.1.1.1",
    "#5.1.1",
    "x5.1.1 5.1.1x",
    "5.999.999",
    "550 5.",
    "550 5.1.1",
    "550 5.1.1 x\r\n",
    "550  #5.1.1 x",
    "550-5.1.1 a\r\n550 5.1.1 b\r\n",
    "550-a\r\n550-b\r\n",
    "250-a\r\n550 b\r\n",
    "550 a\rb\r\n",
    "550-a\r\n550 b\r",
    "5500 x",
    "600 x",
    "199 x",
    "571 5.7.1 x",
    "571 x",
    "584 5.7.0` x",
    "(550 5.1.1)",
    "said: 550-5.1.1 x",
    "said: 550-555-1212",
    "smtp; 550 5.1.1 a 503 5.0.0 b",
    "554 4.4.7 x <421 4.4.2 y>",
    "192.168.1.1",
    "220 192.168.1.1 ESMTP Exim 4.96",
    "version 5.1.2 v4.2.1",
    "2024-05-01 12.05.2024 4.3.21",
    "55\r\n0 5.1.1",
    "550 5.\r\n1.1 x",
    "\xff\xfe\xc3\x28 550 5.1.1 \x80",
    "user unknown mailbox full greylisted relay denied",
    // Code digits at the last byte of 16- and 32-byte blocks and just past
    // them (the sixteen-byte scan of next_code_digit() at run time), bytes
    // >= 0x80 whose low seven bits are digits '2'..'5'.
    "abcdefghijklmn 5",
    "abcdefghijklmno5",
    "abcdefghijklmnop5",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxx (550",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxx (550",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx (550",
    "\xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5(550 5.1.1)",
    // Prefix words, a host name, a word of eight and sixteen bytes, a text
    // ending inside a UTF-8 sequence.
    "550 5.7.1 spammy mail from mail.example.com mailbox unavailable",
    "550 Empf\xc3\xa4nger unbekannt abcdefgh abcdefghijklmnop \xe7\x94",
    "550 mailbox full \xc3",
};
[[maybe_unused]] constexpr std::size_t tricky_count = sizeof(tricky) / sizeof(tricky[0]);

constexpr bool inside(std::string_view part, std::string_view whole) noexcept {
    if (part.empty()) return true; // an empty view may be default-constructed: compare no pointers
    // Both point into the same array, so comparing them is a constant expression.
    return whole.data() <= part.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Runs every parser over `in` and checks what holds for any input.
ESC_CONSTEXPR bool survives(std::string_view in) noexcept {
    bool ok = true;
    const esc::parsed_reply stream = esc::parse_reply(in);
    ok = ok && stream.offset <= in.size() && inside(stream.reply.raw, in) && inside(stream.reply.text, in);
    const esc::parsed_reply p = esc::parse_reply_text(in);
    ok = ok && p.offset <= in.size() && inside(p.reply.raw, in) && inside(p.reply.text, in);
    // A complete reply reads the same either way; the wire reading never claims more.
    ok = ok && (!stream || (p && p.offset == stream.offset));
    std::size_t lines = 0;
    for (std::string_view t : esc::lines(p.reply)) {
        ok = ok && inside(t, in);
        ++lines;
    }
    ok = ok && (!p || lines == p.reply.line_count);
    char buf[128]{};
    ok = ok && esc::join_text(p.reply, buf, buf + sizeof buf).size() <= sizeof buf;
    if (const auto r = esc::find_reply(in)) ok = ok && inside(r->raw, in) && inside(r->text, in);
    if (const auto m = esc::find_status(in)) ok = ok && inside(m->text, in) && esc::parse_status(m->text) == m->status;
    const esc::classification c = esc::classify(in);
    ok = ok && (c.reason == esc::reason::none) == (c.outcome == esc::outcome::success ||
                                                  c.outcome == esc::outcome::intermediate);
    if (p) ok = ok && esc::is_valid(esc::classify(p.reply).status);
    for (std::size_t i = 0; i <= in.size(); ++i) {
        esc::status_code s{};
        const auto r = esc::from_chars(in.data() + i, in.data() + in.size(), s);
        ok = ok && in.data() + i <= r.ptr && r.ptr <= in.data() + in.size();
        if (r.ec == std::errc{}) {
            char out[esc::status_string::capacity]{};
            const auto w = esc::to_chars(out, out + sizeof out, s);
            ok = ok && w.ec == std::errc{} && esc::parse_status(std::string_view(out, static_cast<std::size_t>(w.ptr - out))) == s;
        }
    }
    char wire[256]{};
    const auto f = esc::format_reply(wire, wire + sizeof wire, reply_code{550}, "5.1.1"_esc, in);
    ok = ok && f.ec == std::errc{};
    const esc::parsed_reply back = esc::parse_reply(std::string_view(wire, static_cast<std::size_t>(f.ptr - wire)));
    ok = ok && back && back.reply.code == reply_code{550} && back.reply.status == "5.1.1"_esc;
    return ok;
}

#if ESC_HEADER_ONLY // constant evaluation of the compiled functions: header-only builds only
// One constant evaluation per input: each within the compiler's step limit.
template <std::size_t I>
inline constexpr bool survives_entry = survives(tricky[I]);

template <std::size_t... I>
constexpr bool all_survive(std::index_sequence<I...>) noexcept {
    return (survives_entry<I> && ...);
}

#endif

} // namespace

#if ESC_HEADER_ONLY
static_assert(all_survive(std::make_index_sequence<tricky_count>{}),
              "a parser failed on a tricky input in a constant expression");
#endif

// Documented results, also at compile time.
static_assert(!esc::parse_status("5.1.1000"));
static_assert(!esc::parse_status("5.01.1"));
static_assert(!esc::parse_status("5.1.1.1"));
static_assert(esc::parse_status("5.999.999") == esc::status_code{esc::status_class::permanent, 999, 999});
#if ESC_HEADER_ONLY
static_assert(esc::parse_reply("").error == reply_error::incomplete);
static_assert(esc::parse_reply_text("").error == reply_error::no_code);
static_assert(esc::parse_reply("\r").error == reply_error::incomplete);
static_assert(esc::parse_reply_text("\r").error == reply_error::bare_cr);
static_assert(esc::parse_reply("550 a\rb\r\n").offset == 5);
static_assert(esc::parse_reply("250-a\r\n550 b\r\n").error == reply_error::mixed_codes);
static_assert(esc::parse_reply("550-a\r\n550-b\r\n").error == reply_error::incomplete);
static_assert(esc::parse_reply_text("550-a\r\n550-b\r\n").error == reply_error::truncated);
static_assert(esc::parse_reply("550 5.1").error == reply_error::incomplete);
static_assert(esc::parse_reply_text("451 qq temporary problem (#4.3.0)").reply.status == "4.3.0"_esc);
static_assert(esc::parse_reply("5500 x").error == reply_error::bad_code);
static_assert(!esc::find_status("192.168.1.1"));
static_assert(!esc::find_status("Exim 4.96 version 5.1.2"));
static_assert(!esc::find_reply("55\r\n0 5.1.1"));
static_assert(esc::find_reply("(550 5.1.1)")->status == "5.1.1"_esc);
static_assert(esc::classify(std::string_view("")).outcome == esc::outcome::unknown);
static_assert(esc::classify(std::string_view("said: 550 5.2.2 mailbox full")).reason == esc::reason::mailbox_full);
static_assert(esc::find_reply("xxxxxxxxxxxxxxxxxxxxxxxxxxxx (550")->code == reply_code{550});
static_assert(esc::find_reply("xxxxxxxxxxxx (550")->code == reply_code{550});
static_assert(!esc::find_reply("xxxxxxxxxxxxxxxxxxxxxxxxxxxxx 55"));
static_assert(!esc::find_status("\xb5.\xb1.\xb1 \xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5\xb2\xb3\xb4\xb5"));
static_assert(esc::classify(std::string_view("550 5.7.1 this looks like spammy stuff")).reason == esc::reason::spam);
static_assert(esc::classify(std::string_view("552 mailbox full \xc3")).reason == esc::reason::mailbox_full);
#endif

TEST_CASE("the tricky inputs, at run time") {
    for (std::string_view in : tricky) {
        CAPTURE(in);
        CHECK(survives(in));
    }
}
