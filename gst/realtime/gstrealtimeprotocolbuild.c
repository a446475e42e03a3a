/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Client events are built with JsonBuilder, except
 * input_audio_buffer.append, the hot path, which is written straight into
 * one string with the audio base64-encoded in place. session.update and
 * response.create take the dialect's shape; the other client events are
 * the same in both. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <openssl/evp.h>

#include "gstrealtimeprotocolpriv.h"

#define PCM16_RATE 24000

/* Largest input one EVP_EncodeBlock call takes: a multiple of 3 whose
 * encoding still fits in an int. */
#define BASE64_ENCODE_CHUNK (3 * (1 << 28))

/* ---------------------------------------------------------------------- */
/* Client events built with JsonBuilder                                   */
/* ---------------------------------------------------------------------- */

static void
add_string (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* For user-supplied text: invalid UTF-8 would make the JSON invalid, so it
 * is repaired (U+FFFD) rather than sent as is. */
static void
add_text_value (JsonBuilder * builder, const gchar * value)
{
  gchar *valid;

  if (g_utf8_validate (value, -1, NULL)) {
    json_builder_add_string_value (builder, value);
    return;
  }
  valid = g_utf8_make_valid (value, -1);
  json_builder_add_string_value (builder, valid);
  g_free (valid);
}

static void
add_text (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (builder, name);
  add_text_value (builder, value);
}

static void
add_text_if_set (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  if (is_set (value))
    add_text (builder, name, value);
}

static void
add_int (JsonBuilder * builder, const gchar * name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder * builder, const gchar * name, gdouble value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_boolean (JsonBuilder * builder, const gchar * name, gboolean value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_null (JsonBuilder * builder, const gchar * name)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_null_value (builder);
}

static void
begin_object (JsonBuilder * builder, const gchar * name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
}

/* Opens the event object with its "type" and "event_id". */
JsonBuilder *
gst_realtime_protocol_event_begin (const gchar * type, const gchar * event_id)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "type", type);
  add_string (builder, "event_id", event_id);
  return builder;
}

/* Closes the event object, serialises it and frees @builder. */
gchar *
gst_realtime_protocol_event_end (JsonBuilder * builder)
{
  JsonNode *root;
  gchar *json;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = gst_realtime_protocol_node_to_string (root);
  json_node_unref (root);
  g_object_unref (builder);
  return json;
}

static gchar *
build_simple_event (const gchar * type, const gchar * event_id)
{
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  return
      gst_realtime_protocol_event_end (gst_realtime_protocol_event_begin (type,
          event_id));
}

static gboolean
dialect_is_valid (GstRealtimeProtocolVersion dialect)
{
  return dialect == GST_REALTIME_PROTOCOL_GA
      || dialect == GST_REALTIME_PROTOCOL_BETA;
}

/* Each audio format in GA (audio.*.format.type) and beta
 * (input/output_audio_format). */
static const struct
{
  const gchar *ga;
  const gchar *beta;
} audio_formats[] = {
  [GST_REALTIME_AUDIO_FORMAT_PCM16] = {"audio/pcm", "pcm16"},
  [GST_REALTIME_AUDIO_FORMAT_PCMU] = {"audio/pcmu", "g711_ulaw"},
  [GST_REALTIME_AUDIO_FORMAT_PCMA] = {"audio/pcma", "g711_alaw"},
};

static const gchar *
beta_format_name (const gchar * ga_name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (audio_formats); i++) {
    if (g_strcmp0 (audio_formats[i].ga, ga_name) == 0)
      return audio_formats[i].beta;
  }
  return NULL;
}

static void
add_audio_format (JsonBuilder * builder, GstRealtimeAudioFormat format)
{
  begin_object (builder, "format");
  add_string (builder, "type", audio_formats[format].ga);
  if (format == GST_REALTIME_AUDIO_FORMAT_PCM16)
    add_int (builder, "rate", PCM16_RATE);
  json_builder_end_object (builder);
}

/* A NaN or infinite threshold would serialise as invalid JSON. */
static gdouble
sanitize_threshold (gdouble threshold)
{
  if (!isfinite (threshold))
    return DEFAULT_VAD_THRESHOLD;
  return CLAMP (threshold, 0.0, 1.0);
}

