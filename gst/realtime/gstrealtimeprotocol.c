/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The Realtime protocol, GA and beta, as pure functions.
 *
 * Client events are built with JsonBuilder, except input_audio_buffer.append,
 * the hot path, which is written straight into one string with the audio
 * base64-encoded in place. session.update and response.create take the
 * dialect's shape; the other client events are the same in both.
 *
 * JSON that applications hand the element (tools, response overrides, raw
 * client events) is checked here, with errors that say what is wrong.
 *
 * Server events are parsed with JsonParser into a GstRealtimeServerEvent. A
 * table maps each known "type", GA or beta, to its enum value, the top-level
 * fields it carries and an optional function for its own fields. Unknown
 * types are not an error. A known event whose field has the wrong type, or
 * that lacks a field the element cannot do without (the delta of a delta,
 * the final text of a done event, the error of an error event), is INVALID.
 * JSON null counts as absent everywhere. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/evp.h>

#include "gstrealtimeprotocol.h"

/* *INDENT-OFF* */
G_DEFINE_QUARK (gst-realtime-protocol-error-quark, gst_realtime_protocol_error);
/* *INDENT-ON* */

#define DEFAULT_VAD_THRESHOLD 0.5
#define DEFAULT_VAD_PREFIX_PADDING_MS 300
#define DEFAULT_VAD_SILENCE_DURATION_MS 500

#define PCM16_RATE 24000

/* json-glib 1.6 recurses once per nesting level and overflows the stack on
 * deep input; real events nest less than ten levels. */
#define MAX_JSON_DEPTH 64

/* Largest input one EVP_EncodeBlock call takes: a multiple of 3 whose
 * encoding still fits in an int. */
#define BASE64_ENCODE_CHUNK (3 * (1 << 28))

/* The server's limits on response metadata */
#define MAX_METADATA_KEYS 16
#define MAX_METADATA_KEY_LENGTH 64
#define MAX_METADATA_VALUE_LENGTH 512

/* response.create's max_output_tokens */
#define MAX_OUTPUT_TOKENS 4096

void
gst_realtime_session_config_init (GstRealtimeSessionConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->dialect = GST_REALTIME_PROTOCOL_GA;
  config->session_type = GST_REALTIME_SESSION_TYPE_REALTIME;
  config->output_modality = GST_REALTIME_OUTPUT_MODALITY_AUDIO;
  config->input_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->output_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->turn_detection.type = GST_REALTIME_TURN_DETECTION_SERVER_VAD;
  config->turn_detection.threshold = DEFAULT_VAD_THRESHOLD;
  config->turn_detection.prefix_padding_ms = DEFAULT_VAD_PREFIX_PADDING_MS;
  config->turn_detection.silence_duration_ms = DEFAULT_VAD_SILENCE_DURATION_MS;
  config->turn_detection.idle_timeout_ms = 0;
  config->turn_detection.eagerness = GST_REALTIME_EAGERNESS_AUTO;
  config->turn_detection.create_response = TRUE;
  config->turn_detection.interrupt_response = TRUE;
  config->noise_reduction = GST_REALTIME_NOISE_REDUCTION_OFF;
}

/* ---------------------------------------------------------------------- */
/* JSON values                                                            */
/* ---------------------------------------------------------------------- */

static gboolean
is_set (const gchar * str)
{
  return str != NULL && str[0] != '\0';
}

/* The string @node holds, or NULL when it is absent or not a string. */
static const gchar *
node_string (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The string member @name of @object (which may be NULL), or NULL. */
static const gchar *
member_string (JsonObject * object, const gchar * name)
{
  if (object == NULL)
    return NULL;
  return node_string (json_object_get_member (object, name));
}

/* The object @node holds, or NULL when it is absent or not an object. */
static JsonObject *
node_object (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The object member @name of @object (which may be NULL), or NULL. */
static JsonObject *
member_object (JsonObject * object, const gchar * name)
{
  if (object == NULL)
    return NULL;
  return node_object (json_object_get_member (object, name));
}

static gboolean
string_in (const gchar * str, const gchar * const *strv)
{
  return str != NULL && g_strv_contains (strv, str);
}

/* A non-negative integer up to @max; integral JSON doubles (1000.0) are
 * taken too. */
static gboolean
node_to_int (JsonNode * node, gint64 max, gint64 * value)
{
  GType type;
  gint64 i;
  gdouble d;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    i = json_node_get_int (node);
  } else if (type == G_TYPE_DOUBLE) {
    d = json_node_get_double (node);
    /* (gdouble) max + 1.0 is a power of two for both gint and gint64; the
     * comparisons are false for NaN */
    if (!(d >= 0.0 && d < (gdouble) max + 1.0))
      return FALSE;
    i = (gint64) d;
    if ((gdouble) i != d)
      return FALSE;
  } else {
    return FALSE;
  }
  if (i < 0 || i > max)
    return FALSE;
  *value = i;
  return TRUE;
}

static JsonNode *
object_node (JsonObject * object)
{
  JsonNode *node = json_node_alloc ();

  return json_node_init_object (node, object);
}

static gchar *
object_to_string (JsonObject * object)
{
  JsonNode *node = object_node (object);
  gchar *json = json_to_string (node, FALSE);

  json_node_unref (node);
  return json;
}

/* ---------------------------------------------------------------------- */
/* Strict JSON                                                            */
/* ---------------------------------------------------------------------- */

static gboolean
is_bare_json_char (guchar c)
{
  static const gchar bare[] = " \t\n\r:,+-.0123456789eEtrufalsn";

  return c != '\0' && memchr (bare, c, sizeof (bare) - 1) != NULL;
}

/* Skips the rest of a string whose opening quote is before @p; returns the
 * position after its closing quote, or NULL when it is unterminated. */
static const gchar *
skip_string (const gchar * p, const gchar * end)
{
  const gchar *quote, *back;

  while ((quote = memchr (p, '"', end - p)) != NULL) {
    back = quote;
    while (back > p && back[-1] == '\\')
      back--;
    if ((quote - back) % 2 == 0)
      return quote + 1;
    p = quote + 1;
  }
  return NULL;
}

/* A linear pass before json-glib sees the data: it bounds the nesting depth
 * and rejects what is not strict JSON outside strings (json-glib 1.6 also
 * takes comments, single-quoted strings and hex numbers, which would hide
 * brackets from this count) and anything after the first value. */
static gboolean
json_is_plain (const gchar * data, gsize size)
{
  const gchar *p = data, *end = data + size;
  guint depth = 0;
  gboolean closed = FALSE;

  while (p != NULL && p < end) {
    switch (*p) {
      case '"':
        p = skip_string (p + 1, end);
        continue;
      case '{':
      case '[':
        if (closed || ++depth > MAX_JSON_DEPTH)
          return FALSE;
        break;
      case '}':
      case ']':
        if (depth == 0)
          return FALSE;
        closed = --depth == 0;
        break;
      default:
        if (!is_bare_json_char (*p))
          return FALSE;
        break;
    }
    p++;
  }
  return p != NULL && depth == 0;
}

/* ---------------------------------------------------------------------- */
/* JSON from applications                                                 */
/* ---------------------------------------------------------------------- */

/* *INDENT-OFF* */
static gboolean invalid (GError ** error, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

/* Sets an INVALID error; returns FALSE. */
static gboolean
invalid (GError ** error, const gchar * format, ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (GST_REALTIME_PROTOCOL_ERROR,
          GST_REALTIME_PROTOCOL_ERROR_INVALID, format, args));
  va_end (args);
  return FALSE;
}

/* Parses @json, which an application wrote and @what names in errors, as
 * strictly as a server event. */
static JsonNode *
parse_app_json (const gchar * json, const gchar * what, GError ** error)
{
  JsonParser *parser;
  JsonNode *root = NULL;
  GError *json_error = NULL;

  if (!json_is_plain (json, strlen (json))) {
    invalid (error, "%s: not plain JSON, or nested too deeply", what);
    return NULL;
  }
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, json, -1, &json_error))
    root = json_parser_get_root (parser);
  if (root != NULL)
    json_node_ref (root);
  else
    invalid (error, "%s: not valid JSON (%s)", what,
        json_error != NULL ? json_error->message : "empty");
  g_clear_error (&json_error);
  g_object_unref (parser);
  return root;
}

