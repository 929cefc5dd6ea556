// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reading a whole bounce message: from the raw email to one result per
// recipient (address, action, status, reply code, diagnostic, outcome,
// reason), as a mail client, an ESP or a list manager needs it. The MIME
// structure and the transfer encodings are <esc/mime.hpp>'s; this header is
// what a bounce says and how to read it.
//
//  - read_bounce(message, buffer, storage): walks the MIME structure
//    (multipart/report; report-type=delivery-status, nested multiparts,
//    message/rfc822), decodes base64 or quoted-printable where a part needs
//    it, and reads the message/delivery-status part with <esc/dsn.hpp>.
//    When there is no DSN part (qmail, old Exim, webmail bounces) it reads
//    the human-readable text instead and says so: `source` is `text`. A
//    whole report pasted into the text (a bounce forwarded inline) is read
//    as the bounce. The report also gives the returned message's header
//    (`returned`; from a base64 or quoted-printable part too, its header
//    alone decoded into the buffer when there is room), and for an ARF
//    complaint (RFC 5965) its fields (`feedback`) instead of recipients.
//  - find_delivery_status(message, buffer): just the DSN part.
//  - bounce_result(fields): the result for one DSN recipient group.
//  - decode_verp(address, buffer): the recipient a VERP return path names.
//  - Many messages in one mbox file: <esc/mbox.hpp>. A whole bounce
//    written: <esc/bounce_writer.hpp>.
//
// The Subject is read with its RFC 2047 encoded-words decoded, and a text
// part in ISO-8859-1/2/15, windows-1250/1251/1252 or KOI8-R as UTF-8 when
// the buffer holds the conversion; other charsets are read as they are,
// unless bounce_options names a converter for them (<esc/charset_cjk.hpp>:
// Japanese and Chinese). An Amazon SES
// notification (JSON, alone or in an SNS envelope) is read too: `source`
// is `json`.
//
// Memory: the views in the results point into `message` or, for decoded
// parts, into the caller's `buffer`. A DSN whose status part is 7bit, 8bit
// or binary needs no buffer (an encoded notification text is then decoded
// only if it fits, or if a recipient lacks a Diagnostic-Code; a utf-8 or
// X.400 address is decoded only if it fits, else reported as written);
// `message.size()` bytes always suffice, as decoding never grows text.
// A part that does not fit is `buffer_too_small`, damaged base64
// `bad_encoding`: both before "no recipients", which they would explain.
// <esc/dsn_string.hpp> has an owning version. Nothing here allocates,
// throws, or reads outside its input; MIME nesting is followed 12 levels
// deep; every path is linear in the message (tests/linear_time).
//
// Per recipient: `address` is the Final-Recipient (utf-8 addresses of RFC
// 6533 and X.400 ones of RFC 2156 decoded; a pipe or a file, as Exim
// writes, gives way to the address inside it or X-Failed-Recipients), else
// the Original-Recipient; `original` is the Original-Recipient (the ORCPT a
// list manager matches on), and `origin` says which field `address` is.
// `status` is the Status field, except that the catch-all X.0.0 gives way
// to the more specific code of the same class in the server's reply
// (Status: 5.0.0, "550 5.1.1 User unknown"); else the reply's code.
// classify() reads the diagnostic with the addresses (and qmail's "Giving
// up on HOST.", which follows every permanent reply) blanked out, the
// server's own enhanced code (else the Status field) standing for the
// reply's; then the action settles the outcome: delivered, relayed,
// expanded are success; failed is permanent whatever the class (RFC 3464
// 2.3.3), with reason expired for a transient network or system cause the
// MTA says it gave up on; delayed is transient.
//
// The text path is heuristic, and says what it found: recipients are those
// of X-Failed-Recipients; else the addresses heading a line of the report
// text (qmail "<a>:", Exim "  a", sendmail "<a>"); else those named in it;
// else the returned message's To:. Never a recipient: the bounce's own
// From and Sender, role addresses (postmaster@, mailer-daemon@), an address
// the reader is told to contact, the alias of "(expanded from <alias>)"
// (that is the recipient's `original`); the address the bounce goes back to
// only when nobody else is named. A recipient's diagnostic is the
// paragraph about it, or the paragraph that explains it (see
// detail::diagnostic_at); its action is what the prose says ("I'm not
// going to try again", "will retry", "postponed"), else failed, as a
// bounce came back. Messages that do not present themselves as bounces
// (null sender, mailer-daemon, X-Failed-Recipients, a bounce's Subject) and
// say nothing about a failure yield no recipient; nor do feedback reports
// and automatic replies (RFC 3834).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/config.hpp"
#include "classify.hpp"
#include "command.hpp"
#include "detail/ascii.hpp"
#include "dsn.hpp"
#include "mime.hpp"
#include "reason.hpp"
#include "reply.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

enum class bounce_source : std::uint8_t {
    dsn,  // a message/delivery-status part (RFC 3464)
    text, // the human-readable text: no DSN part, or one without recipients
    json, // a provider's notification in JSON instead of a DSN (Amazon SES, also inside an SNS envelope)
};

