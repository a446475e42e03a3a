#!/usr/bin/env bash
# Live subtitles over a video: the transcript of the audio drawn with
# textoverlay. The text pad is sparse and gets GAP events while nobody
# speaks, so the video never waits for text.
#   usage: subtitles-over-video.sh [INPUT_AUDIO] [OUTPUT.webm]
set -euo pipefail
. "$(dirname "$0")/common.sh"

input=${1:-}
output=${2:-$PWD/subtitled.webm}
input=$(input_or_question "$input" "$output")
choose_server

gst-launch-1.0 -q -e filesrc location="$input" ! decodebin ! audioconvert ! \
  audioresample ! realtimeai name=ai session-type=transcription $REALTIME_PROPS \
  ai.src ! fakesink \
  videotestsrc num-buffers=150 pattern=smpte ! video/x-raw,framerate=25/1 ! \
  ov.video_sink textoverlay name=ov valignment=bottom font-desc="Sans 24" ! \
  videoconvert ! vp8enc deadline=1 ! webmmux ! filesink location="$output" \
  ai.text_src ! ov.text_sink

echo "subtitled video: $output"
