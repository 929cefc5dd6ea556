// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Compiles phrase patterns into the tables phrase_matcher.hpp reads. Used by
// tools/generate_phrase_tree.cpp (which writes phrase_tree_data.hpp from the
// rules/*.rules files) and by run-time rule sets (rules.hpp). classify.hpp
// does not include it, so it may use the standard containers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "phrase_matcher.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

// A pattern read as the scanner reads a text: its words, folded.
struct pattern_words {
    std::vector<std::string> words;
    bool prefix = false;   // the last word is a prefix ("greylist*")
    bool anywhere = false; // matches in host names, addresses and URLs too
};

// Reads a pattern: words as read_char() defines them, an optional final '*'.
// Returns an empty string when it is well formed, else what is wrong.
inline std::string read_pattern(std::string_view pattern, pattern_words& out) {
    out.words.clear();
    out.prefix = false;
    while (!pattern.empty() && (pattern.back() == ' ' || pattern.back() == '\t')) pattern.remove_suffix(1);
    if (!pattern.empty() && pattern.back() == '*') {
        out.prefix = true;
        pattern.remove_suffix(1);
        if (!pattern.empty() && read_char(pattern, pattern.size() - 1).kind == char_kind::separator)
            return "a '*' must follow a word directly";
    }
    if (pattern.find('*') != std::string_view::npos) return "'*' may only end a pattern";
    std::string word;
    for (std::size_t i = 0; i < pattern.size();) {
        const text_char c = read_char(pattern, i);
        i += c.consumed;
        if (c.kind == char_kind::letter) {
            word.append(c.bytes, c.size);
            continue;
        }
        if (!word.empty()) out.words.push_back(std::move(word));
        word.clear();
        if (c.kind == char_kind::ideograph) out.words.emplace_back(c.bytes, c.size);
    }
    if (!word.empty()) out.words.push_back(std::move(word));
    if (out.words.empty()) return "the pattern has no words";
    if (out.prefix) {
        const std::string& last = out.words.back();
        if (read_char(last, 0).kind == char_kind::ideograph) return "a '*' after a Chinese or Japanese character matches nothing more";
    }
    if (out.words.size() > max_phrase_words) return "more than " + std::to_string(max_phrase_words) + " words";
    if (out.prefix && out.words.back().size() > max_prefix_length)
        return "a prefix word is longer than " + std::to_string(max_prefix_length) + " bytes";
    return {};
}

// The pattern as the tables hold it: folded words joined by single spaces.
inline std::string canonical_pattern(const pattern_words& p) {
    std::string s;
    for (const std::string& w : p.words) {
        if (!s.empty()) s += ' ';
        s += w;
    }
    if (p.prefix) s += '*';
    return s;
}

constexpr std::uint32_t word_hash(std::string_view folded) noexcept {
    std::uint32_t h = word_hash_seed;
    for (char c : folded) h = word_hash_step(h, c);
    return h;
}

// The tables, in growable form; phrase_tree_data.hpp holds the same numbers.
// It has the members phrase_scanner reads, so a run-time rule set scans it.
struct built_phrase_tree {
    std::uint16_t exact_tokens = 0;
    std::uint64_t prefix_lengths = 0;
    std::vector<std::uint64_t> prefix_starts = std::vector<std::uint64_t>(64);
    std::vector<std::uint64_t> prefix_pair_lengths = std::vector<std::uint64_t>(prefix_buckets);
    std::vector<std::uint64_t> screen = std::vector<std::uint64_t>(screen_bits / 64);
    std::vector<std::uint64_t> start_screen = std::vector<std::uint64_t>(screen_bits / 64);
    std::vector<std::uint8_t> slot_hash;
    std::vector<std::uint16_t> slot_token;
    std::vector<std::uint16_t> token_offset;
    std::string token_chars;
    std::vector<std::uint16_t> root_child;
    std::vector<std::uint16_t> first_edge;
    std::vector<std::uint16_t> edge_token;
    std::vector<std::uint16_t> edge_target;
    std::vector<std::uint16_t> match;

    std::string_view token_text(std::size_t t) const noexcept {
        return std::string_view(token_chars.data() + token_offset[t], token_offset[t + 1] - token_offset[t]);
    }
};

// Whether the tables fit the 16-bit indexes phrase_matcher.hpp uses (phrase
// ids below match_anywhere, tokens, token characters, trie nodes and edges
// below 0xFFFF). Returns an empty string when they do, else what overflows.
inline std::string tree_limits_error(const std::vector<pattern_words>& phrases) {
    std::size_t words = 0, chars = 0;
    for (const pattern_words& p : phrases) {
        words += p.words.size();
        for (const std::string& w : p.words) chars += w.size();
    }
    if (phrases.size() + 1 >= match_anywhere) return "more than " + std::to_string(match_anywhere - 2) + " patterns";
    // Tokens, characters, nodes and edges are each at most these sums.
    if (words + 1 >= 0xFFFF) return "more than 65,533 words in all the patterns";
    if (chars + 1 >= 0xFFFF) return "more than 65,533 bytes of words in all the patterns";
    return {};
}

// Phrase ids are positions in `phrases`; where two phrases have the same
// words, the first keeps the node (callers reject such repeats).
inline built_phrase_tree build_phrase_tree(const std::vector<pattern_words>& phrases) {
    // Tokens: whole words first, then prefixes, each in order of first use.
    std::map<std::pair<std::string, bool>, std::uint16_t> token_of;
    std::vector<std::pair<std::string, bool>> tokens;
    for (bool want_prefix : {false, true})
        for (const pattern_words& pw : phrases)
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
            t.prefix_pair_lengths[pair_bucket(pair)] |= std::uint64_t{1} << text.size();
        }
        t.token_offset.push_back(static_cast<std::uint16_t>(t.token_chars.size()));
        t.token_chars += text;
    }
    t.token_offset.push_back(static_cast<std::uint16_t>(t.token_chars.size()));

    // Open addressing with linear probing, at most half full: a word that
    // passes the screen but is no token probes until an empty slot.
    std::size_t slots = 2;
    while (slots < tokens.size() * 2) slots *= 2;
    t.slot_hash.assign(slots, 0);
    t.slot_token.assign(slots, 0);
    for (std::size_t id = 0; id < tokens.size(); ++id) {
        const std::uint32_t h = word_hash(tokens[id].first);
        std::size_t s = h & (slots - 1);
        while (t.slot_token[s] != 0) s = (s + 1) & (slots - 1);
        t.slot_hash[s] = static_cast<std::uint8_t>(h >> 24);
        t.slot_token[s] = static_cast<std::uint16_t>(id + 1);
        const std::size_t bit = tokens[id].second ? prefix_screen_bit(h) : screen_bit(h);
        t.screen[bit / 64] |= std::uint64_t{1} << (bit % 64);
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
        if (match[node] == 0)
            match[node] = static_cast<std::uint16_t>((id + 1) | (phrases[id].anywhere ? match_anywhere : 0));
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
    t.root_child.assign(std::max<std::size_t>(tokens.size(), 1), 0);
    for (const auto& [token, target] : children[0]) {
        t.root_child[token] = target;
        if (token < t.exact_tokens) {
            const std::size_t bit = screen_bit(word_hash(tokens[token].first));
            t.start_screen[bit / 64] |= std::uint64_t{1} << (bit % 64);
        }
    }
    return t;
}

} // namespace detail
ESC_END_NAMESPACE
