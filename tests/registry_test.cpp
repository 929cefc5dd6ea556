// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/registry.hpp>

#include <doctest/doctest.h>

#include <set>
#include <utility>

using namespace esc::literals;
using esc::status_class;

static_assert(esc::lookup("5.1.1"_esc)->title == "Bad destination mailbox address");
static_assert(esc::lookup("2.1.5"_esc)->title == esc::lookup("5.1.5"_esc)->title);
static_assert(esc::lookup("5.7.606"_esc) == nullptr);
static_assert(esc::lookup("5.8.0"_esc) == nullptr);
static_assert(esc::describe("5.7.606"_esc) == "Security or Policy Status");
static_assert(esc::describe("4.2.2"_esc) == "Mailbox full");
static_assert(!esc::is_meaningful("4.1.1"_esc) && esc::is_meaningful("5.1.1"_esc));
static_assert(std::size(esc::registry()) == 81);

// What lookup() relies on (detail/registry.hpp keeps the check out of users' builds).
static_assert(esc::detail::table_is_dense(), "registry_table must be sorted, start every subject at detail 0 and skip no detail");
static_assert(esc::detail::registry_size == 81, "the registry enumerates 81 detail codes");

TEST_CASE("lookup finds every entry by its own code, whatever the class") {
    for (const esc::registry_entry& e : esc::registry())
        for (status_class c : {status_class::success, status_class::transient, status_class::permanent}) {
            const esc::status_code code = e.code(c);
            CAPTURE(esc::to_string(code));
            CHECK(esc::lookup(code) == &e);
        }
}

TEST_CASE("lookup returns nullptr for unregistered details and subjects") {
    CHECK(esc::lookup("5.0.1"_esc) == nullptr);
    CHECK(esc::lookup("5.1.11"_esc) == nullptr);
    CHECK(esc::lookup("5.2.5"_esc) == nullptr);
    CHECK(esc::lookup("5.3.7"_esc) == nullptr);
    CHECK(esc::lookup("5.4.8"_esc) == nullptr);
    CHECK(esc::lookup("5.5.7"_esc) == nullptr);
    CHECK(esc::lookup("5.6.11"_esc) == nullptr);
    CHECK(esc::lookup("5.7.31"_esc) == nullptr);
    CHECK(esc::lookup("5.7.606"_esc) == nullptr);
    CHECK(esc::lookup("4.7.500"_esc) == nullptr);
    CHECK(esc::lookup("5.8.0"_esc) == nullptr);
    CHECK(esc::lookup("5.999.999"_esc) == nullptr);
    // A hand-built code outside the valid ranges must not index out of the table.
    CHECK(esc::lookup({status_class::permanent, 65535, 65535}) == nullptr);
    CHECK(esc::lookup({static_cast<status_class>(9), 1, 1}) == esc::lookup("5.1.1"_esc));
}

TEST_CASE("registry() is sorted, complete and unique") {
    std::set<std::pair<int, int>> seen;
    const esc::registry_entry* prev = nullptr;
    for (const esc::registry_entry& e : esc::registry()) {
        CHECK(seen.insert({e.subject, e.detail}).second);
        if (prev != nullptr) CHECK(std::make_pair(prev->subject, prev->detail) < std::make_pair(e.subject, e.detail));
        prev = &e;
    }
    CHECK(seen.size() == 81);
    CHECK(esc::registry()[0].subject == 0);
    CHECK(esc::registry()[80].subject == 7);
    CHECK(esc::registry()[80].detail == 30);
}

TEST_CASE("describe falls back from detail to subject to class") {
    CHECK(esc::describe("5.1.1"_esc) == "Bad destination mailbox address");
    CHECK(esc::describe("2.1.5"_esc) == "Destination address valid");
    CHECK(esc::describe("5.7.606"_esc) == "Security or Policy Status");
    CHECK(esc::describe("5.4.310"_esc) == "Network and Routing Status");
    CHECK(esc::describe("4.7.500"_esc) == "Security or Policy Status");
    CHECK(esc::describe("5.1.99"_esc) == "Addressing Status");
    CHECK(esc::describe("5.8.1"_esc) == "Permanent Failure");
    CHECK(esc::describe("4.99.1"_esc) == "Persistent Transient Failure");
    // X.6.10 is registered without a title: fall back to the subject.
    CHECK(esc::describe("5.6.10"_esc) == "Message Content or Media Status");
    CHECK(esc::describe({static_cast<status_class>(3), 1, 1}).empty());
}

TEST_CASE("is_meaningful follows the classes") {
    CHECK_FALSE(esc::is_meaningful("4.1.1"_esc));
    CHECK_FALSE(esc::is_meaningful("2.1.1"_esc));
    CHECK(esc::is_meaningful("2.1.5"_esc));
    CHECK_FALSE(esc::is_meaningful("5.1.5"_esc));
    CHECK(esc::is_meaningful("4.2.2"_esc));
    CHECK(esc::is_meaningful("5.2.2"_esc));
    CHECK_FALSE(esc::is_meaningful("5.3.1"_esc));
    CHECK(esc::is_meaningful("2.1.0"_esc)); // Postfix: "250 2.1.0 Ok" to MAIL
    CHECK(esc::is_meaningful("2.6.0"_esc)); // Exchange: "250 2.6.0 ... Queued mail for delivery"
    CHECK(esc::is_meaningful("5.7.606"_esc)); // not judged
}

TEST_CASE("basic_codes::allows implements the registry's pairing rules") {
    CHECK(esc::lookup("5.0.0"_esc)->associated.allows(250));
    CHECK(esc::lookup("5.0.0"_esc)->associated.allows(421));
    CHECK(esc::lookup("5.7.17"_esc)->associated.allows(550));
    CHECK(esc::lookup("5.7.17"_esc)->associated.allows(554));
    CHECK_FALSE(esc::lookup("5.7.17"_esc)->associated.allows(450));
    CHECK(esc::lookup("5.7.15"_esc)->associated.allows(450));
    CHECK(esc::lookup("5.7.15"_esc)->associated.allows(451));
    CHECK_FALSE(esc::lookup("5.7.15"_esc)->associated.allows(250));
    CHECK(esc::lookup("5.1.1"_esc)->associated.allows(550));
    CHECK_FALSE(esc::lookup("5.1.1"_esc)->associated.allows(554));
    CHECK_FALSE(esc::lookup("5.1.2"_esc)->associated.given());
    CHECK_FALSE(esc::lookup("5.7.28"_esc)->associated.given()); // the registry has only "."
    CHECK(esc::lookup("5.0.0"_esc)->associated.given());
}
