// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/reply_reader.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_data.hpp"

using esc::read_status;
using esc::reply_code;
using esc::reply_error;

namespace {

// What a reader yields, copied out (the views die with the next feed).
struct yielded {
    std::string raw;
    std::uint64_t offset;
    int code;
    std::string status;
    std::uint32_t lines;
    bool operator==(const yielded& o) const {
        return raw == o.raw && offset == o.offset && code == o.code && status == o.status && lines == o.lines;
    }
};

struct outcome {
    std::vector<yielded> replies;
    read_status last = read_status::need_more;
    reply_error error = reply_error::none;
    std::uint64_t offset = 0; // of the error
    std::size_t pending = 0;
};

yielded copy(const esc::read_result& r) {
    return {std::string(r.reply.raw), r.offset, esc::to_int(r.reply.code),
            r.reply.status ? std::string(esc::to_string(*r.reply.status).view()) : std::string(), r.reply.line_count};
}

// The reference: parse_reply() walked over the whole buffer.
outcome whole(std::string_view in) {
    outcome o;
    std::size_t at = 0;
    while (at < in.size()) {
        const esc::parsed_reply p = esc::parse_reply(in.substr(at));
        if (!p) {
            if (p.error == reply_error::incomplete) {
                o.pending = in.size() - at;
            } else {
                o.last = read_status::malformed;
                o.error = p.error;
                o.offset = at + p.offset;
            }
            return o;
        }
        esc::read_result r;
        r.reply = p.reply;
        r.offset = at;
        o.replies.push_back(copy(r));
        at += p.offset;
    }
    return o;
}

// Feeds `in` in chunks of the given sizes (cycled), taking replies after each.
template <class Reader>
outcome chunked(Reader& reader, std::string_view in, const std::vector<std::size_t>& sizes) {
    outcome o;
    std::size_t at = 0, k = 0;
    auto drain = [&] {
        while (true) {
            const esc::read_result r = reader.next();
            if (r) {
                o.replies.push_back(copy(r));
                continue;
            }
            o.last = r.status;
            o.error = r.error;
            o.offset = r.offset;
            return;
        }
    };
    while (at < in.size()) {
        std::size_t n = sizes[k++ % sizes.size()];
        if (n > in.size() - at) n = in.size() - at;
        std::string_view piece = in.substr(at, n);
        while (!piece.empty()) {
            const std::size_t taken = reader.feed(piece);
            piece.remove_prefix(taken);
            drain();
            if (o.last != read_status::need_more) return o;
            REQUIRE((taken != 0 || piece.empty()));
        }
        at += n;
    }
    drain();
    o.pending = reader.pending().size();
    return o;
}

bool same(const outcome& a, const outcome& b) {
    return a.replies == b.replies && a.last == b.last && a.error == b.error &&
           (a.last == read_status::need_more ? a.pending == b.pending : a.offset == b.offset);
}

std::vector<std::string> live_sessions() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(esc_test::test_data_dir() / "live"))
        if (e.path().extension() == ".txt") out.push_back(esc_test::read_file(e.path()));
    return out;
}

} // namespace

TEST_CASE("every captured session, in any chunking, gives exactly what the whole buffer gives") {
    const std::vector<std::vector<std::size_t>> chunkings = {{1}, {2}, {3}, {5, 1, 7}, {64}, {100000}, {13, 1, 1, 200}};
    const std::vector<std::string> sessions = live_sessions();
    REQUIRE(sessions.size() >= 20);
    for (const std::string& s : sessions) {
        const outcome expected = whole(s);
        CHECK(expected.last == read_status::need_more);
        CHECK(expected.pending == 0);
        CHECK(expected.replies.size() >= 2);
        for (const auto& sizes : chunkings) {
            CAPTURE(sizes[0]);
            esc::fixed_reply_reader<4096> reader;
            CHECK(same(chunked(reader, s, sizes), expected));
        }
    }
}

TEST_CASE("pipelined replies in one segment come out in order, all views valid until the next feed") {
    const std::string in = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250-mx";
    esc::fixed_reply_reader<256> reader;
    CHECK(reader.feed(in) == in.size());
    const esc::read_result a = reader.next(), b = reader.next(), c = reader.next(), d = reader.next();
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a.reply.status == esc::parse_status("2.1.0"));
    CHECK(b.reply.status == esc::parse_status("2.1.5"));
    CHECK(c.reply.code == reply_code{354});
    CHECK(a.reply.raw == "250 2.1.0 Ok\r\n");
    CHECK(b.offset == 14);
    CHECK(c.offset == 28);
    CHECK(d.status == read_status::need_more);
    CHECK(reader.pending() == "250-mx");
    CHECK(reader.position() == in.size() - 6);
    reader.feed("\r\n250 SIZE 1000\r\n");
    const esc::read_result e = reader.next();
    REQUIRE(e);
    CHECK(e.reply.line_count == 2);
    CHECK(e.offset == in.size() - 6);
    CHECK(reader.pending().empty());
}

