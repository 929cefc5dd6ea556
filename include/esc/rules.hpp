// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Rules in text: the format of rules/*.rules (esc's built-in phrase and
// provider tables) and of a user's own rules, which classify() consults
// before the built-ins. A rule set is built at run time (it allocates then)
// and read without allocating.
//
// The format, a rule per line:
//
//   # a comment: from a '#' at the start of a line or after a blank, to the line's end
//   phrase REASON [weak|strong|overrule] [anywhere]: PATTERN
//   code STATUS[-STATUS] REASON        # 5.7.606-5.7.649 or 5.7.606-649
//   source URL                         # where the rules that follow come from
//   command COMMAND: PATTERN           # built-in only: text naming the command a reply answered
//   provider NAME                      # built-in only: the rules up to `end` are NAME's
//   marker: PATTERN                    # built-in only, in a provider block: text that shows NAME replied
//   end
//
// REASON is a reason's name as to_string(reason) spells it ("mailbox_full");
// COMMAND a command's (to_string(command)). A PATTERN is read as classify()
// reads a server's text (detail/phrase_matcher.hpp): words of letters and
// digits, case folded (Latin, Cyrillic), any other characters between words
// standing for any run of them; each Chinese or Japanese character is a word;
// a final '*' matches any ending of the last word ("greylist*"). Patterns do
// not match inside host names, e-mail addresses or URLs unless marked
// `anywhere` (markers always are).
//
// In a user's rule set the first rule, in file order, that matches decides;
// strengths do not apply. See classify.hpp for how the built-in rules weigh
// against the codes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/config.hpp"
#include "classify.hpp"
#include "command.hpp"
#include "detail/phrase_tree_builder.hpp"
#include "detail/rule_parser.hpp"
#include "detail/rule_tables.hpp"
#include "reason.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE


// What a user's rule decided, for classify(): the reason, and where.
struct user_rule_match {
    esc::reason reason = esc::reason::other;
    std::string_view text; // the matched part of the input (a phrase, or empty for a code rule)
    std::string_view rule; // the rule's pattern or code range, as the rule set holds it
    std::size_t line = 0;  // in the rules file
};

class rule_set {
public:
    rule_set() = default;

    // Parses rule text; errors come as "FILE:LINE: what is wrong" (FILE as
    // given, omitted when empty). The rules that parsed are kept even when
    // others did not.
    static std::pair<rule_set, std::vector<std::string>> parse(std::string_view text, std::string_view file = {}) {
        std::pair<rule_set, std::vector<std::string>> out;
        detail::parsed_rules& p = out.first.rules_;
        detail::parse_rules(text, p, false);
        for (const auto& [line, what] : p.errors)
            out.second.push_back((file.empty() ? std::string() : std::string(file) + ":") + std::to_string(line) + ": " + what);
        std::vector<detail::pattern_words> words;
        for (const detail::parsed_phrase& ph : p.phrases) words.push_back(ph.words);
        if (const std::string too_big = detail::tree_limits_error(words); !too_big.empty()) {
            // The matcher's tables index in 16 bits: refuse rather than build a wrong one.
            out.second.push_back((file.empty() ? std::string() : std::string(file) + ": ") + "too many rules: " + too_big);
            p.phrases.clear();
            words.clear();
        }
        out.first.tree_ = detail::build_phrase_tree(words);
        return out;
    }

    bool empty() const noexcept { return rules_.phrases.empty() && rules_.codes.empty(); }
    std::size_t size() const noexcept { return rules_.phrases.size() + rules_.codes.size(); }

    // The first rule, in file order, that applies to `text` (a reply or a
    // diagnostic) whose enhanced code is `status`. Allocation-free.
    std::optional<user_rule_match> match(std::string_view text, std::optional<status_code> status) const noexcept {
        std::size_t best_line = static_cast<std::size_t>(-1);
        user_rule_match best;
        if (status)
            for (const detail::parsed_code& c : rules_.codes)
                if (c.row.covers(*status) && c.line < best_line) {
                    best_line = c.line;
                    best = {static_cast<reason>(c.row.implies), {}, c.text, c.line};
                }
        if (!rules_.phrases.empty())
            detail::phrase_scanner<detail::built_phrase_tree>(tree_).scan(text, [&](detail::phrase_hit hit) {
                const detail::parsed_phrase& ph = rules_.phrases[hit.id];
                if (ph.line < best_line) {
                    best_line = ph.line;
                    best = {static_cast<reason>(ph.row.value), text.substr(hit.begin, hit.end - hit.begin), ph.pattern,
                            ph.line};
                }
            });
        if (best_line == static_cast<std::size_t>(-1)) return std::nullopt;
        return best;
    }

private:
    detail::parsed_rules rules_;
    detail::built_phrase_tree tree_;
};

// classify() with a user's rules consulted first: where one of them matches,
// it decides the reason (why.by is decided_by::user_rule, why.rule the
// rule's pattern or code); the outcome, the status and the rest are
// classify()'s. Allocation-free.
inline classification classify(const reply& r, const rule_set& rules, command cmd = command::unknown) noexcept {
    const std::string_view words = detail::reply_words(r);
    const std::optional<user_rule_match> m = rules.match(words, r.status);
    const detail::user_decision d = m ? detail::user_decision{m->reason, m->text, m->rule} : detail::user_decision{};
    return detail::classify(r.code, r.status, cmd, words, {}, m ? &d : nullptr, words);
}

inline classification classify(std::string_view text, const rule_set& rules, command cmd = command::unknown) noexcept {
    const detail::located_reply l = detail::locate_reply(text);
    const std::optional<user_rule_match> m = rules.match(text, l.status);
    const detail::user_decision d = m ? detail::user_decision{m->reason, m->text, m->rule} : detail::user_decision{};
    return detail::classify(l.code, l.status, cmd, l.head, l.rest, m ? &d : nullptr, l.raw);
}

// Applies a user's rules to a classification made without them (a bounce
// recipient's, say): where a rule matches `text`, its reason and explanation
// replace the built-in one. Returns whether a rule matched.
inline bool apply_rules(classification& c, std::string_view text, const rule_set& rules) noexcept {
    if (c.outcome == outcome::success || c.outcome == outcome::intermediate) return false;
    const std::optional<user_rule_match> m = rules.match(text, c.inferred ? std::nullopt : std::optional<status_code>(c.status));
    if (!m) return false;
    c.reason = m->reason;
    c.verdict = verdict_for(c.outcome, c.reason);
    c.why = explanation{decided_by::user_rule, m->text, m->rule, {}, {}};
    return true;
}

ESC_END_NAMESPACE
