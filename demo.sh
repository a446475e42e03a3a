#!/usr/bin/env bash
# Installs what is missing, builds, and answers a spoken question: against
# OpenAI when OPENAI_API_KEY is set, against the bundled test server otherwise.
#   usage: ./demo.sh [SPEECH_FILE]
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
[ -d build ] || meson setup build
ninja -C build
mkdir -p build/demo
examples/pipelines/speech-reply.sh "${1:-}" build/demo
