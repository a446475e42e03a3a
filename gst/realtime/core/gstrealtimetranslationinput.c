/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The translation core's input. The engine works in 200 ms frames, and
 * its model time is the audio appended, so the input is cut into exact
 * frames, and each hole in it is filled with silence. The timeline
 * records, for every sample appended since the start (silence included),
 * its input time; the runs say which of those frames each of this
 * connection's model frames is, so elapsed_ms maps back to input time
 * after a flush or a new connection too. Frames sent and not answered,
 * and frames that wait for a connection, stay in the backlog. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimetranslationpriv.h"

#define RATE GST_REALTIME_TRANSLATION_RATE
#define FRAME_MS GST_REALTIME_TRANSLATION_FRAME_MS
#define FRAME_SAMPLES GST_REALTIME_TRANSLATION_FRAME_SAMPLES
#define FRAME_BYTES GST_REALTIME_TRANSLATION_FRAME_BYTES

/* Timestamps closer than this to where the input goes on are jitter
 * (audiobasesink's default alignment threshold). */
#define JITTER (40 * GST_REALTIME_MSECOND)

/* Runs kept for one connection: each flush on it adds one. */
#define MAX_RUNS 64

static guint64
time_to_samples (GstRealtimeTime time)
{
  return gst_realtime_time_scale (time, RATE, GST_REALTIME_SECOND);
}

void
gst_realtime_translation_input_init (GstRealtimeTranslation * translation)
{
  translation->timeline = gst_realtime_timeline_new (RATE);
  translation->runs = g_array_new (FALSE, FALSE,
      sizeof (GstRealtimeTranslationRun));
  translation->backlog = gst_realtime_backlog_new (g_free);
  translation->frame = g_new0 (GstRealtimeTranslationFrame, 1);
  translation->resync = TRUE;
  translation->input_end = GST_REALTIME_TIME_NONE;
}

void
gst_realtime_translation_input_clear (GstRealtimeTranslation * translation)
{
  gst_realtime_timeline_free (translation->timeline);
  g_array_unref (translation->runs);
  gst_realtime_backlog_free (translation->backlog);
  g_free (translation->frame);
}

void
gst_realtime_translation_set_backlog_limit (GstRealtimeTranslation *
    translation, GstRealtimeTime max_backlog)
{
  gst_realtime_backlog_set_limit (translation->backlog,
      time_to_samples (max_backlog));
}

/* ---------------------------------------------------------------------- */
/* Model time                                                             */
/* ---------------------------------------------------------------------- */

void
gst_realtime_translation_start_model (GstRealtimeTranslation * translation)
{
  translation->model_frames = 0;
  g_array_set_size (translation->runs, 0);
  translation->discard_before_ms = 0;
  translation->last_elapsed_ms = -1;
}

/* The model frame about to be sent is input frame @index. */
static void
record_run (GstRealtimeTranslation * translation, guint64 index)
{
  GstRealtimeTranslationRun run = { translation->model_frames, index };
  GstRealtimeTranslationRun *last;

  if (translation->runs->len > 0) {
    last = &g_array_index (translation->runs, GstRealtimeTranslationRun,
        translation->runs->len - 1);
    if (index - last->frame == run.model - last->model)
      return;
  }
  if (translation->runs->len >= MAX_RUNS)
    g_array_remove_index (translation->runs, 0);
  g_array_append_val (translation->runs, run);
}

/* Milliseconds since the start of the input's appended audio, or -1. */
static gint64
model_to_input_ms (GstRealtimeTranslation * translation, gint64 elapsed_ms)
{
  GstRealtimeTranslationRun *run = NULL;
  guint64 model, input_frame;
  guint i;

  if (elapsed_ms < 0 || translation->model_frames == 0)
    return -1;
  model = MIN ((guint64) elapsed_ms / FRAME_MS, translation->model_frames - 1);
  for (i = translation->runs->len; i > 0; i--) {
    run = &g_array_index (translation->runs, GstRealtimeTranslationRun, i - 1);
    if (run->model <= model)
      break;
  }
  if (run == NULL || run->model > model)
    return -1;
  input_frame = run->frame + (model - run->model);
  return input_frame * FRAME_MS + elapsed_ms % FRAME_MS;
}