static void
add_server_vad (JsonBuilder * builder,
    const GstRealtimeTurnDetectionConfig * td,
    GstRealtimeProtocolVersion dialect)
{
  add_string (builder, "type", "server_vad");
  add_double (builder, "threshold", sanitize_threshold (td->threshold));
  add_int (builder, "prefix_padding_ms", td->prefix_padding_ms);
  add_int (builder, "silence_duration_ms", td->silence_duration_ms);
  /* the beta has no idle timeout */
  if (td->idle_timeout_ms > 0 && dialect == GST_REALTIME_PROTOCOL_GA)
    add_int (builder, "idle_timeout_ms", td->idle_timeout_ms);
}

static const gchar *const eagerness_names[] = {
  [GST_REALTIME_EAGERNESS_AUTO] = "auto",
  [GST_REALTIME_EAGERNESS_LOW] = "low",
  [GST_REALTIME_EAGERNESS_MEDIUM] = "medium",
  [GST_REALTIME_EAGERNESS_HIGH] = "high",
};

static void
add_semantic_vad (JsonBuilder * builder,
    const GstRealtimeTurnDetectionConfig * td)
{
  add_string (builder, "type", "semantic_vad");
  add_string (builder, "eagerness", eagerness_names[td->eagerness]);
}

/* Always the full object (or null): partial turn_detection objects have
 * picked up odd server defaults. A transcription session never asks for
 * responses. */
static void
add_turn_detection (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  const GstRealtimeTurnDetectionConfig *td = &config->turn_detection;
  gboolean replies = config->session_type == GST_REALTIME_SESSION_TYPE_REALTIME;

  if (td->type == GST_REALTIME_TURN_DETECTION_NONE) {
    add_null (builder, "turn_detection");
    return;
  }

  begin_object (builder, "turn_detection");
  if (td->type == GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD)
    add_semantic_vad (builder, td);
  else
    add_server_vad (builder, td, config->dialect);
  add_boolean (builder, "create_response", replies && td->create_response);
  add_boolean (builder, "interrupt_response",
      replies && td->interrupt_response);
  json_builder_end_object (builder);
}

/* A comma-separated @list as an array of its items, trimmed; empty items
 * are left out, and so is an array that would be empty. */
static void
add_list_if_set (JsonBuilder * builder, const gchar * name,
    const gchar * list)
{
  gchar **items;
  guint i;
  gboolean begun = FALSE;

  if (!is_set (list))
    return;
  items = g_strsplit (list, ",", -1);
  for (i = 0; items[i]; i++) {
    g_strstrip (items[i]);
    if (!*items[i])
      continue;
    if (!begun) {
      json_builder_set_member_name (builder, name);
      json_builder_begin_array (builder);
      begun = TRUE;
    }
    add_text_value (builder, items[i]);
  }
  if (begun)
    json_builder_end_array (builder);
  g_strfreev (items);
}

static const gchar *const delay_names[] = {
  [GST_REALTIME_TRANSCRIPTION_DELAY_DEFAULT] = NULL,
  [GST_REALTIME_TRANSCRIPTION_DELAY_MINIMAL] = "minimal",
  [GST_REALTIME_TRANSCRIPTION_DELAY_LOW] = "low",
  [GST_REALTIME_TRANSCRIPTION_DELAY_MEDIUM] = "medium",
  [GST_REALTIME_TRANSCRIPTION_DELAY_HIGH] = "high",
  [GST_REALTIME_TRANSCRIPTION_DELAY_XHIGH] = "xhigh",
};

/* What only GA's transcription object has: the beta refuses unknown
 * members. */
static void
add_ga_transcription_settings (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  if (config->dialect != GST_REALTIME_PROTOCOL_GA)
    return;
  add_list_if_set (builder, "languages", config->transcription_languages);
  add_list_if_set (builder, "keywords", config->transcription_keywords);
  if (delay_names[config->transcription_delay])
    add_string (builder, "delay", delay_names[config->transcription_delay]);
}

/* The same object in both dialects, under @name; omitted without a model */
static void
add_transcription (JsonBuilder * builder, const gchar * name,
    const GstRealtimeSessionConfig * config)
{
  if (!is_set (config->transcription_model))
    return;

  begin_object (builder, name);
  add_text (builder, "model", config->transcription_model);
  add_text_if_set (builder, "language", config->transcription_language);
  add_text_if_set (builder, "prompt", config->transcription_prompt);
  add_ga_transcription_settings (builder, config);
  json_builder_end_object (builder);
}

