// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Just enough JSON (RFC 8259) to read a notification some providers send in
// place of a DSN (Amazon SES, directly or inside an SNS envelope): values are
// found by walking objects member by member, strings are views of the text
// as written (unescape() writes one out), nothing is converted. Malformed
// input ends a walk early; every step moves forward, so a walk is linear.
// Not API. Nothing here allocates or reads outside the text.

#include <cstddef>
#include <string_view>

#include "config.hpp"
#include "ascii.hpp"

ESC_BEGIN_NAMESPACE
namespace detail::json {

constexpr std::size_t skip_space(std::string_view t, std::size_t i) noexcept {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
    return i;
}

// Past the string starting at the quote at `i`; t.size() when it is not closed.
constexpr std::size_t skip_string(std::string_view t, std::size_t i) noexcept {
    for (++i; i < t.size(); ++i) {
        if (t[i] == '\\') ++i;
        else if (t[i] == '"') return i + 1;
    }
    return t.size();
}

// Past the value starting at `i` (object, array, string, number, literal).
// Nesting is counted, not recursed into, so a deep value costs no stack.
constexpr std::size_t skip_value(std::string_view t, std::size_t i) noexcept {
    i = skip_space(t, i);
    if (i >= t.size()) return i;
    if (t[i] == '"') return skip_string(t, i);
    if (t[i] != '{' && t[i] != '[') {
        while (i < t.size() && t[i] != ',' && t[i] != '}' && t[i] != ']' && !is_blank(t[i]) && t[i] != '\n' &&
               t[i] != '\r')
            ++i;
        return i;
    }
    std::size_t depth = 0;
    while (i < t.size()) {
        const char c = t[i];
        if (c == '"') {
            i = skip_string(t, i);
            continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') {
            if (--depth == 0) return i + 1;
        }
        ++i;
    }
    return i;
}

// A value as written: `text` from its first character to past its last.
struct value {
    std::string_view text;
    constexpr bool empty() const noexcept { return text.empty(); }
    constexpr bool is_string() const noexcept { return text.size() >= 2 && text.front() == '"'; }
    constexpr bool is_object() const noexcept { return !text.empty() && text.front() == '{'; }
    constexpr bool is_array() const noexcept { return !text.empty() && text.front() == '['; }
    // A string's characters between the quotes, escapes as written.
    constexpr std::string_view raw_string() const noexcept {
        return is_string() ? text.substr(1, text.size() - 2) : std::string_view{};
    }
};

// Calls f(key, value) for each member of the object `obj` (keys as written,
// without quotes), until f returns false.
template <class F>
constexpr void for_each_member(value obj, F&& f) noexcept {
    if (!obj.is_object()) return;
    const std::string_view t = obj.text;
    std::size_t i = 1;
    while (true) {
        i = skip_space(t, i);
        if (i >= t.size() || t[i] != '"') return;
        const std::size_t key_end = skip_string(t, i);
        if (key_end > t.size() || key_end - i < 2) return;
        const std::string_view key = t.substr(i + 1, key_end - i - 2);
        i = skip_space(t, key_end);
        if (i >= t.size() || t[i] != ':') return;
        const std::size_t vb = skip_space(t, i + 1);
        const std::size_t ve = skip_value(t, vb);
        if (ve <= vb) return;
        if (!f(key, value{t.substr(vb, ve - vb)})) return;
        i = skip_space(t, ve);
        if (i >= t.size() || t[i] != ',') return;
        ++i;
    }
}

// Calls f(element) for each element of the array `arr`.
template <class F>
constexpr void for_each_element(value arr, F&& f) noexcept {
    if (!arr.is_array()) return;
    const std::string_view t = arr.text;
    std::size_t i = 1;
    while (true) {
        i = skip_space(t, i);
        if (i >= t.size() || t[i] == ']') return;
        const std::size_t ve = skip_value(t, i);
        if (ve <= i) return;
        f(value{t.substr(i, ve - i)});
        i = skip_space(t, ve);
        if (i >= t.size() || t[i] != ',') return;
        ++i;
    }
}

// The member `key` of an object, or an empty value.
constexpr value member(value obj, std::string_view key) noexcept {
    value found;
    for_each_member(obj, [&](std::string_view k, value v) {
        if (k != key) return true;
        found = v;
        return false;
    });
    return found;
}

// A string's characters with the escapes undone, into [first, last); a
// \uXXXX escape becomes UTF-8 (a surrogate pair joined). Returns the written
// part; empty when the buffer is too small or the value is no string.
constexpr std::string_view unescape(value v, char* first, char* last) noexcept {
    const std::string_view s = v.raw_string();
    char* out = first;
    auto put = [&](char c) {
        if (out == last) return false;
        *out++ = c;
        return true;
    };
    auto hex4 = [&](std::size_t at, long& cp) {
        if (s.size() - at < 4) return false;
        cp = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = s[at + k];
            const int d = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
            if (d < 0) return false;
            cp = cp * 16 + d;
        }
        return true;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c != '\\' || i + 1 == s.size()) {
            if (!put(c)) return {};
            continue;
        }
        c = s[++i];
        char plain = 0;
        switch (c) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        default: break;
        }
        if (plain != 0) {
            if (!put(plain)) return {};
            continue;
        }
        long cp = 0;
        if (c != 'u' || !hex4(i + 1, cp)) { // not an escape JSON knows: kept as written
            if (!put('\\') || !put(c)) return {};
            continue;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < s.size() + 0 && s[i + 1] == '\\' && s[i + 2] == 'u') {
            long low = 0;
            if (hex4(i + 3, low) && low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; // a lone surrogate
        const auto u = static_cast<unsigned long>(cp);
        bool ok = true;
        if (u < 0x80) ok = put(static_cast<char>(u));
        else if (u < 0x800) ok = put(static_cast<char>(0xC0 | (u >> 6))) && put(static_cast<char>(0x80 | (u & 0x3F)));
        else if (u < 0x10000)
            ok = put(static_cast<char>(0xE0 | (u >> 12))) && put(static_cast<char>(0x80 | ((u >> 6) & 0x3F))) &&
                 put(static_cast<char>(0x80 | (u & 0x3F)));
        else
            ok = put(static_cast<char>(0xF0 | (u >> 18))) && put(static_cast<char>(0x80 | ((u >> 12) & 0x3F))) &&
                 put(static_cast<char>(0x80 | ((u >> 6) & 0x3F))) && put(static_cast<char>(0x80 | (u & 0x3F)));
        if (!ok) return {};
    }
    return std::string_view(first, static_cast<std::size_t>(out - first));
}

} // namespace detail::json
ESC_END_NAMESPACE
