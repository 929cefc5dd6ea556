// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The log readers of the esc tool: examples/esc/log_parser.hpp (the lines of
// Postfix, Exim and sendmail logs behind syslog, RFC 3339, RFC 5424 and Exim
// headers) and examples/esc/log_time.hpp (their timestamps, --since/--until).
// The lines are written for these tests in the forms the MTAs log.
#include "../examples/esc/log_parser.hpp"
#include "../examples/esc/log_time.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using esc_cli::disposition_kind;
using esc_cli::event_kind;
using esc_cli::log_event;
using esc_cli::log_format;
using esc_cli::parse_log_event;
using esc_cli::parse_log_line;

namespace {

bool inside(std::string_view part, std::string_view whole) {
    if (part.data() == nullptr) return part.empty();
    const std::less_equal<const char*> le;
    return le(whole.data(), part.data()) && le(part.data() + part.size(), whole.data() + whole.size());
}

std::vector<std::string_view> views_of(const log_event& e) {
    return {e.timestamp, e.queue_id,          e.sender,           e.message_id,          e.relay,
            e.client,    e.text,              e.program,          e.attempt.recipients,  e.attempt.dsn,
            e.attempt.text};
}

// Every view of the event lies inside the line.
void check_inside(const log_event& e, std::string_view line) {
    for (std::string_view v : views_of(e)) CHECK(inside(v, line));
}

log_event event_of(std::string_view line) {
    const std::optional<log_event> e = parse_log_event(line);
    REQUIRE_MESSAGE(e.has_value(), line);
    check_inside(*e, line);
    return *e;
}

// The samples below, for the truncation and equivalence checks.
const char* const postfix_bounce =
    "Nov 28 10:00:01 mx1 postfix/smtp[1234]: 4F2A1C0D3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, "
    "delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 "
    "<bob@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))";
const char* const rfc3339_sent =
    "2026-11-28T10:00:01.123456+00:00 mx1 postfix/smtp[1234]: 5B3C2D1E4: to=<carol@example.net>, "
    "relay=mail.example.net[192.0.2.2]:25, delay=0.8, delays=0.1/0/0.3/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok)";
const char* const short_iso_deferred =
    "2026-11-28T10:00:01+0100 mx1 postfix/smtp[1236]: 6C4D3E2F5: to=<dave@example.net>, "
    "relay=mail.example.net[192.0.2.2]:25, delay=301, delays=300/0/0.5/0.5, dsn=4.7.1, status=deferred (host "
    "mail.example.net[192.0.2.2] said: 450 4.7.1 Greylisted for 300 seconds (in reply to RCPT TO command))";
const char* const rfc5424_deferred =
    "<22>1 2026-11-28T10:00:01.003Z mx1 postfix/smtp 1237 - - 7D5E4F3A6: to=<erin@slow.example>, relay=none, "
    "delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.slow.example[203.0.113.5]:25: "
    "Connection timed out)";
// Structured data that holds what the '=' scan looks for: it must not be read as the delivery.
const char* const rfc5424_with_data =
    "<22>1 2026-11-28T10:00:02.5+01:00 mx1 postfix/smtp 1238 SMTPOUT [origin status=\"x\\]y: to=<z>\" "
    "software=\"postfix\"][meta sequenceId=\"7\"] 8E6F5A4B7: to=<frank@example.org>, relay=mx.example.org[192.0.2.3]:25, "
    "delay=1, delays=0.1/0/0.4/0.5, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.3] said: 550 mailbox "
    "unavailable (in reply to RCPT TO command))";
const char* const exim_failed =
    "2026-11-28 10:01:01 1tQx7a-000Abc-4Z ** ivan@example.com R=dnslookup T=remote_smtp H=mx.example.com "
    "[192.0.2.1] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT "
    "TO:<ivan@example.com>: 550 5.1.1 User unknown";
const char* const exim_zone_pid =
    "2026-11-28 10:01:02.345 +0100 [4242] 1tQx7a-000Abc-4Z => judy@example.net R=dnslookup T=remote_smtp "
    "H=mail.example.net [192.0.2.2] C=\"250 2.0.0 Ok: queued as 1D2E3F4A5\"";
const char* const exim_syslog =
    "Nov 28 10:01:03 mx3 exim[4243]: 1tQx7b-000Abd-5Y == niaj@bigmail.example R=dnslookup T=remote_smtp defer "
    "(-44) H=mx1.bigmail.example [198.51.100.20]: SMTP error from remote mail server after RCPT "
    "TO:<niaj@bigmail.example>: 452 4.2.2 Mailbox over quota";
const char* const sendmail_bounce =
    "Nov 28 10:02:01 mx2 sm-mta[5502]: 4ASA01x1001234: to=<sybil@example.com>,<trent@example.com>, "
    "delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=150437, relay=mx.example.com. [192.0.2.1], dsn=5.1.1, "
    "stat=User unknown";
const char* const sendmail_deferred_days =
    "Nov 28 10:02:03 mx2 sm-mta[5504]: 4ASA01x1001236: to=walter@bigmail.example, delay=1+02:03:04, "
    "xdelay=00:00:30, mailer=esmtp, pri=210437, relay=mx1.bigmail.example. [198.51.100.20], dsn=4.0.0, "
    "stat=Deferred: Connection timed out with mx1.bigmail.example.";

const char* const postfix_arrival =
    "Nov 28 10:00:00 mx1 postfix/qmgr[1102]: 4F2A1C0D3: from=<alice@example.org>, size=4312, nrcpt=2 (queue active)";
const char* const postfix_null_sender =
    "Nov 28 10:00:00 mx1 postfix/qmgr[1102]: 4F2A1C0D4: from=<>, size=2101, nrcpt=1 (queue active)";
const char* const postfix_message_id =
    "Nov 28 10:00:00 mx1 postfix/cleanup[1101]: 4F2A1C0D3: message-id=<20261128100000.4F2A1C0D3@example.org>";
const char* const postfix_removed = "Nov 28 10:00:02 mx1 postfix/qmgr[1102]: 4F2A1C0D3: removed";
const char* const smtpd_rcpt_reject =
    "Nov 28 10:03:00 mx1 postfix/smtpd[2310]: NOQUEUE: reject: RCPT from unknown[192.0.2.77]: 554 5.7.1 "
    "<someone@example.net>: Relay access denied; from=<spam@example.biz> to=<someone@example.net> proto=ESMTP "
    "helo=<bad.example>";
const char* const smtpd_data_reject =
    "Nov 28 10:03:01 mx1 postfix/smtpd[2311]: 9A8B7C6D5: reject: DATA from relay.example.biz[192.0.2.78]: 550 5.5.3 "
    "<DATA>: Data command rejected: Multi-recipient bounce; from=<> proto=ESMTP helo=<relay.example.biz>";
const char* const smtpd_connect_reject =
    "Nov 28 10:03:02 mx1 postfix/smtpd[2312]: NOQUEUE: reject: CONNECT from unknown[192.0.2.79]: 554 5.7.1 "
    "<unknown[192.0.2.79]>: Client host rejected: Access denied; proto=SMTP";
const char* const milter_reject =
    "Nov 28 10:03:03 mx1 postfix/cleanup[1101]: 5B3C2D1E4: milter-reject: END-OF-MESSAGE from "
    "app.example.org[192.0.2.8]: 5.7.1 Spam message rejected; from=<a@example.org> to=<b@example.com> proto=ESMTP "
    "helo=<app.example.org>";
const char* const postscreen_reject =
    "Nov 28 10:03:04 mx1 postfix/postscreen[123]: NOQUEUE: reject: RCPT from [192.0.2.1]:5678: 550 5.7.1 Service "
    "unavailable; client [192.0.2.1] blocked using zen.spamhaus.org; from=<a@example.biz>, to=<b@example.com>, "
    "proto=ESMTP, helo=<x.example>";
const char* const header_check_reject =
    "Nov 28 10:03:05 mx1 postfix/cleanup[1101]: 6C4D3E2F6: reject: header Subject: cheap watches from "
    "app.example.org[192.0.2.8]; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<app.example.org>: 5.7.1 "
    "No watches here";
const char* const exim_arrival =
    "2026-11-28 10:01:00 1tQx7a-000Abc-4Z <= news@example.org H=app1.example.org [192.0.2.10] P=esmtpa S=4312 "
    "id=20261128100100.1@example.org";
const char* const exim_bounce_arrival =
    "2026-11-28 10:01:00 +0100 [3131] 1tQx7e-000Abg-8V <= <> R=1tQx7a-000Abc-4Z U=Debian-exim P=local S=1500";
const char* const exim_completed = "2026-11-28 10:01:08 1tQx7a-000Abc-4Z Completed";
const char* const exim_rcpt_reject =
    "2026-11-28 10:04:00 H=mail.example.biz [192.0.2.90] F=<a@example.biz> rejected RCPT <x@example.org>: relay not "
    "permitted";
const char* const exim_greylist_reject =
    "2026-11-28 10:04:01 H=(helo.example.biz) [192.0.2.91]:40123 F=<a@example.biz> temporarily rejected RCPT "
    "<x@example.org>: greylisted, try later";
const char* const exim_data_reject =
    "2026-11-28 10:04:02 1tQx7f-000Abh-9U H=mail.example.biz [192.0.2.92] F=<a@example.biz> rejected after DATA: "
    "this message looks like spam";
const char* const sendmail_arrival =
    "Nov 28 10:02:00 mx2 sm-mta[5501]: 4ASA01x1001234: from=<news@example.org>, size=4312, class=0, nrcpts=2, "
    "msgid=<x.1@example.org>, proto=ESMTP, daemon=MTA, relay=app1.example.org [192.0.2.10]";
const char* const sendmail_reject =
    "Nov 28 10:02:04 mx2 sm-mta[5507]: 4ASA01x1001239: ruleset=check_rcpt, arg1=<x@example.org>, "
    "relay=bad.example [192.0.2.66], reject=550 5.7.1 <x@example.org>... Relaying denied";

const char* const all_samples[] = {
    postfix_bounce,      rfc3339_sent,      short_iso_deferred,   rfc5424_deferred,    rfc5424_with_data,
    exim_failed,         exim_zone_pid,     exim_syslog,          sendmail_bounce,     sendmail_deferred_days,
    postfix_arrival,     postfix_null_sender, postfix_message_id, postfix_removed,     smtpd_rcpt_reject,
    smtpd_data_reject,   smtpd_connect_reject, milter_reject,     postscreen_reject,   header_check_reject,
    exim_arrival,        exim_bounce_arrival, exim_completed,     exim_rcpt_reject,    exim_greylist_reject,
    exim_data_reject,    sendmail_arrival,  sendmail_reject};

} // namespace

