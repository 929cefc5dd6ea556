// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "metrics.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <esc/reason.hpp>
#include <esc/status.hpp>

#include "conventions.hpp"

namespace esc_cli {

// --- the exposition text ---------------------------------------------------------------------------

void append_label_value(std::string& out, std::string_view value) {
    for (std::size_t i = 0; i < value.size();) {
        const char c = value[i];
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else if (const std::size_t n = utf8_sequence(value, i); n == 0) {
            out += "\xEF\xBF\xBD"; // the format is UTF-8; a log's stray byte is not
        } else {
            out.append(value.data() + i, n);
            i += n;
            continue;
        }
        ++i;
    }
}

namespace {

class exposition {
public:
    // # HELP and # TYPE, once per metric, before its samples.
    void family(std::string_view name, std::string_view type, std::string_view help) {
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += help; // constant text here: no backslash or line feed to escape
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }

    using labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

    void sample(std::string_view name, labels l, std::uint64_t value) { sample_text(name, l, std::to_string(value)); }
    void sample(std::string_view name, labels l, double value) { sample_text(name, l, fmt::format("{}", value)); }

    std::string take() { return std::move(out_); }

private:
    void sample_text(std::string_view name, labels l, const std::string& value) {
        out_ += name;
        if (l.size() != 0) {
            out_ += '{';
            bool first = true;
            for (const auto& [key, v] : l) {
                if (!first) out_ += ',';
                first = false;
                out_ += key;
                out_ += "=\"";
                append_label_value(out_, v);
                out_ += '"';
            }
            out_ += '}';
        }
        out_ += ' ';
        out_ += value;
        out_ += '\n';
    }

