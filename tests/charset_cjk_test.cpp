// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// <esc/charset_cjk.hpp>: the Japanese and Chinese charsets into UTF-8, and
// bounces in them reaching the classifier. The octets of each sample are
// what glibc's iconv writes for the text (iconv -t CHARSET).
#include <esc/bounce.hpp>
#include <esc/charset_cjk.hpp>
#include <esc/dsn_string.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

std::string decode(esc::cjk_charset cs, std::string_view in) {
    std::string out(3 * in.size() + 1, '\0');
    const esc::cjk_decoded d = esc::decode_cjk(cs, in, out.data(), out.data() + out.size());
    REQUIRE(d.error == esc::cjk_error::none);
    return std::string(d.text);
}

std::size_t replaced(esc::cjk_charset cs, std::string_view in) {
    std::string out(3 * in.size() + 1, '\0');
    return esc::decode_cjk(cs, in, out.data(), out.data() + out.size()).replaced;
}

// 宛先が存在しないため配送できませんでした
constexpr std::string_view undeliverable_ja =
    "\xe5\xae\x9b\xe5\x85\x88\xe3\x81\x8c\xe5\xad\x98\xe5\x9c\xa8\xe3\x81\x97\xe3\x81\xaa\xe3\x81\x84\xe3\x81\x9f"
    "\xe3\x82\x81\xe9\x85\x8d\xe9\x80\x81\xe3\x81\xa7\xe3\x81\x8d\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93\xe3\x81\xa7"
    "\xe3\x81\x97\xe3\x81\x9f";
constexpr std::string_view undeliverable_iso2022jp =
    "\x1b\x24\x42\x30\x38\x40\x68\x24\x2c\x42\x38\x3a\x5f\x24\x37\x24\x4a\x24\x24\x24\x3f\x24\x61\x47\x5b\x41\x77"
    "\x24\x47\x24\x2d\x24\x5e\x24\x3b\x24\x73\x24\x47\x24\x37\x24\x3f\x1b\x28\x42";
constexpr std::string_view undeliverable_shift_jis =
    "\x88\xb6\x90\xe6\x82\xaa\x91\xb6\x8d\xdd\x82\xb5\x82\xc8\x82\xa2\x82\xbd\x82\xdf\x94\x7a\x91\x97\x82\xc5\x82"
    "\xab\x82\xdc\x82\xb9\x82\xf1\x82\xc5\x82\xb5\x82\xbd";
constexpr std::string_view undeliverable_euc_jp =
    "\xb0\xb8\xc0\xe8\xa4\xac\xc2\xb8\xba\xdf\xa4\xb7\xa4\xca\xa4\xa4\xa4\xbf\xa4\xe1\xc7\xdb\xc1\xf7\xa4\xc7\xa4"
    "\xad\xa4\xde\xa4\xbb\xa4\xf3\xa4\xc7\xa4\xb7\xa4\xbf";
// ｱｲｳ (half-width katakana)
constexpr std::string_view halfwidth = "\xef\xbd\xb1\xef\xbd\xb2\xef\xbd\xb3";
// 用户不存在
constexpr std::string_view no_such_user_zh = "\xe7\x94\xa8\xe6\x88\xb7\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8";
constexpr std::string_view no_such_user_gb2312 = "\xd3\xc3\xbb\xa7\xb2\xbb\xb4\xe6\xd4\xda";

} // namespace

