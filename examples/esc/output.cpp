// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include "output.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <sys/ioctl.h>
#include <unistd.h>

namespace esc_cli {

namespace {

// Set while a progress line is on the terminal: a warning, the end of the
// program and SIGINT/SIGTERM must clear it first.
volatile std::sig_atomic_t progress_line_drawn = 0;

void clear_progress_line() {
    if (progress_line_drawn != 0) {
        std::fputs("\r\x1b[K", stderr);
        std::fflush(stderr);
        progress_line_drawn = 0;
    }
}

extern "C" void on_terminating_signal(int sig) {
    if (progress_line_drawn != 0) {
        const char erase[] = "\r\x1b[K";
        (void)!::write(STDERR_FILENO, erase, sizeof erase - 1);
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// COLUMNS when it is a number, else the terminal's size, else 80; never under 40.
int terminal_width(int fd) {
    int w = 0;
    if (const char* c = std::getenv("COLUMNS"); c != nullptr && *c != '\0') {
        char* end = nullptr;
        const long v = std::strtol(c, &end, 10);
        if (end != nullptr && *end == '\0' && v > 0 && v < 100000) w = static_cast<int>(v);
    }
    if (w == 0) {
        winsize ws{};
        if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) w = ws.ws_col;
        else w = 80;
    }
    return std::max(w, 40);
}

// What to call standard output in an error: the file it is, when it is one ("/dev/full").
std::string stdout_name() {
    char target[4096];
    const ssize_t n = ::readlink("/proc/self/fd/1", target, sizeof target - 1);
    if (n > 0 && target[0] == '/') return std::string(target, static_cast<std::size_t>(n));
    return "standard output";
}

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

bool locale_is_utf8() {
    for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* v = std::getenv(name);
        if (v == nullptr || *v == '\0') continue;
        const std::string_view s(v);
        return s.find("UTF-8") != std::string_view::npos || s.find("utf8") != std::string_view::npos ||
               s.find("utf-8") != std::string_view::npos || s.find("UTF8") != std::string_view::npos;
    }
    return false;
}


} // namespace

console console::detect(std::string_view color_mode) {
    console c;
    c.stdout_tty = ::isatty(STDOUT_FILENO) == 1;
    c.stderr_tty = ::isatty(STDERR_FILENO) == 1;
    c.stdin_tty = ::isatty(STDIN_FILENO) == 1;
    c.utf8 = locale_is_utf8();
    if (c.stdout_tty) c.width = terminal_width(STDOUT_FILENO);
    if (c.stderr_tty) c.err_width = terminal_width(STDERR_FILENO);
    if (color_mode == "always") {
        c.color_out = c.color_err = true;
    } else if (color_mode == "auto") {
        const char* term = std::getenv("TERM");
        const bool capable = !env_set("NO_COLOR") && !(term != nullptr && std::strcmp(term, "dumb") == 0);
        c.color_out = capable && c.stdout_tty;
        c.color_err = capable && c.stderr_tty;
    }
    return c;
}

fmt::text_style palette::heading() const { return on ? fmt::emphasis::bold : fmt::text_style{}; }
fmt::text_style palette::code() const {
    return on ? fmt::fg(fmt::terminal_color::bright_cyan) | fmt::emphasis::bold : fmt::text_style{};
}
fmt::text_style palette::label() const { return on ? fmt::fg(fmt::terminal_color::bright_black) : fmt::text_style{}; }
fmt::text_style palette::warning() const { return on ? fmt::fg(fmt::terminal_color::yellow) : fmt::text_style{}; }
fmt::text_style palette::error() const {
    return on ? fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold : fmt::text_style{};
}
fmt::text_style palette::good() const { return on ? fmt::fg(fmt::terminal_color::green) : fmt::text_style{}; }
fmt::text_style palette::outcome(esc::outcome o) const {
    if (!on) return {};
    switch (o) {
    case esc::outcome::success: return fmt::fg(fmt::terminal_color::green);
    case esc::outcome::intermediate: return fmt::fg(fmt::terminal_color::cyan);
    case esc::outcome::transient: return fmt::fg(fmt::terminal_color::yellow);
    case esc::outcome::permanent: return fmt::fg(fmt::terminal_color::red);
    case esc::outcome::unknown: return fmt::fg(fmt::terminal_color::magenta);
    }
    return {};
}

std::string paint(std::string_view text, fmt::text_style style) {
    return fmt::format("{}", fmt::styled(text, style));
}


bool is_valid_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        // ASCII, the common case in logs: 32 bytes at a time, then eight.
        while (i + 32 <= text.size()) {
            std::uint64_t w[4];
            std::memcpy(w, text.data() + i, 32);
            if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull) != 0) break;
            i += 32;
        }
        if (i + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t display_width(std::string_view text) noexcept {
    std::size_t w = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++w;
    return w;
}

std::string truncate_to_width(std::string_view text, std::size_t width, bool utf8) {
    if (display_width(text) <= width) return std::string(text);
    const std::string_view ellipsis = utf8 ? "\xE2\x80\xA6" : "...";
    const std::size_t keep = width > display_width(ellipsis) ? width - display_width(ellipsis) : 0;
    std::size_t cols = 0, i = 0;
    while (i < text.size()) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) != 0x80u) {
            if (cols == keep) break;
            ++cols;
        }
        ++i;
    }
    return std::string(text.substr(0, i)) + std::string(ellipsis);
}

