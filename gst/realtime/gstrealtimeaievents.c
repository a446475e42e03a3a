/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the element does with each server event. All of it runs on the
 * session thread, under the element lock; bus messages and signals are
 * gathered as notices and delivered after the lock is released. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeaipriv.h"
#include "gstrealtimei18n.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

static gboolean
server_replies (GstRealtimeAI * self)
{
  return gst_realtime_ai_is_conversation (self)
      && self->config.turn_detection.type != GST_REALTIME_TURN_DETECTION_NONE
      && self->config.turn_detection.create_response;
}

/* ------------------------------------------------------------------ */
/* Session */

static gchar *
build_session_update_locked (GstRealtimeAI * self)
{
  g_free (self->session_update_id);
  self->session_update_id = gst_realtime_ai_next_event_id_locked (self);
  return gst_realtime_protocol_build_session_update (&self->config,
      self->session_update_id);
}

/* The session is configured as soon as the server is ready, with the
 * formats guessed until caps come. Session thread. */
void
gst_realtime_ai_send_session_update_locked (GstRealtimeAI * self)
{
  if (!self->session || !self->session_created)
    return;
  gst_realtime_session_send_now (self->session,
      build_session_update_locked (self));
}

/* Caps known or changed, on the streaming thread: behind the audio queued
 * in the old format, or, before the audio flows, as soon as the session
 * thread can. */
void
gst_realtime_ai_update_session_locked (GstRealtimeAI * self)
{
  if (!self->session || !self->session_created)
    return;
  if (self->connected)
    gst_realtime_session_queue_control (self->session,
        build_session_update_locked (self));
  else
    gst_realtime_session_send_soon (self->session,
        build_session_update_locked (self));
}

/* ------------------------------------------------------------------ */
/* Turns */

static void
end_turn_locked (GstRealtimeAI * self, const gchar * item_id, gint64 end_ms)
{
  GstClockTime end = gst_realtime_timeline_lookup (self->timeline, end_ms);

  GST_DEBUG_OBJECT (self, "speech ended at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (end));
  gst_realtime_turns_end_speech (self->turns, item_id, end);
  self->committed_ms = MAX (self->committed_ms, end_ms);
}

/* Speech over reply audio stops it: what is queued goes, and downstream is
 * flushed so that a live sink stops talking (after the lock). */
static void
barge_in_locked (GstRealtimeAI * self)
{
  if (gst_realtime_ai_barge_in_locked (self))
    gst_realtime_ai_interrupt_audio_locked (self);
}

static void
handle_speech_started_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  GstClockTime start = gst_realtime_timeline_lookup (self->timeline,
      event->audio_start_ms);

  GST_DEBUG_OBJECT (self, "speech started at %" GST_TIME_FORMAT,
      GST_TIME_ARGS (start));
  gst_realtime_turns_start_speech (self->turns, event->item_id, start);
  if (self->live && gst_realtime_ai_is_conversation (self)
      && self->config.turn_detection.interrupt_response)
    barge_in_locked (self);
}

static void
handle_speech_stopped_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  end_turn_locked (self, event->item_id, event->audio_end_ms);
  gst_realtime_turns_expect_reply (self->turns, server_replies (self)
      || (self->file_mode && gst_realtime_ai_is_conversation (self)));
  gst_realtime_responses_expect_server (self->responses, server_replies (self));
  self->vad_commits_expected++;
}

/* The idle timeout fired: the server committed the audio since the last
 * turn by itself and replies to it. That is a turn like a detected one,
 * on the positions the event gives, and its commit follows. */
static void
handle_timeout_triggered_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  GST_DEBUG_OBJECT (self, "idle timeout over %" G_GINT64_FORMAT " - %"
      G_GINT64_FORMAT " ms", event->audio_start_ms, event->audio_end_ms);
  /* no speech is in progress then, unless the server is confused: that
   * turn ends here */
  if (!gst_realtime_turns_in_speech (self->turns))
    gst_realtime_turns_start_speech (self->turns, event->item_id,
        gst_realtime_timeline_lookup (self->timeline, event->audio_start_ms));
  handle_speech_stopped_locked (self, event);
}

/* Commits carry no event_id. The server VAD's follow a speech_stopped, so
 * one that follows none answers ours. */
