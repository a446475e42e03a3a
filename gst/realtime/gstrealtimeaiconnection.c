/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The element's connection to the server: its state on the bus, the audio
 * kept until the server has settled it, what a lost connection costs and
 * how it is made good (a new connection after a backoff, the audio of the
 * outage sent on it, the conversation carried over as text), and the
 * renewal of a session before the server ends it. Session thread, unless
 * a function says otherwise; everything under the element lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* The longest a Retry-After is obeyed, as the longest max-reconnect-delay. */
#define MAX_RETRY_AFTER_MS 600000

static void
post_state_locked (GstRealtimeAI * self, const gchar * state, guint attempt,
    guint delay_ms, const gchar * reason)
{
  GST_INFO_OBJECT (self, "connection %s (attempt %u, delay %u ms): %s", state,
      attempt, delay_ms, GST_STR_NULL (reason));
  gst_realtime_ai_post_locked (self,
      gst_realtime_message_connection (state, attempt, delay_ms, reason));
}

/* Streaming thread, when the element starts. */
void
gst_realtime_ai_connection_reset_locked (GstRealtimeAI * self)
{
  self->connected = self->ever_connected = FALSE;
  self->expired = FALSE;
  self->reconnect_attempt = 0;
  g_clear_pointer (&self->server_error, g_free);
  self->dropped_samples = 0;
  gst_realtime_backlog_clear (self->backlog);
}

/* Also reads max-buffered-time, which only changes in READY. */
void
gst_realtime_ai_connection_start_locked (GstRealtimeAI * self)
{
  GST_OBJECT_LOCK (self);
  self->max_backlog_samples = (guint64) self->max_buffered_time *
      GST_REALTIME_TIMELINE_RATE / 1000;
  GST_OBJECT_UNLOCK (self);
  post_state_locked (self, "connecting", 0, 0, NULL);
  gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_START,
      _("Connecting to the server."));
}

/* ------------------------------------------------------------------ */
/* Audio */

/* The append event of a chunk. */
gchar *
gst_realtime_ai_build_chunk_event (GstBuffer * chunk, const gchar * event_id)
{
  GstMapInfo map;
  gchar *event;

  gst_buffer_map (chunk, &map, GST_MAP_READ);
  event = gst_realtime_protocol_build_append (map.data, map.size, event_id);
  gst_buffer_unmap (chunk, &map);
  return event;
}

/* Puts a chunk on the server session's timeline; returns where it ends
 * there, in ms. */
guint64
gst_realtime_ai_stamp_chunk_locked (GstRealtimeAI * self, GstBuffer * chunk,
    guint64 samples)
{
  gst_realtime_timeline_append (self->timeline, GST_BUFFER_PTS (chunk),
      samples);
  return gst_realtime_timeline_get_ms (self->timeline);
}

/* Streaming thread: a chunk on its way to the server, kept until the
 * server has settled it. */
void
gst_realtime_ai_keep_sent_chunk_locked (GstRealtimeAI * self,
    GstBuffer * chunk, guint64 samples, guint64 end_ms)
{
  gst_realtime_backlog_push_sent (self->backlog, chunk, samples, end_ms);
  gst_realtime_backlog_trim (self->backlog, self->max_backlog_samples);
}

/* Streaming thread: live input goes on while the connection is down; its
 * audio waits, within max-buffered-time. */
void
gst_realtime_ai_hold_chunk_locked (GstRealtimeAI * self, GstBuffer * chunk,
    guint64 samples)
{
  gst_realtime_backlog_push_unsent (self->backlog, chunk, samples);
  self->dropped_samples += gst_realtime_backlog_trim (self->backlog,
      self->max_backlog_samples);
}

/* Nothing waits for the server and no speech is open: the audio it has
 * committed needs no second sending. */
void
gst_realtime_ai_settle_audio_locked (GstRealtimeAI * self)
{
  if (gst_realtime_ai_replies_pending_locked (self)
      || gst_realtime_turns_in_speech (self->turns))
    return;
  gst_realtime_backlog_settle (self->backlog,
      gst_realtime_core_get_committed_ms (self->core));
}

static void
send_backlog_locked (GstRealtimeAI * self)
{
  guint epoch = self->epoch;
  GstBuffer *chunk;
  guint64 samples;
  gchar *event_id;

  while ((chunk = gst_realtime_backlog_peek_unsent (self->backlog, &samples))) {
    gst_realtime_backlog_mark_sent (self->backlog,
        gst_realtime_ai_stamp_chunk_locked (self, chunk, samples));
    event_id = gst_realtime_ai_next_event_id_locked (self);
    gst_realtime_transport_queue_audio (self->transport,
        gst_realtime_ai_build_chunk_event (chunk, event_id), epoch, -1, NULL);
    g_free (event_id);
  }
}