TEST_SUITE("log_parser") {

TEST_CASE("delivery lines: the attempt is parse_log_line()'s, with when, where and how long") {
    for (const char* sample : {postfix_bounce, rfc3339_sent, short_iso_deferred, rfc5424_deferred, rfc5424_with_data,
                               exim_failed, exim_zone_pid, exim_syslog, sendmail_bounce, sendmail_deferred_days}) {
        const std::string_view line = sample;
        CAPTURE(line);
        const log_event e = event_of(line);
        CHECK(e.kind == event_kind::delivery);
        const auto a = parse_log_line(line);
        REQUIRE(a);
        CHECK(e.attempt.kind == a->kind);
        CHECK(e.attempt.format == a->format);
        CHECK(e.format == a->format);
        CHECK(e.attempt.recipients.data() == a->recipients.data());
        CHECK(e.attempt.recipients == a->recipients);
        CHECK(e.attempt.text.data() == a->text.data());
        CHECK(e.attempt.text == a->text);
        CHECK(e.attempt.dsn == a->dsn);
        CHECK(e.attempt.disposition == a->disposition);
        const esc_cli::log_context c = esc_cli::context_of(line, *a);
        CHECK(e.timestamp == c.timestamp);
        CHECK(e.queue_id == c.queue_id);
        CHECK(e.relay == c.relay);
    }
}

TEST_CASE("Postfix delivery behind each header") {
    log_event e = event_of(postfix_bounce);
    CHECK(e.timestamp == "Nov 28 10:00:01");
    CHECK(e.queue_id == "4F2A1C0D3");
    CHECK(e.program == "postfix/smtp");
    CHECK(e.relay == "mx.example.com[192.0.2.1]:25");
    CHECK(e.delay == doctest::Approx(1.2));
    CHECK(e.attempt.kind == disposition_kind::bounced);
    CHECK(e.attempt.recipients == "bob@example.com");
    CHECK(e.attempt.dsn == "5.1.1");

    e = event_of(rfc3339_sent);
    CHECK(e.timestamp == "2026-11-28T10:00:01.123456+00:00");
    CHECK(e.queue_id == "5B3C2D1E4");
    CHECK(e.attempt.kind == disposition_kind::sent);
    CHECK(e.delay == doctest::Approx(0.8));

    e = event_of(short_iso_deferred);
    CHECK(e.timestamp == "2026-11-28T10:00:01+0100");
    CHECK(e.attempt.kind == disposition_kind::deferred);
    CHECK(e.delay == doctest::Approx(301));

    e = event_of(rfc5424_deferred);
    CHECK(e.timestamp == "2026-11-28T10:00:01.003Z");
    CHECK(e.program == "postfix/smtp");
    CHECK(e.queue_id == "7D5E4F3A6");
    CHECK(e.relay == "none");
    CHECK(e.attempt.recipients == "erin@slow.example");
    CHECK(e.attempt.text == "connect to mx.slow.example[203.0.113.5]:25: Connection timed out");

    e = event_of(rfc5424_with_data);
    CHECK(e.timestamp == "2026-11-28T10:00:02.5+01:00");
    CHECK(e.program == "postfix/smtp");
    CHECK(e.attempt.kind == disposition_kind::bounced);
    CHECK(e.attempt.recipients == "frank@example.org");
    CHECK(e.attempt.dsn == "5.0.0");
}

TEST_CASE("Exim and sendmail deliveries") {
    log_event e = event_of(exim_failed);
    CHECK(e.format == log_format::exim);
    CHECK(e.timestamp == "2026-11-28 10:01:01");
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");
    CHECK(e.relay == "mx.example.com [192.0.2.1]");
    CHECK(e.delay == -1);
    CHECK(e.attempt.kind == disposition_kind::bounced);

    e = event_of(exim_zone_pid);
    CHECK(e.timestamp == "2026-11-28 10:01:02.345 +0100");
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");
    CHECK(e.attempt.kind == disposition_kind::sent);
    CHECK(e.attempt.text == "250 2.0.0 Ok: queued as 1D2E3F4A5");

    // Exim logging to syslog writes no time stamp of its own.
    e = event_of(exim_syslog);
    CHECK(e.format == log_format::exim);
    CHECK(e.timestamp == "Nov 28 10:01:03");
    CHECK(e.program == "exim");
    CHECK(e.queue_id == "1tQx7b-000Abd-5Y");
    CHECK(e.relay == "mx1.bigmail.example [198.51.100.20]");
    CHECK(e.attempt.kind == disposition_kind::deferred);
    CHECK(e.attempt.recipients == "niaj@bigmail.example");

    e = event_of(sendmail_bounce);
    CHECK(e.format == log_format::sendmail);
    CHECK(e.queue_id == "4ASA01x1001234");
    CHECK(e.relay == "mx.example.com. [192.0.2.1]");
    CHECK(e.delay == 1);
    e = event_of(sendmail_deferred_days);
    CHECK(e.delay == 86400 + 2 * 3600 + 3 * 60 + 4);
    CHECK(e.attempt.kind == disposition_kind::deferred);
}

TEST_CASE("Postfix arrivals, message-ids and removals") {
    log_event e = event_of(postfix_arrival);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.format == log_format::postfix);
    CHECK(e.queue_id == "4F2A1C0D3");
    CHECK(e.sender == "alice@example.org");
    CHECK(e.size == 4312);
    CHECK(e.program == "postfix/qmgr");

    e = event_of(postfix_null_sender);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.sender.empty());
    CHECK(e.size == 2101);

    e = event_of(postfix_message_id);
    CHECK(e.kind == event_kind::message_id);
    CHECK(e.message_id == "20261128100000.4F2A1C0D3@example.org");
    CHECK(e.queue_id == "4F2A1C0D3");

    e = event_of(postfix_removed);
    CHECK(e.kind == event_kind::removed);
    CHECK(e.queue_id == "4F2A1C0D3");
    CHECK(e.timestamp == "Nov 28 10:00:02");

    // Behind an RFC 5424 header too.
    const std::string_view in_5424 =
        "<22>1 2026-11-28T10:00:00Z mx1 postfix/qmgr 1102 - - 4F2A1C0D3: from=<alice@example.org>, size=4312, nrcpt=2 "
        "(queue active)";
    e = event_of(in_5424);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.timestamp == "2026-11-28T10:00:00Z");
    CHECK(e.sender == "alice@example.org");
}

