// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc scan: the delivery attempts in Postfix, Exim and sendmail logs, and a
// summary of the failures: by reason, by recipient domain, by status code.
//
// Built for large logs: lines come from read_lines() as views into big
// blocks, parse_log_event_into() turns most of them away by the bytes after
// the queue ID or their '=' signs, and nothing is allocated per line. A sent
// delivery is only counted, unless its details are printed (--json,
// --attempts); failures are classified with esc::classify().
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <esc/classify.hpp>
#include <esc/reason.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/status.hpp>
#include <esc/version.hpp>

#include "address_mask.hpp"
#include "cli.hpp"
#include "html_report.hpp"
#include "input.hpp"
#include "count_tables.hpp"
#include "log_parser.hpp"
#include "log_time.hpp"
#include "message_joins.hpp"
#include "metrics.hpp"
#include "records.hpp"
#include "scan_report.hpp"
#include "text_memo.hpp"

namespace esc_cli {

namespace {

struct scan_options {
    std::vector<std::string> files;
    bool json = false;
    bool attempts = false;
    bool no_progress = false;
    bool follow = false;
    std::size_t top = 10;
    std::string html; // --html FILE: the report as a page, written at the end
    std::string since, until;       // --since / --until, as given
    std::string time_table = "auto"; // --time-table: auto, hour, day, none
    std::size_t max_open = 500000;   // --max-open: the cap on messages tracked at once
    std::optional<std::int64_t> since_time, until_time;
    double interval = 10;     // seconds between summaries when following without --json or -a
    std::string metrics;      // HOST:PORT to serve Prometheus metrics on
    std::size_t jobs = 0;     // -j: threads reading a file; 0: the cores available
};

// Set by SIGINT and SIGTERM while following or serving metrics: the input
// ends there (input_stream looks at it) and the final summary is printed.
volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_stop_signal(int) { stop_requested = 1; }

constexpr std::size_t kind_count = static_cast<std::size_t>(disposition_kind::malformed) + 1;

constexpr std::uint32_t status_key(esc::status_code s) noexcept {
    return static_cast<std::uint32_t>(s.cls) * 1000000u + s.subject * 1000u + s.detail;
}

constexpr esc::status_code status_from_key(std::uint32_t k) noexcept {
    return {static_cast<esc::status_class>(k / 1000000u), static_cast<std::uint16_t>(k / 1000u % 1000u),
            static_cast<std::uint16_t>(k % 1000u)};
}

// One host, one row, whichever MTA logged it: Postfix's
// "mx.example.com[192.0.2.1]:25" and Exim's "mx.example.com. [192.0.2.1]"
// both become "mx.example.com[192.0.2.1]" (the root's dot and the SMTP port
// dropped; another port is kept). Clients come without their port already
// (log_parser's client_identity()). `buffer` holds the result.
std::string_view host_key(std::string_view host_and_address, char (&buffer)[256]) {
    const std::size_t bracket = host_and_address.find('[');
    if (bracket == std::string_view::npos) return host_and_address;
    std::string_view host = host_and_address.substr(0, bracket);
    std::string_view address = host_and_address.substr(bracket);
    while (!host.empty() && (host.back() == ' ' || host.back() == '.')) host.remove_suffix(1);
    if (address.size() > 3 && address.substr(address.size() - 3) == ":25") address.remove_suffix(3);
    if (host.size() + address.size() > sizeof buffer) return host_and_address;
    std::memcpy(buffer, host.data(), host.size());
    std::memcpy(buffer + host.size(), address.data(), address.size());
    return std::string_view(buffer, host.size() + address.size());
}

// What esc makes of one delivery line.
struct verdict {
    esc::outcome outcome = esc::outcome::unknown;
    esc::reason reason = esc::reason::other;
    std::optional<esc::reply_code> code;
    std::optional<esc::status_code> status; // the server's enhanced code, else the MTA's dsn=
    std::string_view reply;                 // the reply found in the text, for --attempts
};

esc::outcome outcome_of(disposition_kind k) {
    switch (k) {
    case disposition_kind::sent: return esc::outcome::success;
    case disposition_kind::deferred: return esc::outcome::transient;
    case disposition_kind::bounced: return esc::outcome::permanent;
    default: return esc::outcome::unknown;
    }
}

// The reply in the text, classified with the library; the MTA's dsn= stands
// in for an enhanced code the server did not send, and the disposition for an
// outcome nothing else gives (a connection that timed out has no reply).
verdict judge(const delivery_attempt& a, bool details, const esc::rule_set* rules) {
    verdict v;
    if (a.kind == disposition_kind::sent && !details) {
        v.outcome = esc::outcome::success;
        v.reason = esc::reason::none;
        return v;
    }
    const std::optional<esc::reply> r = esc::find_reply(a.text);
    const std::optional<esc::status_code> dsn = esc::parse_status(a.dsn);
    if (r) {
        v.code = r->code;
        v.reply = r->raw;
    }
    v.status = r && r->status ? r->status : dsn;
    if (!v.status && !r)
        if (const auto m = esc::find_status(a.text)) v.status = m->status;
    if (a.kind == disposition_kind::sent) {
        v.outcome = esc::outcome::success;
        v.reason = esc::reason::none;
        return v;
    }
    // The reply found, with the status as logged, its phrases read over the whole
    // text ("after RCPT TO:" comes before the reply in Exim's lines). In all three
    // formats the reply runs to the end of the text, which makes this what
    // esc::classify(a.text) does, without finding the reply a second time.
    esc::reply given;
    if (r) given.code = r->code;
    given.status = v.status;
    given.raw = a.text;
    const esc::classification c = rules != nullptr ? esc::classify(given, *rules) : esc::classify(given);
    v.outcome = c.outcome != esc::outcome::unknown ? c.outcome : outcome_of(a.kind);
    v.reason = c.reason;
    if (is_local_routing_loop(a, r.has_value())) {
        // Exim may defer it (the router's self=defer): it is then retried, as the log says.
        if (a.kind != disposition_kind::deferred) v.outcome = esc::outcome::permanent;
        v.reason = esc::reason::system_error;
    }
    // A failure has a reason, even when the text quotes a positive reply.
    const bool failure = a.kind == disposition_kind::deferred || a.kind == disposition_kind::bounced;
    if (v.reason == esc::reason::none && failure) v.reason = esc::reason::other;
    return v;
}

// What the summary keeps of a text's verdict (not `reply`, a view into the
// line): a text seen lately is looked up, not classified again.
struct memo_verdict {
    esc::outcome outcome = esc::outcome::unknown;
    esc::reason reason = esc::reason::other;
    std::optional<esc::reply_code> code;
    std::optional<esc::status_code> status;
};
using verdict_memo = text_memo<memo_verdict>;

// The memo's tag for a delivery attempt: what judge() reads besides the dsn and the text.
constexpr std::uint8_t memo_tag(const delivery_attempt& a) noexcept {
    return static_cast<std::uint8_t>(static_cast<unsigned>(a.kind) | (static_cast<unsigned>(a.format) << 4));
}
constexpr std::uint8_t memo_tag_reject = 0xFF;
static_assert(static_cast<unsigned>(disposition_kind::malformed) < 16 && // malformed is the last kind
                  static_cast<unsigned>(log_format::sendmail) < 15,
              "memo_tag() packs a kind and a format in a byte, apart from memo_tag_reject");

// What judge_event() makes of a line's event.
struct line_judgement {
    bool valid_utf8 = true;
    verdict v;                                      // a delivery attempt that attempt() judges (judged())
    esc::reason reject_reason = esc::reason::other; // an inbound reject that reject() counts
};

// What prepare() makes of a line.
struct read_line : line_judgement {
    std::optional<log_event> event;

    // As new but for the event, which parse_log_event_into() sets: line()
    // keeps one read_line, as a fresh one is some 280 bytes to clear for each line.
    void reset_judgement() noexcept { static_cast<line_judgement&>(*this) = line_judgement{}; }
};

class scanner {
public:
    scanner(const context& ctx, const scan_options& o)
        : ctx_(ctx), opts_(o), p_{ctx.out.color_out}, out_(stdout), joins_(o.max_open) {}

    // `reference`: when the input was last written (its mtime; now for a
    // pipe), which gives syslog's year-less timestamps their year.
    // `rejects_elsewhere`: Exim's reject log, read with its main log, which
    // has the first line of every rejection too: its rejects are not counted twice.
    void set_file(std::string name, std::int64_t reference, bool rejects_elsewhere = false) {
        rejects_elsewhere_ = rejects_elsewhere;
        file_ = std::move(name);
        shown_files_.push_back(printable(file_));
        year_ = year_context_for(reference);
        last_stamp_size_ = 0; // another year's context: read every time afresh
        hour_known_ = false;
    }
    void stream(bool per_record) { out_.set_per_record(per_record); }
    // Before a read that may wait for more lines, and with --metrics before
    // every read (at most one a MiB on a file).
    void waiting() {
        out_.flush_pending();
        if (live_) tick();
    }
    // Following, after a poll that found nothing new: the periodic work goes
    // on, and lines that came since the last metrics are published now (a
    // quiet moment: no need to wait for the once-a-second limit).
    void idle() {
        // A log followed for days: its syslog times take their year from
        // now, not from when the file was opened.
        const auto now = static_cast<std::int64_t>(std::time(nullptr));
        if (now > year_.reference + 3600) {
            year_ = year_context_for(now);
            last_stamp_size_ = 0;
            hour_known_ = false;
        }
        tick();
        if (metrics_ != nullptr && lines_read() != published_lines_) publish(clock::now());
    }

