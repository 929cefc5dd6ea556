// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The IANA "SMTP Enhanced Status Codes" registry (RFC 5248), detail table,
// as one constexpr table: every enumerated code X.0.0 .. X.7.30.
//
// Source: the registry as of its 2024-12-06 update, as recorded in
// shared/reference/iana-enhanced-status-codes.csv; tests/registry_reference_test.cpp
// checks this table against that file row for row. Titles are the registry's
// "Sample Text"; descriptions are our own words.
//
// `classes` says in which classes a code makes sense. It follows the sentence
// RFC 3463 (or the defining RFC) gives the code ("only useful for permanent
// failures" -> permanent). Where the RFC says nothing, it is the classes of the
// registry's associated basic codes; where those are "Not given" too, any
// failure class. The X.n.0 catch-alls are allowed in every class: Postfix says
// "250 2.1.0" to MAIL and Exchange "250 2.6.0" to DATA, and RFC 3463 lets a
// success report use any subject.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "detail/config.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// A set of status classes.
class class_set {
public:
    constexpr class_set() noexcept = default;
    constexpr class_set(std::initializer_list<status_class> classes) noexcept {
        for (status_class c : classes) bits_ = static_cast<std::uint8_t>(bits_ | bit(c));
    }
    constexpr bool contains(status_class c) const noexcept { return (bits_ & bit(c)) != 0; }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    friend constexpr bool operator==(class_set a, class_set b) noexcept { return a.bits_ == b.bits_; }
    friend constexpr bool operator!=(class_set a, class_set b) noexcept { return a.bits_ != b.bits_; }

private:
    static constexpr std::uint8_t bit(status_class c) noexcept {
        return c == status_class::success ? 1 : c == status_class::transient ? 2 : c == status_class::permanent ? 4 : 0;
    }
    std::uint8_t bits_ = 0;
};

// How the registry states the basic reply codes that go with a detail code.
enum class pairing_rule : std::uint8_t {
    listed,                 // exactly the listed codes; none listed means the registry says "Not given"
    any,                    // "Any" (X.0.0)
    any_permanent,          // "5XX": any 5yz reply (X.7.17 .. X.7.19)
    listed_or_any_failure,  // the listed codes, "other 4XX or 5XX codes are allowed" (X.7.15, X.7.16)
};

// The basic reply codes the registry associates with a detail code.
class basic_codes {
public:
    static constexpr std::size_t capacity = 14; // X.5.0 lists fourteen

    constexpr basic_codes() noexcept = default;
    constexpr basic_codes(std::initializer_list<std::uint16_t> codes,
                          pairing_rule rule = pairing_rule::listed) noexcept
        : rule_(rule) {
        for (std::uint16_t c : codes)
            if (size_ < capacity) codes_[size_++] = c;
    }

    constexpr pairing_rule rule() const noexcept { return rule_; }
    constexpr const std::uint16_t* begin() const noexcept { return codes_; }
    constexpr const std::uint16_t* end() const noexcept { return codes_ + size_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    // False when the registry says "Not given": it has no opinion on the pairing.
    constexpr bool given() const noexcept { return size_ != 0 || rule_ != pairing_rule::listed; }
    constexpr std::uint16_t operator[](std::size_t i) const noexcept { return codes_[i]; }

    // Whether a reply with this basic code may carry the detail code.
    constexpr bool allows(std::uint16_t reply) const noexcept {
        const int first_digit = reply / 100;
        switch (rule_) {
        case pairing_rule::any: return true;
        case pairing_rule::any_permanent: return first_digit == 5;
        case pairing_rule::listed_or_any_failure:
            if (first_digit == 4 || first_digit == 5) return true;
            break;
        case pairing_rule::listed: break;
        }
        for (std::uint16_t c : *this)
            if (c == reply) return true;
        return false;
    }

private:
    std::uint16_t codes_[capacity]{};
    std::uint8_t size_ = 0;
    pairing_rule rule_ = pairing_rule::listed;
};

struct registry_entry {
    std::uint16_t subject;
    std::uint16_t detail;
    std::string_view title;       // the registry's text; empty for the deprecated X.6.10
    std::string_view description; // one or two sentences of our own
    basic_codes associated;       // basic reply codes the registry pairs with it
    std::string_view references;  // space-separated: "RFC3463", "RFC7505 RFC7504"
    class_set classes;            // classes in which the code makes sense
    bool deprecated;

