/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The scripted Realtime server. Everything that touches libsoup runs on the
 * server thread, inside its own GMainContext; what the tests read back
 * (client events, turns, request headers) lives behind `lock`.
 *
 * Each WebSocket gets a Connection holding the effective session, the audio
 * appended since the last commit and the VAD state. A response is built
 * up front as a list of serialised frames and then "pumped" out: all at
 * once, or one delta per timeout with the SLOW fault, so that it stays
 * cancellable and never blocks the thread. */

#include "realtimetestserver.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#define REALTIME_PATH "/v1/realtime"
#define DEFAULT_MODEL "gpt-realtime"
#define DEFAULT_VOICE "marin"
#define SESSION_LIFETIME_S 3600
/* appends may carry 15 MiB of base64; leave room for the JSON around it */
#define MAX_INCOMING_PAYLOAD (32 * 1024 * 1024)
#define MIN_COMMIT_MS 100
#define VAD_FRAMES_PER_S 100
#define VAD_ONSET_FRAMES 3
#define OUTPUT_CHUNKS_PER_S 10
/* how long stop() waits for closing sockets to be finalised */
#define TEARDOWN_TIMEOUT_MS 2000

typedef enum
{
  CODEC_PCM16,
  CODEC_PCMU,
  CODEC_PCMA,
} Codec;

typedef struct
{
  Codec codec;
  guint rate;
} AudioFormat;

typedef struct
{
  gboolean enabled;
  gdouble threshold;
  guint prefix_padding_ms;
  guint silence_duration_ms;
  gboolean create_response;
  gboolean interrupt_response;
} VadConfig;

/* What a response answers: a user turn and how to answer it. */
typedef struct
{
  guint turn;
  GBytes *audio;                /* S16 samples of the turn, or NULL */
  guint audio_rate;
  gboolean text_only;
  JsonNode *metadata;
} ResponseJob;

typedef struct
{
  gchar *json;
  gboolean delay;               /* the SLOW fault waits before this frame */
  gboolean is_delta;
  gsize text_upto;              /* reply text sent once this frame is out */
} Frame;

typedef struct
{
  ResponseJob *job;
  gchar *id;
  gchar *item_id;
  gchar *text;
  GArray *frames;
  guint next;
  gboolean waited;
  GSource *timeout;
} Response;

typedef struct
{
  RealtimeTestServer *server;
  SoupWebsocketConnection *ws;
  JsonObject *session;
  gchar *conversation_id;

  /* derived from the session */
  gboolean text_output;
  AudioFormat in_fmt;
  AudioFormat out_fmt;
  VadConfig vad;

  /* input: positions count samples appended on this connection */
  guint64 total_samples;
  GArray *pending;              /* gint16 appended since the last commit */
  guint64 pending_start;
  gint odd_byte;                /* half a PCM sample carried over, or -1 */

  /* VAD */
  gint64 frame_energy;
  guint frame_fill;
  guint voiced_run;
  guint silent_run;
  gboolean speaking;
  guint64 speech_start;
  guint64 silence_start;
  gchar *speech_item_id;

  /* conversation */
  guint turns;
  GBytes *last_turn_audio;
  guint last_turn_rate;
  gchar *last_item_id;
  Response *response;
  GQueue queued;                /* ResponseJob waiting for the response */
  GSource *expiry;
} Connection;

struct _RealtimeTestServer
{
  /* configuration */
  gchar *api_key;
  guint slow_ms;
  guint lifetime_ms;
  gchar *record_path;
  gint faults;

  /* the server thread */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  GTlsCertificate *certificate;
  guint requested_port;
  guint port;
  gboolean ready;
  GError *start_error;
  GList *connections;
  guint closing_sockets;
  gint id_counter;

  /* what the server saw, guarded by lock */
  GMutex lock;
  GCond cond;
  GPtrArray *events;
  GHashTable *type_counts;
  GArray *turns;
  guint n_connections;
  guint n_open;
  gchar *last_authorization;
  gchar *last_query;
  SoupMessageHeaders *last_headers;
  FILE *record;
};

static void response_pump (Connection * c);
static void connection_next_response (Connection * c);

/* ------------------------------------------------------------------ */
/* small helpers */

static gchar *
new_id (RealtimeTestServer * self, const gchar * prefix)
{
  gint n = g_atomic_int_add (&self->id_counter, 1) + 1;

  return g_strdup_printf ("%s_%06d", prefix, n);
}

static RealtimeTestFault
get_faults (RealtimeTestServer * self)
{
  return (RealtimeTestFault) g_atomic_int_get (&self->faults);
}

static gboolean
has_fault (RealtimeTestServer * self, RealtimeTestFault fault)
{
  return (get_faults (self) & fault) != 0;
}

