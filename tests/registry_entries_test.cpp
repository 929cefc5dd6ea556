// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// One test per registry entry, written out by name: title, associated basic
// codes, meaningful classes, deprecation. The expectations come from the IANA
// registry (titles, basic codes) and the defining RFCs (classes), not from
// esc's table; registry_reference_test.cpp compares the table with the CSV.
#include <esc/registry.hpp>

#include <doctest/doctest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

using esc::pairing_rule;
using esc::status_class;

namespace {

constexpr auto S = status_class::success;
constexpr auto T = status_class::transient;
constexpr auto P = status_class::permanent;

void check_entry(int subject, int detail, std::string_view title, std::initializer_list<int> basic, pairing_rule rule,
                 std::initializer_list<status_class> classes, bool deprecated) {
    const esc::status_code code{P, static_cast<std::uint16_t>(subject), static_cast<std::uint16_t>(detail)};
    const esc::registry_entry* e = esc::lookup(code);
    REQUIRE(e != nullptr);
    CHECK(e->subject == subject);
    CHECK(e->detail == detail);
    CHECK(e->title == title);
    CHECK(e->associated.rule() == rule);
    CHECK(std::vector<int>(e->associated.begin(), e->associated.end()) == std::vector<int>(basic));
    for (status_class c : {S, T, P}) {
        bool expected = false;
        for (status_class m : classes) expected = expected || m == c;
        CAPTURE(static_cast<int>(c));
        CHECK(e->classes.contains(c) == expected);
    }
    CHECK(e->deprecated == deprecated);
    CHECK(e->description.size() > 20);
    CHECK(e->description != e->title);
    CHECK(e->description.back() == '.');
    CHECK_FALSE(e->references.empty());
}

} // namespace

TEST_CASE("X.0.0 Other undefined Status") {
    check_entry(0, 0, "Other undefined Status", {}, pairing_rule::any, {S, T, P}, false);
}

