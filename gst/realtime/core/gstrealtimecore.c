/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core: turns, commits, responses, function calls,
 * barge-in and the classification of the server's errors. Every outside
 * effect is an action in a queue the element polls. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimecarryover.h"
#include "gstrealtimecore.h"
#include "gstrealtimeresponses.h"
#include "gstrealtimewarnlimit.h"

/* The server refuses to commit less audio than this. */
#define MIN_COMMIT_MS 100

/* A session is renewed at a turn boundary once it has this little left
 * (or half of what it had, for short sessions). */
#define RENEW_MARGIN_US (5 * 60 * G_USEC_PER_SEC)

/* Items are remembered between their item event and their result, which
 * names the item only; a server that never sends results cannot make the
 * table grow without end. */
#define MAX_MCP_ITEMS 64

/* The EOS drain on one connection: a barrier, so that the server's VAD has
 * heard all the audio, then the commit of the speech it has not ended. */
typedef struct
{
  guint epoch;                  /* of the connection they went on */
  gboolean barrier;             /* sent */
  guint updates;                /* session.updated count before it */
  gboolean heard;               /* the barrier was answered */
  gboolean committed;
} Drain;

struct _GstRealtimeCore
{
  GstRealtimeTurns *turns;
  GstRealtimeTimeline *timeline;
  const GstRealtimeSessionConfig *config;
  gboolean live;
  gboolean file_mode;

  GQueue actions;
  guint64 next_event_id;
  gchar *session_update_id;

  GstRealtimeResponses *responses;
  guint vad_commits_expected;   /* speech_stopped not yet committed */
  gint64 committed_ms;          /* appended audio the server committed */
  gint64 commit_start_ms;       /* where the audio of our commit starts */
  gchar *pending_commit_id;
  gboolean commit_wants_response;
  GHashTable *open_calls;       /* call id -> name, unanswered */
  GHashTable *mcp_items;        /* item id -> its MCP server and tool */
  guint calls_answered;         /* outputs given since the last response */

  /* the last reply item queued, for barge-in */
  gchar *playing_item;
  GstRealtimeTime playing_start;
  GstRealtimeTime playing_end;

  /* warnings about what the server sent, past a burst counted */
  GstRealtimeWarnLimit warnings;

  /* the conversation, for a new session */
  GstRealtimeCarryOver carry_over;

  guint updates_seen;           /* session.updated events received */
  Drain drain;

  gint64 renew_at;              /* monotonic µs; 0: no end known */
  gboolean renewing;            /* a fresh session is taking over */
};

enum
{
  MCP_LABEL,
  MCP_NAME,
  MCP_FIELDS
};

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

static GstRealtimeAction *
add_action (GstRealtimeCore * core, GstRealtimeActionType type)
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

static void
send (GstRealtimeCore * core, gchar * event)
{
  add_action (core, GST_REALTIME_ACTION_SEND)->event = event;
}

static GstRealtimeAction *
notice (GstRealtimeCore * core, GstRealtimeNotice kind)
{
  GstRealtimeAction *action = add_action (core, GST_REALTIME_ACTION_NOTICE);

  action->notice = kind;
  return action;
}

static void
transcript_notice (GstRealtimeCore * core, GstRealtimeTextRole role,
    gboolean final)
{
  GstRealtimeAction *action = notice (core,
      GST_REALTIME_NOTICE_TRANSCRIPT);

  action->role = role;
  action->final = final;
}

static GstRealtimeAction *
problem (GstRealtimeCore * core, GstRealtimeActionType type,
    GstRealtimeProblem kind)
{
  GstRealtimeAction *action = add_action (core, type);

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
  g_free (core);
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
  core->next_event_id = 0;
  gst_realtime_warn_limit_reset (&core->warnings);
  gst_realtime_carry_over_clear (&core->carry_over);
}

void
gst_realtime_core_set_input (GstRealtimeCore * core, gboolean live,
    gboolean file_mode)
{
  core->live = live;
  core->file_mode = file_mode;
}

/* ------------------------------------------------------------------ */
/* The session's mode */

static gboolean
is_conversation (GstRealtimeCore * core)
{
  return core->config->session_type == GST_REALTIME_SESSION_TYPE_REALTIME;
}

static gboolean
detects_turns (GstRealtimeCore * core)
{
  return core->config->turn_detection.type != GST_REALTIME_TURN_DETECTION_NONE;
}

static gboolean
server_replies (GstRealtimeCore * core)
{
  return is_conversation (core) && detects_turns (core)
      && core->config->turn_detection.create_response;
}

