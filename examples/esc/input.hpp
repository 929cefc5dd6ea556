// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reading the tool's inputs, the same for every subcommand: files, folders
// (read recursively: maildirs through cur/ and new/), standard input ('-' or
// no argument); plain, gzip, xz, bzip2 or zstd data, in large blocks, split
// into lines without allocating per line; a UTF-8 byte-order mark skipped.
//
// The compression is recognised by its magic bytes, not by the file name, so
// `zcat`-less pipes (`cat mail.log.1.gz | esc scan -`) work too. Lines longer
// than max_line_length and lines with NUL bytes (binary data) are skipped and
// reported to the sink: one bad line never stops a run.

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace esc_cli {

// No reply, DSN text or log line is anywhere near this; a longer "line" is
// binary data or a broken file, skipped with a warning.
inline constexpr std::size_t max_line_length = 64 * 1024;

class progress_meter;

class input_stream {
public:
    // "-" is standard input. Check ok() (and error()) before reading.
    explicit input_stream(std::string path);
    ~input_stream();
    input_stream(const input_stream&) = delete;
    input_stream& operator=(const input_stream&) = delete;

    bool ok() const noexcept { return error_.empty(); }
    const std::string& error() const noexcept { return error_; }
    const std::string& name() const noexcept { return name_; }
    bool compressed() const noexcept;

    // Up to `size` bytes of (decompressed) data; 0 at the end or on an error.
    std::size_t read(char* out, std::size_t size);

    std::uint64_t raw_position() const noexcept { return raw_position_; } // bytes taken from the file
    std::uint64_t raw_size() const noexcept { return raw_size_; }         // 0 unless a regular file
    int fd() const noexcept { return fd_; }
    // A regular file, read as fast as it goes; else a pipe, a terminal or a
    // socket, whose data comes as it comes.
    bool regular() const noexcept { return regular_; }
    // As `tail -F`: at the end of a regular file, wait for it to grow instead
    // of ending; when the path comes to name another file (rotated: renamed
    // and created anew), read the old one to its end and go on with the new
    // one from its start; when the file shrinks below what was read
    // (truncated, as logrotate's copytruncate does), start again from its
    // start. A path that is missing for a while (between the rename and the
    // create) is waited for. Standard input redirected from a file is followed
    // for growth and truncation only (it has no path to look at again).
    // Compressed data is never followed. `stop`, when given, ends the input
    // (followed or not) at the next read once it is set (by a signal handler).
    void follow(bool on, const volatile std::sig_atomic_t* stop = nullptr) noexcept {
        follow_ = on && regular_;
        stop_ = stop;
    }
    bool live() const noexcept { return !regular_ || follow_; }
    // read_lines calls sink.waiting() before each read even of a file read to
    // its end: for work that must go on during a long read (--metrics).
    void watch(bool on) noexcept { watched_ = on; }
    bool watched() const noexcept { return watched_; }

    // Why the last read() gave nothing, when following: nothing yet (one poll
    // interval went by: the moment for periodic work), or the file was
    // rotated or truncated (the lines go on from the start of a file).
    enum class pause : std::uint8_t { none, idle, restarted };
    pause take_pause() noexcept {
        const pause p = pause_;
        pause_ = pause::none;
        return p;
    }

    class decoder;
    // For the decoders: the undecoded bytes, and a failure to report.
    std::size_t read_raw(char* out, std::size_t size);
    void fail(std::string message);
    bool eof_ = false;

private:

    std::string name_;
    std::string error_;
    int fd_ = -1;
    bool own_fd_ = false;
    bool started_ = false;
    bool regular_ = false;
    bool follow_ = false;
    bool watched_ = false;
    const volatile std::sig_atomic_t* stop_ = nullptr;
    pause pause_ = pause::none;
    std::uint64_t offset_ = 0;          // in the file now open, for the truncation check
    std::uint64_t dev_ = 0, ino_ = 0;   // of the file now open, for the rotation check
    bool rotated_ = false;              // the path names another file: the old one is being drained
    bool at_end(); // following, at the end of the data: see follow()
    std::uint64_t raw_position_ = 0;
    std::uint64_t raw_size_ = 0;
    std::vector<char> pending_; // raw bytes read ahead to sniff the format
    std::size_t pending_pos_ = 0;
    std::unique_ptr<decoder> decoder_;
};

// The whole (decompressed) input, without a byte-order mark; false on a read error.
bool read_all(input_stream& in, std::string& out);

// The command line's inputs as files to read: "-" (also for no argument at
// all), files, and the files of folders, recursively, in name order (a
// maildir's tmp/ and index files left out). `errors` has "PATH: strerror" for
// each argument that cannot be read; the others are still listed.
struct input_list {
    std::vector<std::string> files;
    std::vector<std::string> errors;
};
input_list expand_inputs(const std::vector<std::string>& args);

enum class skip_reason : std::uint8_t { too_long, binary };

constexpr std::string_view to_string(skip_reason r) noexcept {
    return r == skip_reason::too_long ? "longer than 64 KiB" : "binary data (NUL bytes)";
}

// Per-run counts of what the reader saw.
struct read_counts {
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
    std::uint64_t too_long = 0;
    std::uint64_t binary = 0;
};

void report_progress(progress_meter* meter, const input_stream& in, std::uint64_t bytes);

template <class Sink, class = void>
struct has_idle : std::false_type {};
template <class Sink>
struct has_idle<Sink, std::void_t<decltype(std::declval<Sink&>().idle())>> : std::true_type {};

// Where the lines of a reader's buffer start, base[0, filled) after a read
// (`end`: the input has ended), for read_lines() and esc scan -j N's reader
// alike: past a UTF-8 byte-order mark at the very start (`bom_possible`
// until three bytes have come, or fewer that are not a mark's first), and
// past the rest of an over-long line being dropped (`skipping`, cleared at
// its LF). npos: all of it is that line's; drop it and read on.
inline std::size_t first_line_start(const char* base, std::size_t filled, bool end, bool& bom_possible,
                                    bool& skipping) noexcept {
    std::size_t p = 0;
    if (bom_possible) {
        constexpr const char* bom = "\xEF\xBB\xBF";
        if (filled >= 3 && std::memcmp(base, bom, 3) == 0) p = 3;
        bom_possible = filled < 3 && (filled == 0 || std::memcmp(base, bom, filled) == 0) && !end;
    }
    if (skipping) {
        const void* nl = std::memchr(base + p, '\n', filled - p);
        if (nl == nullptr && !end) return static_cast<std::size_t>(-1);
        p = nl == nullptr ? filled : static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
        skipping = false;
    }
    return p;
}

// The lines of [p, last), as read_lines() gives them: sink.line(text, number)
// or sink.skipped(reason, number) for each, numbered on from `number`. Without
// `end`, the bytes after the last LF are an unfinished line, left alone: the
// result is where it starts (`last` when there is none). read_lines() reads
// with it, and esc scan -j N's threads split the blocks they are given.
template <class Sink>
const char* split_lines(const char* p, const char* const last, bool end, std::uint64_t& number,
                        read_counts& counts, Sink& sink) {
    const bool has_nul = p != last && std::memchr(p, '\0', static_cast<std::size_t>(last - p)) != nullptr;
    while (p != last) {
        const void* found = std::memchr(p, '\n', static_cast<std::size_t>(last - p));
        if (found == nullptr && !end) break;
        const char* const line_end = found == nullptr ? last : static_cast<const char*>(found);
        std::size_t length = static_cast<std::size_t>(line_end - p);
        ++number;
        if (length > max_line_length) {
            ++counts.too_long;
            sink.skipped(skip_reason::too_long, number);
        } else if (has_nul && std::memchr(p, '\0', length) != nullptr) {
            ++counts.binary;
            sink.skipped(skip_reason::binary, number);
        } else {
            if (length != 0 && p[length - 1] == '\r') --length;
            sink.line(std::string_view(p, length), number);
        }
        p = found == nullptr ? last : line_end + 1;
    }
    return p;
}

// Calls sink.line(text, number) for each line (without its LF and a CR before
// it; numbers from 1) and sink.skipped(reason, number) for each skipped line.
// Before each read from an input that is not a regular file, sink.waiting():
// the moment to write out the records so far, since the read may block until
// more lines are written (`tail -f mail.log | esc scan --json`); also before
// each read of a file when input_stream::watch() says so.
// When following a file (input_stream::follow), sink.idle(), if the sink has
// one, after each poll that found nothing new (about every 200 ms), so that
// periodic work goes on while the log is quiet; after a rotation or a
// truncation the line numbers start again from 1 (they are the new file's).
// Returns false when reading failed part-way (in.error() says why); the lines
// before the failure have been delivered.
template <class Sink>
bool read_lines(input_stream& in, Sink& sink, read_counts& counts, progress_meter* meter = nullptr) {
    constexpr std::size_t block = std::size_t{1} << 20;
    std::vector<char> buffer(block + max_line_length + 1);
    char* const base = buffer.data();
    std::size_t kept = 0;          // an unfinished line carried over at the front of the buffer
    bool skipping = false;         // inside an over-long line, dropping bytes up to its end
    bool bom_possible = true;      // a byte-order mark may still come: nothing but a prefix of one read yet
    std::uint64_t number = 0;
    std::uint64_t before = 0;      // lines of the files followed before a rotation or truncation
    const bool live = in.live();
    const bool call_waiting = live || in.watched();
    for (;;) {
        if (call_waiting) sink.waiting();
        const std::size_t got = in.read(base + kept, buffer.size() - kept);
        counts.bytes += got;
        report_progress(meter, in, counts.bytes);
        bool restarted = false;
        if (got == 0 && live) {
            switch (in.take_pause()) {
            case input_stream::pause::idle:
                if constexpr (has_idle<Sink>::value) sink.idle();
                continue; // an unfinished line stays where it is, to be completed
            case input_stream::pause::restarted:
                restarted = true; // the old file's last line, unfinished, is a line: end it as at the end
                break;
            case input_stream::pause::none: break;
            }
        }
        const bool end = got == 0;
        const std::size_t filled = kept + got;
        const std::size_t start = first_line_start(base, filled, end, bom_possible, skipping);
        if (start == static_cast<std::size_t>(-1)) {
            kept = 0;
            continue;
        }
        const char* const last = base + filled;
        const char* p = split_lines(base + start, last, end, number, counts, sink);
        counts.lines = before + number;
        if (restarted) {
            before += number;
            number = 0;
            kept = 0;
            skipping = false;
            bom_possible = true; // the new file's own start
            continue;
        }
        if (end) break;
        kept = static_cast<std::size_t>(last - p);
        if (kept > max_line_length) {
            ++number;
            ++counts.too_long;
            sink.skipped(skip_reason::too_long, number);
            skipping = true;
            kept = 0;
        } else if (kept != 0 && p != base) {
            std::memmove(base, p, kept);
        }
    }
    counts.lines = before + number;
    return in.ok();
}

} // namespace esc_cli
