// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Delivery Status Notifications (RFC 3464): read the message/delivery-status
// body of a DSN, and write one.
//
//  - parse_delivery_status(body, storage): the per-message fields and each
//    per-recipient group, as views into `body`. delivery_status_reader does
//    the same one group at a time, for any number of recipients.
//  - write_delivery_status(first, last, message, recipients): the body an MTA
//    sends, into a caller's buffer (<esc/dsn_string.hpp> returns a string).
//  - Reading a whole bounce message (MIME, transfer encodings, bounces with
//    no DSN part) is <esc/bounce.hpp>.
//
// What is accepted, and what is only diagnosed: field names in any case;
// CRLF, LF or CR line ends; folded fields; trailing comments
// ("5.0.0 (permanent failure)"); a missing per-message group; recipient
// groups run together without a blank line; lines that are not fields
// (skipped); unknown fields, kept in the group's `raw` text and counted.
// Each departure sets a warning. Errors are kept for input that holds no
// DSN at all, and for storage too small for its recipients.
//
// Nothing here allocates. Views into a folded field keep its line breaks;
// unfold() writes it out on one line.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"
#include "detail/mail.hpp"
#include "reply.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// --- values ---------------------------------------------------------------

// A "type; value" field: "rfc822; bob@example.com", "dns; mx.example.com",
// "smtp; 550 5.1.1 User unknown".
struct typed_value {
    std::string_view type;  // "rfc822", "dns", "smtp", "X-Postfix"; empty when the field has no ';'
    std::string_view value; // after the ';' (the whole field when there is none), blanks trimmed;
                            // a folded field keeps its line breaks (see unfold())

    constexpr bool empty() const noexcept { return type.empty() && value.empty(); }
};

constexpr typed_value parse_typed_value(std::string_view field) noexcept {
    field = detail::trim_space(field);
    const std::size_t semi = field.find(';');
    if (semi == std::string_view::npos) return {{}, field};
    return {detail::trim_space(field.substr(0, semi)), detail::trim_space(field.substr(semi + 1))};
}

// The address in an address-typed value: "rfc822; <Bob@Example.com> (Bob)"
// -> "Bob@Example.com". A trailing comment and enclosing angle brackets go.
constexpr std::string_view address_of(const typed_value& v) noexcept {
    std::string_view a = detail::strip_trailing_comments(v.value);
    if (a.size() >= 2 && a.front() == '<') {
        const std::size_t close = a.find('>');
        if (close != std::string_view::npos) a = detail::trim_space(a.substr(1, close - 1));
    } else if (!a.empty() && a.back() == '>' && a.find('<') == std::string_view::npos) {
        a = detail::trim_space(a.substr(0, a.size() - 1)); // "bob@example.com>": a stray bracket
    }
    return a;
}

namespace detail {

// One code point of UTF-8 at `i`, advancing `i`; -1 (and one byte) for an
// ill-formed sequence: a stray continuation byte, a cut sequence, an overlong
// form, a surrogate, or a value past U+10FFFF.
constexpr std::int32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i++]);
    if (b0 < 0x80) return b0;
    int extra = 0;
    std::int32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0) { extra = 1; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { extra = 2; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { extra = 3; cp = b0 & 0x07; min = 0x10000; }
    else return -1;
    if (s.size() - i < static_cast<std::size_t>(extra)) return -1;
    for (int k = 0; k < extra; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += static_cast<std::size_t>(extra);
    return cp;
}

constexpr bool is_well_formed_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();)
        if (next_code_point(s, i) < 0) return false;
    return true;
}

constexpr bool is_ascii(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// Writes a code point as UTF-8; returns the bytes written, 0 when it does not fit.
constexpr std::size_t put_utf8(std::int32_t cp, char* out, char* last) noexcept {
    char b[4] = {};
    std::size_t n = 0;
    const auto u = static_cast<std::uint32_t>(cp);
    if (u < 0x80) { b[0] = static_cast<char>(u); n = 1; }
    else if (u < 0x800) { b[0] = static_cast<char>(0xC0 | (u >> 6)); b[1] = static_cast<char>(0x80 | (u & 0x3F)); n = 2; }
    else if (u < 0x10000) {
        b[0] = static_cast<char>(0xE0 | (u >> 12)); b[1] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        b[2] = static_cast<char>(0x80 | (u & 0x3F)); n = 3;
    } else {
        b[0] = static_cast<char>(0xF0 | (u >> 18)); b[1] = static_cast<char>(0x80 | ((u >> 12) & 0x3F));
        b[2] = static_cast<char>(0x80 | ((u >> 6) & 0x3F)); b[3] = static_cast<char>(0x80 | (u & 0x3F)); n = 4;
    }
    if (static_cast<std::size_t>(last - out) < n) return 0;
    for (std::size_t k = 0; k < n; ++k) out[k] = b[k];
    return n;
}

// "\x{HEX}" at `i` (RFC 6533 EmbeddedUnicodeChar): the code point and the
// length of the escape, or {-1, 0}. 1 to 6 hex digits, at most U+10FFFF, no
// surrogate; a reader accepts lower case and leading zeros the ABNF forbids.
struct embedded_char {
    std::int32_t cp = -1;
    std::size_t length = 0;
};

constexpr embedded_char embedded_char_at(std::string_view s, std::size_t i) noexcept {
    if (s.size() - i < 5 || s[i] != '\\' || (s[i + 1] != 'x' && s[i + 1] != 'X') || s[i + 2] != '{') return {};
    std::int32_t cp = 0;
    std::size_t j = i + 3, digits = 0;
    for (; j < s.size() && s[j] != '}'; ++j, ++digits) {
        if (digits == 6) return {};
        int v = -1;
        const char c = s[j];
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) return {};
        cp = cp * 16 + v;
    }
    if (j == s.size() || digits == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, j + 1 - i};
}

} // namespace detail

