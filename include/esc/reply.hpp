// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reading SMTP replies: parse_reply() for one reply as a server sent it,
// find_reply() / find_status() for a reply or an enhanced code quoted inside
// free text (DSN Diagnostic-Code fields, MTA log lines, bounce prose).
//
// What is accepted, and what is only diagnosed:
//  - parse_reply() reads bytes as a server sent them and follows RFC 5321
//    section 4.2: every line starts with the same three-digit code, "-" after
//    it on all lines but the last. Lines may end in CRLF or, leniently, in a
//    bare LF (flagged). A reply is complete only when its last line has its
//    line end: every proper prefix of a well-formed reply is
//    reply_error::incomplete (read more), never a shorter reply, because on a
//    socket the rest may still be in flight. An enhanced code (RFC 2034) is
//    read from each line where present, even if only some lines carry one
//    (flagged), or from qmail's trailing "(#5.1.1)". Lines over 512 octets
//    are flagged, not refused. A CR without LF is an error: it is the one
//    thing that makes line boundaries ambiguous.
//  - parse_reply_text() reads the same grammar from text a person typed or a
//    log quoted, where the end of the input is the end of the reply: its last
//    line may lack the line end, and a multi-line reply cut short is
//    `truncated`, not incomplete.
//  - find_*() never read a code out of an IPv4 address (192.168.1.1), a
//    version (Exim 4.96, Postfix 2.11.3, v5.1.2), a date (2024-05-01,
//    12.05.2024) or a time, and keep three-digit details (5.7.606) exactly.
//    The limits of that are in the comments of find_status().
//
// Nothing here allocates: every string_view in a result points into the input.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "detail/ascii.hpp"
#include "detail/byte_blocks.hpp"
#include "detail/config.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// RFC 5321 section 4.5.3.1.5: a reply line is at most 512 octets, CRLF included.
inline constexpr std::size_t max_reply_line = 512;

enum class reply_error : std::uint8_t {
    none,
    no_code,     // empty input, or a line that does not start with three digits
    bad_code,    // three digits outside 200..599 (199, 600), or a code not followed by SP, "-" or the line end
    mixed_codes, // a line carries a different code from the first line (250- then 550 )
    truncated,   // the input ends inside a multi-line reply (after a "250-" line)
    bare_cr,     // a CR not followed by LF
    incomplete,  // parse_reply() only: a proper prefix of a reply so far; more bytes are needed
};

constexpr std::string_view to_string(reply_error e) noexcept {
    switch (e) {
    case reply_error::none: return "none";
    case reply_error::no_code: return "no_code";
    case reply_error::bad_code: return "bad_code";
    case reply_error::mixed_codes: return "mixed_codes";
    case reply_error::truncated: return "truncated";
    case reply_error::bare_cr: return "bare_cr";
    case reply_error::incomplete: return "incomplete";
    }
    return "none";
}

// Departures from the RFCs that did not stop parsing.
struct reply_warnings {
    bool code_outside_grammar = false; // 2yz..5yz but not RFC 5321's grammar, such as 571
    bool line_too_long = false;        // a line exceeds 512 octets (max_reply_line)
    bool bare_lf = false;              // a line ends in LF without CR
    bool class_mismatch = false;       // the enhanced code's class differs from the reply's (550 4.1.1)
    bool status_differs = false;       // lines carry different enhanced codes; `status` is the first
    bool status_on_some_lines = false; // some lines carry an enhanced code and some do not (RFC 2034: all should)
    bool nul_in_text = false;          // a NUL octet inside a line: text for C strings ends there, logs may hide the rest

    constexpr bool any() const noexcept {
        return code_outside_grammar || line_too_long || bare_lf || class_mismatch || status_differs ||
               status_on_some_lines || nul_in_text;
    }
};

struct reply {
    reply_code code{};
    std::optional<status_code> status; // as sent, even when its class disagrees (see warnings)
    // The text after the codes: for a one-line reply exactly that; for a
    // multi-line reply it runs from the first line's text to the end of the
    // last line's, so the codes of the inner lines are still inside. Use
    // lines() to visit each line's text alone.
    std::string_view text;
    std::string_view raw; // every line of the reply, line ends included
    std::uint32_t line_count = 0;
    reply_warnings warnings;
};

