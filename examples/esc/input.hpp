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

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
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
    // As `tail -f`: at the end of a regular file, wait for it to grow instead of ending.
    void follow(bool on) noexcept { follow_ = on && regular_; }
    bool live() const noexcept { return !regular_ || follow_; }

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

// Calls sink.line(text, number) for each line (without its LF and a CR before
// it; numbers from 1) and sink.skipped(reason, number) for each skipped line.
// Before each read from an input that is not a regular file, sink.waiting():
// the moment to write out the records so far, since the read may block until
// more lines are written (`tail -f mail.log | esc scan --json`).
// Returns false when reading failed part-way (in.error() says why); the lines
// before the failure have been delivered.
template <class Sink>
bool read_lines(input_stream& in, Sink& sink, read_counts& counts, progress_meter* meter = nullptr) {
    constexpr std::size_t block = std::size_t{1} << 20;
    std::vector<char> buffer(block + max_line_length + 1);
    char* const base = buffer.data();
    std::size_t kept = 0;          // an unfinished line carried over at the front of the buffer
    bool skipping = false;         // inside an over-long line, dropping bytes up to its end
    std::uint64_t number = 0;
    const bool live = in.live();
    for (;;) {
        if (live) sink.waiting();
        const std::size_t got = in.read(base + kept, buffer.size() - kept);
        counts.bytes += got;
        report_progress(meter, in, counts.bytes);
        const bool end = got == 0;
        const std::size_t filled = kept + got;
        const char* p = base;
        const char* const last = base + filled;
        const bool has_nul = std::memchr(base, '\0', filled) != nullptr;
        if (number == 0 && kept == 0 && filled >= 3 && std::memcmp(base, "\xEF\xBB\xBF", 3) == 0) p += 3;
        if (skipping) {
            const void* nl = std::memchr(p, '\n', filled);
            if (nl == nullptr && !end) {
                kept = 0;
                continue;
            }
            p = nl == nullptr ? last : static_cast<const char*>(nl) + 1;
            skipping = false;
        }
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
        counts.lines = number;
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
    counts.lines = number;
    return in.ok();
}

} // namespace esc_cli
