// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Owning conveniences over <esc/dsn.hpp> and <esc/bounce.hpp>, for programs
// that would rather allocate than size buffers: write a DSN into a
// std::string, unfold a field into one, read a bounce with no buffers to
// provide, and turn a result into a flat record of strings (what the
// `esc dsn` command prints, one per recipient).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/config.hpp"
#include "bounce.hpp"
#include "dsn.hpp"
#include "reason.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// A field value on one line (see unfold() in dsn.hpp).
inline std::string unfold(std::string_view raw) {
    std::string out(raw.size(), '\0');
    const std::string_view v = unfold(raw, out.data(), out.data() + out.size());
    if (v.data() != out.data()) return std::string(v);
    out.resize(v.size());
    return out;
}

// Appends the message/delivery-status body to `out` (unchanged on error).
inline dsn_write_result write_delivery_status(std::string& out, const dsn_message_fields& message,
                                              const dsn_recipient_fields* recipients, std::size_t count,
                                              dsn_body_type body = dsn_body_type::delivery_status) {
    const dsn_write_result sized = write_delivery_status(nullptr, nullptr, message, recipients, count, body);
    if (sized.error != dsn_write_error::buffer_too_small && sized.error != dsn_write_error::none) return sized;
    const std::size_t old = out.size();
    out.resize(old + sized.size);
    const dsn_write_result r =
        write_delivery_status(out.data() + old, out.data() + out.size(), message, recipients, count, body);
    if (!r) out.resize(old);
    return r;
}

inline dsn_write_result write_delivery_status(std::string& out, const dsn_message_fields& message,
                                              const std::vector<dsn_recipient_fields>& recipients,
                                              dsn_body_type body = dsn_body_type::delivery_status) {
    return write_delivery_status(out, message, recipients.data(), recipients.size(), body);
}

// A bounce read with its own storage. The views point into `message` (keep
// it alive) and into `buffer`, which moves with the object.
struct owned_bounce {
    std::unique_ptr<char[]> buffer;
    std::vector<bounce_recipient> recipients;
    bounce_report report; // report.recipients points into `recipients`

    owned_bounce() = default;
    owned_bounce(owned_bounce&&) noexcept = default;
    owned_bounce& operator=(owned_bounce&&) noexcept = default;
    owned_bounce(const owned_bounce&) = delete;
    owned_bounce& operator=(const owned_bounce&) = delete;
};

// With a charset converter (bounce_options) the buffer is twice the
// message, so that a converted text fits beside the decoded parts.
inline owned_bounce read_bounce(std::string_view message, const bounce_options& options) {
    owned_bounce b;
    const std::size_t size = options.convert_charset != nullptr ? 2 * message.size() : message.size();
    b.buffer.reset(new char[size + 1]);
    b.recipients.resize(8);
    while (true) {
        b.report = read_bounce(message, b.buffer.get(), size, b.recipients.data(), b.recipients.size(), options);
        if (b.report.error != bounce_error::storage_full) break;
        b.recipients.resize(b.report.total);
    }
    b.recipients.resize(b.report.count);
    b.report.recipients = b.recipients.data();
    return b;
}

inline owned_bounce read_bounce(std::string_view message) { return read_bounce(message, bounce_options{}); }

// One recipient as plain values: what `esc dsn` prints. Empty strings and
// nullopt stand for "not known".
struct bounce_record {
    std::string recipient;
    std::string original;            // the Original-Recipient (or expanded-from alias), or ""
    std::string action;              // "failed", "delayed", ... or ""
    std::string status;              // "5.1.1" or ""
    std::optional<int> reply_code;   // 550
    std::string diagnostic;          // unfolded
    std::string outcome;             // to_string(outcome)
    std::string reason;              // to_string(reason)
    std::string verdict;             // to_string(verdict): hard, soft, undetermined, none
    std::string why_by;              // to_string(decided_by)
    std::string why_text, why_rule, why_provider, why_source; // classification::why, copied
    std::string source;              // "dsn" or "text"
};

inline bounce_record to_record(const bounce_recipient& r) {
    bounce_record rec;
    rec.recipient = std::string(r.address);
    rec.original = std::string(r.original);
    rec.action = std::string(to_string(r.action));
    if (r.status) rec.status = std::string(to_string(*r.status).view());
    if (r.reply_code) rec.reply_code = static_cast<int>(to_int(*r.reply_code));
    rec.diagnostic = unfold(r.diagnostic);
    rec.outcome = std::string(to_string(r.classification.outcome));
    rec.reason = std::string(to_string(r.classification.reason));
    rec.verdict = std::string(to_string(r.classification.verdict));
    const explanation& why = r.classification.why;
    rec.why_by = std::string(to_string(why.by));
    rec.why_text = std::string(why.text);
    rec.why_rule = std::string(why.rule);
    rec.why_provider = std::string(why.provider);
    rec.why_source = std::string(why.source);
    rec.source = std::string(to_string(r.source));
    return rec;
}

ESC_END_NAMESPACE
