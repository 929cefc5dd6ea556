// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/classify.hpp>
#include <esc/pairing.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace esc::literals;
using esc::command;
using esc::outcome;
using esc::reason;
using esc::reply_code;

namespace {

constexpr command all_commands[] = {command::unknown, command::connect, command::helo,        command::ehlo,
                                    command::starttls, command::auth,   command::mail,        command::rcpt,
                                    command::data,    command::end_of_data, command::bdat,    command::rset,
                                    command::vrfy,    command::expn,    command::help,        command::noop,
                                    command::quit,    command::etrn};

} // namespace

#if ESC_HEADER_ONLY
static_assert(esc::classify("550 5.1.1 User unknown").reason == reason::mailbox_unknown);
static_assert(esc::default_status(reply_code{535}) == "5.7.8"_esc);
#endif

TEST_CASE("default_status: the pairings the RFCs and the registry justify") {
    CHECK(esc::default_status(reply_code{535}) == "5.7.8"_esc);
    CHECK(esc::default_status(reply_code{534}) == "5.7.9"_esc);
    CHECK(esc::default_status(reply_code{556}) == "5.1.10"_esc);
    CHECK(esc::default_status(reply_code{500}) == "5.5.2"_esc);
    CHECK(esc::default_status(reply_code{500}, command::auth) == "5.5.6"_esc);
    CHECK(esc::default_status(reply_code{501}) == "5.5.4"_esc);
    CHECK(esc::default_status(reply_code{501}, command::rcpt) == "5.1.3"_esc);
    CHECK(esc::default_status(reply_code{501}, command::auth) == "5.5.2"_esc);
    CHECK(esc::default_status(reply_code{503}) == "5.5.1"_esc);
    CHECK(esc::default_status(reply_code{235}) == "2.7.0"_esc);
    CHECK(esc::default_status(reply_code{250}, command::rcpt) == "2.1.5"_esc);
    CHECK(esc::default_status(reply_code{250}, command::mail) == "2.0.0"_esc);
    CHECK(esc::default_status(reply_code{552}, command::end_of_data) == "5.3.4"_esc);
    CHECK(esc::default_status(reply_code{552}, command::rcpt) == "5.0.0"_esc);
    CHECK(esc::default_status(reply_code{554}, command::connect) == "5.3.0"_esc);
    CHECK(esc::default_status(reply_code{521}) == "5.3.2"_esc);
    CHECK(esc::default_status(reply_code{432}) == "4.7.12"_esc);
    CHECK(esc::default_status(reply_code{550}) == "5.0.0"_esc);
    CHECK(esc::default_status(reply_code{550}, command::rcpt) == "5.0.0"_esc);
    CHECK(esc::default_status(reply_code{450}) == "4.0.0"_esc);
    CHECK(esc::default_status(reply_code{354}) == "2.0.0"_esc);
    CHECK(esc::default_status(reply_code{571}) == "5.0.0"_esc);
    CHECK_FALSE(esc::is_valid(esc::default_status(reply_code{600})));
    CHECK_FALSE(esc::is_valid(esc::default_status(reply_code{0})));
}

TEST_CASE("default_status returns only pairings the registry lists, in the reply's class") {
    std::size_t checked = 0;
    for (int v = 200; v < 600; ++v) {
        const reply_code code{static_cast<std::uint16_t>(v)};
        for (command cmd : all_commands) {
            const esc::status_code s = esc::default_status(code, cmd);
            CAPTURE(v);
            CAPTURE(esc::to_string(cmd));
            REQUIRE(esc::is_valid(s));
            CHECK(static_cast<int>(s.cls) == (v / 100 == 3 ? 2 : v / 100));
            CHECK(esc::is_associated(code, s));
            ++checked;
        }
    }
    CHECK(checked == 400 * std::size(all_commands));
}

TEST_CASE("the examples of the issue") {
    auto c = esc::classify("550 5.5.0 <bob@example.net>: no such user here");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::mailbox_unknown);
    CHECK(c.status == "5.5.0"_esc);
    CHECK_FALSE(c.inferred);

    c = esc::classify("554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using bl.spamcop.net");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::blocked);

    c = esc::classify("450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted for 300 seconds");
    CHECK(c.outcome == outcome::transient);
    CHECK(c.reason == reason::greylisted);

    const auto p = esc::parse_reply("552 Too many recipients\r\n");
    c = esc::classify(p.reply, command::rcpt);
    CHECK(c.outcome == outcome::transient); // RFC 5321 4.5.3.1.10
    CHECK(c.reason == reason::too_many_recipients);
    CHECK(c.status == "4.5.3"_esc);
    CHECK(c.inferred);
    c = esc::classify(esc::parse_reply("552 Requested action aborted\r\n").reply, command::rcpt);
    CHECK(c.outcome == outcome::transient);
    CHECK(c.reason == reason::too_many_recipients);
    // ... but only then: a full mailbox stays permanent (issue 11).
    c = esc::classify(esc::parse_reply("552 5.2.2 Mailbox full\r\n").reply, command::rcpt);
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::mailbox_full);
    c = esc::classify(esc::parse_reply("552 5.3.4 Message size exceeds fixed limit\r\n").reply, command::end_of_data);
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::message_too_large);
}

TEST_CASE("the outcome follows the reply's first digit") {
    CHECK(esc::classify("250 2.0.0 Ok: queued as 4F2A1C0D3").outcome == outcome::success);
    CHECK(esc::classify("250 2.0.0 Ok: queued as 4F2A1C0D3").reason == reason::none);
    CHECK(esc::classify("354 End data with <CR><LF>.<CR><LF>").outcome == outcome::intermediate);
    CHECK(esc::classify("354 End data with <CR><LF>.<CR><LF>").reason == reason::none);
    CHECK(esc::classify("421 4.3.2 Service not available").outcome == outcome::transient);
    CHECK(esc::classify("554 5.7.1 rejected").outcome == outcome::permanent);
    // The basic code decides when the classes disagree; the status is kept as sent.
    const auto c = esc::classify("550 4.1.1 <bob@example.com>: unknown");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.status == "4.1.1"_esc);
    CHECK(c.reason == reason::mailbox_unknown);
}

