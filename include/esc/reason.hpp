// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What a reply means for the sender: the outcome (what to do with the
// message) and the reason (why, in the terms a bounce processor acts on).

#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"

ESC_BEGIN_NAMESPACE

enum class outcome : std::uint8_t {
    success,      // 2yz: done
    intermediate, // 3yz: go on with the exchange (354 after DATA, 334 in AUTH)
    transient,    // 4yz: try again later, here or at the next MX
    permanent,    // 5yz: do not retry this message as it is
    unknown,      // no code to go by
};

enum class reason : std::uint8_t {
    none,                // not a failure
    mailbox_unknown,     // the recipient address does not exist (or no longer does)
    mailbox_disabled,    // the mailbox exists but is disabled, suspended or inactive
    mailbox_full,        // over quota
    message_too_large,   // the message exceeds a size limit
    domain_unknown,      // the recipient domain does not exist or accepts no mail (null MX)
    sender_rejected,     // the envelope sender address or its domain is refused
    relay_denied,        // the server will not relay to that domain for this client
    spam,                // the content was judged to be spam
    virus,               // the content carries malware
    blocked,             // the sending host, IP or domain is refused for its reputation (DNSBL, PTR, banned IP)
    sender_auth,         // SPF, DKIM, DMARC or ARC failed
    client_auth,         // SMTP AUTH is needed or failed
    encryption,          // TLS is needed or failed, REQUIRETLS
    policy,              // another local policy refusal
    rate_limited,        // too much mail, too many connections, too fast
    too_many_recipients, // too many recipients in one transaction
    greylisted,          // deferred on purpose, to be retried
    system_error,        // the receiving system failed (storage, configuration, internal error)
    network,             // connection, DNS lookup, routing (loops, too many hops) or timeout trouble on the way
    expired,             // the message stayed in the queue too long
    protocol,            // SMTP syntax or command sequence error
    content,             // the message's format: media type, MIME, encoding, headers (not spam)
    other,               // a failure none of the above describes
};

// What a failure means for the *address*, apart from what to do with the
// message (the outcome): whether a bounce processor should suppress it.
//  hard:         the address is gone: mailbox_unknown and domain_unknown
//                unless the reply was transient (a directory that could not
//                be read, a DNS lookup that failed for now), and
//                mailbox_disabled even when sent as 4yz (an account
//                suspended for good is often deferred rather than refused);
//  soft:         the address is fine, the message or the sending is not:
//                retry, slow down, change the content or the sending setup
//                (full mailbox, too large, spam, blocked, authentication,
//                policy, rate limits, system and network trouble, expiry,
//                protocol and content errors, a refused sender or relay);
//  undetermined: nothing tells (`other`, or no code and no reason);
//  none:         not a failure.
// The peers expose the same split: Amazon SES's Permanent / Transient /
// Undetermined bounce types, Sisimai's hardbounce, Postmark's hard and soft.
enum class verdict : std::uint8_t { none, hard, soft, undetermined };

constexpr std::string_view to_string(verdict v) noexcept {
    switch (v) {
    case verdict::none: return "none";
    case verdict::hard: return "hard";
    case verdict::soft: return "soft";
    case verdict::undetermined: return "undetermined";
    }
    return "undetermined";
}

inline constexpr std::size_t reason_count = static_cast<std::size_t>(reason::other) + 1;

constexpr std::string_view to_string(outcome o) noexcept {
    switch (o) {
    case outcome::success: return "success";
    case outcome::intermediate: return "intermediate";
    case outcome::transient: return "transient";
    case outcome::permanent: return "permanent";
    case outcome::unknown: return "unknown";
    }
    return "unknown";
}

constexpr std::string_view to_string(reason r) noexcept {
    switch (r) {
    case reason::none: return "none";
    case reason::mailbox_unknown: return "mailbox_unknown";
    case reason::mailbox_disabled: return "mailbox_disabled";
    case reason::mailbox_full: return "mailbox_full";
    case reason::message_too_large: return "message_too_large";
    case reason::domain_unknown: return "domain_unknown";
    case reason::sender_rejected: return "sender_rejected";
    case reason::relay_denied: return "relay_denied";
    case reason::spam: return "spam";
    case reason::virus: return "virus";
    case reason::blocked: return "blocked";
    case reason::sender_auth: return "sender_auth";
    case reason::client_auth: return "client_auth";
    case reason::encryption: return "encryption";
    case reason::policy: return "policy";
    case reason::rate_limited: return "rate_limited";
    case reason::too_many_recipients: return "too_many_recipients";
    case reason::greylisted: return "greylisted";
    case reason::system_error: return "system_error";
    case reason::network: return "network";
    case reason::expired: return "expired";
    case reason::protocol: return "protocol";
    case reason::content: return "content";
    case reason::other: return "other";
    }
    return "other";
}

