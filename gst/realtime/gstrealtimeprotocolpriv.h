/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the protocol layer's source files share: the session defaults,
 * small JSON accessors, and the helpers one file defines for the others.
 * Not installed. */

#ifndef __GST_REALTIME_PROTOCOL_PRIV_H__
#define __GST_REALTIME_PROTOCOL_PRIV_H__

#include <json-glib/json-glib.h>

#include "gstrealtimeprotocol.h"

G_BEGIN_DECLS

/* The session defaults; the threshold also replaces a NaN or infinite one */
#define DEFAULT_VAD_THRESHOLD 0.5
#define DEFAULT_VAD_PREFIX_PADDING_MS 300
#define DEFAULT_VAD_SILENCE_DURATION_MS 500

/* Small helpers more than one file uses */

static inline gboolean
is_set (const gchar * str)
{
  return str != NULL && str[0] != '\0';
}

/* The string @node holds, or NULL when it is absent or not a string. */
static inline const gchar *
node_string (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The string member @name of @object (which may be NULL), or NULL. */
static inline const gchar *
member_string (JsonObject * object, const gchar * name)
{
  if (object == NULL)
    return NULL;
  return node_string (json_object_get_member (object, name));
}

/* The object @node holds, or NULL when it is absent or not an object. */
static inline JsonObject *
node_object (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The object member @name of @object (which may be NULL), or NULL. */
static inline JsonObject *
member_object (JsonObject * object, const gchar * name)
{
  if (object == NULL)
    return NULL;
  return node_object (json_object_get_member (object, name));
}

static inline JsonNode *
object_node (JsonObject * object)
{
  JsonNode *node = json_node_alloc ();

  return json_node_init_object (node, object);
}

static inline gboolean
event_id_is_valid (const gchar * event_id)
{
  return event_id != NULL && g_utf8_validate (event_id, -1, NULL);
}

/* gstrealtimeprotocoljson.c */
G_GNUC_INTERNAL
gboolean gst_realtime_protocol_node_to_int (JsonNode * node, gint64 max,
    gint64 * value);
G_GNUC_INTERNAL
gchar *gst_realtime_protocol_node_to_string (JsonNode * node);
G_GNUC_INTERNAL
gchar *gst_realtime_protocol_object_to_string (JsonObject * object);
G_GNUC_INTERNAL
gboolean gst_realtime_protocol_node_is_finite (JsonNode * node);
G_GNUC_INTERNAL
gboolean gst_realtime_protocol_json_is_plain (const gchar * data, gsize size);

/* gstrealtimeprotocolcheck.c */
G_GNUC_INTERNAL
extern const gchar *const gst_realtime_protocol_tool_choice_keywords[];
G_GNUC_INTERNAL
JsonNode *gst_realtime_protocol_parse_app_json (const gchar * json,
    const gchar * what, GError ** error);
G_GNUC_INTERNAL
JsonObject *gst_realtime_protocol_parse_app_object (const gchar * json,
    const gchar * what, GError ** error);

/* gstrealtimeprotocolbuild.c */
/* Opens an event object with its "type" and "event_id" */
G_GNUC_INTERNAL
JsonBuilder *gst_realtime_protocol_event_begin (const gchar * type,
    const gchar * event_id);
/* Closes the event object, serialises it and frees @builder */
G_GNUC_INTERNAL
gchar *gst_realtime_protocol_event_end (JsonBuilder * builder);
/* An event of @type that carries @audio base64-encoded, written in place */
G_GNUC_INTERNAL
gchar *gst_realtime_protocol_build_audio_event (const gchar * type,
    const guint8 * audio, gsize size, const gchar * event_id);

/* gstrealtimeprotocolparse.c */
/* A new event named @type_name, every field at its default */
G_GNUC_INTERNAL
GstRealtimeServerEvent *gst_realtime_protocol_event_new (const gchar *
    type_name);
/* The json-glib parser, which takes every event (the slow path) */
G_GNUC_INTERNAL
GstRealtimeServerEvent *gst_realtime_protocol_parse_json (const gchar * data,
    gsize size, GError ** error);

/* gstrealtimeprotocoldelta.c */
/* The fast path: an audio, transcript or text delta event, or NULL for any
 * frame it does not take, which the slow path then parses with the same
 * result. */
G_GNUC_INTERNAL
GstRealtimeServerEvent *gst_realtime_protocol_parse_delta (const gchar *
    data, gsize size);

G_END_DECLS

#endif /* __GST_REALTIME_PROTOCOL_PRIV_H__ */
