// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc dsn: bounce messages (RFC 3464 reports, or prose bounces) to one record
// per recipient. The reading is esc::read_bounce() (include/esc/bounce.hpp).
#include <esc/charset_cjk.hpp>
#include <esc/dsn_string.hpp>
#include <esc/mbox.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli.hpp"
#include "input.hpp"
#include "output.hpp"
#include "records.hpp"

namespace esc_cli {

namespace {

// Keys in the documented order; unknown values are null.
// Where a record comes from: the file, the message's number in an mbox (0 when
// the file is one message) and the line the message starts on.
struct origin {
    std::string file;
    std::size_t message = 0;
    std::uint64_t line = 1;
    std::string shown() const { return message != 0 ? fmt::format("{}:{}", file, message) : file; }
};

void add_origin(nlohmann::ordered_json& j, const origin& o) {
    j["file"] = printable(o.file);
    j["message"] = o.message != 0 ? nlohmann::ordered_json(o.message) : nlohmann::ordered_json(nullptr);
    j["line"] = o.line;
}

nlohmann::ordered_json to_json(const origin& where, const esc::bounce_record& r) {
    auto string_or_null = [](const std::string& s) {
        return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
    };
    nlohmann::ordered_json j;
    add_origin(j, where);
    j["recipient"] = r.recipient;
    j["action"] = string_or_null(r.action);
    j["status"] = string_or_null(r.status);
    j["reply_code"] = r.reply_code ? nlohmann::ordered_json(*r.reply_code) : nlohmann::ordered_json(nullptr);
    j["diagnostic"] = string_or_null(r.diagnostic);
    j["outcome"] = r.outcome;
    j["reason"] = r.reason;
    j["verdict"] = r.verdict;
    j["why"] = why_json(r.why_by, r.why_text, r.why_rule, r.why_provider, r.why_source);
    j["source"] = r.source;
    j["original_recipient"] = string_or_null(r.original); // the ORCPT, what a list subscribed
    return j;
}

// A header field's value unfolded, or null when it is empty.
nlohmann::ordered_json unfolded_or_null(std::string_view value) {
    return value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(esc::unfold(value));
}

// The returned message as the bounce quotes it, the fields asked for with
// --header, and the recipient a VERP return path names.
void add_returned(nlohmann::ordered_json& j, const esc::bounce_report& report, const std::vector<std::string>& headers) {
    const auto text_or_null = unfolded_or_null;
    const esc::returned_message& m = report.returned;
    nlohmann::ordered_json r;
    r["message_id"] = text_or_null(m.message_id);
    r["subject"] = text_or_null(m.subject);
    r["from"] = text_or_null(m.from);
    r["to"] = text_or_null(m.to);
    r["date"] = text_or_null(m.date);
    r["list_id"] = text_or_null(m.list_id);
    for (const std::string& name : headers) {
        const std::optional<esc::header_field> f = esc::find_field(m.header, name);
        r[name] = f ? text_or_null(f->value) : nlohmann::ordered_json(nullptr);
    }
    j["returned"] = r;
    std::string verp(report.to.size(), '\0');
    const std::string_view to = esc::detail::find_address(report.to, 0).address;
    j["verp_recipient"] = text_or_null(esc::decode_verp(to, verp.data(), verp.data() + verp.size()));
}

// "FILE  note"; on a terminal too narrow for it, the note on the next line.
std::string name_and_note(const context& ctx, const std::string& name, const std::string& note, fmt::text_style style) {
    const auto width = static_cast<std::size_t>(ctx.out.width);
    const std::string shown = printable(name);
    if (width == 0 || display_width(shown) + 2 + display_width(note) <= width)
        return fmt::format("{}  {}\n", shown, paint(note, style));
    return fmt::format("{}\n{}\n", wrap(shown, width, 0), paint(indented(note, width, 2), style));
}

// The figures of the summary line.
struct dsn_counts {
    std::size_t messages = 0, without_recipients = 0;
    std::map<std::string, std::size_t> by_reason;
    void add(const dsn_counts& o) {
        messages += o.messages;
        without_recipients += o.without_recipients;
        for (const auto& [reason, n] : o.by_reason) by_reason[reason] += n;
    }
};

// One message read: its records written to `out` (a writer, or a recorded_output
// on a worker thread) and counted. Reads ctx, pal and headers only.
template <class Out>
void read_message(const context& ctx, const palette& pal, bool json, const std::vector<std::string>& headers,
                  std::string_view text, const origin& where, Out& out, dsn_counts& counts) {
    ++counts.messages;
    // Japanese and Chinese bounces are read in UTF-8 too (<esc/charset_cjk.hpp>).
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    const esc::owned_bounce bounce = esc::read_bounce(text, options);
    const std::string name = where.shown();
    if (bounce.report.kind == esc::report_kind::feedback) {
        // A complaint (ARF, RFC 5965): who complained about what, not a failure.
        ++counts.without_recipients;
        const esc::feedback_fields& f = bounce.report.feedback;
        if (json) {
            const auto text_or_null = unfolded_or_null;
            nlohmann::ordered_json j;
            add_origin(j, where);
            j["kind"] = "feedback";
            j["feedback_type"] = text_or_null(f.feedback_type);
            j["user_agent"] = text_or_null(f.user_agent);
            j["original_mail_from"] = text_or_null(f.original_mail_from);
            j["original_rcpt_to"] = text_or_null(f.original_rcpt_to);
            j["arrival_date"] = text_or_null(f.arrival_date);
            j["source_ip"] = text_or_null(f.source_ip);
            j["reported_domain"] = text_or_null(f.reported_domain);
            out.write(json_line(j));
            out.end_record();
        } else {
            out.write(name_and_note(ctx, name,
                                    fmt::format("feedback report ({}){}{}",
                                                f.feedback_type.empty() ? "-" : f.feedback_type,
                                                f.original_rcpt_to.empty() ? "" : " from ",
                                                printable(std::string(f.original_rcpt_to))),
                                    pal.warning()));
        }
    } else if (bounce.report.count == 0) {
        ++counts.without_recipients;
        if (!json)
            out.write(name_and_note(ctx, name, fmt::format("no recipients ({})", esc::to_string(bounce.report.error)),
                                    pal.warning()));
    }
    for (esc::bounce_recipient r : bounce.report) {
        if (ctx.rules) esc::apply_rules(r.classification, r.diagnostic, *ctx.rules);
        const esc::bounce_record rec = esc::to_record(r);
        ++counts.by_reason[rec.reason];
        if (json) {
            nlohmann::ordered_json j = to_json(where, rec);
            add_returned(j, bounce.report, headers);
            out.write(json_line(j));
            out.end_record();
            continue;
        }
        const std::string shown = rec.original.empty() || esc::detail::iequals(rec.original, rec.recipient)
                                      ? rec.recipient
                                      : fmt::format("{} (original {})", rec.recipient, rec.original);
        const std::string status_text = rec.status.empty() ? "-" : rec.status;
        const std::string code_text = rec.reply_code ? std::to_string(*rec.reply_code) : "-";
        const std::string diagnostic = printable(rec.diagnostic.empty() ? "(no diagnostic)" : rec.diagnostic);
        const auto width = static_cast<std::size_t>(ctx.out.width);
        const std::string plain = fmt::format("{}  {}  {} {} {}  {}  [{}]", printable(name), printable(shown),
                                              status_text, code_text, rec.outcome, rec.reason, rec.source);
        if (width != 0 && display_width(plain) > width) {
            // A narrow terminal: the file on a line of its own, the rest wrapped under it.
            out.print("{}\n{}\n{}\n", wrap(printable(name), width, 0),
                      indented(fmt::format("{}  {} {} {}  {}  [{}]", printable(shown), status_text, code_text,
                                           rec.outcome, rec.reason, rec.source),
                               width, 2),
                      indented(diagnostic, width, 4));
        } else {
            out.print("{}  {}  {} {} {}  {}  [{}]\n{}\n", printable(name), printable(shown), status_text, code_text,
                      paint(rec.outcome, pal.outcome(esc::parse_outcome(rec.outcome).value_or(esc::outcome::unknown))),
                      paint(rec.reason, pal.heading()), rec.source,
                      width != 0 ? indented(diagnostic, width, 4) : "    " + diagnostic);
        }
        out.end_record();
    }
}

// A message's output made on a worker thread: the writes in the order made
// and where a record ended, replayed into the writer in the message's turn
// (so it is flushed at the same places as with one thread).
class recorded_output {
public:
    void write(std::string_view s) {
        text_.append(s.data(), s.size());
        marks_.push_back({text_.size(), false});
    }
    template <class... Args>
    void print(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(text_), f, std::forward<Args>(args)...);
        marks_.push_back({text_.size(), false});
    }
    void end_record() { marks_.push_back({text_.size(), true}); }
    void replay(writer& out) const {
        std::size_t from = 0;
        for (const mark& m : marks_) {
            if (m.record_end) {
                out.end_record();
                continue;
            }
            out.write(std::string_view(text_).substr(from, m.end - from));
            from = m.end;
        }
    }

private:
    struct mark {
        std::size_t end;  // of the write in text_
        bool record_end;  // end_record(), not a write
    };
    std::string text_;
    std::vector<mark> marks_;
};

// -j N: the messages read on N threads, in batches of some hundred messages or
// about a MiB, at most N batches being read while the oldest is written, in
// their order: the output is that of one thread, errors about unreadable
// files in their places. The files are read (and mboxes split) on this thread.
class parallel_dsn {
public:
    parallel_dsn(const context& ctx, const palette& pal, bool json, const std::vector<std::string>& headers,
                 writer& out, std::size_t jobs)
        : ctx_(ctx), pal_(pal), json_(json), headers_(headers), out_(out), jobs_(jobs) {
        current_ = std::make_unique<batch>();
    }
    parallel_dsn(const parallel_dsn&) = delete;
    parallel_dsn& operator=(const parallel_dsn&) = delete;
    ~parallel_dsn() {
        for (auto& b : pending_)
            if (b->ready.valid()) b->ready.wait(); // the workers hold the batches and ctx_
    }