TEST_CASE("Postfix inbound rejects: smtpd, milter, postscreen, header checks") {
    log_event e = event_of(smtpd_rcpt_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.queue_id.empty());
    CHECK(e.client == "unknown[192.0.2.77]");
    CHECK(e.text == "554 5.7.1 <someone@example.net>: Relay access denied");

    e = event_of(smtpd_data_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.queue_id == "9A8B7C6D5");
    CHECK(e.client == "relay.example.biz[192.0.2.78]");
    CHECK(e.text == "550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce");

    e = event_of(smtpd_connect_reject);
    CHECK(e.client == "unknown[192.0.2.79]");
    CHECK(e.text == "554 5.7.1 <unknown[192.0.2.79]>: Client host rejected: Access denied");

    e = event_of(milter_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.queue_id == "5B3C2D1E4");
    CHECK(e.client == "app.example.org[192.0.2.8]");
    CHECK(e.text == "5.7.1 Spam message rejected");

    e = event_of(postscreen_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.program == "postfix/postscreen");
    CHECK(e.client == "[192.0.2.1]"); // the port changes with each connection: no part of who the client is
    CHECK(e.text == "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org");

    e = event_of(header_check_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "app.example.org[192.0.2.8]");
    CHECK(e.text == "5.7.1 No watches here");

    // IPv6 clients keep their colons.
    const std::string_view v6 = "Nov 28 10:03:06 mx1 postfix/smtpd[2313]: NOQUEUE: reject: RCPT from "
                                "unknown[2001:db8::7]: 450 4.7.1 Client host rejected: cannot find your hostname; "
                                "from=<a@example.biz> to=<b@example.com> proto=ESMTP helo=<x>";
    e = event_of(v6);
    CHECK(e.client == "unknown[2001:db8::7]");
    CHECK(e.text == "450 4.7.1 Client host rejected: cannot find your hostname");
}

TEST_CASE("postscreen and smtpd lines that are not rejects") {
    for (std::string_view line : {
             "Nov 28 10:03:04 mx1 postfix/postscreen[123]: DNSBL rank 5 for [192.0.2.1]:5678",
             "Nov 28 10:03:04 mx1 postfix/postscreen[123]: PREGREET 14 after 0.12 from [192.0.2.1]:5678: EHLO x\\r\\n",
             "Nov 28 10:03:04 mx1 postfix/postscreen[123]: CONNECT from [192.0.2.1]:5678 to [192.0.2.200]:25",
             "Nov 28 10:03:04 mx1 postfix/postscreen[123]: DISCONNECT [192.0.2.1]:5678",
             "Nov 28 10:03:04 mx1 postfix/smtpd[2310]: connect from unknown[192.0.2.77]",
             "Nov 28 10:03:04 mx1 postfix/smtpd[2310]: NOQUEUE: reject_warning: RCPT from unknown[192.0.2.77]: 450 "
             "4.7.1 Client host rejected; from=<a@example.biz> to=<b@example.com> proto=ESMTP helo=<x>",
             "Nov 28 10:03:04 mx1 postfix/smtpd[2310]: 4F2A1C0D3: client=unknown[192.0.2.77]",
             "Nov 28 10:03:04 mx1 postfix/pickup[1100]: 4F2A1C0D3: uid=1000 from=<alice>",
             "Nov 28 10:03:04 mx1 postfix/anvil[1105]: statistics: max connection rate 1/60s for (smtp:192.0.2.1)",
             "Nov 28 10:00:10 mx1 systemd[1]: postfix.service: Main process exited, code=exited, status=1/FAILURE",
         }) {
        CAPTURE(line);
        CHECK_FALSE(parse_log_event(line).has_value());
    }
}

