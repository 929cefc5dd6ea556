// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/dsn.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_data.hpp"

using namespace esc::literals;
using namespace std::string_literals;
using esc::dsn_action;
using esc::dsn_error;
using esc::dsn_recipient_fields;

namespace {

// Views into a folded value, unfolded for comparison.
std::string flat(std::string_view raw) {
    std::string buf(raw.size(), '\0');
    return std::string(esc::unfold(raw, buf.data(), buf.data() + buf.size()));
}

using esc_test::with_line_ends;

const std::string postfix_dsn = "Reporting-MTA: dns; mail.example.org\n"
                                "X-Postfix-Queue-ID: 9C81E2203D\n"
                                "X-Postfix-Sender: rfc822; alice@example.org\n"
                                "Arrival-Date: Fri, 24 Oct 2014 10:46:18 +0000 (UTC)\n"
                                "\n"
                                "Final-Recipient: rfc822; bob@example.com\n"
                                "Original-Recipient: rfc822;bob@example.com\n"
                                "Action: failed\n"
                                "Status: 5.1.1\n"
                                "Remote-MTA: dns; mx.example.com\n"
                                "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address\n"
                                "    rejected: User unknown in local recipient table\n"
                                "\n"
                                "Final-Recipient: rfc822; carol@example.net\n"
                                "Action: delayed\n"
                                "Status: 4.4.1\n"
                                "Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.1]:25: Connection\n"
                                "    timed out\n"
                                "Will-Retry-Until: Sat, 25 Oct 2014 10:46:18 +0000 (UTC)\n";

// Reading and writing work in constant expressions (header-only builds: in
// compiled mode the reader and the writer are compiled once, not constexpr).
#if ESC_HEADER_ONLY
constexpr bool read_at_compile_time() {
    esc::delivery_status_reader reader("Reporting-MTA: dns; a.example\r\n\r\n"
                                       "Final-Recipient: rfc822; <b@c.example>\r\nAction: failed\r\n"
                                       "Status: 5.1.1 (bad address)\r\nDiagnostic-Code: smtp; 550 5.1.1 No\r\n"
                                       "  such user\r\n");
    dsn_recipient_fields f;
    return reader.message().reporting_mta.value == "a.example" && reader.next(f) &&
           f.recipient() == "b@c.example" && f.action == dsn_action::failed && f.status == "5.1.1"_esc &&
           f.warnings.status_not_bare && f.diagnostic_code.type == "smtp" && !reader.next(f);
}
static_assert(read_at_compile_time());

constexpr bool write_at_compile_time() {
    esc::dsn_message_fields m;
    m.reporting_mta = {"", "a.example"};
    dsn_recipient_fields r;
    r.final_recipient = {"", "b@c.example"};
    r.action = dsn_action::delayed;
    r.status = std::optional<esc::status_code>("4.2.2"_esc);
    char buf[128] = {};
    const esc::dsn_write_result w = esc::write_delivery_status(buf, buf + sizeof buf, m, &r, 1);
    return w && std::string_view(buf, w.size) == "Reporting-MTA: dns; a.example\r\n\r\n"
                                                 "Final-Recipient: rfc822; b@c.example\r\n"
                                                 "Action: delayed\r\nStatus: 4.2.2\r\n";
}
static_assert(write_at_compile_time());
#endif

} // namespace

TEST_CASE("typed values: type and value split at the first ';'") {
    constexpr auto v = esc::parse_typed_value(" rfc822;  bob@example.com ");
    static_assert(v.type == "rfc822" && v.value == "bob@example.com");
    CHECK(esc::parse_typed_value("smtp; 550 5.1.1 a; b").value == "550 5.1.1 a; b");
    CHECK(esc::parse_typed_value("bob@example.com").type.empty());
    CHECK(esc::parse_typed_value("bob@example.com").value == "bob@example.com");
    CHECK(esc::parse_typed_value("").empty());
    CHECK(esc::parse_typed_value("X-Postfix; host said").type == "X-Postfix");
}

TEST_CASE("address_of drops angle brackets and a trailing comment") {
    CHECK(esc::address_of({"rfc822", "<Bob@Example.com>"}) == "Bob@Example.com");
    CHECK(esc::address_of({"rfc822", "bob@example.com (Bob Smith)"}) == "bob@example.com");
    CHECK(esc::address_of({"rfc822", "< bob@example.com > (a (nested) comment)"}) == "bob@example.com");
    CHECK(esc::address_of({"rfc822", "bob@example.com"}) == "bob@example.com");
    CHECK(esc::address_of({"rfc822", "<unclosed@example.com"}) == "<unclosed@example.com");
    CHECK(esc::address_of({}).empty());
}