GstRealtimeTime
gst_realtime_translation_input_time (GstRealtimeTranslation * translation,
    gint64 elapsed_ms)
{
  return gst_realtime_timeline_lookup (translation->timeline,
      model_to_input_ms (translation, elapsed_ms));
}

/* ---------------------------------------------------------------------- */
/* Frames                                                                 */
/* ---------------------------------------------------------------------- */

/* Returns where the frame ends in this connection's model time, in ms. */
static guint64
send_frame (GstRealtimeTranslation * translation,
    GstRealtimeTranslationFrame * frame)
{
  gchar *id = gst_realtime_translation_next_event_id (translation);

  record_run (translation, frame->index);
  gst_realtime_translation_send (translation,
      gst_realtime_protocol_build_translation_append (frame->pcm,
          FRAME_BYTES, id), TRUE);
  g_free (id);
  translation->model_frames++;
  return translation->model_frames * FRAME_MS;
}

gboolean
gst_realtime_translation_has_waiting (GstRealtimeTranslation * translation)
{
  guint64 samples;

  return gst_realtime_backlog_peek_unsent (translation->backlog,
      &samples) != NULL;
}

void
gst_realtime_translation_send_waiting (GstRealtimeTranslation * translation)
{
  GstRealtimeTranslationFrame *frame;
  guint64 samples;

  while ((frame = gst_realtime_backlog_peek_unsent (translation->backlog,
              &samples)))
    gst_realtime_backlog_mark_sent (translation->backlog,
        send_frame (translation, frame));
}

static void
report_dropped (GstRealtimeTranslation * translation)
{
  guint64 dropped = gst_realtime_backlog_take_dropped (translation->backlog);

  if (dropped > 0)
    gst_realtime_translation_warn (translation, FALSE, NULL,
        "%" G_GUINT64_FORMAT " ms of input audio waited too long for a "
        "connection and were dropped", dropped * 1000 / RATE);
}

/* The frame is full: it goes out now, or waits behind the others. */
static void
frame_ready (GstRealtimeTranslation * translation)
{
  GstRealtimeTranslationFrame *frame = translation->frame;

  translation->frame = g_new0 (GstRealtimeTranslationFrame, 1);
  translation->frame_fill = 0;
  frame->index = translation->n_frames++;
  if (translation->connected
      && !gst_realtime_translation_has_waiting (translation))
    gst_realtime_backlog_push_sent (translation->backlog, frame,
        FRAME_SAMPLES, send_frame (translation, frame));
  else
    gst_realtime_backlog_push_unsent (translation->backlog, frame,
        FRAME_SAMPLES);
  report_dropped (translation);
}

/* @data NULL appends silence. */
static void
fill_frames (GstRealtimeTranslation * translation, const guint8 * data,
    gsize size)
{
  gsize chunk;

  while (size > 0) {
    chunk = MIN (size, FRAME_BYTES - translation->frame_fill);
    if (data) {
      memcpy (translation->frame->pcm + translation->frame_fill, data, chunk);
      data += chunk;
    } else {
      memset (translation->frame->pcm + translation->frame_fill, 0, chunk);
    }
    translation->frame_fill += chunk;
    size -= chunk;
    if (translation->frame_fill == FRAME_BYTES)
      frame_ready (translation);
  }
}

/* @samples at input time @start (NONE: right after the last ones). */
static void
append_samples (GstRealtimeTranslation * translation, const guint8 * data,
    guint64 samples, GstRealtimeTime start)
{
  if (samples == 0)
    return;
  if (translation->track_origin == GST_REALTIME_TIME_NONE)
    gst_realtime_translation_track_begin (translation,
        GST_REALTIME_TIME_IS_VALID (start) ? start : 0);
  gst_realtime_timeline_append (translation->timeline, start, samples);
  fill_frames (translation, data, samples * 2);
}

void
gst_realtime_translation_finish_frame (GstRealtimeTranslation * translation)
{
  if (translation->frame_fill > 0)
    append_samples (translation, NULL,
        (FRAME_BYTES - translation->frame_fill) / 2, GST_REALTIME_TIME_NONE);
}

