// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of classify.hpp: the evidence, the phrase tables and the
// weighing. Included by classify.hpp when esc is header-only, compiled once
// by <esc/src.hpp> otherwise (detail/config.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "../detail/config.hpp"
#include "../classify.hpp"
#include "../detail/phrase_matcher.hpp"
#include "../detail/phrase_tree_data.hpp"
#include "../detail/rule_tables.hpp"

ESC_BEGIN_NAMESPACE

static_assert(detail::builtin_providers.size() <= 64, "provider markers are kept in a 64-bit set");

namespace detail {

constexpr status_code make_status(int cls, std::uint16_t subject, std::uint16_t detail) noexcept {
    return {static_cast<status_class>(cls), subject, detail};
}

} // namespace detail

ESC_DECL status_code default_status(reply_code reply, command cmd) noexcept {
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
    case subject_detail(7, 9): return {reason::client_auth, leaning}; // Yahoo reuses it: rules/providers.rules
    // RFC 4954 means the AUTH user's account; servers send it for a disabled
    // recipient too ("525 5.7.13 Disabled recipient address"). After AUTH it
    // is read as client_auth (hint_in_stage()).
    case subject_detail(7, 13): return {reason::mailbox_disabled, leaning};
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
    case 6: return {reason::content, leaning}; // servers reuse X.6.n ("554 5.6.4 Virus E-Mail Blocked")
    case 7: return {reason::policy, leaning};
    default: return {};
    }
}

// hint_for() read with the command the code answered. SMTP AUTH comes
// before MAIL: a code that leans to client_auth (5.7.9 "mechanism too weak",
// 5.7.13 "account disabled") sent to RCPT or DATA is a server reusing it for
// something else (Yahoo's 554 5.7.9 policy refusal, "525 5.7.13 Disabled
// recipient address"); after AUTH, 5.7.13 is RFC 4954's disabled AUTH user.
constexpr status_hint hint_in_stage(status_code s, command cmd) noexcept {
    if (cmd == command::auth && s.subject == 7 && s.detail == 13) return {reason::client_auth, hint_strength::decisive};
    const status_hint h = hint_for(s);
    if (h.strength == hint_strength::leaning && h.why == reason::client_auth &&
        (cmd == command::rcpt || cmd == command::data || cmd == command::end_of_data || cmd == command::bdat))
        return {};
    return h;
}

// Basic codes that name one condition whatever the text: they outrank a
// generic enhanced code.
constexpr reason specific_basic_reason(reply_code code) noexcept {
    switch (to_int(code)) {
    case 521:
    case 556: return reason::domain_unknown; // RFC 7504: the host or domain accepts no mail
    case 530:
    case 534:
    case 535: return reason::client_auth; // RFC 4954
    case 538: return reason::encryption;  // RFC 4954: encryption required for the AUTH mechanism (5.7.11)
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
        // A server that is full, busy or not taking mail says so of itself,
        // not of the client: "421 ... not accepting messages", "too busy".
        if (r == reason::mailbox_full || r == reason::mailbox_disabled) return reason::system_error;
        if (r == reason::mailbox_unknown || r == reason::domain_unknown || r == reason::sender_rejected ||
            r == reason::policy || r == reason::other)
            return reason::blocked;
        return r;
    default: return r;
    }
}

constexpr void keep_first(phrase_pick& pick, std::uint16_t id, std::string_view where) noexcept {
    if (id < pick.id) pick = {id, where};
}

