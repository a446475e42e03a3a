/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The GA Realtime protocol as pure functions.
 *
 * Client events are built with JsonBuilder, except input_audio_buffer.append,
 * the hot path, which is written straight into one string with the audio
 * base64-encoded in place.
 *
 * Server events are parsed with JsonParser into a GstRealtimeServerEvent. A
 * table maps each known "type" to its enum value, the top-level fields it
 * carries and an optional function for its own fields. Unknown types are not
 * an error. A known event whose field has the wrong type, or that lacks a
 * field the element cannot do without (the delta of a delta, the final text
 * of a done event, the error of an error event), is INVALID. JSON null counts
 * as absent everywhere. */

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

void
gst_realtime_session_config_init (GstRealtimeSessionConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->instructions = NULL;
  config->voice = NULL;
  config->output_modality = GST_REALTIME_OUTPUT_MODALITY_AUDIO;
  config->input_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->output_format = GST_REALTIME_AUDIO_FORMAT_PCM16;
  config->turn_detection.type = GST_REALTIME_TURN_DETECTION_SERVER_VAD;
  config->turn_detection.threshold = DEFAULT_VAD_THRESHOLD;
  config->turn_detection.prefix_padding_ms = DEFAULT_VAD_PREFIX_PADDING_MS;
  config->turn_detection.silence_duration_ms = DEFAULT_VAD_SILENCE_DURATION_MS;
  config->turn_detection.create_response = TRUE;
  config->turn_detection.interrupt_response = TRUE;
}

/* ---------------------------------------------------------------------- */
/* Client events built with JsonBuilder                                   */
/* ---------------------------------------------------------------------- */

static gboolean
is_set (const gchar * str)
{
  return str != NULL && str[0] != '\0';
}

static gboolean
event_id_is_valid (const gchar * event_id)
{
  return event_id != NULL && g_utf8_validate (event_id, -1, NULL);
}

