// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// The provider rules (rules/providers.rules) and the languages
// (rules/languages.rules), on replies written from the pages the rules cite.
// Each check says what decided, so a test passes for the right reason.
#include <esc/classify.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using esc::decided_by;
using esc::outcome;
using esc::reason;

namespace {

struct expect {
    reason why;
    decided_by by;
    std::string_view provider = {}; // empty: not checked
};

void check(std::string_view text, expect e) {
    const esc::classification c = esc::classify(text);
    CAPTURE(text);
    CAPTURE(esc::to_string(c.reason));
    CAPTURE(esc::to_string(c.why.by));
    CAPTURE(c.why.rule);
    CHECK(c.reason == e.why);
    CHECK(c.why.by == e.by);
    if (!e.provider.empty()) CHECK(c.why.provider == e.provider);
    // The evidence is a view into the text classified.
    if (!c.why.text.empty()) {
        CHECK(c.why.text.data() >= text.data());
        CHECK(c.why.text.data() + c.why.text.size() <= text.data() + text.size());
    }
}

constexpr auto provider = decided_by::provider_rule;
constexpr auto phrase = decided_by::phrase;

} // namespace

TEST_CASE("Microsoft 365 / Exchange Online: its own codes decide") {
    check("550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit",
          {reason::blocked, provider, "microsoft"});
    check("550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification",
          {reason::sender_auth, provider, "microsoft"});
    check("451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS843)",
          {reason::greylisted, provider, "microsoft"});
    check("550 5.7.705 Access denied, tenant has exceeded threshold", {reason::blocked, provider, "microsoft"}); // a sending ban
    check("550 5.7.708 Access denied, traffic not accepted from this IP", {reason::blocked, provider, "microsoft"});
    check("550 5.2.121 Recipient's per hour message receive limit from specific sender exceeded",
          {reason::rate_limited, provider, "microsoft"});
    check("550 5.4.310 DNS domain example.invalid does not exist", {reason::domain_unknown, provider, "microsoft"});
    // 5.1.10 is also RFC 7505's null MX: Microsoft's reading needs its host in the text.
    check("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup "
          "[BN8NAM11FT066.eop-nam11.prod.protection.outlook.com]",
          {reason::mailbox_unknown, provider, "microsoft"});
    check("550 5.4.1 Recipient address rejected: Access denied. [DM6NAM10FT055.eop-nam10.prod.protection.outlook.com]",
          {reason::mailbox_unknown, provider, "microsoft"});
    // The sender's submission quota overrules the mailbox-full code it comes with.
    check("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:SubmissionQuotaExceededException; "
          "sender's submission quota was exceeded",
          {reason::rate_limited, provider, "microsoft"});
}

TEST_CASE("Gmail: its reply texts and the keyword of its help links") {
    check("550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the "
          "recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser "
          "a1si2 - gsmtp",
          {reason::mailbox_unknown, provider, "gmail"});
    check("421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. "
          "https://support.google.com/mail/?p=UnsolicitedRateLimitError - gsmtp",
          {reason::rate_limited, provider, "gmail"});
    check("452-4.2.2 The email account that you tried to reach is over quota. "
          "https://support.google.com/mail/?p=OverQuotaTemp - gsmtp",
          {reason::mailbox_full, provider, "gmail"});
    check("550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. "
          "https://support.google.com/mail/answer/2451690 - gsmtp",
          {reason::sender_auth, decided_by::enhanced_code, "gmail"}); // 5.7.26 names one condition
    check("550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. "
          "https://support.google.com/mail/?p=UnsolicitedMessageError - gsmtp",
          {reason::spam, provider, "gmail"});
    // The help keyword is the provider's own word even where the text says little.
    check("550 5.7.1 see https://support.google.com/mail/?p=DisabledUser", {reason::mailbox_disabled, provider, "gmail"});
}

