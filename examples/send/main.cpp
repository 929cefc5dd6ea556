// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc-send: a small SMTP client built on esc. It sends one message to one
// server and says, for each recipient, what a mail transfer agent would do:
// delivered, retry later (and why), or bounce (and why), and whether the next
// MX of the domain is worth trying.
//
//   esc-send --server 127.0.0.1 --port 2525 --from me@example.org
//            --size 2000 alice@example.test bob@example.test
//
// Every reply is read with esc::reply_reader (connection.hpp), classified with esc::classify
// (knowing which command it answers) and logged on one line with its
// description. Without ENHANCEDSTATUSCODES (Exim's default) the enhanced code
// is inferred by esc and marked so.

#include <esc/esc.hpp>
#include <esc/fmt.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "connection.hpp"

namespace esc_send {
namespace {

constexpr int exit_delivered = 0;     // every recipient accepted
constexpr int exit_not_delivered = 1; // some recipient deferred or bounced
constexpr int exit_usage = 2;

struct options {
    std::string host = "127.0.0.1";
    std::string port = "25";
    std::string helo;
    std::optional<std::string> from;
    std::vector<std::string> to;
    std::vector<std::string> raw;
    std::string message_file;
    std::optional<std::size_t> generate_size;
    bool declare_size = true;
    bool pipelining = true;
    bool json = false;
    double connect_timeout = 10;
    double timeout = 60;
    std::string transcript_file;
    std::string replies_file;
};

constexpr std::string_view usage_text =
    "usage: esc-send [options] [RECIPIENT...]\n"
    "  --server HOST          server to connect to (127.0.0.1)\n"
    "  --port PORT            port (25)\n"
    "  --helo NAME            name for EHLO/HELO (this host's name)\n"
    "  --from ADDRESS         envelope sender (required; \"\" for the null sender)\n"
    "  --to ADDRESS           a recipient (repeatable; positional arguments too)\n"
    "  --message FILE         the message (headers and body) to send\n"
    "  --size N               send a generated message of about N octets\n"
    "  --no-size              do not declare SIZE= on MAIL FROM, even if offered\n"
    "  --no-pipelining        one command at a time, even if PIPELINING is offered\n"
    "  --raw LINE             send LINE after EHLO and log its reply (repeatable)\n"
    "  --connect-timeout SEC  give up connecting after SEC seconds (10)\n"
    "  --timeout SEC          give up waiting for any one reply after SEC seconds (60)\n"
    "  --transcript FILE      write both directions of the session to FILE\n"
    "  --replies FILE         write the server's bytes, exactly as received, to FILE\n"
    "  --json                 JSON lines on stdout (replies, verdicts); the log goes to stderr\n"
    "exit status: 0 all delivered, 1 some recipient deferred or bounced, 2 usage error\n";

std::optional<double> parse_seconds(const std::string& s) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !(v > 0) || v > 86400) return std::nullopt;
    return v;
}

std::optional<std::size_t> parse_count(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) return std::nullopt;
    return static_cast<std::size_t>(std::strtoul(s.c_str(), nullptr, 10));
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// Returns an error message, or nothing when the options are usable.
std::optional<std::string> parse_options(int argc, char** argv, options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string& out) -> bool {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (arg == "--help" || arg == "-h") return std::string();
        if (arg == "--no-size") {
            o.declare_size = false;
        } else if (arg == "--no-pipelining") {
            o.pipelining = false;
        } else if (arg == "--json") {
            o.json = true;
        } else if (arg.rfind("--", 0) == 0) {
            if (!value(v)) return arg + " needs a value";
            if (arg == "--server") {
                o.host = v;
            } else if (arg == "--port") {
                o.port = v;
            } else if (arg == "--helo") {
                o.helo = v;
            } else if (arg == "--from") {
                o.from = v;
            } else if (arg == "--to") {
                o.to.push_back(v);
            } else if (arg == "--raw") {
                o.raw.push_back(v);
            } else if (arg == "--message") {
                o.message_file = v;
            } else if (arg == "--size") {
                o.generate_size = parse_count(v);
                if (!o.generate_size) return "--size wants a number of octets, not " + v;
            } else if (arg == "--connect-timeout" || arg == "--timeout") {
                const std::optional<double> s = parse_seconds(v);
                if (!s) return arg + " wants a number of seconds, not " + v;
                (arg == "--timeout" ? o.timeout : o.connect_timeout) = *s;
            } else if (arg == "--transcript") {
                o.transcript_file = v;
            } else if (arg == "--replies") {
                o.replies_file = v;
            } else {
                return "unknown option " + arg;
            }
        } else {
            o.to.push_back(arg);
        }
    }
    if (!o.from) return std::string("--from is required");
    if (o.to.empty() && o.raw.empty()) return std::string("no recipient (and no --raw command) given");
    if (!o.message_file.empty() && o.generate_size) return std::string("--message and --size exclude each other");
    if (has_line_break(*o.from) || has_line_break(o.helo)) return std::string("addresses and names are one line");
    for (const std::string& t : o.to)
        if (t.empty() || has_line_break(t)) return "bad recipient address: " + t;
    for (const std::string& r : o.raw)
        if (has_line_break(r)) return std::string("a --raw command is one line");
    return std::nullopt;
}

