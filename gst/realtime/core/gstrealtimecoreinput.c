/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core's input: live or a file, and a file's pace. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimecorepriv.h"

/* File input runs this far ahead of real time. */
#define PACING_LEAD_US (G_USEC_PER_SEC / 2)

void
gst_realtime_core_set_input (GstRealtimeCore * core, gboolean live,
    gboolean file_mode)
{
  core->live = live;
  core->file_mode = file_mode;
}

void
gst_realtime_core_set_live (GstRealtimeCore * core, gboolean live)
{
  core->live = live;
}

/* A file reaches the element faster than real time, and the server's VAD
 * would then reply, and cancel replies, in the middle of it. So with
 * file input the server only detects the turns: the element asks for each
 * reply itself, holds the input until that reply is done and sends the
 * audio at real time, and nothing cancels a reply. */
gboolean
gst_realtime_core_choose_file_mode (GstRealtimeCore * core, gboolean live,
    GstRealtimeSessionConfig * config)
{
  GstRealtimeTurnDetectionConfig *vad = &config->turn_detection;

  g_return_val_if_fail (config == core->config, FALSE);

  core->live = live;
  core->file_mode = !live && is_conversation (core) && detects_turns (core);
  if (core->file_mode) {
    vad->create_response = FALSE;
    vad->interrupt_response = FALSE;
  }
  return core->file_mode;
}

gboolean
gst_realtime_core_in_file_mode (GstRealtimeCore * core)
{
  return core->file_mode;
}

/* The server never sees the next turn end before the previous one is
 * answered: after each reply, the audio goes at real time again. */
gint64
gst_realtime_core_pace (GstRealtimeCore * core, gint64 now_us)
{
  gint64 ms = gst_realtime_timeline_get_ms (core->timeline);

  if (core->pace_start == 0) {
    core->pace_start = now_us;
    core->pace_start_ms = ms;
  }
  return core->pace_start - PACING_LEAD_US +
      (ms - core->pace_start_ms) * G_TIME_SPAN_MILLISECOND;
}

void
gst_realtime_core_restart_pace (GstRealtimeCore * core)
{
  core->pace_start = 0;
}
