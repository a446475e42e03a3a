#!/usr/bin/env bash
# Runs assistant.py against the bundled test server, which answers each user
# turn by calling create_meeting once and then, given the result, says
# "Done: <result>". Two spoken turns must give two bookings, and each reply's
# text from text_src must be joined, by its meta's response-id, to a
# completed realtime-response-done. Skipped (77) without python3-gi.
#   usage: test-assistant.sh PYTHON REALTIME_TEST_SERVER ASSISTANT_PY
set -euo pipefail
python=$1
server=$2
example=$3

if [ -z "$python" ] || ! "$python" -c \
    'import gi; gi.require_version("Gst", "1.0"); from gi.repository import Gst' \
    2>/dev/null; then
  echo "SKIP: no python3-gi with GStreamer's typelib"
  exit 77
fi

. "$(dirname "$0")/../test-common.sh" "$server"

# run NAME ARGS...: runs the example with ARGS, checks what it printed.
run () {
  local name=$1 status=0 turn
  shift
  OPENAI_API_KEY=sk-test timeout 60 "$python" "$example" --url "$url" \
    --no-playback "$@" >"$tmp/$name" 2>&1 || status=$?
  echo "--- $name: assistant.py $*"
  cat "$tmp/$name"

  [ "$status" = 0 ] || fail "$name: exit status $status"
  for turn in 1 2; do
    grep -qx "Booked: Turn $turn at 2026-11-21T10:00:00Z for 30 min" \
      "$tmp/$name" || fail "$name: turn $turn was not booked"
    grep -qx "Reply (completed): Done: {\"status\": \"booked\", \"meeting_id\": $turn}" \
      "$tmp/$name" || fail "$name: reply $turn not joined to its response"
  done
  grep -qx "2 meeting(s) booked." "$tmp/$name" ||
    fail "$name: wrong count of meetings"
  if grep -q sk-test "$tmp/$name"; then fail "$name: the key was printed"; fi
}

# In real time, as from a microphone, then from a file.
run live --source "$turns c. ! identity sync=true"
write_turns_wav
run file --input "$tmp/turns.wav"
echo "PASS"
