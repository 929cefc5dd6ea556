// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// One SMTP connection over POSIX sockets: non-blocking, every wait bounded by
// a deadline (poll), replies cut out of the byte stream by esc::reply_reader,
// which receives straight into its fixed buffer: it yields a reply only once
// its last line has its line end, keeps pipelined replies in order, and
// bounds what a server can make the client hold (line length, line count,
// buffer size).

#include <esc/reply.hpp>
#include <esc/reply_reader.hpp>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace esc_send {

using clock = std::chrono::steady_clock;

enum class io_status {
    ok,
    timeout,   // the deadline passed
    closed,    // the peer closed the connection (or reset it)
    malformed, // the server sent something that is not an SMTP reply
    error,     // any other socket error
};

inline std::string_view to_string(io_status s) noexcept {
    switch (s) {
    case io_status::ok: return "ok";
    case io_status::timeout: return "timeout";
    case io_status::closed: return "closed";
    case io_status::malformed: return "malformed";
    case io_status::error: return "error";
    }
    return "error";
}

// What came back for one command: the reply's bytes (own copy, CRLF kept),
// and the reply parsed from them (its views point into `raw`).
struct received {
    io_status status = io_status::error;
    std::string raw;
    std::string problem; // for status != ok: what went wrong, for the log
    esc::reply reply;    // valid when status == ok

    received() = default;
    received(const received& o) : status(o.status), raw(o.raw), problem(o.problem) { reparse(); }
    received& operator=(const received& o) {
        if (this != &o) {
            status = o.status;
            raw = o.raw;
            problem = o.problem;
            reparse();
        }
        return *this;
    }
    received(received&& o) noexcept : status(o.status), raw(std::move(o.raw)), problem(std::move(o.problem)) { reparse(); }
    received& operator=(received&& o) noexcept {
        status = o.status;
        raw = std::move(o.raw);
        problem = std::move(o.problem);
        reparse();
        return *this;
    }

    void reparse() noexcept {
        reply = esc::reply{};
        if (status == io_status::ok) reply = esc::parse_reply(raw).reply;
    }
};

// Where both directions of the conversation are recorded.
struct recorder {
    std::FILE* transcript = nullptr; // "C: " / "S: " lines, for people
    std::FILE* replies = nullptr;    // the server's bytes exactly as received

    void sent(std::string_view line) const {
        if (transcript) std::fprintf(transcript, "C: %.*s\n", static_cast<int>(line.size()), line.data());
    }
    void note(std::string_view what) const {
        if (transcript) std::fprintf(transcript, "#  %.*s\n", static_cast<int>(what.size()), what.data());
    }
    void received_bytes(const char* p, std::size_t n) const {
        if (replies) std::fwrite(p, 1, n, replies);
    }
    void received_reply(std::string_view raw) const {
        if (!transcript) return;
        std::size_t pos = 0;
        while (pos < raw.size()) {
            std::size_t end = raw.find('\n', pos);
            if (end == std::string_view::npos) end = raw.size();
            std::string_view line = raw.substr(pos, end - pos);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            std::fprintf(transcript, "S: %.*s\n", static_cast<int>(line.size()), line.data());
            pos = end + 1;
        }
    }
    void flush() const {
        if (transcript) std::fflush(transcript);
        if (replies) std::fflush(replies);
    }
};

inline int remaining_ms(clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return 0;
    return left > 1000 * 60 * 60 ? 1000 * 60 * 60 : static_cast<int>(left);
}

class connection {
public:
    // A reply must fit the reader's buffer whole (with what is pipelined
    // behind it): no server needs more, and a buffer without bound is a way
    // to be hurt. Lines up to the library's default cap (4096 octets, where
    // RFC 5321 says 512: real servers send longer).
    static constexpr std::size_t max_reply_bytes = 64 * 1024;

    explicit connection(const recorder& rec) : rec_(rec) {}
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() { close(); }

    void close() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    bool is_open() const noexcept { return fd_ >= 0 && !peer_closed_; }