TEST_CASE("Exim arrivals, completions and rejects (main log and reject log)") {
    log_event e = event_of(exim_arrival);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.format == log_format::exim);
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");
    CHECK(e.sender == "news@example.org");
    CHECK(e.size == 4312);
    CHECK(e.message_id == "20261128100100.1@example.org");

    e = event_of(exim_bounce_arrival);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.timestamp == "2026-11-28 10:01:00 +0100");
    CHECK(e.queue_id == "1tQx7e-000Abg-8V");
    CHECK(e.sender.empty());
    CHECK(e.size == 1500);

    e = event_of(exim_completed);
    CHECK(e.kind == event_kind::removed);
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");

    e = event_of(exim_rcpt_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.queue_id.empty());
    CHECK(e.client == "mail.example.biz [192.0.2.90]");
    CHECK(e.text == "relay not permitted");

    e = event_of(exim_greylist_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "[192.0.2.91]"); // the HELO is the client's choice, the port changes
    CHECK(e.text == "greylisted, try later");

    e = event_of(exim_data_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.queue_id == "1tQx7f-000Abh-9U");
    CHECK(e.text == "this message looks like spam");

    const std::string_view ehlo = "2026-11-28 10:04:03 rejected EHLO from [192.0.2.93]:4000: syntactically invalid "
                                  "argument(s): bad_name";
    e = event_of(ehlo);
    CHECK(e.client == "[192.0.2.93]");
    CHECK(e.text == "syntactically invalid argument(s): bad_name");

    // A reject log entry: the line as in the main log, then the envelope and a header dump,
    // which are no events even when a header says "rejected".
    const std::string_view reject_log[] = {
        exim_rcpt_reject,
        "Envelope-from: <a@example.biz>",
        "Envelope-to: <x@example.org>",
        "P Received: from mail.example.biz ([192.0.2.90]) by mx.example.org with esmtp id 1tQx7g-000Abi-0T",
        "  for x@example.org; Sat, 28 Nov 2026 10:04:00 +0000",
        "  Subject: your message was rejected RCPT <x>: again",
        "I Message-ID: <m1@example.biz>",
        "F From: <a@example.biz>",
    };
    int rejects = 0, others = 0;
    for (std::string_view line : reject_log) {
        const auto ev = parse_log_event(line);
        if (ev && ev->kind == event_kind::inbound_reject) ++rejects;
        else if (ev) ++others;
    }
    CHECK(rejects == 1);
    CHECK(others == 0);
}

TEST_CASE("Exim behind RFC 3339 and RFC 5424 headers") {
    const std::string_view iso = "2026-11-28T10:01:00.5+01:00 mx3 exim4[900]: 1tQx7a-000Abc-4Z ** ivan@example.com "
                                 "R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from remote mail "
                                 "server after RCPT TO:<ivan@example.com>: 550 5.1.1 User unknown";
    log_event e = event_of(iso);
    CHECK(e.kind == event_kind::delivery);
    CHECK(e.format == log_format::exim);
    CHECK(e.timestamp == "2026-11-28T10:01:00.5+01:00");
    CHECK(e.program == "exim4");
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");
    CHECK(e.attempt.kind == disposition_kind::bounced);
    CHECK(e.attempt.text == "SMTP error from remote mail server after RCPT TO:<ivan@example.com>: 550 5.1.1 User unknown");

    const std::string_view rfc5424 =
        "<22>1 2026-11-28T10:01:01Z mx3 exim 900 - - 1tQx7a-000Abc-4Z <= news@example.org H=app1.example.org "
        "[192.0.2.10] P=esmtpa S=812";
    e = event_of(rfc5424);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.timestamp == "2026-11-28T10:01:01Z");
    CHECK(e.sender == "news@example.org");
    CHECK(e.size == 812);

    const std::string_view syslog_completed = "Nov 28 10:01:02 mx3 exim[900]: 1tQx7a-000Abc-4Z Completed";
    e = event_of(syslog_completed);
    CHECK(e.kind == event_kind::removed);
    CHECK(e.queue_id == "1tQx7a-000Abc-4Z");

    const std::string_view syslog_reject = "Nov 28 10:01:03 mx3 exim[901]: H=(x.example.biz) [192.0.2.95] "
                                           "F=<a@example.biz> rejected RCPT <b@example.org>: Unrouteable address";
    e = event_of(syslog_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "[192.0.2.95]"); // without the HELO the client chose
    CHECK(e.text == "Unrouteable address");
}

TEST_CASE("sendmail arrivals and rejects") {
    log_event e = event_of(sendmail_arrival);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.format == log_format::sendmail);
    CHECK(e.queue_id == "4ASA01x1001234");
    CHECK(e.sender == "news@example.org");
    CHECK(e.size == 4312);
    CHECK(e.message_id == "x.1@example.org");

    e = event_of(sendmail_reject);
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.format == log_format::sendmail);
    CHECK(e.queue_id == "4ASA01x1001239");
    CHECK(e.client == "bad.example [192.0.2.66]");
    CHECK(e.text == "550 5.7.1 <x@example.org>... Relaying denied");

    // sendmail's "stat=queued" is no attempt, as before.
    CHECK_FALSE(parse_log_event("Nov 28 10:02:05 mx2 sm-msp-queue[5506]: 4ASA01x1001238: to=root, ctladdr=root (0/0), "
                                "delay=00:00:00, xdelay=00:00:00, mailer=relay, pri=30000, relay=[127.0.0.1], "
                                "dsn=4.0.0, stat=queued")
                    .has_value());
}

