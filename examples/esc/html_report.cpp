// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include <esc/reason.hpp>
#include <esc/registry.hpp>

#include "conventions.hpp"
#include "output.hpp"

namespace esc_cli {

void append_html_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_html_escaped(out, text);
    return out;
}

namespace {

// Colours are CSS variables, set for light and for dark pages and for print;
// the SVG charts take them through classes, so one chart serves all three.
constexpr std::string_view style_sheet = R"css(
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--grid:#eaeef2;--zebra:#f6f8fa;
--sent:#2da44e;--deferred:#d4a72c;--bounced:#cf222e;--rejected:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--grid:#21262d;
--zebra:#151b23;--sent:#3fb950;--deferred:#d29922;--bounced:#f85149;--rejected:#a371f7}}
@media print{:root{color-scheme:light;--bg:#fff;--fg:#000;--muted:#444;--line:#999;--grid:#ddd;--zebra:#f3f3f3;
--sent:#2da44e;--deferred:#d4a72c;--bounced:#cf222e;--rejected:#8250df}
nav{display:none}section{break-inside:avoid-page}body{margin:0;max-width:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
margin:0 auto;padding:1rem 1.5rem 3rem;max-width:72rem}
h1{font-size:1.6rem;margin:.5rem 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);
padding-bottom:.25rem}h3{font-size:1rem;margin:1.25rem 0 .4rem}
.meta,.note,footer{color:var(--muted)}.meta{margin:.1rem 0}footer{margin-top:3rem;font-size:.85rem}
nav{margin:.75rem 0;font-size:.9rem}nav a{color:inherit;margin-right:.9rem}
.figures{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0;padding:0}
.figures div{border:1px solid var(--line);border-radius:6px;padding:.4rem .9rem;min-width:7.5rem}
.figures dt{font-size:.8rem;color:var(--muted)}.figures dd{margin:0;font-size:1.35rem;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .7rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--grid)}
th{font-weight:600;color:var(--muted);border-bottom:1px solid var(--line)}tbody tr:nth-child(even){background:var(--zebra)}
td.n,th.n{text-align:right;white-space:nowrap}td.name{word-break:break-all;max-width:28rem}
tr.total td{font-weight:600;border-top:1px solid var(--line)}
.share{display:inline-block;height:.7rem;min-width:1px;vertical-align:middle;border-radius:2px}
svg.chart{display:block;width:100%;height:auto;max-width:60rem;margin:.5rem 0}
svg text{fill:var(--muted);font-size:12px}svg .grid{stroke:var(--grid)}svg .axis{stroke:var(--line)}
.k-sent{fill:var(--sent);background:var(--sent)}.k-deferred{fill:var(--deferred);background:var(--deferred)}
.k-bounced{fill:var(--bounced);background:var(--bounced)}.k-rejected{fill:var(--rejected);background:var(--rejected)}
.line-sent{fill:none;stroke:var(--sent);stroke-width:2;stroke-opacity:.8}.dot-sent{fill:var(--sent)}
.legend{font-size:.85rem;color:var(--muted);margin:.2rem 0}.legend span{margin-right:1rem;white-space:nowrap}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
details{margin:.4rem 0}summary{cursor:pointer;color:var(--muted)}
)css";

// The page, appended to one string: each piece is written once, in order.
class page {
public:
    explicit page(std::size_t reserve) { s_.reserve(reserve); }
    page& raw(std::string_view text) {
        s_.append(text.data(), text.size());
        return *this;
    }
    // Text from the log: control characters and invalid UTF-8 as printable() makes them, then escaped.
    page& text(std::string_view t) {
        append_html_escaped(s_, printable(t));
        return *this;
    }
    template <class... Args>
    page& f(fmt::format_string<Args...> format, Args&&... args) {
        fmt::format_to(std::back_inserter(s_), format, std::forward<Args>(args)...);
        return *this;
    }
    std::string take() { return std::move(s_); }

private:
    std::string s_;
};

// Days since 1970-01-01 to a civil date (proleptic Gregorian), without the
// C library's time zone: the report's times are already what the log said.
struct civil {
    std::int64_t year;
    unsigned month, day;
};

civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0); }