TEST_CASE("X.1.0 Other address status") {
    check_entry(1, 0, "Other address status", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.1.1 Bad destination mailbox address") {  // RFC 3463: only useful for permanent failures
    check_entry(1, 1, "Bad destination mailbox address", {451, 550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.1.2 Bad destination system address") {  // RFC 3463: only useful for permanent failures
    check_entry(1, 2, "Bad destination system address", {}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.1.3 Bad destination mailbox address syntax") {  // RFC 3463: only useful for permanent failures
    check_entry(1, 3, "Bad destination mailbox address syntax", {501}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.1.4 Destination mailbox address ambiguous") {
    check_entry(1, 4, "Destination mailbox address ambiguous", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.1.5 Destination address valid") {  // RFC 3463: for positive delivery reports
    check_entry(1, 5, "Destination address valid", {250}, pairing_rule::listed, {S}, false);
}

TEST_CASE("X.1.6 Destination mailbox has moved, No forwarding address") {  // RFC 3463: only useful for permanent failures
    check_entry(1, 6, "Destination mailbox has moved, No forwarding address", {}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.1.7 Bad sender's mailbox address syntax") {
    check_entry(1, 7, "Bad sender's mailbox address syntax", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.1.8 Bad sender's system address") {
    check_entry(1, 8, "Bad sender's system address", {451, 501}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.1.9 Message relayed to non-compliant mailer") {
    check_entry(1, 9, "Message relayed to non-compliant mailer", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.1.10 Recipient address has null MX") {
    check_entry(1, 10, "Recipient address has null MX", {556}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.2.0 Other or undefined mailbox status") {
    check_entry(2, 0, "Other or undefined mailbox status", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.2.1 Mailbox disabled, not accepting messages") {  // RFC 3463: permanent or transient
    check_entry(2, 1, "Mailbox disabled, not accepting messages", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.2.2 Mailbox full") {  // RFC 3463 wants transient; the registry pairs it with 552
    check_entry(2, 2, "Mailbox full", {552}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.2.3 Message length exceeds administrative limit") {  // RFC 3463: a permanent failure
    check_entry(2, 3, "Message length exceeds administrative limit", {552}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.2.4 Mailing list expansion problem") {  // RFC 3463: permanent or persistent transient
    check_entry(2, 4, "Mailing list expansion problem", {450, 452}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.3.0 Other or undefined mail system status") {
    check_entry(3, 0, "Other or undefined mail system status", {221, 250, 421, 451, 550, 554}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.3.1 Mail system full") {  // RFC 3463: only as a persistent transient error
    check_entry(3, 1, "Mail system full", {452}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.3.2 System not accepting network messages") {  // RFC 3463: both permanent and persistent transient
    check_entry(3, 2, "System not accepting network messages", {453, 521}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.3.3 System not capable of selected features") {
    check_entry(3, 3, "System not capable of selected features", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.3.4 Message too big for system") {  // RFC 3463: only as a permanent error
    check_entry(3, 4, "Message too big for system", {552, 554}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.3.5 System incorrectly configured") {
    check_entry(3, 5, "System incorrectly configured", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.3.6 Requested priority was changed") {
    check_entry(3, 6, "Requested priority was changed", {250, 251}, pairing_rule::listed, {S}, false);
}

TEST_CASE("X.4.0 Other or undefined network or routing status") {
    check_entry(4, 0, "Other or undefined network or routing status", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.4.1 No answer from host") {  // RFC 3463: only as a persistent transient error
    check_entry(4, 1, "No answer from host", {451}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.4.2 Bad connection") {  // RFC 3463: only as a persistent transient error
    check_entry(4, 2, "Bad connection", {421}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.4.3 Directory server failure") {  // RFC 3463: only as a persistent transient error
    check_entry(4, 3, "Directory server failure", {451, 550}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.4.4 Unable to route") {  // RFC 3463: both permanent and persistent transient
    check_entry(4, 4, "Unable to route", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.4.5 Mail system congestion") {  // RFC 3463: only as a persistent transient error
    check_entry(4, 5, "Mail system congestion", {451}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.4.6 Routing loop detected") {  // RFC 3463: only as a persistent transient error
    check_entry(4, 6, "Routing loop detected", {}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.4.7 Delivery time expired") {
    check_entry(4, 7, "Delivery time expired", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.5.0 Other or undefined protocol status") {
    check_entry(5, 0, "Other or undefined protocol status", {220, 250, 251, 252, 253, 451, 452, 454, 458, 459, 501, 502, 503, 554}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.5.1 Invalid command") {  // RFC 3463: only as a permanent error
    check_entry(5, 1, "Invalid command", {430, 500, 501, 503, 530, 550, 554, 555}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.5.2 Syntax error") {  // RFC 3463: only as a permanent error
    check_entry(5, 2, "Syntax error", {500, 501, 502, 550, 555}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.5.3 Too many recipients") {
    check_entry(5, 3, "Too many recipients", {451}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.5.4 Invalid command arguments") {  // RFC 3463: only as a permanent error
    check_entry(5, 4, "Invalid command arguments", {451, 501, 502, 503, 504, 550, 555}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.5.5 Wrong protocol version") {
    check_entry(5, 5, "Wrong protocol version", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.5.6 Authentication Exchange line is too long") {
    check_entry(5, 6, "Authentication Exchange line is too long", {500}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.6.0 Other or undefined media error") {
    check_entry(6, 0, "Other or undefined media error", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.6.1 Media not supported") {  // RFC 3463: only as a permanent error
    check_entry(6, 1, "Media not supported", {}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.6.2 Conversion required and prohibited") {
    check_entry(6, 2, "Conversion required and prohibited", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.6.3 Conversion required but not supported") {
    check_entry(6, 3, "Conversion required but not supported", {554}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.6.4 Conversion with loss performed") {  // RFC 3463: a warning on success, or permanent
    check_entry(6, 4, "Conversion with loss performed", {250}, pairing_rule::listed, {S, P}, false);
}

TEST_CASE("X.6.5 Conversion Failed") {  // RFC 3463: permanent or persistent temporary
    check_entry(6, 5, "Conversion Failed", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.6.6 Message content not available") {
    check_entry(6, 6, "Message content not available", {554}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.6.7 Non-ASCII addresses not permitted for that sender/recipient") {
    check_entry(6, 7, "Non-ASCII addresses not permitted for that sender/recipient", {553, 550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.6.8 UTF-8 string reply is required, but not permitted by the SMTP client") {
    check_entry(6, 8, "UTF-8 string reply is required, but not permitted by the SMTP client", {252, 553, 550}, pairing_rule::listed, {S, P}, false);
}

TEST_CASE("X.6.9 UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected") {
    check_entry(6, 9, "UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.6.10 (deprecated, no title)") {
    check_entry(6, 10, "", {}, pairing_rule::listed, {S, P}, true);
}

TEST_CASE("X.7.0 Other or undefined security status") {
    check_entry(7, 0, "Other or undefined security status", {220, 235, 450, 454, 500, 501, 503, 504, 530, 535, 550}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.7.1 Delivery not authorized, message refused") {  // RFC 3463: only as a permanent error
    check_entry(7, 1, "Delivery not authorized, message refused", {451, 454, 502, 503, 533, 550, 551}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.2 Mailing list expansion prohibited") {  // RFC 3463: only as a permanent error
    check_entry(7, 2, "Mailing list expansion prohibited", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.3 Security conversion required but not possible") {  // RFC 3463: only as a permanent error
    check_entry(7, 3, "Security conversion required but not possible", {}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.4 Security features not supported") {  // RFC 3463: only as a permanent error
    check_entry(7, 4, "Security features not supported", {504}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.5 Cryptographic failure") {
    check_entry(7, 5, "Cryptographic failure", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.7.6 Cryptographic algorithm not supported") {
    check_entry(7, 6, "Cryptographic algorithm not supported", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.7.7 Message integrity failure") {  // RFC 3463: permanent, transient or success
    check_entry(7, 7, "Message integrity failure", {}, pairing_rule::listed, {S, T, P}, false);
}

TEST_CASE("X.7.8 Authentication credentials invalid") {
    check_entry(7, 8, "Authentication credentials invalid", {535, 554}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.9 Authentication mechanism is too weak") {
    check_entry(7, 9, "Authentication mechanism is too weak", {534}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.10 Encryption Needed") {
    check_entry(7, 10, "Encryption Needed", {523}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.11 Encryption required for requested authentication mechanism") {
    check_entry(7, 11, "Encryption required for requested authentication mechanism", {524, 538}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.12 A password transition is needed") {
    check_entry(7, 12, "A password transition is needed", {422, 432}, pairing_rule::listed, {T}, false);
}

TEST_CASE("X.7.13 User Account Disabled") {
    check_entry(7, 13, "User Account Disabled", {525}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.14 Trust relationship required") {
    check_entry(7, 14, "Trust relationship required", {535, 554}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.15 Priority Level is too low") {
    check_entry(7, 15, "Priority Level is too low", {450, 550}, pairing_rule::listed_or_any_failure, {T, P}, false);
}

TEST_CASE("X.7.16 Message is too big for the specified priority") {
    check_entry(7, 16, "Message is too big for the specified priority", {552}, pairing_rule::listed_or_any_failure, {T, P}, false);
}

TEST_CASE("X.7.17 Mailbox owner has changed") {
    check_entry(7, 17, "Mailbox owner has changed", {}, pairing_rule::any_permanent, {P}, false);
}

TEST_CASE("X.7.18 Domain owner has changed") {
    check_entry(7, 18, "Domain owner has changed", {}, pairing_rule::any_permanent, {P}, false);
}

TEST_CASE("X.7.19 RRVS test cannot be completed") {
    check_entry(7, 19, "RRVS test cannot be completed", {}, pairing_rule::any_permanent, {P}, false);
}

TEST_CASE("X.7.20 No passing DKIM signature found") {
    check_entry(7, 20, "No passing DKIM signature found", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.21 No acceptable DKIM signature found") {
    check_entry(7, 21, "No acceptable DKIM signature found", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.22 No valid author-matched DKIM signature found") {
    check_entry(7, 22, "No valid author-matched DKIM signature found", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.23 SPF validation failed") {
    check_entry(7, 23, "SPF validation failed", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.24 SPF validation error") {
    check_entry(7, 24, "SPF validation error", {451, 550}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.7.25 Reverse DNS validation failed") {
    check_entry(7, 25, "Reverse DNS validation failed", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.26 Multiple authentication checks failed") {
    check_entry(7, 26, "Multiple authentication checks failed", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.27 Sender address has null MX") {
    check_entry(7, 27, "Sender address has null MX", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.28 Mail flood detected") {
    check_entry(7, 28, "Mail flood detected", {}, pairing_rule::listed, {T, P}, false);
}

TEST_CASE("X.7.29 ARC validation failure") {
    check_entry(7, 29, "ARC validation failure", {550}, pairing_rule::listed, {P}, false);
}

TEST_CASE("X.7.30 REQUIRETLS support required") {
    check_entry(7, 30, "REQUIRETLS support required", {550}, pairing_rule::listed, {P}, false);
}
