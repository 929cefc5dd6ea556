// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// reply_reader: SMTP replies out of a byte stream (a socket), fed in any
// chunking, yielded one complete reply at a time and in order, pipelined
// replies included.
//
//     esc::fixed_reply_reader<8192> reader;          // no allocation, ever
//     ...
//     ssize_t n = recv(fd, reader.write_area(), reader.write_capacity(), 0);
//     if (n > 0) reader.commit(static_cast<std::size_t>(n));
//     while (const esc::read_result r = reader.next()) use(r.reply);
//     // r.status says need_more (recv again) or what was wrong, r.offset where
//
// Why a reader and not parse_reply() on what has arrived: a prefix of a reply
// is `incomplete` for parse_reply(), so calling it again on a growing buffer
// would reparse every line on every segment (quadratic for a long EHLO
// reply read a few bytes at a time). The reader looks at each line once, when
// its LF arrives, and calls parse_reply() once per reply, on exactly the
// reply's bytes; what it yields is therefore what parse_reply() gives for the
// same bytes in one buffer, however they were chunked (fuzz/reply_reader.cpp
// checks that), and a malformed stream gets the error and offset
// parse_reply() would report, as early as that error is certain.
//
// Memory is bounded: the buffer is the caller's or a fixed array, and the
// limits cap one line (RFC 5321 section 4.5.3.1.5 says 512 octets; real
// servers send longer, so the default accepts 4096) and the lines of one
// reply. Past a limit the reader reports it; it never grows.
//
// The views of a yielded reply point into the reader's buffer: they stay
// valid until the next feed(), write_area() or commit(), which may move the
// unread bytes to the front. Several replies may be taken with next()
// between two feeds (pipelining) and all stay valid.
//
// After an error the stream cannot be resynchronised (where would the next
// reply start?), so next() keeps reporting it; reset() starts afresh.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "detail/config.hpp"
#include "reply.hpp"

ESC_BEGIN_NAMESPACE

struct reply_reader_limits {
    std::size_t max_line = 4096;    // octets in one line, its line end included
    std::uint32_t max_lines = 1000; // lines in one reply
};

enum class read_status : std::uint8_t {
    reply,          // `reply` holds the next complete reply
    need_more,      // nothing complete yet: feed more bytes
    malformed,      // the bytes are not an SMTP reply: `error` says why
    line_too_long,  // a line is longer than limits.max_line
    too_many_lines, // a reply has more lines than limits.max_lines
    buffer_full,    // the reply so far fills the whole buffer and is still not complete
};

constexpr std::string_view to_string(read_status s) noexcept {
    switch (s) {
    case read_status::reply: return "reply";
    case read_status::need_more: return "need_more";
    case read_status::malformed: return "malformed";
    case read_status::line_too_long: return "line_too_long";
    case read_status::too_many_lines: return "too_many_lines";
    case read_status::buffer_full: return "buffer_full";
    }
    return "malformed";
}

struct read_result {
    read_status status = read_status::need_more;
    esc::reply reply;                       // status == reply
    reply_error error = reply_error::none;  // status == malformed: parse_reply()'s verdict
    std::uint64_t offset = 0;               // in the stream: where the reply starts, or where the problem is

    constexpr explicit operator bool() const noexcept { return status == read_status::reply; }
    constexpr bool failed() const noexcept {
        return status != read_status::reply && status != read_status::need_more;
    }
};

// The reader over a caller's buffer, which must outlive it.
class reply_reader {
public:
    reply_reader(char* buffer, std::size_t capacity, reply_reader_limits limits = {}) noexcept
        : buf_(buffer), cap_(capacity), limits_(limits) {}
    reply_reader(const reply_reader&) = delete;
    reply_reader& operator=(const reply_reader&) = delete;

    // Copies as much of `bytes` as fits and returns how many were taken.
    // Fewer than all means the buffer is full: take replies with next(),
    // then feed the rest.
    std::size_t feed(std::string_view bytes) noexcept {
        compact();
        const std::size_t room = cap_ - end_;
        const std::size_t n = bytes.size() < room ? bytes.size() : room;
        if (n != 0) std::memcpy(buf_ + end_, bytes.data(), n);
        end_ += n;
        return n;
    }

