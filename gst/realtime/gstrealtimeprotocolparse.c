/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Server events are parsed with JsonParser into a GstRealtimeServerEvent. A
 * table maps each known "type", GA or beta, to its enum value, the
 * top-level fields it carries and an optional function for its own fields.
 * Unknown types are not an error. A known event whose field has the wrong
 * type, or that lacks a field the element cannot do without (the delta of a
 * delta, the final text of a done event, the error of an error event), is
 * INVALID. JSON null counts as absent everywhere. Audio deltas are
 * base64-decoded strictly. Most deltas do not come here but take the fast
 * path of gstrealtimeprotocoldelta.c, which must give the same. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <openssl/evp.h>

#include "gstrealtimeprotocolpriv.h"

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
  if (!gst_realtime_protocol_node_to_int (node, max, value))
    return field_invalid (reader, field, "must be a non-negative integer");
  return TRUE;
}

static gboolean
reader_int64 (const Reader * reader, const gchar * field, gint64 * value)
{
  return reader_int (reader, field, G_MAXINT64, value);
}

static gboolean
reader_required_int64 (const Reader * reader, const gchar * field,
    gint64 * value)
{
  return reader_check_present (reader, field, reader_member (reader, field),
      TRUE) && reader_int64 (reader, field, value);
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
  if (object != NULL
      && !gst_realtime_protocol_node_is_finite (reader_member (reader, field)))
    return field_invalid (reader, field, "holds a number too large");
  if (object != NULL) {
    g_free (*value);
    *value = gst_realtime_protocol_object_to_string (object);
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
 * arguments are those of function_call items; name and server_label
 * those of MCP items. */
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
      && reader_string (&item, "arguments", FALSE, &event->arguments)
      && reader_string (&item, "server_label", FALSE, &event->server_label);
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

/* Where a usage object and its details are, for error messages */
typedef struct
{
  const gchar *usage;
  const gchar *input;
  const gchar *output;
} UsagePaths;

static const UsagePaths response_usage = { "response.usage.",
  "response.usage.input_token_details.",
  "response.usage.output_token_details."
};

static const UsagePaths transcription_usage = { "usage.",
  "usage.input_token_details.", "usage.output_token_details."
};

/* The usage object under @holder: token counts and their details, or (a
 * transcription billed by duration) seconds. */
static gboolean
read_usage (const Reader * holder, const UsagePaths * paths,
    GstRealtimeServerEvent * event)
{
  Reader usage, input, output;

  return reader_child (holder, "usage", paths->usage, FALSE, &usage)
      && reader_int64 (&usage, "input_tokens", &event->input_tokens)
      && reader_int64 (&usage, "output_tokens", &event->output_tokens)
      && reader_int64 (&usage, "total_tokens", &event->total_tokens)
      && reader_double (&usage, "seconds", &event->usage_seconds)
      && reader_child (&usage, "input_token_details", paths->input, FALSE,
      &input)
      && reader_int64 (&input, "cached_tokens", &event->input_cached_tokens)
      && reader_int64 (&input, "audio_tokens", &event->input_audio_tokens)
      && reader_int64 (&input, "text_tokens", &event->input_text_tokens)
      && reader_int64 (&input, "image_tokens", &event->input_image_tokens)
      && reader_child (&usage, "output_token_details", paths->output, FALSE,
      &output)
      && reader_int64 (&output, "audio_tokens", &event->output_audio_tokens)
      && reader_int64 (&output, "text_tokens", &event->output_text_tokens);
}

static gboolean
parse_usage (const Reader * response, GstRealtimeServerEvent * event)
{
  return read_usage (response, &response_usage, event);
}

static gboolean
parse_response (const Reader * reader, GstRealtimeServerEvent * event)
{
  Reader response;

  /* without its id a response cannot be told from the one it replaces */
  return reader_child (reader, "response", "response.", TRUE, &response)
      && reader_string (&response, "id", TRUE, &event->response_id)
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
parse_language (const Reader * reader, JsonNode * node, guint index,
    gchar ** code)
{
  gchar path[32];
  Reader entry = *reader;

  entry.object = node_object (node);
  if (entry.object == NULL)
    return field_invalid (reader, "languages", "must hold objects");
  g_snprintf (path, sizeof (path), "languages[%u].", index);
  entry.path = path;
  return reader_string (&entry, "code", FALSE, code);
}

/* languages [{code}]; entries without a code are left out */
static gboolean
parse_languages (const Reader * reader, GstRealtimeServerEvent * event)
{
  JsonArray *array;
  GPtrArray *codes;
  guint i, n;
  gboolean ok = TRUE;

  if (!reader_array (reader, "languages", &array))
    return FALSE;
  if (array == NULL)
    return TRUE;
  n = json_array_get_length (array);
  codes = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < n && ok; i++) {
    gchar *code = NULL;

    ok = parse_language (reader, json_array_get_element (array, i), i, &code);
    if (code)
      g_ptr_array_add (codes, code);
  }
  g_ptr_array_add (codes, NULL);
  event->languages = (gchar **) g_ptr_array_free (codes, FALSE);
  return ok;
}

static gboolean
parse_transcription_completed (const Reader * reader,
    GstRealtimeServerEvent * event)
{
  return parse_transcript (reader, event)
      && read_usage (reader, &transcription_usage, event)
      && parse_languages (reader, event);
}

static gboolean
parse_transcription_segment (const Reader * reader,
    GstRealtimeServerEvent * event)
{
  return reader_string (reader, "text", TRUE, &event->text)
      && reader_string (reader, "id", FALSE, &event->segment_id)
      && reader_string (reader, "speaker", FALSE, &event->speaker)
      && reader_double (reader, "start", &event->segment_start)
      && reader_double (reader, "end", &event->segment_end);
}

/* without the key there is nothing to report */
static gboolean
parse_dtmf (const Reader * reader, GstRealtimeServerEvent * event)
{
  return reader_string (reader, "event", TRUE, &event->dtmf_event)
      && reader_double (reader, "received_at", &event->dtmf_received_at);
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

/* Model time in ms: the schema says any number (or null); a fraction is
 * rounded, and what would not fit in nanoseconds is refused. */
static gboolean
reader_elapsed_ms (const Reader * reader, gint64 * value)
{
  gdouble ms = -1.0;

  if (!reader_double (reader, "elapsed_ms", &ms))
    return FALSE;
  if (ms > (gdouble) (G_MAXINT64 / 1000000))
    return field_invalid (reader, "elapsed_ms", "is too large");
  if (ms >= 0.0)
    *value = (gint64) (ms + 0.5);
  return TRUE;
}

static gboolean
parse_translation_text (const Reader * reader, GstRealtimeServerEvent * event)
{
  return parse_delta (reader, event) && reader_elapsed_ms (reader,
      &event->elapsed_ms);
}

/* The format is kept, not checked: what the core does with audio it
 * cannot play is the core's decision. */
static gboolean
parse_translation_audio (const Reader * reader, GstRealtimeServerEvent * event)
{
  return parse_audio_delta (reader, event)
      && reader_elapsed_ms (reader, &event->elapsed_ms)
      && reader_int (reader, "sample_rate", G_MAXINT, &event->sample_rate)
      && reader_int (reader, "channels", G_MAXINT, &event->channels)
      && reader_string (reader, "format", FALSE, &event->audio_format);
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
  {"session.output_audio.delta", GST_REALTIME_EVENT_TRANSLATION_AUDIO_DELTA,
      0, parse_translation_audio},
  {"session.output_transcript.delta",
      GST_REALTIME_EVENT_TRANSLATION_TEXT_DELTA, 0, parse_translation_text},
  {"session.input_transcript.delta",
      GST_REALTIME_EVENT_TRANSLATION_SOURCE_DELTA, 0, parse_translation_text},
  {"error", GST_REALTIME_EVENT_ERROR, 0, parse_error_details},
  {"session.created", GST_REALTIME_EVENT_SESSION_CREATED, 0, parse_session},
  {"transcription_session.created", GST_REALTIME_EVENT_SESSION_CREATED, 0,
      parse_session},
  {"session.updated", GST_REALTIME_EVENT_SESSION_UPDATED, 0, parse_session},
  {"transcription_session.updated", GST_REALTIME_EVENT_SESSION_UPDATED, 0,
      parse_session},
  {"session.closed", GST_REALTIME_EVENT_SESSION_CLOSED, 0, NULL},
  {"input_audio_buffer.speech_started", GST_REALTIME_EVENT_SPEECH_STARTED,
      FIELD_ITEM_ID | FIELD_AUDIO_START_MS, NULL},
  {"input_audio_buffer.speech_stopped", GST_REALTIME_EVENT_SPEECH_STOPPED,
      FIELD_ITEM_ID | FIELD_AUDIO_END_MS, NULL},
  {"input_audio_buffer.committed", GST_REALTIME_EVENT_INPUT_COMMITTED,
      FIELD_ITEM_ID | FIELD_PREVIOUS_ITEM_ID, NULL},
  {"input_audio_buffer.cleared", GST_REALTIME_EVENT_INPUT_CLEARED, 0, NULL},
  /* the idle timeout fired: the server committed the silence itself */
  {"input_audio_buffer.timeout_triggered",
        GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED,
      FIELD_ITEM_ID | FIELD_AUDIO_START_MS | FIELD_AUDIO_END_MS, NULL},
  {"input_audio_buffer.dtmf_event_received", GST_REALTIME_EVENT_DTMF_RECEIVED,
      0, parse_dtmf},
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
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_transcription_completed},
  {"conversation.item.input_audio_transcription.segment",
        GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT,
      FIELD_ITEM_ID | FIELD_CONTENT_INDEX, parse_transcription_segment},
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
  {"mcp_list_tools.completed", GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED,
      FIELD_ITEM_ID, NULL},
  {"mcp_list_tools.failed", GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED,
      FIELD_ITEM_ID, NULL},
  {"response.mcp_call.completed", GST_REALTIME_EVENT_MCP_CALL_COMPLETED,
      FIELD_ITEM_ID | FIELD_OUTPUT_INDEX, NULL},
  {"response.mcp_call.failed", GST_REALTIME_EVENT_MCP_CALL_FAILED,
      FIELD_ITEM_ID | FIELD_OUTPUT_INDEX, NULL},
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
  /* a turn without its position would be put nowhere */
  if ((fields & FIELD_AUDIO_START_MS)
      && !reader_required_int64 (reader, "audio_start_ms",
          &event->audio_start_ms))
    return FALSE;
  if ((fields & FIELD_AUDIO_END_MS)
      && !reader_required_int64 (reader, "audio_end_ms", &event->audio_end_ms))
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

GstRealtimeServerEvent *
gst_realtime_protocol_event_new (const gchar * type_name)
{
  GstRealtimeServerEvent *event = g_new0 (GstRealtimeServerEvent, 1);

  event->type_name = g_strdup (type_name);
  event->expires_at = -1;
  event->output_index = -1;
  event->content_index = -1;
  event->audio_start_ms = -1;
  event->audio_end_ms = -1;
  event->elapsed_ms = -1;
  event->sample_rate = -1;
  event->channels = -1;
  event->input_tokens = -1;
  event->output_tokens = -1;
  event->total_tokens = -1;
  event->input_cached_tokens = -1;
  event->input_audio_tokens = -1;
  event->input_text_tokens = -1;
  event->input_image_tokens = -1;
  event->output_audio_tokens = -1;
  event->output_text_tokens = -1;
  event->usage_seconds = -1.0;
  event->segment_start = -1.0;
  event->segment_end = -1.0;
  event->dtmf_received_at = -1.0;
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
  g_free (event->audio_format);
  g_free (event->status);
  g_free (event->status_reason);
  g_free (event->metadata);
  g_free (event->conversation_id);
  g_free (event->item_type);
  g_free (event->call_id);
  g_free (event->name);
  g_free (event->arguments);
  g_strfreev (event->languages);
  g_free (event->segment_id);
  g_free (event->speaker);
  g_free (event->dtmf_event);
  g_free (event->server_label);
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
  gchar *message;

  if (size == 0)
    return malformed (error, "empty");
  if (size > G_MAXSSIZE || !gst_realtime_protocol_json_is_plain (data, size))
    return malformed (error, "not plain JSON, or nested too deeply");
  if (!json_parser_load_from_data (parser, data, size, &json_error)) {
    /* json-glib quotes the input cut at a byte count, which can split a
     * character; the message goes on the bus, and to language bindings */
    message = g_utf8_make_valid (json_error->message, -1);
    g_set_error (error, GST_REALTIME_PROTOCOL_ERROR,
        GST_REALTIME_PROTOCOL_ERROR_MALFORMED, "malformed event: %s", message);
    g_free (message);
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

  event = gst_realtime_protocol_event_new (type_name);
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
gst_realtime_protocol_parse_json (const gchar * data, gsize size,
    GError ** error)
{
  JsonParser *parser;
  JsonObject *root;
  GstRealtimeServerEvent *event = NULL;

  parser = json_parser_new_immutable ();
  root = load_object (parser, data, size, error);
  if (root != NULL)
    event = parse_event (root, error);
  g_object_unref (parser);
  return event;
}

/* Deltas take the fast path; what it does not take, json-glib. */
GstRealtimeServerEvent *
gst_realtime_protocol_parse (const gchar * data, gsize size, GError ** error)
{
  GstRealtimeServerEvent *event;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  event = gst_realtime_protocol_parse_delta (data, size);
  if (event != NULL)
    return event;
  return gst_realtime_protocol_parse_json (data, size, error);
}
