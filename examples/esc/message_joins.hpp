// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// A message's lines joined by its queue ID (Postfix, sendmail) or message ID
// (Exim): when it arrived and from whom, how often it was deferred, and how it
// ended. This is what turns "five deferrals and a delivery" into one message
// delivered after deferral, as pflogsumm's "1 deferred (5 deferrals)" does.
//
// Memory is bounded: at most `limit` messages are open at once. When a new one
// would pass the cap, the oldest open message is closed as it stands and
// counted in `dropped`, so an endless log (or a log whose "removed" lines are
// missing) cannot grow the table without end.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "log_parser.hpp"
#include "scan_report.hpp"

namespace esc_cli {

// Delivery delays in a fixed logarithmic histogram: 8 buckets per doubling
// from 1/64 s to 2^23 s (97 days), about 9 % wide, so a percentile is right to
// within a bucket, and memory does not grow with the number of deliveries.
class delay_histogram {
public:
    void add(double seconds) noexcept {
        if (!(seconds >= 0)) return; // NaN or negative: a clock step, not a delay
        ++count_;
        max_ = std::max(max_, seconds);
        ++buckets_[bucket_of(seconds)];
    }

    delay_summary summary() const noexcept {
        delay_summary s;
        s.count = count_;
        if (count_ == 0) return s;
        s.p50 = percentile(0.50);
        s.p90 = percentile(0.90);
        s.p99 = percentile(0.99);
        s.max = max_;
        return s;
    }

private:
    static constexpr int per_doubling = 8;
    static constexpr int min_exponent = -6; // 1/64 s
    static constexpr int max_exponent = 23;
    static constexpr std::size_t bucket_count = (max_exponent - min_exponent) * per_doubling + 1;

    static std::size_t bucket_of(double s) noexcept {
        if (s < std::ldexp(1.0, min_exponent)) return 0;
        const double position = (std::log2(s) - min_exponent) * per_doubling;
        return std::min(bucket_count - 1, static_cast<std::size_t>(position) + 1);
    }
    // The upper edge of bucket i: a percentile is reported as the bound below which it lies.
    static double upper_edge(std::size_t i) noexcept {
        return std::exp2(static_cast<double>(i) / per_doubling + min_exponent);
    }
    double percentile(double q) const noexcept {
        const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += buckets_[i];
            if (seen >= rank && seen != 0) return std::min(upper_edge(i), max_);
        }
        return max_;
    }

    std::array<std::uint64_t, bucket_count> buckets_{};
    std::uint64_t count_ = 0;
    double max_ = 0;
};

class message_joins {
public:
    explicit message_joins(std::size_t limit = 500000) : limit_(limit) { counts_.open_limit = limit; }

    // qmgr's from=, Exim's <=, sendmail's from=: the message is in the queue.
    void arrival(std::string_view id, std::string_view sender, std::optional<std::int64_t> time) {
        if (id.empty()) return;
        state& m = open(id);
        // Postfix's qmgr logs from= each time the message enters the active
        // queue, so again before every retry: one message, received once.
        if (m.has_sender) return;
        ++counts_.received;
        m.sender.assign(sender.data(), std::min<std::size_t>(sender.size(), 320));
        m.has_sender = true;
        if (time) m.arrived = *time;
    }

    // One recipient's attempt. Returns the message's sender when known (for
    // the table of senders); the view lives until the next call.
    std::optional<std::string_view> delivery(std::string_view id, disposition_kind kind, std::optional<std::int64_t> time,
                                             double logged_delay) {
        if (id.empty()) {
            if (kind == disposition_kind::sent && logged_delay >= 0) delays_.add(logged_delay);
            return std::nullopt;
        }
        state& m = open(id);
        switch (kind) {
        case disposition_kind::sent: ++m.sent; break;
        case disposition_kind::deferred: ++m.deferrals; break;
        case disposition_kind::bounced: ++m.bounced; break;
        default: break;
        }
        if (kind == disposition_kind::sent) {
            // Postfix logs the delay itself (from arrival, across restarts);
            // otherwise the timestamps tell, when the arrival was seen.
            if (logged_delay >= 0)
                delays_.add(logged_delay);
            else if (time && m.arrived)
                delays_.add(static_cast<double>(*time - *m.arrived));
        }
        if (!m.has_sender) return std::nullopt;
        return std::string_view(m.sender);
    }

