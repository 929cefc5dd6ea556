// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "output.hpp"

namespace esc_cli {

struct input_stream::gzip_state {
    z_stream z{};
    std::vector<unsigned char> in = std::vector<unsigned char>(std::size_t{1} << 18);
    bool member_done = false;
    bool initialised = false;

    ~gzip_state() {
        if (initialised) inflateEnd(&z);
    }
};

input_stream::input_stream(std::string path) : name_(std::move(path)) {
    if (name_ == "-") {
        fd_ = STDIN_FILENO;
        name_ = "<stdin>";
    } else {
        fd_ = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
            error_ = std::strerror(errno);
            return;
        }
        own_fd_ = true;
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            error_ = "is a directory";
            return;
        }
        if (S_ISREG(st.st_mode)) raw_size_ = static_cast<std::uint64_t>(st.st_size);
    }
#if defined(POSIX_FADV_SEQUENTIAL)
    if (own_fd_) (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

input_stream::~input_stream() {
    if (own_fd_ && fd_ >= 0) ::close(fd_);
}

bool input_stream::compressed() const noexcept { return gzip_ != nullptr; }

// Straight from the descriptor, after any bytes read ahead to sniff the format.
std::size_t input_stream::read_raw(char* out, std::size_t size) {
    if (pending_pos_ < pending_.size()) {
        const std::size_t n = std::min(size, pending_.size() - pending_pos_);
        std::memcpy(out, pending_.data() + pending_pos_, n);
        pending_pos_ += n;
        return n;
    }
    if (eof_ || fd_ < 0) return 0;
    for (;;) {
        const ssize_t n = ::read(fd_, out, size);
        if (n > 0) {
            raw_position_ += static_cast<std::uint64_t>(n);
            return static_cast<std::size_t>(n);
        }
        if (n == 0) {
            eof_ = true;
            return 0;
        }
        if (errno == EINTR) continue;
        error_ = std::strerror(errno);
        eof_ = true;
        return 0;
    }
}

std::size_t input_stream::read(char* out, std::size_t size) {
    if (!error_.empty() || size == 0) return 0;
    if (!started_) {
        started_ = true;
        // Sniff: a gzip member starts with 1f 8b.
        char magic[2];
        std::size_t have = 0;
        while (have < 2) {
            const std::size_t n = read_raw(magic + have, 2 - have);
            if (n == 0) break;
            have += n;
        }
        pending_.assign(magic, magic + have);
        if (have == 2 && static_cast<unsigned char>(pending_[0]) == 0x1f &&
            static_cast<unsigned char>(pending_[1]) == 0x8b) {
            gzip_ = std::make_unique<gzip_state>();
            if (inflateInit2(&gzip_->z, 16 + MAX_WBITS) != Z_OK) {
                error_ = "cannot initialise zlib";
                return 0;
            }
            gzip_->initialised = true;
        }
    }
    return gzip_ ? read_gzip(out, size) : read_raw(out, size);
}

std::size_t input_stream::read_gzip(char* out, std::size_t size) {
    gzip_state& g = *gzip_;
    z_stream& z = g.z;
    z.next_out = reinterpret_cast<Bytef*>(out);
    z.avail_out = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    while (z.avail_out != 0) {
        if (z.avail_in == 0) {
            const std::size_t n = read_raw(reinterpret_cast<char*>(g.in.data()), g.in.size());
            if (!error_.empty()) return 0;
            if (n == 0) {
                if (!g.member_done) error_ = "truncated gzip data";
                break;
            }
            z.next_in = g.in.data();
            z.avail_in = static_cast<uInt>(n);
        }
        if (g.member_done) {
            // Concatenated members (as `cat a.gz b.gz` makes) continue the
            // stream; anything else after a member is padding, ignored as gzip(1) does.
            if (z.avail_in >= 1 && z.next_in[0] != 0x1f) {
                z.avail_in = 0;
                eof_ = true;
                break;
            }
            if (inflateReset(&z) != Z_OK) {
                error_ = "cannot reset zlib";
                return 0;
            }
            g.member_done = false;
        }
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            g.member_done = true;
        } else if (rc == Z_BUF_ERROR) {
            continue; // needs more input
        } else if (rc != Z_OK) {
            error_ = std::string("corrupt gzip data") + (z.msg != nullptr ? std::string(": ") + z.msg : "");
            break;
        }
    }
    return size - z.avail_out;
}

void report_progress(progress_meter* meter, const input_stream& in, std::uint64_t bytes) {
    if (meter != nullptr) meter->update(in.raw_size() != 0 ? in.raw_position() : bytes, in.raw_size());
}

} // namespace esc_cli
