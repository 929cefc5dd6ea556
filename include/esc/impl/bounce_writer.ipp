// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of bounce_writer.hpp. Included by bounce_writer.hpp when esc is
// header-only, compiled once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../bounce_writer.hpp"
#include "dsn.ipp"

ESC_BEGIN_NAMESPACE

namespace detail {

// RFC 2046 5.1.1 bchars, with the space allowed inside but not last.
constexpr bool is_boundary(std::string_view b) noexcept {
    if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
    for (char c : b)
        if (!is_alnum(c) && std::string_view("'()+_,-./:=? ").find(c) == std::string_view::npos) return false;
    return true;
}

constexpr bool is_header_value(std::string_view v) noexcept {
    for (char c : v)
        if (is_line_break(c) || is_control(c)) return false;
    return true;
}

// Writes `text` with each line end as CRLF and a final CRLF; refuses lines
// longer than 998 octets, control characters, and non-ASCII in a 7-bit part.
constexpr dsn_write_error write_text_lines(bounded_sink& sink, std::string_view text) noexcept {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const mail_line line = next_mail_line(text, pos);
        if (line.content.size() > dsn_hard_line_limit) return dsn_write_error::word_too_long;
        for (char c : line.content)
            if (is_control(c) && c != '\t') return dsn_write_error::bad_value;
        if (!is_ascii(line.content)) {
            if (!sink.global) return dsn_write_error::not_ascii;
            if (!is_well_formed_utf8(line.content)) return dsn_write_error::bad_value;
        }
        sink.put(line.content);
        sink.put("\r\n");
        pos = line.next;
    }
    return dsn_write_error::none;
}

} // namespace detail

ESC_DECL dsn_write_result write_bounce(char* first, char* last, const bounce_envelope& envelope,
                                        const dsn_message_fields& message, const dsn_recipient_fields* recipients,
                                        std::size_t count, dsn_body_type body) noexcept {
    dsn_write_result result;
    auto fail = [&](dsn_write_error e) {
        result.error = e;
        return result;
    };
    for (std::string_view v : {envelope.from, envelope.to, envelope.date, envelope.message_id, envelope.subject})
        if (!detail::is_header_value(v)) return fail(dsn_write_error::bad_value);
    for (std::string_view v : {envelope.from, envelope.to, envelope.message_id})
        if (!detail::is_ascii(v)) return fail(dsn_write_error::not_ascii); // an address or id in a header: ASCII
    if (!detail::is_ascii(envelope.subject) || !detail::is_ascii(envelope.date))
        return fail(dsn_write_error::not_ascii); // RFC 2047 encoding is not written here
    if (!detail::is_boundary(envelope.boundary)) return fail(dsn_write_error::bad_value);
    // The boundary may not occur in a part: in the texts, or in what the DSN part writes.
    auto holds_boundary = [&](std::string_view v) { return v.find(envelope.boundary) != std::string_view::npos; };
    if (holds_boundary(envelope.explanation) || holds_boundary(envelope.returned_header))
        return fail(dsn_write_error::bad_value);
    for (std::string_view v : {message.reporting_mta.value, message.dsn_gateway.value, message.received_from_mta.value,
                               message.original_envelope_id, message.arrival_date})
        if (holds_boundary(v)) return fail(dsn_write_error::bad_value);
    for (std::size_t i = 0; i < count; ++i) {
        const dsn_recipient_fields& r = recipients[i];
        for (std::string_view v : {r.original_recipient.value, r.final_recipient.value, r.remote_mta.value,
                                   r.diagnostic_code.value, r.last_attempt_date, r.final_log_id, r.will_retry_until})
            if (holds_boundary(v)) {
                result.recipient = i;
                return fail(dsn_write_error::bad_value);
            }
    }

    const bool global = body == dsn_body_type::global;
    detail::bounded_sink sink{first, last};
    sink.global = global;
    auto field = [&](std::string_view name, std::string_view value) {
        if (value.empty()) return;
        sink.put(name);
        sink.put(": ");
        sink.put(value);
        sink.put("\r\n");
    };
    sink.put("From: Mail Delivery System <");
    sink.put(envelope.from);
    sink.put(">\r\n");
    if (!envelope.to.empty()) {
        sink.put("To: <");
        sink.put(envelope.to);
        sink.put(">\r\n");
    }
    field("Subject", envelope.subject);
    field("Date", envelope.date);
    field("Message-ID", envelope.message_id);
    field("Auto-Submitted", "auto-replied"); // RFC 3834: no automatic reply to it
    field("MIME-Version", "1.0");
    sink.put("Content-Type: multipart/report; report-type=");
    sink.put(global ? "global-delivery-status" : "delivery-status");
    sink.put(";\r\n\tboundary=\"");
    sink.put(envelope.boundary);
    sink.put("\"\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n");
    auto delimiter = [&](bool close = false) {
        sink.put("--");
        sink.put(envelope.boundary);
        sink.put(close ? "--\r\n" : "\r\n");
    };

    delimiter();
    sink.put(global ? "Content-Type: text/plain; charset=utf-8\r\n" : "Content-Type: text/plain; charset=us-ascii\r\n");
    sink.put("Content-Description: Notification\r\n\r\n");
    dsn_write_error e = detail::write_text_lines(sink, envelope.explanation);
    if (e != dsn_write_error::none) return fail(e);
    sink.put("\r\n");

    delimiter();
    sink.put(global ? "Content-Type: message/global-delivery-status\r\n" : "Content-Type: message/delivery-status\r\n");
    sink.put("Content-Description: Delivery report\r\n\r\n");
    // The DSN body goes where the sink stands; what does not fit is counted.
    const std::size_t room = sink.out == nullptr ? 0 : static_cast<std::size_t>(sink.last - sink.out);
    const dsn_write_result dsn =
        write_delivery_status(sink.out, sink.out == nullptr ? nullptr : sink.last, message, recipients, count, body);
    if (dsn.error != dsn_write_error::none && dsn.error != dsn_write_error::buffer_too_small) {
        result.error = dsn.error;
        result.recipient = dsn.recipient;
        return result;
    }
    const std::size_t written = dsn.size < room ? dsn.size : room;
    sink.out += written;
    sink.size += dsn.size;

    if (!envelope.returned_header.empty()) {
        delimiter();
        sink.put(global ? "Content-Type: message/global-headers\r\n" : "Content-Type: text/rfc822-headers\r\n");
        sink.put("Content-Description: Undelivered Message Headers\r\n\r\n");
        std::string_view header = envelope.returned_header;
        // The header block only: a blank line would end the part's own header view.
        for (std::size_t pos = 0; pos < header.size();) {
            const detail::mail_line line = detail::next_mail_line(header, pos);
            if (detail::is_blank_line(line.content)) {
                header = header.substr(0, pos);
                break;
            }
            pos = line.next;
        }
        e = detail::write_text_lines(sink, header);
        if (e != dsn_write_error::none) return fail(e);
    }
    delimiter(true);
    result.size = sink.size;
    if (sink.size > static_cast<std::size_t>(last - first)) result.error = dsn_write_error::buffer_too_small;
    return result;
}

ESC_END_NAMESPACE
