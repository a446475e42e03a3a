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
 * The sink takes S16LE mono audio at 24 kHz, or G.711 at 8 kHz; put
 * `audioconvert ! audioresample` in front of it. Audio is sent in chunks of
 * #GstRealtimeAI:chunk-duration milliseconds. The server detects turns in
 * the audio and answers each one. Text is stamped on the turn it answers,
 * reply audio on a continuous timeline of its own that starts after the
 * turn. At EOS the element commits the audio the server has not committed
 * yet, waits for the replies still coming (at most
 * #GstRealtimeAI:drain-timeout milliseconds) and then ends both source
 * pads.
 *
 * With #GstRealtimeAI:session-type `transcription` the model never
 * replies and `text_src` carries what was said (subtitles). Function
 * calls, push-to-talk and raw events go through signals; transcripts,
 * usage, rate limits and server errors come as element messages. Live
 * input adds #GstRealtimeAI:latency to the pipeline latency; file input in
 * a conversation is answered one turn at a time at real time.
 *
 * The key comes from #GstRealtimeAI:api-key, or else from the
 * `OPENAI_API_KEY` environment variable (`AZURE_OPENAI_API_KEY` for Azure
 * URLs). It is never logged.
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
#include "gstrealtimewebsocket.h"

GST_DEBUG_CATEGORY (gst_realtime_ai_debug);
#define GST_CAT_DEFAULT gst_realtime_ai_debug

#define DEFAULT_URL "wss://api.openai.com/v1/realtime"
#define DEFAULT_MODEL "gpt-realtime-2"
#define DEFAULT_PROTOCOL GST_REALTIME_PROTOCOL_AUTO
#define DEFAULT_AUTH GST_REALTIME_AUTH_AUTO
#define DEFAULT_CHUNK_DURATION 50
#define DEFAULT_DRAIN_TIMEOUT 10000
#define DEFAULT_CONNECT_TIMEOUT 10
#define DEFAULT_RECONNECT TRUE
#define DEFAULT_RETRY_AT_START FALSE
#define DEFAULT_MAX_RECONNECT_ATTEMPTS 10
#define DEFAULT_MIN_RECONNECT_DELAY 500
#define DEFAULT_MAX_RECONNECT_DELAY 30000
#define DEFAULT_MAX_BUFFERED_TIME 10000
#define MAX_DELAY_MS 600000

/* Audio waiting to be sent before chain() blocks: 2 s of 24 kHz PCM, in
 * base64. */
#define MAX_QUEUED_BYTES (24000 * 2 * 2 * 4 / 3)
/* The latency budget of live pipelines: a typical turn of about 5 s,
 * the 0.5 s of silence that ends it and a second or two for the model, so
 * that subtitles stamped on the speech are still on time. */
#define DEFAULT_LATENCY 8000
#define DEFAULT_LATENESS 0
#define MAX_LATENCY 120000
/* Transcription sessions need a model; this one when none is set. */
#define DEFAULT_TRANSCRIPTION_MODEL "gpt-live-transcribe"

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
  PROP_TLS_CA_FILE,
  PROP_TLS_STRICT,
  PROP_ALLOW_PLAIN_KEY,
  PROP_LATENCY,
  PROP_LATENESS,
  PROP_MAX_OBSERVED_DELAY,
  PROP_RECONNECT,
  PROP_RETRY_AT_START,
  PROP_MAX_RECONNECT_ATTEMPTS,
  PROP_MIN_RECONNECT_DELAY,
  PROP_MAX_RECONNECT_DELAY,
  PROP_MAX_BUFFERED_TIME,
};

