// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Reads one flat JSON object per line (JSON Lines), as the corpus labels are
// written: string, number, true/false/null values, no nesting. Values come
// back as text (strings unescaped, \u escapes as UTF-8); null and absent keys
// read as "". Enough for test data; not a general JSON parser.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace esc_test {

using flat_object = std::map<std::string, std::string>;

namespace detail {

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

inline bool read_hex4(const std::string& s, std::size_t& i, std::uint32_t& v) {
    if (i + 4 > s.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
        const char c = s[i++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
        else return false;
    }
    return true;
}

inline bool read_string(const std::string& s, std::size_t& i, std::string& out) {
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    while (i < s.size() && s[i] != '"') {
        char c = s[i++];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= s.size()) return false;
        c = s[i++];
        switch (c) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
            std::uint32_t cp = 0;
            if (!read_hex4(s, i, cp)) return false;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
                i += 2;
                std::uint32_t low = 0;
                if (!read_hex4(s, i, low)) return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            put_utf8(out, cp);
            break;
        }
        default: out += c; break;
        }
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
}

inline void skip_ws(const std::string& s, std::size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
}

} // namespace detail

inline bool parse_flat_object(const std::string& line, flat_object& out) {
    std::size_t i = 0;
    detail::skip_ws(line, i);
    if (i >= line.size() || line[i] != '{') return false;
    ++i;
    while (true) {
        detail::skip_ws(line, i);
        if (i < line.size() && line[i] == '}') return true;
        std::string key, value;
        if (!detail::read_string(line, i, key)) return false;
        detail::skip_ws(line, i);
        if (i >= line.size() || line[i] != ':') return false;
        ++i;
        detail::skip_ws(line, i);
        if (i < line.size() && line[i] == '"') {
            if (!detail::read_string(line, i, value)) return false;
        } else {
            const std::size_t b = i;
            while (i < line.size() && line[i] != ',' && line[i] != '}') ++i;
            value = line.substr(b, i - b);
            while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
            if (value == "null") value.clear();
        }
        out[key] = value;
        detail::skip_ws(line, i);
        if (i < line.size() && line[i] == ',') {
            ++i;
            continue;
        }
        if (i < line.size() && line[i] == '}') return true;
        return false;
    }
}

inline std::vector<flat_object> parse_json_lines(const std::string& text) {
    std::vector<flat_object> rows;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(pos, end - pos);
        flat_object o;
        if (line.find('{') != std::string::npos && parse_flat_object(line, o)) rows.push_back(std::move(o));
        pos = end + 1;
    }
    return rows;
}

// One line's object; empty when the line is not a flat JSON object.
inline flat_object parse_flat_json(std::string_view line) {
    flat_object out;
    if (!parse_flat_object(std::string(line), out)) out.clear();
    return out;
}

} // namespace esc_test
