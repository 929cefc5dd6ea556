// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of mime.hpp: MIME entities and multiparts, transfer encodings,
// HTML and charsets. Included by mime.hpp when esc is header-only, compiled
// once by <esc/src.hpp> otherwise (detail/config.hpp).

#include "../mime.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

constexpr media_type parse_media_type(std::string_view value) noexcept {
    value = trim_space(value);
    std::size_t n = 0;
    while (n < value.size() && value[n] != ';' && !is_space(value[n]) && value[n] != '(') ++n;
    media_type m;
    m.type = value.substr(0, n);
    const std::size_t semi = value.find(';', n);
    if (semi != std::string_view::npos) m.parameters = value.substr(semi + 1);
    return m;
}

// A parameter's value ("boundary", "report-type"); quotes dropped, the
// quoted-pairs inside left as written (a boundary cannot need them). Empty
// when absent. Folding between parameters is fine.
constexpr std::string_view media_parameter(std::string_view params, std::string_view name) noexcept {
    std::size_t i = 0;
    while (i < params.size()) {
        while (i < params.size() && (is_space(params[i]) || params[i] == ';')) ++i;
        const std::size_t name_begin = i;
        while (i < params.size() && params[i] != '=' && params[i] != ';' && !is_space(params[i])) ++i;
        const std::string_view key = params.substr(name_begin, i - name_begin);
        while (i < params.size() && is_space(params[i])) ++i;
        if (i >= params.size() || params[i] != '=') {
            while (i < params.size() && params[i] != ';') ++i;
            continue;
        }
        ++i;
        while (i < params.size() && is_space(params[i])) ++i;
        std::string_view value;
        if (i < params.size() && params[i] == '"') {
            const std::size_t vb = ++i;
            while (i < params.size() && params[i] != '"') i += (params[i] == '\\' && i + 1 < params.size()) ? 2 : 1;
            value = params.substr(vb, (i < params.size() ? i : params.size()) - vb);
            if (i < params.size()) ++i;
        } else {
            const std::size_t vb = i;
            while (i < params.size() && params[i] != ';' && !is_space(params[i])) ++i;
            value = params.substr(vb, i - vb);
        }
        if (iequals(key, name)) return value;
        while (i < params.size() && params[i] != ';') ++i;
    }
    return {};
}

constexpr transfer_encoding parse_transfer_encoding(std::string_view value) noexcept {
    const std::string_view token = first_token(value);
    if (iequals(token, "base64")) return transfer_encoding::base64;
    if (iequals(token, "quoted-printable")) return transfer_encoding::quoted_printable;
    return transfer_encoding::identity; // 7bit, 8bit, binary, and unknown tokens as RFC 2045 6.4 advises
}

constexpr int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

ESC_DECL decoded decode_base64(std::string_view in, char* first, char* last) noexcept {
    decoded d;
    char* out = first;
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t i = 0;
    for (; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '=') break;
        const int v = base64_value(c);
        if (v < 0) {
            if (!is_space(c)) d.clean = false;
            continue;
        }
        acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (out == last) {
                d.complete = false;
                break;
            }
            *out++ = static_cast<char>((acc >> bits) & 0xFFu);
        }
    }
    if (d.complete) {
        if (bits == 6) d.clean = false;
        for (; i < in.size(); ++i)
            if (in[i] != '=' && !is_space(in[i])) {
                d.clean = false;
                break;
            }
    }
    d.text = std::string_view(first, static_cast<std::size_t>(out - first));
    return d;
}

constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10; // RFC 2045 says upper case; readers accept both
    return -1;
}