TEST_CASE("actions: case-insensitive, comments ignored, unknown values flagged") {
    static_assert(esc::parse_dsn_action("failed") == dsn_action::failed);
    CHECK(esc::parse_dsn_action("FAILED") == dsn_action::failed);
    CHECK(esc::parse_dsn_action("delayed (will retry)") == dsn_action::delayed);
    CHECK(esc::parse_dsn_action("Delivered") == dsn_action::delivered);
    CHECK(esc::parse_dsn_action("relayed") == dsn_action::relayed);
    CHECK(esc::parse_dsn_action("expanded") == dsn_action::expanded);
    CHECK(esc::parse_dsn_action("bounced") == dsn_action::unknown);
    CHECK(esc::parse_dsn_action("  ") == dsn_action::none);
    CHECK(esc::to_string(dsn_action::delayed) == "delayed");
}

TEST_CASE("unfold joins folded lines with one space, without copying unfolded text") {
    char buf[64];
    const std::string_view plain = "no folding here";
    CHECK(esc::unfold(plain, buf, buf + sizeof buf).data() == plain.data());
    CHECK(flat("550 5.1.1 Recipient address\r\n    rejected: User unknown") ==
          "550 5.1.1 Recipient address rejected: User unknown");
    CHECK(flat("a  \n\tb\rc\r\n d") == "a b c d");
    // A short buffer gets a prefix, never an overrun.
    char small[4];
    CHECK(esc::unfold("abc\n def", small, small + sizeof small) == "abc ");
}

TEST_CASE("header_fields visits every field, folded ones whole, and stops at a blank line") {
    const std::string block = "Reporting-MTA: dns; a.example\r\n"
                              "X-Custom: one\r\n"
                              "  two\r\n"
                              "not a field\r\n"
                              "status : 5.0.0\r\n"
                              "\r\n"
                              "After: blank\r\n";
    std::vector<std::string> names, values;
    for (const esc::header_field& f : esc::header_fields(block)) {
        names.emplace_back(f.name);
        values.push_back(flat(f.value));
    }
    CHECK(names == std::vector<std::string>{"Reporting-MTA", "X-Custom", "status"});
    CHECK(values == std::vector<std::string>{"dns; a.example", "one two", "5.0.0"});
    const auto custom = esc::find_field(block, "x-custom");
    REQUIRE(custom);
    CHECK(custom->offset == block.find("X-Custom"));
    CHECK_FALSE(esc::find_field(block, "After"));
}

TEST_CASE("a Postfix DSN: per-message fields, two recipient groups, folding, X- fields kept") {
    dsn_recipient_fields storage[4];
    const esc::dsn_report r = esc::parse_delivery_status(postfix_dsn, storage);
    REQUIRE(r);
    CHECK(r.error == dsn_error::none);
    CHECK(r.message.reporting_mta.type == "dns");
    CHECK(r.message.reporting_mta.value == "mail.example.org");
    CHECK(r.message.arrival_date == "Fri, 24 Oct 2014 10:46:18 +0000 (UTC)");
    CHECK(r.message.extension_fields == 2);
    const auto sender = esc::find_field(r.message.raw, "X-Postfix-Sender");
    REQUIRE(sender);
    CHECK(esc::address_of(esc::parse_typed_value(sender->value)) == "alice@example.org");
    CHECK_FALSE(r.warnings.any());

    REQUIRE(r.count == 2);
    CHECK(r.total == 2);
    const dsn_recipient_fields& bob = r.recipients[0];
    CHECK(bob.recipient() == "bob@example.com");
    CHECK(bob.final_recipient.type == "rfc822");
    CHECK(esc::address_of(bob.original_recipient) == "bob@example.com");
    CHECK(bob.action == dsn_action::failed);
    CHECK(bob.status == "5.1.1"_esc);
    CHECK(bob.remote_mta.value == "mx.example.com");
    CHECK(bob.diagnostic_code.type == "smtp");
    CHECK(flat(bob.diagnostic_code.value) ==
          "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table");
    CHECK_FALSE(bob.warnings.any());
    CHECK(bob.offset == postfix_dsn.find("Final-Recipient: rfc822; bob"));

    const dsn_recipient_fields& carol = r.recipients[1];
    CHECK(carol.recipient() == "carol@example.net");
    CHECK(carol.action == dsn_action::delayed);
    CHECK(carol.status == "4.4.1"_esc);
    CHECK(carol.diagnostic_code.type == "X-Postfix");
    CHECK(flat(carol.diagnostic_code.value) == "connect to mx.example.net[192.0.2.1]:25: Connection timed out");
    CHECK(carol.will_retry_until == "Sat, 25 Oct 2014 10:46:18 +0000 (UTC)");
    CHECK(carol.original_recipient.empty());
}

TEST_CASE("CRLF, LF and CR-only line ends read the same") {
    for (std::string_view eol : {"\r\n", "\n", "\r"}) {
        CAPTURE(eol.size());
        const std::string body = with_line_ends(postfix_dsn, eol);
        dsn_recipient_fields storage[4];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        REQUIRE(r.count == 2);
        CHECK(r.recipients[0].recipient() == "bob@example.com");
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(flat(r.recipients[0].diagnostic_code.value) ==
              "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table");
        CHECK(r.recipients[1].recipient() == "carol@example.net");
        CHECK(r.message.extension_fields == 2);
    }
}