TEST_CASE("charset names") {
    using esc::cjk_charset;
    CHECK(esc::parse_cjk_charset("ISO-2022-JP") == cjk_charset::iso2022jp);
    CHECK(esc::parse_cjk_charset("\"iso-2022-jp\"") == cjk_charset::iso2022jp);
    CHECK(esc::parse_cjk_charset("Shift_JIS") == cjk_charset::shift_jis);
    CHECK(esc::parse_cjk_charset("windows-31j") == cjk_charset::shift_jis);
    CHECK(esc::parse_cjk_charset("CP932") == cjk_charset::shift_jis);
    CHECK(esc::parse_cjk_charset("EUC-JP") == cjk_charset::euc_jp);
    CHECK(esc::parse_cjk_charset("GB2312") == cjk_charset::gbk);
    CHECK(esc::parse_cjk_charset("gbk") == cjk_charset::gbk);
    CHECK(esc::parse_cjk_charset("GB18030") == cjk_charset::gb18030);
    CHECK(esc::parse_cjk_charset("utf-8") == cjk_charset::none);
    CHECK(esc::parse_cjk_charset("") == cjk_charset::none);
}

TEST_CASE("Japanese: ISO-2022-JP, Shift_JIS, EUC-JP") {
    using esc::cjk_charset;
    CHECK(decode(cjk_charset::iso2022jp, undeliverable_iso2022jp) == undeliverable_ja);
    CHECK(decode(cjk_charset::shift_jis, undeliverable_shift_jis) == undeliverable_ja);
    CHECK(decode(cjk_charset::euc_jp, undeliverable_euc_jp) == undeliverable_ja);
    // ASCII around the Japanese, and ESC $ @ (JIS C 6226-1978) for 日本
    CHECK(decode(cjk_charset::iso2022jp, "To: a\x1b$@F|K\\\x1b(B b") == "To: a\xe6\x97\xa5\xe6\x9c\xac b");
    // half-width katakana ｱｲｳ
    CHECK(decode(cjk_charset::shift_jis, "\xb1\xb2\xb3") == halfwidth);
    CHECK(decode(cjk_charset::euc_jp, "\x8e\xb1\x8e\xb2\x8e\xb3") == halfwidth);
    CHECK(decode(cjk_charset::iso2022jp, "\x1b(I123\x1b(B") == halfwidth);
    // JIS X 0201 Roman: the yen sign where ASCII has the backslash
    CHECK(decode(cjk_charset::iso2022jp, "\x1b(J\\1\x1b(B\\") == "\xc2\xa5" "1\\");
    // CP932: ① (NEC row 13) and 髙 (IBM extension)
    CHECK(decode(cjk_charset::shift_jis, "\x87\x40\xfb\xfc") == "\xe2\x91\xa0\xe9\xab\x99");
    // and ① in EUC-JP (eucJP-ms row 13)
    CHECK(decode(cjk_charset::euc_jp, "\xad\xa1") == "\xe2\x91\xa0");
    // ISO-2022-JP-2's GB 2312 designation: 用户
    CHECK(decode(cjk_charset::iso2022jp, "\x1b$ASC;'\x1b(B") == no_such_user_zh.substr(0, 6));
}

TEST_CASE("Chinese: GB2312, GBK, GB18030") {
    using esc::cjk_charset;
    CHECK(decode(cjk_charset::gbk, no_such_user_gb2312) == no_such_user_zh);
    CHECK(decode(cjk_charset::gbk, "550 \xd3\xc3\xbb\xa7!") == "550 \xe7\x94\xa8\xe6\x88\xb7!");
    // 堃喆: GBK beyond GB2312
    CHECK(decode(cjk_charset::gbk, "\x88\xd2\x86\xb4") == "\xe5\xa0\x83\xe5\x96\x86");
    CHECK(decode(cjk_charset::gb18030, no_such_user_gb2312) == no_such_user_zh);
    // CP936's single-octet euro sign
    CHECK(decode(cjk_charset::gbk, "\x80") == "\xe2\x82\xac");
    // a GB18030 four-octet code is one character, not mapped here
    CHECK(decode(cjk_charset::gb18030, "a\x81\x30\x81\x30z") == "a\xef\xbf\xbdz");
}