namespace detail {

// The RFC822 attribute of an X.400 address ("/C=FR/ADMD=.../RFC-822=bob(a)example.com/",
// RFC 2156 4.2), or empty.
constexpr std::string_view x400_rfc822_attribute(std::string_view a) noexcept {
    for (std::string_view key : {std::string_view("/rfc-822="), std::string_view("/rfc822=")}) {
        const std::size_t at = ifind(a, key);
        if (at == std::string_view::npos) continue;
        const std::size_t b = at + key.size();
        const std::size_t e = a.find('/', b);
        return a.substr(b, (e == std::string_view::npos ? a.size() : e) - b);
    }
    return {};
}

// RFC 2156 printable-string escapes: "(a)" '@', "(p)" '%', "(b)" '!',
// "(q)" '"', "(u)" '_', "(l)" '(', "(r)" ')', "(065)" the octet 65.
// Returns the octet and the escape's length, or {0, 0}.
struct x400_escape {
    char c = 0;
    std::size_t length = 0;
};

constexpr x400_escape x400_escape_at(std::string_view s, std::size_t i) noexcept {
    if (s[i] != '(') return {};
    if (s.size() - i >= 3 && s[i + 2] == ')') {
        switch (to_lower(s[i + 1])) {
        case 'a': return {'@', 3};
        case 'p': return {'%', 3};
        case 'b': return {'!', 3};
        case 'q': return {'"', 3};
        case 'u': return {'_', 3};
        case 'l': return {'(', 3};
        case 'r': return {')', 3};
        default: return {};
        }
    }
    if (s.size() - i >= 5 && s[i + 4] == ')' && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3])) {
        const int v = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
        if (v > 0 && v < 128) return {static_cast<char>(v), 5};
    }
    return {};
}

} // namespace detail

// The address of an address-typed value with RFC 6533 escapes decoded:
// "utf-8; b\x{F6}b@example.com" -> "böb@example.com", written as UTF-8 into
// [first, last); of an X.400 address, its RFC822 attribute decoded
// ("/RFC-822=bob(a)example.com/" -> "bob@example.com", RFC 2156). A value without an escape is address_of(v) itself, no copy;
// so is one that does not fit the buffer. An escape that is not a valid code
// point is kept as written.
constexpr std::string_view decode_address(const typed_value& v, char* first, char* last) noexcept {
    const std::string_view a = address_of(v);
    // An X.400 address (any type: gateways write it under rfc822 too): its
    // RFC822 attribute, the escapes of RFC 2156 undone.
    if (const std::string_view x = detail::x400_rfc822_attribute(a); !x.empty()) {
        char* out = first;
        for (std::size_t i = 0; i < x.size();) {
            const detail::x400_escape e = detail::x400_escape_at(x, i);
            if (out == last) return a;
            *out++ = e.length != 0 ? e.c : x[i];
            i += e.length != 0 ? e.length : 1;
        }
        return std::string_view(first, static_cast<std::size_t>(out - first));
    }
    if (a.find("\\x{") == std::string_view::npos && a.find("\\X{") == std::string_view::npos) return a;
    char* out = first;
    for (std::size_t i = 0; i < a.size();) {
        const detail::embedded_char e = detail::embedded_char_at(a, i);
        if (e.length != 0) {
            const std::size_t n = detail::put_utf8(e.cp, out, last);
            if (n == 0) return a;
            out += n;
            i += e.length;
            continue;
        }
        if (out == last) return a;
        *out++ = a[i++];
    }
    return std::string_view(first, static_cast<std::size_t>(out - first));
}

// A field value on one line: every line break with the blanks around it
// becomes one space. Writes into [first, last) and returns the written part
// (cut short when the buffer is; raw.size() bytes always suffice). A value
// without line breaks is returned as it is, with no copy.
constexpr std::string_view unfold(std::string_view raw, char* first, char* last) noexcept {
    if (!detail::has_line_break(raw)) return raw;
    return detail::unfold_into(raw, first, last);
}

// --- actions --------------------------------------------------------------

enum class dsn_action : std::uint8_t {
    none,      // no Action field
    failed,    // RFC 3464 2.3.3
    delayed,
    delivered,
    relayed,
    expanded,
    unknown,   // a value RFC 3464 does not define
};

constexpr std::string_view to_string(dsn_action a) noexcept {
    switch (a) {
    case dsn_action::none: return "";
    case dsn_action::failed: return "failed";
    case dsn_action::delayed: return "delayed";
    case dsn_action::delivered: return "delivered";
    case dsn_action::relayed: return "relayed";
    case dsn_action::expanded: return "expanded";
    case dsn_action::unknown: return "unknown";
    }
    return "";
}

// The action at the start of an Action field ("failed (bad address)" ->
// failed), case-insensitive; `unknown` for anything else, `none` for "".
constexpr dsn_action parse_dsn_action(std::string_view text) noexcept {
    const std::string_view token = detail::first_token(text);
    if (token.empty()) return dsn_action::none;
    constexpr dsn_action all[] = {dsn_action::failed, dsn_action::delayed, dsn_action::delivered,
                                  dsn_action::relayed, dsn_action::expanded};
    for (dsn_action a : all)
        if (detail::iequals(token, to_string(a))) return a;
    return dsn_action::unknown;
}

// --- parsed fields --------------------------------------------------------

struct dsn_message_fields {
    typed_value reporting_mta;             // "dns; mx.example.com"
    typed_value dsn_gateway;
    typed_value received_from_mta;
    std::string_view original_envelope_id;
    std::string_view arrival_date;
    std::string_view raw;                  // the whole group, line ends included: header_fields(raw) visits every field
    std::size_t offset = 0;                // of the group in the body
    std::uint16_t extension_fields = 0;    // fields RFC 3464 does not define here (X-Postfix-Queue-ID, ...)
    bool repeated_field = false;           // a field appears twice; the first is kept
};

struct dsn_recipient_warnings {
    bool no_final_recipient = false; // RFC 3464 requires Final-Recipient
    bool no_action = false;          // ... Action
    bool no_status = false;          // ... Status (or it holds no code at all)
    bool unknown_action = false;     // an Action value RFC 3464 does not define
    bool status_not_bare = false;    // a code followed by a comment or text: "5.0.0 (permanent failure)"
    bool status_not_first = false;   // the field does not start with a code; `status` was found inside ("550 5.1.1")
    bool repeated_field = false;     // a field appears twice; the first is kept
    bool not_separated = false;      // the group was not preceded by a blank line

    constexpr bool any() const noexcept {
        return no_final_recipient || no_action || no_status || unknown_action || status_not_bare ||
               status_not_first || repeated_field || not_separated;
    }
};

