// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of dsn.hpp: decoding addresses, the delivery-status reader and
// writer. Included by dsn.hpp when esc is header-only, compiled once by
// <esc/src.hpp> otherwise (detail/config.hpp).

#include "../dsn.hpp"

ESC_BEGIN_NAMESPACE

namespace detail {

// "\x{HEX}" at `i` (RFC 6533 EmbeddedUnicodeChar): the code point and the
// length of the escape, or {-1, 0}. 1 to 6 hex digits, at most U+10FFFF, no
// surrogate; a reader accepts lower case and leading zeros the ABNF forbids.
struct embedded_char {
    std::int32_t cp = -1;
    std::size_t length = 0;
};

constexpr embedded_char embedded_char_at(std::string_view s, std::size_t i) noexcept {
    if (s.size() - i < 5 || s[i] != '\\' || (s[i + 1] != 'x' && s[i + 1] != 'X') || s[i + 2] != '{') return {};
    std::int32_t cp = 0;
    std::size_t j = i + 3, digits = 0;
    for (; j < s.size() && s[j] != '}'; ++j, ++digits) {
        if (digits == 6) return {};
        int v = -1;
        const char c = s[j];
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) return {};
        cp = cp * 16 + v;
    }
    if (j == s.size() || digits == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
    return {cp, j + 1 - i};
}


// The RFC822 attribute of an X.400 address ("/C=FR/ADMD=.../RFC-822=bob(a)example.com/",
// RFC 2156 4.2), or empty.
constexpr std::string_view x400_rfc822_attribute(std::string_view a) noexcept {
    for (std::string_view key : {std::string_view("/rfc-822="), std::string_view("/rfc822=")}) {
        const std::size_t at = ifind(a, key);
        if (at == std::string_view::npos) continue;
        const std::size_t b = at + key.size();
        const std::size_t e = a.find('/', b);
        return a.substr(b, (e == std::string_view::npos ? a.size() : e) - b);
    }
    return {};
}

// RFC 2156 printable-string escapes: "(a)" '@', "(p)" '%', "(b)" '!',
// "(q)" '"', "(u)" '_', "(l)" '(', "(r)" ')', "(065)" the octet 65.
// Returns the octet and the escape's length, or {0, 0}.
struct x400_escape {
    char c = 0;
    std::size_t length = 0;
};

constexpr x400_escape x400_escape_at(std::string_view s, std::size_t i) noexcept {
    if (s[i] != '(') return {};
    if (s.size() - i >= 3 && s[i + 2] == ')') {
        switch (to_lower(s[i + 1])) {
        case 'a': return {'@', 3};
        case 'p': return {'%', 3};
        case 'b': return {'!', 3};
        case 'q': return {'"', 3};
        case 'u': return {'_', 3};
        case 'l': return {'(', 3};
        case 'r': return {')', 3};
        default: return {};
        }
    }
    if (s.size() - i >= 5 && s[i + 4] == ')' && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3])) {
        const int v = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
        if (v > 0 && v < 128) return {static_cast<char>(v), 5};
    }
    return {};
}



constexpr dsn_field_id dsn_field_of(std::string_view name) noexcept {
    struct entry {
        std::string_view name;
        dsn_field_id id;
    };
    using namespace std::string_view_literals; // a length, not a count at compile time
    constexpr entry names[] = {
        {"Reporting-MTA"sv, dsn_field_id::reporting_mta},
        {"DSN-Gateway"sv, dsn_field_id::dsn_gateway},
        {"Received-From-MTA"sv, dsn_field_id::received_from_mta},
        {"Original-Envelope-Id"sv, dsn_field_id::original_envelope_id},
        {"Arrival-Date"sv, dsn_field_id::arrival_date},
        {"Original-Recipient"sv, dsn_field_id::original_recipient},
        {"Final-Recipient"sv, dsn_field_id::final_recipient},
        {"Action"sv, dsn_field_id::action},
        {"Status"sv, dsn_field_id::status},
        {"Remote-MTA"sv, dsn_field_id::remote_mta},
        {"Diagnostic-Code"sv, dsn_field_id::diagnostic_code},
        {"Last-Attempt-Date"sv, dsn_field_id::last_attempt_date},
        {"Final-Log-ID"sv, dsn_field_id::final_log_id},
        {"Will-Retry-Until"sv, dsn_field_id::will_retry_until},
    };
    for (const entry& e : names)
        if (iequals(name, e.name)) return e.id;
    return dsn_field_id::other;
}

