#!/usr/bin/env bash
# Installs the project into a temporary prefix and checks what a user gets:
# nothing lands outside the prefix, the installed plugin loads with
# GST_PLUGIN_PATH set to its directory, and its messages are in Chinese
# with LANGUAGE=zh_CN (LC_ALL=C.UTF-8: no zh_CN locale needs to exist), as
# are those of the plugin in the build tree. Skipped (77) in sanitizer
# builds, whose plugin loads into no uninstrumented program.
#   usage: test-install.sh MESON SOURCE_DIR BUILD_PLUGIN_DIR SKIP
set -euo pipefail
meson=$1
src=$2
build_plugin_dir=$3
[ "$4" = skip ] && { echo "SKIP: sanitizer build"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

# Only this test's plugins: none from the caller's environment.
unset GST_PLUGIN_PATH GST_PLUGIN_PATH_1_0 LC_MESSAGES LANG

# A build of its own, configured for the prefix; only what is installed.
"$meson" setup "$tmp/build" "$src" --prefix="$prefix" -Dtests=disabled \
  -Dexamples=disabled -Dsoak=disabled >"$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; fail "meson setup"; }
# First into a staging directory: every file it gets must be in the prefix.
"$meson" install -C "$tmp/build" --destdir "$tmp/stage" >"$tmp/stage.log" \
  2>&1 || { cat "$tmp/stage.log"; fail "meson install --destdir"; }
(cd "$tmp/stage" && find . ! -type d | sed 's/^\.//') >"$tmp/staged"
if grep -v "^$prefix/" "$tmp/staged"; then
  fail "installed outside the prefix $prefix"
fi
"$meson" install -C "$tmp/build" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "meson install"; }
echo "--- installed"
find "$prefix" ! -type d | sort | tee "$tmp/files"
cmp -s <(sort "$tmp/staged") "$tmp/files" ||
  fail "meson install and meson install --destdir differ"

plugin=$(grep '/gstreamer-1.0/libgstrealtime\.so$' "$tmp/files") ||
  fail "no plugin in a gstreamer-1.0 directory"
plugin_dir=$(dirname "$plugin")
grep -qx "$prefix/share/locale/zh_CN/LC_MESSAGES/gst-realtime-1.0.mo" \
  "$tmp/files" || fail "no zh_CN catalogue"

# inspect DIR: the plugin in DIR loads, from there
inspect () {
  GST_PLUGIN_PATH=$1 GST_REGISTRY=$tmp/registry-$2.dat \
    gst-inspect-1.0 realtimeai >"$tmp/inspect-$2" 2>&1 ||
    { cat "$tmp/inspect-$2"; fail "$2: realtimeai does not load"; }
  grep -q "Filename .*$1/libgstrealtime.so" "$tmp/inspect-$2" ||
    fail "$2: realtimeai was not loaded from $1"
}

# unreachable DIR NAME: the error for an unreachable server, in Chinese
unreachable () {
  local port
  port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  GST_PLUGIN_PATH=$1 GST_REGISTRY=$tmp/registry-$2.dat LANGUAGE=zh_CN \
    LC_ALL=C.UTF-8 timeout 30 gst-launch-1.0 audiotestsrc num-buffers=10 ! \
    realtimeai "url=ws://127.0.0.1:$port/v1/realtime" ! fakesink \
    >"$tmp/launch-$2" 2>&1 && fail "$2: connected to a closed port"
  echo "--- $2"
  cat "$tmp/launch-$2"
  grep -q '无法连接到服务器。' "$tmp/launch-$2" ||
    fail "$2: the error is not in Chinese"
}

inspect "$plugin_dir" installed
unreachable "$plugin_dir" installed
inspect "$build_plugin_dir" build-tree
unreachable "$build_plugin_dir" build-tree
echo PASS
