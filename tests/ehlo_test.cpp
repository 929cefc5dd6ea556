// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/ehlo.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/test_data.hpp"

using esc::ehlo_keyword;

namespace {

esc::reply reply_of(std::string_view wire) { // a literal or a string that outlives the reply
    const esc::parsed_reply p = esc::parse_reply(wire);
    REQUIRE(p);
    return p.reply;
}

// The EHLO reply of a captured session: the second reply in the stream.
std::string captured_ehlo(const char* session) {
    const std::string bytes = esc_test::read_file(esc_test::test_data_dir() / "live" / session);
    const esc::parsed_reply greeting = esc::parse_reply(bytes);
    REQUIRE(greeting);
    const esc::parsed_reply ehlo = esc::parse_reply(std::string_view(bytes).substr(greeting.offset));
    REQUIRE(ehlo);
    return std::string(ehlo.reply.raw);
}

} // namespace

#if ESC_HEADER_ONLY
static_assert(esc::parse_ehlo(esc::parse_reply("250-mx\r\n250 PIPELINING\r\n").reply).has(ehlo_keyword::pipelining));
static_assert(esc::parse_ehlo(esc::parse_reply("250-mx\r\n250 SIZE 1000\r\n").reply).max_size == 1000);
#endif

TEST_CASE("Postfix 3.7 as captured") {
    const std::string wire = captured_ehlo("postfix-deliver.txt");
    const esc::ehlo_info e = esc::parse_ehlo(reply_of(wire));
    CHECK(e.ok);
    CHECK(e.domain == "mx.postfix.test");
    CHECK(e.greeting.empty());
    for (ehlo_keyword k : {ehlo_keyword::pipelining, ehlo_keyword::size, ehlo_keyword::vrfy, ehlo_keyword::etrn,
                           ehlo_keyword::enhancedstatuscodes, ehlo_keyword::eightbitmime, ehlo_keyword::dsn,
                           ehlo_keyword::smtputf8, ehlo_keyword::chunking})
        CHECK_MESSAGE(e.has(k), esc::to_string(k));
    CHECK_FALSE(e.has(ehlo_keyword::starttls)); // the live configuration has no TLS
    CHECK_FALSE(e.has(ehlo_keyword::auth));
    CHECK(e.max_size == 10240);
    CHECK(e.unknown_count == 0);
    std::vector<std::string> keywords;
    for (const esc::ehlo_capability c : e.capabilities()) keywords.emplace_back(c.keyword);
    CHECK(keywords == std::vector<std::string>{"PIPELINING", "SIZE", "VRFY", "ETRN", "ENHANCEDSTATUSCODES", "8BITMIME",
                                               "DSN", "SMTPUTF8", "CHUNKING"});
}

TEST_CASE("Exim 4.96 as captured: an unknown keyword is kept") {
    const std::string wire = captured_ehlo("exim-deliver.txt");
    const esc::ehlo_info e = esc::parse_ehlo(reply_of(wire));
    CHECK(e.ok);
    CHECK(e.domain == "mx.exim.test");
    CHECK(e.greeting == "Hello client.test [127.0.0.1]");
    CHECK(e.has(ehlo_keyword::size));
    CHECK(e.max_size == 10240);
    CHECK(e.has(ehlo_keyword::pipelining));
    CHECK(e.has(ehlo_keyword::chunking));
    CHECK(e.has(ehlo_keyword::smtputf8));
    CHECK(e.has(ehlo_keyword::help));
    CHECK_FALSE(e.has(ehlo_keyword::enhancedstatuscodes)); // Exim's default
    CHECK(e.unknown_count == 1);
    const auto pipeconnect = e.find("pipeconnect");
    REQUIRE(pipeconnect);
    CHECK(pipeconnect->keyword == "PIPECONNECT");
    CHECK(pipeconnect->known == ehlo_keyword::unknown);
}

