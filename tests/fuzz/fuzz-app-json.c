/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target for what applications hand the element: the tools and
 * response-overrides properties, the send-event action's raw client
 * event, and free text (function call outputs, text messages, event ids).
 * Each input is tried as all of them. What a check accepts must then build
 * a client event that is a valid JSON object, since it goes to the server
 * as is; text must come back out of the JSON it was written into
 * unchanged. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocol.h"
#include "fuzz-common.h"

#define EVENT_ID "evt_fuzz"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init (*argv);
  return 0;
}

/* Checks that @json is a JSON object of @type; returns it, the caller
 * unrefs it. */
static JsonObject *
check_client_event (const gchar * json, const gchar * type)
{
  JsonObject *event;

  fuzz_check (json != NULL);
  fuzz_check (g_utf8_validate (json, -1, NULL));
  event = fuzz_load_object (json, -1);
  fuzz_check (event != NULL);
  fuzz_check (g_strcmp0 (fuzz_string_member (event, "type"), type) == 0);
  return event;
}

static void
check_built (gchar * json, const gchar * type)
{
  json_object_unref (check_client_event (json, type));
  g_free (json);
}

/* A false result comes with an error, a true one without. */
static void
check_result (gboolean valid, GError * error)
{
  fuzz_check (valid == (error == NULL));
  if (error != NULL) {
    fuzz_check (error->domain == GST_REALTIME_PROTOCOL_ERROR);
    fuzz_check (g_utf8_validate (error->message, -1, NULL));
  }
}

static void
fuzz_tools (const gchar * str)
{
  static const GstRealtimeProtocolVersion dialects[] =
      { GST_REALTIME_PROTOCOL_GA, GST_REALTIME_PROTOCOL_BETA };
  static const GstRealtimeSessionType types[] =
      { GST_REALTIME_SESSION_TYPE_REALTIME,
    GST_REALTIME_SESSION_TYPE_TRANSCRIPTION
  };
  GstRealtimeSessionConfig config;
  GError *error = NULL;
  gboolean valid;
  guint i, j;

  valid = gst_realtime_protocol_validate_tools (str, &error);
  check_result (valid, error);
  g_clear_error (&error);
  if (!valid)
    return;

  for (i = 0; i < G_N_ELEMENTS (dialects); i++) {
    for (j = 0; j < G_N_ELEMENTS (types); j++) {
      gst_realtime_session_config_init (&config);
      config.dialect = dialects[i];
      config.session_type = types[j];
      config.tools = str;
      config.tool_choice = "required";
      check_built (gst_realtime_protocol_build_session_update (&config,
              EVENT_ID), "session.update");
    }
  }
}

static void
fuzz_overrides (const gchar * str)
{
  GError *error = NULL;
  gboolean valid;
  JsonObject *event;
  gchar *json;

  valid = gst_realtime_protocol_validate_response_overrides (str, &error);
  check_result (valid, error);
  g_clear_error (&error);
  /* the element only asks this of valid overrides; anything must be safe */
  gst_realtime_protocol_overrides_out_of_band (str);
  if (!valid)
    return;

  check_built (gst_realtime_protocol_build_response_create (EVENT_ID,
          GST_REALTIME_PROTOCOL_GA, str), "response.create");
  check_built (gst_realtime_protocol_build_response_create (EVENT_ID,
          GST_REALTIME_PROTOCOL_BETA, str), "response.create");

  /* the element tags its own requests this way */
  json = gst_realtime_protocol_overrides_add_metadata (str,
      "gst_realtime_request", "gstrt_1");
  fuzz_check (json != NULL);
  event = fuzz_load_object (json, -1);
  fuzz_check (event != NULL);
  json_object_unref (event);
  g_free (json);
}

static void
fuzz_client_event (const gchar * str)
{
  GError *error = NULL;
  gchar *json, *used = NULL;
  JsonObject *event;

  json = gst_realtime_protocol_prepare_client_event (str, EVENT_ID, &used,
      &error);
  check_result (json != NULL, error);
  g_clear_error (&error);
  if (json == NULL) {
    fuzz_check (used == NULL);
    return;
  }

  event = fuzz_load_object (json, -1);
  fuzz_check (event != NULL);
  fuzz_check (fuzz_string_member (event, "type") != NULL);
  fuzz_check (used != NULL);
  fuzz_check (g_strcmp0 (fuzz_string_member (event, "event_id"), used) == 0);
  json_object_unref (event);
  g_free (json);
  g_free (used);
}

/* A conversation carried over to a new session: @text must come back as
 * @valid, its UTF-8-repaired form. */
static void
check_text_message (const gchar * text, const gchar * valid,
    GstRealtimeProtocolVersion dialect, gboolean assistant)
{
  gchar *json = gst_realtime_protocol_build_text_message (EVENT_ID, dialect,
      assistant, text);
  JsonObject *event = check_client_event (json, "conversation.item.create");
  JsonObject *item = json_object_get_object_member (event, "item");
  JsonArray *content = json_object_get_array_member (item, "content");

  fuzz_check (json_array_get_length (content) == 1);
  fuzz_check (g_strcmp0 (fuzz_string_member (json_array_get_object_element
              (content, 0), "text"), valid) == 0);
  json_object_unref (event);
  g_free (json);
}

/* Text the application chose, written into JSON by the builders: the
 * append event is escaped by hand, so it is read back with the parser. */
static void
fuzz_text (const gchar * str, const uint8_t * data, size_t size)
{
  GstRealtimeServerEvent *ev;
  JsonObject *event, *item;
  const gchar *audio;
  gchar *json, *valid;
  guchar *decoded;
  gsize decoded_size;

  valid = g_utf8_make_valid (str, -1);
  json = gst_realtime_protocol_build_function_call_output (EVENT_ID, str, str);
  event = check_client_event (json, "conversation.item.create");
  item = json_object_get_object_member (event, "item");
  fuzz_check (g_strcmp0 (fuzz_string_member (item, "output"), valid) == 0);
  fuzz_check (g_strcmp0 (fuzz_string_member (item, "call_id"), valid) == 0);
  json_object_unref (event);
  g_free (json);

  check_text_message (str, valid, GST_REALTIME_PROTOCOL_GA, FALSE);
  check_text_message (str, valid, GST_REALTIME_PROTOCOL_BETA, TRUE);

  /* event ids must be UTF-8; the audio is the input's bytes */
  json = gst_realtime_protocol_build_append (data, size, valid);
  ev = gst_realtime_protocol_parse (json, strlen (json), NULL);
  fuzz_check (ev != NULL);
  fuzz_check (g_strcmp0 (ev->type_name, "input_audio_buffer.append") == 0);
  fuzz_check (g_strcmp0 (ev->event_id, valid) == 0);
  gst_realtime_server_event_free (ev);

  event = check_client_event (json, "input_audio_buffer.append");
  audio = fuzz_string_member (event, "audio");
  fuzz_check (audio != NULL);
  decoded = g_base64_decode (audio, &decoded_size);
  fuzz_check (decoded_size == size);
  fuzz_check (size == 0 || memcmp (decoded, data, size) == 0);
  g_free (decoded);
  json_object_unref (event);
  g_free (json);
  g_free (valid);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  /* properties and action arguments are C strings: up to the first NUL */
  gchar *str = g_strndup ((const gchar *) data, size);

  fuzz_tools (str);
  fuzz_overrides (str);
  fuzz_client_event (str);
  fuzz_text (str, data, size);
  g_free (str);
  return 0;
}
