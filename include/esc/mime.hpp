// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// MIME (RFC 2045, 2046) as a bounce reader needs it: entities (a header and
// a body), media types and their parameters, multipart bodies split at their
// boundaries, nested entities walked depth first (message/rfc822 counted as
// an enclosure), the two transfer encodings (base64, quoted-printable)
// decoded into a caller's buffer with the decoder's state reported, HTML
// reduced to text, RFC 2047 encoded-words decoded, and the western
// single-byte charsets (ISO-8859-1/2/15, windows-1250/1251/1252, KOI8-R)
// converted to UTF-8 (others are passed through, and said to be, or given
// to a caller's charset_converter: <esc/charset_cjk.hpp>). <esc/bounce.hpp>
// builds on it.
//
// Nothing here allocates, throws or reads outside its input; transfer
// decoding never grows a text, so a buffer of the input's size always
// suffices for it (a charset conversion may grow one, up to 3 octets each). Nesting is
// followed max_mime_depth levels deep. Still in namespace detail: the names
// may change before they are promised.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/config.hpp"
#include "detail/ascii.hpp"
#include "detail/mail.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

// --- media types ------------------------------------------------------------

struct media_type {
    std::string_view type;       // "multipart/report", as written; empty when absent
    std::string_view parameters; // after the first ';'
};

enum class transfer_encoding : std::uint8_t { identity, base64, quoted_printable };

// --- decoding -----------------------------------------------------------------

struct decoded {
    std::string_view text;  // the written part of the buffer
    bool complete = true;   // false: the buffer was too small; `text` is a prefix
    bool clean = true;      // false: characters outside the encoding were skipped
};

// RFC 2045 6.8: line breaks and blanks are ignored; other characters outside
// the alphabet are skipped (and flagged); the first '=' ends the data.
// Flagged too, as they say the text is damaged rather than sloppily wrapped:
// a quantum cut after one character (6 bits cannot make an octet) and
// anything but padding and blanks after the first '='.
ESC_DECL decoded decode_base64(std::string_view in, char* first, char* last) noexcept;

// RFC 2045 6.7: "=XX" is an octet, "=" at a line end a soft break, blanks at
// a line end are padding. A stray "=" is kept as it is (and flagged).
ESC_DECL decoded decode_quoted_printable(std::string_view in, char* first, char* last) noexcept;

// --- entities -------------------------------------------------------------

inline constexpr int max_mime_depth = 12;

struct mime_entity {
    std::string_view header;
    std::string_view body;
    media_type type;            // type.type empty: none given (text/plain)
    transfer_encoding encoding = transfer_encoding::identity;
};

// --- charsets -------------------------------------------------------------------

// The charsets converted to UTF-8 here: the single-byte ones of European mail
// (western, central European, Cyrillic), and UTF-8 and ASCII themselves.
// Others are not converted: their text is passed on as it is and the
// conversion says so. The Japanese and Chinese ones are <esc/charset_cjk.hpp>'s,
// reached through a charset_converter (below) where a caller passes one.
enum class charset : std::uint8_t { unknown, utf8, ascii, latin1, latin9, windows1252, latin2, windows1250, windows1251, koi8r };

constexpr bool is_single_byte(charset cs) noexcept {
    return cs != charset::unknown && cs != charset::utf8 && cs != charset::ascii;
}

ESC_DECL charset parse_charset(std::string_view name) noexcept;

// The code point of one octet in a single-byte charset.
ESC_DECL std::uint32_t single_byte_code_point(charset cs, unsigned char b) noexcept;

struct converted {
    std::string_view text;
    bool complete = true;  // false: the buffer was too small; `text` is a prefix
    bool converted_all = true; // false: some text was in a charset not converted here
};

// A text in `cs` as UTF-8, into [first, last). Text that needs no change
// (ASCII, or a charset passed through) is returned as it is, with no copy.
// A single-byte charset can double in size: the caller's buffer may not do.
ESC_DECL converted to_utf8(charset cs, std::string_view text, char* first, char* last) noexcept;

// A converter for the charsets not converted here, as a caller supplies
// one (<esc/charset_cjk.hpp>'s esc::convert_cjk): given the charset's name
// as the message writes it, the text in [first, last) as UTF-8, complete
// false when it did not fit; converted_all false, and nothing written, for
// a charset it does not know either.
using charset_converter = converted (*)(std::string_view charset_name, std::string_view text, char* first,
                                        char* last) noexcept;

// A header value with its RFC 2047 encoded-words ("=?utf-8?Q?Unzustellbar:_hello?=",
// "=?iso-8859-1?B?...?=") decoded into UTF-8, into [first, last); blanks
// between two encoded-words go (RFC 2047 6.2). A value with none is returned
// as it is, with no copy; so is one that does not fit. An encoded-word in a
// charset not converted here goes through `convert` when given (each
// encoded-word on its own: RFC 2047 5 has a stateful one, ISO-2022-JP, end
// in its initial state), else as its octets.
ESC_DECL std::string_view decode_encoded_words(std::string_view value, char* first, char* last,
                                                charset_converter convert = nullptr) noexcept;

} // namespace detail
ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/mime.ipp"
#endif
