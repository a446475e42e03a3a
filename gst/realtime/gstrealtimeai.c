/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-realtimeai
 * @title: realtimeai
 *
 * Streams audio to an OpenAI Realtime API compatible server (OpenAI,
 * Azure OpenAI, the bundled test server) over a WebSocket and outputs the
 * model's replies: audio on `src` and text (replies, or the transcript of
 * spoken replies) on `text_src`.
 *
 * The sink takes S16LE mono audio at 24 kHz; put `audioconvert !
 * audioresample` in front of it. Audio is sent in chunks of
 * #GstRealtimeAI:chunk-duration milliseconds. The server detects turns in
 * the audio and answers each one. Text is stamped on the turn it answers,
 * reply audio on a continuous timeline of its own that starts after the
 * turn. At EOS the element commits the audio the server has not committed
 * yet, waits for the replies still coming (at most
 * #GstRealtimeAI:drain-timeout milliseconds) and then ends both source
 * pads.
 *
 * The key comes from #GstRealtimeAI:api-key, or else from the
 * `OPENAI_API_KEY` environment variable. It is never logged.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 filesrc location=question.wav ! decodebin ! audioconvert ! \
 *     audioresample ! realtimeai name=ai \
 *     ai.src ! audioconvert ! wavenc ! filesink location=reply.wav \
 *     ai.text_src ! filesink location=reply.txt
 * ]| Answers the questions in a file with speech and its transcript.
 * |[
 * gst-launch-1.0 autoaudiosrc ! audioconvert ! audioresample ! \
 *     realtimeai instructions="You are a helpful assistant." ! \
 *     audioconvert ! autoaudiosink
 * ]| A voice assistant on the microphone (use headphones, or webrtcdsp for
 * echo cancellation).
 * |[
 * gst-launch-1.0 filesrc location=talk.wav ! decodebin ! audioconvert ! \
 *     audioresample ! realtimeai output-modalities=text \
 *     instructions="Translate what you hear into French." name=ai \
 *     ai.text_src ! filesink location=talk-fr.txt
 * ]| Text replies only.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/audio/audio.h>

#include "gstrealtimeaipriv.h"
#include "gstrealtimeenums.h"
#include "gstrealtimei18n.h"

GST_DEBUG_CATEGORY (gst_realtime_ai_debug);
#define GST_CAT_DEFAULT gst_realtime_ai_debug

#define DEFAULT_URL "wss://api.openai.com/v1/realtime"
#define DEFAULT_MODEL "gpt-realtime"
#define DEFAULT_PROTOCOL GST_REALTIME_PROTOCOL_AUTO
#define DEFAULT_AUTH GST_REALTIME_AUTH_AUTO
#define DEFAULT_CHUNK_DURATION 50
#define DEFAULT_DRAIN_TIMEOUT 10000
#define DEFAULT_CONNECT_TIMEOUT 10

/* The server refuses to commit less audio than this. */
#define MIN_COMMIT_MS 100
/* Audio waiting to be sent before chain() blocks: 2 s of 24 kHz PCM, in
 * base64. */
#define MAX_QUEUED_BYTES (24000 * 2 * 2 * 4 / 3)
/* How long chain() waits for the network before failing. */
#define SEND_TIMEOUT_US (30 * G_USEC_PER_SEC)
/* Text deltas have no duration of their own: give each character the time
 * it takes to say it, about 15 characters a second. */
#define TEXT_TIME_PER_CHAR (66 * GST_MSECOND)
/* The latency budget of live pipelines: a typical turn of about 5 s,
 * the 0.5 s of silence that ends it and a second or two for the model, so
 * that subtitles stamped on the speech are still on time. */
#define DEFAULT_LATENCY 8000
#define DEFAULT_LATENESS 0
#define MAX_LATENCY 120000
/* File input runs this far ahead of real time. */
#define PACING_LEAD_US (G_USEC_PER_SEC / 2)
/* Transcription sessions need a model; this one when none is set. */
#define DEFAULT_TRANSCRIPTION_MODEL "gpt-4o-mini-transcribe"
/* The custom meta on text buffers that says whose text it is. */
#define TEXT_META "GstRealtimeTextMeta"

#define AUDIO_CAPS "audio/x-raw, format=(string)S16LE, rate=(int)24000, " \
    "channels=(int)1, layout=(string)interleaved; " \
    "audio/x-mulaw, rate=(int)8000, channels=(int)1; " \
    "audio/x-alaw, rate=(int)8000, channels=(int)1"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (AUDIO_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (AUDIO_CAPS));

