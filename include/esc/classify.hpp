// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// classify(): from a server's reply to what the sender should make of it.
//
// The outcome comes from the basic code (RFC 5321 section 4.2.1: 2yz done,
// 3yz go on, 4yz try later, 5yz do not retry), with one correction the RFC
// itself makes: a 552 in reply to RCPT means "too many recipients" and is to be
// treated as transient (section 4.5.3.1.10).
//
// The reason comes, in this order, from:
//  1. a specific enhanced code the server sent (5.1.1, 5.2.2, 5.7.26, ...);
//  2. the phrases of the text (detail/phrases.hpp, compiled into
//     detail/phrase_tree_data.hpp), when the code is generic
//     (5.0.0, 5.7.1, 5.5.0), vendor-specific (5.7.606) or absent;
//  3. the generic code's own leaning (5.7.1 -> policy, 4.4.1 -> network);
//  4. the basic code and the command (553 after MAIL -> sender_rejected);
//  5. otherwise `other`.
// A code is "specific" when servers use it for one thing only; see hint_for().

#include <cstdint>
#include <string_view>

#include "command.hpp"
#include "detail/phrase_matcher.hpp"
#include "detail/phrase_tree_data.hpp"
#include "reason.hpp"
#include "reply.hpp"
#include "reply_code.hpp"
#include "status.hpp"

namespace esc {

struct classification {
    esc::outcome outcome = esc::outcome::unknown;
    esc::reason reason = esc::reason::other;
    status_code status{}; // the enhanced code sent, else the one inferred; invalid (class 0) when nothing is known
    bool inferred = true; // status was not in the reply