struct dsn_recipient_fields {
    typed_value original_recipient;  // "rfc822; bob@example.com"; address_of() gives the address
    typed_value final_recipient;
    dsn_action action = dsn_action::none;
    std::string_view action_text;    // the field as written
    std::optional<status_code> status;
    std::string_view status_text;    // the field as written: "5.0.0 (permanent failure)"
    typed_value remote_mta;          // "dns; mx.example.com"
    typed_value diagnostic_code;     // "smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected"
    std::string_view last_attempt_date;
    std::string_view final_log_id;
    std::string_view will_retry_until;
    std::string_view raw;            // the whole group: header_fields(raw) visits every field, X- ones included
    std::size_t offset = 0;          // of the group in the body
    std::uint16_t extension_fields = 0;
    dsn_recipient_warnings warnings;

    // Final-Recipient's address, else Original-Recipient's.
    constexpr std::string_view recipient() const noexcept {
        const std::string_view f = address_of(final_recipient);
        return f.empty() ? address_of(original_recipient) : f;
    }
};

// --- iterating fields -------------------------------------------------------

struct header_field {
    std::string_view name;  // as written
    std::string_view value; // blanks trimmed; folding line breaks inside
    std::size_t offset = 0; // of the field's first line in the searched text
};

// The fields of a header block (a DSN group, a MIME part's header), in order,
// up to the first blank line; lines that are not fields are skipped. For
// range-for; the end iterator compares by position.
class header_fields {
public:
    class iterator {
    public:
        using value_type = header_field;
        using difference_type = std::ptrdiff_t;

        constexpr iterator() noexcept = default;
        constexpr iterator(std::string_view text, std::size_t pos) noexcept : text_(text), pos_(pos) { load(); }
        constexpr const header_field& operator*() const noexcept { return field_; }
        constexpr const header_field* operator->() const noexcept { return &field_; }
        constexpr iterator& operator++() noexcept {
            pos_ = next_;
            load();
            return *this;
        }
        friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept { return a.pos_ == b.pos_; }
        friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept { return a.pos_ != b.pos_; }

    private:
        constexpr void load() noexcept {
            while (pos_ < text_.size()) {
                const detail::scanned_field f = detail::scan_field(text_, pos_);
                if (f.kind == detail::field_scan::field) {
                    field_ = header_field{f.name, f.value, f.begin};
                    next_ = f.next;
                    return;
                }
                if (f.kind != detail::field_scan::malformed) break;
                pos_ = f.next;
            }
            pos_ = next_ = text_.size();
        }
        std::string_view text_;
        std::size_t pos_ = 0, next_ = 0;
        header_field field_;
    };

    constexpr explicit header_fields(std::string_view block) noexcept : text_(block) {}
    constexpr iterator begin() const noexcept { return iterator(text_, 0); }
    constexpr iterator end() const noexcept { return iterator(text_, text_.size()); }

private:
    std::string_view text_;
};

// The first field of that name in a block (case-insensitive), if any.
constexpr std::optional<header_field> find_field(std::string_view block, std::string_view name) noexcept {
    for (const header_field& f : header_fields(block))
        if (detail::iequals(f.name, name)) return f;
    return std::nullopt;
}

// --- parsing --------------------------------------------------------------

enum class dsn_error : std::uint8_t {
    none,
    empty,         // no field at all: not a message/delivery-status body
    no_recipients, // fields, but no per-recipient group
    storage_full,  // more recipient groups than the storage holds; the first ones were kept
};

constexpr std::string_view to_string(dsn_error e) noexcept {
    switch (e) {
    case dsn_error::none: return "none";
    case dsn_error::empty: return "empty";
    case dsn_error::no_recipients: return "no_recipients";
    case dsn_error::storage_full: return "storage_full";
    }
    return "none";
}

struct dsn_warnings {
    bool no_reporting_mta = false;     // RFC 3464 requires Reporting-MTA
    bool no_message_group = false;     // the body starts with a recipient group
    bool malformed_lines = false;      // lines that are neither fields nor continuations were skipped
    bool skipped_groups = false;       // groups after the first holding no recipient field were skipped
    std::size_t first_malformed = 0;   // offset of the first such line

    constexpr bool any() const noexcept {
        return no_reporting_mta || no_message_group || malformed_lines || skipped_groups;
    }
};

namespace detail {

enum class dsn_field_id : std::uint8_t {
    other,
    reporting_mta,
    dsn_gateway,
    received_from_mta,
    original_envelope_id,
    arrival_date,
    original_recipient,
    final_recipient,
    action,
    status,
    remote_mta,
    diagnostic_code,
    last_attempt_date,
    final_log_id,
    will_retry_until,
};

constexpr dsn_field_id dsn_field_of(std::string_view name) noexcept {
    struct entry {
        std::string_view name;
        dsn_field_id id;
    };
    using namespace std::string_view_literals; // a length, not a count at compile time
    constexpr entry names[] = {
        {"Reporting-MTA"sv, dsn_field_id::reporting_mta},
        {"DSN-Gateway"sv, dsn_field_id::dsn_gateway},
        {"Received-From-MTA"sv, dsn_field_id::received_from_mta},
        {"Original-Envelope-Id"sv, dsn_field_id::original_envelope_id},
        {"Arrival-Date"sv, dsn_field_id::arrival_date},
        {"Original-Recipient"sv, dsn_field_id::original_recipient},
        {"Final-Recipient"sv, dsn_field_id::final_recipient},
        {"Action"sv, dsn_field_id::action},
        {"Status"sv, dsn_field_id::status},
        {"Remote-MTA"sv, dsn_field_id::remote_mta},
        {"Diagnostic-Code"sv, dsn_field_id::diagnostic_code},
        {"Last-Attempt-Date"sv, dsn_field_id::last_attempt_date},
        {"Final-Log-ID"sv, dsn_field_id::final_log_id},
        {"Will-Retry-Until"sv, dsn_field_id::will_retry_until},
    };
    for (const entry& e : names)
        if (iequals(name, e.name)) return e.id;
    return dsn_field_id::other;
}

constexpr bool is_recipient_field(dsn_field_id id) noexcept {
    return id >= dsn_field_id::original_recipient;
}

template <class T>
constexpr void set_once(T& slot, const T& value, bool& repeated) noexcept {
    if (slot.empty())
        slot = value;
    else
        repeated = true;
}

// The Status field: a bare code; else a code and a comment or text; else
// (not RFC 3464) a code somewhere in it, as in "550 5.1.1".
constexpr void read_status_field(dsn_recipient_fields& r, std::string_view value) noexcept {
    r.status_text = value;
    const std::string_view head = first_token(value);
    if (const std::optional<status_code> s = parse_status(head)) {
        r.status = s;
        r.warnings.status_not_bare = head.size() != value.size();
        return;
    }
    if (const std::optional<status_match> m = find_status(value)) {
        r.status = std::optional<status_code>(m->status);
        r.warnings.status_not_first = true;
    }
}

} // namespace detail

