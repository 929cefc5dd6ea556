// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// esc's version, semantic versioning (https://semver.org): MAJOR changes when
// the API or the behaviour a user relies on breaks, MINOR adds without
// breaking, PATCH fixes. While MAJOR is 0, a MINOR release may break (see
// CHANGELOG.md). This header is the one source of truth: CMakeLists.txt reads
// the three numbers below for project(VERSION), the package version and esc.pc.

#define ESC_VERSION_MAJOR 0
#define ESC_VERSION_MINOR 1
#define ESC_VERSION_PATCH 0

// One number to compare in #if: 10000 * MAJOR + 100 * MINOR + PATCH (0.1.0 is 100).
#define ESC_VERSION (ESC_VERSION_MAJOR * 10000 + ESC_VERSION_MINOR * 100 + ESC_VERSION_PATCH)

#define ESC_DETAIL_STRINGIFY_(x) #x
#define ESC_DETAIL_STRINGIFY(x) ESC_DETAIL_STRINGIFY_(x)
// "0.1.0"
#define ESC_VERSION_STRING                                                                                     \
    ESC_DETAIL_STRINGIFY(ESC_VERSION_MAJOR)                                                                    \
    "." ESC_DETAIL_STRINGIFY(ESC_VERSION_MINOR) "." ESC_DETAIL_STRINGIFY(ESC_VERSION_PATCH)
