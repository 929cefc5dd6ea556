// Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
#pragma once
// Everything in esc that needs only the standard library. <esc/fmt.hpp>,
// which needs {fmt}, is included separately, and so is <esc/rules.hpp>
// (user rule sets: it brings the standard containers the rules are built
// with, which a unit that only classifies need not compile), and so is
// <esc/charset_cjk.hpp> (the JIS X 0208 and GBK tables: bounce reading
// takes its decoders through bounce_options::convert_charset).

#include "bounce.hpp"
#include "bounce_writer.hpp"
#include "classify.hpp"
#include "command.hpp"
#include "dsn.hpp"
#include "ehlo.hpp"
#include "error_code.hpp"
#include "format_reply.hpp"
#include "mbox.hpp"
#include "mime.hpp"
#include "pairing.hpp"
#include "reason.hpp"
#include "registry.hpp"
#include "reply.hpp"
#include "reply_reader.hpp"
#include "reply_code.hpp"
#include "status.hpp"
#include "version.hpp"