TEST_CASE("without a reply code: the enhanced code's class, else unknown") {
    auto c = esc::classify("sorry, no mailbox here by that name (#5.1.1 - chkusr)");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.status == "5.1.1"_esc);
    CHECK_FALSE(c.inferred);
    CHECK(c.reason == reason::mailbox_unknown);
    c = esc::classify("Connection timed out");
    CHECK(c.outcome == outcome::unknown);
    CHECK(c.reason == reason::network);
    CHECK_FALSE(esc::is_valid(c.status));
    CHECK(c.inferred);
    c = esc::classify("");
    CHECK(c.outcome == outcome::unknown);
    CHECK(c.reason == reason::other);
}

TEST_CASE("a specific enhanced code decides; a generic one gives way to the text") {
    CHECK(esc::classify("550 5.1.1 Sorry, blocked").reason == reason::mailbox_unknown);
    CHECK(esc::classify("552 5.2.2 Over quota").reason == reason::mailbox_full);
    CHECK(esc::classify("550 5.7.26 This mail is unauthenticated").reason == reason::sender_auth);
    CHECK(esc::classify("550 5.7.1 Message rejected as spam").reason == reason::spam);
    CHECK(esc::classify("550 5.0.0 User unknown").reason == reason::mailbox_unknown);
    CHECK(esc::classify("550 5.7.1 Delivery not authorized").reason == reason::policy);
    CHECK(esc::classify("550 5.7.1 rejected").reason == reason::policy); // the code's leaning
    CHECK(esc::classify("451 4.4.1 no answer").reason == reason::network);
    CHECK(esc::classify("550 5.4.1 Recipient address rejected: Access denied").reason == reason::mailbox_unknown);
}

TEST_CASE("vendor-specific codes are read by what their vendor documents") {
    CHECK(esc::classify("550 5.7.606 Access denied, banned sending IP [203.0.113.1]").reason == reason::blocked);
    CHECK(esc::classify("550 5.4.310 DNS domain example.invalid does not exist").reason == reason::domain_unknown);
    // Microsoft: 4.7.500-699 is the throttling of senders new to it (rules/providers.rules).
    CHECK(esc::classify("451 4.7.500 Server busy. Please try again later").reason == reason::greylisted);
    CHECK(esc::classify("421 4.7.650 rate limited due to IP reputation").reason == reason::blocked);
}

TEST_CASE("replies without enhanced codes are inferred (Exim's default)") {
    auto c = esc::classify(esc::parse_reply("550 Unrouteable address\r\n").reply, command::rcpt);
    CHECK(c.status == "5.0.0"_esc);
    CHECK(c.inferred);
    CHECK(c.reason == reason::domain_unknown);
    c = esc::classify(esc::parse_reply("535 Incorrect authentication data\r\n").reply, command::auth);
    CHECK(c.status == "5.7.8"_esc);
    CHECK(c.reason == reason::client_auth);
    c = esc::classify(esc::parse_reply("550 relay not permitted\r\n").reply, command::rcpt);
    CHECK(c.reason == reason::relay_denied);
    c = esc::classify(esc::parse_reply("500 unrecognized command\r\n").reply);
    CHECK(c.reason == reason::protocol);
    CHECK(c.status == "5.5.2"_esc);
    c = esc::classify(esc::parse_reply("556 example.invalid does not accept mail\r\n").reply);
    CHECK(c.reason == reason::domain_unknown);
    c = esc::classify(esc::parse_reply("521 nothing here\r\n").reply);
    CHECK(c.reason == reason::domain_unknown);
}

TEST_CASE("the command changes the reading") {
    // "(in reply to ...)" and "after RCPT TO:" name the command.
    auto c = esc::classify("host mx.example.com[192.0.2.1] said: 552 Requested action aborted (in reply to RCPT TO command)");
    CHECK(c.outcome == outcome::transient);
    CHECK(c.reason == reason::too_many_recipients);
    // At MAIL FROM there is no recipient: the address that does not exist is the sender's.
    c = esc::classify("SMTP error from remote mail server after MAIL FROM:<a@example.com>: 553 5.1.0 example.com does not exist");
    CHECK(c.reason == reason::sender_rejected);
    c = esc::classify(esc::parse_reply("550 5.7.1 Access denied\r\n").reply, command::mail);
    CHECK(c.reason == reason::sender_rejected);
    // At the greeting or HELO, a refusal is of the connecting host.
    c = esc::classify(esc::parse_reply("554 mx.example.com ESMTP not accepting connections\r\n").reply, command::connect);
    CHECK(c.reason == reason::blocked);
    c = esc::classify(esc::parse_reply("550 Rejected\r\n").reply, command::ehlo);
    CHECK(c.reason == reason::blocked);
}

TEST_CASE("readings corrected after the live servers (tests/data/live)") {
    // Exim's 452 names the reason; the inferred status follows it.
    auto c = esc::classify(esc::parse_reply("452 too many recipients\r\n").reply, command::rcpt);
    CHECK(c.reason == reason::too_many_recipients);
    CHECK(c.status == "4.5.3"_esc);
    CHECK(c.inferred);
    // Syntax replies at EHLO are protocol errors, not a refusal of the host.
    c = esc::classify(esc::parse_reply("502 5.5.2 command not implemented\r\n").reply, command::ehlo);
    CHECK(c.reason == reason::protocol);
    c = esc::classify(esc::parse_reply("500 unrecognized command\r\n").reply, command::helo);
    CHECK(c.reason == reason::protocol);
    // A 421 ends the session; after MAIL it is not the sender's fault.
    c = esc::classify(esc::parse_reply("421 4.3.2 Service shutting down\r\n").reply, command::mail);
    CHECK(c.reason == reason::system_error);
    CHECK(c.outcome == outcome::transient);
    c = esc::classify(esc::parse_reply("421 4.7.0 Try again later\r\n").reply, command::mail);
    CHECK(c.reason == reason::policy);
}

