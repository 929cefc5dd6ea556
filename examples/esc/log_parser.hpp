// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// One line of an MTA log -> the delivery attempt it records, if any
// (parse_log_line()), or any event esc reads: the attempt with its timestamp,
// queue ID, relay and delay, an arrival, a message-id, a removal from the
// queue, an inbound reject (parse_log_event()).
//
// Pure and allocation-free: every view in a result points into the line, so a
// fuzzer can call parse_log_line() on anything. The delivery formats read, behind
// a classic syslog, RFC 3339, RFC 5424 or Exim header (split_header()):
//
//  Postfix   "... postfix/smtp[1234]: 4F2A1C0D3: to=<bob@example.com>, relay=...,
//             dsn=5.1.1, status=bounced (host ... said: 550 5.1.1 ... (in reply to RCPT TO command))"
//            and qmgr's "ID: from=<a@example.org>, status=expired, returned to sender".
//  Exim      "2026-11-28 10:00:01 1abcDE-000123-AB ** bob@example.com R=... T=...: SMTP error ...: 550 5.1.1 ..."
//            with the markers => -> >> (delivered), *> (suppressed), == (deferred), ** (failed);
//            an optional time zone and [pid] may follow the time.
//  sendmail  "... sm-mta[123]: ID: to=<bob@example.com>,<carol@example.com>, ..., dsn=5.1.1, stat=User unknown"
//
// Most lines of a mail log are not delivery lines; they are turned away by a
// look at the bytes after the queue ID (queue_line_kind()) or at the '=' signs
// of the line (found sixteen bytes at a time), which is what keeps a scan of a
// large log fast.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <esc/detail/byte_blocks.hpp> // eight and sixteen bytes at a time

namespace esc_cli {

enum class log_format : std::uint8_t { postfix, exim, sendmail };

enum class disposition_kind : std::uint8_t {
    sent,      // delivered (Postfix sent, Exim => -> >>, sendmail Sent)
    deferred,  // will be retried (Postfix deferred/SOFTBOUNCE, Exim ==, sendmail Deferred)
    bounced,   // failed for good (Postfix bounced, Exim **, sendmail with a 5.x.x dsn)
    expired,   // Postfix qmgr: the message stayed queued too long and went back to its sender
    other,     // logged, but none of the above (Exim *>)
    // A deferral logged without a delivery attempt: Exim's "retry time not reached" (the
    // recipient's or host's retry time had not come), Postfix's "delivery temporarily
    // suspended" (qmgr declared the destination dead and had the retry/error agent, which does
    // not talk to the network, defer the message). Counting them as attempts would multiply
    // one failure by the number of queue runs.
    not_attempted,
    // Postfix address verification (verify(8)): status=deliverable / undeliverable. The probe
    // is never delivered; it says whether the address would be accepted.
    probe,
    malformed, // the line has the markers of a delivery line but its fields cannot be read; keep last
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
    case disposition_kind::not_attempted: return "not_attempted";
    case disposition_kind::probe: return "probe";
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

// Byte by byte, not through memcmp(): the prefixes are short literals, and a
// call into the C library for each costs more than the comparison itself.
constexpr bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}

constexpr bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && same_bytes(s.data(), prefix.data(), prefix.size());
}

// Where `needle` first occurs in `s` from `from` on, or npos: what
// string_view::find() answers, faster on log lines. find() looks for the
// needle's first byte with memchr() and compares at each, and the needles
// here mostly start with a blank, a comma or a colon, which a line is full
// of: this tests the first two bytes at sixteen positions at once (SSE2 at
// run time on x86-64; elsewhere, and in constant expressions, byte by byte).
constexpr std::size_t find_text(std::string_view s, std::string_view needle, std::size_t from = 0) noexcept {
    const std::size_t n = needle.size();
    if (n < 2) return s.find(needle, from);
    if (from > s.size() || s.size() - from < n) return std::string_view::npos;
    const std::size_t last = s.size() - n; // the last position the needle may start at
    const char a = needle[0], b = needle[1];
    const auto rest_matches = [&](std::size_t at) {
        for (std::size_t k = 2; k < n; ++k)
            if (s[at + k] != needle[k]) return false;
        return true;
    };
    std::size_t i = from;
#if ESC_DETAIL_SSE2_BLOCKS
    if (!__builtin_is_constant_evaluated()) {
        namespace bytes = esc::detail;
        for (; i + 17 <= s.size() && i <= last; i += 16) {
            const bytes::byte_block m = (bytes::load_block(s.data() + i) == bytes::splat(a)) &
                                         (bytes::load_block(s.data() + i + 1) == bytes::splat(b));
            for (unsigned bits = bytes::block_marks(m); bits != 0; bits &= bits - 1) {
                const std::size_t at = i + bytes::lowest_mark(bits);
                if (at > last) return std::string_view::npos;
                if (rest_matches(at)) return at;
            }
        }
    }
#endif
    for (; i <= last; ++i)
        if (s[i] == a && s[i + 1] == b && rest_matches(i)) return i;
    return std::string_view::npos;
}

// The value of ", name=" inside `fields`, up to the next comma; empty if absent.
constexpr std::string_view field(std::string_view fields, std::string_view key) noexcept {
    const std::size_t at = find_text(fields, key);
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
    if (word == "deliverable" || word == "undeliverable") return disposition_kind::probe;
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
    const std::size_t to = find_text(head, ": to=<");
    if (to == std::string_view::npos) {
        // qmgr's expiry notice names the sender only; anything else with a
        // "status=" and no recipient is another program's line (systemd's
        // "status=1/FAILURE"), not a delivery.
        if (a.disposition != "expired" || find_text(head, ": from=<") == std::string_view::npos) return std::nullopt;
        a.kind = disposition_kind::expired;
        return a;
    }
    const std::string_view fields = head.substr(to + 6);
    const std::size_t close = find_text(fields, ">,");
    if (close == std::string_view::npos || a.disposition.empty()) {
        a.kind = disposition_kind::malformed;
        return a;
    }
    a.recipients = fields.substr(0, close);
    a.dsn = trim(field(fields.substr(close), ", dsn="));
    a.kind = postfix_kind(a.disposition);
    // The text qmgr gives the retry agent for a destination it declared dead: the reason is
    // that of an earlier attempt, to another message.
    if (a.kind == disposition_kind::deferred && starts_with(a.text, "delivery temporarily suspended"))
        a.kind = disposition_kind::not_attempted;
    return a;
}