static GstStaticPadTemplate text_src_template =
GST_STATIC_PAD_TEMPLATE ("text_src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("text/x-raw, format=(string)utf8"));

enum
{
  PROP_0,
  PROP_URL,
  PROP_MODEL,
  PROP_API_KEY,
  PROP_PROTOCOL,
  PROP_AUTH,
  PROP_EXTRA_HEADERS,
  PROP_CHUNK_DURATION,
  PROP_DRAIN_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_LATENCY,
  PROP_LATENESS,
  PROP_MAX_OBSERVED_DELAY,
};

#define gst_realtime_ai_parent_class parent_class
G_DEFINE_TYPE (GstRealtimeAI, gst_realtime_ai, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (realtimeai, "realtimeai", GST_RANK_NONE,
    GST_TYPE_REALTIME_AI);

/* ------------------------------------------------------------------ */
/* Output */

static GstFlowReturn
gst_realtime_ai_combine_flow (GstRealtimeOutput * output, GstFlowReturn ret,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  GstFlowReturn combined;

  g_mutex_lock (&self->lock);
  combined = gst_flow_combiner_update_pad_flow (self->flow_combiner,
      gst_realtime_output_get_pad (output), ret);
  if (combined != GST_FLOW_EOS)
    self->flow = combined;
  g_mutex_unlock (&self->lock);

  if (combined == GST_FLOW_NOT_LINKED || combined < GST_FLOW_EOS) {
    GST_ELEMENT_FLOW_ERROR (self, combined);
    gst_pad_push_event (gst_realtime_output_get_pad (output),
        gst_event_new_eos ());
  }
  return combined;
}

/* Text on text_src, tagged with whose it is. */
GstClockTime
gst_realtime_ai_push_text (GstRealtimeTextRole role, const gchar * text,
    GstClockTime pts, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  gsize size = strlen (text);
  GstBuffer *buffer = gst_buffer_new_memdup (text, size);
  GstCustomMeta *meta = gst_buffer_add_custom_meta (buffer, TEXT_META);

  gst_structure_set (gst_custom_meta_get_structure (meta), "role",
      G_TYPE_STRING, role == GST_REALTIME_TEXT_USER ? "user" : "assistant",
      NULL);
  GST_BUFFER_PTS (buffer) = gst_realtime_ai_text_time_locked (self, pts);
  GST_BUFFER_DURATION (buffer) =
      MAX (1, g_utf8_strlen (text, size)) * TEXT_TIME_PER_CHAR;
  if (!GST_CLOCK_TIME_IS_VALID (gst_realtime_output_queue_buffer
          (self->text_out, buffer)))
    return pts;
  return gst_realtime_output_get_end (self->text_out);
}

/* Barge-in: the reply audio queued and downstream goes, so that a live sink
 * stops talking; what comes next starts now. */
void
gst_realtime_ai_interrupt_audio (GstRealtimeAI * self)
{
  GstPad *pad = gst_realtime_output_get_pad (self->audio_out);
  GstSegment segment;
  GstClockTime now;

  g_mutex_lock (&self->lock);
  gst_segment_copy_into (&self->segment, &segment);
  now = gst_realtime_ai_now_locked (self);
  g_mutex_unlock (&self->lock);

  gst_realtime_output_interrupt (self->audio_out, &segment, now);

  g_mutex_lock (&self->lock);
  gst_flow_combiner_update_pad_flow (self->flow_combiner, pad, GST_FLOW_OK);
  if (self->flow == GST_FLOW_FLUSHING)
    self->flow = GST_FLOW_OK;
  g_mutex_unlock (&self->lock);
}

/* Nothing will be stamped before the start of a turn that is open or not
 * answered yet, so idle pads may advance only while nothing is pending. */
gboolean
gst_realtime_ai_replies_pending_locked (GstRealtimeAI * self)
{
  return self->pending_commit_id
      || gst_realtime_responses_pending (self->responses)
      || gst_realtime_turns_pending (self->turns);
}

void
gst_realtime_ai_advance_outputs_locked (GstRealtimeAI * self,
    GstClockTime position)
{
  if (!GST_CLOCK_TIME_IS_VALID (position)
      || gst_realtime_ai_replies_pending_locked (self))
    return;
  gst_realtime_output_advance (self->audio_out, position);
  gst_realtime_output_advance (self->text_out, position);
}

/* ------------------------------------------------------------------ */
/* Sink */

static GstFlowReturn
check_flow_locked (GstRealtimeAI * self)
{
  if (self->flushing)
    return GST_FLOW_FLUSHING;
  if (self->failed)
    return GST_FLOW_ERROR;
  return self->flow;
}

static GstFlowReturn
send_audio (GstRealtimeAI * self, gsize size)
{
  const guint8 *data = gst_adapter_map (self->adapter, size);
  gchar *event, *event_id;
  GError *error = NULL;
  GstFlowReturn ret = GST_FLOW_OK;

  g_mutex_lock (&self->lock);
  event_id = gst_realtime_ai_next_event_id_locked (self);
  g_mutex_unlock (&self->lock);
  event = gst_realtime_protocol_build_append (data, size, event_id);
  g_free (event_id);
  gst_adapter_unmap (self->adapter);
  gst_adapter_flush (self->adapter, size);

  if (!gst_realtime_session_queue (self->session, event, SEND_TIMEOUT_US,
          &error)) {
    if (error) {
      GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
          (_("The network is too slow to send the audio in real time.")),
          ("%s", error->message));
      g_error_free (error);
      return GST_FLOW_ERROR;
    }
    g_mutex_lock (&self->lock);
    ret = check_flow_locked (self);
    g_mutex_unlock (&self->lock);
    if (ret == GST_FLOW_OK)
      ret = GST_FLOW_FLUSHING;
  }
  return ret;
}

static GstFlowReturn
send_chunks (GstRealtimeAI * self, gsize min_size)
{
  GstFlowReturn ret = GST_FLOW_OK;
  gsize available;

  while (ret == GST_FLOW_OK) {
    available = gst_adapter_available (self->adapter);
    available -= available % self->in_bps;
    if (available == 0 || available < min_size)
      break;
    ret = send_audio (self, MIN (available, self->chunk_bytes));
  }
  return ret;
}

static void
query_live (GstRealtimeAI * self)
{
  GstQuery *query = gst_query_new_latency ();

  self->live = FALSE;
  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_latency (query, &self->live, NULL, NULL);
  gst_query_unref (query);
  GST_DEBUG_OBJECT (self, "upstream is %slive", self->live ? "" : "not ");
}

/* File mode: a turn waiting for its reply holds the input. */
static gboolean
turn_pending_locked (GstRealtimeAI * self)
{
  return self->vad_commits_expected > 0
      || gst_realtime_responses_pending (self->responses);
}

/* File mode: waits while a turn is answered, then paces the audio to real
 * time (with a little lead), so that the server never sees the next turn
 * end before the previous one is answered. */
static GstFlowReturn
wait_for_turn (GstRealtimeAI * self)
{
  GstFlowReturn ret;
  gint64 deadline;

  g_mutex_lock (&self->lock);
  while ((ret = check_flow_locked (self)) == GST_FLOW_OK
      && turn_pending_locked (self)) {
    g_cond_wait (&self->cond, &self->lock);
    self->pace_start = 0;
  }
  if (self->pace_start == 0) {
    self->pace_start = g_get_monotonic_time ();
    self->pace_start_ms = gst_realtime_timeline_get_ms (self->timeline);
  }
  deadline = self->pace_start - PACING_LEAD_US +
      (gst_realtime_timeline_get_ms (self->timeline) -
      self->pace_start_ms) * G_TIME_SPAN_MILLISECOND;
  while (ret == GST_FLOW_OK && !turn_pending_locked (self)
      && g_cond_wait_until (&self->cond, &self->lock, deadline))
    ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK)
    ret = check_flow_locked (self);
  g_mutex_unlock (&self->lock);
  return ret;
}