// --- the message ----------------------------------------------------------

std::string local_host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf;
}

// CRLF line ends throughout (a bare LF or CR becomes CRLF), ending in CRLF.
std::string normalise_line_ends(std::string_view in) {
    std::string out;
    out.reserve(in.size() + in.size() / 32 + 2);
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

std::string generate_message(const options& o, std::size_t target) {
    char date[64] = {};
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (::gmtime_r(&now, &tm) != nullptr) std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string m = fmt::format("From: <{}>\r\nTo: <{}>\r\nSubject: esc-send test message ({} octets)\r\n"
                                "Date: {}\r\nMessage-ID: <{}.{}@{}>\r\n\r\n",
                                *o.from, o.to.empty() ? std::string() : o.to.front(), target, date,
                                static_cast<long long>(now), static_cast<long>(::getpid()), o.helo);
    for (std::size_t line = 1; m.size() < target; ++line) {
        std::string l = fmt::format("line {:05} of a generated message", line);
        l.resize(76, '.');
        m += l;
        m += "\r\n";
    }
    return m;
}

// RFC 5321 section 4.5.2: a line starting with "." gets another one.
std::string dot_stuffed(std::string_view message) {
    std::string out;
    out.reserve(message.size() + 16);
    bool line_start = true;
    for (char c : message) {
        if (line_start && c == '.') out += '.';
        out += c;
        line_start = c == '\n';
    }
    return out;
}

// --- classification, logging and output ------------------------------------

std::string json_escaped(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += ch;
        }
    }
    return out;
}

// A reply's lines as one line of text: "250 mx Hello ... HELP".
std::string one_line(const esc::reply& r) {
    std::string text(r.text.size(), '\0');
    const std::string_view joined = esc::join_text(r, text.data(), text.data() + text.size());
    std::string out = fmt::format("{}", esc::to_int(r.code));
    if (r.status) out += fmt::format(" {}", *r.status);
    if (!joined.empty()) {
        out += ' ';
        out.append(joined);
    }
    return out;
}

// The line as it goes on the wire, for the log: the message body is not
// shown, only what it is.
struct sent_command {
    esc::command cmd = esc::command::unknown;
    std::string line;           // without CRLF
    int recipient = -1;         // index into options::to, for RCPT
};

enum class verdict_kind { delivered, retry, bounced };

constexpr std::string_view to_string(verdict_kind k) noexcept {
    switch (k) {
    case verdict_kind::delivered: return "delivered";
    case verdict_kind::retry: return "retry";
    case verdict_kind::bounced: return "bounced";
    }
    return "retry";
}

struct verdict {
    bool decided = false;
    verdict_kind kind = verdict_kind::retry;
    esc::classification cls;
    esc::command at = esc::command::unknown;
    int code = 0;       // the reply code, 0 when there was no reply
    std::string reply;  // the reply on one line, or what went wrong
    std::string advice;
    bool next_mx = false;
    std::string next_mx_why;
};

