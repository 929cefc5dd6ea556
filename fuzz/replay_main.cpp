// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// Runs a fuzz target's checks over files, without libFuzzer: every argument
// is a file or a directory of files (a seed corpus, a crash reproducer).
// Builds with any compiler, so the seeds and past findings are checked by
// every build of the test suite.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& p) {
    std::fprintf(stderr, "replay: %s\n", p.string().c_str()); // names the input a failed check stops at
    std::ifstream in(p, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A buffer of exactly the input's size: a sanitizer build sees reads past it.
    std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
}

} // namespace

int main(int argc, char** argv) {
    std::size_t files = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            std::vector<std::filesystem::path> paths;
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file()) paths.push_back(e.path());
            std::sort(paths.begin(), paths.end());
            for (const auto& p : paths) {
                run_file(p);
                ++files;
            }
        } else if (std::filesystem::is_regular_file(arg, ec)) {
            run_file(arg);
            ++files;
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
    }
    // The empty input, always.
    LLVMFuzzerTestOneInput(nullptr, 0);
    std::printf("replayed %zu inputs and the empty one\n", files);
    return files != 0 ? 0 : 1;
}
