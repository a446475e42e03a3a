/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The input audio buffer: appends, commits, clears, and the energy VAD
 * that turns appended audio into user turns (server_vad and semantic_vad
 * alike; none when turn_detection is null). */

#include "realtimetestserver-private.h"

#define VAD_FRAMES_PER_S 100
#define VAD_ONSET_FRAMES 3

static guint64
samples_to_ms (Connection * c, guint64 samples)
{
  return samples * 1000 / c->cfg.in_fmt.rate;
}

void
rts_vad_reset (Connection * c)
{
  c->speaking = FALSE;
  c->voiced_run = 0;
  c->silent_run = 0;
  g_clear_pointer (&c->speech_item_id, g_free);
}

/* Takes the pending audio between @start and @end and drops everything
 * before @end. */
static GBytes *
take_pending (Connection * c, guint64 start, guint64 end)
{
  guint64 from = MAX (start, c->pending_start) - c->pending_start;
  guint64 to = MIN (end - c->pending_start, c->pending->len);
  GBytes *audio;

  from = MIN (from, to);
  audio = g_bytes_new (c->pending->data + from * sizeof (gint16),
      (to - from) * sizeof (gint16));
  g_array_remove_range (c->pending, 0, to);
  c->pending_start += to;
  return audio;
}

static void
send_speech_event (Connection * c, const gchar * type, const gchar * field,
    guint64 position)
{
  JsonObject *event = rts_new_event (c, type);

  json_object_set_int_member (event, field, samples_to_ms (c, position));
  json_object_set_string_member (event, "item_id", c->speech_item_id);
  rts_send_event (c, event);
}

static void
vad_speech_started (Connection * c, guint64 onset)
{
  guint64 padding =
      (guint64) c->cfg.vad.prefix_padding_ms * c->cfg.in_fmt.rate / 1000;
  guint64 start = onset > padding ? onset - padding : 0;

  c->speaking = TRUE;
  c->silent_run = 0;
  c->speech_start = MAX (start, c->pending_start);
  g_free (c->speech_item_id);
  c->speech_item_id = rts_new_id (c->server, "item");
  send_speech_event (c, "input_audio_buffer.speech_started",
      "audio_start_ms", c->speech_start);
  /* even with create_response false, as the real server does */
  if (c->response && c->cfg.vad.interrupt_response) {
    /* recorded first, so that tests see it once response.done is in */
    rts_record_barge_in (c->server);
    rts_drop_queued_responses (c);
    rts_response_cancel (c->response, "turn_detected");
  }
}

static void
vad_speech_stopped (Connection * c)
{
  guint64 end = c->silence_start;
  gchar *item_id;

  send_speech_event (c, "input_audio_buffer.speech_stopped", "audio_end_ms",
      end);
  rts_record_turn (c->server, samples_to_ms (c, c->speech_start),
      samples_to_ms (c, end));
  item_id = g_steal_pointer (&c->speech_item_id);
  rts_vad_reset (c);
  c->idle_start = end;
  rts_commit_turn (c, item_id, take_pending (c, c->speech_start, end));
  if (c->cfg.vad.create_response && !c->cfg.transcription_session)
    rts_queue_response (c, rts_response_job_new (c, NULL));
}

/* The idle timeout, counted in appended audio from the end of the last
 * turn (or of the reply in progress): the server commits the silence and
 * replies to it, as a turn of its own. */
static void
vad_idle (Connection * c, guint64 now)
{
  guint64 start = MAX (c->idle_start, c->pending_start);
  guint64 timeout =
      (guint64) c->cfg.vad.idle_timeout_ms * c->cfg.in_fmt.rate / 1000;
  JsonObject *event;

  if (c->cfg.vad.idle_timeout_ms == 0 || now < start + timeout)
    return;
  c->idle_start = now;
  if (c->response)
    return;
  event = rts_new_event (c, "input_audio_buffer.timeout_triggered");
  json_object_set_int_member (event, "audio_start_ms", samples_to_ms (c,
          start));
  json_object_set_int_member (event, "audio_end_ms", samples_to_ms (c, now));
  c->speech_item_id = rts_new_id (c->server, "item");
  json_object_set_string_member (event, "item_id", c->speech_item_id);
  rts_send_event (c, event);
  rts_record_turn (c->server, samples_to_ms (c, start), samples_to_ms (c,
          now));
  rts_commit_turn (c, g_steal_pointer (&c->speech_item_id), take_pending (c,
          start, now));
  if (c->cfg.vad.create_response && !c->cfg.transcription_session)
    rts_queue_response (c, rts_response_job_new (c, NULL));
}