    // Following or serving metrics: a summary every `interval` (when the
    // attempts are not printed instead) and the metrics renewed, both from
    // waiting() and idle(), so that a busy log and a quiet one both get them.
    void go_live(metrics_server* server) {
        live_ = true;
        metrics_ = server;
        refresh_summaries_ = opts_.follow && !opts_.json && !opts_.attempts;
        const auto now = clock::now();
        next_summary_ = now + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(opts_.interval));
        publish(now);
    }
    // The counts of the input being read, for the summaries and metrics made while it is read.
    void reading(const read_counts* c) { reading_ = c; }
    void unreadable() {
        shown_files_.pop_back();
        ++unreadable_;
    }
    bool any_unreadable() const { return unreadable_ != 0; }

    // The part of reading a line that depends on the line alone (and the
    // options and the file's set_file()): its event and what the library
    // says of it. -j N runs it on other threads, ahead of count_line(), which
    // counts in the lines' order; set_file() comes only between files, when
    // no line is being prepared. Rejects that Exim's main log also has are
    // not classified: they are not counted.
    // `memo`: the caller's (one for each thread that prepares lines).
    // `r` is a read_line used before (or a new one): it is filled anew.
    void prepare(std::string_view text, read_line& r, verdict_memo& memo) const {
        r.reset_judgement();
        parse_log_event_into(text, r.event);
        judge_event(text, r, memo);
    }

    // One thread: the line's message is asked of the memory between reading
    // the line and classifying it, so that it is in the cache when
    // count_line() looks it up (the table of open messages is larger than
    // a core's L2 cache, and looked up at random).
    void line(std::string_view text, std::uint64_t number) {
        read_line& r = line_;
        r.reset_judgement();
        parse_log_event_into(text, r.event);
        prefetch_message(r);
        judge_event(text, r, memo_);
        count_line(text, number, r);
    }

    // -j N: count_line() of a line a few lines ahead of this one is the
    // time the message needs to arrive.
    void prefetch_message(const read_line& r) const noexcept {
        if (r.event) joins_.prefetch(r.event->queue_id);
    }

    // The rest of prepare(): what the library says of the line's event.
    // The records (--json, --attempts) print the reply found in the line,
    // which the memo does not keep: they are judged afresh.
    void judge_event(std::string_view text, read_line& r, verdict_memo& memo) const {
        if (!r.event) return;
        const log_event& e = *r.event;
        if (e.kind == event_kind::delivery) {
            r.valid_utf8 = is_valid_utf8(text);
            if (!judged(e.attempt.kind)) return;
            const bool details = opts_.json || opts_.attempts;
            const delivery_attempt& a = e.attempt;
            // A sent attempt is not classified at all without details (judge()).
            if (details || a.kind == disposition_kind::sent) {
                r.v = judge(a, details, ctx_.rules.get());
                return;
            }
            char key[verdict_memo::max_text];
            const verdict_memo::inputs in = verdict_memo::inputs_of(memo_tag(a), a.dsn, memo_key(a.text, key));
            if (const memo_verdict* m = memo.lookup(in)) {
                r.v.outcome = m->outcome;
                r.v.reason = m->reason;
                r.v.code = m->code;
                r.v.status = m->status;
                return;
            }
            r.v = judge(a, false, ctx_.rules.get());
            memo.remember(in, memo_verdict{r.v.outcome, r.v.reason, r.v.code, r.v.status});
        } else if (e.kind == event_kind::inbound_reject && !rejects_elsewhere_) {
            char key[verdict_memo::max_text];
            const verdict_memo::inputs in = verdict_memo::inputs_of(memo_tag_reject, {}, memo_key(e.text, key));
            if (const memo_verdict* m = memo.lookup(in)) {
                r.reject_reason = m->reason;
                return;
            }
            r.reject_reason = reject_reason(e);
            memo_verdict m;
            m.reason = r.reject_reason;
            memo.remember(in, m);
        }
    }

    // What a failure text is remembered under: its plain addresses masked
    // (address_mask.hpp), which user rules are not held to.
    std::string_view memo_key(std::string_view text, char (&buffer)[verdict_memo::max_text]) const noexcept {
        return ctx_.rules ? text : address_mask::masked(text, buffer, sizeof buffer);
    }

    // `r` is prepare(text).
    void count_line(std::string_view text, std::uint64_t number, const read_line& r) {
        const std::optional<log_event>& e = r.event;
        if (!e) return;
        const std::optional<std::int64_t> t = time_of(e->timestamp);
        if (t) {
            if (!first_time_ || *t < *first_time_) first_time_ = t;
            if (!last_time_ || *t > *last_time_) last_time_ = t;
        }
        if (opts_.since_time || opts_.until_time) {
            // A line whose time cannot be read is outside any window: left out, and said so.
            if (!t) {
                ++untimed_;
                return;
            }
            if ((opts_.since_time && *t < *opts_.since_time) || (opts_.until_time && *t >= *opts_.until_time)) {
                ++outside_window_;
                return;
            }
        }
        switch (e->kind) {
        case event_kind::delivery:
            if (!r.valid_utf8) ++invalid_utf8_; // still read; printed with U+FFFD
            attempt(*e, t, number, text, r);
            break;
        case event_kind::arrival:
            formats_[static_cast<std::size_t>(e->format)] = true;
            joins_.arrival(e->queue_id, senders_.index_of(e->sender.empty() ? std::string_view("<>") : e->sender),
                           e->sender.empty(), t);
            break;
        case event_kind::removed: joins_.removed(e->queue_id); break;
        case event_kind::message_id: break; // joins nothing the tables show yet
        case event_kind::inbound_reject:
            if (rejects_elsewhere_)
                ++duplicate_rejects_;
            else
                reject(*e, t, r.reject_reason);
            break;
        }
    }

    void skipped(skip_reason why, std::uint64_t number) {
        if (why == skip_reason::too_long)
            ++too_long_;
        else
            ++binary_;
        warn_line(ctx_.out, warned_, fmt::format("{}:{}: line skipped: {}", file_, number, to_string(why)));
    }

    void read_failed(const std::string& message) {
        ++read_errors_;
        warn(ctx_.out, fmt::format("{}: {}; the rest of it was not read", file_, message));
    }

    void add_counts(const read_counts& c) {
        lines_ += c.lines;
        bytes_ += c.bytes;
    }

    int finish() {
        if (refresh_summaries_) refresh_summary();
        else if (!opts_.json) summary();
        else {
            for (const std::string& problem : problems()) warn(ctx_.out, problem);
            for (const std::string& note : notes()) warn(ctx_.out, note);
        }
        out_.flush();
        if (metrics_ != nullptr) publish(clock::now());
        const bool trouble = malformed_ != 0 || too_long_ != 0 || binary_ != 0 || read_errors_ != 0;
        return trouble ? exit_not_understood : exit_ok;
    }

    // Also while an input is being read (the summaries and metrics of --follow).
    std::uint64_t lines_read() const { return lines_ + (reading_ != nullptr ? reading_->lines : 0); }
    std::uint64_t bytes_read() const { return bytes_ + (reading_ != nullptr ? reading_->bytes : 0); }

private:
    using clock = std::chrono::steady_clock;

    void tick() {
        const auto now = clock::now();
        if (refresh_summaries_ && now >= next_summary_) {
            refresh_summary();
            next_summary_ = now + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(opts_.interval));
        }
        // At most once a second: a busy log calls this at each read.
        if (metrics_ != nullptr && now - published_ >= std::chrono::seconds(1)) publish(now);
    }

    void publish(clock::time_point now) {
        if (metrics_ == nullptr) return;
        metrics_->publish(render_prometheus(report(std::max<std::size_t>(opts_.top, metrics_top_default)), std::max<std::size_t>(opts_.top, metrics_top_default)));
        published_ = now;
        published_lines_ = lines_read();
    }

    // The summary again: on a terminal drawn over the last one, into a pipe or
    // a file after it, each under a line with the time (UTC) it was made.
    void refresh_summary() {
        const std::time_t t = std::time(nullptr);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        std::string s;
        if (ctx_.out.stdout_tty) s += "\x1b[H\x1b[2J"; // home and clear: the summary stays in place
        else if (summaries_ != 0) s += "\n";
        s += fmt::format("=== {} ===\n", when);
        s += render_summary();
        out_.write(s);
        out_.flush();
        ++summaries_;
    }

    // The attempts judge() reads: not the unreadable ones, expiries, probes and deferrals without an attempt.
    static constexpr bool judged(disposition_kind k) noexcept {
        return k != disposition_kind::malformed && k != disposition_kind::expired && k != disposition_kind::probe &&
               k != disposition_kind::not_attempted;
    }

