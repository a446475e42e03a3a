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
#include <gst/base/gstadapter.h>
#include <gst/base/gstflowcombiner.h>

#include "gstrealtimeai.h"
#include "gstrealtimeenums.h"
#include "gstrealtimei18n.h"
#include "gstrealtimeoutput.h"
#include "gstrealtimeprotocol.h"
#include "gstrealtimesession.h"
#include "gstrealtimetimeline.h"
#include "gstrealtimeturns.h"

GST_DEBUG_CATEGORY_STATIC (gst_realtime_ai_debug);
#define GST_CAT_DEFAULT gst_realtime_ai_debug

#define DEFAULT_URL "wss://api.openai.com/v1/realtime"
#define DEFAULT_MODEL "gpt-realtime"
#define DEFAULT_INSTRUCTIONS NULL
#define DEFAULT_VOICE NULL
#define DEFAULT_OUTPUT_MODALITY GST_REALTIME_OUTPUT_MODALITY_AUDIO
#define DEFAULT_CHUNK_DURATION 50
#define DEFAULT_DRAIN_TIMEOUT 10000
#define DEFAULT_CONNECT_TIMEOUT 10

#define RATE 24000
#define BYTES_PER_SAMPLE 2
/* The server refuses to commit less audio than this. */
#define MIN_COMMIT_MS 100
/* Audio waiting to be sent before chain() blocks: 2 s of base64. */
#define MAX_QUEUED_BYTES (RATE * BYTES_PER_SAMPLE * 2 * 4 / 3)
/* How long chain() waits for the network before failing. */
#define SEND_TIMEOUT_US (30 * G_USEC_PER_SEC)
/* Text deltas have no duration of their own: give each character the time
 * it takes to say it, about 15 characters a second. */
#define TEXT_TIME_PER_CHAR (66 * GST_MSECOND)
/* In live pipelines idle pads advance to the input time less this, which
 * leaves the server time to report speech that started before it. */
#define LIVE_GAP_HOLDBACK GST_SECOND

#define AUDIO_CAPS "audio/x-raw, format=(string)S16LE, rate=(int)24000, " \
    "channels=(int)1, layout=(string)interleaved"

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
  PROP_INSTRUCTIONS,
  PROP_OUTPUT_MODALITIES,
  PROP_VOICE,
  PROP_CHUNK_DURATION,
  PROP_DRAIN_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
};

struct _GstRealtimeAI
{
  GstElement parent;

  GstPad *sinkpad;
  GstRealtimeOutput *audio_out;
  GstRealtimeOutput *text_out;

  /* properties, under the object lock */
  gchar *url;
  gchar *model;
  gchar *api_key;
  gchar *instructions;
  gchar *voice;
  GstRealtimeOutputModality output_modality;
  guint chunk_duration;
  guint drain_timeout;
  guint connect_timeout;

  /* streaming thread only */
  GstAdapter *adapter;
  gsize chunk_bytes;
  gboolean live;

  /* shared with the session thread and the pad tasks, under lock */
  GMutex lock;
  GCond cond;
  GstRealtimeSession *session;
  GstRealtimeSessionConfig config;
  GstRealtimeTimeline *timeline;
  GstFlowCombiner *flow_combiner;
  GstFlowReturn flow;
  gboolean failed;
  gboolean flushing;
  guint64 next_event_id;
  gchar *session_update_id;

  GstRealtimeTurns *turns;
  guint vad_commits_expected;   /* speech_stopped not yet committed */
  gint64 committed_ms;          /* appended audio the server committed */
  gboolean response_expected;   /* the server will start one by itself */
  gchar *pending_commit_id;
  gchar *pending_response_id;
  gboolean commit_wants_response;
};

