// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc classify: one line of verdict per SMTP reply (or per line of free text).
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include <esc/classify.hpp>
#include <esc/command.hpp>
#include <esc/reason.hpp>
#include <esc/reply.hpp>

#include "cli.hpp"
#include "input.hpp"
#include "records.hpp"

namespace esc_cli {

namespace {

struct classify_options {
    std::vector<std::string> files;
    std::string command;
    bool json = false;
    bool each_line = false;
};

// Column widths of the text output: "intermediate", "too_many_recipients", "(5.7.606)".
constexpr std::size_t outcome_width = 12, reason_width = 19, status_width = 9;

bool has_control_characters(std::string_view s) {
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if ((b < 0x20 && b != '\t') || b == 0x7F) return true;
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Transcripts often mark the sides: "S: 250 OK" / "C: RCPT TO:<...>", or "<<<" / ">>>".
std::string_view strip_side(std::string_view line) {
    for (std::string_view prefix : {"S: ", "C: ", "S:", "C:", "<<< ", ">>> ", "<- ", "-> "})
        if (starts_with(line, prefix)) return line.substr(prefix.size());
    return line;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_reply_line(std::string_view line) {
    return line.size() >= 3 && is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2]) &&
           (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

// "RCPT TO:<bob@example.com>" -> rcpt; only the verbs a client sends.
std::optional<esc::command> client_command(std::string_view line) {
    std::size_t end = 0;
    while (end < line.size() && is_letter(line[end])) ++end;
    if (end < 3 || end > 8 || (end < line.size() && line[end] != ' ' && line[end] != ':')) return std::nullopt;
    const auto c = esc::parse_command(line.substr(0, end));
    if (!c || *c == esc::command::unknown || *c == esc::command::connect || *c == esc::command::end_of_data)
        return std::nullopt;
    return c;
}

class classifier {
public:
    classifier(const context& ctx, const classify_options& o)
        : ctx_(ctx), opts_(o), p_{ctx.out.color_out}, forced_(command_from(o.command).value_or(esc::command::unknown)),
          out_(stdout) {}

    // --each-line: every non-blank line is a record of free text.
    void free_text(std::string_view line, std::uint64_t number) {
        if (trim(line).empty()) return;
        if (has_control_characters(line)) return skip_binary(number);
        record_analysis a = analyse_text(line, forced_, ctx_.rules.get());
        emit(number, line, printable(line), a);
    }

    // Transcript mode: replies, multi-line ones gathered; client commands set the context.
    void transcript(std::string_view raw, std::uint64_t number) {
        if (in_data_) {
            // The message between DATA's 354 and the lone dot is content, not replies.
            if (trim(strip_side(raw)) == ".") {
                in_data_ = false;
                context_ = esc::command::end_of_data;
            }
            return;
        }
        if (has_control_characters(raw)) {
            flush_pending();
            return skip_binary(number);
        }
        const std::string_view line = strip_side(raw);
        if (is_reply_line(line)) {
            // Another code than the pending lines': those were a reply cut short.
            if (!pending_wire_.empty() && pending_wire_.compare(0, 3, line.data(), 3) != 0) flush_pending();
            if (pending_wire_.empty()) pending_line_ = number;
            pending_wire_.append(line.data(), line.size());
            pending_wire_ += "\r\n";
            if (!pending_display_.empty()) pending_display_ += '\n';
            pending_display_.append(line.data(), line.size());
            if (line.size() == 3 || line[3] == ' ') finish_reply();
            return;
        }
        flush_pending();
        const std::string_view t = trim(line);
        if (t.empty() || t.front() == '#') return;
        if (const auto c = client_command(t)) {
            context_ = *c;
            return;
        }
        ++not_replies_;
        record_analysis a; // not a reply: reported, and counted as not understood
        emit(number, line, printable(line), a);
    }

    void skipped(skip_reason why, std::uint64_t number) {
        flush_pending();
        ++skipped_[static_cast<std::size_t>(why)];
        warn_line(ctx_.out, warned_, fmt::format("{}:{}: line skipped: {}", file_, number, to_string(why)));
    }

    // Each input starts afresh: no reply, DATA section or command carries over.
    void end_of_input() {
        flush_pending();
        in_data_ = false;
        context_ = esc::command::unknown;
    }
    void set_file(std::string name) { file_ = std::move(name); }
    void stream(bool per_record) { out_.set_per_record(per_record); }
    void waiting() { out_.flush_pending(); }
    void read_failed(const std::string& message) {
        ++read_errors_;
        warn(ctx_.out, fmt::format("{}: {}; the rest of it was not read", file_, message));
    }

    int finish() {
        out_.flush();
        if (!opts_.json) summary();
        else
            for (const std::string& problem : problems()) warn(ctx_.out, problem);
        const bool trouble = not_understood_ != 0 || skipped_[0] != 0 || skipped_[1] != 0 || skipped_[2] != 0 ||
                             read_errors_ != 0;
        return trouble ? exit_not_understood : exit_ok;
    }

private:
    void skip_binary(std::uint64_t number) {
        ++skipped_[2];
        warn_line(ctx_.out, warned_,
                  fmt::format("{}:{}: line skipped: control characters (binary data?)", file_, number));
    }

    void finish_reply() {
        const esc::parsed_reply parsed = esc::parse_reply_text(pending_wire_);
        const esc::command cmd = forced_ != esc::command::unknown ? forced_ : context_;
        record_analysis a = parsed ? analyse_reply(parsed.reply, cmd, ctx_.rules.get()) : analyse_parse_error(parsed.error);
        emit(pending_line_, pending_display_, parsed ? printable(one_line(parsed.reply)) : joined_pending(), a);
        if (parsed && cmd == esc::command::data && esc::to_int(parsed.reply.code) == 354) in_data_ = true;
        context_ = esc::command::unknown;
        pending_wire_.clear();
        pending_display_.clear();
    }

    // A reply cut short ("550-..." and then no last line).
    void flush_pending() {
        if (pending_wire_.empty()) return;
        const esc::parsed_reply parsed = esc::parse_reply_text(pending_wire_);
        record_analysis a = analyse_parse_error(parsed ? esc::reply_error::truncated : parsed.error);
        emit(pending_line_, pending_display_, joined_pending(), a);
        context_ = esc::command::unknown;
        pending_wire_.clear();
        pending_display_.clear();
    }

    std::string joined_pending() const {
        std::string out;
        std::size_t from = 0;
        for (std::size_t i = 0; i < pending_display_.size(); ++i)
            if (pending_display_[i] == '\n') {
                out += printable(std::string_view(pending_display_).substr(from, i - from)) + " | ";
                from = i + 1;
            }
        return out + printable(std::string_view(pending_display_).substr(from));
    }

    // One record out: `input` as read, `shown` the same on one line for a person.
    void emit(std::uint64_t number, std::string_view input, std::string shown, record_analysis& a) {
        if (!is_valid_utf8(input)) a.warnings.emplace_back("invalid_utf8");
        ++records_;
        if (!a.understood()) ++not_understood_;
        ++by_outcome_[static_cast<std::size_t>(a.result.outcome)];
        ++by_reason_[static_cast<std::size_t>(a.result.reason)];
        if (opts_.json) {
            out_.write(json_line(classify_json(file_, number, input, a)));
            out_.end_record();
            return;
        }
        std::string status = "-";
        if (esc::is_valid(a.result.status)) {
            status = std::string(esc::to_string(a.result.status));
            if (a.result.inferred) status = "(" + status + ")";
        }
        const std::string outcome = fmt::format("{:<{}}", esc::to_string(a.result.outcome), outcome_width);
        const std::string rest = fmt::format("  {:<{}}  {:<{}}  ", esc::to_string(a.result.reason), reason_width,
                                             status, status_width);
        std::string line = paint(outcome, p_.outcome(a.result.outcome)) + rest;
        std::string warnings;
        for (const std::string& w : a.warnings) warnings += (warnings.empty() ? "  [" : ", ") + w;
        if (!warnings.empty()) warnings += "]";
        if (ctx_.out.width != 0) {
            // On a terminal a record fits its width: its text is cut, and where
            // even the columns do not fit, the whole row.
            const std::size_t used = outcome_width + reason_width + status_width + 6 + display_width(warnings);
            const auto width = static_cast<std::size_t>(ctx_.out.width);
            if (used + 10 <= width) {
                shown = truncate_to_width(shown, width - used, ctx_.out.utf8);
            } else {
                out_.write(truncate_to_width(outcome + rest + shown + warnings, width, ctx_.out.utf8) + "\n");
                out_.end_record();
                return;
            }
        }
        line += shown;
        if (!warnings.empty()) line += paint(warnings, p_.warning());
        line += '\n';
        out_.write(line);
        out_.end_record();
    }

    void summary() {
        const palette p{ctx_.out.color_err};
        std::string s = fmt::format("\n{}\n", fmt::styled(fmt::format("{} record{}", with_commas(records_),
                                                                       records_ == 1 ? "" : "s"),
                                                           p.heading()));
        table outcomes({{"outcome"}, {"records", table::align::right}, {"", table::align::right}});
        for (std::size_t i = 0; i < by_outcome_.size(); ++i) {
            if (by_outcome_[i] == 0) continue;
            const auto o = static_cast<esc::outcome>(i);
            outcomes.add({{std::string(esc::to_string(o)), p.outcome(o)}, with_commas(by_outcome_[i]),
                          percent(by_outcome_[i], records_)});
        }
        if (!outcomes.empty()) s += outcomes.render("  ", p.label());
        std::vector<std::pair<std::uint64_t, std::size_t>> reasons;
        for (std::size_t i = 0; i < by_reason_.size(); ++i)
            if (by_reason_[i] != 0 && i != static_cast<std::size_t>(esc::reason::none))
                reasons.emplace_back(by_reason_[i], i);
        std::sort(reasons.begin(), reasons.end(),
                  [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
        if (!reasons.empty()) {
            table t({{"failure reason"}, {"records", table::align::right}});
            for (const auto& [n, i] : reasons) t.add({std::string(esc::to_string(static_cast<esc::reason>(i))), with_commas(n)});
            s += "\n" + t.render("  ", p.label());
        }
        const std::vector<std::string> trouble = problems();
        if (!trouble.empty()) {
            s += "\n";
            const auto width = static_cast<std::size_t>(ctx_.out.err_width); // the summary goes to stderr
            for (const auto& pr : trouble)
                s += fmt::format("  {} {}\n", fmt::styled("!", p.warning()), wrap(pr, width == 0 ? 0 : width - 4, 4));
        }
        std::fputs(s.c_str(), stderr);
    }

    std::vector<std::string> problems() const {
        std::vector<std::string> out;
        if (not_understood_ != 0)
            out.push_back(fmt::format("{} not understood (no reply or status code found{})",
                                      count_of(not_understood_, "record", "records"),
                                      not_replies_ != 0 && !opts_.each_line
                                          ? fmt::format("; {} SMTP replies: try --each-line",
                                                        count_of(not_replies_, "line is not", "lines are not"))
                                          : ""));
        if (skipped_[0] != 0) out.push_back(count_of(skipped_[0], "line", "lines") + " skipped: longer than 64 KiB");
        if (skipped_[1] + skipped_[2] != 0)
            out.push_back(count_of(skipped_[1] + skipped_[2], "line", "lines") + " skipped: binary data");
        if (read_errors_ != 0)
            out.push_back(count_of(read_errors_, "input", "inputs") + " could not be read to the end");
        return out;
    }

    const context& ctx_;
    const classify_options& opts_;
    palette p_;
    esc::command forced_;
    writer out_;
    std::string file_;
    std::string pending_wire_;    // the lines of a reply being gathered, CRLF-terminated
    std::string pending_display_; // the same lines as the record's input, LF-separated
    std::uint64_t pending_line_ = 0; // the line number of its first line
    esc::command context_ = esc::command::unknown;
    bool in_data_ = false;
    std::uint64_t records_ = 0, not_understood_ = 0, not_replies_ = 0, read_errors_ = 0, warned_ = 0;
    std::array<std::uint64_t, 3> skipped_{}; // too long, NUL bytes, other control characters
    std::array<std::uint64_t, 5> by_outcome_{};
    std::array<std::uint64_t, esc::reason_count> by_reason_{};
};

// An input whose first line is an mbox "From " line is split into its
// messages: each message's body is read as an input of its own (its header
// skipped, nothing carried over from the message before).
struct line_sink {
    classifier& c;
    bool each_line;
    bool mbox = false, in_header = false, previous_blank = true;
    void line(std::string_view text, std::uint64_t number) {
        if (number == 1) mbox = text.substr(0, 5) == "From ";
        if (mbox) {
            const bool blank = text.empty();
            if (previous_blank && text.substr(0, 5) == "From ") {
                c.end_of_input();
                in_header = true;
                previous_blank = false;
                return;
            }
            previous_blank = blank;
            if (in_header) {
                in_header = !blank;
                return;
            }
            if (text.substr(0, 6) == ">From ") text.remove_prefix(1);
        }
        if (each_line) c.free_text(text, number);
        else c.transcript(text, number);
    }
    void skipped(skip_reason why, std::uint64_t number) { c.skipped(why, number); }
    void waiting() { c.waiting(); }
};

int run_classify(const context& ctx, const classify_options& opts) {
    const input_list inputs = expand_inputs(opts.files);
    for (const std::string& e : inputs.errors) error(ctx.out, e);
    classifier c(ctx, opts);
    std::size_t read = 0, unreadable = inputs.errors.size();
    for (const std::string& name : inputs.files) {
        input_stream in(name);
        c.set_file(in.name());
        if (name == "-" && ctx.out.stdin_tty) warn(ctx.out, "reading replies from the terminal; end with Ctrl-D");
        if (!in.ok()) {
            error(ctx.out, fmt::format("{}: {}", printable(name), in.error()));
            ++unreadable;
            continue;
        }
        c.stream(stream_records(ctx.out));
        line_sink sink{c, opts.each_line};
        read_counts counts;
        const bool complete = read_lines(in, sink, counts);
        c.end_of_input();
        if (!complete && counts.bytes == 0) {
            error(ctx.out, fmt::format("{}: {}", printable(name), in.error()));
            ++unreadable;
            continue;
        }
        ++read;
        if (!complete) c.read_failed(in.error());
    }
    if (read == 0 && unreadable != 0) return exit_not_understood; // no report of nothing
    const int status = c.finish();
    return unreadable != 0 ? exit_not_understood : status;
}

} // namespace

subcommand add_classify(CLI::App& app, const context& ctx) {
    auto* cmd = app.add_subcommand("classify", "Classify SMTP replies: outcome, reason, enhanced status");
    auto opts = std::make_shared<classify_options>();
    cmd->add_option("FILE", opts->files, "Files or folders (read recursively) to read: plain, gzip, xz, bzip2 or zstd, told by content; "
                    "'-' or none for standard input");
    cmd->add_flag("--json", opts->json,
                  "Write JSON Lines: one object per record with file, line (of its first line), input, reply_code, status, effective_status, "
                  "inferred, outcome, reason, verdict, why (by, text, rule, provider, source), description, warnings");
    cmd->add_flag("--each-line", opts->each_line,
                  "Each line is one record of free text quoting a reply (DSN diagnostic texts, log fragments), "
                  "instead of a transcript of replies");
    add_command_option(*cmd, opts->command)->description(
        "The SMTP command every reply answers (otherwise taken from client commands in the transcript, such as "
        "'RCPT TO:<...>', or from the reply's text): connect, helo, ehlo, starttls, auth, mail, rcpt, data, "
        "end_of_data (eod), bdat, rset, vrfy, expn, help, noop, quit, etrn");
    cmd->footer("Input is a transcript: replies as a server sends them (an mbox is read message by message, each "
                "message's body a transcript of its own), a multi-line reply's '550-' lines "
                "belonging to the '550 ' line that ends it; client command lines (optionally marked 'C:', replies "
                "'S:') set the command for the next reply. One output line per record; without --json a summary "
                "goes to standard error.\n\nExamples:\n  esc classify examples/data/transcript.txt\n"
                "  grep -h 'Diagnostic-Code' bounces/* | esc classify --each-line --json");
    return {cmd, [&ctx, opts] { return run_classify(ctx, *opts); }};
}

} // namespace esc_cli
