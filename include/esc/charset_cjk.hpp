// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The Japanese and Chinese charsets of mail, decoded into UTF-8: ISO-2022-JP
// (RFC 1468; with the JIS X 0201 and, of ISO-2022-JP-2, the GB 2312
// designations), Shift_JIS (with CP932's NEC and IBM extension rows),
// EUC-JP, and GB2312 / GBK / CP936 (GB2312 as EUC-CN is a subset of GBK) and
// the two-byte part of GB18030.
//
// Its tables (JIS X 0208, GBK: 68 KB of data) are in a header of their own,
// not in the umbrella <esc/esc.hpp>: a unit that does not include this one
// does not compile them. Bounce reading gets the decoders through a hook:
//
//     esc::bounce_options options;
//     options.convert_charset = esc::convert_cjk;   // or a converter of one's own
//     esc::read_bounce(message, buffer, size, storage, capacity, options);
//
// and then a text part, and the encoded-words of the Subject, in these
// charsets reach the classifier as UTF-8. Without the hook their text is
// read as it is, as before.
//
// Bad input never stops a decoder: an octet that cannot start or continue
// a character, a sequence cut short by the end of the text, an unknown
// escape sequence, and a code the charset leaves unmapped (or that has no
// mapping here: JIS X 0212, the GB18030 four-octet codes) each give one
// U+FFFD, counted in `replaced`. An ISO-2022-JP text whose two-octet mode is
// never ended goes back to ASCII at the end of the line. One pass, no
// allocation, nothing read outside the input or written outside
// [first, last): a text that does not fit ends at a whole character, with
// error buffer_too_small. The UTF-8 is at most 3 octets per input octet
// (a Shift_JIS half-width katakana: 1 -> 3), and at most 3/2 of the input
// for text without half-width katakana or bad octets.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/config.hpp"
#include "detail/cjk_tables.hpp"
#include "mime.hpp"

ESC_BEGIN_NAMESPACE

enum class cjk_charset : std::uint8_t { none, iso2022jp, shift_jis, euc_jp, gbk, gb18030 };

