# Shared by the example scripts: finds the build, picks the server.
#
# With OPENAI_API_KEY set, the examples talk to OpenAI. Without it they start
# the bundled test server on 127.0.0.1, which echoes each turn's audio and
# answers "Reply to turn N.".

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD_DIR:-$top/build}
export GST_PLUGIN_PATH="$build/gst/realtime${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"

server_pid=
stop_test_server () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  return 0
}
trap stop_test_server EXIT

# Sets REALTIME_PROPS to the url and key properties of the server to use.
choose_server () {
  if [ -n "${OPENAI_API_KEY:-}" ]; then
    echo "Talking to OpenAI (OPENAI_API_KEY is set)." >&2
    REALTIME_PROPS=""
    return
  fi
  echo "OPENAI_API_KEY is not set: using the bundled test server." >&2
  coproc SERVER { exec "$build/tests/server/realtime-test-server" --key demo-key; }
  server_pid=$SERVER_PID
  read -r url <&"${SERVER[0]}"
  REALTIME_PROPS="url=$url api-key=demo-key"
}

# A short spoken question, made with espeak-ng, for when no file is given.
make_question () {
  local wav=$1
  espeak-ng -w "$wav" "Hello! What is the tallest mountain in Europe?" 2>/dev/null
}

# Prints INPUT, or the path of a spoken question made beside OUTPUT.
input_or_question () {
  local input=$1 output=$2
  if [ -z "$input" ]; then
    input="$(dirname "$output")/question.wav"
    make_question "$input"
  fi
  echo "$input"
}
