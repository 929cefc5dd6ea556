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
#include <string_view>
#include <cstring>
#include <vector>

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
    static constexpr std::uint32_t no_sender = 0xFFFFFFFFu;

    explicit message_joins(std::size_t limit = 500000) : limit_(limit), slots_(1024) { counts_.open_limit = limit; }

    // qmgr's from=, Exim's <=, sendmail's from=: the message is in the queue.
    // `sender` is the caller's handle for the address (an index into its
    // table of senders), kept with the message and handed back by delivery().
    void arrival(std::string_view id, std::uint32_t sender, bool null_sender, std::optional<std::int64_t> time) {
        if (id.empty()) return;
        entry& m = open(id);
        // Postfix's qmgr logs from= each time the message enters the active
        // queue, so again before every retry: one message, received once.
        if (m.sender != no_sender) return;
        ++counts_.received;
        if (null_sender) ++counts_.received_null_sender;
        m.sender = sender;
        if (time) {
            m.arrived = *time;
            m.has_arrived = true;
        }
    }

    // One recipient's attempt. Returns the message's sender handle, or no_sender.
    std::uint32_t delivery(std::string_view id, disposition_kind kind, std::optional<std::int64_t> time,
                           double logged_delay) {
        if (id.empty()) {
            if (kind == disposition_kind::sent && logged_delay >= 0) delays_.add(logged_delay);
            return no_sender;
        }
        entry& m = open(id);
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
            else if (time && m.has_arrived)
                delays_.add(static_cast<double>(*time - m.arrived));
        }
        return m.sender;
    }

    // qmgr's "removed", Exim's "Completed": the message has left the queue.
    void removed(std::string_view id) {
        const std::size_t i = find(key_of(id));
        if (i == npos) return;
        tally(slots_[i], counts_);
        erase(i);
    }

    // So far: what is still open is counted as it stands, without closing it.
    message_counts counts() const {
        message_counts c = counts_;
        c.open = size_;
        for (const entry& e : slots_)
            if (e.used) tally(e, c);
        return c;
    }
    delay_summary delays() const noexcept { return delays_.summary(); }
    std::size_t open_count() const noexcept { return size_; }
    std::uint64_t memory_bytes() const noexcept {
        return slots_.size() * sizeof(entry) + order_.size() * sizeof(order_entry);
    }

private:
    // Queue IDs are short (Postfix's long ones are 15 to 17 characters,
    // Exim's 23); a longer one is cut to 24, which keeps every key inline
    // and an entry in one 64-byte cache line.
    struct id_key {
        std::array<char, 24> bytes{};
        std::uint8_t size = 0;
        // The bytes past `size` are zero (key_of() fills them): the whole
        // array compares in three word loads, with no call.
        bool operator==(const id_key& o) const noexcept {
            return size == o.size && std::memcmp(bytes.data(), o.bytes.data(), sizeof bytes) == 0;
        }
    };
    struct entry {
        id_key id;
        bool used = false;
        bool has_arrived = false;
        std::uint32_t sender = no_sender;
        std::uint32_t sent = 0, deferrals = 0, bounced = 0;
        std::uint32_t sequence = 0; // when it was opened (mod 2^32), to find the oldest
        std::int64_t arrived = 0;
    };
    struct order_entry {
        id_key id;
        std::uint32_t sequence;
    };
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    static id_key key_of(std::string_view id) noexcept {
        id_key k;
        k.size = static_cast<std::uint8_t>(std::min<std::size_t>(id.size(), k.bytes.size()));
        std::memcpy(k.bytes.data(), id.data(), k.size);
        return k;
    }
    static std::size_t hash_of(const id_key& k) noexcept {
        std::uint64_t h = 1469598103934665603ull; // FNV-1a: short keys, no allocation
        for (std::size_t i = 0; i < k.size; ++i) h = (h ^ static_cast<unsigned char>(k.bytes[i])) * 1099511628211ull;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

    std::size_t find(const id_key& k) const noexcept {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash_of(k) & mask;; i = (i + 1) & mask) {
            if (!slots_[i].used) return npos;
            if (slots_[i].id == k) return i;
        }
    }

    entry& open(std::string_view id) {
        const id_key k = key_of(id);
        if (const std::size_t i = find(k); i != npos) return slots_[i];
        if (size_ >= limit_) evict_oldest();
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash_of(k) & mask;
        while (slots_[i].used) i = (i + 1) & mask;
        entry& m = slots_[i];
        m = entry{};
        m.id = k;
        m.used = true;
        m.sequence = ++sequence_;
        ++size_;
        order_.push_back({k, m.sequence});
        // Messages mostly leave in the order they came: drop the removed ones
        // at the front as we go (two at most per message, so this stays
        // constant time), and rebuild the queue when it is mostly removed ones.
        for (int n = 0; n < 2 && !order_.empty() && !is_open(order_.front()); ++n) order_.pop_front();
        if (order_.size() > 2 * size_ + 4096) compact();
        return m;
    }

    // Linear probing's deletion: the entries after the hole that would no
    // longer be found are moved back into it, so no tombstones pile up.
    void erase(std::size_t hole) noexcept {
        const std::size_t mask = slots_.size() - 1;
        slots_[hole].used = false;
        --size_;
        for (std::size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
            const std::size_t home = hash_of(slots_[j].id) & mask;
            // Move j into the hole when its home is not within (hole, j].
            const bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (between) continue;
            slots_[hole] = slots_[j];
            slots_[j].used = false;
            hole = j;
        }
    }

    void grow() {
        std::vector<entry> old(slots_.size() * 2);
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const entry& e : old) {
            if (!e.used) continue;
            std::size_t i = hash_of(e.id) & mask;
            while (slots_[i].used) i = (i + 1) & mask;
            slots_[i] = e;
        }
    }

    bool is_open(const order_entry& e) const noexcept {
        const std::size_t i = find(e.id);
        return i != npos && slots_[i].sequence == e.sequence;
    }

    void evict_oldest() {
        while (!order_.empty()) {
            const order_entry e = order_.front();
            order_.pop_front();
            const std::size_t i = find(e.id);
            if (i == npos || slots_[i].sequence != e.sequence) continue; // removed since
            tally(slots_[i], counts_);
            erase(i);
            ++counts_.dropped;
            return;
        }
    }

    // The order queue keeps the IDs of removed messages until they reach its
    // front; past twice the cap it is rebuilt from the open messages alone.
    void compact() {
        std::deque<order_entry> kept;
        for (const order_entry& e : order_) {
            const std::size_t i = find(e.id);
            if (i != npos && slots_[i].sequence == e.sequence) kept.push_back(e);
        }
        order_.swap(kept);
    }

    static void tally(const entry& m, message_counts& c) noexcept {
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
    std::uint32_t sequence_ = 0;
    std::size_t size_ = 0;
    std::vector<entry> slots_;
    std::deque<order_entry> order_;
    message_counts counts_;
    delay_histogram delays_;
};

} // namespace esc_cli
