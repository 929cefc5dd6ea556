// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reads rule text (the format is in rules.hpp) into rows and phrase
// patterns. Used by rules.hpp at run time and by
// tools/generate_phrase_tree.cpp for the built-in tables, so that both read
// one format the same way. It allocates; classify() never calls it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "../command.hpp"
#include "../reason.hpp"
#include "../status.hpp"
#include "phrase_tree_builder.hpp"
#include "rule_tables.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {


struct parsed_phrase {
    phrase_rule row;
    bool anywhere = false;
    pattern_words words;
    std::string pattern; // canonical: folded words, single spaces
    std::size_t line = 0;
    std::string file;    // the file it was read from, as named to parse_rules()
};

struct parsed_code {
    code_rule row;
    std::string text; // "5.7.606-5.7.649"
    std::size_t line = 0;
    std::string file;
};

struct parsed_rules {
    std::vector<parsed_phrase> phrases;
    std::vector<parsed_code> codes;
    std::vector<std::string> providers{std::string()}; // index 0: none
    std::vector<std::string> sources{std::string()};   // index 0: none
    std::vector<std::pair<std::size_t, std::string>> errors; // line, what is wrong
};

inline std::string_view trim_rule_space(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Splits off the first blank-separated word.
inline std::string_view next_word(std::string_view& s) noexcept {
    s = trim_rule_space(s);
    std::size_t e = 0;
    while (e < s.size() && s[e] != ' ' && s[e] != '\t') ++e;
    const std::string_view w = s.substr(0, e);
    s = trim_rule_space(s.substr(e));
    return w;
}

inline std::optional<command> command_named(std::string_view name) noexcept {
    for (int i = 0; i <= static_cast<int>(command::etrn); ++i)
        if (iequals(name, to_string(static_cast<command>(i)))) return static_cast<command>(i);
    return std::nullopt;
}

// "5.7.606-5.7.649", "5.7.606-649" or "5.7.606".
inline bool read_code_range(std::string_view s, status_code& first, status_code& last) noexcept {
    const std::size_t dash = s.find('-');
    const std::optional<status_code> a = parse_status(s.substr(0, dash));
    if (!a) return false;
    first = last = *a;
    if (dash == std::string_view::npos) return true;
    const std::string_view rest = s.substr(dash + 1);
    if (const std::optional<status_code> b = parse_status(rest)) {
        last = *b;
    } else {
        // A detail alone: "649".
        if (rest.empty() || rest.size() > 3 || (rest.size() > 1 && rest[0] == '0')) return false;
        unsigned d = 0;
        for (char c : rest) {
            if (!is_digit(c)) return false;
            d = d * 10 + static_cast<unsigned>(c - '0');
        }
        last = status_code{first.cls, first.subject, static_cast<std::uint16_t>(d)};
    }
    return last.cls == first.cls && last.subject == first.subject && last.detail >= first.detail;
}

// "line 3", or "phrases.rules:3" for a rule of another file.
inline std::string where_of(std::string_view file, std::size_t line) {
    return file.empty() ? "line " + std::to_string(line) : std::string(file) + ":" + std::to_string(line);
}

// Parses rule text into `into`. `builtin` allows the lines that only the
// built-in tables may hold (command, provider, marker, end).
inline void parse_rules(std::string_view text, parsed_rules& into, bool builtin, std::string_view file = {}) {
    std::size_t provider = 0, source = 0, line_no = 0, provider_line = 0;
    auto fail = [&](std::string what) { into.errors.emplace_back(line_no, std::move(what)); };
    while (!text.empty()) {
        ++line_no;
        // A line ends in LF, CRLF or a lone CR.
        std::size_t nl = text.find_first_of("\r\n");
        std::string_view line = text.substr(0, nl);
        if (nl != std::string_view::npos && text[nl] == '\r' && nl + 1 < text.size() && text[nl + 1] == '\n') ++nl;
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        // '#' starts a comment: at the start of a line, or after a blank.
        for (std::size_t h = line.find('#'); h != std::string_view::npos; h = line.find('#', h + 1))
            if (h == 0 || line[h - 1] == ' ' || line[h - 1] == '\t') {
                line = line.substr(0, h);
                break;
            }
        line = trim_rule_space(line);
        if (line.empty()) continue;

        // Attributes before the first ':', the pattern after it.
        const std::size_t colon = line.find(':');
        std::string_view head = line.substr(0, colon);
        const std::optional<std::string_view> pattern =
            colon == std::string_view::npos ? std::nullopt : std::optional<std::string_view>(trim_rule_space(line.substr(colon + 1)));
        const std::string_view kind = next_word(head);
        auto only_builtin = [&]() {
            if (builtin) return false;
            fail("'" + std::string(kind) + "' lines are for esc's built-in tables, not a user's rules");
            return true;
        };

        if (kind == "source") {
            const std::string_view url = trim_rule_space(line.substr(kind.size()));
            if (url.empty()) {
                fail("'source' needs a URL or a reference");
                continue;
            }
            source = 0;
            for (std::size_t k = 1; k < into.sources.size() && source == 0; ++k)
                if (into.sources[k] == url) source = k;
            if (source == 0) {
                into.sources.emplace_back(url);
                source = into.sources.size() - 1;
            }
            continue;
        }
        if (kind == "provider") {
            if (only_builtin()) continue;
            const std::string_view name = next_word(head);
            if (name.empty() || !head.empty() || pattern) {
                fail("'provider' takes one name");
                continue;
            }
            if (provider != 0) {
                fail("a provider block is still open (line " + std::to_string(provider_line) + "): close it with 'end'");
                continue;
            }
            for (std::size_t p = 1; p < into.providers.size(); ++p)
                if (into.providers[p] == name) provider = p;
            if (provider == 0) {
                into.providers.emplace_back(name);
                provider = into.providers.size() - 1;
            }
            provider_line = line_no;
            continue;
        }
        if (kind == "end") {
            if (only_builtin()) continue;
            if (provider == 0) fail("'end' without a 'provider' line");
            provider = 0;
            source = 0;
            continue;
        }
        if (kind == "code") {
            if (pattern) {
                fail("'code' takes STATUS[-STATUS] REASON, without ':'");
                continue;
            }
            const std::string_view range = next_word(head);
            const std::string_view reason_name = next_word(head);
            parsed_code c;
            if (!read_code_range(range, c.row.first, c.row.last)) {
                fail("'" + std::string(range) + "' is not an enhanced code or a range such as 5.7.606-5.7.649");
                continue;
            }
            const std::optional<reason> r = parse_reason(reason_name);
            if (!r || *r == reason::none) {
                fail("'" + std::string(reason_name) + "' is not a reason (mailbox_unknown, mailbox_full, ...)");
                continue;
            }
            if (!head.empty()) {
                fail("unexpected '" + std::string(head) + "' after the reason");
                continue;
            }
            c.row.implies = static_cast<std::uint8_t>(*r);
            c.row.provider = static_cast<std::uint8_t>(provider);
            c.row.source = static_cast<std::uint16_t>(source);
            c.text = std::string(range);
            c.line = line_no;
            c.file = std::string(file);
            bool repeated = false;
            for (const parsed_code& earlier : into.codes)
                if (earlier.row.first.cls == c.row.first.cls && earlier.row.first.subject == c.row.first.subject &&
                    earlier.row.first.detail <= c.row.last.detail && c.row.first.detail <= earlier.row.last.detail &&
                    earlier.row.provider == c.row.provider && earlier.row.first == c.row.first &&
                    earlier.row.last == c.row.last) {
                    fail("code " + c.text + " repeats " + where_of(earlier.file, earlier.line));
                    repeated = true;
                    break;
                }
            if (!repeated) into.codes.push_back(std::move(c));
            continue;
        }

        parsed_phrase p;
        p.file = std::string(file);
        p.row.provider = static_cast<std::uint8_t>(provider);
        p.row.source = static_cast<std::uint16_t>(source);
        p.line = line_no;
        if (kind == "phrase") {
            const std::string_view reason_name = next_word(head);
            const std::optional<reason> r = parse_reason(reason_name);
            if (!r || *r == reason::none) {
                fail("'" + std::string(reason_name) + "' is not a reason (mailbox_unknown, mailbox_full, ...)");
                continue;
            }
            p.row.kind = rule_kind::reason_phrase;
            p.row.value = static_cast<std::uint8_t>(*r);
            bool ok = true;
            for (std::string_view opt = next_word(head); !opt.empty(); opt = next_word(head)) {
                if (opt == "weak" || opt == "strong" || opt == "overrule") {
                    if (!builtin) {
                        fail("strengths are for the built-in tables: a user's rule always decides");
                        ok = false;
                        break;
                    }
                    p.row.strength = opt == "weak" ? rule_strength::weak
                                     : opt == "overrule" ? rule_strength::overrule
                                                         : rule_strength::strong;
                } else if (opt == "anywhere") {
                    p.anywhere = true;
                } else {
                    fail("unknown option '" + std::string(opt) + "' (weak, strong, overrule, anywhere)");
                    ok = false;
                    break;
                }
            }
            if (!ok) continue;
        } else if (kind == "command") {
            if (only_builtin()) continue;
            const std::string_view name = next_word(head);
            const std::optional<command> c = command_named(name);
            if (!c || *c == command::unknown || !head.empty()) {
                fail("'" + std::string(name) + "' is not a command (rcpt, mail, end_of_data, ...)");
                continue;
            }
            p.row.kind = rule_kind::command_phrase;
            p.row.value = static_cast<std::uint8_t>(*c);
        } else if (kind == "marker") {
            if (only_builtin()) continue;
            if (provider == 0) {
                fail("'marker' belongs in a provider block");
                continue;
            }
            if (!head.empty()) {
                fail("'marker' takes no options");
                continue;
            }
            p.row.kind = rule_kind::marker;
            p.anywhere = true;
        } else {
            fail("unknown rule '" + std::string(kind) + "' (phrase, code, source" +
                 (builtin ? ", command, provider, marker, end)" : ")"));
            continue;
        }
        if (!pattern || pattern->empty()) {
            fail("'" + std::string(kind) + "' needs ': PATTERN'");
            continue;
        }
        if (std::string why = read_pattern(*pattern, p.words); !why.empty()) {
            fail("pattern '" + std::string(*pattern) + "': " + why);
            continue;
        }
        p.words.anywhere = p.anywhere;
        p.pattern = canonical_pattern(p.words);
        if (!p.anywhere && opaque_chunk(*pattern)) {
            fail("pattern '" + std::string(*pattern) +
                 "' is a host name, an address or a URL, where phrases do not match: mark it 'anywhere'");
            continue;
        }
        bool repeated = false;
        for (const parsed_phrase& earlier : into.phrases)
            if (earlier.pattern == p.pattern) {
                fail("pattern '" + p.pattern + "' repeats " + where_of(earlier.file, earlier.line));
                repeated = true;
                break;
            }
        if (!repeated) into.phrases.push_back(std::move(p));
    }
    if (provider != 0) {
        line_no = provider_line;
        fail("the provider block is not closed with 'end'");
    }
}

} // namespace detail
ESC_END_NAMESPACE
