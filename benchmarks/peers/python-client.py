#!/usr/bin/python3
# A minimal Realtime client on Debian's python3-websockets (asyncio), as a
# user would write one: a peer of realtimeai for realtime-bench-peers.
#
#   python-client.py URL INPUT CA-FILE     (the key in OPENAI_API_KEY)
#
# Streams INPUT (S16LE, 24 kHz, mono) in 100 ms appends, decodes every
# reply audio delta, and prints "in=BYTES reply=BYTES stream_cpu_s=S" once
# every turn the server committed has its response.done: S is its CPU
# since the session was configured.
import asyncio
import base64
import json
import os
import ssl
import sys
import time

import websockets

APPEND_BYTES = 4800  # 100 ms
SESSION = {"type": "session.update", "session": {
    "type": "realtime", "output_modalities": ["audio"],
    "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000},
                        "turn_detection": {"type": "server_vad",
                                           "interrupt_response": False}},
              "output": {"format": {"type": "audio/pcm", "rate": 24000}}}}}
# after the last append: its session.updated says all audio was handled
BARRIER = {"type": "session.update", "session": {"type": "realtime"}}


async def send_audio(ws, path, count):
    with open(path, "rb") as f:
        while chunk := f.read(APPEND_BYTES):
            # send() waits while the socket's buffer is full: backpressure
            await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                      "audio": base64.b64encode(chunk)
                                      .decode()}))
            count["in"] += len(chunk)
    await ws.send(json.dumps(BARRIER))


async def main(url, path, cafile):
    count = {"in": 0, "reply": 0, "turns": 0, "done": 0, "updated": 0}
    headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}
    tls = ssl.create_default_context(cafile=cafile)
    async with websockets.connect(url, ssl=tls, extra_headers=headers,
                                  max_size=None) as ws:
        await ws.send(json.dumps(SESSION))
        async for message in ws:
            event = json.loads(message)
            kind = event["type"]
            if kind == "response.output_audio.delta":
                count["reply"] += len(base64.b64decode(event["delta"]))
            elif kind == "input_audio_buffer.committed":
                count["turns"] += 1
            elif kind == "response.done":
                count["done"] += 1
            elif kind == "session.updated":
                count["updated"] += 1
                if count["updated"] == 1:
                    cpu0 = time.process_time()
                    sender = asyncio.create_task(send_audio(ws, path, count))
            elif kind == "error":
                sys.exit("server error: " + message)
            if count["updated"] == 2 and count["done"] == count["turns"]:
                break
        await sender
        cpu = time.process_time() - cpu0
    print("in=%d reply=%d stream_cpu_s=%.3f" % (count["in"], count["reply"],
                                                 cpu))


asyncio.run(main(*sys.argv[1:4]))
