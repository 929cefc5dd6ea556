// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc scan: the delivery attempts in Postfix, Exim and sendmail logs, and a
// summary of the failures: by reason, by recipient domain, by status code.
//
// Built for large logs: lines come from read_lines() as views into big
// blocks, parse_log_line() rejects most of them after a memchr(), and nothing
// is allocated per line. A sent delivery is only counted, unless its details
// are printed (--json, --attempts); failures are classified with esc::classify().
#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <esc/classify.hpp>
#include <esc/reason.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/status.hpp>

#include "cli.hpp"
#include "input.hpp"
#include "log_parser.hpp"
#include "records.hpp"

namespace esc_cli {

namespace {

struct scan_options {
    std::vector<std::string> files;
    bool json = false;
    bool attempts = false;
    bool no_progress = false;
    bool follow = false;
    std::size_t top = 10;
};

constexpr std::size_t kind_count = static_cast<std::size_t>(disposition_kind::malformed) + 1;

struct domain_counts {
    std::uint64_t attempts = 0, sent = 0, deferred = 0, bounced = 0;
    std::array<std::uint32_t, esc::reason_count> reasons{};
};

// Recipient domain -> counts; an open-addressing table keyed by the
// lower-cased domain, so that counting a domain seen before allocates nothing.
class domain_table {
public:
    domain_table() : slots_(1024) {}

    domain_counts& at(std::string_view domain) {
        char key_buffer[256];
        const std::size_t n = std::min(domain.size(), sizeof key_buffer);
        for (std::size_t i = 0; i < n; ++i) {
            const char c = domain[i];
            key_buffer[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        const std::string_view key(key_buffer, n);
        const std::size_t hash = std::hash<std::string_view>{}(key);
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            slot& s = slots_[i];
            if (s.index == empty) {
                if ((names_.size() + 1) * 2 > slots_.size()) {
                    grow();
                    return at(domain);
                }
                s.hash = hash;
                s.index = static_cast<std::uint32_t>(names_.size());
                names_.emplace_back(key);
                counts_.emplace_back();
                return counts_.back();
            }
            if (s.hash == hash && names_[s.index] == key) return counts_[s.index];
        }
    }

    std::size_t size() const noexcept { return names_.size(); }
    const std::string& name(std::size_t i) const { return names_[i]; }
    const domain_counts& counts(std::size_t i) const { return counts_[i]; }

private:
    static constexpr std::uint32_t empty = 0xFFFFFFFFu;
    struct slot {
        std::size_t hash = 0;
        std::uint32_t index = empty;
    };

    void grow() {
        std::vector<slot> bigger(slots_.size() * 2);
        const std::size_t mask = bigger.size() - 1;
        for (const slot& s : slots_) {
            if (s.index == empty) continue;
            std::size_t i = s.hash & mask;
            while (bigger[i].index != empty) i = (i + 1) & mask;
            bigger[i] = s;
        }
        slots_.swap(bigger);
    }

    std::vector<slot> slots_;
    std::vector<std::string> names_;
    std::vector<domain_counts> counts_;
};

constexpr std::uint32_t status_key(esc::status_code s) noexcept {
    return static_cast<std::uint32_t>(s.cls) * 1000000u + s.subject * 1000u + s.detail;
}

constexpr esc::status_code status_from_key(std::uint32_t k) noexcept {
    return {static_cast<esc::status_class>(k / 1000000u), static_cast<std::uint16_t>(k / 1000u % 1000u),
            static_cast<std::uint16_t>(k % 1000u)};
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

// Postfix's own text (no server replied) for mail that its routing hands back to itself, with
// dsn=5.4.6: the MX or relayhost of the domain is this host, which does not list the domain as
// its own. The library reads X.4.6 as the network trouble a remote server's loop report usually
// is; here it is this MTA's configuration, and retrying does not help until it changes.
bool is_local_routing_loop(const delivery_attempt& a, bool server_replied) {
    return a.format == log_format::postfix && !server_replied && a.dsn == "5.4.6" &&
           a.text.find("loops back to myself") != std::string_view::npos;
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
        v.outcome = esc::outcome::permanent;
        v.reason = esc::reason::system_error;
    }
    // A failure has a reason, even when the text quotes a positive reply.
    const bool failure = a.kind == disposition_kind::deferred || a.kind == disposition_kind::bounced;
    if (v.reason == esc::reason::none && failure) v.reason = esc::reason::other;
    return v;
}

class scanner {
public:
    scanner(const context& ctx, const scan_options& o) : ctx_(ctx), opts_(o), p_{ctx.out.color_out}, out_(stdout) {}

