/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation as the element stamps it: the user's turns in input
 * time, which turn each response answers, where each response's audio
 * continues on the reply timeline, and the text of each turn (what the user
 * said, what the model answered) released in turn order: a turn's text
 * waits until the turns before it are complete, and its reply waits for its
 * transcript. Not thread-safe: the element calls it under its lock. */

#ifndef __GST_REALTIME_TURNS_H__
#define __GST_REALTIME_TURNS_H__

#include "gstrealtimecoretime.h"

G_BEGIN_DECLS

typedef struct _GstRealtimeTurns GstRealtimeTurns;
typedef struct _GstRealtimeTurn GstRealtimeTurn;

typedef enum
{
  GST_REALTIME_TEXT_USER,       /* a transcript of the input */
  GST_REALTIME_TEXT_ASSISTANT,  /* a reply, or its transcript */
} GstRealtimeTextRole;

/* A diarized segment of a transcript: who spoke, and when, in seconds
 * from the start of the turn's audio (-1 when unknown). */
typedef struct
{
  const gchar *speaker;
  gdouble start;
  gdouble end;
} GstRealtimeSegment;

/* Puts @text (of @segment, or NULL) on the text pad at @pts; returns
 * where it ends. @item_id and @response_id (NULL when unknown) say which
 * conversation item and response it is of. */
typedef GstRealtimeTime (*GstRealtimeTextFunc) (GstRealtimeTextRole role,
    const gchar * text, const GstRealtimeSegment * segment,
    const gchar * item_id, const gchar * response_id, GstRealtimeTime pts,
    gpointer user_data);

/* Audio of an item that waits for the items before it: the element's
 * buffer, which the core only holds. */
typedef struct
{
  gchar *item_id;
  gpointer audio;
  GDestroyNotify free_audio;
} GstRealtimeHeldAudio;

void gst_realtime_held_audio_free (GstRealtimeHeldAudio * held);

/* A response in progress. Its assistant items' audio plays one item after
 * the other: audio of a later item that arrives early is held. */
typedef struct
{
  GstRealtimeTurn *turn;        /* the turn it answers */
  GstRealtimeTime turn_end;        /* in input time */
  GstRealtimeTime audio_next;      /* NONE until its first audio */

  gchar *audio_item;            /* the item whose audio goes out now */
  GstRealtimeTime item_start;      /* its first buffer's time, NONE before */
  GQueue held;                  /* GstRealtimeHeldAudio */
  GPtrArray *done_items;        /* items whose audio is complete */
  gboolean interrupted;         /* the user spoke over it */
} GstRealtimeReply;

GstRealtimeTurns *gst_realtime_turns_new (GstRealtimeTextFunc text_func,
    gpointer user_data);
void gst_realtime_turns_free (GstRealtimeTurns * turns);
void gst_realtime_turns_reset (GstRealtimeTurns * turns);
/* Which text the lane releases; the rest is dropped. */
void gst_realtime_turns_set_text_output (GstRealtimeTurns * turns,
    gboolean transcripts, gboolean replies);

void gst_realtime_turns_start_speech (GstRealtimeTurns * turns,
    const gchar * item_id, GstRealtimeTime start);
void gst_realtime_turns_end_speech (GstRealtimeTurns * turns,
    const gchar * item_id, GstRealtimeTime end);
gboolean gst_realtime_turns_in_speech (GstRealtimeTurns * turns);
/* Forgets the turn in progress: its audio was cleared. */
void gst_realtime_turns_cancel_speech (GstRealtimeTurns * turns);
/* The user item of a commit: names the last ended turn that has none. */
void gst_realtime_turns_set_item (GstRealtimeTurns * turns,
    const gchar * item_id);
/* Whether the server will write a transcript for each turn. */
void gst_realtime_turns_expect_transcripts (GstRealtimeTurns * turns,
    gboolean expect);
/* Whether a response will answer the last ended turn by itself. */
void gst_realtime_turns_expect_reply (GstRealtimeTurns * turns,
    gboolean expect);

/* A response answers the oldest unanswered turn; one that answers none
 * (@answers_turn FALSE, or no turn waits) gets a turn of its own at @now. */
GstRealtimeReply *gst_realtime_turns_start_reply (GstRealtimeTurns * turns,
    const gchar * response_id, GstRealtimeTime now, gboolean answers_turn);
GstRealtimeReply *gst_realtime_turns_get_reply (GstRealtimeTurns * turns,
    const gchar * response_id);
void gst_realtime_turns_finish_reply (GstRealtimeTurns * turns,
    const gchar * response_id);
/* The replies in progress; free the list, not its items. */
GList *gst_realtime_turns_get_replies (GstRealtimeTurns * turns);

/* Text of the item @item_id of the response @response_id */
void gst_realtime_turns_add_reply_text (GstRealtimeTurns * turns,
    GstRealtimeReply * reply, const gchar * item_id,
    const gchar * response_id, const gchar * text);
/* A transcript delta, or with @final the whole transcript of @item_id. */
void gst_realtime_turns_add_transcript (GstRealtimeTurns * turns,
    const gchar * item_id, const gchar * text, gboolean final);

/* A diarized segment of @item_id's transcript. Once a turn has segments
 * they stand for its transcript: its deltas and final text add nothing. */
void gst_realtime_turns_add_segment (GstRealtimeTurns * turns,
    const gchar * item_id, const gchar * text,
    const GstRealtimeSegment * segment);

/* Releases all text still held, in turn order (at EOS). */
void gst_realtime_turns_flush (GstRealtimeTurns * turns);

gboolean gst_realtime_turns_pending (GstRealtimeTurns * turns);
GstRealtimeTime gst_realtime_turns_get_answered_until (GstRealtimeTurns *
    turns);

G_END_DECLS

#endif /* __GST_REALTIME_TURNS_H__ */
