/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core: its life, the actions it queues, the requests
 * of the application, barge-in, and which events it decides. The
 * decisions about the events are in gstrealtimecoreturns.c and
 * gstrealtimecoreerrors.c; the EOS drain, renewal and the carry-over in
 * gstrealtimecoresession.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimecorepriv.h"

/* The server refuses to commit less audio than this. */
#define MIN_COMMIT_MS 100

/* ------------------------------------------------------------------ */
/* Actions */

void
gst_realtime_action_free (GstRealtimeAction * action)
{
  g_free (action->event);
  g_free (action->item_id);
  g_free (action->label);
  g_free (action->name);
  g_free (action);
}

GstRealtimeAction *
gst_realtime_core_add_action (GstRealtimeCore * core,
    GstRealtimeActionType type)
{
  GstRealtimeAction *action = g_new0 (GstRealtimeAction, 1);

  action->type = type;
  g_queue_push_tail (&core->actions, action);
  return action;
}

GstRealtimeAction *
gst_realtime_core_poll_action (GstRealtimeCore * core)
{
  return g_queue_pop_head (&core->actions);
}

void
gst_realtime_core_send (GstRealtimeCore * core, gchar * event)
{
  gst_realtime_core_add_action (core, GST_REALTIME_ACTION_SEND)->event = event;
}

GstRealtimeAction *
gst_realtime_core_notice (GstRealtimeCore * core, GstRealtimeNotice kind)
{
  GstRealtimeAction *action =
      gst_realtime_core_add_action (core, GST_REALTIME_ACTION_NOTICE);

  action->notice = kind;
  return action;
}

void
gst_realtime_core_transcript_notice (GstRealtimeCore * core,
    GstRealtimeTextRole role, gboolean final)
{
  GstRealtimeAction *action = gst_realtime_core_notice (core,
      GST_REALTIME_NOTICE_TRANSCRIPT);

  action->role = role;
  action->final = final;
}

GstRealtimeAction *
gst_realtime_core_problem (GstRealtimeCore * core, GstRealtimeActionType type,
    GstRealtimeProblem kind)
{
  GstRealtimeAction *action = gst_realtime_core_add_action (core, type);

  action->problem = kind;
  return action;
}

/* ------------------------------------------------------------------ */
/* Life */

GstRealtimeCore *
gst_realtime_core_new (GstRealtimeTurns * turns,
    GstRealtimeTimeline * timeline, const GstRealtimeSessionConfig * config)
{
  GstRealtimeCore *core = g_new0 (GstRealtimeCore, 1);

  core->turns = turns;
  core->timeline = timeline;
  core->config = config;
  core->responses = gst_realtime_responses_new ();
  core->open_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  core->mcp_items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_strfreev);
  g_queue_init (&core->actions);
  return core;
}

void
gst_realtime_core_free (GstRealtimeCore * core)
{
  if (!core)
    return;
  g_queue_clear_full (&core->actions,
      (GDestroyNotify) gst_realtime_action_free);
  gst_realtime_responses_free (core->responses);
  g_hash_table_unref (core->open_calls);
  g_hash_table_unref (core->mcp_items);
  g_free (core->pending_commit_id);
  g_free (core->session_update_id);
  g_free (core->playing_item);
  gst_realtime_carry_over_clear (&core->carry_over);
  gst_realtime_turns_free (core->turns);
  gst_realtime_timeline_free (core->timeline);
  g_free (core);
}

GstRealtimeTurns *
gst_realtime_core_get_turns (GstRealtimeCore * core)
{
  return core->turns;
}

GstRealtimeTimeline *
gst_realtime_core_get_timeline (GstRealtimeCore * core)
{
  return core->timeline;
}

void
gst_realtime_core_set_log_func (GstRealtimeCore * core,
    GstRealtimeCoreLogFunc func, gpointer user_data)
{
  core->log_func = func;
  core->log_data = user_data;
}

/* GLib's log unless the element gave a function: the core's own tests log
 * without GStreamer, the element's lines show with GST_DEBUG. */