static void
warn_dropped_locked (GstRealtimeAI * self)
{
  guint ms = MIN (self->dropped_samples * 1000 / GST_REALTIME_TIMELINE_RATE,
      G_MAXUINT);

  if (self->dropped_samples == 0)
    return;
  self->dropped_samples = 0;
  GST_ELEMENT_WARNING (self, STREAM, FAILED,
      (_("Dropped %u ms of audio while the connection was down; "
              "max-buffered-time keeps less."), ms),
      ("the oldest audio of the outage was dropped"));
}

/* ------------------------------------------------------------------ */
/* Ready */

/* A session.updated: the server has the configuration. The first one of
 * a connection lets the audio go, what waited first. */
void
gst_realtime_ai_connection_ready_locked (GstRealtimeAI * self)
{
  gst_realtime_transport_open_queue (self->transport);
  if (self->connected)
    return;

  /* audio for this connection only: one that ends meanwhile refuses it */
  self->epoch = gst_realtime_transport_get_epoch (self->transport);
  if (self->ever_connected) {
    gst_realtime_core_carry_over (self->core);
    gst_realtime_ai_run_core_locked (self, NULL);
  }
  send_backlog_locked (self);
  warn_dropped_locked (self);
  self->connected = self->ever_connected = TRUE;
  gst_realtime_core_renewal_over (self->core);
  self->reconnect_attempt = 0;
  gst_realtime_ai_wake_locked (self);
  post_state_locked (self, "connected", 0, 0, NULL);
  gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_COMPLETE,
      _("Connected to the server."));
}

/* Streaming thread: non-live input waits for the connection rather than
 * fill the backlog. */
GstFlowReturn
gst_realtime_ai_wait_connected_locked (GstRealtimeAI * self, gint64 deadline)
{
  while (!self->connected && !self->failed && !self->flushing
      && gst_realtime_ai_wait_locked (self, deadline));
  if (self->flushing)
    return GST_FLOW_FLUSHING;
  return self->failed ? GST_FLOW_ERROR : GST_FLOW_OK;
}

/* Streaming thread, non-live input: a file loses nothing, so while the
 * server owes text for the audio kept, a full backlog waits for it rather
 * than drop that audio. Otherwise (silence, a long speech, push-to-talk
 * before its commit) the oldest copies go: waiting there could wait for
 * audio not sent yet. */
GstFlowReturn
gst_realtime_ai_wait_room_locked (GstRealtimeAI * self)
{
  GstFlowReturn ret;
  guint64 max_samples = self->max_backlog_samples;

  while ((ret = gst_realtime_ai_wait_connected_locked (self, -1)) ==
      GST_FLOW_OK && max_samples > 0
      && gst_realtime_backlog_get_samples (self->backlog) >= max_samples
      && gst_realtime_ai_replies_pending_locked (self)
      && !gst_realtime_turns_in_speech (self->turns))
    gst_realtime_ai_wait_locked (self, -1);
  return ret;
}

/* ------------------------------------------------------------------ */
/* Renewal */

static gboolean
renewal_due (gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  gst_realtime_ai_consider_renewal_locked (self);
  g_mutex_unlock (&self->lock);
  gst_realtime_ai_flush_notices (self);
  return G_SOURCE_REMOVE;
}

/* session.created: when the server will end the session. The renewal is
 * considered then, and at each event after, until a turn boundary. */
void
gst_realtime_ai_note_expiry_locked (GstRealtimeAI * self, gint64 expires_at)
{
  guint delay_ms = gst_realtime_core_note_expiry (self->core, expires_at,
      g_get_real_time (), g_get_monotonic_time ());

  if (delay_ms > 0)
    gst_realtime_transport_call_later (self->transport, delay_ms, renewal_due,
        self);
}

/* Near the session's end and at a turn boundary, a fresh session takes
 * over. Any thread. */
void
gst_realtime_ai_consider_renewal_locked (GstRealtimeAI * self)
{
  if (!gst_realtime_core_renewal_due (self->core, self->connected,
          g_get_monotonic_time ()))
    return;
  post_state_locked (self, "renewing", 0, 0, "the session expires soon");
  gst_realtime_transport_renew (self->transport);
}

/* ------------------------------------------------------------------ */
/* Losing the connection */

static gboolean
close_is_recoverable (guint code)
{
  switch (code) {
    case GST_REALTIME_CLOSE_NONE:      /* no close frame: the network went */
    case GST_REALTIME_CLOSE_PROTOCOL_ERROR:    /* libsoup's, for 1012 and 1013 */
    case GST_REALTIME_CLOSE_GOING_AWAY:
    case GST_REALTIME_CLOSE_NO_STATUS:
    case GST_REALTIME_CLOSE_ABNORMAL:
    case GST_REALTIME_CLOSE_SERVER_ERROR:
    case GST_REALTIME_CLOSE_SERVICE_RESTART:
    case GST_REALTIME_CLOSE_TRY_AGAIN_LATER:
      return TRUE;
    default:
      return FALSE;
  }
}

