// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/bounce.hpp>
#include <esc/bounce_writer.hpp>
#include <esc/detail/json.hpp> // the SES notifications' JSON reader, tested directly
#include <esc/dsn_string.hpp>
#include <esc/mbox.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_data.hpp"

// Counting allocations, to show that reading a plain DSN allocates nothing.
namespace {
std::atomic<std::size_t> allocations{0};
}

// g++ -O3 sees malloc behind new and free behind delete once both are
// inlined, and calls the standard replacement pattern a mismatch
// (-Wmismatched-new-delete), as in allocation_test.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
// The array forms too, so that every form allocates and frees alike.
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace esc::literals;
using esc::bounce_error;
using esc::bounce_recipient;
using esc::bounce_source;
using esc::dsn_action;

namespace {

using esc_test::with_line_ends;

std::string base64(std::string_view in) {
    static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0, line = 0;
    auto put = [&](char c) {
        out += c;
        if (++line == 76) {
            out += "\n";
            line = 0;
        }
    };
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        put(alphabet[(v >> 18) & 63]);
        put(alphabet[(v >> 12) & 63]);
        put(alphabet[(v >> 6) & 63]);
        put(alphabet[v & 63]);
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        put(alphabet[(v >> 18) & 63]);
        put(alphabet[(v >> 12) & 63]);
        put(i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=');
        put('=');
    }
    return out;
}

const std::string dsn_fields = "Reporting-MTA: dns; mail.example.org\n"
                               "Arrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
                               "\n"
                               "Final-Recipient: rfc822; bob@example.com\n"
                               "Action: failed\n"
                               "Status: 5.0.0\n"
                               "Remote-MTA: dns; mx.example.com\n"
                               "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address\n"
                               "    rejected: User unknown in local recipient table\n"
                               "\n"
                               "Final-Recipient: rfc822; carol@example.net\n"
                               "Action: delayed\n"
                               "Status: 4.4.1\n"
                               "Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.1]:25: Connection\n"
                               "    timed out\n";

std::string report(std::string_view dsn_part_header, std::string_view dsn_body,
                   std::string_view boundary = "B0UND.4RY/mail.example.org") {
    std::string m = "Return-Path: <>\n"
                    "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\n"
                    "To: alice@example.org\n"
                    "Subject: Undelivered Mail Returned to Sender\n"
                    "MIME-Version: 1.0\n"
                    "Content-Type: multipart/report; report-type=delivery-status;\n"
                    "\tboundary=\"";
    m += boundary;
    m += "\"\n\nThis is a MIME-encapsulated message.\n\n--";
    m += boundary;
    m += "\nContent-Type: text/plain; charset=us-ascii\n\n"
         "I'm sorry to have to inform you that your message could not\n"
         "be delivered to one or more recipients.\n\n"
         "<bob@example.com>: host mx.example.com said: 550 5.1.1 User unknown\n\n--";
    m += boundary;
    m += "\n";
    m += dsn_part_header;
    m += "\n\n";
    m += dsn_body;
    m += "\n--";
    m += boundary;
    m += "\nContent-Type: message/rfc822\n\n"
         "From: alice@example.org\nTo: bob@example.com, carol@example.net\nSubject: hello\n\nHi!\n\n--";
    m += boundary;
    m += "--\n";
    return m;
}

void check_postfix_recipients(const esc::bounce_report& r) {
    REQUIRE(r.count == 2);
    const bounce_recipient& bob = r.recipients[0];
    CHECK(bob.address == "bob@example.com");
    CHECK(bob.action == dsn_action::failed);
    CHECK(bob.status == "5.1.1"_esc); // Status 5.0.0 is the catch-all; the server said 5.1.1
    CHECK(bob.fields.status == "5.0.0"_esc);
    REQUIRE(bob.reply_code);
    CHECK(esc::to_int(*bob.reply_code) == 550);
    CHECK(esc::unfold(bob.diagnostic) ==
          "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table");
    CHECK(bob.classification.outcome == esc::outcome::permanent);
    CHECK(bob.classification.reason == esc::reason::mailbox_unknown);
    CHECK(bob.source == bounce_source::dsn);
    CHECK(bob.fields.remote_mta.value == "mx.example.com");

    const bounce_recipient& carol = r.recipients[1];
    CHECK(carol.address == "carol@example.net");
    CHECK(carol.action == dsn_action::delayed);
    CHECK(carol.status == "4.4.1"_esc);
    CHECK_FALSE(carol.reply_code);
    CHECK(carol.classification.outcome == esc::outcome::transient);
    CHECK(carol.classification.reason == esc::reason::network);
}

} // namespace

TEST_CASE("a multipart/report DSN: recipients from the status part, no buffer needed") {
    const std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    bounce_recipient storage[4];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(r);
    CHECK(r.source == bounce_source::dsn);
    CHECK(r.kind == esc::report_kind::delivery_status);
    CHECK_FALSE(r.dsn_in_text);
    CHECK(r.message.reporting_mta.value == "mail.example.org");
    CHECK(r.message.arrival_date == "Mon, 1 Jan 2024 00:00:00 +0000");
    CHECK(r.subject == "Undelivered Mail Returned to Sender");
    CHECK(r.text.find("could not") != std::string_view::npos);
    CHECK(r.dsn_body.data() >= m.data());
    CHECK(r.dsn_body.data() + r.dsn_body.size() <= m.data() + m.size());
    check_postfix_recipients(r);
}

TEST_CASE("CRLF, LF and CR-only messages read the same") {
    for (std::string_view eol : {"\r\n", "\n", "\r"}) {
        CAPTURE(eol.size());
        const std::string m = with_line_ends(report("Content-Type: message/delivery-status", dsn_fields), eol);
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        CHECK(r.source == bounce_source::dsn);
        check_postfix_recipients(r);
    }
}

TEST_CASE("a base64 or quoted-printable status part is decoded into the caller's buffer") {
    SUBCASE("base64") {
        const std::string m =
            report("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", base64(dsn_fields));
        std::vector<char> buffer(m.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r);
        CHECK(r.dsn_body == dsn_fields);
        CHECK(r.dsn_body.data() == buffer.data());
        check_postfix_recipients(r);

        const esc::delivery_status_part p = esc::find_delivery_status(m, buffer.data(), buffer.data() + buffer.size());
        CHECK(p.found);
        CHECK(p.decoded);
        CHECK(p.complete);
        CHECK(p.body == dsn_fields);
    }
    SUBCASE("quoted-printable") {
        std::string qp = dsn_fields;
        qp.replace(qp.find("Action: failed"), 14, "Action: fail=\ned");
        qp.replace(qp.find("5.0.0"), 5, "5=2E0.0");
        const std::string m =
            report("Content-Type: message/delivery-status\nContent-Transfer-Encoding: Quoted-Printable", qp);
        std::vector<char> buffer(m.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r);
        CHECK(r.dsn_body == dsn_fields);
        check_postfix_recipients(r);
    }
    SUBCASE("a buffer too small is an error, not an overrun") {
        const std::string m =
            report("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", base64(dsn_fields));
        std::vector<char> buffer(40);
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        CHECK_FALSE(r);
        CHECK(r.error == bounce_error::buffer_too_small); // not "no recipients": the part was cut
        const esc::delivery_status_part p = esc::find_delivery_status(m, buffer.data(), buffer.data() + buffer.size());
        CHECK(p.found);
        CHECK_FALSE(p.complete);
        CHECK(p.body.size() == buffer.size());
        // No buffer at all: the same.
        CHECK(esc::read_bounce(m, nullptr, 0, storage).error == bounce_error::buffer_too_small);
    }
    SUBCASE("damaged base64 is an error, not garbage read as addresses") {
        std::string encoded = base64(dsn_fields);
        encoded.insert(encoded.size() / 3, "!"); // junk inside: every bit after it shifts
        std::vector<std::string> damaged = {encoded, base64(dsn_fields) + "QQ==more", base64(dsn_fields) + "Q"};
        for (const std::string& body : damaged) {
            const std::string m = report("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", body);
            std::vector<char> buffer(m.size());
            bounce_recipient storage[4];
            const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
            CHECK_FALSE(r);
            CHECK(r.error == bounce_error::bad_encoding);
            CHECK_FALSE(esc::find_delivery_status(m, buffer.data(), buffer.data() + buffer.size()).clean);
        }
        // Padding and line breaks after it are no damage.
        const std::string m = report("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64",
                                     base64(dsn_fields) + "\n\n");
        std::vector<char> buffer(m.size());
        bounce_recipient storage[4];
        CHECK(esc::read_bounce(m, buffer.data(), buffer.size(), storage));
    }
}