    void set_file(std::string name) {
        file_ = std::move(name);
        shown_files_.push_back(printable(file_));
    }
    void stream(bool per_record) { out_.set_per_record(per_record); }
    void waiting() { out_.flush_pending(); }
    void unreadable() {
        shown_files_.pop_back();
        ++unreadable_;
    }
    bool any_unreadable() const { return unreadable_ != 0; }

    void line(std::string_view text, std::uint64_t number) {
        const std::optional<delivery_attempt> a = parse_log_line(text);
        if (!a) return;
        if (!is_valid_utf8(text)) ++invalid_utf8_; // still read; printed with U+FFFD
        attempt(*a, number, text);
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
        if (!opts_.json) summary();
        else {
            for (const std::string& problem : problems()) warn(ctx_.out, problem);
            for (const std::string& note : notes()) warn(ctx_.out, note);
        }
        out_.flush();
        const bool trouble = malformed_ != 0 || too_long_ != 0 || binary_ != 0 || read_errors_ != 0;
        return trouble ? exit_not_understood : exit_ok;
    }

private:
    void attempt(const delivery_attempt& a, std::uint64_t number, std::string_view line) {
        if (a.kind == disposition_kind::malformed) {
            ++malformed_;
            warn_line(ctx_.out, warned_,
                      fmt::format("{}:{}: a delivery line whose fields cannot be read", file_, number));
            return;
        }
        formats_[static_cast<std::size_t>(a.format)] = true;
        if (a.kind == disposition_kind::expired) {
            ++expired_; // a message given up on, not a delivery attempt
            return;
        }
        // Neither is an attempt: a deferral logged without trying, an address-verification probe.
        if (a.kind == disposition_kind::not_attempted) {
            ++not_attempted_;
            return;
        }
        if (a.kind == disposition_kind::probe) {
            ++probes_;
            return;
        }
        const bool details = opts_.json || opts_.attempts;
        const verdict v = judge(a, details, ctx_.rules.get());
        const bool failure = a.kind == disposition_kind::deferred || a.kind == disposition_kind::bounced;
        std::string_view list = a.recipients;
        for (std::string_view rcpt = next_recipient(list); !rcpt.empty(); rcpt = next_recipient(list)) {
            ++attempts_;
            ++kinds_[static_cast<std::size_t>(a.kind)];
            domain_counts& d = domains_.at(domain_of(rcpt));
            ++d.attempts;
            if (a.kind == disposition_kind::sent) ++d.sent;
            if (failure) {
                if (v.status) ++codes_[status_key(*v.status)];
                auto& row = reasons_[static_cast<std::size_t>(v.reason)];
                ++(a.kind == disposition_kind::deferred ? row[0] : row[1]);
                ++(a.kind == disposition_kind::deferred ? d.deferred : d.bounced);
                ++d.reasons[static_cast<std::size_t>(v.reason)];
            }
            if (opts_.json)
                print_json(a, v, rcpt, number, line);
            else if (opts_.attempts)
                print_attempt(a, v, rcpt, number);
        }
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

    void summary();

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
    std::uint64_t lines_ = 0, bytes_ = 0, attempts_ = 0, expired_ = 0, not_attempted_ = 0, probes_ = 0;
    std::uint64_t malformed_ = 0, too_long_ = 0, binary_ = 0, read_errors_ = 0, warned_ = 0, invalid_utf8_ = 0;
    std::array<bool, 3> formats_{};
    std::array<std::uint64_t, kind_count> kinds_{};
    std::array<std::array<std::uint64_t, 2>, esc::reason_count> reasons_{}; // deferred, bounced
    std::unordered_map<std::uint32_t, std::uint64_t> codes_;
    domain_table domains_;
};

void scanner::summary() {
    const console& con = ctx_.out;
    const palette& p = p_;
    std::string s;
    if (opts_.attempts && attempts_ != 0) s += "\n";

    std::string formats;
    for (std::size_t i = 0; i < formats_.size(); ++i) {
        if (!formats_[i]) continue;
        static constexpr const char* names[] = {"Postfix", "Exim", "sendmail"};
        formats += (formats.empty() ? "" : ", ") + std::string(names[i]);
    }
    std::string files;
    for (const std::string& f : shown_files_) files += (files.empty() ? "" : ", ") + f;
    const std::string counts = fmt::format("{} lines ({}), {} delivery attempts{}", with_commas(lines_),
                                           human_bytes(bytes_), with_commas(attempts_),
                                           formats.empty() ? "" : " (" + formats + ")");
    if (con.width == 0 || display_width(files) + 2 + display_width(counts) <= static_cast<std::size_t>(con.width))
        s += fmt::format("{}  {}\n", fmt::styled(files, p.heading()), counts);
    else
        s += fmt::format("{}\n  {}\n", fmt::styled(wrap(files, static_cast<std::size_t>(con.width), 0), p.heading()),
                         wrap(counts, static_cast<std::size_t>(con.width) - 2, 2));

    const std::uint64_t deferred = kinds_[static_cast<std::size_t>(disposition_kind::deferred)];
    const std::uint64_t bounced = kinds_[static_cast<std::size_t>(disposition_kind::bounced)];
    const std::uint64_t failures = deferred + bounced;
    const auto width = static_cast<std::size_t>(con.width); // 0 into a pipe or a file: nothing is wrapped
    // "  disposition  attempts   share  " is 37 columns; the bar gets what is left of the width, up to 30.
    const std::size_t bar_width = width == 0 ? 30 : std::min<std::size_t>(30, width > 37 + 5 ? width - 37 - 1 : 4);

    // Sent, deferred, bounced.
    s += fmt::format("\n{}\n", fmt::styled("Deliveries", p.heading()));
    {
        table t({{"disposition"}, {"attempts", table::align::right}, {"share", table::align::right}, {""}});
        const std::pair<disposition_kind, esc::outcome> rows[] = {
            {disposition_kind::sent, esc::outcome::success},
            {disposition_kind::deferred, esc::outcome::transient},
            {disposition_kind::bounced, esc::outcome::permanent},
            {disposition_kind::other, esc::outcome::unknown}};
        for (const auto& [kind, outcome] : rows) {
            const std::uint64_t n = kinds_[static_cast<std::size_t>(kind)];
            if (n == 0 && kind == disposition_kind::other) continue;
            t.add({{std::string(to_string(kind)), p.outcome(outcome)}, with_commas(n), percent(n, attempts_),
                   {bar(n, attempts_, bar_width, con.utf8), p.outcome(outcome)}});
        }
        s += t.render("  ", p.label(), true, width);
        if (expired_ != 0)
            s += "  " + wrap(fmt::format("{} message{} expired in the queue and went back to the sender",
                                         with_commas(expired_), expired_ == 1 ? "" : "s"),
                             width == 0 ? 0 : width - 2, 2) +
                 "\n";
        if (not_attempted_ != 0)
            s += "  " + wrap(fmt::format("{} deferral{} logged without a delivery attempt (retry time not reached, "
                                         "destination suspended), not counted as attempts",
                                         with_commas(not_attempted_), not_attempted_ == 1 ? "" : "s"),
                             width == 0 ? 0 : width - 2, 2) +
                 "\n";
        if (probes_ != 0)
            s += "  " + wrap(fmt::format("{} address-verification probe{}, not counted as deliveries",
                                         with_commas(probes_), probes_ == 1 ? "" : "s"),
                             width == 0 ? 0 : width - 2, 2) +
                 "\n";
    }

    if (failures == 0) {
        s += "\nNo failed delivery attempts.\n";
    } else {
        // Why: reasons, with what the deferrals and the bounces were each.
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < reasons_.size(); ++i)
            if (reasons_[i][0] + reasons_[i][1] != 0) order.push_back(i);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const auto ta = reasons_[a][0] + reasons_[a][1], tb = reasons_[b][0] + reasons_[b][1];
            return ta != tb ? ta > tb : a < b;
        });
        s += fmt::format("\n{}\n", fmt::styled("Failures by reason", p.heading()));
        // On a terminal the advice wraps within its column; elsewhere it stays on one line.
        table t({{"reason"},
                 {"deferred", table::align::right},
                 {"bounced", table::align::right},
                 {"share", table::align::right},
                 {"next step", table::align::left, true}});
        for (std::size_t i : order) {
            const auto r = static_cast<esc::reason>(i);
            const auto& row = reasons_[i];
            const esc::outcome o = row[1] >= row[0] ? esc::outcome::permanent : esc::outcome::transient;
            t.add({{std::string(esc::to_string(r)), p.outcome(o)},
                   row[0] != 0 ? with_commas(row[0]) : "-",
                   row[1] != 0 ? with_commas(row[1]) : "-",
                   percent(row[0] + row[1], failures),
                   {std::string(esc::advice(o, r)), p.label()}});
        }
        t.add({{"total", p.heading()},
               {with_commas(deferred), p.heading()},
               {with_commas(bounced), p.heading()},
               {"100.0%", p.heading()},
               {}});
        s += t.render("  ", p.label(), true, width);

