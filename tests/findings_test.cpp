// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Regression tests for what fuzzing found (fuzz/). Each case says what the
// fuzz target checked, what went wrong, and what is expected now; the inputs
// are written anew, in the shape of the reproducer (fuzz/seeds/ holds them
// too, so the fuzz_replay_* tests re-check the properties).
#include <esc/bounce.hpp>
#include <esc/classify.hpp>
#include <esc/reply.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace esc::literals;
using esc::reply_code;

// Finding 1 (esc_fuzz_find: "a code outside the grammar counts only with an
// enhanced code of its class"). find_reply() chose a reply for the enhanced
// code after it, accepting prose punctuation after that code ("(550 5.1.1)",
// "550 5.1.1, ..."), then rebuilt the reply with the wire grammar, which
// wants a blank there, and dropped the code: the reply came back without
// its enhanced code (a 5xx outside the grammar without any), and classify()
// fell back to 5.0.0 / other.
TEST_CASE("finding 1: an enhanced code followed by punctuation in prose is kept") {
    struct found_case {
        std::string_view text;
        int code;
        esc::status_code status;
        std::string_view reply_text;
    };
    const found_case cases[] = {
        {"delivery failed (550 5.1.1)", 550, "5.1.1"_esc, ")"},
        {"said: 550 5.1.1, mailbox unavailable", 550, "5.1.1"_esc, ", mailbox unavailable"},
        {"said: 552 5.2.2: over the limit", 552, "5.2.2"_esc, ": over the limit"},
        {"[550 5.7.1]", 550, "5.7.1"_esc, "]"},
        {"status '452 4.2.2'", 452, "4.2.2"_esc, "'"},
        {"relay said `584 5.7.0` and hung up", 584, "5.7.0"_esc, "` and hung up"},
        {"(550 #5.1.0;)", 550, "5.1.0"_esc, ";)"},
    };
    for (const found_case& c : cases) {
        CAPTURE(c.text);
        const auto r = esc::find_reply(c.text);
        REQUIRE(r.has_value());
        CHECK(esc::to_int(r->code) == c.code);
        CHECK(r->status == c.status);
        CHECK(r->text == c.reply_text);
        CHECK(r->warnings.code_outside_grammar == !esc::is_valid(r->code));
        const auto m = esc::find_status(c.text);
        REQUIRE(m.has_value());
        CHECK(m->status == c.status); // find_status() and find_reply() agree
    }
    const esc::classification c = esc::classify(std::string_view("delivery failed (550 5.1.1)"));
    CHECK(c.outcome == esc::outcome::permanent);
    CHECK(c.reason == esc::reason::mailbox_unknown);
    CHECK(c.status == "5.1.1"_esc);
    CHECK_FALSE(c.inferred);
    const esc::classification full = esc::classify(std::string_view("said: 552 5.2.2: over the limit"));
    CHECK(full.reason == esc::reason::mailbox_full);
    CHECK(full.status == "5.2.2"_esc);
}

// The wire grammar is unchanged: parse_reply() still wants the blank, and a
// reply that starts a line of text is read the same way, so that classifying
// a reply and classifying its text agree (esc_fuzz_classify checks this).
TEST_CASE("finding 1: a reply starting a line keeps the wire grammar") {
    const auto p = esc::parse_reply("550 5.1.1, user unknown\r\n");
    REQUIRE(p);
    CHECK_FALSE(p.reply.status.has_value());
    CHECK(p.reply.text == "5.1.1, user unknown");
    for (std::string_view text : {std::string_view("550 5.1.1, user unknown"), std::string_view("log:\n550 5.1.1, user unknown")}) {
        CAPTURE(text);
        const auto r = esc::find_reply(text);
        REQUIRE(r.has_value());
        CHECK_FALSE(r->status.has_value());
        CHECK(r->text == "5.1.1, user unknown");
    }
    CHECK(esc::classify(std::string_view("550 5.1.1, user unknown\r\n")) == esc::classify(p.reply));
    // So a code outside the grammar starting a line, whose enhanced code the
    // wire grammar does not read, is no reply (as "571 alone" is none).
    CHECK_FALSE(esc::find_reply("584 5.7.0` and hung up").has_value());
    CHECK(esc::to_int(esc::find_reply("relay said `584 5.7.0` and hung up")->code) == 584);
}