/* Whether a new connection may fix it: not for a refused key or
 * certificate, an HTTP status other than 429 and 5xx, nor for a close
 * the server meant (4000, 1008, 3000, ...). */
static gboolean
failure_is_recoverable (GstRealtimeAI * self, const GError * error,
    guint close_code)
{
  switch (error->code) {
    case GST_REALTIME_TRANSPORT_ERROR_RENEWED:
    case GST_REALTIME_TRANSPORT_ERROR_CONNECT:
    case GST_REALTIME_TRANSPORT_ERROR_TIMEOUT:
    case GST_REALTIME_TRANSPORT_ERROR_UNAVAILABLE:
    case GST_REALTIME_TRANSPORT_ERROR_NOT_STARTED:
      return TRUE;
    case GST_REALTIME_TRANSPORT_ERROR_CLOSED:
      return self->expired || close_is_recoverable (close_code);
    default:
      return FALSE;
  }
}

/* What the server held went with its session: the timeline starts again,
 * and the audio the server had not settled waits for the next connection.
 * That audio holds every turn still waiting for text, so those turns are
 * dropped, partial text and all: the next session tells them again. */
static void
lose_session_locked (GstRealtimeAI * self)
{
  gst_realtime_ai_forget_replies_locked (self);
  gst_realtime_timeline_reset (self->timeline);
  gst_realtime_backlog_unsend (self->backlog);
  self->connected = self->session_created = FALSE;
  self->expired = FALSE;
  gst_realtime_core_lose_session (self->core);
  self->pace_start = 0;
  g_clear_pointer (&self->server_error, g_free);
}

static guint
backoff_delay (GstRealtimeAI * self, guint attempt)
{
  guint64 delay;
  guint max;

  GST_OBJECT_LOCK (self);
  delay = self->min_reconnect_delay;
  max = self->max_reconnect_delay;
  GST_OBJECT_UNLOCK (self);
  while (--attempt > 0 && delay < max)
    delay *= 2;
  return MIN (delay, max);
}

/* A session that was up retries with `reconnect`; the first connection
 * only with `retry-at-start`: failing there, the settings are more likely
 * wrong than the network. */
static gboolean
may_reconnect_locked (GstRealtimeAI * self)
{
  gboolean enabled;
  guint max_attempts;

  GST_OBJECT_LOCK (self);
  enabled = self->ever_connected ? self->reconnect : self->retry_at_start;
  max_attempts = self->max_reconnect_attempts;
  GST_OBJECT_UNLOCK (self);
  return enabled && !self->failed
      && (max_attempts == 0 || self->reconnect_attempt < max_attempts);
}

/* What ended the connection, for the error that says so. */
typedef struct
{
  const GError *error;
  guint close_code;
  const gchar *server_error;    /* the last `error` event's message */
  guint http_status;
  gboolean at_start;            /* no session was ever up */
  guint attempts;               /* reconnections that failed, or 0 */
} Failure;

static guint
connect_timeout (GstRealtimeAI * self)
{
  guint timeout;

  GST_OBJECT_LOCK (self);
  timeout = self->connect_timeout;
  GST_OBJECT_UNLOCK (self);
  return timeout;
}

/* A close by the server, in its words when it gave them. */
static void
post_close_error (GstRealtimeAI * self, const Failure * failure)
{
  const gchar *detail = failure->error->message;

  if (failure->close_code == GST_REALTIME_CLOSE_UNAUTHORIZED
      || failure->close_code == GST_REALTIME_CLOSE_FORBIDDEN)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        (_("The server did not accept the authentication: %s. Check the "
                "api-key and auth properties."), failure->server_error ?
            failure->server_error : detail), ("%s", detail));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, READ,
        (_("The server closed the connection.")), ("%s%s%s", detail,
            failure->server_error ? "; the server's last error: " : "",
            failure->server_error ? failure->server_error : ""));
}

/* HTTP 429 or 5xx that is not retried: at the first connection, or
 * with reconnect=false. */
static void
post_unavailable_error (GstRealtimeAI * self, const Failure * failure)
{
  if (failure->at_start)
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        (_("The server is busy or unavailable (HTTP %u). Try again later, "
                "or set retry-at-start to retry."), failure->http_status),
        ("%s", failure->error->message));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        (_("The server is busy or unavailable (HTTP %u)."),
            failure->http_status), ("%s", failure->error->message));
}

