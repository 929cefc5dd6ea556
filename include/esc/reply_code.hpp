// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Basic SMTP reply codes (RFC 5321 section 4.2 and the extensions that add
// codes): 250, 354, 450, 550, ...
//
// A reply code is three digits: the first gives the class (2 positive
// completion, 3 positive intermediate, 4 transient negative, 5 permanent
// negative), the second the category (x0z syntax, x1z information, x2z
// connections, x5z mail system). RFC 5321 section 4.2's grammar is
// %x32-35 %x30-35 %x30-39; is_valid() checks exactly that. Servers also send
// codes outside it (571, 599): has_reply_class() accepts any 2yz-5yz, which is
// enough to know what the reply means for the sender.
//
// Source: shared/reference/rfc5321-reply-codes.csv; tests/reply_code_test.cpp
// checks this table against it. Meanings are our own words.

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"

ESC_BEGIN_NAMESPACE

// A basic reply code, e.g. reply_code{550}. Any 16-bit value can be stored;
// is_valid() says whether it is a well-formed reply code.
enum class reply_code : std::uint16_t {};

enum class reply_class : std::uint8_t {
    positive_completion = 2,
    positive_intermediate = 3,
    transient_negative = 4,
    permanent_negative = 5,
};

enum class reply_category : std::uint8_t {
    syntax = 0,
    information = 1,
    connections = 2,
    unspecified_3 = 3,
    unspecified_4 = 4,
    mail_system = 5,
};

enum class reply_code_status : std::uint8_t {
    standard,
    experimental,
    deprecated,
    registry_only, // only appears as an associated code in the enhanced-status registry; no RFC defines it
};

struct reply_code_entry {
    std::uint16_t code;
    std::string_view meaning;   // our words
    std::string_view reference; // defining RFC; empty for registry-only codes
    reply_code_status status;
};

constexpr std::uint16_t to_int(reply_code c) noexcept { return static_cast<std::uint16_t>(c); }

constexpr bool is_valid(reply_code c) noexcept {
    const unsigned v = to_int(c);
    return v >= 200 && v <= 559 && v / 10 % 10 <= 5;
}

// 200..599: the first digit names a reply class, even where the other two
// break the grammar (571 "Delivery not authorized" is sent in the wild).
constexpr bool has_reply_class(reply_code c) noexcept { return to_int(c) >= 200 && to_int(c) <= 599; }

// Meaningful when has_reply_class().
constexpr reply_class class_of(reply_code c) noexcept { return static_cast<reply_class>(to_int(c) / 100); }
constexpr reply_category category_of(reply_code c) noexcept {
    return static_cast<reply_category>(to_int(c) / 10 % 10);
}

constexpr bool is_positive(reply_code c) noexcept { return has_reply_class(c) && to_int(c) < 400; }
constexpr bool is_negative(reply_code c) noexcept { return has_reply_class(c) && to_int(c) >= 400; }

constexpr std::string_view title(reply_class c) noexcept {
    switch (c) {
    case reply_class::positive_completion: return "Positive Completion";
    case reply_class::positive_intermediate: return "Positive Intermediate";
    case reply_class::transient_negative: return "Transient Negative Completion";
    case reply_class::permanent_negative: return "Permanent Negative Completion";
    }
    return {};
}

constexpr std::string_view title(reply_category c) noexcept {
    switch (c) {
    case reply_category::syntax: return "Syntax";
    case reply_category::information: return "Information";
    case reply_category::connections: return "Connections";
    case reply_category::unspecified_3:
    case reply_category::unspecified_4: return "Unspecified";
    case reply_category::mail_system: return "Mail system";
    }
    return {};
}