struct parsed_reply {
    esc::reply reply;                   // what was read before any error
    reply_error error = reply_error::none;
    std::size_t offset = 0;             // success: just past the reply (where a next one would start); error: where it stopped

    constexpr explicit operator bool() const noexcept { return error == reply_error::none; }
};

namespace detail {

enum class line_end : std::uint8_t { crlf, lf, none, bare_cr };

struct line_view {
    std::string_view content; // without the line end
    std::size_t next;         // offset just past the line end
    line_end end;
    bool nul = false; // the content holds a NUL
};

// Where a line's content ends: the first CR or LF at or after pos (or the
// end), and whether a NUL comes before it.
struct line_stop {
    std::size_t at;
    bool nul;
};

// One pass for the three bytes (three string_view::find calls read a line
// up to three times). At run time on x86-64 sixteen bytes are tested at a
// time (detail/byte_blocks.hpp); the last bytes of a longer input in one
// more load that ends at the end, its bytes already tested masked off.
constexpr line_stop find_line_stop(std::string_view in, std::size_t pos) noexcept {
    std::size_t i = pos;
    bool nul = false;
#if ESC_DETAIL_SSE2_BLOCKS
    if (!__builtin_is_constant_evaluated() && in.size() >= 16) {
        using detail::block_marks;
        detail::byte_block nuls = {}; // NULs of the blocks passed, gathered: one test at the end
        // The line's end in a block at `at`: `stops` marks its CRs and LFs, `zeros` its NULs.
        auto stop_in = [&](std::size_t at, unsigned stops, unsigned zeros) -> line_stop {
            const std::size_t first = detail::lowest_mark(stops);
            return {at + first, block_marks(nuls) != 0 || (zeros & ((1u << first) - 1u)) != 0};
        };
        for (; i + 16 <= in.size(); i += 16) {
            const detail::byte_block x = detail::load_block(in.data() + i);
            if (const unsigned stops = block_marks((x == '\n') | (x == '\r')); stops != 0)
                return stop_in(i, stops, block_marks(x == 0));
            nuls |= x == 0;
        }
        if (i == in.size()) return {i, block_marks(nuls) != 0};
        // The last bytes: one more load that ends at the end, the `seen` bytes already tested masked off.
        const std::size_t at = in.size() - 16, seen = i - at;
        const detail::byte_block x = detail::load_block(in.data() + at);
        const unsigned stops = block_marks((x == '\n') | (x == '\r')) >> seen << seen,
                       zeros = block_marks(x == 0) >> seen << seen;
        if (stops != 0) return stop_in(at, stops, zeros);
        return {in.size(), block_marks(nuls) != 0 || zeros != 0};
    }
#endif
    for (; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\n' || c == '\r') break;
        nul = nul || c == '\0';
    }
    return {i, nul};
}

constexpr line_view next_line(std::string_view in, std::size_t pos) noexcept {
    const line_stop s = find_line_stop(in, pos);
    const std::string_view content = in.substr(pos, s.at - pos);
    if (s.at == in.size()) return {content, s.at, line_end::none, s.nul};
    if (in[s.at] == '\n') return {content, s.at + 1, line_end::lf, s.nul};
    if (s.at + 1 < in.size() && in[s.at + 1] == '\n') return {content, s.at + 2, line_end::crlf, s.nul};
    return {content, s.at, line_end::bare_cr, s.nul};
}

struct reply_line {
    reply_error error = reply_error::none;
    std::size_t error_at = 0; // offset within the line
    reply_code code{};
    bool last = true; // no "-" after the code
    std::optional<status_code> status;
    std::string_view text;
};

// A line split into its code, its separator, its enhanced code and its text.
ESC_DECL reply_line split_reply_line(std::string_view line) noexcept;

// A line whose end has not arrived: the error any completion of it would
// get, checked in the order split_reply_line() checks, so that an error
// reported early is the one the whole line would have had; none when every
// completion may still be well formed.
ESC_DECL reply_line check_unfinished_line(std::string_view line) noexcept;

} // namespace detail

// One reply from a byte stream (a socket): single or multi-line. Reads up to
// the end of the first complete reply; `offset` says where it ended, so a
// buffer can be walked reply by reply. A prefix of a reply is `incomplete`
// (offset = in.size()): read more and call again with the longer buffer, or
// use reply_reader (reply_reader.hpp), which does that without reparsing.
// Never throws, never reads outside `in`.
ESC_DECL parsed_reply parse_reply(std::string_view in) noexcept;

