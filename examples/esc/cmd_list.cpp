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
    // On a terminal the title, basic codes and references wrap within their
    // columns to fit its width; into a pipe each code stays on one line (grep).
    table t({{"code"}, {"title", table::align::left, true}, {"basic codes", table::align::left, true}, {"classes"},
             {"reference", table::align::left, true}, {""}});
    int subject = -1;
    for (const esc::registry_entry& e : esc::registry()) {
        if (static_cast<int>(e.subject) != subject && subject != -1) t.add({});
        subject = e.subject;
        t.add({{code_text(e), p.code()},
               {e.title.empty() ? std::string("(no title)") : std::string(e.title)},
               {basic_codes_text(e.associated)},
               {classes_text(e.classes)},
               {std::string(e.references)},
               {e.deprecated ? "deprecated" : "", p.warning()}});
        if (long_form) t.add_span(1, {std::string(e.description), p.label()});
    }
    const auto width = static_cast<std::size_t>(ctx.out.width);
    if (width != 0 && width < 80) {
        // Too narrow for the table's five columns: each code as a short paragraph.
        int last_subject = -1;
        for (const esc::registry_entry& e : esc::registry()) {
            if (static_cast<int>(e.subject) != last_subject && last_subject != -1) out.write("\n");
            last_subject = e.subject;
            const std::string code = code_text(e);
            const std::string title =
                indented(e.title.empty() ? std::string("(no title)") : std::string(e.title), width, 8).substr(8);
            out.print("{}{}{}\n", paint(code, p.code()), std::string(8 - std::min<std::size_t>(7, code.size()), ' '),
                      title);
            std::string facts = fmt::format("basic codes {}; classes {}; {}{}", basic_codes_text(e.associated),
                                            classes_text(e.classes), e.references,
                                            e.deprecated ? "; deprecated" : "");
            out.print("{}\n", paint(indented(facts, width, 8), p.label()));
            if (long_form) out.print("{}\n", indented(e.description, width, 8));
        }
    } else {
        out.write(t.render("", p.heading(), true, width));
    }
    out.write(wrap(fmt::format("\n{} codes. Classes: 2 success, 4 transient failure, 5 permanent failure; a code is "
                               "meant for the classes listed.",
                               std::size(esc::registry())),
                   width, 0) +
              "\n");
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
