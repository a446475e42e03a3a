#!/usr/bin/env bash
# Telephony: 8 kHz mu-law in, the spoken reply as 8 kHz mu-law out, as a
# phone bridge would carry it (G.711 goes to the server as is).
#   usage: telephony-mulaw.sh [INPUT] [OUTPUT_WAV]
set -euo pipefail
. "$(dirname "$0")/common.sh"

input=${1:-}
output=${2:-$PWD/reply-mulaw.wav}
input=$(input_or_question "$input" "$output")
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! \
  realtimeai name=ai $REALTIME_PROPS \
  ai.src ! audio/x-mulaw,rate=8000 ! wavenc ! filesink location="$output" \
  ai.text_src ! fdsink

echo; echo "reply audio (mu-law): $output"