TEST_CASE("every reason is reachable") {
    struct reach {
        const char* text;
        command cmd;
        reason expected;
    };
    const reach cases[] = {
        {"250 2.0.0 Ok: queued", command::end_of_data, reason::none},
        {"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown", command::rcpt, reason::mailbox_unknown},
        {"550 5.2.1 The email account that you tried to reach is disabled.", command::rcpt, reason::mailbox_disabled},
        {"452 4.2.2 The email account that you tried to reach is over quota.", command::rcpt, reason::mailbox_full},
        {"552 5.3.4 Message size exceeds fixed limit", command::end_of_data, reason::message_too_large},
        {"550 5.1.2 Host or domain name not found", command::rcpt, reason::domain_unknown},
        {"553 5.1.8 <x@nonexistent.invalid>: Sender address rejected: Domain not found", command::mail,
         reason::sender_rejected},
        {"554 5.7.1 <bob@example.net>: Relay access denied", command::rcpt, reason::relay_denied},
        {"550 5.7.1 Our system has detected that this message is likely unsolicited mail.", command::end_of_data,
         reason::spam},
        {"554 5.7.0 Reject, id=12345 - INFECTED: Eicar-Test-Signature", command::end_of_data, reason::virus},
        {"554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org", command::rcpt,
         reason::blocked},
        {"550 5.7.23 SPF validation failed", command::mail, reason::sender_auth},
        {"535 5.7.8 Authentication credentials invalid", command::auth, reason::client_auth},
        {"530 5.7.0 Must issue a STARTTLS command first", command::mail, reason::encryption},
        {"550 5.7.1 Message rejected by local policy", command::end_of_data, reason::policy},
        {"421 4.7.0 Try again later, closing connection. (Too many connections)", command::connect,
         reason::rate_limited},
        {"452 4.5.3 Too many recipients", command::rcpt, reason::too_many_recipients},
        {"450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/",
         command::rcpt, reason::greylisted},
        {"451 4.3.0 Error: queue file write error", command::end_of_data, reason::system_error},
        {"connect to mx.example.com[192.0.2.1]:25: Connection timed out", command::unknown, reason::network},
        {"Could not deliver for the last 432000 seconds. Giving up.", command::unknown, reason::expired},
        {"503 5.5.1 Error: need RCPT command", command::data, reason::protocol},
        {"554 5.6.0 Message contains invalid header", command::end_of_data, reason::content},
        {"550 5.0.0 Sorry, something went wrong", command::end_of_data, reason::other},
    };
    std::set<reason> seen;
    for (const reach& r : cases) {
        CAPTURE(r.text);
        const auto c = esc::classify(r.text, r.cmd);
        CHECK(c.reason == r.expected);
        seen.insert(c.reason);
    }
    CHECK(seen.size() == esc::reason_count);
}

TEST_CASE("classify(reply) equals classify of the same reply found in its own text") {
    for (const char* text : {"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n",
                             "550-5.7.1 [203.0.113.9] Our system has detected\r\n550 5.7.1 unsolicited mail\r\n",
                             "421 Service not available\r\n", "250 2.0.0 Ok\r\n", "552 Too many recipients\r\n"}) {
        CAPTURE(text);
        const auto p = esc::parse_reply(text);
        REQUIRE(p);
        const auto found = esc::find_reply(p.reply.raw);
        REQUIRE(found.has_value());
        for (command cmd : all_commands) CHECK(esc::classify(p.reply, cmd) == esc::classify(*found, cmd));
    }
}

TEST_CASE("to_string, parse_reason and parse_outcome are inverses") {
    for (std::size_t i = 0; i < esc::reason_count; ++i) {
        const auto r = static_cast<reason>(i);
        CHECK(esc::parse_reason(esc::to_string(r)) == r);
    }
    CHECK(esc::to_string(reason::mailbox_unknown) == "mailbox_unknown");
    CHECK(esc::to_string(reason::too_many_recipients) == "too_many_recipients");
    CHECK_FALSE(esc::parse_reason("nonsense").has_value());
    for (outcome o : {outcome::success, outcome::intermediate, outcome::transient, outcome::permanent, outcome::unknown})
        CHECK(esc::parse_outcome(esc::to_string(o)) == o);
    for (command c : all_commands) CHECK(esc::parse_command(esc::to_string(c)) == c);
    CHECK(esc::parse_command("RCPT TO") == command::rcpt);
    CHECK(esc::parse_command("Mail") == command::mail);
    CHECK(esc::parse_command("eod") == command::end_of_data);
    CHECK_FALSE(esc::parse_command("launch").has_value());
}

TEST_CASE("advice is given for every outcome and reason") {
    for (outcome o : {outcome::success, outcome::intermediate, outcome::transient, outcome::permanent, outcome::unknown})
        for (std::size_t i = 0; i < esc::reason_count; ++i) CHECK_FALSE(esc::advice(o, static_cast<reason>(i)).empty());
    CHECK(esc::advice(outcome::transient, reason::greylisted).find("retry") != std::string_view::npos);
    CHECK(esc::advice(outcome::permanent, reason::mailbox_unknown).find("remove") != std::string_view::npos);
}

