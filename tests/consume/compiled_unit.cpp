// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// A second unit of a compiled-mode program: it calls the compiled functions
// too, so the program links only if they are defined exactly once.
#include <esc/classify.hpp>
#include <esc/reply.hpp>

#if ESC_HEADER_ONLY
#error "this unit is built with ESC_SEPARATE_COMPILATION"
#endif

bool second_unit_agrees() {
    const esc::parsed_reply p = esc::parse_reply("452 4.2.2 Mailbox full\r\n");
    return p && esc::classify(p.reply).reason == esc::reason::mailbox_full;
}
