/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Carries out the conversation core's actions, under the element lock:
 * client events go on the transport, notices become bus messages and
 * signals (delivered after the lock), problems become warnings and
 * errors in the user's words. The core's log lines go to the
 * `realtimecore` debug category. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

GST_DEBUG_CATEGORY (gst_realtime_core_debug);

#ifndef GST_DISABLE_GST_DEBUG
static GstDebugLevel
debug_level (GLogLevelFlags level)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return GST_LEVEL_ERROR;
  if (level & G_LOG_LEVEL_WARNING)
    return GST_LEVEL_WARNING;
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    return GST_LEVEL_INFO;
  return GST_LEVEL_DEBUG;
}
#endif

/* The core is GLib only: its lines come here, to show with GST_DEBUG as
 * the element's do, with the core's file and line. */
void
gst_realtime_ai_log_core (GLogLevelFlags level, const gchar * file,
    const gchar * function, gint line, const gchar * format, va_list args,
    gpointer user_data)
{
#ifndef GST_DISABLE_GST_DEBUG
  GstDebugLevel gst_level = debug_level (level);

  /* checked first, as GST_CAT_LEVEL_LOG does: no formatting for nothing */
  if (gst_level <= gst_debug_category_get_threshold (gst_realtime_core_debug))
    gst_debug_log_valist (gst_realtime_core_debug, gst_level, file, function,
        line, G_OBJECT (user_data), format, args);
#endif
}

static const gchar *
error_text (const GstRealtimeServerEvent * event)
{
  return event->error_message ? event->error_message :
      GST_STR_NULL (event->error_code);
}

static void
post_fatal_error (GstRealtimeAI * self, GstRealtimeProblem problem,
    const GstRealtimeServerEvent * event)
{
  const gchar *message = error_text (event);

  self->failed = TRUE;
  if (problem == GST_REALTIME_PROBLEM_KEY_REFUSED)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        (_("The server refused the API key: %s"), message),
        ("error code %s", GST_STR_NULL (event->error_code)));
  else if (problem == GST_REALTIME_PROBLEM_AUTHENTICATION)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        (_("The server did not accept the authentication: %s. Check the "
                "api-key and auth properties."), message),
        ("error type %s, code null", GST_STR_NULL (event->error_type)));
  else if (problem == GST_REALTIME_PROBLEM_BETA_DISABLED)
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server does not accept the beta protocol (%s): set the "
                "protocol property to ga."), message),
        ("error code %s", event->error_code));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server rejected the session configuration: %s"), message),
        ("error type %s, code %s, param %s",
            GST_STR_NULL (event->error_type),
            GST_STR_NULL (event->error_code),
            GST_STR_NULL (event->error_param)));
}

static void
warn_mcp_failed (GstRealtimeAI * self, const GstRealtimeAction * action)
{
  const gchar *label = action->label ? action->label : "?";

  if (action->call)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The tool %s of the MCP server %s failed."),
            action->name ? action->name : "?", label),
        ("response.mcp_call.failed, item %s", GST_STR_NULL (action->item_id)));
  else
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The MCP server %s could not list its tools."), label),
        ("mcp_list_tools.failed, item %s", GST_STR_NULL (action->item_id)));
}

static void
warn (GstRealtimeAI * self, const GstRealtimeAction * action,
    const GstRealtimeServerEvent * event)
{
  switch (action->problem) {
    case GST_REALTIME_PROBLEM_RESPONSE_FAILED:
      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          (_("The server could not answer: %s"), error_text (event)),
          ("response %s failed: type %s, code %s",
              GST_STR_NULL (event->response_id),
              GST_STR_NULL (event->error_type),
              GST_STR_NULL (event->error_code)));
      break;
    case GST_REALTIME_PROBLEM_MCP_FAILED:
      warn_mcp_failed (self, action);
      break;
    default:
      GST_ELEMENT_WARNING (self, RESOURCE, READ,
          (_("The server reported an error: %s"), error_text (event)),
          ("error type %s, code %s, param %s, event %s",
              GST_STR_NULL (event->error_type),
              GST_STR_NULL (event->error_code),
              GST_STR_NULL (event->error_param),
              GST_STR_NULL (event->error_event_id)));
      break;
  }
}

static void
warn_held_back (GstRealtimeAI * self, guint held_back)
{
  if (held_back > 0)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (g_dngettext (GETTEXT_PACKAGE,
                "%u more problem with the server's messages was not "
                "reported on its own.",
                "%u more problems with the server's messages were not "
                "reported one by one.", held_back), held_back),
        ("more than %u warnings in %u ms", GST_REALTIME_WARN_LIMIT_BURST,
            GST_REALTIME_WARN_LIMIT_WINDOW_MS));
}

void
gst_realtime_ai_report_held_back_warnings_locked (GstRealtimeAI * self)
{
  warn_held_back (self, gst_realtime_core_take_held_back (self->core));
}

