// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
//
// esc's benchmarks, with the baselines a user would otherwise write measured
// in the same run, so every speed-up is a ratio of two figures taken
// side by side:
//  (a) code extraction with std::regex_search for
//      ([245]\d\d)[ -]([245])\.(\d{1,3})\.(\d{1,3})  against find_reply();
//  (b) classification by lower-casing the text and calling
//      std::string_view::find for each phrase of esc's own phrase table,
//      first match in table order wins                against classify(text).
//  (c) a loop that only adds up every byte of the texts: the limit any
//      scan of them meets (classify() and the phrase scan against it);
//  (d) with libhyperscan-dev installed (ESC_HAVE_HYPERSCAN), Hyperscan
//      scanning each text for the same phrases, case-insensitive literals,
//      every match reported (Hyperscan's own fastest mode for a set of
//      literals; esc's phrase semantics, words and host names, it has not).
// Texts: the Diagnostic-Code texts of the Sisimai corpus (when present) and
// the lines of the project's sample data in examples/data.
#include <esc/classify.hpp>
#include <esc/format_reply.hpp>
#include <esc/registry.hpp>
#include <esc/reply.hpp>
#include <esc/reply_code.hpp>
#include <esc/reply_reader.hpp>
#include <esc/status.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "support/flat_json.hpp"

#if defined(ESC_HAVE_HYPERSCAN)
#include <hs.h>
#endif

namespace {

using namespace esc::literals;

struct text_set {
    std::vector<std::string> texts;
    std::size_t bytes = 0;
    void add(std::string t) {
        bytes += t.size();
        texts.push_back(std::move(t));
    }
};

const text_set& corpus_texts() {
    static const text_set set = [] {
        text_set s;
        std::ifstream in(std::filesystem::path(ESC_CORPUS_DIR) / "sisimai" / "sisimai-labels.jsonl");
        for (std::string line; std::getline(in, line);) {
            std::string t = esc_test::parse_flat_json(line)["diagnosticcode"];
            if (!t.empty()) s.add(std::move(t));
        }
        return s;
    }();
    return set;
}

// Every line of the sample data that mentions a delivery result.
const text_set& sample_texts() {
    static const text_set set = [] {
        text_set s;
        std::error_code ec;
        for (const auto& f : std::filesystem::directory_iterator(ESC_SAMPLE_DIR, ec)) {
            if (!f.is_regular_file() || f.path().extension() == ".gz") continue;
            std::ifstream in(f.path());
            for (std::string line; std::getline(in, line);)
                if (line.find("said:") != std::string::npos || line.find("status=") != std::string::npos ||
                    line.find(" ** ") != std::string::npos || line.find(" == ") != std::string::npos ||
                    (line.size() > 4 && line[0] >= '2' && line[0] <= '5' && (line[3] == ' ' || line[3] == '-')))
                    s.add(line);
        }
        return s;
    }();
    return set;
}

const text_set& texts_for(std::int64_t which) { return which == 0 ? corpus_texts() : sample_texts(); }
const char* name_of(std::int64_t which) { return which == 0 ? "corpus" : "samples"; }

template <class F>
void over_texts(benchmark::State& state, F&& f) {
    const text_set& set = texts_for(state.range(0));
    if (set.texts.empty()) {
        state.SkipWithError("no texts (corpus or sample data absent)");
        return;
    }
    state.SetLabel(name_of(state.range(0)));
    for (auto _ : state)
        for (const std::string& t : set.texts) f(t);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(set.texts.size()));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(set.bytes));
}

const std::string_view status_inputs[] = {"5.1.1", "4.7.606", "2.0.0", "5.7.26", "4.2.2", "5.1.10", "x.1.1", "5.01.1"};

void BM_parse_status(benchmark::State& state) {
    for (auto _ : state)
        for (std::string_view s : status_inputs) benchmark::DoNotOptimize(esc::parse_status(s));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(std::size(status_inputs)));
}
BENCHMARK(BM_parse_status);

