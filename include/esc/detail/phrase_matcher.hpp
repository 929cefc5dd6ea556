// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Finds the phrases of the rule tables (rules/*.rules) in a text in one pass,
// ignoring case, with no allocation.
//
// A text is read as words (read_char() below is the one definition of a
// character, shared with the table builder):
//  - ASCII letters and digits form words, folded to lower case; any other
//    ASCII byte separates words;
//  - UTF-8 letters join words too, with case folded for Latin-1 Supplement,
//    Latin Extended-A and Cyrillic (so "ÜBER" matches "über", "ПОЧТА"
//    "почта"); general and CJK punctuation (U+2000-U+206F, U+3000-U+303F,
//    the full-width forms of ASCII punctuation) separates words, so "doesn’t"
//    reads as "doesn t";
//  - Chinese and Japanese, written without spaces, are read a character a
//    word: each ideograph, hiragana or katakana is a word of its own, and a
//    phrase such as "用户不存在" is a sequence of five;
//  - bytes that are not well-formed UTF-8 are word bytes, as they are.
// Each word is hashed while it is read (FNV-1a over its folded bytes), and
// looked up once, at its end, in a small open-addressing table of the words
// the phrases use; prefixes ("greylist*") are looked up at the lengths the
// table says some prefix word has. A hit is checked byte by byte, so a hash
// collision can never produce a match. Phrases are then matched as sequences
// of word tokens on a trie.
//
// Host names, e-mail addresses and URLs are not prose: a relay called
// virus.example.net or a mailbox called greylist@example.org says nothing
// about why mail failed. Words inside such a run of text (an "opaque" chunk,
// see opaque_chunk()) match only the phrases marked to match anywhere: the
// provider markers and blocklist zones (zen.spamhaus.org), and the keyword of
// a provider's help link (?p=NotAuthorizedError).
//
// The built-in tables are generated into phrase_tree_data.hpp by
// tools/generate_phrase_tree.cpp; run-time rule sets (rules.hpp) build the
// same tables in vectors, and the same scanner reads both.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ascii.hpp"
#include "byte_blocks.hpp"
#include "config.hpp"

ESC_BEGIN_NAMESPACE
namespace detail {

inline constexpr char canonical_separator = ' ';
inline constexpr std::size_t max_phrase_words = 16; // a phrase has at most this many words
inline constexpr std::size_t max_walkers = 16;      // phrases in progress at once (CJK chains many)
inline constexpr std::size_t max_prefix_hits = 4; // prefix words one text word may match
inline constexpr std::size_t max_prefix_length = 63;
inline constexpr std::uint16_t match_anywhere = 0x8000; // in tree.match: the phrase matches in opaque chunks too

constexpr char canonical_of(unsigned char c) noexcept {
    if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) return static_cast<char>(c);
    return canonical_separator;
}

constexpr std::array<char, 256> build_canonical_table() noexcept {
    std::array<char, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) t[c] = canonical_of(static_cast<unsigned char>(c));
    return t;
}

inline constexpr std::array<char, 256> canonical_table = build_canonical_table();

// The same for the ASCII fast path: a byte >= 0x80 ends the word there, and
// the word is read again as UTF-8 from its start.
constexpr std::array<char, 256> build_ascii_table() noexcept {
    std::array<char, 256> t = build_canonical_table();
    for (std::size_t c = 0x80; c < 256; ++c) t[c] = canonical_separator;
    return t;
}

inline constexpr std::array<char, 256> ascii_table = build_ascii_table();

// --- characters ------------------------------------------------------------------

enum class char_kind : std::uint8_t {
    separator, // ends a word
    letter,    // part of a word
    ideograph, // a word by itself (CJK)
};

struct text_char {
    char_kind kind = char_kind::separator;
    std::uint8_t consumed = 1; // bytes of the text
    std::uint8_t size = 0;     // folded bytes in `bytes` (letters and ideographs)
    char bytes[4] = {};
};

constexpr bool is_continuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

// Simple case folding of the scripts the rule tables use; every mapping keeps
// the character within two UTF-8 bytes.
constexpr std::uint32_t fold_code_point(std::uint32_t cp) noexcept {
    if (cp < 0xC0 || (cp > 0x17E && cp < 0x400) || cp > 0x42F) return cp;      // no case here: the common exit
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;             // Latin-1: À..Þ
    if (cp >= 0x100 && cp <= 0x137 && cp != 0x130) return cp | 1u;             // Ā..ķ: even is upper
    if (cp >= 0x139 && cp <= 0x148) return (cp & 1u) != 0 ? cp + 1 : cp;      // Ĺ..ň: odd is upper
    if (cp >= 0x14A && cp <= 0x177) return cp | 1u;                            // Ŋ..ŷ
    if (cp == 0x178) return 0xFF;                                              // Ÿ
    if (cp >= 0x179 && cp <= 0x17E) return (cp & 1u) != 0 ? cp + 1 : cp;      // Ź..ž
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                          // А..Я
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                          // Ѐ..Џ
    return cp;
}