// `stat` is the offset of "stat=" in the line.
inline std::optional<delivery_attempt> parse_sendmail(std::string_view line, std::size_t stat) noexcept {
    const std::string_view head = line.substr(0, stat);
    const std::size_t to = find_text(head, ": to=");
    if (to == std::string_view::npos) return std::nullopt;
    delivery_attempt a;
    a.format = log_format::sendmail;
    a.text = trim(line.substr(stat + 5));
    // "stat=queued": accepted into the queue without an attempt.
    if (a.text == "queued" || starts_with(a.text, "queued ")) return std::nullopt;
    const std::string_view fields = head.substr(to + 5);
    const std::size_t list_end = find_text(fields, ", ");
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
    if (pos > s.size()) pos = s.size(); // a caller one past a token that ended the line
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

// The length of Exim's own time stamp, "2026-11-28 10:00:01[.123] [+0100]", at the start of a
// line of its main or reject log; 0 when the line does not start with one.
constexpr std::size_t exim_stamp_length(std::string_view line) noexcept {
    if (line.size() < 19 || !is_digit(line[0]) || line[4] != '-' || line[7] != '-' || line[10] != ' ') return 0;
    std::size_t pos = 11;
    const std::string_view time = next_token(line, pos);
    if (time.size() < 8 || time[2] != ':' || time[5] != ':') return 0;
    std::size_t end = 11 + time.size();
    const std::string_view zone = next_token(line, pos);
    if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && is_digit(zone[1]) && is_digit(zone[4]))
        end += 1 + zone.size();
    return end;
}

