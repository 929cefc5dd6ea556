// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Tests of many bytes at once, for the scans over text: eight bytes held in
// one 64-bit number (anywhere, and in constant expressions), and sixteen in
// one SSE2 register at run time on x86-64, where SSE2 is the baseline.
// Compiler vector types rather than <emmintrin.h>, which would cost every
// unit that includes esc. The scans that use these keep a byte-by-byte loop
// for their tail and for constant expressions.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.hpp"

// 1 where byte_block and its functions below exist: g++ or clang on a target
// with SSE2. Code that uses them also tests !__builtin_is_constant_evaluated().
#if (defined(__GNUC__) || defined(__clang__)) && defined(__SSE2__)
#define ESC_DETAIL_SSE2_BLOCKS 1
#else
#define ESC_DETAIL_SSE2_BLOCKS 0
#endif

ESC_BEGIN_NAMESPACE
namespace detail {

// Eight bytes of t from i (i + 8 <= t.size()) as one number, byte k in bits
// 8k..8k+7. At run time on a little-endian machine that is one load; in a
// constant expression (and elsewhere) the bytes are put together one by
// one, to the same value.
constexpr std::uint64_t load_bytes_le(std::string_view t, std::size_t i) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (!__builtin_is_constant_evaluated()) {
        std::uint64_t x = 0;
        __builtin_memcpy(&x, t.data() + i, sizeof x);
        return x;
    }
#endif
    std::uint64_t x = 0;
    for (std::size_t k = 0; k < 8; ++k) x |= std::uint64_t{static_cast<unsigned char>(t[i + k])} << (8 * k);
    return x;
}

// The high bit of every byte of x that is zero, and possibly of bytes above
// such a byte (a borrow): exact for the lowest one (Bit Twiddling Hacks).
constexpr std::uint64_t zero_byte_marks(std::uint64_t x) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = ones * 128;
    return (x - ones) & ~x & highs;
}

// The same for the bytes of x equal to c.
constexpr std::uint64_t byte_marks(std::uint64_t x, char c) noexcept {
    return zero_byte_marks(x ^ (0x0101010101010101u * static_cast<unsigned char>(c)));
}

// The index of the lowest byte of m with its high bit set (m != 0, only
// high bits set).
constexpr std::size_t lowest_marked_byte(std::uint64_t m) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    return static_cast<std::size_t>(__builtin_ctzll(m)) / 8;
#else
    std::size_t k = 0;
    for (; (m & 0x80u) == 0; m >>= 8) ++k;
    return k;
#endif
}

#if ESC_DETAIL_SSE2_BLOCKS
// Sixteen bytes. Signed, so that a test such as (x > '1') & (x < '6') never
// counts a byte >= 0x80 (negative here). A comparison gives a block of 0 or
// -1 bytes, which block_marks() turns into sixteen bits.
using byte_block = signed char __attribute__((vector_size(16)));

// Sixteen copies of c, for a comparison with a byte that is not a literal
// (a plain char may be unsigned: clang will not narrow it silently).
inline byte_block splat(char c) noexcept { return byte_block{} + static_cast<signed char>(c); }

// The sixteen bytes at p, which may be unaligned.
inline byte_block load_block(const char* p) noexcept {
    byte_block x = {};
    __builtin_memcpy(&x, p, sizeof x);
    return x;
}

// Bit k set where byte k of the comparison result m is set (pmovmskb, which
// takes plain char vectors).
inline unsigned block_marks(byte_block m) noexcept {
    using chars16 = char __attribute__((vector_size(16)));
    chars16 marks = {};
    __builtin_memcpy(&marks, &m, sizeof marks);
    return static_cast<unsigned>(__builtin_ia32_pmovmskb128(marks));
}

// The lowest bit set in bits (bits != 0), as an offset into the block.
inline std::size_t lowest_mark(unsigned bits) noexcept { return static_cast<std::size_t>(__builtin_ctz(bits)); }
#endif

} // namespace detail
ESC_END_NAMESPACE
