// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of bounce.hpp: the MIME walk, the DSN and prose readers and their
// heuristics. Included by bounce.hpp when esc is header-only, compiled once by
// <esc/src.hpp> otherwise (detail/config.hpp).

#include "../bounce.hpp"
#include "../detail/json.hpp"
#include "../detail/mail.hpp"
#include "dsn.ipp"
#include "mime.ipp"

ESC_BEGIN_NAMESPACE

namespace detail {

// --- what a message says about itself -----------------------------------------

struct message_facts {
    std::string_view from, sender, to, subject, return_path, failed_recipients, auto_submitted, content_type;
    std::string_view x_autoreply, precedence; // X-Autoreply / X-Autorespond, Precedence (auto_reply)
    bool challenge = false;                    // a challenge-response system's header (X-Challenge, ...)
};

constexpr message_facts read_facts(std::string_view header) noexcept {
    message_facts m;
    for (const header_field& f : header_fields(header)) {
        auto take = [&](std::string_view name, std::string_view& slot) {
            if (slot.empty() && iequals(f.name, name)) slot = f.value;
        };
        take("From", m.from);
        take("Sender", m.sender);
        take("To", m.to);
        take("Subject", m.subject);
        take("Return-Path", m.return_path);
        take("X-Failed-Recipients", m.failed_recipients);
        take("Auto-Submitted", m.auto_submitted);
        take("X-Autoreply", m.x_autoreply);
        take("X-Autorespond", m.x_autoreply);
        take("Precedence", m.precedence);
        if (iequals(f.name, "X-Challenge") || iequals(f.name, "X-Challenge-Response") ||
            istarts_with(f.name, "X-Boxbe-") || iequals(f.name, "X-TMDA-Confirm"))
            m.challenge = true;
        take("Content-Type", m.content_type);
    }
    return m;
}

// --- addresses in text ----------------------------------------------------------

constexpr bool is_local_char(char c) noexcept {
    if (is_alnum(c)) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '/':
    case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}': case '~': case '.':
        return true;
    default:
        return false;
    }
}

constexpr bool is_domain_char(char c) noexcept { return is_alnum(c) || c == '-' || c == '.'; }

// Whether the word at `pos` sits in a Message-ID, References or
// In-Reply-To line ("Message-Id: <20090429.123@mx.example.jp>").
// Looks back at most this far for the start of a line, so that a text of
// one huge line costs linear time.
inline constexpr std::size_t max_look_back = 256;

constexpr bool in_message_id(std::string_view t, std::size_t pos) noexcept {
    std::size_t b = pos;
    while (b > 0 && pos - b < max_look_back && !is_line_break(t[b - 1])) --b;
    const std::string_view before = t.substr(b, pos - b);
    return icontains(before, "message-id") || icontains(before, "references:") || icontains(before, "in-reply-to");
}

struct address_match {
    std::size_t pos = std::string_view::npos; // npos: none
    std::string_view address;
};

// The next address-shaped word (local@domain.tld) at or after `from`. The
// local part stops at characters an address cannot hold, so "<a@b.c>",
// "rfc822;a@b.c" and "'a@b.c'" all give a@b.c. The domain needs a dot, and
// loses a sentence's final dot.
constexpr address_match find_address(std::string_view t, std::size_t from) noexcept {
    for (std::size_t at = t.find('@', from); at != std::string_view::npos; at = t.find('@', at + 1)) {
        std::size_t b = at;
        while (b > from && is_local_char(t[b - 1])) --b;
        while (b < at && (t[b] == '.' || t[b] == '\'' || t[b] == '=' || t[b] == '/')) ++b; // "...='a@b"
        // A type written before the address with '=' (which a local part may
        // hold: VERP's "bounces+bob=example.com@"), as in "smtp=bob@example.com".
        for (std::string_view prefix : {std::string_view("smtp="), std::string_view("rfc822="),
                                        std::string_view("rcpt="), std::string_view("to=")})
            if (at - b > prefix.size() && istarts_with(t.substr(b, at - b), prefix)) b += prefix.size();
        if (b == at) continue;
        std::size_t e = at + 1;
        while (e < t.size() && is_domain_char(t[e])) ++e;
        while (e > at + 1 && (t[e - 1] == '.' || t[e - 1] == '-')) --e;
        const std::string_view domain = t.substr(at + 1, e - at - 1);
        const std::size_t dot = domain.find('.');
        if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.find("..") != std::string_view::npos)
            continue;
        if (t[at - 1] == '.') continue;
        if (in_message_id(t, b)) continue;
        return {b, t.substr(b, e - b)};
    }
    return {};
}

// The first address in a header field value ("Bob <bob@example.com>").
constexpr std::string_view first_address(std::string_view value) noexcept { return find_address(value, 0).address; }

constexpr bool is_role_address(std::string_view a) noexcept {
    const std::size_t at = a.find('@');
    const std::string_view local = a.substr(0, at);
    return iequals(local, "mailer-daemon") || iequals(local, "postmaster") || istarts_with(local, "no-reply") ||
           istarts_with(local, "noreply") || iequals(local, "root");
}

// A few addresses, compared case-insensitively; fixed capacity.
template <std::size_t N>
struct address_set {
    std::string_view items[N];
    std::size_t size = 0;

    constexpr bool full() const noexcept { return size == N; }
    constexpr void add(std::string_view a) noexcept {
        if (a.empty() || contains(a) || size == N) return;
        items[size++] = a;
    }
    constexpr bool contains(std::string_view a) const noexcept {
        for (std::size_t i = 0; i < size; ++i)
            if (iequals(items[i], a)) return true;
        return false;
    }
};

// --- the human-readable text --------------------------------------------------

// Where the returned message starts inside a report text: a separator line
// naming it ("------ This is a copy of the message, including all the
// headers. ------", "--- Below this line is a copy of the message.",
// "   ----- Unsent message follows -----", "Original message follows.",
// "Original Message:"). A sentence that only mentions it ("The original
// message was received at ...") is not one.
constexpr bool is_returned_message_marker(std::string_view line) noexcept {
    constexpr std::string_view markers[] = {
        "copy of the message", "original message", "message follows",   "returned message",
        "unsent message",      "undelivered message", "message headers follow", "headers of the original",
        "original mail",       "message text follows", "returned mail follows",
    };
    line = trim_space(line);
    if (line.size() > 100 || line.empty()) return false;
    bool named = false;
    for (std::string_view m : markers)
        if (icontains(line, m)) named = true;
    if (!named) return false;
    const bool ruled = line.size() >= 2 && (line[0] == '-' || line[0] == '=' || line[0] == '*' || line[0] == '_') &&
                       line[1] == line[0];
    return ruled || line.back() == ':' || icontains(line, "follow") || icontains(line, "below");
}

constexpr bool starts_header_run(std::string_view text, std::size_t pos) noexcept {
    const scanned_field f = scan_field(text, pos);
    if (f.kind != field_scan::field) return false;
    if (!iequals(f.name, "Received") && !iequals(f.name, "Return-Path") && !iequals(f.name, "Message-ID") &&
        !iequals(f.name, "DKIM-Signature") && !iequals(f.name, "X-Received"))
        return false;
    std::size_t next = f.next;
    for (int i = 0; i < 2; ++i) { // two more fields make it a header block
        const scanned_field g = scan_field(text, next);
        if (g.kind != field_scan::field) return false;
        next = g.next;
    }
    return true;
}

// The report text: the text up to the returned message.
constexpr std::string_view report_text(std::string_view text) noexcept {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const mail_line line = next_mail_line(text, pos);
        if (is_returned_message_marker(line.content) || starts_header_run(text, pos)) return text.substr(0, pos);
        pos = line.next;
    }
    return text;
}