TEST_CASE("deferrals without an attempt, and address-verification probes") {
    for (std::string_view line : {
             "2026-11-28 10:05:00 1tQx7b-000Abd-5Y == niaj@bigmail.example R=dnslookup T=remote_smtp defer (-1): retry "
             "time not reached",
             "2026-11-28 10:05:01 1tQx7b-000Abd-5Y == niaj@bigmail.example R=dnslookup T=remote_smtp defer (-53): "
             "retry time not reached for any host for 'bigmail.example'",
             "2026-11-28 10:05:02 1tQx7b-000Abd-5Y == olivia@slow.example routing defer (-51): retry time not reached",
             "Nov 28 10:05:03 mx1 postfix/error[3130]: 64834E682: to=<rupert@smallbiz.example>, relay=none, "
             "delay=4000, delays=4000/0.02/0/0.01, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect "
             "to mail.smallbiz.example[203.0.113.88]:25: Connection timed out)",
         }) {
        CAPTURE(line);
        const auto a = parse_log_line(line);
        REQUIRE(a);
        CHECK(a->kind == disposition_kind::not_attempted);
        CHECK(a->disposition == "deferred"); // as logged
        CHECK(event_of(line).attempt.kind == disposition_kind::not_attempted);
    }
    // A deferral that did try stays one.
    const auto tried = parse_log_line(exim_syslog);
    REQUIRE(tried);
    CHECK(tried->kind == disposition_kind::deferred);

    for (std::string_view line : {
             "Nov 28 10:05:04 mx1 postfix/smtp[3131]: 75A4B3C2D: to=<probe@example.net>, "
             "relay=mx.example.net[192.0.2.2]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.1.5, status=deliverable (250 "
             "2.1.5 Ok)",
             "Nov 28 10:05:05 mx1 postfix/smtp[3132]: 75A4B3C2E: to=<nobody@example.net>, "
             "relay=mx.example.net[192.0.2.2]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=undeliverable (host "
             "mx.example.net[192.0.2.2] said: 550 5.1.1 No such user (in reply to RCPT TO command))",
         }) {
        CAPTURE(line);
        const auto a = parse_log_line(line);
        REQUIRE(a);
        CHECK(a->kind == disposition_kind::probe);
    }
    CHECK(esc_cli::to_string(disposition_kind::not_attempted) == "not_attempted");
    CHECK(esc_cli::to_string(disposition_kind::probe) == "probe");
    // cmd_scan.cpp sizes its tables by malformed being the last kind.
    CHECK(static_cast<int>(disposition_kind::malformed) > static_cast<int>(disposition_kind::probe));
    CHECK(static_cast<int>(disposition_kind::probe) > static_cast<int>(disposition_kind::not_attempted));
}

TEST_CASE("headers: the parts before the message") {
    using esc_cli::log_detail::split_header;
    auto h = split_header("Nov  1 09:08:07 mx1 postfix/smtpd[1]: connect from x[192.0.2.1]");
    CHECK(h.known);
    CHECK(h.timestamp == "Nov  1 09:08:07");
    CHECK(h.host == "mx1");
    CHECK(h.program == "postfix/smtpd");
    CHECK(h.message == "connect from x[192.0.2.1]");

    h = split_header("<14>1 - - - - - - hello");
    CHECK(h.known);
    CHECK(h.timestamp.empty());
    CHECK(h.program.empty());
    CHECK(h.message == "hello");

    h = split_header("<22>1 2026-11-28T10:00:01Z mx1 postfix/smtp 1 - [a b=\"c\\\"]\"] \xEF\xBB\xBFtext");
    CHECK(h.known);
    CHECK(h.message == "text");

    // Structured data that never closes is no RFC 5424 header.
    h = split_header("<22>1 2026-11-28T10:00:01Z mx1 postfix/smtp 1 - [a b=\"c]");
    CHECK_FALSE(h.known);

    h = split_header("2026-11-28 10:00:01.5 -0130 1tQx7a-000Abc-4Z Completed");
    CHECK(h.exim_stamp);
    CHECK(h.timestamp == "2026-11-28 10:00:01.5 -0130");
    CHECK(h.message == "1tQx7a-000Abc-4Z Completed");
}

TEST_CASE("garbage and truncated lines: nullopt or views inside, never a read past the end") {
    for (std::string_view line : {"", " ", "garbage", "=", "status=", " status=", ": to=<", "<", "<>", "<22>1",
                                  "<22>1 ", "2026-11-28", "2026-11-28 10:00:01", "Nov 28 10:00:01",
                                  "Nov 28 10:00:01 ", "Nov 28 10:00:01 host", "NOQUEUE: reject: RCPT from"}) {
        CAPTURE(line);
        const auto e = parse_log_event(line);
        if (e) check_inside(*e, line);
    }
    CHECK_FALSE(parse_log_event("garbage").has_value());
    // Found by fuzz/scan_line: an Exim-looking stamp whose time runs to the end of a long line
    // left the reader one past the end (std::out_of_range from a noexcept function).
    for (std::string_view stamp_only : {"2026-11-28 10:00:00.000000000000000000000000000000000",
                                        "2026-11-28 10:00:00 +0100+0100+0100+0100+0100+0100+0"}) {
        CAPTURE(stamp_only);
        CHECK_FALSE(parse_log_line(stamp_only).has_value());
        const auto e = parse_log_event(stamp_only);
        if (e) check_inside(*e, stamp_only);
    }
    CHECK_FALSE(parse_log_event("Nov 28 10:00:01 mx1 kernel: eth0: link up").has_value());
    // Every prefix of every sample, each in a buffer of its own size: what a line cut by
    // syslog or by the end of a file gives.
    for (const char* sample : all_samples) {
        const std::string_view whole = sample;
        for (std::size_t n = 0; n <= whole.size(); ++n) {
            const std::unique_ptr<char[]> buffer(new char[n == 0 ? 1 : n]);
            for (std::size_t i = 0; i < n; ++i) buffer[i] = whole[i];
            const std::string_view line(buffer.get(), n);
            const auto e = parse_log_event(line);
            if (!e) continue;
            for (std::string_view v : views_of(*e)) REQUIRE(inside(v, line));
        }
    }
}

TEST_CASE("every sample is an event") {
    int events = 0;
    for (const char* sample : all_samples) {
        CAPTURE(sample);
        CHECK(parse_log_event(sample).has_value());
        ++events;
    }
    CHECK(events == 28);
}

} // TEST_SUITE("log_parser")

