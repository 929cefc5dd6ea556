// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Compiles the phrase tables of phrases.hpp into the tables phrase_matcher.hpp
// reads. Used by tools/generate_phrase_tree.cpp (which writes
// phrase_tree_data.hpp) and by the test that checks that file is up to date;
// classify.hpp does not include it, so it may use the standard containers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "phrase_matcher.hpp"
#include "phrases.hpp"

namespace esc::detail {

// A phrase is well formed when it holds only [a-z0-9], single spaces between
// words, and at most a final '*', whose word is then at most
// max_prefix_length characters long.
constexpr bool is_well_formed_phrase(std::string_view p) noexcept {
    const bool prefix = !p.empty() && p.back() == '*';
    if (prefix) p.remove_suffix(1);
    if (p.empty() || p.front() == ' ' || p.back() == ' ') return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!word && !(c == ' ' && p[i - 1] != ' ')) return false;
    }
    return !prefix || p.size() - (p.rfind(' ') == std::string_view::npos ? 0 : p.rfind(' ') + 1) <= max_prefix_length;
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

constexpr std::uint32_t word_hash(std::string_view folded) noexcept {
    std::uint32_t h = word_hash_seed;
    for (char c : folded) h = word_hash_step(h, c);
    return h;
}

// The tables, in growable form; phrase_tree_data.hpp holds the same numbers.
struct built_phrase_tree {
    std::uint16_t exact_tokens = 0;
    std::uint64_t prefix_lengths = 0;
    std::vector<std::uint64_t> prefix_starts = std::vector<std::uint64_t>(64);
    std::vector<std::uint64_t> screen = std::vector<std::uint64_t>(screen_bits / 64);
    std::vector<std::uint8_t> slot_hash;
    std::vector<std::uint16_t> slot_token;
    std::vector<std::uint16_t> token_offset;
    std::string token_chars;
    std::vector<std::uint16_t> root_child;
    std::vector<std::uint16_t> first_edge;
    std::vector<std::uint16_t> edge_token;
    std::vector<std::uint16_t> edge_target;
    std::vector<std::uint16_t> match;
};

inline built_phrase_tree build_phrase_tree() {
    struct phrase_words {
        std::vector<std::string> words;
        bool prefix;
    };
    std::vector<phrase_words> phrases;
    for (std::size_t id = 0; id < phrase_count; ++id) {
        std::string_view p = phrase_text(id);
        phrase_words pw{{}, !p.empty() && p.back() == '*'};
        if (pw.prefix) p.remove_suffix(1);
        for (std::size_t start = 0; start <= p.size();) {
            const std::size_t space = std::min(p.find(' ', start), p.size());
            pw.words.emplace_back(p.substr(start, space - start));
            start = space + 1;
        }
        phrases.push_back(std::move(pw));
    }

    // Tokens: whole words first, then prefixes, each in order of first use.
    std::map<std::pair<std::string, bool>, std::uint16_t> token_of;
    std::vector<std::pair<std::string, bool>> tokens;
    for (bool want_prefix : {false, true})
        for (const phrase_words& pw : phrases)
            for (std::size_t k = 0; k < pw.words.size(); ++k) {
                const bool is_prefix = pw.prefix && k + 1 == pw.words.size();
                if (is_prefix != want_prefix) continue;
                const auto key = std::make_pair(pw.words[k], is_prefix);
                if (token_of.count(key) == 0) {
                    token_of[key] = static_cast<std::uint16_t>(tokens.size());
                    tokens.push_back(key);
                }
            }

    built_phrase_tree t;
    for (const auto& [text, is_prefix] : tokens) {
        if (!is_prefix) ++t.exact_tokens;
        else {
            t.prefix_lengths |= std::uint64_t{1} << text.size();
            const std::size_t pair = pair_bit(text[0], text.size() > 1 ? text[1] : canonical_separator);
            t.prefix_starts[pair / 64] |= std::uint64_t{1} << (pair % 64);
        }
        t.token_offset.push_back(static_cast<std::uint16_t>(t.token_chars.size()));
        t.token_chars += text;
    }
    t.token_offset.push_back(static_cast<std::uint16_t>(t.token_chars.size()));

    // Open addressing with linear probing, at most 80% full (the screen keeps
    // most misses from probing at all).
    std::size_t slots = 1;
    while (slots * 4 < tokens.size() * 5) slots *= 2;
    t.slot_hash.assign(slots, 0);
    t.slot_token.assign(slots, 0);
    for (std::size_t id = 0; id < tokens.size(); ++id) {
        const std::uint32_t h = word_hash(tokens[id].first);
        std::size_t s = h & (slots - 1);
        while (t.slot_token[s] != 0) s = (s + 1) & (slots - 1);
        t.slot_hash[s] = static_cast<std::uint8_t>(h >> 24);
        t.slot_token[s] = static_cast<std::uint16_t>(id + 1);
        t.screen[screen_bit(h) / 64] |= std::uint64_t{1} << (screen_bit(h) % 64);
    }

    // The trie over tokens; the first phrase to end at a node keeps it.
    std::vector<std::map<std::uint16_t, std::uint16_t>> children(1);
    std::vector<std::uint16_t> match(1, 0);
    for (std::size_t id = 0; id < phrases.size(); ++id) {
        std::uint16_t node = 0;
        for (std::size_t k = 0; k < phrases[id].words.size(); ++k) {
            const bool is_prefix = phrases[id].prefix && k + 1 == phrases[id].words.size();
            const std::uint16_t token = token_of.at({phrases[id].words[k], is_prefix});
            auto it = children[node].find(token);
            if (it == children[node].end()) {
                it = children[node].emplace(token, static_cast<std::uint16_t>(children.size())).first;
                children.emplace_back();
                match.push_back(0);
            }
            node = it->second;
        }
        if (match[node] == 0) match[node] = static_cast<std::uint16_t>(id + 1);
    }
    for (const auto& edges : children) {
        t.first_edge.push_back(static_cast<std::uint16_t>(t.edge_token.size()));
        for (const auto& [token, target] : edges) { // std::map: sorted by token
            t.edge_token.push_back(token);
            t.edge_target.push_back(target);
        }
    }
    t.first_edge.push_back(static_cast<std::uint16_t>(t.edge_token.size()));
    t.match = std::move(match);
    t.root_child.assign(tokens.size(), 0);
    for (const auto& [token, target] : children[0]) t.root_child[token] = target;
    return t;
}

} // namespace esc::detail
