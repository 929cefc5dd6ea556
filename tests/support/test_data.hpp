// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Where the tests find data, and a small CSV reader for the reference files.
// ESC_CORPUS_DIR / ESC_REFERENCE_DIR / ESC_TEST_DATA_DIR come from CMake.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace esc_test {

inline std::filesystem::path reference_dir() { return ESC_REFERENCE_DIR; }
inline std::filesystem::path corpus_dir() { return ESC_CORPUS_DIR; }
inline std::filesystem::path test_data_dir() { return ESC_TEST_DATA_DIR; }

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// RFC 4180: fields separated by commas, quoted fields may hold commas,
// doubled quotes and line breaks.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.push_back(field);
            field.clear();
            rows.push_back(row);
            row.clear();
        } else {
            field += c;
        }
    }
    if (!field.empty() || !row.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

// Rows as maps from the header's column names.
struct csv_table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    std::size_t column(const std::string& name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        return header.size();
    }
};

inline csv_table load_csv(const std::filesystem::path& p) {
    csv_table t;
    auto rows = parse_csv(read_file(p));
    if (rows.empty()) return t;
    t.header = rows.front();
    t.rows.assign(rows.begin() + 1, rows.end());
    return t;
}

// The text with each '\n' replaced by `eol` ("\r\n", "\r", ...).
inline std::string with_line_ends(std::string_view text, std::string_view eol) {
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += eol;
        else
            out += c;
    }
    return out;
}

inline std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

} // namespace esc_test