/* Off is the server's default, and the schemas do not allow null here:
 * leave it out. The beta has no strength. */
static void
add_noise_reduction (JsonBuilder * builder, const gchar * name,
    const GstRealtimeSessionConfig * config)
{
  gdouble strength = config->noise_reduction_strength;

  if (config->noise_reduction == GST_REALTIME_NOISE_REDUCTION_OFF)
    return;

  begin_object (builder, name);
  add_string (builder, "type",
      config->noise_reduction == GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD ?
      "near_field" : "far_field");
  /* NaN would serialise as invalid JSON */
  if (config->dialect == GST_REALTIME_PROTOCOL_GA && strength >= 0.0)
    add_double (builder, "strength", MIN (strength, 1.0));
  json_builder_end_object (builder);
}

/* A keyword, or the name of a function: GA wants an object for that, the
 * beta types tool_choice as a plain string. */
static void
add_tool_choice (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  const gchar *choice = config->tool_choice;

  if (!is_set (choice))
    return;

  if (config->dialect == GST_REALTIME_PROTOCOL_BETA
      || g_strv_contains (gst_realtime_protocol_tool_choice_keywords, choice)) {
    add_text (builder, "tool_choice", choice);
    return;
  }
  begin_object (builder, "tool_choice");
  add_string (builder, "type", "function");
  add_text (builder, "name", choice);
  json_builder_end_object (builder);
}

/* config->tools was validated, so it parses */
static void
add_tools (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  if (is_set (config->tools)) {
    json_builder_set_member_name (builder, "tools");
    json_builder_add_value (builder,
        gst_realtime_protocol_parse_app_json (config->tools, "tools", NULL));
  }
  add_tool_choice (builder, config);
}

static void
add_ga_input (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  begin_object (builder, "input");
  add_audio_format (builder, config->input_format);
  add_turn_detection (builder, config);
  add_transcription (builder, "transcription", config);
  add_noise_reduction (builder, "noise_reduction", config);
  json_builder_end_object (builder);
}

static void
add_ga_output (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  begin_object (builder, "output");
  add_audio_format (builder, config->output_format);
  add_text_if_set (builder, "voice", config->voice);
  json_builder_end_object (builder);
}

static void
add_output_modalities (JsonBuilder * builder,
    GstRealtimeOutputModality modality)
{
  json_builder_set_member_name (builder, "output_modalities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder,
      modality == GST_REALTIME_OUTPUT_MODALITY_TEXT ? "text" : "audio");
  json_builder_end_array (builder);
}

/* A transcription session takes only audio input settings. */
static void
add_ga_transcription_session (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  add_string (builder, "type", "transcription");
  begin_object (builder, "audio");
  add_ga_input (builder, config);
  json_builder_end_object (builder);
}

static void
add_ga_realtime_session (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  add_string (builder, "type", "realtime");
  add_output_modalities (builder, config->output_modality);
  add_text_if_set (builder, "instructions", config->instructions);
  begin_object (builder, "audio");
  add_ga_input (builder, config);
  add_ga_output (builder, config);
  json_builder_end_object (builder);
  add_tools (builder, config);
}

/* The beta's modalities: Azure's preview wants "text" along with "audio". */
static JsonNode *
beta_modalities (gboolean audio)
{
  JsonArray *modalities = json_array_new ();
  JsonNode *node = json_node_alloc ();

  json_array_add_string_element (modalities, "text");
  if (audio)
    json_array_add_string_element (modalities, "audio");
  json_node_init_array (node, modalities);
  json_array_unref (modalities);
  return node;
}

/* The beta's flat session. A transcription session is sent as an ordinary
 * session that answers in text and never creates a response (the element
 * ignores responses there anyway): that works on a realtime connection,
 * where the beta's transcription_session.update needs a transcription one. */
