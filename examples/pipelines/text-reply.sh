#!/usr/bin/env bash
# Text replies only, here a translation of the speech in a file into French.
#   usage: text-reply.sh [INPUT] [OUTPUT_FILE]
set -euo pipefail
. "$(dirname "$0")/common.sh"

input=${1:-}
output=${2:-$PWD/reply-fr.txt}
input=$(input_or_question "$input" "$output")
choose_server

gst-launch-1.0 -q filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai output-modalities=text $REALTIME_PROPS \
  instructions="Translate everything the user says into French." \
  ai.text_src ! filesink location="$output"

cat "$output"; echo
