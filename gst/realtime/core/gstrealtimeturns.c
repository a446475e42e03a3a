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

#include <string.h>

#include "gstrealtimeturns.h"

/* Ended turns kept for responses that may still come (push-to-talk apps
 * ask later); older ones are answered by nobody. */
#define MAX_UNANSWERED 16

struct _GstRealtimeTurn
{
  gint refs;
  gchar *item_id;               /* the user item, once known */
  GstRealtimeTime start;
  GstRealtimeTime end;
  gboolean ended;
  gboolean own;                 /* made for a response that answers none */
  gboolean expects_reply;
  gboolean answered;            /* a response started for it */
  gboolean reply_done;
  gboolean transcript_done;
  gboolean segmented;           /* diarized: its segments are its text */
  gboolean in_lane;
  GString *transcript;          /* transcript deltas so far */
  GQueue user_text;             /* HeldText *, held for release */
  GQueue reply_text;
  GstRealtimeTime text_next;
};

struct _GstRealtimeTurns
{
  GstRealtimeTextFunc text_func;
  gpointer user_data;
  gboolean want_transcripts;
  gboolean want_replies;
  gboolean expect_transcripts;

  GQueue lane;                  /* turns whose text is not all out */
  GQueue unanswered;            /* ended turns no response answered */
  GstRealtimeTurn *speaking;
  GHashTable *replies;          /* response id -> GstRealtimeReply * */
  /* end of the last turn answered or out */
  GstRealtimeTime answered_until;
};

/* Text waiting for release, and the segment it is, if it is one. */
typedef struct
{
  gchar *text;
  gchar *item_id;
  gchar *response_id;
  gboolean is_segment;
  gchar *speaker;
  GstRealtimeSegment segment;
} HeldText;

static HeldText *
held_text_new (const gchar * text, const GstRealtimeSegment * segment,
    const gchar * item_id, const gchar * response_id)
{
  HeldText *held = g_new0 (HeldText, 1);

  held->text = g_strdup (text);
  held->item_id = g_strdup (item_id);
  held->response_id = g_strdup (response_id);
  if (segment) {
    held->is_segment = TRUE;
    held->speaker = g_strdup (segment->speaker);
    held->segment = *segment;
    held->segment.speaker = held->speaker;
  }
  return held;
}

static void
held_text_free (HeldText * held)
{
  g_free (held->text);
  g_free (held->item_id);
  g_free (held->response_id);
  g_free (held->speaker);
  g_free (held);
}

static GstRealtimeTurn *
turn_new (GstRealtimeTime start)
{
  GstRealtimeTurn *turn = g_new0 (GstRealtimeTurn, 1);

  turn->refs = 1;
  turn->start = turn->end = turn->text_next = start;
  turn->transcript = g_string_new (NULL);
  return turn;
}

static GstRealtimeTurn *
turn_ref (GstRealtimeTurn * turn)
{
  turn->refs++;
  return turn;
}

static void
turn_unref (GstRealtimeTurn * turn)
{
  if (--turn->refs > 0)
    return;
  g_free (turn->item_id);
  g_string_free (turn->transcript, TRUE);
  g_queue_clear_full (&turn->user_text, (GDestroyNotify) held_text_free);
  g_queue_clear_full (&turn->reply_text, (GDestroyNotify) held_text_free);
  g_free (turn);
}

void
gst_realtime_held_audio_free (GstRealtimeHeldAudio * held)
{
  g_free (held->item_id);
  if (held->audio)
    held->free_audio (held->audio);
  g_free (held);
}

static void
reply_free (GstRealtimeReply * reply)
{
  turn_unref (reply->turn);
  g_free (reply->audio_item);
  g_queue_clear_full (&reply->held,
      (GDestroyNotify) gst_realtime_held_audio_free);
  g_ptr_array_unref (reply->done_items);
  g_free (reply);
}

