// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The phrase matcher finds what the pattern syntax promises, in the built-in
// tables and in tables built at run time. (That the checked-in tables are
// what the generator makes of rules/*.rules is the phrase_tree_fresh test.)
#include <esc/classify.hpp>
#include <esc/detail/phrase_tree_data.hpp> // the built-in tables, read directly
#include <esc/detail/phrase_tree_builder.hpp>

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

// The built-in patterns found in a text.
std::set<std::string> found(std::string_view text) {
    std::set<std::string> out;
    esc::detail::phrase_scanner<esc::detail::phrase_tree_type>(esc::detail::phrase_tree_data)
        .scan(text, [&](esc::detail::phrase_hit hit) {
            out.insert(std::string(esc::detail::builtin_phrase_patterns[hit.id]));
        });
    return out;
}

// Patterns of a table built here, with what each matched in the text.
struct run_time_table {
    std::vector<std::string> patterns;
    esc::detail::built_phrase_tree tree;

    explicit run_time_table(std::vector<std::string> p, std::vector<bool> anywhere = {}) : patterns(std::move(p)) {
        std::vector<esc::detail::pattern_words> words;
        for (std::size_t i = 0; i < patterns.size(); ++i) {
            esc::detail::pattern_words w;
            REQUIRE(esc::detail::read_pattern(patterns[i], w).empty());
            w.anywhere = i < anywhere.size() && anywhere[i];
            words.push_back(w);
        }
        tree = esc::detail::build_phrase_tree(words);
    }

    // pattern -> the text it matched (the last one reported)
    std::map<std::string, std::string> scan(std::string_view text) const {
        std::map<std::string, std::string> out;
        esc::detail::phrase_scanner<esc::detail::built_phrase_tree>(tree).scan(text, [&](esc::detail::phrase_hit hit) {
            out[patterns[hit.id]] = std::string(text.substr(hit.begin, hit.end - hit.begin));
        });
        return out;
    }
};

} // namespace

TEST_CASE("every built-in pattern is found in a text made of itself") {
    for (std::size_t id = 0; id < esc::detail::builtin_phrase_patterns.size(); ++id) {
        std::string p(esc::detail::builtin_phrase_patterns[id]);
        const std::string pattern = p;
        if (p.back() == '*') p.pop_back();
        CAPTURE(p);
        CHECK(found("Error: " + p + ".").count(pattern) == 1);
    }
}

TEST_CASE("matching ignores case and treats any run of non-alphanumerics as one space") {
    CHECK(found("USER UNKNOWN").count("user unknown") == 1);
    CHECK(found("User_Unknown").count("user unknown") == 1);
    CHECK(found("user -- unknown").count("user unknown") == 1);
    CHECK(found("user\r\n\tunknown").count("user unknown") == 1);
    CHECK(found("The mailbox doesn't exist").count("doesn t exist") == 1);
    CHECK(found("The mailbox doesn\xe2\x80\x99t exist").count("doesn t exist") == 1); // U+2019
    CHECK(found("user\xc2\xa0unknown").count("user unknown") == 1);                   // NBSP
}

TEST_CASE("phrases start and end at word boundaries unless they end in '*'") {
    CHECK(found("superuser unknown").count("user unknown") == 0);
    CHECK(found("user unknownish").count("user unknown") == 0);
    CHECK(found("listed by spamhaus today").count("spamhaus*") == 1);
    CHECK(found("Greylisted, try later").count("greylist*") == 1);
    CHECK(found("antispam").count("spam*") == 0);
    CHECK(found("verbl").count("rbl") == 0);
}

