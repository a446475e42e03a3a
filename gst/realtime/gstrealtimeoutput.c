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

#include "gstrealtimeoutput.h"

GST_DEBUG_CATEGORY_STATIC (realtime_output_debug);
#define GST_CAT_DEFAULT realtime_output_debug

struct _GstRealtimeOutput
{
  GstPad *pad;
  GstRealtimeOutputFlowFunc flow_func;
  gpointer user_data;

  GMutex lock;
  GCond cond;
  GQueue items;                 /* GstBuffer and serialized GstEvent */
  gboolean task_waiting;        /* on cond, for an item */
  gboolean flushing;
  gboolean have_segment;
  GstClockTime end;             /* end of the queued timeline */
};

GstRealtimeOutput *
gst_realtime_output_new (GstPad * pad, GstRealtimeOutputFlowFunc flow_func,
    gpointer user_data)
{
  GstRealtimeOutput *output = g_new0 (GstRealtimeOutput, 1);

  GST_DEBUG_CATEGORY_INIT (realtime_output_debug, "realtimeoutput", 0,
      "realtimeai source pad queues");

  output->pad = gst_object_ref (pad);
  output->flow_func = flow_func;
  output->user_data = user_data;
  output->flushing = TRUE;
  output->end = GST_CLOCK_TIME_NONE;
  g_mutex_init (&output->lock);
  g_cond_init (&output->cond);
  g_queue_init (&output->items);
  return output;
}

void
gst_realtime_output_free (GstRealtimeOutput * output)
{
  g_queue_clear_full (&output->items, (GDestroyNotify) gst_mini_object_unref);
  g_mutex_clear (&output->lock);
  g_cond_clear (&output->cond);
  gst_object_unref (output->pad);
  g_free (output);
}

GstPad *
gst_realtime_output_get_pad (GstRealtimeOutput * output)
{
  return output->pad;
}

static GstMiniObject *
output_wait_for_item (GstRealtimeOutput * output)
{
  GstMiniObject *item = NULL;

  g_mutex_lock (&output->lock);
  while (!output->flushing && g_queue_is_empty (&output->items)) {
    output->task_waiting = TRUE;
    g_cond_wait (&output->cond, &output->lock);
    output->task_waiting = FALSE;
  }
  if (!output->flushing)
    item = g_queue_pop_head (&output->items);
  g_mutex_unlock (&output->lock);
  return item;
}

static gboolean
output_is_flushing (GstRealtimeOutput * output)
{
  gboolean flushing;

  g_mutex_lock (&output->lock);
  flushing = output->flushing;
  g_mutex_unlock (&output->lock);
  return flushing;
}

static GstFlowReturn
output_push_item (GstRealtimeOutput * output, GstMiniObject * item)
{
  if (GST_IS_BUFFER (item))
    return gst_pad_push (output->pad, GST_BUFFER_CAST (item));

  if (GST_EVENT_TYPE (item) == GST_EVENT_EOS) {
    gst_pad_push_event (output->pad, GST_EVENT_CAST (item));
    return GST_FLOW_EOS;
  }
  if (!gst_pad_push_event (output->pad, GST_EVENT_CAST (item)))
    GST_DEBUG_OBJECT (output->pad, "downstream refused an event");
  return GST_FLOW_OK;
}

static void
output_loop (gpointer user_data)
{
  GstRealtimeOutput *output = user_data;
  GstMiniObject *item = output_wait_for_item (output);
  GstFlowReturn ret, combined;

  if (!item) {
    GST_DEBUG_OBJECT (output->pad, "flushing, pausing");
    gst_pad_pause_task (output->pad);
    return;
  }

  ret = output_push_item (output, item);
  if (ret == GST_FLOW_FLUSHING && output_is_flushing (output)) {
    /* our own flush (a barge-in, a flush of the input): it says nothing
     * of downstream, and in the flow combiner it would stop the other pad
     * and the input */
    GST_DEBUG_OBJECT (output->pad, "flushed, pausing");
    gst_pad_pause_task (output->pad);
    return;
  }
  combined = output->flow_func (output, ret, output->user_data);

  /* a combined FLUSHING while this pad pushed fine is a flush downstream
   * of the other pad, which passes: pausing on it would stop this pad for
   * good (the element's own flushing pauses both pads itself) */
  if (ret == GST_FLOW_EOS || ret == GST_FLOW_FLUSHING
      || (combined != GST_FLOW_OK && combined != GST_FLOW_FLUSHING)) {
    GST_DEBUG_OBJECT (output->pad, "pausing: %s (combined %s)",
        gst_flow_get_name (ret), gst_flow_get_name (combined));
    gst_pad_pause_task (output->pad);
  }
}

gboolean
gst_realtime_output_start (GstRealtimeOutput * output)
{
  g_mutex_lock (&output->lock);
  output->flushing = FALSE;
  g_mutex_unlock (&output->lock);
  return gst_pad_start_task (output->pad, output_loop, output, NULL);
}

static void
output_reset (GstRealtimeOutput * output, gboolean flushing)
{
  g_mutex_lock (&output->lock);
  output->flushing = flushing;
  g_queue_clear_full (&output->items, (GDestroyNotify) gst_mini_object_unref);
  output->end = GST_CLOCK_TIME_NONE;
  output->have_segment = FALSE;
  g_cond_broadcast (&output->cond);
  g_mutex_unlock (&output->lock);
}

/* Empties the queue. With @flushing the task pauses; without, the pad starts
 * over with a fresh timeline and its task runs again. */
void
gst_realtime_output_set_flushing (GstRealtimeOutput * output, gboolean flushing)
{
  output_reset (output, flushing);

  if (flushing)
    gst_pad_pause_task (output->pad);
  else
    gst_pad_start_task (output->pad, output_loop, output, NULL);
}