#define gst_realtime_ai_parent_class parent_class
G_DEFINE_TYPE (GstRealtimeAI, gst_realtime_ai, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (realtimeai, "realtimeai", GST_RANK_NONE,
    GST_TYPE_REALTIME_AI);

/* ------------------------------------------------------------------ */
/* Sending */

static gchar *
next_event_id_locked (GstRealtimeAI * self)
{
  return g_strdup_printf ("gstrt_%" G_GUINT64_FORMAT, ++self->next_event_id);
}

/* Queues a small control event behind the audio already queued. */
static void
queue_control_locked (GstRealtimeAI * self, gchar * event)
{
  gst_realtime_session_queue (self->session, event, -1, NULL);
}

static void
send_commit_locked (GstRealtimeAI * self, gboolean want_response)
{
  g_free (self->pending_commit_id);
  self->pending_commit_id = next_event_id_locked (self);
  self->commit_wants_response = want_response;
  self->committed_ms = gst_realtime_timeline_get_ms (self->timeline);
  queue_control_locked (self,
      gst_realtime_protocol_build_commit (self->pending_commit_id));
}

static void
send_response_create_locked (GstRealtimeAI * self)
{
  g_free (self->pending_response_id);
  self->pending_response_id = next_event_id_locked (self);
  queue_control_locked (self,
      gst_realtime_protocol_build_response_create (self->pending_response_id));
}

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

static GstBuffer *
make_text_buffer (const gchar * text, GstClockTime pts)
{
  gsize size = strlen (text);
  GstBuffer *buffer = gst_buffer_new_memdup (text, size);

  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) =
      MAX (1, g_utf8_strlen (text, size)) * TEXT_TIME_PER_CHAR;
  return buffer;
}

static void
push_text_locked (GstRealtimeAI * self, GstRealtimeReply * reply,
    const gchar * text)
{
  GstBuffer *buffer;
  GstClockTime pts;

  if (!text || !*text)
    return;
  buffer = make_text_buffer (text, reply->text_next);
  pts = gst_realtime_output_queue_buffer (self->text_out, buffer);
  if (GST_CLOCK_TIME_IS_VALID (pts))
    reply->text_next = gst_realtime_output_get_end (self->text_out);
}

static void
push_audio_locked (GstRealtimeAI * self, GstRealtimeReply * reply,
    GstRealtimeServerEvent * event)
{
  guint64 n_samples = event->audio_size / BYTES_PER_SAMPLE;
  GstBuffer *buffer;

  if (n_samples == 0)
    return;

  buffer = gst_buffer_new_wrapped (event->audio, n_samples * BYTES_PER_SAMPLE);
  event->audio = NULL;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n_samples,
      GST_SECOND, RATE);
  if (!GST_CLOCK_TIME_IS_VALID (reply->audio_next)) {
    /* A new response starts a new stretch of the reply timeline, after the
     * turn it answers and, when live, no earlier than now: a live sink
     * would drop audio stamped in the past. */
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    reply->audio_next = reply->turn_end;
    if (self->live)
      reply->audio_next = MAX (reply->audio_next,
          gst_realtime_timeline_get_end (self->timeline));
  }
  GST_BUFFER_PTS (buffer) = reply->audio_next;
  if (GST_CLOCK_TIME_IS_VALID (gst_realtime_output_queue_buffer
          (self->audio_out, buffer)))
    reply->audio_next = gst_realtime_output_get_end (self->audio_out);
}

/* Nothing will be stamped before the start of a turn that is open or not
 * answered yet, so idle pads may advance only while nothing is pending. */
static gboolean
replies_pending_locked (GstRealtimeAI * self)
{
  return self->response_expected || self->pending_response_id
      || self->pending_commit_id || gst_realtime_turns_pending (self->turns);
}

static void
advance_outputs_locked (GstRealtimeAI * self, GstClockTime position)
{
  if (!GST_CLOCK_TIME_IS_VALID (position) || replies_pending_locked (self))
    return;
  gst_realtime_output_advance (self->audio_out, position);
  gst_realtime_output_advance (self->text_out, position);
}

/* ------------------------------------------------------------------ */
/* Server events, on the session thread */