    void message(std::string text, origin where) {
        current_->bytes += text.size();
        current_->entries.push_back(entry{std::move(text), {}, {}, std::move(where), {}, false, {}});
        if (current_->bytes >= batch_bytes || current_->entries.size() >= batch_messages) submit();
    }
    // A message of an mbox as it stands in the file (">From " quoted), unquoted by the worker.
    void quoted_message(const std::shared_ptr<const std::string>& file, std::string_view quoted, origin where) {
        current_->bytes += quoted.size();
        current_->entries.push_back(entry{{}, file, quoted, std::move(where), {}, false, {}});
        if (current_->bytes >= batch_bytes || current_->entries.size() >= batch_messages) submit();
    }
    // An error about an input, printed after the output of the messages before it.
    void error_here(std::string text) {
        current_->entries.push_back(entry{{}, {}, {}, {}, std::move(text), true, {}});
        if (current_->entries.size() >= batch_messages) submit();
    }
    // Everything so far written (before a warning, at the end).
    void drain() {
        submit();
        while (!pending_.empty()) write_oldest();
    }
    const dsn_counts& counts() const noexcept { return counts_; }

private:
    static constexpr std::size_t batch_bytes = std::size_t{1} << 20;
    static constexpr std::size_t batch_messages = 256;
    struct entry {
        std::string text;                        // the message, or:
        std::shared_ptr<const std::string> file; // the mbox file it is
        std::string_view quoted;                 // a part of
        origin where;
        std::string error;
        bool is_error;
        recorded_output output;
    };
    struct batch {
        std::vector<entry> entries;
        std::size_t bytes = 0;
        dsn_counts counts;
        std::future<void> ready;
    };