GstRealtimeTurns *
gst_realtime_turns_new (GstRealtimeTextFunc text_func, gpointer user_data)
{
  GstRealtimeTurns *turns = g_new0 (GstRealtimeTurns, 1);

  turns->text_func = text_func;
  turns->user_data = user_data;
  turns->want_replies = TRUE;
  turns->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) reply_free);
  gst_realtime_turns_reset (turns);
  return turns;
}

void
gst_realtime_turns_free (GstRealtimeTurns * turns)
{
  if (!turns)
    return;
  gst_realtime_turns_reset (turns);
  g_hash_table_unref (turns->replies);
  g_free (turns);
}

void
gst_realtime_turns_reset (GstRealtimeTurns * turns)
{
  g_queue_clear_full (&turns->lane, (GDestroyNotify) turn_unref);
  g_queue_clear_full (&turns->unanswered, (GDestroyNotify) turn_unref);
  g_clear_pointer (&turns->speaking, turn_unref);
  g_hash_table_remove_all (turns->replies);
  turns->answered_until = GST_REALTIME_TIME_NONE;
}

void
gst_realtime_turns_set_text_output (GstRealtimeTurns * turns,
    gboolean transcripts, gboolean replies)
{
  turns->want_transcripts = transcripts;
  turns->want_replies = replies;
}

void
gst_realtime_turns_expect_transcripts (GstRealtimeTurns * turns,
    gboolean expect)
{
  turns->expect_transcripts = expect;
}

/* ------------------------------------------------------------------ */
/* The text lane */

static gboolean
needs_transcript (GstRealtimeTurns * turns, GstRealtimeTurn * turn)
{
  return turns->want_transcripts && turns->expect_transcripts && !turn->own
      && !turn->transcript_done;
}

static gboolean
needs_reply (GstRealtimeTurns * turns, GstRealtimeTurn * turn)
{
  return turns->want_replies && (turn->expects_reply || turn->answered)
      && !turn->reply_done;
}

/* A segment starts where it was said, never before the text ahead of it
 * nor, whatever the server says, after its turn. */
static GstRealtimeTime
held_pts (GstRealtimeTurn * turn, HeldText * held)
{
  GstRealtimeTime start, length;

  if (!held->is_segment || !(held->segment.start >= 0.0)
      || !GST_REALTIME_TIME_IS_VALID (turn->start)
      || !GST_REALTIME_TIME_IS_VALID (turn->end) || turn->end < turn->start
      || !GST_REALTIME_TIME_IS_VALID (turn->text_next))
    return turn->text_next;
  length = turn->end - turn->start;
  start = held->segment.start * GST_REALTIME_SECOND < length ?
      (GstRealtimeTime) (held->segment.start * GST_REALTIME_SECOND) : length;
  return MAX (turn->start + start, turn->text_next);
}

/* The last piece of a role's text in a turn ends with a line break, so
 * that turns stay apart in plain text; subtitle encoders and textoverlay
 * end a cue or a line there anyway. */
static void
end_line (HeldText * held)
{
  gchar *line = g_strconcat (held->text, "\n", NULL);

  g_free (held->text);
  held->text = line;
}

/* Pushes the text held for one role of a turn. Its last piece waits until
 * the role's text is @complete, to end the line. */
static void
push_held (GstRealtimeTurns * turns, GstRealtimeTurn * turn, GQueue * queue,
    GstRealtimeTextRole role, gboolean complete)
{
  HeldText *held;

  while (g_queue_get_length (queue) > (complete ? 0 : 1)) {
    held = g_queue_pop_head (queue);
    if (g_queue_is_empty (queue))
      end_line (held);
    turn->text_next = turns->text_func (role, held->text,
        held->is_segment ? &held->segment : NULL, held->item_id,
        held->response_id, held_pts (turn, held), turns->user_data);
    held_text_free (held);
  }
}

/* Pushes the text of the oldest turns, and retires them once complete:
 * a turn's text waits for the turns before it, its reply for its
 * transcript. With @all, holds nothing back. */
