/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Ids, JSON helpers and sending server events, named in the connection's
 * dialect: the GA names are used throughout the server and renamed here
 * for beta connections. */

#include "realtimetestserver-private.h"

#include <string.h>

gchar *
rts_new_id (RealtimeTestServer * self, const gchar * prefix)
{
  gint n = g_atomic_int_add (&self->id_counter, 1) + 1;

  return g_strdup_printf ("%s_%06d", prefix, n);
}

gboolean
rts_has_fault (RealtimeTestServer * self, RealtimeTestFault fault)
{
  return (g_atomic_int_get (&self->faults) & fault) != 0;
}

JsonObject *
rts_member_object (JsonObject * object, const gchar * name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The string member @name, or NULL when absent or not a string. */
const gchar *
rts_member_string (JsonObject * object, const gchar * name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
rts_set_string_or_null (JsonObject * object, const gchar * name,
    const gchar * value)
{
  if (value)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

JsonArray *
rts_string_array (const gchar * value)
{
  JsonArray *array = json_array_new ();

  json_array_add_string_element (array, value);
  return array;
}

gchar *
rts_object_to_json (JsonObject * object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  gchar *text = json_to_string (node, FALSE);

  json_node_unref (node);
  return text;
}

/* One piece per word, each carrying the space that follows it, so that
 * the pieces concatenate back to @text. */
gchar **
rts_split_words (const gchar * text)
{
  gchar **words = g_strsplit (text, " ", -1);
  guint i;

  for (i = 0; words[i] && words[i + 1]; i++) {
    gchar *spaced = g_strconcat (words[i], " ", NULL);

    g_free (words[i]);
    words[i] = spaced;
  }
  return words;
}

/* Words begun in the first @len bytes of @text. */
guint
rts_count_words (const gchar * text, gsize len)
{
  guint n = 0;
  gsize i;

  for (i = 0; i < len && text[i]; i++)
    n += text[i] != ' ' && (i == 0 || text[i - 1] == ' ');
  return n;
}

gboolean
rts_connection_is_open (Connection * c)
{
  return soup_websocket_connection_get_state (c->ws) ==
      SOUP_WEBSOCKET_STATE_OPEN;
}

void
rts_send_text (Connection * c, const gchar * text)
{
  /* a fault may have closed the socket in the middle of a burst */
  if (!rts_connection_is_open (c))
    return;
  rts_send_injections (c, text);
  if (!rts_connection_is_open (c))
    return;
  if (c->server->frame_func)
    c->server->frame_func (FALSE, text, g_get_monotonic_time (),
        c->server->frame_data);
  soup_websocket_connection_send_text (c->ws, text);
}

/* Beta names of the GA server events that were renamed. */
static const struct
{
  const gchar *ga;
  const gchar *beta;
} beta_prefixes[] = {
  {"response.output_audio_transcript.", "response.audio_transcript."},
  {"response.output_audio.", "response.audio."},
  {"response.output_text.", "response.text."},
  {"conversation.item.added", "conversation.item.created"},
};

static gchar *
dialect_event_type (Connection * c, const gchar * type)
{
  guint i;

  for (i = 0; c->beta && i < G_N_ELEMENTS (beta_prefixes); i++)
    if (g_str_has_prefix (type, beta_prefixes[i].ga))
      return g_strconcat (beta_prefixes[i].beta,
          type + strlen (beta_prefixes[i].ga), NULL);
  return g_strdup (type);
}

/* A new server event of GA type @type, named for the connection. */
JsonObject *
rts_new_event (Connection * c, const gchar * type)
{
  JsonObject *event = json_object_new ();
  gchar *id = rts_new_id (c->server, "event");
  gchar *name = dialect_event_type (c, type);

  json_object_set_string_member (event, "type", name);
  json_object_set_string_member (event, "event_id", id);
  g_free (name);
  g_free (id);
  return event;
}

/* Sends @event and drops it. */
void
rts_send_event (Connection * c, JsonObject * event)
{
  gchar *text = rts_object_to_json (event);

  rts_send_text (c, text);
  g_free (text);
  json_object_unref (event);
}

void
rts_send_error (Connection * c, const gchar * code, const gchar * message,
    const gchar * param, const gchar * client_event_id)
{
  JsonObject *event = rts_new_event (c, "error");
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "type", "invalid_request_error");
  rts_set_string_or_null (error, "code", code);
  json_object_set_string_member (error, "message", message);
  rts_set_string_or_null (error, "param", param);
  rts_set_string_or_null (error, "event_id", client_event_id);
  json_object_set_object_member (event, "error", error);
  rts_send_event (c, event);
}

/* The MALFORMED_FRAMES fault: junk a tolerant client must skip. */
void
rts_send_malformed_frames (Connection * c)
{
  static const guint8 binary[] = { 0x00, 0x01, 0x02, 0xff };

  rts_send_text (c, "not json {");
  rts_send_text (c, "[1,2,3]");
  rts_send_text (c, "{\"type\":\"x.unknown.event\",\"event_id\":\"e\"}");
  if (rts_connection_is_open (c))
    soup_websocket_connection_send_binary (c->ws, binary, sizeof (binary));
}

/* conversation.item.added (with @previous_item_id) or .done (without);
 * takes @item. */
JsonObject *
rts_item_event (Connection * c, const gchar * type, JsonObject * item,
    const gchar * previous_item_id)
{
  JsonObject *event = rts_new_event (c, type);

  if (g_str_equal (type, "conversation.item.added"))
    rts_set_string_or_null (event, "previous_item_id", previous_item_id);
  json_object_set_object_member (event, "item", item);
  return event;
}

/* A complete item enters the conversation: added and done in GA, created
 * in beta. Takes @item. */
void
rts_send_item_added (Connection * c, JsonObject * item)
{
  const gchar *id = rts_member_string (item, "id");

  rts_send_event (c, rts_item_event (c, "conversation.item.added",
          json_object_ref (item), c->last_item_id));
  if (!c->beta)
    rts_send_event (c, rts_item_event (c, "conversation.item.done",
            json_object_ref (item), NULL));
  g_free (c->last_item_id);
  c->last_item_id = g_strdup (id);
  rts_conversation_note_item (c, id, 0);
  json_object_unref (item);
}
