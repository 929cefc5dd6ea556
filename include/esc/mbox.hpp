// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// mbox files: many messages in one text, each starting with a "From " line
// (RFC 4155), as mail programs save a folder of bounces.
//
//  - mbox_reader(text).next(message): each message in turn, as a view of
//    `text` without its "From " separator line.
//  - unquote_from(message, first, last): the message with the ">From "
//    quoting undone (mboxrd: one '>' comes off a line of '>'s and "From "),
//    into a caller's buffer; message.size() bytes always suffice.
//
// A message starts at a line beginning "From " that is the first of the text
// or follows a blank line (a line in a body that starts so was quoted by the
// writer, or sits inside a paragraph). A text that does not start with a
// "From " line is one message. Line ends may be CRLF, LF or CR. Nothing here
// allocates or reads outside the text; one pass, linear time.

#include <cstddef>
#include <string_view>

#include "detail/config.hpp"
#include "detail/mail.hpp"

ESC_BEGIN_NAMESPACE

namespace detail {

constexpr bool is_from_line(std::string_view line) noexcept { return line.substr(0, 5) == "From "; }

} // namespace detail

// Whether a text is an mbox: its first line is a "From " line.
constexpr bool is_mbox(std::string_view text) noexcept {
    return detail::is_from_line(detail::next_mail_line(text, 0).content);
}

class mbox_reader {
public:
    constexpr explicit mbox_reader(std::string_view text) noexcept : text_(text) {}

    // The next message into `message`; false at the end. The separator line
    // ("From sender date") is in `separator`.
    ESC_CONSTEXPR bool next(std::string_view& message) noexcept {
        std::string_view separator;
        return next(message, separator);
    }

    ESC_DECL bool next(std::string_view& message, std::string_view& separator) noexcept;

    // Messages read so far.
    constexpr std::size_t count() const noexcept { return count_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t count_ = 0;
    bool done_ = false;
};

// The message with mboxrd quoting undone: a line of one or more '>' then
// "From " loses one '>'. Writes into [first, last) and returns the written
// part; a message with no such line is returned as it is, with no copy. Cut
// short (and `complete` false) when the buffer is.
struct unquoted {
    std::string_view text;
    bool complete = true;
};

ESC_DECL unquoted unquote_from(std::string_view message, char* first, char* last) noexcept;

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/mbox.ipp"
#endif