static void
handle_session_created_locked (GstRealtimeAI * self)
{
  g_free (self->session_update_id);
  self->session_update_id = next_event_id_locked (self);
  gst_realtime_session_send_now (self->session,
      gst_realtime_protocol_build_session_update (&self->config,
          self->session_update_id));
}

static void
handle_speech_started_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  GstClockTime start = gst_realtime_timeline_lookup (self->timeline,
      event->audio_start_ms);

  GST_DEBUG_OBJECT (self, "speech started at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (start));
  gst_realtime_turns_start_speech (self->turns, start);
}

static void
end_turn_locked (GstRealtimeAI * self, gint64 end_ms)
{
  GstClockTime end = gst_realtime_timeline_lookup (self->timeline, end_ms);

  GST_DEBUG_OBJECT (self, "speech ended at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (end));
  gst_realtime_turns_end_speech (self->turns, end);
  self->committed_ms = MAX (self->committed_ms, end_ms);
}

static void
handle_speech_stopped_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  end_turn_locked (self, event->audio_end_ms);
  self->response_expected = self->config.turn_detection.create_response;
  self->vad_commits_expected++;
}

/* Commits carry no event_id. The server VAD's follow a speech_stopped, so
 * one that follows none answers ours. */
static void
handle_committed_locked (GstRealtimeAI * self)
{
  if (self->vad_commits_expected > 0) {
    self->vad_commits_expected--;
    return;
  }
  if (!self->pending_commit_id)
    return;
  /* our own commit: it ends the turn in progress, if any */
  g_clear_pointer (&self->pending_commit_id, g_free);
  if (self->commit_wants_response
      || gst_realtime_turns_in_speech (self->turns)) {
    end_turn_locked (self, self->committed_ms);
    send_response_create_locked (self);
  }
}

static void
handle_response_created_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  gst_realtime_turns_start_reply (self->turns, event->response_id,
      gst_realtime_timeline_get_end (self->timeline));
  self->response_expected = FALSE;
  g_clear_pointer (&self->pending_response_id, g_free);
}

static GstRealtimeReply *
lookup_reply_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply = gst_realtime_turns_get_reply (self->turns,
      event->response_id);

  if (!reply)
    GST_DEBUG_OBJECT (self, "%s for unknown response %s", event->type_name,
        GST_STR_NULL (event->response_id));
  return reply;
}

static void
handle_response_done_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  if (g_strcmp0 (event->status, "failed") == 0)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The server could not answer: %s"),
            event->error_message ? event->error_message :
            GST_STR_NULL (event->error_code)),
        ("response %s failed: type %s, code %s",
            GST_STR_NULL (event->response_id),
            GST_STR_NULL (event->error_type),
            GST_STR_NULL (event->error_code)));

  gst_realtime_turns_finish_reply (self->turns, event->response_id);
  if (!self->live)
    advance_outputs_locked (self,
        gst_realtime_turns_get_answered_until (self->turns));
}

static gboolean
error_is_fatal (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  return (event->error_event_id &&
      g_strcmp0 (event->error_event_id, self->session_update_id) == 0)
      || (event->error_param && g_str_has_prefix (event->error_param,
          "session."))
      || g_strcmp0 (event->error_code, "invalid_api_key") == 0
      || g_strcmp0 (event->error_code, "insufficient_quota") == 0;
}

/* Clears the request an error answers, matched by its event_id. */
static void
settle_failed_request_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  if (!event->error_event_id)
    return;
  if (g_strcmp0 (event->error_event_id, self->pending_commit_id) == 0)
    g_clear_pointer (&self->pending_commit_id, g_free);
  else if (g_strcmp0 (event->error_event_id, self->pending_response_id) == 0)
    g_clear_pointer (&self->pending_response_id, g_free);
}

