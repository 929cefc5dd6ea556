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
    constexpr bool next(std::string_view& message) noexcept {
        std::string_view separator;
        return next(message, separator);
    }

    constexpr bool next(std::string_view& message, std::string_view& separator) noexcept {
        if (pos_ >= text_.size() || done_) return false;
        separator = {};
        std::size_t begin = pos_;
        if (detail::is_from_line(detail::next_mail_line(text_, pos_).content)) {
            const detail::mail_line sep = detail::next_mail_line(text_, pos_);
            separator = sep.content;
            begin = sep.next;
        } else if (pos_ != 0) {
            done_ = true; // cannot happen: every message but the first ends at a "From " line
            return false;
        }
        // The message ends before the next "From " line that follows a blank line.
        std::size_t at = begin;
        bool after_blank = false;
        while (at < text_.size()) {
            const detail::mail_line line = detail::next_mail_line(text_, at);
            if (after_blank && detail::is_from_line(line.content)) break;
            after_blank = line.content.empty();
            at = line.next;
        }
        message = text_.substr(begin, at - begin);
        pos_ = at;
        ++count_;
        return true;
    }

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

constexpr unquoted unquote_from(std::string_view message, char* first, char* last) noexcept {
    auto quoted_at = [&](std::size_t pos) {
        std::size_t i = pos;
        while (i < message.size() && message[i] == '>') ++i;
        return i > pos && message.substr(i, 5) == "From ";
    };
    bool any = false;
    for (std::size_t pos = 0; pos < message.size() && !any;) {
        any = quoted_at(pos);
        pos = detail::next_mail_line(message, pos).next;
    }
    if (!any) return {message, true};
    char* out = first;
    for (std::size_t pos = 0; pos < message.size();) {
        const std::size_t next = detail::next_mail_line(message, pos).next;
        const std::size_t from = quoted_at(pos) ? pos + 1 : pos;
        for (std::size_t i = from; i < next; ++i) {
            if (out == last) return {std::string_view(first, static_cast<std::size_t>(out - first)), false};
            *out++ = message[i];
        }
        pos = next;
    }
    return {std::string_view(first, static_cast<std::size_t>(out - first)), true};
}

ESC_END_NAMESPACE
