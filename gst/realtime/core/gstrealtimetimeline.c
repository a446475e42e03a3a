/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimetimeline.h"

/* Samples [offset, next span's offset) started at @pts and are contiguous. */
typedef struct
{
  guint64 offset;
  GstRealtimeTime pts;
} Span;

struct _GstRealtimeTimeline
{
  guint rate;
  GArray *spans;
  guint64 n_samples;
};

/* Spans older than this many are merged away: the server only ever refers
 * to recent positions, and a day-long stream must not grow without bound. */
#define MAX_SPANS 4096

GstRealtimeTimeline *
gst_realtime_timeline_new (guint rate)
{
  GstRealtimeTimeline *timeline = g_new0 (GstRealtimeTimeline, 1);

  timeline->rate = rate;
  timeline->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  return timeline;
}

void
gst_realtime_timeline_free (GstRealtimeTimeline * timeline)
{
  if (!timeline)
    return;
  g_array_unref (timeline->spans);
  g_free (timeline);
}

void
gst_realtime_timeline_reset (GstRealtimeTimeline * timeline)
{
  g_array_set_size (timeline->spans, 0);
  timeline->n_samples = 0;
}

static GstRealtimeTime
samples_to_time (GstRealtimeTimeline * timeline, guint64 samples)
{
  return gst_realtime_time_scale (samples, GST_REALTIME_SECOND, timeline->rate);
}

GstRealtimeTime
gst_realtime_timeline_get_end (GstRealtimeTimeline * timeline)
{
  Span *last;

  if (timeline->spans->len == 0)
    return GST_REALTIME_TIME_NONE;
  last = &g_array_index (timeline->spans, Span, timeline->spans->len - 1);
  return last->pts + samples_to_time (timeline,
      timeline->n_samples - last->offset);
}

/* A buffer without a timestamp, or one that continues the previous span
 * within a sample, extends it; anything else opens a new span. */
void
gst_realtime_timeline_append (GstRealtimeTimeline * timeline,
    GstRealtimeTime pts, guint64 n_samples)
{
  GstRealtimeTime expected = gst_realtime_timeline_get_end (timeline);
  GstRealtimeTime tolerance = samples_to_time (timeline, 1);

  if (!GST_REALTIME_TIME_IS_VALID (pts)
      && GST_REALTIME_TIME_IS_VALID (expected))
    pts = expected;

  if (GST_REALTIME_TIME_IS_VALID (pts)
      && (!GST_REALTIME_TIME_IS_VALID (expected)
          || (gint64) (pts - expected) > (gint64) tolerance
          || (gint64) (expected - pts) > (gint64) tolerance)) {
    Span span = { timeline->n_samples, pts };

    if (timeline->spans->len >= MAX_SPANS)
      g_array_remove_index (timeline->spans, 0);
    g_array_append_val (timeline->spans, span);
  }
  timeline->n_samples += n_samples;
}

guint64
gst_realtime_timeline_get_ms (GstRealtimeTimeline * timeline)
{
  return gst_realtime_time_scale (timeline->n_samples, 1000, timeline->rate);
}

/* Returns the input time of the sample @ms milliseconds into the session,
 * clamped to the audio received so far. */
GstRealtimeTime
gst_realtime_timeline_lookup (GstRealtimeTimeline * timeline, gint64 ms)
{
  guint64 sample;
  guint i;
  Span *span;

  if (timeline->spans->len == 0 || ms < 0)
    return GST_REALTIME_TIME_NONE;

  sample = gst_realtime_time_scale (ms, timeline->rate, 1000);
  sample = MIN (sample, timeline->n_samples);

  for (i = timeline->spans->len - 1; i > 0; i--) {
    if (g_array_index (timeline->spans, Span, i).offset <= sample)
      break;
  }
  span = &g_array_index (timeline->spans, Span, i);
  if (sample < span->offset)
    sample = span->offset;
  return span->pts + samples_to_time (timeline, sample - span->offset);
}
