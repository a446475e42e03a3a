/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Checks the test server the way the element will use it: a libsoup
 * WebSocket client on the main context talks to the server thread.
 *
 * Set REALTIME_SELFTEST_SERVER_EVENTS=FILE to collect every well-formed
 * server event received, one per line, for validate-events --server. */

#include "realtimetestserver.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 24000
#define WAIT_MS 10000

static FILE *dump;

typedef struct
{
  SoupSession *session;
  SoupWebsocketConnection *ws;
  GPtrArray *events;            /* JsonObject, in arrival order */
  GArray *times;                /* gint64 monotonic time each arrived */
  guint n_binary;
  guint n_invalid;
  gboolean closed;
  gushort close_code;
  guint status;
  GError *error;
  gboolean connect_done;
  guint64 phase;
} Client;

/* ------------------------------------------------------------------ */
/* client */

static void
dump_event (const gchar * text, const gchar * type)
{
  if (dump == NULL || g_str_equal (type, "x.unknown.event"))
    return;
  fprintf (dump, "%s\n", text);
  fflush (dump);
}

static void
client_message_cb (SoupWebsocketConnection * ws, gint data_type,
    GBytes * message, gpointer user_data)
{
  Client *c = user_data;
  gsize size;
  const gchar *data = g_bytes_get_data (message, &size);
  gchar *text;
  JsonNode *root;

  if (data_type == SOUP_WEBSOCKET_DATA_BINARY) {
    c->n_binary++;
    return;
  }
  text = g_strndup (data, size);
  root = json_from_string (text, NULL);
  if (root && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *event = json_node_get_object (root);
    gint64 now = g_get_monotonic_time ();

    g_ptr_array_add (c->events, json_object_ref (event));
    g_array_append_val (c->times, now);
    dump_event (text, json_object_get_string_member_with_default (event,
            "type", ""));
  } else {
    c->n_invalid++;
  }
  g_clear_pointer (&root, json_node_unref);
  g_free (text);
}

static void
client_closed_cb (SoupWebsocketConnection * ws, gpointer user_data)
{
  Client *c = user_data;

  c->closed = TRUE;
  c->close_code = soup_websocket_connection_get_close_code (ws);
}

static void
connect_done_cb (GObject * source, GAsyncResult * result, gpointer user_data)
{
  Client *c = user_data;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source),
      result, &c->error);
  c->connect_done = TRUE;
}

static gboolean
accept_certificate_cb (SoupMessage * msg, GTlsCertificate * cert,
    GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static Client *
client_connect_full (const gchar * url, const gchar * header,
    const gchar * value, guint timeout_ms)
{
  Client *c = g_new0 (Client, 1);
  SoupMessage *msg = soup_message_new ("GET", url);
  GCancellable *cancellable = g_cancellable_new ();
  guint timer = g_timeout_add (timeout_ms, cancel_cb, cancellable);

  c->session = soup_session_new ();
  c->events = g_ptr_array_new_with_free_func ((GDestroyNotify)
      json_object_unref);
  c->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (header)
    soup_message_headers_append (soup_message_get_request_headers (msg),
        header, value);
  g_signal_connect (msg, "accept-certificate",
      G_CALLBACK (accept_certificate_cb), NULL);
  soup_session_websocket_connect_async (c->session, msg, NULL, NULL,
      G_PRIORITY_DEFAULT, cancellable, connect_done_cb, c);
  while (!c->connect_done)
    g_main_context_iteration (NULL, TRUE);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (timer);
  c->status = soup_message_get_status (msg);
  if (c->ws) {
    soup_websocket_connection_set_max_incoming_payload_size (c->ws, 0);
    g_signal_connect (c->ws, "message", G_CALLBACK (client_message_cb), c);
    g_signal_connect (c->ws, "closed", G_CALLBACK (client_closed_cb), c);
  }
  g_object_unref (cancellable);
  g_object_unref (msg);
  return c;
}

static Client *
client_connect (RealtimeTestServer * server, const gchar * key)
{
  gchar *url = realtime_test_server_get_url (server);
  gchar *auth = key ? g_strdup_printf ("Bearer %s", key) : NULL;
  Client *c = client_connect_full (url, key ? "Authorization" : NULL, auth,
      WAIT_MS);

  g_assert_no_error (c->error);
  g_assert_nonnull (c->ws);
  g_free (auth);
  g_free (url);
  return c;
}

static void
client_free (Client * c)
{
  if (c->ws && !c->closed) {
    soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    while (!c->closed)
      g_main_context_iteration (NULL, TRUE);
  }
  if (c->ws)
    g_signal_handlers_disconnect_by_data (c->ws, c);
  g_clear_object (&c->ws);
  g_object_unref (c->session);
  g_ptr_array_unref (c->events);
  g_array_unref (c->times);
  g_clear_error (&c->error);
  g_free (c);
}

static void
client_send (Client * c, const gchar * text)
{
  soup_websocket_connection_send_text (c->ws, text);
}

static void
client_send_audio (Client * c, const guint8 * data, gsize size)
{
  gchar *b64 = g_base64_encode (data, size);
  gchar *text = g_strconcat ("{\"type\":\"input_audio_buffer.append\","
      "\"audio\":\"", b64, "\"}", NULL);

  client_send (c, text);
  g_free (text);
  g_free (b64);
}

static const gchar *
event_type (JsonObject * event)
{
  return json_object_get_string_member_with_default (event, "type", "");
}

static guint
client_count (Client * c, const gchar * type)
{
  guint i, n = 0;

  for (i = 0; i < c->events->len; i++)
    n += g_str_equal (event_type (g_ptr_array_index (c->events, i)), type);
  return n;
}

/* The @nth (from 0) event of @type received so far. */
static JsonObject *
client_get (Client * c, const gchar * type, guint nth)
{
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);

    if (g_str_equal (event_type (event), type) && nth-- == 0)
      return event;
  }
  return NULL;
}

static gboolean
timeout_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
client_wait (Client * c, const gchar * type, guint count, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timer = g_timeout_add (timeout_ms, timeout_flag_cb, &timed_out);

  while (client_count (c, type) < count && !timed_out && !c->closed)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timer);
  return client_count (c, type) >= count;
}

static void
client_settle (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_flag_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static JsonObject *
client_expect (Client * c, const gchar * type, guint nth)
{
  if (!client_wait (c, type, nth + 1, WAIT_MS))
    g_error ("no %s #%u received", type, nth);
  return client_get (c, type, nth);
}

/* S16LE 24 kHz: a 440 Hz tone of @amplitude (0: silence), 50 ms a time. */
static void
client_append (Client * c, guint ms, gint amplitude)
{
  guint chunk_samples = RATE / 20, i, k;
  gint16 samples[RATE / 20];

  for (k = 0; k < ms / 50; k++) {
    for (i = 0; i < chunk_samples; i++, c->phase++)
      samples[i] = GINT16_TO_LE ((gint16) (amplitude *
              sin (2 * G_PI * 440 * c->phase / RATE)));
    client_send_audio (c, (const guint8 *) samples, sizeof (samples));
  }
}

static void
client_update_session (Client * c, const gchar * session)
{
  guint n = client_count (c, "session.updated");
  gchar *text = g_strconcat ("{\"type\":\"session.update\",\"event_id\":"
      "\"evt_su\",\"session\":", session, "}", NULL);

  client_send (c, text);
  client_expect (c, "session.updated", n);
  g_free (text);
}

#define MANUAL_SESSION "{\"type\":\"realtime\",\"audio\":{\"input\":" \
  "{\"turn_detection\":null}}}"

/* ------------------------------------------------------------------ */
/* event helpers */

/* The node at @path ("a.b.0.c": members, and array indices) in @event. */
static JsonNode *
path_node (JsonObject * event, const gchar * path)
{
  gchar **parts = g_strsplit (path, ".", -1);
  JsonNode *root = json_node_init_object (json_node_alloc (), event);
  JsonNode *node = root;
  guint i;

  for (i = 0; node && parts[i]; i++) {
    if (JSON_NODE_HOLDS_OBJECT (node))
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (*parts[i])
        && atoi (parts[i]) < (gint) json_array_get_length
        (json_node_get_array (node)))
      node = json_array_get_element (json_node_get_array (node),
          atoi (parts[i]));
    else
      node = NULL;
  }
  g_strfreev (parts);
  /* what it returns belongs to @event's tree */
  json_node_unref (root);
  return node;
}

