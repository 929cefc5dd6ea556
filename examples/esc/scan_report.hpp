// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// What `esc scan` found, as plain data: the terminal summary, the HTML report
// (--html) and the Prometheus metrics (--metrics) are three renderings of one
// scan_report, taken from the scanner with scanner::report(). Rows are sorted
// as they are shown (most failures first, then by name); times are seconds
// since the epoch as the log wrote them (a syslog time without a zone is read
// as UTC, so an hour of the log is an hour of the tables whatever the zone).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <esc/reason.hpp>
#include <esc/status.hpp>

namespace esc_cli {

// Counts of delivery attempts, one per recipient.
struct attempt_counts {
    std::uint64_t attempts = 0; // sent + deferred + bounced
    std::uint64_t sent = 0, deferred = 0, bounced = 0;
    std::uint64_t failures() const noexcept { return deferred + bounced; }
};

// One row of a "by recipient domain", "by relay" or "by sender" table.
struct named_counts {
    std::string name; // lower-cased domain, relay host "mx.example.com[192.0.2.1]:25", sender address
    attempt_counts counts;
    esc::reason main_reason = esc::reason::none; // the commonest reason of its failures
};

struct reason_row {
    esc::reason reason = esc::reason::other;
    std::uint64_t deferred = 0, bounced = 0;
};

struct status_row {
    esc::status_code status{};
    std::uint64_t attempts = 0;
};

// One hour or one day of the log.
struct time_row {
    std::int64_t start = 0; // seconds since the epoch, a multiple of 3600 or 86400
    attempt_counts counts;
    std::uint64_t rejected = 0; // inbound rejects (NOQUEUE, postscreen, milter, Exim's rejected RCPT)
};

// Messages, joined across lines by queue ID (Postfix, sendmail) or message ID (Exim).
struct message_counts {
    std::uint64_t received = 0;              // arrivals seen (qmgr from=, Exim <=)
    std::uint64_t received_null_sender = 0;  // of those, from the null sender <>: bounce notices, most made here
    std::uint64_t delivered = 0;             // every recipient delivered
    std::uint64_t delivered_after_deferral = 0;
    std::uint64_t bounced = 0;               // at least one recipient failed for good
    std::uint64_t bounced_after_deferral = 0;
    std::uint64_t deferred = 0;              // messages with one deferral or more ("1 deferred (5 deferrals)")
    std::uint64_t deferrals = 0;             // the deferral attempts of those messages
    std::uint64_t still_queued = 0;          // a recipient still waiting for a retry at the end of the log
    std::uint64_t gave_up = 0;               // left the queue undelivered after deferrals: expired or deleted
    std::uint64_t open = 0;                  // messages still being tracked at the end
    std::uint64_t open_limit = 0;            // the cap on open messages
    std::uint64_t dropped = 0;               // messages forgotten because the cap was reached
};

// Delivery delay (arrival to delivery, seconds): Postfix's delay=, else the
// difference of the timestamps. Percentiles from a bounded histogram.
struct delay_summary {
    std::uint64_t count = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

struct reject_row {
    std::string name; // a reason's name, or a client "host[192.0.2.1]"
    std::uint64_t count = 0;
};

struct scan_report {
    std::vector<std::string> files; // as printed
    std::uint64_t lines = 0, bytes = 0;
    std::array<bool, 3> formats{};  // postfix, exim, sendmail

    attempt_counts totals;
    std::uint64_t other = 0;        // attempts that are none of sent, deferred, bounced (Exim *>)
    std::uint64_t expired = 0;      // messages returned to their sender by qmgr
    std::uint64_t probes = 0;       // address-verification probes (deliverable / undeliverable), not attempts
    std::uint64_t not_attempted = 0; // deferrals logged without an attempt (Exim "retry time not reached")
    std::uint64_t rejected = 0;     // inbound rejects

    std::vector<reason_row> reasons;  // failures by reason
    std::vector<status_row> statuses; // enhanced codes of the failures
    std::vector<named_counts> domains, relays, senders; // the top rows only
    std::size_t domain_rows = 0, relay_rows = 0, sender_rows = 0; // how many names had failures in all
    std::vector<reject_row> reject_reasons, reject_clients;
    std::vector<time_row> hours, days;

    message_counts messages;        // every message seen, the open ones as they stand
    message_counts closed_messages; // the messages that have left the queue (or were let go at the cap) only
    delay_summary delay;

    std::optional<std::int64_t> first_time, last_time; // of the lines read
    std::uint64_t malformed = 0, too_long = 0, binary = 0, read_errors = 0;
    std::uint64_t memory_bytes = 0; // what the scan's tables hold, roughly
};

} // namespace esc_cli
