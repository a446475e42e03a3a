/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target for the server event parser. Every frame a server
 * sends goes through gst_realtime_protocol_parse (), so any bytes must
 * give an event or an error, never a crash or a leak, and the event must
 * keep the promises gstrealtimeprotocol.h makes. Audio deltas are also
 * decoded with GLib's base64 decoder, which must agree, and what the fast
 * path for deltas takes must read the same through json-glib. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocolpriv.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init (*argv);
  return 0;
}

static void
check_strings (const GstRealtimeServerEvent * ev)
{
  const gchar *strings[] = { ev->type_name, ev->event_id, ev->session_id,
    ev->item_id, ev->previous_item_id, ev->item_role, ev->response_id,
    ev->text, ev->status, ev->status_reason, ev->metadata,
    ev->conversation_id, ev->item_type, ev->call_id, ev->name,
    ev->arguments, ev->error_type, ev->error_code, ev->error_message,
    ev->error_param, ev->error_event_id, ev->segment_id, ev->speaker,
    ev->dtmf_event, ev->server_label
  };
  guint i;

  /* the element hands these to GValues, messages and signals */
  for (i = 0; i < G_N_ELEMENTS (strings); i++)
    fuzz_check (is_utf8_or_null (strings[i]));
  for (i = 0; ev->languages && ev->languages[i]; i++)
    fuzz_check (is_utf8_or_null (ev->languages[i]));
  for (i = 0; i < ev->n_rate_limits; i++)
    fuzz_check (is_utf8_or_null (ev->rate_limits[i].name));
}

static void
check_numbers (const GstRealtimeServerEvent * ev)
{
  guint i;

  /* -1 means absent; anything else was a non-negative JSON integer */
  fuzz_check (ev->expires_at >= -1);
  fuzz_check (ev->output_index >= -1 && ev->content_index >= -1);
  fuzz_check (ev->audio_start_ms >= -1 && ev->audio_end_ms >= -1);
  fuzz_check (ev->input_tokens >= -1 && ev->output_tokens >= -1);
  fuzz_check (ev->total_tokens >= -1);
  fuzz_check (ev->input_cached_tokens >= -1 && ev->input_audio_tokens >= -1);
  fuzz_check (ev->input_text_tokens >= -1 && ev->input_image_tokens >= -1);
  fuzz_check (ev->output_audio_tokens >= -1
      && ev->output_text_tokens >= -1);
  /* the doubles: absent, or a non-negative number (no NaN) */
  fuzz_check (ev->usage_seconds >= 0.0 || ev->usage_seconds == -1.0);
  fuzz_check (ev->segment_start >= 0.0 || ev->segment_start == -1.0);
  fuzz_check (ev->segment_end >= 0.0 || ev->segment_end == -1.0);
  fuzz_check (ev->dtmf_received_at >= 0.0 || ev->dtmf_received_at == -1.0);
  fuzz_check ((ev->rate_limits != NULL) == (ev->n_rate_limits > 0));
  for (i = 0; i < ev->n_rate_limits; i++) {
    fuzz_check (ev->rate_limits[i].limit >= -1);
    fuzz_check (ev->rate_limits[i].remaining >= -1);
    fuzz_check (ev->rate_limits[i].reset_seconds >= 0.0
        || ev->rate_limits[i].reset_seconds == -1.0);
  }
}

/* The parser's strict decoder accepted the delta: GLib's lenient one must
 * give the same bytes. */
static void
check_audio_delta (const GstRealtimeServerEvent * ev, const gchar * data,
    gsize size)
{
  JsonObject *root = fuzz_load_object (data, size);
  const gchar *delta;
  guchar *decoded;
  gsize decoded_size;

  fuzz_check (root != NULL);
  delta = fuzz_string_member (root, "delta");
  fuzz_check (delta != NULL);
  decoded = g_base64_decode (delta, &decoded_size);
  fuzz_check (decoded_size == ev->audio_size);
  fuzz_check (decoded_size == 0
      || memcmp (decoded, ev->audio, decoded_size) == 0);
  g_free (decoded);
  json_object_unref (root);
}

static void
check_event (const GstRealtimeServerEvent * ev, const gchar * data, gsize size)
{
  JsonObject *metadata;

  fuzz_check (ev->type_name != NULL);
  check_strings (ev);
  check_numbers (ev);
  fuzz_check ((ev->audio == NULL) == (ev->audio_size == 0));
  if (ev->type != GST_REALTIME_EVENT_AUDIO_DELTA)
    fuzz_check (ev->audio == NULL);
  else
    check_audio_delta (ev, data, size);

  /* metadata is re-serialised, and must read back as an object */
  if (ev->metadata != NULL) {
    metadata = fuzz_load_object (ev->metadata, -1);
    fuzz_check (metadata != NULL);
    json_object_unref (metadata);
  }
}