    void attempt(const log_event& e, std::optional<std::int64_t> t, std::uint64_t number, std::string_view line,
                 const read_line& r) {
        const delivery_attempt& a = e.attempt;
        if (a.kind == disposition_kind::malformed) {
            ++malformed_;
            warn_line(ctx_.out, warned_,
                      fmt::format("{}:{}: a delivery line whose fields cannot be read", file_, number));
            return;
        }
        formats_[static_cast<std::size_t>(a.format)] = true;
        switch (a.kind) {
        case disposition_kind::expired: // a message given up on, not an attempt
            ++expired_;
            (void)joins_.delivery(e.queue_id, {}, a.kind, t, -1);
            return;
        case disposition_kind::probe: // address verification, no mail sent
            ++probes_;
            (void)joins_.delivery(e.queue_id, {}, a.kind, t, -1);
            return;
        case disposition_kind::not_attempted: ++not_attempted_; return; // waiting for its retry time
        default: break;
        }
        const verdict& v = r.v; // judged by prepare(): what follows the switch above is judged()
        const bool failure = a.kind == disposition_kind::deferred || a.kind == disposition_kind::bounced;
        time_row* hour = t ? times_.at(*t) : nullptr;
        name_counts* relay = nullptr; // one relay for the line's recipients
        if (!e.relay.empty() && e.relay != "none") {
            char buffer[256];
            relay = &relays_.at(host_key(e.relay, buffer));
        }
        std::string_view list = a.recipients;
        for (std::string_view rcpt = next_recipient(list); !rcpt.empty(); rcpt = next_recipient(list)) {
            ++attempts_;
            ++kinds_[static_cast<std::size_t>(a.kind)];
            const std::uint32_t sender = joins_.delivery(e.queue_id, rcpt, a.kind, t, e.delay);
            name_counts* rows[3] = {&domains_.at(domain_of(rcpt)), relay, nullptr};
            if (sender != message_joins::no_sender) rows[2] = &senders_.at_index(sender);
            if (hour != nullptr) count(hour->counts, a.kind);
            for (name_counts* row : rows) {
                if (row == nullptr) continue;
                count(row->counts, a.kind);
                if (failure) ++row->reasons[static_cast<std::size_t>(v.reason)];
            }
            if (failure) {
                if (v.status) ++codes_[status_key(*v.status)];
                auto& reason_row = reasons_[static_cast<std::size_t>(v.reason)];
                ++(a.kind == disposition_kind::deferred ? reason_row[0] : reason_row[1]);
            }
            if (opts_.json)
                print_json(a, v, rcpt, number, line);
            else if (opts_.attempts)
                print_attempt(a, v, rcpt, number);
        }
    }

    // Lines of the same second share their timestamp: read once. And a
    // syslog time ("Nov 28 10:00:01") of an hour already seen is that hour's
    // start plus the clock: the date, its year and the zone are worked out
    // once an hour.
    std::optional<std::int64_t> time_of(std::string_view stamp) {
        if (stamp.empty()) return std::nullopt;
        if (stamp.size() == last_stamp_size_ && std::equal(stamp.begin(), stamp.end(), last_stamp_))
            return last_time_read_;
        // "mm:ss" of a syslog time as seconds into its hour, when it reads as one.
        const auto minute_seconds = [&]() -> std::optional<std::int64_t> {
            const auto digit = [&](std::size_t i) { return static_cast<unsigned>(stamp[i] - '0'); };
            for (std::size_t i : {10, 11, 13, 14})
                if (digit(i) > 9) return std::nullopt;
            const unsigned minute = digit(10) * 10 + digit(11), second = digit(13) * 10 + digit(14);
            if (minute > 59 || second > 59) return std::nullopt;
            return static_cast<std::int64_t>(minute * 60 + second);
        };
        const bool syslog = stamp.size() == 15 && stamp[6] == ' ' && stamp[9] == ':' && stamp[12] == ':';
        if (syslog && hour_known_ && std::equal(stamp.begin(), stamp.begin() + 10, hour_prefix_))
            if (const auto seconds = minute_seconds()) return hour_start_ + *seconds;
        last_time_read_ = parse_log_time(stamp, year_);
        // Syslog's times, and Exim's without an offset, are the server's local
        // time (RFC 3164 has no zone): made UTC with the zone esc runs in.
        if (last_time_read_ && !has_zone(stamp)) last_time_read_ = local_to_utc(*last_time_read_);
        if (syslog && last_time_read_)
            if (const auto seconds = minute_seconds()) {
                std::copy(stamp.begin(), stamp.begin() + 10, hour_prefix_);
                hour_start_ = *last_time_read_ - *seconds;
                hour_known_ = true;
            }
        last_stamp_size_ = stamp.size() <= sizeof last_stamp_ ? stamp.size() : 0;
        if (last_stamp_size_ != 0) std::memcpy(last_stamp_, stamp.data(), last_stamp_size_);
        return last_time_read_;
    }

    // "2026-11-28T10:00:01+01:00", "...Z", Exim's "2026-11-28 10:00:01 +0100":
    // an offset after the clock. Classic syslog has none.
    static bool has_zone(std::string_view stamp) noexcept {
        if (stamp.size() < 20 || stamp[4] != '-') return false;
        for (std::size_t i = 19; i < stamp.size(); ++i)
            if (stamp[i] == 'Z' || stamp[i] == 'z' || stamp[i] == '+' || stamp[i] == '-') return true;
        return false;
    }

    // A local wall-clock time, read as if it were UTC, to the UTC it was.
    // The offset is the zone's at that moment (asked twice, so that the
    // hours next to a daylight-saving change come out right), remembered
    // per hour: asking the C library is slow, and zones change on the hour.
    std::int64_t local_to_utc(std::int64_t wall) noexcept {
        const std::int64_t hour = time_table::floor_to(wall, 3600) / 3600;
        zone_offset& cached = zone_offsets_[static_cast<std::size_t>(hour) % zone_offsets_.size()];
        if (!cached.known || cached.hour != hour) {
            const auto offset_at = [](std::int64_t t) -> std::int64_t {
                const auto tt = static_cast<std::time_t>(t);
                std::tm tm{};
                if (::localtime_r(&tt, &tm) == nullptr) return 0;
                return static_cast<std::int64_t>(tm.tm_gmtoff);
            };
            const std::int64_t start = hour * 3600;
            cached = {hour, offset_at(start - offset_at(start)), true};
        }
        return wall - cached.offset;
    }
    struct zone_offset {
        std::int64_t hour = 0, offset = 0;
        bool known = false;
    };
    std::array<zone_offset, 64> zone_offsets_{};

    static void count(attempt_counts& c, disposition_kind k) noexcept {
        ++c.attempts;
        if (k == disposition_kind::sent) ++c.sent;
        if (k == disposition_kind::deferred) ++c.deferred;
        if (k == disposition_kind::bounced) ++c.bounced;
    }

    // A message or recipient refused on the way in: why (the library reads the
    // reply the client got), and from which client.
    esc::reason reject_reason(const log_event& e) const {
        const esc::classification c = ctx_.rules ? esc::classify(e.text, *ctx_.rules) : esc::classify(e.text);
        return c.reason == esc::reason::none ? esc::reason::other : c.reason;
    }

    // `r` is reject_reason(e).
    void reject(const log_event& e, std::optional<std::int64_t> t, esc::reason r) {
        formats_[static_cast<std::size_t>(e.format)] = true;
        ++rejected_;
        ++reject_reasons_[static_cast<std::size_t>(r)];
        if (!e.client.empty()) {
            char buffer[256];
            ++reject_clients_.at(host_key(e.client, buffer)).hits;
        }
        if (t)
            if (time_row* hour = times_.at(*t)) ++hour->rejected;
    }

    // Written field by field, not through a JSON value: with --json this is
    // most of a scan's time. The bytes are those json_line() would give
    // (tests/cli's scan golden holds them).
    void print_json(const delivery_attempt& a, const verdict& v, std::string_view rcpt, std::uint64_t number,
                    std::string_view line) {
        const log_context where = context_of(line, a);
        std::string& j = record_;
        j.clear();
        j += "{\"file\":";
        append_json_text_or_null(j, file_);
        j += ",\"line\":";
        j += std::to_string(number);
        j += ",\"timestamp\":";
        append_json_text_or_null(j, where.timestamp);
        j += ",\"queue_id\":";
        append_json_text_or_null(j, where.queue_id);
        j += ",\"recipient\":";
        append_json_string(j, rcpt, false);
        j += ",\"domain\":";
        const std::string_view domain = domain_of(rcpt);
        if (domain.empty()) {
            j += "null";
        } else {
            std::string lower(domain);
            for (char& c : lower)
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            append_json_string(j, lower, false);
        }
        j += ",\"disposition\":";
        append_json_string(j, a.disposition, false);
        j += ",\"relay\":";
        append_json_text_or_null(j, where.relay);
        j += ",\"reply_code\":";
        j += v.code ? std::to_string(esc::to_int(*v.code)) : std::string("null");
        j += ",\"status\":";
        if (v.status) {
            j += '"';
            j += esc::to_string(*v.status).view();
            j += '"';
        } else {
            j += "null";
        }
        j += ",\"outcome\":\"";
        j += esc::to_string(v.outcome);
        j += "\",\"reason\":\"";
        j += esc::to_string(v.reason);
        j += "\",\"text\":";
        append_json_text_or_null(j, !v.reply.empty() ? v.reply : a.text);
        j += "}\n";
        out_.write(j);
        out_.end_record();
    }

    void print_attempt(const delivery_attempt& a, const verdict& v, std::string_view rcpt, std::uint64_t number) {
        const std::string status = v.status ? std::string(esc::to_string(*v.status)) : "-";
        const std::string who = truncate_to_width(printable(rcpt), 32, ctx_.out.utf8);
        const std::string where = fmt::format("{}:{:<6}", shown_files_.back(), number); // aligned within a file
        const std::string disposition = fmt::format("{:<8}", a.disposition);
        const std::string rest = fmt::format("  {:<19}  {:<7}  {}{}", esc::to_string(v.reason), status, who,
                                             std::string(32 - std::min<std::size_t>(32, display_width(who)), ' '));
        const std::string_view said = !v.reply.empty() ? v.reply : a.text;
        std::string text = said.empty() ? std::string() : printable(said);
        if (ctx_.out.width != 0) {
            // On a terminal a row fits its width: the server's text is cut, and
            // where even the columns do not fit, the whole row.
            const auto width = static_cast<std::size_t>(ctx_.out.width);
            const std::size_t used = display_width(where) + 2 + display_width(disposition) + display_width(rest) + 2;
            if (used + 10 <= width) {
                text = truncate_to_width(text, width - used, ctx_.out.utf8);
            } else {
                // Too narrow for one line: the attempt on two, each cut to the width.
                std::string first = fmt::format("{}  {}  {}  {}", where, disposition, esc::to_string(v.reason), status);
                std::string second = "    " + printable(rcpt) + (text.empty() ? "" : "  " + text);
                out_.write(truncate_to_width(first, width, ctx_.out.utf8) + "\n" +
                           truncate_to_width(second, width, ctx_.out.utf8) + "\n");
                out_.end_record();
                return;
            }
        }
        std::string line = where + "  " + paint(disposition, p_.outcome(v.outcome)) + rest;
        if (!text.empty()) line += "  " + paint(text, p_.label());
        line += '\n';
        out_.write(line);
        out_.end_record();
    }

