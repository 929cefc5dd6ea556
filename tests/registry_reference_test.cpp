// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The registry table against shared/reference/iana-enhanced-status-codes.csv,
// row for row: count, titles, associated basic codes, references.
#include <esc/registry.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_data.hpp"

namespace {

bool have_reference(const std::filesystem::path& p) {
    if (std::filesystem::exists(p)) return true;
    MESSAGE("skipped: no reference data (" << p.string() << ")");
    return false;
}

std::vector<std::string> words(std::string_view s) { return esc_test::split_words(std::string(s)); }

} // namespace

TEST_CASE("the registry table agrees with the IANA reference CSV") {
    const auto path = esc_test::reference_dir() / "iana-enhanced-status-codes.csv";
    if (!have_reference(path)) return;
    const esc_test::csv_table csv = esc_test::load_csv(path);
    const std::size_t table = csv.column("table"), code = csv.column("code"), summary = csv.column("summary"),
                      basic = csv.column("associated_basic_codes"), reference = csv.column("reference"),
                      notes = csv.column("notes");
    REQUIRE(notes < csv.header.size());

    std::size_t details = 0, classes = 0, subjects = 0;
    for (const auto& row : csv.rows) {
        REQUIRE(row.size() == csv.header.size());
        CAPTURE(row[code]);
        if (row[table] == "class") {
            ++classes;
            const auto cls = static_cast<esc::status_class>(row[code][0] - '0');
            CHECK(esc::title(cls) == row[summary]);
        } else if (row[table] == "subject") {
            ++subjects;
            const auto subject = static_cast<esc::subject>(std::stoi(row[code].substr(2)));
            CHECK(esc::title(subject) == row[summary]);
        } else {
            REQUIRE(row[table] == "detail");
            ++details;
            const std::string& c = row[code]; // "X.7.26"
            const auto second_dot = c.find('.', 2);
            const int s = std::stoi(c.substr(2, second_dot - 2));
            const int d = std::stoi(c.substr(second_dot + 1));
            const esc::registry_entry* e =
                esc::lookup({esc::status_class::permanent, static_cast<std::uint16_t>(s), static_cast<std::uint16_t>(d)});
            REQUIRE(e != nullptr);
            CHECK(e->title == row[summary]);
            std::vector<std::string> ours;
            for (std::uint16_t b : e->associated) ours.push_back(std::to_string(b));
            CHECK(ours == esc_test::split_words(row[basic]));
            CHECK(words(e->references) == esc_test::split_words(row[reference]));
            CHECK(e->deprecated == (row[notes].find("deprecated") != std::string::npos));
        }
    }
    CHECK(classes == 3);
    CHECK(subjects == 8);
    CHECK(details == 81);
    CHECK(std::size(esc::registry()) == details);
}
