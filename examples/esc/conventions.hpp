// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The esc tool's conventions that the Python module (bindings/python) follows
// too, in one place so that the two cannot drift: how text is made
// printable, the names of a reply's warnings, and which files of a folder
// tree are read. Standard library and esc only.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <esc/pairing.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>

namespace esc_cli {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
inline std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// Text for a terminal or a record: control characters as '?', a tab as a
// space, invalid UTF-8 as U+FFFD, C1 controls as '?'.
inline std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b == '\t') {
            out += ' ';
            ++i;
        } else if (b < 0x20 || b == 0x7F) {
            out += '?';
            ++i;
        } else if (const std::size_t n = utf8_sequence(text, i); n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else if (n == 2 && b == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
            out += '?'; // C1 controls (U+0080..U+009F): some terminals obey them
            i += 2;
        } else {
            out.append(text.data() + i, n);
            i += n;
        }
    }
    return out;
}

// The machine names of what a reply or a status code does not get right, in
// a fixed order, each once.
inline std::vector<std::string> warning_names(const esc::reply_warnings* w, std::optional<esc::reply_code> code,
                                       std::optional<esc::status_code> status) {
    std::vector<std::string> out;
    auto add = [&](bool on, const char* name) {
        if (on && std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    };
    esc::consistency c;
    if (code && status) {
        c = esc::check_consistency(*code, *status);
    } else if (status) {
        c.unregistered = esc::lookup(*status) == nullptr;
        c.not_meaningful = !esc::is_meaningful(*status);
    }
    if (w != nullptr) add(w->code_outside_grammar, "code_outside_grammar");
    add(c.class_mismatch || (w != nullptr && w->class_mismatch), "class_mismatch");
    add(c.unlisted_pairing, "unlisted_pairing");
    add(c.not_meaningful, "not_meaningful");
    add(c.unregistered, "unregistered");
    if (w != nullptr) {
        add(w->status_differs, "status_differs");
        add(w->status_on_some_lines, "status_on_some_lines");
        add(w->line_too_long, "line_too_long");
        add(w->nul_in_text, "nul_in_text");
    }
    return out;
}

// Files of a folder tree that are not mail or log data: a maildir's tmp/
// (messages still being written), Dovecot's and Courier's indexes, dotfiles.
inline bool skipped_file(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    return name.empty() || name[0] == '.' || name.rfind("dovecot", 0) == 0 || name.rfind("courier", 0) == 0 ||
           name == "maildirfolder" || name == "subscriptions";
}

// The files of a folder tree, recursively, in name order, without
// skipped_file() ones and a maildir's tmp/ (messages still being written);
// unreadable(folder, error) is told of each folder that cannot be listed.
template <class Unreadable>
void walk_folder(const std::filesystem::path& folder, std::vector<std::filesystem::path>& files,
                 Unreadable&& unreadable) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> entries;
    fs::directory_iterator it(folder, ec);
    if (ec) {
        unreadable(folder, ec);
        return;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        entries.push_back(it->path());
    }
    std::sort(entries.begin(), entries.end());
    const bool maildir = fs::is_directory(folder / "cur", ec) && fs::is_directory(folder / "new", ec);
    for (const fs::path& e : entries) {
        if (fs::is_directory(e, ec)) {
            if (maildir && e.filename() == "tmp") continue;
            walk_folder(e, files, unreadable);
        } else if (fs::is_regular_file(e, ec) && !skipped_file(e)) {
            files.push_back(e);
        }
    }
}

} // namespace esc_cli