TEST_CASE("field names in any case; comments after Status and Action") {
    const std::string body = "REPORTING-MTA: DNS; mx.example.org\n"
                             "\n"
                             "final-recipient: RFC822; <Bob@Example.com> (Bob)\n"
                             "ACTION: Failed (bad address)\n"
                             "status: 5.0.0 (permanent failure)\n"
                             "DIAGNOSTIC-CODE: SMTP; 550 User unknown\n";
    dsn_recipient_fields storage[1];
    const esc::dsn_report r = esc::parse_delivery_status(body, storage);
    REQUIRE(r);
    CHECK(r.message.reporting_mta.value == "mx.example.org");
    const dsn_recipient_fields& f = r.recipients[0];
    CHECK(f.recipient() == "Bob@Example.com");
    CHECK(f.action == dsn_action::failed);
    CHECK(f.action_text == "Failed (bad address)");
    CHECK(f.status == "5.0.0"_esc);
    CHECK(f.status_text == "5.0.0 (permanent failure)");
    CHECK(f.warnings.status_not_bare);
    CHECK_FALSE(f.warnings.status_not_first);
    CHECK(f.diagnostic_code.type == "SMTP");
}

TEST_CASE("a Status that is not a bare code is read leniently and flagged") {
    const std::string body = "Reporting-MTA: dns; a.example\n\n"
                             "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 550 5.1.1\n\n"
                             "Final-Recipient: rfc822; b@example.com\nAction: failed\nStatus: permanent\n\n"
                             "Final-Recipient: rfc822; c@example.com\nAction: failed\nStatus: 5.1.1.\n";
    dsn_recipient_fields storage[3];
    const esc::dsn_report r = esc::parse_delivery_status(body, storage);
    REQUIRE(r.count == 3);
    CHECK(r.recipients[0].status == "5.1.1"_esc);
    CHECK(r.recipients[0].warnings.status_not_first);
    CHECK_FALSE(r.recipients[1].status);
    CHECK(r.recipients[1].warnings.no_status);
    CHECK(r.recipients[1].status_text == "permanent");
    CHECK(r.recipients[2].status == "5.1.1"_esc);
}

TEST_CASE("unknown fields are counted and stay reachable through raw") {
    const std::string body = "Reporting-MTA: dns; a.example\n"
                             "X-Queue: 42\n"
                             "\n"
                             "Final-Recipient: rfc822; a@example.com\n"
                             "Action: failed\n"
                             "Status: 5.2.2\n"
                             "X-Mailbox-Usage: 100%\n"
                             "X-Remote-Reply: 552 too big\n";
    dsn_recipient_fields storage[1];
    const esc::dsn_report r = esc::parse_delivery_status(body, storage);
    REQUIRE(r);
    CHECK(r.message.extension_fields == 1);
    CHECK(r.recipients[0].extension_fields == 2);
    const auto usage = esc::find_field(r.recipients[0].raw, "x-mailbox-usage");
    REQUIRE(usage);
    CHECK(usage->value == "100%");
    CHECK(r.recipients[0].raw.substr(0, 16) == "Final-Recipient:");
}