/* The same for a JSON object; the caller unrefs it. */
static JsonObject *
parse_app_object (const gchar * json, const gchar * what, GError ** error)
{
  JsonNode *root = parse_app_json (json, what, error);
  JsonObject *object = NULL;

  if (root == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (root))
    object = json_object_ref (json_node_get_object (root));
  else
    invalid (error, "%s: not a JSON object", what);
  json_node_unref (root);
  return object;
}

/* The first member of @object whose name is not in @known, or NULL. */
static const gchar *
unknown_member (JsonObject * object, const gchar * const *known)
{
  JsonObjectIter iter;
  const gchar *name;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, NULL)) {
    if (!g_strv_contains (known, name))
      return name;
  }
  return NULL;
}

/* Checks a JSON value an application handed over. */
typedef gboolean (*JsonCheck) (JsonNode * node, GError ** error);

static gboolean
validate_app_json (const gchar * json, const gchar * what, JsonCheck check,
    GError ** error)
{
  JsonNode *root;
  gboolean valid;

  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  root = parse_app_json (json, what, error);
  if (root == NULL)
    return FALSE;
  valid = check (root, error);
  json_node_unref (root);
  return valid;
}

static gboolean
validate_function_tool (JsonObject * tool, const gchar * where, GError ** error)
{
  static const gchar *const members[] = { "type", "name", "description",
    "parameters", NULL
  };
  const gchar *name = member_string (tool, "name");
  JsonNode *node;

  if (!is_set (name))
    return invalid (error, "%s: \"name\" must be a non-empty string", where);
  node = json_object_get_member (tool, "description");
  if (node != NULL && node_string (node) == NULL)
    return invalid (error, "%s: \"description\" must be a string", where);
  node = json_object_get_member (tool, "parameters");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "%s: \"parameters\" must be an object", where);
  name = unknown_member (tool, members);
  if (name != NULL)
    return invalid (error, "%s: unknown member \"%s\"", where, name);
  return TRUE;
}

/* MCP tools have many members the server checks; only what tells them
 * apart is checked here. */
static gboolean
validate_tool (JsonNode * node, const gchar * where, GError ** error)
{
  JsonObject *tool;
  const gchar *type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "%s must be an object", where);
  tool = json_node_get_object (node);
  type = member_string (tool, "type");
  if (g_strcmp0 (type, "function") == 0)
    return validate_function_tool (tool, where, error);
  if (g_strcmp0 (type, "mcp") != 0)
    return invalid (error, "%s: \"type\" must be \"function\" or \"mcp\"",
        where);
  if (!is_set (member_string (tool, "server_label")))
    return invalid (error, "%s: an mcp tool needs a \"server_label\" string",
        where);
  return TRUE;
}

/* @what names the array in errors: "tools", or where it stands. */
static gboolean
validate_tools_node (JsonNode * node, const gchar * what, GError ** error)
{
  JsonArray *tools;
  gchar *where;
  guint i, n;
  gboolean valid = TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "%s must be a JSON array", what);
  tools = json_node_get_array (node);
  n = json_array_get_length (tools);
  for (i = 0; i < n && valid; i++) {
    where = g_strdup_printf ("%s[%u]", what, i);
    valid = validate_tool (json_array_get_element (tools, i), where, error);
    g_free (where);
  }
  return valid;
}

static gboolean
check_tools (JsonNode * node, GError ** error)
{
  return validate_tools_node (node, "tools", error);
}

gboolean
gst_realtime_protocol_validate_tools (const gchar * json, GError ** error)
{
  return validate_app_json (json, "tools", check_tools, error);
}

/* Response overrides, one check per member */

static gboolean
override_invalid (GError ** error, const gchar * member, const gchar * what)
{
  return invalid (error, "response overrides: \"%s\" must be %s", member, what);
}

static gboolean
check_conversation (JsonNode * node, GError ** error)
{
  static const gchar *const values[] = { "auto", "none", NULL };

  return string_in (node_string (node), values)
      || override_invalid (error, "conversation", "\"auto\" or \"none\"");
}

static gboolean
check_instructions (JsonNode * node, GError ** error)
{
  return node_string (node) != NULL
      || override_invalid (error, "instructions", "a string");
}