// What an MTA would do about the next MX host of the recipient's domain.
void decide_next_mx(verdict& v) {
    const esc::outcome o = v.cls.outcome;
    const bool session_stage = v.at == esc::command::connect || v.at == esc::command::helo ||
                               v.at == esc::command::ehlo || v.code == 421 || v.code == 0;
    if (v.kind == verdict_kind::delivered) {
        v.next_mx = false;
        v.next_mx_why = "not needed";
    } else if (session_stage) {
        // The host, not the recipient, failed: another MX may do better.
        v.next_mx = true;
        v.next_mx_why = o == esc::outcome::permanent
                            ? "yes, now: this host refused the session; bounce only if every MX does"
                            : "yes, now: this host failed the session, not the recipient";
    } else if (o == esc::outcome::permanent) {
        v.next_mx = false;
        v.next_mx_why = "no: a permanent refusal holds at every MX of the domain";
    } else if (v.cls.reason == esc::reason::too_many_recipients) {
        v.next_mx = false;
        v.next_mx_why = "no: send to this recipient in a new transaction on the same host now";
    } else {
        v.next_mx = false;
        v.next_mx_why = "no: the domain's server answered; queue and retry later, from the first MX";
    }
}

class session {
public:
    explicit session(const options& o) : o_(o), conn_(rec_), verdicts_(o.to.size()) {}

    int run();

private:
    clock::time_point reply_deadline() const {
        return clock::now() + std::chrono::milliseconds(static_cast<long long>(o_.timeout * 1000));
    }

    void log_line(const std::string& s) const {
        std::FILE* out = o_.json ? stderr : stdout;
        std::fputs(s.c_str(), out);
        std::fputc('\n', out);
        std::fflush(out);
    }