constexpr std::string_view to_string(bounce_source s) noexcept {
    switch (s) {
    case bounce_source::dsn: return "dsn";
    case bounce_source::text: return "text";
    case bounce_source::json: return "json";
    }
    return "text";
}

// Which field or text `bounce_recipient::address` was read from.
enum class address_origin : std::uint8_t {
    final_recipient,    // a DSN's Final-Recipient
    original_recipient, // a DSN's Original-Recipient: the group had no Final-Recipient
    text,               // the human-readable text or X-Failed-Recipients
};

constexpr std::string_view to_string(address_origin o) noexcept {
    switch (o) {
    case address_origin::final_recipient: return "final_recipient";
    case address_origin::original_recipient: return "original_recipient";
    case address_origin::text: return "text";
    }
    return "text";
}

// One recipient of a bounce.
struct bounce_recipient {
    std::string_view address;           // "bob@example.com": the address the report is about (Final-Recipient)
    std::string_view original;          // the address the sender gave (Original-Recipient, the ORCPT; or in
                                        // prose the alias "(expanded from <list@example.com>)"); empty when
                                        // not reported. A list manager matches its subscribers on this one.
    address_origin origin = address_origin::final_recipient;
    dsn_action action = dsn_action::none;
    std::optional<status_code> status;  // the Status field (a catch-all X.0.0 refined by the reply's
                                        // code), else the enhanced code of the diagnostic
    std::optional<esc::reply_code> reply_code; // the basic code of the diagnostic's reply
    std::string_view diagnostic;        // the server's text (Diagnostic-Code, or the paragraph of the
                                        // text); may hold folding line breaks: see unfold()
    esc::classification classification; // classify() of the diagnostic, the Status field and the action
    bounce_source source = bounce_source::dsn;
    dsn_recipient_fields fields;        // source dsn: the whole group; source text: empty
};

enum class bounce_error : std::uint8_t {
    none,
    not_a_bounce,     // no DSN part, and neither the headers nor the text say delivery failed
    no_recipients,    // a bounce, but no recipient could be found in it
    buffer_too_small, // a part to decode did not fit the buffer; what could be read is there
    bad_encoding,     // the part the recipients were read from is damaged base64 (characters outside the
                      // alphabet, a cut quantum, data after the padding); what could be read is there,
                      // but its addresses may be garbage
    storage_full,     // more recipients than the storage holds; the first ones are there
};

constexpr std::string_view to_string(bounce_error e) noexcept {
    switch (e) {
    case bounce_error::none: return "none";
    case bounce_error::not_a_bounce: return "not_a_bounce";
    case bounce_error::no_recipients: return "no_recipients";
    case bounce_error::buffer_too_small: return "buffer_too_small";
    case bounce_error::bad_encoding: return "bad_encoding";
    case bounce_error::storage_full: return "storage_full";
    }
    return "none";
}

// What kind of report the message is, whatever its recipients.
enum class report_kind : std::uint8_t {
    none,             // nothing says it reports on a delivery
    delivery_status,  // a DSN part, or a bounce in prose
    feedback,         // an ARF feedback report (RFC 5965): a complaint, not a bounce; no recipients are read
    auto_reply,       // an out-of-office or other automatic reply (RFC 3834): not a bounce either
};

// The machine-readable part of an ARF feedback report (RFC 5965 3.1): a
// complaint about a message, not a failure to deliver it. Views into the
// message or the buffer; empty when absent. Original-Rcpt-To may repeat:
// the first is kept and `original_rcpt_to_count` counts them.
struct feedback_fields {
    std::string_view feedback_type;     // "abuse", "fraud", "not-spam", "virus", "other", ...
    std::string_view user_agent;
    std::string_view version;
    std::string_view original_mail_from;
    std::string_view original_rcpt_to;  // the complaining recipient, when the provider discloses it
    std::size_t original_rcpt_to_count = 0;
    std::string_view arrival_date;
    std::string_view source_ip;
    std::string_view reported_domain;
    std::string_view authentication_results;
    std::string_view reported_uri;
    std::string_view incidents;
    std::string_view raw;               // the whole part: header_fields(raw) visits every field
};

// The returned message, as the bounce quotes it (a message/rfc822 or
// text/rfc822-headers part, or a copy inline after the report text): its
// header, and the fields a list manager or an ESP matches a bounce on. Views;
// empty when absent. find_field(header, "X-Campaign-Id") gives any other.
struct returned_message {
    std::string_view header; // the whole header block: header_fields(header) visits every field
    std::string_view message_id, subject, from, to, date, list_id;
};

// How read_bounce() reads, beyond the defaults.
//  - convert_charset: a converter for the text part's and the Subject's
//    encoded-words' charsets that mime.hpp does not convert itself (the
//    western, central European and Cyrillic single-byte ones, UTF-8):
//    esc::convert_cjk of <esc/charset_cjk.hpp> decodes ISO-2022-JP,
//    Shift_JIS, EUC-JP, GB2312/GBK. A hook, so that the tables are compiled
//    only where a unit includes that header. The text is converted behind
//    the decoded parts in the buffer when the rest holds it (CJK text grows
//    up to 3/2 in UTF-8, half-width katakana 3 times), else read as it is.
using charset_converter = detail::charset_converter;
struct bounce_options {
    charset_converter convert_charset = nullptr;
};