// Words in a Subject or the text that say a delivery failed or is delayed.
constexpr bool says_delivery_failed(std::string_view s) noexcept {
    constexpr std::string_view words[] = {
        "undeliver",        "undelivered",    "delivery status", "delivery fail", "delivery failure",
        "failure notice",   "returned mail",  "mail delivery",   "delivery notification", "could not be delivered",
        "not be delivered", "delivery problem", "delivery report", "non remis",   "non recapitabile",
        "delayed",          "failed",         "failure",         "returning message", "mail system error",
        "unzustellbar",     "non distribuable", "undeliverable", "postmaster notify", "delivery has failed",
    };
    for (std::string_view w : words)
        if (icontains(s, w)) return true;
    return false;
}

// What the prose says the MTA did: gave up for good (qmail's "I'm not going
// to try again", "giving up", "permanent error") or will try again ("will
// retry", "postponed", "still trying"); none when it says neither. Giving up
// wins: a failure notice may recount the retries made before it.
// qmail's "Giving up on 192.0.2.1." is about one host, not the message, and
// says nothing either way: qmail writes it after every permanent reply.
constexpr dsn_action prose_action(std::string_view text) noexcept {
    struct word {
        std::string_view text;
        dsn_action says;
    };
    constexpr word words[] = {
        {"not going to try again", dsn_action::failed}, {"gave up", dsn_action::failed},
        {"given up", dsn_action::failed},               {"giving up", dsn_action::failed},
        {"permanent error", dsn_action::failed},        {"permanent failure", dsn_action::failed},
        {"failed permanently", dsn_action::failed},     {"permanently failed", dsn_action::failed},
        {"will not be retried", dsn_action::failed},    {"no further attempts", dsn_action::failed},
        {"will retry", dsn_action::delayed},            {"will be retried", dsn_action::delayed},
        {"postponed", dsn_action::delayed},             {"still trying", dsn_action::delayed},
        {"not yet been delivered", dsn_action::delayed}, {"delivery delay", dsn_action::delayed},
        {"has been delayed", dsn_action::delayed},      {"will keep trying", dsn_action::delayed},
        {"will try again", dsn_action::delayed},        {"(delay)", dsn_action::delayed},
        {"retry again", dsn_action::delayed},
    };
    // One pass: at each character, only the words starting with it are tried.
    bool delayed = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = to_lower(text[i]);
        if (c != 'n' && c != 'g' && c != 'p' && c != 'f' && c != 'w' && c != 's' && c != 'd' && c != 'h' &&
            c != '(' && c != 'r')
            continue;
        for (const word& w : words) {
            if (w.text[0] != c || !istarts_with(text.substr(i), w.text)) continue;
            if (w.says == dsn_action::delayed) {
                delayed = true;
                continue;
            }
            if (w.text == "giving up" && istarts_with(text.substr(i + w.text.size()), " on ")) continue;
            return dsn_action::failed;
        }
    }
    return delayed ? dsn_action::delayed : dsn_action::none;
}

constexpr bool says_delayed(std::string_view s) noexcept {
    constexpr std::string_view words[] = {"delayed",      "will retry",       "still trying", "not yet been delivered",
                                          "will be retried", "delivery delay", "temporary failure", "(delay)"};
    for (std::string_view w : words)
        if (icontains(s, w)) return true;
    return false;
}

// Evidence of a failure: the Subject or the text says so, or the text quotes
// a server's reply or an enhanced code.
constexpr bool says_what_failed(std::string_view subject, std::string_view text) noexcept {
    return says_delivery_failed(subject) || says_delivery_failed(text) || find_reply(text).has_value() ||
           find_status(text).has_value();
}

// An out-of-office or other automatic reply (RFC 3834): a reply to the
// message, not a report on its delivery.
// Challenge-response systems (a message held until the sender proves to be
// a person) are automatic replies too: the message was not refused.
constexpr bool looks_like_auto_reply(const message_facts& m) noexcept {
    constexpr std::string_view prefixes[] = {"Automatic reply:", "Auto:", "Autoreply:", "Auto-reply:",
                                             "Auto-Response", "Auto Response", "Out of Office", "Out of the office",
                                             "Vacation", "Abwesenheit", "Réponse automatique", "AutoReply",
                                             "Risposta automatica", "Respuesta automática", "Autosvar",
                                             "Please confirm your message", "Confirm your message",
                                             "Verification required", "[SpamArrest]", "Sender verification"};
    const std::string_view subject = trim_space(m.subject);
    for (std::string_view p : prefixes)
        if (istarts_with(subject, p)) return true;
    if (m.challenge || !trim_space(m.x_autoreply).empty()) return true;
    if (iequals(trim_space(m.precedence), "auto_reply")) return true;
    return false; // "Auto-Submitted: auto-replied" alone says nothing: bounces carry it too
}

// Whether the message presents itself as a bounce. Any DSN part settles it;
// otherwise a null Return-Path, a mailer-daemon sender, X-Failed-Recipients
// or a bounce's Subject.
constexpr bool looks_like_bounce(const message_facts& m) noexcept {
    if (!m.failed_recipients.empty()) return true;
    if (trim_space(m.return_path) == "<>") return true;
    const std::string_view from = first_address(m.from);
    if (!from.empty() && is_role_address(from) && !istarts_with(from, "no")) return true;
    if (icontains(m.from, "mailer-daemon") || icontains(m.from, "mail delivery") || icontains(m.from, "postmaster"))
        return true;
    return says_delivery_failed(m.subject);
}

} // namespace detail

ESC_DECL delivery_status_part find_delivery_status(std::string_view message, char* first, char* last) noexcept {
    struct visitor {
        detail::mime_entity found;
        int found_enclosed = -1;
        constexpr void operator()(const detail::mime_entity& e, int, int enclosed) noexcept {
            if (found_enclosed == 0) return;
            if (!detail::is_type(e.type, "message/delivery-status") &&
                !detail::is_type(e.type, "message/global-delivery-status"))
                return;
            if (found_enclosed < 0 || enclosed < found_enclosed) {
                found = e;
                found_enclosed = enclosed;
            }
        }
    } v{};
    detail::walk_mime(message, true, 0, 0, v);
    delivery_status_part p;
    if (v.found_enclosed < 0) return p;
    p.found = true;
    p.enclosed = v.found_enclosed > 0;
    p.global = detail::is_type(v.found.type, "message/global-delivery-status");
    detail::arena a{first, last};
    p.body = a.decode(v.found.body, v.found.encoding);
    p.decoded = v.found.encoding != detail::transfer_encoding::identity;
    p.complete = !a.overflow;
    p.clean = !a.damaged;
    return p;
}