    void json_line(const std::string& s) const {
        if (!o_.json) return;
        std::fputs(s.c_str(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    }

    bool send_line(const sent_command& c) {
        return send_raw(c.line + "\r\n", c.line);
    }

    bool send_raw(const std::string& data, std::string_view shown) {
        if (!shown.empty()) {
            rec_.sent(shown);
            log_line(fmt::format("-> {}", shown));
        }
        send_problem_.clear();
        send_status_ = conn_.send_all(data, reply_deadline(), send_problem_);
        return send_status_ == io_status::ok;
    }

    // Why the last send_raw failed, as a reply that never came.
    received send_failure() const {
        received r;
        r.status = send_status_;
        r.problem = send_problem_;
        return r;
    }

    // Reads and logs the reply to c; classifies it knowing the command.
    received expect(const sent_command& c) { return expect(c, reply_deadline()); }

    received expect(const sent_command& c, clock::time_point deadline) {
        received r = conn_.read_reply(deadline);
        if (r.status != io_status::ok) {
            // A reply may still come, and would be taken for the next one's.
            out_of_sync_ = true;
            if (r.problem.empty()) r.problem = std::string(to_string(r.status));
            log_line(fmt::format("<- ({}) {}: {}", esc::to_string(c.cmd), to_string(r.status), r.problem));
            json_line(fmt::format(R"({{"event":"failure","command":"{}","sent":"{}","error":"{}","detail":"{}"}})",
                                  esc::to_string(c.cmd), json_escaped(c.line), to_string(r.status),
                                  json_escaped(r.problem)));
            return r;
        }
        const esc::classification k = esc::classify(r.reply, c.cmd);
        const esc::reply& rep = r.reply;
        std::string note;
        // RFC 2034 exempts the greeting and the replies to HELO and EHLO.
        if (!rep.status && enhanced_codes_ && c.cmd != esc::command::connect && c.cmd != esc::command::helo &&
            c.cmd != esc::command::ehlo && k.outcome != esc::outcome::intermediate)
            note = " [no enhanced code, though ENHANCEDSTATUSCODES was offered]";
        if (rep.warnings.bare_lf) note += " [bare LF line ends]";
        if (rep.warnings.class_mismatch) note += " [enhanced code of another class]";
        if (rep.warnings.line_too_long) note += " [line over 512 octets]";
        const std::string shown = one_line(rep);
        if (k.outcome == esc::outcome::success || k.outcome == esc::outcome::intermediate)
            log_line(fmt::format("<- {} | {} {:l}{}", shown, k.outcome, rep.code, note));
        else
            log_line(fmt::format("<- {} | {} {}: {:l}{}{}", shown, k.outcome, k.reason, k.status,
                                 k.inferred ? " (inferred: no enhanced code sent)" : "", note));
        json_line(fmt::format(R"({{"event":"reply","command":"{}","sent":"{}","code":{},"status":"{}",)"
                              R"("inferred":{},"outcome":"{}","reason":"{}","lines":{},"text":"{}"}})",
                              esc::to_string(c.cmd), json_escaped(c.line), esc::to_int(rep.code), k.status,
                              k.inferred ? "true" : "false", k.outcome, k.reason, rep.line_count,
                              json_escaped(shown)));
        if (esc::to_int(rep.code) == 421) closing_ = true;
        return r;
    }

    // Sets the verdict of recipient i from a reply (or its absence).
    void decide(std::size_t i, const sent_command& c, const received& r) {
        verdict& v = verdicts_[i];
        if (v.decided) return;
        v.decided = true;
        v.at = c.cmd;
        if (r.status == io_status::ok) {
            v.cls = esc::classify(r.reply, c.cmd);
            v.code = esc::to_int(r.reply.code);
            v.reply = one_line(r.reply);
        } else if (r.status == io_status::malformed) {
            // Not SMTP, or not in step: 4.5.0, other protocol status.
            v.cls = {esc::outcome::transient, esc::reason::protocol, {esc::status_class::transient, 5, 0}, true,
                     esc::verdict::soft, {}};
            v.code = 0;
            v.reply = r.problem;
            v.advice = "the server is out of step or does not speak SMTP; try another host";
        } else {
            // No reply to go by: the connection failed. RFC 3463 has codes
            // for that (4.4.1 no answer, 4.4.2 bad connection), as an MTA
            // would put in its delay notice.
            v.cls.outcome = esc::outcome::transient;
            v.cls.reason = esc::reason::network;
            v.cls.status = connected_ ? esc::status_code{esc::status_class::transient, 4, 2}
                                      : esc::status_code{esc::status_class::transient, 4, 1};
            v.cls.inferred = true;
            v.code = 0;
            v.reply = r.problem.empty() ? std::string(to_string(r.status)) : r.problem;
        }
        if (v.advice.empty()) v.advice = std::string(esc::advice(v.cls.outcome, v.cls.reason));
        switch (v.cls.outcome) {
        case esc::outcome::success: v.kind = verdict_kind::delivered; break;
        case esc::outcome::permanent: v.kind = verdict_kind::bounced; break;
        default: v.kind = verdict_kind::retry; break;
        }
        decide_next_mx(v);
    }

    void decide_all(const sent_command& c, const received& r) {
        for (std::size_t i = 0; i < verdicts_.size(); ++i) decide(i, c, r);
    }

    bool ehlo();
    void transaction();
    void quit();
    int report();

    const options& o_;
    recorder rec_;
    connection conn_;
    std::vector<verdict> verdicts_;
    io_status send_status_ = io_status::ok;
    std::string send_problem_;
    bool enhanced_codes_ = false;
    bool pipelining_ = false;
    bool closing_ = false;   // the server said 421: it is closing the connection
    bool connected_ = false; // the TCP connection was made
    bool out_of_sync_ = false; // a reply did not come (in time, or at all): no further command makes sense
    std::optional<std::size_t> size_limit_;
    std::string message_;
};

// EHLO, or HELO where EHLO is refused; notes the extensions that matter here.
bool session::ehlo() {
    sent_command c{esc::command::ehlo, "EHLO " + o_.helo, -1};
    if (!send_line(c)) {
        decide_all(c, send_failure());
        return false;
    }
    received r = expect(c);
    if (r.status == io_status::ok && esc::class_of(r.reply.code) == esc::reply_class::permanent_negative && !closing_) {
        log_line("   EHLO refused: falling back to HELO (no extensions)");
        c = {esc::command::helo, "HELO " + o_.helo, -1};
        if (!send_line(c)) {
            decide_all(c, send_failure());
            return false;
        }
        r = expect(c);
    }
    if (r.status != io_status::ok || esc::class_of(r.reply.code) != esc::reply_class::positive_completion) {
        decide_all(c, r);
        return false;
    }
    if (c.cmd == esc::command::helo) return true;
    // esc::parse_ehlo reads the capabilities; listed in the server's order.
    const esc::ehlo_info ehlo = esc::parse_ehlo(r.reply);
    std::string offered;
    for (const esc::ehlo_capability cap : ehlo.capabilities()) {
        switch (cap.known) {
        case esc::ehlo_keyword::enhancedstatuscodes:
            enhanced_codes_ = true;
            offered += " ENHANCEDSTATUSCODES";
            break;
        case esc::ehlo_keyword::pipelining:
            pipelining_ = o_.pipelining;
            offered += " PIPELINING";
            break;
        case esc::ehlo_keyword::size:
            if (size_limit_) break; // the first SIZE line counts, as parse_ehlo reads it
            size_limit_ = static_cast<std::size_t>(ehlo.max_size);
            offered += fmt::format(" SIZE {}", *size_limit_);
            break;
        case esc::ehlo_keyword::starttls:
            offered += " STARTTLS";
            break;
        default: break;
        }
    }
    if (ehlo.has(esc::ehlo_keyword::starttls))
        log_line("   STARTTLS offered; esc-send has no TLS and goes on in the clear");
    log_line(fmt::format("   server offers:{}", offered.empty() ? " (none of SIZE, PIPELINING, ENHANCEDSTATUSCODES, STARTTLS)" : offered));
    if (!enhanced_codes_) log_line("   no ENHANCEDSTATUSCODES: esc infers the enhanced code of each reply");
    if (size_limit_ && *size_limit_ > 0 && message_.size() > *size_limit_)
        log_line(fmt::format("   the message ({} octets) is over the server's SIZE {}; sending it anyway", message_.size(),
                             *size_limit_));
    return true;
}

// MAIL, RCPT for each recipient, DATA, the message. With PIPELINING, MAIL,
// the RCPTs and DATA go in one write and their replies are read in order
// (RFC 2920); otherwise one command waits for the previous reply.
void session::transaction() {
    std::vector<sent_command> cmds;
    std::string mail = "MAIL FROM:<" + *o_.from + ">";
    if (size_limit_ && o_.declare_size) mail += fmt::format(" SIZE={}", message_.size());
    cmds.push_back({esc::command::mail, mail, -1});
    for (std::size_t i = 0; i < o_.to.size(); ++i)
        cmds.push_back({esc::command::rcpt, "RCPT TO:<" + o_.to[i] + ">", static_cast<int>(i)});
    cmds.push_back({esc::command::data, "DATA", -1});

    if (pipelining_) {
        std::string batch;
        for (const sent_command& c : cmds) {
            rec_.sent(c.line);
            log_line(fmt::format("-> {}", c.line));
            batch += c.line + "\r\n";
        }
        if (!send_raw(batch, {})) {
            decide_all(cmds.front(), send_failure());
            return;
        }
    }

    std::optional<received> mail_reply;
    std::size_t accepted = 0;
    for (const sent_command& c : cmds) {
        if (!pipelining_) {
            // One at a time: stop where the rest cannot succeed.
            if (c.cmd == esc::command::rcpt && mail_reply &&
                esc::class_of(mail_reply->reply.code) != esc::reply_class::positive_completion)
                break;
            if (c.cmd == esc::command::data && accepted == 0) break;
            if (!conn_.unread().empty()) {
                // A reply nobody asked for: every later reply would be taken
                // for the wrong command's. Stop here.
                received stray;
                stray.status = io_status::malformed;
                stray.problem = fmt::format("the server sent {} octets before {} (out of step)",
                                            conn_.unread().size(), esc::to_string(c.cmd));
                log_line(fmt::format("   {}", stray.problem));
                out_of_sync_ = true;
                decide_all(c, stray);
                return;
            }
            if (!send_line(c)) {
                decide_all(c, send_failure());
                return;
            }
        }
        received r = expect(c);
        if (r.status != io_status::ok || closing_) {
            decide_all(c, r); // no reply, or 421: the session ends for every recipient still open
            return;
        }
        const bool ok = esc::class_of(r.reply.code) == esc::reply_class::positive_completion;
        if (c.cmd == esc::command::mail) {
            if (!ok) decide_all(c, r); // the sender was refused: every recipient shares that fate
            mail_reply = r;
        } else if (c.cmd == esc::command::rcpt) {
            if (ok)
                ++accepted;
            else
                decide(static_cast<std::size_t>(c.recipient), c, r);
        } else if (c.cmd == esc::command::data) {
            if (ok) {
                // 2yz to DATA: the server did not ask for the message, so it
                // was not delivered, whatever the code says.
                r.status = io_status::malformed;
                r.problem = "DATA answered with " + one_line(r.reply) + " instead of 354 (out of step)";
                log_line(fmt::format("   {}", r.problem));
                out_of_sync_ = true;
                decide_all(c, r);
                return;
            }
            if (esc::to_int(r.reply.code) != 354) {
                decide_all(c, r); // the recipients accepted so far get DATA's refusal
                return;
            }
            if (accepted == 0) {
                // DATA accepted with no recipient (a pipelining server
                // should have refused it): an empty message ends it.
                rec_.note("DATA accepted with no recipient: ending it empty");
                send_raw(".\r\n", ".");
                expect({esc::command::end_of_data, ".", -1});
                return;
            }
            rec_.note(fmt::format("the message: {} octets", message_.size()));
            log_line(fmt::format("-> (the message, {} octets)", message_.size()));
            sent_command eod{esc::command::end_of_data, ".", -1};
            if (!send_raw(dot_stuffed(message_), {}) || !send_raw(".\r\n", ".")) {
                // The server may have said why before it closed.
                received late = expect(eod, clock::now() + std::chrono::seconds(2));
                if (late.status != io_status::ok) late.problem = send_problem_;
                decide_all(eod, late);
                return;
            }
            decide_all(eod, expect(eod));
            return;
        }
    }
}

void session::quit() {
    if (!conn_.is_open() || closing_ || out_of_sync_) return;
    const sent_command q{esc::command::quit, "QUIT", -1};
    if (!send_line(q)) return;
    received r = conn_.read_reply(clock::now() + std::chrono::milliseconds(
                                                    static_cast<long long>(std::min(o_.timeout, 5.0) * 1000)));
    if (r.status == io_status::ok)
        log_line(fmt::format("<- {} | {:l}", one_line(r.reply), r.reply.code));
    else
        log_line(fmt::format("<- (quit) {}", r.problem));
}

int session::report() {
    bool all_delivered = true;
    for (std::size_t i = 0; i < verdicts_.size(); ++i) {
        verdict& v = verdicts_[i];
        if (!v.decided) { // the session ended before this recipient was answered
            v.decided = true;
            v.kind = verdict_kind::retry;
            v.cls.outcome = esc::outcome::transient;
            v.cls.reason = esc::reason::network;
            v.cls.status = {esc::status_class::transient, 4, 2};
            v.cls.inferred = true;
            v.reply = "no answer for this recipient";
            v.advice = std::string(esc::advice(v.cls.outcome, v.cls.reason));
            decide_next_mx(v);
        }
        if (v.kind != verdict_kind::delivered) all_delivered = false;
        const std::string status = esc::is_valid(v.cls.status) ? fmt::format("{}", v.cls.status) : std::string();
        if (v.kind == verdict_kind::delivered)
            log_line(fmt::format("{}: delivered ({})", o_.to[i], v.reply));
        else
            log_line(fmt::format("{}: {} ({} {}, {}{}, at {}): {}; {}; next MX: {}", o_.to[i],
                                 v.kind == verdict_kind::retry ? "retry later" : "bounced", v.cls.outcome,
                                 v.cls.reason, status, v.cls.inferred ? " inferred" : "", esc::to_string(v.at),
                                 v.reply, v.advice, v.next_mx_why));
        json_line(fmt::format(R"({{"event":"recipient","recipient":"{}","verdict":"{}","outcome":"{}","reason":"{}",)"
                              R"("status":"{}","inferred":{},"command":"{}","code":{},"next_mx":{},)"
                              R"("reply":"{}","advice":"{}","next_mx_why":"{}"}})",
                              json_escaped(o_.to[i]), to_string(v.kind), v.cls.outcome, v.cls.reason, status,
                              v.cls.inferred ? "true" : "false", esc::to_string(v.at), v.code,
                              v.next_mx ? "true" : "false", json_escaped(v.reply),
                              json_escaped(v.advice), json_escaped(v.next_mx_why)));
    }
    return all_delivered ? exit_delivered : exit_not_delivered;
}

int session::run() {
    if (!o_.message_file.empty()) {
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(o_.message_file.c_str(), "rb"), &std::fclose);
        if (!f) {
            std::fprintf(stderr, "esc-send: cannot read %s\n", o_.message_file.c_str());
            return exit_usage;
        }
        std::string text;
        char buf[8192];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) text.append(buf, n);
        message_ = normalise_line_ends(text);
    } else {
        message_ = generate_message(o_, o_.generate_size.value_or(300));
    }

