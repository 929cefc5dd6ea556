// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// The bodies of esc's compiled functions, for exactly one unit of a program
// built with ESC_SEPARATE_COMPILATION defined (detail/config.hpp). The CMake
// target esc::esc_compiled compiles it for you (src/esc.cpp); without CMake,
// add one file to your program:
//
//     #define ESC_SEPARATE_COMPILATION   // or -DESC_SEPARATE_COMPILATION everywhere
//     #include <esc/src.hpp>
//
// and define ESC_SEPARATE_COMPILATION in every other unit that includes esc.

#if !defined(ESC_SEPARATE_COMPILATION)
#error "<esc/src.hpp> is for ESC_SEPARATE_COMPILATION builds; header-only builds need no source file"
#endif

#include "esc.hpp"
#include "impl/dsn.ipp"
#include "impl/mime.ipp"
#include "impl/format_reply.ipp"
#include "impl/ehlo.ipp"
#include "impl/reply_reader.ipp"
#include "impl/mbox.ipp"
#include "impl/error_code.ipp"
#include "impl/bounce_writer.ipp"
#include "impl/bounce.ipp"
#include "impl/classify.ipp"
#include "impl/reply.ipp"