TEST_CASE("Yahoo / AOL: [TSxx] and other codes in brackets") {
    check("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints "
          "- 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
          {reason::rate_limited, provider, "yahoo"});
    check("421 4.7.0 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.",
          {reason::blocked, provider, "yahoo"});
    check("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list",
          {reason::blocked, provider, "yahoo"});
    check("host mta5.am0.yahoodns.net[67.195.204.73] said: 554 5.7.9 Message not accepted for policy reasons. "
          "See https://postmaster.yahooinc.com/error-codes (in reply to end of DATA command)",
          {reason::sender_auth, provider, "yahoo"});
    check("554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1.mail.example",
          {reason::mailbox_unknown, provider, "yahoo"});
}

TEST_CASE("Apple, Comcast, Cox, Orange, GMX and web.de, Mail.ru, Yandex, QQ, Zoho, GoDaddy") {
    check("550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137",
          {reason::policy, provider, "apple"});
    check("554 resimta-ch2-18v.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see "
          "http://postmaster.comcast.net/smtp-error-codes.php#BL000010",
          {reason::blocked, provider, "comcast"});
    check("554 cmsmtp blocked. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html "
          "for more information. AUP#CXBL",
          {reason::blocked, provider, "cox"});
    check("421 mwinf5c77 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. "
          "OFR004_104 [104]",
          {reason::rate_limited, provider, "orange"});
    check("552 Benutzer hat das Speichervolumen ueberschritten", {reason::mailbox_full, provider, "webde"});
    check("550 Message sending for this account is disabled", {reason::sender_rejected, provider, "mailru"});
    check("550 5.7.1 Message rejected under suspicion of SPAM; https://ya.cc/1IrBc", {reason::spam, phrase});
    check("550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728",
          {reason::mailbox_unknown, phrase, "qq"}); // a generic phrase decides; the link shows QQ replied
    check("550 5.7.1 Email rejected per DMARC policy for example.com", {reason::sender_auth, phrase});
    check("554 5.7.1 IB508 Messages from this sender fail authentication", {reason::sender_auth, provider, "godaddy"});
}

TEST_CASE("filtering services and blocklists") {
    check("550 5.7.1 Your message was rejected. XGEMAIL_0011 Command rejected", {reason::mailbox_unknown, provider, "sophos"});
    check("451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451",
          {reason::greylisted, provider, "mimecast"});
    check("550 No such user (cuda_nsu)", {reason::mailbox_unknown, provider, "barracuda"});
    check("554 Your access to submit messages to this e-mail system has been rejected.", {reason::blocked, provider, "cisco"});
    check("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; "
          "https://www.spamhaus.org/query/ip/192.0.2.1",
          {reason::blocked, provider, "spamhaus"}); // the zone, read in the host name
    check("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using b.barracudacentral.org",
          {reason::blocked, provider, "barracuda"});
    check("550 5.7.1 rejected because 192.0.2.1 is in bl.spamcop.net", {reason::blocked, provider, "spamcop"});
    check("554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", {reason::blocked, provider, "proofpoint"});
}

TEST_CASE("a marker names the provider even when a code decides") {
    const auto c = esc::classify("host gmail-smtp-in.l.google.com[192.0.2.1] said: 550 5.1.1 <a@b.example> ... gsmtp");
    CHECK(c.reason == reason::mailbox_unknown);
    CHECK(c.why.by == decided_by::enhanced_code);
    CHECK(c.why.provider == "gmail");
}

