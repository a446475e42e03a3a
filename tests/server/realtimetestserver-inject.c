/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Frames a hostile server slips in (see realtime_test_server_inject_frame):
 * junk, floods, oversized frames, sent right before a given server event.
 * Server thread; the waiting injections sit behind the server's lock. */

#include "realtimetestserver-private.h"

#include <string.h>

void
rts_injection_free (Injection * injection)
{
  g_free (injection->before);
  g_bytes_unref (injection->data);
  g_free (injection);
}

/* @data with every @placeholder replaced by @value (unchanged when @value
 * is NULL). */
static GBytes *
replace_all (GBytes * data, const gchar * placeholder, const gchar * value)
{
  gsize size, len = strlen (placeholder);
  const gchar *text = g_bytes_get_data (data, &size);
  const gchar *end = text + size, *at;
  GString *out;

  if (value == NULL || size == 0 || !g_strstr_len (text, size, placeholder))
    return g_bytes_ref (data);
  out = g_string_sized_new (size);
  while ((at = g_strstr_len (text, end - text, placeholder))) {
    g_string_append_len (out, text, at - text);
    g_string_append (out, value);
    text = at + len;
  }
  g_string_append_len (out, text, end - text);
  return g_string_free_to_bytes (out);
}

/* The event's @field, or else the id of its @object (response.id,
 * item.id). */
static const gchar *
event_id (JsonObject * event, const gchar * field, const gchar * object)
{
  const gchar *id = rts_member_string (event, field);

  return id ? id : rts_member_string (rts_member_object (event, object), "id");
}

static void
send_injection (Connection * c, Injection * injection, JsonObject * event)
{
  SoupWebsocketDataType type = injection->binary ?
      SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT;
  GBytes *data = g_bytes_ref (injection->data);
  guint i;

  if (!injection->binary) {
    GBytes *replaced = replace_all (data, "@RESPONSE_ID@",
        event_id (event, "response_id", "response"));

    g_bytes_unref (data);
    data = replace_all (replaced, "@ITEM_ID@",
        event_id (event, "item_id", "item"));
    g_bytes_unref (replaced);
  }
  /* the socket may close in the middle of a flood */
  for (i = 0; i < injection->count && rts_connection_is_open (c); i++)
    soup_websocket_connection_send_message (c->ws, type, data);
  g_bytes_unref (data);
}

/* Sends the injections waiting for the event @event_text, which is about
 * to go out. */
void
rts_send_injections (Connection * c, const gchar * event_text)
{
  RealtimeTestServer *self = c->server;
  GQueue due = G_QUEUE_INIT;
  JsonNode *root;
  JsonObject *event;
  const gchar *type;
  Injection *injection;
  GList *l, *next;

  g_mutex_lock (&self->lock);
  if (g_queue_is_empty (&self->injections)) {
    g_mutex_unlock (&self->lock);
    return;
  }
  g_mutex_unlock (&self->lock);

  root = json_from_string (event_text, NULL);
  event = root && JSON_NODE_HOLDS_OBJECT (root) ?
      json_node_get_object (root) : NULL;
  type = rts_member_string (event, "type");

  g_mutex_lock (&self->lock);
  for (l = self->injections.head; l && type; l = next) {
    next = l->next;
    injection = l->data;
    if (g_strcmp0 (injection->before, type) != 0)
      continue;
    g_queue_push_tail (&due, injection);
    g_queue_delete_link (&self->injections, l);
  }
  g_mutex_unlock (&self->lock);

  while ((injection = g_queue_pop_head (&due))) {
    send_injection (c, injection, event);
    rts_injection_free (injection);
  }
  g_clear_pointer (&root, json_node_unref);
}