constexpr bool is_recipient_field(dsn_field_id id) noexcept {
    return id >= dsn_field_id::original_recipient;
}

template <class T>
constexpr void set_once(T& slot, const T& value, bool& repeated) noexcept {
    if (slot.empty())
        slot = value;
    else
        repeated = true;
}

// The Status field: a bare code; else a code and a comment or text; else
// (not RFC 3464) a code somewhere in it, as in "550 5.1.1".
constexpr void read_status_field(dsn_recipient_fields& r, std::string_view value) noexcept {
    r.status_text = value;
    const std::string_view head = first_token(value);
    if (const std::optional<status_code> s = parse_status(head)) {
        r.status = s;
        r.warnings.status_not_bare = head.size() != value.size();
        return;
    }
    if (const std::optional<status_match> m = find_status(value)) {
        r.status = std::optional<status_code>(m->status);
        r.warnings.status_not_first = true;
    }
}



// Counts everything, writes what fits.
struct bounded_sink {
    char* out;
    char* last;
    std::size_t size = 0;
    bool global = false; // message/global-delivery-status: UTF-8 allowed

    constexpr void put(char c) noexcept {
        if (out != last) *out++ = c;
        ++size;
    }
    constexpr void put(std::string_view s) noexcept {
        for (char c : s) put(c);
    }
};

constexpr bool is_control(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f;
}

// A value for a field that is one word or a few (an address, a host name,
// an envelope id): no control characters, no line breaks.
constexpr bool is_plain_value(std::string_view v) noexcept {
    for (char c : v)
        if (is_control(c) || is_line_break(c)) return false;
    return true;
}

constexpr bool is_text_value(std::string_view v) noexcept {
    for (char c : v)
        if (is_control(c)) return false;
    return true;
}

// Writes "Name: prefix words...", folding before a blank so that no line
// exceeds 78 characters where the words allow it. Line breaks in the text (a
// multi-line SMTP reply, a folded field read back) become single blanks
// first: a value can never start a field of its own. Other blanks are kept.
class folded_field_writer {
public:
    constexpr folded_field_writer(bounded_sink& sink, std::string_view name) noexcept
        : sink_(sink), column_(name.size() + 1) {
        sink_.put(name);
        sink_.put(':');
    }

    // A word of `size` octets that `write(sink)` puts, checked by the caller.
    template <class Write>
    constexpr dsn_write_error word_of(std::string_view sep, std::size_t size, Write&& write) noexcept {
        const std::size_t width = sep.size() + size;
        // The first word cannot move to a line of its own: it follows the name.
        if ((words_ == 0 ? column_ : 0) + width > dsn_hard_line_limit) return dsn_write_error::word_too_long;
        if (words_ != 0 && column_ + width > dsn_line_limit) {
            sink_.put("\r\n");
            column_ = 0;
        }
        sink_.put(sep);
        write(sink_);
        column_ += width;
        ++words_;
        return dsn_write_error::none;
    }

    // One word and the blanks before it; `tail`, when not 0, ends the word.
    constexpr dsn_write_error word(std::string_view sep, std::string_view w, char tail = 0) noexcept {
        // Every word of every field passes here: the one place to keep
        // non-ASCII out of a 7-bit body and ill-formed UTF-8 out of any.
        if (!is_ascii(w)) {
            if (!sink_.global) return dsn_write_error::not_ascii;
            if (!is_well_formed_utf8(w)) return dsn_write_error::bad_value;
        }
        return word_of(sep, w.size() + (tail != 0 ? 1 : 0), [&](bounded_sink& out) {
            out.put(w);
            if (tail != 0) out.put(tail);
        });
    }

