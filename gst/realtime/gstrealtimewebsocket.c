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

#include <string.h>

#include <gst/gst.h>
#include <libsoup/soup.h>

#include "gstrealtimewebsocket.h"

GST_DEBUG_CATEGORY_STATIC (realtime_session_debug);
#define GST_CAT_DEFAULT realtime_session_debug

/* Reply frames can be far larger than libsoup's 128 KiB default: a beta
 * conversation.item.created may embed megabytes of audio. */
#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)
/* WebSocket pings keep NATs and proxies from dropping a quiet session. */
#define KEEPALIVE_INTERVAL_S 15
/* How long a clean close may wait for the server's close frame. */
#define CLOSE_TIMEOUT_MS 500

/* libsoup's codes are the ones the interface names */
G_STATIC_ASSERT ((gint) GST_REALTIME_CLOSE_GOING_AWAY ==
    (gint) SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
G_STATIC_ASSERT ((gint) GST_REALTIME_CLOSE_PROTOCOL_ERROR ==
    (gint) SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR);
G_STATIC_ASSERT ((gint) GST_REALTIME_CLOSE_NO_STATUS ==
    (gint) SOUP_WEBSOCKET_CLOSE_NO_STATUS);
G_STATIC_ASSERT ((gint) GST_REALTIME_CLOSE_ABNORMAL ==
    (gint) SOUP_WEBSOCKET_CLOSE_ABNORMAL);
G_STATIC_ASSERT ((gint) GST_REALTIME_CLOSE_SERVER_ERROR ==
    (gint) SOUP_WEBSOCKET_CLOSE_SERVER_ERROR);

typedef struct
{
  GstRealtimeTransport parent;

  gchar *url;
  gchar *api_key;
  gboolean api_key_header;
  gchar **headers;
  GTlsDatabase *tls_database;
  gboolean tls_insecure;
  guint timeout_s;
  gsize max_queued_bytes;

  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GSource *drain_source;        /* ready when the queue has events to send */

  /* session thread only */
  SoupSession *soup;
  SoupMessage *msg;
  SoupWebsocketConnection *conn;
  GCancellable *cancellable;
  GSource *writable_source;
  GSource *reconnect_source;
  GSource *start_source;        /* the server's time to start the session */
  guint refusal_status;         /* of the last handshake refused */
  guint refusal_retry_after_ms;
  gboolean closing;             /* shutting down for good */
  gboolean renewing;            /* closing to open a fresh session */
  gboolean reconnect_requested; /* by the closed callback */
  GError *conn_error;

  /* shared, under lock */
  GMutex lock;
  GCond cond;
  GQueue queue;                 /* gchar *, events ready to send */
  gsize queued_bytes;
  guint waiting;                /* threads waiting for room in the queue */
  gboolean queue_open;
  gboolean drain_scheduled;
  gboolean flushing;
  gboolean finished;
  guint epoch;                  /* connections that ended */
} GstRealtimeSession;

static void session_drain_queue (GstRealtimeSession * session);
static gboolean session_connect (GstRealtimeSession * session);
static gboolean session_drain_ready (gpointer user_data);
static void websocket_set_flushing (GstRealtimeTransport * transport,
    gboolean flushing);

static void
session_attach_idle (GstRealtimeSession * session, GSourceFunc func)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, func, session, NULL);
  g_source_attach (source, session->context);
  g_source_unref (source);
}

/* One source for the session's life wakes the session thread for each
 * batch of queued events, rather than a new idle source each time: its
 * ready time is set from any thread and cleared when it runs. */
static gboolean
drain_source_dispatch (GSource * source, GSourceFunc callback,
    gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs drain_source_funcs = {
  NULL, NULL, drain_source_dispatch, NULL,
};

static GSource *
drain_source_new (GstRealtimeSession * session, GSourceFunc func)
{
  GSource *source = g_source_new (&drain_source_funcs, sizeof (GSource));

  /* as the idle sources it replaces: after pending I/O */
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, func, session, NULL);
  g_source_attach (source, session->context);
  return source;
}

