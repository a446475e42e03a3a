/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Remote MCP tools and keypad input, as the GA server reports them: a
 * session with an `mcp` tool gets its tools listed after each
 * session.update, and each in-band reply to a user turn calls the tool
 * "lookup" of the first MCP server after its messages; DTMF keys the test
 * set arrive after the first session.updated of each connection.
 * Failures are the test's choice (realtime_test_server_set_mcp_failures). */

#include "realtimetestserver-private.h"

#define MCP_TOOL "lookup"

static JsonArray *
session_tools (Connection * c)
{
  JsonNode *tools = json_object_get_member (c->session, "tools");

  return tools && JSON_NODE_HOLDS_ARRAY (tools) ?
      json_node_get_array (tools) : NULL;
}

/* The server_label of the @index-th MCP tool of the session, or NULL */
static const gchar *
mcp_label (Connection * c, guint index)
{
  JsonArray *tools = session_tools (c);
  guint i, n = tools ? json_array_get_length (tools) : 0;

  for (i = 0; i < n; i++) {
    JsonObject *tool = json_array_get_object_element (tools, i);

    if (g_strcmp0 (rts_member_string (tool, "type"), "mcp") == 0
        && index-- == 0)
      return rts_member_string (tool, "server_label");
  }
  return NULL;
}

const gchar *
rts_mcp_server_label (Connection * c)
{
  return mcp_label (c, 0);
}

static gboolean
mcp_fails (Connection * c, RealtimeTestMcpFailure failure)
{
  return (g_atomic_int_get (&c->server->mcp_failures) & failure) != 0;
}

static JsonObject *
list_tools_item (const gchar * id, const gchar * label, gboolean done)
{
  JsonObject *item = json_object_new ();
  JsonArray *tools = json_array_new ();
  JsonObject *tool = json_object_new ();

  json_object_set_string_member (tool, "name", MCP_TOOL);
  json_object_set_object_member (tool, "input_schema", json_object_new ());
  if (done)
    json_array_add_object_element (tools, tool);
  else
    json_object_unref (tool);
  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "type", "mcp_list_tools");
  json_object_set_string_member (item, "server_label", label);
  json_object_set_array_member (item, "tools", tools);
  return item;
}

static void
send_mcp_event (Connection * c, const gchar * type, const gchar * item_id)
{
  JsonObject *event = rts_new_event (c, type);

  json_object_set_string_member (event, "item_id", item_id);
  rts_send_event (c, event);
}

static void
list_tools (Connection * c, const gchar * label)
{
  gchar *id = rts_new_id (c->server, "mcpl");
  gboolean failed = mcp_fails (c, REALTIME_TEST_MCP_LIST_FAILS);

  rts_send_event (c, rts_item_event (c, "conversation.item.added",
          list_tools_item (id, label, FALSE), c->last_item_id));
  send_mcp_event (c, "mcp_list_tools.in_progress", id);
  send_mcp_event (c, failed ? "mcp_list_tools.failed" :
      "mcp_list_tools.completed", id);
  rts_send_event (c, rts_item_event (c, "conversation.item.done",
          list_tools_item (id, label, !failed), NULL));
  g_free (c->last_item_id);
  c->last_item_id = id;
}

/* GA only: the beta has no MCP tools. */
void
rts_list_mcp_tools (Connection * c)
{
  const gchar *label;
  guint i;

  for (i = 0; !c->beta && (label = mcp_label (c, i)); i++)
    list_tools (c, label);
}

static JsonObject *
mcp_call_item (const gchar * id, const gchar * label, gboolean done,
    gboolean failed)
{
  JsonObject *item = json_object_new ();

  json_object_set_string_member (item, "id", id);
  json_object_set_string_member (item, "type", "mcp_call");
  json_object_set_string_member (item, "server_label", label);
  json_object_set_string_member (item, "name", MCP_TOOL);
  json_object_set_string_member (item, "arguments", done ? "{}" : "");
  if (done && failed) {
    JsonObject *error = json_object_new ();

    json_object_set_string_member (error, "type", "tool_execution_error");
    json_object_set_string_member (error, "message", "lookup failed");
    json_object_set_object_member (item, "error", error);
  } else if (done) {
    json_object_set_string_member (item, "output", "found");
  }
  return item;
}

static void
add_call_event (Response * r, const gchar * type, const gchar * item_id,
    guint output_index)
{
  JsonObject *event = rts_new_event (r->c, type);

  json_object_set_string_member (event, "item_id", item_id);
  json_object_set_int_member (event, "output_index", output_index);
  rts_response_add (r, event, FALSE);
}

/* The call follows the messages, as the last output item. */
void
rts_build_mcp_call (Response * r, const gchar * label)
{
  guint index = r->messages->len;
  gchar *id = rts_new_id (r->c->server, "mcp");
  gboolean failed = mcp_fails (r->c, REALTIME_TEST_MCP_CALL_FAILS);
  JsonObject *args;

  rts_response_add (r, rts_output_item_event (r, "response.output_item.added",
          mcp_call_item (id, label, FALSE, FALSE), index), FALSE);
  rts_add_conversation_item (r, mcp_call_item (id, label, FALSE, FALSE),
      TRUE);
  args = rts_output_event (r, "response.mcp_call_arguments.done", index);
  json_object_set_string_member (args, "item_id", id);
  json_object_set_string_member (args, "arguments", "{}");
  rts_response_add (r, args, FALSE);
  add_call_event (r, "response.mcp_call.in_progress", id, index);
  add_call_event (r, failed ? "response.mcp_call.failed" :
      "response.mcp_call.completed", id, index);
  rts_response_add (r, rts_output_item_event (r, "response.output_item.done",
          mcp_call_item (id, label, TRUE, failed), index), FALSE);
  rts_add_conversation_item (r, mcp_call_item (id, label, TRUE, failed),
      FALSE);
  g_free (id);
}

/* Once a connection, after its first session.updated; keypad input
 * carries no event_id in the GA types. */
void
rts_send_dtmf_keys (Connection * c)
{
  gchar *all, *keys, key[2] = { 0, };
  JsonObject *event;

  if (c->dtmf_sent)
    return;
  c->dtmf_sent = TRUE;
  g_mutex_lock (&c->server->lock);
  all = g_strdup (c->server->dtmf_keys);
  g_mutex_unlock (&c->server->lock);
  for (keys = all; keys && *keys; keys++) {
    event = rts_new_event (c, "input_audio_buffer.dtmf_event_received");
    json_object_remove_member (event, "event_id");
    key[0] = *keys;
    json_object_set_string_member (event, "event", key);
    json_object_set_double_member (event, "received_at",
        g_get_real_time () / (gdouble) G_USEC_PER_SEC);
    rts_send_event (c, event);
  }
  g_free (all);
}