    void summary() { out_.write(render_summary()); }
    std::string render_summary() const;

public:
    // What the scan found so far, as the summary, the HTML report and the metrics show it.
    scan_report report(std::size_t top) const {
        scan_report r;
        r.files = shown_files_;
        r.lines = lines_read();
        r.bytes = bytes_read();
        r.formats = formats_;
        r.totals.sent = kinds_[static_cast<std::size_t>(disposition_kind::sent)];
        r.totals.deferred = kinds_[static_cast<std::size_t>(disposition_kind::deferred)];
        r.totals.bounced = kinds_[static_cast<std::size_t>(disposition_kind::bounced)];
        r.totals.attempts = r.totals.sent + r.totals.deferred + r.totals.bounced;
        r.other = kinds_[static_cast<std::size_t>(disposition_kind::other)];
        r.expired = expired_;
        r.probes = probes_;
        r.not_attempted = not_attempted_;
        r.rejected = rejected_;
        for (std::size_t i = 0; i < reasons_.size(); ++i)
            if (reasons_[i][0] + reasons_[i][1] != 0)
                r.reasons.push_back({static_cast<esc::reason>(i), reasons_[i][0], reasons_[i][1]});
        std::stable_sort(r.reasons.begin(), r.reasons.end(), [](const reason_row& a, const reason_row& b) {
            return a.deferred + a.bounced > b.deferred + b.bounced;
        });
        for (const auto& kv : codes_) r.statuses.push_back({status_from_key(kv.first), kv.second});
        std::sort(r.statuses.begin(), r.statuses.end(), [](const status_row& a, const status_row& b) {
            return a.attempts != b.attempts ? a.attempts > b.attempts : status_key(a.status) < status_key(b.status);
        });
        r.domains = domains_.failure_rows(top);
        r.relays = relays_.failure_rows(top);
        r.senders = senders_.failure_rows(top);
        r.domain_rows = domains_.failure_row_count();
        r.relay_rows = relays_.failure_row_count();
        r.sender_rows = senders_.failure_row_count();
        for (std::size_t i = 0; i < reject_reasons_.size(); ++i)
            if (reject_reasons_[i] != 0)
                r.reject_reasons.push_back({std::string(esc::to_string(static_cast<esc::reason>(i))), reject_reasons_[i]});
        std::stable_sort(r.reject_reasons.begin(), r.reject_reasons.end(),
                         [](const reject_row& a, const reject_row& b) { return a.count > b.count; });
        r.reject_clients = reject_clients_.hit_rows(top);
        r.hours = times_.hours();
        r.days = times_.days();
        r.messages = joins_.counts();
        r.closed_messages = joins_.closed_counts();
        r.delay = joins_.delays();
        r.first_time = first_time_;
        r.last_time = last_time_;
        r.malformed = malformed_;
        r.too_long = too_long_;
        r.binary = binary_;
        r.read_errors = read_errors_;
        r.memory_bytes = report_memory();
        return r;
    }
    std::uint64_t report_memory() const {
        return domains_.memory_bytes() + relays_.memory_bytes() + senders_.memory_bytes() +
               reject_clients_.memory_bytes() + times_.memory_bytes() + joins_.memory_bytes() + codes_.size() * 32;
    }

private:

    std::vector<std::string> problems() const {
        std::vector<std::string> out;
        if (malformed_ != 0) out.push_back(count_of(malformed_, "delivery line", "delivery lines") + " could not be read");
        if (too_long_ != 0) out.push_back(count_of(too_long_, "line", "lines") + " skipped: longer than 64 KiB");
        if (binary_ != 0) out.push_back(count_of(binary_, "line", "lines") + " skipped: binary data (NUL bytes)");
        if (read_errors_ != 0) out.push_back(count_of(read_errors_, "input", "inputs") + " could not be read to the end");
        return out;
    }

    // Worth a note, not a failure: the line was read.
    std::vector<std::string> notes() const {
        std::vector<std::string> out;
        if (invalid_utf8_ != 0)
            out.push_back(count_of(invalid_utf8_, "delivery line", "delivery lines") +
                          " with invalid UTF-8, read and shown with U+FFFD");
        if (untimed_ != 0)
            out.push_back(count_of(untimed_, "line", "lines") + " left out: no time could be read for --since/--until");
        if (duplicate_rejects_ != 0)
            out.push_back(count_of(duplicate_rejects_, "reject", "rejects") +
                          " in Exim's reject log left out: its main log, read too, has them");
        if (outside_window_ != 0)
            out.push_back(count_of(outside_window_, "line", "lines") + " outside --since/--until left out");
        const message_counts m = joins_.closed_counts(); // dropped, open and the limit: no pass over the open ones
        if (m.dropped != 0)
            out.push_back(fmt::format("{} closed early: more than {} messages were open at once (--max-open)",
                                      count_of(m.dropped, "message", "messages"), with_commas(m.open_limit)));
        for (const auto& [table, what] : {std::pair<const name_table*, const char*>{&domains_, "recipient domains"},
                                          {&relays_, "relays"}, {&senders_, "senders"}, {&reject_clients_, "clients"}})
            if (table->overflowed())
                out.push_back(fmt::format("more than {} {}: the rest are counted as \"{}\"", with_commas(table->size() - 1),
                                          what, overflow_name));
        if (m.open + m.received != 0)
            out.push_back(fmt::format("the scan's tables hold about {} ({} open at the end, at most {})",
                                      human_bytes(report_memory()), count_of(m.open, "message", "messages"),
                                      with_commas(m.open_limit)));
        return out;
    }

    const context& ctx_;
    const scan_options& opts_;
    palette p_;
    writer out_;
    std::string file_;
    std::string record_; // one JSON record, its storage kept between records
    std::vector<std::string> shown_files_; // the inputs read, for the summary's heading
    std::uint64_t unreadable_ = 0;
    std::uint64_t lines_ = 0, bytes_ = 0, attempts_ = 0, expired_ = 0;
    std::uint64_t probes_ = 0, not_attempted_ = 0, rejected_ = 0, untimed_ = 0, outside_window_ = 0;
    std::uint64_t malformed_ = 0, too_long_ = 0, binary_ = 0, read_errors_ = 0, warned_ = 0, invalid_utf8_ = 0;
    std::array<bool, 3> formats_{};
    std::array<std::uint64_t, kind_count> kinds_{};
    std::array<std::array<std::uint64_t, 2>, esc::reason_count> reasons_{}; // deferred, bounced
    std::array<std::uint64_t, esc::reason_count> reject_reasons_{};
    std::unordered_map<std::uint32_t, std::uint64_t> codes_;
    name_table domains_{100000, true};
    name_table relays_{100000, true};
    name_table senders_{100000, false};
    name_table reject_clients_{100000, true};
    time_table times_;
    message_joins joins_;
    verdict_memo memo_; // line(): the classifications of the texts seen lately
    read_line line_;    // line(): the line being read
    year_context year_ = year_context_for(0);
    std::optional<std::int64_t> first_time_, last_time_;
    char last_stamp_[48] = {};
    std::size_t last_stamp_size_ = 0;
    std::optional<std::int64_t> last_time_read_;
    bool rejects_elsewhere_ = false;
    std::uint64_t duplicate_rejects_ = 0;
    char hour_prefix_[10] = {}; // "Nov 28 10:" of hour_start_
    bool hour_known_ = false;
    std::int64_t hour_start_ = 0;

    bool live_ = false, refresh_summaries_ = false;
    metrics_server* metrics_ = nullptr;
    const read_counts* reading_ = nullptr;
    clock::time_point next_summary_{}, published_{};
    std::uint64_t summaries_ = 0, published_lines_ = 0;
};

// "2.5 s", "4.2 min", "3.1 h", "2.0 d": a delay as a postmaster reads it.
std::string human_duration(double seconds) {
    if (seconds < 60) return fmt::format("{:.1f} s", seconds);
    if (seconds < 3600) return fmt::format("{:.1f} min", seconds / 60);
    if (seconds < 86400) return fmt::format("{:.1f} h", seconds / 3600);
    return fmt::format("{:.1f} d", seconds / 86400);
}

