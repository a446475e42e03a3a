#!/usr/bin/env bash
# A voice assistant on the default microphone and speakers. webrtcdsp and
# webrtcechoprobe cancel the echo of the reply, so the model does not answer
# itself. Stop with Ctrl-C.
set -euo pipefail
. "$(dirname "$0")/common.sh"
choose_server

gst-launch-1.0 -e autoaudiosrc ! audioconvert ! audioresample ! \
  audio/x-raw,rate=48000,channels=1 ! webrtcdsp ! audioconvert ! \
  audioresample ! realtimeai name=ai $REALTIME_PROPS \
  instructions="You are a friendly voice assistant. Keep answers short." \
  ai.src ! audioconvert ! audioresample ! webrtcechoprobe ! autoaudiosink \
  ai.text_src ! fakesink
