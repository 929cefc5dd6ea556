// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc dsn: bounce messages (RFC 3464 reports, or prose bounces) to one record
// per recipient. The reading is esc::read_bounce() (include/esc/bounce.hpp).
#include <esc/charset_cjk.hpp>
#include <esc/dsn_string.hpp>
#include <esc/mbox.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
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

int run_dsn(const context& ctx, const std::vector<std::string>& paths, bool json,
            const std::vector<std::string>& headers) {
    const palette pal{ctx.out.color_out};
    writer out(stdout);
    int status = exit_ok;
    std::size_t messages = 0, without_recipients = 0;
    std::map<std::string, std::size_t> by_reason;
    std::string message;
    const input_list inputs = expand_inputs(paths);
    for (const std::string& e : inputs.errors) error(ctx.out, e);
    if (!inputs.errors.empty()) status = exit_not_understood;
    for (const std::string& path : inputs.files) {
        {
            if (path == "-" && ctx.out.stdin_tty) warn(ctx.out, "reading a message from the terminal; end with Ctrl-D");
            input_stream in(path);
            if (!in.ok() || !read_all(in, message)) {
                error(ctx.out, fmt::format("{}: {}", printable(path), in.error()));
                status = exit_not_understood;
                continue;
            }
            out.set_per_record(true); // a record per bounce message costs nothing beside reading it
        }
        const std::string file = path == "-" ? "<stdin>" : path;
        {
            // An mbox holds many messages: each is read on its own (">From "
            // unquoted) and named FILE:N.
            std::vector<std::string> texts;
            std::vector<origin> origins;
            if (esc::is_mbox(message)) {
                esc::mbox_reader reader(message);
                std::string_view m;
                std::uint64_t line = 1;
                const char* counted = message.data();
                while (reader.next(m)) {
                    line += static_cast<std::uint64_t>(std::count(counted, m.data(), '\n'));
                    counted = m.data();
                    std::string unquoted(m.size(), '\0');
                    const esc::unquoted u = esc::unquote_from(m, unquoted.data(), unquoted.data() + unquoted.size());
                    texts.emplace_back(u.text);
                    origins.push_back({file, texts.size(), line});
                }
            } else {
                texts.push_back(std::move(message));
                origins.push_back({file, 0, 1});
            }
            for (std::size_t index = 0; index < texts.size(); ++index) {
                ++messages;
                // Japanese and Chinese bounces are read in UTF-8 too (<esc/charset_cjk.hpp>).
                esc::bounce_options options;
                options.convert_charset = esc::convert_cjk;
                const esc::owned_bounce bounce = esc::read_bounce(texts[index], options);
                const std::string name = origins[index].shown();
                if (bounce.report.kind == esc::report_kind::feedback) {
                    // A complaint (ARF, RFC 5965): who complained about what, not a failure.
                    ++without_recipients;
                    const esc::feedback_fields& f = bounce.report.feedback;
                    if (json) {
                        const auto text_or_null = unfolded_or_null;
                        nlohmann::ordered_json j;
                        add_origin(j, origins[index]);
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
                    ++without_recipients;
                    if (!json)
                        out.write(name_and_note(ctx, name,
                                                fmt::format("no recipients ({})", esc::to_string(bounce.report.error)),
                                                pal.warning()));
                }
                for (esc::bounce_recipient r : bounce.report) {
                    if (ctx.rules) esc::apply_rules(r.classification, r.diagnostic, *ctx.rules);
                    const esc::bounce_record rec = esc::to_record(r);
                    ++by_reason[rec.reason];
                    if (json) {
                        nlohmann::ordered_json j = to_json(origins[index], rec);
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
                    const std::string diagnostic =
                        printable(rec.diagnostic.empty() ? "(no diagnostic)" : rec.diagnostic);
                    const auto width = static_cast<std::size_t>(ctx.out.width);
                    const std::string plain = fmt::format("{}  {}  {} {} {}  {}  [{}]", printable(name),
                                                          printable(shown), status_text, code_text, rec.outcome,
                                                          rec.reason, rec.source);
                    if (width != 0 && display_width(plain) > width) {
                        // A narrow terminal: the file on a line of its own, the rest wrapped under it.
                        out.print("{}\n{}\n{}\n", wrap(printable(name), width, 0),
                                  indented(fmt::format("{}  {} {} {}  {}  [{}]", printable(shown), status_text,
                                                       code_text, rec.outcome, rec.reason, rec.source),
                                           width, 2),
                                  indented(diagnostic, width, 4));
                    } else {
                        out.print("{}  {}  {} {} {}  {}  [{}]\n{}\n", printable(name), printable(shown), status_text,
                                  code_text,
                                  paint(rec.outcome,
                                        pal.outcome(esc::parse_outcome(rec.outcome).value_or(esc::outcome::unknown))),
                                  paint(rec.reason, pal.heading()), rec.source,
                                  width != 0 ? indented(diagnostic, width, 4) : "    " + diagnostic);
                    }
                    out.end_record();
                }
            }
        }
    }
    out.flush();
    if (!json && messages > 1) {
        std::string summary = fmt::format("{} messages, {} without a recipient;", messages, without_recipients);
        for (const auto& [reason, n] : by_reason) summary += fmt::format(" {} {}", reason, n);
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
    return {cmd, [&ctx, opts] { return run_dsn(ctx, opts->paths, opts->json, opts->headers); }};
}

} // namespace esc_cli
