// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Finds the phrases of phrases.hpp in a text in one pass, ignoring case, with
// no allocation.
//
// A text is read as words: runs of letters, digits and bytes >= 0x80, with
// letters folded to lower case; any other ASCII run separates words. Each
// word is hashed while it is read (FNV-1a over its folded bytes), and looked
// up once, at its end, in a small open-addressing table of the words the
// phrases use; prefixes ("greylist*") are looked up at the lengths the table
// says some prefix word has. A hit is checked character by character, so a
// hash collision can never produce a match. Phrases are then matched as
// sequences of word tokens on a trie. Most words of a text are not phrase
// words, and cost only their hashing.
//
// The tables are built by phrase_tree_builder.hpp and stored, generated, in
// phrase_tree_data.hpp: building them in a constant expression would cost
// every including translation unit half a second of g++ time.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace esc::detail {

inline constexpr char canonical_separator = ' ';
inline constexpr std::size_t max_walkers = 8;     // a phrase has at most this many words
inline constexpr std::size_t max_prefix_hits = 4; // prefix words one text word may match
inline constexpr std::size_t max_prefix_length = 63;

constexpr char canonical_of(unsigned char c) noexcept {
    if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) return static_cast<char>(c);
    return canonical_separator;
}

constexpr std::array<char, 256> build_canonical_table() noexcept {
    std::array<char, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) t[c] = canonical_of(static_cast<unsigned char>(c));
    return t;
}

inline constexpr std::array<char, 256> canonical_table = build_canonical_table();

inline constexpr std::uint32_t word_hash_seed = 2166136261u;

constexpr std::uint32_t word_hash_step(std::uint32_t h, char canonical) noexcept {
    return (h ^ static_cast<unsigned char>(canonical)) * 16777619u;
}

inline constexpr std::uint16_t no_token = 0xFFFF;

// A bit per hash value (its high bits, not the ones that pick a slot), set
// for every phrase word: most words of a text miss it and are never looked up.
inline constexpr std::size_t screen_bits = 4096;

constexpr std::size_t screen_bit(std::uint32_t h) noexcept { return (h >> 16) & (screen_bits - 1); }

// Prefix words are looked up only in words whose first two characters start
// one of them: a bit per pair of characters (each folded to 0..63).
constexpr std::size_t pair_bit(char a, char b) noexcept {
    return (static_cast<unsigned char>(a) & 63u) * 64 + (static_cast<unsigned char>(b) & 63u);
}

// The generated tables. Tokens are phrase words: [0, exact_tokens) whole
// words, the rest prefixes (the '*' words). The trie's node 0 is the root;
// a node's edges are sorted by token.
template <std::size_t Tokens, std::size_t TokenChars, std::size_t Slots, std::size_t Nodes, std::size_t Edges>
struct phrase_tree {
    std::uint16_t exact_tokens = 0;
    std::uint64_t prefix_lengths = 0;           // bit L set: some prefix word is L characters long
    std::array<std::uint64_t, 64> prefix_starts{}; // pair_bit of the first two characters of prefix words
    std::array<std::uint64_t, screen_bits / 64> screen{};
    std::array<std::uint8_t, Slots> slot_hash{}; // the hash's top byte; Slots is a power of two
    std::array<std::uint16_t, Slots> slot_token{}; // token + 1; 0 = empty
    std::array<std::uint16_t, Tokens + 1> token_offset{};
    std::array<char, TokenChars> token_chars{};
    std::array<std::uint16_t, Tokens> root_child{}; // the root's edges, by token: node, or 0
    std::array<std::uint16_t, Nodes + 1> first_edge{};
    std::array<std::uint16_t, Edges> edge_token{};
    std::array<std::uint16_t, Edges> edge_target{};
    std::array<std::uint16_t, Nodes> match{}; // phrase id + 1; 0 = none

    constexpr std::string_view token_text(std::size_t t) const noexcept {
        return std::string_view(token_chars.data() + token_offset[t], token_offset[t + 1] - token_offset[t]);
    }
};

// Scans a text and reports each phrase found through `found(phrase_id)`
// (an id may be reported more than once).
template <class Tree>
class phrase_scanner {
public:
    constexpr explicit phrase_scanner(const Tree& tree) noexcept : tree_(tree) {}