// An Exim line from `pos`, where the message begins (after Exim's time stamp,
// or after a syslog header when Exim logs to syslog): "[[pid]] ID MARKER address ...".
inline std::optional<delivery_attempt> parse_exim_at(std::string_view line, std::size_t pos) noexcept {
    std::string_view t = next_token(line, pos);
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
    bool message_follows = !address.empty() && address.back() == ':'; // "** bob@example.com: Unrouteable address"
    if (message_follows) address.remove_suffix(1);
    // A local delivery names the local part, a pipe or a file, then the address it was for in
    // angle brackets: "=> bob <bob@example.org> R=local_user", "** |/usr/bin/x <a@example.org>: ...".
    // The recipient is that address (its domain is the recipient domain).
    if (!message_follows && address.find('@') == std::string_view::npos) {
        std::size_t after = pos;
        std::string_view original = next_token(line, after);
        const bool colon = !original.empty() && original.back() == ':';
        if (colon) original.remove_suffix(1);
        if (original.size() > 2 && original.front() == '<' && original.back() == '>' &&
            original.find('@') != std::string_view::npos) {
            address = original.substr(1, original.size() - 2);
            pos = after;
            message_follows = colon;
        }
    }
    if (address.empty()) {
        a.kind = disposition_kind::malformed;
        return a;
    }
    a.recipients = address;
    const std::string_view rest = line.substr(pos);
    if (a.kind == disposition_kind::sent || a.kind == disposition_kind::other) {
        // The server's confirmation, when log_selector has +smtp_confirmation: C="250 2.0.0 OK ..."
        const std::size_t c = find_text(rest, " C=\"");
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
    const std::size_t colon = find_text(rest, ": ");
    a.text = trim(colon == std::string_view::npos ? rest : rest.substr(colon + 2));
    // The router or transport found the retry time (of the address or of every host) still
    // in the future: Exim logs the deferral without trying.
    if (a.kind == disposition_kind::deferred && find_text(a.text, "retry time not reached") != std::string_view::npos)
        a.kind = disposition_kind::not_attempted;
    return a;
}

inline std::optional<delivery_attempt> parse_exim(std::string_view line) noexcept {
    if (line.size() < 40) return std::nullopt;
    const std::size_t stamp = exim_stamp_length(line);
    if (stamp == 0) return std::nullopt;
    return parse_exim_at(line, stamp + 1);
}

// The parts of a log line before what the program wrote. The forms read:
//  classic syslog  "Nov 28 10:00:01 host prog[pid]: message"
//  RFC 3339        "2026-11-28T10:00:01.123456+00:00 host prog[pid]: message" (rsyslog's high
//                  precision format; journalctl -o short-iso writes "...T10:00:01+0100")
//  RFC 5424        "<22>1 2026-11-28T10:00:01.003Z host prog pid msgid [sd...] message": the
//                  program and pid are fields of their own; structured data is "-" or [...]
//  Exim's own log  "2026-11-28 10:00:01[.123] [+0100] message"
// A line in none of them is all message, with no timestamp and no program.
struct line_header {
    std::string_view timestamp; // as logged; empty when the line has none (or RFC 5424's "-")
    std::string_view host;
    std::string_view program;   // "postfix/smtp", "exim4", "sm-mta"; empty in Exim's own log
    std::string_view message;   // what the program wrote
    bool exim_stamp = false;    // the line starts with Exim's own time stamp
    bool known = false;         // one of the forms above
};

// The first position from i on that holds one of the bytes `c`, or
// s.size(). Sixteen bytes at a time at run time on x86-64, else eight
// (detail/byte_blocks.hpp): split_tag() reads every line's host and tag with
// it, find_delivery() each '=' of a line; memchr() is a call for each.
template <typename... Bytes>
constexpr std::size_t find_any_of(std::string_view s, std::size_t i, Bytes... c) noexcept {
    namespace bytes = esc::detail;
#if ESC_DETAIL_SSE2_BLOCKS
    if (!__builtin_is_constant_evaluated()) {
        for (; i + 16 <= s.size(); i += 16) {
            const bytes::byte_block x = bytes::load_block(s.data() + i);
            if (const unsigned m = bytes::block_marks(((x == bytes::splat(c)) | ...)); m != 0)
                return i + bytes::lowest_mark(m);
        }
    }
#endif
    for (; i + 8 <= s.size(); i += 8) {
        const std::uint64_t x = bytes::load_bytes_le(s, i);
        if (const std::uint64_t m = (bytes::byte_marks(x, c) | ...); m != 0) return i + bytes::lowest_marked_byte(m);
    }
    while (i < s.size() && ((s[i] != c) && ...)) ++i;
    return i;
}

// "host prog[pid]: message" (the host may be missing) into `h`. Every line of
// a syslog log comes here: one look for the end of the host, and one walk over
// the tag that notes its '[' on the way.
constexpr void split_tag(std::string_view rest, line_header& h) noexcept {
    const std::size_t n = rest.size();
    std::size_t start = 0; // where the tag begins
    const std::size_t blank = find_any_of(rest, 0, ' ');
    if (blank != 0 && rest[blank - 1] != ':') { // a first word that is no "prog:": the host
        h.host = rest.substr(0, blank);
        start = blank < n ? blank + 1 : n;
    }
    // The tag runs to the first ':' with no blank before it.
    std::size_t colon = find_any_of(rest, start, ':', ' ', '[');
    std::size_t bracket = std::string_view::npos;
    if (colon < n && rest[colon] == '[') {
        bracket = colon;
        colon = find_any_of(rest, colon + 1, ':', ' ');
    }
    if (colon == n || rest[colon] != ':' || colon == start) {
        h.message = rest.substr(start);
        return;
    }
    h.program = rest.substr(start, (bracket == std::string_view::npos ? colon : bracket) - start);
    std::size_t message = colon + 1;
    if (message < n && rest[message] == ' ') ++message;
    h.message = rest.substr(message);
}

// RFC 5424's structured data: "-" or one or more "[id name="value" ...]", where a value may
// hold '\]', '\"' and '\\'. The offset just past it, or npos when it is not well formed.
constexpr std::size_t skip_structured_data(std::string_view s, std::size_t pos) noexcept {
    if (pos < s.size() && s[pos] == '-') return pos + 1;
    if (pos >= s.size() || s[pos] != '[') return std::string_view::npos;
    while (pos < s.size() && s[pos] == '[') {
        bool quoted = false;
        ++pos;
        for (;; ++pos) {
            if (pos >= s.size()) return std::string_view::npos;
            const char c = s[pos];
            if (quoted && c == '\\') {
                ++pos; // the escaped character, whatever it is
                continue;
            }
            if (c == '"') quoted = !quoted;
            else if (c == ']' && !quoted) break;
        }
        ++pos;
    }
    return pos;
}

inline line_header split_rfc5424(std::string_view line) noexcept {
    line_header h;
    // "<PRI>VERSION " with PRI of 1-3 digits and VERSION of 1-2.
    std::size_t pos = 1;
    while (pos < line.size() && pos < 4 && is_digit(line[pos])) ++pos;
    if (pos == 1 || pos >= line.size() || line[pos] != '>') {
        h.message = line;
        return h;
    }
    ++pos;
    const std::size_t version = pos;
    while (pos < line.size() && pos - version < 2 && is_digit(line[pos])) ++pos;
    if (pos == version || pos >= line.size() || line[pos] != ' ') {
        h.message = line;
        return h;
    }
    ++pos;
    const std::string_view timestamp = next_token(line, pos);
    const std::string_view host = next_token(line, pos);
    const std::string_view program = next_token(line, pos);
    (void)next_token(line, pos); // PROCID
    (void)next_token(line, pos); // MSGID
    const std::size_t after_data = skip_structured_data(line, pos);
    if (after_data == std::string_view::npos || (after_data < line.size() && line[after_data] != ' ')) {
        h.message = line;
        return h;
    }
    h.known = true;
    h.timestamp = timestamp == "-" ? std::string_view{} : timestamp;
    h.host = host == "-" ? std::string_view{} : host;
    h.program = program == "-" ? std::string_view{} : program;
    std::string_view message = line.substr(std::min(after_data + 1, line.size()));
    if (starts_with(message, "\xEF\xBB\xBF")) message.remove_prefix(3); // the BOM RFC 5424 allows before UTF-8
    h.message = message;
    return h;
}

inline line_header split_syslog_or_exim_header(std::string_view line) noexcept {
    line_header h;
    if (line.size() > 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[15] == ' ') {
        h.known = true;
        h.timestamp = line.substr(0, 15);
        split_tag(line.substr(16), h);
        return h;
    }
    if (line.size() > 19 && is_digit(line[0]) && line[4] == '-' && line[7] == '-' && line[10] == 'T') {
        const std::size_t space = line.find(' ');
        h.known = true;
        h.timestamp = line.substr(0, space);
        if (space != std::string_view::npos) split_tag(line.substr(space + 1), h);
        return h;
    }
    if (!line.empty() && line[0] == '<') return split_rfc5424(line);
    if (const std::size_t stamp = exim_stamp_length(line); stamp != 0) {
        h.known = true;
        h.exim_stamp = true;
        h.timestamp = line.substr(0, stamp);
        h.message = line.substr(std::min(stamp + 1, line.size()));
        return h;
    }
    h.message = line;
    return h;
}

inline line_header split_header(std::string_view line) noexcept {
    line_header h = split_syslog_or_exim_header(line);
    // Exim logging to syslog writes its own time stamp first unless syslog_timestamp is false
    // (the default is true): "Nov 28 10:00:01 mx exim[123]: 2026-11-28 10:00:01 1tQx7a-... => ...".
    // The message is what follows it; the syslog header's time stays the line's.
    if (h.known && !h.exim_stamp && starts_with(h.program, "exim"))
        if (const std::size_t stamp = exim_stamp_length(h.message); stamp != 0)
            h.message = h.message.substr(std::min(stamp + 1, h.message.size()));
    return h;
}

// Whether a syslog line's tag may be Exim's: the word after the timestamp or after the host
// starts with "exim". A look at a few bytes, where split_header() reads the whole header:
// parse_log_line() asks it of every line that is no Postfix or sendmail delivery.
constexpr bool may_be_exim_tag(std::string_view line) noexcept {
    std::size_t start = 0;
    if (line.size() > 16 && line[15] == ' ' && line[3] == ' ') start = 16;
    else if (line.size() > 19 && line[10] == 'T') start = line.find(' ') + 1; // npos + 1 == 0: no
    else if (!line.empty() && line[0] == '<') return find_text(line, "exim") != std::string_view::npos; // RFC 5424: rare
    if (start == 0) return false;
    if (line.substr(start, 4) == "exim") return true;
    const std::size_t blank = line.find(' ', start);
    return blank != std::string_view::npos && line.substr(blank + 1, 4) == "exim";
}

constexpr std::size_t offset_in(std::string_view part, std::string_view whole) noexcept {
    return static_cast<std::size_t>(part.data() - whole.data());
}

// Exim's H= value as a relay: "mx.example.com [192.0.2.2]" (the name, and the address in brackets).
constexpr std::string_view exim_host(std::string_view host) noexcept {
    std::size_t stop = host.find(' ');
    if (stop != std::string_view::npos && stop + 1 < host.size() && host[stop + 1] == '[') {
        const std::size_t close = host.find(']', stop);
        stop = close == std::string_view::npos ? stop : close + 1;
    }
    host = host.substr(0, stop);
    if (!host.empty() && host.back() == ':') host.remove_suffix(1);
    return host;
}

} // namespace log_detail

