// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#if ESC_HAVE_LZMA
#include <lzma.h>
#endif
#if ESC_HAVE_BZIP2
#include <bzlib.h>
#endif
#if ESC_HAVE_ZSTD
#include <zstd.h>
#endif

#include "output.hpp"

namespace esc_cli {

// One decompressor: fed raw bytes through input_stream::read_raw, it fills `out`.
// It returns what it produced as soon as it has produced something and has no
// input left over, so that a compressed pipe streams as a plain one does.
class input_stream::decoder {
public:
    virtual ~decoder() = default;
    virtual std::size_t read(input_stream& in, char* out, std::size_t size) = 0;

protected:
    std::vector<unsigned char> buffer_ = std::vector<unsigned char>(std::size_t{1} << 18);
};

namespace {

// What the first bytes say the data is.
enum class format { plain, gzip, xz, bzip2, zstd };

format sniff(const std::vector<char>& b) {
    auto at = [&](std::size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0x100u; };
    if (at(0) == 0x1f && at(1) == 0x8b) return format::gzip;
    if (at(0) == 0xFD && at(1) == '7' && at(2) == 'z' && at(3) == 'X' && at(4) == 'Z' && at(5) == 0) return format::xz;
    if (at(0) == 'B' && at(1) == 'Z' && at(2) == 'h' && at(3) >= '1' && at(3) <= '9') return format::bzip2;
    if (at(0) == 0x28 && at(1) == 0xB5 && at(2) == 0x2F && at(3) == 0xFD) return format::zstd;
    return format::plain;
}

const char* tool_for(format f) {
    switch (f) {
    case format::xz: return "xz";
    case format::bzip2: return "bzip2";
    case format::zstd: return "zstd";
    default: return "gzip";
    }
}

} // namespace

class gzip_decoder final : public input_stream::decoder {
public:
    gzip_decoder() { ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK; }
    ~gzip_decoder() override {
        if (ok_) inflateEnd(&z_);
    }
    bool ok() const { return ok_; }

    std::size_t read(input_stream& in, char* out, std::size_t size) override {
        z_.next_out = reinterpret_cast<Bytef*>(out);
        z_.avail_out = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
        const uInt wanted = z_.avail_out;
        while (z_.avail_out != 0) {
            if (z_.avail_in == 0) {
                if (z_.avail_out != wanted) break; // something to hand on: do not wait for more
                const std::size_t n = in.read_raw(reinterpret_cast<char*>(buffer_.data()), buffer_.size());
                if (!in.ok()) return 0;
                if (n == 0) {
                    if (!member_done_) in.fail("truncated gzip data");
                    break;
                }
                z_.next_in = buffer_.data();
                z_.avail_in = static_cast<uInt>(n);
            }
            if (member_done_) {
                // Concatenated members (as `cat a.gz b.gz` makes) continue the
                // stream; anything else after a member is padding, ignored as gzip(1) does.
                if (z_.avail_in >= 1 && z_.next_in[0] != 0x1f) {
                    z_.avail_in = 0;
                    in.eof_ = true;
                    break;
                }
                if (inflateReset(&z_) != Z_OK) {
                    in.fail("cannot reset zlib");
                    return 0;
                }
                member_done_ = false;
            }
            const int rc = inflate(&z_, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                member_done_ = true;
            } else if (rc == Z_BUF_ERROR) {
                continue; // needs more input
            } else if (rc != Z_OK) {
                in.fail(std::string("corrupt gzip data") + (z_.msg != nullptr ? std::string(": ") + z_.msg : ""));
                break;
            }
        }
        return wanted - z_.avail_out;
    }

private:
    z_stream z_{};
    bool ok_ = false;
    bool member_done_ = false;
};

#if ESC_HAVE_LZMA
class xz_decoder final : public input_stream::decoder {
public:
    xz_decoder() { ok_ = lzma_stream_decoder(&z_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK; }
    ~xz_decoder() override { lzma_end(&z_); }
    bool ok() const { return ok_; }

    std::size_t read(input_stream& in, char* out, std::size_t size) override {
        z_.next_out = reinterpret_cast<std::uint8_t*>(out);
        z_.avail_out = size;
        while (z_.avail_out != 0 && !done_) {
            lzma_action action = LZMA_RUN;
            if (z_.avail_in == 0) {
                if (z_.avail_out != size) break;
                const std::size_t n = in.read_raw(reinterpret_cast<char*>(buffer_.data()), buffer_.size());
                if (!in.ok()) return 0;
                z_.next_in = buffer_.data();
                z_.avail_in = n;
                if (n == 0) action = LZMA_FINISH;
            }
            const lzma_ret rc = lzma_code(&z_, action);
            if (rc == LZMA_STREAM_END) {
                done_ = true;
            } else if (rc == LZMA_BUF_ERROR && action == LZMA_FINISH) {
                in.fail("truncated xz data");
                break;
            } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
                in.fail("corrupt xz data");
                break;
            }
        }
        return size - z_.avail_out;
    }

private:
    lzma_stream z_ = LZMA_STREAM_INIT;
    bool ok_ = false;
    bool done_ = false;
};
#endif

#if ESC_HAVE_BZIP2
class bzip2_decoder final : public input_stream::decoder {
public:
    bzip2_decoder() { ok_ = BZ2_bzDecompressInit(&z_, 0, 0) == BZ_OK; }
    ~bzip2_decoder() override {
        if (ok_) BZ2_bzDecompressEnd(&z_);
    }
    bool ok() const { return ok_; }