ESC_DECL phrase_findings find_phrases(std::string_view text) noexcept {
    phrase_findings f;
    phrase_pick context;
    // A hit is wanted only if it comes before the phrase kept so far of its kind.
    auto wants = [&](std::uint16_t id) {
        const phrase_rule& rule = builtin_phrase_rules[id];
        switch (rule.kind) {
        case rule_kind::reason_phrase: {
            if (static_cast<reason>(rule.value) == reason::expired) return id < f.expiry.id;
            // classify() reads only the strongest phrase found (see merge_findings).
            const auto s = static_cast<std::size_t>(rule.strength);
            for (std::size_t stronger = s + 1; stronger < strength_count; ++stronger)
                if (f.best[stronger].found()) return false;
            return id < f.best[s].id;
        }
        case rule_kind::command_phrase: return id < context.id;
        case rule_kind::marker: return ((f.providers >> rule.provider) & 1u) == 0 || id < f.first_marker.id;
        }
        return true;
    };
    phrase_scanner<phrase_tree_type>(phrase_tree_data).scan(text, [&](phrase_hit hit) {
        const phrase_rule& rule = builtin_phrase_rules[hit.id];
        const std::string_view where = text.substr(hit.begin, hit.end - hit.begin);
        switch (rule.kind) {
        case rule_kind::reason_phrase:
            if (static_cast<reason>(rule.value) == reason::expired) keep_first(f.expiry, hit.id, where);
            else keep_first(f.best[static_cast<std::size_t>(rule.strength)], hit.id, where);
            break;
        case rule_kind::command_phrase: keep_first(context, hit.id, where); break;
        case rule_kind::marker:
            f.providers |= std::uint64_t{1} << rule.provider;
            keep_first(f.first_marker, hit.id, where);
            break;
        }
    }, wants);
    if (const phrase_pick& s = f.strongest(); s.found()) f.why = static_cast<reason>(builtin_phrase_rules[s.id].value);
    else if (f.expiry.found()) f.why = reason::expired;
    if (context.found()) f.context = static_cast<command>(builtin_phrase_rules[context.id].value);
    return f;
}

