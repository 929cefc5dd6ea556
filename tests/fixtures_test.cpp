// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Replies captured from real servers (Postfix 3.7.11 and Exim 4.96 from
// Debian 12) by tests/live/live_test.sh --capture; see tests/data/live/README.md.
// Each file holds the server's bytes of one session exactly as received. The
// expectations below were written for each reply (the command it answered,
// what esc should make of it); nothing is derived from esc at run time.

#include <esc/esc.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_data.hpp"

namespace {

using esc::command;
using esc::outcome;
using esc::reason;

constexpr bool sent = false;    // the server sent the enhanced code
constexpr bool inferred = true; // it did not: esc inferred it

struct expected_reply {
    command cmd;               // the command it answered
    int code;
    outcome result;
    reason why;
    std::string_view status;   // the effective enhanced code
    bool is_inferred;
    std::string_view says{};   // a piece of its text, where it matters
};

struct fixture {
    std::string_view name; // tests/data/live/<name>.txt
    std::vector<expected_reply> replies;
};

// --- Postfix 3.7.11: ENHANCEDSTATUSCODES, but none on the greeting, the EHLO
// reply and 354 (RFC 2034 exempts the first two).
const expected_reply pf_greeting{command::connect, 220, outcome::success, reason::none, "2.0.0", inferred,
                                 "mx.postfix.test ESMTP Postfix"};
const expected_reply pf_ehlo{command::ehlo, 250, outcome::success, reason::none, "2.0.0", inferred,
                             "ENHANCEDSTATUSCODES"};
const expected_reply pf_mail{command::mail, 250, outcome::success, reason::none, "2.1.0", sent, "Ok"};
const expected_reply pf_rcpt{command::rcpt, 250, outcome::success, reason::none, "2.1.5", sent, "Ok"};
const expected_reply pf_data{command::data, 354, outcome::intermediate, reason::none, "2.0.0", inferred,
                             "End data with"};
const expected_reply pf_queued{command::end_of_data, 250, outcome::success, reason::none, "2.0.0", sent,
                               "Ok: queued as"};
const expected_reply pf_quit{command::quit, 221, outcome::success, reason::none, "2.0.0", sent, "Bye"};
// DATA after every RCPT was refused (pipelined): the phrase tells why there is none.
const expected_reply pf_no_recipient{command::data, 554, outcome::permanent, reason::mailbox_unknown, "5.5.1", sent,
                                     "Error: no valid recipients"};
const expected_reply pf_not_recognized{command::unknown, 500, outcome::permanent, reason::protocol, "5.5.2", sent,
                                       "Error: command not recognized"};

// --- Exim 4.96: no enhanced codes at all; every status is inferred.
const expected_reply ex_greeting{command::connect, 220, outcome::success, reason::none, "2.0.0", inferred,
                                 "mx.exim.test ESMTP Exim 4.96"};
const expected_reply ex_ehlo{command::ehlo, 250, outcome::success, reason::none, "2.0.0", inferred, "PIPELINING"};
const expected_reply ex_mail{command::mail, 250, outcome::success, reason::none, "2.0.0", inferred, "OK"};
const expected_reply ex_rcpt{command::rcpt, 250, outcome::success, reason::none, "2.1.5", inferred, "Accepted"};
const expected_reply ex_data{command::data, 354, outcome::intermediate, reason::none, "2.0.0", inferred,
                             "Enter message"};
const expected_reply ex_accepted{command::end_of_data, 250, outcome::success, reason::none, "2.0.0", inferred,
                                 "OK id="};
const expected_reply ex_quit{command::quit, 221, outcome::success, reason::none, "2.0.0", inferred,
                             "closing connection"};
const expected_reply ex_unrecognized{command::unknown, 500, outcome::permanent, reason::protocol, "5.5.2", inferred,
                                     "unrecognized command"};

// DATA after every RCPT was refused: Exim quotes the refusal in a 3-line 503,
// and its phrases give the reason.
expected_reply ex_no_recipient(reason why) {
    return {command::data, 503, outcome::permanent, why, "5.5.1", inferred, "All RCPT commands were rejected"};
}

const std::vector<fixture>& fixtures() {
    static const std::vector<fixture> all = {
        // Postfix ------------------------------------------------------------
        {"postfix-deliver", {pf_greeting, pf_ehlo, pf_mail, pf_rcpt, pf_data, pf_queued, pf_quit}},
        {"postfix-deliver-lockstep", {pf_greeting, pf_ehlo, pf_mail, pf_rcpt, pf_data, pf_queued, pf_quit}},
        {"postfix-unknown-user",
         {pf_greeting, pf_ehlo, pf_mail,
          {command::rcpt, 550, outcome::permanent, reason::mailbox_unknown, "5.1.1", sent,
           "<ghost@example.test>: Recipient address rejected: User unknown in virtual mailbox table"},
          pf_no_recipient, pf_quit}},
        {"postfix-relay-denied",
         {pf_greeting, pf_ehlo, pf_mail,
          {command::rcpt, 554, outcome::permanent, reason::relay_denied, "5.7.1", sent,
           "<someone@elsewhere.test>: Relay access denied"},
          pf_no_recipient, pf_quit}},
        {"postfix-too-big",
         {pf_greeting, pf_ehlo,
          {command::mail, 552, outcome::permanent, reason::message_too_large, "5.3.4", sent,
           "Message size exceeds fixed limit"},
          {command::rcpt, 503, outcome::permanent, reason::protocol, "5.5.1", sent, "Error: need MAIL command"},
          {command::data, 503, outcome::permanent, reason::protocol, "5.5.1", sent, "Error: need RCPT command"},
          pf_quit}},
        {"postfix-too-big-data",
         {pf_greeting, pf_ehlo, pf_mail, pf_rcpt, pf_data,
          {command::end_of_data, 552, outcome::permanent, reason::message_too_large, "5.3.4", sent,
           "Error: message file too big"},
          pf_quit}},
        {"postfix-too-many-recipients",
         {pf_greeting, pf_ehlo, pf_mail, pf_rcpt, pf_rcpt, pf_rcpt,
          {command::rcpt, 452, outcome::transient, reason::too_many_recipients, "4.5.3", sent,
           "Error: too many recipients"},
          pf_data, pf_queued, pf_quit}},
        {"postfix-bad-syntax",
         {pf_greeting, pf_ehlo,
          // No enhanced code: RFC 2034 exempts replies to HELO, and Postfix uses that.
          {command::helo, 501, outcome::permanent, reason::protocol, "5.5.4", inferred, "Syntax: HELO hostname"},
          pf_quit}},
        {"postfix-unknown-command", {pf_greeting, pf_ehlo, pf_not_recognized, pf_quit}},
        {"postfix-temp-failure",
         {pf_greeting, pf_ehlo, pf_mail,
          {command::rcpt, 451, outcome::transient, reason::system_error, "4.3.5", sent,
           "<busy@example.test>: Recipient address rejected: Server configuration error"},
          pf_no_recipient, pf_quit}},
        {"postfix-slow", {pf_greeting, pf_ehlo, pf_mail, pf_rcpt, pf_data, pf_queued, pf_quit}},
        // The client gave up waiting: Postfix held the MAIL reply back while
        // it paused on the pipelined RCPT.
        {"postfix-timeout", {pf_greeting, pf_ehlo}},
        {"postfix-too-many-errors",
         {pf_greeting, pf_ehlo, pf_not_recognized, pf_not_recognized, pf_not_recognized, pf_not_recognized,
          pf_not_recognized,
          {command::unknown, 421, outcome::transient, reason::protocol, "4.7.0", sent,
           "mx.postfix.test Error: too many errors"}}},

        // Exim ---------------------------------------------------------------
        {"exim-deliver", {ex_greeting, ex_ehlo, ex_mail, ex_rcpt, ex_data, ex_accepted, ex_quit}},
        {"exim-deliver-lockstep", {ex_greeting, ex_ehlo, ex_mail, ex_rcpt, ex_data, ex_accepted, ex_quit}},
        {"exim-unknown-user",
         {ex_greeting, ex_ehlo, ex_mail,
          // Exim's words for "no router accepted the address": for a local
          // domain, an unknown user; esc reads "unrouteable" as a domain
          // problem (see tests/data/live/README.md).
          {command::rcpt, 550, outcome::permanent, reason::domain_unknown, "5.0.0", inferred, "Unrouteable address"},
          ex_no_recipient(reason::domain_unknown), ex_quit}},
        {"exim-relay-denied",
         {ex_greeting, ex_ehlo, ex_mail,
          {command::rcpt, 550, outcome::permanent, reason::relay_denied, "5.0.0", inferred, "relay not permitted"},
          ex_no_recipient(reason::relay_denied), ex_quit}},
        {"exim-too-big",
         {ex_greeting, ex_ehlo,
          {command::mail, 552, outcome::permanent, reason::message_too_large, "5.3.4", inferred,
           "Message size exceeds maximum permitted"},
          {command::rcpt, 503, outcome::permanent, reason::protocol, "5.5.1", inferred, "sender not yet given"},
          ex_no_recipient(reason::protocol), ex_quit}},
        {"exim-too-big-data",
         {ex_greeting, ex_ehlo, ex_mail, ex_rcpt, ex_data,
          {command::end_of_data, 552, outcome::permanent, reason::message_too_large, "5.3.4", inferred,
           "Message size exceeds maximum permitted"},
          ex_quit}},
        {"exim-too-many-recipients",
         {ex_greeting, ex_ehlo, ex_mail, ex_rcpt, ex_rcpt, ex_rcpt,
          // RFC 5321 4.5.3.1.10's reply; the inferred status follows the
          // reason the phrase gives (4.5.3), not 452's storage meaning (4.3.1).
          {command::rcpt, 452, outcome::transient, reason::too_many_recipients, "4.5.3", inferred,
           "too many recipients"},
          ex_data, ex_accepted, ex_quit}},
        {"exim-bad-syntax",
         {ex_greeting, ex_ehlo,
          {command::helo, 501, outcome::permanent, reason::protocol, "5.5.4", inferred,
           "Syntactically invalid HELO argument(s)"},
          ex_quit}},
        {"exim-unknown-command", {ex_greeting, ex_ehlo, ex_unrecognized, ex_quit}},
        {"exim-temp-failure",
         {ex_greeting, ex_ehlo, ex_mail,
          {command::rcpt, 451, outcome::transient, reason::system_error, "4.3.0", inferred,
           "Temporary local problem - please try later"},
          ex_no_recipient(reason::system_error), ex_quit}},
        {"exim-slow", {ex_greeting, ex_ehlo, ex_mail, ex_rcpt, ex_data, ex_accepted, ex_quit}},
        {"exim-timeout", {ex_greeting, ex_ehlo, ex_mail}},
        // Exim allows three unknown commands; the fourth ends the session,
        // with a 500 and no 421.
        {"exim-too-many-errors",
         {ex_greeting, ex_ehlo, ex_unrecognized, ex_unrecognized, ex_unrecognized,
          {command::unknown, 500, outcome::permanent, reason::protocol, "5.5.2", inferred,
           "Too many unrecognized commands"}}},
    };
    return all;
}

std::filesystem::path live_dir() { return esc_test::test_data_dir() / "live"; }

std::string load(std::string_view name) {
    const std::filesystem::path p = live_dir() / (std::string(name) + ".txt");
    REQUIRE_MESSAGE(std::filesystem::exists(p), "missing fixture " << p.string());
    return esc_test::read_file(p);
}

} // namespace