// Finding 2 (the compile-time table, tests/compile_time_test.cpp). find_status()
// and classify(text) are constexpr, but in C++17 they were constant
// expressions only on some inputs: where an enhanced code did not follow a
// reply code, they assigned a value to a std::optional, and that assignment
// is constexpr only from C++20. "(#5.1.1)" in a constant expression did not
// compile. They now construct the optional and copy it, which is constexpr.
#if ESC_HEADER_ONLY
static_assert(esc::find_status("sorry, no mailbox here by that name (#5.1.1)")->status == "5.1.1"_esc);
static_assert(esc::find_status("Status: 4.4.7 then 5.1.2")->status == "4.4.7"_esc);
static_assert(esc::classify(std::string_view("Status: 5.2.2")).reason == esc::reason::mailbox_full);
static_assert(!esc::classify(std::string_view("(#5.1.1)")).inferred);
#endif

TEST_CASE("finding 2: find_status and classify(text) without a reply code, at run time too") {
    CHECK(esc::find_status("(#5.1.1)")->status == "5.1.1"_esc);
    CHECK(esc::classify(std::string_view("Status: 5.2.2")).status == "5.2.2"_esc);
}

// Finding 3 (esc_fuzz_read_bounce: "the outcome follows the action"). A
// bounce in prose announced as a delay (Subject "Delivery delayed") whose
// text quoted a success reply ("250 2.1.5 Ok", a step that went well) was
// reported as delayed with outcome success: the action only turned unknown
// and permanent outcomes into transient ones. Delayed is transient whatever
// the reply quoted.
TEST_CASE("finding 3: a delayed recipient is transient even when its text quotes a 250") {
    const std::string_view m = "From: postmaster@example.com\nSubject: Delivery delayed: hello\n\n"
                               "Delivery to <bob@example.com> has been delayed.\n"
                               "The last step said: 250 2.1.5 Ok\n";
    esc::bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, nullptr, 0, storage);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].action == esc::dsn_action::delayed);
    CHECK(r.recipients[0].classification.outcome == esc::outcome::transient);
    CHECK(r.recipients[0].classification.reason != esc::reason::none);
}

// Finding 4 (esc_fuzz_read_bounce: "a buffer of message.size() is never too
// small"). An HTML bounce whose text held a whole multipart/report, pasted
// (a forwarded bounce), with a base64 delivery-status part: the text took
// most of the buffer, and the pasted report's part, decoded behind it, did
// not fit, so the result was buffer_too_small. The pasted report is now read
// only when its parts fit; otherwise the text is read as it is.
TEST_CASE("finding 4: a pasted report whose parts do not fit leaves the text to be read") {
    const std::string m = "From: postmaster@example.org\nSubject: Fwd: failure\nContent-Type: text/html\n\n"
                          "<p>Forwarded.</p>\nReturn-Path: <>\nFrom: MAILER-DAEMON@a.example\n"
                          "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
                          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n"
                          "--R\nContent-Type: text/plain\n\n&lt;bob@example.com&gt;: 550 5.1.1 unknown\n\n"
                          "--R\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\nUmVwb3J0aW5nLU1UQTogZG5zOyBhLmV4YW1wbGUKCkZpbmFsLVJlY2lwaWVudDogcmZjODIyOyBib2JAZXhhbXBsZS5jb20KQWN0aW9uOiBmYWlsZWQKU3RhdHVzOiA1LjEuMQo=\n"
                          "--R--\n";
    std::vector<char> buffer(m.size());
    esc::bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage);
    CHECK(r.error != esc::bounce_error::buffer_too_small);
    // With room for both, the pasted report is read.
    std::vector<char> twice(2 * m.size());
    const esc::bounce_report all = esc::read_bounce(m, twice.data(), twice.size(), storage);
    REQUIRE(all.count == 1);
    CHECK(all.recipients[0].address == "bob@example.com");
    CHECK(all.recipients[0].status == "5.1.1"_esc);
}
