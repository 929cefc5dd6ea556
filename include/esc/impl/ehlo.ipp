// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of parse_ehlo() and ehlo_info's lookups (ehlo.hpp). Included by ehlo.hpp when esc is
// header-only, compiled once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../ehlo.hpp"

ESC_BEGIN_NAMESPACE

namespace detail {

// A decimal number of the whole view, saturating at the type's maximum
// (a SIZE of 10^30 is "very large", not an error or a wrap-around).
constexpr std::optional<std::uint64_t> read_decimal(std::string_view s) noexcept {
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        const auto d = static_cast<std::uint64_t>(c - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
    }
    return v;
}

} // namespace detail

ESC_DECL std::optional<ehlo_capability> ehlo_info::find(std::string_view keyword) const noexcept {
    for (const ehlo_capability c : capabilities())
        if (detail::iequals(c.keyword, keyword)) return c;
    return std::nullopt;
}

ESC_DECL bool ehlo_info::auth_offers(std::string_view mechanism) const noexcept {
    for (const ehlo_capability c : capabilities()) {
        if (c.known != ehlo_keyword::auth) continue;
        std::string_view rest = c.params;
        while (!rest.empty()) {
            std::size_t end = 0;
            while (end < rest.size() && !detail::is_blank(rest[end])) ++end;
            if (detail::iequals(rest.substr(0, end), mechanism)) return true;
            rest = detail::trim_blanks(rest.substr(end));
        }
    }
    return false;
}

ESC_DECL std::optional<std::uint64_t> ehlo_info::limit(std::string_view name) const noexcept {
    std::string_view rest = limits;
    while (!rest.empty()) {
        std::size_t end = 0;
        while (end < rest.size() && !detail::is_blank(rest[end])) ++end;
        const std::string_view item = rest.substr(0, end);
        const std::size_t eq = item.find('=');
        if (eq != std::string_view::npos && detail::iequals(item.substr(0, eq), name))
            return detail::read_decimal(item.substr(eq + 1));
        rest = detail::trim_blanks(rest.substr(end));
    }
    return std::nullopt;
}

ESC_DECL ehlo_info parse_ehlo(const reply& r) noexcept {
    ehlo_info info;
    if (to_int(r.code) != 250) return info;
    info.ok = true;
    info.raw = r.raw;
    bool first = true;
    for (std::string_view line : lines(r)) {
        if (first) {
            first = false;
            const std::string_view greeting = detail::trim_blanks(line);
            std::size_t end = 0;
            while (end < greeting.size() && !detail::is_blank(greeting[end])) ++end;
            info.domain = greeting.substr(0, end);
            info.greeting = detail::trim_blanks(greeting.substr(end));
            continue;
        }
        const ehlo_capability c = detail::read_capability(line);
        if (c.known == ehlo_keyword::unknown) {
            if (!c.keyword.empty()) ++info.unknown_count;
            continue;
        }
        const bool again = info.has(c.known);
        info.offered |= 1u << static_cast<unsigned>(c.known);
        if (again) continue; // the first line of a keyword counts, as for AUTH beside AUTH=
        switch (c.known) {
        case ehlo_keyword::size: {
            // "SIZE" alone or "SIZE 0": no fixed limit (RFC 1870 section 4).
            std::size_t end = 0;
            while (end < c.params.size() && !detail::is_blank(c.params[end])) ++end;
            info.max_size = detail::read_decimal(c.params.substr(0, end)).value_or(0);
            break;
        }
        case ehlo_keyword::auth: info.auth = c.params; break;
        case ehlo_keyword::deliverby: info.deliverby = c.params; break;
        case ehlo_keyword::mt_priority: info.mt_priority = c.params; break;
        case ehlo_keyword::limits: info.limits = c.params; break;
        default: break;
        }
    }
    return info;
}

ESC_END_NAMESPACE
