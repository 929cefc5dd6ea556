// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The SMTP command a reply answers. The same basic code means different
// things after different commands: 552 after RCPT is "too many recipients"
// (RFC 5321 section 4.5.3.1.10), after the end of DATA "message too big".

#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/ascii.hpp"

namespace esc {

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

// Case-insensitive: the to_string() names, the SMTP verbs ("RCPT", "MAIL"),
// their long forms ("RCPT TO", "MAIL FROM") and "eod"/"end-of-data"/"dot".
constexpr std::optional<command> parse_command(std::string_view s) noexcept {
    using detail::iequals;
    constexpr command all[] = {command::unknown, command::connect, command::helo, command::ehlo, command::starttls,
                               command::auth, command::mail, command::rcpt, command::data, command::end_of_data,
                               command::bdat, command::rset, command::vrfy, command::expn, command::help,
                               command::noop, command::quit, command::etrn};
    for (command c : all)
        if (iequals(s, to_string(c))) return c;
    if (iequals(s, "mail from")) return command::mail;
    if (iequals(s, "rcpt to")) return command::rcpt;
    if (iequals(s, "eod") || iequals(s, "end-of-data") || iequals(s, "end of data") || iequals(s, "dot"))
        return command::end_of_data;
    if (iequals(s, "greeting") || iequals(s, "banner")) return command::connect;
    return std::nullopt;
}

} // namespace esc