std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
    if (width == 0) return std::string(text);
    std::string out;
    std::size_t col = 0;
    const std::size_t limit = std::max<std::size_t>(width, 4);
    auto new_line = [&] {
        out += '\n';
        out.append(indent, ' ');
        col = indent;
    };
    while (!text.empty()) {
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        const std::size_t end = std::min(text.find(' '), text.size());
        if (end == 0) break;
        std::string_view word = text.substr(0, end);
        text.remove_prefix(end);
        std::size_t w = display_width(word);
        if (col != 0 && col + 1 + w > limit) new_line();
        else if (col != 0) {
            out += ' ';
            ++col;
        }
        // A word wider than the line: cut it where the line ends.
        while (col + w > limit && limit > col) {
            std::size_t cols = 0, i = 0;
            while (i < word.size() && (cols < limit - col || (static_cast<unsigned char>(word[i]) & 0xC0u) == 0x80u)) {
                if ((static_cast<unsigned char>(word[i]) & 0xC0u) != 0x80u) ++cols;
                ++i;
            }
            out.append(word.data(), i);
            word.remove_prefix(i);
            w = display_width(word);
            if (word.empty()) break;
            new_line();
        }
        out.append(word.data(), word.size());
        col += w;
    }
    return out;
}

std::string indented(std::string_view text, std::size_t width, std::size_t indent) {
    const std::string body = wrap(text, width > indent ? width - indent : 0, 0);
    std::string out(indent, ' ');
    for (char c : body) {
        out += c;
        if (c == '\n') out.append(indent, ' ');
    }
    return out;
}

std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
    if (whole == 0) return "-";
    return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string human_bytes(std::uint64_t n) {
    if (n < 1024) return fmt::format("{} B", n);
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n) / 1024.0;
    std::size_t u = 0;
    while (v >= 1024.0 && u + 1 < std::size(units)) {
        v /= 1024.0;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t from = 0;
    do {
        const std::size_t nl = std::min(text.find('\n', from), text.size());
        lines.push_back(text.substr(from, nl - from));
        from = nl + 1;
    } while (from < text.size());
    return lines;
}

} // namespace