static gboolean
check_metadata_entry (const gchar * key, JsonNode * value, GError ** error)
{
  const gchar *str = node_string (value);

  if (str == NULL)
    return invalid (error, "response overrides: metadata \"%s\" must be a "
        "string", key);
  if (g_utf8_strlen (key, -1) > MAX_METADATA_KEY_LENGTH)
    return invalid (error, "response overrides: metadata key \"%s\" is "
        "longer than %d characters", key, MAX_METADATA_KEY_LENGTH);
  if (g_utf8_strlen (str, -1) > MAX_METADATA_VALUE_LENGTH)
    return invalid (error, "response overrides: metadata \"%s\" is longer "
        "than %d characters", key, MAX_METADATA_VALUE_LENGTH);
  return TRUE;
}

static gboolean
check_metadata (JsonNode * node, GError ** error)
{
  JsonObjectIter iter;
  JsonObject *metadata;
  const gchar *key;
  JsonNode *value;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return override_invalid (error, "metadata", "an object of strings");
  metadata = json_node_get_object (node);
  if (json_object_get_size (metadata) > MAX_METADATA_KEYS)
    return invalid (error, "response overrides: \"metadata\" has %u keys, "
        "at most %d are allowed", json_object_get_size (metadata),
        MAX_METADATA_KEYS);
  json_object_iter_init_ordered (&iter, metadata);
  while (json_object_iter_next_ordered (&iter, &key, &value)) {
    if (!check_metadata_entry (key, value, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_output_modalities (JsonNode * node, GError ** error)
{
  static const gchar *const modalities[] = { "audio", "text", NULL };
  JsonArray *array;

  if (JSON_NODE_HOLDS_ARRAY (node)) {
    array = json_node_get_array (node);
    if (json_array_get_length (array) == 1
        && string_in (node_string (json_array_get_element (array, 0)),
            modalities))
      return TRUE;
  }
  return override_invalid (error, "output_modalities",
      "[\"audio\"] or [\"text\"]");
}

static gboolean
check_input (JsonNode * node, GError ** error)
{
  return JSON_NODE_HOLDS_ARRAY (node)
      || override_invalid (error, "input", "an array of items");
}

static gboolean
check_override_tools (JsonNode * node, GError ** error)
{
  return validate_tools_node (node, "response overrides: tools", error);
}

static const gchar *const tool_choice_keywords[] = { "auto", "none",
  "required", NULL
};

/* {"type":"function","name":...} or {"type":"mcp","server_label":...} */
static gboolean
tool_choice_object_is_valid (JsonObject * choice)
{
  const gchar *type = member_string (choice, "type");

  if (g_strcmp0 (type, "function") == 0)
    return is_set (member_string (choice, "name"));
  if (g_strcmp0 (type, "mcp") == 0)
    return is_set (member_string (choice, "server_label"));
  return FALSE;
}

static gboolean
check_tool_choice (JsonNode * node, GError ** error)
{
  if (string_in (node_string (node), tool_choice_keywords))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node)
      && tool_choice_object_is_valid (json_node_get_object (node)))
    return TRUE;
  return override_invalid (error, "tool_choice", "\"auto\", \"none\", "
      "\"required\", {\"type\":\"function\",\"name\":...} or "
      "{\"type\":\"mcp\",\"server_label\":...}");
}

static gboolean
check_max_output_tokens (JsonNode * node, GError ** error)
{
  gint64 tokens = 0;

  if (g_strcmp0 (node_string (node), "inf") == 0
      || (node_to_int (node, MAX_OUTPUT_TOKENS, &tokens) && tokens > 0))
    return TRUE;
  return invalid (error, "response overrides: \"max_output_tokens\" must "
      "be an integer from 1 to %d, or \"inf\"", MAX_OUTPUT_TOKENS);
}

static gboolean
check_audio (JsonNode * node, GError ** error)
{
  return JSON_NODE_HOLDS_OBJECT (node)
      || override_invalid (error, "audio", "an object");
}

typedef struct
{
  const gchar *name;
  JsonCheck check;
} OverrideMember;

static const OverrideMember override_members[] = {
  {"conversation", check_conversation},
  {"instructions", check_instructions},
  {"metadata", check_metadata},
  {"output_modalities", check_output_modalities},
  {"input", check_input},
  {"tools", check_override_tools},
  {"tool_choice", check_tool_choice},
  {"max_output_tokens", check_max_output_tokens},
  {"audio", check_audio},
};

static JsonCheck
find_override_check (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (override_members); i++) {
    if (strcmp (override_members[i].name, name) == 0)
      return override_members[i].check;
  }
  return NULL;
}

static gboolean
check_overrides (JsonNode * root, GError ** error)
{
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *node;
  JsonCheck check;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "response overrides: not a JSON object");
  json_object_iter_init_ordered (&iter, json_node_get_object (root));
  while (json_object_iter_next_ordered (&iter, &name, &node)) {
    check = find_override_check (name);
    if (check == NULL)
      return invalid (error, "response overrides: unknown member \"%s\"", name);
    if (!check (node, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
gst_realtime_protocol_validate_response_overrides (const gchar * json,
    GError ** error)
{
  return validate_app_json (json, "response overrides", check_overrides, error);
}

gboolean
gst_realtime_protocol_overrides_out_of_band (const gchar * json)
{
  JsonObject *overrides;
  gboolean out_of_band;

  if (!is_set (json))
    return FALSE;
  overrides = parse_app_object (json, "response overrides", NULL);
  if (overrides == NULL)
    return FALSE;
  out_of_band = g_strcmp0 (member_string (overrides, "conversation"),
      "none") == 0;
  json_object_unref (overrides);
  return out_of_band;
}

gchar *
gst_realtime_protocol_overrides_add_metadata (const gchar * overrides,
    const gchar * key, const gchar * value)
{
  JsonObject *object, *metadata;
  gchar *json;

  g_return_val_if_fail (key != NULL && g_utf8_validate (key, -1, NULL), NULL);
  g_return_val_if_fail (value != NULL
      && g_utf8_validate (value, -1, NULL), NULL);

  if (is_set (overrides))
    object = parse_app_object (overrides, "response overrides", NULL);
  else
    object = json_object_new ();
  g_return_val_if_fail (object != NULL, NULL);

  metadata = member_object (object, "metadata");
  if (metadata == NULL) {
    metadata = json_object_new ();
    json_object_set_object_member (object, "metadata", metadata);
  }
  json_object_set_string_member (metadata, key, value);
  json = object_to_string (object);
  json_object_unref (object);
  return json;
}

static gboolean
event_id_is_valid (const gchar * event_id)
{
  return event_id != NULL && g_utf8_validate (event_id, -1, NULL);
}

/* A client event needs a type; its own event_id, if any, is kept. */
static gboolean
check_client_event (JsonObject * event, const gchar * event_id, GError ** error)
{
  JsonNode *id = json_object_get_member (event, "event_id");

  if (!is_set (member_string (event, "type")))
    return invalid (error, "client event: missing the \"type\" string");
  if (id == NULL || JSON_NODE_HOLDS_NULL (id))
    json_object_set_string_member (event, "event_id", event_id);
  else if (node_string (id) == NULL)
    return invalid (error, "client event: \"event_id\" must be a string");
  return TRUE;
}

gchar *
gst_realtime_protocol_prepare_client_event (const gchar * json,
    const gchar * event_id, gchar ** used_event_id, GError ** error)
{
  JsonObject *event;
  gchar *result = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (used_event_id != NULL)
    *used_event_id = NULL;
  event = parse_app_object (json, "client event", error);
  if (event == NULL)
    return NULL;
  if (check_client_event (event, event_id, error)) {
    result = object_to_string (event);
    if (used_event_id != NULL)
      *used_event_id = g_strdup (member_string (event, "event_id"));
  }
  json_object_unref (event);
  return result;
}

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
static JsonBuilder *
event_begin (const gchar * type, const gchar * event_id)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "type", type);
  add_string (builder, "event_id", event_id);
  return builder;
}

/* Closes the event object, serialises it and frees @builder. */
static gchar *
event_end (JsonBuilder * builder)
{
  JsonNode *root;
  gchar *json;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (builder);
  return json;
}

static gchar *
build_simple_event (const gchar * type, const gchar * event_id)
{
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  return event_end (event_begin (type, event_id));
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
  json_builder_end_object (builder);
}

/* Off is the server's default, and the schemas do not allow null here:
 * leave it out. */
static void
add_noise_reduction (JsonBuilder * builder, const gchar * name,
    GstRealtimeNoiseReduction noise_reduction)
{
  if (noise_reduction == GST_REALTIME_NOISE_REDUCTION_OFF)
    return;

  begin_object (builder, name);
  add_string (builder, "type",
      noise_reduction == GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD ?
      "near_field" : "far_field");
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
      || g_strv_contains (tool_choice_keywords, choice)) {
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
    json_builder_add_value (builder, parse_app_json (config->tools, "tools",
            NULL));
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
  add_noise_reduction (builder, "noise_reduction", config->noise_reduction);
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
  add_noise_reduction (builder, "input_audio_noise_reduction",
      config->noise_reduction);
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
      && session_type <= GST_REALTIME_SESSION_TYPE_TRANSCRIPTION
      && (guint) config->output_modality <= GST_REALTIME_OUTPUT_MODALITY_TEXT
      && (guint) config->input_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && (guint) config->output_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && turn_detection_is_valid (&config->turn_detection)
      && noise_reduction <= GST_REALTIME_NOISE_REDUCTION_FAR_FIELD;
}

gchar *
gst_realtime_protocol_build_session_update (const GstRealtimeSessionConfig *
    config, const gchar * event_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (session_config_is_valid (config), NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);

  builder = event_begin ("session.update", event_id);
  begin_object (builder, "session");
  if (config->dialect == GST_REALTIME_PROTOCOL_BETA)
    add_beta_session (builder, config);
  else if (config->session_type == GST_REALTIME_SESSION_TYPE_TRANSCRIPTION)
    add_ga_transcription_session (builder, config);
  else
    add_ga_realtime_session (builder, config);
  json_builder_end_object (builder);
  return event_end (builder);
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
    response = parse_app_object (overrides, "response overrides", NULL);
    g_return_val_if_fail (response != NULL, NULL);
  }

  builder = event_begin ("response.create", event_id);
  if (response != NULL) {
    if (dialect == GST_REALTIME_PROTOCOL_BETA)
      response = beta_response (response);
    json_builder_set_member_name (builder, "response");
    json_builder_add_value (builder, object_node (response));
    json_object_unref (response);
  }
  return event_end (builder);
}

gchar *
gst_realtime_protocol_build_response_cancel (const gchar * event_id,
    const gchar * response_id)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (response_id == NULL
      || g_utf8_validate (response_id, -1, NULL), NULL);

  builder = event_begin ("response.cancel", event_id);
  if (is_set (response_id))
    add_string (builder, "response_id", response_id);
  return event_end (builder);
}

