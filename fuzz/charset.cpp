// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The charset decoders of mime.hpp on arbitrary octets, in every charset:
// to_utf8() never writes past its buffer, returns the text itself when it
// needs no change, and, for a single-byte charset, well-formed UTF-8 of
// exactly the length the octets call for (complete when the buffer holds
// it); decode_encoded_words() stays inside its buffer or the input. The CJK
// decoders of charset_cjk.hpp, in each charset: well-formed UTF-8 of at
// most 3 octets an input octet, complete in a buffer of that size; in a
// shorter one a prefix of that text, at a whole character, and said to be
// cut; encoded-words through esc::convert_cjk stay inside too.
#include <esc/charset_cjk.hpp>
#include <esc/dsn.hpp>
#include <esc/mime.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using esc::detail::charset;
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view text(copy.get(), size);
    const std::size_t room = 3 * size + 1;
    const std::unique_ptr<char[]> out(new char[room]);
    for (int i = 0; i <= static_cast<int>(charset::koi8r); ++i) {
        const auto cs = static_cast<charset>(i);
        std::size_t need = 0;
        for (char ch : text) {
            const std::uint32_t cp = esc::detail::single_byte_code_point(cs, static_cast<unsigned char>(ch));
            need += cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        }
        const esc::detail::converted c = esc::detail::to_utf8(cs, text, out.get(), out.get() + room);
        ESC_FUZZ_CHECK(c.complete);
        if (c.text.data() == text.data()) {
            ESC_FUZZ_CHECK(c.text.size() == text.size());
            continue;
        }
        ESC_FUZZ_CHECK(esc::detail::is_single_byte(cs));
        ESC_FUZZ_CHECK(c.text.data() == out.get() && c.text.size() == need);
        ESC_FUZZ_CHECK(esc::detail::is_well_formed_utf8(c.text));
        // A buffer one octet short: a prefix, marked incomplete, inside the buffer.
        if (need > 0) {
            const esc::detail::converted s = esc::detail::to_utf8(cs, text, out.get(), out.get() + need - 1);
            ESC_FUZZ_CHECK(!s.complete && s.text.size() <= need - 1);
        }
    }
    const std::string_view d = esc::detail::decode_encoded_words(text, out.get(), out.get() + room);
    ESC_FUZZ_CHECK(d.empty() || esc_fuzz::inside(d, text) ||
                   (d.data() >= out.get() && d.data() + d.size() <= out.get() + room));

    for (int i = 1; i <= static_cast<int>(esc::cjk_charset::gb18030); ++i) {
        const auto cs = static_cast<esc::cjk_charset>(i);
        const esc::cjk_decoded c = esc::decode_cjk(cs, text, out.get(), out.get() + room);
        ESC_FUZZ_CHECK(c.error == esc::cjk_error::none);
        ESC_FUZZ_CHECK(c.text.data() == out.get() && c.text.size() <= 3 * size);
        ESC_FUZZ_CHECK(esc::detail::is_well_formed_utf8(c.text));
        ESC_FUZZ_CHECK(c.replaced <= size);
        if (c.text.empty()) continue;
        // A buffer of half the text, allocated to its size: a prefix, cut at a character.
        const std::size_t half = c.text.size() / 2;
        const std::unique_ptr<char[]> small(new char[half == 0 ? 1 : half]);
        const esc::cjk_decoded s = esc::decode_cjk(cs, text, small.get(), small.get() + half);
        ESC_FUZZ_CHECK(s.error == esc::cjk_error::buffer_too_small);
        ESC_FUZZ_CHECK(s.text.size() <= half && c.text.substr(0, s.text.size()) == s.text);
        ESC_FUZZ_CHECK(esc::detail::is_well_formed_utf8(s.text));
    }
    const std::string_view w = esc::detail::decode_encoded_words(text, out.get(), out.get() + room, esc::convert_cjk);
    ESC_FUZZ_CHECK(w.empty() || esc_fuzz::inside(w, text) ||
                   (w.data() >= out.get() && w.data() + w.size() <= out.get() + room));
    return 0;
}
