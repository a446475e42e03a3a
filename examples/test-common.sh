# Shared by the example programs' tests (examples/*/test-*.sh): a scratch
# folder, the bundled test server answering with one function call per turn,
# and two spoken-like turns to feed the examples. Source it; it sets $tmp,
# $url and $turns, and defines fail and write_turns_wav.
#   . "$(dirname "$0")/../test-common.sh" REALTIME_TEST_SERVER

tmp=$(mktemp -d)
server_pid=
cleanup () {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

# Two turns: a 1 s tone, then 1.5 s of silence (the server's voice detection
# ends a turn after 500 ms of it), twice.
caps=audio/x-raw,rate=24000,channels=1
tone="audiotestsrc wave=sine volume=0.3 samplesperbuffer=2400 num-buffers=10"
silence="audiotestsrc wave=silence samplesperbuffer=2400 num-buffers=15"
turns="concat name=c $tone ! $caps ! c. $silence ! $caps ! c.
  $tone ! $caps ! c. $silence ! $caps ! c."

# The same turns as a file, to be read faster than real time.
write_turns_wav () {
  # shellcheck disable=SC2086 # $turns is split into arguments on purpose
  timeout 30 gst-launch-1.0 -q $turns c. ! audioconvert ! wavenc ! \
    filesink location="$tmp/turns.wav" || fail "could not write turns.wav"
}

# The server prints its URL on the first line of its stdout.
test_server=$1
coproc SERVER {
  exec timeout 120 "$test_server" --port 0 --key sk-test --function-calls 1
}
server_pid=$SERVER_PID
url=
read -r -t 20 url <&"${SERVER[0]}" || true
[[ $url == ws://* ]] || fail "the test server did not start"