// One reply from text a person typed or a log quoted: the end of `in` ends
// the reply, so the last line needs no line end, and a multi-line reply cut
// short is `truncated`. Otherwise exactly parse_reply().
ESC_DECL parsed_reply parse_reply_text(std::string_view in) noexcept;

// The text of each line of a parsed reply, codes stripped, in order; for
// range-for. (It carries no iterator_category, which would cost <iterator>.)
class reply_lines {
public:
    class iterator {
    public:
        using value_type = std::string_view;
        using difference_type = std::ptrdiff_t;

        constexpr iterator() noexcept = default;
        ESC_CONSTEXPR iterator(std::string_view raw, std::size_t pos) noexcept : raw_(raw), pos_(pos) { load(); }
        constexpr std::string_view operator*() const noexcept { return text_; }
        ESC_CONSTEXPR iterator& operator++() noexcept {
            pos_ = next_;
            load();
            return *this;
        }
        ESC_CONSTEXPR iterator operator++(int) noexcept {
            iterator old = *this;
            ++*this;
            return old;
        }
        friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept { return a.pos_ == b.pos_; }
        friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept { return a.pos_ != b.pos_; }

    private:
        ESC_CONSTEXPR void load() noexcept {
            if (pos_ >= raw_.size()) {
                pos_ = next_ = raw_.size();
                return;
            }
            const detail::line_view line = detail::next_line(raw_, pos_);
            text_ = detail::split_reply_line(line.content).text;
            next_ = line.next > pos_ ? line.next : raw_.size();
        }
        std::string_view raw_;
        std::size_t pos_ = 0, next_ = 0;
        std::string_view text_;
    };

    constexpr explicit reply_lines(std::string_view raw) noexcept : raw_(raw) {}
    ESC_CONSTEXPR iterator begin() const noexcept { return iterator(raw_, 0); }
    ESC_CONSTEXPR iterator end() const noexcept { return iterator(raw_, raw_.size()); }

private:
    std::string_view raw_;
};

constexpr reply_lines lines(const reply& r) noexcept { return reply_lines(r.raw); }

// Writes the lines' texts joined by single spaces into [first, last) and
// returns the written part (cut short if the buffer is; r.text.size() bytes
// always suffice).
ESC_CONSTEXPR std::string_view join_text(const reply& r, char* first, char* last) noexcept {
    char* out = first;
    bool separate = false;
    for (std::string_view t : lines(r)) {
        if (separate && out != last) *out++ = ' ';
        separate = true;
        for (char c : t) {
            if (out == last) break;
            *out++ = c;
        }
    }
    return std::string_view(first, static_cast<std::size_t>(out - first));
}

struct status_match {
    status_code status;
    std::string_view text; // the code's characters inside the searched text
};

// The reply quoted in free text, if any: a basic code and, where present, the
// enhanced code after it. Preference, each time the first in the text:
//  1. a code followed by an enhanced code, of the same class ("550 5.1.1") or
//     not ("554 4.4.7": kept, and flagged in the reply's warnings);
//  2. a code with no enhanced code at the start of the text or right after
//     ";", ":", a quote or a bracket ("smtp; 550 User unknown").
// A bare number inside prose ("greylisted for 300 seconds") is not a reply.
// The reply's views point into `text`; it runs to the end of its line, or to
// where another reply with a different code starts.
ESC_DECL std::optional<reply> find_reply(std::string_view text) noexcept;

// The enhanced code quoted in free text, if any. One that follows a reply code
// of the same class ("550 5.1.1") wins; otherwise the first one, such as
// qmail's "(#5.1.1)" or a DSN's "Status: 5.1.1". Limits: outside a reply, a
// subject must be 0..7, so "Postfix 2.11.3" and "5.12.24" are not codes; a
// day.month.year date with a 2, 4 or 5 day, a month up to 7 and a two-digit
// year ("4.3.21") still reads as a code, as does a bare three-part version
// not preceded by "version", "v", "release" or the like.
ESC_DECL std::optional<status_match> find_status(std::string_view text) noexcept;

ESC_END_NAMESPACE

#if ESC_HEADER_ONLY
#include "impl/reply.ipp"
#endif
