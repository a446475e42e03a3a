/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Unit tests of the protocol layer: every client event is built in both
 * dialects and read back with json-glib, then checked against the official
 * GA and beta schemas by data/validate-events; the checks of what
 * applications hand over must give precise errors; every server event kind
 * is parsed from GA- and beta-shaped JSON, and malformed or mistyped input
 * must fail cleanly. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gstrealtimeprotocolpriv.h"

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

static gboolean
is_beta (const GstRealtimeSessionConfig * config)
{
  return config->dialect == GST_REALTIME_PROTOCOL_BETA;
}

static gboolean
is_realtime (const GstRealtimeSessionConfig * config)
{
  return config->session_type == GST_REALTIME_SESSION_TYPE_REALTIME;
}

static const gchar *const tool_choice_keywords[] = { "auto", "none",
  "required", NULL
};

#define TOOLS_JSON \
    "[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":" \
    "\"The weather in a city.\",\"parameters\":{\"type\":\"object\"," \
    "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":" \
    "[\"city\"]}},{\"type\":\"function\",\"name\":\"hang_up\"}]"

static const gchar tools_json[] = TOOLS_JSON;

static void
assert_null_member (JsonObject * object, const gchar * name)
{
  JsonNode *node = json_object_get_member (object, name);

  fail_unless (node != NULL, "member '%s' missing", name);
  fail_unless (JSON_NODE_HOLDS_NULL (node), "member '%s' is not null", name);
}

/* @name is @value when that is set, and absent otherwise; returns the
 * number of members that makes. */
static guint
check_optional_string (JsonObject * object, const gchar * name,
    const gchar * value)
{
  if (!is_set (value)) {
    fail_if (json_object_has_member (object, name), "'%s' not omitted", name);
    return 0;
  }
  assert_string_member (object, name, value);
  return 1;
}

/* @name is an array of the strings @expected, NULL-terminated. */
static void
assert_strings_member (JsonObject * object, const gchar * name,
    const gchar * const *expected)
{
  JsonNode *node = json_object_get_member (object, name);
  guint i, n = g_strv_length ((gchar **) expected);
  JsonArray *array;

  fail_unless (node != NULL && JSON_NODE_HOLDS_ARRAY (node),
      "member '%s' is not an array", name);
  array = json_node_get_array (node);
  assert_equals_int (json_array_get_length (array), n);
  for (i = 0; i < n; i++)
    assert_equals_string (json_array_get_string_element (array, i),
        expected[i]);
}

/* @json and @expected are the same JSON value, member order aside. */
static void
assert_json_equal (const gchar * json, const gchar * expected)
{
  JsonNode *got, *want;

  fail_unless (json != NULL);
  got = json_from_string (json, NULL);
  want = json_from_string (expected, NULL);
  fail_unless (got != NULL, "not JSON: %s", json);
  fail_unless (want != NULL, "bad expectation: %s", expected);
  fail_unless (json_node_equal (got, want), "got:\n%s\nwanted:\n%s", json,
      expected);
  json_node_unref (got);
  json_node_unref (want);
}

static void
check_beta_format (JsonObject * session, const gchar * name,
    GstRealtimeAudioFormat format)
{
  static const gchar *const names[] = { "pcm16", "g711_ulaw", "g711_alaw" };

  fail_unless ((guint) format < G_N_ELEMENTS (names));
  assert_string_member (session, name, names[format]);
}

static void
check_turn_detection (JsonObject * parent,
    const GstRealtimeSessionConfig * config)
{
  static const gchar *const eagerness[] = { "auto", "low", "medium", "high" };
  const GstRealtimeTurnDetectionConfig *td = &config->turn_detection;
  gboolean replies = is_realtime (config);
  gboolean idle = !is_beta (config) && td->idle_timeout_ms > 0;
  JsonObject *obj;

  if (td->type == GST_REALTIME_TURN_DETECTION_NONE) {
    assert_null_member (parent, "turn_detection");
    return;
  }

  obj = get_object (parent, "turn_detection");
  /* a transcription session never asks for responses */
  assert_boolean_member (obj, "create_response",
      replies && td->create_response);
  assert_boolean_member (obj, "interrupt_response",
      replies && td->interrupt_response);
  if (td->type == GST_REALTIME_TURN_DETECTION_SERVER_VAD) {
    assert_string_member (obj, "type", "server_vad");
    assert_double_member (obj, "threshold", td->threshold);
    assert_int_member (obj, "prefix_padding_ms", td->prefix_padding_ms);
    assert_int_member (obj, "silence_duration_ms", td->silence_duration_ms);
    if (idle)
      assert_int_member (obj, "idle_timeout_ms", td->idle_timeout_ms);
    fail_if (!idle && json_object_has_member (obj, "idle_timeout_ms"));
    assert_equals_int (json_object_get_size (obj), 6 + idle);
  } else {
    assert_string_member (obj, "type", "semantic_vad");
    assert_string_member (obj, "eagerness", eagerness[td->eagerness]);
    assert_equals_int (json_object_get_size (obj), 4);
  }
}

/* Returns the number of members it makes in @parent. */
static guint
check_transcription (JsonObject * parent, const gchar * name,
    const GstRealtimeSessionConfig * config)
{
  JsonObject *obj;
  guint n;

  if (!is_set (config->transcription_model)) {
    fail_if (json_object_has_member (parent, name), "'%s' not omitted", name);
    return 0;
  }
  obj = get_object (parent, name);
  assert_string_member (obj, "model", config->transcription_model);
  n = 1 + check_optional_string (obj, "language",
      config->transcription_language);
  n += check_optional_string (obj, "prompt", config->transcription_prompt);
  assert_equals_int (json_object_get_size (obj), n);
  return 1;
}

static void
check_noise_reduction (JsonObject * parent, const gchar * name,
    GstRealtimeNoiseReduction noise_reduction)
{
  JsonObject *obj;

  if (noise_reduction == GST_REALTIME_NOISE_REDUCTION_OFF) {
    fail_if (json_object_has_member (parent, name));
    return;
  }
  obj = get_object (parent, name);
  assert_string_member (obj, "type",
      noise_reduction == GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD ?
      "near_field" : "far_field");
  assert_equals_int (json_object_get_size (obj), 1);
}

/* tools and tool_choice; returns the number of members they make. */
static guint
check_tools (JsonObject * session, const GstRealtimeSessionConfig * config)
{
  JsonNode *expected;
  JsonObject *choice;
  guint n = 0;

  if (is_set (config->tools)) {
    expected = json_from_string (config->tools, NULL);
    fail_unless (json_node_equal (expected,
            json_object_get_member (session, "tools")), "tools differ");
    json_node_unref (expected);
    n++;
  } else {
    fail_if (json_object_has_member (session, "tools"));
  }

  if (!is_set (config->tool_choice) || is_beta (config)
      || g_strv_contains (tool_choice_keywords, config->tool_choice))
    return n + check_optional_string (session, "tool_choice",
        config->tool_choice);
  choice = get_object (session, "tool_choice");
  assert_string_member (choice, "type", "function");
  assert_string_member (choice, "name", config->tool_choice);
  assert_equals_int (json_object_get_size (choice), 2);
  return n + 1;
}

static void
check_ga_session (JsonObject * session, const GstRealtimeSessionConfig * config)
{
  static const gchar *const audio_out[] = { "audio", NULL };
  static const gchar *const text_out[] = { "text", NULL };
  JsonObject *audio = get_object (session, "audio");
  JsonObject *input = get_object (audio, "input");
  JsonObject *output;
  guint n;

  check_format (input, config->input_format);
  check_turn_detection (input, config);
  check_noise_reduction (input, "noise_reduction", config->noise_reduction);
  n = 2 + (config->noise_reduction != GST_REALTIME_NOISE_REDUCTION_OFF)
      + check_transcription (input, "transcription", config);
  assert_equals_int (json_object_get_size (input), n);

  if (!is_realtime (config)) {
    assert_string_member (session, "type", "transcription");
    assert_equals_int (json_object_get_size (audio), 1);
    assert_equals_int (json_object_get_size (session), 2);
    return;
  }

  assert_string_member (session, "type", "realtime");
  assert_strings_member (session, "output_modalities",
      config->output_modality == GST_REALTIME_OUTPUT_MODALITY_TEXT ?
      text_out : audio_out);
  output = get_object (audio, "output");
  check_format (output, config->output_format);
  assert_equals_int (json_object_get_size (output),
      1 + check_optional_string (output, "voice", config->voice));
  assert_equals_int (json_object_get_size (audio), 2);
  n = 3 + check_optional_string (session, "instructions", config->instructions);
  n += check_tools (session, config);
  assert_equals_int (json_object_get_size (session), n);
}

/* The flat beta shape; a transcription session is a text-only session. */
static void
check_beta_session (JsonObject * session,
    const GstRealtimeSessionConfig * config)
{
  static const gchar *const text_audio[] = { "text", "audio", NULL };
  static const gchar *const text[] = { "text", NULL };
  gboolean audio_out = is_realtime (config)
      && config->output_modality == GST_REALTIME_OUTPUT_MODALITY_AUDIO;
  guint n;

  fail_if (json_object_has_member (session, "type"));
  assert_strings_member (session, "modalities", audio_out ? text_audio : text);
  check_beta_format (session, "input_audio_format", config->input_format);
  check_turn_detection (session, config);
  check_noise_reduction (session, "input_audio_noise_reduction",
      config->noise_reduction);
  n = 3 + (config->noise_reduction != GST_REALTIME_NOISE_REDUCTION_OFF)
      + check_transcription (session, "input_audio_transcription", config);
  if (is_realtime (config)) {
    check_beta_format (session, "output_audio_format", config->output_format);
    n += 1 + check_optional_string (session, "instructions",
        config->instructions);
    n += check_optional_string (session, "voice", config->voice);
    n += check_tools (session, config);
  }
  assert_equals_int (json_object_get_size (session), n);
}

/* Checks every member of a built session.update against @config. */
static void
check_session_update (const gchar * json,
    const GstRealtimeSessionConfig * config, const gchar * event_id)
{
  JsonObject *event = load_event (json, "session.update", event_id);

  assert_equals_int (json_object_get_size (event), 3);
  if (is_beta (config))
    check_beta_session (get_object (event, "session"), config);
  else
    check_ga_session (get_object (event, "session"), config);
  json_object_unref (event);
}

GST_START_TEST (test_session_config_defaults)
{
  GstRealtimeSessionConfig config;

  memset (&config, 0xa5, sizeof (config));
  gst_realtime_session_config_init (&config);
  assert_equals_int (config.dialect, GST_REALTIME_PROTOCOL_GA);
  assert_equals_int (config.session_type, GST_REALTIME_SESSION_TYPE_REALTIME);
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
  assert_equals_int (config.turn_detection.idle_timeout_ms, 0);
  assert_equals_int (config.turn_detection.eagerness,
      GST_REALTIME_EAGERNESS_AUTO);
  fail_unless (config.turn_detection.create_response);
  fail_unless (config.turn_detection.interrupt_response);
  fail_unless (config.transcription_model == NULL);
  fail_unless (config.transcription_language == NULL);
  fail_unless (config.transcription_prompt == NULL);
  assert_equals_int (config.noise_reduction, GST_REALTIME_NOISE_REDUCTION_OFF);
  fail_unless (config.tools == NULL);
  fail_unless (config.tool_choice == NULL);
}

GST_END_TEST;

GST_START_TEST (test_session_update_default)
{
  GstRealtimeSessionConfig config;
  JsonObject *event, *input, *td;
  gchar *json;

  gst_realtime_session_config_init (&config);
  json = gst_realtime_protocol_build_session_update (&config, "evt_1");
  check_session_update (json, &config, "evt_1");

  /* the defaults themselves, not only what the config says */
  event = load_object (json);
  input = get_object (get_object (get_object (event, "session"), "audio"),
      "input");
  td = get_object (input, "turn_detection");
  assert_string_member (td, "type", "server_vad");
  assert_double_member (td, "threshold", 0.5);
  assert_int_member (td, "prefix_padding_ms", 300);
  assert_int_member (td, "silence_duration_ms", 500);
  assert_boolean_member (td, "create_response", TRUE);
  assert_boolean_member (td, "interrupt_response", TRUE);
  fail_if (json_object_has_member (td, "idle_timeout_ms"));
  fail_if (json_object_has_member (input, "noise_reduction"));
  fail_if (json_object_has_member (input, "transcription"));
  json_object_unref (event);
  g_free (json);
}

GST_END_TEST;

static const GstRealtimeAudioFormat variant_formats[][2] = {
  {GST_REALTIME_AUDIO_FORMAT_PCM16, GST_REALTIME_AUDIO_FORMAT_PCM16},
  {GST_REALTIME_AUDIO_FORMAT_PCMU, GST_REALTIME_AUDIO_FORMAT_PCMU},
  {GST_REALTIME_AUDIO_FORMAT_PCMA, GST_REALTIME_AUDIO_FORMAT_PCMA},
  {GST_REALTIME_AUDIO_FORMAT_PCMU, GST_REALTIME_AUDIO_FORMAT_PCM16},
  {GST_REALTIME_AUDIO_FORMAT_PCM16, GST_REALTIME_AUDIO_FORMAT_PCMA},
};

#define N_VARIANT_FORMATS G_N_ELEMENTS (variant_formats)
#define N_VARIANT_STRINGS 4
/* dialect, session type, output modality, turn detection, formats and
 * strings */
#define N_SESSION_VARIANTS \
  (2 * 2 * 2 * 3 * N_VARIANT_FORMATS * N_VARIANT_STRINGS)

/* NULL, set (with text that needs escaping), empty, or partly set */
static void
set_variant_strings (GstRealtimeSessionConfig * config, guint strings)
{
  if (strings == 1) {
    config->instructions = "Say \"hi\".\nNew line, \xc3\xa9t\xc3\xa9.";
    config->voice = "marin";
    config->transcription_model = "gpt-4o-mini-transcribe";
    config->transcription_language = "fr";
    config->transcription_prompt = "Words about \"weather\".";
    config->tools = tools_json;
    config->tool_choice = "get_weather";
  } else if (strings == 2) {
    config->instructions = config->voice = "";
    config->transcription_model = config->transcription_language = "";
    config->transcription_prompt = config->tools = config->tool_choice = "";
  } else if (strings == 3) {
    config->transcription_model = "whisper-1";
    config->tools = "[]";
    config->tool_choice = "required";
  }
}

/* Session variant @i of N_SESSION_VARIANTS. */
static void
make_session_variant (GstRealtimeSessionConfig * config, guint i)
{
  guint v = i, f;

  gst_realtime_session_config_init (config);
  config->dialect = v % 2 ? GST_REALTIME_PROTOCOL_BETA :
      GST_REALTIME_PROTOCOL_GA;
  v /= 2;
  config->session_type = v % 2;
  v /= 2;
  config->output_modality = v % 2;
  v /= 2;
  config->turn_detection.type = v % 3;
  v /= 3;
  f = v % N_VARIANT_FORMATS;
  v /= N_VARIANT_FORMATS;
  set_variant_strings (config, v);

  config->input_format = variant_formats[f][0];
  config->output_format = variant_formats[f][1];
  config->turn_detection.threshold = 0.7;
  config->turn_detection.prefix_padding_ms = 250 + f;
  config->turn_detection.silence_duration_ms = 800 + i % 7;
  config->turn_detection.idle_timeout_ms = (i / 7) % 2 ? 6000 + f : 0;
  config->turn_detection.eagerness = (i / 5) % 4;
  config->turn_detection.create_response = (f % 2 == 0);
  config->turn_detection.interrupt_response = (i % 5 != 1);
  config->noise_reduction = i % 3;
}

GST_START_TEST (test_session_update_variants)
{
  GstRealtimeSessionConfig config;
  gchar *json;
  guint i;

  for (i = 0; i < N_SESSION_VARIANTS; i++) {
    make_session_variant (&config, i);
    json = gst_realtime_protocol_build_session_update (&config, "e-2");
    check_session_update (json, &config, "e-2");
    g_free (json);
  }
}

GST_END_TEST;

/* Whole events, to the letter: a GA conversation with everything set. */
GST_START_TEST (test_session_update_ga_full)
{
  GstRealtimeSessionConfig config;
  gchar *json;

  gst_realtime_session_config_init (&config);
  config.instructions = "Be brief.";
  config.voice = "cedar";
  config.output_format = GST_REALTIME_AUDIO_FORMAT_PCMU;
  config.turn_detection.threshold = 0.6;
  config.turn_detection.idle_timeout_ms = 8000;
  config.turn_detection.interrupt_response = FALSE;
  config.transcription_model = "gpt-4o-transcribe";
  config.transcription_language = "en";
  config.transcription_prompt = "Names: Ada.";
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD;
  config.tools = tools_json;
  config.tool_choice = "hang_up";
  json = gst_realtime_protocol_build_session_update (&config, "evt_full");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_full\",\"session\":{\"type\":\"realtime\",\"output_modalities\":"
      "[\"audio\"],\"instructions\":\"Be brief.\",\"audio\":{\"input\":"
      "{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
      "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.6,"
      "\"prefix_padding_ms\":300,\"silence_duration_ms\":500,"
      "\"idle_timeout_ms\":8000,\"create_response\":true,"
      "\"interrupt_response\":false},\"transcription\":{\"model\":"
      "\"gpt-4o-transcribe\",\"language\":\"en\",\"prompt\":\"Names: Ada.\"},"
      "\"noise_reduction\":{\"type\":\"near_field\"}},\"output\":{\"format\":"
      "{\"type\":\"audio/pcmu\"},\"voice\":\"cedar\"}},\"tools\":"
      "[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":"
      "\"The weather in a city.\",\"parameters\":{\"type\":\"object\","
      "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":"
      "[\"city\"]}},{\"type\":\"function\",\"name\":\"hang_up\"}],"
      "\"tool_choice\":{\"type\":\"function\",\"name\":\"hang_up\"}}}");
  g_free (json);
}

