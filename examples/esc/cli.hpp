// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// How subcommands plug into the esc tool. Each lives in its own cmd_*.cpp and
// provides one function, add_<name>(CLI::App& app, const context& ctx), that
// registers its CLI11 subcommand and returns it with the function running it.
// main.cpp lists them; adding a subcommand is one file and one line there.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <esc/command.hpp>
#include <esc/rules.hpp>

#include "output.hpp"

namespace esc_cli {

// Exit statuses of the tool.
enum exit_status : int {
    exit_ok = 0,
    exit_not_understood = 1, // some records not understood (still processed, counted), an input unreadable, a write failed
    exit_usage = 2,          // bad command line (a bad --rules file included)
};

// What the main program owns and the subcommands read once they run.
struct context {
    std::string color_mode = "auto";
    console out; // filled in after parsing, before a subcommand runs
    std::string rules_path;                    // --rules FILE
    std::shared_ptr<const esc::rule_set> rules; // loaded from it before a subcommand runs; null without --rules
};

struct subcommand {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

subcommand add_explain(CLI::App& app, const context& ctx);
subcommand add_classify(CLI::App& app, const context& ctx);
subcommand add_list(CLI::App& app, const context& ctx);
subcommand add_scan(CLI::App& app, const context& ctx);
subcommand add_dsn(CLI::App& app, const context& ctx);
// `esc help [SUBCOMMAND]`: the --help text of the program or of a subcommand.
subcommand add_help(CLI::App& app, const std::vector<subcommand>& others);

// --command NAME, shared by explain and classify: validated with esc::parse_command().
CLI::Option* add_command_option(CLI::App& app, std::string& target);
std::optional<esc::command> command_from(const std::string& name);
// Reads and parses ctx.rules_path into ctx.rules; reports "FILE:LINE: what is wrong" and returns false on error.
bool load_rules(context& ctx);
// The processors this process may run on (its affinity mask: a container's or
// taskset's limit), at least one: what -j 0 (the default) of scan and dsn means.
std::size_t available_cores();

} // namespace esc_cli