TEST_CASE("MIME structure: nesting, forwarded bounces, boundary forms, global DSNs") {
    SUBCASE("a report inside multipart/mixed") {
        std::string inner = report("Content-Type: message/delivery-status", dsn_fields, "inner");
        inner = inner.substr(inner.find("Content-Type: multipart/report"));
        const std::string m = "From: postmaster@example.org\nSubject: Delivery failure\n"
                              "Content-Type: multipart/mixed; boundary=outer\n\n--outer\n" +
                              inner + "\n--outer--\n";
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        check_postfix_recipients(r);
    }
    SUBCASE("a part outside message/rfc822 wins over a forwarded one inside") {
        const std::string forwarded = report("Content-Type: message/delivery-status",
                                             "Reporting-MTA: dns; old.example\n\n"
                                             "Final-Recipient: rfc822; old@example.com\nAction: failed\nStatus: 5.1.1\n",
                                             "fwd");
        const std::string m = "From: MAILER-DAEMON@example.org\nContent-Type: multipart/mixed; boundary=\"top\"\n\n"
                              "--top\nContent-Type: message/rfc822\n\n" +
                              forwarded +
                              "\n--top\nContent-Type: message/delivery-status\n\n"
                              "Reporting-MTA: dns; new.example\n\n"
                              "Final-Recipient: rfc822; new@example.com\nAction: failed\nStatus: 5.2.2\n"
                              "--top--\n";
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "new@example.com");
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_full);
        char buf[1];
        CHECK_FALSE(esc::find_delivery_status(m, buf, buf).enclosed);
        // Alone, the forwarded bounce is still found, and said to be enclosed.
        const std::string only = "From: bob@example.org\nContent-Type: multipart/mixed; boundary=\"top\"\n\n"
                                 "--top\nContent-Type: message/rfc822\n\n" +
                                 forwarded + "\n--top--\n";
        const esc::delivery_status_part p = esc::find_delivery_status(only, buf, buf);
        CHECK(p.found);
        CHECK(p.enclosed);
    }
    SUBCASE("boundaries: unquoted, with padding, without the close delimiter, prefixes that are not delimiters") {
        const std::string m = "From: MAILER-DAEMON@example.org\n"
                              "Content-Type: multipart/report;report-type=delivery-status;boundary=b1\n\n"
                              "--b1x is not a delimiter\n"
                              "--b1   \n"
                              "Content-Type: text/plain\n\nprose\n"
                              "--b1\t\n"
                              "content-type: MESSAGE/DELIVERY-STATUS\n\n"
                              "Reporting-MTA: dns; a.example\n\n"
                              "Final-Recipient: rfc822; x@example.com\nAction: failed\nStatus: 5.1.1\n";
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        CHECK(r.source == bounce_source::dsn);
        CHECK(r.recipients[0].address == "x@example.com");
        CHECK(r.text == "prose");
    }
    SUBCASE("message/global-delivery-status (RFC 6533)") {
        const std::string m = report("Content-Type: message/global-delivery-status", dsn_fields);
        char buf[1];
        const esc::delivery_status_part p = esc::find_delivery_status(m, buf, buf);
        CHECK(p.found);
        CHECK(p.global);
        bounce_recipient storage[4];
        check_postfix_recipients(esc::read_bounce(m, nullptr, 0, storage));
    }
    SUBCASE("a multipart whose delimiters are missing is read as text, DSN fields included") {
        const std::string m = "From: Mail Delivery Subsystem <MAILER-DAEMON@example.net>\n"
                              "Content-Type: multipart/report; report-type=delivery-status; boundary=\"gone\"\n"
                              "Subject: Returned mail: Service unavailable\n\n"
                              "   ----- The following addresses had permanent fatal errors -----\n"
                              "<bob@example.net>\n\n"
                              "Reporting-MTA: dns; example.net\n\n"
                              "Final-Recipient: RFC822; <bob@example.net>\nAction: failed\nStatus: 5.5.0\n";
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        CHECK(r.source == bounce_source::dsn);
        CHECK(r.dsn_in_text);
        CHECK(r.recipients[0].address == "bob@example.net");
        CHECK(r.recipients[0].status == "5.5.0"_esc);
    }
}

TEST_CASE("no DSN part: the text is read, and the source says so") {
    SUBCASE("qmail") {
        const std::string m = "Return-Path: <>\nFrom: MAILER-DAEMON@example.jp\nTo: alice@example.jp\n"
                              "Subject: failure notice\n\n"
                              "Hi. This is the qmail-send program at example.jp.\n"
                              "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                              "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                              "<bob@example.org>:\n"
                              "192.0.2.153 does not like recipient.\n"
                              "Remote host said: 550 5.1.1 <bob@example.org>... User Unknown\n"
                              "Giving up on 192.0.2.153.\n\n"
                              "<carol@example.org>:\n"
                              "192.0.2.153 does not like recipient.\n"
                              "Remote host said: 552 sorry, mailbox is over quota (#5.2.2)\n\n"
                              "--- Below this line is a copy of the message.\n\n"
                              "Return-Path: <alice@example.jp>\nFrom: alice@example.jp\nTo: bob@example.org\n\nhi\n";
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        CHECK(r.source == bounce_source::text);
        REQUIRE(r.count == 2);
        CHECK(r.recipients[0].address == "bob@example.org");
        CHECK(r.recipients[0].source == bounce_source::text);
        CHECK(r.recipients[0].action == dsn_action::failed);
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(esc::to_int(*r.recipients[0].reply_code) == 550);
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
        CHECK(r.recipients[0].diagnostic.find("Giving up") != std::string_view::npos);
        CHECK(r.recipients[0].diagnostic.find("carol") == std::string_view::npos);
        CHECK(r.recipients[1].address == "carol@example.org");
        CHECK(r.recipients[1].status == "5.2.2"_esc);
        CHECK(r.recipients[1].classification.reason == esc::reason::mailbox_full);
        CHECK(r.text.find("Below this line") == std::string_view::npos);
    }
    SUBCASE("Exim, with X-Failed-Recipients") {
        const std::string m = "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n"
                              "To: alice@example.de\n"
                              "Subject: Mail delivery failed: returning message to sender\n"
                              "X-Failed-Recipients: bob@example.ch\n\n"
                              "This message was created automatically by mail delivery software.\n\n"
                              "A message that you sent could not be delivered to one or more of its\n"
                              "recipients. This is a permanent error. The following address(es) failed:\n\n"
                              "  bob@example.ch\n"
                              "    SMTP error from remote mail server after RCPT TO:<bob@example.ch>:\n"
                              "    host mx1.example.eu [192.0.2.32]: 554 5.7.1 <bob@example.ch>:\n"
                              "    Recipient address rejected: Access denied\n\n"
                              "------ This is a copy of the message, including all the headers. ------\n\n"
                              "Return-path: <alice@example.de>\nTo: bob@example.ch\n\nhi\n";
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.ch");
        CHECK(r.recipients[0].status == "5.7.1"_esc);
        CHECK(esc::to_int(*r.recipients[0].reply_code) == 554);
        CHECK(r.recipients[0].classification.outcome == esc::outcome::permanent);
    }
    SUBCASE("sendmail: the reason is in the transcript, not next to the address") {
        const std::string m = "From: Mail Delivery Subsystem <MAILER-DAEMON@example.org>\n"
                              "To: alice@example.jp\nSubject: Returned mail: see transcript for details\n\n"
                              "The original message was received at Thu, 29 Apr 2011 23:34:45 +0900\n\n"
                              "   ----- The following addresses had permanent fatal errors -----\n"
                              "<bob@example.org>\n\n"
                              "   ----- Transcript of session follows -----\n"
                              "... while talking to mx.example.org.:\n"
                              ">>> RCPT To:<bob@example.org>\n"
                              "<<< 550 5.1.1 <bob@example.org>... User unknown\n\n"
                              "   ----- Original message follows -----\n\nFrom: alice@example.jp\n\nhi\n";
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.org");
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
    }
    SUBCASE("a delay warning") {
        const std::string m = "From: Mail Delivery Subsystem <mailer-daemon@example.com>\n"
                              "To: alice@example.jp\nSubject: Delivery Status Notification (Delay)\n\n"
                              "This is an automatically generated Delivery Status Notification.\n\n"
                              "Delivery to the following recipient has been delayed:\n\n"
                              "     bob@example.com\n\n"
                              "Message will be retried for 2 more day(s)\n";
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].action == dsn_action::delayed);
        CHECK(r.recipients[0].classification.outcome == esc::outcome::transient);
    }
    SUBCASE("an HTML-only bounce") {
        const std::string m = "From: postmaster@example.com\nSubject: Undeliverable: hello\n"
                              "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
                              "<html><body><p>Delivery has failed to these recipients:</p>"
                              "<p><a href=3D\"mailto:bob@example.com\">bob@example.com</a><br>"
                              "The email address you entered couldn&#39;t be found.<br>"
                              "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found</p></body></html>\n";
        std::vector<char> buffer(m.size());
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].status == "5.1.10"_esc);
        CHECK(r.text.find('<') == std::string_view::npos);
    }
}

TEST_CASE("what is not a bounce yields no recipient") {
    bounce_recipient storage[2];
    SUBCASE("a personal message") {
        const std::string m = "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: lunch?\n\n"
                              "Shall we meet at noon? Mail carol@example.net too.\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.error == bounce_error::not_a_bounce);
        CHECK(r.kind == esc::report_kind::none);
        CHECK(r.count == 0);
    }
    SUBCASE("an automatic reply") {
        const std::string m = "Return-Path: <>\nFrom: Bob <bob@example.org>\nTo: alice@example.com\n"
                              "Subject: Automatic reply: lunch?\nAuto-Submitted: auto-replied\n\n"
                              "I'm out of the office until Monday.\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.error == bounce_error::not_a_bounce);
        CHECK(r.kind == esc::report_kind::auto_reply);
        CHECK(r.count == 0);
    }
    SUBCASE("a feedback report (ARF)") {
        const std::string m = "From: abuse@example.net\nSubject: Abuse Report\n"
                              "Content-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\n\n"
                              "--f\nContent-Type: text/plain\n\nThis is an abuse report.\n"
                              "--f\nContent-Type: message/feedback-report\n\n"
                              "Feedback-Type: abuse\nUser-Agent: x/1.0\nVersion: 1\n"
                              "Original-Rcpt-To: <bob@example.net>\n--f--\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.error == bounce_error::not_a_bounce);
        CHECK(r.kind == esc::report_kind::feedback);
        CHECK(r.count == 0);
    }
    SUBCASE("a null sender with nothing about a failure") {
        const std::string m = "Return-Path: <>\nFrom: <foo@bar.example>\nTo: postmaster@any.example\n"
                              "Subject: hello\nAuto-Submitted: auto-replied\n\nsee karl@hanz.example\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.count == 0);
        CHECK(r.error == bounce_error::not_a_bounce);
    }
    SUBCASE("a bounce that names no recipient at all") {
        const std::string m = "From: MAILER-DAEMON@example.org\nTo: alice@example.org\n"
                              "Subject: Undelivered Mail\n\nSomething failed.\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.kind == esc::report_kind::delivery_status);
        CHECK(r.error == bounce_error::no_recipients);
        CHECK(r.count == 0);
    }
    SUBCASE("a bounce about the address it goes back to") {
        const std::string m = "From: MAILER-DAEMON@example.org\nTo: alice@example.org\n"
                              "Subject: failure notice\n\n<alice@example.org>:\n"
                              "Remote host said: 552 Error: disk quota exceeded\n";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "alice@example.org");
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_full);
    }
}