TEST_CASE("sloppy DSNs: no per-message group, groups run together, stray lines, repeated fields") {
    SUBCASE("the body starts with a recipient group") {
        const std::string body = "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n";
        dsn_recipient_fields storage[1];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        CHECK(r.warnings.no_message_group);
        CHECK(r.warnings.no_reporting_mta);
        CHECK(r.recipients[0].recipient() == "a@example.com");
        CHECK(r.recipients[0].warnings.not_separated);
    }
    SUBCASE("two recipients without a blank line between them") {
        const std::string body = "Reporting-MTA: dns; a.example\n"
                                 "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n"
                                 "Original-Recipient: rfc822; b@example.com\n"
                                 "Final-Recipient: rfc822; b@example.com\nAction: delayed\nStatus: 4.2.2\n";
        dsn_recipient_fields storage[2];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        REQUIRE(r.count == 2);
        CHECK(r.message.reporting_mta.value == "a.example");
        CHECK(r.recipients[0].recipient() == "a@example.com");
        CHECK(r.recipients[1].recipient() == "b@example.com");
        CHECK(r.recipients[1].status == "4.2.2"_esc);
        CHECK(r.recipients[1].warnings.not_separated);
    }
    SUBCASE("lines that are not fields are skipped and reported") {
        const std::string body = "Reporting-MTA: dns; a.example\n\n"
                                 "this is not a field\n"
                                 "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n";
        dsn_recipient_fields storage[1];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        CHECK(r.warnings.malformed_lines);
        CHECK(r.warnings.first_malformed == body.find("this is"));
        CHECK(r.recipients[0].recipient() == "a@example.com");
    }
    SUBCASE("groups run together in another field order") {
        const std::string body = "Reporting-MTA: dns; a.example\n\n"
                                 "Action: failed\nStatus: 5.0.0\nOriginal-recipient: rfc822;a@example.com\n"
                                 "Final-recipient: rfc822;a@example.com\n"
                                 "Action: failed\nStatus: 5.0.0\nOriginal-recipient: rfc822;b@example.com\n"
                                 "Final-recipient: rfc822;b@example.com\n";
        dsn_recipient_fields storage[2];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        REQUIRE(r.count == 2);
        CHECK(r.recipients[0].recipient() == "a@example.com");
        CHECK(r.recipients[1].recipient() == "b@example.com");
        CHECK(r.recipients[1].action == dsn_action::failed);
    }
    SUBCASE("a repeated field keeps the first value") {
        const std::string body = "Reporting-MTA: dns; a.example\n\n"
                                 "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n"
                                 "Remote-MTA: dns; one.example\nRemote-MTA: dns; two.example\n";
        dsn_recipient_fields storage[1];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        CHECK(r.total == 1);
        CHECK(r.recipients[0].remote_mta.value == "one.example");
        CHECK(r.recipients[0].warnings.repeated_field);
    }
    SUBCASE("a repeated Action or Status inside one group does not split it") {
        const std::string body = "Reporting-MTA: dns; a.example\n\n"
                                 "Final-Recipient: rfc822; a@example.com\nAction: failed\nAction: failed\n"
                                 "Status: 5.1.1\nStatus: 5.1.1\nFinal-Recipient: rfc822; A@example.com\n"
                                 "Diagnostic-Code: smtp; 550 5.1.1 unknown\n\n"
                                 "Final-Recipient: rfc822; b@example.com\nAction: delayed\nStatus: 4.2.2\n";
        dsn_recipient_fields storage[3];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        REQUIRE(r.total == 2);
        CHECK(r.recipients[0].recipient() == "a@example.com");
        CHECK(r.recipients[0].action == dsn_action::failed);
        CHECK(r.recipients[0].status == "5.1.1"_esc);
        CHECK(r.recipients[0].diagnostic_code.value == "550 5.1.1 unknown");
        CHECK(r.recipients[0].warnings.repeated_field);
        CHECK(r.recipients[1].recipient() == "b@example.com");
        // Run together, recipient first: still two groups.
        const std::string together = "Final-Recipient: rfc822; a@example.com\nAction: failed\nAction: failed\n"
                                     "Status: 5.1.1\nFinal-Recipient: rfc822; b@example.com\nAction: failed\n";
        const esc::dsn_report t = esc::parse_delivery_status(together, storage);
        REQUIRE(t.total == 2);
        CHECK(t.recipients[0].status == "5.1.1"_esc);
        CHECK(t.recipients[1].recipient() == "b@example.com");
        CHECK_FALSE(t.recipients[1].status);
    }
    SUBCASE("missing required fields are flagged, not fatal") {
        const std::string body = "Reporting-MTA: dns; a.example\n\nOriginal-Recipient: rfc822; a@example.com\n";
        dsn_recipient_fields storage[1];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        CHECK(r.recipients[0].recipient() == "a@example.com");
        CHECK(r.recipients[0].warnings.no_final_recipient);
        CHECK(r.recipients[0].warnings.no_action);
        CHECK(r.recipients[0].warnings.no_status);
    }
    SUBCASE("a group with no recipient field is skipped") {
        const std::string body = "Reporting-MTA: dns; a.example\n\nX-Note: nothing\n\n"
                                 "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n";
        dsn_recipient_fields storage[2];
        const esc::dsn_report r = esc::parse_delivery_status(body, storage);
        REQUIRE(r);
        CHECK(r.count == 1);
        CHECK(r.warnings.skipped_groups);
    }
}

TEST_CASE("errors: not a DSN, no recipients, storage too small") {
    dsn_recipient_fields storage[1];
    CHECK(esc::parse_delivery_status("", storage).error == dsn_error::empty);
    CHECK(esc::parse_delivery_status("\n\n\n", storage).error == dsn_error::empty);
    CHECK(esc::parse_delivery_status("just some prose\nand more\n", storage).error == dsn_error::empty);
    CHECK(esc::parse_delivery_status("Reporting-MTA: dns; a.example\n", storage).error == dsn_error::no_recipients);
    const esc::dsn_report full = esc::parse_delivery_status(postfix_dsn, storage);
    CHECK(full.error == dsn_error::storage_full);
    CHECK(full.count == 1);
    CHECK(full.total == 2);
    CHECK(full.recipients[0].recipient() == "bob@example.com");
    const esc::dsn_report none = esc::parse_delivery_status(postfix_dsn, nullptr, 0);
    CHECK(none.total == 2);
    CHECK(none.count == 0);
    CHECK(esc::to_string(dsn_error::storage_full) == "storage_full");
}

