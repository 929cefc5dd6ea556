#!/usr/bin/env bash
# Runs a test program under valgrind memcheck: any invalid read or write, use
# of uninitialised memory or leak fails it. Exits 77 (CTest: skipped) when
# valgrind is not installed or the build cannot run under it.
#
#   valgrind_memcheck.sh PROGRAM [ARGS...]
set -euo pipefail
if [[ -n "${ESC_VALGRIND_SKIP:-}" ]]; then
    echo "SKIPPED: $ESC_VALGRIND_SKIP"
    exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIPPED: valgrind is not installed"
    exit 77
fi
exec valgrind --error-exitcode=1 --leak-check=full "$@"
