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
#include "output.hpp"
#include "records.hpp"

namespace esc_cli {

namespace {

namespace fs = std::filesystem;

// A maildir is read through its cur/ and new/ folders; any other folder as
// a folder of message files.
std::vector<fs::path> message_files(const fs::path& arg, std::error_code& ec) {
    std::vector<fs::path> files;
    if (!fs::is_directory(arg, ec)) {
        ec.clear();
        files.push_back(arg);
        return files;
    }
    std::vector<fs::path> folders;
    for (const char* sub : {"cur", "new"})
        if (fs::is_directory(arg / sub, ec)) folders.push_back(arg / sub);
    if (folders.empty()) folders.push_back(arg);
    for (const fs::path& folder : folders)
        for (const auto& entry : fs::directory_iterator(folder, ec))
            if (entry.is_regular_file(ec)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

bool read_whole(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// Keys in the documented order; unknown values are null.
nlohmann::ordered_json to_json(const std::string& file, const esc::bounce_record& r) {
    auto string_or_null = [](const std::string& s) {
        return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
    };
    nlohmann::ordered_json j;
    j["file"] = file;
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

int run_dsn(const context& ctx, const std::vector<std::string>& paths, bool json,
            const std::vector<std::string>& headers) {
    const palette pal{ctx.out.color_out};
    writer out(stdout);
    int status = exit_ok;
    std::size_t messages = 0, without_recipients = 0;
    std::map<std::string, std::size_t> by_reason;
    std::string message;
    for (const std::string& arg : paths) {
        std::error_code ec;
        const std::vector<fs::path> files = message_files(arg, ec);
        if (ec) {
            error(ctx.out, fmt::format("{}: {}", printable(arg), ec.message()));
            status = exit_usage;
        }
        for (const fs::path& file : files) {
            if (!read_whole(file, message)) {
                error(ctx.out, fmt::format("{}: cannot read the file", printable(file.string())));
                status = exit_usage;
                continue;
            }
            // An mbox holds many messages: each is read on its own (">From "
            // unquoted) and named FILE:N when there is more than one.
            std::vector<std::string> texts;
            if (esc::is_mbox(message)) {
                esc::mbox_reader reader(message);
                std::string_view m;
                while (reader.next(m)) {
                    std::string unquoted(m.size(), '\0');
                    const esc::unquoted u = esc::unquote_from(m, unquoted.data(), unquoted.data() + unquoted.size());
                    texts.emplace_back(u.text);
                }
            } else {
                texts.push_back(std::move(message));
            }
            for (std::size_t index = 0; index < texts.size(); ++index) {
                ++messages;
                // Japanese and Chinese bounces are read in UTF-8 too (<esc/charset_cjk.hpp>).
                esc::bounce_options options;
                options.convert_charset = esc::convert_cjk;
                const esc::owned_bounce bounce = esc::read_bounce(texts[index], options);
                const std::string name =
                    texts.size() > 1 ? fmt::format("{}:{}", file.string(), index + 1) : file.string();
                if (bounce.report.kind == esc::report_kind::feedback) {
                    // A complaint (ARF, RFC 5965): who complained about what, not a failure.
                    ++without_recipients;
                    const esc::feedback_fields& f = bounce.report.feedback;
                    if (json) {
                        const auto text_or_null = unfolded_or_null;
                        nlohmann::ordered_json j;
                        j["file"] = name;
                        j["kind"] = "feedback";
                        j["feedback_type"] = text_or_null(f.feedback_type);
                        j["user_agent"] = text_or_null(f.user_agent);
                        j["original_mail_from"] = text_or_null(f.original_mail_from);
                        j["original_rcpt_to"] = text_or_null(f.original_rcpt_to);
                        j["arrival_date"] = text_or_null(f.arrival_date);
                        j["source_ip"] = text_or_null(f.source_ip);
                        j["reported_domain"] = text_or_null(f.reported_domain);
                        out.write(json_line(j));
                    } else {
                        out.print("{}  {}\n", printable(name),
                                  paint(fmt::format("feedback report ({}){}{}", f.feedback_type.empty() ? "-" : f.feedback_type,
                                                    f.original_rcpt_to.empty() ? "" : " from ",
                                                    printable(std::string(f.original_rcpt_to))),
                                        pal.warning()));
                    }
                } else if (bounce.report.count == 0) {
                    ++without_recipients;
                    if (!json)
                        out.print("{}  {}\n", printable(name),
                                  paint(fmt::format("no recipients ({})", esc::to_string(bounce.report.error)),
                                        pal.warning()));
                }
                for (esc::bounce_recipient r : bounce.report) {
                    if (ctx.rules) esc::apply_rules(r.classification, r.diagnostic, *ctx.rules);
                    const esc::bounce_record rec = esc::to_record(r);
                    ++by_reason[rec.reason];
                    if (json) {
                        nlohmann::ordered_json j = to_json(name, rec);
                        add_returned(j, bounce.report, headers);
                        out.write(json_line(j));
                        continue;
                    }
                    const std::string shown = rec.original.empty() || esc::detail::iequals(rec.original, rec.recipient)
                                                  ? rec.recipient
                                                  : fmt::format("{} (original {})", rec.recipient, rec.original);
                    out.print("{}  {}  {} {} {}  {}  [{}]\n    {}\n", printable(name), printable(shown),
                              rec.status.empty() ? "-" : rec.status,
                              rec.reply_code ? std::to_string(*rec.reply_code) : "-",
                              paint(rec.outcome,
                                    pal.outcome(esc::parse_outcome(rec.outcome).value_or(esc::outcome::unknown))),
                              paint(rec.reason, pal.heading()), rec.source,
                              printable(rec.diagnostic.empty() ? "(no diagnostic)" : rec.diagnostic));
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
                    "cur/ and new/), or folders of messages")
        ->required();
    cmd->add_flag("--json", opts->json,
                  "One JSON object per recipient (JSON Lines): file, recipient, action, status, reply_code, "
                  "diagnostic, outcome, reason, source (dsn or text), original_recipient, returned (the returned "
                  "message's message_id, subject, from, to, date, list_id), verp_recipient. An ARF complaint is one object "
                  "with kind \"feedback\" and its fields instead");
    cmd->footer("Example: esc dsn --json ~/Maildir/.Bounces | jq -r 'select(.reason == \"mailbox_unknown\") | .recipient'");
    cmd->add_option("--header", opts->headers,
                    "With --json: a field of the returned message to print under \"returned\" as well "
                    "(X-Campaign-Id, ...); may be given more than once");
    return {cmd, [&ctx, opts] { return run_dsn(ctx, opts->paths, opts->json, opts->headers); }};
}

} // namespace esc_cli
