// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Writing replies, for servers: the wire text of one reply.
//
//  - Every line carries the reply code and, when one is given, the enhanced
//    code (RFC 2034 section 4: on every line of a multi-line reply);
//    "550-" on all lines but the last, "550 " on the last.
//  - Lines end in CRLF and are at most max_line octets, CRLF included
//    (RFC 5321 section 4.5.3.1.5: 512). Text is wrapped at a space, which the
//    line break replaces; a run of characters longer than a line (a long
//    word, or CJK text without spaces) is cut between two UTF-8 characters,
//    never inside one (RFC 6531 section 3.7.4.2), so every line is valid
//    UTF-8 when the text is.
//  - CR and LF in the text start a new reply line; they never reach the wire
//    unprefixed, so a caller's text cannot inject a reply of its own. Other
//    control characters (except tab) become '?'. Bytes >= 0x80 are written as
//    they are: UTF-8 is for the caller to use only after SMTPUTF8.
// Read back with parse_reply(), the lines' texts joined by single spaces give
// the text again, except where the text had CR/LF (now a join), control
// characters (now '?') or was cut inside a word (now split by a space).
//
// This header is separate from reply.hpp because the std::string overloads
// need <string>, which the parse-and-classify path does without.

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "detail/config.hpp"
#include "reply.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// std::to_chars style: writes the reply into [first, last). errc::invalid_argument
// (ptr == first) for an invalid reply code, an enhanced code whose class differs
// from the reply's (RFC 2034 requires them to agree) or a max_line too small
// for the codes; errc::value_too_large (ptr == last) when the buffer is short.
// formatted_reply_size() gives the exact size needed.
ESC_DECL std::to_chars_result format_reply(char* first, char* last, reply_code code,
                                            std::optional<status_code> status, std::string_view text,
                                            std::size_t max_line = max_reply_line) noexcept;

// The size format_reply() needs, or 0 when it would fail with invalid_argument.
ESC_DECL std::size_t formatted_reply_size(reply_code code, std::optional<status_code> status, std::string_view text,
                                           std::size_t max_line = max_reply_line) noexcept;

// The reply as a string; empty when the arguments are invalid (see above).
inline std::string format_reply(reply_code code, std::optional<status_code> status, std::string_view text,
                                std::size_t max_line = max_reply_line) {
    std::string out(formatted_reply_size(code, status, text, max_line), '\0');
    if (!out.empty()) format_reply(out.data(), out.data() + out.size(), code, status, text, max_line);
    return out;
}

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/format_reply.ipp"
#endif
