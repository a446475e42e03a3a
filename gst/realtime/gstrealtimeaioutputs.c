/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The two source pads: the text buffers and their meta, the flow they
 * combine into, barge-in's flush of the reply audio, and idle pads moving
 * on while nothing is pending. Text and advances come under the element
 * lock; the flush and the flow come without it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeaipriv.h"

#define GST_CAT_DEFAULT gst_realtime_ai_debug

/* Text deltas have no duration of their own: give each character the time
 * it takes to say it, about 15 characters a second. */
#define TEXT_TIME_PER_CHAR (66 * GST_MSECOND)
/* The longest a diarized segment's text shows */
#define MAX_SEGMENT_SECONDS 60.0
/* The custom meta on text buffers that says whose text it is. */
#define TEXT_META "GstRealtimeTextMeta"

static GstFlowReturn
gst_realtime_ai_combine_flow (GstRealtimeOutput * output, GstFlowReturn ret,
    gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  GstFlowReturn combined;

  g_mutex_lock (&self->lock);
  combined = gst_flow_combiner_update_pad_flow (self->flow_combiner,
      gst_realtime_output_get_pad (output), ret);
  if (combined != GST_FLOW_EOS)
    self->flow = combined;
  g_mutex_unlock (&self->lock);

  if (combined == GST_FLOW_NOT_LINKED || combined < GST_FLOW_EOS) {
    GST_ELEMENT_FLOW_ERROR (self, combined);
    gst_pad_push_event (gst_realtime_output_get_pad (output),
        gst_event_new_eos ());
  }
  return combined;
}

/* A diarized segment's speaker and times go in the meta too. */
static void
set_segment_meta (GstStructure * s, const GstRealtimeSegment * segment)
{
  if (segment->speaker)
    gst_structure_set (s, "speaker", G_TYPE_STRING, segment->speaker, NULL);
  if (segment->start >= 0.0)
    gst_structure_set (s, "start", G_TYPE_DOUBLE, segment->start, NULL);
  if (segment->end >= 0.0)
    gst_structure_set (s, "end", G_TYPE_DOUBLE, segment->end, NULL);
}

static void
set_ids_meta (GstStructure * s, const gchar * item_id,
    const gchar * response_id)
{
  if (item_id)
    gst_structure_set (s, "item-id", G_TYPE_STRING, item_id, NULL);
  if (response_id)
    gst_structure_set (s, "response-id", G_TYPE_STRING, response_id, NULL);
}

/* How long text shows: a segment as long as it was spoken (up to a
 * bound, whatever the server says) */
static GstClockTime
text_duration (const gchar * text, gsize size,
    const GstRealtimeSegment * segment)
{
  gdouble seconds = segment ? segment->end - segment->start : 0.0;

  if (segment && segment->start >= 0.0 && seconds > 0.0)
    return (GstClockTime) (MIN (seconds, MAX_SEGMENT_SECONDS) * GST_SECOND);
  return MAX (1, g_utf8_strlen (text, size)) * TEXT_TIME_PER_CHAR;
}

/* Text on text_src, tagged with whose it is and, so that apps can join
 * it to the bus messages, the item and response it is of. */
GstClockTime
gst_realtime_ai_push_text (GstRealtimeTextRole role, const gchar * text,
    const GstRealtimeSegment * segment, const gchar * item_id,
    const gchar * response_id, GstClockTime pts, gpointer user_data)
{
  GstRealtimeAI *self = user_data;
  gsize size = strlen (text);
  GstBuffer *buffer = gst_buffer_new_memdup (text, size);
  GstCustomMeta *meta = gst_buffer_add_custom_meta (buffer, TEXT_META);
  /* the line break that ends a turn takes no time to say */
  gsize spoken = size > 0 && text[size - 1] == '\n' ? size - 1 : size;

  gst_structure_set (gst_custom_meta_get_structure (meta), "role",
      G_TYPE_STRING, role == GST_REALTIME_TEXT_USER ? "user" : "assistant",
      NULL);
  if (segment)
    set_segment_meta (gst_custom_meta_get_structure (meta), segment);
  set_ids_meta (gst_custom_meta_get_structure (meta), item_id, response_id);
  GST_BUFFER_PTS (buffer) = gst_realtime_ai_text_time_locked (self, pts);
  GST_BUFFER_DURATION (buffer) = text_duration (text, spoken, segment);
  if (!GST_CLOCK_TIME_IS_VALID (gst_realtime_output_queue_buffer
          (self->text_out, buffer)))
    return pts;
  return gst_realtime_output_get_end (self->text_out);
}

