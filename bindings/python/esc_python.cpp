// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The Python module `esc`: the library's parse, lookup, classify and bounce
// reading, with results as immutable objects that own their strings (copies
// out of the input, so they outlive it) and a to_dict() that matches the esc
// tool's JSON records field for field. The batch calls (classify_many,
// read_bounces, scan_text) copy their inputs while holding the GIL, then loop
// in C++ without it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <esc/bounce.hpp>
#include <esc/charset_cjk.hpp>
#include <esc/classify.hpp>
#include <esc/command.hpp>
#include <esc/dsn_string.hpp>
#include <esc/mbox.hpp>
#include <esc/pairing.hpp>
#include <esc/reason.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/status.hpp>
#include <esc/version.hpp>

// The tool's log line reader: pure, header-only, allocation-free; read here so
// that scan_text() counts exactly what `esc scan` counts.
#include "log_parser.hpp"
// The tool's text and file conventions (printable, warning names, the folder
// walk), shared so that the module's records are the tool's.
#include "conventions.hpp"

namespace py = pybind11;

namespace {

// ---- values the results hold ---------------------------------------------------

using opt_str = std::optional<std::string>;

struct py_status {
    int cls = 0, subject = 0, detail = 0;
    esc::status_code code() const {
        return {static_cast<esc::status_class>(cls), static_cast<std::uint16_t>(subject),
                static_cast<std::uint16_t>(detail)};
    }
    std::string str() const { return std::string(esc::to_string(code()).view()); }
};

py_status from_code(esc::status_code c) {
    return {static_cast<int>(c.cls), static_cast<int>(c.subject), static_cast<int>(c.detail)};
}

struct py_explanation {
    std::string by, text, rule, provider, source;
};

struct py_classification {
    std::string input;
    std::optional<int> reply_code;          // the basic code found in the input
    std::optional<py_status> status;        // the enhanced code literally present
    std::optional<py_status> effective;     // classification::status, when valid
    bool inferred = false;
    std::string outcome, reason, verdict;
    py_explanation why;
    opt_str description;
    std::vector<std::string> warnings;
};

struct py_reply {
    int code = 0;
    std::optional<py_status> status;
    std::string text, raw;
    std::vector<std::string> lines;
    std::uint32_t line_count = 0;
    std::vector<std::string> warnings;
    std::size_t offset = 0;
};

struct py_recipient {
    esc::bounce_record rec;
    std::string file;         // "" when not read from a file
    std::size_t message = 0;  // the message's number in an mbox file; 0: the file is one message
    std::uint64_t line = 1;   // the line of the file the message starts on
};

struct py_bounce {
    std::string file;
    std::size_t message = 0;
    std::uint64_t line = 1;
    std::string source, kind, error, subject, to;
    std::size_t total = 0;
    std::vector<py_recipient> recipients;
    std::string feedback_type, feedback_rcpt;
    std::string returned_message_id, returned_subject, returned_from, returned_to, returned_date, returned_list_id;
};

// ---- the tool's text conventions (conventions.hpp) ---------------------------------

using esc_cli::printable;
using esc_cli::utf8_sequence;
using esc_cli::warning_names;

// Invalid UTF-8 as U+FFFD, as the tool's json_line() writes it: Python str must be valid.
std::string valid_utf8(std::string s) {
    std::size_t i = 0;
    while (i < s.size() && utf8_sequence(s, i) != 0) i += utf8_sequence(s, i);
    if (i == s.size()) return s;
    std::string out(s, 0, i);
    while (i < s.size()) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}


py_explanation explanation_of(const esc::explanation& w) {
    return {std::string(esc::to_string(w.by)), valid_utf8(std::string(w.text)), valid_utf8(std::string(w.rule)),
            valid_utf8(std::string(w.provider)), valid_utf8(std::string(w.source))};
}

// What `esc classify TEXT` makes of free text (records.cpp analyse_text).
py_classification classify_text(std::string input, esc::command cmd) {
    py_classification out;
    const std::string_view text = input;
    std::optional<esc::reply_code> code;
    std::optional<esc::status_code> status;
    if (const std::optional<esc::reply> r = esc::find_reply(text)) {
        code = r->code;
        status = r->status;
        out.warnings = warning_names(&r->warnings, code, status);
    } else if (const std::optional<esc::status_match> m = esc::find_status(text)) {
        status = m->status;
        out.warnings = warning_names(nullptr, std::nullopt, status);
    }
    const esc::classification c = esc::classify(text, cmd);
    if (code) out.reply_code = esc::to_int(*code);
    if (status) out.status = from_code(*status);
    const bool known = esc::is_valid(c.status);
    if (known) {
        out.effective = from_code(c.status);
        out.description = std::string(esc::describe(c.status));
    }
    out.inferred = known && c.inferred;
    out.outcome = std::string(esc::to_string(c.outcome));
    out.reason = std::string(esc::to_string(c.reason));
    out.verdict = std::string(esc::to_string(c.verdict));
    out.why = explanation_of(c.why); // views into `input`, copied before it moves
    out.input = valid_utf8(std::move(input));
    return out;
}

// ---- errors -------------------------------------------------------------------------

PyObject* error_type = nullptr;        // esc.Error(ValueError)
PyObject* status_error_type = nullptr; // esc.StatusError(esc.Error)
PyObject* reply_error_type = nullptr;  // esc.ReplyError(esc.Error)
PyObject* bounce_error_type = nullptr; // esc.BounceError(esc.Error)

[[noreturn]] void raise(PyObject* type, const std::string& message, std::string_view kind, py::object offset,
                        py::object partial = py::none()) {
    py::object exc = py::reinterpret_borrow<py::object>(type)(message);
    exc.attr("kind") = py::str(std::string(kind));
    exc.attr("offset") = std::move(offset);
    exc.attr("partial") = std::move(partial);
    PyErr_SetObject(type, exc.ptr());
    throw py::error_already_set();
}

std::string bytes_or_str(const py::handle& h) {
    if (py::isinstance<py::bytes>(h)) return std::string(h.cast<py::bytes>());
    if (py::isinstance<py::str>(h)) return h.cast<std::string>();
    if (PyByteArray_Check(h.ptr()))
        return std::string(PyByteArray_AsString(h.ptr()), static_cast<std::size_t>(PyByteArray_Size(h.ptr())));
    throw py::type_error("expected str, bytes or bytearray");
}

esc::command command_of(const py::object& command) {
    if (command.is_none()) return esc::command::unknown;
    const std::string name = command.cast<std::string>();
    const std::optional<esc::command> c = esc::parse_command(name);
    if (!c) raise(error_type, "unknown SMTP command: '" + name + "'", "unknown_command", py::none());
    return *c;
}

// ---- status codes -----------------------------------------------------------------------

// Where the strict grammar first fails: class 2/4/5, ".", 1-3 digits without a
// leading zero, ".", the same; the offset of the first character that does not fit.
std::size_t status_error_offset(std::string_view t) {
    std::size_t i = 0;
    if (i >= t.size() || (t[i] != '2' && t[i] != '4' && t[i] != '5')) return i;
    ++i;
    for (int part = 0; part < 2; ++part) {
        if (i >= t.size() || t[i] != '.') return i;
        ++i;
        const std::size_t start = i;
        while (i < t.size() && i - start < 3 && t[i] >= '0' && t[i] <= '9') {
            if (i == start + 1 && t[start] == '0') return i; // a leading zero
            ++i;
        }
        if (i == start) return i;
    }
    return i;
}

py_status parse_status_or_raise(const std::string& text) {
    if (const std::optional<esc::status_code> c = esc::parse_status(text)) return from_code(*c);
    const std::size_t offset = status_error_offset(text);
    const bool trailing = esc::parse_status(std::string_view(text).substr(0, offset)).has_value();
    raise(status_error_type,
          "not an RFC 3463 status code: '" + printable(text) + "' (" +
              (trailing ? "unexpected character" : "invalid") + " at offset " + std::to_string(offset) + ")",
          trailing ? "trailing_characters" : "invalid_status", py::int_(offset));
}

py_status status_arg(const py::handle& h) {
    if (py::isinstance<py_status>(h)) return h.cast<py_status>();
    return parse_status_or_raise(h.cast<std::string>());
}

std::string basic_codes_text(const esc::basic_codes& codes) {
    switch (codes.rule()) {
    case esc::pairing_rule::any: return "any";
    case esc::pairing_rule::any_permanent: return "any 5XX";
    default: break;
    }
    std::string s;
    for (std::uint16_t c : codes) s += (s.empty() ? "" : ", ") + std::to_string(c);
    if (codes.rule() == esc::pairing_rule::listed_or_any_failure) s += ", or any other 4XX/5XX";
    return s.empty() ? "not given by the registry" : s;
}

py::dict entry_dict(const esc::registry_entry& e) {
    py::dict d;
    d["subject"] = e.subject;
    d["detail"] = e.detail;
    d["code"] = "X." + std::to_string(e.subject) + "." + std::to_string(e.detail);
    d["title"] = std::string(e.title);
    d["description"] = std::string(e.description);
    py::list associated;
    for (std::uint16_t c : e.associated) associated.append(c);
    d["associated"] = py::tuple(associated);
    const char* rule = "listed";
    switch (e.associated.rule()) {
    case esc::pairing_rule::any: rule = "any"; break;
    case esc::pairing_rule::any_permanent: rule = "any_permanent"; break;
    case esc::pairing_rule::listed_or_any_failure: rule = "listed_or_any_failure"; break;
    case esc::pairing_rule::listed: break;
    }
    d["pairing"] = rule;
    d["associated_text"] = basic_codes_text(e.associated);
    py::list refs;
    std::string_view r = e.references;
    while (!r.empty()) {
        const std::size_t sp = r.find(' ');
        if (sp != 0) refs.append(std::string(r.substr(0, sp)));
        if (sp == std::string_view::npos) break;
        r.remove_prefix(sp + 1);
    }
    d["references"] = py::tuple(refs);
    py::list classes;
    for (int c : {2, 4, 5})
        if (e.classes.contains(static_cast<esc::status_class>(c))) classes.append(c);
    d["classes"] = py::tuple(classes);
    d["deprecated"] = e.deprecated;
    return d;
}

// ---- replies --------------------------------------------------------------------------------

py_reply reply_of(const esc::reply& r, std::size_t offset) {
    py_reply out;
    out.code = esc::to_int(r.code);
    if (r.status) out.status = from_code(*r.status);
    out.text = valid_utf8(std::string(r.text));
    out.raw = valid_utf8(std::string(r.raw));
    for (std::string_view t : esc::lines(r)) out.lines.push_back(valid_utf8(std::string(t)));
    out.line_count = r.line_count;
    out.warnings = warning_names(&r.warnings, r.code, r.status);
    if (r.warnings.bare_lf) out.warnings.emplace_back("bare_lf");
    out.offset = offset;
    return out;
}

py::dict reply_dict(const py_reply& r) {
    py::dict d;
    d["reply_code"] = r.code;
    d["status"] = r.status ? py::object(py::str(r.status->str())) : py::object(py::none());
    d["text"] = r.text;
    d["lines"] = py::tuple(py::cast(r.lines));
    d["line_count"] = r.line_count;
    d["warnings"] = py::cast(r.warnings);
    return d;
}

// ---- classifications ---------------------------------------------------------------------

py::object text_or_null(const std::string& s) { return s.empty() ? py::object(py::none()) : py::object(py::str(printable(s))); }

py::dict why_dict(const py_explanation& w) {
    py::dict d;
    d["by"] = w.by;
    d["text"] = text_or_null(w.text);
    d["rule"] = text_or_null(w.rule);
    d["provider"] = text_or_null(w.provider);
    d["source"] = text_or_null(w.source);
    return d;
}

py::dict classification_dict(const py_classification& c) {
    py::dict d; // the keys and order of `esc classify --json`; file and line: where a record was read, here None
    d["file"] = py::none();
    d["line"] = py::none();
    d["input"] = c.input;
    d["reply_code"] = c.reply_code ? py::object(py::int_(*c.reply_code)) : py::object(py::none());
    d["status"] = c.status ? py::object(py::str(c.status->str())) : py::object(py::none());
    d["effective_status"] = c.effective ? py::object(py::str(c.effective->str())) : py::object(py::none());
    d["inferred"] = c.inferred;
    d["outcome"] = c.outcome;
    d["reason"] = c.reason;
    d["verdict"] = c.verdict;
    d["why"] = why_dict(c.why);
    d["description"] = c.description ? py::object(py::str(*c.description)) : py::object(py::none());
    d["warnings"] = py::cast(c.warnings);
    return d;
}

// ---- bounces -----------------------------------------------------------------------------------

py_bounce bounce_of(const std::string& message, std::string file, std::size_t number = 0, std::uint64_t line = 1) {
    // As `esc dsn` reads: Japanese and Chinese bounces in UTF-8 too (<esc/charset_cjk.hpp>).
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    const esc::owned_bounce b = esc::read_bounce(message, options);
    py_bounce out;
    out.file = valid_utf8(std::move(file));
    out.message = number;
    out.line = line;
    out.source = std::string(esc::to_string(b.report.source));
    switch (b.report.kind) {
    case esc::report_kind::none: out.kind = "none"; break;
    case esc::report_kind::delivery_status: out.kind = "delivery_status"; break;
    case esc::report_kind::feedback: out.kind = "feedback"; break;
    case esc::report_kind::auto_reply: out.kind = "auto_reply"; break;
    }
    out.error = std::string(esc::to_string(b.report.error));
    out.subject = valid_utf8(std::string(b.report.subject));
    out.to = valid_utf8(std::string(b.report.to));
    out.total = b.report.total;
    out.feedback_type = valid_utf8(std::string(b.report.feedback.feedback_type));
    out.feedback_rcpt = valid_utf8(std::string(b.report.feedback.original_rcpt_to));
    const esc::returned_message& m = b.report.returned;
    out.returned_message_id = valid_utf8(esc::unfold(m.message_id));
    out.returned_subject = valid_utf8(esc::unfold(m.subject));
    out.returned_from = valid_utf8(esc::unfold(m.from));
    out.returned_to = valid_utf8(esc::unfold(m.to));
    out.returned_date = valid_utf8(esc::unfold(m.date));
    out.returned_list_id = valid_utf8(esc::unfold(m.list_id));
    for (const esc::bounce_recipient& r : b.report) {
        esc::bounce_record rec = esc::to_record(r);
        for (std::string* f : {&rec.recipient, &rec.original, &rec.action, &rec.status, &rec.diagnostic, &rec.why_text,
                               &rec.why_rule, &rec.why_provider, &rec.why_source})
            *f = valid_utf8(std::move(*f));
        out.recipients.push_back({std::move(rec), out.file, out.message, out.line});
    }
    return out;
}

py::object string_or_null(const std::string& s) { return s.empty() ? py::object(py::none()) : py::object(py::str(s)); }

py::dict recipient_dict(const py_recipient& p) {
    const esc::bounce_record& r = p.rec;
    py::dict d; // the keys and order of `esc dsn --json` (without "returned" and "verp_recipient")
    d["file"] = p.file.empty() ? py::object(py::none()) : py::object(py::str(printable(p.file)));
    d["message"] = p.message != 0 ? py::object(py::int_(p.message)) : py::object(py::none());
    d["line"] = p.file.empty() ? py::object(py::none()) : py::object(py::int_(p.line));
    d["recipient"] = r.recipient;
    d["action"] = string_or_null(r.action);
    d["status"] = string_or_null(r.status);
    d["reply_code"] = r.reply_code ? py::object(py::int_(*r.reply_code)) : py::object(py::none());
    d["diagnostic"] = string_or_null(r.diagnostic);
    d["outcome"] = r.outcome;
    d["reason"] = r.reason;
    d["verdict"] = r.verdict;
    d["why"] = why_dict({r.why_by, r.why_text, r.why_rule, r.why_provider, r.why_source});
    d["source"] = r.source;
    d["original_recipient"] = string_or_null(r.original);
    return d;
}

py::dict returned_dict(const py_bounce& b) {
    py::dict r;
    r["message_id"] = string_or_null(b.returned_message_id);
    r["subject"] = string_or_null(b.returned_subject);
    r["from"] = string_or_null(b.returned_from);
    r["to"] = string_or_null(b.returned_to);
    r["date"] = string_or_null(b.returned_date);
    r["list_id"] = string_or_null(b.returned_list_id);
    return r;
}

namespace fs = std::filesystem;

// As `esc dsn` reads its arguments (examples/esc/input.cpp expand_inputs):
// files, and the files of folders, recursively, in name order, leaving out
// dot files, Dovecot's and Courier's own files and a maildir's tmp/.
void walk(const fs::path& folder, std::vector<fs::path>& files, std::vector<std::string>& errors) {
    esc_cli::walk_folder(folder, files, [&](const fs::path& unreadable, const std::error_code& ec) {
        errors.push_back(unreadable.string() + ": " + ec.message());
    });
}

std::vector<fs::path> message_files(const std::string& arg, std::vector<std::string>& errors) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::exists(arg, ec)) {
        errors.push_back(arg + ": No such file or directory");
    } else if (fs::is_directory(arg, ec)) {
        walk(arg, files, errors);
        if (files.empty()) errors.push_back(arg + ": a folder without files to read");
    } else {
        files.emplace_back(arg);
    }
    return files;
}

