// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// One line of an MTA log -> the delivery attempt it records, if any.
//
// Pure and allocation-free: every view in a result points into the line, so a
// fuzzer can call parse_log_line() on anything. The formats read:
//
//  Postfix   "... postfix/smtp[1234]: 4F2A1C0D3: to=<bob@example.com>, relay=...,
//             dsn=5.1.1, status=bounced (host ... said: 550 5.1.1 ... (in reply to RCPT TO command))"
//            and qmgr's "ID: from=<a@example.org>, status=expired, returned to sender".
//  Exim      "2026-11-28 10:00:01 1abcDE-000123-AB ** bob@example.com R=... T=...: SMTP error ...: 550 5.1.1 ..."
//            with the markers => -> >> (delivered), *> (suppressed), == (deferred), ** (failed);
//            an optional time zone and [pid] may follow the time.
//  sendmail  "... sm-mta[123]: ID: to=<bob@example.com>,<carol@example.com>, ..., dsn=5.1.1, stat=User unknown"
//
// Most lines of a mail log are not delivery lines; they are rejected after a
// memchr() for '=' or a look at the first characters, which is what keeps a
// scan of a large log fast.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace esc_cli {

enum class log_format : std::uint8_t { postfix, exim, sendmail };

enum class disposition_kind : std::uint8_t {
    sent,      // delivered (Postfix sent, Exim => -> >>, sendmail Sent)
    deferred,  // will be retried (Postfix deferred/SOFTBOUNCE, Exim ==, sendmail Deferred)
    bounced,   // failed for good (Postfix bounced, Exim **, sendmail with a 5.x.x dsn)
    expired,   // Postfix qmgr: the message stayed queued too long and went back to its sender
    other,     // logged, but none of the above (Postfix deliverable/undeliverable probes, Exim *>)
    malformed, // the line has the markers of a delivery line but its fields cannot be read
};

constexpr std::string_view to_string(log_format f) noexcept {
    switch (f) {
    case log_format::postfix: return "postfix";
    case log_format::exim: return "exim";
    case log_format::sendmail: return "sendmail";
    }
    return "postfix";
}

constexpr std::string_view to_string(disposition_kind k) noexcept {
    switch (k) {
    case disposition_kind::sent: return "sent";
    case disposition_kind::deferred: return "deferred";
    case disposition_kind::bounced: return "bounced";
    case disposition_kind::expired: return "expired";
    case disposition_kind::other: return "other";
    case disposition_kind::malformed: return "malformed";
    }
    return "other";
}

struct delivery_attempt {
    log_format format = log_format::postfix;
    disposition_kind kind = disposition_kind::malformed;
    // As the MTA logged it: Postfix's status= word ("sent", "deferred", "SOFTBOUNCE"); for Exim
    // and sendmail, which log a marker or free text, the kind's name.
    std::string_view disposition;
    // The recipient address without angle brackets; sendmail may log several
    // ("<a@x>,<b@y>"): walk them with next_recipient(). Empty for Postfix's expiry line.
    std::string_view recipients;
    std::string_view dsn;  // the dsn= field ("5.1.1"), when the MTA logged one
    std::string_view text; // what the remote server or the MTA said
};

namespace log_detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

constexpr bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// The value of ", name=" inside `fields`, up to the next comma; empty if absent.
constexpr std::string_view field(std::string_view fields, std::string_view key) noexcept {
    const std::size_t at = fields.find(key);
    if (at == std::string_view::npos) return {};
    std::string_view v = fields.substr(at + key.size());
    return v.substr(0, v.find(','));
}

constexpr std::string_view strip_brackets(std::string_view a) noexcept {
    a = trim(a);
    if (!a.empty() && a.front() == '<') a.remove_prefix(1);
    if (!a.empty() && a.back() == '>') a.remove_suffix(1);
    return a;
}

constexpr disposition_kind postfix_kind(std::string_view word) noexcept {
    if (word == "sent") return disposition_kind::sent;
    if (word == "deferred" || word == "SOFTBOUNCE") return disposition_kind::deferred;
    if (word == "bounced") return disposition_kind::bounced;
    if (word == "expired") return disposition_kind::expired;
    return disposition_kind::other;
}

