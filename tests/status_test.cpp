// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/status.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_set>

using namespace esc::literals;
using esc::status_class;
using esc::status_code;

namespace {

constexpr status_code code(int cls, int subject, int detail) {
    return {static_cast<status_class>(cls), static_cast<std::uint16_t>(subject), static_cast<std::uint16_t>(detail)};
}

struct chars_result {
    std::errc ec;
    std::ptrdiff_t consumed;
    status_code value;
};

chars_result read(std::string_view s) {
    status_code c = code(2, 9, 9); // sentinel: must stay unchanged on failure
    const auto r = esc::from_chars(s.data(), s.data() + s.size(), c);
    return {r.ec, r.ptr - s.data(), c};
}

} // namespace

// The constexpr API works in constant expressions.
static_assert(esc::parse_status("5.1.1") == code(5, 1, 1));
static_assert(esc::parse_status("2.0.0") == code(2, 0, 0));
static_assert(esc::parse_status("5.7.606") == code(5, 7, 606));
static_assert(esc::parse_status("4.999.999") == code(4, 999, 999));
static_assert(!esc::parse_status("5.01.1"));
static_assert(!esc::parse_status("5.1.1000"));
static_assert(!esc::parse_status("3.1.1"));
static_assert(!esc::parse_status(""));
static_assert("5.1.1"_esc == code(5, 1, 1));
static_assert("4.7.500"_esc < "5.0.0"_esc);
static_assert(esc::to_string("5.7.606"_esc) == "5.7.606");
static_assert(esc::to_string(code(3, 1, 1)).empty());
static_assert(esc::is_valid("2.1.5"_esc) && !esc::is_valid(code(5, 1000, 0)));
static_assert(esc::subject_of("5.7.1"_esc) == esc::subject::security);
static_assert(esc::title(status_class::transient) == "Persistent Transient Failure");
static_assert(esc::detail::unpack(esc::detail::pack("5.7.606"_esc)) == "5.7.606"_esc);

TEST_CASE("parse_status accepts exactly the RFC 3463 grammar") {
    CHECK(esc::parse_status("5.1.1") == code(5, 1, 1));
    CHECK(esc::parse_status("4.4.7") == code(4, 4, 7));
    CHECK(esc::parse_status("2.6.0") == code(2, 6, 0));
    CHECK(esc::parse_status("5.7.606") == code(5, 7, 606));
    CHECK(esc::parse_status("4.7.500") == code(4, 7, 500));
    CHECK(esc::parse_status("5.999.0") == code(5, 999, 0));
    CHECK(esc::parse_status("5.10.10") == code(5, 10, 10));
}

TEST_CASE("parse_status rejects everything else") {
    for (const char* bad : {"", "5", "5.", "5.1", "5.1.", "5..1", "5.1..1", ".5.1.1", "6.1.1", "3.1.1", "1.1.1", "0.0.0",
                            "5.01.1", "5.1.01", "5.00.0", "05.1.1", "5.1.1000", "5.1000.1", "5.1.1.1", "5.1.1 ",
                            " 5.1.1", "5.1.1x", "x5.1.1", "5,1,1", "5-1-1", "5.1.-1", "5.+1.1", "5.a.1", "+5.1.1",
                            "5.1.1\n", "5.1.1\r\n", "５.1.1"}) {
        CAPTURE(bad);
        CHECK_FALSE(esc::parse_status(bad).has_value());
    }
    const std::string with_nul("5.1.1\0", 6);
    CHECK_FALSE(esc::parse_status(with_nul).has_value());
    const std::string nul_inside("5.1\0.1", 6);
    CHECK_FALSE(esc::parse_status(nul_inside).has_value());
}