void BM_from_chars(benchmark::State& state) {
    const std::string_view text = "550 5.7.606 Access denied";
    for (auto _ : state) {
        esc::status_code c{};
        auto r = esc::from_chars(text.data() + 4, text.data() + text.size(), c);
        benchmark::DoNotOptimize(r);
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_from_chars);

void BM_to_chars(benchmark::State& state) {
    const esc::status_code codes[] = {"5.1.1"_esc, "4.7.606"_esc, "2.0.0"_esc, "5.7.26"_esc};
    char buf[16];
    for (auto _ : state)
        for (esc::status_code c : codes) {
            auto r = esc::to_chars(buf, buf + sizeof buf, c);
            benchmark::DoNotOptimize(r);
            benchmark::ClobberMemory();
        }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(std::size(codes)));
}
BENCHMARK(BM_to_chars);

// All registered codes plus unregistered ones, so both paths are measured.
std::vector<esc::status_code> lookup_codes() {
    std::vector<esc::status_code> v;
    for (const esc::registry_entry& e : esc::registry()) v.push_back(e.code(esc::status_class::permanent));
    for (esc::status_code c : {"5.7.606"_esc, "4.7.500"_esc, "5.4.310"_esc, "5.9.1"_esc}) v.push_back(c);
    return v;
}

void BM_lookup(benchmark::State& state) {
    const auto codes = lookup_codes();
    for (auto _ : state)
        for (esc::status_code c : codes) benchmark::DoNotOptimize(esc::lookup(c));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(codes.size()));
}
BENCHMARK(BM_lookup);

void BM_describe(benchmark::State& state) {
    const auto codes = lookup_codes();
    for (auto _ : state)
        for (esc::status_code c : codes) benchmark::DoNotOptimize(esc::describe(c));
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(codes.size()));
}
BENCHMARK(BM_describe);

const std::string short_reply = "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n";
const std::string gmail_reply =
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. Learn more at\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si5823612qkb.12 - gsmtp\r\n";

void BM_parse_reply(benchmark::State& state) {
    const std::string& in = state.range(0) == 0 ? short_reply : gmail_reply;
    state.SetLabel(state.range(0) == 0 ? "one line" : "4-line Gmail");
    for (auto _ : state) benchmark::DoNotOptimize(esc::parse_reply(in));
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}
BENCHMARK(BM_parse_reply)->Arg(0)->Arg(1);

// A session as a server sends it: greeting, a 10-line EHLO reply, the
// pipelined MAIL/RCPT/DATA replies, the verdict, QUIT (Postfix's words).
const std::string session_bytes =
    "220 mx.example.com ESMTP Postfix\r\n"
    "250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n"
    "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
    "250 2.0.0 Ok: queued as 4Fq1Xk2mZ9z9\r\n221 2.0.0 Bye\r\n";
constexpr int session_replies = 7;

// parse_reply() walked over the whole session in one buffer: the floor.
void BM_session_parse_reply(benchmark::State& state) {
    for (auto _ : state) {
        std::string_view rest = session_bytes;
        while (!rest.empty()) {
            const esc::parsed_reply p = esc::parse_reply(rest);
            benchmark::DoNotOptimize(p);
            rest.remove_prefix(p.offset);
        }
    }
    state.SetItemsProcessed(state.iterations() * session_replies);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(session_bytes.size()));
}
BENCHMARK(BM_session_parse_reply);

// reply_reader fed the session in pieces of Arg bytes (0: all at once), the
// replies taken after each piece, as from recv().
void BM_reply_reader(benchmark::State& state) {
    const auto piece = static_cast<std::size_t>(state.range(0));
    state.SetLabel(piece == 0 ? "whole" : std::to_string(piece) + "-byte pieces");
    esc::fixed_reply_reader<4096> reader;
    std::int64_t replies = 0;
    for (auto _ : state) {
        const std::string_view all = session_bytes;
        for (std::size_t at = 0; at < all.size();) {
            const std::size_t n = piece == 0 ? all.size() : std::min(piece, all.size() - at);
            reader.feed(all.substr(at, n));
            at += n;
            while (const esc::read_result r = reader.next()) {
                benchmark::DoNotOptimize(r);
                ++replies;
            }
        }
    }
    if (replies != state.iterations() * session_replies) state.SkipWithError("reader lost replies");
    state.SetItemsProcessed(replies);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(session_bytes.size()));
}
BENCHMARK(BM_reply_reader)->Arg(0)->Arg(1)->Arg(16)->Arg(1460);