// The delivery attempt a log line records; nullopt for every other line. A
// line that carries a delivery marker but whose fields cannot be read gives an
// attempt of kind `malformed` (a line cut short by syslog, say).
namespace log_detail {

// Postfix and sendmail write "QUEUEID: what" (and "NOQUEUE: reject: ..."),
// and every line esc reads from them has one of a few `what`s: to= and from=
// (deliveries, arrivals, qmgr's expiry), removed, message-id=, the rejects.
// Most lines of a busy log (connect, disconnect, client=, TLS, warnings) have
// none: they are turned away here by the bytes after the queue ID, without a
// search through the line.
enum class queue_line : std::uint8_t { none, delivery, other_event };

// Where the ": " after a message's queue ID (at most 32 characters) or
// NOQUEUE stands, or npos.
constexpr std::size_t queue_id_end(std::string_view message) noexcept { return find_text(message.substr(0, 34), ": "); }

// `colon` is queue_id_end(message), which the caller passes on to parse_queue_event().
constexpr queue_line queue_line_kind(std::string_view message, std::size_t colon) noexcept {
    if (colon == std::string_view::npos) return queue_line::none;
    const std::string_view what = message.substr(colon + 2);
    if (what.empty()) return queue_line::none;
    const auto either = [](bool b) { return b ? queue_line::other_event : queue_line::none; };
    switch (what[0]) {
    case 't': return starts_with(what, "to=") ? queue_line::delivery : queue_line::none;
    case 'f':
        // qmgr's expiry notice is "from=<...>, status=expired, returned to sender".
        if (!starts_with(what, "from=")) return queue_line::none;
        return find_text(what, ", status=") != std::string_view::npos ? queue_line::delivery : queue_line::other_event;
    case 'r': return either(starts_with(what, "removed") || starts_with(what, "reject:") || starts_with(what, "ruleset="));
    case 'm': return either(starts_with(what, "message-id=") || starts_with(what, "milter-reject:"));
    case 'M': return either(starts_with(what, "Milter"));
    default: return queue_line::none;
    }
}

} // namespace log_detail

namespace log_detail {

// The delivery attempt in a line, by its markers alone (" status=", ", stat=",
// Exim's): parse_log_line() once the line's header has been read.
inline std::optional<delivery_attempt> find_delivery(std::string_view line) noexcept {
    if (line.empty()) return std::nullopt;
    if (log_detail::is_digit(line[0]))
        if (auto a = log_detail::parse_exim(line)) return a;
    // An RFC 5424 header's structured data may hold "status=" of its own: read the message only.
    const std::string_view scanned = line[0] == '<' ? log_detail::split_header(line).message : line;
    for (std::size_t i = log_detail::find_any_of(scanned, 0, '='); i < scanned.size();
         i = log_detail::find_any_of(scanned, i + 1, '=')) {
        const char* const p = scanned.data() + i;
        if (i >= 7 && log_detail::same_bytes(p - 7, " status", 7)) return log_detail::parse_postfix(scanned, i - 6);
        if (i >= 5 && log_detail::same_bytes(p - 4, "stat", 4) && (p[-5] == ' ' || p[-5] == ','))
            return log_detail::parse_sendmail(scanned, i - 4);
    }
    // Exim logging to syslog: "Nov 28 10:00:01 host exim[123]: 1tQx7a-000Abc-4Z ** ...". Read
    // after the '=' scan, which settles most lines of a Postfix or sendmail log first.
    if (log_detail::may_be_exim_tag(line)) {
        const log_detail::line_header h = log_detail::split_header(line);
        if (!h.exim_stamp && log_detail::starts_with(h.program, "exim"))
            return log_detail::parse_exim_at(line, log_detail::offset_in(h.message, line));
    }
    return std::nullopt;
}

// A line whose syslog header says Postfix or sendmail wrote it, and whose
// message is not "QUEUEID: to=" (nor qmgr's expiry), holds no delivery, even
// when " status=" turns up later in it (two lines run together, say).
inline bool may_hold_delivery(const line_header& h) noexcept {
    if (!h.known || h.exim_stamp || starts_with(h.program, "exim")) return true;
    return queue_line_kind(h.message, queue_id_end(h.message)) == queue_line::delivery;
}

} // namespace log_detail