        // Where: the recipient domains with the most failures.
        std::vector<std::size_t> doms;
        for (std::size_t i = 0; i < domains_.size(); ++i)
            if (domains_.counts(i).deferred + domains_.counts(i).bounced != 0) doms.push_back(i);
        std::sort(doms.begin(), doms.end(), [&](std::size_t a, std::size_t b) {
            const auto& ca = domains_.counts(a);
            const auto& cb = domains_.counts(b);
            const auto fa = ca.deferred + ca.bounced, fb = cb.deferred + cb.bounced;
            return fa != fb ? fa > fb : domains_.name(a) < domains_.name(b);
        });
        const std::size_t shown = std::min(doms.size(), opts_.top);
        s += fmt::format("\n{}\n", fmt::styled(wrap(shown < doms.size()
                                                        ? fmt::format("Failures by recipient domain (top {} of {})",
                                                                      shown, doms.size())
                                                        : std::string("Failures by recipient domain"),
                                                    width, 0),
                                               p.heading()));
        table d({{"domain", table::align::left, true},
                 {"attempts", table::align::right},
                 {"deferred", table::align::right},
                 {"bounced", table::align::right},
                 {"fail rate", table::align::right},
                 {"main reason"}});
        for (std::size_t k = 0; k < shown; ++k) {
            const std::size_t i = doms[k];
            const domain_counts& c = domains_.counts(i);
            std::size_t top_reason = 0;
            for (std::size_t r = 1; r < c.reasons.size(); ++r)
                if (c.reasons[r] > c.reasons[top_reason]) top_reason = r;
            const std::string name = domains_.name(i).empty() ? "(no domain)" : printable(domains_.name(i));
            d.add({width == 0 ? name : truncate_to_width(name, 40, con.utf8), with_commas(c.attempts),
                   c.deferred != 0 ? with_commas(c.deferred) : "-", c.bounced != 0 ? with_commas(c.bounced) : "-",
                   percent(c.deferred + c.bounced, c.attempts),
                   std::string(esc::to_string(static_cast<esc::reason>(top_reason)))});
        }
        s += d.render("  ", p.label(), true, width);