// A charset's name as a message writes it ("ISO-2022-JP", "Shift_JIS",
// "windows-31j", "GB2312", ...; quotes and an RFC 2231 language dropped);
// none when it is not one of these.
constexpr cjk_charset parse_cjk_charset(std::string_view name) noexcept {
    using detail::iequals;
    name = detail::trim_space(name);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    if (const std::size_t star = name.find('*'); star != std::string_view::npos) name = name.substr(0, star);
    for (std::string_view n : {"iso-2022-jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2", "csiso2022jp2",
                               "iso-2022-jp-3", "iso2022jp", "jis"})
        if (iequals(name, n)) return cjk_charset::iso2022jp;
    for (std::string_view n : {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "cp932",
                               "windows-31j", "ms932", "x-ms-cp932", "ibm-943", "shift_jisx0213"})
        if (iequals(name, n)) return cjk_charset::shift_jis;
    for (std::string_view n : {"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "euc-jp-ms", "eucjp-ms", "ujis"})
        if (iequals(name, n)) return cjk_charset::euc_jp;
    for (std::string_view n : {"gb2312", "gbk", "cp936", "ms936", "windows-936", "x-gbk", "euc-cn", "euccn", "x-euc-cn",
                               "csgb2312", "gb_2312-80", "chinese", "x-gb2312"})
        if (iequals(name, n)) return cjk_charset::gbk;
    if (iequals(name, "gb18030")) return cjk_charset::gb18030;
    return cjk_charset::none;
}

enum class cjk_error : std::uint8_t {
    none,
    buffer_too_small, // `text` is the prefix that fitted, ending at a whole character
    unknown_charset,  // nothing written
};

struct cjk_decoded {
    std::string_view text;     // UTF-8, in the caller's buffer
    cjk_error error = cjk_error::none;
    std::size_t replaced = 0;  // U+FFFD written (in `text`) for octets that were not a character
    constexpr explicit operator bool() const noexcept { return error == cjk_error::none; }
};

namespace detail {

inline constexpr std::uint32_t replacement_character = 0xFFFD;

struct cjk_writer {
    char* out;
    char* last;
    bool overflow = false;
    std::size_t replaced = 0;

    // Writes the whole character or, when it does not fit, nothing.
    constexpr bool put(std::uint32_t cp) noexcept {
        const std::size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
        if (static_cast<std::size_t>(last - out) < n) {
            overflow = true;
            return false;
        }
        if (cp == replacement_character) ++replaced;
        if (n == 1) {
            *out++ = static_cast<char>(cp);
        } else if (n == 2) {
            *out++ = static_cast<char>(0xC0 | (cp >> 6));
            *out++ = static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            *out++ = static_cast<char>(0xE0 | (cp >> 12));
            *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *out++ = static_cast<char>(0x80 | (cp & 0x3F));
        }
        return true;
    }
};

constexpr std::uint32_t or_replacement(std::uint16_t cp) noexcept { return cp == 0 ? replacement_character : cp; }

// JIS X 0208 by row and cell, 0-based (0..93 each).
constexpr std::uint16_t jis0208_at(unsigned row, unsigned cell) noexcept {
    return row < 94 && cell < 94 ? jis0208_table[row * 94 + cell] : 0;
}

// GBK by its two octets; 0 when unmapped or not a GBK pair.
constexpr std::uint16_t gbk_at(unsigned lead, unsigned trail) noexcept {
    if (lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE || trail == 0x7F) return 0;
    return gbk_table[(lead - 0x81) * 190 + (trail < 0x7F ? trail - 0x40 : trail - 0x41)];
}

// Shift_JIS (CP932) by its two octets; 0 when unmapped or not a pair.
constexpr std::uint16_t shift_jis_at(unsigned lead, unsigned trail) noexcept {
    if (trail < 0x40 || trail > 0xFC || trail == 0x7F) return 0;
    unsigned l = 0;
    if (lead >= 0x81 && lead <= 0x9F) l = lead - 0x81;
    else if (lead >= 0xE0 && lead <= 0xFC) l = lead - 0xC1;
    else return 0;
    const unsigned t = trail < 0x7F ? trail - 0x40 : trail - 0x41; // 0..187: two rows of 94
    const std::uint16_t jis = jis0208_at(l * 2 + t / 94, t % 94);
    if (jis != 0) return jis;
    constexpr unsigned char extra_leads[] = {0x87, 0xED, 0xEE, 0xFA, 0xFB, 0xFC};
    for (unsigned k = 0; k < 6; ++k)
        if (extra_leads[k] == lead) return cp932_extra_table[k * 189 + (trail - 0x40)];
    return 0;
}

constexpr bool in_range(unsigned b, unsigned lo, unsigned hi) noexcept { return b >= lo && b <= hi; }

constexpr void decode_shift_jis(std::string_view in, cjk_writer& w) noexcept {
    std::size_t i = 0;
    while (i < in.size() && !w.overflow) {
        const unsigned b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            w.put(b);
            ++i;
        } else if (in_range(b, 0xA1, 0xDF)) { // JIS X 0201 half-width katakana
            w.put(0xFF61 + (b - 0xA1));
            ++i;
        } else if (in_range(b, 0x81, 0x9F) || in_range(b, 0xE0, 0xFC)) {
            const unsigned t = i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) : 0;
            const bool trail = in_range(t, 0x40, 0x7E) || in_range(t, 0x80, 0xFC);
            w.put(trail ? or_replacement(shift_jis_at(b, t)) : replacement_character);
            i += trail ? 2 : 1; // a bad trail octet is read again: it may be ASCII
        } else {
            w.put(replacement_character);
            ++i;
        }
    }
}

constexpr void decode_euc_jp(std::string_view in, cjk_writer& w) noexcept {
    std::size_t i = 0;
    auto octet = [&](std::size_t k) -> unsigned { return k < in.size() ? static_cast<unsigned char>(in[k]) : 0; };
    while (i < in.size() && !w.overflow) {
        const unsigned b = octet(i);
        if (b < 0x80) {
            w.put(b);
            ++i;
        } else if (b == 0x8E) { // SS2: half-width katakana
            const unsigned t = octet(i + 1);
            const bool ok = in_range(t, 0xA1, 0xDF);
            w.put(ok ? 0xFF61 + (t - 0xA1) : replacement_character);
            i += ok ? 2 : 1;
        } else if (b == 0x8F) { // SS3: JIS X 0212, not mapped here
            const bool ok = in_range(octet(i + 1), 0xA1, 0xFE) && in_range(octet(i + 2), 0xA1, 0xFE);
            w.put(replacement_character);
            i += ok ? 3 : 1;
        } else if (in_range(b, 0xA1, 0xFE)) {
            const unsigned t = octet(i + 1);
            if (!in_range(t, 0xA1, 0xFE)) {
                w.put(replacement_character);
                ++i;
                continue;
            }
            std::uint16_t cp = jis0208_at(b - 0xA1, t - 0xA1);
            if (cp == 0 && b == 0xAD) // row 13, NEC's special characters (eucJP-ms): CP932's lead 0x87
                cp = cp932_extra_table[t - 0xA1 < 63 ? t - 0xA1 : t - 0xA1 + 1];
            w.put(or_replacement(cp));
            i += 2;
        } else {
            w.put(replacement_character);
            ++i;
        }
    }
}

constexpr void decode_gbk(std::string_view in, cjk_writer& w, bool gb18030) noexcept {
    std::size_t i = 0;
    auto octet = [&](std::size_t k) -> unsigned { return k < in.size() ? static_cast<unsigned char>(in[k]) : 0; };
    while (i < in.size() && !w.overflow) {
        const unsigned b = octet(i);
        if (b < 0x80) {
            w.put(b);
            ++i;
        } else if (b == 0x80 && !gb18030) { // CP936's euro sign
            w.put(0x20AC);
            ++i;
        } else if (in_range(b, 0x81, 0xFE)) {
            const unsigned t = octet(i + 1);
            if (in_range(t, 0x30, 0x39)) { // GB18030's four-octet codes: not mapped here
                const bool ok = in_range(octet(i + 2), 0x81, 0xFE) && in_range(octet(i + 3), 0x30, 0x39);
                w.put(replacement_character);
                i += ok ? 4 : 1;
                continue;
            }
            const bool trail = in_range(t, 0x40, 0x7E) || in_range(t, 0x80, 0xFE);
            w.put(trail ? or_replacement(gbk_at(b, t)) : replacement_character);
            i += trail ? 2 : 1;
        } else {
            w.put(replacement_character);
            ++i;
        }
    }
}

// ISO-2022-JP: ASCII until an escape sequence designates another set into G0.
constexpr void decode_iso2022jp(std::string_view in, cjk_writer& w) noexcept {
    enum class set : std::uint8_t { ascii, roman, katakana, jis0208, jis0212, gb2312, other_double };
    set g0 = set::ascii;
    std::size_t i = 0;
    auto octet = [&](std::size_t k) -> unsigned { return k < in.size() ? static_cast<unsigned char>(in[k]) : 0; };
    while (i < in.size() && !w.overflow) {
        const unsigned b = octet(i);
        if (b == 0x1B) {
            const unsigned b1 = octet(i + 1), b2 = octet(i + 2), b3 = octet(i + 3);
            std::size_t n = 0;
            if (b1 == '(' && (b2 == 'B' || b2 == 'J' || b2 == 'I')) {
                g0 = b2 == 'B' ? set::ascii : b2 == 'J' ? set::roman : set::katakana;
                n = 3;
            } else if (b1 == '$' && (b2 == '@' || b2 == 'B')) {
                g0 = set::jis0208;
                n = 3;
            } else if (b1 == '$' && b2 == 'A') {
                g0 = set::gb2312;
                n = 3;
            } else if (b1 == '$' && b2 == '(' && (b3 == 'B' || b3 == 'Q' || b3 == 'O')) {
                g0 = set::jis0208; // JIS X 0208 again, or JIS X 0213 plane 1 read as its 0208 subset
                n = 4;
            } else if (b1 == '$' && b2 == '(' && (b3 == 'D' || b3 == 'C' || b3 == 'P')) {
                g0 = b3 == 'D' ? set::jis0212 : set::other_double; // JIS X 0212, KS C 5601, JIS X 0213 plane 2
                n = 4;
            } else if (b1 == '&' && b2 == '@') { // JIS X 0208-1990's announcer: the designation follows
                n = 3;
            } else if (b1 == '.' && (b2 == 'A' || b2 == 'F')) { // ISO-2022-JP-2's G2: ignored
                n = 3;
            }
            if (n == 0) { // an unknown or cut escape sequence: the ESC alone is replaced
                w.put(replacement_character);
                ++i;
            } else {
                i += n;
            }
            continue;
        }
        if (b == '\n' || b == '\r') { // a line that never returned to ASCII ends its two-octet mode
            if (g0 != set::ascii && g0 != set::roman) g0 = set::ascii;
            w.put(b);
            ++i;
            continue;
        }
        if (b >= 0x80) {
            w.put(replacement_character);
            ++i;
            continue;
        }
        switch (g0) {
        case set::ascii: w.put(b); ++i; break;
        case set::roman: // JIS X 0201 Roman: ASCII but for the yen sign and the overline
            w.put(b == 0x5C ? 0xA5 : b == 0x7E ? 0x203E : b);
            ++i;
            break;
        case set::katakana:
            w.put(in_range(b, 0x21, 0x5F) ? 0xFF61 + (b - 0x21) : b < 0x21 ? b : replacement_character);
            ++i;
            break;
        default: {
            if (!in_range(b, 0x21, 0x7E)) { // controls and blanks pass through a two-octet mode
                w.put(b);
                ++i;
                break;
            }
            const unsigned t = octet(i + 1);
            if (!in_range(t, 0x21, 0x7E)) {
                w.put(replacement_character);
                ++i;
                break;
            }
            std::uint16_t cp = 0;
            if (g0 == set::jis0208) cp = jis0208_at(b - 0x21, t - 0x21);
            else if (g0 == set::gb2312) cp = gbk_at(b + 0x80, t + 0x80);
            w.put(or_replacement(cp));
            i += 2;
            break;
        }
        }
    }
}

} // namespace detail