inline std::optional<delivery_attempt> parse_log_line(std::string_view line) noexcept {
    if (line.empty()) return std::nullopt;
    if (!log_detail::may_hold_delivery(log_detail::split_header(line))) return std::nullopt;
    return log_detail::find_delivery(line);
}

// Where and when a delivery line was logged: read only for the records that
// are printed (--json, --attempts), never on the summary's hot path. Views
// into the line; empty when the line does not say.
struct log_context {
    std::string_view timestamp; // "Nov 28 10:00:01", "2026-11-28T10:00:01.123+00:00", "2026-11-28 10:00:01 +0100"
    std::string_view queue_id;  // Postfix's or sendmail's queue ID, Exim's message ID
    std::string_view relay;     // "mx.example.com[192.0.2.1]:25", Exim's "mx.example.com [192.0.2.2]"
};

namespace log_detail {
// `delay`, when given, is set to the value of the ", delay=" field (Postfix and sendmail write it
// among the fields after to=), read in the same pass as the relay; left empty when absent.
inline log_context context_of(std::string_view line, const delivery_attempt& a, const line_header& h,
                              std::optional<std::string_view>* delay = nullptr) noexcept;
}

inline log_context context_of(std::string_view line, const delivery_attempt& a) noexcept {
    return log_detail::context_of(line, a, log_detail::split_header(line));
}

// `h` is split_header(line).
inline log_context log_detail::context_of(std::string_view line, const delivery_attempt& a,
                                          const line_header& h, std::optional<std::string_view>* delay) noexcept {
    log_context c;
    c.timestamp = h.timestamp;
    if (a.format == log_format::exim) {
        // After the time stamp or the syslog header: "[[pid]] ID ..."
        std::size_t pos = log_detail::offset_in(h.message, line);
        std::string_view t = log_detail::next_token(line, pos);
        if (!t.empty() && t.front() == '[') t = log_detail::next_token(line, pos);
        c.queue_id = t;
        const std::size_t at = find_text(line, " H=");
        if (at != std::string_view::npos) c.relay = log_detail::exim_host(line.substr(at + 3));
        return c;
    }
    // "QUEUEID: to=<", in the message (an RFC 5424 header's structured data may hold anything).
    const std::string_view message = h.message;
    const std::size_t to = find_text(message, ": to=");
    if (to == std::string_view::npos && a.kind == disposition_kind::expired) {
        // qmgr's "QUEUEID: from=<a@b>, status=expired, returned to sender": the message's ID, to
        // join the expiry to its deferrals.
        const std::size_t from = find_text(message, ": from=<");
        if (from != std::string_view::npos && from != 0 && from <= 32) {
            const std::string_view id = message.substr(0, from);
            bool plain = true;
            for (char ch : id) plain = plain && (is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
            if (plain) c.queue_id = id;
        }
        return c;
    }
    if (to != std::string_view::npos) {
        const std::size_t space = message.rfind(' ', to);
        const std::size_t id = space == std::string_view::npos ? 0 : space + 1;
        c.queue_id = message.substr(id, to - id);
        // The first ", relay=" and ", delay=" (what field() finds), both in one pass.
        const std::string_view fields = message.substr(to);
        bool relay_found = false, delay_found = delay == nullptr;
        for (std::size_t k = fields.find(','); k != std::string_view::npos && k + 2 < fields.size() &&
                                               !(relay_found && delay_found);
             k = fields.find(',', k + 1)) {
            if (fields[k + 1] != ' ') continue;
            const std::string_view rest = fields.substr(k + 2);
            if (!relay_found && starts_with(rest, "relay=")) {
                relay_found = true;
                const std::string_view v = rest.substr(6);
                c.relay = trim(v.substr(0, v.find(',')));
            } else if (!delay_found && starts_with(rest, "delay=")) {
                delay_found = true;
                const std::string_view v = rest.substr(6);
                *delay = v.substr(0, v.find(','));
            }
        }
    }
    return c;
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
    // message_id: without brackets; also on an arrival where the MTA logs it there (sendmail's
    // msgid=, Exim's id=).
    std::string_view message_id;
    std::string_view relay;     // delivery: "mx.example.com[192.0.2.1]:25", Exim's "mx.example.com [192.0.2.2]"
    // delivery: Postfix's delay= in seconds (arrival to this attempt); sendmail's delay=
    // ([d+]hh:mm:ss) converted; -1 when not logged (Exim).
    double delay = -1;
    // inbound_reject: "host[192.0.2.1]", "host [192.0.2.1]" or "[192.0.2.1]": who the client is, without
    // the source port, an Exim HELO before a bare address, sendmail's "(may be forged)" (client_identity())
    std::string_view client;
    // inbound_reject: Postfix's reply to the client ("554 5.7.1 <x>: Relay access denied"), without
    // the "; from=<...> to=<...> proto=... helo=<...>" that follows; Exim's reason after the
    // command ("relay not permitted"); sendmail's reject= ("550 5.7.1 <x>... Relaying denied").
    std::string_view text;
    std::string_view program;   // the syslog tag's program ("postfix/postscreen", "exim4"); empty in Exim's own log
};

namespace log_detail {

// A queue ID as Postfix (hex, or the long base-52 form) and sendmail write them.
// Eight bytes at a time: every queued message's lines ask this.
constexpr bool is_queue_id(std::string_view t) noexcept {
    if (t.empty() || t.size() > 32) return false;
    constexpr std::uint64_t ones = 0x0101010101010101u, low7 = ones * 127, highs = ones * 128;
    // The high bit of each byte of x strictly between lo and hi (bytes >= 0x80: never), exact for
    // every byte: no sum or difference below leaves its byte.
    const auto between = [](std::uint64_t x, char lo, char hi) {
        const std::uint64_t x7 = x & low7;
        return (ones * (127 + static_cast<unsigned>(hi)) - x7) & ~x & (x7 + ones * (127 - static_cast<unsigned>(lo))) & highs;
    };
    std::size_t i = 0;
    for (; i + 8 <= t.size(); i += 8) {
        const std::uint64_t x = esc::detail::load_bytes_le(t, i);
        if ((between(x, '/', ':') | between(x | ones * 0x20, '`', '{')) != highs) return false; // a digit or a letter
    }
    for (; i < t.size(); ++i)
        if (!(is_digit(t[i]) || (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))) return false;
    return true;
}

// The digits at the start of `s` as a number; 0 when there are none (or too many).
constexpr std::uint64_t leading_number(std::string_view s) noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < s.size() && is_digit(s[i]); ++i) {
        if (i == 19) return 0;
        n = n * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    return n;
}

// Postfix's "1.2" or sendmail's "[d+]hh:mm:ss" in seconds; -1 when it is neither.
constexpr double delay_seconds(std::string_view v) noexcept {
    v = trim(v);
    if (v.empty() || !is_digit(v[0])) return -1;
    if (v.find(':') != std::string_view::npos) {
        double days = 0;
        const std::size_t plus = v.find('+');
        if (plus != std::string_view::npos) {
            days = static_cast<double>(leading_number(v));
            v = v.substr(plus + 1);
        }
        if (v.size() != 8 || v[2] != ':' || v[5] != ':') return -1;
        for (std::size_t i : {0u, 1u, 3u, 4u, 6u, 7u})
            if (!is_digit(v[i])) return -1;
        const auto two = [&](std::size_t i) { return static_cast<double>((v[i] - '0') * 10 + (v[i + 1] - '0')); };
        return days * 86400 + two(0) * 3600 + two(3) * 60 + two(6);
    }
    double seconds = 0;
    std::size_t i = 0;
    for (; i < v.size() && is_digit(v[i]); ++i) seconds = seconds * 10 + (v[i] - '0');
    if (i < v.size() && v[i] == '.') {
        double scale = 0.1;
        for (++i; i < v.size() && is_digit(v[i]); ++i, scale /= 10) seconds += (v[i] - '0') * scale;
    }
    return i == v.size() ? seconds : -1;
}

// A client as logged, from `s` on: up to the first ']' ("host[192.0.2.1]", Exim's
// "host (helo) [192.0.2.1]"), with a ":port" after it ("[192.0.2.1]:5678"); without
// brackets, the first token.
constexpr std::string_view bracketed_client(std::string_view s) noexcept {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || find_text(s.substr(0, close), ": ") != std::string_view::npos)
        return s.substr(0, s.find(' '));
    std::size_t end = close + 1;
    if (end < s.size() && s[end] == ':' && end + 1 < s.size() && is_digit(s[end + 1])) {
        ++end;
        while (end < s.size() && is_digit(s[end])) ++end;
    }
    return s.substr(0, end);
}