static JsonObject *
member_object (JsonObject * object, const gchar * name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static void
set_string_or_null (JsonObject * object, const gchar * name,
    const gchar * value)
{
  if (value)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonArray *
string_array (const gchar * value)
{
  JsonArray *array = json_array_new ();

  json_array_add_string_element (array, value);
  return array;
}

static gchar *
object_to_json (JsonObject * object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  gchar *text = json_to_string (node, FALSE);

  json_node_unref (node);
  return text;
}

static guint64
samples_to_ms (guint64 samples, guint rate)
{
  return samples * 1000 / rate;
}

/* ------------------------------------------------------------------ */
/* sending */

static gboolean
connection_is_open (Connection * c)
{
  return soup_websocket_connection_get_state (c->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN;
}

static void
send_text (Connection * c, const gchar * text)
{
  /* a fault may have closed the socket in the middle of a burst */
  if (connection_is_open (c))
    soup_websocket_connection_send_text (c->ws, text);
}

static JsonObject *
new_event (Connection * c, const gchar * type)
{
  JsonObject *event = json_object_new ();
  gchar *id = new_id (c->server, "event");

  json_object_set_string_member (event, "type", type);
  json_object_set_string_member (event, "event_id", id);
  g_free (id);
  return event;
}

/* Sends @event and drops it. */
static void
send_event (Connection * c, JsonObject * event)
{
  gchar *text = object_to_json (event);

  send_text (c, text);
  g_free (text);
  json_object_unref (event);
}

static void
send_error (Connection * c, const gchar * code, const gchar * message,
    const gchar * param, const gchar * client_event_id)
{
  JsonObject *event = new_event (c, "error");
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "type", "invalid_request_error");
  set_string_or_null (error, "code", code);
  json_object_set_string_member (error, "message", message);
  set_string_or_null (error, "param", param);
  set_string_or_null (error, "event_id", client_event_id);
  json_object_set_object_member (event, "error", error);
  send_event (c, event);
}

/* The MALFORMED_FRAMES fault: junk a tolerant client must skip. */
static void
send_malformed_frames (Connection * c)
{
  static const guint8 binary[] = { 0x00, 0x01, 0x02, 0xff };

  send_text (c, "not json {");
  send_text (c, "[1,2,3]");
  send_text (c, "{\"type\":\"x.unknown.event\",\"event_id\":\"e\"}");
  if (connection_is_open (c))
    soup_websocket_connection_send_binary (c->ws, binary, sizeof (binary));
}

/* ------------------------------------------------------------------ */
/* recording what clients do */

static void
record_client_event (RealtimeTestServer * self, const gchar * type,
    gchar * json)
{
  guint count;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->events, json);
  if (type) {
    count = GPOINTER_TO_UINT (g_hash_table_lookup (self->type_counts, type));
    g_hash_table_insert (self->type_counts, g_strdup (type),
        GUINT_TO_POINTER (count + 1));
  }
  if (self->record) {
    /* raw newlines in JSON can only be whitespace: one event per line */
    gchar *line = g_strdelimit (g_strdup (json), "\r\n", ' ');

    fprintf (self->record, "%s\n", line);
    fflush (self->record);
    g_free (line);
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
record_turn (RealtimeTestServer * self, guint64 start_ms, guint64 end_ms)
{
  RealtimeTestTurn turn = { (gint64) start_ms, (gint64) end_ms };

  g_mutex_lock (&self->lock);
  g_array_append_val (self->turns, turn);
  g_mutex_unlock (&self->lock);
}

static void
copy_header (const char *name, const char *value, gpointer user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static void
record_request (RealtimeTestServer * self, SoupServerMessage * msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  g_mutex_lock (&self->lock);
  g_free (self->last_authorization);
  self->last_authorization =
      g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (self->last_query);
  self->last_query = g_strdup (g_uri_get_query (uri));
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (headers, copy_header, self->last_headers);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------ */
/* the session */

static JsonObject *
format_object (const AudioFormat * fmt)
{
  JsonObject *format = json_object_new ();

  switch (fmt->codec) {
    case CODEC_PCMU:
      json_object_set_string_member (format, "type", "audio/pcmu");
      break;
    case CODEC_PCMA:
      json_object_set_string_member (format, "type", "audio/pcma");
      break;
    default:
      json_object_set_string_member (format, "type", "audio/pcm");
      json_object_set_int_member (format, "rate", fmt->rate);
      break;
  }
  return format;
}

static void
fill_server_vad_defaults (JsonObject * td)
{
  if (!json_object_has_member (td, "threshold"))
    json_object_set_double_member (td, "threshold", 0.5);
  if (!json_object_has_member (td, "prefix_padding_ms"))
    json_object_set_int_member (td, "prefix_padding_ms", 300);
  if (!json_object_has_member (td, "silence_duration_ms"))
    json_object_set_int_member (td, "silence_duration_ms", 500);
  if (!json_object_has_member (td, "create_response"))
    json_object_set_boolean_member (td, "create_response", TRUE);
  if (!json_object_has_member (td, "interrupt_response"))
    json_object_set_boolean_member (td, "interrupt_response", TRUE);
}

static JsonObject *
default_audio (void)
{
  static const AudioFormat pcm = { CODEC_PCM16, 24000 };
  JsonObject *audio = json_object_new ();
  JsonObject *input = json_object_new ();
  JsonObject *output = json_object_new ();
  JsonObject *td = json_object_new ();

  json_object_set_string_member (td, "type", "server_vad");
  fill_server_vad_defaults (td);
  json_object_set_object_member (input, "format", format_object (&pcm));
  json_object_set_object_member (input, "turn_detection", td);
  json_object_set_object_member (output, "format", format_object (&pcm));
  json_object_set_string_member (output, "voice", DEFAULT_VOICE);
  json_object_set_double_member (output, "speed", 1.0);
  json_object_set_object_member (audio, "input", input);
  json_object_set_object_member (audio, "output", output);
  return audio;
}

static gint64
session_lifetime_s (RealtimeTestServer * self)
{
  if (self->lifetime_ms == 0)
    return SESSION_LIFETIME_S;
  return (self->lifetime_ms + 999) / 1000;
}

static JsonObject *
default_session (Connection * c, const gchar * model)
{
  JsonObject *session = json_object_new ();
  gchar *id = new_id (c->server, "sess");

  json_object_set_string_member (session, "type", "realtime");
  json_object_set_string_member (session, "object", "realtime.session");
  json_object_set_string_member (session, "id", id);
  json_object_set_string_member (session, "model", model);
  json_object_set_array_member (session, "output_modalities",
      string_array ("audio"));
  json_object_set_string_member (session, "instructions", "");
  json_object_set_object_member (session, "audio", default_audio ());
  json_object_set_array_member (session, "tools", json_array_new ());
  json_object_set_string_member (session, "tool_choice", "auto");
  json_object_set_string_member (session, "max_output_tokens", "inf");
  json_object_set_null_member (session, "tracing");
  json_object_set_string_member (session, "truncation", "auto");
  json_object_set_null_member (session, "prompt");
  json_object_set_int_member (session, "expires_at",
      g_get_real_time () / G_USEC_PER_SEC + session_lifetime_s (c->server));
  g_free (id);
  return session;
}

static AudioFormat
parse_format (JsonObject * format)
{
  const gchar *type = format ?
      json_object_get_string_member_with_default (format, "type", "") : "";
  AudioFormat fmt = { CODEC_PCM16, 24000 };

  if (g_str_equal (type, "audio/pcmu") || g_str_equal (type, "audio/pcma")) {
    fmt.codec = g_str_equal (type, "audio/pcmu") ? CODEC_PCMU : CODEC_PCMA;
    fmt.rate = 8000;
  }
  return fmt;
}

static void
parse_turn_detection (VadConfig * vad, JsonObject * td)
{
  const gchar *type = td ?
      json_object_get_string_member_with_default (td, "type", "") : "";

  /* semantic_vad has no energy meaning of its own: use server_vad's
   * defaults for it */
  vad->enabled = g_str_equal (type, "server_vad")
      || g_str_equal (type, "semantic_vad");
  if (!vad->enabled)
    return;
  vad->threshold = json_object_get_double_member_with_default (td,
      "threshold", 0.5);
  vad->prefix_padding_ms = json_object_get_int_member_with_default (td,
      "prefix_padding_ms", 300);
  vad->silence_duration_ms = json_object_get_int_member_with_default (td,
      "silence_duration_ms", 500);
  vad->create_response = json_object_get_boolean_member_with_default (td,
      "create_response", TRUE);
  vad->interrupt_response = json_object_get_boolean_member_with_default (td,
      "interrupt_response", TRUE);
}

static gboolean
modalities_are_text (JsonObject * holder)
{
  JsonNode *node = json_object_get_member (holder, "output_modalities");
  JsonArray *array;
  guint i;
  gboolean text = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array); i++) {
    const gchar *m = json_array_get_string_element (array, i);

    if (g_strcmp0 (m, "audio") == 0)
      return FALSE;
    text |= g_strcmp0 (m, "text") == 0;
  }
  return text;
}

static void
vad_reset (Connection * c)
{
  c->speaking = FALSE;
  c->voiced_run = 0;
  c->silent_run = 0;
  g_clear_pointer (&c->speech_item_id, g_free);
}

/* Derives the settings the server acts on from the effective session. */
static void
connection_apply_session (Connection * c)
{
  JsonObject *audio = member_object (c->session, "audio");
  JsonObject *input = member_object (audio, "input");
  JsonObject *output = member_object (audio, "output");
  AudioFormat in_fmt = parse_format (member_object (input, "format"));

  c->text_output = modalities_are_text (c->session);
  c->out_fmt = parse_format (member_object (output, "format"));
  parse_turn_detection (&c->vad, member_object (input, "turn_detection"));
  if (in_fmt.rate != c->in_fmt.rate) {
    c->frame_energy = 0;
    c->frame_fill = 0;
  }
  c->in_fmt = in_fmt;
  if (!c->vad.enabled)
    vad_reset (c);
}

/* Deep merge; formats and turn detection are replaced whole, as their
 * members depend on their type. */
static void
merge_object (JsonObject * dst, JsonObject * src)
{
  GList *members = json_object_get_members (src);
  GList *l;

  for (l = members; l; l = l->next) {
    const gchar *name = l->data;
    JsonNode *node = json_object_get_member (src, name);
    JsonNode *old = json_object_get_member (dst, name);
    gboolean whole = g_str_equal (name, "format")
        || g_str_equal (name, "turn_detection");

    if (!whole && old && JSON_NODE_HOLDS_OBJECT (old)
        && JSON_NODE_HOLDS_OBJECT (node))
      merge_object (json_node_get_object (old), json_node_get_object (node));
    else
      json_object_set_member (dst, name, json_node_copy (node));
  }
  g_list_free (members);
}

static const gchar *const session_members[] = {
  "type", "model", "output_modalities", "instructions", "audio", "include",
  "max_output_tokens", "parallel_tool_calls", "prompt", "reasoning",
  "tool_choice", "tools", "tracing", "truncation", NULL
};

/* Checks a session.update the way the GA server does: atomically, so one
 * bad member rejects all. Returns an error code and sets @param and
 * @message, or returns NULL. */
static const gchar *
check_session_update (JsonObject * session, gchar ** param, gchar ** message)
{
  GList *members, *l;
  const gchar *code = NULL;

  if (!json_object_has_member (session, "type")) {
    *param = g_strdup ("session.type");
    *message = g_strdup ("Missing required parameter: 'session.type'.");
    return "missing_required_parameter";
  }
  if (g_strcmp0 (json_object_get_string_member_with_default (session, "type",
              ""), "realtime") != 0) {
    *param = g_strdup ("session.type");
    *message = g_strdup ("Invalid value for 'session.type': this server "
        "only serves 'realtime' sessions.");
    return "invalid_value";
  }
  members = json_object_get_members (session);
  for (l = members; l && !code; l = l->next) {
    if (g_strv_contains (session_members, l->data))
      continue;
    *param = g_strdup_printf ("session.%s", (const gchar *) l->data);
    *message = g_strdup_printf ("Unknown parameter: '%s'.", *param);
    code = "unknown_parameter";
  }
  g_list_free (members);
  return code;
}

static void
send_session_event (Connection * c, const gchar * type)
{
  JsonObject *event = new_event (c, type);

  json_object_set_object_member (event, "session",
      json_object_ref (c->session));
  send_event (c, event);
}

static void
apply_session_update (Connection * c, JsonObject * update)
{
  JsonObject *td;

  /* the model is fixed once the session exists */
  json_object_remove_member (update, "model");
  merge_object (c->session, update);
  td = member_object (member_object (member_object (c->session, "audio"),
          "input"), "turn_detection");
  if (td && g_strcmp0 (json_object_get_string_member_with_default (td,
              "type", ""), "server_vad") == 0)
    fill_server_vad_defaults (td);
  connection_apply_session (c);
}

static void
handle_session_update (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *update = member_object (event, "session");
  gchar *param = NULL, *message = NULL;
  const gchar *code;

  if (has_fault (c->server, REALTIME_TEST_FAULT_ERROR_EVENT)) {
    send_error (c, "unknown_parameter",
        "Unknown parameter: 'session.instructions'.", "session.instructions",
        event_id);
    return;
  }
  if (update == NULL) {
    send_error (c, "missing_required_parameter",
        "Missing required parameter: 'session'.", "session", event_id);
    return;
  }
  code = check_session_update (update, &param, &message);
  if (code) {
    send_error (c, code, message, param, event_id);
    g_free (param);
    g_free (message);
    return;
  }
  apply_session_update (c, update);
  send_session_event (c, "session.updated");
}

/* ------------------------------------------------------------------ */
/* audio formats */

static gint16
ulaw_decode (guint8 u)
{
  gint t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? 0x84 - t : t - 0x84;
}

static guint8
ulaw_encode (gint16 sample)
{
  gint s = sample, sign = 0, exponent = 7, mask;

  if (s < 0) {
    sign = 0x80;
    s = -s;
  }
  s = MIN (s, 32635) + 0x84;
  for (mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  return ~(sign | (exponent << 4) | ((s >> (exponent + 3)) & 0x0f));
}

static gint16
alaw_decode (guint8 a)
{
  gint t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  if (seg == 0)
    t += 8;
  else
    t = (t + 0x108) << (seg - 1);
  return (a & 0x80) ? t : -t;
}

static guint8
alaw_encode (gint16 sample)
{
  gint s = sample, sign = 0x80, exponent = 0, top;
  guint8 out;

  if (s < 0) {
    sign = 0;
    s = -s - 1;
  }
  s = MIN (s, 32635);
  if (s >= 256) {
    for (top = s >> 8; top; top >>= 1)
      exponent++;
    out = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  } else {
    out = s >> 4;
  }
  return (out | sign) ^ 0x55;
}

/* Decodes appended bytes to S16 samples, carrying half a PCM sample over
 * to the next append. */
static gint16 *
decode_input (Connection * c, const guint8 * data, gsize len, gsize * n)
{
  gint16 *samples = g_new (gint16, len + 1);
  gsize i, out = 0;

  for (i = 0; i < len; i++) {
    if (c->in_fmt.codec == CODEC_PCMU) {
      samples[out++] = ulaw_decode (data[i]);
    } else if (c->in_fmt.codec == CODEC_PCMA) {
      samples[out++] = alaw_decode (data[i]);
    } else if (c->odd_byte < 0) {
      c->odd_byte = data[i];
    } else {
      samples[out++] = (gint16) (c->odd_byte | (data[i] << 8));
      c->odd_byte = -1;
    }
  }
  *n = out;
  return samples;
}

/* Nearest-neighbour rate change and encoding into the output format. */
static GBytes *
encode_output (const AudioFormat * fmt, GBytes * audio, guint in_rate)
{
  gsize n_in, n_out, i, width = fmt->codec == CODEC_PCM16 ? 2 : 1;
  const gint16 *in = g_bytes_get_data (audio, &n_in);
  guint8 *out;

  n_in /= 2;
  n_out = n_in * fmt->rate / in_rate;
  out = g_malloc (n_out * width + 1);
  for (i = 0; i < n_out; i++) {
    gint16 s = in[i * in_rate / fmt->rate];

    if (fmt->codec == CODEC_PCMU) {
      out[i] = ulaw_encode (s);
    } else if (fmt->codec == CODEC_PCMA) {
      out[i] = alaw_encode (s);
    } else {
      out[2 * i] = s & 0xff;
      out[2 * i + 1] = (s >> 8) & 0xff;
    }
  }
  return g_bytes_new_take (out, n_out * width);
}

/* g_base64_decode() skips what it does not know; the real server does
 * not. */
static gboolean
base64_is_valid (const gchar * text)
{
  gsize len = strlen (text), i, pad = 0;

  if (len % 4 != 0)
    return FALSE;
  for (i = 0; i < len; i++) {
    if (text[i] == '=') {
      pad++;
    } else if (pad > 0 || !(g_ascii_isalnum (text[i]) || text[i] == '+'
            || text[i] == '/')) {
      return FALSE;
    }
  }
  return pad <= 2;
}

/* ------------------------------------------------------------------ */
/* responses */

static ResponseJob *
response_job_new (Connection * c, JsonObject * params)
{
  ResponseJob *job = g_new0 (ResponseJob, 1);
  JsonNode *metadata = params ?
      json_object_get_member (params, "metadata") : NULL;

  job->turn = c->turns;
  job->audio = c->last_turn_audio ? g_bytes_ref (c->last_turn_audio) : NULL;
  job->audio_rate = c->last_turn_rate;
  job->text_only = c->text_output;
  if (params && json_object_has_member (params, "output_modalities"))
    job->text_only = modalities_are_text (params);
  job->metadata = metadata ? json_node_copy (metadata) : NULL;
  return job;
}

static void
response_job_free (ResponseJob * job)
{
  g_clear_pointer (&job->audio, g_bytes_unref);
  g_clear_pointer (&job->metadata, json_node_unref);
  g_free (job);
}

static void
frame_clear (Frame * frame)
{
  g_free (frame->json);
}

static void
response_free (Response * r)
{
  if (r->timeout) {
    g_source_destroy (r->timeout);
    g_source_unref (r->timeout);
  }
  g_array_unref (r->frames);
  response_job_free (r->job);
  g_free (r->id);
  g_free (r->item_id);
  g_free (r->text);
  g_free (r);
}

static void
response_add_frame (Response * r, JsonObject * event, gboolean is_delta,
    gsize text_upto)
{
  Frame frame = { object_to_json (event), is_delta, is_delta, text_upto };

  /* the SLOW fault also waits before the response starts */
  frame.delay |= r->frames->len == 0;
  g_array_append_val (r->frames, frame);
  json_object_unref (event);
}

static JsonObject *
response_event (Connection * c, Response * r, const gchar * type)
{
  JsonObject *event = new_event (c, type);

  json_object_set_string_member (event, "response_id", r->id);
  json_object_set_string_member (event, "item_id", r->item_id);
  json_object_set_int_member (event, "output_index", 0);
  json_object_set_int_member (event, "content_index", 0);
  return event;
}

/* The part of the reply text sent so far, as the item's content. */
static JsonObject *
content_object (Response * r, gsize text_len, gboolean part)
{
  JsonObject *content = json_object_new ();
  gchar *text = g_strndup (r->text, text_len);
  const gchar *type;

  if (r->job->text_only)
    type = part ? "text" : "output_text";
  else
    type = part ? "audio" : "output_audio";
  json_object_set_string_member (content, "type", type);
  json_object_set_string_member (content,
      r->job->text_only ? "text" : "transcript", text);
  g_free (text);
  return content;
}

static JsonObject *
assistant_item (Response * r, const gchar * status, gssize text_len)
{
  JsonObject *item = json_object_new ();
  JsonArray *content = json_array_new ();

  json_object_set_string_member (item, "id", r->item_id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "status", status);
  json_object_set_string_member (item, "role", "assistant");
  if (text_len >= 0)
    json_array_add_object_element (content, content_object (r, text_len,
            FALSE));
  json_object_set_array_member (item, "content", content);
  return item;
}

static JsonObject *
usage_object (Response * r)
{
  JsonObject *usage = json_object_new ();
  JsonObject *in = json_object_new ();
  JsonObject *out = json_object_new ();
  gsize audio_bytes = r->job->audio ? g_bytes_get_size (r->job->audio) : 0;
  /* about 10 tokens per second of input audio and 20 of output audio */
  gint64 in_audio = audio_bytes / 2 * 10 / MAX (r->job->audio_rate, 1);
  gint64 out_audio = r->job->text_only ? 0 : in_audio * 2;
  gint64 in_text = 20, out_text = 4;

  json_object_set_int_member (in, "text_tokens", in_text);
  json_object_set_int_member (in, "audio_tokens", in_audio);
  json_object_set_int_member (in, "cached_tokens", 0);
  json_object_set_int_member (out, "text_tokens", out_text);
  json_object_set_int_member (out, "audio_tokens", out_audio);
  json_object_set_int_member (usage, "total_tokens",
      in_text + in_audio + out_text + out_audio);
  json_object_set_int_member (usage, "input_tokens", in_text + in_audio);
  json_object_set_int_member (usage, "output_tokens", out_text + out_audio);
  json_object_set_object_member (usage, "input_token_details", in);
  json_object_set_object_member (usage, "output_token_details", out);
  return usage;
}

static JsonObject *
response_audio_object (Connection * c)
{
  JsonObject *audio = json_object_new ();
  JsonObject *output = json_object_new ();
  JsonObject *session_output =
      member_object (member_object (c->session, "audio"), "output");
  JsonNode *voice = session_output ?
      json_object_get_member (session_output, "voice") : NULL;

  json_object_set_object_member (output, "format", format_object (&c->out_fmt));
  if (voice)
    json_object_set_member (output, "voice", json_node_copy (voice));
  json_object_set_object_member (audio, "output", output);
  return audio;
}

/* The response object of response.created (@output NULL) and of
 * response.done. */
static JsonObject *
response_object (Connection * c, Response * r, const gchar * status,
    const gchar * reason, JsonArray * output)
{
  JsonObject *response = json_object_new ();

  json_object_set_string_member (response, "object", "realtime.response");
  json_object_set_string_member (response, "id", r->id);
  json_object_set_string_member (response, "status", status);
  if (reason) {
    JsonObject *details = json_object_new ();

    json_object_set_string_member (details, "type", status);
    json_object_set_string_member (details, "reason", reason);
    json_object_set_object_member (response, "status_details", details);
  }
  json_object_set_array_member (response, "output",
      output ? output : json_array_new ());
  json_object_set_string_member (response, "conversation_id",
      c->conversation_id);
  json_object_set_array_member (response, "output_modalities",
      string_array (r->job->text_only ? "text" : "audio"));
  json_object_set_string_member (response, "max_output_tokens", "inf");
  json_object_set_object_member (response, "audio", response_audio_object (c));
  if (r->job->metadata)
    json_object_set_member (response, "metadata",
        json_node_copy (r->job->metadata));
  else
    json_object_set_null_member (response, "metadata");
  if (output)
    json_object_set_object_member (response, "usage", usage_object (r));
  return response;
}

static JsonObject *
response_created_event (Connection * c, Response * r)
{
  JsonObject *event = new_event (c, "response.created");

  json_object_set_object_member (event, "response",
      response_object (c, r, "in_progress", NULL, NULL));
  return event;
}

static JsonObject *
response_done_event (Connection * c, Response * r, const gchar * status,
    const gchar * reason, gssize text_len)
{
  JsonObject *event = new_event (c, "response.done");
  JsonArray *output = json_array_new ();

  if (text_len >= 0)
    json_array_add_object_element (output, assistant_item (r,
            reason ? "incomplete" : "completed", text_len));
  json_object_set_object_member (event, "response",
      response_object (c, r, status, reason, output));
  return event;
}

static JsonObject *
rate_limits_event (Connection * c)
{
  JsonObject *event = new_event (c, "rate_limits.updated");
  JsonObject *limit = json_object_new ();
  JsonArray *limits = json_array_new ();

  json_object_set_string_member (limit, "name", "tokens");
  json_object_set_int_member (limit, "limit", 40000);
  json_object_set_int_member (limit, "remaining", 39000);
  json_object_set_double_member (limit, "reset_seconds", 1.5);
  json_array_add_object_element (limits, limit);
  json_object_set_array_member (event, "rate_limits", limits);
  return event;
}

static JsonObject *
item_event (Connection * c, const gchar * type, JsonObject * item,
    const gchar * previous_item_id, gboolean with_previous)
{
  JsonObject *event = new_event (c, type);

  if (with_previous)
    set_string_or_null (event, "previous_item_id", previous_item_id);
  json_object_set_object_member (event, "item", item);
  return event;
}

static JsonObject *
output_item_event (Connection * c, Response * r, const gchar * type,
    JsonObject * item)
{
  JsonObject *event = new_event (c, type);

  json_object_set_string_member (event, "response_id", r->id);
  json_object_set_int_member (event, "output_index", 0);
  json_object_set_object_member (event, "item", item);
  return event;
}

static JsonObject *
content_part_event (Connection * c, Response * r, const gchar * type,
    gsize text_len)
{
  JsonObject *event = response_event (c, r, type);

  json_object_set_object_member (event, "part", content_object (r, text_len,
          TRUE));
  return event;
}

static JsonObject *
delta_event (Connection * c, Response * r, const gchar * type,
    const gchar * delta)
{
  JsonObject *event = response_event (c, r, type);

  json_object_set_string_member (event, "delta", delta);
  return event;
}

/* One delta per word, each carrying the space that follows it. */
static gchar **
reply_words (const gchar * text)
{
  gchar **words = g_strsplit (text, " ", -1);
  guint i;

  for (i = 0; words[i] && words[i + 1]; i++) {
    gchar *spaced = g_strconcat (words[i], " ", NULL);

    g_free (words[i]);
    words[i] = spaced;
  }
  return words;
}

static void
build_text_deltas (Connection * c, Response * r)
{
  gchar **words = reply_words (r->text);
  gsize upto = 0;
  guint i;
  JsonObject *done;

  for (i = 0; words[i]; i++) {
    upto += strlen (words[i]);
    response_add_frame (r, delta_event (c, r, "response.output_text.delta",
            words[i]), TRUE, upto);
  }
  done = response_event (c, r, "response.output_text.done");
  json_object_set_string_member (done, "text", r->text);
  response_add_frame (r, done, FALSE, upto);
  g_strfreev (words);
}

static void
add_audio_chunk (Connection * c, Response * r, GBytes * audio, gsize offset,
    gsize chunk, gsize upto)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (audio, &size);
  gchar *b64 = g_base64_encode (data + offset, MIN (chunk, size - offset));

  response_add_frame (r, delta_event (c, r, "response.output_audio.delta",
          b64), TRUE, upto);
  g_free (b64);
}

/* The turn's audio echoed in 100 ms deltas, interleaved with the words of
 * the transcript. */
static void
build_audio_deltas (Connection * c, Response * r)
{
  gchar **words = reply_words (r->text);
  GBytes *audio = r->job->audio ?
      encode_output (&c->out_fmt, r->job->audio, r->job->audio_rate) :
      g_bytes_new (NULL, 0);
  gsize chunk = c->out_fmt.rate / OUTPUT_CHUNKS_PER_S *
      (c->out_fmt.codec == CODEC_PCM16 ? 2 : 1);
  guint n_chunks = (g_bytes_get_size (audio) + chunk - 1) / chunk;
  guint n_words = g_strv_length (words);
  gsize upto = 0;
  guint i;
  JsonObject *done;

  for (i = 0; i < MAX (n_chunks, n_words); i++) {
    if (i < n_chunks)
      add_audio_chunk (c, r, audio, i * chunk, chunk, upto);
    if (i < n_words) {
      upto += strlen (words[i]);
      response_add_frame (r, delta_event (c, r,
              "response.output_audio_transcript.delta", words[i]), TRUE, upto);
    }
  }
  response_add_frame (r, response_event (c, r, "response.output_audio.done"),
      FALSE, upto);
  done = response_event (c, r, "response.output_audio_transcript.done");
  json_object_set_string_member (done, "transcript", r->text);
  response_add_frame (r, done, FALSE, upto);
  g_strfreev (words);
  g_bytes_unref (audio);
}

static Response *
response_new (Connection * c, ResponseJob * job)
{
  Response *r = g_new0 (Response, 1);
  gsize len;

  r->job = job;
  r->id = new_id (c->server, "resp");
  r->item_id = new_id (c->server, "item");
  r->text = g_strdup_printf ("Reply to turn %u.", job->turn);
  len = strlen (r->text);
  r->frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (r->frames, (GDestroyNotify) frame_clear);

  response_add_frame (r, response_created_event (c, r), FALSE, 0);
  response_add_frame (r, rate_limits_event (c), FALSE, 0);
  response_add_frame (r, output_item_event (c, r,
          "response.output_item.added", assistant_item (r, "in_progress",
              -1)), FALSE, 0);
  response_add_frame (r, item_event (c, "conversation.item.added",
          assistant_item (r, "in_progress", -1), c->last_item_id, TRUE),
      FALSE, 0);
  response_add_frame (r, content_part_event (c, r,
          "response.content_part.added", 0), FALSE, 0);
  if (job->text_only)
    build_text_deltas (c, r);
  else
    build_audio_deltas (c, r);
  response_add_frame (r, content_part_event (c, r,
          "response.content_part.done", len), FALSE, len);
  response_add_frame (r, output_item_event (c, r, "response.output_item.done",
          assistant_item (r, "completed", len)), FALSE, len);
  response_add_frame (r, item_event (c, "conversation.item.done",
          assistant_item (r, "completed", len), NULL, FALSE), FALSE, len);
  response_add_frame (r, response_done_event (c, r, "completed", NULL, len),
      FALSE, len);

  g_free (c->last_item_id);
  c->last_item_id = g_strdup (r->item_id);
  return r;
}

static void
send_response_frame (Connection * c, const gchar * json)
{
  if (has_fault (c->server, REALTIME_TEST_FAULT_MALFORMED_FRAMES))
    send_malformed_frames (c);
  send_text (c, json);
}

static gboolean
response_timeout_cb (gpointer user_data)
{
  Connection *c = user_data;
  Response *r = c->response;

  g_source_unref (r->timeout);
  r->timeout = NULL;
  r->waited = TRUE;
  response_pump (c);
  return G_SOURCE_REMOVE;
}

static void
response_schedule (Connection * c, guint delay_ms)
{
  Response *r = c->response;

  r->timeout = g_timeout_source_new (delay_ms);
  g_source_set_callback (r->timeout, response_timeout_cb, c, NULL);
  g_source_attach (r->timeout, c->server->context);
}

static void
response_finish (Connection * c)
{
  g_clear_pointer (&c->response, response_free);
  connection_next_response (c);
}

/* Sends the response's frames until it is done or has to wait. */
static void
response_pump (Connection * c)
{
  Response *r = c->response;
  guint slow_ms = has_fault (c->server, REALTIME_TEST_FAULT_SLOW) ?
      c->server->slow_ms : 0;

  while (r->next < r->frames->len) {
    Frame *frame = &g_array_index (r->frames, Frame, r->next);

    if (!connection_is_open (c))
      return;
    if (frame->delay && slow_ms > 0 && !r->waited) {
      response_schedule (c, slow_ms);
      return;
    }
    r->waited = FALSE;
    send_response_frame (c, frame->json);
    r->next++;
    if (frame->is_delta
        && has_fault (c->server, REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE)) {
      soup_websocket_connection_close (c->ws,
          SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, "injected fault");
      return;
    }
  }
  response_finish (c);
}

static void
connection_next_response (Connection * c)
{
  ResponseJob *job;

  if (c->response || g_queue_is_empty (&c->queued))
    return;
  job = g_queue_pop_head (&c->queued);
  c->response = response_new (c, job);
  response_pump (c);
}

/* Turns that end while a response runs wait for it, so none is lost. */
static void
connection_queue_response (Connection * c, ResponseJob * job)
{
  g_queue_push_tail (&c->queued, job);
  connection_next_response (c);
}

static void
response_cancel (Connection * c, const gchar * reason)
{
  Response *r = c->response;
  gssize text_len = -1;
  guint sent = r->next;

  if (r->timeout) {
    g_source_destroy (r->timeout);
    g_clear_pointer (&r->timeout, g_source_unref);
  }
  /* response.done never comes without its response.created */
  if (sent == 0)
    send_response_frame (c, g_array_index (r->frames, Frame, 0).json);
  /* output_item.added is the third frame */
  if (sent > 2)
    text_len = g_array_index (r->frames, Frame, sent - 1).text_upto;
  if (has_fault (c->server, REALTIME_TEST_FAULT_MALFORMED_FRAMES))
    send_malformed_frames (c);
  send_event (c, response_done_event (c, r, "cancelled", reason, text_len));
  response_finish (c);
}

/* ------------------------------------------------------------------ */
/* user turns */

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

static JsonObject *
user_item (const gchar * item_id)
{
  JsonObject *item = json_object_new ();
  JsonObject *content = json_object_new ();
  JsonArray *contents = json_array_new ();

  json_object_set_string_member (content, "type", "input_audio");
  json_array_add_object_element (contents, content);
  json_object_set_string_member (item, "id", item_id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "status", "completed");
  json_object_set_string_member (item, "role", "user");
  json_object_set_array_member (item, "content", contents);
  return item;
}

/* The user item enters the conversation: committed, added, done. Takes
 * @item_id and @audio. */
static void
commit_turn (Connection * c, gchar * item_id, GBytes * audio)
{
  JsonObject *event = new_event (c, "input_audio_buffer.committed");

  set_string_or_null (event, "previous_item_id", c->last_item_id);
  json_object_set_string_member (event, "item_id", item_id);
  send_event (c, event);
  send_event (c, item_event (c, "conversation.item.added",
          user_item (item_id), c->last_item_id, TRUE));
  send_event (c, item_event (c, "conversation.item.done",
          user_item (item_id), NULL, FALSE));

  c->turns++;
  g_clear_pointer (&c->last_turn_audio, g_bytes_unref);
  c->last_turn_audio = audio;
  c->last_turn_rate = c->in_fmt.rate;
  g_free (c->last_item_id);
  c->last_item_id = item_id;
}

static void
send_speech_event (Connection * c, const gchar * type, const gchar * field,
    guint64 position)
{
  JsonObject *event = new_event (c, type);

  json_object_set_int_member (event, field,
      samples_to_ms (position, c->in_fmt.rate));
  json_object_set_string_member (event, "item_id", c->speech_item_id);
  send_event (c, event);
}

static void
drop_queued_responses (Connection * c)
{
  g_queue_clear_full (&c->queued, (GDestroyNotify) response_job_free);
}

static void
vad_speech_started (Connection * c, guint64 onset)
{
  guint64 padding = (guint64) c->vad.prefix_padding_ms * c->in_fmt.rate / 1000;
  guint64 start = onset > padding ? onset - padding : 0;

  c->speaking = TRUE;
  c->silent_run = 0;
  c->speech_start = MAX (start, c->pending_start);
  g_free (c->speech_item_id);
  c->speech_item_id = new_id (c->server, "item");
  send_speech_event (c, "input_audio_buffer.speech_started",
      "audio_start_ms", c->speech_start);
  if (c->response && c->vad.interrupt_response) {
    drop_queued_responses (c);
    response_cancel (c, "turn_detected");
  }
}

static void
vad_speech_stopped (Connection * c)
{
  guint64 end = c->silence_start;
  gchar *item_id;

  send_speech_event (c, "input_audio_buffer.speech_stopped", "audio_end_ms",
      end);
  record_turn (c->server, samples_to_ms (c->speech_start, c->in_fmt.rate),
      samples_to_ms (end, c->in_fmt.rate));
  item_id = g_steal_pointer (&c->speech_item_id);
  vad_reset (c);
  commit_turn (c, item_id, take_pending (c, c->speech_start, end));
  if (c->vad.create_response)
    connection_queue_response (c, response_job_new (c, NULL));
}

static void
vad_frame (Connection * c, gboolean voiced, guint64 frame_end)
{
  guint frame_len = c->in_fmt.rate / VAD_FRAMES_PER_S;

  if (!c->vad.enabled)
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
        c->vad.silence_duration_ms)
      vad_speech_stopped (c);
  }
}

/* Energy VAD on 10 ms frames. `threshold` (0..1) maps linearly to an RMS
 * level of threshold * 1000 out of 32767: 0.5 needs an RMS above 500
 * (about -36 dBFS), so quiet noise stays silent and speech or a tone of
 * amplitude ~1000 and more is voiced. */
static void
vad_feed (Connection * c, const gint16 * samples, gsize n, guint64 first)
{
  guint frame_len = c->in_fmt.rate / VAD_FRAMES_PER_S;
  gdouble rms_min = c->vad.threshold * 1000.0;
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

/* ------------------------------------------------------------------ */
/* client events */

static void
handle_append (Connection * c, JsonObject * event, const gchar * event_id)
{
  const gchar *b64 =
      json_object_get_string_member_with_default (event, "audio", NULL);
  guint8 *data;
  gsize len = 0, n;
  gint16 *samples;
  guint64 first = c->total_samples;

  if (b64 == NULL || !base64_is_valid (b64)) {
    send_error (c, "invalid_value", "Invalid 'audio'. Expected base64-encoded "
        "audio bytes.", "audio", event_id);
    return;
  }
  data = *b64 ? g_base64_decode (b64, &len) : NULL;
  samples = decode_input (c, data, len, &n);
  g_array_append_vals (c->pending, samples, n);
  c->total_samples += n;
  vad_feed (c, samples, n, first);
  g_free (samples);
  g_free (data);
}

static void
handle_commit (Connection * c, JsonObject * event, const gchar * event_id)
{
  gdouble ms = c->pending->len * 1000.0 / c->in_fmt.rate;
  gchar *message, *item_id;

  if (ms < MIN_COMMIT_MS) {
    message = g_strdup_printf ("Error committing input audio buffer: buffer "
        "too small. Expected at least %dms of audio, but buffer only has "
        "%.2fms of audio.", MIN_COMMIT_MS, ms);
    send_error (c, "input_audio_buffer_commit_empty", message, NULL, event_id);
    g_free (message);
    return;
  }
  item_id = c->speech_item_id ? g_steal_pointer (&c->speech_item_id) :
      new_id (c->server, "item");
  vad_reset (c);
  /* a manual commit makes a turn but never a response */
  commit_turn (c, item_id, take_pending (c, c->pending_start,
          c->total_samples));
}

static void
handle_clear (Connection * c, JsonObject * event, const gchar * event_id)
{
  g_bytes_unref (take_pending (c, c->pending_start, c->total_samples));
  vad_reset (c);
  send_event (c, new_event (c, "input_audio_buffer.cleared"));
}

static void
handle_response_create (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  gchar *message;

  if (c->response) {
    message = g_strdup_printf ("Conversation already has an active response "
        "in progress: %s. Wait until the response is finished before "
        "creating a new one.", c->response->id);
    send_error (c, "conversation_already_has_active_response", message, NULL,
        event_id);
    g_free (message);
    return;
  }
  connection_queue_response (c, response_job_new (c, member_object (event,
              "response")));
}

static void
handle_response_cancel (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  if (c->response == NULL) {
    send_error (c, "response_cancel_not_active", "Cancellation failed: no "
        "active response found.", NULL, event_id);
    return;
  }
  drop_queued_responses (c);
  response_cancel (c, "client_cancelled");
}

static void
handle_item_truncate (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *reply = new_event (c, "conversation.item.truncated");

  json_object_set_string_member (reply, "item_id",
      json_object_get_string_member_with_default (event, "item_id", ""));
  json_object_set_int_member (reply, "content_index",
      json_object_get_int_member_with_default (event, "content_index", 0));
  json_object_set_int_member (reply, "audio_end_ms",
      json_object_get_int_member_with_default (event, "audio_end_ms", 0));
  send_event (c, reply);
}

static void
handle_item_create (Connection * c, JsonObject * event, const gchar * event_id)
{
  JsonObject *item = member_object (event, "item");
  gchar *item_id;

  if (item == NULL) {
    send_error (c, "missing_required_parameter",
        "Missing required parameter: 'item'.", "item", event_id);
    return;
  }
  if (!json_object_has_member (item, "id")) {
    item_id = new_id (c->server, "item");
    json_object_set_string_member (item, "id", item_id);
    g_free (item_id);
  }
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "status", "completed");
  send_event (c, item_event (c, "conversation.item.added",
          json_object_ref (item), c->last_item_id, TRUE));
  send_event (c, item_event (c, "conversation.item.done",
          json_object_ref (item), NULL, FALSE));
  g_free (c->last_item_id);
  c->last_item_id =
      g_strdup (json_object_get_string_member_with_default (item, "id", ""));
}

static void
handle_item_delete (Connection * c, JsonObject * event, const gchar * event_id)
{
  JsonObject *reply = new_event (c, "conversation.item.deleted");

  json_object_set_string_member (reply, "item_id",
      json_object_get_string_member_with_default (event, "item_id", ""));
  send_event (c, reply);
}

typedef void (*EventHandler) (Connection * c, JsonObject * event,
    const gchar * event_id);

static const struct
{
  const gchar *type;
  EventHandler handle;
} event_handlers[] = {
  {"session.update", handle_session_update},
  {"input_audio_buffer.append", handle_append},
  {"input_audio_buffer.commit", handle_commit},
  {"input_audio_buffer.clear", handle_clear},
  {"response.create", handle_response_create},
  {"response.cancel", handle_response_cancel},
  {"conversation.item.truncate", handle_item_truncate},
  {"conversation.item.create", handle_item_create},
  {"conversation.item.delete", handle_item_delete},
};

static void
dispatch_event (Connection * c, JsonObject * event, const gchar * type)
{
  const gchar *event_id =
      json_object_get_string_member_with_default (event, "event_id", NULL);
  gchar *message;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (event_handlers); i++) {
    if (g_strcmp0 (type, event_handlers[i].type) == 0) {
      event_handlers[i].handle (c, event, event_id);
      return;
    }
  }
  message = g_strdup_printf ("Invalid value: '%s'. This test server does "
      "not support this event type.", type ? type : "");
  send_error (c, "invalid_value", message, "type", event_id);
  g_free (message);
}

