/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core's decisions about what the server reports: the
 * classes of its errors, the limit on warnings, the MCP tools' results. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimecorepriv.h"

/* Items are remembered between their item event and their result, which
 * names the item only; a server that never sends results cannot make the
 * table grow without end. */
#define MAX_MCP_ITEMS 64

enum
{
  MCP_LABEL,
  MCP_NAME,
  MCP_FIELDS
};

/* ------------------------------------------------------------------ */
/* Warnings about what the server sent */

static void
report_held_back (GstRealtimeCore * core)
{
  guint held_back = gst_realtime_warn_limit_take_held_back (&core->warnings);

  if (held_back > 0)
    gst_realtime_core_add_action (core,
        GST_REALTIME_ACTION_REPORT_HELD_BACK)->count = held_back;
}

guint
gst_realtime_core_take_held_back (GstRealtimeCore * core)
{
  return gst_realtime_warn_limit_take_held_back (&core->warnings);
}

/* A storm of bad messages would bury the bus: past a burst, warnings are
 * counted, and the count is reported when the window ends. */
gboolean
gst_realtime_core_admit_warning (GstRealtimeCore * core, gint64 now_us)
{
  GstRealtimeWarnLimit *limit = &core->warnings;

  if (gst_realtime_warn_limit_admit (limit, now_us)) {
    /* a window passed with no timer to report it */
    report_held_back (core);
    return TRUE;
  }
  if (limit->held_back == 1)
    gst_realtime_core_add_action (core,
        GST_REALTIME_ACTION_REPORT_LATER)->delay_ms =
        (limit->window_end - now_us) / G_TIME_SPAN_MILLISECOND + 1;
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Errors */

/* OpenAI answers a key it did not find (say, in the api-key header) with
 * code null, "Missing bearer or basic authentication in header", and
 * close 3000. */
static gboolean
error_is_auth (const GstRealtimeServerEvent * event)
{
  gchar *lower;
  gboolean auth;

  if (event->error_code || !event->error_message)
    return g_strcmp0 (event->error_code, "invalid_api_key") == 0;
  lower = g_ascii_strdown (event->error_message, -1);
  auth = strstr (lower, "authenticat") || strstr (lower, "authoriz")
      || strstr (lower, "api key");
  g_free (lower);
  return auth;
}

/* The GA service's answer to a beta-shaped session, before close 4000. */
static gboolean
error_is_beta_disabled (const GstRealtimeServerEvent * event)
{
  return g_strcmp0 (event->error_code, "beta_api_shape_disabled") == 0;
}

/* Returns whether @event is fatal, and which problem it is. */
static gboolean
classify_fatal (GstRealtimeCore * core, const GstRealtimeServerEvent * event,
    GstRealtimeProblem * kind)
{
  *kind = GST_REALTIME_PROBLEM_SESSION_CONFIG;
  if (g_strcmp0 (event->error_code, "invalid_api_key") == 0)
    *kind = GST_REALTIME_PROBLEM_KEY_REFUSED;
  else if (error_is_auth (event))
    *kind = GST_REALTIME_PROBLEM_AUTHENTICATION;
  else if (error_is_beta_disabled (event))
    *kind = GST_REALTIME_PROBLEM_BETA_DISABLED;
  else
    return (event->error_event_id &&
        g_strcmp0 (event->error_event_id, core->session_update_id) == 0)
        || (event->error_param && g_str_has_prefix (event->error_param,
            "session."))
        || g_strcmp0 (event->error_code, "insufficient_quota") == 0;
  return TRUE;
}

/* Errors that say a request came at the wrong moment, not that anything
 * is wrong: the request is retried or was moot. */
static gboolean
error_is_harmless (GstRealtimeCore * core, const GstRealtimeServerEvent * event)
{
  const gchar *code = event->error_code;
  gboolean busy =
      g_strcmp0 (code, "conversation_already_has_active_response") == 0;

  if (gst_realtime_responses_failed (core->responses, event->error_event_id,
          busy) && busy)
    return TRUE;
  if (event->error_event_id
      && g_strcmp0 (event->error_event_id, core->pending_commit_id) == 0)
    g_clear_pointer (&core->pending_commit_id, g_free);

  /* under VAD the server may have emptied the buffer first */
  return g_strcmp0 (code, "response_cancel_not_active") == 0
      || (g_strcmp0 (code, "input_audio_buffer_commit_empty") == 0
      && detects_turns (core));
}

void
gst_realtime_core_on_error (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  GstRealtimeProblem kind;

  gst_realtime_core_notice (core, GST_REALTIME_NOTICE_SERVER_ERROR);
  if (classify_fatal (core, event, &kind)) {
    gst_realtime_core_problem (core, GST_REALTIME_ACTION_FAIL, kind);
    return;
  }
  if (g_strcmp0 (event->error_code, "session_expired") == 0) {
    gst_realtime_core_add_action (core, GST_REALTIME_ACTION_EXPIRED);
    return;
  }
  if (error_is_harmless (core, event)) {
    GST_REALTIME_CORE_DEBUG (core, "harmless error %s", event->error_code);
    gst_realtime_core_send_ready_responses (core);
    return;
  }
  if (!gst_realtime_core_admit_warning (core, now_us)) {
    GST_REALTIME_CORE_DEBUG (core, "warning held back: %s", event->error_code);
    return;
  }
  gst_realtime_core_problem (core, GST_REALTIME_ACTION_WARN,
      GST_REALTIME_PROBLEM_SERVER_ERROR);
  gst_realtime_core_send_ready_responses (core);
}

/* ------------------------------------------------------------------ */
/* MCP tools */

void
gst_realtime_core_on_mcp_item (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gchar **item;

  if (!event->item_id || !event->item_type
      || !g_str_has_prefix (event->item_type, "mcp_"))
    return;
  if (g_hash_table_size (core->mcp_items) >= MAX_MCP_ITEMS
      && !g_hash_table_contains (core->mcp_items, event->item_id))
    g_hash_table_remove_all (core->mcp_items);
  item = g_new0 (gchar *, MCP_FIELDS + 1);
  item[MCP_LABEL] = g_strdup (event->server_label ? event->server_label : "");
  item[MCP_NAME] = g_strdup (event->name ? event->name : "");
  g_hash_table_replace (core->mcp_items, g_strdup (event->item_id), item);
}

static gchar *
mcp_field (gchar ** item, guint field)
{
  return g_strdup (item && *item[field] ? item[field] : NULL);
}

static void
describe_mcp (GstRealtimeAction * action, gchar ** item, gboolean call,
    const gchar * item_id)
{
  action->call = call;
  action->item_id = g_strdup (item_id);
  action->label = mcp_field (item, MCP_LABEL);
  action->name = call ? mcp_field (item, MCP_NAME) : NULL;
}

/* A list of tools or a call is over: a notice, and a warning when it
 * failed. */
void
gst_realtime_core_on_mcp_result (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean call = event->type == GST_REALTIME_EVENT_MCP_CALL_COMPLETED
      || event->type == GST_REALTIME_EVENT_MCP_CALL_FAILED;
  gboolean failed = event->type == GST_REALTIME_EVENT_MCP_CALL_FAILED
      || event->type == GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED;
  gchar **item = event->item_id ?
      g_hash_table_lookup (core->mcp_items, event->item_id) : NULL;
  GstRealtimeAction *action =
      gst_realtime_core_notice (core, GST_REALTIME_NOTICE_MCP);

  action->failed = failed;
  describe_mcp (action, item, call, event->item_id);
  if (failed && gst_realtime_core_admit_warning (core, now_us))
    describe_mcp (gst_realtime_core_problem (core, GST_REALTIME_ACTION_WARN,
            GST_REALTIME_PROBLEM_MCP_FAILED), item, call, event->item_id);
  if (event->item_id)
    g_hash_table_remove (core->mcp_items, event->item_id);
}