namespace detail {

// ""sv literals: see registry.hpp (detail::registry_table).
using namespace std::string_view_literals;

inline constexpr reply_code_entry reply_code_table[] = {
    // 2yz positive completion
    {211, "System status or help reply"sv, "RFC5321"sv, reply_code_status::standard},
    {214, "Help text for a human reader"sv, "RFC5321"sv, reply_code_status::standard},
    {220, "Service ready (the greeting); after STARTTLS, ready to start TLS"sv, "RFC5321"sv,
     reply_code_status::standard},
    {221, "Service closing the connection"sv, "RFC5321"sv, reply_code_status::standard},
    {235, "Authentication succeeded"sv, "RFC4954"sv, reply_code_status::standard},
    {250, "Requested action done"sv, "RFC5321"sv, reply_code_status::standard},
    {251, "User not local; the server will forward the message"sv, "RFC5321"sv, reply_code_status::standard},
    {252, "Cannot verify the user, but the server will accept the message and try to deliver it"sv, "RFC5321"sv,
     reply_code_status::standard},
    {253, "ETRN: delivery of the pending messages for the node has started"sv, "RFC1985"sv,
     reply_code_status::standard},
    // 3yz positive intermediate
    {334, "AUTH challenge from the server (base64 text follows)"sv, "RFC4954"sv, reply_code_status::standard},
    {354, "Send the message data, ending with <CRLF>.<CRLF>"sv, "RFC5321"sv, reply_code_status::standard},
    {355, "Checkpoint/restart: resume sending from the given octet offset"sv, "RFC1845"sv,
     reply_code_status::experimental},
    // 4yz transient negative
    {421, "Service not available; the server is closing the connection"sv, "RFC5321"sv, reply_code_status::standard},
    {422, "No RFC defines it; the registry pairs it with X.7.12 (password transition needed)"sv, ""sv,
     reply_code_status::registry_only},
    {430, "No RFC defines it; the registry pairs it with X.5.1 (invalid command)"sv, ""sv,
     reply_code_status::registry_only},
    {432, "A password transition is needed"sv, "RFC4954"sv, reply_code_status::standard},
    {450, "Mailbox unavailable for now (busy, or temporarily blocked by policy); not done"sv, "RFC5321"sv,
     reply_code_status::standard},
    {451, "Action aborted: local error in processing"sv, "RFC5321"sv, reply_code_status::standard},
    {452, "Action not taken: insufficient system storage"sv, "RFC5321"sv, reply_code_status::standard},
    {453, "ATRN: no mail is waiting for the customer"sv, "RFC2645"sv, reply_code_status::standard},
    {454, "Temporary failure: TLS not available now (STARTTLS), or a temporary authentication failure (AUTH)"sv,
     "RFC3207"sv, reply_code_status::standard},
    {455, "The server cannot accommodate the parameters now"sv, "RFC5321"sv, reply_code_status::standard},
    {458, "ETRN: cannot queue messages for the node"sv, "RFC1985"sv, reply_code_status::standard},
    {459, "ETRN: the node is not allowed"sv, "RFC1985"sv, reply_code_status::standard},
    // 5yz permanent negative
    {500, "Syntax error: command not recognised (a line too long included)"sv, "RFC5321"sv,
     reply_code_status::standard},
    {501, "Syntax error in the parameters or arguments"sv, "RFC5321"sv, reply_code_status::standard},
    {502, "Command not implemented"sv, "RFC5321"sv, reply_code_status::standard},
    {503, "Bad sequence of commands"sv, "RFC5321"sv, reply_code_status::standard},
    {504, "Command parameter not implemented"sv, "RFC5321"sv, reply_code_status::standard},
    {521, "This host accepts no mail at all"sv, "RFC7504"sv, reply_code_status::standard},
    {523, "No RFC defines it; the registry pairs it with X.7.10 (encryption needed)"sv, ""sv,
     reply_code_status::registry_only},
    {524, "No RFC defines it; the registry pairs it with X.7.11 (encryption required for the mechanism)"sv, ""sv,
     reply_code_status::registry_only},
    {525, "No RFC defines it; the registry pairs it with X.7.13 (user account disabled)"sv, ""sv,
     reply_code_status::registry_only},
    {530, "Authentication required, or STARTTLS must come first"sv, "RFC4954"sv, reply_code_status::standard},
    {533, "No RFC defines it; the registry pairs it with X.7.1 (delivery not authorized)"sv, ""sv,
     reply_code_status::registry_only},
    {534, "Authentication mechanism too weak"sv, "RFC4954"sv, reply_code_status::standard},
    {535, "Authentication credentials invalid"sv, "RFC4954"sv, reply_code_status::standard},
    {538, "Encryption required for the requested authentication mechanism (retired)"sv, "RFC4954"sv,
     reply_code_status::deprecated},
    {550, "Mailbox unavailable (not found, no access, or refused by policy); not done"sv, "RFC5321"sv,
     reply_code_status::standard},
    {551, "User not local; try the given forward-path"sv, "RFC5321"sv, reply_code_status::standard},
    {552, "Action aborted: storage allocation exceeded"sv, "RFC5321"sv, reply_code_status::standard},
    {553, "Mailbox name not allowed (for example bad syntax); not done"sv, "RFC5321"sv, reply_code_status::standard},
    {554, "Transaction failed; as a greeting, no SMTP service here"sv, "RFC5321"sv, reply_code_status::standard},
    {555, "MAIL FROM or RCPT TO parameters not recognised or not implemented"sv, "RFC5321"sv,
     reply_code_status::standard},
    {556, "The recipient's domain does not accept mail (null MX); reported by the client"sv, "RFC7504"sv,
     reply_code_status::standard},
};

inline constexpr std::size_t reply_code_count = sizeof(reply_code_table) / sizeof(reply_code_table[0]);
inline constexpr std::uint16_t reply_index_base = 200, reply_index_end = 560;

// reply_code_index[code - 200] is the table position + 1, or 0.
constexpr std::array<std::uint8_t, reply_index_end - reply_index_base> build_reply_code_index() noexcept {
    std::array<std::uint8_t, reply_index_end - reply_index_base> index{};
    for (std::size_t i = 0; i < reply_code_count; ++i)
        index[reply_code_table[i].code - reply_index_base] = static_cast<std::uint8_t>(i + 1);
    return index;
}

inline constexpr auto reply_code_index = build_reply_code_index();

} // namespace detail

