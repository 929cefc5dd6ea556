// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The tables `esc scan` counts into: attempts and their reasons by a name
// (recipient domain, relay, sender, inbound client), and by hour.
//
// Counting a name seen before allocates nothing (an open-addressing table of
// indexes into a vector of names). Each table holds at most `limit` names;
// past that, new names are counted under one "(other)" row, so that a log of
// millions of distinct senders or clients cannot grow memory without end.

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <esc/reason.hpp>

#include "scan_report.hpp"
#include "word_hash.hpp"

namespace esc_cli {

inline constexpr std::string_view overflow_name = "(other)";

// Per name: the attempts, and the failures by reason.
struct name_counts {
    attempt_counts counts;
    std::array<std::uint32_t, esc::reason_count> reasons{};
    std::uint64_t hits = 0; // for tables of plain counts (inbound clients)

    esc::reason main_reason() const noexcept {
        std::size_t top = 0;
        for (std::size_t r = 1; r < reasons.size(); ++r)
            if (reasons[r] > reasons[top]) top = r;
        return reasons[top] == 0 ? esc::reason::none : static_cast<esc::reason>(top);
    }
};

class name_table {
public:
    // `fold_case`: names compared and kept in lower case (domains, hosts);
    // addresses keep theirs (a local part may be case-sensitive).
    explicit name_table(std::size_t limit = 100000, bool fold_case = true)
        : limit_(limit), fold_case_(fold_case), slots_(1024) {}

    name_counts& at(std::string_view name) {
        char key_buffer[256];
        const std::size_t n = std::min(name.size(), sizeof key_buffer);
        for (std::size_t i = 0; i < n; ++i) {
            const char c = name[i];
            key_buffer[i] = fold_case_ && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        }
        return find_or_add(std::string_view(key_buffer, n));
    }

    // The row's index, for a caller that keeps a handle to it (the sender of
    // an open message); rows are never removed, so an index stays valid.
    std::uint32_t index_of(std::string_view name) {
        const name_counts& c = at(name);
        return static_cast<std::uint32_t>(&c - counts_.data());
    }
    name_counts& at_index(std::uint32_t i) { return counts_[i]; }

    std::size_t size() const noexcept { return names_.size(); }
    const std::string& name(std::size_t i) const { return names_[i]; }
    const name_counts& counts(std::size_t i) const { return counts_[i]; }
    bool overflowed() const noexcept { return overflowed_; }
    std::uint64_t memory_bytes() const noexcept {
        std::uint64_t m = slots_.size() * sizeof(slot) + counts_.size() * sizeof(name_counts);
        for (const std::string& s : names_) m += sizeof s + (s.size() > 15 ? s.size() + 1 : 0);
        return m;
    }

    // The rows with failures, most first, then by name; at most `top`.
    std::vector<named_counts> failure_rows(std::size_t top) const {
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (counts_[i].counts.failures() != 0) order.push_back(i);
        const auto by_failures = [&](std::size_t a, std::size_t b) {
            const auto fa = counts_[a].counts.failures(), fb = counts_[b].counts.failures();
            return fa != fb ? fa > fb : names_[a] < names_[b];
        };
        const std::size_t n = std::min(order.size(), top);
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), by_failures);
        std::vector<named_counts> rows;
        rows.reserve(n);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = order[k];
            rows.push_back({names_[i], counts_[i].counts, counts_[i].main_reason()});
        }
        return rows;
    }
    std::size_t failure_row_count() const {
        return static_cast<std::size_t>(std::count_if(counts_.begin(), counts_.end(),
                                                      [](const name_counts& c) { return c.counts.failures() != 0; }));
    }

    // The rows by `hits`, most first; at most `top`.
    std::vector<reject_row> hit_rows(std::size_t top) const {
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (counts_[i].hits != 0) order.push_back(i);
        const auto by_hits = [&](std::size_t a, std::size_t b) {
            return counts_[a].hits != counts_[b].hits ? counts_[a].hits > counts_[b].hits : names_[a] < names_[b];
        };
        const std::size_t n = std::min(order.size(), top);
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), by_hits);
        std::vector<reject_row> rows;
        for (std::size_t k = 0; k < n; ++k) rows.push_back({names_[order[k]], counts_[order[k]].hits});
        return rows;
    }