std::string date_of(std::int64_t t) {
    const civil c = civil_from_days(floor_div(t, 86400));
    return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string time_of(std::int64_t t) {
    const std::int64_t s = t - floor_div(t, 86400) * 86400;
    return fmt::format("{:02}:{:02}", s / 3600, s / 60 % 60);
}

std::string date_time_of(std::int64_t t) { return date_of(t) + " " + time_of(t); }

std::string seconds_text(double s) {
    if (s < 60) return fmt::format("{:.1f} s", s);
    if (s < 3600) return fmt::format("{:.1f} min", s / 60);
    if (s < 86400 * 2) return fmt::format("{:.1f} h", s / 3600);
    return fmt::format("{:.1f} days", s / 86400);
}

std::string count_or_dash(std::uint64_t n) { return n != 0 ? with_commas(n) : "-"; }

// The round number at or above v that an axis ends at: 1, 2 or 5 times a power of ten.
std::uint64_t axis_top(std::uint64_t v) {
    std::uint64_t p = 1;
    while (true) {
        for (const std::uint64_t m : {1u, 2u, 5u})
            if (m * p >= v) return m * p;
        if (p > UINT64_MAX / 100) return v; // no rounder number fits
        p *= 10;
    }
}

std::string heading_top(std::string_view heading, std::size_t shown, std::size_t of) {
    return shown < of ? fmt::format("{} (top {} of {})", heading, shown, of) : std::string(heading);
}

// A share of a whole as a coloured bar in a table cell, decoration for the number beside it.
void share_bar(page& p, std::string_view kind, std::uint64_t part, std::uint64_t whole) {
    const double w = whole == 0 ? 0.0 : 8.0 * static_cast<double>(part) / static_cast<double>(whole);
    p.f(R"(<span class="share k-{}" style="width:{:.2f}rem" aria-hidden="true"></span>)", kind, w);
}

struct bar_row {
    std::string label; // as the log gave it; escaped when written
    std::uint64_t deferred = 0, bounced = 0;
};

// Horizontal bars, deferred and bounced stacked, one row per item: the
// failures by reason and by domain. The label is cut to fit the chart; the
// table under it has the whole name.
void hbar_chart(page& p, std::string_view id, std::string_view title, std::string_view desc,
                const std::vector<bar_row>& rows) {
    constexpr int width = 900, label_width = 260, value_width = 80, row_height = 24, top = 4;
    const int height = top * 2 + row_height * static_cast<int>(rows.size());
    std::uint64_t most = 0;
    for (const bar_row& r : rows) most = std::max(most, r.deferred + r.bounced);
    const double scale = most == 0 ? 0.0 : static_cast<double>(width - label_width - value_width) / static_cast<double>(most);
    p.f(R"(<svg class="chart" id="{0}-chart" viewBox="0 0 {1} {2}" width="{1}" height="{2}" role="img" )"
        R"(aria-labelledby="{0}-title {0}-desc">)",
        id, width, height);
    p.f(R"(<title id="{}-title">)", id).text(title).raw("</title>");
    p.f(R"(<desc id="{}-desc">)", id).text(desc).raw("</desc>\n");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const bar_row& r = rows[i];
        const int y = top + row_height * static_cast<int>(i);
        const double wd = scale * static_cast<double>(r.deferred), wb = scale * static_cast<double>(r.bounced);
        p.raw("<g><title>").text(r.label).f(": {} deferred, {} bounced</title>", with_commas(r.deferred),
                                             with_commas(r.bounced));
        p.f(R"(<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">)", label_width - 8,
            y + row_height / 2)
            .text(truncate_to_width(printable(r.label), 36, true))
            .raw("</text>");
        if (r.deferred != 0)
            p.f(R"(<rect class="k-deferred" x="{}" y="{}" width="{:.1f}" height="{}"/>)", label_width, y + 3,
                std::max(wd, 1.0), row_height - 6);
        if (r.bounced != 0)
            p.f(R"(<rect class="k-bounced" x="{:.1f}" y="{}" width="{:.1f}" height="{}"/>)", label_width + wd, y + 3,
                std::max(wb, 1.0), row_height - 6);
        p.f(R"(<text x="{:.1f}" y="{}" dominant-baseline="middle">{}</text></g>)", label_width + wd + wb + 6,
            y + row_height / 2, with_commas(r.deferred + r.bounced));
        p.raw("\n");
    }
    p.raw("</svg>\n");
}

void legend(page& p, std::initializer_list<std::pair<std::string_view, std::string_view>> keys) {
    p.raw(R"(<p class="legend" aria-hidden="true">)");
    for (const auto& [kind, label] : keys) p.f(R"(<span><i class="k-{}"></i>{}</span>)", kind, label);
    p.raw("</p>\n");
}