#define SAME_STRING(a, b, field) \
  fuzz_check (g_strcmp0 ((a)->field, (b)->field) == 0)
#define SAME_NUMBER(a, b, field) fuzz_check ((a)->field == (b)->field)

static void
check_same_events (const GstRealtimeServerEvent * a,
    const GstRealtimeServerEvent * b)
{
  guint i;

  SAME_NUMBER (a, b, type);
  SAME_STRING (a, b, type_name);
  SAME_STRING (a, b, event_id);
  SAME_STRING (a, b, session_id);
  SAME_NUMBER (a, b, expires_at);
  SAME_STRING (a, b, item_id);
  SAME_STRING (a, b, previous_item_id);
  SAME_STRING (a, b, item_role);
  SAME_STRING (a, b, response_id);
  SAME_NUMBER (a, b, output_index);
  SAME_NUMBER (a, b, content_index);
  SAME_NUMBER (a, b, audio_start_ms);
  SAME_NUMBER (a, b, audio_end_ms);
  SAME_STRING (a, b, text);
  SAME_NUMBER (a, b, audio_size);
  fuzz_check (a->audio_size == 0
      || memcmp (a->audio, b->audio, a->audio_size) == 0);
  SAME_STRING (a, b, status);
  SAME_STRING (a, b, status_reason);
  SAME_STRING (a, b, metadata);
  SAME_STRING (a, b, conversation_id);
  SAME_NUMBER (a, b, input_tokens);
  SAME_NUMBER (a, b, output_tokens);
  SAME_NUMBER (a, b, total_tokens);
  SAME_STRING (a, b, item_type);
  SAME_STRING (a, b, call_id);
  SAME_STRING (a, b, name);
  SAME_STRING (a, b, arguments);
  SAME_NUMBER (a, b, n_rate_limits);
  for (i = 0; i < a->n_rate_limits; i++) {
    SAME_STRING (a, b, rate_limits[i].name);
    SAME_NUMBER (a, b, rate_limits[i].limit);
    SAME_NUMBER (a, b, rate_limits[i].remaining);
    SAME_NUMBER (a, b, rate_limits[i].reset_seconds);
  }
  SAME_STRING (a, b, error_type);
  SAME_STRING (a, b, error_code);
  SAME_STRING (a, b, error_message);
  SAME_STRING (a, b, error_param);
  SAME_STRING (a, b, error_event_id);
  SAME_STRING (a, b, speaker);
  SAME_STRING (a, b, server_label);
  SAME_NUMBER (a, b, usage_seconds);
  SAME_NUMBER (a, b, input_cached_tokens);
}

/* gstrealtimeprotocoldelta.c: whatever the fast path takes, json-glib
 * takes and reads the same. */
static void
check_fast_path (const gchar * data, gsize size)
{
  GstRealtimeServerEvent *fast, *slow;
  GError *error = NULL;

  fast = gst_realtime_protocol_parse_delta (data, size);
  if (fast == NULL)
    return;
  slow = gst_realtime_protocol_parse_json (data, size, &error);
  if (slow == NULL)
    g_printerr ("fast path took what json-glib refuses: %s\n", error->message);
  fuzz_check (slow != NULL);
  check_same_events (fast, slow);
  gst_realtime_server_event_free (fast);
  gst_realtime_server_event_free (slow);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstRealtimeServerEvent *ev;
  GError *error = NULL;

  ev = gst_realtime_protocol_parse ((const gchar *) data, size, &error);
  if (ev == NULL) {
    fuzz_check (error != NULL);
    fuzz_check (error->domain == GST_REALTIME_PROTOCOL_ERROR);
    fuzz_check (error->code == GST_REALTIME_PROTOCOL_ERROR_MALFORMED
        || error->code == GST_REALTIME_PROTOCOL_ERROR_INVALID);
    /* the element posts the message on the bus */
    fuzz_check (g_utf8_validate (error->message, -1, NULL));
    g_error_free (error);
    return 0;
  }

  fuzz_check (error == NULL);
  check_event (ev, (const gchar *) data, size);
  check_fast_path ((const gchar *) data, size);
  gst_realtime_server_event_free (ev);
  return 0;
}
