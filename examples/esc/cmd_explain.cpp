// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc explain: everything esc knows about a code or a reply, for a person.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <esc/ehlo.hpp>
#include <esc/classify.hpp>
#include <esc/reason.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>

#include "cli.hpp"
#include "records.hpp"

namespace esc_cli {

namespace {

constexpr esc::status_class all_classes[] = {esc::status_class::success, esc::status_class::transient,
                                             esc::status_class::permanent};

// The rows of one explanation: a label, then a code and its text, or a text
// alone. A row's text wraps under its own start; more() continues it.
class sheet {
public:
    explicit sheet(const context& ctx)
        : p_{ctx.out.color_out}, width_(static_cast<std::size_t>(ctx.out.width)) {} // 0: not a terminal, no wrapping

    void row(std::string label, std::string code, std::string text, fmt::text_style style = {}) {
        rows_.push_back({std::move(label), std::move(code), std::move(text), style, false});
    }
    // More text under the previous row's text.
    void more(std::string text, fmt::text_style style = {}) {
        rows_.push_back({"", "", std::move(text), style, true});
    }

    const palette& colors() const { return p_; }

    std::string render() const {
        std::size_t label_width = 0, code_width = 0;
        for (const auto& r : rows_) {
            label_width = std::max(label_width, display_width(r.label));
            code_width = std::max(code_width, display_width(r.code));
        }
        std::string out;
        bool previous_had_code = false;
        for (const auto& r : rows_) {
            const bool with_code = !r.code.empty() || (r.continued && previous_had_code);
            if (!r.continued) previous_had_code = !r.code.empty();
            const std::size_t indent = 2 + label_width + 2 + (with_code ? code_width + 2 : 0);
            std::size_t text_width = width_ == 0 ? 0 : width_ > indent ? width_ - indent : 0;
            std::string line = "  " + paint(r.label, p_.label()) + std::string(label_width - display_width(r.label) + 2, ' ');
            if (with_code)
                line += paint(r.code, p_.code()) + std::string(code_width - display_width(r.code) + 2, ' ');
            if (width_ != 0 && text_width < 24) {
                // Too narrow beside the label and the code: the text goes under them, indented.
                while (!line.empty() && line.back() == ' ') line.pop_back();
                if (!line.empty()) out += line + "\n";
                out += paint(indented(r.text, width_, 4), r.style) + "\n";
                continue;
            }
            const std::string wrapped = wrap(r.text, text_width, 0);
            std::size_t from = 0;
            do {
                const std::size_t nl = std::min(wrapped.find('\n', from), wrapped.size());
                if (from != 0) line = std::string(indent, ' ');
                line += paint(std::string_view(wrapped).substr(from, nl - from), r.style);
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out += line + "\n";
                from = nl + 1;
            } while (from < wrapped.size());
        }
        return out;
    }

private:
    struct entry {
        std::string label, code, text;
        fmt::text_style style;
        bool continued;
    };
    palette p_;
    std::size_t width_;
    std::vector<entry> rows_;
};

void status_rows(sheet& s, esc::status_code status, bool with_class) {
    if (with_class)
        s.row("class", fmt::format("{}.XXX.YYY", static_cast<int>(status.cls)),
              std::string(esc::title(status.cls)));
    const std::string_view subject_title = esc::title(esc::subject_of(status));
    s.row("subject", fmt::format("X.{}.YYY", status.subject),
          subject_title.empty() ? std::string("not a subject the registry defines") : std::string(subject_title));
    const std::string detail = fmt::format("X.{}.{}", status.subject, status.detail);
    const esc::registry_entry* e = esc::lookup(status);
    if (e == nullptr) {
        s.row("detail", detail, "not in the IANA registry (a vendor's code); read it by its subject",
              s.colors().warning());
        return;
    }
    s.row("detail", detail, e->title.empty() ? std::string("(no title)") : std::string(e->title));
    s.more(std::string(e->description));
    s.row("basic codes", "", basic_codes_text(e->associated));
    s.row("meant for", "", classes_text(e->classes, ", "));
    s.row("reference", "", std::string(e->references));
    if (e->deprecated) s.row("deprecated", "", "yes: the registry keeps it for history only", s.colors().warning());
}

std::string_view verdict_words(esc::verdict v) {
    switch (v) {
    case esc::verdict::hard: return "the address is gone; suppress it";
    case esc::verdict::soft: return "the address is fine; retry or change the message or the sending";
    case esc::verdict::undetermined: return "nothing tells whether the address is good";
    case esc::verdict::none: break;
    }
    return "not a failure";
}

void classification_rows(sheet& s, const esc::classification& c) {
    s.row("outcome", "", std::string(esc::to_string(c.outcome)), s.colors().outcome(c.outcome));
    s.row("reason", "", std::string(esc::to_string(c.reason)), s.colors().heading());
    if (c.reason != esc::reason::none) {
        s.row("decided by", "", why_text(c.why));
        if (!c.why.source.empty()) s.row("source", "", printable(c.why.source));
        s.row("address", "", fmt::format("{}: {}", esc::to_string(c.verdict), verdict_words(c.verdict)));
    }
    s.row("next step", "", std::string(esc::advice(c.outcome, c.reason)));
}

void reply_code_rows(sheet& s, esc::reply_code code) {
    const esc::reply_code_entry* e = esc::lookup(code);
    s.row("reply code", std::to_string(esc::to_int(code)),
          e != nullptr ? std::string(e->meaning) : "not defined by any RFC; read it by its class");
    const auto cls = esc::class_of(code);
    std::string classes = fmt::format("{}yz {}", static_cast<int>(cls), esc::title(cls));
    if (esc::is_valid(code))
        classes += fmt::format("; x{}z {}", static_cast<int>(esc::category_of(code)), esc::title(esc::category_of(code)));
    if (e != nullptr && !e->reference.empty()) classes += " (" + std::string(e->reference) + ")";
    s.more(classes);
}

void warning_rows(sheet& s, const record_analysis& a) {
    bool first = true;
    for (const std::string& w : a.warnings) {
        if (w == "unregistered") continue; // the detail row says so
        s.row(first ? "warnings" : "", "", "! " + warning_message(w, a.code, a.status), s.colors().warning());
        first = false;
    }
}

// A 250 of more than one line after EHLO (or after an unknown command, when
// its lines after the first read as extension keywords): what the server offers.
void ehlo_rows(sheet& s, const esc::reply& r, esc::command cmd) {
    if (cmd != esc::command::ehlo && cmd != esc::command::unknown) return;
    const esc::ehlo_info e = esc::parse_ehlo(r);
    if (!e.ok || r.line_count < 2 || (cmd == esc::command::unknown && e.offered == 0)) return;
    s.row("EHLO", "", fmt::format("the server calls itself {}", printable(e.domain)));
    bool first = true;
    for (const esc::ehlo_capability c : e.capabilities()) {
        std::string what = printable(c.keyword);
        if (!c.params.empty()) what += (c.old_auth_form ? "=" : " ") + printable(c.params);
        if (c.known == esc::ehlo_keyword::unknown) what += " (an extension esc does not know)";
        else if (c.known == esc::ehlo_keyword::size)
            what += e.max_size == 0 ? " (no fixed limit)" : fmt::format(" (messages up to {} octets)", e.max_size);
        s.row(first ? "offers" : "", "", what);
        first = false;
    }
}

// A reply (parsed, or found in text): the codes, the pair's consistency, the classification.
void explain_reply(sheet& s, const esc::reply& r, const record_analysis& a, esc::command cmd) {
    reply_code_rows(s, r.code);
    if (r.status) {
        s.row("status", std::string(esc::to_string(*r.status)), "as sent");
        status_rows(s, *r.status, true);
    } else {
        // What classify() assumed: default_status(), except where the RFCs say more
        // (552 after RCPT is "too many recipients", 4.5.3).
        const esc::status_code inferred =
            esc::is_valid(a.result.status) ? a.result.status : esc::default_status(r.code, cmd);
        s.row("status", std::string(esc::to_string(inferred)),
              fmt::format("inferred: the reply carries no enhanced code{}",
                          cmd == esc::command::unknown ? "" : fmt::format(" (after {})", esc::to_string(cmd))));
        if (esc::is_valid(inferred)) status_rows(s, inferred, true);
    }
    warning_rows(s, a);
    classification_rows(s, a.result);
    ehlo_rows(s, r, cmd);
}

// What is wrong with an argument written as a status code (digits and dots,
// or X.s.d) that parse_status() refused, in RFC 3463's terms; empty when it is
// not written as one.
std::string status_problem(std::string_view text) {
    if (text.empty() || text.find('.') == std::string_view::npos) return {};
    for (char c : text)
        if (!(c == '.' || (c >= '0' && c <= '9') || c == 'X' || c == 'x')) return {};
    std::vector<std::string_view> parts;
    for (std::size_t from = 0;;) {
        const std::size_t dot = text.find('.', from);
        parts.push_back(text.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from));
        if (dot == std::string_view::npos) break;
        from = dot + 1;
    }
    const std::string shown = printable(text);
    if (parts.size() != 3)
        return fmt::format("{} is not a status code: it has {} part{}, and a status code has three, "
                           "class.subject.detail (5.1.1, RFC 3463)",
                           shown, parts.size(), parts.size() == 1 ? "" : "s");
    const char* names[] = {"class", "subject", "detail"};
    std::string fixed;
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string_view p = parts[i];
        if (p.empty()) return fmt::format("{} is not a status code: its {} is empty", shown, names[i]);
        const bool x = p == "X" || p == "x";
        if (x && i == 0) continue;
        for (char c : p)
            if (c < '0' || c > '9')
                return fmt::format("{} is not a status code: its {} '{}' is not a number", shown, names[i], p);
    }
    const std::string_view cls = parts[0];
    if (cls != "X" && cls != "x" && cls != "2" && cls != "4" && cls != "5")
        return fmt::format("{} is not a status code: the class {} must be 2 (success), 4 (transient failure) or 5 "
                           "(permanent failure) (RFC 3463 section 3.1)",
                           shown, cls);
    for (std::size_t i = 1; i < 3; ++i) {
        const std::string_view p = parts[i];
        if (p.size() > 3)
            return fmt::format("{} is not a status code: the {} {} has more than three digits (RFC 3463 allows 0 "
                               "to 999)",
                               shown, names[i], p);
        if (p.size() > 1 && p[0] == '0') {
            std::string_view digits = p;
            while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
            std::string meant = std::string(parts[0]);
            for (std::size_t k = 1; k < 3; ++k) {
                std::string_view d = parts[k];
                while (d.size() > 1 && d[0] == '0') d.remove_prefix(1);
                meant += "." + std::string(d);
            }
            return fmt::format("{} is not a status code: the {} {} has a leading zero, which RFC 3463 does not "
                               "allow; did you mean {}?",
                               shown, names[i], p, meant);
        }
    }
    return {};
}

