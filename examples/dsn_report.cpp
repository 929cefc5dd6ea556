// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Reads bounce messages and prints one record per recipient:
//
//   esc_dsn_report [--json] FILE|DIR...
//
// A directory is read as a maildir (its cur/ and new/ folders) when it has
// them, else as a folder of message files. --json prints one JSON object per
// line with the keys file, recipient, action, status, reply_code, diagnostic,
// outcome, reason, source (dsn or text); unknown values are null.
#include <esc/dsn_string.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> message_files(const fs::path& arg, std::error_code& ec) {
    std::vector<fs::path> files;
    if (!fs::is_directory(arg, ec)) {
        ec.clear(); // a file, or a path read_file() will report
        files.push_back(arg);
        return files;
    }
    std::vector<fs::path> folders;
    for (const char* sub : {"cur", "new"})
        if (fs::is_directory(arg / sub, ec)) folders.push_back(arg / sub);
    if (folders.empty()) folders.push_back(arg);
    for (const fs::path& folder : folders) {
        for (const auto& entry : fs::directory_iterator(folder, ec))
            if (entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool read_file(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// Keys in the documented order (ordered_json keeps insertion order).
nlohmann::ordered_json to_json(const std::string& file, const esc::bounce_record& r) {
    auto text_or_null = [](const std::string& s) {
        return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
    };
    nlohmann::ordered_json j;
    j["file"] = file;
    j["recipient"] = r.recipient;
    j["action"] = text_or_null(r.action);
    j["status"] = text_or_null(r.status);
    j["reply_code"] = r.reply_code ? nlohmann::ordered_json(*r.reply_code) : nlohmann::ordered_json(nullptr);
    j["diagnostic"] = text_or_null(r.diagnostic);
    j["outcome"] = r.outcome;
    j["reason"] = r.reason;
    j["source"] = r.source;
    return j;
}

} // namespace

int main(int argc, char** argv) {
    bool json = false;
    std::vector<fs::path> args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json")
            json = true;
        else if (a == "-h" || a == "--help") {
            std::fputs("usage: esc_dsn_report [--json] FILE|MAILDIR...\n", stdout);
            return 0;
        } else
            args.emplace_back(a);
    }
    if (args.empty()) {
        std::fputs("usage: esc_dsn_report [--json] FILE|MAILDIR...\n", stderr);
        return 2;
    }
    int status = 0;
    std::string message;
    for (const fs::path& arg : args) {
        std::error_code ec;
        const std::vector<fs::path> files = message_files(arg, ec);
        if (ec) {
            fmt::print(stderr, "{}: {}\n", arg.string(), ec.message());
            status = 1;
        }
        for (const fs::path& file : files) {
            if (!read_file(file, message)) {
                fmt::print(stderr, "{}: cannot read the file\n", file.string());
                status = 1;
                continue;
            }
            const esc::owned_bounce bounce = esc::read_bounce(message);
            const std::string name = file.string();
            if (bounce.report.count == 0 && !json)
                fmt::print("{}: no recipients ({})\n", name, esc::to_string(bounce.report.error));
            for (const esc::bounce_recipient& r : bounce.report) {
                const esc::bounce_record rec = esc::to_record(r);
                if (json) {
                    // Bounces quote 8-bit text in any charset: bytes that are not UTF-8 become U+FFFD.
                    fmt::print("{}\n", to_json(name, rec).dump(-1, ' ', false,
                                                                 nlohmann::ordered_json::error_handler_t::replace));
                } else {
                    fmt::print("{}: {} {} {} {} {} {} [{}] {}\n", name, rec.recipient,
                               rec.action.empty() ? "-" : rec.action, rec.status.empty() ? "-" : rec.status,
                               rec.reply_code ? std::to_string(*rec.reply_code) : "-", rec.outcome, rec.reason,
                               rec.source, rec.diagnostic);
                }
            }
        }
    }
    return status;
}