TEST_CASE("bad input gives U+FFFD, never more than the input") {
    using esc::cjk_charset;
    const std::string fffd = "\xef\xbf\xbd";
    // cut at the end: a lead octet alone
    CHECK(decode(cjk_charset::shift_jis, "ab\x88") == "ab" + fffd);
    CHECK(decode(cjk_charset::euc_jp, "ab\xb0") == "ab" + fffd);
    CHECK(decode(cjk_charset::gbk, "ab\xd3") == "ab" + fffd);
    CHECK(decode(cjk_charset::euc_jp, "\x8f\xa1") == fffd + fffd);
    CHECK(decode(cjk_charset::iso2022jp, "\x1b$B0") == fffd);
    // a bad trail octet is replaced with its lead, and read again when ASCII
    CHECK(decode(cjk_charset::shift_jis, "\x88 a") == fffd + " a");
    CHECK(decode(cjk_charset::shift_jis, "\x88" "a") == fffd); // 0x61 is a trail octet: an unmapped pair
    CHECK(decode(cjk_charset::gbk, "\xd3\x20x") == fffd + " x");
    CHECK(decode(cjk_charset::euc_jp, "\xb0\x41") == fffd + "A");
    // octets no charset here starts a character with
    CHECK(decode(cjk_charset::shift_jis, "\xa0\xfd\xff") == fffd + fffd + fffd);
    CHECK(decode(cjk_charset::gbk, "\xff") == fffd);
    CHECK(decode(cjk_charset::iso2022jp, "\x80\xc3") == fffd + fffd);
    // escape sequences: cut, unknown, never ended (the line ends the two-octet mode)
    CHECK(decode(cjk_charset::iso2022jp, "a\x1b") == "a" + fffd);
    CHECK(decode(cjk_charset::iso2022jp, "a\x1b$") == "a" + fffd + "$");
    CHECK(decode(cjk_charset::iso2022jp, "\x1bZa") == fffd + "Za");
    CHECK(decode(cjk_charset::iso2022jp, "\x1b$BF|\nabc") == "\xe6\x97\xa5\nabc");
    // unmapped codes: JIS row 9, GBK's user-defined area, JIS X 0212
    CHECK(decode(cjk_charset::euc_jp, "\xa9\xa1") == fffd);
    CHECK(decode(cjk_charset::iso2022jp, "\x1b$(D\x30\x21\x1b(B.") == fffd + ".");
    CHECK(decode(cjk_charset::gbk, "\xaa\xa1") == fffd);
    CHECK(replaced(cjk_charset::gbk, "\xaa\xa1\xff") == 2);
    CHECK(replaced(cjk_charset::shift_jis, undeliverable_shift_jis) == 0);
}

TEST_CASE("a buffer too small ends at a whole character") {
    char out[8];
    const esc::cjk_decoded d = esc::decode_cjk(esc::cjk_charset::shift_jis, undeliverable_shift_jis, out, out + 8);
    CHECK(d.error == esc::cjk_error::buffer_too_small);
    CHECK(d.text == undeliverable_ja.substr(0, 6));
    const esc::cjk_decoded none = esc::decode_cjk(esc::cjk_charset::gbk, "\xd3\xc3", out, out);
    CHECK(none.error == esc::cjk_error::buffer_too_small);
    CHECK(none.text.empty());
    CHECK(esc::decode_cjk(esc::cjk_charset::none, "x", out, out + 8).error == esc::cjk_error::unknown_charset);
    // the converter for a charset it does not know: nothing converted
    CHECK_FALSE(esc::convert_cjk("koi8-u", "x", out, out + 8).converted_all);
}

TEST_CASE("decoded at compile time") {
    constexpr auto first_char = [] {
        char out[4] = {};
        const esc::cjk_decoded d = esc::decode_cjk(esc::cjk_charset::euc_jp, "\xc6\xfc", out, out + 4);
        return d.text.size() == 3 && out[0] == '\xe6' && out[1] == '\x97' && out[2] == '\xa5';
    }();
    static_assert(first_char);
    static_assert(esc::parse_cjk_charset("Shift_JIS") == esc::cjk_charset::shift_jis);
}

