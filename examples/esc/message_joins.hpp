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
#include <climits>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <cstring>
#include <vector>

#include "log_parser.hpp"
#include "scan_report.hpp"
#include "word_hash.hpp"

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
    // The middle of bucket i (geometric, as the buckets are): a percentile is
    // reported to within half a bucket, about 4.5 %.
    static double middle(std::size_t i) noexcept {
        if (i == 0) return 0;
        return std::exp2((static_cast<double>(i) - 0.5) / per_doubling + min_exponent);
    }
    double percentile(double q) const noexcept {
        const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += buckets_[i];
            if (seen >= rank && seen != 0) return std::min(middle(i), max_);
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
        m.null_sender = null_sender;
        if (null_sender) ++counts_.received_null_sender;
        m.sender = sender;
        if (time) {
            if (!time_base_) time_base_ = *time;
            const std::int64_t from_base = *time - *time_base_;
            if (from_base >= INT32_MIN && from_base <= INT32_MAX) {
                m.arrived = static_cast<std::int32_t>(from_base);
                m.has_arrived = true;
            }
        }
    }

    // One recipient's attempt (or, for `probe` and `expired`, what became of
    // the message). Returns the message's sender handle, or no_sender.
    std::uint32_t delivery(std::string_view id, std::string_view recipient, disposition_kind kind,
                           std::optional<std::int64_t> time, double logged_delay) {
        if (id.empty()) {
            if (kind == disposition_kind::sent && logged_delay >= 0) delays_.add(logged_delay);
            return no_sender;
        }
        entry& m = open(id);
        switch (kind) {
        case disposition_kind::probe:
            // An address-verification probe is no message anyone sent: out of "received".
            if (!m.probe && m.sender != no_sender) {
                --counts_.received;
                if (m.null_sender) --counts_.received_null_sender;
            }
            m.probe = true;
            return m.sender;
        case disposition_kind::expired: m.expired = true; return m.sender;
        case disposition_kind::sent:
        case disposition_kind::deferred:
        case disposition_kind::bounced: break;
        default: return m.sender;
        }
        if (kind == disposition_kind::deferred && m.deferrals != 0xFFFF) ++m.deferrals;
        std::uint8_t* state = recipient_state(m, recipient);
        if (state == nullptr) {
            // A recipient past the few followed one by one: counted for the message as a whole.
            if (kind == disposition_kind::sent) m.other_sent = true;
            if (kind == disposition_kind::bounced) m.other_bounced = true;
        } else if (kind == disposition_kind::deferred) {
            *state |= rcpt_deferred | rcpt_pending;
        } else {
            const bool after_deferral = (*state & rcpt_deferred) != 0;
            *state = static_cast<std::uint8_t>((*state & ~rcpt_pending) |
                                               (kind == disposition_kind::sent ? rcpt_sent : rcpt_bounced) |
                                               (after_deferral ? rcpt_final_after_deferral : 0));
        }
        if (kind == disposition_kind::sent) {
            // Postfix logs the delay itself (from arrival, across restarts);
            // otherwise the timestamps tell, when the arrival was seen.
            if (logged_delay >= 0)
                delays_.add(logged_delay);
            else if (time && m.has_arrived)
                delays_.add(static_cast<double>(*time - (*time_base_ + m.arrived)));
        }
        return m.sender;
    }

    // The message's slot asked of the memory ahead of time: a delivery line
    // is classified before its message is looked up, and that is long enough
    // for the slot to arrive, instead of a cache miss afterwards. Also the
    // slot of the oldest message, which open() looks at to drop it when it
    // is gone: that is a miss each time the oldest message changes (each
    // message, in a log where messages leave in the order they came).
    void prefetch(std::string_view id) const noexcept {
        if (id.empty()) return;
        const std::size_t mask = slots_.size() - 1;
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(&slots_[hash_of(key_of(id)) & mask]);
        if (!order_.empty()) __builtin_prefetch(&slots_[hash_of(order_.front().id) & mask]);
#else
        (void)mask;
#endif
    }

    // qmgr's "removed", Exim's "Completed": the message has left the queue.
    void removed(std::string_view id) {
        const std::size_t i = find(key_of(id));
        if (i == npos) return;
        tally(slots_[i], counts_, true);
        erase(i);
    }

    // So far: what is still open is counted as it stands, without closing it.
    message_counts counts() const {
        message_counts c = counts_;
        c.open = size_;
        for (const entry& e : slots_)
            if (e.used) tally(e, c, false);
        return c;
    }
    // The messages that have left the queue (or been let go at the cap)
    // only: counts that never go down, for counters (Prometheus').
    message_counts closed_counts() const {
        message_counts c = counts_;
        c.open = size_;
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
    // What each of a message's first few recipients came to, so that a
    // message is finished only when none of them waits for a retry, and is
    // "delivered after deferral" only when a deferred recipient was then delivered.
    static constexpr std::size_t followed_recipients = 4;
    static constexpr std::uint8_t rcpt_deferred = 1, rcpt_pending = 2, rcpt_sent = 4, rcpt_bounced = 8,
                                  rcpt_final_after_deferral = 16;
    // One 64-byte cache line: the table is looked up for nearly every line
    // of a log, at random, and a miss costs more than the rest of the lookup.
    struct entry {
        id_key id;
        bool used : 1;
        bool has_arrived : 1;
        bool null_sender : 1, probe : 1, expired : 1;
        bool other_sent : 1, other_bounced : 1; // recipients past the followed ones
        std::uint8_t recipients = 0;
        std::array<std::uint8_t, followed_recipients> rcpt_state{};
        std::array<std::uint32_t, followed_recipients> rcpt_hash{};
        std::uint32_t sender = no_sender;
        std::uint16_t deferrals = 0; // saturates: 65,535 retries is a message stuck anyway
        std::uint32_t sequence = 0;  // when it was opened (mod 2^32), to find the oldest
        std::int32_t arrived = 0;    // seconds from time_base_ (68 years either way)
        entry() : used(false), has_arrived(false), null_sender(false), probe(false), expired(false),
                  other_sent(false), other_bounced(false) {}
    };
    static_assert(sizeof(entry) <= 64, "an entry fits a cache line");

    static std::uint32_t recipient_hash(std::string_view r) noexcept {
        // Case folded: addresses' domains are not case-sensitive.
        return static_cast<std::uint32_t>(word_hash::bytes</*Fold=*/true>(r, 0x452821E638D01377ull) >> 32);
    }
    static std::uint8_t* recipient_state(entry& m, std::string_view recipient) noexcept {
        const std::uint32_t h = recipient_hash(recipient);
        for (std::size_t i = 0; i < m.recipients; ++i)
            if (m.rcpt_hash[i] == h) return &m.rcpt_state[i];
        if (m.recipients == followed_recipients) return nullptr;
        m.rcpt_hash[m.recipients] = h;
        return &m.rcpt_state[m.recipients++];
    }
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
    // The key's three words, zero past its size, as they are: no loop and no
    // call for a tail, and it is hashed several times a line (prefetch(),
    // open(), the oldest message's is_open()).
    static std::size_t hash_of(const id_key& k) noexcept {
        std::uint64_t w[3];
        static_assert(sizeof w == sizeof k.bytes, "an id_key is three words");
        std::memcpy(w, k.bytes.data(), sizeof w);
        const std::uint64_t h = word_hash::mix(word_hash::mix(0x13198A2E03707344ull ^ k.size, w[0]), w[1]);
        return static_cast<std::size_t>(word_hash::mix(h, w[2]));
    }

    std::size_t find(const id_key& k) const noexcept { return find(k, hash_of(k)); }
    std::size_t find(const id_key& k, std::size_t hash) const noexcept {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            if (!slots_[i].used) return npos;
            if (slots_[i].id == k) return i;
        }
    }

    entry& open(std::string_view id) {
        const id_key k = key_of(id);
        const std::size_t hash = hash_of(k);
        if (const std::size_t i = find(k, hash); i != npos) return slots_[i];
        if (size_ >= limit_) evict_oldest();
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash & mask;
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
            tally(slots_[i], counts_, false);
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

    // `left`: the message has left the queue (removed, Completed); else it
    // is counted as it stands at the end of the log or at the cap.
    static void tally(const entry& m, message_counts& c, bool left) noexcept {
        if (m.probe) return; // counted apart, as probes
        bool pending = false, sent = m.other_sent, bounced = m.other_bounced, sent_after = false, bounced_after = false;
        for (std::size_t i = 0; i < m.recipients; ++i) {
            const std::uint8_t st = m.rcpt_state[i];
            pending = pending || (st & rcpt_pending) != 0;
            sent = sent || (st & rcpt_sent) != 0;
            bounced = bounced || (st & rcpt_bounced) != 0;
            sent_after = sent_after || (st & (rcpt_sent | rcpt_final_after_deferral)) == (rcpt_sent | rcpt_final_after_deferral);
            bounced_after = bounced_after ||
                            (st & (rcpt_bounced | rcpt_final_after_deferral)) == (rcpt_bounced | rcpt_final_after_deferral);
        }
        if (m.deferrals != 0) {
            ++c.deferred;
            c.deferrals += m.deferrals;
        }
        if (pending && !left) {
            ++c.still_queued; // a recipient waits for its retry
        } else if (bounced) {
            ++c.bounced;
            if (bounced_after) ++c.bounced_after_deferral;
        } else if (sent && !pending) {
            ++c.delivered;
            if (sent_after) ++c.delivered_after_deferral;
        } else if (pending || m.expired) {
            ++c.gave_up; // left the queue undelivered: expired (returned to its sender) or deleted
        }
    }

    std::size_t limit_;
    std::uint32_t sequence_ = 0;
    std::size_t size_ = 0;
    std::optional<std::int64_t> time_base_; // the first arrival's time: entries keep theirs from it
    std::vector<entry> slots_;
    std::deque<order_entry> order_;
    message_counts counts_;
    delay_histogram delays_;
};

} // namespace esc_cli