// A moment of the log in UTC, to the second: "2026-11-28 10:00:01".
std::string utc_moment(std::int64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    if (::gmtime_r(&tt, &tm) == nullptr) return std::to_string(t);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

// An hour or a day of the log, in UTC as the tables count them: "2026-11-28 10:00", "2026-11-28".
std::string utc_time(std::int64_t t, bool with_hour) {
    const auto tt = static_cast<std::time_t>(t);
    std::tm tm{};
    if (::gmtime_r(&tt, &tm) == nullptr) return std::to_string(t);
    return with_hour ? fmt::format("{:04}-{:02}-{:02} {:02}:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour)
                     : fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}


std::string scanner::render_summary() const {
    const scan_report r = report(opts_.top);
    const console& con = ctx_.out;
    const palette& p = p_;
    std::string s;
    const std::uint64_t all_attempts = r.totals.attempts + r.other;
    if (opts_.attempts && all_attempts != 0) s += "\n";

    std::string formats;
    for (std::size_t i = 0; i < r.formats.size(); ++i) {
        if (!r.formats[i]) continue;
        static constexpr const char* names[] = {"Postfix", "Exim", "sendmail"};
        formats += (formats.empty() ? "" : ", ") + std::string(names[i]);
    }
    std::string files;
    for (const std::string& f : r.files) files += (files.empty() ? "" : ", ") + f;
    const std::string counts = fmt::format("{} lines ({}), {} delivery attempts{}", with_commas(r.lines),
                                           human_bytes(r.bytes), with_commas(all_attempts),
                                           formats.empty() ? "" : " (" + formats + ")");
    if (con.width == 0 || display_width(files) + 2 + display_width(counts) <= static_cast<std::size_t>(con.width))
        s += fmt::format("{}  {}\n", fmt::styled(files, p.heading()), counts);
    else
        s += fmt::format("{}\n  {}\n", fmt::styled(wrap(files, static_cast<std::size_t>(con.width), 0), p.heading()),
                         wrap(counts, static_cast<std::size_t>(con.width) - 2, 2));

    const std::uint64_t deferred = r.totals.deferred;
    const std::uint64_t bounced = r.totals.bounced;
    const std::uint64_t failures = deferred + bounced;
    const auto width = static_cast<std::size_t>(con.width); // 0 into a pipe or a file: nothing is wrapped
    const std::size_t note_width = width == 0 ? 0 : width - 2;
    if (r.first_time && r.last_time)
        s += "  " + wrap(fmt::format("{} to {} UTC", utc_moment(*r.first_time), utc_moment(*r.last_time)), note_width, 2) + "\n";
    // "  disposition  attempts   share  " is 37 columns; the bar gets what is left of the width, up to 30.
    const std::size_t bar_width = width == 0 ? 30 : std::min<std::size_t>(30, width > 37 + 5 ? width - 37 - 1 : 4);

    // Sent, deferred, bounced.
    s += fmt::format("\n{}\n", fmt::styled("Deliveries", p.heading()));
    {
        table t({{"disposition"}, {"attempts", table::align::right}, {"share", table::align::right}, {""}});
        const std::tuple<const char*, std::uint64_t, esc::outcome> rows[] = {
            {"sent", r.totals.sent, esc::outcome::success},
            {"deferred", r.totals.deferred, esc::outcome::transient},
            {"bounced", r.totals.bounced, esc::outcome::permanent},
            {"other", r.other, esc::outcome::unknown}};
        for (const auto& [name, n, outcome] : rows) {
            if (n == 0 && std::string_view(name) == "other") continue;
            t.add({{name, p.outcome(outcome)}, with_commas(n), percent(n, all_attempts),
                   {bar(n, all_attempts, bar_width, con.utf8), p.outcome(outcome)}});
        }
        s += t.render("  ", p.label(), true, width);
        const auto note = [&](std::uint64_t n, const char* one, const char* many, const char* rest) {
            if (n != 0) s += "  " + wrap(fmt::format("{} {} {}", with_commas(n), n == 1 ? one : many, rest), note_width, 2) + "\n";
        };
        note(r.expired, "message", "messages", "expired in the queue and went back to the sender");
        note(r.probes, "address-verification probe,", "address-verification probes,",
             "not counted as attempts (Postfix's deliverable / undeliverable)");
        note(r.not_attempted, "deferral", "deferrals",
             "logged without a delivery attempt (retry time not reached, destination suspended), not counted as attempts");
    }

    // Messages: a message deferred five times and then sent is one message delivered after deferral.
    const message_counts& m = r.messages;
    if (m.received + m.delivered + m.bounced + m.deferred != 0) {
        s += fmt::format("\n{}\n", fmt::styled("Messages", p.heading()));
        table t({{"messages"}, {"count", table::align::right}, {"", table::align::left, true}});
        if (m.received != 0)
            t.add({"received", with_commas(m.received),
                   m.received_null_sender != 0
                       ? fmt::format("{} from the null sender (bounce notices)", with_commas(m.received_null_sender))
                       : ""});
        t.add({{"delivered", p.outcome(esc::outcome::success)}, with_commas(m.delivered),
               m.delivered_after_deferral != 0 ? fmt::format("{} after deferral", with_commas(m.delivered_after_deferral)) : ""});
        t.add({{"bounced", p.outcome(esc::outcome::permanent)}, with_commas(m.bounced),
               m.bounced_after_deferral != 0 ? fmt::format("{} after deferral", with_commas(m.bounced_after_deferral)) : ""});
        t.add({{"deferred", p.outcome(esc::outcome::transient)}, with_commas(m.deferred),
               m.deferred != 0 ? fmt::format("({} deferral{})", with_commas(m.deferrals), m.deferrals == 1 ? "" : "s") : ""});
        if (m.still_queued != 0)
            t.add({"still queued", with_commas(m.still_queued), "a recipient deferred and not yet retried at the end"});
        if (m.gave_up != 0)
            t.add({"given up", with_commas(m.gave_up), "left the queue undelivered: expired or deleted"});
        s += t.render("  ", p.label(), true, width);
        if (r.delay.count != 0)
            s += "  " + wrap(fmt::format("Delivery delay over {} deliveries: median {}, 90% {}, 99% {}, longest {}",
                                         with_commas(r.delay.count), human_duration(r.delay.p50),
                                         human_duration(r.delay.p90), human_duration(r.delay.p99),
                                         human_duration(r.delay.max)),
                             note_width, 2) +
                 "\n";
    }

    if (failures == 0) {
        s += "\nNo failed delivery attempts.\n";
    } else {
        // Why: reasons, with what the deferrals and the bounces were each.
        s += fmt::format("\n{}\n", fmt::styled("Failures by reason", p.heading()));
        // On a terminal the advice wraps within its column; elsewhere it stays on one line.
        table t({{"reason"},
                 {"deferred", table::align::right},
                 {"bounced", table::align::right},
                 {"share", table::align::right},
                 {"next step", table::align::left, true}});
        for (const reason_row& row : r.reasons) {
            const esc::outcome o = row.bounced >= row.deferred ? esc::outcome::permanent : esc::outcome::transient;
            t.add({{std::string(esc::to_string(row.reason)), p.outcome(o)},
                   row.deferred != 0 ? with_commas(row.deferred) : "-",
                   row.bounced != 0 ? with_commas(row.bounced) : "-",
                   percent(row.deferred + row.bounced, failures),
                   {std::string(esc::advice(o, row.reason)), p.label()}});
        }
        t.add({{"total", p.heading()},
               {with_commas(deferred), p.heading()},
               {with_commas(bounced), p.heading()},
               {"100.0%", p.heading()},
               {}});
        s += t.render("  ", p.label(), true, width);

        // Where: recipient domains, relays and senders with the most failures.
        const auto failure_table = [&](const char* what, const char* column, const std::vector<named_counts>& rows,
                                       std::size_t all, const char* empty_name) {
            if (rows.empty()) return;
            s += fmt::format("\n{}\n", fmt::styled(wrap(rows.size() < all
                                                            ? fmt::format("Failures by {} (top {} of {})", what,
                                                                          rows.size(), all)
                                                            : fmt::format("Failures by {}", what),
                                                        width, 0),
                                                   p.heading()));
            table d({{column, table::align::left, true},
                     {"attempts", table::align::right},
                     {"deferred", table::align::right},
                     {"bounced", table::align::right},
                     {"fail rate", table::align::right},
                     {"main reason"}});
            for (const named_counts& c : rows) {
                const std::string name = c.name.empty() ? empty_name : printable(c.name);
                d.add({width == 0 ? name : truncate_to_width(name, 40, con.utf8), with_commas(c.counts.attempts),
                       c.counts.deferred != 0 ? with_commas(c.counts.deferred) : "-",
                       c.counts.bounced != 0 ? with_commas(c.counts.bounced) : "-",
                       percent(c.counts.failures(), c.counts.attempts), std::string(esc::to_string(c.main_reason))});
            }
            s += d.render("  ", p.label(), true, width);
        };
        failure_table("recipient domain", "domain", r.domains, r.domain_rows, "(no domain)");
        failure_table("relay", "relay", r.relays, r.relay_rows, "(none)");
        failure_table("sender", "sender", r.senders, r.sender_rows, "<>");

        // What the servers said: the enhanced codes of the failures.
        if (!r.statuses.empty()) {
            const std::size_t n = std::min(r.statuses.size(), opts_.top);
            s += fmt::format("\n{}\n",
                             fmt::styled(wrap(n < r.statuses.size()
                                                  ? fmt::format("Top enhanced status codes in failures (top {} of {})",
                                                                n, r.statuses.size())
                                                  : std::string("Enhanced status codes in failures"),
                                              width, 0),
                                         p.heading()));
            table c({{"status"}, {"attempts", table::align::right}, {"share", table::align::right},
                     {"title", table::align::left, true}});
            std::uint64_t with_code = 0;
            for (const status_row& row : r.statuses) with_code += row.attempts;
            for (std::size_t k = 0; k < n; ++k) {
                const esc::status_code st = r.statuses[k].status;
                const bool listed = esc::lookup(st) != nullptr;
                c.add({{std::string(esc::to_string(st)), p.code()}, with_commas(r.statuses[k].attempts),
                       percent(r.statuses[k].attempts, with_code),
                       std::string(esc::describe(st)) + (listed ? "" : " (unregistered detail)")});
            }
            s += c.render("  ", p.label(), true, width);
        }
    }

    // Refused on the way in: NOQUEUE rejects, postscreen, milters, Exim's rejected RCPT.
    if (r.rejected != 0) {
        s += fmt::format("\n{}\n", fmt::styled(fmt::format("Inbound rejects ({})", with_commas(r.rejected)), p.heading()));
        table t({{"reason"}, {"rejects", table::align::right}, {"share", table::align::right}});
        for (const reject_row& row : r.reject_reasons) t.add({row.name, with_commas(row.count), percent(row.count, r.rejected)});
        s += t.render("  ", p.label(), true, width);
        if (!r.reject_clients.empty()) {
            s += fmt::format("\n{}\n", fmt::styled("Inbound rejects by client", p.heading()));
            table c({{"client", table::align::left, true}, {"rejects", table::align::right}, {"share", table::align::right}});
            for (const reject_row& row : r.reject_clients)
                c.add({width == 0 ? printable(row.name) : truncate_to_width(printable(row.name), 48, con.utf8),
                       with_commas(row.count), percent(row.count, r.rejected)});
            s += c.render("  ", p.label(), true, width);
        }
    }

    // Over time, as pflogsumm's traffic summaries: per hour for a short log, else per day.
    const bool by_hour = opts_.time_table == "hour" ||
                         (opts_.time_table == "auto" && r.days.size() <= 2 && r.hours.size() > 1);
    const bool by_day = opts_.time_table == "day" || (opts_.time_table == "auto" && r.days.size() > 2);
    const std::vector<time_row>& rows = by_hour ? r.hours : r.days;
    if ((by_hour || by_day) && !rows.empty()) {
        s += fmt::format("\n{}\n", fmt::styled(by_hour ? "Per hour (UTC)" : "Per day (UTC)", p.heading()));
        table t({{by_hour ? "hour" : "day"},
                 {"sent", table::align::right},
                 {"deferred", table::align::right},
                 {"bounced", table::align::right},
                 {"rejected", table::align::right}});
        for (const time_row& row : rows)
            t.add({utc_time(row.start, by_hour), with_commas(row.counts.sent), with_commas(row.counts.deferred),
                   with_commas(row.counts.bounced), with_commas(row.rejected)});
        s += t.render("  ", p.label(), true, width);
    }

    const std::vector<std::string> trouble = problems();
    const std::vector<std::string> remarks = notes();
    if (!trouble.empty() || !remarks.empty()) s += "\n";
    const std::size_t bullet_width = con.width == 0 ? 0 : static_cast<std::size_t>(con.width) - 4;
    for (const auto& pr : trouble) s += fmt::format("  {} {}\n", fmt::styled("!", p.warning()), wrap(pr, bullet_width, 4));
    for (const auto& note : remarks) s += fmt::format("  {} {}\n", fmt::styled("i", p.label()), wrap(note, bullet_width, 4));
    return s;
}

// --html FILE: the page written beside FILE and renamed over it, so a reader
// (a web server, a browser reloading) never sees half a page.
bool write_html(const context& ctx, const scan_options& opts, const scan_report& report) {
    const std::string& path = opts.html;
    html_options o;
    o.top = opts.top; // the same rows as the terminal's tables
    o.title = "esc scan";
    if (!report.files.empty()) {
        o.title += ": " + report.files.front();
        if (report.files.size() > 1) o.title += fmt::format(" and {} more", report.files.size() - 1);
    }
    o.version = ESC_VERSION_STRING;
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    if (gmtime_r(&now, &utc) != nullptr) {
        char buffer[32];
        if (std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc) != 0) o.generated_at = buffer;
    }
    const std::string page = render_html(report, o);
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    int err = f == nullptr ? errno : 0;
    if (f != nullptr) {
        if (std::fwrite(page.data(), 1, page.size(), f) != page.size() || std::fflush(f) != 0) err = errno;
        if (std::fclose(f) != 0 && err == 0) err = errno;
        if (err == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
        if (err != 0) std::remove(tmp.c_str());
    }
    if (err != 0) {
        error(ctx.out, fmt::format("scan: --html {}: {}", printable(path), std::strerror(err)));
        return false;
    }
    return true;
}

// A file's place in its log's rotations, from its name: logrotate's
// "mail.log.2.gz" (older as the number grows, the live file 0), or a date
// suffix "mainlog.20261128" (newer as it grows). `family` is the name
// without the suffixes; a name with none is its own family.
struct rotation {
    std::string family;
    std::int64_t age = 0; // larger is older
};

rotation rotation_of(std::string_view path) {
    std::string_view name = path;
    for (std::string_view ext : {".gz", ".xz", ".bz2", ".zst"})
        if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) {
            name.remove_suffix(ext.size());
            break;
        }
    const std::size_t dot = name.rfind('.');
    const std::string_view suffix = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    const bool digits = !suffix.empty() && suffix.size() <= 9 &&
                        std::all_of(suffix.begin(), suffix.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return {std::string(name), 0};
    const std::int64_t n = std::stoll(std::string(suffix));
    return {std::string(name.substr(0, dot)), n >= 19700101 ? -n : n};
}

// Each family's files are put oldest first in the places they had; files of
// other logs keep their place in the order given.
void order_rotations(std::vector<std::string>& files) {
    std::vector<rotation> rotations;
    rotations.reserve(files.size());
    for (const std::string& f : files) rotations.push_back(rotation_of(f));
    std::vector<bool> done(files.size(), false);
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (done[i]) continue;
        std::vector<std::size_t> places;
        for (std::size_t j = i; j < files.size(); ++j)
            if (!done[j] && rotations[j].family == rotations[i].family) places.push_back(j);
        std::vector<std::size_t> members = places;
        std::stable_sort(members.begin(), members.end(),
                         [&](std::size_t a, std::size_t b) { return rotations[a].age > rotations[b].age; });
        std::vector<std::string> sorted;
        for (std::size_t m : members) sorted.push_back(files[m]);
        for (std::size_t k = 0; k < places.size(); ++k) {
            files[places[k]] = std::move(sorted[k]);
            done[places[k]] = true;
        }
    }
}

// Exim's log files by their names: "mainlog", "rejectlog", rotated as
// "mainlog.1", "mainlog.2.gz" or dated as "mainlog.20261128".
bool is_exim_log(std::string_view path, std::string_view which) {
    const std::size_t slash = path.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return base.substr(0, which.size()) == which && (base.size() == which.size() || base[which.size()] == '.');
}

struct scan_sink {
    scanner& s;
    void line(std::string_view text, std::uint64_t number) { s.line(text, number); }
    void skipped(skip_reason why, std::uint64_t number) { s.skipped(why, number); }
    void waiting() { s.waiting(); }
    void idle() { s.idle(); }
};

// -j N: a file read in blocks of whole lines, on N threads. This one reads the
// file and counts the lines in their order (scanner::count_line()), so that
// the result is that of one thread, warnings and records in their places; N-1
// others (started at the second block) each take a block, split it into lines
// and read them (scanner::prepare(), which depends on the line alone: the
// parse and the classification, most of the time), keeping only the lines
// that count. A block is read straight into the buffer it is split in; only
// its unfinished last line is copied (into the next one). At most 2N blocks
// are in flight, each of about 4096 lines (its size follows the lines before);
// when the oldest is to be counted and no thread has taken it yet, this one
// prepares it rather than wait. What a thread throws is thrown again here.
// The lines are those of read_lines(): split_lines() splits the blocks, and
// first_line_start() deals with a byte-order mark and an over-long line for both.
class parallel_scan_sink {
public:
    parallel_scan_sink(scanner& s, std::size_t jobs) : s_(s), jobs_(jobs) { current_ = fresh_batch(); }
    parallel_scan_sink(const parallel_scan_sink&) = delete;
    parallel_scan_sink& operator=(const parallel_scan_sink&) = delete;
    ~parallel_scan_sink() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        work_ready_.notify_all();
        for (std::thread& t : workers_) t.join(); // they hold `s_` and the batches
    }

    // The file to its end, every line counted; false when reading failed part-way (in.error() says why).
    bool read(input_stream& in, read_counts& counts, progress_meter* meter) {
        counts_ = &counts;
        std::size_t kept = 0;  // an unfinished line carried over at the front of the buffer
        bool skipping = false; // inside an over-long line, dropping bytes up to its end
        bool bom_possible = true;
        for (;;) {
            char* const base = current_->bytes.get();
            const std::size_t got = in.read(base + kept, std::min(batch_capacity - kept, read_size_));
            counts.bytes += got;
            report_progress(meter, in, counts.bytes);
            const bool end = got == 0;
            const std::size_t filled = kept + got;
            const std::size_t p = first_line_start(base, filled, end, bom_possible, skipping);
            if (p == static_cast<std::size_t>(-1)) {
                kept = 0;
                continue;
            }
            // [p, whole): whole lines (the last one without its LF at the end of the input).
            const std::size_t whole = end ? filled : after_last_lf(base, p, filled);
            const std::size_t tail = filled - whole;
            const bool too_long = tail > max_line_length;
            if (whole != p || too_long) {
                current_->begin = p;
                current_->end = whole;
                current_->too_long_after = too_long;
                skipping = too_long;
                kept = too_long ? 0 : tail;
                batch& previous = *current_;
                submit();
                if (kept != 0) std::memcpy(current_->bytes.get(), previous.bytes.get() + whole, kept);
            } else {
                // No LF in what was read: the line goes on in the next read.
                if (p != 0 && tail != 0) std::memmove(base, base + p, tail);
                kept = tail;
            }
            if (end) break;
        }
        while (!pending_.empty()) count_oldest();
        return in.ok();
    }

private:
    // A read's block at most: with its lines' read_line (some 280 bytes for
    // a line of about 130) it stays within a core's L2 cache; and room for a
    // longest unfinished line carried over.
    static constexpr std::size_t batch_block = std::size_t{1} << 19;
    static constexpr std::size_t batch_capacity = batch_block + max_line_length + 1;
    // About this many lines a block (reads are sized from the lines of the
    // blocks before), so that a file of short lines does not make a block of
    // half a million, each with its read_line; never less than a longest line.
    static constexpr std::size_t batch_lines = 4096;
    static constexpr std::size_t least_read = max_line_length + 1;
    enum class stage : std::uint8_t { queued, taken, done };
    // A line with an event, or a skipped line; other lines count nothing
    // (count_line() returns at once) and are only numbered.
    struct entry {
        std::uint64_t number; // within the batch, from 1
        std::size_t offset, length;
        bool skipped;
        skip_reason why;
    };
    struct batch {
        std::unique_ptr<char[]> bytes{new char[batch_capacity]}; // not cleared: read() fills it
        std::size_t begin = 0, end = 0; // its whole lines
        bool too_long_after = false;    // an over-long line (skipped) follows them
        std::uint64_t line_count = 0;   // lines split, all of them
        std::vector<entry> entries;     // in order
        // prepare() of each entry, the first entries.size(): kept from batch
        // to batch and filled anew (a fresh read_line is some 280 bytes to clear).
        std::vector<read_line> lines;
        read_counts counts;             // what split_lines() skipped
        stage state = stage::queued;    // under mutex_
        std::exception_ptr failure;     // what prepare() threw on a worker, for count_oldest()
        std::string_view text(const entry& e) const { return std::string_view(bytes.get() + e.offset, e.length); }
    };

    // Just past the last LF in [from, to), or `from` when there is none. The
    // bytes after the last LF are an unfinished line: short, looked at from the end.
    static std::size_t after_last_lf(const char* base, std::size_t from, std::size_t to) noexcept {
        for (std::size_t i = to; i > from; --i)
            if (base[i - 1] == '\n') return i;
        return from;
    }

    // What split_lines() gives a batch.
    struct collector {
        batch& b;
        const scanner& s;
        verdict_memo& memo;
        void line(std::string_view text, std::uint64_t number) {
            read_line& r = next();
            s.prepare(text, r, memo);
            if (r.event) b.entries.push_back(entry{number, offset(text), text.size(), false, skip_reason::too_long});
        }
        void skipped(skip_reason why, std::uint64_t number) {
            read_line& r = next();
            r.reset_judgement();
            r.event.reset();
            b.entries.push_back(entry{number, 0, 0, true, why});
        }
        // The read_line of the entry to be added.
        read_line& next() {
            if (b.lines.size() == b.entries.size()) b.lines.emplace_back();
            return b.lines[b.entries.size()];
        }
        std::size_t offset(std::string_view text) const {
            return static_cast<std::size_t>(text.data() - b.bytes.get());
        }
    };

    // `memo`: the preparing thread's own (one memo for a thread sees more
    // of the log's repeats than one for each batch would).
    void prepare(batch& b, verdict_memo& memo) const {
        collector c{b, s_, memo};
        split_lines(b.bytes.get() + b.begin, b.bytes.get() + b.end, true, b.line_count, b.counts, c);
    }

    void work() {
        verdict_memo memo;
        for (;;) {
            batch* b = nullptr;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (stopping_) return;
                b = queue_.front();
                queue_.pop_front();
                b->state = stage::taken;
            }
            try {
                prepare(*b, memo);
            } catch (...) { // out of memory, most likely: thrown again where the batch is counted
                b->failure = std::current_exception();
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                b->state = stage::done;
            }
            batch_done_.notify_one(); // only this thread waits for it
        }
    }

    // The other threads, at the second block: a file of one block is read
    // here alone, without starting and joining any.
    void start_workers() {
        workers_started_ = true;
        workers_.reserve(jobs_ - 1);
        for (std::size_t k = 0; k + 1 < jobs_; ++k) {
            try {
                workers_.emplace_back([this] { work(); });
            } catch (const std::system_error&) { // no more threads to be had: the blocks left are prepared here
                break;
            }
        }
    }

    // A batch counted before, emptied (its memory kept: fresh pages cost more than the work), or a new one.
    std::unique_ptr<batch> fresh_batch() {
        if (spare_.empty()) return std::make_unique<batch>();
        std::unique_ptr<batch> b = std::move(spare_.back());
        spare_.pop_back();
        b->entries.clear();
        b->line_count = 0;
        b->counts = read_counts{};
        b->failure = nullptr;
        return b;
    }

    void submit() {
        if (!workers_started_ && !pending_.empty()) start_workers();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            current_->state = stage::queued;
            if (!workers_.empty()) queue_.push_back(current_.get());
        }
        work_ready_.notify_one();
        pending_.push_back(std::move(current_));
        current_ = fresh_batch();
        while (pending_.size() > 2 * jobs_) count_oldest();
    }

    void count_oldest() {
        std::unique_ptr<batch> b = std::move(pending_.front());
        pending_.pop_front();
        bool here = false;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            if (b->state == stage::queued) { // no thread has taken it yet
                const auto q = std::find(queue_.begin(), queue_.end(), b.get());
                if (q != queue_.end()) queue_.erase(q);
                b->state = stage::taken;
                here = true;
            } else {
                batch_done_.wait(lock, [&] { return b->state == stage::done; });
            }
        }
        if (here) prepare(*b, memo_);
        if (b->failure) std::rethrow_exception(b->failure);
        const std::uint64_t base = number_;
        for (std::size_t i = 0; i < b->entries.size(); ++i) {
            const entry& e = b->entries[i];
            if (i + prefetch_distance < b->entries.size()) s_.prefetch_message(b->lines[i + prefetch_distance]);
            if (e.skipped) s_.skipped(e.why, base + e.number);
            else s_.count_line(b->text(e), base + e.number, b->lines[i]);
        }
        number_ = base + b->line_count;
        if (b->too_long_after) {
            ++number_;
            ++counts_->too_long;
            s_.skipped(skip_reason::too_long, number_);
        }
        counts_->lines = number_;
        counts_->too_long += b->counts.too_long;
        counts_->binary += b->counts.binary;
        // The next reads sized for about batch_lines lines like these.
        if (b->line_count != 0) {
            const std::size_t per_line = std::max<std::size_t>(1, (b->end - b->begin) / b->line_count);
            read_size_ = std::clamp(per_line * batch_lines, least_read, batch_block);
        }
        spare_.push_back(std::move(b));
    }

    // How many lines ahead count_oldest() asks for a line's message: a few
    // lines' counting is about one trip to memory.
    static constexpr std::size_t prefetch_distance = 4;
    scanner& s_;
    std::size_t jobs_;
    read_counts* counts_ = nullptr;
    std::uint64_t number_ = 0;             // lines counted
    std::size_t read_size_ = batch_block;  // what a read asks for
    verdict_memo memo_;                    // for the batches prepared on this thread
    std::unique_ptr<batch> current_;
    std::deque<std::unique_ptr<batch>> pending_;
    std::vector<std::unique_ptr<batch>> spare_;
    std::mutex mutex_;
    std::condition_variable work_ready_, batch_done_;
    std::deque<batch*> queue_; // batches for the threads, oldest first
    bool stopping_ = false;
    bool workers_started_ = false;
    std::vector<std::thread> workers_;
};