TEST_CASE("evidence: vague phrases never overrule a code, specific text may") {
    // A code that leans somewhere outweighs vague words.
    CHECK(esc::classify("421 4.4.2 Service unavailable").reason == reason::network);
    CHECK(esc::classify("550 5.1.1 Service unavailable").reason == reason::mailbox_unknown);
    CHECK(esc::classify("550 5.7.1 Service unavailable").reason == reason::policy);
    CHECK(esc::classify("550 5.7.1 Service unavailable").why.by == esc::decided_by::enhanced_code);
    // Where no code leans, the vague words still say something.
    CHECK(esc::classify("554 Service unavailable").reason == reason::system_error);
    // The sender's own limit, sent with a code about the recipient, is the sender's limit.
    CHECK(esc::classify("550 5.1.1 Sender exceeded hourly limit of 100 messages").reason == reason::rate_limited);
    CHECK(esc::classify("552 5.2.2 Daily sending quota exceeded").reason == reason::rate_limited);
    CHECK(esc::classify("550 5.1.1 Sender exceeded hourly limit").why.by == esc::decided_by::phrase);
    // A code that names one condition wins over an ordinary phrase...
    CHECK(esc::classify("550 5.1.1 Mailbox unavailable").reason == reason::mailbox_unknown);
    CHECK(esc::classify("421 4.4.2 Temporarily unavailable, try again later").reason == reason::network);
    // ... unless the phrase contradicts it: a full mailbox exists (Orange, Comcast and
    // chkuser send 5.1.1 for it).
    CHECK(esc::classify("550 5.1.1 Mailbox full").reason == reason::mailbox_full);
}

TEST_CASE("evidence: no phrase inside host names, addresses or URLs") {
    CHECK(esc::classify("550 5.0.0 relay virus.example.net said: rejected").reason != reason::virus);
    CHECK(esc::classify("450 4.2.0 <greylist@example.org>: Recipient address rejected").reason != reason::greylisted);
    CHECK(esc::classify("550 <spam-reports@example.org>: User unknown").reason == reason::mailbox_unknown);
    CHECK(esc::classify("host mx1.spamfilter.example.com[192.0.2.1] said: 550 5.0.0 Rejected").reason == reason::other);
    CHECK(esc::classify("554 see https://example.com/faq/virus-found.html").reason != reason::virus);
    // Prose is still read around them, and so is sloppy punctuation.
    CHECK(esc::classify("550 <a@example.org>: Mailbox full.Try later").reason == reason::mailbox_full);
}

TEST_CASE("552 to RCPT is too many recipients only when it says so") {
    auto rcpt = [](std::string_view wire) { return esc::classify(esc::parse_reply(wire).reply, command::rcpt); };
    auto c = rcpt("552 5.2.2 Mailbox full\r\n");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::mailbox_full);
    c = rcpt("552 Message size exceeds fixed maximum message size\r\n");
    CHECK(c.outcome == outcome::permanent);
    CHECK(c.reason == reason::message_too_large);
    CHECK(c.status == "5.0.0"_esc); // 4.5.3 only for too many recipients
    c = rcpt("552 Too many recipients\r\n");
    CHECK(c.outcome == outcome::transient);
    CHECK(c.status == "4.5.3"_esc);
    c = esc::classify(esc::parse_reply("552 5.5.3 Too many recipients\r\n").reply); // the command unknown
    CHECK(c.outcome == outcome::permanent);
}

TEST_CASE("at the greeting, a busy or closed server is not a reputation verdict") {
    auto greeting = [](std::string_view wire) { return esc::classify(esc::parse_reply(wire).reply, command::connect); };
    CHECK(greeting("421 mx.example.com Service not available, too busy\r\n").reason == reason::system_error);
    CHECK(greeting("554 mx.example.com is not accepting messages\r\n").reason == reason::system_error);
    CHECK(greeting("554 Your IP is listed at a DNSBL\r\n").reason == reason::blocked);
}

TEST_CASE("the verdict for the address is separate from the outcome") {
    using esc::verdict;
    CHECK(esc::classify("550 5.1.1 User unknown").verdict == verdict::hard);
    CHECK(esc::classify("450 4.1.1 User unknown (directory unavailable)").verdict == verdict::soft);
    CHECK(esc::classify("550 5.7.1 Message rejected as spam").verdict == verdict::soft); // permanent, yet not the address
    CHECK(esc::classify("450 4.2.1 Mailbox disabled, not accepting messages").verdict == verdict::hard);
    CHECK(esc::classify("552 5.2.2 Mailbox full").verdict == verdict::soft);
    CHECK(esc::classify("550 5.1.2 Host unknown").verdict == verdict::hard);
    CHECK(esc::classify("550 5.0.0 Error").verdict == verdict::undetermined);
    CHECK(esc::classify("250 2.0.0 Ok").verdict == verdict::none);
    for (std::size_t r = 0; r < esc::reason_count; ++r) {
        const auto why = static_cast<reason>(r);
        CAPTURE(esc::to_string(why));
        CHECK(esc::verdict_for(outcome::success, why) == verdict::none);
        const verdict p = esc::verdict_for(outcome::permanent, why);
        CHECK((why == reason::none) == (p == verdict::none));
        CHECK((p == verdict::hard) ==
              (why == reason::mailbox_unknown || why == reason::mailbox_disabled || why == reason::domain_unknown));
    }
}

TEST_CASE("advice follows the outcome") {
    CHECK(esc::advice(outcome::transient, reason::mailbox_unknown).find("remove") == std::string_view::npos);
    CHECK(esc::advice(outcome::permanent, reason::mailbox_unknown).find("remove") != std::string_view::npos);
    CHECK(esc::advice(outcome::transient, reason::domain_unknown).find("retry") != std::string_view::npos);
}

TEST_CASE("why: what decided, with a view into the input") {
    const std::string_view text = "host mx.example.net[192.0.2.1] said: 550 5.7.1 <a@b.example>: User unknown";
    auto c = esc::classify(text);
    CHECK(c.reason == reason::mailbox_unknown);
    CHECK(c.why.by == esc::decided_by::phrase);
    CHECK(c.why.text == "User unknown");
    CHECK(c.why.text.data() == text.data() + text.find("User unknown"));
    CHECK(c.why.rule == "user unknown");
    c = esc::classify("550 5.1.1 <a@b.example>: Recipient address rejected");
    CHECK(c.why.by == esc::decided_by::enhanced_code);
    CHECK(c.why.text == "5.1.1");
    c = esc::classify(esc::parse_reply("535 Incorrect authentication data\r\n").reply, command::auth);
    CHECK(c.reason == reason::client_auth);
    c = esc::classify(esc::parse_reply("553 sorry\r\n").reply, command::mail);
    CHECK(c.reason == reason::sender_rejected);
    CHECK(c.why.by == esc::decided_by::command);
    CHECK(c.why.text == "553");
    c = esc::classify(esc::parse_reply("250 2.1.5 Ok\r\n").reply, command::rcpt);
    CHECK(c.why.by == esc::decided_by::basic_code);
    c = esc::classify("550 5.0.0 Error");
    CHECK(c.why.by == esc::decided_by::nothing);
    CHECK(c.reason == reason::other);
#if ESC_HEADER_ONLY
    static_assert(esc::classify("550 5.7.606 banned").why.by == esc::decided_by::provider_rule);
#endif
}