static void
vad_frame (Connection * c, gboolean voiced, guint64 frame_end)
{
  guint frame_len = c->cfg.in_fmt.rate / VAD_FRAMES_PER_S;

  if (!c->cfg.vad.enabled)
    return;
  if (voiced) {
    c->silent_run = 0;
    c->voiced_run++;
    if (!c->speaking && c->voiced_run >= VAD_ONSET_FRAMES)
      vad_speech_started (c, frame_end - (guint64) c->voiced_run * frame_len);
    c->silence_start = frame_end;
  } else {
    c->voiced_run = 0;
    c->silent_run++;
    if (c->speaking && c->silent_run * 1000 / VAD_FRAMES_PER_S >=
        c->cfg.vad.silence_duration_ms)
      vad_speech_stopped (c);
    else if (!c->speaking)
      vad_idle (c, frame_end);
  }
}

/* Energy VAD on 10 ms frames. `threshold` (0..1) maps linearly to an RMS
 * level of threshold * 1000 out of 32767: 0.5 needs an RMS above 500
 * (about -36 dBFS), so quiet noise stays silent and speech or a tone of
 * amplitude ~1000 and more is voiced. */
static void
vad_feed (Connection * c, const gint16 * samples, gsize n, guint64 first)
{
  guint frame_len = c->cfg.in_fmt.rate / VAD_FRAMES_PER_S;
  gdouble rms_min = c->cfg.vad.threshold * 1000.0;
  gsize i;

  for (i = 0; i < n; i++) {
    c->frame_energy += (gint64) samples[i] * samples[i];
    if (++c->frame_fill < frame_len)
      continue;
    vad_frame (c, (gdouble) c->frame_energy / frame_len > rms_min * rms_min,
        first + i + 1);
    c->frame_energy = 0;
    c->frame_fill = 0;
  }
}

/* Whether any 10 ms frame of @audio would count as voiced for the VAD. */
gboolean
rts_audio_is_voiced (Connection * c, GBytes * audio)
{
  gsize size, i, j;
  const gint16 *samples = g_bytes_get_data (audio, &size);
  guint frame_len = c->cfg.in_fmt.rate / VAD_FRAMES_PER_S;
  gdouble rms_min = c->cfg.vad.threshold * 1000.0;
  gsize n = size / sizeof (gint16);

  for (i = 0; i + frame_len <= n; i += frame_len) {
    gint64 energy = 0;

    for (j = i; j < i + frame_len; j++)
      energy += (gint64) samples[j] * samples[j];
    if ((gdouble) energy / frame_len > rms_min * rms_min)
      return TRUE;
  }
  return FALSE;
}

void
rts_handle_append (Connection * c, JsonObject * event, const gchar * event_id)
{
  const gchar *b64 = rts_member_string (event, "audio");
  guint8 *data;
  gsize len = 0, n;
  gint16 *samples;
  guint64 first = c->total_samples;

  if (b64 == NULL || !rts_base64_is_valid (b64)) {
    rts_send_error (c, "invalid_value", "Invalid 'audio'. Expected "
        "base64-encoded audio bytes.", "audio", event_id);
    return;
  }
  data = *b64 ? g_base64_decode (b64, &len) : NULL;
  samples = rts_decode_input (c, data, len, &n);
  g_array_append_vals (c->pending, samples, n);
  c->total_samples += n;
  vad_feed (c, samples, n, first);
  g_free (samples);
  g_free (data);
}

/* A manual commit makes a turn but never a response. */
void
rts_handle_commit (Connection * c, JsonObject * event, const gchar * event_id)
{
  gdouble ms = c->pending->len * 1000.0 / c->cfg.in_fmt.rate;
  gchar *message, *item_id;

  if (ms < MIN_COMMIT_MS) {
    message = g_strdup_printf ("Error committing input audio buffer: buffer "
        "too small. Expected at least %dms of audio, but buffer only has "
        "%.2fms of audio.", MIN_COMMIT_MS, ms);
    rts_send_error (c, "input_audio_buffer_commit_empty", message, NULL,
        event_id);
    g_free (message);
    return;
  }
  item_id = c->speech_item_id ? g_steal_pointer (&c->speech_item_id) :
      rts_new_id (c->server, "item");
  rts_vad_reset (c);
  rts_commit_turn (c, item_id, take_pending (c, c->pending_start,
          c->total_samples));
}

void
rts_handle_clear (Connection * c, JsonObject * event, const gchar * event_id)
{
  g_bytes_unref (take_pending (c, c->pending_start, c->total_samples));
  rts_vad_reset (c);
  rts_send_event (c, rts_new_event (c, "input_audio_buffer.cleared"));
}