// `status` is the offset of "status=" in the line.
inline std::optional<delivery_attempt> parse_postfix(std::string_view line, std::size_t status) noexcept {
    delivery_attempt a;
    a.format = log_format::postfix;
    std::string_view rest = line.substr(status + 7); // after "status="
    std::size_t word_end = 0;
    while (word_end < rest.size() && rest[word_end] != ' ' && rest[word_end] != ',' && rest[word_end] != '(')
        ++word_end;
    a.disposition = rest.substr(0, word_end);
    rest = trim(rest.substr(word_end));
    if (!rest.empty() && rest.front() == '(') {
        rest.remove_prefix(1);
        if (!rest.empty() && rest.back() == ')') rest.remove_suffix(1); // a line cut by syslog lacks it
    } else if (!rest.empty() && rest.front() == ',') {
        rest.remove_prefix(1); // "expired, returned to sender"
    }
    a.text = trim(rest);

    const std::string_view head = line.substr(0, status);
    const std::size_t to = head.find(": to=<");
    if (to == std::string_view::npos) {
        // qmgr's expiry notice names the sender only; anything else with a
        // "status=" and no recipient is another program's line (systemd's
        // "status=1/FAILURE"), not a delivery.
        if (a.disposition != "expired" || head.find(": from=<") == std::string_view::npos) return std::nullopt;
        a.kind = disposition_kind::expired;
        return a;
    }
    const std::string_view fields = head.substr(to + 6);
    const std::size_t close = fields.find(">,");
    if (close == std::string_view::npos || a.disposition.empty()) {
        a.kind = disposition_kind::malformed;
        return a;
    }
    a.recipients = fields.substr(0, close);
    a.dsn = trim(field(fields.substr(close), ", dsn="));
    a.kind = postfix_kind(a.disposition);
    return a;
}

// `stat` is the offset of "stat=" in the line.
inline std::optional<delivery_attempt> parse_sendmail(std::string_view line, std::size_t stat) noexcept {
    const std::string_view head = line.substr(0, stat);
    const std::size_t to = head.find(": to=");
    if (to == std::string_view::npos) return std::nullopt;
    delivery_attempt a;
    a.format = log_format::sendmail;
    a.text = trim(line.substr(stat + 5));
    // "stat=queued": accepted into the queue without an attempt.
    if (a.text == "queued" || starts_with(a.text, "queued ")) return std::nullopt;
    const std::string_view fields = head.substr(to + 5);
    const std::size_t list_end = fields.find(", ");
    if (list_end == std::string_view::npos || list_end == 0) {
        a.kind = disposition_kind::malformed;
        return a;
    }
    a.recipients = fields.substr(0, list_end);
    a.dsn = trim(field(fields.substr(list_end), ", dsn="));
    if (starts_with(a.text, "Sent"))
        a.kind = disposition_kind::sent;
    else if (starts_with(a.text, "Deferred"))
        a.kind = disposition_kind::deferred;
    else if (!a.dsn.empty() && a.dsn.front() == '2')
        a.kind = disposition_kind::sent;
    else if (!a.dsn.empty() && a.dsn.front() == '4')
        a.kind = disposition_kind::deferred;
    else
        a.kind = disposition_kind::bounced;
    a.disposition = to_string(a.kind);
    return a;
}

// The next blank-separated token of `s` from `pos`; pos moves past it and the blank.
constexpr std::string_view next_token(std::string_view s, std::size_t& pos) noexcept {
    const std::size_t begin = pos;
    while (pos < s.size() && s[pos] != ' ') ++pos;
    const std::string_view t = s.substr(begin, pos - begin);
    if (pos < s.size()) ++pos;
    return t;
}

// Exim message ids: 6 base-62 characters, '-', 6 (or 11 since 4.97), '-', 2 (or 4).
constexpr bool is_exim_id(std::string_view t) noexcept {
    if ((t.size() != 16 && t.size() != 23) || t[6] != '-' || t[t.size() - 3 - (t.size() == 23 ? 2 : 0)] != '-')
        return false;
    for (char c : t)
        if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
    return true;
}

