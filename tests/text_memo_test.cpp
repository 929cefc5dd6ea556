// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// examples/esc/text_memo.hpp: the esc tool's memo of what was made of a text
// lately (esc scan's classifications of repeated failure texts). A hit must be
// exact: same tag, same second key, same bytes.
#include "../examples/esc/text_memo.hpp"
#include "../examples/esc/word_hash.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

using esc_cli::text_memo;

TEST_CASE("text_memo: a value comes back only for exactly the inputs it was kept for") {
    text_memo<int> memo;
    const std::string_view text = "connect to mx.example.com[192.0.2.1]:25: Connection timed out";
    CHECK(memo.lookup(1, "4.4.1", text) == nullptr);
    memo.remember(1, "4.4.1", text, 42);
    const int* hit = memo.lookup(1, "4.4.1", text);
    REQUIRE(hit != nullptr);
    CHECK(*hit == 42);
    // The same bytes from another buffer: compared by content, not by address.
    const std::string copy(text);
    REQUIRE(memo.lookup(1, "4.4.1", copy) != nullptr);
    CHECK(*memo.lookup(1, "4.4.1", copy) == 42);
    // Another tag, another key, one byte more, less or different: no hit.
    CHECK(memo.lookup(2, "4.4.1", text) == nullptr);
    CHECK(memo.lookup(1, "4.4.2", text) == nullptr);
    CHECK(memo.lookup(1, "", text) == nullptr);
    CHECK(memo.lookup(1, "4.4.1", copy + ".") == nullptr);
    CHECK(memo.lookup(1, "4.4.1", text.substr(0, text.size() - 1)) == nullptr);
    std::string changed = copy;
    changed[20] = 'X';
    CHECK(memo.lookup(1, "4.4.1", changed) == nullptr);
}

TEST_CASE("text_memo: the key and the text are not run together") {
    // "4.4" + ".1 x" and "4.4." + "1 x" are different inputs with the same bytes in a row.
    text_memo<int> memo;
    memo.remember(0, "4.4", ".1 x", 1);
    CHECK(memo.lookup(0, "4.4.", "1 x") == nullptr);
    CHECK(memo.lookup(0, "4.4", ".1 x") != nullptr);
}

TEST_CASE("text_memo: empty inputs, and texts too long to keep") {
    text_memo<int> memo;
    memo.remember(0, {}, {}, 7);
    REQUIRE(memo.lookup(0, {}, {}) != nullptr);
    CHECK(*memo.lookup(0, {}, {}) == 7);

    const std::string longest(text_memo<int>::max_text, 'a');
    memo.remember(3, "5.1.1", longest, 8);
    REQUIRE(memo.lookup(3, "5.1.1", longest) != nullptr);
    CHECK(*memo.lookup(3, "5.1.1", longest) == 8);

    const std::string too_long(text_memo<int>::max_text + 1, 'a');
    memo.remember(3, "5.1.1", too_long, 9);
    CHECK(memo.lookup(3, "5.1.1", too_long) == nullptr);
    const std::string long_key(text_memo<int>::max_key + 1, '5');
    memo.remember(3, long_key, "x", 9);
    CHECK(memo.lookup(3, long_key, "x") == nullptr);
}

TEST_CASE("text_memo: a slot holds the last text kept in it, and many texts keep what is right for each") {
    // More texts than slots: some evict others. Whatever is found is the value of that very text.
    text_memo<int, 16> memo;
    for (int i = 0; i < 1000; ++i) memo.remember(0, "5.0.0", "text " + std::to_string(i), i);
    int found = 0;
    for (int i = 0; i < 1000; ++i) {
        const int* v = memo.lookup(0, "5.0.0", "text " + std::to_string(i));
        if (v == nullptr) continue;
        ++found;
        CHECK(*v == i);
    }
    CHECK(found >= 1);
    CHECK(found <= 16);
    // The last one kept is always there.
    REQUIRE(memo.lookup(0, "5.0.0", "text 999") != nullptr);
    CHECK(*memo.lookup(0, "5.0.0", "text 999") == 999);
    // Kept again with another value: the new value.
    memo.remember(0, "5.0.0", "text 999", -1);
    CHECK(*memo.lookup(0, "5.0.0", "text 999") == -1);
}

// word_hash.hpp, the hash under the memo and the scan's table of messages.
TEST_CASE("word_hash: case folding is ASCII's, byte by byte, at every position of a word") {
    for (unsigned c = 0; c < 256; ++c)
        for (unsigned at = 0; at < 8; ++at) {
            const std::uint64_t word = 0x4141414141414141ull ^ (std::uint64_t{0x41 ^ c} << (8 * at)); // "AAAA..." with c at `at`
            std::uint64_t want = 0;
            for (unsigned k = 0; k < 8; ++k) {
                const unsigned b = static_cast<unsigned>(word >> (8 * k)) & 0xFFu;
                want |= std::uint64_t{b >= 'A' && b <= 'Z' ? b + 32 : b} << (8 * k);
            }
            if (esc_cli::word_hash::fold_case(word) != want) {
                INFO("byte " << c << " at " << at);
                CHECK(esc_cli::word_hash::fold_case(word) == want);
            }
        }
}

TEST_CASE("word_hash: the bytes and their number count, and case only when asked") {
    using esc_cli::word_hash::bytes;
    CHECK(bytes("bob@Example.COM", 1) != bytes("bob@example.com", 1));
    CHECK(bytes<true>("bob@Example.COM", 1) == bytes<true>("bob@example.com", 1));
    CHECK(bytes<true>("Bob@example.com", 1) == bytes<true>("bob@EXAMPLE.com", 1));
    CHECK(bytes<true>("bob@example.com", 1) != bytes<true>("bob@example.con", 1));
    CHECK(bytes("abc", 1) != bytes(std::string_view("abc\0", 4), 1)); // the length is hashed: zero bytes count
    CHECK(bytes("", 1) != bytes("", 2));
    CHECK(bytes("", 1) != bytes(std::string_view("\0", 1), 1));
    CHECK(bytes("0123456789abcdef", 1) != bytes("0123456789abcdeg", 1)); // the last byte of a whole word
    CHECK(bytes("[@`{", 1) == bytes<true>("[@`{", 1)); // not letters: folding leaves them
}
