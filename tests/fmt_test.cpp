// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/fmt.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

using namespace esc::literals;

TEST_CASE("status_code: short and long forms, with the usual string specs") {
    CHECK(fmt::format("{}", "5.1.1"_esc) == "5.1.1");
    CHECK(fmt::format("{:l}", "5.1.1"_esc) == "5.1.1 Bad destination mailbox address");
    CHECK(fmt::format("{:l}", "5.7.606"_esc) == "5.7.606 Security or Policy Status");
    CHECK(fmt::format("{:>7}", "4.2.2"_esc) == "  4.2.2");
    CHECK(fmt::format("{:<7}|", "4.2.2"_esc) == "4.2.2  |");
    CHECK(fmt::format("{:l>20}", "2.0.0"_esc) == "2.0.0 Other undefined Status");
    CHECK(fmt::format("{}", esc::status_code{}) == "");
}

TEST_CASE("reply_code") {
    CHECK(fmt::format("{}", esc::reply_code{550}) == "550");
    CHECK(fmt::format("{:l}", esc::reply_code{421}) ==
          "421 Service not available; the server is closing the connection");
    CHECK(fmt::format("{:l}", esc::reply_code{571}) == "571 Permanent Negative Completion");
    CHECK(fmt::format("{:>5}", esc::reply_code{250}) == "  250");
}

TEST_CASE("reason, outcome and classification") {
    CHECK(fmt::format("{}", esc::reason::mailbox_full) == "mailbox_full");
    CHECK(fmt::format("{:<6}|", esc::reason::spam) == "spam  |");
    CHECK(fmt::format("{}", esc::outcome::transient) == "transient");
    CHECK(fmt::format("{}", esc::classify("550 5.1.1 <bob@example.com>: User unknown")) ==
          "permanent mailbox_unknown 5.1.1");
    CHECK(fmt::format("{}", esc::classify("550 Requested action not taken: mailbox unavailable")) ==
          "permanent mailbox_unknown 5.0.0 (inferred)");
    CHECK(fmt::format("{}", esc::classify("no code at all")) == "unknown other");
}
