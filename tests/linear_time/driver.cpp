// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The linear-time check's driver: builds an adversarial input of about N
// bytes in one of several shapes, then parses and classifies it inside
// esc_linear_work(), the one function whose instructions callgrind counts
// (--toggle-collect=esc_linear_work). run.sh compares N with 10 N.
//
//   driver --list           the shapes, one a line
//   driver SHAPE N          build the input, run the work once
#include <esc/bounce.hpp>
#include <esc/charset_cjk.hpp>
#include <esc/classify.hpp>
#include <esc/detail/phrase_tree_data.hpp> // the built-in tables, read directly
#include <esc/dsn.hpp>
#include <esc/format_reply.hpp>
#include <esc/mbox.hpp>
#include <esc/reply.hpp>
#include <esc/reply_reader.hpp>
#include <esc/status.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// `unit` repeated, cut to n bytes.
std::string repeat(std::string_view unit, std::size_t n) {
    std::string out;
    out.reserve(n + unit.size());
    while (out.size() < n) out += unit;
    out.resize(n);
    return out;
}

// Whole copies of `unit`, about n bytes in all.
std::string whole(std::string_view unit, std::size_t n) {
    std::string out;
    while (out.size() + unit.size() <= n) out += unit;
    return out;
}

// Every phrase classify() knows, cut one character short, so that each keeps
// phrase walkers alive as long as possible and none completes.
std::string phrase_prefixes() {
    std::string out;
    for (std::size_t id = 0; id < esc::detail::builtin_phrase_patterns.size(); ++id) {
        std::string_view w = esc::detail::builtin_phrase_patterns[id];
        if (!w.empty() && w.back() == '*') w.remove_suffix(1);
        out.append(w.substr(0, w.size() - 1)).append(" ");
    }
    return out;
}

const std::string bounce_header = "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n";

struct shape {
    const char* name;
    std::string (*make)(std::size_t n);
};