static void
session_clear_source (GSource ** source)
{
  if (*source)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
session_drop_connection (GstRealtimeSession * session)
{
  session_clear_source (&session->start_source);
  if (session->writable_source)
    g_source_destroy (session->writable_source);
  g_clear_pointer (&session->writable_source, g_source_unref);
  if (session->conn)
    g_signal_handlers_disconnect_by_data (session->conn, session);
  g_clear_object (&session->conn);
  g_clear_object (&session->msg);
  g_clear_error (&session->conn_error);
}

/* What was queued belonged to the connection that ended: a new one starts
 * with a new session on the server. */
static void
session_report_closed (GstRealtimeSession * session, GError * error,
    guint close_code)
{
  g_mutex_lock (&session->lock);
  session->epoch++;
  session->queue_open = FALSE;
  g_queue_clear_full (&session->queue, g_free);
  session->queued_bytes = 0;
  g_cond_broadcast (&session->cond);
  g_mutex_unlock (&session->lock);
  session_drop_connection (session);

  GST_INFO ("connection over (code %u): %s", close_code, error->message);
  session->reconnect_requested = FALSE;
  gst_realtime_transport_emit_closed (&session->parent, error, close_code);
  g_error_free (error);
  if (session->reconnect_requested)
    return;

  g_mutex_lock (&session->lock);
  session->finished = TRUE;
  g_cond_broadcast (&session->cond);
  g_mutex_unlock (&session->lock);
}

static void
on_message (SoupWebsocketConnection * conn, gint type, GBytes * message,
    GstRealtimeSession * session)
{
  GstRealtimeServerEvent *event;
  GError *error = NULL;
  gsize size;
  const gchar *data = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT) {
    error = g_error_new (GST_REALTIME_PROTOCOL_ERROR,
        GST_REALTIME_PROTOCOL_ERROR_MALFORMED,
        "unexpected binary frame of %" G_GSIZE_FORMAT " bytes", size);
    gst_realtime_transport_emit_malformed (&session->parent, error);
    g_error_free (error);
    return;
  }

  event = gst_realtime_protocol_parse (data, size, &error);
  if (!event) {
    gst_realtime_transport_emit_malformed (&session->parent, error);
    g_error_free (error);
    return;
  }
  GST_LOG ("received %s", event->type_name);
  gst_realtime_transport_emit_event (&session->parent, event, data, size);
}

static void
on_error (SoupWebsocketConnection * conn, GError * error,
    GstRealtimeSession * session)
{
  GST_WARNING ("WebSocket error: %s", error->message);
  if (!session->conn_error)
    session->conn_error = g_error_copy (error);
}

static GError *
session_close_error (GstRealtimeSession * session)
{
  gushort code = soup_websocket_connection_get_close_code (session->conn);
  const gchar *reason = soup_websocket_connection_get_close_data
      (session->conn);

  if (g_error_matches (session->conn_error, SOUP_WEBSOCKET_ERROR,
          SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
        GST_REALTIME_TRANSPORT_ERROR_TOO_BIG, "%s (limit %u bytes)",
        session->conn_error->message, MAX_INCOMING_PAYLOAD);
  if (session->conn_error)
    return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
        GST_REALTIME_TRANSPORT_ERROR_CLOSED,
        "connection closed after an error (code %u): %s", code,
        session->conn_error->message);
  return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
      GST_REALTIME_TRANSPORT_ERROR_CLOSED,
      "server closed the connection (code %u%s%s)", code,
      reason && *reason ? ": " : "", reason ? reason : "");
}

static void
on_closed (SoupWebsocketConnection * conn, GstRealtimeSession * session)
{
  gushort code = soup_websocket_connection_get_close_code (conn);

  if (session->closing) {
    g_main_loop_quit (session->loop);
    return;
  }
  if (session->renewing) {
    session->renewing = FALSE;
    session_report_closed (session, g_error_new (GST_REALTIME_TRANSPORT_ERROR,
            GST_REALTIME_TRANSPORT_ERROR_RENEWED,
            "closed to renew the session"), code);
    return;
  }
  session_report_closed (session, session_close_error (session), code);
}

/* Retry-After: delta-seconds or an HTTP-date (RFC 9110 10.2.3), in ms;
 * 0 for none or one that cannot be read. */