    constexpr dsn_write_error text(std::string_view t) noexcept {
        t = trim_space(t);
        std::size_t i = 0;
        while (i < t.size()) {
            const std::size_t sep_begin = i;
            bool had_break = false;
            while (i < t.size() && is_space(t[i])) {
                had_break = had_break || is_line_break(t[i]);
                ++i;
            }
            std::string_view sep = t.substr(sep_begin, i - sep_begin);
            if (had_break || sep.empty()) sep = " ";
            const std::size_t word_begin = i;
            while (i < t.size() && !is_space(t[i])) ++i;
            const dsn_write_error e = word(sep, t.substr(word_begin, i - word_begin));
            if (e != dsn_write_error::none) return e;
        }
        return dsn_write_error::none;
    }

    constexpr void finish() noexcept { sink_.put("\r\n"); }

private:
    bounded_sink& sink_;
    std::size_t column_;
    std::size_t words_ = 0;
};

constexpr dsn_write_error write_folded_field(bounded_sink& sink, std::string_view name, std::string_view prefix,
                                             std::string_view text) noexcept {
    folded_field_writer w(sink, name);
    dsn_write_error e = dsn_write_error::none;
    if (!prefix.empty()) e = w.word(" ", prefix);
    if (e == dsn_write_error::none) e = w.text(text);
    w.finish();
    return e;
}

constexpr dsn_write_error write_plain_field(bounded_sink& sink, std::string_view name, std::string_view prefix,
                                            std::string_view value) noexcept {
    if (!is_plain_value(value)) return dsn_write_error::bad_value;
    return write_folded_field(sink, name, prefix, value);
}

// "type; value" as given.
constexpr dsn_write_error write_typed_field_as_given(bounded_sink& sink, std::string_view name, const typed_value& v,
                                                     bool text) noexcept {
    const std::string_view type = v.type;
    if (!is_plain_value(type) || type.find(';') != std::string_view::npos) return dsn_write_error::bad_value;
    if (text ? !is_text_value(v.value) : !is_plain_value(v.value)) return dsn_write_error::bad_value;
    folded_field_writer w(sink, name);
    dsn_write_error e = w.word(" ", type, ';'); // "type;" is one word: never folded apart
    if (e == dsn_write_error::none) e = w.text(v.value);
    w.finish();
    return e;
}

// "type; value" with the type defaulted.
constexpr dsn_write_error write_typed_field(bounded_sink& sink, std::string_view name, const typed_value& v,
                                            std::string_view default_type, bool text) noexcept {
    return write_typed_field_as_given(sink, name, typed_value{v.type.empty() ? default_type : v.type, v.value}, text);
}

// --- addresses ---------------------------------------------------------------

// RFC 5322 atext, and (RFC 6532) any non-ASCII octet of well-formed UTF-8.
constexpr bool is_atext(char c) noexcept {
    if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '/':
    case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}': case '~':
        return true;
    default:
        return false;
    }
}

constexpr bool is_dot_atom(std::string_view s) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
    for (char c : s)
        if (c != '.' && !is_atext(c)) return false;
    return true;
}

// A quoted-string local part as written: "..." with quoted-pairs inside.
constexpr bool is_quoted_string(std::string_view s) noexcept {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\') {
            if (++i + 1 >= s.size()) return false; // the closing quote escaped
        } else if (s[i] == '"') {
            return false;
        }
    }
    return true;
}

constexpr bool is_domain(std::string_view d) noexcept {
    if (d.size() >= 2 && d.front() == '[' && d.back() == ']') { // an address literal
        for (char c : d.substr(1, d.size() - 2))
            if (c == '[' || c == ']' || c == '\\' || is_space(c)) return false;
        return true;
    }
    if (d.empty() || d.front() == '.' || d.back() == '.' || d.find("..") != std::string_view::npos) return false;
    for (char c : d)
        if (!is_alnum(c) && c != '-' && c != '.' && static_cast<unsigned char>(c) < 0x80) return false;
    return true;
}