TEST_CASE("delivery_status_reader reads any number of recipients without storage") {
    std::string body = "Reporting-MTA: dns; list.example\n";
    for (int i = 0; i < 500; ++i)
        body += "\nFinal-Recipient: rfc822; user" + std::to_string(i) + "@example.com\nAction: failed\nStatus: 5.1.1\n";
    esc::delivery_status_reader reader(body);
    CHECK(reader.message().reporting_mta.value == "list.example");
    dsn_recipient_fields f;
    int n = 0;
    while (reader.next(f)) {
        CHECK(f.recipient() == "user" + std::to_string(n) + "@example.com");
        ++n;
    }
    CHECK(n == 500);
    CHECK_FALSE(reader.next(f));
}

TEST_CASE("hostile input: truncated, binary, huge folds never crash or read past the end") {
    const std::string inputs[] = {
        "Final-Recipient:",
        "Final-Recipient: rfc822;",
        "Status:",
        "Action: failed\r",
        ":\n:\n:",
        std::string("Final-Recipient: rfc822; a@b.c\0\xff\xfe\nStatus: 5.1.1", 46),
        "Diagnostic-Code: smtp;" + std::string(10000, ' ') + "\n" + std::string(10000, '\t'),
        std::string(5000, '\n'),
        std::string(5000, '\r'),
        "Status: 5.1.1 (((((((((((",
        "Status: 5.1.1 ))))))))",
        "Final-Recipient: rfc822; <<<<<<>>>>",
    };
    for (const std::string& in : inputs) {
        // Copy to an exact-size heap block so that ASan sees any overrun.
        std::vector<char> exact(in.begin(), in.end());
        const std::string_view view(exact.data(), exact.size());
        dsn_recipient_fields storage[2];
        const esc::dsn_report r = esc::parse_delivery_status(view, storage);
        for (const dsn_recipient_fields& f : r) {
            CHECK(f.raw.data() >= view.data());
            CHECK(f.raw.data() + f.raw.size() <= view.data() + view.size());
            (void)f.recipient();
        }
    }
}

// --- writing ----------------------------------------------------------------

namespace {

std::string write(const esc::dsn_message_fields& m, const std::vector<dsn_recipient_fields>& rs,
                  esc::dsn_write_error expect = esc::dsn_write_error::none) {
    const esc::dsn_write_result sized = esc::write_delivery_status(nullptr, nullptr, m, rs.data(), rs.size());
    if (expect != esc::dsn_write_error::none) {
        CHECK(sized.error == expect);
        return {};
    }
    CHECK(sized.error == esc::dsn_write_error::buffer_too_small);
    std::string out(sized.size, '\0');
    const esc::dsn_write_result r = esc::write_delivery_status(out.data(), out.data() + out.size(), m, rs.data(), rs.size());
    CHECK(r);
    CHECK(r.size == out.size());
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find("\r\n", pos);
        REQUIRE(end != std::string::npos); // every line ends in CRLF
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

dsn_recipient_fields failed_recipient(std::string_view address, std::string_view diagnostic) {
    dsn_recipient_fields f;
    f.final_recipient = {"", address};
    f.action = dsn_action::failed;
    f.status = "5.1.1"_esc;
    f.remote_mta = {"", "mx.example.com"};
    f.diagnostic_code = {"", diagnostic};
    return f;
}

} // namespace

TEST_CASE("write_delivery_status writes RFC 3464 fields: typed values, bare Status, CRLF") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"", "mail.example.org"};
    m.arrival_date = "Fri, 24 Oct 2014 10:46:18 +0000";
    m.original_envelope_id = "QQ314159";
    std::vector<dsn_recipient_fields> rs{failed_recipient("bob@example.com", "550 5.1.1 User unknown")};
    rs[0].original_recipient = {"rfc822", "bob@example.com"};
    rs[0].last_attempt_date = "Fri, 24 Oct 2014 10:47:00 +0000";
    const std::string out = write(m, rs);
    CHECK(out == "Reporting-MTA: dns; mail.example.org\r\n"
                 "Original-Envelope-Id: QQ314159\r\n"
                 "Arrival-Date: Fri, 24 Oct 2014 10:46:18 +0000\r\n"
                 "\r\n"
                 "Original-Recipient: rfc822; bob@example.com\r\n"
                 "Final-Recipient: rfc822; bob@example.com\r\n"
                 "Action: failed\r\n"
                 "Status: 5.1.1\r\n"
                 "Remote-MTA: dns; mx.example.com\r\n"
                 "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
                 "Last-Attempt-Date: Fri, 24 Oct 2014 10:47:00 +0000\r\n");
}

