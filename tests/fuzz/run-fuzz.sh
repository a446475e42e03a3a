#!/usr/bin/env bash
# Builds the libFuzzer targets of the protocol layer (clang, with ASan and
# UBSan) in build-fuzz, then runs both side by side for SECONDS each
# (default 60), each on a scratch copy of its seed corpus in
# tests/fuzz/corpus/. Exits non-zero on any crash, leak, timeout or
# out-of-memory; the input that caused it is kept in
# build-fuzz/artifacts/TARGET/ and the command to replay it is printed.
#   usage: tests/fuzz/run-fuzz.sh [SECONDS]
#   FUZZ_BUILD_DIR overrides the build directory; FUZZ_CORPUS_DIR keeps
#   the grown corpora there (DIR/TARGET/) instead of in a scratch copy.
set -euo pipefail
seconds=${1:-60}
case $seconds in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
dict=tests/fuzz/realtime.dict
# target:corpus
targets="fuzz-protocol:server fuzz-app-json:app"

# The element, the tests and the examples are not needed: only the
# protocol layer is fuzzed.
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=enabled -Dtests=disabled \
    -Dexamples=disabled
fi
ninja -C "$build" -j2 tests/fuzz/fuzz-protocol tests/fuzz/fuzz-app-json

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpora=${FUZZ_CORPUS_DIR:-$work}

# always-malloc so that ASan sees every GLib allocation; leaks are
# detected by libFuzzer itself, after each input
export G_SLICE=always-malloc
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

pids=
for tc in $targets; do
  t=${tc%%:*}
  mkdir -p "$corpora/$t" "$build/artifacts/$t"
  cp tests/fuzz/corpus/"${tc#*:}"/* "$corpora/$t/"
  # 1 MiB inputs: real audio deltas are hundreds of KiB
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=1048576 \
    -timeout=10 -rss_limit_mb=2048 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t/" "$corpora/$t" >"$work/$t.log" 2>&1 &
  pids="$pids $!"
done

status=0
set -- $pids
for tc in $targets; do
  t=${tc%%:*}
  rc=0
  wait "$1" || rc=$?
  shift
  log=$work/$t.log
  last=$(grep -E '^#[0-9]+[[:space:]].*cov:' "$log" | tail -n 1 || true)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "== $t: exit $rc; ${eps:-?} exec/s; last: ${last:-none}"
  if [ "$rc" != 0 ]; then
    status=1
    # the report, without the progress lines before it
    grep -v -E '^#[0-9]+.*(NEW|REDUCE|pulse|RELOAD)|^\s+NEW_FUNC' "$log" |
      tail -n 80
    for a in "$build/artifacts/$t"/*; do
      [ -f "$a" ] || continue
      echo "replay: $build/tests/fuzz/$t $a"
    done
  fi
done
exit $status