// The findings of the reply and what precedes it, completed from the rest of
// the text where they left something open.
constexpr phrase_findings merge_findings(phrase_findings head, const phrase_findings& rest) noexcept {
    // The reply's own words come first: a later reply's reason counts only
    // when the first said nothing ("550 ... is disabled ... 503 RCPT first").
    if (head.why == reason::none)
        for (std::size_t s = 0; s < strength_count; ++s) head.best[s] = rest.best[s];
    if (!head.expiry.found()) head.expiry = rest.expiry;
    if (head.context == command::unknown) head.context = rest.context;
    head.providers |= rest.providers;
    if (!head.first_marker.found()) head.first_marker = rest.first_marker;
    if (const phrase_pick& s = head.strongest(); s.found()) head.why = static_cast<reason>(builtin_phrase_rules[s.id].value);
    else if (head.expiry.found()) head.why = reason::expired;
    return head;
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

// The provider code rule that applies to a code sent, if any: index into
// builtin_code_rules, or its size.
// The code rules by class (2, 4, 5) and subject (0..62, and 63 for any
// beyond), each bucket in table order: a code is checked against the few
// rules of its own class and subject, and most codes sent have none.
constexpr std::size_t code_rule_bucket(status_code s) noexcept {
    const int cls = static_cast<int>(s.cls);
    return static_cast<std::size_t>(cls == 2 ? 0 : cls == 4 ? 1 : 2) * 64 + (s.subject < 63 ? s.subject : 63);
}

struct code_rule_index {
    std::array<std::uint16_t, 3 * 64 + 1> start{}; // bucket b holds rule[start[b] .. start[b + 1])
    std::array<std::uint16_t, builtin_code_rules.size()> rule{};
};

constexpr code_rule_index build_code_rule_index() noexcept {
    code_rule_index x{};
    for (const code_rule& r : builtin_code_rules) ++x.start[code_rule_bucket(r.first) + 1];
    for (std::size_t b = 1; b < x.start.size(); ++b) x.start[b] = static_cast<std::uint16_t>(x.start[b] + x.start[b - 1]);
    std::array<std::uint16_t, 3 * 64 + 1> next = x.start;
    for (std::size_t i = 0; i < builtin_code_rules.size(); ++i)
        x.rule[next[code_rule_bucket(builtin_code_rules[i].first)]++] = static_cast<std::uint16_t>(i);
    return x;
}

inline constexpr code_rule_index code_rules_by_bucket = build_code_rule_index();

constexpr std::size_t provider_code_rule(status_code s, std::uint64_t providers) noexcept {
    const int cls = static_cast<int>(s.cls);
    if (cls != 2 && cls != 4 && cls != 5) return builtin_code_rules.size();
    const std::size_t b = code_rule_bucket(s);
    for (std::size_t j = code_rules_by_bucket.start[b]; j < code_rules_by_bucket.start[b + 1]; ++j) {
        const std::size_t i = code_rules_by_bucket.rule[j];
        const code_rule& r = builtin_code_rules[i];
        if (r.covers(s) && (!r.gated || ((providers >> r.provider) & 1u) != 0)) return i;
    }
    return builtin_code_rules.size();
}

// Where the characters of a status code stand in a text ("5.1.1" in
// "550 5.1.1 User unknown"), or an empty view.
constexpr std::string_view locate_status(std::string_view text, status_code s) noexcept {
    char buf[12] = {};
    const std::to_chars_result r = to_chars(buf, buf + sizeof buf, s);
    const std::size_t n = static_cast<std::size_t>(r.ptr - buf);
    if (r.ec != std::errc{} || n == 0) return {};
    for (std::size_t i = 0; i + n <= text.size(); ++i) {
        if (text[i] != buf[0] || text[i + 1] != '.') continue;
        bool same = true;
        for (std::size_t k = 2; k < n && same; ++k) same = text[i + k] == buf[k];
        if (same) return text.substr(i, n);
    }
    return {};
}

// Where a basic code stands: the first three digits of a reply's raw text.
constexpr std::string_view locate_code(std::string_view raw) noexcept {
    for (std::size_t i = 0; i + 3 <= raw.size(); ++i)
        if (is_digit(raw[i]) && is_digit(raw[i + 1]) && is_digit(raw[i + 2])) return raw.substr(i, 3);
    return {};
}

constexpr std::string_view provider_name(std::uint64_t providers) noexcept {
    providers &= ~std::uint64_t{1}; // provider 0 is none
    if (providers == 0) return {};
    std::size_t p = 0;
    while (((providers >> p) & 1u) == 0) ++p;
    return p < builtin_providers.size() ? builtin_providers[p] : std::string_view{};
}

// verdict_of(): see classify.hpp.
ESC_DECL verdict verdict_of(const classification& c) noexcept {
    const verdict v = verdict_for(c.outcome, c.reason);
    if (v == verdict::hard && c.outcome == outcome::transient && c.why.by == decided_by::enhanced_code)
        return verdict::soft;
    if (v == verdict::hard && c.why.by == decided_by::command) return verdict::undetermined;
    return v;
}

// Specific text that contradicts a specific code outweighs it. Servers send
// X.1.1 (no such mailbox) for refusals that have nothing to do with the
// address ("550 5.1.1 Message rejected as spam", "550 5.1.1 sender is
// blacklisted") and for mailboxes the text shows to exist ("552 5.1.1
// Recipient overquota", "550 5.1.1 account is suspended"); and X.5.3 (too many
// recipients) or X.2.1 (mailbox disabled) for rate limits ("452 4.5.3 Daily
// message limit exceeded", Gmail's "450 4.2.1 ... receiving mail at a rate
// that prevents additional messages").
constexpr bool phrase_contradicts_code(status_code s, const phrase_pick& strong) noexcept {
    if (!strong.found()) return false;
    const auto said = static_cast<reason>(builtin_phrase_rules[strong.id].value);
    if ((s.subject == 5 && s.detail == 3) || (s.subject == 2 && s.detail == 1)) return said == reason::rate_limited;
    if (s.subject != 1 || s.detail != 1) return false;
    switch (said) {
    case reason::spam:
    case reason::virus:
    case reason::blocked:
    case reason::sender_auth:
    case reason::sender_rejected:
    case reason::rate_limited:
    case reason::relay_denied:
    case reason::mailbox_full:
    case reason::mailbox_disabled: return true;
    default: return false;
    }
}

// The core: see classify.hpp.
ESC_DECL classification classify(reply_code code, std::optional<status_code> sent, command cmd, std::string_view text,
                                 std::string_view rest, const user_decision* user, std::string_view raw,
                                 std::string_view hosts) noexcept {
    phrase_findings phrases = find_phrases(text);
    if (!rest.empty() && (phrases.why == reason::none || phrases.context == command::unknown))
        phrases = merge_findings(phrases, find_phrases(rest));
    if (!hosts.empty()) phrases.providers |= find_phrases(hosts).providers;
    if (cmd == command::unknown) cmd = phrases.context;
    if (raw.empty()) raw = text;

    classification c;
    const bool has_code = has_reply_class(code);
    if (sent && is_valid(*sent)) {
        c.status = *sent;
        c.inferred = false;
    } else if (has_code) {
        c.status = default_status(code, cmd);
    }
    c.outcome = has_code ? outcome_of(code) : c.inferred ? outcome::unknown : outcome_of(c.status.cls);
    c.why.provider = provider_name(phrases.providers);

    if (c.outcome == outcome::success || c.outcome == outcome::intermediate) {
        c.reason = reason::none;
        c.verdict = verdict::none;
        c.why.by = decided_by::basic_code;
        c.why.text = locate_code(raw);
        return c;
    }

    auto by_phrase = [&](const phrase_pick& p) {
        const phrase_rule& rule = builtin_phrase_rules[p.id];
        c.why.by = rule.provider != 0 ? decided_by::provider_rule : decided_by::phrase;
        c.why.text = p.where;
        c.why.rule = builtin_phrase_patterns[p.id];
        if (rule.provider != 0) c.why.provider = builtin_providers[rule.provider];
        c.why.source = builtin_sources[rule.source];
        return static_cast<reason>(rule.value);
    };
    // Where the status stands in the text, looked for once.
    std::string_view status_text;
    bool status_looked_for = false;
    auto status_in_text = [&]() {
        if (!status_looked_for) status_text = locate_status(raw, c.status);
        status_looked_for = true;
        return status_text;
    };
    auto by_code = [&](reason r) {
        c.why.by = decided_by::enhanced_code;
        c.why.text = status_in_text();
        return r;
    };
    const phrase_pick& overrule = phrases.best[static_cast<std::size_t>(rule_strength::overrule)];
    const phrase_pick& strong = phrases.best[static_cast<std::size_t>(rule_strength::strong)];
    const phrase_pick& weak = phrases.best[static_cast<std::size_t>(rule_strength::weak)];
    status_hint sent_hint = c.inferred ? status_hint{} : hint_in_stage(c.status, cmd);
    bool code_alone = false; // the reason came from the basic code's inferred status only
    // qmail and vpopmail put their code after the text, "(#5.1.1)", and pick
    // it carelessly ("552 ... mailbox is over quota (#5.1.1)"): such a code
    // only leans, and a phrase of the text decides.
    if (sent_hint.strength == hint_strength::decisive) {
        const std::string_view at = status_in_text();
        if (!at.empty() && at.data() > raw.data() && at.data()[-1] == '#') sent_hint.strength = hint_strength::leaning;
    }
    const std::size_t code_rule = c.inferred ? builtin_code_rules.size() : provider_code_rule(c.status, phrases.providers);

    reason why = reason::none;
    if (user != nullptr) {
        c.why.by = decided_by::user_rule;
        c.why.text = user->text;
        c.why.rule = user->rule;
        why = user->implies;
    } else if (overrule.found()) {
        why = by_phrase(overrule);
    } else if (code_rule < builtin_code_rules.size()) {
        const detail::code_rule& r = builtin_code_rules[code_rule];
        c.why.by = decided_by::provider_rule;
        c.why.text = status_in_text();
        c.why.rule = builtin_code_rule_texts[code_rule];
        c.why.provider = builtin_providers[r.provider];
        c.why.source = builtin_sources[r.source];
        why = static_cast<reason>(r.implies);
    } else if (sent_hint.strength == hint_strength::decisive && !phrase_contradicts_code(c.status, strong)) {
        why = by_code(sent_hint.why);
    } else if (strong.found()) {
        why = by_phrase(strong);
    } else if (has_code && specific_basic_reason(code) != reason::none) {
        c.why.by = decided_by::basic_code;
        c.why.text = locate_code(raw);
        why = specific_basic_reason(code);
    } else if (sent_hint.strength == hint_strength::leaning) {
        why = by_code(sent_hint.why);
    } else if (weak.found()) {
        why = by_phrase(weak);
    } else if (has_code && stage_reason(code, cmd) != reason::none) {
        c.why.by = decided_by::command;
        c.why.text = locate_code(raw);
        why = stage_reason(code, cmd);
    } else if (has_code && hint_in_stage(c.status, cmd).strength != hint_strength::none) {
        c.why.by = decided_by::basic_code; // through the status the code implies
        c.why.text = locate_code(raw);
        why = hint_in_stage(c.status, cmd).why;
        code_alone = true;
    } else {
        why = reason::other;
    }
    // The queue gave up: that is the reason unless a cause about the recipient
    // or the message was found (see rules/phrases.rules on expiry).
    if (user == nullptr && phrases.expiry.found() &&
        (why == reason::network || why == reason::system_error || why == reason::other))
        why = by_phrase(phrases.expiry);
    c.reason = user != nullptr ? why : in_stage(why, cmd, code);
    if (c.reason != why && c.why.by == decided_by::nothing) { // the stage alone made it (a refusal at HELO)
        c.why.by = decided_by::command;
        c.why.text = locate_code(raw);
    }

    // RFC 5321 4.5.3.1.10: a 552 to RCPT may be taken as "too many
    // recipients", a transient condition, and only then.
    if (c.reason == reason::too_many_recipients && has_code && to_int(code) == 552 && cmd == command::rcpt)
        c.outcome = outcome::transient;
    // An inferred status should say what the reason says: 452 "too many
    // recipients" is 4.5.3, not the 4.3.1 (storage) that 452 alone suggests.
    if (c.inferred && c.reason == reason::too_many_recipients && c.outcome == outcome::transient)
        c.status = make_status(4, 5, 3);
    c.verdict = verdict_of(c);
    if (code_alone && c.verdict == verdict::hard) c.verdict = verdict::undetermined;
    return c;
}

ESC_DECL located_reply locate_reply(std::string_view text) noexcept {
    located_reply l;
    l.head = l.raw = text;
    if (const std::optional<reply> r = find_reply(text)) {
        const std::size_t end = static_cast<std::size_t>(r->raw.data() - text.data()) + r->raw.size();
        l.code = r->code;
        l.status = r->status;
        l.head = text.substr(0, end);
        l.rest = text.substr(end);
        l.raw = r->raw;
    } else if (const std::optional<status_match> m = find_status(text)) {
        l.status = std::optional<status_code>(m->status);
    }
    return l;
}

} // namespace detail

ESC_DECL classification classify(const reply& r, command cmd) noexcept {
    const std::string_view words = detail::reply_words(r);
    return detail::classify(r.code, r.status, cmd, words, {}, nullptr, words);
}

ESC_DECL classification classify(std::string_view text, command cmd) noexcept {
    const detail::located_reply l = detail::locate_reply(text);
    return detail::classify(l.code, l.status, cmd, l.head, l.rest, nullptr, l.raw);
}

ESC_END_NAMESPACE
