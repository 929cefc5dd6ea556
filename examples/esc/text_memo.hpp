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
// in the last few hundred failures is looked up instead.
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

    // The value remembered for exactly these inputs, or nullptr.
    const Value* lookup(std::uint8_t tag, std::string_view key, std::string_view text) const noexcept {
        if (!fits(key, text)) return nullptr;
        const std::uint64_t h = hash(tag, key, text);
        const slot& s = slots_[h & (Slots - 1)];
        if (!s.used || s.hash != h || s.tag != tag || s.key_size != key.size() || s.text_size != text.size())
            return nullptr;
        // (An empty view's data() may be null, which memcmp() must not be given.)
        if ((!key.empty() && std::memcmp(s.key, key.data(), key.size()) != 0) ||
            (!text.empty() && std::memcmp(s.text, text.data(), text.size()) != 0))
            return nullptr;
        return &s.value;
    }

    // Keeps `value` for these inputs, in place of what shared their slot.
    void remember(std::uint8_t tag, std::string_view key, std::string_view text, const Value& value) noexcept {
        if (!fits(key, text)) return;
        const std::uint64_t h = hash(tag, key, text);
        slot& s = slots_[h & (Slots - 1)];
        s.used = true;
        s.hash = h;
        s.tag = tag;
        s.key_size = static_cast<std::uint8_t>(key.size());
        s.text_size = static_cast<std::uint8_t>(text.size());
        if (!key.empty()) std::memcpy(s.key, key.data(), key.size());
        if (!text.empty()) std::memcpy(s.text, text.data(), text.size());
        s.value = value;
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

    static std::uint64_t load(const char* p, std::size_t n) noexcept {
        std::uint64_t x = 0;
        if (n != 0) std::memcpy(&x, p, n); // an empty view's data() may be null
        return x;
    }
    // Eight bytes at a time, each chunk multiplied in (a text is read once,
    // and a byte-at-a-time hash would cost a tenth of what a hit saves).
    static std::uint64_t mix(std::uint64_t h, std::uint64_t x) noexcept {
        h = (h ^ x) * 0x9E3779B97F4A7C15ull;
        return h ^ (h >> 29);
    }
    static std::uint64_t hash(std::uint8_t tag, std::string_view key, std::string_view text) noexcept {
        std::uint64_t h = mix(0x243F6A8885A308D3ull ^ tag, load(key.data(), key.size() < 8 ? key.size() : 8));
        if (key.size() > 8) h = mix(h, load(key.data() + 8, key.size() - 8));
        h = mix(h, (static_cast<std::uint64_t>(key.size()) << 32) | text.size());
        std::size_t i = 0;
        for (; i + 8 <= text.size(); i += 8) h = mix(h, load(text.data() + i, 8));
        if (i < text.size()) h = mix(h, load(text.data() + i, text.size() - i));
        return h;
    }

    std::unique_ptr<slot[]> slots_;
};

} // namespace esc_cli