static void
handle_committed_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  gboolean in_speech;

  if (self->vad_commits_expected > 0) {
    self->vad_commits_expected--;
    gst_realtime_turns_set_item (self->turns, event->item_id);
    /* with file input the element asks for each reply itself */
    if (self->file_mode && gst_realtime_ai_is_conversation (self))
      gst_realtime_ai_request_response_locked (self, NULL);
    return;
  }
  if (!self->pending_commit_id)
    return;
  g_clear_pointer (&self->pending_commit_id, g_free);

  /* ours ends the turn in progress or, without VAD, the audio since the
   * previous commit */
  in_speech = gst_realtime_turns_in_speech (self->turns);
  if (!in_speech && self->committed_ms > self->commit_start_ms)
    gst_realtime_turns_start_speech (self->turns, event->item_id,
        gst_realtime_timeline_lookup (self->timeline, self->commit_start_ms));
  end_turn_locked (self, event->item_id, self->committed_ms);
  if (gst_realtime_ai_is_conversation (self) && (self->commit_wants_response
          || in_speech)) {
    gst_realtime_turns_expect_reply (self->turns, TRUE);
    gst_realtime_ai_request_response_locked (self, NULL);
  }
}

/* ------------------------------------------------------------------ */
/* Responses */

static void
handle_response_created_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  gboolean in_band;
  gchar *event_id;

  if (gst_realtime_responses_is_stale (self->responses, event->metadata)) {
    /* asked for before a flush: its turn is gone, but until its
     * response.done it holds the conversation, and a request refused
     * meanwhile as busy waits for it */
    GST_DEBUG_OBJECT (self, "cancelling stale response %s", event->response_id);
    gst_realtime_responses_created (self->responses, event->response_id,
        event->metadata);
    event_id = gst_realtime_ai_next_event_id_locked (self);
    gst_realtime_ai_queue_control_locked (self,
        gst_realtime_protocol_build_response_cancel (event_id,
            event->response_id));
    g_free (event_id);
    return;
  }
  in_band = gst_realtime_responses_created (self->responses,
      event->response_id, event->metadata);
  gst_realtime_turns_start_reply (self->turns, event->response_id,
      gst_realtime_timeline_get_end (self->timeline), in_band);
}

static void
handle_response_done_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply;

  if (g_strcmp0 (event->status, "failed") == 0)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The server could not answer: %s"),
            event->error_message ? event->error_message :
            GST_STR_NULL (event->error_code)),
        ("response %s failed: type %s, code %s",
            GST_STR_NULL (event->response_id),
            GST_STR_NULL (event->error_type),
            GST_STR_NULL (event->error_code)));

  gst_realtime_ai_post_locked (self,
      gst_realtime_message_response_done (event));
  reply = gst_realtime_turns_get_reply (self->turns, event->response_id);
  if (reply)
    gst_realtime_ai_reply_audio_finish_locked (self, reply);
  gst_realtime_turns_finish_reply (self->turns, event->response_id);
  gst_realtime_responses_done (self->responses, event->response_id);
  gst_realtime_ai_follow_up_calls_locked (self);
  gst_realtime_ai_send_ready_responses_locked (self);
  if (!self->live)
    gst_realtime_ai_advance_outputs_locked (self,
        gst_realtime_turns_get_answered_until (self->turns));
}

static GstRealtimeReply *
lookup_reply_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply = gst_realtime_turns_get_reply (self->turns,
      event->response_id);

  if (!reply)
    GST_DEBUG_OBJECT (self, "%s for unknown response %s", event->type_name,
        GST_STR_NULL (event->response_id));
  return reply;
}

static void
handle_reply_text_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event, gboolean final)
{
  GstRealtimeReply *reply;

  gst_realtime_ai_post_locked (self,
      gst_realtime_message_transcript ("assistant", event, final));
  if (final)
    gst_realtime_ai_remember_text_locked (self, TRUE, event->text);
  if (final || !(reply = lookup_reply_locked (self, event)))
    return;
  gst_realtime_turns_add_reply_text (self->turns, reply, event->item_id,
      event->response_id, event->text);
}

static void
handle_audio_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  GstRealtimeReply *reply = lookup_reply_locked (self, event);

  if (!reply)
    return;
  if (event->type == GST_REALTIME_EVENT_AUDIO_DELTA)
    gst_realtime_ai_reply_audio_locked (self, reply, event);
  else
    gst_realtime_ai_reply_audio_done_locked (self, reply, event->item_id);
}

static void
handle_user_transcript_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event, gboolean final)
{
  gst_realtime_ai_post_locked (self,
      gst_realtime_message_transcript ("user", event, final));
  if (final)
    gst_realtime_ai_remember_text_locked (self, FALSE, event->text);
  gst_realtime_turns_add_transcript (self->turns, event->item_id,
      event->text, final);
  /* without replies (a transcription session) nothing else moves the idle
   * pads on, and a sink that never prerolls holds the text in the queue */
  if (!self->live)
    gst_realtime_ai_advance_outputs_locked (self,
        gst_realtime_turns_get_answered_until (self->turns));
}