inline std::optional<delivery_attempt> parse_exim(std::string_view line) noexcept {
    // "2026-11-28 10:00:01[.123] [+0100] [[pid]] ID MARKER address ..."
    if (line.size() < 40 || !is_digit(line[0]) || line[4] != '-' || line[7] != '-' || line[10] != ' ') return std::nullopt;
    std::size_t pos = 11;
    const std::string_view time = next_token(line, pos);
    if (time.size() < 8 || time[2] != ':') return std::nullopt;
    std::string_view t = next_token(line, pos);
    if (t.size() == 5 && (t[0] == '+' || t[0] == '-')) t = next_token(line, pos);
    if (!t.empty() && t.front() == '[') t = next_token(line, pos);
    if (!is_exim_id(t)) return std::nullopt;
    const std::string_view marker = next_token(line, pos);
    if (marker.size() != 2) return std::nullopt;
    delivery_attempt a;
    a.format = log_format::exim;
    if (marker == "=>" || marker == "->" || marker == ">>")
        a.kind = disposition_kind::sent;
    else if (marker == "==")
        a.kind = disposition_kind::deferred;
    else if (marker == "**")
        a.kind = disposition_kind::bounced;
    else if (marker == "*>")
        a.kind = disposition_kind::other;
    else
        return std::nullopt; // "<=" arrivals and the rest
    a.disposition = marker == "*>" ? std::string_view("suppressed") : to_string(a.kind);

    std::string_view address = next_token(line, pos);
    const bool message_follows = !address.empty() && address.back() == ':'; // "** bob@example.com: Unrouteable address"
    if (message_follows) address.remove_suffix(1);
    if (address.empty()) {
        a.kind = disposition_kind::malformed;
        return a;
    }
    a.recipients = address;
    const std::string_view rest = line.substr(pos);
    if (a.kind == disposition_kind::sent || a.kind == disposition_kind::other) {
        // The server's confirmation, when log_selector has +smtp_confirmation: C="250 2.0.0 OK ..."
        const std::size_t c = rest.find(" C=\"");
        if (c != std::string_view::npos) {
            std::string_view conf = rest.substr(c + 4);
            const std::size_t q = conf.rfind('"');
            a.text = q == std::string_view::npos ? conf : conf.substr(0, q);
        } else if (starts_with(rest, "C=\"")) {
            std::string_view conf = rest.substr(3);
            const std::size_t q = conf.rfind('"');
            a.text = q == std::string_view::npos ? conf : conf.substr(0, q);
        }
        return a;
    }
    // The message follows the router/transport/host fields after the first ": ";
    // when the address itself ended in ':' the whole rest is the message.
    if (message_follows) {
        a.text = trim(rest);
        return a;
    }
    const std::size_t colon = rest.find(": ");
    a.text = trim(colon == std::string_view::npos ? rest : rest.substr(colon + 2));
    return a;
}

} // namespace log_detail

// The delivery attempt a log line records; nullopt for every other line. A
// line that carries a delivery marker but whose fields cannot be read gives an
// attempt of kind `malformed` (a line cut short by syslog, say).
inline std::optional<delivery_attempt> parse_log_line(std::string_view line) noexcept {
    if (line.empty()) return std::nullopt;
    if (log_detail::is_digit(line[0]))
        if (auto a = log_detail::parse_exim(line)) return a;
    const char* const begin = line.data();
    const char* const end = begin + line.size();
    for (const char* p = begin; p != end;) {
        p = static_cast<const char*>(std::memchr(p, '=', static_cast<std::size_t>(end - p)));
        if (p == nullptr) break;
        const auto i = static_cast<std::size_t>(p - begin);
        if (i >= 7 && std::memcmp(p - 7, " status", 7) == 0) return log_detail::parse_postfix(line, i - 6);
        if (i >= 5 && std::memcmp(p - 4, "stat", 4) == 0 && (p[-5] == ' ' || p[-5] == ','))
            return log_detail::parse_sendmail(line, i - 4);
        ++p;
    }
    return std::nullopt;
}

// Any line of a mail log esc reads, beyond the delivery attempts: what joins a
// message's lines (queue ID, arrival, message-id) and what was refused on the
// way in. Views into the line, like delivery_attempt.
enum class event_kind : std::uint8_t {
    delivery,       // a delivery attempt: `attempt` is set (parse_log_line's result)
    arrival,        // Postfix qmgr "from=<...>, size=N, nrcpt=N (queue active)"; Exim "<=" ; sendmail "from=..."
    message_id,     // Postfix cleanup "message-id=<...>"
    removed,        // Postfix qmgr "removed"; Exim "Completed": the message left the queue
    inbound_reject, // Postfix "NOQUEUE: reject:", postscreen rejects, milter-reject; Exim "rejected RCPT" and the reject log
};

