/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Reply audio: its own continuous timeline and the items of a response
 * in order; the core hears where it plays, for barge-in. Session thread,
 * under the element lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrealtimeaipriv.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

static GstBuffer *
make_audio_buffer (GstRealtimeAI * self, GstRealtimeServerEvent * event)
{
  guint64 n_samples = event->audio_size / self->formats.out_bps;
  GstBuffer *buffer;

  if (n_samples == 0)
    return NULL;
  buffer =
      gst_buffer_new_wrapped (event->audio, n_samples * self->formats.out_bps);
  event->audio = NULL;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n_samples,
      GST_SECOND, self->formats.out_rate);
  return buffer;
}

/* A new response starts a new stretch of the reply timeline, after the
 * turn it answers and, when live, no earlier than now: a live sink would
 * drop audio stamped in the past. */
static void
queue_reply_audio_locked (GstRealtimeAI * self, GstRealtimeReply * reply,
    GstBuffer * buffer)
{
  GstClockTime pts;

  if (!GST_CLOCK_TIME_IS_VALID (reply->audio_next)) {
    GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
    reply->audio_next = reply->turn_end;
    if (self->input.live)
      reply->audio_next = MAX (reply->audio_next,
          gst_realtime_timeline_get_end (gst_realtime_core_get_timeline
              (self->core)));
  }
  GST_BUFFER_PTS (buffer) = reply->audio_next;
  pts = gst_realtime_output_queue_buffer (self->audio_out, buffer);
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return;
  reply->audio_next = gst_realtime_output_get_end (self->audio_out);
  if (!GST_CLOCK_TIME_IS_VALID (reply->item_start)) {
    reply->item_start = pts;
    gst_realtime_core_play_item (self->core, reply->audio_item, pts);
  }
  gst_realtime_core_play_until (self->core, reply->audio_next);
}

static void
start_item (GstRealtimeReply * reply, const gchar * item_id)
{
  g_free (reply->audio_item);
  reply->audio_item = g_strdup (item_id);
  reply->item_start = GST_CLOCK_TIME_NONE;
}

static gboolean
item_is_done (GstRealtimeReply * reply, const gchar * item_id)
{
  guint i;

  for (i = 0; i < reply->done_items->len; i++)
    if (g_strcmp0 (g_ptr_array_index (reply->done_items, i), item_id) == 0)
      return TRUE;
  return FALSE;
}

/* The next item's held audio goes out; items that are already complete
 * make way for the one after them. */
static void
release_held_locked (GstRealtimeAI * self, GstRealtimeReply * reply)
{
  GstRealtimeHeldAudio *held;
  GList *l, *next;

  while (!reply->audio_item && (held = g_queue_peek_head (&reply->held))) {
    start_item (reply, held->item_id);
    for (l = reply->held.head; l; l = next) {
      next = l->next;
      held = l->data;
      if (g_strcmp0 (held->item_id, reply->audio_item) != 0)
        continue;
      queue_reply_audio_locked (self, reply, g_steal_pointer (&held->audio));
      gst_realtime_held_audio_free (held);
      g_queue_delete_link (&reply->held, l);
    }
    if (item_is_done (reply, reply->audio_item))
      g_clear_pointer (&reply->audio_item, g_free);
  }
}

void
gst_realtime_ai_reply_audio_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply, GstRealtimeServerEvent * event)
{
  GstBuffer *buffer;
  GstRealtimeHeldAudio *held;

  if (reply->interrupted || !(buffer = make_audio_buffer (self, event)))
    return;
  if (!reply->audio_item && g_queue_is_empty (&reply->held))
    start_item (reply, event->item_id);
  if (g_strcmp0 (event->item_id, reply->audio_item) == 0) {
    queue_reply_audio_locked (self, reply, buffer);
    return;
  }
  held = g_new0 (GstRealtimeHeldAudio, 1);
  held->item_id = g_strdup (event->item_id);
  held->audio = buffer;
  held->free_audio = (GDestroyNotify) gst_buffer_unref;
  g_queue_push_tail (&reply->held, held);
}

void
gst_realtime_ai_reply_audio_done_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply, const gchar * item_id)
{
  g_ptr_array_add (reply->done_items, g_strdup (item_id));
  if (g_strcmp0 (item_id, reply->audio_item) == 0)
    g_clear_pointer (&reply->audio_item, g_free);
  release_held_locked (self, reply);
}

/* The response is over: audio still held for items whose end never came
 * goes out, in order. */
void
gst_realtime_ai_reply_audio_finish_locked (GstRealtimeAI * self,
    GstRealtimeReply * reply)
{
  while (!g_queue_is_empty (&reply->held)) {
    g_clear_pointer (&reply->audio_item, g_free);
    release_held_locked (self, reply);
  }
}
