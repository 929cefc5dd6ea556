// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// parse_delivery_status() and delivery_status_reader on arbitrary bodies, and
// write_delivery_status() on what they read. Properties: deterministic; every
// view inside the body; groups in order, none overlapping; counts and errors
// that agree; the reader and the parser see the same groups. And what the
// writer accepts is well-formed: CRLF lines within 998 octets, nothing but
// ASCII in a message/delivery-status body, well-formed UTF-8 in a global one;
// read back, the same number of groups with the same actions and codes.
#include <esc/bounce.hpp>
#include <esc/bounce_writer.hpp>
#include <esc/dsn.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.hpp"

namespace {

constexpr std::size_t capacity = 4;

void check_written(const esc::dsn_report& r, esc::dsn_body_type body) {
    const esc::dsn_write_result sized =
        esc::write_delivery_status(nullptr, nullptr, r.message, r.recipients, r.count, body);
    if (sized.error != esc::dsn_write_error::buffer_too_small) {
        ESC_FUZZ_CHECK(sized.error != esc::dsn_write_error::none || r.count == 0);
        return;
    }
    const std::unique_ptr<char[]> out(new char[sized.size]);
    const esc::dsn_write_result w =
        esc::write_delivery_status(out.get(), out.get() + sized.size, r.message, r.recipients, r.count, body);
    ESC_FUZZ_CHECK(w && w.size == sized.size);
    const std::string_view text(out.get(), w.size);
    std::size_t line = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (body == esc::dsn_body_type::delivery_status) ESC_FUZZ_CHECK(c < 0x80);
        if (c == '\n') {
            ESC_FUZZ_CHECK(i > 0 && text[i - 1] == '\r');
            line = 0;
            continue;
        }
        if (c == '\r') ESC_FUZZ_CHECK(i + 1 < text.size() && text[i + 1] == '\n');
        else ESC_FUZZ_CHECK(++line <= esc::dsn_hard_line_limit);
    }
    ESC_FUZZ_CHECK(esc::detail::is_well_formed_utf8(text));
    esc::dsn_recipient_fields back[capacity];
    const esc::dsn_report b = esc::parse_delivery_status(text, back);
    ESC_FUZZ_CHECK(b.total == r.count);
    for (std::size_t i = 0; i < b.count; ++i) {
        ESC_FUZZ_CHECK(back[i].action == r.recipients[i].action);
        ESC_FUZZ_CHECK(back[i].status == r.recipients[i].status);
        ESC_FUZZ_CHECK(!back[i].warnings.repeated_field && !back[i].warnings.not_separated);
    }

    // The same groups in a whole bounce, read back by read_bounce(): as many
    // recipients, with the same actions.
    esc::bounce_envelope envelope;
    envelope.from = "MAILER-DAEMON@mx.example";
    envelope.to = "sender@example.org";
    envelope.explanation = "Delivery failed.";
    envelope.returned_header = "Subject: x\r\n";
    const esc::dsn_write_result sized_bounce =
        esc::write_bounce(nullptr, nullptr, envelope, r.message, r.recipients, r.count, body);
    if (sized_bounce.error != esc::dsn_write_error::buffer_too_small) return; // the boundary in a value, say
    const std::unique_ptr<char[]> whole(new char[sized_bounce.size]);
    const esc::dsn_write_result wb =
        esc::write_bounce(whole.get(), whole.get() + sized_bounce.size, envelope, r.message, r.recipients, r.count, body);
    ESC_FUZZ_CHECK(wb && wb.size == sized_bounce.size);
    const std::string_view bounce(whole.get(), wb.size);
    const std::unique_ptr<char[]> buffer(new char[bounce.size()]);
    esc::bounce_recipient read[capacity];
    const esc::bounce_report rb = esc::read_bounce(bounce, buffer.get(), bounce.size(), read);
    ESC_FUZZ_CHECK(rb.source == esc::bounce_source::dsn && rb.total == r.count);
    for (std::size_t i = 0; i < rb.count; ++i) ESC_FUZZ_CHECK(read[i].action == r.recipients[i].action);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view body(copy.get(), size);

    esc::dsn_recipient_fields storage[capacity];
    const esc::dsn_report r = esc::parse_delivery_status(body, storage);
    ESC_FUZZ_CHECK(r.count <= capacity && r.count <= r.total);
    ESC_FUZZ_CHECK((r.error == esc::dsn_error::storage_full) == (r.total > capacity));
    if (r.error == esc::dsn_error::empty || r.error == esc::dsn_error::no_recipients) ESC_FUZZ_CHECK(r.total == 0);
    ESC_FUZZ_CHECK(esc_fuzz::inside(r.message.raw, body) || r.message.raw.empty());
    ESC_FUZZ_CHECK(esc_fuzz::inside(r.message.reporting_mta.value, body) || r.message.reporting_mta.value.empty());
    if (r.warnings.malformed_lines) ESC_FUZZ_CHECK(r.warnings.first_malformed < body.size());

    std::size_t end = r.message.offset + r.message.raw.size();
    for (const esc::dsn_recipient_fields& f : r) {
        ESC_FUZZ_CHECK(esc_fuzz::inside(f.raw, body) && !f.raw.empty());
        ESC_FUZZ_CHECK(esc_fuzz::offset_in(f.raw, body) == f.offset);
        ESC_FUZZ_CHECK(f.offset >= end); // in order, none overlapping
        end = f.offset + f.raw.size();
        for (std::string_view v : {f.final_recipient.value, f.original_recipient.value, f.diagnostic_code.value,
                                   f.action_text, f.status_text, f.remote_mta.value})
            ESC_FUZZ_CHECK(v.empty() || esc_fuzz::inside(v, f.raw));
        ESC_FUZZ_CHECK(f.warnings.no_final_recipient == f.final_recipient.empty());
        ESC_FUZZ_CHECK(f.warnings.no_status == !f.status.has_value());
        if (f.status) ESC_FUZZ_CHECK(esc::is_valid(*f.status));
        // decode_address never writes past its buffer nor returns a view outside it or the value.
        char small[8];
        const std::string_view d = esc::decode_address(f.final_recipient, small, small + sizeof small);
        ESC_FUZZ_CHECK(esc_fuzz::inside(d, std::string_view(small, sizeof small)) || esc_fuzz::inside(d, f.raw) ||
                       d.empty());
    }

    // The reader alone sees the same groups, and the parse is deterministic.
    esc::delivery_status_reader reader(body);
    esc::dsn_recipient_fields g;
    std::size_t n = 0;
    while (reader.next(g)) {
        if (n < r.count) ESC_FUZZ_CHECK(g.offset == storage[n].offset && g.raw.size() == storage[n].raw.size());
        ++n;
    }
    ESC_FUZZ_CHECK(n == r.total);

    check_written(r, esc::dsn_body_type::delivery_status);
    check_written(r, esc::dsn_body_type::global);
    return 0;
}
