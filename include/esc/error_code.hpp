// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// std::error_code integration: an enhanced status code travels as an
// error_code of esc::status_category(), so code that reports failures with
// std::error_code can carry 5.1.1 unchanged and print describe()'s text.
//
//     std::error_code ec = esc::make_error_code("5.1.1"_esc);
//     ec.message();                  // "Bad destination mailbox address" (describe())
//     esc::to_status_code(ec);       // 5.1.1
//
// The value is the code as a number (5.1.1 -> 5001001), so it round-trips.
//
// A success is no error: std::error_code's convention is that the value 0
// means success and tests false (`if (ec)` means "it failed"). So every
// 2.X.X status becomes the zero error of status_category(), falsy, whose
// message() is "success", and to_status_code() gives 2.0.0 back for it: the
// detail of a success (2.1.5, 2.6.0) does not survive the trip. Keep the
// status_code itself where that detail matters. 4.X.X and 5.X.X round-trip
// exactly and are truthy.

#include <optional>
#include <string>
#include <system_error>

#include "detail/config.hpp"
#include "registry.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

namespace detail {

class status_category_impl final : public std::error_category {
public:
    const char* name() const noexcept override { return "esc.status"; }

    ESC_INLINE std::string message(int value) const override;
};

} // namespace detail

ESC_INLINE const std::error_category& status_category() noexcept;

// 2.X.X: the zero error (falsy); otherwise the code, truthy. See above.
ESC_INLINE std::error_code make_error_code(status_code c) noexcept;

// The status code an error_code carries, if it is of status_category():
// 2.0.0 for its zero error (a success, whatever its detail was).
ESC_INLINE std::optional<status_code> to_status_code(const std::error_code& ec) noexcept;

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/error_code.ipp"
#endif