static guint
parse_retry_after (const gchar * value)
{
  guint64 seconds;
  GDateTime *date, *now;
  GTimeSpan wait;

  if (!value)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return MIN (seconds, G_MAXUINT / 1000) * 1000;
  date = soup_date_time_new_from_http_string (value);
  if (!date)
    return 0;
  now = g_date_time_new_now_utc ();
  wait = g_date_time_difference (date, now) / G_TIME_SPAN_MILLISECOND;
  g_date_time_unref (now);
  g_date_time_unref (date);
  return CLAMP (wait, 0, G_MAXUINT);
}

/* 429 and 5xx say "not now", not "not here": worth another attempt. */
static GError *
session_unavailable_error (GstRealtimeSession * session, guint status)
{
  const gchar *retry_after =
      soup_message_headers_get_one (soup_message_get_response_headers
      (session->msg), "Retry-After");

  session->refusal_retry_after_ms = parse_retry_after (retry_after);
  return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
      GST_REALTIME_TRANSPORT_ERROR_UNAVAILABLE, "HTTP %u %s%s%s%s", status,
      soup_message_get_reason_phrase (session->msg),
      retry_after ? " (Retry-After: " : "", retry_after ? retry_after : "",
      retry_after ? ")" : "");
}

/* Maps a failed handshake to what the user has to fix. */
static GError *
session_connect_error (GstRealtimeSession * session, GError * error)
{
  guint status = soup_message_get_status (session->msg);
  GstRealtimeTransportError code = GST_REALTIME_TRANSPORT_ERROR_CONNECT;

  session->refusal_status = status;
  if (status == 429 || (status >= 500 && status < 600))
    return session_unavailable_error (session, status);
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN) {
    return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
        GST_REALTIME_TRANSPORT_ERROR_AUTH, "HTTP %u %s%s", status,
        soup_message_get_reason_phrase (session->msg),
        session->api_key ? "" : " (no API key was set)");
  }
  if (status >= 300)
    return g_error_new (GST_REALTIME_TRANSPORT_ERROR,
        GST_REALTIME_TRANSPORT_ERROR_HANDSHAKE, "HTTP %u %s", status,
        soup_message_get_reason_phrase (session->msg));

  if (error->domain == G_TLS_ERROR
      || soup_message_get_tls_peer_certificate_errors (session->msg))
    code = GST_REALTIME_TRANSPORT_ERROR_TLS;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = GST_REALTIME_TRANSPORT_ERROR_TIMEOUT;
  else if (error->domain == SOUP_WEBSOCKET_ERROR)
    code = GST_REALTIME_TRANSPORT_ERROR_HANDSHAKE;
  return g_error_new (GST_REALTIME_TRANSPORT_ERROR, code, "%s", error->message);
}

/* A server that accepts the WebSocket and then starts no session would
 * leave the element waiting for ever: past timeout_s, the attempt has
 * failed. The queue opens once the session is configured. */
static gboolean
session_start_timed_out (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  g_clear_pointer (&session->start_source, g_source_unref);
  if (session->closing)
    return G_SOURCE_REMOVE;
  if (session->conn && soup_websocket_connection_get_state (session->conn)
      == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (session->conn,
        SOUP_WEBSOCKET_CLOSE_NORMAL, "no session started");
  /* at once: a server this broken may never answer the close either */
  session_report_closed (session, g_error_new (GST_REALTIME_TRANSPORT_ERROR,
          GST_REALTIME_TRANSPORT_ERROR_NOT_STARTED, "the server accepted the "
          "connection but started no session within %u s", session->timeout_s),
      0);
  return G_SOURCE_REMOVE;
}

static void
session_arm_start (GstRealtimeSession * session)
{
  session_clear_source (&session->start_source);
  session->start_source = g_timeout_source_new (session->timeout_s * 1000);
  g_source_set_callback (session->start_source, session_start_timed_out,
      session, NULL);
  g_source_attach (session->start_source, session->context);
}

static void
on_connected (GObject * source, GAsyncResult * result, gpointer user_data)
{
  GstRealtimeSession *session = user_data;
  GError *error = NULL;

  session->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source),
      result, &error);
  if (session->conn && session->closing) {
    /* connected just as the element shut the session down */
    g_clear_object (&session->conn);
    return;
  }
  if (!session->conn) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      session_report_closed (session, session_connect_error (session, error),
          0);
    g_error_free (error);
    return;
  }

  GST_INFO ("connected to %s", session->url);
  soup_websocket_connection_set_max_incoming_payload_size (session->conn,
      MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (session->conn,
      KEEPALIVE_INTERVAL_S);
  g_signal_connect (session->conn, "message", G_CALLBACK (on_message), session);
  g_signal_connect (session->conn, "error", G_CALLBACK (on_error), session);
  g_signal_connect (session->conn, "closed", G_CALLBACK (on_closed), session);
  session_arm_start (session);
  session_drain_queue (session);
}