const shape shapes[] = {
    {"five_dot", [](std::size_t n) { return repeat("5.", n); }}, // "5.5.5.5...": a code prefix everywhere
    {"status_prefixes", [](std::size_t n) { return repeat(" 5.1.1x 5.1.1.1 5.1. 5.1 #5.", n); }},
    {"long_digit_parts", [](std::size_t n) { return repeat(" 5." + std::string(60, '1') + "." + std::string(60, '2'), n); }},
    {"digits", [](std::size_t n) { return repeat("2345678901", n); }},
    {"continuation_lines", [](std::size_t n) { return whole("550-5.1.1 The mailbox does not exist\r\n", n - 15) + "550 5.1.1 end\r\n"; }},
    {"never_ending_reply", [](std::size_t n) { return whole("250-x\r\n", n); }},
    {"long_line", [](std::size_t n) { return "550 5.1.1 " + std::string(n - 12, 'x') + "\r\n"; }},
    {"long_words", [](std::size_t n) { return "550 5.1.1 " + repeat(std::string(700, 'w') + " ", n - 10); }},
    {"phrase_prefixes", [](std::size_t n) { return "550 " + repeat(phrase_prefixes(), n - 4); }},
    {"code_candidates", [](std::size_t n) { return repeat("; 550 ", n); }},
    {"codes_with_status", [](std::size_t n) { return repeat("550 5.1.1 x 451 4.7.1 y ", n); }},
    {"dashed_codes", [](std::size_t n) { return repeat("said: 550-", n); }},
    {"blank_runs", [](std::size_t n) { return repeat("550" + std::string(64, ' ') + "#", n); }},
    {"version_words", [](std::size_t n) { return repeat("version 5.1.1 v 4.2.2 release: 2.0.0 ", n); }},
    {"line_ends", [](std::size_t n) { return repeat("550 a\n\r\n\r550-", n); }},
    {"non_ascii", [](std::size_t n) { return repeat("\xc3\xa9\xff 550\xe2\x80\x8b" "5.1.1 \x80", n); }},
    // Bounces (read_bounce) and DSN bodies (parse_delivery_status).
    {"bounce_same_address", [](std::size_t n) { // one address on every line, the reply at the end
         return bounce_header + whole("bob@example.com\n", n - bounce_header.size() - 30) + "550 5.1.1 User unknown\n";
     }},
    {"bounce_addresses", [](std::size_t n) { // a different address heading each line
         std::string out = bounce_header;
         for (std::size_t i = 0; out.size() + 40 < n; ++i) out += "<u" + std::to_string(i) + "@example.com>: no\n";
         return out + "550 5.1.1 User unknown\n";
     }},
    {"bounce_failed_recipients", [](std::size_t n) { // X-Failed-Recipients naming one address over and over
         return "X-Failed-Recipients: " + whole("bob@example.com, ", n / 2) + "\n" + bounce_header +
                whole("bob@example.com said\n", n / 2) + "550 5.1.1 User unknown\n";
     }},
    {"bounce_html", [](std::size_t n) { // HTML tags, entities and unclosed style elements
         return "From: MAILER-DAEMON@example.org\nContent-Type: text/html\n\n" +
                repeat("<p>a@example.com &amp; <style>x</style <br>", n - 60);
     }},
    {"bounce_nested_mime", [](std::size_t n) { // delimiters of nested multiparts, and lines that nearly are
         std::string out = "From: MAILER-DAEMON@example.org\nContent-Type: multipart/report; boundary=b\n\n";
         const std::string part = "--b\nContent-Type: multipart/mixed; boundary=b\n\n--bx\n--b-\n";
         return out + whole(part, n - out.size());
     }},
    {"dsn_groups", [](std::size_t n) { // recipients without a diagnostic, looked up in the text
         const std::string head = "From: MAILER-DAEMON@example.org\nContent-Type: multipart/report; "
                                  "report-type=delivery-status; boundary=b\n\n--b\n\n";
         const std::size_t half = (n - head.size()) / 2;
         std::string text = whole("x@example.com x@example.com y@example.com\n", half);
         std::string dsn = "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; a.example\n\n";
         for (std::size_t i = 0; dsn.size() + 70 < half; ++i)
             dsn += "Final-Recipient: rfc822; u" + std::to_string(i % 100) + "@example.com\nAction: failed\n\n";
         return head + text + dsn + "--b--\n";
     }},
    {"dsn_repeated_fields", [](std::size_t n) { // one group, every field repeated
         return "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; a@example.com\n" +
                whole("Action: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; a@example.com\n", n - 80);
     }},
    {"mbox_separators", [](std::size_t n) { // messages of one line, and quoted "From " lines
         return whole("From a@b.example Thu\n>From x\n\n", n);
     }},
    {"bounce_inline_reports", [](std::size_t n) { // a pasted report in a pasted report, and so on
         std::string unit = "Subject: Fwd\nFrom: postmaster@a.example\n\nforwarded\nReturn-Path: <>\n"
                            "Received: x\nContent-Type: multipart/report; boundary=r\n\n--r\n\n";
         return whole(unit, n);
     }},
    {"bounce_json", [](std::size_t n) { // an SES notification naming many recipients, every string escaped
         std::string out = "Subject: AWS Notification\n\n{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[";
         while (out.size() + 80 < n) out += "{\"emailAddress\":\"b\\u0040x@example.com\",\"action\":\"failed\",\"x\":[[{}]]},";
         return out + "{}]}}";
     }},
    {"json_nesting", [](std::size_t n) { // brackets opened and never closed
         return "Subject: AWS\n\n{\"Type\":\"Notification\",\"Message\":{" + repeat("[{\"a\":", n - 40);
     }},
    {"encoded_words", [](std::size_t n) { // a Subject of encoded-word beginnings, and a Latin-1 text
         return "Subject: " + repeat("=?utf-8?Q?=?", n / 2) + "\nContent-Type: text/plain; charset=latin1\n\n" +
                repeat("Empf\xe4nger b@example.com\n", n / 2);
     }},
    {"cjk_text", [](std::size_t n) { // escape sequences that never end, cut pairs, and CJK encoded-words
         // (a Subject too long to decode into read_bounce's 1024 octets at either size, so that both read it alike)
         return "Subject: " + repeat("=?ISO-2022-JP?B?GyRCMDhAaA==?= =?GB2312?B?08O7?= ", n) +
                "\nContent-Type: text/plain; charset=iso-2022-jp\n\n" + repeat("\x1b$B08\x1b$(D\x1b(I1\x1b\x88" "b@example.jp\n", n / 2);
     }},
    {"encoded_returned", [](std::size_t n) { // a returned message in base64, and Exim's malformed-address lines
         return "Content-Type: multipart/report; boundary=b\nSubject: Mail failure\n\n--b\n\n" +
                whole("  a@b.example <c@d.example>: malformed address: <c@d.example> may not follow a@b.example\n", n / 2) +
                "--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" +
                repeat("WC1IOiB2YWx1ZQ0K", n / 2) + "\n--b--\n";
     }},
};