bool read_whole(const fs::path& p, std::string& out) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

// Every message of every path, as `esc dsn` names them (FILE, or FILE:N in an mbox).
void read_path(const std::string& arg, std::vector<py_bounce>& out, std::vector<std::string>& failed) {
    const std::vector<fs::path> files = message_files(arg, failed);
    std::string message;
    for (const fs::path& file : files) {
        if (!read_whole(file, message)) {
            failed.push_back(file.string() + ": cannot read the file");
            continue;
        }
        if (esc::is_mbox(message)) {
            esc::mbox_reader reader(message);
            std::string_view m;
            std::uint64_t line = 1;
            const char* counted = message.data();
            std::size_t number = 0;
            while (reader.next(m)) {
                line += static_cast<std::uint64_t>(std::count(counted, m.data(), '\n'));
                counted = m.data();
                std::string unquoted(m.size(), '\0');
                const esc::unquoted u = esc::unquote_from(m, unquoted.data(), unquoted.data() + unquoted.size());
                out.push_back(bounce_of(std::string(u.text), file.string(), ++number, line));
            }
        } else {
            out.push_back(bounce_of(message, file.string()));
        }
    }
}

// ---- log scanning: the counts of `esc scan` ----------------------------------------------------

struct domain_counts {
    std::uint64_t attempts = 0, sent = 0, deferred = 0, bounced = 0;
    std::array<std::uint64_t, esc::reason_count> reasons{};
};