void BM_find_reply(benchmark::State& state) {
    over_texts(state, [](const std::string& t) { benchmark::DoNotOptimize(esc::find_reply(t)); });
}
BENCHMARK(BM_find_reply)->Arg(0)->Arg(1);

// Baseline (a).
void BM_baseline_regex_find(benchmark::State& state) {
    static const std::regex pattern(R"(([245]\d\d)[ -]([245])\.(\d{1,3})\.(\d{1,3}))");
    over_texts(state, [](const std::string& t) {
        std::smatch m;
        benchmark::DoNotOptimize(std::regex_search(t, m, pattern));
    });
}
BENCHMARK(BM_baseline_regex_find)->Arg(0)->Arg(1);

void BM_classify_text(benchmark::State& state) {
    over_texts(state, [](const std::string& t) { benchmark::DoNotOptimize(esc::classify(t)); });
}
BENCHMARK(BM_classify_text)->Arg(0)->Arg(1);

// Baseline (b): the same phrase table, found the obvious way.
void BM_baseline_lowercase_find(benchmark::State& state) {
    static const std::vector<std::pair<std::string, esc::reason>> phrases = [] {
        std::vector<std::pair<std::string, esc::reason>> v;
        for (std::size_t id = 0; id < esc::detail::builtin_phrase_patterns.size(); ++id) {
            const esc::detail::phrase_rule& rule = esc::detail::builtin_phrase_rules[id];
            if (rule.kind != esc::detail::rule_kind::reason_phrase) continue;
            std::string s(esc::detail::builtin_phrase_patterns[id]);
            if (!s.empty() && s.back() == '*') s.pop_back();
            v.emplace_back(std::move(s), static_cast<esc::reason>(rule.value));
        }
        return v;
    }();
    over_texts(state, [](const std::string& t) {
        std::string lower(t);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
        const std::string_view view(lower);
        esc::reason r = esc::reason::other;
        for (const auto& [phrase, why] : phrases)
            if (view.find(phrase) != std::string_view::npos) {
                r = why;
                break;
            }
        benchmark::DoNotOptimize(r);
    });
}
BENCHMARK(BM_baseline_lowercase_find)->Arg(0)->Arg(1);

// The phrase scan alone: what classify() reads of a text's words.
void BM_phrase_scan(benchmark::State& state) {
    over_texts(state, [](const std::string& t) { benchmark::DoNotOptimize(esc::detail::find_phrases(t)); });
}
BENCHMARK(BM_phrase_scan)->Arg(0)->Arg(1);

// Baseline (c): every byte read once, one at a time, and nothing else done
// (the empty asm keeps the compiler from adding sixteen bytes at a time:
// a scan that looks at each byte cannot be faster than this loop).
void BM_baseline_byte_sum(benchmark::State& state) {
    over_texts(state, [](const std::string& t) {
        unsigned sum = 0;
        for (unsigned char c : t) {
            sum += c;
            asm volatile("" : "+r"(sum));
        }
        benchmark::DoNotOptimize(sum);
    });
}
BENCHMARK(BM_baseline_byte_sum)->Arg(0)->Arg(1);

#if defined(ESC_HAVE_HYPERSCAN)
// Baseline (d): Hyperscan over the same phrases (prefix words as their stem).
void BM_baseline_hyperscan(benchmark::State& state) {
    struct database {
        hs_database_t* db = nullptr;
        hs_scratch_t* scratch = nullptr;
        database() {
            std::vector<std::string> literals;
            for (std::size_t id = 0; id < esc::detail::builtin_phrase_patterns.size(); ++id) {
                std::string s(esc::detail::builtin_phrase_patterns[id]);
                if (!s.empty() && s.back() == '*') s.pop_back();
                literals.push_back(std::move(s));
            }
            std::vector<const char*> exprs;
            std::vector<unsigned> flags, ids;
            std::vector<std::size_t> lens;
            for (std::size_t i = 0; i < literals.size(); ++i) {
                exprs.push_back(literals[i].c_str());
                lens.push_back(literals[i].size());
                flags.push_back(HS_FLAG_CASELESS);
                ids.push_back(static_cast<unsigned>(i));
            }
            hs_compile_error_t* error = nullptr;
            if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                     static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
                std::fprintf(stderr, "hyperscan: %s\n", error != nullptr ? error->message : "compile failed");
                hs_free_compile_error(error);
                db = nullptr;
                return;
            }
            if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) scratch = nullptr;
        }
    };
    static const database d;
    if (d.db == nullptr || d.scratch == nullptr) {
        state.SkipWithError("hyperscan database not built");
        return;
    }
    over_texts(state, [](const std::string& t) {
        unsigned matches = 0;
        hs_scan(d.db, t.data(), static_cast<unsigned>(t.size()), 0, d.scratch,
                [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
                    ++*static_cast<unsigned*>(ctx);
                    return 0;
                },
                &matches);
        benchmark::DoNotOptimize(matches);
    });
}
BENCHMARK(BM_baseline_hyperscan)->Arg(0)->Arg(1);
#endif