struct log_event {
    event_kind kind = event_kind::delivery;
    log_format format = log_format::postfix;
    std::string_view timestamp; // as logged: "Nov 28 10:00:01", "2026-11-28T10:00:01.123+01:00", "2026-11-28 10:00:01 +0100"
    std::string_view queue_id;  // Postfix/sendmail queue ID, Exim message ID; empty for NOQUEUE rejects
    delivery_attempt attempt;   // kind == delivery
    std::string_view sender;    // arrival: the envelope sender without brackets ("" for the null sender)
    std::uint64_t size = 0;     // arrival: size= / S=, 0 when not logged
    std::string_view message_id; // message_id: without brackets
    std::string_view relay;     // delivery: "mx.example.com[192.0.2.1]:25", Exim's "mx.example.com [192.0.2.2]"
    double delay = -1;          // delivery: Postfix delay= in seconds, -1 when not logged
    std::string_view client;    // inbound_reject: "host[192.0.2.1]" or "[192.0.2.1]:port" as logged
    std::string_view text;      // inbound_reject: the reply the client got ("554 5.7.1 Service unavailable; ...")
};

// Where and when a delivery line was logged: read only for the records that
// are printed (--json, --attempts), never on the summary's hot path. Views
// into the line; empty when the line does not say.
struct log_context {
    std::string_view timestamp; // "Nov 28 10:00:01", "2026-11-28T10:00:01.123+00:00", "2026-11-28 10:00:01 +0100"
    std::string_view queue_id;  // Postfix's or sendmail's queue ID, Exim's message ID
    std::string_view relay;     // "mx.example.com[192.0.2.1]:25", Exim's "mx.example.com [192.0.2.2]"
};

inline log_context context_of(std::string_view line, const delivery_attempt& a) noexcept {
    using log_detail::is_digit;
    log_context c;
    if (a.format == log_format::exim) {
        // "2026-11-28 10:00:01[.123] [+0100] [[pid]] ID ..."
        std::size_t pos = 11;
        (void)log_detail::next_token(line, pos);
        std::size_t end = pos - 1;
        std::string_view t = log_detail::next_token(line, pos);
        if (t.size() == 5 && (t[0] == '+' || t[0] == '-')) {
            end = pos - 1;
            t = log_detail::next_token(line, pos);
        }
        c.timestamp = line.substr(0, end);
        if (!t.empty() && t.front() == '[') t = log_detail::next_token(line, pos);
        c.queue_id = t;
        const std::size_t h = line.find(" H=");
        if (h != std::string_view::npos) {
            std::string_view host = line.substr(h + 3);
            std::size_t stop = host.find(' ');
            if (stop != std::string_view::npos && stop + 1 < host.size() && host[stop + 1] == '[') {
                const std::size_t close = host.find(']', stop);
                stop = close == std::string_view::npos ? stop : close + 1;
            }
            host = host.substr(0, stop);
            if (!host.empty() && host.back() == ':') host.remove_suffix(1);
            c.relay = host;
        }
        return c;
    }
    // Syslog: "Nov 28 10:00:01 host ..." or RFC 3339 "2026-11-28T10:00:01.123456+00:00 host ...".
    if (line.size() > 15 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':')
        c.timestamp = line.substr(0, 15);
    else if (line.size() > 19 && is_digit(line[0]) && line[4] == '-' && line[10] == 'T')
        c.timestamp = line.substr(0, std::min(line.find(' '), line.size()));
    // "...]: QUEUEID: to=<"
    const std::size_t to = line.find(": to=");
    if (to != std::string_view::npos) {
        const std::size_t space = line.rfind(' ', to);
        if (space != std::string_view::npos) c.queue_id = line.substr(space + 1, to - space - 1);
        const std::string_view fields = line.substr(to);
        c.relay = log_detail::trim(log_detail::field(fields, ", relay="));
    }
    return c;
}

// Takes the first address off a recipient list ("<a@x>,<b@y>" or "a@x"),
// without angle brackets; empty when the list is used up.
constexpr std::string_view next_recipient(std::string_view& list) noexcept {
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        const std::string_view address = log_detail::strip_brackets(item);
        if (!address.empty()) return address;
    }
    return {};
}

// The part after the last '@', without a trailing dot; empty for a local name or a pipe.
constexpr std::string_view domain_of(std::string_view address) noexcept {
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return {};
    std::string_view d = address.substr(at + 1);
    while (!d.empty() && (d.back() == '.' || d.back() == '>')) d.remove_suffix(1);
    return d;
}

} // namespace esc_cli
