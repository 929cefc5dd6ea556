// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
