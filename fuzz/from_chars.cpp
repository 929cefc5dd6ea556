// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// from_chars() at every offset of the input, checked against the documented
// std::from_chars semantics and a reference reading of the grammar; then
// to_chars() of what was read, into buffers of every size, and back.
// The input also supplies raw status_code and reply_code values (valid or
// not) for to_chars and the lookups that take what a parser read:
// lookup/describe/is_meaningful, default_status, check_consistency.
#include <esc/classify.hpp>
#include <esc/pairing.hpp>
#include <esc/registry.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <system_error>

#include "fuzz_check.hpp"

namespace {

constexpr esc::status_code sentinel{static_cast<esc::status_class>(9), 4242, 4242};

struct expected_result {
    std::errc ec;
    std::size_t consumed;
    esc::status_code code;
};

std::size_t digit_run(std::string_view s, std::size_t i) {
    std::size_t n = 0;
    while (i + n < s.size() && s[i + n] >= '0' && s[i + n] <= '9') ++n;
    return n;
}

// The longest-prefix reading the header documents, written out plainly.
expected_result reference_from_chars(std::string_view s) {
    const expected_result mismatch{std::errc::invalid_argument, 0, sentinel};
    if (s.size() < 2 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return mismatch;
    const std::size_t subject_at = 2, subject_len = digit_run(s, subject_at);
    if (subject_len == 0 || (subject_len > 1 && s[subject_at] == '0')) return mismatch;
    const std::size_t dot = subject_at + subject_len;
    if (dot >= s.size() || s[dot] != '.') return mismatch;
    const std::size_t detail_at = dot + 1, detail_len = digit_run(s, detail_at);
    if (detail_len == 0 || (detail_len > 1 && s[detail_at] == '0')) return mismatch;
    const std::size_t end = detail_at + detail_len;
    if (subject_len > 3 || detail_len > 3) return {std::errc::result_out_of_range, end, sentinel};
    unsigned subject = 0, detail = 0;
    for (std::size_t i = subject_at; i < dot; ++i) subject = subject * 10 + unsigned(s[i] - '0');
    for (std::size_t i = detail_at; i < end; ++i) detail = detail * 10 + unsigned(s[i] - '0');
    return {std::errc{}, end,
            esc::status_code{static_cast<esc::status_class>(s[0] - '0'), static_cast<std::uint16_t>(subject),
                             static_cast<std::uint16_t>(detail)}};
}

// to_chars into a heap buffer of exactly `room` bytes, so that AddressSanitizer
// sees any write past it; returns the text written, or checks the failure.
void check_to_chars(esc::status_code c) {
    const bool valid = esc::is_valid(c);
    std::size_t needed = 0;
    for (std::size_t room = 0; room <= esc::status_string::capacity; ++room) {
        const std::unique_ptr<char[]> buf(new char[room == 0 ? 1 : room]);
        char* const first = buf.get();
        char* const last = first + room;
        const std::to_chars_result r = esc::to_chars(first, last, c);
        if (!valid) {
            ESC_FUZZ_CHECK(r.ec == std::errc::invalid_argument && r.ptr == first);
            continue;
        }
        if (r.ec == std::errc::value_too_large) {
            ESC_FUZZ_CHECK(r.ptr == last);
            ESC_FUZZ_CHECK(needed == 0); // once it fits, a larger buffer fits too
            continue;
        }
        ESC_FUZZ_CHECK(r.ec == std::errc{});
        ESC_FUZZ_CHECK(first < r.ptr && r.ptr <= last);
        const std::string_view text(first, static_cast<std::size_t>(r.ptr - first));
        if (needed == 0) needed = text.size();
        ESC_FUZZ_CHECK(text.size() == needed);
        ESC_FUZZ_CHECK(esc::parse_status(text) == c); // to_chars then parse_status round-trips
        ESC_FUZZ_CHECK(esc::to_string(c).view() == text);
    }
    if (valid) ESC_FUZZ_CHECK(needed >= 5 && needed <= esc::status_string::capacity);
    else ESC_FUZZ_CHECK(esc::to_string(c).empty());
}

// Lookups never index outside their tables, whatever the value.
void check_lookups(esc::status_code s, esc::reply_code reply) {
    if (const esc::registry_entry* e = esc::lookup(s)) {
        ESC_FUZZ_CHECK(e->subject == s.subject && e->detail == s.detail);
        ESC_FUZZ_CHECK(s.subject <= 7);
    }
    ESC_FUZZ_CHECK(esc::describe(s).empty() == !esc::is_valid(s));
    (void)esc::is_meaningful(s);
    if (const esc::reply_code_entry* e = esc::lookup(reply)) ESC_FUZZ_CHECK(e->code == esc::to_int(reply));
    if (!esc::has_reply_class(reply)) ESC_FUZZ_CHECK(esc::describe(reply).empty());
    const esc::consistency c = esc::check_consistency(reply, s);
    ESC_FUZZ_CHECK(c.invalid == (!esc::has_reply_class(reply) || !esc::is_valid(s)));
    if (esc::is_associated(reply, s)) ESC_FUZZ_CHECK(esc::lookup(s) != nullptr);
    for (int cmd = 0; cmd <= static_cast<int>(esc::command::etrn); ++cmd) {
        const esc::status_code d = esc::default_status(reply, static_cast<esc::command>(cmd));
        ESC_FUZZ_CHECK(esc::is_valid(d) == esc::has_reply_class(reply));
        if (esc::is_valid(d)) {
            const int first = esc::to_int(reply) / 100;
            ESC_FUZZ_CHECK(static_cast<int>(d.cls) == (first == 3 ? 2 : first));
        }
    }
}

void check_from_chars_at(std::string_view rest) {
    esc::status_code out = sentinel;
    const char* const first = rest.data();
    const char* const last = first + rest.size();
    const std::from_chars_result r = esc::from_chars(first, last, out);
    ESC_FUZZ_CHECK(first <= r.ptr && r.ptr <= last); // the offset is within the input
    const expected_result want = reference_from_chars(rest);
    ESC_FUZZ_CHECK(r.ec == want.ec);
    ESC_FUZZ_CHECK(static_cast<std::size_t>(r.ptr - first) == want.consumed);
    ESC_FUZZ_CHECK(out == want.code); // unchanged on failure
    if (r.ec != std::errc{}) return;
    ESC_FUZZ_CHECK(esc::is_valid(out));
    const std::string_view read(first, want.consumed);
    ESC_FUZZ_CHECK(esc::parse_status(read) == out);
    ESC_FUZZ_CHECK(esc::to_string(out).view() == read);
    check_to_chars(out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A copy of exactly `size` bytes: reads past the end are caught even when
    // libFuzzer's own buffer would have room.
    const std::unique_ptr<char[]> copy(new char[size == 0 ? 1 : size]);
    if (size != 0) std::memcpy(copy.get(), data, size);
    const std::string_view in(copy.get(), size);
    for (std::size_t i = 0; i < in.size(); ++i) check_from_chars_at(in.substr(i));
    check_from_chars_at(in.substr(in.size()));

    // Arbitrary values, most of them invalid: class byte, subject and detail.
    if (size >= 5) {
        const esc::status_code raw{static_cast<esc::status_class>(data[0]),
                                   static_cast<std::uint16_t>(data[1] | data[2] << 8),
                                   static_cast<std::uint16_t>(data[3] | data[4] << 8)};
        const esc::status_code in_range{raw.cls, static_cast<std::uint16_t>(raw.subject % 1000),
                                        static_cast<std::uint16_t>(raw.detail % 1000)};
        check_to_chars(raw);
        check_to_chars(in_range);
        const auto reply = static_cast<esc::reply_code>(data[1] | data[3] << 8);
        check_lookups(raw, reply);
        check_lookups(in_range, static_cast<esc::reply_code>(esc::to_int(reply) % 1000));
    }
    return 0;
}
