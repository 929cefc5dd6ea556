// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Compiles the phrase tables of phrases.hpp into the radix tree that
// phrase_matcher.hpp walks. Used by tools/generate_phrase_tree.cpp (which
// writes phrase_tree_data.hpp) and by the test that checks that file is up to
// date; classify.hpp does not include it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "phrase_matcher.hpp"
#include "phrases.hpp"

namespace esc::detail {

// A phrase is well formed when it holds only [a-z0-9], single spaces between
// words, and at most a final '*'.
constexpr bool is_well_formed_phrase(std::string_view p) noexcept {
    if (!p.empty() && p.back() == '*') p.remove_suffix(1);
    if (p.empty() || p.front() == ' ' || p.back() == ' ') return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!word && !(c == ' ' && p[i - 1] != ' ')) return false;
    }
    return true;
}

constexpr std::size_t word_count(std::string_view p) noexcept {
    std::size_t n = 1;
    for (char c : p) n += c == ' ';
    return n;
}

inline constexpr std::size_t reason_phrase_count = sizeof(reason_phrases) / sizeof(reason_phrases[0]);
inline constexpr std::size_t command_phrase_count = sizeof(command_phrases) / sizeof(command_phrases[0]);
inline constexpr std::size_t phrase_count = reason_phrase_count + command_phrase_count;

// Phrase ids: the reason phrases in order, then the command phrases.
constexpr std::string_view phrase_text(std::size_t id) noexcept {
    return id < reason_phrase_count ? reason_phrases[id].phrase : command_phrases[id - reason_phrase_count].phrase;
}

constexpr std::size_t phrase_characters() noexcept {
    std::size_t n = 0;
    for (std::size_t id = 0; id < phrase_count; ++id) n += phrase_text(id).size();
    return n;
}

// The builder's plain trie: one node per character, children as sorted lists.
template <std::size_t MaxNodes>
struct plain_trie {
    std::array<char, MaxNodes> symbol{};
    std::array<std::uint16_t, MaxNodes> child{};   // first child + 1
    std::array<std::uint16_t, MaxNodes> sibling{}; // next sibling + 1
    std::array<std::uint16_t, MaxNodes> match{};
    std::size_t size = 1; // node 0 is the root

    constexpr std::size_t add_child(std::size_t parent, char s) noexcept {
        std::size_t prev = 0; // 0: insert at the head
        std::size_t c = child[parent];
        while (c != 0 && symbol[c - 1] < s) {
            prev = c;
            c = sibling[c - 1];
        }
        if (c != 0 && symbol[c - 1] == s) return c - 1;
        const std::size_t n = size++;
        symbol[n] = s;
        sibling[n] = static_cast<std::uint16_t>(c);
        if (prev == 0)
            child[parent] = static_cast<std::uint16_t>(n + 1);
        else
            sibling[prev - 1] = static_cast<std::uint16_t>(n + 1);
        return n;
    }

    constexpr void insert(std::string_view phrase, std::size_t id) noexcept {
        bool prefix = false;
        if (!phrase.empty() && phrase.back() == '*') {
            prefix = true;
            phrase.remove_suffix(1);
        }
        std::size_t node = 0;
        for (char c : phrase) node = add_child(node, c);
        // The first phrase to end at a node keeps it: earlier phrases take precedence.
        if (match[node] == 0) match[node] = static_cast<std::uint16_t>((id + 1) | (prefix ? prefix_match_bit : 0));
    }

    constexpr std::size_t only_child(std::size_t n) const noexcept {
        const std::size_t c = child[n];
        return c != 0 && sibling[c - 1] == 0 ? c - 1 : 0;
    }
};

struct tree_size {
    std::size_t nodes;
    std::size_t pool; // label characters, without the terminating NUL the tree stores
};

// Writes the radix tree into `out` (sized generously) and returns its size.
template <std::size_t MaxNodes, std::size_t Nodes, std::size_t Pool>
constexpr tree_size compress(const plain_trie<MaxNodes>& t, phrase_tree<Nodes, Pool>& out) noexcept {
    std::array<std::uint16_t, MaxNodes> queue{}; // the plain node starting each radix node, by id
    std::size_t queued = 0, pool = 0;
    for (std::size_t c = t.child[0]; c != 0; c = t.sibling[c - 1]) {
        out.root_child[static_cast<unsigned char>(t.symbol[c - 1])] = static_cast<std::uint16_t>(queued + 1);
        queue[queued++] = static_cast<std::uint16_t>(c - 1);
    }
    for (std::size_t id = 0; id < queued; ++id) {
        std::size_t end = queue[id];
        const std::size_t label_start = pool;
        while (true) {
            out.labels[pool++] = t.symbol[end];
            const std::size_t next = t.only_child(end);
            if (next == 0 || t.match[end] != 0) break;
            end = next;
        }
        const std::size_t first = queued;
        for (std::size_t c = t.child[end]; c != 0; c = t.sibling[c - 1])
            queue[queued++] = static_cast<std::uint16_t>(c - 1);
        out.label_offset[id] = static_cast<std::uint16_t>(label_start);
        out.label_length[id] = static_cast<std::uint8_t>(pool - label_start);
        out.first_child[id] = static_cast<std::uint16_t>(first);
        out.child_count[id] = static_cast<std::uint8_t>(queued - first);
        out.match[id] = t.match[end];
    }
    return {queued, pool};
}

inline constexpr std::size_t max_tree_nodes = phrase_characters() + 1;

using plain_phrase_trie = plain_trie<max_tree_nodes>;
using roomy_phrase_tree = phrase_tree<max_tree_nodes, max_tree_nodes + 1>;

// Fills `trie` from the phrase tables and compresses it into `tree`. Large:
// give it objects with static storage.
inline tree_size build_phrase_tree(plain_phrase_trie& trie, roomy_phrase_tree& tree) noexcept {
    for (std::size_t id = 0; id < phrase_count; ++id) trie.insert(phrase_text(id), id);
    return compress(trie, tree);
}

} // namespace esc::detail