/* A diarized segment: text with its speaker and times, in place of the
 * deltas. */
static void
handle_transcript_segment_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  GstRealtimeSegment segment = { event->speaker, event->segment_start,
    event->segment_end
  };

  gst_realtime_ai_post_locked (self,
      gst_realtime_message_transcript ("user", event, FALSE));
  gst_realtime_turns_add_segment (self->turns, event->item_id, event->text,
      &segment);
}

/* ------------------------------------------------------------------ */
/* Errors */

/* OpenAI answers a key it did not find (say, in the api-key header) with
 * code null, "Missing bearer or basic authentication in header", and
 * close 3000. */
static gboolean
error_is_auth (GstRealtimeServerEvent * event)
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
error_is_beta_disabled (GstRealtimeServerEvent * event)
{
  return g_strcmp0 (event->error_code, "beta_api_shape_disabled") == 0;
}

static gboolean
error_is_fatal (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  return error_is_auth (event) || error_is_beta_disabled (event)
      || (event->error_event_id &&
      g_strcmp0 (event->error_event_id, self->session_update_id) == 0)
      || (event->error_param && g_str_has_prefix (event->error_param,
          "session."))
      || g_strcmp0 (event->error_code, "insufficient_quota") == 0;
}

static void
post_fatal_error (GstRealtimeAI * self, GstRealtimeServerEvent * event,
    const gchar * message)
{
  self->failed = TRUE;
  if (g_strcmp0 (event->error_code, "invalid_api_key") == 0)
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        (_("The server refused the API key: %s"), message),
        ("error code %s", GST_STR_NULL (event->error_code)));
  else if (error_is_auth (event))
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_AUTHORIZED,
        (_("The server did not accept the authentication: %s. Check the "
                "api-key and auth properties."), message),
        ("error type %s, code null", GST_STR_NULL (event->error_type)));
  else if (error_is_beta_disabled (event))
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server does not accept the beta protocol (%s): set the "
                "protocol property to ga."), message),
        ("error code %s", event->error_code));
  else
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        (_("The server rejected the session configuration: %s"), message),
        ("error type %s, code %s, param %s",
            GST_STR_NULL (event->error_type),
            GST_STR_NULL (event->error_code),
            GST_STR_NULL (event->error_param)));
}

/* Errors that say a request came at the wrong moment, not that anything
 * is wrong: the request is retried or was moot. */
static gboolean
error_is_harmless (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  const gchar *code = event->error_code;
  gboolean busy =
      g_strcmp0 (code, "conversation_already_has_active_response") == 0;

  if (gst_realtime_responses_failed (self->responses, event->error_event_id,
          busy) && busy)
    return TRUE;
  if (event->error_event_id
      && g_strcmp0 (event->error_event_id, self->pending_commit_id) == 0)
    g_clear_pointer (&self->pending_commit_id, g_free);

  /* under VAD the server may have emptied the buffer first */
  return g_strcmp0 (code, "response_cancel_not_active") == 0
      || (g_strcmp0 (code, "input_audio_buffer_commit_empty") == 0
      && self->config.turn_detection.type != GST_REALTIME_TURN_DETECTION_NONE);
}

/* ------------------------------------------------------------------ */
/* Warnings about what the server sent */

void
gst_realtime_ai_report_held_back_warnings_locked (GstRealtimeAI * self)
{
  guint held_back =
      gst_realtime_warn_limit_take_held_back (&self->server_warnings);

  if (held_back > 0)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (g_dngettext (GETTEXT_PACKAGE,
                "%u more problem with the server's messages was not "
                "reported on its own.",
                "%u more problems with the server's messages were not "
                "reported one by one.", held_back), held_back),
        ("more than %u warnings in %u ms", GST_REALTIME_WARN_LIMIT_BURST,
            GST_REALTIME_WARN_LIMIT_WINDOW_MS));
}