TEST_CASE("from_chars follows std::from_chars semantics") {
    SUBCASE("a prefix is read and ptr points past it") {
        auto r = read("5.1.1 user unknown");
        CHECK(r.ec == std::errc{});
        CHECK(r.consumed == 5);
        CHECK(r.value == code(5, 1, 1));
        r = read("4.7.606.");
        CHECK(r.ec == std::errc{});
        CHECK(r.consumed == 7);
    }
    SUBCASE("digits are read greedily: 5.1.10 is not 5.1.1 and a 0") {
        auto r = read("5.1.10");
        CHECK(r.value == code(5, 1, 10));
        CHECK(r.consumed == 6);
    }
    SUBCASE("no match: invalid_argument, ptr == first, value untouched") {
        for (const char* bad : {"", "x", "6.1.1", "5", "5.", "5.x", "5.1", "5.1.", "5..1", "5.01.1", "5.1.01", "5.00.1"}) {
            CAPTURE(bad);
            const auto r = read(bad);
            CHECK(r.ec == std::errc::invalid_argument);
            CHECK(r.consumed == 0);
            CHECK(r.value == code(2, 9, 9));
        }
    }
    SUBCASE("4+ digit parts: result_out_of_range, ptr past the pattern, value untouched") {
        auto r = read("5.1.1000 and more");
        CHECK(r.ec == std::errc::result_out_of_range);
        CHECK(r.consumed == 8);
        CHECK(r.value == code(2, 9, 9));
        r = read("5.1000.1");
        CHECK(r.ec == std::errc::result_out_of_range);
        CHECK(r.consumed == 8);
        r = read("4.1234.56789x");
        CHECK(r.ec == std::errc::result_out_of_range);
        CHECK(r.consumed == 12);
    }
    SUBCASE("1 MB of digits is out of range, scanned once, without overflow") {
        std::string big = "5.1.";
        big.append(1 << 20, '9');
        const auto r = read(big);
        CHECK(r.ec == std::errc::result_out_of_range);
        CHECK(r.consumed == static_cast<std::ptrdiff_t>(big.size()));
        CHECK_FALSE(esc::parse_status(big).has_value());
        const std::string digits(1 << 20, '5');
        CHECK(read(digits).ec == std::errc::invalid_argument);
        CHECK_FALSE(esc::parse_status(digits).has_value());
    }
    SUBCASE("never reads past last") {
        const char buf[] = {'5', '.', '1', '.', '1', '1'};
        status_code c{};
        const auto r = esc::from_chars(buf, buf + 5, c); // the sixth '1' is outside
        CHECK(r.ec == std::errc{});
        CHECK(r.ptr == buf + 5);
        CHECK(c == code(5, 1, 1));
    }
}

namespace {

// An independent reading of the grammar, a part at a time, for the test below.
chars_result read_by_grammar(std::string_view s) {
    const chars_result none{std::errc::invalid_argument, 0, code(2, 9, 9)};
    if (s.size() < 2 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return none;
    std::size_t i = 2;
    int parts[2] = {0, 0};
    bool long_part = false;
    for (int k = 0; k < 2; ++k) {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        const std::size_t n = i - start;
        if (n == 0 || (n > 1 && s[start] == '0')) return none;
        if (n > 3) long_part = true;
        else parts[k] = std::stoi(std::string(s.substr(start, n)));
        if (k == 0) {
            if (i == s.size() || s[i] != '.') return none;
            ++i;
        }
    }
    if (long_part) return {std::errc::result_out_of_range, static_cast<std::ptrdiff_t>(i), code(2, 9, 9)};
    return {std::errc{}, static_cast<std::ptrdiff_t>(i), code(s[0] - '0', parts[0], parts[1])};
}

} // namespace

TEST_CASE("from_chars agrees with the grammar on every short string of its characters") {
    // Every string of up to seven of these: codes with one-digit parts (read
    // in one step) and every way of being longer, shorter or malformed.
    const std::string alphabet = "5201.x ";
    std::string s;
    long checked = 0;
    std::function<void()> each = [&] {
        const chars_result got = read(s), want = read_by_grammar(s);
        CAPTURE(s);
        REQUIRE(got.ec == want.ec);
        REQUIRE(got.consumed == want.consumed);
        REQUIRE(got.value == want.value);
        ++checked;
        if (s.size() == 7) return;
        for (char c : alphabet) {
            s.push_back(c);
            each();
            s.pop_back();
        }
    };
    each();
    CHECK(checked == 960800); // 1 + 7 + 7^2 + ... + 7^7
}

TEST_CASE("to_chars follows std::to_chars semantics") {
    char buf[16];
    auto r = esc::to_chars(buf, buf + sizeof buf, code(5, 7, 606));
    CHECK(r.ec == std::errc{});
    CHECK(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)) == "5.7.606");

    char small[6];
    r = esc::to_chars(small, small + sizeof small, code(5, 7, 606));
    CHECK(r.ec == std::errc::value_too_large);
    CHECK(r.ptr == small + sizeof small);

    r = esc::to_chars(buf, buf + 5, code(5, 1, 1)); // exactly enough
    CHECK(r.ec == std::errc{});
    CHECK(r.ptr == buf + 5);

    r = esc::to_chars(buf, buf + sizeof buf, code(3, 1, 1));
    CHECK(r.ec == std::errc::invalid_argument);
    CHECK(r.ptr == buf);
    r = esc::to_chars(buf, buf + sizeof buf, code(5, 1000, 1));
    CHECK(r.ec == std::errc::invalid_argument);
}