static void
add_beta_session (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  gboolean realtime =
      config->session_type == GST_REALTIME_SESSION_TYPE_REALTIME;

  json_builder_set_member_name (builder, "modalities");
  json_builder_add_value (builder, beta_modalities (realtime
          && config->output_modality == GST_REALTIME_OUTPUT_MODALITY_AUDIO));
  add_string (builder, "input_audio_format",
      audio_formats[config->input_format].beta);
  add_turn_detection (builder, config);
  add_transcription (builder, "input_audio_transcription", config);
  add_noise_reduction (builder, "input_audio_noise_reduction", config);
  if (!realtime)
    return;

  add_text_if_set (builder, "instructions", config->instructions);
  add_text_if_set (builder, "voice", config->voice);
  add_string (builder, "output_audio_format",
      audio_formats[config->output_format].beta);
  add_tools (builder, config);
}

static gboolean
turn_detection_is_valid (const GstRealtimeTurnDetectionConfig * td)
{
  return (guint) td->type <= GST_REALTIME_TURN_DETECTION_NONE
      && (guint) td->eagerness <= GST_REALTIME_EAGERNESS_HIGH;
}

static gboolean
session_config_is_valid (const GstRealtimeSessionConfig * config)
{
  guint noise_reduction = config->noise_reduction;
  guint session_type = config->session_type;

  if (is_set (config->tools)
      && !gst_realtime_protocol_validate_tools (config->tools, NULL))
    return FALSE;
  return dialect_is_valid (config->dialect)
      && session_type <= GST_REALTIME_SESSION_TYPE_TRANSLATION
      && (guint) config->output_modality <= GST_REALTIME_OUTPUT_MODALITY_TEXT
      && (guint) config->input_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && (guint) config->output_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && turn_detection_is_valid (&config->turn_detection)
      && noise_reduction <= GST_REALTIME_NOISE_REDUCTION_FAR_FIELD
      && (guint) config->transcription_delay <=
      GST_REALTIME_TRANSCRIPTION_DELAY_XHIGH;
}

/* A translation session has its own session.update; what a session config
 * says of it is the input settings (the target language is the
 * translation core's). */
static gchar *
build_translation_session_update (const GstRealtimeSessionConfig * config,
    const gchar * event_id)
{
  GstRealtimeTranslationConfig translation;

  gst_realtime_translation_config_init (&translation);
  translation.transcription_model = config->transcription_model;
  translation.noise_reduction = config->noise_reduction;
  translation.noise_reduction_strength = config->noise_reduction_strength;
  return gst_realtime_protocol_build_translation_update (&translation,
      event_id);
}