ESC_DECL decoded decode_quoted_printable(std::string_view in, char* first, char* last) noexcept {
    decoded d;
    char* out = first;
    std::size_t i = 0;
    auto put = [&](char c) {
        if (out == last) {
            d.complete = false;
            return false;
        }
        *out++ = c;
        return true;
    };
    while (i < in.size()) {
        const char c = in[i];
        if (c == '=') {
            std::size_t j = i + 1;
            while (j < in.size() && is_blank(in[j])) ++j;
            if (j >= in.size() || is_line_break(in[j])) { // soft line break
                i = j;
                if (i < in.size() && in[i] == '\r') ++i;
                if (i < in.size() && in[i] == '\n') ++i;
                continue;
            }
            if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
                if (!put(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])))) break;
                i += 3;
                continue;
            }
            d.clean = false;
            if (!put(c)) break;
            ++i;
            continue;
        }
        if (is_blank(c)) { // padding before a line end is dropped; other blanks are kept, run by run
            std::size_t j = i;
            while (j < in.size() && is_blank(in[j])) ++j;
            if (j < in.size() && !is_line_break(in[j]))
                for (std::size_t k = i; k < j; ++k)
                    if (!put(in[k])) break;
            if (!d.complete) break;
            i = j;
            continue;
        }
        if (!put(c)) break;
        ++i;
    }
    d.text = std::string_view(first, static_cast<std::size_t>(out - first));
    return d;
}

ESC_CONSTEXPR decoded decode_transfer(transfer_encoding e, std::string_view in, char* first, char* last) noexcept {
    switch (e) {
    case transfer_encoding::base64: return decode_base64(in, first, last);
    case transfer_encoding::quoted_printable: return decode_quoted_printable(in, first, last);
    case transfer_encoding::identity: break;
    }
    return decoded{in, true, true};
}

// Headers up to the first blank line, the body after it. An entity whose
// first line is not a field has no header (a part that starts with its text);
// at the top, an mbox "From " line and other stray lines are skipped.
constexpr mime_entity read_entity(std::string_view text, bool top) noexcept {
    mime_entity e;
    std::size_t pos = 0;
    bool any_field = false;
    bool have_type = false, have_encoding = false;
    while (true) {
        const scanned_field f = scan_field(text, pos);
        if (f.kind == field_scan::end) {
            e.header = text;
            return e;
        }
        if (f.kind == field_scan::blank) {
            e.header = text.substr(0, pos);
            e.body = text.substr(f.next);
            return e;
        }
        if (f.kind == field_scan::malformed) {
            if (!any_field && !top) {
                e.body = text;
                return e;
            }
            pos = f.next;
            continue;
        }
        any_field = true;
        if (!have_type && iequals(f.name, "Content-Type")) {
            e.type = parse_media_type(f.value);
            have_type = true;
        } else if (!have_encoding && iequals(f.name, "Content-Transfer-Encoding")) {
            e.encoding = parse_transfer_encoding(f.value);
            have_encoding = true;
        }
        pos = f.next;
    }
}

// "--boundary" at the start of a line, then blanks or "--" (the close).
// Returns 0 when not a delimiter, 1 for a delimiter, 2 for the close.
constexpr int delimiter_kind(std::string_view line, std::string_view boundary) noexcept {
    if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-') return 0;
    if (line.substr(2, boundary.size()) != boundary) return 0;
    std::string_view rest = line.substr(2 + boundary.size());
    int kind = 1;
    if (rest.size() >= 2 && rest[0] == '-' && rest[1] == '-') {
        kind = 2;
        rest.remove_prefix(2);
    }
    return is_blank_line(rest) ? kind : 0;
}

// Calls f(part) for each body part and returns how many there were; a
// missing close delimiter ends the last part at the end of the body.
template <class F>
constexpr std::size_t for_each_body_part(std::string_view body, std::string_view boundary, F&& f) noexcept {
    std::size_t parts = 0;
    std::size_t pos = 0;
    bool in_part = false;
    std::size_t part_begin = 0;
    while (pos < body.size()) {
        const mail_line line = next_mail_line(body, pos);
        const int kind = delimiter_kind(line.content, boundary);
        if (kind != 0) {
            if (in_part) {
                std::size_t end = pos; // the line end before a delimiter belongs to it
                if (end > part_begin && body[end - 1] == '\n') --end;
                if (end > part_begin && body[end - 1] == '\r') --end;
                f(body.substr(part_begin, end - part_begin));
                ++parts;
            }
            if (kind == 2) return parts;
            in_part = true;
            part_begin = line.next;
        }
        pos = line.next;
    }
    if (in_part) {
        f(body.substr(part_begin));
        ++parts;
    }
    return parts;
}

