/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeturns.h"

typedef struct
{
  GstClockTime start;
  GstClockTime end;
} Turn;

struct _GstRealtimeTurns
{
  gboolean in_speech;
  GstClockTime speech_start;
  GQueue unanswered;            /* Turn *, ended turns awaiting a response */
  GHashTable *replies;          /* response id -> GstRealtimeReply * */
  GstClockTime answered_until;  /* end of the last answered turn */
};

GstRealtimeTurns *
gst_realtime_turns_new (void)
{
  GstRealtimeTurns *turns = g_new0 (GstRealtimeTurns, 1);

  g_queue_init (&turns->unanswered);
  turns->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  gst_realtime_turns_reset (turns);
  return turns;
}

void
gst_realtime_turns_free (GstRealtimeTurns * turns)
{
  if (!turns)
    return;
  g_queue_clear_full (&turns->unanswered, g_free);
  g_hash_table_unref (turns->replies);
  g_free (turns);
}

void
gst_realtime_turns_reset (GstRealtimeTurns * turns)
{
  turns->in_speech = FALSE;
  turns->speech_start = GST_CLOCK_TIME_NONE;
  turns->answered_until = GST_CLOCK_TIME_NONE;
  g_queue_clear_full (&turns->unanswered, g_free);
  g_hash_table_remove_all (turns->replies);
}

void
gst_realtime_turns_start_speech (GstRealtimeTurns * turns, GstClockTime start)
{
  turns->in_speech = TRUE;
  turns->speech_start = start;
}

/* Ends the turn in progress (or, with no speech seen, an empty one at @end)
 * and queues it for the next response. */
void
gst_realtime_turns_end_speech (GstRealtimeTurns * turns, GstClockTime end)
{
  Turn *turn = g_new (Turn, 1);

  turn->start = turns->in_speech ? turns->speech_start : end;
  turn->end = end;
  turns->in_speech = FALSE;
  g_queue_push_tail (&turns->unanswered, turn);
}

gboolean
gst_realtime_turns_in_speech (GstRealtimeTurns * turns)
{
  return turns->in_speech;
}

static const gchar *
reply_key (const gchar * response_id)
{
  return response_id ? response_id : "";
}

/* A new response answers the oldest unanswered turn; one that answers none
 * (asked for by the application) is stamped at @now. */
GstRealtimeReply *
gst_realtime_turns_start_reply (GstRealtimeTurns * turns,
    const gchar * response_id, GstClockTime now)
{
  GstRealtimeReply *reply = g_new0 (GstRealtimeReply, 1);
  Turn *turn = g_queue_pop_head (&turns->unanswered);

  reply->turn_start = turn ? turn->start : now;
  reply->turn_end = turn ? turn->end : now;
  reply->audio_next = GST_CLOCK_TIME_NONE;
  reply->text_next = reply->turn_start;
  g_free (turn);

  g_hash_table_replace (turns->replies, g_strdup (reply_key (response_id)),
      reply);
  return reply;
}

GstRealtimeReply *
gst_realtime_turns_get_reply (GstRealtimeTurns * turns,
    const gchar * response_id)
{
  return g_hash_table_lookup (turns->replies, reply_key (response_id));
}

void
gst_realtime_turns_finish_reply (GstRealtimeTurns * turns,
    const gchar * response_id)
{
  GstRealtimeReply *reply = gst_realtime_turns_get_reply (turns, response_id);

  if (!reply)
    return;
  if (GST_CLOCK_TIME_IS_VALID (reply->turn_end))
    turns->answered_until = reply->turn_end;
  g_hash_table_remove (turns->replies, reply_key (response_id));
}

/* Whether a turn is open, waits for its response or is being answered:
 * output may still be stamped at its start. */
gboolean
gst_realtime_turns_pending (GstRealtimeTurns * turns)
{
  return turns->in_speech || !g_queue_is_empty (&turns->unanswered)
      || g_hash_table_size (turns->replies) > 0;
}

GstClockTime
gst_realtime_turns_get_answered_until (GstRealtimeTurns * turns)
{
  return turns->answered_until;
}