namespace detail {

inline constexpr std::size_t unfold_buffer_size = 2048;

// A copy of `text` with each address blanked out, for classify(): a mailbox
// named "userunknown@", "spam-reports@" or "virus@" must not be read as a
// reason. So is qmail's "Giving up on HOST." (below). Line breaks and blanks around them become one space. Returns
// `text` itself when it does not fit the buffer.
constexpr std::string_view mask_addresses(std::string_view text, char* first, char* last) noexcept {
    if (text.size() > static_cast<std::size_t>(last - first)) return text;
    const std::string_view flat = has_line_break(text) ? unfold_into(text, first, last) : text;
    char* out = first;
    if (flat.data() != first)
        for (char c : flat) *out++ = c;
    const std::string_view copy(first, flat.size());
    std::size_t pos = 0;
    while (true) {
        const address_match m = find_address(copy, pos);
        if (m.pos == std::string_view::npos) break;
        for (std::size_t i = m.pos; i < m.pos + m.address.size(); ++i) first[i] = ' ';
        pos = m.pos + m.address.size();
    }
    // Exim's "WRITTEN: malformed address: FRAGMENT may not follow ADDRESS"
    // quotes what was written ("a@b.example junk"), which is no reason: the
    // fragment goes, where it stands and at the end of WRITTEN.
    constexpr std::string_view malformed = ": malformed address: ", follow = " may not follow ";
    for (std::size_t at = copy.find(malformed); at != std::string_view::npos; at = copy.find(malformed, at)) {
        const std::size_t fragment = at + malformed.size();
        const std::size_t window = fragment + 32 + follow.size() < copy.size() ? fragment + 32 + follow.size() : copy.size();
        const std::size_t end = copy.substr(0, window).find(follow, fragment);
        if (end == std::string_view::npos) {
            at = fragment;
            continue;
        }
        const std::string_view piece = trim_space(copy.substr(fragment, end - fragment));
        const std::size_t lo = at > 256 ? at - 256 : 0;
        const std::size_t written = piece.empty() ? std::string_view::npos : copy.substr(lo, at - lo).rfind(piece);
        if (written != std::string_view::npos)
            for (std::size_t i = lo + written; i < lo + written + piece.size(); ++i) first[i] = ' ';
        for (std::size_t i = fragment; i < end; ++i) first[i] = ' ';
        at = end + follow.size();
    }
    // qmail's "Giving up on 192.0.2.1." follows every permanent reply: it
    // says the host was tried for the last time, not that the message
    // expired, and must not read as a reason.
    for (std::size_t at = ifind(copy, "giving up on "); at != std::string_view::npos;
         at = ifind(copy, "giving up on ", at)) {
        std::size_t e = at + 13;
        while (e < copy.size() && !is_space(copy[e])) ++e;
        for (std::size_t i = at; i < e; ++i) first[i] = ' ';
        at = e;
    }
    return copy;
}

// The reply a diagnostic reports: the first failure (4yz, 5yz) it quotes,
// else the first reply. A transcript quotes the successful steps too
// ("Out: 250 2.1.5 Ok ... Out: 451 4.3.0 Error").
// `context` is where the text about it starts: past the successful replies
// skipped (their text is not about the failure).
struct reported {
    std::optional<reply> r;
    std::size_t context = 0;
};

constexpr reported reported_reply(std::string_view text) noexcept {
    reported first;
    std::size_t from = 0;
    for (int i = 0; i < 32 && from < text.size(); ++i) {
        const std::optional<reply> r = find_reply(text.substr(from));
        if (!r) break;
        if (to_int(r->code) >= 400) return {r, first.r ? from : 0};
        if (!first.r) first.r = r;
        const std::size_t end = static_cast<std::size_t>(r->raw.data() - text.data()) + r->raw.size();
        from = end > from ? end : from + 3;
    }
    return first;
}

// classify() reads a masked copy of the diagnostic; the evidence it reports
// must point into the caller's message instead: at the same place when the
// copy kept the layout, else at the first place the same characters stand.
constexpr std::string_view in_diagnostic(std::string_view evidence, std::string_view copy,
                                         std::string_view diagnostic) noexcept {
    if (evidence.empty() || copy.data() == diagnostic.data()) return evidence;
    const auto* const first = copy.data();
    if (evidence.data() < first || evidence.data() + evidence.size() > first + copy.size()) return evidence;
    const std::size_t at = static_cast<std::size_t>(evidence.data() - first);
    if (copy.size() == diagnostic.size() && diagnostic.substr(at, evidence.size()) == evidence)
        return diagnostic.substr(at, evidence.size());
    const std::size_t found = diagnostic.find(evidence);
    return found == std::string_view::npos ? std::string_view() : diagnostic.substr(found, evidence.size());
}

// classify() on a diagnostic, with the Status field standing in for the
// enhanced code when the server's reply carried none, and the action
// settling what a diagnostic leaves open.
// `stated`: the action was written (a DSN's Action field, prose saying the
// MTA gave up), not presumed from a bounce having been sent.
ESC_CONSTEXPR void classify_recipient(bounce_recipient& r, std::optional<status_code> status_field,
                                  bool stated = true) noexcept {
    char buffer[unfold_buffer_size] = {};
    const std::string_view text = mask_addresses(r.diagnostic, buffer, buffer + unfold_buffer_size);

    reply_code code{};
    std::optional<status_code> sent, trailing;
    std::string_view head = text, rest;
    if (const reported rep = reported_reply(text); rep.r) {
        const reply* const found = &*rep.r;
        code = found->code;
        sent = found->status;
        const std::size_t end = static_cast<std::size_t>(found->raw.data() - text.data()) + found->raw.size();
        head = text.substr(rep.context, end - rep.context);
        rest = text.substr(end);
        r.reply_code = std::optional<esc::reply_code>(code);
        // qmail and others put an enhanced code after the text: "552 sorry,
        // mailbox is over quota (#5.1.1)". It is reported, but servers pick
        // it carelessly: the reason is read from the text, not from it.
        if (!sent)
            if (const std::optional<status_match> m = find_status(text.substr(end - found->raw.size()));
                m && static_cast<int>(m->status.cls) == static_cast<int>(class_of(code)))
                trailing = std::optional<status_code>(m->status);
    } else if (const std::optional<status_match> m = find_status(text)) {
        sent = std::optional<status_code>(m->status);
    }
    // The Status field is the reporting MTA's verdict and is reported as
    // is, unless it is the catch-all X.0.0 of the class the server's own
    // code is more specific in (Status: 5.0.0, "550 5.1.1 User unknown").
    // Classification reads the server's code when there is one.
    const bool catch_all = status_field && status_field->subject == 0 && status_field->detail == 0;
    const bool sent_refines = sent && status_field && sent->cls == status_field->cls &&
                              (sent->subject != 0 || sent->detail != 0);
    if (!sent) sent = status_field;
    r.status = status_field && !(catch_all && sent_refines) ? status_field : sent;
    if (!r.status) r.status = trailing;

    // The Remote-MTA names the provider even when the diagnostic does not.
    classification c = classify(code, sent, command::unknown, head, rest, nullptr, {}, r.fields.remote_mta.value);
    c.why.text = in_diagnostic(c.why.text, text, r.diagnostic);
    const esc::reason before = c.reason;
    switch (r.action) {
    case dsn_action::delivered:
    case dsn_action::relayed:
    case dsn_action::expanded:
        c.outcome = outcome::success;
        c.reason = reason::none;
        break;
    case dsn_action::delayed:
        // Still queued, whatever the last reply was (a 5yz one the MTA will
        // retry, or a quoted 250 from an earlier step).
        if (c.outcome == outcome::success || c.outcome == outcome::intermediate) c.reason = reason::none;
        c.outcome = outcome::transient;
        break;
    case dsn_action::failed:
        // RFC 3464 2.3.3: "failed" means the MTA will not try again, whatever
        // class the Status field or the reply has: the message is lost. A
        // transient cause it gave up on, when it says so, is reported as the
        // expiry it is (the cause is in the diagnostic).
        if (stated && c.outcome == outcome::transient &&
            (c.reason == reason::network || c.reason == reason::system_error || c.reason == reason::other))
            c.reason = reason::expired;
        c.outcome = outcome::permanent;
        break;
    default:
        break;
    }
    if ((c.outcome == outcome::transient || c.outcome == outcome::permanent) && c.reason == reason::none)
        c.reason = reason::other;
    if (c.reason != before) // the report's own verdict decided
        c.why = c.reason == reason::other ? explanation{} : explanation{decided_by::report, {}, {}, c.why.provider, {}};
    c.verdict = verdict_of(c);
    r.classification = c;
}

} // namespace detail

ESC_DECL bounce_recipient bounce_result(const dsn_recipient_fields& f) noexcept {
    bounce_recipient r;
    r.address = f.recipient();
    r.original = address_of(f.original_recipient);
    r.origin = address_of(f.final_recipient).empty() ? address_origin::original_recipient
                                                     : address_origin::final_recipient;
    r.action = f.action;
    r.diagnostic = f.diagnostic_code.value;
    r.source = bounce_source::dsn;
    r.fields = f;
    detail::classify_recipient(r, f.status);
    return r;
}

namespace detail {

// What read_bounce() gathers in one walk over the MIME tree.
struct bounce_parts {
    mime_entity top;
    mime_entity dsn;
    int dsn_enclosed = -1;
    mime_entity text;
    bool have_text = false;
    bool text_is_html = false;
    std::string_view returned_header; // the returned message's header (message/rfc822 or text/rfc822-headers)
    // The returned message's part when it is in base64 or quoted-printable
    // (RFC 2046 5.2.1 forbids it for message/rfc822; it is sent all the
    // same): its header is decoded when asked for.
    mime_entity encoded_returned;
    bool have_encoded_returned = false;
    bool encoded_returned_is_message = false; // message/rfc822: a header, then the body; else the header alone
    bool feedback = false;
    mime_entity feedback_part;

