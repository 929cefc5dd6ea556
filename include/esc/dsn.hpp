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


} // namespace detail

// The address of an address-typed value with RFC 6533 escapes decoded:
// "utf-8; b\x{F6}b@example.com" -> "böb@example.com", written as UTF-8 into
// [first, last); of an X.400 address, its RFC822 attribute decoded
// ("/RFC-822=bob(a)example.com/" -> "bob@example.com", RFC 2156). A value without an escape is address_of(v) itself, no copy;
// so is one that does not fit the buffer. An escape that is not a valid code
// point is kept as written.
ESC_DECL std::string_view decode_address(const typed_value& v, char* first, char* last) noexcept;

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
ESC_DECL std::optional<header_field> find_field(std::string_view block, std::string_view name) noexcept;

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

} // namespace detail

// Reads a message/delivery-status body group by group: the per-message group
// at construction, then one recipient group per next(). Views point into the
// body. For any number of recipients without storage.
class delivery_status_reader {
public:
    ESC_DECL explicit delivery_status_reader(std::string_view body) noexcept;

    constexpr const dsn_message_fields& message() const noexcept { return message_; }
    constexpr const dsn_warnings& warnings() const noexcept { return warnings_; }
    // Whether the body held any field at all (false: not a DSN body).
    constexpr bool has_fields() const noexcept { return has_fields_; }
    // The offset where the next group would be read.
    constexpr std::size_t offset() const noexcept { return pos_; }

    // The next recipient group into `out`; false at the end.
    ESC_DECL bool next(dsn_recipient_fields& out) noexcept;

private:
    constexpr void note_malformed(std::size_t at) noexcept {
        if (!warnings_.malformed_lines) warnings_.first_malformed = at;
        warnings_.malformed_lines = true;
    }

    // Moves past blank lines; `separated` becomes true if there were any.
    ESC_DECL void skip_blank_lines(bool& separated) noexcept;

    ESC_DECL void read_message_group() noexcept;

    ESC_DECL void apply_message_field(detail::dsn_field_id id, std::string_view value) noexcept;

    // Reads fields into `r` up to a blank line, the end, or a field that
    // starts another recipient (groups run together without a blank line).
    ESC_DECL void read_group_fields(dsn_recipient_fields& r, bool& any_recipient_field) noexcept;

    static ESC_DECL void apply_recipient_field(dsn_recipient_fields& r, detail::dsn_field_id id,
                                                std::string_view value) noexcept;

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

ESC_DECL dsn_report parse_delivery_status(std::string_view body, dsn_recipient_fields* storage,
                                           std::size_t capacity) noexcept;

template <std::size_t N>
ESC_CONSTEXPR dsn_report parse_delivery_status(std::string_view body, dsn_recipient_fields (&storage)[N]) noexcept {
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
ESC_DECL dsn_write_result write_delivery_status(char* first, char* last, const dsn_message_fields& message,
                                                 const dsn_recipient_fields* recipients, std::size_t count,
                                                 dsn_body_type body = dsn_body_type::delivery_status) noexcept;

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

#if ESC_HEADER_ONLY
#include "impl/dsn.ipp"
#endif
