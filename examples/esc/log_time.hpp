// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The timestamps of mail logs, and the times of --since / --until, as seconds
// since the epoch (UTC).
//
// Pure and allocation-free, with no locale, no time zone database and no
// timegm()/mktime(): both depend on the process's TZ and locale, and a scan must
// read a log the same way on every machine. The calendar arithmetic is the
// proleptic Gregorian calendar's, done here.
//
// The forms read (those log_parser.hpp's split_header() finds):
//   "Nov 28 10:00:01"                   classic syslog: no year, no zone
//   "2026-11-28T10:00:01.123456+00:00"  RFC 3339 (rsyslog, RFC 5424); "+0100" as journalctl writes it; "Z"
//   "2026-11-28 10:00:01[.123] [+0100]" Exim's own log
// An explicit offset is applied; a time without one is taken as UTC as written
// (the log does not say which zone its writer was in). Fractions of a second
// are dropped.

#include <cstdint>
#include <optional>
#include <string_view>

namespace esc_cli {

namespace time_detail {

constexpr std::int64_t seconds_per_day = 86400;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

constexpr bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(std::int64_t y, int m) noexcept {
    constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Leap years among 1 .. y-1 (floor division keeps it right for years before 1).
constexpr std::int64_t leap_years_before(std::int64_t y) noexcept {
    const std::int64_t p = y - 1;
    return floor_div(p, 4) - floor_div(p, 100) + floor_div(p, 400);
}

// Days from 1970-01-01 to y-m-d (m 1..12, d 1..31, not checked here).
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
    constexpr int before_month[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    std::int64_t days = 365 * (y - 1970) + (leap_years_before(y) - leap_years_before(1970));
    days += before_month[m - 1] + (m > 2 && is_leap(y) ? 1 : 0) + (d - 1);
    return days;
}

// The Gregorian year that day `days` (since 1970-01-01) falls in.
constexpr std::int64_t year_of_day(std::int64_t days) noexcept {
    // 146097 days are 400 years: a guess within a year of the answer, then corrected.
    std::int64_t y = 1970 + floor_div(days * 400, 146097);
    while (days_from_civil(y, 1, 1) > days) --y;
    while (days_from_civil(y + 1, 1, 1) <= days) ++y;
    return y;
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// `count` digits of `s` at `pos` as a number; -1 when they are not all there.
constexpr int digits_at(std::string_view s, std::size_t pos, std::size_t count) noexcept {
    if (pos + count > s.size()) return -1;
    int n = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!is_digit(s[i])) return -1;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

// 1..12 for "Jan".."Dec" (the C locale's names, which syslog writes); 0 otherwise.
constexpr int month_of(std::string_view name) noexcept {
    constexpr std::string_view names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (name == names[i]) return i + 1;
    return 0;
}

struct clock_time {
    int hour = 0, minute = 0, second = 0;
};

constexpr bool valid_time(const clock_time& t) noexcept {
    // 60: a leap second, as RFC 3339 allows; it counts as the next minute's first.
    return t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

// "hh:mm:ss" or, when `seconds_optional`, "hh:mm", then an optional ".fraction"
// (dropped); pos moves past what was read. nullopt when malformed.
constexpr std::optional<clock_time> read_clock(std::string_view s, std::size_t& pos, bool seconds_optional) noexcept {
    clock_time t;
    t.hour = digits_at(s, pos, 2);
    if (t.hour < 0 || pos + 2 >= s.size() || s[pos + 2] != ':') return std::nullopt;
    t.minute = digits_at(s, pos + 3, 2);
    if (t.minute < 0) return std::nullopt;
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
        t.second = digits_at(s, pos + 1, 2);
        if (t.second < 0) return std::nullopt;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            const std::size_t first = ++pos;
            while (pos < s.size() && is_digit(s[pos])) ++pos;
            if (pos == first) return std::nullopt;
        }
    } else if (!seconds_optional) {
        return std::nullopt;
    }
    if (!valid_time(t)) return std::nullopt;
    return t;
}

// A zone offset at pos: "Z", "+hh:mm", "+hhmm", "+hh" (and '-'); seconds east of UTC.
// pos moves past it. nullopt when malformed; 0 with pos unmoved when there is none.
constexpr std::optional<std::int64_t> read_offset(std::string_view s, std::size_t& pos) noexcept {
    if (pos >= s.size()) return 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
        return 0;
    }
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    const int sign = s[pos] == '-' ? -1 : 1;
    const int hours = digits_at(s, pos + 1, 2);
    if (hours < 0 || hours > 23) return std::nullopt;
    std::size_t at = pos + 3;
    int minutes = 0;
    if (at < s.size() && s[at] == ':') {
        minutes = digits_at(s, at + 1, 2);
        at += 3;
    } else if (at < s.size()) {
        minutes = digits_at(s, at, 2);
        at += 2;
    }
    if (minutes < 0 || minutes > 59) return std::nullopt;
    pos = at;
    return sign * (static_cast<std::int64_t>(hours) * 3600 + minutes * 60);
}

// "2026-11-28" at the start of s: year, month, day, checked against the calendar.
struct civil_date {
    int year = 0, month = 0, day = 0;
};

constexpr std::optional<civil_date> read_date(std::string_view s) noexcept {
    civil_date d;
    d.year = digits_at(s, 0, 4);
    if (d.year < 1 || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    d.month = digits_at(s, 5, 2);
    d.day = digits_at(s, 8, 2);
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
    return d;
}

constexpr std::int64_t epoch_of(std::int64_t year, int month, int day, const clock_time& t) noexcept {
    return days_from_civil(year, month, day) * seconds_per_day + t.hour * 3600 + t.minute * 60 + t.second;
}

// "YYYY-MM-DD" then 'T' or ' ' then the clock and an optional zone (also after a blank,
// as Exim writes it); the whole of s. `loose`: the date alone (midnight) and hh:mm are
// enough, as a person types them for --since.
constexpr std::optional<std::int64_t> read_iso(std::string_view s, bool loose) noexcept {
    const std::optional<civil_date> date = read_date(s);
    if (!date) return std::nullopt;
    if (s.size() == 10) {
        if (!loose) return std::nullopt;
        return epoch_of(date->year, date->month, date->day, clock_time{});
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    std::size_t pos = 11;
    const std::optional<clock_time> t = read_clock(s, pos, loose);
    if (!t) return std::nullopt;
    if (pos < s.size() && s[pos] == ' ' && pos + 1 < s.size()) ++pos; // Exim's "10:00:01 +0100"
    const std::optional<std::int64_t> offset = read_offset(s, pos);
    if (!offset || pos != s.size()) return std::nullopt;
    return epoch_of(date->year, date->month, date->day, *t) - *offset;
}

} // namespace time_detail

// What a syslog timestamp's missing year is inferred from: a reference time
// that the lines cannot be (much) later than, the file's modification time
// (for stdin, now). Each rotated file has its own.
struct year_context {
    std::int64_t reference = 0;      // seconds since the epoch
    std::int64_t reference_year = 1970; // its UTC year
};

inline year_context year_context_for(std::int64_t reference_epoch) noexcept {
    year_context c;
    c.reference = reference_epoch;
    c.reference_year = time_detail::year_of_day(time_detail::floor_div(reference_epoch, time_detail::seconds_per_day));
    return c;
}

// A log timestamp as log_parser.hpp finds it -> seconds since the epoch, UTC;
// nullopt for anything else. A syslog time gets the latest year that does not
// put it more than a day after the reference: a file that runs over New Year
// reads December as the year before, and a day of slack allows for the clock
// of the writer and a file touched a little before its last line.
inline std::optional<std::int64_t> parse_log_time(std::string_view timestamp, const year_context& years) noexcept {
    using namespace time_detail;
    if (timestamp.size() >= 15 && timestamp[3] == ' ' && !is_digit(timestamp[0])) {
        // "Nov 28 10:00:01", the day padded with a blank ("Nov  1").
        const int month = month_of(timestamp.substr(0, 3));
        if (month == 0) return std::nullopt;
        const char tens = timestamp[4];
        if (!(tens == ' ' || is_digit(tens)) || !is_digit(timestamp[5]) || timestamp[6] != ' ') return std::nullopt;
        const int day = (tens == ' ' ? 0 : (tens - '0') * 10) + (timestamp[5] - '0');
        std::size_t pos = 7;
        const std::optional<clock_time> t = read_clock(timestamp, pos, false);
        if (!t || pos != timestamp.size() || day < 1 || day > 31) return std::nullopt;
        const std::int64_t latest = years.reference + seconds_per_day;
        // Feb 29 can skip back up to eight years (1896 to 1904 had no leap day).
        for (std::int64_t year = years.reference_year + 1; year >= years.reference_year - 8; --year) {
            if (year < 1 || day > days_in_month(year, month)) continue;
            const std::int64_t at = epoch_of(year, month, day, *t);
            if (at <= latest) return at;
        }
        return std::nullopt;
    }
    return read_iso(timestamp, false);
}

// A --since / --until argument -> seconds since the epoch; nullopt for anything
// not in these forms:
//   "2026-11-28" (midnight UTC), "2026-11-28 10:00", "2026-11-28T10:00:00", each with an
//   optional "Z", "+01:00" or "+0100";
//   "-30m", "-2h", "-7d" (before `now`), "today", "yesterday" (midnight UTC).
inline std::optional<std::int64_t> parse_time_argument(std::string_view arg, std::int64_t now) noexcept {
    using namespace time_detail;
    const std::int64_t midnight = floor_div(now, seconds_per_day) * seconds_per_day;
    if (arg == "today") return midnight;
    if (arg == "yesterday") return midnight - seconds_per_day;
    if (arg.size() >= 3 && arg[0] == '-') {
        std::int64_t n = 0;
        std::size_t i = 1;
        for (; i < arg.size() && is_digit(arg[i]); ++i) {
            if (i > 9) return std::nullopt; // a billion units and more are not a time in a log
            n = n * 10 + (arg[i] - '0');
        }
        if (i == 1 || i + 1 != arg.size()) return std::nullopt;
        switch (arg[i]) {
        case 'm': return now - n * 60;
        case 'h': return now - n * 3600;
        case 'd': return now - n * seconds_per_day;
        default: return std::nullopt;
        }
    }
    return read_iso(arg, true);
}

} // namespace esc_cli