constexpr bool is_separator_code_point(std::uint32_t cp) noexcept {
    return cp == 0xA0 || (cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || // NBSP, ¡ « » ¿ ·, × ÷
           (cp >= 0x2000 && cp <= 0x206F) ||                                       // general punctuation: ’ “ ” …
           (cp >= 0x3000 && cp <= 0x303F) ||                                       // CJK punctuation: 、 。 「 」
           (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||     // full-width ！ ， ： ？
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65);
}

// The code point of a three-byte UTF-8 sequence at text[i] from U+3000 to
// U+9FFF (CJK punctuation, kana, ideographs), or 0.
constexpr std::uint32_t cjk_code_point(std::string_view text, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0xE3 || b0 > 0xE9 || text.size() - i < 3) return 0;
    const auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
    if ((b1 & 0xC0u) != 0x80 || (b2 & 0xC0u) != 0x80) return 0;
    return ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
}

constexpr bool is_ideograph(std::uint32_t cp) noexcept {
    return (cp >= 0x3040 && cp <= 0x30FF) || // hiragana, katakana
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

// The character at text[i] (i < text.size()), folded.
constexpr text_char read_char(std::string_view text, std::size_t i) noexcept {
    text_char c;
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
        const char folded = canonical_table[b0];
        if (folded != canonical_separator) {
            c.kind = char_kind::letter;
            c.size = 1;
            c.bytes[0] = folded;
        }
        return c;
    }
    const std::size_t left = text.size() - i;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (b0 >= 0xC2 && b0 <= 0xDF && left >= 2 && is_continuation(byte(1))) {
        const std::uint32_t cp = ((b0 & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
        c.consumed = 2;
        if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) { // the only separators below U+0800
            if (cp >= 0xA0) return c;
        }
        const std::uint32_t f = fold_code_point(cp);
        c.kind = char_kind::letter;
        c.size = 2;
        c.bytes[0] = static_cast<char>(0xC0 | (f >> 6));
        c.bytes[1] = static_cast<char>(0x80 | (f & 0x3F));
        return c;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF && left >= 3 && is_continuation(byte(1)) && is_continuation(byte(2))) {
        const std::uint32_t cp = ((b0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
        c.consumed = 3;
        const bool ideograph = is_ideograph(cp); // the common case in Chinese and Japanese text
        if (!ideograph && is_separator_code_point(cp)) return c;
        c.kind = ideograph ? char_kind::ideograph : char_kind::letter;
        c.size = 3;
        for (std::size_t k = 0; k < 3; ++k) c.bytes[k] = text[i + k];
        return c;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4 && left >= 4 && is_continuation(byte(1)) && is_continuation(byte(2)) &&
        is_continuation(byte(3))) {
        c.consumed = 4;
        c.kind = char_kind::letter;
        c.size = 4;
        for (std::size_t k = 0; k < 4; ++k) c.bytes[k] = text[i + k];
        return c;
    }
    c.kind = char_kind::letter; // not UTF-8: a word byte as it is
    c.size = 1;
    c.bytes[0] = text[i];
    return c;
}

// --- opaque chunks: host names, addresses, URLs ------------------------------------

// Bytes that end a chunk: white space and the brackets and punctuation that
// surround addresses and host names in replies ("<a@b>", "host[192.0.2.1]",
// "(mx.example.net)").
constexpr bool is_chunk_delimiter_slow(char c) noexcept {
    switch (c) {
    case ' ': case '\t': case '\r': case '\n': case '\f': case '\v':
    case '<': case '>': case '(': case ')': case '[': case ']': case '{': case '}':
    case '"': case ',': case ';': case '|':
        return true;
    default: return false;
    }
}

// What a separator byte does to the chunk it is in: ends it, or shows it may
// be an address, a URL or a host name.
enum class chunk_byte : std::uint8_t { other, delimiter, suspect };

constexpr std::array<chunk_byte, 256> build_chunk_table() noexcept {
    std::array<chunk_byte, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        t[c] = is_chunk_delimiter_slow(ch)                                      ? chunk_byte::delimiter
               : (ch == '@' || ch == '.' || ch == ':' || ch == '/')             ? chunk_byte::suspect
                                                                                : chunk_byte::other;
    }
    return t;
}

inline constexpr std::array<chunk_byte, 256> chunk_table = build_chunk_table();

constexpr bool is_chunk_delimiter(char c) noexcept {
    return chunk_table[static_cast<unsigned char>(c)] == chunk_byte::delimiter;
}

// ASCII letters and digits: the bytes the ASCII table keeps (one look-up,
// not three range tests).
constexpr bool is_ascii_alnum(char c) noexcept {
    return ascii_table[static_cast<unsigned char>(c)] != canonical_separator;
}

// Bytes that are neither ASCII letters and digits nor chunk delimiters: a
// phrase without them, between delimiters, is in prose (plain_range()).
constexpr std::array<std::uint8_t, 256> build_unplain_table() noexcept {
    std::array<std::uint8_t, 256> t{};
    for (std::size_t c = 0; c < 256; ++c)
        t[c] = is_ascii_alnum(static_cast<char>(c)) || is_chunk_delimiter(static_cast<char>(c)) ? 0 : 1;
    return t;
}

inline constexpr std::array<std::uint8_t, 256> unplain_table = build_unplain_table();

// Top-level domains common enough in mail to mark a dotted name as a host.
// A label is taken only in one case ("com" or "COM"), so "full.It will" or
// "unknown.Please" in sloppy prose stay prose.
inline constexpr std::string_view common_tlds[] = {
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "io", "co",
    "me", "tv", "cc", "us", "uk", "ca", "au", "nz", "de", "fr", "it", "es", "nl", "be", "ch", "at", "pl",
    "ru", "su", "ua", "by", "kz", "jp", "cn", "hk", "tw", "kr", "in", "sg", "my", "th", "vn", "id", "ph",
    "br", "ar", "mx", "cl", "pe", "za", "ie", "dk", "se", "no", "fi", "is", "cz", "sk", "hu", "ro", "bg",
    "gr", "pt", "tr", "il", "eu", "lt", "lv", "ee", "si", "hr", "rs", "lu", "li", "local", "localdomain",
    "arpa", "example", "invalid", "test", "localhost", "xyz", "top", "online", "site", "email", "cloud",
    "app", "dev", "tech", "store", "club", "ai"};
inline constexpr std::size_t longest_common_tld = 11;

// A label of up to eight lower-case bytes as one number (byte k in bits
// 8k..8k+7), so that a label is told from a TLD in one comparison.
constexpr std::uint64_t packed_label(std::string_view label) noexcept {
    std::uint64_t x = 0;
    for (std::size_t k = 0; k < label.size() && k < 8; ++k)
        x |= std::uint64_t{static_cast<unsigned char>(label[k])} << (8 * k);
    return x;
}

// The TLDs of up to eight bytes, packed and sorted: a label is looked up in
// about seven comparisons instead of a hundred.
constexpr auto build_short_tlds() noexcept {
    constexpr std::size_t count = [] {
        std::size_t n = 0;
        for (std::string_view t : common_tlds) n += t.size() <= 8 ? 1 : 0;
        return n;
    }();
    std::array<std::uint64_t, count> packed{};
    std::size_t n = 0;
    for (std::string_view t : common_tlds)
        if (t.size() <= 8) packed[n++] = packed_label(t);
    for (std::size_t i = 1; i < n; ++i) // insertion sort: constexpr, and run once
        for (std::size_t j = i; j > 0 && packed[j - 1] > packed[j]; --j) {
            const std::uint64_t x = packed[j];
            packed[j] = packed[j - 1];
            packed[j - 1] = x;
        }
    return packed;
}

inline constexpr auto short_tlds = build_short_tlds();

constexpr bool is_common_tld(std::string_view label) noexcept {
    if (label.size() < 2 || label.size() > longest_common_tld) return false;
    bool lower = true, upper = true;
    char folded[longest_common_tld] = {};
    for (std::size_t k = 0; k < label.size(); ++k) {
        const char c = label[k];
        lower = lower && c >= 'a' && c <= 'z';
        upper = upper && c >= 'A' && c <= 'Z';
        folded[k] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (!lower && !upper) return false;
    const std::string_view f(folded, label.size());
    if (f.size() > 8) {
        for (std::string_view t : common_tlds)
            if (t == f) return true;
        return false;
    }
    const std::uint64_t key = packed_label(f);
    std::size_t lo = 0, hi = short_tlds.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (short_tlds[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < short_tlds.size() && short_tlds[lo] == key;
}

// Whether a chunk is a host name: a dotted name ending in a common top-level
// domain, or www.something.
constexpr bool opaque_host(std::string_view chunk) noexcept {
    const std::size_t n = chunk.size();
    for (std::size_t k = 0; k < n; ++k) {
        const char c = chunk[k];
        if (c == '.' && k > 0 && k + 1 < n && is_ascii_alnum(chunk[k - 1]) && is_ascii_alnum(chunk[k + 1])) {
            std::size_t e = k + 1;
            while (e < n && (is_ascii_alnum(chunk[e]) || chunk[e] == '-')) ++e;
            if (is_common_tld(chunk.substr(k + 1, e - k - 1))) return true;
            if (k == 3 && (chunk[0] == 'w' || chunk[0] == 'W') && (chunk[1] == 'w' || chunk[1] == 'W') &&
                (chunk[2] == 'w' || chunk[2] == 'W'))
                return true;
        }
    }
    return false;
}

// A chunk boundary at text[k]: a delimiter, or a ':' that does not start a
// URL's "://" ("User unknown:bob@example.com" is prose, then an address).
constexpr bool is_chunk_boundary(std::string_view text, std::size_t k) noexcept {
    return is_chunk_delimiter(text[k]) || (text[k] == ':' && !(k + 1 < text.size() && text[k + 1] == '/'));
}

enum class chunk_kind : std::uint8_t { prose, host, address };

// What a chunk (a run of text between boundaries) is: an e-mail address, a
// URL or host name, or prose.
constexpr chunk_kind kind_of_chunk(std::string_view chunk) noexcept {
    const std::size_t n = chunk.size();
    bool address = false;
    for (std::size_t k = 0; k < n; ++k) {
        const char c = chunk[k];
        if (c == ':' && k + 2 < n && chunk[k + 1] == '/' && chunk[k + 2] == '/') return chunk_kind::host; // a URL
        if (c == '@' && k > 0 && k + 1 < n && is_ascii_alnum(chunk[k + 1])) address = true;
    }
    if (address) return chunk_kind::address;
    return opaque_host(chunk) ? chunk_kind::host : chunk_kind::prose;
}

// Whether a chunk is an e-mail address, a URL or a host name rather than prose.
constexpr bool opaque_chunk(std::string_view chunk) noexcept { return kind_of_chunk(chunk) != chunk_kind::prose; }

// --- the tables ----------------------------------------------------------------------

inline constexpr std::uint32_t word_hash_seed = 2166136261u;

constexpr std::uint32_t word_hash_step(std::uint32_t h, char canonical) noexcept {
    return (h ^ static_cast<unsigned char>(canonical)) * 16777619u;
}

inline constexpr std::uint16_t no_token = 0xFFFF;

// A bit per hash value (its high bits, not the ones that pick a slot), set
// for every phrase word: most words of a text miss it and are never looked up.
inline constexpr std::size_t screen_bits = 16384;

constexpr std::size_t screen_bit(std::uint32_t h) noexcept { return (h >> 10) & (screen_bits - 1); }

// Prefix words have their bits elsewhere in the same screen. A word's first
// bytes are often a whole phrase word ("mail" in "mailbox"), whose bit is
// set: at its own bit, a prefix test would pass for every such word and
// probe the table for nothing.
constexpr std::size_t prefix_screen_bit(std::uint32_t h) noexcept {
    return static_cast<std::size_t>(static_cast<std::uint32_t>(h * 2654435761u) >> 18) & (screen_bits - 1);
}
static_assert(screen_bits == std::size_t{1} << 14, "prefix_screen_bit() keeps 14 bits");

// Prefix words are looked up only in words whose first two bytes start
// one of them: a bit per pair of bytes (each folded to 0..63).
constexpr std::size_t pair_bit(char a, char b) noexcept {
    return (static_cast<unsigned char>(a) & 63u) * 64 + (static_cast<unsigned char>(b) & 63u);
}

// And the lengths of the prefix words that start with a pair, by a bucket
// of pairs: a word that may start one is looked up at those lengths only,
// not at every length some prefix word has.
inline constexpr std::size_t prefix_buckets = 256;

constexpr std::size_t pair_bucket(std::size_t pair) noexcept { return (pair ^ (pair >> 7)) & (prefix_buckets - 1); }

// The generated tables. Tokens are phrase words: [0, exact_tokens) whole
// words, the rest prefixes (the '*' words). The trie's node 0 is the root;
// a node's edges are sorted by token. match[node] is the phrase id + 1 (0:
// none), with match_anywhere set for phrases that match in opaque chunks.
template <std::size_t Tokens, std::size_t TokenChars, std::size_t Slots, std::size_t Nodes, std::size_t Edges>
struct phrase_tree {
    std::uint16_t exact_tokens = 0;
    std::uint64_t prefix_lengths = 0;              // bit L set: some prefix word is L bytes long
    std::array<std::uint64_t, 64> prefix_starts{}; // pair_bit of the first two bytes of prefix words
    std::array<std::uint64_t, prefix_buckets> prefix_pair_lengths{}; // by pair_bucket(): bit L, a prefix word of L bytes
    std::array<std::uint64_t, screen_bits / 64> screen{};
    // A second screen, at screen_bit(), of the whole words that start a
    // phrase. With no phrase in progress and no prefix word at hand, a word
    // matters only if it starts one: 46 % of the phrase words met so in
    // bounce prose ("unknown", "full", "exist") start none, and are not looked up.
    std::array<std::uint64_t, screen_bits / 64> start_screen{};
    std::array<std::uint8_t, Slots> slot_hash{};   // the hash's top byte; Slots is a power of two
    std::array<std::uint16_t, Slots> slot_token{}; // token + 1; 0 = empty
    std::array<std::uint16_t, Tokens + 1> token_offset{};
    std::array<char, TokenChars> token_chars{};
    std::array<std::uint16_t, Tokens> root_child{}; // the root's edges, by token: node, or 0
    std::array<std::uint16_t, Nodes + 1> first_edge{};
    std::array<std::uint16_t, Edges> edge_token{};
    std::array<std::uint16_t, Edges> edge_target{};
    std::array<std::uint16_t, Nodes> match{};

    constexpr std::string_view token_text(std::size_t t) const noexcept {
        return std::string_view(token_chars.data() + token_offset[t], token_offset[t + 1] - token_offset[t]);
    }
};

// Where a phrase was found: [begin, end) in the text.
struct phrase_hit {
    std::uint16_t id = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Scans a text and reports each phrase found through `found(phrase_hit)`
// (a phrase may be reported more than once). Tree is a phrase_tree or any
// type with the same members (rules.hpp builds one in vectors).
template <class Tree>
class phrase_scanner {
public:
    constexpr explicit phrase_scanner(const Tree& tree) noexcept : tree_(tree) {}

    template <class Found>
    constexpr void scan(std::string_view text, Found&& found) const noexcept {
        scan(text, found, [](std::uint16_t) { return true; });
    }

    // The same, asking `wants(id)` before a hit is checked against host names
    // and reported: a caller that keeps only the first phrase of each kind
    // saves the check for the hits it would drop.
    template <class Found, class Wants>
    constexpr void scan(std::string_view text, Found&& found, Wants&& wants) const noexcept {
        walker walkers[max_walkers]{};
        std::size_t n = 0;
        std::size_t i = 0;
        const std::size_t size = text.size();
        opacity_cache opacity;
        while (i < size) {
            // Skip ASCII separators; bytes >= 0x80 are read as letters here and
            // looked at closely below, only in the words that have them.
            while (i < size && canonical_table[static_cast<unsigned char>(text[i])] == canonical_separator) ++i;
            if (i == size) break;
            const std::size_t start = i;
            std::uint32_t h = word_hash_seed;
            std::uint16_t prefixes[max_prefix_hits]{};
            std::size_t prefix_count = 0;
            const char first = ascii_table[static_cast<unsigned char>(text[i])];
            const char second = i + 1 < size ? ascii_table[static_cast<unsigned char>(text[i + 1])] : canonical_separator;
            if (first != canonical_separator &&
                (may_start_prefix(first, second) ||
                 ((tree_.prefix_lengths & 2u) != 0 && may_start_prefix(first, canonical_separator)))) {
                std::uint64_t lengths = prefix_lengths_after(first, second) >> 1; // bit 0: the length after this byte
                for (; i < size; ++i) {
                    const char c = ascii_table[static_cast<unsigned char>(text[i])];
                    if (c == canonical_separator) break;
                    h = word_hash_step(h, c);
                    if ((lengths & 1u) != 0 && prefix_screened(h) && prefix_count < max_prefix_hits) {
                        const std::uint16_t t = find_token(h, text, start, i + 1, true, true);
                        if (t != no_token) prefixes[prefix_count++] = t;
                    }
                    lengths >>= 1;
                }
            } else {
                for (; i < size; ++i) {
                    const char c = ascii_table[static_cast<unsigned char>(text[i])];
                    if (c == canonical_separator) break;
                    h = word_hash_step(h, c);
                }
            }
            bool utf8 = false;
            if (i < size && static_cast<unsigned char>(text[i]) >= 0x80) {
                utf8 = true;
                if (const std::uint32_t cp = i == start ? cjk_code_point(text, i) : 0; is_ideograph(cp)) {
                    // Most of a Chinese or Japanese text: an ideograph or a
                    // kana, a word by itself, its bytes its folded form.
                    for (std::size_t k = 0; k < 3; ++k) h = word_hash_step(h, text[i + k]);
                    i += 3;
                } else if (cp >= 0x3000 && cp <= 0x303F) { // CJK punctuation, a separator
                    i += 3;
                    continue;
                } else {
                    // A letter beyond ASCII (or non-ASCII punctuation): read the
                    // word again as UTF-8, folding case, splitting off ideographs.
                    const utf8_word w = read_utf8_word(text, start, prefixes);
                    i = w.end;
                    if (!w.is_word) continue; // punctuation, not a word
                    h = w.hash;
                    prefix_count = w.prefix_count;
                }
            }
            // The word is text[start, end). After an ASCII word comes an ASCII
            // separator (or the end): the next word is looked for past it.
            const std::size_t end = i;
            if (!utf8 && i < size) ++i;
            const bool idle = n == 0 && prefix_count == 0; // the word can only start a phrase
            const std::uint16_t exact = !(idle ? start_screened(h) : screened(h)) ? no_token
                                        : utf8 ? find_token(h, text, start, end, false, false)
                                               : find_ascii_word(h, text, start, end);
            if (exact == no_token && prefix_count == 0) {
                n = 0; // not a phrase word: every phrase in progress ends here
                continue;
            }
            if (idle) { // the common case, step() from the root alone
                const std::uint16_t c = tree_.root_child[exact];
                if (c == 0) continue;
                if (tree_.match[c] != 0) report(text, c, start, end, opacity, found, wants);
                if (tree_.first_edge[c] != tree_.first_edge[c + 1]) walkers[n++] = walker{c, start};
                continue;
            }
            n = step(text, walkers, n, exact, prefixes, prefix_count, start, end, opacity, found, wants);
        }
    }

private:
    struct walker {
        std::uint16_t node = 0;
        std::size_t begin = 0;
    };

    // The lengths of the prefix words a word whose first two folded bytes
    // are a and b may start with (a superset: buckets share their lengths).
    constexpr std::uint64_t prefix_lengths_after(char a, char b) const noexcept {
        return tree_.prefix_pair_lengths[pair_bucket(pair_bit(a, b))] |
               (tree_.prefix_pair_lengths[pair_bucket(pair_bit(a, canonical_separator))] & 2u);
    }

    constexpr bool may_start_prefix(char a, char b) const noexcept {
        const std::size_t pair = pair_bit(a, b);
        return ((tree_.prefix_starts[pair / 64] >> (pair % 64)) & 1u) != 0;
    }

    // What read_utf8_word() read: the word ends at `end`, and hashes to `hash`.
    struct utf8_word {
        std::size_t end = 0;
        std::uint32_t hash = word_hash_seed;
        std::size_t prefix_count = 0; // prefix words it starts with, put in `prefixes`
        bool is_word = true;          // false: a non-ASCII punctuation mark, a separator
    };

    // Reads the word at `start` as UTF-8 (read_char()), hashing its folded
    // bytes, and looks up the prefix words it starts with. An ideograph is a
    // word by itself. It returns what it read rather than setting the scan's
    // variables through references: with their addresses taken, the compiler
    // kept the scan's position and hash in memory, for every word.
    constexpr utf8_word read_utf8_word(std::string_view text, std::size_t start, std::uint16_t* prefixes) const noexcept {
        std::size_t i = start;
        std::uint32_t h = word_hash_seed;
        std::size_t prefix_count = 0;
        // The scan calls this at an ASCII letter or digit or at a byte >=
        // 0x80: only the latter needs a closer look before the loop.
        if (static_cast<unsigned char>(text[i]) >= 0x80) {
            const text_char lead = read_char(text, i);
            if (lead.kind == char_kind::separator) return {i + lead.consumed, h, 0, false};
            if (lead.kind == char_kind::ideograph) {
                for (std::size_t k = 0; k < lead.size; ++k) h = word_hash_step(h, lead.bytes[k]);
                return {i + lead.consumed, h, 0, true};
            }
        }
        std::size_t length = 0; // folded bytes so far
        char first = canonical_separator, second = canonical_separator;
        auto add = [&](char folded) {
            h = word_hash_step(h, folded);
            if (length == 0) first = folded;
            if (length == 1) second = folded;
            ++length;
        };
        while (i < text.size()) {
            // ASCII and two-byte letters (Latin, Greek, Cyrillic) read here as
            // read_char() reads them; the rest through it.
            const auto b0 = static_cast<unsigned char>(text[i]);
            if (b0 < 0x80) {
                const char folded = canonical_table[b0];
                if (folded == canonical_separator) break;
                add(folded);
                ++i;
            } else if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < text.size() &&
                       is_continuation(static_cast<unsigned char>(text[i + 1]))) {
                const std::uint32_t cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
                if ((cp >= 0xA0 && cp < 0xC0) || cp == 0xD7 || cp == 0xF7) break; // punctuation: a separator
                const std::uint32_t f = fold_code_point(cp);
                add(static_cast<char>(0xC0 | (f >> 6)));
                add(static_cast<char>(0x80 | (f & 0x3F)));
                i += 2;
            } else {
                const text_char d = read_char(text, i);
                if (d.kind != char_kind::letter) break;
                for (std::size_t k = 0; k < d.size; ++k) add(d.bytes[k]);
                i += d.consumed;
            }
            if (length <= max_prefix_length && ((tree_.prefix_lengths >> length) & 1u) != 0 &&
                (length < 2 || may_start_prefix(first, second)) && prefix_screened(h) &&
                prefix_count < max_prefix_hits) {
                const std::uint16_t t = find_token(h, text, start, i, true, false);
                if (t != no_token) prefixes[prefix_count++] = t;
            }
        }
        return {i, h, prefix_count, true};
    }

    template <typename Bits> // the generated tables' arrays, a run-time rule set's vectors
    static constexpr bool bit_set(const Bits& bits, std::size_t b) noexcept {
        return ((bits[b / 64] >> (b % 64)) & 1u) != 0;
    }
    constexpr bool screened(std::uint32_t h) const noexcept { return bit_set(tree_.screen, screen_bit(h)); }
    // With no phrase in progress: the words that start one only.
    constexpr bool start_screened(std::uint32_t h) const noexcept { return bit_set(tree_.start_screen, screen_bit(h)); }
    constexpr bool prefix_screened(std::uint32_t h) const noexcept { return bit_set(tree_.screen, prefix_screen_bit(h)); }

    // The token whose text equals text[begin, end) folded, of the kind asked for.
    // `ascii`: the word is known to be ASCII, so it equals a token only if
    // it is as long.
    constexpr std::uint16_t find_token(std::uint32_t h, std::string_view text, std::size_t begin, std::size_t end,
                                       bool prefix, bool ascii) const noexcept {
        const std::size_t mask = tree_.slot_hash.size() - 1;
        for (std::size_t s = h & mask;; s = (s + 1) & mask) {
            const std::uint16_t t1 = tree_.slot_token[s];
            if (t1 == 0) return no_token;
            if (tree_.slot_hash[s] != static_cast<std::uint8_t>(h >> 24)) continue;
            const std::uint16_t t = static_cast<std::uint16_t>(t1 - 1);
            if ((t >= tree_.exact_tokens) != prefix) continue;
            const std::string_view candidate = tree_.token_text(t);
            if (ascii) {
                if (candidate.size() == end - begin && same_ascii_word(text, begin, candidate)) return t;
                continue;
            }
            if (folded_equals(text, begin, end, candidate)) return t;
        }
    }

    // find_token() for the common case, a whole word of ASCII letters and
    // digits: small enough to be inlined in the scan loop.
    constexpr std::uint16_t find_ascii_word(std::uint32_t h, std::string_view text, std::size_t begin,
                                            std::size_t end) const noexcept {
        const std::size_t mask = tree_.slot_hash.size() - 1;
        const auto check = static_cast<std::uint8_t>(h >> 24);
        for (std::size_t s = h & mask;; s = (s + 1) & mask) {
            const std::uint16_t t1 = tree_.slot_token[s];
            if (t1 == 0) return no_token;
            if (tree_.slot_hash[s] != check) continue;
            const auto t = static_cast<std::uint16_t>(t1 - 1);
            if (t >= tree_.exact_tokens) continue;
            const std::size_t offset = tree_.token_offset[t];
            if (tree_.token_offset[t + 1] - offset != end - begin) continue;
            if (same_ascii_word(text, begin, std::string_view(tree_.token_chars.data() + offset, end - begin)))
                return t;
        }
    }

    // Whether the word text[begin, begin + token.size()), ASCII letters and
    // digits only, equals `token` folded. Such bytes fold by setting bit 0x20
    // ('A' 0x41 is 'a' 0x61; digits and lower case have it), so a word of up
    // to eight bytes is compared in one step where both sides can be read
    // eight bytes at a time; most phrase words are that short.
    constexpr bool same_ascii_word(std::string_view text, std::size_t begin, std::string_view token) const noexcept {
        const std::size_t n = token.size();
        const std::string_view stored(tree_.token_chars.data(), tree_.token_chars.size());
        const auto at = static_cast<std::size_t>(token.data() - stored.data());
        if (n <= 8 && begin + 8 <= text.size() && at + 8 <= stored.size()) {
            const std::uint64_t mask = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
            const std::uint64_t word = load_bytes_le(text, begin) | 0x2020202020202020ull;
            return ((word ^ load_bytes_le(stored, at)) & mask) == 0;
        }
        for (std::size_t k = 0; k < n; ++k)
            if (canonical_table[static_cast<unsigned char>(text[begin + k])] != token[k]) return false;
        return true;
    }

    static constexpr bool folded_equals(std::string_view text, std::size_t begin, std::size_t end,
                                        std::string_view candidate) noexcept {
        // A word already in folded form (an ideograph, lower-case letters)
        // equals its token byte for byte; folding keeps folded text as it is.
        if (static_cast<unsigned char>(text[begin]) >= 0x80 && end - begin == candidate.size() &&
            text.substr(begin, end - begin) == candidate)
            return true;
        std::size_t k = 0;
        for (std::size_t i = begin; i < end;) {
            const auto b = static_cast<unsigned char>(text[i]);
            if (b < 0x80) {
                if (k >= candidate.size() || canonical_table[b] != candidate[k]) return false;
                ++k;
                ++i;
                continue;
            }
            const text_char d = read_char(text, i);
            for (std::size_t m = 0; m < d.size; ++m, ++k)
                if (k >= candidate.size() || d.bytes[m] != candidate[k]) return false;
            i += d.consumed;
        }
        return k == candidate.size();
    }

    // The node reached from `node` by `token`, or 0 (the root is never a target).
    constexpr std::uint16_t child(std::uint16_t node, std::uint16_t token) const noexcept {
        if (node == 0) return tree_.root_child[token];
        std::size_t lo = tree_.first_edge[node], hi = tree_.first_edge[node + 1];
        if (hi - lo <= 8) { // most nodes have a few edges: a walk mispredicts less than a search
            for (; lo < hi; ++lo)
                if (tree_.edge_token[lo] == token) return tree_.edge_target[lo];
            return 0;
        }
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (tree_.edge_token[mid] < token)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < tree_.first_edge[node + 1] && tree_.edge_token[lo] == token ? tree_.edge_target[lo] : 0;
    }

    // The opacity of the last chunks looked at: matches come in text order,
    // so each chunk is read about once however many phrases end in it.
    struct opacity_cache {
        std::size_t begin[2] = {1, 1}, end[2] = {0, 0}; // empty ranges
        chunk_kind kind[2] = {chunk_kind::prose, chunk_kind::prose};
        std::size_t next = 0;
    };

    // The kind of the chunk holding text[at]; `chunk_end` is set to where it ends.
    static constexpr chunk_kind kind_at(std::string_view text, std::size_t at, opacity_cache& cache,
                                        std::size_t& chunk_end) noexcept {
        for (std::size_t k = 0; k < 2; ++k)
            if (at >= cache.begin[k] && at < cache.end[k]) {
                chunk_end = cache.end[k];
                return cache.kind[k];
            }
        std::size_t b = at, e = at;
        while (b > 0 && !is_chunk_boundary(text, b - 1)) --b;
        while (e < text.size() && !is_chunk_boundary(text, e)) ++e;
        if (e == at) ++e; // text[at] is a boundary itself (a ':'): a chunk of its own
        const std::size_t k = cache.next;
        cache.next ^= 1u;
        cache.begin[k] = b;
        cache.end[k] = e;
        cache.kind[k] = kind_of_chunk(text.substr(b, e - b));
        chunk_end = e;
        return cache.kind[k];
    }

    // Whether [begin, end) is letters, digits and delimiters only, with a
    // delimiter before it and a chunk boundary after it: then every chunk it
    // touches is letters and digits (and perhaps a last '.'), prose. Most
    // phrases are found in such text, and this tells it in one loop with no
    // branch a byte; touches_opaque() looks at the others chunk by chunk.
    static constexpr bool plain_range(std::string_view text, std::size_t begin, std::size_t end) noexcept {
        if (begin > 0 && !is_chunk_delimiter(text[begin - 1])) return false;
        if (end < text.size() && !is_chunk_delimiter(text[end])) {
            // "unknown." and "rejected:" end a chunk of letters too: a '.' before a
            // delimiter (no host name: nothing follows the dot), a ':' not
            // starting "://" (a chunk boundary).
            const char next = end + 1 < text.size() ? text[end + 1] : ' ';
            if (!(text[end] == '.' && is_chunk_delimiter(next)) && !(text[end] == ':' && next != '/')) return false;
        }
        unsigned unplain = 0;
        for (std::size_t k = begin; k < end; ++k) unplain |= unplain_table[static_cast<unsigned char>(text[k])];
        return unplain == 0;
    }

    // Whether [begin, end) touches a chunk of a kind the phrase may not
    // match in: for most phrases anything but prose; for those that match
    // anywhere (markers, blocklist zones) an e-mail address, whose domain
    // says who the recipient is, not who replied.
    static constexpr bool touches_opaque(std::string_view text, std::size_t begin, std::size_t end, bool anywhere,
                                         opacity_cache& cache) noexcept {
        if (plain_range(text, begin, end)) return false;
        for (std::size_t at = begin; at < end;) {
            // Most words of a phrase are a chunk by themselves, letters and
            // digits between delimiters: prose, with no look at the chunk
            // (kind_at() would find the same bounds and call it prose).
            if (at == 0 || is_chunk_boundary(text, at - 1)) {
                std::size_t e = at;
                while (e < text.size() && is_ascii_alnum(text[e])) ++e;
                if (e > at && (e == text.size() || is_chunk_boundary(text, e))) {
                    at = e;
                    while (at < end && is_chunk_boundary(text, at)) ++at;
                    continue;
                }
            }
            std::size_t chunk_end = at;
            const chunk_kind k = kind_at(text, at, cache, chunk_end);
            if (k == chunk_kind::address || (k == chunk_kind::host && !anywhere)) return true;
            at = chunk_end;
            while (at < end && is_chunk_boundary(text, at)) ++at;
        }
        return false;
    }

    template <class Found, class Wants>
    constexpr void report(std::string_view text, std::uint16_t node, std::size_t begin, std::size_t end,
                          opacity_cache& opacity, Found& found, Wants& wants) const noexcept {
        const std::uint16_t m = tree_.match[node];
        if (m == 0) return;
        const auto id = static_cast<std::uint16_t>((m & ~match_anywhere) - 1);
        if (!wants(id)) return;
        if (touches_opaque(text, begin, end, (m & match_anywhere) != 0, opacity)) return;
        found(phrase_hit{id, begin, end});
    }

    // Moves every phrase in progress, and one starting at this word, on by
    // the word's tokens.
    template <class Found, class Wants>
    constexpr std::size_t step(std::string_view text, walker* walkers, std::size_t n, std::uint16_t exact,
                               const std::uint16_t* prefixes, std::size_t prefix_count, std::size_t word_begin,
                               std::size_t word_end, opacity_cache& opacity, Found& found, Wants& wants) const noexcept {
        // Walkers are replaced in place: walker w writes at most at position w.
        std::size_t kept = 0;
        for (std::size_t w = 0; w <= n; ++w) {
            const walker at = w < n ? walkers[w] : walker{0, word_begin}; // the last round starts from the root
            for (std::size_t p = 0; p < prefix_count; ++p) // a prefix word always ends its phrase
                if (const std::uint16_t c = child(at.node, prefixes[p]); c != 0 && tree_.match[c] != 0)
                    report(text, c, at.begin, word_end, opacity, found, wants);
            if (exact == no_token) continue;
            const std::uint16_t c = child(at.node, exact);
            if (c == 0) continue;
            if (tree_.match[c] != 0) report(text, c, at.begin, word_end, opacity, found, wants);
            if (tree_.first_edge[c] != tree_.first_edge[c + 1] && kept < max_walkers) walkers[kept++] = walker{c, at.begin};
        }
        return kept;
    }

    const Tree& tree_;
};

} // namespace detail
ESC_END_NAMESPACE