static const gchar *
path_string (JsonObject * event, const gchar * path)
{
  JsonNode *node = event ? path_node (event, path) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
path_int (JsonObject * event, const gchar * path)
{
  JsonNode *node = event ? path_node (event, path) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  return json_node_get_int (node);
}

static gboolean
path_is_null (JsonObject * event, const gchar * path)
{
  JsonNode *node = path_node (event, path);

  return node && JSON_NODE_HOLDS_NULL (node);
}

static gint64
int_member (JsonObject * event, const gchar * name)
{
  return json_object_get_int_member_with_default (event, name, -1);
}

static RealtimeTestServer *
start_server (RealtimeTestFault faults, const gchar * key)
{
  RealtimeTestServer *server = realtime_test_server_new ();
  GError *error = NULL;

  realtime_test_server_set_faults (server, faults);
  realtime_test_server_set_api_key (server, key);
  realtime_test_server_set_slow_ms (server, 50);
  g_assert_true (realtime_test_server_start (server, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (realtime_test_server_get_port (server), >, 0);
  return server;
}

static void
wait_no_open_connections (RealtimeTestServer * server)
{
  guint i;

  for (i = 0; i < 500; i++) {
    if (realtime_test_server_get_open_connection_count (server) == 0)
      return;
    client_settle (10);
  }
  g_error ("server still has open connections");
}

/* Commits 200 ms of tone by hand. */
static void
manual_turn (Client * c)
{
  guint n = client_count (c, "input_audio_buffer.committed");

  client_append (c, 200, 8000);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\","
      "\"event_id\":\"evt_commit\"}");
  client_expect (c, "input_audio_buffer.committed", n);
}

static void
check_error (Client * c, guint nth, const gchar * code,
    const gchar * client_event_id)
{
  JsonObject *error = client_expect (c, "error", nth);

  g_assert_cmpstr (path_string (error, "error.code"), ==, code);
  g_assert_cmpstr (path_string (error, "error.event_id"), ==, client_event_id);
}

/* Connects to @path_query (e.g. "/openai/realtime?deployment=d") with one
 * optional request header. */
static Client *
client_connect_path (RealtimeTestServer * server, const gchar * path_query,
    const gchar * header, const gchar * value)
{
  gchar *base = realtime_test_server_get_base_url (server);
  gchar *url = g_strconcat (base, path_query, NULL);
  Client *c = client_connect_full (url, header, value, WAIT_MS);

  g_assert_no_error (c->error);
  g_assert_nonnull (c->ws);
  g_free (url);
  g_free (base);
  return c;
}

/* A beta connection, by header on the OpenAI path. */
static Client *
client_connect_beta (RealtimeTestServer * server)
{
  return client_connect_path (server, "/v1/realtime?model=gpt-4o-realtime-"
      "preview", "OpenAI-Beta", "realtime=v1");
}

/* One turn for the VAD: 500 ms of tone, then enough silence to end it. */
static void
vad_turn (Client * c)
{
  client_append (c, 500, 8000);
  client_append (c, 600, 0);
}

/* Sends @session as a session.update that must fail with @code, @param
 * and the event_id echoed. */
static void
check_update_rejected (Client * c, const gchar * session,
    const gchar * code, const gchar * param)
{
  guint n = client_count (c, "error");
  gchar *text = g_strconcat ("{\"type\":\"session.update\",\"event_id\":"
      "\"evt_bad\",\"session\":", session, "}", NULL);
  JsonObject *error;

  client_send (c, text);
  check_error (c, n, code, "evt_bad");
  error = client_get (c, "error", n);
  g_assert_cmpstr (path_string (error, "error.type"), ==,
      "invalid_request_error");
  g_assert_cmpstr (path_string (error, "error.param"), ==, param);
  g_free (text);
}

/* Position of the @nth event of @type among all received, or -1. */
static gint
event_index (Client * c, const gchar * type, guint nth)
{
  guint i;

  for (i = 0; i < c->events->len; i++)
    if (g_str_equal (event_type (g_ptr_array_index (c->events, i)), type)
        && nth-- == 0)
      return i;
  return -1;
}

/* The deltas of the events of @type whose @key is @value, joined. */
static gchar *
join_deltas (Client * c, const gchar * type, const gchar * key,
    const gchar * value)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);

    if (g_str_equal (event_type (event), type)
        && g_strcmp0 (path_string (event, key), value) == 0)
      g_string_append (text, path_string (event, "delta"));
  }
  return g_string_free (text, FALSE);
}

/* The decoded bytes of the audio deltas whose @key is @value. */
static gsize
audio_bytes (Client * c, const gchar * key, const gchar * value)
{
  gsize bytes = 0, len;
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);
    guchar *data;

    if (!g_str_equal (event_type (event), "response.output_audio.delta")
        || g_strcmp0 (path_string (event, key), value) != 0)
      continue;
    data = g_base64_decode (path_string (event, "delta"), &len);
    bytes += len;
    g_free (data);
  }
  return bytes;
}

/* The concatenated deltas (or decoded audio bytes) of one response. */
static gchar *
collect_deltas (Client * c, const gchar * type, const gchar * response_id,
    gsize * bytes)
{
  *bytes = 0;
  if (!g_str_equal (type, "response.output_audio.delta"))
    return join_deltas (c, type, "response_id", response_id);
  *bytes = audio_bytes (c, "response_id", response_id);
  return g_strdup ("");
}

/* Position of the first (or @last) event of @type about @item_id (in
 * item_id, or item.id), or -1. */
static gint
item_event_index (Client * c, const gchar * type, const gchar * item_id,
    gboolean last)
{
  gint found = -1;
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);

    const gchar *id = path_string (event, "item_id");

    if (id == NULL)
      id = path_string (event, "item.id");
    if (g_str_equal (event_type (event), type)
        && g_strcmp0 (id, item_id) == 0) {
      found = i;
      if (!last)
        break;
    }
  }
  return found;
}

/* Milliseconds from the arrival of the @na-th @a to that of the @nb-th
 * @b. */
static gint64
ms_between (Client * c, const gchar * a, guint na, const gchar * b, guint nb)
{
  gint ia = event_index (c, a, na), ib = event_index (c, b, nb);

  g_assert_cmpint (ia, >=, 0);
  g_assert_cmpint (ib, >=, 0);
  return (g_array_index (c->times, gint64, ib) -
      g_array_index (c->times, gint64, ia)) / 1000;
}

/* The text (or transcript) of the response of the @nth response.done, in
 * either dialect. */
static gchar *
response_text (Client * c, guint nth)
{
  static const gchar *const types[] = {
    "response.output_text.delta", "response.output_audio_transcript.delta",
    "response.text.delta", "response.audio_transcript.delta", NULL
  };
  const gchar *id = path_string (client_expect (c, "response.done", nth),
      "response.id");
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; types[i]; i++) {
    gchar *part = join_deltas (c, types[i], "response_id", id);

    g_string_append (text, part);
    g_free (part);
  }
  return g_string_free (text, FALSE);
}

static void
check_response_text (Client * c, guint nth, const gchar * expected)
{
  gchar *text = response_text (c, nth);

  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

#define COMPLETED "conversation.item.input_audio_transcription.completed"

/* The @nth user transcript says "Transcript of turn N." in deltas and in
 * completed, for the @nth committed item. */
static void
check_transcript (Client * c, guint nth)
{
  JsonObject *completed = client_expect (c, COMPLETED, nth);
  const gchar *item_id = path_string (client_get (c,
          "input_audio_buffer.committed", nth), "item_id");
  gchar *expected = g_strdup_printf ("Transcript of turn %u.", nth + 1);
  gchar *deltas = join_deltas (c,
      "conversation.item.input_audio_transcription.delta", "item_id", item_id);

  g_assert_cmpstr (path_string (completed, "item_id"), ==, item_id);
  g_assert_cmpint (path_int (completed, "content_index"), ==, 0);
  g_assert_cmpstr (path_string (completed, "transcript"), ==, expected);
  g_assert_cmpstr (deltas, ==, expected);
  g_free (deltas);
  g_free (expected);
}

/* ------------------------------------------------------------------ */
/* tests */

static const gchar *const turn_types[] = {
  "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
  "input_audio_buffer.committed", "response.created", "response.done", NULL
};

static gchar *
turn_sequence (Client * c)
{
  GString *seq = g_string_new (NULL);
  guint i;

  for (i = 0; i < c->events->len; i++) {
    const gchar *type = event_type (g_ptr_array_index (c->events, i));

    if (g_strv_contains (turn_types, type))
      g_string_append_printf (seq, "%s%s", seq->len ? " " : "",
          strrchr (type, '.') + 1);
  }
  return g_string_free (seq, FALSE);
}

static void
check_vad_responses (Client * c)
{
  static const gint64 starts[] = { 0, 1200, 2700 }, ends[] = { 500, 2000,
    3500
  };
  guint i;

  for (i = 0; i < 3; i++) {
    JsonObject *done = client_get (c, "response.done", i);
    const gchar *id = path_string (done, "response.id");
    gchar *expected = g_strdup_printf ("Reply to turn %u.", i + 1);
    gsize bytes;
    gchar *transcript = collect_deltas (c,
        "response.output_audio_transcript.delta", id, &bytes);
    gchar *audio = collect_deltas (c, "response.output_audio.delta", id,
        &bytes);

    g_assert_cmpint (int_member (client_get (c,
                "input_audio_buffer.speech_started", i), "audio_start_ms"),
        ==, starts[i]);
    g_assert_cmpint (int_member (client_get (c,
                "input_audio_buffer.speech_stopped", i), "audio_end_ms"), ==,
        ends[i]);
    g_assert_cmpstr (path_string (done, "response.status"), ==, "completed");
    g_assert_cmpstr (transcript, ==, expected);
    g_assert_cmpstr (path_string (client_get (c,
                "response.output_audio_transcript.done", i), "transcript"),
        ==, expected);
    /* the turn's audio comes back: 48 bytes per ms */
    g_assert_cmpuint (bytes, ==, (ends[i] - starts[i]) * 48);
    g_free (expected);
    g_free (transcript);
    g_free (audio);
  }
}

static void
check_vad_turns (RealtimeTestServer * server)
{
  GArray *turns = realtime_test_server_get_turns (server);

  g_assert_cmpuint (turns->len, ==, 3);
  g_assert_cmpint (g_array_index (turns, RealtimeTestTurn, 1).audio_start_ms,
      ==, 1200);
  g_assert_cmpint (g_array_index (turns, RealtimeTestTurn, 2).audio_end_ms,
      ==, 3500);
  g_array_unref (turns);
}

static void
test_vad_turns (void)
{
  RealtimeTestServer *server = start_server (0, "sk-test");
  Client *c = client_connect (server, "sk-test");
  JsonObject *created = client_expect (c, "session.created", 0);
  gchar *seq, *auth;
  guint k;

  g_assert_cmpstr (path_string (created, "session.audio.input.turn_detection."
          "type"), ==, "server_vad");
  client_update_session (c, "{\"type\":\"realtime\",\"instructions\":\"Be "
      "brief.\",\"output_modalities\":[\"audio\"],\"audio\":{\"input\":"
      "{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"turn_detection\":"
      "{\"type\":\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300,"
      "\"silence_duration_ms\":500,\"create_response\":true,"
      "\"interrupt_response\":true}},\"output\":{\"voice\":\"cedar\"}}}");
  g_assert_cmpstr (path_string (client_get (c, "session.updated", 0),
          "session.instructions"), ==, "Be brief.");

  for (k = 0; k < 3; k++) {
    client_append (c, 500, 8000);
    client_append (c, 1000, 0);
  }
  client_expect (c, "response.done", 2);
  seq = turn_sequence (c);
  g_assert_cmpstr (seq, ==, "speech_started speech_stopped committed "
      "created done speech_started speech_stopped committed created done "
      "speech_started speech_stopped committed created done");
  check_vad_responses (c);
  check_vad_turns (server);

  g_assert_true (realtime_test_server_wait_for_client_event (server,
          "input_audio_buffer.append", 90, 1000));
  g_assert_false (realtime_test_server_wait_for_client_event (server,
          "input_audio_buffer.append", 91, 100));
  g_assert_cmpuint (realtime_test_server_count_client_events (server,
          "session.update"), ==, 1);
  auth = realtime_test_server_get_last_authorization (server);
  g_assert_cmpstr (auth, ==, "Bearer sk-test");
  g_free (auth);
  g_free (seq);
  client_free (c);
  realtime_test_server_free (server);
}

static void
check_text_response (Client * c)
{
  JsonObject *done = client_expect (c, "response.done", 0);
  const gchar *id = path_string (done, "response.id");
  gsize bytes;
  gchar *text = collect_deltas (c, "response.output_text.delta", id, &bytes);

  g_assert_cmpstr (text, ==, "Reply to turn 1.");
  g_assert_cmpuint (client_count (c, "response.output_text.delta"), ==, 4);
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==, 0);
  g_assert_cmpstr (path_string (client_get (c, "response.output_text.done",
              0), "text"), ==, "Reply to turn 1.");
  g_assert_cmpstr (path_string (done, "response.status"), ==, "completed");
  g_free (text);
}