TEST_CASE("RFC 2047 encoded-words in the CJK charsets") {
    char out[512];
    auto words = [&](std::string_view v) {
        return std::string(esc::detail::decode_encoded_words(v, out, out + sizeof out, esc::convert_cjk));
    };
    CHECK(words("=?ISO-2022-JP?B?GyRCMDhAaElUTEAbKEI=?=") == "\xe5\xae\x9b\xe5\x85\x88\xe4\xb8\x8d\xe6\x98\x8e");
    CHECK(words("=?GB2312?B?08O7p7K7tObU2g==?=") == no_such_user_zh);
    CHECK(words("Re: =?Shift_JIS?B?kZeQTYNHg4mBWw==?= x") ==
          "Re: \xe9\x80\x81\xe4\xbf\xa1\xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc x"); // 送信エラー
    CHECK(words("=?gb2312?Q?=CD=CB=D0=C5?=") == "\xe9\x80\x80\xe4\xbf\xa1");                 // 退信
    // two encoded-words in two charsets, the blanks between them dropped
    CHECK(words("=?GB2312?B?zcvQxQ==?= =?utf-8?Q?!?=") == "\xe9\x80\x80\xe4\xbf\xa1!");
    // without the converter: the octets as they are
    CHECK(esc::detail::decode_encoded_words("=?GB2312?B?zcvQxQ==?=", out, out + sizeof out) == "\xcd\xcb\xd0\xc5");
    // an ISO-2022-JP word whose escape never ends does not reach the next word
    CHECK(words("=?ISO-2022-JP?B?GyRCRnw=?= =?us-ascii?Q?ok?=") == "\xe6\x97\xa5ok");
    // too small a buffer: the value as written
    char small[4];
    CHECK(esc::detail::decode_encoded_words("=?GB2312?B?08O7p7K7tObU2g==?=", small, small + 4, esc::convert_cjk) ==
          "=?GB2312?B?08O7p7K7tObU2g==?=");
}

namespace {

std::string japanese_bounce() {
    std::string m = "From: MAILER-DAEMON@example.jp\r\n"
                    "Subject: =?ISO-2022-JP?B?GyRCMDhAaElUTEAbKEI=?=\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
                    "Content-Transfer-Encoding: 7bit\r\n\r\n"
                    "<taro@example.jp>: 550 ";
    m += undeliverable_iso2022jp;
    m += "\r\n";
    return m;
}

std::string chinese_bounce() {
    // "退信: 用户不存在" in GB2312, base64
    std::string m = "From: postmaster@example.cn\r\n"
                    "Subject: =?GB2312?B?zcvQxQ==?=\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                    "--b1\r\n"
                    "Content-Type: text/plain; charset=\"gb2312\"\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n";
    // "<li@example.cn>: 550 用户不存在\r\n" in GB2312, base64 (iconv -t GB2312 | base64)
    m += "PGxpQGV4YW1wbGUuY24+OiA1NTAg08O7p7K7tObU2g0K\r\n";
    m += "--b1--\r\n";
    return m;
}

} // namespace

TEST_CASE("a Japanese bounce in ISO-2022-JP reaches the classifier") {
    const std::string message = japanese_bounce();
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    std::vector<char> buffer(2 * message.size());
    esc::bounce_recipient storage[4];
    const esc::bounce_report r = esc::read_bounce(message, buffer.data(), buffer.size(), storage, options);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].address == "taro@example.jp");
    CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
    CHECK(r.recipients[0].classification.outcome == esc::outcome::permanent);
    CHECK(r.text.find(undeliverable_ja) != std::string_view::npos);
    // without the converter, the text stays in ISO-2022-JP and says nothing the classifier knows
    const esc::bounce_report plain = esc::read_bounce(message, buffer.data(), buffer.size(), storage);
    REQUIRE(plain.count == 1);
    CHECK(plain.recipients[0].classification.reason != esc::reason::mailbox_unknown);
    // the owned reader, as `esc dsn` calls it
    const esc::owned_bounce owned = esc::read_bounce(message, options);
    REQUIRE(owned.report.count == 1);
    CHECK(owned.report.recipients[0].classification.reason == esc::reason::mailbox_unknown);
}