    constexpr void operator()(const mime_entity& e, int depth, int enclosed) noexcept {
        if (depth == 0) top = e;
        const bool dsn_type =
            is_type(e.type, "message/delivery-status") || is_type(e.type, "message/global-delivery-status");
        if (dsn_type && (dsn_enclosed < 0 || enclosed < dsn_enclosed)) {
            dsn = e;
            dsn_enclosed = enclosed;
        }
        if (enclosed == 0 && is_type(e.type, "message/feedback-report") && !feedback) {
            feedback = true;
            feedback_part = e;
        }
        const bool message_type = is_type(e.type, "message/rfc822") || is_type(e.type, "message/global");
        const bool headers_type = is_type(e.type, "text/rfc822-headers") || is_type(e.type, "text/rfc822-header") ||
                                  is_type(e.type, "message/global-headers");
        if (enclosed == 0 && (message_type || headers_type) && e.encoding != transfer_encoding::identity &&
            returned_header.empty() && !have_encoded_returned) {
            encoded_returned = e;
            have_encoded_returned = true;
            encoded_returned_is_message = message_type;
        }
        if (enclosed == 1 && returned_header.empty() && !have_encoded_returned && !e.header.empty())
            returned_header = e.header;
        if (enclosed == 0 && headers_type && e.encoding == transfer_encoding::identity && returned_header.empty() &&
            !have_encoded_returned)
            returned_header = e.body;
        if (enclosed != 0) return;
        const bool plain = e.type.type.empty() || is_type(e.type, "text/plain");
        const bool html = is_type(e.type, "text/html");
        if ((plain && (!have_text || text_is_html)) || (html && !have_text)) {
            text = e;
            have_text = true;
            text_is_html = html;
        }
    }
};

// The recipients of a bounce in prose. Calls found(address, paragraph) for
// each, in order, at most once per address (case-insensitive).
struct text_recipient {
    std::string_view address;
    std::string_view paragraph; // from the address to the end of its paragraph
};

constexpr std::size_t line_start(std::string_view text, std::size_t pos) noexcept {
    while (pos > 0 && !is_line_break(text[pos - 1])) --pos;
    return pos;
}

// Whether `s` says anything beyond blanks and punctuation.
constexpr bool has_words(std::string_view s) noexcept {
    std::size_t letters = 0;
    for (char c : s)
        if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) ++letters;
    return letters > 2;
}

// The paragraph about an address mentioned at `pos`: from the start of its
// line to the end of the block of lines, which ends at a blank line once some
// text went with the address (not after a line ending in ':', "For the
// following reason:"), or at a line that starts with another address (the
// next recipient).
constexpr std::string_view paragraph_at(std::string_view text, std::size_t pos, std::string_view address) noexcept {
    const std::size_t begin = line_start(text, pos);
    const mail_line line = next_mail_line(text, begin);
    std::size_t end = begin + line.content.size();
    bool has_text = has_words(text.substr(begin, pos - begin)) ||
                    has_words(text.substr(pos + address.size(), end - pos - address.size()));
    bool open = !trim_space(line.content).empty() && trim_space(line.content).back() == ':';
    std::size_t next = line.next;
    for (int lines = 0; next < text.size() && lines < 40; ++lines) {
        const mail_line l = next_mail_line(text, next);
        if (is_blank_line(l.content)) {
            if (has_text && !open) break;
            next = l.next;
            continue;
        }
        const std::string_view trimmed = trim_space(l.content);
        const std::size_t lead = static_cast<std::size_t>(trimmed.data() - l.content.data());
        const address_match m = find_address(l.content, 0);
        if (m.pos != std::string_view::npos && !iequals(m.address, address) &&
            (m.pos == lead || (trimmed[0] == '<' && m.pos == lead + 1)))
            break;
        end = next + l.content.size();
        has_text = true;
        open = trimmed.back() == ':';
        next = l.next;
    }
    return text.substr(begin, end - begin);
}

// The block of lines before the blank lines that precede `begin`; empty at
// the start of the text.
constexpr std::string_view previous_paragraph(std::string_view text, std::size_t begin) noexcept {
    std::size_t end = begin;
    while (end > 0) { // back over the blank lines
        const std::size_t b = line_start(text, end - 1);
        if (!is_blank_line(next_mail_line(text, b).content)) break;
        end = b;
    }
    if (end == 0) return {};
    std::size_t b = line_start(text, end - 1);
    const std::size_t last_end = b + next_mail_line(text, b).content.size();
    for (int lines = 0; b > 0 && lines < 40; ++lines) {
        const std::size_t p = line_start(text, b - 1);
        if (is_blank_line(next_mail_line(text, p).content)) break;
        b = p;
    }
    return text.substr(b, last_end - b);
}

ESC_CONSTEXPR bool quotes_a_code(std::string_view text) noexcept {
    return find_reply(text).has_value() || find_status(text).has_value();
}

// The paragraph of the first reply quoted in `text` at or after `from`:
// from its line to the next blank line. Empty when there is none.
ESC_CONSTEXPR std::string_view reply_paragraph(std::string_view text, std::size_t from) noexcept {
    const std::optional<reply> r = find_reply(text.substr(from));
    if (!r) return {};
    const std::size_t b = line_start(text, static_cast<std::size_t>(r->raw.data() - text.data()));
    std::size_t end = b, pos = b;
    for (int lines = 0; pos < text.size() && lines < 40; ++lines) {
        const mail_line l = next_mail_line(text, pos);
        if (is_blank_line(l.content)) break;
        end = pos + l.content.size();
        pos = l.next;
    }
    return text.substr(b, end - b);
}

// The paragraphs of the replies a text quotes, searched for lazily and
// remembered: diagnostic_at() asks for "the first reply at or after here" for
// every recipient, and a text naming thousands of them with the one reply at
// the end would otherwise be searched to its end each time (quadratic).
// A search from `from` that found the reply starting at `found` answers every
// later question from a point between the two: no reply starts in between.
struct reply_index {
    std::string_view text;
    std::size_t searched_from = std::string_view::npos; // npos: not searched yet
    std::size_t found = std::string_view::npos;         // where the reply found starts; npos: none
    std::string_view paragraph;
    std::string_view first_paragraph;                   // from 0, once asked
    bool first_known = false;

    constexpr explicit reply_index(std::string_view t) noexcept : text(t) {}

    constexpr std::string_view search(std::size_t from) noexcept {
        if (searched_from != std::string_view::npos && from >= searched_from &&
            (found == std::string_view::npos || from <= found))
            return paragraph;
        searched_from = from;
        paragraph = reply_paragraph(text, from);
        found = paragraph.empty() ? std::string_view::npos
                                  : static_cast<std::size_t>(paragraph.data() - text.data());
        // reply_paragraph starts at the line of the reply: the reply itself
        // may start later on that line, but never before `from`.
        if (found != std::string_view::npos && found < from) found = from;
        return paragraph;
    }
    constexpr std::string_view paragraph_from(std::size_t from) noexcept {
        if (from == 0) {
            if (!first_known) {
                first_paragraph = reply_paragraph(text, 0);
                first_known = true;
            }
            return first_paragraph;
        }
        return search(from);
    }
};

// The block of lines after the blank lines that follow `end`; empty when
// the text ends first.
constexpr std::string_view next_paragraph(std::string_view text, std::size_t end) noexcept {
    std::size_t pos = end;
    if (pos < text.size()) pos = next_mail_line(text, pos).next; // the rest of the line `end` is in
    while (pos < text.size()) {
        const mail_line l = next_mail_line(text, pos);
        if (!is_blank_line(l.content)) break;
        pos = l.next;
    }
    const std::size_t b = pos;
    std::size_t e = b;
    for (int lines = 0; pos < text.size() && lines < 40; ++lines) {
        const mail_line l = next_mail_line(text, pos);
        if (is_blank_line(l.content)) break;
        e = pos + l.content.size();
        pos = l.next;
    }
    return text.substr(b, e - b);
}

