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
    ESC_INLINE std::size_t feed(std::string_view bytes) noexcept;

    // For reading straight into the buffer: recv() into write_area(), at
    // most write_capacity() bytes, then commit() what arrived.
    ESC_INLINE char* write_area() noexcept;
    std::size_t write_capacity() const noexcept { return cap_ - end_ + begin_; }
    // No compaction here: the bytes were written where write_area() said.
    void commit(std::size_t n) noexcept { end_ += n < cap_ - end_ ? n : cap_ - end_; }

    // The next complete reply, or why there is none.
    ESC_INLINE read_result next() noexcept;

    // Bytes received and not yet taken by next(): complete replies it has not
    // returned yet, then a reply begun but not finished (for a log when the
    // peer closes, or to see that a server sent what nobody asked for).
    std::string_view pending() const noexcept { return std::string_view(buf_ + begin_, end_ - begin_); }
    // Stream offset of the first pending byte.
    std::uint64_t position() const noexcept { return base_ + begin_; }

    ESC_INLINE void reset() noexcept;

    const reply_reader_limits& limits() const noexcept { return limits_; }
    std::size_t capacity() const noexcept { return cap_; }

private:
    // Moves the unread bytes to the front: views of replies already yielded
    // die here, which is why only the feeding calls do it.
    ESC_INLINE void compact() noexcept;

    std::size_t checked_from(std::size_t line_start) const noexcept {
        return checked_ > line_start ? checked_ : line_start;
    }
    bool has_cr(std::size_t from, std::size_t to) const noexcept {
        return from < to && std::memchr(buf_ + from, '\r', to - from) != nullptr;
    }

    // No LF after scanned_: decide now only what every completion of the line
    // would decide (the checks parse_reply() makes on an unfinished line).
    ESC_INLINE read_result unfinished_line() noexcept;

    // The first octets of the line at [from, to) (its code and the octet
    // after it) make it no reply line, or not one of this reply.
    ESC_INLINE bool starts_badly(std::size_t from, std::size_t to) const noexcept;

    // parse_reply() on the reply's bytes so far: the one reading of a reply.
    ESC_INLINE read_result complete_or_fail(std::size_t upto = std::string_view::npos) noexcept;

    ESC_INLINE read_result fail(read_status s, std::size_t at) noexcept;

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

#if ESC_HEADER_ONLY
#include "impl/reply_reader.ipp"
#endif
