// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of reply_reader's members (reply_reader.hpp). Included by
// reply_reader.hpp when esc is header-only, compiled once by <esc/src.hpp>
// otherwise (detail/config.hpp).

#include "../reply_reader.hpp"

ESC_BEGIN_NAMESPACE

ESC_INLINE std::size_t reply_reader::feed(std::string_view bytes) noexcept {
    compact();
    const std::size_t room = cap_ - end_;
    const std::size_t n = bytes.size() < room ? bytes.size() : room;
    if (n != 0) std::memcpy(buf_ + end_, bytes.data(), n);
    end_ += n;
    return n;
}

ESC_INLINE char* reply_reader::write_area() noexcept {
    compact();
    return buf_ + end_;
}

ESC_INLINE read_result reply_reader::next() noexcept {
    if (failure_.status != read_status::need_more) return failure_;
    while (true) {
        // Search for the LF only in bytes not searched before: fed a byte
        // at a time, a long line is still read in linear time.
        const std::size_t from = searched_ > scanned_ ? searched_ : scanned_;
        const void* found = from < end_ ? std::memchr(buf_ + from, '\n', end_ - from) : nullptr;
        if (found == nullptr) {
            searched_ = end_;
            return unfinished_line();
        }
        const std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(found) - buf_);
        const std::size_t line_start = scanned_;
        if (lf + 1 - line_start > limits_.max_line) {
            // What the line's first octets already say wins over its
            // length, as it does while the line is arriving.
            if (starts_badly(line_start, lf)) return complete_or_fail(lf + 1);
            return fail(read_status::line_too_long, line_start);
        }
        const std::size_t content_end = lf > line_start && buf_[lf - 1] == '\r' ? lf - 1 : lf;
        const bool inner_cr = has_cr(checked_from(line_start), content_end);
        scanned_ = checked_ = lf + 1;
        const detail::reply_line parts =
            detail::split_reply_line(std::string_view(buf_ + line_start, content_end - line_start));
        if (lines_ == 0) code_ = parts.code;
        ++lines_;
        // Only a line that ends the reply or breaks it needs parse_reply();
        // a well-formed continuation line is simply counted.
        if (parts.error != reply_error::none || parts.last || parts.code != code_ || inner_cr)
            return complete_or_fail();
        if (lines_ >= limits_.max_lines) return fail(read_status::too_many_lines, scanned_);
    }
}

ESC_INLINE void reply_reader::reset() noexcept {
    begin_ = scanned_ = checked_ = searched_ = end_ = 0;
    lines_ = 0;
    base_ = 0;
    failure_ = read_result{};
}

ESC_INLINE void reply_reader::compact() noexcept {
    if (begin_ == 0) return;
    const std::size_t n = end_ - begin_;
    if (n != 0) std::memmove(buf_, buf_ + begin_, n);
    base_ += begin_;
    scanned_ -= begin_;
    checked_ -= begin_;
    searched_ = searched_ > begin_ ? searched_ - begin_ : 0;
    end_ = n;
    begin_ = 0;
}

ESC_INLINE read_result reply_reader::unfinished_line() noexcept {
    const std::size_t size = end_ - scanned_;
    if (size >= limits_.max_line) {
        if (starts_badly(scanned_, end_)) return complete_or_fail(end_);
        return fail(read_status::line_too_long, scanned_);
    }
    // A CR with a byte after it (not an LF: there is none) is a bare CR;
    // a CR as the last byte may be half of CRLF. Scanned once, not per feed.
    const bool bare_cr = size > 0 && has_cr(checked_from(scanned_), end_ - 1);
    checked_ = end_ > scanned_ && buf_[end_ - 1] == '\r' ? end_ - 1 : end_;
    const std::string_view line(buf_ + scanned_, size);
    const detail::reply_line early = detail::check_unfinished_line(line);
    if (bare_cr || early.error != reply_error::none || (lines_ > 0 && size >= 4 && early.code != code_))
        return complete_or_fail(end_);
    if (end_ == cap_ && begin_ == 0) return fail(read_status::buffer_full, end_);
    return read_result{};
}

ESC_INLINE bool reply_reader::starts_badly(std::size_t from, std::size_t to) const noexcept {
    std::size_t n = 0;
    while (n < 4 && from + n < to && buf_[from + n] != '\r' && buf_[from + n] != '\n') ++n;
    const detail::reply_line early = detail::check_unfinished_line(std::string_view(buf_ + from, n));
    return early.error != reply_error::none || (lines_ > 0 && n >= 4 && early.code != code_);
}

ESC_INLINE read_result reply_reader::complete_or_fail(std::size_t upto) noexcept {
    const std::size_t stop = upto == std::string_view::npos ? scanned_ : upto;
    const std::string_view bytes(buf_ + begin_, stop - begin_);
    const parsed_reply p = parse_reply(bytes);
    read_result out;
    out.offset = base_ + begin_;
    if (p) {
        out.status = read_status::reply;
        out.reply = p.reply;
        begin_ += p.offset;
        scanned_ = checked_ = begin_;
        lines_ = 0;
        return out;
    }
    if (p.error == reply_error::incomplete) return out; // cannot happen; read on rather than fail
    failure_.status = read_status::malformed;
    failure_.error = p.error;
    failure_.offset = base_ + begin_ + p.offset;
    return failure_;
}

ESC_INLINE read_result reply_reader::fail(read_status s, std::size_t at) noexcept {
    failure_.status = s;
    failure_.offset = base_ + at;
    return failure_;
}

ESC_END_NAMESPACE