    std::size_t read(input_stream& in, char* out, std::size_t size) override {
        z_.next_out = out;
        z_.avail_out = static_cast<unsigned>(std::min<std::size_t>(size, 1u << 30));
        const unsigned wanted = z_.avail_out;
        while (z_.avail_out != 0) {
            if (z_.avail_in == 0) {
                if (z_.avail_out != wanted) break;
                const std::size_t n = in.read_raw(reinterpret_cast<char*>(buffer_.data()), buffer_.size());
                if (!in.ok()) return 0;
                if (n == 0) {
                    if (!stream_done_) in.fail("truncated bzip2 data");
                    break;
                }
                z_.next_in = reinterpret_cast<char*>(buffer_.data());
                z_.avail_in = static_cast<unsigned>(n);
            }
            if (stream_done_) {
                // bzip2 -c a b > ab: streams one after another.
                BZ2_bzDecompressEnd(&z_);
                const char* next = z_.next_in;
                const unsigned left = z_.avail_in;
                const unsigned room = z_.avail_out;
                z_ = bz_stream{};
                if (BZ2_bzDecompressInit(&z_, 0, 0) != BZ_OK) {
                    ok_ = false;
                    in.fail("cannot initialise bzip2");
                    break;
                }
                z_.next_in = const_cast<char*>(next);
                z_.avail_in = left;
                z_.avail_out = room;
                z_.next_out = out + (wanted - room);
                stream_done_ = false;
                continue;
            }
            const int rc = BZ2_bzDecompress(&z_);
            if (rc == BZ_STREAM_END) stream_done_ = true;
            else if (rc != BZ_OK) {
                in.fail("corrupt bzip2 data");
                break;
            }
        }
        return wanted - z_.avail_out;
    }

private:
    bz_stream z_{};
    bool ok_ = false;
    bool stream_done_ = false;
};
#endif

#if ESC_HAVE_ZSTD
class zstd_decoder final : public input_stream::decoder {
public:
    zstd_decoder() : z_(ZSTD_createDStream()) {}
    ~zstd_decoder() override { ZSTD_freeDStream(z_); }
    bool ok() const { return z_ != nullptr; }

    // zstd gives nothing of a call that fails (the output position is not
    // moved), so what is lost of corrupt data would depend on the sizes the
    // caller asks for (read_lines() and esc scan -j N ask for different ones):
    // the data is decoded into a buffer of a fixed size, filled the same way
    // whoever reads, and handed out from there.
    std::size_t read(input_stream& in, char* out, std::size_t size) override {
        std::size_t given = 0;
        while (given < size) {
            if (staged_at_ == staged_) {
                if (given != 0) break;
                // A failure is told once what came before it has been handed out.
                if (failure_.empty()) fill(in);
                if (staged_ == 0) {
                    if (!failure_.empty()) in.fail(failure_);
                    break;
                }
            }
            const std::size_t n = std::min(size - given, staged_ - staged_at_);
            std::memcpy(out + given, stage_.data() + staged_at_, n);
            staged_at_ += n;
            given += n;
        }
        return given;
    }

private:
    // Decodes into stage_ until it is full, the data read so far is used up
    // (with something decoded: a pipe is not waited on), the data ends or
    // is corrupt (failure_ says how).
    void fill(input_stream& in) {
        ZSTD_outBuffer o{stage_.data(), stage_.size(), 0};
        while (o.pos != o.size) {
            if (input_.pos == input_.size) {
                if (o.pos != 0) break;
                const std::size_t n = in.read_raw(reinterpret_cast<char*>(buffer_.data()), buffer_.size());
                if (!in.ok()) break;
                if (n == 0) {
                    if (!frame_done_) failure_ = "truncated zstd data";
                    break;
                }
                input_ = ZSTD_inBuffer{buffer_.data(), n, 0};
            }
            const std::size_t rc = ZSTD_decompressStream(z_, &o, &input_);
            if (ZSTD_isError(rc)) {
                failure_ = std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc);
                break;
            }
            frame_done_ = rc == 0;
        }
        staged_at_ = 0;
        staged_ = o.pos; // what came before a failure, as a read straight into the caller's buffer gave it
    }

