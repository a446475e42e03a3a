#!/usr/bin/env bash
# Answers the speech in a file: reply audio to reply.wav, its transcript to
# reply.txt.   usage: speech-reply.sh [INPUT] [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=${2:-$PWD}
input=${1:-}
if [ -z "$input" ]; then
  input="$out/question.wav"
  make_question "$input"
fi
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai $REALTIME_PROPS \
  ai.src ! audioconvert ! wavenc ! filesink location="$out/reply.wav" \
  ai.text_src ! filesink location="$out/reply.txt"

echo "Reply transcript ($out/reply.txt):"
cat "$out/reply.txt"; echo
echo "Reply audio: $out/reply.wav"
