// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// A compiled-mode program (ESC_SEPARATE_COMPILATION): the quick start's
// classify(), and a second unit that calls the same functions.
#include <esc/esc.hpp>

#include <cstdio>

bool second_unit_agrees();

int main() {
    const esc::classification c = esc::classify("smtp; 550 5.1.1 <bob@example.com>... User unknown");
    const bool ok = c.reason == esc::reason::mailbox_unknown && second_unit_agrees();
    std::printf("compiled mode: %s\n", ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