static void
handle_error_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  const gchar *message = event->error_message ? event->error_message :
      GST_STR_NULL (event->error_code);

  settle_failed_request_locked (self, event);

  if (error_is_fatal (self, event)) {
    self->failed = TRUE;
    if (g_strcmp0 (event->error_code, "invalid_api_key") == 0)
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
          (_("The server refused the API key: %s"), message),
          ("error code %s", GST_STR_NULL (event->error_code)));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          (_("The server rejected the session configuration: %s"), message),
          ("error type %s, code %s, param %s",
              GST_STR_NULL (event->error_type),
              GST_STR_NULL (event->error_code),
              GST_STR_NULL (event->error_param)));
    return;
  }

  if (g_strcmp0 (event->error_code, "input_audio_buffer_commit_empty") == 0
      && self->config.turn_detection.type != GST_REALTIME_TURN_DETECTION_NONE) {
    /* the server VAD emptied the buffer first: harmless */
    GST_DEBUG_OBJECT (self, "commit found an empty buffer");
    return;
  }

  GST_ELEMENT_WARNING (self, RESOURCE, READ,
      (_("The server reported an error: %s"), message),
      ("error type %s, code %s, param %s, event %s",
          GST_STR_NULL (event->error_type), GST_STR_NULL (event->error_code),
          GST_STR_NULL (event->error_param),
          GST_STR_NULL (event->error_event_id)));
}

static void
handle_output_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply = lookup_reply_locked (self, event);

  if (!reply)
    return;
  if (event->type == GST_REALTIME_EVENT_AUDIO_DELTA)
    push_audio_locked (self, reply, event);
  else
    push_text_locked (self, reply, event->text);
}

static void
handle_event_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  switch (event->type) {
    case GST_REALTIME_EVENT_SESSION_CREATED:
      handle_session_created_locked (self);
      break;
    case GST_REALTIME_EVENT_SESSION_UPDATED:
      gst_realtime_session_open_queue (self->session);
      break;
    case GST_REALTIME_EVENT_ERROR:
      handle_error_locked (self, event);
      break;
    case GST_REALTIME_EVENT_SPEECH_STARTED:
      handle_speech_started_locked (self, event);
      break;
    case GST_REALTIME_EVENT_SPEECH_STOPPED:
      handle_speech_stopped_locked (self, event);
      break;
    case GST_REALTIME_EVENT_INPUT_COMMITTED:
      handle_committed_locked (self);
      break;
    case GST_REALTIME_EVENT_RESPONSE_CREATED:
      handle_response_created_locked (self, event);
      break;
    case GST_REALTIME_EVENT_RESPONSE_DONE:
      handle_response_done_locked (self, event);
      break;
    case GST_REALTIME_EVENT_AUDIO_DELTA:
    case GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_REALTIME_EVENT_TEXT_DELTA:
      handle_output_locked (self, event);
      break;
    default:
      GST_DEBUG_OBJECT (self, "ignoring %s", event->type_name);
      break;
  }
}

static void
on_session_event (GstRealtimeSession * session,
    GstRealtimeServerEvent * event, gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  handle_event_locked (self, event);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  gst_realtime_server_event_free (event);
}

static void
on_session_malformed (GstRealtimeSession * session, const GError * error,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  GST_ELEMENT_WARNING (self, STREAM, DECODE,
      (_("Ignored an invalid message from the server.")),
      ("%s", error->message));
}

static void
post_session_error (GstRealtimeAI * self, const GError * error)
{
  switch (error->code) {
    case GST_REALTIME_SESSION_ERROR_AUTH:
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
          (_("The server refused the API key. Check the api-key property "
                  "or the OPENAI_API_KEY environment variable.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_SESSION_ERROR_TLS:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("Could not establish a secure connection to the server.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_SESSION_ERROR_HANDSHAKE:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("The server did not accept a Realtime session.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_SESSION_ERROR_CLOSED:
      GST_ELEMENT_ERROR (self, RESOURCE, READ,
          (_("The server closed the connection.")), ("%s", error->message));
      break;
    case GST_REALTIME_SESSION_ERROR_TIMEOUT:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("The server did not answer in time.")), ("%s", error->message));
      break;
    default:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("Could not connect to the server.")), ("%s", error->message));
      break;
  }
}

