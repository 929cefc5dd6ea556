// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// A user's program: each way of consuming esc builds and runs this.
#include <esc/esc.hpp>

#include <cstdio>

int main() {
    using namespace esc::literals;
    const esc::classification c = esc::classify("smtp; 550 5.1.1 <bob@example.com>... User unknown");
    const bool ok = c.outcome == esc::outcome::permanent && c.reason == esc::reason::mailbox_unknown &&
                    c.status == "5.1.1"_esc && esc::describe(c.status) == "Bad destination mailbox address";
    std::printf("%s %s %s\n", esc::to_string(c.outcome).data(), esc::to_string(c.reason).data(),
                esc::to_string(c.status).c_str());
    return ok ? 0 : 1;
}