    ZSTD_DStream* z_;
    ZSTD_inBuffer input_{nullptr, 0, 0};
    bool frame_done_ = true;
    std::vector<char> stage_ = std::vector<char>(ZSTD_DStreamOutSize());
    std::size_t staged_ = 0, staged_at_ = 0; // stage_[staged_at_, staged_) is still to be handed out
    std::string failure_;                      // to be told when the stage is empty
};
#endif

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
            error_ = std::strerror(EISDIR);
            return;
        }
        if (S_ISREG(st.st_mode)) {
            regular_ = true;
            raw_size_ = static_cast<std::uint64_t>(st.st_size);
            dev_ = static_cast<std::uint64_t>(st.st_dev);
            ino_ = static_cast<std::uint64_t>(st.st_ino);
        }
    }
#if defined(POSIX_FADV_SEQUENTIAL)
    if (own_fd_) (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

input_stream::~input_stream() {
    if (own_fd_ && fd_ >= 0) ::close(fd_);
}

bool input_stream::compressed() const noexcept { return decoder_ != nullptr; }

void input_stream::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    eof_ = true;
}

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
        // Checked before each read: a log that grows faster than it is read
        // never comes to its end, and Ctrl-C must still stop it; a read
        // blocked on a pipe returns EINTR on the signal and comes here.
        if (stop_ != nullptr && *stop_ != 0) {
            eof_ = true;
            return 0;
        }
        const ssize_t n = ::read(fd_, out, size);
        if (n > 0) {
            raw_position_ += static_cast<std::uint64_t>(n);
            offset_ += static_cast<std::uint64_t>(n);
            return static_cast<std::size_t>(n);
        }
        if (n == 0) {
            if (follow_ && !at_end()) continue;
            if (!follow_) eof_ = true;
            return 0;
        }
        if (errno == EINTR) continue;
        fail(std::strerror(errno));
        return 0;
    }
}

// Following, the descriptor at its end: true to return (nothing yet, pause_
// says why), false to read again now. One call is one poll: a stat of the
// path and of the descriptor, and a sleep when nothing changed, as tail -F does.
bool input_stream::at_end() {
    struct stat now {};
    if (::fstat(fd_, &now) == 0 && static_cast<std::uint64_t>(now.st_size) < offset_) {
        // Truncated: what is there now was written after the cut.
        if (::lseek(fd_, 0, SEEK_SET) == 0) {
            offset_ = 0;
            pause_ = pause::restarted;
            return true;
        }
    }
    struct stat path {};
    if (own_fd_ && ::stat(name_.c_str(), &path) == 0 &&
        (static_cast<std::uint64_t>(path.st_dev) != dev_ || static_cast<std::uint64_t>(path.st_ino) != ino_)) {
        // Rotated. The writer may still have been writing to the old file
        // between our last read and the stat: read it once more to its end
        // (this call came from a read that found nothing, so once rotated_ is
        // set, a second empty read means the old file is drained).
        if (!rotated_) {
            rotated_ = true;
            return false;
        }
        const int fd = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            ::close(fd_);
            fd_ = fd;
            dev_ = static_cast<std::uint64_t>(st.st_dev);
            ino_ = static_cast<std::uint64_t>(st.st_ino);
            offset_ = 0;
            rotated_ = false;
            pause_ = pause::restarted;
            return true;
        }
        if (fd >= 0) ::close(fd);
        // Not openable (yet, or not a file): keep the old one and look again.
    }
    // Missing (renamed, not yet created) or unchanged: wait. The sleep ends
    // early on a signal, and the stop flag is looked at before the next read.
    ::usleep(200 * 1000);
    if (stop_ != nullptr && *stop_ != 0) {
        eof_ = true;
        return true; // pause_ stays none: the end
    }
    pause_ = pause::idle;
    return true;
}