TEST_CASE("the writer folds long diagnostics within 78 characters and flattens line breaks") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    const std::string reply = "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                              "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                              "550 5.1.1 unnecessary spaces. Learn more at https://support.example.com/mail/?p=NoSuchUser";
    std::vector<dsn_recipient_fields> rs{failed_recipient("bob@example.com", reply)};
    const std::string out = write(m, rs);
    for (const std::string& line : lines_of(out)) {
        CAPTURE(line);
        CHECK(line.size() <= 78);
    }
    // Reading it back gives the reply with each line break as one space.
    dsn_recipient_fields back[1];
    const esc::dsn_report r = esc::parse_delivery_status(out, back);
    REQUIRE(r);
    CHECK(flat(back[0].diagnostic_code.value) == flat(reply));
    CHECK(back[0].diagnostic_code.type == "smtp");
}

TEST_CASE("the writer never lets a value start a field of its own") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    std::vector<dsn_recipient_fields> rs{failed_recipient("bob@example.com", "550 no\r\nStatus: 2.0.0\r\n\r\nX: y")};
    const std::string out = write(m, rs);
    dsn_recipient_fields back[2];
    const esc::dsn_report r = esc::parse_delivery_status(out, back);
    REQUIRE(r.count == 1);
    CHECK(back[0].status == "5.1.1"_esc);
    CHECK(back[0].extension_fields == 0);
    CHECK(flat(back[0].diagnostic_code.value) == "550 no Status: 2.0.0 X: y");

    rs[0].final_recipient = {"rfc822", "bob@example.com\r\nAction: delivered"};
    write(m, rs, esc::dsn_write_error::bad_value);
    rs[0].final_recipient = {"rfc822", "bob@example.com"};
    m.reporting_mta = {"dns", "evil\nX: y"};
    write(m, rs, esc::dsn_write_error::bad_value);
    m.reporting_mta = {"dns", "mail.example.org"};
    rs[0].diagnostic_code = {"smtp", std::string_view("550 nul\0here", 12)};
    write(m, rs, esc::dsn_write_error::bad_value);
}

TEST_CASE("the writer refuses what RFC 3464 requires and is missing") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    std::vector<dsn_recipient_fields> rs{failed_recipient("bob@example.com", "550 User unknown")};
    write(m, {}, esc::dsn_write_error::no_recipients);
    esc::dsn_message_fields no_mta;
    write(no_mta, rs, esc::dsn_write_error::no_reporting_mta);
    auto broken = rs;
    broken[0].status.reset();
    write(m, broken, esc::dsn_write_error::no_status);
    broken = rs;
    broken[0].status = esc::status_code{static_cast<esc::status_class>(3), 1, 1};
    write(m, broken, esc::dsn_write_error::no_status);
    broken = rs;
    broken[0].action = dsn_action::none;
    write(m, broken, esc::dsn_write_error::no_action);
    broken = rs;
    broken[0].final_recipient = {};
    write(m, broken, esc::dsn_write_error::no_final_recipient);
    broken = rs;
    broken[0].action = dsn_action::delivered;
    write(m, broken, esc::dsn_write_error::status_mismatch);
    broken = rs;
    const std::string long_word(1200, 'x');
    broken[0].diagnostic_code = {"smtp", long_word};
    write(m, broken, esc::dsn_write_error::word_too_long);

    // A long word goes to a line of its own; no line ever passes 998 octets.
    const std::string url = "https://example.com/" + std::string(900, 'u');
    broken = rs;
    const std::string see_url = "550 see " + url;
    broken[0].diagnostic_code = {"smtp", see_url};
    const std::string folded = write(m, broken);
    for (const std::string& line : lines_of(folded)) CHECK(line.size() <= 998);
    CHECK(folded.find("\r\n " + url + "\r\n") != std::string::npos);
    const std::string long_address = std::string(990, 'a') + "@example.com"; // 1002 octets
    broken = rs;
    broken[0].final_recipient = {"rfc822", long_address};
    write(m, broken, esc::dsn_write_error::word_too_long);

    // The index of the recipient at fault is reported.
    rs.push_back(failed_recipient("carol@example.com", "550 User unknown"));
    rs[1].status.reset();
    const esc::dsn_write_result r = esc::write_delivery_status(nullptr, nullptr, m, rs.data(), rs.size());
    CHECK(r.error == esc::dsn_write_error::no_status);
    CHECK(r.recipient == 1);
}

