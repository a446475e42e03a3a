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
#include "gstrealtimeresponses.h"

#include <json-glib/json-glib.h>

static void
set_string (GstStructure * structure, const gchar * field, const gchar * value)
{
  if (value)
    gst_structure_set (structure, field, G_TYPE_STRING, value, NULL);
}

static void
set_int64 (GstStructure * structure, const gchar * field, gint64 value)
{
  if (value >= 0)
    gst_structure_set (structure, field, G_TYPE_INT64, value, NULL);
}

static void
set_double (GstStructure * structure, const gchar * field, gdouble value)
{
  if (value >= 0.0)
    gst_structure_set (structure, field, G_TYPE_DOUBLE, value, NULL);
}

/* The token counts (and the seconds of a transcription billed by
 * duration) the server gave; the ones it left out are left out. */
static void
set_usage (GstStructure * s, const GstRealtimeServerEvent * event)
{
  if (event->total_tokens >= 0)
    gst_structure_set (s, "input-tokens", G_TYPE_INT64, event->input_tokens,
        "output-tokens", G_TYPE_INT64, event->output_tokens,
        "total-tokens", G_TYPE_INT64, event->total_tokens, NULL);
  set_int64 (s, "input-cached-tokens", event->input_cached_tokens);
  set_int64 (s, "input-audio-tokens", event->input_audio_tokens);
  set_int64 (s, "input-text-tokens", event->input_text_tokens);
  set_int64 (s, "input-image-tokens", event->input_image_tokens);
  set_int64 (s, "output-audio-tokens", event->output_audio_tokens);
  set_int64 (s, "output-text-tokens", event->output_text_tokens);
  set_double (s, "usage-seconds", event->usage_seconds);
}

/* The detected languages as an array of strings */
static void
set_languages (GstStructure * s, gchar ** languages)
{
  GValue array = G_VALUE_INIT, code = G_VALUE_INIT;
  guint i;

  if (!languages)
    return;
  gst_value_array_init (&array, g_strv_length (languages));
  g_value_init (&code, G_TYPE_STRING);
  for (i = 0; languages[i]; i++) {
    g_value_set_string (&code, languages[i]);
    gst_value_array_append_value (&array, &code);
  }
  gst_structure_take_value (s, "languages", &array);
  g_value_unset (&code);
}

/* realtime-transcript: role ("user" or "assistant"), item-id,
 * response-id (assistant), text (a delta, a diarized segment, or the whole
 * text when final), final; a segment's speaker, start and end (seconds);
 * a final user transcript's usage and detected languages. */
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
  set_string (s, "speaker", event->speaker);
  set_double (s, "start", event->segment_start);
  set_double (s, "end", event->segment_end);
  set_usage (s, event);
  set_languages (s, event->languages);
  return s;
}

/* The response's metadata as the app gave it: without the tag the element
 * adds to its own requests, and none when only that tag was there. */
static gchar *
app_metadata (const gchar * metadata)
{
  JsonNode *node;
  JsonObject *object;
  gchar *json = NULL;

  if (!metadata || !(node = json_from_string (metadata, NULL)))
    return g_strdup (metadata);
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    json_node_unref (node);
    return g_strdup (metadata);
  }
  object = json_node_get_object (node);
  json_object_remove_member (object, GST_REALTIME_REQUEST_TAG);
  if (json_object_get_size (object) > 0)
    json = json_to_string (node, FALSE);
  json_node_unref (node);
  return json;
}

/* realtime-response-done: response-id, status, status-reason, and the
 * usage in tokens, with its details, when the server gave it. */
GstStructure *
gst_realtime_message_response_done (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new_empty ("realtime-response-done");
  gchar *metadata = app_metadata (event->metadata);

  set_string (s, "response-id", event->response_id);
  set_string (s, "status", event->status);
  set_string (s, "status-reason", event->status_reason);
  set_string (s, "metadata", metadata);
  g_free (metadata);
  set_usage (s, event);
  return s;
}

/* realtime-dtmf: event (the key pressed), received-at (seconds, when the
 * server gave it). */
GstStructure *
gst_realtime_message_dtmf (const GstRealtimeServerEvent * event)
{
  GstStructure *s = gst_structure_new ("realtime-dtmf", "event",
      G_TYPE_STRING, event->dtmf_event ? event->dtmf_event : "", NULL);

  set_double (s, "received-at", event->dtmf_received_at);
  return s;
}

/* realtime-mcp: what (list-tools or call), status (completed or failed),
 * item-id, server-label and, for a call, name (the tool), when known. */
GstStructure *
gst_realtime_message_mcp (const gchar * what, const gchar * status,
    const gchar * item_id, const gchar * server_label, const gchar * name)
{
  GstStructure *s = gst_structure_new ("realtime-mcp", "what", G_TYPE_STRING,
      what, "status", G_TYPE_STRING, status, NULL);

  set_string (s, "item-id", item_id);
  set_string (s, "server-label", server_label);
  set_string (s, "name", name);
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