static gboolean
report_held_back_due (gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  gst_realtime_ai_report_held_back_warnings_locked (self);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* A storm of bad messages would bury the bus: past a burst, warnings are
 * counted, and the count is posted when the window ends. */
static gboolean
admit_server_warning_locked (GstRealtimeAI * self)
{
  GstRealtimeWarnLimit *limit = &self->server_warnings;
  gint64 now = g_get_monotonic_time ();

  if (gst_realtime_warn_limit_admit (limit, now)) {
    /* a window passed with no timer to report it */
    gst_realtime_ai_report_held_back_warnings_locked (self);
    return TRUE;
  }
  if (limit->held_back == 1 && self->session)
    gst_realtime_session_call_later (self->session,
        (limit->window_end - now) / G_TIME_SPAN_MILLISECOND + 1,
        report_held_back_due, self);
  return FALSE;
}

static void
handle_error_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  const gchar *message = event->error_message ? event->error_message :
      GST_STR_NULL (event->error_code);

  gst_realtime_ai_post_locked (self, gst_realtime_message_server_error (event));
  /* for the close that may follow */
  g_free (self->server_error);
  self->server_error = g_strdup (message);

  if (error_is_fatal (self, event)) {
    post_fatal_error (self, event, message);
    return;
  }
  if (g_strcmp0 (event->error_code, "session_expired") == 0) {
    /* the close that follows is not the user's problem */
    GST_INFO_OBJECT (self, "session expired: %s", message);
    self->expired = TRUE;
    return;
  }
  if (error_is_harmless (self, event)) {
    GST_DEBUG_OBJECT (self, "harmless error %s", event->error_code);
    gst_realtime_ai_send_ready_responses_locked (self);
    return;
  }

  if (!admit_server_warning_locked (self)) {
    GST_DEBUG_OBJECT (self, "warning held back: %s", message);
    return;
  }
  GST_ELEMENT_WARNING (self, RESOURCE, READ,
      (_("The server reported an error: %s"), message),
      ("error type %s, code %s, param %s, event %s",
          GST_STR_NULL (event->error_type), GST_STR_NULL (event->error_code),
          GST_STR_NULL (event->error_param),
          GST_STR_NULL (event->error_event_id)));
  gst_realtime_ai_send_ready_responses_locked (self);
}

/* ------------------------------------------------------------------ */
/* MCP tools */

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

static void
note_mcp_item_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  gchar **item;

  if (!event->item_id || !event->item_type
      || !g_str_has_prefix (event->item_type, "mcp_"))
    return;
  if (g_hash_table_size (self->mcp_items) >= MAX_MCP_ITEMS
      && !g_hash_table_contains (self->mcp_items, event->item_id))
    g_hash_table_remove_all (self->mcp_items);
  item = g_new0 (gchar *, MCP_FIELDS + 1);
  item[MCP_LABEL] = g_strdup (event->server_label ? event->server_label : "");
  item[MCP_NAME] = g_strdup (event->name ? event->name : "");
  g_hash_table_replace (self->mcp_items, g_strdup (event->item_id), item);
}

static const gchar *
mcp_field (gchar ** item, guint field)
{
  return item && *item[field] ? item[field] : NULL;
}

static void
warn_mcp_failed_locked (GstRealtimeAI * self, gboolean call,
    const gchar * label, const gchar * name, const gchar * item_id)
{
  if (!admit_server_warning_locked (self))
    return;
  label = label ? label : "?";
  if (call)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The tool %s of the MCP server %s failed."), name ? name : "?",
            label), ("response.mcp_call.failed, item %s",
            GST_STR_NULL (item_id)));
  else
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        (_("The MCP server %s could not list its tools."), label),
        ("mcp_list_tools.failed, item %s", GST_STR_NULL (item_id)));
}

/* A list of tools or a call is over: a message, and a warning when it
 * failed. */
static void
handle_mcp_result_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event, gboolean call, gboolean failed)
{
  gchar **item = event->item_id ?
      g_hash_table_lookup (self->mcp_items, event->item_id) : NULL;
  const gchar *label = mcp_field (item, MCP_LABEL);
  const gchar *name = call ? mcp_field (item, MCP_NAME) : NULL;

  gst_realtime_ai_post_locked (self, gst_realtime_message_mcp (call ?
          "call" : "list-tools", failed ? "failed" : "completed",
          event->item_id, label, name));
  if (failed)
    warn_mcp_failed_locked (self, call, label, name, event->item_id);
  if (event->item_id)
    g_hash_table_remove (self->mcp_items, event->item_id);
}

/* ------------------------------------------------------------------ */

static void
handle_session_created_locked (GstRealtimeAI * self,
    GstRealtimeServerEvent * event)
{
  self->session_created = TRUE;
  gst_realtime_ai_note_expiry_locked (self, event->expires_at);
  gst_realtime_ai_send_session_update_locked (self);
}

