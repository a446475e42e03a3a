/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The element's live timing: the latency it adds, the deadline of text
 * stamped on the speech it belongs to, and what happens to text that
 * misses it. With non-live input nothing here applies: text keeps the
 * time of its speech. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* Live upstream: its latency plus ours; otherwise as it is. Answered from
 * PAUSED on, with or without a connection. */
gboolean
gst_realtime_ai_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);
  GstClockTime min, max;
  gboolean live;
  gint latency_ms;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_pad_query_default (pad, parent, query);
  if (!gst_pad_peer_query (self->sinkpad, query))
    return FALSE;

  gst_query_parse_latency (query, &live, &min, &max);
  GST_OBJECT_LOCK (self);
  latency_ms = self->timing.latency_ms;
  GST_OBJECT_UNLOCK (self);
  if (live && latency_ms > 0) {
    min += latency_ms * GST_MSECOND;
    if (GST_CLOCK_TIME_IS_VALID (max))
      max += latency_ms * GST_MSECOND;
    gst_query_set_latency (query, live, min, max);
  }
  GST_DEBUG_OBJECT (self, "latency: live %d, min %" GST_TIME_FORMAT, live,
      GST_TIME_ARGS (min));
  return TRUE;
}

/* Where the pipeline clock is now, in input stream time. */
GstClockTime
gst_realtime_ai_now_locked (GstRealtimeAI * self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now, running;

  if (!clock)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  running = now - gst_element_get_base_time (GST_ELEMENT (self));
  return gst_segment_position_from_running_time (&self->segment,
      GST_FORMAT_TIME, running);
}

/* The latency it would have taken: a warning each time it grows past the
 * configured one. */
static void
record_delay_locked (GstRealtimeAI * self, GstClockTime pts,
    GstClockTime now, gint latency_ms)
{
  GstClockTime delay = now - pts;

  if (delay <= self->max_observed_delay)
    return;
  self->max_observed_delay = delay;
  gst_realtime_ai_notify_locked (self, "max-observed-delay");
  if (delay <= latency_ms * GST_MSECOND)
    return;
  GST_ELEMENT_WARNING (self, CORE, CLOCK,
      (_("Text came %u ms after its speech, more than the latency of %d "
              "ms: raise the latency property."),
          (guint) (delay / GST_MSECOND), latency_ms),
      ("text stamped %" GST_TIME_FORMAT " arrived at %" GST_TIME_FORMAT,
          GST_TIME_ARGS (pts), GST_TIME_ARGS (now)));
}

/* The time text stamped at @pts (its speech) goes out with. Live: on time
 * if it came within the latency; else as soon as can still be shown, with
 * the delay recorded; latency -1 stamps it on arrival. Then lateness
 * shifts it. */
GstClockTime
gst_realtime_ai_text_time_locked (GstRealtimeAI * self, GstClockTime pts)
{
  GstClockTime now, deadline;
  gint latency_ms;
  guint lateness_ms;

  GST_OBJECT_LOCK (self);
  latency_ms = self->timing.latency_ms;
  lateness_ms = self->timing.lateness_ms;
  GST_OBJECT_UNLOCK (self);

  now = GST_CLOCK_TIME_NONE;
  if (self->input.live)
    now = gst_realtime_ai_now_locked (self);
  if (GST_CLOCK_TIME_IS_VALID (now) && GST_CLOCK_TIME_IS_VALID (pts)) {
    if (latency_ms < 0) {
      pts = now;
    } else {
      deadline = pts + latency_ms * GST_MSECOND;
      if (now > deadline) {
        record_delay_locked (self, pts, now, latency_ms);
        pts = now - latency_ms * GST_MSECOND;
      }
    }
  }
  if (GST_CLOCK_TIME_IS_VALID (pts))
    pts += lateness_ms * GST_MSECOND;
  return pts;
}

/* How far idle live pads may advance: nothing will be stamped more than
 * the latency before the input. */
GstClockTime
gst_realtime_ai_live_gap_position_locked (GstRealtimeAI * self,
    GstClockTime input_end)
{
  gint latency_ms;

  GST_OBJECT_LOCK (self);
  latency_ms = self->timing.latency_ms;
  GST_OBJECT_UNLOCK (self);
  if (latency_ms < 0)
    return input_end;
  if (input_end < latency_ms * GST_MSECOND)
    return GST_CLOCK_TIME_NONE;
  return input_end - latency_ms * GST_MSECOND;
}
