// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Finds the phrases of phrases.hpp in a text in one pass, ignoring case, with
// no allocation.
//
// The phrases are compiled into a radix tree over canonical characters: 'a'-'z'
// (letters folded), '0'-'9', and ' ' standing for any run of other ASCII
// characters. Bytes >= 0x80 are word characters that no phrase contains, so
// "née" is one word and never matches "n".
//
// The tree is built by phrase_tree_builder.hpp and stored, generated, in
// phrase_tree_data.hpp: building it in a constant expression costs every
// including translation unit half a second of g++ time.
//
// Phrases start at word starts only, so at most one walker starts per word and
// a walker survives only while the text follows a phrase: with phrases of at
// most max_walkers words, that many walkers suffice and the scan is linear in
// the text whatever its content.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace esc::detail {

inline constexpr char canonical_separator = ' ';
inline constexpr char canonical_foreign = '\x7f'; // a non-ASCII byte: part of a word, in no phrase
inline constexpr std::size_t max_walkers = 8;

constexpr char canonical_of(unsigned char c) noexcept {
    if (c >= 'a' && c <= 'z') return static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    if (c >= '0' && c <= '9') return static_cast<char>(c);
    if (c >= 0x80) return canonical_foreign;
    return canonical_separator;
}

constexpr std::array<char, 256> build_canonical_table() noexcept {
    std::array<char, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) t[c] = canonical_of(static_cast<unsigned char>(c));
    return t;
}

inline constexpr std::array<char, 256> canonical_table = build_canonical_table();

// Match ids: the phrase's position + 1 (0 = none), and this bit when the
// phrase ends in '*' and so may end inside a word.
inline constexpr std::uint16_t prefix_match_bit = 0x8000;

// The compiled tree. Nodes are numbered breadth first, so the children of a
// node are consecutive; a node's label is the run of characters leading into
// it, stored in `labels`.
template <std::size_t Nodes, std::size_t Pool>
struct phrase_tree {
    std::array<std::uint16_t, 128> root_child{}; // by first character: node id + 1, 0 = none
    std::array<std::uint16_t, Nodes> label_offset{};
    std::array<std::uint8_t, Nodes> label_length{};
    std::array<std::uint16_t, Nodes> first_child{};
    std::array<std::uint8_t, Nodes> child_count{};
    std::array<std::uint16_t, Nodes> match{};
    std::array<char, Pool> labels{};
};

// Scans a text and reports each phrase found through `found(phrase_id)`
// (an id may be reported more than once).
template <class Tree>
class phrase_scanner {
public:
    constexpr explicit phrase_scanner(const Tree& tree) noexcept : tree_(tree) {}

    template <class Found>
    constexpr void scan(std::string_view text, Found&& found) const noexcept {
        walker walkers[max_walkers]{};
        std::size_t n = 0;
        bool in_word = false;
        for (const char ch : text) {
            const char c = canonical_table[static_cast<unsigned char>(ch)];
            if (c == canonical_separator) {
                if (!in_word) continue; // a run of separators is one character
                in_word = false;
                for (std::size_t i = 0; i < n; ++i) report_word_end(walkers[i], found);
                n = advance(walkers, n, c, found);
                continue;
            }
            n = advance(walkers, n, c, found);
            if (!in_word) {
                in_word = true;
                const std::uint16_t start = c == canonical_foreign ? 0 : tree_.root_child[static_cast<unsigned char>(c)];
                if (start != 0 && n < max_walkers) {
                    walkers[n] = walker{static_cast<std::uint16_t>(start - 1), 1};
                    report_prefix_match(walkers[n], found);
                    ++n;
                }
            }
        }
        if (in_word)
            for (std::size_t i = 0; i < n; ++i) report_word_end(walkers[i], found);
    }

private:
    struct walker {
        std::uint16_t node;
        std::uint8_t matched; // characters of the node's label consumed so far
    };

    constexpr bool at_node_end(const walker& w) const noexcept { return w.matched == tree_.label_length[w.node]; }

    template <class Found>
    constexpr void report_prefix_match(const walker& w, Found& found) const noexcept {
        const std::uint16_t m = tree_.match[w.node];
        if ((m & prefix_match_bit) != 0 && at_node_end(w)) found(static_cast<std::uint16_t>((m & ~prefix_match_bit) - 1));
    }

    template <class Found>
    constexpr void report_word_end(const walker& w, Found& found) const noexcept {
        const std::uint16_t m = tree_.match[w.node];
        if (m != 0 && (m & prefix_match_bit) == 0 && at_node_end(w)) found(static_cast<std::uint16_t>(m - 1));
    }

    // Moves every walker on by c, dropping those that cannot follow.
    template <class Found>
    constexpr std::size_t advance(walker* walkers, std::size_t n, char c, Found& found) const noexcept {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < n; ++i) {
            walker w = walkers[i];
            if (!at_node_end(w)) {
                if (tree_.labels[tree_.label_offset[w.node] + w.matched] != c) continue;
                ++w.matched;
            } else {
                const std::size_t first = tree_.first_child[w.node];
                const std::size_t last = first + tree_.child_count[w.node];
                std::size_t child = first;
                while (child < last && tree_.labels[tree_.label_offset[child]] != c) ++child;
                if (child == last) continue;
                w = walker{static_cast<std::uint16_t>(child), 1};
            }
            if (c != canonical_separator) report_prefix_match(w, found);
            walkers[kept++] = w;
        }
        return kept;
    }

    const Tree& tree_;
};

} // namespace esc::detail