void BM_format_reply(benchmark::State& state) {
    const std::string text = state.range(0) == 0 ? std::string("<bob@example.com>: Recipient address rejected: User unknown")
                                                 : std::string(1500, 'x').replace(700, 1, " ");
    state.SetLabel(state.range(0) == 0 ? "one line" : "1500 bytes, wrapped");
    std::string out(esc::formatted_reply_size(esc::reply_code{550}, "5.1.1"_esc, text), '\0');
    for (auto _ : state) {
        auto r = esc::format_reply(out.data(), out.data() + out.size(), esc::reply_code{550}, "5.1.1"_esc, text);
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}
BENCHMARK(BM_format_reply)->Arg(0)->Arg(1);

// Records items/s per run so the ratios can be printed after the tables.
class ratio_reporter : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> items_per_second;

    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& r : runs) {
            if (r.error_occurred || r.run_type != Run::RT_Iteration) continue;
            const auto it = r.counters.find("items_per_second");
            if (it != r.counters.end()) items_per_second[r.benchmark_name()] = it->second;
        }
        ConsoleReporter::ReportRuns(runs);
    }
};

void print_ratio(const ratio_reporter& r, const char* what, const std::string& ours, const std::string& theirs) {
    const auto a = r.items_per_second.find(ours), b = r.items_per_second.find(theirs);
    if (a == r.items_per_second.end() || b == r.items_per_second.end() || b->second <= 0) return;
    std::printf("%-44s %10.2fx  (%.3g vs %.3g items/s)\n", what, a->second / b->second, a->second, b->second);
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::printf("texts: corpus %zu (%zu bytes), samples %zu (%zu bytes)\n", corpus_texts().texts.size(),
                corpus_texts().bytes, sample_texts().texts.size(), sample_texts().bytes);
    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf("\nRatios measured in this run (esc / baseline):\n");
    print_ratio(reporter, "find_reply vs std::regex_search, corpus", "BM_find_reply/0", "BM_baseline_regex_find/0");
    print_ratio(reporter, "find_reply vs std::regex_search, samples", "BM_find_reply/1", "BM_baseline_regex_find/1");
    print_ratio(reporter, "classify vs lower-case + find, corpus", "BM_classify_text/0", "BM_baseline_lowercase_find/0");
    print_ratio(reporter, "classify vs lower-case + find, samples", "BM_classify_text/1", "BM_baseline_lowercase_find/1");
    print_ratio(reporter, "classify vs std::regex_search, corpus", "BM_classify_text/0", "BM_baseline_regex_find/0");
    print_ratio(reporter, "classify vs std::regex_search, samples", "BM_classify_text/1", "BM_baseline_regex_find/1");
    print_ratio(reporter, "classify vs the byte-sum limit, corpus", "BM_classify_text/0", "BM_baseline_byte_sum/0");
    print_ratio(reporter, "classify vs the byte-sum limit, samples", "BM_classify_text/1", "BM_baseline_byte_sum/1");
    print_ratio(reporter, "phrase scan vs the byte-sum limit, corpus", "BM_phrase_scan/0", "BM_baseline_byte_sum/0");
    print_ratio(reporter, "phrase scan vs the byte-sum limit, samples", "BM_phrase_scan/1", "BM_baseline_byte_sum/1");
    print_ratio(reporter, "phrase scan vs Hyperscan, corpus", "BM_phrase_scan/0", "BM_baseline_hyperscan/0");
    print_ratio(reporter, "phrase scan vs Hyperscan, samples", "BM_phrase_scan/1", "BM_baseline_hyperscan/1");
    benchmark::Shutdown();
}