// The first line of an explanation: a code and its title, or a reply; wrapped
// (lines after the first indented) on a terminal too narrow for it.
void print_heading(writer& out, const context& ctx, std::string_view first, fmt::text_style first_style,
                   std::string_view second = {}, fmt::text_style second_style = {}) {
    const auto width = static_cast<std::size_t>(ctx.out.width);
    const std::size_t whole = display_width(first) + (second.empty() ? 0 : 2 + display_width(second));
    if (width == 0 || whole <= width) {
        if (second.empty()) out.print("{}\n", fmt::styled(first, first_style));
        else out.print("{}  {}\n", fmt::styled(first, first_style), fmt::styled(second, second_style));
        return;
    }
    std::string text(first);
    if (!second.empty()) text += "  " + std::string(second);
    out.print("{}\n", fmt::styled(wrap(text, width, 2), first_style));
}

bool explain_one(const context& ctx, writer& out, std::string_view arg, esc::command cmd) {
    sheet s(ctx);
    const palette& p = s.colors();
    std::string trimmed(arg);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.pop_back();
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(0, 1);
    const std::string_view text = trimmed;
    std::string heading = printable(text);

    // X.7.26: a registry entry, whatever the class.
    if (text.size() >= 5 && (text[0] == 'X' || text[0] == 'x') && text[1] == '.') {
        const std::string as_permanent = "5" + std::string(text.substr(1));
        if (const auto st = esc::parse_status(as_permanent)) {
            heading = fmt::format("X.{}.{}", st->subject, st->detail);
            const esc::registry_entry* e = esc::lookup(*st);
            print_heading(out, ctx, heading, p.code(),
                          e != nullptr ? std::string(e->title) : std::string(esc::describe(*st)), p.heading());
            status_rows(s, *st, false);
            if (e != nullptr) {
                for (auto c : all_classes) {
                    if (!e->classes.contains(c)) continue;
                    const esc::status_code code{c, st->subject, st->detail};
                    const esc::classification r = esc::classify(esc::to_string(code).view(), cmd);
                    s.row(fmt::format("as {}", esc::to_string(code).view()), "",
                          fmt::format("{}, {}: {}", esc::to_string(r.outcome), esc::to_string(r.reason),
                                      esc::advice(r.outcome, r.reason)),
                          p.outcome(r.outcome));
                }
            }
            out.write(s.render());
            return true;
        }
    }

    // 5.1.1: one status code.
    if (const auto st = esc::parse_status(text)) {
        print_heading(out, ctx, heading, p.code(), esc::describe(*st), p.heading());
        status_rows(s, *st, true);
        record_analysis a;
        a.status = st;
        a.warnings = warning_names(nullptr, std::nullopt, st);
        warning_rows(s, a);
        esc::reply bare;
        bare.status = st;
        classification_rows(s, ctx.rules ? esc::classify(bare, *ctx.rules, cmd) : esc::classify(bare, cmd));
        out.write(s.render());
        return true;
    }

    if (const std::string problem = status_problem(text); !problem.empty()) {
        error(ctx.out, problem);
        return false;
    }
    const bool all_digits =
        !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (all_digits && text.size() != 3) {
        error(ctx.out, fmt::format("{} is not a reply code: a reply code has three digits (550, RFC 5321 section "
                                   "4.2); a status code has three parts (5.1.1)",
                                   heading));
        return false;
    }

    // 550: a basic reply code alone.
    if (text.size() == 3 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const auto code = static_cast<esc::reply_code>(std::stoi(std::string(text)));
        if (!esc::has_reply_class(code)) {
            error(ctx.out, fmt::format("{} is not a reply code: the first digit must be 2, 3, 4 or 5 (RFC 5321 "
                                       "section 4.2.1)",
                                       heading));
            return false;
        }
        print_heading(out, ctx, heading, p.code());
        esc::reply r;
        r.code = code;
        const record_analysis a = analyse_reply(r, cmd, ctx.rules.get());
        explain_reply(s, r, a, cmd);
        out.write(s.render());
        return true;
    }

    // A whole reply, or text quoting one.
    const esc::parsed_reply parsed = esc::parse_reply_text(text);
    if (parsed && parsed.offset == text.size()) {
        print_heading(out, ctx, printable(one_line(parsed.reply)), p.code());
        explain_reply(s, parsed.reply, analyse_reply(parsed.reply, cmd, ctx.rules.get()), cmd);
        out.write(s.render());
        return true;
    }
    if (const auto found = esc::find_reply(text)) {
        print_heading(out, ctx, heading, p.heading());
        s.row("found", "", printable(one_line(*found)), p.code());
        const record_analysis a = analyse_text(text, cmd, ctx.rules.get());
        explain_reply(s, *found, a, cmd);
        out.write(s.render());
        return true;
    }
    if (const auto m = esc::find_status(text)) {
        print_heading(out, ctx, heading, p.heading());
        s.row("found", std::string(esc::to_string(m->status)), std::string(esc::describe(m->status)));
        status_rows(s, m->status, true);
        const record_analysis a = analyse_text(text, cmd, ctx.rules.get());
        warning_rows(s, a);
        classification_rows(s, a.result);
        out.write(s.render());
        return true;
    }
    error(ctx.out, fmt::format("cannot find a status code (5.1.1), a reply code (550) or a reply in '{}'", heading));
    return false;
}

