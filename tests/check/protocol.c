/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Unit tests of the protocol layer: every client event is built and read
 * back with json-glib, then checked against the official GA schemas by
 * data/validate-events; every server event kind is parsed from GA-shaped
 * JSON, and malformed or mistyped input must fail cleanly. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gstrealtimeprotocol.h"

#define APPEND_PREFIX \
  "{\"type\":\"input_audio_buffer.append\",\"event_id\":\""

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/* Parses @json as an object; the caller unrefs it. */
static JsonObject *
load_object (const gchar * json)
{
  JsonParser *parser = json_parser_new ();
  GError *err = NULL;
  JsonNode *root;
  JsonObject *object;

  fail_unless (json != NULL);
  fail_unless (json_parser_load_from_data (parser, json, -1, &err),
      "not JSON (%s): %s", err ? err->message : "?", json);
  root = json_parser_get_root (parser);
  fail_unless (root != NULL && JSON_NODE_HOLDS_OBJECT (root),
      "not an object: %s", json);
  object = json_object_ref (json_node_get_object (root));
  g_object_unref (parser);
  return object;
}

/* Parses a client event and checks its type and event_id. */
static JsonObject *
load_event (const gchar * json, const gchar * type, const gchar * event_id)
{
  JsonObject *event = load_object (json);

  assert_equals_string (json_object_get_string_member (event, "type"), type);
  assert_equals_string (json_object_get_string_member (event, "event_id"),
      event_id);
  return event;
}

static JsonObject *
get_object (JsonObject * parent, const gchar * name)
{
  JsonNode *node = json_object_get_member (parent, name);

  fail_unless (node != NULL && JSON_NODE_HOLDS_OBJECT (node),
      "member '%s' is not an object", name);
  return json_node_get_object (node);
}

static void
assert_string_member (JsonObject * object, const gchar * name,
    const gchar * value)
{
  JsonNode *node = json_object_get_member (object, name);

  fail_unless (node != NULL, "member '%s' missing", name);
  fail_unless (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING,
      "member '%s' is not a string", name);
  assert_equals_string (json_node_get_string (node), value);
}

static void
assert_int_member (JsonObject * object, const gchar * name, gint64 value)
{
  JsonNode *node = json_object_get_member (object, name);

  fail_unless (node != NULL, "member '%s' missing", name);
  fail_unless (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64,
      "member '%s' is not an integer", name);
  assert_equals_int64 (json_node_get_int (node), value);
}

static void
assert_boolean_member (JsonObject * object, const gchar * name, gboolean value)
{
  JsonNode *node = json_object_get_member (object, name);

  fail_unless (node != NULL, "member '%s' missing", name);
  fail_unless (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_BOOLEAN,
      "member '%s' is not a boolean", name);
  assert_equals_int (json_node_get_boolean (node), value);
}

static void
assert_double_member (JsonObject * object, const gchar * name, gdouble value)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  fail_unless (node != NULL, "member '%s' missing", name);
  fail_unless (JSON_NODE_HOLDS_VALUE (node));
  type = json_node_get_value_type (node);
  fail_unless (type == G_TYPE_DOUBLE || type == G_TYPE_INT64,
      "member '%s' is not a number", name);
  fail_unless (ABS (json_node_get_double (node) - value) < 1e-9,
      "member '%s' is %f, not %f", name, json_node_get_double (node), value);
}

/* Deterministic test audio. */
static guint8 *
make_audio (gsize size, guint32 seed)
{
  guint8 *data = g_malloc (MAX (size, 1));
  gsize i;

  for (i = 0; i < size; i++) {
    seed = seed * 1103515245u + 12345u;
    data[i] = seed >> 16;
  }
  return data;
}

/* ---------------------------------------------------------------------- */
/* session.update                                                         */
/* ---------------------------------------------------------------------- */

static void
check_format (JsonObject * parent, GstRealtimeAudioFormat format)
{
  JsonObject *f = get_object (parent, "format");

  switch (format) {
    case GST_REALTIME_AUDIO_FORMAT_PCM16:
      assert_string_member (f, "type", "audio/pcm");
      assert_int_member (f, "rate", 24000);
      assert_equals_int (json_object_get_size (f), 2);
      break;
    case GST_REALTIME_AUDIO_FORMAT_PCMU:
      assert_string_member (f, "type", "audio/pcmu");
      assert_equals_int (json_object_get_size (f), 1);
      break;
    case GST_REALTIME_AUDIO_FORMAT_PCMA:
      assert_string_member (f, "type", "audio/pcma");
      assert_equals_int (json_object_get_size (f), 1);
      break;
    default:
      fail ("unknown format %d", format);
  }
}

static void
check_turn_detection (JsonObject * input,
    const GstRealtimeTurnDetectionConfig * td)
{
  JsonNode *node = json_object_get_member (input, "turn_detection");
  JsonObject *obj;

  fail_unless (node != NULL, "turn_detection missing");
  if (td->type == GST_REALTIME_TURN_DETECTION_NONE) {
    fail_unless (JSON_NODE_HOLDS_NULL (node), "turn_detection is not null");
    return;
  }

  obj = get_object (input, "turn_detection");
  assert_boolean_member (obj, "create_response", td->create_response);
  assert_boolean_member (obj, "interrupt_response", td->interrupt_response);
  if (td->type == GST_REALTIME_TURN_DETECTION_SERVER_VAD) {
    assert_string_member (obj, "type", "server_vad");
    assert_double_member (obj, "threshold", td->threshold);
    assert_int_member (obj, "prefix_padding_ms", td->prefix_padding_ms);
    assert_int_member (obj, "silence_duration_ms", td->silence_duration_ms);
    assert_equals_int (json_object_get_size (obj), 6);
  } else {
    assert_string_member (obj, "type", "semantic_vad");
    assert_string_member (obj, "eagerness", "auto");
    assert_equals_int (json_object_get_size (obj), 4);
  }
}

static gboolean
is_set (const gchar * str)
{
  return str != NULL && str[0] != '\0';
}

/* Checks every member of a built session.update against @config. */
static void
check_session_update (const gchar * json,
    const GstRealtimeSessionConfig * config, const gchar * event_id)
{
  JsonObject *event = load_event (json, "session.update", event_id);
  JsonObject *session, *audio, *input, *output;
  JsonArray *modalities;

  assert_equals_int (json_object_get_size (event), 3);
  session = get_object (event, "session");
  assert_string_member (session, "type", "realtime");

  modalities = json_object_get_array_member (session, "output_modalities");
  fail_unless (modalities != NULL);
  assert_equals_int (json_array_get_length (modalities), 1);
  assert_equals_string (json_array_get_string_element (modalities, 0),
      config->output_modality == GST_REALTIME_OUTPUT_MODALITY_TEXT ?
      "text" : "audio");

  if (is_set (config->instructions))
    assert_string_member (session, "instructions", config->instructions);
  else
    fail_if (json_object_has_member (session, "instructions"));
  assert_equals_int (json_object_get_size (session),
      3 + is_set (config->instructions));

  audio = get_object (session, "audio");
  assert_equals_int (json_object_get_size (audio), 2);
  input = get_object (audio, "input");
  check_format (input, config->input_format);
  check_turn_detection (input, &config->turn_detection);
  assert_equals_int (json_object_get_size (input), 2);

  output = get_object (audio, "output");
  check_format (output, config->output_format);
  if (is_set (config->voice))
    assert_string_member (output, "voice", config->voice);
  else
    fail_if (json_object_has_member (output, "voice"));
  assert_equals_int (json_object_get_size (output), 1 + is_set (config->voice));

  json_object_unref (event);
}

GST_START_TEST (test_session_config_defaults)
{
  GstRealtimeSessionConfig config;

  memset (&config, 0xa5, sizeof (config));
  gst_realtime_session_config_init (&config);
  fail_unless (config.instructions == NULL);
  fail_unless (config.voice == NULL);
  assert_equals_int (config.output_modality,
      GST_REALTIME_OUTPUT_MODALITY_AUDIO);
  assert_equals_int (config.input_format, GST_REALTIME_AUDIO_FORMAT_PCM16);
  assert_equals_int (config.output_format, GST_REALTIME_AUDIO_FORMAT_PCM16);
  assert_equals_int (config.turn_detection.type,
      GST_REALTIME_TURN_DETECTION_SERVER_VAD);
  assert_equals_float (config.turn_detection.threshold, 0.5);
  assert_equals_int (config.turn_detection.prefix_padding_ms, 300);
  assert_equals_int (config.turn_detection.silence_duration_ms, 500);
  fail_unless (config.turn_detection.create_response);
  fail_unless (config.turn_detection.interrupt_response);
}

GST_END_TEST;

