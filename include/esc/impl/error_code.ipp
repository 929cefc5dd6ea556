// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of error_code.hpp. Included by error_code.hpp when esc is
// header-only, compiled once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../error_code.hpp"

ESC_BEGIN_NAMESPACE

ESC_INLINE std::string detail::status_category_impl::message(int value) const {
    if (value == 0) return "success";
    const std::optional<status_code> c = value < 0 ? std::nullopt : unpack(static_cast<std::uint32_t>(value));
    if (!c) return "invalid enhanced status code";
    return std::string(describe(*c));
}

ESC_INLINE const std::error_category& status_category() noexcept {
    static const detail::status_category_impl category;
    return category;
}

ESC_INLINE std::error_code make_error_code(status_code c) noexcept {
    if (c.cls == status_class::success) return {0, status_category()};
    return {static_cast<int>(detail::pack(c)), status_category()};
}

ESC_INLINE std::optional<status_code> to_status_code(const std::error_code& ec) noexcept {
    if (ec.category() != status_category() || ec.value() < 0) return std::nullopt;
    if (ec.value() == 0) return status_code{status_class::success, 0, 0};
    const std::optional<status_code> c = detail::unpack(static_cast<std::uint32_t>(ec.value()));
    if (c && c->cls == status_class::success) return std::nullopt; // never made by make_error_code
    return c;
}

ESC_END_NAMESPACE