constexpr bool is_type(const media_type& m, std::string_view t) noexcept { return iequals(m.type, t); }

// Visits every entity, depth first, with its nesting: `enclosed` counts the
// message/rfc822 entities around it (1: the returned message's own header).
template <class Visit>
constexpr void walk_mime(std::string_view text, bool top, int depth, int enclosed, Visit& visit) noexcept {
    const mime_entity e = read_entity(text, top);
    visit(e, depth, enclosed);
    if (depth >= max_mime_depth) return;
    if (istarts_with(e.type.type, "multipart/")) {
        const std::string_view boundary = media_parameter(e.type.parameters, "boundary");
        const std::size_t parts =
            boundary.empty() ? 0 : for_each_body_part(e.body, boundary, [&](std::string_view part) {
                walk_mime(part, false, depth + 1, enclosed, visit);
            });
        if (parts == 0) { // no delimiter in the body: read it as one text part
            mime_entity text;
            text.body = e.body;
            visit(text, depth + 1, enclosed);
        }
    } else if (is_type(e.type, "message/rfc822") || is_type(e.type, "message/global")) {
        walk_mime(e.body, false, depth + 1, enclosed + 1, visit);
    }
}

struct arena {
    char* next;
    char* last;
    bool overflow = false;
    bool damaged = false; // the last part decoded was damaged base64

    // Decodes a part's body, or returns it as it is when it needs no decoding.
    // Only base64 damage is kept: a stray '=' in quoted-printable leaves the
    // text readable, while junk in base64 shifts every bit after it.
    ESC_CONSTEXPR std::string_view decode(std::string_view body, transfer_encoding enc) noexcept {
        damaged = false;
        if (enc == transfer_encoding::identity) return body;
        const decoded d = decode_transfer(enc, body, next, last);
        next += d.text.size();
        if (!d.complete) overflow = true;
        damaged = enc == transfer_encoding::base64 && !d.clean;
        return d.text;
    }
};

// HTML to text: tags dropped (<br>, <p>, <div>, <tr> and
// <li> end a line), the common entities decoded, <style>/<script> skipped.
// Writes to [out, last); `out` may be html.data() itself (the text only
// shrinks, so each write lands behind the read).
constexpr std::string_view html_to_text(std::string_view html, char* out, char* last, bool& overflow) noexcept {
    char* const begin = out;
    auto put = [&](char c) {
        if (out == last) {
            overflow = true;
            return;
        }
        *out++ = c;
    };
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '<') {
            const std::size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;
            const std::string_view tag = html.substr(i + 1, close - i - 1);
            if (istarts_with(tag, "style") || istarts_with(tag, "script")) {
                const std::size_t end = ifind(html, istarts_with(tag, "style") ? "</style" : "</script", close);
                i = end == std::string_view::npos ? html.size() : end;
                continue;
            }
            if (istarts_with(tag, "br") || istarts_with(tag, "p") || istarts_with(tag, "/p") ||
                istarts_with(tag, "div") || istarts_with(tag, "/div") || istarts_with(tag, "tr") ||
                istarts_with(tag, "li") || istarts_with(tag, "/tr") || istarts_with(tag, "/h"))
                put('\n');
            i = close + 1;
            continue;
        }
        if (c == '&') {
            struct entity {
                std::string_view name;
                char value;
            };
            using namespace std::string_view_literals; // a length, not a count at compile time
            constexpr entity entities[] = {{"&lt;"sv, '<'}, {"&gt;"sv, '>'}, {"&amp;"sv, '&'}, {"&quot;"sv, '"'},
                                           {"&nbsp;"sv, ' '}, {"&#39;"sv, '\''}, {"&apos;"sv, '\''}};
            bool done = false;
            for (const entity& en : entities) {
                if (istarts_with(html.substr(i), en.name)) {
                    put(en.value);
                    i += en.name.size();
                    done = true;
                    break;
                }
            }
            if (done) continue;
        }
        put(c);
        ++i;
    }
    return std::string_view(begin, static_cast<std::size_t>(out - begin));
}