static void
on_session_failed (GstRealtimeSession * session, const GError * error,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  gboolean report;

  g_mutex_lock (&self->lock);
  report = !self->failed && !self->flushing;
  g_mutex_unlock (&self->lock);

  /* post before the sink sees the failure: its GST_FLOW_ERROR would
   * otherwise make upstream post a vaguer error first */
  if (report)
    post_session_error (self, error);

  g_mutex_lock (&self->lock);
  self->failed = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
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
  event_id = next_event_id_locked (self);
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
    available -= available % BYTES_PER_SAMPLE;
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

static GstFlowReturn
gst_realtime_ai_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstRealtimeAI *self = GST_REALTIME_AI (parent);
  guint64 n_samples = gst_buffer_get_size (buffer) / BYTES_PER_SAMPLE;
  GstClockTime input_end;
  GstFlowReturn ret;

  g_mutex_lock (&self->lock);
  ret = check_flow_locked (self);
  if (ret == GST_FLOW_OK) {
    gst_realtime_timeline_append (self->timeline, GST_BUFFER_PTS (buffer),
        n_samples);
    input_end = gst_realtime_timeline_get_end (self->timeline);
    if (self->live && input_end > LIVE_GAP_HOLDBACK)
      advance_outputs_locked (self, input_end - LIVE_GAP_HOLDBACK);
  }
  g_mutex_unlock (&self->lock);

  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buffer);
    return ret;
  }

  gst_adapter_push (self->adapter, buffer);
  return send_chunks (self, self->chunk_bytes);
}

