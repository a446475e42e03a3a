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
  gst_realtime_link_reset (self->link);
  gst_realtime_backlog_clear (self->backlog);
}

/* Also reads max-buffered-time, which only changes in READY. */
void
gst_realtime_ai_connection_start_locked (GstRealtimeAI * self)
{
  GST_OBJECT_LOCK (self);
  gst_realtime_backlog_set_limit (self->backlog,
      (guint64) self->timing.max_buffered_time * GST_REALTIME_TIMELINE_RATE /
      1000);
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
  GstRealtimeTimeline *timeline = gst_realtime_core_get_timeline (self->core);

  gst_realtime_timeline_append (timeline, GST_BUFFER_PTS (chunk), samples);
  return gst_realtime_timeline_get_ms (timeline);
}

/* Streaming thread: a chunk on its way to the server, kept until the
 * server has settled it. */
void
gst_realtime_ai_keep_sent_chunk_locked (GstRealtimeAI * self,
    GstBuffer * chunk, guint64 samples, guint64 end_ms)
{
  gst_realtime_backlog_push_sent (self->backlog, gst_buffer_ref (chunk),
      samples, end_ms);
}

/* Streaming thread: live input goes on while the connection is down; its
 * audio waits, within max-buffered-time. */
void
gst_realtime_ai_hold_chunk_locked (GstRealtimeAI * self, GstBuffer * chunk,
    guint64 samples)
{
  gst_realtime_backlog_push_unsent (self->backlog, gst_buffer_ref (chunk),
      samples);
}

/* Nothing waits for the server and no speech is open: the audio it has
 * committed needs no second sending. */
void
gst_realtime_ai_settle_audio_locked (GstRealtimeAI * self)
{
  GstRealtimeTurns *turns = gst_realtime_core_get_turns (self->core);

  if (gst_realtime_core_replies_pending (self->core)
      || gst_realtime_turns_in_speech (turns))
    return;
  gst_realtime_backlog_settle (self->backlog,
      gst_realtime_core_get_committed_ms (self->core));
}

static void
send_backlog_locked (GstRealtimeAI * self)
{
  guint epoch = gst_realtime_link_get_epoch (self->link);
  GstBuffer *chunk;
  guint64 samples;
  gchar *event_id;

  while ((chunk = gst_realtime_backlog_peek_unsent (self->backlog, &samples))) {
    gst_realtime_backlog_mark_sent (self->backlog,
        gst_realtime_ai_stamp_chunk_locked (self, chunk, samples));
    event_id = gst_realtime_core_next_event_id (self->core);
    gst_realtime_transport_queue_audio (self->transport,
        gst_realtime_ai_build_chunk_event (chunk, event_id), epoch, -1, NULL);
    g_free (event_id);
  }
}

static void
warn_dropped_locked (GstRealtimeAI * self)
{
  guint64 dropped = gst_realtime_backlog_take_dropped (self->backlog);
  guint ms = MIN (dropped * 1000 / GST_REALTIME_TIMELINE_RATE, G_MAXUINT);

  if (dropped == 0)
    return;
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
  GstRealtimeLinkUp up;

  gst_realtime_transport_open_queue (self->transport);
  /* audio for this connection only: one that ends meanwhile refuses it */
  up = gst_realtime_link_up (self->link,
      gst_realtime_transport_get_epoch (self->transport));
  if (up == GST_REALTIME_LINK_UP_ALREADY)
    return;
  if (up == GST_REALTIME_LINK_UP_AGAIN) {
    gst_realtime_core_carry_over (self->core);
    gst_realtime_ai_run_core_locked (self, NULL);
  }
  send_backlog_locked (self);
  warn_dropped_locked (self);
  gst_realtime_core_renewal_over (self->core);
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
  while (!gst_realtime_link_is_up (self->link) && !self->failed
      && !self->flushing && gst_realtime_ai_wait_locked (self, deadline));
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
  GstRealtimeTurns *turns = gst_realtime_core_get_turns (self->core);
  GstFlowReturn ret;

  while ((ret = gst_realtime_ai_wait_connected_locked (self, -1)) ==
      GST_FLOW_OK && gst_realtime_backlog_is_full (self->backlog)
      && gst_realtime_core_replies_pending (self->core)
      && !gst_realtime_turns_in_speech (turns))
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
  gst_realtime_ai_deliver (self);
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
  if (!gst_realtime_core_renewal_due (self->core,
          gst_realtime_link_is_up (self->link), g_get_monotonic_time ()))
    return;
  post_state_locked (self, "renewing", 0, 0, "the session expires soon");
  gst_realtime_transport_renew (self->transport);
}

