/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* JSON that applications hand the element (tools, response overrides, raw
 * client events) is checked here, with errors that say what is wrong;
 * response overrides are also read (out-of-band) and extended (metadata)
 * here, and raw client events given their event_id. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocolpriv.h"

/* The server's limits on response metadata */
#define MAX_METADATA_KEYS 16
#define MAX_METADATA_KEY_LENGTH 64
#define MAX_METADATA_VALUE_LENGTH 512

/* response.create's max_output_tokens */
#define MAX_OUTPUT_TOKENS 4096

static gboolean
string_in (const gchar * str, const gchar * const *strv)
{
  return str != NULL && g_strv_contains (strv, str);
}

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
JsonNode *
gst_realtime_protocol_parse_app_json (const gchar * json, const gchar * what,
    GError ** error)
{
  JsonParser *parser;
  JsonNode *root = NULL;
  GError *json_error = NULL;
  gchar *message;

  if (!gst_realtime_protocol_json_is_plain (json, strlen (json))) {
    invalid (error, "%s: not plain JSON, or nested too deeply", what);
    return NULL;
  }
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, json, -1, &json_error))
    root = json_parser_get_root (parser);
  if (root != NULL && !gst_realtime_protocol_node_is_finite (root)) {
    invalid (error, "%s: a number is too large", what);
    root = NULL;
  } else if (root != NULL) {
    json_node_ref (root);
  } else {
    /* json-glib's message can end in half a character (see
     * gstrealtimeprotocolparse.c) */
    message = g_utf8_make_valid (json_error != NULL ? json_error->message :
        "empty", -1);
    invalid (error, "%s: not valid JSON (%s)", what, message);
    g_free (message);
  }
  g_clear_error (&json_error);
  g_object_unref (parser);
  return root;
}

/* The same for a JSON object; the caller unrefs it. */
JsonObject *
gst_realtime_protocol_parse_app_object (const gchar * json, const gchar * what,
    GError ** error)
{
  JsonNode *root = gst_realtime_protocol_parse_app_json (json, what, error);
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

  root = gst_realtime_protocol_parse_app_json (json, what, error);
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

const gchar *const gst_realtime_protocol_tool_choice_keywords[] =
    { "auto", "none",
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
  if (string_in (node_string (node),
          gst_realtime_protocol_tool_choice_keywords))
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
      || (gst_realtime_protocol_node_to_int (node, MAX_OUTPUT_TOKENS, &tokens)
          && tokens > 0))
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
  overrides =
      gst_realtime_protocol_parse_app_object (json, "response overrides", NULL);
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
    object =
        gst_realtime_protocol_parse_app_object (overrides, "response overrides",
        NULL);
  else
    object = json_object_new ();
  g_return_val_if_fail (object != NULL, NULL);

  metadata = member_object (object, "metadata");
  if (metadata == NULL) {
    metadata = json_object_new ();
    json_object_set_object_member (object, "metadata", metadata);
  }
  json_object_set_string_member (metadata, key, value);
  json = gst_realtime_protocol_object_to_string (object);
  json_object_unref (object);
  return json;
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
  event = gst_realtime_protocol_parse_app_object (json, "client event", error);
  if (event == NULL)
    return NULL;
  if (check_client_event (event, event_id, error)) {
    result = gst_realtime_protocol_object_to_string (event);
    if (used_event_id != NULL)
      *used_event_id = g_strdup (member_string (event, "event_id"));
  }
  json_object_unref (event);
  return result;
}