// The upper halves of the single-byte charsets that differ from ISO-8859-1
// throughout, by octet - 0x80 (from the charsets' published mappings; an
// octet a charset leaves undefined keeps its ISO-8859-1 reading).
inline constexpr std::uint16_t iso8859_2_high[128] = {
    0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087, 0x0088, 0x0089, 0x008A, 0x008B,
    0x008C, 0x008D, 0x008E, 0x008F, 0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097,
    0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F, 0x00A0, 0x0104, 0x02D8, 0x0141,
    0x00A4, 0x013D, 0x015A, 0x00A7, 0x00A8, 0x0160, 0x015E, 0x0164, 0x0179, 0x00AD, 0x017D, 0x017B,
    0x00B0, 0x0105, 0x02DB, 0x0142, 0x00B4, 0x013E, 0x015B, 0x02C7, 0x00B8, 0x0161, 0x015F, 0x0165,
    0x017A, 0x02DD, 0x017E, 0x017C, 0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E, 0x0110, 0x0143, 0x0147, 0x00D3,
    0x00D4, 0x0150, 0x00D6, 0x00D7, 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7, 0x010D, 0x00E9, 0x0119, 0x00EB,
    0x011B, 0x00ED, 0x00EE, 0x010F, 0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
};

inline constexpr std::uint16_t windows1250_high[128] = {
    0x20AC, 0x0081, 0x201A, 0x0083, 0x201E, 0x2026, 0x2020, 0x2021, 0x0088, 0x2030, 0x0160, 0x2039,
    0x015A, 0x0164, 0x017D, 0x0179, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0098, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A, 0x00A0, 0x02C7, 0x02D8, 0x0141,
    0x00A4, 0x0104, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,
    0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x0105, 0x015F, 0x00BB,
    0x013D, 0x02DD, 0x013E, 0x017C, 0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E, 0x0110, 0x0143, 0x0147, 0x00D3,
    0x00D4, 0x0150, 0x00D6, 0x00D7, 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7, 0x010D, 0x00E9, 0x0119, 0x00EB,
    0x011B, 0x00ED, 0x00EE, 0x010F, 0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,
};

inline constexpr std::uint16_t windows1251_high[128] = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x0420, 0x0421, 0x0422, 0x0423,
    0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043A, 0x043B,
    0x043C, 0x043D, 0x043E, 0x043F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
};

inline constexpr std::uint16_t koi8_r_high[128] = {
    0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524, 0x252C, 0x2534, 0x253C, 0x2580,
    0x2584, 0x2588, 0x258C, 0x2590, 0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
    0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7, 0x2550, 0x2551, 0x2552, 0x0451,
    0x2553, 0x2554, 0x2555, 0x2556, 0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
    0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565, 0x2566, 0x2567, 0x2568, 0x2569,
    0x256A, 0x256B, 0x256C, 0x00A9, 0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
    0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F, 0x044F, 0x0440, 0x0441,
    0x0442, 0x0443, 0x0436, 0x0432, 0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
    0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413, 0x0425, 0x0418, 0x0419, 0x041A,
    0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
    0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A,
};

ESC_DECL charset parse_charset(std::string_view name) noexcept {
    name = trim_space(name);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    if (const std::size_t star = name.find('*'); star != std::string_view::npos) name = name.substr(0, star); // RFC 2231 language
    if (iequals(name, "utf-8") || iequals(name, "utf8")) return charset::utf8;
    if (iequals(name, "us-ascii") || iequals(name, "ascii") || iequals(name, "ansi_x3.4-1968")) return charset::ascii;
    if (iequals(name, "iso-8859-1") || iequals(name, "iso8859-1") || iequals(name, "latin1") || iequals(name, "l1"))
        return charset::latin1;
    if (iequals(name, "iso-8859-15") || iequals(name, "iso8859-15") || iequals(name, "latin-9")) return charset::latin9;
    if (iequals(name, "windows-1252") || iequals(name, "cp1252")) return charset::windows1252;
    if (iequals(name, "iso-8859-2") || iequals(name, "iso8859-2") || iequals(name, "latin2") || iequals(name, "l2"))
        return charset::latin2;
    if (iequals(name, "windows-1250") || iequals(name, "cp1250")) return charset::windows1250;
    if (iequals(name, "windows-1251") || iequals(name, "cp1251")) return charset::windows1251;
    if (iequals(name, "koi8-r") || iequals(name, "koi8r")) return charset::koi8r;
    return charset::unknown;
}

