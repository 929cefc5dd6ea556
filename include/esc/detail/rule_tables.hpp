// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The shapes of the rule tables classify() reads: one row per phrase of the
// phrase tree, one per code rule. The built-in rows are generated from
// rules/*.rules into phrase_tree_data.hpp; rules.hpp builds the same rows at
// run time from a user's file.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.hpp"
#include "../status.hpp"

ESC_BEGIN_NAMESPACE

// How much a phrase weighs against an enhanced code (see classify.hpp):
//  weak:     vague words ("service unavailable", "rejected"); any code that
//            leans somewhere outweighs them;
//  strong:   the default; outweighs a code that only leans (5.7.1, X.n.0),
//            gives way to one that names a single condition (5.1.1, 5.2.2);
//  overrule: text so specific that it wins even over such a code (a host
//            that sends 5.1.1 when the *sender* went over an hourly limit),
//            and a provider's own code token ([TS03], BL000010).
enum class rule_strength : std::uint8_t { weak, strong, overrule };

constexpr std::string_view to_string(rule_strength s) noexcept {
    switch (s) {
    case rule_strength::weak: return "weak";
    case rule_strength::strong: return "strong";
    case rule_strength::overrule: return "overrule";
    }
    return "strong";
}

ESC_END_NAMESPACE

ESC_BEGIN_NAMESPACE
namespace detail {

// Strings stored as one block of characters and their offsets: plain data,
// where an array of string_views would need a relocation per string.
template <std::size_t N, std::size_t Chars>
struct string_table {
    std::array<std::uint32_t, N + 1> offset{};
    std::array<char, Chars> chars{}; // Chars includes a final NUL

    constexpr std::string_view operator[](std::size_t i) const noexcept {
        return std::string_view(chars.data() + offset[i], offset[i + 1] - offset[i]);
    }
    static constexpr std::size_t size() noexcept { return N; }
};

enum class rule_kind : std::uint8_t {
    reason_phrase,  // value: a reason
    command_phrase, // value: the command a quoted reply answered
    marker,         // value: unused; `provider` is the provider it reveals
};

struct phrase_rule {
    rule_kind kind = rule_kind::reason_phrase;
    std::uint8_t value = 0;
    rule_strength strength = rule_strength::strong;
    std::uint8_t provider = 0; // index into the provider names; 0: none
    std::uint16_t source = 0;  // index into the sources; 0: none given
};

// An enhanced code, or a range of details, with the meaning a provider
// documents for it. `gated`: the code is in the IANA registry with a meaning
// of its own, so the provider's reading applies only when the text shows the
// provider replied; a code outside the registry has no other meaning, and the
// provider's applies wherever it is seen.
struct code_rule {
    status_code first{};
    status_code last{};
    std::uint8_t implies = 0; // a reason
    std::uint8_t provider = 0;
    bool gated = false;
    std::uint16_t source = 0;

    constexpr bool covers(status_code s) const noexcept {
        return s.cls == first.cls && s.subject == first.subject && s.detail >= first.detail && s.detail <= last.detail;
    }
};

} // namespace detail
ESC_END_NAMESPACE