TEST_CASE("the writer keeps a 7-bit body 7-bit: utf-8 addresses escaped (RFC 6533), other UTF-8 refused") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    // Writes into `out`, sized first.
    auto write_to = [](std::string& out, const esc::dsn_message_fields& msg, const std::vector<dsn_recipient_fields>& rs,
                       esc::dsn_body_type body = esc::dsn_body_type::delivery_status) {
        const esc::dsn_write_result sized = esc::write_delivery_status(nullptr, nullptr, msg, rs.data(), rs.size(), body);
        if (sized.error != esc::dsn_write_error::buffer_too_small) return sized;
        out.assign(sized.size, '\0');
        return esc::write_delivery_status(out.data(), out.data() + out.size(), msg, rs.data(), rs.size(), body);
    };
    auto final_line = [&](std::string_view address, esc::dsn_body_type body = esc::dsn_body_type::delivery_status) {
        std::vector<dsn_recipient_fields> rs{failed_recipient(address, "550 User unknown")};
        std::string out;
        const esc::dsn_write_result r = write_to(out, m, rs, body);
        if (!r) return std::string(esc::to_string(r.error));
        const std::size_t b = out.find("Final-Recipient:");
        return out.substr(b, out.find("\r\n", b) - b);
    };
    CHECK(final_line("bob@example.com") == "Final-Recipient: rfc822; bob@example.com");
    CHECK(final_line("b\xc3\xb6" "b+x@ex\xc3\xa4" "mple.com") ==
          "Final-Recipient: utf-8; b\\x{F6}b\\x{2B}x@ex\\x{E4}mple.com");
    CHECK(final_line("\xf0\x9f\x98\x80@example.com") == "Final-Recipient: utf-8; \\x{1F600}@example.com");
    // A global body carries the UTF-8 as is; the three reserved characters stay escaped.
    CHECK(final_line("b\xc3\xb6" "b=1@example.com", esc::dsn_body_type::global) ==
          "Final-Recipient: utf-8; b\xc3\xb6" "b\\x{3D}1@example.com");
    // A local part that is no dot-atom is quoted; a quoted one is kept.
    CHECK(final_line("john smith@example.com") == "Final-Recipient: rfc822; \"john smith\"@example.com");
    CHECK(final_line("\"john smith\"@example.com") == "Final-Recipient: rfc822; \"john smith\"@example.com");
    // Refused: no '@', an empty side, a bad domain, ill-formed UTF-8.
    CHECK(final_line("bob") == "bad_address");
    CHECK(final_line("@example.com") == "bad_address");
    CHECK(final_line("bob@") == "bad_address");
    CHECK(final_line("bob@exa mple.com") == "bad_address");
    CHECK(final_line("b\xc3" "@example.com") == "bad_address");
    CHECK(final_line("b\xed\xa0\x80@example.com") == "bad_address"); // a surrogate
    // Non-ASCII text outside an address: only in a global body.
    std::vector<dsn_recipient_fields> rs{failed_recipient("bob@example.com", "550 Benutzer unbekannt: M\xc3\xbcller")};
    std::string out;
    CHECK(write_to(out, m, rs).error == esc::dsn_write_error::not_ascii);
    CHECK(write_to(out, m, rs, esc::dsn_body_type::global));
    CHECK(out.find("M\xc3\xbcller") != std::string::npos);
    rs[0].diagnostic_code.value = "550 \xff";
    CHECK(write_to(out, m, rs, esc::dsn_body_type::global).error == esc::dsn_write_error::bad_value);
    rs = {failed_recipient("bob@example.com", "550 User unknown")};
    m.reporting_mta = {"dns", "m\xc3\xa4" "il.example.org"};
    CHECK(write_to(out, m, rs).error == esc::dsn_write_error::not_ascii);

    // Written, then read back: decode_address() undoes the escapes.
    m.reporting_mta = {"dns", "mail.example.org"};
    rs = {failed_recipient("b\xc3\xb6" "b+x@ex\xc3\xa4" "mple.com", "550 User unknown")};
    out.clear();
    REQUIRE(write_to(out, m, rs));
    dsn_recipient_fields back[1];
    const esc::dsn_report r = esc::parse_delivery_status(out, back);
    REQUIRE(r);
    CHECK(back[0].final_recipient.type == "utf-8");
    char buf[64];
    CHECK(esc::decode_address(back[0].final_recipient, buf, buf + sizeof buf) == "b\xc3\xb6" "b+x@ex\xc3\xa4" "mple.com");
    // No escape: the view itself. No room, or a broken escape: as written.
    CHECK(esc::decode_address({"rfc822", "a@b.example"}, buf, buf + sizeof buf).data() != buf);
    CHECK(esc::decode_address({"utf-8", "\\x{E9}@b.example"}, buf, buf + 1) == "\\x{E9}@b.example");
    CHECK(esc::decode_address({"utf-8", "\\x{D800}\\x{}\\x{1234567}\\x{E9@b"}, buf, buf + sizeof buf) ==
          "\\x{D800}\\x{}\\x{1234567}\\x{E9@b");
    CHECK(esc::decode_address({"utf-8", "\\x{e9}\\x{10FFFF}"}, buf, buf + sizeof buf) == "\xc3\xa9\xf4\x8f\xbf\xbf");
}