private:
    static constexpr std::uint32_t empty = 0xFFFFFFFFu;
    struct slot {
        std::size_t hash = 0;
        std::uint32_t index = empty;
    };

    name_counts& find_or_add(std::string_view key) {
        const auto hash = static_cast<std::size_t>(word_hash::bytes(key, 0xA4093822299F31D0ull));
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            slot& s = slots_[i];
            if (s.index == empty) {
                if (names_.size() >= limit_ && key != overflow_name) {
                    overflowed_ = true;
                    return find_or_add(overflow_name); // "(other)" itself passes the limit
                }
                if ((names_.size() + 1) * 2 > slots_.size()) {
                    grow();
                    return find_or_add(key);
                }
                s.hash = hash;
                s.index = static_cast<std::uint32_t>(names_.size());
                names_.emplace_back(key);
                counts_.emplace_back();
                return counts_.back();
            }
            if (s.hash == hash && names_[s.index] == key) return counts_[s.index];
        }
    }

    void grow() {
        std::vector<slot> bigger(slots_.size() * 2);
        const std::size_t mask = bigger.size() - 1;
        for (const slot& s : slots_) {
            if (s.index == empty) continue;
            std::size_t i = s.hash & mask;
            while (bigger[i].index != empty) i = (i + 1) & mask;
            bigger[i] = s;
        }
        slots_.swap(bigger);
    }

    std::size_t limit_;
    bool fold_case_;
    bool overflowed_ = false;
    std::vector<slot> slots_;
    std::vector<std::string> names_;
    std::vector<name_counts> counts_;
};

// Attempts and inbound rejects by hour; days are summed from the hours. A
// log covers few hours (a year is 8,760), so an ordered map is plenty; past
// `limit` hours (a clock gone wild) new hours are not counted.
class time_table {
public:
    explicit time_table(std::size_t limit = 200000) : limit_(limit) {}

    time_row* at(std::int64_t t) {
        const std::int64_t hour = floor_to(t, 3600);
        if (last_ != nullptr && last_->start == hour) return last_; // a log runs in order: mostly the same hour
        const auto it = hours_.find(hour);
        if (it != hours_.end()) return last_ = &it->second;
        if (hours_.size() >= limit_) return nullptr;
        time_row& r = hours_[hour];
        r.start = hour;
        return last_ = &r;
    }

    std::vector<time_row> hours() const {
        std::vector<time_row> v;
        v.reserve(hours_.size());
        for (const auto& kv : hours_) v.push_back(kv.second);
        return v;
    }
    std::vector<time_row> days() const {
        std::vector<time_row> v;
        for (const auto& kv : hours_) {
            const std::int64_t day = floor_to(kv.first, 86400);
            if (v.empty() || v.back().start != day) v.push_back(time_row{day, {}, 0});
            time_row& d = v.back();
            d.counts.attempts += kv.second.counts.attempts;
            d.counts.sent += kv.second.counts.sent;
            d.counts.deferred += kv.second.counts.deferred;
            d.counts.bounced += kv.second.counts.bounced;
            d.rejected += kv.second.rejected;
        }
        return v;
    }
    std::uint64_t memory_bytes() const noexcept { return hours_.size() * (sizeof(time_row) + 48); }

    static constexpr std::int64_t floor_to(std::int64_t t, std::int64_t unit) noexcept {
        const std::int64_t q = t / unit;
        return (t % unit < 0 ? q - 1 : q) * unit;
    }

private:
    std::size_t limit_;
    std::map<std::int64_t, time_row> hours_; // its nodes stay put: last_ stays valid
    time_row* last_ = nullptr;
};

} // namespace esc_cli
