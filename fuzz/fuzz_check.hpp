// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What every fuzz target shares: a property check that aborts (so libFuzzer,
// and the replay tests, report the input), and the "this view lies inside that
// input" test the parsers promise for every string_view they return.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>

#include <esc/status.hpp>

namespace esc_fuzz {

[[noreturn]] inline void property_failed(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
    std::fflush(stderr);
    std::abort();
}

// True when `part` is empty and default-constructed, or every one of its
// characters is a character of `whole` (an empty view must still point into
// `whole` or just past it). std::less_equal orders unrelated pointers too.
inline bool inside(std::string_view part, std::string_view whole) {
    if (part.data() == nullptr) return part.empty();
    const std::less_equal<const char*> le;
    return whole.data() != nullptr && le(whole.data(), part.data()) &&
           le(part.data() + part.size(), whole.data() + whole.size());
}

// The offset of `part` inside `whole` (call only when inside()).
inline std::size_t offset_in(std::string_view part, std::string_view whole) {
    return part.data() == nullptr ? 0 : static_cast<std::size_t>(part.data() - whole.data());
}

// Same characters at the same address: a deterministic parser returns views
// identical to the byte, not only equal text.
inline bool same_view(std::string_view a, std::string_view b) {
    return a.data() == b.data() && a.size() == b.size();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// An enhanced code at the start of a reply line's text (after "550 " or
// "550-") as RFC 2034 puts it, with the leniency reply.hpp documents: blanks
// and a '#' may precede it; a blank or the end of the line must follow, and
// one blank after it is syntax. Written here from the header comment, to
// check parse_reply() and format_reply() against.
struct leading_code {
    std::optional<esc::status_code> status;
    std::string_view rest; // the line's text after the code and its blank
};

inline leading_code read_leading_code(std::string_view line_text) {
    std::size_t i = 0;
    while (i < line_text.size() && (line_text[i] == ' ' || line_text[i] == '\t')) ++i;
    if (i < line_text.size() && line_text[i] == '#') ++i;
    esc::status_code c{};
    const std::from_chars_result r = esc::from_chars(line_text.data() + i, line_text.data() + line_text.size(), c);
    if (r.ec != std::errc{}) return {std::nullopt, line_text};
    std::size_t after = static_cast<std::size_t>(r.ptr - line_text.data());
    if (after < line_text.size() && line_text[after] != ' ' && line_text[after] != '\t') return {std::nullopt, line_text};
    if (after < line_text.size()) ++after;
    return {c, line_text.substr(after)};
}

} // namespace esc_fuzz

#define ESC_FUZZ_CHECK(condition)                                                                                     \
    do {                                                                                                              \
        if (!(condition)) ::esc_fuzz::property_failed(#condition, __FILE__, __LINE__);                                \
    } while (false)