TEST_CASE("a short buffer gets a prefix and the size needed") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    const dsn_recipient_fields rs[] = {failed_recipient("bob@example.com", "550 User unknown")};
    char buf[20];
    std::memset(buf, '#', sizeof buf);
    const esc::dsn_write_result r = esc::write_delivery_status(buf, buf + 10, m, rs, 1);
    CHECK(r.error == esc::dsn_write_error::buffer_too_small);
    CHECK(r.size > 10);
    CHECK(std::string_view(buf, 10) == "Reporting-");
    CHECK(buf[10] == '#');
}

TEST_CASE("round trip: a generated DSN parses back to the same fields") {
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    m.received_from_mta = {"dns", "client.example.net"};
    m.original_envelope_id = "ENV-1";
    m.arrival_date = "Mon, 1 Jan 2024 00:00:00 +0000";
    std::vector<dsn_recipient_fields> rs;
    rs.push_back(failed_recipient("bob@example.com", "550 5.1.1 <bob@example.com>: Recipient address rejected: "
                                                    "User unknown in virtual mailbox table; please check the address"));
    dsn_recipient_fields delayed;
    delayed.final_recipient = {"rfc822", "carol@example.net"};
    delayed.original_recipient = {"rfc822", "Carol@Example.net"};
    delayed.action = dsn_action::delayed;
    delayed.status = "4.4.1"_esc;
    delayed.diagnostic_code = {"X-Postfix", "connect to mx.example.net[192.0.2.1]:25: Connection timed out"};
    delayed.will_retry_until = "Fri, 5 Jan 2024 00:00:00 +0000";
    delayed.final_log_id = "abc123";
    rs.push_back(delayed);
    dsn_recipient_fields ok;
    ok.final_recipient = {"rfc822", "dave@example.org"};
    ok.action = dsn_action::delivered;
    ok.status = "2.0.0"_esc;
    ok.remote_mta = {"dns", "mx.example.org"};
    ok.diagnostic_code = {"smtp", "250 2.0.0 Ok: queued as 12345"};
    rs.push_back(ok);

    const std::string out = write(m, rs);
    for (const std::string& line : lines_of(out)) CHECK(line.size() <= 78);

    dsn_recipient_fields back[4];
    const esc::dsn_report r = esc::parse_delivery_status(out, back);
    REQUIRE(r);
    CHECK_FALSE(r.warnings.any());
    CHECK(r.message.reporting_mta.type == "dns");
    CHECK(r.message.reporting_mta.value == "mail.example.org");
    CHECK(r.message.received_from_mta.value == "client.example.net");
    CHECK(r.message.original_envelope_id == "ENV-1");
    CHECK(r.message.arrival_date == m.arrival_date);
    REQUIRE(r.count == rs.size());
    for (std::size_t i = 0; i < rs.size(); ++i) {
        CAPTURE(i);
        const dsn_recipient_fields& a = rs[i];
        const dsn_recipient_fields& b = back[i];
        CHECK(b.recipient() == esc::address_of(a.final_recipient));
        CHECK(b.final_recipient.type == "rfc822");
        CHECK(esc::address_of(b.original_recipient) == esc::address_of(a.original_recipient));
        CHECK(b.action == a.action);
        CHECK(b.status == a.status);
        CHECK(b.status_text == esc::to_string(*a.status).view());
        CHECK(b.remote_mta.value == a.remote_mta.value);
        CHECK(flat(b.diagnostic_code.value) == a.diagnostic_code.value);
        CHECK(b.diagnostic_code.type == (a.diagnostic_code.type.empty() ? "smtp" : a.diagnostic_code.type));
        CHECK(b.will_retry_until == a.will_retry_until);
        CHECK(b.final_log_id == a.final_log_id);
        CHECK_FALSE(b.warnings.any());
    }
}

TEST_CASE("recipient_from_reply: action and Diagnostic-Code from the server's reply") {
    const auto p = esc::parse_reply("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
                                    "550 5.1.1 Please try double-checking the recipient's email address.\r\n");
    REQUIRE(p);
    const dsn_recipient_fields f =
        esc::recipient_from_reply("bob@example.com", "mx.example.com", p.reply, *p.reply.status);
    CHECK(f.action == dsn_action::failed);
    CHECK(f.status == "5.1.1"_esc);
    CHECK(f.remote_mta.value == "mx.example.com");
    esc::dsn_message_fields m;
    m.reporting_mta = {"dns", "mail.example.org"};
    const std::string out = write(m, {f});
    CHECK(out.find("Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach\r\n"
                   " does not exist. 550 5.1.1 Please try") != std::string::npos);
    dsn_recipient_fields back[1];
    REQUIRE(esc::parse_delivery_status(out, back));
    CHECK(flat(back[0].diagnostic_code.value) ==
          "550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 Please try "
          "double-checking the recipient's email address.");
    const auto delayed = esc::parse_reply("451 4.7.1 Greylisted, try again later\r\n");
    CHECK(esc::recipient_from_reply("a@b.c", "", delayed.reply, *delayed.reply.status).action == dsn_action::delayed);
}