TEST_CASE("classify(reply) reads a reply built by hand") {
    esc::reply r;
    r.code = reply_code{552};
    r.status = "5.2.2"_esc;
    r.text = "Mailbox full";
    CHECK(esc::classify(r).reason == reason::mailbox_full);
    esc::reply s;
    s.code = reply_code{550};
    s.text = "User unknown";
    CHECK(esc::classify(s).reason == reason::mailbox_unknown);
    CHECK(esc::classify(s).why.text == "User unknown");
}

TEST_CASE("expiry: the queue's verdict against the cause it quotes") {
    // A network or system cause: the retries were for nothing, the message expired.
    CHECK(esc::classify("554 5.0.0 Message expired: unable to deliver in 840 minutes. <421 4.4.2 Connection timed out>")
              .reason == reason::expired);
    CHECK(esc::classify("Message could not be delivered for too long; message will be deleted from queue").reason ==
          reason::expired);
    // A cause about the mailbox or the message is what to act on.
    CHECK(esc::classify("mailbox is full: retry timeout exceeded").reason == reason::mailbox_full);
    CHECK(esc::classify("550 5.1.1 user unknown; giving up").reason == reason::mailbox_unknown);
}

TEST_CASE("rules found by trying held-out replies: sound for every server") {
    // qmail-smtpd's refusal of a domain it does not relay for; its trailing code only leans.
    CHECK(esc::classify("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)").reason ==
          reason::relay_denied);
    CHECK(esc::classify("553 host denies relay.").reason == reason::relay_denied);
    // A misused 5.1.1 gives way to text naming a cause that is not the address.
    CHECK(esc::classify("550 5.1.1 Message rejected as spam by Content Filtering").reason == reason::spam);
    CHECK(esc::classify("550 5.1.1 Message rejected as spam by Content Filtering").verdict == esc::verdict::soft);
    // ... but not to a host name that happens to say "dnsbl".
    CHECK(esc::classify("host tls-gw.dnsbl-filter.example.com[192.0.2.4] said: 550 5.1.1 <u@example.com>: "
                        "Recipient address rejected: User unknown in local recipient table")
              .reason == reason::mailbox_unknown);
    // X.6.n only leans: servers reuse it.
    CHECK(esc::classify("554 5.6.4 Virus E-Mail Blocked").reason == reason::virus);
    CHECK(esc::classify("554 5.6.0 Bad message").reason == reason::content);
    // "header" alone is vague; a header field named is the message's format.
    CHECK(esc::classify("550-5.7.1 Messages with multiple addresses in From: header are not accepted").reason ==
          reason::content);
    CHECK(esc::classify("550 Rejected by header based Anti-Spoofing policy").reason == reason::sender_auth);
    // Dynamic address space is refused for what it is.
    CHECK(esc::classify("550 DY-001 Mail rejected by Outlook.com for policy reasons. We generally do not accept email "
                        "from dynamic IP's as they are not typically used to deliver unauthenticated SMTP e-mail")
              .reason == reason::blocked);
    // The MTAs' fixed words.
    CHECK(esc::classify("all relevant MX records point to non-existent hosts").reason == reason::domain_unknown);
    CHECK(esc::classify("Retry time not reached for any host after a long failure period").reason == reason::expired);
    CHECK(esc::classify("Cannot send message for 5 days").reason == reason::expired);
    CHECK(esc::classify("421 4.3.2 The maximum number of concurrent connections has exceeded a limit").reason ==
          reason::rate_limited);
    CHECK(esc::classify("421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing "
                        "transmission channel")
              .reason == reason::rate_limited);
    // spamass-milter's refusal: SpamAssassin scores content, "blocked by" does not make it the host's reputation.
    CHECK(esc::classify("550 5.7.1 Blocked by SpamAssassin").reason == reason::spam);
    // Postfix could not read one of its own tables: the server's trouble, not DNS.
    CHECK(esc::classify("451 4.3.0 <a@example.com>: Temporary lookup failure").reason == reason::system_error);
    // Exim gives up on a domain whose hosts have all failed past their retry limits.
    CHECK(esc::classify("all hosts for 'example.com' have been failing for a long time (and retry time not reached)")
              .reason == reason::expired);
    // Libero's refusal to relay; "disabled" alone would read as a disabled mailbox.
    CHECK(esc::classify("550 Relay disabled").reason == reason::relay_denied);
    CHECK(esc::classify("550 Relay disabled").verdict == esc::verdict::soft);
    // RFC 3207's 454: TLS could not be offered, however the server words its own trouble.
    CHECK(esc::classify("454 4.7.0 TLS not available due to local problem").reason == reason::encryption);
    // Exim's refusal of a client that talks out of turn.
    CHECK(esc::classify("554 SMTP synchronization error").reason == reason::protocol);
    // A transient code alone does not make an address gone.
    CHECK(esc::classify("450 4.2.1 Mailbox received too much email in a short period").reason == reason::rate_limited);
    CHECK(esc::classify("450 4.2.1 Try again later").verdict == esc::verdict::soft);
    CHECK(esc::classify(esc::parse_reply("553 no\r\n").reply, command::rcpt).verdict == esc::verdict::undetermined);
}

