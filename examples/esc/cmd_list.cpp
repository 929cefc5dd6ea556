// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc list: the IANA registry of enhanced status codes, as esc knows it.
#include <algorithm>
#include <string>
#include <vector>

#include <esc/registry.hpp>
#include <esc/status.hpp>

#include "cli.hpp"

namespace esc_cli {

namespace {

std::string code_text(const esc::registry_entry& e) { return fmt::format("X.{}.{}", e.subject, e.detail); }

std::string basic_codes_text(const esc::basic_codes& codes) {
    switch (codes.rule()) {
    case esc::pairing_rule::any: return "any";
    case esc::pairing_rule::any_permanent: return "5XX";
    default: break;
    }
    std::string s;
    for (std::uint16_t c : codes) s += (s.empty() ? "" : " ") + std::to_string(c);
    if (codes.rule() == esc::pairing_rule::listed_or_any_failure) s += " (or any 4XX/5XX)";
    return s.empty() ? "not given" : s;
}

std::string_view rule_name(esc::pairing_rule r) {
    switch (r) {
    case esc::pairing_rule::listed: return "listed";
    case esc::pairing_rule::any: return "any";
    case esc::pairing_rule::any_permanent: return "any_permanent";
    case esc::pairing_rule::listed_or_any_failure: return "listed_or_any_failure";
    }
    return "listed";
}

constexpr esc::status_class all_classes[] = {esc::status_class::success, esc::status_class::transient,
                                             esc::status_class::permanent};

std::string_view class_name(esc::status_class c) {
    switch (c) {
    case esc::status_class::success: return "success";
    case esc::status_class::transient: return "transient";
    case esc::status_class::permanent: return "permanent";
    }
    return "";
}

std::string classes_text(const esc::class_set& set) {
    std::string s;
    for (auto c : all_classes)
        if (set.contains(c)) s += (s.empty() ? "" : " ") + std::to_string(static_cast<int>(c));
    return s;
}

std::vector<std::string> split_references(std::string_view refs) {
    std::vector<std::string> out;
    while (!refs.empty()) {
        const std::size_t space = refs.find(' ');
        if (space != 0) out.emplace_back(refs.substr(0, space));
        if (space == std::string_view::npos) break;
        refs.remove_prefix(space + 1);
    }
    return out;
}

int run_list(const context& ctx, bool json, bool long_form) {
    writer out(stdout);
    if (json) {
        for (const esc::registry_entry& e : esc::registry()) {
            nlohmann::ordered_json j;
            j["code"] = code_text(e);
            j["subject"] = e.subject;
            j["detail"] = e.detail;
            j["title"] = std::string(e.title);
            j["description"] = std::string(e.description);
            std::vector<int> codes(e.associated.begin(), e.associated.end());
            j["basic_codes"] = codes;
            j["basic_codes_rule"] = std::string(rule_name(e.associated.rule()));
            j["references"] = split_references(e.references);
            std::vector<std::string> classes;
            for (auto c : all_classes)
                if (e.classes.contains(c)) classes.emplace_back(class_name(c));
            j["classes"] = classes;
            j["deprecated"] = e.deprecated;
            out.write(json_line(j));
        }
        return exit_ok;
    }

    const palette p{ctx.out.color_out};
    table t({{"code"}, {"title"}, {"basic codes"}, {"classes"}, {"reference"}, {""}});
    auto lines_of = [](const std::string& text, std::size_t width) {
        std::vector<std::string> lines;
        const std::string wrapped = wrap(text, width, 0);
        std::size_t from = 0;
        while (from < wrapped.size()) {
            const std::size_t nl = std::min(wrapped.find('\n', from), wrapped.size());
            lines.push_back(wrapped.substr(from, nl - from));
            from = nl + 1;
        }
        return lines;
    };
    int subject = -1;
    for (const esc::registry_entry& e : esc::registry()) {
        if (static_cast<int>(e.subject) != subject && subject != -1) t.add({});
        subject = e.subject;
        // Long titles and code lists wrap within their columns.
        const auto title = lines_of(e.title.empty() ? std::string("(no title)") : std::string(e.title), 48);
        const auto codes = lines_of(basic_codes_text(e.associated), 24);
        const std::size_t rows = std::max(title.size(), codes.size());
        for (std::size_t i = 0; i < rows; ++i) {
            const bool first = i == 0;
            t.add({{first ? code_text(e) : "", p.code()},
                   {i < title.size() ? title[i] : ""},
                   {i < codes.size() ? codes[i] : ""},
                   {first ? classes_text(e.classes) : ""},
                   {first ? std::string(e.references) : ""},
                   {first && e.deprecated ? "deprecated" : "", p.warning()}});
        }
        if (long_form) {
            for (const std::string& line : lines_of(std::string(e.description), 64)) t.add({{""}, {line, p.label()}});
        }
    }
    out.write(t.render("", p.heading()));
    out.print("\n{} codes. Classes: 2 success, 4 transient failure, 5 permanent failure; a code is meant "
              "for the classes listed.\n",
              std::size(esc::registry()));
    return exit_ok;
}

} // namespace

subcommand add_list(CLI::App& app, const context& ctx) {
    auto* cmd = app.add_subcommand("list", "List the IANA registry of enhanced status codes (X.1.1, X.7.26, ...)");
    struct options {
        bool json = false;
        bool long_form = false;
    };
    auto opts = std::make_shared<options>();
    cmd->add_flag("--json", opts->json,
                  "One JSON object per code (JSON Lines): code, subject, detail, title, description, basic_codes, "
                  "basic_codes_rule, references, classes, deprecated");
    cmd->add_flag("-l,--long", opts->long_form, "Show each code's description under its title");
    cmd->footer("Example: esc list | grep -i tls");
    return {cmd, [&ctx, opts] { return run_list(ctx, opts->json, opts->long_form); }};
}

} // namespace esc_cli