    friend constexpr bool operator==(const classification& a, const classification& b) noexcept {
        return a.outcome == b.outcome && a.reason == b.reason && a.status == b.status && a.inferred == b.inferred;
    }
    friend constexpr bool operator!=(const classification& a, const classification& b) noexcept { return !(a == b); }
};

namespace detail {

constexpr status_code make_status(int cls, std::uint16_t subject, std::uint16_t detail) noexcept {
    return {static_cast<status_class>(cls), subject, detail};
}

} // namespace detail

// The enhanced code to assume for a reply that carried none (a server without
// ENHANCEDSTATUSCODES, such as Exim by default). Every pairing returned is one
// the IANA registry lists for that basic code (X.0.0 is listed with "Any"),
// so a detail is only claimed where the registry and the RFCs justify it:
//   235 -> 2.7.0, 250 after RCPT -> 2.1.5                     (RFC 4954, RFC 3463)
//   500 -> 5.5.2 (5.5.6 after AUTH); 501 -> 5.5.4, after RCPT 5.1.3, after AUTH 5.5.2
//   502 -> 5.5.2 (as Postfix); 503 -> 5.5.1; 504, 555 -> 5.5.4
//   421, 451 -> 4.3.0; 452 -> 4.3.1; 453 -> 4.3.2; 454 -> 4.7.0; 458, 459 -> 4.5.0
//   521 -> 5.3.2 (RFC 7504); 530 -> 5.7.0, 534 -> 5.7.9, 535 -> 5.7.8, 538 -> 5.7.11 (RFC 4954)
//   422, 432 -> 4.7.12; 523 -> 5.7.10; 524 -> 5.7.11; 525 -> 5.7.13; 533 -> 5.7.1
//   552 after MAIL or the end of DATA -> 5.3.4 (RFC 1870: the size limit)
//   554 as a greeting -> 5.3.0 (no service here); 556 -> 5.1.10 (RFC 7504/7505)
// Everything else is class.0.0: 550, for one, means "not found", "no access"
// and "refused by policy" alike. 3yz replies give 2.0.0 (the step succeeded so
// far; RFC 3463 has no intermediate class); 571 and other codes outside the
// grammar give their class.0.0. A code outside 200..599 gives an invalid
// status_code (is_valid() false).
constexpr status_code default_status(reply_code reply, command cmd = command::unknown) noexcept {
    using detail::make_status;
    if (!has_reply_class(reply)) return status_code{};
    switch (to_int(reply)) {
    case 235: return make_status(2, 7, 0);
    case 250: return cmd == command::rcpt ? make_status(2, 1, 5) : make_status(2, 0, 0);
    case 421: return make_status(4, 3, 0);
    case 422: return make_status(4, 7, 12);
    case 432: return make_status(4, 7, 12);
    case 451: return make_status(4, 3, 0);
    case 452: return make_status(4, 3, 1);
    case 453: return make_status(4, 3, 2);
    case 454: return make_status(4, 7, 0);
    case 458:
    case 459: return make_status(4, 5, 0);
    case 500: return cmd == command::auth ? make_status(5, 5, 6) : make_status(5, 5, 2);
    case 501:
        if (cmd == command::rcpt) return make_status(5, 1, 3);
        if (cmd == command::auth) return make_status(5, 5, 2);
        return make_status(5, 5, 4);
    case 502: return make_status(5, 5, 2);
    case 503: return make_status(5, 5, 1);
    case 504: return make_status(5, 5, 4);
    case 521: return make_status(5, 3, 2);
    case 523: return make_status(5, 7, 10);
    case 524: return make_status(5, 7, 11);
    case 525: return make_status(5, 7, 13);
    case 530: return make_status(5, 7, 0);
    case 533: return make_status(5, 7, 1);
    case 534: return make_status(5, 7, 9);
    case 535: return make_status(5, 7, 8);
    case 538: return make_status(5, 7, 11);
    case 552:
        return cmd == command::mail || cmd == command::end_of_data ? make_status(5, 3, 4) : make_status(5, 0, 0);
    case 554: return cmd == command::connect ? make_status(5, 3, 0) : make_status(5, 0, 0);
    case 555: return make_status(5, 5, 4);
    case 556: return make_status(5, 1, 10);
    default: break;
    }
    const int first = to_int(reply) / 100;
    return make_status(first == 3 ? 2 : first, 0, 0);
}

namespace detail {

enum class hint_strength : std::uint8_t { none, leaning, decisive };

struct status_hint {
    reason why = reason::other;
    hint_strength strength = hint_strength::none;
};

constexpr int subject_detail(int subject, int detail) noexcept { return subject * 1000 + detail; }

// What an enhanced code says about the reason. `decisive` codes name one
// condition and win over the text; `leaning` codes (the X.n.0 catch-alls,
// 5.7.1, the ones vendors reuse such as Microsoft's 5.4.1) give way to it.
constexpr status_hint hint_for(status_code s) noexcept {
    constexpr auto decisive = hint_strength::decisive;
    constexpr auto leaning = hint_strength::leaning;
    switch (subject_detail(s.subject, s.detail)) {
    case subject_detail(1, 0): return {reason::mailbox_unknown, leaning};
    case subject_detail(1, 1): return {reason::mailbox_unknown, decisive};
    case subject_detail(1, 2): return {reason::domain_unknown, decisive};
    case subject_detail(1, 3): return {reason::mailbox_unknown, decisive};
    case subject_detail(1, 4): return {reason::mailbox_unknown, leaning};
    case subject_detail(1, 6): return {reason::mailbox_unknown, decisive};
    case subject_detail(1, 7): return {reason::sender_rejected, decisive};
    case subject_detail(1, 8): return {reason::sender_rejected, decisive};
    case subject_detail(1, 10): return {reason::domain_unknown, leaning}; // Microsoft: recipient not found
    case subject_detail(2, 1): return {reason::mailbox_disabled, leaning};  // often sent with "User unknown"
    case subject_detail(2, 2): return {reason::mailbox_full, decisive};
    case subject_detail(2, 3): return {reason::message_too_large, decisive};
    case subject_detail(2, 4): return {reason::system_error, leaning};
    case subject_detail(3, 0): return {reason::system_error, leaning};
    case subject_detail(3, 1): return {reason::system_error, decisive};
    case subject_detail(3, 2): return {reason::system_error, leaning};
    case subject_detail(3, 3): return {reason::system_error, leaning};
    case subject_detail(3, 4): return {reason::message_too_large, decisive};
    case subject_detail(3, 5): return {reason::system_error, decisive};
    case subject_detail(4, 4): return {reason::domain_unknown, leaning};
    case subject_detail(4, 5): return {reason::system_error, leaning};
    case subject_detail(4, 6): return {reason::network, decisive}; // a routing loop
    case subject_detail(4, 7): return {reason::expired, decisive};
    case subject_detail(5, 3): return {reason::too_many_recipients, decisive};
    case subject_detail(6, 0): return {reason::content, leaning};
    case subject_detail(7, 2): return {reason::policy, decisive};
    case subject_detail(7, 3):
    case subject_detail(7, 4):
    case subject_detail(7, 5):
    case subject_detail(7, 6): return {reason::encryption, leaning};
    case subject_detail(7, 8):
    case subject_detail(7, 12): return {reason::client_auth, decisive};
    case subject_detail(7, 9):  // Yahoo: "554 5.7.9 Message not accepted for policy reasons"
    case subject_detail(7, 13): // often "525 5.7.13 Disabled recipient address"
        return {reason::client_auth, leaning};
    case subject_detail(7, 10):
    case subject_detail(7, 11):
    case subject_detail(7, 30): return {reason::encryption, decisive};
    case subject_detail(7, 16): return {reason::message_too_large, decisive};
    case subject_detail(7, 17):
    case subject_detail(7, 18): return {reason::mailbox_unknown, decisive};
    case subject_detail(7, 20):
    case subject_detail(7, 21):
    case subject_detail(7, 22):
    case subject_detail(7, 23):
    case subject_detail(7, 24):
    case subject_detail(7, 26):
    case subject_detail(7, 29): return {reason::sender_auth, decisive};
    case subject_detail(7, 25): return {reason::blocked, decisive};
    case subject_detail(7, 27): return {reason::sender_rejected, decisive};
    case subject_detail(7, 28): return {reason::rate_limited, decisive};
    default: break;
    }
    switch (s.subject) { // catch-alls, vendor details and the rest lean on the subject
    case 3: return {reason::system_error, leaning};
    case 4: return {reason::network, leaning};
    case 5: return {reason::protocol, leaning};
    case 6: return {reason::content, s.detail == 0 ? leaning : decisive};
    case 7: return {reason::policy, leaning};
    default: return {};
    }
}

// Basic codes that name one condition whatever the text: they outrank a
// generic enhanced code.
constexpr reason specific_basic_reason(reply_code code) noexcept {
    switch (to_int(code)) {
    case 521:
    case 556: return reason::domain_unknown; // RFC 7504: the host or domain accepts no mail
    case 530:
    case 534:
    case 535:
    case 538: return reason::client_auth; // RFC 4954
    case 551: return reason::mailbox_unknown; // user not local
    default: return reason::none;
    }
}

// What the basic code and the command say when nothing else does.
constexpr reason stage_reason(reply_code code, command cmd) noexcept {
    switch (to_int(code)) {
    case 452:
    case 552:
        if (cmd == command::rcpt) return reason::too_many_recipients; // RFC 5321 4.5.3.1.10
        break;
    case 553: return cmd == command::mail ? reason::sender_rejected : reason::mailbox_unknown;
    default: break;
    }
    // 500..504 are syntax and sequence errors whatever the stage.
    if (category_of(code) == reply_category::syntax) return reason::protocol;
    if (cmd == command::mail && to_int(code) >= 500) return reason::sender_rejected;
    if (cmd == command::connect || cmd == command::helo || cmd == command::ehlo) return reason::blocked;
    return reason::none;
}

// At MAIL FROM there is no recipient yet, so an address that does not exist or
// a refusal is the sender's; at the greeting or HELO there is not even a
// sender, so a refusal is of the connecting host. A 421 is about the session,
// whatever command it came after, and keeps its own reading.
constexpr reason in_stage(reason r, command cmd, reply_code code) noexcept {
    if (to_int(code) == 421) return r;
    switch (cmd) {
    case command::mail:
        if (r == reason::mailbox_unknown || r == reason::mailbox_disabled || r == reason::domain_unknown ||
            r == reason::policy)
            return reason::sender_rejected;
        return r;
    case command::connect:
    case command::helo:
    case command::ehlo:
        if (r == reason::mailbox_unknown || r == reason::domain_unknown || r == reason::sender_rejected ||
            r == reason::policy || r == reason::other)
            return reason::blocked;
        return r;
    default: return r;
    }
}

struct phrase_findings {
    reason why = reason::none; // none: no phrase matched
    command context = command::unknown;
};

// One pass over the text; among the phrases found, the first in the tables wins.
constexpr phrase_findings find_phrases(std::string_view text) noexcept {
    // What each phrase implies comes with the generated tables, so this header
    // need not parse the phrase texts.
    constexpr std::size_t reasons = phrase_reasons.size();
    constexpr std::size_t commands = phrase_commands.size();
    std::size_t best_reason = reasons, best_command = reasons + commands;
    phrase_scanner<phrase_tree_type>(phrase_tree_data).scan(text, [&](std::uint16_t id) {
        if (id < reasons) {
            if (id < best_reason) best_reason = id;
        } else if (id < best_command) {
            best_command = id;
        }
    });
    phrase_findings f;
    if (best_reason < reasons) f.why = static_cast<reason>(phrase_reasons[best_reason]);
    if (best_command < reasons + commands) f.context = static_cast<command>(phrase_commands[best_command - reasons]);
    return f;
}

constexpr outcome outcome_of(status_class c) noexcept {
    switch (c) {
    case status_class::success: return outcome::success;
    case status_class::transient: return outcome::transient;
    case status_class::permanent: return outcome::permanent;
    }
    return outcome::unknown;
}

constexpr outcome outcome_of(reply_code c) noexcept {
    switch (class_of(c)) {
    case reply_class::positive_completion: return outcome::success;
    case reply_class::positive_intermediate: return outcome::intermediate;
    case reply_class::transient_negative: return outcome::transient;
    case reply_class::permanent_negative: return outcome::permanent;
    }
    return outcome::unknown;
}

// The core: a reply (possibly without a valid code, when only an enhanced code
// was found in prose), the command, and the text to read phrases from: first
// the reply and what precedes it, then, only for what that left open, the
// rest (a reply quoted further on: "554 5.0.0 ... said: 550 User unknown").
constexpr classification classify(reply_code code, std::optional<status_code> sent, command cmd,
                                  std::string_view text, std::string_view rest) noexcept {
    phrase_findings phrases = find_phrases(text);
    if (!rest.empty() && (phrases.why == reason::none || phrases.context == command::unknown)) {
        const phrase_findings more = find_phrases(rest);
        if (phrases.why == reason::none) phrases.why = more.why;
        if (phrases.context == command::unknown) phrases.context = more.context;
    }
    if (cmd == command::unknown) cmd = phrases.context;

    classification c;
    const bool has_code = has_reply_class(code);
    if (sent && is_valid(*sent)) {
        c.status = *sent;
        c.inferred = false;
    } else if (has_code) {
        c.status = default_status(code, cmd);
    }
    c.outcome = has_code ? outcome_of(code) : c.inferred ? outcome::unknown : outcome_of(c.status.cls);

    const bool too_many_recipients = has_code && to_int(code) == 552 && cmd == command::rcpt;
    if (too_many_recipients) {
        c.outcome = outcome::transient;
        if (c.inferred) c.status = make_status(4, 5, 3);
    }
    if (c.outcome == outcome::success || c.outcome == outcome::intermediate) {
        c.reason = reason::none;
        return c;
    }

    const status_hint sent_hint = c.inferred ? status_hint{} : hint_for(c.status);
    reason why = reason::none;
    if (sent_hint.strength == hint_strength::decisive) why = sent_hint.why;
    if (why == reason::none) why = phrases.why;
    if (why == reason::none && has_code) why = specific_basic_reason(code);
    if (why == reason::none && sent_hint.strength == hint_strength::leaning) why = sent_hint.why;
    if (why == reason::none && has_code) why = stage_reason(code, cmd);
    if (why == reason::none && has_code) why = hint_for(c.status).why; // `other` when the code leans nowhere
    if (why == reason::none) why = reason::other;
    c.reason = in_stage(why, cmd, code);
    // An inferred status should say what the reason says: 452 "too many
    // recipients" is 4.5.3, not the 4.3.1 (storage) that 452 alone suggests.
    if (c.inferred && c.reason == reason::too_many_recipients && c.outcome == outcome::transient)
        c.status = make_status(4, 5, 3);
    return c;
}

} // namespace detail

// Classifies a parsed reply. `cmd` is the command it answered, when known;
// otherwise phrases such as "(in reply to RCPT TO command)" in its text are used.
constexpr classification classify(const reply& r, command cmd = command::unknown) noexcept {
    return detail::classify(r.code, r.status, cmd, r.raw, {});
}

// Classifies free text that quotes a reply: a DSN Diagnostic-Code, a log line,
// a bounce message's prose. The reply is located with find_reply() (or, when
// there is none, an enhanced code with find_status()); phrases are read from
// the whole text, so "after RCPT TO:" before the reply still counts.
constexpr classification classify(std::string_view text, command cmd = command::unknown) noexcept {
    if (const std::optional<reply> r = find_reply(text)) {
        const std::size_t end = static_cast<std::size_t>(r->raw.data() - text.data()) + r->raw.size();
        return detail::classify(r->code, r->status, cmd, text.substr(0, end), text.substr(end));
    }
    std::optional<status_code> status;
    if (const std::optional<status_match> m = find_status(text)) status = std::optional<status_code>(m->status);
    return detail::classify(reply_code{}, status, cmd, text, {});
}

} // namespace esc