// An address as the writer puts it: local-part@domain, the local part
// quoted when it is not a dot-atom (a blank or a comma in it).
struct address_spec {
    std::string_view local, domain;
    bool quote = false; // the local part needs quoting
    bool ok = false;
};

constexpr address_spec split_address(std::string_view a) noexcept {
    address_spec s;
    std::size_t at = std::string_view::npos;
    if (!a.empty() && a.front() == '"') { // the '@' after the closing quote
        for (std::size_t i = 1; i < a.size(); ++i) {
            if (a[i] == '\\') ++i;
            else if (a[i] == '"') {
                at = i + 1;
                break;
            }
        }
        if (at >= a.size() || a[at] != '@') return s;
    } else {
        at = a.rfind('@');
        if (at == std::string_view::npos) return s;
    }
    s.local = a.substr(0, at);
    s.domain = a.substr(at + 1);
    if (s.local.empty() || !is_domain(s.domain)) return s;
    if (!is_dot_atom(s.local) && !is_quoted_string(s.local)) {
        for (char c : s.local)
            if (is_control(c) || is_line_break(c)) return s;
        s.quote = true;
    }
    s.ok = true;
    return s;
}

// Calls put(c) for each character of the address spec, the local part
// quoted (with quoted-pairs) where it must be.
template <class Put>
constexpr void for_each_address_char(const address_spec& s, Put&& put) noexcept {
    if (s.quote) {
        put('"');
        for (char c : s.local) {
            if (c == '"' || c == '\\') put('\\');
            put(c);
        }
        put('"');
    } else {
        for (char c : s.local) put(c);
    }
    put('@');
    for (char c : s.domain) put(c);
}

// RFC 6533 QCHAR: printable ASCII but '\\', '+' and '='.
constexpr bool is_qchar(std::int32_t cp) noexcept {
    return cp >= 0x21 && cp <= 0x7E && cp != '\\' && cp != '+' && cp != '=';
}

constexpr std::size_t hex_digits(std::int32_t cp) noexcept {
    std::size_t n = 2; // the ABNF's HEXPOINT: at least two digits, no other leading zero
    while (n < 6 && (static_cast<std::uint32_t>(cp) >> (4 * n)) != 0) ++n;
    return n;
}