// `explain --json`: one object per argument, the same reading as the text.
nlohmann::ordered_json explain_json(const context& ctx, std::string_view arg, esc::command cmd, bool& understood) {
    using json = nlohmann::ordered_json;
    std::string trimmed(arg);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.pop_back();
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(0, 1);
    const std::string_view text = trimmed;
    json j;
    j["input"] = printable(arg);
    j["kind"] = "invalid";
    j["reply_code"] = nullptr;
    j["status"] = nullptr;
    j["effective_status"] = nullptr;
    j["inferred"] = false;
    j["title"] = nullptr;
    j["description"] = nullptr;
    j["outcome"] = nullptr;
    j["reason"] = nullptr;
    j["verdict"] = nullptr;
    j["why"] = nullptr;
    j["advice"] = nullptr;
    j["warnings"] = json::array();
    j["error"] = nullptr;
    understood = true;
    auto entry = [&](esc::status_code st) {
        j["title"] = std::string(esc::describe(st));
        if (const esc::registry_entry* e = esc::lookup(st)) j["description"] = std::string(e->description);
    };
    auto classified = [&](const record_analysis& a) {
        if (a.code) j["reply_code"] = esc::to_int(*a.code);
        if (a.status) j["status"] = std::string(esc::to_string(*a.status));
        const esc::classification& c = a.result;
        if (esc::is_valid(c.status)) {
            j["effective_status"] = std::string(esc::to_string(c.status));
            j["inferred"] = c.inferred;
            entry(c.status);
        }
        j["outcome"] = std::string(esc::to_string(c.outcome));
        j["reason"] = std::string(esc::to_string(c.reason));
        j["verdict"] = std::string(esc::to_string(c.verdict));
        j["why"] = why_json(c.why);
        j["advice"] = std::string(esc::advice(c.outcome, c.reason));
        j["warnings"] = a.warnings;
    };
    auto invalid = [&](std::string message) {
        j["error"] = std::move(message);
        understood = false;
        return j;
    };
    if (text.size() >= 5 && (text[0] == 'X' || text[0] == 'x') && text[1] == '.') {
        if (const auto st = esc::parse_status("5" + std::string(text.substr(1)))) {
            j["kind"] = "registry_entry";
            j["status"] = fmt::format("X.{}.{}", st->subject, st->detail);
            entry(*st);
            return j;
        }
    }
    if (const auto st = esc::parse_status(text)) {
        j["kind"] = "status";
        record_analysis a;
        a.status = st;
        a.warnings = warning_names(nullptr, std::nullopt, st);
        esc::reply bare;
        bare.status = st;
        a.result = ctx.rules ? esc::classify(bare, *ctx.rules, cmd) : esc::classify(bare, cmd);
        classified(a);
        return j;
    }
    if (std::string problem = status_problem(text); !problem.empty()) return invalid(std::move(problem));
    const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && text.size() != 3) return invalid(fmt::format("{} is not a reply code: a reply code has three digits", printable(text)));
    if (digits) {
        const auto code = static_cast<esc::reply_code>(std::stoi(std::string(text)));
        if (!esc::has_reply_class(code))
            return invalid(fmt::format("{} is not a reply code: the first digit must be 2, 3, 4 or 5", printable(text)));
        j["kind"] = "reply_code";
        esc::reply r;
        r.code = code;
        classified(analyse_reply(r, cmd, ctx.rules.get()));
        return j;
    }
    const esc::parsed_reply parsed = esc::parse_reply_text(text);
    if (parsed && parsed.offset == text.size()) {
        j["kind"] = "reply";
        classified(analyse_reply(parsed.reply, cmd, ctx.rules.get()));
        return j;
    }
    if (esc::find_reply(text) || esc::find_status(text)) {
        j["kind"] = "text";
        classified(analyse_text(text, cmd, ctx.rules.get()));
        return j;
    }
    return invalid(fmt::format("cannot find a status code (5.1.1), a reply code (550) or a reply in '{}'", printable(text)));
}