    template <class Found>
    constexpr void scan(std::string_view text, Found&& found) const noexcept {
        std::uint16_t walkers[max_walkers]{};
        std::size_t n = 0;
        std::size_t i = 0;
        const std::size_t size = text.size();
        while (i < size) {
            // Skip separators; a word starts at i.
            while (i < size && canonical_table[static_cast<unsigned char>(text[i])] == canonical_separator) ++i;
            if (i == size) break;
            const std::size_t start = i;
            std::uint32_t h = word_hash_seed;
            std::uint16_t prefixes[max_prefix_hits]{};
            std::size_t prefix_count = 0;
            const char first = canonical_table[static_cast<unsigned char>(text[i])];
            const char second = i + 1 < size ? canonical_table[static_cast<unsigned char>(text[i + 1])] : canonical_separator;
            const std::size_t pair = pair_bit(first, second);
            if (((tree_.prefix_starts[pair / 64] >> (pair % 64)) & 1u) != 0) {
                std::uint64_t lengths = tree_.prefix_lengths >> 1; // bit 0: the length after this character
                for (; i < size; ++i) {
                    const char c = canonical_table[static_cast<unsigned char>(text[i])];
                    if (c == canonical_separator) break;
                    h = word_hash_step(h, c);
                    if ((lengths & 1u) != 0 && screened(h) && prefix_count < max_prefix_hits) {
                        const std::uint16_t t = find_token(h, text.data() + start, i + 1 - start, true);
                        if (t != no_token) prefixes[prefix_count++] = t;
                    }
                    lengths >>= 1;
                }
            } else {
                for (; i < size; ++i) {
                    const char c = canonical_table[static_cast<unsigned char>(text[i])];
                    if (c == canonical_separator) break;
                    h = word_hash_step(h, c);
                }
            }
            const std::uint16_t exact = screened(h) ? find_token(h, text.data() + start, i - start, false) : no_token;
            if (exact == no_token && prefix_count == 0) {
                n = 0; // not a phrase word: every phrase in progress ends here
                continue;
            }
            n = step(walkers, n, exact, prefixes, prefix_count, found);
        }
    }

private:
    constexpr bool screened(std::uint32_t h) const noexcept {
        const std::size_t b = screen_bit(h);
        return ((tree_.screen[b / 64] >> (b % 64)) & 1u) != 0;
    }

    // The token whose text equals the `length` bytes at `word` (folded), of
    // the kind asked for.
    constexpr std::uint16_t find_token(std::uint32_t h, const char* word, std::size_t length, bool prefix) const noexcept {
        const std::size_t mask = tree_.slot_hash.size() - 1;
        for (std::size_t s = h & mask;; s = (s + 1) & mask) {
            const std::uint16_t t1 = tree_.slot_token[s];
            if (t1 == 0) return no_token;
            if (tree_.slot_hash[s] != static_cast<std::uint8_t>(h >> 24)) continue;
            const std::uint16_t t = static_cast<std::uint16_t>(t1 - 1);
            if ((t >= tree_.exact_tokens) != prefix) continue;
            const std::string_view candidate = tree_.token_text(t);
            if (candidate.size() != length) continue;
            bool same = true;
            for (std::size_t k = 0; k < length && same; ++k)
                same = canonical_table[static_cast<unsigned char>(word[k])] == candidate[k];
            if (same) return t;
        }
    }

    // The node reached from `node` by `token`, or 0 (the root is never a target).
    constexpr std::uint16_t child(std::uint16_t node, std::uint16_t token) const noexcept {
        if (node == 0) return tree_.root_child[token];
        std::size_t lo = tree_.first_edge[node], hi = tree_.first_edge[node + 1];
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (tree_.edge_token[mid] < token)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < tree_.first_edge[node + 1] && tree_.edge_token[lo] == token ? tree_.edge_target[lo] : 0;
    }

    template <class Found>
    constexpr void report(std::uint16_t node, Found& found) const noexcept {
        if (tree_.match[node] != 0) found(static_cast<std::uint16_t>(tree_.match[node] - 1));
    }

    // Moves every phrase in progress, and one starting at this word, on by
    // the word's tokens.
    template <class Found>
    constexpr std::size_t step(std::uint16_t* walkers, std::size_t n, std::uint16_t exact, const std::uint16_t* prefixes,
                               std::size_t prefix_count, Found& found) const noexcept {
        // Walkers are replaced in place: walker w writes at most at position w.
        std::size_t kept = 0;
        for (std::size_t w = 0; w <= n; ++w) {
            const std::uint16_t at = w < n ? walkers[w] : 0; // the last round starts from the root
            for (std::size_t p = 0; p < prefix_count; ++p) // a prefix word always ends its phrase
                if (const std::uint16_t c = child(at, prefixes[p]); c != 0) report(c, found);
            if (exact == no_token) continue;
            const std::uint16_t c = child(at, exact);
            if (c == 0) continue;
            report(c, found);
            if (tree_.first_edge[c] != tree_.first_edge[c + 1] && kept < max_walkers) walkers[kept++] = c;
        }
        return kept;
    }

    const Tree& tree_;
};

} // namespace esc::detail