// Failures over time: deferred, bounced and rejected stacked per hour (or
// day), sent as a line on its own scale at the right, since a healthy server
// sends far more than it fails and one scale would flatten the failures.
void time_chart(page& p, const std::vector<time_row>& rows, bool days) {
    const std::int64_t step = days ? 86400 : 3600;
    std::int64_t first = rows.front().start, last = rows.front().start;
    for (const time_row& r : rows) {
        first = std::min(first, r.start);
        last = std::max(last, r.start);
    }
    // Hours or days without a line are gaps in time, drawn as such; past a
    // thousand slots (a log whose clock jumped years) only the rows are drawn.
    const std::int64_t span = (last - first) / step + 1;
    const bool dense = span <= 1000;
    const std::size_t n = dense ? static_cast<std::size_t>(span) : rows.size();
    std::vector<const time_row*> slot(n, nullptr);
    for (std::size_t i = 0; i < rows.size(); ++i)
        slot[dense ? static_cast<std::size_t>((rows[i].start - first) / step) : i] = &rows[i];

    std::uint64_t most = 0, most_sent = 0;
    for (const time_row& r : rows) {
        most = std::max(most, r.counts.deferred + r.counts.bounced + r.rejected);
        most_sent = std::max(most_sent, r.counts.sent);
    }
    const std::uint64_t y_top = axis_top(std::max<std::uint64_t>(most, 1));
    const std::uint64_t sent_top = axis_top(std::max<std::uint64_t>(most_sent, 1));
    constexpr int width = 900, height = 280, left = 56, right = 56, top = 12, bottom = 44;
    constexpr int plot_w = width - left - right, plot_h = height - top - bottom;
    const double slot_w = static_cast<double>(plot_w) / static_cast<double>(n);
    const double bar_w = std::max(slot_w * 0.8, 0.5);
    const auto y_of = [&](double v, std::uint64_t axis) {
        return top + plot_h - plot_h * v / static_cast<double>(axis);
    };

    const std::string_view unit = days ? "day" : "hour";
    p.f(R"(<svg class="chart" id="time-chart" viewBox="0 0 {0} {1}" width="{0}" height="{1}" role="img" )"
        R"(aria-labelledby="time-title time-desc">)",
        width, height);
    p.f(R"(<title id="time-title">Failures per {}</title>)", unit);
    p.f(R"(<desc id="time-desc">Deferred, bounced and rejected per {0} from {1} to {2} (UTC), stacked bars on )"
        R"(the left scale (up to {3}); sent per {0} as a line on the right scale (up to {4}). The table )"
        R"(Per {0} below has the numbers.</desc>)",
        unit, days ? date_of(first) : date_time_of(first), days ? date_of(last) : date_time_of(last + step),
        with_commas(y_top), with_commas(sent_top));
    p.raw("\n");

    // Scales: 0, half and top, left for failures and right for sent.
    for (const std::uint64_t v : {std::uint64_t{0}, y_top / 2, y_top}) {
        if (v == y_top / 2 && y_top % 2 != 0) continue;
        const double y = y_of(static_cast<double>(v), y_top);
        p.f(R"(<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>)", left, width - right, y, y);
        p.f(R"(<text x="{}" y="{:.1f}" text-anchor="end" dominant-baseline="middle">{}</text>)", left - 6, y,
            with_commas(v));
    }
    for (const std::uint64_t v : {std::uint64_t{0}, sent_top / 2, sent_top}) {
        if (v == sent_top / 2 && sent_top % 2 != 0) continue;
        p.f(R"(<text class="sent-scale" x="{}" y="{:.1f}" dominant-baseline="middle">{}</text>)", width - right + 6,
            y_of(static_cast<double>(v), sent_top), with_commas(v));
    }
    p.f(R"(<line class="axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>)", left, width - right, top + plot_h);
    p.raw("\n");

    // The bars, each with its figures as a tooltip.
    for (std::size_t i = 0; i < n; ++i) {
        const time_row* r = slot[i];
        if (r == nullptr) continue;
        const double x = left + slot_w * static_cast<double>(i) + (slot_w - bar_w) / 2;
        p.f("<g><title>{}: {} deferred, {} bounced, {} rejected, {} sent</title>",
            days ? date_of(r->start) : date_time_of(r->start), with_commas(r->counts.deferred),
            with_commas(r->counts.bounced), with_commas(r->rejected), with_commas(r->counts.sent));
        double base = 0;
        const std::pair<std::string_view, std::uint64_t> parts[] = {
            {"deferred", r->counts.deferred}, {"bounced", r->counts.bounced}, {"rejected", r->rejected}};
        for (const auto& [kind, v] : parts) {
            if (v == 0) continue;
            const double y0 = y_of(base, y_top), y1 = y_of(base + static_cast<double>(v), y_top);
            p.f(R"(<rect class="k-{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", kind, x, y1, bar_w,
                std::max(y0 - y1, 0.5));
            base += static_cast<double>(v);
        }
        p.raw("</g>");
    }
    p.raw("\n");

    // Sent: a line through the slots that have rows (a gap is no sending, so 0).
    p.raw(R"(<polyline class="line-sent" points=")");
    for (std::size_t i = 0; i < n; ++i) {
        const double v = slot[i] != nullptr ? static_cast<double>(slot[i]->counts.sent) : 0.0;
        p.f("{}{:.1f},{:.1f}", i == 0 ? "" : " ", left + slot_w * (static_cast<double>(i) + 0.5), y_of(v, sent_top));
    }
    p.raw(R"("/>)");
    if (n <= 60)
        for (std::size_t i = 0; i < n; ++i)
            if (slot[i] != nullptr)
                p.f(R"(<circle class="dot-sent" cx="{:.1f}" cy="{:.1f}" r="2.5"/>)",
                    left + slot_w * (static_cast<double>(i) + 0.5),
                    y_of(static_cast<double>(slot[i]->counts.sent), sent_top));
    p.raw("\n");

    // Time labels, at most about eight; a label names the date where it changes.
    const std::size_t every = std::max<std::size_t>(1, (n + 7) / 8);
    std::string last_date;
    for (std::size_t i = 0; i < n; i += every) {
        const std::int64_t t = dense ? first + static_cast<std::int64_t>(i) * step
                                     : (slot[i] != nullptr ? slot[i]->start : first);
        const double x = left + slot_w * (static_cast<double>(i) + 0.5);
        std::string date = date_of(t);
        p.f(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", x, top + plot_h + 16,
            days ? date.substr(5) : time_of(t));
        if (date != last_date)
            p.f(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", x, top + plot_h + 32,
                days ? date.substr(0, 4) : date);
        last_date = std::move(date);
    }
    p.raw("</svg>\n");
}

void time_table(page& p, std::string_view id, const std::vector<time_row>& rows, bool days) {
    p.f(R"(<table id="{}"><thead><tr><th>{}</th><th class="n">sent</th><th class="n">deferred</th>)"
        R"(<th class="n">bounced</th><th class="n">rejected</th></tr></thead><tbody>)",
        id, days ? "day (UTC)" : "hour (UTC)");
    for (const time_row& r : rows)
        p.f(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>)"
            "\n",
            days ? date_of(r.start) : date_time_of(r.start), with_commas(r.counts.sent),
            count_or_dash(r.counts.deferred), count_or_dash(r.counts.bounced), count_or_dash(r.rejected));
    p.raw("</tbody></table>\n");
}