// Whether a text quotes a code or names a reason classify() knows, in its
// words rather than in the addresses it quotes.
ESC_CONSTEXPR bool explains(std::string_view text) noexcept {
    char buffer[unfold_buffer_size] = {};
    const std::string_view t = mask_addresses(text, buffer, buffer + unfold_buffer_size);
    return quotes_a_code(t) || find_phrases(t).why != reason::none;
}

// The diagnostic for a recipient named at `pos` in a bounce's text: the
// paragraph about it if it quotes a code or names a reason; else that
// paragraph and the next, if the next does ("There was an error delivering
// your mail to <a>." then "DNS lookup failure: ..."); else the first
// paragraph after it that quotes a reply (the transcript section of
// sendmail-style bounces), or the first one in the text; else, when the
// address stands alone, the paragraph before it ("The user(s) account is
// disabled."); else the paragraph.
// `replies` null says the text quotes no reply, which spares the searches
// for one.
template <class Replies>
constexpr std::string_view diagnostic_at(std::string_view text, std::size_t pos, std::string_view address,
                                         Replies* replies) noexcept {
    const std::string_view p = paragraph_at(text, pos, address);
    if (explains(p)) return p;
    const std::size_t p_begin = static_cast<std::size_t>(p.data() - text.data());
    const std::size_t p_end = p_begin + p.size();
    const std::string_view n = next_paragraph(text, p_end);
    if (!n.empty() && explains(n))
        return text.substr(p_begin, static_cast<std::size_t>(n.data() - text.data()) + n.size() - p_begin);
    if (replies) {
        std::string_view q = replies->paragraph_from(p_end);
        if (q.empty()) q = replies->paragraph_from(0);
        if (!q.empty()) return q;
    }
    const std::size_t at = pos - p_begin;
    const bool alone = !has_words(p.substr(0, at)) && !has_words(p.substr(at + address.size()));
    if (alone) {
        const std::string_view before = previous_paragraph(text, p_begin);
        if (has_words(before)) return before;
    }
    return p;
}

// Exim's report of a recipient address it could not parse (parse.c, the
// mail "contained one or more recipient addresses that were incorrectly
// constructed"): "  WRITTEN: malformed address: FRAGMENT may not follow
// ADDRESS", FRAGMENT being the (at most 32) characters Exim stopped at.
// The report names two addresses when what was written is a name-addr
// whose display name is an unquoted address, "a@b.example <c@d.example>":
// the recipient is then the mailbox in the angle brackets (what a reader
// of the name-addr, Exim's next attempt and other bounce readers take),
// not the display name. Any other fragment ("@other.example", "junk") is
// not an address: the recipient is the one found, heading the line.
constexpr address_match exim_malformed_recipient(std::string_view text, const address_match& found) noexcept {
    // Looked for within the line, and near the address (what follows it in
    // WRITTEN is Exim's fragment, 32 characters), so that every address
    // heading a line costs a bounded look.
    constexpr std::string_view marker = ": malformed address: ";
    const std::size_t display_end = found.pos + found.address.size();
    std::size_t line_end = display_end;
    while (line_end < text.size() && line_end < display_end + 256 && !is_line_break(text[line_end])) ++line_end;
    const std::size_t at = text.substr(0, line_end).find(marker, display_end);
    if (at == std::string_view::npos) return found;
    const address_match next = find_address(text.substr(0, at), display_end);
    if (next.pos == std::string_view::npos || next.pos >= at || next.pos == 0 || text[next.pos - 1] != '<')
        return found;
    const std::size_t after = next.pos + next.address.size();
    if (after >= at || text[after] != '>' || !trim_space(text.substr(after + 1, at - after - 1)).empty() ||
        !trim_space(text.substr(display_end, next.pos - 1 - display_end)).empty())
        return found;
    return next;
}

// Whether the address at `pos` heads its line: only blanks, quote marks,
// "<", or a label ending in ':' ("Recipient:", "To:") before it.
constexpr bool heads_line(std::string_view text, std::size_t pos) noexcept {
    std::size_t b = pos;
    while (b > 0 && !is_line_break(text[b - 1])) {
        if (pos - b >= max_look_back) return false;
        --b;
    }
    const std::string_view before = text.substr(b, pos - b);
    bool only_marks = true;
    for (char c : before)
        if (!is_blank(c) && c != '<' && c != '>' && c != '"' && c != '\'' && c != '*' && c != '-')
            only_marks = false;
    return only_marks;
}

// The text on the line of `pos` before it, at most max_look_back characters.
constexpr std::string_view line_before(std::string_view text, std::size_t pos) noexcept {
    std::size_t b = pos;
    while (b > 0 && pos - b < max_look_back && !is_line_break(text[b - 1])) --b;
    return text.substr(b, pos - b);
}

// Whether the address at `pos` is one to write to, not one that failed:
// "For further assistance, please contact <support@example.jp>".
constexpr bool is_contact_address(std::string_view text, std::size_t pos) noexcept {
    constexpr std::string_view words[] = {"contact",        "write to",      "email us",   "e-mail us",
                                          "reach us",       "assistance",    "helpdesk",   "help desk",
                                          "questions",      "send a message to", "complaints"};
    const std::string_view before = line_before(text, pos);
    for (std::string_view w : words)
        if (icontains(before, w)) return true;
    return false;
}

// The alias an address was expanded from, written after it: Postfix's
// "<bob@example.com> (expanded from <list@example.com>): ...", sendmail's
// "(expanded from: <list@example.com>)". Empty when there is none.
constexpr std::string_view expanded_from(std::string_view text, std::size_t end) noexcept {
    std::size_t i = end;
    if (i < text.size() && text[i] == '>') ++i;
    while (i < text.size() && is_blank(text[i])) ++i;
    constexpr std::string_view marker = "(expanded from";
    if (!istarts_with(text.substr(i), marker)) return {};
    i += marker.size();
    const std::size_t close = text.find(')', i);
    if (close == std::string_view::npos || close - i > max_look_back) return {};
    const address_match m = find_address(text.substr(0, close), i);
    return m.address;
}

// Whether the address at `pos` is the alias in such a note: not a recipient
// of its own.
constexpr bool is_expansion_source(std::string_view text, std::size_t pos) noexcept {
    std::string_view before = line_before(text, pos);
    while (!before.empty() && (is_blank(before.back()) || before.back() == '<' || before.back() == ':'))
        before.remove_suffix(1);
    constexpr std::string_view marker = "expanded from";
    return before.size() >= marker.size() && iequals(before.substr(before.size() - marker.size()), marker);
}

} // namespace detail

namespace detail {

// DSN fields written into the text itself (a multipart/report whose
// delimiters were lost, a DSN forwarded inline): the offset of the first
// line that starts with Reporting-MTA: or Final-Recipient:, or npos.
constexpr std::size_t find_inline_dsn(std::string_view text) noexcept {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const mail_line line = next_mail_line(text, pos);
        if (istarts_with(line.content, "Reporting-MTA:") || istarts_with(line.content, "Final-Recipient:") ||
            istarts_with(line.content, "Original-Recipient:"))
            return pos;
        pos = line.next;
    }
    return std::string_view::npos;
}

// The header block of a returned message quoted in the text after `from`
// (past the separator line and blank lines): its first run of fields.
constexpr std::string_view inline_returned_header(std::string_view text, std::size_t from) noexcept {
    std::size_t pos = from;
    while (pos < text.size()) {
        const mail_line line = next_mail_line(text, pos);
        const scanned_field f = scan_field(text, pos);
        if (f.kind == field_scan::field) break;
        pos = line.next;
    }
    std::size_t end = pos;
    while (end < text.size()) {
        const scanned_field f = scan_field(text, end);
        if (f.kind != field_scan::field) break;
        end = f.next;
    }
    return text.substr(pos, end - pos);
}

} // namespace detail