/* tls-strict=false: the user chose to trust whatever answers. */
static gboolean
accept_any_certificate (SoupMessage * msg, GTlsCertificate * certificate,
    GTlsCertificateFlags errors, gpointer user_data)
{
  GST_WARNING ("accepting an untrusted certificate (flags 0x%x)", errors);
  return TRUE;
}

static void
add_headers (GstRealtimeSession * session, SoupMessageHeaders * headers)
{
  gchar **header;

  for (header = session->headers; header && header[0] && header[1]; header += 2)
    soup_message_headers_replace (headers, header[0], header[1]);

  if (!session->api_key)
    return;
  if (session->api_key_header) {
    soup_message_headers_replace (headers, "api-key", session->api_key);
  } else {
    gchar *bearer = g_strconcat ("Bearer ", session->api_key, NULL);

    soup_message_headers_replace (headers, "Authorization", bearer);
    memset (bearer, 0, strlen (bearer));
    g_free (bearer);
  }
}

static gboolean
session_connect (GstRealtimeSession * session)
{
  SoupMessageHeaders *headers;

  session->refusal_status = session->refusal_retry_after_ms = 0;
  session->msg = soup_message_new (SOUP_METHOD_GET, session->url);
  if (!session->msg) {
    session_report_closed (session, g_error_new (GST_REALTIME_TRANSPORT_ERROR,
            GST_REALTIME_TRANSPORT_ERROR_CONNECT, "invalid URL '%s'",
            session->url), 0);
    return FALSE;
  }

  headers = soup_message_get_request_headers (session->msg);
  add_headers (session, headers);
  if (session->tls_insecure)
    g_signal_connect (session->msg, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);

  GST_INFO ("connecting to %s", session->url);
  soup_session_websocket_connect_async (session->soup, session->msg, NULL,
      NULL, G_PRIORITY_DEFAULT, session->cancellable, on_connected, session);
  return TRUE;
}

static gpointer
session_thread (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  g_main_context_push_thread_default (session->context);

  /* No SoupLogger is ever added: it would print the Authorization header. */
  session->soup = soup_session_new_with_options ("timeout", session->timeout_s,
      "user-agent", "gst-realtime/" PACKAGE_VERSION, NULL);
  if (session->tls_database)
    soup_session_set_tls_database (session->soup, session->tls_database);
  session_connect (session);
  if (!session->finished)
    g_main_loop_run (session->loop);

  session_clear_source (&session->reconnect_source);
  session_drop_connection (session);
  g_clear_object (&session->soup);
  /* let libsoup finish what it scheduled on this context before it goes */
  while (g_main_context_iteration (session->context, FALSE));
  g_main_context_pop_thread_default (session->context);
  return NULL;
}

static void
websocket_start (GstRealtimeTransport * transport)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  g_return_if_fail (session->thread == NULL);
  session->thread = g_thread_new ("realtimesession", session_thread, session);
}