    std::unique_ptr<std::FILE, int (*)(std::FILE*)> transcript(nullptr, &std::fclose);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> replies(nullptr, &std::fclose);
    if (!o_.transcript_file.empty()) {
        transcript.reset(std::fopen(o_.transcript_file.c_str(), "wb"));
        if (!transcript) {
            std::fprintf(stderr, "esc-send: cannot write %s\n", o_.transcript_file.c_str());
            return exit_usage;
        }
        rec_.transcript = transcript.get();
    }
    if (!o_.replies_file.empty()) {
        replies.reset(std::fopen(o_.replies_file.c_str(), "wb"));
        if (!replies) {
            std::fprintf(stderr, "esc-send: cannot write %s\n", o_.replies_file.c_str());
            return exit_usage;
        }
        rec_.replies = replies.get();
    }

    const sent_command connect{esc::command::connect, "(connect to " + o_.host + " port " + o_.port + ")", -1};
    log_line(fmt::format("-- connecting to {} port {}", o_.host, o_.port));
    std::string problem;
    const io_status c = conn_.open(o_.host, o_.port,
                                   clock::now() + std::chrono::milliseconds(static_cast<long long>(o_.connect_timeout * 1000)),
                                   problem);
    if (c != io_status::ok) {
        received none;
        none.status = c;
        none.problem = problem;
        log_line(fmt::format("<- (connect) {}", problem));
        json_line(fmt::format(R"({{"event":"failure","command":"connect","sent":"","error":"{}","detail":"{}"}})",
                              to_string(c), json_escaped(problem)));
        decide_all(connect, none);
        return report();
    }

