// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Compiled by CTest with one ESC_LITERAL_CASE_* macro: the valid case must
// compile, each invalid one must not (a non-constexpr variable, so nothing
// but the literal itself can reject it).
#include <esc/status.hpp>

using namespace esc::literals;

int main() {
#if defined(ESC_LITERAL_CASE_valid)
    auto code = "5.7.606"_esc;
#elif defined(ESC_LITERAL_CASE_invalid_class)
    auto code = "6.1.1"_esc;
#elif defined(ESC_LITERAL_CASE_leading_zero)
    auto code = "5.01.1"_esc;
#elif defined(ESC_LITERAL_CASE_four_digits)
    auto code = "5.1.1000"_esc;
#endif
    return code.detail == 606 ? 0 : 1;
}