struct scan_counts {
    std::uint64_t lines = 0, bytes = 0, attempts = 0, expired = 0, not_attempted = 0, probes = 0, malformed = 0,
                  too_long = 0, binary = 0;
    std::array<bool, 3> formats{};
    std::array<std::uint64_t, static_cast<std::size_t>(esc_cli::disposition_kind::malformed) + 1> kinds{};
    std::array<std::array<std::uint64_t, 2>, esc::reason_count> reasons{};
    std::map<std::string, std::uint64_t> codes;
    std::map<std::string, domain_counts> domains;
};

// cmd_scan.cpp's judge() and scanner::attempt(), without the printing.
void scan_line(std::string_view text, scan_counts& s) {
    using esc_cli::disposition_kind;
    const std::optional<esc_cli::delivery_attempt> a = esc_cli::parse_log_line(text);
    if (!a) return;
    if (a->kind == disposition_kind::malformed) {
        ++s.malformed;
        return;
    }
    s.formats[static_cast<std::size_t>(a->format)] = true;
    if (a->kind == disposition_kind::expired) {
        ++s.expired;
        return;
    }
    if (a->kind == disposition_kind::not_attempted) {
        ++s.not_attempted; // a deferral logged without trying: no attempt
        return;
    }
    if (a->kind == disposition_kind::probe) {
        ++s.probes; // address verification, not a delivery
        return;
    }
    const bool failure = a->kind == disposition_kind::deferred || a->kind == disposition_kind::bounced;
    esc::reason why = esc::reason::none;
    std::optional<esc::status_code> status;
    if (failure) {
        const std::optional<esc::reply> r = esc::find_reply(a->text);
        const std::optional<esc::status_code> dsn = esc::parse_status(a->dsn);
        status = r && r->status ? r->status : dsn;
        if (!status && !r)
            if (const auto m = esc::find_status(a->text)) status = m->status;
        esc::reply given;
        if (r) given.code = r->code;
        given.status = status;
        given.raw = a->text;
        why = esc::classify(given).reason;
        if (esc_cli::is_local_routing_loop(*a, r.has_value())) why = esc::reason::system_error;
        if (why == esc::reason::none) why = esc::reason::other;
    }
    std::string_view list = a->recipients;
    for (std::string_view rcpt = esc_cli::next_recipient(list); !rcpt.empty(); rcpt = esc_cli::next_recipient(list)) {
        ++s.attempts;
        ++s.kinds[static_cast<std::size_t>(a->kind)];
        std::string domain(esc_cli::domain_of(rcpt).substr(0, 256));
        for (char& c : domain)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        domain_counts& d = s.domains[domain];
        ++d.attempts;
        if (a->kind == disposition_kind::sent) ++d.sent;
        if (failure) {
            if (status) ++s.codes[std::string(esc::to_string(*status).view())];
            auto& row = s.reasons[static_cast<std::size_t>(why)];
            const bool deferred = a->kind == disposition_kind::deferred;
            ++row[deferred ? 0 : 1];
            ++(deferred ? d.deferred : d.bounced);
            ++d.reasons[static_cast<std::size_t>(why)];
        }
    }
}

