#!/usr/bin/env bash
# Transcribes the speech in a file: a transcription-only session, no replies.
#   usage: transcribe.sh [INPUT] [OUTPUT_FILE]
set -euo pipefail
. "$(dirname "$0")/common.sh"

input=${1:-}
output=${2:-$PWD/transcript.txt}
input=$(input_or_question "$input" "$output")
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai session-type=transcription \
  transcription-model=gpt-live-transcribe $REALTIME_PROPS \
  ai.text_src ! filesink location="$output" ai.src ! fakesink

cat "$output"; echo