TEST_CASE("the Status field against the server's code") {
    auto read = [](std::string_view status, std::string_view diagnostic, std::string_view action = "failed") {
        const std::string m = "From: MAILER-DAEMON@example.org\n"
                              "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
                              "--b\nContent-Type: message/delivery-status\n\n"
                              "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; bob@example.com\nAction: " +
                              std::string(action) + "\nStatus: " + std::string(status) +
                              "\nDiagnostic-Code: smtp; " + std::string(diagnostic) + "\n--b--\n";
        bounce_recipient storage[1];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        return storage[0];
    };
    CHECK(read("5.0.0", "550 5.1.1 User unknown").status == "5.1.1"_esc);      // catch-all refined
    CHECK(read("5.1.1", "550 User unknown").status == "5.1.1"_esc);            // the field
    CHECK(read("5.1.1", "550 5.7.1 Rejected").status == "5.1.1"_esc);          // a specific field stands
    CHECK(read("4.4.7", "450 4.7.1 Client host rejected").status == "4.4.7"_esc); // the MTA's verdict: expired
    CHECK(read("4.4.7", "450 4.7.1 Client host rejected").classification.reason == esc::reason::blocked);
    CHECK(read("5.0.0", "451 4.3.0 Try later").status == "5.0.0"_esc);          // another class: the field
    CHECK(read("5.0.0 (permanent failure)", "550 #5.1.0 Address rejected.").status == "5.1.0"_esc);
    const bounce_recipient ok = read("2.0.0", "250 2.0.0 Ok: queued", "delivered");
    CHECK(ok.classification.outcome == esc::outcome::success);
    CHECK(ok.classification.reason == esc::reason::none);
    const bounce_recipient gave_up = read("4.4.1", "421 4.4.1 Connection timed out");
    CHECK(gave_up.classification.reason == esc::reason::expired);
    // A mailbox named like a reason is not one.
    const bounce_recipient named = read("5.0.0", "550 <virus-reports@example.com>: unknown user");
    CHECK(named.classification.reason == esc::reason::mailbox_unknown);
}

TEST_CASE("a utf-8 address (RFC 6533 escapes) is decoded into the buffer") {
    const std::string fields = "Reporting-MTA: dns; a.example\n\n"
                               "Final-Recipient: utf-8; b\\x{F6}b@example.com\nAction: failed\nStatus: 5.1.1\n";
    const std::string m = report("Content-Type: message/delivery-status", fields);
    std::vector<char> buffer(m.size());
    bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
    REQUIRE(r);
    CHECK(r.recipients[0].address == "b\xc3\xb6" "b@example.com");
    // Without a buffer the address is reported as written.
    const esc::bounce_report raw = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(raw);
    CHECK(raw.recipients[0].address == "b\\x{F6}b@example.com");
}

TEST_CASE("outcome: Action failed is permanent whatever the class; prose says failed or delayed") {
    auto one = [](const std::string& m) {
        static std::vector<char> buffer;
        buffer.assign(m.size(), '\0');
        static bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r.count >= 1);
        return storage[0];
    };
    auto dsn = [](std::string_view action, std::string_view status, std::string_view diagnostic) {
        std::string f = "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; bob@example.com\nAction: ";
        f.append(action).append("\nStatus: ").append(status).append("\n");
        if (!diagnostic.empty()) f.append("Diagnostic-Code: smtp; ").append(diagnostic).append("\n");
        return report("Content-Type: message/delivery-status", f);
    };
    SUBCASE("RFC 3464 2.3.3: failed with a 4.x.x Status or reply is permanent") {
        const bounce_recipient full = one(dsn("failed", "4.2.2", "452 4.2.2 Mailbox full"));
        CHECK(full.classification.outcome == esc::outcome::permanent);
        CHECK(full.classification.reason == esc::reason::mailbox_full);
        const bounce_recipient timeout = one(dsn("failed", "4.4.7", "421 4.4.2 Connection timed out"));
        CHECK(timeout.classification.outcome == esc::outcome::permanent);
        CHECK(timeout.classification.reason == esc::reason::expired);
        const bounce_recipient odd = one(dsn("failed", "2.0.0", ""));
        CHECK(odd.classification.outcome == esc::outcome::permanent);
    }
    SUBCASE("delayed is transient whatever the class") {
        const bounce_recipient d = one(dsn("delayed", "5.0.0", "550 5.1.1 User unknown"));
        CHECK(d.classification.outcome == esc::outcome::transient);
    }
    const std::string head = "Return-Path: <>\nFrom: MAILER-DAEMON@example.jp\nTo: alice@example.jp\n"
                             "Subject: failure notice\n\n";
    SUBCASE("qmail's \"Giving up on HOST.\" is not an expiry; its queue timeout is") {
        const bounce_recipient r = one(head + "<bob@example.org>:\n192.0.2.1 does not like recipient.\n"
                                              "Remote host said: 554 Transaction failed\nGiving up on 192.0.2.1.\n");
        CHECK(r.action == dsn_action::failed);
        CHECK(r.classification.outcome == esc::outcome::permanent);
        CHECK(r.classification.reason != esc::reason::expired);
        const bounce_recipient q = one(head + "<bob@example.org>:\nConnected to 192.0.2.1 but connection died. "
                                              "(#4.4.2)\nI'm not going to try again; this message has been in "
                                              "the queue too long.\n");
        CHECK(q.classification.outcome == esc::outcome::permanent);
        CHECK(q.classification.reason == esc::reason::expired);
    }
    SUBCASE("a transient reply in a failure notice is permanent: the message came back") {
        const bounce_recipient r =
            one(head + "<bob@example.org>:\nRemote host said: 452 4.2.2 Mailbox full\n");
        CHECK(r.action == dsn_action::failed);
        CHECK(r.classification.outcome == esc::outcome::permanent);
        CHECK(r.classification.reason == esc::reason::mailbox_full);
    }
    SUBCASE("\"will retry\" and \"postponed\" are warnings") {
        for (const char* words : {"The server will retry for 3 more days.", "Delivery has been postponed."}) {
            const bounce_recipient r =
                one(head + "<bob@example.org>:\nRemote host said: 451 4.3.0 Try later. " + words + "\n");
            CHECK(r.action == dsn_action::delayed);
            CHECK(r.classification.outcome == esc::outcome::transient);
        }
    }
}