// SIGINT and SIGTERM set stop_requested instead of ending the process: the
// read in progress ends (no SA_RESTART: a blocked read or sleep returns), the
// final summary is printed and the metrics server is stopped.
void catch_stop_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

// --metrics without --follow: the input has ended; the final metrics stay up
// until SIGINT or SIGTERM (a scrape after the scan still finds them).
void wait_for_stop_signal() {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    while (stop_requested == 0) sigsuspend(&old); // atomically unblocked: a signal cannot slip in between
    sigprocmask(SIG_SETMASK, &old, nullptr);
}

int run_scan(const context& ctx, scan_options& opts) {
    listen_address where;
    if (!opts.metrics.empty()) {
        std::string why;
        if (!parse_listen_address(opts.metrics, where, why)) {
            error(ctx.out, fmt::format("scan: --metrics {}: {}", printable(opts.metrics), why));
            return exit_usage;
        }
    }
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    for (auto [arg, name, into] : {std::tuple<const std::string*, const char*, std::optional<std::int64_t>*>{
                                       &opts.since, "--since", &opts.since_time},
                                   {&opts.until, "--until", &opts.until_time}}) {
        if (arg->empty()) continue;
        *into = parse_time_argument(*arg, now);
        if (!*into) {
            error(ctx.out, fmt::format("scan: {} '{}': give a date or time (2026-11-28, 2026-11-28T10:00, "
                                       "2026-11-28 10:00:00+01:00) or a time back from now (-2h, -30m, -7d, today, yesterday)",
                                       name, printable(*arg)));
            return exit_usage;
        }
    }
    input_list inputs = expand_inputs(opts.files);
    for (const std::string& e : inputs.errors) error(ctx.out, e);
    // A log's rotated files oldest first, whatever the order given
    // (`mail.log*` globs the newest first): a message's lines in mail.log.1
    // come before its later ones in mail.log, and --follow follows mail.log.
    order_rotations(inputs.files);
    // --html over one of the logs would replace the log with the page.
    if (!opts.html.empty()) {
        struct stat page {};
        if (::stat(opts.html.c_str(), &page) == 0)
            for (const std::string& f : inputs.files) {
                struct stat st {};
                if (f != "-" && ::stat(f.c_str(), &st) == 0 && st.st_dev == page.st_dev && st.st_ino == page.st_ino) {
                    error(ctx.out, fmt::format("scan: --html {}: that is one of the logs read", printable(opts.html)));
                    return exit_usage;
                }
            }
    }
    opts.files = inputs.files;
    const bool exim_mainlog_read = std::any_of(inputs.files.begin(), inputs.files.end(),
                                               [](const std::string& f) { return is_exim_log(f, "mainlog"); });
    scanner sc(ctx, opts);
    metrics_server server;
    if (!opts.metrics.empty()) {
        std::string why;
        if (!server.start(where, why)) {
            error(ctx.out, fmt::format("scan: --metrics {}: {}", printable(opts.metrics), why));
            return exit_usage;
        }
    }
    const bool live = opts.follow || !opts.metrics.empty();
    if (live) {
        catch_stop_signals();
        sc.go_live(opts.metrics.empty() ? nullptr : &server); // the first metrics, before anyone is told where
    }
    if (!opts.metrics.empty()) {
        // The address bound, also for port 0 (a free port chosen by the system).
        fmt::print(stderr, "esc: serving metrics at http://{}/metrics\n", server.address());
        std::fflush(stderr);
    }
    // Not while attempts stream to the same terminal: the two would garble each other.
    const bool streaming_to_terminal = (opts.json || opts.attempts) && ctx.out.stdout_tty;
    progress_meter meter(ctx.out.stderr_tty && !opts.no_progress && !streaming_to_terminal && !opts.follow,
                         ctx.out.utf8);
    meter.set_width(ctx.out.err_width);
    const std::size_t jobs = opts.jobs != 0 ? opts.jobs : available_cores();
    std::size_t read = 0;
    for (const std::string& name : inputs.files) {
        if (stop_requested != 0) break;
        input_stream in(name);
        // Syslog times have no year: the file's modification time gives it (now for a pipe).
        std::int64_t reference = now;
        struct stat st {};
        if (in.ok() && in.regular() && ::fstat(in.fd(), &st) == 0) reference = static_cast<std::int64_t>(st.st_mtime);
        sc.set_file(in.name(), reference, exim_mainlog_read && is_exim_log(name, "rejectlog"));
        if (name == "-" && ctx.out.stdin_tty) warn(ctx.out, "reading a log from the terminal; end with Ctrl-D");
        if (!in.ok()) {
            error(ctx.out, fmt::format("{}: {}", printable(name), in.error()));
            sc.unreadable();
            continue;
        }
        sc.stream(stream_records(ctx.out));
        // The others are read to their end. The stop flag also ends a long
        // read of a finished file when metrics are served.
        in.follow(opts.follow && &name == &inputs.files.back(), live ? &stop_requested : nullptr);
        in.watch(!opts.metrics.empty()); // the metrics renewed during a long read too
        meter.start(in.name());
        read_counts counts;
        sc.reading(&counts);
        bool complete = false;
        // Several threads on a file read to its end; a pipe or a followed log line by line, as it
        // comes (a record is printed when its line is read, a summary drawn when it is due).
        if (jobs > 1 && in.regular() && !live) {
            parallel_scan_sink sink(sc, jobs);
            complete = sink.read(in, counts, &meter);
        } else {
            scan_sink sink{sc};
            complete = read_lines(in, sink, counts, &meter);
        }
        sc.reading(nullptr);
        meter.finish();
        if (!complete && counts.bytes == 0) {
            // Nothing came out of it (xz without liblzma, a corrupt header): the input was not read at all.
            error(ctx.out, fmt::format("{}: {}", printable(name), in.error()));
            sc.unreadable();
            continue;
        }
        ++read;
        sc.add_counts(counts);
        if (!complete) sc.read_failed(in.error());
    }
    if (read == 0 && (!inputs.errors.empty() || sc.any_unreadable())) return exit_not_understood; // no report of nothing
    int status = sc.finish();
    if (!opts.html.empty() && !write_html(ctx, opts, sc.report(opts.top))) status = exit_not_understood;
    if (!opts.metrics.empty() && !opts.follow && stop_requested == 0) {
        fmt::print(stderr, "esc: the input has ended; serving its metrics at http://{}/metrics until "
                           "interrupted (Ctrl-C or SIGTERM)\n", server.address());
        std::fflush(stderr);
        wait_for_stop_signal();
    }
    return inputs.errors.empty() && !sc.any_unreadable() ? status : exit_not_understood;
}

} // namespace

