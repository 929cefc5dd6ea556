// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
//
// classify() over the lines of a file, ROUNDS times over: prints the best of
// TRIES timings of the whole loop, in nanoseconds a text. Built by
// bench/compare_english_only.sh against two include trees; it uses only what
// both have (esc::classify(std::string_view) and its reason).
//
//   classify_stream FILE ROUNDS TRIES
#include <esc/classify.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s FILE ROUNDS TRIES\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1]);
    std::vector<std::string> texts;
    for (std::string line; std::getline(in, line);) texts.push_back(line);
    const int rounds = std::atoi(argv[2]), tries = std::atoi(argv[3]);
    if (texts.empty() || rounds < 1 || tries < 1) {
        std::fprintf(stderr, "%s: no texts, or ROUNDS or TRIES below 1\n", argv[1]);
        return 2;
    }
    unsigned sink = 0;
    double best = 0;
    for (int t = 0; t < tries; ++t) {
        const auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < rounds; ++r)
            for (const std::string& s : texts) sink += static_cast<unsigned>(esc::classify(s).reason);
        const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
        const double per_text = took.count() / (static_cast<double>(rounds) * static_cast<double>(texts.size()));
        if (t == 0 || per_text < best) best = per_text;
    }
    std::printf("%.1f %u\n", best, sink % 2); // the sum keeps the loop from being optimised away
    return 0;
}