GST_END_TEST;

/* The beta's flat shape, with the same settings. */
GST_START_TEST (test_session_update_beta_full)
{
  GstRealtimeSessionConfig config;
  gchar *json;

  gst_realtime_session_config_init (&config);
  config.dialect = GST_REALTIME_PROTOCOL_BETA;
  config.instructions = "Be brief.";
  config.voice = "alloy";
  config.input_format = GST_REALTIME_AUDIO_FORMAT_PCMA;
  config.turn_detection.threshold = 0.6;
  config.turn_detection.idle_timeout_ms = 8000; /* GA only */
  config.transcription_model = "whisper-1";
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_FAR_FIELD;
  config.tools = tools_json;
  config.tool_choice = "hang_up";
  json = gst_realtime_protocol_build_session_update (&config, "evt_beta");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_beta\",\"session\":{\"modalities\":[\"text\",\"audio\"],"
      "\"instructions\":\"Be brief.\",\"voice\":\"alloy\","
      "\"input_audio_format\":\"g711_alaw\",\"output_audio_format\":"
      "\"pcm16\",\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":"
      "0.6,\"prefix_padding_ms\":300,\"silence_duration_ms\":500,"
      "\"create_response\":true,\"interrupt_response\":true},"
      "\"input_audio_transcription\":{\"model\":\"whisper-1\"},"
      "\"input_audio_noise_reduction\":{\"type\":\"far_field\"},\"tools\":"
      "[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":"
      "\"The weather in a city.\",\"parameters\":{\"type\":\"object\","
      "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":"
      "[\"city\"]}},{\"type\":\"function\",\"name\":\"hang_up\"}],"
      "\"tool_choice\":\"hang_up\"}}");
  g_free (json);

  config.output_modality = GST_REALTIME_OUTPUT_MODALITY_TEXT;
  config.turn_detection.type = GST_REALTIME_TURN_DETECTION_NONE;
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_OFF;
  config.tools = config.tool_choice = config.instructions = NULL;
  config.voice = config.transcription_model = NULL;
  json = gst_realtime_protocol_build_session_update (&config, "evt_beta2");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_beta2\",\"session\":{\"modalities\":[\"text\"],"
      "\"input_audio_format\":\"g711_alaw\",\"output_audio_format\":"
      "\"pcm16\",\"turn_detection\":null}}");
  g_free (json);
}

GST_END_TEST;

/* Transcription only: GA has its own session type; the beta gets a
 * text-only session that never creates a response. */
GST_START_TEST (test_session_update_transcription)
{
  GstRealtimeSessionConfig config;
  gchar *json;

  gst_realtime_session_config_init (&config);
  config.session_type = GST_REALTIME_SESSION_TYPE_TRANSCRIPTION;
  config.instructions = "ignored";
  config.voice = "ignored";
  config.tools = tools_json;
  config.tool_choice = "auto";
  config.transcription_model = "gpt-4o-transcribe";
  config.transcription_language = "de";
  config.input_format = GST_REALTIME_AUDIO_FORMAT_PCMU;
  config.turn_detection.type = GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD;
  config.turn_detection.eagerness = GST_REALTIME_EAGERNESS_LOW;
  json = gst_realtime_protocol_build_session_update (&config, "evt_tr");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_tr\",\"session\":{\"type\":\"transcription\",\"audio\":"
      "{\"input\":{\"format\":{\"type\":\"audio/pcmu\"},\"transcription\":"
      "{\"model\":\"gpt-4o-transcribe\",\"language\":\"de\"},"
      "\"turn_detection\":{\"type\":\"semantic_vad\",\"eagerness\":\"low\","
      "\"create_response\":false,\"interrupt_response\":false}}}}}");
  g_free (json);

  config.dialect = GST_REALTIME_PROTOCOL_BETA;
  config.turn_detection.type = GST_REALTIME_TURN_DETECTION_SERVER_VAD;
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD;
  json = gst_realtime_protocol_build_session_update (&config, "evt_tr2");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_tr2\",\"session\":{\"modalities\":[\"text\"],"
      "\"input_audio_format\":\"g711_ulaw\",\"turn_detection\":{\"type\":"
      "\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300,"
      "\"silence_duration_ms\":500,\"create_response\":false,"
      "\"interrupt_response\":false},\"input_audio_transcription\":"
      "{\"model\":\"gpt-4o-transcribe\",\"language\":\"de\"},"
      "\"input_audio_noise_reduction\":{\"type\":\"near_field\"}}}");
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_session_update_semantic_vad)
{
  static const gchar *const names[] = { "auto", "low", "medium", "high" };
  GstRealtimeSessionConfig config;
  JsonObject *event, *session, *td;
  gchar *json;
  guint e, d;

  for (d = 0; d < 2; d++) {
    for (e = 0; e <= GST_REALTIME_EAGERNESS_HIGH; e++) {
      gst_realtime_session_config_init (&config);
      config.dialect = d ? GST_REALTIME_PROTOCOL_BETA :
          GST_REALTIME_PROTOCOL_GA;
      config.turn_detection.type = GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD;
      config.turn_detection.eagerness = e;
      config.turn_detection.create_response = FALSE;
      json = gst_realtime_protocol_build_session_update (&config, "e");
      event = load_object (json);
      session = get_object (event, "session");
      if (!d)
        session = get_object (get_object (session, "audio"), "input");
      td = get_object (session, "turn_detection");
      assert_string_member (td, "eagerness", names[e]);
      assert_boolean_member (td, "create_response", FALSE);
      assert_boolean_member (td, "interrupt_response", TRUE);
      fail_if (json_object_has_member (td, "threshold"));
      json_object_unref (event);
      g_free (json);
    }
  }
}

GST_END_TEST;

GST_START_TEST (test_session_update_tool_choice)
{
  static const gchar *const choices[] = { "auto", "none", "required",
    "get_weather", "bad \xff name"
  };
  GstRealtimeSessionConfig config;
  JsonObject *event, *session, *choice;
  gchar *json;
  guint i;

  gst_realtime_session_config_init (&config);
  config.tools = tools_json;
  for (i = 0; i < G_N_ELEMENTS (choices); i++) {
    config.tool_choice = choices[i];
    config.dialect = GST_REALTIME_PROTOCOL_GA;
    json = gst_realtime_protocol_build_session_update (&config, "e");
    fail_unless (g_utf8_validate (json, -1, NULL));
    event = load_object (json);
    session = get_object (event, "session");
    if (i < 3) {
      assert_string_member (session, "tool_choice", choices[i]);
    } else {
      choice = get_object (session, "tool_choice");
      assert_string_member (choice, "type", "function");
      fail_unless (g_str_has_prefix (json_object_get_string_member (choice,
                  "name"), i == 3 ? "get_weather" : "bad \xef\xbf\xbd"));
    }
    json_object_unref (event);
    g_free (json);

    /* the beta's tool_choice is a plain string */
    config.dialect = GST_REALTIME_PROTOCOL_BETA;
    json = gst_realtime_protocol_build_session_update (&config, "e");
    event = load_object (json);
    session = get_object (event, "session");
    if (i < 4)
      assert_string_member (session, "tool_choice", choices[i]);
    json_object_unref (event);
    g_free (json);
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
  check_simple_event (gst_realtime_protocol_build_response_create ("c3",
          GST_REALTIME_PROTOCOL_GA, NULL), "response.create", "c3");
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
  gst_realtime_session_config_init (&config);
  config.dialect = GST_REALTIME_PROTOCOL_AUTO;
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_session_update
          (&config, "e") == NULL));
  gst_realtime_session_config_init (&config);
  config.turn_detection.eagerness = 9;
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_session_update
          (&config, "e") == NULL));
  gst_realtime_session_config_init (&config);
  config.tools = "[{\"type\":\"function\"}]";
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_session_update
          (&config, "e") == NULL));

  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_response_create
          ("e", GST_REALTIME_PROTOCOL_AUTO, NULL) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_build_response_create
          ("e", GST_REALTIME_PROTOCOL_GA, "[1]") == NULL));
  ASSERT_CRITICAL (fail_unless
      (gst_realtime_protocol_build_function_call_output ("e", NULL,
              "x") == NULL));
  ASSERT_CRITICAL (fail_unless
      (gst_realtime_protocol_build_function_call_output ("e", "c",
              NULL) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_prepare_client_event
          (NULL, "e", NULL, NULL) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_prepare_client_event
          ("{}", NULL, NULL, NULL) == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_overrides_add_metadata
          (NULL, NULL, "v") == NULL));
  ASSERT_CRITICAL (fail_unless (gst_realtime_protocol_overrides_add_metadata
          ("[]", "k", "v") == NULL));
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* response.create, function call outputs, raw client events              */
/* ---------------------------------------------------------------------- */

static const gchar overrides_json[] =
    "{\"conversation\":\"none\",\"instructions\":\"Summarize.\","
    "\"metadata\":{\"topic\":\"weather\",\"gst-realtime\":\"r7\"},"
    "\"output_modalities\":[\"audio\"],\"input\":[{\"type\":\"message\","
    "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
    "\"What now?\"}]}],\"max_output_tokens\":200,\"audio\":{\"output\":"
    "{\"format\":{\"type\":\"audio/pcmu\"},\"voice\":\"alloy\"}},"
    "\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}}";

/* overrides_json in the beta shape */
static const gchar overrides_beta_json[] =
    "{\"conversation\":\"none\",\"instructions\":\"Summarize.\","
    "\"metadata\":{\"topic\":\"weather\",\"gst-realtime\":\"r7\"},"
    "\"modalities\":[\"text\",\"audio\"],\"input\":[{\"type\":\"message\","
    "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
    "\"What now?\"}]}],\"max_response_output_tokens\":200,"
    "\"output_audio_format\":\"g711_ulaw\",\"voice\":\"alloy\","
    "\"tool_choice\":\"get_weather\"}";

/* Builds response.create and checks its "response" against @expected. */
static void
check_response_create (GstRealtimeProtocolVersion dialect,
    const gchar * overrides, const gchar * expected)
{
  gchar *json = gst_realtime_protocol_build_response_create ("evt_rc",
      dialect, overrides);
  gchar *want = g_strdup_printf ("{\"type\":\"response.create\","
      "\"event_id\":\"evt_rc\",\"response\":%s}", expected);

  assert_json_equal (json, want);
  g_free (want);
  g_free (json);
}

GST_START_TEST (test_response_create)
{
  guint d;

  for (d = GST_REALTIME_PROTOCOL_GA; d <= GST_REALTIME_PROTOCOL_BETA; d++) {
    check_simple_event (gst_realtime_protocol_build_response_create ("c1", d,
            NULL), "response.create", "c1");
    check_simple_event (gst_realtime_protocol_build_response_create ("c2", d,
            ""), "response.create", "c2");
    check_response_create (d, "{}", "{}");
    check_response_create (d, "{\"conversation\":\"none\",\"metadata\":"
        "{\"k\":\"v\"},\"tools\":[]}", "{\"conversation\":\"none\","
        "\"metadata\":{\"k\":\"v\"},\"tools\":[]}");
  }

  /* GA: the overrides as they are */
  check_response_create (GST_REALTIME_PROTOCOL_GA, overrides_json,
      overrides_json);
  check_response_create (GST_REALTIME_PROTOCOL_GA,
      "{\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\"}",
      "{\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\"}");

  /* beta: renamed and reshaped */
  check_response_create (GST_REALTIME_PROTOCOL_BETA, overrides_json,
      overrides_beta_json);
  check_response_create (GST_REALTIME_PROTOCOL_BETA,
      "{\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\","
      "\"tool_choice\":\"required\"}", "{\"modalities\":[\"text\"],"
      "\"max_response_output_tokens\":\"inf\",\"tool_choice\":\"required\"}");
  /* what the beta cannot say is left out: a voice {id}, an MCP choice */
  check_response_create (GST_REALTIME_PROTOCOL_BETA,
      "{\"audio\":{\"output\":{\"voice\":{\"id\":\"v1\"},\"format\":"
      "{\"type\":\"audio/pcm\",\"rate\":24000}}},\"tool_choice\":"
      "{\"type\":\"mcp\",\"server_label\":\"wiki\"}}",
      "{\"output_audio_format\":\"pcm16\"}");
}

GST_END_TEST;

GST_START_TEST (test_function_call_output)
{
  gchar *json;

  json = gst_realtime_protocol_build_function_call_output ("evt_fc",
      "call_8", "{\"temperature\":21}");
  assert_json_equal (json, "{\"type\":\"conversation.item.create\","
      "\"event_id\":\"evt_fc\",\"item\":{\"type\":\"function_call_output\","
      "\"call_id\":\"call_8\",\"output\":\"{\\\"temperature\\\":21}\"}}");
  g_free (json);

  /* any text, repaired if need be */
  json = gst_realtime_protocol_build_function_call_output ("e", "c",
      "line\nbad \xff");
  assert_json_equal (json, "{\"type\":\"conversation.item.create\","
      "\"event_id\":\"e\",\"item\":{\"type\":\"function_call_output\","
      "\"call_id\":\"c\",\"output\":\"line\\nbad \\ufffd\"}}");
  g_free (json);
}

GST_END_TEST;

/* prepare_client_event on @json must fail with exactly @message. */
static void
prepare_fails (const gchar * json, const gchar * message)
{
  GError *err = NULL;
  gchar *used = (gchar *) "untouched";

  fail_unless (gst_realtime_protocol_prepare_client_event (json, "e", &used,
          &err) == NULL, "accepted %s", json);
  fail_unless (used == NULL);
  fail_unless (g_error_matches (err, GST_REALTIME_PROTOCOL_ERROR,
          GST_REALTIME_PROTOCOL_ERROR_INVALID), "%s", json);
  fail_unless (g_str_has_prefix (err->message, message),
      "error '%s' for %s, wanted '%s'", err->message, json, message);
  g_error_free (err);
}

GST_START_TEST (test_prepare_client_event)
{
  gchar *json, *used = NULL;
  GError *err = NULL;

  /* our event_id is added */
  json = gst_realtime_protocol_prepare_client_event ("{\"type\":"
      "\"conversation.item.create\",\"item\":{\"type\":\"message\","
      "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
      "\"Hello\"}]}}", "evt_app_1", &used, &err);
  fail_unless (err == NULL);
  assert_json_equal (json, "{\"type\":\"conversation.item.create\","
      "\"event_id\":\"evt_app_1\",\"item\":{\"type\":\"message\","
      "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
      "\"Hello\"}]}}");
  assert_equals_string (used, "evt_app_1");
  g_free (used);
  g_free (json);

  /* its own is kept */
  json = gst_realtime_protocol_prepare_client_event ("{\"type\":"
      "\"response.cancel\",\"event_id\":\"mine\"}", "evt_app_2", &used, NULL);
  assert_json_equal (json, "{\"type\":\"response.cancel\","
      "\"event_id\":\"mine\"}");
  assert_equals_string (used, "mine");
  g_free (used);
  g_free (json);

  /* a null one is replaced; used_event_id is optional */
  json = gst_realtime_protocol_prepare_client_event ("{\"event_id\":null,"
      "\"type\":\"input_audio_buffer.commit\"}", "evt_app_3", NULL, NULL);
  assert_json_equal (json, "{\"type\":\"input_audio_buffer.commit\","
      "\"event_id\":\"evt_app_3\"}");
  g_free (json);

  prepare_fails ("[{\"type\":\"x\"}]", "client event: not a JSON object");
  prepare_fails ("\"response.create\"", "client event: not a JSON object");
  prepare_fails ("{\"event_id\":\"e\"}",
      "client event: missing the \"type\" string");
  prepare_fails ("{\"type\":5}", "client event: missing the \"type\" string");
  prepare_fails ("{\"type\":\"\"}",
      "client event: missing the \"type\" string");
  prepare_fails ("{\"type\":\"response.cancel\",\"event_id\":7}",
      "client event: \"event_id\" must be a string");
  prepare_fails ("{\"type\":", "client event: not");
  prepare_fails ("{'type':'x'}", "client event: not");
  prepare_fails ("", "client event: not");
  /* found by tests/fuzz: json-glib writes 1e400 back as "inf.0", and reads
   * a lone surrogate into invalid UTF-8 */
  prepare_fails ("{\"type\":\"x\",\"a\":[1e400]}",
      "client event: a number is too large");
  prepare_fails ("{\"type\":\"x\\ud800y\"}", "client event: not plain JSON");
  prepare_fails ("\"x\"{\"type\":\"x\"}", "client event: not plain JSON");
  /* and writes 1e21 back as 1e+21.0 */
  json = gst_realtime_protocol_prepare_client_event ("{\"type\":\"x\","
      "\"event_id\":\"e\",\"a\":[1e21,-1E22,1e+21],\"s\":\"1e+21.0\"}",
      "evt", NULL, NULL);
  assert_equals_string (json, "{\"type\":\"x\",\"event_id\":\"e\",\"a\":"
      "[1e+21,-1e+22,1e+21],\"s\":\"1e+21.0\"}");
  g_free (json);
  /* no error asked for */
  fail_unless (gst_realtime_protocol_prepare_client_event ("[]", "e", NULL,
          NULL) == NULL);
}

GST_END_TEST;

typedef struct
{
  const gchar *json;
  const gchar *message;         /* the error's message, or its start */
} BadJson;