GST_START_TEST (test_session_update_default)
{
  GstRealtimeSessionConfig config;
  JsonObject *event, *td;
  gchar *json;

  gst_realtime_session_config_init (&config);
  json = gst_realtime_protocol_build_session_update (&config, "evt_1");
  check_session_update (json, &config, "evt_1");

  /* the defaults themselves, not only what the config says */
  event = load_object (json);
  td = get_object (get_object (get_object (get_object (event, "session"),
              "audio"), "input"), "turn_detection");
  assert_string_member (td, "type", "server_vad");
  assert_double_member (td, "threshold", 0.5);
  assert_int_member (td, "prefix_padding_ms", 300);
  assert_int_member (td, "silence_duration_ms", 500);
  assert_boolean_member (td, "create_response", TRUE);
  assert_boolean_member (td, "interrupt_response", TRUE);
  json_object_unref (event);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_session_update_variants)
{
  static const GstRealtimeAudioFormat formats[][2] = {
    {GST_REALTIME_AUDIO_FORMAT_PCM16, GST_REALTIME_AUDIO_FORMAT_PCM16},
    {GST_REALTIME_AUDIO_FORMAT_PCMU, GST_REALTIME_AUDIO_FORMAT_PCMU},
    {GST_REALTIME_AUDIO_FORMAT_PCMA, GST_REALTIME_AUDIO_FORMAT_PCMA},
    {GST_REALTIME_AUDIO_FORMAT_PCMU, GST_REALTIME_AUDIO_FORMAT_PCM16},
    {GST_REALTIME_AUDIO_FORMAT_PCM16, GST_REALTIME_AUDIO_FORMAT_PCMA},
  };
  GstRealtimeSessionConfig config;
  guint mod, td, f, strings;
  gchar *json;

  for (mod = 0; mod <= GST_REALTIME_OUTPUT_MODALITY_TEXT; mod++) {
    for (td = 0; td <= GST_REALTIME_TURN_DETECTION_NONE; td++) {
      for (f = 0; f < G_N_ELEMENTS (formats); f++) {
        for (strings = 0; strings < 3; strings++) {
          gst_realtime_session_config_init (&config);
          config.output_modality = mod;
          config.turn_detection.type = td;
          config.turn_detection.threshold = 0.7;
          config.turn_detection.prefix_padding_ms = 250 + f;
          config.turn_detection.silence_duration_ms = 800 + td;
          config.turn_detection.create_response = (f % 2 == 0);
          config.turn_detection.interrupt_response = (strings != 1);
          config.input_format = formats[f][0];
          config.output_format = formats[f][1];
          if (strings == 1) {
            config.instructions = "Be brief.";
            config.voice = "marin";
          } else if (strings == 2) {
            config.instructions = "";
            config.voice = "";
          }
          json = gst_realtime_protocol_build_session_update (&config, "e-2");
          check_session_update (json, &config, "e-2");
          g_free (json);
        }
      }
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_session_update_escaping)
{
  static const gchar instructions[] =
      "Say \"hi\" to the user.\nThen a tab\there, a backslash \\ and "
      "a slash /, control \x01, and unicode: \xc3\xa9t\xc3\xa9 "
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x8e\x89";
  GstRealtimeSessionConfig config;
  JsonObject *event, *session;
  gchar *json;

  gst_realtime_session_config_init (&config);
  config.instructions = instructions;
  config.voice = "ce\"dar";
  json = gst_realtime_protocol_build_session_update (&config, "evt_esc");
  /* escaped, so one line of JSON */
  fail_if (strchr (json, '\n') != NULL);
  fail_if (strchr (json, '\t') != NULL);
  fail_if (strchr (json, '\x01') != NULL);
  check_session_update (json, &config, "evt_esc");
  g_free (json);

  /* invalid UTF-8 is repaired rather than sent */
  config.instructions = "bad \xff\xfe bytes";
  config.voice = NULL;
  json = gst_realtime_protocol_build_session_update (&config, "evt_utf8");
  fail_unless (g_utf8_validate (json, -1, NULL));
  event = load_event (json, "session.update", "evt_utf8");
  session = get_object (event, "session");
  fail_unless (g_str_has_prefix (json_object_get_string_member (session,
              "instructions"), "bad "));
  fail_unless (strstr (json_object_get_string_member (session,
              "instructions"), "\xef\xbf\xbd") != NULL);
  json_object_unref (event);
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_session_update_bad_threshold)
{
  GstRealtimeSessionConfig config;
  JsonObject *event, *td;
  gchar *json;

  gst_realtime_session_config_init (&config);
  config.turn_detection.threshold = NAN;
  json = gst_realtime_protocol_build_session_update (&config, "e");
  event = load_object (json);
  td = get_object (get_object (get_object (get_object (event, "session"),
              "audio"), "input"), "turn_detection");
  assert_double_member (td, "threshold", 0.5);
  json_object_unref (event);
  g_free (json);

  config.turn_detection.threshold = 7.0;
  json = gst_realtime_protocol_build_session_update (&config, "e");
  event = load_object (json);
  td = get_object (get_object (get_object (get_object (event, "session"),
              "audio"), "input"), "turn_detection");
  assert_double_member (td, "threshold", 1.0);
  json_object_unref (event);
  g_free (json);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* input_audio_buffer.append                                              */
/* ---------------------------------------------------------------------- */

static void
check_append (gsize size, const gchar * event_id)
{
  guint8 *audio = make_audio (size, size + 1);
  gchar *json, *expected_prefix;
  JsonObject *event;
  const gchar *b64;
  guchar *decoded;
  gsize decoded_size, b64_len;

  json = gst_realtime_protocol_build_append (audio, size, event_id);
  event = load_event (json, "input_audio_buffer.append", event_id);
  assert_equals_int (json_object_get_size (event), 3);
  b64 = json_object_get_string_member (event, "audio");
  fail_unless (b64 != NULL);
  b64_len = (size + 2) / 3 * 4;
  assert_equals_uint64 (strlen (b64), b64_len);

  /* decode with GLib's own decoder: an independent implementation */
  decoded = g_base64_decode (b64, &decoded_size);
  assert_equals_uint64 (decoded_size, size);
  fail_unless (size == 0 || memcmp (decoded, audio, size) == 0,
      "audio of %" G_GSIZE_FORMAT " bytes does not round-trip", size);

  /* the exact layout the session layer counts on */
  if (strchr (event_id, '"') == NULL && strchr (event_id, '\\') == NULL) {
    expected_prefix = g_strdup_printf (APPEND_PREFIX "%s\",\"audio\":\"",
        event_id);
    fail_unless (g_str_has_prefix (json, expected_prefix), "%s", json);
    fail_unless (g_str_has_suffix (json, "\"}"));
    assert_equals_uint64 (strlen (json),
        strlen (expected_prefix) + b64_len + 2);
    g_free (expected_prefix);
  }

  g_free (decoded);
  json_object_unref (event);
  g_free (json);
  g_free (audio);
}

GST_START_TEST (test_append_roundtrip)
{
  static const gsize sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 31, 479, 480, 4799,
    4800, 4801, 9601, 48000, 48001, 48002
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_append (sizes[i], "evt_append-0123");
}

GST_END_TEST;

GST_START_TEST (test_append_escapes_event_id)
{
  check_append (5, "a\"b\\c\nd\x01" "e\xc3\xa9");
  check_append (0, "plain_ID-42");
}

GST_END_TEST;

GST_START_TEST (test_append_empty_audio)
{
  gchar *json = gst_realtime_protocol_build_append (NULL, 0, "e0");

  assert_equals_string (json,
      "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e0\","
      "\"audio\":\"\"}");
  g_free (json);

  json = gst_realtime_protocol_build_append ((const guint8 *) "AB", 2, "e1");
  assert_equals_string (json,
      "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"e1\","
      "\"audio\":\"QUI=\"}");
  g_free (json);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Small client events                                                    */
/* ---------------------------------------------------------------------- */

static void
check_simple_event (gchar * json, const gchar * type, const gchar * event_id)
{
  JsonObject *event = load_event (json, type, event_id);

  assert_equals_int (json_object_get_size (event), 2);
  json_object_unref (event);
  g_free (json);
}

GST_START_TEST (test_small_events)
{
  JsonObject *event;
  gchar *json;

  check_simple_event (gst_realtime_protocol_build_commit ("c1"),
      "input_audio_buffer.commit", "c1");
  check_simple_event (gst_realtime_protocol_build_clear ("c2"),
      "input_audio_buffer.clear", "c2");
  check_simple_event (gst_realtime_protocol_build_response_create ("c3"),
      "response.create", "c3");
  check_simple_event (gst_realtime_protocol_build_response_cancel ("c4",
          NULL), "response.cancel", "c4");
  check_simple_event (gst_realtime_protocol_build_response_cancel ("c4b",
          ""), "response.cancel", "c4b");

  json = gst_realtime_protocol_build_response_cancel ("c5", "resp_123");
  event = load_event (json, "response.cancel", "c5");
  assert_string_member (event, "response_id", "resp_123");
  assert_equals_int (json_object_get_size (event), 3);
  json_object_unref (event);
  g_free (json);

  json = gst_realtime_protocol_build_item_truncate ("c6", "item_9", 0, 1500);
  event = load_event (json, "conversation.item.truncate", "c6");
  assert_string_member (event, "item_id", "item_9");
  assert_int_member (event, "content_index", 0);
  assert_int_member (event, "audio_end_ms", 1500);
  assert_equals_int (json_object_get_size (event), 5);
  json_object_unref (event);
  g_free (json);

  json = gst_realtime_protocol_build_item_truncate ("c7", "it\"em", 2,
      G_MAXUINT);
  event = load_event (json, "conversation.item.truncate", "c7");
  assert_string_member (event, "item_id", "it\"em");
  assert_int_member (event, "content_index", 2);
  assert_int_member (event, "audio_end_ms", G_MAXUINT);
  json_object_unref (event);
  g_free (json);

  /* an event_id that needs escaping */
  check_simple_event (gst_realtime_protocol_build_commit ("q\"\\\n"),
      "input_audio_buffer.commit", "q\"\\\n");
}

GST_END_TEST;

GST_START_TEST (test_builder_preconditions)
{
  GstRealtimeSessionConfig config;

  gst_realtime_session_config_init (&config);
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_append (NULL, 4,
              "e") == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_append ((const
                  guint8 *) "abcd", 4, NULL) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_commit (NULL) ==
          NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_item_truncate
          ("e", NULL, 0, 0) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_session_update
          (NULL, "e") == NULL));
  config.input_format = 17;
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_session_update
          (&config, "e") == NULL));
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Schema validation of built events                                      */
/* ---------------------------------------------------------------------- */

static void
add_line (GString * lines, gchar * json, guint * count)
{
  fail_unless (json != NULL);
  fail_if (strchr (json, '\n') != NULL, "event spans lines: %s", json);
  g_string_append (lines, json);
  g_string_append_c (lines, '\n');
  g_free (json);
  (*count)++;
}

static void
add_session_updates (GString * lines, guint * count)
{
  static const GstRealtimeAudioFormat formats[][2] = {
    {GST_REALTIME_AUDIO_FORMAT_PCM16, GST_REALTIME_AUDIO_FORMAT_PCM16},
    {GST_REALTIME_AUDIO_FORMAT_PCMU, GST_REALTIME_AUDIO_FORMAT_PCMU},
    {GST_REALTIME_AUDIO_FORMAT_PCMA, GST_REALTIME_AUDIO_FORMAT_PCMA},
    {GST_REALTIME_AUDIO_FORMAT_PCMA, GST_REALTIME_AUDIO_FORMAT_PCM16},
  };
  GstRealtimeSessionConfig config;
  guint mod, td, f, strings;

  for (mod = 0; mod <= GST_REALTIME_OUTPUT_MODALITY_TEXT; mod++) {
    for (td = 0; td <= GST_REALTIME_TURN_DETECTION_NONE; td++) {
      for (f = 0; f < G_N_ELEMENTS (formats); f++) {
        for (strings = 0; strings < 2; strings++) {
          gst_realtime_session_config_init (&config);
          config.output_modality = mod;
          config.turn_detection.type = td;
          config.turn_detection.create_response = strings;
          config.input_format = formats[f][0];
          config.output_format = formats[f][1];
          if (strings) {
            config.instructions = "Say \"hi\".\nNew line, \xc3\xa9t\xc3\xa9.";
            config.voice = "cedar";
          }
          add_line (lines,
              gst_realtime_protocol_build_session_update (&config,
                  "evt_session"), count);
        }
      }
    }
  }
}

static void
add_other_events (GString * lines, guint * count)
{
  static const gsize sizes[] = { 0, 1, 2, 3, 4800 };
  guint8 *audio;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    audio = make_audio (sizes[i], i);
    add_line (lines, gst_realtime_protocol_build_append (audio, sizes[i],
            "evt_append"), count);
    g_free (audio);
  }
  add_line (lines, gst_realtime_protocol_build_append ((const guint8 *) "x",
          1, "odd\"id\\"), count);
  add_line (lines, gst_realtime_protocol_build_commit ("evt_commit"), count);
  add_line (lines, gst_realtime_protocol_build_clear ("evt_clear"), count);
  add_line (lines, gst_realtime_protocol_build_response_create ("evt_rc"),
      count);
  add_line (lines, gst_realtime_protocol_build_response_cancel ("evt_cancel",
          NULL), count);
  add_line (lines, gst_realtime_protocol_build_response_cancel ("evt_cancel",
          "resp_1"), count);
  add_line (lines, gst_realtime_protocol_build_item_truncate ("evt_trunc",
          "item_1", 0, 0), count);
  add_line (lines, gst_realtime_protocol_build_item_truncate ("evt_trunc",
          "item_2", 1, 123456), count);
}

