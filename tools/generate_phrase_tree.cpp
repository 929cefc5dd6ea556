// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
//
// Writes include/esc/detail/phrase_tree_data.hpp: the rule files rules/*.rules
// compiled into the tables classify() reads (the phrase tree, what each
// phrase implies, the code rules, the provider names and the sources).
// Run it through the build after editing the rules:
//     cmake --build <build dir> --target esc_regenerate_phrase_tree
// The phrase_tree_fresh test fails while the checked-in file is stale.
//
// It reads the rules with the parser user rule sets use
// (detail/rule_parser.hpp), and does not include classify.hpp, so it builds
// even when the generated file is out of date.

#include <esc/detail/phrase_tree_builder.hpp>
#include <esc/detail/rule_parser.hpp>
#include <esc/registry.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

template <class T>
void write_numbers(std::FILE* out, const char* name, const std::vector<T>& a) {
    std::fprintf(out, "    // %s\n    {{", name);
    for (std::size_t i = 0; i < a.size(); ++i)
        std::fprintf(out, "%s%s%llu%s", i == 0 ? "" : ",", i % 16 == 0 ? "\n      " : " ",
                     static_cast<unsigned long long>(a[i]), a[i] > 0x7fffffffu ? "u" : "");
    std::fprintf(out, "}},\n");
}

// A C++ string literal for arbitrary bytes (UTF-8 patterns, URLs).
std::string literal(std::string_view s) {
    std::string out = "\"";
    bool after_hex = false;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        const bool hex_digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '?') {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
            after_hex = true;
            continue;
        }
        if (after_hex && hex_digit) out += "\"\""; // end the escape before a hex digit
        out += ch;
        after_hex = false;
    }
    return out + "\"";
}

// A string_table of `strings`: one block of characters, 64 a line, and offsets.
void write_strings(std::FILE* out, const char* comment, const char* name, const std::vector<std::string>& strings) {
    std::string chars;
    std::vector<std::size_t> offsets;
    for (const std::string& s : strings) {
        offsets.push_back(chars.size());
        chars += s;
    }
    offsets.push_back(chars.size());
    std::fprintf(out, "// %s\ninline constexpr string_table<%zu, %zu> %s = {\n", comment, strings.size(), chars.size() + 1, name);
    write_numbers(out, "offset", offsets);
    std::fprintf(out, "    // chars\n    {{");
    for (std::size_t i = 0; i < chars.size(); i += 64)
        std::fprintf(out, "\n      %s", literal(std::string_view(chars).substr(i, 64)).c_str());
    if (chars.empty()) std::fprintf(out, "\"\"");
    std::fprintf(out, "}},\n};\n\n");
}

std::string code_text(esc::status_code s) { return std::string(esc::to_string(s).view()); }

} // namespace