using reply_code_table = reply_code_entry[detail::reply_code_count];

// Every reply code an RFC (or the enhanced-status registry) names, in order.
constexpr const reply_code_table& reply_codes() noexcept { return detail::reply_code_table; }

namespace detail {
// The table position, or -1 (an index, not a pointer: see registry_position()).
constexpr int reply_code_position(reply_code c) noexcept {
    const std::uint16_t v = to_int(c);
    if (v < reply_index_base || v >= reply_index_end) return -1;
    return reply_code_index[v - reply_index_base] - 1;
}
} // namespace detail

// nullptr for a code no RFC names (such as 571, which some servers send).
constexpr const reply_code_entry* lookup(reply_code c) noexcept {
    const int i = detail::reply_code_position(c);
    return i < 0 ? nullptr : &detail::reply_code_table[i];
}

// The meaning of a known code, else the title of its class; empty when the
// first digit names no class.
constexpr std::string_view describe(reply_code c) noexcept {
    if (const int i = detail::reply_code_position(c); i >= 0) return detail::reply_code_table[i].meaning;
    if (!has_reply_class(c)) return {};
    return title(class_of(c));
}

// Exactly three characters forming a valid reply code.
constexpr std::optional<reply_code> parse_reply_code(std::string_view text) noexcept {
    if (text.size() != 3 || !detail::is_digit(text[0]) || !detail::is_digit(text[1]) || !detail::is_digit(text[2]))
        return std::nullopt;
    const auto c = static_cast<reply_code>((text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0'));
    if (!is_valid(c)) return std::nullopt;
    return c;
}

template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, reply_code c) {
    return os << static_cast<unsigned>(to_int(c));
}

ESC_END_NAMESPACE