TEST_CASE("prefix words of every length are found, however many share their first bytes") {
    // A word is looked up only at the lengths of prefix words that start with
    // its first two bytes (a table by pairs of bytes, whose buckets pairs
    // share): words of one, two, five and 63 bytes, several per first pair,
    // and words at lengths other prefix words have.
    const std::string long_prefix(63, 'q');
    const run_time_table t({"x*", "ab*", "abcde*", "abd*", "ba*", "quota exceed*", long_prefix + "*", "zz",
                            "mail box*"});
    CHECK(t.scan("xylophone").count("x*") == 1);
    CHECK(t.scan("x").count("x*") == 1);
    CHECK(t.scan("ab").count("ab*") == 1);
    CHECK(t.scan("abcdef").count("abcde*") == 1);
    CHECK(t.scan("abcdef").count("ab*") == 1);
    CHECK(t.scan("abcd").count("abcde*") == 0);
    CHECK(t.scan("abdomen").count("abd*") == 1);
    CHECK(t.scan("abdomen").count("abcde*") == 0);
    CHECK(t.scan("bad").count("ba*") == 1);
    CHECK(t.scan("b").empty());
    CHECK(t.scan("QUOTA EXCEEDED").count("quota exceed*") == 1);
    CHECK(t.scan(long_prefix + "qq").count(long_prefix + "*") == 1);
    CHECK(t.scan(long_prefix.substr(1)).count(long_prefix + "*") == 0);
    CHECK(t.scan("zzz").empty()); // "zz" is a whole word
    CHECK(t.scan("mail boxes full").count("mail box*") == 1);
    // The same after a word of other bytes, and in a word that goes on past ASCII.
    CHECK(t.scan("the abcdefgh").count("abcde*") == 1);
    CHECK(t.scan("abcde\xc3\xa9").count("abcde*") == 1);
}

TEST_CASE("a phrase may start inside another one that fails") {
    CHECK(found("no such user unknown").count("user unknown") == 1);
    CHECK(found("no such user unknown").count("no such user") == 1);
    CHECK(found("relay relay access denied").count("relay access denied") == 1);
}

TEST_CASE("overlapping phrases are all reported") {
    const auto f = found("Client host [192.0.2.1] blocked using a blocklist");
    CHECK(f.count("client host rejected") == 0);
    CHECK(f.count("blocked using") == 1);
    CHECK(f.count("blocked") == 1);
    CHECK(f.count("blocklist*") == 1);
}


// With no phrase in progress, a word is looked up only if the start screen
// says it may start one; words that only continue phrases are skipped there.
TEST_CASE("the start screen holds every word that starts a phrase, and only words that continue one are skipped") {
    const auto& t = esc::detail::phrase_tree_data;
    std::size_t starters = 0;
    for (std::size_t token = 0; token < t.exact_tokens; ++token) {
        if (t.root_child[token] == 0) continue;
        ++starters;
        const std::size_t bit = esc::detail::screen_bit(esc::detail::word_hash(t.token_text(token)));
        CAPTURE(t.token_text(token));
        CHECK(((t.start_screen[bit / 64] >> (bit % 64)) & 1u) == 1u);
    }
    CHECK(starters > 100);

    // "unknown" continues "user unknown" and starts "unknown host": it is
    // found as both, after a word that starts nothing and after one that does.
    const run_time_table table({"user unknown", "unknown host", "over quota"});
    auto hits = table.scan("unknown user unknown host");
    CHECK(hits["user unknown"] == "user unknown");
    CHECK(hits["unknown host"] == "unknown host");
    hits = table.scan("quota over quota"); // "quota" alone starts nothing
    CHECK(hits.size() == 1);
    CHECK(hits["over quota"] == "over quota");
    CHECK(table.scan("quota unknown").empty());
    // A word that only continues phrases, then the start of one: "unknown" is
    // skipped, "over quota" still found; "user" then a gap ends the phrase.
    CHECK(table.scan("unknown over quota").count("over quota") == 1);
    CHECK(table.scan("user, mailbox unknown").count("user unknown") == 0);
}
TEST_CASE("host names, addresses and URLs are not prose") {
    const run_time_table t({"virus*", "greylist*", "spam", "user unknown", "zen spamhaus org", "p notauthorizederror"},
                           {false, false, false, false, true, true});
    CHECK(t.scan("250 ok from virus.example.net").empty());
    CHECK(t.scan("550 <greylist@example.org>: User unknown").count("greylist*") == 0);
    CHECK(t.scan("550 <greylist@example.org>: User unknown").count("user unknown") == 1);
    CHECK(t.scan("host mx1.spam.example.com[192.0.2.1] said: 250").empty());
    CHECK(t.scan("see https://example.com/spam/virus-info").empty());
    CHECK(t.scan("see www.spam.example").empty());
    // Markers match there, and only they.
    CHECK(t.scan("blocked using zen.spamhaus.org").count("zen spamhaus org") == 1);
    CHECK(t.scan("https://support.google.com/mail/?p=NotAuthorizedError").count("p notauthorizederror") == 1);
    // Sloppy prose without a space after the full stop stays prose.
    CHECK(t.scan("Mailbox has a virus.Please retry").count("virus*") == 1);
    CHECK(t.scan("User unknown.In addition").count("user unknown") == 1);
    // A phrase does not run from prose into a host name.
    CHECK(t.scan("user unknown.example.com").count("user unknown") == 0);
    // Where a phrase ends decides whether the chunk after its last word is
    // looked at: a full stop or colon before a space ends prose; a dot
    // before more letters, "://" and '@' do not.
    CHECK(t.scan("550 User unknown.").count("user unknown") == 1);
    CHECK(t.scan("550 User unknown. Try later").count("user unknown") == 1);
    CHECK(t.scan("550 User unknown: bob").count("user unknown") == 1);
    CHECK(t.scan("550 User unknown:").count("user unknown") == 1);
    CHECK(t.scan("550 user unknown.com").count("user unknown") == 0);
    CHECK(t.scan("see user unknown://x").count("user unknown") == 0);
    CHECK(t.scan("550 user unknown@example.com").count("user unknown") == 0);
    CHECK(t.scan("550 (user unknown)").count("user unknown") == 1);
    CHECK(t.scan("550 user\tunknown\r\n").count("user unknown") == 1);
    CHECK(t.scan("www.user unknown").count("user unknown") == 0);  // a host name before it
    CHECK(t.scan("mail.user unknown").count("user unknown") == 1); // "user" is no top-level domain
    // Dotted words that are not host names: Exchange's RESOLVER.ADR.RecipNotFound.
    const run_time_table ms({"recipnotfound"});
    CHECK(ms.scan("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found").count("recipnotfound") == 1);
}

