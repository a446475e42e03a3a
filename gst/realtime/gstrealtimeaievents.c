/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the element does with each server event. All of it runs on the
 * session thread, under the element lock; bus messages and signals are
 * gathered as notices and delivered after the lock is released. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* ------------------------------------------------------------------ */
/* Session */

/* The session is configured as soon as the server is ready, with the
 * formats guessed until caps come. Session thread. */
void
gst_realtime_ai_send_session_update_locked (GstRealtimeAI * self)
{
  if (!self->transport || !gst_realtime_link_has_session (self->link))
    return;
  gst_realtime_transport_send_now (self->transport,
      gst_realtime_core_build_session_update (self->core));
}

/* Caps known or changed, on the streaming thread: behind the audio queued
 * in the old format, or, before the audio flows, as soon as the session
 * thread can. */
void
gst_realtime_ai_update_session_locked (GstRealtimeAI * self)
{
  if (!self->transport || !gst_realtime_link_has_session (self->link))
    return;
  if (gst_realtime_link_is_up (self->link))
    gst_realtime_transport_queue_control (self->transport,
        gst_realtime_core_build_session_update (self->core));
  else
    gst_realtime_transport_send_soon (self->transport,
        gst_realtime_core_build_session_update (self->core));
}

/* ------------------------------------------------------------------ */
/* Reply audio, which the element queues on its src pad */

static GstRealtimeReply *
lookup_reply_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply =
      gst_realtime_turns_get_reply (gst_realtime_core_get_turns (self->core),
      event->response_id);

  if (!reply)
    GST_DEBUG_OBJECT (self, "%s for unknown response %s", event->type_name,
        GST_STR_NULL (event->response_id));
  return reply;
}

static void
handle_audio_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply = lookup_reply_locked (self, event);

  if (!reply)
    return;
  if (event->type == GST_REALTIME_EVENT_AUDIO_DELTA)
    gst_realtime_ai_reply_audio_locked (self, reply, event);
  else
    gst_realtime_ai_reply_audio_done_locked (self, reply, event->item_id);
}

/* The response is over: the audio it still holds goes out before the
 * core lets the reply go. */
static void
finish_reply_audio_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply =
      gst_realtime_turns_get_reply (gst_realtime_core_get_turns (self->core),
      event->response_id);

  if (reply)
    gst_realtime_ai_reply_audio_finish_locked (self, reply);
}

/* ------------------------------------------------------------------ */

static void
handle_session_created_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  gst_realtime_link_session_created (self->link);
  gst_realtime_ai_note_expiry_locked (self, event->expires_at);
  gst_realtime_ai_send_session_update_locked (self);
}

/* The connection's events and the reply audio are the element's; the
 * decisions about the rest are the core's. */
static void
handle_event_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  switch (event->type) {
    case GST_REALTIME_EVENT_SESSION_CREATED:
      handle_session_created_locked (self, event);
      return;
    case GST_REALTIME_EVENT_SESSION_UPDATED:
      gst_realtime_ai_connection_ready_locked (self);
      break;
    case GST_REALTIME_EVENT_AUDIO_DELTA:
    case GST_REALTIME_EVENT_AUDIO_DONE:
      handle_audio_locked (self, event);
      return;
    case GST_REALTIME_EVENT_RESPONSE_DONE:
      finish_reply_audio_locked (self, event);
      break;
    default:
      break;
  }
  if (!gst_realtime_core_handle_event (self->core, event,
          g_get_monotonic_time ()))
    GST_DEBUG_OBJECT (self, "ignoring %s", event->type_name);
  gst_realtime_ai_run_core_locked (self, event);
}

void
gst_realtime_ai_on_transport_event (GstRealtimeTransport * transport,
    GstRealtimeServerEvent * event, const gchar * json, gsize json_size,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  self->dispatching = TRUE;
  gst_realtime_ai_server_event_locked (self, event->type_name, json, json_size);
  handle_event_locked (self, event);
  gst_realtime_ai_settle_audio_locked (self);
  gst_realtime_ai_consider_renewal_locked (self);
  g_mutex_unlock (&self->lock);
  gst_realtime_server_event_free (event);

  /* the EOS drain waits for this: an application that stops at EOS still
   * sees the messages of the last response */
  gst_realtime_ai_deliver (self);
  g_mutex_lock (&self->lock);
  self->dispatching = FALSE;
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
}

void
gst_realtime_ai_on_transport_malformed (GstRealtimeTransport * transport,
    const GError * error, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  gboolean admitted;

  g_mutex_lock (&self->lock);
  admitted = gst_realtime_core_admit_warning (self->core,
      g_get_monotonic_time ());
  gst_realtime_ai_run_core_locked (self, NULL);
  g_mutex_unlock (&self->lock);
  if (admitted)
    GST_ELEMENT_WARNING (self, STREAM, DECODE,
        (_("Ignored an invalid message from the server.")),
        ("%s", error->message));
  else
    GST_DEBUG_OBJECT (self, "warning held back: %s", error->message);
}
