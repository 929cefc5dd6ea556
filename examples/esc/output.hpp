// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What every subcommand shares for output: colour decisions, styles, aligned
// tables, text made safe for a terminal, JSON Lines, the progress meter.

#include <fmt/color.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <esc/classify.hpp>
#include <esc/reason.hpp>

#include "conventions.hpp"

namespace esc_cli {

// How the output looks; decided once, after the command line is parsed.
struct console {
    bool color_out = false; // ANSI colours on stdout
    bool color_err = false; // ... and on stderr
    bool stdout_tty = false;
    bool stderr_tty = false;
    bool stdin_tty = false;
    bool utf8 = false;      // the locale says UTF-8: block characters for bars, an ellipsis
    int width = 0;          // columns of the terminal on stdout (COLUMNS, else its size; 40 at least); 0 when not a terminal
    int err_width = 0;      // the same for stderr, for the progress line

    // --color=auto|always|never; auto honours NO_COLOR (https://no-color.org) and TERM=dumb.
    static console detect(std::string_view color_mode);
};

// Styles, empty when colour is off.
struct palette {
    bool on = false;
    fmt::text_style heading() const;
    fmt::text_style code() const;
    fmt::text_style label() const;
    fmt::text_style warning() const;
    fmt::text_style error() const;
    fmt::text_style good() const;
    fmt::text_style outcome(esc::outcome o) const;
};

std::string paint(std::string_view text, fmt::text_style style);

// Text from the input is made safe to print by printable() (conventions.hpp):
// control characters become '?', tabs a space, and invalid UTF-8 U+FFFD, so a
// hostile log cannot drive the terminal.
bool is_valid_utf8(std::string_view text) noexcept;
// Code points, which is what a terminal shows for the text printable() makes (wide CJK aside).
std::size_t display_width(std::string_view text) noexcept;
// Cut to `width` columns, ending in "…" (or "...") when cut.
std::string truncate_to_width(std::string_view text, std::size_t width, bool utf8);
// Words wrapped to `width` columns (a word longer than that is cut across
// lines); lines after the first are indented by `indent` spaces. Width 0: no wrapping.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent);
// Every line `indent` spaces in, within `width` columns in all (a paragraph under a heading).
std::string indented(std::string_view text, std::size_t width, std::size_t indent);

std::string with_commas(std::uint64_t n);
std::string percent(std::uint64_t part, std::uint64_t whole);
std::string human_bytes(std::uint64_t n);

// An aligned table. Cells carry their own style; widths are computed on the
// text alone so colour never breaks the alignment. The last column is not padded.
class table {
public:
    enum class align : std::uint8_t { left, right };
    struct column {
        std::string header;
        align alignment = align::left;
        bool flexible = false; // may be narrowed to fit a width, its cells wrapped at word boundaries
    };
    struct cell {
        std::string text;
        fmt::text_style style{};
        cell() = default;
        cell(std::string t, fmt::text_style s = {}) : text(std::move(t)), style(s) {} // NOLINT: implicit on purpose
        cell(const char* t, fmt::text_style s = {}) : text(t), style(s) {}            // NOLINT
    };