static void
check_bad_json (gboolean (*validate) (const gchar *, GError **),
    const BadJson * cases, guint n)
{
  GError *err;
  guint i;

  for (i = 0; i < n; i++) {
    err = NULL;
    fail_if (validate (cases[i].json, &err), "accepted %s", cases[i].json);
    fail_unless (g_error_matches (err, GST_REALTIME_PROTOCOL_ERROR,
            GST_REALTIME_PROTOCOL_ERROR_INVALID), "%s", cases[i].json);
    fail_unless (g_str_has_prefix (err->message, cases[i].message),
        "error '%s' for %s, wanted '%s'", err->message, cases[i].json,
        cases[i].message);
    g_error_free (err);
    fail_if (validate (cases[i].json, NULL));
  }
}

static void
check_good_json (gboolean (*validate) (const gchar *, GError **),
    const gchar * const *cases, guint n)
{
  GError *err;
  guint i;

  for (i = 0; i < n; i++) {
    err = NULL;
    fail_unless (validate (cases[i], &err), "rejected %s: %s", cases[i],
        err ? err->message : "?");
  }
}

GST_START_TEST (test_validate_tools)
{
  static const gchar *const good[] = { tools_json, "[]",
    "[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{}}]",
    "[{\"type\":\"mcp\",\"server_label\":\"deepwiki\",\"server_url\":"
        "\"https://mcp.deepwiki.com/mcp\",\"require_approval\":\"never\"}]",
  };
  static const BadJson bad[] = {
    {"{\"type\":\"function\",\"name\":\"f\"}", "tools must be a JSON array"},
    {"[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"function\"}]",
        "tools[1]: \"name\" must be a non-empty string"},
    {"[{\"type\":\"function\",\"name\":\"\"}]",
        "tools[0]: \"name\" must be a non-empty string"},
    {"[{\"type\":\"function\",\"name\":7}]",
        "tools[0]: \"name\" must be a non-empty string"},
    {"[5]", "tools[0] must be an object"},
    {"[{\"name\":\"f\"}]", "tools[0]: \"type\" must be \"function\" or "
          "\"mcp\""},
    {"[{\"type\":\"retrieval\",\"name\":\"f\"}]",
        "tools[0]: \"type\" must be \"function\" or \"mcp\""},
    {"[{\"type\":\"function\",\"name\":\"f\",\"parameters\":\"{}\"}]",
        "tools[0]: \"parameters\" must be an object"},
    {"[{\"type\":\"function\",\"name\":\"f\",\"description\":5}]",
        "tools[0]: \"description\" must be a string"},
    {"[{\"type\":\"function\",\"name\":\"f\",\"strict\":true}]",
        "tools[0]: unknown member \"strict\""},
    {"[{\"type\":\"mcp\"}]",
        "tools[0]: an mcp tool needs a \"server_label\" string"},
    {"[{\"type\":\"function\",\"name\":\"f\"}] x", "tools: not plain JSON"},
    {"[{\"type\":\"function\",", "tools: not plain JSON"},
    {"[{\"type\":\"function\",}]", "tools: not valid JSON"},
    {"", "tools: not valid JSON"},
    {"[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":"
          "\"number\",\"maximum\":1e999}}]", "tools: a number is too large"},
  };

  check_good_json (gst_realtime_protocol_validate_tools, good,
      G_N_ELEMENTS (good));
  check_bad_json (gst_realtime_protocol_validate_tools, bad,
      G_N_ELEMENTS (bad));
}

GST_END_TEST;

/* {"metadata":{...}} with @n keys */
static gchar *
metadata_overrides (guint n)
{
  GString *s = g_string_new ("{\"metadata\":{");
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (s, "%s\"key%u\":\"value\"", i ? "," : "", i);
  g_string_append (s, "}}");
  return g_string_free (s, FALSE);
}

GST_START_TEST (test_validate_response_overrides)
{
  static const gchar *const good[] = { "{}", overrides_json,
    "{\"conversation\":\"auto\",\"metadata\":null}",
    "{\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\"}",
    "{\"max_output_tokens\":1,\"tool_choice\":\"none\",\"tools\":[]}",
    "{\"max_output_tokens\":4096.0,\"tool_choice\":{\"type\":\"mcp\","
        "\"server_label\":\"wiki\"},\"input\":[]}",
  };
  static const BadJson bad[] = {
    {"[]", "response overrides: not a JSON object"},
    {"{\"temperature\":0.8}",
        "response overrides: unknown member \"temperature\""},
    {"{\"conversation\":\"default\"}",
        "response overrides: \"conversation\" must be \"auto\" or \"none\""},
    {"{\"conversation\":null}",
        "response overrides: \"conversation\" must be \"auto\" or \"none\""},
    {"{\"instructions\":5}",
        "response overrides: \"instructions\" must be a string"},
    {"{\"metadata\":\"x\"}",
        "response overrides: \"metadata\" must be an object of strings"},
    {"{\"metadata\":{\"n\":5}}",
        "response overrides: metadata \"n\" must be a string"},
    {"{\"metadata\":{\"a\":\"b\",\"n\":null}}",
        "response overrides: metadata \"n\" must be a string"},
    {"{\"output_modalities\":[\"audio\",\"text\"]}",
        "response overrides: \"output_modalities\" must be [\"audio\"] or "
          "[\"text\"]"},
    {"{\"output_modalities\":\"audio\"}",
        "response overrides: \"output_modalities\""},
    {"{\"output_modalities\":[\"video\"]}",
        "response overrides: \"output_modalities\""},
    {"{\"input\":{}}", "response overrides: \"input\" must be an array"},
    {"{\"tools\":[{\"type\":\"function\"}]}",
        "response overrides: tools[0]: \"name\" must be a non-empty string"},
    {"{\"tools\":{}}", "response overrides: tools must be a JSON array"},
    {"{\"tool_choice\":\"any\"}", "response overrides: \"tool_choice\""},
    {"{\"tool_choice\":{\"type\":\"function\"}}",
        "response overrides: \"tool_choice\""},
    {"{\"max_output_tokens\":0}", "response overrides: \"max_output_tokens\" "
          "must be an integer from 1 to 4096, or \"inf\""},
    {"{\"max_output_tokens\":4097}",
        "response overrides: \"max_output_tokens\""},
    {"{\"max_output_tokens\":1.5}",
        "response overrides: \"max_output_tokens\""},
    {"{\"max_output_tokens\":\"all\"}",
        "response overrides: \"max_output_tokens\""},
    {"{\"audio\":\"alloy\"}", "response overrides: \"audio\" must be an "
          "object"},
    {"{\"conversation\":\"none\"", "response overrides: not plain JSON"},
    {"{\"input\":[{\"n\":-1e400}]}",
        "response overrides: a number is too large"},
  };
  gchar *json, *key, *value;
  GError *err = NULL;

  check_good_json (gst_realtime_protocol_validate_response_overrides, good,
      G_N_ELEMENTS (good));
  check_bad_json (gst_realtime_protocol_validate_response_overrides, bad,
      G_N_ELEMENTS (bad));

  /* at most 16 metadata keys */
  json = metadata_overrides (16);
  fail_unless (gst_realtime_protocol_validate_response_overrides (json, NULL));
  g_free (json);
  json = metadata_overrides (17);
  fail_if (gst_realtime_protocol_validate_response_overrides (json, &err));
  assert_equals_string (err->message, "response overrides: \"metadata\" has "
      "17 keys, at most 16 are allowed");
  g_clear_error (&err);
  g_free (json);

  /* keys of 64 characters, values of 512 */
  key = g_strnfill (65, 'k');
  value = g_strnfill (512, 'v');
  json = g_strdup_printf ("{\"metadata\":{\"%s\":\"%s\"}}", key + 1, value);
  fail_unless (gst_realtime_protocol_validate_response_overrides (json, NULL));
  g_free (json);
  json = g_strdup_printf ("{\"metadata\":{\"%s\":\"v\"}}", key);
  fail_if (gst_realtime_protocol_validate_response_overrides (json, &err));
  fail_unless (strstr (err->message, "longer than 64") != NULL);
  g_clear_error (&err);
  g_free (json);
  json = g_strdup_printf ("{\"metadata\":{\"k\":\"%sv\"}}", value);
  fail_if (gst_realtime_protocol_validate_response_overrides (json, &err));
  fail_unless (strstr (err->message, "longer than 512") != NULL);
  g_clear_error (&err);
  g_free (json);
  g_free (key);
  g_free (value);
}

GST_END_TEST;

GST_START_TEST (test_overrides_out_of_band)
{
  fail_if (gst_realtime_protocol_overrides_out_of_band (NULL));
  fail_if (gst_realtime_protocol_overrides_out_of_band (""));
  fail_if (gst_realtime_protocol_overrides_out_of_band ("{}"));
  fail_if (gst_realtime_protocol_overrides_out_of_band
      ("{\"conversation\":\"auto\"}"));
  fail_if (gst_realtime_protocol_overrides_out_of_band
      ("{\"metadata\":{\"conversation\":\"none\"}}"));
  fail_unless (gst_realtime_protocol_overrides_out_of_band
      ("{\"conversation\":\"none\"}"));
  fail_unless (gst_realtime_protocol_overrides_out_of_band (overrides_json));
}

GST_END_TEST;

static void
check_add_metadata (const gchar * overrides, const gchar * expected)
{
  gchar *json = gst_realtime_protocol_overrides_add_metadata (overrides,
      "gst-realtime", "r1");

  assert_json_equal (json, expected);
  fail_unless (gst_realtime_protocol_validate_response_overrides (json,
          NULL), "%s", json);
  g_free (json);
}

GST_START_TEST (test_overrides_add_metadata)
{
  check_add_metadata (NULL, "{\"metadata\":{\"gst-realtime\":\"r1\"}}");
  check_add_metadata ("", "{\"metadata\":{\"gst-realtime\":\"r1\"}}");
  check_add_metadata ("{}", "{\"metadata\":{\"gst-realtime\":\"r1\"}}");
  check_add_metadata ("{\"conversation\":\"none\",\"metadata\":{\"topic\":"
      "\"weather\"}}", "{\"conversation\":\"none\",\"metadata\":{\"topic\":"
      "\"weather\",\"gst-realtime\":\"r1\"}}");
  check_add_metadata ("{\"metadata\":null,\"instructions\":\"x\"}",
      "{\"metadata\":{\"gst-realtime\":\"r1\"},\"instructions\":\"x\"}");
  check_add_metadata ("{\"metadata\":{\"gst-realtime\":\"old\"}}",
      "{\"metadata\":{\"gst-realtime\":\"r1\"}}");
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Schema validation of built events                                      */
/* ---------------------------------------------------------------------- */

/* Built events, a JSON-lines text per dialect */
typedef struct
{
  GString *lines[2];            /* GA, beta */
  guint count[2];
} EventLines;

static void
add_line (EventLines * events, gboolean beta, gchar * json)
{
  fail_unless (json != NULL);
  fail_if (strchr (json, '\n') != NULL, "event spans lines: %s", json);
  g_string_append (events->lines[beta], json);
  g_string_append_c (events->lines[beta], '\n');
  g_free (json);
  events->count[beta]++;
}

/* An event the same in both dialects */
static void
add_common_line (EventLines * events, gchar * json)
{
  add_line (events, TRUE, g_strdup (json));
  add_line (events, FALSE, json);
}

static void
add_session_updates (EventLines * events)
{
  GstRealtimeSessionConfig config;
  guint i;

  for (i = 0; i < N_SESSION_VARIANTS; i++) {
    make_session_variant (&config, i);
    add_line (events, is_beta (&config),
        gst_realtime_protocol_build_session_update (&config, "evt_session"));
  }
}

static void
add_response_creates (EventLines * events)
{
  static const gchar *const overrides[] = { NULL, "{}", overrides_json,
    "{\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\","
        "\"tool_choice\":\"required\",\"tools\":" TOOLS_JSON "}",
    "{\"conversation\":\"auto\",\"metadata\":null,\"tool_choice\":"
        "{\"type\":\"function\",\"name\":\"hang_up\"}}",
  };
  gchar *with_metadata;
  guint i, beta;

  with_metadata = gst_realtime_protocol_overrides_add_metadata
      (overrides_json, "gst-realtime", "r2");
  for (beta = 0; beta < 2; beta++) {
    for (i = 0; i < G_N_ELEMENTS (overrides); i++)
      add_line (events, beta, gst_realtime_protocol_build_response_create
          ("evt_rc", beta ? GST_REALTIME_PROTOCOL_BETA :
              GST_REALTIME_PROTOCOL_GA, overrides[i]));
    add_line (events, beta, gst_realtime_protocol_build_response_create
        ("evt_rc", beta ? GST_REALTIME_PROTOCOL_BETA :
            GST_REALTIME_PROTOCOL_GA, with_metadata));
  }
  g_free (with_metadata);
}

static void
add_other_events (EventLines * events)
{
  static const gsize sizes[] = { 0, 1, 2, 3, 4800 };
  guint8 *audio;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    audio = make_audio (sizes[i], i);
    add_common_line (events, gst_realtime_protocol_build_append (audio,
            sizes[i], "evt_append"));
    g_free (audio);
  }
  add_common_line (events, gst_realtime_protocol_build_append ((const guint8
              *) "x", 1, "odd\"id\\"));
  add_common_line (events, gst_realtime_protocol_build_commit ("evt_commit"));
  add_common_line (events, gst_realtime_protocol_build_clear ("evt_clear"));
  add_common_line (events,
      gst_realtime_protocol_build_response_cancel ("evt_cancel", NULL));
  add_common_line (events,
      gst_realtime_protocol_build_response_cancel ("evt_cancel", "resp_1"));
  add_common_line (events,
      gst_realtime_protocol_build_item_truncate ("evt_trunc", "item_1", 0, 0));
  add_common_line (events,
      gst_realtime_protocol_build_item_truncate ("evt_trunc", "item_2", 1,
          123456));
  add_common_line (events,
      gst_realtime_protocol_build_function_call_output ("evt_fc", "call_1",
          "{\"ok\":true}"));
  add_common_line (events,
      gst_realtime_protocol_prepare_client_event ("{\"type\":"
          "\"conversation.item.create\",\"item\":{\"type\":\"message\","
          "\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
          "\"text\":\"Hi\"}]}}", "evt_raw", NULL, NULL));
  add_common_line (events,
      gst_realtime_protocol_prepare_client_event ("{\"type\":"
          "\"conversation.item.delete\",\"item_id\":\"item_1\","
          "\"event_id\":\"own\"}", "evt_raw", NULL, NULL));
}

/* The schema a validator run checks against */
typedef enum
{
  SCHEMA_GA,
  SCHEMA_BETA,
  SCHEMA_TRANSLATION,
} Schema;

static const gchar *const schema_flags[] = {
  [SCHEMA_GA] = NULL,
  [SCHEMA_BETA] = "--beta",
  [SCHEMA_TRANSLATION] = "--translation",
};

/* Writes @lines to a JSON-lines file and runs data/validate-events on it
 * against @schema; returns TRUE when it exits with 0 (every event is
 * valid). The file is kept in $REALTIME_TEST_OUTPUT (the build directory)
 * for inspection. */
static gboolean
run_validator (const GString * lines, const gchar * name, Schema schema,
    gchar ** output)
{
  const gchar *data_dir = g_getenv ("REALTIME_TEST_DATA");
  const gchar *out_dir = g_getenv ("REALTIME_TEST_OUTPUT");
  gchar *script, *file, *file_name, *out = NULL, *err = NULL;
  GError *error = NULL;
  gint status = -1;
  gboolean valid;
  const gchar *argv[5];
  guint argc = 0;

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

  argv[argc++] = "/usr/bin/python3";
  argv[argc++] = script;
  if (schema_flags[schema])
    argv[argc++] = schema_flags[schema];
  argv[argc++] = file;
  argv[argc] = NULL;
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

/* Runs the validator on @lines, which must hold @expected_passed events
 * and @expected_failed invalid ones. */
static void
check_validator_output (const GString * lines, const gchar * name,
    Schema schema, guint expected_passed, guint expected_failed)
{
  gchar *output = NULL, *summary;
  gboolean valid;

  valid = run_validator (lines, name, schema, &output);
  if (valid != (expected_failed == 0))
    g_printerr ("validate-events %s:\n%s\n",
        schema_flags[schema] ? schema_flags[schema] : "", output);
  fail_unless (valid == (expected_failed == 0),
      "validator result is not as expected (output above)");
  summary = g_strdup_printf ("%u passed, %u failed", expected_passed,
      expected_failed);
  fail_unless (strstr (output, summary) != NULL,
      "unexpected validator output (wanted '%s'): %.500s", summary, output);
  g_free (summary);
  g_free (output);
}

GST_START_TEST (test_client_events_validate)
{
  EventLines events;

  events.lines[0] = g_string_new (NULL);
  events.lines[1] = g_string_new (NULL);
  events.count[0] = events.count[1] = 0;

  add_session_updates (&events);
  add_response_creates (&events);
  add_other_events (&events);
  fail_unless (events.count[0] > 200 && events.count[1] > 200);

  check_validator_output (events.lines[0], "client-events", SCHEMA_GA,
      events.count[0], 0);
  check_validator_output (events.lines[1], "client-events-beta", SCHEMA_BETA,
      events.count[1], 0);
  g_string_free (events.lines[0], TRUE);
  g_string_free (events.lines[1], TRUE);
}

GST_END_TEST;

/* The validator runs above must be able to fail: known-invalid events, and
 * the nulls it allows are allowed nowhere else. */
GST_START_TEST (test_validator_rejects_invalid)
{
  GString *lines = g_string_new (NULL);

  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"realtime\",\"temperature\":0.8}}\n");
  g_string_append (lines, "{\"type\":\"input_audio_buffer.append\","
      "\"audio\":5}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"realtime\",\"audio\":{\"input\":{\"noise_reduction\":"
      "\"near_field\"}}}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"realtime\",\"audio\":{\"input\":{\"transcription\":"
      "null}}}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"modalities\":[\"text\"]}}\n");
  check_validator_output (lines, "invalid-events", SCHEMA_GA, 0, 5);

  /* GA shapes are not beta ones */
  g_string_truncate (lines, 0);
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"realtime\"}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"turn_detection\":5}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"input_audio_transcription\":null}}\n");
  g_string_append (lines, "{\"type\":\"response.create\",\"response\":"
      "{\"output_modalities\":[\"text\"]}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"input_audio_noise_reduction\":null}}\n");
  /* the one null the beta schema lacks and the server takes */
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"turn_detection\":null}}\n");
  check_validator_output (lines, "invalid-events-beta", SCHEMA_BETA, 1, 5);

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

