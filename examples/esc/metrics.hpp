// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// esc scan --metrics HOST:PORT: the scan as Prometheus metrics, in the text
// exposition format (version 0.0.4), served over HTTP by a small server on
// one background thread.
//
// The scan never waits for a client: it renders the text itself (at each
// refresh and at the end) and hands it over with publish(), which swaps a
// shared pointer under a mutex; the server thread sends the latest text it
// has. A slow or stuck client holds only its own connection, which is closed
// after a time limit.
//
// Names follow postfix_exporter's where it has one (a namespace, a subsystem,
// a unit; counters end in _total), with esc_ as the namespace.

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "scan_report.hpp"

namespace esc_cli {

// Rows shown per labelled table (domains, relays, status codes): each label
// value is a time series to Prometheus, so the long tail is left out.
inline constexpr std::size_t metrics_top_default = 20;

// The report as Prometheus text: # HELP and # TYPE before each metric's
// samples, label values escaped (backslash, double quote, line feed; invalid
// UTF-8 as U+FFFD).
std::string render_prometheus(const scan_report& report, std::size_t top = metrics_top_default);

// A label value as the exposition format writes it between its quotes.
void append_label_value(std::string& out, std::string_view value);

// "HOST:PORT", ":PORT" (every interface) or "[IPV6]:PORT"; port 0 asks the
// system for a free one (see metrics_server::address()).
struct listen_address {
    std::string host; // empty: every interface
    std::string port;
};
bool parse_listen_address(std::string_view text, listen_address& out, std::string& error);

class metrics_server {
public:
    metrics_server() = default;
    ~metrics_server() { stop(); }
    metrics_server(const metrics_server&) = delete;
    metrics_server& operator=(const metrics_server&) = delete;

    // Binds, listens and starts the thread; false with `error` when it cannot.
    bool start(const listen_address& where, std::string& error);
    // Where it listens, as HOST:PORT with the port bound ("[::1]:9469").
    const std::string& address() const noexcept { return address_; }
    // The text served from now on at /metrics.
    void publish(std::string text);
    // Ends the thread and closes the sockets (also done by the destructor).
    void stop();

private:
    void run() noexcept;
    std::shared_ptr<const std::string> latest();

    int listen_fd_ = -1;
    int wake_[2] = {-1, -1}; // stop() writes to [1]; the thread polls [0]
    std::string address_;
    std::thread thread_;
    std::mutex mutex_;
    std::shared_ptr<const std::string> text_;
};

} // namespace esc_cli
