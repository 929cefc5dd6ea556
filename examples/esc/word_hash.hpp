// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The scan's hashes of short byte strings (queue IDs, recipients, failure
// texts, host names): eight bytes at a time, each chunk multiplied in. A
// byte-at-a-time hash (FNV-1a) costs two instructions a byte, which on a log
// of failures was some 6 % of all the scan did. Deterministic, with no seed
// from the system, as std::hash is in libstdc++: keys a client chooses (its
// host name) can be made to collide, and what bounds the cost then is each
// table's limit on its entries.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace esc_cli {
namespace word_hash {

// n <= 8 bytes at p as a number, the rest zero.
inline std::uint64_t load(const char* p, std::size_t n) noexcept {
    std::uint64_t x = 0;
    if (n != 0) std::memcpy(&x, p, n); // an empty view's data() may be null
    return x;
}

inline std::uint64_t mix(std::uint64_t h, std::uint64_t x) noexcept {
    h = (h ^ x) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

// ASCII capitals of the eight bytes in x made small (bytes >= 0x80 kept).
inline std::uint64_t fold_case(std::uint64_t x) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u, low7 = ones * 127, highs = ones * 128;
    const std::uint64_t x7 = x & low7;
    const std::uint64_t upper = (ones * (127 + '[') - x7) & ~x & (x7 + ones * (127 - '@')) & highs; // '@' < c < '['
    return x | (upper >> 2); // 0x80 >> 2 is 0x20, the case bit
}

// The bytes of s, from `seed`; with Fold, ASCII case does not count. Two
// chains, the even and the odd chunks, which the processor multiplies side
// by side (each multiplication waits for the one before in its chain).
template <bool Fold = false>
inline std::uint64_t bytes(std::string_view s, std::uint64_t seed) noexcept {
    const auto word = [](std::uint64_t x) { return Fold ? fold_case(x) : x; };
    std::uint64_t even = mix(seed, s.size()), odd = seed ^ 0x85EBCA77C2B2AE63ull;
    std::size_t i = 0;
    for (; i + 16 <= s.size(); i += 16) {
        even = mix(even, word(load(s.data() + i, 8)));
        odd = mix(odd, word(load(s.data() + i + 8, 8)));
    }
    if (i + 8 <= s.size()) {
        even = mix(even, word(load(s.data() + i, 8)));
        i += 8;
    }
    if (i < s.size()) odd = mix(odd, word(load(s.data() + i, s.size() - i)));
    return mix(even, odd);
}

} // namespace word_hash
} // namespace esc_cli