static gint64
session_expires_at (const gchar * type, const gchar * session)
{
  gchar *json = g_strdup_printf ("{\"type\":\"%s\",\"session\":%s}", type,
      session);
  GstRealtimeServerEvent *ev = parse_ok (json,
      g_str_has_suffix (type, "created") ? GST_REALTIME_EVENT_SESSION_CREATED :
      GST_REALTIME_EVENT_SESSION_UPDATED);
  gint64 expires_at = ev->expires_at;

  gst_realtime_server_event_free (ev);
  g_free (json);
  return expires_at;
}

/* expires_at, epoch seconds, is read from the session object of every
 * session event, GA and beta; -1 when absent or null. */
GST_START_TEST (test_parse_session_expires_at)
{
  GstRealtimeServerEvent *ev;

  /* beta session object */
  assert_equals_int64 (session_expires_at ("session.created",
          "{\"id\":\"sess_001\",\"object\":\"realtime.session\",\"model\":"
          "\"gpt-4o-realtime-preview\",\"modalities\":[\"text\",\"audio\"],"
          "\"expires_at\":1742188264,\"input_audio_format\":\"pcm16\"}"),
      1742188264);
  assert_equals_int64 (session_expires_at ("session.updated",
          "{\"type\":\"realtime\",\"expires_at\":1756324625}"), 1756324625);
  assert_equals_int64 (session_expires_at ("transcription_session.updated",
          "{\"expires_at\":0}"), 0);
  /* an integral double is an integer, as for the other integer fields */
  assert_equals_int64 (session_expires_at ("session.created",
          "{\"expires_at\":1756324625.0}"), 1756324625);
  assert_equals_int64 (session_expires_at ("session.created",
          "{\"expires_at\":null}"), -1);
  assert_equals_int64 (session_expires_at ("session.created", "{}"), -1);
  assert_equals_int64 (session_expires_at ("session.created", "null"), -1);
  /* the client secret's expires_at is not the session's */
  assert_equals_int64 (session_expires_at ("session.created",
          "{\"client_secret\":{\"value\":\"ek_1\",\"expires_at\":5}}"), -1);

  /* only the session object's counts */
  ev = parse_ok ("{\"type\":\"session.created\",\"expires_at\":5,"
      "\"session\":{\"id\":\"s\"}}", GST_REALTIME_EVENT_SESSION_CREATED);
  assert_equals_int64 (ev->expires_at, -1);
  gst_realtime_server_event_free (ev);
  ev = parse_ok ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\"},"
      "\"session\":{\"expires_at\":5}}", GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_int64 (ev->expires_at, -1);
  gst_realtime_server_event_free (ev);

  parse_fails ("{\"type\":\"session.created\",\"session\":{\"expires_at\":"
      "-1}}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "session.created",
      "'session.expires_at'");
  parse_fails ("{\"type\":\"session.updated\",\"session\":{\"expires_at\":"
      "1.5}}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "session.updated",
      "'session.expires_at'");
  parse_fails ("{\"type\":\"transcription_session.created\",\"session\":"
      "{\"expires_at\":[]}}", GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "transcription_session.created", "'session.expires_at'");
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
  assert_equals_int (ev->n_rate_limits, 1);
  assert_equals_string (ev->rate_limits[0].name, "tokens");
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

/* ---------------------------------------------------------------------- */
/* The fast path for audio deltas                                         */
/* ---------------------------------------------------------------------- */

static void
assert_strings_equal (const gchar * fast, const gchar * slow,
    const gchar * field, const gchar * json)
{
  fail_unless (g_strcmp0 (fast, slow) == 0, "%s: fast '%s', slow '%s' in %s",
      field, GST_STR_NULL (fast), GST_STR_NULL (slow), json);
}

#define ASSERT_FIELD_STRING(a, b, field, json) \
  assert_strings_equal ((a)->field, (b)->field, #field, json)
#define ASSERT_FIELD_INT(a, b, field, json) \
  fail_unless ((a)->field == (b)->field, "%s: fast %" G_GINT64_FORMAT \
      ", slow %" G_GINT64_FORMAT " in %s", #field, (gint64) (a)->field, \
      (gint64) (b)->field, json)

static void
assert_rate_limits_equal (const GstRealtimeServerEvent * a,
    const GstRealtimeServerEvent * b, const gchar * json)
{
  guint i;

  ASSERT_FIELD_INT (a, b, n_rate_limits, json);
  for (i = 0; i < a->n_rate_limits; i++) {
    ASSERT_FIELD_STRING (&a->rate_limits[i], &b->rate_limits[i], name, json);
    ASSERT_FIELD_INT (&a->rate_limits[i], &b->rate_limits[i], limit, json);
    ASSERT_FIELD_INT (&a->rate_limits[i], &b->rate_limits[i], remaining, json);
    fail_unless (a->rate_limits[i].reset_seconds ==
        b->rate_limits[i].reset_seconds);
  }
}

/* Every field of two events, @json naming them in failures. */
static void
assert_events_equal (const GstRealtimeServerEvent * a,
    const GstRealtimeServerEvent * b, const gchar * json)
{
  ASSERT_FIELD_INT (a, b, type, json);
  ASSERT_FIELD_STRING (a, b, type_name, json);
  ASSERT_FIELD_STRING (a, b, event_id, json);
  ASSERT_FIELD_STRING (a, b, session_id, json);
  ASSERT_FIELD_INT (a, b, expires_at, json);
  ASSERT_FIELD_STRING (a, b, item_id, json);
  ASSERT_FIELD_STRING (a, b, previous_item_id, json);
  ASSERT_FIELD_STRING (a, b, item_role, json);
  ASSERT_FIELD_STRING (a, b, response_id, json);
  ASSERT_FIELD_INT (a, b, output_index, json);
  ASSERT_FIELD_INT (a, b, content_index, json);
  ASSERT_FIELD_INT (a, b, audio_start_ms, json);
  ASSERT_FIELD_INT (a, b, audio_end_ms, json);
  ASSERT_FIELD_STRING (a, b, text, json);
  ASSERT_FIELD_INT (a, b, audio_size, json);
  fail_unless ((a->audio == NULL) == (b->audio == NULL), "audio in %s", json);
  fail_unless (a->audio_size == 0
      || memcmp (a->audio, b->audio, a->audio_size) == 0, "audio in %s", json);
  ASSERT_FIELD_STRING (a, b, status, json);
  ASSERT_FIELD_STRING (a, b, status_reason, json);
  ASSERT_FIELD_STRING (a, b, metadata, json);
  ASSERT_FIELD_STRING (a, b, conversation_id, json);
  ASSERT_FIELD_INT (a, b, input_tokens, json);
  ASSERT_FIELD_INT (a, b, output_tokens, json);
  ASSERT_FIELD_INT (a, b, total_tokens, json);
  ASSERT_FIELD_STRING (a, b, item_type, json);
  ASSERT_FIELD_STRING (a, b, call_id, json);
  ASSERT_FIELD_STRING (a, b, name, json);
  ASSERT_FIELD_STRING (a, b, arguments, json);
  assert_rate_limits_equal (a, b, json);
  ASSERT_FIELD_STRING (a, b, error_type, json);
  ASSERT_FIELD_STRING (a, b, error_code, json);
  ASSERT_FIELD_STRING (a, b, error_message, json);
  ASSERT_FIELD_STRING (a, b, error_param, json);
  ASSERT_FIELD_STRING (a, b, error_event_id, json);
}

/* Parses @size bytes of @data (copied without a NUL) with the fast path
 * alone, the slow path alone, and gst_realtime_protocol_parse(): whatever
 * the fast path takes, the slow path gives the same event, and the public
 * parser gives what the slow path gives, event or error. Returns whether
 * the fast path took it. */
static gboolean
check_delta_paths_sized (const gchar * data, gsize size)
{
  gchar *copy = g_memdup2 (data, size);
  gchar *json = g_strndup (data, MIN (size, 200));
  GstRealtimeServerEvent *fast, *slow, *parsed;
  GError *slow_err = NULL, *err = NULL;
  gboolean taken;

  fast = gst_realtime_protocol_parse_delta (copy, size);
  slow = gst_realtime_protocol_parse_json (copy, size, &slow_err);
  parsed = gst_realtime_protocol_parse (copy, size, &err);
  taken = fast != NULL;

  fail_unless ((slow == NULL) != (slow_err == NULL));
  fail_unless (fast == NULL || slow != NULL,
      "fast path took what json-glib refuses (%s): %s", slow_err->message,
      json);
  if (fast != NULL) {
    fail_unless (fast->type == GST_REALTIME_EVENT_AUDIO_DELTA
        || fast->type == GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA
        || fast->type == GST_REALTIME_EVENT_TEXT_DELTA
        || fast->type == GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA, "%s", json);
    assert_events_equal (fast, slow, json);
  }
  if (slow != NULL) {
    fail_unless (parsed != NULL, "%s", json);
    assert_events_equal (parsed, slow, json);
  } else {
    fail_unless (parsed == NULL && err != NULL, "%s", json);
    fail_unless (g_error_matches (err, slow_err->domain, slow_err->code));
    assert_equals_string (err->message, slow_err->message);
  }

  gst_realtime_server_event_free (fast);
  gst_realtime_server_event_free (slow);
  gst_realtime_server_event_free (parsed);
  g_clear_error (&slow_err);
  g_clear_error (&err);
  g_free (json);
  g_free (copy);
  return taken;
}

static gboolean
check_delta_paths (const gchar * json)
{
  return check_delta_paths_sized (json, strlen (json));
}

typedef struct
{
  const gchar *json;
  gboolean fast;                /* whether the fast path takes it */
} DeltaCase;

#define DELTA_TYPE "\"type\":\"response.output_audio.delta\""
#define DELTA_IDS "\"event_id\":\"event_4950\",\"response_id\":" \
  "\"resp_001\",\"item_id\":\"msg_008\""
#define DELTA_INDICES "\"output_index\":1,\"content_index\":2"
#define DELTA_AUDIO "\"delta\":\"AAEC/w==\""
#define DELTA_EVENT(extra) "{" DELTA_TYPE "," DELTA_IDS "," DELTA_INDICES \
  extra "," DELTA_AUDIO "}"
#define TEXT_EVENT(type, text) "{\"type\":\"" type "\"," DELTA_IDS "," \
  DELTA_INDICES ",\"delta\":\"" text "\"}"
#define USER_TEXT "{\"type\":\"conversation.item.input_audio_transcription." \
  "delta\",\"event_id\":\"event_2122\",\"item_id\":\"item_003\"," \
  "\"content_index\":0,"

static const DeltaCase delta_cases[] = {
  /* what the fast path takes: key orders, white space, escaped slashes,
   * missing and null fields, fields it skips */
  {DELTA_EVENT (""), TRUE},
  {"{\"type\":\"response.audio.delta\"," DELTA_IDS "," DELTA_INDICES ","
        DELTA_AUDIO "}", TRUE},
  {"{" DELTA_AUDIO "," DELTA_INDICES "," DELTA_IDS "," DELTA_TYPE "}", TRUE},
  {"{\"content_index\":2," DELTA_AUDIO ",\"item_id\":\"msg_008\","
        DELTA_TYPE ",\"output_index\":1,\"event_id\":\"e\"}", TRUE},
  {" \n{ \"type\" :\t\"response.audio.delta\" ,\r\n \"delta\" : \"QUJD\" ,"
        "\"output_index\" : 0 , \"item_id\"\n:\n\"i\"\t}\r\n ", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"AAEC\\/w==\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"\\/\\/\\/\\/\\/\\/\\/\\/\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"+\\/+\\/\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"QQ==\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"QUI=\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"QR==\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJDRA==\"}", TRUE},
  {"{" DELTA_TYPE ",\"delta\":\"\"}", TRUE},
  {"{" DELTA_TYPE ",\"event_id\":null,\"response_id\":null,\"item_id\":"
        "null,\"output_index\":null,\"content_index\":null," DELTA_AUDIO "}",
      TRUE},
  {"{" DELTA_TYPE ",\"output_index\":0,\"content_index\":2147483647,"
        DELTA_AUDIO "}", TRUE},
  {"{" DELTA_TYPE ",\"event_id\":\"\",\"item_id\":\" !#$%&'()*+,-./:;<=>"
        "?@[]^_`{|}~\"," DELTA_AUDIO "}", TRUE},
  {DELTA_EVENT (",\"obfuscation\":\"x\",\"n\":-0.5e+3,\"m\":0,\"k\":1E9,"
            "\"t\":true,\"f\":false,\"z\":null,\"\":\"\""), TRUE},
  {DELTA_EVENT (",\"x\":{\"a\":[1,{\"b\":null},[],{}],\"c\":{\"d\":\"e\"}},"
            "\"y\":[ ]"), TRUE},
  {DELTA_EVENT (",\"x\":1,\"x\":[2]"), TRUE},
  {DELTA_EVENT (",\"audio_start_ms\":\"x\",\"text\":5,\"transcript\":[]"),
      TRUE},
  {"{" DELTA_AUDIO ",\"x\":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]," DELTA_TYPE
        "}", TRUE},

  /* what it leaves to json-glib, which must give the same */
  {"{" DELTA_AUDIO ",\"x\":[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]," DELTA_TYPE
        "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":\"msg_\\u0030\\u00e9\"," DELTA_AUDIO "}",
      FALSE},
  {"{" DELTA_TYPE ",\"event_id\":\"a\\\"b\\\\c\\/\"," DELTA_AUDIO "}", FALSE},
  {"{\"\\u0074ype\":\"response.output_audio.delta\"," DELTA_AUDIO "}", FALSE},
  {"{\"type\":\"response.output_audio\\u002edelta\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"de\\u006cta\":\"QQ==\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJ\\u0044\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJ\\\\\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJD\\\"\",\"x\":\"\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QQ=\\/\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QQ\\/==\"}", FALSE},
  {"{" DELTA_TYPE ",\"note\":\"caf\xc3\xa9\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":\"caf\xc3\xa9\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":\"a\tb\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":\"a\x7f" "b\"," DELTA_AUDIO "}", FALSE},
  {DELTA_EVENT (",\"\xc3\":1"), FALSE},
  {DELTA_EVENT (",\"x\":{\"\xff\":1}"), FALSE},
  {DELTA_EVENT (",\"x\":{\"a\\qb\":1}"), FALSE},
  {DELTA_EVENT (",\"x\":[\"\\ud800\"]"), FALSE},
  /* invalid base64 */
  {"{" DELTA_TYPE ",\"delta\":\"abc\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"Q===\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"====\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QQ=A\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QQ==QQ==\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"=AAA\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJ-\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJ_\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\" QQ==\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QUJD\\n\"}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":\"QU\xc3\xa9\"}", FALSE},
  /* wrong types, missing fields */
  {"{" DELTA_TYPE "}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":null}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":5}", FALSE},
  {"{" DELTA_TYPE ",\"delta\":[\"QQ==\"]}", FALSE},
  {"{\"type\":null," DELTA_AUDIO "}", FALSE},
  {"{\"type\":5," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":7," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"event_id\":{}," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"response_id\":false," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":\"0\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":-1," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":-0," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":1.5," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":1.0," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"content_index\":2e0," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"content_index\":01," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"content_index\":2147483648," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"content_index\":99999999999," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",\"output_index\":18446744073709551617," DELTA_AUDIO "}",
      FALSE},
  {"{" DELTA_TYPE ",\"output_index\":true," DELTA_AUDIO "}", FALSE},
  /* keys it reads, twice: json-glib keeps the last */
  {"{" DELTA_TYPE ",\"delta\":\"QQ==\"," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"delta\":5}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"type\":\"response.audio.delta\"}",
      FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"type\":\"x\"}", FALSE},
  {"{\"type\":\"x\"," DELTA_AUDIO "," DELTA_TYPE "}", FALSE},
  {"{" DELTA_TYPE ",\"item_id\":\"a\",\"item_id\":null," DELTA_AUDIO "}",
      FALSE},
  {"{" DELTA_TYPE ",\"output_index\":1,\"output_index\":2," DELTA_AUDIO
        "}", FALSE},
  {"{" DELTA_TYPE ",\"event_id\":null,\"event_id\":\"e\"," DELTA_AUDIO "}",
      FALSE},
  /* not JSON, or not this JSON */
  {DELTA_EVENT ("") " x", FALSE},
  {DELTA_EVENT ("") "{}", FALSE},
  {DELTA_EVENT ("") ",", FALSE},
  {"[" DELTA_EVENT ("") "]", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",}", FALSE},
  {"{," DELTA_TYPE "," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE ",," DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE " " DELTA_AUDIO "}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":01}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":1.}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":.5}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":+1}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":1e}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":-}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":[1,]}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":{\"a\"}}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":{\"a\":1,}}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":tru}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":nul}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":NaN}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":0x10}", FALSE},
  {"{" DELTA_TYPE "," DELTA_AUDIO ",\"x\":'a'}", FALSE},
  {"{'type':'response.output_audio.delta'," DELTA_AUDIO "}", FALSE},
  {"\xef\xbb\xbf" DELTA_EVENT (""), FALSE},
  /* text deltas: plain text only */
  {TEXT_EVENT ("response.output_audio_transcript.delta", "Hello, "), TRUE},
  {TEXT_EVENT ("response.audio_transcript.delta", "QQ=="), TRUE},
  {TEXT_EVENT ("response.output_text.delta", " it's 5 o'clock {[]}!"),
      TRUE},
  {TEXT_EVENT ("response.text.delta", ""), TRUE},
  {"{\"delta\":\"Hi\",\"type\":\"response.text.delta\",\"x\":[{}]}",
      TRUE},
  {TEXT_EVENT ("response.output_text.delta", "a\\nb"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "say \\\"hi\\\""), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "a\\/b"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "caf\\u00e9"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "caf\xc3\xa9"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "caf\xc3"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "tab\there"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "\\ud800"), FALSE},
  {TEXT_EVENT ("response.output_text.delta", "end\\"), FALSE},
  {"{\"type\":\"response.output_text.delta\",\"delta\":null}", FALSE},
  {"{\"type\":\"response.output_text.delta\",\"delta\":5}", FALSE},
  {"{\"type\":\"response.output_text.delta\"}", FALSE},
  {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
        "\"delta\":\"b\"}", FALSE},
  {"{\"type\":\"response.output_text.delta\",\"delta\":\"a\","
        "\"output_index\":\"0\"}", FALSE},
  /* the user's transcript: no response_id or output_index read */
  {USER_TEXT "\"delta\":\"Hello,\"}", TRUE},
  {USER_TEXT "\"delta\":\"Hi\"," DELTA_IDS "," DELTA_INDICES "}", FALSE},
  {USER_TEXT "\"delta\":\"Hi\",\"response_id\":\"r\",\"output_index\":3}",
      TRUE},
  {USER_TEXT "\"delta\":\"Hi\",\"response_id\":5}", FALSE},
  {USER_TEXT "\"delta\":\"Hi\",\"output_index\":\"x\"}", FALSE},
  {USER_TEXT "\"delta\":\"Hi\",\"output_index\":-1}", FALSE},
  {USER_TEXT "\"delta\":\"Hi\\n\"}", FALSE},
  {USER_TEXT "\"delta\":null}", FALSE},
  /* other events stay on the slow path, whatever their fields */
  {"{\"type\":\"response.output_audio.done\"," DELTA_IDS "}", FALSE},
  {"{\"type\":\"response.function_call_arguments.delta\","
        "\"delta\":\"{}\"}", FALSE},
  {"{\"type\":\"response.output_text.done\",\"text\":\"Hi\"}", FALSE},
  {"{\"type\":\"response.output_audio.deltas\"," DELTA_AUDIO "}", FALSE},
  {"{\"type\":\"response.output_audio.delt\"," DELTA_AUDIO "}", FALSE},
};