TEST_SUITE("log_time") {

using esc_cli::parse_log_time;
using esc_cli::parse_time_argument;
using esc_cli::year_context_for;

constexpr std::int64_t nov28_100001 = 1795860001; // 2026-11-28T10:00:01Z

TEST_CASE("RFC 3339, short-iso and Exim stamps with their offsets") {
    const auto years = year_context_for(nov28_100001);
    CHECK(parse_log_time("2026-11-28T10:00:01Z", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28T10:00:01.123456+00:00", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28T11:00:01+01:00", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28T11:00:01+0100", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28T08:30:01.5-01:30", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28T10:00:01", years) == nov28_100001); // no zone: UTC as written
    CHECK(parse_log_time("2026-11-28 10:00:01", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28 11:00:01 +0100", years) == nov28_100001);
    CHECK(parse_log_time("2026-11-28 11:00:01.250 +0100", years) == nov28_100001);
    CHECK(parse_log_time("1970-01-01T00:00:00Z", years) == 0);
    CHECK(parse_log_time("1969-12-31T23:59:59Z", years) == -1);
    CHECK(parse_log_time("2000-03-01T00:00:00Z", years) == 951868800);
    CHECK(parse_log_time("2024-02-29T12:00:00Z", years) == 1709208000);
    CHECK(parse_log_time("9999-12-31T23:59:59Z", years) == 253402300799);
}

TEST_CASE("syslog times: the year from the reference") {
    const auto years = year_context_for(nov28_100001);
    CHECK(parse_log_time("Nov 28 10:00:01", years) == nov28_100001);
    CHECK(parse_log_time("Nov 28 09:00:01", years) == nov28_100001 - 3600);
    // Up to a day after the reference is still this year...
    CHECK(parse_log_time("Nov 29 10:00:01", years) == nov28_100001 + 86400);
    // ...later is the year before.
    CHECK(parse_log_time("Nov 29 10:00:02", years) == nov28_100001 + 86401 - 365 * 86400);
    CHECK(parse_log_time("Dec 31 23:59:59", years) == 1767225599); // 2025-12-31

    // A file that runs over New Year, modified just after midnight.
    const auto new_year = year_context_for(1798761630); // 2027-01-01T00:00:30Z
    CHECK(parse_log_time("Dec 31 23:59:59", new_year) == 1798761599); // 2026
    CHECK(parse_log_time("Jan  1 00:00:30", new_year) == 1798761630); // 2027
    // The reference on Dec 31: a Jan 1 line within the day of slack is the next year.
    const auto old_year = year_context_for(1798761599);
    CHECK(parse_log_time("Jan  1 00:00:30", old_year) == 1798761630);
    CHECK(parse_log_time("Dec 31 23:59:59", old_year) == 1798761599);

    // Feb 29 goes back to the last leap year that is not after the reference.
    CHECK(parse_log_time("Feb 29 12:00:00", years) == 1709208000); // 2024
    CHECK(parse_log_time("Nov  1 00:00:00", years) == 1795824000 - 27 * 86400);
}

TEST_CASE("bad timestamps") {
    const auto years = year_context_for(nov28_100001);
    for (std::string_view bad : {"", "Nov", "Nov 28", "Nov 28 10:00", "Foo 28 10:00:01", "Nov 32 10:00:01",
                                 "Nov 28 24:00:01", "Nov 28 10:60:01", "Nov 28 10:00:01 ", "nov 28 10:00:01",
                                 "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
                                 "2026-11-28T10:00", "2026-11-28", "2026-11-28T10:00:01+2500", "2026-11-28T10:00:01+01:",
                                 "2026-11-28T10:00:01Zjunk", "2026-11-28T10:00:01.", "2026-11-28x10:00:01",
                                 "0000-01-01T00:00:00Z", "26-11-28T10:00:01Z", "2026-11-28 10:00:01 +01000"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_log_time(bad, years).has_value());
    }
    // Truncations of a good stamp, each in a buffer of its own size.
    const std::string_view good = "2026-11-28T10:00:01.123456+01:00";
    for (std::size_t n = 0; n < good.size(); ++n) {
        const std::unique_ptr<char[]> buffer(new char[n == 0 ? 1 : n]);
        for (std::size_t i = 0; i < n; ++i) buffer[i] = good[i];
        const auto t = parse_log_time(std::string_view(buffer.get(), n), years);
        // Cut inside the fraction or the zone, some prefixes are times themselves.
        if (t) CHECK(n >= 19);
    }
}

TEST_CASE("--since and --until arguments") {
    const std::int64_t now = nov28_100001;
    CHECK(parse_time_argument("2026-11-28", now) == 1795824000);
    CHECK(parse_time_argument("2026-11-28 10:00", now) == 1795860000);
    CHECK(parse_time_argument("2026-11-28T10:00", now) == 1795860000);
    CHECK(parse_time_argument("2026-11-28T10:00:01", now) == nov28_100001);
    CHECK(parse_time_argument("2026-11-28T10:00:01Z", now) == nov28_100001);
    CHECK(parse_time_argument("2026-11-28T11:00:01+01:00", now) == nov28_100001);
    CHECK(parse_time_argument("2026-11-28 11:00+0100", now) == 1795860000);
    CHECK(parse_time_argument("-2h", now) == now - 7200);
    CHECK(parse_time_argument("-30m", now) == now - 1800);
    CHECK(parse_time_argument("-7d", now) == now - 7 * 86400);
    CHECK(parse_time_argument("-0d", now) == now);
    CHECK(parse_time_argument("today", now) == 1795824000);
    CHECK(parse_time_argument("yesterday", now) == 1795737600);
    CHECK(parse_time_argument("today", -1) == -86400); // before the epoch, midnight is still below

    for (std::string_view bad : {"", "now", "Today", "tomorrow", "-", "-h", "2h", "-2", "-2x", "-2hours", "+2h",
                                 "-99999999999d", "2026-11-28T", "2026-11-28 10", "2026-11-28 10:00:0",
                                 "2026-11-28 25:00", "2026/11/28", "28-11-2026", "2026-11-28 10:00 junk",
                                 "Nov 28 10:00:01"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_time_argument(bad, now).has_value());
    }
}

} // TEST_SUITE("log_time")

TEST_CASE("Exim to syslog with its own time stamp (syslog_timestamp, true by default)") {
    // Exim writes its time stamp into the syslog message unless syslog_timestamp is false.
    const std::string_view failed =
        "Nov 28 10:01:03 mx3 exim[4243]: 2026-11-28 10:01:03 1tQx7b-000Abd-5Y ** niaj@bigmail.example R=dnslookup "
        "T=remote_smtp H=mx1.bigmail.example [198.51.100.20]: SMTP error from remote mail server after RCPT "
        "TO:<niaj@bigmail.example>: 550 5.1.1 User unknown";
    const std::optional<esc_cli::delivery_attempt> a = parse_log_line(failed);
    REQUIRE(a.has_value());
    CHECK(a->format == log_format::exim);
    CHECK(a->kind == disposition_kind::bounced);
    CHECK(a->recipients == "niaj@bigmail.example");
    log_event e = event_of(failed);
    CHECK(e.kind == event_kind::delivery);
    CHECK(e.queue_id == "1tQx7b-000Abd-5Y");
    CHECK(e.relay == "mx1.bigmail.example [198.51.100.20]");
    CHECK(e.timestamp == "Nov 28 10:01:03");

    const std::string_view with_zone_pid = "Nov 28 10:01:04 mx3 exim4[4244]: 2026-11-28 10:01:04 +0100 [4244] "
                                           "1tQx7b-000Abd-5Y => bob@example.net R=dnslookup T=remote_smtp "
                                           "H=mx.example.net [198.51.100.1] C=\"250 2.0.0 Ok\"";
    e = event_of(with_zone_pid);
    CHECK(e.kind == event_kind::delivery);
    CHECK(e.attempt.kind == disposition_kind::sent);
    CHECK(e.queue_id == "1tQx7b-000Abd-5Y");

    e = event_of("Nov 28 10:01:00 mx3 exim[4240]: 2026-11-28 10:01:00 1tQx7b-000Abd-5Y <= news@example.org "
                 "H=app1.example.org [192.0.2.10] P=esmtpa S=4312 id=x.1@example.org");
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.queue_id == "1tQx7b-000Abd-5Y");
    CHECK(e.sender == "news@example.org");
    CHECK(e.size == 4312);

    e = event_of("Nov 28 10:01:05 mx3 exim[4243]: 2026-11-28 10:01:05 1tQx7b-000Abd-5Y Completed");
    CHECK(e.kind == event_kind::removed);
    CHECK(e.queue_id == "1tQx7b-000Abd-5Y");

    e = event_of("Nov 28 10:04:00 mx3 exim[4250]: 2026-11-28 10:04:00 H=mail.example.biz [192.0.2.90] "
                 "F=<a@example.biz> rejected RCPT <x@example.org>: relay not permitted");
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "mail.example.biz [192.0.2.90]");
    CHECK(e.text == "relay not permitted");
}

TEST_CASE("inbound reject clients: the client, not the header text, the port or the HELO") {
    // cleanup quotes the header first; a Subject with " from " in it is common.
    log_event e = event_of("Nov 28 10:03:05 mx1 postfix/cleanup[1101]: 6C4D3E2F7: reject: header Subject: Invoice "
                           "from ACME Corp from mail.example.net[198.51.100.6]; from=<f@example.net> "
                           "to=<bob@example.org> proto=ESMTP helo=<mail.example.net>: 5.7.1 Spam subject");
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "mail.example.net[198.51.100.6]");
    CHECK(e.text == "5.7.1 Spam subject");
    e = event_of("Nov 28 10:03:06 mx1 postfix/cleanup[1101]: 6C4D3E2F8: reject: body Mail from a friend from "
                 "unknown[203.0.113.16]; from=<j@example.biz> to=<bob@example.org> proto=ESMTP helo=<x>: 5.7.1 "
                 "Body rejected");
    CHECK(e.client == "unknown[203.0.113.16]");
    CHECK(e.text == "5.7.1 Body rejected");

    // Two connections from one address are one client.
    e = event_of("2026-11-28 10:30:00 H=(spammer) [203.0.113.5]:40001 F=<x@example.biz> rejected RCPT "
                 "<v@example.org>: relay not permitted");
    CHECK(e.client == "[203.0.113.5]");
    e = event_of("Nov 28 10:03:04 mx1 postfix/postscreen[123]: NOQUEUE: reject: RCPT from [192.0.2.1]:5679: 450 4.3.2 "
                 "Service currently unavailable; from=<a@example.biz>, to=<b@example.com>, proto=ESMTP, helo=<x>");
    CHECK(e.client == "[192.0.2.1]");
    CHECK(e.text == "450 4.3.2 Service currently unavailable");
    e = event_of("Nov 28 10:00:05 mx2 sm-mta[3005]: 4ASA00a4003005: ruleset=check_rcpt, arg1=<v@example.biz>, "
                 "relay=[203.0.113.7] (may be forged), reject=550 5.7.1 <v@example.biz>... Relaying denied");
    CHECK(e.client == "[203.0.113.7]");
    // IPv6 addresses keep their colons.
    e = event_of("2026-11-28 10:30:00 H=(x) [2001:db8::5]:40001 F=<x@example.biz> rejected RCPT <v@example.org>: "
                 "relay not permitted");
    CHECK(e.client == "[2001:db8::5]");
}

TEST_CASE("Exim: a connection rejected for a synchronization error names its client and its reason") {
    const log_event e = event_of("2026-11-28 10:00:00 SMTP protocol synchronization error (input sent without "
                                 "waiting for greeting): rejected connection from H=[203.0.113.5] input=\"EHLO x\"");
    CHECK(e.kind == event_kind::inbound_reject);
    CHECK(e.client == "[203.0.113.5]");
    CHECK(e.text == "SMTP protocol synchronization error (input sent without waiting for greeting)");
}

TEST_CASE("sendmail: a from= line with nrcpts=0 is no arrival (no recipient was accepted)") {
    const std::string_view none = "Mar 18 19:12:35 mx2 sendmail[543]: q2J2CYIw000543: from=<a@example.biz>, size=0, "
                                  "class=0, nrcpts=0, proto=ESMTP, daemon=MTA, relay=host.example.biz [192.0.2.66]";
    CHECK_FALSE(parse_log_event(none).has_value());
    const std::string_view one = "Mar 18 19:12:35 mx2 sendmail[543]: q2J2CYIv000543: from=<a@example.biz>, size=0, "
                                 "class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=host.example.biz [192.0.2.66]";
    const log_event e = event_of(one);
    CHECK(e.kind == event_kind::arrival);
    CHECK(e.queue_id == "q2J2CYIv000543");
}

TEST_CASE("Exim local deliveries: the recipient is the address in angle brackets") {
    std::optional<esc_cli::delivery_attempt> a =
        parse_log_line("2026-11-28 10:00:01 1tQx7a-000Abc-4Z => bob <bob@example.org> R=local_user T=mail_spool");
    REQUIRE(a.has_value());
    CHECK(a->kind == disposition_kind::sent);
    CHECK(a->recipients == "bob@example.org");
    a = parse_log_line("2026-11-28 10:00:01 1tQx7a-000Abc-4Z ** |/usr/local/bin/filter <list@example.org>: Child "
                       "process of address_pipe transport returned 69 (could mean service or program unavailable)");
    REQUIRE(a.has_value());
    CHECK(a->kind == disposition_kind::bounced);
    CHECK(a->recipients == "list@example.org");
    CHECK(a->text == "Child process of address_pipe transport returned 69 (could mean service or program unavailable)");
    // A delivered address with a domain stays the recipient; the original follows it.
    a = parse_log_line("2026-11-28 10:00:01 1tQx7a-000Abc-4Z => carol@example.net <alias@example.org> R=dnslookup "
                       "T=remote_smtp H=mx.example.net [198.51.100.1]");
    REQUIRE(a.has_value());
    CHECK(a->recipients == "carol@example.net");
}

TEST_CASE("Postfix's expiry notice carries its queue ID, to join it to the message's deferrals") {
    const log_event e = event_of("Nov 28 11:00:00 mx1 postfix/qmgr[102]: 4F2A1C0D3: from=<alice@example.org>, "
                                 "status=expired, returned to sender");
    CHECK(e.kind == event_kind::delivery);
    CHECK(e.attempt.kind == disposition_kind::expired);
    CHECK(e.queue_id == "4F2A1C0D3");
    CHECK(e.timestamp == "Nov 28 11:00:00");
}

// Found by fuzz/scan_line: two lines run together (a lost newline), the first
// a postscreen reject, the second a sendmail delivery. The header says which
// program wrote the line and what it logged; the delivery markers further on
// belong to another line. parse_log_line() and parse_log_event() agree.
TEST_CASE("a line whose header is a reject holds no delivery, whatever follows in it") {
    const std::string line =
        "Nov 28 11:00:05 mx1 postfix/postscreen[77]: NOQUEUE: reject: RCPT from [198.51.100.9]:4242: 550 5.7.1 "
        "Service unavailNov 28 11:00:06 mx1 sm-mta[78]: 4ASB02: to=<carol@example.net>, delay=00:00:02, "
        "mailer=esmtp, relay=mx.example.net. [198.51.100.3], dsn=5.1.1, stat=User unknown";
    CHECK_FALSE(esc_cli::parse_log_line(line).has_value());
    const auto e = esc_cli::parse_log_event(line);
    REQUIRE(e.has_value());
    CHECK(e->kind == esc_cli::event_kind::inbound_reject);
    // The same delivery on a line of its own is one.
    const std::string own = line.substr(line.find("Nov 28 11:00:06"));
    const auto a = esc_cli::parse_log_line(own);
    REQUIRE(a.has_value());
    CHECK(a->kind == disposition_kind::bounced);
}

// find_text() is string_view::find() with a faster search for the first two
// bytes: the same answer for every haystack, needle and start, in constant
// expressions (byte by byte) and at run time (sixteen positions at a time).
static_assert(esc_cli::log_detail::find_text("a, status=sent", ", status=") == 1);
static_assert(esc_cli::log_detail::find_text("a, status", ", status=") == std::string_view::npos);
static_assert(esc_cli::log_detail::find_text("; x; from=<", "; ", 1) == 3);
static_assert(esc_cli::log_detail::find_text("abc", "", 2) == 2);
static_assert(esc_cli::log_detail::find_text("abc", "c", 3) == std::string_view::npos);

TEST_CASE("find_text: what string_view::find() answers, for every start") {
    // Few letters, so that the first two bytes match often and a match may
    // straddle the sixteen-byte blocks or end the text.
    const char alphabet[] = "ab ,:;";
    std::uint32_t state = 2463534242u; // xorshift32: the same texts on every run
    const auto next = [&] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    };
    std::size_t checked = 0, found = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text, needle;
        for (std::uint32_t n = next() % 70; n > 0; --n) text += alphabet[next() % 6];
        for (std::uint32_t n = next() % 6; n > 0; --n) needle += alphabet[next() % 6];
        const std::string_view t(text);
        for (std::size_t from = 0; from <= text.size() + 1; ++from) {
            const std::size_t want = t.find(needle, from);
            const std::size_t got = esc_cli::log_detail::find_text(t, needle, from);
            if (got != want) {
                INFO("text '" << text << "', needle '" << needle << "', from " << from);
                CHECK(got == want);
            }
            ++checked;
            found += want != std::string_view::npos;
        }
    }
    CHECK(checked > 500000);
    CHECK(found > checked / 10);
}

