// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// {fmt} formatters (fmt 9 or later). Optional: include it only where fmt is
// available; nothing else in esc needs fmt.
//
//   fmt::format("{}", "5.1.1"_esc)          "5.1.1"
//   fmt::format("{:l}", "5.1.1"_esc)        "5.1.1 Bad destination mailbox address"
//   fmt::format("{}", esc::reply_code{550}) "550"
//   fmt::format("{:l}", esc::reply_code{550})
//       "550 Mailbox unavailable (not found, no access, or refused by policy); not done"
//   fmt::format("{:<16}", esc::reason::spam) "spam            "
//   fmt::format("{}", classification)       "permanent mailbox_unknown 5.1.1" ("... 5.0.0 (inferred)")
// After the optional 'l', the usual string spec applies: "{:l>40}".

#include <fmt/format.h>

#include <string_view>

#include "detail/config.hpp"
#include "classify.hpp"
#include "reason.hpp"
#include "registry.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

// A string_view formatter that first reads an optional 'l' (long form).
struct long_form_formatter : fmt::formatter<std::string_view> {
    bool long_form = false;

    template <class ParseContext>
    constexpr auto parse(ParseContext& ctx) -> decltype(ctx.begin()) {
        auto it = ctx.begin();
        if (it != ctx.end() && *it == 'l') {
            long_form = true;
            ctx.advance_to(++it);
        }
        return fmt::formatter<std::string_view>::parse(ctx);
    }
};

} // namespace detail
ESC_END_NAMESPACE

template <>
struct fmt::formatter<esc::status_code> : esc::detail::long_form_formatter {
    template <class FormatContext>
    auto format(esc::status_code c, FormatContext& ctx) const -> decltype(ctx.out()) {
        const esc::status_string s = esc::to_string(c);
        if (!long_form) return fmt::formatter<std::string_view>::format(s.view(), ctx);
        char buf[esc::status_string::capacity + 1 + 160];
        const std::string_view title = esc::describe(c);
        auto r = fmt::format_to_n(buf, sizeof buf, "{} {}", s.view(), title);
        return fmt::formatter<std::string_view>::format(std::string_view(buf, r.size < sizeof buf ? r.size : sizeof buf), ctx);
    }
};

template <>
struct fmt::formatter<esc::reply_code> : esc::detail::long_form_formatter {
    template <class FormatContext>
    auto format(esc::reply_code c, FormatContext& ctx) const -> decltype(ctx.out()) {
        char buf[8 + 160];
        auto r = long_form ? fmt::format_to_n(buf, sizeof buf, "{} {}", esc::to_int(c), esc::describe(c))
                           : fmt::format_to_n(buf, sizeof buf, "{}", esc::to_int(c));
        return fmt::formatter<std::string_view>::format(std::string_view(buf, r.size < sizeof buf ? r.size : sizeof buf), ctx);
    }
};

template <>
struct fmt::formatter<esc::reason> : fmt::formatter<std::string_view> {
    template <class FormatContext>
    auto format(esc::reason r, FormatContext& ctx) const -> decltype(ctx.out()) {
        return fmt::formatter<std::string_view>::format(esc::to_string(r), ctx);
    }
};

template <>
struct fmt::formatter<esc::outcome> : fmt::formatter<std::string_view> {
    template <class FormatContext>
    auto format(esc::outcome o, FormatContext& ctx) const -> decltype(ctx.out()) {
        return fmt::formatter<std::string_view>::format(esc::to_string(o), ctx);
    }
};

template <>
struct fmt::formatter<esc::classification> : fmt::formatter<std::string_view> {
    template <class FormatContext>
    auto format(const esc::classification& c, FormatContext& ctx) const -> decltype(ctx.out()) {
        char buf[96];
        const esc::status_string s = esc::to_string(c.status);
        auto r = fmt::format_to_n(buf, sizeof buf, "{} {}{}{}{}", esc::to_string(c.outcome), esc::to_string(c.reason),
                                  s.empty() ? "" : " ", s.view(), c.inferred && !s.empty() ? " (inferred)" : "");
        return fmt::formatter<std::string_view>::format(std::string_view(buf, r.size < sizeof buf ? r.size : sizeof buf), ctx);
    }
};