/* ------------------------------------------------------------------ */
/* Losing the connection */

/* What the server held went with its session: the timeline starts again,
 * and the audio the server had not settled waits for the next connection.
 * That audio holds every turn still waiting for text, so those turns are
 * dropped, partial text and all: the next session tells them again. */
static void
lose_session_locked (GstRealtimeAI * self)
{
  gst_realtime_core_forget (self->core);
  gst_realtime_timeline_reset (gst_realtime_core_get_timeline (self->core));
  gst_realtime_backlog_unsend (self->backlog);
  gst_realtime_core_lose_session (self->core);
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
  timeout = self->server.connect_timeout;
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

/* How the transport's failure bears on a new connection. */
static GstRealtimeLinkLoss
loss_of (const GError * error)
{
  switch (error->code) {
    case GST_REALTIME_TRANSPORT_ERROR_RENEWED:
      return GST_REALTIME_LINK_LOSS_RENEWED;
    case GST_REALTIME_TRANSPORT_ERROR_CONNECT:
    case GST_REALTIME_TRANSPORT_ERROR_TIMEOUT:
    case GST_REALTIME_TRANSPORT_ERROR_UNAVAILABLE:
    case GST_REALTIME_TRANSPORT_ERROR_NOT_STARTED:
      return GST_REALTIME_LINK_LOSS_TRANSIENT;
    case GST_REALTIME_TRANSPORT_ERROR_CLOSED:
      return GST_REALTIME_LINK_LOSS_CLOSED;
    default:
      return GST_REALTIME_LINK_LOSS_FATAL;
  }
}

static void
reconnect_locked (GstRealtimeAI * self, GstRealtimeTransport * transport,
    const GError * error, const GstRealtimeLinkVerdict * verdict)
{
  if (verdict->type == GST_REALTIME_LINK_RECONNECT) {
    post_state_locked (self, "reconnecting", verdict->attempt,
        verdict->delay_ms, error->message);
    gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_START,
        _("Reconnecting to the server."));
  }
  gst_realtime_transport_reconnect (transport, verdict->delay_ms);
}

/* The link's verdict on a connection that ended. */
static void
judge_loss_locked (GstRealtimeAI * self, GstRealtimeTransport * transport,
    const GError * error, guint close_code, GstRealtimeLinkVerdict * verdict)
{
  GstRealtimeReconnectPolicy policy;
  guint status, retry_after;

  GST_OBJECT_LOCK (self);
  policy = self->reconnection;
  GST_OBJECT_UNLOCK (self);
  gst_realtime_transport_get_refusal (transport, &status, &retry_after);
  gst_realtime_link_lost (self->link, loss_of (error), close_code,
      retry_after, &policy, self->failed, verdict);
}

/* The connection ended. Recoverable failures of a session that was up
 * reconnect; the rest stop the element with an error. */
void
gst_realtime_ai_on_transport_closed (GstRealtimeTransport * transport,
    const GError * error, guint close_code, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  GstRealtimeLinkVerdict verdict;
  Failure failure = { error, close_code, NULL, 0, FALSE, 0 };
  gboolean report;
  guint retry_after;

  g_mutex_lock (&self->lock);
  judge_loss_locked (self, transport, error, close_code, &verdict);
  lose_session_locked (self);
  if (verdict.type != GST_REALTIME_LINK_GIVE_UP) {
    reconnect_locked (self, transport, error, &verdict);
    g_mutex_unlock (&self->lock);
    gst_realtime_ai_deliver (self);
    gst_realtime_link_verdict_clear (&verdict);
    return;
  }
  report = !self->failed && !self->flushing;
  failure.server_error = verdict.server_error;
  failure.at_start = verdict.at_start;
  failure.attempts = verdict.attempt;
  gst_realtime_transport_get_refusal (transport, &failure.http_status,
      &retry_after);
  post_state_locked (self, "disconnected", verdict.attempt, 0, error->message);
  /* a session that never came up was not lost */
  gst_realtime_ai_progress_locked (self, GST_PROGRESS_TYPE_ERROR,
      failure.at_start ? _("Could not connect to the server.") :
      _("Lost the connection to the server."));
  g_mutex_unlock (&self->lock);

  /* post before the sink sees the failure: its GST_FLOW_ERROR would
   * otherwise make upstream post a vaguer error first */
  gst_realtime_ai_deliver (self);
  if (report)
    post_give_up_error (self, &failure);
  gst_realtime_link_verdict_clear (&verdict);

  g_mutex_lock (&self->lock);
  self->failed = TRUE;
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
}