    void submit() {
        if (current_->entries.empty()) return;
        batch* b = current_.get();
        const auto work = [this, b] {
            std::string unquoted;
            for (entry& e : b->entries) {
                if (e.is_error) continue;
                if (e.file) {
                    unquoted.resize(e.quoted.size());
                    const esc::unquoted u =
                        esc::unquote_from(e.quoted, unquoted.data(), unquoted.data() + unquoted.size());
                    read_message(ctx_, pal_, json_, headers_, u.text, e.where, e.output, b->counts);
                    e.file.reset(); // the last message of the file read gives it back
                } else {
                    read_message(ctx_, pal_, json_, headers_, e.text, e.where, e.output, b->counts);
                    std::string().swap(e.text); // read: its memory given back now
                }
            }
        };
        try {
            b->ready = std::async(std::launch::async, work);
        } catch (const std::system_error&) { // no thread to be had: this one reads it, in its turn
            b->ready = std::async(std::launch::deferred, work);
        }
        pending_.push_back(std::move(current_));
        current_ = std::make_unique<batch>();
        while (pending_.size() > jobs_) write_oldest();
    }

    void write_oldest() {
        std::unique_ptr<batch> b = std::move(pending_.front());
        pending_.pop_front();
        b->ready.get();
        for (const entry& e : b->entries) {
            if (e.is_error) error(ctx_.out, e.error);
            else e.output.replay(out_);
        }
        counts_.add(b->counts);
    }