static gboolean
session_close_timed_out (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  GST_DEBUG ("no close frame from the server in time");
  g_main_loop_quit (session->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
session_shutdown (gpointer user_data)
{
  GstRealtimeSession *session = user_data;
  GSource *timeout;

  session->closing = TRUE;
  g_cancellable_cancel (session->cancellable);
  if (session->reconnect_source)
    g_source_destroy (session->reconnect_source);
  session_clear_source (&session->start_source);
  if (!session->conn || soup_websocket_connection_get_state (session->conn)
      != SOUP_WEBSOCKET_STATE_OPEN) {
    g_main_loop_quit (session->loop);
    return G_SOURCE_REMOVE;
  }

  soup_websocket_connection_close (session->conn,
      SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  timeout = g_timeout_source_new (CLOSE_TIMEOUT_MS);
  g_source_set_callback (timeout, session_close_timed_out, session, NULL);
  g_source_attach (timeout, session->context);
  g_source_unref (timeout);
  return G_SOURCE_REMOVE;
}

static void
websocket_free (GstRealtimeTransport * transport)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  websocket_set_flushing (transport, TRUE);
  if (session->thread) {
    session_attach_idle (session, session_shutdown);
    g_thread_join (session->thread);
  }

  g_queue_clear_full (&session->queue, g_free);
  g_clear_error (&session->conn_error);
  g_object_unref (session->cancellable);
  g_source_destroy (session->drain_source);
  g_source_unref (session->drain_source);
  g_main_loop_unref (session->loop);
  g_main_context_unref (session->context);
  g_mutex_clear (&session->lock);
  g_cond_clear (&session->cond);
  g_free (session->url);
  g_strfreev (session->headers);
  g_clear_object (&session->tls_database);
  if (session->api_key)
    memset (session->api_key, 0, strlen (session->api_key));
  g_free (session->api_key);
  g_free (session);
}

/* Sends @event ahead of the queue. Session thread only. */
static void
websocket_send_now (GstRealtimeTransport * transport, gchar * event)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  if (session->conn && soup_websocket_connection_get_state (session->conn)
      == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (session->conn, event);
  g_free (event);
}

typedef struct
{
  GstRealtimeSession *session;
  gchar *event;
} SendSoon;

static gboolean
send_soon_idle (gpointer user_data)
{
  SendSoon *send = user_data;

  websocket_send_now (&send->session->parent, send->event);
  send->event = NULL;
  return G_SOURCE_REMOVE;
}

static void
send_soon_free (gpointer user_data)
{
  SendSoon *send = user_data;

  g_free (send->event);
  g_free (send);
}

/* Sends @event ahead of the queue, from any thread. */
static void
websocket_send_soon (GstRealtimeTransport * transport, gchar * event)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  SendSoon *send = g_new0 (SendSoon, 1);
  GSource *source = g_idle_source_new ();

  send->session = session;
  send->event = event;
  g_source_set_callback (source, send_soon_idle, send, send_soon_free);
  g_source_attach (source, session->context);
  g_source_unref (source);
}

/* Whether the socket takes more data now. libsoup writes eagerly until the
 * socket would block, so a writable socket means libsoup's own queue is
 * empty: this is what makes the send queue's bound real backpressure. */
static gboolean
session_is_writable (GstRealtimeSession * session)
{
  GIOStream *io = soup_websocket_connection_get_io_stream (session->conn);
  GOutputStream *out = g_io_stream_get_output_stream (io);

  if (!G_IS_POLLABLE_OUTPUT_STREAM (out)
      || !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out)))
    return TRUE;
  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (out));
}

static gboolean
on_writable (GObject * stream, gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  g_clear_pointer (&session->writable_source, g_source_unref);
  session_drain_queue (session);
  return G_SOURCE_REMOVE;
}

static void
session_wait_writable (GstRealtimeSession * session)
{
  GIOStream *io = soup_websocket_connection_get_io_stream (session->conn);
  GPollableOutputStream *out =
      G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (io));

  if (session->writable_source)
    return;
  session->writable_source = g_pollable_output_stream_create_source (out, NULL);
  g_source_set_callback (session->writable_source, (GSourceFunc) on_writable,
      session, NULL);
  g_source_attach (session->writable_source, session->context);
}

static void
session_drain_queue (GstRealtimeSession * session)
{
  gchar *event;

  g_mutex_lock (&session->lock);
  session->drain_scheduled = FALSE;
  /* checked before each send: one that fails closes the socket at once,
   * and polling a closed socket is a critical warning */
  while (session->conn && soup_websocket_connection_get_state (session->conn)
      == SOUP_WEBSOCKET_STATE_OPEN && session->queue_open
      && !g_queue_is_empty (&session->queue)) {
    if (!session_is_writable (session)) {
      session_wait_writable (session);
      break;
    }
    event = g_queue_pop_head (&session->queue);
    session->queued_bytes -= strlen (event);
    /* a broadcast is a futex syscall even with nobody to wake */
    if (session->waiting > 0)
      g_cond_broadcast (&session->cond);
    g_mutex_unlock (&session->lock);

    soup_websocket_connection_send_text (session->conn, event);
    g_free (event);

    g_mutex_lock (&session->lock);
  }
  g_mutex_unlock (&session->lock);
}