ESC_DECL std::uint32_t single_byte_code_point(charset cs, unsigned char b) noexcept {
    if (b < 0x80) return b;
    switch (cs) {
    case charset::latin2: return iso8859_2_high[b - 0x80];
    case charset::windows1250: return windows1250_high[b - 0x80];
    case charset::windows1251: return windows1251_high[b - 0x80];
    case charset::koi8r: return koi8_r_high[b - 0x80];
    default: break;
    }
    if (cs == charset::windows1252 && b < 0xA0) {
        // 0x80..0x9F: typographic marks where ISO-8859-1 has C1 controls (kept where 1252 has none).
        constexpr std::uint16_t high[32] = {
            0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
            0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
            0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
        return high[b - 0x80];
    }
    if (cs == charset::latin9) {
        switch (b) {
        case 0xA4: return 0x20AC;
        case 0xA6: return 0x0160;
        case 0xA8: return 0x0161;
        case 0xB4: return 0x017D;
        case 0xB8: return 0x017E;
        case 0xBC: return 0x0152;
        case 0xBD: return 0x0153;
        case 0xBE: return 0x0178;
        default: break;
        }
    }
    return b;
}

// Writes octets of text in `cs` as UTF-8 into [out, last); for UTF-8,
// ASCII and unknown charsets the octets go through as they are.
struct utf8_writer {
    char* out;
    char* last;
    charset cs;
    bool overflow = false;

    constexpr void raw(char c) noexcept {
        if (out == last) {
            overflow = true;
            return;
        }
        *out++ = c;
    }
    constexpr void put(char c) noexcept {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x80 || cs == charset::utf8 || cs == charset::ascii || cs == charset::unknown) {
            raw(c);
            return;
        }
        const std::uint32_t cp = single_byte_code_point(cs, b);
        if (cp < 0x800) {
            raw(static_cast<char>(0xC0 | (cp >> 6)));
            raw(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            raw(static_cast<char>(0xE0 | (cp >> 12)));
            raw(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            raw(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
};

ESC_DECL converted to_utf8(charset cs, std::string_view text, char* first, char* last) noexcept {
    converted c;
    c.converted_all = cs != charset::unknown;
    bool high = false;
    for (char ch : text)
        if (static_cast<unsigned char>(ch) >= 0x80) high = true;
    if (!high || cs == charset::utf8 || cs == charset::ascii || cs == charset::unknown) {
        c.text = text;
        return c;
    }
    utf8_writer w{first, last, cs};
    for (char ch : text) {
        w.put(ch);
        if (w.overflow) break;
    }
    c.text = std::string_view(first, static_cast<std::size_t>(w.out - first));
    c.complete = !w.overflow;
    return c;
}

// The octets of an encoded-word's text (RFC 2047 4.1, 4.2), into [first, last).
constexpr std::size_t decode_word_text(char enc, std::string_view data, char* first, char* last) noexcept {
    char* out = first;
    if (enc == 'q') {
        for (std::size_t k = 0; k < data.size() && out != last; ++k) {
            if (data[k] == '_') *out++ = ' ';
            else if (data[k] == '=' && k + 2 < data.size() && hex_value(data[k + 1]) >= 0 && hex_value(data[k + 2]) >= 0) {
                *out++ = static_cast<char>(hex_value(data[k + 1]) * 16 + hex_value(data[k + 2]));
                k += 2;
            } else *out++ = data[k];
        }
    } else {
        std::uint32_t acc = 0;
        int bits = 0;
        for (char c : data) {
            const int v = base64_value(c);
            if (v < 0) continue;
            acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (out == last) break;
                *out++ = static_cast<char>((acc >> bits) & 0xFFu);
            }
        }
    }
    return static_cast<std::size_t>(out - first);
}

ESC_DECL std::string_view decode_encoded_words(std::string_view value, char* first, char* last,
                                                charset_converter convert) noexcept {
    if (value.find("=?") == std::string_view::npos) return value;
    utf8_writer w{first, last, charset::ascii};
    std::size_t i = 0;
    std::size_t pending_blanks = std::string_view::npos; // where blanks after an encoded-word start
    bool any = false;
    while (i < value.size()) {
        // An encoded-word: =?charset?enc?text?=
        if (value[i] == '=' && i + 1 < value.size() && value[i + 1] == '?') {
            // Looked for within a bounded window (an encoded-word is at most
            // 75 characters), so that a value of "=?=?=?..." costs linear time.
            const std::string_view window = value.substr(0, i + 4 * 76 < value.size() ? i + 4 * 76 : value.size());
            const std::size_t q1 = window.find('?', i + 2);
            const std::size_t q2 = q1 == std::string_view::npos ? q1 : window.find('?', q1 + 1);
            const std::size_t end = q2 == std::string_view::npos ? q2 : window.find("?=", q2 + 1);
            if (end != std::string_view::npos && q2 == q1 + 2) {
                const char enc = to_lower(value[q1 + 1]);
                if (enc == 'b' || enc == 'q') {
                    pending_blanks = std::string_view::npos; // blanks between encoded-words are dropped
                    const std::string_view name = value.substr(i + 2, q1 - i - 2);
                    w.cs = parse_charset(name);
                    const std::string_view data = value.substr(q2 + 1, end - q2 - 1);
                    if (w.cs == charset::unknown && convert != nullptr) {
                        char octets[4 * 76] = {}; // the window bounds an encoded-word's text
                        const std::string_view raw(octets, decode_word_text(enc, data, octets, octets + sizeof octets));
                        const converted c = convert(name, raw, w.out, w.last);
                        if (!c.converted_all)
                            for (char ch : raw) w.put(ch);
                        else if (c.text.data() == w.out)
                            w.out += c.text.size();
                        else
                            for (char ch : c.text) w.put(ch);
                        if (!c.complete) w.overflow = true;
                    } else if (enc == 'q') {
                        for (std::size_t k = 0; k < data.size(); ++k) {
                            if (data[k] == '_') w.put(' ');
                            else if (data[k] == '=' && k + 2 < data.size() + 0 && hex_value(data[k + 1]) >= 0 &&
                                     hex_value(data[k + 2]) >= 0) {
                                w.put(static_cast<char>(hex_value(data[k + 1]) * 16 + hex_value(data[k + 2])));
                                k += 2;
                            } else w.put(data[k]);
                        }
                    } else {
                        std::uint32_t acc = 0;
                        int bits = 0;
                        for (char c : data) {
                            const int v = base64_value(c);
                            if (v < 0) continue;
                            acc = ((acc << 6) | static_cast<std::uint32_t>(v)) & 0xFFFFFFu;
                            bits += 6;
                            if (bits >= 8) {
                                bits -= 8;
                                w.put(static_cast<char>((acc >> bits) & 0xFFu));
                            }
                        }
                    }
                    any = true;
                    i = end + 2;
                    pending_blanks = i;
                    continue;
                }
            }
        }
        if (pending_blanks != std::string_view::npos) {
            if (is_space(value[i])) {
                ++i;
                continue;
            }
            // Text after the blanks: they were not between two encoded-words, so they stay.
            w.cs = charset::ascii;
            for (std::size_t k = pending_blanks; k < i; ++k) w.put(value[k]);
            pending_blanks = std::string_view::npos;
        }
        w.cs = charset::ascii;
        w.put(value[i]);
        ++i;
    }
    if (pending_blanks != std::string_view::npos)
        for (std::size_t k = pending_blanks; k < value.size(); ++k) w.put(value[k]);
    if (!any || w.overflow) return value;
    return std::string_view(first, static_cast<std::size_t>(w.out - first));
}

} // namespace detail
ESC_END_NAMESPACE
