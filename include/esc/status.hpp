// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Enhanced mail system status codes (RFC 3463): class.subject.detail, e.g. 5.1.1.
//
// The grammar is strict, as RFC 3463 section 2 writes it:
//   status-code = class "." subject "." detail
//   class = "2" / "4" / "5";  subject = 1*3digit;  detail = 1*3digit
// with no leading zeros in a numeric part and no white space inside. Finding a
// code inside sloppy free text is the business of <esc/reply.hpp>, not of this
// header.
//
// This header is on the parse/classify path, so it keeps to light standard
// headers: no <string>, no <ostream> (operator<< is a template over the stream,
// instantiated where the caller already has <ostream>).

#include <charconv> // std::from_chars_result, std::to_chars_result, std::errc
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"

ESC_BEGIN_NAMESPACE

enum class status_class : std::uint8_t { success = 2, transient = 4, permanent = 5 };

// The subjects RFC 3463 defines. A status_code may carry any subject 0..999;
// values without an enumerator are unregistered subjects.
enum class subject : std::uint16_t {
    other = 0,       // X.0.XXX Other or Undefined Status
    addressing = 1,  // X.1.XXX Addressing Status
    mailbox = 2,     // X.2.XXX Mailbox Status
    mail_system = 3, // X.3.XXX Mail System Status
    network = 4,     // X.4.XXX Network and Routing Status
    protocol = 5,    // X.5.XXX Mail Delivery Protocol Status
    content = 6,     // X.6.XXX Message Content or Media Status
    security = 7,    // X.7.XXX Security or Policy Status
};

// subject and detail are 0..999: RFC 3463 allows three digits, and Microsoft
// really sends 5.7.606. A value built by hand outside those ranges, or with a
// class other than 2/4/5, is not valid (see is_valid) and formats as "".
struct status_code {
    status_class cls;
    std::uint16_t subject;
    std::uint16_t detail;
};

inline constexpr std::uint16_t max_status_part = 999;

constexpr bool is_valid(status_class c) noexcept {
    return c == status_class::success || c == status_class::transient || c == status_class::permanent;
}

constexpr bool is_valid(status_code c) noexcept {
    return is_valid(c.cls) && c.subject <= max_status_part && c.detail <= max_status_part;
}

constexpr esc::subject subject_of(status_code c) noexcept { return static_cast<esc::subject>(c.subject); }

constexpr bool operator==(status_code a, status_code b) noexcept {
    return a.cls == b.cls && a.subject == b.subject && a.detail == b.detail;
}
constexpr bool operator!=(status_code a, status_code b) noexcept { return !(a == b); }
constexpr bool operator<(status_code a, status_code b) noexcept {
    if (a.cls != b.cls) return a.cls < b.cls;
    if (a.subject != b.subject) return a.subject < b.subject;
    return a.detail < b.detail;
}
constexpr bool operator>(status_code a, status_code b) noexcept { return b < a; }
constexpr bool operator<=(status_code a, status_code b) noexcept { return !(b < a); }
constexpr bool operator>=(status_code a, status_code b) noexcept { return !(a < b); }

// Titles as the IANA registry gives them ("Permanent Failure", "Addressing Status").
constexpr std::string_view title(status_class c) noexcept {
    switch (c) {
    case status_class::success: return "Success";
    case status_class::transient: return "Persistent Transient Failure";
    case status_class::permanent: return "Permanent Failure";
    }
    return {};
}

// Empty for a subject the registry does not define.
constexpr std::string_view title(esc::subject s) noexcept {
    switch (s) {
    case subject::other: return "Other or Undefined Status";
    case subject::addressing: return "Addressing Status";
    case subject::mailbox: return "Mailbox Status";
    case subject::mail_system: return "Mail System Status";
    case subject::network: return "Network and Routing Status";
    case subject::protocol: return "Mail Delivery Protocol Status";
    case subject::content: return "Message Content or Media Status";
    case subject::security: return "Security or Policy Status";
    }
    return {};
}

