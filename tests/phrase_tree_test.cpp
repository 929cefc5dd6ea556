// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The generated phrase tree must be what the builder makes of phrases.hpp
// today, and the matcher must find what the phrase syntax promises.
#include <esc/classify.hpp>
#include <esc/detail/phrase_tree_builder.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

namespace {

std::set<std::string> found(std::string_view text) {
    std::set<std::string> out;
    esc::detail::phrase_scanner<esc::detail::phrase_tree_type>(esc::detail::phrase_tree_data)
        .scan(text, [&](std::uint16_t id) { out.insert(std::string(esc::detail::phrase_text(id))); });
    return out;
}

template <class Array, class Vector>
bool same_numbers(const Array& a, const Vector& v) {
    return a.size() == v.size() && std::equal(v.begin(), v.end(), a.begin());
}

} // namespace

TEST_CASE("phrase_tree_data.hpp is up to date with phrases.hpp") {
    const esc::detail::built_phrase_tree built = esc::detail::build_phrase_tree();
    const auto& data = esc::detail::phrase_tree_data;
    INFO("if this fails, run: cmake --build <build dir> --target esc_regenerate_phrase_tree");
    CHECK(esc::detail::phrase_tree_phrase_count == esc::detail::phrase_count);
    CHECK(esc::detail::phrase_tree_character_count == esc::detail::phrase_characters());
    CHECK(data.exact_tokens == built.exact_tokens);
    CHECK(data.prefix_lengths == built.prefix_lengths);
    CHECK(same_numbers(data.prefix_starts, built.prefix_starts));
    CHECK(same_numbers(data.root_child, built.root_child));
    CHECK(same_numbers(data.screen, built.screen));
    CHECK(same_numbers(data.slot_hash, built.slot_hash));
    CHECK(same_numbers(data.slot_token, built.slot_token));
    CHECK(same_numbers(data.token_offset, built.token_offset));
    CHECK(std::string(data.token_chars.data(), data.token_chars.size() - 1) == built.token_chars);
    CHECK(same_numbers(data.first_edge, built.first_edge));
    CHECK(same_numbers(data.edge_token, built.edge_token));
    CHECK(same_numbers(data.edge_target, built.edge_target));
    CHECK(same_numbers(data.match, built.match));
    REQUIRE(esc::detail::phrase_reasons.size() == esc::detail::reason_phrase_count);
    REQUIRE(esc::detail::phrase_commands.size() == esc::detail::command_phrase_count);
    bool meanings = true;
    for (std::size_t i = 0; i < esc::detail::reason_phrase_count; ++i)
        meanings = meanings && esc::detail::phrase_reasons[i] == static_cast<std::uint8_t>(esc::detail::reason_phrases[i].implies);
    for (std::size_t i = 0; i < esc::detail::command_phrase_count; ++i)
        meanings = meanings && esc::detail::phrase_commands[i] == static_cast<std::uint8_t>(esc::detail::command_phrases[i].context);
    CHECK(meanings);
}

TEST_CASE("every phrase is well formed, unique and short enough for the walkers") {
    std::set<std::string_view> seen;
    for (std::size_t id = 0; id < esc::detail::phrase_count; ++id) {
        const std::string_view p = esc::detail::phrase_text(id);
        CAPTURE(p);
        CHECK(esc::detail::is_well_formed_phrase(p));
        CHECK(esc::detail::word_count(p) <= esc::detail::max_walkers);
        CHECK(seen.insert(p).second);
    }
}

TEST_CASE("every phrase is found in a text made of itself") {
    for (std::size_t id = 0; id < esc::detail::phrase_count; ++id) {
        std::string p(esc::detail::phrase_text(id));
        if (p.back() == '*') p.pop_back();
        CAPTURE(p);
        CHECK(found("Error: " + p + ".").count(std::string(esc::detail::phrase_text(id))) == 1);
    }
}

TEST_CASE("matching ignores case and treats any run of non-alphanumerics as one space") {
    CHECK(found("USER UNKNOWN").count("user unknown") == 1);
    CHECK(found("User_Unknown").count("user unknown") == 1);
    CHECK(found("user -- unknown").count("user unknown") == 1);
    CHECK(found("user\r\n\tunknown").count("user unknown") == 1);
    CHECK(found("The mailbox doesn't exist").count("doesn t exist") == 1);
}

TEST_CASE("phrases start and end at word boundaries unless they end in '*'") {
    CHECK(found("superuser unknown").count("user unknown") == 0);
    CHECK(found("user unknownish").count("user unknown") == 0);
    CHECK(found("spamhaus.org").count("spam*") == 1);
    CHECK(found("spamhaus.org").count("spamhaus*") == 1);
    CHECK(found("Greylisted, try later").count("greylist*") == 1);
    CHECK(found("antispam").count("spam*") == 0);
    CHECK(found("rbl.example").count("rbl") == 1);
    CHECK(found("verbl").count("rbl") == 0);
}

TEST_CASE("bytes >= 0x80 are word characters in no phrase") {
    CHECK(found("n\xc3\xa9" "e user unknown").count("user unknown") == 1);
    CHECK(found("user\xc2\xa0unknown").count("user unknown") == 0); // NBSP is not ASCII white space
    CHECK(found("\xff\xfe\xfd").empty());
    CHECK(found("unknown\xc3\xa9 user").empty());
}

TEST_CASE("a phrase may start inside another one that fails") {
    CHECK(found("no such user unknown").count("user unknown") == 1);
    CHECK(found("no such user unknown").count("no such user") == 1);
    CHECK(found("relay relay access denied").count("relay access denied") == 1);
}

TEST_CASE("overlapping phrases are all reported") {
    const auto f = found("Client host [192.0.2.1] blocked using zen.spamhaus.org");
    CHECK(f.count("client host rejected") == 0);
    CHECK(f.count("blocked using") == 1);
    CHECK(f.count("blocked") == 1);
    CHECK(f.count("spamhaus*") == 1);
    CHECK(f.count("spam*") == 1);
}