// The input's lines as the tool's read_lines() delivers them.
void scan_buffer(std::string_view data, scan_counts& s) {
    s.bytes += data.size();
    std::size_t pos = 0;
    while (pos < data.size()) {
        const std::size_t nl = data.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? data.size() : nl;
        std::string_view line = data.substr(pos, end - pos);
        ++s.lines;
        if (line.size() > 64 * 1024) {
            ++s.too_long;
        } else if (line.find('\0') != std::string_view::npos) {
            ++s.binary;
        } else {
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            scan_line(line, s);
        }
        pos = nl == std::string_view::npos ? data.size() : nl + 1;
    }
}

py::dict scan_dict(const scan_counts& s) {
    py::dict d;
    d["lines"] = s.lines;
    d["bytes"] = s.bytes;
    d["attempts"] = s.attempts;
    d["expired"] = s.expired;
    d["not_attempted"] = s.not_attempted;
    d["probes"] = s.probes;
    d["malformed"] = s.malformed;
    d["too_long"] = s.too_long;
    d["binary"] = s.binary;
    py::list formats;
    static constexpr const char* format_names[] = {"postfix", "exim", "sendmail"};
    for (std::size_t i = 0; i < s.formats.size(); ++i)
        if (s.formats[i]) formats.append(format_names[i]);
    d["formats"] = formats;
    py::dict kinds;
    for (const esc_cli::disposition_kind k : {esc_cli::disposition_kind::sent, esc_cli::disposition_kind::deferred,
                                              esc_cli::disposition_kind::bounced, esc_cli::disposition_kind::other})
        kinds[py::str(std::string(esc_cli::to_string(k)))] = s.kinds[static_cast<std::size_t>(k)]; // expired: `expired`
    d["dispositions"] = kinds;
    py::dict reasons;
    for (std::size_t i = 0; i < esc::reason_count; ++i)
        if (s.reasons[i][0] + s.reasons[i][1] != 0)
            reasons[py::str(std::string(esc::to_string(static_cast<esc::reason>(i))))] =
                py::make_tuple(s.reasons[i][0], s.reasons[i][1]);
    d["reasons"] = reasons;
    d["codes"] = py::cast(s.codes);
    py::dict domains;
    for (const auto& [name, c] : s.domains) {
        py::dict reason_counts;
        for (std::size_t i = 0; i < esc::reason_count; ++i)
            if (c.reasons[i] != 0) reason_counts[py::str(std::string(esc::to_string(static_cast<esc::reason>(i))))] = c.reasons[i];
        py::dict e;
        e["attempts"] = c.attempts;
        e["sent"] = c.sent;
        e["deferred"] = c.deferred;
        e["bounced"] = c.bounced;
        e["reasons"] = reason_counts;
        domains[py::str(valid_utf8(name))] = e;
    }
    d["domains"] = domains;
    return d;
}

