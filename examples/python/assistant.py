#!/usr/bin/env python3
# gst-realtime
# Copyright (C) 2026 gst-realtime authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A voice assistant that books meetings, in Python.

What an application does with realtimeai, through gi.repository.Gst and no
typelib of this project:

  1. the pipeline: SOURCE ! audioconvert ! audioresample ! realtimeai, reply
     audio to the speakers (or nowhere), text_src to an appsink;
  2. the tool: a JSON function definition in the "tools" property;
  3. the call: the "function-call" signal hands over the arguments, the app
     answers with the "function-call-output" action signal;
  4. the bus: transcripts and response results as element messages;
  5. the text: each appsink buffer's GstRealtimeTextMeta says whose it is and
     which item and response it belongs to, which joins it to the messages.

Usage:
  export GST_PLUGIN_PATH=$PWD/build/gst/realtime OPENAI_API_KEY=sk-...
  examples/python/assistant.py                     # microphone
  examples/python/assistant.py --input question.wav --no-playback

The key is read by the element from OPENAI_API_KEY; this program never
sees or prints it. Ctrl-C ends the input and waits for the reply.
"""

import argparse
import json
import signal
import sys
import threading
from datetime import datetime

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

TOOLS = [{
    "type": "function",
    "name": "create_meeting",
    "description": "Book a meeting in the user's calendar.",
    "parameters": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "start_time": {"type": "string",
                           "description": "ISO 8601 date and time"},
            "duration": {"type": "integer", "description": "minutes"},
        },
        "required": ["title", "start_time", "duration"],
    },
}]

INSTRUCTIONS = ("You book meetings. Ask for the title, the start time and "
                "the duration when the user has not given them all, then "
                "call create_meeting. Confirm each booking in one short "
                "sentence.")


class Assistant:
    def __init__(self, args):
        self.loop = GLib.MainLoop()
        self.eos = False
        self.stopping = False
        # The function-call handler and the appsink run on the element's
        # threads, not the main loop's: the shared state has a lock.
        self.lock = threading.Lock()
        self.meetings = []
        self.reply_text = {}    # response id -> text from text_src
        self.status = {}        # response id -> status from the bus
        self.pipeline = self.build_pipeline(args)
        self.ai = self.pipeline.get_by_name("ai")
        self.ai.set_property("instructions", INSTRUCTIONS)
        self.ai.set_property("tools", json.dumps(TOOLS))
        if args.url:
            self.ai.set_property("url", args.url)
        self.ai.connect("function-call", self.on_function_call)
        text = self.pipeline.get_by_name("text")
        text.connect("new-sample", self.on_text_sample)

    @staticmethod
    def build_pipeline(args):
        src = "autoaudiosrc"
        if args.input:
            src = "filesrc name=input ! decodebin"
        elif args.source:
            src = args.source
        sink = "audioconvert ! audioresample ! autoaudiosink"
        if args.no_playback:
            sink = "fakesink sync=false"
        pipeline = Gst.parse_launch(
            f"{src} ! audioconvert ! audioresample ! realtimeai name=ai "
            f"ai.src ! {sink} "
            "ai.text_src ! appsink name=text emit-signals=true sync=false")
        if args.input:
            # a property, so that the file name needs no quoting
            pipeline.get_by_name("input").set_property("location",
                                                       args.input)
        return pipeline

    def create_meeting(self, arguments):
        """Books a meeting; returns what to tell the model, as JSON."""
        try:
            args = json.loads(arguments)
            title = args["title"]
            datetime.fromisoformat(args["start_time"].replace("Z", "+00:00"))
            duration = int(args["duration"])
            if not title or not 0 < duration <= 24 * 60:
                raise ValueError("duration must be 1 to 1440 minutes")
        except (ValueError, KeyError, TypeError) as error:
            return json.dumps({"error": str(error)})
        with self.lock:
            self.meetings.append(title)
            meeting_id = len(self.meetings)
        print(f"Booked: {title} at {args['start_time']} for {duration} min",
              flush=True)
        return json.dumps({"status": "booked", "meeting_id": meeting_id})

    def on_function_call(self, ai, name, call_id, arguments):
        # On the session thread: quick work only, or answer later.
        if name == "create_meeting":
            output = self.create_meeting(arguments)
        else:
            output = json.dumps({"error": "unknown function"})
        if not ai.emit("function-call-output", call_id, output):
            print(f"Could not answer call {call_id}", file=sys.stderr)

    def on_text_sample(self, appsink):
        sample = appsink.emit("pull-sample")
        buf = sample.get_buffer()
        meta = buf.get_custom_meta("GstRealtimeTextMeta")
        fields = meta.get_structure() if meta else None
        ok, info = buf.map(Gst.MapFlags.READ)
        text = bytes(info.data).decode("utf-8") if ok else ""
        if ok:
            buf.unmap(info)
        # The response id joins the text to its realtime-response-done.
        if fields and fields.get_string("role") == "assistant":
            with self.lock:
                response = fields.get_string("response-id")
                self.reply_text[response] = (
                    self.reply_text.get(response, "") + text)
        return Gst.FlowReturn.OK

    def on_element_message(self, s):
        if s.get_name() == "realtime-transcript":
            # Deltas arrive as spoken; the final message has it all.
            ok, final = s.get_boolean("final")
            if ok and final:
                who = "You" if s.get_string("role") == "user" else \
                    "Assistant"
                print(f"{who}: {s.get_string('text')}", flush=True)
        elif s.get_name() == "realtime-response-done":
            with self.lock:
                self.status[s.get_string("response-id")] = \
                    s.get_string("status")

    def on_bus_message(self, bus, message):
        if message.type == Gst.MessageType.ELEMENT:
            self.on_element_message(message.get_structure())
        elif message.type == Gst.MessageType.WARNING:
            error, _ = message.parse_warning()
            print(f"Warning: {error.message}", file=sys.stderr)
        elif message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            print(f"Error: {error.message} ({debug})", file=sys.stderr)
            self.loop.quit()
        elif message.type == Gst.MessageType.EOS:
            self.eos = True
            self.loop.quit()
        return True

    def on_sigint(self):
        # The first Ctrl-C ends the input (the element waits for the
        # reply in progress); the second gives up.
        if self.stopping:
            self.loop.quit()
        else:
            self.stopping = True
            self.pipeline.send_event(Gst.Event.new_eos())
        return GLib.SOURCE_CONTINUE

    def run(self, listening):
        bus = self.pipeline.get_bus()
        bus.add_watch(GLib.PRIORITY_DEFAULT, self.on_bus_message)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT,
                             self.on_sigint)
        if self.pipeline.set_state(Gst.State.PLAYING) == \
                Gst.StateChangeReturn.FAILURE:
            print("Could not start the pipeline.", file=sys.stderr)
        else:
            if listening:
                print("Listening: ask me to book a meeting. Ctrl-C to stop.")
            self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        bus.remove_watch()
        self.report()
        return 0 if self.eos else 1

    def report(self):
        # Every reply's text from text_src, with the status the bus gave
        # the same response.
        for response, text in self.reply_text.items():
            status = self.status.get(response, "unknown")
            print(f"Reply ({status}): {text.strip()}")
        print(f"{len(self.meetings)} meeting(s) booked.")


def main():
    parser = argparse.ArgumentParser(description="Book meetings by voice.")
    parser.add_argument("--url", help="Realtime server (default: OpenAI)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--input", "-i", metavar="FILE",
                        help="read the speech from this audio file")
    source.add_argument("--source", metavar="PIPELINE",
                        help="read the speech from this pipeline")
    parser.add_argument("--no-playback", action="store_true",
                        help="do not play the spoken replies")
    args = parser.parse_args()

    Gst.init(None)
    if not Gst.ElementFactory.find("realtimeai"):
        sys.exit("No realtimeai element: set GST_PLUGIN_PATH "
                 "(see the README's Install section).")
    assistant = Assistant(args)
    sys.exit(assistant.run(not args.input and not args.source))


if __name__ == "__main__":
    main()
