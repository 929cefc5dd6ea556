// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// examples/send (esc-send) against scripted servers that misbehave in the
// ways real ones do: replies dripped byte by byte, bare LF, no greeting, a
// greeting that refuses, garbage, a reply cut off, a connection reset in the
// middle of DATA, replies out of step. Every session must end in a verdict
// for each recipient, from a normal exit: no crash, no hang, and never
// "delivered" for a message the server did not take.
//
// Each server is a forked child that accepts one connection and plays its
// script; esc-send (ESC_SEND_PATH) runs with --json and its verdicts are read
// from stdout.

#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

struct step {
    enum kind { say, drip, await_line, await_message, pause_ms, reset } what;
    std::string text{};
};

step say(std::string s) { return {step::say, std::move(s)}; }
step drip(std::string s) { return {step::drip, std::move(s)}; }
step line() { return {step::await_line}; }
step message() { return {step::await_message}; }
step pause_ms(int ms) { return {step::pause_ms, std::to_string(ms)}; }
step reset() { return {step::reset}; }

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        const ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
        if (n <= 0) return;
        s.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Reads until `end` has arrived (or the peer is gone).
void read_through(int fd, std::string& buf, std::string_view end) {
    while (true) {
        const std::size_t at = buf.find(end);
        if (at != std::string::npos) {
            buf.erase(0, at + end.size());
            return;
        }
        char tmp[4096];
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return;
        buf.append(tmp, static_cast<std::size_t>(n));
    }
}

[[noreturn]] void play(int listener, const std::vector<step>& script) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) ::_exit(2);
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) ::_exit(2);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string buf;
    for (const step& s : script) {
        switch (s.what) {
        case step::say: write_all(fd, s.text); break;
        case step::drip:
            for (char c : s.text) {
                write_all(fd, std::string_view(&c, 1));
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            break;
        case step::await_line: read_through(fd, buf, "\r\n"); break;
        case step::await_message: read_through(fd, buf, "\r\n.\r\n"); break;
        case step::pause_ms: std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(s.text))); break;
        case step::reset: {
            linger l{1, 0}; // close with RST
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            ::close(fd);
            ::_exit(0);
        }
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::close(fd);
    ::_exit(0);
}

struct session_result {
    bool exited = false; // by exit(), not by a signal
    int status = -1;
    std::string out;     // esc-send's stdout: JSON lines
};

