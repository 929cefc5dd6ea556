// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc scan --html: render_html() on fixed scan_reports. The page is checked
// as a structure (every tag known and closed, links only within the page) and
// by the rows it must hold, rather than byte for byte, so that the style can
// change without a golden to refresh; the browser test (tests/html) looks at
// the rendering. Hostile names from a log must come out as text, never markup.
#include "html_report.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <esc/reason.hpp>

using namespace esc_cli;

namespace {

// The elements the page may use; anything else would be markup that came from the log.
const std::set<std::string> known_tags = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "nav", "a", "main",
    "section", "dl", "div", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "span", "i", "code",
    "details", "summary", "ul", "li", "footer", "time", "svg", "desc", "g", "text", "rect", "line",
    "polyline", "circle"};
const std::set<std::string> void_tags = {"meta"};

struct structure {
    std::vector<std::string> errors;
    std::vector<std::string> tags;       // opening tags, in order
    std::vector<std::string> references; // values of src= and href=
};

// A small reader of the page's markup: enough to tell that every element is
// known and closed in order (SVG shapes close themselves) and to collect links.
structure read_structure(std::string_view page) {
    structure out;
    std::vector<std::string> open;
    std::size_t i = 0;
    if (page.substr(0, 16) != "<!DOCTYPE html>\n") out.errors.push_back("no doctype");
    else i = 16;
    while ((i = page.find('<', i)) != std::string_view::npos) {
        const std::size_t end = page.find('>', i);
        if (end == std::string_view::npos) {
            out.errors.push_back("unterminated tag");
            break;
        }
        std::string_view tag = page.substr(i + 1, end - i - 1);
        i = end + 1;
        const bool closing = !tag.empty() && tag.front() == '/';
        if (closing) tag.remove_prefix(1);
        const bool self_closing = !tag.empty() && tag.back() == '/';
        std::size_t n = 0;
        while (n < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[n])) != 0)) ++n;
        const std::string name(tag.substr(0, n));
        if (known_tags.count(name) == 0) {
            out.errors.push_back("unknown tag <" + std::string(tag) + ">");
            continue;
        }
        // Attributes: name="value", values without quotes or angle brackets (escaped).
        for (const std::string_view attr : {std::string_view(" src="), std::string_view(" href=")}) {
            for (std::size_t a = tag.find(attr); a != std::string_view::npos; a = tag.find(attr, a + 1)) {
                std::string_view v = tag.substr(a + attr.size());
                if (v.empty() || v.front() != '"') {
                    out.errors.push_back("unquoted " + std::string(attr));
                    continue;
                }
                v.remove_prefix(1);
                out.references.emplace_back(v.substr(0, v.find('"')));
            }
        }
        if (closing) {
            if (open.empty() || open.back() != name)
                out.errors.push_back("</" + name + "> closes <" + (open.empty() ? "" : open.back()) + ">");
            else
                open.pop_back();
        } else {
            out.tags.push_back(name);
            if (name == "style") {
                i = page.find("</style>", i); // CSS is not markup
                if (i == std::string_view::npos) break;
                open.push_back(name);
            } else if (!self_closing && void_tags.count(name) == 0) {
                open.push_back(name);
            }
        }
    }
    for (const std::string& t : open) out.errors.push_back("<" + t + "> not closed");
    return out;
}

void check_valid(const std::string& page) {
    const structure s = read_structure(page);
    for (const std::string& e : s.errors) FAIL_CHECK(e);
    for (const std::string& ref : s.references) {
        CAPTURE(ref);
        CHECK(ref.size() > 1);
        CHECK(ref.front() == '#'); // links stay in the page: nothing to fetch
    }
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("default-src 'none'") != std::string::npos);
}

bool has(const std::string& page, std::string_view part) { return page.find(part) != std::string::npos; }

std::size_t count(const std::string& page, std::string_view part) {
    std::size_t n = 0;
    for (std::size_t i = page.find(part); i != std::string::npos; i = page.find(part, i + 1)) ++n;
    return n;
}

named_counts named(std::string name, std::uint64_t attempts, std::uint64_t deferred, std::uint64_t bounced,
                   esc::reason main) {
    return {std::move(name), {attempts, attempts - deferred - bounced, deferred, bounced}, main};
}