    // qmgr's "removed", Exim's "Completed": the message has left the queue.
    void removed(std::string_view id) {
        const auto it = open_.find(key_of(id));
        if (it == open_.end()) return;
        close(it->second);
        open_.erase(it);
    }

    // At the end of the input: what is still open is counted as it stands.
    // The tables stay; a second call counts nothing twice.
    message_counts counts() const {
        message_counts c = counts_;
        c.open = open_.size();
        for (const auto& kv : open_) tally(kv.second, c);
        return c;
    }
    delay_summary delays() const noexcept { return delays_.summary(); }
    std::size_t open_count() const noexcept { return open_.size(); }
    // Roughly what the open messages hold, for the memory report.
    std::uint64_t memory_bytes() const noexcept {
        return open_.size() * (sizeof(state) + 2 * sizeof(void*) + 48) + order_.size() * sizeof(order_entry);
    }

private:
    struct state {
        std::uint64_t sequence = 0; // when it was opened, to find the oldest
        std::optional<std::int64_t> arrived;
        std::string sender;
        bool has_sender = false;
        std::uint32_t sent = 0, deferrals = 0, bounced = 0;
    };
    struct order_entry {
        std::string id;
        std::uint64_t sequence;
    };

    // Queue IDs are short (Postfix's long ones are 15 to 17 characters); a
    // line with a longer one is cut to 32, which keeps keys bounded too.
    static std::string key_of(std::string_view id) { return std::string(id.substr(0, 32)); }

    state& open(std::string_view id) {
        std::string key = key_of(id);
        const auto found = open_.find(key);
        if (found != open_.end()) return found->second;
        if (open_.size() >= limit_) evict_oldest();
        state& m = open_[key];
        m.sequence = ++sequence_;
        order_.push_back({std::move(key), m.sequence});
        if (order_.size() > 2 * limit_ + 16) compact();
        return m;
    }

    void evict_oldest() {
        while (!order_.empty()) {
            const order_entry e = std::move(order_.front());
            order_.pop_front();
            const auto it = open_.find(e.id);
            if (it == open_.end() || it->second.sequence != e.sequence) continue; // removed since
            close(it->second);
            open_.erase(it);
            ++counts_.dropped;
            return;
        }
    }

    // The order queue keeps the IDs of removed messages until they reach its
    // front; past twice the cap it is rebuilt from the open messages alone.
    void compact() {
        std::deque<order_entry> kept;
        for (order_entry& e : order_) {
            const auto it = open_.find(e.id);
            if (it != open_.end() && it->second.sequence == e.sequence) kept.push_back(std::move(e));
        }
        order_.swap(kept);
    }

    void close(const state& m) { tally(m, counts_); }

    static void tally(const state& m, message_counts& c) {
        const bool was_deferred = m.deferrals != 0;
        if (was_deferred) {
            ++c.deferred;
            c.deferrals += m.deferrals;
        }
        if (m.bounced != 0) {
            ++c.bounced;
            if (was_deferred) ++c.bounced_after_deferral;
        } else if (m.sent != 0) {
            ++c.delivered;
            if (was_deferred) ++c.delivered_after_deferral;
        } else if (was_deferred) {
            ++c.still_queued;
        }
    }

    std::size_t limit_;
    std::uint64_t sequence_ = 0;
    std::unordered_map<std::string, state> open_;
    std::deque<order_entry> order_;
    message_counts counts_;
    delay_histogram delays_;
};

} // namespace esc_cli