    std::string out_;
};

std::string reason_name(esc::reason r) { return std::string(esc::to_string(r)); }

} // namespace

std::string render_prometheus(const scan_report& r, std::size_t top) {
    exposition e;
    e.family("esc_lines_read_total", "counter", "Log lines read.");
    e.sample("esc_lines_read_total", {}, r.lines);
    e.family("esc_bytes_read_total", "counter", "Bytes of log read (after decompression).");
    e.sample("esc_bytes_read_total", {}, r.bytes);

    e.family("esc_delivery_attempts_total", "counter",
             "Delivery attempts, one per recipient, by disposition (sent, deferred, bounced, other).");
    e.sample("esc_delivery_attempts_total", {{"disposition", "sent"}}, r.totals.sent);
    e.sample("esc_delivery_attempts_total", {{"disposition", "deferred"}}, r.totals.deferred);
    e.sample("esc_delivery_attempts_total", {{"disposition", "bounced"}}, r.totals.bounced);
    e.sample("esc_delivery_attempts_total", {{"disposition", "other"}}, r.other);

    e.family("esc_failures_total", "counter",
             "Failed delivery attempts by esc's reason and disposition (deferred or bounced).");
    for (const reason_row& row : r.reasons) {
        const std::string name = reason_name(row.reason);
        if (row.deferred != 0) e.sample("esc_failures_total", {{"reason", name}, {"disposition", "deferred"}}, row.deferred);
        if (row.bounced != 0) e.sample("esc_failures_total", {{"reason", name}, {"disposition", "bounced"}}, row.bounced);
    }

    e.family("esc_failure_status_total", "counter",
             fmt::format("Failed delivery attempts by enhanced status code (the {} commonest codes).", top));
    for (std::size_t i = 0; i < r.statuses.size() && i < top; ++i) {
        const auto code = esc::to_string(r.statuses[i].status);
        e.sample("esc_failure_status_total", {{"status", code.view()}}, r.statuses[i].attempts);
    }

    // Series for the top rows only: a label value per domain of an endless
    // log would grow Prometheus's index without bound.
    e.family("esc_domain_attempts_total", "counter",
             fmt::format("Delivery attempts by recipient domain and disposition, for the {} domains with the most "
                         "failures only (a domain can leave the top and its series end).",
                         top));
    for (std::size_t i = 0; i < r.domains.size() && i < top; ++i) {
        const named_counts& d = r.domains[i];
        const std::string_view name = d.name.empty() ? std::string_view("(no domain)") : std::string_view(d.name);
        e.sample("esc_domain_attempts_total", {{"domain", name}, {"disposition", "sent"}}, d.counts.sent);
        e.sample("esc_domain_attempts_total", {{"domain", name}, {"disposition", "deferred"}}, d.counts.deferred);
        e.sample("esc_domain_attempts_total", {{"domain", name}, {"disposition", "bounced"}}, d.counts.bounced);
    }

    e.family("esc_relay_failures_total", "counter",
             fmt::format("Failed delivery attempts by relay (remote host) and disposition, for the {} relays with "
                         "the most failures only.",
                         top));
    for (std::size_t i = 0; i < r.relays.size() && i < top; ++i) {
        const named_counts& d = r.relays[i];
        if (d.counts.deferred != 0)
            e.sample("esc_relay_failures_total", {{"relay", d.name}, {"disposition", "deferred"}}, d.counts.deferred);
        if (d.counts.bounced != 0)
            e.sample("esc_relay_failures_total", {{"relay", d.name}, {"disposition", "bounced"}}, d.counts.bounced);
    }

    e.family("esc_inbound_rejects_total", "counter",
             "Inbound rejects (Postfix NOQUEUE, postscreen, milter; Exim rejected RCPT) by reason.");
    for (const reject_row& row : r.reject_reasons) e.sample("esc_inbound_rejects_total", {{"reason", row.name}}, row.count);

    // Counters from the messages that have left the queue only: an open
    // message's state can still change (delivered to one recipient, then
    // bounced for another), and a counter must never go down.
    const message_counts& m = r.closed_messages;
    e.family("esc_messages_total", "counter",
             "Messages, their lines joined by queue ID, by what became of them (a message can count in several "
             "states: deferred, then delivered_after_deferral and delivered).");
    const std::pair<std::string_view, std::uint64_t> states[] = {
        {"received", m.received},
        {"received_null_sender", m.received_null_sender},
        {"delivered", m.delivered},
        {"delivered_after_deferral", m.delivered_after_deferral},
        {"bounced", m.bounced},
        {"bounced_after_deferral", m.bounced_after_deferral},
        {"given_up", m.gave_up},
        {"deferred", m.deferred},
        {"expired", r.expired}};
    for (const auto& [state, n] : states) e.sample("esc_messages_total", {{"state", state}}, n);
    e.family("esc_message_deferrals_total", "counter", "Deferral attempts of the deferred messages.");
    e.sample("esc_message_deferrals_total", {}, m.deferrals);
    e.family("esc_messages_dropped_total", "counter",
             "Messages no longer tracked because the cap on open messages was reached.");
    e.sample("esc_messages_dropped_total", {}, m.dropped);
    e.family("esc_open_messages", "gauge", "Messages being tracked (seen, not yet finished).");
    e.sample("esc_open_messages", {}, m.open);
    e.family("esc_open_messages_limit", "gauge", "The cap on open messages.");
    e.sample("esc_open_messages_limit", {}, m.open_limit);
    e.family("esc_messages_still_queued", "gauge", "Deferred messages neither delivered nor bounced so far.");
    e.sample("esc_messages_still_queued", {}, r.messages.still_queued); // a gauge: of the open ones too

    e.family("esc_probes_total", "counter", "Address-verification probes (not delivery attempts).");
    e.sample("esc_probes_total", {}, r.probes);
    e.family("esc_deferrals_not_attempted_total", "counter",
             "Deferrals logged without a delivery attempt (Exim's retry time not reached).");
    e.sample("esc_deferrals_not_attempted_total", {}, r.not_attempted);

    if (r.delay.count != 0) {
        // A summary without _sum: the scan keeps a histogram of delays, not their total.
        e.family("esc_delivery_delay_seconds", "summary",
                 "Delivery delay, arrival to delivery, in seconds (Postfix delay=, else the timestamps); no _sum.");
        e.sample("esc_delivery_delay_seconds", {{"quantile", "0.5"}}, r.delay.p50);
        e.sample("esc_delivery_delay_seconds", {{"quantile", "0.9"}}, r.delay.p90);
        e.sample("esc_delivery_delay_seconds", {{"quantile", "0.99"}}, r.delay.p99);
        e.sample("esc_delivery_delay_seconds_count", {}, r.delay.count);
        e.family("esc_delivery_delay_max_seconds", "gauge", "The longest delivery delay seen, in seconds.");
        e.sample("esc_delivery_delay_max_seconds", {}, r.delay.max);
    }

    e.family("esc_skipped_lines_total", "counter",
             "Lines not read: delivery lines whose fields cannot be read, lines over 64 KiB, binary data.");
    e.sample("esc_skipped_lines_total", {{"why", "malformed"}}, r.malformed);
    e.sample("esc_skipped_lines_total", {{"why", "too_long"}}, r.too_long);
    e.sample("esc_skipped_lines_total", {{"why", "binary"}}, r.binary);
    e.family("esc_read_errors_total", "counter", "Inputs that could not be read to their end.");
    e.sample("esc_read_errors_total", {}, r.read_errors);
    if (r.last_time) {
        e.family("esc_last_line_timestamp_seconds", "gauge",
                 "The time of the last line read, as the log wrote it, in seconds since the epoch.");
        e.sample("esc_last_line_timestamp_seconds", {}, static_cast<double>(*r.last_time));
    }
    e.family("esc_memory_bytes", "gauge", "What the scan's tables hold, roughly.");
    e.sample("esc_memory_bytes", {}, r.memory_bytes);
    return e.take();
}

// --- the address -----------------------------------------------------------------------------------

bool parse_listen_address(std::string_view text, listen_address& out, std::string& error) {
    std::string_view host, port;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = "an IPv6 address is written [ADDRESS]:PORT";
            return false;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (host.empty()) {
            error = "an empty IPv6 address";
            return false;
        }
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            error = "give HOST:PORT, :PORT or [IPV6]:PORT";
            return false;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            error = "put an IPv6 address in brackets: [ADDRESS]:PORT";
            return false;
        }
    }
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoul(std::string(port)) > 65535) {
        error = fmt::format("'{}' is not a port number (0 to 65535)", printable(port));
        return false;
    }
    out.host = std::string(host);
    out.port = std::string(port);
    return true;
}