struct bounce_report {
    bounce_source source = bounce_source::text;
    report_kind kind = report_kind::none;
    bounce_recipient* recipients = nullptr;
    std::size_t count = 0;      // recipients stored
    std::size_t total = 0;      // recipients found
    bounce_error error = bounce_error::none;
    dsn_message_fields message; // source dsn: the per-message fields
    esc::dsn_warnings dsn_warnings; // source dsn: what the DSN part did not get right
    std::string_view dsn_body;  // the message/delivery-status part read, decoded; empty if none
    std::string_view text;      // the human-readable text read (decoded), up to the returned message
    bool dsn_in_text = false;   // source dsn: the DSN fields were found in the text, not in a DSN part
    std::string_view subject;   // the bounce's Subject, as written
    feedback_fields feedback;   // kind feedback: the report's fields (no recipients are read)
    returned_message returned;  // the message that bounced, as far as the bounce quotes it
    std::string_view to;        // the bounce's To: the return path it came back to (see decode_verp())

    constexpr explicit operator bool() const noexcept { return error == bounce_error::none; }
    constexpr const bounce_recipient* begin() const noexcept { return recipients; }
    constexpr const bounce_recipient* end() const noexcept { return recipients + count; }
};

// --- the DSN part ----------------------------------------------------------------

struct delivery_status_part {
    std::string_view body;         // the part's body, decoded; empty when not found
    bool found = false;
    bool decoded = false;          // base64 or quoted-printable, decoded into the buffer
    bool complete = true;          // false: the buffer was too small; `body` is a prefix
    bool clean = true;             // false: damaged base64 (see bounce_error::bad_encoding)
    bool global = false;           // message/global-delivery-status (RFC 6533: UTF-8 allowed)
    bool enclosed = false;         // inside a message/rfc822 part (a forwarded bounce)
};

// The message/delivery-status (or message/global-delivery-status) part of a
// message, decoded into [first, last) if it has a transfer encoding. A part
// outside any message/rfc822 part wins over one inside (a forwarded bounce).
ESC_DECL delivery_status_part find_delivery_status(std::string_view message, char* first, char* last) noexcept;

// --- per-recipient results --------------------------------------------------------

// The result for one recipient group of a DSN.
ESC_DECL bounce_recipient bounce_result(const dsn_recipient_fields& f) noexcept;

// A bounce in prose is read for at most this many recipients.
inline constexpr std::size_t max_text_recipients = 64;

// The recipient a VERP return path names (variable envelope return path:
// the list writes each recipient into the address bounces come back to):
// "bounces+bob=example.com@lists.example" -> "bob@example.com", written
// into [first, last). The mailbox is what follows the first '+' (or, with
// none, the first '-') of the local part, its last '=' standing for '@'.
// Empty when the address is not of that form or the buffer is too small.
constexpr std::string_view decode_verp(std::string_view address, char* first, char* last) noexcept {
    address = detail::trim_space(address);
    if (address.size() >= 2 && address.front() == '<' && address.back() == '>')
        address = address.substr(1, address.size() - 2);
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return {};
    const std::string_view local = address.substr(0, at);
    std::size_t sep = local.find('+');
    if (sep == std::string_view::npos) sep = local.find('-');
    if (sep == std::string_view::npos) return {};
    const std::string_view encoded = local.substr(sep + 1);
    const std::size_t eq = encoded.rfind('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == encoded.size()) return {};
    const std::string_view domain = encoded.substr(eq + 1);
    if (domain.find('.') == std::string_view::npos) return {};
    if (static_cast<std::size_t>(last - first) < encoded.size()) return {};
    char* out = first;
    for (std::size_t i = 0; i < encoded.size(); ++i) *out++ = i == eq ? '@' : encoded[i];
    return std::string_view(first, encoded.size());
}

// Reads a bounce message: one result per recipient into `storage`, decoded
// parts into [buffer, buffer + buffer_size) (message.size() always suffices;
// a plain DSN needs none).
ESC_DECL bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient* storage, std::size_t capacity) noexcept;


// The same, with options: a converter for the charsets mime.hpp leaves as
// they are (<esc/charset_cjk.hpp>'s esc::convert_cjk for the Japanese and
// Chinese ones).
ESC_DECL bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient* storage, std::size_t capacity,
                                    const bounce_options& options) noexcept;

template <std::size_t N>
ESC_CONSTEXPR bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient (&storage)[N]) noexcept {
    return read_bounce(message, buffer, buffer_size, storage, N);
}

template <std::size_t N>
ESC_CONSTEXPR bounce_report read_bounce(std::string_view message, char* buffer, std::size_t buffer_size,
                                    bounce_recipient (&storage)[N], const bounce_options& options) noexcept {
    return read_bounce(message, buffer, buffer_size, storage, N, options);
}

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/bounce.ipp"
#endif