// Writes "Name: rfc822; local@domain" or, for an address with non-ASCII
// characters or a "utf-8" type, "Name: utf-8; ..." with RFC 6533 escapes
// ("\\x{E9}") for what a 7-bit body cannot carry (a global body keeps UTF-8
// as is) and for '\\', '+', '=' and blanks. The address is one word: never
// folded. Other address types are written as given.
constexpr dsn_write_error write_address_field(bounded_sink& sink, std::string_view name, const typed_value& v,
                                              bool text_type) noexcept {
    const std::string_view a = address_of(v);
    const std::string_view type = v.type.empty() ? "rfc822" : v.type;
    const bool utf8_type = iequals(type, "utf-8");
    if (!utf8_type && !iequals(type, "rfc822"))
        return write_typed_field_as_given(sink, name, typed_value{type, a}, text_type);
    if (!is_plain_value(a)) return dsn_write_error::bad_value;
    if (!is_well_formed_utf8(a)) return dsn_write_error::bad_address;
    const address_spec spec = split_address(a);
    if (!spec.ok) return dsn_write_error::bad_address;
    const bool as_utf8 = utf8_type || !is_ascii(a);
    // The address as written, character by character, into `put`: twice,
    // once to measure it and once to write it.
    auto emit = [&](auto&& put) {
        if (!as_utf8) {
            for_each_address_char(spec, put);
            return;
        }
        // Decoding the spec's octets back into code points: the quoting
        // added only ASCII, so a character is never split.
        std::int32_t pending = 0;
        int needed = 0;
        auto encode = [&](std::int32_t cp, std::string_view raw) {
            if (is_qchar(cp) || (sink.global && cp >= 0x80)) {
                for (char c : raw) put(c);
                return;
            }
            put('\\');
            put('x');
            put('{');
            constexpr char hex[] = "0123456789ABCDEF";
            for (std::size_t d = hex_digits(cp); d-- > 0;) put(hex[(static_cast<std::uint32_t>(cp) >> (4 * d)) & 0xF]);
            put('}');
        };
        char raw[4] = {};
        std::size_t raw_size = 0;
        for_each_address_char(spec, [&](char c) {
            const auto u = static_cast<unsigned char>(c);
            if (needed == 0) {
                raw_size = 0;
                raw[raw_size++] = c;
                if (u < 0x80) {
                    encode(u, std::string_view(raw, 1));
                    return;
                }
                needed = u >= 0xF0 ? 3 : u >= 0xE0 ? 2 : 1;
                pending = u & (u >= 0xF0 ? 0x07 : u >= 0xE0 ? 0x0F : 0x1F);
                return;
            }
            raw[raw_size++] = c;
            pending = (pending << 6) | (u & 0x3F);
            if (--needed == 0) encode(pending, std::string_view(raw, raw_size));
        });
    };
    std::size_t size = 0;
    emit([&](char) { ++size; });
    folded_field_writer w(sink, name);
    dsn_write_error e = w.word(" ", as_utf8 ? std::string_view("utf-8") : type, ';');
    if (e == dsn_write_error::none) e = w.word_of(" ", size, [&](bounded_sink& out) { emit([&](char c) { out.put(c); }); });
    w.finish();
    return e;
}

constexpr bool action_matches(dsn_action a, status_class c) noexcept {
    switch (a) {
    case dsn_action::failed: return c == status_class::permanent || c == status_class::transient;
    case dsn_action::delayed: return c == status_class::transient;
    case dsn_action::delivered:
    case dsn_action::relayed:
    case dsn_action::expanded: return c == status_class::success;
    default: return false;
    }
}

} // namespace detail

// --- fields -----------------------------------------------------------------

ESC_DECL std::optional<header_field> find_field(std::string_view block, std::string_view name) noexcept {
    for (const header_field& f : header_fields(block))
        if (detail::iequals(f.name, name)) return f;
    return std::nullopt;
}

// --- decoding addresses -----------------------------------------------------

ESC_DECL std::string_view decode_address(const typed_value& v, char* first, char* last) noexcept {
    const std::string_view a = address_of(v);
    // An X.400 address (any type: gateways write it under rfc822 too): its
    // RFC822 attribute, the escapes of RFC 2156 undone.
    if (const std::string_view x = detail::x400_rfc822_attribute(a); !x.empty()) {
        char* out = first;
        for (std::size_t i = 0; i < x.size();) {
            const detail::x400_escape e = detail::x400_escape_at(x, i);
            if (out == last) return a;
            *out++ = e.length != 0 ? e.c : x[i];
            i += e.length != 0 ? e.length : 1;
        }
        return std::string_view(first, static_cast<std::size_t>(out - first));
    }
    if (a.find("\\x{") == std::string_view::npos && a.find("\\X{") == std::string_view::npos) return a;
    char* out = first;
    for (std::size_t i = 0; i < a.size();) {
        const detail::embedded_char e = detail::embedded_char_at(a, i);
        if (e.length != 0) {
            const std::size_t n = detail::put_utf8(e.cp, out, last);
            if (n == 0) return a;
            out += n;
            i += e.length;
            continue;
        }
        if (out == last) return a;
        *out++ = a[i++];
    }
    return std::string_view(first, static_cast<std::size_t>(out - first));
}

// --- reading ----------------------------------------------------------------

