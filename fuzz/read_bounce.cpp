// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// read_bounce() on arbitrary messages, the parser most exposed to hostile
// mail: with a buffer of message.size() (always enough), with a short one
// and with none, each allocated to its exact size so that a sanitizer sees
// any write or read past it. Properties: deterministic; every view inside
// the message or the buffer; counts and errors that agree (a full buffer is
// never too small; storage_full exactly when more were found than stored);
// outcomes that follow the action (RFC 3464 2.3.3: failed is permanent,
// delayed transient, delivered/relayed/expanded success); a reason exactly
// for failures. Each read once more with the CJK converter
// (<esc/charset_cjk.hpp>), as `esc dsn` reads, under the same properties.
#include <esc/bounce.hpp>
#include <esc/charset_cjk.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

constexpr std::size_t capacity = 4;

bool inside_either(std::string_view v, std::string_view message, const char* buffer, std::size_t size) {
    return esc_fuzz::inside(v, message) || esc_fuzz::inside(v, std::string_view(buffer, size)) ||
           (v.empty() && v.data() == nullptr);
}

bool same(const esc::bounce_recipient& a, const esc::bounce_recipient& b) {
    return a.address == b.address && a.original == b.original && a.origin == b.origin && a.action == b.action &&
           a.status == b.status && a.reply_code == b.reply_code && a.diagnostic == b.diagnostic &&
           a.classification == b.classification && a.source == b.source;
}

void check(std::string_view message, std::size_t buffer_size, const esc::bounce_options& options) {
    const std::unique_ptr<char[]> buffer(buffer_size == 0 ? nullptr : new char[buffer_size]);
    esc::bounce_recipient storage[capacity];
    const esc::bounce_report r = esc::read_bounce(message, buffer.get(), buffer_size, storage, options);
    auto in = [&](std::string_view v) { return inside_either(v, message, buffer.get(), buffer_size); };

    ESC_FUZZ_CHECK(r.count <= capacity && r.count <= r.total);
    ESC_FUZZ_CHECK(r.recipients == storage);
    ESC_FUZZ_CHECK(static_cast<bool>(r) == (r.error == esc::bounce_error::none));
    if (r.error == esc::bounce_error::none) ESC_FUZZ_CHECK(r.total == r.count && r.count > 0);
    if (r.error == esc::bounce_error::storage_full) ESC_FUZZ_CHECK(r.total > r.count);
    if (r.error == esc::bounce_error::not_a_bounce || r.error == esc::bounce_error::no_recipients)
        ESC_FUZZ_CHECK(r.total == 0);
    if (buffer_size >= message.size()) ESC_FUZZ_CHECK(r.error != esc::bounce_error::buffer_too_small);
    if (r.kind == esc::report_kind::feedback || r.kind == esc::report_kind::auto_reply) ESC_FUZZ_CHECK(r.total == 0);
    ESC_FUZZ_CHECK(in(r.dsn_body) && in(r.text) && in(r.subject) && in(r.returned.header) &&
                   in(r.returned.message_id));
    // (The subject may lie in the buffer: a bounce pasted into an encoded text is read from there.)

    for (const esc::bounce_recipient& rec : r) {
        ESC_FUZZ_CHECK(!rec.address.empty());
        ESC_FUZZ_CHECK(in(rec.address) && in(rec.original) && in(rec.diagnostic));
        ESC_FUZZ_CHECK(rec.source == r.source);
        if (rec.source == esc::bounce_source::text) ESC_FUZZ_CHECK(rec.origin == esc::address_origin::text);
        const esc::outcome o = rec.classification.outcome;
        switch (rec.action) {
        case esc::dsn_action::failed: ESC_FUZZ_CHECK(o == esc::outcome::permanent); break;
        case esc::dsn_action::delayed: ESC_FUZZ_CHECK(o == esc::outcome::transient); break;
        case esc::dsn_action::delivered:
        case esc::dsn_action::relayed:
        case esc::dsn_action::expanded: ESC_FUZZ_CHECK(o == esc::outcome::success); break;
        default: break;
        }
        const bool failure = o == esc::outcome::transient || o == esc::outcome::permanent;
        if (failure) ESC_FUZZ_CHECK(rec.classification.reason != esc::reason::none);
        if (o == esc::outcome::success) ESC_FUZZ_CHECK(rec.classification.reason == esc::reason::none);
        if (rec.status) ESC_FUZZ_CHECK(esc::is_valid(*rec.status));
    }

    // Deterministic: the same input and buffer size, the same results.
    const std::unique_ptr<char[]> again_buffer(buffer_size == 0 ? nullptr : new char[buffer_size]);
    esc::bounce_recipient again_storage[capacity];
    const esc::bounce_report again = esc::read_bounce(message, again_buffer.get(), buffer_size, again_storage, options);
    ESC_FUZZ_CHECK(again.total == r.total && again.count == r.count && again.error == r.error &&
                   again.kind == r.kind && again.source == r.source);
    for (std::size_t i = 0; i < r.count; ++i) {
        const esc::bounce_recipient& a = storage[i];
        const esc::bounce_recipient& b = again_storage[i];
        // Views into the two buffers differ in place, not in content.
        ESC_FUZZ_CHECK(a.address == b.address && a.diagnostic == b.diagnostic && a.action == b.action &&
                       a.status == b.status && a.classification == b.classification);
        ESC_FUZZ_CHECK(same(a, a));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view message(copy.get(), size);
    esc::bounce_options cjk;
    cjk.convert_charset = esc::convert_cjk;
    for (const esc::bounce_options& options : {esc::bounce_options{}, cjk}) {
        check(message, message.size(), options); // always enough
        check(message, message.size() / 3, options);
        check(message, 0, options);
    }
    return 0;
}