/* Writes @lines to a JSON-lines file and runs data/validate-events on it;
 * returns TRUE when it exits with 0 (every event is valid). The file is kept
 * in $REALTIME_TEST_OUTPUT (the build directory) for inspection. */
static gboolean
run_validator (const GString * lines, const gchar * name, gchar ** output)
{
  const gchar *data_dir = g_getenv ("REALTIME_TEST_DATA");
  const gchar *out_dir = g_getenv ("REALTIME_TEST_OUTPUT");
  gchar *script, *file, *file_name, *out = NULL, *err = NULL;
  GError *error = NULL;
  gint status = -1;
  gboolean valid;
  const gchar *argv[4];

  fail_unless (data_dir != NULL, "REALTIME_TEST_DATA is not set");
  script = g_build_filename (data_dir, "validate-events", NULL);
  if (out_dir != NULL)
    file_name = g_strdup_printf ("protocol-%s.jsonl", name);
  else
    file_name =
        g_strdup_printf ("protocol-%s-%d.jsonl", name, (gint) getpid ());
  file =
      g_build_filename (out_dir ? out_dir : g_get_tmp_dir (), file_name, NULL);
  fail_unless (g_file_set_contents (file, lines->str, lines->len, &error),
      "cannot write %s: %s", file, error ? error->message : "?");

  argv[0] = "/usr/bin/python3";
  argv[1] = script;
  argv[2] = file;
  argv[3] = NULL;
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error),
      "cannot run %s: %s", script, error ? error->message : "?");
  *output = g_strconcat (out, err, NULL);
  valid = g_spawn_check_wait_status (status, NULL);
  if (out_dir == NULL)
    g_unlink (file);

  g_free (out);
  g_free (err);
  g_free (file);
  g_free (file_name);
  g_free (script);
  return valid;
}

GST_START_TEST (test_client_events_validate)
{
  GString *lines = g_string_new (NULL);
  gchar *output = NULL, *summary;
  guint count = 0;
  gboolean valid;

  add_session_updates (lines, &count);
  add_other_events (lines, &count);
  fail_unless (count > 50);

  valid = run_validator (lines, "client-events", &output);
  if (!valid)
    g_printerr ("validate-events:\n%s\n", output);
  fail_unless (valid, "built events do not validate (output above)");
  summary = g_strdup_printf ("%u passed, 0 failed", count);
  fail_unless (strstr (output, summary) != NULL,
      "unexpected validator output (wanted '%s'): %.500s", summary, output);

  g_free (summary);
  g_free (output);
  g_string_free (lines, TRUE);
}

GST_END_TEST;

/* The validator run above must be able to fail: known-invalid events. */
GST_START_TEST (test_validator_rejects_invalid)
{
  GString *lines = g_string_new (NULL);
  gchar *output = NULL;
  gboolean valid;

  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"realtime\",\"temperature\":0.8}}\n");
  g_string_append (lines, "{\"type\":\"input_audio_buffer.append\","
      "\"audio\":5}\n");
  valid = run_validator (lines, "invalid-events", &output);
  fail_if (valid, "validator accepted invalid events: %.500s", output);
  fail_unless (strstr (output, "0 passed, 2 failed") != NULL, "%.500s", output);

  g_free (output);
  g_string_free (lines, TRUE);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Server events                                                          */
/* ---------------------------------------------------------------------- */

/* Parses @json from a copy without a NUL terminator. */
static GstRealtimeServerEvent *
parse_data (const gchar * json, gsize size, GError ** error)
{
  gchar *copy = g_memdup2 (json, size);
  GstRealtimeServerEvent *event;

  event = gst_realtime_protocol_parse (copy, size, error);
  g_free (copy);
  return event;
}