static void
message_cb (SoupWebsocketConnection * ws, gint data_type, GBytes * message,
    gpointer user_data)
{
  Connection *c = user_data;
  gsize size;
  const gchar *data = g_bytes_get_data (message, &size);
  gchar *text;
  JsonNode *root;
  JsonObject *event;
  const gchar *type;

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  text = g_strndup (data, size);
  root = json_from_string (text, NULL);
  event = root && JSON_NODE_HOLDS_OBJECT (root) ?
      json_node_get_object (root) : NULL;
  type = event ?
      json_object_get_string_member_with_default (event, "type", NULL) : NULL;
  /* recorded before it is answered, so waiters see it first */
  record_client_event (c->server, type, text);
  if (event)
    dispatch_event (c, event, type);
  else
    send_error (c, "invalid_json", "The message is not a JSON object.", NULL,
        NULL);
  g_clear_pointer (&root, json_node_unref);
}

/* ------------------------------------------------------------------ */
/* connections */

static void
socket_finalized (gpointer data, GObject * where_the_object_was)
{
  RealtimeTestServer *self = data;

  self->closing_sockets--;
}

static void
connection_free (Connection * c)
{
  RealtimeTestServer *self = c->server;

  g_signal_handlers_disconnect_by_data (c->ws, c);
  if (c->expiry) {
    g_source_destroy (c->expiry);
    g_source_unref (c->expiry);
  }
  g_clear_pointer (&c->response, response_free);
  drop_queued_responses (c);
  /* stop() waits until libsoup's closing of the socket is over */
  self->closing_sockets++;
  g_object_weak_ref (G_OBJECT (c->ws), socket_finalized, self);
  g_object_unref (c->ws);
  json_object_unref (c->session);
  g_array_unref (c->pending);
  g_clear_pointer (&c->last_turn_audio, g_bytes_unref);
  g_free (c->speech_item_id);
  g_free (c->last_item_id);
  g_free (c->conversation_id);
  self->connections = g_list_remove (self->connections, c);
  g_free (c);

  g_mutex_lock (&self->lock);
  self->n_open--;
  g_mutex_unlock (&self->lock);
}