// A day of a small server: five hours of traffic, every table filled.
scan_report sample() {
    scan_report r;
    r.files = {"/var/log/mail.log"};
    r.lines = 12345;
    r.bytes = 2 * 1024 * 1024;
    r.formats = {true, false, false};
    r.totals = {1000, 900, 70, 30};
    r.expired = 2;
    r.rejected = 40;
    r.reasons = {{esc::reason::network, 40, 0}, {esc::reason::mailbox_unknown, 0, 25}, {esc::reason::greylisted, 30, 5}};
    r.statuses = {{{esc::status_class::permanent, 1, 1}, 25}, {{esc::status_class::transient, 7, 1}, 30},
                  {{esc::status_class::transient, 4, 999}, 3}};
    r.domains = {named("example.com", 500, 40, 20, esc::reason::network),
                 named("example.net", 300, 30, 10, esc::reason::greylisted), named("ok.example", 200, 0, 0, esc::reason::none)};
    r.relays = {named("mx.example.com[192.0.2.1]:25", 500, 40, 20, esc::reason::network)};
    r.senders = {named("news@example.org", 800, 60, 25, esc::reason::network)};
    r.reject_reasons = {{"blocked", 30}, {"relay_denied", 10}};
    r.reject_clients = {{"unknown[203.0.113.9]", 40}};
    const std::int64_t day = 1795219200; // 2026-11-21 00:00 UTC
    for (int h = 0; h < 5; ++h) {
        if (h == 2) continue; // a quiet hour: a gap in the chart
        time_row t;
        t.start = day + 3600 * (10 + h);
        t.counts = {250, 225, 17, 8};
        t.rejected = 10;
        r.hours.push_back(t);
    }
    r.days.push_back({day, {1000, 900, 70, 30}, 40});
    r.messages.received = 800;
    r.messages.delivered = 760;
    r.messages.delivered_after_deferral = 12;
    r.messages.bounced = 30;
    r.messages.deferred = 20;
    r.messages.deferrals = 70;
    r.messages.still_queued = 8;
    r.delay = {760, 0.8, 12.5, 900, 7200};
    r.first_time = day + 36000;
    r.last_time = day + 36000 + 5 * 3600 - 1;
    return r;
}

} // namespace