TEST_CASE("recipients: Original-Recipient reported and named, X.400, expansions, who is never one") {
    SUBCASE("Original-Recipient alongside Final-Recipient") {
        const std::string fields = "Reporting-MTA: dns; a.example\n\n"
                                   "Original-Recipient: rfc822; list-member@example.org\n"
                                   "Final-Recipient: rfc822; bob@mail.example.org\nAction: failed\nStatus: 5.1.1\n\n"
                                   "Original-Recipient: rfc822; carol@example.org\nAction: failed\nStatus: 5.1.1\n";
        const std::string m = report("Content-Type: message/delivery-status", fields);
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 2);
        CHECK(r.recipients[0].address == "bob@mail.example.org");
        CHECK(r.recipients[0].original == "list-member@example.org");
        CHECK(r.recipients[0].origin == esc::address_origin::final_recipient);
        CHECK(r.recipients[1].address == "carol@example.org");
        CHECK(r.recipients[1].origin == esc::address_origin::original_recipient);
        CHECK(esc::to_record(r.recipients[0]).original == "list-member@example.org");
    }
    SUBCASE("an X.400 address: its RFC822 attribute (RFC 2156)") {
        const std::string fields = "Reporting-MTA: dns; a.example\n\n"
                                   "Final-Recipient: X400; /C=FR/ADMD=ATLAS/RFC-822=bob.smith(a)example.fr/\n"
                                   "Action: failed\nStatus: 5.1.1\n";
        const std::string m = report("Content-Type: message/delivery-status", fields);
        std::vector<char> buffer(m.size());
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob.smith@example.fr");
        char out[64];
        CHECK(esc::decode_address({"rfc822", "/rfc822=a(u)b(p)c(033)(a)x.example"}, out, out + sizeof out) ==
              "a_b%c!@x.example");
    }
    SUBCASE("a pipe or a file as Final-Recipient: the address inside, else X-Failed-Recipients") {
        std::string fields = "Reporting-MTA: dns; a.example\n\nAction: failed\n"
                             "Final-Recipient: rfc822;|/usr/bin/filter bob@example.com /home/bob/.filter\nStatus: 5.0.0\n";
        std::string m = report("Content-Type: message/delivery-status", fields);
        bounce_recipient storage[2];
        esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].origin == esc::address_origin::text);
        fields = "Reporting-MTA: dns; a.example\n\nAction: failed\nFinal-Recipient: rfc822;/var/mail/bob\n"
                 "Status: 5.0.0\n";
        m = "X-Failed-Recipients: bob%old@mx.example.com\n" + report("Content-Type: message/delivery-status", fields);
        r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob%old@mx.example.com");
    }
    SUBCASE("a whole bounce pasted into the text of another message is read as the bounce") {
        const std::string inner = report("Content-Type: message/delivery-status", dsn_fields);
        const std::string m = "From: postmaster@example.org\nTo: admin@example.org\nSubject: Fwd: bounce\n\n"
                              "I'm sorry to have to inform you that the message returned below could not be\n"
                              "delivered. For further assistance, please contact <help@example.org>.\n\n"
                              "---------------------------------\nFrom MAILER-DAEMON  Thu Apr 29 23:34:45 2015\n" +
                              inner;
        std::vector<char> buffer(m.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r);
        check_postfix_recipients(r);
    }
    const std::string head = "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nSender: bounces@mx.example.net\n"
                             "To: alice@example.org\nSubject: Undelivered Mail Returned to Sender\n\n";
    SUBCASE("\"(expanded from ...)\" is the original recipient, not a recipient of its own") {
        const std::string m = head + "<bob@example.net> (expanded from <team@example.net>): host mx.example.net "
                                     "said: 550 5.1.1 User unknown\n";
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.net");
        CHECK(r.recipients[0].original == "team@example.net");
        CHECK(r.recipients[0].origin == esc::address_origin::text);
    }
    SUBCASE("never the postmaster to contact, nor the bounce's own From or Sender") {
        const std::string m = head + "Your message could not be delivered.\n\n"
                                     "For further assistance, please contact <help@example.net>.\n"
                                     "Or write to postmaster@example.net, bounces@mx.example.net or\n"
                                     "MAILER-DAEMON@mx.example.net.\n\n"
                                     "The mail system said: 550 5.1.1 <smtp=bob@example.com>: no such user\n";
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.com"); // "smtp=" is no part of it
    }
}

TEST_CASE("an ARF feedback report (RFC 5965) is a complaint with its fields, never a failure") {
    const std::string m = "From: feedback@isp.example\nTo: abuse@sender.example\nSubject: FW: hello\n"
                          "MIME-Version: 1.0\n"
                          "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n"
                          "--F\nContent-Type: text/plain\n\nThis is an email abuse report.\n\n"
                          "--F\nContent-Type: message/feedback-report\n\n"
                          "Feedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\n"
                          "Original-Mail-From: <bounces+123@sender.example>\n"
                          "Original-Rcpt-To: <bob@isp.example>\nOriginal-Rcpt-To: <carol@isp.example>\n"
                          "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\nSource-IP: 192.0.2.1\n"
                          "Reported-Domain: sender.example\n"
                          "Authentication-Results: mail.isp.example; spf=pass smtp.mail=sender.example\n\n"
                          "--F\nContent-Type: message/rfc822\n\nFrom: news@sender.example\nTo: bob@isp.example\n"
                          "Subject: hello\n\nHi\n--F--\n";
    bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    CHECK(r.kind == esc::report_kind::feedback);
    CHECK(r.count == 0);
    CHECK(r.error == bounce_error::not_a_bounce);
    CHECK(r.feedback.feedback_type == "abuse");
    CHECK(r.feedback.user_agent == "SomeGenerator/1.0");
    CHECK(r.feedback.version == "1");
    CHECK(r.feedback.original_mail_from == "<bounces+123@sender.example>");
    CHECK(r.feedback.original_rcpt_to == "<bob@isp.example>");
    CHECK(r.feedback.original_rcpt_to_count == 2);
    CHECK(r.feedback.arrival_date == "Thu, 8 Mar 2005 14:00:00 EDT");
    CHECK(r.feedback.source_ip == "192.0.2.1");
    CHECK(r.feedback.reported_domain == "sender.example");
    CHECK(r.feedback.authentication_results == "mail.isp.example; spf=pass smtp.mail=sender.example");
}

TEST_CASE("mbox: messages split at \"From \" lines after a blank line, >From unquoted") {
    for (std::string_view eol : {"\n", "\r\n"}) {
        std::string box = with_line_ends(
            "From MAILER-DAEMON Thu Apr 29 23:34:45 2015\n"
            "Return-Path: <>\nFrom: MAILER-DAEMON@a.example\nSubject: failure notice\n\n"
            "<bob@example.org>:\nRemote host said: 550 5.1.1 no such user\n"
            ">From the archive: a quoted line\n>>From deeper\nFrom inside a paragraph\n\n"
            "From MAILER-DAEMON Fri Apr 30 10:00:00 2015\n"
            "Return-Path: <>\nFrom: MAILER-DAEMON@b.example\nSubject: failure notice\n\n"
            "<carol@example.org>:\nRemote host said: 552 5.2.2 mailbox full\n", eol);
        CAPTURE(eol.size());
        REQUIRE(esc::is_mbox(box));
        esc::mbox_reader reader(box);
        std::string_view message, separator;
        std::vector<std::string> recipients;
        std::vector<std::string_view> messages;
        while (reader.next(message, separator)) {
            CHECK(separator.substr(0, 19) == "From MAILER-DAEMON ");
            messages.push_back(message);
            std::vector<char> buffer(message.size());
            const esc::unquoted u = esc::unquote_from(message, buffer.data(), buffer.data() + buffer.size());
            REQUIRE(u.complete);
            std::vector<char> decode(u.text.size());
            bounce_recipient storage[2];
            const esc::bounce_report r = esc::read_bounce(u.text, decode.data(), decode.size(), storage);
            REQUIRE(r.count == 1);
            recipients.emplace_back(r.recipients[0].address);
            if (reader.count() == 1) {
                CHECK(u.text.find("\nFrom the archive") != std::string_view::npos);
                CHECK(u.text.find("\n>From deeper") != std::string_view::npos);
                CHECK(u.text.find("\nFrom inside a paragraph") != std::string_view::npos);
            }
        }
        CHECK(reader.count() == 2);
        CHECK(recipients == std::vector<std::string>{"bob@example.org", "carol@example.org"});
        // Short buffer: a prefix, flagged; no quoting: the view itself.
        char small[4];
        CHECK_FALSE(esc::unquote_from(messages[0], small, small + sizeof small).complete);
        CHECK(esc::unquote_from(messages[1], small, small + sizeof small).text.data() == messages[1].data());
    }
    // Not an mbox: one message, the whole text.
    esc::mbox_reader one("Subject: x\n\nbody\n");
    std::string_view m;
    REQUIRE(one.next(m));
    CHECK(m == "Subject: x\n\nbody\n");
    CHECK_FALSE(one.next(m));
    CHECK_FALSE(esc::is_mbox("Subject: x\n"));
    esc::mbox_reader empty("");
    CHECK_FALSE(empty.next(m));
}

TEST_CASE("the returned message's header: the fields a list manager matches on, any other by name") {
    std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    const std::string returned = "From: alice@example.org\n";
    m.replace(m.find(returned), returned.size(),
              "From: alice@example.org\nMessage-ID: <42@example.org>\nDate: Fri, 24 Oct 2014 10:46:18 +0000\n"
              "List-Id: News <news.example.org>\nX-Campaign-Id: spring-7\n");
    bounce_recipient storage[4];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(r);
    CHECK(r.returned.message_id == "<42@example.org>");
    CHECK(r.returned.subject == "hello");
    CHECK(r.returned.from == "alice@example.org");
    CHECK(r.returned.to == "bob@example.com, carol@example.net");
    CHECK(r.returned.date == "Fri, 24 Oct 2014 10:46:18 +0000");
    CHECK(r.returned.list_id == "News <news.example.org>");
    const auto campaign = esc::find_field(r.returned.header, "x-campaign-id");
    REQUIRE(campaign);
    CHECK(campaign->value == "spring-7");
    CHECK(r.to == "alice@example.org");

    // A copy inline after the prose (qmail): the same fields.
    const std::string q = "Return-Path: <>\nFrom: MAILER-DAEMON@example.jp\nTo: bounces+bob=example.org@lists.example.jp\n"
                          "Subject: failure notice\n\n<bob@example.org>:\nRemote host said: 550 5.1.1 unknown\n\n"
                          "--- Below this line is a copy of the message.\n\nReturn-Path: <alice@example.jp>\n"
                          "Received: (qmail 1 invoked by uid 0)\nMessage-ID: <7@example.jp>\nSubject: news\n\nHi\n";
    const esc::bounce_report t = esc::read_bounce(q, nullptr, 0, storage);
    REQUIRE(t);
    CHECK(t.returned.message_id == "<7@example.jp>");
    CHECK(t.returned.subject == "news");
    // The VERP return path names the recipient.
    char out[64];
    CHECK(esc::decode_verp(t.to, out, out + sizeof out) == "bob@example.org");
    CHECK(esc::decode_verp("<list-bob=example.org@lists.example>", out, out + sizeof out) == "bob@example.org");
    CHECK(esc::decode_verp("bounces@lists.example", out, out + sizeof out).empty());
    CHECK(esc::decode_verp("bounces+123@lists.example", out, out + sizeof out).empty());
    CHECK(esc::decode_verp("bounces+bob=example.org@lists.example", out, out + 3).empty());
}