TEST_CASE("replies in other languages") {
    // German
    check("550 5.1.1 Benutzer unbekannt", {reason::mailbox_unknown, decided_by::enhanced_code});
    check("550 Benutzer unbekannt", {reason::mailbox_unknown, phrase});
    check("552 Das Postfach des Empfängers ist voll", {reason::mailbox_full, phrase});
    check("452 DAS POSTFACH IST VOLL", {reason::mailbox_full, phrase});
    // French
    check("550 Utilisateur inconnu", {reason::mailbox_unknown, phrase});
    check("552 BOÎTE AUX LETTRES PLEINE", {reason::mailbox_full, phrase});
    check("554 Relais refusé", {reason::relay_denied, phrase});
    // Spanish
    check("550 Usuario desconocido", {reason::mailbox_unknown, phrase});
    check("552 El buzón del destinatario está lleno", {reason::mailbox_full, phrase});
    // Italian
    check("550 Utente sconosciuto", {reason::mailbox_unknown, phrase});
    check("552 Casella di posta piena", {reason::mailbox_full, phrase});
    // Portuguese
    check("550 Usuário desconhecido", {reason::mailbox_unknown, phrase});
    check("552 A caixa postal do destinatário está cheia", {reason::mailbox_full, phrase});
    // Dutch
    check("550 E-mailadres niet bekend", {reason::mailbox_unknown, phrase});
    check("552 Postvak is vol", {reason::mailbox_full, phrase});
    // Polish
    check("550 Konto nie istnieje", {reason::mailbox_unknown, phrase});
    check("552 Skrzynka odbiorcy jest PRZEPEŁNIONA", {reason::mailbox_full, phrase});
    // Russian, in both cases
    check("550 Пользователь не найден", {reason::mailbox_unknown, phrase});
    check("550 ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН", {reason::mailbox_unknown, phrase});
    check("552 Почтовый ящик переполнен", {reason::mailbox_full, phrase});
    // Japanese
    check("550 宛先不明のため配信できませんでした", {reason::mailbox_unknown, phrase});
    check("552 容量オーバー", {reason::mailbox_full, phrase});
    // Chinese, simplified and traditional
    check("550 该用户不存在", {reason::mailbox_unknown, provider, "qq"});
    check("550 收件箱已满", {reason::mailbox_full, phrase});
    check("550 該用戶不存在", {reason::mailbox_unknown, phrase});
    // A vague "try again later" names no cause: the code's leaning decides.
    CHECK(esc::classify("451 4.4.1 Bitte versuchen Sie es später erneut").reason == reason::network);
    CHECK(esc::classify("451 Bitte versuchen Sie es später erneut").reason == reason::system_error);
}

TEST_CASE("the hosts involved (a DSN's Remote-MTA) show the provider too") {
    const std::string_view text = "550 5.1.10 Recipient not found by SMTP address lookup";
    const esc::reply r = *esc::find_reply(text);
    const auto without = esc::detail::classify(r.code, r.status, esc::command::unknown, text, {});
    const auto with = esc::detail::classify(r.code, r.status, esc::command::unknown, text, {}, nullptr, {},
                                            "dns; mail-bn8nam11on2041.outbound.protection.outlook.com");
    CHECK(without.why.by != decided_by::provider_rule);
    CHECK(with.why.by == decided_by::provider_rule);
    CHECK(with.why.provider == "microsoft");
    CHECK(with.reason == reason::mailbox_unknown);
}

TEST_CASE("NetEase (163.com): its bracketed codes") {
    check("451 DT:SPM 163 mx14,QMCowEBpN1234abc,please try again, http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.1",
          {reason::spam, provider, "netease"});
    check("450 DT:RBL 163 mx25 connection refused, ip 192.0.2.1 is in one or more RBLs", {reason::blocked, provider, "netease"});
    check("451 MI:SFQ 163 smtp7 sender exceeded sending limit in 15 minutes", {reason::rate_limited, provider, "netease"});
}

TEST_CASE("Mimecast: its documented refusals, with or without its help link") {
    // The page: a virus signature or a spam score over the threshold.
    check("554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554",
          {reason::spam, provider, "mimecast"});
    // Sender and recipient both outside Mimecast's customers: relaying, not an open-relay listing.
    check("451 Open relay not allowed - https://community.mimecast.com/docs/DOC-1369#451",
          {reason::relay_denied, provider, "mimecast"});
    // Blocked Senders policies, by header From or by a user's own entries: local policy, not format or reputation.
    check("550 Rejected by header based Blocked Senders - Block policy for Header From - "
          "https://community.mimecast.com/docs/DOC-1369#550",
          {reason::policy, provider, "mimecast"});
    check("550 Rejected by header based manually Blocked Senders: a@example.com", {reason::policy, provider, "mimecast"});
    check("550 Envelope blocked - User Domain Entry - https://community.mimecast.com/docs/DOC-1369#550",
          {reason::policy, provider, "mimecast"});
    check("550 Envelope rejected - Block policy for Envelope From address", {reason::policy, provider, "mimecast"});
    CHECK(esc::classify("451 Open relay not allowed").outcome == outcome::transient);
}