/* With file input the element asks for each reply itself. */
static gboolean
element_replies (GstRealtimeCore * core)
{
  return core->file_mode && is_conversation (core);
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
  send (core, gst_realtime_protocol_build_commit (core->pending_commit_id));
}

void
gst_realtime_core_discard_input (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  send (core, gst_realtime_protocol_build_clear (event_id));
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

  send (core, gst_realtime_protocol_build_response_create (event_id,
          core->config->dialect, tagged));
  g_free (tagged);
}

/* Sends the queued in-band requests the conversation can take now. */
static void
send_ready_responses (GstRealtimeCore * core)
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
  send_ready_responses (core);
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

  send (core, gst_realtime_protocol_build_response_cancel (event_id,
          gst_realtime_responses_get_active (core->responses)));
  g_free (event_id);
}

/* Once every call of a finished response has its output, the model goes
 * on with a new response. */
static void
follow_up_calls (GstRealtimeCore * core)
{
  if (core->calls_answered == 0 || g_hash_table_size (core->open_calls) > 0
      || gst_realtime_responses_get_active (core->responses))
    return;
  core->calls_answered = 0;
  gst_realtime_responses_queue_follow_up (core->responses);
  send_ready_responses (core);
}

gboolean
gst_realtime_core_function_call_output (GstRealtimeCore * core,
    const gchar * call_id, const gchar * output)
{
  gboolean known = g_hash_table_remove (core->open_calls, call_id);
  gchar *event_id = gst_realtime_core_next_event_id (core);

  send (core, gst_realtime_protocol_build_function_call_output (event_id,
          call_id, output ? output : ""));
  g_free (event_id);
  core->calls_answered++;
  follow_up_calls (core);
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
static void
advance (GstRealtimeCore * core)
{
  GstRealtimeTime position =
      gst_realtime_turns_get_answered_until (core->turns);

  if (core->live || !GST_REALTIME_TIME_IS_VALID (position)
      || gst_realtime_core_replies_pending (core))
    return;
  add_action (core, GST_REALTIME_ACTION_ADVANCE)->position = position;
}

/* ------------------------------------------------------------------ */
/* The EOS drain */

/* A session.update that changes nothing. */
static gchar *
build_barrier (GstRealtimeCore * core, const gchar * event_id)
{
  const gchar *json = core->config->dialect == GST_REALTIME_PROTOCOL_BETA ?
      "{\"type\":\"session.update\",\"session\":{}}" :
      is_conversation (core) ?
      "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}" :
      "{\"type\":\"session.update\",\"session\":{\"type\":"
      "\"transcription\"}}";

  return gst_realtime_protocol_prepare_client_event (json, event_id, NULL,
      NULL);
}

guint
gst_realtime_core_queue_barrier (GstRealtimeCore * core)
{
  gchar *event_id = gst_realtime_core_next_event_id (core);

  send (core, build_barrier (core, event_id));
  g_free (event_id);
  return core->updates_seen;
}

gboolean
gst_realtime_core_barrier_heard (GstRealtimeCore * core, guint updates)
{
  return core->updates_seen != updates;
}

void
gst_realtime_core_drain_start (GstRealtimeCore * core, gboolean heard,
    guint epoch)
{
  Drain drain = { epoch, heard, 0, heard, FALSE };

  core->drain = drain;
}

/* What the drain needs next goes on the connection's epoch, not the
 * session's: that one moves on as soon as the connection ends, and the
 * element sees it connected a little longer; what is sent then is lost
 * with the connection, and is sent again on the next one. */
gboolean
gst_realtime_core_drain_step (GstRealtimeCore * core, guint session_epoch,
    gboolean connected, guint connection_epoch)
{
  Drain *drain = &core->drain;

  if ((drain->barrier || drain->committed) && drain->epoch != session_epoch)
    drain->barrier = drain->heard = drain->committed = FALSE;
  if (!connected || drain->committed)
    return drain->committed;
  drain->heard |= drain->barrier
      && gst_realtime_core_barrier_heard (core, drain->updates);
  if (drain->heard || !detects_turns (core)) {
    gst_realtime_core_commit_rest (core);
    drain->committed = TRUE;
  } else if (!drain->barrier) {
    drain->updates = gst_realtime_core_queue_barrier (core);
    drain->barrier = TRUE;
  }
  drain->epoch = connection_epoch;
  return drain->committed;
}

/* ------------------------------------------------------------------ */
/* Renewal */

guint
gst_realtime_core_note_expiry (GstRealtimeCore * core, gint64 expires_at,
    gint64 real_now_us, gint64 now_us)
{
  gint64 remaining, wait;

  core->renew_at = 0;
  if (expires_at <= 0)
    return 0;
  remaining = expires_at * G_USEC_PER_SEC - real_now_us;
  if (remaining <= 0)
    return 0;
  wait = remaining - MIN (RENEW_MARGIN_US, remaining / 2);
  core->renew_at = now_us + wait;
  return wait / G_TIME_SPAN_MILLISECOND + 1;
}

/* Near the session's end and at a turn boundary: nothing waits for the
 * server and no speech is open. */
gboolean
gst_realtime_core_renewal_due (GstRealtimeCore * core, gboolean connected,
    gint64 now_us)
{
  if (core->renew_at == 0 || !connected || core->renewing
      || now_us < core->renew_at || gst_realtime_core_replies_pending (core)
      || gst_realtime_turns_in_speech (core->turns))
    return FALSE;
  core->renewing = TRUE;
  return TRUE;
}

void
gst_realtime_core_renewal_over (GstRealtimeCore * core)
{
  core->renewing = FALSE;
}

/* ------------------------------------------------------------------ */
/* The conversation, carried over to a new session */

static void
remember_text (GstRealtimeCore * core, gboolean assistant, const gchar * text)
{
  if (is_conversation (core))
    gst_realtime_carry_over_remember (&core->carry_over, assistant, text);
}

void
gst_realtime_core_carry_over (GstRealtimeCore * core)
{
  GList *l;
  gchar *event_id;

  for (l = core->carry_over.texts.head; l; l = l->next) {
    GstRealtimeCarriedText *carried = l->data;

    event_id = gst_realtime_core_next_event_id (core);
    send (core, gst_realtime_protocol_build_text_message (event_id,
            core->config->dialect, carried->assistant, carried->text));
    g_free (event_id);
  }
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
  g_debug ("barge-in: %" G_GUINT64_FORMAT " ms of %s heard", played_ms,
      core->playing_item);
  if (played_ms > 0) {
    event_id = gst_realtime_core_next_event_id (core);
    send (core, gst_realtime_protocol_build_item_truncate (event_id,
            core->playing_item, 0, played_ms));
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
/* Turns */

static GstRealtimeTime
lookup (GstRealtimeCore * core, gint64 ms)
{
  return gst_realtime_timeline_lookup (core->timeline, ms);
}

static void
end_turn (GstRealtimeCore * core, const gchar * item_id, gint64 end_ms)
{
  gst_realtime_turns_end_speech (core->turns, item_id, lookup (core, end_ms));
  core->committed_ms = MAX (core->committed_ms, end_ms);
}

/* Speech over reply audio stops it, when live. */
static void
handle_speech_started (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gst_realtime_turns_start_speech (core->turns, event->item_id,
      lookup (core, event->audio_start_ms));
  if (core->live && is_conversation (core)
      && core->config->turn_detection.interrupt_response)
    add_action (core, GST_REALTIME_ACTION_BARGE_IN);
}

static void
handle_speech_stopped (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  end_turn (core, event->item_id, event->audio_end_ms);
  gst_realtime_turns_expect_reply (core->turns, server_replies (core)
      || element_replies (core));
  gst_realtime_responses_expect_server (core->responses, server_replies (core));
  core->vad_commits_expected++;
}

/* The idle timeout fired: the server committed the audio since the last
 * turn by itself and replies to it. That is a turn like a detected one,
 * on the positions the event gives, and its commit follows. */
static void
handle_timeout_triggered (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  /* no speech is in progress then, unless the server is confused: that
   * turn ends here */
  if (!gst_realtime_turns_in_speech (core->turns))
    gst_realtime_turns_start_speech (core->turns, event->item_id,
        lookup (core, event->audio_start_ms));
  handle_speech_stopped (core, event, now_us);
}

/* Commits carry no event_id. The server VAD's follow a speech_stopped, so
 * one that follows none answers ours. */
static void
handle_committed (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean in_speech;

  if (core->vad_commits_expected > 0) {
    core->vad_commits_expected--;
    gst_realtime_turns_set_item (core->turns, event->item_id);
    if (element_replies (core))
      gst_realtime_core_request_response (core, NULL);
    return;
  }
  if (!core->pending_commit_id)
    return;
  g_clear_pointer (&core->pending_commit_id, g_free);

  /* ours ends the turn in progress or, without VAD, the audio since the
   * previous commit */
  in_speech = gst_realtime_turns_in_speech (core->turns);
  if (!in_speech && core->committed_ms > core->commit_start_ms)
    gst_realtime_turns_start_speech (core->turns, event->item_id,
        lookup (core, core->commit_start_ms));
  end_turn (core, event->item_id, core->committed_ms);
  if (is_conversation (core) && (core->commit_wants_response || in_speech)) {
    gst_realtime_turns_expect_reply (core->turns, TRUE);
    gst_realtime_core_request_response (core, NULL);
  }
}

/* ------------------------------------------------------------------ */
/* Responses */

static void
handle_response_created (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean in_band;
  gchar *event_id;

  if (gst_realtime_responses_is_stale (core->responses, event->metadata)) {
    /* asked for before a flush: its turn is gone, but until its
     * response.done it holds the conversation, and a request refused
     * meanwhile as busy waits for it */
    g_debug ("cancelling stale response %s", event->response_id);
    gst_realtime_responses_created (core->responses, event->response_id,
        event->metadata);
    event_id = gst_realtime_core_next_event_id (core);
    send (core, gst_realtime_protocol_build_response_cancel (event_id,
            event->response_id));
    g_free (event_id);
    return;
  }
  in_band = gst_realtime_responses_created (core->responses,
      event->response_id, event->metadata);
  gst_realtime_turns_start_reply (core->turns, event->response_id,
      gst_realtime_timeline_get_end (core->timeline), in_band);
}

static void
handle_response_done (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  if (g_strcmp0 (event->status, "failed") == 0)
    problem (core, GST_REALTIME_ACTION_WARN,
        GST_REALTIME_PROBLEM_RESPONSE_FAILED);
  notice (core, GST_REALTIME_NOTICE_RESPONSE_DONE);
  gst_realtime_turns_finish_reply (core->turns, event->response_id);
  gst_realtime_responses_done (core->responses, event->response_id);
  follow_up_calls (core);
  send_ready_responses (core);
  advance (core);
}

static void
handle_reply_text (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean final = event->type == GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE
      || event->type == GST_REALTIME_EVENT_TEXT_DONE;
  GstRealtimeReply *reply;

  transcript_notice (core, GST_REALTIME_TEXT_ASSISTANT, final);
  if (final) {
    remember_text (core, TRUE, event->text);
    return;
  }
  reply = gst_realtime_turns_get_reply (core->turns, event->response_id);
  if (!reply) {
    g_debug ("%s for unknown response %s", event->type_name,
        event->response_id ? event->response_id : "(NULL)");
    return;
  }
  gst_realtime_turns_add_reply_text (core->turns, reply, event->text);
}

/* Without replies (a transcription session) nothing else moves the idle
 * pads on, and a sink that never prerolls holds the text in the queue. */
static void
handle_user_transcript (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean final =
      event->type == GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED;

  transcript_notice (core, GST_REALTIME_TEXT_USER, final);
  if (final)
    remember_text (core, FALSE, event->text);
  gst_realtime_turns_add_transcript (core->turns, event->item_id,
      event->text, final);
  advance (core);
}

/* A diarized segment: text with its speaker and times, in place of the
 * deltas. */
static void
handle_transcript_segment (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  GstRealtimeSegment segment = { event->speaker, event->segment_start,
    event->segment_end
  };

  transcript_notice (core, GST_REALTIME_TEXT_USER, FALSE);
  gst_realtime_turns_add_segment (core->turns, event->item_id, event->text,
      &segment);
}

/* Nothing more will come for this turn. */
static void
handle_transcript_failed (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gst_realtime_turns_add_transcript (core->turns, event->item_id, "", TRUE);
}

static void
handle_function_call (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  if (!event->call_id)
    return;
  g_hash_table_replace (core->open_calls, g_strdup (event->call_id),
      g_strdup (event->name));
  notice (core, GST_REALTIME_NOTICE_FUNCTION_CALL);
}

/* ------------------------------------------------------------------ */
/* Warnings about what the server sent */

static void
report_held_back (GstRealtimeCore * core)
{
  guint held_back = gst_realtime_warn_limit_take_held_back (&core->warnings);

  if (held_back > 0)
    add_action (core, GST_REALTIME_ACTION_REPORT_HELD_BACK)->count = held_back;
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
    add_action (core, GST_REALTIME_ACTION_REPORT_LATER)->delay_ms =
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

static void
handle_error (GstRealtimeCore * core, const GstRealtimeServerEvent * event,
    gint64 now_us)
{
  GstRealtimeProblem kind;

  notice (core, GST_REALTIME_NOTICE_SERVER_ERROR);
  if (classify_fatal (core, event, &kind)) {
    problem (core, GST_REALTIME_ACTION_FAIL, kind);
    return;
  }
  if (g_strcmp0 (event->error_code, "session_expired") == 0) {
    add_action (core, GST_REALTIME_ACTION_EXPIRED);
    return;
  }
  if (error_is_harmless (core, event)) {
    g_debug ("harmless error %s", event->error_code);
    send_ready_responses (core);
    return;
  }
  if (!gst_realtime_core_admit_warning (core, now_us)) {
    g_debug ("warning held back: %s", event->error_code);
    return;
  }
  problem (core, GST_REALTIME_ACTION_WARN, GST_REALTIME_PROBLEM_SERVER_ERROR);
  send_ready_responses (core);
}

/* ------------------------------------------------------------------ */
/* MCP tools */

static void
note_mcp_item (GstRealtimeCore * core, const GstRealtimeServerEvent * event,
    gint64 now_us)
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
static void
handle_mcp_result (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean call = event->type == GST_REALTIME_EVENT_MCP_CALL_COMPLETED
      || event->type == GST_REALTIME_EVENT_MCP_CALL_FAILED;
  gboolean failed = event->type == GST_REALTIME_EVENT_MCP_CALL_FAILED
      || event->type == GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED;
  gchar **item = event->item_id ?
      g_hash_table_lookup (core->mcp_items, event->item_id) : NULL;
  GstRealtimeAction *action = notice (core, GST_REALTIME_NOTICE_MCP);

  action->failed = failed;
  describe_mcp (action, item, call, event->item_id);
  if (failed && gst_realtime_core_admit_warning (core, now_us))
    describe_mcp (problem (core, GST_REALTIME_ACTION_WARN,
            GST_REALTIME_PROBLEM_MCP_FAILED), item, call, event->item_id);
  if (event->item_id)
    g_hash_table_remove (core->mcp_items, event->item_id);
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
  notice (core, event->type == GST_REALTIME_EVENT_DTMF_RECEIVED ?
      GST_REALTIME_NOTICE_DTMF : GST_REALTIME_NOTICE_RATE_LIMITS);
}

typedef void (*EventHandler) (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us);

/* The events the core decides about; the others are the element's, or
 * nobody's. */
static const EventHandler handlers[] = {
  [GST_REALTIME_EVENT_SESSION_UPDATED] = handle_session_updated,
  [GST_REALTIME_EVENT_ERROR] = handle_error,
  [GST_REALTIME_EVENT_SPEECH_STARTED] = handle_speech_started,
  [GST_REALTIME_EVENT_SPEECH_STOPPED] = handle_speech_stopped,
  [GST_REALTIME_EVENT_INPUT_TIMEOUT_TRIGGERED] = handle_timeout_triggered,
  [GST_REALTIME_EVENT_INPUT_COMMITTED] = handle_committed,
  [GST_REALTIME_EVENT_RESPONSE_CREATED] = handle_response_created,
  [GST_REALTIME_EVENT_RESPONSE_DONE] = handle_response_done,
  [GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA] = handle_reply_text,
  [GST_REALTIME_EVENT_TEXT_DELTA] = handle_reply_text,
  [GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE] = handle_reply_text,
  [GST_REALTIME_EVENT_TEXT_DONE] = handle_reply_text,
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA] = handle_user_transcript,
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED] = handle_user_transcript,
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_FAILED] = handle_transcript_failed,
  [GST_REALTIME_EVENT_INPUT_TRANSCRIPT_SEGMENT] = handle_transcript_segment,
  [GST_REALTIME_EVENT_FUNCTION_CALL_ARGUMENTS_DONE] = handle_function_call,
  [GST_REALTIME_EVENT_DTMF_RECEIVED] = handle_notice,
  [GST_REALTIME_EVENT_RATE_LIMITS_UPDATED] = handle_notice,
  [GST_REALTIME_EVENT_ITEM_ADDED] = note_mcp_item,
  [GST_REALTIME_EVENT_OUTPUT_ITEM_ADDED] = note_mcp_item,
  [GST_REALTIME_EVENT_MCP_LIST_TOOLS_COMPLETED] = handle_mcp_result,
  [GST_REALTIME_EVENT_MCP_LIST_TOOLS_FAILED] = handle_mcp_result,
  [GST_REALTIME_EVENT_MCP_CALL_COMPLETED] = handle_mcp_result,
  [GST_REALTIME_EVENT_MCP_CALL_FAILED] = handle_mcp_result,
};

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