void
gst_realtime_core_log (GstRealtimeCore * core, GLogLevelFlags level,
    const gchar * file, const gchar * function, gint line,
    const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  if (core->log_func)
    core->log_func (level, file, function, line, format, args, core->log_data);
  else
    g_logv (G_LOG_DOMAIN, level, format, args);
  va_end (args);
}

void
gst_realtime_core_forget (GstRealtimeCore * core)
{
  gst_realtime_turns_reset (core->turns);
  gst_realtime_responses_reset (core->responses);
  g_hash_table_remove_all (core->open_calls);
  core->calls_answered = 0;
  core->vad_commits_expected = 0;
  g_clear_pointer (&core->pending_commit_id, g_free);
}

void
gst_realtime_core_lose_session (GstRealtimeCore * core)
{
  core->renew_at = 0;
  core->pace_start = 0;
  core->committed_ms = core->commit_start_ms = 0;
  g_clear_pointer (&core->playing_item, g_free);
  g_clear_pointer (&core->session_update_id, g_free);
}

void
gst_realtime_core_reset (GstRealtimeCore * core)
{
  g_queue_clear_full (&core->actions,
      (GDestroyNotify) gst_realtime_action_free);
  gst_realtime_core_lose_session (core);
  core->renewing = FALSE;
  core->file_mode = FALSE;
  core->next_event_id = 0;
  gst_realtime_warn_limit_reset (&core->warnings);
  gst_realtime_carry_over_clear (&core->carry_over);
}

/* ------------------------------------------------------------------ */
/* Requests */

gchar *
gst_realtime_core_next_event_id (GstRealtimeCore * core)
{
  return g_strdup_printf ("gstrt_%" G_GUINT64_FORMAT, ++core->next_event_id);
}

gchar *
gst_realtime_core_build_session_update (GstRealtimeCore * core)
{
  g_free (core->session_update_id);
  core->session_update_id = gst_realtime_core_next_event_id (core);
  return gst_realtime_protocol_build_session_update (core->config,
      core->session_update_id);
}

void
gst_realtime_core_commit (GstRealtimeCore * core, gboolean want_response)
{
  g_free (core->pending_commit_id);
  core->pending_commit_id = gst_realtime_core_next_event_id (core);
  core->commit_wants_response = want_response;
  core->commit_start_ms = core->committed_ms;
  core->committed_ms = gst_realtime_timeline_get_ms (core->timeline);
  gst_realtime_core_send (core,
      gst_realtime_protocol_build_commit (core->pending_commit_id));
}

void
gst_realtime_core_discard_input (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  gst_realtime_core_send (core, gst_realtime_protocol_build_clear (event_id));
  g_free (event_id);
  core->committed_ms = gst_realtime_timeline_get_ms (core->timeline);
}

/* The audio appended so far is gone: turns start after it. */
void
gst_realtime_core_clear_input (GstRealtimeCore * core)
{
  gst_realtime_core_discard_input (core);
  gst_realtime_turns_cancel_speech (core->turns);
}

static void
send_response_create (GstRealtimeCore * core, const gchar * event_id,
    const gchar * overrides)
{
  gchar *tagged = gst_realtime_protocol_overrides_add_metadata (overrides,
      GST_REALTIME_REQUEST_TAG, event_id);

  gst_realtime_core_send (core,
      gst_realtime_protocol_build_response_create (event_id,
          core->config->dialect, tagged));
  g_free (tagged);
}

/* Sends the queued in-band requests the conversation can take now. */
void
gst_realtime_core_send_ready_responses (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);
  gchar *overrides;

  if (!gst_realtime_responses_take_ready (core->responses, event_id,
          &overrides)) {
    /* the id was not used */
    core->next_event_id--;
    g_free (event_id);
    return;
  }
  send_response_create (core, event_id, overrides);
  g_free (overrides);
  g_free (event_id);
}

