#!/usr/bin/env bash
# Answers the speech in a file: reply audio to reply.wav, its transcript to
# reply.txt.   usage: speech-reply.sh [INPUT] [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=${2:-$PWD}
input=$(input_or_question "${1:-}" "$out/reply.wav")
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai $REALTIME_PROPS \
  ai.src ! audioconvert ! wavenc ! filesink location="$out/reply.wav" \
  ai.text_src ! filesink location="$out/reply.txt"

echo "Reply transcript ($out/reply.txt):"
cat "$out/reply.txt"; echo
echo "Reply audio: $out/reply.wav"