int run_explain(const context& ctx, const std::vector<std::string>& args, const std::string& command_name, bool json) {
    const esc::command cmd = command_from(command_name).value_or(esc::command::unknown);
    writer out(stdout);
    bool all_understood = true;
    bool first = true;
    if (json) {
        for (const std::string& arg : args) {
            bool understood = true;
            out.write(json_line(explain_json(ctx, arg, cmd, understood)));
            out.end_record();
            all_understood = all_understood && understood;
        }
        return all_understood ? exit_ok : exit_not_understood;
    }
    for (const std::string& arg : args) {
        if (!first) out.write("\n");
        first = false;
        if (!explain_one(ctx, out, arg, cmd)) all_understood = false;
        out.flush();
    }
    return all_understood ? exit_ok : exit_not_understood;
}

} // namespace

subcommand add_explain(CLI::App& app, const context& ctx) {
    auto* cmd = app.add_subcommand("explain", "Explain status codes, reply codes or whole replies");
    struct options {
        std::vector<std::string> args;
        std::string command;
        bool json = false;
    };
    auto opts = std::make_shared<options>();
    cmd->add_option("ARG", opts->args,
                    "A status code (5.1.1), a registry entry (X.7.26), a reply code (550), or a whole reply or text "
                    "quoting one, in quotes ('550 5.1.1 User unknown')")
        ->required();
    add_command_option(*cmd, opts->command);
    cmd->add_flag("--json", opts->json,
                  "One JSON object per ARG (JSON Lines): input, kind (status, registry_entry, reply_code, reply, text "
                  "or invalid), reply_code, status, effective_status, inferred, title, description, outcome, reason, "
                  "verdict, why, advice, warnings, error");
    cmd->footer("Examples:\n  esc explain 5.1.1 X.7.26 421\n  esc explain '550 4.1.1 Mailbox unavailable'\n"
                "  esc explain --command rcpt 552");
    return {cmd, [&ctx, opts] { return run_explain(ctx, opts->args, opts->command, opts->json); }};
}

} // namespace esc_cli