// is_queue_id() and find_any_of() test eight bytes at a time: the same
// answers as a byte-by-byte reading, in constant expressions and at run time.
static_assert(esc_cli::log_detail::is_queue_id("4F9D195432"));
static_assert(esc_cli::log_detail::is_queue_id("3kYq8x4Zr2zNbcdEfGhJkLmN"));
static_assert(!esc_cli::log_detail::is_queue_id("4F9D1954:2"));
static_assert(!esc_cli::log_detail::is_queue_id(""));
static_assert(esc_cli::log_detail::find_any_of("mx1 postfix/smtp[1]: x", 0, ' ') == 3);
static_assert(esc_cli::log_detail::find_any_of("postfix/smtp[1]: x", 0, ':', ' ', '[') == 12);
static_assert(esc_cli::log_detail::find_any_of("abc", 1, 'z') == 3);

TEST_CASE("is_queue_id and find_any_of: what a byte-by-byte reading answers") {
    // Every byte value, and many near the edges of the ranges ('/', '0', '9',
    // ':', '@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0x7F, 0x80, 0xFF).
    const unsigned char edges[] = {'/', '0', '9', ':', '@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0x7F, 0x80, 0xC0, 0xFF, ' ', 0};
    std::uint32_t state = 88675123u; // xorshift32: the same strings on every run
    const auto next = [&] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    };
    const auto alnum = [](unsigned char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    };
    std::size_t ids = 0;
    for (int round = 0; round < 200000; ++round) {
        std::string s;
        const std::uint32_t n = next() % 36;
        for (std::uint32_t k = 0; k < n; ++k) {
            const std::uint32_t r = next();
            // Mostly letters and digits, so that whole IDs come up often.
            s += static_cast<char>(r % 8 == 0 ? edges[(r >> 8) % sizeof edges]
                                   : r % 8 == 1 ? static_cast<unsigned char>(r >> 8)
                                                : "0123456789ABCDEFabcdefXYZxyz"[(r >> 8) % 28]);
        }
        bool want = !s.empty() && s.size() <= 32;
        for (unsigned char c : s) want = want && alnum(c);
        ids += want;
        if (esc_cli::log_detail::is_queue_id(s) != want) {
            INFO("'" << s << "'");
            CHECK(esc_cli::log_detail::is_queue_id(s) == want);
        }
        const std::size_t from = s.empty() ? 0 : next() % (s.size() + 1);
        const std::size_t any = esc_cli::log_detail::find_any_of(s, from, ':', ' ', '[');
        const std::size_t first = s.find_first_of(":[ ", from);
        if (any != (first == std::string::npos ? s.size() : first)) {
            INFO("'" << s << "' from " << from);
            CHECK(any == (first == std::string::npos ? s.size() : first));
        }
    }
    CHECK(ids > 10000);
}