namespace detail {

// Reads one numeric part at p: a maximal run of digits, so that "5.1.10" is
// never read as 5.1.1 followed by junk. Returns the end of the run.
struct part_scan {
    const char* end;
    std::uint16_t value;
    std::errc ec;
};

constexpr part_scan scan_status_part(const char* p, const char* last) noexcept {
    const char* const start = p;
    std::uint32_t value = 0;
    while (p != last && is_digit(*p)) {
        if (p - start < 3) value = value * 10 + static_cast<std::uint32_t>(digit_value(*p));
        ++p;
    }
    const auto n = p - start;
    if (n == 0) return {start, 0, std::errc::invalid_argument};
    if (n > 1 && *start == '0') return {p, 0, std::errc::invalid_argument}; // RFC 3463: no leading zeros
    if (n > 3) return {p, 0, std::errc::result_out_of_range};
    return {p, static_cast<std::uint16_t>(value), std::errc{}};
}

constexpr std::size_t decimal_width(std::uint16_t v) noexcept { return v >= 100 ? 3 : v >= 10 ? 2 : 1; }

constexpr char* write_decimal(char* out, std::uint16_t v, std::size_t width) noexcept {
    for (std::size_t i = width; i-- > 0; v = static_cast<std::uint16_t>(v / 10)) out[i] = static_cast<char>('0' + v % 10);
    return out + width;
}

// A dense integer for a valid code (5.1.1 -> 5001001): the hash, and the value
// carried by std::error_code.
constexpr std::uint32_t pack(status_code c) noexcept {
    return static_cast<std::uint32_t>(c.cls) * 1000000u + c.subject * 1000u + c.detail;
}

constexpr std::optional<status_code> unpack(std::uint32_t v) noexcept {
    const status_code c{static_cast<status_class>(v / 1000000u), static_cast<std::uint16_t>(v / 1000u % 1000u),
                        static_cast<std::uint16_t>(v % 1000u)};
    if (v >= 10000000u || !is_valid(c)) return std::nullopt;
    return c;
}

} // namespace detail

// std::from_chars semantics over [first, last): reads the longest prefix that
// is a status code. On success ec is errc{} and ptr points past the code (the
// caller decides whether trailing text is acceptable). On failure `out` is left
// unchanged and:
//  - errc::invalid_argument, ptr == first: no code here (bad class, missing dot,
//    missing digits, or a leading zero such as 5.01.1);
//  - errc::result_out_of_range, ptr past the whole pattern: a part has 4+ digits.
constexpr std::from_chars_result from_chars(const char* first, const char* last, status_code& out) noexcept {
    const auto mismatch = std::from_chars_result{first, std::errc::invalid_argument};
    if (first == last) return mismatch;
    const char c = *first;
    if (c != '2' && c != '4' && c != '5') return mismatch;
    // Most codes have one-digit parts ("5.1.1", "4.7.0"): read in one step.
    if (last - first >= 5 && first[1] == '.' && detail::is_digit(first[2]) && first[3] == '.' &&
        detail::is_digit(first[4]) && (last - first == 5 || !detail::is_digit(first[5]))) {
        out = status_code{static_cast<status_class>(detail::digit_value(c)),
                          static_cast<std::uint16_t>(detail::digit_value(first[2])),
                          static_cast<std::uint16_t>(detail::digit_value(first[4]))};
        return {first + 5, std::errc{}};
    }
    const char* p = first + 1;
    if (p == last || *p != '.') return mismatch;
    const detail::part_scan subj = detail::scan_status_part(p + 1, last);
    if (subj.ec == std::errc::invalid_argument) return mismatch;
    p = subj.end;
    if (p == last || *p != '.') return mismatch;
    const detail::part_scan det = detail::scan_status_part(p + 1, last);
    if (det.ec == std::errc::invalid_argument) return mismatch;
    if (subj.ec == std::errc::result_out_of_range || det.ec == std::errc::result_out_of_range)
        return {det.end, std::errc::result_out_of_range};
    out = status_code{static_cast<status_class>(detail::digit_value(c)), subj.value, det.value};
    return {det.end, std::errc{}};
}

// std::to_chars semantics: writes e.g. "5.1.1" (at most 9 characters, no
// terminating NUL). errc::value_too_large with ptr == last when the buffer is
// short; errc::invalid_argument with ptr == first for an invalid code.
constexpr std::to_chars_result to_chars(char* first, char* last, status_code c) noexcept {
    if (!is_valid(c)) return {first, std::errc::invalid_argument};
    const std::size_t ws = detail::decimal_width(c.subject), wd = detail::decimal_width(c.detail);
    const std::size_t n = 1 + 1 + ws + 1 + wd;
    if (static_cast<std::size_t>(last - first) < n) return {last, std::errc::value_too_large};
    char* p = first;
    *p++ = static_cast<char>('0' + static_cast<int>(c.cls));
    *p++ = '.';
    p = detail::write_decimal(p, c.subject, ws);
    *p++ = '.';
    p = detail::write_decimal(p, c.detail, wd);
    return {p, std::errc{}};
}