// --- the server ------------------------------------------------------------------------------------

namespace {

constexpr std::size_t max_request = 8192;    // a scraper's GET is a few hundred bytes
constexpr std::size_t max_connections = 32;  // beyond it, new connections wait in the backlog
constexpr auto connection_time = std::chrono::seconds(10);

std::string format_address(const sockaddr_storage& ss) {
    char host[INET6_ADDRSTRLEN] = "?";
    if (ss.ss_family == AF_INET6) {
        const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
        ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        return fmt::format("[{}]:{}", host, ntohs(a->sin6_port));
    }
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    return fmt::format("{}:{}", host, ntohs(a->sin_port));
}

int listen_on(const addrinfo& ai, bool dual_stack, std::string& error) {
    const int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
    if (fd < 0) {
        error = std::strerror(errno);
        return -1;
    }
    const int one = 1, zero = 0;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); // a restart need not wait for TIME_WAIT
    if (ai.ai_family == AF_INET6) (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, dual_stack ? &zero : &one, sizeof one);
    if (::bind(fd, ai.ai_addr, ai.ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
        error = std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}

struct connection {
    int fd = -1;
    std::string in;
    std::string head;                         // the status line and headers
    std::shared_ptr<const std::string> body;  // shared with the published text: no copy per scrape
    std::string own_body;                     // for the short answers
    std::size_t sent = 0;
    bool responding = false;
    bool draining = false; // answered and shut down for writing: reading to the client's end before closing
    std::chrono::steady_clock::time_point deadline;

    std::string_view body_view() const { return body ? std::string_view(*body) : std::string_view(own_body); }
};

void respond(connection& c, int status, std::string_view reason, std::string_view type, std::string body,
             bool head_only, std::string_view extra = {}) {
    c.own_body = std::move(body);
    c.body.reset();
    const std::size_t length = c.own_body.size();
    if (head_only) c.own_body.clear();
    c.head = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}Connection: close\r\n\r\n",
                         status, reason, type, length, extra);
    c.responding = true;
}