    // Tries each address of host:port until one connects before the deadline.
    io_status open(const std::string& host, const std::string& port, clock::time_point deadline, std::string& problem) {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
            problem = std::string("cannot resolve ") + host + ": " + ::gai_strerror(rc);
            return io_status::error;
        }
        io_status last = io_status::error;
        problem = "no address for " + host;
        for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
            last = try_connect(*a, deadline, problem);
            if (last == io_status::ok) break;
        }
        ::freeaddrinfo(found);
        return last;
    }

    // Sends everything or says why not. Never raises SIGPIPE.
    io_status send_all(std::string_view data, clock::time_point deadline, std::string& problem) {
        std::size_t done = 0;
        while (done < data.size()) {
            if (fd_ < 0) {
                problem = "connection is not open";
                return io_status::error;
            }
            const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                const io_status w = wait_for(POLLOUT, deadline);
                if (w != io_status::ok) {
                    problem = w == io_status::timeout ? "timed out while sending" : "connection lost while sending";
                    return w;
                }
                continue;
            }
            if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
                problem = std::string("connection closed by the server while sending (") + std::strerror(errno) + ")";
                peer_closed_ = true;
                return io_status::closed;
            }
            problem = std::string("send failed: ") + std::strerror(errno);
            return io_status::error;
        }
        return io_status::ok;
    }

    // The next complete reply. Bytes after it stay in the reader for the
    // next call: a pipelining server's replies may arrive in one segment.
    received read_reply(clock::time_point deadline) {
        received out;
        while (true) {
            const esc::read_result r = reader_.next();
            if (r) {
                out.status = io_status::ok;
                out.raw.assign(r.reply.raw);
                out.reparse();
                rec_.received_reply(out.raw);
                return out;
            }
            if (r.failed()) {
                out.status = io_status::malformed;
                out.raw.assign(reader_.pending());
                out.problem = problem_text(r);
                rec_.received_reply(out.raw);
                // Nothing after a malformed reply can be trusted to start a
                // reply: drop it all, as the reader cannot resynchronise.
                reader_.reset();
                return out;
            }
            const io_status got = receive_some(deadline, out.problem);
            if (got != io_status::ok) {
                out.status = got;
                // Whatever arrived of an unfinished reply is kept for the log.
                out.raw.assign(reader_.pending());
                if (!out.raw.empty()) rec_.received_reply(out.raw);
                reader_.reset();
                return out;
            }
        }
    }

    // Bytes already received that no command asked for yet.
    std::string_view unread() const noexcept { return reader_.pending(); }

private:
    io_status try_connect(const addrinfo& a, clock::time_point deadline, std::string& problem) {
        close();
        fd_ = ::socket(a.ai_family, a.ai_socktype | SOCK_CLOEXEC, a.ai_protocol);
        if (fd_ < 0) {
            problem = std::string("socket: ") + std::strerror(errno);
            return io_status::error;
        }
        const int flags = ::fcntl(fd_, F_GETFL, 0);
        if (flags < 0 || ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK) < 0) {
            problem = std::string("fcntl: ") + std::strerror(errno);
            close();
            return io_status::error;
        }
        if (::connect(fd_, a.ai_addr, a.ai_addrlen) == 0) return io_status::ok;
        if (errno != EINPROGRESS) {
            problem = std::string("connect: ") + std::strerror(errno);
            close();
            return io_status::error;
        }
        const io_status w = wait_for(POLLOUT, deadline);
        if (w == io_status::timeout) {
            problem = "connect: timed out";
            close();
            return w;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
        if (err != 0) {
            problem = std::string("connect: ") + std::strerror(err);
            close();
            return io_status::error;
        }
        return io_status::ok;
    }

    io_status wait_for(short events, clock::time_point deadline) {
        while (true) {
            pollfd p{fd_, events, 0};
            const int n = ::poll(&p, 1, remaining_ms(deadline));
            if (n > 0) {
                if ((p.revents & events) != 0) return io_status::ok;
                if ((p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return io_status::closed;
                continue;
            }
            if (n == 0) return io_status::timeout;
            if (errno != EINTR) return io_status::error;
        }
    }

    io_status receive_some(clock::time_point deadline, std::string& problem) {
        if (fd_ < 0 || peer_closed_) {
            problem = "connection closed by the server";
            return io_status::closed;
        }
        while (true) {
            const std::size_t room = reader_.write_capacity();
            if (room == 0) { // the reader reports buffer_full before it comes to this
                problem = "reply longer than " + std::to_string(max_reply_bytes) + " octets";
                return io_status::malformed;
            }
            char* const into = reader_.write_area();
            const ssize_t n = ::recv(fd_, into, room, 0);
            if (n > 0) {
                rec_.received_bytes(into, static_cast<std::size_t>(n));
                reader_.commit(static_cast<std::size_t>(n));
                return io_status::ok;
            }
            if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE))) {
                peer_closed_ = true;
                problem = "connection closed by the server";
                return io_status::closed;
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                problem = std::string("recv failed: ") + std::strerror(errno);
                return io_status::error;
            }
            const io_status w = wait_for(POLLIN, deadline);
            if (w == io_status::timeout) {
                problem = "no reply before the timeout";
                return w;
            }
            if (w == io_status::error) {
                problem = std::string("poll failed: ") + std::strerror(errno);
                return w;
            }
            // ok or closed (POLLHUP): recv tells which, and drains what is left.
        }
    }

    static std::string problem_text(const esc::read_result& r) {
        const std::string at = " at octet " + std::to_string(r.offset);
        switch (r.status) {
        case esc::read_status::line_too_long:
            return "a reply line longer than " + std::to_string(esc::reply_reader_limits{}.max_line) + " octets" + at;
        case esc::read_status::too_many_lines:
            return "a reply of more than " + std::to_string(esc::reply_reader_limits{}.max_lines) + " lines" + at;
        case esc::read_status::buffer_full:
            return "reply longer than " + std::to_string(max_reply_bytes) + " octets";
        default:
            return std::string("the server sent something that is not an SMTP reply (") +
                   std::string(esc::to_string(r.error)) + at + ")";
        }
    }

    const recorder& rec_;
    int fd_ = -1;
    bool peer_closed_ = false;
    esc::fixed_reply_reader<max_reply_bytes> reader_;
};

} // namespace esc_send
