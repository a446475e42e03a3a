#!/usr/bin/env bash
# Runs the test suite under valgrind's memcheck: fails on a definite leak or
# an invalid memory access (the examples' script tests, the install and docs
# checks, which run bash and python3 rather than our code, and the hour-long
# soak run without it: the soak would take hours under memcheck).
#   usage: tests/valgrind.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
supp=$(cd "$(dirname "$0")" && pwd)/valgrind.supp
G_SLICE=always-malloc G_DEBUG=gc-friendly CK_FORK=no CK_TIMEOUT_MULTIPLIER=4 \
  meson test -C "$build" -v --timeout-multiplier 4 --no-suite examples --no-suite soak \
  --no-suite install --no-suite docs \
  --wrap="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 --num-callers=30 --suppressions=$supp"