static GstRealtimeServerEvent *
parse_ok (const gchar * json, GstRealtimeEventType type)
{
  GError *err = NULL;
  GstRealtimeServerEvent *event = parse_data (json, strlen (json), &err);

  fail_unless (event != NULL, "failed to parse (%s): %s",
      err ? err->message : "no error", json);
  fail_unless (err == NULL);
  assert_equals_int (event->type, type);
  return event;
}

static void
parse_fails_sized (const gchar * data, gsize size,
    GstRealtimeProtocolError code, const gchar * word1, const gchar * word2)
{
  GError *err = NULL;
  GstRealtimeServerEvent *event = parse_data (data, size, &err);

  fail_unless (event == NULL, "parsed invalid input: %.*s", (gint) size, data);
  fail_unless (err != NULL, "no error for: %.*s", (gint) size, data);
  fail_unless (g_error_matches (err, GST_REALTIME_PROTOCOL_ERROR, code),
      "wrong error (%s, code %d) for: %.*s", err->message, err->code,
      (gint) size, data);
  fail_unless (word1 == NULL || strstr (err->message, word1) != NULL,
      "error '%s' does not name '%s'", err->message, word1);
  fail_unless (word2 == NULL || strstr (err->message, word2) != NULL,
      "error '%s' does not name '%s'", err->message, word2);
  g_error_free (err);
}

static void
parse_fails (const gchar * json, GstRealtimeProtocolError code,
    const gchar * word1, const gchar * word2)
{
  parse_fails_sized (json, strlen (json), code, word1, word2);
}

/* Fields an event does not carry keep their defaults. */
static void
assert_no_position (const GstRealtimeServerEvent * ev)
{
  assert_equals_int (ev->output_index, -1);
  assert_equals_int (ev->content_index, -1);
  assert_equals_int64 (ev->audio_start_ms, -1);
  assert_equals_int64 (ev->audio_end_ms, -1);
}

static void
assert_no_error (const GstRealtimeServerEvent * ev)
{
  fail_unless (ev->error_type == NULL);
  fail_unless (ev->error_code == NULL);
  fail_unless (ev->error_message == NULL);
  fail_unless (ev->error_param == NULL);
  fail_unless (ev->error_event_id == NULL);
}

static const gchar session_created[] =
    "{\"type\":\"session.created\","
    "\"event_id\":\"event_C9G5RJeJ2gF77mV7f2B1j\","
    "\"session\":{\"type\":\"realtime\",\"object\":\"realtime.session\","
    "\"id\":\"sess_C9G5QPteg4UIbotdKLoYQ\","
    "\"model\":\"gpt-realtime-2025-08-28\","
    "\"output_modalities\":[\"audio\"],\"instructions\":\"Your knowledge "
    "cutoff is 2023-10.\",\"tools\":[],\"tool_choice\":\"auto\","
    "\"max_output_tokens\":\"inf\",\"tracing\":null,\"prompt\":null,"
    "\"expires_at\":1756324625,\"audio\":{\"input\":{\"format\":{\"type\":"
    "\"audio/pcm\",\"rate\":24000},\"transcription\":null,"
    "\"noise_reduction\":null,\"turn_detection\":{\"type\":\"server_vad\","
    "\"threshold\":0.5,\"prefix_padding_ms\":300,\"silence_duration_ms\":200,"
    "\"idle_timeout_ms\":null,\"create_response\":true,"
    "\"interrupt_response\":true}},\"output\":{\"format\":{\"type\":"
    "\"audio/pcm\",\"rate\":24000},\"voice\":\"marin\",\"speed\":1}},"
    "\"include\":null}}";

static const gchar response_done[] =
    "{\"type\":\"response.done\","
    "\"event_id\":\"event_CCXHxcMy86rrKhBLDdqCh\","
    "\"response\":{\"object\":\"realtime.response\","
    "\"id\":\"resp_CCXHw0UJld10EzIUXQCNh\",\"status\":\"completed\","
    "\"status_details\":null,\"output\":["
    "{\"id\":\"item_CCXHwGjjDUfOXbiySlK7i\","
    "\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
    "\"content\":[{\"type\":\"output_audio\",\"transcript\":\"Loud and clear! "
    "I can hear you perfectly. How can I help you today?\"}]}],"
    "\"conversation_id\":\"conv_CCXHsurMKcaVxIZvaCI5m\","
    "\"output_modalities\":[\"audio\"],\"max_output_tokens\":\"inf\","
    "\"audio\":{\"output\":{\"format\":{\"type\":\"audio/pcm\","
    "\"rate\":24000},\"voice\":\"alloy\"}},\"usage\":{\"total_tokens\":253,"
    "\"input_tokens\":132,"
    "\"output_tokens\":121,\"input_token_details\":{\"text_tokens\":119,"
    "\"audio_tokens\":13,\"image_tokens\":0,\"cached_tokens\":64,"
    "\"cached_tokens_details\":{\"text_tokens\":64,\"audio_tokens\":0,"
    "\"image_tokens\":0}},\"output_token_details\":{\"text_tokens\":30,"
    "\"audio_tokens\":91}},\"metadata\":null}}";

