// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// mbox_reader and unquote_from() on arbitrary text. Properties: the messages
// and their separators lie inside the text, in order, without overlap, and
// with the separators they cover all of it from the first separator on; a
// message never holds a "From " line after a blank line (it would have been
// split there); unquoting removes exactly one '>' from each quoted line,
// never writes past its buffer, and fits in message.size() bytes.
#include <esc/mbox.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view text(copy.get(), size);

    esc::mbox_reader reader(text);
    std::string_view message, separator;
    std::size_t end = 0, count = 0;
    while (reader.next(message, separator)) {
        ++count;
        ESC_FUZZ_CHECK(esc_fuzz::inside(message, text) || (message.empty() && message.data() != nullptr));
        const std::size_t begin = static_cast<std::size_t>(message.data() - text.data());
        if (!separator.empty()) {
            ESC_FUZZ_CHECK(esc_fuzz::inside(separator, text));
            ESC_FUZZ_CHECK(separator.substr(0, 5) == "From ");
            ESC_FUZZ_CHECK(static_cast<std::size_t>(separator.data() - text.data()) == end);
        } else {
            ESC_FUZZ_CHECK(count == 1 && begin == 0 && !esc::is_mbox(text));
        }
        ESC_FUZZ_CHECK(begin >= end);
        end = begin + message.size();
        // No "From " line after a blank line inside a message.
        bool after_blank = false;
        for (std::size_t pos = 0; pos < message.size();) {
            const esc::detail::mail_line line = esc::detail::next_mail_line(message, pos);
            ESC_FUZZ_CHECK(!(after_blank && line.content.substr(0, 5) == "From "));
            after_blank = line.content.empty();
            pos = line.next;
        }
        // Unquoting: into a buffer of exactly the message's size, then one too small.
        const std::unique_ptr<char[]> out(new char[message.size() + 1]);
        const esc::unquoted u = esc::unquote_from(message, out.get(), out.get() + message.size());
        ESC_FUZZ_CHECK(u.complete && u.text.size() <= message.size());
        std::size_t quoted = 0;
        for (std::size_t pos = 0; pos < message.size();) {
            std::size_t i = pos;
            while (i < message.size() && message[i] == '>') ++i;
            if (i > pos && message.substr(i, 5) == "From ") ++quoted;
            pos = esc::detail::next_mail_line(message, pos).next;
        }
        ESC_FUZZ_CHECK(u.text.size() + quoted == message.size());
        if (quoted > 0 && !u.text.empty()) {
            const esc::unquoted cut = esc::unquote_from(message, out.get(), out.get() + u.text.size() - 1);
            ESC_FUZZ_CHECK(!cut.complete && cut.text.size() == u.text.size() - 1);
        }
    }
    ESC_FUZZ_CHECK(count == reader.count());
    ESC_FUZZ_CHECK(end == text.size() || text.empty());
    return 0;
}
