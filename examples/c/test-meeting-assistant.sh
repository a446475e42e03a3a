#!/usr/bin/env bash
# Runs meeting-assistant against the bundled test server, which answers each
# user turn by calling create_meeting once and then, given the result, says
# "Done: <result>". Two spoken turns must give two bookings, both confirmed.
#   usage: test-meeting-assistant.sh REALTIME_TEST_SERVER MEETING_ASSISTANT
set -euo pipefail
server=$1
example=$2

. "$(dirname "$0")/../test-common.sh" "$server"

# run NAME ARGS...: runs the example with ARGS, checks what it printed.
run () {
  local name=$1 status=0 last
  shift
  OPENAI_API_KEY=sk-test timeout 60 "$example" --url "$url" --no-playback \
    "$@" >"$tmp/$name" 2>&1 || status=$?
  echo "--- $name: meeting-assistant $*"
  cat "$tmp/$name"

  [ "$status" = 0 ] || fail "$name: exit status $status"
  for turn in 1 2; do
    grep -qx "Booked: Turn $turn at 2026-11-21T10:00:00Z for 30 min" \
      "$tmp/$name" || fail "$name: turn $turn was not booked"
  done
  grep -qx "2 meeting(s) booked." "$tmp/$name" ||
    fail "$name: wrong count of meetings"
  last=$(grep '^Assistant: ' "$tmp/$name" | tail -n 1)
  [ "$last" = 'Assistant: Done: {"status":"booked","meeting_id":2}' ] ||
    fail "$name: the last reply does not confirm meeting 2: '$last'"
}

# The turns in real time, as from a microphone: each booking is confirmed
# before the next turn starts.
run live --source "$turns c. ! identity sync=true"
expected='Booked: Turn 1 at 2026-11-21T10:00:00Z for 30 min
Assistant: Done: {"status":"booked","meeting_id":1}
Booked: Turn 2 at 2026-11-21T10:00:00Z for 30 min
Assistant: Done: {"status":"booked","meeting_id":2}'
[ "$(grep -E '^(Booked|Assistant): ' "$tmp/live")" = "$expected" ] ||
  fail "live: the bookings and replies are not in turn order"

# The same turns from a file, read faster than real time: the second turn
# reaches the server before the first call is answered.
write_turns_wav
run file --input "$tmp/turns.wav"
echo "PASS"