GST_START_TEST (test_parse_session_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok (session_created, GST_REALTIME_EVENT_SESSION_CREATED);
  assert_equals_string (ev->type_name, "session.created");
  assert_equals_string (ev->event_id, "event_C9G5RJeJ2gF77mV7f2B1j");
  assert_equals_string (ev->session_id, "sess_C9G5QPteg4UIbotdKLoYQ");
  assert_equals_int64 (ev->expires_at, 1756324625);
  fail_unless (ev->item_id == NULL && ev->response_id == NULL);
  fail_unless (ev->text == NULL && ev->audio == NULL);
  assert_no_position (ev);
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"session.updated\",\"event_id\":\"event_2\","
      "\"session\":{\"type\":\"realtime\",\"id\":\"sess_2\","
      "\"output_modalities\":[\"text\"],\"audio\":{\"input\":{\"format\":"
      "{\"type\":\"audio/pcmu\"},\"turn_detection\":null}}}}",
      GST_REALTIME_EVENT_SESSION_UPDATED);
  assert_equals_string (ev->session_id, "sess_2");
  assert_equals_int64 (ev->expires_at, -1);
  gst_realtime_server_event_free (ev);

  /* no session at all: defaults */
  ev = parse_ok ("{\"type\":\"session.updated\"}",
      GST_REALTIME_EVENT_SESSION_UPDATED);
  fail_unless (ev->event_id == NULL && ev->session_id == NULL);
  assert_equals_int64 (ev->expires_at, -1);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_error_event)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"error\",\"event_id\":\"event_890\","
      "\"error\":{\"type\":\"invalid_request_error\","
      "\"code\":\"unknown_parameter\",\"message\":\"Unknown parameter: "
      "'session.temperature'.\",\"param\":\"session.temperature\","
      "\"event_id\":\"evt_client_7\"}}", GST_REALTIME_EVENT_ERROR);
  assert_equals_string (ev->type_name, "error");
  assert_equals_string (ev->event_id, "event_890");
  assert_equals_string (ev->error_type, "invalid_request_error");
  assert_equals_string (ev->error_code, "unknown_parameter");
  assert_equals_string (ev->error_message,
      "Unknown parameter: 'session.temperature'.");
  assert_equals_string (ev->error_param, "session.temperature");
  assert_equals_string (ev->error_event_id, "evt_client_7");
  gst_realtime_server_event_free (ev);

  /* nullable members */
  ev = parse_ok ("{\"type\":\"error\",\"event_id\":\"event_891\","
      "\"error\":{\"type\":\"invalid_request_error\",\"code\":"
      "\"session_expired\",\"message\":\"Your session hit the maximum "
      "duration of 60 minutes.\",\"param\":null,\"event_id\":null}}",
      GST_REALTIME_EVENT_ERROR);
  assert_equals_string (ev->error_code, "session_expired");
  fail_unless (ev->error_param == NULL);
  fail_unless (ev->error_event_id == NULL);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_input_buffer_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"input_audio_buffer.speech_started\","
      "\"event_id\":\"event_1516\",\"audio_start_ms\":1000,"
      "\"item_id\":\"msg_003\"}", GST_REALTIME_EVENT_SPEECH_STARTED);
  assert_equals_string (ev->event_id, "event_1516");
  assert_equals_string (ev->item_id, "msg_003");
  assert_equals_int64 (ev->audio_start_ms, 1000);
  assert_equals_int64 (ev->audio_end_ms, -1);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"input_audio_buffer.speech_stopped\","
      "\"event_id\":\"event_1718\",\"audio_end_ms\":2000,"
      "\"item_id\":\"msg_003\"}", GST_REALTIME_EVENT_SPEECH_STOPPED);
  assert_equals_string (ev->item_id, "msg_003");
  assert_equals_int64 (ev->audio_end_ms, 2000);
  assert_equals_int64 (ev->audio_start_ms, -1);
  gst_realtime_server_event_free (ev);

  /* a 64-bit position, and a number written as a double */
  ev = parse_ok ("{\"type\":\"input_audio_buffer.speech_stopped\","
      "\"audio_end_ms\":8589934592}", GST_REALTIME_EVENT_SPEECH_STOPPED);
  assert_equals_int64 (ev->audio_end_ms, G_GINT64_CONSTANT (8589934592));
  gst_realtime_server_event_free (ev);
  ev = parse_ok ("{\"type\":\"input_audio_buffer.speech_started\","
      "\"audio_start_ms\":1500.0}", GST_REALTIME_EVENT_SPEECH_STARTED);
  assert_equals_int64 (ev->audio_start_ms, 1500);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"input_audio_buffer.committed\","
      "\"event_id\":\"event_1121\",\"previous_item_id\":\"msg_001\","
      "\"item_id\":\"msg_002\"}", GST_REALTIME_EVENT_INPUT_COMMITTED);
  assert_equals_string (ev->item_id, "msg_002");
  assert_equals_string (ev->previous_item_id, "msg_001");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"input_audio_buffer.committed\","
      "\"event_id\":\"event_1122\",\"previous_item_id\":null,"
      "\"item_id\":\"msg_001\"}", GST_REALTIME_EVENT_INPUT_COMMITTED);
  assert_equals_string (ev->item_id, "msg_001");
  fail_unless (ev->previous_item_id == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"input_audio_buffer.cleared\","
      "\"event_id\":\"event_1314\"}", GST_REALTIME_EVENT_INPUT_CLEARED);
  assert_equals_string (ev->event_id, "event_1314");
  fail_unless (ev->item_id == NULL);
  assert_no_position (ev);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_item_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"conversation.item.added\","
      "\"event_id\":\"event_C9G8pjSJCfRNEhMEnYAVy\",\"previous_item_id\":null,"
      "\"item\":{\"id\":\"item_C9G8pGVKYnaZu8PH5YQ9O\",\"type\":\"message\","
      "\"status\":\"completed\",\"role\":\"user\",\"content\":[{\"type\":"
      "\"input_audio\",\"transcript\":null}]}}", GST_REALTIME_EVENT_ITEM_ADDED);
  assert_equals_string (ev->type_name, "conversation.item.added");
  assert_equals_string (ev->item_id, "item_C9G8pGVKYnaZu8PH5YQ9O");
  assert_equals_string (ev->item_role, "user");
  fail_unless (ev->previous_item_id == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"conversation.item.done\","
      "\"event_id\":\"event_CCXLgMZPo3qioWCeQa4WH\","
      "\"previous_item_id\":\"item_CCXLecNJVIVR2HUy3ABLj\",\"item\":{\"id\":"
      "\"item_CCXLfxmM5sXVJVz4mCa2S\",\"type\":\"message\",\"status\":"
      "\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
      "\"output_audio\",\"transcript\":\"Oh, I just love that!\"}]}}",
      GST_REALTIME_EVENT_ITEM_DONE);
  assert_equals_string (ev->item_id, "item_CCXLfxmM5sXVJVz4mCa2S");
  assert_equals_string (ev->previous_item_id, "item_CCXLecNJVIVR2HUy3ABLj");
  assert_equals_string (ev->item_role, "assistant");
  fail_unless (ev->text == NULL);
  gst_realtime_server_event_free (ev);

  /* the beta name maps to ITEM_ADDED */
  ev = parse_ok ("{\"type\":\"conversation.item.created\","
      "\"event_id\":\"event_1920\",\"previous_item_id\":\"msg_002\","
      "\"item\":{\"id\":\"msg_003\",\"object\":\"realtime.item\",\"type\":"
      "\"message\",\"status\":\"completed\",\"role\":\"user\",\"content\":"
      "[{\"type\":\"input_audio\",\"transcript\":\"hello how are you\"}]}}",
      GST_REALTIME_EVENT_ITEM_ADDED);
  assert_equals_string (ev->type_name, "conversation.item.created");
  assert_equals_string (ev->item_id, "msg_003");
  assert_equals_string (ev->previous_item_id, "msg_002");
  assert_equals_string (ev->item_role, "user");
  gst_realtime_server_event_free (ev);

  /* a function call item has no role */
  ev = parse_ok ("{\"type\":\"conversation.item.done\",\"event_id\":\"e\","
      "\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\",\"call_id\":"
      "\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}}",
      GST_REALTIME_EVENT_ITEM_DONE);
  assert_equals_string (ev->item_id, "fc_1");
  fail_unless (ev->item_role == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"conversation.item.truncated\","
      "\"event_id\":\"event_2526\",\"item_id\":\"msg_004\","
      "\"content_index\":0,\"audio_end_ms\":1500}",
      GST_REALTIME_EVENT_ITEM_TRUNCATED);
  assert_equals_string (ev->item_id, "msg_004");
  assert_equals_int (ev->content_index, 0);
  assert_equals_int64 (ev->audio_end_ms, 1500);
  assert_equals_int64 (ev->audio_start_ms, -1);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_input_transcription)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"conversation.item.input_audio_transcription."
      "delta\",\"event_id\":\"event_001\",\"item_id\":\"item_001\","
      "\"content_index\":0,\"delta\":\"Hello\"}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA);
  assert_equals_string (ev->item_id, "item_001");
  assert_equals_int (ev->content_index, 0);
  assert_equals_string (ev->text, "Hello");
  fail_unless (ev->audio == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"conversation.item.input_audio_transcription."
      "completed\",\"event_id\":\"event_CCXGRvtUVrax5SJAnNOWZ\","
      "\"item_id\":\"item_CCXGQ4e1ht4cOraEYcuR2\",\"content_index\":0,"
      "\"transcript\":\"Hey, can you hear me?\",\"usage\":{\"type\":"
      "\"tokens\",\"total_tokens\":22,\"input_tokens\":13,"
      "\"input_token_details\":{\"text_tokens\":0,\"audio_tokens\":13},"
      "\"output_tokens\":9}}", GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED);
  assert_equals_string (ev->item_id, "item_CCXGQ4e1ht4cOraEYcuR2");
  assert_equals_string (ev->text, "Hey, can you hear me?");
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_response_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"response.created\","
      "\"event_id\":\"event_C9G8pqbTEddBSIxbBN6Os\",\"response\":{\"object\":"
      "\"realtime.response\",\"id\":\"resp_C9G8p7IH2WxLbkgPNouYL\","
      "\"status\":\"in_progress\",\"status_details\":null,\"output\":[],"
      "\"conversation_id\":\"conv_C9G8mmBkLhQJwCon3hoJN\","
      "\"output_modalities\":[\"audio\"],\"max_output_tokens\":\"inf\","
      "\"audio\":{\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":"
      "24000},\"voice\":\"marin\"}},\"usage\":null,\"metadata\":null}}",
      GST_REALTIME_EVENT_RESPONSE_CREATED);
  assert_equals_string (ev->response_id, "resp_C9G8p7IH2WxLbkgPNouYL");
  assert_equals_string (ev->status, "in_progress");
  fail_unless (ev->status_reason == NULL);
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);

  ev = parse_ok (response_done, GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_string (ev->event_id, "event_CCXHxcMy86rrKhBLDdqCh");
  assert_equals_string (ev->response_id, "resp_CCXHw0UJld10EzIUXQCNh");
  assert_equals_string (ev->status, "completed");
  fail_unless (ev->status_reason == NULL);
  /* the item inside response.output is not the event's item */
  fail_unless (ev->item_id == NULL);
  fail_unless (ev->text == NULL);
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.done\",\"event_id\":\"event_3\","
      "\"response\":{\"object\":\"realtime.response\",\"id\":\"resp_3\","
      "\"status\":\"cancelled\",\"status_details\":{\"type\":\"cancelled\","
      "\"reason\":\"turn_detected\"},\"output\":[]}}",
      GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_string (ev->response_id, "resp_3");
  assert_equals_string (ev->status, "cancelled");
  assert_equals_string (ev->status_reason, "turn_detected");
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.done\",\"event_id\":\"event_4\","
      "\"response\":{\"id\":\"resp_4\",\"status\":\"failed\","
      "\"status_details\":{\"type\":\"failed\",\"error\":{\"type\":"
      "\"insufficient_quota\",\"code\":\"insufficient_quota\",\"message\":"
      "\"You exceeded your current quota.\"}}}}",
      GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_string (ev->status, "failed");
  fail_unless (ev->status_reason == NULL);
  assert_equals_string (ev->error_type, "insufficient_quota");
  assert_equals_string (ev->error_code, "insufficient_quota");
  assert_equals_string (ev->error_message, "You exceeded your current quota.");
  gst_realtime_server_event_free (ev);

  /* the schema's shape of the error: type and code only */
  ev = parse_ok ("{\"type\":\"response.done\",\"event_id\":\"event_5\","
      "\"response\":{\"object\":\"realtime.response\",\"id\":\"resp_5\","
      "\"status\":\"failed\",\"status_details\":{\"type\":\"failed\","
      "\"error\":{\"type\":\"server_error\",\"code\":\"rate_limit_exceeded\"}},"
      "\"output\":[]}}", GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_string (ev->response_id, "resp_5");
  assert_equals_string (ev->status, "failed");
  assert_equals_string (ev->error_type, "server_error");
  assert_equals_string (ev->error_code, "rate_limit_exceeded");
  fail_unless (ev->error_message == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"rate_limits.updated\",\"event_id\":"
      "\"event_5758\",\"rate_limits\":[{\"name\":\"tokens\",\"limit\":40000,"
      "\"remaining\":39980,\"reset_seconds\":0.03}]}",
      GST_REALTIME_EVENT_RATE_LIMITS_UPDATED);
  assert_equals_string (ev->event_id, "event_5758");
  assert_no_position (ev);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

static void
assert_output_position (const GstRealtimeServerEvent * ev)
{
  assert_equals_string (ev->response_id, "resp_001");
  assert_equals_string (ev->item_id, "msg_008");
  assert_equals_int (ev->output_index, 1);
  assert_equals_int (ev->content_index, 2);
}

#define OUTPUT_FIELDS "\"response_id\":\"resp_001\",\"item_id\":\"msg_008\"," \
  "\"output_index\":1,\"content_index\":2"

GST_START_TEST (test_parse_output_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"response.output_audio.delta\",\"event_id\":"
      "\"event_4950\"," OUTPUT_FIELDS ",\"delta\":\"AAEC/w==\"}",
      GST_REALTIME_EVENT_AUDIO_DELTA);
  assert_equals_string (ev->event_id, "event_4950");
  assert_output_position (ev);
  assert_equals_uint64 (ev->audio_size, 4);
  fail_unless (memcmp (ev->audio, "\x00\x01\x02\xff", 4) == 0);
  fail_unless (ev->text == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_audio.done\",\"event_id\":"
      "\"event_5152\"," OUTPUT_FIELDS "}", GST_REALTIME_EVENT_AUDIO_DONE);
  assert_output_position (ev);
  fail_unless (ev->audio == NULL && ev->text == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_audio_transcript.delta\","
      "\"event_id\":\"event_4546\"," OUTPUT_FIELDS ",\"delta\":\"Hello, \"}",
      GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA);
  assert_output_position (ev);
  assert_equals_string (ev->text, "Hello, ");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_audio_transcript.done\","
      "\"event_id\":\"event_4748\"," OUTPUT_FIELDS ",\"transcript\":"
      "\"Hello, how can I assist you today?\"}",
      GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE);
  assert_output_position (ev);
  assert_equals_string (ev->text, "Hello, how can I assist you today?");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_text.delta\",\"event_id\":"
      "\"event_4142\"," OUTPUT_FIELDS
      ",\"delta\":\"Sure, \\\"I\\u00e9\\\"\\n\"}",
      GST_REALTIME_EVENT_TEXT_DELTA);
  assert_output_position (ev);
  assert_equals_string (ev->text, "Sure, \"I\xc3\xa9\"\n");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_text.done\",\"event_id\":"
      "\"event_4344\"," OUTPUT_FIELDS ",\"text\":\"Sure, I can help.\"}",
      GST_REALTIME_EVENT_TEXT_DONE);
  assert_output_position (ev);
  assert_equals_string (ev->text, "Sure, I can help.");
  gst_realtime_server_event_free (ev);

  /* an empty text delta is still a delta */
  ev = parse_ok ("{\"type\":\"response.output_text.delta\",\"delta\":\"\"}",
      GST_REALTIME_EVENT_TEXT_DELTA);
  assert_equals_string (ev->text, "");
  assert_equals_int (ev->output_index, -1);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

