// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The version macros: what the umbrella gives, and the same numbers CMake read
// from <esc/version.hpp> for project(VERSION) (ESC_PROJECT_VERSION).
#include <esc/esc.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

static_assert(ESC_VERSION == ESC_VERSION_MAJOR * 10000 + ESC_VERSION_MINOR * 100 + ESC_VERSION_PATCH);
static_assert(ESC_VERSION_MINOR < 100 && ESC_VERSION_PATCH < 100, "ESC_VERSION's two digits per part overflow");
#if ESC_VERSION < 100
#error "ESC_VERSION is not usable in #if"
#endif

TEST_CASE("the version string is the three numbers") {
    const std::string expected = std::to_string(ESC_VERSION_MAJOR) + "." + std::to_string(ESC_VERSION_MINOR) + "." +
                                 std::to_string(ESC_VERSION_PATCH);
    CHECK(std::string_view(ESC_VERSION_STRING) == expected);
}

TEST_CASE("the header and the CMake project agree") {
    CHECK(std::string_view(ESC_VERSION_STRING) == std::string_view(ESC_PROJECT_VERSION));
}