int main(int argc, char** argv) {
    using namespace esc::detail;
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUTPUT.hpp RULES...\n", argv[0]);
        return 2;
    }
    parsed_rules rules;
    bool ok = true;
    for (int a = 2; a < argc; ++a) {
        std::ifstream in(argv[a], std::ios::binary);
        if (!in) {
            std::perror(argv[a]);
            return 1;
        }
        std::ostringstream text;
        text << in.rdbuf();
        const std::size_t before = rules.errors.size();
        parse_rules(text.str(), rules, true, argv[a]);
        for (std::size_t e = before; e < rules.errors.size(); ++e)
            std::fprintf(stderr, "%s:%zu: %s\n", argv[a], rules.errors[e].first, rules.errors[e].second.c_str());
        ok = ok && rules.errors.size() == before;
    }
    if (!ok) return 1;
    if (rules.phrases.size() >= match_anywhere - 1 || rules.providers.size() > 255 || rules.sources.size() > 65535) {
        std::fprintf(stderr, "too many rules for the table types\n");
        return 1;
    }

    // A provider's reading of a registered code applies only where the
    // provider is seen to reply; see code_rule.
    for (parsed_code& c : rules.codes) {
        for (unsigned d = c.row.first.detail; d <= c.row.last.detail; ++d)
            if (esc::lookup(esc::status_code{c.row.first.cls, c.row.first.subject, static_cast<std::uint16_t>(d)}))
                c.row.gated = c.row.provider != 0;
        if (c.row.first == c.row.last) c.text = code_text(c.row.first);
        else c.text = code_text(c.row.first) + "-" + code_text(c.row.last);
    }

    std::vector<pattern_words> words;
    for (const parsed_phrase& p : rules.phrases) words.push_back(p.words);
    if (const std::string too_big = tree_limits_error(words); !too_big.empty()) {
        std::fprintf(stderr, "the rules do not fit the tables: %s\n", too_big.c_str());
        return 1;
    }
    const built_phrase_tree t = build_phrase_tree(words);

    std::FILE* out = std::fopen(argv[1], "w");
    if (out == nullptr) {
        std::perror(argv[1]);
        return 1;
    }
    std::fprintf(out,
                 "// Generated by tools/generate_phrase_tree.cpp from rules/*.rules. Do not edit: change the rules\n"
                 "// and run `cmake --build <build dir> --target esc_regenerate_phrase_tree`.\n"
                 "#pragma once\n\n#include <array>\n#include <cstddef>\n#include <cstdint>\n#include <string_view>\n\n"
                 "#include \"config.hpp\"\n#include \"phrase_matcher.hpp\"\n#include \"rule_tables.hpp\"\n\n"
                 "ESC_BEGIN_NAMESPACE\nnamespace detail {\n\n"
                 "using phrase_tree_type = phrase_tree<%zu, %zu, %zu, %zu, %zu>;\n\n"
                 "inline constexpr phrase_tree_type phrase_tree_data = {\n"
                 "    %u, // exact_tokens\n    %lluu, // prefix_lengths\n",
                 t.token_offset.size() - 1, t.token_chars.size() + 1, t.slot_hash.size(), t.match.size(),
                 t.edge_token.size(), static_cast<unsigned>(t.exact_tokens),
                 static_cast<unsigned long long>(t.prefix_lengths));
    write_numbers(out, "prefix_starts", t.prefix_starts);
    write_numbers(out, "prefix_pair_lengths", t.prefix_pair_lengths);
    write_numbers(out, "screen", t.screen);
    write_numbers(out, "start_screen", t.start_screen);
    write_numbers(out, "slot_hash", t.slot_hash);
    write_numbers(out, "slot_token", t.slot_token);
    write_numbers(out, "token_offset", t.token_offset);
    std::fprintf(out, "    // token_chars\n    {{");
    for (std::size_t i = 0; i < t.token_chars.size(); i += 64)
        std::fprintf(out, "\n      %s", literal(std::string_view(t.token_chars).substr(i, 64)).c_str());
    std::fprintf(out, "}},\n");
    write_numbers(out, "root_child", t.root_child);
    write_numbers(out, "first_edge", t.first_edge);
    write_numbers(out, "edge_token", t.edge_token);
    write_numbers(out, "edge_target", t.edge_target);
    write_numbers(out, "match", t.match);
    std::fprintf(out, "};\n\n");

    std::fprintf(out, "// By phrase id: {kind, reason or command, strength, provider, source}.\n");
    std::fprintf(out, "inline constexpr std::array<phrase_rule, %zu> builtin_phrase_rules = {{\n", rules.phrases.size());
    for (const parsed_phrase& p : rules.phrases)
        std::fprintf(out, "    {rule_kind::%s, %u, rule_strength::%s, %u, %u},\n",
                     p.row.kind == rule_kind::reason_phrase    ? "reason_phrase"
                     : p.row.kind == rule_kind::command_phrase ? "command_phrase"
                                                               : "marker",
                     static_cast<unsigned>(p.row.value), std::string(esc::to_string(p.row.strength)).c_str(),
                     static_cast<unsigned>(p.row.provider), static_cast<unsigned>(p.row.source));
    std::fprintf(out, "}};\n\n");
    std::vector<std::string> patterns, code_texts;
    for (const parsed_phrase& p : rules.phrases) patterns.push_back(p.pattern);
    std::fprintf(out, "// Code rules: {first, last, reason, provider, gated, source}.\n");
    std::fprintf(out, "inline constexpr std::array<code_rule, %zu> builtin_code_rules = {{\n", rules.codes.size());
    for (const parsed_code& c : rules.codes) {
        std::fprintf(out, "    {{static_cast<status_class>(%d), %u, %u}, {static_cast<status_class>(%d), %u, %u}, %u, %u, %s, %u},\n",
                     static_cast<int>(c.row.first.cls), c.row.first.subject, c.row.first.detail,
                     static_cast<int>(c.row.last.cls), c.row.last.subject, c.row.last.detail,
                     static_cast<unsigned>(c.row.implies), static_cast<unsigned>(c.row.provider),
                     c.row.gated ? "true" : "false", static_cast<unsigned>(c.row.source));
        code_texts.push_back(c.text);
    }
    std::fprintf(out, "}};\n\n");
    write_strings(out, "By phrase id: the pattern, folded.", "builtin_phrase_patterns", patterns);
    write_strings(out, "By code rule: its code or range.", "builtin_code_rule_texts", code_texts);
    write_strings(out, "Provider names; 0 is none.", "builtin_providers", rules.providers);
    write_strings(out, "Where the rules come from; 0 is none given.", "builtin_sources", rules.sources);
    std::fprintf(out, "} // namespace detail\nESC_END_NAMESPACE\n");
    return std::fclose(out) == 0 ? 0 : 1;
}