/* The fast path gives what json-glib gives, field by field, and takes
 * what it should. */
GST_START_TEST (test_delta_fast_path_table)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (delta_cases); i++) {
    gboolean taken = check_delta_paths (delta_cases[i].json);

    fail_unless (taken == delta_cases[i].fast, "case %u: fast path %s: %s",
        i, taken ? "took it" : "left it", delta_cases[i].json);
  }
}

GST_END_TEST;

/* The fast path fills what the element reads. */
GST_START_TEST (test_delta_fast_path_fields)
{
  static const gchar json[] = DELTA_EVENT ("");
  static const gchar empty[] =
      "{\"type\":\"response.audio.delta\",\"delta\":\"\"}";
  static const gchar text[] =
      TEXT_EVENT ("response.audio_transcript.delta", "Hello, ");
  GstRealtimeServerEvent *ev;

  ev = gst_realtime_protocol_parse_delta (json, strlen (json));
  fail_unless (ev != NULL);
  assert_equals_int (ev->type, GST_REALTIME_EVENT_AUDIO_DELTA);
  assert_equals_string (ev->type_name, "response.output_audio.delta");
  assert_equals_string (ev->event_id, "event_4950");
  assert_output_position (ev);
  assert_equals_uint64 (ev->audio_size, 4);
  fail_unless (memcmp (ev->audio, "\x00\x01\x02\xff", 4) == 0);
  fail_unless (ev->text == NULL && ev->session_id == NULL);
  assert_equals_int64 (ev->expires_at, -1);
  assert_equals_int64 (ev->audio_start_ms, -1);
  gst_realtime_server_event_free (ev);

  ev = gst_realtime_protocol_parse_delta (empty, strlen (empty));
  fail_unless (ev != NULL);
  assert_equals_string (ev->type_name, "response.audio.delta");
  fail_unless (ev->audio == NULL && ev->audio_size == 0);
  fail_unless (ev->event_id == NULL && ev->item_id == NULL);
  assert_equals_int (ev->output_index, -1);
  assert_equals_int (ev->content_index, -1);
  gst_realtime_server_event_free (ev);

  ev = gst_realtime_protocol_parse_delta (text, strlen (text));
  fail_unless (ev != NULL);
  assert_equals_int (ev->type, GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA);
  assert_equals_string (ev->type_name, "response.audio_transcript.delta");
  assert_equals_string (ev->text, "Hello, ");
  assert_output_position (ev);
  fail_unless (ev->audio == NULL && ev->audio_size == 0);
  gst_realtime_server_event_free (ev);

  fail_unless (gst_realtime_protocol_parse_delta (NULL, 0) == NULL);
}

GST_END_TEST;

/* Every prefix of a delta, and the frame with trailing bytes in memory
 * (each copy is exactly its size, so an overread shows under valgrind). */
GST_START_TEST (test_delta_fast_path_truncated)
{
  static const gchar *events[] = { DELTA_EVENT (""),
    "{" DELTA_TYPE ",\"delta\":\"AAEC\\/w==\",\"x\":[{\"y\":-1.5e3}]}",
  };
  gsize len, n;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (events); i++) {
    n = strlen (events[i]);
    for (len = 0; len < n; len++)
      fail_if (check_delta_paths_sized (events[i], len), "%.*s", (gint) len,
          events[i]);
    fail_unless (check_delta_paths_sized (events[i], n));
  }
}

GST_END_TEST;

/* A delta with a value @depth arrays or objects deep. */
static gchar *
nested_delta (guint depth, gboolean objects)
{
  GString *s = g_string_new ("{" DELTA_TYPE ",\"x\":");
  guint i;

  for (i = 0; i < depth; i++)
    g_string_append (s, objects ? "{\"a\":" : "[");
  g_string_append (s, "0");
  for (i = 0; i < depth; i++)
    g_string_append_c (s, objects ? '}' : ']');
  g_string_append (s, "," DELTA_AUDIO "}");
  return g_string_free (s, FALSE);
}

/* The fast path skips nested values up to 16 levels; deeper ones, up to
 * json-glib's bound and past it, are the slow path's. */
GST_START_TEST (test_delta_fast_path_nesting)
{
  gchar *json;
  guint depth;

  for (depth = 1; depth <= 70; depth++) {
    json = nested_delta (depth, depth % 2 == 0);
    fail_unless (check_delta_paths (json) == (depth <= 16), "depth %u", depth);
    g_free (json);
  }
}

GST_END_TEST;

/* @b64 with each '/' written "\/". */
static gchar *
escape_slashes (const gchar * b64)
{
  GString *s = g_string_new (NULL);

  for (; *b64 != '\0'; b64++) {
    if (*b64 == '/')
      g_string_append_c (s, '\\');
    g_string_append_c (s, *b64);
  }
  return g_string_free (s, FALSE);
}

static gboolean
check_delta_payload (const gchar * b64)
{
  gchar *json = g_strdup_printf ("{" DELTA_TYPE ",\"delta\":\"%s\"}", b64);
  gboolean taken = check_delta_paths (json);

  g_free (json);
  return taken;
}

/* Base64 of every length up to 64 bytes, plain and with escaped slashes,
 * then with one character replaced at random. */
GST_START_TEST (test_delta_fast_path_base64)
{
  static const gchar noise[] = "AZaz09+/=\\\" -_.\x01\xc3";
  GRand *rand = g_rand_new_with_seed (6);
  gchar *b64, *escaped;
  guint8 *audio;
  gsize size, at;
  guint i;

  for (size = 0; size < 64; size++) {
    audio = make_audio (size, size);
    b64 = g_base64_encode (audio, size);
    fail_unless (check_delta_payload (b64), "%s", b64);
    escaped = escape_slashes (b64);
    fail_unless (check_delta_payload (escaped), "%s", escaped);
    for (i = 0; i < 16 && size > 0; i++) {
      at = g_rand_int_range (rand, 0, strlen (b64));
      b64[at] = noise[g_rand_int_range (rand, 0, sizeof (noise) - 1)];
      check_delta_payload (b64);
    }
    g_free (escaped);
    g_free (b64);
    g_free (audio);
  }
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_delta_fast_path_huge)
{
  gsize size = 3 * 512 * 1024 + 1;      /* about 2 MiB of base64 */
  guint8 *audio = make_audio (size, 11);
  gchar *b64 = g_base64_encode (audio, size);
  gchar *escaped = escape_slashes (b64);
  gchar *json;

  json = g_strdup_printf ("{" DELTA_TYPE "," DELTA_IDS "," DELTA_INDICES
      ",\"delta\":\"%s\"}\n", b64);
  fail_unless (check_delta_paths (json));
  g_free (json);

  json = g_strdup_printf ("{\"delta\" : \"%s\", " DELTA_INDICES ","
      DELTA_IDS ",\"type\":\"response.audio.delta\"}", escaped);
  fail_unless (check_delta_paths (json));
  g_free (json);

  /* one bad character at the very end */
  b64[strlen (b64) - 3] = '.';
  json = g_strdup_printf ("{" DELTA_TYPE ",\"delta\":\"%s\"}", b64);
  fail_if (check_delta_paths (json));
  g_free (json);

  g_free (escaped);
  g_free (b64);
  g_free (audio);
}

GST_END_TEST;

/* Random corruption of deltas: the fast path takes some, and every one it
 * takes json-glib reads the same. */
GST_START_TEST (test_delta_fast_path_mutations)
{
  static const gchar *events[] = { DELTA_EVENT (""),
    "{" DELTA_AUDIO "," DELTA_INDICES "," DELTA_IDS "," DELTA_TYPE "}",
    " { \"type\" : \"response.audio.delta\" , \"delta\" : \"QUJD\\/w==\" , "
        "\"x\" : [ { \"y\" : -1.5e3 } , null , true ] , "
        "\"output_index\" : 10 } ",
    TEXT_EVENT ("response.output_audio_transcript.delta", "Hello there, "),
    "{\"type\":\"conversation.item.input_audio_transcription.delta\","
        "\"item_id\":\"item_003\",\"content_index\":0,\"delta\":\"Hi\","
        "\"output_index\":1,\"response_id\":\"r\"}",
  };
  static const gchar noise[] = "{}[]\":,\\0123456789-.eE aZ=/+ntrulfs\xc3\xff";
  GRand *rand = g_rand_new_with_seed (20261121);
  guint i, j, flips, taken = 0;
  gchar *data;
  gsize len;

  for (i = 0; i < 6000; i++) {
    const gchar *src = events[i % G_N_ELEMENTS (events)];

    len = strlen (src);
    data = g_memdup2 (src, len);
    flips = g_rand_int_range (rand, 1, 4);
    for (j = 0; j < flips; j++)
      data[g_rand_int_range (rand, 0, len)] =
          noise[g_rand_int_range (rand, 0, sizeof (noise) - 1)];
    if (g_rand_int_range (rand, 0, 4) == 0)
      len = g_rand_int_range (rand, 0, len + 1);
    taken += check_delta_paths_sized (data, len);
    g_free (data);
  }
  g_rand_free (rand);
  /* some noise lands in skipped values or keeps them valid */
  fail_unless (taken > 100, "the fast path took only %u", taken);
}

GST_END_TEST;

typedef struct
{
  const gchar *beta;
  const gchar *ga;
  GstRealtimeEventType type;
  const gchar *payload;         /* the event's own field, "Hi" in it */
} Alias;

/* Each beta name gives what its GA name gives. */
GST_START_TEST (test_parse_beta_aliases)
{
  static const Alias aliases[] = {
    {"response.audio.delta", "response.output_audio.delta",
        GST_REALTIME_EVENT_AUDIO_DELTA, ",\"delta\":\"SGk=\""},
    {"response.audio.done", "response.output_audio.done",
        GST_REALTIME_EVENT_AUDIO_DONE, ""},
    {"response.audio_transcript.delta",
          "response.output_audio_transcript.delta",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, ",\"delta\":\"Hi\""},
    {"response.audio_transcript.done",
          "response.output_audio_transcript.done",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE, ",\"transcript\":\"Hi\""},
    {"response.text.delta", "response.output_text.delta",
        GST_REALTIME_EVENT_TEXT_DELTA, ",\"delta\":\"Hi\""},
    {"response.text.done", "response.output_text.done",
        GST_REALTIME_EVENT_TEXT_DONE, ",\"text\":\"Hi\""},
  };
  GstRealtimeServerEvent *ev;
  gchar *json;
  guint i, n;

  for (i = 0; i < G_N_ELEMENTS (aliases); i++) {
    for (n = 0; n < 2; n++) {
      const gchar *name = n ? aliases[i].beta : aliases[i].ga;

      json = g_strdup_printf ("{\"type\":\"%s\",\"event_id\":\"ev_%u\","
          OUTPUT_FIELDS "%s}", name, i, aliases[i].payload);
      ev = parse_ok (json, aliases[i].type);
      assert_equals_string (ev->type_name, name);
      assert_output_position (ev);
      if (aliases[i].type == GST_REALTIME_EVENT_AUDIO_DELTA) {
        assert_equals_uint64 (ev->audio_size, 2);
        fail_unless (memcmp (ev->audio, "Hi", 2) == 0);
      } else if (aliases[i].type == GST_REALTIME_EVENT_AUDIO_DONE) {
        fail_unless (ev->text == NULL && ev->audio == NULL);
      } else {
        assert_equals_string (ev->text, "Hi");
      }
      gst_realtime_server_event_free (ev);
      g_free (json);
    }
  }

  ev = parse_ok ("{\"type\":\"transcription_session.created\",\"event_id\":"
      "\"event_5566\",\"session\":{\"id\":\"sess_001\",\"object\":"
      "\"realtime.transcription_session\",\"expires_at\":1742188264,"
      "\"input_audio_format\":\"pcm16\",\"input_audio_transcription\":"
      "{\"model\":\"gpt-4o-transcribe\"}}}",
      GST_REALTIME_EVENT_SESSION_CREATED);
  assert_equals_string (ev->type_name, "transcription_session.created");
  assert_equals_string (ev->session_id, "sess_001");
  assert_equals_int64 (ev->expires_at, 1742188264);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"transcription_session.updated\",\"event_id\":"
      "\"event_5567\",\"session\":{\"id\":\"sess_001\"}}",
      GST_REALTIME_EVENT_SESSION_UPDATED);
  assert_equals_string (ev->session_id, "sess_001");
  assert_equals_int64 (ev->expires_at, -1);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"conversation.item.created\",\"event_id\":"
      "\"event_1920\",\"previous_item_id\":null,\"item\":{\"id\":\"msg_9\","
      "\"object\":\"realtime.item\",\"type\":\"message\",\"status\":"
      "\"in_progress\",\"role\":\"assistant\",\"content\":[]}}",
      GST_REALTIME_EVENT_ITEM_ADDED);
  assert_equals_string (ev->item_id, "msg_9");
  assert_equals_string (ev->item_type, "message");
  assert_equals_string (ev->item_role, "assistant");
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_function_call_events)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"response.function_call_arguments.done\","
      "\"event_id\":\"event_5556\",\"response_id\":\"resp_002\",\"item_id\":"
      "\"fc_001\",\"output_index\":1,\"call_id\":\"call_001\",\"name\":"
      "\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}",
      GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE);
  assert_equals_string (ev->event_id, "event_5556");
  assert_equals_string (ev->response_id, "resp_002");
  assert_equals_string (ev->item_id, "fc_001");
  assert_equals_int (ev->output_index, 1);
  assert_equals_int (ev->content_index, -1);
  assert_equals_string (ev->call_id, "call_001");
  assert_equals_string (ev->name, "get_weather");
  assert_equals_string (ev->arguments, "{\"city\":\"Paris\"}");
  fail_unless (ev->item_type == NULL && ev->text == NULL);
  gst_realtime_server_event_free (ev);

  /* the beta leaves the name out */
  ev = parse_ok ("{\"type\":\"response.function_call_arguments.done\","
      "\"event_id\":\"e\",\"response_id\":\"resp_3\",\"item_id\":\"fc_3\","
      "\"output_index\":0,\"call_id\":\"call_3\",\"arguments\":\"{}\"}",
      GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE);
  assert_equals_string (ev->call_id, "call_3");
  fail_unless (ev->name == NULL);
  assert_equals_string (ev->arguments, "{}");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_item.added\",\"event_id\":"
      "\"event_3334\",\"response_id\":\"resp_001\",\"output_index\":2,"
      "\"item\":{\"id\":\"fc_7\",\"object\":\"realtime.item\",\"type\":"
      "\"function_call\",\"status\":\"in_progress\",\"call_id\":\"call_7\","
      "\"name\":\"hang_up\",\"arguments\":\"\"}}",
      GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED);
  assert_equals_string (ev->response_id, "resp_001");
  assert_equals_int (ev->output_index, 2);
  assert_equals_string (ev->item_id, "fc_7");
  assert_equals_string (ev->item_type, "function_call");
  fail_unless (ev->item_role == NULL);
  assert_equals_string (ev->call_id, "call_7");
  assert_equals_string (ev->name, "hang_up");
  assert_equals_string (ev->arguments, "");
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"response.output_item.done\",\"event_id\":"
      "\"event_3536\",\"response_id\":\"resp_001\",\"output_index\":0,"
      "\"item\":{\"id\":\"msg_007\",\"object\":\"realtime.item\",\"type\":"
      "\"message\",\"status\":\"completed\",\"role\":\"assistant\","
      "\"content\":[{\"type\":\"output_text\",\"text\":\"Sure.\"}]}}",
      GST_REALTIME_EVENT_OUTPUT_ITEM_DONE);
  assert_equals_string (ev->item_id, "msg_007");
  assert_equals_string (ev->item_type, "message");
  assert_equals_string (ev->item_role, "assistant");
  assert_equals_int (ev->output_index, 0);
  fail_unless (ev->call_id == NULL && ev->name == NULL);
  fail_unless (ev->arguments == NULL && ev->text == NULL);
  gst_realtime_server_event_free (ev);

  /* an output item event without its item */
  ev = parse_ok ("{\"type\":\"response.output_item.done\",\"response_id\":"
      "\"r\"}", GST_REALTIME_EVENT_OUTPUT_ITEM_DONE);
  fail_unless (ev->item_id == NULL && ev->item_type == NULL);
  assert_equals_int (ev->output_index, -1);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_transcription_failed)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"conversation.item.input_audio_transcription."
      "failed\",\"event_id\":\"event_2324\",\"item_id\":\"msg_003\","
      "\"content_index\":0,\"error\":{\"type\":\"transcription_error\","
      "\"code\":\"audio_unintelligible\",\"message\":\"The audio could not "
      "be transcribed.\",\"param\":null}}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED);
  assert_equals_string (ev->event_id, "event_2324");
  assert_equals_string (ev->item_id, "msg_003");
  assert_equals_int (ev->content_index, 0);
  assert_equals_string (ev->error_type, "transcription_error");
  assert_equals_string (ev->error_code, "audio_unintelligible");
  assert_equals_string (ev->error_message,
      "The audio could not be transcribed.");
  fail_unless (ev->error_param == NULL && ev->error_event_id == NULL);
  fail_unless (ev->text == NULL);
  gst_realtime_server_event_free (ev);

  /* the error is not required */
  ev = parse_ok ("{\"type\":\"conversation.item.input_audio_transcription."
      "failed\",\"item_id\":\"msg_004\"}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED);
  assert_equals_string (ev->item_id, "msg_004");
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_item_deleted)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"conversation.item.deleted\",\"event_id\":"
      "\"event_2728\",\"item_id\":\"msg_005\"}",
      GST_REALTIME_EVENT_CONVERSATION_ITEM_DELETED);
  assert_equals_string (ev->event_id, "event_2728");
  assert_equals_string (ev->item_id, "msg_005");
  assert_no_position (ev);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