/* A flush makes the sinks downstream lose their state, and while the
 * pipeline changes state that can leave them paused for good: the bin
 * ignores their ASYNC_START while it is busy. */
static gboolean
pipeline_may_flush (GstRealtimeAI * self)
{
  GstObject *top = gst_object_ref (GST_OBJECT (self)), *parent;
  gboolean steady;

  while ((parent = gst_object_get_parent (top))) {
    gst_object_unref (top);
    top = parent;
  }
  GST_OBJECT_LOCK (top);
  steady = GST_STATE_PENDING (top) == GST_STATE_VOID_PENDING;
  GST_OBJECT_UNLOCK (top);
  gst_object_unref (top);
  return steady;
}

/* Barge-in: the reply audio queued and downstream goes, so that a live sink
 * stops talking; what comes next starts now. While the pipeline changes
 * state, only what is queued goes. */
void
gst_realtime_ai_interrupt_audio (GstRealtimeAI * self)
{
  GstPad *pad = gst_realtime_output_get_pad (self->audio_out);
  gboolean flush_downstream = pipeline_may_flush (self);
  GstSegment segment;
  GstClockTime now;

  g_mutex_lock (&self->lock);
  gst_segment_copy_into (&self->segment, &segment);
  now = gst_realtime_ai_now_locked (self);
  g_mutex_unlock (&self->lock);

  if (!flush_downstream)
    GST_DEBUG_OBJECT (self, "the pipeline changes state: not flushing "
        "downstream");
  gst_realtime_output_interrupt (self->audio_out, &segment, now,
      flush_downstream);

  g_mutex_lock (&self->lock);
  gst_flow_combiner_update_pad_flow (self->flow_combiner, pad, GST_FLOW_OK);
  if (self->flow == GST_FLOW_FLUSHING)
    self->flow = GST_FLOW_OK;
  g_mutex_unlock (&self->lock);
}

/* Nothing will be stamped before the start of a turn that is open or not
 * answered yet, so idle pads may advance only while nothing is pending. */
void
gst_realtime_ai_advance_outputs_locked (GstRealtimeAI * self,
    GstClockTime position)
{
  if (!GST_CLOCK_TIME_IS_VALID (position)
      || gst_realtime_core_replies_pending (self->core))
    return;
  gst_realtime_output_advance (self->audio_out, position);
  gst_realtime_output_advance (self->text_out, position);
}

GstRealtimeOutput *
gst_realtime_ai_add_output (GstRealtimeAI * self,
    GstStaticPadTemplate * template)
{
  GstPad *pad = gst_pad_new_from_static_template (template,
      template->name_template);

  gst_pad_use_fixed_caps (pad);
  gst_pad_set_query_function (pad,
      GST_DEBUG_FUNCPTR (gst_realtime_ai_src_query));
  gst_element_add_pad (GST_ELEMENT (self), pad);
  gst_flow_combiner_add_pad (self->flow_combiner, pad);
  return gst_realtime_output_new (pad, gst_realtime_ai_combine_flow, self);
}


/* Text buffers say whose text they are in a custom meta. */
void
gst_realtime_ai_register_text_meta (void)
{
  static const gchar *tags[] = { NULL };

  gst_meta_register_custom (TEXT_META, tags, NULL, NULL, NULL);
}