ESC_DECL delivery_status_reader::delivery_status_reader(std::string_view body) noexcept : body_(body) { read_message_group(); }

ESC_DECL bool delivery_status_reader::next(dsn_recipient_fields& out) noexcept {
    while (true) {
        bool separated = after_blank_;
        skip_blank_lines(separated);
        if (pos_ >= body_.size()) return false;
        out = dsn_recipient_fields{};
        const std::size_t start = pos_;
        bool any_recipient_field = false;
        read_group_fields(out, any_recipient_field);
        if (!any_recipient_field) { // a stray group (X- fields only, a repeated Arrival-Date, ...)
            if (pos_ == start) { // cannot happen: every scan advances; belt and braces
                pos_ = body_.size();
                return false;
            }
            warnings_.skipped_groups = true;
            continue;
        }
        out.offset = start;
        out.raw = body_.substr(start, group_end_ - start);
        out.warnings.not_separated = !separated;
        out.warnings.no_final_recipient = out.final_recipient.empty();
        out.warnings.no_action = out.action == dsn_action::none;
        out.warnings.unknown_action = out.action == dsn_action::unknown;
        out.warnings.no_status = !out.status;
        return true;
    }
}

ESC_DECL void delivery_status_reader::skip_blank_lines(bool& separated) noexcept {
    while (pos_ < body_.size()) {
        const detail::mail_line line = detail::next_mail_line(body_, pos_);
        if (!detail::is_blank_line(line.content)) return;
        separated = true;
        pos_ = line.next;
    }
}

ESC_DECL void delivery_status_reader::read_message_group() noexcept {
    bool separated = false;
    skip_blank_lines(separated);
    const std::size_t start = pos_;
    message_.offset = start;
    std::size_t end = start;
    while (pos_ < body_.size()) {
        const detail::scanned_field f = detail::scan_field(body_, pos_);
        if (f.kind == detail::field_scan::blank) {
            pos_ = f.next;
            after_blank_ = true;
            break;
        }
        if (f.kind == detail::field_scan::end) break;
        if (f.kind == detail::field_scan::malformed) {
            note_malformed(f.begin);
            pos_ = end = f.next;
            continue;
        }
        has_fields_ = true;
        const detail::dsn_field_id id = detail::dsn_field_of(f.name);
        if (detail::is_recipient_field(id)) { // no per-message group, or no blank line after it
            after_blank_ = false;
            break;
        }
        apply_message_field(id, f.value);
        pos_ = end = f.next;
    }
    message_.raw = body_.substr(start, end - start);
    warnings_.no_message_group = end == start;
    warnings_.no_reporting_mta = message_.reporting_mta.empty();
}

ESC_DECL void delivery_status_reader::apply_message_field(detail::dsn_field_id id, std::string_view value) noexcept {
    using detail::dsn_field_id;
    bool& rep = message_.repeated_field;
    switch (id) {
    case dsn_field_id::reporting_mta: detail::set_once(message_.reporting_mta, parse_typed_value(value), rep); break;
    case dsn_field_id::dsn_gateway: detail::set_once(message_.dsn_gateway, parse_typed_value(value), rep); break;
    case dsn_field_id::received_from_mta:
        detail::set_once(message_.received_from_mta, parse_typed_value(value), rep);
        break;
    case dsn_field_id::original_envelope_id: detail::set_once(message_.original_envelope_id, value, rep); break;
    case dsn_field_id::arrival_date: detail::set_once(message_.arrival_date, value, rep); break;
    default: ++message_.extension_fields; break;
    }
}