void
gst_realtime_core_request_response (GstRealtimeCore * core,
    const gchar * overrides)
{
  gst_realtime_responses_queue (core->responses, overrides);
  gst_realtime_core_send_ready_responses (core);
}

/* Out-of-band requests run beside the conversation's: sent at once. */
void
gst_realtime_core_request_out_of_band (GstRealtimeCore * core,
    const gchar * overrides)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  gst_realtime_responses_add_out_of_band (core->responses, event_id);
  send_response_create (core, event_id, overrides);
  g_free (event_id);
}

void
gst_realtime_core_cancel_response (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  gst_realtime_core_send (core,
      gst_realtime_protocol_build_response_cancel (event_id,
          gst_realtime_responses_get_active (core->responses)));
  g_free (event_id);
}

/* Once every call of a finished response has its output, the model goes
 * on with a new response. */
void
gst_realtime_core_follow_up_calls (GstRealtimeCore * core)
{
  if (core->calls_answered == 0 || g_hash_table_size (core->open_calls) > 0
      || gst_realtime_responses_get_active (core->responses))
    return;
  core->calls_answered = 0;
  gst_realtime_responses_queue_follow_up (core->responses);
  gst_realtime_core_send_ready_responses (core);
}

gboolean
gst_realtime_core_function_call_output (GstRealtimeCore * core,
    const gchar * call_id, const gchar * output)
{
  gboolean known = g_hash_table_remove (core->open_calls, call_id);
  gchar *event_id = gst_realtime_core_next_event_id (core);

  gst_realtime_core_send (core,
      gst_realtime_protocol_build_function_call_output (event_id, call_id,
          output ? output : ""));
  g_free (event_id);
  core->calls_answered++;
  gst_realtime_core_follow_up_calls (core);
  return known;
}

/* Once the server's VAD has heard all the audio (the drain's barrier),
 * what it did not call speech is silence: committed, it would make a turn
 * that has no transcript to wait for and wants no reply. */
void
gst_realtime_core_commit_rest (GstRealtimeCore * core)
{
  gint64 uncommitted_ms = gst_realtime_timeline_get_ms (core->timeline) -
      core->committed_ms;

  if (detects_turns (core) && !gst_realtime_turns_in_speech (core->turns))
    return;
  if (uncommitted_ms >= MIN_COMMIT_MS)
    gst_realtime_core_commit (core, !detects_turns (core));
}

gboolean
gst_realtime_core_turn_pending (GstRealtimeCore * core)
{
  return core->vad_commits_expected > 0
      || gst_realtime_responses_pending (core->responses);
}

gboolean
gst_realtime_core_replies_pending (GstRealtimeCore * core)
{
  return core->pending_commit_id
      || gst_realtime_responses_pending (core->responses)
      || gst_realtime_turns_pending (core->turns);
}

gint64
gst_realtime_core_get_committed_ms (GstRealtimeCore * core)
{
  return core->committed_ms;
}

/* Idle outputs of file input move on as replies complete. */
void
gst_realtime_core_advance (GstRealtimeCore * core)
{
  GstRealtimeTime position =
      gst_realtime_turns_get_answered_until (core->turns);

  if (core->live || !GST_REALTIME_TIME_IS_VALID (position)
      || gst_realtime_core_replies_pending (core))
    return;
  gst_realtime_core_add_action (core, GST_REALTIME_ACTION_ADVANCE)->position =
      position;
}

/* ------------------------------------------------------------------ */
/* Barge-in */

void
gst_realtime_core_play_item (GstRealtimeCore * core, const gchar * item_id,
    GstRealtimeTime start)
{
  g_free (core->playing_item);
  core->playing_item = g_strdup (item_id);
  core->playing_start = start;
}

void
gst_realtime_core_play_until (GstRealtimeCore * core, GstRealtimeTime end)
{
  core->playing_end = end;
}

/* If some reply audio is still to be heard, the server is told how much
 * of the item was heard (so the unheard part leaves the conversation),
 * and the replies in progress lose the rest of their audio. */
