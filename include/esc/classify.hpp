// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// classify(): from a server's reply to what the sender should make of it.
//
// The outcome comes from the basic code (RFC 5321 section 4.2.1: 2yz done,
// 3yz go on, 4yz try later, 5yz do not retry). RFC 5321 section 4.5.3.1.10
// lets a client treat a 552 to RCPT as "too many recipients", a transient
// condition; esc does so only when that is what the reply says (or nothing
// else is said): a 552 for a full mailbox or a big message stays permanent.
//
// The reason is weighed from the evidence, strongest first:
//  1. a user's rule (rules.hpp), when the caller passes a rule set;
//  2. an `overrule` phrase: text specific enough to contradict any code
//     (the sender's hourly limit sent as 5.1.1), a provider's own code token
//     ([TS03], BL000010);
//  3. a provider's documented meaning of its enhanced code (Microsoft's
//     5.7.606-649, Yahoo's 5.7.9); a code the IANA registry also lists counts
//     only when the text shows that provider replied (rules/providers.rules);
//  4. an enhanced code that names one condition (5.1.1, 5.2.2, 5.7.26);
//  5. a `strong` phrase (the default strength);
//  6. a basic code that names one condition (521, 556, 530, 535, 551);
//  7. an enhanced code that only leans (5.7.1 -> policy, X.4.n -> network);
//  8. a `weak` phrase ("service unavailable", "rejected", "policy");
//  9. the basic code and the command (553 after MAIL -> sender_rejected);
// 10. otherwise `other`.
// A phrase saying the queue gave up (expired) is weighed apart: it replaces a
// network, system or unknown cause, and gives way to any other.
// Within one strength the phrase listed first in the rules wins. Phrases never
// match inside host names, addresses or URLs (detail/phrase_matcher.hpp); the
// provider markers do. classification::why says which evidence decided, with
// a view into the input, and `verdict` says what it means for the address.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "command.hpp"
#include "detail/config.hpp"
#include "reason.hpp"
#include "reply.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// What decided a classification's reason.
enum class decided_by : std::uint8_t {
    nothing,       // no evidence: the reason is `other`
    user_rule,     // a rule of the caller's rule set
    provider_rule, // a provider's documented code or wording (rules/providers.rules)
    enhanced_code, // the enhanced status code
    phrase,        // a phrase of the server's text (rules/phrases.rules, rules/languages.rules)
    basic_code,    // the basic reply code (a success, 521, 530, ..., or the code's inferred status)
    command,       // the basic code read with the command it answered (553 after MAIL)
    report,        // a delivery report's own verdict: a DSN's Action field, a bounce's "giving up"
};

constexpr std::string_view to_string(decided_by d) noexcept {
    switch (d) {
    case decided_by::nothing: return "nothing";
    case decided_by::user_rule: return "user_rule";
    case decided_by::provider_rule: return "provider_rule";
    case decided_by::enhanced_code: return "enhanced_code";
    case decided_by::phrase: return "phrase";
    case decided_by::basic_code: return "basic_code";
    case decided_by::command: return "command";
    case decided_by::report: return "report";
    }
    return "nothing";
}

// Why a reply was classified as it was. Every view points into the input
// given to classify() (text) or into static tables (rule, provider, source),
// or into the caller's rule set for a user rule.
struct explanation {
    decided_by by = decided_by::nothing;
    std::string_view text;     // the evidence in the input: the phrase as written, the code
    std::string_view rule;     // the rule: a phrase pattern (folded) or a code range
    std::string_view provider; // the provider whose rule decided, else one the text shows replied
    std::string_view source;   // where the rule comes from, when the tables say
};

struct classification {
    esc::outcome outcome = esc::outcome::unknown;
    esc::reason reason = esc::reason::other;
    status_code status{}; // the enhanced code sent, else the one inferred; invalid (class 0) when nothing is known
    bool inferred = true; // status was not in the reply
    esc::verdict verdict = esc::verdict::undetermined; // what it means for the address (see verdict_for)
    esc::explanation why;