std::string table::render(std::string_view indent, fmt::text_style header_style, bool with_header,
                          std::size_t max_width) const {
    const std::size_t n = columns_.size();
    std::vector<std::size_t> widths(n, 0);
    if (with_header)
        for (std::size_t i = 0; i < n; ++i) widths[i] = display_width(columns_[i].header);
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size() && i < n; ++i) widths[i] = std::max(widths[i], display_width(row[i].text));
    // The last column is not padded, an empty one takes no room.
    auto total = [&] {
        std::size_t t = display_width(indent), shown = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (widths[i] != 0 || i + 1 != n) {
                t += widths[i];
                ++shown;
            }
        return t + (shown > 1 ? 2 * (shown - 1) : 0);
    };
    if (max_width != 0) {
        constexpr std::size_t narrowest = 10;
        while (total() > max_width) {
            std::size_t widest = n;
            for (std::size_t i = 0; i < n; ++i)
                if (columns_[i].flexible && widths[i] > narrowest && (widest == n || widths[i] > widths[widest])) widest = i;
            if (widest == n) break;
            widths[widest] = std::max(narrowest, widths[widest] - std::min(widths[widest] - narrowest, total() - max_width));
        }
    }

    std::string out;
    auto emit_line = [&](const std::vector<const cell*>& cells, const std::vector<std::string>& texts) {
        std::string line(indent), plain(indent);
        for (std::size_t i = 0; i < n; ++i) {
            const std::string& t = texts[i];
            const std::size_t pad = widths[i] - std::min(widths[i], display_width(t));
            const bool last = i + 1 == n;
            if (i != 0) {
                line += "  ";
                plain += "  ";
            }
            if (columns_[i].alignment == align::right) {
                line.append(pad, ' ');
                plain.append(pad, ' ');
            }
            if (!t.empty()) {
                line += paint(t, cells[i] != nullptr ? cells[i]->style : fmt::text_style{});
                plain += t;
            }
            if (columns_[i].alignment == align::left && !last) {
                line.append(pad, ' ');
                plain.append(pad, ' ');
            }
        }
        while (!plain.empty() && plain.back() == ' ') {
            plain.pop_back();
            if (!line.empty() && line.back() == ' ') line.pop_back();
        }
        if (max_width != 0 && display_width(plain) > max_width) line = truncate_to_width(plain, max_width, false);
        out += line;
        out += '\n';
    };
    auto emit = [&](const std::vector<cell>& row) {
        std::vector<std::vector<std::string>> parts(n);
        std::vector<const cell*> cells(n, nullptr);
        std::size_t height = 1;
        for (std::size_t i = 0; i < n; ++i) {
            if (i < row.size()) cells[i] = &row[i];
            const std::string text = i < row.size() ? row[i].text : std::string();
            if (max_width != 0 && columns_[i].flexible && display_width(text) > widths[i])
                parts[i] = split_lines(wrap(text, widths[i], 0));
            else
                parts[i] = {text};
            height = std::max(height, parts[i].size());
        }
        for (std::size_t k = 0; k < height; ++k) {
            std::vector<std::string> texts(n);
            for (std::size_t i = 0; i < n; ++i) texts[i] = k < parts[i].size() ? parts[i][k] : std::string();
            emit_line(cells, texts);
        }
    };
    std::size_t next_span = 0;
    auto spans_after = [&](std::size_t rows_done) {
        for (; next_span < spans_.size() && spans_[next_span].after == rows_done; ++next_span) {
            const span& sp = spans_[next_span];
            std::size_t offset = display_width(indent);
            for (std::size_t i = 0; i < sp.from && i < n; ++i) offset += widths[i] + 2;
            const std::size_t room = max_width > offset + 10 ? max_width - offset : (max_width == 0 ? 0 : 10);
            for (const std::string& l : split_lines(wrap(sp.text.text, room, 0)))
                out += std::string(offset, ' ') + paint(l, sp.text.style) + "\n";
        }
    };
    if (with_header) {
        std::vector<cell> header;
        for (const auto& c : columns_) header.emplace_back(c.header, header_style);
        emit(header);
    }
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        emit(rows_[r]);
        spans_after(r + 1);
    }
    return out;
}

std::string bar(std::uint64_t part, std::uint64_t whole, std::size_t width, bool utf8) {
    if (whole == 0 || width == 0) return {};
    // Eighths of a cell with UTF-8 block elements; whole cells of '#' otherwise.
    const double fraction = static_cast<double>(part) / static_cast<double>(whole);
    if (!utf8) {
        auto cells = static_cast<std::size_t>(fraction * static_cast<double>(width) + 0.5);
        if (cells == 0 && part != 0) cells = 1;
        return std::string(cells, '#');
    }
    auto eighths = static_cast<std::size_t>(fraction * static_cast<double>(width) * 8.0 + 0.5);
    if (eighths == 0 && part != 0) eighths = 1;
    static constexpr const char* partial[] = {"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"};
    std::string out;
    for (std::size_t i = 0; i < eighths / 8; ++i) out += "\u2588";
    out += partial[eighths % 8];
    return out;
}

std::string json_line(const nlohmann::ordered_json& value) {
    std::string s = value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    s += '\n';
    return s;
}

void append_json_string(std::string& out, std::string_view text, bool as_printable) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    const char* const data = text.data();
    std::size_t i = 0, run = 0; // run: the plain bytes from i - run, copied at once
    auto spill = [&] {
        out.append(data + i - run, run);
        run = 0;
    };
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(data[i]);
        if (b >= 0x20 && b != '"' && b != '\\' && b < 0x7F) {
            ++i;
            ++run;
            continue;
        }
        if (b == '"' || b == '\\') {
            spill();
            out += '\\';
            out += static_cast<char>(b);
            ++i;
        } else if (b < 0x20 || b == 0x7F) {
            spill();
            if (as_printable) {
                out += b == '\t' ? ' ' : '?';
            } else if (b == 0x7F) {
                out += static_cast<char>(b);
            } else {
                switch (b) {
                case '\b': out += "\\b"; break;
                case '\t': out += "\\t"; break;
                case '\n': out += "\\n"; break;
                case '\f': out += "\\f"; break;
                case '\r': out += "\\r"; break;
                default:
                    out += "\\u00";
                    out += hex[b >> 4];
                    out += hex[b & 0xF];
                }
            }
            ++i;
        } else {
            const std::size_t n = utf8_sequence(text, i);
            if (n == 0) {
                spill();
                out += "\xEF\xBF\xBD";
                ++i;
            } else if (as_printable && n == 2 && b == 0xC2 && static_cast<unsigned char>(data[i + 1]) < 0xA0) {
                spill();
                out += '?';
                i += 2;
            } else {
                i += n;
                run += n;
            }
        }
    }
    spill();
    out += '"';
}

