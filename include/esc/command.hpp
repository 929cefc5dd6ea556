// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The SMTP command a reply answers. The same basic code means different
// things after different commands: 552 after RCPT is "too many recipients"
// (RFC 5321 section 4.5.3.1.10), after the end of DATA "message too big".

#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"

ESC_BEGIN_NAMESPACE

enum class command : std::uint8_t {
    unknown,
    connect,     // the greeting, in reply to opening the connection
    helo,
    ehlo,
    starttls,
    auth,
    mail,        // MAIL FROM
    rcpt,        // RCPT TO
    data,        // the DATA command itself (354 or a refusal)
    end_of_data, // the final "." after the message (the delivery verdict)
    bdat,
    rset,
    vrfy,
    expn,
    help,
    noop,
    quit,
    etrn,
};

constexpr std::string_view to_string(command c) noexcept {
    switch (c) {
    case command::unknown: return "unknown";
    case command::connect: return "connect";
    case command::helo: return "helo";
    case command::ehlo: return "ehlo";
    case command::starttls: return "starttls";
    case command::auth: return "auth";
    case command::mail: return "mail";
    case command::rcpt: return "rcpt";
    case command::data: return "data";
    case command::end_of_data: return "end_of_data";
    case command::bdat: return "bdat";
    case command::rset: return "rset";
    case command::vrfy: return "vrfy";
    case command::expn: return "expn";
    case command::help: return "help";
    case command::noop: return "noop";
    case command::quit: return "quit";
    case command::etrn: return "etrn";
    }
    return "unknown";
}

namespace detail {

// "FROM" after MAIL, "TO" after RCPT: alone, or followed by blanks or the ':'
// of the command line ("FROM:<a@b> SIZE=100").
constexpr bool has_path_keyword(std::string_view rest, std::string_view keyword) noexcept {
    rest = trim_blanks(rest);
    if (rest.empty()) return true; // the bare verb
    if (rest.size() < keyword.size() || !iequals(rest.substr(0, keyword.size()), keyword)) return false;
    rest.remove_prefix(keyword.size());
    return rest.empty() || rest[0] == ':' || is_blank(rest[0]);
}

} // namespace detail

// Case-insensitive: the to_string() names, "eod"/"end-of-data"/"dot",
// "greeting"/"banner", and a command line as a client sends it: the SMTP
// verb with or without its arguments ("RCPT TO:", "MAIL FROM:<a@b> SIZE=10",
// "BDAT 100 LAST", "EHLO client.example", a CRLF at the end). LMTP's LHLO
// (RFC 2033) is EHLO's counterpart, and reads as command::ehlo.
constexpr std::optional<command> parse_command(std::string_view s) noexcept {
    using detail::iequals;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    s = detail::trim_blanks(s);
    constexpr command all[] = {command::unknown, command::connect, command::helo, command::ehlo, command::starttls,
                               command::auth, command::mail, command::rcpt, command::data, command::end_of_data,
                               command::bdat, command::rset, command::vrfy, command::expn, command::help,
                               command::noop, command::quit, command::etrn};
    for (command c : all)
        if (iequals(s, to_string(c))) return c;
    if (iequals(s, "eod") || iequals(s, "end-of-data") || iequals(s, "end of data") || iequals(s, "dot"))
        return command::end_of_data;
    if (iequals(s, "greeting") || iequals(s, "banner")) return command::connect;

    std::size_t end = 0;
    while (end < s.size() && detail::is_alpha(s[end])) ++end;
    const std::string_view verb = s.substr(0, end), rest = s.substr(end);
    if (verb.empty() || (!rest.empty() && !detail::is_blank(rest[0]))) return std::nullopt; // "RCPTX", "MAIL:"
    if (iequals(verb, "mail")) return detail::has_path_keyword(rest, "from") ? std::optional<command>(command::mail) : std::nullopt;
    if (iequals(verb, "rcpt")) return detail::has_path_keyword(rest, "to") ? std::optional<command>(command::rcpt) : std::nullopt;
    struct verb_command {
        std::string_view verb;
        command cmd;
    };
    using namespace std::string_view_literals; // a length, not a count at compile time
    constexpr verb_command verbs[] = {
        {"helo"sv, command::helo}, {"ehlo"sv, command::ehlo}, {"lhlo"sv, command::ehlo},
        {"starttls"sv, command::starttls}, {"auth"sv, command::auth}, {"data"sv, command::data},
        {"bdat"sv, command::bdat}, {"rset"sv, command::rset}, {"vrfy"sv, command::vrfy},
        {"expn"sv, command::expn}, {"help"sv, command::help}, {"noop"sv, command::noop},
        {"quit"sv, command::quit}, {"etrn"sv, command::etrn},
    };
    for (const verb_command& v : verbs)
        if (iequals(verb, v.verb)) return v.cmd;
    return std::nullopt;
}

ESC_END_NAMESPACE
