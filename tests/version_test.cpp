// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The version macros: what the umbrella gives, and the same numbers CMake read
// from <esc/version.hpp> for project(VERSION) (ESC_PROJECT_VERSION).
#include <esc/esc.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>

static_assert(ESC_VERSION == ESC_VERSION_MAJOR * 10000 + ESC_VERSION_MINOR * 100 + ESC_VERSION_PATCH);
static_assert(ESC_VERSION_MINOR < 100 && ESC_VERSION_PATCH < 100, "ESC_VERSION's two digits per part overflow");
#if ESC_VERSION < 100
#error "ESC_VERSION is not usable in #if"
#endif

// Everything is declared in the inline namespace esc::v0 (detail/config.hpp):
// esc::status_code is esc::v0::status_code, and the v0 is in every symbol.
static_assert(std::is_same_v<esc::status_code, esc::v0::status_code>);
static_assert(std::is_same_v<esc::classification, esc::v0::classification>);
static_assert(std::is_same_v<esc::detail::line_view, esc::v0::detail::line_view>);

TEST_CASE("the ABI namespace is in the mangled names") {
    const std::string name = typeid(esc::status_code).name();
    CAPTURE(name);
    CHECK(name.find("2v0") != std::string::npos); // Itanium mangling: N3esc2v011status_codeE
}

TEST_CASE("the version string is the three numbers") {
    const std::string expected = std::to_string(ESC_VERSION_MAJOR) + "." + std::to_string(ESC_VERSION_MINOR) + "." +
                                 std::to_string(ESC_VERSION_PATCH);
    CHECK(std::string_view(ESC_VERSION_STRING) == expected);
}

TEST_CASE("the header and the CMake project agree") {
    CHECK(std::string_view(ESC_VERSION_STRING) == std::string_view(ESC_PROJECT_VERSION));
}