static void
closed_cb (SoupWebsocketConnection * ws, gpointer user_data)
{
  connection_free (user_data);
}

static gchar *
model_from_request (SoupServerMessage * msg)
{
  const gchar *query = g_uri_get_query (soup_server_message_get_uri (msg));
  GHashTable *params = query ?
      g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  const gchar *model = params ? g_hash_table_lookup (params, "model") : NULL;
  gchar *result = g_strdup (model ? model : DEFAULT_MODEL);

  g_clear_pointer (&params, g_hash_table_unref);
  return result;
}

static Connection *
connection_new (RealtimeTestServer * self, SoupWebsocketConnection * ws,
    const gchar * model)
{
  Connection *c = g_new0 (Connection, 1);

  c->server = self;
  c->ws = g_object_ref (ws);
  c->conversation_id = new_id (self, "conv");
  c->pending = g_array_new (FALSE, FALSE, sizeof (gint16));
  c->odd_byte = -1;
  g_queue_init (&c->queued);
  c->session = default_session (c, model);
  connection_apply_session (c);
  return c;
}

/* What the GA server does at its 60 min cap. */
static gboolean
expire_cb (gpointer user_data)
{
  Connection *c = user_data;

  g_clear_pointer (&c->expiry, g_source_unref);
  send_error (c, "session_expired", "Your session hit the maximum duration "
      "of 60 minutes.", NULL, NULL);
  if (connection_is_open (c))
    soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
        "session expired");
  return G_SOURCE_REMOVE;
}

