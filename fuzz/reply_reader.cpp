// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// reply_reader, differential: the stream fed in any chunking gives exactly
// what parse_reply() walked over the whole buffer gives: the same replies
// (same bytes, fields, warnings, stream offsets), then the same end: nothing
// pending, an incomplete reply pending, or the same error at the same offset.
// With tight limits, the reader stops only where a limit is really crossed,
// after the same replies. parse_ehlo() runs on every reply that comes out.
//
// Input: the first two bytes choose the chunking (a seed for the chunk
// sizes), the rest is the stream.
#include <esc/ehlo.hpp>
#include <esc/reply_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"

namespace {

struct taken {
    std::string_view raw; // into the stream (reference) or a copy's position in it (reader)
    std::uint64_t offset;
    esc::reply reply;
};

struct ending {
    esc::read_status status = esc::read_status::need_more;
    esc::reply_error error = esc::reply_error::none;
    std::uint64_t offset = 0;
    std::size_t pending = 0;
};

bool same_fields(const esc::reply& a, const esc::reply& b) {
    const esc::reply_warnings &x = a.warnings, &y = b.warnings;
    return a.code == b.code && a.status == b.status && a.text == b.text && a.raw == b.raw &&
           a.line_count == b.line_count && x.code_outside_grammar == y.code_outside_grammar &&
           x.line_too_long == y.line_too_long && x.bare_lf == y.bare_lf && x.class_mismatch == y.class_mismatch &&
           x.status_differs == y.status_differs && x.status_on_some_lines == y.status_on_some_lines &&
           x.nul_in_text == y.nul_in_text;
}

// The reference: parse_reply() from each reply's end to the next.
ending walk(std::string_view in, std::vector<taken>& out) {
    std::size_t at = 0;
    while (at < in.size()) {
        const esc::parsed_reply p = esc::parse_reply(in.substr(at));
        if (!p) {
            ending e;
            if (p.error == esc::reply_error::incomplete) {
                e.pending = in.size() - at;
            } else {
                e.status = esc::read_status::malformed;
                e.error = p.error;
                e.offset = at + p.offset;
            }
            return e;
        }
        out.push_back({p.reply.raw, at, p.reply});
        at += p.offset;
    }
    return {};
}

// parse_ehlo on whatever reply came: every view inside the reply, the
// bitset and the iteration agreeing.
void check_ehlo(const esc::reply& r) {
    const esc::ehlo_info e = esc::parse_ehlo(r);
    ESC_FUZZ_CHECK(e.ok == (esc::to_int(r.code) == 250));
    if (!e.ok) {
        ESC_FUZZ_CHECK(e.offered == 0);
        return;
    }
    for (std::string_view v : {e.domain, e.greeting, e.auth, e.deliverby, e.mt_priority, e.limits})
        ESC_FUZZ_CHECK(esc_fuzz::inside(v, r.raw));
    std::uint32_t seen = 0, unknown = 0, lines = 0;
    for (const esc::ehlo_capability c : e.capabilities()) {
        ESC_FUZZ_CHECK(esc_fuzz::inside(c.keyword, r.raw) && esc_fuzz::inside(c.params, r.raw));
        if (c.known != esc::ehlo_keyword::unknown) seen |= 1u << static_cast<unsigned>(c.known);
        else if (!c.keyword.empty()) ++unknown;
        ESC_FUZZ_CHECK(++lines < r.line_count);
    }
    ESC_FUZZ_CHECK(seen == e.offered);
    ESC_FUZZ_CHECK(unknown == e.unknown_count);
    ESC_FUZZ_CHECK(lines + 1 == r.line_count);
    if (!e.has(esc::ehlo_keyword::size)) ESC_FUZZ_CHECK(e.max_size == 0);
    (void)e.limit("RCPTMAX");
    (void)e.auth_offers("PLAIN");
}

struct chunker {
    std::uint32_t state;
    std::size_t next() {
        state = state * 1103515245u + 12345u;
        const std::uint32_t r = (state >> 16) & 0x7fff;
        // Mostly small pieces, now and then a big one.
        return (r & 7) == 0 ? 1 + r % 4096 : 1 + r % 9;
    }
};

// Feeds `in` to `reader` in pieces; compares each reply as it comes (its
// views die at the next feed) with the reference, in order.
ending feed_all(esc::reply_reader& reader, std::string_view in, chunker ch, const std::vector<taken>& ref,
                std::size_t& matched) {
    std::size_t at = 0;
    matched = 0;
    ending e;
    auto drain = [&]() -> bool {
        while (true) {
            const esc::read_result r = reader.next();
            if (r) {
                ESC_FUZZ_CHECK(matched < ref.size());
                ESC_FUZZ_CHECK(r.offset == ref[matched].offset);
                ESC_FUZZ_CHECK(same_fields(r.reply, ref[matched].reply));
                check_ehlo(r.reply);
                ++matched;
                continue;
            }
            e.status = r.status;
            e.error = r.error;
            e.offset = r.offset;
            // An error stays reported.
            if (r.failed()) ESC_FUZZ_CHECK(reader.next().status == r.status);
            return !r.failed();
        }
    };
    while (at < in.size()) {
        std::size_t n = ch.next();
        if (n > in.size() - at) n = in.size() - at;
        std::string_view piece = in.substr(at, n);
        at += n;
        while (!piece.empty()) {
            const std::size_t took = reader.feed(piece);
            piece.remove_prefix(took);
            if (!drain()) return e;
            ESC_FUZZ_CHECK(took != 0 || piece.empty()); // a full buffer is reported, never a stall
        }
    }
    if (drain()) e.pending = reader.pending().size();
    return e;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint32_t seed = data[0] | (static_cast<std::uint32_t>(data[1]) << 8);
    const std::size_t n = size - 2;
    const std::unique_ptr<char[]> copy(new char[n == 0 ? 1 : n]);
    if (n != 0) std::memcpy(copy.get(), data + 2, n);
    const std::string_view in(copy.get(), n);

    std::vector<taken> ref;
    const ending expected = walk(in, ref);

    // Limits that never bind: exactly the whole-buffer reading.
    {
        const std::size_t cap = n + 8;
        const std::unique_ptr<char[]> buf(new char[cap]);
        esc::reply_reader_limits loose;
        loose.max_line = cap + 1;
        loose.max_lines = static_cast<std::uint32_t>(n + 2);
        esc::reply_reader reader(buf.get(), cap, loose);
        std::size_t matched = 0;
        const ending got = feed_all(reader, in, chunker{seed}, ref, matched);
        ESC_FUZZ_CHECK(matched == ref.size());
        ESC_FUZZ_CHECK(got.status == expected.status);
        if (got.status == esc::read_status::malformed) {
            ESC_FUZZ_CHECK(got.error == expected.error);
            ESC_FUZZ_CHECK(got.offset == expected.offset);
        } else {
            ESC_FUZZ_CHECK(got.pending == expected.pending);
        }
    }

    // Tight limits and a small buffer: the same replies up to where one binds.
    {
        esc::reply_reader_limits tight;
        tight.max_line = 8 + seed % 64;
        tight.max_lines = 1 + (seed >> 8) % 6;
        esc::fixed_reply_reader<256> reader(tight);
        std::size_t matched = 0;
        const ending got = feed_all(reader, in, chunker{seed ^ 0x5a5au}, ref, matched);
        if (got.status == esc::read_status::line_too_long) {
            // A line starting there is longer than the cap.
            ESC_FUZZ_CHECK(got.offset <= n);
            const std::size_t from = static_cast<std::size_t>(got.offset);
            const std::size_t lf = in.find('\n', from);
            const std::size_t len = (lf == std::string_view::npos ? n : lf + 1) - from;
            ESC_FUZZ_CHECK(len > tight.max_line || lf == std::string_view::npos);
            ESC_FUZZ_CHECK(from == 0 || in[from - 1] == '\n');
        } else if (got.status == esc::read_status::too_many_lines || got.status == esc::read_status::buffer_full) {
            ESC_FUZZ_CHECK(got.offset <= n);
        } else if (got.status == esc::read_status::malformed) {
            ESC_FUZZ_CHECK(matched == ref.size());
            ESC_FUZZ_CHECK(got.error == expected.error && got.offset == expected.offset);
        } else {
            ESC_FUZZ_CHECK(matched == ref.size());
            ESC_FUZZ_CHECK(got.pending == expected.pending);
        }
    }
    return 0;
}
