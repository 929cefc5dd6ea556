// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reads one flat JSON object (string, number, bool and null values, as in the
// corpus's JSON Lines) into a map of strings. Enough for test data; not a
// general JSON parser.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace esc_test {

namespace json_detail {

inline void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

inline std::uint32_t hex4(std::string_view s, std::size_t i) {
    std::uint32_t v = 0;
    for (std::size_t k = i; k < i + 4 && k < s.size(); ++k) {
        const char c = s[k];
        v = v * 16 + static_cast<std::uint32_t>(c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

// Reads a JSON string starting at the opening quote; i ends past the closing one.
inline std::string read_string(std::string_view s, std::size_t& i) {
    std::string out;
    ++i;
    while (i < s.size() && s[i] != '"') {
        if (s[i] != '\\') {
            out += s[i++];
            continue;
        }
        const char e = i + 1 < s.size() ? s[i + 1] : '\\';
        i += 2;
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
            std::uint32_t cp = hex4(s, i);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u') {
                const std::uint32_t low = hex4(s, i + 2);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
            put_utf8(out, cp);
            break;
        }
        default: out += e;
        }
    }
    ++i;
    return out;
}

} // namespace json_detail

inline std::map<std::string, std::string> parse_flat_json(std::string_view s) {
    std::map<std::string, std::string> out;
    std::size_t i = s.find('{');
    if (i == std::string_view::npos) return out;
    ++i;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\n')) ++i;
        if (i >= s.size() || s[i] == '}') break;
        const std::string key = json_detail::read_string(s, i);
        while (i < s.size() && (s[i] == ' ' || s[i] == ':')) ++i;
        if (i < s.size() && s[i] == '"') {
            out[key] = json_detail::read_string(s, i);
        } else {
            const std::size_t start = i;
            while (i < s.size() && s[i] != ',' && s[i] != '}') ++i;
            std::string v(s.substr(start, i - start));
            while (!v.empty() && v.back() == ' ') v.pop_back();
            out[key] = v == "null" ? "" : v;
        }
    }
    return out;
}

} // namespace esc_test