TEST_CASE("the returned message's header when its part is base64 or quoted-printable") {
    // message/rfc822 in base64 (RFC 2046 forbids it; Exchange and others send it)
    std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    const std::string plain_part = "Content-Type: message/rfc822\n\n"
                                   "From: alice@example.org\nTo: bob@example.com, carol@example.net\nSubject: hello\n\nHi!\n";
    REQUIRE(m.find(plain_part) != std::string::npos);
    m.replace(m.find(plain_part), plain_part.size(),
              "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
              "RnJvbTogYWxpY2VAZXhhbXBsZS5vcmcNClRvOiBib2JAZXhhbXBsZS5jb20N\n"
              "Ck1lc3NhZ2UtSUQ6IDxiNjRAZXhhbXBsZS5vcmc+DQpTdWJqZWN0OiBzcHJp\n"
              "bmcgc2FsZQ0KWC1DYW1wYWlnbi1JZDogYy05DQoNCkhlbGxvIEJvYiwNCmJv\n"
              "ZHkgdGV4dA0K\n");
    std::vector<char> buffer(m.size());
    bounce_recipient storage[4];
    const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
    REQUIRE(r);
    check_postfix_recipients(r);
    CHECK(r.returned.message_id == "<b64@example.org>");
    CHECK(r.returned.subject == "spring sale");
    CHECK(r.returned.from == "alice@example.org");
    CHECK(r.returned.to == "bob@example.com");
    const auto campaign = esc::find_field(r.returned.header, "X-Campaign-Id");
    REQUIRE(campaign);
    CHECK(campaign->value == "c-9");
    CHECK(r.returned.header.find("Hello Bob") == std::string_view::npos); // the header only
    // With no buffer the recipients are all there, the returned header is not, and that is no error.
    const esc::bounce_report none = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(none);
    CHECK(none.count == 2);
    CHECK(none.returned.message_id.empty());
    // A buffer that holds only part of the header: the whole fields that fitted, no error.
    char small[70];
    const esc::bounce_report cut = esc::read_bounce(m, small, sizeof small, storage);
    REQUIRE(cut);
    CHECK(cut.returned.from == "alice@example.org");
    CHECK(cut.returned.to == "bob@example.com");
    CHECK(cut.returned.subject.empty());

    // text/rfc822-headers in quoted-printable (a soft line break inside the Subject)
    std::string q = report("Content-Type: message/delivery-status", dsn_fields);
    q.replace(q.find(plain_part), plain_part.size(),
              "Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: quoted-printable\n\n"
              "Message-ID: <qp@example.org>\nSubject: caf=C3=A9 news, a very long subject that=\n"
              " goes on\nFrom: alice@example.org\n");
    std::vector<char> qbuffer(q.size());
    const esc::bounce_report t = esc::read_bounce(q, qbuffer.data(), qbuffer.size(), storage);
    REQUIRE(t);
    CHECK(t.returned.message_id == "<qp@example.org>");
    CHECK(t.returned.subject == "caf\xc3\xa9 news, a very long subject that goes on");
    CHECK(t.returned.from == "alice@example.org");
}

TEST_CASE("Exim's malformed recipient address: the recipient, not the fragment Exim stopped at") {
    // Exim (parse.c): "  WRITTEN: malformed address: FRAGMENT may not follow ADDRESS"
    auto exim = [](std::string_view line) {
        std::string m = "From: Mail Delivery System <Mailer-Daemon@mx.example.org>\nTo: sender@example.org\n"
                        "Subject: Mail failure - malformed recipient address\n\n"
                        "A message that you sent contained one or more recipient addresses that were\n"
                        "incorrectly constructed:\n\n";
        m += line;
        m += "\n\nThis address has been ignored. The other addresses in the message were\n"
             "syntactically valid and have been passed on for an attempt at delivery.\n";
        return m;
    };
    bounce_recipient storage[4];
    // A name-addr whose display name is an unquoted address: the mailbox in the brackets.
    const std::string two = exim("  kijitora@example.com <neko@example.net>: malformed address: <neko@example.net> may "
                                 "not follow kijitora@example.com ");
    const esc::bounce_report r = esc::read_bounce(two, nullptr, 0, storage);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].address == "neko@example.net");
    CHECK(r.recipients[0].classification.outcome == esc::outcome::permanent);
    CHECK(r.recipients[0].classification.reason == esc::reason::protocol);
    // A fragment that is no address: the address Exim read before it, never one made of the fragment.
    const std::string domain = exim("  foo@bar.example@baz.example: malformed address: @baz.example may not follow "
                                    "foo@bar.example");
    const esc::bounce_report d = esc::read_bounce(domain, nullptr, 0, storage);
    REQUIRE(d.count == 1);
    CHECK(d.recipients[0].address == "foo@bar.example");
    // The fragment is what was written, not what the server said: "junk" is no spam verdict.
    const std::string junk = exim("  foo@bar.example junk: malformed address: junk may not follow foo@bar.example");
    const esc::bounce_report j = esc::read_bounce(junk, nullptr, 0, storage);
    REQUIRE(j.count == 1);
    CHECK(j.recipients[0].address == "foo@bar.example");
    CHECK(j.recipients[0].classification.reason == esc::reason::protocol);
    // Brackets with more than a name-addr's blanks around them are not read as one.
    const std::string other = exim("  a@b.example x <c@d.example>: malformed address: x <c@d.example> may not follow "
                                   "a@b.example");
    const esc::bounce_report o = esc::read_bounce(other, nullptr, 0, storage);
    REQUIRE(o.count >= 1);
    CHECK(o.recipients[0].address == "a@b.example");
}

