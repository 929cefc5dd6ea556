// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The generated phrase tree must be what the builder makes of phrases.hpp
// today, and the matcher must find what the phrase syntax promises.
#include <esc/classify.hpp>
#include <esc/detail/phrase_tree_builder.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace {

esc::detail::plain_phrase_trie trie;
esc::detail::roomy_phrase_tree built;

std::set<std::string> found(std::string_view text) {
    std::set<std::string> out;
    esc::detail::phrase_scanner<esc::detail::phrase_tree_type>(esc::detail::phrase_tree_data)
        .scan(text, [&](std::uint16_t id) { out.insert(std::string(esc::detail::phrase_text(id))); });
    return out;
}

} // namespace

TEST_CASE("phrase_tree_data.hpp is up to date with phrases.hpp") {
    const esc::detail::tree_size size = esc::detail::build_phrase_tree(trie, built);
    const auto& data = esc::detail::phrase_tree_data;
    INFO("if this fails, run: cmake --build <build dir> --target esc_regenerate_phrase_tree");
    REQUIRE(size.nodes == data.label_offset.size());
    REQUIRE(size.pool + 1 == data.labels.size());
    CHECK(esc::detail::phrase_tree_phrase_count == esc::detail::phrase_count);
    CHECK(esc::detail::phrase_tree_character_count == esc::detail::phrase_characters());
    bool same = built.root_child == data.root_child;
    for (std::size_t i = 0; i < size.nodes; ++i)
        same = same && built.label_offset[i] == data.label_offset[i] && built.label_length[i] == data.label_length[i] &&
               built.first_child[i] == data.first_child[i] && built.child_count[i] == data.child_count[i] &&
               built.match[i] == data.match[i];
    for (std::size_t i = 0; i < size.pool; ++i) same = same && built.labels[i] == data.labels[i];
    CHECK(same);
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
}

TEST_CASE("overlapping phrases are all reported") {
    const auto f = found("Client host [192.0.2.1] blocked using zen.spamhaus.org");
    CHECK(f.count("client host rejected") == 0);
    CHECK(f.count("blocked using") == 1);
    CHECK(f.count("blocked") == 1);
    CHECK(f.count("spamhaus*") == 1);
    CHECK(f.count("spam*") == 1);
}