#define gst_realtime_ai_parent_class parent_class
G_DEFINE_TYPE (GstRealtimeAI, gst_realtime_ai, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (realtimeai, "realtimeai", GST_RANK_NONE,
    GST_TYPE_REALTIME_AI);

/* ------------------------------------------------------------------ */
/* State */

static void
reset_conversation_locked (GstRealtimeAI * self)
{
  gst_realtime_timeline_reset (gst_realtime_core_get_timeline (self->core));
  gst_realtime_core_forget (self->core);
  gst_realtime_ai_clear_notices (self);
  self->interrupt_due = FALSE;
  gst_realtime_ai_connection_reset_locked (self);
  gst_realtime_core_reset (self->core);
  self->flow = GST_FLOW_OK;
  self->failed = self->flushing = FALSE;
  self->formats.have_caps = FALSE;
  gst_realtime_core_set_input (self->core, self->input.live, FALSE);
  self->input.next_chunk_pts = 0;
  self->input.chunks_sent = 0;
  self->max_observed_delay = 0;
  gst_flow_combiner_reset (self->flow_combiner);
}

/* The session's configuration, from a copy of the settings that stays
 * put while the session runs. */
static void
configure_locked (GstRealtimeAI * self, GstRealtimeProtocolVersion dialect)
{
  GstRealtimeSettings *active = &self->active;
  GstRealtimeTurns *turns;
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

  turns = gst_realtime_core_get_turns (self->core);
  gst_realtime_turns_expect_transcripts (turns,
      gst_realtime_settings_transcribes (active));
  gst_realtime_turns_set_text_output (turns, transcription
      || active->text_output != GST_REALTIME_TEXT_OUTPUT_REPLIES,
      !transcription
      && active->text_output != GST_REALTIME_TEXT_OUTPUT_TRANSCRIPTS);
}

static gchar *
find_key (GstRealtimeAI * self, const GstRealtimeEndpoint * endpoint)
{
  guint i;

  if (self->server.api_key && *self->server.api_key)
    return g_strdup (self->server.api_key);
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
  for (i = 0; self->server.extra_headers &&
      i < (guint) gst_structure_n_fields (self->server.extra_headers); i++) {
    const gchar *name =
        gst_structure_nth_field_name (self->server.extra_headers, i);
    const GValue *value =
        gst_structure_get_value (self->server.extra_headers, name);

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

/* A key never crosses the network unencrypted unless the user said so. */
static gboolean
transport_is_safe (GstRealtimeAI * self, const GstRealtimeEndpoint * endpoint,
    const gchar * api_key)
{
  gboolean allowed;

  GST_OBJECT_LOCK (self);
  allowed = self->server.allow_plain_key;
  GST_OBJECT_UNLOCK (self);
  if (!endpoint->plain_remote || !api_key || !*api_key || allowed)
    return TRUE;
  GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
      (_("Refusing to send the API key unencrypted to another machine: use "
              "wss://, or set allow-plain-key.")), ("url: %s", endpoint->url));
  return FALSE;
}

/* tls-ca-file, and tls-strict=false, for servers with private CAs. */
static gboolean
load_tls_database (GstRealtimeAI * self, GstRealtimeWebSocketParams * params)
{
  gchar *ca_file;
  GError *error = NULL;
  gboolean loaded = TRUE;

  GST_OBJECT_LOCK (self);
  ca_file = g_strdup (self->server.tls_ca_file);
  params->tls_insecure = !self->server.tls_strict;
  GST_OBJECT_UNLOCK (self);
  if (ca_file && *ca_file) {
    params->tls_database = g_tls_file_database_new (ca_file, &error);
    loaded = params->tls_database != NULL;
  }
  if (!loaded) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("Could not read the certificate authorities in %s."), ca_file),
        ("%s", error->message));
    g_error_free (error);
  }
  g_free (ca_file);
  return loaded;
}

static gboolean
start_session (GstRealtimeAI * self)
{
  static const GstRealtimeTransportCallbacks callbacks = {
    gst_realtime_ai_on_transport_event, gst_realtime_ai_on_transport_malformed,
    gst_realtime_ai_on_transport_closed
  };
  GstRealtimeWebSocketParams params = { 0, };
  GstRealtimeEndpoint endpoint;
  GstRealtimeAudioFormat in_format, out_format;
  gchar *api_key = NULL, **headers = NULL;
  gboolean resolved;

  GST_OBJECT_LOCK (self);
  resolved =
      gst_realtime_endpoint_resolve (&endpoint, self->server.url,
      self->server.model, self->settings.session_type, self->server.protocol,
      self->server.auth);
  if (resolved) {
    api_key = find_key (self, &endpoint);
    headers = collect_headers (self, &endpoint);
  }
  params.timeout_s = self->server.connect_timeout;
  GST_OBJECT_UNLOCK (self);

  if (!resolved) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server URL is not valid.")), ("url: %s", self->server.url));
    return FALSE;
  }
  if (!transport_is_safe (self, &endpoint, api_key)
      || !load_tls_database (self, &params)) {
    forget_key (api_key);
    g_strfreev (headers);
    gst_realtime_endpoint_clear (&endpoint);
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
  gst_realtime_ai_guess_formats (self, &in_format, &out_format);

  g_mutex_lock (&self->lock);
  reset_conversation_locked (self);
  configure_locked (self, endpoint.dialect);
  self->config.input_format = in_format;
  self->config.output_format = out_format;
  gst_realtime_ai_connection_start_locked (self);
  /* the one place that chooses the transport */
  self->transport = gst_realtime_websocket_transport_new (&params, &callbacks,
      self);
  gst_realtime_transport_start (self->transport);
  g_mutex_unlock (&self->lock);
  gst_realtime_ai_deliver (self);

  forget_key (api_key);
  g_strfreev (headers);
  g_clear_object (&params.tls_database);
  gst_realtime_endpoint_clear (&endpoint);
  return TRUE;
}

