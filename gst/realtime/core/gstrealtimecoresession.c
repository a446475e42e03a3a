/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core across the session's life: the EOS drain, the
 * renewal of a session near its end, and what a new session is told of
 * the conversation. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimecorepriv.h"

/* A session is renewed at a turn boundary once it has this little left
 * (or half of what it had, for short sessions). */
#define RENEW_MARGIN_US (5 * 60 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------ */
/* The EOS drain */

/* A session.update that changes nothing. */
static gchar *
build_barrier (GstRealtimeCore * core, const gchar * event_id)
{
  const gchar *json = core->config->dialect == GST_REALTIME_PROTOCOL_BETA ?
      "{\"type\":\"session.update\",\"session\":{}}" :
      is_conversation (core) ?
      "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}" :
      "{\"type\":\"session.update\",\"session\":{\"type\":"
      "\"transcription\"}}";

  return gst_realtime_protocol_prepare_client_event (json, event_id, NULL,
      NULL);
}

guint
gst_realtime_core_queue_barrier (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  gst_realtime_core_send (core, build_barrier (core, event_id));
  g_free (event_id);
  return core->updates_seen;
}

gboolean
gst_realtime_core_barrier_heard (GstRealtimeCore * core, guint updates)
{
  return core->updates_seen != updates;
}

void
gst_realtime_core_drain_start (GstRealtimeCore * core, gboolean heard,
    guint epoch)
{
  GstRealtimeCoreDrain drain = { epoch, heard, 0, heard, FALSE };

  core->drain = drain;
}

/* What the drain needs next goes on the connection's epoch, not the
 * session's: that one moves on as soon as the connection ends, and the
 * element sees it connected a little longer; what is sent then is lost
 * with the connection, and is sent again on the next one. */
gboolean
gst_realtime_core_drain_step (GstRealtimeCore * core, guint session_epoch,
    gboolean connected, guint connection_epoch)
{
  GstRealtimeCoreDrain *drain = &core->drain;

  if ((drain->barrier || drain->committed) && drain->epoch != session_epoch)
    drain->barrier = drain->heard = drain->committed = FALSE;
  if (!connected || drain->committed)
    return drain->committed;
  drain->heard |= drain->barrier
      && gst_realtime_core_barrier_heard (core, drain->updates);
  if (drain->heard || !detects_turns (core)) {
    gst_realtime_core_commit_rest (core);
    drain->committed = TRUE;
  } else if (!drain->barrier) {
    drain->updates = gst_realtime_core_queue_barrier (core);
    drain->barrier = TRUE;
  }
  drain->epoch = connection_epoch;
  return drain->committed;
}

/* ------------------------------------------------------------------ */
/* Renewal */

guint
gst_realtime_core_note_expiry (GstRealtimeCore * core, gint64 expires_at,
    gint64 real_now_us, gint64 now_us)
{
  gint64 remaining, wait;

  core->renew_at = 0;
  if (expires_at <= 0)
    return 0;
  remaining = expires_at * G_USEC_PER_SEC - real_now_us;
  if (remaining <= 0)
    return 0;
  wait = remaining - MIN (RENEW_MARGIN_US, remaining / 2);
  core->renew_at = now_us + wait;
  return wait / G_TIME_SPAN_MILLISECOND + 1;
}

/* Near the session's end and at a turn boundary: nothing waits for the
 * server and no speech is open. */
gboolean
gst_realtime_core_renewal_due (GstRealtimeCore * core, gboolean connected,
    gint64 now_us)
{
  if (core->renew_at == 0 || !connected || core->renewing
      || now_us < core->renew_at || gst_realtime_core_replies_pending (core)
      || gst_realtime_turns_in_speech (core->turns))
    return FALSE;
  core->renewing = TRUE;
  return TRUE;
}

void
gst_realtime_core_renewal_over (GstRealtimeCore * core)
{
  core->renewing = FALSE;
}

/* ------------------------------------------------------------------ */
/* The conversation, carried over to a new session */

void
gst_realtime_core_remember_text (GstRealtimeCore * core, gboolean assistant,
    const gchar * text)
{
  if (is_conversation (core))
    gst_realtime_carry_over_remember (&core->carry_over, assistant, text);
}

void
gst_realtime_core_carry_over (GstRealtimeCore * core)
{
  GList *l;
  gchar *event_id;

  for (l = core->carry_over.texts.head; l; l = l->next) {
    GstRealtimeCarriedText *carried = l->data;

    event_id = gst_realtime_core_next_event_id (core);
    gst_realtime_core_send (core,
        gst_realtime_protocol_build_text_message (event_id,
            core->config->dialect, carried->assistant, carried->text));
    g_free (event_id);
  }
}