    connected_ = true;
    const received greeting = expect(connect);
    const bool greeted =
        greeting.status == io_status::ok && esc::class_of(greeting.reply.code) == esc::reply_class::positive_completion;
    if (!greeted) {
        decide_all(connect, greeting);
    } else if (ehlo()) {
        for (const std::string& line : o_.raw) {
            const std::string_view verb = std::string_view(line).substr(0, line.find(' '));
            const sent_command raw{esc::parse_command(verb).value_or(esc::command::unknown), line, -1};
            if (!send_line(raw)) {
                decide_all(raw, send_failure());
                break;
            }
            const received r = expect(raw);
            if (r.status != io_status::ok || closing_) {
                decide_all(raw, r); // the session is over before the first recipient
                break;
            }
        }
        if (!o_.to.empty() && conn_.is_open() && !closing_ && !out_of_sync_) transaction();
    }
    quit();
    rec_.flush();
    conn_.close();
    return report();
}

} // namespace
} // namespace esc_send

int main(int argc, char** argv) {
    esc_send::options o;
    if (const std::optional<std::string> err = esc_send::parse_options(argc, argv, o)) {
        if (err->empty()) {
            std::fputs(esc_send::usage_text.data(), stdout);
            return 0;
        }
        std::fprintf(stderr, "esc-send: %s\n%s", err->c_str(), esc_send::usage_text.data());
        return esc_send::exit_usage;
    }
    if (o.helo.empty()) o.helo = esc_send::local_host_name();
    try {
        esc_send::session s(o);
        return s.run();
    } catch (const std::exception& e) { // allocation failure is all that can throw
        std::fprintf(stderr, "esc-send: %s\n", e.what());
        return esc_send::exit_not_delivered;
    }
}
