// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc: SMTP status codes for postmasters. explain a code, classify replies,
// list the registry, summarise the failures in a mail log.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <sched.h>
#include <sstream>
#include <thread>
#include <vector>

#include <esc/esc.hpp>

#include "cli.hpp"

namespace esc_cli {

CLI::Option* add_command_option(CLI::App& app, std::string& target) {
    return app
        .add_option("--command", target,
                    "The SMTP command the replies answer: connect, helo, ehlo, starttls, auth, mail, rcpt, data, "
                    "end_of_data (eod), bdat, rset, vrfy, expn, help, noop, quit, etrn")
        ->type_name("CMD")
        ->check(CLI::Validator(
            [](std::string& s) -> std::string {
                return esc::parse_command(s) ? std::string() : "not an SMTP command: " + s;
            },
            "CMD"));
}

bool load_rules(context& ctx) {
    std::ifstream in(ctx.rules_path, std::ios::binary);
    if (!in) {
        error(ctx.out, fmt::format("{}: {} (the file given with --rules)", printable(ctx.rules_path), std::strerror(errno)));
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto [rules, errors] = esc::rule_set::parse(text.str(), ctx.rules_path);
    for (const std::string& e : errors) error(ctx.out, e);
    if (!errors.empty()) return false;
    ctx.rules = std::make_shared<const esc::rule_set>(std::move(rules));
    return true;
}

std::optional<esc::command> command_from(const std::string& name) {
    if (name.empty()) return esc::command::unknown;
    return esc::parse_command(name);
}

std::size_t available_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) return static_cast<std::size_t>(n);
    }
    const unsigned n = std::thread::hardware_concurrency();
    return n != 0 ? n : 1;
}

} // namespace esc_cli

namespace {

// CLI11's complaints in the tool's voice: "esc: ...", and where to read more.
std::string usage_message(const CLI::App* app, const CLI::Error& e) {
    if (app->get_subcommands().empty() && !app->remaining().empty()) {
        const std::string word = app->remaining().front();
        if (!word.empty() && word[0] != '-')
            return fmt::format("esc: '{}' is not a subcommand: there are explain, classify, list, scan, dsn and "
                               "help\nRun 'esc --help' for the options.\n",
                               esc_cli::printable(word));
    }
    std::string name = "esc";
    for (const CLI::App* sub : app->get_subcommands()) name += " " + sub->get_name(); // the one being parsed
    return fmt::format("esc: {}\nRun '{} --help' for the options.\n", e.what(), name);
}

} // namespace

int main(int argc, char** argv) {
    using namespace esc_cli;
    install_signal_handlers();
    context ctx;
    CLI::App app{"esc: SMTP status codes for postmasters. Explain a code, classify server replies, list the "
                 "registry of enhanced status codes, summarise the failures in a mail log.",
                 "esc"};
    app.set_version_flag("--version", fmt::format("esc {}.{}.{}", ESC_VERSION_MAJOR, ESC_VERSION_MINOR,
                                                  ESC_VERSION_PATCH));
    app.add_option("--color", ctx.color_mode,
                   "Colour the output: auto (when writing to a terminal and NO_COLOR is not set), always, never")
        ->type_name("WHEN")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    app.add_option("--rules", ctx.rules_path,
                   "Your own classification rules, consulted before the built-in ones by classify, explain, scan "
                   "and dsn (the format is in README.md, 'Your own rules')")
        ->type_name("FILE");
    app.require_subcommand(1);
    app.fallthrough(); // --color may come after the subcommand too
    app.failure_message(usage_message);
    app.footer("Exit status: 0 fine; 1 some records could not be understood, an input could not be read, or the "
               "output could not be written; 2 usage error.\n"
               "Run 'esc help SUBCOMMAND' or 'esc SUBCOMMAND --help' for a subcommand's options.");

    std::vector<subcommand> subcommands = {
        add_explain(app, ctx),
        add_classify(app, ctx),
        add_list(app, ctx),
        add_scan(app, ctx),
        add_dsn(app, ctx),
    };
    subcommands.push_back(add_help(app, subcommands));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Through strings, so that a failed write of the help text is reported as any other.
        std::ostringstream text, complaint;
        const int code = app.exit(e, text, complaint);
        std::fputs(complaint.str().c_str(), stderr);
        {
            writer out(stdout);
            out.write(text.str());
        }
        return finish_output(code == 0 ? exit_ok : exit_usage);
    }

    ctx.out = console::detect(ctx.color_mode);
    if (!ctx.rules_path.empty() && !load_rules(ctx)) return exit_usage;
    try {
        for (const subcommand& s : subcommands)
            if (s.app->parsed()) return finish_output(s.run());
    } catch (const std::exception& e) {
        error(ctx.out, e.what());
        return finish_output(exit_not_understood);
    }
    return exit_usage;
}

namespace esc_cli {

subcommand add_help(CLI::App& app, const std::vector<subcommand>& others) {
    auto* cmd = app.add_subcommand("help", "Show the help of esc or of one subcommand ('esc help scan')");
    auto name = std::make_shared<std::string>();
    cmd->add_option("SUBCOMMAND", *name, "explain, classify, list, scan or dsn");
    return {cmd, [&app, &others, name]() -> int {
                writer out(stdout);
                if (name->empty()) {
                    out.write(app.get_formatter()->make_help(&app, "esc", CLI::AppFormatMode::Normal));
                    return exit_ok;
                }
                for (const subcommand& s : others)
                    if (s.app->get_name() == *name) {
                        out.write(s.app->help("esc"));
                        return exit_ok;
                    }
                std::cerr << fmt::format("esc: help: no subcommand '{}'; there are explain, classify, list, scan "
                                         "and dsn\n",
                                         printable(*name));
                return exit_usage;
            }};
}

} // namespace esc_cli