static GstFlowReturn
gst_realtime_ai_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);
  GstClockTime input_end;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK && !self->have_caps)
    ret = GST_FLOW_NOT_NEGOTIATED;
  if (ret == GST_FLOW_OK) {
    /* the timeline counts 24 kHz samples; G.711 rates divide it */
    gst_realtime_timeline_append (self->timeline, GST_BUFFER_PTS (buffer),
        gst_buffer_get_size (buffer) / self->in_bps *
        (GST_REALTIME_TIMELINE_RATE / self->in_rate));
    input_end = gst_realtime_timeline_get_end (self->timeline);
    if (self->live)
      gst_realtime_ai_advance_outputs_locked (self,
          gst_realtime_ai_live_gap_position_locked (self, input_end));
  }
  g_mutex_unlock (&self->lock);

  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buffer);
    return ret;
  }

  gst_adapter_push (self->adapter, buffer);
  if (self->file_mode && (ret = wait_for_turn (self)) != GST_FLOW_OK)
    return ret;
  return send_chunks (self, self->chunk_bytes);
}

static gboolean
drained_locked (GstRealtimeAI * self)
{
  if (self->failed || self->flushing)
    return TRUE;
  return !gst_realtime_ai_replies_pending_locked (self) && !self->dispatching
      && g_queue_is_empty (&self->notices);
}

/* Commits what the server has not, then waits for the replies in flight. */
static void
drain (GstRealtimeAI * self)
{
  gint64 deadline;
  gint64 uncommitted_ms;
  guint timeout_ms;
  gboolean timed_out = FALSE;

  send_chunks (self, 0);

  g_mutex_lock (&self->lock);
  if (!self->session || self->failed || self->flushing)
    goto done;
  uncommitted_ms = gst_realtime_timeline_get_ms (self->timeline) -
      self->committed_ms;
  if (uncommitted_ms >= MIN_COMMIT_MS)
    gst_realtime_ai_commit_locked (self, self->config.turn_detection.type ==
        GST_REALTIME_TURN_DETECTION_NONE);

  GST_OBJECT_LOCK (self);
  timeout_ms = self->drain_timeout;
  GST_OBJECT_UNLOCK (self);
  deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  while (!drained_locked (self) && !timed_out)
    timed_out = !g_cond_wait_until (&self->cond, &self->lock, deadline);

  if (timed_out)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("Stopped waiting for the server's replies after %u ms."),
            timeout_ms), ("replies still pending at EOS"));

done:
  g_mutex_unlock (&self->lock);
}

static void
queue_on_outputs (GstRealtimeAI * self, GstEvent * event)
{
  gst_realtime_output_queue_event (self->audio_out, gst_event_ref (event));
  gst_realtime_output_queue_event (self->text_out, event);
}

/* Drops what the element waits for from the server: turns, replies and
 * requests in flight. */
static void
forget_replies_locked (GstRealtimeAI * self)
{
  gst_realtime_turns_reset (self->turns);
  gst_realtime_responses_reset (self->responses);
  g_hash_table_remove_all (self->open_calls);
  self->calls_answered = 0;
  self->vad_commits_expected = 0;
  g_clear_pointer (&self->pending_commit_id, g_free);
}

static void
handle_eos (GstRealtimeAI * self)
{
  GstClockTime end;

  drain (self);

  g_mutex_lock (&self->lock);
  gst_realtime_turns_flush (self->turns);
  forget_replies_locked (self);
  end = gst_realtime_timeline_get_end (self->timeline);
  gst_realtime_ai_advance_outputs_locked (self, end);
  g_mutex_unlock (&self->lock);

  queue_on_outputs (self, gst_event_new_eos ());
}

static void
handle_stream_start (GstRealtimeAI * self, GstEvent * event)
{
  guint group_id;
  gboolean have_group = gst_event_parse_group_id (event, &group_id);
  GstRealtimeOutput *outputs[] = { self->audio_out, self->text_out };
  const gchar *ids[] = { "audio", "text" };
  GstCaps *caps;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (outputs); i++) {
    GstPad *pad = gst_realtime_output_get_pad (outputs[i]);
    gchar *stream_id = gst_pad_create_stream_id (pad, GST_ELEMENT (self),
        ids[i]);
    GstEvent *start = gst_event_new_stream_start (stream_id);

    g_free (stream_id);
    if (have_group)
      gst_event_set_group_id (start, group_id);
    if (outputs[i] == self->text_out)
      gst_event_set_stream_flags (start, GST_STREAM_FLAG_SPARSE);
    gst_realtime_output_queue_event (outputs[i], start);
  }
  /* the audio caps follow the input's (see handle_caps) */
  caps = gst_pad_get_pad_template_caps (gst_realtime_output_get_pad
      (self->text_out));
  gst_realtime_output_queue_event (self->text_out, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_event_unref (event);
}