TEST_CASE("html_escape: the five characters that matter in text and in attributes") {
    CHECK(html_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    CHECK(html_escape("") == "");
    CHECK(html_escape("plain.example") == "plain.example");
}

TEST_CASE("a full report: every section, the terminal's rows, a valid page") {
    html_options o;
    o.title = "esc scan: /var/log/mail.log";
    o.generated_at = "2026-11-22T08:00:00Z";
    o.version = "0.1.0";
    const std::string page = render_html(sample(), o);
    check_valid(page);
    // To look at the page (and to make the README's screenshot): ESC_HTML_REPORT_OUT=FILE.
    if (const char* out = std::getenv("ESC_HTML_REPORT_OUT")) std::ofstream(out, std::ios::binary) << page;
    CHECK_FALSE(has(page, "://")); // no URL at all, not even as a namespace

    // Sections in the terminal's order, then the new ones.
    const std::vector<std::string_view> sections = {R"(<section id="deliveries">)", R"(<section id="over-time">)",
                                                    R"(<section id="reasons">)",    R"(<section id="domains">)",
                                                    R"(<section id="statuses">)",   R"(<section id="relays">)",
                                                    R"(<section id="senders">)",    R"(<section id="messages">)",
                                                    R"(<section id="rejects">)"};
    std::size_t at = 0;
    for (const std::string_view s : sections) {
        CAPTURE(s);
        const std::size_t found = page.find(s);
        REQUIRE(found != std::string::npos);
        CHECK(found > at);
        at = found;
    }
    CHECK_FALSE(has(page, "No failed delivery attempts."));
    CHECK_FALSE(has(page, R"(<section id="notes">)"));

    CHECK(has(page, "<title>esc scan: /var/log/mail.log</title>"));
    CHECK(has(page, R"(12,345 lines (2.0 MiB), 1,000 delivery attempts (Postfix))"));
    CHECK(has(page, R"(<dd id="total-sent">900</dd>)"));
    CHECK(has(page, R"(<dd id="total-rejected">40</dd>)"));
    CHECK(has(page, R"(<tr><td>deferred</td><td class="n">70</td><td class="n">7.0%</td>)"));
    CHECK(has(page, "2 messages expired in the queue and went back to the sender"));

    // The reasons with the next step the terminal gives.
    CHECK(has(page, std::string(R"(<tr><td>network</td><td class="n">40</td><td class="n">-</td><td class="n">40.0%</td><td>)") +
                        std::string(esc::advice(esc::outcome::transient, esc::reason::network)) + "</td></tr>"));
    CHECK(has(page, std::string(R"(<tr><td>mailbox_unknown</td><td class="n">-</td><td class="n">25</td><td class="n">25.0%</td><td>)") +
                        std::string(esc::advice(esc::outcome::permanent, esc::reason::mailbox_unknown))));
    CHECK(has(page, R"(<tr class="total"><td>total</td><td class="n">70</td><td class="n">30</td>)"));

    // Domains with failures only, with their fail rate.
    CHECK(has(page, R"(<tr><td class="name">example.com</td><td class="n">500</td><td class="n">40</td><td class="n">20</td><td class="n">12.0%</td><td>network</td></tr>)"));
    CHECK_FALSE(has(page, R"(<td class="name">ok.example</td>)"));
    CHECK(has(page, R"(<tr><td><code>4.7.1</code></td><td class="n">30</td><td class="n">51.7%</td><td>)"));
    CHECK(has(page, "(unregistered detail)"));
    CHECK(has(page, R"(<td class="name">mx.example.com[192.0.2.1]:25</td>)"));
    CHECK(has(page, R"(<td class="name">news@example.org</td>)"));

    // Messages beside attempts, as pflogsumm puts it.
    CHECK(has(page, R"(<tr><td>deferred</td><td class="n">20 (70 deferrals)</td></tr>)"));
    CHECK(has(page, R"(<tr><td>delivered</td><td class="n">760 (12 after a deferral)</td></tr>)"));
    CHECK(has(page, R"(<td class="n">0.8 s</td><td class="n">12.5 s</td><td class="n">15.0 min</td><td class="n">2.0 h</td>)"));
    CHECK(has(page, R"(<tr><td class="name">unknown[203.0.113.9]</td><td class="n">40</td><td class="n">100.0%</td></tr>)"));

    // Three charts, each titled and described, and the same numbers in tables.
    CHECK(count(page, "<svg ") == 3);
    CHECK(count(page, "role=\"img\"") == 3);
    CHECK(has(page, R"(<title id="time-title">Failures per hour</title>)"));
    CHECK(has(page, R"(<title id="reasons-title">Failures by reason</title>)"));
    CHECK(has(page, R"(<title id="domains-title">Failures by recipient domain</title>)"));
    CHECK(has(page, "<desc id=\"time-desc\">"));
    // Four hours with rows in five: four stacks of three parts, and the quiet hour a gap.
    CHECK(count(page, R"(<rect class="k-rejected")") == 4);
    CHECK(has(page, "<title>2026-11-21 10:00: 17 deferred, 8 bounced, 10 rejected, 225 sent</title>"));
    CHECK_FALSE(has(page, "2026-11-21 12:00:"));
    CHECK(has(page, R"(<tr><td>2026-11-21 13:00</td><td class="n">225</td><td class="n">17</td><td class="n">8</td><td class="n">10</td></tr>)"));
    CHECK(has(page, "<details open><summary><h3 id=\"per-hour\""));
    CHECK(has(page, "From 2026-11-21 10:00 to 2026-11-21 14:59 (UTC)"));

    // Light, dark and print.
    CHECK(has(page, "@media (prefers-color-scheme:dark)"));
    CHECK(has(page, "@media print"));
    CHECK(has(page, "Written by esc scan 0.1.0 at <time>2026-11-22T08:00:00Z</time>"));
}

TEST_CASE("past three days the chart is per day") {
    scan_report r = sample();
    r.hours.clear();
    r.days.clear();
    const std::int64_t day = 1795219200;
    for (int d = 0; d < 10; ++d) {
        r.hours.push_back({day + 86400 * d + 3600, {10, 8, 1, 1}, 0});
        r.days.push_back({day + 86400 * d, {10, 8, 1, 1}, 0});
    }
    const std::string page = render_html(r, {});
    check_valid(page);
    CHECK(has(page, R"(<title id="time-title">Failures per day</title>)"));
    CHECK(has(page, "<details open><summary><h3 id=\"per-day\""));
    CHECK(has(page, "<details><summary><h3 id=\"per-hour\""));
    CHECK(count(page, R"(<rect class="k-bounced" x=")") >= 10);
    CHECK(has(page, "<title>2026-11-30: 1 deferred, 1 bounced, 0 rejected, 8 sent</title>"));
}

TEST_CASE("--top: the first rows, and the heading says how many of how many") {
    scan_report r = sample();
    r.domains.clear();
    for (int i = 0; i < 15; ++i) r.domains.push_back(named("d" + std::to_string(100 + i) + ".example", 10, 1, 1, esc::reason::spam));
    html_options o;
    o.top = 10;
    const std::string page = render_html(r, o);
    check_valid(page);
    CHECK(has(page, "<h2>Failures by recipient domain (top 10 of 15)</h2>"));
    CHECK(has(page, ">d109.example</td>"));
    CHECK_FALSE(has(page, ">d110.example</td>"));
}

TEST_CASE("hostile names from the log are text, never markup") {
    scan_report r = sample();
    const std::string script = "<script>alert(\"x\")</script>";
    r.files = {"/tmp/\"><script>alert(1)</script>.log"};
    r.domains.insert(r.domains.begin(), named(script + "'.example", 100, 90, 10, esc::reason::spam));
    r.relays.insert(r.relays.begin(), named("\"><img src=//evil.example/x onerror=alert(1)>", 50, 50, 0, esc::reason::network));
    r.senders.insert(r.senders.begin(), named("a'b\"c@<style>x", 10, 0, 10, esc::reason::spam));
    r.reject_clients.insert(r.reject_clients.begin(), {"<svg onload=alert(1)>[192.0.2.66]", 5});
    r.reject_reasons.insert(r.reject_reasons.begin(), {"</table></section><a href=\"https://evil.example\">", 5});
    // Control characters (a terminal escape) and invalid UTF-8 as the terminal shows them.
    r.domains.insert(r.domains.begin(), named(std::string("esc\x1b[31m.example\xff", 17), 100, 100, 0, esc::reason::spam));
    html_options o;
    o.title = "</title><script>x</script>";
    const std::string page = render_html(r, o);
    check_valid(page);
    CHECK(has(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;.example"));
    CHECK(has(page, "&quot;&gt;&lt;img src=//evil.example/x onerror=alert(1)&gt;"));
    CHECK(has(page, "a&#39;b&quot;c@&lt;style&gt;x"));
    CHECK(has(page, "&lt;svg onload=alert(1)&gt;[192.0.2.66]"));
    CHECK(has(page, "&lt;/table&gt;&lt;/section&gt;&lt;a href=&quot;https:"));
    CHECK(has(page, "esc?[31m.example\xEF\xBF\xBD"));
    CHECK_FALSE(has(page, "\x1b"));
    CHECK(has(page, "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"));
    CHECK(count(page, "<style>") == 1);
    // In the chart too: the label (cut to fit) and its tooltip.
    CHECK(has(page, "<g><title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;.example: 90 deferred, 10 bounced</title>"));
}

TEST_CASE("an empty report: no failures, no charts, still a valid page") {
    const std::string page = render_html(scan_report{}, html_options{});
    check_valid(page);
    CHECK(has(page, "<title>esc scan report</title>"));
    CHECK(has(page, R"(<p id="no-failures">No failed delivery attempts.</p>)"));
    CHECK(has(page, R"(<tr><td>sent</td><td class="n">0</td><td class="n">-</td>)"));
    CHECK(count(page, "<svg ") == 0);
    for (const std::string_view absent : {"id=\"over-time\"", "id=\"reasons\"", "id=\"domains\"", "id=\"statuses\"",
                                          "id=\"relays\"", "id=\"senders\"", "id=\"messages\"", "id=\"rejects\"",
                                          "id=\"notes\"", "href=\"#reasons\""}) {
        CAPTURE(absent);
        CHECK_FALSE(has(page, absent));
    }
    CHECK_FALSE(has(page, "<time>"));

    // Sent only: still no failure sections, and the notes when lines were skipped.
    scan_report sent;
    sent.totals = {5, 5, 0, 0};
    sent.too_long = 1;
    const std::string p2 = render_html(sent, {});
    check_valid(p2);
    CHECK(has(p2, "No failed delivery attempts."));
    CHECK(has(p2, "<li>1 line skipped: longer than 64 KiB</li>"));
}

TEST_CASE("delays without message counts, and time rows without rejects") {
    scan_report r;
    r.totals = {3, 2, 1, 0};
    r.reasons = {{esc::reason::network, 1, 0}};
    r.delay = {2, 1.5, 90, 90, 4000};
    r.hours = {{1795219200, {3, 2, 1, 0}, 0}};
    const std::string page = render_html(r, {});
    check_valid(page);
    CHECK(has(page, R"(<section id="messages"><h2>Messages</h2>)"));
    CHECK_FALSE(has(page, "messages-table"));
    CHECK(has(page, R"(<td class="n">1.5 s</td><td class="n">1.5 min</td><td class="n">1.5 min</td><td class="n">1.1 h</td>)"));
    CHECK(has(page, R"(<title id="time-title">Failures per hour</title>)"));
    CHECK_FALSE(has(page, "rejected (inbound)"));
}
