// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// examples/esc/address_mask.hpp: the key esc scan's summary remembers a failure
// text under, its plain addresses masked. The masking must be exact: classify()
// makes the same of a text whatever plain addresses stand in it.
#include "../examples/esc/address_mask.hpp"

#include <esc/esc.hpp>

#include "support/flat_json.hpp"
#include "support/test_data.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace am = esc_cli::address_mask;

namespace {

std::string masked(std::string_view text) {
    char buffer[224];
    return std::string(am::masked(text, buffer, sizeof buffer));
}

// What the summary keeps of a text: classify()'s verdict, and the codes found.
std::string reading(std::string_view text) {
    const esc::classification c = esc::classify(text);
    std::string s = std::string(esc::to_string(c.outcome)) + " " + std::string(esc::to_string(c.reason)) + " " +
                    std::string(esc::to_string(c.status)) + (c.inferred ? " inferred " : " sent ") +
                    std::to_string(static_cast<int>(c.verdict));
    if (const auto r = esc::find_reply(text))
        s += " reply " + std::to_string(esc::to_int(r->code)) + (r->status ? " " + std::string(esc::to_string(*r->status)) : "");
    if (const auto m = esc::find_status(text)) s += " status " + std::string(esc::to_string(m->status));
    return s;
}

// Each "<a@a>" of `key` written as `address`.
std::string with_address(const std::string& key, std::string_view address) {
    std::string out;
    std::size_t from = 0;
    for (std::size_t at = key.find("<a@a>"); at != std::string::npos; at = key.find("<a@a>", from)) {
        out.append(key, from, at + 1 - from);
        out += address;
        from = at + 4;
    }
    out.append(key, from);
    return out;
}

// Plain addresses chosen to tempt a reading: reasons' words, provider and
// blocklist names, numbers next to dots and letters.
const std::vector<std::string_view> tempting = {
    "a@a", "bob@example.com", "user.unknown@example.com", "mailbox.full@example.net", "over.quota@x.example",
    "spam@zen.spamhaus.org", "relay.access.denied@gmail.com", "postmaster@protection.outlook.com",
    "greylisted@yahoo.co.jp", "x550@y", "a550x@b", "v@version.rfc", "RFC@v.release", "5a@b", "a5@b5.c",
    "Recipient.Address.Rejected@Mailbox.Unavailable", "first_last+tag@mx1.example-host.co.uk"};

} // namespace

TEST_CASE("address_mask: what a plain address is") {
    for (std::string_view a : tempting) {
        CAPTURE(a);
        CHECK(am::is_plain(a));
    }
    CHECK(am::is_plain(am::placeholder));
    // Not plain: what could hold or end a code, brackets, blanks, quotes,
    // IP literals, SRS and VERP's '=', more or less than one '@'.
    for (std::string_view a :
         {"", "a", "@", "a@", "@a", "ab", "a@@b", "a@b@c", "a.@b", "a@.b", "a@-b", "5.1.1@x", "a@5.1.1", "x5.1@y",
          "550-a@b", "a550-@b", "a@b550-c", "a b@c", "a@b c", "a@[192.0.2.1]", "a:b@c", "a@b:25", "\"a\"@b",
          "a=b@c", "bounce+a=b@c", "a/b@c", "a?b@c", "a&b@c", "a#5@b", "a,b@c", "a;b@c", "a@b_c", "a@b+c",
          "\xc3\xa9@b", "a@\xc3\xa9"}) {
        CAPTURE(a);
        CHECK_FALSE(am::is_plain(a));
    }
    CHECK(am::is_plain(std::string(60, 'a') + "@" + std::string(190, 'b')));
    CHECK_FALSE(am::is_plain(std::string(60, 'a') + "@" + std::string(200, 'b'))); // longer than a path may be
}