    // Two classifications are equal when they say the same; `why` is not compared.
    friend constexpr bool operator==(const classification& a, const classification& b) noexcept {
        return a.outcome == b.outcome && a.reason == b.reason && a.status == b.status && a.inferred == b.inferred &&
               a.verdict == b.verdict;
    }
    friend constexpr bool operator!=(const classification& a, const classification& b) noexcept { return !(a == b); }
};

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
ESC_DECL status_code default_status(reply_code reply, command cmd = command::unknown) noexcept;

// Classifies a parsed reply. `cmd` is the command it answered, when known;
// otherwise phrases such as "(in reply to RCPT TO command)" in its text are used.
// A reply built by hand (code, status and text set, raw empty) is read the same.
ESC_DECL classification classify(const reply& r, command cmd = command::unknown) noexcept;

// Classifies free text that quotes a reply: a DSN Diagnostic-Code, a log line,
// a bounce message's prose. The reply is located with find_reply() (or, when
// there is none, an enhanced code with find_status()); phrases are read from
// the whole text, so "after RCPT TO:" before the reply still counts.
ESC_DECL classification classify(std::string_view text, command cmd = command::unknown) noexcept;

// The parts the rule sets (rules.hpp) and the bounce reader (bounce.hpp) build on.
namespace detail {

inline constexpr std::uint16_t no_phrase = 0xFFFF;
inline constexpr std::size_t strength_count = 3;

// A phrase found, and where.
struct phrase_pick {
    std::uint16_t id = no_phrase;
    std::string_view where; // in the scanned text

    constexpr bool found() const noexcept { return id != no_phrase; }
};

// What one pass of the phrase scanner found in a text.
struct phrase_findings {
    reason why = reason::none;          // the strongest phrase's reason; none: no reason phrase matched
    command context = command::unknown; // the command a quoted reply answered, when the text says
    phrase_pick best[strength_count];   // by rule_strength: the first phrase in table order of each
    phrase_pick expiry;                 // the first phrase saying the queue gave up (reason expired)
    std::uint64_t providers = 0;        // bit p: a marker of provider p was seen (builtin_providers)
    phrase_pick first_marker;

    constexpr const phrase_pick& strongest() const noexcept {
        for (std::size_t s = strength_count; s-- > 0;)
            if (best[s].found()) return best[s];
        return best[0];
    }
};

// The phrases of the built-in tables found in a text.
ESC_DECL phrase_findings find_phrases(std::string_view text) noexcept;

// verdict_for(), and: the address is judged gone on what was said about it,
// not on a code or a stage alone: a 4.2.1 with no words about the mailbox is
// soft, a bare 553 undetermined.
ESC_DECL verdict verdict_of(const classification& c) noexcept;

// A user's rule that matched, as classify's core takes it (rules.hpp finds it).
struct user_decision {
    reason implies = reason::other;
    std::string_view text;
    std::string_view rule;
};

// What free text quotes: the reply found in it (or, when there is none, an
// enhanced code alone), the text up to the reply's end and the rest after
// it, and where the codes stand.
struct located_reply {
    reply_code code{};
    std::optional<status_code> status;
    std::string_view head, rest, raw;
};

// The reply find_reply() finds in free text (or, when there is none, the
// enhanced code find_status() finds), with the text split around it.
ESC_DECL located_reply locate_reply(std::string_view text) noexcept;

// The core: a reply (possibly without a valid code, when only an enhanced code
// was found in prose), the command, and the text to read phrases from: first
// the reply and what precedes it, then, only for what that left open, the
// rest (a reply quoted further on: "554 5.0.0 ... said: 550 User unknown").
// `raw` is where the codes stand, for the explanation; `hosts` names the
// hosts involved (a DSN's Remote-MTA), read for provider markers only.
ESC_DECL classification classify(reply_code code, std::optional<status_code> sent, command cmd, std::string_view text,
                                 std::string_view rest, const user_decision* user = nullptr,
                                 std::string_view raw = {}, std::string_view hosts = {}) noexcept;

// The reply's own text, for phrases: its raw lines, or, for a reply built by
// hand (no raw text), the text it was given.
constexpr std::string_view reply_words(const reply& r) noexcept { return r.raw.empty() ? r.text : r.raw; }

} // namespace detail

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/classify.ipp"
#endif
