// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// How esc is built into a program: its versioned namespace, and whether the
// bodies of the heavy functions (parsing, finding, classifying, reading
// bounces and DSNs, writing DSNs, bounces and replies, the EHLO reader, MIME
// decoding, reply_reader) are in every unit (header-only) or compiled once.
//
// Everything esc declares is in esc::v0, an inline namespace: users write
// esc::classify, the linker sees esc::v0::classify. A release that breaks the
// ABI moves to esc::v1, so two versions linked into one program cannot be
// mixed up silently (each keeps its own symbols). ESC_BEGIN_NAMESPACE and
// ESC_END_NAMESPACE open and close it in every header.
//
//
// By default esc is header-only: each public header includes its bodies
// (impl/*.ipp) and every function is constexpr, usable in constant
// expressions. With ESC_SEPARATE_COMPILATION defined (the CMake target
// esc::esc_compiled defines it for its users), the headers only declare those
// functions; their bodies are compiled once, in the one unit that includes
// <esc/src.hpp> (esc::esc_compiled's own source). A unit that calls classify()
// then parses a page of declarations instead of the phrase tables. What it
// gives up: those functions, and the header functions that call them, are
// ordinary functions, not constexpr.
//
// ESC_DECL       a function whose body is in impl/*.ipp: constexpr when
//                header-only, an ordinary declaration when compiled;
// ESC_CONSTEXPR  a function defined in a header that calls one of those:
//                constexpr when header-only, inline when compiled.
// ESC_INLINE     a function whose body is in impl/*.ipp and which cannot be
//                constexpr (reply_reader's members: memchr, memmove): inline
//                when header-only, an ordinary declaration when compiled.
// ESC_HEADER_ONLY 1 when header-only (constant evaluation available), else 0.

#if defined(ESC_SEPARATE_COMPILATION)
#define ESC_DECL
#define ESC_CONSTEXPR inline
#define ESC_INLINE
#define ESC_HEADER_ONLY 0
#else
#define ESC_DECL constexpr
#define ESC_CONSTEXPR constexpr
#define ESC_INLINE inline
#define ESC_HEADER_ONLY 1
#endif

#define ESC_ABI_NAMESPACE v0
#define ESC_BEGIN_NAMESPACE \
    namespace esc {         \
    inline namespace v0 {
#define ESC_END_NAMESPACE \
    }                     \
    }