gchar *
gst_realtime_protocol_build_item_truncate (const gchar * event_id,
    const gchar * item_id, guint content_index, guint audio_end_ms)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (item_id != NULL
      && g_utf8_validate (item_id, -1, NULL), NULL);

  builder = event_begin ("conversation.item.truncate", event_id);
  add_string (builder, "item_id", item_id);
  add_int (builder, "content_index", content_index);
  add_int (builder, "audio_end_ms", audio_end_ms);
  return event_end (builder);
}

gchar *
gst_realtime_protocol_build_function_call_output (const gchar * event_id,
    const gchar * call_id, const gchar * output)
{
  JsonBuilder *builder;

  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (call_id != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  builder = event_begin ("conversation.item.create", event_id);
  begin_object (builder, "item");
  add_string (builder, "type", "function_call_output");
  add_text (builder, "call_id", call_id);
  add_text (builder, "output", output);
  json_builder_end_object (builder);
  return event_end (builder);
}

/* ---------------------------------------------------------------------- */
/* input_audio_buffer.append, written in place                            */
/* ---------------------------------------------------------------------- */

#define APPEND_PREFIX "{\"type\":\"input_audio_buffer.append\",\"event_id\":\""
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

gchar *
gst_realtime_protocol_build_append (const guint8 * audio, gsize size,
    const gchar * event_id)
{
  gsize id_len, total;
  gchar *json, *end;

  g_return_val_if_fail (audio != NULL || size == 0, NULL);
  g_return_val_if_fail (event_id_is_valid (event_id), NULL);
  g_return_val_if_fail (size <= G_MAXSIZE / 2, NULL);

  id_len = json_escaped_length (event_id);
  total = sizeof (APPEND_PREFIX) - 1 + id_len + sizeof (APPEND_MIDDLE) - 1 +
      base64_encoded_length (size) + sizeof (APPEND_SUFFIX) - 1;

  json = g_malloc (total + 1);
  end = write_literal (json, APPEND_PREFIX, sizeof (APPEND_PREFIX) - 1);
  end = json_escape_into (end, event_id);
  end = write_literal (end, APPEND_MIDDLE, sizeof (APPEND_MIDDLE) - 1);
  end = base64_encode_into (end, audio, size);
  end = write_literal (end, APPEND_SUFFIX, sizeof (APPEND_SUFFIX) - 1);
  *end = '\0';

  g_assert (end == json + total);
  return json;
}

/* ---------------------------------------------------------------------- */
/* Base64 decoding                                                        */
/* ---------------------------------------------------------------------- */

static gboolean
is_base64_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* Strict RFC 4648 base64: EVP_DecodeBlock alone takes '=' anywhere (as a
 * zero) and trims whitespace, so the text is checked first. Returns the
 * number of '=' padding characters, or -1 when @b64 is not valid. */
static gint
base64_check (const gchar * b64, gsize len)
{
  gsize i, data_len;
  gint padding = 0;

  if (len % 4 != 0 || len > G_MAXINT)
    return -1;
  if (len > 0 && b64[len - 1] == '=')
    padding = b64[len - 2] == '=' ? 2 : 1;

  data_len = len - padding;
  for (i = 0; i < data_len; i++) {
    if (!is_base64_char (b64[i]))
      return -1;
  }
  return padding;
}

/* Decodes @b64 into a new buffer; empty input gives NULL and 0. */
static gboolean
base64_decode (const gchar * b64, guint8 ** out, gsize * out_size)
{
  gsize len = strlen (b64);
  gint padding, decoded;
  guint8 *data;

  *out = NULL;
  *out_size = 0;
  padding = base64_check (b64, len);
  if (padding < 0)
    return FALSE;
  if (len == 0)
    return TRUE;

  data = g_malloc (len / 4 * 3);
  decoded = EVP_DecodeBlock (data, (const unsigned char *) b64, (int) len);
  if (decoded < padding) {
    g_free (data);
    return FALSE;
  }
  *out = data;
  *out_size = decoded - padding;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Reading fields of a server event                                       */
/* ---------------------------------------------------------------------- */

/* A JSON object being read, with its path for error messages. */
typedef struct
{
  JsonObject *object;           /* NULL when the object is absent */
  const gchar *path;            /* "" at the top, or "response." etc. */
  const gchar *event_type;
  GError **error;
} Reader;

static gboolean
field_invalid (const Reader * reader, const gchar * field, const gchar * what)
{
  g_set_error (reader->error, GST_REALTIME_PROTOCOL_ERROR,
      GST_REALTIME_PROTOCOL_ERROR_INVALID, "%s: field '%s%s' %s",
      reader->event_type, reader->path, field, what);
  return FALSE;
}

/* The member @field, or NULL when it is absent or JSON null. */
static JsonNode *
reader_member (const Reader * reader, const gchar * field)
{
  JsonNode *node;

  if (reader->object == NULL)
    return NULL;
  node = json_object_get_member (reader->object, field);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
reader_check_present (const Reader * reader, const gchar * field,
    JsonNode * node, gboolean required)
{
  if (node == NULL && required)
    return field_invalid (reader, field, "is missing");
  return TRUE;
}

/* Points @value at the string @field (NULL when absent); no copy. */
static gboolean
reader_peek_string (const Reader * reader, const gchar * field,
    gboolean required, const gchar ** value)
{
  JsonNode *node = reader_member (reader, field);

  *value = NULL;
  if (node == NULL)
    return reader_check_present (reader, field, node, required);
  *value = node_string (node);
  if (*value == NULL)
    return field_invalid (reader, field, "must be a string");
  return TRUE;
}

/* Copies the string @field into @value, replacing what was there, when it
 * is present. */
static gboolean
reader_string (const Reader * reader, const gchar * field, gboolean required,
    gchar ** value)
{
  const gchar *str;

  if (!reader_peek_string (reader, field, required, &str))
    return FALSE;
  if (str != NULL) {
    g_free (*value);
    *value = g_strdup (str);
  }
  return TRUE;
}

/* Reads the non-negative integer @field into @value when present. */
static gboolean
reader_int (const Reader * reader, const gchar * field, gint64 max,
    gint64 * value)
{
  JsonNode *node = reader_member (reader, field);

  if (node == NULL)
    return TRUE;
  if (!node_to_int (node, max, value))
    return field_invalid (reader, field, "must be a non-negative integer");
  return TRUE;
}

static gboolean
reader_int64 (const Reader * reader, const gchar * field, gint64 * value)
{
  return reader_int (reader, field, G_MAXINT64, value);
}

static gboolean
reader_index (const Reader * reader, const gchar * field, gint * value)
{
  gint64 v = *value;

  if (!reader_int (reader, field, G_MAXINT, &v))
    return FALSE;
  *value = (gint) v;
  return TRUE;
}

/* Reads the non-negative number @field into @value when present. */
static gboolean
reader_double (const Reader * reader, const gchar * field, gdouble * value)
{
  JsonNode *node = reader_member (reader, field);
  GType type;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : 0;
  if ((type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
      || !(json_node_get_double (node) >= 0.0))
    return field_invalid (reader, field, "must be a non-negative number");
  *value = json_node_get_double (node);
  return TRUE;
}

/* Points @value at the object @field, or NULL when it is absent. */
static gboolean
reader_object (const Reader * reader, const gchar * field,
    gboolean required, JsonObject ** value)
{
  JsonNode *node = reader_member (reader, field);

  *value = NULL;
  if (node == NULL)
    return reader_check_present (reader, field, node, required);
  *value = node_object (node);
  if (*value == NULL)
    return field_invalid (reader, field, "must be an object");
  return TRUE;
}

/* Sets up @child to read the object @field of @reader; @child reads nothing
 * when the object is absent. @path is the child's full path, with a
 * trailing dot. */
static gboolean
reader_child (const Reader * reader, const gchar * field, const gchar * path,
    gboolean required, Reader * child)
{
  *child = *reader;
  child->path = path;
  return reader_object (reader, field, required, &child->object);
}

/* Serialises the object @field into @value when present. */
static gboolean
reader_json_object (const Reader * reader, const gchar * field, gchar ** value)
{
  JsonObject *object;

  if (!reader_object (reader, field, FALSE, &object))
    return FALSE;
  if (object != NULL) {
    g_free (*value);
    *value = object_to_string (object);
  }
  return TRUE;
}

/* Points @value at the array @field, or NULL when it is absent. */
static gboolean
reader_array (const Reader * reader, const gchar * field, JsonArray ** value)
{
  JsonNode *node = reader_member (reader, field);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_invalid (reader, field, "must be an array");
  *value = json_node_get_array (node);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Per-event fields                                                       */
/* ---------------------------------------------------------------------- */

/* Top-level fields an event kind carries. */
typedef enum
{
  FIELD_ITEM_ID = 1 << 0,
  FIELD_PREVIOUS_ITEM_ID = 1 << 1,
  FIELD_RESPONSE_ID = 1 << 2,
  FIELD_OUTPUT_INDEX = 1 << 3,
  FIELD_CONTENT_INDEX = 1 << 4,
  FIELD_AUDIO_START_MS = 1 << 5,
  FIELD_AUDIO_END_MS = 1 << 6,
} EventFields;

/* response.output_* events */
#define FIELDS_OUTPUT (FIELD_RESPONSE_ID | FIELD_ITEM_ID | FIELD_OUTPUT_INDEX \
    | FIELD_CONTENT_INDEX)
/* conversation.item.* events that carry an item */
#define FIELDS_ITEM (FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID)
/* response.output_item.* */
#define FIELDS_OUTPUT_ITEM (FIELD_RESPONSE_ID | FIELD_OUTPUT_INDEX)

typedef gboolean (*EventParseFunc) (const Reader * reader,
    GstRealtimeServerEvent * event);

typedef struct
{
  const gchar *name;
  GstRealtimeEventType type;
  guint fields;                 /* EventFields */
  EventParseFunc parse;         /* the event's own fields, or NULL */
} EventKind;

static gboolean
read_error (const Reader * reader, gboolean required,
    GstRealtimeServerEvent * event)
{
  Reader error;

  return reader_child (reader, "error", "error.", required, &error)
      && reader_string (&error, "type", FALSE, &event->error_type)
      && reader_string (&error, "code", FALSE, &event->error_code)
      && reader_string (&error, "message", FALSE, &event->error_message)
      && reader_string (&error, "param", FALSE, &event->error_param)
      && reader_string (&error, "event_id", FALSE, &event->error_event_id);
}

static gboolean
parse_error_details (const Reader * reader, GstRealtimeServerEvent * event)
{
  return read_error (reader, TRUE, event);
}

static gboolean
parse_transcription_failed (const Reader * reader,
    GstRealtimeServerEvent * event)
{
  return read_error (reader, FALSE, event);
}

static gboolean
parse_session (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader session;

  return reader_child (reader, "session", "session.", FALSE, &session)
      && reader_string (&session, "id", FALSE, &event->session_id)
      && reader_int64 (&session, "expires_at", &event->expires_at);
}

/* item.id, when present, wins over a top-level item_id. call_id, name and
 * arguments are those of function_call items. */
static gboolean
parse_item (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader item;

  return reader_child (reader, "item", "item.", FALSE, &item)
      && reader_string (&item, "id", FALSE, &event->item_id)
      && reader_string (&item, "type", FALSE, &event->item_type)
      && reader_string (&item, "role", FALSE, &event->item_role)
      && reader_string (&item, "call_id", FALSE, &event->call_id)
      && reader_string (&item, "name", FALSE, &event->name)
      && reader_string (&item, "arguments", FALSE, &event->arguments);
}

/* Some servers (the beta) leave the name out. */
static gboolean
parse_function_call (const Reader * reader, GstRealtimeServerEvent * event)
{
  return reader_string (reader, "call_id", TRUE, &event->call_id)
      && reader_string (reader, "name", FALSE, &event->name)
      && reader_string (reader, "arguments", TRUE, &event->arguments);
}

static gboolean
parse_status_details (const Reader * response, GstRealtimeServerEvent * event)
{
  Reader details, error;

  return reader_child (response, "status_details",
      "response.status_details.", FALSE, &details)
      && reader_string (&details, "reason", FALSE, &event->status_reason)
      && reader_child (&details, "error", "response.status_details.error.",
      FALSE, &error)
      && reader_string (&error, "type", FALSE, &event->error_type)
      && reader_string (&error, "code", FALSE, &event->error_code)
      && reader_string (&error, "message", FALSE, &event->error_message);
}

static gboolean
parse_usage (const Reader * response, GstRealtimeServerEvent * event)
{
  Reader usage;

  return reader_child (response, "usage", "response.usage.", FALSE, &usage)
      && reader_int64 (&usage, "input_tokens", &event->input_tokens)
      && reader_int64 (&usage, "output_tokens", &event->output_tokens)
      && reader_int64 (&usage, "total_tokens", &event->total_tokens);
}

static gboolean
parse_response (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader response;

  return reader_child (reader, "response", "response.", FALSE, &response)
      && reader_string (&response, "id", FALSE, &event->response_id)
      && reader_string (&response, "status", FALSE, &event->status)
      && reader_string (&response, "conversation_id", FALSE,
      &event->conversation_id)
      && reader_json_object (&response, "metadata", &event->metadata)
      && parse_status_details (&response, event)
      && parse_usage (&response, event);
}

static gboolean
parse_rate_limit (const Reader * reader, JsonNode * node, guint index,
    GstRealtimeRateLimit * limit)
{
  gchar path[32];
  Reader entry = *reader;

  limit->limit = -1;
  limit->remaining = -1;
  limit->reset_seconds = -1.0;
  entry.object = node_object (node);
  if (entry.object == NULL)
    return field_invalid (reader, "rate_limits", "must hold objects");

  g_snprintf (path, sizeof (path), "rate_limits[%u].", index);
  entry.path = path;
  return reader_string (&entry, "name", FALSE, &limit->name)
      && reader_int64 (&entry, "limit", &limit->limit)
      && reader_int64 (&entry, "remaining", &limit->remaining)
      && reader_double (&entry, "reset_seconds", &limit->reset_seconds);
}

static gboolean
parse_rate_limits (const Reader * reader, GstRealtimeServerEvent * event)
{
  JsonArray *array;
  guint i, n;

  if (!reader_array (reader, "rate_limits", &array))
    return FALSE;
  n = array != NULL ? json_array_get_length (array) : 0;
  event->rate_limits = g_new0 (GstRealtimeRateLimit, n);
  event->n_rate_limits = n;
  for (i = 0; i < n; i++) {
    if (!parse_rate_limit (reader, json_array_get_element (array, i), i,
            &event->rate_limits[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_delta (const Reader * reader, GstRealtimeServerEvent * event)
{
  return reader_string (reader, "delta", TRUE, &event->text);
}

static gboolean
parse_transcript (const Reader * reader, GstRealtimeServerEvent * event)
{
  return reader_string (reader, "transcript", TRUE, &event->text);
}

static gboolean
parse_text (const Reader * reader, GstRealtimeServerEvent * event)
{
  return reader_string (reader, "text", TRUE, &event->text);
}

static gboolean
parse_audio_delta (const Reader * reader, GstRealtimeServerEvent * event)
{
  const gchar *b64;

  if (!reader_peek_string (reader, "delta", TRUE, &b64))
    return FALSE;
  if (!base64_decode (b64, &event->audio, &event->audio_size))
    return field_invalid (reader, "delta", "is not valid base64");
  return TRUE;
}

/* The deltas, most frequent, come first; each beta name follows the GA
 * name it maps to. */
static const EventKind event_kinds[] = {
  {"response.output_audio.delta", GST_REALTIME_EVENT_AUDIO_DELTA,
      FIELDS_OUTPUT, parse_audio_delta},
  {"response.audio.delta", GST_REALTIME_EVENT_AUDIO_DELTA,
      FIELDS_OUTPUT, parse_audio_delta},
  {"response.output_audio_transcript.delta",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, FIELDS_OUTPUT,
      parse_delta},
  {"response.audio_transcript.delta",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, FIELDS_OUTPUT,
      parse_delta},
  {"response.output_text.delta", GST_REALTIME_EVENT_TEXT_DELTA,
      FIELDS_OUTPUT, parse_delta},
  {"response.text.delta", GST_REALTIME_EVENT_TEXT_DELTA,
      FIELDS_OUTPUT, parse_delta},
  {"error", GST_REALTIME_EVENT_ERROR, 0, parse_error_details},
  {"session.created", GST_REALTIME_EVENT_SESSION_CREATED, 0, parse_session},
  {"transcription_session.created", GST_REALTIME_EVENT_SESSION_CREATED, 0,
      parse_session},
  {"session.updated", GST_REALTIME_EVENT_SESSION_UPDATED, 0, parse_session},
  {"transcription_session.updated", GST_REALTIME_EVENT_SESSION_UPDATED, 0,
      parse_session},
  {"input_audio_buffer.speech_started", GST_REALTIME_EVENT_SPEECH_STARTED,
      FIELD_ITEM_ID | FIELD_AUDIO_START_MS, NULL},
  {"input_audio_buffer.speech_stopped", GST_REALTIME_EVENT_SPEECH_STOPPED,
      FIELD_ITEM_ID | FIELD_AUDIO_END_MS, NULL},
  {"input_audio_buffer.committed", GST_REALTIME_EVENT_INPUT_COMMITTED,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, NULL},
  {"input_audio_buffer.cleared", GST_REALTIME_EVENT_INPUT_CLEARED, 0, NULL},
  {"conversation.item.added", GST_REALTIME_EVENT_ITEM_ADDED, FIELDS_ITEM,
      parse_item},
  /* the beta name of item.added, still listed by the GA types */
  {"conversation.item.created", GST_REALTIME_EVENT_ITEM_ADDED, FIELDS_ITEM,
      parse_item},
  {"conversation.item.done", GST_REALTIME_EVENT_ITEM_DONE, FIELDS_ITEM,
      parse_item},
  {"conversation.item.truncated", GST_REALTIME_EVENT_ITEM_TRUNCATED,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX | FIELD_AUDIO_END_MS, NULL},
  {"conversation.item.deleted", GST_REALTIME_EVENT_CONVERSATION_ITEM_DELETED,
      FIELD_ITEM_ID, NULL},
  {"conversation.item.input_audio_transcription.delta",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_delta},
  {"conversation.item.input_audio_transcription.completed",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_transcript},
  {"conversation.item.input_audio_transcription.failed",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_transcription_failed},
  {"response.created", GST_REALTIME_EVENT_RESPONSE_CREATED, 0,
      parse_response},
  {"response.done", GST_REALTIME_EVENT_RESPONSE_DONE, 0, parse_response},
  {"response.output_item.added", GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED,
      FIELDS_OUTPUT_ITEM, parse_item},
  {"response.output_item.done", GST_REALTIME_EVENT_OUTPUT_ITEM_DONE,
      FIELDS_OUTPUT_ITEM, parse_item},
  {"response.function_call_arguments.done",
        GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE,
      FIELDS_OUTPUT_ITEM | FIELD_ITEM_ID, parse_function_call},
  {"response.output_audio.done", GST_REALTIME_EVENT_AUDIO_DONE,
      FIELDS_OUTPUT, NULL},
  {"response.audio.done", GST_REALTIME_EVENT_AUDIO_DONE, FIELDS_OUTPUT, NULL},
  {"response.output_audio_transcript.done",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE, FIELDS_OUTPUT,
      parse_transcript},
  {"response.audio_transcript.done",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE, FIELDS_OUTPUT,
      parse_transcript},
  {"response.output_text.done", GST_REALTIME_EVENT_TEXT_DONE, FIELDS_OUTPUT,
      parse_text},
  {"response.text.done", GST_REALTIME_EVENT_TEXT_DONE, FIELDS_OUTPUT,
      parse_text},
  {"rate_limits.updated", GST_REALTIME_EVENT_RATE_LIMITS_UPDATED, 0,
      parse_rate_limits},
};

static const EventKind *
find_event_kind (const gchar * type_name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (event_kinds); i++) {
    if (strcmp (event_kinds[i].name, type_name) == 0)
      return &event_kinds[i];
  }
  return NULL;
}

static gboolean
parse_ids (const Reader * reader, guint fields, GstRealtimeServerEvent * event)
{
  if ((fields & FIELD_ITEM_ID)
      && !reader_string (reader, "item_id", FALSE, &event->item_id))
    return FALSE;
  if ((fields & FIELD_PREVIOUS_ITEM_ID)
      && !reader_string (reader, "previous_item_id", FALSE,
          &event->previous_item_id))
    return FALSE;
  if ((fields & FIELD_RESPONSE_ID)
      && !reader_string (reader, "response_id", FALSE, &event->response_id))
    return FALSE;
  return TRUE;
}

static gboolean
parse_positions (const Reader * reader, guint fields,
    GstRealtimeServerEvent * event)
{
  if ((fields & FIELD_OUTPUT_INDEX)
      && !reader_index (reader, "output_index", &event->output_index))
    return FALSE;
  if ((fields & FIELD_CONTENT_INDEX)
      && !reader_index (reader, "content_index", &event->content_index))
    return FALSE;
  if ((fields & FIELD_AUDIO_START_MS)
      && !reader_int64 (reader, "audio_start_ms", &event->audio_start_ms))
    return FALSE;
  if ((fields & FIELD_AUDIO_END_MS)
      && !reader_int64 (reader, "audio_end_ms", &event->audio_end_ms))
    return FALSE;
  return TRUE;
}

static gboolean
parse_known_event (const EventKind * kind, JsonObject * root,
    GstRealtimeServerEvent * event, GError ** error)
{
  Reader reader = { root, "", kind->name, error };

  event->type = kind->type;
  return reader_string (&reader, "event_id", FALSE, &event->event_id)
      && parse_ids (&reader, kind->fields, event)
      && parse_positions (&reader, kind->fields, event)
      && (kind->parse == NULL || kind->parse (&reader, event));
}

/* Unknown events are not checked: only a string event_id is kept. */
static void
parse_unknown_event (JsonObject * root, GstRealtimeServerEvent * event)
{
  event->type = GST_REALTIME_EVENT_UNKNOWN;
  event->event_id = g_strdup (member_string (root, "event_id"));
}

static GstRealtimeServerEvent *
server_event_new (const gchar * type_name)
{
  GstRealtimeServerEvent *event = g_new0 (GstRealtimeServerEvent, 1);

  event->type_name = g_strdup (type_name);
  event->expires_at = -1;
  event->output_index = -1;
  event->content_index = -1;
  event->audio_start_ms = -1;
  event->audio_end_ms = -1;
  event->input_tokens = -1;
  event->output_tokens = -1;
  event->total_tokens = -1;
  return event;
}

static void
free_rate_limits (GstRealtimeRateLimit * limits, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free (limits[i].name);
  g_free (limits);
}

void
gst_realtime_server_event_free (GstRealtimeServerEvent * event)
{
  if (event == NULL)
    return;

  g_free (event->type_name);
  g_free (event->event_id);
  g_free (event->session_id);
  g_free (event->item_id);
  g_free (event->previous_item_id);
  g_free (event->item_role);
  g_free (event->response_id);
  g_free (event->text);
  g_free (event->audio);
  g_free (event->status);
  g_free (event->status_reason);
  g_free (event->metadata);
  g_free (event->conversation_id);
  g_free (event->item_type);
  g_free (event->call_id);
  g_free (event->name);
  g_free (event->arguments);
  free_rate_limits (event->rate_limits, event->n_rate_limits);
  g_free (event->error_type);
  g_free (event->error_code);
  g_free (event->error_message);
  g_free (event->error_param);
  g_free (event->error_event_id);
  g_free (event);
}

/* ---------------------------------------------------------------------- */
/* Parsing a frame                                                        */
/* ---------------------------------------------------------------------- */

static JsonObject *
malformed (GError ** error, const gchar * what)
{
  g_set_error (error, GST_REALTIME_PROTOCOL_ERROR,
      GST_REALTIME_PROTOCOL_ERROR_MALFORMED, "malformed event: %s", what);
  return NULL;
}

/* Loads @data into @parser and returns its root object (owned by @parser). */
static JsonObject *
load_object (JsonParser * parser, const gchar * data, gsize size,
    GError ** error)
{
  GError *json_error = NULL;
  JsonNode *root;

  if (size == 0)
    return malformed (error, "empty");
  if (size > G_MAXSSIZE || !json_is_plain (data, size))
    return malformed (error, "not plain JSON, or nested too deeply");
  if (!json_parser_load_from_data (parser, data, size, &json_error)) {
    g_set_error (error, GST_REALTIME_PROTOCOL_ERROR,
        GST_REALTIME_PROTOCOL_ERROR_MALFORMED, "malformed event: %s",
        json_error->message);
    g_error_free (json_error);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, "not a JSON object");
  return json_node_get_object (root);
}

static GstRealtimeServerEvent *
parse_event (JsonObject * root, GError ** error)
{
  const gchar *type_name = member_string (root, "type");
  const EventKind *kind;
  GstRealtimeServerEvent *event;

  if (type_name == NULL) {
    malformed (error, "no string \"type\"");
    return NULL;
  }

  event = server_event_new (type_name);
  kind = find_event_kind (type_name);
  if (kind == NULL) {
    parse_unknown_event (root, event);
  } else if (!parse_known_event (kind, root, event, error)) {
    gst_realtime_server_event_free (event);
    return NULL;
  }
  return event;
}

GstRealtimeServerEvent *
gst_realtime_protocol_parse (const gchar * data, gsize size, GError ** error)
{
  JsonParser *parser;
  JsonObject *root;
  GstRealtimeServerEvent *event = NULL;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new_immutable ();
  root = load_object (parser, data, size, error);
  if (root != NULL)
    event = parse_event (root, error);
  g_object_unref (parser);
  return event;
}
