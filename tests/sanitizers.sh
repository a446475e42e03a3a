#!/usr/bin/env bash
# Builds the whole project with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer in build-asan, then runs the full test suite
# under them; fails on any report. See docs/testing.md.
#   usage: tests/sanitizers.sh [BUILD_DIR [TEST...]]
#   TEST...: run only those (meson test names or options), e.g. to replay
#   one report: tests/sanitizers.sh build-asan security
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
shift || true
src=$PWD

# gcc: its shared libasan lets the plugin, built with undefined sanitizer
# symbols (b_lundef=false), take them from the test program that loads it.
if [ ! -f "$build/build.ninja" ]; then
  CC=gcc meson setup "$build" -Db_sanitize=address,undefined -Dsoak=disabled \
    -Db_lundef=false -Dc_args=-fno-omit-frame-pointer
fi
ninja -C "$build" -j2

# gst-plugin-scanner is not instrumented, and a library built with ASan
# loads only where the ASan runtime came first: plugins are scanned by a
# wrapper that preloads it. Scanning in the test programs instead
# (GST_REGISTRY_FORK=no) would load every system plugin there, and count
# the leaks of their init. The scanner's own leaks are not ours.
case $build in
  /*) scanner=$build/asan-plugin-scanner ;;
  *) scanner=$src/$build/asan-plugin-scanner ;;
esac
{
  echo '#!/bin/sh'
  echo "LD_PRELOAD=$(gcc -print-file-name=libasan.so) \\"
  echo "  ASAN_OPTIONS=detect_leaks=0 \\"
  echo "  exec $(pkg-config --variable=pluginscannerdir gstreamer-1.0)/gst-plugin-scanner \"\$@\""
} >"$scanner"
chmod +x "$scanner"
export GST_PLUGIN_SCANNER_1_0=$scanner
# GSlice would hide GLib allocations from ASan and leaks from LSan
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
# fast_unwind_on_malloc=0: full stacks through GLib, GStreamer and libsoup,
# built without frame pointers, for the suppressions to match frames in
# them; 16 frames are enough, and cost half the default 30 (it is the
# slowest part of the run). intercept_tls_get_addr=0: gcc 12's LSan reads a bogus range for the
# dynamic TLS of glib-networking's GnuTLS threads and crashes ("Tracer
# caught signal 11") in the TLS tests; without it LSan does not scan
# dynamic TLS, which no leak report so far has needed.
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=16:intercept_tls_get_addr=0:strict_string_checks=1:check_initialization_order=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export CK_TIMEOUT_MULTIPLIER=3

log=$build/meson-logs/testlog.txt
status=0
meson test -C "$build" --print-errorlogs --timeout-multiplier 3 "$@" ||
  status=$?

# A report in a process whose exit status the test did not look at (the
# example's server, say) must fail the run too.
if grep -n -E '^(==[0-9]+==ERROR: (Address|Leak)Sanitizer|SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer)|: runtime error: ' \
    "$log"; then
  echo "sanitizers: reports above, in $log" >&2
  status=1
fi
exit $status
