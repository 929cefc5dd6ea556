// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/pairing.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "support/test_data.hpp"

using namespace esc::literals;
using esc::reply_code;

static_assert(esc::is_associated(reply_code{550}, "5.1.1"_esc));
static_assert(!esc::is_associated(reply_code{554}, "5.1.1"_esc));
static_assert(esc::check_consistency(reply_code{550}, "4.1.1"_esc).class_mismatch);
static_assert(esc::check_consistency(reply_code{550}, "5.1.1"_esc).ok());

TEST_CASE("every pairing the registry lists is associated") {
    std::size_t pairs = 0;
    for (const esc::registry_entry& e : esc::registry())
        for (std::uint16_t basic : e.associated) {
            const auto reply = reply_code{basic};
            const esc::status_code status = e.code(static_cast<esc::status_class>(basic / 100));
            CAPTURE(basic);
            CAPTURE(esc::to_string(status));
            CHECK(esc::is_associated(reply, status));
            CHECK(esc::is_valid(reply));
            const esc::consistency c = esc::check_consistency(reply, status);
            CHECK_FALSE(c.class_mismatch);
            CHECK_FALSE(c.unlisted_pairing);
            CHECK_FALSE(c.unregistered);
            ++pairs;
        }
    CHECK(pairs == 119);
}

TEST_CASE("every pairing of the reference CSV is associated, and no other listed one") {
    const auto path = esc_test::reference_dir() / "iana-enhanced-status-codes.csv";
    if (!std::filesystem::exists(path)) {
        MESSAGE("skipped: no reference data (" << path.string() << ")");
        return;
    }
    const auto csv = esc_test::load_csv(path);
    const std::size_t table = csv.column("table"), code = csv.column("code"), basic = csv.column("associated_basic_codes"),
                      raw = csv.column("associated_basic_codes_raw");
    std::size_t listed = 0;
    for (const auto& row : csv.rows) {
        if (row[table] != "detail") continue;
        const std::string& c = row[code];
        const auto dot = c.find('.', 2);
        const auto status = esc::status_code{esc::status_class::permanent, static_cast<std::uint16_t>(std::stoi(c.substr(2, dot - 2))),
                                             static_cast<std::uint16_t>(std::stoi(c.substr(dot + 1)))};
        CAPTURE(c);
        const auto codes = esc_test::split_words(row[basic]);
        for (const std::string& b : codes) {
            CHECK(esc::is_associated(reply_code{static_cast<std::uint16_t>(std::stoi(b))}, status));
            ++listed;
        }
        // Basic codes the row does not list are associated only through a wildcard.
        if (row[raw] == "Any") continue;
        for (int b = 200; b < 560; ++b) {
            const auto r = reply_code{static_cast<std::uint16_t>(b)};
            if (!esc::is_valid(r)) continue;
            bool in_row = false;
            for (const std::string& x : codes) in_row = in_row || std::stoi(x) == b;
            const bool wildcard = (row[raw] == "5XX" && b / 100 == 5) ||
                                  (row[raw].find("other 4XX or 5XX") != std::string::npos && b >= 400);
            CHECK(esc::is_associated(r, status) == (in_row || wildcard));
        }
    }
    CHECK(listed == 119);
}

TEST_CASE("check_consistency names each problem") {
    SUBCASE("class mismatch") {
        const auto c = esc::check_consistency(reply_code{550}, "4.1.1"_esc);
        CHECK(c.class_mismatch);
        CHECK(c.not_meaningful); // X.1.1 is permanent only
        CHECK_FALSE(c.unlisted_pairing); // 550 is listed for X.1.1
        CHECK_FALSE(c.ok());
        CHECK(esc::check_consistency(reply_code{250}, "5.0.0"_esc).class_mismatch);
        CHECK(esc::check_consistency(reply_code{354}, "2.0.0"_esc).class_mismatch);
    }
    SUBCASE("unlisted pairing") {
        const auto c = esc::check_consistency(reply_code{554}, "5.1.1"_esc);
        CHECK(c.unlisted_pairing);
        CHECK_FALSE(c.class_mismatch);
        // "Not given" in the registry: no opinion, so nothing is unlisted.
        CHECK_FALSE(esc::check_consistency(reply_code{550}, "5.1.2"_esc).unlisted_pairing);
        CHECK(esc::check_consistency(reply_code{550}, "5.1.2"_esc).ok());
    }
    SUBCASE("not meaningful in its class") {
        const auto c = esc::check_consistency(reply_code{451}, "4.1.1"_esc); // listed, class agrees, RFC 3463 disagrees
        CHECK(c.not_meaningful);
        CHECK_FALSE(c.class_mismatch);
        CHECK_FALSE(c.unlisted_pairing);
    }
    SUBCASE("unregistered vendor code") {
        const auto c = esc::check_consistency(reply_code{550}, "5.7.606"_esc);
        CHECK(c.unregistered);
        CHECK_FALSE(c.unlisted_pairing);
        CHECK_FALSE(c.not_meaningful);
        CHECK_FALSE(c.class_mismatch);
    }
    SUBCASE("invalid input") {
        CHECK(esc::check_consistency(reply_code{600}, "5.1.1"_esc).invalid);
        CHECK(esc::check_consistency(reply_code{550}, esc::status_code{}).invalid);
        CHECK_FALSE(esc::check_consistency(reply_code{550}, "5.1.1"_esc).invalid);
    }
    SUBCASE("consistent pairs") {
        CHECK(esc::check_consistency(reply_code{250}, "2.1.5"_esc).ok());
        CHECK(esc::check_consistency(reply_code{552}, "5.2.2"_esc).ok());
        CHECK(esc::check_consistency(reply_code{535}, "5.7.8"_esc).ok());
        CHECK(esc::check_consistency(reply_code{556}, "5.1.10"_esc).ok());
        CHECK(esc::check_consistency(reply_code{421}, "4.0.0"_esc).ok());
    }
}