// A table of named rows (domains, relays, senders) with failures, the first `top` of them.
void named_table(page& p, std::string_view id, std::string_view heading, std::string_view first_column,
                 std::string_view no_name, const std::vector<named_counts>& all, std::size_t all_rows, std::size_t top,
                 bool chart) {
    std::vector<const named_counts*> rows;
    for (const named_counts& r : all)
        if (r.counts.failures() != 0) rows.push_back(&r);
    if (rows.empty()) return;
    const std::size_t shown = std::min(rows.size(), top);
    const std::size_t of = std::max(rows.size(), all_rows); // the report may hold the top rows only
    p.f(R"(<section id="{}"><h2>)", id).text(heading_top(heading, shown, of)).raw("</h2>\n");
    if (chart) {
        std::vector<bar_row> bars;
        for (std::size_t i = 0; i < shown; ++i)
            bars.push_back({rows[i]->name.empty() ? std::string(no_name) : rows[i]->name, rows[i]->counts.deferred,
                            rows[i]->counts.bounced});
        hbar_chart(p, id, heading_top(heading, shown, of),
                   fmt::format("Deferred and bounced attempts for each {} with failures, most first; the table below "
                               "has the numbers.",
                               first_column),
                   bars);
        legend(p, {{"deferred", "deferred"}, {"bounced", "bounced"}});
    }
    p.f(R"(<table id="{}-table"><thead><tr><th>{}</th><th class="n">attempts</th><th class="n">deferred</th>)"
        R"(<th class="n">bounced</th><th class="n">fail rate</th><th>main reason</th></tr></thead><tbody>)"
        "\n",
        id, first_column);
    for (std::size_t i = 0; i < shown; ++i) {
        const named_counts& r = *rows[i];
        p.raw(R"(<tr><td class="name">)").text(r.name.empty() ? no_name : std::string_view(r.name));
        p.f(R"(</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>)"
            "\n",
            with_commas(r.counts.attempts), count_or_dash(r.counts.deferred), count_or_dash(r.counts.bounced),
            percent(r.counts.failures(), r.counts.attempts), esc::to_string(r.main_reason));
    }
    p.raw("</tbody></table></section>\n");
}