static gboolean
session_drain_ready (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  session_drain_queue (session);
  return G_SOURCE_CONTINUE;
}

static void
session_schedule_drain_locked (GstRealtimeSession * session)
{
  if (!session->queue_open || session->drain_scheduled)
    return;
  session->drain_scheduled = TRUE;
  g_source_set_ready_time (session->drain_source, 0);
}

/* Lets queued events go out; until then only send_now() reaches the
 * server, so the session is configured before any audio arrives. The
 * session has started: the start timer stops. Session thread. */
static void
websocket_open_queue (GstRealtimeTransport * transport)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  session_clear_source (&session->start_source);
  g_mutex_lock (&session->lock);
  session->queue_open = TRUE;
  session_schedule_drain_locked (session);
  g_mutex_unlock (&session->lock);
}

/* The HTTP status of the last handshake refused (0: none, or no answer)
 * and the wait its Retry-After asked for (0: none). In the closed
 * callback. */
static void
websocket_get_refusal (GstRealtimeTransport * transport,
    guint * status, guint * retry_after_ms)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  *status = session->refusal_status;
  *retry_after_ms = session->refusal_retry_after_ms;
}

/* While flushing only audio is queued: the element has put it on its
 * timeline already, and the server must count it too, or every position
 * it reports after the flush would be off by the audio dropped. */
static gboolean
session_queue_locked (GstRealtimeSession * session, gchar * event,
    gboolean audio)
{
  if ((session->flushing && !audio) || session->finished) {
    g_free (event);
    return FALSE;
  }
  session->queued_bytes += strlen (event);
  g_queue_push_tail (&session->queue, event);
  session_schedule_drain_locked (session);
  return TRUE;
}

/* Queues a control event (taking it) without waiting: they are small and
 * may come from the session thread. Those queued between two connections
 * go to the next one. */
static void
websocket_queue_control (GstRealtimeTransport * transport, gchar * event)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  g_mutex_lock (&session->lock);
  session_queue_locked (session, event, FALSE);
  g_mutex_unlock (&session->lock);
}

static guint
websocket_get_epoch (GstRealtimeTransport * transport)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;
  guint epoch;

  g_mutex_lock (&session->lock);
  epoch = session->epoch;
  g_mutex_unlock (&session->lock);
  return epoch;
}

/* Queues audio (taking it) for the connection of @epoch. While the queue
 * is over its bound this waits up to @timeout_us, unless flushing; a
 * negative @timeout_us never waits. Returns FALSE, with @error set on a
 * timeout, when the event was not queued: also when that connection has
 * ended. */
static gboolean
websocket_queue_audio (GstRealtimeTransport * transport,
    gchar * event, guint epoch, gint64 timeout_us, GError ** error)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;
  gsize size = strlen (event);
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  gboolean timed_out = FALSE, woken;

  g_mutex_lock (&session->lock);
  while (timeout_us >= 0 && !session->flushing && !session->finished
      && session->epoch == epoch && session->queued_bytes > 0
      && session->queued_bytes + size > session->max_queued_bytes) {
    session->waiting++;
    woken = g_cond_wait_until (&session->cond, &session->lock, deadline);
    session->waiting--;
    if (!woken) {
      timed_out = TRUE;
      g_set_error (error, GST_REALTIME_TRANSPORT_ERROR,
          GST_REALTIME_TRANSPORT_ERROR_TIMEOUT,
          "%" G_GSIZE_FORMAT " bytes still waiting to be sent after %"
          G_GINT64_FORMAT " ms", session->queued_bytes, timeout_us / 1000);
      break;
    }
  }
  if (timed_out || session->epoch != epoch) {
    g_mutex_unlock (&session->lock);
    g_free (event);
    return FALSE;
  }
  timed_out = !session_queue_locked (session, event, TRUE);
  g_mutex_unlock (&session->lock);
  return !timed_out;
}