// Who the client is, for counting rejects by client, from the client as logged: without the
// source port ("[192.0.2.1]:5678", postscreen's and Exim's +incoming_port, changes with each
// connection), without Exim's HELO when the host has no name ("(helo) [192.0.2.1]": the
// client chooses it) and without what follows the address (sendmail's "[192.0.2.1] (may be
// forged)"). "host[192.0.2.1]" and "host [192.0.2.1]" stay as they are.
constexpr std::string_view client_identity(std::string_view c) noexcept {
    const std::size_t close = c.rfind(']');
    if (close == std::string_view::npos) return c;
    c = c.substr(0, close + 1);
    if (!c.empty() && c.front() == '(') {
        const std::size_t address = find_text(c, ") [");
        if (address != std::string_view::npos) c.remove_prefix(address + 2);
    }
    return c;
}

// Where Postfix's "; from=<...> to=<...> proto=... helo=<...>" trail begins in `text`
// (smtpd_check.c writes the reply, then ';', then those fields it has); the reply itself may
// hold "; " (postscreen: "Service unavailable; client [...] blocked using ...").
constexpr std::size_t postfix_trail(std::string_view text) noexcept {
    for (std::size_t at = find_text(text, "; "); at != std::string_view::npos; at = find_text(text, "; ", at + 1)) {
        const std::string_view after = text.substr(at + 2);
        if (starts_with(after, "from=<") || starts_with(after, "to=<") || starts_with(after, "proto=") ||
            starts_with(after, "helo=<"))
            return at;
    }
    return text.size();
}

// After "reject: " or "milter-reject: ": "RCPT from host[1.2.3.4]: 554 5.7.1 ...; from=<...> ...",
// or cleanup's header/body checks: "header Subject: ... from host[1.2.3.4]; from=<...> ... helo=<...>: 5.7.1 text".
inline bool postfix_reject(std::string_view what, log_event& e) noexcept {
    std::size_t from = find_text(what, " from ");
    // cleanup's checks quote the header or body line first (up to 200 characters, which may hold
    // " from ": "header Subject: Invoice from ACME from host[192.0.2.1]; from=<...>"): the client
    // is named by the last " from " before the fields.
    if (starts_with(what, "header ") || starts_with(what, "body ") || starts_with(what, "mime-header ") ||
        starts_with(what, "nested-header ")) {
        const std::size_t fields = find_text(what, "; from=<");
        if (fields != std::string_view::npos) from = what.rfind(" from ", fields);
    }
    if (from == std::string_view::npos) return false;
    const std::string_view client_and_more = what.substr(from + 6);
    e.client = bracketed_client(client_and_more);
    std::string_view rest = client_and_more.substr(e.client.size());
    if (starts_with(rest, ": ")) {
        rest.remove_prefix(2);
        e.text = trim(rest.substr(0, postfix_trail(rest)));
    } else if (starts_with(rest, "; ")) {
        // The fields come first; the reply follows the last of them.
        const std::size_t helo = find_text(rest, " helo=<");
        const std::size_t colon = find_text(rest, ">: ", helo == std::string_view::npos ? 0 : helo);
        if (colon != std::string_view::npos) e.text = trim(rest.substr(colon + 3));
        else if (const std::size_t c = rest.rfind(": "); c != std::string_view::npos) e.text = trim(rest.substr(c + 2));
    } else {
        return false;
    }
    e.client = client_identity(e.client);
    e.kind = event_kind::inbound_reject;
    return true;
}