// The inverse of to_string (exact names, case-insensitive).
constexpr std::optional<reason> parse_reason(std::string_view name) noexcept {
    for (std::size_t i = 0; i < reason_count; ++i)
        if (detail::iequals(name, to_string(static_cast<reason>(i)))) return static_cast<reason>(i);
    return std::nullopt;
}

constexpr std::optional<esc::outcome> parse_outcome(std::string_view name) noexcept {
    for (int i = 0; i <= static_cast<int>(outcome::unknown); ++i)
        if (detail::iequals(name, to_string(static_cast<esc::outcome>(i)))) return static_cast<esc::outcome>(i);
    return std::nullopt;
}

// The verdict for an address, by the rule documented at `verdict`.
constexpr verdict verdict_for(outcome o, reason r) noexcept {
    if (o == outcome::success || o == outcome::intermediate || r == reason::none) return verdict::none;
    switch (r) {
    case reason::mailbox_disabled: return verdict::hard;
    case reason::mailbox_unknown:
    case reason::domain_unknown: return o == outcome::transient ? verdict::soft : verdict::hard;
    case reason::other: return verdict::undetermined;
    default: return verdict::soft;
    }
}

// What a sender should do next, in a few words for a person.
constexpr std::string_view advice(outcome o, reason r) noexcept {
    if (o == outcome::success) return "nothing: the step succeeded";
    if (o == outcome::intermediate) return "continue the SMTP exchange";
    switch (r) {
    case reason::mailbox_unknown:
        return o == outcome::transient ? "retry later; the server could not confirm the address for now"
                                       : "remove the address from the list; it does not exist";
    case reason::mailbox_disabled: return "stop mailing the address; the mailbox is disabled";
    case reason::mailbox_full:
        return o == outcome::permanent ? "try much later or drop the address; the mailbox is full"
                                       : "retry later; the mailbox is full";
    case reason::message_too_large: return "send a smaller message (link large attachments instead)";
    case reason::domain_unknown:
        return o == outcome::transient ? "retry later; the domain could not be resolved for now"
                                       : "check the domain for typos; it does not receive mail";
    case reason::sender_rejected: return "fix the sender address or its domain, then resend";
    case reason::relay_denied: return "send through a server that may relay for you (authenticate first)";
    case reason::spam: return "review the content and sending practices; contact the postmaster";
    case reason::virus: return "remove the infected content; do not resend as is";
    case reason::blocked: return "get the sending IP or domain delisted; contact the postmaster";
    case reason::sender_auth: return "fix SPF, DKIM or DMARC for the sending domain, then resend";
    case reason::client_auth: return "authenticate with valid credentials, then resend";
    case reason::encryption: return "use TLS (STARTTLS) and resend";
    case reason::policy: return "contact the recipient's postmaster; local policy refused it";
    case reason::rate_limited: return "slow down and retry later";
    case reason::too_many_recipients: return "resend to the remaining recipients in another transaction";
    case reason::greylisted: return "retry later from the same server; greylisting passes on retry";
    case reason::system_error:
        return o == outcome::permanent ? "contact the recipient's postmaster" : "retry later";
    case reason::network: return "retry later or try the next MX";
    case reason::expired: return "the message was given up on; resend if still wanted";
    case reason::protocol: return "fix the SMTP client's commands (a software or configuration bug)";
    case reason::content: return "fix the message format (headers, MIME, encoding) and resend";
    case reason::none:
    case reason::other: break;
    }
    switch (o) {
    case outcome::transient: return "retry later";
    case outcome::permanent: return "do not retry as is; read the server's text or contact the postmaster";
    default: return "read the server's text";
    }
}

ESC_END_NAMESPACE