static void
check_audio_delta (const gchar * b64, const gchar * expected, gsize size)
{
  gchar *json = g_strdup_printf ("{\"type\":\"response.output_audio.delta\","
      "\"delta\":\"%s\"}", b64);
  GstRealtimeServerEvent *ev = parse_ok (json, GST_REALTIME_EVENT_AUDIO_DELTA);

  assert_equals_uint64 (ev->audio_size, size);
  if (size == 0)
    fail_unless (ev->audio == NULL);
  else
    fail_unless (memcmp (ev->audio, expected, size) == 0, "%s", b64);
  gst_realtime_server_event_free (ev);
  g_free (json);
}

GST_START_TEST (test_parse_audio_delta_padding)
{
  check_audio_delta ("", NULL, 0);
  check_audio_delta ("QQ==", "A", 1);
  check_audio_delta ("QUI=", "AB", 2);
  check_audio_delta ("QUJD", "ABC", 3);
  check_audio_delta ("QUJDRA==", "ABCD", 4);
  check_audio_delta ("AAAA", "\0\0\0", 3);
  check_audio_delta ("AA==", "\0", 1);
  check_audio_delta ("+/+/", "\xfb\xff\xbf", 3);
}

GST_END_TEST;

GST_START_TEST (test_parse_audio_delta_invalid)
{
  static const gchar *bad[] = {
    "abc", "QQ", "Q", "ab!d", "a===", "====", "=AAA", "QQ=A", "QQ==QQ==",
    " QQ==", "QQ== ", "QUJD\\n", "QU\\nJD", "Q\\nJD", "QU\\tD", "QUJ-", "QUJ_",
    "QUJ\\u00e9",
  };
  gchar *json;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    json = g_strdup_printf ("{\"type\":\"response.output_audio.delta\","
        "\"event_id\":\"e\",\"delta\":\"%s\"}", bad[i]);
    parse_fails (json, GST_REALTIME_PROTOCOL_ERROR_INVALID,
        "response.output_audio.delta", "'delta'");
    g_free (json);
  }
}

GST_END_TEST;

GST_START_TEST (test_parse_audio_delta_huge)
{
  gsize size = 3 * 512 * 1024 + 1;      /* about 2 MiB of base64 */
  guint8 *audio = make_audio (size, 7);
  gchar *b64 = g_base64_encode (audio, size);
  gchar *json;
  GstRealtimeServerEvent *ev;

  fail_unless (strlen (b64) > 2 * 1024 * 1024);
  json = g_strdup_printf ("{\"type\":\"response.output_audio.delta\","
      "\"event_id\":\"event_big\"," OUTPUT_FIELDS ",\"delta\":\"%s\"}", b64);
  ev = parse_ok (json, GST_REALTIME_EVENT_AUDIO_DELTA);
  assert_equals_uint64 (ev->audio_size, size);
  fail_unless (memcmp (ev->audio, audio, size) == 0);
  assert_output_position (ev);
  gst_realtime_server_event_free (ev);

  g_free (json);
  g_free (b64);
  g_free (audio);
}

GST_END_TEST;

/* Audio sent by build_append and echoed back as a delta comes out equal. */
GST_START_TEST (test_append_to_delta_roundtrip)
{
  static const gsize sizes[] = { 1, 2, 3, 4, 4800, 4801, 4802 };
  GstRealtimeServerEvent *ev;
  JsonObject *event;
  guint8 *audio;
  gchar *json, *delta;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    audio = make_audio (sizes[i], 99 + i);
    json = gst_realtime_protocol_build_append (audio, sizes[i], "e");
    event = load_object (json);
    delta = g_strdup_printf ("{\"type\":\"response.output_audio.delta\","
        "\"delta\":\"%s\"}", json_object_get_string_member (event, "audio"));
    ev = parse_ok (delta, GST_REALTIME_EVENT_AUDIO_DELTA);
    assert_equals_uint64 (ev->audio_size, sizes[i]);
    fail_unless (memcmp (ev->audio, audio, sizes[i]) == 0);
    gst_realtime_server_event_free (ev);
    g_free (delta);
    json_object_unref (event);
    g_free (json);
    g_free (audio);
  }
}

GST_END_TEST;