TEST_CASE("the RFCs' examples") {
    // RFC 5321 appendix D.1 (the EHLO part of a typical transaction).
    auto e = esc::parse_ehlo(reply_of("250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n"));
    CHECK(e.domain == "foo.com");
    CHECK(e.greeting == "greets bar.com");
    CHECK(e.has(ehlo_keyword::eightbitmime));
    CHECK(e.has(ehlo_keyword::size));
    CHECK(e.max_size == 0); // SIZE without a number: no fixed limit (RFC 1870)
    CHECK(e.has(ehlo_keyword::dsn));
    CHECK(e.has(ehlo_keyword::help));
    // RFC 4954 section 4 (AUTH), RFC 3207 (STARTTLS), RFC 3030 (CHUNKING, BINARYMIME).
    e = esc::parse_ehlo(reply_of("250-smtp.example.com Hello client.example.com\r\n250-AUTH GSSAPI DIGEST-MD5\r\n"
                                 "250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-CHUNKING\r\n250 BINARYMIME\r\n"));
    CHECK(e.has(ehlo_keyword::auth));
    CHECK(e.auth == "GSSAPI DIGEST-MD5");
    CHECK(e.auth_offers("digest-md5"));
    CHECK_FALSE(e.auth_offers("PLAIN"));
    CHECK(e.has(ehlo_keyword::starttls));
    CHECK(e.has(ehlo_keyword::chunking));
    CHECK(e.has(ehlo_keyword::binarymime));
    // RFC 9422 section 7 (LIMITS), RFC 2852 (DELIVERBY), RFC 6710 (MT-PRIORITY), RFC 8689 (REQUIRETLS).
    e = esc::parse_ehlo(reply_of("250-mx.example.net\r\n250-LIMITS RCPTMAX=20 MAILMAX=10 RCPTDOMAINMAX=3\r\n"
                                 "250-DELIVERBY 240\r\n250-MT-PRIORITY MIXER\r\n250 REQUIRETLS\r\n"));
    CHECK(e.has(ehlo_keyword::limits));
    CHECK(e.limit("RCPTMAX") == 20u);
    CHECK(e.limit("mailmax") == 10u);
    CHECK(e.limit("RCPTDOMAINMAX") == 3u);
    CHECK_FALSE(e.limit("OTHERMAX").has_value());
    CHECK(e.deliverby == "240");
    CHECK(e.mt_priority == "MIXER");
    CHECK(e.has(ehlo_keyword::requiretls));
}

TEST_CASE("the old AUTH= form, any case, and odd lines") {
    const auto e = esc::parse_ehlo(reply_of("250-mail.example.org\r\n250-auth=LOGIN PLAIN\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n"
                                            "250-pipelining\r\n250-Size 52428800 \r\n250-XCLIENT NAME ADDR\r\n"
                                            "250-SIZE:100\r\n250 X-EXPS GSSAPI NTLM\r\n"));
    CHECK(e.has(ehlo_keyword::auth));
    CHECK(e.auth == "LOGIN PLAIN"); // the first AUTH line
    CHECK(e.auth_offers("CRAM-MD5")); // any AUTH line
    CHECK(e.has(ehlo_keyword::pipelining));
    CHECK(e.max_size == 52428800);
    CHECK(e.unknown_count == 3); // XCLIENT, "SIZE:100", X-EXPS
    const auto xclient = e.find("XCLIENT");
    REQUIRE(xclient);
    CHECK(xclient->params == "NAME ADDR");
    std::size_t old_form = 0;
    for (const esc::ehlo_capability c : e.capabilities()) old_form += c.old_auth_form;
    CHECK(old_form == 1);
}

TEST_CASE("not an accepted EHLO, a one-line 250, a huge SIZE") {
    CHECK_FALSE(esc::parse_ehlo(reply_of("502 5.5.2 Error: command not recognized\r\n")).ok);
    CHECK_FALSE(esc::parse_ehlo(reply_of("502 5.5.2 Error: command not recognized\r\n")).has(ehlo_keyword::size));
    const auto helo = esc::parse_ehlo(reply_of("250 mx.example.com\r\n"));
    CHECK(helo.ok);
    CHECK(helo.domain == "mx.example.com");
    CHECK(helo.offered == 0);
    CHECK(helo.capabilities().begin() == helo.capabilities().end());
    const auto big = esc::parse_ehlo(reply_of("250-mx\r\n250 SIZE 99999999999999999999999999\r\n"));
    CHECK(big.max_size == UINT64_MAX);
    const auto junk = esc::parse_ehlo(reply_of("250-mx\r\n250 SIZE lots\r\n"));
    CHECK(junk.has(ehlo_keyword::size));
    CHECK(junk.max_size == 0);
}