static void
connection_schedule_expiry (Connection * c)
{
  if (c->server->lifetime_ms == 0)
    return;
  c->expiry = g_timeout_source_new (c->server->lifetime_ms);
  g_source_set_callback (c->expiry, expire_cb, c, NULL);
  g_source_attach (c->expiry, c->server->context);
}

static void
websocket_cb (SoupServer * soup, SoupServerMessage * msg, const char *path,
    SoupWebsocketConnection * ws, gpointer user_data)
{
  RealtimeTestServer *self = user_data;
  gchar *model = model_from_request (msg);
  Connection *c = connection_new (self, ws, model);

  g_free (model);
  soup_websocket_connection_set_max_incoming_payload_size (ws,
      MAX_INCOMING_PAYLOAD);
  g_signal_connect (ws, "message", G_CALLBACK (message_cb), c);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), c);
  self->connections = g_list_prepend (self->connections, c);

  g_mutex_lock (&self->lock);
  self->n_connections++;
  self->n_open++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  send_session_event (c, "session.created");
  connection_schedule_expiry (c);
}

/* ------------------------------------------------------------------ */
/* the handshake */

static gboolean
request_key_matches (RealtimeTestServer * self, SoupMessageHeaders * headers)
{
  const gchar *auth = soup_message_headers_get_one (headers, "Authorization");
  const gchar *api_key = soup_message_headers_get_one (headers, "api-key");
  const gchar *bearer = NULL;
  gboolean ok;

  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    for (bearer = auth + 7; *bearer == ' ';)
      bearer++;

  g_mutex_lock (&self->lock);
  ok = self->api_key == NULL || g_strcmp0 (api_key, self->api_key) == 0
      || g_strcmp0 (bearer, self->api_key) == 0;
  g_mutex_unlock (&self->lock);
  return ok;
}