static GstRealtimeAudioFormat
format_from_caps (GstCaps * caps, guint * rate, guint * bps)
{
  const gchar *name = gst_structure_get_name (gst_caps_get_structure (caps,
          0));

  *rate = 8000;
  *bps = 1;
  if (g_str_equal (name, "audio/x-mulaw"))
    return GST_REALTIME_AUDIO_FORMAT_PCMU;
  if (g_str_equal (name, "audio/x-alaw"))
    return GST_REALTIME_AUDIO_FORMAT_PCMA;
  *rate = GST_REALTIME_TIMELINE_RATE;
  *bps = 2;
  return GST_REALTIME_AUDIO_FORMAT_PCM16;
}

/* Reply audio in the input's format if downstream takes it, else in the
 * first format of the template it takes. */
static GstCaps *
choose_output_caps (GstRealtimeAI * self, GstCaps * input_caps)
{
  GstPad *srcpad = gst_realtime_output_get_pad (self->audio_out);
  GstCaps *allowed = gst_pad_peer_query_caps (srcpad, NULL);
  GstCaps *template = gst_pad_get_pad_template_caps (srcpad);
  GstCaps *caps;

  if (gst_caps_can_intersect (allowed, input_caps)) {
    caps = gst_caps_ref (input_caps);
  } else {
    caps = gst_caps_intersect_full (template, allowed,
        GST_CAPS_INTERSECT_FIRST);
    if (gst_caps_is_empty (caps))
      gst_caps_replace (&caps, template);
    caps = gst_caps_fixate (caps);
  }
  gst_caps_unref (allowed);
  gst_caps_unref (template);
  return caps;
}

/* A file reaches the element faster than real time, and the server's VAD
 * would then reply, and cancel replies, in the middle of it. So with
 * non-live input the server only detects the turns: the element asks for
 * each reply itself, holds the input until that reply is done and sends
 * the audio at real time, and nothing cancels a reply. */
static void
choose_file_mode_locked (GstRealtimeAI * self)
{
  GstRealtimeTurnDetectionConfig *vad = &self->config.turn_detection;

  self->file_mode = !self->live
      && self->config.session_type == GST_REALTIME_SESSION_TYPE_REALTIME
      && vad->type != GST_REALTIME_TURN_DETECTION_NONE;
  if (!self->file_mode)
    return;
  GST_INFO_OBJECT (self, "non-live input: replies one turn at a time");
  vad->create_response = FALSE;
  vad->interrupt_response = FALSE;
}

static gboolean
handle_caps (GstRealtimeAI * self, GstEvent * event)
{
  GstCaps *input_caps, *output_caps;
  GstRealtimeAudioFormat in_format, out_format;
  guint chunk_duration;

  gst_event_parse_caps (event, &input_caps);
  output_caps = choose_output_caps (self, input_caps);
  GST_DEBUG_OBJECT (self, "input %" GST_PTR_FORMAT ", output %"
      GST_PTR_FORMAT, input_caps, output_caps);

  GST_OBJECT_LOCK (self);
  chunk_duration = self->chunk_duration;
  GST_OBJECT_UNLOCK (self);
  query_live (self);

  g_mutex_lock (&self->lock);
  if (!self->have_caps)
    choose_file_mode_locked (self);
  in_format = format_from_caps (input_caps, &self->in_rate, &self->in_bps);
  out_format = format_from_caps (output_caps, &self->out_rate, &self->out_bps);
  self->chunk_bytes = self->in_rate * self->in_bps * chunk_duration / 1000;
  if (!self->have_caps || in_format != self->config.input_format
      || out_format != self->config.output_format) {
    self->config.input_format = in_format;
    self->config.output_format = out_format;
    self->have_caps = TRUE;
    gst_realtime_ai_send_session_update_locked (self);
  }
  g_mutex_unlock (&self->lock);

  gst_realtime_output_queue_event (self->audio_out,
      gst_event_new_caps (output_caps));
  gst_caps_unref (output_caps);
  gst_event_unref (event);
  return TRUE;
}

static gboolean
handle_segment (GstRealtimeAI * self, GstEvent * event)
{
  const GstSegment *segment;

  gst_event_parse_segment (event, &segment);
  if (segment->format != GST_FORMAT_TIME) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        (_("The input must have timestamps.")),
        ("segment in %s format", gst_format_get_name (segment->format)));
    gst_event_unref (event);
    return FALSE;
  }
  /* replies are stamped in input time, so the outputs share its segment */
  g_mutex_lock (&self->lock);
  gst_segment_copy_into (segment, &self->segment);
  g_mutex_unlock (&self->lock);
  queue_on_outputs (self, event);
  query_live (self);
  return TRUE;
}

/* Flush events go downstream at once, not through the queues they empty. */
static void
push_on_outputs (GstRealtimeAI * self, GstEvent * event)
{
  gst_pad_push_event (gst_realtime_output_get_pad (self->audio_out),
      gst_event_ref (event));
  gst_pad_push_event (gst_realtime_output_get_pad (self->text_out), event);
}

static void
handle_flush_start (GstRealtimeAI * self, GstEvent * event)
{
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (self->session)
    gst_realtime_session_set_flushing (self->session, TRUE);

  push_on_outputs (self, event);
  gst_realtime_output_set_flushing (self->audio_out, TRUE);
  gst_realtime_output_set_flushing (self->text_out, TRUE);
}