// Runs esc-send against `script` (or against a port nothing listens on when
// the script is empty and `listen` is false).
session_result run(const std::vector<step>& script, std::vector<std::string> args, bool listen = true) {
    session_result r;
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    const std::string port = std::to_string(ntohs(addr.sin_port));
    pid_t server = -1;
    if (listen) {
        REQUIRE(::listen(listener, 1) == 0);
        server = ::fork();
        REQUIRE(server >= 0);
        if (server == 0) play(listener, script);
    }
    if (!listen) ::close(listener); // the port is now (almost certainly) refused

    std::vector<std::string> argv_s = {ESC_SEND_PATH, "--server", "127.0.0.1", "--port", port, "--from",
                                       "sender@client.test", "--helo", "client.test", "--json",
                                       "--timeout", "1", "--connect-timeout", "2"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    // Under the sanitizers a finding must not pass for exit status 1.
    ::setenv("ASAN_OPTIONS", "exitcode=86", 0);
    ::setenv("UBSAN_OPTIONS", "exitcode=86:print_stacktrace=1", 0);
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t client = -1;
    const int rc = ::posix_spawn(&client, ESC_SEND_PATH, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    REQUIRE(rc == 0);
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) r.out.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(client, &status, 0);
    r.exited = WIFEXITED(status);
    r.status = r.exited ? WEXITSTATUS(status) : -1;
    if (server > 0) {
        ::kill(server, SIGKILL);
        ::waitpid(server, nullptr, 0);
    }
    if (listen) ::close(listener);
    return r;
}

std::string verdict_line(const session_result& r, std::string_view rcpt) {
    const std::string key = std::string(R"("event":"recipient","recipient":")") + std::string(rcpt) + "\"";
    const std::size_t at = r.out.find(key);
    if (at == std::string::npos) return {};
    const std::size_t end = r.out.find('\n', at);
    return r.out.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The verdict for rcpt has every "name":value given.
void check_verdict(const session_result& r, std::string_view rcpt, std::initializer_list<std::string_view> fields) {
    CAPTURE(r.out);
    CHECK(r.exited);
    CHECK((r.status == 0 || r.status == 1));
    const std::string v = verdict_line(r, rcpt);
    REQUIRE_FALSE(v.empty());
    for (std::string_view f : fields) {
        CAPTURE(f);
        CHECK(v.find(f) != std::string::npos);
    }
}

const std::string ehlo_plain = "250-mx.test\r\n250 SIZE 100000\r\n";
const std::string ehlo_pipelining = "250-mx.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE 100000\r\n";

} // namespace

TEST_SUITE("send") {

TEST_CASE("multi-line replies dripped a byte at a time, pipelined, are read whole") {
    const session_result r = run({drip("220-mx.test ESMTP\r\n220 hello\r\n"), line(), drip(ehlo_pipelining),
                                  line(), line(), line(), line(),
                                  drip("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n"), message(),
                                  drip("250 2.0.0 Ok: queued\r\n"), line(), say("221 2.0.0 Bye\r\n")},
                                 {"a@example.test", "b@example.test"});
    check_verdict(r, "a@example.test", {R"("verdict":"delivered")", R"("status":"2.0.0")", R"("inferred":false)"});
    check_verdict(r, "b@example.test", {R"("verdict":"delivered")"});
    CHECK(r.status == 0);
    CHECK(r.out.find(R"("command":"ehlo","sent":"EHLO client.test","code":250,"status":"2.0.0","inferred":true,)"
                     R"("outcome":"success","reason":"none","lines":4)") != std::string::npos);
}

TEST_CASE("capabilities are read by esc::parse_ehlo: any case, STARTTLS offered beside them") {
    // The server reads MAIL, RCPT and DATA before it answers: only a client
    // that saw "pipelining" (lower case) gets through without a timeout.
    const session_result r = run({say("220 mx.test\r\n"), line(),
                                  say("250-mx.test\r\n250-starttls\r\n250-pipelining\r\n250 size 100000\r\n"), line(),
                                  line(), line(), say("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n"), message(),
                                  say("250 2.0.0 Ok: queued\r\n"), line(), say("221 2.0.0 Bye\r\n")},
                                 {"a@example.test"});
    check_verdict(r, "a@example.test", {R"("verdict":"delivered")"});
    CHECK(r.status == 0);
}

TEST_CASE("one command at a time when PIPELINING is not offered; codes inferred when none are sent") {
    const session_result r =
        run({say("220 mx.test\r\n"), line(), say(ehlo_plain), line(), say("250 OK\r\n"), line(),
             say("550 no such user here\r\n"), line(), say("250 Accepted\r\n"), line(), say("354 go\r\n"), message(),
             say("250 OK id=1\r\n"), line(), say("221 bye\r\n")},
            {"ghost@example.test", "alice@example.test"});
    check_verdict(r, "ghost@example.test",
                  {R"("verdict":"bounced")", R"("outcome":"permanent")", R"("reason":"mailbox_unknown")",
                   R"("status":"5.0.0")", R"("inferred":true)", R"("command":"rcpt")", R"("next_mx":false)"});
    check_verdict(r, "alice@example.test", {R"("verdict":"delivered")", R"("status":"2.0.0")"});
    CHECK(r.status == 1);
}

TEST_CASE("bare LF line ends are accepted") {
    const session_result r = run({say("220 mx.test\n"), line(), say("250-mx.test\n250 SIZE 100000\n"), line(),
                                  say("250 OK\n"), line(), say("250 OK\n"), line(), say("354 go\n"), message(),
                                  say("250 OK\n"), line(), say("221 bye\n")},
                                 {"a@example.test"});
    check_verdict(r, "a@example.test", {R"("verdict":"delivered")"});
}

TEST_CASE("EHLO refused: HELO, and no extensions") {
    const session_result r =
        run({say("220 mx.test\r\n"), line(), say("502 5.5.2 command not implemented\r\n"), line(),
             say("250 mx.test\r\n"), line(), say("250 OK\r\n"), line(), say("250 OK\r\n"), line(), say("354 go\r\n"),
             message(), say("250 OK\r\n"), line(), say("221 bye\r\n")},
            {"a@example.test"});
    check_verdict(r, "a@example.test", {R"("verdict":"delivered")"});
    CHECK(r.out.find(R"("command":"helo","sent":"HELO client.test","code":250)") != std::string::npos);
}

TEST_CASE("nothing listening: transient, try the next MX") {
    const session_result r = run({}, {"a@example.test"}, false);
    check_verdict(r, "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("status":"4.4.1")", R"("command":"connect")",
                   R"("next_mx":true)"});
}

TEST_CASE("closed before the greeting, or no greeting in time: transient") {
    check_verdict(run({}, {"a@example.test"}), "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("status":"4.4.2")", R"("next_mx":true)"});
    check_verdict(run({pause_ms(2500)}, {"a@example.test"}), "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("command":"connect")", R"("next_mx":true)"});
}