void append_json_text_or_null(std::string& out, std::string_view text) {
    if (text.empty()) out += "null";
    else append_json_string(out, text, true);
}

void writer::flush() {
    if (std::fflush(file_) != 0) output_failed(errno);
    const int fd = ::fileno(file_);
    const char* p = buffer_.data();
    std::size_t left = buffer_.size();
    while (left != 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            output_failed(errno);
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

bool stream_records(const console& c) { return c.stdout_tty; }

void output_failed(int err) {
    clear_progress_line();
    if (err == EPIPE) std::_Exit(0); // `esc ... | head`: the reader has what it wanted
    std::fprintf(stderr, "esc: %s: %s\n", stdout_name().c_str(), std::strerror(err));
    std::fflush(stderr);
    std::_Exit(1);
}

int finish_output(int status) {
    clear_progress_line();
    errno = 0;
    std::cout.flush();
    if (!std::cout) output_failed(errno != 0 ? errno : EIO);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) output_failed(errno != 0 ? errno : EIO);
    return status;
}

void install_signal_handlers() {
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, on_terminating_signal);
    std::signal(SIGTERM, on_terminating_signal);
}

progress_meter::progress_meter(bool enabled, bool utf8) : enabled_(enabled), utf8_(utf8) {}

void progress_meter::start(std::string label) {
    label_ = std::move(label);
    started_ = last_ = clock::now();
}

void progress_meter::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const auto now = clock::now();
    if (now - started_ < std::chrono::milliseconds(500) || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const std::string text = "\r\x1b[K" + line(done, total, seconds);
    // Marked before it is written: a signal during the write still erases it.
    progress_line_drawn = 1;
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

// Within width - 1 columns (a character in the last column makes some
// terminals wrap, and "\r" would then redraw only the second row): the bar
// shrinks first, then the label, then the sizes go.
std::string progress_meter::line(std::uint64_t done, std::uint64_t total, double seconds) const {
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds / 1e6 : 0.0;
    const std::size_t room = width_ > 1 ? width_ - 1 : 0;
    const std::string speed = fmt::format("  {:.0f} MB/s", rate);
    std::string label = truncate_to_width(label_, 32, utf8_);
    if (total == 0) {
        std::string out = "  " + label + "  " + human_bytes(done) + speed;
        return truncate_to_width(out, room, utf8_);
    }
    const std::uint64_t shown = std::min(done, total);
    const std::string pct = fmt::format("{:>3}%", shown * 100 / total);
    std::string sizes = "  " + human_bytes(shown) + " of " + human_bytes(total);
    auto fixed = [&] { return 2 + display_width(label) + 2 + 3 + display_width(pct) + display_width(sizes) + display_width(speed); };
    if (fixed() + 10 > room) sizes.clear();
    if (fixed() + 10 > room) label = truncate_to_width(label_, room > fixed() - display_width(label) + 10 ? room - (fixed() - display_width(label)) - 10 : 8, utf8_);
    const std::size_t bar_width = room > fixed() ? std::min<std::size_t>(30, room - fixed()) : 0;
    std::string b = bar(shown, total, bar_width, utf8_);
    const std::size_t pad = bar_width - std::min(bar_width, display_width(b));
    std::string out = "  " + label + "  [" + b + std::string(pad, ' ') + "] " + pct + sizes + speed;
    return truncate_to_width(out, room, utf8_);
}

void progress_meter::finish() {
    clear_progress_line();
    std::fflush(stderr);
}

void warn(const console& c, std::string_view message) {
    clear_progress_line();
    const palette p{c.color_err};
    fmt::print(stderr, "esc: {} {}\n", fmt::styled("warning:", p.warning()), message);
}

std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural) {
    return with_commas(n) + " " + std::string(n == 1 ? singular : plural);
}

void warn_line(const console& c, std::uint64_t& shown, std::string_view message, std::uint64_t limit) {
    ++shown;
    if (shown <= limit) warn(c, message);
    else if (shown == limit + 1) warn(c, "further warnings are not shown; the summary counts them");
}

void error(const console& c, std::string_view message) {
    clear_progress_line();
    const palette p{c.color_err};
    fmt::print(stderr, "esc: {}\n", fmt::styled(message, p.error()));
}

} // namespace esc_cli