static void
refuse_request (SoupServerMessage * msg)
{
  static const gchar body[] = "{\"error\":{\"message\":\"Incorrect API key "
      "provided.\",\"type\":\"invalid_request_error\",\"param\":null,"
      "\"code\":\"invalid_api_key\"}}";

  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "application/json",
      SOUP_MEMORY_STATIC, body, strlen (body));
}

/* Runs before libsoup upgrades the request (see soup-server.c got_body):
 * setting a status here refuses the WebSocket. */
static void
handshake_cb (SoupServer * soup, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  RealtimeTestServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  record_request (self, msg);
  if (has_fault (self, REALTIME_TEST_FAULT_HANG_HANDSHAKE)) {
    /* never answered; stop() drops the connection */
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
    soup_server_message_pause (msg);
    return;
  }
  if (has_fault (self, REALTIME_TEST_FAULT_REFUSE_KEY)
      || !request_key_matches (self, headers))
    refuse_request (msg);
}

/* ------------------------------------------------------------------ */
/* the server thread */

static gboolean
server_setup (RealtimeTestServer * self, GError ** error)
{
  GSocketAddress *address, *local;
  GSList *listeners;
  gboolean ok;

  self->soup = soup_server_new ("server-header", "realtime-test-server ",
      "tls-certificate", self->certificate, NULL);
  soup_server_add_handler (self->soup, REALTIME_PATH, handshake_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, REALTIME_PATH, NULL, NULL,
      websocket_cb, self, NULL);

  address = g_inet_socket_address_new_from_string ("127.0.0.1",
      self->requested_port);
  ok = soup_server_listen (self->soup, address,
      self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
  g_object_unref (address);
  if (!ok)
    return FALSE;

  /* not soup_server_get_uris(): libsoup 3.2 leaks the address it reads */
  listeners = soup_server_get_listeners (self->soup);
  local = g_socket_get_local_address (listeners->data, error);
  g_slist_free (listeners);
  if (local == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_object_unref (local);
  return TRUE;
}

static gboolean
teardown_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Drops every connection and lets libsoup finish closing the sockets, so
 * nothing is left attached to the context. */
static void
server_teardown (RealtimeTestServer * self)
{
  GSource *timeout;
  gboolean timed_out = FALSE;

  while (self->connections)
    connection_free (self->connections->data);
  if (self->soup) {
    soup_server_disconnect (self->soup);
    g_clear_object (&self->soup);
  }

  timeout = g_timeout_source_new (TEARDOWN_TIMEOUT_MS);
  g_source_set_callback (timeout, teardown_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, self->context);
  while (self->closing_sockets > 0 && !timed_out)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  while (g_main_context_iteration (self->context, FALSE));
}

static void
signal_ready (RealtimeTestServer * self, GError * error)
{
  g_mutex_lock (&self->lock);
  self->start_error = error;
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
server_thread (gpointer data)
{
  RealtimeTestServer *self = data;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = server_setup (self, &error);
  signal_ready (self, error);
  if (ok)
    g_main_loop_run (self->loop);
  server_teardown (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  RealtimeTestServer *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* public API */

RealtimeTestServer *
realtime_test_server_new (void)
{
  RealtimeTestServer *self = g_new0 (RealtimeTestServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->slow_ms = 200;
  self->events = g_ptr_array_new_with_free_func (g_free);
  self->type_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  self->turns = g_array_new (FALSE, FALSE, sizeof (RealtimeTestTurn));
  return self;
}

void
realtime_test_server_free (RealtimeTestServer * server)
{
  if (server == NULL)
    return;
  realtime_test_server_stop (server);
  g_free (server->api_key);
  g_free (server->record_path);
  g_ptr_array_unref (server->events);
  g_hash_table_unref (server->type_counts);
  g_array_unref (server->turns);
  g_free (server->last_authorization);
  g_free (server->last_query);
  g_clear_pointer (&server->last_headers, soup_message_headers_unref);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

void
realtime_test_server_set_api_key (RealtimeTestServer * server,
    const gchar * key)
{
  g_mutex_lock (&server->lock);
  g_free (server->api_key);
  server->api_key = g_strdup (key);
  g_mutex_unlock (&server->lock);
}

void
realtime_test_server_set_faults (RealtimeTestServer * server,
    RealtimeTestFault faults)
{
  g_atomic_int_set (&server->faults, faults);
}

void
realtime_test_server_set_slow_ms (RealtimeTestServer * server, guint slow_ms)
{
  server->slow_ms = slow_ms;
}

void
realtime_test_server_set_session_lifetime_ms (RealtimeTestServer * server,
    guint lifetime_ms)
{
  server->lifetime_ms = lifetime_ms;
}

void
realtime_test_server_set_record_file (RealtimeTestServer * server,
    const gchar * path)
{
  g_free (server->record_path);
  server->record_path = g_strdup (path);
}

static gboolean
open_record_file (RealtimeTestServer * self, GError ** error)
{
  if (self->record_path == NULL)
    return TRUE;
  self->record = g_fopen (self->record_path, "w");
  if (self->record == NULL) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
        "cannot open %s for writing", self->record_path);
    return FALSE;
  }
  return TRUE;
}

static void
release_thread_state (RealtimeTestServer * self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->certificate);
  g_mutex_lock (&self->lock);
  if (self->record)
    fclose (self->record);
  self->record = NULL;
  g_mutex_unlock (&self->lock);
  self->port = 0;
}

gboolean
realtime_test_server_start (RealtimeTestServer * server, guint port,
    GTlsCertificate * certificate, GError ** error)
{
  g_return_val_if_fail (server->thread == NULL, FALSE);

  if (!open_record_file (server, error))
    return FALSE;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->certificate = certificate ? g_object_ref (certificate) : NULL;
  server->requested_port = port;
  server->ready = FALSE;
  server->thread = g_thread_new ("realtime-test-server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);

  if (server->start_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&server->start_error));
  g_thread_join (g_steal_pointer (&server->thread));
  release_thread_state (server);
  return FALSE;
}

void
realtime_test_server_stop (RealtimeTestServer * server)
{
  if (server->thread == NULL)
    return;
  g_main_context_invoke (server->context, quit_cb, server);
  g_thread_join (g_steal_pointer (&server->thread));
  release_thread_state (server);
}

guint
realtime_test_server_get_port (RealtimeTestServer * server)
{
  return server->port;
}

gchar *
realtime_test_server_get_url (RealtimeTestServer * server)
{
  return g_strdup_printf ("%s://127.0.0.1:%u" REALTIME_PATH,
      server->certificate ? "wss" : "ws", server->port);
}

/* A copy: the raw JSON text of each event (invalid ones too), in arrival
 * order; free with g_ptr_array_unref(). */
GPtrArray *
realtime_test_server_get_client_events (RealtimeTestServer * server)
{
  GPtrArray *copy;
  guint i;

  g_mutex_lock (&server->lock);
  copy = g_ptr_array_new_full (server->events->len, g_free);
  for (i = 0; i < server->events->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (server->events, i)));
  g_mutex_unlock (&server->lock);
  return copy;
}

static guint
count_events_locked (RealtimeTestServer * self, const gchar * type)
{
  if (type == NULL)
    return self->events->len;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->type_counts, type));
}

/* A NULL @type counts every frame received (here and in wait_for). */
guint
realtime_test_server_count_client_events (RealtimeTestServer * server,
    const gchar * type)
{
  guint count;

  g_mutex_lock (&server->lock);
  count = count_events_locked (server, type);
  g_mutex_unlock (&server->lock);
  return count;
}

/* A copy of the VAD turns of every connection, in the order they ended;
 * manual commits are not VAD turns. Free with g_array_unref(). */
GArray *
realtime_test_server_get_turns (RealtimeTestServer * server)
{
  GArray *copy;

  g_mutex_lock (&server->lock);
  copy = g_array_copy (server->turns);
  g_mutex_unlock (&server->lock);
  return copy;
}

guint
realtime_test_server_get_connection_count (RealtimeTestServer * server)
{
  guint count;

  g_mutex_lock (&server->lock);
  count = server->n_connections;
  g_mutex_unlock (&server->lock);
  return count;
}

guint
realtime_test_server_get_open_connection_count (RealtimeTestServer * server)
{
  guint count;

  g_mutex_lock (&server->lock);
  count = server->n_open;
  g_mutex_unlock (&server->lock);
  return count;
}

gchar *
realtime_test_server_get_last_authorization (RealtimeTestServer * server)
{
  gchar *value;

  g_mutex_lock (&server->lock);
  value = g_strdup (server->last_authorization);
  g_mutex_unlock (&server->lock);
  return value;
}

gchar *
realtime_test_server_get_last_request_header (RealtimeTestServer * server,
    const gchar * name)
{
  gchar *value = NULL;

  g_mutex_lock (&server->lock);
  if (server->last_headers)
    value = g_strdup (soup_message_headers_get_list (server->last_headers,
            name));
  g_mutex_unlock (&server->lock);
  return value;
}

gchar *
realtime_test_server_get_last_request_query (RealtimeTestServer * server)
{
  gchar *value;

  g_mutex_lock (&server->lock);
  value = g_strdup (server->last_query);
  g_mutex_unlock (&server->lock);
  return value;
}

gboolean
realtime_test_server_wait_for_client_event (RealtimeTestServer * server,
    const gchar * type, guint count, guint timeout_ms)
{
  gint64 deadline =
      g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean reached;

  g_mutex_lock (&server->lock);
  while (!(reached = count_events_locked (server, type) >= count))
    if (!g_cond_wait_until (&server->cond, &server->lock, deadline))
      break;
  reached = count_events_locked (server, type) >= count;
  g_mutex_unlock (&server->lock);
  return reached;
}
