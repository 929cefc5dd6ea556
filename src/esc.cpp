// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
// esc::esc_compiled: the bodies of parse, find, classify and the readers and
// writers (include/esc/impl/*.ipp), compiled once.
#include <esc/src.hpp>
