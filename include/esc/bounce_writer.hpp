// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Writing a whole bounce, as an MTA that must return a message sends it: an
// RFC 3464 multipart/report (RFC 6522) with the human-readable explanation,
// the delivery-status part (<esc/dsn.hpp>'s writer) and the returned
// message's header (text/rfc822-headers). What it writes reads back through
// read_bounce() (<esc/bounce.hpp>) to the same recipients.
//
//  - write_bounce(first, last, envelope, message, recipients, count[, body]):
//    into a caller's buffer; `size` is the space needed, so a first call with
//    an empty buffer sizes it. <esc/dsn_string.hpp>-style owning use: size,
//    allocate, write.
//
// Lines end in CRLF; a line ending of the caller's text (LF, CR or CRLF) is
// written as CRLF. The explanation and the returned header must be ASCII in
// a message/delivery-status report; a global one (RFC 6533) declares
// charset=utf-8 and message/global-delivery-status and takes UTF-8. Header
// values may not hold line breaks or control characters (bad_value), a line
// may not pass 998 octets (word_too_long), and the boundary (1 to 70
// characters of RFC 2046's bchars) may not occur in any part (bad_value).
// Nothing here allocates or throws.

#include <cstddef>
#include <string_view>

#include "detail/config.hpp"
#include "detail/mail.hpp"
#include "dsn.hpp"

ESC_BEGIN_NAMESPACE

// The bounce's own header and its texts. Views; the caller keeps them alive.
struct bounce_envelope {
    std::string_view from = "MAILER-DAEMON";  // the From: mailbox (the display name is "Mail Delivery System")
    std::string_view to;                      // who gets the bounce: the original envelope sender
    std::string_view date;                    // RFC 5322 date-time, written as given; omitted when empty
    std::string_view message_id;              // "<...>", written as given; omitted when empty
    std::string_view subject = "Undelivered Mail Returned to Sender";
    std::string_view boundary = "=_esc-bounce-boundary_=";
    std::string_view explanation;             // the human-readable part: what happened, in prose
    std::string_view returned_header;         // the original message's header block; its part omitted when empty
};

// Writes the bounce into [first, last): the explanation, the delivery-status
// part (write_delivery_status()), the returned header. `size` is the space
// needed, also when the buffer was too small.
ESC_DECL dsn_write_result write_bounce(char* first, char* last, const bounce_envelope& envelope,
                                        const dsn_message_fields& message, const dsn_recipient_fields* recipients,
                                        std::size_t count, dsn_body_type body = dsn_body_type::delivery_status) noexcept;

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/bounce_writer.ipp"
#endif