// The answer to the request in c.in (complete: its header ends in it).
void answer(connection& c, const std::shared_ptr<const std::string>& metrics) {
    const std::size_t eol = c.in.find('\n');
    std::string_view line(c.in.data(), eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    constexpr std::string_view text = "text/plain; charset=utf-8";
    const std::string_view version = sp2 == std::string_view::npos ? std::string_view() : line.substr(sp2 + 1);
    if (sp1 == 0 || sp2 == std::string_view::npos || (version != "HTTP/1.1" && version != "HTTP/1.0")) {
        respond(c, 400, "Bad Request", text, "Bad request.\n", false);
        return;
    }
    const std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    // The absolute form (a proxy's "GET http://host:port/metrics") names the same path.
    if (target.substr(0, 7) == "http://") {
        const std::size_t slash = target.find('/', 7);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    if (target.empty() || target.front() != '/') {
        respond(c, 400, "Bad Request", text, "Bad request target.\n", false);
        return;
    }
    if (const std::size_t q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
    const bool head = method == "HEAD";
    if (method != "GET" && !head) {
        respond(c, 405, "Method Not Allowed", text, "Only GET and HEAD.\n", false, "Allow: GET, HEAD\r\n");
        return;
    }
    if (target == "/metrics") {
        if (!metrics) {
            respond(c, 503, "Service Unavailable", text, "No scan yet.\n", head);
            return;
        }
        c.body = metrics;
        c.head = fmt::format("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                             "Content-Length: {}\r\nConnection: close\r\n\r\n",
                             metrics->size());
        if (head) c.body.reset();
        c.own_body.clear();
        c.responding = true;
    } else if (target == "/") {
        respond(c, 200, "OK", text, "esc scan: the Prometheus metrics are at /metrics\n", head);
    } else {
        respond(c, 404, "Not Found", text, "Not found: the metrics are at /metrics\n", head);
    }
}

// Writes what it can without blocking; true when the whole answer has gone.
bool send_some(connection& c) {
    const std::string_view body = c.body_view();
    while (c.sent < c.head.size() + body.size()) {
        const char* p;
        std::size_t n;
        if (c.sent < c.head.size()) {
            p = c.head.data() + c.sent;
            n = c.head.size() - c.sent;
        } else {
            p = body.data() + (c.sent - c.head.size());
            n = body.size() - (c.sent - c.head.size());
        }
        const ssize_t w = ::send(c.fd, p, n, MSG_NOSIGNAL); // a client gone is no SIGPIPE
        if (w > 0) {
            c.sent += static_cast<std::size_t>(w);
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        return false;
    }
    return true;
}

} // namespace

bool metrics_server::start(const listen_address& where, std::string& error) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_family = AF_UNSPEC;
    // Every interface: IPv6 and IPv4 on one dual-stack socket where there is
    // IPv6, else IPv4 alone.
    const bool any = where.host.empty();
    const char* host = any ? "::" : where.host.c_str();
    if (any) hints.ai_flags |= AI_NUMERICHOST;
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(host, where.port.c_str(), &hints, &list);
    if (rc != 0 && any) rc = ::getaddrinfo("0.0.0.0", where.port.c_str(), &hints, &list);
    if (rc != 0) {
        error = fmt::format("{}: {}", printable(where.host), ::gai_strerror(rc));
        return false;
    }
    for (const addrinfo* ai = list; ai != nullptr && listen_fd_ < 0; ai = ai->ai_next)
        listen_fd_ = listen_on(*ai, any, error);
    ::freeaddrinfo(list);
    if (listen_fd_ < 0 && any) {
        addrinfo h4 = hints;
        h4.ai_family = AF_INET;
        if (::getaddrinfo("0.0.0.0", where.port.c_str(), &h4, &list) == 0) {
            for (const addrinfo* ai = list; ai != nullptr && listen_fd_ < 0; ai = ai->ai_next)
                listen_fd_ = listen_on(*ai, false, error);
            ::freeaddrinfo(list);
        }
    }
    if (listen_fd_ < 0) return false;
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0) address_ = format_address(ss);
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
        error = std::strerror(errno);
        stop();
        return false;
    }
    // The thread is started with SIGINT and SIGTERM blocked, so that they
    // come to the scan's thread, which stops on them.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::exception& e) {
        error = e.what();
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (!thread_.joinable()) {
        stop();
        return false;
    }
    return true;
}

