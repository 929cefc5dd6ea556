// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/error_code.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code with its operator<<

using namespace esc::literals;

TEST_CASE("make_error_code carries the status code and describes it") {
    const std::error_code ec = esc::make_error_code("5.1.1"_esc);
    CHECK(ec.category() == esc::status_category());
    CHECK(std::string(ec.category().name()) == "esc.status");
    CHECK(ec.message() == "Bad destination mailbox address");
    CHECK(ec.message() == std::string(esc::describe("5.1.1"_esc)));
    CHECK(static_cast<bool>(ec));
    CHECK(esc::to_status_code(ec) == "5.1.1"_esc);
}

TEST_CASE("every registered code and vendor codes round-trip") {
    for (const esc::registry_entry& e : esc::registry())
        for (auto cls : {esc::status_class::success, esc::status_class::transient, esc::status_class::permanent}) {
            const auto code = e.code(cls);
            const auto ec = esc::make_error_code(code);
            if (cls == esc::status_class::success) continue; // the zero error: see below
            CHECK(esc::to_status_code(ec) == code);
            CHECK(ec.message() == std::string(esc::describe(code)));
        }
    CHECK(esc::make_error_code("5.7.606"_esc).message() == "Security or Policy Status");
    CHECK(esc::to_status_code(esc::make_error_code("4.999.999"_esc)) == "4.999.999"_esc);
}

TEST_CASE("codes of other categories, and invalid values, are not status codes") {
    CHECK_FALSE(esc::to_status_code(std::make_error_code(std::errc::timed_out)).has_value());
    const std::error_code bogus(42, esc::status_category());
    CHECK_FALSE(esc::to_status_code(bogus).has_value());
    CHECK(bogus.message() == "invalid enhanced status code");
    CHECK(std::error_code(-5, esc::status_category()).message() == "invalid enhanced status code");
    CHECK(std::error_code(3001001, esc::status_category()).message() == "invalid enhanced status code");
}

TEST_CASE("distinct codes are distinct error codes") {
    CHECK(esc::make_error_code("5.1.1"_esc) != esc::make_error_code("4.1.1"_esc));
    CHECK(esc::make_error_code("5.1.1"_esc) == esc::make_error_code("5.1.1"_esc));
}

TEST_CASE("a success is the zero error: falsy, as std::error_code means it") {
    for (const esc::status_code c : {"2.0.0"_esc, "2.1.5"_esc, "2.6.0"_esc}) {
        const std::error_code ec = esc::make_error_code(c);
        CHECK_FALSE(ec);
        CHECK(ec.value() == 0);
        CHECK(ec.category() == esc::status_category());
        CHECK(ec.message() == "success");
        CHECK(esc::to_status_code(ec) == "2.0.0"_esc); // the detail of a success is not kept
    }
    CHECK(static_cast<bool>(esc::make_error_code("4.2.2"_esc)));
    CHECK(static_cast<bool>(esc::make_error_code("5.0.0"_esc)));
    // The zero error of another category is not a status.
    CHECK_FALSE(esc::to_status_code(std::error_code()).has_value());
    // A 2.X.X value make_error_code never makes is not read as one.
    CHECK_FALSE(esc::to_status_code(std::error_code(2001005, esc::status_category())).has_value());
}