TEST_CASE("Proofpoint: a deferral that points at its IP lookup is the address's reputation") {
    // The PDR FAQ: IPs are delayed or blocked for the spam received from them, nothing else.
    check("421 Deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", {reason::blocked, provider, "proofpoint"});
    check("421 4.7.0 [192.0.2.1] Temporarily Deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.1",
          {reason::blocked, provider, "proofpoint"});
    CHECK(esc::classify("421 Deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.1").outcome == outcome::transient);
}

TEST_CASE("Microsoft and Comcast: exception names and block codes") {
    // The sender's submission quota, named only by Exchange's exception class.
    check("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due "
          "to a permanent exception",
          {reason::rate_limited, provider, "microsoft"});
    // Comcast's BL001-BL0010 are the codes of its blocked connections, whatever else the text says.
    check("550 imta.comcast.net comcast 192.0.2.1 Comcast block for spam. Please see "
          "http://www.comcast.net/help/faq/index.jsp?faq=SecurityMail_Policy18626 BL002",
          {reason::blocked, provider, "comcast"});
    check("554 comcast 192.0.2.1 BL0010", {reason::blocked, provider, "comcast"});
}

TEST_CASE("replies in other languages: relaying, blocklists, a full mailbox") {
    check("554 <a@example.org>... Retransmisión denegada", {reason::relay_denied, phrase}); // Microsoft's es-es page
    check("550 <a@example.org>... Retransmissão Negada", {reason::relay_denied, phrase});   // Microsoft's pt-br page
    check("554 发信IP被列入黑名单", {reason::blocked, phrase});
    check("552 メールボックスが一杯です", {reason::mailbox_full, phrase});
}

TEST_CASE("replies in other languages: Gmail's limits, unknown users, viruses") {
    check("Превышено ограничение на отправку сообщений.", {reason::rate_limited, phrase});      // Google's ru page
    check("450 4.2.1 宛先のユーザーが、非常に速いペースでメールを受信しようとしています。", {reason::rate_limited, phrase}); // ja
    check("550 送信先のメール アカウントは存在しません", {reason::mailbox_unknown, phrase});
    check("550 不明なアドレスです", {reason::mailbox_unknown, phrase});
    check("554 メール中にウイルスがみつかりました", {reason::virus, phrase});
    check("554 В вашем письме вирус", {reason::virus, phrase});
    check("550 Destinatario sconosciuto", {reason::mailbox_unknown, phrase});
    check("550 Nie ma takiego konta", {reason::mailbox_unknown, phrase});
    check("550 Podane konto jest zablokowane administracyjnie", {reason::mailbox_disabled, phrase});
}

