// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// parse_status() against a reference reading of RFC 3463's grammar, plus the
// other whole-string parsers of names and codes (parse_reply_code,
// parse_command, parse_reason, parse_outcome): each accepts exactly what its
// to_string gives back.
#include <esc/command.hpp>
#include <esc/reason.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

// status-code = class "." subject "." detail; class = 2/4/5; subject and
// detail 1 to 3 digits without a leading zero. Written as a reader of the
// RFC would, independently of status.hpp.
std::optional<esc::status_code> reference_parse(std::string_view s) {
    if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return std::nullopt;
    unsigned parts[2] = {0, 0};
    std::size_t i = 2;
    for (int k = 0; k < 2; ++k) {
        const std::size_t begin = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') parts[k] = parts[k] * 10 + unsigned(s[i++] - '0');
        const std::size_t n = i - begin;
        if (n == 0 || n > 3 || (n > 1 && s[begin] == '0')) return std::nullopt;
        if (k == 0) {
            if (i == s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != s.size()) return std::nullopt;
    return esc::status_code{static_cast<esc::status_class>(s[0] - '0'), static_cast<std::uint16_t>(parts[0]),
                            static_cast<std::uint16_t>(parts[1])};
}

void check_status(std::string_view in) {
    const auto parsed = esc::parse_status(in);
    ESC_FUZZ_CHECK(parsed == esc::parse_status(in)); // deterministic
    ESC_FUZZ_CHECK(parsed == reference_parse(in));
    if (!parsed) return;
    ESC_FUZZ_CHECK(esc::is_valid(*parsed));
    // The grammar has one spelling per code, so formatting gives the input back.
    ESC_FUZZ_CHECK(esc::to_string(*parsed).view() == in);
    ESC_FUZZ_CHECK(esc::detail::unpack(esc::detail::pack(*parsed)) == parsed);
}

void check_names(std::string_view in) {
    if (const auto code = esc::parse_reply_code(in)) {
        ESC_FUZZ_CHECK(esc::is_valid(*code));
        ESC_FUZZ_CHECK(in.size() == 3);
        ESC_FUZZ_CHECK(unsigned(in[0] - '0') * 100 + unsigned(in[1] - '0') * 10 + unsigned(in[2] - '0') ==
                       esc::to_int(*code));
    }
    if (const auto cmd = esc::parse_command(in)) ESC_FUZZ_CHECK(esc::parse_command(esc::to_string(*cmd)) == cmd);
    if (const auto r = esc::parse_reason(in)) {
        ESC_FUZZ_CHECK(esc::detail::iequals(esc::to_string(*r), in));
        ESC_FUZZ_CHECK(esc::parse_reason(esc::to_string(*r)) == r);
    }
    if (const auto o = esc::parse_outcome(in)) {
        ESC_FUZZ_CHECK(esc::detail::iequals(esc::to_string(*o), in));
        ESC_FUZZ_CHECK(esc::parse_outcome(esc::to_string(*o)) == o);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in = esc_fuzz::as_text(data, size);
    check_status(in);
    check_names(in);
    return 0;
}