GST_START_TEST (test_parse_unknown)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"response.function_call_arguments.delta\","
      "\"event_id\":\"event_5354\",\"response_id\":\"resp_002\",\"item_id\":"
      "\"fc_001\",\"output_index\":0,\"call_id\":\"call_001\",\"delta\":"
      "\"{\\\"location\\\": \\\"San\\\"\"}", GST_REALTIME_EVENT_UNKNOWN);
  assert_equals_string (ev->type_name,
      "response.function_call_arguments.delta");
  assert_equals_string (ev->event_id, "event_5354");
  fail_unless (ev->item_id == NULL && ev->response_id == NULL);
  fail_unless (ev->text == NULL);
  assert_no_position (ev);
  gst_realtime_server_event_free (ev);

  /* unknown events are not type-checked */
  ev = parse_ok ("{\"type\":\"something.new\",\"event_id\":5,\"delta\":[],"
      "\"audio_start_ms\":\"x\"}", GST_REALTIME_EVENT_UNKNOWN);
  assert_equals_string (ev->type_name, "something.new");
  fail_unless (ev->event_id == NULL);
  gst_realtime_server_event_free (ev);

  /* the beta names are not GA events */
  ev = parse_ok ("{\"type\":\"response.audio.delta\",\"delta\":\"QQ==\"}",
      GST_REALTIME_EVENT_UNKNOWN);
  fail_unless (ev->audio == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"\"}", GST_REALTIME_EVENT_UNKNOWN);
  assert_equals_string (ev->type_name, "");
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_extra_fields)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"x-extra\":{\"a\":[1,2,{\"b\":null}]},\"type\":"
      "\"input_audio_buffer.speech_started\",\"audio_start_ms\":20,"
      "\"item_id\":\"i\",\"event_id\":\"e\",\"new_field\":true,"
      "\"audio_end_ms\":\"not read for this event\"}",
      GST_REALTIME_EVENT_SPEECH_STARTED);
  assert_equals_int64 (ev->audio_start_ms, 20);
  assert_equals_int64 (ev->audio_end_ms, -1);
  assert_equals_string (ev->item_id, "i");
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_malformed)
{
  static const gchar *bad[] = {
    "", " ", "\n\t", "not json", "[1,2]", "[]", "5", "\"text\"", "null",
    "true", "{}", "{\"type\":5}", "{\"type\":null}", "{\"type\":[\"error\"]}",
    "{\"type\":{}}", "{\"event_id\":\"e\"}", "{\"type\":\"error\"",
    "{\"type\":\"error\",", "{\"type\":\"err", "{\"type\"", "{", "}", "]",
    "{\"type\":\"error\"}}", "{'type':'error'}",
    "/* c */{\"type\":\"x\"}", "{\"type\":\"x\"}{}",
    "{\"type\":\"x\"} trailing", "{\"type\":\"x\",\"a\":0x10}",
    "{\"type\":\"x\",\"a\":NaN}", "{\"type\":\"x\",}",
    "{\"type\":\"x\",\"a\":\"\\ud800\"}", "{\"type\":\"\xff\"}",
    "{\"type\":\"x\",\"a\":\"\xc3\"}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    parse_fails (bad[i], GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);

  /* embedded NUL */
  parse_fails_sized ("{\"type\":\"x\0\"}", 13,
      GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);
  parse_fails_sized ("{\"type\":\"x\"}\0", 13,
      GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);
  /* NULL data is fine when empty */
  fail_unless (gst_realtime_protocol_parse (NULL, 0, NULL) == NULL);
}

GST_END_TEST;

GST_START_TEST (test_parse_every_prefix_fails)
{
  static const gchar *events[] = { session_created, response_done };
  gsize len, n;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    n = strlen (events[i]);
    for (len = 0; len < n; len++)
      parse_fails_sized (events[i], len,
          GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);
  }
}

GST_END_TEST;