inline bool is_sendmail_program(std::string_view program) noexcept {
    return starts_with(program, "sm-") || starts_with(program, "sendmail");
}

// Postfix and sendmail: "QID: ..." or "NOQUEUE: ...", the ": " at `colon` (queue_id_end()).
// True when `e` is now the line's event (these two and parse_log_event_into() fill the
// caller's event in place: it is 224 bytes, copied once for each return otherwise).
inline bool parse_queue_event(const line_header& h, std::size_t colon, log_event& e) noexcept {
    const std::string_view message = h.message;
    if (colon == std::string_view::npos) return false;
    const std::string_view id = message.substr(0, colon);
    if (id != "NOQUEUE") {
        if (!is_queue_id(id)) return false;
        e.queue_id = id;
    }
    const std::string_view what = message.substr(colon + 2);
    const bool sendmail = is_sendmail_program(h.program);
    e.format = sendmail ? log_format::sendmail : log_format::postfix;
    if (starts_with(what, "reject: ")) {
        return postfix_reject(what.substr(8), e);
    }
    if (starts_with(what, "milter-reject: ")) {
        return postfix_reject(what.substr(15), e);
    }
    if (e.queue_id.empty() && !sendmail) return false; // the rest belong to a queued message
    if (starts_with(what, "from=")) {
        // Postfix qmgr "from=<a@b>, size=N, nrcpt=N (queue active)" (each time the message enters
        // the active queue); sendmail "from=<a@b>, size=N, class=0, nrcpts=N, msgid=<...>, ...".
        // Postfix's nrcpt= first: its qmgr lines are the common case.
        const bool postfix_fields = !sendmail && find_text(what, ", nrcpt=") != std::string_view::npos;
        const bool sendmail_fields = !postfix_fields && (find_text(what, ", nrcpts=") != std::string_view::npos ||
                                                         find_text(what, ", class=") != std::string_view::npos);
        if (!sendmail_fields && !postfix_fields) return false;
        if (sendmail_fields) e.format = log_format::sendmail;
        const std::string_view fields = what.substr(5);
        // sendmail logs "from=<a@b>, size=0, class=0, nrcpts=0, ..." for a transaction none of
        // whose recipients it accepted (each refused RCPT, a client gone after MAIL): nothing was
        // queued, no message arrived.
        if (sendmail_fields && trim(field(fields, ", nrcpts=")) == "0") return false;
        const std::size_t comma = fields.find(',');
        if (comma == std::string_view::npos) return false;
        e.kind = event_kind::arrival;
        e.sender = strip_brackets(fields.substr(0, comma));
        e.size = leading_number(field(fields, ", size="));
        if (sendmail_fields) e.message_id = strip_brackets(field(fields, ", msgid="));
        return true;
    }
    if (!sendmail && trim(what) == "removed") {
        e.kind = event_kind::removed;
        return true;
    }
    if (!sendmail && starts_with(what, "message-id=")) {
        std::string_view id_value = trim(what.substr(11));
        if (!id_value.empty() && id_value.front() == '<') id_value = id_value.substr(0, id_value.find('>') + 1);
        e.kind = event_kind::message_id;
        e.message_id = strip_brackets(id_value);
        return true;
    }
    // sendmail: "ruleset=check_rcpt, arg1=<x@y>, relay=host [192.0.2.1], reject=550 5.7.1 <x@y>... Relaying denied"
    // (and milter rejects: "milter=..., reject=...").
    if (!sendmail && !starts_with(what, "ruleset=") && !starts_with(what, "Milter")) return false;
    if (const std::size_t reject = find_text(what, "reject=");
        reject != std::string_view::npos && (reject == 0 || (reject >= 2 && what.substr(reject - 2, 2) == ", "))) {
        e.format = log_format::sendmail;
        e.kind = event_kind::inbound_reject;
        e.text = trim(what.substr(reject + 7));
        const std::size_t relay = find_text(what, "relay=");
        if (relay != std::string_view::npos && relay < reject) {
            const std::string_view value = what.substr(relay + 6, reject - relay - 6);
            e.client = client_identity(trim(value.substr(0, find_text(value, ", "))));
        }
        return true;
    }
    return false;
}