TEST_CASE("a Chinese bounce in GB2312 reaches the classifier") {
    const std::string message = chinese_bounce();
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    const esc::owned_bounce b = esc::read_bounce(message, options);
    REQUIRE(b.report.count == 1);
    CHECK(b.report.recipients[0].address == "li@example.cn");
    CHECK(b.report.recipients[0].classification.reason == esc::reason::mailbox_unknown);
    CHECK(b.report.text.find(no_such_user_zh) != std::string_view::npos);
    // message.size() bytes, as without a converter: the text still fits behind the decoded part
    std::vector<char> buffer(message.size());
    esc::bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(message, buffer.data(), buffer.size(), storage, options);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
}

TEST_CASE("a Diagnostic-Code in ISO-2022-JP is decoded with the converter") {
    std::string m = "From: MAILER-DAEMON@example.jp\r\nSubject: DELIVERY FAILURE\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
                    "--B\r\nContent-Type: text/plain\r\n\r\nsee below\r\n\r\n"
                    "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
                    "Reporting-MTA: dns; mx.example.jp\r\n\r\n"
                    "Final-Recipient: rfc822; taro@example.jp\r\nAction: failed\r\nStatus: 5.0.0\r\n"
                    "Diagnostic-Code: X-Notes; ";
    m += undeliverable_iso2022jp;
    m += "\r\n\r\n--B--\r\n";
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    std::vector<char> buffer(2 * m.size());
    esc::bounce_recipient storage[2];
    const esc::bounce_report r = esc::read_bounce(m, buffer.data(), buffer.size(), storage, options);
    REQUIRE(r.count == 1);
    CHECK(r.recipients[0].diagnostic == undeliverable_ja);
    CHECK(r.recipients[0].classification.reason == esc::reason::mailbox_unknown);
    // No buffer: the diagnostic as written, and no error.
    const esc::bounce_report none = esc::read_bounce(m, nullptr, 0, storage, options);
    REQUIRE(none.count == 1);
    CHECK(none.error == esc::bounce_error::none);
    CHECK(none.recipients[0].diagnostic == undeliverable_iso2022jp);
}

TEST_CASE("ISO-2022-JP unlabelled, or labelled US-ASCII, is known by its escape sequences") {
    esc::bounce_options options;
    options.convert_charset = esc::convert_cjk;
    for (std::string_view type : {"Content-Type: text/plain; charset=us-ascii\r\n", "Content-Type: text/plain\r\n", ""}) {
        std::string m = "From: MAILER-DAEMON@example.jp\r\nSubject: ";
        m += undeliverable_iso2022jp; // a raw ISO-2022-JP Subject, no encoded-word
        m += "\r\nMIME-Version: 1.0\r\n";
        m += type;
        m += "\r\n<taro@example.jp>: 550 ";
        m += undeliverable_iso2022jp;
        m += "\r\n";
        INFO(type);
        const esc::owned_bounce b = esc::read_bounce(m, options);
        REQUIRE(b.report.count == 1);
        CHECK(b.report.recipients[0].classification.reason == esc::reason::mailbox_unknown);
        CHECK(b.report.text.find(undeliverable_ja) != std::string_view::npos);
    }
    // US-ASCII text with an ESC that designates nothing of ISO-2022-JP stays as it is.
    const std::string plain = "From: MAILER-DAEMON@example.org\r\nSubject: failure\r\n"
                              "Content-Type: text/plain; charset=us-ascii\r\n\r\n<bob@example.org>: 550 \x1b[1mno such user\r\n";
    const esc::owned_bounce p = esc::read_bounce(plain, options);
    REQUIRE(p.report.count == 1);
    CHECK(p.report.text.find("\x1b[1m") != std::string_view::npos);
}
