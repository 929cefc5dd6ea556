// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Parsing (parse_reply, reply_reader, parse_ehlo), finding, looking up and
// classifying never allocate: global
// operator new is replaced by a counting one, and the count must stay 0
// across the whole corpus and the project's own test texts.
#include <esc/classify.hpp>
#include <esc/ehlo.hpp>
#include <esc/pairing.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/reply_reader.hpp>
#include <esc/rules.hpp>
#include <esc/status.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "support/flat_json.hpp"
#include "support/test_data.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};
} // namespace

// g++ sees malloc behind new and free behind delete once both are inlined,
// and calls the standard replacement pattern a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
    if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::vector<std::string> texts() {
    std::vector<std::string> out = {
        "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n",
        "550-5.7.1 [203.0.113.9] Our system has detected that this message is\r\n550 5.7.1 likely unsolicited mail.\r\n",
        "220 192.168.1.1 ESMTP", "450 4.7.1 <b@example.org>: Recipient address rejected: Greylisted for 300 seconds",
        "host mx.example.com[192.0.2.1] said: 552 Too many recipients (in reply to RCPT TO command)",
        "sorry, no mailbox here by that name (#5.1.1 - chkusr)", "", "\r", "250-a\r\n", std::string(100000, 'x'),
        "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>"};
    const auto labels = esc_test::corpus_dir() / "sisimai" / "sisimai-labels.jsonl";
    std::ifstream in(labels);
    for (std::string line; std::getline(in, line);) out.push_back(esc_test::parse_flat_json(line)["diagnosticcode"]);
    if (!std::filesystem::exists(labels)) MESSAGE("corpus absent: only the built-in texts are used");
    return out;
}

} // namespace

TEST_CASE("parse, find, lookup and classify allocate nothing") {
    const std::vector<std::string> all = texts(); // loading allocates; counting starts after it
    std::size_t work = 0;
    static esc::fixed_reply_reader<8192> reader; // constructed before counting; it allocates nothing after
    allocations = 0;
    counting = true;
    for (const std::string& t : all) {
        // The text as a stream, in two pieces, then whatever ended it.
        reader.reset();
        const std::string_view stream = t;
        reader.feed(stream.substr(0, stream.size() / 2));
        while (const esc::read_result r = reader.next()) work += esc::parse_ehlo(r.reply).offered + r.reply.line_count;
        reader.feed(stream.substr(stream.size() / 2));
        while (const esc::read_result r = reader.next()) work += r.reply.line_count;
        work += reader.pending().size();
        const esc::parsed_reply p = esc::parse_reply_text(t);
        work += esc::parse_reply(t).offset;
        work += p.offset + p.reply.line_count;
        for (std::string_view line : esc::lines(p.reply)) work += line.size();
        if (const auto r = esc::find_reply(t)) {
            const esc::classification c = esc::classify(*r, esc::command::rcpt);
            work += static_cast<std::size_t>(c.reason);
            work += esc::check_consistency(r->code, c.status).ok();
            work += esc::describe(r->code).size();
        }
        if (const auto s = esc::find_status(t)) {
            work += esc::describe(s->status).size();
            work += esc::lookup(s->status) != nullptr;
            work += esc::to_string(s->status).size();
        }
        const esc::classification c = esc::classify(t);
        work += static_cast<std::size_t>(c.outcome) + esc::to_string(c.reason).size() + esc::advice(c.outcome, c.reason).size();
        work += esc::parse_status(t).has_value();
        work += esc::default_status(esc::reply_code{550}, esc::command::rcpt).detail;
    }
    for (const esc::registry_entry& e : esc::registry()) work += esc::describe(e.code(esc::status_class::permanent)).size();
    counting = false;
    MESSAGE(all.size() << " texts, " << allocations.load() << " allocations");
    CHECK(work > 0);
    CHECK(allocations.load() == 0);
}

TEST_CASE("a user's rule set allocates when built, never when classifying") {
    const std::vector<std::string> all = texts();
    const auto [rules, errors] = esc::rule_set::parse("phrase mailbox_full: postfach voll\n"
                                                      "phrase blocked anywhere: dnsbl example net\n"
                                                      "code 5.7.606-649 blocked\n");
    REQUIRE(errors.empty());
    std::size_t work = 0;
    allocations = 0;
    counting = true;
    for (const std::string& t : all) {
        const esc::classification c = esc::classify(t, rules);
        work += static_cast<std::size_t>(c.reason) + c.why.text.size();
        esc::classification d = esc::classify(t);
        work += esc::apply_rules(d, t, rules);
    }
    counting = false;
    CHECK(work > 0);
    CHECK(allocations.load() == 0);
}

TEST_CASE("the counter counts") { // the test above could not fail if the hook were dead
    allocations = 0;
    counting = true;
    auto* p = new std::string(1000, 'x');
    counting = false;
    CHECK(allocations.load() >= 1);
    delete p;
}