TEST_CASE("parse_log_event_into: the event parse_log_event() returns, in place") {
    const char* const lines[] = {
        "Nov 28 10:00:01 mx1 postfix/smtp[3534]: 17CC5506B0: to=<dave@oldhost.example>, relay=none, delay=2.3, "
        "delays=0.28/0.02/0.22/1.78, dsn=4.4.3, status=deferred (Host or domain name not found)",
        "Nov 28 10:00:01 mx1 postfix/qmgr[1102]: 049367D2A8: removed",
        "Nov 28 10:00:01 mx1 postfix/qmgr[1102]: 049367D2A8: from=<a@example.org>, size=1234, nrcpt=1 (queue active)",
        "Nov 28 10:00:01 mx1 postfix/smtpd[2115]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1 <a@b>: Relay access "
        "denied; from=<s@x> to=<a@b> proto=ESMTP helo=<x>",
        "Nov 28 10:00:01 mx1 postfix/smtpd[2115]: connect from x[192.0.2.1]",
        "Nov 28 10:00:01 mx1 postfix/qmgr[1102]: 04936:D2A8: removed",
        "2026-11-28 10:00:01 1tQx7a-000Abc-4Z Completed",
        "",
    };
    std::optional<esc_cli::log_event> out;
    int events = 0;
    for (const char* line : lines) {
        INFO(line);
        const std::optional<esc_cli::log_event> want = esc_cli::parse_log_event(line);
        out.emplace(); // what the last line left must not matter
        out->queue_id = "stale";
        esc_cli::parse_log_event_into(line, out);
        REQUIRE(out.has_value() == want.has_value());
        if (!want) continue;
        ++events;
        CHECK(out->kind == want->kind);
        CHECK(out->queue_id == want->queue_id);
        CHECK(out->timestamp == want->timestamp);
        CHECK(out->sender == want->sender);
        CHECK(out->text == want->text);
        CHECK(out->attempt.text == want->attempt.text);
    }
    CHECK(events == 5);
}
