// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What was made of a text lately, kept so that the same text is not worked out
// again: a small direct-mapped table keyed by the text's bytes, a one-byte tag
// (what kind of text it is) and a short second key (a DSN, say).
//
// Why: a mail log says the same thing many times. Every message to a domain
// whose server is down gets "connect to mx.example.com[192.0.2.1]:25:
// Connection timed out"; a rate limit or a greylisting server answers each
// message in the same words. esc scan classifies each failure line, and most
// of a failure-heavy log's time is in classify(); with this table a text seen
// in the last few hundred failures is looked up instead. (esc scan keys a
// text with its plain addresses masked, address_mask.hpp: most name the
// recipient, and would otherwise all differ.)
//
// A hit is exact: the stored bytes are compared, not only the hash, so the
// value is what the same inputs gave before. Texts longer than a slot holds
// are not kept (lookup() misses, remember() does nothing). The table is fixed
// in size and allocated once; nothing is allocated per call.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "word_hash.hpp"

namespace esc_cli {

template <typename Value, std::size_t Slots = 512>
class text_memo {
    static_assert((Slots & (Slots - 1)) == 0, "a power of two: the slot is the hash's low bits");

public:
    // The longest text and second key kept: Postfix's failure texts are
    // mostly 60 to 200 bytes, DSNs at most 11 ("5.7.999" and a little room).
    static constexpr std::size_t max_text = 224;
    static constexpr std::size_t max_key = 15;

    text_memo() : slots_(std::make_unique<slot[]>(Slots)) {}

    // The inputs of a lookup and their hash, made once for the lookup and
    // the remember() after a miss (a text is read once to hash it).
    struct inputs {
        std::uint8_t tag;
        std::string_view key, text;
        std::uint64_t hash;
    };
    static inputs inputs_of(std::uint8_t tag, std::string_view key, std::string_view text) noexcept {
        return {tag, key, text, fits(key, text) ? hash(tag, key, text) : 0};
    }

    // The value remembered for exactly these inputs, or nullptr.
    const Value* lookup(const inputs& in) const noexcept {
        if (!fits(in.key, in.text)) return nullptr;
        const slot& s = slots_[in.hash & (Slots - 1)];
        if (!s.used || s.hash != in.hash || s.tag != in.tag || s.key_size != in.key.size() ||
            s.text_size != in.text.size())
            return nullptr;
        // (An empty view's data() may be null, which memcmp() must not be given.)
        if ((!in.key.empty() && std::memcmp(s.key, in.key.data(), in.key.size()) != 0) ||
            (!in.text.empty() && std::memcmp(s.text, in.text.data(), in.text.size()) != 0))
            return nullptr;
        return &s.value;
    }
    const Value* lookup(std::uint8_t tag, std::string_view key, std::string_view text) const noexcept {
        return lookup(inputs_of(tag, key, text));
    }

    // Keeps `value` for these inputs, in place of what shared their slot.
    void remember(const inputs& in, const Value& value) noexcept {
        if (!fits(in.key, in.text)) return;
        slot& s = slots_[in.hash & (Slots - 1)];
        s.used = true;
        s.hash = in.hash;
        s.tag = in.tag;
        s.key_size = static_cast<std::uint8_t>(in.key.size());
        s.text_size = static_cast<std::uint8_t>(in.text.size());
        if (!in.key.empty()) std::memcpy(s.key, in.key.data(), in.key.size());
        if (!in.text.empty()) std::memcpy(s.text, in.text.data(), in.text.size());
        s.value = value;
    }
    void remember(std::uint8_t tag, std::string_view key, std::string_view text, const Value& value) noexcept {
        remember(inputs_of(tag, key, text), value);
    }

    static constexpr bool fits(std::string_view key, std::string_view text) noexcept {
        return key.size() <= max_key && text.size() <= max_text;
    }

private:
    struct slot {
        std::uint64_t hash = 0;
        bool used = false;
        std::uint8_t tag = 0, key_size = 0, text_size = 0;
        char key[max_key];
        char text[max_text];
        Value value{};
    };

    // A text is read once to hash it (word_hash.hpp: a byte-at-a-time hash
    // would cost a tenth of what a hit saves).
    static std::uint64_t hash(std::uint8_t tag, std::string_view key, std::string_view text) noexcept {
        return word_hash::bytes(text, word_hash::bytes(key, 0x243F6A8885A308D3ull ^ tag));
    }

    std::unique_ptr<slot[]> slots_;
};

} // namespace esc_cli