static void
handle_flush_stop (GstRealtimeAI * self, GstEvent * event)
{
  gchar *event_id;

  gst_adapter_clear (self->adapter);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  self->flow = GST_FLOW_OK;
  gst_flow_combiner_reset (self->flow_combiner);
  forget_replies_locked (self);
  if (self->session) {
    gst_realtime_session_set_flushing (self->session, FALSE);
    /* what the server holds belongs to the old position */
    event_id = gst_realtime_ai_next_event_id_locked (self);
    gst_realtime_ai_queue_control_locked (self,
        gst_realtime_protocol_build_clear (event_id));
    g_free (event_id);
    self->committed_ms = gst_realtime_timeline_get_ms (self->timeline);
  }
  g_mutex_unlock (&self->lock);

  push_on_outputs (self, event);
  gst_realtime_output_set_flushing (self->audio_out, FALSE);
  gst_realtime_output_set_flushing (self->text_out, FALSE);
}

static gboolean
gst_realtime_ai_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);

  GST_LOG_OBJECT (self, "sink event %" GST_PTR_FORMAT, event);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      handle_stream_start (self, event);
      return TRUE;
    case GST_EVENT_CAPS:
      return handle_caps (self, event);
    case GST_EVENT_SEGMENT:
      return handle_segment (self, event);
    case GST_EVENT_EOS:
      handle_eos (self);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_FLUSH_START:
      handle_flush_start (self, event);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      handle_flush_stop (self, event);
      return TRUE;
    default:
      if (GST_EVENT_IS_SERIALIZED (event)) {
        /* tags and the like describe the input, not the replies */
        gst_event_unref (event);
        return TRUE;
      }
      return gst_pad_event_default (pad, parent, event);
  }
}

/* ------------------------------------------------------------------ */
/* State */

static void
reset_conversation_locked (GstRealtimeAI * self)
{
  gst_realtime_timeline_reset (self->timeline);
  forget_replies_locked (self);
  gst_realtime_ai_clear_notices (self);
  self->committed_ms = self->commit_start_ms = 0;
  self->next_event_id = 0;
  self->flow = GST_FLOW_OK;
  self->failed = self->flushing = FALSE;
  self->have_caps = self->session_created = FALSE;
  self->file_mode = FALSE;
  self->pace_start = 0;
  g_clear_pointer (&self->playing_item, g_free);
  self->max_observed_delay = 0;
  g_clear_pointer (&self->session_update_id, g_free);
  gst_flow_combiner_reset (self->flow_combiner);
}

/* The session's configuration, from a copy of the settings that stays
 * put while the session runs. */
static void
configure_locked (GstRealtimeAI * self, GstRealtimeProtocolVersion dialect)
{
  GstRealtimeSettings *active = &self->active;
  gboolean transcription;

  GST_OBJECT_LOCK (self);
  gst_realtime_settings_copy (active, &self->settings);
  GST_OBJECT_UNLOCK (self);

  transcription = active->session_type ==
      GST_REALTIME_SESSION_TYPE_TRANSCRIPTION;
  if (transcription && !gst_realtime_settings_transcribes (active)) {
    g_free (active->transcription_model);
    active->transcription_model = g_strdup (DEFAULT_TRANSCRIPTION_MODEL);
  }

  gst_realtime_session_config_init (&self->config);
  self->config.dialect = dialect;
  gst_realtime_settings_fill_config (active, &self->config);

  gst_realtime_turns_expect_transcripts (self->turns,
      gst_realtime_settings_transcribes (active));
  gst_realtime_turns_set_text_output (self->turns, transcription
      || active->text_output != GST_REALTIME_TEXT_OUTPUT_REPLIES,
      !transcription
      && active->text_output != GST_REALTIME_TEXT_OUTPUT_TRANSCRIPTS);
}

static gchar *
find_key (GstRealtimeAI * self, const GstRealtimeEndpoint * endpoint)
{
  guint i;

  if (self->api_key && *self->api_key)
    return g_strdup (self->api_key);
  for (i = 0; endpoint->key_variables[i]; i++)
    if (g_getenv (endpoint->key_variables[i]))
      return g_strdup (g_getenv (endpoint->key_variables[i]));
  return NULL;
}

/* name, value pairs for the session, from extra-headers */
static gchar **
collect_headers (GstRealtimeAI * self, const GstRealtimeEndpoint * endpoint)
{
  GPtrArray *headers = g_ptr_array_new ();
  guint i;

  if (endpoint->beta_header) {
    g_ptr_array_add (headers, g_strdup ("OpenAI-Beta"));
    g_ptr_array_add (headers, g_strdup ("realtime=v1"));
  }
  for (i = 0; self->extra_headers &&
      i < (guint) gst_structure_n_fields (self->extra_headers); i++) {
    const gchar *name = gst_structure_nth_field_name (self->extra_headers, i);
    const GValue *value = gst_structure_get_value (self->extra_headers, name);

    g_ptr_array_add (headers, g_strdup (name));
    g_ptr_array_add (headers, G_VALUE_HOLDS_STRING (value) ?
        g_value_dup_string (value) : gst_value_serialize (value));
  }
  g_ptr_array_add (headers, NULL);
  return (gchar **) g_ptr_array_free (headers, FALSE);
}

static void
forget_key (gchar * key)
{
  if (key)
    memset (key, 0, strlen (key));
  g_free (key);
}