// Reads a message/delivery-status body group by group: the per-message group
// at construction, then one recipient group per next(). Views point into the
// body. For any number of recipients without storage.
class delivery_status_reader {
public:
    constexpr explicit delivery_status_reader(std::string_view body) noexcept : body_(body) { read_message_group(); }

    constexpr const dsn_message_fields& message() const noexcept { return message_; }
    constexpr const dsn_warnings& warnings() const noexcept { return warnings_; }
    // Whether the body held any field at all (false: not a DSN body).
    constexpr bool has_fields() const noexcept { return has_fields_; }
    // The offset where the next group would be read.
    constexpr std::size_t offset() const noexcept { return pos_; }

    // The next recipient group into `out`; false at the end.
    constexpr bool next(dsn_recipient_fields& out) noexcept {
        while (true) {
            bool separated = after_blank_;
            skip_blank_lines(separated);
            if (pos_ >= body_.size()) return false;
            out = dsn_recipient_fields{};
            const std::size_t start = pos_;
            bool any_recipient_field = false;
            read_group_fields(out, any_recipient_field);
            if (!any_recipient_field) { // a stray group (X- fields only, a repeated Arrival-Date, ...)
                if (pos_ == start) { // cannot happen: every scan advances; belt and braces
                    pos_ = body_.size();
                    return false;
                }
                warnings_.skipped_groups = true;
                continue;
            }
            out.offset = start;
            out.raw = body_.substr(start, group_end_ - start);
            out.warnings.not_separated = !separated;
            out.warnings.no_final_recipient = out.final_recipient.empty();
            out.warnings.no_action = out.action == dsn_action::none;
            out.warnings.unknown_action = out.action == dsn_action::unknown;
            out.warnings.no_status = !out.status;
            return true;
        }
    }

private:
    constexpr void note_malformed(std::size_t at) noexcept {
        if (!warnings_.malformed_lines) warnings_.first_malformed = at;
        warnings_.malformed_lines = true;
    }

    // Moves past blank lines; `separated` becomes true if there were any.
    constexpr void skip_blank_lines(bool& separated) noexcept {
        while (pos_ < body_.size()) {
            const detail::mail_line line = detail::next_mail_line(body_, pos_);
            if (!detail::is_blank_line(line.content)) return;
            separated = true;
            pos_ = line.next;
        }
    }

    constexpr void read_message_group() noexcept {
        bool separated = false;
        skip_blank_lines(separated);
        const std::size_t start = pos_;
        message_.offset = start;
        std::size_t end = start;
        while (pos_ < body_.size()) {
            const detail::scanned_field f = detail::scan_field(body_, pos_);
            if (f.kind == detail::field_scan::blank) {
                pos_ = f.next;
                after_blank_ = true;
                break;
            }
            if (f.kind == detail::field_scan::end) break;
            if (f.kind == detail::field_scan::malformed) {
                note_malformed(f.begin);
                pos_ = end = f.next;
                continue;
            }
            has_fields_ = true;
            const detail::dsn_field_id id = detail::dsn_field_of(f.name);
            if (detail::is_recipient_field(id)) { // no per-message group, or no blank line after it
                after_blank_ = false;
                break;
            }
            apply_message_field(id, f.value);
            pos_ = end = f.next;
        }
        message_.raw = body_.substr(start, end - start);
        warnings_.no_message_group = end == start;
        warnings_.no_reporting_mta = message_.reporting_mta.empty();
    }

    constexpr void apply_message_field(detail::dsn_field_id id, std::string_view value) noexcept {
        using detail::dsn_field_id;
        bool& rep = message_.repeated_field;
        switch (id) {
        case dsn_field_id::reporting_mta: detail::set_once(message_.reporting_mta, parse_typed_value(value), rep); break;
        case dsn_field_id::dsn_gateway: detail::set_once(message_.dsn_gateway, parse_typed_value(value), rep); break;
        case dsn_field_id::received_from_mta:
            detail::set_once(message_.received_from_mta, parse_typed_value(value), rep);
            break;
        case dsn_field_id::original_envelope_id: detail::set_once(message_.original_envelope_id, value, rep); break;
        case dsn_field_id::arrival_date: detail::set_once(message_.arrival_date, value, rep); break;
        default: ++message_.extension_fields; break;
        }
    }

    // Reads fields into `r` up to a blank line, the end, or a field that
    // starts another recipient (groups run together without a blank line).
    constexpr void read_group_fields(dsn_recipient_fields& r, bool& any_recipient_field) noexcept {
        using detail::dsn_field_id;
        group_end_ = pos_;
        after_blank_ = false;
        bool recipient_first = false; // the group's first per-recipient field names the recipient
        while (pos_ < body_.size()) {
            const detail::scanned_field f = detail::scan_field(body_, pos_);
            if (f.kind == detail::field_scan::blank) {
                pos_ = f.next;
                after_blank_ = true;
                return;
            }
            if (f.kind == detail::field_scan::end) return;
            if (f.kind == detail::field_scan::malformed) {
                note_malformed(f.begin);
                pos_ = group_end_ = f.next;
                continue;
            }
            has_fields_ = true;
            const dsn_field_id id = detail::dsn_field_of(f.name);
            // Groups run together: once the group names its recipient, a
            // second Final-Recipient or Original-Recipient naming another
            // address starts the next one. So does a second Action or Status,
            // but only in a group written with them before the recipient
            // ("Action, Status, Original-Recipient, Final-Recipient"): where the
            // recipient comes first, a second Action is a repeated field in the
            // same group, and splitting there would make a recipient of nobody.
            const bool names_recipient = !r.final_recipient.empty() || !r.original_recipient.empty();
            auto other_address = [&](const typed_value& held) {
                return !held.empty() && !detail::iequals(address_of(held), address_of(parse_typed_value(f.value)));
            };
            const bool starts_next =
                names_recipient && ((id == dsn_field_id::final_recipient && other_address(r.final_recipient)) ||
                                    (id == dsn_field_id::original_recipient && other_address(r.original_recipient)) ||
                                    (!recipient_first && id == dsn_field_id::action && !r.action_text.empty()) ||
                                    (!recipient_first && id == dsn_field_id::status && !r.status_text.empty()));
            if (starts_next) return;
            if (detail::is_recipient_field(id)) {
                if (!any_recipient_field)
                    recipient_first = id == dsn_field_id::final_recipient || id == dsn_field_id::original_recipient;
                any_recipient_field = true;
            }
            apply_recipient_field(r, id, f.value);
            pos_ = group_end_ = f.next;
        }
    }