void
gst_realtime_output_stop (GstRealtimeOutput * output)
{
  output_reset (output, TRUE);
  gst_pad_stop_task (output->pad);
}

/* The queued data goes; the events data needs before it (stream-start,
 * caps, tags) stay, for they may not have been pushed yet. */
static void
output_drop_data_locked (GstRealtimeOutput * output)
{
  GList *l, *next;

  for (l = output->items.head; l; l = next) {
    GstMiniObject *item = l->data;

    next = l->next;
    if (GST_IS_EVENT (item) && (GST_EVENT_TYPE (item) == GST_EVENT_STREAM_START
            || GST_EVENT_TYPE (item) == GST_EVENT_CAPS
            || GST_EVENT_TYPE (item) == GST_EVENT_TAG))
      continue;
    gst_mini_object_unref (item);
    g_queue_delete_link (&output->items, l);
  }
}

/* What is queued goes, and with @flush_downstream what downstream holds
 * too; the pad then starts over at @resume in @segment. Without the flush
 * the task goes on, what it may be pushing being the last of the old data,
 * and so does the timeline: nothing is stamped before what went out. */
void
gst_realtime_output_interrupt (GstRealtimeOutput * output,
    const GstSegment * segment, GstClockTime resume, gboolean flush_downstream)
{
  GstClockTime end = GST_CLOCK_TIME_NONE;

  if (flush_downstream) {
    g_mutex_lock (&output->lock);
    output->flushing = TRUE;
    g_cond_broadcast (&output->cond);
    g_mutex_unlock (&output->lock);
    gst_pad_push_event (output->pad, gst_event_new_flush_start ());
    /* the task is out of downstream now, and stays paused */
    gst_pad_pause_task (output->pad);
    gst_pad_push_event (output->pad, gst_event_new_flush_stop (FALSE));
  }

  g_mutex_lock (&output->lock);
  if (!flush_downstream)
    end = output->end;
  output->flushing = FALSE;
  output_drop_data_locked (output);
  output->have_segment = FALSE;
  g_mutex_unlock (&output->lock);

  gst_realtime_output_queue_event (output, gst_event_new_segment (segment));
  g_mutex_lock (&output->lock);
  if (GST_CLOCK_TIME_IS_VALID (end) && end > output->end)
    output->end = end;
  if (GST_CLOCK_TIME_IS_VALID (resume) && resume > output->end)
    output->end = resume;
  g_mutex_unlock (&output->lock);
  if (flush_downstream)
    gst_pad_start_task (output->pad, output_loop, output, NULL);
}

static void
output_enqueue_locked (GstRealtimeOutput * output, gpointer item)
{
  if (output->flushing) {
    gst_mini_object_unref (item);
    return;
  }
  g_queue_push_tail (&output->items, item);
  /* a signal is a futex call: while the task is busy, it finds the item
   * without one */
  if (output->task_waiting)
    g_cond_signal (&output->cond);
}

void
gst_realtime_output_queue_event (GstRealtimeOutput * output, GstEvent * event)
{
  g_mutex_lock (&output->lock);
  if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
    const GstSegment *segment;

    gst_event_parse_segment (event, &segment);
    output->have_segment = TRUE;
    output->end = segment->start;
  }
  output_enqueue_locked (output, event);
  g_mutex_unlock (&output->lock);
}

/* Queues @buffer no earlier than the end of what is queued already and
 * returns the timestamp it was given. */
GstClockTime
gst_realtime_output_queue_buffer (GstRealtimeOutput * output,
    GstBuffer * buffer)
{
  GstClockTime pts;

  g_mutex_lock (&output->lock);
  if (!output->have_segment) {
    g_mutex_unlock (&output->lock);
    GST_DEBUG_OBJECT (output->pad, "no segment yet, dropping buffer");
    gst_buffer_unref (buffer);
    return GST_CLOCK_TIME_NONE;
  }

  buffer = gst_buffer_make_writable (buffer);
  if (!GST_BUFFER_PTS_IS_VALID (buffer)
      || (GST_CLOCK_TIME_IS_VALID (output->end)
          && GST_BUFFER_PTS (buffer) < output->end)) {
    GST_LOG_OBJECT (output->pad, "moving buffer from %" GST_TIME_FORMAT
        " to %" GST_TIME_FORMAT, GST_TIME_ARGS (GST_BUFFER_PTS (buffer)),
        GST_TIME_ARGS (output->end));
    GST_BUFFER_PTS (buffer) = output->end;
  }
  pts = GST_BUFFER_PTS (buffer);
  if (GST_CLOCK_TIME_IS_VALID (pts))
    output->end = pts + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
        GST_BUFFER_DURATION (buffer) : 0);
  output_enqueue_locked (output, buffer);
  g_mutex_unlock (&output->lock);
  return pts;
}

/* Declares that nothing will be queued before @position: the pad gets a GAP
 * event over the idle time so downstream never waits on it. */
void
gst_realtime_output_advance (GstRealtimeOutput * output, GstClockTime position)
{
  g_mutex_lock (&output->lock);
  if (output->have_segment && GST_CLOCK_TIME_IS_VALID (position)
      && GST_CLOCK_TIME_IS_VALID (output->end) && position > output->end) {
    output_enqueue_locked (output, gst_event_new_gap (output->end,
            position - output->end));
    output->end = position;
  }
  g_mutex_unlock (&output->lock);
}

GstClockTime
gst_realtime_output_get_end (GstRealtimeOutput * output)
{
  GstClockTime end;

  g_mutex_lock (&output->lock);
  end = output->end;
  g_mutex_unlock (&output->lock);
  return end;
}