TEST_CASE("reading straight into the buffer: write_area and commit") {
    esc::fixed_reply_reader<64> reader;
    const std::string in = "220 mx.example.com ESMTP\r\n";
    std::size_t at = 0;
    std::vector<std::string> got;
    while (at < in.size()) {
        const std::size_t n = std::min<std::size_t>(5, std::min(reader.write_capacity(), in.size() - at));
        in.copy(reader.write_area(), n, at);
        reader.commit(n);
        at += n;
        while (const esc::read_result r = reader.next()) got.emplace_back(r.reply.raw);
    }
    CHECK(got == std::vector<std::string>{in});
}

TEST_CASE("malformed input is reported with its offset in the stream, and stays reported") {
    esc::fixed_reply_reader<256> reader;
    reader.feed("250 ok\r\nHTTP/1.1 400 Bad Request\r\n");
    REQUIRE(reader.next());
    esc::read_result r = reader.next();
    CHECK(r.status == read_status::malformed);
    CHECK(r.error == reply_error::no_code);
    CHECK(r.offset == 8);
    CHECK(r.failed());
    CHECK(reader.next().status == read_status::malformed); // sticky
    reader.reset();
    reader.feed("250 ok\r\n");
    CHECK(reader.next());

    // Known before the line ends: "HTTP" can never start a reply.
    esc::fixed_reply_reader<256> early;
    early.feed("HTTP");
    r = early.next();
    CHECK(r.status == read_status::malformed);
    CHECK(r.offset == 0);

    // A bare CR inside a line, codes that change, a line that is not a reply.
    struct bad {
        const char* in;
        reply_error error;
        std::uint64_t offset;
    };
    for (const bad& b : {bad{"550 a\rb", reply_error::bare_cr, 5}, bad{"250-a\r\n550 b\r\n", reply_error::mixed_codes, 7},
                         bad{"250-a\r\n550-", reply_error::mixed_codes, 7}, bad{"600 x\r\n", reply_error::bad_code, 0},
                         bad{"250 ok\r\n550x\r\n", reply_error::bad_code, 11}}) {
        CAPTURE(b.in);
        esc::fixed_reply_reader<64> one;
        one.feed(b.in);
        esc::read_result x = one.next();
        while (x) x = one.next();
        CHECK(x.status == read_status::malformed);
        CHECK(x.error == b.error);
        CHECK(x.offset == b.offset);
    }
}

TEST_CASE("limits: line length, line count, buffer") {
    esc::reply_reader_limits limits;
    limits.max_line = 16;
    limits.max_lines = 3;
    {
        esc::fixed_reply_reader<256> reader(limits);
        reader.feed("250 exactly 16\r\n"); // 16 octets with CRLF: allowed
        CHECK(reader.next());
        reader.feed("250 one too many\r\n");
        const esc::read_result r = reader.next();
        CHECK(r.status == read_status::line_too_long);
        CHECK(r.offset == 16);
    }
    {
        // Without a line end the reader does not wait for one past the cap.
        esc::fixed_reply_reader<256> reader(limits);
        reader.feed("250 ");
        CHECK(reader.next().status == read_status::need_more);
        reader.feed(std::string(12, 'x'));
        CHECK(reader.next().status == read_status::line_too_long);
    }
    {
        esc::fixed_reply_reader<256> reader(limits);
        reader.feed("250-a\r\n250-b\r\n250 c\r\n");
        CHECK(reader.next());
        reader.feed("250-a\r\n250-b\r\n250-c\r\n250 d\r\n");
        const esc::read_result r = reader.next();
        CHECK(r.status == read_status::too_many_lines);
        CHECK(r.offset == 21 + 21);
    }
    {
        // A line too long that is no reply line anyway is malformed, however it arrives.
        for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{100}}) {
            esc::fixed_reply_reader<256> reader(limits);
            const std::string junk = "HTTP/1.1 400 Bad Request, and a long explanation\r\n";
            esc::read_result r;
            for (std::size_t at = 0; at < junk.size() && !r.failed(); at += piece) {
                reader.feed(std::string_view(junk).substr(at, piece));
                r = reader.next();
            }
            CAPTURE(piece);
            CHECK(r.status == read_status::malformed);
            CHECK(r.error == reply_error::no_code);
            CHECK(r.offset == 0);
        }
    }
    {
        esc::fixed_reply_reader<16> reader;
        CHECK(reader.feed("250-0123456789\r\n250 more\r\n") == 16);
        CHECK(reader.next().status == read_status::buffer_full);
    }
    {
        // The RFC's own limit, for a strict client.
        esc::reply_reader_limits rfc;
        rfc.max_line = esc::max_reply_line;
        esc::fixed_reply_reader<2048> reader(rfc);
        reader.feed("250 " + std::string(508, 'x') + "\r\n");
        CHECK(reader.next().status == read_status::line_too_long);
    }
}

TEST_CASE("a caller's buffer") {
    char buffer[128];
    esc::reply_reader reader(buffer, sizeof buffer);
    CHECK(reader.capacity() == 128);
    reader.feed("221 2.0.0 Bye\r\n");
    const esc::read_result r = reader.next();
    REQUIRE(r);
    CHECK(r.reply.raw.data() == buffer);
    CHECK(esc::to_string(read_status::too_many_lines) == "too_many_lines");
}