TEST_CASE("prose bounces without a DSN part: the common formats (written here in their shape)") {
    struct prose_case {
        const char* name;
        std::string_view message;
        std::string_view recipient;
        esc::reason reason;
    };
    const prose_case cases[] = {
        {"gmail", R"eml(Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: alice@example.org
Subject: Delivery Status Notification (Failure)

Delivery to the following recipient failed permanently:

     bob@example.com

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain example.com by mx.example.com. [192.0.2.1].

The error that the other server returned was:
550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown

----- Original message -----

DKIM-Signature: v=1
MIME-Version: 1.0
Received: by 10.0.0.1
Date: Mon, 1 Jan 2024
Message-ID: <x@mail.gmail.com>
Subject: hi
From: alice@example.org
To: bob@example.com
)eml", "bob@example.com", esc::reason::mailbox_unknown},
        {"exim", R"eml(Return-Path: <>
From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: alice@example.org
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@example.com
    host mx.example.com [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<bob@example.com>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <alice@example.org>
Received: from x
Message-Id: <1@example.org>
To: bob@example.com
)eml", "bob@example.com", esc::reason::mailbox_unknown},
        {"exchange", R"eml(Return-Path: <>
From: postmaster@outlook.example
To: alice@example.org
Subject: Undeliverable: hello

Delivery has failed to these recipients or groups:

bob@example.com<mailto:bob@example.com>
The email address you entered couldn't be found. Please check the recipient's email address and try to resend the message.


Diagnostic information for administrators:

Generating server: mx.outlook.example

bob@example.com
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

Original message headers:

Received: from a
MIME-Version: 1.0
Message-ID: <2@example.org>
)eml", "bob@example.com", esc::reason::mailbox_unknown},
        {"yahoo", R"eml(Return-Path: <>
From: MAILER-DAEMON@yahoo.example
To: alice@example.org
Subject: Failure Notice

Sorry, we were unable to deliver your message to the following address.

<bob@example.com>:
Remote host said: 552 5.2.2 <bob@example.com>... Mailbox full [RCPT_TO]

--- Below this line is a copy of the message.

Received: from a
X-Y: b
Message-ID: <3@example.org>
)eml", "bob@example.com", esc::reason::mailbox_full},
        {"sendmail", R"eml(Return-Path: <>
From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>
To: alice@example.org
Subject: Returned mail: see transcript for details

The original message was received at Mon, 1 Jan 2024 10:00:00 GMT
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<bob@example.com>
    (reason: 550 5.1.1 <bob@example.com>... User unknown)

   ----- Transcript of session follows -----
... while talking to mx.example.com.:
>>> RCPT To:<bob@example.com>
<<< 550 5.1.1 <bob@example.com>... User unknown
550 5.1.1 <bob@example.com>... User unknown

   ----- Original message follows -----

Return-Path: <alice@example.org>
Received: from a
Message-Id: <4@example.org>
)eml", "bob@example.com", esc::reason::mailbox_unknown},
        {"intended", R"eml(Return-Path: <>
From: postmaster@gw.example.com
To: alice@example.org
Subject: Undeliverable mail

Your message

  To:      bob@example.com
  Subject: hello
  Sent:    Mon, 1 Jan 2024

did not reach the following recipient(s):

  Intended recipient: bob@example.com
  Reason: 550 5.1.1 User unknown
)eml", "bob@example.com", esc::reason::mailbox_unknown},
        {"mailru", R"eml(Return-Path: <>
From: Mail Delivery System <mailer-daemon@corp.mail.example>
To: alice@example.org
Subject: Mail failure.

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@mail.example
    Mailbox is full / Blocked

Please contact support@mail.example if you have questions.
)eml", "bob@mail.example", esc::reason::mailbox_full},
        {"aol", R"eml(Return-Path: <>
From: Mail Delivery Subsystem <MAILER-DAEMON@aol.example>
To: alice@example.org
Subject: Returned mail: User unknown

The original message was received at Mon, 1 Jan 2024
from mx.example.org [192.0.2.9]

*** ATTENTION ***

Your e-mail is being returned to you because there was a problem with its
delivery.  The address which was undeliverable is listed in the section
labeled: "----- The following addresses had permanent fatal errors -----".

----- The following addresses had permanent fatal errors -----
bob@aol.example

----- Transcript of session follows -----
... while talking to air-xx.mail.aol.example:
>>> RCPT To:<bob@aol.example>
<<< 550 MAILBOX NOT FOUND
550 bob@aol.example... User unknown
)eml", "bob@aol.example", esc::reason::mailbox_unknown},
        {"postfix-prose", R"eml(Return-Path: <>
From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: alice@example.org
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mx.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<bob@example.com> (expanded from <list@example.org>): host mx.example.com[192.0.2.1] said:
    550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in
    reply to RCPT TO command)
)eml", "bob@example.com", esc::reason::mailbox_unknown},
    };
    for (const prose_case& c : cases) {
        CAPTURE(c.name);
        std::vector<char> buffer(c.message.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(c.message, buffer.data(), buffer.size(), storage);
        REQUIRE(r.count == 1);
        CHECK(r.source == bounce_source::text);
        CHECK(r.recipients[0].address == c.recipient);
        CHECK(r.recipients[0].classification.outcome == esc::outcome::permanent);
        CHECK(r.recipients[0].classification.reason == c.reason);
    }
}

TEST_CASE("Amazon SES notifications (JSON), alone or in an SNS envelope") {
    const std::string head = "From: no-reply@sns.example\nSubject: AWS Notification Message\n\n";
    const std::string bounce =
        R"({"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[)"
        R"({"emailAddress":"bob@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},)"
        R"({"emailAddress":"carol@example.net","action":"failed","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 mailbox full"}],)"
        R"("reportingMTA":"dsn; a1.example"},"mail":{"source":"news@sender.example","destination":["bob@example.com"]}})";
    auto check_bounce = [](const esc::bounce_report& r) {
        REQUIRE(r.count == 2);
        CHECK(r.source == bounce_source::json);
        CHECK(r.kind == esc::report_kind::delivery_status);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(r.recipients[0].diagnostic == "550 5.1.1 user unknown");
        CHECK(r.recipients[0].classification.outcome == esc::outcome::permanent);
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
        CHECK(r.recipients[1].address == "carol@example.net");
        CHECK(r.recipients[1].classification.reason == esc::reason::mailbox_full);
    };
    bounce_recipient storage[4];
    {
        const std::string m = head + bounce + "\n\n--\nIf you wish to stop receiving notifications, unsubscribe.\n";
        check_bounce(esc::read_bounce(m, nullptr, 0, storage));
    }
    {
        std::string escaped;
        for (char c : bounce) {
            if (c == '"' || c == '\\') escaped += '\\';
            escaped += c;
        }
        const std::string m = head + "{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"1\",\n  \"Message\" : \"" +
                              escaped + "\"\n}\n";
        std::vector<char> buffer(m.size());
        check_bounce(esc::read_bounce(m, buffer.data(), buffer.size(), storage));
        // The envelope's message is unescaped into the buffer: without one, nothing is read.
        CHECK(esc::read_bounce(m, nullptr, 0, storage).count == 0);
    }
    {
        const std::string m = head + R"({"notificationType":"Delivery","mail":{"source":"a@sender.example"},)"
                                     R"("delivery":{"recipients":["dave@example.org"],"smtpResponse":"250 2.6.0 Message received"}})";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "dave@example.org");
        CHECK(r.recipients[0].action == dsn_action::delivered);
        CHECK(r.recipients[0].classification.outcome == esc::outcome::success);
    }
    {
        const std::string m = head + R"({"notificationType":"Complaint","complaint":{"userAgent":"ISP Mail",)"
                                     R"("complainedRecipients":[{"emailAddress":"erin@isp.example"}],)"
                                     R"("complaintFeedbackType":"abuse","arrivalDate":"2016-01-27T14:59:38.237Z"},)"
                                     R"("mail":{"source":"news@sender.example"}})";
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.count == 0);
        CHECK(r.kind == esc::report_kind::feedback);
        CHECK(r.feedback.feedback_type == "abuse");
        CHECK(r.feedback.original_rcpt_to == "erin@isp.example");
        CHECK(r.feedback.original_mail_from == "news@sender.example");
        CHECK(r.feedback.user_agent == "ISP Mail");
    }
    // JSON escapes, and JSON that is not a notification, or broken.
    char out[32];
    CHECK(esc::detail::json::unescape({R"("a\"b\\c\u00e9\ud83d\ude00\n")"}, out, out + sizeof out) ==
          "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
    for (const char* body : {R"({"notificationType":"Other"})", R"({"a":[1,2,{"b":)", R"({{{{[[[["x)",
                             R"({"Type":"Notification","Message":7})"}) {
        CAPTURE(body);
        const std::string m = head + body;
        std::vector<char> buffer(m.size());
        CHECK(esc::read_bounce(m, buffer.data(), buffer.size(), storage).source != bounce_source::json);
    }
}

TEST_CASE("write_bounce: a whole multipart/report that reads back through read_bounce") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mx.example.org"};
    m.arrival_date = "Fri, 24 Oct 2014 10:46:18 +0000";
    std::vector<esc::dsn_recipient_fields> rs(2);
    rs[0].original_recipient = {"rfc822", "list@example.com"};
    rs[0].final_recipient = {"rfc822", "bob@example.com"};
    rs[0].action = dsn_action::failed;
    rs[0].status = "5.1.1"_esc;
    rs[0].remote_mta = {"dns", "mx.example.com"};
    rs[0].diagnostic_code = {"smtp", "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"};
    rs[1].final_recipient = {"rfc822", "carol@example.net"};
    rs[1].action = dsn_action::delayed;
    rs[1].status = "4.4.1"_esc;
    esc::bounce_envelope env;
    env.from = "MAILER-DAEMON@mx.example.org";
    env.to = "alice@example.org";
    env.date = "Fri, 24 Oct 2014 10:47:00 +0000";
    env.message_id = "<20141024104700.1@mx.example.org>";
    env.explanation = "This is the mail system at host mx.example.org.\n\nYour message could not be delivered to\none or more recipients.\n";
    env.returned_header = "From: alice@example.org\nTo: list@example.com\nSubject: hello\nMessage-ID: <1@example.org>\n\nbody\n";

    for (esc::dsn_body_type body : {esc::dsn_body_type::delivery_status, esc::dsn_body_type::global}) {
        const esc::dsn_write_result sized = esc::write_bounce(nullptr, nullptr, env, m, rs.data(), rs.size(), body);
        REQUIRE(sized.error == esc::dsn_write_error::buffer_too_small);
        std::string out(sized.size, '\0');
        const esc::dsn_write_result w = esc::write_bounce(out.data(), out.data() + out.size(), env, m, rs.data(), rs.size(), body);
        REQUIRE(w);
        CHECK(w.size == out.size());
        CHECK(out.find("\nbody") == std::string::npos); // the header block only
        for (std::size_t i = 0; i < out.size(); ++i)
            if (out[i] == '\n') CHECK((i > 0 && out[i - 1] == '\r'));
        // A short buffer: a prefix, and the size.
        std::string small(40, '#');
        const esc::dsn_write_result cut = esc::write_bounce(small.data(), small.data() + 20, env, m, rs.data(), rs.size(), body);
        CHECK(cut.error == esc::dsn_write_error::buffer_too_small);
        CHECK(cut.size == out.size());
        CHECK(small.substr(0, 20) == out.substr(0, 20));
        CHECK(small[20] == '#');

        std::vector<char> buffer(out.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(out, buffer.data(), buffer.size(), storage);
        REQUIRE(r);
        CHECK(r.source == bounce_source::dsn);
        REQUIRE(r.count == 2);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].original == "list@example.com");
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
        CHECK(r.recipients[1].address == "carol@example.net");
        CHECK(r.recipients[1].classification.outcome == esc::outcome::transient);
        CHECK(r.message.reporting_mta.value == "mx.example.org");
        CHECK(r.returned.message_id == "<1@example.org>");
        CHECK(r.returned.subject == "hello");
        CHECK(r.to == "<alice@example.org>");
    }
    // Refused: a line break in a header value, a bad boundary or one inside a part, non-ASCII in a 7-bit report.
    auto error_of = [&](const esc::bounce_envelope& e) {
        return esc::write_bounce(nullptr, nullptr, e, m, rs.data(), rs.size()).error;
    };
    esc::bounce_envelope bad = env;
    bad.subject = "hi\r\nBcc: eve@example.com";
    CHECK(error_of(bad) == esc::dsn_write_error::bad_value);
    bad = env;
    bad.boundary = "";
    CHECK(error_of(bad) == esc::dsn_write_error::bad_value);
    bad.boundary = "no\"quotes";
    CHECK(error_of(bad) == esc::dsn_write_error::bad_value);
    bad.boundary = "b0und";
    bad.explanation = "a line\n--b0und\nforged part\n";
    CHECK(error_of(bad) == esc::dsn_write_error::bad_value);
    bad = env;
    bad.explanation = "Zustellung an M\xc3\xbcller fehlgeschlagen.\n";
    CHECK(error_of(bad) == esc::dsn_write_error::not_ascii);
    CHECK(esc::write_bounce(nullptr, nullptr, bad, m, rs.data(), rs.size(), esc::dsn_body_type::global).error ==
          esc::dsn_write_error::buffer_too_small);
    const std::string long_line(1000, 'x');
    bad.explanation = long_line;
    CHECK(error_of(bad) == esc::dsn_write_error::word_too_long);
    // The DSN writer's own refusals come through, with the recipient's index.
    auto broken = rs;
    broken[1].status.reset();
    const esc::dsn_write_result r = esc::write_bounce(nullptr, nullptr, env, m, broken.data(), broken.size());
    CHECK(r.error == esc::dsn_write_error::no_status);
    CHECK(r.recipient == 1);
}

