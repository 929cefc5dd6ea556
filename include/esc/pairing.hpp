// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Basic reply code + enhanced status code: does the pair make sense?
//
// RFC 3463 section 2 requires the class of the enhanced code to agree with the
// first digit of the reply (550 with 5.x.x), RFC 5248's registry lists which
// basic codes each detail code goes with, and RFC 3463 restricts some details
// to a class. check_consistency() reports each of these separately, because
// real servers break them in different ways and a log reader wants to know
// which.

#include "detail/config.hpp"
#include "registry.hpp"
#include "reply_code.hpp"
#include "status.hpp"

ESC_BEGIN_NAMESPACE

// Whether the registry associates this basic code with the detail code (by
// subject.detail; the class is a separate question, see check_consistency).
// False for details the registry does not enumerate.
constexpr bool is_associated(reply_code reply, status_code status) noexcept {
    const int i = detail::registry_position(status);
    return i >= 0 && detail::registry_table[i].associated.allows(to_int(reply));
}

// Everything odd about a (reply code, enhanced code) pair. All false: fine.
struct consistency {
    bool invalid = false;          // the reply code is outside 200..599 or the status code invalid; nothing else is judged
    bool class_mismatch = false;   // 550 4.1.1, 250 5.0.0, or any enhanced code on a 3yz reply
    bool unregistered = false;     // 5.7.606: the registry does not enumerate the detail (a vendor code)
    bool unlisted_pairing = false; // 250 5.1.1: the registry lists basic codes for the detail, not this one
    bool not_meaningful = false;   // 4.1.1: the defining RFC keeps the detail for another class

    constexpr bool ok() const noexcept {
        return !invalid && !class_mismatch && !unregistered && !unlisted_pairing && !not_meaningful;
    }
};

constexpr consistency check_consistency(reply_code reply, status_code status) noexcept {
    consistency r;
    if (!has_reply_class(reply) || !is_valid(status)) {
        r.invalid = true;
        return r;
    }
    r.class_mismatch = static_cast<int>(class_of(reply)) != static_cast<int>(status.cls);
    const int i = detail::registry_position(status);
    r.unregistered = i < 0;
    if (i >= 0) {
        const registry_entry& e = detail::registry_table[i];
        r.unlisted_pairing = e.associated.given() && !e.associated.allows(to_int(reply));
        r.not_meaningful = !e.classes.contains(status.cls);
    }
    return r;
}

ESC_END_NAMESPACE
