// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of mbox.hpp. Included by mbox.hpp when esc is header-only,
// compiled once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../mbox.hpp"

ESC_BEGIN_NAMESPACE

ESC_DECL bool mbox_reader::next(std::string_view& message, std::string_view& separator) noexcept {
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

ESC_DECL unquoted unquote_from(std::string_view message, char* first, char* last) noexcept {
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
