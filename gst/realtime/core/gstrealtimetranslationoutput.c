/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The translation core's output. The translated audio is one track that
 * starts with the input and is counted in samples, so it never drifts:
 * each delta goes at the input time its elapsed_ms names, after silence
 * up to it, or right after the previous audio when that time has passed
 * (it never overlaps). Text goes over the span of the frame it derives
 * from. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimetranslationpriv.h"

#define RATE GST_REALTIME_TRANSLATION_RATE
#define FRAME_MS GST_REALTIME_TRANSLATION_FRAME_MS

/* ---------------------------------------------------------------------- */
/* The audio track                                                        */
/* ---------------------------------------------------------------------- */

void
gst_realtime_translation_track_reset (GstRealtimeTranslation * translation)
{
  translation->track_origin = GST_REALTIME_TIME_NONE;
  translation->track_samples = 0;
}

void
gst_realtime_translation_track_begin (GstRealtimeTranslation * translation,
    GstRealtimeTime time)
{
  translation->track_origin = time;
  translation->track_samples = 0;
  translation->track_discont = TRUE;
}

static GstRealtimeTime
track_time (GstRealtimeTranslation * translation, guint64 samples)
{
  return translation->track_origin + gst_realtime_time_scale (samples,
      GST_REALTIME_SECOND, RATE);
}

/* Takes @data (NULL: silence). */
static void
track_push (GstRealtimeTranslation * translation, guint8 * data,
    guint64 samples)
{
  GstRealtimeTranslationAction *action =
      gst_realtime_translation_action_new
      (GST_REALTIME_TRANSLATION_ACTION_AUDIO);

  action->data = data;
  action->size = data ? samples * 2 : 0;
  action->n_samples = samples;
  action->start = track_time (translation, translation->track_samples);
  translation->track_samples += samples;
  action->end = track_time (translation, translation->track_samples);
  action->duration = action->end - action->start;
  action->discont = translation->track_discont;
  translation->track_discont = FALSE;
  gst_realtime_translation_queue (translation, action);
}

void
gst_realtime_translation_track_fill (GstRealtimeTranslation * translation,
    GstRealtimeTime time)
{
  guint64 target;

  if (!GST_REALTIME_TIME_IS_VALID (translation->track_origin)
      || !GST_REALTIME_TIME_IS_VALID (time)
      || time <= translation->track_origin)
    return;
  target = gst_realtime_time_scale (time - translation->track_origin, RATE,
      GST_REALTIME_SECOND);
  if (target > translation->track_samples)
    track_push (translation, NULL, target - translation->track_samples);
}

/* ---------------------------------------------------------------------- */
/* Deltas                                                                 */
/* ---------------------------------------------------------------------- */

/* Outputs of audio from before a flush are dropped; the others tell the
 * input what the server has answered. */
static gboolean
admit_delta (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  if (!translation->connected || translation->drained)
    return FALSE;
  if (event->elapsed_ms < 0)
    return TRUE;
  if (event->elapsed_ms < translation->discard_before_ms)
    return FALSE;
  gst_realtime_translation_answered (translation, event->elapsed_ms);
  return TRUE;
}

static gboolean
audio_is_playable (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  if ((event->sample_rate < 0 || event->sample_rate == RATE)
      && (event->channels < 0 || event->channels == 1)
      && (event->audio_format == NULL
          || g_strcmp0 (event->audio_format, "pcm16") == 0))
    return TRUE;
  gst_realtime_translation_warn (translation, FALSE, NULL,
      "Dropped translated audio in a format other than PCM16 24 kHz mono "
      "(%s, %" G_GINT64_FORMAT " Hz, %" G_GINT64_FORMAT " channels)",
      event->audio_format ? event->audio_format : "pcm16",
      event->sample_rate, event->channels);
  return FALSE;
}

/* Without elapsed_ms the audio follows the previous audio. */
void
gst_realtime_translation_on_audio (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  guint64 samples = event->audio_size / 2;

  if (!admit_delta (translation, event)
      || !audio_is_playable (translation, event) || samples == 0)
    return;
  if (!GST_REALTIME_TIME_IS_VALID (translation->track_origin))
    return;
  if (event->elapsed_ms >= 0)
    gst_realtime_translation_track_fill (translation,
        gst_realtime_translation_input_time (translation, event->elapsed_ms));
  track_push (translation, g_memdup2 (event->audio, samples * 2), samples);
}

/* The end of the frame at @elapsed_ms: its last millisecond's end, as the
 * next frame may start elsewhere (after a hole longer than max_fill, or a
 * jump back). */
static GstRealtimeTime
frame_end (GstRealtimeTranslation * translation, gint64 elapsed_ms)
{
  gint64 last_ms = elapsed_ms - elapsed_ms % FRAME_MS + FRAME_MS - 1;

  return gst_realtime_translation_input_time (translation, last_ms) +
      GST_REALTIME_MSECOND;
}

/* Without elapsed_ms the text belongs to the latest frame answered. */
void
gst_realtime_translation_on_text (GstRealtimeTranslation * translation,
    const GstRealtimeServerEvent * event)
{
  gboolean source = event->type == GST_REALTIME_EVENT_TRANSLATION_SOURCE_DELTA;
  GstRealtimeTranslationAction *action;
  gint64 elapsed_ms;

  if (source && !(translation->config.transcription_model
          && *translation->config.transcription_model))
    return;
  if (!admit_delta (translation, event) || event->text == NULL
      || *event->text == '\0')
    return;
  elapsed_ms = event->elapsed_ms >= 0 ? event->elapsed_ms :
      MAX (translation->last_elapsed_ms, 0);

  action = gst_realtime_translation_action_new
      (GST_REALTIME_TRANSLATION_ACTION_TEXT);
  action->role = source ? GST_REALTIME_TEXT_USER : GST_REALTIME_TEXT_ASSISTANT;
  action->text = g_strdup (event->text);
  action->start = gst_realtime_translation_input_time (translation, elapsed_ms);
  action->end = frame_end (translation, elapsed_ms);
  gst_realtime_translation_queue (translation, action);
}