TEST_SUITE("fixtures") {

TEST_CASE("every captured reply parses, line ends intact, and classifies as expected") {
    for (const fixture& f : fixtures()) {
        CAPTURE(f.name);
        const std::string bytes = load(f.name);
        std::string_view rest = bytes;
        std::size_t n = 0;
        while (!rest.empty()) {
            CAPTURE(n);
            const esc::parsed_reply p = esc::parse_reply(rest);
            REQUIRE_MESSAGE(p, "reply " << n << " does not parse: " << esc::to_string(p.error));
            const esc::reply& r = p.reply;
            CAPTURE(r.raw);
            // Real servers, loopback, nothing in between: clean CRLF replies.
            CHECK_FALSE(r.warnings.any());
            CHECK(r.raw.size() >= 2);
            CHECK(r.raw.substr(r.raw.size() - 2) == "\r\n");
            REQUIRE_MESSAGE(n < f.replies.size(), "more replies than expected");
            const expected_reply& e = f.replies[n];
            CHECK(esc::to_int(r.code) == e.code);
            if (!e.says.empty()) CHECK(r.text.find(e.says) != std::string_view::npos);
            const esc::classification c = esc::classify(r, e.cmd);
            CHECK(c.outcome == e.result);
            CHECK(c.reason == e.why);
            CHECK(esc::to_string(c.status) == e.status);
            CHECK(c.inferred == e.is_inferred);
            CHECK(c.inferred == !r.status.has_value());
            rest.remove_prefix(p.offset);
            ++n;
        }
        CHECK(n == f.replies.size());
    }
}

TEST_CASE("the fixtures directory holds exactly the listed sessions") {
    std::set<std::string> on_disk;
    REQUIRE(std::filesystem::is_directory(live_dir()));
    for (const auto& entry : std::filesystem::directory_iterator(live_dir())) {
        const std::filesystem::path& p = entry.path();
        if (p.extension() == ".txt") on_disk.insert(p.stem().string());
        if (p.extension() == ".transcript") CHECK(std::filesystem::exists(p.parent_path() / (p.stem().string() + ".txt")));
    }
    std::set<std::string> listed;
    for (const fixture& f : fixtures()) {
        CHECK_MESSAGE(listed.insert(std::string(f.name)).second, "listed twice: " << f.name);
        CHECK(std::filesystem::exists(live_dir() / (std::string(f.name) + ".transcript")));
    }
    CHECK(on_disk == listed);
    // Both servers, every provoked case.
    for (std::string_view server : {"postfix", "exim"})
        for (std::string_view c : {"deliver", "unknown-user", "relay-denied", "too-big", "too-big-data",
                                   "too-many-recipients", "bad-syntax", "unknown-command", "temp-failure",
                                   "timeout", "too-many-errors"})
            CHECK_MESSAGE(listed.count(std::string(server) + "-" + std::string(c)) == 1, server << "-" << c);
}

// What a socket reader relies on: parse_reply() on whatever has arrived
// either finds the next reply, exactly as in the whole stream, or says it is
// incomplete; no prefix of a reply passes for a shorter reply.
TEST_CASE("every proper prefix of every captured reply is incomplete") {
    for (const fixture& f : fixtures()) {
        CAPTURE(f.name);
        const std::string bytes = load(f.name);
        const std::string_view all = bytes;
        std::size_t replies = 0;
        for (std::size_t at = 0; at < all.size(); ++replies) {
            const esc::parsed_reply whole = esc::parse_reply(all.substr(at));
            REQUIRE(whole);
            const std::string_view raw = whole.reply.raw;
            for (std::size_t k = 0; k < raw.size(); ++k) {
                // The prefix alone (a copy: nothing after it to peek at) ...
                const std::string prefix(raw.substr(0, k));
                const esc::parsed_reply p = esc::parse_reply(prefix);
                CAPTURE(prefix);
                REQUIRE(p.error == esc::reply_error::incomplete);
                CHECK(p.offset == k);
            }
            // ... and the whole reply, alone or with the rest of the stream after it.
            const esc::parsed_reply alone = esc::parse_reply(std::string(raw));
            CHECK(alone.offset == raw.size());
            CHECK(esc::parse_reply_text(raw).offset == raw.size());
            at += whole.offset;
        }
        CHECK(replies == f.replies.size());
    }
}

TEST_CASE("a session read in pieces gives the same replies at the same offsets") {
    for (const fixture& f : fixtures()) {
        CAPTURE(f.name);
        const std::string bytes = load(f.name);
        std::vector<std::size_t> ends; // where each reply ends in the whole stream
        for (std::size_t at = 0; at < bytes.size();) {
            const esc::parsed_reply p = esc::parse_reply(std::string_view(bytes).substr(at));
            REQUIRE(p);
            at += p.offset;
            ends.push_back(at);
        }
        // Byte by byte, parse_reply() on everything received since the last reply.
        std::size_t start = 0, next = 0;
        for (std::size_t received = 1; received <= bytes.size(); ++received) {
            const std::string so_far = bytes.substr(start, received - start);
            const esc::parsed_reply p = esc::parse_reply(so_far);
            if (!p) {
                CHECK(p.error == esc::reply_error::incomplete);
                continue;
            }
            REQUIRE(next < ends.size());
            CHECK(start + p.offset == ends[next]);
            start += p.offset;
            ++next;
        }
        CHECK(next == ends.size());
    }
}

TEST_CASE("the enhanced codes of each server: Postfix sends them, Exim never does") {
    for (const fixture& f : fixtures()) {
        CAPTURE(f.name);
        const bool postfix = f.name.substr(0, 8) == "postfix-";
        const std::string bytes = load(f.name);
        std::string_view rest = bytes;
        bool any_status = false;
        while (!rest.empty()) {
            const esc::parsed_reply p = esc::parse_reply(rest);
            REQUIRE(p);
            any_status = any_status || p.reply.status.has_value();
            rest.remove_prefix(p.offset);
        }
        if (postfix && f.name != "postfix-timeout")
            CHECK(any_status);
        else if (!postfix)
            CHECK_FALSE(any_status);
    }
}

} // TEST_SUITE