/* An event with @depth arrays nested in it: @depth + 1 levels. */
static gchar *
nested_event (guint depth)
{
  GString *s = g_string_new ("{\"type\":\"input_audio_buffer.cleared\","
      "\"deep\":");
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_parse_deep_nesting)
{
  GstRealtimeServerEvent *ev;
  gchar *json;

  /* 63 arrays inside the event object: 64 levels, accepted */
  json = nested_event (63);
  ev = parse_ok (json, GST_REALTIME_EVENT_INPUT_CLEARED);
  gst_realtime_server_event_free (ev);
  g_free (json);

  json = nested_event (64);
  parse_fails (json, GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);
  g_free (json);

  /* brackets inside strings do not count, escaped quotes do not end them */
  ev = parse_ok ("{\"type\":\"response.output_text.delta\",\"delta\":"
      "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
      "{{{{{{{{{{\\\"[[[\\\\\"}", GST_REALTIME_EVENT_TEXT_DELTA);
  fail_unless (g_str_has_suffix (ev->text, "{\"[[[\\"));
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

/* A million levels would overflow json-glib's recursive parser. */
GST_START_TEST (test_parse_deep_nesting_huge)
{
  gsize n = 1000000;
  gchar *deep = g_malloc (2 * n);

  memset (deep, '[', n);
  memset (deep + n, ']', n);
  parse_fails_sized (deep, 2 * n, GST_REALTIME_PROTOCOL_ERROR_MALFORMED,
      NULL, NULL);
  parse_fails_sized (deep, n, GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL,
      NULL);
  memset (deep, '{', n);
  parse_fails_sized (deep, n, GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL,
      NULL);
  g_free (deep);
}

GST_END_TEST;

GST_START_TEST (test_parse_not_nul_terminated)
{
  static const gchar buffer[] =
      "{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e1\","
      "\"audio_start_ms\":42,\"item_id\":\"it\"}GARBAGE{\"[[[[";
  gsize size = strchr (buffer, 'G') - buffer;
  GstRealtimeServerEvent *ev;
  GError *err = NULL;

  ev = parse_data (buffer, size, &err);
  fail_unless (ev != NULL, "%s", err ? err->message : "");
  assert_equals_int (ev->type, GST_REALTIME_EVENT_SPEECH_STARTED);
  assert_equals_int64 (ev->audio_start_ms, 42);
  assert_equals_string (ev->item_id, "it");
  gst_realtime_server_event_free (ev);

  /* the same buffer, directly, with its trailing garbage in memory */
  ev = gst_realtime_protocol_parse (buffer, size, NULL);
  fail_unless (ev != NULL);
  assert_equals_string (ev->event_id, "e1");
  gst_realtime_server_event_free (ev);

  /* one byte more is not JSON any more */
  parse_fails_sized (buffer, size + 1, GST_REALTIME_PROTOCOL_ERROR_MALFORMED,
      NULL, NULL);
}

GST_END_TEST;

typedef struct
{
  const gchar *json;
  const gchar *type;
  const gchar *field;
} InvalidCase;

GST_START_TEST (test_parse_wrong_field_types)
{
  static const InvalidCase cases[] = {
    {"{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\","
          "\"delta\":5}", "response.output_audio.delta", "'delta'"},
    {"{\"type\":\"response.output_audio.delta\",\"response_id\":\"r\"}",
        "response.output_audio.delta", "'delta' is missing"},
    {"{\"type\":\"response.output_audio.delta\",\"delta\":null}",
        "response.output_audio.delta", "'delta' is missing"},
    {"{\"type\":\"response.output_audio.delta\",\"delta\":\"QQ==\","
          "\"output_index\":\"0\"}", "response.output_audio.delta",
        "'output_index'"},
    {"{\"type\":\"response.output_audio.delta\",\"delta\":\"QQ==\","
          "\"item_id\":7}", "response.output_audio.delta", "'item_id'"},
    {"{\"type\":\"response.output_audio_transcript.delta\"}",
        "response.output_audio_transcript.delta", "'delta'"},
    {"{\"type\":\"response.output_audio_transcript.delta\",\"delta\":{}}",
        "response.output_audio_transcript.delta", "'delta'"},
    {"{\"type\":\"response.output_text.delta\",\"delta\":[\"a\"]}",
        "response.output_text.delta", "'delta'"},
    {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
          "\"content_index\":true}", "response.output_text.delta",
        "'content_index'"},
    {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
          "\"content_index\":1.5}", "response.output_text.delta",
        "'content_index'"},
    {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
          "\"output_index\":-1}", "response.output_text.delta",
        "'output_index'"},
    {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
          "\"output_index\":4294967296}", "response.output_text.delta",
        "'output_index'"},
    {"{\"type\":\"response.output_text.done\",\"text\":1}",
        "response.output_text.done", "'text'"},
    {"{\"type\":\"response.output_text.done\"}",
        "response.output_text.done", "'text' is missing"},
    {"{\"type\":\"response.output_audio_transcript.done\"}",
        "response.output_audio_transcript.done", "'transcript' is missing"},
    {"{\"type\":\"response.output_audio_transcript.done\",\"transcript\":"
          "false}", "response.output_audio_transcript.done", "'transcript'"},
    {"{\"type\":\"response.output_audio.done\",\"response_id\":[]}",
        "response.output_audio.done", "'response_id'"},
    {"{\"type\":\"conversation.item.input_audio_transcription.delta\","
          "\"item_id\":\"i\"}",
        "conversation.item.input_audio_transcription.delta", "'delta'"},
    {"{\"type\":\"conversation.item.input_audio_transcription.completed\","
          "\"item_id\":\"i\"}",
          "conversation.item.input_audio_transcription.completed",
        "'transcript'"},
    {"{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\","
          "\"audio_start_ms\":\"x\"}", "input_audio_buffer.speech_started",
        "'audio_start_ms'"},
    {"{\"type\":\"input_audio_buffer.speech_started\","
          "\"audio_start_ms\":1e300}", "input_audio_buffer.speech_started",
        "'audio_start_ms'"},
    {"{\"type\":\"input_audio_buffer.speech_stopped\",\"audio_end_ms\":-5}",
        "input_audio_buffer.speech_stopped", "'audio_end_ms'"},
    {"{\"type\":\"input_audio_buffer.speech_stopped\",\"audio_end_ms\":{}}",
        "input_audio_buffer.speech_stopped", "'audio_end_ms'"},
    {"{\"type\":\"input_audio_buffer.committed\",\"previous_item_id\":5}",
        "input_audio_buffer.committed", "'previous_item_id'"},
    {"{\"type\":\"input_audio_buffer.cleared\",\"event_id\":5}",
        "input_audio_buffer.cleared", "'event_id'"},
    {"{\"type\":\"conversation.item.truncated\",\"item_id\":{}}",
        "conversation.item.truncated", "'item_id'"},
    {"{\"type\":\"conversation.item.truncated\",\"audio_end_ms\":\"1\"}",
        "conversation.item.truncated", "'audio_end_ms'"},
    {"{\"type\":\"conversation.item.added\",\"item\":\"x\"}",
        "conversation.item.added", "'item'"},
    {"{\"type\":\"conversation.item.done\",\"item\":{\"id\":1}}",
        "conversation.item.done", "'item.id'"},
    {"{\"type\":\"conversation.item.created\",\"item\":{\"role\":[]}}",
        "conversation.item.created", "'item.role'"},
    {"{\"type\":\"error\",\"event_id\":\"e\"}", "error", "'error' is missing"},
    {"{\"type\":\"error\",\"error\":\"oops\"}", "error", "'error'"},
    {"{\"type\":\"error\",\"error\":{\"type\":\"x\",\"code\":42}}", "error",
        "'error.code'"},
    {"{\"type\":\"error\",\"error\":{\"message\":{}}}", "error",
        "'error.message'"},
    {"{\"type\":\"error\",\"error\":{\"param\":1}}", "error", "'error.param'"},
    {"{\"type\":\"error\",\"error\":{\"event_id\":1}}", "error",
        "'error.event_id'"},
    {"{\"type\":\"error\",\"error\":{\"type\":true}}", "error",
        "'error.type'"},
    {"{\"type\":\"session.created\",\"session\":[]}", "session.created",
        "'session'"},
    {"{\"type\":\"session.created\",\"session\":{\"id\":5}}",
        "session.created", "'session.id'"},
    {"{\"type\":\"session.updated\",\"session\":{\"expires_at\":\"soon\"}}",
        "session.updated", "'session.expires_at'"},
    {"{\"type\":\"response.created\",\"response\":1}", "response.created",
        "'response'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":5}}", "response.done",
        "'response.id'"},
    {"{\"type\":\"response.done\",\"response\":{\"status\":0}}",
        "response.done", "'response.status'"},
    {"{\"type\":\"response.done\",\"response\":{\"status_details\":\"x\"}}",
        "response.done", "'response.status_details'"},
    {"{\"type\":\"response.done\",\"response\":{\"status_details\":"
          "{\"reason\":3}}}", "response.done",
        "'response.status_details.reason'"},
    {"{\"type\":\"response.done\",\"response\":{\"status_details\":"
          "{\"error\":[]}}}", "response.done",
        "'response.status_details.error'"},
    {"{\"type\":\"response.done\",\"response\":{\"status_details\":"
          "{\"error\":{\"message\":[]}}}}", "response.done",
        "'response.status_details.error.message'"},
    {"{\"type\":\"rate_limits.updated\",\"event_id\":[]}",
        "rate_limits.updated", "'event_id'"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    parse_fails (cases[i].json, GST_REALTIME_PROTOCOL_ERROR_INVALID,
        cases[i].type, cases[i].field);
}

GST_END_TEST;

/* Random corruption of real events: never a crash, and exactly one of an
 * event or an error. */
GST_START_TEST (test_parse_mutations)
{
  static const gchar *events[] = { session_created, response_done,
    "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\","
        OUTPUT_FIELDS ",\"delta\":\"AAECAwQFBgcICQ==\"}",
    "{\"type\":\"error\",\"event_id\":\"e\",\"error\":{\"type\":\"t\","
        "\"code\":\"c\",\"message\":\"m\",\"param\":null}}",
  };
  static const gchar noise[] = "{}[]\":,\\0123456789-.eE aZ=/+\xc3\xff";
  GRand *rand = g_rand_new_with_seed (20260821);
  GstRealtimeServerEvent *ev;
  GError *err;
  gchar *data;
  gsize len;
  guint i, j, flips;

  for (i = 0; i < 4000; i++) {
    const gchar *src = events[i % G_N_ELEMENTS (events)];

    len = strlen (src);
    data = g_memdup2 (src, len);
    flips = g_rand_int_range (rand, 1, 4);
    for (j = 0; j < flips; j++)
      data[g_rand_int_range (rand, 0, len)] =
          noise[g_rand_int_range (rand, 0, sizeof (noise) - 1)];
    if (g_rand_boolean (rand))
      len = g_rand_int_range (rand, 0, len + 1);

    err = NULL;
    ev = gst_realtime_protocol_parse (data, len, &err);
    fail_unless ((ev == NULL) != (err == NULL));
    fail_unless (err == NULL || err->domain == GST_REALTIME_PROTOCOL_ERROR);
    gst_realtime_server_event_free (ev);
    g_clear_error (&err);
    g_free (data);
  }
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_event_free_null)
{
  g_autoptr (GstRealtimeServerEvent) ev = NULL;

  gst_realtime_server_event_free (NULL);
  ev = parse_ok ("{\"type\":\"input_audio_buffer.cleared\"}",
      GST_REALTIME_EVENT_INPUT_CLEARED);
  assert_equals_int (GST_REALTIME_PROTOCOL_ERROR,
      gst_realtime_protocol_error_quark ());
  fail_unless (GST_REALTIME_PROTOCOL_ERROR != 0);
}

GST_END_TEST;

static Suite *
protocol_suite (void)
{
  Suite *s = suite_create ("protocol");
  TCase *tc_build = tcase_create ("build");
  TCase *tc_schema = tcase_create ("schema");
  TCase *tc_parse = tcase_create ("parse");

  suite_add_tcase (s, tc_build);
  tcase_add_test (tc_build, test_session_config_defaults);
  tcase_add_test (tc_build, test_session_update_default);
  tcase_add_test (tc_build, test_session_update_variants);
  tcase_add_test (tc_build, test_session_update_escaping);
  tcase_add_test (tc_build, test_session_update_bad_threshold);
  tcase_add_test (tc_build, test_append_roundtrip);
  tcase_add_test (tc_build, test_append_escapes_event_id);
  tcase_add_test (tc_build, test_append_empty_audio);
  tcase_add_test (tc_build, test_small_events);
  tcase_add_test (tc_build, test_builder_preconditions);

  suite_add_tcase (s, tc_schema);
  tcase_add_test (tc_schema, test_client_events_validate);
  tcase_add_test (tc_schema, test_validator_rejects_invalid);

  suite_add_tcase (s, tc_parse);
  tcase_add_test (tc_parse, test_parse_session_events);
  tcase_add_test (tc_parse, test_parse_error_event);
  tcase_add_test (tc_parse, test_parse_input_buffer_events);
  tcase_add_test (tc_parse, test_parse_item_events);
  tcase_add_test (tc_parse, test_parse_input_transcription);
  tcase_add_test (tc_parse, test_parse_response_events);
  tcase_add_test (tc_parse, test_parse_output_events);
  tcase_add_test (tc_parse, test_parse_audio_delta_padding);
  tcase_add_test (tc_parse, test_parse_audio_delta_invalid);
  tcase_add_test (tc_parse, test_parse_audio_delta_huge);
  tcase_add_test (tc_parse, test_append_to_delta_roundtrip);
  tcase_add_test (tc_parse, test_parse_unknown);
  tcase_add_test (tc_parse, test_parse_extra_fields);
  tcase_add_test (tc_parse, test_parse_malformed);
  tcase_add_test (tc_parse, test_parse_every_prefix_fails);
  tcase_add_test (tc_parse, test_parse_deep_nesting);
  tcase_add_test (tc_parse, test_parse_deep_nesting_huge);
  tcase_add_test (tc_parse, test_parse_not_nul_terminated);
  tcase_add_test (tc_parse, test_parse_wrong_field_types);
  tcase_add_test (tc_parse, test_parse_mutations);
  tcase_add_test (tc_parse, test_event_free_null);

  return s;
}

GST_CHECK_MAIN (protocol);