    // For reading straight into the buffer: recv() into write_area(), at
    // most write_capacity() bytes, then commit() what arrived.
    char* write_area() noexcept {
        compact();
        return buf_ + end_;
    }
    std::size_t write_capacity() const noexcept { return cap_ - end_ + begin_; }
    // No compaction here: the bytes were written where write_area() said.
    void commit(std::size_t n) noexcept { end_ += n < cap_ - end_ ? n : cap_ - end_; }

    // The next complete reply, or why there is none.
    read_result next() noexcept {
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

    // Bytes received and not yet taken by next(): complete replies it has not
    // returned yet, then a reply begun but not finished (for a log when the
    // peer closes, or to see that a server sent what nobody asked for).
    std::string_view pending() const noexcept { return std::string_view(buf_ + begin_, end_ - begin_); }
    // Stream offset of the first pending byte.
    std::uint64_t position() const noexcept { return base_ + begin_; }

    void reset() noexcept {
        begin_ = scanned_ = checked_ = searched_ = end_ = 0;
        lines_ = 0;
        base_ = 0;
        failure_ = read_result{};
    }

    const reply_reader_limits& limits() const noexcept { return limits_; }
    std::size_t capacity() const noexcept { return cap_; }

private:
    // Moves the unread bytes to the front: views of replies already yielded
    // die here, which is why only the feeding calls do it.
    void compact() noexcept {
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

    std::size_t checked_from(std::size_t line_start) const noexcept {
        return checked_ > line_start ? checked_ : line_start;
    }
    bool has_cr(std::size_t from, std::size_t to) const noexcept {
        return from < to && std::memchr(buf_ + from, '\r', to - from) != nullptr;
    }

    // No LF after scanned_: decide now only what every completion of the line
    // would decide (the checks parse_reply() makes on an unfinished line).
    read_result unfinished_line() noexcept {
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

    // The first octets of the line at [from, to) (its code and the octet
    // after it) make it no reply line, or not one of this reply.
    bool starts_badly(std::size_t from, std::size_t to) const noexcept {
        std::size_t n = 0;
        while (n < 4 && from + n < to && buf_[from + n] != '\r' && buf_[from + n] != '\n') ++n;
        const detail::reply_line early = detail::check_unfinished_line(std::string_view(buf_ + from, n));
        return early.error != reply_error::none || (lines_ > 0 && n >= 4 && early.code != code_);
    }

    // parse_reply() on the reply's bytes so far: the one reading of a reply.
    read_result complete_or_fail(std::size_t upto = std::string_view::npos) noexcept {
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

    read_result fail(read_status s, std::size_t at) noexcept {
        failure_.status = s;
        failure_.offset = base_ + at;
        return failure_;
    }

    char* buf_;
    std::size_t cap_;
    reply_reader_limits limits_;
    std::size_t begin_ = 0;   // start of the reply being read
    std::size_t scanned_ = 0; // start of the first line not yet complete
    std::size_t checked_ = 0; // bytes before this (from scanned_ on) hold no CR that matters
    std::size_t searched_ = 0; // bytes before this (from scanned_ on) hold no LF
    std::size_t end_ = 0;     // end of the bytes fed
    std::uint32_t lines_ = 0; // complete lines of the reply being read
    reply_code code_{};       // its first line's code
    std::uint64_t base_ = 0;  // stream offset of buf_[0]
    read_result failure_;     // sticky once status != need_more
};

namespace detail {
template <std::size_t Capacity>
struct reader_storage {
    char bytes[Capacity];
};
} // namespace detail

// A reader with its buffer inside: Capacity bounds one reply (and what may be
// buffered behind it). Not copyable: the reader points into itself.
template <std::size_t Capacity = 16384>
class fixed_reply_reader : private detail::reader_storage<Capacity>, public reply_reader {
    static_assert(Capacity >= 8, "a buffer too small for the shortest reply");

public:
    explicit fixed_reply_reader(reply_reader_limits limits = {}) noexcept
        : reply_reader(detail::reader_storage<Capacity>::bytes, Capacity, limits) {}
};

ESC_END_NAMESPACE
