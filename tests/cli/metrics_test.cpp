// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The tool's Prometheus rendering (examples/esc/metrics.cpp) on a fixed
// scan_report, and its HTTP server on a loopback socket.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics.hpp"

using namespace esc_cli;

namespace {

scan_report sample_report() {
    scan_report r;
    r.lines = 1000;
    r.bytes = 123456;
    r.totals = {10, 6, 3, 1};
    r.reasons = {{esc::reason::mailbox_unknown, 0, 1}, {esc::reason::greylisted, 2, 0}, {esc::reason::network, 1, 0}};
    r.statuses = {{esc::status_code{esc::status_class::permanent, 1, 1}, 1},
                  {esc::status_code{esc::status_class::transient, 7, 1}, 2}};
    named_counts odd;
    odd.name = "we\"ird\\dom\nain\xff.example"; // a quote, a backslash, a line feed, a stray byte
    odd.counts = {4, 1, 2, 1};
    named_counts plain;
    plain.name = "example.org";
    plain.counts = {6, 5, 1, 0};
    r.domains = {odd, plain};
    named_counts relay;
    relay.name = "mx.example.org[192.0.2.1]:25";
    relay.counts = {3, 0, 2, 1};
    r.relays = {relay};
    r.reject_reasons = {{"blocked", 7}};
    r.messages.received = 9;
    r.messages.open = 2;
    r.closed_messages = r.messages; // the counters read the closed ones
    r.delay = {5, 1.5, 30, 120.25, 300};
    r.last_time = 1764547200;
    return r;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.compare(0, line.size() + 1, line + "\n") == 0;
}

// What a client gets for `request` (the server closes after one answer).
std::string ask(const std::string& address, const std::string& request) {
    const std::size_t colon = address.rfind(':');
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0);
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    ::shutdown(fd, SHUT_WR);
    std::string got;
    char buf[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) break;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return got;
}

} // namespace

TEST_CASE("label values are escaped as the exposition format says") {
    std::string out;
    append_label_value(out, "a\"b\\c\nd\xff\xc3\xa9");
    CHECK(out == "a\\\"b\\\\c\\nd\xEF\xBF\xBD\xc3\xa9");
}

TEST_CASE("render_prometheus on a fixed report") {
    const std::string text = render_prometheus(sample_report(), 10);
    CHECK(has_line(text, "# TYPE esc_delivery_attempts_total counter"));
    CHECK(has_line(text, "esc_delivery_attempts_total{disposition=\"sent\"} 6"));
    CHECK(has_line(text, "esc_delivery_attempts_total{disposition=\"bounced\"} 1"));
    CHECK(has_line(text, "esc_lines_read_total 1000"));
    CHECK(has_line(text, "esc_bytes_read_total 123456"));
    CHECK(has_line(text, "esc_failures_total{reason=\"greylisted\",disposition=\"deferred\"} 2"));
    CHECK(has_line(text, "esc_failure_status_total{status=\"4.7.1\"} 2"));
    CHECK(has_line(text, "esc_domain_attempts_total{domain=\"we\\\"ird\\\\dom\\nain\xEF\xBF\xBD.example\","
                         "disposition=\"deferred\"} 2"));
    CHECK(has_line(text, "esc_relay_failures_total{relay=\"mx.example.org[192.0.2.1]:25\",disposition=\"bounced\"} 1"));
    CHECK(has_line(text, "esc_inbound_rejects_total{reason=\"blocked\"} 7"));
    CHECK(has_line(text, "esc_messages_total{state=\"received\"} 9"));
    CHECK(has_line(text, "esc_open_messages 2"));
    CHECK(has_line(text, "# TYPE esc_delivery_delay_seconds summary"));
    CHECK(has_line(text, "esc_delivery_delay_seconds{quantile=\"0.99\"} 120.25"));
    CHECK(has_line(text, "esc_delivery_delay_seconds_count 5"));
    CHECK(has_line(text, "esc_last_line_timestamp_seconds 1764547200"));
    // Each family's HELP and TYPE once, before its samples; no raw line feed in a sample.
    std::size_t helps = 0, types = 0, pos = 0;
    while ((pos = text.find("# HELP ", pos)) != std::string::npos) ++helps, ++pos;
    pos = 0;
    while ((pos = text.find("# TYPE ", pos)) != std::string::npos) ++types, ++pos;
    CHECK(helps == types);
    CHECK(text.back() == '\n');
    CHECK(text.find("esc_delivery_attempts_total{") > text.find("# TYPE esc_delivery_attempts_total"));
}

TEST_CASE("the top rows only") {
    scan_report r = sample_report();
    const std::string text = render_prometheus(r, 1);
    CHECK(text.find("example.org\"") == std::string::npos);
    CHECK(text.find("the 1 domains with the most failures only") != std::string::npos);
    r.delay.count = 0;
    CHECK(render_prometheus(r).find("esc_delivery_delay_seconds") == std::string::npos);
}

TEST_CASE("listen addresses") {
    listen_address a;
    std::string error;
    REQUIRE(parse_listen_address("127.0.0.1:9469", a, error));
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == "9469");
    REQUIRE(parse_listen_address(":9469", a, error));
    CHECK(a.host.empty());
    REQUIRE(parse_listen_address("[::1]:0", a, error));
    CHECK(a.host == "::1");
    CHECK(a.port == "0");
    REQUIRE(parse_listen_address("localhost:80", a, error));
    for (const char* bad : {"", "9469", "::1:80", "[::1]80", "[]:80", "host:", "host:65536", "host:12a", "host:123456"})
        CHECK_MESSAGE(!parse_listen_address(bad, a, error), bad);
}

TEST_CASE("the server: answers, errors, a stuck client") {
    metrics_server server;
    std::string error;
    REQUIRE(server.start({"127.0.0.1", "0"}, error));
    const std::string address = server.address();
    REQUIRE(address.rfind("127.0.0.1:", 0) == 0);
    CHECK(ask(address, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 503 ", 0) == 0);
    server.publish("esc_lines_read_total 1\n");
    // A client that connects and sends nothing does not hold the others.
    const int stuck = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    REQUIRE(::connect(stuck, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0);
    const std::string ok = ask(address, "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(ok.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(ok.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") != std::string::npos);
    CHECK(ok.find("Content-Length: 23\r\n") != std::string::npos);
    CHECK(ok.substr(ok.size() - 23) == "esc_lines_read_total 1\n");
    const std::string head = ask(address, "HEAD /metrics HTTP/1.0\r\n\r\n");
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
    CHECK(ask(address, "GET http://x:1/metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 200 ", 0) == 0);
    CHECK(ask(address, "GET / HTTP/1.1\r\n\r\n").find("/metrics") != std::string::npos);
    CHECK(ask(address, "GET /other HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 ", 0) == 0);
    CHECK(ask(address, "DELETE /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 405 ", 0) == 0);
    CHECK(ask(address, "\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, "GET /metrics SPDY/3\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, "GET /metrics\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, "GET /metrics HTTP/1.1x\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, "GET metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, "GET  /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(ask(address, std::string(20000, 'G')).rfind("HTTP/1.1 431 ", 0) == 0);
    CHECK(ask(address, "GET /metrics HTTP/1.1\r\n").empty()); // gone before the end of its header: no answer
    server.publish("esc_lines_read_total 2\n");
    const std::string later = ask(address, "GET /metrics HTTP/1.1\r\n\r\n");
    CHECK(later.substr(later.size() - 23) == "esc_lines_read_total 2\n");
    ::close(stuck);
    server.stop();
    server.stop(); // twice is harmless
}