static gboolean
start_session (GstRealtimeAI * self)
{
  static const GstRealtimeSessionCallbacks callbacks = {
    gst_realtime_ai_on_session_event, gst_realtime_ai_on_session_malformed,
    gst_realtime_ai_on_session_failed
  };
  GstRealtimeSessionParams params = { 0, };
  GstRealtimeEndpoint endpoint;
  gchar *api_key = NULL, **headers = NULL;
  gboolean resolved;

  GST_OBJECT_LOCK (self);
  resolved = gst_realtime_endpoint_resolve (&endpoint, self->url, self->model,
      self->settings.session_type, self->protocol, self->auth);
  if (resolved) {
    api_key = find_key (self, &endpoint);
    headers = collect_headers (self, &endpoint);
  }
  params.timeout_s = self->connect_timeout;
  GST_OBJECT_UNLOCK (self);

  if (!resolved) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server URL is not valid.")), ("url: %s", self->url));
    return FALSE;
  }
  GST_INFO_OBJECT (self, "%s protocol, key in %s header",
      endpoint.dialect == GST_REALTIME_PROTOCOL_BETA ? "beta" : "GA",
      endpoint.api_key_header ? "the api-key" : "a Bearer");

  params.url = endpoint.url;
  params.api_key = api_key;
  params.api_key_header = endpoint.api_key_header;
  params.headers = (const gchar * const *) headers;
  params.max_queued_bytes = MAX_QUEUED_BYTES;

  g_mutex_lock (&self->lock);
  reset_conversation_locked (self);
  configure_locked (self, endpoint.dialect);
  self->session = gst_realtime_session_new (&params, &callbacks, self);
  gst_realtime_session_start (self->session);
  g_mutex_unlock (&self->lock);

  forget_key (api_key);
  g_strfreev (headers);
  gst_realtime_endpoint_clear (&endpoint);
  return TRUE;
}

static void
stop_session (GstRealtimeAI * self)
{
  GstRealtimeSession *session;

  g_mutex_lock (&self->lock);
  session = self->session;
  g_mutex_unlock (&self->lock);

  /* joins the session thread, whose callbacks take self->lock */
  gst_realtime_session_free (session);

  g_mutex_lock (&self->lock);
  self->session = NULL;
  g_mutex_unlock (&self->lock);
}

static void
unblock_streaming (GstRealtimeAI * self)
{
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  if (self->session)
    gst_realtime_session_set_flushing (self->session, TRUE);
  g_mutex_unlock (&self->lock);
  gst_realtime_output_stop (self->audio_out);
  gst_realtime_output_stop (self->text_out);
}

static GstStateChangeReturn
gst_realtime_ai_change_state (GstElement * element, GstStateChange transition)
{
  GstRealtimeAI *self = GST_REALTIME_AI (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      gst_adapter_clear (self->adapter);
      if (!start_session (self))
        return GST_STATE_CHANGE_FAILURE;
      gst_realtime_output_start (self->audio_out);
      gst_realtime_output_start (self->text_out);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      unblock_streaming (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_session (self);
      gst_adapter_clear (self->adapter);
      break;
    default:
      break;
  }
  return ret;
}

/* ------------------------------------------------------------------ */
/* GObject */

static void
replace_string (GstRealtimeAI * self, gchar ** field, const GValue * value)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
set_url (GstRealtimeAI * self, const GValue * value)
{
  const gchar *url = g_value_get_string (value);
  gchar *scheme = url ? g_uri_parse_scheme (url) : NULL;

  if (!scheme || !(g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss")
          || g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        (_("Ignored the URL: it must start with wss:// or ws://.")),
        ("url %s", GST_STR_NULL (url)));
  } else {
    replace_string (self, &self->url, value);
  }
  g_free (scheme);
}

static void
set_extra_headers (GstRealtimeAI * self, const GValue * value)
{
  const GstStructure *headers = gst_value_get_structure (value);

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->extra_headers, gst_structure_free);
  if (headers)
    self->extra_headers = gst_structure_copy (headers);
  GST_OBJECT_UNLOCK (self);
}

static void
set_number (GstRealtimeAI * self, guint * field, guint value)
{
  GST_OBJECT_LOCK (self);
  *field = value;
  GST_OBJECT_UNLOCK (self);
}

/* A new latency changes what the pipeline must wait for. */
static void
set_latency (GstRealtimeAI * self, gint latency_ms)
{
  gboolean changed;

  GST_OBJECT_LOCK (self);
  changed = self->latency_ms != latency_ms;
  self->latency_ms = latency_ms;
  GST_OBJECT_UNLOCK (self);
  if (changed)
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_latency (GST_OBJECT (self)));
}