// Exim's main and reject logs, from where the message begins: "[[pid]] [ID] ...". The reject
// log's header dumps have no time stamp of their own and never get here.
inline bool parse_exim_event(std::string_view line, const line_header& h, log_event& e) noexcept {
    e.format = log_format::exim;
    std::size_t pos = offset_in(h.message, line);
    std::size_t id_pos = pos;
    std::string_view t = next_token(line, pos);
    if (!t.empty() && t.front() == '[') {
        id_pos = pos;
        t = next_token(line, pos);
    }
    if (is_exim_id(t)) {
        e.queue_id = t;
        const std::size_t marker_pos = pos;
        const std::string_view marker = next_token(line, pos);
        if (marker == "<=") {
            e.kind = event_kind::arrival;
            const std::size_t sender_pos = pos;
            const std::string_view sender = next_token(line, pos);
            e.sender = sender == "<>" ? line.substr(sender_pos, 0) : strip_brackets(sender);
            const std::string_view rest = line.substr(pos);
            if (const std::size_t size = find_text(rest, " S="); size != std::string_view::npos)
                e.size = leading_number(rest.substr(size + 3));
            else if (starts_with(rest, "S="))
                e.size = leading_number(rest.substr(2));
            if (const std::size_t id = find_text(rest, " id="); id != std::string_view::npos) {
                const std::string_view value = rest.substr(id + 4);
                e.message_id = strip_brackets(value.substr(0, value.find(' ')));
            }
            return true;
        }
        if (marker == "Completed") {
            e.kind = event_kind::removed;
            return true;
        }
        id_pos = marker_pos;
    } else {
        e.queue_id = {};
    }
    // "H=host [192.0.2.1] F=<a@b> rejected RCPT <x@y>: relay not permitted",
    // "H=(helo) [192.0.2.1] rejected EHLO or HELO helo: ...", "rejected EHLO from [192.0.2.1]: ...".
    const std::string_view rest = line.substr(id_pos);
    std::size_t rejected = starts_with(rest, "rejected ") ? 0 : find_text(rest, " rejected ");
    if (rejected == std::string_view::npos) return false;
    if (rejected != 0) ++rejected;
    const std::string_view before = rest.substr(0, rejected);
    const std::string_view after = rest.substr(rejected + 9);
    if (const std::size_t host = find_text(before, "H="); host != std::string_view::npos && (host == 0 || before[host - 1] == ' '))
        e.client = bracketed_client(before.substr(host + 2));
    else if (const std::size_t from = find_text(after, "from ["); from != std::string_view::npos)
        e.client = bracketed_client(after.substr(from + 5));
    else if (const std::size_t from_host = find_text(after, "from H="); from_host != std::string_view::npos)
        e.client = bracketed_client(after.substr(from_host + 7)); // "rejected connection from H=[192.0.2.1] input=..."
    e.client = client_identity(e.client);
    const std::size_t colon = find_text(after, ": ");
    e.text = trim(colon == std::string_view::npos ? after : after.substr(colon + 2));
    // "SMTP protocol synchronization error (input sent without waiting for greeting): rejected
    // connection from H=[192.0.2.1] input=...": the reason comes before "rejected".
    if (colon == std::string_view::npos && before.size() > 2 && before.substr(before.size() - 2) == ": " &&
        find_text(before, "H=") == std::string_view::npos)
        e.text = trim(before.substr(0, before.size() - 2));
    e.kind = event_kind::inbound_reject;
    return true;
}

} // namespace log_detail

// Every line esc reads: a delivery attempt (exactly parse_log_line()'s, with the timestamp,
// queue ID, relay and delay), an arrival, a message-id, a removal from the queue, or an
// inbound reject; nullopt for every other line (connects, postscreen's DNSBL ranks and
// PREGREET notes, warnings, Exim's reject log header dumps). Pure and allocation-free: every
// view points into the line.

inline std::optional<log_event> parse_log_event(std::string_view line) noexcept;

// The same into `out`: emplaced there when the line holds an event, reset when not. The
// scan's way, which builds the event where it is kept.
inline void parse_log_event_into(std::string_view line, std::optional<log_event>& out) noexcept {
    out.reset();
    if (line.empty()) return;
    const log_detail::line_header h = log_detail::split_header(line);
    const bool queue_program = h.known && !h.exim_stamp && !log_detail::starts_with(h.program, "exim");
    // Found once, for both looks at the queue ID below.
    const std::size_t colon = queue_program ? log_detail::queue_id_end(h.message) : std::string_view::npos;
    log_detail::queue_line kind = log_detail::queue_line::delivery;
    if (queue_program) {
        kind = log_detail::queue_line_kind(h.message, colon);
        if (kind == log_detail::queue_line::none) return; // before an event is built: most lines
    }
    bool found = false;
    // Copied from a blank event rather than value-initialised: g++ clears a
    // new one with rep stos, whose start-up is most of the cost for its 224
    // bytes, and copies a constant with plain vector moves.
    static constexpr log_event blank{};
    log_event& e = out.emplace(blank);
    e.program = h.program;
    if (kind == log_detail::queue_line::other_event) {
        e.timestamp = h.timestamp;
        found = log_detail::parse_queue_event(h, colon, e);
    } else if (const std::optional<delivery_attempt> a = log_detail::find_delivery(line)) {
        e.kind = event_kind::delivery;
        e.format = a->format;
        e.attempt = *a;
        std::optional<std::string_view> delay; // Postfix's and sendmail's delay=, among the fields after to=
        const log_context c = log_detail::context_of(line, *a, h, &delay);
        e.timestamp = c.timestamp;
        e.queue_id = c.queue_id;
        e.relay = c.relay;
        if (a->format != log_format::exim && delay) e.delay = log_detail::delay_seconds(*delay);
        found = true;
    } else if (h.known) { // with no header: a continuation, a header dump, not a log line
        e.timestamp = h.timestamp;
        found = queue_program ? log_detail::parse_queue_event(h, colon, e) : log_detail::parse_exim_event(line, h, e);
    }
    if (!found) out.reset();
}

inline std::optional<log_event> parse_log_event(std::string_view line) noexcept {
    std::optional<log_event> e;
    parse_log_event_into(line, e);
    return e;
}

// The MTA's own text (no server replied) for mail that its routing hands back to itself: the MX
// or relayhost of the domain is this host, which does not list the domain as its own. Postfix
// says "loops back to myself" with dsn=5.4.6; Exim's router self check says "lowest numbered MX
// record points to local host" or "remote host address is the local host" (rf_self_action()).
// The library reads X.4.6 and these texts as the network trouble a remote server's loop report
// usually is; here it is this MTA's configuration, and retrying does not help until it changes.
// The tool's scan and the Python module's both read it so.
inline bool is_local_routing_loop(const delivery_attempt& a, bool server_replied) noexcept {
    if (server_replied) return false;
    switch (a.format) {
    case log_format::postfix:
        return a.dsn == "5.4.6" && log_detail::find_text(a.text, "loops back to myself") != std::string_view::npos;
    case log_format::exim:
        return log_detail::find_text(a.text, "MX record points to local host") != std::string_view::npos ||
               log_detail::find_text(a.text, "remote host address is the local host") != std::string_view::npos;
    default: return false;
    }
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