static void
release (GstRealtimeTurns * turns, gboolean all)
{
  GstRealtimeTurn *turn;

  while ((turn = g_queue_peek_head (&turns->lane))) {
    push_held (turns, turn, &turn->user_text, GST_REALTIME_TEXT_USER,
        all || turn->transcript_done);
    if (needs_transcript (turns, turn) && !all)
      return;
    push_held (turns, turn, &turn->reply_text, GST_REALTIME_TEXT_ASSISTANT,
        all || turn->reply_done);
    if (!all && (!turn->ended || needs_reply (turns, turn)))
      return;
    /* what is still held is all the turn will have */
    push_held (turns, turn, &turn->user_text, GST_REALTIME_TEXT_USER, TRUE);
    push_held (turns, turn, &turn->reply_text, GST_REALTIME_TEXT_ASSISTANT,
        TRUE);
    g_queue_pop_head (&turns->lane);
    turn->in_lane = FALSE;
    /* a transcribed turn nobody answers is as settled as an answered one */
    if (!turn->own)
      turns->answered_until = turn->end;
    turn_unref (turn);
  }
}

static void
join_lane (GstRealtimeTurns * turns, GstRealtimeTurn * turn)
{
  if (turn->in_lane)
    return;
  turn->in_lane = TRUE;
  g_queue_push_tail (&turns->lane, turn_ref (turn));
}

void
gst_realtime_turns_flush (GstRealtimeTurns * turns)
{
  release (turns, TRUE);
}

/* ------------------------------------------------------------------ */
/* Speech */

void
gst_realtime_turns_start_speech (GstRealtimeTurns * turns,
    const gchar * item_id, GstRealtimeTime start)
{
  GstRealtimeTurn *turn = turn_new (start);

  turn->item_id = g_strdup (item_id);
  g_clear_pointer (&turns->speaking, turn_unref);
  turns->speaking = turn;
  join_lane (turns, turn);
}

static void
remember_unanswered (GstRealtimeTurns * turns, GstRealtimeTurn * turn)
{
  g_queue_push_tail (&turns->unanswered, turn);
  if (g_queue_get_length (&turns->unanswered) > MAX_UNANSWERED)
    turn_unref (g_queue_pop_head (&turns->unanswered));
}

/* Ends the turn in progress (or, with no speech seen, an empty one at @end)
 * and keeps it for the next response. */
void
gst_realtime_turns_end_speech (GstRealtimeTurns * turns,
    const gchar * item_id, GstRealtimeTime end)
{
  GstRealtimeTurn *turn = turns->speaking;

  turns->speaking = NULL;
  if (!turn) {
    turn = turn_new (end);
    join_lane (turns, turn);
  }
  if (!turn->item_id)
    turn->item_id = g_strdup (item_id);
  turn->end = end;
  turn->ended = TRUE;
  remember_unanswered (turns, turn);
  release (turns, FALSE);
}

gboolean
gst_realtime_turns_in_speech (GstRealtimeTurns * turns)
{
  return turns->speaking != NULL;
}

void
gst_realtime_turns_cancel_speech (GstRealtimeTurns * turns)
{
  GstRealtimeTurn *turn = turns->speaking;

  if (!turn)
    return;
  turns->speaking = NULL;
  if (turn->in_lane && g_queue_remove (&turns->lane, turn)) {
    turn->in_lane = FALSE;
    turn_unref (turn);
  }
  turn_unref (turn);
  release (turns, FALSE);
}

void
gst_realtime_turns_set_item (GstRealtimeTurns * turns, const gchar * item_id)
{
  GstRealtimeTurn *turn = g_queue_peek_tail (&turns->unanswered);

  if (turn && !turn->item_id)
    turn->item_id = g_strdup (item_id);
}

void
gst_realtime_turns_expect_reply (GstRealtimeTurns * turns, gboolean expect)
{
  GstRealtimeTurn *turn = g_queue_peek_tail (&turns->unanswered);

  if (turn)
    turn->expects_reply = expect;
}

/* ------------------------------------------------------------------ */
/* Replies */

static const gchar *
reply_key (const gchar * response_id)
{
  return response_id ? response_id : "";
}

