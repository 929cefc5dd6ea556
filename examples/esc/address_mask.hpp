// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// A failure text with its plain e-mail addresses masked: the key under which
// esc scan's summary remembers what classify() made of it (text_memo.hpp).
//
// Why: most failure texts name the recipient. Postfix writes the address it
// refused into its own rejects ("554 5.7.1 <bob@example.com>: Relay access
// denied"), remote servers quote it back ("550 5.1.1 <bob@example.com>: User
// unknown"), so that a log's failure texts are nearly all different and a
// memo keyed by the text alone misses. With the addresses masked, the texts
// a server sends every recipient are one key.
//
// This is exact: classify() makes the same of two texts that differ only in
// the plain addresses between their angle brackets. A plain address here is
// a local part of ASCII letters, digits and ". _ + -" whose last byte is a
// letter or digit, an '@', and a domain of letters, digits, '.' and '-' that
// starts with a letter or digit; no digit in it is followed by a '-' or by a
// '.' and a digit; at most 254 bytes. Then:
// - phrases: between '<' and '>', with no blank, bracket, ':', ',' or ';'
//   inside, it is a chunk by itself and an e-mail address (an '@' after a
//   byte and before a letter or digit, no "://"); no phrase that touches an
//   address is reported, and the words around it are read alike whatever it
//   is (detail/phrase_matcher.hpp; tests/phrase_tree_test.cpp checks it);
// - codes: a reply code needs a blank, a '-' or a line end after its three
//   digits, an enhanced code a digit, a '.' and a digit, qmail's a '#': none
//   can start or end inside a plain address. The checks around a code look
//   back from it to a blank, a '<' or a '>' (version words, "RFC 5321", URL
//   parameters, which want a '?', '&' or '/': a plain address has none), so
//   they read the brackets, not the address;
// - esc scan's own readings of the text ("loops back to myself") have blanks.
// Rules of the user's (--rules) are not held to this: with them, texts are
// remembered as they are (the caller does not mask).
//
// An address that is not plain (an IP literal, "=" of SRS and VERP, quotes)
// stays as it is: such texts are remembered under their own bytes, as before.

#include <cstddef>
#include <string_view>

namespace esc_cli {
namespace address_mask {

// What stands for every plain address in a key: a plain address itself, so
// that a text holding "<a@a>" is its own key and no two texts that differ
// elsewhere share one.
inline constexpr std::string_view placeholder = "a@a";
inline constexpr std::size_t longest_plain = 254; // RFC 5321 4.5.3.1.3: a path of 256 with the brackets

constexpr bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Whether a (the bytes between '<' and '>') is a plain address, as above.
constexpr bool is_plain(std::string_view a) noexcept {
    if (a.size() < 3 || a.size() > longest_plain) return false;
    std::size_t at = std::string_view::npos;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const char c = a[k];
        if (c == '@') {
            if (at != std::string_view::npos || k == 0 || !is_alnum(a[k - 1]) || k + 1 == a.size() || !is_alnum(a[k + 1]))
                return false;
            at = k;
            continue;
        }
        const bool local = at == std::string_view::npos;
        if (!(is_alnum(c) || c == '.' || c == '-' || (local && (c == '_' || c == '+')))) return false;
        if (is_digit(c) && k + 1 < a.size() &&
            (a[k + 1] == '-' || (a[k + 1] == '.' && k + 2 < a.size() && is_digit(a[k + 2]))))
            return false;
    }
    return at != std::string_view::npos;
}

// `text` with every plain address between '<' and '>' written as the
// placeholder, in `buffer` (of `capacity` bytes); `text` itself when it has
// none, or when the masked text would not fit (then it is longer than the
// buffer, as `text` is).
inline std::string_view masked(std::string_view text, char* buffer, std::size_t capacity) noexcept {
    std::size_t written = 0, copied = 0; // text[0, copied) is in the buffer, as buffer[0, written)
    bool any = false;
    std::size_t close = 0; // the first '>' after the last '<' looked at: "<<<<>" is read once
    for (std::size_t open = text.find('<'); open != std::string_view::npos; open = text.find('<', open + 1)) {
        if (close <= open) close = text.find('>', open + 1);
        if (close == std::string_view::npos) break;
        const std::string_view inside = text.substr(open + 1, close - open - 1);
        if (!is_plain(inside)) continue; // a '<' inside is not plain: the next '<' is looked at
        const std::size_t kept = open + 1 - copied;
        if (written + kept + placeholder.size() > capacity) return text;
        for (std::size_t k = 0; k < kept; ++k) buffer[written + k] = text[copied + k];
        written += kept;
        for (std::size_t k = 0; k < placeholder.size(); ++k) buffer[written + k] = placeholder[k];
        written += placeholder.size();
        copied = close;
        open = close;
        any = true;
    }
    if (!any) return text;
    const std::size_t rest = text.size() - copied;
    if (written + rest > capacity) return text;
    for (std::size_t k = 0; k < rest; ++k) buffer[written + k] = text[copied + k];
    return std::string_view(buffer, written + rest);
}

} // namespace address_mask
} // namespace esc_cli