void metrics_server::publish(std::string text) {
    auto p = std::make_shared<const std::string>(std::move(text));
    const std::lock_guard<std::mutex> lock(mutex_);
    text_.swap(p); // the old text is freed here, or by the last connection sending it
}

std::shared_ptr<const std::string> metrics_server::latest() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return text_;
}

void metrics_server::stop() {
    if (thread_.joinable()) {
        const char b = 0;
        while (::write(wake_[1], &b, 1) < 0 && errno == EINTR) {
        }
        thread_.join();
    }
    for (int* fd : {&listen_fd_, &wake_[0], &wake_[1]}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

void metrics_server::run() noexcept {
    std::vector<connection> conns;
    std::vector<pollfd> fds;
    try {
        for (;;) {
            fds.clear();
            fds.push_back({wake_[0], POLLIN, 0});
            fds.push_back({conns.size() < max_connections ? listen_fd_ : -1, POLLIN, 0});
            const auto now = std::chrono::steady_clock::now();
            int timeout = -1;
            for (const connection& c : conns) {
                fds.push_back({c.fd, static_cast<short>(c.responding && !c.draining ? POLLOUT : POLLIN), 0});
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(c.deadline - now).count();
                const int ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 60000)));
                timeout = timeout < 0 ? ms : std::min(timeout, ms);
            }
            const int n = ::poll(fds.data(), fds.size(), timeout);
            if (n < 0 && errno != EINTR) return;
            if (fds[0].revents != 0) break;
            if (fds[1].revents & POLLIN) {
                for (;;) {
                    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    connection c;
                    c.fd = fd;
                    c.deadline = std::chrono::steady_clock::now() + connection_time;
                    conns.push_back(std::move(c));
                    if (conns.size() >= max_connections) break;
                }
            }
            const auto after = std::chrono::steady_clock::now();
            // fds[2 + i] is conns[i] (connections accepted just now are polled next time).
            const std::size_t polled = fds.size() - 2;
            for (std::size_t i = 0; i < conns.size(); ++i) {
                connection& c = conns[i];
                bool done = false;
                const short ev = i < polled ? fds[2 + i].revents : 0;
                if (c.draining) {
                    char sink[4096];
                    const ssize_t r = ev != 0 ? ::recv(c.fd, sink, sizeof sink, 0) : 1;
                    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) done = true;
                } else if (!c.responding && (ev & (POLLIN | POLLHUP | POLLERR))) {
                    char buf[2048];
                    const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        c.in.append(buf, static_cast<std::size_t>(r));
                        const bool complete = c.in.find("\r\n\r\n") != std::string::npos ||
                                              c.in.find("\n\n") != std::string::npos;
                        if (complete)
                            answer(c, latest());
                        else if (c.in.size() > max_request)
                            respond(c, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
                                    "Request too large.\n", false);
                    } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                        done = true; // gone before asking
                    }
                }
                if (!done && c.responding && !c.draining && ((ev & (POLLOUT | POLLERR | POLLHUP)) != 0 || c.sent == 0)) {
                    if (send_some(c)) {
                        // All sent: no more from us, but read what the client still sends
                        // before closing, so that the close does not reset the connection
                        // and lose the answer on its way.
                        ::shutdown(c.fd, SHUT_WR);
                        c.draining = true;
                        c.deadline = std::min(c.deadline, after + std::chrono::seconds(2));
                    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                        done = true;
                    }
                }
                if (!done && after >= c.deadline) {
                    if (!c.responding) {
                        respond(c, 408, "Request Timeout", "text/plain; charset=utf-8", "Too slow.\n", false);
                        (void)send_some(c); // one try; a client this slow gets no more time
                    }
                    done = true;
                }
                if (done) {
                    ::close(c.fd);
                    c.fd = -1;
                }
            }
            conns.erase(std::remove_if(conns.begin(), conns.end(), [](const connection& c) { return c.fd < 0; }),
                        conns.end());
        }
    } catch (...) {
        // Out of memory: the server stops; the scan goes on.
    }
    for (const connection& c : conns)
        if (c.fd >= 0) ::close(c.fd);
}

} // namespace esc_cli