static gboolean
drained_locked (GstRealtimeAI * self)
{
  return self->failed || self->flushing || !replies_pending_locked (self);
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
    send_commit_locked (self, self->config.turn_detection.type ==
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
  self->response_expected = FALSE;
  self->vad_commits_expected = 0;
  g_clear_pointer (&self->pending_commit_id, g_free);
  g_clear_pointer (&self->pending_response_id, g_free);
}

static void
handle_eos (GstRealtimeAI * self)
{
  GstClockTime end;

  drain (self);

  g_mutex_lock (&self->lock);
  forget_replies_locked (self);
  end = gst_realtime_timeline_get_end (self->timeline);
  advance_outputs_locked (self, end);
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

    caps = gst_pad_get_pad_template_caps (pad);
    gst_realtime_output_queue_event (outputs[i], gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
  gst_event_unref (event);
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
  if (self->session) {
    gst_realtime_session_set_flushing (self->session, FALSE);
    /* what the server holds belongs to the old position */
    event_id = next_event_id_locked (self);
    queue_control_locked (self, gst_realtime_protocol_build_clear (event_id));
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
      /* the template allows exactly one format; the outputs have theirs */
      gst_event_unref (event);
      return TRUE;
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

static gchar *
build_url (GstRealtimeAI * self)
{
  GUri *uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  const gchar *query;
  gchar *model_query, *new_query, *url;
  GUri *with_model;

  if (!uri)
    return NULL;
  query = g_uri_get_query (uri);
  if (!self->model || !*self->model || (query && strstr (query, "model="))) {
    g_uri_unref (uri);
    return g_strdup (self->url);
  }

  model_query = g_uri_escape_string (self->model, NULL, TRUE);
  new_query = query && *query ? g_strdup_printf ("%s&model=%s", query,
      model_query) : g_strdup_printf ("model=%s", model_query);
  with_model = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri),
      g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
      g_uri_get_path (uri), new_query, g_uri_get_fragment (uri));
  url = g_uri_to_string (with_model);
  g_uri_unref (with_model);
  g_uri_unref (uri);
  g_free (model_query);
  g_free (new_query);
  return url;
}

static void
reset_conversation_locked (GstRealtimeAI * self)
{
  gst_realtime_timeline_reset (self->timeline);
  forget_replies_locked (self);
  self->committed_ms = 0;
  self->next_event_id = 0;
  self->flow = GST_FLOW_OK;
  self->failed = self->flushing = FALSE;
  g_clear_pointer (&self->session_update_id, g_free);
  gst_flow_combiner_reset (self->flow_combiner);
}

static void
fill_config (GstRealtimeAI * self)
{
  gst_realtime_session_config_init (&self->config);
  self->config.instructions = self->instructions;
  self->config.voice = self->voice;
  self->config.output_modality = self->output_modality;
}

static gboolean
start_session (GstRealtimeAI * self)
{
  static const GstRealtimeSessionCallbacks callbacks = {
    on_session_event, on_session_malformed, on_session_failed
  };
  GstRealtimeSessionParams params = { 0, };
  gchar *url, *api_key;

  GST_OBJECT_LOCK (self);
  url = build_url (self);
  api_key = g_strdup (self->api_key ? self->api_key :
      g_getenv ("OPENAI_API_KEY"));
  self->chunk_bytes = RATE * BYTES_PER_SAMPLE * self->chunk_duration / 1000;
  params.timeout_s = self->connect_timeout;
  fill_config (self);
  GST_OBJECT_UNLOCK (self);

  if (!url) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server URL is not valid.")), ("url: %s", self->url));
    g_free (api_key);
    return FALSE;
  }

  params.url = url;
  params.api_key = api_key;
  params.max_queued_bytes = MAX_QUEUED_BYTES;

  g_mutex_lock (&self->lock);
  reset_conversation_locked (self);
  self->session = gst_realtime_session_new (&params, &callbacks, self);
  gst_realtime_session_start (self->session);
  g_mutex_unlock (&self->lock);

  if (api_key)
    memset (api_key, 0, strlen (api_key));
  g_free (api_key);
  g_free (url);
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
    case PROP_INSTRUCTIONS:
      replace_string (self, &self->instructions, value);
      break;
    case PROP_VOICE:
      replace_string (self, &self->voice, value);
      break;
    case PROP_OUTPUT_MODALITIES:
      GST_OBJECT_LOCK (self);
      self->output_modality = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CHUNK_DURATION:
      GST_OBJECT_LOCK (self);
      self->chunk_duration = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_DRAIN_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->drain_timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CONNECT_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->connect_timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_realtime_ai_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstRealtimeAI *self = GST_REALTIME_AI (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_INSTRUCTIONS:
      g_value_set_string (value, self->instructions);
      break;
    case PROP_VOICE:
      g_value_set_string (value, self->voice);
      break;
    case PROP_OUTPUT_MODALITIES:
      g_value_set_enum (value, self->output_modality);
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
  if (self->api_key)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->instructions);
  g_free (self->voice);
  g_object_unref (self->adapter);
  gst_realtime_output_free (self->audio_out);
  gst_realtime_output_free (self->text_out);
  gst_flow_combiner_free (self->flow_combiner);
  gst_realtime_timeline_free (self->timeline);
  gst_realtime_turns_free (self->turns);
  g_free (self->pending_commit_id);
  g_free (self->pending_response_id);
  g_free (self->session_update_id);
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
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_flow_combiner_add_pad (self->flow_combiner, pad);
  return gst_realtime_output_new (pad, gst_realtime_ai_combine_flow, self);
}

static void
gst_realtime_ai_init (GstRealtimeAI * self)
{
  self->url = g_strdup (DEFAULT_URL);
  self->model = g_strdup (DEFAULT_MODEL);
  self->instructions = g_strdup (DEFAULT_INSTRUCTIONS);
  self->voice = g_strdup (DEFAULT_VOICE);
  self->output_modality = DEFAULT_OUTPUT_MODALITY;
  self->chunk_duration = DEFAULT_CHUNK_DURATION;
  self->drain_timeout = DEFAULT_DRAIN_TIMEOUT;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->adapter = gst_adapter_new ();
  self->timeline = gst_realtime_timeline_new (RATE);
  self->flow_combiner = gst_flow_combiner_new ();
  self->turns = gst_realtime_turns_new ();

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->audio_out = add_output (self, &src_template);
  self->text_out = add_output (self, &text_src_template);
}

static void
install_properties (GObjectClass * gobject_class)
{
  /**
   * GstRealtimeAI:url:
   *
   * The WebSocket endpoint. The #GstRealtimeAI:model is added as the
   * `model` query parameter unless the URL names one.
   */
  g_object_class_install_property (gobject_class, PROP_URL,
      g_param_spec_string ("url", "URL",
          "WebSocket URL of the Realtime server (ws:// or wss://)",
          DEFAULT_URL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:model:
   *
   * The model to talk to; empty to leave it to the URL or the server.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name, sent as the model query parameter of the URL",
          DEFAULT_MODEL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:api-key:
   *
   * The API key or ephemeral client secret, sent as a Bearer token.
   * Write-only; when unset the `OPENAI_API_KEY` environment variable is used.
   */
  g_object_class_install_property (gobject_class, PROP_API_KEY,
      g_param_spec_string ("api-key", "API key",
          "API key sent as a Bearer token (write-only; default: the "
          "OPENAI_API_KEY environment variable)", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:instructions:
   *
   * The system instructions of the session.
   */
  g_object_class_install_property (gobject_class, PROP_INSTRUCTIONS,
      g_param_spec_string ("instructions", "Instructions",
          "System instructions for the model (empty: the server's default)",
          DEFAULT_INSTRUCTIONS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:output-modalities:
   *
   * Whether the model replies with speech (on `src`, with its transcript
   * on `text_src`) or with text only (on `text_src`).
   */
  g_object_class_install_property (gobject_class, PROP_OUTPUT_MODALITIES,
      g_param_spec_enum ("output-modalities", "Output modalities",
          "What the model replies with", GST_TYPE_REALTIME_OUTPUT_MODALITY,
          DEFAULT_OUTPUT_MODALITY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
  /**
   * GstRealtimeAI:voice:
   *
   * The voice of spoken replies: alloy, ash, ballad, coral, echo, sage,
   * shimmer, verse, marin, cedar. Empty for the server's default.
   */
  g_object_class_install_property (gobject_class, PROP_VOICE,
      g_param_spec_string ("voice", "Voice",
          "Voice of spoken replies, e.g. marin or cedar (empty: the "
          "server's default)", DEFAULT_VOICE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
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
          DEFAULT_CHUNK_DURATION, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
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
  /**
   * GstRealtimeAI:connect-timeout:
   *
   * Seconds to wait for the server to accept the connection.
   */
  g_object_class_install_property (gobject_class, PROP_CONNECT_TIMEOUT,
      g_param_spec_uint ("connect-timeout", "Connect timeout",
          "Seconds to wait for the server to accept the connection", 1, 300,
          DEFAULT_CONNECT_TIMEOUT, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_READY));
}

static void
gst_realtime_ai_class_init (GstRealtimeAIClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_realtime_ai_debug, "realtimeai", 0,
      "Realtime speech AI element");

  gobject_class->set_property = gst_realtime_ai_set_property;
  gobject_class->get_property = gst_realtime_ai_get_property;
  gobject_class->finalize = gst_realtime_ai_finalize;
  install_properties (gobject_class);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_realtime_ai_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class, &text_src_template);
  gst_element_class_set_static_metadata (element_class,
      "Realtime speech AI", "Filter/Audio/Network",
      "Talks to an OpenAI Realtime API compatible server: audio in, reply "
      "audio and text out", "gst-realtime authors");

  gst_type_mark_as_plugin_api (GST_TYPE_REALTIME_OUTPUT_MODALITY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_REALTIME_TURN_DETECTION, 0);
}