/* The partial frame's samples stay on the timeline (as silence) so the
 * frames after it keep their place in it. */
void
gst_realtime_translation_drop_input (GstRealtimeTranslation * translation)
{
  if (translation->frame_fill > 0) {
    gst_realtime_timeline_append (translation->timeline,
        GST_REALTIME_TIME_NONE, (FRAME_BYTES - translation->frame_fill) / 2);
    translation->frame_fill = 0;
    translation->n_frames++;
  }
  gst_realtime_backlog_clear (translation->backlog);
  translation->resync = TRUE;
}

/* ---------------------------------------------------------------------- */
/* Holes                                                                  */
/* ---------------------------------------------------------------------- */

/* Where input at @pts starts: right after the last when it follows
 * within the jitter; after silence in the hole before it (up to
 * max_fill); at its own time when it goes back, or after a flush. */
static GstRealtimeTime
place_input (GstRealtimeTranslation * translation, GstRealtimeTime pts,
    gboolean discont)
{
  GstRealtimeTime end = gst_realtime_timeline_get_end (translation->timeline);
  GstRealtimeTime hole;

  if (translation->resync || !GST_REALTIME_TIME_IS_VALID (end)) {
    translation->resync = FALSE;
    return GST_REALTIME_TIME_IS_VALID (pts) ? pts : 0;
  }
  if (!GST_REALTIME_TIME_IS_VALID (pts))
    return end;
  if (!discont && pts < end + JITTER && pts + JITTER > end)
    return end;
  if (pts > end) {
    hole = MIN (pts - end, translation->max_fill);
    append_samples (translation, NULL, time_to_samples (hole), end);
  }
  return pts;
}

void
gst_realtime_translation_push_audio (GstRealtimeTranslation * translation,
    const guint8 * data, gsize size, GstRealtimeTime pts,
    GstRealtimeTranslationInputFlags flags)
{
  gboolean gap = (flags & GST_REALTIME_TRANSLATION_INPUT_GAP) != 0;
  GstRealtimeTime start;

  g_return_if_fail (translation != NULL);
  g_return_if_fail (data != NULL || size == 0 || gap);

  if (translation->eos || size < 2)
    return;
  start = place_input (translation, pts,
      (flags & GST_REALTIME_TRANSLATION_INPUT_DISCONT) != 0);
  append_samples (translation, gap ? NULL : data, size / 2, start);
}

void
gst_realtime_translation_push_gap (GstRealtimeTranslation * translation,
    GstRealtimeTime pts, GstRealtimeTime duration)
{
  GstRealtimeTime start;

  g_return_if_fail (translation != NULL);

  if (translation->eos || !GST_REALTIME_TIME_IS_VALID (duration))
    return;
  start = place_input (translation, pts, FALSE);
  append_samples (translation, NULL, time_to_samples (duration), start);
}

/* Live input that does not come keeps the model's time going: silence
 * for what is @stall overdue. */
void
gst_realtime_translation_fill_stall (GstRealtimeTranslation * translation,
    GstRealtimeTime now)
{
  GstRealtimeTime end = gst_realtime_timeline_get_end (translation->timeline);

  if (translation->eos || translation->resync
      || !GST_REALTIME_TIME_IS_VALID (end) || now < translation->stall
      || now - translation->stall <= end)
    return;
  append_samples (translation, NULL,
      time_to_samples (now - translation->stall - end), end);
}

/* ---------------------------------------------------------------------- */
/* Answers                                                                */
/* ---------------------------------------------------------------------- */

/* The frame at @elapsed_ms and those before it need not be sent again. */
void
gst_realtime_translation_answered (GstRealtimeTranslation * translation,
    gint64 elapsed_ms)
{
  guint64 frame_end = ((guint64) elapsed_ms / FRAME_MS + 1) * FRAME_MS;

  translation->last_elapsed_ms = MAX (translation->last_elapsed_ms, elapsed_ms);
  gst_realtime_backlog_settle (translation->backlog, frame_end);
}
