// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#include <esc/command.hpp>

#include <doctest/doctest.h>

using esc::command;

static_assert(esc::parse_command("RCPT TO:<bob@example.com>") == command::rcpt);
static_assert(esc::parse_command("lhlo client.example") == command::ehlo);

TEST_CASE("parse_command takes the forms callers pass: command lines, any case") {
    struct form {
        const char* text;
        command cmd;
    };
    for (const form& f : {form{"RCPT TO:", command::rcpt}, form{"rcpt to:<bob@example.com>", command::rcpt},
                          form{"RCPT TO:<bob@example.com> NOTIFY=NEVER", command::rcpt},
                          form{"RCPT TO: <bob@example.com>", command::rcpt}, form{"Rcpt To", command::rcpt},
                          form{"MAIL FROM:<a@b>", command::mail}, form{"mail from:<>", command::mail},
                          form{"MAIL FROM:<a@b> SIZE=1000 BODY=8BITMIME", command::mail}, form{"MAIL FROM:", command::mail},
                          form{"LHLO", command::ehlo}, form{"lhlo mx.example", command::ehlo},
                          form{"EHLO client.example.org", command::ehlo}, form{"HELO x", command::helo},
                          form{"BDAT 100 LAST", command::bdat}, form{"bdat 0 last", command::bdat},
                          form{"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=", command::auth}, form{"VRFY bob", command::vrfy},
                          form{"DATA\r\n", command::data}, form{"  QUIT  ", command::quit},
                          form{"STARTTLS", command::starttls}, form{"ETRN example.org", command::etrn}}) {
        CAPTURE(f.text);
        CHECK(esc::parse_command(f.text) == f.cmd);
    }
    // Names and aliases as before.
    CHECK(esc::parse_command("end_of_data") == command::end_of_data);
    CHECK(esc::parse_command("end of data") == command::end_of_data);
    CHECK(esc::parse_command("banner") == command::connect);
}

TEST_CASE("what is not a command") {
    for (const char* text : {"", "launch", "RCPTX TO:", "MAIL TO:<a@b>", "RCPT FROM:<a@b>", "MAIL FROMAGE", "MAIL:",
                             "RCPT TOO", "connect now", "123", "HELO\x01"}) {
        CAPTURE(text);
        CHECK_FALSE(esc::parse_command(text).has_value());
    }
}