    explicit table(std::vector<column> columns) : columns_(std::move(columns)) {}
    void add(std::vector<cell> row) { rows_.push_back(std::move(row)); }
    // A line of text under the previous row, from column `from` on, taking no part in the widths.
    void add_span(std::size_t from, cell text) { spans_.push_back({rows_.size(), from, std::move(text)}); }
    bool empty() const noexcept { return rows_.empty(); }
    // Rows, each starting with `indent`; the header row styled with `header_style`.
    // Within `max_width` columns when it is not 0: the flexible columns are
    // narrowed (to 10 at least) and their cells wrapped; what still does not fit is cut.
    std::string render(std::string_view indent, fmt::text_style header_style, bool with_header = true,
                       std::size_t max_width = 0) const;

private:
    struct span {
        std::size_t after; // rows before it
        std::size_t from;
        cell text;
    };
    std::vector<column> columns_;
    std::vector<std::vector<cell>> rows_;
    std::vector<span> spans_;
};

// A bar of `width` cells for part/whole: "███▌" with UTF-8, "####" without.
std::string bar(std::uint64_t part, std::uint64_t whole, std::size_t width, bool utf8);

// One JSON Lines record: compact, UTF-8, invalid UTF-8 replaced by U+FFFD (never thrown on).
std::string json_line(const nlohmann::ordered_json& value);
// The same bytes as json_line() gives for a string, appended without building a
// JSON value (scan's records, one per delivery line). as_printable: the text
// as printable() makes it first (control characters '?', a tab a space).
void append_json_string(std::string& out, std::string_view text, bool as_printable);
// A string, or null when it is empty (text_or_null()).
void append_json_text_or_null(std::string& out, std::string_view text);

// Buffered writes to standard output, flushed in large pieces, or after every
// record when set_per_record(true) (a pipeline reading the records as they come).
// A failed write ends the program: EPIPE (the reader went away) quietly with
// status 0, anything else as "esc: FILE: strerror" with status 1.
class writer {
public:
    explicit writer(std::FILE* file) : file_(file) { buffer_.reserve(1 << 16); }
    ~writer() { flush(); }
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;
    void write(std::string_view s) {
        buffer_.append(s.data(), s.size());
        if (buffer_.size() >= (1 << 16)) flush();
    }
    template <class... Args>
    void print(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(buffer_), f, std::forward<Args>(args)...);
        if (buffer_.size() >= (1 << 16)) flush();
    }
    // The end of one record: written out now when records stream.
    void end_record() {
        if (per_record_) flush();
    }
    void set_per_record(bool on) noexcept { per_record_ = on; }
    // What is buffered, written out (before the program waits for input).
    void flush_pending() {
        if (!buffer_.empty()) flush();
    }
    void flush();

private:
    std::FILE* file_;
    std::string buffer_;
    bool per_record_ = false;
};

// Whether records should be written one by one: when the output is a
// terminal. Into a pipe or a file they go out in large writes, and before each
// read of an input that may block (read_lines' sink.waiting()), so that a
// pipeline sees the records of the lines that have come, at little cost.
bool stream_records(const console& c);

// A write to standard output failed with `err`: see writer. Never returns.
[[noreturn]] void output_failed(int err);
// After the last output: flushes stdout and std::cout and reports a failure as
// output_failed() does; returns `status` when all went out.
int finish_output(int status);
// SIGPIPE ignored (EPIPE is handled where it happens); SIGINT and SIGTERM erase
// the progress line before the default action.
void install_signal_handlers();

// "[#####.....]  45%  1.2 GiB of 2.7 GiB  310 MB/s" on stderr, redrawn at most
// ten times a second and only once a run has lasted half a second.
class progress_meter {
public:
    progress_meter(bool enabled, bool utf8);
    ~progress_meter() { finish(); }
    progress_meter(const progress_meter&) = delete;
    progress_meter& operator=(const progress_meter&) = delete;
    void start(std::string label);
    void update(std::uint64_t done, std::uint64_t total);
    void finish();
    void set_width(int columns) noexcept { width_ = columns > 0 ? static_cast<std::size_t>(columns) : 80; }
    // The line drawn for these figures at the set width (no "\r", no escape): for tests and update().
    std::string line(std::uint64_t done, std::uint64_t total, double seconds) const;

private:
    using clock = std::chrono::steady_clock;
    bool enabled_;
    bool utf8_;
    std::size_t width_ = 80;
    std::string label_;
    clock::time_point started_{};
    clock::time_point last_{};
};

// "1 line", "2,048 lines".
std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural);

// "esc: warning: ..." / "esc: ..." on stderr.
void warn(const console& c, std::string_view message);
// A warning about one input line: the first `limit` are shown, then one note
// that the rest are only counted (in the summary).
void warn_line(const console& c, std::uint64_t& shown, std::string_view message, std::uint64_t limit = 10);
void error(const console& c, std::string_view message);

} // namespace esc_cli