TEST_CASE("replies in other languages: Gmail's 4.2.1, relaying, Swedish and Turkish hosts") {
    // Gmail's 4.2.1 limits, as Google's German, Chinese and Swedish pages give them: the rate, not the mailbox.
    check("450 4.2.1 Der Nutzer empfängt E-Mails in einer Geschwindigkeit, die weitere Nachrichten verhindert",
          {reason::rate_limited, phrase});
    check("450 4.2.1 Höchstbeschränkung für diesen Kunden überschritten", {reason::rate_limited, phrase});
    check("450 4.2.1 该用户接收电子邮件的频率过高", {reason::rate_limited, phrase});
    check("450 4.2.1 Användaren tar emot e-post för snabbt", {reason::rate_limited, phrase});
    // Relaying refused, in Microsoft's translations of "Relay denied".
    check("550 <a@example.org>... Relay verweigert", {reason::relay_denied, phrase});
    check("550 <a@example.org>... Inoltro negato", {reason::relay_denied, phrase});
    check("550 <a@example.org>... Přenos byl odepřen", {reason::relay_denied, phrase});
    check("550 <a@example.org> リレー拒否", {reason::relay_denied, phrase});
    // Exchange Online's 5.4.1 in German: the address is not in the directory.
    check("550 5.4.1 Empfängeradresse abgelehnt: Zugriff verweigert", {reason::mailbox_unknown, phrase});
    check("Diese Nachricht wird in einer Endlosschleife weitergeleitet", {reason::network, phrase});
    // Polish, Swedish, Turkish and Japanese hosts' words.
    check("550 Użytkownik o podanym adresie nie istnieje", {reason::mailbox_unknown, phrase});
    CHECK(esc::classify("550 Domena podana w adresie nie istnieje").reason != reason::mailbox_unknown);
    CHECK(esc::classify("550 El dominio del destinatario no existe").reason != reason::mailbox_unknown);
    check("550 La dirección de correo electrónico del destinatario no existe", {reason::mailbox_unknown, phrase});
    check("550 Nie ma takiej domeny", {reason::domain_unknown, phrase});
    check("550 Nieaktywna skrzynka pocztowa", {reason::mailbox_disabled, phrase});
    check("550 Mottagaren hittades inte", {reason::mailbox_unknown, phrase});
    check("552 Kontots lagringsutrymme är slut", {reason::mailbox_full, phrase});
    check("550 Kontot är inaktivt", {reason::mailbox_disabled, phrase});
    check("550 Bu adreste böyle bir kişi yoktur", {reason::mailbox_unknown, phrase});
    check("552 Alıcının posta kutusu dolu", {reason::mailbox_full, phrase});
    check("550 user@example.jp のユーザーは登録されていません", {reason::mailbox_unknown, phrase});
}

TEST_CASE("T-Online: its greeting refusal of hosts without reputation") {
    check("554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to "
          "clarify.) (BL)",
          {reason::blocked, provider, "tonline"});
    CHECK(esc::classify("554 IP=192.0.2.1 - A problem occurred. (Ask your postmaster for help or to contact "
                        "tosa@rx.t-online.de to clarify.) (BL)")
              .verdict == esc::verdict::soft);
}

TEST_CASE("Barracuda: its gateway's deferral for suspect content") {
    // The ESG's 420: the message is held back for what it contains, not the sender's reputation.
    check("420 Message deferred due to suspect content (Barracuda)", {reason::spam, provider, "barracuda"});
    CHECK(esc::classify("420 Message deferred due to suspect content").outcome == outcome::transient);
}

TEST_CASE("GMX, Trend Micro, Amazon SES, Naver: documented replies found by a held-out check") {
    // GMX's wording of a full mailbox, without web.de's "the".
    check("User has too many messages on server", {reason::mailbox_full, provider, "gmx"});
    // Trend Micro's reputation service names its zone in a host name.
    check("550 Mail from 192.0.2.1 refused by rbl-plus.mail-abuse.org", {reason::blocked, provider, "trendmicro"});
    CHECK(esc::classify("550 5.7.1 Relaying denied. See http://www.mail-abuse.org/tsi/ar-fix.html").reason ==
          reason::relay_denied);
    // SES refuses an identity it has not verified, sender or (in its sandbox) recipient: its own policy.
    check("554 Message rejected: Email address is not verified. The following identities failed the check in "
          "region US-EAST-1: a@example.com",
          {reason::policy, provider, "amazonses"});
    check("554 Message rejected: The following identities failed the check in region EU-WEST-1: b@example.net",
          {reason::policy, provider, "amazonses"});
    // Naver's refusal of unregistered hosts outweighs the 4.3.2 it comes with.
    check("421 4.3.2 Your IP(192.0.2.1) is filtered and this connection will be closed. You must register your IP "
          "to http://realip.naver.com",
          {reason::blocked, provider, "naver"});
    CHECK(esc::classify("421 4.3.2 System not accepting network messages").reason == reason::system_error);
}