volatile std::size_t sink;

} // namespace

// Everything a reader does with outside text, once. Not inlined, so that
// callgrind's --toggle-collect finds it.
extern "C" __attribute__((noinline)) void esc_linear_work(const char* data, std::size_t size, char* out,
                                                          std::size_t out_size) {
    const std::string_view text(data, size);
    std::size_t acc = 0;
    // A transcript, reply by reply.
    for (std::string_view rest = text; !rest.empty();) {
        const esc::parsed_reply p = esc::parse_reply_text(rest);
        acc += p.reply.line_count + static_cast<std::size_t>(p.error);
        if (!p || p.offset == 0) break;
        acc += static_cast<std::size_t>(esc::classify(p.reply).reason);
        for (std::string_view t : esc::lines(p.reply)) acc += t.size();
        acc += esc::join_text(p.reply, out, out + out_size).size();
        rest.remove_prefix(p.offset);
    }
    if (const auto r = esc::find_reply(text)) acc += r->raw.size();
    if (const auto m = esc::find_status(text)) acc += m->text.size();
    acc += static_cast<std::size_t>(esc::classify(text).reason);
    acc += static_cast<std::size_t>(esc::classify(text, esc::command::rcpt).reason);
    esc::status_code c{};
    acc += static_cast<std::size_t>(esc::from_chars(data, data + size, c).ptr - data);
    acc += esc::parse_status(text).has_value();
    const auto f = esc::format_reply(out, out + out_size, esc::reply_code{550}, esc::status_code{esc::status_class::permanent, 1, 1}, text);
    acc += static_cast<std::size_t>(f.ptr - out);
    // The stream a byte at a time through a reader whose limits never bind:
    // the worst chunking for rescanning an unfinished line.
    esc::reply_reader_limits loose;
    loose.max_line = size + 1;
    loose.max_lines = static_cast<std::uint32_t>(size + 1);
    esc::reply_reader reader(out, out_size, loose);
    for (std::size_t i = 0; i < size; ++i) {
        reader.feed(text.substr(i, 1));
        esc::read_result r = reader.next();
        for (; r; r = reader.next()) acc += r.reply.line_count;
        if (r.failed()) break;
    }
    acc += reader.pending().size();
    // A bounce, and a DSN body.
    static esc::bounce_recipient bounce_storage[8];
    const esc::bounce_report b = esc::read_bounce(text, out, out_size, bounce_storage);
    acc += b.total + static_cast<std::size_t>(b.error);
    esc::bounce_options cjk;
    cjk.convert_charset = esc::convert_cjk;
    const esc::bounce_report bc = esc::read_bounce(text, out, out_size, bounce_storage, cjk);
    acc += bc.total + bc.returned.header.size();
    for (int cs = 1; cs <= static_cast<int>(esc::cjk_charset::gb18030); ++cs)
        acc += esc::decode_cjk(static_cast<esc::cjk_charset>(cs), text, out, out + out_size).text.size();
    static esc::dsn_recipient_fields dsn_storage[8];
    acc += esc::parse_delivery_status(text, dsn_storage).total;
    // An mbox, message by message, with the quoting undone.
    esc::mbox_reader box(text);
    for (std::string_view m; box.next(m);) acc += esc::unquote_from(m, out, out + out_size).text.size();
    sink = acc;
}

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
        for (const shape& s : shapes) std::printf("%s\n", s.name);
        return 0;
    }
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s --list | SHAPE N\n", argv[0]);
        return 2;
    }
    const std::size_t n = std::strtoul(argv[2], nullptr, 10);
    for (const shape& s : shapes) {
        if (std::strcmp(s.name, argv[1]) != 0) continue;
        const std::string input = s.make(n);
        // format_reply needs room for the text, a prefix per 500 octets and CRLFs.
        std::vector<char> out(input.size() * 2 + 1024);
        esc_linear_work(input.data(), input.size(), out.data(), out.size());
        std::printf("%s %zu bytes\n", s.name, input.size());
        return 0;
    }
    std::fprintf(stderr, "no shape %s\n", argv[1]);
    return 2;
}
