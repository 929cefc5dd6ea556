// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What a server's EHLO reply offers (RFC 5321 section 4.1.1.1): the first
// line is the server's domain and a greeting, every later line one service
// extension, a keyword and its parameters:
//
//     const esc::ehlo_info ehlo = esc::parse_ehlo(reply);
//     if (ehlo.has(esc::ehlo_keyword::pipelining)) ...   // RFC 2920
//     if (ehlo.has(esc::ehlo_keyword::size) && ehlo.max_size != 0 && n > ehlo.max_size) ...
//     for (const esc::ehlo_capability& c : ehlo.capabilities()) ...  // every line, unknown ones too
//
// Keywords are matched case-insensitively (RFC 5321 section 2.4). The old
// "AUTH=LOGIN PLAIN" form, which servers still send beside "AUTH" for clients
// from before RFC 2554, is read as AUTH. Nothing is allocated: every view
// points into the reply's text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"
#include "reply.hpp"

ESC_BEGIN_NAMESPACE

enum class ehlo_keyword : std::uint8_t {
    unknown,             // a keyword esc does not know: see ehlo_capability::keyword
    size,                // RFC 1870: the largest message, in octets (0 or none: no fixed limit)
    pipelining,          // RFC 2920
    eightbitmime,        // RFC 6152: 8BITMIME
    smtputf8,            // RFC 6531
    starttls,            // RFC 3207
    auth,                // RFC 4954: the SASL mechanisms
    enhancedstatuscodes, // RFC 2034
    chunking,            // RFC 3030: BDAT
    binarymime,          // RFC 3030
    dsn,                 // RFC 3461
    deliverby,           // RFC 2852: the shortest by-time, in seconds
    requiretls,          // RFC 8689
    mt_priority,         // RFC 6710: MT-PRIORITY and its policy name
    limits,              // RFC 9422: LIMITS RCPTMAX=... MAILMAX=... RCPTDOMAINMAX=...
    vrfy,                // RFC 5321
    etrn,                // RFC 1985
    help,                // RFC 5321
    expn,                // RFC 5321
};

constexpr std::string_view to_string(ehlo_keyword k) noexcept {
    switch (k) {
    case ehlo_keyword::unknown: return "unknown";
    case ehlo_keyword::size: return "SIZE";
    case ehlo_keyword::pipelining: return "PIPELINING";
    case ehlo_keyword::eightbitmime: return "8BITMIME";
    case ehlo_keyword::smtputf8: return "SMTPUTF8";
    case ehlo_keyword::starttls: return "STARTTLS";
    case ehlo_keyword::auth: return "AUTH";
    case ehlo_keyword::enhancedstatuscodes: return "ENHANCEDSTATUSCODES";
    case ehlo_keyword::chunking: return "CHUNKING";
    case ehlo_keyword::binarymime: return "BINARYMIME";
    case ehlo_keyword::dsn: return "DSN";
    case ehlo_keyword::deliverby: return "DELIVERBY";
    case ehlo_keyword::requiretls: return "REQUIRETLS";
    case ehlo_keyword::mt_priority: return "MT-PRIORITY";
    case ehlo_keyword::limits: return "LIMITS";
    case ehlo_keyword::vrfy: return "VRFY";
    case ehlo_keyword::etrn: return "ETRN";
    case ehlo_keyword::help: return "HELP";
    case ehlo_keyword::expn: return "EXPN";
    }
    return "unknown";
}

constexpr ehlo_keyword parse_ehlo_keyword(std::string_view word) noexcept {
    for (int k = 1; k <= static_cast<int>(ehlo_keyword::expn); ++k)
        if (detail::iequals(word, to_string(static_cast<ehlo_keyword>(k)))) return static_cast<ehlo_keyword>(k);
    return ehlo_keyword::unknown;
}

// One extension line.
struct ehlo_capability {
    std::string_view keyword; // as sent ("AUTH" also for "AUTH=LOGIN")
    std::string_view params;  // after the keyword and its blank (or its '='), blanks at the end cut
    ehlo_keyword known = ehlo_keyword::unknown;
    bool old_auth_form = false; // "AUTH=..." rather than "AUTH ..."
};