TEST_CASE("to_string and parse_status round-trip over all 3 x 1000 x 1000 codes") {
    std::size_t checked = 0, failures = 0;
    for (int cls : {2, 4, 5})
        for (int s = 0; s <= 999; ++s)
            for (int d = 0; d <= 999; ++d) {
                const status_code c = code(cls, s, d);
                const esc::status_string text = esc::to_string(c);
                const auto back = esc::parse_status(text);
                if (!back || *back != c) ++failures;
                ++checked;
            }
    CHECK(checked == 3000000);
    CHECK(failures == 0);
}

TEST_CASE("status_string") {
    const auto s = esc::to_string("4.2.2"_esc);
    CHECK(s.size() == 5);
    CHECK(std::strcmp(s.c_str(), "4.2.2") == 0);
    CHECK(s == "4.2.2");
    CHECK("4.2.2" == s);
    CHECK(s != "4.2.3");
    CHECK(std::string(s) == "4.2.2");
    CHECK(esc::to_string(code(7, 1, 1)).empty());
}

TEST_CASE("operator<< writes the short form") {
    std::ostringstream os;
    os << "5.7.26"_esc << ' ' << esc::to_string("2.0.0"_esc);
    CHECK(os.str() == "5.7.26 2.0.0");
}

TEST_CASE("comparisons order by class, subject, detail") {
    CHECK("2.9.9"_esc < "4.0.0"_esc);
    CHECK("4.1.9"_esc < "4.2.0"_esc);
    CHECK("5.7.25"_esc < "5.7.26"_esc);
    CHECK("5.7.26"_esc > "5.7.25"_esc);
    CHECK("5.1.1"_esc <= "5.1.1"_esc);
    CHECK("5.1.1"_esc >= "5.1.1"_esc);
    CHECK("5.1.1"_esc != "4.1.1"_esc);
    CHECK_FALSE("5.1.1"_esc < "5.1.1"_esc);
}

TEST_CASE("std::hash tells codes apart") {
    std::unordered_set<status_code> set;
    for (int cls : {2, 4, 5})
        for (int s = 0; s < 8; ++s)
            for (int d = 0; d < 40; ++d) set.insert(code(cls, s, d));
    CHECK(set.size() == 3 * 8 * 40);
    CHECK(std::hash<status_code>{}("5.1.1"_esc) != std::hash<status_code>{}("4.1.1"_esc));
}

TEST_CASE("class and subject titles are the registry's") {
    CHECK(esc::title(status_class::success) == "Success");
    CHECK(esc::title(status_class::transient) == "Persistent Transient Failure");
    CHECK(esc::title(status_class::permanent) == "Permanent Failure");
    CHECK(esc::title(esc::subject::other) == "Other or Undefined Status");
    CHECK(esc::title(esc::subject::addressing) == "Addressing Status");
    CHECK(esc::title(esc::subject::mailbox) == "Mailbox Status");
    CHECK(esc::title(esc::subject::mail_system) == "Mail System Status");
    CHECK(esc::title(esc::subject::network) == "Network and Routing Status");
    CHECK(esc::title(esc::subject::protocol) == "Mail Delivery Protocol Status");
    CHECK(esc::title(esc::subject::content) == "Message Content or Media Status");
    CHECK(esc::title(esc::subject::security) == "Security or Policy Status");
    CHECK(esc::title(static_cast<esc::subject>(8)).empty());
}

TEST_CASE("the literal works at run time too") {
    const status_code c = "5.7.606"_esc;
    CHECK(c.cls == status_class::permanent);
    CHECK(c.subject == 7);
    CHECK(c.detail == 606);
}
