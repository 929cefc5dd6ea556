// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// A reply or a piece of text, read with the library: the codes found, the
// classification, and what is odd about it. Shared by explain and classify.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <esc/classify.hpp>
#include <esc/rules.hpp>
#include <esc/command.hpp>
#include <esc/pairing.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>

#include "conventions.hpp"

#include <nlohmann/json.hpp>

namespace esc_cli {

struct record_analysis {
    std::optional<esc::reply_code> code;     // the basic code found
    std::optional<esc::status_code> status;  // the enhanced code literally present
    esc::classification result;              // status: `status`, else inferred
    std::vector<std::string> warnings;       // machine names, see warning_names()
    bool understood() const noexcept { return result.outcome != esc::outcome::unknown; }
};

// A reply as parse_reply() returned it.
record_analysis analyse_reply(const esc::reply& r, esc::command cmd, const esc::rule_set* rules = nullptr);
// A reply that failed to parse: its error becomes a warning, nothing is classified.
record_analysis analyse_parse_error(esc::reply_error e);
// Free text quoting a reply or a status code somewhere (find_reply, then find_status).
record_analysis analyse_text(std::string_view text, esc::command cmd, const esc::rule_set* rules = nullptr);

// The warnings' names come from warning_names() (conventions.hpp): the
// reply's own (reply_warnings; bare_lf is left out: a file's line ends say
// nothing about the wire) and check_consistency()'s for the pair.
// A sentence for a person about one of those warnings.
std::string warning_message(std::string_view name, std::optional<esc::reply_code> code,
                            std::optional<esc::status_code> status);

// Words for people, shared by explain and the warnings: "permanent failure"
// for a class digit; a registry entry's basic codes ("451, 550", "any 5XX");
// its meaningful classes ("transient failure (4.XXX.YYY), permanent ...").
std::string class_word(int cls);
std::string basic_codes_text(const esc::basic_codes& codes);
std::string classes_text(const esc::class_set& set, std::string_view joiner);

// "551 5.1.1 text text" for a multi-line reply: the code, the status, the lines' texts joined.
std::string one_line(const esc::reply& r);

// The JSON Lines object of `esc classify --json` (keys in the documented order).
// `file` and `line` say where the record is (its first line).
nlohmann::ordered_json classify_json(std::string_view file, std::uint64_t line, std::string_view input,
                                     const record_analysis& a);
// A JSON string of the text (printable()), or null when it is empty.
nlohmann::ordered_json text_or_null(std::string_view text);
// The "why" object of the JSON records: what decided the reason, and where.
nlohmann::ordered_json why_json(std::string_view by, std::string_view text, std::string_view rule,
                                std::string_view provider, std::string_view source);
nlohmann::ordered_json why_json(const esc::explanation& why);
// "provider rule (microsoft): 5.7.606-5.7.649" and the like, for people.
std::string why_text(const esc::explanation& why);

} // namespace esc_cli