static gboolean
report_held_back_due (gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  gst_realtime_ai_report_held_back_warnings_locked (self);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

static void
post_notice (GstRealtimeAI * self, const GstRealtimeAction * action,
    const GstRealtimeServerEvent * event)
{
  gboolean user = action->role == GST_REALTIME_TEXT_USER;

  switch (action->notice) {
    case GST_REALTIME_NOTICE_TRANSCRIPT:
      gst_realtime_ai_post_locked (self, gst_realtime_message_transcript (user
              ? "user" : "assistant", event, action->final));
      break;
    case GST_REALTIME_NOTICE_RESPONSE_DONE:
      gst_realtime_ai_post_locked (self,
          gst_realtime_message_response_done (event));
      break;
    case GST_REALTIME_NOTICE_SERVER_ERROR:
      gst_realtime_ai_post_locked (self,
          gst_realtime_message_server_error (event));
      /* for the close that may follow */
      gst_realtime_link_note_server_error (self->link, error_text (event));
      break;
    case GST_REALTIME_NOTICE_FUNCTION_CALL:
      gst_realtime_ai_function_call_locked (self, event);
      break;
    case GST_REALTIME_NOTICE_DTMF:
      gst_realtime_ai_post_locked (self, gst_realtime_message_dtmf (event));
      break;
    case GST_REALTIME_NOTICE_RATE_LIMITS:
      gst_realtime_ai_post_locked (self,
          gst_realtime_message_rate_limits (event));
      break;
    case GST_REALTIME_NOTICE_MCP:
      gst_realtime_ai_post_locked (self,
          gst_realtime_message_mcp (action->call ? "call" : "list-tools",
              action->failed ? "failed" : "completed", action->item_id,
              action->label, action->name));
      break;
  }
}

/* Speech over reply audio stops it: what is queued goes, and downstream
 * is flushed so that a live sink stops talking. The flush waits for the
 * audio pad's task, which takes the lock: it comes after it. */
static void
barge_in (GstRealtimeAI * self)
{
  if (gst_realtime_core_barge_in (self->core,
          gst_realtime_ai_now_locked (self)))
    self->interrupt_due = TRUE;
}

/* Queues a small control event behind the audio already queued. */
void
gst_realtime_ai_queue_control_locked (GstRealtimeAI * self, gchar * event)
{
  if (!self->transport) {
    g_free (event);
    return;
  }
  gst_realtime_transport_queue_control (self->transport, event);
}

static void
run (GstRealtimeAI * self, GstRealtimeAction * action,
    const GstRealtimeServerEvent * event)
{
  switch (action->type) {
    case GST_REALTIME_ACTION_SEND:
      gst_realtime_ai_queue_control_locked (self,
          g_steal_pointer (&action->event));
      break;
    case GST_REALTIME_ACTION_NOTICE:
      post_notice (self, action, event);
      break;
    case GST_REALTIME_ACTION_WARN:
      warn (self, action, event);
      break;
    case GST_REALTIME_ACTION_FAIL:
      post_fatal_error (self, action->problem, event);
      break;
    case GST_REALTIME_ACTION_EXPIRED:
      /* the close that follows is not the user's problem */
      GST_INFO_OBJECT (self, "session expired: %s", error_text (event));
      gst_realtime_link_note_expired (self->link);
      break;
    case GST_REALTIME_ACTION_BARGE_IN:
      barge_in (self);
      break;
    case GST_REALTIME_ACTION_ADVANCE:
      gst_realtime_ai_advance_outputs_locked (self, action->position);
      break;
    case GST_REALTIME_ACTION_REPORT_HELD_BACK:
      warn_held_back (self, action->count);
      break;
    case GST_REALTIME_ACTION_REPORT_LATER:
      if (self->transport)
        gst_realtime_transport_call_later (self->transport, action->delay_ms,
            report_held_back_due, self);
      break;
  }
}

/* Carries out what the core asked for; @event is the server event it
 * handled, if any: the notices and problems are about it. */
void
gst_realtime_ai_run_core_locked (GstRealtimeAI * self,
    const GstRealtimeServerEvent * event)
{
  GstRealtimeAction *action;

  while ((action = gst_realtime_core_poll_action (self->core))) {
    run (self, action, event);
    gst_realtime_action_free (action);
  }
}

/* What the core's actions leave for after the lock: barge-in's flush of the
 * reply audio, then the notices. Call without the lock. */
void
gst_realtime_ai_deliver (GstRealtimeAI * self)
{
  gboolean interrupt;

  g_mutex_lock (&self->lock);
  interrupt = self->interrupt_due;
  self->interrupt_due = FALSE;
  g_mutex_unlock (&self->lock);
  if (interrupt)
    gst_realtime_ai_interrupt_audio (self);
  gst_realtime_ai_flush_notices (self);
}