    static constexpr void apply_recipient_field(dsn_recipient_fields& r, detail::dsn_field_id id,
                                                std::string_view value) noexcept {
        using detail::dsn_field_id;
        bool& rep = r.warnings.repeated_field;
        switch (id) {
        case dsn_field_id::original_recipient:
            detail::set_once(r.original_recipient, parse_typed_value(value), rep);
            break;
        case dsn_field_id::final_recipient: detail::set_once(r.final_recipient, parse_typed_value(value), rep); break;
        case dsn_field_id::action:
            if (!r.action_text.empty()) {
                rep = true;
                break;
            }
            r.action_text = value;
            r.action = parse_dsn_action(value);
            break;
        case dsn_field_id::status:
            if (!r.status_text.empty()) {
                rep = true;
                break;
            }
            detail::read_status_field(r, value);
            break;
        case dsn_field_id::remote_mta: detail::set_once(r.remote_mta, parse_typed_value(value), rep); break;
        case dsn_field_id::diagnostic_code: detail::set_once(r.diagnostic_code, parse_typed_value(value), rep); break;
        case dsn_field_id::last_attempt_date: detail::set_once(r.last_attempt_date, value, rep); break;
        case dsn_field_id::final_log_id: detail::set_once(r.final_log_id, value, rep); break;
        case dsn_field_id::will_retry_until: detail::set_once(r.will_retry_until, value, rep); break;
        default: ++r.extension_fields; break;
        }
    }

    std::string_view body_;
    std::size_t pos_ = 0;
    std::size_t group_end_ = 0;
    bool after_blank_ = false;
    bool has_fields_ = false;
    dsn_message_fields message_;
    dsn_warnings warnings_;
};

// The whole body, recipients into caller storage. `total` counts every
// recipient group; when it exceeds the capacity the error is storage_full and
// the first `count` groups are there.
struct dsn_report {
    dsn_message_fields message;
    dsn_recipient_fields* recipients = nullptr;
    std::size_t count = 0; // recipients stored
    std::size_t total = 0; // recipient groups in the body
    dsn_error error = dsn_error::none;
    dsn_warnings warnings;

    constexpr explicit operator bool() const noexcept { return error == dsn_error::none; }
    constexpr const dsn_recipient_fields* begin() const noexcept { return recipients; }
    constexpr const dsn_recipient_fields* end() const noexcept { return recipients + count; }
};

constexpr dsn_report parse_delivery_status(std::string_view body, dsn_recipient_fields* storage,
                                           std::size_t capacity) noexcept {
    delivery_status_reader reader(body);
    dsn_report report;
    report.recipients = storage;
    dsn_recipient_fields r;
    while (reader.next(r)) {
        if (report.count < capacity) storage[report.count++] = r;
        ++report.total;
    }
    report.message = reader.message();
    report.warnings = reader.warnings();
    if (!reader.has_fields())
        report.error = dsn_error::empty;
    else if (report.total == 0)
        report.error = dsn_error::no_recipients;
    else if (report.total > report.count)
        report.error = dsn_error::storage_full;
    return report;
}

template <std::size_t N>
constexpr dsn_report parse_delivery_status(std::string_view body, dsn_recipient_fields (&storage)[N]) noexcept {
    return parse_delivery_status(body, storage, N);
}

// --- writing ----------------------------------------------------------------

enum class dsn_write_error : std::uint8_t {
    none,
    buffer_too_small,  // `size` says how much is needed; the buffer holds a prefix
    no_recipients,     // a DSN reports on at least one recipient
    no_reporting_mta,  // RFC 3464 requires Reporting-MTA
    no_final_recipient,
    no_action,         // action is none or unknown
    no_status,         // status is missing or invalid: Status is a bare enhanced code, always
    status_mismatch,   // the status's class contradicts the action (failed with 2.x.x, delivered with 5.x.x)
    bad_value,         // a control character, or a line break in a field that cannot be folded (an address, a host)
    word_too_long,     // a word longer than a line may be (998 octets, RFC 5322 2.1.1)
    not_ascii,         // non-ASCII text (not an address) in a message/delivery-status body: RFC 6533 puts
                       // it in message/global-delivery-status (dsn_body_type::global)
    bad_address,       // an rfc822 or utf-8 address that is not local-part@domain, or ill-formed UTF-8
};

// Which body write_delivery_status() writes. message/delivery-status is
// 7-bit: an address with non-ASCII characters goes as "utf-8;" with its
// characters escaped (RFC 6533 utf-8-addr-xtext), and other non-ASCII text
// is refused. message/global-delivery-status (RFC 6533) carries UTF-8 as is.
enum class dsn_body_type : std::uint8_t { delivery_status, global };

constexpr std::string_view to_string(dsn_write_error e) noexcept {
    switch (e) {
    case dsn_write_error::none: return "none";
    case dsn_write_error::buffer_too_small: return "buffer_too_small";
    case dsn_write_error::no_recipients: return "no_recipients";
    case dsn_write_error::no_reporting_mta: return "no_reporting_mta";
    case dsn_write_error::no_final_recipient: return "no_final_recipient";
    case dsn_write_error::no_action: return "no_action";
    case dsn_write_error::no_status: return "no_status";
    case dsn_write_error::status_mismatch: return "status_mismatch";
    case dsn_write_error::bad_value: return "bad_value";
    case dsn_write_error::word_too_long: return "word_too_long";
    case dsn_write_error::not_ascii: return "not_ascii";
    case dsn_write_error::bad_address: return "bad_address";
    }
    return "none";
}