TEST_CASE("specific text outweighs a specific code it contradicts") {
    // X.1.1 says no such mailbox; a full, over-quota or suspended one exists.
    CHECK(esc::classify("552 5.1.1 5.2.2 sorry, final recipient mailbox is full (chkuser)").reason ==
          reason::mailbox_full);
    CHECK(esc::classify("452 4.1.1 <a@example.org> user over quota").reason == reason::mailbox_full);
    CHECK(esc::classify("552 5.1.1 Boite du destinataire pleine. Recipient overquota.").reason == reason::mailbox_full);
    CHECK(esc::classify("550 5.1.1 <a@example.org>: account is suspended").reason == reason::mailbox_disabled);
    // X.5.3 (too many recipients) and X.2.1 sent for rate limits.
    CHECK(esc::classify("452 4.5.3 Daily message limit exceeded").reason == reason::rate_limited);
    CHECK(esc::classify("452 4.5.3 rate limit exceeded").reason == reason::rate_limited);
    CHECK(esc::classify("450-4.2.1 The user you are trying to contact is receiving mail at a rate that\r\n"
                        "450 4.2.1 prevents additional messages from being delivered.")
              .reason == reason::rate_limited);
    // The codes still decide where the text agrees or says nothing more.
    CHECK(esc::classify("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown").reason ==
          reason::mailbox_unknown);
    CHECK(esc::classify("452 4.5.3 Too many recipients").reason == reason::too_many_recipients);
    CHECK(esc::classify("450 4.2.1 Mailbox disabled, not accepting messages").reason == reason::mailbox_disabled);
    CHECK(esc::classify("552 5.2.2 Mailbox full: too many messages").reason == reason::mailbox_full);
}

TEST_CASE("the MTAs' own words: relaying, rates, lookups, inactivity") {
    // RFC 4954: 538 is "encryption required for requested authentication mechanism" (5.7.11).
    CHECK(esc::classify("538 Encryption required for requested authentication mechanism").reason ==
          reason::encryption);
    CHECK(esc::classify("538 5.7.11 Encryption required for requested authentication mechanism").reason ==
          reason::encryption);
    CHECK(esc::classify("535 5.7.8 Authentication credentials invalid").reason == reason::client_auth);
    // A refusal to relay that names authentication as the way in is about relaying.
    CHECK(esc::classify("550 5.7.1 <a@example.org>... Relaying denied. Proper authentication required.").reason ==
          reason::relay_denied);
    CHECK(esc::classify("553-you are trying to use me [mx.example.net] as a relay, but I have not been configured to "
                        "let you [192.0.2.1, example.com] do this.")
              .reason == reason::relay_denied);
    CHECK(esc::classify("530 5.7.0 Authentication required").reason == reason::client_auth);
    // Postfix's recipient rate limit is a rate, not one message's recipient count.
    CHECK(esc::classify("450 4.7.1 Error: too many recipients from [192.0.2.1]").reason == reason::rate_limited);
    CHECK(esc::classify("452 4.5.3 Error: too many recipients").reason == reason::too_many_recipients);
    // Exim, OpenSMTPD, Dovecot.
    CHECK(esc::classify("all host address lookups failed permanently").reason == reason::domain_unknown);
    CHECK(esc::classify("all host address lookups failed temporarily").reason == reason::network);
    CHECK(esc::classify("retry time not reached for any host").reason == reason::network);
    CHECK(esc::classify("Temporary failure in MX lookup").reason == reason::network);
    CHECK(esc::classify("No valid route to destination").reason == reason::network);
    // Exim's text when the peer hangs up, with no reply to read.
    CHECK(esc::classify("Remote host closed connection in response to EHLO mx.example.org").reason ==
          reason::network);
    CHECK(esc::classify("H=mx.example.net [192.0.2.7]: Remote host closed connection after end of data").reason ==
          reason::network);
    CHECK(esc::classify("R=dnslookup defer (-1): host lookup did not complete").reason == reason::network);
    // Its router's self check: the domain routes back to this host, a loop.
    CHECK(esc::classify("lowest numbered MX record points to local host").reason == reason::network);
    CHECK(esc::classify("remote host address is the local host").reason == reason::network);
    // qmail's, when the server hung up before or in its greeting; a reply it quotes is read.
    CHECK(esc::classify("Connected to 192.0.2.1 but greeting failed.").reason == reason::network);
    CHECK(esc::classify("Connected to 192.0.2.1 but greeting failed. Remote host said: 554 5.7.1 Client host "
                        "blocked using zen.spamhaus.org")
              .reason == reason::blocked);
    CHECK(esc::classify("Connected to 192.0.2.1 but greeting failed. Remote host said: 554 mx.example.org ESMTP not "
                        "accepting messages")
              .reason == reason::system_error); // at the greeting: the server, not a mailbox
    // The sending MTA's own trouble: sendmail's queue disk, Postfix's delivery agents.
    CHECK(esc::classify("Insufficient disk space; try again later").reason == reason::system_error);
    CHECK(esc::classify("mail transport unavailable").reason == reason::system_error);
    CHECK(esc::classify("delivery temporarily suspended: mail transport unavailable").reason == reason::system_error);
    CHECK(esc::classify("delivery temporarily suspended: connect to mx.example.org[192.0.2.1]:25: Connection refused")
              .reason == reason::network);
    CHECK(esc::classify("451 4.3.0 <a@example.org> Temporary user lookup failure").reason == reason::system_error);
    CHECK(esc::classify("451 4.3.0 <a@example.org>: Temporary lookup failure").reason == reason::system_error);
    CHECK(esc::classify("550 <a@example.org>: Recipient address rejected: Account closed due to inactivity.").reason ==
          reason::mailbox_disabled);
}