gboolean
gst_realtime_core_barge_in (GstRealtimeCore * core, GstRealtimeTime now)
{
  GList *replies, *l;
  guint64 played_ms;
  gchar *event_id;

  if (!core->playing_item || !GST_REALTIME_TIME_IS_VALID (now)
      || core->playing_end <= now)
    return FALSE;

  /* clamped to what came; nothing to cut at 0 ms: the server refuses */
  played_ms = now > core->playing_start ?
      (MIN (now, core->playing_end) - core->playing_start) /
      GST_REALTIME_MSECOND : 0;
  GST_REALTIME_CORE_DEBUG (core, "barge-in: %" G_GUINT64_FORMAT
      " ms of %s heard", played_ms, core->playing_item);
  if (played_ms > 0) {
    event_id = gst_realtime_core_next_event_id (core);
    gst_realtime_core_send (core,
        gst_realtime_protocol_build_item_truncate (event_id, core->playing_item,
            0, played_ms));
    g_free (event_id);
  }

  replies = gst_realtime_turns_get_replies (core->turns);
  for (l = replies; l; l = l->next)
    ((GstRealtimeReply *) l->data)->interrupted = TRUE;
  g_list_free (replies);
  g_clear_pointer (&core->playing_item, g_free);
  return TRUE;
}

/* ------------------------------------------------------------------ */
static void
handle_session_updated (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  core->updates_seen++;
}

static void
handle_notice (GstRealtimeCore * core, const GstRealtimeServerEvent * event,
    gint64 now_us)
{
  gst_realtime_core_notice (core,
      event->type ==
      GST_REALTIME_EVENT_DTMF_RECEIVED ? GST_REALTIME_NOTICE_DTMF :
      GST_REALTIME_NOTICE_RATE_LIMITS);
}

typedef void (*EventHandler) (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us);

#define ON(name) gst_realtime_core_on_##name

/* The events the core decides about; the others are the element's, or
 * nobody's. */
static const EventHandler handlers[] = {
  [GST_REALTIME_EVENT_SESSION_UPDATED] = handle_session_updated,
  [GST_REALTIME_EVENT_ERROR] = ON (error),
  [GST_REALTIME_EVENT_SPEECH_STARTED] = ON (speech_started),
  [GST_REALTIME_EVENT_SPEECH_STOPPED] = ON (speech_stopped),
  [GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED] = ON (timeout_triggered),
  [GST_REALTIME_EVENT_INPUT_COMMITTED] = ON (committed),
  [GST_REALTIME_EVENT_RESPONSE_CREATED] = ON (response_created),
  [GST_REALTIME_EVENT_RESPONSE_DONE] = ON (response_done),
  [GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA] = ON (reply_text),
  [GST_REALTIME_EVENT_TEXT_DELTA] = ON (reply_text),
  [GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE] = ON (reply_text),
  [GST_REALTIME_EVENT_TEXT_DONE] = ON (reply_text),
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA] = ON (user_transcript),
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED] = ON (user_transcript),
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED] = ON (transcript_failed),
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT] = ON (transcript_segment),
  [GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE] = ON (function_call),
  [GST_REALTIME_EVENT_DTMF_RECEIVED] = handle_notice,
  [GST_REALTIME_EVENT_RATE_LIMITS_UPDATED] = handle_notice,
  [GST_REALTIME_EVENT_ITEM_ADDED] = ON (mcp_item),
  [GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED] = ON (mcp_item),
  [GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED] = ON (mcp_result),
  [GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED] = ON (mcp_result),
  [GST_REALTIME_EVENT_MCP_CALL_COMPLETED] = ON (mcp_result),
  [GST_REALTIME_EVENT_MCP_CALL_FAILED] = ON (mcp_result),
};

#undef ON

gboolean
gst_realtime_core_handle_event (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  if ((guint) event->type >= G_N_ELEMENTS (handlers)
      || !handlers[event->type])
    return FALSE;
  handlers[event->type] (core, event, now_us);
  return TRUE;
}