struct dsn_write_result {
    std::size_t size = 0;                           // bytes the whole body takes (written, when it fit)
    dsn_write_error error = dsn_write_error::none;
    std::size_t recipient = 0;                      // for a recipient's error: its index

    constexpr explicit operator bool() const noexcept { return error == dsn_write_error::none; }
};

// RFC 5322 2.1.1: lines SHOULD stay within 78 characters, and MUST within 998.
inline constexpr std::size_t dsn_line_limit = 78;
inline constexpr std::size_t dsn_hard_line_limit = 998;

namespace detail {

// Counts everything, writes what fits.
struct bounded_sink {
    char* out;
    char* last;
    std::size_t size = 0;
    bool global = false; // message/global-delivery-status: UTF-8 allowed

    constexpr void put(char c) noexcept {
        if (out != last) *out++ = c;
        ++size;
    }
    constexpr void put(std::string_view s) noexcept {
        for (char c : s) put(c);
    }
};

constexpr bool is_control(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f;
}

// A value for a field that is one word or a few (an address, a host name,
// an envelope id): no control characters, no line breaks.
constexpr bool is_plain_value(std::string_view v) noexcept {
    for (char c : v)
        if (is_control(c) || is_line_break(c)) return false;
    return true;
}

constexpr bool is_text_value(std::string_view v) noexcept {
    for (char c : v)
        if (is_control(c)) return false;
    return true;
}

// Writes "Name: prefix words...", folding before a blank so that no line
// exceeds 78 characters where the words allow it. Line breaks in the text (a
// multi-line SMTP reply, a folded field read back) become single blanks
// first: a value can never start a field of its own. Other blanks are kept.
class folded_field_writer {
public:
    constexpr folded_field_writer(bounded_sink& sink, std::string_view name) noexcept
        : sink_(sink), column_(name.size() + 1) {
        sink_.put(name);
        sink_.put(':');
    }

    // A word of `size` octets that `write(sink)` puts, checked by the caller.
    template <class Write>
    constexpr dsn_write_error word_of(std::string_view sep, std::size_t size, Write&& write) noexcept {
        const std::size_t width = sep.size() + size;
        // The first word cannot move to a line of its own: it follows the name.
        if ((words_ == 0 ? column_ : 0) + width > dsn_hard_line_limit) return dsn_write_error::word_too_long;
        if (words_ != 0 && column_ + width > dsn_line_limit) {
            sink_.put("\r\n");
            column_ = 0;
        }
        sink_.put(sep);
        write(sink_);
        column_ += width;
        ++words_;
        return dsn_write_error::none;
    }

    // One word and the blanks before it; `tail`, when not 0, ends the word.
    constexpr dsn_write_error word(std::string_view sep, std::string_view w, char tail = 0) noexcept {
        // Every word of every field passes here: the one place to keep
        // non-ASCII out of a 7-bit body and ill-formed UTF-8 out of any.
        if (!is_ascii(w)) {
            if (!sink_.global) return dsn_write_error::not_ascii;
            if (!is_well_formed_utf8(w)) return dsn_write_error::bad_value;
        }
        return word_of(sep, w.size() + (tail != 0 ? 1 : 0), [&](bounded_sink& out) {
            out.put(w);
            if (tail != 0) out.put(tail);
        });
    }

    constexpr dsn_write_error text(std::string_view t) noexcept {
        t = trim_space(t);
        std::size_t i = 0;
        while (i < t.size()) {
            const std::size_t sep_begin = i;
            bool had_break = false;
            while (i < t.size() && is_space(t[i])) {
                had_break = had_break || is_line_break(t[i]);
                ++i;
            }
            std::string_view sep = t.substr(sep_begin, i - sep_begin);
            if (had_break || sep.empty()) sep = " ";
            const std::size_t word_begin = i;
            while (i < t.size() && !is_space(t[i])) ++i;
            const dsn_write_error e = word(sep, t.substr(word_begin, i - word_begin));
            if (e != dsn_write_error::none) return e;
        }
        return dsn_write_error::none;
    }

    constexpr void finish() noexcept { sink_.put("\r\n"); }

private:
    bounded_sink& sink_;
    std::size_t column_;
    std::size_t words_ = 0;
};

constexpr dsn_write_error write_folded_field(bounded_sink& sink, std::string_view name, std::string_view prefix,
                                             std::string_view text) noexcept {
    folded_field_writer w(sink, name);
    dsn_write_error e = dsn_write_error::none;
    if (!prefix.empty()) e = w.word(" ", prefix);
    if (e == dsn_write_error::none) e = w.text(text);
    w.finish();
    return e;
}

constexpr dsn_write_error write_plain_field(bounded_sink& sink, std::string_view name, std::string_view prefix,
                                            std::string_view value) noexcept {
    if (!is_plain_value(value)) return dsn_write_error::bad_value;
    return write_folded_field(sink, name, prefix, value);
}

// "type; value" as given.
constexpr dsn_write_error write_typed_field_as_given(bounded_sink& sink, std::string_view name, const typed_value& v,
                                                     bool text) noexcept {
    const std::string_view type = v.type;
    if (!is_plain_value(type) || type.find(';') != std::string_view::npos) return dsn_write_error::bad_value;
    if (text ? !is_text_value(v.value) : !is_plain_value(v.value)) return dsn_write_error::bad_value;
    folded_field_writer w(sink, name);
    dsn_write_error e = w.word(" ", type, ';'); // "type;" is one word: never folded apart
    if (e == dsn_write_error::none) e = w.text(v.value);
    w.finish();
    return e;
}

// "type; value" with the type defaulted.
constexpr dsn_write_error write_typed_field(bounded_sink& sink, std::string_view name, const typed_value& v,
                                            std::string_view default_type, bool text) noexcept {
    return write_typed_field_as_given(sink, name, typed_value{v.type.empty() ? default_type : v.type, v.value}, text);
}

// --- addresses ---------------------------------------------------------------

// RFC 5322 atext, and (RFC 6532) any non-ASCII octet of well-formed UTF-8.
constexpr bool is_atext(char c) noexcept {
    if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '/':
    case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}': case '~':
        return true;
    default:
        return false;
    }
}

constexpr bool is_dot_atom(std::string_view s) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
    for (char c : s)
        if (c != '.' && !is_atext(c)) return false;
    return true;
}