TEST_CASE("address_mask: plain addresses in brackets are masked, the rest kept byte for byte") {
    CHECK(masked("554 5.7.1 <bob@example.com>: Relay access denied") == "554 5.7.1 <a@a>: Relay access denied");
    CHECK(masked("to=<a@x.example>, <b.c@y.example>") == "to=<a@a>, <a@a>");
    CHECK(masked("<<bob@example.com>>") == "<<a@a>>");
    CHECK(masked("<a@[192.0.2.1]> and <b@c>") == "<a@[192.0.2.1]> and <a@a>");
    CHECK(masked("<5.1.1@x> <bob@x>") == "<5.1.1@x> <a@a>");
    CHECK(masked("bob@example.com without brackets") == "bob@example.com without brackets");
    CHECK(masked("<bob@example.com") == "<bob@example.com");
    CHECK(masked("bob@example.com>") == "bob@example.com>");
    CHECK(masked("<>") == "<>");
    CHECK(masked("") == "");
    // The mask of a mask is itself: a text holding "<a@a>" is its own key.
    for (std::string_view t : {"550 <a@a>: no", "550 <bob@x>: no <c@d>", "<<<a@b>"}) CHECK(masked(masked(t)) == masked(t));

    // A text without plain addresses is given back as it is, not copied.
    char buffer[64];
    const std::string_view none = "421 4.4.2 mx.example.com timed out";
    CHECK(am::masked(none, buffer, sizeof buffer).data() == none.data());
    // One that would not fit the buffer masked is given back too (and is longer than the buffer).
    const std::string long_text = "550 <bob@example.com>: " + std::string(80, 'x');
    const std::string_view back = am::masked(long_text, buffer, sizeof buffer);
    CHECK(back.data() == long_text.data());
    CHECK(back.size() > sizeof buffer);
    const std::string fits = "550 <" + std::string(100, 'b') + "@example.com>: no"; // 121 bytes, 14 masked
    CHECK(am::masked(fits, buffer, sizeof buffer) == "550 <a@a>: no");
    // Many '<' before one '>': linear, each address looked at once.
    const std::string brackets = std::string(100000, '<') + "a@b>";
    std::string big(200000, 'x');
    CHECK(am::masked(brackets, big.data(), big.size()) == std::string(100000, '<') + "a@a>");
}

TEST_CASE("address_mask: classify() reads a text alike whatever plain address stands in it") {
    const std::vector<std::string_view> texts = {
        "554 5.7.1 <bob@example.com>: Relay access denied",
        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        "450 4.1.8 <bob@example.com>: Sender address rejected: Domain not found",
        "host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User "
        "unknown (in reply to RCPT TO command)",
        "host mx.example.com[192.0.2.1] said: 452 4.2.2 <bob@example.com>: mailbox full (in reply to RCPT TO command)",
        "SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 user unknown",
        "SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 Relaying denied",
        "553 5.3.0 <bob@example.com>... No such user here",
        "<bob@example.com>: host mx.example.com[192.0.2.1] said: 554 rejected (in reply to end of DATA command)",
        "550 <bob@example.com>",
        "<bob@example.com>",
        "552-5.2.2 <bob@example.com>: The email account that you tried to reach is over quota\r\n552 5.2.2 more",
        "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org <bob@example.com>",
        "RCPT TO:<bob@example.com> 550 #5.1.0 Address rejected",
        "said: 550-<bob@example.com> unknown\r\n550 5.1.1 done",
        "version <bob@example.com> 5.1.2",
        "RFC <bob@example.com> 5.7.1 rejected",
        "?x=<bob@example.com>=550 5.1.1",
        "(in reply to RCPT TO:<bob@example.com>) 451 4.3.0 try later",
        "<bob@example.com>... Deferred: Connection timed out with mx.example.com.",
    };
    for (std::string_view text : texts) {
        const std::string key = masked(text);
        CAPTURE(text);
        REQUIRE(key != text); // each holds a plain address
        const std::string expected = reading(text);
        for (std::string_view address : tempting) {
            CAPTURE(address);
            CHECK(reading(with_address(key, address)) == expected);
        }
    }
    // Why a digit before '.' and a digit makes an address not plain: the
    // enhanced code in it is read.
    CHECK_FALSE(am::is_plain("4.7.554@full"));
    CHECK(reading("<4.7.554@full>") != reading("<a@a>"));
}

TEST_CASE("address_mask: the corpus's diagnostic texts classify alike masked") {
    // Real texts quote addresses in every way servers write them.
    const auto labels = esc_test::corpus_dir() / "sisimai" / "sisimai-labels.jsonl";
    if (!std::filesystem::exists(labels)) {
        MESSAGE("skipped: no reference data (" << labels.string() << ")");
        return;
    }
    std::ifstream in(labels);
    std::size_t seen = 0, with_address = 0;
    for (std::string line; std::getline(in, line);) {
        auto record = esc_test::parse_flat_json(line);
        const std::string text = record["diagnosticcode"];
        if (text.empty()) continue;
        ++seen;
        char buffer[4096];
        const std::string key(am::masked(text, buffer, sizeof buffer));
        if (key == text) continue;
        ++with_address;
        CAPTURE(text);
        CHECK(reading(key) == reading(text));
    }
    MESSAGE(seen << " diagnostic texts, " << with_address << " with plain addresses");
    CHECK(with_address > 50);
}
