/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The scripted Realtime server: the server thread, the handshake, the
 * connections and the public API. Everything that touches libsoup runs
 * on the server thread, inside its own GMainContext; what the tests read
 * back (client events, turns, request headers) lives behind `lock`.
 *
 * Each WebSocket gets a Connection holding its dialect (GA, or beta for
 * the Azure preview path and `OpenAI-Beta: realtime=v1`), the effective
 * session, the audio appended since the last commit, the VAD state and
 * the responses under way; see realtimetestserver-private.h for the
 * files that handle each. */

#include "realtimetestserver-private.h"

#include <glib/gstdio.h>
#include <string.h>

/* appends may carry 15 MiB of base64; leave room for the JSON around it */
#define MAX_INCOMING_PAYLOAD (32 * 1024 * 1024)
/* how long stop() waits for closing sockets to be finalised */
#define TEARDOWN_TIMEOUT_MS 2000

static const gchar *const served_paths[] = {
  REALTIME_PATH, AZURE_GA_PATH, AZURE_PREVIEW_PATH
};

/* ------------------------------------------------------------------ */
/* recording what clients do */

static void
record_client_event (RealtimeTestServer * self, const gchar * type,
    gchar * json)
{
  guint count;

  g_mutex_lock (&self->lock);
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
  if (self->drop_events) {
    self->n_dropped++;
    g_free (json);
  } else {
    g_ptr_array_add (self->events, json);
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
rts_record_turn (RealtimeTestServer * self, guint64 start_ms, guint64 end_ms)
{
  RealtimeTestTurn turn = { (gint64) start_ms, (gint64) end_ms };

  g_mutex_lock (&self->lock);
  g_array_append_val (self->turns, turn);
  g_mutex_unlock (&self->lock);
}

void
rts_record_barge_in (RealtimeTestServer * self)
{
  g_mutex_lock (&self->lock);
  self->n_cancelled++;
  g_mutex_unlock (&self->lock);
}

void
rts_record_truncate (RealtimeTestServer * self,
    const RealtimeTestTruncate * truncate)
{
  g_mutex_lock (&self->lock);
  g_array_append_vals (self->truncates, truncate, 1);
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
  g_free (self->last_path);
  self->last_path = g_strdup (g_uri_get_path (uri));
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (headers, copy_header, self->last_headers);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------ */
/* client events */

static const struct
{
  const gchar *type;
  RtsEventHandler handle;
} event_handlers[] = {
  {"session.update", rts_handle_session_update},
  {"input_audio_buffer.append", rts_handle_append},
  {"input_audio_buffer.commit", rts_handle_commit},
  {"input_audio_buffer.clear", rts_handle_clear},
  {"response.create", rts_handle_response_create},
  {"response.cancel", rts_handle_response_cancel},
  {"conversation.item.truncate", rts_handle_item_truncate},
  {"conversation.item.create", rts_handle_item_create},
  {"conversation.item.delete", rts_handle_item_delete},
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
  rts_send_error (c, "invalid_value", message, "type", event_id);
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
  if (c->server->frame_func)
    c->server->frame_func (TRUE, text, g_get_monotonic_time (),
        c->server->frame_data);
  /* recorded before it is answered, so waiters see it first */
  record_client_event (c->server, type, text);
  if (event)
    dispatch_event (c, event, type);
  else
    rts_send_error (c, "invalid_json", "The message is not a JSON object.",
        NULL, NULL);
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
  g_clear_object (&c->socket);
  if (c->expiry) {
    g_source_destroy (c->expiry);
    g_source_unref (c->expiry);
  }
  rts_responses_free (c);
  rts_conversation_clear (c);
  /* stop() waits until libsoup's closing of the socket is over */
  self->closing_sockets++;
  g_object_weak_ref (G_OBJECT (c->ws), socket_finalized, self);
  g_object_unref (c->ws);
  json_object_unref (c->session);
  g_array_unref (c->pending);
  g_clear_pointer (&c->last_turn_audio, g_bytes_unref);
  g_free (c->speech_item_id);
  g_free (c->last_item_id);
  g_hash_table_unref (c->item_audio_us);
  g_free (c->conversation_id);
  g_ptr_array_unref (c->function_outputs);
  self->connections = g_list_remove (self->connections, c);
  g_free (c);

  g_mutex_lock (&self->lock);
  self->n_open--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
closed_cb (SoupWebsocketConnection * ws, gpointer user_data)
{
  connection_free (user_data);
}

/* What the handshake asked for. */
typedef struct
{
  gboolean beta;
  gboolean transcription;
  gboolean api_key_header;      /* the key came as `api-key`, no Bearer */
  gchar *model;
} Handshake;

/* The Azure preview path and the OpenAI beta header speak beta; the
 * model is `model` (Azure GA names the deployment so), or the preview's
 * `deployment`. */
static void
handshake_parse (Handshake * hs, SoupServerMessage * msg, const char *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *query = g_uri_get_query (soup_server_message_get_uri (msg));
  const gchar *beta = soup_message_headers_get_list (headers, "OpenAI-Beta");
  GHashTable *params = query ?
      g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  const gchar *model = params ? g_hash_table_lookup (params, "model") : NULL;

  if (model == NULL && params)
    model = g_hash_table_lookup (params, "deployment");
  hs->beta = g_str_equal (path, AZURE_PREVIEW_PATH)
      || (beta && strstr (beta, "realtime=v1"));
  hs->transcription = params
      && g_strcmp0 (g_hash_table_lookup (params, "intent"),
      "transcription") == 0;
  hs->api_key_header = soup_message_headers_get_one (headers, "api-key")
      && !soup_message_headers_get_one (headers, "Authorization");
  hs->model = g_strdup (model ? model : DEFAULT_MODEL);
  g_clear_pointer (&params, g_hash_table_unref);
}

static Connection *
connection_new (RealtimeTestServer * self, SoupWebsocketConnection * ws,
    const Handshake * hs)
{
  Connection *c = g_new0 (Connection, 1);

  c->server = self;
  c->ws = g_object_ref (ws);
  c->beta = hs->beta;
  c->conversation_id = rts_new_id (self, "conv");
  c->pending = g_array_new (FALSE, FALSE, sizeof (gint16));
  c->odd_byte = -1;
  c->function_outputs = g_ptr_array_new_with_free_func (g_free);
  c->item_audio_us = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  g_queue_init (&c->queued);
  g_queue_init (&c->transcripts);
  c->session = rts_session_new (c, hs->model, hs->transcription);
  rts_session_derive (c);
  return c;
}

/* What the GA server does at its 60 min cap. */
static gboolean
expire_cb (gpointer user_data)
{
  Connection *c = user_data;

  g_clear_pointer (&c->expiry, g_source_unref);
  rts_send_error (c, "session_expired", "Your session hit the maximum duration "
      "of 60 minutes.", NULL, NULL);
  if (rts_connection_is_open (c))
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
send_error_and_close (Connection * c, const gchar * code,
    const gchar * message, guint close_code)
{
  rts_send_error (c, code, message, NULL, NULL);
  if (close_code && rts_connection_is_open (c))
    soup_websocket_connection_close (c->ws, close_code,
        "invalid_request_error");
}

/* What OpenAI's service does with a session it will not start: TRUE if
 * it did. */
static gboolean
refuse_session (Connection * c, const Handshake * hs)
{
  if (hs->api_key_header
      && rts_has_fault (c->server, REALTIME_TEST_FAULT_BEARER_ONLY)) {
    send_error_and_close (c, NULL, "Missing bearer or basic authentication "
        "in header", 3000);
    return TRUE;
  }
  if (hs->beta && rts_has_fault (c->server, REALTIME_TEST_FAULT_GA_ONLY)) {
    send_error_and_close (c, "beta_api_shape_disabled", "The beta Realtime "
        "API shape is no longer supported. Use the GA interface.", 4000);
    return TRUE;
  }
  return FALSE;
}

/* realtime_test_server_stall_connections() */
static RealtimeTestStall
take_stall (RealtimeTestServer * self)
{
  RealtimeTestStall stall = 0;

  g_mutex_lock (&self->lock);
  if (self->stalls > 0) {
    self->stalls--;
    stall = self->stall;
  }
  g_mutex_unlock (&self->lock);
  return stall;
}

static void
websocket_cb (SoupServer * soup, SoupServerMessage * msg, const char *path,
    SoupWebsocketConnection * ws, gpointer user_data)
{
  RealtimeTestServer *self = user_data;
  RealtimeTestStall stall;
  Handshake hs;
  Connection *c;

  handshake_parse (&hs, msg, path);
  c = connection_new (self, ws, &hs);
  c->socket = g_object_ref (soup_server_message_get_socket (msg));
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

  stall = take_stall (self);
  c->stalled = stall == REALTIME_TEST_STALL_BEFORE_UPDATED;
  if (!refuse_session (c, &hs) && stall != REALTIME_TEST_STALL_BEFORE_CREATED)
    rts_send_session_event (c, "session.created");
  g_free (hs.model);
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
refuse_request (SoupServerMessage * msg, const gchar * body)
{
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "application/json",
      SOUP_MEMORY_STATIC, body, strlen (body));
}

static const gchar bad_key_body[] = "{\"error\":{\"message\":\"Incorrect "
    "API key provided.\",\"type\":\"invalid_request_error\",\"param\":"
    "null,\"code\":\"invalid_api_key\"}}";

/* Azure's GA path takes no api-version: it answers 401 to one. */
static const gchar api_version_body[] = "{\"error\":{\"message\":"
    "\"api-version is not allowed on the v1 API.\",\"type\":"
    "\"invalid_request_error\",\"param\":\"api-version\",\"code\":"
    "\"unsupported_api_version\"}}";

/* realtime_test_server_refuse_connections() */
static gboolean
take_refusal (RealtimeTestServer * self, SoupServerMessage * msg)
{
  guint status = 0;

  g_mutex_lock (&self->lock);
  if (self->refusals > 0) {
    self->refusals--;
    status = self->refusal_status;
    if (self->retry_after)
      soup_message_headers_replace (soup_server_message_get_response_headers
          (msg), "Retry-After", self->retry_after);
  }
  g_mutex_unlock (&self->lock);
  if (status == 0)
    return FALSE;
  soup_server_message_set_status (msg, status, NULL);
  return TRUE;
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
  if (take_refusal (self, msg))
    return;
  if (rts_has_fault (self, REALTIME_TEST_FAULT_HANG_HANDSHAKE)) {
    /* never answered; stop() drops the connection */
    soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
    soup_server_message_pause (msg);
    return;
  }
  if (rts_has_fault (self, REALTIME_TEST_FAULT_REFUSE_KEY)
      || !request_key_matches (self, headers))
    refuse_request (msg, bad_key_body);
  else if (g_str_equal (path, AZURE_GA_PATH) && query
      && g_hash_table_contains (query, "api-version"))
    refuse_request (msg, api_version_body);
}

/* ------------------------------------------------------------------ */
/* the server thread */

static gboolean
server_setup (RealtimeTestServer * self, GError ** error)
{
  GSocketAddress *address, *local;
  GSList *listeners;
  gboolean ok;
  guint i;

  self->soup = soup_server_new ("server-header", "realtime-test-server ",
      "tls-certificate", self->certificate, NULL);
  for (i = 0; i < G_N_ELEMENTS (served_paths); i++) {
    soup_server_add_handler (self->soup, served_paths[i], handshake_cb, self,
        NULL);
    soup_server_add_websocket_handler (self->soup, served_paths[i], NULL,
        NULL, websocket_cb, self, NULL);
  }

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
  self->truncates = g_array_new (FALSE, FALSE, sizeof (RealtimeTestTruncate));
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
  g_free (server->dtmf_keys);
  g_ptr_array_unref (server->events);
  g_hash_table_unref (server->type_counts);
  g_array_unref (server->turns);
  g_array_unref (server->truncates);
  g_free (server->last_authorization);
  g_free (server->last_query);
  g_free (server->last_path);
  g_free (server->retry_after);
  g_clear_pointer (&server->last_headers, soup_message_headers_unref);
  g_queue_clear_full (&server->injections, (GDestroyNotify) rts_injection_free);
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
realtime_test_server_set_function_calls (RealtimeTestServer * server,
    guint n_calls)
{
  g_atomic_int_set (&server->function_calls, n_calls);
}

void
realtime_test_server_set_transcript_after_response (RealtimeTestServer *
    server, gboolean after)
{
  g_atomic_int_set (&server->transcript_after_response, after);
}

void
realtime_test_server_set_silence_transcribed (RealtimeTestServer * server,
    gboolean transcribed)
{
  g_atomic_int_set (&server->silence_untranscribed, !transcribed);
}

void
realtime_test_server_set_mcp_failures (RealtimeTestServer * server,
    RealtimeTestMcpFailure failures)
{
  g_atomic_int_set (&server->mcp_failures, failures);
}

void
realtime_test_server_set_dtmf_keys (RealtimeTestServer * server,
    const gchar * keys)
{
  g_mutex_lock (&server->lock);
  g_free (server->dtmf_keys);
  server->dtmf_keys = g_strdup (keys);
  g_mutex_unlock (&server->lock);
}

void
realtime_test_server_set_realtime_replies (RealtimeTestServer * server,
    gboolean realtime)
{
  g_atomic_int_set (&server->realtime_replies, realtime);
}

void
realtime_test_server_set_items_per_response (RealtimeTestServer * server,
    guint n)
{
  g_atomic_int_set (&server->items_per_response, n);
}

void
realtime_test_server_set_interleave_items (RealtimeTestServer * server,
    gboolean interleave)
{
  g_atomic_int_set (&server->interleave_items, interleave);
}

void
realtime_test_server_set_response_delay_ms (RealtimeTestServer * server,
    guint ms)
{
  g_atomic_int_set (&server->response_delay_ms, ms);
}

void
realtime_test_server_set_frame_func (RealtimeTestServer * server,
    RealtimeTestFrameFunc func, gpointer user_data)
{
  server->frame_func = func;
  server->frame_data = user_data;
}

void
realtime_test_server_set_drop_events (RealtimeTestServer * server,
    gboolean drop)
{
  server->drop_events = drop;
}

void
realtime_test_server_inject_frame (RealtimeTestServer * server,
    const gchar * before, const gchar * data, gssize size, gboolean binary,
    guint count)
{
  Injection *injection = g_new0 (Injection, 1);

  g_return_if_fail (before != NULL);
  injection->before = g_strdup (before);
  injection->data = g_bytes_new (data, size < 0 ? strlen (data) : size);
  injection->binary = binary;
  injection->count = count;
  g_mutex_lock (&server->lock);
  g_queue_push_tail (&server->injections, injection);
  g_mutex_unlock (&server->lock);
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
realtime_test_server_get_base_url (RealtimeTestServer * server)
{
  return g_strdup_printf ("%s://127.0.0.1:%u",
      server->certificate ? "wss" : "ws", server->port);
}

gchar *
realtime_test_server_get_url (RealtimeTestServer * server)
{
  gchar *base = realtime_test_server_get_base_url (server);
  gchar *url = g_strconcat (base, REALTIME_PATH, NULL);

  g_free (base);
  return url;
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
    return self->events->len + self->n_dropped;
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

/* A copy of @array, read under the lock. */
static GArray *
copy_locked (RealtimeTestServer * self, GArray * array)
{
  GArray *copy;

  g_mutex_lock (&self->lock);
  copy = g_array_copy (array);
  g_mutex_unlock (&self->lock);
  return copy;
}

/* A copy of the VAD turns of every connection, in the order they ended;
 * manual commits are not VAD turns. Free with g_array_unref(). */
GArray *
realtime_test_server_get_turns (RealtimeTestServer * server)
{
  return copy_locked (server, server->turns);
}

GArray *
realtime_test_server_get_truncates (RealtimeTestServer * server)
{
  return copy_locked (server, server->truncates);
}

guint
realtime_test_server_count_cancelled (RealtimeTestServer * server)
{
  guint count;

  g_mutex_lock (&server->lock);
  count = server->n_cancelled;
  g_mutex_unlock (&server->lock);
  return count;
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

/* A copy of the string at @field, read under the lock. */
static gchar *
dup_locked (RealtimeTestServer * self, gchar ** field)
{
  gchar *value;

  g_mutex_lock (&self->lock);
  value = g_strdup (*field);
  g_mutex_unlock (&self->lock);
  return value;
}

gchar *
realtime_test_server_get_last_authorization (RealtimeTestServer * server)
{
  return dup_locked (server, &server->last_authorization);
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
  return dup_locked (server, &server->last_query);
}

gchar *
realtime_test_server_get_last_request_path (RealtimeTestServer * server)
{
  return dup_locked (server, &server->last_path);
}

gboolean
realtime_test_server_wait_for_open_connections (RealtimeTestServer * server,
    guint count, guint timeout_ms)
{
  gint64 deadline =
      g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean reached;

  g_mutex_lock (&server->lock);
  while (!(reached = server->n_open <= count))
    if (!g_cond_wait_until (&server->cond, &server->lock, deadline))
      break;
  reached = server->n_open <= count;
  g_mutex_unlock (&server->lock);
  return reached;
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

typedef struct
{
  RealtimeTestServer *server;
  guint close_code;
  gboolean done;
  gboolean error;               /* an `error` event goes first */
  const gchar *code;
  const gchar *message;
} DropRequest;

static gboolean
drop_connections_cb (gpointer user_data)
{
  DropRequest *drop = user_data;
  RealtimeTestServer *self = drop->server;
  GList *l, *next;

  /* a close may free the connection at once */
  for (l = self->connections; l; l = next) {
    Connection *c = l->data;

    next = l->next;
    if (!rts_connection_is_open (c))
      continue;
    if (drop->error)
      send_error_and_close (c, drop->code, drop->message, drop->close_code);
    else if (drop->close_code)
      soup_websocket_connection_close (c->ws, drop->close_code, "dropped");
    else
      /* the peer reads the end of the stream, with no close frame */
      g_socket_shutdown (c->socket, TRUE, TRUE, NULL);
  }
  g_mutex_lock (&self->lock);
  drop->done = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

static void
run_drop (RealtimeTestServer * server, DropRequest * drop)
{
  g_main_context_invoke (server->context, drop_connections_cb, drop);
  g_mutex_lock (&server->lock);
  while (!drop->done)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
}

void
realtime_test_server_drop_connections (RealtimeTestServer * server,
    guint close_code)
{
  DropRequest drop = { server, close_code, FALSE, FALSE, NULL, NULL };

  run_drop (server, &drop);
}

void
realtime_test_server_error_connections (RealtimeTestServer * server,
    const gchar * code, const gchar * message, guint close_code)
{
  DropRequest drop = { server, close_code, FALSE, TRUE, code, message };

  run_drop (server, &drop);
}

void
realtime_test_server_set_retry_after (RealtimeTestServer * server,
    const gchar * retry_after)
{
  g_mutex_lock (&server->lock);
  g_free (server->retry_after);
  server->retry_after = g_strdup (retry_after);
  g_mutex_unlock (&server->lock);
}

void
realtime_test_server_stall_connections (RealtimeTestServer * server,
    guint n, RealtimeTestStall stall)
{
  g_mutex_lock (&server->lock);
  server->stalls = n;
  server->stall = stall;
  g_mutex_unlock (&server->lock);
}

void
realtime_test_server_refuse_connections (RealtimeTestServer * server,
    guint n, guint status)
{
  g_mutex_lock (&server->lock);
  server->refusals = n;
  server->refusal_status = status;
  g_mutex_unlock (&server->lock);
}