TEST_CASE("MTAs' and filters' own words, found by a held-out check") {
    // A virus scanner that failed found no virus.
    CHECK(esc::classify("451 4.5.0 Error in processing, id=16348-01, virus_scan FAILED").reason ==
          reason::system_error);
    CHECK(esc::classify("450 Virus scanner error").reason == reason::system_error);
    CHECK(esc::classify("550 5.7.1 anti-virus unavailable").reason == reason::system_error);
    CHECK(esc::classify("451 4.7.1 Antivirus unavailable, try again later").reason == reason::system_error);
    CHECK(esc::classify("451 4.5.0 virus_scan: ALL VIRUS SCANNERS FAILED").reason == reason::system_error);
    CHECK(esc::classify("554 5.7.1 Virus found: Eicar-Test-Signature").reason == reason::virus);
    // Amavis's banned part is the message's content, not a banned host.
    CHECK(esc::classify("554 5.7.0 Reject, id=17352-01 - BANNED: application/x-ms-dos-executable").reason ==
          reason::content);
    CHECK(esc::classify("554 5.7.1 Your IP address is banned").reason == reason::blocked);
    // Authentication, in OpenSMTPD's and hMailServer's words.
    CHECK(esc::classify("530 5.5.1 Invalid command: Must issue an AUTH command first").reason == reason::client_auth);
    CHECK(esc::classify("500 5.5.1 Invalid command: Pipelining not supported").reason == reason::protocol);
    CHECK(esc::classify("550 Login credentials no longer valid. Please re-authenticate.").reason ==
          reason::client_auth);
    CHECK(esc::classify("535 Session expired, please re-authenticate").reason == reason::client_auth);
    CHECK(esc::classify("550 5.1.1 <a@example.org>: mailbox no longer exists").reason == reason::mailbox_unknown);
    // qmail: relaying refused, and a MAIL FROM refused as qmail-remote reports it.
    CHECK(esc::classify("553 we don't relay (#5.7.1)").reason == reason::relay_denied);
    CHECK(esc::classify("Connected to 192.0.2.1 but sender was rejected.").reason == reason::sender_rejected);
    // The reply it quotes says why, when there is one.
    CHECK(esc::classify("Connected to 192.0.2.1 but sender was rejected. Remote host said: 550 Your message looks "
                        "like SPAM")
              .reason == reason::spam);
    CHECK(esc::classify("Connected to 192.0.2.1 but sender was rejected. Remote host said: 451 4.3.0 Temporary "
                        "system failure, please try again later")
              .reason == reason::system_error);
    // Exchange's report of a message it gave up on.
    CHECK(esc::classify("Microsoft Exchange has been trying to deliver this message without success and has stopped "
                        "trying.")
              .reason == reason::expired);
    // Rates, whatever code they come with, and sessions.
    CHECK(esc::classify("452 4.4.5 Messages per second limit exceeded").reason == reason::rate_limited);
    CHECK(esc::classify("450 Number messages per hour exceeded").reason == reason::rate_limited);
    CHECK(esc::classify("451 4.2.1 Too many messages per minute from your host").reason == reason::rate_limited);
    CHECK(esc::classify("421 4.3.1 You send too many messages.").reason == reason::rate_limited);
    CHECK(esc::classify("451 4.5.1 [192.0.2.1] Max concurrent sessions (#1.04)").reason == reason::rate_limited);
    CHECK(esc::classify("500 The number of sessions exceeds the maximum").reason == reason::rate_limited);
    CHECK(esc::classify("450 too frequent connects from 192.0.2.1, please try again later.").reason ==
          reason::rate_limited);
    CHECK(esc::classify("550 5.7.1 Your IP 192.0.2.1 has been blocked because of too frequent spam complaints")
              .reason != reason::rate_limited);
    // Size and suspension.
    CHECK(esc::classify("501 5.7.1 Message is too long").reason == reason::message_too_large);
    CHECK(esc::classify("552 exceeded mailsize limit").reason == reason::message_too_large);
    CHECK(esc::classify("550 5.1.1 Suspended user").reason == reason::mailbox_disabled);
    // A resolver's failure, and qmail's bare-LF refusal, which is only a link.
    CHECK(esc::classify("450 Temp. resolver error (ESERVFAIL)").reason == reason::network);
    CHECK(esc::classify("451 DNS lookup: ESERVFAIL").reason == reason::network);
    CHECK(esc::classify("451 See http://pobox.com/~djb/docs/smtplf.html.").reason == reason::protocol);
    CHECK(esc::classify("451 See http://pobox.com/~djb/docs/other.html.").reason == reason::system_error);
}

TEST_CASE("gateways', senders' and hosts' documented words, found by a second held-out check") {
    // Rates counted per unit of time, whatever the code; e-mails spelled with a hyphen.
    CHECK(esc::classify("455 Maximum messages sent per minute reached : limit is 100").reason == reason::rate_limited);
    CHECK(esc::classify("550 5.1.1 Limit of messages per day reached for this account").reason ==
          reason::rate_limited);
    CHECK(esc::classify("550 5.7.1 You sent too many e-mails, try again tomorrow").reason == reason::rate_limited);
    // TLS asked of the sender's domain is about TLS, not the sender.
    CHECK(esc::classify("530 5.7.0 Your sender domain is required to send via an encrypted SMTP session").reason ==
          reason::encryption);
    // Reverse DNS, blocklisted addresses and hosts turned away at connect.
    CHECK(esc::classify("554 mx.example.net smtp no DNS reverse for 192.0.2.1").reason == reason::blocked);
    CHECK(esc::classify("501 5.7.1 <a@example.org>... Sender IP must resolve").reason == reason::blocked);
    CHECK(esc::classify("550 black ip").reason == reason::blocked);
    CHECK(esc::classify("554 You are not allowed to connect.").reason == reason::blocked);
    CHECK(esc::classify("550 You are not allowed to send to this list").reason != reason::blocked);
    CHECK(esc::classify("530 You are not allowed to connect to this server without SMTP AUTH").reason ==
          reason::client_auth);
    CHECK(esc::classify("451 4.3.0 Host 'mx1.example.net' is not allowed to connect to this MySQL server").reason ==
          reason::system_error);
    // qmail's rcpthosts, in any language, and relaying refused in other words.
    CHECK(esc::classify("553 este domínio não consta na minha lista de rcpthosts autorizados (#5.7.1)").reason ==
          reason::relay_denied);
    CHECK(esc::classify("550 5.7.1 Sorry, I don't allow unauthorized relaying.").reason == reason::relay_denied);
    // Accounts closed or disabled outweigh the 5.1.1 they come with.
    CHECK(esc::classify("550 <a@example.org>: Recipient address rejected: Account Closed").reason ==
          reason::mailbox_disabled);
    CHECK(esc::classify("550 5.1.1 a@example.org recipient rejected, account administratively disabled").reason ==
          reason::mailbox_disabled);
    CHECK(esc::classify("550 5.1.1 Inactive mbox").reason == reason::mailbox_disabled);
    CHECK(esc::classify("421 4.3.2 Service administratively disabled, try again later").reason ==
          reason::system_error);
    // A quota is the mailbox's; macros are content; a service failure is the server's.
    CHECK(esc::classify("552 5.2.2 Message size exceeds remaining quota").reason == reason::mailbox_full);
    CHECK(esc::classify("552 5.3.4 Message size exceeds fixed limit").reason == reason::message_too_large);
    CHECK(esc::classify("552 MS-Office file containing VBA macros found inside of the email").reason ==
          reason::content);
    CHECK(esc::classify("454 Temporary service failure").reason == reason::system_error);
}