subcommand add_scan(CLI::App& app, const context& ctx) {
    auto* cmd = app.add_subcommand("scan", "Summarise the delivery failures in Postfix, Exim or sendmail logs");
    auto opts = std::make_shared<scan_options>();
    cmd->add_option("LOGFILE", opts->files, "Mail logs, or folders of them (read recursively); plain, gzip, xz, bzip2 or zstd, told by "
                    "content; '-' or none for standard input");
    cmd->add_flag("--json", opts->json,
                  "Write JSON Lines, one object per delivery attempt with file, line, timestamp, queue_id, "
                  "recipient, domain, disposition, relay, reply_code, status, outcome, reason, text (what the server "
                  "or the MTA said); no summary. The schema is share/esc/esc-records.schema.json");
    cmd->add_flag("-a,--attempts", opts->attempts, "List every delivery attempt before the summary");
    cmd->add_option("--top", opts->top, "Rows in the domain and status code tables")->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--html", opts->html,
                    "Also write the summary as one self-contained HTML page (charts and tables, no network "
                    "resources) to FILE at the end (with --follow: when stopped), through FILE.tmp renamed over it")
        ->type_name("FILE");
    cmd->add_option("--since", opts->since,
                    "Only lines logged at or after this time: 2026-11-28, '2026-11-28 10:00', 2026-11-28T10:00:00+01:00 "
                    "(no zone: UTC), or back from now: -2h, -30m, -7d, today, yesterday");
    cmd->add_option("--until", opts->until, "Only lines logged before this time (the forms of --since)");
    cmd->add_option("--time-table", opts->time_table,
                    "Attempts and rejects over time: per hour, per day, none, or auto (per hour for up to two days)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "hour", "day", "none"}));
    cmd->add_option("--max-open", opts->max_open,
                    "At most this many messages followed at once for the joins by queue ID; past it the oldest is "
                    "counted as it stands")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000000}));
    cmd->add_flag("--no-progress", opts->no_progress, "No progress bar on standard error");
    cmd->add_option("-j,--jobs", opts->jobs,
                    "Threads that read a log file, at most 64 (0, the default: the cores available); the result "
                    "is the same for any number. Pipes and followed logs are read by one")
        ->check(CLI::Range(0, 64));
    cmd->add_flag("-f,--follow", opts->follow,
                  "As tail -F: at the end of the (last) log, wait for more lines; a log rotated (renamed and created "
                  "anew) is read to its end and the new one from its start, a truncated one from its start. With "
                  "--json or -a the attempts are printed as they come; else the summary every --interval. Ctrl-C or "
                  "SIGTERM stops it with the final summary (exit status as at the end of a log)");
    cmd->add_option("--interval", opts->interval, "Seconds between summaries with --follow (without --json or -a)")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 86400.0))
        ->type_name("SECONDS");
    cmd->add_option("--metrics", opts->metrics,
                    "Serve Prometheus metrics at http://HOST:PORT/metrics while scanning (HOST:PORT, :PORT for every "
                    "interface, [IPV6]:PORT; port 0 picks a free one, printed on standard error). Without --follow "
                    "the final metrics stay served after the end of the input until Ctrl-C or SIGTERM")
        ->type_name("HOST:PORT");
    cmd->footer("A delivery attempt is a Postfix 'status=' line (smtp, lmtp, local, virtual, pipe, error), an Exim "
                "'=>', '->', '==' or '**' line, or a sendmail 'stat=' line. The reply in it is classified with "
                "esc::classify(); the MTA's dsn= field stands in for a missing enhanced code. A message's lines are "
                "joined by its queue ID (Exim: message ID): the summary counts messages beside attempts, with "
                "their delays; inbound rejects (NOQUEUE reject, postscreen, milter-reject, Exim's rejected RCPT, "
                "sendmail's reject=) are counted by reason and client. Times are shown in UTC; a syslog time has "
                "no year, and takes the latest that does not put it after the file's modification time. A "
                "progress bar shows on standard error when it is a terminal.\n\nExamples:\n"
                "  esc scan /var/log/mail.log*    "
                "# Debian's mail.log, mail.log.1 and the rotated mail.log.N.gz\n"
                "  esc scan --since yesterday --until today /var/log/mail.log*   # one day, per hour\n"
                "  esc scan --html report.html /var/log/mail.log   # also a page with charts\n"
                "  esc scan --json /var/log/exim4/mainlog | jq -r 'select(.outcome != \"success\") | .domain'\n"
                "  esc scan -f --json /var/log/mail.log | jq -c 'select(.outcome == \"permanent\")'\n"
                "  esc scan -f --interval 60 /var/log/mail.log     # the summary, redrawn every minute\n"
                "  esc scan -f --metrics 127.0.0.1:9469 /var/log/mail.log > /dev/null   # for Prometheus\n\n"
                "Metrics (--metrics): esc_delivery_attempts_total{disposition}, esc_failures_total{reason,"
                "disposition}, esc_failure_status_total{status}, esc_domain_attempts_total{domain,disposition} and "
                "esc_relay_failures_total{relay,disposition} (the top rows only: each label value is a time series), "
                "esc_inbound_rejects_total{reason}, esc_messages_total{state}, esc_open_messages, "
                "esc_lines_read_total, esc_bytes_read_total and more; GET / says where they are.");
    return {cmd, [&ctx, opts] { return run_scan(ctx, *opts); }};
}

} // namespace esc_cli