TEST_CASE("no phrase touches an address, and what follows one is read alike whatever the address") {
    // (esc scan's summary counts on this: examples/esc/address_mask.hpp.)
    const run_time_table t({"user unknown", "mailbox full*", "zen spamhaus org"}, {false, false, true});
    for (const char* address : {"bob@example.com", "user.unknown@example.com", "a@mailbox", "mailbox.full@x",
                                "x@zen.spamhaus.org", "\xe7\x94\xa8\xe6\x88\xb7@example.com"}) {
        CAPTURE(address);
        const auto f = t.scan(std::string("550 <") + address + "> user unknown, mailbox full");
        CHECK(f.size() == 2);
        CHECK(f.count("user unknown") == 1);
        CHECK(f.count("mailbox full*") == 1);
    }
    // The chunk ends where the address does: at a bracket, a blank, a ':' or ','.
    CHECK(t.scan("<bob@example.com>user unknown").count("user unknown") == 1);
    CHECK(t.scan("bob@example.com:user unknown").count("user unknown") == 1);
    CHECK(t.scan("to bob@example.com, mailbox full").count("mailbox full*") == 1);
    CHECK(t.scan("550 user unknown@example.com mailbox full").size() == 1);
    // An '@' that makes no address leaves the words prose.
    CHECK(t.scan("user unknown@ mailbox full").count("mailbox full*") == 1);
    CHECK(t.scan("@user unknown").count("user unknown") == 1);
    CHECK(t.scan("user unknown@").count("user unknown") == 1);
    // A URL with an '@' is a host name, where markers match.
    CHECK(t.scan("see http://a@zen.spamhaus.org/x").count("zen spamhaus org") == 1);
    CHECK(t.scan("see http://a@zen.spamhaus.org/x, user unknown").count("user unknown") == 1);
}

TEST_CASE("a host name is told by its top-level domain, in one case") {
    using esc::detail::common_tlds;
    using esc::detail::is_common_tld;
    for (std::string_view tld : common_tlds) {
        CHECK(is_common_tld(tld));
        std::string upper(tld);
        for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
        CHECK(is_common_tld(upper));
        std::string mixed(tld);
        mixed[0] = static_cast<char>(mixed[0] - 'a' + 'A');
        CHECK_FALSE(is_common_tld(mixed)); // "It", "Please": sloppy prose, not a domain
        CHECK_FALSE(is_common_tld(std::string(tld) + "x")); // no TLD of the list is another one and an x
        CHECK_FALSE(is_common_tld(tld.substr(0, 1)));
    }
    CHECK_FALSE(is_common_tld("please"));
    CHECK_FALSE(is_common_tld("localdomainx"));
    CHECK_FALSE(is_common_tld("c0m"));
    CHECK_FALSE(is_common_tld(""));
    static_assert(is_common_tld("com") && is_common_tld("localdomain") && !is_common_tld("Com"));
}