void reject_table(page& p, std::string_view id, std::string_view heading, std::string_view first_column,
                  const std::vector<reject_row>& rows, std::uint64_t total, std::size_t top) {
    if (rows.empty()) return;
    const std::size_t shown = std::min(rows.size(), top);
    p.f(R"(<h3 id="{}">)", id).text(heading_top(heading, shown, rows.size())).raw("</h3>\n");
    p.f(R"(<table id="{}-table"><thead><tr><th>{}</th><th class="n">rejects</th><th class="n">share</th></tr></thead><tbody>)"
        "\n",
        id, first_column);
    for (std::size_t i = 0; i < shown; ++i)
        p.raw(R"(<tr><td class="name">)")
            .text(rows[i].name)
            .f(R"(</td><td class="n">{}</td><td class="n">{}</td></tr>)"
               "\n",
               with_commas(rows[i].count), percent(rows[i].count, total));
    p.raw("</tbody></table>\n");
}

} // namespace

std::string render_html(const scan_report& r, const html_options& o) {
    // Roughly what a page of this report takes, so the string grows a few times at most.
    page p(24 * 1024 + 600 * (r.hours.size() + r.days.size()) +
           400 * (r.domains.size() + r.relays.size() + r.senders.size() + r.reasons.size()));
    const std::uint64_t attempts = r.totals.attempts + r.other;
    const std::uint64_t failures = r.totals.failures();

    p.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may be fetched or run, whatever a hostile log managed to put in the page.
    p.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    p.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    p.raw("<meta name=\"color-scheme\" content=\"light dark\">\n");
    if (!o.version.empty()) p.raw("<meta name=\"generator\" content=\"esc ").text(o.version).raw("\">\n");
    p.raw("<title>").text(o.title).raw("</title>\n<style>").raw(style_sheet).raw("</style>\n</head>\n<body>\n");

    // What was read.
    p.raw("<header>\n<h1>").text(o.title).raw("</h1>\n");
    if (!r.files.empty()) {
        p.raw(R"(<p class="meta" id="files">)");
        for (std::size_t i = 0; i < r.files.size(); ++i) p.raw(i == 0 ? "" : ", ").text(r.files[i]);
        p.raw("</p>\n");
    }
    std::string formats;
    for (std::size_t i = 0; i < r.formats.size(); ++i) {
        static constexpr const char* names[] = {"Postfix", "Exim", "sendmail"};
        if (r.formats[i]) formats += (formats.empty() ? "" : ", ") + std::string(names[i]);
    }
    p.f(R"(<p class="meta" id="counts">{} lines ({}), {} delivery attempts{}</p>)"
        "\n",
        with_commas(r.lines), human_bytes(r.bytes), with_commas(attempts),
        formats.empty() ? "" : " (" + formats + ")");
    if (r.first_time && r.last_time)
        p.f(R"(<p class="meta" id="span">From {} to {} (UTC)</p>)"
            "\n",
            date_time_of(*r.first_time), date_time_of(*r.last_time));
    p.raw("</header>\n");

    const bool have_time = !r.hours.empty() || !r.days.empty();
    // Messages are joined only where the scan did: nothing to say before that, nor of a log without arrivals.
    const bool have_messages = r.messages.received != 0 || r.messages.deferred != 0 || r.messages.delivered != 0 ||
                               r.messages.bounced != 0 || r.messages.dropped != 0 || r.delay.count != 0;
    const bool have_rejects = r.rejected != 0 || !r.reject_reasons.empty() || !r.reject_clients.empty();
    const auto has_failures = [](const std::vector<named_counts>& v) {
        return std::any_of(v.begin(), v.end(), [](const named_counts& n) { return n.counts.failures() != 0; });
    };
    // A table of contents for the sections this page has.
    p.raw("<nav aria-label=\"Sections\"><a href=\"#deliveries\">Deliveries</a>");
    if (have_time) p.raw("<a href=\"#over-time\">Over time</a>");
    if (failures != 0 && !r.reasons.empty()) p.raw("<a href=\"#reasons\">Reasons</a>");
    if (has_failures(r.domains)) p.raw("<a href=\"#domains\">Domains</a>");
    if (!r.statuses.empty()) p.raw("<a href=\"#statuses\">Status codes</a>");
    if (has_failures(r.relays)) p.raw("<a href=\"#relays\">Relays</a>");
    if (has_failures(r.senders)) p.raw("<a href=\"#senders\">Senders</a>");
    if (have_messages) p.raw("<a href=\"#messages\">Messages</a>");
    if (have_rejects) p.raw("<a href=\"#rejects\">Inbound rejects</a>");
    p.raw("</nav>\n<main>\n");

    // Sent, deferred, bounced: the figures, then the terminal's table.
    p.raw(R"(<section id="deliveries"><h2>Deliveries</h2>)"
          "\n<dl class=\"figures\">");
    p.f("<div><dt>attempts</dt><dd id=\"total-attempts\">{}</dd></div>", with_commas(attempts));
    p.f("<div><dt>sent</dt><dd id=\"total-sent\">{}</dd></div>", with_commas(r.totals.sent));
    p.f("<div><dt>deferred</dt><dd id=\"total-deferred\">{}</dd></div>", with_commas(r.totals.deferred));
    p.f("<div><dt>bounced</dt><dd id=\"total-bounced\">{}</dd></div>", with_commas(r.totals.bounced));
    if (have_rejects) p.f("<div><dt>rejected inbound</dt><dd id=\"total-rejected\">{}</dd></div>", with_commas(r.rejected));
    p.raw("</dl>\n");
    p.raw(R"(<table id="deliveries-table"><thead><tr><th>disposition</th><th class="n">attempts</th>)"
          R"(<th class="n">share</th><th><span class="note">of all attempts</span></th></tr></thead><tbody>)"
          "\n");
    const std::pair<std::string_view, std::uint64_t> dispositions[] = {
        {"sent", r.totals.sent}, {"deferred", r.totals.deferred}, {"bounced", r.totals.bounced}, {"other", r.other}};
    for (const auto& [name, n] : dispositions) {
        if (n == 0 && name == "other") continue;
        p.f(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>)", name, with_commas(n),
            percent(n, attempts));
        share_bar(p, name == "other" ? "rejected" : name, n, attempts);
        p.raw("</td></tr>\n");
    }
    p.raw("</tbody></table>\n");
    if (r.expired != 0)
        p.f("<p class=\"note\">{} message{} expired in the queue and went back to the sender</p>\n",
            with_commas(r.expired), r.expired == 1 ? "" : "s");
    if (failures == 0) p.raw("<p id=\"no-failures\">No failed delivery attempts.</p>\n");
    p.raw("</section>\n");

    // When: a chart per hour, or per day past about three days (72 bars of hours stay legible).
    if (have_time) {
        std::int64_t hours_span = 0;
        if (!r.hours.empty()) {
            const auto [lo, hi] = std::minmax_element(r.hours.begin(), r.hours.end(),
                                                      [](const time_row& a, const time_row& b) { return a.start < b.start; });
            hours_span = hi->start - lo->start;
        }
        const bool by_day = r.hours.empty() || (!r.days.empty() && hours_span > 3 * 86400);
        p.raw(R"(<section id="over-time"><h2>Failures over time</h2>)"
              "\n");
        const std::vector<time_row>& rows = by_day ? r.days : r.hours;
        time_chart(p, rows, by_day);
        if (std::any_of(rows.begin(), rows.end(), [](const time_row& t) { return t.rejected != 0; }))
            legend(p, {{"deferred", "deferred"}, {"bounced", "bounced"}, {"rejected", "rejected (inbound)"},
                       {"sent", "sent (line, right scale)"}});
        else
            legend(p, {{"deferred", "deferred"}, {"bounced", "bounced"}, {"sent", "sent (line, right scale)"}});
        // The chart's own rows open; the other view folded away (a month of hours is long).
        if (!r.hours.empty()) {
            p.raw(by_day ? "<details>" : "<details open>");
            p.f("<summary><h3 id=\"per-hour\" style=\"display:inline\">Per hour</h3> ({} rows)</summary>\n",
                with_commas(r.hours.size()));
            time_table(p, "per-hour-table", r.hours, false);
            p.raw("</details>\n");
        }
        if (!r.days.empty()) {
            p.raw(by_day ? "<details open>" : "<details>");
            p.f("<summary><h3 id=\"per-day\" style=\"display:inline\">Per day</h3> ({} rows)</summary>\n",
                with_commas(r.days.size()));
            time_table(p, "per-day-table", r.days, true);
            p.raw("</details>\n");
        }
        p.raw("</section>\n");
    }

    // Why: the reasons, with the next step for each as the terminal gives it.
    if (failures != 0 && !r.reasons.empty()) {
        p.raw(R"(<section id="reasons"><h2>Failures by reason</h2>)"
              "\n");
        std::vector<bar_row> bars;
        bars.reserve(r.reasons.size());
        for (const reason_row& row : r.reasons)
            bars.push_back({std::string(esc::to_string(row.reason)), row.deferred, row.bounced});
        hbar_chart(p, "reasons", "Failures by reason",
                   "Deferred and bounced attempts for each reason, most first; the table below has the numbers "
                   "and the next step for each.",
                   bars);
        legend(p, {{"deferred", "deferred"}, {"bounced", "bounced"}});
        p.raw(R"(<table id="reasons-table"><thead><tr><th>reason</th><th class="n">deferred</th><th class="n">bounced</th>)"
              R"(<th class="n">share</th><th>next step</th></tr></thead><tbody>)"
              "\n");
        for (const reason_row& row : r.reasons) {
            const esc::outcome oc = row.bounced >= row.deferred ? esc::outcome::permanent : esc::outcome::transient;
            p.raw("<tr><td>").text(esc::to_string(row.reason));
            p.f(R"(</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>)",
                count_or_dash(row.deferred), count_or_dash(row.bounced), percent(row.deferred + row.bounced, failures));
            p.text(esc::advice(oc, row.reason)).raw("</td></tr>\n");
        }
        p.f(R"(<tr class="total"><td>total</td><td class="n">{}</td><td class="n">{}</td><td class="n">100.0%</td><td></td></tr>)"
            "\n</tbody></table></section>\n",
            with_commas(r.totals.deferred), with_commas(r.totals.bounced));
    }

    // Where.
    named_table(p, "domains", "Failures by recipient domain", "domain", "(no domain)", r.domains, r.domain_rows, o.top, true);

    // What the servers said.
    if (!r.statuses.empty()) {
        std::uint64_t with_code = 0;
        for (const status_row& s : r.statuses) with_code += s.attempts;
        const std::size_t shown = std::min(r.statuses.size(), o.top);
        p.raw(R"(<section id="statuses"><h2>)")
            .text(shown < r.statuses.size() ? heading_top("Top enhanced status codes in failures", shown, r.statuses.size())
                                            : std::string("Enhanced status codes in failures"))
            .raw("</h2>\n");
        p.raw(R"(<table id="statuses-table"><thead><tr><th>status</th><th class="n">attempts</th><th class="n">share</th>)"
              R"(<th>title</th></tr></thead><tbody>)"
              "\n");
        for (std::size_t i = 0; i < shown; ++i) {
            const esc::status_code st = r.statuses[i].status;
            p.f(R"(<tr><td><code>{}</code></td><td class="n">{}</td><td class="n">{}</td><td>)",
                esc::to_string(st).view(), with_commas(r.statuses[i].attempts), percent(r.statuses[i].attempts, with_code));
            p.text(esc::describe(st)).raw(esc::lookup(st) != nullptr ? "" : " (unregistered detail)").raw("</td></tr>\n");
        }
        p.raw("</tbody></table></section>\n");
    }

    named_table(p, "relays", "Failures by relay", "relay", "(none)", r.relays, r.relay_rows, o.top, false);
    named_table(p, "senders", "Failures by sender", "sender", "(null sender)", r.senders, r.sender_rows, o.top, false);

    // Messages, joined across lines: what happened to each, against the attempts above.
    if (have_messages) {
        const message_counts& m = r.messages;
        p.raw(R"(<section id="messages"><h2>Messages</h2>)"
              "\n");
        const bool counted = m.received != 0 || m.deferred != 0 || m.delivered != 0 || m.bounced != 0;
        if (counted) p.raw("<table id=\"messages-table\"><tbody>\n");
        const auto row = [&p](std::string_view what, const std::string& value) {
            p.f("<tr><td>{}</td><td class=\"n\">{}</td></tr>\n", what, value);
        };
        if (m.received != 0)
            row("received", m.received_null_sender != 0
                                ? fmt::format("{} ({} from the null sender: bounce notices)", with_commas(m.received),
                                              with_commas(m.received_null_sender))
                                : with_commas(m.received));
        if (counted) row("delivered", m.delivered_after_deferral != 0
                             ? fmt::format("{} ({} after a deferral)", with_commas(m.delivered),
                                           with_commas(m.delivered_after_deferral))
                             : with_commas(m.delivered));
        if (counted) row("bounced", m.bounced_after_deferral != 0
                           ? fmt::format("{} ({} after a deferral)", with_commas(m.bounced),
                                         with_commas(m.bounced_after_deferral))
                           : with_commas(m.bounced));
        if (counted) row("deferred", fmt::format("{} ({} deferral{})", with_commas(m.deferred), with_commas(m.deferrals),
                                    m.deferrals == 1 ? "" : "s"));
        if (m.still_queued != 0) row("still queued at the end of the log", with_commas(m.still_queued));
        if (counted) p.raw("</tbody></table>\n");
        if (m.dropped != 0)
            p.f("<p class=\"note\">{} messages were forgotten because {} were open at once (the limit); their later "
                "lines count as attempts only.</p>\n",
                with_commas(m.dropped), with_commas(m.open_limit));
        if (r.delay.count != 0) {
            p.raw("<h3 id=\"delay\">Delivery delay</h3>\n");
            p.f(R"(<table id="delay-table"><thead><tr><th class="n">deliveries</th><th class="n">median</th>)"
                R"(<th class="n">90th percentile</th><th class="n">99th percentile</th><th class="n">longest</th></tr>)"
                R"(</thead><tbody><tr><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>)"
                R"(<td class="n">{}</td></tr></tbody></table>)"
                "\n",
                with_commas(r.delay.count), seconds_text(r.delay.p50), seconds_text(r.delay.p90),
                seconds_text(r.delay.p99), seconds_text(r.delay.max));
        }
        p.raw("</section>\n");
    }

    if (have_rejects) {
        p.f(R"(<section id="rejects"><h2>Inbound rejects</h2>)"
            "\n<p>{} connections or recipients refused by this server (NOQUEUE, postscreen, milter, "
            "Exim&#39;s rejected RCPT).</p>\n",
            with_commas(r.rejected));
        reject_table(p, "reject-reasons", "Inbound rejects by reason", "reason", r.reject_reasons, r.rejected, o.top);
        reject_table(p, "reject-clients", "Inbound rejects by client", "client", r.reject_clients, r.rejected, o.top);
        p.raw("</section>\n");
    }

    // What could not be read, and what was counted apart; as the terminal's notes.
    std::vector<std::string> notes;
    if (r.malformed != 0) notes.push_back(count_of(r.malformed, "delivery line", "delivery lines") + " could not be read");
    if (r.too_long != 0) notes.push_back(count_of(r.too_long, "line", "lines") + " skipped: longer than 64 KiB");
    if (r.binary != 0) notes.push_back(count_of(r.binary, "line", "lines") + " skipped: binary data (NUL bytes)");
    if (r.read_errors != 0) notes.push_back(count_of(r.read_errors, "input", "inputs") + " could not be read to the end");
    if (r.probes != 0)
        notes.push_back(count_of(r.probes, "address-verification probe", "address-verification probes") +
                        ", not counted as attempts");
    if (r.not_attempted != 0)
        notes.push_back(count_of(r.not_attempted, "deferral", "deferrals") +
                        " logged without a delivery attempt (retry time not reached), not counted");
    if (!notes.empty()) {
        p.raw("<section id=\"notes\"><h2>Notes</h2><ul>\n");
        for (const std::string& n : notes) p.raw("<li>").text(n).raw("</li>\n");
        p.raw("</ul></section>\n");
    }

    p.raw("</main>\n<footer>");
    p.raw("Written by esc scan");
    if (!o.version.empty()) p.raw(" ").text(o.version);
    if (!o.generated_at.empty()) p.raw(" at <time>").text(o.generated_at).raw("</time>");
    p.raw(". Times are those of the log, read as UTC where the log gives no zone.</footer>\n</body>\n</html>\n");
    return p.take();
}

} // namespace esc_cli
