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

#include "gstrealtimemessages.h"

static void
set_string (GstStructure * structure, const gchar * field, const gchar * value)
{
  if (value)
    gst_structure_set (structure, field, G_TYPE_STRING, value, NULL);
}

/* realtime-transcript: role ("user" or "assistant"), item-id,
 * response-id (assistant), text (a delta, or the whole text when final),
 * final. */
GstStructure *
gst_realtime_message_transcript (const gchar * role,
    const GstRealtimeServerEvent * event, gboolean final)
{
  GstStructure *s = gst_structure_new ("realtime-transcript",
      "role", G_TYPE_STRING, role,
      "text", G_TYPE_STRING, event->text ? event->text : "",
      "final", G_TYPE_BOOLEAN, final, NULL);

  set_string (s, "item-id", event->item_id);
  set_string (s, "response-id", event->response_id);
  return s;
}

/* realtime-response-done: response-id, status, status-reason, and the
 * usage in tokens when the server gave it. */
GstStructure *
gst_realtime_message_response_done (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new_empty ("realtime-response-done");

  set_string (s, "response-id", event->response_id);
  set_string (s, "status", event->status);
  set_string (s, "status-reason", event->status_reason);
  set_string (s, "metadata", event->metadata);
  if (event->total_tokens >= 0)
    gst_structure_set (s, "input-tokens", G_TYPE_INT64, event->input_tokens,
        "output-tokens", G_TYPE_INT64, event->output_tokens,
        "total-tokens", G_TYPE_INT64, event->total_tokens, NULL);
  return s;
}

/* realtime-rate-limits: for each limit NAME (tokens, requests),
 * NAME-limit, NAME-remaining (int64) and NAME-reset-seconds (double). */
GstStructure *
gst_realtime_message_rate_limits (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new_empty ("realtime-rate-limits");
  guint i;

  for (i = 0; i < event->n_rate_limits; i++) {
    const GstRealtimeRateLimit *limit = &event->rate_limits[i];
    gchar *limit_field, *remaining_field, *reset_field;

    if (!limit->name || !*limit->name)
      continue;
    limit_field = g_strconcat (limit->name, "-limit", NULL);
    remaining_field = g_strconcat (limit->name, "-remaining", NULL);
    reset_field = g_strconcat (limit->name, "-reset-seconds", NULL);
    gst_structure_set (s, limit_field, G_TYPE_INT64, limit->limit,
        remaining_field, G_TYPE_INT64, limit->remaining,
        reset_field, G_TYPE_DOUBLE, limit->reset_seconds, NULL);
    g_free (limit_field);
    g_free (remaining_field);
    g_free (reset_field);
  }
  return s;
}

/* realtime-error: type, code, message, param, event-id, as the server's
 * error event gave them. */
GstStructure *
gst_realtime_message_server_error (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new_empty ("realtime-error");

  set_string (s, "type", event->error_type);
  set_string (s, "code", event->error_code);
  set_string (s, "message", event->error_message);
  set_string (s, "param", event->error_param);
  set_string (s, "event-id", event->error_event_id);
  return s;
}

/* realtime-function-call: name, call-id, arguments (JSON text),
 * response-id, item-id. */
GstStructure *
gst_realtime_message_function_call (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new_empty ("realtime-function-call");

  set_string (s, "name", event->name);
  set_string (s, "call-id", event->call_id);
  set_string (s, "arguments", event->arguments ? event->arguments : "{}");
  set_string (s, "response-id", event->response_id);
  set_string (s, "item-id", event->item_id);
  return s;
}

/* realtime-connection: connecting, connected, reconnecting (with the
 * attempt, the delay before it and why), renewing, disconnected. */
GstStructure *
gst_realtime_message_connection (const gchar * state, guint attempt,
    guint delay_ms, const gchar * reason)
{
  GstStructure *s = gst_structure_new ("realtime-connection",
      "state", G_TYPE_STRING, state, "attempt", G_TYPE_UINT, attempt,
      "delay-ms", G_TYPE_UINT, delay_ms, NULL);

  set_string (s, "reason", reason);
  return s;
}
