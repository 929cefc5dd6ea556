// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The README's example: what did the server say, and what should we do?
#include <esc/esc.hpp>

#include <cstdio>

int main() {
    const auto parsed = esc::parse_reply("550-5.1.1 The email account that you tried to reach does not exist.\r\n"
                                         "550 5.1.1 Please try double-checking the recipient's email address.\r\n");
    const esc::classification c = esc::classify(parsed.reply, esc::command::rcpt);
    std::printf("%s: %s (%s, %s) -> %s\n", esc::to_string(c.status).c_str(), esc::describe(c.status).data(),
                esc::to_string(c.outcome).data(), esc::to_string(c.reason).data(),
                esc::advice(c.outcome, c.reason).data());
}