static void
test_manual_commit_text (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_expect (c, "session.created", 0);
  client_update_session (c, "{\"type\":\"realtime\",\"output_modalities\":"
      "[\"text\"],\"audio\":{\"input\":{\"turn_detection\":null}}}");

  client_append (c, 50, 8000);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\","
      "\"event_id\":\"evt_small\"}");
  check_error (c, 0, "input_audio_buffer_commit_empty", "evt_small");
  g_assert_nonnull (strstr (path_string (client_get (c, "error", 0),
              "error.message"), "only has 50.00ms"));

  client_append (c, 200, 8000);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\"}");
  client_expect (c, "conversation.item.done", 0);
  client_settle (100);
  /* no VAD, no automatic response */
  g_assert_cmpuint (client_count (c, "response.created"), ==, 0);
  g_assert_cmpuint (client_count (c, "input_audio_buffer.speech_started"),
      ==, 0);

  client_send (c, "{\"type\":\"response.create\",\"event_id\":\"evt_rc\"}");
  check_text_response (c);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_client_errors (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_expect (c, "session.created", 0);
  client_send (c, "{\"type\":\"response.cancel\",\"event_id\":\"e1\"}");
  check_error (c, 0, "response_cancel_not_active", "e1");
  client_send (c, "{\"type\":\"no.such.event\",\"event_id\":\"e2\"}");
  check_error (c, 1, "invalid_value", "e2");
  client_send (c, "{\"type\":\"input_audio_buffer.append\",\"event_id\":"
      "\"e3\",\"audio\":\"!!!notbase64\"}");
  check_error (c, 2, "invalid_value", "e3");
  client_send (c, "{\"type\":\"session.update\",\"event_id\":\"e4\","
      "\"session\":{\"instructions\":\"x\"}}");
  check_error (c, 3, "missing_required_parameter", "e4");
  client_send (c, "{\"type\":\"session.update\",\"event_id\":\"e5\","
      "\"session\":{\"type\":\"realtime\",\"temperature\":0.8}}");
  check_error (c, 4, "unknown_parameter", "e5");
  g_assert_cmpstr (path_string (client_get (c, "error", 4), "error.param"),
      ==, "session.temperature");
  client_send (c, "not json");
  check_error (c, 5, "invalid_json", NULL);

  client_send (c, "{\"type\":\"input_audio_buffer.clear\"}");
  client_expect (c, "input_audio_buffer.cleared", 0);
  /* no such item */
  client_send (c, "{\"type\":\"conversation.item.truncate\",\"event_id\":"
      "\"e6\",\"item_id\":\"item_1\",\"content_index\":0,"
      "\"audio_end_ms\":123}");
  check_error (c, 6, "item_truncate_invalid_item_id", "e6");
  g_assert_cmpuint (realtime_test_server_count_client_events (server, NULL),
      ==, 8);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_auth (void)
{
  RealtimeTestServer *server = start_server (0, "sk-right");
  gchar *url = realtime_test_server_get_url (server);
  gchar *value, *model_url;
  Client *c = client_connect_full (url, "Authorization", "Bearer sk-wrong",
      WAIT_MS);

  g_assert_null (c->ws);
  g_assert_cmpuint (c->status, ==, 401);
  value = realtime_test_server_get_last_authorization (server);
  g_assert_cmpstr (value, ==, "Bearer sk-wrong");
  g_free (value);
  client_free (c);

  model_url = g_strconcat (url, "?model=gpt-realtime-mini", NULL);
  c = client_connect_full (model_url, "api-key", "sk-right", WAIT_MS);
  g_assert_nonnull (c->ws);
  g_assert_cmpstr (path_string (client_expect (c, "session.created", 0),
          "session.model"), ==, "gpt-realtime-mini");
  value = realtime_test_server_get_last_request_header (server, "api-key");
  g_assert_cmpstr (value, ==, "sk-right");
  g_free (value);
  value = realtime_test_server_get_last_request_query (server);
  g_assert_cmpstr (value, ==, "model=gpt-realtime-mini");
  g_free (value);
  client_free (c);

  realtime_test_server_set_faults (server, REALTIME_TEST_FAULT_REFUSE_KEY);
  c = client_connect_full (url, "Authorization", "Bearer sk-right", WAIT_MS);
  g_assert_cmpuint (c->status, ==, 401);
  g_assert_cmpuint (realtime_test_server_get_connection_count (server), ==, 1);
  client_free (c);
  g_free (model_url);
  g_free (url);
  realtime_test_server_free (server);
}

static void
test_error_event_fault (void)
{
  RealtimeTestServer *server =
      start_server (REALTIME_TEST_FAULT_ERROR_EVENT, NULL);
  Client *c = client_connect (server, NULL);

  client_send (c, "{\"type\":\"session.update\",\"event_id\":\"su\","
      "\"session\":{\"type\":\"realtime\"}}");
  check_error (c, 0, "unknown_parameter", "su");
  g_assert_cmpstr (path_string (client_get (c, "error", 0), "error.param"),
      ==, "session.instructions");
  g_assert_cmpuint (client_count (c, "session.updated"), ==, 0);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_slow_cancel (void)
{
  RealtimeTestServer *server = start_server (REALTIME_TEST_FAULT_SLOW, NULL);
  Client *c = client_connect (server, NULL);
  JsonObject *done;
  guint deltas;

  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  client_expect (c, "response.created", 0);
  client_send (c, "{\"type\":\"response.create\",\"event_id\":\"again\"}");
  check_error (c, 0, "conversation_already_has_active_response", "again");
  client_send (c, "{\"type\":\"response.cancel\"}");
  done = client_expect (c, "response.done", 0);
  g_assert_cmpstr (path_string (done, "response.status"), ==, "cancelled");
  g_assert_cmpstr (path_string (done, "response.status_details.reason"), ==,
      "client_cancelled");
  deltas = client_count (c, "response.output_audio.delta");
  client_settle (200);
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==,
      deltas);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_barge_in (void)
{
  RealtimeTestServer *server = start_server (REALTIME_TEST_FAULT_SLOW, NULL);
  Client *c = client_connect (server, NULL);

  client_expect (c, "session.created", 0);
  client_append (c, 500, 8000);
  client_append (c, 600, 0);
  client_expect (c, "response.output_audio.delta", 0);
  client_append (c, 500, 8000);
  client_append (c, 600, 0);
  client_expect (c, "response.done", 1);
  g_assert_cmpstr (path_string (client_get (c, "response.done", 0),
          "response.status_details.reason"), ==, "turn_detected");
  g_assert_cmpuint (realtime_test_server_count_cancelled (server), ==, 1);
  g_assert_cmpstr (path_string (client_get (c, "response.done", 1),
          "response.status"), ==, "completed");
  g_assert_cmpstr (path_string (client_get (c,
              "response.output_audio_transcript.done", 0), "transcript"), ==,
      "Reply to turn 2.");
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_close_mid_response (void)
{
  RealtimeTestServer *server =
      start_server (REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  while (!c->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (c->close_code, ==, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR);
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==, 1);
  g_assert_cmpuint (client_count (c, "response.done"), ==, 0);
  wait_no_open_connections (server);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_malformed_frames (void)
{
  RealtimeTestServer *server =
      start_server (REALTIME_TEST_FAULT_MALFORMED_FRAMES, NULL);
  Client *c = client_connect (server, NULL);
  guint events;

  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  g_assert_cmpuint (c->n_binary, ==, 0);
  client_send (c, "{\"type\":\"response.create\"}");
  client_expect (c, "response.done", 0);
  events = client_count (c, "x.unknown.event");
  g_assert_cmpuint (events, >, 5);
  g_assert_cmpuint (c->n_binary, ==, events);
  g_assert_cmpuint (c->n_invalid, ==, 2 * events);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_hang_handshake (void)
{
  RealtimeTestServer *server =
      start_server (REALTIME_TEST_FAULT_HANG_HANDSHAKE, NULL);
  gchar *url = realtime_test_server_get_url (server);
  Client *c = client_connect_full (url, NULL, NULL, 300);

  g_assert_null (c->ws);
  g_assert_error (c->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* a second one still hangs while the first is parked */
  client_free (c);
  c = client_connect_full (url, NULL, NULL, 300);
  g_assert_null (c->ws);
  client_free (c);
  g_free (url);
  realtime_test_server_free (server);
}

static void
test_multiple_connections (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *a = client_connect (server, NULL);
  Client *b = client_connect (server, NULL);
  guint i;

  client_append (a, 500, 8000);
  client_append (b, 300, 0);
  client_append (b, 500, 8000);
  client_append (a, 1000, 0);
  client_append (b, 1000, 0);
  client_expect (a, "response.done", 0);
  client_expect (b, "response.done", 0);
  g_assert_cmpint (int_member (client_get (b,
              "input_audio_buffer.speech_started", 0), "audio_start_ms"), ==,
      0);
  g_assert_cmpint (int_member (client_get (b,
              "input_audio_buffer.speech_stopped", 0), "audio_end_ms"), ==,
      800);
  for (i = 0; i < 2; i++)
    g_assert_cmpstr (path_string (client_get (i ? b : a,
                "response.output_audio_transcript.done", 0), "transcript"), ==,
        "Reply to turn 1.");
  g_assert_cmpuint (realtime_test_server_get_connection_count (server), ==, 2);
  g_assert_cmpuint (realtime_test_server_get_open_connection_count (server),
      ==, 2);
  client_free (a);
  client_free (b);
  wait_no_open_connections (server);
  realtime_test_server_free (server);
}

static void
test_large_frame (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  gsize size = 4 * 1024 * 1024;
  guchar *audio = g_malloc0 (size);

  client_update_session (c, MANUAL_SESSION);
  client_send_audio (c, audio, size);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\"}");
  client_expect (c, "input_audio_buffer.committed", 0);
  g_assert_false (c->closed);
  g_free (audio);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_client_close_mid_response (void)
{
  RealtimeTestServer *server = start_server (REALTIME_TEST_FAULT_SLOW, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  client_expect (c, "response.created", 0);
  client_free (c);
  wait_no_open_connections (server);
  /* and once more, closing while the server is still waiting */
  c = client_connect (server, NULL);
  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  client_free (c);
  wait_no_open_connections (server);
  realtime_test_server_free (server);
}

/* μ-law in and out: a full-scale square wave is bytes 0x00/0x80, silence
 * is 0xff; the echo must come back byte for byte. */
static void
test_mulaw (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  guchar tone[4000], silence[8000];
  gsize len, i;
  guchar *echo;

  for (i = 0; i < sizeof (tone); i++)
    tone[i] = i % 2 ? 0x80 : 0x00;
  memset (silence, 0xff, sizeof (silence));
  client_update_session (c, "{\"type\":\"realtime\",\"audio\":{\"input\":"
      "{\"format\":{\"type\":\"audio/pcmu\"}},\"output\":{\"format\":"
      "{\"type\":\"audio/pcmu\"}}}}");
  client_send_audio (c, tone, sizeof (tone));
  client_send_audio (c, silence, sizeof (silence));

  client_expect (c, "response.done", 0);
  g_assert_cmpint (int_member (client_get (c,
              "input_audio_buffer.speech_stopped", 0), "audio_end_ms"), ==,
      500);
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==, 5);
  echo = g_base64_decode (path_string (client_get (c,
              "response.output_audio.delta", 0), "delta"), &len);
  g_assert_cmpmem (echo, len, tone, 800);
  g_free (echo);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_session_expiry (void)
{
  RealtimeTestServer *server = realtime_test_server_new ();
  GError *error = NULL;
  Client *c;
  JsonObject *created;
  gint64 expires_in;

  realtime_test_server_set_session_lifetime_ms (server, 300);
  g_assert_true (realtime_test_server_start (server, 0, NULL, &error));
  c = client_connect (server, NULL);
  created = client_expect (c, "session.created", 0);
  expires_in = json_object_get_int_member (json_object_get_object_member
      (created, "session"), "expires_at") - g_get_real_time () / G_USEC_PER_SEC;
  g_assert_cmpint (expires_in, >=, 0);
  g_assert_cmpint (expires_in, <=, 1);
  while (!c->closed)
    g_main_context_iteration (NULL, TRUE);
  check_error (c, 0, "session_expired", NULL);
  g_assert_cmpuint (c->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  client_free (c);
  wait_no_open_connections (server);
  realtime_test_server_free (server);
}

static GTlsCertificate *
make_certificate (const gchar * dir)
{
  gchar *cert = g_build_filename (dir, "cert.pem", NULL);
  gchar *key = g_build_filename (dir, "key.pem", NULL);
  const gchar *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048",
    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key,
    "-out", cert, NULL
  };
  GTlsCertificate *certificate = NULL;

  if (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
          NULL, NULL, NULL, NULL))
    certificate = g_tls_certificate_new_from_files (cert, key, NULL);
  g_unlink (cert);
  g_unlink (key);
  g_free (cert);
  g_free (key);
  return certificate;
}

static void
test_tls (void)
{
  gchar *dir = g_dir_make_tmp ("rts-XXXXXX", NULL);
  GTlsCertificate *cert = make_certificate (dir);
  RealtimeTestServer *server;
  gchar *url;
  Client *c;
  GError *error = NULL;

  g_rmdir (dir);
  g_free (dir);
  if (cert == NULL) {
    g_test_skip ("openssl could not make a certificate");
    return;
  }
  server = realtime_test_server_new ();
  g_assert_true (realtime_test_server_start (server, 0, cert, &error));
  url = realtime_test_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "wss://127.0.0.1:"));
  c = client_connect_full (url, NULL, NULL, WAIT_MS);
  g_assert_no_error (c->error);
  client_expect (c, "session.created", 0);
  client_free (c);
  g_free (url);
  g_object_unref (cert);
  realtime_test_server_free (server);
}

static void
test_lifecycle (void)
{
  RealtimeTestServer *a = start_server (0, NULL);
  RealtimeTestServer *b = realtime_test_server_new ();
  gchar *dir = g_dir_make_tmp ("rts-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "record.jsonl", NULL);
  gchar *contents;
  GError *error = NULL;
  Client *c;

  /* the port is taken */
  g_assert_false (realtime_test_server_start (b,
          realtime_test_server_get_port (a), NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  realtime_test_server_set_record_file (b, path);
  g_assert_true (realtime_test_server_start (b, 0, NULL, &error));
  c = client_connect (b, NULL);
  client_update_session (c, MANUAL_SESSION);
  client_free (c);
  realtime_test_server_stop (b);
  realtime_test_server_stop (b);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"type\":\"session.update\""));
  g_assert_cmpuint (strlen (contents), ==, strchr (contents, '\n') -
      contents + 1);
  g_free (contents);
  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);

  /* stopping under a connected client drops it */
  c = client_connect (a, NULL);
  client_expect (c, "session.created", 0);
  realtime_test_server_stop (a);
  while (!c->closed)
    g_main_context_iteration (NULL, TRUE);
  client_free (c);
  realtime_test_server_free (a);
  realtime_test_server_free (b);
}

/* ------------------------------------------------------------------ */
/* dialects */

#define BETA_SESSION "{\"modalities\":[\"text\",\"audio\"],\"voice\":" \
  "\"verse\",\"instructions\":\"Be brief.\",\"input_audio_format\":" \
  "\"pcm16\",\"output_audio_format\":\"pcm16\",\"turn_detection\":" \
  "{\"type\":\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300," \
  "\"silence_duration_ms\":500,\"create_response\":true}," \
  "\"input_audio_transcription\":{\"model\":\"whisper-1\"}," \
  "\"input_audio_noise_reduction\":{\"type\":\"near_field\"},\"tools\":[]," \
  "\"tool_choice\":\"auto\"}"

static void
check_beta_session_created (Client * c, const gchar * model)
{
  JsonObject *created = client_expect (c, "session.created", 0);

  g_assert_null (path_node (created, "session.type"));
  g_assert_null (path_node (created, "session.audio"));
  g_assert_cmpstr (path_string (created, "session.model"), ==, model);
  g_assert_cmpstr (path_string (created, "session.modalities.1"), ==, "audio");
  g_assert_cmpstr (path_string (created, "session.input_audio_format"), ==,
      "pcm16");
  g_assert_cmpstr (path_string (created, "session.turn_detection.type"), ==,
      "server_vad");
}

/* Beta names and shapes: response.audio.*, response.audio_transcript.*,
 * conversation.item.created only, text/audio content types. */
static void
check_beta_audio_turn (Client * c)
{
  JsonObject *done = client_expect (c, "response.done", 0);
  const gchar *const ga_only[] = { "response.output_audio.delta",
    "response.output_audio_transcript.delta", "conversation.item.added",
    "conversation.item.done", NULL
  };
  guint i;

  for (i = 0; ga_only[i]; i++)
    g_assert_cmpuint (client_count (c, ga_only[i]), ==, 0);
  g_assert_cmpuint (client_count (c, "response.audio.delta"), ==, 5);
  g_assert_cmpuint (client_count (c, "response.audio.done"), ==, 1);
  g_assert_cmpstr (path_string (client_get (c,
              "response.audio_transcript.done", 0), "transcript"), ==,
      "Reply to turn 1.");
  check_response_text (c, 0, "Reply to turn 1.");
  /* the user item, then the assistant's */
  g_assert_cmpuint (client_count (c, "conversation.item.created"), ==, 2);
  g_assert_cmpstr (path_string (done, "response.output.0.content.0.type"),
      ==, "audio");
  g_assert_cmpstr (path_string (done, "response.modalities.0"), ==, "audio");
  g_assert_cmpstr (path_string (done, "response.output_audio_format"), ==,
      "pcm16");
  g_assert_cmpstr (path_string (done, "response.voice"), ==, "verse");
  check_transcript (c, 0);
}

static void
test_beta_dialect (void)
{
  RealtimeTestServer *server = start_server (0, "sk-az");
  Client *c = client_connect_path (server, "/openai/realtime?api-version="
      "2025-04-01-preview&deployment=gpt-4o-realtime-preview", "api-key",
      "sk-az");
  JsonObject *updated;

  check_beta_session_created (c, "gpt-4o-realtime-preview");
  client_update_session (c, BETA_SESSION);
  updated = client_get (c, "session.updated", 0);
  g_assert_cmpstr (path_string (updated, "session.voice"), ==, "verse");
  g_assert_cmpstr (path_string (updated,
          "session.input_audio_transcription.model"), ==, "whisper-1");
  g_assert_cmpint (path_int (updated, "session.turn_detection."
          "prefix_padding_ms"), ==, 300);
  vad_turn (c);
  check_beta_audio_turn (c);

  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"modalities\":[\"text\"]}}");
  client_expect (c, "response.done", 1);
  g_assert_cmpuint (client_count (c, "response.output_text.delta"), ==, 0);
  g_assert_cmpstr (path_string (client_get (c, "response.text.done", 0),
          "text"), ==, "Reply to turn 1.");
  g_assert_cmpstr (path_string (client_get (c, "response.done", 1),
          "response.output.0.content.0.type"), ==, "text");
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_dialect_mismatch (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  gchar *header;

  client_expect (c, "session.created", 0);
  check_update_rejected (c, "{\"modalities\":[\"text\"],\"voice\":"
      "\"alloy\"}", "missing_required_parameter", "session.type");
  client_free (c);

  c = client_connect_beta (server);
  header = realtime_test_server_get_last_request_header (server, "OpenAI-Beta");
  g_assert_cmpstr (header, ==, "realtime=v1");
  check_beta_session_created (c, "gpt-4o-realtime-preview");
  check_update_rejected (c, "{\"instructions\":\"x\",\"type\":\"realtime\","
      "\"audio\":{}}", "unknown_parameter", "session.type");
  check_update_rejected (c, "{\"audio\":{\"input\":{\"format\":{\"type\":"
      "\"audio/pcm\",\"rate\":24000}}}}", "unknown_parameter", "session.audio");
  check_update_rejected (c, "{\"output_modalities\":[\"text\"]}",
      "unknown_parameter", "session.output_modalities");
  check_update_rejected (c, "{\"input_audio_format\":\"audio/pcmu\"}",
      "invalid_value", "session.input_audio_format");
  g_assert_cmpuint (client_count (c, "session.updated"), ==, 0);
  g_free (header);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_azure_paths (void)
{
  RealtimeTestServer *server = start_server (0, "sk-az");
  gchar *base = realtime_test_server_get_base_url (server);
  gchar *url = g_strconcat (base, "/openai/v1/realtime?model=dep&"
      "api-version=2025-04-01-preview", NULL);
  Client *c = client_connect_path (server, "/openai/v1/realtime?model=dep",
      "api-key", "sk-az");
  JsonObject *created = client_expect (c, "session.created", 0);
  gchar *path;

  g_assert_cmpstr (path_string (created, "session.type"), ==, "realtime");
  g_assert_cmpstr (path_string (created, "session.model"), ==, "dep");
  path = realtime_test_server_get_last_request_path (server);
  g_assert_cmpstr (path, ==, "/openai/v1/realtime");
  g_free (path);
  client_free (c);

  /* Azure GA takes no api-version; a wrong key is refused anywhere */
  c = client_connect_full (url, "api-key", "sk-az", WAIT_MS);
  g_assert_null (c->ws);
  g_assert_cmpuint (c->status, ==, 401);
  client_free (c);
  g_free (url);
  url = g_strconcat (base, "/openai/realtime?deployment=d", NULL);
  c = client_connect_full (url, "api-key", "sk-wrong", WAIT_MS);
  g_assert_cmpuint (c->status, ==, 401);
  client_free (c);

  c = client_connect_path (server, "/openai/realtime?api-version="
      "2024-10-01-preview&deployment=d", "Authorization", "Bearer sk-az");
  check_beta_session_created (c, "d");
  client_free (c);
  g_free (url);
  g_free (base);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* turn detection */

/* A committed turn gets no response until the client asks for one. */
static void
check_response_on_request (Client * c)
{
  client_settle (150);
  g_assert_cmpuint (client_count (c, "response.created"), ==, 0);
  client_send (c, "{\"type\":\"response.create\"}");
  check_response_text (c, 0, "Reply to turn 1.");
}

static void
test_manual_turns (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  const gchar *item_id;

  client_update_session (c, "{\"type\":\"realtime\",\"output_modalities\":"
      "[\"text\"],\"audio\":{\"input\":{\"turn_detection\":null}}}");
  g_assert_true (path_is_null (client_get (c, "session.updated", 0),
          "session.audio.input.turn_detection"));
  client_append (c, 500, 8000);
  client_append (c, 1000, 0);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\"}");
  item_id = path_string (client_expect (c, "input_audio_buffer.committed",
          0), "item_id");
  g_assert_nonnull (item_id);
  g_assert_cmpstr (path_string (client_expect (c, "conversation.item.added",
              0), "item.id"), ==, item_id);
  g_assert_cmpstr (path_string (client_expect (c, "conversation.item.done",
              0), "item.role"), ==, "user");
  check_response_on_request (c);
  g_assert_cmpuint (client_count (c, "input_audio_buffer.speech_started"),
      ==, 0);
  g_assert_cmpuint (client_count (c, "input_audio_buffer.speech_stopped"),
      ==, 0);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_create_response_false (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, "{\"type\":\"realtime\",\"audio\":{\"input\":"
      "{\"turn_detection\":{\"type\":\"server_vad\",\"create_response\":"
      "false}}}}");
  vad_turn (c);
  client_expect (c, "input_audio_buffer.committed", 0);
  check_response_on_request (c);
  g_assert_cmpuint (client_count (c, "input_audio_buffer.speech_stopped"),
      ==, 1);
  client_free (c);
  realtime_test_server_free (server);
}

/* semantic_vad: the same energy VAD, always ending turns after 500 ms of
 * silence. */
static void
test_semantic_vad (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, "{\"type\":\"realtime\",\"audio\":{\"input\":"
      "{\"turn_detection\":{\"type\":\"semantic_vad\"}}}}");
  g_assert_cmpstr (path_string (client_get (c, "session.updated", 0),
          "session.audio.input.turn_detection.eagerness"), ==, "auto");
  client_append (c, 500, 8000);
  client_append (c, 400, 0);
  client_expect (c, "input_audio_buffer.speech_started", 0);
  client_settle (100);
  g_assert_cmpuint (client_count (c, "input_audio_buffer.speech_stopped"),
      ==, 0);
  client_append (c, 200, 0);
  g_assert_cmpint (path_int (client_expect (c,
              "input_audio_buffer.speech_stopped", 0), "audio_end_ms"), ==,
      500);
  client_expect (c, "response.done", 0);
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* input transcription */

#define TRANSCRIBED_SESSION "{\"type\":\"realtime\",\"audio\":{\"input\":" \
  "{\"transcription\":{\"model\":\"gpt-4o-mini-transcribe\",\"language\":" \
  "\"en\",\"prompt\":\"Names\"}}}}"

static void
test_transcripts (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, TRANSCRIBED_SESSION);
  vad_turn (c);
  client_expect (c, "response.done", 0);
  check_transcript (c, 0);
  g_assert_cmpuint (client_count (c,
          "conversation.item.input_audio_transcription.delta"), ==, 4);
  /* right after the user item, before the response */
  g_assert_cmpint (event_index (c, "conversation.item.done", 0), <,
      event_index (c, COMPLETED, 0));
  g_assert_cmpint (event_index (c, COMPLETED, 0), <,
      event_index (c, "response.created", 0));
  g_assert_cmpint (path_int (client_get (c, COMPLETED, 0),
          "usage.total_tokens"), >, 0);

  vad_turn (c);
  client_expect (c, "response.done", 1);
  check_transcript (c, 1);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_transcripts_after_response (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  realtime_test_server_set_transcript_after_response (server, TRUE);
  client_update_session (c, TRANSCRIBED_SESSION);
  vad_turn (c);
  check_transcript (c, 0);
  g_assert_cmpint (event_index (c,
          "conversation.item.input_audio_transcription.delta", 0), >,
      event_index (c, "response.done", 0));
  vad_turn (c);
  check_transcript (c, 1);
  g_assert_cmpint (event_index (c, COMPLETED, 1), >,
      event_index (c, "response.done", 1));
  client_free (c);
  realtime_test_server_free (server);
}

static void
check_no_response (Client * c)
{
  client_send (c, "{\"type\":\"response.create\",\"event_id\":\"evt_rc\"}");
  check_error (c, 0, "invalid_request_error", "evt_rc");
  client_settle (100);
  g_assert_cmpuint (client_count (c, "response.created"), ==, 0);
}

static void
test_transcription_session (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect_path (server, "/v1/realtime?intent="
      "transcription", NULL, NULL);
  JsonObject *created = client_expect (c, "session.created", 0);

  g_assert_cmpstr (path_string (created, "session.type"), ==, "transcription");
  g_assert_null (path_node (created, "session.audio.output"));
  client_update_session (c, "{\"type\":\"transcription\",\"audio\":"
      "{\"input\":{\"transcription\":{\"model\":\"gpt-4o-transcribe\"},"
      "\"turn_detection\":{\"type\":\"server_vad\"}}}}");
  vad_turn (c);
  check_transcript (c, 0);
  check_no_response (c);

  client_update_session (c, "{\"type\":\"transcription\",\"audio\":"
      "{\"input\":{\"turn_detection\":null}}}");
  manual_turn (c);
  check_transcript (c, 1);
  client_free (c);

  /* a realtime session turned into a transcription one */
  c = client_connect (server, NULL);
  check_update_rejected (c, "{\"type\":\"transcription\","
      "\"output_modalities\":[\"text\"]}", "unknown_parameter",
      "session.output_modalities");
  client_update_session (c, "{\"type\":\"transcription\"}");
  g_assert_cmpstr (path_string (client_get (c, "session.updated", 0),
          "session.type"), ==, "transcription");
  vad_turn (c);
  check_transcript (c, 0);
  client_free (c);
  realtime_test_server_free (server);
}

/* What an element does for transcription over beta: no automatic
 * responses, text only, transcripts on. */
static void
test_beta_transcription (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect_beta (server);

  client_update_session (c, "{\"modalities\":[\"text\"],"
      "\"input_audio_transcription\":{\"model\":\"whisper-1\",\"language\":"
      "\"de\"},\"turn_detection\":{\"type\":\"server_vad\","
      "\"create_response\":false}}");
  vad_turn (c);
  check_transcript (c, 0);
  g_assert_cmpuint (client_count (c, "conversation.item.created"), ==, 1);
  client_settle (100);
  g_assert_cmpuint (client_count (c, "response.created"), ==, 0);
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* function calls */

#define TOOLS_SESSION "{\"type\":\"realtime\",\"output_modalities\":" \
  "[\"text\"],\"audio\":{\"input\":{\"turn_detection\":null}},\"tools\":" \
  "[{\"type\":\"function\",\"name\":\"create_event\",\"description\":" \
  "\"Adds an event\",\"parameters\":{\"type\":\"object\"}}]}"

static void
check_call (Client * c, guint k)
{
  gchar *call_id = g_strdup_printf ("call_1_%u", k);
  gchar *expected = g_strdup_printf ("{\"title\":\"Turn 1\",\"start_time\":"
      "\"2026-11-21T10:00:00Z\",\"duration\":30,\"call\":%u}", k);
  JsonObject *added = client_get (c, "response.output_item.added", k - 1);
  JsonObject *done = client_get (c, "response.function_call_arguments.done",
      k - 1);
  gchar *path = g_strdup_printf ("response.output.%u.call_id", k - 1);
  gchar *deltas = join_deltas (c, "response.function_call_arguments.delta",
      "call_id", call_id);

  g_assert_cmpstr (path_string (added, "item.type"), ==, "function_call");
  g_assert_cmpstr (path_string (added, "item.status"), ==, "in_progress");
  g_assert_cmpstr (path_string (added, "item.arguments"), ==, "");
  g_assert_cmpstr (path_string (done, "call_id"), ==, call_id);
  g_assert_cmpstr (path_string (done, "name"), ==, "create_event");
  g_assert_cmpstr (path_string (done, "arguments"), ==, expected);
  g_assert_cmpint (path_int (done, "output_index"), ==, k - 1);
  g_assert_cmpstr (deltas, ==, expected);
  g_assert_cmpstr (path_string (client_get (c, "response.done", 0), path),
      ==, call_id);
  g_free (deltas);
  g_free (path);
  g_free (expected);
  g_free (call_id);
}

static void
send_call_output (Client * c, const gchar * call_id, const gchar * output)
{
  gchar *text = g_strdup_printf ("{\"type\":\"conversation.item.create\","
      "\"item\":{\"type\":\"function_call_output\",\"call_id\":\"%s\","
      "\"output\":\"%s\"}}", call_id, output);

  client_send (c, text);
  g_free (text);
}

static void
test_function_calls (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  JsonObject *done;

  realtime_test_server_set_function_calls (server, 2);
  client_update_session (c, TOOLS_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  done = client_expect (c, "response.done", 0);
  check_call (c, 1);
  check_call (c, 2);
  g_assert_null (path_node (done, "response.output.2"));
  g_assert_cmpstr (path_string (done, "response.output.1.type"), ==,
      "function_call");
  g_assert_cmpuint (client_count (c, "response.output_text.delta"), ==, 0);
  /* the user item and both calls */
  g_assert_cmpuint (client_count (c, "conversation.item.done"), ==, 3);

  send_call_output (c, "call_1_1", "a");
  send_call_output (c, "call_1_2", "b");
  client_send (c, "{\"type\":\"response.create\"}");
  check_response_text (c, 1, "Done: a | b");
  g_assert_cmpstr (path_string (client_get (c, "response.done", 1),
          "response.output.0.type"), ==, "message");
  g_assert_cmpuint (client_count (c, "response.function_call_arguments.done"),
      ==, 2);
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* arbitration */

/* The response whose response.created came with metadata.topic @topic. */
static JsonObject *
response_with_topic (Client * c, const gchar * type, const gchar * topic)
{
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);

    if (g_str_equal (event_type (event), type)
        && g_strcmp0 (path_string (event, "response.metadata.topic"),
            topic) == 0)
      return event;
  }
  return NULL;
}

static void
check_out_of_band (Client * c)
{
  JsonObject *created = response_with_topic (c, "response.created", "sum");
  JsonObject *done = response_with_topic (c, "response.done", "sum");
  gboolean oob_first = done == client_get (c, "response.done", 0);

  g_assert_nonnull (created);
  g_assert_nonnull (done);
  g_assert_true (path_is_null (created, "response.conversation_id"));
  g_assert_true (path_is_null (done, "response.conversation_id"));
  check_response_text (c, oob_first ? 0 : 1, "Out-of-band reply.");
  check_response_text (c, oob_first ? 1 : 0, "Reply to turn 1.");
  g_assert_true (g_str_has_prefix (path_string (client_get (c,
                  "response.created", 0), "response.conversation_id"),
          "conv_"));
  /* the user item and the in-band reply only */
  g_assert_cmpuint (client_count (c, "conversation.item.added"), ==, 2);
}

static void
test_out_of_band (void)
{
  RealtimeTestServer *server = start_server (REALTIME_TEST_FAULT_SLOW, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, "{\"type\":\"realtime\",\"output_modalities\":"
      "[\"text\"],\"audio\":{\"input\":{\"turn_detection\":null}}}");
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  client_expect (c, "response.created", 0);
  client_send (c, "{\"type\":\"response.create\",\"event_id\":\"again\"}");
  check_error (c, 0, "conversation_already_has_active_response", "again");
  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"conversation\":\"none\",\"metadata\":{\"topic\":\"sum\"},"
      "\"output_modalities\":[\"text\"],\"input\":[]}}");
  client_expect (c, "response.created", 1);
  /* both run at once */
  g_assert_cmpuint (client_count (c, "response.done"), ==, 0);
  client_expect (c, "response.done", 1);
  check_out_of_band (c);
  g_assert_cmpuint (client_count (c, "error"), ==, 1);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_cancel (void)
{
  RealtimeTestServer *server = start_server (REALTIME_TEST_FAULT_SLOW, NULL);
  Client *c = client_connect (server, NULL);
  JsonObject *done;

  client_update_session (c, MANUAL_SESSION);
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  client_expect (c, "response.output_audio.delta", 0);
  client_send (c, "{\"type\":\"response.cancel\",\"event_id\":\"c1\"}");
  done = client_expect (c, "response.done", 0);
  g_assert_cmpstr (path_string (done, "response.status"), ==, "cancelled");
  g_assert_cmpstr (path_string (done, "response.status_details.type"), ==,
      "cancelled");
  g_assert_cmpstr (path_string (done, "response.status_details.reason"), ==,
      "client_cancelled");
  g_assert_cmpstr (path_string (done, "response.output.0.status"), ==,
      "incomplete");
  client_send (c, "{\"type\":\"response.cancel\",\"event_id\":\"c2\"}");
  check_error (c, 0, "response_cancel_not_active", "c2");
  g_assert_cmpuint (client_count (c, "response.done"), ==, 1);
  client_free (c);
  realtime_test_server_free (server);
}

static void
test_clear (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  gsize bytes;
  gchar *audio;

  client_update_session (c, MANUAL_SESSION);
  client_append (c, 300, 8000);
  client_send (c, "{\"type\":\"input_audio_buffer.clear\"}");
  client_expect (c, "input_audio_buffer.cleared", 0);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\",\"event_id\":"
      "\"cm\"}");
  check_error (c, 0, "input_audio_buffer_commit_empty", "cm");

  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  /* only the audio after the clear comes back */
  audio = collect_deltas (c, "response.output_audio.delta",
      path_string (client_expect (c, "response.done", 0), "response.id"),
      &bytes);
  g_assert_cmpuint (bytes, ==, 200 * 48);
  g_free (audio);
  client_free (c);
  realtime_test_server_free (server);
}

static void
send_user_text (Client * c, const gchar * text)
{
  gchar *event = g_strdup_printf ("{\"type\":\"conversation.item.create\","
      "\"item\":{\"type\":\"message\",\"role\":\"user\",\"content\":"
      "[{\"type\":\"input_text\",\"text\":\"%s\"}]}}", text);

  client_send (c, event);
  g_free (event);
}

static void
test_text_turns (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  JsonObject *added;

  client_update_session (c, MANUAL_SESSION);
  send_user_text (c, "Hello");
  added = client_expect (c, "conversation.item.added", 0);
  g_assert_cmpstr (path_string (added, "item.content.0.type"), ==,
      "input_text");
  client_expect (c, "conversation.item.done", 0);
  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"instructions\":\"Say hi.\",\"output_modalities\":[\"text\"]}}");
  check_response_text (c, 0, "Reply to turn 1: Say hi.");

  send_user_text (c, "Again");
  client_send (c, "{\"type\":\"response.create\"}");
  /* an audio reply without turn audio carries silence */
  check_response_text (c, 1, "Reply to turn 2.");
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==, 4);
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* usage and rate limits */

static void
check_usage (JsonObject * done, gint64 input, gint64 cached, gint64 output)
{
  g_assert_cmpint (path_int (done, "response.usage.input_tokens"), ==, input);
  g_assert_cmpint (path_int (done, "response.usage.output_tokens"), ==, output);
  g_assert_cmpint (path_int (done, "response.usage.total_tokens"), ==,
      input + output);
  g_assert_cmpint (path_int (done, "response.usage.input_token_details."
          "audio_tokens"), ==, input);
  g_assert_cmpint (path_int (done, "response.usage.input_token_details."
          "text_tokens"), ==, 0);
  g_assert_cmpint (path_int (done, "response.usage.input_token_details."
          "cached_tokens"), ==, cached);
  g_assert_cmpint (path_int (done, "response.usage.output_token_details."
          "text_tokens"), ==, output);
  g_assert_cmpint (path_int (done, "response.usage.output_token_details."
          "audio_tokens"), ==, 0);
}

static void
check_rate_limits (JsonObject * event, gint64 requests, gint64 tokens)
{
  g_assert_cmpstr (path_string (event, "rate_limits.0.name"), ==, "requests");
  g_assert_cmpint (path_int (event, "rate_limits.0.limit"), ==, 1000);
  g_assert_cmpint (path_int (event, "rate_limits.0.remaining"), ==, requests);
  g_assert_cmpfloat (json_node_get_double (path_node (event,
              "rate_limits.0.reset_seconds")), ==, 60);
  g_assert_cmpstr (path_string (event, "rate_limits.1.name"), ==, "tokens");
  g_assert_cmpint (path_int (event, "rate_limits.1.limit"), ==, 50000);
  g_assert_cmpint (path_int (event, "rate_limits.1.remaining"), ==, tokens);
  g_assert_cmpfloat (json_node_get_double (path_node (event,
              "rate_limits.1.reset_seconds")), ==, 1.5);
}

static void
test_usage_rate_limits (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  client_update_session (c, "{\"type\":\"realtime\",\"output_modalities\":"
      "[\"text\"],\"audio\":{\"input\":{\"turn_detection\":null}}}");
  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  check_usage (client_expect (c, "response.done", 0), 10, 0, 4);
  g_assert_cmpint (event_index (c, "rate_limits.updated", 0), ==,
      event_index (c, "response.created", 0) + 1);
  check_rate_limits (client_get (c, "rate_limits.updated", 0), 999, 50000);

  manual_turn (c);
  client_send (c, "{\"type\":\"response.create\"}");
  check_usage (client_expect (c, "response.done", 1), 20, 10, 4);
  check_rate_limits (client_get (c, "rate_limits.updated", 1), 998, 50000 - 14);
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* beta G.711 */

/* A full-scale square wave and silence in @format must come back byte
 * for byte, in response.audio.delta. */
static void
check_beta_g711 (RealtimeTestServer * server, const gchar * format,
    guint8 high, guint8 low, guint8 quiet)
{
  Client *c = client_connect_beta (server);
  gchar *session = g_strdup_printf ("{\"input_audio_format\":\"%s\","
      "\"output_audio_format\":\"%s\"}", format, format);
  guchar tone[4000], silence[8000];
  gsize len, i;
  guchar *echo;

  for (i = 0; i < sizeof (tone); i++)
    tone[i] = i % 2 ? high : low;
  memset (silence, quiet, sizeof (silence));
  client_update_session (c, session);
  g_assert_cmpstr (path_string (client_get (c, "session.updated", 0),
          "session.output_audio_format"), ==, format);
  client_send_audio (c, tone, sizeof (tone));
  client_send_audio (c, silence, sizeof (silence));

  g_assert_cmpstr (path_string (client_expect (c, "response.done", 0),
          "response.output_audio_format"), ==, format);
  g_assert_cmpint (path_int (client_get (c,
              "input_audio_buffer.speech_stopped", 0), "audio_end_ms"), ==,
      500);
  g_assert_cmpuint (client_count (c, "response.audio.delta"), ==, 5);
  echo = g_base64_decode (path_string (client_get (c, "response.audio.delta",
              0), "delta"), &len);
  g_assert_cmpmem (echo, len, tone, 800);
  g_free (echo);
  g_free (session);
  client_free (c);
}

static void
test_beta_g711 (void)
{
  RealtimeTestServer *server = start_server (0, NULL);

  check_beta_g711 (server, "g711_ulaw", 0x80, 0x00, 0xff);
  check_beta_g711 (server, "g711_alaw", 0xaa, 0x2a, 0xd5);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* timing, barge-in, truncate, multi-item responses */

static RealtimeTestServer *
start_realtime_server (void)
{
  RealtimeTestServer *server = start_server (0, NULL);

  realtime_test_server_set_realtime_replies (server, TRUE);
  return server;
}

/* A turn of @ms of tone, committed by hand, then response.create. */
static void
manual_reply (Client * c, guint ms)
{
  guint n = client_count (c, "input_audio_buffer.committed");

  client_append (c, ms, 8000);
  client_send (c, "{\"type\":\"input_audio_buffer.commit\"}");
  client_expect (c, "input_audio_buffer.committed", n);
  client_send (c, "{\"type\":\"response.create\"}");
}

/* A 1 s echo goes out in 10 deltas 100 ms apart and ends after 1 s; a
 * text reply sends a word every 150 ms. */
static void
test_realtime_replies (void)
{
  RealtimeTestServer *server = start_realtime_server ();
  Client *c = client_connect (server, NULL);

  client_update_session (c, MANUAL_SESSION);
  manual_reply (c, 1000);
  client_expect (c, "response.done", 0);
  g_assert_cmpuint (client_count (c, "response.output_audio.delta"), ==, 10);
  g_assert_cmpint (ms_between (c, "response.created", 0, "response.done", 0),
      >=, 800);
  g_assert_cmpint (ms_between (c, "response.output_audio.delta", 0,
          "response.output_audio.delta", 9), >=, 700);
  check_response_text (c, 0, "Reply to turn 1.");

  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"output_modalities\":[\"text\"]}}");
  check_response_text (c, 1, "Reply to turn 1.");
  /* 4 words: at 0, 150, 300 and 450 ms, done at 600 ms */
  g_assert_cmpint (ms_between (c, "response.output_text.delta", 0,
          "response.output_text.delta", 3), >=, 350);
  g_assert_cmpint (ms_between (c, "response.created", 1, "response.done", 1),
      >=, 480);
  client_free (c);
  realtime_test_server_free (server);
}

/* No delta of response @nth comes after its response.done. */
static void
check_no_delta_after_done (Client * c, guint nth)
{
  gint done = event_index (c, "response.done", nth);
  const gchar *id = path_string (client_get (c, "response.done", nth),
      "response.id");
  guint i;

  for (i = done; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);

    g_assert_false (g_str_has_suffix (event_type (event), ".delta")
        && g_strcmp0 (path_string (event, "response_id"), id) == 0);
  }
}

static void
send_truncate (Client * c, const gchar * event_id, const gchar * item_id,
    gint64 end_ms)
{
  gchar *text = g_strdup_printf ("{\"type\":\"conversation.item.truncate\","
      "\"event_id\":\"%s\",\"item_id\":\"%s\",\"content_index\":0,"
      "\"audio_end_ms\":%" G_GINT64_FORMAT "}", event_id, item_id, end_ms);

  client_send (c, text);
  g_free (text);
}

static void
check_truncate_record (GArray * truncates, guint i, const gchar * item_id,
    gint64 end_ms, gint64 item_ms, gboolean accepted)
{
  RealtimeTestTruncate *t = &g_array_index (truncates, RealtimeTestTruncate,
      i);

  g_assert_cmpstr (t->item_id, ==, item_id);
  g_assert_cmpint (t->audio_end_ms, ==, end_ms);
  g_assert_cmpint (t->item_audio_ms, ==, item_ms);
  g_assert_cmpint (t->accepted, ==, accepted);
}

/* The item of a cancelled response can be cut to what the client got of
 * it, and no further. */
static void
check_truncate_cancelled (Client * c, RealtimeTestServer * server)
{
  const gchar *item_id = path_string (client_get (c,
          "response.output_item.added", 0), "item.id");
  gint64 got_ms = audio_bytes (c, "item_id", item_id) / 48;
  GArray *truncates;

  g_assert_cmpint (got_ms, <, 500);
  send_truncate (c, "long", item_id, got_ms + 100);
  check_error (c, 0, "invalid_value", "long");
  send_truncate (c, "fit", item_id, got_ms);
  g_assert_cmpint (int_member (client_expect (c,
              "conversation.item.truncated", 0), "audio_end_ms"), ==, got_ms);
  truncates = realtime_test_server_get_truncates (server);
  g_assert_cmpuint (truncates->len, ==, 2);
  check_truncate_record (truncates, 0, item_id, got_ms + 100, got_ms, FALSE);
  check_truncate_record (truncates, 1, item_id, got_ms, got_ms, TRUE);
  g_array_unref (truncates);
}

/* Turns sent faster than real time interrupt the replies still being
 * spoken: only the last one is heard out. */
static void
test_realtime_barge_in (void)
{
  RealtimeTestServer *server = start_realtime_server ();
  Client *c = client_connect (server, NULL);
  guint i;

  client_expect (c, "session.created", 0);
  for (i = 0; i < 3; i++)
    vad_turn (c);
  client_expect (c, "response.done", 2);
  for (i = 0; i < 2; i++) {
    g_assert_cmpstr (path_string (client_get (c, "response.done", i),
            "response.status"), ==, "cancelled");
    g_assert_cmpstr (path_string (client_get (c, "response.done", i),
            "response.status_details.reason"), ==, "turn_detected");
    check_no_delta_after_done (c, i);
  }
  g_assert_cmpstr (path_string (client_get (c, "response.done", 2),
          "response.status"), ==, "completed");
  g_assert_cmpuint (realtime_test_server_count_cancelled (server), ==, 2);
  check_truncate_cancelled (c, server);
  client_free (c);
  realtime_test_server_free (server);
}

/* With interrupt_response false, turns queue their replies instead. */
static void
test_no_interrupt (void)
{
  RealtimeTestServer *server = start_realtime_server ();
  Client *c = client_connect (server, NULL);

  client_update_session (c, "{\"type\":\"realtime\",\"audio\":{\"input\":"
      "{\"turn_detection\":{\"type\":\"server_vad\",\"interrupt_response\":"
      "false}}}}");
  vad_turn (c);
  vad_turn (c);
  client_expect (c, "response.done", 1);
  g_assert_cmpstr (path_string (client_get (c, "response.done", 0),
          "response.status"), ==, "completed");
  g_assert_cmpstr (path_string (client_get (c, "response.done", 1),
          "response.status"), ==, "completed");
  g_assert_cmpuint (realtime_test_server_count_cancelled (server), ==, 0);
  client_free (c);
  realtime_test_server_free (server);
}

/* Truncates are checked against the audio sent: cut once, an item is
 * only as long as the cut. */
static void
test_truncate (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  const gchar *item, *user;
  JsonObject *truncated;
  GArray *truncates;

  client_update_session (c, MANUAL_SESSION);
  manual_reply (c, 200);
  item = path_string (client_expect (c, "response.output_item.added", 0),
      "item.id");
  user = path_string (client_get (c, "input_audio_buffer.committed", 0),
      "item_id");
  client_expect (c, "response.done", 0);
  send_truncate (c, "t1", item, 150);
  truncated = client_expect (c, "conversation.item.truncated", 0);
  g_assert_cmpstr (path_string (truncated, "item_id"), ==, item);
  g_assert_cmpint (int_member (truncated, "content_index"), ==, 0);
  g_assert_cmpint (int_member (truncated, "audio_end_ms"), ==, 150);
  send_truncate (c, "t2", item, 180);
  check_error (c, 0, "invalid_value", "t2");
  g_assert_cmpstr (path_string (client_get (c, "error", 0), "error.message"),
      ==, "Audio content of 150ms is already shorter than 180ms");
  send_truncate (c, "t3", user, 0);
  check_error (c, 1, "unsupported_content_type", "t3");
  send_truncate (c, "t4", "item_none", 0);
  check_error (c, 2, "item_truncate_invalid_item_id", "t4");

  truncates = realtime_test_server_get_truncates (server);
  g_assert_cmpuint (truncates->len, ==, 4);
  check_truncate_record (truncates, 0, item, 150, 200, TRUE);
  check_truncate_record (truncates, 1, item, 180, 150, FALSE);
  check_truncate_record (truncates, 2, user, 0, 0, FALSE);
  check_truncate_record (truncates, 3, "item_none", 0, -1, FALSE);
  g_array_unref (truncates);
  client_free (c);
  realtime_test_server_free (server);
}

/* Item @k of the last response: at output_index @k, saying @text, with
 * @ms of audio (none for text), previous_item_id naming the one before. */
static const gchar *
check_item (Client * c, guint k, const gchar * text, guint ms,
    const gchar * previous)
{
  guint nth = client_count (c, "response.output_item.added") - 2 + k;
  JsonObject *added = client_get (c, "response.output_item.added", nth);
  const gchar *id = path_string (added, "item.id");
  const gchar *type = ms ? "response.output_audio_transcript.delta" :
      "response.output_text.delta";
  gchar *deltas = join_deltas (c, type, "item_id", id);
  /* conversation.item.added follows output_item.added */
  gint item_added = event_index (c, "response.output_item.added", nth) + 1;

  g_assert_cmpint (int_member (added, "output_index"), ==, k);
  g_assert_cmpstr (deltas, ==, text);
  g_assert_cmpuint (audio_bytes (c, "item_id", id), ==, ms * 48);
  g_assert_cmpstr (path_string (g_ptr_array_index (c->events, item_added),
          "previous_item_id"), ==, previous);
  g_free (deltas);
  return id;
}

/* Two items a response, one after the other, in audio and in text. */
static void
test_multi_item (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);
  const gchar *user, *first, *second;
  JsonObject *done;

  realtime_test_server_set_items_per_response (server, 2);
  client_update_session (c, MANUAL_SESSION);
  manual_reply (c, 300);
  done = client_expect (c, "response.done", 0);
  user = path_string (client_get (c, "input_audio_buffer.committed", 0),
      "item_id");
  first = check_item (c, 0, "Preamble 1.", 200, user);
  second = check_item (c, 1, "Reply to turn 1.", 300, first);
  g_assert_cmpint (item_event_index (c, "response.output_item.done", first,
          FALSE), <, item_event_index (c, "response.output_item.added",
          second, FALSE));
  g_assert_cmpstr (path_string (done, "response.output.0.content.0."
          "transcript"), ==, "Preamble 1.");
  g_assert_cmpstr (path_string (done, "response.output.1.id"), ==, second);
  g_assert_cmpint (path_int (done, "response.usage.output_tokens"), ==, 6);

  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"output_modalities\":[\"text\"]}}");
  client_expect (c, "response.done", 1);
  check_item (c, 1, "Reply to turn 1.", 0, check_item (c, 0, "Preamble 1.",
          0, second));
  client_free (c);
  realtime_test_server_free (server);
}

/* Interleaved, the answer's first audio delta comes before the
 * preamble's output_audio.done; in real time, one after the other. */
static void
test_interleave_items (void)
{
  RealtimeTestServer *server = start_realtime_server ();
  Client *c = client_connect (server, NULL);
  const gchar *first, *second;
  gint first_delta;

  realtime_test_server_set_items_per_response (server, 2);
  realtime_test_server_set_interleave_items (server, TRUE);
  client_update_session (c, MANUAL_SESSION);
  manual_reply (c, 300);
  client_expect (c, "response.done", 0);
  first = check_item (c, 0, "Preamble 1.", 200, path_string (client_get (c,
              "input_audio_buffer.committed", 0), "item_id"));
  second = check_item (c, 1, "Reply to turn 1.", 300, first);
  first_delta = item_event_index (c, "response.output_audio.delta", second,
      FALSE);
  g_assert_cmpint (item_event_index (c, "response.output_audio.delta", first,
          TRUE), <, first_delta);
  g_assert_cmpint (first_delta, <, item_event_index (c,
          "response.output_audio.done", first, FALSE));
  g_assert_cmpint (item_event_index (c, "response.output_item.done", first,
          FALSE), <, item_event_index (c, "response.output_audio.delta",
          second, TRUE));
  /* 200 ms of preamble, then 300 ms of answer */
  g_assert_cmpint (ms_between (c, "response.created", 0, "response.done", 0),
      >=, 400);
  client_free (c);
  realtime_test_server_free (server);
}

/* response.created waits the delay after the turn's commit. */
static void
test_response_delay (void)
{
  RealtimeTestServer *server = start_server (0, NULL);
  Client *c = client_connect (server, NULL);

  realtime_test_server_set_response_delay_ms (server, 300);
  client_expect (c, "session.created", 0);
  vad_turn (c);
  client_expect (c, "response.done", 0);
  g_assert_cmpint (ms_between (c, "input_audio_buffer.committed", 0,
          "response.created", 0), >=, 250);
  check_response_text (c, 0, "Reply to turn 1.");
  client_free (c);
  realtime_test_server_free (server);
}

/* ------------------------------------------------------------------ */
/* the GA server schema */

/* What real servers send beyond the schemas (generated from the SDK's
 * request types): a session's id, object and expires_at, and the null
 * conversation_id of out-of-band responses. */
static void
strip_known_extras (JsonObject * event)
{
  JsonNode *session = path_node (event, "session");
  JsonNode *response = path_node (event, "response");

  if (session && JSON_NODE_HOLDS_OBJECT (session)) {
    json_object_remove_member (json_node_get_object (session), "id");
    json_object_remove_member (json_node_get_object (session), "object");
    json_object_remove_member (json_node_get_object (session), "expires_at");
  }
  if (response && path_is_null (event, "response.conversation_id"))
    json_object_remove_member (json_node_get_object (response),
        "conversation_id");
}

static void
write_events (Client * c, FILE * file)
{
  guint i;

  for (i = 0; i < c->events->len; i++) {
    JsonObject *event = g_ptr_array_index (c->events, i);
    JsonNode *node;
    gchar *text;

    strip_known_extras (event);
    node = json_node_init_object (json_node_alloc (), event);
    text = json_to_string (node, FALSE);
    fprintf (file, "%s\n", text);
    g_free (text);
    json_node_unref (node);
  }
}

/* Most GA server events: VAD, transcripts, audio reply, function call,
 * text reply, out-of-band reply, cancel errors, clear, item events. */
static void
run_ga_scenario (Client * c)
{
  client_update_session (c, "{\"type\":\"realtime\",\"audio\":{\"input\":"
      "{\"transcription\":{\"model\":\"whisper-1\"}}},\"tools\":[{\"type\":"
      "\"function\",\"name\":\"f\",\"parameters\":{}}]}");
  vad_turn (c);
  client_expect (c, "response.done", 0);
  send_call_output (c, "call_1_1", "ok");
  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"output_modalities\":[\"text\"]}}");
  client_expect (c, "response.done", 1);
  client_send (c, "{\"type\":\"response.create\",\"response\":"
      "{\"conversation\":\"none\",\"metadata\":{\"k\":\"v\"}}}");
  client_expect (c, "response.done", 2);
  client_send (c, "{\"type\":\"response.cancel\",\"event_id\":\"x\"}");
  client_send (c, "{\"type\":\"input_audio_buffer.clear\"}");
  client_send (c, "{\"type\":\"conversation.item.truncate\",\"item_id\":"
      "\"item_1\",\"content_index\":0,\"audio_end_ms\":10}");
  client_send (c, "{\"type\":\"conversation.item.delete\",\"item_id\":"
      "\"item_1\"}");
  client_expect (c, "conversation.item.deleted", 0);
}

static gboolean
validator_available (const gchar * validator)
{
  const gchar *argv[] = { "python3", "-c", "import jsonschema", NULL };
  gint status = -1;

  return g_file_test (validator, G_FILE_TEST_EXISTS)
      && g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL)
      && g_spawn_check_wait_status (status, NULL);
}

static void
validate_file (const gchar * validator, const gchar * path)
{
  const gchar *argv[] = { "python3", validator, "--server", path, NULL };
  gchar *out = NULL;
  gint status = -1;

  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL,
          G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("GA server schema: %s", out);
  g_assert_nonnull (strstr (out, " 0 failed"));
  g_test_message ("GA server schema: %s", g_strchomp (out));
  g_free (out);
}

static void
test_ga_schema (void)
{
  const gchar *data = g_getenv ("REALTIME_TEST_DATA");
  gchar *validator = g_build_filename (data ? data : ".", "validate-events",
      NULL);
  gchar *path = g_build_filename (g_get_tmp_dir (), "rts-ga-XXXXXX", NULL);
  RealtimeTestServer *server;
  Client *c;
  FILE *file;
  gint fd;

  if (data == NULL || !validator_available (validator)) {
    g_test_skip ("no REALTIME_TEST_DATA/validate-events or jsonschema");
    g_free (validator);
    g_free (path);
    return;
  }
  server = start_server (0, NULL);
  realtime_test_server_set_function_calls (server, 1);
  fd = g_mkstemp (path);
  file = fdopen (fd, "w");
  c = client_connect (server, NULL);
  run_ga_scenario (c);
  write_events (c, file);
  client_free (c);
  c = client_connect_path (server, "/v1/realtime?intent=transcription",
      NULL, NULL);
  client_update_session (c, "{\"type\":\"transcription\"}");
  vad_turn (c);
  client_expect (c, COMPLETED, 0);
  write_events (c, file);
  client_free (c);
  fclose (file);

  validate_file (validator, path);
  g_unlink (path);
  g_free (path);
  g_free (validator);
  realtime_test_server_free (server);
}

int
main (int argc, char **argv)
{
  const gchar *dump_path = g_getenv ("REALTIME_SELFTEST_SERVER_EVENTS");
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (dump_path)
    dump = fopen (dump_path, "w");

  g_test_add_func ("/server/vad-turns", test_vad_turns);
  g_test_add_func ("/server/manual-commit-text", test_manual_commit_text);
  g_test_add_func ("/server/client-errors", test_client_errors);
  g_test_add_func ("/server/auth", test_auth);
  g_test_add_func ("/server/error-event-fault", test_error_event_fault);
  g_test_add_func ("/server/slow-cancel", test_slow_cancel);
  g_test_add_func ("/server/barge-in", test_barge_in);
  g_test_add_func ("/server/close-mid-response", test_close_mid_response);
  g_test_add_func ("/server/malformed-frames", test_malformed_frames);
  g_test_add_func ("/server/hang-handshake", test_hang_handshake);
  g_test_add_func ("/server/multiple-connections", test_multiple_connections);
  g_test_add_func ("/server/large-frame", test_large_frame);
  g_test_add_func ("/server/client-close-mid-response",
      test_client_close_mid_response);
  g_test_add_func ("/server/mulaw", test_mulaw);
  g_test_add_func ("/server/session-expiry", test_session_expiry);
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/lifecycle", test_lifecycle);
  g_test_add_func ("/server/beta-dialect", test_beta_dialect);
  g_test_add_func ("/server/dialect-mismatch", test_dialect_mismatch);
  g_test_add_func ("/server/azure-paths", test_azure_paths);
  g_test_add_func ("/server/manual-turns", test_manual_turns);
  g_test_add_func ("/server/create-response-false", test_create_response_false);
  g_test_add_func ("/server/semantic-vad", test_semantic_vad);
  g_test_add_func ("/server/transcripts", test_transcripts);
  g_test_add_func ("/server/transcripts-after-response",
      test_transcripts_after_response);
  g_test_add_func ("/server/transcription-session", test_transcription_session);
  g_test_add_func ("/server/beta-transcription", test_beta_transcription);
  g_test_add_func ("/server/function-calls", test_function_calls);
  g_test_add_func ("/server/out-of-band", test_out_of_band);
  g_test_add_func ("/server/cancel", test_cancel);
  g_test_add_func ("/server/clear", test_clear);
  g_test_add_func ("/server/text-turns", test_text_turns);
  g_test_add_func ("/server/usage-rate-limits", test_usage_rate_limits);
  g_test_add_func ("/server/beta-g711", test_beta_g711);
  g_test_add_func ("/server/realtime-replies", test_realtime_replies);
  g_test_add_func ("/server/realtime-barge-in", test_realtime_barge_in);
  g_test_add_func ("/server/no-interrupt", test_no_interrupt);
  g_test_add_func ("/server/truncate", test_truncate);
  g_test_add_func ("/server/multi-item", test_multi_item);
  g_test_add_func ("/server/interleave-items", test_interleave_items);
  g_test_add_func ("/server/response-delay", test_response_delay);
  g_test_add_func ("/server/ga-schema", test_ga_schema);

  ret = g_test_run ();
  if (dump)
    fclose (dump);
  return ret;
}