    constexpr status_code code(status_class c) const noexcept { return {c, subject, detail}; }
};

namespace detail {

inline constexpr class_set any_class{status_class::success, status_class::transient, status_class::permanent};
inline constexpr class_set failure{status_class::transient, status_class::permanent};
inline constexpr class_set permanent_only{status_class::permanent};
inline constexpr class_set transient_only{status_class::transient};
inline constexpr class_set success_only{status_class::success};
inline constexpr class_set success_or_permanent{status_class::success, status_class::permanent};

// The tables spell their strings as ""sv literals: a string_view built from a
// plain literal in a constant expression has its length counted character by
// character by the compiler (char_traits::length), which for a table of
// sentences is most of this header's compile time.
using namespace std::string_view_literals;

inline constexpr std::string_view rfc3463 = "RFC3463"sv;

// Sorted by subject, then detail; within a subject the details run 0, 1, 2, ...
// without gaps (lookup() relies on both; static_asserts below check them).
inline constexpr registry_entry registry_table[] = {
    // X.0.YYY Other or Undefined Status
    {0, 0, "Other undefined Status"sv,
     "Nothing more is known than the class: the operation succeeded, failed for now, or failed for good."sv,
     {{}, pairing_rule::any}, rfc3463, any_class, false},

    // X.1.YYY Addressing Status
    {1, 0, "Other address status"sv,
     "Something about an address in the transaction caused this report, without a more precise detail code."sv,
     {}, rfc3463, any_class, false},
    {1, 1, "Bad destination mailbox address"sv,
     "The recipient's mailbox does not exist: the part before the @ is unknown at the destination."sv,
     {451, 550}, rfc3463, permanent_only, false},
    {1, 2, "Bad destination system address"sv,
     "The recipient's domain does not exist or cannot take mail: the part after the @ is the problem."sv,
     {}, rfc3463, permanent_only, false},
    {1, 3, "Bad destination mailbox address syntax"sv,
     "The recipient address is not syntactically valid, so no delivery can be attempted."sv,
     {501}, rfc3463, permanent_only, false},
    {1, 4, "Destination mailbox address ambiguous"sv,
     "The recipient address matches more than one mailbox at the destination, so it cannot pick one."sv,
     {}, rfc3463, failure, false},
    {1, 5, "Destination address valid"sv,
     "The recipient address was accepted; a positive report about that address."sv,
     {250}, rfc3463, success_only, false},
    {1, 6, "Destination mailbox has moved, No forwarding address"sv,
     "The address used to be valid but no longer receives mail, and no new address is known."sv,
     {}, rfc3463, permanent_only, false},
    {1, 7, "Bad sender's mailbox address syntax"sv,
     "The sender (envelope from) address is not syntactically valid."sv,
     {}, rfc3463, failure, false},
    {1, 8, "Bad sender's system address"sv,
     "The sender's domain does not exist or cannot receive replies, so the server will not accept mail from it."sv,
     {451, 501}, rfc3463, failure, false},
    {1, 9, "Message relayed to non-compliant mailer"sv,
     "The address was valid, but the message went on to a system that does not take part in message tracking, so "
     "no further status can be given."sv,
     {}, "RFC3886"sv, any_class, false},
    {1, 10, "Recipient address has null MX"sv,
     "The recipient's domain publishes a null MX record: it declares that it receives no mail at all."sv,
     {556}, "RFC7505 RFC7504"sv, permanent_only, false},

    // X.2.YYY Mailbox Status
    {2, 0, "Other or undefined mailbox status"sv,
     "The mailbox exists, but something about it prevents delivery; no finer detail is given."sv,
     {}, rfc3463, any_class, false},
    {2, 1, "Mailbox disabled, not accepting messages"sv,
     "The mailbox exists but has been switched off for incoming mail, for now or for good."sv,
     {}, rfc3463, failure, false},
    // RFC 3463 wants X.2.2 as a transient failure; the registry pairs it with 552
    // and servers send 552 5.2.2 every day, so both failure classes are accepted.
    {2, 2, "Mailbox full"sv,
     "The recipient's mailbox is over its quota or out of space; it may take mail again once the owner frees room."sv,
     {552}, rfc3463, failure, false},
    {2, 3, "Message length exceeds administrative limit"sv,
     "The message is larger than this particular mailbox accepts, a limit lower than the system-wide one."sv,
     {552}, rfc3463, permanent_only, false},
    {2, 4, "Mailing list expansion problem"sv,
     "The address is a mailing list and its member list could not be expanded."sv,
     {450, 452}, rfc3463, failure, false},

    // X.3.YYY Mail System Status
    {3, 0, "Other or undefined mail system status"sv,
     "The destination system normally takes mail, but some condition of the system itself caused this report."sv,
     {221, 250, 421, 451, 550, 554}, rfc3463, any_class, false},
    {3, 1, "Mail system full"sv,
     "The receiving system has run out of storage as a whole; the recipient cannot fix this by deleting mail."sv,
     {452}, rfc3463, transient_only, false},
    {3, 2, "System not accepting network messages"sv,
     "The destination host is not taking mail at the moment, for example during maintenance, overload or shutdown, "
     "or at all."sv,
     {453, 521}, "RFC3463 RFC7504"sv, failure, false},
    {3, 3, "System not capable of selected features"sv,
     "The message asks for features the destination system does not offer, as can happen at gateways between mail "
     "systems."sv,
     {}, rfc3463, failure, false},
    {3, 4, "Message too big for system"sv,
     "The message exceeds the size the receiving system accepts for any message."sv,
     {552, 554}, rfc3463, permanent_only, false},
    {3, 5, "System incorrectly configured"sv,
     "The receiving system's configuration does not let it accept this message."sv,
     {}, rfc3463, failure, false},
    {3, 6, "Requested priority was changed"sv,
     "The message was accepted, but with a different priority from the one the sender asked for."sv,
     {250, 251}, "RFC6710"sv, success_only, false},

    // X.4.YYY Network and Routing Status
    {4, 0, "Other or undefined network or routing status"sv,
     "Something went wrong in the network or in routing, and no finer detail applies."sv,
     {}, rfc3463, any_class, false},
    {4, 1, "No answer from host"sv,
     "The connection attempt to the next host got no answer, because it was busy or unreachable."sv,
     {451}, rfc3463, transient_only, false},
    {4, 2, "Bad connection"sv,
     "A connection was made but broke down before the transaction completed, by timeout or poor quality."sv,
     {421}, rfc3463, transient_only, false},
    {4, 3, "Directory server failure"sv,
     "A directory service needed to route the message, typically DNS, could not be reached."sv,
     {451, 550}, rfc3463, transient_only, false},
    {4, 4, "Unable to route"sv,
     "Routing information for the destination could not be found, so the next hop is unknown."sv,
     {}, rfc3463, failure, false},
    {4, 5, "Mail system congestion"sv,
     "The mail system is congested and could not handle the message now."sv,
     {451}, rfc3463, transient_only, false},
    {4, 6, "Routing loop detected"sv,
     "The message went round a forwarding loop too many times, through misrouting or a user's forwarding."sv,
     {}, rfc3463, transient_only, false},
    {4, 7, "Delivery time expired"sv,
     "The message stayed undelivered for too long, or outlived the time limit its sender set."sv,
     {}, rfc3463, failure, false},

    // X.5.YYY Mail Delivery Protocol Status
    {5, 0, "Other or undefined protocol status"sv,
     "Something about the mail protocol exchange went wrong, and no finer detail applies."sv,
     {220, 250, 251, 252, 253, 451, 452, 454, 458, 459, 501, 502, 503, 554}, rfc3463, any_class, false},
    {5, 1, "Invalid command"sv,
     "A protocol command was sent out of sequence or is not supported."sv,
     {430, 500, 501, 503, 530, 550, 554, 555}, rfc3463, permanent_only, false},
    {5, 2, "Syntax error"sv,
     "A protocol command could not be understood: it is malformed or unknown."sv,
     {500, 501, 502, 550, 555}, rfc3463, permanent_only, false},
    {5, 3, "Too many recipients"sv,
     "The transaction named more recipients than can be handled at once; the rest should go in another transaction."sv,
     {451}, rfc3463, failure, false},
    {5, 4, "Invalid command arguments"sv,
     "A known command came with arguments that are out of range or name features that are not supported."sv,
     {451, 501, 502, 503, 504, 550, 555}, rfc3463, permanent_only, false},
    {5, 5, "Wrong protocol version"sv,
     "The two sides use protocol versions that they cannot reconcile."sv,
     {}, rfc3463, failure, false},
    {5, 6, "Authentication Exchange line is too long"sv,
     "A line of the SASL authentication exchange was longer than the server accepts."sv,
     {500}, "RFC4954"sv, permanent_only, false},

    // X.6.YYY Message Content or Media Status
    {6, 0, "Other or undefined media error"sv,
     "Something about the message content made it undeliverable, and no finer detail applies."sv,
     {}, rfc3463, any_class, false},
    {6, 1, "Media not supported"sv,
     "The message uses a media type that the protocol or the next system cannot carry."sv,
     {}, rfc3463, permanent_only, false},
    {6, 2, "Conversion required and prohibited"sv,
     "The content would have to be converted to be delivered, but the sender or the sending host forbids conversion."sv,
     {}, rfc3463, failure, false},
    {6, 3, "Conversion required but not supported"sv,
     "The content would have to be converted for the next hop, such as 8bit to 7bit, and no host on the path can "
     "do it."sv,
     {554}, rfc3463, failure, false},
    {6, 4, "Conversion with loss performed"sv,
     "The message was delivered, but a conversion on the way lost some data; a failure if the sender forbade that."sv,
     {250}, rfc3463, success_or_permanent, false},
    {6, 5, "Conversion Failed"sv,
     "A needed conversion of the content was attempted and did not succeed."sv,
     {}, rfc3463, failure, false},
    {6, 6, "Message content not available"sv,
     "Content the message refers to, such as a BURL reference, could not be fetched."sv,
     {554}, "RFC4468"sv, permanent_only, false},
    {6, 7, "Non-ASCII addresses not permitted for that sender/recipient"sv,
     "An internationalized (non-ASCII) address was used where the sender or recipient does not allow one."sv,
     {553, 550}, "RFC6531"sv, permanent_only, false},
    {6, 8, "UTF-8 string reply is required, but not permitted by the SMTP client"sv,
     "The reply would have to contain UTF-8, and the client did not announce that it can take that."sv,
     {252, 553, 550}, "RFC6531"sv, success_or_permanent, false},
    {6, 9,
     "UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected"sv,
     "The message has UTF-8 header fields and some recipient's path cannot carry them, so it is refused."sv,
     {550}, "RFC6531"sv, permanent_only, false},
    // Deprecated: the registry keeps it only as a duplicate of X.6.8, without a title.
    {6, 10, ""sv,
     "Deprecated duplicate of X.6.8 (UTF-8 reply required but not permitted); use X.6.8 instead."sv,
     {}, "RFC6531"sv, success_or_permanent, true},

    // X.7.YYY Security or Policy Status
    {7, 0, "Other or undefined security status"sv,
     "A security or policy matter stopped the message, with no finer detail, possibly because policy forbids "
     "saying more."sv,
     {220, 235, 450, 454, 500, 501, 503, 504, 530, 535, 550}, rfc3463, any_class, false},
    {7, 1, "Delivery not authorized, message refused"sv,
     "The sender may not send to this destination, by per-host or per-recipient filtering."sv,
     {451, 454, 502, 503, 533, 550, 551}, rfc3463, permanent_only, false},
    {7, 2, "Mailing list expansion prohibited"sv,
     "The sender may not post to the mailing list it addressed."sv,
     {550}, rfc3463, permanent_only, false},
    {7, 3, "Security conversion required but not possible"sv,
     "Delivery required converting between secure messaging protocols, and that conversion was impossible."sv,
     {}, rfc3463, permanent_only, false},
    {7, 4, "Security features not supported"sv,
     "The message uses security features the delivery protocol cannot support."sv,
     {504}, rfc3463, permanent_only, false},
    {7, 5, "Cryptographic failure"sv,
     "A system entitled to verify or decrypt the message could not, because a key or similar information was "
     "missing or invalid."sv,
     {}, rfc3463, failure, false},
    {7, 6, "Cryptographic algorithm not supported"sv,
     "A system entitled to verify or decrypt the message could not, because it lacks the algorithm used."sv,
     {}, rfc3463, failure, false},
    {7, 7, "Message integrity failure"sv,
     "A system entitled to verify the message found it corrupted or altered in transit."sv,
     {}, rfc3463, any_class, false},
    {7, 8, "Authentication credentials invalid"sv,
     "SMTP authentication failed: the credentials were wrong or the account may not log in."sv,
     {535, 554}, "RFC4954"sv, permanent_only, false},
    {7, 9, "Authentication mechanism is too weak"sv,
     "The chosen authentication mechanism is weaker than the server's policy allows."sv,
     {534}, "RFC4954"sv, permanent_only, false},
    {7, 10, "Encryption Needed"sv,
     "The action needs an encrypted session; issue STARTTLS first or use a mechanism that encrypts."sv,
     {523}, "RFC5248"sv, permanent_only, false},
    {7, 11, "Encryption required for requested authentication mechanism"sv,
     "This authentication mechanism may only be used over an encrypted connection; kept for history, since RFC 4954 "
     "retired basic code 538."sv,
     {524, 538}, "RFC4954"sv, permanent_only, false},
    {7, 12, "A password transition is needed"sv,
     "The user must first authenticate once with a plaintext mechanism so that the server can set up the new "
     "credentials."sv,
     {422, 432}, "RFC4954"sv, transient_only, false},
    {7, 13, "User Account Disabled"sv,
     "Authentication succeeded but the account has been disabled, for instance for abuse or non-payment."sv,
     {525}, "RFC5248"sv, permanent_only, false},
    {7, 14, "Trust relationship required"sv,
     "The action, such as fetching BURL content, needs a trust relationship between the servers that does not exist."sv,
     {535, 554}, "RFC5248"sv, permanent_only, false},
    {7, 15, "Priority Level is too low"sv,
     "The requested message priority is below what the server accepts now, for example under load."sv,
     {{450, 550}, pairing_rule::listed_or_any_failure}, "RFC6710"sv, failure, false},
    {7, 16, "Message is too big for the specified priority"sv,
     "At the requested priority the message is too large; a lower priority might be accepted."sv,
     {{552}, pairing_rule::listed_or_any_failure}, "RFC6710"sv, failure, false},
    {7, 17, "Mailbox owner has changed"sv,
     "The mailbox now belongs to someone other than the intended recipient (Require-Recipient-Valid-Since)."sv,
     {{}, pairing_rule::any_permanent}, "RFC7293"sv, permanent_only, false},
    {7, 18, "Domain owner has changed"sv,
     "The domain now belongs to someone other than when the sender last confirmed the address "
     "(Require-Recipient-Valid-Since)."sv,
     {{}, pairing_rule::any_permanent}, "RFC7293"sv, permanent_only, false},
    {7, 19, "RRVS test cannot be completed"sv,
     "The server cannot check the Require-Recipient-Valid-Since condition the sender asked for."sv,
     {{}, pairing_rule::any_permanent}, "RFC7293"sv, permanent_only, false},
    {7, 20, "No passing DKIM signature found"sv,
     "Local policy needs a valid DKIM signature and the message carries none that verifies."sv,
     {550}, "RFC7372 RFC6376"sv, permanent_only, false},
    {7, 21, "No acceptable DKIM signature found"sv,
     "DKIM signatures verified, but none meets local policy, such as the signing domain or algorithm."sv,
     {550}, "RFC7372 RFC6376"sv, permanent_only, false},
    {7, 22, "No valid author-matched DKIM signature found"sv,
     "No verified DKIM signature comes from the domain of the author (From) address, which local policy requires."sv,
     {550}, "RFC7372 RFC6376"sv, permanent_only, false},
    {7, 23, "SPF validation failed"sv,
     "The sending host is not permitted by the sender domain's SPF record."sv,
     {550}, "RFC7372 RFC7208"sv, permanent_only, false},
    {7, 24, "SPF validation error"sv,
     "The SPF check could not be completed, for example because of a DNS error or a broken SPF record."sv,
     {451, 550}, "RFC7372 RFC7208"sv, failure, false},
    {7, 25, "Reverse DNS validation failed"sv,
     "The client's IP address has no reverse DNS name that checks out, which local policy requires."sv,
     {550}, "RFC7372"sv, permanent_only, false},
    {7, 26, "Multiple authentication checks failed"sv,
     "Several sender authentication checks (SPF, DKIM, and the like) failed together."sv,
     {550}, "RFC7372"sv, permanent_only, false},
    {7, 27, "Sender address has null MX"sv,
     "The sender's domain publishes a null MX record, so replies to it could never be delivered."sv,
     {550}, "RFC7505"sv, permanent_only, false},
    {7, 28, "Mail flood detected"sv,
     "The recipient is receiving an unusual flood of similar messages, as in a subscription bombing attack."sv,
     {}, "draft-levine-mailbomb-header-00"sv, failure, false},
    {7, 29, "ARC validation failure"sv,
     "The message's Authenticated Received Chain (ARC) did not validate, and local policy requires it."sv,
     {550}, "RFC8617"sv, permanent_only, false},
    {7, 30, "REQUIRETLS support required"sv,
     "The message was sent with REQUIRETLS, and a host on the path cannot honour it."sv,
     {550}, "RFC8689"sv, permanent_only, false},
};

inline constexpr std::size_t registry_size = sizeof(registry_table) / sizeof(registry_table[0]);
inline constexpr std::size_t subject_count = 8; // X.0 .. X.7

// Where each subject's details start in the table, and how many there are.
struct subject_index {
    std::array<std::uint8_t, subject_count> first{};
    std::array<std::uint8_t, subject_count> count{};
};

constexpr subject_index build_subject_index() noexcept {
    subject_index index{};
    for (std::size_t i = registry_size; i-- > 0;) {
        const auto s = registry_table[i].subject;
        index.first[s] = static_cast<std::uint8_t>(i);
        ++index.count[s];
    }
    return index;
}

constexpr bool table_is_dense() noexcept {
    for (std::size_t i = 0; i < registry_size; ++i) {
        const registry_entry& e = registry_table[i];
        if (e.subject >= subject_count) return false;
        if (i == 0 ? e.subject != 0 || e.detail != 0
                   : !(e.subject == registry_table[i - 1].subject && e.detail == registry_table[i - 1].detail + 1) &&
                         !(e.subject == registry_table[i - 1].subject + 1 && e.detail == 0))
            return false;
    }
    return true;
}

// table_is_dense() and the count are checked once, by tests/registry_test.cpp,
// not in every unit that includes this header.

inline constexpr subject_index registry_index = build_subject_index();

} // namespace detail

using registry_table = registry_entry[detail::registry_size];

// All entries, in registry order (by subject, then detail).
constexpr const registry_table& registry() noexcept { return detail::registry_table; }

namespace detail {

// The table position of c's subject.detail, or -1. The constexpr functions
// below test this rather than a pointer against nullptr: g++ does not fold
// "&table[i] != nullptr" in constant expressions under -fsanitize, which
// implies -fno-delete-null-pointer-checks.
constexpr int registry_position(status_code c) noexcept {
    if (c.subject >= subject_count || c.detail >= registry_index.count[c.subject]) return -1;
    return registry_index.first[c.subject] + c.detail;
}

} // namespace detail

// The entry for c's subject.detail, whatever c's class; nullptr when the
// registry does not enumerate that subject.detail (such as 5.7.606). O(1).
constexpr const registry_entry* lookup(status_code c) noexcept {
    const int i = detail::registry_position(c);
    return i < 0 ? nullptr : &detail::registry_table[i];
}

// A short human title for a code: the registry's title for a registered
// detail, else the subject's title (RFC 3463 section 2: a client that does
// not know a detail must still use the subject), else the class's title.
// Empty only for an invalid code.
constexpr std::string_view describe(status_code c) noexcept {
    if (!is_valid(c)) return {};
    if (const int i = detail::registry_position(c); i >= 0 && !detail::registry_table[i].title.empty())
        return detail::registry_table[i].title;
    if (const std::string_view t = title(subject_of(c)); !t.empty()) return t;
    return title(c.cls);
}

// Whether the registry says this code makes sense in its class (4.1.1 does
// not: RFC 3463 keeps X.1.1 for permanent failures). Unregistered details are
// not judged and count as meaningful.
constexpr bool is_meaningful(status_code c) noexcept {
    const int i = detail::registry_position(c);
    return i < 0 || detail::registry_table[i].classes.contains(c.cls);
}

ESC_END_NAMESPACE