TEST_CASE("automatic replies and challenge-response messages are never failures") {
    const char* const messages[] = {
        "Return-Path: <>\nFrom: bob@example.com\nSubject: Out of Office: hello\nAuto-Submitted: auto-replied\n\n"
        "I am away until Monday; your message was not delivered to my phone. 550 5.1.1 is not my code.\n",
        "From: bob@example.com\nSubject: Re: hello\nX-Autoreply: yes\n\nI will read your mail later. Delivery failed? No.\n",
        "From: bob@example.com\nSubject: Re: hello\nPrecedence: auto_reply\n\nAway. Your message could not be delivered to me today.\n",
        "Return-Path: <>\nFrom: verify@challenge.example\nSubject: Please confirm your message to bob@example.com\n\n"
        "Your message could not be delivered until you confirm that you are a person: click the link.\n",
        "From: bob@example.com\nX-Boxbe-Screen: yes\nSubject: hello\n\nYour message is held: it could not be delivered yet.\n",
    };
    for (const char* m : messages) {
        CAPTURE(m);
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        CHECK(r.count == 0);
        CHECK(r.kind == esc::report_kind::auto_reply);
    }
}

TEST_CASE("charsets: encoded-words in the Subject, western single-byte text as UTF-8") {
    char out[128];
    using esc::detail::decode_encoded_words;
    CHECK(decode_encoded_words("=?utf-8?Q?Unzustellbar:_hello?=", out, out + sizeof out) == "Unzustellbar: hello");
    CHECK(decode_encoded_words("=?ISO-8859-1?Q?Non_remis_:_r=E9ponse?=", out, out + sizeof out) ==
          "Non remis : r\xc3\xa9ponse");
    CHECK(decode_encoded_words("=?UTF-8?B?VW5kZWxpdmVyYWJsZQ==?= =?UTF-8?B?OiBoaQ==?=", out, out + sizeof out) ==
          "Undeliverable: hi"); // the blank between two encoded-words goes
    CHECK(decode_encoded_words("Re: =?windows-1252?Q?=93quoted=94?= text", out, out + sizeof out) ==
          "Re: \xe2\x80\x9cquoted\xe2\x80\x9d text");
    CHECK(decode_encoded_words("plain subject", out, out + sizeof out).data() != out);
    CHECK(decode_encoded_words("=?broken", out, out + sizeof out) == "=?broken");
    CHECK(decode_encoded_words("=?utf-8?Q?too_long_for_the_buffer?=", out, out + 4) ==
          "=?utf-8?Q?too_long_for_the_buffer?=");
    const std::string hostile = std::string(20000, '=') + "?" + std::string(20000, '?');
    std::vector<char> big(hostile.size());
    CHECK(decode_encoded_words(hostile, big.data(), big.data() + big.size()).size() == hostile.size());

    const esc::detail::converted c =
        esc::detail::to_utf8(esc::detail::charset::latin9, "\xa4 5 Empf\xe4nger", out, out + sizeof out);
    CHECK(c.complete);
    CHECK(c.text == "\xe2\x82\xac 5 Empf\xc3\xa4nger");
    CHECK_FALSE(esc::detail::to_utf8(esc::detail::charset::latin1, "\xe4\xe4\xe4", out, out + 3).complete);
    CHECK_FALSE(esc::detail::to_utf8(esc::detail::charset::unknown, "\xe4", out, out + 3).converted_all);

    // In a bounce: a Subject that says so only once decoded; a Latin-1 text read as UTF-8.
    const std::string m = "From: Gateway <gw@example.de>\nSubject: =?iso-8859-1?B?VW56dXN0ZWxsYmFyOiBIYWxsbw==?=\n"
                          "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
                          "Ihre Nachricht konnte nicht zugestellt werden.\n\n"
                          "Empf\xe4nger: <bob@example.de>\n550 5.1.1 Benutzer unbekannt\n";
    std::vector<char> buffer(2 * m.size());
    bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].address == "bob@example.de");
    CHECK(r.text.find("Empf\xc3\xa4nger") != std::string_view::npos);
    CHECK(r.subject == "=?iso-8859-1?B?VW56dXN0ZWxsYmFyOiBIYWxsbw==?=");
    // Without room to convert, the text is read as it is.
    const esc::bounce_report tight = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(tight.count == 1);
    CHECK(tight.text.find("Empf\xe4nger") != std::string_view::npos);
}

TEST_CASE("Hotmail's complaint reports (not ARF) read as feedback too") {
    const std::string m = "From: staff@hotmail.com\nSubject:  complaint about message from 192.0.2.9\n"
                          "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"J\"\n\n"
                          "--J\nContent-Type: message/rfc822\n\nX-HmXmrOriginalRecipient: bob@hotmail.example\n"
                          "From: news@sender.example\nTo: bob@hotmail.example\nSubject: offers\n"
                          "Date: Thu, 29 Apr 2016 23:34:45 +0200\n\nBuy now\n--J--\n";
    bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    CHECK(r.kind == esc::report_kind::feedback);
    CHECK(r.count == 0);
    CHECK(r.feedback.feedback_type == "abuse");
    CHECK(r.feedback.source_ip == "192.0.2.9");
    CHECK(r.feedback.original_rcpt_to == "bob@hotmail.example");
    CHECK(r.feedback.original_mail_from == "news@sender.example");
    CHECK(r.returned.subject == "offers");
}

TEST_CASE("storage too small: the first recipients and the total") {
    const std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    bounce_recipient storage[1];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    CHECK(r.error == bounce_error::storage_full);
    CHECK(r.count == 1);
    CHECK(r.total == 2);
    CHECK(r.recipients[0].address == "bob@example.com");
}

TEST_CASE("reading a plain DSN allocates nothing") {
    const std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    static bounce_recipient storage[4];
    const std::size_t before = allocations.load();
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    const std::size_t after = allocations.load();
    CHECK(after == before);
    CHECK(r.count == 2);
}

TEST_CASE("owned_bounce and bounce_record: what esc dsn prints") {
    const std::string m = report("Content-Type: message/delivery-status", dsn_fields);
    const esc::owned_bounce b = esc::read_bounce(m);
    REQUIRE(b.report.count == 2);
    CHECK(b.report.recipients == b.recipients.data());
    const esc::bounce_record rec = esc::to_record(b.recipients[0]);
    CHECK(rec.recipient == "bob@example.com");
    CHECK(rec.action == "failed");
    CHECK(rec.status == "5.1.1");
    CHECK(rec.reply_code == 550);
    CHECK(rec.diagnostic == "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local "
                            "recipient table");
    CHECK(rec.outcome == "permanent");
    CHECK(rec.reason == "mailbox_unknown");
    CHECK(rec.source == "dsn");
    const esc::bounce_record carol = esc::to_record(b.recipients[1]);
    CHECK_FALSE(carol.reply_code);
    CHECK(carol.outcome == "transient");

    // More recipients than the first guess of storage.
    std::string many = "Reporting-MTA: dns; list.example\n";
    for (int i = 0; i < 40; ++i)
        many += "\nFinal-Recipient: rfc822; u" + std::to_string(i) + "@example.com\nAction: failed\nStatus: 5.1.1\n";
    const std::string big = report("Content-Type: message/delivery-status", many);
    const esc::owned_bounce lots = esc::read_bounce(big);
    CHECK(lots.report.error == bounce_error::none);
    REQUIRE(lots.recipients.size() == 40);
    CHECK(lots.recipients[39].address == "u39@example.com");
}

TEST_CASE("round trip: a DSN written by write_delivery_status reads back through read_bounce") {
    esc::dsn_message_fields mf;
    mf.reporting_mta = {"dns", "mail.example.org"};
    std::vector<esc::dsn_recipient_fields> rs(2);
    rs[0].final_recipient = {"rfc822", "bob@example.com"};
    rs[0].action = dsn_action::failed;
    rs[0].status = "5.2.2"_esc;
    rs[0].diagnostic_code = {"smtp", "552-5.2.2 The email account that you tried to reach is over quota.\r\n"
                                     "552 5.2.2 Please direct the recipient to https://support.example.com/quota"};
    rs[1].final_recipient = {"rfc822", "carol@example.net"};
    rs[1].action = dsn_action::delayed;
    rs[1].status = "4.4.1"_esc;
    rs[1].diagnostic_code = {"X-Postfix", "connect to mx.example.net[192.0.2.1]:25: Connection timed out"};
    std::string body;
    REQUIRE(esc::write_delivery_status(body, mf, rs));
    const std::string m = report("Content-Type: message/delivery-status", body);
    const esc::owned_bounce b = esc::read_bounce(m);
    REQUIRE(b.report.count == 2);
    CHECK(b.recipients[0].address == "bob@example.com");
    CHECK(b.recipients[0].status == "5.2.2"_esc);
    CHECK(b.recipients[0].classification.reason == esc::reason::mailbox_full);
    CHECK(esc::unfold(b.recipients[0].diagnostic) == esc::unfold(rs[0].diagnostic_code.value));
    CHECK(b.recipients[1].action == dsn_action::delayed);
    CHECK(b.recipients[1].classification.outcome == esc::outcome::transient);
}