GST_START_TEST (test_parse_response_metadata_usage)
{
  GstRealtimeServerEvent *ev;

  /* metadata null, conversation_id and usage present */
  ev = parse_ok (response_done, GST_REALTIME_EVENT_RESPONSE_DONE);
  fail_unless (ev->metadata == NULL);
  assert_equals_string (ev->conversation_id, "conv_CCXHsurMKcaVxIZvaCI5m");
  assert_equals_int64 (ev->input_tokens, 132);
  assert_equals_int64 (ev->output_tokens, 121);
  assert_equals_int64 (ev->total_tokens, 253);
  gst_realtime_server_event_free (ev);

  /* an out-of-band response: no conversation, with metadata */
  ev = parse_ok ("{\"type\":\"response.done\",\"event_id\":\"e\","
      "\"response\":{\"id\":\"resp_9\",\"status\":\"completed\","
      "\"conversation_id\":null,\"metadata\":{\"topic\":\"weather\","
      "\"gst-realtime\":\"r7\"},\"usage\":{\"total_tokens\":12,"
      "\"input_tokens\":10}}}", GST_REALTIME_EVENT_RESPONSE_DONE);
  fail_unless (ev->conversation_id == NULL);
  assert_json_equal (ev->metadata,
      "{\"topic\":\"weather\",\"gst-realtime\":\"r7\"}");
  assert_equals_int64 (ev->input_tokens, 10);
  assert_equals_int64 (ev->output_tokens, -1);
  assert_equals_int64 (ev->total_tokens, 12);
  gst_realtime_server_event_free (ev);

  /* response.created: usage null, metadata empty, no conversation_id */
  ev = parse_ok ("{\"type\":\"response.created\",\"response\":{\"id\":"
      "\"resp_10\",\"status\":\"in_progress\",\"usage\":null,\"metadata\":"
      "{}}}", GST_REALTIME_EVENT_RESPONSE_CREATED);
  assert_equals_string (ev->metadata, "{}");
  fail_unless (ev->conversation_id == NULL);
  assert_equals_int64 (ev->input_tokens, -1);
  assert_equals_int64 (ev->output_tokens, -1);
  assert_equals_int64 (ev->total_tokens, -1);
  gst_realtime_server_event_free (ev);

  /* other events carry none of it */
  ev = parse_ok ("{\"type\":\"input_audio_buffer.cleared\"}",
      GST_REALTIME_EVENT_INPUT_CLEARED);
  fail_unless (ev->metadata == NULL && ev->conversation_id == NULL);
  assert_equals_int64 (ev->input_tokens, -1);
  assert_equals_int64 (ev->total_tokens, -1);
  fail_unless (ev->rate_limits == NULL);
  assert_equals_int (ev->n_rate_limits, 0);
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

static void
assert_rate_limit (const GstRealtimeRateLimit * limit, const gchar * name,
    gint64 max, gint64 remaining, gdouble reset_seconds)
{
  assert_equals_string (limit->name, name);
  assert_equals_int64 (limit->limit, max);
  assert_equals_int64 (limit->remaining, remaining);
  fail_unless (fabs (limit->reset_seconds - reset_seconds) < 1e-9,
      "reset_seconds is %f, not %f", limit->reset_seconds, reset_seconds);
}

GST_START_TEST (test_parse_rate_limits)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"rate_limits.updated\",\"event_id\":"
      "\"event_5758\",\"rate_limits\":[{\"name\":\"requests\",\"limit\":"
      "1000,\"remaining\":999,\"reset_seconds\":60},{\"name\":\"tokens\","
      "\"limit\":50000,\"remaining\":49950,\"reset_seconds\":0.12,"
      "\"future\":[1]}]}", GST_REALTIME_EVENT_RATE_LIMITS_UPDATED);
  assert_equals_int (ev->n_rate_limits, 2);
  assert_rate_limit (&ev->rate_limits[0], "requests", 1000, 999, 60.0);
  assert_rate_limit (&ev->rate_limits[1], "tokens", 50000, 49950, 0.12);
  gst_realtime_server_event_free (ev);

  /* missing fields */
  ev = parse_ok ("{\"type\":\"rate_limits.updated\",\"rate_limits\":"
      "[{\"name\":\"tokens\",\"limit\":null},{}]}",
      GST_REALTIME_EVENT_RATE_LIMITS_UPDATED);
  assert_equals_int (ev->n_rate_limits, 2);
  assert_rate_limit (&ev->rate_limits[0], "tokens", -1, -1, -1.0);
  assert_rate_limit (&ev->rate_limits[1], NULL, -1, -1, -1.0);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"rate_limits.updated\",\"rate_limits\":[]}",
      GST_REALTIME_EVENT_RATE_LIMITS_UPDATED);
  assert_equals_int (ev->n_rate_limits, 0);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"rate_limits.updated\"}",
      GST_REALTIME_EVENT_RATE_LIMITS_UPDATED);
  assert_equals_int (ev->n_rate_limits, 0);
  fail_unless (ev->rate_limits == NULL);
  gst_realtime_server_event_free (ev);
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

  /* beta events with no GA equivalent the element uses */
  ev = parse_ok ("{\"type\":\"conversation.created\",\"conversation\":"
      "{\"id\":5}}", GST_REALTIME_EVENT_UNKNOWN);
  fail_unless (ev->item_id == NULL);
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
    /* a scalar, then an object json-glib 1.6 would parse and leak */
    "1{\"type\":\"x\"}", "true {\"type\":\"x\"}", "\"s\"{\"type\":\"x\"}",
    "-1.5e3[{\"type\":\"x\"}]", "null\n{}",
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

/* What tests/fuzz found: json-glib 1.6 reads some input that is not JSON
 * into invalid UTF-8 or a silently changed string, parses a value after a
 * top-level scalar and leaks it, reads 1e400 as an infinity it writes
 * back as "inf.0", and quotes input in its errors cut mid-character. */
GST_START_TEST (test_parse_fuzz_findings)
{
  static const gchar *bad[] = {
    /* a lone surrogate followed by text became invalid UTF-8 */
    "{\"type\":\"response.output_text.delta\",\"delta\":\"a\\ud800bc\"}",
    "{\"type\":\"response.output_text.delta\",\"delta\":\"a\\udc00bc\"}",
    "{\"type\":\"x\\ud800\\ud800\"}", "{\"type\":\"x\\udbff\\u0041\"}",
    /* escapes JSON has not: "err\or" read as "error", \u00zz cut */
    "{\"type\":\"err\\or\",\"error\":{}}",
    "{\"type\":\"x\",\"a\":\"\\u00zz\"}", "{\"type\":\"x\",\"a\":\"\\x41\"}",
    "{\"type\":\"x\",\"a\":\"\\u12\"}", "{\"type\":\"x\",\"a\":\"\\",
    /* raw control characters in strings */
    "{\"type\":\"x\",\"a\":\"\t\"}", "{\"type\":\"x\",\"a\":\"\n\"}",
    /* a second value after a top-level scalar */
    "\"x\"{\"type\":\"input_audio_buffer.cleared\"}",
    "1 {\"type\":\"input_audio_buffer.cleared\"}",
    "null[{\"type\":\"x\"}]", "\"a\" \"b\"", "1 2", "true,{}", "-1{}",
  };
  /* the key is quoted in json-glib's error, cut inside the emoji */
  static const gchar cut[] = "{\"type\":\"response.audio.delta\","
      "\"edex\":2,\"ffff+ffffffffffffffffff+fffffffffff\\ud83d\\ude00"
      "ffffffffffffffffffff+ffkfffffffffffffffffffffffff+*ffffffffffffffff"
      "tion.itek=\"}";
  GstRealtimeServerEvent *ev;
  GError *err = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    parse_fails (bad[i], GST_REALTIME_PROTOCOL_ERROR_MALFORMED, NULL, NULL);

  /* every escape JSON has still reads */
  ev = parse_ok ("{\"type\":\"response.output_text.delta\",\"delta\":"
      "\"\\ud83d\\ude00\\u00e9\\u0041\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
      GST_REALTIME_EVENT_TEXT_DELTA);
  assert_equals_string (ev->text,
      "\xf0\x9f\x98\x80\xc3\xa9" "A\"\\/\b\f\n\r\t");
  gst_realtime_server_event_free (ev);
  /* space around the one value is fine */
  ev = parse_ok (" \r\n{\"type\":\"x\"}\t ", GST_REALTIME_EVENT_UNKNOWN);
  gst_realtime_server_event_free (ev);

  fail_if (gst_realtime_protocol_parse (cut, strlen (cut), &err));
  fail_unless (g_error_matches (err, GST_REALTIME_PROTOCOL_ERROR,
          GST_REALTIME_PROTOCOL_ERROR_MALFORMED));
  fail_unless (g_utf8_validate (err->message, -1, NULL), "%s", err->message);
  g_clear_error (&err);

  parse_fails ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"metadata\":{\"a\":[1,-1e400]}}}", GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "'response.metadata'", "too large");
  /* json-glib wrote 1e+22.0 */
  ev = parse_ok ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"metadata\":{\"a\":1e22,\"b\":\"1e+22.0\",\"c\":[-2E21,1.5e21,true]}}}",
      GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_string (ev->metadata, "{\"a\":1e+22,\"b\":\"1e+22.0\","
      "\"c\":[-2e+21,1.5e+21,true]}");
  gst_realtime_server_event_free (ev);
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
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status\":0}}",
        "response.done", "'response.status'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status_details\":\"x\"}}",
        "response.done", "'response.status_details'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status_details\":"
          "{\"reason\":3}}}", "response.done",
        "'response.status_details.reason'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status_details\":"
          "{\"error\":[]}}}", "response.done",
        "'response.status_details.error'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"status_details\":"
          "{\"error\":{\"message\":[]}}}}", "response.done",
        "'response.status_details.error.message'"},
    {"{\"type\":\"rate_limits.updated\",\"event_id\":[]}",
        "rate_limits.updated", "'event_id'"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":\"x\"}",
        "rate_limits.updated", "'rate_limits' must be an array"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":[5]}",
        "rate_limits.updated", "'rate_limits' must hold objects"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":[{},null]}",
        "rate_limits.updated", "'rate_limits' must hold objects"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":"
          "[{\"limit\":\"x\"}]}", "rate_limits.updated",
        "'rate_limits[0].limit'"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":5}]}",
        "rate_limits.updated", "'rate_limits[0].name'"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":"
          "[{},{\"reset_seconds\":\"soon\"}]}", "rate_limits.updated",
        "'rate_limits[1].reset_seconds' must be a non-negative number"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":"
          "[{\"reset_seconds\":-1}]}", "rate_limits.updated",
        "'rate_limits[0].reset_seconds'"},
    {"{\"type\":\"rate_limits.updated\",\"rate_limits\":"
          "[{\"remaining\":-1}]}", "rate_limits.updated",
        "'rate_limits[0].remaining'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"metadata\":\"x\"}}",
        "response.done", "'response.metadata' must be an object"},
    {"{\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"metadata\":[]}}",
        "response.created", "'response.metadata'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"conversation_id\":5}}",
        "response.done", "'response.conversation_id'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"usage\":\"x\"}}",
        "response.done", "'response.usage'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"usage\":"
          "{\"input_tokens\":\"x\"}}}", "response.done",
        "'response.usage.input_tokens'"},
    {"{\"type\":\"response.done\",\"response\":{\"id\":\"r\",\"usage\":"
          "{\"total_tokens\":-3}}}", "response.done",
        "'response.usage.total_tokens'"},
    {"{\"type\":\"response.function_call_arguments.done\",\"call_id\":5,"
          "\"arguments\":\"{}\"}", "response.function_call_arguments.done",
        "'call_id'"},
    {"{\"type\":\"response.function_call_arguments.done\","
          "\"arguments\":\"{}\"}", "response.function_call_arguments.done",
        "'call_id' is missing"},
    {"{\"type\":\"response.function_call_arguments.done\",\"call_id\":"
          "\"c\"}", "response.function_call_arguments.done",
        "'arguments' is missing"},
    {"{\"type\":\"response.function_call_arguments.done\",\"call_id\":"
          "\"c\",\"arguments\":{}}", "response.function_call_arguments.done",
        "'arguments' must be a string"},
    {"{\"type\":\"response.function_call_arguments.done\",\"call_id\":"
          "\"c\",\"arguments\":\"\",\"name\":1}",
        "response.function_call_arguments.done", "'name'"},
    {"{\"type\":\"response.function_call_arguments.done\",\"call_id\":"
          "\"c\",\"arguments\":\"\",\"output_index\":\"0\"}",
        "response.function_call_arguments.done", "'output_index'"},
    {"{\"type\":\"response.output_item.added\",\"item\":\"x\"}",
        "response.output_item.added", "'item' must be an object"},
    {"{\"type\":\"response.output_item.added\",\"item\":{\"type\":5}}",
        "response.output_item.added", "'item.type'"},
    {"{\"type\":\"response.output_item.done\",\"item\":{\"call_id\":[]}}",
        "response.output_item.done", "'item.call_id'"},
    {"{\"type\":\"response.output_item.done\",\"item\":"
          "{\"arguments\":{}}}", "response.output_item.done",
        "'item.arguments'"},
    {"{\"type\":\"response.output_item.done\",\"output_index\":-2}",
        "response.output_item.done", "'output_index'"},
    {"{\"type\":\"conversation.item.added\",\"item\":{\"type\":true}}",
        "conversation.item.added", "'item.type'"},
    {"{\"type\":\"conversation.item.input_audio_transcription.failed\","
          "\"error\":\"x\"}",
          "conversation.item.input_audio_transcription.failed",
        "'error' must be an object"},
    {"{\"type\":\"conversation.item.input_audio_transcription.failed\","
          "\"error\":{\"message\":5}}",
          "conversation.item.input_audio_transcription.failed",
        "'error.message'"},
    {"{\"type\":\"conversation.item.deleted\",\"item_id\":5}",
        "conversation.item.deleted", "'item_id'"},
    {"{\"type\":\"response.audio.delta\",\"delta\":5}",
        "response.audio.delta", "'delta'"},
    {"{\"type\":\"response.audio.delta\",\"delta\":\"QQ\"}",
        "response.audio.delta", "'delta' is not valid base64"},
    {"{\"type\":\"response.text.done\"}", "response.text.done",
        "'text' is missing"},
    {"{\"type\":\"response.audio_transcript.done\",\"transcript\":1}",
        "response.audio_transcript.done", "'transcript'"},
    {"{\"type\":\"response.audio.done\",\"item_id\":1}",
        "response.audio.done", "'item_id'"},
    {"{\"type\":\"transcription_session.updated\",\"session\":"
          "{\"id\":5}}", "transcription_session.updated", "'session.id'"},
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
    "{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":"
        "\"tokens\",\"limit\":9,\"remaining\":8,\"reset_seconds\":0.5}]}",
    "{\"type\":\"response.output_item.done\",\"response_id\":\"r\","
        "\"output_index\":0,\"item\":{\"id\":\"fc\",\"type\":"
        "\"function_call\",\"call_id\":\"c\",\"name\":\"f\","
        "\"arguments\":\"{}\"}}",
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

