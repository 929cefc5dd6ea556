// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/reply_code.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "support/test_data.hpp"

using esc::reply_category;
using esc::reply_class;
using esc::reply_code;
using esc::reply_code_status;

static_assert(esc::is_valid(reply_code{550}) && !esc::is_valid(reply_code{560}) && !esc::is_valid(reply_code{199}));
static_assert(esc::class_of(reply_code{354}) == reply_class::positive_intermediate);
static_assert(esc::category_of(reply_code{421}) == reply_category::connections);
static_assert(esc::lookup(reply_code{571}) == nullptr);
static_assert(esc::parse_reply_code("550") == reply_code{550});
static_assert(!esc::parse_reply_code("5500"));

namespace {

struct expected_code {
    int code;
    reply_class cls;
    reply_category category;
    reply_code_status status;
    const char* reference;
};

// Every basic code the RFCs (and the enhanced-status registry) name, written
// out from RFC 5321 section 4.2 and the extension RFCs.
const expected_code expected[] = {
    {211, reply_class::positive_completion, reply_category::information, reply_code_status::standard, "RFC5321"},
    {214, reply_class::positive_completion, reply_category::information, reply_code_status::standard, "RFC5321"},
    {220, reply_class::positive_completion, reply_category::connections, reply_code_status::standard, "RFC5321"},
    {221, reply_class::positive_completion, reply_category::connections, reply_code_status::standard, "RFC5321"},
    {235, reply_class::positive_completion, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {250, reply_class::positive_completion, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {251, reply_class::positive_completion, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {252, reply_class::positive_completion, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {253, reply_class::positive_completion, reply_category::mail_system, reply_code_status::standard, "RFC1985"},
    {334, reply_class::positive_intermediate, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {354, reply_class::positive_intermediate, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {355, reply_class::positive_intermediate, reply_category::mail_system, reply_code_status::experimental, "RFC1845"},
    {421, reply_class::transient_negative, reply_category::connections, reply_code_status::standard, "RFC5321"},
    {422, reply_class::transient_negative, reply_category::connections, reply_code_status::registry_only, ""},
    {430, reply_class::transient_negative, reply_category::unspecified_3, reply_code_status::registry_only, ""},
    {432, reply_class::transient_negative, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {450, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {451, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {452, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {453, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC2645"},
    {454, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC3207"},
    {455, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {458, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC1985"},
    {459, reply_class::transient_negative, reply_category::mail_system, reply_code_status::standard, "RFC1985"},
    {500, reply_class::permanent_negative, reply_category::syntax, reply_code_status::standard, "RFC5321"},
    {501, reply_class::permanent_negative, reply_category::syntax, reply_code_status::standard, "RFC5321"},
    {502, reply_class::permanent_negative, reply_category::syntax, reply_code_status::standard, "RFC5321"},
    {503, reply_class::permanent_negative, reply_category::syntax, reply_code_status::standard, "RFC5321"},
    {504, reply_class::permanent_negative, reply_category::syntax, reply_code_status::standard, "RFC5321"},
    {521, reply_class::permanent_negative, reply_category::connections, reply_code_status::standard, "RFC7504"},
    {523, reply_class::permanent_negative, reply_category::connections, reply_code_status::registry_only, ""},
    {524, reply_class::permanent_negative, reply_category::connections, reply_code_status::registry_only, ""},
    {525, reply_class::permanent_negative, reply_category::connections, reply_code_status::registry_only, ""},
    {530, reply_class::permanent_negative, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {533, reply_class::permanent_negative, reply_category::unspecified_3, reply_code_status::registry_only, ""},
    {534, reply_class::permanent_negative, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {535, reply_class::permanent_negative, reply_category::unspecified_3, reply_code_status::standard, "RFC4954"},
    {538, reply_class::permanent_negative, reply_category::unspecified_3, reply_code_status::deprecated, "RFC4954"},
    {550, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {551, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {552, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {553, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {554, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {555, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC5321"},
    {556, reply_class::permanent_negative, reply_category::mail_system, reply_code_status::standard, "RFC7504"},
};

} // namespace

TEST_CASE("every basic reply code, by number") {
    for (const expected_code& x : expected) {
        CAPTURE(x.code);
        const reply_code c{static_cast<std::uint16_t>(x.code)};
        CHECK(esc::is_valid(c));
        CHECK(esc::class_of(c) == x.cls);
        CHECK(esc::category_of(c) == x.category);
        const esc::reply_code_entry* e = esc::lookup(c);
        REQUIRE(e != nullptr);
        CHECK(e->code == x.code);
        CHECK(e->status == x.status);
        CHECK(e->reference == x.reference);
        CHECK(e->meaning.size() > 10);
        CHECK(esc::describe(c) == e->meaning);
        CHECK(esc::parse_reply_code(std::to_string(x.code)) == c);
    }
    CHECK(std::size(expected) == 45);
    CHECK(std::size(esc::reply_codes()) == 45);
}

TEST_CASE("reply_codes() is sorted and matches lookup") {
    int prev = 0;
    for (const esc::reply_code_entry& e : esc::reply_codes()) {
        CHECK(e.code > prev);
        prev = e.code;
        CHECK(esc::lookup(reply_code{e.code}) == &e);
    }
}

TEST_CASE("the reply code table agrees with the reference CSV") {
    const auto path = esc_test::reference_dir() / "rfc5321-reply-codes.csv";
    if (!std::filesystem::exists(path)) {
        MESSAGE("skipped: no reference data (" << path.string() << ")");
        return;
    }
    const auto csv = esc_test::load_csv(path);
    const std::size_t code = csv.column("code"), rfc = csv.column("defining_rfc"), status = csv.column("status"),
                      cls = csv.column("reply_class");
    CHECK(csv.rows.size() == std::size(esc::reply_codes()));
    for (const auto& row : csv.rows) {
        CAPTURE(row[code]);
        const auto c = esc::parse_reply_code(row[code]);
        REQUIRE(c.has_value());
        const esc::reply_code_entry* e = esc::lookup(*c);
        REQUIRE(e != nullptr);
        CHECK(e->reference == row[rfc]);
        const char* names[] = {"standard", "experimental", "deprecated", "registry-only"};
        CHECK(row[status] == names[static_cast<int>(e->status)]);
        const char* classes[] = {"", "", "positive completion", "positive intermediate", "transient negative",
                                 "permanent negative"};
        CHECK(row[cls] == classes[static_cast<int>(esc::class_of(*c))]);
    }
}

TEST_CASE("validity follows RFC 5321's grammar: [2-5][0-5][0-9]") {
    int valid = 0;
    for (int v = 0; v < 1000; ++v) {
        const bool expect = v / 100 >= 2 && v / 100 <= 5 && v / 10 % 10 <= 5;
        CHECK(esc::is_valid(reply_code{static_cast<std::uint16_t>(v)}) == expect);
        valid += expect;
    }
    CHECK(valid == 4 * 60);
    CHECK_FALSE(esc::is_valid(reply_code{65535}));
}

TEST_CASE("describe falls back to the class for codes no RFC names") {
    CHECK(esc::describe(reply_code{571}) == "Permanent Negative Completion");
    CHECK(esc::describe(reply_code{299}) == "Positive Completion");
    CHECK(esc::describe(reply_code{441}) == "Transient Negative Completion");
    CHECK(esc::describe(reply_code{600}).empty());
    CHECK(esc::describe(reply_code{0}).empty());
}

TEST_CASE("parse_reply_code is strict") {
    for (const char* bad : {"", "55", "5500", "600", "199", "560", "5a0", " 550", "550 ", "-50"}) {
        CAPTURE(bad);
        CHECK_FALSE(esc::parse_reply_code(bad).has_value());
    }
}

TEST_CASE("operator<< prints the number") {
    std::ostringstream os;
    os << reply_code{421};
    CHECK(os.str() == "421");
}

TEST_CASE("titles of classes and categories") {
    CHECK(esc::title(reply_class::positive_completion) == "Positive Completion");
    CHECK(esc::title(reply_class::permanent_negative) == "Permanent Negative Completion");
    CHECK(esc::title(reply_category::mail_system) == "Mail system");
    CHECK(esc::title(reply_category::syntax) == "Syntax");
}