// `text` in `cs` as UTF-8, into [first, last).
constexpr cjk_decoded decode_cjk(cjk_charset cs, std::string_view text, char* first, char* last) noexcept {
    cjk_decoded r;
    if (cs == cjk_charset::none) {
        r.error = cjk_error::unknown_charset;
        r.text = std::string_view(first, 0);
        return r;
    }
    detail::cjk_writer w{first, last};
    switch (cs) {
    case cjk_charset::iso2022jp: detail::decode_iso2022jp(text, w); break;
    case cjk_charset::shift_jis: detail::decode_shift_jis(text, w); break;
    case cjk_charset::euc_jp: detail::decode_euc_jp(text, w); break;
    case cjk_charset::gbk: detail::decode_gbk(text, w, false); break;
    case cjk_charset::gb18030: detail::decode_gbk(text, w, true); break;
    case cjk_charset::none: break;
    }
    r.text = std::string_view(first, static_cast<std::size_t>(w.out - first));
    r.replaced = w.replaced;
    if (w.overflow) r.error = cjk_error::buffer_too_small;
    return r;
}

// The converter bounce reading takes (bounce_options::convert_charset) and
// decode_encoded_words() too: a charset named as a message names it.
// converted_all is false for a charset not decoded here (nothing written).
constexpr detail::converted convert_cjk(std::string_view charset_name, std::string_view text, char* first,
                                        char* last) noexcept {
    detail::converted c;
    const cjk_charset cs = parse_cjk_charset(charset_name);
    if (cs == cjk_charset::none) {
        c.text = text;
        c.converted_all = false;
        return c;
    }
    const cjk_decoded d = decode_cjk(cs, text, first, last);
    c.text = d.text;
    c.complete = d.error != cjk_error::buffer_too_small;
    return c;
}

ESC_END_NAMESPACE