/* ---------------------------------------------------------------------- */
/* What today's API added (openai 7.60.0)                                 */
/* ---------------------------------------------------------------------- */

static void
config_with_transcription_settings (GstRealtimeSessionConfig * config,
    GstRealtimeProtocolVersion dialect)
{
  gst_realtime_session_config_init (config);
  config->dialect = dialect;
  config->session_type = GST_REALTIME_SESSION_TYPE_TRANSCRIPTION;
  config->transcription_model = "gpt-live-transcribe";
  config->transcription_languages = " de, ,fr ";
  config->transcription_keywords = "GStreamer,PipeWire";
  config->transcription_delay = GST_REALTIME_TRANSCRIPTION_DELAY_LOW;
  config->noise_reduction = GST_REALTIME_NOISE_REDUCTION_FAR_FIELD;
  config->noise_reduction_strength = 0.25;
  config->turn_detection.type = GST_REALTIME_TURN_DETECTION_NONE;
}

GST_START_TEST (test_session_update_transcription_settings)
{
  GstRealtimeSessionConfig config;
  GString *lines = g_string_new (NULL);
  gchar *json;

  config_with_transcription_settings (&config, GST_REALTIME_PROTOCOL_GA);
  json = gst_realtime_protocol_build_session_update (&config, "evt_ts");
  assert_json_equal (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_ts\",\"session\":{\"type\":\"transcription\",\"audio\":"
      "{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
      "\"turn_detection\":null,\"transcription\":{\"model\":"
      "\"gpt-live-transcribe\",\"languages\":[\"de\",\"fr\"],\"keywords\":"
      "[\"GStreamer\",\"PipeWire\"],\"delay\":\"low\"},\"noise_reduction\":"
      "{\"type\":\"far_field\",\"strength\":0.25}}}}}");
  g_string_append_printf (lines, "%s\n", json);
  g_free (json);

  /* empty lists, the server's delay and strength, or a strength out of
   * range */
  config.transcription_languages = " , ";
  config.transcription_keywords = "";
  config.transcription_delay = GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT;
  config.noise_reduction_strength = -1.0;
  json = gst_realtime_protocol_build_session_update (&config, "evt_ts2");
  fail_unless (strstr (json, "\"transcription\":{\"model\":"
          "\"gpt-live-transcribe\"}") != NULL, "%s", json);
  fail_unless (strstr (json, "\"noise_reduction\":{\"type\":\"far_field\"}")
      != NULL, "%s", json);
  g_string_append_printf (lines, "%s\n", json);
  g_free (json);
  config.noise_reduction_strength = 7.0;
  json = gst_realtime_protocol_build_session_update (&config, "evt_ts3");
  fail_unless (strstr (json, "\"strength\":1.0") != NULL, "%s", json);
  g_free (json);
  config.noise_reduction_strength = NAN;
  json = gst_realtime_protocol_build_session_update (&config, "evt_ts4");
  fail_unless (strstr (json, "strength") == NULL, "%s", json);
  g_free (json);
  /* no noise reduction, no strength */
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_OFF;
  config.noise_reduction_strength = 0.5;
  json = gst_realtime_protocol_build_session_update (&config, "evt_ts5");
  fail_unless (strstr (json, "noise_reduction") == NULL, "%s", json);
  g_free (json);
  check_validator_output (lines, "transcription-settings", SCHEMA_GA, 2, 0);

  /* the beta has none of them */
  g_string_truncate (lines, 0);
  config_with_transcription_settings (&config, GST_REALTIME_PROTOCOL_BETA);
  json = gst_realtime_protocol_build_session_update (&config, "evt_tsb");
  fail_unless (strstr (json, "languages") == NULL, "%s", json);
  fail_unless (strstr (json, "keywords") == NULL, "%s", json);
  fail_unless (strstr (json, "delay") == NULL, "%s", json);
  fail_unless (strstr (json, "strength") == NULL, "%s", json);
  fail_unless (strstr (json, "\"input_audio_noise_reduction\":{\"type\":"
          "\"far_field\"}") != NULL, "%s", json);
  g_string_append_printf (lines, "%s\n", json);
  g_free (json);
  check_validator_output (lines, "transcription-settings-beta", SCHEMA_BETA, 1,
      0);
  g_string_free (lines, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_parse_timeout_triggered)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"input_audio_buffer.timeout_triggered\","
      "\"event_id\":\"e1\",\"audio_start_ms\":1500,\"audio_end_ms\":6500,"
      "\"item_id\":\"item_9\"}", GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED);
  assert_equals_int64 (ev->audio_start_ms, 1500);
  assert_equals_int64 (ev->audio_end_ms, 6500);
  assert_equals_string (ev->item_id, "item_9");
  gst_realtime_server_event_free (ev);

  /* a turn without its positions would be put nowhere */
  parse_fails ("{\"type\":\"input_audio_buffer.timeout_triggered\","
      "\"audio_start_ms\":1500,\"item_id\":\"i\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "audio_end_ms", "missing");
  parse_fails ("{\"type\":\"input_audio_buffer.timeout_triggered\","
      "\"audio_start_ms\":\"0\",\"audio_end_ms\":5000}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "audio_start_ms", NULL);
}

GST_END_TEST;

GST_START_TEST (test_parse_transcription_segment)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":"
      "\"conversation.item.input_audio_transcription.segment\",\"event_id\":"
      "\"e2\",\"item_id\":\"item_3\",\"content_index\":0,\"id\":\"seg_1\","
      "\"text\":\"Bonjour \",\"speaker\":\"A\",\"start\":0.25,\"end\":1.5}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT);
  assert_equals_string (ev->item_id, "item_3");
  assert_equals_int (ev->content_index, 0);
  assert_equals_string (ev->segment_id, "seg_1");
  assert_equals_string (ev->text, "Bonjour ");
  assert_equals_string (ev->speaker, "A");
  fail_unless (ev->segment_start == 0.25 && ev->segment_end == 1.5);
  gst_realtime_server_event_free (ev);

  /* times and speaker are optional, the text is not */
  ev = parse_ok ("{\"type\":"
      "\"conversation.item.input_audio_transcription.segment\","
      "\"item_id\":\"i\",\"text\":\"x\",\"end\":2}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT);
  fail_unless (ev->speaker == NULL);
  fail_unless (ev->segment_start == -1.0 && ev->segment_end == 2.0);
  gst_realtime_server_event_free (ev);
  parse_fails ("{\"type\":"
      "\"conversation.item.input_audio_transcription.segment\","
      "\"item_id\":\"i\",\"speaker\":\"A\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "text", "missing");
  parse_fails ("{\"type\":"
      "\"conversation.item.input_audio_transcription.segment\","
      "\"text\":\"x\",\"start\":\"0\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "start", NULL);
  parse_fails ("{\"type\":"
      "\"conversation.item.input_audio_transcription.segment\","
      "\"text\":\"x\",\"speaker\":1}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "speaker", NULL);
}

GST_END_TEST;

GST_START_TEST (test_parse_dtmf)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"input_audio_buffer.dtmf_event_received\","
      "\"event\":\"#\",\"received_at\":1764806400.5}",
      GST_REALTIME_EVENT_DTMF_RECEIVED);
  assert_equals_string (ev->dtmf_event, "#");
  fail_unless (ev->dtmf_received_at == 1764806400.5);
  fail_unless (ev->event_id == NULL);
  gst_realtime_server_event_free (ev);

  parse_fails ("{\"type\":\"input_audio_buffer.dtmf_event_received\","
      "\"received_at\":1}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "event",
      "missing");
  parse_fails ("{\"type\":\"input_audio_buffer.dtmf_event_received\","
      "\"event\":5}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "event", NULL);
}

GST_END_TEST;

GST_START_TEST (test_parse_mcp_events)
{
  static const struct
  {
    const gchar *name;
    GstRealtimeEventType type;
    gint output_index;
  } results[] = {
    {"mcp_list_tools.completed", GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED,
        -1},
    {"mcp_list_tools.failed", GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED, -1},
    {"response.mcp_call.completed", GST_REALTIME_EVENT_MCP_CALL_COMPLETED, 2},
    {"response.mcp_call.failed", GST_REALTIME_EVENT_MCP_CALL_FAILED, 2},
  };
  GstRealtimeServerEvent *ev;
  gchar *json;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (results); i++) {
    json = g_strdup_printf ("{\"type\":\"%s\",\"event_id\":\"e\","
        "\"item_id\":\"mcp_1\",\"output_index\":2}", results[i].name);
    ev = parse_ok (json, results[i].type);
    assert_equals_string (ev->item_id, "mcp_1");
    assert_equals_int (ev->output_index, results[i].output_index);
    gst_realtime_server_event_free (ev);
    g_free (json);
  }

  /* the items name the server and the tool */
  ev = parse_ok ("{\"type\":\"response.output_item.added\",\"response_id\":"
      "\"resp_1\",\"output_index\":2,\"item\":{\"id\":\"mcp_1\",\"type\":"
      "\"mcp_call\",\"server_label\":\"wiki\",\"name\":\"lookup\","
      "\"arguments\":\"\"}}", GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED);
  assert_equals_string (ev->item_type, "mcp_call");
  assert_equals_string (ev->server_label, "wiki");
  assert_equals_string (ev->name, "lookup");
  gst_realtime_server_event_free (ev);
  ev = parse_ok ("{\"type\":\"conversation.item.added\",\"item\":{\"id\":"
      "\"mcpl_1\",\"type\":\"mcp_list_tools\",\"server_label\":\"wiki\","
      "\"tools\":[]}}", GST_REALTIME_EVENT_ITEM_ADDED);
  assert_equals_string (ev->item_type, "mcp_list_tools");
  assert_equals_string (ev->server_label, "wiki");
  gst_realtime_server_event_free (ev);
  parse_fails ("{\"type\":\"conversation.item.added\",\"item\":{\"id\":"
      "\"mcpl_1\",\"server_label\":7}}", GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "server_label", NULL);
}

GST_END_TEST;

GST_START_TEST (test_parse_usage_details)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"usage\":{\"total_tokens\":30,\"input_tokens\":20,\"output_tokens\":"
      "10,\"input_token_details\":{\"cached_tokens\":8,\"audio_tokens\":12,"
      "\"text_tokens\":6,\"image_tokens\":2,\"cached_tokens_details\":"
      "{\"text_tokens\":8}},\"output_token_details\":{\"audio_tokens\":7,"
      "\"text_tokens\":3}}}}", GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_int64 (ev->input_cached_tokens, 8);
  assert_equals_int64 (ev->input_audio_tokens, 12);
  assert_equals_int64 (ev->input_text_tokens, 6);
  assert_equals_int64 (ev->input_image_tokens, 2);
  assert_equals_int64 (ev->output_audio_tokens, 7);
  assert_equals_int64 (ev->output_text_tokens, 3);
  gst_realtime_server_event_free (ev);

  /* without details, none of them */
  ev = parse_ok ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"usage\":{\"total_tokens\":3}}}", GST_REALTIME_EVENT_RESPONSE_DONE);
  assert_equals_int64 (ev->input_cached_tokens, -1);
  assert_equals_int64 (ev->output_text_tokens, -1);
  fail_unless (ev->usage_seconds == -1.0);
  gst_realtime_server_event_free (ev);

  parse_fails ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"usage\":{\"input_token_details\":{\"image_tokens\":\"2\"}}}}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "response.usage.input_token_details.image_tokens", NULL);
  parse_fails ("{\"type\":\"response.done\",\"response\":{\"id\":\"r\","
      "\"usage\":{\"output_token_details\":[]}}}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "response.usage.output_token_details", NULL);
}

GST_END_TEST;

#define TRANSCRIPTION_COMPLETED \
    "{\"type\":\"conversation.item.input_audio_transcription.completed\"," \
    "\"item_id\":\"item_1\",\"content_index\":0,\"transcript\":\"Hallo\","

GST_START_TEST (test_parse_transcription_usage_languages)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok (TRANSCRIPTION_COMPLETED "\"usage\":{\"type\":\"tokens\","
      "\"input_tokens\":10,\"output_tokens\":3,\"total_tokens\":13,"
      "\"input_token_details\":{\"audio_tokens\":9,\"text_tokens\":1}},"
      "\"languages\":[{\"code\":\"de\"},{},{\"code\":\"fr\"}]}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED);
  assert_equals_string (ev->text, "Hallo");
  assert_equals_int64 (ev->input_tokens, 10);
  assert_equals_int64 (ev->output_tokens, 3);
  assert_equals_int64 (ev->total_tokens, 13);
  assert_equals_int64 (ev->input_audio_tokens, 9);
  assert_equals_int64 (ev->input_text_tokens, 1);
  fail_unless (ev->languages != NULL);
  assert_equals_int (g_strv_length (ev->languages), 2);
  assert_equals_string (ev->languages[0], "de");
  assert_equals_string (ev->languages[1], "fr");
  gst_realtime_server_event_free (ev);

  ev = parse_ok (TRANSCRIPTION_COMPLETED "\"usage\":{\"type\":\"duration\","
      "\"seconds\":2.5},\"languages\":[]}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED);
  fail_unless (ev->usage_seconds == 2.5);
  assert_equals_int64 (ev->total_tokens, -1);
  fail_unless (ev->languages != NULL && ev->languages[0] == NULL);
  gst_realtime_server_event_free (ev);

  ev = parse_ok (TRANSCRIPTION_COMPLETED "\"usage\":null}",
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED);
  fail_unless (ev->languages == NULL);
  assert_equals_int64 (ev->total_tokens, -1);
  gst_realtime_server_event_free (ev);

  parse_fails (TRANSCRIPTION_COMPLETED "\"languages\":\"de\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "languages", "array");
  parse_fails (TRANSCRIPTION_COMPLETED "\"languages\":[\"de\"]}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "languages", "objects");
  parse_fails (TRANSCRIPTION_COMPLETED "\"languages\":[{\"code\":1}]}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "languages[0].code", NULL);
  parse_fails (TRANSCRIPTION_COMPLETED "\"usage\":{\"seconds\":\"2\"}}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "usage.seconds", NULL);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Translation sessions                                                   */
/* ---------------------------------------------------------------------- */

static GstRealtimeTranslationConfig
translation_config (const gchar * language, const gchar * model,
    GstRealtimeNoiseReduction noise_reduction, gdouble strength)
{
  GstRealtimeTranslationConfig config;

  gst_realtime_translation_config_init (&config);
  config.language = language;
  config.transcription_model = model;
  config.noise_reduction = noise_reduction;
  config.noise_reduction_strength = strength;
  return config;
}

static gchar *
build_translation_update (const gchar * language, const gchar * model,
    GstRealtimeNoiseReduction noise_reduction, gdouble strength)
{
  GstRealtimeTranslationConfig config = translation_config (language, model,
      noise_reduction, strength);

  return gst_realtime_protocol_build_translation_update (&config, "evt_tu");
}

GST_START_TEST (test_translation_config_defaults)
{
  GstRealtimeTranslationConfig config;

  memset (&config, 0x55, sizeof (config));
  gst_realtime_translation_config_init (&config);
  fail_unless (config.language == NULL);
  fail_unless (config.transcription_model == NULL);
  assert_equals_int (config.noise_reduction, GST_REALTIME_NOISE_REDUCTION_OFF);
  fail_unless (config.noise_reduction_strength < 0.0);
}

GST_END_TEST;

GST_START_TEST (test_translation_update)
{
  gchar *json;

  json = build_translation_update ("fr", "gpt-live-transcribe",
      GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD, 0.5);
  assert_equals_string (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_tu\",\"session\":{\"audio\":{\"input\":{\"transcription\":"
      "{\"model\":\"gpt-live-transcribe\"},\"noise_reduction\":{\"type\":"
      "\"near_field\",\"strength\":0.5}},\"output\":{\"language\":\"fr\"}}}}");
  g_free (json);

  /* no transcription, no noise reduction (null turns it off) */
  json = build_translation_update ("de", NULL,
      GST_REALTIME_NOISE_REDUCTION_OFF, 0.5);
  assert_equals_string (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_tu\",\"session\":{\"audio\":{\"input\":{\"noise_reduction\":"
      "null},\"output\":{\"language\":\"de\"}}}}");
  g_free (json);

  /* a strength out of range is clamped; NaN, or none, is left out */
  json =
      build_translation_update ("de", "",
      GST_REALTIME_NOISE_REDUCTION_FAR_FIELD, 7.0);
  fail_unless (strstr (json, "{\"type\":\"far_field\",\"strength\":1.0}"), "%s",
      json);
  fail_unless (strstr (json, "transcription") == NULL, "%s", json);
  g_free (json);
  json = build_translation_update ("de", NULL,
      GST_REALTIME_NOISE_REDUCTION_FAR_FIELD, NAN);
  fail_unless (strstr (json, "strength") == NULL, "%s", json);
  g_free (json);

  /* without a language the server keeps its own */
  json = build_translation_update (NULL, NULL,
      GST_REALTIME_NOISE_REDUCTION_OFF, -1.0);
  fail_unless (strstr (json, "output") == NULL, "%s", json);
  g_free (json);

  /* invalid UTF-8 from the user is repaired */
  json = build_translation_update ("f\xff", NULL,
      GST_REALTIME_NOISE_REDUCTION_OFF, -1.0);
  fail_unless (g_utf8_validate (json, -1, NULL));
  g_free (json);
}

GST_END_TEST;

GST_START_TEST (test_translation_small_events)
{
  gchar *json;

  json = gst_realtime_protocol_build_translation_language ("es", "evt_tl");
  assert_equals_string (json, "{\"type\":\"session.update\",\"event_id\":"
      "\"evt_tl\",\"session\":{\"audio\":{\"output\":{\"language\":"
      "\"es\"}}}}");
  g_free (json);

  json = gst_realtime_protocol_build_session_close ("evt_close");
  assert_equals_string (json,
      "{\"type\":\"session.close\",\"event_id\":\"evt_close\"}");
  g_free (json);

  json = gst_realtime_protocol_build_translation_append ((const guint8 *)
      "AB", 2, "e\"1");
  assert_equals_string (json,
      "{\"type\":\"session.input_audio_buffer.append\",\"event_id\":"
      "\"e\\\"1\",\"audio\":\"QUI=\"}");
  g_free (json);
}

GST_END_TEST;

/* The translation append is the same in-place writer: it reads back. */
GST_START_TEST (test_translation_append_roundtrip)
{
  static const gsize sizes[] = { 0, 1, 2, 3, 9599, 9600, 9601, 48000 };
  guint8 *audio, *decoded;
  gsize decoded_size;
  JsonObject *event;
  gchar *json;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    audio = make_audio (sizes[i], i + 7);
    json = gst_realtime_protocol_build_translation_append (audio, sizes[i],
        "evt_ta");
    event = load_event (json, "session.input_audio_buffer.append", "evt_ta");
    decoded = g_base64_decode (json_object_get_string_member (event, "audio"),
        &decoded_size);
    assert_equals_uint64 (decoded_size, sizes[i]);
    fail_unless (sizes[i] == 0 || memcmp (decoded, audio, sizes[i]) == 0);
    g_free (decoded);
    json_object_unref (event);
    g_free (json);
    g_free (audio);
  }
}

GST_END_TEST;

static void
add_translation_line (GString * lines, guint * count, gchar * json)
{
  fail_unless (json != NULL);
  g_string_append_printf (lines, "%s\n", json);
  (*count)++;
  g_free (json);
}

GST_START_TEST (test_translation_events_validate)
{
  static const GstRealtimeNoiseReduction noise[] = {
    GST_REALTIME_NOISE_REDUCTION_OFF, GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD,
    GST_REALTIME_NOISE_REDUCTION_FAR_FIELD
  };
  static const gchar *const models[] = { NULL, "", "gpt-live-transcribe" };
  static const gchar *const languages[] = { NULL, "fr", "pt-BR" };
  static const gdouble strengths[] = { -1.0, 0.0, 0.3, 2.0 };
  static const gsize sizes[] = { 0, 1, 4800, 9600 };
  GstRealtimeSessionConfig session;
  GString *lines = g_string_new (NULL);
  guint n, l, m, s, i, count = 0;
  guint8 *audio;
  gchar *json;

  for (n = 0; n < G_N_ELEMENTS (noise); n++)
    for (l = 0; l < G_N_ELEMENTS (languages); l++)
      for (m = 0; m < G_N_ELEMENTS (models); m++)
        for (s = 0; s < G_N_ELEMENTS (strengths); s++)
          add_translation_line (lines, &count, build_translation_update
              (languages[l], models[m], noise[n], strengths[s]));
  add_translation_line (lines, &count,
      gst_realtime_protocol_build_translation_language ("ja", "evt_tl"));
  /* a session config of a translation session: its input settings */
  gst_realtime_session_config_init (&session);
  session.session_type = GST_REALTIME_SESSION_TYPE_TRANSLATION;
  session.transcription_model = "gpt-live-transcribe";
  session.noise_reduction = GST_REALTIME_NOISE_REDUCTION_FAR_FIELD;
  session.noise_reduction_strength = 0.5;
  for (i = 0; i < 2; i++) {
    session.dialect = i ? GST_REALTIME_PROTOCOL_BETA : GST_REALTIME_PROTOCOL_GA;
    json = gst_realtime_protocol_build_session_update (&session, "evt_ts");
    assert_equals_string (json, "{\"type\":\"session.update\",\"event_id\":"
        "\"evt_ts\",\"session\":{\"audio\":{\"input\":{\"transcription\":"
        "{\"model\":\"gpt-live-transcribe\"},\"noise_reduction\":{\"type\":"
        "\"far_field\",\"strength\":0.5}}}}}");
    add_translation_line (lines, &count, json);
  }
  add_translation_line (lines, &count,
      gst_realtime_protocol_build_session_close ("evt_close"));
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    audio = make_audio (sizes[i], i);
    add_translation_line (lines, &count,
        gst_realtime_protocol_build_translation_append (audio, sizes[i],
            "evt_ta"));
    g_free (audio);
  }
  check_validator_output (lines, "translation-events", SCHEMA_TRANSLATION,
      count, 0);

  /* and the check can fail: a conversation's shapes are not translation
   * ones */
  g_string_truncate (lines, 0);
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"type\":\"translation\"}}\n");
  g_string_append (lines, "{\"type\":\"input_audio_buffer.append\","
      "\"audio\":\"\"}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"audio\":{\"input\":{\"noise_reduction\":\"near_field\"}}}}\n");
  g_string_append (lines, "{\"type\":\"session.update\",\"session\":"
      "{\"audio\":{\"output\":{\"language\":\"fr\",\"voice\":\"x\"}}}}\n");
  check_validator_output (lines, "translation-invalid", SCHEMA_TRANSLATION, 0,
      4);
  g_string_free (lines, TRUE);
}

GST_END_TEST;

#define OUTPUT_AUDIO_DELTA \
  "{\"type\":\"session.output_audio.delta\",\"event_id\":\"ev_a\"," \
  "\"delta\":\"AAABAA==\",\"sample_rate\":24000,\"channels\":1," \
  "\"format\":\"pcm16\""

GST_START_TEST (test_parse_translation_audio)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":400}",
      GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA);
  assert_equals_string (ev->event_id, "ev_a");
  assert_equals_uint64 (ev->audio_size, 4);
  fail_unless (memcmp (ev->audio, "\0\0\1\0", 4) == 0);
  assert_equals_int64 (ev->elapsed_ms, 400);
  assert_equals_int64 (ev->sample_rate, 24000);
  assert_equals_int64 (ev->channels, 1);
  assert_equals_string (ev->audio_format, "pcm16");
  fail_unless (ev->text == NULL);
  assert_no_position (ev);
  gst_realtime_server_event_free (ev);

  /* elapsed_ms missing or null: -1; a fraction is rounded */
  ev = parse_ok (OUTPUT_AUDIO_DELTA "}",
      GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA);
  assert_equals_int64 (ev->elapsed_ms, -1);
  gst_realtime_server_event_free (ev);
  ev = parse_ok (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":null}",
      GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA);
  assert_equals_int64 (ev->elapsed_ms, -1);
  gst_realtime_server_event_free (ev);
  ev = parse_ok (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":199.6}",
      GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA);
  assert_equals_int64 (ev->elapsed_ms, 200);
  gst_realtime_server_event_free (ev);

  /* only the delta is required */
  ev = parse_ok ("{\"type\":\"session.output_audio.delta\",\"delta\":\"\"}",
      GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA);
  assert_equals_uint64 (ev->audio_size, 0);
  assert_equals_int64 (ev->sample_rate, -1);
  assert_equals_int64 (ev->channels, -1);
  fail_unless (ev->audio_format == NULL);
  gst_realtime_server_event_free (ev);

  parse_fails (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":\"400\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "elapsed_ms", "number");
  parse_fails (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":-200}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "elapsed_ms", NULL);
  parse_fails (OUTPUT_AUDIO_DELTA ",\"elapsed_ms\":1e300}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "elapsed_ms", "large");
  parse_fails ("{\"type\":\"session.output_audio.delta\",\"elapsed_ms\":0}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "delta", "missing");
  parse_fails ("{\"type\":\"session.output_audio.delta\",\"delta\":\"A=A=\"}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "delta", "base64");
  parse_fails ("{\"type\":\"session.output_audio.delta\",\"delta\":\"\","
      "\"sample_rate\":\"24000\"}", GST_REALTIME_PROTOCOL_ERROR_INVALID,
      "sample_rate", NULL);
  parse_fails ("{\"type\":\"session.output_audio.delta\",\"delta\":\"\","
      "\"channels\":1.5}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "channels",
      NULL);
  parse_fails ("{\"type\":\"session.output_audio.delta\",\"delta\":\"\","
      "\"format\":16}", GST_REALTIME_PROTOCOL_ERROR_INVALID, "format",
      "string");
}

GST_END_TEST;

GST_START_TEST (test_parse_translation_text)
{
  static const struct
  {
    const gchar *name;
    GstRealtimeEventType type;
  } kinds[] = {
    {"session.output_transcript.delta",
        GST_REALTIME_EVENT_TRANSLATION_TEXT_DELTA},
    {"session.input_transcript.delta",
        GST_REALTIME_EVENT_TRANSLATION_SOURCE_DELTA},
  };
  GstRealtimeServerEvent *ev;
  gchar *json;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (kinds); i++) {
    json = g_strdup_printf ("{\"type\":\"%s\",\"event_id\":\"ev_t\","
        "\"delta\":\" Bonjour\",\"elapsed_ms\":1200}", kinds[i].name);
    ev = parse_ok (json, kinds[i].type);
    assert_equals_string (ev->text, " Bonjour");
    assert_equals_int64 (ev->elapsed_ms, 1200);
    fail_unless (ev->audio == NULL);
    gst_realtime_server_event_free (ev);
    g_free (json);

    json = g_strdup_printf ("{\"type\":\"%s\",\"delta\":\"x\"}", kinds[i].name);
    ev = parse_ok (json, kinds[i].type);
    assert_equals_int64 (ev->elapsed_ms, -1);
    gst_realtime_server_event_free (ev);
    g_free (json);

    json = g_strdup_printf ("{\"type\":\"%s\",\"elapsed_ms\":0}",
        kinds[i].name);
    parse_fails (json, GST_REALTIME_PROTOCOL_ERROR_INVALID, "delta", "missing");
    g_free (json);
    json = g_strdup_printf ("{\"type\":\"%s\",\"delta\":7}", kinds[i].name);
    parse_fails (json, GST_REALTIME_PROTOCOL_ERROR_INVALID, "delta", "string");
    g_free (json);
    json = g_strdup_printf ("{\"type\":\"%s\",\"delta\":\"x\","
        "\"elapsed_ms\":[0]}", kinds[i].name);
    parse_fails (json, GST_REALTIME_PROTOCOL_ERROR_INVALID, "elapsed_ms", NULL);
    g_free (json);
  }
}

GST_END_TEST;

GST_START_TEST (test_parse_translation_session)
{
  GstRealtimeServerEvent *ev;

  ev = parse_ok ("{\"type\":\"session.created\",\"event_id\":\"ev_c\","
      "\"session\":{\"type\":\"translation\",\"id\":\"sess_T\",\"model\":"
      "\"gpt-realtime-translate\",\"expires_at\":1800000000,\"audio\":"
      "{\"output\":{\"language\":\"fr\"}}}}",
      GST_REALTIME_EVENT_SESSION_CREATED);
  assert_equals_string (ev->session_id, "sess_T");
  assert_equals_int64 (ev->expires_at, 1800000000);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"session.updated\",\"event_id\":\"ev_u\","
      "\"session\":{\"type\":\"translation\",\"id\":\"sess_T\"}}",
      GST_REALTIME_EVENT_SESSION_UPDATED);
  gst_realtime_server_event_free (ev);

  ev = parse_ok ("{\"type\":\"session.closed\",\"event_id\":\"ev_x\"}",
      GST_REALTIME_EVENT_SESSION_CLOSED);
  assert_equals_string (ev->event_id, "ev_x");
  assert_no_error (ev);
  gst_realtime_server_event_free (ev);
  parse_fails ("{\"type\":\"session.closed\",\"event_id\":5}",
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "event_id", NULL);

  ev = parse_ok ("{\"type\":\"error\",\"event_id\":\"ev_e\",\"error\":"
      "{\"type\":\"invalid_request_error\",\"code\":null,\"message\":"
      "\"Unsupported audio format\",\"param\":null,\"event_id\":\"evt_ta\"}}",
      GST_REALTIME_EVENT_ERROR);
  assert_equals_string (ev->error_message, "Unsupported audio format");
  assert_equals_string (ev->error_event_id, "evt_ta");
  gst_realtime_server_event_free (ev);
}

GST_END_TEST;

static Suite *
protocol_suite (void)
{
  Suite *s = suite_create ("protocol");
  TCase *tc_build = tcase_create ("build");
  TCase *tc_schema = tcase_create ("schema");
  TCase *tc_parse = tcase_create ("parse");
  TCase *tc_translation = tcase_create ("translation");

  suite_add_tcase (s, tc_build);
  tcase_add_test (tc_build, test_session_config_defaults);
  tcase_add_test (tc_build, test_session_update_default);
  tcase_add_test (tc_build, test_session_update_variants);
  tcase_add_test (tc_build, test_session_update_ga_full);
  tcase_add_test (tc_build, test_session_update_beta_full);
  tcase_add_test (tc_build, test_session_update_transcription);
  tcase_add_test (tc_build, test_session_update_semantic_vad);
  tcase_add_test (tc_build, test_session_update_tool_choice);
  tcase_add_test (tc_build, test_session_update_escaping);
  tcase_add_test (tc_build, test_session_update_bad_threshold);
  tcase_add_test (tc_build, test_append_roundtrip);
  tcase_add_test (tc_build, test_append_escapes_event_id);
  tcase_add_test (tc_build, test_append_empty_audio);
  tcase_add_test (tc_build, test_small_events);
  tcase_add_test (tc_build, test_builder_preconditions);
  tcase_add_test (tc_build, test_response_create);
  tcase_add_test (tc_build, test_function_call_output);
  tcase_add_test (tc_build, test_prepare_client_event);
  tcase_add_test (tc_build, test_validate_tools);
  tcase_add_test (tc_build, test_validate_response_overrides);
  tcase_add_test (tc_build, test_overrides_out_of_band);
  tcase_add_test (tc_build, test_overrides_add_metadata);
  tcase_add_test (tc_build, test_session_update_transcription_settings);

  suite_add_tcase (s, tc_schema);
  tcase_add_test (tc_schema, test_client_events_validate);
  tcase_add_test (tc_schema, test_validator_rejects_invalid);

  suite_add_tcase (s, tc_parse);
  tcase_add_test (tc_parse, test_parse_session_events);
  tcase_add_test (tc_parse, test_parse_session_expires_at);
  tcase_add_test (tc_parse, test_parse_error_event);
  tcase_add_test (tc_parse, test_parse_input_buffer_events);
  tcase_add_test (tc_parse, test_parse_item_events);
  tcase_add_test (tc_parse, test_parse_input_transcription);
  tcase_add_test (tc_parse, test_parse_response_events);
  tcase_add_test (tc_parse, test_parse_output_events);
  tcase_add_test (tc_parse, test_parse_beta_aliases);
  tcase_add_test (tc_parse, test_parse_function_call_events);
  tcase_add_test (tc_parse, test_parse_transcription_failed);
  tcase_add_test (tc_parse, test_parse_item_deleted);
  tcase_add_test (tc_parse, test_parse_response_metadata_usage);
  tcase_add_test (tc_parse, test_parse_rate_limits);
  tcase_add_test (tc_parse, test_parse_audio_delta_padding);
  tcase_add_test (tc_parse, test_parse_audio_delta_invalid);
  tcase_add_test (tc_parse, test_parse_audio_delta_huge);
  tcase_add_test (tc_parse, test_append_to_delta_roundtrip);
  tcase_add_test (tc_parse, test_delta_fast_path_table);
  tcase_add_test (tc_parse, test_delta_fast_path_fields);
  tcase_add_test (tc_parse, test_delta_fast_path_truncated);
  tcase_add_test (tc_parse, test_delta_fast_path_nesting);
  tcase_add_test (tc_parse, test_delta_fast_path_base64);
  tcase_add_test (tc_parse, test_delta_fast_path_huge);
  tcase_add_test (tc_parse, test_delta_fast_path_mutations);
  tcase_add_test (tc_parse, test_parse_unknown);
  tcase_add_test (tc_parse, test_parse_extra_fields);
  tcase_add_test (tc_parse, test_parse_malformed);
  tcase_add_test (tc_parse, test_parse_every_prefix_fails);
  tcase_add_test (tc_parse, test_parse_deep_nesting);
  tcase_add_test (tc_parse, test_parse_deep_nesting_huge);
  tcase_add_test (tc_parse, test_parse_not_nul_terminated);
  tcase_add_test (tc_parse, test_parse_fuzz_findings);
  tcase_add_test (tc_parse, test_parse_wrong_field_types);
  tcase_add_test (tc_parse, test_parse_mutations);
  tcase_add_test (tc_parse, test_event_free_null);
  tcase_add_test (tc_parse, test_parse_timeout_triggered);
  tcase_add_test (tc_parse, test_parse_transcription_segment);
  tcase_add_test (tc_parse, test_parse_dtmf);
  tcase_add_test (tc_parse, test_parse_mcp_events);
  tcase_add_test (tc_parse, test_parse_usage_details);
  tcase_add_test (tc_parse, test_parse_transcription_usage_languages);

  suite_add_tcase (s, tc_translation);
  tcase_add_test (tc_translation, test_translation_config_defaults);
  tcase_add_test (tc_translation, test_translation_update);
  tcase_add_test (tc_translation, test_translation_small_events);
  tcase_add_test (tc_translation, test_translation_append_roundtrip);
  tcase_add_test (tc_translation, test_translation_events_validate);
  tcase_add_test (tc_translation, test_parse_translation_audio);
  tcase_add_test (tc_translation, test_parse_translation_text);
  tcase_add_test (tc_translation, test_parse_translation_session);

  return s;
}

GST_CHECK_MAIN (protocol);