static void
gst_realtime_ai_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRealtimeAI *self = GST_REALTIME_AI (object);

  switch (prop_id) {
    case PROP_URL:
      set_url (self, value);
      break;
    case PROP_MODEL:
      replace_string (self, &self->model, value);
      break;
    case PROP_API_KEY:
      replace_string (self, &self->api_key, value);
      break;
    case PROP_PROTOCOL:
      set_number (self, &self->protocol, g_value_get_enum (value));
      break;
    case PROP_AUTH:
      set_number (self, &self->auth, g_value_get_enum (value));
      break;
    case PROP_EXTRA_HEADERS:
      set_extra_headers (self, value);
      break;
    case PROP_CHUNK_DURATION:
      set_number (self, &self->chunk_duration, g_value_get_uint (value));
      break;
    case PROP_DRAIN_TIMEOUT:
      set_number (self, &self->drain_timeout, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      set_number (self, &self->connect_timeout, g_value_get_uint (value));
      break;
    case PROP_LATENCY:
      set_latency (self, g_value_get_int (value));
      break;
    case PROP_LATENESS:
      set_number (self, &self->lateness_ms, g_value_get_uint (value));
      break;
    default:
      if (prop_id >= GST_REALTIME_SETTINGS_FIRST_PROP)
        gst_realtime_settings_set_property (&self->settings,
            GST_ELEMENT (self), prop_id, value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_realtime_ai_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRealtimeAI *self = GST_REALTIME_AI (object);

  if (prop_id >= GST_REALTIME_SETTINGS_FIRST_PROP) {
    gst_realtime_settings_get_property (&self->settings, GST_ELEMENT (self),
        prop_id, value);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;
    case PROP_EXTRA_HEADERS:
      gst_value_set_structure (value, self->extra_headers);
      break;
    case PROP_CHUNK_DURATION:
      g_value_set_uint (value, self->chunk_duration);
      break;
    case PROP_DRAIN_TIMEOUT:
      g_value_set_uint (value, self->drain_timeout);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_LATENCY:
      g_value_set_int (value, self->latency_ms);
      break;
    case PROP_LATENESS:
      g_value_set_uint (value, self->lateness_ms);
      break;
    case PROP_MAX_OBSERVED_DELAY:
      g_value_set_uint (value, self->max_observed_delay / GST_MSECOND);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_realtime_ai_finalize (GObject * object)
{
  GstRealtimeAI *self = GST_REALTIME_AI (object);

  g_free (self->url);
  g_free (self->model);
  forget_key (self->api_key);
  g_clear_pointer (&self->extra_headers, gst_structure_free);
  gst_realtime_settings_clear (&self->settings);
  gst_realtime_settings_clear (&self->active);
  g_object_unref (self->adapter);
  gst_realtime_output_free (self->audio_out);
  gst_realtime_output_free (self->text_out);
  gst_flow_combiner_free (self->flow_combiner);
  gst_realtime_timeline_free (self->timeline);
  gst_realtime_turns_free (self->turns);
  gst_realtime_responses_free (self->responses);
  g_hash_table_unref (self->open_calls);
  gst_realtime_ai_clear_notices (self);
  g_free (self->pending_commit_id);
  g_free (self->session_update_id);
  g_free (self->playing_item);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstRealtimeOutput *
add_output (GstRealtimeAI * self, GstStaticPadTemplate * template)
{
  GstPad *pad = gst_pad_new_from_static_template (template,
      template->name_template);

  gst_pad_use_fixed_caps (pad);
  gst_pad_set_query_function (pad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_src_query));
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_flow_combiner_add_pad (self->flow_combiner, pad);
  return gst_realtime_output_new (pad, gst_realtime_ai_combine_flow, self);
}

static void
gst_realtime_ai_init (GstRealtimeAI * self)
{
  self->url = g_strdup (DEFAULT_URL);
  self->model = g_strdup (DEFAULT_MODEL);
  self->protocol = DEFAULT_PROTOCOL;
  self->auth = DEFAULT_AUTH;
  self->chunk_duration = DEFAULT_CHUNK_DURATION;
  self->drain_timeout = DEFAULT_DRAIN_TIMEOUT;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->latency_ms = DEFAULT_LATENCY;
  self->lateness_ms = DEFAULT_LATENESS;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  gst_realtime_settings_init (&self->settings);
  gst_realtime_settings_init (&self->active);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->adapter = gst_adapter_new ();
  self->timeline = gst_realtime_timeline_new (GST_REALTIME_TIMELINE_RATE);
  self->flow_combiner = gst_flow_combiner_new ();
  self->turns = gst_realtime_turns_new (gst_realtime_ai_push_text, self);
  self->responses = gst_realtime_responses_new ();
  self->open_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  g_queue_init (&self->notices);

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->audio_out = add_output (self, &src_template);
  self->text_out = add_output (self, &text_src_template);
}

#define FLAGS_READY (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | \
    GST_PARAM_MUTABLE_READY)

static void
install_connection_properties (GObjectClass * gobject_class)
{
  /**
   * GstRealtimeAI:url:
   *
   * The WebSocket endpoint: OpenAI's, Azure's
   * (`wss://RESOURCE.openai.azure.com/openai/v1/realtime?model=DEPLOYMENT`,
   * or the preview `/openai/realtime?api-version=...&deployment=...`), or
   * any compatible server. The #GstRealtimeAI:model is added as the
   * `model` query parameter (`intent=transcription` for transcription
   * sessions) unless the URL names a model, deployment or intent.
   */
  g_object_class_install_property (gobject_class, PROP_URL,
      g_param_spec_string ("url", "URL",
          "WebSocket URL of the Realtime server (ws:// or wss://)",
          DEFAULT_URL, FLAGS_READY));
  /**
   * GstRealtimeAI:model:
   *
   * The model to talk to; empty to leave it to the URL or the server.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name, sent as the model query parameter of the URL",
          DEFAULT_MODEL, FLAGS_READY));
  /**
   * GstRealtimeAI:api-key:
   *
   * The API key, ephemeral client secret (`ek_...`) or Entra token.
   * Write-only; when unset the `OPENAI_API_KEY` environment variable is
   * used (for Azure URLs `AZURE_OPENAI_API_KEY` first).
   */
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "API key or client secret (write-only; default: the "
          "OPENAI_API_KEY or AZURE_OPENAI_API_KEY environment variable)",
          NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:protocol:
   *
   * The protocol dialect: `ga`, `beta` (Azure preview endpoints and older
   * compatible servers), or `auto` to pick from the URL.
   */
  g_object_class_install_property (gobject_class, PROP_PROTOCOL,
      g_param_spec_enum ("protocol", "Protocol",
          "Realtime protocol dialect the server speaks",
          GST_TYPE_REALTIME_PROTOCOL_VERSION, DEFAULT_PROTOCOL, FLAGS_READY));
  /**
   * GstRealtimeAI:auth:
   *
   * How the key is sent: `bearer` (`Authorization: Bearer`), `api-key`
   * (Azure's header), or `auto` (api-key for Azure URLs).
   */
  g_object_class_install_property (gobject_class, PROP_AUTH,
      g_param_spec_enum ("auth", "Authentication",
          "How the key is sent to the server", GST_TYPE_REALTIME_AUTH,
          DEFAULT_AUTH, FLAGS_READY));
  /**
   * GstRealtimeAI:extra-headers:
   *
   * More headers for the WebSocket handshake, one field each, e.g.
   * `headers,OpenAI-Project=proj_123,OpenAI-Organization=org_456`.
   */
  g_object_class_install_property (gobject_class, PROP_EXTRA_HEADERS,
      g_param_spec_boxed ("extra-headers", "Extra headers",
          "More handshake headers, one structure field each",
          GST_TYPE_STRUCTURE, FLAGS_READY));
  /**
   * GstRealtimeAI:connect-timeout:
   *
   * Seconds to wait for the server to accept the connection.
   */
  g_object_class_install_property (gobject_class, PROP_CONNECT_TIMEOUT,
      g_param_spec_uint ("connect-timeout", "Connect timeout",
          "Seconds to wait for the server to accept the connection", 1, 300,
          DEFAULT_CONNECT_TIMEOUT, FLAGS_READY));
}

static void
install_streaming_properties (GObjectClass * gobject_class)
{
  /**
   * GstRealtimeAI:chunk-duration:
   *
   * Milliseconds of audio per `input_audio_buffer.append` event. The
   * default of 50 ms keeps the server's voice detection responsive at 20
   * events a second; larger chunks cost less and react later.
   */
  g_object_class_install_property (gobject_class, PROP_CHUNK_DURATION,
      g_param_spec_uint ("chunk-duration", "Chunk duration",
          "Milliseconds of audio sent per append event", 10, 1000,
          DEFAULT_CHUNK_DURATION, FLAGS_READY));
  /**
   * GstRealtimeAI:drain-timeout:
   *
   * At EOS, how many milliseconds to wait at most for the replies still
   * in progress before ending the source pads.
   */
  g_object_class_install_property (gobject_class, PROP_DRAIN_TIMEOUT,
      g_param_spec_uint ("drain-timeout", "Drain timeout",
          "Milliseconds to wait at EOS for the replies in progress", 0,
          600000, DEFAULT_DRAIN_TIMEOUT, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
}

static void
install_timing_properties (GObjectClass * gobject_class)
{
  /**
   * GstRealtimeAI:latency:
   *
   * Live input only: how many milliseconds the element may take to put
   * text on the speech it belongs to; added to the pipeline latency. The
   * default suits subtitles of a typical turn (about 5 s of speech, 0.5 s
   * of silence to end it, and the model's answer time). Text that comes
   * later is pushed at once, as late as it has to be, and a warning says
   * what latency it needed. -1 stamps text when it arrives instead.
   */
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_int ("latency", "Latency",
          "Milliseconds live text may take to arrive (-1: stamp text on "
          "arrival)", -1, MAX_LATENCY, DEFAULT_LATENCY, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstRealtimeAI:lateness:
   *
   * Milliseconds added to the timestamps of text, to show it later than
   * the speech.
   */
  g_object_class_install_property (gobject_class, PROP_LATENESS,
      g_param_spec_uint ("lateness", "Lateness",
          "Milliseconds added to the timestamps of text", 0, MAX_LATENCY,
          DEFAULT_LATENESS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstRealtimeAI:max-observed-delay:
   *
   * The longest a text took, in milliseconds, from its speech to its
   * arrival, when it came later than the latency allowed (notified).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_OBSERVED_DELAY,
      g_param_spec_uint ("max-observed-delay", "Maximum observed delay",
          "Longest delay of late text in ms", 0, G_MAXUINT, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
mark_types_as_api (void)
{
  GType types[] = { GST_TYPE_REALTIME_OUTPUT_MODALITY,
    GST_TYPE_REALTIME_TURN_DETECTION, GST_TYPE_REALTIME_EAGERNESS,
    GST_TYPE_REALTIME_NOISE_REDUCTION, GST_TYPE_REALTIME_SESSION_TYPE,
    GST_TYPE_REALTIME_TEXT_OUTPUT, GST_TYPE_REALTIME_PROTOCOL_VERSION,
    GST_TYPE_REALTIME_AUTH
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (types); i++)
    gst_type_mark_as_plugin_api (types[i], 0);
}

static void
gst_realtime_ai_class_init (GstRealtimeAIClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  static const gchar *text_meta_tags[] = { NULL };

  GST_DEBUG_CATEGORY_INIT (gst_realtime_ai_debug, "realtimeai", 0,
      "Realtime speech AI element");

  gobject_class->set_property = gst_realtime_ai_set_property;
  gobject_class->get_property = gst_realtime_ai_get_property;
  gobject_class->finalize = gst_realtime_ai_finalize;
  install_connection_properties (gobject_class);
  install_streaming_properties (gobject_class);
  install_timing_properties (gobject_class);
  gst_realtime_settings_install_properties (gobject_class);
  gst_realtime_ai_install_signals (klass);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_realtime_ai_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class, &text_src_template);
  gst_element_class_set_static_metadata (element_class,
      "Realtime speech AI", "Filter/Audio/Network",
      "Talks to an OpenAI Realtime API compatible server: audio in, reply "
      "audio and text out", "gst-realtime authors");

  gst_meta_register_custom (TEXT_META, text_meta_tags, NULL, NULL, NULL);
  mark_types_as_api ();
}