static void
stop_session (GstRealtimeAI * self)
{
  GstRealtimeTransport *transport;

  g_mutex_lock (&self->lock);
  transport = self->transport;
  g_mutex_unlock (&self->lock);

  /* joins the transport's thread, whose callbacks take self->lock */
  gst_realtime_transport_free (transport);

  g_mutex_lock (&self->lock);
  self->transport = NULL;
  g_mutex_unlock (&self->lock);
}

static void
unblock_streaming (GstRealtimeAI * self)
{
  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  gst_realtime_ai_wake_locked (self);
  if (self->transport)
    gst_realtime_transport_set_flushing (self->transport, TRUE);
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
      gst_adapter_clear (self->input.adapter);
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
      gst_adapter_clear (self->input.adapter);
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
    replace_string (self, &self->server.url, value);
  }
  g_free (scheme);
}

static void
set_extra_headers (GstRealtimeAI * self, const GValue * value)
{
  const GstStructure *headers = gst_value_get_structure (value);

  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->server.extra_headers, gst_structure_free);
  if (headers)
    self->server.extra_headers = gst_structure_copy (headers);
  GST_OBJECT_UNLOCK (self);
}

static void
set_number (GstRealtimeAI * self, guint * field, guint value)
{
  GST_OBJECT_LOCK (self);
  *field = value;
  GST_OBJECT_UNLOCK (self);
}