namespace detail {

constexpr bool is_keyword_char(char c) noexcept { return is_alnum(c) || c == '-'; }

constexpr ehlo_capability read_capability(std::string_view line) noexcept {
    line = trim_blanks(line);
    std::size_t end = 0;
    while (end < line.size() && is_keyword_char(line[end])) ++end;
    ehlo_capability c;
    c.keyword = line.substr(0, end);
    c.known = parse_ehlo_keyword(c.keyword);
    if (end < line.size() && line[end] == '=' && c.known == ehlo_keyword::auth) c.old_auth_form = true;
    // A keyword glued to something else ("SIZE:100") is not one esc knows.
    if (end < line.size() && !is_blank(line[end]) && !c.old_auth_form) c.known = ehlo_keyword::unknown;
    c.params = trim_blanks(line.substr(end < line.size() ? end + 1 : end));
    return c;
}


} // namespace detail

// Every extension line of an EHLO reply, in order; for range-for.
class ehlo_capabilities {
public:
    class iterator {
    public:
        using value_type = ehlo_capability;
        using difference_type = std::ptrdiff_t;
        constexpr iterator() noexcept = default;
        constexpr explicit iterator(reply_lines::iterator at) noexcept : at_(at) {}
        constexpr ehlo_capability operator*() const noexcept { return detail::read_capability(*at_); }
        ESC_CONSTEXPR iterator& operator++() noexcept {
            ++at_;
            return *this;
        }
        friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept { return a.at_ == b.at_; }
        friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept { return a.at_ != b.at_; }

    private:
        reply_lines::iterator at_;
    };

    constexpr explicit ehlo_capabilities(std::string_view raw) noexcept : raw_(raw) {}
    ESC_CONSTEXPR iterator begin() const noexcept {
        reply_lines::iterator it = reply_lines(raw_).begin();
        if (it != reply_lines(raw_).end()) ++it; // the first line is the greeting
        return iterator(it);
    }
    ESC_CONSTEXPR iterator end() const noexcept { return iterator(reply_lines(raw_).end()); }

private:
    std::string_view raw_;
};

struct ehlo_info {
    bool ok = false;           // a 250 reply: an EHLO the server accepted
    std::string_view domain;   // the first word of the first line: the server's name for itself
    std::string_view greeting; // the rest of the first line
    std::uint32_t offered = 0; // bit k: ehlo_keyword k was offered (see has())
    std::uint32_t unknown_count = 0;
    std::uint64_t max_size = 0;   // SIZE's number; 0 when it has none (no fixed limit) or is not offered
    std::string_view auth;        // the mechanisms of the first AUTH line ("PLAIN LOGIN"); see auth_offers()
    std::string_view deliverby;   // DELIVERBY's parameter (the minimum by-time), if any
    std::string_view mt_priority; // MT-PRIORITY's parameter (the priority policy), if any
    std::string_view limits;      // LIMITS's parameters ("RCPTMAX=100 MAILMAX=10"); see limit()
    std::string_view raw;         // the reply: capabilities() reads it again

    constexpr bool has(ehlo_keyword k) const noexcept {
        return k != ehlo_keyword::unknown && (offered >> static_cast<unsigned>(k) & 1u) != 0;
    }

    constexpr ehlo_capabilities capabilities() const noexcept { return ehlo_capabilities(raw); }

    // The first capability with this keyword (case-insensitive), unknown ones included.
    ESC_DECL std::optional<ehlo_capability> find(std::string_view keyword) const noexcept;

    // Whether any AUTH line (either form) lists the SASL mechanism.
    ESC_DECL bool auth_offers(std::string_view mechanism) const noexcept;

    // One LIMITS parameter (RFC 9422: RCPTMAX, MAILMAX, RCPTDOMAINMAX, or a
    // later one), when offered with a number.
    ESC_DECL std::optional<std::uint64_t> limit(std::string_view name) const noexcept;
};

// The capabilities of an EHLO reply. A reply other than 250 gives ok ==
// false and nothing offered; a one-line 250 (the answer to HELO, or an EHLO
// with no extensions) gives the domain only.
ESC_DECL ehlo_info parse_ehlo(const reply& r) noexcept;

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/ehlo.ipp"
#endif
