/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core's decisions about the turns and the responses:
 * speech, commits, responses, their text, transcripts, function calls. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimecorepriv.h"

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
void
gst_realtime_core_on_speech_started (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gst_realtime_turns_start_speech (core->turns, event->item_id,
      lookup (core, event->audio_start_ms));
  if (core->live && is_conversation (core)
      && core->config->turn_detection.interrupt_response)
    gst_realtime_core_add_action (core, GST_REALTIME_ACTION_BARGE_IN);
}

void
gst_realtime_core_on_speech_stopped (GstRealtimeCore * core,
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
void
gst_realtime_core_on_timeout_triggered (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  /* no speech is in progress then, unless the server is confused: that
   * turn ends here */
  if (!gst_realtime_turns_in_speech (core->turns))
    gst_realtime_turns_start_speech (core->turns, event->item_id,
        lookup (core, event->audio_start_ms));
  gst_realtime_core_on_speech_stopped (core, event, now_us);
}

/* Commits carry no event_id. The server VAD's follow a speech_stopped, so
 * one that follows none answers ours. */
void
gst_realtime_core_on_committed (GstRealtimeCore * core,
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

void
gst_realtime_core_on_response_created (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean in_band;
  gchar *event_id;

  if (gst_realtime_responses_is_stale (core->responses, event->metadata)) {
    /* asked for before a flush: its turn is gone, but until its
     * response.done it holds the conversation, and a request refused
     * meanwhile as busy waits for it */
    GST_REALTIME_CORE_DEBUG (core, "cancelling stale response %s",
        event->response_id);
    gst_realtime_responses_created (core->responses, event->response_id,
        event->metadata);
    event_id = gst_realtime_core_next_event_id (core);
    gst_realtime_core_send (core,
        gst_realtime_protocol_build_response_cancel (event_id,
            event->response_id));
    g_free (event_id);
    return;
  }
  in_band = gst_realtime_responses_created (core->responses,
      event->response_id, event->metadata);
  gst_realtime_turns_start_reply (core->turns, event->response_id,
      gst_realtime_timeline_get_end (core->timeline), in_band);
}

void
gst_realtime_core_on_response_done (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  if (g_strcmp0 (event->status, "failed") == 0)
    gst_realtime_core_problem (core, GST_REALTIME_ACTION_WARN,
        GST_REALTIME_PROBLEM_RESPONSE_FAILED);
  gst_realtime_core_notice (core, GST_REALTIME_NOTICE_RESPONSE_DONE);
  gst_realtime_turns_finish_reply (core->turns, event->response_id);
  gst_realtime_responses_done (core->responses, event->response_id);
  gst_realtime_core_follow_up_calls (core);
  gst_realtime_core_send_ready_responses (core);
  gst_realtime_core_advance (core);
}

void
gst_realtime_core_on_reply_text (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean final = event->type == GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DONE
      || event->type == GST_REALTIME_EVENT_TEXT_DONE;
  GstRealtimeReply *reply;

  gst_realtime_core_transcript_notice (core, GST_REALTIME_TEXT_ASSISTANT,
      final);
  if (final) {
    gst_realtime_core_remember_text (core, TRUE, event->text);
    return;
  }
  reply = gst_realtime_turns_get_reply (core->turns, event->response_id);
  if (!reply) {
    GST_REALTIME_CORE_DEBUG (core, "%s for unknown response %s",
        event->type_name, event->response_id ? event->response_id : "(NULL)");
    return;
  }
  gst_realtime_turns_add_reply_text (core->turns, reply, event->item_id,
      event->response_id, event->text);
}

/* Without replies (a transcription session) nothing else moves the idle
 * pads on, and a sink that never prerolls holds the text in the queue. */
void
gst_realtime_core_on_user_transcript (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gboolean final = event->type == GST_REALTIME_EVENT_INPUT_TRANSCRIPT_COMPLETED;

  gst_realtime_core_transcript_notice (core, GST_REALTIME_TEXT_USER, final);
  if (final)
    gst_realtime_core_remember_text (core, FALSE, event->text);
  gst_realtime_turns_add_transcript (core->turns, event->item_id,
      event->text, final);
  gst_realtime_core_advance (core);
}

/* A diarized segment: text with its speaker and times, in place of the
 * deltas. */
void
gst_realtime_core_on_transcript_segment (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  GstRealtimeSegment segment = { event->speaker, event->segment_start,
    event->segment_end
  };

  gst_realtime_core_transcript_notice (core, GST_REALTIME_TEXT_USER, FALSE);
  gst_realtime_turns_add_segment (core->turns, event->item_id, event->text,
      &segment);
}

/* Nothing more will come for this turn. */
void
gst_realtime_core_on_transcript_failed (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  gst_realtime_turns_add_transcript (core->turns, event->item_id, "", TRUE);
}

void
gst_realtime_core_on_function_call (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us)
{
  if (!event->call_id)
    return;
  g_hash_table_replace (core->open_calls, g_strdup (event->call_id),
      g_strdup (event->name));
  gst_realtime_core_notice (core, GST_REALTIME_NOTICE_FUNCTION_CALL);
}