static void
post_session_error (GstRealtimeAI * self, const Failure * failure)
{
  const GError *error = failure->error;

  switch (error->code) {
    case GST_REALTIME_TRANSPORT_ERROR_AUTH:
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
          (_("The server refused the API key. Check the api-key property "
                  "or the OPENAI_API_KEY environment variable.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_TRANSPORT_ERROR_TLS:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("Could not establish a secure connection to the server.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_TRANSPORT_ERROR_HANDSHAKE:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("The server did not accept a Realtime session.")),
          ("%s", error->message));
      break;
    case GST_REALTIME_TRANSPORT_ERROR_UNAVAILABLE:
      post_unavailable_error (self, failure);
      break;
    case GST_REALTIME_TRANSPORT_ERROR_NOT_STARTED:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("The server accepted the connection but did not start a "
                  "session within %u s."), connect_timeout (self)),
          ("%s", error->message));
      break;
    case GST_REALTIME_TRANSPORT_ERROR_CLOSED:
      post_close_error (self, failure);
      break;
    case GST_REALTIME_TRANSPORT_ERROR_TIMEOUT:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("The server did not answer in time.")), ("%s", error->message));
      break;
    case GST_REALTIME_TRANSPORT_ERROR_TOO_BIG:
      GST_ELEMENT_ERROR (self, RESOURCE, READ,
          (_("The server sent a message larger than 16 MiB.")),
          ("%s", error->message));
      break;
    default:
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          (_("Could not connect to the server.")), ("%s", error->message));
      break;
  }
}

static void
post_give_up_error (GstRealtimeAI * self, const Failure * failure)
{
  if (failure->attempts == 0)
    post_session_error (self, failure);
  else if (failure->at_start)
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        (_("Could not connect to the server after %u attempts."),
            failure->attempts), ("last failure: %s", failure->error->message));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        (_("Lost the connection to the server and could not reconnect "
                "after %u attempts."), failure->attempts),
        ("last failure: %s", failure->error->message));
}

/* The backoff, but never sooner than the server's Retry-After. */
static guint
reconnect_delay (GstRealtimeAI * self, GstRealtimeTransport * transport)
{
  guint status, retry_after;

  gst_realtime_transport_get_refusal (transport, &status, &retry_after);
  return MAX (backoff_delay (self, self->reconnect_attempt),
      MIN (retry_after, MAX_RETRY_AFTER_MS));
}

static void
reconnect_locked (GstRealtimeAI * self, GstRealtimeTransport * transport,
    const GError * error)
{
  guint delay = 0;

  if (error->code != GST_REALTIME_TRANSPORT_ERROR_RENEWED) {
    self->reconnect_attempt++;
    delay = reconnect_delay (self, transport);
    post_state_locked (self, "reconnecting", self->reconnect_attempt, delay,
        error->message);
    gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_START,
        _("Reconnecting to the server."));
  }
  gst_realtime_transport_reconnect (transport, delay);
}

/* The connection ended. Recoverable failures of a session that was up
 * reconnect; the rest stop the element with an error. */
void
gst_realtime_ai_on_transport_closed (GstRealtimeTransport * transport,
    const GError * error, guint close_code, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  Failure failure = { error, close_code, NULL, 0, FALSE, 0 };
  gchar *server_error;
  gboolean recoverable, report;
  guint retry_after;

  g_mutex_lock (&self->lock);
  recoverable = failure_is_recoverable (self, error, close_code);
  server_error = g_steal_pointer (&self->server_error);
  lose_session_locked (self);
  if (recoverable && (error->code == GST_REALTIME_TRANSPORT_ERROR_RENEWED
          || may_reconnect_locked (self))) {
    reconnect_locked (self, transport, error);
    g_mutex_unlock (&self->lock);
    gst_realtime_ai_flush_notices (self);
    g_free (server_error);
    return;
  }
  report = !self->failed && !self->flushing;
  failure.server_error = server_error;
  failure.at_start = !self->ever_connected;
  failure.attempts = recoverable ? self->reconnect_attempt : 0;
  gst_realtime_transport_get_refusal (transport, &failure.http_status,
      &retry_after);
  post_state_locked (self, "disconnected", self->reconnect_attempt, 0,
      error->message);
  /* a session that never came up was not lost */
  gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_ERROR,
      failure.at_start ? _("Could not connect to the server.") :
      _("Lost the connection to the server."));
  g_mutex_unlock (&self->lock);

  /* post before the sink sees the failure: its GST_FLOW_ERROR would
   * otherwise make upstream post a vaguer error first */
  gst_realtime_ai_flush_notices (self);
  if (report)
    post_give_up_error (self, &failure);
  g_free (server_error);

  g_mutex_lock (&self->lock);
  self->failed = TRUE;
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
}