static void
add_string (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* For user-supplied text: invalid UTF-8 would make the JSON invalid, so it
 * is repaired (U+FFFD) rather than sent as is. */
static void
add_text (JsonBuilder * builder, const gchar * name, const gchar * value)
{
  gchar *valid;

  if (g_utf8_validate (value, -1, NULL)) {
    add_string (builder, name, value);
    return;
  }
  valid = g_utf8_make_valid (value, -1);
  add_string (builder, name, valid);
  g_free (valid);
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
  JsonGenerator *generator;
  JsonNode *root;
  gchar *json;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_object_unref (generator);
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

static void
add_audio_format (JsonBuilder * builder, GstRealtimeAudioFormat format)
{
  json_builder_set_member_name (builder, "format");
  json_builder_begin_object (builder);
  switch (format) {
    case GST_REALTIME_AUDIO_FORMAT_PCMU:
      add_string (builder, "type", "audio/pcmu");
      break;
    case GST_REALTIME_AUDIO_FORMAT_PCMA:
      add_string (builder, "type", "audio/pcma");
      break;
    case GST_REALTIME_AUDIO_FORMAT_PCM16:
    default:
      add_string (builder, "type", "audio/pcm");
      add_int (builder, "rate", PCM16_RATE);
      break;
  }
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
    const GstRealtimeTurnDetectionConfig * td)
{
  add_string (builder, "type", "server_vad");
  add_double (builder, "threshold", sanitize_threshold (td->threshold));
  add_int (builder, "prefix_padding_ms", td->prefix_padding_ms);
  add_int (builder, "silence_duration_ms", td->silence_duration_ms);
}

static void
add_semantic_vad (JsonBuilder * builder)
{
  add_string (builder, "type", "semantic_vad");
  add_string (builder, "eagerness", "auto");
}

/* Always the full object (or null): partial turn_detection objects have
 * picked up odd server defaults. */
static void
add_turn_detection (JsonBuilder * builder,
    const GstRealtimeTurnDetectionConfig * td)
{
  json_builder_set_member_name (builder, "turn_detection");
  if (td->type == GST_REALTIME_TURN_DETECTION_NONE) {
    json_builder_add_null_value (builder);
    return;
  }

  json_builder_begin_object (builder);
  if (td->type == GST_REALTIME_TURN_DETECTION_SEMANTIC_VAD)
    add_semantic_vad (builder);
  else
    add_server_vad (builder, td);
  add_boolean (builder, "create_response", td->create_response);
  add_boolean (builder, "interrupt_response", td->interrupt_response);
  json_builder_end_object (builder);
}

static void
add_audio_input (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  add_audio_format (builder, config->input_format);
  add_turn_detection (builder, &config->turn_detection);
  json_builder_end_object (builder);
}

static void
add_audio_output (JsonBuilder * builder,
    const GstRealtimeSessionConfig * config)
{
  json_builder_set_member_name (builder, "output");
  json_builder_begin_object (builder);
  add_audio_format (builder, config->output_format);
  if (is_set (config->voice))
    add_text (builder, "voice", config->voice);
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

static void
add_session (JsonBuilder * builder, const GstRealtimeSessionConfig * config)
{
  json_builder_set_member_name (builder, "session");
  json_builder_begin_object (builder);
  add_string (builder, "type", "realtime");
  add_output_modalities (builder, config->output_modality);
  if (is_set (config->instructions))
    add_text (builder, "instructions", config->instructions);
  json_builder_set_member_name (builder, "audio");
  json_builder_begin_object (builder);
  add_audio_input (builder, config);
  add_audio_output (builder, config);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static gboolean
session_config_is_valid (const GstRealtimeSessionConfig * config)
{
  return (guint) config->output_modality <= GST_REALTIME_OUTPUT_MODALITY_TEXT
      && (guint) config->input_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && (guint) config->output_format <= GST_REALTIME_AUDIO_FORMAT_PCMA
      && (guint) config->turn_detection.type <=
      GST_REALTIME_TURN_DETECTION_NONE;
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
  add_session (builder, config);
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

gchar *
gst_realtime_protocol_build_response_create (const gchar * event_id)
{
  return build_simple_event ("response.create", event_id);
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
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_invalid (reader, field, "must be a string");
  *value = json_node_get_string (node);
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

/* Sets up @child to read the object @field of @reader; @child reads nothing
 * when the object is absent. @path is the child's full path, with a
 * trailing dot. */
static gboolean
reader_child (const Reader * reader, const gchar * field, const gchar * path,
    gboolean required, Reader * child)
{
  JsonNode *node = reader_member (reader, field);

  *child = *reader;
  child->object = NULL;
  child->path = path;
  if (node == NULL)
    return reader_check_present (reader, field, node, required);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_invalid (reader, field, "must be an object");
  child->object = json_node_get_object (node);
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
parse_error_details (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader error;

  return reader_child (reader, "error", "error.", TRUE, &error)
      && reader_string (&error, "type", FALSE, &event->error_type)
      && reader_string (&error, "code", FALSE, &event->error_code)
      && reader_string (&error, "message", FALSE, &event->error_message)
      && reader_string (&error, "param", FALSE, &event->error_param)
      && reader_string (&error, "event_id", FALSE, &event->error_event_id);
}

static gboolean
parse_session (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader session;

  return reader_child (reader, "session", "session.", FALSE, &session)
      && reader_string (&session, "id", FALSE, &event->session_id)
      && reader_int64 (&session, "expires_at", &event->expires_at);
}

/* item.id, when present, wins over a top-level item_id. */
static gboolean
parse_item (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader item;

  return reader_child (reader, "item", "item.", FALSE, &item)
      && reader_string (&item, "id", FALSE, &event->item_id)
      && reader_string (&item, "role", FALSE, &event->item_role);
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
parse_response (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader response;

  return reader_child (reader, "response", "response.", FALSE, &response)
      && reader_string (&response, "id", FALSE, &event->response_id)
      && reader_string (&response, "status", FALSE, &event->status)
      && parse_status_details (&response, event);
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

static const EventKind event_kinds[] = {
  {"response.output_audio.delta", GST_REALTIME_EVENT_AUDIO_DELTA,
      FIELDS_OUTPUT, parse_audio_delta},
  {"response.output_audio_transcript.delta",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, FIELDS_OUTPUT,
      parse_delta},
  {"response.output_text.delta", GST_REALTIME_EVENT_TEXT_DELTA,
      FIELDS_OUTPUT, parse_delta},
  {"error", GST_REALTIME_EVENT_ERROR, 0, parse_error_details},
  {"session.created", GST_REALTIME_EVENT_SESSION_CREATED, 0, parse_session},
  {"session.updated", GST_REALTIME_EVENT_SESSION_UPDATED, 0, parse_session},
  {"input_audio_buffer.speech_started", GST_REALTIME_EVENT_SPEECH_STARTED,
      FIELD_ITEM_ID | FIELD_AUDIO_START_MS, NULL},
  {"input_audio_buffer.speech_stopped", GST_REALTIME_EVENT_SPEECH_STOPPED,
      FIELD_ITEM_ID | FIELD_AUDIO_END_MS, NULL},
  {"input_audio_buffer.committed", GST_REALTIME_EVENT_INPUT_COMMITTED,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, NULL},
  {"input_audio_buffer.cleared", GST_REALTIME_EVENT_INPUT_CLEARED, 0, NULL},
  {"conversation.item.added", GST_REALTIME_EVENT_ITEM_ADDED,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, parse_item},
  {"conversation.item.done", GST_REALTIME_EVENT_ITEM_DONE,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, parse_item},
  /* the beta name of item.added, still listed by the GA types */
  {"conversation.item.created", GST_REALTIME_EVENT_ITEM_ADDED,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, parse_item},
  {"conversation.item.truncated", GST_REALTIME_EVENT_ITEM_TRUNCATED,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX | FIELD_AUDIO_END_MS, NULL},
  {"conversation.item.input_audio_transcription.delta",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_delta},
  {"conversation.item.input_audio_transcription.completed",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_transcript},
  {"response.created", GST_REALTIME_EVENT_RESPONSE_CREATED, 0,
      parse_response},
  {"response.done", GST_REALTIME_EVENT_RESPONSE_DONE, 0, parse_response},
  {"response.output_audio.done", GST_REALTIME_EVENT_AUDIO_DONE,
      FIELDS_OUTPUT, NULL},
  {"response.output_audio_transcript.done",
        GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE, FIELDS_OUTPUT,
      parse_transcript},
  {"response.output_text.done", GST_REALTIME_EVENT_TEXT_DONE, FIELDS_OUTPUT,
      parse_text},
  {"rate_limits.updated", GST_REALTIME_EVENT_RATE_LIMITS_UPDATED, 0, NULL},
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
  JsonNode *node = json_object_get_member (root, "event_id");

  event->type = GST_REALTIME_EVENT_UNKNOWN;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    event->event_id = g_strdup (json_node_get_string (node));
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
  return event;
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

static const gchar *
event_type_name (JsonObject * root)
{
  JsonNode *node = json_object_get_member (root, "type");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GstRealtimeServerEvent *
parse_event (JsonObject * root, GError ** error)
{
  const gchar *type_name = event_type_name (root);
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