// A quoted-string local part as written: "..." with quoted-pairs inside.
constexpr bool is_quoted_string(std::string_view s) noexcept {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\') {
            if (++i + 1 >= s.size()) return false; // the closing quote escaped
        } else if (s[i] == '"') {
            return false;
        }
    }
    return true;
}

constexpr bool is_domain(std::string_view d) noexcept {
    if (d.size() >= 2 && d.front() == '[' && d.back() == ']') { // an address literal
        for (char c : d.substr(1, d.size() - 2))
            if (c == '[' || c == ']' || c == '\\' || is_space(c)) return false;
        return true;
    }
    if (d.empty() || d.front() == '.' || d.back() == '.' || d.find("..") != std::string_view::npos) return false;
    for (char c : d)
        if (!is_alnum(c) && c != '-' && c != '.' && static_cast<unsigned char>(c) < 0x80) return false;
    return true;
}

// An address as the writer puts it: local-part@domain, the local part
// quoted when it is not a dot-atom (a blank or a comma in it).
struct address_spec {
    std::string_view local, domain;
    bool quote = false; // the local part needs quoting
    bool ok = false;
};

constexpr address_spec split_address(std::string_view a) noexcept {
    address_spec s;
    std::size_t at = std::string_view::npos;
    if (!a.empty() && a.front() == '"') { // the '@' after the closing quote
        for (std::size_t i = 1; i < a.size(); ++i) {
            if (a[i] == '\\') ++i;
            else if (a[i] == '"') {
                at = i + 1;
                break;
            }
        }
        if (at >= a.size() || a[at] != '@') return s;
    } else {
        at = a.rfind('@');
        if (at == std::string_view::npos) return s;
    }
    s.local = a.substr(0, at);
    s.domain = a.substr(at + 1);
    if (s.local.empty() || !is_domain(s.domain)) return s;
    if (!is_dot_atom(s.local) && !is_quoted_string(s.local)) {
        for (char c : s.local)
            if (is_control(c) || is_line_break(c)) return s;
        s.quote = true;
    }
    s.ok = true;
    return s;
}

// Calls put(c) for each character of the address spec, the local part
// quoted (with quoted-pairs) where it must be.
template <class Put>
constexpr void for_each_address_char(const address_spec& s, Put&& put) noexcept {
    if (s.quote) {
        put('"');
        for (char c : s.local) {
            if (c == '"' || c == '\\') put('\\');
            put(c);
        }
        put('"');
    } else {
        for (char c : s.local) put(c);
    }
    put('@');
    for (char c : s.domain) put(c);
}

// RFC 6533 QCHAR: printable ASCII but '\\', '+' and '='.
constexpr bool is_qchar(std::int32_t cp) noexcept {
    return cp >= 0x21 && cp <= 0x7E && cp != '\\' && cp != '+' && cp != '=';
}

constexpr std::size_t hex_digits(std::int32_t cp) noexcept {
    std::size_t n = 2; // the ABNF's HEXPOINT: at least two digits, no other leading zero
    while (n < 6 && (static_cast<std::uint32_t>(cp) >> (4 * n)) != 0) ++n;
    return n;
}

// Writes "Name: rfc822; local@domain" or, for an address with non-ASCII
// characters or a "utf-8" type, "Name: utf-8; ..." with RFC 6533 escapes
// ("\\x{E9}") for what a 7-bit body cannot carry (a global body keeps UTF-8
// as is) and for '\\', '+', '=' and blanks. The address is one word: never
// folded. Other address types are written as given.
constexpr dsn_write_error write_address_field(bounded_sink& sink, std::string_view name, const typed_value& v,
                                              bool text_type) noexcept {
    const std::string_view a = address_of(v);
    const std::string_view type = v.type.empty() ? "rfc822" : v.type;
    const bool utf8_type = iequals(type, "utf-8");
    if (!utf8_type && !iequals(type, "rfc822"))
        return write_typed_field_as_given(sink, name, typed_value{type, a}, text_type);
    if (!is_plain_value(a)) return dsn_write_error::bad_value;
    if (!is_well_formed_utf8(a)) return dsn_write_error::bad_address;
    const address_spec spec = split_address(a);
    if (!spec.ok) return dsn_write_error::bad_address;
    const bool as_utf8 = utf8_type || !is_ascii(a);
    // The address as written, character by character, into `put`: twice,
    // once to measure it and once to write it.
    auto emit = [&](auto&& put) {
        if (!as_utf8) {
            for_each_address_char(spec, put);
            return;
        }
        // Decoding the spec's octets back into code points: the quoting
        // added only ASCII, so a character is never split.
        std::int32_t pending = 0;
        int needed = 0;
        auto encode = [&](std::int32_t cp, std::string_view raw) {
            if (is_qchar(cp) || (sink.global && cp >= 0x80)) {
                for (char c : raw) put(c);
                return;
            }
            put('\\');
            put('x');
            put('{');
            constexpr char hex[] = "0123456789ABCDEF";
            for (std::size_t d = hex_digits(cp); d-- > 0;) put(hex[(static_cast<std::uint32_t>(cp) >> (4 * d)) & 0xF]);
            put('}');
        };
        char raw[4] = {};
        std::size_t raw_size = 0;
        for_each_address_char(spec, [&](char c) {
            const auto u = static_cast<unsigned char>(c);
            if (needed == 0) {
                raw_size = 0;
                raw[raw_size++] = c;
                if (u < 0x80) {
                    encode(u, std::string_view(raw, 1));
                    return;
                }
                needed = u >= 0xF0 ? 3 : u >= 0xE0 ? 2 : 1;
                pending = u & (u >= 0xF0 ? 0x07 : u >= 0xE0 ? 0x0F : 0x1F);
                return;
            }
            raw[raw_size++] = c;
            pending = (pending << 6) | (u & 0x3F);
            if (--needed == 0) encode(pending, std::string_view(raw, raw_size));
        });
    };
    std::size_t size = 0;
    emit([&](char) { ++size; });
    folded_field_writer w(sink, name);
    dsn_write_error e = w.word(" ", as_utf8 ? std::string_view("utf-8") : type, ';');
    if (e == dsn_write_error::none) e = w.word_of(" ", size, [&](bounded_sink& out) { emit([&](char c) { out.put(c); }); });
    w.finish();
    return e;
}

