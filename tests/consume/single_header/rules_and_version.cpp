// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// What single_include/esc/esc.hpp holds beyond <esc/esc.hpp>: user rule sets
// (<esc/rules.hpp>) and the owning conveniences (<esc/dsn_string.hpp>); and
// the version macros.
#include <esc/esc.hpp>

#include <cstdio>

int main() {
    auto [rules, errors] = esc::rule_set::parse("phrase mailbox_full: storage is exhausted\n", "mine.rules");
    const esc::classification c = esc::classify("550 storage-is  exhausted", rules);
    const std::string folded = esc::unfold("smtp; 550 5.1.1\r\n  user unknown");
    std::printf("esc %s (%d): %s\n", ESC_VERSION_STRING, ESC_VERSION, esc::to_string(c.reason).data());
    return errors.empty() && c.reason == esc::reason::mailbox_full && !folded.empty() ? 0 : 1;
}