TEST_CASE("less common MTAs' own words, found by a third held-out check") {
    // The server's own faults, not the sender's.
    CHECK(esc::classify("451 4.3.0 DKIM signing failed").reason == reason::system_error);
    CHECK(esc::classify("550 5.7.1 DKIM signature verification failed").reason == reason::sender_auth);
    CHECK(esc::classify("450 4.7.0 Backend failure. Please, retry later").reason == reason::system_error);
    CHECK(esc::classify("451 DNS temporary failure (#4.3.0)").reason == reason::network);
    // Connections, TLS, reverse DNS.
    CHECK(esc::classify("421 4.3.2 Too many open connections.").reason == reason::rate_limited);
    CHECK(esc::classify("403 4.7.0 encryption too weak 56 less than 128").reason == reason::encryption);
    CHECK(esc::classify("403 4.7.0 DANE check failed.").reason == reason::encryption);
    // qmail-tls's relay refusal: gatewaying is relaying.
    CHECK(esc::classify("553 sorry, that domain isn't in my list of allowed rcpthosts; no valid cert for gatewaying "
                        "(#5.7.1)")
              .reason == reason::relay_denied);
    CHECK(esc::classify("553 no valid cert for gatewaying: unable to get local issuer certificate (#5.7.1)").reason ==
          reason::relay_denied);
    CHECK(esc::classify("554 Sorry, no FCrDNS match found").reason == reason::blocked);
    CHECK(esc::classify("451 4.1.8 Possibly forged hostname for 192.0.2.1").reason == reason::blocked);
    // Protocol: line length, early talkers, skipped HELO, unknown commands.
    CHECK(esc::classify("550 maximum allowed line length is 998 octets, got 1500").reason == reason::protocol);
    CHECK(esc::classify("554 You talk too soon").reason == reason::protocol);
    CHECK(esc::classify("503 5.5.1 nice hosts say HELO first").reason == reason::protocol);
    CHECK(esc::classify("521 Too many unrecognized commands").reason == reason::protocol);
    // A bare line end is the message's content, as "bare LF" is; a parse failure too.
    CHECK(esc::classify("521 5.5.2 Error reading DATA: invalid line ending").reason == reason::content);
    CHECK(esc::classify("550 5.7.7 Failed to parse message.").reason == reason::content);
    CHECK(esc::classify("451 4.3.0 Internal server error: failed to parse message from queue").reason ==
          reason::system_error);
    CHECK(esc::classify("500 5.5.2 Invalid line endings; bare CR not allowed in SMTP commands").reason ==
          reason::protocol);
    // qmail's list of valid recipients; sendmail's sender without a domain, whatever its 5.5.4.
    CHECK(esc::classify("553 sorry, this recipient is not in my validrcptto list (#5.7.1)").reason ==
          reason::mailbox_unknown);
    CHECK(esc::classify("421 unable to read validrcptto.cdb (#4.3.0)").reason != reason::mailbox_unknown);
    CHECK(esc::classify("553 5.5.4 <user>... Domain name required for sender address user").reason ==
          reason::sender_rejected);
    CHECK(esc::classify("501 5.5.4 Syntax error in parameters").reason == reason::protocol);
}

TEST_CASE("review findings: stages, addresses, expiry after the reply, trailing codes") {
    // RFC 4954: 525 to AUTH is the AUTH user's account, not a recipient's.
    auto c = esc::classify(esc::parse_reply("525 \r\n").reply, command::auth);
    CHECK(c.reason == reason::client_auth);
    CHECK(c.verdict != esc::verdict::hard);
    // A provider's domain in a recipient address does not show that provider replied.
    c = esc::classify("550 5.4.1 <bob@outlook.com>: No route to host");
    CHECK(c.why.by != esc::decided_by::provider_rule);
    CHECK(c.reason == reason::network);
    // The queue's verdict after the reply still counts.
    CHECK(esc::classify("host mx.example.com [192.0.2.1]: 451 4.3.0 Temporary local problem\nretry timeout exceeded")
              .reason == reason::expired);
    // qmail's trailing code only leans, with or without a basic code.
    CHECK(esc::classify("Sorry, user is over quota (#5.1.1)").reason == reason::mailbox_full);
    // A phrase glued by ':' to an address is still prose.
    CHECK(esc::classify("550 5.7.1 User unknown:bob@example.com").reason == reason::mailbox_unknown);
    CHECK(esc::classify("550 Mailbox full:bob@example.com").reason == reason::mailbox_full);
    // URL blocklists are content judgements, read in their zone names.
    CHECK(esc::classify("554 5.7.1 Message contains a URL listed in multi.uribl.com").reason == reason::spam);
}
