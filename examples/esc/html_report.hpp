// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// `esc scan --html FILE`: a scan_report as one self-contained HTML page.
//
// Self-contained means no network at all: the CSS is inline, the charts are
// SVG written here, there is no script, no font, no image fetched; a
// Content-Security-Policy of default-src 'none' says so to the browser too,
// so a page opened from a mail server's disk cannot call anywhere. Every
// string that came from the log (files, domains, relays, senders, clients) is
// made printable and HTML-escaped: a log line is attacker-controlled text.
// The charts repeat numbers the tables give, so nothing is only in a picture.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scan_report.hpp"

namespace esc_cli {

struct html_options {
    std::string title = "esc scan report";
    std::string generated_at; // shown as given, e.g. "2026-11-28T10:00:00Z"; left out when empty
    std::string version;      // esc's, ESC_VERSION_STRING; left out when empty
    std::size_t top = 10;     // rows in the domain, relay, sender, status and client tables and bars
};

// & < > " ' as entities: safe in element text and in quoted attribute values alike.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

std::string render_html(const scan_report& report, const html_options& options);

} // namespace esc_cli