gchar *
gst_realtime_protocol_build_session_update (const GstRealtimeSessionConfig *
    config, const gchar * event_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (session_config_is_valid (config), NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  if (config->session_type == GST_REALTIME_SESSION_TYPE_TRANSLATION)
    return build_translation_session_update (config, event_id);

  builder = gst_realtime_protocol_event_begin ("session.update", event_id);
  begin_object (builder, "session");
  if (config->dialect == GST_REALTIME_PROTOCOL_BETA)
    add_beta_session (builder, config);
  else if (config->session_type == GST_REALTIME_SESSION_TYPE_TRANSCRIPTION)
    add_ga_transcription_session (builder, config);
  else
    add_ga_realtime_session (builder, config);
  json_builder_end_object (builder);
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_commit (const gchar * event_id)
{
  return build_simple_event ("input_audio_buffer.commit", event_id);
}

gchar *
gst_realtime_protocol_build_clear (const gchar * event_id)
{
  return build_simple_event ("input_audio_buffer.clear", event_id);
}

/* GA audio {output:{format,voice}} is the beta's output_audio_format and
 * voice; a voice given as {id} has no beta form. */
static void
set_beta_audio (JsonObject * beta, JsonNode * audio)
{
  JsonObject *output = member_object (node_object (audio), "output");
  const gchar *format =
      beta_format_name (member_string (member_object (output, "format"),
          "type"));
  const gchar *voice = member_string (output, "voice");

  if (format != NULL)
    json_object_set_string_member (beta, "output_audio_format", format);
  if (voice != NULL)
    json_object_set_string_member (beta, "voice", voice);
}

/* Whether the modalities array @node asks for audio */
static gboolean
has_audio (JsonNode * node)
{
  JsonArray *modalities;
  guint i, n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  modalities = json_node_get_array (node);
  n = json_array_get_length (modalities);
  for (i = 0; i < n; i++) {
    if (g_strcmp0 (node_string (json_array_get_element (modalities, i)),
            "audio") == 0)
      return TRUE;
  }
  return FALSE;
}

/* The beta's tool_choice is a string: a function goes by its name, and it
 * has no MCP. */
static void
set_beta_tool_choice (JsonObject * beta, JsonNode * choice)
{
  const gchar *value = node_string (choice);
  JsonObject *object = node_object (choice);

  if (g_strcmp0 (member_string (object, "type"), "function") == 0)
    value = member_string (object, "name");
  if (value != NULL)
    json_object_set_string_member (beta, "tool_choice", value);
}

/* Copies the GA member @name into @beta, renamed or reshaped where the
 * beta differs. Input items pass as they are: their GA and beta shapes
 * agree on what applications send (messages with input_text or
 * input_audio, function call outputs, item references). */
static void
set_beta_member (JsonObject * beta, const gchar * name, JsonNode * node)
{
  if (strcmp (name, "output_modalities") == 0) {
    json_object_set_member (beta, "modalities",
        beta_modalities (has_audio (node)));
  } else if (strcmp (name, "max_output_tokens") == 0) {
    json_object_set_member (beta, "max_response_output_tokens",
        json_node_copy (node));
  } else if (strcmp (name, "audio") == 0) {
    set_beta_audio (beta, node);
  } else if (strcmp (name, "tool_choice") == 0) {
    set_beta_tool_choice (beta, node);
  } else {
    json_object_set_member (beta, name, json_node_copy (node));
  }
}

/* Rewrites validated GA overrides in the beta shape; takes @ga. */
static JsonObject *
beta_response (JsonObject * ga)
{
  JsonObject *beta = json_object_new ();
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, ga);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    set_beta_member (beta, name, node);
  json_object_unref (ga);
  return beta;
}

gchar *
gst_realtime_protocol_build_response_create (const gchar * event_id,
    GstRealtimeProtocolVersion dialect, const gchar * overrides)
{
  JsonObject *response = NULL;
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (dialect_is_valid (dialect), NULL);
  if (is_set (overrides)) {
    response =
        gst_realtime_protocol_parse_app_object (overrides, "response overrides",
        NULL);
    g_return_val_if_fail (response != NULL, NULL);
  }

  builder = gst_realtime_protocol_event_begin ("response.create", event_id);
  if (response != NULL) {
    if (dialect == GST_REALTIME_PROTOCOL_BETA)
      response = beta_response (response);
    json_builder_set_member_name (builder, "response");
    json_builder_add_value (builder, object_node (response));
    json_object_unref (response);
  }
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_response_cancel (const gchar * event_id,
    const gchar * response_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (response_id == NULL
      || g_utf8_validate (response_id, -1, NULL), NULL);

  builder = gst_realtime_protocol_event_begin ("response.cancel", event_id);
  if (is_set (response_id))
    add_string (builder, "response_id", response_id);
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_item_truncate (const gchar * event_id,
    const gchar * item_id, guint content_index, guint audio_end_ms)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (item_id != NULL
      && g_utf8_validate (item_id, -1, NULL), NULL);

  builder =
      gst_realtime_protocol_event_begin ("conversation.item.truncate",
      event_id);
  add_string (builder, "item_id", item_id);
  add_int (builder, "content_index", content_index);
  add_int (builder, "audio_end_ms", audio_end_ms);
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_function_call_output (const gchar * event_id,
    const gchar * call_id, const gchar * output)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (call_id != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  builder =
      gst_realtime_protocol_event_begin ("conversation.item.create", event_id);
  begin_object (builder, "item");
  add_string (builder, "type", "function_call_output");
  add_text (builder, "call_id", call_id);
  add_text (builder, "output", output);
  json_builder_end_object (builder);
  return gst_realtime_protocol_event_end (builder);
}

gchar *
gst_realtime_protocol_build_text_message (const gchar * event_id,
    GstRealtimeProtocolVersion dialect, gboolean assistant, const gchar * text)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (dialect_is_valid (dialect), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  builder =
      gst_realtime_protocol_event_begin ("conversation.item.create", event_id);
  begin_object (builder, "item");
  add_string (builder, "type", "message");
  add_string (builder, "role", assistant ? "assistant" : "user");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "type", !assistant ? "input_text" :
      dialect == GST_REALTIME_PROTOCOL_BETA ? "text" : "output_text");
  add_text (builder, "text", text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return gst_realtime_protocol_event_end (builder);
}

/* ---------------------------------------------------------------------- */
/* input_audio_buffer.append, written in place                            */
/* ---------------------------------------------------------------------- */

/* {"type":"<type>","event_id":"<id>","audio":"<base64>"} */
#define APPEND_TYPE "{\"type\":\""
#define APPEND_EVENT_ID "\",\"event_id\":\""
#define APPEND_MIDDLE "\",\"audio\":\""
#define APPEND_SUFFIX "\"}"

/* Characters of a JSON string that need an escape: '"', '\\' and controls. */
static gboolean
needs_escape (guchar c)
{
  return c == '"' || c == '\\' || c < 0x20;
}

static gsize
json_escaped_length (const gchar * str)
{
  gsize len = 0;
  guchar c;

  for (; *str != '\0'; str++) {
    c = *str;
    len += !needs_escape (c) ? 1 : c < 0x20 ? 6 : 2;
  }
  return len;
}

/* Writes @str escaped as the inside of a JSON string; returns the end. */
static gchar *
json_escape_into (gchar * out, const gchar * str)
{
  static const gchar hex[] = "0123456789abcdef";
  guchar c;

  for (; *str != '\0'; str++) {
    c = *str;
    if (!needs_escape (c)) {
      *out++ = c;
    } else if (c >= 0x20) {
      *out++ = '\\';
      *out++ = c;
    } else {
      memcpy (out, "\\u00", 4);
      out[4] = hex[c >> 4];
      out[5] = hex[c & 0xf];
      out += 6;
    }
  }
  return out;
}

static gchar *
write_literal (gchar * out, const gchar * literal, gsize len)
{
  memcpy (out, literal, len);
  return out + len;
}

static gsize
base64_encoded_length (gsize size)
{
  return (size / 3 + (size % 3 != 0)) * 4;
}

/* Encodes @size bytes of @data at @out; returns the end of the output.
 * EVP_EncodeBlock also writes a NUL after its output, which the caller's
 * next write (or terminator) overwrites. */
static gchar *
base64_encode_into (gchar * out, const guint8 * data, gsize size)
{
  gsize chunk;
  int written;

  while (size > 0) {
    chunk = MIN (size, BASE64_ENCODE_CHUNK);
    written = EVP_EncodeBlock ((unsigned char *) out, data, (int) chunk);
    out += written;
    data += chunk;
    size -= chunk;
  }
  return out;
}

/* @type is one of ours, a literal that needs no escape. */
gchar *
gst_realtime_protocol_build_audio_event (const gchar * type,
    const guint8 * audio, gsize size, const gchar * event_id)
{
  gsize type_len, id_len, total;
  gchar *json, *end;

  g_return_val_if_fail (audio != NULL || size == 0, NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (size <= G_MAXSIZE / 2, NULL);

  type_len = strlen (type);
  id_len = json_escaped_length (event_id);
  total = sizeof (APPEND_TYPE) - 1 + type_len + sizeof (APPEND_EVENT_ID) - 1
      + id_len + sizeof (APPEND_MIDDLE) - 1 + base64_encoded_length (size)
      + sizeof (APPEND_SUFFIX) - 1;

  json = g_malloc (total + 1);
  end = write_literal (json, APPEND_TYPE, sizeof (APPEND_TYPE) - 1);
  end = write_literal (end, type, type_len);
  end = write_literal (end, APPEND_EVENT_ID, sizeof (APPEND_EVENT_ID) - 1);
  end = json_escape_into (end, event_id);
  end = write_literal (end, APPEND_MIDDLE, sizeof (APPEND_MIDDLE) - 1);
  end = base64_encode_into (end, audio, size);
  end = write_literal (end, APPEND_SUFFIX, sizeof (APPEND_SUFFIX) - 1);
  *end = '\0';

  g_assert (end == json + total);
  return json;
}

gchar *
gst_realtime_protocol_build_append (const guint8 * audio, gsize size,
    const gchar * event_id)
{
  return gst_realtime_protocol_build_audio_event ("input_audio_buffer.append",
      audio, size, event_id);
}