    const context& ctx_;
    const palette& pal_;
    bool json_;
    const std::vector<std::string>& headers_;
    writer& out_;
    std::size_t jobs_;
    dsn_counts counts_;
    std::unique_ptr<batch> current_;
    std::deque<std::unique_ptr<batch>> pending_;
};

// The messages of an mbox as they stand in it (">From " quoted), with where they start.
template <class Each>
void for_each_mbox_message(std::string_view text, const std::string& file, Each&& each) {
    esc::mbox_reader reader(text);
    std::string_view m;
    std::uint64_t line = 1;
    std::size_t number = 0;
    const char* counted = text.data();
    while (reader.next(m)) {
        line += static_cast<std::uint64_t>(std::count(counted, m.data(), '\n'));
        counted = m.data();
        each(m, origin{file, ++number, line});
    }
}

// The messages of one file read: an mbox holds many, each read on its own
// (">From " unquoted) and named FILE:N; `each(text, origin)` gets them in order.
template <class Each>
void split_messages(std::string& message, const std::string& file, Each&& each) {
    if (!esc::is_mbox(message)) {
        each(std::move(message), origin{file, 0, 1});
        return;
    }
    for_each_mbox_message(message, file, [&](std::string_view m, origin where) {
        std::string unquoted(m.size(), '\0');
        const esc::unquoted u = esc::unquote_from(m, unquoted.data(), unquoted.data() + unquoted.size());
        if (u.text.data() == unquoted.data() && u.text.size() <= unquoted.size()) unquoted.resize(u.text.size());
        else unquoted = std::string(u.text);
        each(std::move(unquoted), std::move(where));
    });
}

int run_dsn(const context& ctx, const std::vector<std::string>& paths, bool json,
            const std::vector<std::string>& headers, std::size_t jobs) {
    const palette pal{ctx.out.color_out};
    writer out(stdout);
    int status = exit_ok;
    dsn_counts counts;
    std::string message;
    const input_list inputs = expand_inputs(paths);
    for (const std::string& e : inputs.errors) error(ctx.out, e);
    if (!inputs.errors.empty()) status = exit_not_understood;
    std::optional<parallel_dsn> parallel;
    if (jobs > 1) parallel.emplace(ctx, pal, json, headers, out, jobs);
    for (const std::string& path : inputs.files) {
        if (path == "-" && ctx.out.stdin_tty) {
            if (parallel) parallel->drain(); // the output so far before the warning
            warn(ctx.out, "reading a message from the terminal; end with Ctrl-D");
        }
        input_stream in(path);
        if (!in.ok() || !read_all(in, message)) {
            std::string e = fmt::format("{}: {}", printable(path), in.error());
            if (parallel) parallel->error_here(std::move(e));
            else error(ctx.out, e);
            status = exit_not_understood;
            continue;
        }
        out.set_per_record(true); // a record per bounce message costs nothing beside reading it
        const std::string file = path == "-" ? "<stdin>" : path;
        if (parallel) {
            if (!esc::is_mbox(message)) {
                // A copy of its size: `message` keeps its buffer (read_all's, 128 KiB at
                // least) for the next file, not one held by each message waiting for a thread.
                parallel->message(std::string(message), origin{file, 0, 1});
                continue;
            }
            // The file held by the batches of its messages until they are read.
            const auto shared = std::make_shared<const std::string>(std::move(message));
            for_each_mbox_message(*shared, file, [&](std::string_view m, origin where) {
                parallel->quoted_message(shared, m, std::move(where));
            });
            continue;
        }
        std::vector<std::string> texts;
        std::vector<origin> origins;
        split_messages(message, file, [&](std::string text, origin where) {
            texts.push_back(std::move(text));
            origins.push_back(std::move(where));
        });
        for (std::size_t index = 0; index < texts.size(); ++index)
            read_message(ctx, pal, json, headers, texts[index], origins[index], out, counts);
    }
    if (parallel) {
        parallel->drain();
        counts = parallel->counts();
    }
    out.flush();
    if (!json && counts.messages > 1) {
        std::string summary =
            fmt::format("{} messages, {} without a recipient;", counts.messages, counts.without_recipients);
        for (const auto& [reason, n] : counts.by_reason) summary += fmt::format(" {} {}", reason, n);
        fmt::print(stderr, "{}\n", summary);
    }
    return status;
}

} // namespace