template <class D>
static std::unique_ptr<input_stream::decoder> make_decoder(std::string& error, const char* what) {
    auto d = std::make_unique<D>();
    if (!d->ok()) {
        error = std::string("cannot initialise ") + what;
        return nullptr;
    }
    return d;
}

std::size_t input_stream::read(char* out, std::size_t size) {
    if (!error_.empty() || size == 0) return 0;
    if (!started_) {
        started_ = true;
        // Sniff the format from the first six bytes (fewer when the input is shorter).
        char magic[6];
        std::size_t have = 0;
        while (have < sizeof magic) {
            const std::size_t n = read_raw(magic + have, sizeof magic - have);
            if (n == 0) break;
            have += n;
            const auto first = static_cast<unsigned char>(magic[0]);
            if (first != 0x1f && first != 0xFD && first != 'B' && first != 0x28) break; // plain: do not wait for more
        }
        pending_.assign(magic, magic + have);
        if (!error_.empty()) return 0;
        const format f = sniff(pending_);
        switch (f) {
        case format::plain: break;
        case format::gzip: decoder_ = make_decoder<gzip_decoder>(error_, "zlib"); break;
#if ESC_HAVE_LZMA
        case format::xz: decoder_ = make_decoder<xz_decoder>(error_, "liblzma"); break;
#endif
#if ESC_HAVE_BZIP2
        case format::bzip2: decoder_ = make_decoder<bzip2_decoder>(error_, "libbz2"); break;
#endif
#if ESC_HAVE_ZSTD
        case format::zstd: decoder_ = make_decoder<zstd_decoder>(error_, "libzstd"); break;
#endif
        default:
            error_ = fmt::format("{}-compressed, and this esc was built without its library: decompress it with "
                                 "'{} -dc' and pipe it in",
                                 tool_for(f), tool_for(f));
            return 0;
        }
        if (!error_.empty()) return 0;
        // Compressed files are finished files (rotated logs): not followed,
        // and the decoders take an empty read for the end.
        if (decoder_) follow_ = false;
        // A poll or a restart while sniffing: say so before reading on.
        if (have == 0 && pause_ != pause::none) return 0;
    }
    return decoder_ ? decoder_->read(*this, out, size) : read_raw(out, size);
}

bool read_all(input_stream& in, std::string& out) {
    out.clear();
    std::size_t used = 0;
    for (;;) {
        if (out.size() - used < (std::size_t{1} << 16)) out.resize(std::max<std::size_t>(out.size() * 2, 1 << 17));
        const std::size_t n = in.read(out.data() + used, out.size() - used);
        if (n == 0) break;
        used += n;
    }
    out.resize(used);
    if (out.compare(0, 3, "\xEF\xBB\xBF") == 0) out.erase(0, 3);
    return in.ok();
}

void report_progress(progress_meter* meter, const input_stream& in, std::uint64_t bytes) {
    if (meter != nullptr) meter->update(in.raw_size() != 0 ? in.raw_position() : bytes, in.raw_size());
}

namespace {

namespace fs = std::filesystem;

void walk(const fs::path& folder, std::vector<std::string>& files, std::vector<std::string>& errors) {
    std::vector<fs::path> found;
    walk_folder(folder, found, [&](const fs::path& unreadable, const std::error_code& ec) {
        errors.push_back(fmt::format("{}: {}", printable(unreadable.string()), std::strerror(ec.value())));
    });
    for (const fs::path& f : found) files.push_back(f.string());
}

} // namespace

input_list expand_inputs(const std::vector<std::string>& args) {
    input_list list;
    if (args.empty()) list.files.emplace_back("-");
    for (const std::string& arg : args) {
        if (arg == "-") {
            list.files.push_back(arg);
            continue;
        }
        struct stat st {};
        if (::stat(arg.c_str(), &st) != 0) {
            list.errors.push_back(fmt::format("{}: {}", printable(arg), std::strerror(errno)));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            const std::size_t before = list.files.size() + list.errors.size();
            walk(arg, list.files, list.errors);
            if (list.files.size() + list.errors.size() == before)
                list.errors.push_back(fmt::format("{}: a folder without files to read", printable(arg)));
        } else {
            list.files.push_back(arg);
        }
    }
    return list;
}

} // namespace esc_cli