// `esc explain --json` (examples/esc/cmd_explain.cpp explain_json), without user rules.
py::dict explain_dict(const std::string& arg, esc::command cmd) {
    std::string trimmed(arg);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.pop_back();
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(0, 1);
    const std::string_view text = trimmed;
    py::dict j;
    j["input"] = printable(arg);
    j["kind"] = "invalid";
    j["reply_code"] = py::none();
    j["status"] = py::none();
    j["effective_status"] = py::none();
    j["inferred"] = false;
    j["title"] = py::none();
    j["description"] = py::none();
    j["outcome"] = py::none();
    j["reason"] = py::none();
    j["verdict"] = py::none();
    j["why"] = py::none();
    j["advice"] = py::none();
    j["warnings"] = py::list();
    j["error"] = py::none();
    auto entry = [&](esc::status_code st) {
        j["title"] = std::string(esc::describe(st));
        if (const esc::registry_entry* e = esc::lookup(st)) j["description"] = std::string(e->description);
    };
    auto classified = [&](std::optional<esc::reply_code> code, std::optional<esc::status_code> status,
                          const esc::classification& c, const std::vector<std::string>& warnings) {
        if (code) j["reply_code"] = esc::to_int(*code);
        if (status) j["status"] = std::string(esc::to_string(*status).view());
        if (esc::is_valid(c.status)) {
            j["effective_status"] = std::string(esc::to_string(c.status).view());
            j["inferred"] = c.inferred;
            entry(c.status);
        }
        j["outcome"] = std::string(esc::to_string(c.outcome));
        j["reason"] = std::string(esc::to_string(c.reason));
        j["verdict"] = std::string(esc::to_string(c.verdict));
        j["why"] = why_dict(explanation_of(c.why));
        j["advice"] = std::string(esc::advice(c.outcome, c.reason));
        j["warnings"] = py::cast(warnings);
    };
    auto of_reply = [&](const esc::reply& r) {
        classified(r.code, r.status, esc::classify(r, cmd), warning_names(&r.warnings, r.code, r.status));
    };
    if (text.size() >= 5 && (text[0] == 'X' || text[0] == 'x') && text[1] == '.') {
        if (const auto st = esc::parse_status("5" + std::string(text.substr(1)))) {
            j["kind"] = "registry_entry";
            j["status"] = "X." + std::to_string(st->subject) + "." + std::to_string(st->detail);
            entry(*st);
            return j;
        }
    }
    if (const auto st = esc::parse_status(text)) {
        j["kind"] = "status";
        esc::reply bare;
        bare.status = st;
        classified(std::nullopt, st, esc::classify(bare, cmd), warning_names(nullptr, std::nullopt, st));
        return j;
    }
    // Digits and dots (and an X) that are no status code: the status code's error, as parse_status gives it.
    if (text.find('.') != std::string_view::npos &&
        std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || c == 'X' || c == 'x' || (c >= '0' && c <= '9'); }))
        parse_status_or_raise(trimmed);
    const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && text.size() != 3)
        raise(error_type, printable(text) + " is not a reply code: a reply code has three digits", "invalid", py::none());
    if (digits) {
        const auto code = static_cast<esc::reply_code>(std::stoi(trimmed));
        if (!esc::has_reply_class(code))
            raise(error_type, printable(text) + " is not a reply code: the first digit must be 2, 3, 4 or 5", "invalid",
                  py::none());
        j["kind"] = "reply_code";
        esc::reply r;
        r.code = code;
        of_reply(r);
        return j;
    }
    const esc::parsed_reply parsed = esc::parse_reply_text(text);
    if (parsed && parsed.offset == text.size()) {
        j["kind"] = "reply";
        of_reply(parsed.reply);
        return j;
    }
    if (esc::find_reply(text) || esc::find_status(text)) {
        j["kind"] = "text";
        const py_classification c = classify_text(trimmed, cmd);
        if (c.reply_code) j["reply_code"] = *c.reply_code;
        if (c.status) j["status"] = c.status->str();
        const esc::classification full = esc::classify(text, cmd);
        classified(std::nullopt, std::nullopt, full, c.warnings);
        return j;
    }
    raise(error_type, "cannot find a status code (5.1.1), a reply code (550) or a reply in '" + printable(text) + "'",
          "invalid", py::none());
}

std::string quoted(const std::string& s) { return py::repr(py::str(s)).cast<std::string>(); }

} // namespace