ESC_DECL void delivery_status_reader::read_group_fields(dsn_recipient_fields& r, bool& any_recipient_field) noexcept {
    using detail::dsn_field_id;
    group_end_ = pos_;
    after_blank_ = false;
    bool recipient_first = false; // the group's first per-recipient field names the recipient
    while (pos_ < body_.size()) {
        const detail::scanned_field f = detail::scan_field(body_, pos_);
        if (f.kind == detail::field_scan::blank) {
            pos_ = f.next;
            after_blank_ = true;
            return;
        }
        if (f.kind == detail::field_scan::end) return;
        if (f.kind == detail::field_scan::malformed) {
            note_malformed(f.begin);
            pos_ = group_end_ = f.next;
            continue;
        }
        has_fields_ = true;
        const dsn_field_id id = detail::dsn_field_of(f.name);
        // Groups run together: once the group names its recipient, a
        // second Final-Recipient or Original-Recipient naming another
        // address starts the next one. So does a second Action or Status,
        // but only in a group written with them before the recipient
        // ("Action, Status, Original-Recipient, Final-Recipient"): where the
        // recipient comes first, a second Action is a repeated field in the
        // same group, and splitting there would make a recipient of nobody.
        const bool names_recipient = !r.final_recipient.empty() || !r.original_recipient.empty();
        auto other_address = [&](const typed_value& held) {
            return !held.empty() && !detail::iequals(address_of(held), address_of(parse_typed_value(f.value)));
        };
        const bool starts_next =
            names_recipient && ((id == dsn_field_id::final_recipient && other_address(r.final_recipient)) ||
                                (id == dsn_field_id::original_recipient && other_address(r.original_recipient)) ||
                                (!recipient_first && id == dsn_field_id::action && !r.action_text.empty()) ||
                                (!recipient_first && id == dsn_field_id::status && !r.status_text.empty()));
        if (starts_next) return;
        if (detail::is_recipient_field(id)) {
            if (!any_recipient_field)
                recipient_first = id == dsn_field_id::final_recipient || id == dsn_field_id::original_recipient;
            any_recipient_field = true;
        }
        apply_recipient_field(r, id, f.value);
        pos_ = group_end_ = f.next;
    }
}

ESC_DECL void delivery_status_reader::apply_recipient_field(dsn_recipient_fields& r, detail::dsn_field_id id,
                                            std::string_view value) noexcept {
    using detail::dsn_field_id;
    bool& rep = r.warnings.repeated_field;
    switch (id) {
    case dsn_field_id::original_recipient:
        detail::set_once(r.original_recipient, parse_typed_value(value), rep);
        break;
    case dsn_field_id::final_recipient: detail::set_once(r.final_recipient, parse_typed_value(value), rep); break;
    case dsn_field_id::action:
        if (!r.action_text.empty()) {
            rep = true;
            break;
        }
        r.action_text = value;
        r.action = parse_dsn_action(value);
        break;
    case dsn_field_id::status:
        if (!r.status_text.empty()) {
            rep = true;
            break;
        }
        detail::read_status_field(r, value);
        break;
    case dsn_field_id::remote_mta: detail::set_once(r.remote_mta, parse_typed_value(value), rep); break;
    case dsn_field_id::diagnostic_code: detail::set_once(r.diagnostic_code, parse_typed_value(value), rep); break;
    case dsn_field_id::last_attempt_date: detail::set_once(r.last_attempt_date, value, rep); break;
    case dsn_field_id::final_log_id: detail::set_once(r.final_log_id, value, rep); break;
    case dsn_field_id::will_retry_until: detail::set_once(r.will_retry_until, value, rep); break;
    default: ++r.extension_fields; break;
    }
}

ESC_DECL dsn_report parse_delivery_status(std::string_view body, dsn_recipient_fields* storage,
                                           std::size_t capacity) noexcept {
    delivery_status_reader reader(body);
    dsn_report report;
    report.recipients = storage;
    dsn_recipient_fields r;
    while (reader.next(r)) {
        if (report.count < capacity) storage[report.count++] = r;
        ++report.total;
    }
    report.message = reader.message();
    report.warnings = reader.warnings();
    if (!reader.has_fields())
        report.error = dsn_error::empty;
    else if (report.total == 0)
        report.error = dsn_error::no_recipients;
    else if (report.total > report.count)
        report.error = dsn_error::storage_full;
    return report;
}

// --- writing ----------------------------------------------------------------