GstRealtimeReply *
gst_realtime_turns_start_reply (GstRealtimeTurns * turns,
    const gchar * response_id, GstRealtimeTime now, gboolean answers_turn)
{
  GstRealtimeReply *reply = g_new0 (GstRealtimeReply, 1);
  GstRealtimeTurn *turn = answers_turn ?
      g_queue_pop_head (&turns->unanswered) : NULL;

  if (!turn) {
    turn = turn_new (now);
    turn->ended = turn->own = TRUE;
  }
  turn->answered = TRUE;
  join_lane (turns, turn);

  reply->turn = turn;
  reply->turn_end = turn->end;
  reply->audio_next = GST_REALTIME_TIME_NONE;
  reply->done_items = g_ptr_array_new_with_free_func (g_free);
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
  reply->turn->reply_done = TRUE;
  if (!reply->turn->own)
    turns->answered_until = reply->turn_end;
  g_hash_table_remove (turns->replies, reply_key (response_id));
  release (turns, FALSE);
}

GList *
gst_realtime_turns_get_replies (GstRealtimeTurns * turns)
{
  return g_hash_table_get_values (turns->replies);
}

void
gst_realtime_turns_add_reply_text (GstRealtimeTurns * turns,
    GstRealtimeReply * reply, const gchar * item_id,
    const gchar * response_id, const gchar * text)
{
  if (!turns->want_replies || !text || !*text)
    return;
  g_queue_push_tail (&reply->turn->reply_text, held_text_new (text, NULL,
          item_id, response_id));
  release (turns, FALSE);
}

/* ------------------------------------------------------------------ */
/* Transcripts */

static GstRealtimeTurn *
find_turn (GstRealtimeTurns * turns, const gchar * item_id)
{
  GList *l;

  for (l = turns->lane.head; l && item_id; l = l->next) {
    GstRealtimeTurn *turn = l->data;

    if (g_strcmp0 (turn->item_id, item_id) == 0)
      return turn;
  }
  return NULL;
}

/* What a final transcript adds to the deltas already seen. */
static const gchar *
transcript_rest (GstRealtimeTurn * turn, const gchar * text)
{
  if (g_str_has_prefix (text, turn->transcript->str))
    return text + turn->transcript->len;
  /* the deltas said something else: they stand */
  return "";
}

void
gst_realtime_turns_add_transcript (GstRealtimeTurns * turns,
    const gchar * item_id, const gchar * text, gboolean final)
{
  GstRealtimeTurn *turn = find_turn (turns, item_id);

  if (!turn || turn->transcript_done || !text)
    return;
  if (final) {
    text = turn->segmented ? "" : transcript_rest (turn, text);
    turn->transcript_done = TRUE;
  } else if (turn->segmented) {
    return;
  }
  g_string_append (turn->transcript, text);
  if (turns->want_transcripts && *text)
    g_queue_push_tail (&turn->user_text, held_text_new (text, NULL,
            item_id, NULL));
  release (turns, FALSE);
}

void
gst_realtime_turns_add_segment (GstRealtimeTurns * turns,
    const gchar * item_id, const gchar * text,
    const GstRealtimeSegment * segment)
{
  GstRealtimeTurn *turn = find_turn (turns, item_id);

  if (!turn || turn->transcript_done || !text)
    return;
  turn->segmented = TRUE;
  g_string_append (turn->transcript, text);
  if (turns->want_transcripts && *text)
    g_queue_push_tail (&turn->user_text, held_text_new (text, segment,
            item_id, NULL));
  release (turns, FALSE);
}

/* ------------------------------------------------------------------ */

/* Whether a turn is open, waits for its response or transcript, or is
 * being answered: output may still be stamped at its start. */
gboolean
gst_realtime_turns_pending (GstRealtimeTurns * turns)
{
  return turns->speaking || !g_queue_is_empty (&turns->lane)
      || g_hash_table_size (turns->replies) > 0;
}

GstRealtimeTime
gst_realtime_turns_get_answered_until (GstRealtimeTurns * turns)
{
  return turns->answered_until;
}