TEST_CASE("a greeting that refuses: 554 bounces at this host, 421 defers; both try the next MX") {
    check_verdict(run({say("554 5.3.2 No SMTP service here\r\n"), line(), say("221 bye\r\n")}, {"a@example.test"}),
                  "a@example.test",
                  {R"("verdict":"bounced")", R"("outcome":"permanent")", R"("code":554)", R"("command":"connect")",
                   R"("next_mx":true)"});
    check_verdict(run({say("421 4.3.2 System not accepting network messages\r\n")}, {"a@example.test"}),
                  "a@example.test",
                  {R"("verdict":"retry")", R"("outcome":"transient")", R"("code":421)", R"("next_mx":true)"});
}

TEST_CASE("not SMTP at all, a reply without end, mixed codes, a bare CR: the session stops, transient") {
    const std::vector<std::vector<step>> scripts = {
        {say("HTTP/1.1 400 Bad Request\r\n\r\n")},
        {say("220 " + std::string(100000, 'x') + "\r\n")},
        {say("220 mx.test\r\n"), line(), say("250-mx.test\r\n550 oops\r\n")},
        {say("220 hi\rthere\r\n")},
    };
    for (const std::vector<step>& script : scripts) {
        const session_result r = run(script, {"a@example.test"});
        check_verdict(r, "a@example.test",
                      {R"("verdict":"retry")", R"("outcome":"transient")", R"("reason":"protocol")",
                       R"("status":"4.5.0")", R"("next_mx":true)"});
    }
}

TEST_CASE("a reply cut off by a closed connection") {
    const session_result r = run({say("220 mx.test\r\n"), line(), say("250-mx.test\r\n250-PIPE")}, {"a@example.test"});
    check_verdict(r, "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("command":"ehlo")", R"("next_mx":true)"});
}

TEST_CASE("421 in reply to RCPT ends the session for every recipient") {
    const session_result r =
        run({say("220 mx.test\r\n"), line(), say(ehlo_plain), line(), say("250 OK\r\n"), line(), say("250 OK\r\n"),
             line(), say("421 4.4.5 shutting down\r\n")},
            {"a@example.test", "b@example.test"});
    check_verdict(r, "a@example.test", {R"("verdict":"retry")", R"("code":421)", R"("next_mx":true)"});
    check_verdict(r, "b@example.test", {R"("verdict":"retry")", R"("code":421)", R"("next_mx":true)"});
}

TEST_CASE("a connection reset in the middle of DATA is not a delivery") {
    const session_result r =
        run({say("220 mx.test\r\n"), line(), say(ehlo_plain), line(), say("250 OK\r\n"), line(), say("250 OK\r\n"),
             line(), say("354 go\r\n"), line(), reset()},
            {"--size", "60000", "a@example.test"});
    check_verdict(r, "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("command":"end_of_data")"});
}

TEST_CASE("no reply to the message in time: transient, not delivered") {
    const session_result r =
        run({say("220 mx.test\r\n"), line(), say(ehlo_plain), line(), say("250 OK\r\n"), line(), say("250 OK\r\n"),
             line(), say("354 go\r\n"), message(), pause_ms(2500)},
            {"a@example.test"});
    check_verdict(r, "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"network")", R"("status":"4.4.2")", R"("code":0)",
                   R"("command":"end_of_data")"});
}

TEST_CASE("replies out of step are never taken for a delivery") {
    // An extra reply after EHLO.
    check_verdict(run({say("220 mx.test\r\n"), line(), say("250 mx.test\r\n250 and another\r\n"), line(),
                       say("250 OK\r\n"), line(), say("250 OK\r\n"), line(), say("250 OK\r\n")},
                      {"a@example.test"}),
                  "a@example.test", {R"("verdict":"retry")", R"("reason":"protocol")", R"("status":"4.5.0")"});
    // DATA answered 250 instead of 354.
    check_verdict(run({say("220 mx.test\r\n"), line(), say(ehlo_plain), line(), say("250 OK\r\n"), line(),
                       say("250 OK\r\n"), line(), say("250 OK\r\n"), line()},
                      {"a@example.test"}),
                  "a@example.test",
                  {R"("verdict":"retry")", R"("reason":"protocol")", R"("command":"data")"});
}

TEST_CASE("usage errors exit 2 and send nothing") {
    const session_result r = run({}, {"--size", "lots", "a@example.test"}, false);
    CHECK(r.exited);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
}

} // TEST_SUITE