ESC_DECL dsn_write_result write_delivery_status(char* first, char* last, const dsn_message_fields& message,
                                                 const dsn_recipient_fields* recipients, std::size_t count,
                                                 dsn_body_type body) noexcept {
    dsn_write_result result;
    if (count == 0) {
        result.error = dsn_write_error::no_recipients;
        return result;
    }
    if (address_of(message.reporting_mta).empty()) {
        result.error = dsn_write_error::no_reporting_mta;
        return result;
    }
    detail::bounded_sink sink{first, last};
    sink.global = body == dsn_body_type::global;
    dsn_write_error e = dsn_write_error::none;
    auto step = [&](dsn_write_error r) {
        if (e == dsn_write_error::none) e = r;
    };
    step(detail::write_typed_field(sink, "Reporting-MTA", message.reporting_mta, "dns", false));
    if (!message.dsn_gateway.value.empty())
        step(detail::write_typed_field(sink, "DSN-Gateway", message.dsn_gateway, "dns", false));
    if (!message.received_from_mta.value.empty())
        step(detail::write_typed_field(sink, "Received-From-MTA", message.received_from_mta, "dns", false));
    if (!message.original_envelope_id.empty())
        step(detail::write_plain_field(sink, "Original-Envelope-Id", {}, message.original_envelope_id));
    if (!message.arrival_date.empty()) {
        if (!detail::is_text_value(message.arrival_date)) step(dsn_write_error::bad_value);
        step(detail::write_folded_field(sink, "Arrival-Date", {}, message.arrival_date));
    }
    if (e != dsn_write_error::none) {
        result.error = e;
        return result;
    }
    for (std::size_t i = 0; i < count; ++i) {
        const dsn_recipient_fields& r = recipients[i];
        auto fail = [&](dsn_write_error err) {
            result.error = err;
            result.recipient = i;
            return result;
        };
        if (address_of(r.final_recipient).empty()) return fail(dsn_write_error::no_final_recipient);
        if (r.action == dsn_action::none || r.action == dsn_action::unknown) return fail(dsn_write_error::no_action);
        if (!r.status || !is_valid(*r.status)) return fail(dsn_write_error::no_status);
        if (!detail::action_matches(r.action, r.status->cls)) return fail(dsn_write_error::status_mismatch);
        sink.put("\r\n");
        if (!r.original_recipient.value.empty())
            step(detail::write_address_field(sink, "Original-Recipient", r.original_recipient, false));
        step(detail::write_address_field(sink, "Final-Recipient", r.final_recipient, false));
        step(detail::write_plain_field(sink, "Action", {}, to_string(r.action)));
        step(detail::write_plain_field(sink, "Status", {}, to_string(*r.status).view()));
        if (!r.remote_mta.value.empty())
            step(detail::write_typed_field(sink, "Remote-MTA", r.remote_mta, "dns", false));
        if (!r.diagnostic_code.value.empty())
            step(detail::write_typed_field(sink, "Diagnostic-Code", r.diagnostic_code, "smtp", true));
        if (!r.last_attempt_date.empty()) {
            if (!detail::is_text_value(r.last_attempt_date)) step(dsn_write_error::bad_value);
            step(detail::write_folded_field(sink, "Last-Attempt-Date", {}, r.last_attempt_date));
        }
        if (!r.final_log_id.empty()) step(detail::write_plain_field(sink, "Final-Log-ID", {}, r.final_log_id));
        if (!r.will_retry_until.empty()) {
            if (!detail::is_text_value(r.will_retry_until)) step(dsn_write_error::bad_value);
            step(detail::write_folded_field(sink, "Will-Retry-Until", {}, r.will_retry_until));
        }
        if (e != dsn_write_error::none) return fail(e);
    }
    result.size = sink.size;
    if (sink.size > static_cast<std::size_t>(last - first)) result.error = dsn_write_error::buffer_too_small;
    return result;
}

ESC_END_NAMESPACE