TEST_CASE("where a phrase was found") {
    const run_time_table t({"user unknown", "mailbox full*"});
    const auto f = t.scan("550 5.1.1 <a@b.example>: User   Unknown; MAILBOX FULLY");
    CHECK(f.at("user unknown") == "User   Unknown");
    CHECK(f.at("mailbox full*") == "MAILBOX FULLY");
}

TEST_CASE("UTF-8: Latin-1, Latin Extended-A and Cyrillic fold; CJK reads a character a word") {
    const run_time_table t({"benutzer unbekannt", "boîte pleine", "skrzynka pełna", "пользователь не найден",
                            "用户不存在", "宛先不明", "überschritten*", "żądanie"});
    CHECK(t.scan("550 BENUTZER UNBEKANNT").count("benutzer unbekannt") == 1);
    CHECK(t.scan("552 BOÎTE PLEINE").count("boîte pleine") == 1);
    CHECK(t.scan("552 Skrzynka PEŁNA").count("skrzynka pełna") == 1);
    CHECK(t.scan("550 ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН").count("пользователь не найден") == 1);
    CHECK(t.scan("550 Пользователь не найден").count("пользователь не найден") == 1);
    CHECK(t.scan("550 Mailbox not found. 该用户不存在。").count("用户不存在") == 1);
    CHECK(t.scan("550 该用户不存在").at("用户不存在") == "用户不存在");
    CHECK(t.scan("550 用户").empty());
    CHECK(t.scan("550 宛先不明のため").count("宛先不明") == 1);
    CHECK(t.scan("Quota ÜBERSCHRITTEN").count("überschritten*") == 1);
    CHECK(t.scan("ŻĄDANIE").count("żądanie") == 1);
    // Accents are letters, not separators: "pleine" alone is not "boîte pleine".
    CHECK(t.scan("boite pleine").empty());
    // Not UTF-8: bytes as they are, no read past the end.
    CHECK(t.scan("\xff\xfe\xfd").empty());
    CHECK(t.scan("benutzer unbekannt\xc3").empty());
    CHECK(t.scan("\xe7\x94").empty());
}

TEST_CASE("CJK: ideographs and kana are words, CJK punctuation separates, broken sequences are not letters") {
    const run_time_table t({"用户不存在", "メールボックス", "送信 できません"});
    // CJK punctuation between characters is a separator, as a space is.
    CHECK(t.scan("用户、不存在").count("用户不存在") == 1);
    CHECK(t.scan("「用户」「不存在」").count("用户不存在") == 1);
    CHECK(t.scan("メールボックス。").count("メールボックス") == 1);
    CHECK(t.scan("送信できません").count("送信 できません") == 1);
    // After ASCII letters: "abc用户不存在" holds the phrase, read from the first ideograph.
    CHECK(t.scan("abc用户不存在").count("用户不存在") == 1);
    // A truncated or broken sequence is no ideograph: the phrase ends there.
    CHECK(t.scan("用户不\xe5").empty());
    CHECK(t.scan("用户不\xe5\xad").empty());
    CHECK(t.scan("用户\xe4\xb8不存在").empty());
    CHECK(t.scan("用\xe6\x88\x37户不存在").empty());
    // The last byte of the text ends an ideograph, with nothing read past it.
    const std::string whole = "用户不存在";
    CHECK(t.scan(std::string_view(whole.data(), whole.size())).count("用户不存在") == 1);
    CHECK(t.scan(std::string_view(whole.data(), whole.size() - 1)).empty());
}

TEST_CASE("patterns are read as texts are") {
    esc::detail::pattern_words w;
    CHECK(esc::detail::read_pattern("User-Unknown", w).empty());
    CHECK(esc::detail::canonical_pattern(w) == "user unknown");
    CHECK(esc::detail::read_pattern("grey list*", w).empty());
    CHECK(esc::detail::canonical_pattern(w) == "grey list*");
    CHECK(esc::detail::read_pattern("用户不存在", w).empty());
    CHECK(w.words.size() == 5);
    CHECK_FALSE(esc::detail::read_pattern("", w).empty());
    CHECK_FALSE(esc::detail::read_pattern("--", w).empty());
    CHECK_FALSE(esc::detail::read_pattern("a*b", w).empty());
    CHECK_FALSE(esc::detail::read_pattern("a *", w).empty());
    CHECK_FALSE(esc::detail::read_pattern("a b c d e f g h i j k l m n o p q", w).empty());
}
