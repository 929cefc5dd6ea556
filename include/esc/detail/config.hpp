// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Header-only or compiled: how the bodies of the heavy functions (parsing,
// finding, classifying) reach a program.
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
// ESC_HEADER_ONLY 1 when header-only (constant evaluation available), else 0.

#if defined(ESC_SEPARATE_COMPILATION)
#define ESC_DECL
#define ESC_CONSTEXPR inline
#define ESC_HEADER_ONLY 0
#else
#define ESC_DECL constexpr
#define ESC_CONSTEXPR constexpr
#define ESC_HEADER_ONLY 1
#endif