static void
handle_event_locked (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  switch (event->type) {
    case GST_REALTIME_EVENT_SESSION_CREATED:
      handle_session_created_locked (self, event);
      break;
    case GST_REALTIME_EVENT_SESSION_UPDATED:
      self->updates_seen++;
      gst_realtime_ai_connection_ready_locked (self);
      break;
    case GST_REALTIME_EVENT_ERROR:
      handle_error_locked (self, event);
      break;
    case GST_REALTIME_EVENT_SPEECH_STARTED:
      handle_speech_started_locked (self, event);
      break;
    case GST_REALTIME_EVENT_SPEECH_STOPPED:
      handle_speech_stopped_locked (self, event);
      break;
    case GST_REALTIME_EVENT_INPUT_COMMITTED:
      handle_committed_locked (self, event);
      break;
    case GST_REALTIME_EVENT_RESPONSE_CREATED:
      handle_response_created_locked (self, event);
      break;
    case GST_REALTIME_EVENT_RESPONSE_DONE:
      handle_response_done_locked (self, event);
      break;
    case GST_REALTIME_EVENT_AUDIO_DELTA:
    case GST_REALTIME_EVENT_AUDIO_DONE:
      handle_audio_locked (self, event);
      break;
    case GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA:
    case GST_REALTIME_EVENT_TEXT_DELTA:
      handle_reply_text_locked (self, event, FALSE);
      break;
    case GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE:
    case GST_REALTIME_EVENT_TEXT_DONE:
      handle_reply_text_locked (self, event, TRUE);
      break;
    case GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA:
      handle_user_transcript_locked (self, event, FALSE);
      break;
    case GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED:
      handle_user_transcript_locked (self, event, TRUE);
      break;
    case GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED:
      /* nothing more will come for this turn */
      gst_realtime_turns_add_transcript (self->turns, event->item_id, "", TRUE);
      break;
    case GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE:
      gst_realtime_ai_function_call_locked (self, event);
      break;
    case GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED:
      handle_timeout_triggered_locked (self, event);
      break;
    case GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT:
      handle_transcript_segment_locked (self, event);
      break;
    case GST_REALTIME_EVENT_DTMF_RECEIVED:
      gst_realtime_ai_post_locked (self, gst_realtime_message_dtmf (event));
      break;
    case GST_REALTIME_EVENT_ITEM_ADDED:
    case GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED:
      note_mcp_item_locked (self, event);
      break;
    case GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED:
    case GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED:
      handle_mcp_result_locked (self, event, FALSE,
          event->type == GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED);
      break;
    case GST_REALTIME_EVENT_MCP_CALL_COMPLETED:
    case GST_REALTIME_EVENT_MCP_CALL_FAILED:
      handle_mcp_result_locked (self, event, TRUE,
          event->type == GST_REALTIME_EVENT_MCP_CALL_FAILED);
      break;
    case GST_REALTIME_EVENT_RATE_LIMITS_UPDATED:
      gst_realtime_ai_post_locked (self,
          gst_realtime_message_rate_limits (event));
      break;
    default:
      GST_DEBUG_OBJECT (self, "ignoring %s", event->type_name);
      break;
  }
}

void
gst_realtime_ai_on_session_event (GstRealtimeSession * session,
    GstRealtimeServerEvent * event, const gchar * json, gsize json_size,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;

  g_mutex_lock (&self->lock);
  self->dispatching = TRUE;
  gst_realtime_ai_server_event_locked (self, event->type_name, json, json_size);
  handle_event_locked (self, event);
  gst_realtime_ai_settle_audio_locked (self);
  gst_realtime_ai_consider_renewal_locked (self);
  g_mutex_unlock (&self->lock);
  gst_realtime_server_event_free (event);

  /* the EOS drain waits for this: an application that stops at EOS still
   * sees the messages of the last response */
  gst_realtime_ai_flush_notices (self);
  g_mutex_lock (&self->lock);
  self->dispatching = FALSE;
  gst_realtime_ai_wake_locked (self);
  g_mutex_unlock (&self->lock);
}

void
gst_realtime_ai_on_session_malformed (GstRealtimeSession * session,
    const GError * error, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  gboolean admitted;

  g_mutex_lock (&self->lock);
  admitted = admit_server_warning_locked (self);
  g_mutex_unlock (&self->lock);
  if (admitted)
    GST_ELEMENT_WARNING (self, STREAM, DECODE,
        (_("Ignored an invalid message from the server.")),
        ("%s", error->message));
  else
    GST_DEBUG_OBJECT (self, "warning held back: %s", error->message);
}
