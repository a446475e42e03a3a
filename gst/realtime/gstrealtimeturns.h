/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation as the element stamps it: the user's turns in input
 * time, which turn each response answers, and where each response's audio
 * and text continue on the output timelines. Not thread-safe: the element
 * calls it under its lock. */

#ifndef __GST_REALTIME_TURNS_H__
#define __GST_REALTIME_TURNS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstRealtimeTurns GstRealtimeTurns;

/* A response in progress. */
typedef struct
{
  GstClockTime turn_start;      /* the speech it answers, in input time */
  GstClockTime turn_end;
  GstClockTime audio_next;      /* NONE until its first audio */
  GstClockTime text_next;
} GstRealtimeReply;

GstRealtimeTurns *gst_realtime_turns_new (void);
void gst_realtime_turns_free (GstRealtimeTurns * turns);
void gst_realtime_turns_reset (GstRealtimeTurns * turns);

void gst_realtime_turns_start_speech (GstRealtimeTurns * turns,
    GstClockTime start);
void gst_realtime_turns_end_speech (GstRealtimeTurns * turns,
    GstClockTime end);
gboolean gst_realtime_turns_in_speech (GstRealtimeTurns * turns);

GstRealtimeReply *gst_realtime_turns_start_reply (GstRealtimeTurns * turns,
    const gchar * response_id, GstClockTime now);
GstRealtimeReply *gst_realtime_turns_get_reply (GstRealtimeTurns * turns,
    const gchar * response_id);
void gst_realtime_turns_finish_reply (GstRealtimeTurns * turns,
    const gchar * response_id);

gboolean gst_realtime_turns_pending (GstRealtimeTurns * turns);
GstClockTime gst_realtime_turns_get_answered_until (GstRealtimeTurns *
    turns);

G_END_DECLS

#endif /* __GST_REALTIME_TURNS_H__ */