namespace detail {

constexpr returned_message read_returned(std::string_view header) noexcept {
    returned_message m;
    m.header = header;
    for (const header_field& f : header_fields(header)) {
        auto take = [&](std::string_view name, std::string_view& slot) {
            if (slot.empty() && iequals(f.name, name)) slot = f.value;
        };
        take("Message-ID", m.message_id);
        take("Subject", m.subject);
        take("From", m.from);
        take("To", m.to);
        take("Date", m.date);
        take("List-Id", m.list_id);
    }
    return m;
}

constexpr feedback_fields read_feedback_fields(std::string_view body) noexcept {
    feedback_fields f;
    f.raw = body;
    for (const header_field& h : header_fields(body)) {
        auto take = [&](std::string_view name, std::string_view& slot) {
            if (!iequals(h.name, name)) return false;
            if (slot.empty()) slot = h.value;
            return true;
        };
        if (take("Original-Rcpt-To", f.original_rcpt_to)) {
            ++f.original_rcpt_to_count;
            continue;
        }
        take("Feedback-Type", f.feedback_type) || take("User-Agent", f.user_agent) || take("Version", f.version) ||
            take("Original-Mail-From", f.original_mail_from) || take("Arrival-Date", f.arrival_date) ||
            take("Received-Date", f.arrival_date) || take("Source-IP", f.source_ip) ||
            take("Reported-Domain", f.reported_domain) || take("Authentication-Results", f.authentication_results) ||
            take("Reported-URI", f.reported_uri) || take("Incidents", f.incidents);
    }
    return f;
}

// Whether a text (in a charset said to be ASCII, or none) has the escape
// sequences that designate ISO-2022-JP's two-octet sets: ESC $ @, ESC $ B.
constexpr bool has_iso2022jp_escape(std::string_view text) noexcept {
    for (std::size_t at = text.find('\x1b'); at != std::string_view::npos; at = text.find('\x1b', at + 1))
        if (at + 2 < text.size() && text[at + 1] == '$' && (text[at + 2] == 'B' || text[at + 2] == '@')) return true;
    return false;
}

// How much of an encoded returned message is decoded to read its header.
inline constexpr std::size_t max_returned_header = 64 * 1024;

// The header block at the start of a decoded returned part: up to its blank
// line (a message/rfc822 part, or a text/rfc822-headers part followed by
// more), else all of it; a decoding cut short loses its last, partial line.
constexpr std::string_view returned_header_of(std::string_view decoded, bool message, bool complete) noexcept {
    std::string_view header = message ? read_entity(decoded, false).header : decoded;
    if (!message) {
        std::size_t pos = 0;
        while (pos < header.size()) {
            const scanned_field f = scan_field(header, pos);
            if (f.kind == field_scan::end || f.kind == field_scan::blank) break;
            pos = f.next;
        }
        header = header.substr(0, pos);
    }
    if (!complete && header.size() == decoded.size()) {
        std::size_t end = header.size();
        while (end > 0 && header[end - 1] != '\n') --end;
        header = header.substr(0, end);
    }
    return header;
}

// A bounce forwarded inline, as the text of another message, is read once
// more from its own header; not deeper than this.
inline constexpr int max_inline_bounces = 2;

ESC_CONSTEXPR bounce_report read_bounce_at(std::string_view message, char* buffer, std::size_t buffer_size,
                                       bounce_recipient* storage, std::size_t capacity, int depth,
                                       const bounce_options& options) noexcept {
    bounce_report report;
    report.recipients = storage;
    detail::bounce_parts parts;
    detail::walk_mime(message, true, 0, 0, parts);
    detail::arena a{buffer, buffer + buffer_size};
    detail::message_facts facts = detail::read_facts(parts.top.header);
    report.subject = facts.subject;
    // The Subject is read for what it says with its encoded-words decoded
    // ("=?utf-8?Q?Unzustellbar:?="); report.subject stays as written.
    char subject_buffer[1024] = {};
    facts.subject = detail::decode_encoded_words(facts.subject, subject_buffer, subject_buffer + sizeof subject_buffer,
                                                 options.convert_charset);
    // Older Japanese mail writes a Subject in ISO-2022-JP without encoded-words.
    if (options.convert_charset != nullptr && facts.subject.data() != subject_buffer &&
        detail::has_iso2022jp_escape(facts.subject)) {
        const detail::converted c =
            options.convert_charset("iso-2022-jp", facts.subject, subject_buffer, subject_buffer + sizeof subject_buffer);
        if (c.converted_all && c.complete) facts.subject = c.text;
    }
    report.to = facts.to;

    auto store = [&](const bounce_recipient& r) {
        if (report.count < capacity) storage[report.count++] = r;
        ++report.total;
    };
    // Which decoded parts were damaged: the DSN part, the text.
    bool dsn_damaged = false, text_damaged = false;
    // A part that did not fit or did not decode explains an empty result
    // better than "no recipients" does, so those errors come first.
    // The human-readable text, decoded when first needed: a DSN whose
    // recipients all carry a Diagnostic-Code needs no buffer for it.
    std::string_view full_text, text;
    // The returned message's header: its own part, else a copy inline after
    // the report text (looked for once, when the text has been read).
    std::string_view inline_header;
    bool inline_header_known = false;
    // An encoded returned part: only its header is decoded, from the start
    // of the part into the rest of the buffer (at most max_returned_header
    // octets of it, and kept only up to the blank line), so that a large
    // returned message costs neither its size in the buffer nor an error
    // when the buffer is short.
    std::string_view decoded_returned;
    bool decoded_returned_known = false;
    auto part_returned_header = [&]() {
        if (!parts.returned_header.empty() || !parts.have_encoded_returned) return parts.returned_header;
        if (!decoded_returned_known) {
            decoded_returned_known = true;
            const std::size_t room = static_cast<std::size_t>(a.last - a.next);
            const std::size_t bound = room < detail::max_returned_header ? room : detail::max_returned_header;
            const detail::decoded d =
                detail::decode_transfer(parts.encoded_returned.encoding, parts.encoded_returned.body, a.next, a.next + bound);
            decoded_returned = detail::returned_header_of(d.text, parts.encoded_returned_is_message, d.complete);
            a.next += decoded_returned.size();
        }
        return decoded_returned;
    };
    auto returned_header = [&]() {
        if (!parts.returned_header.empty() || parts.have_encoded_returned) return part_returned_header();
        if (text.size() >= full_text.size()) return parts.returned_header;
        if (!inline_header_known) {
            inline_header = detail::inline_returned_header(full_text, text.size());
            inline_header_known = true;
        }
        return inline_header;
    };
    auto finish = [&]() {
        report.returned = detail::read_returned(returned_header());
        const bool damaged =
            (report.source == bounce_source::dsn && !report.dsn_in_text ? dsn_damaged : text_damaged) ||
            (report.total == 0 && dsn_damaged);
        if (a.overflow)
            report.error = bounce_error::buffer_too_small;
        else if (damaged)
            report.error = bounce_error::bad_encoding;
        else if (report.total == 0)
            report.error = report.kind == report_kind::delivery_status ? bounce_error::no_recipients
                                                                         : bounce_error::not_a_bounce;
        else if (report.total > report.count)
            report.error = bounce_error::storage_full;
        return report;
    };
    bool text_read = false;
    auto read_text = [&](bool required) {
        if (text_read) return;
        const bool transformed = parts.text.encoding != detail::transfer_encoding::identity || parts.text_is_html;
        if (!required && transformed && static_cast<std::size_t>(a.last - a.next) < parts.text.body.size()) return;
        text_read = true;
        if (!parts.have_text) return;
        char* const start = a.next;
        full_text = a.decode(parts.text.body, parts.text.encoding);
        text_damaged = a.damaged;
        // A single-byte charset is converted to UTF-8 for the classifier,
        // when the rest of the buffer holds it (it may grow).
        const detail::charset cs =
            detail::parse_charset(detail::media_parameter(parts.text.type.parameters, "charset"));
        if (detail::is_single_byte(cs)) {
            const detail::converted c = detail::to_utf8(cs, full_text, a.next, a.last);
            if (c.complete && c.text.data() == a.next) {
                full_text = c.text;
                a.next += c.text.size();
            }
        } else if ((cs == detail::charset::unknown || cs == detail::charset::ascii) &&
                   options.convert_charset != nullptr) {
            // A text labelled US-ASCII, or not at all, whose escape sequences say ISO-2022-JP, is that.
            std::string_view name = detail::media_parameter(parts.text.type.parameters, "charset");
            if (cs == detail::charset::ascii || name.empty())
                name = detail::has_iso2022jp_escape(full_text) ? std::string_view("iso-2022-jp") : std::string_view();
            if (!name.empty()) {
                const detail::converted c = options.convert_charset(name, full_text, a.next, a.last);
                if (c.converted_all && c.complete && c.text.data() == a.next) {
                    full_text = c.text;
                    a.next += c.text.size();
                }
            }
        }
        if (parts.text_is_html) { // in place over the decoded text, else into the buffer
            bool overflow = false;
            full_text = detail::html_to_text(full_text, start, a.last, overflow);
            a.next = start + full_text.size();
            a.overflow = a.overflow || overflow;
        }
        text = detail::report_text(full_text);
        report.text = text;
    };

    int has_reply = -1; // whether the text quotes a reply: searched for once, when first asked
    detail::reply_index replies{std::string_view{}};
    auto text_replies = [&]() -> detail::reply_index* {
        if (has_reply < 0) {
            has_reply = find_reply(text).has_value() ? 1 : 0;
            replies = detail::reply_index{text};
        }
        return has_reply == 1 ? &replies : nullptr;
    };

    // The recipients of DSN fields, wherever they were found.
    // An Amazon SES notification (JSON, the text of the message; or the
    // "Message" string of an SNS envelope, unescaped into the buffer):
    // bounces as recipients, a delivery as delivered ones, a complaint as
    // a feedback report.
    auto read_notification = [&](std::string_view body) {
        namespace json = detail::json;
        body = detail::trim_space(body);
        if (body.empty() || body.front() != '{') return false;
        json::value top{body.substr(0, json::skip_value(body, 0))};
        if (json::member(top, "Type").raw_string() == "Notification") {
            const json::value message = json::member(top, "Message");
            const std::string_view inner = json::unescape(message, a.next, a.last);
            if (inner.empty()) return false;
            a.next += inner.size();
            const std::string_view t = detail::trim_space(inner);
            top = json::value{t.substr(0, json::skip_value(t, 0))};
        }
        std::string_view type = json::member(top, "notificationType").raw_string();
        if (type.empty()) type = json::member(top, "eventType").raw_string();
        auto add = [&](std::string_view address, dsn_action action, std::string_view status_text,
                       std::string_view diagnostic) {
            if (address.empty()) return;
            bounce_recipient r;
            r.address = address;
            r.origin = address_origin::final_recipient;
            r.action = action;
            r.diagnostic = parse_typed_value(diagnostic).value;
            r.source = bounce_source::json;
            detail::classify_recipient(r, parse_status(status_text));
            store(r);
        };
        if (type == "Bounce") {
            const json::value bounce = json::member(top, "bounce");
            json::for_each_element(json::member(bounce, "bouncedRecipients"), [&](json::value rcpt) {
                const dsn_action action = parse_dsn_action(json::member(rcpt, "action").raw_string());
                add(json::member(rcpt, "emailAddress").raw_string(), action == dsn_action::none ? dsn_action::failed : action,
                    json::member(rcpt, "status").raw_string(), json::member(rcpt, "diagnosticCode").raw_string());
            });
        } else if (type == "Delivery") {
            const json::value delivery = json::member(top, "delivery");
            const std::string_view response = json::member(delivery, "smtpResponse").raw_string();
            json::for_each_element(json::member(delivery, "recipients"), [&](json::value rcpt) {
                add(rcpt.raw_string(), dsn_action::delivered, {}, response);
            });
        } else if (type == "Complaint") {
            const json::value complaint = json::member(top, "complaint");
            report.kind = report_kind::feedback;
            report.source = bounce_source::json;
            feedback_fields& f = report.feedback;
            f.raw = top.text;
            f.feedback_type = json::member(complaint, "complaintFeedbackType").raw_string();
            f.user_agent = json::member(complaint, "userAgent").raw_string();
            f.arrival_date = json::member(complaint, "arrivalDate").raw_string();
            f.original_mail_from = json::member(json::member(top, "mail"), "source").raw_string();
            json::for_each_element(json::member(complaint, "complainedRecipients"), [&](json::value rcpt) {
                if (f.original_rcpt_to.empty()) f.original_rcpt_to = json::member(rcpt, "emailAddress").raw_string();
                ++f.original_rcpt_to_count;
            });
            return true;
        } else {
            return false;
        }
        if (report.total == 0) return false;
        report.kind = report_kind::delivery_status;
        report.source = bounce_source::json;
        return true;
    };

    auto read_dsn = [&](std::string_view body) {
        delivery_status_reader reader(body);
        std::size_t looked_up = 0; // recipients looked up in the text: bounded, as each lookup is a search
        dsn_recipient_fields f;
        while (reader.next(f)) {
            if (f.recipient().empty()) continue;
            bounce_recipient r = bounce_result(f);
            // "utf-8; b\x{F6}b@example.com" (RFC 6533), "x400; /RFC-822=bob(a)example.com/"
            // (RFC 2156): decoded when the buffer has room.
            auto decoded = [&](const typed_value& v, std::string_view as_is) {
                const std::string_view d = decode_address(v, a.next, a.last);
                if (d.data() != a.next) return as_is;
                a.next += d.size();
                return d;
            };
            r.address = decoded(r.origin == address_origin::final_recipient ? f.final_recipient : f.original_recipient,
                                r.address);
            if (!r.original.empty()) r.original = decoded(f.original_recipient, r.original);
            // Exim names a pipe or a file it could not deliver to
            // ("rfc822;|/usr/bin/filter bob@example.com"): the address is
            // the original one, else one inside, else X-Failed-Recipients.
            if (r.address.empty() || r.address.find('@') == std::string_view::npos || r.address.front() == '|' ||
                r.address.front() == '/') {
                std::string_view instead = r.original.find('@') != std::string_view::npos ? r.original : "";
                if (instead.empty()) instead = detail::find_address(r.address, 0).address;
                if (instead.empty()) instead = detail::first_address(facts.failed_recipients);
                if (!instead.empty()) {
                    r.address = instead;
                    r.origin = instead == r.original ? address_origin::original_recipient : address_origin::text;
                }
            }
            // A Diagnostic-Code in ISO-2022-JP (Domino and Japanese MTAs put
            // their own text there), which its escape sequences make plain:
            // decoded by the caller's converter when the buffer has room.
            if (options.convert_charset != nullptr && r.diagnostic.find("\x1b$") != std::string_view::npos) {
                const detail::converted c = options.convert_charset("iso-2022-jp", r.diagnostic, a.next, a.last);
                if (c.converted_all && c.complete && c.text.data() == a.next) {
                    a.next += c.text.size();
                    r.diagnostic = c.text;
                    detail::classify_recipient(r, f.status);
                }
            }
            // No Diagnostic-Code (OpenSMTPD, Exim for local failures): what
            // the text says about that recipient.
            if (r.diagnostic.empty() && looked_up < max_text_recipients) {
                ++looked_up;
                read_text(true);
                const std::size_t at = detail::ifind(text, r.address);
                if (at != std::string_view::npos) {
                    r.diagnostic = detail::trim_space(detail::diagnostic_at(text, at, r.address, text_replies()));
                    detail::classify_recipient(r, f.status);
                }
            }
            store(r);
        }
        report.message = reader.message();
        report.dsn_warnings = reader.warnings();
        report.dsn_body = body;
        report.source = bounce_source::dsn;
        return report.total > 0;
    };

    if (parts.feedback) {
        report.kind = report_kind::feedback;
        const std::string_view body = a.decode(parts.feedback_part.body, parts.feedback_part.encoding);
        report.feedback = detail::read_feedback_fields(body);
        report.returned = detail::read_returned(part_returned_header());
        report.error = a.overflow ? bounce_error::buffer_too_small
                       : a.damaged ? bounce_error::bad_encoding
                                   : bounce_error::not_a_bounce;
        return report;
    }
    // Hotmail's complaint reports (JMRP) are not ARF: "complaint about message
    // from 192.0.2.1", the message attached, its recipient in
    // X-HmXmrOriginalRecipient. Read into the same fields.
    if (constexpr std::string_view jmrp = "complaint about message from ";
        detail::istarts_with(detail::trim_space(facts.subject), jmrp) && !parts.returned_header.empty()) {
        report.kind = report_kind::feedback;
        report.returned = detail::read_returned(parts.returned_header);
        feedback_fields& f = report.feedback;
        f.feedback_type = "abuse";
        f.source_ip = detail::trim_space(detail::trim_space(facts.subject).substr(jmrp.size()));
        f.raw = parts.returned_header;
        f.arrival_date = report.returned.date;
        const std::optional<header_field> original = find_field(parts.returned_header, "X-HmXmrOriginalRecipient");
        f.original_rcpt_to = original ? original->value : report.returned.to;
        f.original_rcpt_to_count = f.original_rcpt_to.empty() ? 0 : 1;
        f.original_mail_from = report.returned.from;
        report.error = bounce_error::not_a_bounce;
        return report;
    }

    if (parts.dsn_enclosed >= 0) {
        report.kind = report_kind::delivery_status;
        const std::string_view body = a.decode(parts.dsn.body, parts.dsn.encoding);
        dsn_damaged = a.damaged;
        if (read_dsn(body)) {
            read_text(false);
            return finish();
        }
    }
    read_text(true);
    if (read_notification(full_text)) return finish();
    if (const std::size_t at = detail::find_inline_dsn(text); at != std::string_view::npos) {
        if (read_dsn(text.substr(at))) {
            report.kind = report_kind::delivery_status;
            report.dsn_in_text = true;
            return finish();
        }
    }
    // A whole multipart/report pasted into the text (a bounce forwarded by a
    // mail system that does not attach it): that report is the bounce.
    if (depth < detail::max_inline_bounces && text.size() < full_text.size()) {
        const std::string_view inner_header =
            parts.returned_header.empty() && !parts.have_encoded_returned
                ? returned_header()
                : detail::inline_returned_header(full_text, text.size());
        const std::string_view type = detail::read_facts(inner_header).content_type;
        if (detail::istarts_with(detail::trim_space(type), "multipart/report")) {
            const std::size_t from = static_cast<std::size_t>(inner_header.data() - full_text.data());
            const bounce_report inner =
                detail::read_bounce_at(full_text.substr(from), a.next, static_cast<std::size_t>(a.last - a.next),
                                       storage, capacity, depth + 1, options);
            // The pasted report's own parts are decoded behind the text in the
            // buffer: when they do not fit, the text is read as it is, so
            // that message.size() bytes stay enough.
            if (inner.total > 0 && inner.error != bounce_error::buffer_too_small) return inner;
        }
    }

    // No DSN fields: the human-readable text.
    report.source = bounce_source::text;
    report.dsn_body = {};
    report.message = {};
    report.dsn_warnings = {};
    if (report.kind == report_kind::none) {
        // A bounce in prose presents itself as one, and says what failed.
        const bool bounce = !detail::looks_like_auto_reply(facts) && detail::looks_like_bounce(facts) &&
                            detail::says_what_failed(facts.subject, text);
        if (!bounce) {
            if (detail::istarts_with(detail::trim_space(facts.auto_submitted), "auto-replied") ||
                detail::looks_like_auto_reply(facts))
                report.kind = report_kind::auto_reply;
            return finish();
        }
    }
    report.kind = report_kind::delivery_status;

    const detail::message_facts returned = detail::read_facts(returned_header());

    // Who the bounce goes back to, and who sent it, are not recipients
    // (unless nobody else is named: a message to oneself bounces too).
    detail::address_set<8> senders;
    senders.add(detail::first_address(facts.to));
    senders.add(detail::first_address(returned.from));
    senders.add(detail::first_address(returned.return_path));
    // Who sent the bounce is never a recipient of it.
    detail::address_set<4> bouncer;
    bouncer.add(detail::first_address(facts.from));
    bouncer.add(detail::first_address(facts.sender));

    // What the MTA did, for every recipient: a delay the Subject announces;
    // else what the text says. A recipient's own paragraph may say otherwise.
    const dsn_action said = detail::says_delayed(facts.subject) ? dsn_action::delayed : detail::prose_action(text);
    detail::address_set<max_text_recipients> seen;
    // Whether an address is still to be reported: asked before its diagnostic
    // is looked for, so that an address named on every line is looked up once.
    auto wanted = [&](std::string_view address) { return !seen.full() && !seen.contains(address); };
    auto emit = [&](std::string_view address, std::string_view paragraph, std::string_view original = {}) {
        if (!wanted(address)) return;
        seen.add(address);
        bounce_recipient r;
        r.address = address;
        r.original = original;
        r.origin = address_origin::text;
        r.diagnostic = detail::trim_space(paragraph);
        // (A paragraph is part of the text: when the text says nothing, neither does it.)
        dsn_action action = said != dsn_action::failed ? said : detail::prose_action(r.diagnostic);
        if (action == dsn_action::none) action = said;
        const bool stated = action != dsn_action::none;
        r.action = stated ? action : dsn_action::failed; // a bounce was sent: the message did not get through
        r.source = bounce_source::text;
        detail::classify_recipient(r, std::nullopt, stated);
        store(r);
    };
    // The paragraph that names an address, if the text does; else the whole text.
    auto emit_listed = [&](std::string_view list) {
        std::size_t pos = 0;
        while (!seen.full()) {
            const detail::address_match m = detail::find_address(list, pos);
            if (m.pos == std::string_view::npos) break;
            pos = m.pos + m.address.size();
            if (!wanted(m.address)) continue;
            const std::size_t in_text = detail::ifind(text, m.address);
            emit(m.address,
                 in_text != std::string_view::npos ? detail::diagnostic_at(text, in_text, m.address, text_replies()) : text);
        }
    };
    // Addresses in the text, from the surest kind of mention to the loosest.
    // Never: the bounce's own sender, role addresses (postmaster@, mailer-daemon@),
    // addresses the reader is told to write to, and aliases named as the source
    // of an expansion.
    enum class mention { heading_line, anywhere, with_senders };
    auto scan = [&](mention level) {
        std::size_t pos = 0;
        while (!seen.full()) {
            const detail::address_match found = detail::find_address(text, pos);
            if (found.pos == std::string_view::npos) break;
            pos = found.pos + found.address.size();
            if (level == mention::heading_line && !detail::heads_line(text, found.pos)) continue;
            const detail::address_match m = detail::exim_malformed_recipient(text, found);
            if (bouncer.contains(m.address) || detail::is_role_address(m.address)) continue;
            if (level != mention::with_senders && senders.contains(m.address)) continue;
            if (!wanted(m.address)) continue;
            if (detail::is_contact_address(text, m.pos) || detail::is_expansion_source(text, m.pos)) continue;
            emit(m.address, detail::diagnostic_at(text, m.pos, m.address, text_replies()),
                 detail::expanded_from(text, pos));
        }
    };

    if (!facts.failed_recipients.empty()) emit_listed(facts.failed_recipients);
    if (report.total == 0) scan(mention::heading_line);
    if (report.total == 0) scan(mention::anywhere);
    if (report.total == 0) emit_listed(returned.to);
    if (report.total == 0) scan(mention::with_senders);
    return finish();
}

} // namespace detail

ESC_DECL bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient* storage, std::size_t capacity) noexcept {
    return detail::read_bounce_at(message, buffer, buffer_size, storage, capacity, 0, bounce_options{});
}

ESC_DECL bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient* storage, std::size_t capacity,
                                    const bounce_options& options) noexcept {
    return detail::read_bounce_at(message, buffer, buffer_size, storage, capacity, 0, options);
}

ESC_END_NAMESPACE