static gboolean
session_reconnect_timeout (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  g_clear_pointer (&session->reconnect_source, g_source_unref);
  session_connect (session);
  return G_SOURCE_REMOVE;
}

/* Opens a new connection after @delay_ms. Only from the closed callback. */
static void
websocket_reconnect (GstRealtimeTransport * transport, guint delay_ms)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  g_return_if_fail (session->reconnect_source == NULL);

  GST_INFO ("reconnecting in %u ms", delay_ms);
  session->reconnect_requested = TRUE;
  session->reconnect_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (session->reconnect_source,
      session_reconnect_timeout, session, NULL);
  g_source_attach (session->reconnect_source, session->context);
}

static gboolean
session_renew_idle (gpointer user_data)
{
  GstRealtimeSession *session = user_data;

  if (session->closing || !session->conn
      || soup_websocket_connection_get_state (session->conn)
      != SOUP_WEBSOCKET_STATE_OPEN)
    return G_SOURCE_REMOVE;
  session->renewing = TRUE;
  soup_websocket_connection_close (session->conn,
      SOUP_WEBSOCKET_CLOSE_NORMAL, "renewing the session");
  return G_SOURCE_REMOVE;
}

/* Runs @func on the session thread in @delay_ms, unless the session is
 * freed first. From any thread. */
static void
websocket_call_later (GstRealtimeTransport * transport,
    guint delay_ms, GSourceFunc func, gpointer user_data)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, user_data, NULL);
  g_source_attach (source, session->context);
  g_source_unref (source);
}

/* Closes the connection cleanly; the closed callback then gets a RENEWED
 * error and may reconnect at once. From any thread. */
static void
websocket_renew (GstRealtimeTransport * transport)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  session_attach_idle (session, session_renew_idle);
}

/* While flushing, nothing waits for room in the queue and control events
 * are refused. What was queued before still goes, as if it had been on
 * the wire already, and so does audio queued meanwhile: see
 * session_queue_locked(). */
static void
websocket_set_flushing (GstRealtimeTransport * transport, gboolean flushing)
{
  GstRealtimeSession *session = (GstRealtimeSession *) transport;

  g_mutex_lock (&session->lock);
  session->flushing = flushing;
  g_cond_broadcast (&session->cond);
  g_mutex_unlock (&session->lock);
}

/* *INDENT-OFF* */
static const GstRealtimeTransportClass websocket_class = {
  "websocket",
  websocket_start,
  websocket_free,
  websocket_send_now,
  websocket_send_soon,
  websocket_open_queue,
  websocket_queue_control,
  websocket_queue_audio,
  websocket_get_epoch,
  websocket_reconnect,
  websocket_renew,
  websocket_call_later,
  websocket_set_flushing,
  websocket_get_refusal,
};
/* *INDENT-ON* */

GstRealtimeTransport *
gst_realtime_websocket_transport_new (const GstRealtimeWebSocketParams *
    params, const GstRealtimeTransportCallbacks * callbacks, gpointer user_data)
{
  GstRealtimeSession *session = g_new0 (GstRealtimeSession, 1);

  GST_DEBUG_CATEGORY_INIT (realtime_session_debug, "realtimesession", 0,
      "Realtime WebSocket session");

  session->url = g_strdup (params->url);
  session->api_key = params->api_key && *params->api_key ?
      g_strdup (params->api_key) : NULL;
  session->api_key_header = params->api_key_header;
  session->headers = g_strdupv ((gchar **) params->headers);
  session->tls_database = params->tls_database ?
      g_object_ref (params->tls_database) : NULL;
  session->tls_insecure = params->tls_insecure;
  session->timeout_s = params->timeout_s;
  session->max_queued_bytes = params->max_queued_bytes;
  gst_realtime_transport_init (&session->parent, &websocket_class, callbacks,
      user_data);
  session->context = g_main_context_new ();
  session->loop = g_main_loop_new (session->context, FALSE);
  session->drain_source = drain_source_new (session, session_drain_ready);
  session->cancellable = g_cancellable_new ();
  g_mutex_init (&session->lock);
  g_cond_init (&session->cond);
  g_queue_init (&session->queue);
  return &session->parent;
}
