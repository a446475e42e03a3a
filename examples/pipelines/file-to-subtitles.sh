#!/usr/bin/env bash
# Subtitles for the speech in a file: a transcription session, each cue on
# the speech it transcribes. Runs as fast as the server answers.
#   usage: file-to-subtitles.sh [INPUT] [OUTPUT.srt|OUTPUT.vtt]
set -euo pipefail
. "$(dirname "$0")/common.sh"

input=${1:-}
output=${2:-$PWD/subtitles.srt}
case "$output" in
  *.vtt) encoder=webvttenc ;;
  *) encoder=srtenc ;;
esac
input=$(input_or_question "$input" "$output")
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai session-type=transcription $REALTIME_PROPS \
  ai.text_src ! $encoder ! filesink location="$output" ai.src ! fakesink

cat "$output"