constexpr bool action_matches(dsn_action a, status_class c) noexcept {
    switch (a) {
    case dsn_action::failed: return c == status_class::permanent || c == status_class::transient;
    case dsn_action::delayed: return c == status_class::transient;
    case dsn_action::delivered:
    case dsn_action::relayed:
    case dsn_action::expanded: return c == status_class::success;
    default: return false;
    }
}

} // namespace detail

// Writes a message/delivery-status body (RFC 3464) into [first, last): the
// per-message group, then one group per recipient, CRLF line ends, lines
// folded within 78 characters. Status is written as the bare code,
// Diagnostic-Code as "smtp; <text>" unless another type is given, addresses as
// "rfc822; <address>" (an address with non-ASCII characters as "utf-8; ...",
// see dsn_body_type; one that is not local-part@domain is refused), MTAs as
// "dns; <host>". Dates are written as given (RFC 5322 date-time). Fields left
// empty are omitted; raw, offsets, counters and warnings are ignored.
//
// On error nothing useful is in the buffer. `size` is the space needed, also
// when the buffer was too small, so a first call with an empty buffer sizes it.
constexpr dsn_write_result write_delivery_status(char* first, char* last, const dsn_message_fields& message,
                                                 const dsn_recipient_fields* recipients, std::size_t count,
                                                 dsn_body_type body = dsn_body_type::delivery_status) noexcept {
    dsn_write_result result;
    if (count == 0) {
        result.error = dsn_write_error::no_recipients;
        return result;
    }
    if (address_of(message.reporting_mta).empty()) {
        result.error = dsn_write_error::no_reporting_mta;
        return result;
    }
    detail::bounded_sink sink{first, last};
    sink.global = body == dsn_body_type::global;
    dsn_write_error e = dsn_write_error::none;
    auto step = [&](dsn_write_error r) {
        if (e == dsn_write_error::none) e = r;
    };
    step(detail::write_typed_field(sink, "Reporting-MTA", message.reporting_mta, "dns", false));
    if (!message.dsn_gateway.value.empty())
        step(detail::write_typed_field(sink, "DSN-Gateway", message.dsn_gateway, "dns", false));
    if (!message.received_from_mta.value.empty())
        step(detail::write_typed_field(sink, "Received-From-MTA", message.received_from_mta, "dns", false));
    if (!message.original_envelope_id.empty())
        step(detail::write_plain_field(sink, "Original-Envelope-Id", {}, message.original_envelope_id));
    if (!message.arrival_date.empty()) {
        if (!detail::is_text_value(message.arrival_date)) step(dsn_write_error::bad_value);
        step(detail::write_folded_field(sink, "Arrival-Date", {}, message.arrival_date));
    }
    if (e != dsn_write_error::none) {
        result.error = e;
        return result;
    }
    for (std::size_t i = 0; i < count; ++i) {
        const dsn_recipient_fields& r = recipients[i];
        auto fail = [&](dsn_write_error err) {
            result.error = err;
            result.recipient = i;
            return result;
        };
        if (address_of(r.final_recipient).empty()) return fail(dsn_write_error::no_final_recipient);
        if (r.action == dsn_action::none || r.action == dsn_action::unknown) return fail(dsn_write_error::no_action);
        if (!r.status || !is_valid(*r.status)) return fail(dsn_write_error::no_status);
        if (!detail::action_matches(r.action, r.status->cls)) return fail(dsn_write_error::status_mismatch);
        sink.put("\r\n");
        if (!r.original_recipient.value.empty())
            step(detail::write_address_field(sink, "Original-Recipient", r.original_recipient, false));
        step(detail::write_address_field(sink, "Final-Recipient", r.final_recipient, false));
        step(detail::write_plain_field(sink, "Action", {}, to_string(r.action)));
        step(detail::write_plain_field(sink, "Status", {}, to_string(*r.status).view()));
        if (!r.remote_mta.value.empty())
            step(detail::write_typed_field(sink, "Remote-MTA", r.remote_mta, "dns", false));
        if (!r.diagnostic_code.value.empty())
            step(detail::write_typed_field(sink, "Diagnostic-Code", r.diagnostic_code, "smtp", true));
        if (!r.last_attempt_date.empty()) {
            if (!detail::is_text_value(r.last_attempt_date)) step(dsn_write_error::bad_value);
            step(detail::write_folded_field(sink, "Last-Attempt-Date", {}, r.last_attempt_date));
        }
        if (!r.final_log_id.empty()) step(detail::write_plain_field(sink, "Final-Log-ID", {}, r.final_log_id));
        if (!r.will_retry_until.empty()) {
            if (!detail::is_text_value(r.will_retry_until)) step(dsn_write_error::bad_value);
            step(detail::write_folded_field(sink, "Will-Retry-Until", {}, r.will_retry_until));
        }
        if (e != dsn_write_error::none) return fail(e);
    }
    result.size = sink.size;
    if (sink.size > static_cast<std::size_t>(last - first)) result.error = dsn_write_error::buffer_too_small;
    return result;
}

// The recipient group an MTA writes after a server's reply to RCPT TO or to
// the end of DATA: the action from the reply's class (2yz delivered, 4yz
// delayed, 5yz failed), Status from the reply's enhanced code or else
// default_status(), Diagnostic-Code "smtp; <the reply>", Remote-MTA the
// server. The views point into the arguments; `reply_text` is the reply as
// received (multi-line replies are folded onto continuation lines).
constexpr dsn_recipient_fields recipient_from_reply(std::string_view address, std::string_view remote_host,
                                                    const reply& r, status_code status) noexcept {
    dsn_recipient_fields f;
    f.final_recipient = typed_value{"rfc822", address};
    if (!remote_host.empty()) f.remote_mta = typed_value{"dns", remote_host};
    switch (class_of(r.code)) {
    case reply_class::positive_completion: f.action = dsn_action::delivered; break;
    case reply_class::transient_negative: f.action = dsn_action::delayed; break;
    case reply_class::permanent_negative: f.action = dsn_action::failed; break;
    default: f.action = dsn_action::none; break;
    }
    f.status = std::optional<status_code>(status);
    f.diagnostic_code = typed_value{"smtp", r.raw};
    return f;
}

ESC_END_NAMESPACE