TEST_CASE("hostile messages: no crash, no overrun, bounded work") {
    std::vector<std::string> inputs = {
        "",
        "\n\n\n",
        "Content-Type: multipart/report; boundary=\"",
        "Content-Type: multipart/report; boundary=\"unterminated\n\n--unterminated\nContent-Type: "
        "message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!!====",
        "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--",
        "Content-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable\n\n=\n=4\n=ZZ=",
        "From: MAILER-DAEMON@x.example\nSubject: failure\n\n@@@@ a@ @b.c a@b. a@.b a@b..c <@> \"@\"\n",
    };
    // Deep nesting: every level a multipart with its own boundary.
    std::string deep;
    for (int i = 0; i < 200; ++i)
        deep += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" + std::to_string(i) +
                "\n";
    deep += "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; deep@example.com\nStatus: 5.1.1\n";
    inputs.push_back(deep);
    // Many addresses: on one huge line, and one per paragraph (work stays linear).
    std::string one_line = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\n\n";
    std::string paragraphs = one_line;
    for (int i = 0; i < 20000; ++i) {
        one_line += " user" + std::to_string(i) + "@example.com 550";
        paragraphs += "<u" + std::to_string(i) + "@example.com>:\n\n";
    }
    inputs.push_back(one_line);
    inputs.push_back(paragraphs);
    // One address on every line and the reply at the end: each mention used to
    // search the rest of the text for a reply (1.6 MB took a minute).
    std::string same = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\n\n";
    for (int i = 0; i < 50000; ++i) same += "bob@example.com\n";
    inputs.push_back(same + "550 5.1.1 User unknown\n");
    // Random bytes around real structure.
    std::mt19937 rng(12345);
    const std::string base = report("Content-Type: message/delivery-status", dsn_fields);
    for (int i = 0; i < 200; ++i) {
        std::string s = base;
        for (int k = 0; k < 20; ++k) s[rng() % s.size()] = static_cast<char>(rng() % 256);
        s.resize(rng() % s.size());
        inputs.push_back(s);
    }
    for (const std::string& in : inputs) {
        std::vector<char> exact(in.begin(), in.end()); // exact size: ASan sees any overrun
        const std::string_view view(exact.data(), exact.size());
        std::vector<char> buffer(view.size());
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(view, buffer.data(), buffer.size(), storage);
        CHECK(r.count <= 4);
        for (const bounce_recipient& rec : r) {
            const bool in_message = rec.address.data() >= view.data() && rec.address.data() <= view.data() + view.size();
            const bool in_buffer =
                rec.address.data() >= buffer.data() && rec.address.data() <= buffer.data() + buffer.size();
            CHECK((in_message || in_buffer || rec.address.empty()));
        }
    }
}

TEST_CASE("Gmail's and Microsoft 365's prose for an unknown address") {
    CHECK(esc::classify("Your message wasn't delivered to bob@example.it because the address couldn't be found. "
                        "Check for typos or unnecessary spaces and try again.")
              .reason == esc::reason::mailbox_unknown);
    CHECK(esc::classify("The email address you entered couldn't be found. Please check the recipient's email "
                        "address and try to resend the message.")
              .reason == esc::reason::mailbox_unknown);
    CHECK(esc::classify("550 The address could not be found").reason == esc::reason::mailbox_unknown);
}

TEST_CASE("buffer needs: none for a DSN with an encoded text part; message.size() for anything") {
    SUBCASE("a quoted-printable notification part does not need the buffer") {
        std::string m = report("Content-Type: message/delivery-status", dsn_fields);
        const std::string plain = "Content-Type: text/plain; charset=us-ascii\n\n";
        m.replace(m.find(plain), plain.size(),
                  "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n");
        bounce_recipient storage[4];
        const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
        REQUIRE(r);
        check_postfix_recipients(r);
        CHECK(r.text.empty()); // not decoded: no room, and nothing needed it
        std::vector<char> buffer(m.size());
        const esc::bounce_report with = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(with);
        CHECK(with.text.find("could not") != std::string_view::npos);
    }
    SUBCASE("an HTML bounce that is nearly all of the message, base64 encoded") {
        std::string html = "<html><body><p>Delivery has failed to these recipients:</p><p>bob@example.com</p>"
                           "<p>550 5.1.1 User unknown</p>";
        while (html.size() < 20000) html += "<p>&nbsp;padding &amp; more padding</p>";
        html += "</body></html>";
        const std::string m = "From: postmaster@example.com\nSubject: Undeliverable: hello\n"
                              "Content-Type: text/html\nContent-Transfer-Encoding: base64\n\n" +
                              base64(html);
        std::vector<char> buffer(m.size());
        bounce_recipient storage[2];
        const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
        REQUIRE(r);
        REQUIRE(r.count == 1);
        CHECK(r.recipients[0].address == "bob@example.com");
        CHECK(r.recipients[0].status == "5.1.1"_esc);
    }
}

TEST_CASE("decoders: quoted-printable and base64 edge cases, linear on long runs") {
    char out[64];
    auto qp = [&](std::string_view in) {
        return std::string(esc::detail::decode_quoted_printable(in, out, out + sizeof out).text);
    };
    CHECK(qp("a=3Db") == "a=b");
    CHECK(qp("soft=\r\nbreak") == "softbreak");
    CHECK(qp("soft=  \nbreak") == "softbreak");
    CHECK(qp("pad   \r\nnext") == "pad\r\nnext");
    CHECK(qp("keep  inner") == "keep  inner");
    CHECK(qp("stray = sign=") == "stray = sign");
    CHECK(qp("=4") == "=4");
    CHECK(qp("lower =3d") == "lower =");
    auto b64 = [&](std::string_view in) {
        return std::string(esc::detail::decode_base64(in, out, out + sizeof out).text);
    };
    CHECK(b64("aGVsbG8=") == "hello");
    CHECK(b64("aGVs\r\nbG8") == "hello");
    CHECK(b64("aGVsbG8gd29ybGQ=") == "hello world");
    CHECK_FALSE(esc::detail::decode_base64("aG!Vs", out, out + sizeof out).clean);
    CHECK_FALSE(esc::detail::decode_base64("aGVsbG8gd", out, out + sizeof out).clean); // a quantum cut after 1 char
    CHECK_FALSE(esc::detail::decode_base64("aGVsbG8=aGVs", out, out + sizeof out).clean); // data after padding
    CHECK(esc::detail::decode_base64("aGVsbA==\r\n", out, out + sizeof out).clean);
    CHECK(esc::detail::decode_base64("aGVsbA", out, out + sizeof out).clean); // padding left out: sloppy, readable
    // A short buffer: a prefix, flagged.
    const auto d = esc::detail::decode_base64("aGVsbG8gd29ybGQ=", out, out + 3);
    CHECK(d.text == "hel");
    CHECK_FALSE(d.complete);
    // A megabyte of blanks inside a line decodes in linear time.
    std::string blanks(1 << 20, ' ');
    blanks += "x";
    std::vector<char> big(blanks.size());
    CHECK(esc::detail::decode_quoted_printable(blanks, big.data(), big.data() + big.size()).text.size() ==
          blanks.size());
}

TEST_CASE("central European and Cyrillic single-byte charsets reach the classifier as UTF-8") {
    char out[64];
    using esc::detail::charset;
    CHECK(esc::detail::parse_charset("ISO-8859-2") == charset::latin2);
    CHECK(esc::detail::parse_charset("windows-1250") == charset::windows1250);
    CHECK(esc::detail::parse_charset("cp1251") == charset::windows1251);
    CHECK(esc::detail::parse_charset("\"KOI8-R\"") == charset::koi8r);
    // "Skrzynka pełna" in ISO-8859-2 and windows-1250 (ł is 0xB3 in both).
    CHECK(esc::detail::to_utf8(charset::latin2, "pe\xb3na", out, out + sizeof out).text == "pe\xc5\x82na");
    CHECK(esc::detail::to_utf8(charset::windows1250, "\x9cwiat", out, out + sizeof out).text == "\xc5\x9bwiat"); // świat
    // "Нет" in windows-1251 and KOI8-R.
    CHECK(esc::detail::to_utf8(charset::windows1251, "\xcd\xe5\xf2", out, out + sizeof out).text ==
          "\xd0\x9d\xd0\xb5\xd1\x82");
    CHECK(esc::detail::to_utf8(charset::koi8r, "\xee\xc5\xd4", out, out + sizeof out).text == "\xd0\x9d\xd0\xb5\xd1\x82");
    // A Russian bounce in KOI8-R: the classifier reads it.
    const std::string message = "From: MAILER-DAEMON@example.ru\r\nSubject: failure\r\nMIME-Version: 1.0\r\n"
                                "Content-Type: text/plain; charset=koi8-r\r\n\r\n"
                                "<user@example.ru>: 550 \xf0\xcf\xcc\xd8\xda\xcf\xd7\xc1\xd4\xc5\xcc\xd8 \xce\xc5 "
                                "\xce\xc1\xca\xc4\xc5\xce\r\n";
    const esc::owned_bounce b = esc::read_bounce(message);
    REQUIRE(b.report.count >= 1);
    CHECK(b.report.recipients[0].classification.reason == esc::reason::mailbox_unknown);
}