PYBIND11_MODULE(esc, m) {
    m.doc() = "SMTP status codes (RFC 3463, RFC 5321): parse, look up, describe and classify server replies, "
              "and read bounce messages. Python bindings of the esc C++ library.";
    m.attr("__version__") = std::to_string(ESC_VERSION_MAJOR) + "." + std::to_string(ESC_VERSION_MINOR) + "." +
                            std::to_string(ESC_VERSION_PATCH);

    // Exceptions: kind (the C++ error's name), offset (where parsing stopped, or None), partial.
    static py::exception<void> base(m, "Error", PyExc_ValueError);
    error_type = base.ptr();
    static py::exception<void> status_exc(m, "StatusError", base.ptr());
    status_error_type = status_exc.ptr();
    static py::exception<void> reply_exc(m, "ReplyError", base.ptr());
    reply_error_type = reply_exc.ptr();
    static py::exception<void> bounce_exc(m, "BounceError", base.ptr());
    bounce_error_type = bounce_exc.ptr();
    base.attr("__doc__") = "An esc error. Attributes: kind (the C++ error kind, e.g. 'truncated'), offset (the "
                           "offset in the input where parsing stopped, or None), partial (what was read, or None).";

    py::list reasons, outcomes, verdicts;
    for (std::size_t i = 0; i < esc::reason_count; ++i) reasons.append(std::string(esc::to_string(static_cast<esc::reason>(i))));
    for (int i = 0; i <= static_cast<int>(esc::outcome::unknown); ++i)
        outcomes.append(std::string(esc::to_string(static_cast<esc::outcome>(i))));
    for (int i = 0; i <= static_cast<int>(esc::verdict::undetermined); ++i)
        verdicts.append(std::string(esc::to_string(static_cast<esc::verdict>(i))));
    m.attr("REASONS") = py::tuple(reasons);
    m.attr("OUTCOMES") = py::tuple(outcomes);
    m.attr("VERDICTS") = py::tuple(verdicts);

    py::class_<py_status>(m, "StatusCode", "An RFC 3463 enhanced status code (class.subject.detail), immutable.")
        .def(py::init([](int cls, int subject, int detail) {
                 if ((cls != 2 && cls != 4 && cls != 5) || subject < 0 || subject > 999 || detail < 0 || detail > 999)
                     raise(status_error_type, "not a valid status code", "invalid_status", py::none());
                 return py_status{cls, subject, detail};
             }),
             py::arg("cls"), py::arg("subject"), py::arg("detail"))
        .def_readonly("cls", &py_status::cls, "The class: 2 (success), 4 (transient), 5 (permanent).")
        .def_readonly("subject", &py_status::subject)
        .def_readonly("detail", &py_status::detail)
        .def("__str__", &py_status::str)
        .def("__repr__", [](const py_status& s) { return "StatusCode('" + s.str() + "')"; })
        .def("__eq__", [](const py_status& a, const py::object& b) {
            if (!py::isinstance<py_status>(b)) return false;
            const py_status o = b.cast<py_status>();
            return a.code() == o.code();
        })
        .def("__lt__", [](const py_status& a, const py_status& b) { return a.code() < b.code(); })
        .def("__hash__", [](const py_status& s) { return std::hash<esc::status_code>{}(s.code()); })
        .def("to_dict", [](const py_status& s) {
            py::dict d;
            d["status"] = s.str();
            d["cls"] = s.cls;
            d["subject"] = s.subject;
            d["detail"] = s.detail;
            return d;
        });

    m.def("parse_status", [](const std::string& text) { return parse_status_or_raise(text); }, py::arg("text"),
          "Parses a whole RFC 3463 status code ('5.1.1'), strictly: class 2/4/5, 1-3 digits, no leading zeros.\n"
          "Raises StatusError (kind 'invalid_status' or 'trailing_characters', offset where it stopped).");

    m.def("lookup", [](const py::handle& code) -> py::object {
              const esc::registry_entry* e = esc::lookup(status_arg(code).code());
              return e == nullptr ? py::object(py::none()) : py::object(entry_dict(*e));
          }, py::arg("code"),
          "The IANA registry entry for a code's subject.detail (a dict: subject, detail, code, title, description,\n"
          "associated, pairing, associated_text, references, classes, deprecated), or None when unregistered.");

    m.def("describe", [](const py::handle& code) { return std::string(esc::describe(status_arg(code).code())); },
          py::arg("code"), "A short title: the detail's, else the subject's (RFC 3463 section 2).");

    m.def("registry", [] {
              py::list out;
              for (const esc::registry_entry& e : esc::registry()) out.append(entry_dict(e));
              return out;
          }, "Every registry entry, in registry order, as lookup() gives them.");

    m.def("explain", [](const py::handle& what, const py::object& command) { return explain_dict(bytes_or_str(what), command_of(command)); },
          py::arg("what"), py::arg("command") = py::none(),
          "What `esc explain --json WHAT` says, as a dict with its keys: a status code (5.1.1), a registry entry\n"
          "(X.1.1), a basic reply code (550), a reply or text quoting one; kind, reply_code, status,\n"
          "effective_status, inferred, title, description, outcome, reason, verdict, why, advice, warnings, error.\n"
          "Raises StatusError for a malformed status code (kind, offset) and Error (kind 'invalid') for anything\n"
          "else it cannot read.");

    py::class_<py_reply>(m, "Reply", "One SMTP reply as parse_reply() read it, immutable.")
        .def_readonly("code", &py_reply::code, "The basic reply code (550).")
        .def_readonly("status", &py_reply::status, "The enhanced code as sent, or None.")
        .def_readonly("text", &py_reply::text)
        .def_readonly("raw", &py_reply::raw, "Every line of the reply, line ends included.")
        .def_property_readonly("lines", [](const py_reply& r) { return py::tuple(py::cast(r.lines)); })
        .def_readonly("line_count", &py_reply::line_count)
        .def_property_readonly("warnings", [](const py_reply& r) { return py::tuple(py::cast(r.warnings)); })
        .def_readonly("offset", &py_reply::offset, "Just past the reply: where a next one would start.")
        .def("to_dict", &reply_dict)
        .def("__repr__", [](const py_reply& r) {
            return "Reply(code=" + std::to_string(r.code) + ", status=" + (r.status ? "'" + r.status->str() + "'" : "None") +
                   ", text=" + quoted(r.text) + ")";
        });

    m.def("parse_reply", [](const py::handle& data, bool complete) {
              const std::string in = bytes_or_str(data);
              const esc::parsed_reply p = complete ? esc::parse_reply_text(in) : esc::parse_reply(in);
              if (!p) {
                  const std::string kind(esc::to_string(p.error));
                  raise(reply_error_type, "not an SMTP reply: " + kind + " at offset " + std::to_string(p.offset), kind,
                        py::int_(p.offset), py::cast(reply_of(p.reply, p.offset)));
              }
              return reply_of(p.reply, p.offset);
          }, py::arg("data"), py::arg("complete") = true,
          "Parses one SMTP reply (single or multi-line, CRLF or LF).\n"
          "complete=True (parse_reply_text): the input is all of it; its last line needs no line end.\n"
          "complete=False (parse_reply, for bytes off a socket): a prefix raises ReplyError kind 'incomplete'.\n"
          "Raises ReplyError with kind (no_code, bad_code, mixed_codes, truncated, bare_cr, incomplete), offset\n"
          "and partial (the Reply read so far).");

    py::class_<py_explanation>(m, "Explanation", "What decided a classification's reason, immutable.")
        .def_readonly("by", &py_explanation::by, "nothing, user_rule, provider_rule, enhanced_code, phrase, "
                                                  "basic_code, command or report.")
        .def_readonly("text", &py_explanation::text, "The evidence as written in the input.")
        .def_readonly("rule", &py_explanation::rule)
        .def_readonly("provider", &py_explanation::provider)
        .def_readonly("source", &py_explanation::source)
        .def("to_dict", &why_dict)
        .def("__repr__", [](const py_explanation& w) {
            return "Explanation(by='" + w.by + "', text=" + quoted(w.text) + ", rule=" + quoted(w.rule) + ")";
        });

    py::class_<py_classification>(m, "Classification",
                                  "What classify() makes of a reply, immutable; to_dict() is `esc classify --json`.")
        .def_readonly("input", &py_classification::input)
        .def_readonly("reply_code", &py_classification::reply_code, "The basic code found in the input, or None.")
        .def_property_readonly("status", [](const py_classification& c) { return c.effective; },
                               "The effective enhanced code: sent, else inferred; None when nothing is known.")
        .def_property_readonly("sent_status", [](const py_classification& c) { return c.status; },
                               "The enhanced code literally present in the input, or None.")
        .def_readonly("inferred", &py_classification::inferred, "True when `status` was not in the reply.")
        .def_readonly("outcome", &py_classification::outcome, "success, intermediate, transient, permanent, unknown.")
        .def_readonly("reason", &py_classification::reason, "One of esc.REASONS.")
        .def_readonly("verdict", &py_classification::verdict, "For the address: none, hard, soft, undetermined.")
        .def_readonly("why", &py_classification::why)
        .def_readonly("description", &py_classification::description)
        .def_property_readonly("warnings", [](const py_classification& c) { return py::tuple(py::cast(c.warnings)); })
        .def("to_dict", &classification_dict)
        .def("__repr__", [](const py_classification& c) {
            return "Classification(outcome='" + c.outcome + "', reason='" + c.reason + "', status=" +
                   (c.effective ? "'" + c.effective->str() + "'" : "None") + ", inferred=" +
                   (c.inferred ? "True" : "False") + ", verdict='" + c.verdict + "', why=" + c.why.by + ")";
        });

    m.def("classify", [](const py::handle& text, const py::object& command) {
              return classify_text(bytes_or_str(text), command_of(command));
          }, py::arg("text"), py::arg("command") = py::none(),
          "Classifies free text quoting a reply (a Diagnostic-Code, a log line, a reply): outcome, reason, status,\n"
          "inferred, verdict, why. command: the SMTP command it answered ('rcpt', 'mail', 'data', ...), if known.");

    m.def("classify_many", [](const py::iterable& texts, const py::object& command) {
              const esc::command cmd = command_of(command);
              // In blocks: the inputs copied and the results converted with the GIL held, the
              // classification without it; a block's strings stay in cache between the steps.
              constexpr std::size_t block = 1024;
              py::list out;
              std::vector<std::string> in;
              std::vector<py_classification> done;
              in.reserve(block);
              done.reserve(block);
              auto flush = [&] {
                  done.clear();
                  {
                      py::gil_scoped_release unlocked;
                      for (std::string& t : in) done.push_back(classify_text(std::move(t), cmd));
                  }
                  for (py_classification& c : done) out.append(py::cast(std::move(c)));
                  in.clear();
              };
              for (const py::handle& t : texts) {
                  in.push_back(bytes_or_str(t));
                  if (in.size() == block) flush();
              }
              if (!in.empty()) flush();
              return out;
          }, py::arg("texts"), py::arg("command") = py::none(),
          "classify() over many texts, looping in C++ with the GIL released; a list of Classification.");

    py::class_<py_recipient>(m, "BounceRecipient", "One recipient of a bounce; to_dict() is a record of `esc dsn --json`.")
        .def_property_readonly("address", [](const py_recipient& r) { return r.rec.recipient; })
        .def_property_readonly("original", [](const py_recipient& r) { return r.rec.original; })
        .def_property_readonly("action", [](const py_recipient& r) { return r.rec.action; })
        .def_property_readonly("status", [](const py_recipient& r) { return r.rec.status; })
        .def_property_readonly("reply_code", [](const py_recipient& r) { return r.rec.reply_code; })
        .def_property_readonly("diagnostic", [](const py_recipient& r) { return r.rec.diagnostic; })
        .def_property_readonly("outcome", [](const py_recipient& r) { return r.rec.outcome; })
        .def_property_readonly("reason", [](const py_recipient& r) { return r.rec.reason; })
        .def_property_readonly("verdict", [](const py_recipient& r) { return r.rec.verdict; })
        .def_property_readonly("why", [](const py_recipient& r) {
            return py_explanation{r.rec.why_by, r.rec.why_text, r.rec.why_rule, r.rec.why_provider, r.rec.why_source};
        })
        .def_property_readonly("source", [](const py_recipient& r) { return r.rec.source; })
        .def("to_dict", &recipient_dict)
        .def("__repr__", [](const py_recipient& r) {
            return "BounceRecipient(address=" + quoted(r.rec.recipient) + ", status='" + r.rec.status + "', reason='" +
                   r.rec.reason + "', verdict='" + r.rec.verdict + "')";
        });

    py::class_<py_bounce>(m, "Bounce", "A bounce message as read_bounce() read it, immutable.")
        .def_readonly("file", &py_bounce::file, "The file it was read from; '' for bytes.")
        .def_property_readonly("message", [](const py_bounce& b) -> py::object {
            return b.message != 0 ? py::object(py::int_(b.message)) : py::object(py::none());
        }, "Its number in an mbox file (from 1), or None when the file is one message.")
        .def_readonly("line", &py_bounce::line, "The line of the file the message starts on.")
        .def_property_readonly("name", [](const py_bounce& b) {
            return b.message != 0 ? b.file + ":" + std::to_string(b.message) : b.file;
        }, "How `esc dsn` names it: FILE, or FILE:N for the Nth message of an mbox.")
        .def_readonly("source", &py_bounce::source, "dsn, text or json.")
        .def_readonly("kind", &py_bounce::kind, "none, delivery_status, feedback or auto_reply.")
        .def_readonly("error", &py_bounce::error, "none, not_a_bounce, no_recipients, buffer_too_small, "
                                                    "bad_encoding, storage_full.")
        .def_readonly("total", &py_bounce::total, "Recipients found.")
        .def_readonly("subject", &py_bounce::subject)
        .def_readonly("to", &py_bounce::to)
        .def_readonly("feedback_type", &py_bounce::feedback_type)
        .def_property_readonly("recipients", [](const py_bounce& b) { return py::tuple(py::cast(b.recipients)); })
        .def_property_readonly("returned", &returned_dict)
        .def("__len__", [](const py_bounce& b) { return b.recipients.size(); })
        .def("to_dict", [](const py_bounce& b) {
            py::dict d;
            d["file"] = string_or_null(b.file);
            d["message"] = b.message != 0 ? py::object(py::int_(b.message)) : py::object(py::none());
            d["line"] = b.line;
            d["source"] = b.source;
            d["kind"] = b.kind;
            d["error"] = b.error;
            d["total"] = b.total;
            py::list rs;
            for (const py_recipient& r : b.recipients) {
                py::dict j = recipient_dict(r);
                j["returned"] = returned_dict(b);
                rs.append(j);
            }
            d["recipients"] = rs;
            return d;
        })
        .def("__repr__", [](const py_bounce& b) {
            return "Bounce(file=" + quoted(b.message != 0 ? b.file + ":" + std::to_string(b.message) : b.file) +
                   ", kind='" + b.kind + "', source='" + b.source +
                   "', recipients=" + std::to_string(b.recipients.size()) + ", error='" + b.error + "')";
        });

    m.def("read_bounce", [](const py::handle& message, bool strict) {
              const std::string in = bytes_or_str(message);
              py_bounce b;
              {
                  py::gil_scoped_release unlocked;
                  b = bounce_of(in, "");
              }
              if (strict && b.recipients.empty() && b.kind != "feedback")
                  raise(bounce_error_type, "no recipients read: " + b.error, b.error, py::none(), py::cast(b));
              return b;
          }, py::arg("message"), py::arg("strict") = false,
          "Reads a bounce message (raw bytes of an email: RFC 3464 DSN, prose bounce, ARF, SES JSON).\n"
          "strict=True raises BounceError (kind: not_a_bounce, no_recipients, ...; partial: the Bounce) when\n"
          "no recipient was read; otherwise the Bounce says so in `error`.");

    m.def("read_bounces", [](const py::iterable& items) {
              const py::object fspath = py::module_::import("os").attr("fsdecode");
              std::vector<std::string> paths;
              for (const py::handle& h : items) paths.push_back(fspath(h).cast<std::string>());
              std::vector<py_bounce> out;
              std::vector<std::string> failed;
              {
                  py::gil_scoped_release unlocked;
                  for (const std::string& p : paths) read_path(p, out, failed);
              }
              if (!failed.empty()) {
                  PyErr_SetString(PyExc_OSError, failed.front().c_str());
                  throw py::error_already_set();
              }
              return out;
          }, py::arg("paths"),
          "Reads every message of the paths as `esc dsn` does (files; folders recursively, in name order, a\n"
          "maildir's tmp/ and dot files left out; each message of an mbox file), in C++ with the GIL released;\n"
          "a list of Bounce. OSError if a path is missing or unreadable. Compressed files are not decompressed.");

    m.def("scan_text", [](const py::handle& data) {
              const std::string in = bytes_or_str(data);
              scan_counts s;
              {
                  py::gil_scoped_release unlocked;
                  scan_buffer(in, s);
              }
              return scan_dict(s);
          }, py::arg("data"),
          "Counts the delivery attempts of mail log text (Postfix, Exim, sendmail) exactly as `esc scan` does:\n"
          "a dict of lines, bytes, attempts, expired, not_attempted (deferrals logged without trying), probes\n"
          "(address verification), malformed, too_long, binary, formats, dispositions,\n"
          "reasons ({reason: (deferred, bounced)}), codes ({status: failures}), domains. GIL released.");
}
