// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "records.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <esc/registry.hpp>

#include "output.hpp"

namespace esc_cli {

std::string class_word(int cls) {
    switch (cls) {
    case 2: return "success";
    case 3: return "intermediate";
    case 4: return "transient failure";
    case 5: return "permanent failure";
    default: return "unknown";
    }
}

std::string basic_codes_text(const esc::basic_codes& codes) {
    switch (codes.rule()) {
    case esc::pairing_rule::any: return "any";
    case esc::pairing_rule::any_permanent: return "any 5XX";
    default: break;
    }
    std::string s;
    for (std::uint16_t c : codes) s += (s.empty() ? "" : ", ") + std::to_string(c);
    if (codes.rule() == esc::pairing_rule::listed_or_any_failure) s += ", or any other 4XX/5XX";
    return s.empty() ? "not given by the registry" : s;
}

std::string classes_text(const esc::class_set& set, std::string_view joiner) {
    std::string s;
    for (auto c : {esc::status_class::success, esc::status_class::transient, esc::status_class::permanent}) {
        if (!set.contains(c)) continue;
        if (!s.empty()) s += joiner;
        s += fmt::format("{} ({}.XXX.YYY)", class_word(static_cast<int>(c)), static_cast<int>(c));
    }
    return s;
}


std::string warning_message(std::string_view name, std::optional<esc::reply_code> code,
                            std::optional<esc::status_code> status) {
    const std::string s = status ? std::string(esc::to_string(*status)) : std::string("?");
    const std::string detail = status ? fmt::format("X.{}.{}", status->subject, status->detail) : "?";
    const int reply = code ? esc::to_int(*code) : 0;
    if (name == "code_outside_grammar")
        return fmt::format("{} is outside RFC 5321's reply code grammar (servers send it anyway)", reply);
    if (name == "class_mismatch")
        return fmt::format("class mismatch: {} is a {} reply but {} a {} status (RFC 3463 wants them to agree)", reply,
                           class_word(reply / 100), s, class_word(status ? static_cast<int>(status->cls) : 0));
    if (name == "unlisted_pairing") {
        const esc::registry_entry* e = status ? esc::lookup(*status) : nullptr;
        return fmt::format("the registry does not pair {} with {} (it lists {})", reply, detail,
                           e != nullptr ? basic_codes_text(e->associated) : "none");
    }
    if (name == "not_meaningful") {
        const esc::registry_entry* e = status ? esc::lookup(*status) : nullptr;
        return fmt::format("{} is meant for {} only, not for a {}", detail,
                           e != nullptr ? classes_text(e->classes, " and ") : "other classes",
                           class_word(status ? static_cast<int>(status->cls) : 0));
    }
    if (name == "unregistered")
        return fmt::format("{} is not in the IANA registry (a vendor's code); read it by its subject", s);
    if (name == "status_differs") return "the lines of the reply carry different enhanced codes; the first one counts";
    if (name == "status_on_some_lines") return "only some lines carry an enhanced code (RFC 2034: every line should)";
    if (name == "line_too_long") return "a line is longer than 512 octets (RFC 5321 section 4.5.3.1.5)";
    if (name == "nul_in_text") return "a NUL octet inside the text (C strings and some logs stop there)";
    if (name == "incomplete") return "the reply stops before its last line end; more bytes were expected";
    if (name == "invalid_utf8") return "the text is not valid UTF-8 (shown with U+FFFD)";
    if (name == "truncated") return "the reply ends after a continuation line (\"550-...\") without its last line";
    if (name == "mixed_codes") return "the lines of the reply carry different reply codes";
    if (name == "bare_cr") return "a CR without LF inside the reply";
    if (name == "bad_code") return "the reply code is outside 200..599 or not followed by a space or '-'";
    return std::string(name);
}

std::string one_line(const esc::reply& r) {
    std::string out = std::to_string(esc::to_int(r.code));
    if (r.status) out += " " + std::string(esc::to_string(*r.status));
    std::string text;
    for (std::string_view t : esc::lines(r)) {
        if (!text.empty()) text += ' ';
        text.append(t.data(), t.size());
    }
    if (!text.empty()) out += " " + text;
    return out;
}

record_analysis analyse_reply(const esc::reply& r, esc::command cmd, const esc::rule_set* rules) {
    record_analysis a;
    a.code = r.code;
    a.status = r.status;
    a.result = rules != nullptr ? esc::classify(r, *rules, cmd) : esc::classify(r, cmd);
    a.warnings = warning_names(&r.warnings, a.code, a.status);
    return a;
}

record_analysis analyse_parse_error(esc::reply_error e) {
    record_analysis a;
    a.warnings.emplace_back(esc::to_string(e));
    return a;
}

record_analysis analyse_text(std::string_view text, esc::command cmd, const esc::rule_set* rules) {
    record_analysis a;
    if (const std::optional<esc::reply> r = esc::find_reply(text)) {
        a.code = r->code;
        a.status = r->status;
        a.warnings = warning_names(&r->warnings, a.code, a.status);
    } else if (const std::optional<esc::status_match> m = esc::find_status(text)) {
        a.status = m->status;
        a.warnings = warning_names(nullptr, std::nullopt, a.status);
    }
    a.result = rules != nullptr ? esc::classify(text, *rules, cmd) : esc::classify(text, cmd);
    return a;
}

nlohmann::ordered_json text_or_null(std::string_view text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(printable(text));
}

nlohmann::ordered_json why_json(std::string_view by, std::string_view text, std::string_view rule,
                                std::string_view provider, std::string_view source) {
    nlohmann::ordered_json j;
    j["by"] = std::string(by);
    j["text"] = text_or_null(text);
    j["rule"] = text_or_null(rule);
    j["provider"] = text_or_null(provider);
    j["source"] = text_or_null(source);
    return j;
}

nlohmann::ordered_json why_json(const esc::explanation& why) {
    return why_json(esc::to_string(why.by), why.text, why.rule, why.provider, why.source);
}

std::string why_text(const esc::explanation& why) {
    std::string out;
    switch (why.by) {
    case esc::decided_by::nothing: return "nothing in the reply names a reason";
    case esc::decided_by::user_rule: out = "your rule"; break;
    case esc::decided_by::provider_rule: out = "provider rule"; break;
    case esc::decided_by::enhanced_code: out = "the enhanced code"; break;
    case esc::decided_by::phrase: out = "the phrase"; break;
    case esc::decided_by::basic_code: out = "the reply code"; break;
    case esc::decided_by::command: out = "the reply code after the command"; break;
    case esc::decided_by::report: out = "the delivery report's own verdict (its Action, or its prose)"; break;
    }
    if (why.by == esc::decided_by::provider_rule && !why.provider.empty()) out += fmt::format(" ({})", why.provider);
    if (!why.rule.empty()) out += fmt::format(" '{}'", printable(why.rule));
    if (!why.text.empty() && why.text != why.rule) out += fmt::format(", read in \"{}\"", printable(why.text));
    else if (!why.text.empty() && why.rule.empty()) out += fmt::format(" {}", printable(why.text));
    return out;
}

nlohmann::ordered_json classify_json(std::string_view file, std::uint64_t line, std::string_view input,
                                     const record_analysis& a) {
    nlohmann::ordered_json j;
    j["file"] = printable(file);
    j["line"] = line;
    j["input"] = std::string(input);
    j["reply_code"] = a.code ? nlohmann::ordered_json(esc::to_int(*a.code)) : nlohmann::ordered_json(nullptr);
    j["status"] = a.status ? nlohmann::ordered_json(std::string(esc::to_string(*a.status)))
                           : nlohmann::ordered_json(nullptr);
    const bool known = esc::is_valid(a.result.status);
    j["effective_status"] = known ? nlohmann::ordered_json(std::string(esc::to_string(a.result.status)))
                                  : nlohmann::ordered_json(nullptr);
    j["inferred"] = known && a.result.inferred;
    j["outcome"] = std::string(esc::to_string(a.result.outcome));
    j["reason"] = std::string(esc::to_string(a.result.reason));
    j["verdict"] = std::string(esc::to_string(a.result.verdict));
    j["why"] = why_json(a.result.why);
    j["description"] = known ? nlohmann::ordered_json(std::string(esc::describe(a.result.status)))
                             : nlohmann::ordered_json(nullptr);
    j["warnings"] = a.warnings;
    return j;
}

} // namespace esc_cli