subcommand add_dsn(CLI::App& app, const context& ctx) {
    auto* cmd = app.add_subcommand(
        "dsn", "Read bounce messages (RFC 3464 delivery status notifications, or prose bounces): one record per "
               "recipient");
    struct options {
        std::vector<std::string> paths;
        bool json = false;
        std::vector<std::string> headers;
        std::size_t jobs = 0; // -j: threads reading the messages; 0: the cores available
    };
    auto opts = std::make_shared<options>();
    cmd->add_option("FILE", opts->paths,
                    "Message files, mbox files (one record set per message, named FILE:N), maildirs (read through "
                    "cur/ and new/), or folders of them, read recursively; plain or compressed; '-' or none for "
                    "standard input");
    cmd->add_flag("--json", opts->json,
                  "One JSON object per recipient (JSON Lines): file, recipient, action, status, reply_code, "
                  "diagnostic, outcome, reason, source (dsn or text), original_recipient, returned (the returned "
                  "message's message_id, subject, from, to, date, list_id), verp_recipient. An ARF complaint is one object "
                  "with kind \"feedback\" and its fields instead");
    cmd->footer("Example: esc dsn --json ~/Maildir/.Bounces | jq -r 'select(.reason == \"mailbox_unknown\") | .recipient'");
    cmd->add_option("--header", opts->headers,
                    "With --json: a field of the returned message to print under \"returned\" as well "
                    "(X-Campaign-Id, ...); may be given more than once")
        ->type_name("FIELD")
        ->allow_extra_args(false); // one name each time: FILE arguments may follow
    cmd->add_option("-j,--jobs", opts->jobs,
                    "Threads that read the messages, at most 64 (0, the default: the cores available); the output "
                    "is the same for any number")
        ->check(CLI::Range(0, 64));
    return {cmd, [&ctx, opts] {
                return run_dsn(ctx, opts->paths, opts->json, opts->headers,
                               opts->jobs != 0 ? opts->jobs : available_cores());
            }};
}

} // namespace esc_cli