static void
set_flag (GstRealtimeAI * self, gboolean * field, gboolean value)
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
  changed = self->timing.latency_ms != latency_ms;
  self->timing.latency_ms = latency_ms;
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
      replace_string (self, &self->server.model, value);
      break;
    case PROP_API_KEY:
      replace_string (self, &self->server.api_key, value);
      break;
    case PROP_PROTOCOL:
      set_number (self, &self->server.protocol, g_value_get_enum (value));
      break;
    case PROP_AUTH:
      set_number (self, &self->server.auth, g_value_get_enum (value));
      break;
    case PROP_EXTRA_HEADERS:
      set_extra_headers (self, value);
      break;
    case PROP_CHUNK_DURATION:
      set_number (self, &self->timing.chunk_duration, g_value_get_uint (value));
      break;
    case PROP_DRAIN_TIMEOUT:
      set_number (self, &self->timing.drain_timeout, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      set_number (self, &self->server.connect_timeout,
          g_value_get_uint (value));
      break;
    case PROP_TLS_CA_FILE:
      replace_string (self, &self->server.tls_ca_file, value);
      break;
    case PROP_TLS_STRICT:
      set_flag (self, &self->server.tls_strict, g_value_get_boolean (value));
      break;
    case PROP_ALLOW_PLAIN_KEY:
      set_flag (self, &self->server.allow_plain_key,
          g_value_get_boolean (value));
      break;
    case PROP_LATENCY:
      set_latency (self, g_value_get_int (value));
      break;
    case PROP_LATENESS:
      set_number (self, &self->timing.lateness_ms, g_value_get_uint (value));
      break;
    case PROP_RECONNECT:
      set_flag (self, &self->reconnection.reconnect,
          g_value_get_boolean (value));
      break;
    case PROP_RETRY_AT_START:
      set_flag (self, &self->reconnection.retry_at_start,
          g_value_get_boolean (value));
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      set_number (self, &self->reconnection.max_attempts,
          g_value_get_uint (value));
      break;
    case PROP_MIN_RECONNECT_DELAY:
      set_number (self, &self->reconnection.min_delay_ms,
          g_value_get_uint (value));
      break;
    case PROP_MAX_RECONNECT_DELAY:
      set_number (self, &self->reconnection.max_delay_ms,
          g_value_get_uint (value));
      break;
    case PROP_MAX_BUFFERED_TIME:
      set_number (self, &self->timing.max_buffered_time,
          g_value_get_uint (value));
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
      g_value_set_string (value, self->server.url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->server.model);
      break;
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->server.protocol);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->server.auth);
      break;
    case PROP_EXTRA_HEADERS:
      gst_value_set_structure (value, self->server.extra_headers);
      break;
    case PROP_CHUNK_DURATION:
      g_value_set_uint (value, self->timing.chunk_duration);
      break;
    case PROP_DRAIN_TIMEOUT:
      g_value_set_uint (value, self->timing.drain_timeout);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->server.connect_timeout);
      break;
    case PROP_TLS_CA_FILE:
      g_value_set_string (value, self->server.tls_ca_file);
      break;
    case PROP_TLS_STRICT:
      g_value_set_boolean (value, self->server.tls_strict);
      break;
    case PROP_ALLOW_PLAIN_KEY:
      g_value_set_boolean (value, self->server.allow_plain_key);
      break;
    case PROP_LATENCY:
      g_value_set_int (value, self->timing.latency_ms);
      break;
    case PROP_LATENESS:
      g_value_set_uint (value, self->timing.lateness_ms);
      break;
    case PROP_MAX_OBSERVED_DELAY:
      g_value_set_uint (value, self->max_observed_delay / GST_MSECOND);
      break;
    case PROP_RECONNECT:
      g_value_set_boolean (value, self->reconnection.reconnect);
      break;
    case PROP_RETRY_AT_START:
      g_value_set_boolean (value, self->reconnection.retry_at_start);
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      g_value_set_uint (value, self->reconnection.max_attempts);
      break;
    case PROP_MIN_RECONNECT_DELAY:
      g_value_set_uint (value, self->reconnection.min_delay_ms);
      break;
    case PROP_MAX_RECONNECT_DELAY:
      g_value_set_uint (value, self->reconnection.max_delay_ms);
      break;
    case PROP_MAX_BUFFERED_TIME:
      g_value_set_uint (value, self->timing.max_buffered_time);
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

  g_free (self->server.url);
  g_free (self->server.model);
  g_free (self->server.tls_ca_file);
  forget_key (self->server.api_key);
  g_clear_pointer (&self->server.extra_headers, gst_structure_free);
  gst_realtime_settings_clear (&self->settings);
  gst_realtime_settings_clear (&self->active);
  g_object_unref (self->input.adapter);
  gst_realtime_output_free (self->audio_out);
  gst_realtime_output_free (self->text_out);
  gst_flow_combiner_free (self->flow_combiner);
  gst_realtime_core_free (self->core);
  gst_realtime_ai_clear_notices (self);
  gst_realtime_link_free (self->link);
  gst_realtime_backlog_free (self->backlog);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_realtime_ai_init (GstRealtimeAI * self)
{
  self->server.url = g_strdup (DEFAULT_URL);
  self->server.model = g_strdup (DEFAULT_MODEL);
  self->server.protocol = DEFAULT_PROTOCOL;
  self->server.auth = DEFAULT_AUTH;
  self->timing.chunk_duration = DEFAULT_CHUNK_DURATION;
  self->timing.drain_timeout = DEFAULT_DRAIN_TIMEOUT;
  self->server.connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->server.tls_strict = TRUE;
  self->timing.latency_ms = DEFAULT_LATENCY;
  self->timing.lateness_ms = DEFAULT_LATENESS;
  self->reconnection.reconnect = DEFAULT_RECONNECT;
  self->reconnection.retry_at_start = DEFAULT_RETRY_AT_START;
  self->reconnection.max_attempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  self->reconnection.min_delay_ms = DEFAULT_MIN_RECONNECT_DELAY;
  self->reconnection.max_delay_ms = DEFAULT_MAX_RECONNECT_DELAY;
  self->timing.max_buffered_time = DEFAULT_MAX_BUFFERED_TIME;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  gst_realtime_settings_init (&self->settings);
  gst_realtime_settings_init (&self->active);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->input.adapter = gst_adapter_new ();
  self->flow_combiner = gst_flow_combiner_new ();
  self->core = gst_realtime_core_new (gst_realtime_turns_new
      (gst_realtime_ai_push_text, self),
      gst_realtime_timeline_new (GST_REALTIME_TIMELINE_RATE), &self->config);
  gst_realtime_core_set_log_func (self->core, gst_realtime_ai_log_core, self);
  g_queue_init (&self->notices);
  self->link = gst_realtime_link_new ();
  self->backlog = gst_realtime_backlog_new ((GDestroyNotify)
      gst_mini_object_unref);

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->audio_out = gst_realtime_ai_add_output (self, &src_template);
  self->text_out = gst_realtime_ai_add_output (self, &text_src_template);
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
   * GstRealtimeAI:tls-ca-file:
   *
   * A PEM file of certificate authorities to trust instead of the
   * system's, for servers with a private CA.
   */
  g_object_class_install_property (gobject_class, PROP_TLS_CA_FILE,
      g_param_spec_string ("tls-ca-file", "TLS CA file",
          "PEM file of the certificate authorities to trust (default: the "
          "system's)", NULL, FLAGS_READY));
  /**
   * GstRealtimeAI:tls-strict:
   *
   * Verify the server's certificate. Turning it off accepts any
   * certificate, so anyone on the path can read the key and the audio:
   * unsafe, for tests only.
   */
  g_object_class_install_property (gobject_class, PROP_TLS_STRICT,
      g_param_spec_boolean ("tls-strict", "TLS strict",
          "Verify the server certificate (off is unsafe: anyone on the "
          "path can read the key)", TRUE, FLAGS_READY));
  /**
   * GstRealtimeAI:allow-plain-key:
   *
   * Send the key over plain ws:// to a host other than this machine. Off
   * by default: the key would cross the network unencrypted.
   */
  g_object_class_install_property (gobject_class, PROP_ALLOW_PLAIN_KEY,
      g_param_spec_boolean ("allow-plain-key", "Allow plain key",
          "Send the key over unencrypted ws:// to other machines (unsafe)",
          FALSE, FLAGS_READY));
  /**
   * GstRealtimeAI:connect-timeout:
   *
   * Seconds to wait for the server to accept the connection, then for it
   * to start the session: to send `session.created`, and to answer the
   * `session.update`. A server that takes longer has failed the attempt.
   */
  g_object_class_install_property (gobject_class, PROP_CONNECT_TIMEOUT,
      g_param_spec_uint ("connect-timeout", "Connect timeout",
          "Seconds to wait for the server to accept the connection and to "
          "start the session", 1, 300, DEFAULT_CONNECT_TIMEOUT, FLAGS_READY));
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
install_reconnect_properties (GObjectClass * gobject_class)
{
  /**
   * GstRealtimeAI:reconnect:
   *
   * Whether a session that was up reconnects after a recoverable failure:
   * a network drop, close codes 1001, 1005, 1006 and 1011-1013, the
   * server's `session_expired`, or a new connection that fails in a way
   * that may pass (unreachable, timed out, HTTP 429 or 5xx, no session
   * started within #GstRealtimeAI:connect-timeout). The audio of the
   * outage is sent on the new connection and the conversation carried
   * over as text. Refused keys, certificates, other HTTP statuses and
   * closes the server means (3000, 4000, ...) stop the element.
   */
  g_object_class_install_property (gobject_class, PROP_RECONNECT,
      g_param_spec_boolean ("reconnect", "Reconnect",
          "Reconnect after a recoverable connection failure",
          DEFAULT_RECONNECT, FLAGS_READY));
  /**
   * GstRealtimeAI:retry-at-start:
   *
   * Whether the very first connection retries the failures a session that
   * was up would reconnect after (unreachable, timed out, HTTP 429 or
   * 5xx, no session started), with the same backoff and
   * #GstRealtimeAI:max-reconnect-attempts. Off by default: a first
   * connection that fails more likely has wrong settings than a bad
   * network, and says so at once.
   */
  g_object_class_install_property (gobject_class, PROP_RETRY_AT_START,
      g_param_spec_boolean ("retry-at-start", "Retry at start",
          "Retry a first connection that fails in a way that may pass",
          DEFAULT_RETRY_AT_START, FLAGS_READY));
  /**
   * GstRealtimeAI:max-reconnect-attempts:
   *
   * Failed reconnections in a row before the element gives up with an
   * error; 0 never gives up.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_RECONNECT_ATTEMPTS,
      g_param_spec_uint ("max-reconnect-attempts", "Maximum reconnect attempts",
          "Reconnections in a row before giving up (0: no limit)", 0,
          G_MAXINT, DEFAULT_MAX_RECONNECT_ATTEMPTS, FLAGS_READY));
  /**
   * GstRealtimeAI:min-reconnect-delay:
   *
   * Milliseconds before the first reconnection; each further attempt
   * waits twice as long, up to #GstRealtimeAI:max-reconnect-delay.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_RECONNECT_DELAY,
      g_param_spec_uint ("min-reconnect-delay", "Minimum reconnect delay",
          "Milliseconds before the first reconnection", 0, MAX_DELAY_MS,
          DEFAULT_MIN_RECONNECT_DELAY, FLAGS_READY));
  /**
   * GstRealtimeAI:max-reconnect-delay:
   *
   * The longest wait between reconnections, in milliseconds.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_RECONNECT_DELAY,
      g_param_spec_uint ("max-reconnect-delay", "Maximum reconnect delay",
          "Longest wait between reconnections in ms", 0, MAX_DELAY_MS,
          DEFAULT_MAX_RECONNECT_DELAY, FLAGS_READY));
  /**
   * GstRealtimeAI:max-buffered-time:
   *
   * Milliseconds of live input kept while the connection is down (and of
   * audio the server has not settled yet, to send again after a drop).
   * Past it the oldest audio is dropped, with a warning that says how much.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_BUFFERED_TIME,
      g_param_spec_uint ("max-buffered-time", "Maximum buffered time",
          "Milliseconds of audio kept while the connection is down", 0,
          MAX_DELAY_MS, DEFAULT_MAX_BUFFERED_TIME, FLAGS_READY));
}

static void
mark_types_as_api (void)
{
  GType types[] = { GST_TYPE_REALTIME_OUTPUT_MODALITY,
    GST_TYPE_REALTIME_TURN_DETECTION, GST_TYPE_REALTIME_EAGERNESS,
    GST_TYPE_REALTIME_NOISE_REDUCTION, GST_TYPE_REALTIME_SESSION_TYPE,
    GST_TYPE_REALTIME_TEXT_OUTPUT, GST_TYPE_REALTIME_PROTOCOL_VERSION,
    GST_TYPE_REALTIME_AUTH, GST_TYPE_REALTIME_TRANSCRIPTION_DELAY
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

  GST_DEBUG_CATEGORY_INIT (gst_realtime_ai_debug, "realtimeai", 0,
      "Realtime speech AI element");
  GST_DEBUG_CATEGORY_INIT (gst_realtime_core_debug, "realtimecore", 0,
      "Realtime session core (its decisions)");

  gobject_class->set_property = gst_realtime_ai_set_property;
  gobject_class->get_property = gst_realtime_ai_get_property;
  gobject_class->finalize = gst_realtime_ai_finalize;
  install_connection_properties (gobject_class);
  install_streaming_properties (gobject_class);
  install_timing_properties (gobject_class);
  install_reconnect_properties (gobject_class);
  gst_realtime_settings_install_properties (gobject_class);
  gst_realtime_ai_install_notification_signals (klass);
  gst_realtime_ai_install_action_signals (klass);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_realtime_ai_change_state);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class, &text_src_template);
  gst_element_class_set_static_metadata (element_class,
      "Realtime speech AI", "Filter/Audio/Text/Network",
      "Talks to an OpenAI Realtime API compatible server: audio in, reply "
      "audio and text out", GST_REALTIME_AUTHOR);
  gst_element_class_add_static_metadata (element_class,
      GST_ELEMENT_METADATA_DOC_URI, GST_REALTIME_DOC_URI);

  gst_realtime_ai_register_text_meta ();
  mark_types_as_api ();
}