        // What the servers said: the enhanced codes of the failures.
        std::vector<std::pair<std::uint32_t, std::uint64_t>> codes(codes_.begin(), codes_.end());
        std::sort(codes.begin(), codes.end(),
                  [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
        if (!codes.empty()) {
            const std::size_t n = std::min(codes.size(), opts_.top);
            s += fmt::format("\n{}\n",
                             fmt::styled(wrap(n < codes.size()
                                                  ? fmt::format("Top enhanced status codes in failures (top {} of {})",
                                                                n, codes.size())
                                                  : std::string("Enhanced status codes in failures"),
                                              width, 0),
                                         p.heading()));
            table c({{"status"}, {"attempts", table::align::right}, {"share", table::align::right},
                     {"title", table::align::left, true}});
            std::uint64_t with_code = 0;
            for (const auto& kv : codes) with_code += kv.second;
            for (std::size_t k = 0; k < n; ++k) {
                const esc::status_code st = status_from_key(codes[k].first);
                const bool listed = esc::lookup(st) != nullptr;
                c.add({{std::string(esc::to_string(st)), p.code()}, with_commas(codes[k].second),
                       percent(codes[k].second, with_code),
                       std::string(esc::describe(st)) + (listed ? "" : " (unregistered detail)")});
            }
            s += c.render("  ", p.label(), true, width);
        }
    }

    const std::vector<std::string> trouble = problems();
    const std::vector<std::string> remarks = notes();
    if (!trouble.empty() || !remarks.empty()) s += "\n";
    const std::size_t note_width = con.width == 0 ? 0 : static_cast<std::size_t>(con.width) - 4;
    for (const auto& pr : trouble) s += fmt::format("  {} {}\n", fmt::styled("!", p.warning()), wrap(pr, note_width, 4));
    for (const auto& note : remarks) s += fmt::format("  {} {}\n", fmt::styled("i", p.label()), wrap(note, note_width, 4));
    out_.write(s);
}

struct scan_sink {
    scanner& s;
    void line(std::string_view text, std::uint64_t number) { s.line(text, number); }
    void skipped(skip_reason why, std::uint64_t number) { s.skipped(why, number); }
    void waiting() { s.waiting(); }
};

int run_scan(const context& ctx, scan_options& opts) {
    if (opts.follow && !opts.json && !opts.attempts) {
        error(ctx.out, "scan: --follow prints attempts as they come: give --json or -a too (a summary needs an end)");
        return exit_usage;
    }
    const input_list inputs = expand_inputs(opts.files);
    for (const std::string& e : inputs.errors) error(ctx.out, e);
    opts.files = inputs.files;
    scanner sc(ctx, opts);
    // Not while attempts stream to the same terminal: the two would garble each other.
    const bool streaming_to_terminal = (opts.json || opts.attempts) && ctx.out.stdout_tty;
    progress_meter meter(ctx.out.stderr_tty && !opts.no_progress && !streaming_to_terminal && !opts.follow,
                         ctx.out.utf8);
    meter.set_width(ctx.out.err_width);
    std::size_t read = 0;
    for (const std::string& name : inputs.files) {
        input_stream in(name);
        sc.set_file(in.name());
        if (name == "-" && ctx.out.stdin_tty) warn(ctx.out, "reading a log from the terminal; end with Ctrl-D");
        if (!in.ok()) {
            error(ctx.out, fmt::format("{}: {}", printable(name), in.error()));
            sc.unreadable();
            continue;
        }
        sc.stream(stream_records(ctx.out));
        in.follow(opts.follow && &name == &inputs.files.back()); // the others are read to their end
        meter.start(in.name());
        scan_sink sink{sc};
        read_counts counts;
        const bool complete = read_lines(in, sink, counts, &meter);
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
    const int status = sc.finish();
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
    cmd->add_flag("--no-progress", opts->no_progress, "No progress bar on standard error");
    cmd->add_flag("-f,--follow", opts->follow,
                  "As tail -f: at the end of the (last) log, wait for more lines and print their attempts as they "
                  "come (with --json or -a); stop with Ctrl-C");
    cmd->footer("A delivery attempt is a Postfix 'status=' line (smtp, lmtp, local, virtual, pipe, error), an Exim "
                "'=>', '->', '==' or '**' line, or a sendmail 'stat=' line. The reply in it is classified with "
                "esc::classify(); the MTA's dsn= field stands in for a missing enhanced code. A progress bar shows "
                "on standard error when it is a terminal.\n\nExamples:\n  esc scan /var/log/mail.log*    "
                "# Debian's mail.log, mail.log.1 and the rotated mail.log.N.gz\n"
                "  esc scan --json /var/log/exim4/mainlog | jq -r 'select(.outcome != \"success\") | .domain'\n"
                "  esc scan -f --json /var/log/mail.log | jq -c 'select(.outcome == \"permanent\")'");
    return {cmd, [&ctx, opts] { return run_scan(ctx, *opts); }};
}

} // namespace esc_cli