// The whole of `text` must be one code: "5.1.1" yes; " 5.1.1", "5.1.1 ", "5.1.1.1" no.
constexpr std::optional<status_code> parse_status(std::string_view text) noexcept {
    status_code c{};
    const char* const last = text.data() + text.size();
    const auto r = from_chars(text.data(), last, c);
    if (r.ec != std::errc{} || r.ptr != last) return std::nullopt;
    return c;
}

// The text of a status code, held inline: formatting never allocates. Converts
// to std::string_view; use std::string(to_string(c)) for an owning copy.
class status_string {
public:
    static constexpr std::size_t capacity = 9; // "5.999.999"

    constexpr status_string() noexcept = default;
    constexpr explicit status_string(status_code c) noexcept {
        const auto r = to_chars(buf_, buf_ + capacity, c);
        size_ = r.ec == std::errc{} ? static_cast<std::uint8_t>(r.ptr - buf_) : 0;
        buf_[size_] = '\0';
    }

    constexpr std::string_view view() const noexcept { return {buf_, size_}; }
    constexpr operator std::string_view() const noexcept { return view(); }
    constexpr const char* c_str() const noexcept { return buf_; }
    constexpr const char* data() const noexcept { return buf_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }

    friend constexpr bool operator==(const status_string& a, std::string_view b) noexcept { return a.view() == b; }
    friend constexpr bool operator!=(const status_string& a, std::string_view b) noexcept { return a.view() != b; }
    friend constexpr bool operator==(std::string_view a, const status_string& b) noexcept { return a == b.view(); }
    friend constexpr bool operator!=(std::string_view a, const status_string& b) noexcept { return a != b.view(); }

private:
    char buf_[capacity + 1]{};
    std::uint8_t size_ = 0;
};

// "5.1.1"; "" for an invalid code.
constexpr status_string to_string(status_code c) noexcept { return status_string{c}; }

template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, const status_string& s) {
    return os << std::basic_string_view<char, Traits>(s.data(), s.size());
}

template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, status_code c) {
    return os << to_string(c);
}

namespace detail {
// Called only for an invalid literal. It is not constexpr, so reaching it in a
// constant expression is a compile error; see operator""_esc.
inline void invalid_status_literal() noexcept {}

constexpr status_code checked_status_literal(std::string_view text) noexcept {
    const auto parsed = parse_status(text);
    if (!parsed) invalid_status_literal();
    return parsed ? *parsed : status_code{};
}
} // namespace detail

// "5.1.1"_esc. An invalid literal does not compile: in C++20 through a class
// template argument, with g++/clang in C++17 through their string literal
// operator templates (a GNU extension, hence the pragmas), elsewhere only when
// the literal initialises a constexpr variable.
namespace literals {
#if defined(__cpp_nontype_template_args) && __cpp_nontype_template_args >= 201911L
namespace detail {
template <std::size_t N>
struct status_literal {
    char text[N]{};
    constexpr status_literal(const char (&s)[N]) noexcept { // NOLINT: implicit by design
        for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
    }
};
} // namespace detail

template <detail::status_literal L>
constexpr status_code operator""_esc() noexcept {
    constexpr auto parsed = parse_status(std::string_view(L.text, sizeof(L.text) - 1));
    static_assert(parsed.has_value(), "operator\"\"_esc: not a valid RFC 3463 status code");
    return *parsed;
}
#elif defined(__GNUC__)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-string-literal-operator-template"
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
namespace detail {
template <char... Chars>
constexpr std::optional<status_code> parse_status_pack() noexcept {
    const char text[] = {Chars..., '\0'};
    return parse_status(std::string_view(text, sizeof...(Chars)));
}
} // namespace detail

template <class CharT, CharT... Chars>
constexpr status_code operator""_esc() noexcept {
    constexpr auto parsed = detail::parse_status_pack<static_cast<char>(Chars)...>();
    static_assert(parsed.has_value(), "operator\"\"_esc: not a valid RFC 3463 status code");
    return *parsed;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif
#else
constexpr status_code operator""_esc(const char* text, std::size_t size) noexcept {
    return ::esc::detail::checked_status_literal(std::string_view(text, size));
}
#endif
} // namespace literals

ESC_END_NAMESPACE

namespace std {
template <>
struct hash<esc::status_code> {
    std::size_t operator()(esc::status_code c) const noexcept { return esc::detail::pack(c); }
};
} // namespace std
